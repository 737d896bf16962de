#!/usr/bin/env bash
# pkscan at any size: bench/scale.sh file|tree|history|all [--runs N] [--pkscan PATH]
# (see bench/scale.py). Everything generated goes to bench/work/scale/ (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v python3 >/dev/null || { echo "scale: python3 is required" >&2; exit 2; }
exec python3 "$here/scale.py" "$@"
