#!/usr/bin/env bash
# Full-history benchmark: `pkscan git` vs Kingfisher vs ripgrep-based baselines.
#
# Builds a history corpus from real content: several published versions of a few
# large npm packages (fetched with `npm pack`), committed one after the other into
# a fresh repository (bench/history_corpus.py, through git fast-import), plus a
# handful of generated keys (one deleted later, one still at HEAD, one only on an
# unmerged branch). Then times each tool over a bare,
# packed clone of it: median of $RUNS runs after one warm-up, wall time and peak
# RSS from /usr/bin/time, and prints ratios against pkscan.
#
# Usage:  bench/history.sh                       (defaults below)
#         VERSIONS=3 RUNS=3 bench/history.sh     (smaller / quicker)
# Env:    PACKAGES  npm packages to commit (default: typescript react-dom lodash moment three)
#         VERSIONS  newest stable versions per package (default: 6)
#         BATCH     0: one commit per package version (default); N: commit the files
#                   each version changes N at a time (many small commits, the shape
#                   of a real project's history)
#         RUNS      timed runs per tool (default: 3)
#         PKSCAN    pkscan binary (default: build release into bench/work/target)
#         LOGP      1 to include the `git log -p --all | rg` baseline (default: 1)
# Needs:  git, npm, python3, rg, /usr/bin/time (GNU), kingfisher (pip install kingfisher-bin).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WORK=${WORK:-$HERE/work/history}
PACKAGES=${PACKAGES:-"typescript react-dom lodash moment three"}
VERSIONS=${VERSIONS:-6}
BATCH=${BATCH:-0}
RUNS=${RUNS:-3}
LOGP=${LOGP:-1}
PATTERN='pk_(live|test)_[A-Za-z0-9]{16,}'

need() { command -v "$1" >/dev/null || { echo "history.sh: $1 not found: $2" >&2; exit 2; }; }
need git "install git"
need npm "install Node.js/npm"
need python3 "install python3"
need rg "install ripgrep"
need kingfisher "pip install kingfisher-bin"
[ -x /usr/bin/time ] || { echo "history.sh: /usr/bin/time not found: apt-get install time" >&2; exit 2; }

mkdir -p "$WORK/tarballs"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Bench Bot" GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME="Bench Bot" GIT_COMMITTER_EMAIL=bench@example.invalid

# --- pkscan binary ---------------------------------------------------------
if [ -z "${PKSCAN:-}" ]; then
  # Own target dir: a target dir shared between work trees can hand back another
  # tree's binary.
  echo "building pkscan (release)..." >&2
  (cd "$ROOT" && CARGO_TARGET_DIR="$HERE/work/target" cargo build --release -q)
  PKSCAN="$HERE/work/target/release/pkscan"
fi
"$PKSCAN" git --help >/dev/null || { echo "history.sh: $PKSCAN has no 'git' command" >&2; exit 2; }

