#include "load/chunk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/fault.h"
#include "common/quote.h"
#include "format/sqlenc.h"
#include "format/tsv.h"
#include "load/check.h"
#include "load/chunk_bound.h"
#include "load/compat.h"
#include "load/journal.h"
#include "load/jsoncheck.h"
#include "load/share.h"
#include "load/stmtcheck.h"
#include "load/tablepath.h"

#define INSERT_MAX (1024u * 1024u)
/* the least bytes of values an array of bound rows holds (load_chunk_bound_bytes) */
#define BOUND_BYTES_MIN (64u * 1024u)

void load_chunk_item(struct cs_buf *b, const struct fmt_chunk *c)
{
    cs_buf_printf(b, "chunk:%s", c->file);
}

void load_chunk_load_sql(struct cs_buf *b, const struct fmt_table *t)
{
    struct cs_buf q = CS_BUF_INIT;
    int sets = 0;

    cs_buf_puts(b, "LOAD DATA LOCAL INFILE '" LOAD_INFILE_NAME "' INTO TABLE ");
    cs_quote_qualified(b, t->schema, t->name);
    cs_buf_puts(b, " CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' "
                   "LINES TERMINATED BY '\\n' (");
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (i)
            cs_buf_putc(b, ',');
        if (fmt_col_needs_load_var(t->columns[i].kind))
            cs_buf_printf(b, "@v%zu", i);
        else
            cs_quote_ident(b, t->columns[i].name);
    }
    cs_buf_putc(b, ')');
    for (size_t i = 0; i < t->ncolumns; i++) {
        char var[32];
        if (!fmt_col_needs_load_var(t->columns[i].kind))
            continue;
        cs_buf_puts(b, sets++ ? ", " : " SET ");
        cs_buf_reset(&q);
        cs_quote_ident(&q, t->columns[i].name);
        snprintf(var, sizeof(var), "@v%zu", i);
        fmt_col_load_set(b, t->columns[i].kind, q.failed ? "" : q.data, var);
    }
    cs_buf_release(&q);
}

int load_chunk_warnings(struct cs_conn *conn, const struct load_chunk_job *job,
                        struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    struct cs_buf w = CS_BUF_INIT;

    unsigned count = conn->warnings;

    if (count == 0)
        return 0;
    if (cs_conn_query(conn, "SHOW WARNINGS LIMIT 3", &res, err) == 0) {
        while ((row = cs_result_row(res)))
            cs_buf_printf(&w, " [%s %s: %s]", row[0], row[1], row[2]);
        cs_result_free(res);
    }
    cs_error_set(err, CS_ERR_SERVER,
                 "%s.%s chunk %s: the server reported %u warning(s) (data would be lost%s):%s",
                 job->t->schema, job->t->name, job->c->file, count,
                 job->t->transactional ? ", so nothing of the chunk was kept" : "",
                 w.data ? w.data : "");
    cs_buf_release(&w);
    return -1;
}

/* Opens the chunk: file -> counter (hash of the file bytes) -> zstd. */
static struct fmt_source *open_chunk(const struct load_chunk_job *job, struct fmt_source **counter,
                                     struct cs_error *err)
{
    struct fmt_source *raw = job->in->open(job->in, job->c->file, err);

    *counter = raw ? fmt_source_counter_sha_new(raw, job->c->sha256[0] != '\0', err) : NULL;
    if (!*counter)
        return NULL;
    if (job->m->compress == FMT_COMPRESS_ZSTD)
        return fmt_source_zstd_new(*counter, job->c->file, err);
    return *counter;
}

/* The whole file passed through the counter and matches the manifest. */
static int check_file(const struct load_chunk_job *job, struct fmt_source *counter,
                      struct cs_error *err)
{
    if (job->early_hash) {
        char buf[65536];
        uint64_t bytes;
        ssize_t n;
        while ((n = fmt_source_read(counter, buf, sizeof(buf), err)) > 0)
            ;
        if (n < 0)
            return -1;
        fmt_source_counter_result(counter, &bytes, job->early_hash);
        return 0;
    }
    return load_check_drain(job->in, job->c->file, counter, job->c->file_bytes, job->c->file_hash,
                            job->c->sha256, err);
}

