#!/usr/bin/env bash
# Archive issue: one archive, streamed.
#  1. csdump --archive - | csload --archive - between two servers, with a
#     writer on the source: the target (replicating from the dump's
#     coordinates) ends equal to the source, and each side's peak memory
#     stays under the stated bound on data several times that size.
#  2. The same archive as a file, loaded later by another invocation; --check
#     passes on it and fails on a truncated copy; a plain tar of a directory
#     dump loads too.
#  3. The loading side killed with SIGKILL mid-stream, then the saved archive
#     file loaded with the same command: resumes, nothing loaded twice.
#  4. Hostile archives (absolute path, .., links, devices, duplicate names,
#     an entry larger than the manifest says, data the manifest does not
#     account for): each refused with its own message, the target untouched.
. "$(dirname "$0")/lib.sh"
require_faults
DUMP_RSS_MAX_KB=$((64 * 1024))
LOAD_RSS_MAX_KB=$((128 * 1024))

start_server src --server-id 1
sql_file src "$SRC/tests/data/fixture-bank.sql"
sql_file src "$SRC/tests/data/fixture-types.sql"
make_big src 3000000      # ~ 380 MB of rows: several times either bound

note "1: csdump --archive - | csload --archive - with a writer running"
start_server t-pipe --server-id 2
start_writer src
set +e
/usr/bin/time -f "%M" -o "$WORK/dump.rss" "$CSDUMP" --no-defaults -S "$(sock src)" -u root \
    --archive - --threads 2 --chunk-rows 100000 -q 2> "$WORK/pipe-dump.log" |
    tee "$WORK/saved.tar" |
    /usr/bin/time -f "%M" -o "$WORK/load.rss" "$CSLOAD" --no-defaults -S "$(sock t-pipe)" -u root \
        --threads 2 --archive - --replicate-from "127.0.0.1:$(port src)" --replication-user root \
        2> "$WORK/pipe-load.log"
