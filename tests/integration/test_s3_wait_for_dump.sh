#!/usr/bin/env bash
# S3, what must be shown 5: csload --wait-for-dump started before csdump
# into the same prefix creates the tables and loads chunks while the dump is
# written (some chunks are journaled before the manifest exists), finishes
# when the manifest appears, verifies, and the target equals the source.
# The same from a directory.  A dump that never completes fails the wait,
# saying so.
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

note "a dump that never ends"
start_server t3
rc=0; load_into t3 s3://bkt/never --wait-for-dump 3 "${S3[@]}" 2> "$WORK/never.log" || rc=$?
assert_eq "$rc" 1 "waiting for a dump that never comes"
grep -q "after --wait-for-dump 3 s: the dump did not complete in time" "$WORK/never.log" ||
    fail "no such message: $(cat "$WORK/never.log")"
echo ok
