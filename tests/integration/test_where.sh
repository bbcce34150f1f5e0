#!/usr/bin/env bash
# issue 12, test 5 (--where): csdump --where keeps exactly the rows of its
# condition, per table ("db.t:cond") or for every dumped table ("cond"),
# combined with the chunk key ranges (several chunks); the manifest says
# the dump is a subset and records each table's condition; csload loads
# exactly those rows, verifies every chunk, reports the condition and
# never sends it to the target; a condition naming no dumped table, one
# that is not self-contained, or two for one table are usage errors.
# flavors: mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src
start_server dst
sql src "CREATE DATABASE shop;
         CREATE TABLE shop.orders (id INT PRIMARY KEY, region CHAR(2), amount INT, note VARCHAR(20));
         CREATE TABLE shop.log (n INT, msg VARCHAR(20));
         CREATE TABLE shop.keep (id INT PRIMARY KEY, region CHAR(2));
         CREATE VIEW shop.v AS SELECT id FROM shop.orders;
         INSERT INTO shop.orders
           SELECT seq, IF(seq % 3 = 0, 'eu', 'us'), seq * 10, IF(seq % 7 = 0, 'a,b:c', NULL)
           FROM (SELECT a.n * 100 + b.n * 10 + c.n + 1 AS seq FROM
             (SELECT 0 n UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION
              SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) a,
             (SELECT 0 n UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION
              SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) b,
             (SELECT 0 n UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION
              SELECT 5 UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) c) s;
         INSERT INTO shop.log SELECT id, CONCAT('m', id) FROM shop.orders WHERE id <= 50;
         INSERT INTO shop.keep SELECT id, region FROM shop.orders WHERE id <= 30;"

note "per-table condition and one for every table"
# the table's own condition (with a comma, a colon, a quote and a trailing
# line comment) replaces the one for every table
dump_of src "$WORK/d1" -q --no-users --chunk-rows 100 \
    --where "shop.orders:region = 'eu' AND (amount > 1000 OR note = 'a,b:c') -- big ones" \
    --where "shop.log:n % 2 = 0" \
    --where "id <= 10"
subset=$(manifest_get "$WORK/d1" "m['options'].get('subset')")
assert_eq "$subset" "True" "manifest options.subset"
wheres=$(manifest_get "$WORK/d1" "'|'.join(t['name'] + '=' + t.get('where', '-') for t in m['tables'])")
assert_eq "$wheres" "keep=id <= 10|log=n % 2 = 0|orders=region = 'eu' AND (amount > 1000 OR note = 'a,b:c') -- big ones" \
    "per-table where in the manifest"
nchunks=$(manifest_get "$WORK/d1" "[len(t['chunks']) for t in m['tables'] if t['name'] == 'orders'][0]")
[ "$nchunks" -gt 2 ] || fail "orders should span several chunks, got $nchunks"
want_orders=$(sql src "SELECT COUNT(*), SUM(id) FROM shop.orders
                       WHERE region = 'eu' AND (amount > 1000 OR note = 'a,b:c')")
rows=$(manifest_get "$WORK/d1" "[t['rows'] for t in m['tables'] if t['name'] == 'orders'][0]")
assert_eq "$rows" "${want_orders%%$'\t'*}" "orders rows in the manifest"

# every statement the target gets goes to its general log (a table: the
# same on both flavors)
sql dst "SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log; SET GLOBAL general_log = 1"
expect_exit 0 "orders: dumped with --where region = 'eu'" load_into dst "$WORK/d1"
sql dst "SET GLOBAL general_log = 0"
echo "$CS_OUT" | grep -q "subset" || fail "csload does not say the dump is a subset: $CS_OUT"
assert_eq "$(sql dst "SELECT COUNT(*), SUM(id) FROM shop.orders")" "$want_orders" "orders on the target"
assert_eq "$(sql dst "SELECT COUNT(*), SUM(n) FROM shop.log")" \
    "$(sql src "SELECT COUNT(*), SUM(n) FROM shop.log WHERE n % 2 = 0")" "log on the target"
assert_eq "$(sql dst "SELECT COUNT(*) FROM shop.keep")" 10 "keep on the target"
assert_eq "$(sql dst "SELECT COUNT(*) FROM shop.v")" "${want_orders%%$'\t'*}" "the view over the subset"
# the condition text was never sent to the target (the general log is off
# when it is searched, so the search is not in it)
loaded=$(sql dst "SELECT COUNT(*) FROM mysql.general_log
                  WHERE argument LIKE 'LOAD DATA%' OR argument LIKE 'INSERT INTO%'")
[ "$loaded" -gt 0 ] || fail "the general log caught no load"
sent=$(sql dst "SELECT COUNT(*) FROM mysql.general_log
                WHERE argument LIKE '%region = _eu_%' OR argument LIKE '%n \\% 2 = 0%'")
assert_eq "$sent" 0 "statements on the target holding the --where condition"

expect_exit 0 "shop.orders holds only the rows WHERE region = 'eu'.*the dump is a subset" \
    "$CSLOAD" --no-defaults --check "$WORK/d1"

note "a --where dump verifies chunk by chunk on a rerun too"
expect_exit 0 "verified" load_into dst "$WORK/d1" --reset-progress --if-exists replace

note "usage errors"
n=0
bad() {
    local pattern=$1
    shift
    n=$((n + 1))
    expect_exit 2 "$pattern" dump_of src "$WORK/bad$n" -q "$@"
    assert_file_absent "$WORK/bad$n/manifest.json"
}
bad "--where=shop.nosuch:id > 1: shop.nosuch names no table this dump takes" --where 'shop.nosuch:id > 1'
bad "--where=shop.v:id > 1: shop.v names no table this dump takes" --where 'shop.v:id > 1'
bad "--where=crm.t:id > 1: crm.t names no table" --databases shop --where 'crm.t:id > 1'
bad "--where=id > 1\\) OR \\(1: a '\\)' closes more" --where 'id > 1) OR (1'
bad "--where=id = 'x: a ' quote is not closed" --where "id = 'x"
bad "--where=1; DROP TABLE t: ';' would end the statement" --where '1; DROP TABLE t'
bad "--where=   : the condition is empty" --where '   '
bad "a condition for every table was given already" --where 'id > 1' --where 'id < 5'
bad "shop.log has a condition already" --where 'shop.log:n > 1' --where 'shop.log:n < 5'
bad "--where filters rows and --no-data dumps none" --no-data --where 'id > 1'
bad "both name shop.orders" --where 'shop.o%:id > 1' --where 'shop.orders:id < 5'
# a condition the server refuses for one table: before the snapshot, named
bad "--where: shop.log refuses the condition region = 'eu' \\(.*Unknown column" --where "region = 'eu'"
bad "--where: shop.keep refuses the condition id <=> <=> 1 \\(.*syntax" --where 'shop.keep:id <=> <=> 1'
