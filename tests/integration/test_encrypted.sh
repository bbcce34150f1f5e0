#!/usr/bin/env bash
# Encrypted dumps (csdump --encrypt-key, csload --encrypt-key):
#  1. round trips in both formats (tsv, sql) through a directory, an archive
#     file and a pipe; --check --encrypt-key passes on each;
#  2. `strings` over the dump (directory files and archive, uncompressed so
#     that only encryption can hide anything) shows no schema or table name
#     and no row data; file and entry names are opaque;
#  3. without the key (or with another one) --check and the load fail
#     clearly, saying the dump is encrypted and which option is needed, and
#     the target is untouched;
#  4. a chunk file cut at a segment boundary or inside one, and one with two
#     segments swapped, are detected by --check and by the load (nothing of
#     the chunk committed);
#  5. signed and encrypted together: the pipe verifies and decrypts;
#  6. the same into S3 (a prefix of opaque object names, and an archive
#     object) and back, --check included.
. "$(dirname "$0")/lib.sh"

start_server src --server-id 1
sql_file src "$SRC/tests/data/fixture-types.sql"
sql src "$(deeper_cte src) CREATE DATABASE cryptschema;
  CREATE TABLE cryptschema.secret_ledger (id INT PRIMARY KEY, note VARCHAR(60), amount DECIMAL(12,2));
  INSERT INTO cryptschema.secret_ledger WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1
    FROM s WHERE n < 6000) SELECT n, CONCAT('PLAINTEXT-ROW-', n, '-confidential'), n * 1.25 FROM s;
  CREATE VIEW cryptschema.secret_view AS SELECT id FROM cryptschema.secret_ledger;"
