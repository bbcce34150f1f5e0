#include "load/jobs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/progress.h"
#include "format/checksum.h"
#include "format/sqlenc.h"
#include "load/chunk.h"
#include "load/early.h"
#include "load/share.h"
#include "load/verify.h"

static int transient(const struct cs_error *err)
{
    return err->code == CS_ERR_CONN_LOST || cs_conn_errno_is_transient(err->server_errno);
}

/* After a lost connection: reconnect (the server may be restarting). */
static int reconnect(struct load_worker *w, unsigned attempt, struct cs_error *err)
{
    for (unsigned i = 0; i < 10; i++) {
        sleep(1 + attempt);
        if (load_worker_reconnect(w, err) == 0)
            return 0;
    }
    return -1;
}

int load_job_chunk(struct load_worker *w, void *job, void *vctx, struct cs_error *err)
{
    struct load_ctx *ctx = vctx;
    const struct load_chunk_ref *ref = job;
    const struct fmt_table *t = &ctx->m->tables[ref->table];

    int rc = load_job_apply(w, ctx, t, &t->chunks[ref->chunk], err);
    struct load_deferred *d = ctx->deferred;

    if (rc == 0)
        load_early_indexes(w, ctx);
    if (rc != LOAD_CLAIM_BUSY)
        return rc;
    pthread_mutex_lock(&d->mu);
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 64;
        void **p = realloc(d->jobs, nc * sizeof(*p));
        if (p) {
            d->jobs = p;
            d->cap = nc;
        }
    }
    rc = d->n < d->cap ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (rc == 0)
        d->jobs[d->n++] = job;
    pthread_mutex_unlock(&d->mu);
    return rc;
}

/* The chunk's event (ROWS of it; OTHER: another csload committed it), and
 * its table's when it was the table's last; what may be done early with it
 * (load/early.h) is handed on. */
static void chunk_done(struct load_ctx *ctx, const struct fmt_table *t, const struct fmt_chunk *c,
                       uint64_t rows, int other)
{
    size_t ti = (size_t)(t - ctx->m->tables);
    uint64_t raw = 0;
    int last =
        ctx->chunks_left && ti < ctx->m->ntables && atomic_fetch_sub(&ctx->chunks_left[ti], 1) == 1;

    if (other)
        cs_progress_skipped(ctx->cfg->console, rows, c->raw_bytes);
    else
        cs_progress_chunk(ctx->cfg->console, t->schema, t->name, c->file, rows, c->raw_bytes,
                          c->file_bytes);
    /* a keyless table is verified whole, later */
    load_early_committed(ctx, ti, other || t->nkey == 0 ? SIZE_MAX : (size_t)(c - t->chunks), last);
    if (!last)
        return;
    rows = 0;
    for (size_t k = 0; k < t->nchunks; k++) {
        rows += t->chunks[k].rows;
        raw += t->chunks[k].raw_bytes;
    }
    cs_progress_table(ctx->cfg->console, t->schema, t->name, rows, raw, t->nchunks);
}

int load_job_apply(struct load_worker *w, struct load_ctx *ctx, const struct fmt_table *t,
                   const struct fmt_chunk *c, struct cs_error *err)
{
    int rc = load_job_apply_early(w, ctx, t, c, NULL, NULL, err);

    return rc == LOAD_CLAIM_DONE ? 0 : rc;
}

/* One more thread for a chunk's reader, if fewer than --threads work now. */
static int take_thread(struct load_ctx *ctx)
{
    unsigned b = atomic_load(&ctx->busy);

    while (b < ctx->cfg->threads)
        if (atomic_compare_exchange_weak(&ctx->busy, &b, b + 1))
            return 1;
    return 0;
}

int load_job_apply_early(struct load_worker *w, struct load_ctx *ctx, const struct fmt_table *t,
                         const struct fmt_chunk *c, uint64_t *rows, char *hash,
                         struct cs_error *err)
{
    struct load_chunk_job j = {ctx->cfg, ctx->in,         ctx->m,          t,
                               c,        ctx->dump_id, ctx->use_infile, ctx->compat,
                               ctx->deferred ? ctx->claim : (ctx->claim ? LOAD_CLAIM_WAIT : 0),
                               rows,     hash,         0,               0,
                               ctx->bound_bytes, 0};
    struct cs_buf item = CS_BUF_INIT;
    int rc = -1, found = 0, r;
    size_t ti = (size_t)(t - ctx->m->tables);
    int known = ctx->path && ti < ctx->nserial;
    int path = known ? ctx->path[ti] : LOAD_PATH_PARALLEL;
    int serial = path == LOAD_PATH_SERIAL || path == LOAD_PATH_BOUND_SERIAL;
    pthread_mutex_t *one = serial ? &ctx->serial_mu[ti] : NULL;

