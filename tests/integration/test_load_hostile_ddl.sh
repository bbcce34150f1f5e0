#!/usr/bin/env bash
# A dump's content is untrusted input: DDL files rewritten by an attacker
# who also re-signs the manifest the way anyone can (sizes and XXH3 hashes
# recomputed), and chunk lists changed (a keyless chunk listed twice, ranges
# that leave a gap or overlap, swapped bounds, bound values carrying SQL, in
# version-2 typed bounds and in version-1 text), and system schemas without
# --include-system on both dump and load, are refused -- by csload --check and by the
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

# refused NAME PATTERN [OPTION...]: --check and the load (both given the
# OPTIONs) refuse NAME's dump with PATTERN; the target is untouched
refused() {
    local out rc name=$1 pattern=$2
    shift 2
    set +e
    out=$("$CSLOAD" --check "$@" "$WORK/$name" 2>&1)
    rc=$?
    set -e
    set -- "$name" "$pattern" "$@"
    [ "$rc" -ne 0 ] || fail "$1: --check passed"
    echo "$out" | grep -q -- "$2" || fail "$1: --check says: $out"
    set +e
    out=$(load_into tgt "$WORK/$1" --threads 2 "${@:3}" 2>&1)
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
refused to-mysql "writes into system schema mysql.*the dump was not taken with csdump --include-system, and csload was not given --include-system"
# the load's --include-system alone does not let a dump that did not record it in
refused to-mysql "the dump was not taken with csdump --include-system (its manifest does not say so)" --include-system
attack to-mysql-rec 't = table("comp"); t["schema"] = "mysql"; m["options"]["include_system"] = True'
refused to-mysql-rec "writes into system schema mysql.*csload was not given --include-system"

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


# Chunk bounds are typed values (format/bound.h): a value carrying SQL is
# refused when the manifest is read, naming the chunk; swapped bounds, a gap
# and an overlap each have their own message (load/chunkset.h).
attack bound-sql 't = table("sparse"); t["chunks"][1]["lower"]["values"][0]["value"] = "1) OR (1=1"'
refused bound-sql "chunks\[1\].lower: values\[0\].value: expected an integer.*(chunk file fx.sparse.0"
attack bound-type 't = table("comp"); c = t["chunks"][1]["lower"]["values"][2]; c["value"] = "2024-01-01'"'"' OR '"'"'1'"'"'='"'"'1"'
refused bound-type "values\[2\].value: expected a date or time"
attack bound-string 't = table("vpk"); t["chunks"][1]["lower"]["values"][0]["hex"] = "x'"'"' OR 1=1 -- "'
refused bound-string "values\[0\].hex: expected"

attack swapped 't = table("sparse"); c = t["chunks"][1]; c["lower"]["values"], c["upper"]["values"] = c["upper"]["values"], c["lower"]["values"]'
refused swapped "table fx.sparse: chunk 1 (.*): swapped bounds, its lower bound is not below its upper bound"

attack gap '
t = table("sparse")
v = t["chunks"][2]["lower"]["values"][0]
v["value"] = str(int(v["value"]) + 1)'
refused gap "table fx.sparse: chunk 2 (.*) after chunk 1 (.*): a gap: it starts above where the previous one ends"

attack overlap '
t = table("sparse")
t["chunks"][2]["lower"]["values"][0]["value"] = t["chunks"][1]["lower"]["values"][0]["value"]'
refused overlap "table fx.sparse: chunk 2 (.*) after chunk 1 (.*): an overlap: it starts below where the previous one ends"

attack gap-string 't = table("vpk"); t["chunks"][1]["lower"]["values"][0]["hex"] = "7a7a7a"'
refused gap-string "table fx.vpk: chunk 1 (.*) after chunk 0 (.*): a gap or an overlap"

# A version-1 dump (bounds as SQL text) loads and verifies; a v1 bound that
# carries SQL is refused naming the chunk file.
v1='
m["format_version"] = 1
m["options"].pop("include_system", None)
def lit(v):
    if v["type"] == "string":
        return "_%s %s" % (v["charset"], ("0x" + v["hex"].upper()) if v["hex"] else "X'"'"''"'"'")
    if v["type"] == "binary":
        return ("0x" + v["hex"].upper()) if v["hex"] else "X'"'"''"'"'"
    if v["type"] in ("temporal", "text"):
        return "'"'"'" + v["value"] + "'"'"'"
    return v["value"]
for t in m["tables"]:
    for c in t["chunks"]:
        for k in ("lower", "upper"):
            c[k] = ", ".join(lit(v) for v in c[k]["values"]) if c[k] else None
        c["where"] = "ignored"
'
attack v1-sql "$v1"'
t = table("sparse")
t["chunks"][1]["lower"] = t["chunks"][1]["lower"] + " OR 1=1"'
refused v1-sql "chunk file fx.sparse.0.* of fx.sparse: its lower bound .* OR 1=1\" is not what csdump 1 writes"

attack same-index 't = table("vpk"); t["chunks"][1]["index"] = 0'
refused same-index "table fx.vpk: its chunk indices are not 0 to"

# the good dump still loads, and so does its version-1 form (its bounds read
# from the SQL text csdump 1 wrote), every chunk verified over them
load_into tgt "$WORK/good" --threads 2 2>/dev/null || fail "the good dump does not load"
attack v1 "$v1"'
m["dump_id"] = "0123456789abcdef0123456789abcdef"'
load_into tgt "$WORK/v1" --threads 2 --if-exists replace >"$WORK/v1.log" 2>&1 ||
    { cat "$WORK/v1.log" >&2; fail "the version-1 dump does not load"; }
grep -q "verified: every chunk matches the dump" "$WORK/v1.log" ||
    { cat "$WORK/v1.log" >&2; fail "the version-1 dump was not verified"; }
echo ok
