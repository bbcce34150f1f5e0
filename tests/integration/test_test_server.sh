#!/usr/bin/env bash
# The throwaway server of scripts/test-server.sh: settings the other
# integration tests rely on, socket and TCP login, stop by PID, restart of
# the same datadir on the same port.
# flavors: mariadb-11.8 mysql-9.7
set -euo pipefail

SRC=${CS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TS="$SRC/scripts/test-server.sh"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/cs-tts.XXXXXX")

cleanup() {
    # stops only the server this test started (by the PID in DIR/mysqld.pid)
    bash "$TS" remove "$DIR" >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# gone = no such process, or a zombie not yet reaped
pid_gone() {
    local state
    [ -e "/proc/$1" ] || return 0
    state=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 0
    [ "$state" = Z ]
}

q() {
    mariadb --defaults-file="$DIR/client.cnf" -N -B -e "$1"
}

expect() {
    local what=$1 want=$2 got
    got=$(q "SELECT $what")
    [ "$got" = "$want" ] || fail "$what: want '$want', got '$got'"
}

FLAVOR=${CS_TEST_FLAVOR:-mariadb-10.11}
bash "$TS" start "$DIR" --server-id 4242 --flavor "$FLAVOR"
eval "$(bash "$TS" env "$DIR")"
[ "$CS_TEST_FLAVOR" = "$FLAVOR" ] || fail "env says flavor '$CS_TEST_FLAVOR', want $FLAVOR"
# the paths as the server sees them (inside its root for a root flavor)
inside=$DIR
[ -L "$DIR/data" ] && inside=$(dirname "$(readlink "$DIR/data")" | sed 's|.*/srv/|/srv/|')
[ -S "$CS_TEST_SOCK" ] || fail "no socket at $CS_TEST_SOCK"
[ -n "$CS_TEST_PID" ] || fail "env printed no PID"
[ "$CS_TEST_PID" = "$(cat "$DIR/mysqld.pid")" ] || fail "CS_TEST_PID differs from the pid file"
[ "$CS_TEST_PORT" = "$(cat "$DIR/port")" ] || fail "CS_TEST_PORT differs from DIR/port"
port=$CS_TEST_PORT
pid=$CS_TEST_PID

expect @@log_bin 1
expect @@binlog_format ROW
expect @@server_id 4242
case "$FLAVOR" in
mysql-*)
    expect @@gtid_mode ON
    expect @@enforce_gtid_consistency ON
    expect @@log_replica_updates 1
    expect "VERSION() LIKE '9.7.%'" 1
    ;;
*)
    expect @@gtid_domain_id 0
    expect @@log_slave_updates 1
    expect @@gtid_strict_mode 0
    expect @@innodb_log_file_size $((256 * 1024 * 1024))
    case "$FLAVOR" in
    mariadb-11.8) expect "VERSION() LIKE '11.8.%'" 1 ;;
    *) expect "VERSION() LIKE '10.11.%'" 1 ;;
    esac
    ;;
esac
expect @@local_infile 1
expect @@skip_name_resolve 1
expect @@bind_address 127.0.0.1
expect @@port "$port"
expect @@max_allowed_packet $((256 * 1024 * 1024))
expect @@innodb_buffer_pool_size $((256 * 1024 * 1024))
expect "@@log_bin_basename = '$inside/binlog/mysql-bin'" 1
expect "@@datadir = '$inside/data/'" 1
expect "COUNT(*) FROM information_schema.schemata WHERE schema_name = 'test'" 0

# TCP on 127.0.0.1 as root without a password, no option file at all
got=$(mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$port" -u root -N -B \
    -e "SELECT CURRENT_USER()")
[ "$got" = "root@127.0.0.1" ] || fail "TCP login: got '$got'"

# writes reach the binlog with a GTID in domain 0
if [ "${FLAVOR%%-*}" = mysql ]; then gtidvar=@@gtid_executed; else gtidvar=@@gtid_binlog_pos; fi
expect "$gtidvar = ''" 1
q "CREATE DATABASE tts; CREATE TABLE tts.t (id INT PRIMARY KEY); INSERT INTO tts.t VALUES (1)"
gtid=$(q "SELECT $gtidvar")
case "$FLAVOR:$gtid" in
mysql-*:*-*-*-*-*:1-3) ;;
mariadb-*:0-4242-*) ;;
*) fail "gtid position '$gtid' is not the three writes of server 4242" ;;
esac
# the flavor's own client and binlog reader
[ "$("$CS_TEST_CLIENT" -N -B -e "SELECT COUNT(*) FROM tts.t")" = 1 ] || fail "DIR/bin/mysql does not reach the server"
# (grep reads it all: grep -q would stop the reader with SIGPIPE, which pipefail counts)
"$CS_TEST_BINLOG" -v "$(q "SHOW BINARY LOGS" | tail -n 1 | cut -f1)" | grep "INSERT INTO \`\?tts\`\?\.\`\?t\b" >/dev/null ||
    fail "DIR/bin/binlog does not show the insert"

# stop: the PID goes away, the pid file too
bash "$TS" stop "$DIR"
for _ in $(seq 1 50); do pid_gone "$pid" && break; sleep 0.1; done
pid_gone "$pid" || fail "pid $pid still alive after stop"
[ ! -e "$DIR/mysqld.pid" ] || fail "pid file left behind"
if mariadb-admin --defaults-file="$DIR/client.cnf" --connect-timeout=2 ping >/dev/null 2>&1; then
    fail "server still answers after stop"
fi
eval "$(bash "$TS" env "$DIR")"
[ -z "$CS_TEST_PID" ] || fail "env reports pid '$CS_TEST_PID' for a stopped server"

# restart the same DIR: same port, data kept, binlog continues
bash "$TS" start "$DIR"
eval "$(bash "$TS" env "$DIR")"
[ "$CS_TEST_PORT" = "$port" ] || fail "restart changed the port ($port -> $CS_TEST_PORT)"
[ "$CS_TEST_PID" != "$pid" ] || fail "restart kept the old pid"
expect "COUNT(*) FROM tts.t" 1
expect @@server_id 4242
expect "$gtidvar = '$gtid'" 1

# a crash (SIGKILL) leaves a stale pid file; start recovers the same DIR
pid=$CS_TEST_PID
kill -KILL "$pid"
for _ in $(seq 1 50); do pid_gone "$pid" && break; sleep 0.1; done
bash "$TS" start "$DIR"
eval "$(bash "$TS" env "$DIR")"
if [ -z "$CS_TEST_PID" ] || [ "$CS_TEST_PID" = "$pid" ]; then
    fail "no new server after crash"
fi
expect "COUNT(*) FROM tts.t" 1

pid=$CS_TEST_PID
bash "$TS" stop "$DIR"
for _ in $(seq 1 50); do pid_gone "$pid" && break; sleep 0.1; done
pid_gone "$pid" || fail "pid $pid still alive after the second stop"
echo "ok"
