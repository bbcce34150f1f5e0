#!/usr/bin/env bash
# issue 12, test 7: dry runs change nothing, and their exit code is the real
# run's.  csdump --dry-run prints the lock mode, the objects per kind and the
# chunks per table, and writes nothing (not even --outdir); held at its last
# step (fault point dump.dryrun) it holds no lock: its session sleeps in the
# processlist with no statement, and an ALTER TABLE from another session
# under a 5 s lock_wait_timeout goes through.  It fails like the real dump
# (same exit code, same message) on a selection that matches nothing, a
# missing privilege (of the objects or of the lock mode), an output directory that is not empty or not writable.
# csload --dry-run DIR checks the dump and the target, prints the plan and
# leaves the target as it was: no __csload, no schema, the binary log and
# the GTID state unchanged; without CREATE, or on a conflict (--if-exists=fail with a table
# already there) it fails as the real load does, which then also changes
# nothing.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"
require_faults

start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
sql src "CREATE VIEW bank.v AS SELECT id FROM bank.acct_a;
         CREATE TRIGGER bank.trg BEFORE INSERT ON bank.ctl FOR EACH ROW SET NEW.stop = NEW.stop;
         ANALYZE TABLE bank.filler" >/dev/null

note "csdump --dry-run: the plan, and no file"
dump_of src "$WORK/d0" --dry-run --threads 2 --chunk-rows 20000 2> "$WORK/dry.log" ||
    { cat "$WORK/dry.log" >&2; fail "csdump --dry-run failed"; }
grep -q "lock mode: " "$WORK/dry.log" || fail "no lock mode: $(cat "$WORK/dry.log")"
grep -Eq "would dump: 1 schema\(s\), 5 table\(s\) .*1 view\(s\), 1 routine\(s\), 1 trigger\(s\)" \
    "$WORK/dry.log" || fail "no counts per kind: $(cat "$WORK/dry.log")"
grep -Eq "bank\.filler \(InnoDB\): ~[0-9]+ rows, .*key id; ([2-9]|[1-9][0-9]+) unit\(s\), integer key ranges" \
    "$WORK/dry.log" || fail "no chunk plan for bank.filler: $(cat "$WORK/dry.log")"
grep -q "bank.ctl .*no usable key" "$WORK/dry.log" || fail "no plan for a keyless table"
assert_file_absent "$WORK/d0"
"$CSDUMP" --no-defaults -S "$(sock src)" -u root --archive "$WORK/a0.tar" --dry-run -q ||
    fail "csdump --dry-run --archive failed"
assert_file_absent "$WORK/a0.tar"