rcs=("${PIPESTATUS[@]}")
set -e
[ "${rcs[0]}" = 0 ] || { cat "$WORK/pipe-dump.log" >&2; fail "csdump --archive - failed"; }
[ "${rcs[2]}" = 0 ] || { cat "$WORK/pipe-load.log" >&2; fail "csload --archive - failed"; }
writer_goes_on src
stop_writer src
wait_caught_up t-pipe src || fail "the target does not catch up"
same_data src t-pipe bank fx
dump_rss=$(tail -1 "$WORK/dump.rss")
load_rss=$(tail -1 "$WORK/load.rss")
raw=$(python3 -c "import json,tarfile,sys
t=tarfile.open(sys.argv[1]); m=json.load(t.extractfile('manifest.json'))
print(sum(c['raw_bytes'] for x in m['tables'] for c in x['chunks']))" "$WORK/saved.tar")
note "peak RSS: csdump ${dump_rss} KiB, csload ${load_rss} KiB; data ${raw} bytes"
[ "$raw" -gt $((4 * LOAD_RSS_MAX_KB * 1024 / 2)) ] || fail "the data set is too small to prove the bound"
if grep -Eq "CS_(ASAN|TSAN):BOOL=ON" "$BUILD/CMakeCache.txt" 2>/dev/null; then
    note "a sanitizer build: its shadow memory says nothing about ours; bounds not checked"
else
    [ "$dump_rss" -lt "$DUMP_RSS_MAX_KB" ] || fail "csdump peak RSS ${dump_rss} KiB over the bound"
    [ "$load_rss" -lt "$LOAD_RSS_MAX_KB" ] || fail "csload peak RSS ${load_rss} KiB over the bound"
fi

note "2: the archive as a file, loaded later; --check"
"$CSLOAD" --check --archive "$WORK/saved.tar" 2>/dev/null || fail "--check on the saved archive"
head -c -20000 "$WORK/saved.tar" > "$WORK/cut.tar"
if "$CSLOAD" --check --archive "$WORK/cut.tar" 2> "$WORK/cut.log"; then
    fail "--check passed a truncated archive"
fi
grep -Eq "truncated|was cut|no manifest|incomplete" "$WORK/cut.log" || fail "cut: $(cat "$WORK/cut.log")"
stop_server t-pipe
start_server t-file --server-id 3
load_archive_into t-file "$WORK/saved.tar" --threads 2 2> "$WORK/file.log" ||
    { cat "$WORK/file.log" >&2; fail "loading the saved archive failed"; }
grep -q "its chunks are read where they lie in it, nothing spooled" "$WORK/file.log" ||
    fail "the saved archive's chunks were not read in place: $(cat "$WORK/file.log")"
# a plain tar of a directory dump loads as well
dump_of src "$WORK/dir" --threads 2 -B fx -q
tar -C "$WORK" -cf "$WORK/dir.tar" dir
start_server t-tar
load_archive_into t-tar "$WORK/dir.tar" 2> "$WORK/tar.log" || { cat "$WORK/tar.log" >&2; fail "plain tar"; }
grep -q "nothing spooled" "$WORK/tar.log" || fail "a plain tar was not read in place"
same_data src t-tar fx
stop_server t-tar
# a compressed tar cannot be read in place: streamed in a second pass
gzip -c "$WORK/dir.tar" > "$WORK/dir.tar.gz"
start_server t-gz
load_archive_into t-gz "$WORK/dir.tar.gz" 2> "$WORK/gz.log" || { cat "$WORK/gz.log" >&2; fail "tar.gz"; }
grep -q "compressed, so a second pass streams its chunks" "$WORK/gz.log" || fail "tar.gz: $(cat "$WORK/gz.log")"
same_data src t-gz fx
stop_server t-gz
# a chunk altered in place (same size) fails its hash when read in place
python3 - "$WORK/dir.tar" "$WORK/flipped.tar" <<'PY'
import shutil, sys, tarfile
shutil.copy(sys.argv[1], sys.argv[2])
m = next(m for m in tarfile.open(sys.argv[1]) if m.name.endswith('.zst') and m.size > 64)
with open(sys.argv[2], 'r+b') as f:
    f.seek(m.offset_data + m.size // 2)
    b = f.read(1)
    f.seek(m.offset_data + m.size // 2)
    f.write(bytes([b[0] ^ 0xff]))
print(m.name)
PY
start_server t-flip
if load_archive_into t-flip "$WORK/flipped.tar" 2> "$WORK/flip.log"; then
    fail "an archive with an altered chunk loaded"
fi
grep -Eq "hash|damaged|corrupt" "$WORK/flip.log" || fail "altered chunk: $(cat "$WORK/flip.log")"
stop_server t-flip

note "3: SIGKILL of the loading side mid-stream, then the saved file"
# a fresh dump saved to a file, streamed through a FIFO into csload, which is killed

"$CSDUMP" --no-defaults -S "$(sock src)" -u root --archive "$WORK/kill.tar" --threads 2 \
    --chunk-rows 100000 -q
start_server t-kill
mkfifo "$WORK/fifo"
cat "$WORK/kill.tar" > "$WORK/fifo" &
bg_track $!
# killed once two chunks are committed, the rest not
CS_FAULT_POINTS="load.committed:pause@2" "$CSLOAD" --no-defaults -S "$(sock t-kill)" -u root \
    --archive "$WORK/fifo" --threads 2 2> "$WORK/kill.log" &
load_pid=$!
bg_track "$load_pid"
fault_wait load.committed >/dev/null || { cat "$WORK/kill.log" >&2; fail "no chunk was committed"; }
kill -KILL "$load_pid"
wait "$load_pid" 2>/dev/null || true
load_archive_into t-kill "$WORK/kill.tar" --threads 2 2> "$WORK/kill2.log" ||
    { cat "$WORK/kill2.log" >&2; fail "the resumed load failed"; }
grep -q "resuming" "$WORK/kill2.log" || fail "the second load did not resume"
same_data src t-kill bank fx
dups=$(sql t-kill "SELECT COUNT(*) FROM (SELECT item FROM __csload.journal GROUP BY dump_id, item HAVING COUNT(*) > 1) d")
assert_eq "$dups" 0 "journal rows twice"
chunks=$(python3 -c "import json,tarfile,sys
t=tarfile.open(sys.argv[1]); m=json.load(t.extractfile('manifest.json'))
print(sum(len(x['chunks']) for x in m['tables']))" "$WORK/kill.tar")
assert_eq "$(sql t-kill "SELECT COUNT(*) FROM __csload.journal WHERE item LIKE 'chunk:%'")" "$chunks" \
    "chunks in the journal"
stop_server t-kill
echo ok
