#!/usr/bin/env bash
# issue 14: many tables.  csdump fetches the DDL of 64 objects or more over
# several connections (every file listed and intact, in catalog order);
# csload creates the tables --threads at a time, creates small tables with
# their secondary indexes under --defer-indexes auto (only the table of
# 16 MiB or more gets a deferred ALTER) and every one deferred under
# --defer-indexes all, and loads the chunks of a.big (AUTO_INCREMENT,
# nearly all the data) as arrays of bound rows on MariaDB, one chunk at a
# time (test_load_onetable proves reading ahead) and the 80 tables of one small
# chunk by LOAD DATA off the bulk-insert path; the data and schema are the
# source's either way.
. "$(dirname "$0")/lib.sh"

start_server src
start_server auto
start_server all

{
    echo "SET SESSION sql_log_bin = 0; CREATE DATABASE a; CREATE DATABASE b;"
    for i in $(seq 1 80); do
        s=a
        [ $((i % 2)) -eq 0 ] || s=b
        echo "CREATE TABLE $s.t$i (id INT PRIMARY KEY, k INT NOT NULL, v VARCHAR(20), KEY k_idx (k));"
        echo "INSERT INTO $s.t$i VALUES (1, $i, 'x'), (2, $((i + 1)), NULL);"
    done
    echo "CREATE VIEW a.v AS SELECT id, k FROM a.t2;"
    echo "CREATE TRIGGER b.trg BEFORE INSERT ON b.t1 FOR EACH ROW SET NEW.k = NEW.k + 1;"
    echo "CREATE TABLE a.big (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL,
          c CHAR(200) NOT NULL, KEY k_1 (k)) ENGINE=InnoDB;"
    echo "USE a; INSERT INTO big (k, c) SELECT MOD(seq * 7919, 1000), CONCAT(MD5(seq), REPEAT('y', 150))
          FROM seq_1_to_100000;"
} | mariadb --defaults-file="$WORK/src/client.cnf"

note "csdump: 84 DDL files over 2 connections"
dump_of src "$WORK/d" -B a,b -t 2 --chunk-rows 20000 -q
"$CSLOAD" --check "$WORK/d" >"$WORK/check.log" 2>&1 || { cat "$WORK/check.log" >&2; fail "the dump does not check"; }
assert_eq "$(manifest_get "$WORK/d" "len([t for t in m['tables'] if t['ddl_file']])")" 81
# each file recorded for its own object, whichever connection fetched it
assert_eq "$(manifest_get "$WORK/d" "all(t['ddl_file'] == t['schema'] + '.' + t['name'] + '-schema.sql' for t in m['tables'])")" True
assert_eq "$(manifest_get "$WORK/d" "all(open(sys.argv[1] + '/' + t['ddl_file']).read().startswith('CREATE TABLE \`' + t['name'] + '\`') for t in m['tables'])")" True
raw=$(manifest_get "$WORK/d" "sum(c['raw_bytes'] for t in m['tables'] if t['name'] == 'big' for c in t['chunks'])")
[ "$raw" -ge $((16 << 20)) ] || fail "a.big has $raw raw bytes: the test needs 16 MiB or more"
[ "$(manifest_get "$WORK/d" "len([t for t in m['tables'] if t['name'] == 'big'][0]['chunks'])")" -ge 2 ] ||
    fail "a.big should have several chunks"

note "--defer-indexes auto (default): only a.big gets a deferred ALTER"
sql auto "SET GLOBAL general_log_file = '$WORK/auto-general.log', GLOBAL general_log = 1"
load_into auto "$WORK/d" -t 2 -v >"$WORK/auto.log" 2>&1 || { cat "$WORK/auto.log" >&2; fail "csload failed"; }
sql auto "SET GLOBAL general_log = 0"
assert_eq "$(grep -c 'adding [0-9]* index definition' "$WORK/auto.log")" 1
grep -q 'a.big: adding 1 index definition' "$WORK/auto.log" || fail "a.big's index was not deferred"
# nearly all the data in one AUTO_INCREMENT table (load/tablepath.h): on
# MariaDB its values bind, so arrays of bound rows, one chunk at a time
grep -q 'a.big: [0-9]* chunk(s) by prepared INSERT of 1000-row arrays, one at a time (arrays of bound values' \
    "$WORK/auto.log" || { cat "$WORK/auto.log" >&2; fail "a.big's chunks did not go in as bound INSERTs one at a time"; }
grep -q '80 table(s) of one chunk load off the bulk-insert path' "$WORK/auto.log" ||
    { cat "$WORK/auto.log" >&2; fail "the tables of one chunk did not load off the bulk-insert path"; }
# the server saw it (its general log): every chunk's transaction ran with
# unique_checks=1, the condition that keeps it off the bulk-insert path
chunks=$(manifest_get "$WORK/d" "sum(len(t['chunks']) for t in m['tables'])")
assert_eq "$(grep -c 'SET SESSION unique_checks=1' "$WORK/auto-general.log")" "$chunks" \
    "chunk transactions with unique_checks=1"
same_data src auto a b
same_schema src auto a b

note "--defer-indexes all: every table's index after the data"
load_into all "$WORK/d" -t 2 -v --defer-indexes all >"$WORK/all.log" 2>&1 ||
    { cat "$WORK/all.log" >&2; fail "csload --defer-indexes all failed"; }
assert_eq "$(grep -c 'adding [0-9]* index definition' "$WORK/all.log")" 81
same_data src all a b
same_schema src all a b
note "ok"
