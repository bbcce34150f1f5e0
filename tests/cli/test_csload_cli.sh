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
expect 2 "--defer-indexes=some: expected all, fulltext, none or auto" -- --defer-indexes some "$WORK/empty"
expect 2 "--replicate-from needs --replication-user" -- --replicate-from 127.0.0.1:3306 "$WORK/empty"
expect 2 "--replicate-all goes with --replicate-from" -- --replicate-all "$WORK/empty"
expect 2 "--check \\(offline\\) or --dry-run" -- --check --dry-run "$WORK/empty"
expect 0 "--dry-run +check DIR as a load would" -- --help
expect 0 "--replicate-all +with --replicate-from" -- --help
expect 2 "--replication-ssl-mode=maybe: expected disabled, required, verify-ca or verify-identity" -- \
    --replication-ssl-mode maybe "$WORK/empty"
expect 2 "--replication-ssl-mode=verify-ca needs --replication-ssl-ca" -- \
    --replication-ssl-mode verify-ca "$WORK/empty"
expect 2 "--replication-ssl-mode=verify-identity needs --replication-ssl-ca" -- \
    --replication-ssl-mode verify-identity --replication-ssl-cert c.pem --replication-ssl-key k.pem "$WORK/empty"
expect 2 "--replication-ssl-mode=disabled with --replication-ssl-ca" -- \
    --replication-ssl-mode disabled --replication-ssl-ca ca.pem "$WORK/empty"
expect 2 "--replication-ssl-cert needs --replication-ssl-key" -- --replication-ssl-cert c.pem "$WORK/empty"
expect 2 "--replication-ssl-key needs --replication-ssl-cert" -- --replication-ssl-key k.pem "$WORK/empty"
expect 2 "--threads=0" -- -t 0 "$WORK/empty"
expect 2 "unknown option .*--bogus" -- --bogus "$WORK/empty"
expect 2 "the command line: unknown option or missing value '--bogus'" -- -t 2 --bogus "$WORK/empty"
expect 2 "--compat=skip-everything: unknown word .skip-everything." -- --compat skip-everything "$WORK/empty"
expect 0 "--compat=WORD" -- --help
# S3 options and URLs
expect 0 "--wait-for-dump=SECONDS" -- --help
expect 0 "--s3-endpoint=URL" -- --help
expect 2 "--wait-for-dump loads a dump DIR or s3://BUCKET/PREFIX being written, not an archive" -- \
    --wait-for-dump 5 --archive "$WORK/x.tar"
expect 2 "--wait-for-dump=0" -- --wait-for-dump 0 "$WORK/empty"
expect 2 "--s3-part-size=1M" -- --s3-part-size 1M "$WORK/empty"
expect 2 "--s3-endpoint=ftp://x: expected an http:// or https:// URL" -- --s3-endpoint ftp://x "$WORK/empty"
expect 2 "s3://Bad_Bucket/p: 'Bad_Bucket' is not a bucket name" -- --check s3://Bad_Bucket/p
# no credentials anywhere: said at once, before any request
set +e
out=$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_PROFILE HOME="$WORK" \
    "$CSLOAD" --no-defaults --check s3://bkt/p 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] && echo "$out" | grep -q "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" ||
    fail "no credentials: exit $rc: $out"
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
# an unreachable target: a dump that is fine (--check passes, no server), then
# exit 1 naming the target it could not reach
mkdir -p "$WORK/dump"
cat >"$WORK/dump/manifest.json" <<'EOF'
{"format_version": 1, "tool_version": "0.1.0",
 "source": {"host": "db1.example.com", "port": 3306, "flavor": "mariadb",
            "version": "10.11.6-MariaDB-log", "server_id": 7, "server_uuid": null,
            "sql_mode": "STRICT_TRANS_TABLES", "time_zone": "+00:00"},
 "started_at": "2024-05-01T12:00:00Z", "finished_at": "2024-05-01T12:03:41Z",
 "options": {"format": "tsv", "compress": "none", "compress_level": 3, "threads": 4,
             "chunk_rows": 100000, "chunk_bytes": 67108864},
 "snapshot": {"lock_mode": "ftwrl", "consistent": true, "note": "", "barrier_wait_ms": 1.5,
              "barrier_hold_ms": 12.25, "proof": []},
 "coordinates": {"present": false},
 "objects": [], "tables": []}
