#include "dump/chunk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/fault.h"
#include "common/fs.h"
#include "common/quote.h"
#include "dump/output.h"
#include "format/checksum.h"
#include "format/jsonval.h"
#include "format/manifest.h"
#include "format/names.h"
#include "format/sink.h"
#include "format/sqlenc.h"
#include "format/tsv.h"

#define FLUSH_AT (256u * 1024u)
#define SQL_STATEMENT_MAX (1024u * 1024u)
#define CANCEL_CHECK_ROWS 4096u

int dump_table_sql_build(const struct dump_table *t, struct dump_table_sql *out)
{
    struct cs_buf cols = CS_BUF_INIT, q = CS_BUF_INIT;
    int keyed = t->nkey && dump_plan_key_usable(t);
    unsigned n = 0;

    memset(out, 0, sizeof(*out));
    out->kinds = calloc(t->ncols + 1, sizeof(*out->kinds));
    out->key_pos = calloc(t->nkey + 1, sizeof(size_t));
    out->sel = calloc(t->ncols + 1, sizeof(*out->sel));
    out->key_names = keyed ? calloc(t->nkey + 1, sizeof(char *)) : NULL;
    for (size_t i = 0; out->kinds && out->key_pos && out->sel && i < t->ncols; i++) {
        const struct dump_column *c = &t->cols[i];
        if (c->generated || c->period)
            continue;
        cs_buf_reset(&q);
        cs_quote_ident(&q, c->name);
        if (n)
            cs_buf_putc(&cols, ',');
        cs_buf_puts(&cols, q.data ? q.data : "");
        for (size_t k = 0; k < t->nkey; k++)
            if (t->key[k] == i)
                out->key_pos[k] = n;
        out->has_mysql_json |= c->kind == FMT_COL_MYSQL_JSON;
        out->sel[n] = (struct fmt_sel_col){c->name, c->kind};
        out->kinds[n++] = c->kind;
    }
    for (size_t k = 0; out->key_names && k < t->nkey; k++)
        out->key_names[k] = t->cols[t->key[k]].name;
    cs_buf_reset(&q);
    cs_quote_qualified(&q, t->schema, t->name);
    out->ncols = n;
    out->qualified = cs_buf_detach(&q);
    out->column_list = cs_buf_detach(&cols);
    if (!out->kinds || !out->key_pos || !out->sel || !out->qualified || !out->column_list ||
        (keyed && !out->key_names)) {
        dump_table_sql_release(out);
        return -1;
    }
    return 0;
}

void dump_table_sql_release(struct dump_table_sql *s)
{
    if (!s)
        return;
    free(s->qualified);
    free(s->column_list);
    free(s->sel);
    free(s->key_names);
    free(s->kinds);
    free(s->key_pos);
    memset(s, 0, sizeof(*s));
}

void dump_chunk_result_release(struct dump_chunk_result *r)
{
    if (!r)
        return;
    free(r->file);
    free(r->typed_by_col);
    fmt_bound_free(r->lo);
    fmt_bound_free(r->hi);
    memset(r, 0, sizeof(*r));
}

/* The state of one unit being written. */
struct writer {
    const struct dump_config *cfg;
    const struct dump_table *t;
    const struct dump_table_sql *ts;
    const struct dump_unit *u;
    const struct dump_publish *pub;
    int published;                 /* some file went to the publish hook */
    struct dump_progress *prog;
    struct fmt_sink *top, *counter;
    struct cs_buf buf;
    struct cs_buf line;            /* sql: the row's tsv line, for its hash */
    struct fmt_checksum sum;
    struct dump_chunk_result cur;  /* the file being written */
    uint64_t stmt_bytes;           /* sql: size of the open INSERT */
    struct dump_chunk_result *done;
    size_t ndone;
};

static const char *extension(const struct dump_config *cfg)
{
    if (cfg->format == FMT_FORMAT_SQL)
        return cfg->compress == FMT_COMPRESS_ZSTD ? "sql.zst" : "sql";
    return cfg->compress == FMT_COMPRESS_ZSTD ? "tsv.zst" : "tsv";
}

