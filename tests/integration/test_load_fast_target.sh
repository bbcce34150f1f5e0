#!/usr/bin/env bash
# csload --fast-target (load/fasttarget.h): the global ingest settings are
# changed for the load (seen from outside at a fault point) and restored
#  1. at the end of a load that succeeds (data equal, verified),
#  2. after a failure mid-load (a fault point's error),
#  3. after SIGTERM mid-load, with the load's own connection killed first
#     (restored on a new connection); the same command resumes,
#  4. after kill -9 of csload the settings are still changed; the next run
#     (a plain resume) restores them first, resumes, every chunk once;
#  6. kill -9, then the server restarted: MariaDB resumes exactly once;
#     MySQL (its redo log was disabled) refuses to resume, every time;
#  and refusals that change nothing: a target with a table in another
#  schema, an account without SYSTEM_VARIABLES_ADMIN / SUPER, a resume of a
#  run started without --fast-target; with the privilege, a --dry-run says
#  what a load would set (MySQL: the redo log stays on without
#  INNODB_REDO_LOG_ENABLE) and changes nothing.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"
require_faults
# a failing check must not leave a paused csload that the cleanup waits for
trap 'rc=$?; touch "$CS_FAULT_DIR/load.commit.release" "$CS_FAULT_DIR/load.rows.release"; cs_cleanup "$rc"' EXIT

start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
make_big src 200000
sql src "ALTER TABLE bank.big ADD KEY k_pad (pad)"
dump_of src "$WORK/dump" --threads 2 --chunk-rows 20000 -q

# settings NAME: the values --fast-target changes, on one line
settings() {
    local q="SELECT CONCAT_WS(' ', @@GLOBAL.innodb_flush_log_at_trx_commit, @@GLOBAL.sync_binlog,
             @@GLOBAL.innodb_doublewrite"
    if [ "$KIND" = mysql ]; then
        q+=", (SELECT VARIABLE_VALUE FROM performance_schema.global_status
               WHERE VARIABLE_NAME = 'Innodb_redo_log_enabled')"
    fi
    sql "$1" "$q)"
}
# what the load sets (FAST_N of them change): MariaDB 10.11's
# innodb_doublewrite is read-only, 11.8's is dynamic (turned OFF)
if [ "$KIND" = mysql ]; then
    FAST="2 0 DETECT_ONLY OFF" FAST_N=4 DW_READ_ONLY=0
elif [ "$(sql src "SELECT READ_ONLY FROM information_schema.SYSTEM_VARIABLES
                   WHERE VARIABLE_NAME = 'INNODB_DOUBLEWRITE'")" = NO ]; then
    FAST="2 0 OFF" FAST_N=3 DW_READ_ONLY=0
else
    FAST="2 0 ON" FAST_N=2 DW_READ_ONLY=1
fi

# target NAME: a fresh target with durable settings (sync_binlog=1 too)
target() {
    start_server "$1" --extra "--sync-binlog=1 --innodb-flush-log-at-trx-commit=1"
    ORIG=$(settings "$1")
    [ "$ORIG" != "$FAST" ] || fail "$1 starts with the fast settings"
}

# restored NAME LOG: the settings are back, no row of them is left
restored() {
    assert_eq "$(settings "$1")" "$ORIG" "$1: settings after the load"
    assert_eq "$(sql "$1" "SELECT COUNT(*) FROM __csload.fast_target")" 0 "$1: rows left in fast_target"
    grep -q "innodb_flush_log_at_trx_commit restored: 2 -> 1" "$2" || fail "$1: no restore printed: $(cat "$2")"
}

# killed_load NAME N [csload options]: a fresh target NAME, a load SIGKILLed
# once its Nth chunk is committed
killed_load() {
    local name=$1 n=$2 rc=0
    shift 2
    target "$name"
    fault_reset
    CS_FAULT_POINTS="load.committed:kill@$n" load_into "$name" "$WORK/dump" --threads 2 "$@" \
        2> "$WORK/$name.log" || rc=$?
    [ "$rc" -eq 137 ] || { cat "$WORK/$name.log" >&2; fail "$name: csload was not killed (exit $rc)"; }
}

