# bench-shapes.sh - sourced by bench.sh: the dataset shapes (--shape), the
# server flavor (--flavor) and the mydumper/myloader 1.0.1 peer.
#
# A shape sets the schemas it lives in (SCHEMAS), how csdump and mydumper
# select them (CS_SEL, MYD_SEL) and generates its data on the source:
#   mixed        sysbench-style tables plus awkward-type tables in `bench`
#   one-table    all of --size-mb in one sysbench-style table (one secondary index)
#   many-tables  --tables N small tables (3 rows, a secondary index each) in
#                100 schemas m000..m099, a view per schema, a trigger every
#                100 tables
# Generated SQL uses MariaDB's sequence engine, or a recursive CTE on MySQL.

SHAPE=mixed
MANY_TABLES=10000
MANY_SCHEMAS=100
MYD10_DIR=${MYDUMPER10_DIR:-/var/tmp/mydumper-1.0} # cache of ../shared/peers/build-mydumper.sh
PEERS_SCRIPT=${BENCH_PEERS_SCRIPT:-$REPO/../shared/peers/build-mydumper.sh}

shape_args() { # shape_args OPTION VALUE: 0 when taken
    case "$1" in
    --shape)
        case "$2" in
        mixed | one-table | many-tables) SHAPE=$2 ;;
        *) echo "$PROG: --shape: mixed, one-table or many-tables, not '$2'" >&2; exit 2 ;;
        esac ;;
    --tables) positive "$1" "$2"; MANY_TABLES=$2 ;;
    --mydumper10-configs) myd10_select "$2" ;;
    --flavor)
        case "$2" in
        mariadb-10.11 | mariadb-11.8 | mysql-9.7) export CS_TEST_FLAVOR=$2 ;;
        *) echo "$PROG: --flavor: mariadb-10.11, mariadb-11.8 or mysql-9.7, not '$2'" >&2; exit 2 ;;
        esac ;;
    *) return 1 ;;
    esac
}

shape_init() {
    local i
    SCHEMAS=(bench)
    if [ "$SHAPE" = many-tables ]; then
        SCHEMAS=()
        for ((i = 0; i < MANY_SCHEMAS; i++)); do SCHEMAS+=("$(printf 'm%03d' "$i")"); done
    fi
    CS_SEL=(-B "$(IFS=,; echo "${SCHEMAS[*]}")")
    if [ "$SHAPE" = many-tables ]; then
        MYD_SEL=(--regex '^m[0-9]{3}\.') # 0.10 takes one -B only
    else
        MYD_SEL=(-B bench)
    fi
    # 1.0.1 takes a list (with --regex its myloader fails: "Unknown database")
    MYD10_SEL=("${CS_SEL[@]}")
    if [ "${CS_TEST_FLAVOR:-mariadb}" = mysql-9.7 ]; then
        # MySQL 9's default EXPLAIN format is TREE; mydumper 1.0.1 reads the
        # row estimate from the TRADITIONAL one and dies of a segfault on
        # TREE output.  Only mydumper reads EXPLAIN here.
        SRC_OPTS+=" --explain-format=TRADITIONAL"
    fi
    if [ "$SHAPE" = many-tables ]; then
        # a server holding this many tables is configured to keep them open:
        # with more tables than table_open_cache / table_definition_cache
        # every statement on a table reopens it.  Both servers, every tool.
        local c=$((MANY_TABLES + MANY_TABLES / 10 + 1000))
        MANY_CACHE_OPTS="--table-open-cache=$c --table-definition-cache=$c --innodb-open-files=$c"
        # the server caps table_open_cache at about half its open-files
        # limit, itself capped by the limit it inherits: raise both (root)
        local files=$((2 * c + 2000))
        if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$files" ]; then
            ulimit -n "$files" 2>/dev/null ||
                say "cannot raise the open-files limit to $files (the hard limit is $(ulimit -Hn) and this shell may not raise it): the servers cap table_open_cache"
        fi
        MANY_CACHE_OPTS+=" --open-files-limit=$files"
        SRC_OPTS+=" $MANY_CACHE_OPTS"
        TGT_OPTS+=" $MANY_CACHE_OPTS"
    fi
}

