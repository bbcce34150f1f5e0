#!/usr/bin/env bash
# csdump issue 8: dumping from a MySQL multi-threaded replica (the defaults:
# replica_parallel_workers=4, replica_preserve_commit_order=ON) whose SQL
# thread has just restarted with a backlog that holds an ALTER TABLE.  The DDL
# guard (LOCK INSTANCE FOR BACKUP) makes the replicated ALTER wait, the
# transactions after it wait in commit order, and FTWRL waits for them.
#  1. The ALTER waits for a backup lock another session holds (a state that
#     is certain): csdump fails within its lock bound and names the applier
#     threads (listed from performance_schema.processlist: MySQL counts no
#     use of the deprecated information_schema table); --pause-replica refuses
#     clearly (MySQL does not stop a replica while the instance is locked for
#     backup) and leaves the replica running.
#  2. The backlog race without --pause-replica: each dump succeeds (money
#     exact; replica_of's file/position exact or marked unusable) or fails
#     within the lock bound naming the applier threads.
#  3. With --pause-replica: the dump succeeds and is consistent (money exact,
#     the ledger is the source's binlog up to replica_of's file/position),
#     the replica applies again afterwards, and copies loaded with
#     csload --replicate-from the source and from the replica catch up.
# flavors-only: mysql-9.7
[ "${CS_TEST_FLAVOR:-}" = mysql-9.7 ] || { echo "skipped: MySQL 9.7 only (CS_TEST_FLAVOR=mysql-9.7)"; exit 0; }
. "$(dirname "$0")/lib.sh"

LOCK_OPTS=(--lock-wait-timeout 2 --lock-retries 1)
LOCK_BOUND=15 # seconds: 2 attempts of 2 s, plus connecting and the catalog

