# lib.sh - shared helpers for the integration tests (sourced).
#
# Every test gets its own work directory and its own throwaway servers
# (scripts/test-server.sh); on exit, whatever it started is stopped by PID:
# the servers through test-server.sh stop, background jobs through the PIDs
# recorded with bg_track.  Nothing is ever stopped by name.
set -euo pipefail

SRC=${CS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${CS_BUILD_DIR:-$SRC/build}
CSDUMP=$BUILD/csdump
CSLOAD=$BUILD/csload
CHUNKCHECK=$BUILD/tests/cs_chunkcheck
TS=$SRC/scripts/test-server.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cs-it.XXXXXX")
CS_SERVERS=()
CS_BG_PIDS=()

cs_cleanup() {
    local rc=$? pid dir
    for pid in "${CS_BG_PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for pid in "${CS_BG_PIDS[@]:-}"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
    for dir in "${CS_SERVERS[@]:-}"; do
        [ -n "$dir" ] && bash "$TS" stop "$dir" >/dev/null 2>&1 || true
    done
    if [ "$rc" -eq 0 ] || [ -z "${CS_KEEP:-}" ]; then
        rm -rf "$WORK"
    else
        echo "kept $WORK" >&2
    fi
}
trap cs_cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

note() {
    echo "--- $*" >&2
}

# start_server NAME [test-server options]: a server in $WORK/NAME
start_server() {
    local name=$1
    shift
    bash "$TS" start "$WORK/$name" "$@" >&2
    CS_SERVERS+=("$WORK/$name")
}

restart_server() {
    bash "$TS" start "$WORK/$1" >&2
}

stop_server() {
    bash "$TS" stop "$WORK/$1" >&2
}

sock() { echo "$WORK/$1/mysql.sock"; }
port() { cat "$WORK/$1/port"; }
server_pid() { cat "$WORK/$1/mysqld.pid"; }

# sql NAME "statements": batch output, no column names
sql() {
    mariadb --defaults-file="$WORK/$1/client.cnf" -N -B -e "$2"
}

# sql_file NAME FILE
sql_file() {
    mariadb --defaults-file="$WORK/$1/client.cnf" < "$2"
}

# bg_track PID: stop it (by PID) when the test exits
bg_track() {
    CS_BG_PIDS+=("$1")
}

assert_eq() {
    [ "$1" = "$2" ] || fail "${3:-values differ}: expected '$2', got '$1'"
}

assert_file_absent() {
    [ ! -e "$1" ] || fail "$1 should not exist"
}

# dump_of NAME DIR [csdump options]: csdump from server NAME into DIR
dump_of() {
    local name=$1 dir=$2
    shift 2
    "$CSDUMP" --no-defaults -S "$(sock "$name")" -u root -o "$dir" "$@"
}

# manifest_get DIR PYTHON-EXPR (m is the manifest)
manifest_get() {
    python3 -c "import json,sys; m=json.load(open(sys.argv[1]+'/manifest.json')); print($2)" "$1"
}