# --- corpus ----------------------------------------------------------------
STAMP="packages=$PACKAGES versions=$VERSIONS batch=$BATCH repacked"
CORPUS="$WORK/corpus.git"
if [ ! -d "$CORPUS" ] || [ "$(cat "$WORK/stamp" 2>/dev/null)" != "$STAMP" ]; then
  echo "building corpus: $STAMP" >&2
  rm -rf "$WORK/src" "$CORPUS"
  declare -A LIST
  for p in $PACKAGES; do
    LIST[$p]=$(npm view "$p" versions --json | python3 -c '
import json, re, sys
v = [x for x in json.load(sys.stdin) if re.fullmatch(r"\d+\.\d+\.\d+", x)]
print(" ".join(v[-int(sys.argv[1]):]))' "$VERSIONS")
    for v in ${LIST[$p]}; do
      f="$WORK/tarballs/${p//\//-}-$v.tgz"
      if [ ! -s "$f" ]; then
        tmp=$(mktemp -d)
        (cd "$tmp" && npm pack -q "$p@$v" >/dev/null 2>&1 && mv ./*.tgz "$f")
        rm -rf "$tmp"
      fi
    done
  done
  specs=()
  for p in $PACKAGES; do
    tgz=()
    for v in ${LIST[$p]}; do tgz+=("$WORK/tarballs/${p//\//-}-$v.tgz"); done
    specs+=("$p=$(IFS=,; echo "${tgz[*]}")")
  done
  git init -q -b main "$WORK/src"
  python3 "$HERE/history_corpus.py" --batch "$BATCH" "${specs[@]}" | git -C "$WORK/src" fast-import --quiet
  git -C "$WORK/src" checkout -q -f main
  # fast-import stores weak deltas, and clone and gc reuse whatever deltas they find:
  # compute them properly, as a server that received the pushes would.
  git -C "$WORK/src" repack -a -d -f -q
  cd "$WORK"
  git clone -q --bare --no-local src "$CORPUS"
  git -C "$CORPUS" gc -q
  echo "$STAMP" > "$WORK/stamp"
fi

cat > "$WORK/kingfisher-rules.yml" <<'EOF'
rules:
  - name: Pictify API key
    id: kingfisher.pictify.1
    pattern: '\b(pk_(?:live|test)_[A-Za-z0-9]{16,})'
    min_entropy: 0.0
    confidence: medium
    examples:
      - "PICTIFY_API_KEY=pk_live_Ab3dEfGhIjKlMnOpQrStUv"
EOF

commits=$(git -C "$CORPUS" rev-list --all | wc -l)
blobs=$(git -C "$CORPUS" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' | awk '$1=="blob"{n++; s+=$2} END{printf "%d blobs, %.0f MB", n, s/1e6}')
pack=$(du -sh "$CORPUS/objects" | cut -f1)
echo "corpus: $commits commits, $blobs uncompressed, $pack packed ($PACKAGES; $VERSIONS versions each; batch $BATCH)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1e6}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

# --- tools -----------------------------------------------------------------
declare -A CMD COUNT
CMD[pkscan]="'$PKSCAN' git '$CORPUS' --format json -o '$WORK/pkscan.json' -q"
COUNT[pkscan]="python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))[\"findings\"]))' '$WORK/pkscan.json'"
CMD[kingfisher]="kingfisher scan '$CORPUS' --git-history full --load-builtins false --rules-path '$WORK/kingfisher-rules.yml' --no-validate --no-update-check --format json -o '$WORK/kingfisher.json' -q"
COUNT[kingfisher]="python3 -c '
import json,sys
t=open(sys.argv[1]).read().strip()
try: d=json.loads(t)
except ValueError: d=[json.loads(l) for l in t.splitlines() if l.strip()]
if isinstance(d,dict): d=d.get(\"findings\", d.get(\"matches\", []))
print(len(d))' '$WORK/kingfisher.json'"
CMD[rg-cat-file]="git -C '$CORPUS' cat-file --batch-all-objects --batch | rg -a -o '$PATTERN' > '$WORK/rg-cat-file.txt' || true"
COUNT[rg-cat-file]="sort -u '$WORK/rg-cat-file.txt' | wc -l"
TOOLS="pkscan kingfisher rg-cat-file"
if [ "$LOGP" = 1 ]; then
  CMD[rg-log-p]="git -C '$CORPUS' log -p --all --no-color --no-ext-diff | rg -a -o '$PATTERN' > '$WORK/rg-log-p.txt' || true"
  COUNT[rg-log-p]="sort -u '$WORK/rg-log-p.txt' | wc -l"
  TOOLS="$TOOLS rg-log-p"
fi

measure() { # tool -> "median_wall median_rss_kb"
  local t=$1 out="$WORK/time.$1" i
  bash -c "${CMD[$t]}" >/dev/null 2>&1 || true   # warm-up (page cache, rule caches)
  : > "$out.all"
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$out" bash -c "${CMD[$t]}" >/dev/null 2>&1 || true
    tail -1 "$out" >> "$out.all"
  done
  python3 - "$out.all" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(statistics.median(float(r[0]) for r in rows), statistics.median(int(r[1]) for r in rows))
EOF
}

declare -A WALL RSS
printf '\n%-12s %10s %12s %9s %12s %12s\n' tool "wall (s)" "peak RSS MB" findings "wall ratio" "RSS ratio"
for t in $TOOLS; do
  read -r w r < <(measure "$t")
  WALL[$t]=$w; RSS[$t]=$r
  n=$(bash -c "${COUNT[$t]}" 2>/dev/null || echo "?")
  python3 -c '
import sys
t, w, r, n, pw, pr = sys.argv[1:]
w, r, pw, pr = float(w), int(r), float(pw or w), int(pr or r)
print(f"{t:<12} {w:>10.2f} {r/1024:>12.1f} {n:>9} {w/pw:>11.2f}x {r/pr:>11.2f}x")' \
    "$t" "$w" "$r" "$n" "${WALL[pkscan]:-}" "${RSS[pkscan]:-}"
done
echo
echo "ratios are tool / pkscan (above 1: pkscan is faster or smaller); median of $RUNS runs after a warm-up."
echo "findings: pkscan and kingfisher count reported findings (deduplicated differently); the rg baselines count distinct key strings."

# --- --staged in a big repository ------------------------------------------
if [ "${STAGED:-1}" = 1 ]; then
  FILES=${STAGED_FILES:-10000}
  NCOMMITS=${STAGED_COMMITS:-40000}
  BIG="$WORK/staged-$FILES-$NCOMMITS"
  if [ ! -d "$BIG/.git" ]; then
    echo "building a $FILES-file, $NCOMMITS-commit repository for --staged (git fast-import)..." >&2
    rm -rf "$BIG" && git init -q -b main "$BIG"
    python3 - "$FILES" "$NCOMMITS" <<'PY' | git -C "$BIG" fast-import --quiet
import random, sys
files, commits = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout.buffer
rnd = random.Random(7)
def path(i):
    return f"src/m{i % 97:02d}/d{i % 13}/file{i}.js"
def data(s):
    b = s.encode()
    out.write(b"data %d\n" % len(b) + b + b"\n")
for c in range(commits):
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Bench Bot <bench@example.invalid> %d +0000\n" % (1500000000 + c * 60))
    data(f"change {c}")
    if c == 0:
        for i in range(files):
            out.write(f"M 100644 inline {path(i)}\n".encode())
            data(f"export const v{i} = {i};\n")
    else:
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randrange(files)
            out.write(f"M 100644 inline {path(i)}\n".encode())
            data(f"export const v{i} = {c};\n// rev {c}\n")
PY
    git -C "$BIG" checkout -q -f main
    git -C "$BIG" gc -q
  fi
  git -C "$BIG" reset -q --hard
  for i in 1 2 3; do
    f=$(git -C "$BIG" ls-files | sed -n "${i}00p")
    echo "export const step$i = 'pk_live_Zq0${i}Xw8rT3yUb6nM1kP4sD7fG';" >> "$BIG/$f"
  done
  git -C "$BIG" add -A
  python3 - "$PKSCAN" "$BIG" <<'PY'
import statistics, subprocess, sys, time
cmd = [sys.argv[1], "git", "--staged", "-q", "--format", "json", "-o", "/dev/null"]
runs = []
for _ in range(21):
    t = time.perf_counter()
    subprocess.run(cmd, cwd=sys.argv[2], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs.append((time.perf_counter() - t) * 1000)
print(f"pkscan git --staged, 3 staged files in {sys.argv[2].rsplit('/', 1)[-1]}: "
      f"median {statistics.median(runs):.1f} ms, min {min(runs):.1f} ms (21 runs, whole process)")
PY
  git -C "$BIG" reset -q --hard
fi

# --- a long history with one finding ----------------------------------------
# The synthetic 40,000-commit repository above (bare copy) with one key added at
# HEAD: placing a finding in a long history is where provenance costs show.
if [ "${STAGED:-1}" = 1 ] && [ "${MANY:-1}" = 1 ]; then
  LONG="$WORK/long-$FILES-$NCOMMITS.git"
  if [ ! -d "$LONG" ]; then
    git clone -q --bare --no-local "$BIG" "$LONG"
    blob=$(echo "const pictify = new Pictify('pk_live_Lg7${RANDOM}Hq2Wn5Ry8Tb3Kc6Vd9Xf')" | git --git-dir="$LONG" hash-object -w --stdin)
    idx=$(mktemp)
    rm -f "$idx"
    GIT_INDEX_FILE=$idx git --git-dir="$LONG" read-tree main
    GIT_INDEX_FILE=$idx git --git-dir="$LONG" update-index --add --cacheinfo "100644,$blob,server/key.js"
    tree=$(GIT_INDEX_FILE=$idx git --git-dir="$LONG" write-tree)
    rm -f "$idx"
    c=$(git --git-dir="$LONG" commit-tree "$tree" -p main -m "add key")
    git --git-dir="$LONG" update-ref refs/heads/main "$c"
    git --git-dir="$LONG" gc -q
  fi
  CMD[pkscan-long]="'$PKSCAN' git '$LONG' --format json -o '$WORK/pkscan-long.json' -q"
  CMD[kingfisher-long]="kingfisher scan '$LONG' --git-history full --load-builtins false --rules-path '$WORK/kingfisher-rules.yml' --no-validate --no-update-check --format json -o '$WORK/kingfisher-long.json' -q"
  echo
  echo "long history: $(git --git-dir="$LONG" rev-list --all | wc -l) commits, $(git --git-dir="$LONG" count-objects -v | awk '/in-pack/{print $2}') objects, one key at HEAD"
  read -r w1 r1 < <(measure pkscan-long)
  read -r w2 r2 < <(measure kingfisher-long)
  python3 -c '
import sys
w1, r1, w2, r2 = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"pkscan     {w1:>6.2f} s {r1/1024:>7.1f} MB")
print(f"kingfisher {w2:>6.2f} s {r2/1024:>7.1f} MB   ({w2/w1:.2f}x wall, {r2/r1:.2f}x RSS)")' "$w1" "$r1" "$w2" "$r2"
fi
