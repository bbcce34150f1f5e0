/*
 * chunk.h - dumping one unit (plan.h) into one or more chunk files.
 *
 * The unit's rows stream (mysql_use_result) through the tsv or sql encoder,
 * the data checksum, zstd and a hashing counter into DIR/NAME.partial, which
 * is fsync'd and renamed when complete.  When a file reaches --chunk-rows or
 * --chunk-bytes the next row starts a new file, and for a keyed unit that
 * row's key becomes the exact boundary between the two files.  Memory does
 * not grow with the table.  On any error the file being written is removed;
 * a keyed unit keeps its finished files (the last one's hi is where a redo
 * on another connection resumes), an unkeyed unit removes them too (it is
 * redone whole; when some already went to the publish hook, the error is
 * fatal instead: they cannot be taken back).
 * One unit per thread; dump_table_sql is built once per table and shared
 * read-only.
 */
#ifndef DUMP_CHUNK_H
#define DUMP_CHUNK_H

#include <stdatomic.h>
#include <stdint.h>

#include "common/conn.h"
#include "dump/catalog.h"
#include "dump/config.h"
#include "dump/plan.h"
#include "format/chunksel.h"

struct dump_table_sql {
    char *qualified;            /* `db`.`t` */
    char *column_list;          /* `a`,`b` for INSERT */
    struct fmt_sel_col *sel;    /* the dumped columns, for the chunk SELECT (format/chunksel.h) */
    const char **key_names;     /* the key's column names, NULL when unkeyed */
    unsigned ncols;             /* dumped columns */
    enum fmt_col_kind *kinds;   /* per dumped column */
    size_t *key_pos;            /* key columns' positions in the select list */
    int has_mysql_json;         /* some column is FMT_COL_MYSQL_JSON */
};

struct dump_progress {
    atomic_uint_fast64_t rows;
    atomic_uint_fast64_t raw_bytes;
    atomic_uint_fast64_t file_bytes;
    atomic_uint_fast64_t chunks;
};

/* Where finished files go besides the output directory (NULL: nowhere).
 * META is the chunk's description (format/manifest.h fmt_chunk_meta_*). */
struct dump_publish {
    int (*file)(void *arg, const char *name, const char *meta, struct cs_error *err);
    void *arg;
};

struct dump_chunk_result {
    char *file;
    unsigned seq, sub;          /* unit, file within the unit */
    int keyed;
    struct fmt_bound *lo, *hi;   /* NULL = open */
    uint64_t rows, raw_bytes, file_bytes;
    uint64_t max_row_bytes;     /* the longest encoded row */
    char file_hash[33];
    char sha256[65];            /* "" unless the dump is signed */
    char checksum[17];
    uint64_t typed_values;  /* mysql-json values with type tags */
    uint64_t *typed_by_col; /* the same per dumped column; NULL without mysql-json */
};

int dump_table_sql_build(const struct dump_table *t, struct dump_table_sql *out);
void dump_table_sql_release(struct dump_table_sql *s);

/* Dumps unit U of table T.  *out holds the *nout finished files (owned by
 * the caller: dump_chunk_result_release each, then free the array) -- on
 * success all of them, on failure those a keyed unit keeps (the last one's
 * hi is where to resume). */
int dump_chunk_run(struct cs_conn *conn, const struct dump_config *cfg,
                   const struct dump_table *t, const struct dump_table_sql *ts,
                   const struct dump_unit *u, const struct dump_publish *pub,
                   struct dump_progress *prog, struct dump_chunk_result **out, size_t *nout,
                   struct cs_error *err);
void dump_chunk_result_release(struct dump_chunk_result *r);

#endif
