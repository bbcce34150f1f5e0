#!/usr/bin/env bash
# The man pages and --help cannot drift: every option --help lists has an
# entry (a .TP header) in the tool's man page, and every option a man page
# entry names is one --help lists.  And each page renders without warnings.
set -euo pipefail
BUILD=${CS_BUILD_DIR:-$(cd "$(dirname "$0")/../../build" && pwd)}
SRC=${CS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# help_options TOOL: the long options on --help's option lines
help_options() {
    "$BUILD/$1" --help | grep -E '^ {2,}(-[A-Za-z], )?--' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

# man_options PAGE: the long options in the headers of the page's entries
# (the line after each .TP)
man_options() {
    awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' "$1" | sed 's/\\-/-/g' |
        grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

for tool in csdump csload; do
    page=$SRC/man/$tool.1
    [ -f "$page" ] || fail "$page is missing"
    help=$(help_options "$tool")
    man=$(man_options "$page")
    [ "$(echo "$help" | wc -l)" -gt 30 ] || fail "$tool --help lists too few options: $help"
    only_help=$(comm -23 <(echo "$help") <(echo "$man"))
    only_man=$(comm -13 <(echo "$help") <(echo "$man"))
    [ -z "$only_help" ] || fail "$tool --help lists options $tool(1) lacks: $only_help"
    [ -z "$only_man" ] || fail "$tool(1) has options $tool --help does not list: $only_man"
    for section in SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" FILES EXAMPLES; do
        grep -q "^\.SH \"*$section" "$page" || fail "$tool(1) has no $section section"
    done
    if command -v groff >/dev/null; then
        warn=$(groff -man -Tutf8 -z "$page" 2>&1) || true
        [ -z "$warn" ] || fail "$tool(1) renders with warnings: $warn"
    fi
done
echo ok