start_server src --server-id 1
start_server rep --server-id 2
sql_file src "$SRC/tests/data/fixture-bank.sql"
cat > "$WORK/transfers.sql" <<'EOF'
DELIMITER //
CREATE PROCEDURE bank.transfers(n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE a INT;
  DECLARE b INT;
  DECLARE amt INT;
  WHILE i < n DO
    SET a = FLOOR(1 + RAND() * 1000), b = FLOOR(1 + RAND() * 1000), amt = FLOOR(1 + RAND() * 100);
    START TRANSACTION;
    UPDATE bank.acct_a SET bal = bal - amt WHERE id = a;
    UPDATE bank.acct_b SET bal = bal + amt WHERE id = b;
    INSERT INTO bank.ledger (a, b, amt) VALUES (a, b, amt);
    COMMIT;
    SET i = i + 1;
  END WHILE;
END//
DELIMITER ;
EOF
sql_file src "$WORK/transfers.sql"
replicate rep src
wait_caught_up rep src || fail "the replica does not catch up"
assert_eq "$(sql rep "SELECT CONCAT(@@replica_parallel_workers > 1, @@replica_preserve_commit_order)")" \
    11 "a multi-threaded replica that preserves commit order"

sql_running() {
    [ "$(sql rep "SELECT SERVICE_STATE FROM performance_schema.replication_applier_status")" = ON ]
}
# applier_waits STATE: a replica applier thread is in STATE
applier_waits() {
    [ "$(sql rep "SELECT COUNT(*) FROM performance_schema.processlist
                  WHERE USER = 'system user' AND STATE = '$1'")" -gt 0 ]
}
# received GTIDSET: the replica's IO thread has GTIDSET in its relay log
received() {
    [ "$(sql rep "SELECT GTID_SUBSET('$1', (SELECT RECEIVED_TRANSACTION_SET
                  FROM performance_schema.replication_connection_status))")" = 1 ]
}
# backlog N-BEFORE N-AFTER: the replica's SQL thread stops, the source writes
# N-BEFORE transfers, an ALTER TABLE and N-AFTER transfers, and the IO thread
# has them all in the relay log
BACKLOG_N=0
backlog() {
    BACKLOG_N=$((BACKLOG_N + 1))
    sql rep "STOP REPLICA SQL_THREAD"
    sql src "CALL bank.transfers($1); ALTER TABLE bank.ledger ADD COLUMN note$BACKLOG_N INT;
             CALL bank.transfers($2)"
    CS_WAIT_TRIES=600 wait_for received "$(gtid_pos src)" ||
        fail "the replica's IO thread does not receive the backlog"
}
money() {
    echo $(( $(tsv_sum "$1" acct_a 2) + $(tsv_sum "$1" acct_b 2) ))
}
# position_ok DIR RUN: replica_of's file/position is the snapshot's, or is
# marked unusable with the GTID set kept
position_ok() {
    local file pos why rows inlog
    file=$(manifest_get "$1" "m['replica_of'].get('binlog_file') or ''")
    pos=$(manifest_get "$1" "m['replica_of']['binlog_position']")
    why=$(manifest_get "$1" "m['replica_of'].get('file_position_unusable') or ''")
    assert_eq "$(manifest_get "$1" "m['replica_of']['gtid_set']")" \
        "$(manifest_get "$1" "m['coordinates']['gtid_set']")" "$2: replica_of's GTID set"
    if [ -z "$file" ]; then
        [ -n "$why" ] || fail "$2: replica_of has no file/position and does not say why"
        note "$2: replica_of file/position unusable: $why"
        return 1
    fi
    [ -z "$why" ] || fail "$2: a file/position beside the unusable mark"
    rows=$(tsv_rows "$1" ledger)
    inlog=$(binlog_count src "$file" "$pos" '^### INSERT INTO `bank`.`ledger`')
    assert_eq "$rows" "$inlog" "$2: transfers in the dump vs the source's binlog up to $file:$pos"
    note "$2: replica_of $file:$pos holds exactly the $rows transfers of the dump"
}

note "1. a replicated ALTER waits for a backup lock held by another session"
backlog 50 200
mariadb --defaults-file="$WORK/rep/client.cnf" -e "LOCK INSTANCE FOR BACKUP; SELECT SLEEP(600)" \
    >/dev/null 2>&1 &
holder=$!
bg_track "$holder"
wait_for session_running rep 'SELECT SLEEP(600)%' >/dev/null || fail "no backup lock holder"
sql rep "START REPLICA SQL_THREAD"
wait_for applier_waits "Waiting for backup lock" || fail "the replicated ALTER does not wait"
is_uses() {
    sql rep "SHOW GLOBAL STATUS LIKE 'Deprecated_use_i_s_processlist_count'" | cut -f2
}
is0=$(is_uses)
t0=$SECONDS
if dump_of rep "$WORK/d1" "${LOCK_OPTS[@]}" --threads 2 2> "$WORK/d1.log"; then
    fail "1: the dump took FTWRL although a replicated DDL holds it up: $(cat "$WORK/d1.log")"
fi
took=$((SECONDS - t0))
# the sessions were listed from performance_schema, not the deprecated table
[ -n "$is0" ] || fail "no Deprecated_use_i_s_processlist_count on this server"
assert_eq "$(is_uses)" "$is0" "1: csdump's uses of information_schema.PROCESSLIST"
[ "$took" -le "$LOCK_BOUND" ] || fail "1: csdump failed after ${took}s, beyond its lock bound"
grep -q "could not take the lock" "$WORK/d1.log" || fail "1: $(cat "$WORK/d1.log")"
grep -q "replica applier thread [0-9]* (Waiting for backup lock, [0-9]*s: ALTER TABLE bank.ledger" \
    "$WORK/d1.log" || fail "1: the waiting ALTER is not named: $(cat "$WORK/d1.log")"
grep -q "use --pause-replica" "$WORK/d1.log" || fail "1: no hint: $(cat "$WORK/d1.log")"
note "1: failed after ${took}s: $(grep error: "$WORK/d1.log" | cut -c1-300)"
if dump_of rep "$WORK/d1p" --pause-replica --threads 2 2> "$WORK/d1p.log"; then
    fail "1: --pause-replica could stop the SQL thread under another session's backup lock"
fi
grep -q "locked for backup" "$WORK/d1p.log" || fail "1: $(cat "$WORK/d1p.log")"
sql_running || fail "1: the replica's SQL thread does not run after a refused --pause-replica"
sql rep "KILL $(session_running rep 'SELECT SLEEP(600)%')"
wait "$holder" 2>/dev/null || true
wait_caught_up rep src || fail "1: the replica does not catch up once the backup lock is gone"

note "2. the backlog race, without --pause-replica"
for i in 1 2 3; do
    backlog 20 1500
    sql rep "START REPLICA SQL_THREAD"
    t0=$SECONDS
    if dump_of rep "$WORK/d2-$i" "${LOCK_OPTS[@]}" --threads 2 2> "$WORK/d2-$i.log"; then
        assert_eq "$(money "$WORK/d2-$i")" 2000000 "2.$i: money"
        position_ok "$WORK/d2-$i" "2.$i" || true
    else
        took=$((SECONDS - t0))
        [ "$took" -le "$LOCK_BOUND" ] || fail "2.$i: csdump failed after ${took}s, beyond its lock bound"
        grep -q "could not take the lock.*replica applier thread" "$WORK/d2-$i.log" ||
            fail "2.$i: the failure names no applier thread: $(cat "$WORK/d2-$i.log")"
        note "2.$i: failed after ${took}s: $(grep error: "$WORK/d2-$i.log" | cut -c1-600)"
    fi
    wait_caught_up rep src || fail "2.$i: the replica does not catch up"
done

note "3. --pause-replica"
backlog 20 3000
start_writer src
sql rep "START REPLICA SQL_THREAD"
dump_of rep "$WORK/d3" --pause-replica --threads 2 2> "$WORK/d3.log" ||
    fail "3: csdump --pause-replica failed: $(cat "$WORK/d3.log")"
grep -q "SQL thread is stopped for the snapshot" "$WORK/d3.log" || fail "3: $(cat "$WORK/d3.log")"
grep -q "SQL thread runs again" "$WORK/d3.log" || fail "3: $(cat "$WORK/d3.log")"
assert_eq "$(manifest_get "$WORK/d3" "m['snapshot']['consistent']")" True "3: consistent"
assert_eq "$(money "$WORK/d3")" 2000000 "3: money"
position_ok "$WORK/d3" 3 || fail "3: no replica_of file/position although the applier was stopped"
sql_running || fail "3: the replica's SQL thread does not run after the dump"
# copies seeded from the dump replicate from the replica's source and from the replica
start_server cps --server-id 3
start_server cpr --server-id 4
load_into cps "$WORK/d3" --threads 2 --replicate-from "127.0.0.1:$(port src)" \
    --replication-user root 2> "$WORK/load-cps.log" || fail "3: csload: $(cat "$WORK/load-cps.log")"
load_into cpr "$WORK/d3" --threads 2 --replicate-from "127.0.0.1:$(port rep)" \
    --replication-user root 2> "$WORK/load-cpr.log" || fail "3: csload: $(cat "$WORK/load-cpr.log")"
stop_writer src
for t in rep cps cpr; do
    wait_caught_up "$t" src || fail "3: $t does not catch up"
    replica_ok "$t" || fail "3: $t: $(sql "$t" "SHOW REPLICA STATUS\G" | grep -i error)"
done
same_data src rep bank
same_data src cps bank
same_data src cpr bank
note "3: $(tsv_rows "$WORK/d3" ledger) transfers in the dump; copies caught up at $(gtid_pos src)"
echo ok
