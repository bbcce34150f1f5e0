#!/usr/bin/env bash
# S3, what must be shown 5: csload --wait-for-dump started before csdump
# into the same prefix creates the tables and loads chunks while the dump is
# written (some chunks are journaled before the manifest exists), finishes
# when the manifest appears, verifies, and the target equals the source.
# The same from a directory.  A dump that never completes fails the wait,
# saying so.  A loader that died after loading an early chunk whose file was
# not the one the manifest records leaves a journal row that the next
# loader checks against the manifest: it refuses, naming the chunk, instead
# of trusting the row.
. "$(dirname "$0")/lib.sh"
require_faults

start_s3 bkt
start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
sql_file src "$SRC/tests/data/fixture-types.sql"
make_big src 150000
SCHEMAS=(bank fx "odd db.名前")

journaled() { # TARGET: chunks in its journal (0 before the journal exists)
    sql "$1" "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE 'chunk:%'" 2> /dev/null || echo 0
}
some_loaded() { [ "$(journaled "$1")" -ge 3 ]; }
# a failure while csdump is held lets it go first (the cleanup waits for it)
bad() {
    fault_release dump.rows
    fail "$@"
}

# IN TARGET TAG: csload waits on IN; csdump, paused after 8 chunks of
# bank.big, lets the loader catch up before it finishes
wait_then_dump() {
    local in=$1 t=$2 tag=$3 early
    start_server "$t"
    load_bg "$t" "$in" "$WORK/$tag-load.log" --threads 2 --wait-for-dump 300 "${S3[@]}"
    lpid=$CS_LOAD_PID
    # csload is waiting before csdump starts
    CS_WAIT_TRIES=600 wait_for grep -q "waiting up to 300 s for the dump to begin" \
        "$WORK/$tag-load.log" || { cat "$WORK/$tag-load.log" >&2; fail "$tag: csload does not wait"; }
    fault_reset
    CS_FAULT_POINTS="dump.rows=bank.big:pause@25" dump_bg src "$in" "$WORK/$tag-dump.log" \
        --threads 2 --chunk-rows 10000 "${S3[@]}"
    dpid=$CS_DUMP_PID
    fault_wait dump.rows > /dev/null || { cat "$WORK/$tag-dump.log" >&2; fail "$tag: no dump"; }
    # chunks land on the target while csdump is held, before any manifest
    CS_WAIT_TRIES=600 wait_for some_loaded "$t" ||
        { cat "$WORK/$tag-load.log" >&2; bad "$tag: nothing loaded while the dump was written"; }
    early=$(journaled "$t")
    case $in in
    s3://*) ! s3_keys bkt "${in#s3://bkt/}/" | grep -q manifest.json ;;
    *) [ ! -e "$in/manifest.json" ] ;;
    esac || bad "$tag: the manifest exists already"
    fault_release dump.rows
    wait "$dpid" || { cat "$WORK/$tag-dump.log" >&2; fail "$tag: csdump failed"; }
    rc=0; wait "$lpid" || rc=$?
    [ "$rc" = 0 ] || { cat "$WORK/$tag-load.log" >&2; fail "$tag: csload exited $rc"; }
    grep -q "the dump is complete: loading what is left" "$WORK/$tag-load.log" ||
        fail "$tag: never waited"
    grep -q "verified: every chunk matches the dump" "$WORK/$tag-load.log" || fail "$tag: not verified"
    same_data src "$t" "${SCHEMAS[@]}"
    note "$tag: $early chunk(s) loaded before the manifest existed"
}

note "an s3:// prefix"
wait_then_dump s3://bkt/w1 t1 s3
mkdir "$WORK/m1"
"$CS_S3TOOL" get s3://bkt/w1/manifest.json > "$WORK/m1/manifest.json"
journal_ok t1 "$WORK/m1"

note "a directory"
wait_then_dump "$WORK/d2" t2 dir
journal_ok t2 "$WORK/d2"

note "a dead loader's early chunk that the manifest does not describe"
start_server t4
fault_reset
CS_FAULT_POINTS="dump.rows=bank.big:pause@25" dump_bg src "$WORK/d4" "$WORK/d4-dump.log" \
    --threads 2 --chunk-rows 10000
dpid=$CS_DUMP_PID
fault_wait dump.rows > /dev/null || { cat "$WORK/d4-dump.log" >&2; fail "d4: no dump"; }
chunk=$(cd "$WORK/d4" && ls | grep -E '^bank\.big\..*\.tsv\.zst$' | sort | head -1)
[ -n "$chunk" ] || bad "d4: no complete chunk of bank.big while the dump is held"
cp "$WORK/d4/$chunk" "$WORK/orig.zst"
zstd -dc "$WORK/orig.zst" | sed '1s/\t.*/\ttampered/' | zstd -q > "$WORK/tampered.zst"
mv "$WORK/tampered.zst" "$WORK/d4/$chunk"
rc=0
CS_FAULT_POINTS="load.committed=$chunk:kill" load_into t4 "$WORK/d4" --threads 1 \
    --wait-for-dump 300 2> "$WORK/d4-dead.log" || rc=$?
[ "$rc" = 137 ] || { cat "$WORK/d4-dead.log" >&2; bad "d4: the loader was not killed ($rc)"; }
[ "$(sql t4 "SELECT COUNT(*) FROM __csload.journal WHERE item = 'chunk:$chunk'")" = 1 ] ||
    bad "d4: the tampered chunk is not journaled"
cp "$WORK/orig.zst" "$WORK/d4/$chunk"
fault_release dump.rows
wait "$dpid" || { cat "$WORK/d4-dump.log" >&2; fail "d4: csdump failed"; }
rc=0; load_into t4 "$WORK/d4" 2> "$WORK/d4-next.log" || rc=$?
[ "$rc" != 0 ] || fail "d4: the next loader trusted the dead loader's journal row"
grep -q "chunk $chunk is journaled as loaded on the target with" "$WORK/d4-next.log" ||
    fail "d4: no such message: $(cat "$WORK/d4-next.log")"
[ "$(sql t4 "SELECT COUNT(*) FROM bank.big WHERE pad = 'tampered'")" = 1 ] ||
    fail "d4: the next loader changed the target before refusing"

note "a dump that never ends"
start_server t3
rc=0; load_into t3 s3://bkt/never --wait-for-dump 3 "${S3[@]}" 2> "$WORK/never.log" || rc=$?
assert_eq "$rc" 1 "waiting for a dump that never comes"
grep -q "after --wait-for-dump 3 s: the dump did not complete in time" "$WORK/never.log" ||
    fail "no such message: $(cat "$WORK/never.log")"
echo ok
