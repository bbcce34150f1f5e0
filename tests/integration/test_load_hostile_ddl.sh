#!/usr/bin/env bash
# A dump's content is untrusted input: DDL files rewritten by an attacker
# who also re-signs the manifest the way anyone can (sizes and XXH3 hashes
# recomputed), and chunk lists changed (a keyless chunk listed twice, ranges
# that leave a gap or overlap), are refused -- by csload --check and by the
# load -- with a message naming the file or table, and the target is left
# as it was (no schema created, mysql intact).
. "$(dirname "$0")/lib.sh"

start_server src
start_server tgt
types_fixture src
dump_of src "$WORK/good" --threads 2 --chunk-rows 700 -q
before=$(sql tgt "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql'")

# attack NAME PYTHON: a copy of the good dump changed by PYTHON (d = the
# dump directory, m = its manifest, put(file, text) rewrites a file and its
# manifest entry), the manifest written back
attack() {
    rm -rf "$WORK/$1"
    cp -a "$WORK/good" "$WORK/$1"
    /usr/bin/python3 - "$WORK/$1" <<PY
import json, subprocess, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
def put(name, text):
    open(d + "/" + name, "wb").write(text.encode())
    h = subprocess.run(["xxhsum", "-H2", d + "/" + name], capture_output=True, text=True).stdout.split()[0]
    for f in m["files"]:
        if f["name"] == name:
            f["bytes"] = len(text.encode())
            f["hash"] = h
def table(name):
    return [t for t in m["tables"] if t["name"] == name][0]
def obj(kind, name):
    return [o for o in m["objects"] if o["kind"] == kind and o["name"] == name][0]
$2
json.dump(m, open(d + "/manifest.json", "w"))
PY
}

# refused NAME PATTERN: --check and the load both refuse NAME's dump with PATTERN; the target is untouched
refused() {
    local out rc
    set +e
    out=$("$CSLOAD" --check "$WORK/$1" 2>&1)
    rc=$?
    set -e
    [ "$rc" -ne 0 ] || fail "$1: --check passed"
    echo "$out" | grep -q -- "$2" || fail "$1: --check says: $out"
    set +e
    out=$(load_into tgt "$WORK/$1" --threads 2 2>&1)
    rc=$?
    set -e
    [ "$rc" -ne 0 ] || fail "$1: the load succeeded"
    echo "$out" | grep -q -- "$2" || fail "$1: the load says: $out"
    assert_eq "$(sql tgt "SELECT COUNT(*) FROM information_schema.SCHEMATA
                          WHERE SCHEMA_NAME NOT IN ('mysql', 'sys', 'performance_schema', 'information_schema', 'test')")" 0 \
        "$1: schemas created on the target"
    assert_eq "$(sql tgt "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql'")" "$before" \
        "$1: the mysql schema changed"
    note "$1: refused"
}

attack drop-db 'put(table("comp")["ddl_file"], "DROP DATABASE mysql")'
refused drop-db "expected the CREATE TABLE of fx.comp, found \"DROP DATABASE mysql\""

attack second 'f = table("comp")["ddl_file"]; put(f, open(d + "/" + f).read() + ";\nDROP DATABASE mysql")'
refused second "a second statement after the CREATE TABLE of fx.comp"

attack other-schema 'put(table("comp")["ddl_file"], "CREATE TABLE \`mysql\`.\`comp\` (a INT)")'
refused other-schema "expected the CREATE TABLE of fx.comp"

attack drop-view 'put(obj("view", "v_types")["file"], "DROP VIEW v_types")'
refused drop-view "expected the view of fx.v_types"

attack schema-db 'put(obj("database", "fx")["file"], "DROP DATABASE mysql")'
refused schema-db "expected the database of fx.fx"

attack to-mysql 't = table("comp"); t["schema"] = "mysql"'
refused to-mysql "writes into system schema mysql"

attack dup-keyless '
import copy, shutil
t = table("nopk")
c = copy.deepcopy(t["chunks"][-1])
c["index"] = len(t["chunks"])
import re
c["file"] = re.sub(r"\.[0-9]{3}\.tsv\.zst$", ".999.tsv.zst", c["file"])
shutil.copy(d + "/" + t["chunks"][-1]["file"], d + "/" + c["file"])
t["chunks"].append(c)'
refused dup-keyless "table fx.nopk: its chunks hold"


attack gap 't = table("sparse"); t["chunks"][1]["lower"] = t["chunks"][2]["lower"]'
refused gap "table fx.sparse: chunk 1"

attack same-index 't = table("vpk"); t["chunks"][1]["index"] = 0'
refused same-index "table fx.vpk: its chunk indices are not 0 to"

# the good dump still loads
load_into tgt "$WORK/good" --threads 2 2>/dev/null || fail "the good dump does not load"
echo ok