note "1: success; the settings changed during the load"
target t1
CS_FAULT_POINTS="load.commit:pause@2" load_bg t1 "$WORK/dump" "$WORK/t1.log" --threads 2 --fast-target
fault_wait load.commit >/dev/null || { cat "$WORK/t1.log" >&2; fail "t1: no chunk reached its commit"; }
assert_eq "$(settings t1)" "$FAST" "t1: settings during the load"
assert_eq "$(sql t1 "SELECT COUNT(*) FROM __csload.fast_target")" "$FAST_N" "t1: originals persisted"
fault_release load.commit
wait "$CS_LOAD_PID" || { cat "$WORK/t1.log" >&2; fail "t1: the load failed"; }
grep -q "innodb_flush_log_at_trx_commit: 1 -> 2" "$WORK/t1.log" || fail "t1: old -> new not printed"
grep -q "sync_binlog: 1 -> 0" "$WORK/t1.log" || fail "t1: sync_binlog not printed"
if [ "$KIND" = mysql ]; then
    grep -q "innodb_redo_log: ON -> OFF" "$WORK/t1.log" || fail "t1: the redo log was not disabled"
elif [ "$DW_READ_ONLY" = 1 ]; then
    grep -q "innodb_doublewrite = 1 left as it is (read-only" "$WORK/t1.log" ||
        fail "t1: innodb_doublewrite not said to be read-only"
else
    grep -q "innodb_doublewrite: ON -> OFF" "$WORK/t1.log" ||
        fail "t1: innodb_doublewrite was not turned off: $(grep doublewrite "$WORK/t1.log")"
fi
grep -q "verified: every chunk matches the dump" "$WORK/t1.log" || fail "t1: not verified"
restored t1 "$WORK/t1.log"
same_data src t1 bank
journal_ok t1 "$WORK/dump"
stop_server t1

note "2: a failure mid-load restores them"
target t2
fault_reset
expect_exit 1 "fault injected at load.commit" env CS_FAULT_POINTS="load.commit:fail@3" \
    "$CSLOAD" --no-defaults -S "$(sock t2)" -u root --threads 2 --retries 0 --fast-target "$WORK/dump"
printf '%s\n' "$CS_OUT" > "$WORK/t2.log"
restored t2 "$WORK/t2.log"
stop_server t2

note "3: SIGTERM mid-load, the load's own connection killed first"
target t3
fault_reset
CS_FAULT_POINTS="load.rows:pause@2" load_bg t3 "$WORK/dump" "$WORK/t3.log" --threads 2 --fast-target
fault_wait load.rows >/dev/null || { cat "$WORK/t3.log" >&2; fail "t3: no chunk reached its rows"; }
assert_eq "$(settings t3)" "$FAST" "t3: settings during the load"
owner=$(sql t3 "SELECT IS_USED_LOCK('__csload.fast_target')")
[ -n "$owner" ] && [ "$owner" != NULL ] || fail "t3: nobody holds the --fast-target lock"
sql t3 "KILL $owner"
kill -TERM "$CS_LOAD_PID"
fault_release load.rows
rc=0
wait "$CS_LOAD_PID" || rc=$?
[ "$rc" -ne 0 ] || fail "t3: SIGTERM: exit 0"
grep -q "restoring the settings on a new connection" "$WORK/t3.log" || fail "t3: no reconnect: $(cat "$WORK/t3.log")"
restored t3 "$WORK/t3.log"
# the journal says the run was started with --fast-target: its resume may use it
load_into t3 "$WORK/dump" --threads 2 --fast-target 2> "$WORK/t3.again.log" ||
    { cat "$WORK/t3.again.log" >&2; fail "t3: the resume failed"; }
grep -q "resuming" "$WORK/t3.again.log" || fail "t3: the rerun did not resume"
restored t3 "$WORK/t3.again.log"
same_data src t3 bank
journal_ok t3 "$WORK/dump"
stop_server t3

note "4: kill -9 mid-load; the next run restores first, then resumes"
killed_load t4 3 --fast-target
assert_eq "$(settings t4)" "$FAST" "t4: settings after kill -9"
load_into t4 "$WORK/dump" --threads 2 2> "$WORK/t4.again.log" ||
    { cat "$WORK/t4.again.log" >&2; fail "t4: the rerun failed"; }
first=$(grep -n "restoring them first" "$WORK/t4.again.log" | head -n 1 | cut -d: -f1)
resumed=$(grep -n "resuming" "$WORK/t4.again.log" | head -n 1 | cut -d: -f1)
[ -n "$first" ] && [ -n "$resumed" ] && [ "$first" -lt "$resumed" ] ||
    fail "t4: the settings were not restored before the resume: $(cat "$WORK/t4.again.log")"
grep -q "innodb_flush_log_at_trx_commit: 2 -> 1 (restored)" "$WORK/t4.again.log" ||
    fail "t4: the restored value not printed"
