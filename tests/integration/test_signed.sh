#!/usr/bin/env bash
# Signed dumps (csdump --sign-key, csload --verify-key):
#  1. a signed directory dump lists a SHA-256 for every file and chunk and
#     verifies (--check --verify-key); it loads with --verify-key, and without
#     it with a warning that it is signed but not verified;
#  2. one byte flipped in any file of it (every file, in turn), a manifest
#     re-written and re-signed with another key, the signature removed: each
#     fails --check --verify-key and the load, before anything is written
#     (the target has no new schema, not even csload's journal);
#  3. the same for an archive file (every entry flipped in turn; schema sg
#     alone, to keep the number of runs down);
#  4. a pipe: a signed stream loads with --verify-key; a stream with any
#     entry flipped fails, and the chunk whose entry was changed is never
#     committed (nothing at all when the entry comes before the data).
. "$(dirname "$0")/lib.sh"

start_server src --server-id 1
sql_file src "$SRC/tests/data/fixture-types.sql"
sql src "$(deeper_cte src) CREATE DATABASE sg; CREATE TABLE sg.t (id INT PRIMARY KEY, v VARCHAR(40));
         INSERT INTO sg.t WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s
           WHERE n < 3000) SELECT n, CONCAT('row-', n) FROM s;
         CREATE VIEW sg.v AS SELECT id FROM sg.t WHERE id < 10;"
start_server tgt --server-id 2
"$CSDUMP" --gen-key "$WORK/keys" 2> "$WORK/gen.log" || fail "--gen-key: $(cat "$WORK/gen.log")"
[ "$(stat -c %a "$WORK/keys/sign.pem")" = 600 ] || fail "the private key is not 0600"
openssl genpkey -algorithm ed25519 -out "$WORK/other.pem" 2>/dev/null
openssl pkey -in "$WORK/other.pem" -pubout -out "$WORK/other.pub.pem" 2>/dev/null
PUB=$WORK/keys/sign.pub.pem

# untouched TARGET: no schema but the ones it started with
sql tgt "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1" > "$WORK/tgt.schemas"
untouched() {
    sql tgt "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1" |
        diff "$WORK/tgt.schemas" - >&2 || fail "$1: the target was written to"
}
# resign KEY FILE: FILE's manifest.sig text made with KEY by openssl alone (an attacker's tools)
resign() {
    local raw kid
    raw=$(openssl pkeyutl -sign -rawin -inkey "$1" -in "$2" | od -An -v -tx1 | tr -d ' \n')
    kid=$(openssl pkey -in "$1" -pubout -outform DER | tail -c 32 | sha256sum | cut -c1-16)
    printf '{"algorithm": "ed25519", "key_id": "%s", "signature": "%s"}\n' "$kid" "$raw"
}
REFUSED='SHA-256 differs|hash differs|does not match its signature|signed with another key|not signed|damaged|refusing|differs from'

note "1: a signed directory dump verifies and loads"
dump_of src "$WORK/d" -B sg,fx --chunk-rows 1000 --sign-key "$WORK/keys/sign.pem" -q
[ -s "$WORK/d/manifest.sig" ] || fail "no manifest.sig"
python3 - "$WORK/d" <<'EOF' || fail "a file or chunk without a SHA-256"
import json, sys, hashlib, os
d = sys.argv[1]; m = json.load(open(d + '/manifest.json'))
assert m.get('signed_by'), 'signed_by'
items = [(f['name'], f['sha256']) for f in m['files']]
items += [(c['file'], c['sha256']) for t in m['tables'] for c in t['chunks']]
assert len(items) > 5
for name, sha in items:
    assert hashlib.sha256(open(os.path.join(d, name), 'rb').read()).hexdigest() == sha, name
EOF
"$CSLOAD" --check --verify-key "$PUB" "$WORK/d" 2> "$WORK/check.log" ||
    fail "--check --verify-key on the signed dump: $(cat "$WORK/check.log")"
grep -q "signature verifies" "$WORK/check.log" || fail "check: $(cat "$WORK/check.log")"
expect_exit 1 "signed with another key" "$CSLOAD" --check --verify-key "$WORK/other.pub.pem" "$WORK/d"
load_into tgt "$WORK/d" 2> "$WORK/unverified.log" || fail "load: $(cat "$WORK/unverified.log")"
grep -q "signed (key id [0-9a-f]*) but NOT verified" "$WORK/unverified.log" ||
    fail "no 'not verified' warning: $(cat "$WORK/unverified.log")"
same_data src tgt sg fx
stop_server tgt
rm -rf "$WORK/tgt"
start_server tgt --server-id 2
load_into tgt "$WORK/d" --verify-key "$PUB" 2> "$WORK/verified.log" ||
    fail "load --verify-key: $(cat "$WORK/verified.log")"
grep -q "NOT verified" "$WORK/verified.log" && fail "a verified load warns it is not verified"
same_data src tgt sg fx
sql tgt "DROP DATABASE sg; DROP DATABASE fx; DROP DATABASE __csload"

note "2: any file flipped, re-signed with another key, unsigned: refused before anything"
flip() { # FILE: the byte in its middle inverted
    python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); i=len(b)//2
b[i] ^= 0xff; open(p,'wb').write(bytes(b))" "$1"
}
for f in $(ls "$WORK/d"); do
    rm -rf "$WORK/bad"
    cp -a "$WORK/d" "$WORK/bad"
    flip "$WORK/bad/$f"
    expect_exit 1 "$REFUSED" "$CSLOAD" --check --verify-key "$PUB" "$WORK/bad"
    expect_exit 1 "$REFUSED" load_into tgt "$WORK/bad" --verify-key "$PUB"
    case "$f" in manifest.*) ;; *) grep -qF "$f" <<<"$CS_OUT" || fail "$f is not named: $CS_OUT" ;; esac
    untouched "flipped $f"