    if (known && ctx->path[ti] == LOAD_PATH_INSERT)
        j.use_infile = 0;
    j.no_bulk = known && ctx->no_bulk[ti];
    j.bound = path == LOAD_PATH_BOUND || path == LOAD_PATH_BOUND_SERIAL;
    load_early_begin(ctx);
    if (one)
        load_early_lock(w, ctx, one);
    atomic_fetch_add(&ctx->busy, 1);
    j.read_ahead = j.bound && take_thread(ctx);
    if (j.read_ahead)
        cs_log_verbose(ctx->cfg->log, "%s.%s chunk %s: reading ahead on a second thread",
                       t->schema, t->name, c->file);
    load_chunk_item(&item, j.c);
    for (unsigned attempt = 0; attempt <= ctx->cfg->retries; attempt++) {
        r = load_chunk_apply(&w->conn, &w->inf, &j, err);
        if (r == LOAD_CLAIM_BUSY) {
            cs_buf_release(&item);
            rc = r;
            goto out;
        }
        if (r >= 0) {
            rc = r;
            if (r == LOAD_CLAIM_DONE)
                cs_log_verbose(ctx->cfg->log, "%s.%s chunk %s: loaded by another csload",
                               t->schema, t->name, c->file);
            break;
        }
        /* a failed chunk of a non-transactional table may have left rows:
         * only a rerun (which reloads the table whole) can redo it */
        if (!transient(err) || attempt == ctx->cfg->retries || !t->transactional)
            break;
        cs_log_warn(ctx->cfg->log, "%s; retrying the chunk (%u of %u)", err->msg, attempt + 1,
                    ctx->cfg->retries);
        cs_progress_retry(ctx->cfg->console, c->file, attempt + 1, ctx->cfg->retries, err->msg);
        if (err->code == CS_ERR_CONN_LOST) {
            if (reconnect(w, attempt, err) < 0 ||
                load_journal_lookup(&w->conn, ctx->dump_id, item.data, &found, err) < 0)
                break;
            if (found) { /* the COMMIT had landed: not an error */
                cs_error_clear(err);
                rc = 0;
                break;
            }
        }
        cs_error_clear(err);
    }
    cs_buf_release(&item);
    if (rc >= 0) {
        atomic_fetch_add(&ctx->prog.rows, rows ? *rows : j.c->rows);
        atomic_fetch_add(&ctx->prog.bytes, j.c->file_bytes);
        atomic_fetch_add(&ctx->prog.chunks, 1);
        chunk_done(ctx, t, c, rows ? *rows : j.c->rows, rc == LOAD_CLAIM_DONE);
    }
out:
    atomic_fetch_sub(&ctx->busy, 1u + (unsigned)j.read_ahead);
    if (one)
        pthread_mutex_unlock(one);
    load_early_end(ctx, one != NULL);
    return rc;
}

/* Names of the indexes / foreign keys TABLE already has. */
static int existing_names(struct cs_conn *c, const struct fmt_table *t, const char *kind,
                          struct cs_buf *names, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;

    if (!strcmp(kind, "index"))
        cs_buf_puts(&sql, "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS "
                          "WHERE TABLE_SCHEMA = ");
    else
        cs_buf_puts(&sql, "SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS "
                          "WHERE CONSTRAINT_TYPE = 'FOREIGN KEY' AND TABLE_SCHEMA = ");
    fmt_sql_append_string(&sql, t->schema, strlen(t->schema));
    cs_buf_puts(&sql, " AND TABLE_NAME = ");
    fmt_sql_append_string(&sql, t->name, strlen(t->name));
    if (cs_conn_query(c, sql.data, &res, err) < 0) {
        cs_buf_release(&sql);
        return -1;
    }
    cs_buf_putc(names, '\n');
    while ((row = cs_result_row(res)))
        cs_buf_printf(names, "%s\n", row[0]);
    cs_result_free(res);
    cs_buf_release(&sql);
    return 0;
}

static int has_name(const struct cs_buf *names, const char *name)
{
    struct cs_buf needle = CS_BUF_INIT;
    int found;

    cs_buf_printf(&needle, "\n%s\n", name);
    found = needle.data && names->data && strstr(names->data, needle.data) != NULL;
    cs_buf_release(&needle);
    return found;
}

/* The clauses not applied yet (a killed run may have added some). */
static int pending_clauses(struct cs_conn *c, const struct fmt_table *t,
                           const struct load_table_job *tj, char ***out, size_t *n,
                           struct cs_error *err)
{
    struct cs_buf names = CS_BUF_INIT;
    int rc = existing_names(c, t, tj->kind, &names, err);

