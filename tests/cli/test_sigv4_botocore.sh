#!/usr/bin/env bash
# The SigV4 signer (common/sigv4.c, through tests/tools/cs_sigv4) against
# botocore (Debian's python3-botocore) signing the same S3 requests: object
# keys needing encoding, value-less (?uploads) and several query parameters,
# a session token, extra signed headers, a payload, two regions.
set -euo pipefail
SRC=${CS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${CS_BUILD_DIR:-$SRC/build}
TOOL=$BUILD/tests/cs_sigv4
PY=/usr/bin/python3  # Debian's python, which has python3-botocore
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$PY" -c "import botocore" 2>/dev/null || { echo "FAIL: python3-botocore is not installed (scripts/install-deps.sh)" >&2; exit 1; }
printf '' >"$WORK/empty"
head -c 70000 /dev/urandom >"$WORK/part"

boto() { # METHOD HOST PATH QUERY REGION TIME ACCESS SECRET TOKEN BODY [HEADER...]
    "$PY" - "$@" <<'PY'
import datetime, sys, urllib.parse
from unittest import mock
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
method, host, path, query, region, when, ak, sk, token, body = sys.argv[1:11]
extra = sys.argv[11:]
url = "http://" + host + urllib.parse.quote(path, safe="/-_.~")
if query != "-":
    parts = []
    for p in query.split("&"):
        k, eq, v = p.partition("=")
        parts.append(urllib.parse.quote(k, safe="-_.~") + ("=" + urllib.parse.quote(v, safe="-_.~") if eq else ""))
    url += "?" + "&".join(parts)
headers = {}
for h in extra:
    k, _, v = h.partition(":")
    headers[k.strip()] = v.strip()
data = open(body, "rb").read()
req = AWSRequest(method=method, url=url, data=data, headers=headers)
fixed = datetime.datetime.utcfromtimestamp(int(when))
class Frozen(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return fixed
with mock.patch.object(botocore.auth.datetime, "datetime", Frozen):
    botocore.auth.S3SigV4Auth(Credentials(ak, sk, None if token == "-" else token), "s3", region).add_auth(req)
print(req.headers["Authorization"])
PY
}

n=0
check() {
    local ours theirs
    ours=$("$TOOL" "$@")
    theirs=$(boto "$@")
    n=$((n + 1))
    [ "$ours" = "$theirs" ] || { echo "FAIL: case $n ($*):" >&2; echo "  ours:     $ours" >&2; echo "  botocore: $theirs" >&2; exit 1; }
}

T=1764590400
check GET 127.0.0.1:9000 /bkt/manifest.json - us-east-1 $T AKIA SECRET - "$WORK/empty"
check PUT 127.0.0.1:9000 "/bkt/pre fix/odd db.名前.we\`ird+t=1.00000.000.tsv.zst" - us-east-1 $T AKIA 'SE/CR+ET' - "$WORK/part"
check POST bkt.s3.eu-west-3.amazonaws.com /dump/big.tar uploads eu-west-3 $T AKIA SECRET - "$WORK/empty"
check PUT 127.0.0.1:9000 /bkt/k "partNumber=3&uploadId=2~abc/def+g" us-east-1 $T AKIA SECRET TOKEN123/xyz= "$WORK/part"
check GET 127.0.0.1:9000 /bkt "list-type=2&prefix=dump/&continuation-token=a b&max-keys=1000" us-east-1 $T AKIA SECRET - "$WORK/empty" "Range: bytes=0-99"
check DELETE 127.0.0.1:9000 /bkt/k "uploadId=xyz" us-east-1 $T AKIA SECRET - "$WORK/empty"
echo "ok: $n requests signed as botocore signs them"