static int via_infile(struct cs_conn *conn, struct load_infile *inf,
                      const struct load_chunk_job *job, struct fmt_source *src, uint64_t *rows,
                      struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    load_chunk_load_sql(&sql, job->t);
    if (cs_buf_failed(&sql)) {
        cs_buf_release(&sql);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    load_infile_arm(inf, src);
    rc = cs_conn_exec(conn, sql.data, err);
    cs_buf_release(&sql);
    if (rc < 0 && inf->state == LOAD_INFILE_FAILED && err->code != CS_ERR_CONN_LOST)
        cs_error_copy(err, &inf->err); /* the file's problem, not the server's echo of it */
    if (rc < 0)
        return -1;
    *rows = conn->affected;
    return load_chunk_warnings(conn, job, err);
}

static int run_insert(struct cs_conn *conn, const struct load_chunk_job *job, struct cs_buf *stmt,
                      uint64_t *rows, struct cs_error *err)
{
    if (cs_buf_failed(stmt))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (cs_conn_exec(conn, stmt->data, err) < 0)
        return -1;
    *rows += conn->affected;
    cs_buf_reset(stmt);
    return load_chunk_warnings(conn, job, err);
}

/* tsv without LOAD DATA LOCAL: decode and INSERT. */
static int via_insert(struct cs_conn *conn, const struct load_chunk_job *job,
                      struct fmt_source *src, uint64_t *rows, struct cs_error *err)
{
    const struct fmt_table *t = job->t;
    struct fmt_tsv_reader *rd = fmt_tsv_reader_new(src, job->c->file, err);
    struct cs_buf stmt = CS_BUF_INIT, cols = CS_BUF_INIT, qual = CS_BUF_INIT;
    unsigned n;
    char **vals;
    size_t *lens;
    int r = -1;

    *rows = 0;
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (i)
            cs_buf_putc(&cols, ',');
        cs_quote_ident(&cols, t->columns[i].name);
    }
    cs_quote_qualified(&qual, t->schema, t->name);
    while (rd && (r = fmt_tsv_reader_next(rd, &n, &vals, &lens, err)) == 1) {
        if (n != t->ncolumns) {
            r = cs_error_set(err, CS_ERR_FORMAT, "%s: a row has %u fields, %s.%s has %zu columns",
                             job->c->file, n, t->schema, t->name, t->ncolumns);
            break;
        }
        cs_buf_puts(&stmt, stmt.len ? ",(" : "");
        if (stmt.len == 0) {
            fmt_sql_insert_prefix(&stmt, qual.data ? qual.data : "", cols.data ? cols.data : "");
            cs_buf_putc(&stmt, '(');
        }
        for (unsigned i = 0; i < n && r == 1; i++) {
            if (i)
                cs_buf_putc(&stmt, ',');
            if (fmt_sql_append_value(&stmt, t->columns[i].kind, vals[i], lens[i], err) < 0)
                r = cs_error_prefix(err, "%s.%s.%s, chunk %s", t->schema, t->name,
                                    t->columns[i].name, job->c->file);
        }
        if (r < 0)
            break;
        cs_buf_putc(&stmt, ')');
        if (stmt.len >= INSERT_MAX && run_insert(conn, job, &stmt, rows, err) < 0) {
            r = -1;
            break;
        }
    }
    if (r == 0 && stmt.len && run_insert(conn, job, &stmt, rows, err) < 0)
        r = -1;
    fmt_tsv_reader_free(rd);
    cs_buf_release(&stmt);
    cs_buf_release(&cols);
    cs_buf_release(&qual);
    return rd && r == 0 ? 0 : -1;
}

size_t load_chunk_bound_bytes(unsigned long long max_packet)
{
    unsigned long long half = max_packet / 2; /* the rest: lengths, indicators, headers */

    if (half >= LOAD_PATH_BOUND_BYTES)
        return LOAD_PATH_BOUND_BYTES;
    return half <= BOUND_BYTES_MIN ? BOUND_BYTES_MIN : half;
}

