#!/usr/bin/env bash
# csdump's command line: exit codes (0 ok, 1 failed, 2 bad usage) and
# messages that name the problem.  No server needed.
set -euo pipefail
BUILD=${CS_BUILD_DIR:-$(cd "$(dirname "$0")/../../build" && pwd)}
CSDUMP=$BUILD/csdump
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect RC PATTERN -- ARGS...: exit code RC and stderr/stdout matching PATTERN
expect() {
    local want=$1 pattern=$2 out rc nodef=--no-defaults
    shift 3
    case "${1:-}" in --defaults-file=*) nodef= ;; esac
    set +e
    out=$("$CSDUMP" $nodef "$@" 2>&1)
    rc=$?
    set -e
    [ "$rc" = "$want" ] || fail "csdump $*: exit $rc, expected $want: $out"
    echo "$out" | grep -Eq -- "$pattern" || fail "csdump $*: output does not match '$pattern': $out"
}

expect 0 "Usage: csdump" -- --help
expect 0 "^csdump [0-9]+\.[0-9]+" -- --version
expect 0 "--dry-run +connect, resolve the selection" -- --help
expect 2 "--outdir DIR or --archive FILE is required" --
expect 2 "unknown option .*--bogus" -- --bogus -o "$WORK/x"
# a bad option after good ones is still named (not "unexpected argument")
expect 2 "the command line: unknown option or missing value '--bogus'" -- -t 2 --bogus -o "$WORK/x"
printf '[csdump]\nthreads=2\nthred=2\n' >"$WORK/typo.cnf"
expect 2 "$WORK/typo.cnf:3 \\[csdump\\]: unknown option or missing value '--thred=2'" -- \
    --defaults-file="$WORK/typo.cnf" -o "$WORK/x"
expect 2 "s3://x: 'x' is not a bucket name" -- -o s3://x
expect 2 "--s3-part-size=4M" -- -o s3://bkt/p --s3-part-size 4M
expect 0 "s3://BUCKET/PREFIX: objects PREFIX/NAME" -- --help
expect 0 "--s3-retry-time=SEC" -- --help
expect 2 "--threads=0: expected a whole number from 1 to 256" -- --threads 0 -o "$WORK/x"
expect 2 "--threads=abc" -- -t abc -o "$WORK/x"
expect 2 "--format=csv: expected tsv or sql" -- --format csv -o "$WORK/x"
expect 2 "--compress=gzip: expected zstd or none" -- --compress gzip -o "$WORK/x"
expect 2 "--lock-mode=global: expected auto, ftwrl" -- --lock-mode global -o "$WORK/x"
expect 2 "--ssl-mode=SOMETIMES" -- --ssl-mode SOMETIMES -o "$WORK/x"
expect 2 "--port=99999" -- -P 99999 -o "$WORK/x"
expect 2 "unexpected argument 'extra'" -- -o "$WORK/x" extra
expect 2 "--compress-level=40" -- --compress-level 40 -o "$WORK/x"
# sizes take suffixes; lists are trimmed (both reach the connection, exit 1)
expect 2 "--chunk-bytes=10X: expected a size" -- --chunk-bytes 10X -o "$WORK/x"
expect 2 "--chunk-bytes=0: expected a size from 1" -- --chunk-bytes 0 -o "$WORK/x"
expect 1 "nosuch.sock" -- --chunk-bytes 10M -S "$WORK/nosuch.sock" -o "$WORK/x"
expect 1 "nosuch.sock" -- --chunk-bytes 1GiB -S "$WORK/nosuch.sock" -o "$WORK/x"
expect 1 "nosuch.sock" -- -B "shop, crm" -S "$WORK/nosuch.sock" -o "$WORK/x"
expect 2 "--databases=shop,,crm: an empty name" -- -B "shop,,crm" -o "$WORK/x"
# --tables needs the schema; accounts options that contradict each other
expect 2 "--tables=sbtest1: name the schema too, as db.table" -- --tables sbtest1 -o "$WORK/x"
expect 2 "--tables=shop.: name the schema too" -- --tables "shop.,crm.t" -o "$WORK/x"
expect 2 "--include-users and --no-users exclude each other" -- --include-users 'app@%' --no-users -o "$WORK/x"
expect 2 "--exclude-users=a,,b: an empty name" -- --exclude-users 'a,,b' -o "$WORK/x"
expect 2 "--progress=yaml: expected auto, none, json, json=FD or json=FILE" -- --progress yaml -o "$WORK/x"
expect 2 "--progress=json=1 and --archive - both write to standard output" -- --progress json=1 --archive -
expect 2 "--progress=json=9: file descriptor 9 is not open" -- --progress json=9 -o "$WORK/x"
expect 2 "--log-file: cannot write $WORK/no/dir/log" -- --log-file "$WORK/no/dir/log" -o "$WORK/x"
expect 0 "--allow-missing" -- --help
expect 0 "--include-users" -- --help
# --defaults-file must exist and come first
out=$("$CSDUMP" --defaults-file="$WORK/none.cnf" -o "$WORK/x" 2>&1) && fail "missing defaults file accepted"
echo "$out" | grep -q "none.cnf" || fail "missing defaults file not named: $out"

