#!/usr/bin/env bash
# S3, what must be shown 6: memory stays bounded, whatever the dump's size.
# The README states the bounds: csdump to s3:// holds at most threads x
# (2 parts in flight + 1 filling) x --s3-part-size of part buffers, plus
# 64 MiB for everything else; csload from s3:// one 8 MiB read window per
# thread plus 64 MiB.  With one thread and 5 MiB parts (bounds 79 MiB and
# 72 MiB) a ~260 MB table -- several times either bound -- is dumped into
# s3rver and loaded back (uncompressed, so every byte goes through the part
# buffers); the peak RSS of each process (GNU time) stays under its bound,
# and the target equals the source.
. "$(dirname "$0")/lib.sh"

start_s3 bkt
start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
make_big src 2500000
MIB=$((1024 * 1024))
raw=$(sql src "SELECT SUM(LENGTH(pad) + LENGTH(id) + 2) FROM bank.big")
dump_bound=$((1 * 3 * 5 + 64))
load_bound=$((1 * 8 + 64))
[ "$raw" -ge $((3 * dump_bound * MIB)) ] || fail "the table ($raw bytes) is not several times the bound"

/usr/bin/time -f "%M" -o "$WORK/dump.rss" "$CSDUMP" --no-defaults -S "$(sock src)" -u root \
    -o s3://bkt/big --threads 1 --compress none "${S3[@]}" --s3-part-size 5M -q ||
    fail "csdump"
grep -q 'partNumber=3&' "$WORK/s3/proxy/proxy.log" || fail "the chunks were not multipart uploads"
start_server t1
/usr/bin/time -f "%M" -o "$WORK/load.rss" "$CSLOAD" --no-defaults -S "$(sock t1)" -u root \
    --threads 1 "${S3[@]}" -q s3://bkt/big || fail "csload"
same_data src t1 bank
d=$(($(tail -1 "$WORK/dump.rss") / 1024))
l=$(($(tail -1 "$WORK/load.rss") / 1024))
note "peak RSS: csdump $d MiB (bound $dump_bound), csload $l MiB (bound $load_bound), data $((raw / MIB)) MiB"
[ "$d" -lt "$dump_bound" ] || fail "csdump peaked at $d MiB, over its bound of $dump_bound MiB"
[ "$l" -lt "$load_bound" ] || fail "csload peaked at $l MiB, over its bound of $load_bound MiB"
echo ok
