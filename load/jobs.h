/*
 * jobs.h - the parallel phases of a load, as load_pool jobs:
 *   chunk  - apply one chunk exactly once, retrying transient errors; after
 *            a lost connection the journal says whether the COMMIT landed;
 *            then the indexes of the tables it finished (load/early.h)
 *   index  - one ALTER TABLE per table adding the deferred indexes that are
 *            not there yet (idempotent after a kill), then its journal row;
 *            the index and fk phases make jobs only for tables not journaled
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

struct load_early; /* load/early.h */

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
    struct load_early *early;             /* the data phase's other work (load/early.h);
                                           * NULL: none */
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

#endif
