#!/usr/bin/env bash
# csload issue 8, item 4: cross-flavor loads with the full-type fixtures.
#   MySQL 9.7 -> MariaDB 11.8 (tsv and sql chunks), MySQL 9.7 -> MariaDB 10.11,
#   MariaDB 11.8 -> MySQL 9.7, MariaDB 10.11 -> MySQL 9.7.
# Without the --compat words the policy asks for, the load is refused before
# anything is written (no schema, no journal on the target), each refusal
# naming the object and the flag; with them it loads and verifies, every
# change is listed in the summary and recorded in the journal, and every
# table holds the same rows as the source (a hash that means the same on
# both flavors; MySQL JSON is compared as text on its own and reported).
. "$(dirname "$0")/lib.sh"
SCHEMAS=(fx "odd db.名前")

# xhash_sql NAME FILE: per-table hash statements built from server NAME's
# columns: every value as text or raw bytes (FLOAT as col+0e0, BIT as a
# number, binary/spatial/vector as their bytes, UUID/INET as their text),
# NULL distinct; MySQL JSON columns in a statement of their own.
xhash_sql() {
    sql "$1" "SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE
              FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
                ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
              WHERE t.TABLE_TYPE = 'BASE TABLE' AND c.TABLE_SCHEMA IN ('fx', 'odd db.名前')
              ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION" | python3 -c '
import sys
raw = {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point",
       "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
       "geometrycollection", "geomcollection", "vector"}
def q(n): return "`" + n.replace("`", "``") + "`"
def lit(s): return "\x27" + s.replace("\\", "\\\\").replace("\x27", "\\\x27") + "\x27"
def expr(c, t):
    if t == "float": return "CAST(%s+0e0 AS CHAR)" % q(c)
    if t == "bit": return "%s+0" % q(c)
    if t in raw: return q(c)
    if t in ("uuid", "inet4", "inet6"): return "CAST(%s AS CHAR)" % q(c)
    return "CAST(%s AS BINARY)" % q(c)
tables = {}
for line in sys.stdin:
    s, t, c, ty = line.rstrip("\n").split("\t")
    tables.setdefault((s, t), []).append((c, ty.lower()))
def stmt(tag, s, t, cols):
    parts = ", ".join("IFNULL(HEX(%s), \x27-\x27)" % expr(c, ty) for c, ty in cols)
    return ("SELECT %s, COUNT(*), COALESCE(SUM(CAST(CONV(LEFT(SHA2(CONCAT_WS(0x1e, %s), 256), "
            "15), 16, 10) AS UNSIGNED)), 0) FROM %s.%s;" % (lit(tag + s + "." + t), parts, q(s), q(t)))
for (s, t), cols in tables.items():
    main = [(c, ty) for c, ty in cols if ty != "json"]
    js = [(c, "longtext") for c, ty in cols if ty == "json"]
    print(stmt("", s, t, main))
    if js:
        print(stmt("json ", s, t, js))
' > "$2"
    [ -s "$2" ] || fail "no tables to hash on $1"
    sed -i "1i SET time_zone = '+00:00';" "$2"
}

# xhash NAME FILE: run the statements of FILE on server NAME
xhash() {
    mariadb --defaults-file="$WORK/$1/client.cnf" -N -B < "$2"
}

# same_rows SRC DST: every table equal; JSON (text) differences only reported
same_rows() {
    xhash_sql "$1" "$WORK/xhash.sql"
    xhash "$1" "$WORK/xhash.sql" > "$WORK/xh-$1"
    xhash "$2" "$WORK/xhash.sql" > "$WORK/xh-$2"
    diff <(grep -v '^json ' "$WORK/xh-$1") <(grep -v '^json ' "$WORK/xh-$2") >&2 ||
        fail "$1 -> $2: the tables differ"
    if grep -q '^json ' "$WORK/xh-$1"; then
        if diff <(grep '^json ' "$WORK/xh-$1") <(grep '^json ' "$WORK/xh-$2") >/dev/null; then
            note "$1 -> $2: JSON columns equal as text"
        else
            note "$1 -> $2: JSON columns differ as text (MySQL JSON is not compared exactly):"
            diff <(grep '^json ' "$WORK/xh-$1") <(grep '^json ' "$WORK/xh-$2") >&2 || true
        fi
    fi
}

