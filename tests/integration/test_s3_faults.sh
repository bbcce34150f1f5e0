#!/usr/bin/env bash
# S3, what must be shown 2 and 3.
# 2: through the fault proxy answering a share of the requests with 503
#    SlowDown, 500, connection resets and truncated bodies, csdump
#    --outdir s3:// and csload s3:// both succeed, the target equals the
#    source, and both logs show the retries; with the proxy answering 403
#    both fail at once (one request) with a message naming the bucket and
#    the prefix.
# 3: SIGTERM of csdump while a chunk is going up as a multipart upload:
#    csdump fails, no manifest.json is in the bucket and no multipart upload
#    is left open (s3cmd, an independent client, lists none).  The same for
#    csdump --archive s3://: its chunk files wait in memory, the archive
#    object is one multipart upload, aborted; no archive object appears.
. "$(dirname "$0")/lib.sh"
require_faults

start_s3 bkt
start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
sql_file src "$SRC/tests/data/fixture-types.sql"
make_big src 150000
SCHEMAS=(bank fx "odd db.名前")
FAST=(--s3-retries 12)

note "2: faults on a share of the requests"
s3_faults '{"share": 0.2, "kinds": ["503", "500", "reset", "truncate"]}'
dump_of src s3://bkt/f1 --threads 3 --chunk-rows 30000 --compress none "${S3[@]}" \
    --s3-part-size 5M "${FAST[@]}" 2> "$WORK/dump.log" || { cat "$WORK/dump.log" >&2; fail "csdump"; }
start_server t1
# the load's GETs get truncated bodies too (a truncation is only a GET's)
s3_faults '{"share": 0.2, "methods": ["GET"], "kinds": ["truncate", "503", "reset", "truncate", "500"]}'
load_into t1 s3://bkt/f1 --threads 3 "${S3[@]}" "${FAST[@]}" 2> "$WORK/load.log" ||
    { cat "$WORK/load.log" >&2; fail "csload"; }
s3_faults ""
same_data src t1 "${SCHEMAS[@]}"
grep -q "verified: every chunk matches the dump" "$WORK/load.log" || fail "not verified"
for log in dump load; do
    grep -Eq "s3://bkt/f1/.*(SlowDown|InternalError).*; retry" "$WORK/$log.log" ||
        fail "$log: no 5xx retry logged"
done
grep -Eq "reset by peer.*; retry" "$WORK/dump.log" "$WORK/load.log" || fail "no reset retried"
grep -Eq "bytes remaining to read.*; retry" "$WORK/load.log" || fail "no short body retried"
faulted=$(grep -c ' \(503\|500\|reset\|truncate\)$\| \(503\|500\|reset\|truncate\) bytes' "$WORK/s3/proxy/proxy.log" || true)
[ "$faulted" -ge 10 ] || fail "only $faulted faulty answers: the test proves little"
assert_eq "$(s3_open_uploads bkt)" 0 "open multipart uploads after a faulty dump"
# the secret is in no log and not in the manifest (nor on any command line)
"$CS_S3TOOL" get s3://bkt/f1/manifest.json > "$WORK/manifest.json"
export AWS_SECRET_ACCESS_KEY
! grep -l "$AWS_SECRET_ACCESS_KEY" "$WORK/dump.log" "$WORK/load.log" "$WORK/manifest.json" ||
    fail "the secret key is written down"

note "2: 403 from the store"
s3_faults '{"deny": true}'
n0=$(wc -l < "$WORK/s3/proxy/proxy.log")
rc=0; dump_of src s3://bkt/f2 "${S3[@]}" 2> "$WORK/deny-dump.log" || rc=$?
assert_eq "$rc" 1 "csdump against a 403"
grep -q "s3://bkt/f2/: ListObjectsV2 failed: HTTP 403 AccessDenied.*check the credentials" \
    "$WORK/deny-dump.log" || fail "csdump 403 message: $(cat "$WORK/deny-dump.log")"
rc=0; load_into t1 s3://bkt/f1 "${S3[@]}" 2> "$WORK/deny-load.log" || rc=$?
assert_eq "$rc" 1 "csload against a 403"
# its first request lists the prefix (sizes and ETags come from the
# listing), as csdump's does: the message names the bucket and the prefix
grep -Eq "s3://bkt/f1/: ListObjectsV2 failed: HTTP 403 AccessDenied.*check the credentials" \
    "$WORK/deny-load.log" || fail "csload 403 message: $(cat "$WORK/deny-load.log")"
assert_eq "$(($(wc -l < "$WORK/s3/proxy/proxy.log") - n0))" 2 "requests sent against a 403"
s3_faults ""

note "3: SIGTERM mid-upload"
CS_FAULT_POINTS="dump.rows=bank.big:pause@30" dump_bg src s3://bkt/f3 "$WORK/term.log" \
    --threads 2 --compress none "${S3[@]}" --s3-part-size 5M
pid=$CS_DUMP_PID
fault_wait dump.rows > /dev/null || { cat "$WORK/term.log" >&2; fail "bank.big never streamed"; }
open=$(s3_open_uploads bkt)
[ "$open" -ge 1 ] || fail "no multipart upload open when csdump was stopped"
kill -TERM "$pid"
fault_release dump.rows
rc=0; wait "$pid" || rc=$?
[ "$rc" -ne 0 ] || fail "SIGTERM: exit code 0"
grep -q "interrupted" "$WORK/term.log" || fail "no interruption message: $(cat "$WORK/term.log")"
keys=$(s3_keys bkt f3/) || fail "cannot list s3://bkt/f3/"
! grep -q manifest.json <<< "$keys" || fail "a manifest.json after SIGTERM"
assert_eq "$(s3_open_uploads bkt)" 0 "multipart uploads left open after SIGTERM"
grep -q "AbortMultipartUpload\|DELETE /bkt/f3/.*uploadId=.* 204" "$WORK/s3/proxy/proxy.log" ||
    fail "no upload was aborted"

note "3: SIGTERM mid-upload of an --archive s3://"
fault_reset
# 30 x 4096 rows of bank.big in 20000-row chunks: several chunks (~2 MB
# each) are in the archive, more than its first 5 MiB part
CS_FAULT_POINTS="dump.rows=bank.big:pause@30" "$CSDUMP" --no-defaults -S "$(sock src)" -u root \
    --archive s3://bkt/f3.tar --threads 2 --chunk-rows 20000 --compress none "${S3[@]}" \
    --s3-part-size 5M 2> "$WORK/term-arch.log" &
pid=$!
bg_track "$pid"
fault_wait dump.rows > /dev/null || { cat "$WORK/term-arch.log" >&2; fail "bank.big never streamed"; }
[ "$(s3_open_uploads bkt)" -ge 1 ] || fail "no multipart upload of the archive open when csdump was stopped"
kill -TERM "$pid"
fault_release dump.rows
rc=0; wait "$pid" || rc=$?
[ "$rc" -ne 0 ] || fail "SIGTERM of --archive s3://: exit code 0"
grep -q "interrupted" "$WORK/term-arch.log" || fail "no interruption message: $(cat "$WORK/term-arch.log")"
! s3_keys bkt f3.tar | grep -q . || fail "an archive object after SIGTERM"
assert_eq "$(s3_open_uploads bkt)" 0 "multipart uploads of the archive left open after SIGTERM"
grep -q "DELETE /bkt/f3.tar?uploadId=.* 204" "$WORK/s3/proxy/proxy.log" || fail "the archive's upload was not aborted"
echo ok
