#!/usr/bin/env bash
# bench.sh - csdump/csload against mydumper/myloader, mariadb-dump and the
# floors (what the source takes just to stream the rows, what the target
# takes to LOAD DATA them from local files), on throwaway local servers.
#
# Usage: scripts/bench.sh [--size-mb N] [--threads N] [--only LIST] [--out FILE]
#                         [--repeat N] [--scale N] [--keep] [--workdir DIR]
#                         [--shape mixed|one-table|many-tables] [--tables N]
#                         [--flavor F] [--mydumper10-configs LIST]
#                         [--csdump-variants all|tsv]
#
#   --size-mb N    dataset size in MiB of InnoDB data (default 1024)
#   --threads N    parallelism of every tool and floor (default 2)
#   --only LIST    comma-separated subset of: csdump,mydumper,mariadb-dump,floor,s3
#                  (s3: csdump into / csload out of a local s3rver, beside the
#                  directory rows, with the ratio to them)
#                  and mydumper10 (mydumper/myloader 1.0.1 uncompressed, -c zstd
#                  and --format LOAD_DATA, built by ../shared/peers/build-mydumper.sh
#                  into $MYDUMPER10_DIR, default /var/tmp/mydumper-1.0)
#   --shape S      mixed (default: sysbench-style and awkward-type tables),
#                  one-table (all the data in one table, one secondary index;
#                  csload -t 1 is run too), many-tables (--tables N small tables
#                  in 100 schemas, a view per schema, a trigger every 100 tables)
#   --tables N     many-tables: how many tables (default 10000)
#   --mydumper10-configs LIST  which mydumper 1.0.1 configurations run:
#                  plain,zstd,load-data (default all; -c zstd forks a
#                  compressor per file, minutes at tens of thousands of tables)
#   --flavor F     source and target servers: mariadb-10.11 (default),
#                  mariadb-11.8, mysql-9.7 (scripts/test-server.sh --flavor)
#   --csdump-variants all|tsv  all (default): csdump/csload tsv, sql and the
#                  tsv variants (--compress none, signed, encrypted, archive,
#                  --no-verify, --fast-target); tsv: only csdump tsv and csload tsv
#   --out FILE     machine-readable results (default ./bench-results.json)
#   --repeat N     run every dump and load N times, report the fastest (default 1);
#                  in rounds: every dump and load once, then again, so each
#                  tool meets the same machine states (not at --scale)
#   --scale N      instead: csdump/csload at 1x and Nx the size, and how
#                  time and peak memory grow
#   --keep         keep the work directory (dumps, servers' data; servers stopped)
#   --workdir DIR  work in DIR (kept) instead of a new temporary directory
#
# Installs nothing: it checks for what it needs and prints the apt-get line
# (exit 2).  BUILD_DIR (default build/) holds csdump, csload and
# tests/cs_stream_floor; they are built there when missing.  The Markdown
# table goes to stdout, progress to stderr.  Exit 1 when a load does not
# verify equal to the source (its time does not count) or a tool fails.
set -euo pipefail

PROG=bench.sh
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/bench-shapes.sh
. "$REPO/scripts/bench-shapes.sh"

