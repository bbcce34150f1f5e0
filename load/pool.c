#include "load/pool.h"

#include "common/progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct load_pool {
    const struct load_phase *ph;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;          /* next job index */
    size_t running;       /* threads still running */
    atomic_int stop;
    struct cs_error first;
};

static void fail(struct load_pool *p, const struct cs_error *err)
{
    pthread_mutex_lock(&p->mu);
    if (!cs_error_is_set(&p->first))
        cs_error_copy(&p->first, err);
    atomic_store(&p->stop, 1);
    pthread_mutex_unlock(&p->mu);
}

static int take(struct load_pool *p, void **job, struct cs_error *err)
{
    int ok = 0;

    pthread_mutex_lock(&p->mu);
    if (atomic_load(&p->stop)) {
        ok = 0;
    } else if (p->ph->next) {
        ok = p->ph->next(p->ph->ctx, job, err);
    } else if (p->next < p->ph->njobs) {
        *job = p->ph->jobs[p->next++];
        ok = 1;
    }
    pthread_mutex_unlock(&p->mu);
    return ok;
}

int load_worker_reconnect(struct load_worker *w, struct cs_error *err)
{
    const struct load_phase *ph = w->pool->ph;
    char label[48];

    cs_conn_close(&w->conn);
    snprintf(label, sizeof(label), "%s worker %u", ph->name, w->id);
    if (load_session_open(&w->conn, ph->cfg, ph->target, ph->sql_mode, label, err) < 0)
        return -1;
    load_infile_attach(&w->conn, &w->inf);
    return 0;
}

int load_worker_stopping(const struct load_worker *w)
{
    return atomic_load(&w->pool->stop);
}

static void *worker_main(void *arg)
{
    struct load_worker *w = arg;
    struct load_pool *p = w->pool;
    struct cs_error err;
    void *job;

    cs_conn_thread_init();
    cs_error_clear(&err);
    if (load_worker_reconnect(w, &err) < 0)
        fail(p, &err);
    while (!cs_error_is_set(&err) && take(p, &job, &err) > 0) {
        const volatile int *cancel = p->ph->cfg->cancel;
        if (cs_cancelled(cancel)) {
            cs_error_set(&err, CS_ERR_CANCELLED, "interrupted by a signal");
            fail(p, &err);
            break;
        }
        if (p->ph->fn(w, job, p->ph->ctx, &err) < 0)
            fail(p, &err);
        else
            cs_progress_job_done(p->ph->cfg->console);
    }
    if (cs_error_is_set(&err))
        fail(p, &err);
    else if (p->ph->idle && !atomic_load(&p->stop))
        p->ph->idle(w, p->ph->ctx);
    cs_conn_close(&w->conn);
    cs_conn_thread_end();
    pthread_mutex_lock(&p->mu);
    p->running--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void wait_all(struct load_pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&p->cv, &p->mu, &ts);
        if (p->ph->tick) {
            pthread_mutex_unlock(&p->mu);
            p->ph->tick(p->ph->tick_arg);
            pthread_mutex_lock(&p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
}

int load_pool_run(const struct load_phase *ph, struct cs_error *err)
{
    struct load_pool p;
    unsigned n = ph->cfg->threads;
    struct load_worker *ws;
    pthread_t *ts;
    size_t started = 0;

    if (ph->njobs == 0 && !ph->next)
        return 0;
    if (!ph->next && n > ph->njobs)
        n = (unsigned)ph->njobs;
    memset(&p, 0, sizeof(p));
    p.ph = ph;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    ws = calloc(n, sizeof(*ws));
    ts = calloc(n, sizeof(*ts));
    if (!ws || !ts) {
        cs_error_set(&p.first, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        ws[i].id = i + 1;
        ws[i].pool = &p;
        pthread_mutex_lock(&p.mu);
        p.running++;
        pthread_mutex_unlock(&p.mu);
        if (pthread_create(&ts[i], NULL, worker_main, &ws[i]) != 0) {
            pthread_mutex_lock(&p.mu);
            p.running--;
            pthread_mutex_unlock(&p.mu);
            cs_error_set(&p.first, CS_ERR_INTERNAL, "cannot start a worker thread");
            atomic_store(&p.stop, 1);
            break;
        }
        started++;
    }
    wait_all(&p);
    for (size_t i = 0; i < started; i++)
        pthread_join(ts[i], NULL);
out:
    free(ws);
    free(ts);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    if (cs_error_is_set(&p.first)) {
        cs_error_copy(err, &p.first);
        return -1;
    }
    return 0;
}
