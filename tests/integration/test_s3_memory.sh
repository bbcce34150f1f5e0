#!/usr/bin/env bash
# S3, what must be shown 6: memory stays bounded, whatever the dump's size,
# and nothing is staged on local disk.
# The README states the bounds: csdump to s3:// holds at most threads x
# (2 parts in flight + 1 filling) x --s3-part-size of part buffers, plus
# 64 MiB for everything else; csdump --archive s3:// holds at most
# (2 x threads + 2) chunk files of --chunk-bytes in memory, plus the archive
# object's 3 part buffers, plus 64 MiB; csload from s3:// (a prefix or an
# archive object) one 8 MiB read window per thread plus 64 MiB.  With one
# thread, 5 MiB parts and 2 MiB chunks (bounds 79, 87 and 72 MiB) a ~290 MB
# table -- several times every bound -- is dumped into s3rver both ways and
# loaded back (uncompressed, so every byte goes through the buffers); the
# peak RSS of each process (GNU time) stays under its bound, and each target
# equals the source.  csdump runs with TMPDIR an empty directory watched
# through inotify (tests/tools/dirwatch.py): nothing is created in it, not
# even for a moment.  The prefix load takes sizes and ETags from the listing:
# the proxy's log shows no HEAD request during it.
. "$(dirname "$0")/lib.sh"

start_s3 bkt
start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
make_big src 2800000
MIB=$((1024 * 1024))
raw=$(sql src "SELECT SUM(LENGTH(pad) + LENGTH(id) + 2) FROM bank.big")
dump_bound=$((1 * 3 * 5 + 64))
arch_bound=$(((2 * 1 + 2) * 2 + 3 * 5 + 64))
load_bound=$((1 * 8 + 64))
for b in $dump_bound $arch_bound $load_bound; do
    [ "$raw" -ge $((3 * b * MIB)) ] || fail "the table ($raw bytes) is not several times the bound $b MiB"
done
PLOG=$WORK/s3/proxy/proxy.log

# rss_under NAME FILE BOUND: the peak GNU time wrote to FILE is under BOUND MiB
rss_under() {
    local m=$(($(tail -1 "$2") / 1024))
    note "peak RSS: $1 $m MiB (bound $3), data $((raw / MIB)) MiB"
    [ "$m" -lt "$3" ] || fail "$1 peaked at $m MiB, over its bound of $3 MiB"
}

# dump_watched RSS-FILE csdump-args...: csdump with TMPDIR an empty, watched
# directory; fails when anything was created in it
dump_watched() {
    local rss=$1 tmp=$WORK/dump-tmp pid
    shift
    rm -rf "$tmp" "$WORK/tmp.ready" "$WORK/tmp.created"
    mkdir "$tmp"
    : > "$WORK/tmp.created"
    python3 "$SRC/tests/tools/dirwatch.py" "$tmp" "$WORK/tmp.ready" "$WORK/tmp.created" &
    pid=$!
    bg_track "$pid"
    wait_for test -s "$WORK/tmp.ready" || fail "the TMPDIR watcher did not start"
    TMPDIR=$tmp /usr/bin/time -f "%M" -o "$rss" "$CSDUMP" --no-defaults -S "$(sock src)" -u root \
        --threads 1 --compress none "${S3[@]}" --s3-part-size 5M -q "$@" || fail "csdump $*"
    kill "$pid"
    [ ! -s "$WORK/tmp.created" ] ||
        fail "csdump $* created in its TMPDIR: $(head -3 "$WORK/tmp.created" | tr '\n' ' ')"
    [ -z "$(ls -A "$tmp")" ] || fail "csdump $* left files in its TMPDIR"
}

dump_watched "$WORK/dump.rss" -o s3://bkt/big
grep -q '/bkt/big/.*partNumber=3&' "$PLOG" || fail "the chunks were not multipart uploads"
start_server t1
before=$(wc -l < "$PLOG")
/usr/bin/time -f "%M" -o "$WORK/load.rss" "$CSLOAD" --no-defaults -S "$(sock t1)" -u root \
    --threads 1 "${S3[@]}" -q s3://bkt/big || fail "csload"
tail -n +$((before + 1)) "$PLOG" > "$WORK/load.requests"
heads=$(awk '$2 == "HEAD"' "$WORK/load.requests" | wc -l)
gets=$(awk '$2 == "GET" && $3 ~ /^\/bkt\/big\/bank\.big\./' "$WORK/load.requests" | wc -l)
note "prefix load: $gets ranged GETs of chunks, $heads HEAD requests"
[ "$gets" -gt 0 ] || fail "the prefix load's requests are not in the proxy's log"
[ "$heads" -eq 0 ] || fail "the prefix load made $heads HEAD request(s) (sizes and ETags come from the listing): $(awk '$2 == "HEAD" {print $3, $4}' "$WORK/load.requests" | head -3 | tr '\n' ' ')"
same_data src t1 bank
rss_under csdump "$WORK/dump.rss" "$dump_bound"
rss_under csload "$WORK/load.rss" "$load_bound"

note "--archive s3://"
dump_watched "$WORK/arch.rss" --chunk-bytes 2M --archive s3://bkt/big.tar
grep -q '/bkt/big.tar?partNumber=3&' "$PLOG" || fail "the archive was not a multipart upload"
start_server t2
/usr/bin/time -f "%M" -o "$WORK/aload.rss" "$CSLOAD" --no-defaults -S "$(sock t2)" -u root \
    --threads 1 "${S3[@]}" -q --archive s3://bkt/big.tar || fail "csload --archive s3://"
same_data src t2 bank
rss_under "csdump --archive s3://" "$WORK/arch.rss" "$arch_bound"
rss_under "csload --archive s3://" "$WORK/aload.rss" "$load_bound"
echo ok