int load_chunk_bindable(const struct fmt_table *t)
{
    for (size_t i = 0; i < t->ncolumns; i++) {
        enum fmt_col_kind k = t->columns[i].kind;
        if (k != FMT_COL_NUMBER && k != FMT_COL_STRING && k != FMT_COL_BINARY)
            return 0; /* a conversion the server makes in LOAD DATA's SET or the INSERT text */
    }
    return t->ncolumns > 0;
}

/* sql chunks: every statement of the file, rows counted from the INSERTs. */
static int via_sql(struct cs_conn *conn, const struct load_chunk_job *job, struct fmt_source *src,
                   uint64_t *rows, struct cs_error *err)
{
    struct fmt_sql_reader *rd = fmt_sql_reader_new(src, job->c->file, err);
    const char *stmt;
    size_t len;
    int r = -1;

    *rows = 0;
    while (rd && (r = fmt_sql_reader_next(rd, &stmt, &len, err)) == 1) {
        char *translated = NULL;
        int rc = load_stmtcheck_chunk(stmt, len, job->t, job->c->file, err);

        if (rc == 0)
            continue; /* csdump's SET frame: the session has all of it */
        if (rc > 0)
            rc = load_compat_chunk_stmt(job->compat, stmt, len, &translated, err);

        if (rc == 0)
            rc = cs_conn_exec(conn, translated ? translated : stmt, err);
        free(translated);
        if (rc < 0 || load_chunk_warnings(conn, job, err) < 0) {
            r = -1;
            break;
        }
        if (len > 6 && !strncasecmp(stmt, "INSERT", 6))
            *rows += conn->affected;
    }
    fmt_sql_reader_free(rd);
    return rd && r == 0 ? 0 : -1;
}

static int apply_body(struct cs_conn *conn, struct load_infile *inf,
                      const struct load_chunk_job *job, uint64_t *rows, struct cs_error *err)
{
    struct fmt_source *counter = NULL, *src = open_chunk(job, &counter, err);
    int rc;

    if (!src)
        return -1;
    if (job->m->format == FMT_FORMAT_SQL)
        rc = via_sql(conn, job, src, rows, err);
    else if (job->bound && !job->c->typed_values) /* typed JSON: INSERT rebuilds it */
        rc = load_chunk_via_bound(conn, job, src, rows, err);
    else if (job->use_infile && !job->c->typed_values)
        rc = via_infile(conn, inf, job, src, rows, err);
    else
        rc = via_insert(conn, job, src, rows, err);
    if (rc == 0) {
        rc = check_file(job, counter, err);
    } else if (err->code != CS_ERR_CONN_LOST) {
        /* a damaged file explains any failure better than what it caused */
        struct cs_error damaged;
        cs_error_clear(&damaged);
        if (check_file(job, counter, &damaged) < 0 &&
            (damaged.code == CS_ERR_CHECKSUM || damaged.code == CS_ERR_TRUNCATED))
            cs_error_copy(err, &damaged);
    }
    fmt_source_free(src);
    return rc;
}

/* The chunk's claim (load/share.h), in the open transaction (a
 * transactional table) or as a named lock; ITEM gets the journal item.
 * Busy or done: the transaction is rolled back, nothing was touched. */
static int take_claim(struct cs_conn *conn, const struct load_chunk_job *job, struct cs_buf *item,
                      struct cs_error *err)
{
    int tx = job->t->transactional, rc;
    struct cs_error ignore;

    load_chunk_item(item, job->c);
    if (cs_buf_failed(item))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    rc = tx ? load_share_claim(conn, job->dump_id, item->data, job->claim, err)
            : load_share_claim_named(conn, job->dump_id, item->data, job->claim, job->cfg->cancel,
                                     err);
    if (rc > 0 && tx) {
        cs_error_clear(&ignore);
        cs_conn_exec(conn, "ROLLBACK", &ignore);
    }
    return rc;
}