# untouched NAME: nothing of the dump, and no journal, on server NAME
untouched() {
    assert_eq "$(sql "$1" "SELECT COUNT(*) FROM information_schema.SCHEMATA
                           WHERE SCHEMA_NAME IN ('fx', 'odd db.名前', '__csload')")" 0 \
        "schemas on $1 after a refused load"
}

# refused NAME DIR LOG WHAT...: the load fails; LOG names every WHAT
refused() {
    local name=$1 dir=$2 log=$3 what
    shift 3
    if load_into "$name" "$dir" --threads 2 2> "$log"; then
        cat "$log" >&2
        fail "$name: a load that needs --compat succeeded"
    fi
    grep -q "nothing was loaded" "$log" || { cat "$log" >&2; fail "$name: refused how?"; }
    for what in "$@"; do
        grep -qF -- "$what" "$log" || { cat "$log" >&2; fail "$name: the refusal does not say '$what'"; }
    done
    untouched "$name"
}

# listed LOG TEXT...: the load summary lists each change
listed() {
    local log=$1 what
    shift
    for what in "$@"; do
        grep -qF -- "$what" "$log" || { cat "$log" >&2; fail "the summary does not list '$what'"; }
    done
}

# journaled NAME LOG: one compat journal row per change the summary lists
journaled() {
    local n
    n=$(sed -n 's/.*cross-flavor load .*: \([0-9]*\) change(s).*/\1/p' "$2" | tail -1)
    [ -n "$n" ] && [ "$n" -gt 0 ] || fail "$1: no change count in the summary"
    assert_eq "$(sql "$1" "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE 'compat:%'")" "$n" \
        "$1: compat rows in the journal"
    assert_eq "$(sql "$1" "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE 'compat:%'
                           AND (detail IS NULL OR detail = '')")" 0 "$1: compat rows without text"
}

start_server my --flavor mysql-9.7
start_server m11 --flavor mariadb-11.8
start_server m10 --flavor mariadb-10.11
types_fixture my
# MySQL JSON whose scalars are DECIMAL/DATE/opaque... (fx.js) cannot keep its
# types in MariaDB: refused by column before anything is written
dump_of my "$WORK/d-my-js" --tables fx.js -q
for target in m11 m10; do
    set +e
    load_into "$target" "$WORK/d-my-js" 2> "$WORK/js-$target.log"
    rc=$?
    set -e
    [ "$rc" -ne 0 ] || fail "$target: typed MySQL JSON loaded into MariaDB"
    grep -q "fx.js.j ([0-9]* value(s)); nothing was loaded" "$WORK/js-$target.log" ||
        fail "$target: no refusal naming fx.js.j: $(cat "$WORK/js-$target.log")"
    assert_eq "$(sql "$target" "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('fx', '__csload')")" 0 \
        "$target: schemas created before the JSON refusal"
done
sql my "SET sql_log_bin = 0; DROP TABLE fx.js"
dump_of my "$WORK/d-my" --chunk-rows 700 --threads 2 -q
dump_of my "$WORK/d-my-sql" --format sql --threads 2 -q

