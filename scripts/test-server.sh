#!/usr/bin/env bash
# test-server.sh - a throwaway MariaDB or MySQL server for integration tests.
#
# Usage:
#   scripts/test-server.sh start DIR [--flavor F] [--port N] [--server-id N] [--extra "mysqld options"]
#   scripts/test-server.sh stop DIR
#   scripts/test-server.sh remove DIR     # stop, then delete the server's files
#   scripts/test-server.sh env DIR        # prints CS_TEST_* assignments for eval
#
# --flavor (default: $CS_TEST_FLAVOR, else mariadb-10.11):
#   mariadb-10.11  the host's MariaDB (Debian 12 mariadb-server)
#   mariadb-11.8   MariaDB from a Debian trixie root  } scripts/server-root.sh
#   mysql-9.7      MySQL from a Debian sid root       } makes and caches them
# A root flavor runs its server with chroot; its files live in
# ROOT/srv/ID (ID from DIR's path) and DIR holds symlinks to them, so every
# path below is the same for every flavor.  The flavor is fixed at the first
# start of DIR (DIR/flavor).  Every flavor gets a binary log in ROW format
# with GTIDs (MySQL: gtid_mode=ON, enforce_gtid_consistency=ON), local_infile,
# root without password on the socket and from 127.0.0.1 over TCP.
#
# Everything lives under DIR (created if needed):
#   DIR/my.cnf        server options (the server runs with --defaults-file=DIR/my.cnf,
#                     so no system or user option file is read)
#   DIR/client.cnf    [client] socket, port, user=root: mariadb --defaults-file=DIR/client.cnf
#   DIR/data/         datadir (mariadb-install-db, root without password)
#   DIR/binlog/       binary logs (ROW, GTID domain 0)
#   DIR/mysql.sock    unix socket;  DIR/port  the TCP port on 127.0.0.1
#   DIR/mysqld.pid    server PID;   DIR/error.log  the server's error log
#   DIR/bin/mysql     the flavor's own command-line client (mysql / mariadb)
#   DIR/bin/binlog    the flavor's binlog reader (mysqlbinlog / mariadb-binlog), run
#                     in DIR/binlog: pass binlog file names, not paths
#
# start returns once the server accepts connections (exit non-zero with the
# error log tail otherwise).  Starting a DIR that already holds data starts
# the same server again (same port, same server_id): for crash/restart tests.
# --extra options apply to this start only.
# stop sends SIGTERM to the PID in DIR/mysqld.pid only (after checking that
# the process is the server of DIR), waits up to 60 s, then SIGKILLs that PID.
# Nothing is ever stopped by name.
set -euo pipefail

PROG=test-server.sh
START_TIMEOUT=${CS_TEST_START_TIMEOUT:-60}
STOP_TIMEOUT=${CS_TEST_STOP_TIMEOUT:-60}

die() {
    echo "$PROG: $*" >&2
    exit 1
}

usage() {
    sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

find_bin() {
    local name
    for name in "$@"; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
        if [ -x "/usr/sbin/$name" ]; then
            echo "/usr/sbin/$name"
            return 0
        fi
    done
    return 1
}

# Is TCP port $1 free on 127.0.0.1?  (bind test; no SO_REUSEADDR)
port_free() {
    python3 - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

# A free port below the usual ephemeral range (32768-60999), so outgoing
# connections do not take it between our check and the server's bind.
pick_port() {
    local _ port
    for _ in $(seq 1 200); do
        port=$((10000 + (RANDOM * 32768 + RANDOM) % 20000))
        if port_free "$port"; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Where the server's files are: SRV as seen from here, SRV_IN as the server
# sees them (the same for the host flavor), RUN the command prefix that puts
# a program into the flavor's root (empty for the host flavor).
set_layout() {
    case "$FLAVOR" in
    mariadb-10.11)
        ROOT="" SRV=$DIR SRV_IN=$DIR RUN=()
        ;;
    mariadb-11.8 | mysql-9.7)
        ROOT=$(bash "$(dirname "$0")/server-root.sh" path "$FLAVOR") ||
            die "no $FLAVOR root (scripts/server-root.sh ensure $FLAVOR)"
        local id
        id=$(printf '%s' "$DIR" | sha1sum | cut -c1-12)
        SRV_IN=/srv/$id SRV=$ROOT/srv/$id RUN=(chroot "$ROOT")
        ;;
    *) die "unknown flavor '$FLAVOR' (mariadb-10.11, mariadb-11.8, mysql-9.7)" ;;
    esac
    case "$FLAVOR" in
    mysql-*) KIND=mysql ;;
    *) KIND=mariadb ;;
    esac
}

