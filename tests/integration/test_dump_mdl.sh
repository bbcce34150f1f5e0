#!/usr/bin/env bash
# issue 14: a snapshot session releases the metadata lock of each table it
# has dumped (ROLLBACK TO SAVEPOINT, the snapshot kept); a transaction
# would otherwise hold one per table read until the dump ends, which made
# the source's CPU per table grow with the table count (MariaDB looks each
# new lock up in the list of those held) and kept DDL on dumped tables
# waiting.  Seen with --lock-mode none (no DDL guard): while the dump is
# paused inside bank.big, a table the other connection already dumped can
# be altered; the rows are the snapshot's all the same.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"
require_faults

start_server src
start_server tgt
sql src "SET SESSION sql_log_bin = 0; CREATE DATABASE bank;
         CREATE TABLE bank.s1 (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO bank.s1 VALUES (1, 'a'), (2, 'b');
         CREATE TABLE bank.s2 (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO bank.s2 VALUES (3, 'c')"
make_big src 20000

CS_FAULT_POINTS="dump.rows=bank.big:pause" dump_bg src "$WORK/d" "$WORK/d.log" -B bank -t 2 \
    --lock-mode none -q
fault_wait dump.rows >/dev/null || { cat "$WORK/d.log" >&2; fail "csdump never paused in bank.big"; }
sql src "SET SESSION sql_log_bin = 0; INSERT INTO bank.s2 VALUES (4, 'after the snapshot')"

note "a dumped table is not metadata-locked while the dump goes on"
alter_s1() {
    sql src "SET SESSION lock_wait_timeout = 1; SET SESSION sql_log_bin = 0;
             ALTER TABLE bank.s1 COMMENT = 'altered during the dump'" 2>/dev/null
}
CS_WAIT_TRIES=20 wait_for alter_s1 || fail "ALTER TABLE bank.s1 kept waiting for the dump's metadata lock"
# the table being dumped stays locked
rc=0
sql src "SET SESSION lock_wait_timeout = 1; SET SESSION sql_log_bin = 0;
         ALTER TABLE bank.big COMMENT = 'x'" 2>"$WORK/big.err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "Lock wait timeout" "$WORK/big.err" ||
    fail "bank.big, being dumped, should stay metadata-locked"
fault_release dump.rows
wait "$CS_DUMP_PID" || { cat "$WORK/d.log" >&2; fail "csdump failed"; }

note "the dump holds the snapshot's rows"
assert_eq "$(manifest_get "$WORK/d" "[t['rows'] for t in m['tables'] if t['name'] == 's2'][0]")" 1
load_into tgt "$WORK/d" -q || fail "csload failed"
assert_eq "$(sql tgt "SELECT COUNT(*) FROM bank.big")" 20000
assert_eq "$(sql tgt "SELECT GROUP_CONCAT(id ORDER BY id) FROM bank.s2")" 3
note "ok"