# caches_in_effect NAME: what server NAME made of the cache options (a
# server caps table_open_cache and innodb_open_files by its open-files limit)
caches_in_effect() {
    sql "$1" "SELECT CONCAT('table_open_cache=', @@table_open_cache, ' table_definition_cache=',
              @@table_definition_cache, ' innodb_open_files=', @@innodb_open_files,
              ' open_files_limit=', @@open_files_limit)"
}

# The mydumper/myloader 1.0.1 peer, built once into MYD10_DIR (outside the repo).
mydumper10_build() {
    if [ ! -x "$MYD10_DIR/mydumper" ] || [ ! -x "$MYD10_DIR/myloader" ]; then
        [ -f "$PEERS_SCRIPT" ] || die "mydumper 1.0.1: $PEERS_SCRIPT is missing (or set MYDUMPER10_DIR)"
        say "building mydumper/myloader 1.0.1 into $MYD10_DIR"
        bash "$PEERS_SCRIPT" "$MYD10_DIR" >"$WORK/log-build-mydumper10.txt" 2>&1 ||
            { tail -n 20 "$WORK/log-build-mydumper10.txt" >&2; die "building mydumper 1.0.1 failed"; }
    fi
    MYDUMPER10=$MYD10_DIR/mydumper
    MYLOADER10=$MYD10_DIR/myloader
}

# seq_from FROM TO: a row source of column `seq` (FROM..TO) for this flavor
seq_from() {
    if [ "${FLAVOR%%-*}" = mysql ]; then
        echo "(WITH RECURSIVE s (seq) AS (SELECT $1 UNION ALL SELECT seq + 1 FROM s WHERE seq < $2) SELECT seq FROM s) q"
    else
        echo "seq_$1_to_$2"
    fi
}

shape_plan() { # shape_plan SIZE_MB: TABLES for the mixed and one-table shapes
    if [ "$SHAPE" = one-table ]; then
        local rows=$(($1 * 1048576 / SB_ROW_BYTES))
        [ "$rows" -ge 1000 ] || rows=1000
        TABLES=("sbtest1:$rows")
    else
        plan_dataset "$1"
    fi
}

# many_sql DIR: one SQL file per schema, MANY_TABLES tables in all
many_sql() {
    awk -v n="$MANY_TABLES" -v s="$MANY_SCHEMAS" -v out="$1" 'BEGIN {
      for (i = 0; i < n; i++) {
        sc = i % s; f = sprintf("%s/m%03d.sql", out, sc)
        if (!(sc in started)) {
          started[sc] = 1
          printf "SET SESSION sql_log_bin = 0;\nCREATE DATABASE m%03d;\nUSE m%03d;\n", sc, sc > f
        }
        t = sprintf("t%05d", i)
        printf "CREATE TABLE %s (id INT NOT NULL PRIMARY KEY, k INT NOT NULL, v VARCHAR(32) NOT NULL, KEY k_idx (k)) ENGINE=InnoDB;\n", t > f
        printf "INSERT INTO %s VALUES (1, %d, \"a%d\"), (2, %d, \"b%d\"), (3, %d, \"c%d\");\n", t, i, i, i + 1, i, i + 2, i > f
        if (i % 101 == 0) # every 100 tables or so, spread over the schemas
          printf "CREATE TRIGGER tr_%s BEFORE INSERT ON %s FOR EACH ROW SET NEW.k = NEW.k;\n", t, t > f
        last[sc] = t
      }
      for (sc in started) {
        f = sprintf("%s/m%03d.sql", out, sc)
        printf "CREATE VIEW v_m%03d AS SELECT id, k FROM %s;\n", sc, last[sc] > f
        close(f)
      }
    }'
}

