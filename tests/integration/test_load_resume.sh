#!/usr/bin/env bash
# csload issue, tests 2 and 3: exactly-once resume.
#  2. csload killed with SIGKILL during the data load, during the index build
#     and during verification; the same command run again completes: the
#     target equals the source, the table without a primary key has no
#     duplicate rows, and the journal holds each chunk once.
#  3. The target server killed (SIGKILL) and restarted mid-load; the same
#     command run again completes with the same result.
#  And for non-transactional tables (MyISAM, keyed and keyless): csload
#  killed while it loads one, then rerun: every row exactly once.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"
require_faults

start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
make_big src 800000
sql src "ALTER TABLE bank.big ADD KEY k_pad (pad), ADD KEY k_pad2 (pad(10), id);
         CREATE TABLE bank.nopk (a INT, b VARCHAR(40));
         INSERT INTO bank.nopk SELECT id % 1000, IF(id % 3, 'same', NULL) FROM bank.big WHERE id <= 200000"
dump_of src "$WORK/dump" --threads 2 --chunk-rows 25000 -q

# myi_partly NAME: a chunk of myi is journaled and a LOAD DATA into myi runs
myi_partly() {
    local n
    n=$(sql "$1" "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE 'chunk:myi.%'" 2>/dev/null) || return 1
    [ "${n:-0}" -gt 0 ] && session_running "$1" 'LOAD DATA%myi%' >/dev/null
}

# kill_during PHASE PATTERN: start a load, SIGKILL it while PATTERN runs, run it again
kill_during() {
    local phase=$1 pattern=$2 tgt="t-$1"
    note "SIGKILL during $phase"
    start_server "$tgt"
    load_bg "$tgt" "$WORK/dump" "$WORK/$tgt.log" --threads 2
    wait_for session_running "$tgt" "$pattern" >/dev/null ||
        { cat "$WORK/$tgt.log" >&2; fail "$phase: never saw '$pattern'"; }
    kill -KILL "$CS_LOAD_PID"
    wait "$CS_LOAD_PID" 2>/dev/null || true
    load_into "$tgt" "$WORK/dump" --threads 2 2> "$WORK/$tgt.again.log" ||
        { cat "$WORK/$tgt.again.log" >&2; fail "$phase: the rerun failed"; }
    grep -q "resuming" "$WORK/$tgt.again.log" || fail "$phase: the rerun did not resume"
    same_data src "$tgt" bank
    journal_ok "$tgt" "$WORK/dump"
    stop_server "$tgt"
}

# a chunk of bank.big going in: LOAD DATA, or on MariaDB arrays of bound
# rows of a prepared INSERT (load/tablepath.h)
kill_during data '%INTO %`bank`.`big`%'

note "MyISAM: SIGKILL while its chunks load, then the rerun"
sql src "CREATE DATABASE myi;
         CREATE TABLE myi.keyed (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=MyISAM;
         INSERT INTO myi.keyed SELECT id, pad FROM bank.big;
         CREATE TABLE myi.heap (a INT, pad VARCHAR(200)) ENGINE=MyISAM;
         INSERT INTO myi.heap SELECT id % 7, pad FROM bank.big WHERE id <= 400000"
dump_of src "$WORK/dump-myi" --databases myi --threads 2 --chunk-rows 25000 -q
start_server t-myi
load_bg t-myi "$WORK/dump-myi" "$WORK/myi.log" --threads 2
# killed once some chunks are journaled and others are being written
CS_WAIT_TRIES=600 wait_for myi_partly t-myi || { cat "$WORK/myi.log" >&2; fail "myi: never saw a partial load"; }
kill -KILL "$CS_LOAD_PID"
wait "$CS_LOAD_PID" 2>/dev/null || true
load_into t-myi "$WORK/dump-myi" --threads 2 2> "$WORK/myi.again.log" ||
    { cat "$WORK/myi.again.log" >&2; fail "myi: the rerun failed"; }
grep -q "not transactional): an earlier run did not finish it; reloading it whole" "$WORK/myi.again.log" ||
    fail "myi: the rerun did not reload the unfinished table: $(cat "$WORK/myi.again.log")"
same_data src t-myi myi
journal_ok t-myi "$WORK/dump-myi"
stop_server t-myi
kill_during index 'ALTER TABLE `bank`.`big`%'
kill_during verify 'SELECT `id`, `pad` FROM `bank`.`big`%'

note "target server killed and restarted mid-load"
start_server t-crash
# the server dies while a chunk waits for its COMMIT (others are committed)
CS_FAULT_POINTS="load.commit:pause@3" load_bg t-crash "$WORK/dump" "$WORK/crash.log" --threads 2 --retries 1
fault_wait load.commit >/dev/null || { cat "$WORK/crash.log" >&2; fail "no chunk reached its commit"; }
spid=$(server_pid t-crash)
kill -KILL "$spid"
CS_WAIT_TRIES=600 wait_for pid_gone "$spid" || fail "the target server survived SIGKILL"
fault_release load.commit
restart_server t-crash
wait "$CS_LOAD_PID" 2>/dev/null || note "the interrupted load failed, as it may"
load_into t-crash "$WORK/dump" --threads 2 2> "$WORK/crash.again.log" ||
    { cat "$WORK/crash.again.log" >&2; fail "the rerun after the crash failed"; }
same_data src t-crash bank
journal_ok t-crash "$WORK/dump"
echo ok
