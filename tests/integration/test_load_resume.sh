#!/usr/bin/env bash
# csload issue, tests 2 and 3: exactly-once resume.
#  2. csload killed with SIGKILL during the data load, during the index build
#     and during verification; the same command run again completes: the
#     target equals the source, the table without a primary key has no
#     duplicate rows, and the journal holds each chunk once.
#  3. The target server killed (SIGKILL) and restarted mid-load; the same
#     command run again completes with the same result.
. "$(dirname "$0")/lib.sh"

start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
make_big src 800000
sql src "ALTER TABLE bank.big ADD KEY k_pad (pad), ADD KEY k_pad2 (pad(10), id);
         CREATE TABLE bank.nopk (a INT, b VARCHAR(40));
         INSERT INTO bank.nopk SELECT seq % 1000, IF(seq % 3, 'same', NULL) FROM bank.seq_1_to_200000"
dump_of src "$WORK/dump" --threads 2 --chunk-rows 25000 -q

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

kill_during data 'LOAD DATA%'
kill_during index 'ALTER TABLE `bank`.`big`%'
kill_during verify 'SELECT `id`, `pad` FROM `bank`.`big`%'

note "target server killed and restarted mid-load"
start_server t-crash
load_bg t-crash "$WORK/dump" "$WORK/crash.log" --threads 2 --retries 1
wait_for session_running t-crash 'LOAD DATA%' >/dev/null || fail "no LOAD DATA seen"
sleep 0.5
kill -KILL "$(server_pid t-crash)"
sleep 1
restart_server t-crash
wait "$CS_LOAD_PID" 2>/dev/null || note "the interrupted load failed, as it may"
load_into t-crash "$WORK/dump" --threads 2 2> "$WORK/crash.again.log" ||
    { cat "$WORK/crash.again.log" >&2; fail "the rerun after the crash failed"; }
same_data src t-crash bank
journal_ok t-crash "$WORK/dump"
echo ok
