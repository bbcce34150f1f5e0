#!/usr/bin/env bash
# csload's command line: exit codes (0 ok, 1 failed, 2 bad usage) and
# messages that name the problem.  No server needed.
set -euo pipefail
BUILD=${CS_BUILD_DIR:-$(cd "$(dirname "$0")/../../build" && pwd)}
CSLOAD=$BUILD/csload
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

expect() {
    local want=$1 pattern=$2 out rc
    shift 3
    set +e
    out=$("$CSLOAD" --no-defaults "$@" 2>&1)
    rc=$?
    set -e
    [ "$rc" = "$want" ] || fail "csload $*: exit $rc, expected $want: $out"
    echo "$out" | grep -Eq -- "$pattern" || fail "csload $*: output does not match '$pattern': $out"
}

mkdir -p "$WORK/empty"
expect 0 "Usage: csload" -- --help
expect 0 "^csload [0-9]+\.[0-9]+" -- --version
expect 2 "the dump DIR is required" --
expect 2 "expected exactly one dump DIR" -- "$WORK/a" "$WORK/b"
expect 2 "--if-exists=maybe: expected fail, skip or replace" -- --if-exists maybe "$WORK/empty"
expect 2 "--defer-indexes=some: expected all, fulltext or none" -- --defer-indexes some "$WORK/empty"
expect 2 "--replicate-from needs --replication-user" -- --replicate-from 127.0.0.1:3306 "$WORK/empty"
expect 2 "--threads=0" -- -t 0 "$WORK/empty"
expect 2 "unknown option .*--bogus" -- --bogus "$WORK/empty"
expect 2 "the command line: unknown option or missing value '--bogus'" -- -t 2 --bogus "$WORK/empty"
expect 2 "--compat=skip-everything: unknown word .skip-everything." -- --compat skip-everything "$WORK/empty"
expect 0 "--compat=WORD" -- --help
expect 2 "--definers=maybe: expected keep, strip or replace=USER@HOST" -- --definers maybe "$WORK/empty"
expect 2 "--definers=replace=nohost: expected keep, strip or replace=USER@HOST" -- \
    --definers replace=nohost "$WORK/empty"
expect 2 "--definers=replace=@h: expected" -- --definers replace=@h "$WORK/empty"
expect 0 "--load-users" -- --help
expect 0 "--skip-invalid-grants" -- --help
# --check without a server
expect 1 "no manifest.json" -- --check "$WORK/empty"
expect 1 "cannot open the dump directory" -- --check "$WORK/nowhere"
touch "$WORK/file"
expect 1 "not a directory" -- --check "$WORK/file"
# an unreachable target: exit 1 naming it (the dump is read first)
printf '{}' > "$WORK/empty/manifest.json"
expect 1 "manifest.json" -- -h 127.0.0.1 -P 1 "$WORK/empty"
echo ok
