#!/usr/bin/env bash
# install-deps.sh - install what building and testing csdump/csload needs on
# Debian 12 (bookworm).
#
# Idempotent: when every package is already installed (per dpkg-query) it does
# nothing, touches no package list and needs no privileges.  Otherwise it runs
# apt-get update + apt-get install of the missing ones, as root directly or
# through sudo.
#
# It never starts or enables a system MariaDB: a policy-rc.d that denies every
# service action (exit 101) is in place for the duration of the install (ours,
# removed afterwards, unless one already existed), and if this run is what
# installed mariadb-server, its unit is disabled again.  Tests run their own
# throwaway servers through scripts/test-server.sh.
#
# Usage: scripts/install-deps.sh [--check] [--roots]
#   --check   only report: exit 0 when all is installed, 1 when something is
#             missing (prints the missing packages).
#
# The S3 tests' store, s3rver (npm @20minutes/s3rver, pinned to
# S3RVER_VERSION), is installed with npm into CS_S3RVER_DIR (default
# /var/cache/csdump-s3rver, outside the repository); Node.js and npm come
# from Debian when the machine has no node of its own.
#   --roots   also make the server roots the tests use for MySQL 9.7 and
#             MariaDB 11.8 (scripts/server-root.sh ensure; cached, so a no-op
#             once made).
set -euo pipefail

PACKAGES=(
    build-essential
    cmake
    pkg-config
    default-libmysqlclient-dev
    libzstd-dev
    libarchive-dev
    libcmocka-dev
    libjansson-dev
    libxxhash-dev
    libssl-dev
    libcurl4-openssl-dev
    s3cmd
    python3-botocore
    mariadb-server
    mariadb-client
    zstd
    xxhash
    python3
    procps
    ca-certificates
    coreutils
    time
    mmdebstrap
    debian-archive-keyring
    openssl
    util-linux
    tmux
    groff-base
)

S3RVER_VERSION=4.0.4
S3RVER_DIR=${CS_S3RVER_DIR:-/var/cache/csdump-s3rver}

POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=0
SUDO=()

is_installed() {
    local status
    status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) || return 1
    [ "$status" = "installed" ]
}

cleanup_policy() {
    if [ "$CREATED_POLICY" -eq 1 ]; then
        "${SUDO[@]}" rm -f "$POLICY" || true
        CREATED_POLICY=0
    fi
}

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        is_installed "$p" || printf '%s\n' "$p"
    done
    # node and npm for s3rver, from Debian unless the machine has its own
    command -v node >/dev/null 2>&1 || is_installed nodejs || echo nodejs
    command -v npm >/dev/null 2>&1 || is_installed npm || echo npm
}

s3rver_ok() {
    grep -qs "\"version\": \"$S3RVER_VERSION\"" \
        "$S3RVER_DIR/node_modules/@20minutes/s3rver/package.json"
}

install_s3rver() {
    s3rver_ok && return 0
    echo "install-deps.sh: installing @20minutes/s3rver@$S3RVER_VERSION into $S3RVER_DIR" >&2
    "${SUDO[@]}" mkdir -p "$S3RVER_DIR"
    "${SUDO[@]}" npm install --prefix "$S3RVER_DIR" --no-audit --no-fund --save-exact \
        "@20minutes/s3rver@$S3RVER_VERSION" >&2
    s3rver_ok || { echo "install-deps.sh: s3rver did not install" >&2; return 1; }
}

install_packages() {
    local missing=("$@")
    local had_server=0
    is_installed mariadb-server && had_server=1

    # Deny service starts while installing, unless a policy already exists.
    if [ ! -e "$POLICY" ]; then
        printf '#!/bin/sh\n# temporary, from csdump scripts/install-deps.sh\nexit 101\n' |
            "${SUDO[@]}" tee "$POLICY" >/dev/null
        "${SUDO[@]}" chmod 0755 "$POLICY"
        CREATED_POLICY=1
    fi
    trap cleanup_policy EXIT

    echo "install-deps.sh: installing: ${missing[*]}" >&2
    # wait for the dpkg lock (e.g. unattended-upgrades on a fresh machine)
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
        install -y --no-install-recommends "${missing[@]}"

    # The postinst enables mariadb.service even when policy-rc.d denies the
    # start; undo that for a server this run installed (tests never use it).
    if [ "$had_server" -eq 0 ] && command -v systemctl >/dev/null 2>&1; then
        "${SUDO[@]}" systemctl disable --quiet mariadb.service >/dev/null 2>&1 || true
    fi

    cleanup_policy
    trap - EXIT
}

main() {
    local arg
    check_only=0
    ROOTS=0
    for arg in "$@"; do
        case "$arg" in
        --check) check_only=1 ;;
        --roots) ROOTS=1 ;;
        -h | --help)
            echo "usage: scripts/install-deps.sh [--check] [--roots]"
            return 0
            ;;
        *)
            echo "install-deps.sh: unknown argument '$arg' (try --help)" >&2
            return 2
            ;;
        esac
    done

    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "install-deps.sh: dpkg-query not found; this script supports Debian 12 only" >&2
        return 1
    fi

    local missing
    mapfile -t missing < <(missing_packages)
    if [ "${#missing[@]}" -eq 0 ] && s3rver_ok; then
        [ "$check_only" -eq 1 ] && echo "install-deps.sh: all dependencies are installed"
        return 0
    fi
    if [ "$check_only" -eq 1 ]; then
        s3rver_ok || missing+=("s3rver@$S3RVER_VERSION (npm, in $S3RVER_DIR)")
        echo "install-deps.sh: missing: ${missing[*]}"
        return 1
    fi

    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO=(sudo)
        else
            echo "install-deps.sh: missing packages (${missing[*]}) and not root; no sudo to" \
                "install them. Run as root: apt-get install ${PACKAGES[*]}" >&2
            return 1
        fi
    fi

    [ "${#missing[@]}" -eq 0 ] || install_packages "${missing[@]}"
    install_s3rver
    mapfile -t missing < <(missing_packages)
    if [ "${#missing[@]}" -ne 0 ]; then
        echo "install-deps.sh: still missing after install: ${missing[*]}" >&2
        return 1
    fi
    echo "install-deps.sh: done" >&2
}

main "$@"
if [ "${ROOTS:-0}" -eq 1 ] && [ "${check_only:-0}" -eq 0 ]; then
    bash "$(dirname "${BASH_SOURCE[0]}")/server-root.sh" ensure
fi
