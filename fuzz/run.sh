#!/usr/bin/env bash
# Runs the fuzz targets, one after another, each for SECONDS on its committed
# seeds (fuzz/seeds/T, never modified: new inputs go to a temp dir, or to
# fuzz/corpus/T with KEEP_CORPUS=1). A crash, hang or over-limit allocation
# fails the run and leaves the input in fuzz/artifacts/T/.
#   bash fuzz/run.sh [SECONDS] [TARGET...]      (default: 30 s, every target)
# cargo-fuzz needs nightly flags; on a stable toolchain RUSTC_BOOTSTRAP=1
# allows them. cargo-fuzz itself is installed from crates.io when missing.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-30}
shift || true
if [ "$secs" = 0 ]; then
  echo "fuzz: skipped (0 s)"
  exit 0
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls fuzz_targets | sed 's/\.rs$//')
fi
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2
fi
# Allocation bound: no input may make the process hold more than 2 GiB or make
# one allocation larger than that (libFuzzer reports either as a crash).
# Leak checking is off: a one-shot scanner frees at exit, and glibc's per-thread
# destructor list (std::thread::scope in the pack reader) reads as a leak.
limits=(-rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=20 -max_len=65536 -detect_leaks=0)
start=$(date +%s)
cargo fuzz build
built=$(date +%s)
echo "fuzz: built in $((built - start)) s"
status=0
for t in "${targets[@]}"; do
  if [ "${KEEP_CORPUS:-0}" = 1 ]; then
    corpus="corpus/$t"
    mkdir -p "$corpus"
  else
    corpus=$(mktemp -d)
  fi
  log=$(mktemp)
  if cargo fuzz run "$t" "$corpus" "seeds/$t" -- "${limits[@]}" -max_total_time="$secs" -print_final_stats=1 >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+' || true)
    echo "fuzz: $t ok, ${secs} s, $execs runs, $last"
  else
        echo "fuzz: $t FAILED"
    # The panic's message comes long before libFuzzer's stack trace.
    grep -m5 -A2 "panicked at" "$log" || true
    tail -60 "$log"
    status=1
  fi
  rm -f "$log"
  [ "${KEEP_CORPUS:-0}" = 1 ] || rm -rf "$corpus"
done
echo "fuzz: done in $(($(date +%s) - start)) s"
exit $status