generate_many() {
    local t0=$SECONDS s
    say "generating $MANY_TABLES tables in $MANY_SCHEMAS schemas"
    for s in "${SCHEMAS[@]}"; do
        echo "DROP DATABASE IF EXISTS $s;"
    done | { echo "SET SESSION sql_log_bin = 0;"; cat; } | sql_file src /dev/stdin
    rm -rf "$WORK/gen"
    mkdir -p "$WORK/gen"
    many_sql "$WORK/gen"
    # shellcheck disable=SC2016 # expanded by sh
    ls "$WORK"/gen/*.sql | xargs -d '\n' -P 2 -n 1 sh -c 'exec mariadb --defaults-file="$0" <"$1"' \
        "$WORK/src/client.cnf" || die "generating the dataset failed"
    schema_sizes >"$WORK/innodb.tsv"
    say "generated in $((SECONDS - t0)) s; hashing the source's tables"
    table_hashes src "${SCHEMAS[@]}" >"$WORK/hash-src"
    [ -s "$WORK/hash-src" ] || die "no tables hashed on the source"
}

# schema_sizes: "schema.table rows bytes" of the shape's base tables
schema_sizes() {
    sql src "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME), TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH
             FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'
             AND TABLE_SCHEMA IN ($(printf "'%s'," "${SCHEMAS[@]}" | sed 's/,$//')) ORDER BY 1"
}

# ---- mydumper/myloader 1.0.1 ------------------------------------------------

# name, then mydumper 1.0.1 options, of each configuration
MYD10_CONFIGS=("mydumper 1.0.1|" "mydumper 1.0.1 -c zstd|-c zstd" "mydumper 1.0.1 --format LOAD_DATA|--format LOAD_DATA")

# myd10_select LIST: keep only the named configurations (plain, zstd, load-data)
myd10_select() {
    local want=",$1," cfg key
    local -a kept=()
    for cfg in "${MYD10_CONFIGS[@]}"; do
        case "${cfg#*|}" in
        "") key=plain ;;
        "-c zstd") key=zstd ;;
        *) key=load-data ;;
        esac
        case "$want" in *",$key,"*) kept+=("$cfg") ;; esac
    done
    [ ${#kept[@]} -gt 0 ] || { echo "$PROG: --mydumper10-configs: plain, zstd or load-data, not '$1'" >&2; exit 2; }
    MYD10_CONFIGS=("${kept[@]}")
}

myd10_dir() { echo "$WORK/d-$(echo "$1" | tr -c 'a-zA-Z0-9\n' '_' | tr -s _)"; }

dump_mydumper10() {
    local cfg name opts dir
    local -a o
    for cfg in "${MYD10_CONFIGS[@]}"; do
        name=${cfg%%|*} opts=${cfg#*|}
        dir=$(myd10_dir "$name")
        read -r -a o <<<"$opts"
        # on MySQL 9 it exits 1 after a complete dump: SHOW MASTER STATUS,
        # which it reads for the coordinates, is gone
        DUMP_ACCEPT=
        [ "${FLAVOR%%-*}" = mysql ] &&
            DUMP_ACCEPT="1|exit status 1: no binlog coordinates (MySQL 9 has no SHOW MASTER STATUS)"
        dump_run 1 "$name" "$dir" "$MYDUMPER10" -S "$(sock src)" -u root -t "$THREADS" \
            "${MYD10_SEL[@]}" -o "$dir" --trx-tables -r "$CHUNK_ROWS" -v 1 "${o[@]}" || true
        DUMP_ACCEPT=
    done
}

load_myloader10() {
    local cfg name
    for cfg in "${MYD10_CONFIGS[@]}"; do
        name=${cfg%%|*}
        load_run 1 "myloader 1.0.1${name#mydumper 1.0.1}" "$(myd10_dir "$name")" \
            "$MYLOADER10" -S @SOCK@ -u root -t "$THREADS" -d "$(myd10_dir "$name")" -v 1
    done
}

# one-table: does a second load thread help?  csload -t 1 beside -t THREADS
load_csload_one_thread() {
    [ "$SHAPE" = one-table ] && [ "$THREADS" -gt 1 ] || return 0
    load_run 1 "csload tsv -t 1" "$WORK/d-csdump-tsv" \
        "$CSLOAD" --no-defaults -S @SOCK@ -u root -t 1 --no-progress -q "$WORK/d-csdump-tsv"
}
