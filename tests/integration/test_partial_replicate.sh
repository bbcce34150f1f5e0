#!/usr/bin/env bash
# issue 12, test 6: a partial dump and --replicate-from.  The source has the
# bank (whole in the dump), crm (only crm.keep in the dump) and other (not
# in the dump); every bank transfer also writes, in the same transaction,
# to crm.keep, crm.skip and other.audit (a trigger), and DDL runs inside and
# outside the dump while the target replicates.  csdump --databases bank
# --tables crm.keep under the writer; csload --replicate-from sets the
# filters matching the dump (replicate_wild_do_table bank.%, replicate_do_table
# crm.keep; MySQL: CHANGE REPLICATION FILTER) and prints them; replication
# keeps running without an error, and the dumped schemas end equal on the
# target (a table created in bank later comes along; nothing of other, of
# crm.skip or of a new schema reaches the target).  --replicate-all leaves
# the filters out, and the same load's replica then stops at the first
# write outside the dump.  When csload itself loads part of the dump
# (--tables), each loaded table is filtered alone and replication runs.  A dump with --where refuses --replicate-from before
# anything is loaded, saying why.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src --server-id 1
sql_file src "$SRC/tests/data/fixture-bank.sql"
sql src "CREATE DATABASE crm; CREATE DATABASE other;
         CREATE TABLE crm.keep (id BIGINT AUTO_INCREMENT PRIMARY KEY, lid BIGINT, amt INT);
         CREATE TABLE crm.skip (id BIGINT AUTO_INCREMENT PRIMARY KEY, lid BIGINT);
         CREATE TABLE other.audit (id BIGINT AUTO_INCREMENT PRIMARY KEY, lid BIGINT);
         CREATE TRIGGER bank.fanout AFTER INSERT ON bank.ledger FOR EACH ROW
           INSERT INTO other.audit (lid) VALUES (NEW.id);
         CREATE TRIGGER other.fan2 AFTER INSERT ON other.audit FOR EACH ROW
           INSERT INTO crm.skip (lid) VALUES (NEW.lid);
         CREATE TRIGGER crm.fan3 AFTER INSERT ON crm.skip FOR EACH ROW
           INSERT INTO crm.keep (lid, amt) VALUES (NEW.lid, 1);"

note "a partial dump under the writer"
start_writer src
dump_of src "$WORK/d" --databases bank --tables crm.keep --threads 2 --chunk-rows 20000 -q \
    2> "$WORK/dump.log" || { cat "$WORK/dump.log" >&2; fail "csdump failed"; }
assert_eq "$(manifest_get "$WORK/d" "m['partial']")" True "manifest: partial"
assert_eq "$(manifest_get "$WORK/d" "m['whole_schemas']")" "['bank']" "manifest: whole schemas"

start_server t --server-id 2
REPL=(--replicate-from "127.0.0.1:$(port src)" --replication-user root)

note "csload --dry-run prints the filters, and sets nothing"
expect_exit 0 "replicate_do_table" load_into t "$WORK/d" --dry-run "${REPL[@]}"
assert_eq "$(sql t "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('bank', 'crm', '__csload')")" \
    0 "schemas after the dry run"
assert_eq "$(sql t "SHOW REPLICA STATUS")" "" "a replica after the dry run"

note "csload --replicate-from sets the filters"
load_into t "$WORK/d" --threads 2 "${REPL[@]}" 2> "$WORK/load.log" ||
    { cat "$WORK/load.log" >&2; fail "csload failed"; }
grep -q "replication filters so that the replica applies exactly those (1 schema(s) whole, 1 single table(s)), before the CHANGE statement" \
    "$WORK/load.log" || fail "the filters are not announced: $(cat "$WORK/load.log")"
