#!/usr/bin/env bash
# csload issue 8: replication across flavors is decided before the load.
# MariaDB 10.11 -> MySQL 9.7: with --replicate-from csload refuses before
# anything is loaded (no schema, no journal on the target); without it the
# load completes, verified, exits 0 and says why there is no replication.
# MySQL 9.7 -> MariaDB 11.8 with a caching_sha2_password REQUIRE SSL account
# (MySQL 9 has no mysql_native_password): with Connector/C's client plugins
# in the target's plugin_dir and TLS, the target replicates and ends equal;
# the advice printed is the one that holds for these versions.
# (Flavors are fixed here; the run's CS_TEST_FLAVOR does not matter.)
. "$(dirname "$0")/lib.sh"

PW='Repl-pw-7'
export CSLOAD_REPLICATION_PASSWORD=$PW
# where Debian's libmariadb3 keeps Connector/C's client plugins (MariaDB 11.8 root)
PLUGINS=/usr/lib/x86_64-linux-gnu/libmariadb3/plugin

ledger_rows() { sql "$1" "SELECT COUNT(*) FROM bank.ledger"; }
same_ledger() { [ "$(ledger_rows "$1")" = "$(ledger_rows "$2")" ]; }

# --- MariaDB -> MySQL
start_server mdb --flavor mariadb-10.11 --server-id 1
sql_file mdb "$SRC/tests/data/fixture-bank.sql"
dump_of mdb "$WORK/d-mdb" --threads 2 -q
start_server my --flavor mysql-9.7 --server-id 2
set +e
load_into my "$WORK/d-mdb" --threads 2 --replicate-from "127.0.0.1:$(port mdb)" \
    --replication-user root 2> "$WORK/refused.log"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$WORK/refused.log" >&2; fail "MariaDB -> MySQL --replicate-from: exit $rc, expected 1"; }
grep "error:" "$WORK/refused.log" | grep -q "a MySQL server cannot replicate from a MariaDB source.*nothing was loaded" ||
    fail "MariaDB -> MySQL: no refusal: $(cat "$WORK/refused.log")"
assert_eq "$(sql my "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('bank', '__csload')")" 0 \
    "MariaDB -> MySQL refused: schemas created on the target"

load_into my "$WORK/d-mdb" --threads 2 2> "$WORK/plain.log" ||
    { cat "$WORK/plain.log" >&2; fail "MariaDB -> MySQL without --replicate-from: csload failed"; }
grep -q "verified: every chunk matches the dump" "$WORK/plain.log" || fail "MariaDB -> MySQL: not verified"
grep -q "no replication setup for this target: a MySQL server cannot replicate from a MariaDB source" \
    "$WORK/plain.log" || fail "MariaDB -> MySQL: the reason is not said: $(cat "$WORK/plain.log")"
same_data mdb my bank
note "MariaDB -> MySQL: refused with --replicate-from, loaded (exit 0) without"

# --- MySQL -> MariaDB over TLS with caching_sha2_password
CERTS=$WORK/certs
mkdir -p "$CERTS"
(
    cd "$CERTS"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=csload test CA" \
        -keyout ca-key.pem -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr
    printf 'subjectAltName=IP:127.0.0.1\n' > san.cnf
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
        -extfile san.cnf -out server-cert.pem
) > "$WORK/openssl.log" 2>&1 || { cat "$WORK/openssl.log" >&2; fail "openssl"; }
cp "$CERTS/ca.pem" "$CERTS/server-cert.pem" "$CERTS/server-key.pem" "$WORK/my/tmp/"
chmod 0644 "$WORK/my/tmp/"*.pem
stop_server my
in=$(server_tmp my)
restart_server my --extra "--ssl-ca=$in/ca.pem --ssl-cert=$in/server-cert.pem --ssl-key=$in/server-key.pem"
sql my "DROP DATABASE bank; DROP DATABASE __csload"
sql_file my "$SRC/tests/data/fixture-bank.sql"
sql my "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED WITH caching_sha2_password BY '$PW' REQUIRE SSL;
        GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'127.0.0.1'"

start_writer my
dump_of my "$WORK/d-my" --threads 2 -q
start_server m11 --flavor mariadb-11.8 --server-id 3
stop_server m11
restart_server m11 --extra "--plugin-dir=$PLUGINS"
cp "$CERTS/ca.pem" "$WORK/m11/tmp/"
chmod 0644 "$WORK/m11/tmp/ca.pem"
load_into m11 "$WORK/d-my" --threads 2 --replicate-from "127.0.0.1:$(port my)" \
    --replication-user repl --replication-ssl-ca "$(server_tmp m11)/ca.pem" 2> "$WORK/cross.log" ||
    { cat "$WORK/cross.log" >&2; fail "MySQL -> MariaDB: csload failed"; }
grep -q "replication from 127.0.0.1:$(port my) started: the target's replica is connected over TLS" \
    "$WORK/cross.log" || fail "MySQL -> MariaDB: not started: $(cat "$WORK/cross.log")"
grep -q "MASTER_LOG_FILE=.*MASTER_USE_GTID=no" "$WORK/cross.log" ||
    fail "MySQL -> MariaDB: not by file/position: $(cat "$WORK/cross.log")"
# the advice for MySQL 9.7: caching_sha2_password through the plugin, not mysql_native_password
grep -q "has no mysql_native_password.*caching_sha2_password.so" "$WORK/cross.log" ||
    fail "MySQL -> MariaDB: the advice for MySQL 9: $(grep note: "$WORK/cross.log")"
if grep -q "use a mysql_native_password replication user" "$WORK/cross.log"; then
    fail "MySQL -> MariaDB: advice that MySQL 9 cannot follow: $(grep note: "$WORK/cross.log")"
fi
writer_goes_on my
stop_writer my
wait_for same_ledger my m11 || CS_WAIT_TRIES=1800 wait_for same_ledger my m11 ||
    fail "MySQL -> MariaDB: the target does not catch up ($(ledger_rows m11) of $(ledger_rows my) transfers)"
replica_ok m11 || fail "MySQL -> MariaDB: replication error: $(sql m11 "SHOW REPLICA STATUS" | head -c 2000)"
same_data my m11 bank
note "MySQL 9.7 -> MariaDB 11.8: replicated over TLS with caching_sha2_password, $(ledger_rows m11) transfers"
echo ok
