#!/usr/bin/env bash
# issue 14: a huge single table uses every load thread.  csload chooses per
# table how its chunks go in (load/tablepath.h) and says so in its log:
#   - MariaDB: the tsv chunks of a table of several chunks whose values all
#     bind as strings go as arrays of 1000 bound rows of one prepared INSERT
#     (COM_STMT_BULK_EXECUTE), off the bulk-insert path (unique_checks=1 in
#     their transactions).  bench.plain (no AUTO_INCREMENT) goes threads at
#     a time.  bench.one and bench.small_ai (AUTO_INCREMENT, under
#     innodb_autoinc_lock_mode 1) go one chunk at a time: two sessions
#     inserting into one AUTO_INCREMENT table spin on its counter; a chunk
#     whose load has a thread to spare reads its next rows on it
#     (load/chunk_bound.h).  bench.one holds non-ASCII text, bytes 0x00, tab,
#     newline, backslash, NULLs, DECIMAL, DATETIME(6), ENUM, and one 5 MiB
#     value: an array of its own.
#   - MySQL (mode 2, no arrays of rows): LOAD DATA, two at a time, no
#     special path.
#   - One thread: MariaDB still binds bench.one; nothing is serial, nothing
#     reads ahead.
# The overlap is observed on the server, not timed: one chunk of
# bench.plain is held with its rows sent and its transaction open (fault
# point load.rows) while another chunk of the same table reaches its commit
# (load.commit); INNODB_TRX then shows two open transactions that both
# inserted a chunk's rows, and no lock wait.  A serial load, or the
# bulk-insert path's table lock, never gets there.  csload is SIGKILLed
# right there and run again: it resumes, the data equal the source's and
# the journal holds each chunk once.  Reading ahead (bench.one alone, -t 2:
# every chunk reads ahead) is proven by the data, and its failures by fault
# points: the reader's thread failing (load.fill) and the session failing
# while the reader is ahead (load.array) each fail the load, naming the
# chunk, with nothing of it committed, and the same command resumes.  The
# worker waiting for bench.one's lock verifies committed chunks meanwhile
# (seen while a chunk holds the lock), as does a worker with no chunk left
# while the last one loads (bench.plain, every flavor), and a row changed
# on the target after its chunk committed fails the load, naming the
# chunk.  A table whose chunks are all in gets its deferred indexes while
# another table's chunk is still held (load/early.h).  Last,
# a target with max_allowed_packet 1 MiB: the arrays stay within half of it
# (2,000-byte rows; 1000 of them would be a 2 MB packet, which that server
# drops: "Server has gone away").
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"
require_faults