# an unreachable server: exit 1, names the server, no manifest
expect 1 "127.0.0.1:1: cannot connect" -- -h 127.0.0.1 -P 1 -u nobody -o "$WORK/unreach"
[ ! -e "$WORK/unreach/manifest.json" ] || fail "manifest written without a server"
# a non-empty output directory is refused before connecting
mkdir -p "$WORK/full" && touch "$WORK/full/something"
expect 2 "is not empty" -- -h 127.0.0.1 -P 1 -o "$WORK/full"
# options from a [csdump] group, overridden by the command line
printf '[csdump]\nthreads=0\n' > "$WORK/bad.cnf"
out=$("$CSDUMP" --defaults-file="$WORK/bad.cnf" -o "$WORK/y" 2>&1) && fail "threads=0 from a file accepted"
echo "$out" | grep -q -- "bad.cnf:2 \[csdump\].*--threads=0" || fail "option file value not reported: $out"
# [client] options of other programs are ignored, ours are used
printf '[client]\nhost=127.0.0.1\nport=1\ndefault-character-set=utf8mb4\n' > "$WORK/client.cnf"
expect 1 "127.0.0.1:1: cannot connect" -- --defaults-file="$WORK/client.cnf" -o "$WORK/c"
# --print-defaults: the options the files give, one per line (other programs'
# [client] options dropped, passwords masked), exit 0, nothing run
printf '[client]\nhost=db.example\npassword=S3cretPass\ndefault-character-set=utf8mb4\n[csdump]\nthreads=3\n' \
    >"$WORK/print.cnf"
out=$("$CSDUMP" --defaults-file="$WORK/print.cnf" --print-defaults -o "$WORK/never" 2>&1) ||
    fail "--print-defaults: exit $?: $out"
want=$(printf '%s\n' "csdump would have been started with the following arguments:" \
    --host=db.example --password=***** --threads=3)
[ "$out" = "$want" ] || fail "--print-defaults printed: $out"
[ ! -e "$WORK/never" ] || fail "--print-defaults ran the dump"
out=$("$CSDUMP" --no-defaults --print-defaults 2>&1) || fail "--no-defaults --print-defaults: $out"
[ "$out" = "csdump would have been started with the following arguments:" ] ||
    fail "--no-defaults --print-defaults printed: $out"
# a password on the command line never appears in the output
out=$("$CSDUMP" --no-defaults -h 127.0.0.1 -P 1 -u u -pS3cretPass -o "$WORK/p" 2>&1) || true
echo "$out" | grep -q S3cretPass && fail "the password was printed"
# keys: --gen-key alone makes a pair and refuses to overwrite it; bad key files
# are usage errors naming the file and how to make a good one
expect 0 "made .*sign.pem .*sign.pub.pem" -- --gen-key "$WORK/keys"
[ "$(stat -c %a "$WORK/keys/sign.pem")" = 600 ] || fail "--gen-key: the private key is not 0600"
expect 1 "sign.pem" -- --gen-key "$WORK/keys"
expect 2 "--gen-key makes a key pair and dumps nothing" -- --gen-key "$WORK/k2" -o "$WORK/d"
expect 2 "cannot read the key file $WORK/nokey" -- --sign-key "$WORK/nokey" -o "$WORK/d" -S "$WORK/none.sock"
expect 2 "is not an Ed25519 private key in PEM .*openssl genpkey" -- \
    --sign-key "$WORK/keys/sign.pub.pem" -o "$WORK/d" -S "$WORK/none.sock"
echo "short" > "$WORK/bad.key"
expect 2 "bad.key" -- --encrypt-key "$WORK/bad.key" -o "$WORK/d" -S "$WORK/none.sock"
# --archive - never writes to (reads from) a terminal: run under a pty
set +e
out=$(script -qec "$CSDUMP --no-defaults --archive - -S $WORK/none.sock" /dev/null 2>&1)
rc=$?
set -e
[ "$rc" = 2 ] || fail "--archive - on a terminal: exit $rc: $out"
echo "$out" | grep -q "standard output, which is a terminal" || fail "--archive - on a terminal: $out"
# --where (issue 12): usage errors found without a server
expect 2 "--where=id > 1\\) OR \\(1: a '\\)' closes more than the condition opened" -- --where 'id > 1) OR (1' -o "$WORK/w"
expect 2 "--where=a = 'x: a ' quote is not closed" -- --where "a = 'x" -o "$WORK/w"
expect 2 "--where=1 /\\* x: a /\\* comment is not closed" -- --where '1 /* x' -o "$WORK/w"
expect 2 "--where=1; DROP TABLE t: ';' would end the statement" -- --where '1; DROP TABLE t' -o "$WORK/w"
expect 2 "--where=db.t:: the condition is empty" -- --where 'db.t:' -o "$WORK/w"
expect 2 "a condition for every table was given already" -- --where 'a > 1' --where 'a < 5' -o "$WORK/w"
expect 2 "db.t has a condition already" -- --where 'db.t:a > 1' --where 'db.t:a < 5' -o "$WORK/w"
expect 2 "--where filters rows and --no-data dumps none" -- --no-data --where 'a > 1' -o "$WORK/w"
expect 0 "--where=COND" -- --help
[ ! -e "$WORK/w" ] || fail "a --where usage error created the output directory"
echo ok
