#include "load/run_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "load/chunk.h"
#include "load/early.h"
#include "load/journal.h"
#include "load/jsoncheck.h"
#include "load/rename.h"
#include "load/select.h"
#include "load/share.h"
#include "load/stmtcheck.h"

/* 1 when an earlier run committed chunk C (it then counts as done). */
static int already_loaded(void *vr, const struct fmt_chunk *c)
{
    struct run *r = vr;
    struct cs_buf item = CS_BUF_INIT;
    int done;

    load_chunk_item(&item, c);
    done = item.data && load_journal_has(&r->journal, item.data);
    cs_buf_release(&item);
    if (done) {
        atomic_fetch_add(&r->ctx.prog.rows, c->rows);
        atomic_fetch_add(&r->ctx.prog.bytes, c->file_bytes);
        atomic_fetch_add(&r->ctx.prog.chunks, 1);
        cs_progress_skipped(r->cfg->console, c->rows, c->raw_bytes);
    }
    return done;
}

/* The data phase's progress: its jobs, rows and raw bytes, and per table
 * the chunks left for its "table done" event. */
static int watch_data(struct run *r, void **jobs, size_t k, struct cs_error *err)
{
    uint64_t rows = 0, raw = 0;

    r->ctx.chunks_left = calloc(r->m->ntables + 1, sizeof(*r->ctx.chunks_left));
    if (!r->ctx.chunks_left)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->m->ntables; i++)
        if (r->ctx.table_action[i] != LOAD_ACT_SKIP)
            for (size_t c = 0; c < r->m->tables[i].nchunks; c++) {
                rows += r->m->tables[i].chunks[c].rows;
                raw += r->m->tables[i].chunks[c].raw_bytes;
            }
    for (size_t j = 0; j < k; j++)
        atomic_fetch_add(&r->ctx.chunks_left[((struct load_chunk_ref *)jobs[j])->table], 1);
    cs_progress_phase(r->cfg->console, "data", k, "chunks");
    cs_progress_totals(r->cfg->console, rows, raw, 0);
    return 0;
}

int load_run_data(struct run *r, struct cs_error *err)
{
    struct load_chunk_ref *refs = NULL;
    void **jobs = NULL;
    size_t n = 0, k = 0, skipped = 0;
    int rc = -1;

    if (load_order_chunks(r->m, &refs, &n, err) < 0)
        return -1;
    jobs = calloc(n + 1, sizeof(void *));
    if (!jobs) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct fmt_chunk *c = &r->m->tables[refs[i].table].chunks[refs[i].chunk];
        if (r->ctx.table_action[refs[i].table] == LOAD_ACT_SKIP)
            continue;
        if (already_loaded(r, c))
            skipped++;
        else
            jobs[k++] = &refs[i];
    }
    if (skipped)
        cs_log_info(r->cfg->log, "%zu chunk(s) were loaded by an earlier run: skipped", skipped);
    if (load_early_init(&r->ctx, err) < 0)
        goto out;
    rc = watch_data(r, jobs, k, err) < 0 ? -1
                                         : load_run_phase(r, "data", jobs, k, load_job_chunk, err);
    if (rc == 0 && r->deferred.n) {
        /* held by other loaders: wait for each (it is done, or theirs died) */
        cs_log_info(r->cfg->log,
                    "%zu chunk(s) were being loaded by another csload: waiting "
                    "for them",
                    r->deferred.n);
        r->ctx.deferred = NULL;
        rc = load_run_phase(r, "data", r->deferred.jobs, r->deferred.n, load_job_chunk, err);
    }
out:
    free(jobs);
    free(refs);
    return rc;
}

/* ---- data from an archive, in the order it arrives ---- */

static int stream_next(void *vr, void **job, struct cs_error *err)
{
    struct run *r = vr;
    struct load_archive_chunk *ch = NULL;
    int rc = load_archive_next_chunk(r->arch, already_loaded, r, &ch, err);

    *job = ch;
    return rc;
}

