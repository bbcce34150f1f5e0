#!/usr/bin/env bash
# S3, what must be shown 4: several csload processes share one load.
# Three csload processes started together on one dump in a bucket, into one
# target: all three exit 0, every chunk is journaled exactly once, the data
# equals the source, the work was shared (each chunk object was read once
# in all, through the fault proxy's log) and the final phases ran once.
# Then three on a dump directory, one of them killed (SIGKILL at a fault
# point, a chunk's rows in but not committed): the other two finish its
# chunks and exit 0, nothing is loaded twice, the data is equal.
. "$(dirname "$0")/lib.sh"
require_faults

start_s3 bkt
start_server src
sql_file src "$SRC/tests/data/fixture-bank.sql"
sql_file src "$SRC/tests/data/fixture-types.sql"
make_big src 200000
SCHEMAS=(bank fx "odd db.名前")
dump_of src s3://bkt/s1 --threads 2 --chunk-rows 8000 "${S3[@]}" -q || fail "csdump"
mkdir "$WORK/m1"
"$CS_S3TOOL" get s3://bkt/s1/manifest.json > "$WORK/m1/manifest.json"
nchunks=$(manifest_get "$WORK/m1" "sum(len(t['chunks']) for t in m['tables'])")
[ "$nchunks" -ge 30 ] || fail "only $nchunks chunks: too few to share"

three() { # TARGET INPUT TAG [env for the second]
    local t=$1 in=$2 tag=$3 i
    PIDS=()
    for i in 1 2 3; do
        if [ "$i" = 2 ] && [ -n "${KILL_ONE:-}" ]; then
            CS_FAULT_POINTS=$KILL_ONE "$CSLOAD" --no-defaults -S "$(sock "$t")" -u root \
                --threads 2 "${S3[@]}" "$in" 2> "$WORK/$tag-$i.log" &
        else
            "$CSLOAD" --no-defaults -S "$(sock "$t")" -u root --threads 2 "${S3[@]}" "$in" \
                2> "$WORK/$tag-$i.log" &
        fi
        PIDS+=($!)
        bg_track "$!"
    done
    RCS=()
    for i in 0 1 2; do
        rc=0; wait "${PIDS[$i]}" || rc=$?
        RCS+=("$rc")
    done
}

note "three loaders, one dump in a bucket"
start_server t1
three t1 s3://bkt/s1 s3
for i in 0 1 2; do
    [ "${RCS[$i]}" = 0 ] || { cat "$WORK/s3-$((i + 1)).log" >&2; fail "loader $((i + 1)) exited ${RCS[$i]}"; }
    grep -q "verified: every chunk matches the dump" "$WORK/s3-$((i + 1)).log" ||
        fail "loader $((i + 1)) did not verify"
done
journal_ok t1 "$WORK/m1"
same_data src t1 "${SCHEMAS[@]}"
shared=$(cat "$WORK"/s3-*.log | grep -c "other csload process(es) are loading this dump" || true)
[ "$shared" -ge 1 ] || fail "no loader saw the others"
# each chunk object was fetched once in all (no chunk was loaded twice),
# but for a chunk rolled back and redone on a transient error, which the
# loaders log ("retrying the chunk")
retries=$(cat "$WORK"/s3-*.log | grep -c "retrying the chunk" || true)
python3 - "$WORK/s3/proxy/proxy.log" "$retries" <<'PY' || fail "a chunk object was read more than once"
import collections, sys
n = collections.Counter(l.split()[2] for l in open(sys.argv[1])
                        if l.split()[1] == "GET" and ".tsv" in l.split()[2])
extra = sum(v - 1 for v in n.values())
assert n and extra <= int(sys.argv[2]), (dict((k, v) for k, v in n.items() if v != 1), sys.argv[2])
PY
done_rows=$(sql t1 "SELECT COUNT(*) FROM __csload.journal WHERE item = 'load:done'")
assert_eq "$done_rows" 1 "load:done rows"
verifiers=$(cat "$WORK"/s3-*.log | grep -c "another csload finished this load" || true)
assert_eq "$verifiers" 2 "loaders that only verified"

note "three loaders on a directory, one killed mid-chunk"
dump_of src "$WORK/d2" --threads 2 --chunk-rows 8000 -q
start_server t2
KILL_ONE="load.commit:kill@2" three t2 "$WORK/d2" dir
assert_eq "${RCS[1]}" 137 "the killed loader's exit"
for i in 0 2; do
    [ "${RCS[$i]}" = 0 ] || { cat "$WORK/dir-$((i + 1)).log" >&2; fail "loader $((i + 1)) exited ${RCS[$i]}"; }
done
journal_ok t2 "$WORK/d2"
same_data src t2 "${SCHEMAS[@]}"
echo ok