# DIR's entries that point into the root, for a root flavor
# A server's files in DIR: links into the root's srv/ for a root flavor
LAYOUT="my.cnf data binlog tmp mysql.sock mysqld.pid error.log mysqld.out"

link_layout() {
    local f
    [ -n "$ROOT" ] || return 0
    mkdir -p "$SRV/binlog" "$SRV/tmp"
    echo "$DIR" >"$SRV/owner"
    for f in $LAYOUT; do
        ln -sfn "$SRV/$f" "$DIR/$f"
    done
}

# Remove the state of root servers whose DIR is gone and that do not run.
collect_orphans() {
    local s owner pid
    [ -n "$ROOT" ] || return 0
    for s in "$ROOT"/srv/*/; do
        [ -f "$s/owner" ] || continue
        owner=$(cat "$s/owner")
        [ -d "$owner" ] && continue
        pid=$(tr -dc '0-9' <"$s/mysqld.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && pid_alive "$pid" &&
            [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT" ]; then
            continue
        fi
        rm -rf "$s"
    done
}

# Print the PID of DIR's server if it is running, else nothing (status 1).
# A PID only counts when its command line names DIR's my.cnf (and, for a
# root flavor, it runs in that root): a stale pid file whose PID was reused
# by another process must never be signalled.
server_pid() {
    local pid state
    [ -s "$DIR/mysqld.pid" ] || return 1
    pid=$(tr -dc '0-9' <"$DIR/mysqld.pid")
    [ -n "$pid" ] || return 1
    pid_is_ours "$pid" || return 1
    state=$(sed 's/.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ "$state" != Z ] || return 1
    echo "$pid"
}

pid_is_ours() {
    local cmdline
    [ -r "/proc/$1/cmdline" ] || return 1
    cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
    case "$cmdline" in
    *"--defaults-file=$SRV_IN/my.cnf"*) ;;
    *) return 1 ;;
    esac
    [ -z "$ROOT" ] || [ "$(readlink "/proc/$1/root" 2>/dev/null)" = "$ROOT" ]
}

pid_alive() {
    local state
    [ -e "/proc/$1" ] || return 1
    state=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ "$state" != Z ]
}

server_options() {
    cat <<EOF
user=root
datadir=$SRV_IN/data
socket=$SRV_IN/mysql.sock
port=$PORT
bind-address=127.0.0.1
pid-file=$SRV_IN/mysqld.pid
log-error=$SRV_IN/error.log
tmpdir=$SRV_IN/tmp
log-bin=$SRV_IN/binlog/mysql-bin
server_id=$SERVER_ID
innodb_buffer_pool_size=256M
skip-name-resolve
local_infile=1
max_allowed_packet=256M
EOF
    if [ "$KIND" = mysql ]; then
        cat <<EOF
gtid_mode=ON
enforce_gtid_consistency=ON
log_replica_updates=ON
innodb_redo_log_capacity=256M
secure_file_priv=""
mysqlx=OFF
EOF
    else
        cat <<EOF
binlog_format=ROW
gtid_domain_id=0
log_slave_updates=1
gtid_strict_mode=0
innodb_log_file_size=256M
EOF
    fi
}

write_my_cnf() {
    {
        echo "# generated by scripts/test-server.sh; rewritten on every start"
        echo "[mysqld]"
        server_options
    } >"$SRV/my.cnf.tmp"
    mv "$SRV/my.cnf.tmp" "$SRV/my.cnf"
    cat >"$DIR/client.cnf.tmp" <<EOF
# generated by scripts/test-server.sh
[client]
socket=$DIR/mysql.sock
port=$PORT
user=root
EOF
    mv "$DIR/client.cnf.tmp" "$DIR/client.cnf"
    # the same, as the flavor's own tools see it inside the root
    sed "s|^socket=.*|socket=$SRV_IN/mysql.sock|" "$DIR/client.cnf" >"$SRV/client-in.cnf"
    write_tools
}

# DIR/bin/mysql and DIR/bin/binlog: the flavor's own client and binlog reader
write_tools() {
    local client binlog prefix=""
    if [ "$KIND" = mysql ]; then client=mysql binlog=mysqlbinlog; else client=mariadb binlog=mariadb-binlog; fi
    # TMPDIR (a test's work directory) does not exist inside the root
    [ -n "$ROOT" ] && prefix="env -u TMPDIR chroot $(printf '%q' "$ROOT") "
    mkdir -p "$DIR/bin"
    cat >"$DIR/bin/mysql" <<EOF
#!/bin/sh
# generated by scripts/test-server.sh: the $FLAVOR client for this server
exec ${prefix}$client --defaults-file=$SRV_IN/client-in.cnf "\$@"
EOF
    if [ -n "$ROOT" ]; then
        cat >"$DIR/bin/binlog" <<EOF
#!/bin/sh
# generated by scripts/test-server.sh: the $FLAVOR binlog reader, run in the binlog directory
exec env -u TMPDIR chroot $(printf '%q' "$ROOT") /bin/sh -c 'cd "\$0" && exec $binlog "\$@"' $SRV_IN/binlog "\$@"
EOF
    else
        cat >"$DIR/bin/binlog" <<EOF
#!/bin/sh
# generated by scripts/test-server.sh: the $FLAVOR binlog reader, run in the binlog directory
cd $(printf '%q' "$DIR/binlog") && exec $binlog "\$@"
EOF
    fi
    chmod 0755 "$DIR/bin/mysql" "$DIR/bin/binlog"
}

init_datadir() {
    local log="$SRV/install-db.log"
    rm -rf "$SRV/data"
    if [ "$KIND" = mysql ]; then
        # --initialize makes the datadir itself
        if ! "${RUN[@]}" /usr/sbin/mysqld --defaults-file="$SRV_IN/my.cnf" --initialize-insecure \
            --user=root >"$log" 2>&1; then
            tail -n 40 "$log" "$SRV/error.log" >&2 || true
            die "mysqld --initialize-insecure failed for $DIR (log: $SRV/error.log)"
        fi
        return 0
    fi
    mkdir -p "$SRV/data"
    # --defaults-file must come first; bootstrap writes no binlog.
    if ! "${RUN[@]}" "$INSTALL_DB" --defaults-file="$SRV_IN/my.cnf" --datadir="$SRV_IN/data" \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
        --user=root >"$log" 2>&1; then
        tail -n 40 "$log" >&2 || true
        die "mariadb-install-db failed for $DIR/data (log: $log)"
    fi
}

fail_start() {
    local pid=$1
    shift
    echo "$PROG: $*" >&2
    if [ -f "$DIR/error.log" ]; then
        echo "---- tail of $DIR/error.log ----" >&2
        tail -n 40 "$DIR/error.log" >&2 || true
        echo "--------------------------------" >&2
    fi
    if [ -n "$pid" ] && pid_alive "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    exit 1
}

# Launch the server; print its PID.  Detached from our stdout/stderr so a
# caller reading our output (ctest, $(...)) is not held open by the server.
# chroot execs the server, so the PID is the server's own.
launch() {
    local -a extra=()
    [ -n "$EXTRA" ] && read -r -a extra <<<"$EXTRA"
    "${RUN[@]}" "$MYSQLD" --defaults-file="$SRV_IN/my.cnf" "${extra[@]}" \
        </dev/null >>"$SRV/mysqld.out" 2>&1 &
    echo $!
}

# Wait until the server answers a query over the socket.
# 0 = up, 1 = process died, 2 = timeout
wait_up() {
    local pid=$1 deadline=$((SECONDS + START_TIMEOUT))
    while [ "$SECONDS" -lt "$deadline" ]; do
        # up = answers a query and has written its pid file (stop relies on it)
        if [ -s "$DIR/mysqld.pid" ] &&
            "$CLIENT" --defaults-file="$DIR/client.cnf" --connect-timeout=2 \
                -N -B -e "SELECT 1" >/dev/null 2>&1; then
            return 0
        fi
        pid_alive "$pid" || return 1
        sleep 0.2
    done
    return 2
}

# After the first start: root from 127.0.0.1 over TCP (skip-name-resolve:
# 'localhost' only matches the socket).  Not binlogged: tests start from an
# empty binary log.
first_setup() {
    local sql="SET sql_log_bin = 0;
        CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
        GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
    [ "$KIND" = mariadb ] && sql="$sql FLUSH PRIVILEGES;"
    "$CLIENT" --defaults-file="$DIR/client.cnf" -e "$sql" >&2
}

cmd_start() {
    local pid first=0 attempt rc log_size

    if pid=$(server_pid); then
        echo "$PROG: server for $DIR already running (pid $pid)" >&2
        return 0
    fi
    collect_orphans
    link_layout
    rm -f "$SRV/mysqld.pid"
    mkdir -p "$SRV/binlog" "$SRV/tmp"
    # MySQL's socket lock of a killed server (its PID may linger as a zombie,
    # which MySQL takes for a live server)
    if [ -f "$SRV/mysql.sock.lock" ] && ! pid_alive "$(tr -dc '0-9' <"$SRV/mysql.sock.lock")"; then
        rm -f "$SRV/mysql.sock.lock" "$SRV/mysql.sock"
    fi

    [ -n "$SERVER_ID" ] || SERVER_ID=$(cat "$DIR/server_id" 2>/dev/null || true)
    [ -n "$SERVER_ID" ] || SERVER_ID=$((2 + (RANDOM * 32768 + RANDOM) % 100000))
    echo "$SERVER_ID" >"$DIR/server_id"

    local auto_port=0
    [ -n "$PORT" ] || PORT=$(cat "$DIR/port" 2>/dev/null || true)
    if [ -z "$PORT" ]; then
        PORT=$(pick_port) || die "no free TCP port found on 127.0.0.1"
        auto_port=1
    fi

    if [ ! -f "$DIR/.initialised" ]; then
        first=1
        write_my_cnf
        init_datadir
    fi

    for attempt in 1 2 3; do
        echo "$PORT" >"$DIR/port"
        write_my_cnf
        log_size=$(stat -c %s "$DIR/error.log" 2>/dev/null || echo 0)
        pid=$(launch)
        rc=0
        wait_up "$pid" || rc=$?
        [ "$rc" -eq 0 ] && break
        if [ "$rc" -eq 1 ] && [ "$auto_port" -eq 1 ] && [ "$attempt" -lt 3 ] &&
            tail -c +"$((log_size + 1))" "$DIR/error.log" 2>/dev/null | grep -q \
                "Bind on TCP/IP port\|another server running on port\|Address already in use"; then
            # lost a race for the port: pick another one
            PORT=$(pick_port) || die "no free TCP port found on 127.0.0.1"
            continue
        fi
        if [ "$rc" -eq 2 ]; then
            fail_start "$pid" "server for $DIR did not accept connections within ${START_TIMEOUT}s"
        fi
        fail_start "$pid" "server for $DIR exited during startup"
    done

    if [ "$first" -eq 1 ]; then
        if ! first_setup; then
            kill -TERM "$pid" 2>/dev/null || true
            fail_start "$pid" "could not create root@127.0.0.1 on the server for $DIR"
        fi
        : >"$DIR/.initialised"
    fi
    echo "$PROG: $FLAVOR server for $DIR up: pid $pid, socket $DIR/mysql.sock, port $PORT" >&2
}

cmd_stop() {
    local pid raw deadline

    if [ ! -s "$DIR/mysqld.pid" ]; then
        echo "$PROG: no server running for $DIR (no pid file)" >&2
        return 0
    fi
    raw=$(tr -dc '0-9' <"$DIR/mysqld.pid")
    if [ -z "$raw" ] || ! pid_alive "$raw"; then
        echo "$PROG: stale pid file for $DIR (pid ${raw:-?} is gone); removing it" >&2
        rm -f "$SRV/mysqld.pid"
        return 0
    fi
    if ! pid=$(server_pid); then
        die "pid $raw from $DIR/mysqld.pid is not the server of $DIR; not signalling it"
    fi

    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while pid_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.2
    done
    if pid_alive "$pid"; then
        echo "$PROG: server for $DIR (pid $pid) still running after ${STOP_TIMEOUT}s; SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while pid_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
            sleep 0.1
        done
        pid_alive "$pid" && die "pid $pid survived SIGKILL"
    fi
    rm -f "$SRV/mysqld.pid"
    echo "$PROG: server for $DIR stopped (pid $pid)" >&2
}

# stop, then delete what lives outside DIR (a root flavor's files)
cmd_remove() {
    local f
    cmd_stop
    if [ -n "$ROOT" ] && [ -d "$SRV" ]; then
        rm -rf "$SRV"
    fi
    # the next start in DIR initialises a new server (not the links to
    # files that are gone, or an old data directory)
    for f in $LAYOUT; do
        rm -rf "${DIR:?}/$f"
    done
    rm -f "$DIR/.initialised"
}

cmd_env() {
    local pid="" port=""
    [ -f "$DIR/port" ] || die "$DIR has no server (no $DIR/port); run start first"
    port=$(cat "$DIR/port")
    pid=$(server_pid || true)
    printf 'CS_TEST_DIR=%q\n' "$DIR"
    printf 'CS_TEST_FLAVOR=%q\n' "$FLAVOR"
    printf 'CS_TEST_SOCK=%q\n' "$DIR/mysql.sock"
    printf 'CS_TEST_PORT=%q\n' "$port"
    printf 'CS_TEST_HOST=%q\n' "127.0.0.1"
    printf 'CS_TEST_USER=%q\n' "root"
    printf 'CS_TEST_PID=%q\n' "$pid"
    printf 'CS_TEST_CNF=%q\n' "$DIR/client.cnf"
    printf 'CS_TEST_CLIENT=%q\n' "$DIR/bin/mysql"
    printf 'CS_TEST_BINLOG=%q\n' "$DIR/bin/binlog"
}

[ $# -ge 2 ] || usage
CMD=$1
DIR=$2
shift 2
PORT=""
SERVER_ID=""
EXTRA=""
FLAVOR=""
while [ $# -gt 0 ]; do
    case "$1" in
    --port) [ $# -ge 2 ] || usage; PORT=$2; shift 2 ;;
    --port=*) PORT=${1#--port=}; shift ;;
    --server-id) [ $# -ge 2 ] || usage; SERVER_ID=$2; shift 2 ;;
    --server-id=*) SERVER_ID=${1#--server-id=}; shift ;;
    --extra) [ $# -ge 2 ] || usage; EXTRA=$2; shift 2 ;;
    --extra=*) EXTRA=${1#--extra=}; shift ;;
    --flavor) [ $# -ge 2 ] || usage; FLAVOR=$2; shift 2 ;;
    --flavor=*) FLAVOR=${1#--flavor=}; shift ;;
    *) echo "$PROG: unknown argument '$1'" >&2; usage ;;
    esac
done
case "$PORT" in
"" | [1-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9] | [1-9][0-9][0-9][0-9][0-9]) ;;
*) die "--port must be a number, got '$PORT'" ;;
esac
[ -z "$PORT" ] || [ "$PORT" -le 65535 ] || die "--port must be at most 65535, got '$PORT'"
case "$SERVER_ID" in
"" | *[!0-9]*) [ -z "$SERVER_ID" ] || die "--server-id must be a number, got '$SERVER_ID'" ;;
esac

if [ "$CMD" = start ]; then
    mkdir -p "$DIR"
elif [ ! -d "$DIR" ]; then
    die "$DIR: no such directory"
fi
DIR=$(cd "$DIR" && pwd -P)
if [ "${#DIR}" -gt 90 ]; then
    die "DIR path too long for a unix socket ($DIR/mysql.sock); use a shorter directory"
fi

# The flavor is DIR's from its first start on.
if [ -f "$DIR/flavor" ]; then
    recorded=$(cat "$DIR/flavor")
    [ -z "$FLAVOR" ] || [ "$FLAVOR" = "$recorded" ] ||
        die "$DIR holds a $recorded server; it cannot be started as $FLAVOR"
    FLAVOR=$recorded
fi
[ -n "$FLAVOR" ] || FLAVOR=${CS_TEST_FLAVOR:-mariadb-10.11}
set_layout

case "$CMD" in
start)
    command -v python3 >/dev/null 2>&1 || die "python3 not found (run scripts/install-deps.sh)"
    CLIENT=$(find_bin mariadb mysql) || die "mariadb client not found (run scripts/install-deps.sh)"
    case "$FLAVOR" in
    mariadb-10.11)
        MYSQLD=$(find_bin mariadbd mysqld) || die "mariadbd not found (run scripts/install-deps.sh)"
        INSTALL_DB=$(find_bin mariadb-install-db mysql_install_db) ||
            die "mariadb-install-db not found (run scripts/install-deps.sh)"
        ;;
    mariadb-11.8) MYSQLD=/usr/sbin/mariadbd INSTALL_DB=/usr/bin/mariadb-install-db ;;
    mysql-9.7) MYSQLD=/usr/sbin/mysqld INSTALL_DB="" ;;
    esac
    echo "$FLAVOR" >"$DIR/flavor"
    cmd_start
    ;;
stop) cmd_stop ;;
remove) cmd_remove ;;
env) cmd_env ;;
*) usage ;;
esac
