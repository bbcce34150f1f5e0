#include "load/run_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/console.h"
#include "load/early.h"
#include "load/journal.h"
#include "load/rename.h"
#include "load/schema.h"
#include "load/share.h"

/* KIND "index" or "fk": one ALTER per table with deferred definitions. */
static int alter_phase(struct run *r, const char *kind, struct cs_error *err)
{
    struct load_table_job *tj = calloc(r->m->ntables + 1, sizeof(*tj));
    void **jobs = calloc(r->m->ntables + 1, sizeof(void *));
    struct cs_buf item = CS_BUF_INIT;
    size_t k = 0, done = 0;
    int idx = !strcmp(kind, "index"), rc;

    if (!tj || !jobs) {
        free(tj);
        free(jobs);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->m->ntables; i++) {
        const struct load_ddl_split *s = &r->ctx.splits[i];
        if (r->ctx.table_action[i] == LOAD_ACT_SKIP || (idx ? !s->nindexes : !s->nfks))
            continue;
        cs_buf_reset(&item);
        load_journal_item(&item, kind, r->m->tables[i].schema, r->m->tables[i].name);
        /* built during the data phase, or by an earlier run */
        if (item.data && load_journal_has(&r->journal, item.data)) {
            done++;
            continue;
        }
        tj[k] = (struct load_table_job){i, idx ? s->indexes : s->fks, idx ? s->nindexes : s->nfks,
                                        kind};
        jobs[k] = &tj[k];
        k++;
    }
    cs_buf_release(&item);
    if (done && idx)
        cs_log_info(r->cfg->log,
                    "indexes: %zu table(s) have theirs already (built during the "
                    "data phase or by an earlier run)",
                    done);
    rc = load_run_phase(r, kind, jobs, k, load_job_alter, err);
    free(tj);
    free(jobs);
    return rc;
}

static int verify_phase(struct run *r, struct cs_error *err)
{
    struct load_chunk_ref *refs = calloc(r->total_chunks + r->m->ntables + 1, sizeof(*refs));
    void **jobs = calloc(r->total_chunks + r->m->ntables + 1, sizeof(void *));
    size_t k = 0, early = 0;
    int rc = -1;

    if (!refs || !jobs) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r->m->ntables; i++) {
        const struct fmt_table *t = &r->m->tables[i];
        if (r->ctx.table_action[i] == LOAD_ACT_SKIP)
            continue;
        if (t->nkey == 0 || t->nchunks == 0) { /* the whole table at once */
            refs[k] = (struct load_chunk_ref){i, SIZE_MAX};
            jobs[k] = &refs[k];
            k++;
            continue;
        }
        for (size_t c = 0; c < t->nchunks; c++) {
            if (load_early_done(&r->ctx, i, c)) {
                early++;
                continue;
            }
            refs[k] = (struct load_chunk_ref){i, c};
            jobs[k] = &refs[k];
            k++;
        }
    }
    if (early)
        cs_log_info(r->cfg->log, "verify: %zu chunk(s) were verified during the data phase", early);
    if (load_run_phase(r, "verify", jobs, k, load_job_verify, err) < 0)
        goto out;
    if (atomic_load(&r->ctx.prog.mismatches)) {
        cs_error_set(err, CS_ERR_CHECKSUM,
                     "verification failed: %llu chunk(s) or table(s) differ from the dump "
                     "(listed above); the load is not complete",
                     (unsigned long long)atomic_load(&r->ctx.prog.mismatches));
        goto out;
    }
    rc = 0;
out:
    free(refs);
    free(jobs);
    return rc;
}