assert_eq "$(settings t4)" "$ORIG" "t4: settings after the rerun"
assert_eq "$(sql t4 "SELECT COUNT(*) FROM __csload.fast_target")" 0 "t4: rows left in fast_target"
same_data src t4 bank
journal_ok t4 "$WORK/dump"
stop_server t4

note "6: kill -9 of csload, then a server restart before the rerun"
killed_load t6 3 --fast-target
stop_server t6
restart_server t6
if [ "$KIND" = mysql ]; then
    # with the redo log disabled, no exactly-once claim survives a restart
    expect_exit 1 "restarted while csload --fast-target had its InnoDB redo log disabled" \
        load_into t6 "$WORK/dump" --threads 2
    assert_eq "$(settings t6)" "$ORIG" "t6: settings after the refused rerun"
    expect_exit 1 "cannot resume exactly once" load_into t6 "$WORK/dump" --threads 2
else
    load_into t6 "$WORK/dump" --threads 2 2> "$WORK/t6.again.log" ||
        { cat "$WORK/t6.again.log" >&2; fail "t6: the rerun failed"; }
    grep -q "the server restarted during that load" "$WORK/t6.again.log" ||
        fail "t6: the restart was not said: $(cat "$WORK/t6.again.log")"
    assert_eq "$(settings t6)" "$ORIG" "t6: settings after the rerun"
    same_data src t6 bank
    journal_ok t6 "$WORK/dump"
fi
stop_server t6

note "5: refusals change nothing"
target t5
no_journal() {
    assert_eq "$(sql t5 "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '__csload'")" 0 \
        "$1: __csload created"
    assert_eq "$(settings t5)" "$ORIG" "$1: settings changed"
}
sql t5 "CREATE DATABASE other; CREATE TABLE other.x (id INT PRIMARY KEY)"
expect_exit 1 "schema other holds 1 table\(s\) \(other.x, ...\): drop it .* or run without --fast-target" \
    load_into t5 "$WORK/dump" --fast-target
no_journal "non-empty target"
sql t5 "DROP DATABASE other"
if [ "$KIND" = mysql ]; then
    sql t5 "CREATE USER np@localhost IDENTIFIED BY ''"
else
    sql t5 "CREATE USER np@localhost"
fi
sql t5 "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, CREATE VIEW, SHOW VIEW,
        TRIGGER, EVENT, CREATE ROUTINE, ALTER ROUTINE, REFERENCES, PROCESS ON *.* TO np@localhost"
expect_exit 1 "sets innodb_flush_log_at_trx_commit globally, which the server refuses to this account.*grant it (SYSTEM_VARIABLES_ADMIN|SUPER)" \
    "$CSLOAD" --no-defaults -S "$(sock t5)" -u np --keep-binlog --fast-target "$WORK/dump"
no_journal "no privilege"
# with the privilege (but not MySQL's INNODB_REDO_LOG_ENABLE): a dry run
# says what a load would set, and that the redo log would stay on
if [ "$KIND" = mysql ]; then
    sql t5 "GRANT SYSTEM_VARIABLES_ADMIN ON *.* TO np@localhost"
else
    # MariaDB 11's SUPER no longer covers sync_binlog: BINLOG ADMIN (10.5+)
    sql t5 "GRANT SUPER, BINLOG ADMIN ON *.* TO np@localhost"
fi
expect_exit 0 "a load would set innodb_flush_log_at_trx_commit: 1 -> 2" \
    "$CSLOAD" --no-defaults -S "$(sock t5)" -u np --keep-binlog --definers=strip --dry-run --fast-target "$WORK/dump"
if [ "$KIND" = mysql ]; then
    grep -q "innodb_redo_log = ON left as it is (the account lacks INNODB_REDO_LOG_ENABLE" <<<"$CS_OUT" ||
        fail "the redo log skip not said: $CS_OUT"
fi
no_journal "dry run"
# a run started without --fast-target is not resumed with it
rc=0
CS_FAULT_POINTS="load.committed:kill@2" load_into t5 "$WORK/dump" --threads 2 2> "$WORK/t5.log" || rc=$?
[ "$rc" -eq 137 ] || { cat "$WORK/t5.log" >&2; fail "t5: csload was not killed (exit $rc)"; }
expect_exit 1 "earlier run of this dump that was started without it" \
    load_into t5 "$WORK/dump" --threads 2 --fast-target
assert_eq "$(settings t5)" "$ORIG" "resume without --fast-target: settings changed"
echo ok
