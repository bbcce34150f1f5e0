/*
 * pool.h - running one phase's jobs (chunks, index builds, verifications)
 * on --threads workers, each with its own load-session connection and
 * local-infile handler.  Jobs are taken in the order given; the first error
 * wins and stops the rest; the cancel flag stops between jobs.  Jobs come
 * from an array, or from a next() source (an archive read as it arrives).  A job
 * function may reconnect its worker (load_worker_reconnect) after a lost
 * connection.  load_pool_run() returns when every thread has been joined.
 */
#ifndef LOAD_POOL_H
#define LOAD_POOL_H

#include <stddef.h>

#include "common/conn.h"
#include "load/config.h"
#include "load/infile.h"
#include "load/session.h"

struct load_pool;

struct load_worker {
    struct cs_conn conn;
    struct load_infile inf;
    unsigned id;
    struct load_pool *pool;
};

/* 0 = job done; -1 = failed (ERR filled): stops the phase. */
typedef int (*load_job_fn)(struct load_worker *w, void *job, void *ctx, struct cs_error *err);

struct load_phase {
    const char *name;                 /* "data", "indexes", "verify" */
    const struct load_config *cfg;
    const struct load_target *target;
    const char *sql_mode;             /* the dump's */
    void **jobs;
    size_t njobs;
    /* Or jobs from a source, called under the pool's lock by the worker that
     * needs one: 1 = *job set, 0 = no more, -1 = error. */
    int (*next)(void *ctx, void **job, struct cs_error *err);
    load_job_fn fn;
    void *ctx;
    /* A worker that finds no job left (and no error) calls this before it
     * ends: it may go on working on its connection while other workers
     * still run jobs, and returns when it is done (NULL: nothing). */
    void (*idle)(struct load_worker *w, void *ctx);
    void (*tick)(void *arg);          /* about once a second, on the caller's thread */
    void *tick_arg;
};

int load_pool_run(const struct load_phase *ph, struct cs_error *err);
int load_worker_reconnect(struct load_worker *w, struct cs_error *err);
/* 1 once a job of W's phase failed (the phase is stopping). */
int load_worker_stopping(const struct load_worker *w);

#endif
