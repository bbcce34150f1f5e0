/*
 * early.h - the work the data phase does besides loading chunks, by a
 * worker that would otherwise wait: for a table loaded one chunk at a time
 * (a one-table load's second thread), or, with no chunk left to take, for
 * the others' last chunks (load_early_idle).
 *
 *   indexes - a table whose chunks are all in gets its deferred secondary
 *             indexes at once (the same job as the index phase's, journaled
 *             the same way), while the other tables still load: the index
 *             phase then builds only the rest.  The worker that commits a
 *             table's last chunk builds them after it, unless another took
 *             them first.  A build that fails here is left to the index
 *             phase, which tries again and stops the load if it fails.
 *   verify  - a chunk this run committed is verified (row count and
 *             checksum, as in the verify phase), which then checks only the
 *             rest.  A chunk's rows are final once it commits: no other
 *             chunk writes its key range, and triggers, foreign keys and
 *             indexes change no row.
 *
 * Indexes come first: a big table's build is the longest single job at the
 * end of a load.  An index build counts as a thread at work (ctx->busy), as
 * a chunk does.  Only the data phase of a manifest's chunks (not an archive
 * read as it arrives) sets ctx->early up; every function here is a no-op
 * when it is NULL.
 */
#ifndef LOAD_EARLY_H
#define LOAD_EARLY_H

#include <pthread.h>
#include <stddef.h>

#include "common/error.h"
#include "load/order.h"
#include "load/pool.h"

struct load_ctx;

struct load_early {
    pthread_mutex_t mu;
    pthread_cond_t cv;            /* work is ready, a table's lock was let go, a job ended */
    unsigned long releases;       /* table locks let go so far */
    size_t applying;              /* chunk jobs begun and not ended */
    size_t building;              /* index builds begun and not ended */
    struct load_chunk_ref *ready; /* committed, not verified yet (a stack) */
    size_t nready;
    size_t *tables; /* loaded, their indexes not built yet (a stack) */
    size_t ntables;
    size_t *base;        /* per table: its first chunk's index in done */
    unsigned char *done; /* per chunk: verified during the data phase */
};

/* CTX->early for CTX->m's tables (0, or -1 = out of memory): committed
 * chunks are verified unless --no-verify; freed (NULL-safe) by
 * load_early_free. */
int load_early_init(struct load_ctx *ctx, struct cs_error *err);
void load_early_free(struct load_ctx *ctx);

/* A chunk job begins / ends (RELEASED: it let a table's lock go). */
void load_early_begin(struct load_ctx *ctx);
void load_early_end(struct load_ctx *ctx, int released);
/* Chunk CHUNK of table TABLE was committed (SIZE_MAX: not by this run, or
 * a table verified whole); LAST: it was the table's last this run had. */
void load_early_committed(struct load_ctx *ctx, size_t table, size_t chunk, int last);

/* ONE (a table's one-chunk-at-a-time lock) taken: while another worker
 * holds it, early work is done meanwhile, and between jobs the worker
 * waits for either: work ready or a lock let go (then it tries again). */
void load_early_lock(struct load_worker *w, struct load_ctx *ctx, pthread_mutex_t *one);
/* After a chunk job: the indexes of the tables finished by now. */
void load_early_indexes(struct load_worker *w, struct load_ctx *ctx);
/* The data phase's idle hook (load_phase.idle): early work while other
 * workers still apply chunks or build indexes; returns when none does
 * (or the phase stops), leaving the rest to the later phases. */
void load_early_idle(struct load_worker *w, void *ctx);

/* 1 when chunk CHUNK of table TABLE was verified during the data phase. */
int load_early_done(const struct load_ctx *ctx, size_t table, size_t chunk);

#endif