static void summary(struct run *r)
{
    struct load_progress *p = &r->ctx.prog;
    double el = cs_now() - r->t0, bytes = (double)atomic_load(&p->bytes);

    double raw = 0;

    for (size_t i = 0; i < r->m->ntables; i++)
        if (r->ctx.table_action[i] != LOAD_ACT_SKIP)
            raw += (double)fmt_table_raw_bytes(&r->m->tables[i]);
    if (r->cfg->console)
        cs_console_progress_done(r->cfg->console);
    cs_log_info(r->cfg->log,
                "load complete: %zu tables, %llu rows, %llu chunks, %.1f MB raw (%.1f MB of "
                "chunk files) in %.1f s (%.1f MB/s raw); %s",
                r->m->ntables, (unsigned long long)atomic_load(&p->rows),
                (unsigned long long)atomic_load(&p->chunks), raw / 1e6, bytes / 1e6, el,
                el > 0 ? raw / 1e6 / el : 0.0,
                r->cfg->no_data  ? "no rows (--no-data: schema and objects only)"
                : r->cfg->verify ? "verified: every chunk matches the dump"
                                 : "NOT verified (--no-verify)");
    if (*r->selection) {
        cs_log_info(r->cfg->log, "%s", r->selection);
        cs_log_warn(r->cfg->log, "this load is a part of the dump: replication from the source "
                                 "would also apply the source's changes to what this load left "
                                 "out; set replication filters that match the load first");
    }
    if (r->cfg->data_only)
        cs_log_info(r->cfg->log, "--data-only: rows into the tables the target had; no table, "
                                 "index, view, routine, trigger or event was created or changed");
    if (fmt_manifest_subset(r->m))
        cs_log_info(r->cfg->log, "the dump is a subset (csdump --where): the tables hold only "
                                 "the rows of their conditions");
    if (r->cfg->nrenames) {
        struct cs_buf hint = CS_BUF_INIT;
        load_rename_repl_hint(r->cfg, &hint);
        cs_log_info(r->cfg->log,
                    "schemas were renamed: replicating from the source needs the rewrite "
                    "filter, %s",
                    hint.data ? hint.data : "(out of memory)");
        cs_buf_release(&hint);
    }
    load_compat_summary(r->compat, r->cfg->log);
    load_accounts_summary(r->accounts, r->cfg->log);
    cs_log_info(r->cfg->log,
                "the progress journal stays on the target in schema " LOAD_JOURNAL_SCHEMA
                " (a rerun of this dump finds everything done): drop "
                "it with DROP DATABASE `" LOAD_JOURNAL_SCHEMA "` once the copy is in use");
}

/* After the rows: the indexes (not with --data-only: none was dropped),
 * verification (not with --no-data), foreign keys and objects (not with
 * --data-only). */
static int rows_done(struct run *r, struct cs_error *err)
{
    const struct load_config *cfg = r->cfg;

    if (!cfg->data_only && alter_phase(r, "index", err) < 0)
        return -1;
    if (cfg->verify && !cfg->no_data && verify_phase(r, err) < 0)
        return -1;
    if (cfg->data_only)
        return 0;
    if (alter_phase(r, "fk", err) < 0 || load_run_begin(r, "objects"))
        return -1;
    return load_schema_objects(&r->main, &r->ctx, r->m->sql_mode, err);
}

/* Indexes, verification, foreign keys, objects, replication: by the first
 * loader to get here; one that finds the load done only verifies it. */
int load_run_finish(struct run *r, struct cs_error *err)
{
    int rc = -1;

    if (load_share_lock(&r->main, r->dump_id, r->cfg->cancel, r->cfg->log, "finishing the load",
                        err) < 0)
        return -1;
    load_journal_release(&r->journal);
    if (load_journal_read(&r->main, r->dump_id, &r->journal, err) < 0)
        goto out;
    if (!r->done_before && load_journal_has(&r->journal, "load:done")) {
        cs_log_info(r->cfg->log, "another csload finished this load: verifying it");
        if (!r->cfg->verify || r->cfg->no_data || verify_phase(r, err) == 0) {
            summary(r);
            rc = 0;
        }
        goto out;
    }
    if (rows_done(r, err) < 0 || load_accounts_grant(r->accounts, &r->main, r->dump_id, err) < 0)
        goto out;
    load_run_begin(r, "replication");
    summary(r);
    if (load_replsetup_run(&r->repl, &r->main, r->m, &r->target, err) == 0)
        rc = load_journal_mark(&r->main, r->dump_id, "load:done", err);
out:
    load_share_unlock(&r->main, r->dump_id);
    return rc;
}
