#include "load/chunk_bound.h"

#include <pthread.h>
#include <stdlib.h>

#include "common/fault.h"
#include "common/quote.h"
#include "format/tsv.h"
#include "load/tablepath.h"

/* The rows of an array: offsets into ARENA (SIZE_MAX: NULL), lengths,
 * column-major, CAP rows a column. */
struct bound_rows {
    unsigned ncols, cap, n;
    size_t *off;
    const char **vals;
    unsigned long *lens;
    struct cs_buf arena;
};

/* The reader's side: the chunk's rows, and the one that did not fit the
 * last array (its values lent by the reader until its next call). */
struct bound_fill {
    const struct load_chunk_job *job;
    struct fmt_tsv_reader *rd;
    size_t budget;
    int pending;
    unsigned n;
    char **vals;
    size_t *lens;
};

/* Two arrays between the reader's thread and the session's (read-ahead). */
struct bound_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct bound_fill *fill;
    struct bound_rows *rows; /* [2] */
    int full[2];             /* rows[i] is ready for the session */
    int eof;                 /* the reader is done: r says how */
    int stop;                /* the session failed: the reader stops */
    int r;
    struct cs_error err;
};

static int rows_init(struct bound_rows *br, unsigned ncols)
{
    size_t cells = (size_t)ncols * LOAD_PATH_BOUND_ROWS;

    *br = (struct bound_rows){.ncols = ncols, .cap = LOAD_PATH_BOUND_ROWS};
    cs_buf_init(&br->arena);
    br->off = malloc(cells * sizeof(*br->off));
    br->vals = malloc(cells * sizeof(*br->vals));
    br->lens = malloc(cells * sizeof(*br->lens));
    return br->off && br->vals && br->lens ? 0 : -1;
}

static void rows_free(struct bound_rows *br)
{
    cs_buf_release(&br->arena);
    free(br->off);
    free(br->vals);
    free(br->lens);
}

/* One row into BR: its values copied (the reader lends them). */
static void rows_add(struct bound_rows *br, char **vals, const size_t *lens)
{
    for (unsigned i = 0; i < br->ncols; i++) {
        size_t at = (size_t)i * br->cap + br->n;
        br->off[at] = vals[i] ? br->arena.len : SIZE_MAX;
        br->lens[at] = vals[i] ? (unsigned long)lens[i] : 0;
        if (vals[i])
            cs_buf_append(&br->arena, vals[i], lens[i]);
    }
    br->n++;
}

/* Fills BR (empty) with the chunk's next rows: 1 = BR is full (the next
 * row, if any, waits in F), 0 = the chunk's end (BR holds the last rows,
 * maybe none), -1 = ERR. */
static int fill(struct bound_fill *f, struct bound_rows *br, struct cs_error *err)
{
    const struct fmt_table *t = f->job->t;
    int r = 0;

    if (f->pending) {
        f->pending = 0;
        rows_add(br, f->vals, f->lens);
    }
    while (br->n < br->cap && (r = fmt_tsv_reader_next(f->rd, &f->n, &f->vals, &f->lens, err)) == 1) {
        size_t bytes = 0;

        if (f->n != t->ncolumns)
            return cs_error_set(err, CS_ERR_FORMAT, "%s: a row has %u fields, %s.%s has %zu columns",
                                f->job->c->file, f->n, t->schema, t->name, t->ncolumns);
        for (unsigned i = 0; i < f->n; i++)
            bytes += f->vals[i] ? f->lens[i] : 0;
        /* a row that would overflow the array goes into the next one */
        if (br->n && br->arena.len + bytes > f->budget) {
            f->pending = 1;
            return 1;
        }
        rows_add(br, f->vals, f->lens);
    }
    if (r >= 0 && cs_fault_hit("load.fill", f->job->c->file, err) < 0)
        return -1;
    return br->n == br->cap ? 1 : r;
}

/* Runs BR's rows (if any) on the session and empties it. */
static int flush(struct cs_conn *conn, const struct load_chunk_job *job, struct cs_bulk *b,
                 struct bound_rows *br, uint64_t *rows, struct cs_error *err)
{
    if (br->n == 0)
        return 0;
    if (cs_buf_failed(&br->arena))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (cs_fault_hit("load.array", job->c->file, err) < 0)
        return -1;
    for (size_t col = 0; col < br->ncols; col++)
        for (size_t i = col * br->cap; i < col * br->cap + br->n; i++) {
            size_t o = br->off[i];
            /* an empty value still points somewhere: NULL is SQL NULL */
            br->vals[i] = o == SIZE_MAX ? NULL : br->lens[i] ? br->arena.data + o : "";
        }
    if (cs_bulk_exec(b, br->n, br->cap, br->vals, br->lens, err) < 0)
        return -1;
    *rows += conn->affected;
    br->n = 0;
    cs_buf_reset(&br->arena);
    return load_chunk_warnings(conn, job, err);
}