BUILD_DIR=${BUILD_DIR:-$REPO/build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$REPO/$BUILD_DIR ;; esac

SIZE_MB=1024
THREADS=2
ONLY=csdump,mydumper,mariadb-dump,floor,s3
ONLY+=,mydumper10
OUT=$PWD/bench-results.json
SCALE=0
KEEP=0
REPEAT=1
ROUNDS=1 # --repeat in rounds: ROUND of ROUNDS, RUNS back-to-back runs per call
ROUND=1
RUNS=1
CS_VARIANTS=all
REPEAT_NOTE=""
WORKDIR_OPT=""
CHUNK_ROWS=250000       # csdump's default; mydumper -r gets the same
SB_TABLES=4             # sysbench-style tables
# InnoDB bytes per row (data + indexes), measured, to size the dataset
SB_ROW_BYTES=270
WIDE_ROW_BYTES=1080
ACCT_ROW_BYTES=320
SRC_OPTS="--innodb-flush-log-at-trx-commit=2"
TGT_OPTS="--innodb-buffer-pool-size=1G --innodb-flush-log-at-trx-commit=2 --secure-file-priv="
FAILED=0
declare -A DUMP_OK=()   # dump outputs that succeeded

usage() { # usage [STATUS]: 0 prints to stdout (--help), else stderr
    if [ "${1:-2}" -eq 0 ]; then
        sed -n '6,31p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
    fi
    sed -n '6,31p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

die() {
    echo "$PROG: $*" >&2
    exit 1
}

say() {
    echo "[$(date +%H:%M:%S)] $*" >&2
}

positive() {
    case "$2" in
    '' | *[!0-9]* | 0) echo "$PROG: $1 needs a positive integer, got '$2'" >&2; exit 2 ;;
    esac
}

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
        --size-mb) [ $# -ge 2 ] || usage; positive "$1" "$2"; SIZE_MB=$2; shift 2 ;;
        --threads) [ $# -ge 2 ] || usage; positive "$1" "$2"; THREADS=$2; shift 2 ;;
        --only) [ $# -ge 2 ] || usage; ONLY=$2; shift 2 ;;
        --out) [ $# -ge 2 ] || usage; OUT=$2; shift 2 ;;
        --scale) [ $# -ge 2 ] || usage; positive "$1" "$2"; SCALE=$2; shift 2 ;;
        --repeat) [ $# -ge 2 ] || usage; positive "$1" "$2"; REPEAT=$2; shift 2 ;;
        --csdump-variants)
            [ $# -ge 2 ] || usage
            case "$2" in all | tsv) CS_VARIANTS=$2 ;; *) echo "$PROG: --csdump-variants: all or tsv, not '$2'" >&2; exit 2 ;; esac
            shift 2 ;;
        --keep) KEEP=1; shift ;;
        --workdir) [ $# -ge 2 ] || usage; WORKDIR_OPT=$2; KEEP=1; shift 2 ;;
        -h | --help) usage 0 ;;
        --shape | --tables | --flavor | --mydumper10-configs)
            [ $# -ge 2 ] || usage
            shape_args "$1" "$2"
            shift 2 ;;
        *) echo "$PROG: unknown argument '$1'" >&2; usage ;;
        esac
    done
    local t
    for t in ${ONLY//,/ }; do
        case "$t" in
        csdump | mydumper | mariadb-dump | floor | s3 | mydumper10) ;;
        *) echo "$PROG: --only: unknown tool '$t' (csdump,mydumper,mariadb-dump,floor,s3,mydumper10)" >&2; exit 2 ;;
        esac
    done
    [ "$REPEAT" -eq 1 ] || REPEAT_NOTE=1
    if [ "$SCALE" -eq 0 ]; then ROUNDS=$REPEAT; else RUNS=$REPEAT; fi
    [ "$SCALE" -eq 0 ] || [ "$SCALE" -ge 2 ] || { echo "$PROG: --scale needs N >= 2" >&2; exit 2; }
    case "$OUT" in /*) ;; *) OUT=$PWD/$OUT ;; esac
}

selected() {
    case ",$ONLY," in *",$1,"*) return 0 ;; esac
    return 1
}

have() {
    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]
}

# What is missing, as "command (package)"; the apt-get line; exit 2.
check_requirements() {
    local -a missing=() pkgs=()
    need() { # need COMMAND PACKAGE
        if ! have "$1"; then
            missing+=("$1")
            case " ${pkgs[*]:-} " in *" $2 "*) ;; *) pkgs+=("$2") ;; esac
        fi
    }
    need mariadbd mariadb-server
    need mariadb-install-db mariadb-server
    need mariadb mariadb-client
    need mariadb-admin mariadb-client
    need mariadb-dump mariadb-client
    need zstd zstd
    need python3 python3
    need openssl openssl # the keys of the --sign-key and --encrypt-key rows
    if [ "$SCALE" -eq 0 ] && selected mydumper; then
        need mydumper mydumper
        need myloader mydumper
    fi
    if [ "$SCALE" -eq 0 ] && selected s3; then
        need node nodejs
        [ -f "${CS_S3RVER_DIR:-/var/cache/csdump-s3rver}/node_modules/@20minutes/s3rver/package.json" ] ||
            { missing+=("s3rver (npm)"); pkgs+=("(then scripts/install-deps.sh)"); }
    fi
    if [ "$SCALE" -eq 0 ] && selected mydumper10; then
        [ -f "$PEERS_SCRIPT" ] || [ -x "$MYD10_DIR/myloader" ] ||
            { missing+=("mydumper 1.0.1 ($PEERS_SCRIPT)"); pkgs+=("(or set MYDUMPER10_DIR)"); }
    fi
    if ! /usr/bin/time --version 2>&1 | grep -q GNU; then
        missing+=("/usr/bin/time (GNU)")
        pkgs+=(time)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "$PROG: missing: ${missing[*]}" >&2
        echo "$PROG: install them with:  apt-get install -y ${pkgs[*]}" >&2
        exit 2
    fi
}

build_tools() {
    CSDUMP=$BUILD_DIR/csdump
    CSLOAD=$BUILD_DIR/csload
    FLOOR=$BUILD_DIR/tests/cs_stream_floor
    if [ -x "$CSDUMP" ] && [ -x "$CSLOAD" ] && [ -x "$FLOOR" ]; then
        return 0
    fi
    have cmake || { echo "$PROG: $BUILD_DIR has no build and cmake is missing: bash scripts/install-deps.sh" >&2; exit 2; }
    say "building csdump, csload and cs_stream_floor in $BUILD_DIR"
    cmake -S "$REPO" -B "$BUILD_DIR" >/dev/null ||
        die "cmake configure failed (bash scripts/install-deps.sh installs the build dependencies)"
    cmake --build "$BUILD_DIR" -j2 --target csdump csload cs_stream_floor >/dev/null ||
        die "build failed in $BUILD_DIR"
}

# lib.sh gives start_server, sql, sock, table_hashes...; its WORK and EXIT
# trap are replaced by ours.
setup_work() {
    export CS_SOURCE_DIR=$REPO CS_BUILD_DIR=$BUILD_DIR
    # shellcheck source=tests/integration/lib.sh
    . "$REPO/tests/integration/lib.sh"
    trap bench_cleanup EXIT
    if [ -n "$WORKDIR_OPT" ]; then
        rm -rf "$WORK"
        mkdir -p "$WORKDIR_OPT"
        WORK=$(cd "$WORKDIR_OPT" && pwd)
        [ -z "$(ls -A "$WORK")" ] || die "--workdir $WORK is not empty"
        export TMPDIR=$WORK # lib.sh's was just removed: csload's spools go here
    fi
    RESULTS=$WORK/results.tsv
    : >"$RESULTS"
    say "work directory $WORK"
}

bench_cleanup() {
    local rc=$? dir pid
    for pid in "${CS_BG_PIDS[@]:-}"; do # s3rver and its proxy (start_s3)
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for dir in "${CS_SERVERS[@]:-}"; do
        if [ -n "$dir" ]; then
            bash "$TS" stop "$dir" >/dev/null 2>&1 || true
        fi
    done
    if [ "$KEEP" -eq 1 ]; then
        echo "$PROG: kept $WORK (servers stopped)" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# ---- timing ---------------------------------------------------------------

# utime + stime of a process, in clock ticks (fields 14, 15 of /proc/PID/stat)
proc_ticks() {
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# busy CPU ticks of the whole machine (/proc/stat: user nice system irq softirq steal)
machine_ticks() {
    awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# timed SERVER CMD...: runs CMD under GNU time; sets T_WALL (s), T_CCPU
# (client user+sys s), T_RSS (client peak RSS KiB), T_SCPU (server CPU s
# of SERVER's mysqld) and T_OTHER (CPU s that other processes of the
# machine used meanwhile: noise).  Returns CMD's status.
timed() {
    local srv=$1 pid s0 s1 m0 m1 t0 t1 rc=0 line
    shift
    # what earlier runs wrote (dumps, targets' files) reaches the disk
    # first, untimed: no run pays for another's writeback
    sync
    pid=$(cat "$WORK/$srv/mysqld.pid")
    s0=$(proc_ticks "$pid")
    m0=$(machine_ticks)
    t0=$(date +%s%N)
    /usr/bin/time -f 'TIME %U %S %M' -o "$WORK/time.out" "$@" || rc=$?
    t1=$(date +%s%N)
    s1=$(proc_ticks "$pid")
    m1=$(machine_ticks)
    line=$(grep '^TIME ' "$WORK/time.out" | tail -n 1)
    read -r T_WALL T_CCPU T_RSS T_SCPU T_OTHER < <(echo "$line" | awk -v t0="$t0" -v t1="$t1" \
        -v s0="$s0" -v s1="$s1" -v m0="$m0" -v m1="$m1" -v hz="$CLK_TCK" '{
            c = $2 + $3; s = (s1 - s0) / hz; o = (m1 - m0) / hz - c - s
            printf "%.3f %.2f %d %.2f %.2f\n", (t1 - t0) / 1e9, c, $4, s, o < 0 ? 0 : o }')
    return "$rc"
}

# run_note I: " (run I of N)" / " (round R of N)", nothing without --repeat
run_note() {
    [ -n "$REPEAT_NOTE" ] || return 0
    if [ "$ROUNDS" -gt 1 ]; then echo " (round $ROUND of $ROUNDS)"; else echo " (run $1 of $RUNS)"; fi
}

# Best of --repeat runs: best_reset; after each run best_take; then best_use
# puts the fastest run's figures back into T_* (all wall times in B_WALLS).
best_reset() {
    B_SAVED=""
    B_WALLS=""
}

t_save() {
    echo "$T_WALL $T_CCPU $T_SCPU $T_RSS $T_OTHER"
}

t_load() {
    read -r T_WALL T_CCPU T_SCPU T_RSS T_OTHER <<<"$1"
}

best_take() {
    B_WALLS+="${B_WALLS:+,}$T_WALL"
    if [ -z "$B_SAVED" ] || awk -v a="$T_WALL" -v b="${B_SAVED%% *}" 'BEGIN { exit !(a < b) }'; then
        B_SAVED=$(t_save)
    fi
}

best_use() {
    t_load "$B_SAVED"
}

# record SCALE PHASE TOOL OUT_BYTES VERIFIED NOTE: one result line from T_*
record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
        "$T_WALL" "$T_CCPU" "$T_SCPU" "$T_RSS" "$4" "$5" "$DATA_ROWS" "$DATA_RAW" "$6" \
        "${T_OTHER:-0}" "${B_WALLS:-$T_WALL}" >>"$RESULTS"
}

bytes_of() {
    du -sb "$1" | cut -f1
}

# ---- servers and data -----------------------------------------------------

start_source() {
    local bp=$((SIZE_MB * 2))
    [ "$SCALE" -eq 0 ] || bp=$((SIZE_MB * SCALE * 2))
    [ "$bp" -ge 1024 ] || bp=1024
    SRC_OPTS="--innodb-buffer-pool-size=${bp}M $SRC_OPTS"
    say "starting the source server ($SRC_OPTS)"
    start_server src --server-id 1 --extra "$SRC_OPTS"
    if [ "$SHAPE" = many-tables ]; then
        say "source and targets' caches, as the source has them: $(caches_in_effect src)"
    fi
}

# start_target NAME: a fresh target server in $WORK/NAME
start_target() {
    [ ! -e "$WORK/$1" ] || die "$WORK/$1 exists already: a target is never reused"
    start_server "$1" --server-id 2 --extra "$TGT_OPTS"
}

drop_target() {
    bash "$TS" stop "$WORK/$1" >/dev/null 2>&1 || true
    [ "$KEEP" -eq 1 ] || rm -rf "${WORK:?}/$1"
}

# digits EXPR: an 11-digit sysbench-style group from an integer expression
digits() {
    echo "LPAD(MOD($1, 99999999977), 11, '0')"
}

sb_select() {
    local t=$1 n=$2 c="" pad="" i
    local -a mul=(2654435761 2246822519 3266489917 668265263 374761393
        1181783497 2654435789 3812015801 1500450271 2860486313
        1073676287 2147483647 1665824803 3041632447 1951408621)
    for i in 0 1 2 3 4 5 6 7 8 9; do
        c+="${c:+, }$(digits "seq * ${mul[$i]} + $((t * 1000003 + i))")"
    done
    for i in 10 11 12 13 14; do
        pad+="${pad:+, }$(digits "seq * ${mul[$i]} + $((t * 1000033 + i))")"
    done
    echo "SELECT seq, 1 + MOD(seq * 7919 + $t, $n), CONCAT_WS('-', $c), CONCAT_WS('-', $pad)"
}

# gen_sql TABLE ROWS: the statements that create and fill one table, in
# INSERT ... SELECT batches from the sequence engine (deterministic).
gen_sql() {
    local table=$1 rows=$2 from to step=100000 sel
    echo "SET SESSION sql_log_bin = 0; USE bench; $(deeper_cte src)"
    case "$table" in
    sbtest*)
        echo "CREATE TABLE $table (id INT NOT NULL AUTO_INCREMENT, k INT NOT NULL DEFAULT 0,
              c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '',
              PRIMARY KEY (id), KEY k_1 (k)) ENGINE=InnoDB;"
        sel="$(sb_select "${table#sbtest}" "$rows") FROM @SEQ@"
        ;;
    wide)
        echo "CREATE TABLE wide (id BIGINT NOT NULL, created DATETIME(6) NOT NULL,
              amount DECIMAL(18,4) NOT NULL, ratio FLOAT NOT NULL, title VARCHAR(200) NOT NULL,
              body TEXT NOT NULL, payload BLOB NOT NULL, attrs JSON NOT NULL, note VARCHAR(64),
              PRIMARY KEY (id), KEY created_idx (created)) ENGINE=InnoDB
              DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;"
        sel="SELECT seq, TIMESTAMP('2020-01-01') + INTERVAL seq * 37 SECOND + INTERVAL MOD(seq, 999983) MICROSECOND,
              MOD(seq * 7919, 100000000) / 10000 - 5000, MOD(seq, 4096) / 4,
              CONCAT('Grüße № ', seq, ' ', MD5(seq)),
              REPEAT(CONCAT(MD5(CONCAT('body', seq)), ' lorem ipsum dolor; '), 1 + MOD(seq, 20)),
              UNHEX(CONCAT(MD5(seq * 3), MD5(seq * 3 + 1), REPEAT(MD5(seq * 3 + 2), MOD(seq, 8)))),
              JSON_OBJECT('id', seq, 'name', MD5(seq + 11), 'tags', JSON_ARRAY('t', MOD(seq, 10), MOD(seq, 7) = 0)),
              IF(MOD(seq, 7) = 0, NULL, CONCAT('n-', seq))
              FROM @SEQ@"
        ;;
    accounts)
        echo "CREATE TABLE accounts (region VARCHAR(16) NOT NULL, account VARCHAR(64) NOT NULL,
              balance DECIMAL(14,2) NOT NULL, email VARCHAR(100) NOT NULL, opened DATE NOT NULL,
              updated DATETIME NOT NULL, PRIMARY KEY (region, account), KEY email_idx (email))
              ENGINE=InnoDB;"
        sel="SELECT CONCAT('region-', MOD(seq, 16)), CONCAT('acct-', MD5(CONCAT('a', seq))),
              MOD(seq * 31, 100000000) / 100, CONCAT(LEFT(MD5(seq + 7), 12), '@example.com'),
              DATE('2010-01-01') + INTERVAL MOD(seq, 5000) DAY,
              TIMESTAMP('2021-01-01') + INTERVAL seq MINUTE FROM @SEQ@"
        ;;
    esac
    # MySQL 9 has no MD5(): the same 32 hex digits' shape from SHA2 (generate)
    [ "$(kind_of src)" != mysql ] || sel=${sel//MD5(/benchgen.md5hex(}
    for ((from = 1; from <= rows; from += step)); do
        to=$((from + step - 1))
        [ "$to" -le "$rows" ] || to=$rows
        echo "INSERT INTO $table ${sel//@SEQ@/$(seq_from "$from" "$to")};"
    done
}

# plan_dataset SIZE_MB: TABLES (name:rows ...) for about SIZE_MB of InnoDB data
plan_dataset() {
    local bytes=$(($1 * 1048576)) i sb wide acct
    sb=$((bytes * 70 / 100 / SB_TABLES / SB_ROW_BYTES))
    wide=$((bytes * 20 / 100 / WIDE_ROW_BYTES))
    acct=$((bytes * 10 / 100 / ACCT_ROW_BYTES))
    [ "$sb" -ge 1000 ] || sb=1000
    [ "$wide" -ge 1000 ] || wide=1000
    [ "$acct" -ge 1000 ] || acct=1000
    TABLES=()
    for ((i = 1; i <= SB_TABLES; i++)); do
        TABLES+=("sbtest$i:$sb")
    done
    TABLES+=("wide:$wide" "accounts:$acct")
}

# generate SIZE_MB: (re)creates schema bench on the source, two tables at a time
generate() {
    local size=$1 spec t0
    if [ "$SHAPE" = many-tables ]; then
        generate_many
        return
    fi
    shape_plan "$size"
    say "generating ~${size} MiB: ${TABLES[*]}"
    t0=$SECONDS
    sql src "SET SESSION sql_log_bin = 0; DROP DATABASE IF EXISTS bench; CREATE DATABASE bench"
    [ "$(kind_of src)" != mysql ] ||
        sql src "SET SESSION sql_log_bin = 0; CREATE DATABASE IF NOT EXISTS benchgen;
                 CREATE FUNCTION IF NOT EXISTS benchgen.md5hex(s TEXT) RETURNS CHAR(32)
                 DETERMINISTIC NO SQL RETURN LEFT(SHA2(s, 256), 32)"
    rm -rf "$WORK/gen"
    mkdir -p "$WORK/gen"
    for spec in "${TABLES[@]}"; do
        gen_sql "${spec%%:*}" "${spec#*:}" >"$WORK/gen/${spec%%:*}.sql"
    done
    # the biggest first: wide (the mixed shape's), the sysbench tables, accounts
    # shellcheck disable=SC2016 # expanded by sh
    printf "$WORK/gen/%s.sql\n" wide "${TABLES[@]%%:*}" | awk '!seen[$0]++' |
        while read -r f; do [ ! -f "$f" ] || echo "$f"; done |
        xargs -d '\n' -P 2 -n 1 sh -c 'exec mariadb --defaults-file="$0" <"$1"' \
            "$WORK/src/client.cnf" || die "generating the dataset failed"
    sql src "SET SESSION sql_log_bin = 0; ANALYZE TABLE $(printf 'bench.%s,' "${TABLES[@]%%:*}" | sed 's/,$//')" >/dev/null
    schema_sizes >"$WORK/innodb.tsv"
    say "generated in $((SECONDS - t0)) s; hashing the source's tables"
    table_hashes src "${SCHEMAS[@]}" >"$WORK/hash-src"
    [ -s "$WORK/hash-src" ] || die "no tables hashed on the source"
}

# The reference dump (untimed; also warms the source): tsv, uncompressed.
# Sets DATA_ROWS and DATA_RAW (sum of the chunks' raw_bytes) and writes
# $WORK/dataset.tsv (table rows raw_bytes innodb_bytes).
reference_dump() {
    rm -rf "$WORK/ref"
    say "reference dump (csdump --format tsv --compress none; untimed, warms the source)"
    "$CSDUMP" --no-defaults -S "$(sock src)" -u root -o "$WORK/ref" -t "$THREADS" "${CS_SEL[@]}" \
        --format tsv --compress none --no-progress -q ||
        die "the reference csdump failed"
    python3 - "$WORK/ref/manifest.json" "$WORK/innodb.tsv" >"$WORK/dataset.tsv" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
inno = {}
for line in open(sys.argv[2]):
    name, _, size = line.rstrip("\n").split("\t")
    inno[name] = int(size)
for t in sorted(m["tables"], key=lambda t: (t["schema"], t["name"])):
    raw = sum(c["raw_bytes"] for c in t["chunks"])
    q = t["schema"] + "." + t["name"]
    print(f"{q}\t{t['rows']}\t{raw}\t{inno.get(q, 0)}")
EOF
    DATA_ROWS=$(awk -F'\t' '{ s += $2 } END { print s }' "$WORK/dataset.tsv")
    DATA_RAW=$(awk -F'\t' '{ s += $3 } END { print s }' "$WORK/dataset.tsv")
    say "dataset: $DATA_ROWS rows, $DATA_RAW raw bytes"
}

# ---- verification ---------------------------------------------------------

# verified TARGET: the target's bench tables hash like the source's
verified() {
    table_hashes "$1" "${SCHEMAS[@]}" >"$WORK/hash-$1"
    if diff -q "$WORK/hash-src" "$WORK/hash-$1" >/dev/null; then
        return 0
    fi
    diff "$WORK/hash-src" "$WORK/hash-$1" | head -n 20 >&2 || true
    return 1
}

# ---- dumps ----------------------------------------------------------------

# dump_run SCALE TOOL DIR CMD...: a timed dump into DIR (a file or directory).
# DUMP_ACCEPT="RC|NOTE" (set by the caller for one call) takes exit status
# RC as a dump whose data are complete, recorded with NOTE (its load is
# verified like any other).
dump_run() {
    local scale=$1 tool=$2 out=$3 log i rc note=""
    shift 3
    log=$WORK/log-dump-$(echo "$tool" | tr -c 'a-z0-9\n' '_' | tr -s _).txt
    unset "DUMP_OK[$out]" # until this round's dump succeeds
    best_reset
    for ((i = 1; i <= RUNS; i++)); do
        say "dump: $tool$(run_note "$i")"
        rm -rf "$out"
        rc=0
        timed src "$@" >"$log" 2>&1 || rc=$?
        if [ "$rc" != 0 ] && [ -n "${DUMP_ACCEPT:-}" ] && [ "$rc" = "${DUMP_ACCEPT%%|*}" ]; then
            note=${DUMP_ACCEPT#*|}
            rc=0
        fi
        if [ "$rc" != 0 ]; then
            echo "$PROG: dump $tool failed; its log:" >&2
            tail -n 20 "$log" >&2
            FAILED=1
            T_WALL=0
            record "$scale" dump "$tool" 0 failed "exit status non-zero, see log"
            return 1
        fi
        best_take
    done
    best_use
    warn_log "$tool" "$log"
    DUMP_OK[$out]=1
    record "$scale" dump "$tool" "$(bytes_of "$out")" n/a "$note"
}

# warn_log TOOL LOG: show what a tool printed (warnings) in a timing run
warn_log() {
    if [ -s "$2" ] && grep -qiv '^TIME ' "$2"; then
        echo "$PROG: $1 printed:" >&2
        head -n 10 "$2" | sed 's/^/    /' >&2
    fi
}

# cs_formats: the formats csdump and csload run in
cs_formats() {
    if [ "$CS_VARIANTS" = tsv ]; then echo tsv; else echo tsv sql; fi
}

# cs_variants: the tsv variants run too (not at --scale, not with --csdump-variants tsv)
cs_variants() {
    [ "$SCALE" -eq 0 ] && [ "$CS_VARIANTS" = all ]
}

dump_csdump() {
    local scale=$1 fmt
    for fmt in $(cs_formats); do
        dump_run "$scale" "csdump $fmt" "$WORK/d-csdump-$fmt" \
            "$CSDUMP" --no-defaults -S "$(sock src)" -u root -o "$WORK/d-csdump-$fmt" \
            -t "$THREADS" "${CS_SEL[@]}" --format "$fmt" --no-progress -q || true
    done
    # what compression costs (not loaded)
    if [ -n "${DUMP_OK[$WORK/d-csdump-tsv]:-}" ] && ! grep -q '^settings.csdump_compress_level' "$WORK/meta.tsv"; then
        meta settings.csdump_compress_level \
            "$(manifest_get "$WORK/d-csdump-tsv" "m['options']['compress_level']")"
    fi
    if cs_variants; then
        dump_run "$scale" "csdump tsv --compress none" "$WORK/d-csdump-tsv-none" \
            "$CSDUMP" --no-defaults -S "$(sock src)" -u root -o "$WORK/d-csdump-tsv-none" \
            -t "$THREADS" "${CS_SEL[@]}" --format tsv --compress none --no-progress -q || true
        # zstd's fast end: less CPU, larger files (not loaded)
        dump_run "$scale" "csdump tsv --compress-level -1" "$WORK/d-csdump-tsv-fast" \
            "$CSDUMP" --no-defaults -S "$(sock src)" -u root -o "$WORK/d-csdump-tsv-fast" \
            -t "$THREADS" "${CS_SEL[@]}" --format tsv --compress-level -1 --no-progress -q || true
        # what signing (SHA-256 of every file, Ed25519) and encryption
        # (AES-256-GCM segments) cost beside the plain tsv dump, same run
        make_keys
        dump_run "$scale" "csdump tsv --sign-key" "$WORK/d-csdump-tsv-signed" \
            "$CSDUMP" --no-defaults -S "$(sock src)" -u root -o "$WORK/d-csdump-tsv-signed" \
            -t "$THREADS" "${CS_SEL[@]}" --format tsv --sign-key "$WORK/keys/sign.pem" \
            --no-progress -q || true
        dump_run "$scale" "csdump tsv --encrypt-key" "$WORK/d-csdump-tsv-encrypted" \
            "$CSDUMP" --no-defaults -S "$(sock src)" -u root -o "$WORK/d-csdump-tsv-encrypted" \
            -t "$THREADS" "${CS_SEL[@]}" --format tsv --encrypt-key "$WORK/dump.key" \
            --no-progress -q || true
        # one tar stream into a file (chunk files wait in memory: dump/spool.h)
        dump_run "$scale" "csdump tsv --archive FILE" "$WORK/d-csdump-tsv.tar" \
            "$CSDUMP" --no-defaults -S "$(sock src)" -u root --archive "$WORK/d-csdump-tsv.tar" \
            -t "$THREADS" "${CS_SEL[@]}" --format tsv --no-progress -q || true
    fi
}

# The keys of the --sign-key and --encrypt-key rows, made once.
make_keys() {
    [ -s "$WORK/dump.key" ] || openssl rand -hex 32 >"$WORK/dump.key"
    [ -s "$WORK/keys/sign.pem" ] || "$CSDUMP" --gen-key "$WORK/keys" 2>/dev/null
}

# dump_s3_run TOOL OPTION SUFFIX: csdump OPTION s3://bench/runN(SUFFIX), the
# same options as the directory row, each run into a new key; S3_KEY = the
# last one.  1 when it failed (recorded).
dump_s3_run() {
    local tool=$1 opt=$2 suffix=$3 i log
    log=$WORK/log-dump-$(echo "$tool" | tr -c 'a-z0-9\n' '_' | tr -s _).txt
    best_reset
    for ((i = 1; i <= RUNS; i++)); do
        say "dump: $tool$(run_note "$i")"
        if ! timed src "$CSDUMP" --no-defaults -S "$(sock src)" -u root "$opt" "s3://bench/run$ROUND-$i$suffix" \
            -t "$THREADS" "${CS_SEL[@]}" --format tsv --no-progress -q --s3-path-style >"$log" 2>&1; then
            echo "$PROG: dump $tool failed; its log:" >&2
            tail -n 20 "$log" >&2
            FAILED=1
            T_WALL=0
            record 1 dump "$tool" 0 failed "exit status non-zero, see log"
            return 1
        fi
        S3_KEY=run$ROUND-$i$suffix
        best_take
    done
    best_use
    warn_log "$tool" "$log"
}

# csdump into a local s3rver (no fault proxy: its own speed is not measured):
# a prefix, and one archive object.
dump_s3() {
    start_s3 bench
    export AWS_ENDPOINT_URL=http://127.0.0.1:$S3_DIRECT_PORT
    if dump_s3_run "csdump tsv -> s3" -o ""; then
        S3_LAST=$S3_KEY
        DUMP_OK[s3]=1
        record 1 dump "csdump tsv -> s3" "$("$CS_S3TOOL" ls "s3://bench/$S3_LAST/" | awk '{s += $1} END {print s + 0}')" n/a \
            "local s3rver 4.0.4, multipart parts of 16 MiB"
    fi
    if dump_s3_run "csdump tsv --archive -> s3" --archive .tar; then
        S3_ARCH=$S3_KEY
        DUMP_OK[s3arch]=1
        record 1 dump "csdump tsv --archive -> s3" "$("$CS_S3TOOL" ls "s3://bench/$S3_ARCH" | awk '{s += $1} END {print s + 0}')" n/a \
            "one archive object, chunk files in memory until streamed"
    fi
}

load_s3() {
    load_run 1 "csload tsv <- s3" s3 \
        "$CSLOAD" --no-defaults -S @SOCK@ -u root -t "$THREADS" --no-progress -q --s3-path-style \
        "s3://bench/$S3_LAST"
    load_run 1 "csload tsv --archive <- s3" s3arch \
        "$CSLOAD" --no-defaults -S @SOCK@ -u root -t "$THREADS" --no-progress -q --s3-path-style \
        --archive "s3://bench/${S3_ARCH:-}"
}

dump_mydumper() {
    local c
    local -a copt
    for c in "" -c; do
        copt=()
        [ -z "$c" ] || copt=("$c")
        dump_run 1 "mydumper${c:+ $c}" "$WORK/d-mydumper$c" \
            mydumper -S "$(sock src)" -u root -t "$THREADS" "${MYD_SEL[@]}" -o "$WORK/d-mydumper$c" \
            --trx-consistency-only -r "$CHUNK_ROWS" -v 1 "${copt[@]}" || true
    done
}

dump_mariadb_dump() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    dump_run 1 "mariadb-dump + zstd -3" "$WORK/d-mariadb-dump.sql.zst" \
        bash -c 'set -o pipefail; mariadb-dump --defaults-file="$1" --single-transaction --quick \
                 --databases "${@:3}" | zstd -3 -q -c >"$2"' _ "$WORK/src/client.cnf" \
        "$WORK/d-mariadb-dump.sql.zst" "${SCHEMAS[@]}" || true
}

floor_stream() {
    local -a tables
    mapfile -t tables < <(sort -t$'\t' -k3,3nr "$WORK/dataset.tsv" | cut -f1)
    local rows i
    best_reset
    for ((i = 1; i <= RUNS; i++)); do
        say "floor: streaming every table with $THREADS connections (cs_stream_floor)"
        if ! timed src "$FLOOR" -S "$(sock src)" -u root -t "$THREADS" "${tables[@]}" \
            >"$WORK/log-floor-stream.txt" 2>&1; then
            cat "$WORK/log-floor-stream.txt" >&2
            die "cs_stream_floor failed"
        fi
        rows=$(awk '/^tables/ { print $4 }' "$WORK/log-floor-stream.txt")
        [ "$rows" = "$DATA_ROWS" ] || die "cs_stream_floor streamed $rows rows, the dataset has $DATA_ROWS"
        best_take
    done
    best_use
    record 1 dump "floor: stream (cs_stream_floor)" 0 n/a "SELECT * with mysql_use_result, rows discarded"
}

# ---- loads ----------------------------------------------------------------

# load_run SCALE TOOL DUMP CMD...: a fresh target, a timed load of DUMP (a
# dump_run output that succeeded; else the load is skipped), then the
# target's tables compared with the source's; --repeat times, the fastest
# counts.  @SOCK@ in CMD becomes the target's socket.
load_run() {
    local scale=$1 tool=$2 dump=$3 base tgt log i ok=yes
    shift 3
    if [ -z "${DUMP_OK[$dump]:-}" ]; then
        say "load: $tool skipped (its dump did not succeed)"
        return 0
    fi
    base=tgt-$(echo "$tool" | tr -c 'a-z0-9\n' '_' | tr -s _)
    [ "$SCALE" -eq 0 ] || base=$base-${scale}x
    log=$WORK/log-load-${base#tgt-}.txt
    best_reset
    for ((i = 1; i <= RUNS; i++)); do
        tgt=$base
        [ "$REPEAT" -eq 1 ] || tgt=$base-r$ROUND-$i
        start_target "$tgt"
        say "load: $tool$(run_note "$i")"
        if ! timed "$tgt" "${@//@SOCK@/$(sock "$tgt")}" >"$log" 2>&1; then
            echo "$PROG: load $tool failed; its log:" >&2
            tail -n 20 "$log" >&2
            FAILED=1
            T_WALL=0
            record "$scale" load "$tool" 0 failed "exit status non-zero"
            drop_target "$tgt"
            return 0
        fi
        best_take
        if ! verified "$tgt"; then
            echo "$PROG: load $tool: the target's data differ from the source's; its time does not count" >&2
            ok=no
            FAILED=1
        fi
        drop_target "$tgt"
        [ "$ok" = yes ] || break
    done
    best_use
    warn_log "$tool" "$log"
    record "$scale" load "$tool" "$(case $dump in s3*) echo 0 ;; *) bytes_of "$dump" ;; esac)" "$ok" ""
}

load_csload() {
    local scale=$1 fmt
    for fmt in $(cs_formats); do
        load_run "$scale" "csload $fmt" "$WORK/d-csdump-$fmt" \
            "$CSLOAD" --no-defaults -S @SOCK@ -u root -t "$THREADS" --no-progress -q \
            "$WORK/d-csdump-$fmt"
        if [ "$fmt" = tsv ] && cs_variants; then
            load_run "$scale" "csload tsv --no-verify" "$WORK/d-csdump-tsv" \
                "$CSLOAD" --no-defaults -S @SOCK@ -u root -t "$THREADS" --no-progress -q \
                --no-verify "$WORK/d-csdump-tsv"
            # --fast-target: the global ingest settings on top of TGT_OPTS (README)
            load_run "$scale" "csload tsv --fast-target" "$WORK/d-csdump-tsv" \
                "$CSLOAD" --no-defaults -S @SOCK@ -u root -t "$THREADS" --no-progress -q \
                --fast-target "$WORK/d-csdump-tsv"
            load_run "$scale" "csload tsv --verify-key" "$WORK/d-csdump-tsv-signed" \
                "$CSLOAD" --no-defaults -S @SOCK@ -u root -t "$THREADS" --no-progress -q \
                --verify-key "$WORK/keys/sign.pub.pem" "$WORK/d-csdump-tsv-signed"
            load_run "$scale" "csload tsv --encrypt-key" "$WORK/d-csdump-tsv-encrypted" \
                "$CSLOAD" --no-defaults -S @SOCK@ -u root -t "$THREADS" --no-progress -q \
                --encrypt-key "$WORK/dump.key" "$WORK/d-csdump-tsv-encrypted"
        fi
    done
}

load_myloader() {
    local c
    for c in "" -c; do
        load_run 1 "myloader${c:+ $c}" "$WORK/d-mydumper$c" \
            myloader -S @SOCK@ -u root -t "$THREADS" -d "$WORK/d-mydumper$c" -v 1
    done
}

load_mariadb() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    load_run 1 "zstd -dc + mariadb" "$WORK/d-mariadb-dump.sql.zst" \
        bash -c 'set -o pipefail; zstd -dc "$1" | mariadb --no-defaults -S "$2" -u root \
                 --init-command="SET SESSION sql_log_bin=0"' _ \
        "$WORK/d-mariadb-dump.sql.zst" @SOCK@
}

# The LOAD DATA floor: the reference dump's chunks concatenated per table,
# tables created without secondary indexes, server-side LOAD DATA INFILE
# (csload's column lists and SET clauses) with THREADS sessions, then one
# ALTER TABLE ... ADD of the secondary indexes per table, THREADS at a time.
floor_load_prepare() {
    python3 - "$WORK/ref" "$WORK/floor" <<'EOF'
import json, os, re, sys
ref, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
m = json.load(open(os.path.join(ref, "manifest.json")))
# format/coltype.c: kinds loaded through a variable and a SET expression
SET = {"bit": ("CAST(", " AS UNSIGNED)"), "utf8text": ("CONVERT(", " USING utf8mb4)")}
mode = m["source"]["sql_mode"]
mode = (mode + "," if mode else "") + "NO_AUTO_VALUE_ON_ZERO"
session = ("SET SESSION unique_checks=0, foreign_key_checks=0, sql_log_bin=0, "
           "time_zone='+00:00', sql_mode='%s';\n" % mode)
q = lambda s: "`" + s.replace("`", "``") + "`"
key_re = re.compile(r"^\s*((UNIQUE|FULLTEXT|SPATIAL)\s+)?(KEY|INDEX)\s")
create, data, index = [], [], []
for o in m["objects"]:
    if o["kind"] == "database":
        create.append(open(os.path.join(ref, o["file"])).read().strip().rstrip(";") + ";")
tables = sorted(m["tables"], key=lambda t: -sum(c["raw_bytes"] for c in t["chunks"]))
for i, t in enumerate(tables):
    qual = q(t["schema"]) + "." + q(t["name"])
    ddl = open(os.path.join(ref, t["ddl_file"])).read().strip().rstrip(";")
    lines = ddl.split("\n")
    head, body, tail = lines[0], lines[1:-1], lines[-1]
    items = [l.rstrip(",") for l in body]
    keys = [l.strip() for l in items if key_re.match(l)]
    kept = [l for l in items if not key_re.match(l)]
    create.append("USE %s;\n%s\n%s\n%s;" % (q(t["schema"]), head, ",\n".join(kept), tail))
    path = os.path.abspath(os.path.join(out, "t%d.tsv" % i))
    with open(path, "wb") as w:
        for c in t["chunks"]:
            with open(os.path.join(ref, c["file"]), "rb") as r:
                while True:
                    b = r.read(1 << 20)
                    if not b:
                        break
                    w.write(b)
    cols, sets = [], []
    for k, c in enumerate(t["columns"]):
        if c["kind"] in SET:
            cols.append("@v%d" % k)
            pre, post = SET[c["kind"]]
            sets.append("%s=%s@v%d%s" % (q(c["name"]), pre, k, post))
        else:
            cols.append(q(c["name"]))
    stmt = ("LOAD DATA INFILE '%s' INTO TABLE %s CHARACTER SET binary FIELDS TERMINATED BY "
            "'\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (%s)%s;\n"
            % (path.replace("\\", "\\\\").replace("'", "\\'"), qual, ",".join(cols),
               " SET " + ", ".join(sets) if sets else ""))
    f = os.path.join(out, "data-%d.sql" % i)
    open(f, "w").write(session + stmt)
    data.append(f)
    if keys:
        f = os.path.join(out, "index-%d.sql" % i)
        open(f, "w").write(session + "ALTER TABLE %s %s;\n" % (qual, ", ".join("ADD " + k for k in keys)))
        index.append(f)
open(os.path.join(out, "create.sql"), "w").write("\n".join(create) + "\n")
open(os.path.join(out, "data.list"), "w").write("".join(f + "\n" for f in data))
open(os.path.join(out, "index.list"), "w").write("".join(f + "\n" for f in index))
EOF
}

# run_sql_files TARGET LIST LOG: every SQL file named in LIST, THREADS at a time (timed)
run_sql_files() {
    # shellcheck disable=SC2016 # expanded by sh
    timed "$1" xargs -P "$THREADS" -n 1 sh -c 'exec mariadb --defaults-file="$0" <"$1"' \
        "$WORK/$1/client.cnf" <"$2" >"$3" 2>&1 || { cat "$3" >&2; return 1; }
}

# floor_load_once TARGET: sets F_DATA, F_INDEX (t_save strings) and T_* (the sum)
floor_load_once() {
    local tgt=$1
    start_target "$tgt"
    sql_file "$tgt" "$WORK/floor/create.sql" || die "creating the floor's tables failed"
    run_sql_files "$tgt" "$WORK/floor/data.list" "$WORK/log-floor-data.txt" ||
        die "the LOAD DATA floor failed"
    F_DATA=$(t_save)
    run_sql_files "$tgt" "$WORK/floor/index.list" "$WORK/log-floor-index.txt" ||
        die "the index build of the floor failed"
    F_INDEX=$(t_save)
    if ! verified "$tgt"; then
        echo "$PROG: the LOAD DATA floor's data differ from the source's" >&2
        F_OK=no
        FAILED=1
    fi
    drop_target "$tgt"
    t_load "$(echo "$F_DATA $F_INDEX" | awk '{ printf "%.3f %.2f %.2f %d %.2f\n", $1 + $6,
        $2 + $7, $3 + $8, ($4 > $9 ? $4 : $9), $5 + $10 }')"
}

floor_load() {
    local i best_data="" best_index="" best_total=""
    say "floor: LOAD DATA INFILE into tables without secondary indexes, then ADD the indexes"
    [ -d "$WORK/floor" ] || floor_load_prepare || die "preparing the LOAD DATA floor failed"
    F_OK=yes
    best_reset
    for ((i = 1; i <= RUNS; i++)); do
        floor_load_once "tgt-floor${REPEAT_NOTE:+-r$ROUND-$i}"
        best_take
        if [ "$B_SAVED" = "$(t_save)" ]; then
            best_data=$F_DATA best_index=$F_INDEX best_total=$B_SAVED
        fi
    done
    t_load "$best_data"
    B_WALLS="" record 1 load "floor: LOAD DATA (no secondary indexes)" "$(bytes_of "$WORK/floor")" - \
        "server-side LOAD DATA INFILE, uncompressed tsv, $THREADS sessions"
    t_load "$best_index"
    B_WALLS="" record 1 load "floor: ADD secondary indexes" 0 - "one ALTER TABLE per table, $THREADS sessions"
    t_load "$best_total"
    record 1 load "floor: LOAD DATA + indexes" "$(bytes_of "$WORK/floor")" "$F_OK" ""
}

# ---- versions and report --------------------------------------------------

meta() {
    printf '%s\t%s\n' "$1" "$2" >>"$WORK/meta.tsv"
}

collect_meta() {
    local mariadbd
    mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
    : >"$WORK/meta.tsv"
    meta machine.cpus "$(nproc)"
    meta machine.cpu_model "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    meta machine.mem_kib "$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)"
    meta machine.kernel "$(uname -r)"
    meta version.server "$(sql src 'SELECT VERSION()')"
    meta version.mariadbd "$("$mariadbd" --version 2>/dev/null | head -n 1)"
    meta version.csdump "$("$CSDUMP" --version 2>&1 | head -n 1)"
    meta version.csload "$("$CSLOAD" --version 2>&1 | head -n 1)"
    meta version.source_tree "$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo unknown)"
    meta version.mariadb-dump "$(mariadb-dump --version 2>&1 | head -n 1)"
    meta version.zstd "$(zstd --version 2>&1 | head -n 1)"
    meta version.gnu_time "$(/usr/bin/time --version 2>&1 | head -n 1)"
    if have mydumper; then
        meta version.mydumper "$(mydumper --version 2>&1 | head -n 1)"
        meta version.myloader "$(myloader --version 2>&1 | head -n 1)"
        meta version.mydumper_package "$(dpkg-query -W -f '${Version}' mydumper 2>/dev/null || true)"
    fi
    if [ -n "${MYDUMPER10:-}" ]; then
        meta version.mydumper10 "$("$MYDUMPER10" --version 2>&1 | head -n 1)"
    fi
    meta settings.shape "$SHAPE$([ "$SHAPE" != many-tables ] || echo " ($MANY_TABLES tables in $MANY_SCHEMAS schemas)")"
    meta settings.flavor "$FLAVOR"
    meta settings.mydumper10 "mydumper -t $THREADS --trx-tables -r $CHUNK_ROWS [-c zstd | --format LOAD_DATA]; myloader -t $THREADS -d DIR (its defaults: --optimize-keys AFTER_IMPORT_PER_TABLE, 1000 queries per transaction)"
    meta settings.threads "$THREADS"
    meta settings.size_mb "$SIZE_MB"
    meta settings.scale "$SCALE"
    meta settings.repeat "$REPEAT"
    meta settings.csdump_variants "$CS_VARIANTS"
    meta settings.only "$ONLY"
    meta settings.chunk_rows "$CHUNK_ROWS"
    meta settings.source_server_options "$SRC_OPTS (binary log ROW on; test-server.sh defaults otherwise)"
    meta settings.target_server_options "$TGT_OPTS (a fresh server per load; binary log on, every loader writes with sql_log_bin=0)"
    if [ "$SHAPE" = many-tables ]; then
        meta settings.caches_in_effect "$(caches_in_effect src)"
    fi
    meta settings.csdump "csdump -t $THREADS -B bench --format tsv|sql --no-progress -q (csdump's default zstd level: settings.csdump_compress_level)"
    meta settings.csload "csload -t $THREADS --no-progress -q (verification on unless --no-verify)"
    meta settings.mydumper "mydumper -t $THREADS -B bench --trx-consistency-only -r $CHUNK_ROWS [-c: gzip]"
    meta settings.myloader "myloader -t $THREADS (queries-per-transaction 1000)"
    meta settings.mariadb-dump "mariadb-dump --single-transaction --quick --databases bench | zstd -3; zstd -dc | mariadb --init-command='SET SESSION sql_log_bin=0'"
    meta settings.floor_stream "cs_stream_floor -t $THREADS: SELECT * per table, mysql_use_result, rows discarded; tables biggest first"
    meta settings.floor_load "LOAD DATA INFILE (server-side, CHARACTER SET binary, csload's column lists) of uncompressed tsv, one statement per table, $THREADS sessions, unique_checks=0 foreign_key_checks=0 sql_log_bin=0; then ALTER TABLE ADD the secondary indexes"
    meta settings.clk_tck "$CLK_TCK"
    meta machine.loadavg_at_start "$(cut -d' ' -f1-3 /proc/loadavg)"
}

report() {
    python3 - "$WORK/meta.tsv" "$WORK/dataset.tsv" "$RESULTS" "$OUT" <<'EOF'
import json, sys
meta_f, data_f, res_f, out_f = sys.argv[1:5]
meta = {}
for line in open(meta_f):
    k, v = line.rstrip("\n").split("\t", 1)
    sect, key = k.split(".", 1)
    meta.setdefault(sect, {})[key] = v
dataset = []
for line in open(data_f):
    n, rows, raw, inno = line.rstrip("\n").split("\t")
    dataset.append({"table": n, "rows": int(rows), "raw_bytes": int(raw), "innodb_bytes": int(inno)})
rows = []
for line in open(res_f):
    f = line.rstrip("\n").split("\t")
    r = {"scale": int(f[0]), "phase": f[1], "tool": f[2], "wall_s": float(f[3]),
         "client_cpu_s": float(f[4]), "server_cpu_s": float(f[5]), "client_peak_rss_kib": int(f[6]),
         "output_bytes": int(f[7]), "verified": f[8], "rows": int(f[9]), "raw_bytes": int(f[10]),
         "note": f[11], "others_cpu_s": float(f[12]),
         "all_wall_s": [float(x) for x in f[13].split(",") if x]}
    ok = r["wall_s"] > 0 and r["verified"] not in ("failed", "no")
    r["rows_per_s"] = round(r["rows"] / r["wall_s"]) if ok else None
    r["raw_mib_per_s"] = round(r["raw_bytes"] / 1048576 / r["wall_s"], 1) if ok else None
    r["counts"] = ok
    rows.append(r)

# --repeat runs in rounds: one row per tool and round; keep the fastest
# row that counts, with every round's wall times, and a failure or a load
# that did not verify in any round marks the tool's row
res, at = [], {}
for r in rows:
    k = (r["scale"], r["phase"], r["tool"])
    if k not in at:
        at[k] = len(res)
        res.append(r)
        continue
    best = res[at[k]]
    walls = best["all_wall_s"] + r["all_wall_s"]
    bad = best if not best["counts"] else r if not r["counts"] else None
    if bad is None and r["wall_s"] < best["wall_s"]:
        best = r
    elif bad is not None:
        best = bad
    best["all_wall_s"] = walls
    res[at[k]] = best

def find(scale, phase, tool):
    for r in res:
        if r["scale"] == scale and r["phase"] == phase and r["tool"] == tool and r["counts"]:
            return r
    return None

def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None

scales = sorted({r["scale"] for r in res})
base = {"dump": "csdump tsv", "load": "csload tsv"}
for r in res:
    ref = find(r["scale"], r["phase"], base[r["phase"]])
    r["ratio_vs_cs"] = ratio(r["wall_s"], ref["wall_s"]) if ref and r["counts"] else None

def fmt(v, d=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{d}f}"
    return str(v)

out = []
settings = meta.get("settings", {})
ver = meta.get("version", {})
mach = meta.get("machine", {})
total_rows = sum(d["rows"] for d in dataset)
total_raw = sum(d["raw_bytes"] for d in dataset)
out.append(f"Machine: {mach.get('cpus')} CPUs ({mach.get('cpu_model')}), "
           f"{int(mach.get('mem_kib', 0)) // 1048576} GiB RAM, Linux {mach.get('kernel')}; "
           f"load average at start {mach.get('loadavg_at_start')}, at end {mach.get('loadavg_at_end')}")
out.append(f"Shape: {settings.get('shape')}; flavor {settings.get('flavor')}")
out.append(f"Server: {ver.get('server')}; {ver.get('csdump')}, {ver.get('csload')} "
           f"(tree {ver.get('source_tree')}); "
           f"{ver.get('mydumper', 'mydumper: not run')} (Debian {ver.get('mydumper_package', '-')}); "
           f"{ver.get('mydumper10', 'mydumper 1.0.1: not run')}; "
           f"{ver.get('mariadb-dump')}; {ver.get('zstd')}")
out.append(f"Threads: {settings.get('threads')}; best of {settings.get('repeat')} run(s); dataset (last generated): {total_rows} rows, "
           f"{total_raw / 1048576:.1f} MiB raw (csdump tsv), "
           f"{sum(d['innodb_bytes'] for d in dataset) / 1048576:.1f} MiB InnoDB (data+index)")
out.append(f"csdump zstd level: {settings.get('csdump_compress_level', '-')}; "
           f"target: {settings.get('target_server_options')}")
out.append("")
out.append("| table | rows | raw MiB | InnoDB MiB |")
out.append("|---|---:|---:|---:|")
for d in dataset[:12]:
    out.append(f"| {d['table']} | {d['rows']} | {d['raw_bytes'] / 1048576:.1f} | {d['innodb_bytes'] / 1048576:.1f} |")
if len(dataset) > 12:
    out.append(f"| ... {len(dataset) - 12} more | {sum(d['rows'] for d in dataset[12:])} | "
               f"{sum(d['raw_bytes'] for d in dataset[12:]) / 1048576:.1f} | "
               f"{sum(d['innodb_bytes'] for d in dataset[12:]) / 1048576:.1f} |")
out.append("")
for sc in scales:
    if len(scales) > 1:
        one = next(r for r in res if r["scale"] == sc)
        out.append(f"### {sc}x: {one['rows']} rows, {one['raw_bytes'] / 1048576:.1f} MiB raw")
        out.append("")
    out.append("| phase | tool | wall s | vs cs | ms/table | rows/s | raw MiB/s | output MiB | client CPU s | server CPU s | client peak RSS MiB | others' CPU s | verified |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in res:
        if r["scale"] != sc:
            continue
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["phase"], r["tool"], fmt(r["wall_s"], 2), fmt(r["ratio_vs_cs"], 2),
            fmt(round(1000 * r["wall_s"] / len(dataset), 3) if r["counts"] and dataset else None, 3),
            fmt(r["rows_per_s"]), fmt(r["raw_mib_per_s"]),
            fmt(r["output_bytes"] / 1048576) if r["output_bytes"] else "-",
            fmt(r["client_cpu_s"]), fmt(r["server_cpu_s"]),
            fmt(r["client_peak_rss_kib"] / 1024), fmt(r["others_cpu_s"]), r["verified"]))
    out.append("")

targets = []
def target(name, a, b, limit):
    if a is None or b is None:
        return
    v = ratio(a["wall_s"], b["wall_s"])
    targets.append({"target": name, "value": v, "limit": limit, "met": v <= limit})

if len(scales) == 1:
    s = scales[0]
    d, l = find(s, "dump", "csdump tsv"), find(s, "load", "csload tsv")
    target("csdump tsv / mydumper (uncompressed)", d, find(s, "dump", "mydumper"), 1.0)
    target("csdump tsv / mariadb-dump + zstd -3", d, find(s, "dump", "mariadb-dump + zstd -3"), 0.4)
    target("csdump tsv / streaming floor", d, find(s, "dump", "floor: stream (cs_stream_floor)"), 1.5)
    target("csload tsv / myloader (uncompressed)", l, find(s, "load", "myloader"), 0.75)
    target("csload tsv / LOAD DATA floor (indexes included)", l, find(s, "load", "floor: LOAD DATA + indexes"), 1.2)
    target("csdump tsv -> s3 / csdump tsv (directory)", find(s, "dump", "csdump tsv -> s3"), d, 1.3)
    target("csload tsv <- s3 / csload tsv (directory)", find(s, "load", "csload tsv <- s3"), l, 1.3)
    target("csdump tsv --sign-key / csdump tsv", find(s, "dump", "csdump tsv --sign-key"), d, 1.10)
    target("csdump tsv --encrypt-key / csdump tsv", find(s, "dump", "csdump tsv --encrypt-key"), d, 1.25)
    # the fastest myloader 1.0.1 configuration whose load verified
    m10 = [r for r in res if r["scale"] == s and r["phase"] == "load" and r["counts"]
           and r["tool"].startswith("myloader 1.0.1")]
    target("csload tsv --fast-target / fastest myloader 1.0.1 that verifies",
           find(s, "load", "csload tsv --fast-target"),
           min(m10, key=lambda r: r["wall_s"]) if m10 else None, 0.6)
for tool, phase, lim in (("csdump tsv", "dump", 64), ("csdump sql", "dump", 64),
                         ("csload tsv", "load", 128), ("csload sql", "load", 128)):
    for s in scales:
        r = find(s, phase, tool)
        if r:
            v = round(r["client_peak_rss_kib"] / 1024, 1)
            targets.append({"target": f"{tool} peak RSS MiB at {s}x", "value": v, "limit": lim,
                            "met": v < lim})
if targets:
    out.append("| target | value | limit | met |")
    out.append("|---|---:|---:|---|")
    for t in targets:
        out.append(f"| {t['target']} | {t['value']} | {t['limit']} | {'yes' if t['met'] else 'NO'} |")
    out.append("")

growth = []
if len(scales) > 1:
    lo, hi = scales[0], scales[-1]
    out.append(f"Growth from {lo}x to {hi}x (time should grow {hi // lo}x, peak memory not at all):")
    out.append("")
    out.append(f"| phase | tool | wall s {lo}x | wall s {hi}x | wall ratio | rows/s {lo}x | rows/s {hi}x | RSS MiB {lo}x | RSS MiB {hi}x | RSS ratio |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in res:
        if r["scale"] != lo:
            continue
        h = find(hi, r["phase"], r["tool"])
        if not h or not r["counts"]:
            continue
        g = {"phase": r["phase"], "tool": r["tool"], "factor": hi // lo,
             "wall_s": [r["wall_s"], h["wall_s"]], "wall_ratio": ratio(h["wall_s"], r["wall_s"]),
             "rows_per_s": [r["rows_per_s"], h["rows_per_s"]],
             "peak_rss_kib": [r["client_peak_rss_kib"], h["client_peak_rss_kib"]],
             "rss_ratio": ratio(h["client_peak_rss_kib"], r["client_peak_rss_kib"])}
        growth.append(g)
        out.append("| %s | %s | %.2f | %.2f | %.2f | %s | %s | %.1f | %.1f | %.2f |" % (
            g["phase"], g["tool"], g["wall_s"][0], g["wall_s"][1], g["wall_ratio"],
            g["rows_per_s"][0], g["rows_per_s"][1], g["peak_rss_kib"][0] / 1024,
            g["peak_rss_kib"][1] / 1024, g["rss_ratio"]))
    out.append("")
print("\n".join(out))
json.dump({"machine": mach, "versions": ver, "settings": settings, "dataset": dataset,
           "results": res, "targets": targets, "scale_growth": growth},
          open(out_f, "w"), indent=2)
print(f"(JSON: {out_f})")
EOF
}

# ---- main -----------------------------------------------------------------

run_all() {
    generate "$SIZE_MB"
    reference_dump
    for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
        run_round
    done
}

# run_round: every selected dump, then every load, once (report() keeps
# the fastest of the rounds' rows of each tool)
run_round() {
    if selected csdump; then dump_csdump 1; fi
    if selected mydumper; then dump_mydumper; fi
    if selected mydumper10; then dump_mydumper10; fi
    if selected mariadb-dump; then dump_mariadb_dump; fi
    if selected floor; then floor_stream; fi
    if selected s3; then dump_s3; fi
    if selected csdump; then load_csload 1; load_csload_one_thread; fi
    if selected s3; then load_s3; fi
    if selected mydumper; then load_myloader; fi
    if selected mydumper10; then load_myloader10; fi
    if selected mariadb-dump; then load_mariadb; fi
    if selected floor; then floor_load; fi
}

run_scale() {
    local factor
    for factor in 1 "$SCALE"; do
        generate $((SIZE_MB * factor))
        reference_dump
        rm -rf "$WORK"/d-csdump-*
        DUMP_OK=()
        dump_csdump "$factor"
        load_csload "$factor"
    done
}

main() {
    parse_args "$@"
    shape_init
    check_requirements
    build_tools
    setup_work
    CLK_TCK=$(getconf CLK_TCK)
    if [ "$SCALE" -eq 0 ] && selected mydumper10; then mydumper10_build; fi
    start_source
    collect_meta
    if [ "$SCALE" -gt 0 ]; then
        run_scale
    else
        run_all
    fi
    meta machine.loadavg_at_end "$(cut -d' ' -f1-3 /proc/loadavg)"
    report
    [ "$FAILED" -eq 0 ] || { echo "$PROG: some runs failed or did not verify (see above)" >&2; exit 1; }
}

main "$@"