static int cmp_name(const struct fmt_table *a, const char *schema, const char *name)
{
    int c = strcmp(a->schema, schema);
    return c ? c : strcmp(a->name, name);
}

static int cmp_by_name(const void *a, const void *b, void *vm)
{
    const struct fmt_manifest *m = vm;
    const struct fmt_table *y = &m->tables[*(const size_t *)b];
    return cmp_name(&m->tables[*(const size_t *)a], y->schema, y->name);
}

/* The index of table SCHEMA.NAME in r->m (ntables when it has none). */
static size_t table_index(const struct run *r, const char *schema, const char *name)
{
    size_t lo = 0, hi = r->m->ntables;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_name(&r->m->tables[r->by_name[mid]], schema, name);
        if (c == 0)
            return r->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return r->m->ntables;
}

static int stream_job(struct load_worker *w, void *job, void *vr, struct cs_error *err)
{
    struct run *r = vr;
    struct load_archive_chunk *ch = job;
    int rc = 0;
    size_t i = table_index(r, load_rename_map(r->cfg, ch->schema), ch->table);

    if (i == r->m->ntables && load_select_active(r->cfg) &&
        !load_select_table(r->cfg, ch->schema, ch->table))
        ; /* left out by the selection: read past */
    else if (r->cfg->no_data)
        ; /* --no-data: read past */
    else if (i == r->m->ntables)
        rc = cs_error_set(err, CS_ERR_FORMAT,
                          "%s: chunk %s is for %s.%s, which the catalog "
                          "does not have",
                          r->in->name, ch->c.file, ch->schema, ch->table);
    else if (r->ctx.table_action[i] != LOAD_ACT_SKIP)
        rc = load_job_apply(w, &r->ctx, &r->m->tables[i], &ch->c, err);
    load_archive_chunk_done(r->arch, ch);
    return rc;
}

/* Reads the archive to its end, loading chunks as they come; a pipe's final
 * manifest then replaces its catalog. */
int load_run_stream(struct run *r, struct cs_error *err)
{
    struct load_phase ph = load_run_pool(r, "data", stream_job, r);
    struct fmt_manifest *final = NULL;
    uint64_t est = 0;

    ph.next = stream_next;
    if (!(r->by_name = calloc(r->m->ntables + 1, sizeof(size_t))))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->m->ntables; i++)
        r->by_name[i] = i;
    qsort_r(r->by_name, r->m->ntables, sizeof(size_t), cmp_by_name, r->m);
    for (size_t i = 0; i < r->m->ntables; i++) /* the catalog has no chunks yet */
        est += r->ctx.table_action[i] == LOAD_ACT_SKIP ? 0 : r->m->tables[i].est_rows;
    cs_progress_phase(r->cfg->console, "data", 0, "chunks");
    cs_progress_totals(r->cfg->console, est, 0, 1);
    /* chunks come one by one: one another loader holds is waited for */
    r->ctx.deferred = NULL;
    if (load_pool_run(&ph, err) < 0 || load_archive_finish(r->arch, &final, err) < 0)
        return -1;
    if (final) {
        if (load_run_shape(r, final, NULL, err) < 0 ||
            load_compat_manifest(r->compat, final, err) < 0) {
            fmt_manifest_free(final);
            return -1;
        }
        struct cs_error ignore; /* each chunk was checked as it came */
        cs_error_clear(&ignore);
        load_jsoncheck_target(final, &r->target.version, NULL, &ignore);
        fmt_manifest_free(r->m);
        r->m = final;
        r->ctx.m = final;
        for (size_t i = 0; i < r->m->ntables; i++)
            r->total_chunks += r->m->tables[i].nchunks;
    }
    for (size_t i = 0; i < r->m->ntables; i++) { /* the stream did not say when a table ended */
        const struct fmt_table *t = &r->m->tables[i];
        uint64_t rows = 0, raw = 0;
        if (r->ctx.table_action[i] == LOAD_ACT_SKIP)
            continue;
        for (size_t c = 0; c < t->nchunks; c++) {
            rows += t->chunks[c].rows;
            raw += t->chunks[c].raw_bytes;
        }
        cs_progress_table(r->cfg->console, t->schema, t->name, rows, raw, t->nchunks);
    }
    return 0;
}