start_server tgt --server-id 2
openssl rand -hex 32 > "$WORK/key"
openssl rand 32 > "$WORK/raw.key"        # raw bytes work too
openssl rand -hex 32 > "$WORK/other.key"
sql tgt "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1" > "$WORK/tgt.schemas"
untouched() {
    sql tgt "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1" |
        diff "$WORK/tgt.schemas" - >&2 || fail "$1: the target was written to"
}
reset_tgt() { sql tgt "DROP DATABASE IF EXISTS cryptschema; DROP DATABASE IF EXISTS fx;
                       DROP DATABASE IF EXISTS __csload"; }
DUMPOPTS=(--no-defaults -S "$(sock src)" -u root -B cryptschema,fx --chunk-rows 2000 -q)
SECRETS='cryptschema|secret_ledger|secret_view|PLAINTEXT-ROW|confidential|CREATE TABLE|CREATE VIEW'

for fmt in tsv sql; do
    note "1/2: $fmt: directory, archive file, pipe"
    key=$WORK/key
    [ "$fmt" = sql ] && key=$WORK/raw.key
    "$CSDUMP" "${DUMPOPTS[@]}" --format "$fmt" --compress none --encrypt-key "$key" -o "$WORK/d-$fmt"
    "$CSDUMP" "${DUMPOPTS[@]}" --format "$fmt" --compress none --encrypt-key "$key" \
        --archive "$WORK/a-$fmt.tar"
    for f in "$WORK/d-$fmt"/*; do
        n=$(basename "$f")
        [ "$n" = manifest.json ] || [[ "$n" =~ ^[0-9a-f]{32}\.cse$ ]] || fail "not an opaque name: $n"
        head -c 8 "$f" | grep -q CSSEAL01 || fail "$n is not sealed"
    done
    tar -tf "$WORK/a-$fmt.tar" | grep -Ev '^([0-9a-f]{32}\.cse|manifest\.json)$' &&
        fail "an archive entry name that is not opaque"
    if cat "$WORK/d-$fmt"/* "$WORK/a-$fmt.tar" | strings -n 4 | grep -Ea "$SECRETS"; then
        fail "$fmt: strings over the encrypted dump shows names or data"
    fi
    "$CSLOAD" --check --encrypt-key "$key" "$WORK/d-$fmt" 2> "$WORK/c.log" ||
        fail "--check --encrypt-key: $(cat "$WORK/c.log")"
    "$CSLOAD" --check --encrypt-key "$key" --archive "$WORK/a-$fmt.tar" 2> "$WORK/c.log" ||
        fail "--check --encrypt-key --archive: $(cat "$WORK/c.log")"
    load_into tgt "$WORK/d-$fmt" --encrypt-key "$key" -q || fail "$fmt: directory load"
    same_data src tgt cryptschema fx
    reset_tgt
    load_archive_into tgt "$WORK/a-$fmt.tar" --encrypt-key "$key" -q || fail "$fmt: archive load"
    same_data src tgt cryptschema fx
    reset_tgt
    set +e
    "$CSDUMP" "${DUMPOPTS[@]}" --format "$fmt" --encrypt-key "$key" --archive - |
        "$CSLOAD" --no-defaults -S "$(sock tgt)" -u root --archive - --encrypt-key "$key" -q \
            2> "$WORK/pipe.log"
    rcs=("${PIPESTATUS[@]}")
    set -e
    [ "${rcs[0]}" = 0 ] && [ "${rcs[1]}" = 0 ] ||
        fail "$fmt: encrypted pipe: ${rcs[*]}: $(tail -3 "$WORK/pipe.log")"
    same_data src tgt cryptschema fx
    reset_tgt
done

note "3: no key, another key: clear failures, nothing written"
NOKEY='encrypted \(csdump --encrypt-key.*give csload --encrypt-key'
expect_exit 1 "$NOKEY" "$CSLOAD" --check "$WORK/d-tsv"
expect_exit 1 "$NOKEY" "$CSLOAD" --check --archive "$WORK/a-tsv.tar"
expect_exit 1 "$NOKEY" load_into tgt "$WORK/d-tsv"
expect_exit 1 "$NOKEY" load_archive_into tgt "$WORK/a-tsv.tar"
expect_exit 1 "$NOKEY" "$CSLOAD" --no-defaults -S "$(sock tgt)" -u root --archive - \
    < <(cat "$WORK/a-tsv.tar") # a pipe
untouched "no key"
expect_exit 1 "cannot be decrypted with the --encrypt-key given" \
    "$CSLOAD" --check --encrypt-key "$WORK/other.key" "$WORK/d-tsv"
expect_exit 1 "cannot be decrypted with the --encrypt-key given|encrypted with another key" \
    load_archive_into tgt "$WORK/a-tsv.tar" --encrypt-key "$WORK/other.key"
echo "not a key" > "$WORK/bad.key"
expect_exit 2 "bad.key" load_into tgt "$WORK/d-tsv" --encrypt-key "$WORK/bad.key"
untouched "another key"

note "4: a segment cut off or two swapped"
"$CSDUMP" --no-defaults -S "$(sock src)" -u root -B cryptschema -q --compress none \
    --encrypt-key "$WORK/key" -o "$WORK/d-big"
big=$(ls -S "$WORK/d-big" | head -1)
[ "$(stat -c %s "$WORK/d-big/$big")" -gt $((3 * 65552 + 32)) ] || fail "no chunk of three segments"
# cut_dump HOW: a copy of the dump with its biggest file cut or its segments swapped
cut_dump() {
    rm -rf "$WORK/bad"
    cp -a "$WORK/d-big" "$WORK/bad"
    python3 - "$WORK/bad/$big" "$1" <<'EOF'
import sys
p, how = sys.argv[1], sys.argv[2]
b = open(p, 'rb').read(); seg = 65536 + 16; h = 32
if how == 'boundary':
    b = b[:h + 2 * seg]                       # after segment 1, before its last one
elif how == 'inside':
    b = b[:h + seg + 1000]
else:                                          # segments 0 and 1 swapped, same size
    b = b[:h] + b[h + seg:h + 2 * seg] + b[h:h + seg] + b[h + 2 * seg:]
open(p, 'wb').write(b)
EOF
}
for how in boundary inside swap; do
    cut_dump "$how"
    expect_exit 1 "ends after segment|ends inside segment|does not authenticate|no size an encrypted|shorter than" \
        "$CSLOAD" --check --encrypt-key "$WORK/key" "$WORK/bad"
    expect_exit 1 "ends after segment|ends inside segment|does not authenticate|no size an encrypted|shorter than" \
        load_into tgt "$WORK/bad" --encrypt-key "$WORK/key"
    if [ "$how" = swap ]; then # same size: found when the chunk is read, which is rolled back
        table_hashes src cryptschema > "$WORK/h-src"
        table_hashes tgt cryptschema > "$WORK/h-tgt" 2>/dev/null || true
        cmp -s "$WORK/h-src" "$WORK/h-tgt" && fail "swap: the damaged chunk was loaded"
    else
        untouched "segment $how"
    fi
    reset_tgt
done

note "5: signed and encrypted, through a pipe"
"$CSDUMP" --gen-key "$WORK/keys" 2>/dev/null
set +e
"$CSDUMP" "${DUMPOPTS[@]}" --encrypt-key "$WORK/key" --sign-key "$WORK/keys/sign.pem" --archive - |
    "$CSLOAD" --no-defaults -S "$(sock tgt)" -u root --archive - --encrypt-key "$WORK/key" \
        --verify-key "$WORK/keys/sign.pub.pem" -q
rcs=("${PIPESTATUS[@]}")
set -e
[ "${rcs[0]}" = 0 ] && [ "${rcs[1]}" = 0 ] || fail "signed + encrypted pipe: ${rcs[*]}"
same_data src tgt cryptschema fx
reset_tgt

note "6: encrypted and signed into S3 (a prefix and an archive object) and back"
start_s3 bkt
dump_of src s3://bkt/enc "${S3[@]}" -B cryptschema,fx --chunk-rows 2000 -q \
    --encrypt-key "$WORK/key" --sign-key "$WORK/keys/sign.pem"
s3_keys bkt enc/ > "$WORK/s3.keys"
[ "$(wc -l < "$WORK/s3.keys")" -gt 10 ] || fail "too few objects: $(cat "$WORK/s3.keys")"
grep -Ev '^enc/([0-9a-f]{32}\.cse|manifest\.json)$' "$WORK/s3.keys" && fail "an object name is not opaque"
TRUST=(--encrypt-key "$WORK/key" --verify-key "$WORK/keys/sign.pub.pem")
"$CSLOAD" --no-defaults --check "${S3[@]}" "${TRUST[@]}" s3://bkt/enc 2> "$WORK/s3c.log" ||
    fail "--check s3:// encrypted: $(cat "$WORK/s3c.log")"
expect_exit 1 "$NOKEY" "$CSLOAD" --no-defaults --check "${S3[@]}" s3://bkt/enc
load_into tgt s3://bkt/enc "${S3[@]}" "${TRUST[@]}" -q || fail "load from s3:// encrypted"
same_data src tgt cryptschema fx
reset_tgt
"$CSDUMP" "${DUMPOPTS[@]}" "${S3[@]}" --encrypt-key "$WORK/key" --sign-key "$WORK/keys/sign.pem" \
    --archive s3://bkt/enc.tar
load_archive_into tgt s3://bkt/enc.tar "${S3[@]}" "${TRUST[@]}" -q || fail "load --archive s3://"
same_data src tgt cryptschema fx
note "ok"
