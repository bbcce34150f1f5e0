#include "load/early.h"

#include <stdint.h>
#include <stdlib.h>

#include "load/jobs.h"

int load_early_init(struct load_ctx *ctx, struct cs_error *err)
{
    struct load_early *e = calloc(1, sizeof(*e));
    size_t n = 0;

    if (e) {
        e->base = calloc(ctx->m->ntables + 1, sizeof(*e->base));
        e->tables = calloc(ctx->m->ntables + 1, sizeof(*e->tables));
    }
    for (size_t i = 0; e && e->base && i < ctx->m->ntables; i++) {
        e->base[i] = n;
        n += ctx->m->tables[i].nchunks;
    }
    if (e && e->base) {
        e->ready = calloc(n + 1, sizeof(*e->ready));
        e->done = calloc(n + 1, 1);
    }
    if (!e || !e->base || !e->tables || !e->ready || !e->done) {
        ctx->early = e;
        load_early_free(ctx);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    pthread_mutex_init(&e->mu, NULL);
    pthread_cond_init(&e->cv, NULL);
    ctx->early = e;
    return 0;
}

void load_early_free(struct load_ctx *ctx)
{
    struct load_early *e = ctx->early;

    if (!e)
        return;
    if (e->base && e->tables && e->ready && e->done) {
        pthread_cond_destroy(&e->cv);
        pthread_mutex_destroy(&e->mu);
    }
    free(e->base);
    free(e->tables);
    free(e->ready);
    free(e->done);
    free(e);
    ctx->early = NULL;
}

int load_early_done(const struct load_ctx *ctx, size_t table, size_t chunk)
{
    return ctx->early && chunk != SIZE_MAX && ctx->early->done[ctx->early->base[table] + chunk];
}

void load_early_begin(struct load_ctx *ctx)
{
    struct load_early *e = ctx->early;

    if (!e)
        return;
    pthread_mutex_lock(&e->mu);
    e->applying++;
    pthread_mutex_unlock(&e->mu);
}

void load_early_end(struct load_ctx *ctx, int released)
{
    struct load_early *e = ctx->early;

    if (!e)
        return;
    pthread_mutex_lock(&e->mu);
    e->applying--;
    e->releases += released != 0;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

void load_early_committed(struct load_ctx *ctx, size_t table, size_t chunk, int last)
{
    struct load_early *e = ctx->early;
    int more = 0;

    if (!e)
        return;
    pthread_mutex_lock(&e->mu);
    if (ctx->cfg->verify && chunk != SIZE_MAX) {
        e->ready[e->nready++] = (struct load_chunk_ref){table, chunk};
        more = 1;
    }
    /* --data-only dropped no index: nindexes is 0 */
    if (last && ctx->splits[table].nindexes) {
        e->tables[e->ntables++] = table;
        more = 1;
    }
    if (more)
        pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

enum early_work { WORK_NONE = 0, WORK_INDEXES, WORK_VERIFY };

/* The next early work into *TABLE / *REF (e->mu held), indexes first;
 * CHUNKS: a committed chunk may be taken too.  An index build is counted
 * in e->building from here, so no idle worker sees the phase over. */
static enum early_work take(struct load_early *e, int chunks, size_t *table,
                            struct load_chunk_ref *ref)
{
    if (e->ntables) {
        *table = e->tables[--e->ntables];
        e->building++;
        return WORK_INDEXES;
    }
    if (chunks && e->nready) {
        *ref = e->ready[--e->nready];
        return WORK_VERIFY;
    }
    return WORK_NONE;
}

/* Table TABLE's deferred indexes, on W's session. */
static void build(struct load_worker *w, struct load_ctx *ctx, size_t table)
{
    const struct load_ddl_split *s = &ctx->splits[table];
    const struct fmt_table *t = &ctx->m->tables[table];
    struct load_table_job tj = {table, s->indexes, s->nindexes, "index"};
    struct cs_error err;

    cs_error_clear(&err);
    atomic_fetch_add(&ctx->busy, 1);
    if (load_job_alter(w, &tj, ctx, &err) == 0)
        cs_log_verbose(ctx->cfg->log, "%s.%s: indexes built during the data phase", t->schema,
                       t->name);
    else if (!cs_cancelled(ctx->cfg->cancel))
        cs_log_warn(ctx->cfg->log, "%s; the index phase tries again", err.msg);
    atomic_fetch_sub(&ctx->busy, 1);
    pthread_mutex_lock(&ctx->early->mu);
    ctx->early->building--;
    pthread_cond_broadcast(&ctx->early->cv);
    pthread_mutex_unlock(&ctx->early->mu);
}

/* Verifies REF, a chunk this run committed.  One that cannot be verified
 * now (its query failed) is left to the verify phase: the chunk job that
 * follows meets any lost connection itself. */
static void verify(struct load_worker *w, struct load_ctx *ctx, const struct load_chunk_ref *ref)
{
    struct load_early *e = ctx->early;
    const struct fmt_table *t = &ctx->m->tables[ref->table];
    struct load_chunk_ref job = *ref; /* load_job_verify takes a mutable job */
    struct cs_error err;

    cs_error_clear(&err);
    if (load_job_verify(w, &job, ctx, &err) < 0) {
        cs_log_verbose(ctx->cfg->log, "%s.%s chunk %s: not verified yet (%s)", t->schema, t->name,
                       t->chunks[ref->chunk].file, err.msg);
        return;
    }
    pthread_mutex_lock(&e->mu);
    e->done[e->base[ref->table] + ref->chunk] = 1;
    pthread_mutex_unlock(&e->mu);
    cs_log_verbose(ctx->cfg->log, "%s.%s chunk %s: verified during the data phase", t->schema,
                   t->name, t->chunks[ref->chunk].file);
}

static void run(struct load_worker *w, struct load_ctx *ctx, enum early_work what, size_t table,
                const struct load_chunk_ref *ref)
{
    if (what == WORK_INDEXES)
        build(w, ctx, table);
    else if (what == WORK_VERIFY)
        verify(w, ctx, ref);
}

void load_early_lock(struct load_worker *w, struct load_ctx *ctx, pthread_mutex_t *one)
{
    struct load_early *e = ctx->early;
    struct load_chunk_ref ref;
    enum early_work what;
    unsigned long seen;
    size_t table = 0;

    if (!e) {
        pthread_mutex_lock(one);
        return;
    }
    for (;;) {
        pthread_mutex_lock(&e->mu);
        seen = e->releases;
        pthread_mutex_unlock(&e->mu);
        if (pthread_mutex_trylock(one) == 0)
            return;
        pthread_mutex_lock(&e->mu);
        while (e->nready == 0 && e->ntables == 0 && e->releases == seen)
            pthread_cond_wait(&e->cv, &e->mu);
        what = load_worker_stopping(w) ? WORK_NONE : take(e, 1, &table, &ref);
        pthread_mutex_unlock(&e->mu);
        run(w, ctx, what, table, &ref);
        if (what == WORK_NONE && load_worker_stopping(w)) {
            pthread_mutex_lock(one); /* the phase is stopping: no more early work */
            return;
        }
    }
}

/* Early work on W until none is left.  IDLE (no chunk left to take): it
 * waits for work while others still apply chunks or build indexes, and
 * verifies too; otherwise only the indexes of tables finished by now. */
static void work(struct load_worker *w, struct load_ctx *ctx, int idle)
{
    struct load_early *e = ctx->early;
    struct load_chunk_ref ref;
    enum early_work what;
    size_t table = 0;

    while (e && !load_worker_stopping(w) && !cs_cancelled(ctx->cfg->cancel)) {
        pthread_mutex_lock(&e->mu);
        while (idle && e->ntables == 0 && e->nready == 0 && e->applying + e->building > 0)
            pthread_cond_wait(&e->cv, &e->mu);
        /* with nothing at work, what is left goes to the verify phase */
        what = load_worker_stopping(w)
                   ? WORK_NONE
                   : take(e, idle && e->applying + e->building > 0, &table, &ref);
        pthread_mutex_unlock(&e->mu);
        if (what == WORK_NONE)
            return;
        run(w, ctx, what, table, &ref);
    }
}

void load_early_indexes(struct load_worker *w, struct load_ctx *ctx)
{
    work(w, ctx, 0);
}

void load_early_idle(struct load_worker *w, void *ctx)
{
    work(w, ctx, 1);
}
