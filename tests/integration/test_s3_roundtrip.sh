#!/usr/bin/env bash
# S3, what must be shown 1: with the bank writer running on the source,
# csdump --outdir s3://BUCKET/PREFIX (parts of 5 MiB, several in flight),
# then csload s3://BUCKET/PREFIX --replicate-from the source into a fresh
# target; after the writer stops and the target has caught up, every table
# equals the source and replication reports no error.  The same through
# csdump --archive s3://BUCKET/KEY and csload --archive s3://BUCKET/KEY.
# csload --check s3://... passes on the dump, and fails on a copy with one
# object removed and on one with an object altered; a prefix without
# manifest.json is refused as an incomplete dump.  No multipart upload is
# left open (s3cmd), and the chunk files were multipart uploads.  A
# "folder" object PREFIX/ and a key in a deeper "folder" neither make the
# prefix non-empty for csdump nor count as files for csload --check.
. "$(dirname "$0")/lib.sh"

start_s3 bkt
start_server src --server-id 1
sql_file src "$SRC/tests/data/fixture-bank.sql"
sql_file src "$SRC/tests/data/fixture-types.sql"
make_big src 150000
SCHEMAS=(bank fx "odd db.名前")
n=2

load_and_replicate() { # TARGET LOG csload-input...
    local t=$1 log=$2
    shift 2
    start_server "$t" --server-id "$n"
    n=$((n + 1))
    "$CSLOAD" --no-defaults -S "$(sock "$t")" -u root --threads 3 "${S3[@]}" \
        --replicate-from "127.0.0.1:$(port src)" --replication-user root "$@" 2> "$log" ||
        { cat "$log" >&2; fail "$t: csload failed"; }
    grep -q "verified: every chunk matches the dump" "$log" || fail "$t: not verified"
    grep -q "replication from 127.0.0.1:$(port src) started" "$log" || fail "$t: no replication"
}

note "--outdir s3://"
# an S3 console's "folder" object and a deeper "folder" are no dump's files:
# csdump takes the prefix as empty, csload --check does not see them
: > "$WORK/empty"
"$CS_S3TOOL" put s3://bkt/dumps/one/ "$WORK/empty"
"$CS_S3TOOL" put s3://bkt/dumps/one/notes/readme "$WORK/empty"
start_writer src
dump_of src s3://bkt/dumps/one --threads 3 --chunk-rows 40000 --compress none \
    "${S3[@]}" --s3-part-size 5M 2> "$WORK/dump.log" || { cat "$WORK/dump.log" >&2; fail "csdump"; }
grep -q 'partNumber=2&' "$WORK/s3/proxy/proxy.log" || fail "no chunk went up in several parts"
keys=$(s3_keys bkt dumps/one/) || fail "cannot list s3://bkt/dumps/one/"
grep -v '/$\|/notes/' <<< "$keys" > "$WORK/keys"
grep -qx 'dumps/one/manifest.json' "$WORK/keys" || fail "no manifest object"
load_and_replicate t1 "$WORK/load1.log" s3://bkt/dumps/one

note "--archive s3://"
"$CSDUMP" --no-defaults -S "$(sock src)" -u root --threads 2 --archive s3://bkt/arch/one.tar \
    "${S3[@]}" --s3-part-size 5M -q || fail "csdump --archive s3://"
"$CSLOAD" --check --archive s3://bkt/arch/one.tar "${S3[@]}" || fail "--check --archive s3://"
load_and_replicate t2 "$WORK/load2.log" --archive s3://bkt/arch/one.tar
writer_goes_on src
stop_writer src
for t in t1 t2; do
    wait_caught_up "$t" src || fail "$t does not catch up"
    replica_ok "$t" || fail "$t: replication error"
    same_data src "$t" "${SCHEMAS[@]}"
done
assert_eq "$(s3_open_uploads bkt)" 0 "open multipart uploads"

note "--check s3://"
"$CSLOAD" --check s3://bkt/dumps/one "${S3[@]}" 2> "$WORK/check.log" ||
    { cat "$WORK/check.log" >&2; fail "--check of a good dump"; }
# copies of the prefix through s3cmd: one with an object removed, one with
# an object altered, one without manifest.json
victim=$(grep -m1 'bank.big.*tsv$' "$WORK/keys")
victim=${victim#dumps/one/}
mkdir "$WORK/copy" "$WORK/alt"
s3c get $(sed 's|^|s3://bkt/|' "$WORK/keys") "$WORK/copy/" > /dev/null
(cd "$WORK/copy" && s3c put $(ls | grep -vx "$victim") s3://bkt/dumps/removed/ > /dev/null &&
    s3c put $(ls | grep -vx manifest.json) s3://bkt/dumps/partial/ > /dev/null &&
    cp ./* "$WORK/alt/")
printf 'X' | dd of="$WORK/alt/$victim" bs=1 seek=100 conv=notrunc 2> /dev/null
(cd "$WORK/alt" && s3c put ./* s3://bkt/dumps/altered/ > /dev/null)
rc=0; "$CSLOAD" --check s3://bkt/dumps/removed "${S3[@]}" 2> "$WORK/check-rm.log" || rc=$?
assert_eq "$rc" 1 "--check with an object removed"
grep -q "$victim" "$WORK/check-rm.log" || fail "the missing object is not named"
rc=0; "$CSLOAD" --check s3://bkt/dumps/altered "${S3[@]}" 2> "$WORK/check-alt.log" || rc=$?
assert_eq "$rc" 1 "--check with an object altered"
grep -q "$victim" "$WORK/check-alt.log" || fail "the altered object is not named"

note "a prefix without manifest.json"
start_server t3 --server-id 9
rc=0; "$CSLOAD" --no-defaults -S "$(sock t3)" -u root "${S3[@]}" s3://bkt/dumps/partial \
    2> "$WORK/partial.log" || rc=$?
assert_eq "$rc" 1 "loading a prefix without a manifest"
grep -q "no manifest.json under the prefix: the dump is incomplete" "$WORK/partial.log" ||
    fail "not said to be incomplete: $(cat "$WORK/partial.log")"
echo ok