int load_chunk_apply(struct cs_conn *conn, struct load_infile *inf,
                     const struct load_chunk_job *job, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT, item = CS_BUF_INIT, claim_item = CS_BUF_INIT;
    struct cs_error ignore;
    uint64_t rows = 0;
    int tx = job->t->transactional, rc = -1, named = 0;
    char early[LOAD_JOURNAL_CHECKSUM_LEN + 1];

    if (load_jsoncheck_chunk(job->t, job->c, err) < 0)
        return -1;
    /* a non-transactional table's rows land as written: no transaction to
     * share with the journal row (load/nontx.h says how a rerun copes); its
     * claim is a named lock (load/share.h) */
    /* a chunk no fill listed (a streamed archive) gets its claim row first,
     * in its own statement: made inside the transaction, after a FOR UPDATE
     * that found nothing, two loaders' gap locks deadlock */
    if (tx && job->claim == LOAD_CLAIM_WAIT) {
        load_chunk_item(&claim_item, job->c);
        if (cs_buf_failed(&claim_item)) {
            cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (load_share_claim_add(conn, job->dump_id, claim_item.data, err) < 0)
            goto out;
        cs_buf_reset(&claim_item);
    }
    if (tx && job->no_bulk && cs_conn_exec(conn, "SET SESSION unique_checks=1", err) < 0)
        goto out;
    if (tx && cs_conn_exec(conn, "START TRANSACTION", err) < 0)
        goto out;
    if (job->claim && (rc = take_claim(conn, job, &claim_item, err)) != LOAD_CLAIMED)
        goto out;
    named = job->claim && !tx;
    rc = -1;
    if (named && load_share_nontx_begin(conn, job->dump_id, claim_item.data, err) < 0)
        goto out;
    if (apply_body(conn, inf, job, &rows, err) < 0 ||
        cs_fault_hit("load.rows", job->c->file, err) < 0)
        goto out;
    if (job->early_rows)
        *job->early_rows = rows;
    else if (rows != job->c->rows) {
        cs_error_set(err, CS_ERR_CHECKSUM,
                     "%s.%s chunk %s: the server took %llu rows, the manifest says %llu "
                     "(rows already in the table?%s)",
                     job->t->schema, job->t->name, job->c->file, (unsigned long long)rows,
                     (unsigned long long)job->c->rows, tx ? " nothing of the chunk was kept" : "");
        goto out;
    }
    load_chunk_item(&item, job->c);
    load_journal_insert_sql(&sql, job->dump_id, item.data ? item.data : "", rows,
                            job->early_hash ? load_journal_early_checksum(job->early_hash, early)
                                            : job->c->checksum);
    if (cs_buf_failed(&sql) || cs_buf_failed(&item)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (cs_conn_exec(conn, sql.data, err) < 0 ||
        cs_fault_hit("load.commit", job->c->file, err) < 0 ||
        (tx && cs_conn_exec(conn, "COMMIT", err) < 0) ||
        cs_fault_hit("load.committed", job->c->file, err) < 0)
        goto out;
    rc = 0;
out:
    if (tx && job->no_bulk) { /* back to the session's setting (load/session.h) */
        cs_error_clear(&ignore);
        cs_conn_exec(conn, "SET SESSION unique_checks=0", &ignore);
    }
    if (named)
        load_share_release(conn, job->dump_id, claim_item.data);
    cs_buf_release(&claim_item);
    if (rc > 0) { /* busy or done: nothing was touched */
        cs_buf_release(&sql);
        cs_buf_release(&item);
        return rc;
    }
    if (rc < 0 && !tx)
        cs_error_prefix(err,
                        "%s.%s is not transactional: some rows of chunk %s may be in it; "
                        "run the same command again to reload the table whole",
                        job->t->schema, job->t->name, job->c->file);
    else if (rc < 0 && (err->code == CS_ERR_FORMAT || err->code == CS_ERR_TRUNCATED))
        cs_error_prefix(err,
                        "%s.%s: chunk file %s is damaged (copy it again); nothing of it was "
                        "loaded",
                        job->t->schema, job->t->name, job->c->file);
    if (rc < 0 && err->code != CS_ERR_CONN_LOST) {
        cs_error_clear(&ignore);
        if (cs_conn_exec(conn, "ROLLBACK", &ignore) < 0 && ignore.code == CS_ERR_CONN_LOST)
            err->code = err->code == CS_ERR_SERVER ? CS_ERR_CONN_LOST : err->code;
    }
    cs_buf_release(&sql);
    cs_buf_release(&item);
    return rc;
}
