#!/usr/bin/env bash
# test.sh - build and run every test (unit, cli, integration), as CI does.
#
# Builds with -DCS_FAULTS=ON: the integration tests act at fault points
# (common/fault.h) instead of sleeping.  Installs missing dependencies first (scripts/install-deps.sh; a no-op when
# everything is there) and the server roots of the other flavors
# (scripts/server-root.sh; made once, then cached), configures with -DCS_WERROR=ON, builds, runs ctest.
# Exits with ctest's status.
#
# Environment:
#   BUILD_DIR   build directory (default: build)
#   CMAKE_ARGS  extra arguments for the cmake configure step (word-split)
#   CTEST_ARGS  extra arguments for ctest (word-split), e.g. "-j2 -R optfile"
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUILD_DIR=${BUILD_DIR:-build}
read -r -a cmake_args <<<"${CMAKE_ARGS:-}"
read -r -a ctest_args <<<"${CTEST_ARGS:-}"

if ! bash scripts/install-deps.sh --check >/dev/null 2>&1; then
    bash scripts/install-deps.sh
fi
# the MySQL 9.7 and MariaDB 11.8 roots (cached outside the repository)
bash scripts/server-root.sh ensure

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$BUILD_DIR" -DCS_WERROR=ON -DCS_FAULTS=ON "${cmake_args[@]}"
cmake --build "$BUILD_DIR" -j"$jobs"

rc=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -L 'unit|cli|integration' \
    "${ctest_args[@]}" || rc=$?
exit "$rc"