/* ---- a dump still being written (--wait-for-dump) ---- */

static int wait_next(void *vr, void **job, struct cs_error *err)
{
    struct run *r = vr;
    struct load_wait_chunk *c = NULL;
    int rc = load_wait_next(r->wait, r->m, &c, err);

    *job = c;
    return rc;
}

static int wait_job(struct load_worker *w, void *job, void *vr, struct cs_error *err)
{
    struct run *r = vr;
    struct load_wait_chunk *c = job;
    struct cs_buf item = CS_BUF_INIT;
    int rc;

    if (r->ctx.table_action[c->table] == LOAD_ACT_SKIP)
        return 0;
    /* its claim row, so other loaders waiting for the same dump share it */
    load_chunk_item(&item, &c->c);
    rc = cs_buf_failed(&item) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                              : load_share_claim_add(&w->conn, r->dump_id, item.data, err);
    cs_buf_release(&item);
    if (rc == 0)
        rc = load_job_apply_early(w, &r->ctx, &r->m->tables[c->table], &c->c, &c->rows, c->hash,
                                  err);
    return rc < 0 ? -1 : 0;
}

/* The manifest that came is the catalog's dump, table for table. */
static int same_dump(const struct run *r, const struct fmt_manifest *m, struct cs_error *err)
{
    int same = m->ntables == r->m->ntables && m->dump_id && r->m->dump_id &&
               !strcmp(m->dump_id, r->m->dump_id);

    for (size_t i = 0; same && i < m->ntables; i++)
        same = !strcmp(m->tables[i].schema, r->m->tables[i].schema) &&
               !strcmp(m->tables[i].name, r->m->tables[i].name);
    return same ? 0
                : cs_error_set(err, CS_ERR_FORMAT,
                               "%s: the manifest that came does not describe the dump whose "
                               "catalog was loaded (another dump in the same place?)",
                               r->in->name);
}

/* Chunks as they appear, until the manifest does; then the manifest is
 * checked and replaces the catalog. */
int load_run_wait(struct run *r, struct cs_error *err)
{
    struct load_phase ph = load_run_pool(r, "data", wait_job, r);
    struct fmt_manifest *final;

    ph.next = wait_next;
    r->ctx.deferred = NULL;
    cs_progress_phase(r->cfg->console, "data", 0, "chunks"); /* and again for the rest */
    if (load_pool_run(&ph, err) < 0 || !(final = load_wait_manifest(r->wait, err)))
        return -1;
    /* the objects the final phases create come from this manifest: checked
     * as the catalog was */
    if (same_dump(r, final, err) < 0 || load_compat_manifest(r->compat, final, err) < 0 ||
        load_stmtcheck_dump(r->in, final, r->cfg->include_system, err) < 0 ||
        load_journal_check(&r->main, r->dump_id, final, r->in->name, err) < 0) {
        fmt_manifest_free(final);
        return -1;
    }
    cs_log_info(r->cfg->log, "%s: the dump is complete: loading what is left", r->in->name);
    fmt_manifest_free(r->m);
    r->m = final;
    r->ctx.m = final;
    r->waiting = 0;
    for (size_t i = 0; i < r->m->ntables; i++) {
        r->total_chunks += r->m->tables[i].nchunks;
        for (size_t k = 0; k < r->m->tables[i].nchunks; k++)
            r->total_bytes += r->m->tables[i].chunks[k].file_bytes;
    }
    load_journal_release(&r->journal);
    r->ctx.deferred = &r->deferred;
    return load_run_check_dump(r, err) < 0 ||
                   load_share_claims_fill(&r->main, r->dump_id, r->m, err) < 0 ||
                   load_journal_read(&r->main, r->dump_id, &r->journal, err) < 0
               ? -1
               : 0;
}
