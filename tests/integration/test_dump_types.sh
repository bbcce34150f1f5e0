#!/usr/bin/env bash
# csdump issue, test 1: the full-type dataset with odd identifiers dumps in
# both formats; every chunk's file decodes (tsv) to its recorded row count and
# checksum, every chunk's count and checksum match an independent
# recomputation over its key range on the server, chunk rows sum to
# COUNT(*); and with nothing writing, the coordinates equal the server's.
# flavors: mariadb-11.8 mysql-9.7
. "$(dirname "$0")/lib.sh"

start_server src
types_fixture src

for fmt in tsv sql; do
    note "format $fmt"
    dump_of src "$WORK/dump-$fmt" --format "$fmt" --chunk-rows 500 --threads 2 -q
    "$CHUNKCHECK" "$WORK/dump-$fmt" -S "$(sock src)" -u root || fail "$fmt: chunk check"
    # no partial files, private modes
    [ -z "$(find "$WORK/dump-$fmt" -name '*.partial')" ] || fail "partial files left"
    [ "$(stat -c %a "$WORK/dump-$fmt")" = 700 ] || fail "dump dir mode"
    [ -z "$(find "$WORK/dump-$fmt" -type f ! -perm 600)" ] || fail "a file is not 0600"
done

# several chunks where the planner had to split: sparse int, varchar, composite
for t in sparse vpk comp nopk uk; do
    n=$(manifest_get "$WORK/dump-tsv" "[len(t['chunks']) for t in m['tables'] if t['name']=='$t'][0]")
    [ "$n" -ge 4 ] || fail "$t: expected several chunks, got $n"
done
# a sparse key makes no empty chunks
empty=$(manifest_get "$WORK/dump-tsv" "sum(1 for t in m['tables'] for c in t['chunks'] if c['rows']==0)")
assert_eq "$empty" 0 "empty chunks"
# generated columns are not dumped, invisible ones are
cols=$(manifest_get "$WORK/dump-tsv" "','.join(c['name'] for t in m['tables'] if t['name']=='types' for c in t['columns'])")
case ",$cols," in *,gen,*|*,gens,*) fail "generated column dumped: $cols" ;; esac
case ",$cols," in *,inv,*) ;; *) fail "invisible column missing: $cols" ;; esac

# coordinates equal the server's when nothing writes
got=$(manifest_get "$WORK/dump-tsv" "m['coordinates']['binlog_file']+':'+str(m['coordinates']['binlog_position'])+' '+m['coordinates']['gtid_set']")
want="$(binlog_status src) $(gtid_pos src)"
assert_eq "$got" "$want" "coordinates"
[ -s "$WORK/dump-tsv/coordinates.json" ] || fail "no coordinates.json"
assert_eq "$(manifest_get "$WORK/dump-tsv" "m['snapshot']['consistent']")" True "consistent"
echo "ok"
