#!/usr/bin/env bash
# csdump issue, test 2: consistency under writes.  A writer moves money
# between acct_a and acct_b in transactions (total constant) and logs each
# transfer in ledger.  For 2-thread dumps with auto, ftwrl and backup-stage:
# the dumped total is exactly 2,000,000, and the dumped transfers are exactly
# those in the binary log up to the recorded coordinates.  lockless under the
# same load proves consistency or fails with its message -- never a success
# with an inconsistent dump.  Every lock mode the flavor offers: MariaDB
# auto, ftwrl, backup-stage, lockless; MySQL auto, ftwrl, backup-lock,
# lock-tables (the binary log read with the flavor's own reader).
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"

check_dump() {
    local dir=$1 mode=$2 total ledger file pos inlog
    total=$(( $(tsv_sum "$dir" acct_a 2) + $(tsv_sum "$dir" acct_b 2) ))
    assert_eq "$total" 2000000 "$mode: money in the dump"
    ledger=$(tsv_rows "$dir" ledger)
    file=$(manifest_get "$dir" "m['coordinates']['binlog_file']")
    pos=$(manifest_get "$dir" "m['coordinates']['binlog_position']")
    inlog=$(binlog_count src "$file" "$pos" '^### INSERT INTO `bank`.`ledger`')
    assert_eq "$ledger" "$inlog" "$mode: transfers in the dump vs the binlog up to $file:$pos"
    assert_eq "$(manifest_get "$dir" "m['snapshot']['consistent']")" True "$mode: consistent"
    note "$mode: $ledger transfers, total $total, at $file:$pos"
}

if [ "$KIND" = mysql ]; then modes="auto ftwrl backup-lock lock-tables"; else modes="auto ftwrl backup-stage"; fi
start_writer src
for mode in $modes; do
    dump_of src "$WORK/d-$mode" --lock-mode "$mode" --threads 2 --chunk-rows 20000 -q
    check_dump "$WORK/d-$mode" "$mode"
done

if [ "$KIND" = mysql ]; then
    stop_writer src
    echo ok
    exit 0
fi

# lockless (MariaDB): proof or a clear refusal
set +e
out=$(dump_of src "$WORK/d-lockless" --lock-mode lockless --threads 2 --lockless-retries 3 2>&1)
rc=$?
set -e
if [ "$rc" -eq 0 ]; then
    check_dump "$WORK/d-lockless" lockless
else
    echo "$out" | grep -q "lockless: the .* connections opened different snapshots" ||
        fail "lockless failed without its message: $out"
    assert_file_absent "$WORK/d-lockless/manifest.json"
    note "lockless refused under load, as it may"
fi
stop_writer src

# on an idle server lockless proves consistency
dump_of src "$WORK/d-idle" --lock-mode lockless --threads 2 -q
check_dump "$WORK/d-idle" lockless-idle
echo ok