    *n = 0;
    *out = calloc(tj->nclauses + 1, sizeof(char *));
    if (!*out)
        rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < tj->nclauses; i++) {
        char *name = load_ddl_clause_name(tj->clauses[i]);
        if (!name || !has_name(&names, name))
            (*out)[(*n)++] = tj->clauses[i];
        free(name);
    }
    cs_buf_release(&names);
    return rc;
}

/* An index or constraint that exists already: a killed run's ALTER that the
 * server finished after our look at the table. */
static int already_there(const struct cs_error *err)
{
    return err->server_errno == 1061 /* ER_DUP_KEYNAME */ ||
           err->server_errno == 1826 /* ER_FK_DUP_NAME */ ||
           err->server_errno == 1022 /* ER_DUP_KEY */;
}

/* One ALTER with the clauses still missing; 0 also when none are. */
static int alter_missing(struct load_worker *w, struct load_ctx *ctx,
                         const struct load_table_job *tj, struct cs_error *err)
{
    const struct fmt_table *t = &ctx->m->tables[tj->table];
    char **todo = NULL, *alter = NULL;
    size_t n = 0;
    int rc = -1;

    if (pending_clauses(&w->conn, t, tj, &todo, &n, err) < 0)
        goto out;
    alter = n ? load_ddl_alter(t->schema, t->name, todo, n) : NULL;
    if (n && !alter) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    cs_log_verbose(ctx->cfg->log, "%s.%s: adding %zu %s definition(s)", t->schema, t->name, n,
                   tj->kind);
    rc = alter ? cs_conn_exec(&w->conn, alter, err) : 0;
out:
    free(todo);
    free(alter);
    return rc;
}

int load_job_alter(struct load_worker *w, void *job, void *vctx, struct cs_error *err)
{
    struct load_ctx *ctx = vctx;
    const struct load_table_job *tj = job;
    const struct fmt_table *t = &ctx->m->tables[tj->table];
    struct cs_buf item = CS_BUF_INIT;
    int rc;

    load_journal_item(&item, tj->kind, t->schema, t->name);
    rc = alter_missing(w, ctx, tj, err);
    if (rc < 0 && already_there(err)) {
        cs_error_clear(err);
        rc = alter_missing(w, ctx, tj, err);
    }
    if (rc == 0)
        rc = load_journal_mark(&w->conn, ctx->dump_id, item.data, err);
    if (rc < 0)
        cs_error_prefix(err, "%s.%s: building the deferred %s definitions", t->schema, t->name,
                        tj->kind);
    cs_buf_release(&item);
    return rc;
}

/* What the manifest says for a verify job: one chunk (only that one is
 * read: a table of N chunks is N jobs), or the whole table. */
static void expected(const struct fmt_table *t, size_t chunk, struct fmt_checksum *want)
{
    size_t from = chunk == SIZE_MAX ? 0 : chunk, to = chunk == SIZE_MAX ? t->nchunks : chunk + 1;

    fmt_checksum_init(want);
    for (size_t i = from; i < to; i++) {
        struct fmt_checksum one = {t->chunks[i].rows, strtoull(t->chunks[i].checksum, NULL, 16)};
        fmt_checksum_merge(want, &one);
    }
}

int load_job_verify(struct load_worker *w, void *job, void *vctx, struct cs_error *err)
{
    struct load_ctx *ctx = vctx;
    const struct load_chunk_ref *ref = job;
    const struct fmt_table *t = &ctx->m->tables[ref->table];
    const struct fmt_chunk *c = ref->chunk == SIZE_MAX ? NULL : &t->chunks[ref->chunk];
    struct fmt_checksum want, got;
    char *lo, *hi;

    expected(t, ref->chunk, &want);
    if (load_verify_select(&w->conn, t, NULL, c, &got, err) < 0)
        return -1;
    atomic_fetch_add(&ctx->prog.verified, 1);
    if (got.rows == want.rows && got.sum == want.sum)
        return 0;
    atomic_fetch_add(&ctx->prog.mismatches, 1);
    lo = c ? fmt_bound_text(c->lo) : NULL;
    hi = c ? fmt_bound_text(c->hi) : NULL;
    cs_log_error(ctx->cfg->log,
                 "verify: %s.%s %s%s%s%s%s%s: the target has %llu rows, the dump %llu%s",
                 t->schema, t->name, c ? "chunk " : "(whole table)", c ? c->file : "",
                 c ? " key range " : "", lo ? lo : "", c ? " to " : "", hi ? hi : "",
                 (unsigned long long)got.rows, (unsigned long long)want.rows,
                 got.rows == want.rows ? ", and their data differs (checksum)" : "");
    free(lo);
    free(hi);
    return 0;
}
