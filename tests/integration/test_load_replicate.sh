#!/usr/bin/env bash
# csload issue, test 5 -- the product's promise.  A writer runs transactions
# on the source throughout; csdump (2 threads, --lock-mode auto, then ftwrl);
# csload into a fresh target with --replicate-from the source; the writer
# stops; once the target has caught up, every table on the target equals the
# source (the same row hash) and the replication threads report no error.
. "$(dirname "$0")/lib.sh"

start_server src --server-id 1
sql_file src "$SRC/tests/data/fixture-bank.sql"
sql_file src "$SRC/tests/data/fixture-types.sql"

slave_ok() {
    local st
    st=$(mariadb --defaults-file="$WORK/$1/client.cnf" -e "SHOW SLAVE STATUS\G")
    echo "$st" | grep -q "Slave_IO_Running: Yes" && echo "$st" | grep -q "Slave_SQL_Running: Yes" &&
        echo "$st" | grep -q "Last_Error: $"
}

n=2
for mode in auto ftwrl; do
    note "lock mode $mode"
    start_writer src
    dump_of src "$WORK/d-$mode" --lock-mode "$mode" --threads 2 --chunk-rows 20000 -q
    start_server "t-$mode" --server-id "$n"
    n=$((n + 1))
    load_into "t-$mode" "$WORK/d-$mode" --threads 2 --replicate-from "127.0.0.1:$(port src)" \
        --replication-user root 2> "$WORK/load-$mode.log" ||
        { cat "$WORK/load-$mode.log" >&2; fail "$mode: csload failed"; }
    grep -q "replication from 127.0.0.1:$(port src) started" "$WORK/load-$mode.log" ||
        fail "$mode: replication not started: $(cat "$WORK/load-$mode.log")"
    sleep 1
    stop_writer src
    wait_caught_up "t-$mode" src || fail "$mode: the target does not catch up"
    slave_ok "t-$mode" || fail "$mode: replication error: $(sql "t-$mode" "SHOW SLAVE STATUS" | head -c 2000)"
    same_data src "t-$mode" bank fx "odd db.名前"
    note "$mode: target caught up at $(sql src "SELECT @@gtid_binlog_pos") with equal data"
done
echo ok
