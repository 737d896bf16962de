#!/usr/bin/env bash
# Writes the seed corpora in fuzz/seeds/ from a tiny repository that git builds
# in a temp dir: packs and their indexes, index files, trees, archives, and
# files with keys (random each run, belonging to no one) in every encoding the
# decoders know. Run it again after changing a target's input format:
#   bash fuzz/make-seeds.sh
set -euo pipefail
cd "$(dirname "$0")"
fuzz="$PWD"
out="$fuzz/seeds"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Seed GIT_AUTHOR_EMAIL=seed@example.com
export GIT_COMMITTER_NAME=Seed GIT_COMMITTER_EMAIL=seed@example.com
export GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'

rand() {
  python3 -c 'import secrets, string, sys; a = string.ascii_letters + string.digits; print("".join(secrets.choice(a) for _ in range(int(sys.argv[1]))))' "$1"
}
live="pk_live_$(rand 24)"
test="pk_test_$(rand 24)"

rm -rf "$out"
mkdir -p "$out"/{pack_file,index_file,tree_filter,decoders,content,archive,config,rules,pack_entries}

repo="$work/repo"
git init -q -b main "$repo"
cd "$repo"
mkdir -p src web config android/res/values
printf 'const key = "%s";\nfetch("https://api.pictify.io/image", {headers: {Authorization: `Bearer ${key}`}});\n' "$live" >src/app.js
printf 'PICTIFY_API_KEY=%s\n' "$test" >config/.env
printf '<string name="pictify">%s</string>\n' "$live" >android/res/values/strings.xml
b64=$(printf '%s' "$live" | base64 -w0)
pct=$(printf '%s' "$test" | sed 's/_/%5F/g')
esc=$(printf '%s' "$live" | sed 's/_/\\u005f/g')
codes=$(printf '%s' "$test" | od -An -tu1 | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
half=${live:0:12}
cat >web/encoded.js <<EOF
localStorage.setItem("k", atob("$b64"));
const u = "https://example.com/?key=$pct";
const e = "$esc";
const c = "$half" +
  "${live:12}";
const s = String.fromCharCode($codes);
EOF
printf '\xef\xbb\xbfkey: %s\n' "$test" >config/bom.yaml
printf 'key = "%s"\n' "$live" | iconv -t UTF-16LE | { printf '\xff\xfe'; cat; } >config/utf16le.ini
printf 'key = "%s"\n' "$test" | iconv -t UTF-16BE | { printf '\xfe\xff'; cat; } >config/utf16be.ini
printf 'ELF\0\0\0%s\0\0' "$live" >src/native.so
for v in 1 2 3 4 5 6; do
  printf 'line %s of a file that changes a little in each commit\n' $(seq 1 40) >notes.txt
  printf 'version %s\n' "$v" >>notes.txt
  git add -A
  git commit -q -m "v$v"
done
# Nested archives: a zip and a tar.gz of the tree, committed, then archived
# again around them.
git archive --format=zip -o "$work/inner.zip" HEAD src config
git archive --format=tar.gz -o "$work/inner.tar.gz" HEAD web
cp "$work/inner.zip" inner.zip
cp "$work/inner.tar.gz" bundle.tgz
git add -A
git commit -q -m nested

# Archives: a selector byte (0 zip, 1 tar, 2 tar.gz), then the archive.
for f in zip:0 tar:1 tar.gz:2; do
  fmt=${f%:*}
  sel=${f#*:}
  { printf "\\x0$sel"; git archive --format="$fmt" HEAD; } >"$out/archive/nested.$fmt"
done
{ printf '\x00'; cat "$work/inner.zip"; } >"$out/archive/inner.zip"
{ printf '\x02'; cat "$work/inner.tar.gz"; } >"$out/archive/inner.tar.gz"

# Content and decoders: the files themselves (content's first byte picks a path).
i=0
for f in src/app.js config/.env android/res/values/strings.xml web/encoded.js \
  config/bom.yaml config/utf16le.ini config/utf16be.ini src/native.so; do
  { printf "\\x$(printf %02x $i)"; cat "$f"; } >"$out/content/$(basename "$f")"
  cp "$f" "$out/decoders/$(basename "$f")"
  i=$((i + 1))
done

# Packs: `<idx length: u32 BE><idx><pack>`, with offset deltas, with ref
# deltas, and with every offset in the index's large-offset table.
pack_seed() {
  local idx
  idx=$(ls .git/objects/pack/*.idx)
  python3 - "$idx" "${idx%.idx}.pack" "$1" <<'EOF'
import struct, sys
idx = open(sys.argv[1], 'rb').read()
pack = open(sys.argv[2], 'rb').read()
open(sys.argv[3], 'wb').write(struct.pack('>I', len(idx)) + idx + pack)
EOF
}
git repack -q -a -d -f --depth=4
pack_seed "$out/pack_file/ofs-delta"
git -c repack.useDeltaBaseOffset=false repack -q -a -d -f
pack_seed "$out/pack_file/ref-delta"
idx=$(ls .git/objects/pack/*.idx)
git index-pack --index-version=2,1 -o "$work/large.idx" "${idx%.idx}.pack" >/dev/null
python3 - "$work/large.idx" "${idx%.idx}.pack" "$out/pack_file/large-offsets" <<'EOF'
import struct, sys
idx = open(sys.argv[1], 'rb').read()
pack = open(sys.argv[2], 'rb').read()
open(sys.argv[3], 'wb').write(struct.pack('>I', len(idx)) + idx + pack)
EOF

# Trees: a header byte, then `<id><u16 BE length><raw entries>` per tree.
python3 - "$out/tree_filter/all-trees" <<'EOF'
import struct, subprocess, sys
ids = subprocess.run(['git', 'rev-list', '--all', '--objects'], capture_output=True, text=True, check=True).stdout.split()
ids = [o for o in ids if len(o) == 40]
trees = [o for o in ids if subprocess.run(['git', 'cat-file', '-t', o], capture_output=True, text=True).stdout.strip() == 'tree']
out = bytearray([3])
for t in trees:
    body = subprocess.run(['git', 'cat-file', 'tree', t], capture_output=True, check=True).stdout
    out += bytes.fromhex(t) + struct.pack('>H', len(body)) + body
open(sys.argv[1], 'wb').write(out)
EOF

# Index files: version 2 with a cache tree, 3 (intent-to-add sets extended
# flags), 4 (prefix-compressed paths), and one with a conflict.
git read-tree HEAD
git write-tree >/dev/null
cp .git/index "$out/index_file/v2-cache-tree"
printf 'new\n' >added.txt
git add -N added.txt
cp .git/index "$out/index_file/v3-intent-to-add"
git update-index --index-version 4
cp .git/index "$out/index_file/v4"
git update-index --index-version 2
git reset -q --hard
git checkout -q -b side HEAD~1
printf 'side\n' >>notes.txt
git commit -q -am side
git checkout -q main
printf 'main\n' >>notes.txt
git commit -q -am main
git merge -q side >/dev/null 2>&1 || true
cp .git/index "$out/index_file/v2-conflict"

# Rule files and configs.
cp "$fuzz/../rules/clerk.toml" "$fuzz/../rules/magic.toml" "$out/rules/"
cat >"$out/config/full.toml" <<'EOF'
rules = ["extra-rules"]
exclude = ["vendor/**", "*.min.js"]
min-severity = "medium"
contexts = ["client-js", "config"]
include-other-providers = true
baseline = ".pkscan-baseline.json"

[[allow]]
fingerprint = "0123456789abcdef0123456789abcdef"
reason = "a test key that belongs to no one"
EOF
printf 'exclude = ["[unclosed"]\n' >"$out/config/bad-glob.toml"
printf 'api_base = "https://evil.example"\n' >"$out/config/api-base.toml"

# pack_entries takes structured (arbitrary) input, which git's bytes are not:
# it starts from an empty entry that the fuzzer grows.
printf '\0' >"$out/pack_entries/empty"
du -sh "$out"