if [ "$KIND" = mysql ]; then
    grep -qF "CHANGE REPLICATION FILTER REPLICATE_WILD_DO_TABLE = ('bank.%'), REPLICATE_DO_TABLE = (\`crm\`.\`keep\`)" \
        "$WORK/load.log" || fail "no CHANGE REPLICATION FILTER printed: $(cat "$WORK/load.log")"
    filters=$(sql t "SELECT GROUP_CONCAT(CONCAT(FILTER_NAME, '=', FILTER_RULE) ORDER BY FILTER_NAME)
                     FROM performance_schema.replication_applier_filters WHERE CHANNEL_NAME = ''")
    assert_eq "$filters" "REPLICATE_DO_TABLE=crm.keep,REPLICATE_WILD_DO_TABLE=bank.%" "the target's filters"
else
    grep -qF "SET GLOBAL replicate_wild_do_table = 'bank.%'" "$WORK/load.log" ||
        fail "no replicate_wild_do_table printed: $(cat "$WORK/load.log")"
    assert_eq "$(sql t "SELECT @@GLOBAL.replicate_wild_do_table")" "bank.%" "replicate_wild_do_table"
    assert_eq "$(sql t "SELECT @@GLOBAL.replicate_do_table")" "crm.keep" "replicate_do_table"
fi
grep -q "replicate_wild_do_table=bank.%" "$WORK/load.log" || fail "no option-file lines printed"
grep -q "replication from 127.0.0.1:$(port src) started" "$WORK/load.log" ||
    fail "replication not started: $(cat "$WORK/load.log")"

note "writes and DDL inside and outside the dump while the target replicates"
writer_goes_on src
sql src "CREATE DATABASE other2; CREATE TABLE other2.t (id INT PRIMARY KEY); INSERT INTO other2.t VALUES (1);
         CREATE TABLE other.late (id INT PRIMARY KEY); INSERT INTO other.late VALUES (1);
         CREATE TABLE crm.late (id INT PRIMARY KEY); INSERT INTO crm.late VALUES (1);
         CREATE TABLE bank.late (id INT PRIMARY KEY); INSERT INTO bank.late VALUES (7);
         USE other; UPDATE crm.keep SET amt = 2 WHERE id = 1; UPDATE bank.acct_a SET bal = bal WHERE id = 1"
writer_goes_on src
stop_writer src
wait_caught_up t src || fail "the target does not catch up: $(sql t "SHOW REPLICA STATUS" | head -c 2000)"
replica_ok t || fail "replication error: $(sql t "SHOW REPLICA STATUS" | head -c 2000)"

same_data src t bank
assert_eq "$(sql t "SELECT COUNT(*), SUM(amt), MAX(lid) FROM crm.keep")" \
    "$(sql src "SELECT COUNT(*), SUM(amt), MAX(lid) FROM crm.keep")" "crm.keep on the target"
[ "$(sql t "SELECT COUNT(*) FROM crm.keep")" -gt 0 ] || fail "nothing reached crm.keep"
assert_eq "$(sql t "SELECT id FROM bank.late")" 7 "a table created in bank after the dump"
assert_eq "$(sql t "SELECT COUNT(*) FROM information_schema.SCHEMATA
                    WHERE SCHEMA_NAME IN ('other', 'other2')")" 0 "schemas outside the dump on the target"
assert_eq "$(sql t "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES
                    WHERE TABLE_SCHEMA = 'crm'")" keep "tables of crm on the target"
assert_eq "$(sql t "SELECT (SELECT SUM(bal) FROM bank.acct_a) + (SELECT SUM(bal) FROM bank.acct_b)")" \
    2000000 "money on the target"
note "caught up at $(gtid_pos src): bank and crm.keep equal, nothing else replicated"

note "--replicate-all: no filters, and the replica stops at the first write outside the dump"
start_server t2 --server-id 3
# csload fails if the replica stops while it waits for it to connect, and
# succeeds if it connected first; either way the replica then stops
set +e
CS_OUT=$(load_into t2 "$WORK/d" --threads 2 "${REPL[@]}" --replicate-all 2>&1)
set -e
echo "$CS_OUT" | grep -q "load complete" || fail "csload --replicate-all did not load: $CS_OUT"
echo "$CS_OUT" | grep -q -- "--replicate-all: no replication filters" || fail "--replicate-all not said: $CS_OUT"
echo "$CS_OUT" | grep -q "replicate_wild_do_table\|REPLICATION FILTER" && fail "--replicate-all printed filters"
# sql_error_outside NAME: the replica's SQL thread stopped on a missing table
# (1146), one outside the dump (MySQL names it in the worker's status)
sql_error_outside() {
    mariadb --defaults-file="$WORK/$1/client.cnf" -e "SHOW REPLICA STATUS\G" |
        grep -q "Last_SQL_Errno: 1146" || return 1
    if [ "$KIND" = mysql ]; then
        sql "$1" "SELECT LAST_ERROR_MESSAGE FROM performance_schema.replication_applier_status_by_worker" |
            grep -Eq "(crm\.skip|other\.audit)' doesn't exist"
    else
        mariadb --defaults-file="$WORK/$1/client.cnf" -e "SHOW REPLICA STATUS\G" |
            grep -Eq "Last_SQL_Error: .*(crm\.skip|other\.audit)' doesn't exist"
    fi
}
wait_for sql_error_outside t2 ||
    fail "the replica without filters did not stop: $(sql t2 "SHOW REPLICA STATUS" | head -c 2000)"
if [ "$KIND" = mysql ]; then
    assert_eq "$(sql t2 "SELECT COUNT(*) FROM performance_schema.replication_applier_filters")" 0 \
        "filters with --replicate-all"
else
    assert_eq "$(sql t2 "SELECT @@GLOBAL.replicate_wild_do_table")" "" "filters with --replicate-all"
fi

note "csload --tables loads part of the dump: each loaded table is filtered alone"
start_server t4 --server-id 5
load_into t4 "$WORK/d" --threads 2 "${REPL[@]}" --tables 'bank.acct_%,bank.ledger' 2> "$WORK/load-part.log" ||
    { cat "$WORK/load-part.log" >&2; fail "csload --tables --replicate-from failed"; }
grep -q "(0 schema(s) whole, 3 single table(s))" "$WORK/load-part.log" ||
    fail "not each loaded table alone: $(cat "$WORK/load-part.log")"
wait_caught_up t4 src || fail "t4 does not catch up: $(sql t4 "SHOW REPLICA STATUS" | head -c 2000)"
replica_ok t4 || fail "replication error on t4: $(sql t4 "SHOW REPLICA STATUS" | head -c 2000)"
for q in "SELECT COUNT(*), SUM(bal) FROM bank.acct_a" "SELECT COUNT(*), SUM(bal) FROM bank.acct_b" \
    "SELECT COUNT(*), SUM(amt), MAX(id) FROM bank.ledger"; do
    assert_eq "$(sql t4 "$q")" "$(sql src "$q")" "t4: $q"
done
assert_eq "$(sql t4 "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES
                     WHERE TABLE_SCHEMA = 'bank' AND TABLE_TYPE = 'BASE TABLE'")" "acct_a,acct_b,ledger" \
    "tables of bank on t4"

note "a --where dump refuses --replicate-from"
dump_of src "$WORK/dw" --databases bank --where 'bank.ledger:id < 10' -q 2> "$WORK/dw.log" ||
    { cat "$WORK/dw.log" >&2; fail "csdump --where failed"; }
start_server t3 --server-id 4
expect_exit 1 "holds only the rows of bank\.ledger that its --where filter selected.*nothing was loaded" \
    load_into t3 "$WORK/dw" "${REPL[@]}"
assert_eq "$(sql t3 "SELECT COUNT(*) FROM information_schema.SCHEMATA
                     WHERE SCHEMA_NAME IN ('bank', '__csload')")" 0 "schemas after the refusal"
load_into t3 "$WORK/dw" -q 2> "$WORK/lw.log" || { cat "$WORK/lw.log" >&2; fail "the --where dump does not load"; }
echo ok
