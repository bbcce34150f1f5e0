#!/usr/bin/env bash
# csdump issue: dumping from a replica records, besides the replica's own
# binlog coordinates, its position in its source's stream, read inside the
# snapshot from mysql.gtid_slave_pos.  Checked with a writer on the source:
# the transfers in the dump are exactly the source's transactions up to the
# recorded source GTID.
. "$(dirname "$0")/lib.sh"

start_server src --server-id 1
start_server rep --server-id 2
sql_file src "$SRC/tests/data/fixture-bank.sql"
replicate rep src
wait_caught_up rep src || fail "the replica does not catch up"

start_writer src
# transactions before the writer's first transfer (the writer's own UPDATE ctl included)
base=$(sql src "SELECT MIN(id) FROM bank.ledger")
for mode in auto ftwrl; do
    dump_of rep "$WORK/d-$mode" --lock-mode "$mode" --threads 2 -q
    host=$(manifest_get "$WORK/d-$mode" "m['replica_of']['source_host']")
    assert_eq "$host" 127.0.0.1 "$mode: source host"
    src_gtid=$(manifest_get "$WORK/d-$mode" "m['replica_of']['gtid_set']")
    own=$(manifest_get "$WORK/d-$mode" "m['coordinates']['gtid_set']")
    [ -n "$src_gtid" ] || fail "$mode: no source GTID recorded"
    # every ledger row is one source transaction with its own GTID, in order
    rows=$(tsv_rows "$WORK/d-$mode" ledger)
    maxid=$( (cd "$WORK/d-$mode" && zstd -qdc bank.ledger.*.tsv.zst) | cut -f1 | sort -n | tail -1)
    assert_eq "$rows" "$((maxid - base + 1))" "$mode: ledger rows are a prefix"
    seq=$(gtid_seq "$src_gtid" 0)
    note "$mode: source GTID $src_gtid, own $own, ledger rows $rows (ids $base..$maxid)"
    total=$(( $(tsv_sum "$WORK/d-$mode" acct_a 2) + $(tsv_sum "$WORK/d-$mode" acct_b 2) ))
    assert_eq "$total" 2000000 "$mode: money"
    echo "$seq $maxid" >> "$WORK/pairs"
done
stop_writer src
# the offset between a ledger id and its source GTID sequence number is the
# same in every dump: both dumps stopped exactly at a recorded GTID
offsets=$(awk '{print $1 - $2}' "$WORK/pairs" | sort -u | wc -l)
assert_eq "$offsets" 1 "GTID vs ledger offset across dumps"
echo ok
