#!/usr/bin/env bash
# csload issue, test 1: round trip of the full-type dataset with odd
# identifiers, in both formats: every table equal afterwards (row count and a
# row hash over explicit columns, FLOAT exact), the schema identical, the
# views, routines, triggers and events present and working.  A second run of
# the same command loads nothing twice.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"
SCHEMAS=(fx "odd db.名前")

start_server src
types_fixture src
for fmt in tsv sql; do
    note "format $fmt"
    start_server "t-$fmt"
    dump_of src "$WORK/d-$fmt" --format "$fmt" --chunk-rows 700 --threads 2 -q
    "$CSLOAD" --check "$WORK/d-$fmt" || fail "$fmt: --check"
    load_into "t-$fmt" "$WORK/d-$fmt" --threads 2 2> "$WORK/load-$fmt.log" ||
        { cat "$WORK/load-$fmt.log" >&2; fail "$fmt: csload failed"; }
    grep -q "verified: every chunk matches the dump" "$WORK/load-$fmt.log" || fail "$fmt: not verified"
    grep -q "the progress journal stays on the target in schema __csload" "$WORK/load-$fmt.log" ||
        fail "$fmt: the load does not say that its journal stays"
    ! grep -q "cross-flavor" "$WORK/load-$fmt.log" || fail "$fmt: a same-flavor load went through compat"
    same_data src "t-$fmt" "${SCHEMAS[@]}"
    same_schema src "t-$fmt" "${SCHEMAS[@]}"
    # the objects work
    assert_eq "$(sql "t-$fmt" "SELECT fx.f_double(21)")" 42 "$fmt: function"
    assert_eq "$(sql "t-$fmt" "CALL fx.p_count(@n); SELECT @n" | tail -1)" 5 "$fmt: procedure"
    assert_eq "$(sql "t-$fmt" "SELECT COUNT(*) FROM fx.v_on_view")" 2 "$fmt: view on a view"
    sql "t-$fmt" "INSERT INTO fx.comp VALUES (99, 'x', '2020-01-01', 'lower')"
    assert_eq "$(sql "t-$fmt" "SELECT v FROM fx.comp WHERE a = 99")" LOWER "$fmt: trigger"
    # triggers did not fire during the load: the loaded rows kept their case
    assert_eq "$(sql "t-$fmt" "SELECT COUNT(*) FROM fx.comp WHERE v = LOWER(v) AND a <> 99")" 5000 \
        "$fmt: rows changed by a trigger during the load"
    sql "t-$fmt" "DELETE FROM fx.comp WHERE a = 99"
    # a second run finds everything done
    load_into "t-$fmt" "$WORK/d-$fmt" --threads 2 2> "$WORK/again-$fmt.log" ||
        { cat "$WORK/again-$fmt.log" >&2; fail "$fmt: second run failed"; }
    grep -q "chunk(s) were loaded by an earlier run" "$WORK/again-$fmt.log" || fail "$fmt: rerun reloaded"
    same_data src "t-$fmt" "${SCHEMAS[@]}"
done
echo ok