note "held at its last step, csdump --dry-run locks nothing"
CS_FAULT_POINTS="dump.dryrun:pause" dump_bg src "$WORK/d1" "$WORK/held.log" --dry-run --threads 2
fault_wait dump.dryrun >/dev/null || { cat "$WORK/held.log" >&2; fail "the dry run never reached its end"; }
# every other session is idle: no statement, no lock wait, nothing open
busy=$(sql src "SELECT COUNT(*) FROM information_schema.PROCESSLIST
                WHERE ID <> CONNECTION_ID() AND USER = 'root' AND (COMMAND <> 'Sleep' OR INFO IS NOT NULL)")
assert_eq "$busy" 0 "busy sessions while csdump --dry-run is held"
[ "$(sql src "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND USER = 'root'")" -ge 1 ] ||
    fail "csdump's session is not in the processlist"
if [ "$KIND" = mysql ]; then
    assert_eq "$(sql src "SELECT COUNT(*) FROM performance_schema.metadata_locks m
                          JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID
                          WHERE t.PROCESSLIST_ID <> CONNECTION_ID() AND m.OBJECT_TYPE IN
                          ('GLOBAL', 'BACKUP LOCK', 'COMMIT', 'TABLE')")" 0 "metadata locks held"
fi
sql src "SET SESSION lock_wait_timeout = 5; ALTER TABLE bank.filler ADD COLUMN dry INT;
         FLUSH TABLES WITH READ LOCK; UNLOCK TABLES" ||
    fail "DDL blocked while csdump --dry-run is held"
assert_eq "$(sql src "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_NAME = 'filler' AND COLUMN_NAME = 'dry'")" \
    1 "the ALTER's column"
fault_release dump.dryrun
wait "$CS_DUMP_PID" || { cat "$WORK/held.log" >&2; fail "csdump --dry-run failed after the pause"; }
assert_file_absent "$WORK/d1"

note "csdump --dry-run fails as the dump does"
# same_exit RC PATTERN csdump-options...: the dry run and the real run both
# exit RC with a message matching PATTERN
same_exit() {
    local rc=$1 pattern=$2
    shift 2
    expect_exit "$rc" "$pattern" dump_of src "$WORK/x" -q --dry-run "$@"
    assert_file_absent "$WORK/x"
    expect_exit "$rc" "$pattern" dump_of src "$WORK/x" -q "$@"
    rm -rf "$WORK/x"
}
same_exit 2 "bank\.nosuch" --tables bank.nosuch
sql src "CREATE USER lim@localhost; GRANT SELECT, SHOW VIEW, RELOAD, LOCK TABLES ON *.* TO lim@localhost"
same_exit 1 "GRANT TRIGGER ON" -u lim
sql src "CREATE USER lim2@localhost; GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON *.* TO lim2@localhost"
same_exit 1 "RELOAD" -u lim2 --lock-mode ftwrl
mkdir "$WORK/full" && : > "$WORK/full/f"
expect_exit 2 "is not empty" dump_of src "$WORK/full" -q --dry-run
expect_exit 2 "is not empty" dump_of src "$WORK/full" -q
mkdir "$WORK/ro" && chmod 0500 "$WORK/ro"
if ! touch "$WORK/ro/probe" 2>/dev/null; then # not as root, who writes anyway
    expect_exit 1 "cannot write in|Permission denied" dump_of src "$WORK/ro/d" -q --dry-run
    expect_exit 1 "Permission denied" dump_of src "$WORK/ro/d" -q
fi

note "csload --dry-run changes nothing on the target"
dump_of src "$WORK/d" --threads 2 --chunk-rows 20000 -q || fail "csdump failed"
start_server t
state() {
    sql t "SELECT GROUP_CONCAT(SCHEMA_NAME ORDER BY SCHEMA_NAME) FROM information_schema.SCHEMATA"
    gtid_pos t
    binlog_status t
}
before=$(state)
load_into t "$WORK/d" --dry-run --threads 2 2> "$WORK/ldry.log" ||
    { cat "$WORK/ldry.log" >&2; fail "csload --dry-run failed"; }
grep -q "table bank.filler: created; [0-9]* chunk(s), 200000 row(s)" "$WORK/ldry.log" ||
    fail "no plan for bank.filler: $(cat "$WORK/ldry.log")"
grep -q "dry run complete" "$WORK/ldry.log" || fail "no end line: $(cat "$WORK/ldry.log")"
# the way the chunks would go in is the way a load takes (load/tablepath.h)
if [ "$KIND" = mariadb ]; then way="through arrays of bound rows of a prepared INSERT"; else way="through LOAD DATA LOCAL INFILE"; fi
grep -q "$way" "$WORK/ldry.log" || fail "the plan does not say '$way': $(cat "$WORK/ldry.log")"
grep -q "replication: after the load csload would print" "$WORK/ldry.log" ||
    fail "no replication plan: $(cat "$WORK/ldry.log")"
assert_eq "$(state)" "$before" "the target after csload --dry-run"

note "csload --dry-run fails as the load does"
sql t "CREATE USER ld@localhost; GRANT SELECT, INSERT ON *.* TO ld@localhost"
before=$(state)
expect_exit 1 "lacks CREATE on schema bank: GRANT CREATE ON .bank.\.\* TO" \
    load_into t "$WORK/d" --dry-run --keep-binlog -u ld
echo "$CS_OUT" | grep -q "lacks CREATE on schema __csload" || fail "the journal's schema not checked: $CS_OUT"
expect_exit 1 "lacks CREATE on schema bank" load_into t "$WORK/d" --keep-binlog -u ld
assert_eq "$(state)" "$before" "the target after a load without privileges"
sql t "CREATE DATABASE bank; CREATE TABLE bank.acct_a (id INT PRIMARY KEY)"
before=$(state)
expect_exit 1 "table bank\.acct_a already exists" load_into t "$WORK/d" --dry-run
assert_eq "$(state)" "$before" "the target after a failing csload --dry-run"
expect_exit 1 "table bank\.acct_a already exists" load_into t "$WORK/d"
assert_eq "$(state)" "$before" "the target after the refused load"
load_into t "$WORK/d" --dry-run --if-exists skip -q 2> "$WORK/skip.log" ||
    { cat "$WORK/skip.log" >&2; fail "csload --dry-run --if-exists skip failed"; }
load_into t "$WORK/d" --if-exists skip -q 2>/dev/null || fail "the load the dry run predicted failed"
echo ok
