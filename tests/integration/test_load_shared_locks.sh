#!/usr/bin/env bash
# Several loaders, the lock cases: a loader held inside a chunk's
# transaction (its claim row locked FOR UPDATE; the last, smallest chunk, so
# no other chunk of its table is left to wait for) does not stall a second
# loader's set-up -- with innodb_lock_wait_timeout at 2 s on the target, the
# second one's claim fill must not wait for that row (it used to, and failed
# with 1205) -- the second loader loads the other chunks and then waits for
# the held one; both exit 0, each chunk journaled once.  And a loader killed
# inside a chunk of a MyISAM table leaves a start mark: the next loader
# refuses that chunk with "stopped half-way" instead of loading rows twice,
# and a rerun alone empties the table and loads it whole.
. "$(dirname "$0")/lib.sh"
require_faults

start_server src
start_server tgt
sql_file src "$SRC/tests/data/fixture-bank.sql"
make_big src 40000
dump_of src "$WORK/d" --threads 2 --chunk-rows 5000 -q
sql tgt "SET GLOBAL innodb_lock_wait_timeout = 2"

note "a loader held in a chunk's transaction; a second one starts"
fault_reset
CS_FAULT_POINTS="load.commit=bank.ctl.00000.000.tsv.zst:pause" load_bg tgt "$WORK/d" "$WORK/a.log" --threads 1
apid=$CS_LOAD_PID
fault_wait load.commit > /dev/null || { cat "$WORK/a.log" >&2; fail "loader a never reached the chunk"; }
load_bg tgt "$WORK/d" "$WORK/b.log" --threads 2
bpid=$CS_LOAD_PID
# b loads everything else, then waits for a's chunk
CS_WAIT_TRIES=900 wait_for grep -q "being loaded by another csload: waiting" "$WORK/b.log" ||
    { fault_release load.commit; cat "$WORK/b.log" >&2; fail "loader b did not get to a's chunk"; }
fault_release load.commit
wait "$apid" || { cat "$WORK/a.log" >&2; fail "loader a failed"; }
wait "$bpid" || { cat "$WORK/b.log" >&2; fail "loader b failed"; }
journal_ok tgt "$WORK/d"
same_data src tgt bank

note "a loader killed inside a MyISAM chunk while another one is alive"
sql src "CREATE DATABASE m; CREATE TABLE m.t (id INT PRIMARY KEY, v INT) ENGINE=MyISAM;
         INSERT INTO m.t SELECT id, id FROM bank.big"
dump_of src "$WORK/m" -B bank,m --threads 2 --chunk-rows 5000 -q
start_server t2
fault_reset
# b holds a presence slot (paused in a MyISAM chunk), so a empties nothing
CS_FAULT_POINTS="load.commit=m.t.00000.000.tsv.zst:pause" load_bg t2 "$WORK/m" "$WORK/b2.log" --threads 1
bpid=$CS_LOAD_PID
fault_wait load.commit > /dev/null || { cat "$WORK/b2.log" >&2; fail "loader b never reached its chunk"; }
CS_FAULT_POINTS="load.rows=m.t.00001.000.tsv.zst:kill" load_bg t2 "$WORK/m" "$WORK/a2.log" --threads 1
apid=$CS_LOAD_PID
rc=0; wait "$apid" || rc=$?
[ "$rc" = 137 ] || { fault_release load.commit; cat "$WORK/a2.log" >&2; fail "loader a exited $rc, not killed"; }
# a's rows of that chunk are in the table, its journal row is not: b must not load it again
fault_release load.commit
rc=0; wait "$bpid" || rc=$?
assert_eq "$rc" 1 "loader b's exit"
grep -q "stopped half-way" "$WORK/b2.log" || fail "loader b: $(cat "$WORK/b2.log")"
# alone, a rerun empties the table and loads it whole
fault_reset
load_into t2 "$WORK/m" --threads 2 -q || fail "the rerun failed"
journal_ok t2 "$WORK/m"
same_data src t2 bank m
echo ok
