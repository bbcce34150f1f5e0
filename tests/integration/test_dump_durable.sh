#!/usr/bin/env bash
# A directory dump's files are written without an fsync each and made
# durable in one pass before the manifest (issue 14): the pass fsyncs every
# file (a failed fsync of any chunk or DDL file fails the dump, with no
# manifest), the dump.sealed point comes after every file is in place and
# before manifest.json exists, and a manifest that cannot be made durable
# is removed.
. "$(dirname "$0")/lib.sh"
require_faults

start_server src
sql src "SET SESSION sql_log_bin = 0; CREATE DATABASE d;
         CREATE TABLE d.a (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO d.a VALUES (1, 'x'), (2, 'y');
         CREATE TABLE d.b (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO d.b VALUES (3, 'z');
         CREATE VIEW d.v AS SELECT id FROM d.a"

# sync_fails NAME FILE: a dump into $WORK/NAME whose fsync of FILE fails
# exits 1 and leaves no manifest
sync_fails() {
    local rc=0
    CS_FAULT_POINTS="dump.sync=$2:fail" dump_of src "$WORK/$1" -B d -q 2>"$WORK/$1.log" || rc=$?
    assert_eq "$rc" 1 "csdump exit status with a failing fsync of $2"
    assert_file_absent "$WORK/$1/manifest.json"
}

note "an fsync failing on a chunk file fails the dump: no manifest"
chunk=$(CS_FAULT_POINTS= dump_of src "$WORK/probe" -B d -q && manifest_get "$WORK/probe" \
    "[c['file'] for t in m['tables'] if t['name'] == 'b' for c in t['chunks']][0]")
[ -n "$chunk" ] || fail "no chunk file for d.b"
sync_fails d1 "$chunk"
grep -q "making the dump durable: fault injected at dump.sync" "$WORK/d1.log" ||
    { cat "$WORK/d1.log" >&2; fail "the error does not say the seal pass failed"; }
[ -e "$WORK/d1/$chunk" ] || fail "the chunk file itself was written before the pass"

note "the same for a DDL file"
sync_fails d2 d.a-schema.sql

note "dump.sealed: every file in place, no manifest yet"
CS_FAULT_POINTS="dump.sealed:pause" dump_bg src "$WORK/d3" "$WORK/d3.log" -B d -q
fault_wait dump.sealed >/dev/null || { cat "$WORK/d3.log" >&2; fail "csdump never reached dump.sealed"; }
assert_file_absent "$WORK/d3/manifest.json"
ls "$WORK/d3" | sort >"$WORK/at-seal"
grep -q '\.partial$' "$WORK/at-seal" && fail "partial files at the durability point"
fault_release dump.sealed
wait "$CS_DUMP_PID" || { cat "$WORK/d3.log" >&2; fail "csdump failed after the pause"; }
# every file the manifest names was there (and sealed) before it was written
manifest_get "$WORK/d3" "'\n'.join(sorted([f['name'] for f in m['files']] +
    [c['file'] for t in m['tables'] for c in t['chunks']]))" >"$WORK/named"
assert_eq "$(grep -c '\.tsv\.zst$' "$WORK/named")" 2 "chunk files named by the manifest"
[ -s "$WORK/named" ] || fail "the manifest names no files"
missing=$(comm -23 "$WORK/named" "$WORK/at-seal")
[ -z "$missing" ] || fail "files named by the manifest but absent at the durability point: $missing"
"$CSLOAD" --check "$WORK/d3" >/dev/null 2>&1 || fail "the dump does not check"

note "a manifest whose fsync fails is removed"
sync_fails d4 manifest.json
note "ok"
