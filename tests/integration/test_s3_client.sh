#!/usr/bin/env bash
# The S3 client (common/s3) against a real s3rver behind the fault proxy,
# driven by tests/tools/cs_s3: objects round-trip byte for byte (PUT, GET,
# ranged GET, HEAD, ListObjectsV2, DELETE); a multipart upload completes and
# another with 3 MB parts is refused with EntityTooSmall; with 503s, 500s,
# resets and truncated bodies on half of the requests every operation still
# gives the same bytes, the retries are logged and a truncated ranged read
# resumes at the byte it reached; a wrong secret or a proxy answering 403
# fails at once, naming the bucket and key.  Answers lost after the store
# acted (a Create, a Complete) leave no upload open and the object whole;
# a key with a /./ segment goes out as signed.
. "$(dirname "$0")/lib.sh"

start_s3 bkt
head -c 13000000 /dev/urandom > "$WORK/big"
echo hello > "$WORK/small"
T=$CS_S3TOOL

"$T" put s3://bkt/p/small "$WORK/small"
assert_eq "$("$T" get s3://bkt/p/small)" hello "GET"
assert_eq "$("$T" head s3://bkt/p/small)" 6 "HEAD size"
assert_eq "$("$T" range s3://bkt/p/small 1 3)" ell "ranged GET"
CS_S3_PART_SIZE=$((5 << 20)) "$T" mpu s3://bkt/p/big "$WORK/big"
"$T" get s3://bkt/p/big | cmp - "$WORK/big" || fail "multipart object differs"
s3c get s3://bkt/p/big "$WORK/big.s3cmd" > "$WORK/s3cmd.log" 2>&1 || { cat "$WORK/s3cmd.log" >&2; fail "s3cmd get"; }
cmp "$WORK/big.s3cmd" "$WORK/big" || fail "s3cmd reads another object"
assert_eq "$("$T" ls s3://bkt/p/ | awk '{print $2}' | tr '\n' ' ')" "p/big p/small " "listing"
assert_eq "$(s3_keys bkt p/ | tr '\n' ' ')" "p/big p/small " "listing (botocore)"
"$T" rm s3://bkt/p/small
rc=0; "$T" get s3://bkt/p/small 2> "$WORK/err" || rc=$?
assert_eq "$rc" 3 "GET after DELETE is a missing object"

note "the 5 MiB rule"
rc=0; CS_S3_PART_SIZE=3000000 "$T" mpu s3://bkt/p/small-parts "$WORK/big" 2> "$WORK/err" || rc=$?
[ "$rc" -ne 0 ] && grep -q EntityTooSmall "$WORK/err" || fail "3 MB parts were accepted"

note "faults on half of the requests"
s3_faults '{"share": 0.5, "kinds": ["503", "500", "reset", "truncate"]}'
for i in 1 2 3 4; do
    "$T" range s3://bkt/p/big 1000 5000000 2>> "$WORK/retries" |
        cmp - <(tail -c +1001 "$WORK/big" | head -c 5000000) || fail "ranged GET $i differs"
done
CS_S3_PART_SIZE=$((5 << 20)) "$T" mpu s3://bkt/p/big2 "$WORK/big" 2>> "$WORK/retries"
"$T" get s3://bkt/p/big2 2>> "$WORK/retries" | cmp - "$WORK/big" || fail "faulty multipart differs"
s3_faults ""
grep -q 'SlowDown.*retry' "$WORK/retries" || fail "no 503 retry logged"
grep -q 'reset by peer.*retry' "$WORK/retries" || fail "no reset retried"
grep -q 'bytes remaining to read.*retry' "$WORK/retries" || fail "no short body retried"
# a truncated ranged GET is asked again from the byte it reached, not from its start
awk '$5 == "truncate" && $6 ~ /^bytes=/ {print $1}' "$WORK/s3/proxy/proxy.log" | head -1 > "$WORK/tseq"
[ -s "$WORK/tseq" ] || fail "no ranged GET was truncated"
python3 - "$WORK/s3/proxy/proxy.log" "$(cat "$WORK/tseq")" <<'PY' || fail "the read did not resume"
import sys
lines = [l.split() for l in open(sys.argv[1])]
seq = int(sys.argv[2])
cut = next(l for l in lines if int(l[0]) == seq)
lo, hi = map(int, cut[5].split("=")[1].split("-"))
after = next(l for l in lines if int(l[0]) > seq and l[1] == "GET" and l[2] == cut[2] and len(l) > 5)
lo2, hi2 = map(int, after[5].split("=")[1].split("-"))
half = (hi - lo + 1) // 2
assert (lo2, hi2) == (lo + half, hi), (cut, after)
PY

