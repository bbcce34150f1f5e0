#!/usr/bin/env bash
# csdump issue, tests 3 and 5.
#  3. A worker connection killed from another session mid-dump: the unit is
#     redone on a spare connection of the same snapshot; the dump completes
#     and every row is present exactly once.
#  5. SIGTERM mid-dump: non-zero exit, no manifest, no partial files, and the
#     locks are released (DDL and backup stages work at once).
. "$(dirname "$0")/lib.sh"

require_faults
start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
make_big src 600000
OPTS=(--chunk-rows 25000 --threads 2)

note "3: kill a worker connection"
# the worker pauses while it streams bank.big (its SELECT open on the server)
CS_FAULT_POINTS="dump.rows=bank.big:pause@2" dump_bg src "$WORK/d-kill" "$WORK/kill.log" "${OPTS[@]}"
pid=$CS_DUMP_PID
fault_wait dump.rows >/dev/null || { cat "$WORK/kill.log" >&2; fail "the dump never streamed bank.big"; }
id=$(session_running src 'SELECT % FROM `bank`.`big`%') || fail "no dump SELECT on the server"
sql src "KILL $id"
fault_release dump.rows
wait "$pid" || { cat "$WORK/kill.log" >&2; fail "the dump failed after one connection was killed"; }
grep -Eq "redoing the unit.* on a spare" "$WORK/kill.log" || fail "no retry was logged"
"$CHUNKCHECK" "$WORK/d-kill" -S "$(sock src)" -u root || fail "chunk check after the kill"
rows=$(tsv_rows "$WORK/d-kill" big)
assert_eq "$rows" 600000 "rows of big"
uniq=$(manifest_get "$WORK/d-kill" "' '.join(c['file'] for t in m['tables'] if t['name']=='big' for c in t['chunks'])")
dups=$(cd "$WORK/d-kill" && for f in $uniq; do zstd -qdc "$f"; done | cut -f1 | sort | uniq -d | wc -l)
assert_eq "$dups" 0 "duplicate ids"

note "5: SIGTERM mid-dump"
fault_reset
CS_FAULT_POINTS="dump.rows=bank.big:pause@2" dump_bg src "$WORK/d-term" "$WORK/term.log" "${OPTS[@]}"
pid=$CS_DUMP_PID
fault_wait dump.rows >/dev/null || { cat "$WORK/term.log" >&2; fail "the dump never streamed bank.big"; }
kill -TERM "$pid"
fault_release dump.rows
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "SIGTERM: exit code 0"
assert_file_absent "$WORK/d-term/manifest.json"
[ -z "$(find "$WORK/d-term" -name '*.partial')" ] || fail "partial files left after SIGTERM"
grep -q "interrupted" "$WORK/term.log" || fail "no interruption message: $(cat "$WORK/term.log")"
# the DDL guard and barrier are gone: DDL and a backup stage succeed at once
sql src "SET SESSION lock_wait_timeout = 2; ALTER TABLE bank.ctl ADD COLUMN z INT" ||
    fail "DDL blocked after SIGTERM"
sql src "SET SESSION lock_wait_timeout = 2; BACKUP STAGE START; BACKUP STAGE BLOCK_COMMIT; BACKUP STAGE END" ||
    fail "a backup stage is still held after SIGTERM"
# no csdump session is left on the server
left=$(sql src "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT % FROM \`bank\`.%' AND ID <> CONNECTION_ID()")
assert_eq "$left" 0 "dump sessions left"
echo ok