for target in m11 m10; do
    note "mysql-9.7 -> $(flavor_of "$target")"
    refused "$target" "$WORK/d-my" "$WORK/refused-$target.log" \
        "table fx.fidx: index \`k_lower\`: a functional index" \
        "table fx.fidx: index \`k_tags\`: a multi-valued index" \
        "--compat skip-functional-indexes"
    load_into "$target" "$WORK/d-my" --threads 2 --compat skip-functional-indexes \
        2> "$WORK/load-$target.log" || { cat "$WORK/load-$target.log" >&2; fail "$target: csload failed"; }
    listed "$WORK/load-$target.log" "verified: every chunk matches the dump" \
        "table fx.geo: column \`p\`: /*!80003 SRID 4326 */ -> REF_SYSTEM_ID=4326" \
        "table fx.gipk: column \`my_row_id\`: /*!80023 INVISIBLE */ -> INVISIBLE" \
        "table fx.types: column \`inv\`: /*!80023 INVISIBLE */ -> INVISIBLE" \
        "table fx.fidx: index \`k_lower\`: a functional index left out" \
        "collation utf8mb4_ja_0900_as_cs -> utf8mb4_uca1400_nopad_as_cs" \
        "database fx: /*!80016 DEFAULT ENCRYPTION='N' */ left out"
    journaled "$target" "$WORK/load-$target.log"
    assert_eq "$(sql "$target" "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE
                                'compat:table:fx.geo:%' AND detail LIKE '%REF_SYSTEM_ID=4326%'")" 1 \
        "$target: the SRID change in the journal"
    same_rows my "$target"
    # what MariaDB would have dropped silently is there
    assert_eq "$(sql "$target" "SELECT GROUP_CONCAT(CONCAT(TABLE_NAME, '.', COLUMN_NAME) ORDER BY 1)
                                FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'fx'
                                AND EXTRA LIKE '%INVISIBLE%'")" "coll.hid,gipk.my_row_id,types.inv" \
        "$target: invisible columns"
    assert_eq "$(sql "$target" "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'fx'
                                AND TABLE_NAME = 'gipk' AND COLUMN_KEY = 'PRI'")" 1 "$target: gipk key"
    assert_eq "$(sql "$target" "SELECT * FROM fx.gipk LIMIT 1" | awk -F'\t' '{print NF}')" 2 \
        "$target: SELECT * shows my_row_id"
    assert_eq "$(sql "$target" "SELECT SRID FROM information_schema.GEOMETRY_COLUMNS
                                WHERE G_TABLE_SCHEMA = 'fx' AND G_TABLE_NAME = 'geo'
                                AND G_GEOMETRY_COLUMN = 'p'")" 4326 "$target: SRID of geo.p"
    # the objects work
    assert_eq "$(sql "$target" "SELECT fx.f_double(21)")" 42 "$target: function"
    assert_eq "$(sql "$target" "SELECT COUNT(*) FROM fx.v_on_view")" 2 "$target: view on a view"
    # a second run finds everything done
    load_into "$target" "$WORK/d-my" --threads 2 --compat skip-functional-indexes \
        2> "$WORK/again-$target.log" || { cat "$WORK/again-$target.log" >&2; fail "$target: rerun"; }
    grep -q "chunk(s) were loaded by an earlier run" "$WORK/again-$target.log" || fail "$target: rerun reloaded"
    journaled "$target" "$WORK/again-$target.log"
done
listed "$WORK/load-m10.log" "table fx.types: collation utf8mb4_0900_ai_ci -> utf8mb4_uca1400_nopad_ai_ci" \
    "view fx.v_types: session collation utf8mb4_0900_ai_ci -> utf8mb4_uca1400_nopad_ai_ci"
assert_eq "$(sql m10 "SELECT TABLE_COLLATION FROM information_schema.TABLES
                      WHERE TABLE_SCHEMA = 'fx' AND TABLE_NAME = 'types'")" utf8mb4_uca1400_nopad_ai_ci \
    "m10: the collation fx.types got"
listed "$WORK/load-m11.log" "function fx.f_double: sql_mode + TIME_ROUND_FRACTIONAL"

note "mysql-9.7 -> mariadb-11.8, sql chunks"
sql m11 "DROP DATABASE fx; DROP DATABASE \`odd db.名前\`; DROP DATABASE __csload"
load_into m11 "$WORK/d-my-sql" --threads 2 --compat skip-functional-indexes 2> "$WORK/load-sql.log" ||
    { cat "$WORK/load-sql.log" >&2; fail "sql chunks: csload failed"; }
listed "$WORK/load-sql.log" "verified: every chunk matches the dump"
same_rows my m11