/* One thread: fill an array, run it, until the end. */
static int run_inline(struct cs_conn *conn, const struct load_chunk_job *job, struct cs_bulk *b,
                      struct bound_fill *f, struct bound_rows *br, uint64_t *rows,
                      struct cs_error *err)
{
    int r;

    do {
        r = fill(f, br, err);
        if (r >= 0 && flush(conn, job, b, br, rows, err) < 0)
            r = -1;
    } while (r == 1);
    return r;
}

static void *reader_main(void *arg)
{
    struct bound_pipe *p = arg;
    unsigned k = 0;
    int r;

    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->full[k] && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            return NULL;
        r = fill(p->fill, &p->rows[k], &p->err);
        pthread_mutex_lock(&p->mu);
        p->full[k] = r >= 0 && p->rows[k].n > 0;
        if (r <= 0) {
            p->eof = 1;
            p->r = r;
        }
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (r <= 0)
            return NULL;
        k ^= 1;
    }
}

/* Two threads: the reader fills one array while the session runs the
 * other.  1 = the reader's thread could not start (nothing was read). */
static int run_ahead(struct cs_conn *conn, const struct load_chunk_job *job, struct cs_bulk *b,
                     struct bound_fill *f, struct bound_rows *br, uint64_t *rows,
                     struct cs_error *err)
{
    struct bound_pipe p = {.fill = f, .rows = br};
    pthread_t th;
    unsigned k = 0;
    int r = 0;

    cs_error_clear(&p.err);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    if (pthread_create(&th, NULL, reader_main, &p) != 0) {
        pthread_cond_destroy(&p.cv);
        pthread_mutex_destroy(&p.mu);
        return 1;
    }
    for (;;) {
        pthread_mutex_lock(&p.mu);
        while (!p.full[k] && !p.eof)
            pthread_cond_wait(&p.cv, &p.mu);
        int ready = p.full[k] && p.r >= 0;
        pthread_mutex_unlock(&p.mu);
        if (!ready)
            break; /* the end, or the reader's error (p.r) */
        r = flush(conn, job, b, &br[k], rows, err);
        pthread_mutex_lock(&p.mu);
        p.full[k] = 0;
        p.stop = r < 0;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        if (r < 0)
            break;
        k ^= 1;
    }
    pthread_join(th, NULL);
    if (r == 0 && p.r < 0) {
        cs_error_copy(err, &p.err);
        r = -1;
    }
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    return r;
}

/* INSERT INTO t (c1,...) VALUES (?,...) */
static void insert_sql(struct cs_buf *sql, const struct fmt_table *t)
{
    cs_buf_puts(sql, "INSERT INTO ");
    cs_quote_qualified(sql, t->schema, t->name);
    for (size_t i = 0; i < t->ncolumns; i++) {
        cs_buf_puts(sql, i ? "," : " (");
        cs_quote_ident(sql, t->columns[i].name);
    }
    cs_buf_puts(sql, ") VALUES (");
    for (size_t i = 0; i < t->ncolumns; i++)
        cs_buf_puts(sql, i ? ",?" : "?");
    cs_buf_putc(sql, ')');
}

int load_chunk_via_bound(struct cs_conn *conn, const struct load_chunk_job *job,
                         struct fmt_source *src, uint64_t *rows, struct cs_error *err)
{
    const struct fmt_table *t = job->t;
    unsigned ncols = (unsigned)t->ncolumns;
    struct bound_fill f = {.job = job, .budget = job->bound_bytes ? job->bound_bytes
                                                                  : LOAD_PATH_BOUND_BYTES};
    struct bound_rows br[2];
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_bulk bulk = {0};
    int arrays = job->read_ahead ? 2 : 1, r = -1, ok = 1;

    *rows = 0;
    for (int i = 0; i < arrays; i++)
        ok &= rows_init(&br[i], ncols) == 0;
    insert_sql(&sql, t);
    f.rd = fmt_tsv_reader_new(src, job->c->file, err);
    if (!ok || cs_buf_failed(&sql)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (!f.rd || cs_bulk_prepare(&bulk, conn, sql.data, ncols, err) < 0)
        goto out;
    r = arrays == 2 ? run_ahead(conn, job, &bulk, &f, br, rows, err) : 1;
    if (r == 1) /* one thread, or no second one to be had */
        r = run_inline(conn, job, &bulk, &f, &br[0], rows, err);
out:
    cs_bulk_close(&bulk);
    fmt_tsv_reader_free(f.rd);
    cs_buf_release(&sql);
    for (int i = 0; i < arrays; i++)
        rows_free(&br[i]);
    return r == 0 ? 0 : -1;
}