static int open_file(struct writer *w, struct fmt_bound *lo, struct cs_error *err)
{
    char suffix[64];
    struct fmt_sink *file;

    memset(&w->cur, 0, sizeof(w->cur));
    w->cur.seq = w->u->seq;
    w->cur.sub = w->u->sub0 + (unsigned)w->ndone;
    w->cur.keyed = w->u->keyed;
    w->cur.lo = lo;
    snprintf(suffix, sizeof(suffix), ".%05u.%03u.%s", w->cur.seq, w->cur.sub,
             extension(w->cfg));
    w->cur.file = fmt_name_file(w->t->schema, w->t->name, suffix);
    if (w->ts->has_mysql_json)
        w->cur.typed_by_col = calloc(w->ts->ncols, sizeof(uint64_t));
    if (!w->cur.file || (w->ts->has_mysql_json && !w->cur.typed_by_col))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    file = w->cfg->output->open(w->cfg->output, w->cur.file, err);
    w->counter = fmt_sink_counter_sha_new(file, w->cfg->sign_key != NULL, err);
    w->top = w->cfg->compress == FMT_COMPRESS_ZSTD
                 ? fmt_sink_zstd_new(w->counter, w->cfg->compress_level, err)
                 : w->counter;
    if (!w->top)
        return -1;
    fmt_checksum_init(&w->sum);
    cs_buf_reset(&w->buf);
    w->stmt_bytes = 0;
    if (w->cfg->format == FMT_FORMAT_SQL)
        fmt_sql_header(&w->buf, "");
    return 0;
}

static int flush_buf(struct writer *w, struct cs_error *err)
{
    if (cs_buf_failed(&w->buf))
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory encoding rows", w->cur.file);
    if (w->buf.len && fmt_sink_write(w->top, w->buf.data, w->buf.len, err) < 0)
        return -1;
    w->cur.raw_bytes += w->buf.len;
    atomic_fetch_add(&w->prog->raw_bytes, w->buf.len);
    cs_buf_reset(&w->buf);
    return 0;
}

static int publish(struct writer *w, const struct dump_chunk_result *r, struct cs_error *err)
{
    struct fmt_chunk c = {0};
    char *meta;
    int rc;

    if (!w->pub || !w->pub->file)
        return 0;
    c.file = r->file;
    c.index = r->sub;
    c.rows = r->rows;
    c.raw_bytes = r->raw_bytes;
    c.file_bytes = r->file_bytes;
    memcpy(c.file_hash, r->file_hash, sizeof(c.file_hash));
    memcpy(c.sha256, r->sha256, sizeof(c.sha256));
    memcpy(c.checksum, r->checksum, sizeof(c.checksum));
    c.typed_values = r->typed_values;
    meta = fmt_chunk_meta_to_json(w->t->schema, w->t->name, &c, err);
    if (!meta)
        return -1;
    rc = w->pub->file(w->pub->arg, r->file, meta, err);
    free(meta);
    w->published |= rc == 0;
    return rc;
}

static int close_file(struct writer *w, struct fmt_bound *hi, struct cs_error *err)
{
    void *p;

    if (w->cfg->format == FMT_FORMAT_SQL) {
        if (w->stmt_bytes)
            cs_buf_puts(&w->buf, ";\n");
        fmt_sql_footer(&w->buf);
    }
    if (flush_buf(w, err) < 0 || fmt_sink_finish(w->top, err) < 0)
        return -1;
    fmt_sink_counter_result(w->counter, &w->cur.file_bytes, w->cur.file_hash);
    fmt_sink_counter_sha256(w->counter, w->cur.sha256);
    fmt_sink_free(w->top);
    w->top = w->counter = NULL;
    w->cur.rows = w->sum.rows;
    fmt_checksum_hex(&w->sum, w->cur.checksum);
    p = realloc(w->done, (w->ndone + 1) * sizeof(*w->done));
    if (!p)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    w->done = p;
    w->cur.hi = hi;
    w->done[w->ndone++] = w->cur;
    memset(&w->cur, 0, sizeof(w->cur));
    atomic_fetch_add(&w->prog->file_bytes, w->done[w->ndone - 1].file_bytes);
    atomic_fetch_add(&w->prog->chunks, 1);
    return publish(w, &w->done[w->ndone - 1], err);
}

