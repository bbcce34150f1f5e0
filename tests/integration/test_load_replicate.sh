#!/usr/bin/env bash
# csload issue, test 5 -- the product's promise.  A writer runs transactions
# on the source throughout; csdump (2 threads, --lock-mode auto, then ftwrl);
# the dump holds exactly the money there is, and its GTID set ends at the
# last transaction it contains (the transfers in the binary log's
# transactions of that set are exactly the dumped ones, as are those up to
# its file/position); csload into a fresh target with --replicate-from the
# source; the writer stops; once the target has caught up, every table on
# the target equals the source (the same row hash), the money is exact, the
# GTID state is the source's and the replication threads report no error.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src --server-id 1
sql_file src "$SRC/tests/data/fixture-bank.sql"
types_fixture src

INSERT_LEDGER='^### INSERT INTO `bank`.`ledger`'

check_dump() {
    local dir=$1 mode=$2 total ledger file pos gtid inlog ingtid
    total=$(( $(tsv_sum "$dir" acct_a 2) + $(tsv_sum "$dir" acct_b 2) ))
    assert_eq "$total" 2000000 "$mode: money in the dump"
    ledger=$(tsv_rows "$dir" ledger)
    file=$(manifest_get "$dir" "m['coordinates']['binlog_file']")
    pos=$(manifest_get "$dir" "m['coordinates']['binlog_position']")
    gtid=$(manifest_get "$dir" "m['coordinates']['gtid_set']")
    [ -n "$gtid" ] || fail "$mode: the dump has no GTID set"
    inlog=$(binlog_count src "$file" "$pos" "$INSERT_LEDGER")
    assert_eq "$ledger" "$inlog" "$mode: transfers in the dump vs the binlog up to $file:$pos"
    ingtid=$(binlog_count_gtid src "$gtid" "$INSERT_LEDGER")
    assert_eq "$ledger" "$ingtid" "$mode: transfers in the dump vs the binlog's transactions in $gtid"
    note "$mode: $ledger transfers at $file:$pos, GTID $gtid"
}

case "$FLAVOR" in
mariadb-11.*) modes="auto backup-stage lockless" ;;
*) modes="auto ftwrl" ;;
esac
n=2
for mode in $modes; do
    note "lock mode $mode"
    start_writer src
    if ! dump_of src "$WORK/d-$mode" --lock-mode "$mode" --threads 2 --chunk-rows 20000 \
        --lockless-retries 10 -q 2> "$WORK/dump-$mode.log"; then
        # lockless may find no proof under writes: it must then say so and fail closed
        [ "$mode" = lockless ] && grep -q "opened different snapshots" "$WORK/dump-$mode.log" ||
            { cat "$WORK/dump-$mode.log" >&2; fail "$mode: csdump failed"; }
        assert_file_absent "$WORK/d-$mode/manifest.json"
        note "lockless refused under writes, as it may"
        stop_writer src
        continue
    fi
    check_dump "$WORK/d-$mode" "$mode"
    start_server "t-$mode" --server-id "$n"
    n=$((n + 1))
    load_into "t-$mode" "$WORK/d-$mode" --threads 2 --replicate-from "127.0.0.1:$(port src)" \
        --replication-user root 2> "$WORK/load-$mode.log" ||
        { cat "$WORK/load-$mode.log" >&2; fail "$mode: csload failed"; }
    grep -q "replication from 127.0.0.1:$(port src) started" "$WORK/load-$mode.log" ||
        fail "$mode: replication not started: $(cat "$WORK/load-$mode.log")"
    writer_goes_on src
    stop_writer src
    wait_caught_up "t-$mode" src || fail "$mode: the target does not catch up"
    # healthy: a reconnecting I/O thread (a loaded machine, slave_net_timeout)
    # is not an error, so the state is waited for, not sampled once
    CS_WAIT_TRIES=300 wait_for replica_ok "t-$mode" ||
        fail "$mode: replication error: $(sql "t-$mode" "SHOW REPLICA STATUS" | head -c 2000)"
    same_data src "t-$mode" bank fx "odd db.名前"
    assert_eq "$(sql "t-$mode" "SELECT (SELECT SUM(bal) FROM bank.acct_a) + (SELECT SUM(bal) FROM bank.acct_b)")" \
        2000000 "$mode: money on the target"
    if [ "$KIND" = mysql ]; then
        assert_eq "$(gtid_pos "t-$mode")" "$(gtid_pos src)" "$mode: gtid_executed"
    else
        assert_eq "$(sql "t-$mode" "SELECT @@GLOBAL.gtid_slave_pos")" "$(gtid_pos src)" \
            "$mode: gtid_slave_pos"
    fi
    note "$mode: target caught up at $(gtid_pos src) with equal data"
done
echo ok
