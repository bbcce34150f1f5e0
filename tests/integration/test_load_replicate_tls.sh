#!/usr/bin/env bash
# csload issue 8: replication across clouds over TLS.  The source serves TLS
# with a certificate from a CA made here (openssl); its replication account
# is REQUIRE SSL (MySQL: caching_sha2_password, which over TLS needs no
# GET_SOURCE_PUBLIC_KEY).  With a writer running: csload --replicate-from
# with a wrong CA fails, naming the CA, and leaves the replica stopped; the
# same command with the right CA completes it: the replica runs over TLS
# with the CA (SHOW REPLICA STATUS), catches up and ends equal.
# --replication-ssl-mode=verify-identity checks the host name too.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"

PW='Repl-pw-9'
export CSLOAD_REPLICATION_PASSWORD=$PW

# a CA, a server certificate for 127.0.0.1 signed by it, and another CA
CERTS=$WORK/certs
mkdir -p "$CERTS"
(
    cd "$CERTS"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=csload test CA" \
        -keyout ca-key.pem -out ca.pem
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" \
        -keyout wrong-key.pem -out wrong-ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
        -keyout server-key.pem -out server.csr
    printf 'subjectAltName=IP:127.0.0.1\n' > san.cnf
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
        -extfile san.cnf -out server-cert.pem
) > "$WORK/openssl.log" 2>&1 || { cat "$WORK/openssl.log" >&2; fail "openssl"; }

# copy_certs NAME FILE...: into the server's tmp (the server reads them there)
copy_certs() {
    local name=$1
    shift
    for f in "$@"; do cp "$CERTS/$f" "$WORK/$name/tmp/$f"; done
    chmod 0644 "$WORK/$name/tmp/"*.pem
}

# replica_field NAME FIELD: Master_FIELD / Source_FIELD of SHOW REPLICA STATUS
replica_field() {
    mariadb --defaults-file="$WORK/$1/client.cnf" -e "SHOW REPLICA STATUS\G" |
        sed -n "s/^ *\(Master\|Source\)_$2: //p"
}

start_server src --server-id 1
copy_certs src ca.pem server-cert.pem server-key.pem
stop_server src
in=$(server_tmp src)
restart_server src --extra "--ssl-ca=$in/ca.pem --ssl-cert=$in/server-cert.pem --ssl-key=$in/server-key.pem"
if [ "$KIND" = mysql ]; then
    auth="IDENTIFIED WITH caching_sha2_password BY '$PW'"
else
    auth="IDENTIFIED BY '$PW'"
fi
sql src "CREATE USER 'repl'@'127.0.0.1' $auth REQUIRE SSL;
         GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'127.0.0.1'"
sql_file src "$SRC/tests/data/fixture-bank.sql"

# the account takes TLS only, and the source's certificate is the CA's
if mariadb --no-defaults -h 127.0.0.1 -P "$(port src)" -u repl -p"$PW" --skip-ssl \
    -e "SELECT 1" >/dev/null 2>&1; then
    fail "the replication account connects without TLS"
fi
cipher=$(mariadb --no-defaults -h 127.0.0.1 -P "$(port src)" -u repl -p"$PW" \
    --ssl-ca="$CERTS/ca.pem" --ssl-verify-server-cert -N -B \
    -e "SHOW SESSION STATUS LIKE 'Ssl_cipher'" | cut -f2)
[ -n "$cipher" ] || fail "no TLS to the source with the CA"

start_writer src
dump_of src "$WORK/d" --threads 2 --chunk-rows 20000 -q

repl_load() {
    local name=$1 log=$2
    shift 2
    load_into "$name" "$WORK/d" --threads 2 --replicate-from "127.0.0.1:$(port src)" \
        --replication-user repl "$@" 2> "$log"
}

# --- a wrong CA: the setup fails naming it, the replica is left stopped
start_server t1 --server-id 2
copy_certs t1 ca.pem wrong-ca.pem
ca1=$(server_tmp t1)/ca.pem
wrong=$(server_tmp t1)/wrong-ca.pem
set +e
repl_load t1 "$WORK/wrong.log" --replication-ssl-ca "$wrong"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$WORK/wrong.log" >&2; fail "wrong CA: exit $rc, expected 1"; }
grep -q "verified: every chunk matches the dump" "$WORK/wrong.log" ||
    fail "wrong CA: the load itself should complete: $(cat "$WORK/wrong.log")"
grep "error:" "$WORK/wrong.log" | grep -q "cannot connect to 127.0.0.1:$(port src).*--replication-ssl-ca=$wrong" ||
    fail "wrong CA: the message does not name the CA: $(grep error: "$WORK/wrong.log")"
assert_eq "$(replica_field t1 SSL_CA_File)" "$wrong" "wrong CA: the replica's CA"
io=$(mariadb --defaults-file="$WORK/t1/client.cnf" -e "SHOW REPLICA STATUS\G" | sed -n 's/^ *\(Slave\|Replica\)_IO_Running: //p')
assert_eq "$io" No "wrong CA: the replica's I/O thread after the failure"
note "wrong CA refused: $(grep error: "$WORK/wrong.log" | head -c 300)"

# --- the same command with the right CA completes the setup
repl_load t1 "$WORK/right.log" --replication-ssl-ca "$ca1" ||
    { cat "$WORK/right.log" >&2; fail "right CA: csload failed"; }
grep -q "replication from 127.0.0.1:$(port src) started: the target's replica is connected over TLS, the source's certificate checked against $ca1" \
    "$WORK/right.log" || fail "right CA: not started over TLS: $(cat "$WORK/right.log")"
if [ "$KIND" = mysql ]; then opt=SOURCE_; else opt=MASTER_; fi
grep -q "${opt}SSL=1, ${opt}SSL_CA='$ca1', ${opt}SSL_VERIFY_SERVER_CERT=0" "$WORK/right.log" ||
    fail "right CA: the printed CHANGE statement lacks the TLS options: $(cat "$WORK/right.log")"
if grep -q "PUBLIC_KEY" "$WORK/right.log"; then
    fail "over TLS, no public key is needed or advised: $(cat "$WORK/right.log")"
fi
assert_eq "$(replica_field t1 SSL_Allowed)" Yes "right CA: SSL allowed"
assert_eq "$(replica_field t1 SSL_CA_File)" "$ca1" "right CA: the replica's CA"
assert_eq "$(replica_field t1 SSL_Verify_Server_Cert)" No "right CA: host name not verified (required)"

# --- verify-identity: the certificate's host name (IP 127.0.0.1) checked too
start_server t2 --server-id 3
copy_certs t2 ca.pem
ca2=$(server_tmp t2)/ca.pem
repl_load t2 "$WORK/ident.log" --replication-ssl-mode verify-identity --replication-ssl-ca "$ca2" ||
    { cat "$WORK/ident.log" >&2; fail "verify-identity: csload failed"; }
grep -q "checked against $ca2 and its host name" "$WORK/ident.log" ||
    fail "verify-identity: $(cat "$WORK/ident.log")"
assert_eq "$(replica_field t2 SSL_Verify_Server_Cert)" Yes "verify-identity: host name verified"

writer_goes_on src
stop_writer src
for t in t1 t2; do
    wait_caught_up "$t" src || fail "$t: the target does not catch up"
    replica_ok "$t" || fail "$t: replication error: $(sql "$t" "SHOW REPLICA STATUS" | head -c 2000)"
    same_data src "$t" bank
    assert_eq "$(replica_field "$t" SSL_Allowed)" Yes "$t: still over TLS"
done
note "both replicas caught up over TLS at $(gtid_pos src)"
echo ok
