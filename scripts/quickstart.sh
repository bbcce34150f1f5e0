#!/usr/bin/env bash
# quickstart.sh - the main job end to end on throwaway local servers:
# build; start a source MariaDB with sample data (every column type, odd
# names, views/routines/triggers/events, a bank) and a writer moving money
# between accounts; csdump it while it writes; start a fresh target; csload
# the dump into it with --replicate-from the source; stop the writer; wait
# until the target has caught up; and check that every table on the target
# equals the source (row count and a row hash over every column).
#
# Usage: scripts/quickstart.sh [WORKDIR]   (default: a new temp directory,
#        removed at the end; with WORKDIR the dump and servers' data stay)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SRC=$(pwd)
BUILD_DIR=${BUILD_DIR:-build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$SRC/$BUILD_DIR ;; esac

if ! bash scripts/install-deps.sh --check >/dev/null 2>&1; then
    bash scripts/install-deps.sh
fi
cmake -S . -B "$BUILD_DIR" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" >/dev/null

export CS_SOURCE_DIR=$SRC CS_BUILD_DIR=$BUILD_DIR
. tests/integration/lib.sh
if [ -n "${1:-}" ]; then
    mkdir -p "$1"
    rm -rf "$WORK"
    WORK=$(cd "$1" && pwd)
    CS_KEEP=1
fi

echo "== a source MariaDB with sample data, in $WORK/src"
start_server src --server-id 1
sql_file src tests/data/fixture-types.sql
sql_file src tests/data/fixture-bank.sql
start_writer src
echo "== csdump while a writer moves money between accounts"
"$CSDUMP" --no-defaults -S "$(sock src)" -u root -o "$WORK/dump" --threads 2
echo "== a fresh target; csload with --replicate-from the source"
start_server target --server-id 2
"$CSLOAD" --no-defaults -S "$(sock target)" -u root --threads 2 \
    --replicate-from "127.0.0.1:$(port src)" --replication-user root "$WORK/dump"
sleep 1
stop_writer src
echo "== waiting for the target to catch up with the source"
wait_caught_up target src || fail "the target did not catch up"
same_data src target bank fx "odd db.名前"
echo "== done: the target replicates from the source and every table is equal:"
cat "$WORK/hash-target"
if [ -n "${CS_KEEP:-}" ]; then
    echo "the dump is in $WORK/dump; servers stopped, their data kept in $WORK"
fi
