#include "dump/work.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/console.h"
#include "common/progress.h"

#define QUEUE_DEPTH 64

static void record_error(struct dump_work *w, const struct cs_error *err)
{
    pthread_mutex_lock(&w->mu);
    if (!cs_error_is_set(&w->first_err))
        cs_error_copy(&w->first_err, err);
    atomic_store(&w->stop, 1);
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    cs_queue_close(w->queue);
}

void dump_work_fail(struct dump_work *w, const struct cs_error *err)
{
    record_error(w, err);
}

static int add_results(struct dump_work *w, size_t ti, struct dump_chunk_result *r, size_t n)
{
    struct dump_table_results *tr = &w->results[ti];
    int rc = 0;

    pthread_mutex_lock(&w->mu);
    if (tr->n + n > tr->cap) {
        size_t cap = (tr->n + n) * 2;
        void *p = realloc(tr->r, cap * sizeof(*tr->r));
        if (!p)
            rc = -1;
        else {
            tr->r = p;
            tr->cap = cap;
        }
    }
    if (rc == 0 && n) {
        memcpy(tr->r + tr->n, r, n * sizeof(*r));
        tr->n += n;
    }
    pthread_mutex_unlock(&w->mu);
    for (size_t i = 0; rc == 0 && i < n; i++) /* each one a file of the manifest */
        cs_progress_chunk(w->cfg->console, w->cat->tables[ti].schema, w->cat->tables[ti].name,
                          r[i].file, r[i].rows, r[i].raw_bytes, r[i].file_bytes);
    return rc;
}

/* Table TI's totals so far, with W->mu held. */
static void table_sums(const struct dump_table_results *tr, uint64_t *rows, uint64_t *raw)
{
    *rows = *raw = 0;
    for (size_t i = 0; i < tr->n; i++) {
        *rows += tr->r[i].rows;
        *raw += tr->r[i].raw_bytes;
    }
}

static void unit_done(struct dump_work *w, size_t ti)
{
    uint64_t rows = 0, raw = 0;
    size_t nfiles = 0;
    int done = 0;

    pthread_mutex_lock(&w->mu);
    w->pending--;
    w->results[ti].units_pending--;
    if (w->results[ti].planned && w->results[ti].units_pending == 0) {
        w->tables_done++;
        done = !atomic_load(&w->stop);
        table_sums(&w->results[ti], &rows, &raw);
        nfiles = w->results[ti].n;
    }
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    if (done)
        cs_progress_table(w->cfg->console, w->cat->tables[ti].schema, w->cat->tables[ti].name, rows,
                          raw, nfiles);
}

static int no_connection(struct dump_work *w, const struct dump_table *t, struct cs_error *err)
{
    cs_error_set(err, CS_ERR_CONN_LOST,
                 "%s.%s: no snapshot connection left (all %zu died, spares included); a new "
                 "connection would see another point in time, so the dump stops: check the "
                 "network and the server's wait/net timeouts, then run it again",
                 t->schema, t->name, w->snap->nconns);
    return cs_error_escalate(err, CS_SEV_FATAL);
}

/* Runs UNIT on snapshot connections until it succeeds, fails for good, or no
 * connection is left.  Files a failed attempt finished are kept and the
 * next attempt starts at the last one's boundary. */
static int run_unit(struct dump_work *w, const struct dump_unit *unit, struct cs_error *err)
{
    const struct dump_table *t = &w->cat->tables[unit->table];
    struct dump_unit u = *unit; /* lo/hi borrowed, or RESUME */
    struct fmt_bound *resume = NULL;
    unsigned attempts = 0;
    int rc = -1;

    for (;;) {
        int lost = 0;
        struct dump_chunk_result *r = NULL;
        size_t n = 0;
        long idx = dump_snapshot_acquire(w->snap);

        if (idx < 0) {
            rc = no_connection(w, t, err);
            break;
        }
        rc = dump_chunk_run(&w->snap->conns[idx], w->cfg, t, &w->tsql[u.table], &u, w->pub,
                            &w->prog, &r, &n, err);
        if (rc == 0 && dump_snapshot_release_mdl(&w->snap->conns[idx], err) < 0) {
            /* the unit is done; this connection is not used again */
            cs_log_warn(w->cfg->log, "%s", err->msg);
            cs_error_clear(err);
            lost = 1;
        }
        dump_snapshot_give_back(w->snap, idx, rc < 0 || lost);
        if (n && add_results(w, u.table, r, n) < 0) {
            for (size_t i = 0; i < n; i++)
                dump_chunk_result_release(&r[i]);
            free(r);
            rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            break;
        }
        if (rc == 0 || !cs_error_retryable(err) || atomic_load(&w->stop) || (n && !r[n - 1].hi)) {
            free(r);
            break;
        }
        if (n) { /* resume at the boundary of the last finished file */
            struct fmt_bound *k = dump_key_as(r[n - 1].hi, 1);
            fmt_bound_free(resume);
            resume = k;
            u.lo = resume;
            u.sub0 += (unsigned)n;
        }
        free(r);
        if (n && !resume) {
            rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            break;
        }
        cs_log_warn(w->cfg->log, "%s; redoing the unit%s on a spare snapshot connection", err->msg,
                    n ? " from its last boundary" : "");
        {
            char what[300];
            snprintf(what, sizeof(what), "%s.%s", t->schema, t->name);
            cs_progress_retry(w->cfg->console, what, ++attempts, (unsigned)w->snap->nconns,
                              err->msg);
        }
        cs_error_clear(err);
    }
    fmt_bound_free(resume);
    return rc;
}

