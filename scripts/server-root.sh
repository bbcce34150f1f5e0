#!/usr/bin/env bash
# server-root.sh - minimal Debian roots holding the newer servers the tests
# run besides the host's MariaDB 10.11.
#
# Usage:
#   scripts/server-root.sh path FLAVOR     # print the root's directory (made if missing)
#   scripts/server-root.sh ensure FLAVOR...  # make the roots that are missing
#   scripts/server-root.sh list             # the flavors that need a root
#
# FLAVOR is mysql-9.7 (Debian sid: mysql-server-core, mysql-client) or
# mariadb-11.8 (Debian trixie: mariadb-server-core, mariadb-client).  A root
# is made once with mmdebstrap from the mirror of this machine's own apt
# sources and kept in CS_ROOTS_DIR (default /var/cache/csdump-roots, outside
# the repository) for later runs; concurrent callers wait on a lock.  A root
# is complete once ROOT/.cs-root-ok exists (made last), so a run killed while
# making one leaves nothing that counts as made.  Needs root (chroot).
set -euo pipefail

PROG=server-root.sh
ROOTS_DIR=${CS_ROOTS_DIR:-/var/cache/csdump-roots}

die() {
    echo "$PROG: $*" >&2
    exit 1
}

# suite and packages of each flavor that lives in a root
flavor_suite() {
    case "$1" in
    mysql-9.7) echo sid ;;
    mariadb-11.8) echo trixie ;;
    *) return 1 ;;
    esac
}

flavor_packages() {
    case "$1" in
    mysql-9.7) echo mysql-server-core,mysql-client ;;
    mariadb-11.8) echo mariadb-server-core,mariadb-client ;;
    *) return 1 ;;
    esac
}

# The Debian archive this machine's apt uses (deb822 .sources or one-line
# .list entries): the first URI that serves the main suite, not -security.
apt_mirror() {
    local f uri
    for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        case "$f" in
        *.sources)
            uri=$(awk '
                /^[[:space:]]*$/ { if (u != "" && s ~ /(^| )(bookworm|trixie|sid|stable)( |$)/) { print u; exit } u = ""; s = "" }
                /^URIs:/ { u = $2 }
                /^Suites:/ { s = $0; sub(/^Suites:[[:space:]]*/, "", s) }
                END { if (u != "" && s ~ /(^| )(bookworm|trixie|sid|stable)( |$)/) print u }' "$f" |
                grep -v -- '-security' | head -n 1)
            ;;
        *)
            uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { print $i; break } }' "$f" |
                grep -v -- '-security' | grep '/debian/\?$' | head -n 1)
            ;;
        esac
        if [ -n "$uri" ]; then
            echo "$uri"
            return 0
        fi
    done
    return 1
}

make_root() {
    local flavor=$1 suite pkgs root tmp mirror
    suite=$(flavor_suite "$flavor") || die "unknown flavor '$flavor' (mysql-9.7, mariadb-11.8)"
    pkgs=$(flavor_packages "$flavor")
    root="$ROOTS_DIR/$flavor"
    [ -f "$root/.cs-root-ok" ] && return 0
    [ "$(id -u)" -eq 0 ] || die "making the $flavor root needs root (mmdebstrap + chroot)"
    command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap not found (run scripts/install-deps.sh)"
    mirror=$(apt_mirror) || die "no Debian mirror found in /etc/apt/sources.list*"
    tmp="$root.tmp.$$"
    rm -rf "$tmp"
    echo "$PROG: making the $flavor root ($suite: $pkgs) from $mirror; this takes about a minute" >&2
    if ! mmdebstrap --variant=apt --aptopt='Acquire::Check-Valid-Until "false"' \
        --include="$pkgs" "$suite" "$tmp" "$mirror" >"$ROOTS_DIR/$flavor.log" 2>&1; then
        tail -n 30 "$ROOTS_DIR/$flavor.log" >&2 || true
        rm -rf "$tmp"
        die "mmdebstrap failed for $flavor (log: $ROOTS_DIR/$flavor.log)"
    fi
    # name lookups inside the root (mariadb-install-db resolves the host name)
    cp /etc/hosts "$tmp/etc/hosts"
    mkdir -p "$tmp/srv"
    rm -rf "$root"
    mv "$tmp" "$root"
    : >"$root/.cs-root-ok"
}

ensure() {
    local flavor
    mkdir -p "$ROOTS_DIR"
    exec 9>"$ROOTS_DIR/.lock"
    flock 9
    for flavor in "$@"; do
        make_root "$flavor"
    done
    exec 9>&-
}

[ $# -ge 1 ] || die "usage: $PROG path FLAVOR | ensure FLAVOR... | list"
case "$1" in
path)
    [ $# -eq 2 ] || die "usage: $PROG path FLAVOR"
    ensure "$2"
    echo "$ROOTS_DIR/$2"
    ;;
ensure)
    shift
    [ $# -ge 1 ] || set -- mysql-9.7 mariadb-11.8
    ensure "$@"
    ;;
list) echo mysql-9.7 mariadb-11.8 ;;
*) die "unknown command '$1'" ;;
esac
