#!/usr/bin/env bash
# issue 11, finding 29: the manifest's chunk records cost a small, stated
# amount of memory each -- neither tool holds a JSON tree of all chunks.
# One table of 100,000 rows is dumped into a directory twice, into about
# 4,000 and about 33,000 chunks (--chunk-rows 50 and 5), and each dump is
# checked (csload --check) and loaded into its own target, which verifies
# every chunk and must equal the source; the same into an archive, checked
# with csload --check --archive.  The peak RSS (GNU time) of each grows
# between the two sizes by less than PER_CHUNK bytes for each chunk more:
# the README's figures are 0.6-0.7 KB a chunk (1 KB for an archive's
# check, which also indexes the archive's entries), where holding the JSON
# trees cost 5-6 KB.
. "$(dirname "$0")/lib.sh"

PER_CHUNK=1536

start_server src
sql src "CREATE DATABASE bank"
make_big src 100000
sql src "ANALYZE TABLE bank.big" > /dev/null

# run_rss NAME FILE CMD...: CMD under GNU time, its peak RSS (KiB) in FILE
run_rss() {
    local name=$1 out=$2
    shift 2
    /usr/bin/time -f "%M" -o "$out" "$@" || fail "$name failed: $*"
}

declare -A chunks
for rows in 50 5; do
    d=$WORK/d$rows
    run_rss csdump "$WORK/dump$rows.rss" "$CSDUMP" --no-defaults -S "$(sock src)" -u root \
        -B bank --chunk-rows "$rows" -o "$d" -q
    chunks[$rows]=$(manifest_get "$d" "len(m['tables'][0]['chunks'])")
    run_rss "csload --check" "$WORK/check$rows.rss" "$CSLOAD" --check "$d" -q
    run_rss "csdump --archive" "$WORK/arch$rows.rss" "$CSDUMP" --no-defaults -S "$(sock src)" \
        -u root -B bank --chunk-rows "$rows" --archive "$WORK/a$rows.tar" -q
    run_rss "csload --check --archive" "$WORK/archcheck$rows.rss" "$CSLOAD" --check --archive \
        "$WORK/a$rows.tar" -q
    start_server "t$rows"
    run_rss csload "$WORK/load$rows.rss" "$CSLOAD" --no-defaults -S "$(sock "t$rows")" -u root \
        -q "$d"
    same_data src "t$rows" bank
    note "$rows rows a chunk: ${chunks[$rows]} chunks; peak RSS csdump $(tail -1 "$WORK/dump$rows.rss")" \
        "KiB, csload --check $(tail -1 "$WORK/check$rows.rss") KiB, csload" \
        "$(tail -1 "$WORK/load$rows.rss") KiB, csdump --archive $(tail -1 "$WORK/arch$rows.rss")" \
        "KiB, csload --check --archive $(tail -1 "$WORK/archcheck$rows.rss") KiB"
done
more=$((chunks[5] - chunks[50]))
[ "$more" -ge 15000 ] || fail "the two dumps differ by only $more chunks (${chunks[50]}, ${chunks[5]})"

if grep -Eq "CS_(ASAN|TSAN):BOOL=ON" "$BUILD/CMakeCache.txt" 2>/dev/null; then
    note "a sanitizer build: its shadow memory says nothing about ours; bounds not checked"
    exit 0
fi
for tool in dump check load arch archcheck; do
    small=$(tail -1 "$WORK/${tool}50.rss")
    big=$(tail -1 "$WORK/${tool}5.rss")
    each=$(((big - small) * 1024 / more))
    note "$tool: $each bytes of peak RSS a chunk ($small KiB -> $big KiB, $more chunks more)"
    [ "$each" -lt "$PER_CHUNK" ] ||
        fail "$tool: peak RSS grew by $each bytes a chunk ($small KiB at ${chunks[50]} chunks," \
            "$big KiB at ${chunks[5]}), over the bound of $PER_CHUNK"
done
