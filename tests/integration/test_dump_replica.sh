#!/usr/bin/env bash
# csdump issue: dumping from a replica records, besides the replica's own
# binlog coordinates, its position in its source's stream (replica_of): the
# GTID set as of the snapshot (MariaDB: mysql.gtid_slave_pos read inside it;
# MySQL: gtid_executed under the barrier), and the file/position in the
# source's binary log only when it matches the snapshot -- else the manifest
# says why not (file_position_unusable) and keeps the GTID set.  Checked with
# a writer on the source: the transfers in the dump are exactly the source's
# transactions up to the recorded GTID, and exactly those up to the recorded
# file/position when there is one.  With --pause-replica the file/position is
# always there, and the replica's SQL thread runs again afterwards, also when
# the dump fails.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src --server-id 1
start_server rep --server-id 2
sql_file src "$SRC/tests/data/fixture-bank.sql"
replicate rep src
wait_caught_up rep src || fail "the replica does not catch up"

start_writer src
# transactions before the writer's first transfer (the writer's own UPDATE ctl included)
base=$(sql src "SELECT MIN(id) FROM bank.ledger")
for run in auto ftwrl pause; do
    dir=$WORK/d-$run
    opts=(--lock-mode "$run")
    [ "$run" = pause ] && opts=(--pause-replica)
    dump_of rep "$dir" "${opts[@]}" --threads 2 2> "$WORK/dump-$run.log" ||
        { cat "$WORK/dump-$run.log" >&2; fail "$run: csdump failed"; }
    host=$(manifest_get "$dir" "m['replica_of']['source_host']")
    assert_eq "$host" 127.0.0.1 "$run: source host"
    src_gtid=$(manifest_get "$dir" "m['replica_of']['gtid_set']")
    own=$(manifest_get "$dir" "m['coordinates']['gtid_set']")
    [ -n "$src_gtid" ] || fail "$run: no source GTID recorded"
    # every ledger row is one source transaction with its own GTID, in order
    rows=$(tsv_rows "$dir" ledger)
    maxid=$( (cd "$dir" && zstd -qdc bank.ledger.*.tsv.zst) | cut -f1 | sort -n | tail -1)
    assert_eq "$rows" "$((maxid - base + 1))" "$run: ledger rows are a prefix"
    total=$(( $(tsv_sum "$dir" acct_a 2) + $(tsv_sum "$dir" acct_b 2) ))
    assert_eq "$total" 2000000 "$run: money"
    # the file/position, when recorded, is the snapshot's exactly
    file=$(manifest_get "$dir" "m['replica_of'].get('binlog_file') or ''")
    pos=$(manifest_get "$dir" "m['replica_of']['binlog_position']")
    why=$(manifest_get "$dir" "m['replica_of'].get('file_position_unusable') or ''")
    if [ -n "$file" ]; then
        [ -z "$why" ] || fail "$run: a file/position beside the unusable mark: $why"
        inlog=$(binlog_count src "$file" "$pos" '^### INSERT INTO `bank`.`ledger`')
        assert_eq "$inlog" "$rows" "$run: transfers in the dump vs the source's binlog up to $file:$pos"
    else
        [ -n "$why" ] || fail "$run: replica_of has no file/position and does not say why"
        assert_eq "$pos" 0 "$run: the position beside the unusable mark"
        grep -q "only the GTID position is recorded" "$WORK/dump-$run.log" ||
            fail "$run: no warning about the unusable file/position"
        [ "$run" != pause ] || fail "pause: no file/position although the applier was stopped: $why"
    fi
    note "$run: source GTID $src_gtid, own $own, ledger rows $rows (ids $base..$maxid), file/position ${file:+$file:$pos}${why:+unusable: $why}"
    echo "$(gtid_last "$src_gtid") $maxid" >> "$WORK/pairs"
done
grep -q "SQL thread is stopped for the snapshot" "$WORK/dump-pause.log" ||
    fail "pause: the SQL thread was not stopped: $(cat "$WORK/dump-pause.log")"
grep -q "SQL thread runs again" "$WORK/dump-pause.log" ||
    fail "pause: the SQL thread was not started again: $(cat "$WORK/dump-pause.log")"
replica_ok rep || fail "replication does not run after --pause-replica"
# a dump that fails after the pause (here: reading the catalog) starts it again too
dump_of rep "$WORK/d-fail" --pause-replica --regex '(' 2> "$WORK/dump-fail.log" &&
    fail "csdump --regex '(' succeeded"
grep -q "SQL thread is stopped for the snapshot" "$WORK/dump-fail.log" &&
    grep -q "SQL thread runs again" "$WORK/dump-fail.log" ||
    fail "a failed dump does not start the SQL thread again: $(cat "$WORK/dump-fail.log")"
replica_ok rep || fail "replication does not run after a failed --pause-replica dump"
stop_writer src
wait_caught_up rep src || fail "the replica does not catch up after --pause-replica"
# the offset between a ledger id and its source GTID sequence number is the
# same in every dump: each dump stopped exactly at a recorded GTID
offsets=$(awk '{print $1 - $2}' "$WORK/pairs" | sort -u | wc -l)
assert_eq "$offsets" 1 "GTID vs ledger offset across dumps"
echo ok