done
# an attacker's rewrite: a DDL file replaced, sizes and hashes recomputed, re-signed
rm -rf "$WORK/bad"
cp -a "$WORK/d" "$WORK/bad"
python3 - "$WORK/bad" <<'EOF'
import json, sys, hashlib, os, subprocess
d = sys.argv[1]; m = json.load(open(d + '/manifest.json'))
t = next(t for t in m['tables'] if t['name'] == 't')
body = open(os.path.join(d, t['ddl_file']), 'rb').read().replace(b'`v`', b'`w`')
open(os.path.join(d, t['ddl_file']), 'wb').write(body)
for f in m['files']:
    if f['name'] == t['ddl_file']:
        f['bytes'] = len(body); f['sha256'] = hashlib.sha256(body).hexdigest()
open(d + '/manifest.json', 'w').write(json.dumps(m))
EOF
expect_exit 1 "does not match its signature" "$CSLOAD" --check --verify-key "$PUB" "$WORK/bad"
resign "$WORK/other.pem" "$WORK/bad/manifest.json" > "$WORK/bad/manifest.sig"
expect_exit 1 "signed with another key" "$CSLOAD" --check --verify-key "$PUB" "$WORK/bad"
expect_exit 1 "signed with another key" load_into tgt "$WORK/bad" --verify-key "$PUB"
untouched "re-signed with another key"
rm "$WORK/bad/manifest.sig"
expect_exit 1 "not signed" load_into tgt "$WORK/bad" --verify-key "$PUB"
untouched "signature removed"

note "3: an archive file, every entry flipped in turn"
"$CSDUMP" --no-defaults -S "$(sock src)" -u root -B sg --chunk-rows 1000 -q \
    --sign-key "$WORK/keys/sign.pem" --archive "$WORK/a.tar"
"$CSLOAD" --check --verify-key "$PUB" --archive "$WORK/a.tar" 2> "$WORK/acheck.log" ||
    fail "--check --archive --verify-key: $(cat "$WORK/acheck.log")"
tar -tf "$WORK/a.tar" > "$WORK/a.list"
grep -q '\.meta\.sig$' "$WORK/a.list" || fail "no chunk description signatures in the archive"
grep -qx catalog.sig "$WORK/a.list" || fail "no catalog.sig in the archive"
# flip_entry IN OUT NAME: IN with NAME's middle byte inverted (same size, same order)
flip_entry() {
    python3 - "$@" <<'EOF'
import sys, tarfile, io
src, dst, name = sys.argv[1:4]
with tarfile.open(src) as i, tarfile.open(dst, 'w', format=tarfile.PAX_FORMAT) as o:
    for m in i.getmembers():
        b = i.extractfile(m).read()
        if m.name == name:
            b = bytearray(b); b[len(b) // 2] ^= 0xff; b = bytes(b)
        o.addfile(m, io.BytesIO(b))
EOF
}
while read -r e; do
    flip_entry "$WORK/a.tar" "$WORK/bad.tar" "$e"
    expect_exit 1 "$REFUSED" "$CSLOAD" --check --verify-key "$PUB" --archive "$WORK/bad.tar"
    expect_exit 1 "$REFUSED" load_archive_into tgt "$WORK/bad.tar" --verify-key "$PUB"
    untouched "archive entry $e flipped"
done < "$WORK/a.list"
load_archive_into tgt "$WORK/a.tar" --verify-key "$PUB" 2> "$WORK/aload.log" ||
    fail "archive load --verify-key: $(cat "$WORK/aload.log")"
same_data src tgt sg
sql tgt "DROP DATABASE sg; DROP DATABASE __csload"

note "4: a pipe: verified entry by entry"
set +e
"$CSDUMP" --no-defaults -S "$(sock src)" -u root -B sg --chunk-rows 1000 -q \
    --sign-key "$WORK/keys/sign.pem" --archive - |
    "$CSLOAD" --no-defaults -S "$(sock tgt)" -u root --archive - --verify-key "$PUB" \
        2> "$WORK/pipe.log"
rcs=("${PIPESTATUS[@]}")
set -e
[ "${rcs[0]}" = 0 ] && [ "${rcs[1]}" = 0 ] || fail "signed pipe: ${rcs[*]}: $(cat "$WORK/pipe.log")"
same_data src tgt sg
sql tgt "DROP DATABASE sg; DROP DATABASE __csload"
pipe_load() { "$CSLOAD" --no-defaults -S "$(sock tgt)" -u root --archive - --verify-key "$PUB" < "$1"; }
data_started=0
while read -r e; do
    case "$e" in *.meta.json) data_started=1 ;; esac
    flip_entry "$WORK/a.tar" "$WORK/bad.tar" "$e"
    expect_exit 1 "$REFUSED" pipe_load "$WORK/bad.tar"
    if [ "$data_started" = 0 ]; then
        untouched "pipe entry $e flipped"
    else
        chunk=${e%.meta.json}
        chunk=${chunk%.meta.sig}
        n=$(sql tgt "SELECT COUNT(*) FROM __csload.journal WHERE item = 'chunk:$chunk'" 2>/dev/null || echo 0)
        assert_eq "$n" 0 "chunk $chunk committed although its entry $e was changed"
    fi
    sql tgt "DROP DATABASE IF EXISTS sg; DROP DATABASE IF EXISTS fx; DROP DATABASE IF EXISTS __csload"
done < "$WORK/a.list"
note "ok"