note "answers lost after the store acted (each POST once)"
s3_faults '{"share": 1, "kinds": ["lost"], "methods": ["POST"]}'
CS_S3_PART_SIZE=$((5 << 20)) "$T" mpu s3://bkt/p/lost "$WORK/big" 2> "$WORK/lost.log" ||
    fail "multipart upload with lost answers: $(cat "$WORK/lost.log")"
s3_faults ""
grep -q 'POST /bkt/p/lost?uploads RST lost 200' "$WORK/s3/proxy/proxy.log" || fail "no Create was lost"
grep -q 'POST /bkt/p/lost?uploadId=.* RST lost 200' "$WORK/s3/proxy/proxy.log" ||
    fail "no Complete was lost"
grep -q 'DELETE /bkt/p/lost?uploadId=.* 204' "$WORK/s3/proxy/proxy.log" ||
    fail "the upload of the lost Create was not aborted"
open=$(s3c multipart s3://bkt) || fail "s3cmd multipart"
! grep -q 's3://bkt/p/lost' <<< "$open" || fail "an upload of p/lost is left open: $open"
"$T" get s3://bkt/p/lost | cmp - "$WORK/big" || fail "the object of a lost Complete differs"

note "keys with . segments are sent as signed"
"$T" put s3://bkt/q/./dot "$WORK/small" 2> "$WORK/err" || fail "PUT q/./dot: $(cat "$WORK/err")"
grep -q ' PUT /bkt/q/./dot 200' "$WORK/s3/proxy/proxy.log" || fail "the key's /./ was not sent as is"
assert_eq "$("$T" get s3://bkt/q/./dot)" hello "GET q/./dot"

note "settings from a profile, as AWS tools find them"
mkdir -p "$HOME/.aws"
printf '[default]\naws_access_key_id = nobody\naws_secret_access_key = wrong\n\n[ci]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n' \
    > "$HOME/.aws/credentials"
printf '[profile ci]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:%s\n' "$S3_PORT" > "$HOME/.aws/config"
got=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_ENDPOINT_URL -u AWS_REGION \
    AWS_PROFILE=ci "$T" get s3://bkt/p/big | cmp - "$WORK/big" && echo same)
assert_eq "$got" same "GET with profile ci's keys and endpoint"
rc=0; env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_ENDPOINT_URL \
    AWS_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" "$T" head s3://bkt/p/big > /dev/null 2> "$WORK/err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "403: check the credentials (from profile 'default'" "$WORK/err" ||
    fail "the default profile's wrong keys: $(cat "$WORK/err")"
rm -rf "$HOME/.aws"

note "permanent errors"
rc=0; AWS_SECRET_ACCESS_KEY=wrong "$T" get s3://bkt/p/big > /dev/null 2> "$WORK/err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "s3://bkt/p/big.*SignatureDoesNotMatch.*check the secret key" "$WORK/err" ||
    fail "wrong secret: $(cat "$WORK/err")"
s3_faults '{"deny": true}'
n0=$(wc -l < "$WORK/s3/proxy/proxy.log")
rc=0; "$T" put s3://bkt/p/x "$WORK/small" 2> "$WORK/err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "s3://bkt/p/x: PUT failed: HTTP 403 AccessDenied.*check the credentials" "$WORK/err" ||
    fail "403: $(cat "$WORK/err")"
assert_eq "$(($(wc -l < "$WORK/s3/proxy/proxy.log") - n0))" 1 "requests sent for a 403"
s3_faults ""
echo ok