/* The name of dumped column I (generated and period columns are not). */
static const char *dumped_name(const struct dump_table *t, unsigned i)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (!t->cols[k].generated && !t->cols[k].period && i-- == 0)
            return t->cols[k].name;
    return "?";
}

/* Counts the row's mysql-json values with type tags. */
static void count_typed(struct writer *w, char **row, const unsigned long *lens)
{
    for (unsigned i = 0; i < w->ts->ncols; i++) {
        if (w->ts->kinds[i] == FMT_COL_MYSQL_JSON && row[i] && fmt_jsonval_typed(row[i], lens[i])) {
            w->cur.typed_values++;
            w->cur.typed_by_col[i]++;
        }
    }
}

static int encode_row(struct writer *w, char **row, const unsigned long *lens, struct cs_error *err)
{
    const struct dump_table_sql *ts = w->ts;

    if (ts->has_mysql_json)
        count_typed(w, row, lens);
    if (w->cfg->format == FMT_FORMAT_TSV) {
        fmt_tsv_append_row(&w->buf, row, lens, ts->ncols);
        return 0;
    }
    if (w->stmt_bytes >= SQL_STATEMENT_MAX) {
        cs_buf_puts(&w->buf, ";\n");
        w->stmt_bytes = 0;
    }
    size_t start = w->buf.len;
    if (w->stmt_bytes == 0) {
        fmt_sql_insert_prefix(&w->buf, ts->qualified, ts->column_list);
        cs_buf_puts(&w->buf, "\n(");
    } else {
        cs_buf_puts(&w->buf, ",\n(");
    }
    for (unsigned i = 0; i < ts->ncols; i++) {
        if (i)
            cs_buf_putc(&w->buf, ',');
        if (fmt_sql_append_value(&w->buf, ts->kinds[i], row[i], lens[i], err) < 0)
            return cs_error_prefix(err, "column %s", dumped_name(w->t, i));
    }
    cs_buf_putc(&w->buf, ')');
    w->stmt_bytes += w->buf.len - start;
    return 0;
}

/* Starts a new file at ROW when the current one is full. */
static int maybe_rotate(struct writer *w, char **row, const unsigned long *lens,
                        struct cs_error *err)
{
    struct fmt_bound *boundary = NULL, *next = NULL;
    const char *why = "out of memory";

    if (w->sum.rows < w->cfg->chunk_rows && w->cur.raw_bytes + w->buf.len < w->cfg->chunk_bytes)
        return 0;
    if (w->u->keyed) {
        boundary = dump_key_new(w->t, row, lens, w->ts->key_pos, 0, &why);
        next = boundary ? dump_key_as(boundary, 1) : NULL;
        if (!next) {
            fmt_bound_free(boundary);
            return cs_error_set(err, strcmp(why, "out of memory") ? CS_ERR_INTERNAL : CS_ERR_NOMEM,
                                "%s: a key value that is not %s", w->cur.file, why);
        }
    }
    if (close_file(w, boundary, err) < 0) {
        fmt_bound_free(boundary);
        fmt_bound_free(next);
        return -1;
    }
    return open_file(w, next, err);
}

/* The chunk SELECT (format/chunksel.h), ordered by the key when keyed. */
static void select_sql(struct cs_buf *b, const struct dump_table *t, const struct dump_table_sql *ts,
                       const struct dump_unit *u)
{
    struct fmt_chunk_range r = {ts->key_names, t->nkey, u->lo, u->hi};

    fmt_chunk_select_filtered(b, ts->sel, ts->ncols, t->schema, t->name, u->keyed ? &r : NULL,
                              t->where, u->keyed);
}

/* After a failure: the open partial goes; a keyed unit keeps its finished
 * files (it resumes at the last boundary), an unkeyed one removes them. */
