#!/usr/bin/env bash
# Typed chunk bounds against a real server: tables keyed on each type the
# chunker bounds -- DECIMAL, DOUBLE, BIT, VARBINARY with zero bytes, quotes
# and backslashes, DATETIME(6), negative TIME, latin1 and utf8mb4 strings
# with quotes and backslashes, a composite key of DATE, DECIMAL and
# VARBINARY, and on MariaDB UUID and INET6 -- dump in many chunks whose
# bounds are typed values of those types; each chunk's rows recomputed on
# the source over its bounds (the one predicate builder, as csload
# verifies) match the dump; the load verifies every chunk and the data is
# the source's.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src
start_server tgt

cat >"$WORK/keys.sql" <<'SQL'
CREATE DATABASE k;
USE k;
CREATE TABLE d (x INT PRIMARY KEY);
INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
CREATE TABLE n (i INT PRIMARY KEY);
INSERT INTO n SELECT a.x + 10 * b.x + 100 * c.x + 1000 * e.x
  FROM d a, d b, d c, d e WHERE a.x + 10 * b.x + 100 * c.x + 1000 * e.x < 2500;
CREATE TABLE kdec (k DECIMAL(20,4) PRIMARY KEY, v INT);
INSERT INTO kdec SELECT i * 1.3333 - 2000, i FROM n;
CREATE TABLE kdbl (k DOUBLE PRIMARY KEY, v INT);
INSERT INTO kdbl SELECT i * 0.25 - 300, i FROM n;
CREATE TABLE kbit (k BIT(16) PRIMARY KEY, v INT);
INSERT INTO kbit SELECT i * 7, i FROM n;
CREATE TABLE kbin (k VARBINARY(16) PRIMARY KEY, v INT);
INSERT INTO kbin SELECT CONCAT(UNHEX(LPAD(HEX(i), 4, '0')), 0x275C00), i FROM n;
CREATE TABLE kdt (k DATETIME(6) PRIMARY KEY, v INT);
INSERT INTO kdt SELECT TIMESTAMP('2020-01-01') + INTERVAL i * 37 SECOND + INTERVAL i MICROSECOND, i FROM n;
CREATE TABLE ktime (k TIME PRIMARY KEY, v INT);
INSERT INTO ktime SELECT SEC_TO_TIME(i * 97 - 150000), i FROM n;
CREATE TABLE kl1 (k VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci PRIMARY KEY, v INT);
INSERT INTO kl1 SELECT CONCAT('a''b\\', LPAD(i, 5, '0')), i FROM n;
CREATE TABLE ku8 (k VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci PRIMARY KEY, v INT);
INSERT INTO ku8 SELECT CONCAT(_utf8mb4 x'C3A9', '''', i, '\\"'), i FROM n;
CREATE TABLE kcomp (a DATE, b DECIMAL(6,2), c VARBINARY(4), v INT, PRIMARY KEY (a, b, c));
INSERT INTO kcomp SELECT DATE('2024-01-01') + INTERVAL (i DIV 100) DAY, (i % 100) / 4,
  UNHEX(LPAD(HEX(i), 4, '0')), i FROM n;
DROP TABLE d, n;
SQL
sql_file src "$WORK/keys.sql"
if [ "$(kind_of src)" = mariadb ]; then
    sql src "USE k; CREATE TABLE k.kuuid (k UUID PRIMARY KEY, v INT);
             INSERT INTO k.kuuid SELECT UUID(), seq FROM seq_1_to_2500;
             CREATE TABLE k.kinet (k INET6 PRIMARY KEY, v INT);
             INSERT INTO k.kinet SELECT CONCAT('::ffff:10.0.', seq DIV 256, '.', seq % 256), seq
               FROM seq_1_to_2500"
fi

dump_of src "$WORK/dump" --chunk-rows 200 --threads 2 -q
# many chunks per table, each bounded by typed values of the key's types
python3 - "$WORK/dump" <<'PY' || fail "the chunks' bounds are not what they should be"
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
assert m["format_version"] == 2, m["format_version"]
want = {"kdec": ["decimal"], "kdbl": ["float"], "kbit": ["integer"], "kbin": ["binary"],
        "kdt": ["temporal"], "ktime": ["temporal"], "kl1": ["string"], "ku8": ["string"],
        "kcomp": ["temporal", "decimal", "binary"], "kuuid": ["text"], "kinet": ["text"]}
for t in m["tables"]:
    cs = t["chunks"]
    assert len(cs) >= 5, (t["name"], len(cs))
    assert cs[0]["lower"] is None and cs[-1]["upper"] is None, t["name"]
    for c in cs[1:]:
        assert c["lower"]["closed"] is True, (t["name"], c)
        assert [v["type"] for v in c["lower"]["values"]] == want[t["name"]], (t["name"], c)
    for c in cs[:-1]:
        assert c["upper"]["closed"] is False, (t["name"], c)
    assert "where" not in cs[0]
    if t["name"] in ("kl1", "ku8"):  # strings carry their column's charset and collation
        v = cs[1]["lower"]["values"][0]
        assert (v["charset"], v["collation"]) == {"kl1": ("latin1", "latin1_swedish_ci"),
            "ku8": ("utf8mb4", "utf8mb4_unicode_ci")}[t["name"]], v
print("ok")
PY
"$CHUNKCHECK" "$WORK/dump" -S "$(sock src)" -u root || fail "chunk check"
load_into tgt "$WORK/dump" --threads 2 >"$WORK/load.log" 2>&1 || { cat "$WORK/load.log" >&2; fail "csload failed"; }
grep -q "verified: every chunk matches the dump" "$WORK/load.log" || { cat "$WORK/load.log" >&2; fail "not verified"; }
same_data src tgt k
echo ok
