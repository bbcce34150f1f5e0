/*
 * run_int.h - one load's state, shared by the files of load_run (run.h),
 * internal to them:
 *   run.c         the run: input, checks, target, journal, tables, and the
 *                 order of the phases
 *   run_data.c    the rows: a manifest's chunks, an archive as it streams,
 *                 or a dump still being written (--wait-for-dump)
 *   run_finish.c  what follows the rows, by the first loader to get there:
 *                 indexes left, verification, foreign keys, objects, the
 *                 summary and replication
 * Calls go one way: run.c -> run_data.c | run_finish.c -> the helpers here.
 */
#ifndef LOAD_RUN_INT_H
#define LOAD_RUN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/log.h"
#include "load/accounts.h"
#include "load/archive_in.h"
#include "load/compat.h"
#include "load/fasttarget.h"
#include "load/jobs.h"
#include "load/replsetup.h"
#include "load/session.h"
#include "load/waitdump.h"

struct run {
    const struct load_config *cfg;
    struct load_archive *arch; /* --archive; owns IN then */
    struct load_input *in;
    struct fmt_manifest *m;
    struct fmt_manifest *catalog; /* an archive's own, which it borrows: M is a copy then */
    char dump_id[33];
    struct cs_conn main;
    struct load_target target;
    struct load_compat *compat;     /* cross-flavor translation */
    struct load_accounts *accounts; /* --load-users, and who the target has */
    struct load_journal journal;
    struct load_fast *fast; /* --fast-target */
    struct load_ctx ctx;
    struct load_replsetup repl;
    size_t total_chunks;
    uint64_t total_bytes;
    size_t *by_name; /* table indexes sorted by schema, name (stream) */
    double t0;
    char selection[400];           /* what --databases/--tables/--exclude left out */
    int usage;                     /* the error is bad usage found in the dump: exit 2 */
    int started;                   /* load:started is journaled: a rerun resumes */
    unsigned others;               /* other csload processes of this dump, alive at the start */
    int done_before;               /* an earlier run had finished the load */
    struct load_deferred deferred; /* chunks they held when they came up */
    struct load_wait *wait;        /* --wait-for-dump */
    int waiting;                   /* r->m is the catalog: the dump is being written */
};

/* ---- run.c, for the other two ---- */

/* Every listed file present with its size, nothing unlisted: before anything
 * is loaded (hashes are checked as each file is read). */
int load_run_check_dump(struct run *r, struct cs_error *err);
/* --databases/--tables/--exclude and --rename-schema on M (LOG NULL: said
 * once already). */
int load_run_shape(struct run *r, struct fmt_manifest *m, const struct cs_log *log,
                   struct cs_error *err);
/* A phase NAME of the run's pool (pool.h), each job applied by FN with
 * CTX; its jobs (or their source) are the caller's to set. */
struct load_phase load_run_pool(struct run *r, const char *name, load_job_fn fn, void *ctx);
/* One phase's N JOBS on --threads workers (pool.h); "data" has the early
 * work's idle hook (early.h). */
int load_run_phase(struct run *r, const char *name, void **jobs, size_t n, load_job_fn fn,
                   struct cs_error *err);
/* The progress line's tick (load_phase.tick; ARG is the run). */
void load_run_tick(void *arg);
/* The next phase begins (for the progress line and events); always 0. */
int load_run_begin(struct run *r, const char *name);

/* ---- run_data.c ---- */

/* The chunks of the manifest not loaded yet, threads at a time. */
int load_run_data(struct run *r, struct cs_error *err);
/* An archive read to its end, each chunk loaded as it comes; a pipe's final
 * manifest then replaces the catalog. */
int load_run_stream(struct run *r, struct cs_error *err);
/* Chunks as they appear, until the manifest does; then it is checked and
 * replaces the catalog. */
int load_run_wait(struct run *r, struct cs_error *err);

/* ---- run_finish.c ---- */

/* Indexes, verification, foreign keys, objects, replication: by the first
 * loader to get here; one that finds the load done only verifies it. */
int load_run_finish(struct run *r, struct cs_error *err);

#endif