static void discard(struct writer *w, struct cs_error *err)
{
    fmt_sink_free(w->top);
    w->top = w->counter = NULL;
    dump_chunk_result_release(&w->cur);
    if (w->u->keyed)
        return;
    if (w->published) {
        cs_error_prefix(err, "%zu file(s) of this table without a key were already streamed "
                             "and cannot be taken back, so the dump stops: run it again",
                        w->ndone);
        cs_error_escalate(err, CS_SEV_FATAL); /* no retry: cs_error_retryable */
    }
    for (size_t i = 0; i < w->ndone; i++) {
        w->cfg->output->remove(w->cfg->output, w->done[i].file);
        dump_chunk_result_release(&w->done[i]);
    }
    free(w->done);
    w->done = NULL;
    w->ndone = 0;
}

/* The dump.rows fault point (common/fault.h), object "schema.table". */
static int fault_rows(const struct writer *w, struct cs_error *err)
{
#ifdef CS_FAULTS
    char obj[400];

    snprintf(obj, sizeof(obj), "%s.%s", w->t->schema, w->t->name);
    return cs_fault_hit("dump.rows", obj, err);
#else
    (void)w;
    (void)err;
    return 0;
#endif
}

static int stream_rows(struct writer *w, struct cs_result *res,
                       struct cs_error *err)
{
    char **row;
    unsigned long *lens;
    uint64_t n = 0;
    int r;

    while ((r = cs_result_next(res, &row, &lens, err)) == 1) {
        if (!w->top) {
            struct fmt_bound *lo = w->u->lo ? fmt_bound_dup(w->u->lo) : NULL;
            if ((w->u->lo && !lo) || open_file(w, lo, err) < 0)
                return w->u->lo && !lo ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") : -1;
        } else if (maybe_rotate(w, row, lens, err) < 0) {
            return -1;
        }
        size_t before = w->buf.len;
        if (encode_row(w, row, lens, err) < 0)
            return -1;
        if (w->buf.len - before > w->cur.max_row_bytes)
            w->cur.max_row_bytes = w->buf.len - before;
        /* a tsv dump hashes the line it just wrote; sql encodes one to hash */
        if (w->cfg->format == FMT_FORMAT_TSV && !cs_buf_failed(&w->buf))
            fmt_checksum_line(&w->sum, w->buf.data + before, w->buf.len - before - 1);
        else
            fmt_checksum_row(&w->sum, &w->line, row, lens, w->ts->ncols);
        if (w->buf.len >= FLUSH_AT && flush_buf(w, err) < 0)
            return -1;
        if (++n % CANCEL_CHECK_ROWS == 0) {
            atomic_fetch_add(&w->prog->rows, CANCEL_CHECK_ROWS);
            if (fault_rows(w, err) < 0)
                return -1;
            if (cs_cancelled(w->cfg->cancel))
                return cs_error_set(err, CS_ERR_CANCELLED, "interrupted");
        }
    }
    atomic_fetch_add(&w->prog->rows, n % CANCEL_CHECK_ROWS);
    return r;
}

int dump_chunk_run(struct cs_conn *conn, const struct dump_config *cfg,
                   const struct dump_table *t, const struct dump_table_sql *ts,
                   const struct dump_unit *u, const struct dump_publish *pub,
                   struct dump_progress *prog, struct dump_chunk_result **out, size_t *nout,
                   struct cs_error *err)
{
    struct writer w;
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    int rc = -1;

    memset(&w, 0, sizeof(w));
    w.cfg = cfg;
    w.t = t;
    w.ts = ts;
    w.u = u;
    w.pub = pub;
    w.prog = prog;
    *out = NULL;
    *nout = 0;
    select_sql(&sql, t, ts, u);
    if (cs_buf_failed(&sql)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (cs_conn_query_stream(conn, sql.data, &res, err) < 0 || stream_rows(&w, res, err) < 0)
        goto out;
    if (w.top) {
        struct fmt_bound *hi = u->hi ? fmt_bound_dup(u->hi) : NULL;
        if ((u->hi && !hi) || close_file(&w, hi, err) < 0) {
            if (u->hi && !hi)
                cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            else
                fmt_bound_free(hi);
            goto out;
        }
    }
    rc = 0;
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    cs_buf_release(&w.buf);
    cs_buf_release(&w.line);
    if (rc < 0) {
        cs_error_prefix(err, "%s.%s (unit %u)", t->schema, t->name, u->seq);
        discard(&w, err);
    }
    *out = w.done;
    *nout = w.ndone;
    return rc;
}
