#!/usr/bin/env bash
# Archive issue, test 4: hostile archives are refused, each with its own
# message, before anything is written: absolute paths, '..', symbolic and
# hard links, devices, duplicate names, an entry larger than the manifest
# says, data the manifest does not account for.  The target stays untouched.
. "$(dirname "$0")/lib.sh"

start_server src
sql_file src "$SRC/tests/data/fixture-types.sql"
"$CSDUMP" --no-defaults -S "$(sock src)" -u root --archive "$WORK/good.tar" -B fx \
    --chunk-rows 1000 -q
start_server tgt

# craft CASE OUT: a copy of good.tar with one hostile change
craft() {
    python3 - "$WORK/good.tar" "$2" "$1" <<'PY'
import io, sys, tarfile
src, out, case = sys.argv[1:4]
good = tarfile.open(src)
members = [(m, good.extractfile(m).read()) for m in good.getmembers()]
chunk = next(m for m, _ in members if m.name.endswith('.tsv.zst'))
def reg(name, data):
    i = tarfile.TarInfo(name); i.size = len(data); i.mode = 0o600; return i, data
extra = {
    'absolute': [reg('/tmp/evil', b'x')],
    'dotdot':   [reg('../evil', b'x')],
    'symlink':  [(tarfile.TarInfo('link'), None)],
    'hardlink': [(tarfile.TarInfo('hard'), None)],
    'device':   [(tarfile.TarInfo('dev'), None)],
    'extra':    [reg('extra.bin', b'more data')],
}.get(case, [])
if case == 'symlink':
    extra[0][0].type = tarfile.SYMTYPE; extra[0][0].linkname = '/etc/passwd'
if case == 'hardlink':
    extra[0][0].type = tarfile.LNKTYPE; extra[0][0].linkname = chunk.name
if case == 'device':
    extra[0][0].type = tarfile.CHRTYPE; extra[0][0].devmajor = 1; extra[0][0].devminor = 3
with tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as t:
    for i, (m, data) in enumerate(members):
        if case == 'larger' and m.name == chunk.name:
            data = data + b'\0' * 100
            m.size = len(data)
        if i == 2:                      # hostile entries early, before the data
            for e, d in extra:
                t.addfile(e, io.BytesIO(d) if d is not None else None)
        t.addfile(m, io.BytesIO(data))
        if case == 'duplicate' and m.name == chunk.name:
            t.addfile(m, io.BytesIO(data))
PY
}

# refused CASE PATTERN
refused() {
    local out
    craft "$1" "$WORK/$1.tar"
    if out=$("$CSLOAD" --check --archive "$WORK/$1.tar" 2>&1); then
        fail "$1: --check accepted it"
    fi
    echo "$out" | grep -q -- "$2" || fail "$1: --check says: $out"
    if out=$(load_archive_into tgt "$WORK/$1.tar" 2>&1); then
        fail "$1: the load accepted it"
    fi
    echo "$out" | grep -q -- "$2" || fail "$1: the load says: $out"
    assert_eq "$(sql tgt "SELECT COUNT(*) FROM information_schema.SCHEMATA
                          WHERE SCHEMA_NAME IN ('fx', '__csload')")" 0 "$1: the target was touched"
    note "$1: refused: $(echo "$out" | grep -o "refused: [^;]*" | head -1)"
}

"$CSLOAD" --check --archive "$WORK/good.tar" 2>/dev/null || fail "the good archive fails --check"
refused absolute "an absolute path"
refused dotdot "a path with '..'"
refused symlink "a symbolic link"
refused hardlink "a hard link"
refused device "a device, fifo or other special file"
refused duplicate "a second entry of that name"
refused larger "bytes, the manifest says"
refused extra "not in the manifest"
# and the good one loads
load_archive_into tgt "$WORK/good.tar" 2>/dev/null || fail "the good archive does not load"
same_data src tgt fx
echo ok
