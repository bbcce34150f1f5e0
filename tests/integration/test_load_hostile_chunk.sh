#!/usr/bin/env bash
# A sql chunk is untrusted input like a DDL file: a chunk rewritten by an
# attacker who also re-signs the manifest (size and XXH3 recomputed) to hold
# a DROP, a GRANT, an INSERT into another table or a value that reads the
# server (a subquery), is refused naming the file before any of it is sent:
# the load fails, the table the chunk belongs to keeps none of its rows,
# mysql is intact and no account was made.  The good dump then loads.
. "$(dirname "$0")/lib.sh"

start_server src
start_server tgt
sql src "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(20));
         INSERT INTO shop.t VALUES (1, 'one'), (2, 'two'), (3, 'three')"
dump_of src "$WORK/good" --format sql --threads 1 -q
mysql_tables=$(sql tgt "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql'")

# attack NAME TEXT: a copy of the good dump whose shop.t chunk holds TEXT
attack() {
    rm -rf "$WORK/$1"
    cp -a "$WORK/good" "$WORK/$1"
    /usr/bin/python3 - "$WORK/$1" "$2" <<'PY'
import json, subprocess, sys
d, text = sys.argv[1], sys.argv[2]
m = json.load(open(d + "/manifest.json"))
t = [t for t in m["tables"] if t["name"] == "t"][0]
c = t["chunks"][0]
data = subprocess.run(["zstd", "-q", "-c"], input=text.encode(), capture_output=True).stdout
open(d + "/" + c["file"], "wb").write(data)
c["file_bytes"] = len(data)
c["file_hash"] = subprocess.run(["xxhsum", "-H2", d + "/" + c["file"]], capture_output=True,
                                text=True).stdout.split()[0]
json.dump(m, open(d + "/manifest.json", "w"))
PY
}

refused() { # NAME PATTERN
    expect_exit 1 "$2" load_into tgt "$WORK/$1" --if-exists replace
    echo "$CS_OUT" | grep -q "not a row INSERT of constants" || fail "$1: $CS_OUT"
    assert_eq "$(sql tgt "SELECT COUNT(*) FROM shop.t")" 0 "$1: rows of the chunk stayed"
    assert_eq "$(sql tgt "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql'")" \
        "$mysql_tables" "$1: mysql was changed"
    assert_eq "$(sql tgt "SELECT COUNT(*) FROM mysql.user WHERE User = 'evil'")" 0 "$1: an account was made"
    note "$1: refused"
}

head='/*!40101 SET NAMES binary */;
'
rows="INSERT INTO \`shop\`.\`t\` (\`id\`,\`v\`) VALUES (1,'one'),(2,'two'),(3,'three');
"
attack drop "${head}DROP DATABASE mysql;
$rows"
refused drop "DROP DATABASE"
attack grant "${rows}CREATE USER evil@'%';
"
refused grant "CREATE USER"
attack other "INSERT INTO \`mysql\`.\`db\` (\`id\`,\`v\`) VALUES (1,'x');
$rows"
refused other "`db`"
attack reads "INSERT INTO \`shop\`.\`t\` (\`id\`,\`v\`) VALUES (1,(SELECT authentication_string FROM mysql.user LIMIT 1)),(2,'two'),(3,'three');
"
refused reads "authentication_string"
attack header "/*!40101 SET GLOBAL general_log = 1 */;
$rows"
refused header "SET GLOBAL"

load_into tgt "$WORK/good" --if-exists replace -q || fail "the good dump does not load"
same_data src tgt shop
echo ok
