#!/usr/bin/env bash
# S3 over TLS: a second fault proxy in front of the same s3rver speaks HTTPS
# with a certificate from a CA made here (openssl, IP SAN 127.0.0.1).
# csdump --outdir s3:// and csload s3:// with --s3-endpoint https://... and
# --s3-ca CA work and load equal data; without --s3-ca (the system's CAs do
# not know ours) and with another CA both tools fail at once with exit 1,
# saying to check the store's certificate or give --s3-ca.
. "$(dirname "$0")/lib.sh"

start_s3 bkt
start_server src
start_server dst
sql_file src "$SRC/tests/data/fixture-bank.sql"

(
    cd "$WORK"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=csdump test CA" \
        -keyout ca-key.pem -out ca.pem
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" \
        -keyout other-key.pem -out other.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout s3-key.pem -out s3.csr
    printf 'subjectAltName=IP:127.0.0.1\n' > san.ext
    openssl x509 -req -in s3.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
        -extfile san.ext -out s3-cert.pem
) > "$WORK/openssl.log" 2>&1 || { cat "$WORK/openssl.log" >&2; fail "openssl"; }

mkdir -p "$WORK/tls-proxy"
tport=$(free_port)
python3 "$SRC/tests/tools/s3proxy.py" --port "$tport" --upstream "127.0.0.1:$S3_DIRECT_PORT" \
    --state "$WORK/tls-proxy" --tls-cert "$WORK/s3-cert.pem" --tls-key "$WORK/s3-key.pem" \
    > "$WORK/tls-proxy.out" 2>&1 &
bg_track $!
CS_WAIT_TRIES=100 wait_for port_open "$tport" || fail "the TLS proxy did not start"
TLS=(--s3-path-style --s3-endpoint "https://127.0.0.1:$tport")

note "with --s3-ca: dump and load over HTTPS"
dump_of src s3://bkt/tls --databases bank "${TLS[@]}" --s3-ca "$WORK/ca.pem" -q ||
    fail "csdump over TLS with --s3-ca"
[ "$(grep -c ' PUT ' "$WORK/tls-proxy/proxy.log")" -gt 0 ] || fail "nothing went through the TLS proxy"
"$CSLOAD" --no-defaults -S "$(sock dst)" -u root "${TLS[@]}" --s3-ca "$WORK/ca.pem" -q \
    s3://bkt/tls || fail "csload over TLS with --s3-ca"
same_data src dst bank

note "without --s3-ca, and with another CA: refused at once"
for ca in "" "$WORK/other.pem"; do
    args=("${TLS[@]}")
    [ -n "$ca" ] && args+=(--s3-ca "$ca")
    expect_exit 1 "check the store's TLS certificate, or give its CA with --s3-ca FILE" \
        "$CSLOAD" --no-defaults --check "${args[@]}" s3://bkt/tls
    expect_exit 1 "check the store's TLS certificate, or give its CA with --s3-ca FILE" \
        "$CSDUMP" --no-defaults -S "$(sock src)" -u root --databases bank \
        --outdir s3://bkt/tls-bad "${args[@]}" -q
done
left=$(s3_keys bkt tls-bad/) || fail "cannot list s3://bkt/tls-bad/"
[ -z "$left" ] || fail "a refused dump left objects: $left"
echo ok
