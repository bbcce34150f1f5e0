#!/usr/bin/env bash
# csdump issue, tests 4 and 6.
#  4. A long-running statement on a dumped table: --lock-mode=ftwrl gives up
#     within the configured bound naming the blocking session, and the source
#     takes writes at once afterwards -- with the long-query guard, and with
#     the guard off (the lock wait itself is bounded).
#  6. An instant ALTER TABLE ... ADD COLUMN on a dumped table during the dump:
#     it waits for the dump (DDL is blocked), and the dump's rows all have the
#     recorded shape.  Without the privilege to block DDL, the change is
#     detected and the dump fails clearly.
. "$(dirname "$0")/lib.sh"

start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
make_big src 300000

# writes_ok: an insert commits within 2 s
writes_ok() {
    sql src "SET SESSION lock_wait_timeout = 2; SET SESSION innodb_lock_wait_timeout = 2;
             INSERT INTO bank.ledger (a, b, amt) VALUES (0, 0, 0)"
}

long_update() {
    mariadb --defaults-file="$WORK/src/client.cnf" -e \
        "UPDATE bank.acct_a SET bal = bal + 0 WHERE id = 1 AND SLEEP($1) = 0" &
    bg_track $!
    LONG_PID=$!
    wait_for session_running src 'UPDATE bank.acct_a%' >/dev/null || fail "no long update"
    LONG_ID=$(session_running src 'UPDATE bank.acct_a%')
}

# query_older_than ID SECONDS: session ID's statement has run more than SECONDS
query_older_than() {
    [ "$(sql src "SELECT TIME > $2 FROM information_schema.PROCESSLIST WHERE ID = $1")" = 1 ]
}

require_faults
note "4a: the long-query guard refuses to lock and names the session"
long_update 30
wait_for query_older_than "$LONG_ID" 2 || fail "the long update did not run 2 s"
t0=$(date +%s)
set +e
out=$(dump_of src "$WORK/d-guard" --lock-mode ftwrl --long-query-guard 2 --lock-retries 1 2>&1)
rc=$?
set -e
t1=$(date +%s)
[ "$rc" -ne 0 ] || fail "the dump locked despite a long statement"
echo "$out" | grep -q "session $LONG_ID " || fail "the message does not name session $LONG_ID: $out"
[ $((t1 - t0)) -le 10 ] || fail "gave up after $((t1 - t0)) s"
writes_ok || fail "writes blocked after the guard gave up"
assert_file_absent "$WORK/d-guard/manifest.json"
sql src "KILL $LONG_ID"
wait "$LONG_PID" 2>/dev/null || true

note "4b: without the guard the lock wait is bounded and names the blocker"
long_update 30
t0=$(date +%s)
set +e
out=$(dump_of src "$WORK/d-wait" --lock-mode ftwrl --long-query-guard 0 --lock-wait-timeout 2 \
    --lock-retries 1 2>&1)
rc=$?
set -e
t1=$(date +%s)
[ "$rc" -ne 0 ] || fail "FTWRL succeeded under a running update"
echo "$out" | grep -q "session $LONG_ID " || fail "the message does not name session $LONG_ID: $out"
[ $((t1 - t0)) -le 12 ] || fail "gave up after $((t1 - t0)) s"
writes_ok || fail "writes blocked after the lock timed out"
sql src "KILL $LONG_ID"
wait "$LONG_PID" 2>/dev/null || true

# alter_waiting: the ALTER of bank.big is on the server, waiting for a lock
alter_waiting() {
    [ -n "$(sql src "SELECT STATE FROM information_schema.PROCESSLIST
                     WHERE INFO LIKE 'ALTER TABLE bank.big%' AND STATE LIKE 'Waiting for%'")" ]
}

note "6a: an instant ADD COLUMN waits for the dump"
# the dump pauses while it streams bank.big; the ALTER must wait for it
CS_FAULT_POINTS="dump.rows=bank.big:pause" dump_bg src "$WORK/d-ddl" "$WORK/ddl.log" --threads 2 \
    --chunk-rows 20000
fault_wait dump.rows >/dev/null || { cat "$WORK/ddl.log" >&2; fail "the dump never streamed bank.big"; }
sql src "ALTER TABLE bank.big ADD COLUMN extra INT DEFAULT 42, ALGORITHM=INSTANT" &
alter_pid=$!
bg_track "$alter_pid"
wait_for alter_waiting || fail "the ALTER did not wait for the dump"
kill -0 "$alter_pid" 2>/dev/null || fail "the ALTER finished while the dump held its snapshot"
note "ALTER waits while the dump runs: $(sql src "SELECT STATE FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE bank.big%'")"
fault_release dump.rows
wait "$CS_DUMP_PID" || { cat "$WORK/ddl.log" >&2; fail "the dump failed"; }
wait "$alter_pid" || fail "the ALTER failed after the dump"
ncols=$(manifest_get "$WORK/d-ddl" "[len(t['columns']) for t in m['tables'] if t['name']=='big'][0]")
assert_eq "$ncols" 2 "recorded columns of big"
bad=$(cd "$WORK/d-ddl" && zstd -qdc bank.big.*.tsv.zst | awk -F'\t' 'NF != 2' | wc -l)
assert_eq "$bad" 0 "rows not in the recorded shape"
"$CHUNKCHECK" "$WORK/d-ddl" || fail "chunk check"

note "6b: without RELOAD, DDL during the dump is detected"
sql src "CREATE USER lim@localhost; GRANT SELECT, LOCK TABLES, SHOW VIEW, PROCESS, BINLOG MONITOR,
         EVENT, TRIGGER ON *.* TO lim@localhost"
fault_reset
CS_FAULT_POINTS="dump.rows=bank.big:pause" "$CSDUMP" --no-defaults -S "$(sock src)" -u lim \
    -o "$WORK/d-lim" --threads 1 --chunk-rows 20000 2> "$WORK/lim.log" &
CS_DUMP_PID=$!
bg_track "$CS_DUMP_PID"
fault_wait dump.rows >/dev/null || { cat "$WORK/lim.log" >&2; fail "the dump never streamed bank.big"; }
# ctl is the smallest table, so the single worker reads it after big
sql src "SET SESSION lock_wait_timeout = 5; ALTER TABLE bank.ctl ADD COLUMN late INT, ALGORITHM=INSTANT"
fault_release dump.rows
set +e
wait "$CS_DUMP_PID"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "the dump succeeded although a dumped table changed"
grep -q "table definition changed" "$WORK/lim.log" || fail "no clear message: $(cat "$WORK/lim.log")"
grep -q "DDL is not blocked" "$WORK/lim.log" || fail "no warning that DDL is not blocked"
assert_file_absent "$WORK/d-lim/manifest.json"
echo ok
