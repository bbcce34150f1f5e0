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
# The server flavor this run tests (scripts/test-server.sh --flavor); KIND is
# mysql or mariadb.  A test may start a server of another flavor with
# start_server NAME --flavor F; flavor_of NAME tells which one a server is.
FLAVOR=${CS_TEST_FLAVOR:-mariadb-10.11}
KIND=${FLAVOR%%-*}
CS_BG_PIDS=()
# spools of csdump/csload (a SIGKILLed one leaves its own) go with the work dir
export TMPDIR=$WORK

# cs_cleanup [RC]: the EXIT trap (RC: the test's status, when a test's own
# trap calls it after other commands)
cs_cleanup() {
    local rc=${1:-$?} pid dir
    for pid in "${CS_BG_PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for pid in "${CS_BG_PIDS[@]:-}"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
    for dir in "${CS_SERVERS[@]:-}"; do
        [ -n "$dir" ] && bash "$TS" remove "$dir" >/dev/null 2>&1 || true
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
    CS_SERVERS+=("$WORK/$name")
    bash "$TS" start "$WORK/$name" --flavor "$FLAVOR" "$@" >&2
}

flavor_of() { cat "$WORK/$1/flavor"; }
kind_of() { local f; f=$(flavor_of "$1"); echo "${f%%-*}"; }

# restart_server NAME [test-server start options, e.g. --extra "mysqld options"]
restart_server() {
    local name=$1
    shift
    bash "$TS" start "$WORK/$name" "$@" >&2
}

# server_tmp NAME: the server's DIR/tmp as the server itself sees it (a root
# flavor runs in a chroot, where its ROOT/srv/ID/tmp is /srv/ID/tmp): files
# the server must read (certificates) go there
server_tmp() {
    local t
    if [ -L "$WORK/$1/tmp" ]; then
        t=$(readlink "$WORK/$1/tmp")
        echo "/srv/${t#*/srv/}"
    else
        echo "$WORK/$1/tmp"
    fi
}

stop_server() {
    bash "$TS" stop "$WORK/$1" >&2
}

# pid_gone PID: no such process, or a zombie
pid_gone() {
    local state
    [ -e "/proc/$1" ] || return 0
    state=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 0
    [ "$state" = Z ]
}

sock() { echo "$WORK/$1/mysql.sock"; }
port() { cat "$WORK/$1/port"; }
server_pid() { cat "$WORK/$1/mysqld.pid"; }

# sql NAME "statements": batch output, no column names
sql() {
    mariadb --defaults-file="$WORK/$1/client.cnf" -N -B -e "$2"
}

# deeper_cte NAME: the statement that lifts the recursive-CTE limit of
# server NAME's flavor (MySQL cte_max_recursion_depth 1000; MariaDB
# max_recursive_iterations, 1000 by default since 10.6.20 / 10.11.10)
deeper_cte() {
    if [ "$(kind_of "$1")" = mysql ]; then
        echo "SET SESSION cte_max_recursion_depth = 100000000;"
    else
        echo "SET SESSION max_recursive_iterations = 100000000;"
    fi
}

# sql_file NAME FILE: the fixtures' recursive CTEs need a deeper limit
sql_file() {
    { deeper_cte "$1"; cat "$2"; } | mariadb --defaults-file="$WORK/$1/client.cnf"
}

# types_fixture NAME: the full-type dataset for server NAME's flavor
types_fixture() {
    case "$(flavor_of "$1")" in
    mysql-*) sql_file "$1" "$SRC/tests/data/fixture-types-mysql.sql" ;;
    mariadb-11.*)
        sql_file "$1" "$SRC/tests/data/fixture-types.sql"
        sql_file "$1" "$SRC/tests/data/fixture-types-mariadb-11.sql"
        ;;
    *) sql_file "$1" "$SRC/tests/data/fixture-types.sql" ;;
    esac
}

# gtid_pos NAME: the server's own GTID position (MariaDB gtid_binlog_pos,
# MySQL gtid_executed)
gtid_pos() {
    if [ "$(kind_of "$1")" = mysql ]; then
        sql "$1" "SELECT REPLACE(@@GLOBAL.gtid_executed, '\n', '')"
    else
        sql "$1" "SELECT @@GLOBAL.gtid_binlog_pos"
    fi
}

