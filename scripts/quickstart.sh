#!/usr/bin/env bash
# quickstart.sh - the main job end to end on a throwaway local server:
# build, start a MariaDB with sample data (every column type, odd names,
# views/routines/triggers/events, a bank with a writer running), csdump it
# while the writer runs, and verify the dump: every chunk file decodes to the
# row count and data checksum its manifest records, and the money in the
# dump adds up (the snapshot is consistent although writes never stopped).
#
# Usage: scripts/quickstart.sh [WORKDIR]   (default: a new temp directory)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SRC=$(pwd)
BUILD_DIR=${BUILD_DIR:-build}

if ! bash scripts/install-deps.sh --check >/dev/null 2>&1; then
    bash scripts/install-deps.sh
fi
cmake -S . -B "$BUILD_DIR" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" >/dev/null

export CS_SOURCE_DIR=$SRC CS_BUILD_DIR=$SRC/$BUILD_DIR
. tests/integration/lib.sh
[ -n "${1:-}" ] && { mkdir -p "$1"; WORK=$(cd "$1" && pwd); CS_KEEP=1; }

echo "== starting a throwaway MariaDB in $WORK/src"
start_server src --server-id 1
sql_file src tests/data/fixture-types.sql
sql_file src tests/data/fixture-bank.sql
echo "== csdump while a writer moves money between accounts"
start_writer src
"$CSDUMP" --no-defaults -S "$(sock src)" -u root -o "$WORK/dump" --threads 2
stop_writer src
echo "== verifying the dump"
total=$(( $(tsv_sum "$WORK/dump" acct_a 2) + $(tsv_sum "$WORK/dump" acct_b 2) ))
[ "$total" = 2000000 ] || fail "the dump holds $total, not 2000000: inconsistent snapshot"
echo "money in the dump: $total (consistent: the writer never changes the total)"
"$CHUNKCHECK" "$WORK/dump"
if [ -n "${CS_KEEP:-}" ]; then
    echo "== done: the dump is in $WORK/dump, the server data in $WORK/src"
else
    echo "== done (pass a directory to keep the dump: scripts/quickstart.sh DIR)"
fi
