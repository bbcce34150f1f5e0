/*
 * jobs.h - the parallel phases of a load, as load_pool jobs:
 *   chunk  - apply one chunk exactly once, retrying transient errors; after
 *            a lost connection the journal says whether the COMMIT landed
 *   index  - one ALTER TABLE per table adding the deferred indexes that are
 *            not there yet (idempotent after a kill), then its journal row
 *   verify - a chunk's (or a keyless table's) row count and checksum on the
 *            target against the manifest; every mismatch is reported by
 *            table and key range, then the phase fails
 * The context is shared read-only except for the atomic counters.
 */
#ifndef LOAD_JOBS_H
#define LOAD_JOBS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "load/ddl.h"
#include "load/input.h"
#include "load/journal.h"
#include "load/order.h"
#include "load/pool.h"
#include "load/tablepath.h"

struct load_progress {
    atomic_uint_fast64_t rows;
    atomic_uint_fast64_t bytes;       /* chunk file bytes applied */
    atomic_uint_fast64_t chunks;
    atomic_uint_fast64_t mismatches;  /* verify */
    atomic_uint_fast64_t verified;    /* chunks/tables verified */
};

/* What to do with a table or object of the dump (from --if-exists). */
enum load_action { LOAD_ACT_CREATE = 0, LOAD_ACT_SKIP, LOAD_ACT_REPLACE };

struct load_compat;

/* Chunks another loader held when they came up (load/share.h). */
struct load_deferred {
    pthread_mutex_t mu;
    void **jobs;
    size_t n, cap;
};

/* Verification during the data phase: the chunks this run committed,
 * verified by a worker that would otherwise wait -- for a table loaded one
 * chunk at a time (a one-table load's second thread), or, with no chunk
 * left to take, for the others' last chunks (load_job_data_idle) -- so
 * the verify phase checks only the rest.  A chunk's rows are final once it commits: no
 * other chunk writes its key range, and triggers, foreign keys and indexes
 * come later and change no row. */
struct load_early {
    pthread_mutex_t mu;
    pthread_cond_t cv;            /* a chunk is ready, or a table's lock was let go */
    unsigned long releases;       /* table locks let go so far */
    size_t applying;              /* chunk jobs begun and not ended */
    struct load_chunk_ref *ready; /* committed, not verified yet (a stack) */
    size_t nready;
    size_t *base;                 /* per table: its first chunk's index in done */
    unsigned char *done;          /* per chunk: verified during the data phase */
};

struct load_ctx {
    const struct load_config *cfg;
    struct load_input *in;
    const struct fmt_manifest *m;
    const struct load_journal *journal;   /* as read at the start */
    const char *dump_id;
    int use_infile;
    int bound_rows;                       /* the target runs arrays of bound rows (cs_bulk) */
    size_t bound_bytes;                   /* an array of bound rows' values (load/chunk.h) */
    const struct load_compat *compat;     /* cross-flavor translation; NULL: none */
    struct load_ddl_split *splits;        /* per table */
    unsigned char *table_action;          /* per table: enum load_action */
    unsigned char *object_action;         /* per object */
    int sizes_known;                      /* the manifest has every chunk (not a catalog) */
    /* per table: how its chunks go in (load/tablepath.h, chosen in
     * load_run's tables phase); serial_mu[i] is held while a chunk of a
     * LOAD_PATH_SERIAL or LOAD_PATH_BOUND_SERIAL table is applied */
    unsigned char *path;                  /* enum load_path */
    unsigned char *no_bulk;               /* its chunks run with unique_checks=1 */
    pthread_mutex_t *serial_mu;
    size_t nserial;                       /* entries of the three */
    struct load_progress prog;
    /* threads applying a chunk now, a chunk's reader thread counted: a
     * bound chunk reads ahead (load/chunk_bound.h) only while fewer than
     * cfg->threads are, so --threads stays the most threads at work */
    atomic_uint busy;
    struct load_early *early;             /* NULL: every chunk in the verify phase */
    int claim;                            /* enum load_claim: how chunks are claimed */
    struct load_deferred *deferred;       /* where busy chunks go (claim SKIP) */
    atomic_size_t *chunks_left;           /* per table: this run's chunks not loaded yet,
                                           * for its "table done" event; NULL: none */
};

/* A table's deferred work, for the index and foreign key phases. */
struct load_table_job {
    size_t table;
    char *const *clauses;
    size_t nclauses;
    const char *kind;                     /* "index" | "fk" */
};

/* A chunk another loader holds goes to CTX's deferred list. */
int load_job_chunk(struct load_worker *w, void *job, void *ctx, struct cs_error *err);
/* The same for a chunk given directly (an archive's, as it arrives):
 * 0 = committed (by this or another loader), LOAD_CLAIM_BUSY, -1 = error. */
int load_job_apply(struct load_worker *w, struct load_ctx *ctx, const struct fmt_table *t,
                   const struct fmt_chunk *c, struct cs_error *err);
/* A chunk found before its manifest (csload --wait-for-dump): loaded
 * without the row count and hash checks, which are handed back in *ROWS
 * and HASH (33 bytes) for the check against the manifest.  0 = loaded,
 * LOAD_CLAIM_DONE = another loader had (nothing handed back), -1 = error. */
int load_job_apply_early(struct load_worker *w, struct load_ctx *ctx, const struct fmt_table *t,
                         const struct fmt_chunk *c, uint64_t *rows, char *hash,
                         struct cs_error *err);
int load_job_alter(struct load_worker *w, void *job, void *ctx, struct cs_error *err);
/* JOB is a struct load_chunk_ref; chunk == SIZE_MAX means the whole table. */
int load_job_verify(struct load_worker *w, void *job, void *ctx, struct cs_error *err);

/* CTX->early for M's chunks (0, or -1 = out of memory); freed (NULL-safe)
 * by load_early_free. */
int load_early_init(struct load_ctx *ctx, struct cs_error *err);
void load_early_free(struct load_ctx *ctx);
/* The data phase's idle hook (load_phase.idle): verifies committed chunks
 * while other workers still apply theirs; returns when none does. */
void load_job_data_idle(struct load_worker *w, void *ctx);
/* 1 when chunk CHUNK of table TABLE was verified during the data phase. */
int load_early_done(const struct load_ctx *ctx, size_t table, size_t chunk);

#endif