EOF
expect 0 "the dump is intact" -- --check "$WORK/dump"
expect 1 "@ 127.0.0.1:1: cannot connect" -- -h 127.0.0.1 -P 1 -u nobody "$WORK/dump"
# a manifest that is not one is refused before connecting, naming the file
printf '{}' > "$WORK/empty/manifest.json"
expect 1 "manifest.json" -- -h 127.0.0.1 -P 1 "$WORK/empty"
# --print-defaults: the options the files give, one per line, passwords
# masked, exit 0 without reading the dump
printf '[client]\nuser=loader\n[csload]\nretries=5\nreplication-password=R3plPass\n' >"$WORK/print.cnf"
out=$("$CSLOAD" --defaults-file="$WORK/print.cnf" --print-defaults "$WORK/nowhere" 2>&1) ||
    fail "--print-defaults: exit $?: $out"
want=$(printf '%s\n' "csload would have been started with the following arguments:" \
    --user=loader --retries=5 --replication-password=*****)
[ "$out" = "$want" ] || fail "--print-defaults printed: $out"
# keys: a missing or wrong key file is a usage error; --wait-for-dump cannot
# follow an encrypted dump
expect 2 "cannot read the key file $WORK/nokey" -- --verify-key "$WORK/nokey" "$WORK/empty"
echo "short" > "$WORK/bad.key"
expect 2 "bad.key" -- --encrypt-key "$WORK/bad.key" "$WORK/empty"
expect 2 "--wait-for-dump loads chunks before the signed manifest" -- --wait-for-dump 10 \
    --verify-key "$WORK/nokey" "$WORK/empty"
expect 2 "--wait-for-dump cannot follow an encrypted dump" -- --wait-for-dump 10 \
    --encrypt-key "$WORK/bad.key" "$WORK/empty"
# --archive - never writes to (reads from) a terminal: run under a pty
set +e
out=$(script -qec "$CSLOAD --no-defaults --archive - -S $WORK/none.sock" /dev/null 2>&1)
rc=$?
set -e
[ "$rc" = 2 ] || fail "--archive - on a terminal: exit $rc: $out"
echo "$out" | grep -q "standard input, which is a terminal" || fail "--archive - on a terminal: $out"
# load-side selection, renames, --no-data / --data-only (issue 12)
expect 2 "--tables=orders: name the schema too" -- --tables orders "$WORK/empty"
expect 2 "--databases=a,,b: an empty name in the list" -- --databases a,,b "$WORK/empty"
expect 2 "--rename-schema=shop: expected OLD:NEW" -- --rename-schema shop "$WORK/empty"
expect 2 "--rename-schema=shop:: expected OLD:NEW" -- --rename-schema shop: "$WORK/empty"
expect 2 "--rename-schema=shop:shop: the new name is the old one" -- --rename-schema shop:shop "$WORK/empty"
expect 2 "--rename-schema=shop:c: shop is renamed already \\(--rename-schema=shop:b\\)" -- \
    --rename-schema shop:b --rename-schema shop:c "$WORK/empty"
expect 2 "two schemas cannot both load as n" -- --rename-schema a:n,b:n "$WORK/empty"
expect 2 "--rename-schema=a:b: b is renamed itself" -- --rename-schema a:b,b:c "$WORK/empty"
expect 2 "--no-data and --data-only exclude each other" -- --no-data --data-only "$WORK/empty"
expect 2 "--fast-target is for an empty target and --data-only loads into tables" -- --fast-target --data-only "$WORK/empty"
expect 0 "--fast-target" -- --help
expect 2 "--replicate-from with --no-data" -- --no-data --replicate-from h:1 --replication-user r "$WORK/empty"
expect 2 "--replicate-from with --rename-schema is refused.*replicate_rewrite_db = 'shop->s2,crm->c2'.*REPLICATE_REWRITE_DB = \\(\\(shop, s2\\), \\(crm, c2\\)\\)" -- \
    --rename-schema shop:s2,crm:c2 --replicate-from h:1 --replication-user r "$WORK/empty"
expect 2 "--wait-for-dump loads a dump while it is written, whole" -- \
    --wait-for-dump 10 --tables shop.t "$WORK/empty"
expect 0 "--rename-schema=OLD:NEW" -- --help
expect 0 "--data-only" -- --help
echo ok
