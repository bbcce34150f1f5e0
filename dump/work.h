/*
 * work.h - the dump workers: N threads popping units from one bounded queue,
 * each borrowing a snapshot connection per unit.  A unit whose connection
 * dies is redone on a spare (its files were already discarded by chunk.c);
 * when no connection is left the dump fails -- it never opens a connection
 * outside the snapshot.  The first error wins and stops the others;
 * cancellation is the config's flag plus KILL QUERY of the busy connections.
 * Results are collected per table under one mutex.
 * Thread-safety: dump_work_* are called by the coordinator only; the workers
 * are internal.  A unit whose connection dies resumes on a spare at the
 * boundary of its last finished file (keyed units) or starts over.
 */
#ifndef DUMP_WORK_H
#define DUMP_WORK_H

#include <pthread.h>
#include <stdatomic.h>

#include "common/queue.h"
#include "dump/chunk.h"
#include "dump/snapshot.h"

struct dump_table_results {
    struct dump_chunk_result *r;
    size_t n, cap;
    size_t units_pending;  /* planned units not finished yet */
    int planned;           /* all units of the table are queued */
};

struct dump_work {
    const struct dump_config *cfg;
    const struct dump_catalog *cat;
    const struct dump_table_sql *tsql;   /* per table */
    struct dump_snapshot *snap;
    const struct dump_publish *pub;      /* may be NULL */
    struct cs_queue *queue;
    pthread_t *threads;
    size_t nthreads;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t pending;                      /* units queued and not finished */
    size_t tables_done;
    struct dump_table_results *results;  /* per table */
    struct cs_error first_err;
    atomic_int stop;
    struct dump_progress prog;
};

int dump_work_start(struct dump_work *w, const struct dump_config *cfg,
                    const struct dump_catalog *cat, const struct dump_table_sql *tsql,
                    struct dump_snapshot *snap, const struct dump_publish *pub,
                    struct cs_error *err);
/* Queue a unit (ownership passes); blocks while the queue is full.
 * -1 once the work has stopped (the unit is freed). */
int dump_work_push(struct dump_work *w, struct dump_unit *u);
/* All units of table TI are queued. */
void dump_work_table_planned(struct dump_work *w, size_t ti, size_t nunits);
/* Waits until every queued unit is done (or the work stopped); calls TICK
 * about once a second.  Returns -1 when stopped by an error or cancel. */
int dump_work_wait_idle(struct dump_work *w, void (*tick)(void *), void *arg);
/* Record an error from the coordinator and stop the workers. */
void dump_work_fail(struct dump_work *w, const struct cs_error *err);
/* Closes the queue, joins every thread; returns -1 if any unit failed. */
int dump_work_finish(struct dump_work *w, struct cs_error *err);
void dump_work_release(struct dump_work *w);

#endif