# binlog_status NAME: "file:position" of the server's binary log
binlog_status() {
    sql "$1" "SHOW BINARY LOGS" >/dev/null
    if [ "$(kind_of "$1")" = mysql ]; then
        sql "$1" "SHOW BINARY LOG STATUS" | awk '{print $1":"$2}'
    else
        sql "$1" "SHOW MASTER STATUS" | awk '{print $1":"$2}'
    fi
}

# Fault points (common/fault.h): a test arms them for one command with
#   CS_FAULT_POINTS="POINT[=OBJECT]:pause|fail|kill[@N]" command...
# and synchronises on a paused process with fault_wait / fault_release.
export CS_FAULT_DIR=$WORK/faults
mkdir -p "$CS_FAULT_DIR"

# require_faults: the tools are a test build (scripts/test.sh builds them so)
require_faults() {
    "$CSDUMP" --version | grep -q "fault points" ||
        fail "$CSDUMP is not a test build: configure with -DCS_FAULTS=ON (scripts/test.sh does)"
}

# fault_wait POINT [SECONDS]: until a process pauses at POINT (default 120 s);
# prints its PID
fault_wait() {
    local i
    for i in $(seq 1 $((${2:-120} * 10))); do
        if [ -s "$CS_FAULT_DIR/$1.reached" ]; then
            cat "$CS_FAULT_DIR/$1.reached"
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# fault_release POINT: let the process paused at POINT go on (and re-arm)
fault_release() {
    : >"$CS_FAULT_DIR/$1.release"
}

# fault_reset: forget every pause (before arming the same point again)
fault_reset() {
    rm -f "$CS_FAULT_DIR"/*
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

# start_writer NAME: the bank writer (tests/data/fixture-bank.sql) in the background
start_writer() {
    sql "$1" "UPDATE bank.ctl SET stop = 0"
    mariadb --defaults-file="$WORK/$1/client.cnf" -e "CALL bank.writer()" &
    CS_WRITER_PID=$!
    bg_track "$CS_WRITER_PID"
    # wait until transfers are flowing
    local n0 n1 i
    n0=$(sql "$1" "SELECT COUNT(*) FROM bank.ledger")
    for i in $(seq 1 50); do
        n1=$(sql "$1" "SELECT COUNT(*) FROM bank.ledger")
        [ "$n1" -gt "$n0" ] && return 0
        sleep 0.1
    done
    fail "the writer does not write"
}

# writer_goes_on NAME [N]: until the bank writer on NAME has logged N more
# transfers (default 200): writes that arrive after the step before
writer_goes_on() {
    local want
    want=$(( $(sql "$1" "SELECT COUNT(*) FROM bank.ledger") + ${2:-200} ))
    CS_WAIT_TRIES=600 wait_for ledger_at_least "$1" "$want" || fail "the writer on $1 stopped writing"
}

ledger_at_least() {
    [ "$(sql "$1" "SELECT COUNT(*) FROM bank.ledger")" -ge "$2" ]
}

stop_writer() {
    sql "$1" "UPDATE bank.ctl SET stop = 1"
    wait "$CS_WRITER_PID" 2>/dev/null || true
}

# tsv_sum DIR TABLE COLUMN-NUMBER: sum of a column over a tsv dump's chunks
tsv_sum() {
    local files
    files=$(manifest_get "$1" "' '.join(c['file'] for t in m['tables'] if t['name']=='$2' for c in t['chunks'])")
    (cd "$1" && for f in $files; do zstd -qdc "$f"; done) | awk -F'\t' -v c="$3" '{s += $c} END {printf "%d\n", s}'
}

tsv_rows() {
    local files
    files=$(manifest_get "$1" "' '.join(c['file'] for t in m['tables'] if t['name']=='$2' for c in t['chunks'])")
    (cd "$1" && for f in $files; do zstd -qdc "$f"; done) | wc -l
}

# binlog_files NAME: the server's binary log files in order (not the index,
# nor MariaDB 11's #binlog_cache_files directory)
binlog_files() {
    ls "$WORK/$1/binlog" | grep -E '^mysql-bin\.[0-9]+$' | sort
}

# binlog_count NAME FILE POS PATTERN: row events matching PATTERN in the
# server's binary logs up to FILE:POS
binlog_count() {
    local f total=0 n stop
    for f in $(binlog_files "$1"); do
        stop=()
        [ "$f" = "$2" ] && stop=(--stop-position="$3")
        # TMPDIR: the work directory is not there for a root flavor's reader
        n=$(TMPDIR=/tmp "$WORK/$1/bin/binlog" -v --base64-output=decode-rows "${stop[@]}" "$f" |
            { grep -c "$4" || true; }) || { echo "binlog_count: cannot read $f" >&2; return 1; }
        total=$((total + n))
        [ "$f" = "$2" ] && break
    done
    echo "$total"
}

# binlog_count_gtid NAME GTIDSET PATTERN: row events matching PATTERN in the
# transactions of the server's binary logs that GTIDSET holds (MySQL
# --include-gtids; MariaDB: from the start up to the GTID position)
binlog_count_gtid() {
    local files
    files=$(binlog_files "$1")
    if [ "$(kind_of "$1")" = mysql ]; then
        # shellcheck disable=SC2086
        "$WORK/$1/bin/binlog" -v --base64-output=decode-rows --include-gtids="$2" $files |
            grep -c "$3" || true
    else
        # shellcheck disable=SC2086
        "$WORK/$1/bin/binlog" -v --base64-output=decode-rows --stop-position="$2" $files |
            grep -c "$3" || true
    fi
}

# make_big NAME ROWS: bank.big, ~120 bytes a row, for dumps that take a while
make_big() {
    sql "$1" "$(deeper_cte "$1") CREATE TABLE IF NOT EXISTS bank.big (id INT PRIMARY KEY, pad VARCHAR(200));
              INSERT INTO bank.big WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < $2)
              SELECT seq, LEFT(CONCAT(SHA2(seq, 256), SHA2(seq + 1, 256)), 96) FROM s"
}

# wait_for CMD...: retry up to ~20 s (CS_WAIT_TRIES tenths of a second)
wait_for() {
    local i
    for i in $(seq 1 "${CS_WAIT_TRIES:-200}"); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# session_running NAME LIKE-PATTERN: prints the id of a session whose statement matches
session_running() {
    local id
    id=$(sql "$1" "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '$2' AND ID <> CONNECTION_ID() LIMIT 1")
    [ -n "$id" ] && echo "$id"
}

# dump_bg NAME DIR LOG [csdump options]: csdump in the background (its own
# PID in CS_DUMP_PID, so signals reach csdump itself)
dump_bg() {
    local name=$1 dir=$2 log=$3
    shift 3
    "$CSDUMP" --no-defaults -S "$(sock "$name")" -u root -o "$dir" "$@" 2> "$log" &
    CS_DUMP_PID=$!
    bg_track "$CS_DUMP_PID"
}

# replicate NAME FROM: make server NAME a GTID replica of server FROM (root over TCP)
replicate() {
    if [ "$(kind_of "$1")" = mysql ]; then
        sql "$1" "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=$(port "$2"),
                  SOURCE_USER='root', SOURCE_PASSWORD='', SOURCE_AUTO_POSITION=1,
                  GET_SOURCE_PUBLIC_KEY=1; START REPLICA"
    else
        sql "$1" "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(port "$2"),
                  MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos; START SLAVE"
    fi
}

# replica_ok NAME: both replication threads run and report no error
replica_ok() {
    local st
    st=$(mariadb --defaults-file="$WORK/$1/client.cnf" -e "SHOW REPLICA STATUS\G")
    echo "$st" | grep -Eq "(Slave|Replica)_IO_Running: Yes" &&
        echo "$st" | grep -Eq "(Slave|Replica)_SQL_Running: Yes" &&
        echo "$st" | grep -q "Last_Error: $"
}

# wait_caught_up NAME FROM: up to 3 minutes for a replica to apply what FROM wrote
wait_caught_up() {
    CS_WAIT_TRIES=1800 wait_for caught_up "$1" "$2"
}

# caught_up NAME FROM: NAME has applied everything FROM has written
caught_up() {
    local want got
    want=$(gtid_pos "$2")
    if [ "$(kind_of "$1")" = mysql ]; then
        got=$(sql "$1" "SELECT GTID_SUBSET('$want', @@GLOBAL.gtid_executed)")
        [ "$got" = 1 ]
    else
        got=$(sql "$1" "SELECT @@gtid_slave_pos")
        [ "$want" = "$got" ]
    fi
}

# gtid_last GTIDSET: the last transaction number of a one-source GTID set
# (MariaDB domain 0 "0-S-N", MySQL "uuid:1-N")
gtid_last() {
    case "$1" in
    *:*) echo "$1" | sed 's/.*[:-]//' ;;
    *) gtid_seq "$1" 0 ;;
    esac
}

# gtid_seq GTIDPOS DOMAIN: the sequence number of DOMAIN in a MariaDB GTID position
gtid_seq() {
    echo "$1" | tr ',' '\n' | awk -F- -v d="$2" '$1 == d {print $3}'
}

# table_hashes NAME SCHEMA...: "schema.table rows hash" for every base table,
# over an explicit column list (FLOAT read exactly as col+0e0, every value as
# its bytes, NULL distinct; MySQL JSON with its binary size, which tells the
# scalar types apart): the same data gives the same lines on any server.
table_hashes() {
    local name=$1 list
    shift
    list=$(printf "'%s'," "$@")
    sql "$name" "SET SESSION group_concat_max_len = 1048576;
      SELECT CONCAT('SELECT ', QUOTE(CONCAT(c.TABLE_SCHEMA, '.', c.TABLE_NAME)), ', COUNT(*), ',
        'COALESCE(SUM(CAST(CONV(LEFT(SHA2(CONCAT_WS(0x1e, ',
        GROUP_CONCAT(CONCAT('IFNULL(HEX(CAST(',
          CASE WHEN c.DATA_TYPE = 'float' THEN CONCAT('\`', REPLACE(c.COLUMN_NAME, '\`', '\`\`'), '\`+0e0')
               WHEN c.DATA_TYPE = 'json' AND VERSION() NOT LIKE '%MariaDB%' THEN
                 CONCAT('CONCAT(\`', REPLACE(c.COLUMN_NAME, '\`', '\`\`'), '\`, JSON_STORAGE_SIZE(\`',
                        REPLACE(c.COLUMN_NAME, '\`', '\`\`'), '\`))')
               ELSE CONCAT('\`', REPLACE(c.COLUMN_NAME, '\`', '\`\`'), '\`') END,
          ' AS BINARY)), ''-'')') ORDER BY c.ORDINAL_POSITION SEPARATOR ','),
        '), 256), 15), 16, 10) AS UNSIGNED)), 0) FROM \`', REPLACE(c.TABLE_SCHEMA, '\`', '\`\`'), '\`.\`',
        REPLACE(c.TABLE_NAME, '\`', '\`\`'), '\`;')
      FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
        ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
      WHERE t.TABLE_TYPE = 'BASE TABLE' AND c.TABLE_SCHEMA IN (${list%,})
      GROUP BY c.TABLE_SCHEMA, c.TABLE_NAME ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME" |
        mariadb --defaults-file="$WORK/$name/client.cnf" -N -B
}

# schema_of NAME SCHEMA...: SHOW CREATE of every table and view, and the
# routines, triggers and events
schema_of() {
    local name=$1 list s t
    shift
    list=$(printf "'%s'," "$@")
    sql "$name" "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES
                 WHERE TABLE_SCHEMA IN (${list%,}) ORDER BY 1, 2" |
        while IFS=$'\t' read -r s t; do
            echo "== $s.$t"
            sql "$name" "SHOW CREATE TABLE \`${s//\`/\`\`}\`.\`${t//\`/\`\`}\`" | cut -f2-
        done
    sql "$name" "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION FROM
                 information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN (${list%,}) ORDER BY 1, 2;
                 SELECT TRIGGER_SCHEMA, TRIGGER_NAME, ACTION_STATEMENT FROM
                 information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN (${list%,}) ORDER BY 1, 2;
                 SELECT EVENT_SCHEMA, EVENT_NAME, STATUS, EVENT_DEFINITION FROM
                 information_schema.EVENTS WHERE EVENT_SCHEMA IN (${list%,}) ORDER BY 1, 2"
}

# load_into NAME DIR [csload options]
load_into() {
    local name=$1 dir=$2
    shift 2
    "$CSLOAD" --no-defaults -S "$(sock "$name")" -u root "$@" "$dir"
}

# same_data A B SCHEMA...: identical rows and schema on servers A and B
same_data() {
    local a=$1 b=$2
    shift 2
    table_hashes "$a" "$@" > "$WORK/hash-$a"
    table_hashes "$b" "$@" > "$WORK/hash-$b"
    [ -s "$WORK/hash-$a" ] || fail "no tables hashed on $a"
    diff "$WORK/hash-$a" "$WORK/hash-$b" >&2 || fail "the data of $a and $b differ"
}

same_schema() {
    local a=$1 b=$2
    shift 2
    schema_of "$a" "$@" > "$WORK/schema-$a"
    schema_of "$b" "$@" > "$WORK/schema-$b"
    diff "$WORK/schema-$a" "$WORK/schema-$b" >&2 || fail "the schemas of $a and $b differ"
}

# load_bg NAME DIR LOG [csload options]: csload in the background (CS_LOAD_PID)
load_bg() {
    local name=$1 dir=$2 log=$3
    shift 3
    "$CSLOAD" --no-defaults -S "$(sock "$name")" -u root "$@" "$dir" 2> "$log" &
    CS_LOAD_PID=$!
    bg_track "$CS_LOAD_PID"
}

# journal_ok NAME DIR: the target's journal holds each chunk of the dump exactly once
journal_ok() {
    local chunks items dups
    chunks=$(manifest_get "$2" "sum(len(t['chunks']) for t in m['tables'])")
    items=$(sql "$1" "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE 'chunk:%'")
    dups=$(sql "$1" "SELECT COUNT(*) FROM (SELECT item FROM __csload.journal GROUP BY dump_id, item HAVING COUNT(*) > 1) d")
    assert_eq "$items" "$chunks" "chunks in the journal"
    assert_eq "$dups" 0 "journal items recorded twice"
}

# load_archive_into NAME FILE [csload options]
load_archive_into() {
    local name=$1 file=$2
    shift 2
    "$CSLOAD" --no-defaults -S "$(sock "$name")" -u root "$@" --archive "$file"
}

# ---- S3 -------------------------------------------------------------------
# start_s3 BUCKET: a throwaway s3rver (installed by scripts/install-deps.sh in
# CS_S3RVER_DIR) on a free 127.0.0.1 port with its data in $WORK/s3, behind
# the fault proxy tests/tools/s3proxy.py (state, faults.json and proxy.log in
# $WORK/s3/proxy); both stopped by PID on exit.  Exports the AWS_* settings
# that point csdump/csload/cs_s3 at the proxy (HOME too, so no ~/.aws of the
# machine is read) and S3=(--s3-path-style) for their command lines.
CS_S3RVER_DIR=${CS_S3RVER_DIR:-/var/cache/csdump-s3rver}
CS_S3TOOL=$BUILD/tests/cs_s3

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_open() {
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null
}

start_s3() {
    local bucket=$1 sport pport
    [ -f "$CS_S3RVER_DIR/node_modules/@20minutes/s3rver/package.json" ] ||
        fail "s3rver is not installed in $CS_S3RVER_DIR (run scripts/install-deps.sh)"
    mkdir -p "$WORK/s3/data" "$WORK/s3/proxy" "$WORK/home"
    sport=$(free_port)
    (cd "$WORK/s3" && NODE_PATH="$CS_S3RVER_DIR/node_modules" exec node -e \
        "require('@20minutes/s3rver/lib/cli').parseAsync(['node','s3rver','-d','$WORK/s3/data','-a','127.0.0.1','-p','$sport','--configure-bucket','$bucket','-s'])" \
        > "$WORK/s3/s3rver.log" 2>&1) &
    CS_S3RVER_PID=$!
    bg_track "$CS_S3RVER_PID"
    CS_WAIT_TRIES=300 wait_for port_open "$sport" || fail "s3rver did not start (see $WORK/s3/s3rver.log)"
    pport=$(free_port)
    python3 "$SRC/tests/tools/s3proxy.py" --port "$pport" --upstream "127.0.0.1:$sport" \
        --state "$WORK/s3/proxy" > "$WORK/s3/proxy.out" 2>&1 &
    CS_S3PROXY_PID=$!
    bg_track "$CS_S3PROXY_PID"
    CS_WAIT_TRIES=100 wait_for port_open "$pport" || fail "the S3 proxy did not start"
    S3_PORT=$pport
    S3_DIRECT_PORT=$sport
    export HOME=$WORK/home AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
        AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:$pport CS_S3_PATH_STYLE=1
    unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_ENDPOINT_URL_S3
    S3=(--s3-path-style)
}

# s3_faults JSON: the proxy's fault script (tests/tools/s3proxy.py); "" = none
s3_faults() {
    if [ -n "$1" ]; then
        printf '%s\n' "$1" > "$WORK/s3/proxy/faults.json.tmp"
        mv "$WORK/s3/proxy/faults.json.tmp" "$WORK/s3/proxy/faults.json"
    else
        rm -f "$WORK/s3/proxy/faults.json"
    fi
}

# s3c ARGS...: Debian's s3cmd, an independent client, through the proxy
s3c() {
    s3cmd -c /dev/null --no-ssl --host="127.0.0.1:$S3_PORT" --host-bucket="127.0.0.1:$S3_PORT" \
        --access_key=S3RVER --secret_key=S3RVER --region=us-east-1 "$@"
}

# s3_keys BUCKET PREFIX: the keys under PREFIX, one a line (botocore, another
# independent client: s3rver refuses s3cmd's signature of a bucket listing)
s3_keys() {
    python3 - "$S3_PORT" "$1" "$2" <<'PY'
import sys, botocore.session, botocore.config
c = botocore.session.get_session().create_client(
    "s3", endpoint_url="http://127.0.0.1:" + sys.argv[1], aws_access_key_id="S3RVER",
    aws_secret_access_key="S3RVER", region_name="us-east-1",
    config=botocore.config.Config(s3={"addressing_style": "path"}))
for page in c.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[2], Prefix=sys.argv[3]):
    for o in page.get("Contents", []):
        print(o["Key"])
PY
}

# s3_open_uploads BUCKET: how many multipart uploads are open (s3cmd, an
# independent client; fails when s3cmd does or answers no listing).  The
# count comes from the proxy's record: s3rver answers ListMultipartUploads
# with NotImplemented and has no AbortMultipartUpload, so it cannot say.
s3_open_uploads() {
    local out
    out=$(s3c multipart "s3://$1" 2>&1) || fail "s3cmd multipart s3://$1 failed: $out"
    printf '%s\n' "$out" | grep -q "^Initiated" || fail "s3cmd multipart s3://$1: no listing: $out"
    printf '%s\n' "$out" | awk 'NR > 1 && $0 ~ /s3:\/\// {n++} END {print n + 0}'
}

# expect_exit RC PATTERN CMD...: CMD (a command or a function of this file)
# exits with RC and its output matches the ERE PATTERN; the output is left
# in CS_OUT
expect_exit() {
    local want=$1 pattern=$2 rc
    shift 2
    set +e
    CS_OUT=$("$@" 2>&1)
    rc=$?
    set -e
    [ "$rc" = "$want" ] || fail "$*: exit $rc, expected $want: $CS_OUT"
    grep -Eq -- "$pattern" <<<"$CS_OUT" || fail "$*: the output does not match '$pattern': $CS_OUT"
}
