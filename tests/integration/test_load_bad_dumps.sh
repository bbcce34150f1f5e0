#!/usr/bin/env bash
# csload issue, test 4: bad dumps.  A flipped byte in a chunk, a truncated
# chunk, a missing chunk, an extra file, a garbled manifest, a manifest from a
# future format version: each gives its own clear message, offline with
# --check and at load time, and a non-zero exit; the broken table is never
# reported done.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src
types_fixture src
dump_of src "$WORK/good" --chunk-rows 700 -q
"$CSLOAD" --check "$WORK/good" 2>/dev/null || fail "the good dump does not pass --check"
CHUNK=$(manifest_get "$WORK/good" "[c['file'] for t in m['tables'] if t['name']=='vpk' for c in t['chunks']][1]")

# broken NAME: a copy of the good dump to break
broken() {
    rm -rf "$WORK/$1"
    cp -a "$WORK/good" "$WORK/$1"
    echo "$WORK/$1"
}

# expect_bad NAME PATTERN-CHECK PATTERN-LOAD
expect_bad() {
    local name=$1 pcheck=$2 pload=$3 out tgt="t-$1"
    set +e
    out=$("$CSLOAD" --check "$WORK/$name" 2>&1)
    rc=$?
    set -e
    [ "$rc" -ne 0 ] || fail "$name: --check passed"
    echo "$out" | grep -Eq -- "$pcheck" || fail "$name: --check says: $out"
    start_server "$tgt"
    set +e
    out=$(load_into "$tgt" "$WORK/$name" --threads 2 2>&1)
    rc=$?
    set -e
    [ "$rc" -ne 0 ] || fail "$name: the load succeeded"
    echo "$out" | grep -Eq -- "$pload" || fail "$name: the load says: $out"
    echo "$out" | grep -q "load complete" && fail "$name: the load reported completion"
    note "$name: ok"
}

d=$(broken flipped)
python3 - "$d/$CHUNK" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[len(b) // 2] ^= 0x40
open(p, 'wb').write(bytes(b))
PY
expect_bad flipped "$CHUNK.*hash differs from the manifest" "$CHUNK.*(damaged|hash differs)"
# the broken chunk was never recorded as loaded, and its table not verified
assert_eq "$(sql t-flipped "SELECT COUNT(*) FROM __csload.journal WHERE item = 'chunk:$CHUNK'")" 0 \
    "journal row of the damaged chunk"

d=$(broken truncated)
truncate -s -7 "$d/$CHUNK"
expect_bad truncated "$CHUNK is shorter than the manifest says" "$CHUNK is shorter than the manifest"
assert_eq "$(sql t-truncated "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'fx'")" 0 \
    "a schema was created from a truncated dump"

d=$(broken missing)
rm "$d/$CHUNK"
expect_bad missing "$CHUNK" "the manifest lists $CHUNK"

d=$(broken extra)
echo "leftover" > "$d/fx.vpk.99999.000.tsv.zst"
expect_bad extra "unexpected file fx.vpk.99999.000.tsv.zst" "unexpected file fx.vpk.99999.000.tsv.zst"

d=$(broken garbled)
head -c 300 "$WORK/good/manifest.json" > "$d/manifest.json"
expect_bad garbled "manifest.json.*(JSON|json|line)" "manifest.json.*(JSON|json|line)"

d=$(broken future)
python3 - "$d/manifest.json" <<'PY'
import json, sys
p = sys.argv[1]
m = json.load(open(p))
m['format_version'] = 99
json.dump(m, open(p, 'w'))
PY
expect_bad future "format version 99 is newer" "format version 99 is newer"

# a row larger than the target's max_allowed_packet is caught before anything is loaded
sql src "CREATE DATABASE wide; CREATE TABLE wide.t (id INT PRIMARY KEY, b LONGBLOB);
         INSERT INTO wide.t VALUES (1, REPEAT('x', 3000000))"
dump_of src "$WORK/wide" -B wide -q
start_server t-packet --extra "--max-allowed-packet=1M"
set +e
out=$(load_into t-packet "$WORK/wide" 2>&1)
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "a 3 MB row loaded under max_allowed_packet=1M"
echo "$out" | grep -q "wide.t has a row of 30000.. bytes, more than the target's max_allowed_packet" ||
    fail "packet: $out"
assert_eq "$(sql t-packet "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'wide'")" 0 \
    "a schema was created despite the packet check"
echo ok