static void *worker_main(void *arg)
{
    struct dump_work *w = arg;
    void *item;

    cs_conn_thread_init();
    while (cs_queue_pop(w->queue, &item) == 0) {
        struct dump_unit *u = item;
        struct cs_error err;

        cs_error_clear(&err);
        if (!atomic_load(&w->stop) && run_unit(w, u, &err) < 0)
            record_error(w, &err);
        unit_done(w, u->table);
        dump_unit_free(u);
    }
    cs_conn_thread_end();
    return NULL;
}

int dump_work_start(struct dump_work *w, const struct dump_config *cfg,
                    const struct dump_catalog *cat, const struct dump_table_sql *tsql,
                    struct dump_snapshot *snap, const struct dump_publish *pub,
                    struct cs_error *err)
{
    memset(w, 0, sizeof(*w));
    w->cfg = cfg;
    w->pub = pub;
    w->cat = cat;
    w->tsql = tsql;
    w->snap = snap;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->queue = cs_queue_new(QUEUE_DEPTH);
    w->results = calloc(cat->ntables + 1, sizeof(*w->results));
    w->threads = calloc(cfg->threads, sizeof(pthread_t));
    if (!w->queue || !w->results || !w->threads)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < cfg->threads; i++) {
        int e = pthread_create(&w->threads[i], NULL, worker_main, w);
        if (e)
            return cs_error_sys(err, CS_ERR_INTERNAL, e, "cannot start worker thread");
        w->nthreads++;
    }
    return 0;
}

int dump_work_push(struct dump_work *w, struct dump_unit *u)
{
    pthread_mutex_lock(&w->mu);
    w->pending++;
    w->results[u->table].units_pending++;
    pthread_mutex_unlock(&w->mu);
    if (cs_queue_push(w->queue, u) < 0) {
        pthread_mutex_lock(&w->mu);
        w->pending--;
        w->results[u->table].units_pending--;
        pthread_mutex_unlock(&w->mu);
        dump_unit_free(u);
        return -1;
    }
    return 0;
}

void dump_work_table_planned(struct dump_work *w, size_t ti, size_t nunits)
{
    uint64_t rows = 0, raw = 0;
    size_t nfiles = 0;
    int done = 0;

    pthread_mutex_lock(&w->mu);
    w->results[ti].planned = 1;
    if (nunits == 0 || w->results[ti].units_pending == 0) {
        w->tables_done++;
        done = 1;
        table_sums(&w->results[ti], &rows, &raw);
        nfiles = w->results[ti].n;
    }
    pthread_mutex_unlock(&w->mu);
    if (done)
        cs_progress_table(w->cfg->console, w->cat->tables[ti].schema, w->cat->tables[ti].name, rows,
                          raw, nfiles);
}

int dump_work_wait_idle(struct dump_work *w, void (*tick)(void *), void *arg)
{
    int rc;

    pthread_mutex_lock(&w->mu);
    while (w->pending > 0 && !atomic_load(&w->stop)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
        pthread_mutex_unlock(&w->mu);
        if (tick)
            tick(arg);
        pthread_mutex_lock(&w->mu);
    }
    rc = atomic_load(&w->stop) ? -1 : 0;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int dump_work_finish(struct dump_work *w, struct cs_error *err)
{
    if (w->queue)
        cs_queue_close(w->queue);
    for (size_t i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
    w->nthreads = 0;
    if (cs_error_is_set(&w->first_err)) {
        cs_error_copy(err, &w->first_err);
        return -1;
    }
    return 0;
}

void dump_work_release(struct dump_work *w)
{
    void *item;

    if (!w)
        return;
    if (w->queue) {
        cs_queue_close(w->queue);
        while (cs_queue_pop(w->queue, &item) == 0)
            dump_unit_free(item);
        cs_queue_free(w->queue);
    }
    for (size_t t = 0; w->results && t < w->cat->ntables; t++) {
        for (size_t i = 0; i < w->results[t].n; i++)
            dump_chunk_result_release(&w->results[t].r[i]);
        free(w->results[t].r);
    }
    free(w->results);
    free(w->threads);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    memset(w, 0, sizeof(*w));
}