note "mariadb-11.8 -> mysql-9.7"
sql m11 "DROP DATABASE fx; DROP DATABASE \`odd db.名前\`; DROP DATABASE __csload"
sql my "DROP DATABASE fx; DROP DATABASE \`odd db.名前\`"
types_fixture m11
dump_of m11 "$WORK/d-m11" --chunk-rows 700 --threads 2 -q 2> /dev/null
refused my "$WORK/d-m11" "$WORK/refused-my.log" \
    "table fx.types: column \`uu\`: uuid" "--compat mariadb-types-as-text" \
    "table fx.vec: index \`v\`: a vector index" "--compat skip-vector-indexes" \
    "table fx.versioned: table options: WITH SYSTEM VERSIONING" "--compat drop-system-versioning"
# load_into_mysql DIR LOG [csload options]: into server my; a MariaDB dump
# into MySQL loads and exits 0 (replication is decided before the load and
# only refused when asked for)
load_into_mysql() {
    local dir=$1 log=$2
    shift 2
    load_into my "$dir" --threads 2 "$@" 2> "$log" || { cat "$log" >&2; fail "my: csload failed"; }
}

load_into_mysql "$WORK/d-m11" "$WORK/load-my.log" \
    --compat mariadb-types-as-text,skip-vector-indexes --compat drop-system-versioning
listed "$WORK/load-my.log" "verified: every chunk matches the dump" \
    "session: sql_mode NO_AUTO_CREATE_USER left out" \
    "table fx.types: collation utf8mb4_uca1400_ai_ci -> utf8mb4_0900_ai_ci" \
    "table fx.uca: collation utf8mb4_uca1400_as_cs -> utf8mb4_0900_as_cs" \
    "table fx.types: column \`uu\`: uuid -> char(36) CHARACTER SET ascii COLLATE ascii_bin" \
    "table fx.types: column \`i6\`: inet6 -> varchar(45)" \
    "table fx.vec: index \`v\`: a vector index left out" \
    "table fx.vec: column \`v\`: vector(3) kept" \
    "table fx.versioned: table options: WITH SYSTEM VERSIONING left out" \
    "procedure fx.p_count: sql_mode + TIME_TRUNCATE_FRACTIONAL"
journaled my "$WORK/load-my.log"
same_rows m11 my
assert_eq "$(sql my "SELECT SQL_MODE FROM information_schema.ROUTINES
                     WHERE ROUTINE_SCHEMA = 'fx' AND ROUTINE_NAME = 'f_double'")" \
    "NO_ENGINE_SUBSTITUTION,TIME_TRUNCATE_FRACTIONAL" "my: f_double's sql_mode"
assert_eq "$(sql my "SELECT fx.f_double(21)")" 42 "my: function"
assert_eq "$(sql my "SELECT DATA_TYPE FROM information_schema.COLUMNS
                     WHERE TABLE_SCHEMA = 'fx' AND TABLE_NAME = 'vec' AND COLUMN_NAME = 'v'")" vector \
    "my: fx.vec.v"

note "mariadb-10.11 -> mysql-9.7"
sql m10 "DROP DATABASE fx; DROP DATABASE \`odd db.名前\`; DROP DATABASE __csload"
sql my "DROP DATABASE fx; DROP DATABASE \`odd db.名前\`; DROP DATABASE __csload"
types_fixture m10
dump_of m10 "$WORK/d-m10" --chunk-rows 700 --threads 2 -q
refused my "$WORK/d-m10" "$WORK/refused-my10.log" \
    "table fx.types: column \`i4\`: inet4" "--compat mariadb-types-as-text"
load_into_mysql "$WORK/d-m10" "$WORK/load-my10.log" --compat mariadb-types-as-text
listed "$WORK/load-my10.log" "verified: every chunk matches the dump" \
    "session: sql_mode NO_AUTO_CREATE_USER left out" \
    "table fx.types: column \`uu\`: uuid -> char(36) CHARACTER SET ascii COLLATE ascii_bin"
journaled my "$WORK/load-my10.log"
same_rows m10 my
echo ok