start_server src
start_server tgt
sql src "$(deeper_cte src) CREATE DATABASE bench; USE bench;
         CREATE TABLE bench.one (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL,
           c CHAR(100) NOT NULL, u VARCHAR(40) CHARACTER SET utf8mb4 NULL, b VARBINARY(40) NULL,
           d DECIMAL(12,4) NOT NULL, t DATETIME(6) NOT NULL, e ENUM('a','b','c') NOT NULL,
           big MEDIUMBLOB NULL, KEY k_1 (k)) ENGINE=InnoDB;
         INSERT INTO bench.one (id, k, c, u, b, d, t, e, big)
           WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 40000)
           SELECT seq, MOD(seq * 7919, 1000), LEFT(CONCAT(SHA2(seq, 256), SHA2(seq + 1, 256)), 100),
             IF(MOD(seq, 7) = 0, NULL, CONCAT(_utf8mb4 'Grüße № ', seq, _utf8mb4 ' ☃')),
             IF(MOD(seq, 11) = 0, NULL, CONCAT(UNHEX('00090A5C0D'), UNHEX(LPAD(HEX(MOD(seq, 256)), 2, '0')), UNHEX(SHA2(seq, 224)))),
             MOD(seq * 31, 100000000) / 10000 - 5000,
             TIMESTAMP('2020-01-01') + INTERVAL seq * 37 SECOND + INTERVAL MOD(seq, 999983) MICROSECOND,
             ELT(1 + MOD(seq, 3), 'a', 'b', 'c'), IF(seq = 20000, REPEAT('x', 5 * 1024 * 1024), NULL)
           FROM s;
         CREATE TABLE bench.small_ai (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB;
         INSERT INTO bench.small_ai (id, v) SELECT id, LEFT(c, 20) FROM bench.one WHERE id <= 8000;
         CREATE TABLE bench.plain (id INT NOT NULL PRIMARY KEY, v VARCHAR(60)) ENGINE=InnoDB;
         INSERT INTO bench.plain SELECT id, LEFT(c, 60) FROM bench.one WHERE id <= 12000"
dump_of src "$WORK/d" -B bench -t 2 --chunk-rows 4000 -q
chunk() { manifest_get "$WORK/d" "[t for t in m['tables'] if t['name'] == '$1'][0]['chunks'][$2]['file']"; }
nchunks=$(manifest_get "$WORK/d" "len([t for t in m['tables'] if t['name'] == 'one'][0]['chunks'])")
nsmall=$(manifest_get "$WORK/d" "len([t for t in m['tables'] if t['name'] == 'small_ai'][0]['chunks'])")
[ "$nsmall" -ge 2 ] || fail "bench.small_ai has $nsmall chunk: the test needs several"
nplain=$(manifest_get "$WORK/d" "len([t for t in m['tables'] if t['name'] == 'plain'][0]['chunks'])")
[ "$nchunks" -ge 4 ] || fail "bench.one has $nchunks chunks: the test needs several"
[ "$nplain" -ge 2 ] || fail "bench.plain has $nplain chunk: the test needs several"
first=$(chunk plain 0)
second=$(chunk plain 1)
least=$(manifest_get "$WORK/d" "min(c['rows'] for c in [t for t in m['tables'] if t['name'] == 'plain'][0]['chunks'][:2])")
# stuck MESSAGE: csload is held at a fault point (it waits there through a
# SIGTERM): SIGKILL it, then fail
stuck() {
    cat "$WORK/load.log" >&2
    kill -KILL "$CS_LOAD_PID" 2>/dev/null || true
    fail "$@"
}

note "csload -t 2: two chunks of bench.plain in open transactions at once"
CS_FAULT_POINTS="load.rows=$first:pause,load.commit=$second:pause" \
    load_bg tgt "$WORK/d" "$WORK/load.log" -t 2 -v --no-progress
fault_wait load.rows 60 >/dev/null || stuck "chunk $first never sent its rows"
fault_wait load.commit 60 >/dev/null ||
    stuck "chunk $second never reached its commit while $first was open: the chunks of one table do not overlap"
# both transactions hold a chunk's rows, uncommitted (the bulk-insert path
# would count 1); nobody waits
open=$(sql tgt "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_rows_modified >= $least")
waits=$(sql tgt "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")
[ "$open" = 2 ] || stuck "open transactions holding a chunk of bench.plain: expected 2, got $open"
[ "$waits" = 0 ] || stuck "transactions waiting for a lock: expected 0, got $waits"
# killed right there (two chunk transactions open), the same command again
# resumes: every chunk exactly once
kill -KILL "$CS_LOAD_PID"
wait "$CS_LOAD_PID" 2>/dev/null || true
fault_reset
load_into tgt "$WORK/d" -t 2 --no-progress 2>"$WORK/again.log" || { cat "$WORK/again.log" >&2; fail "the rerun failed"; }
grep -q "resuming" "$WORK/again.log" || { cat "$WORK/again.log" >&2; fail "the rerun did not resume"; }
same_data src tgt bench
journal_ok tgt "$WORK/d"

note "the per-table choice, in the log"
if [ "$(kind_of tgt)" = mariadb ]; then
    assert_eq "$(sql tgt 'SELECT @@innodb_autoinc_lock_mode')" 1 "the target's innodb_autoinc_lock_mode"
    serial="one at a time (arrays of bound values.*spin on its counter: one at a time, other tables or its reading ahead fill the other threads.*unique_checks=1 keeps the first chunk off the bulk-insert path"
    grep -q "bench.one: $nchunks chunk(s) by prepared INSERT of 1000-row arrays, $serial" \
        "$WORK/load.log" || { cat "$WORK/load.log" >&2; fail "bench.one was not loaded one chunk at a time"; }
    grep -q "bench.small_ai: $nsmall chunk(s) by prepared INSERT of 1000-row arrays, $serial" \
        "$WORK/load.log" || { cat "$WORK/load.log" >&2; fail "bench.small_ai was not loaded one chunk at a time"; }
    grep -q "bench.plain: $nplain chunk(s) by prepared INSERT of 1000-row arrays, threads at a time (arrays of bound values.*unique_checks=1 keeps the first chunk off the bulk-insert path" \
        "$WORK/load.log" || { cat "$WORK/load.log" >&2; fail "bench.plain did not take the bound path"; }
    # what the server ran, over both runs: a prepared INSERT per chunk, no
    # LOAD DATA
    status() { sql tgt "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '$1'"; }
    [ "$(status COM_STMT_PREPARE)" -ge $((nchunks + nsmall + nplain)) ] ||
        fail "prepared statements: $(status COM_STMT_PREPARE), expected one per chunk"
    assert_eq "$(status COM_LOAD)" 0 "LOAD DATA statements"
else
    assert_eq "$(sql tgt 'SELECT @@innodb_autoinc_lock_mode')" 2 "the target's innodb_autoinc_lock_mode"
    if grep -E "bench\.[a-z_]+: [0-9]+ chunk\(s\) by" "$WORK/load.log" >&2; then
        fail "MySQL (autoinc lock mode 2, no bulk-insert path): no table needs a special path"
    fi
fi

# verified_while_held SERVER TABLE N WHY: bench.TABLE alone loaded into a
# fresh SERVER with -t 2, its chunk N held with its rows sent; the other
# worker, which cannot load (WHY), verifies what is committed meanwhile;
# then the load completes, verified, with the source's rows
verified_while_held() {
    local srv=$1 t=$2 held
    held=$(chunk "$t" "$3")
    start_server "$srv"
    fault_reset
    CS_FAULT_POINTS="load.rows=$held:pause" \
        load_bg "$srv" "$WORK/d" "$WORK/load.log" --tables "bench.$t" -t 2 -v --no-progress
    fault_wait load.rows 60 >/dev/null || stuck "chunk $held never sent its rows"
    seen() { grep -q "bench\.$t chunk .*: verified during the data phase" "$WORK/load.log"; }
    wait_for seen || stuck "no chunk was verified while chunk $held was held ($4)"
    fault_release load.rows
    wait "$CS_LOAD_PID" || { cat "$WORK/load.log" >&2; fail "csload failed"; }
    grep -Eq "verify: [0-9]+ chunk\(s\) were verified during the data phase" "$WORK/load.log" ||
        { cat "$WORK/load.log" >&2; fail "the verify phase does not say what was verified before it"; }
    grep -q "verified: every chunk matches the dump" "$WORK/load.log" ||
        { cat "$WORK/load.log" >&2; fail "the load was not verified"; }
    assert_eq "$(table_hashes "$srv" bench | grep "^bench\.$t")" "$(table_hashes src bench | grep "^bench\.$t")" \
        "bench.$t verified during the data phase, against the source"
    stop_server "$srv"
}

note "the worker with no chunk left verifies the committed ones while the last loads"
# bench.plain: 3 chunks, threads at a time on every flavor; the last held
[ "$nplain" -ge 3 ] || fail "bench.plain has $nplain chunks: the test needs 3"
verified_while_held tail plain $((nplain - 1)) "nothing left to load"

note "a table whose chunks are all in gets its indexes while another table still loads"
# bench.plain's last chunk held with its rows sent: bench.one (KEY k_1,
# deferred) is finished by the other worker, which adds k_1 meanwhile
held=$(chunk plain $((nplain - 1)))
start_server ix
fault_reset
CS_FAULT_POINTS="load.rows=$held:pause" \
    load_bg ix "$WORK/d" "$WORK/load.log" --defer-indexes all -t 2 -v --no-progress
fault_wait load.rows 60 >/dev/null || stuck "chunk $held never sent its rows"
built() { grep -q "bench.one: indexes built during the data phase" "$WORK/load.log"; }
CS_WAIT_TRIES=600 wait_for built || stuck "bench.one's index was not built while chunk $held was held"
assert_eq "$(sql ix "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'bench' AND TABLE_NAME = 'one' AND INDEX_NAME = 'k_1'")" 1 \
    "bench.one's k_1 while chunk $held of bench.plain loads"
assert_eq "$(sql ix "SELECT COUNT(*) FROM __csload.journal WHERE item = 'chunk:$held'")" 0 \
    "chunk $held in the journal while it is held"
fault_release load.rows
wait "$CS_LOAD_PID" || { cat "$WORK/load.log" >&2; fail "csload failed"; }
grep -q "indexes: 1 table(s) have theirs already (built during the data phase" "$WORK/load.log" ||
    { cat "$WORK/load.log" >&2; fail "the index phase does not say what was built before it"; }
same_data src ix bench
same_schema src ix bench
journal_ok ix "$WORK/d"
stop_server ix

if [ "$(kind_of src)" = mariadb ]; then
    note "bench.small_ai stays one chunk at a time"
    # its first chunk held open: every other table's chunks get loaded, its
    # other ones do not (they wait for the first, in csload).  It is the
    # smallest table, so its chunks are the last in load order
    # (load/order.h): nothing else queues behind the waiting ones.
    start_server ser
    fault_reset
    CS_FAULT_POINTS="load.rows=$(chunk small_ai 0):pause" load_bg ser "$WORK/d" "$WORK/load.log" -t 2 --no-progress
    fault_wait load.rows 60 >/dev/null || stuck "small_ai's first chunk never sent its rows"
    all=$(manifest_get "$WORK/d" "sum(len(t['chunks']) for t in m['tables'])")
    journaled() { [ "$(sql ser "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE 'chunk:%'" 2>/dev/null)" = "$1" ]; }
    CS_WAIT_TRIES=600 wait_for journaled $((all - nsmall)) || stuck "the other chunks were not loaded while small_ai's first was held"
    assert_eq "$(sql ser "SELECT COUNT(*) FROM __csload.journal WHERE item = 'chunk:$(chunk small_ai 1)'")" 0 \
        "small_ai's second chunk committed while its first was open"
    [ -z "$(session_running ser '%small_ai%')" ] || stuck "a statement on small_ai runs while its first chunk is held"
    fault_release load.rows
    wait "$CS_LOAD_PID" || { cat "$WORK/load.log" >&2; fail "csload failed"; }
    same_data src ser bench
    journal_ok ser "$WORK/d"
    stop_server ser
fi

if [ "$(kind_of tgt)" = mariadb ]; then
    note "bench.one alone, -t 2: every chunk reads ahead; its failures fail the load"
    # one_hash NAME: bench.one's rows on NAME
    one_hash() { table_hashes "$1" bench | grep "^bench\.one"; }
    in_journal() { sql "$1" "SELECT COUNT(*) FROM __csload.journal WHERE item = 'chunk:$2'"; }
    ahead=$(chunk one 2)
    start_server ra
    # the reader's thread fails at its second array: the load fails, naming
    # the chunk; nothing of the chunk is in
    expect_exit 1 "fault injected at load.fill $ahead" \
        env CS_FAULT_POINTS="load.fill=$ahead:fail@2" "$CSLOAD" --no-defaults -S "$(sock ra)" -u root \
        --tables bench.one -t 2 -v --no-progress "$WORK/d"
    grep -q "bench.one chunk $ahead: reading ahead on a second thread" <<<"$CS_OUT" ||
        fail "chunk $ahead did not read ahead: $CS_OUT"
    assert_eq "$(in_journal ra "$ahead")" 0 "chunk $ahead in the journal after its reader failed"
    # the session fails at the third array of a chunk not loaded yet, the
    # reader ahead of it
    for i in $(seq 3 $((nchunks - 1))) 2; do
        ahead=$(chunk one "$i")
        [ "$(in_journal ra "$ahead")" = 0 ] && break
    done
    expect_exit 1 "fault injected at load.array $ahead" \
        env CS_FAULT_POINTS="load.array=$ahead:fail@3" "$CSLOAD" --no-defaults -S "$(sock ra)" -u root \
        --tables bench.one -t 2 --no-progress "$WORK/d"
    assert_eq "$(in_journal ra "$ahead")" 0 "chunk $ahead in the journal after its session failed"
    load_into ra "$WORK/d" --tables bench.one -t 2 -v --no-progress 2>"$WORK/ra.log" ||
        { cat "$WORK/ra.log" >&2; fail "the rerun of bench.one alone failed"; }
    grep -q "resuming" "$WORK/ra.log" || { cat "$WORK/ra.log" >&2; fail "the rerun did not resume"; }
    assert_eq "$(one_hash ra)" "$(one_hash src)" "bench.one read ahead, against the source"
    assert_eq "$(sql ra "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE 'chunk:%'")" "$nchunks" \
        "bench.one's chunks in the journal"
    stop_server ra

    note "the worker waiting for bench.one verifies its committed chunks meanwhile"
    # chunk 3 held with the table's lock: chunk 0 is committed
    verified_while_held ev one 3 "bench.one loads one chunk at a time"

    note "a committed chunk changed before its verification: the load fails, naming it"
    # chunk 0 held after its COMMIT, before it is handed to verification;
    # a row of it changed on the target meanwhile
    start_server mm
    fault_reset
    CS_FAULT_POINTS="load.committed=$(chunk one 0):pause" \
        load_bg mm "$WORK/d" "$WORK/load.log" --tables bench.one -t 2 --no-progress
    fault_wait load.committed 60 >/dev/null || stuck "chunk $(chunk one 0) never committed"
    sql mm "UPDATE bench.one SET c = 'changed' ORDER BY id LIMIT 1"
    fault_release load.committed
    if wait "$CS_LOAD_PID"; then cat "$WORK/load.log" >&2; fail "a changed chunk was verified as equal"; fi
    grep -q "verify: bench.one chunk $(chunk one 0) key range .*their data differs (checksum)" "$WORK/load.log" ||
        { cat "$WORK/load.log" >&2; fail "the changed chunk was not named"; }
    grep -q "verification failed: 1 chunk(s) or table(s) differ from the dump" "$WORK/load.log" ||
        { cat "$WORK/load.log" >&2; fail "the load did not fail on the changed chunk"; }
    stop_server mm
fi

note "csload -t 1: the same data (MariaDB: bench.one bound, off the bulk-insert path)"
stop_server tgt
start_server one
load_into one "$WORK/d" -t 1 -v --no-progress 2>"$WORK/one.log" || { cat "$WORK/one.log" >&2; fail "csload -t 1 failed"; }
if grep -E "chunk\(s\) by (multi-row INSERT|[^(]*, one at a time)" "$WORK/one.log" >&2; then
    fail "one thread: no table needs the INSERT or the serial path"
fi
if grep "reading ahead" "$WORK/one.log" >&2; then
    fail "one thread: no chunk reads ahead"
fi
if [ "$(kind_of one)" = mariadb ]; then
    grep -q "bench.one: $nchunks chunk(s) by prepared INSERT of 1000-row arrays, threads at a time (arrays of bound values.*unique_checks=1 keeps the first chunk off the bulk-insert path" \
        "$WORK/one.log" || { cat "$WORK/one.log" >&2; fail "-t 1: bench.one did not take the bound path"; }
    grep -q "bench.small_ai: $nsmall chunk(s) by prepared INSERT of 1000-row arrays, threads at a time (arrays of bound values" \
        "$WORK/one.log" || { cat "$WORK/one.log" >&2; fail "-t 1: bench.small_ai did not take the bound path"; }
fi
same_data src one bench
journal_ok one "$WORK/d"
stop_server one

note "a target with max_allowed_packet 1 MiB: arrays of bound rows stay within half of it"
# 2,000-byte rows: 1000 of them would be a 2 MB array
sql src "CREATE DATABASE wide; CREATE TABLE wide.w (id INT NOT NULL PRIMARY KEY, v VARCHAR(2000) NOT NULL) ENGINE=InnoDB;
         INSERT INTO wide.w SELECT id, REPEAT(LEFT(c, 100), 20) FROM bench.one WHERE id <= 6000"
dump_of src "$WORK/w" -B wide -t 2 --chunk-rows 3000 -q
start_server small --extra "--max-allowed-packet=1M"
assert_eq "$(sql small 'SELECT @@max_allowed_packet')" 1048576 "the target's max_allowed_packet"
load_into small "$WORK/w" -t 2 -v --no-progress 2>"$WORK/small.log" || { cat "$WORK/small.log" >&2; fail "csload into the 1 MiB target failed"; }
if [ "$(kind_of small)" = mariadb ]; then
    grep -Eq "wide.w: [0-9]+ chunk\(s\) by prepared INSERT of 1000-row arrays" "$WORK/small.log" ||
        { cat "$WORK/small.log" >&2; fail "wide.w did not take the bound path"; }
fi
same_data src small wide
journal_ok small "$WORK/w"
note "ok"
