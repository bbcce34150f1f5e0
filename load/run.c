#include "load/run.h"
#include "load/run_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "load/check.h"
#include "load/dataonly.h"
#include "load/chunk.h"
#include "load/definer.h"
#include "load/dryrun.h"
#include "load/early.h"
#include "load/jsoncheck.h"
#include "load/nontx.h"
#include "load/privs.h"
#include "load/rename.h"
#include "load/schema.h"
#include "load/select.h"
#include "load/share.h"
#include "load/stmtcheck.h"
#include "load/trust.h"

/* The journal's key: the dump's id, or (older dumps) the manifest's hash. */
static int dump_id_of(struct run *r, struct cs_error *err)
{
    struct fmt_source *raw, *counter;
    char buf[65536];
    uint64_t bytes;
    ssize_t n = -1;

    if (r->m->dump_id && strlen(r->m->dump_id) == 32) {
        memcpy(r->dump_id, r->m->dump_id, sizeof(r->dump_id));
        return 0;
    }
    raw = r->in->open(r->in, FMT_MANIFEST_NAME, err);
    counter = raw ? fmt_source_counter_new(raw, err) : NULL;
    while (counter && (n = fmt_source_read(counter, buf, sizeof(buf), err)) > 0)
        ;
    if (counter && n == 0)
        fmt_source_counter_result(counter, &bytes, r->dump_id);
    fmt_source_free(counter);
    return n == 0 ? 0 : -1;
}

int load_run_check_dump(struct run *r, struct cs_error *err)
{
    /* --verify-key: every file's SHA-256 before anything is written */
    int verify = r->cfg->verify_key != NULL;
    struct cs_error first;
    int problems;

    cs_error_clear(&first);
    problems = load_check_run(r->in, r->m, r->cfg->log, !verify, &first, err);
    if (problems > 0 && verify)
        cs_error_set(err, first.code,
                     "refusing the dump: %d file(s) differ from what was signed (listed above), "
                     "the first: %s; nothing was loaded",
                     problems, first.msg);
    else if (problems > 0)
        cs_error_set(err, CS_ERR_CHECKSUM,
                     "%s: %d problem(s) in the dump (listed above); nothing was loaded (csload "
                     "--check %s checks every file's hash too)",
                     r->in->name, problems, r->in->name);
    return problems == 0 ? 0 : -1;
}

/* A deep copy of M, through its JSON. */
static struct fmt_manifest *copy_manifest(const struct fmt_manifest *m, struct cs_error *err)
{
    char *json = fmt_manifest_to_json(m, err);
    struct fmt_manifest *copy = json ? fmt_manifest_from_json(json, strlen(json), "manifest", err)
                                     : NULL;

    free(json);
    return copy;
}

/* M is the catalog first, an archive's final manifest after the stream. */
int load_run_shape(struct run *r, struct fmt_manifest *m, const struct cs_log *log,
                   struct cs_error *err)
{
    const struct load_config *cfg = r->cfg;
    int rc = 0;

    /* the selection is in the dump's names: its statements as they are */
    r->in->rename = NULL;
    if (load_select_active(cfg))
        rc = load_select_apply(cfg, r->in, m, log, r->selection, sizeof(r->selection), err);
    if (rc < 0)
        goto fail;
    if (log && *r->selection)
        cs_log_info(log, "%s", r->selection);
    if (!cfg->nrenames)
        return 0;
    if (load_rename_manifest(cfg, m, err) < 0)
        goto fail;
    r->in->rename = cfg;
    for (size_t i = 0; log && i < cfg->nrenames; i++) {
        const char *colon = strchr(cfg->renames[i], ':');
        cs_log_info(log, "--rename-schema: schema %.*s of the dump loads as %s",
                    (int)(colon - cfg->renames[i]), cfg->renames[i], colon + 1);
    }
    return 0;
fail:
    r->usage = err->code == CS_ERR_USAGE;
    return -1;
}

static void preflight(struct run *r)
{
    const struct load_target *t = &r->target;
    const struct fmt_manifest *m = r->m;
    char ep[300];

    cs_conn_endpoint(&r->main, ep, sizeof(ep));
    cs_log_info(r->cfg->log, "dump of %s %s (%s, %s) -> target %s %s, connected %s%s", m->flavor,
                m->server_version, m->lock_mode, m->consistent ? "consistent" : "NOT consistent",
                cs_flavor_name(t->version.flavor), t->version_text,
                strstr(ep, "via ") == ep ? "" : "to ", ep);
    if (!m->consistent)
        cs_log_warn(r->cfg->log, "the dump is not consistent: %s",
                    m->consistency_note ? m->consistency_note : "");
    r->ctx.use_infile = m->format == FMT_FORMAT_TSV && t->local_infile;
    r->ctx.bound_rows = t->bulk_rows;
    r->ctx.bound_bytes = load_chunk_bound_bytes(t->max_packet);
    if (m->format == FMT_FORMAT_TSV && !t->local_infile)
        cs_log_warn(r->cfg->log,
                    "the target has local_infile=OFF: loading %swith INSERT statements "
                    "instead of LOAD DATA LOCAL (slower; SET GLOBAL local_infile=1 to speed it up)",
                    t->bulk_rows ? "the tables whose values do not bind as arrays " : "");
    if (t->read_only)
        cs_log_warn(r->cfg->log, "the target is read_only: the load works only for users with "
                                 "SUPER / READ_ONLY ADMIN");
    load_select_report_subset(r->m, r->cfg->log);
}

/* Every row must fit in one packet (sql chunks: one INSERT of 1 MiB or one row). */
static int check_packet(struct run *r, struct cs_error *err)
{
    uint64_t need = 0;
    const struct fmt_table *big = NULL;

    for (size_t i = 0; i < r->m->ntables; i++)
        if (r->m->tables[i].max_row_bytes > need) {
            need = r->m->tables[i].max_row_bytes;
            big = &r->m->tables[i];
        }
    need += need / 8 + 64 * 1024; /* statement text and protocol overhead */
    if (r->m->format == FMT_FORMAT_SQL && need < 1024 * 1024 + 64 * 1024)
        need = 1024 * 1024 + 64 * 1024;
    if (!big || r->target.max_packet >= need)
        return 0;
    return cs_error_set(err, CS_ERR_USAGE,
                        "%s.%s has a row of %llu bytes, more than the target's "
                        "max_allowed_packet (%llu) allows: SET GLOBAL max_allowed_packet = "
                        "%llu on the target first",
                        big->schema, big->name, (unsigned long long)big->max_row_bytes,
                        r->target.max_packet, (unsigned long long)need);
}

static int connect_target(struct run *r, struct cs_error *err)
{
    if (cs_conn_open(&r->main, &r->cfg->conn, "csload", err) < 0 ||
        load_target_read(&r->main, &r->target, err) < 0 ||
        load_replsetup_check(&r->repl, r->cfg, r->m, &r->target, err) < 0 ||
        check_packet(r, err) < 0 ||
        load_compat_prepare(&r->compat, &r->main, r->cfg, r->in, r->m, &r->target, err) < 0 ||
        load_session_setup(&r->main, r->cfg, &r->target, r->m->sql_mode, err) < 0 ||
        /* what a killed csload --fast-target left, before anything else */
        load_fast_recover(&r->main, r->cfg->log, r->cfg->dry_run, err) < 0)
        return -1;
    return 0;
}

/* 1 when --if-exists=replace meets an earlier run of this dump that is not
 * one started with it and interrupted (which the same command resumes). */
static int replace_over_earlier(const struct run *r)
{
    return r->cfg->if_exists == LOAD_IF_EXISTS_REPLACE && !r->cfg->reset_progress &&
           (load_journal_has(&r->journal, "load:done") ||
            !load_journal_has(&r->journal, "load:replace"));
}

/* The journal as it is (nothing created yet); --reset-progress forgets it. */
static int read_journal(struct run *r, int *exists, int *first_run, struct cs_error *err)
{
    if (load_journal_peek(&r->main, r->dump_id, &r->journal, exists, err) < 0)
        return -1;
    if (r->cfg->reset_progress)
        load_journal_release(&r->journal);
    *first_run = !load_journal_has(&r->journal, "load:started");
    if (!*first_run && replace_over_earlier(r)) {
        int done = load_journal_has(&r->journal, "load:done");
        return cs_error_set(err, CS_ERR_USAGE,
                            "the target holds %s run of this dump (dump id %s in " LOAD_JOURNAL_SCHEMA
                            "): --if-exists=replace would skip what that run loaded, not replace "
                            "it. To drop and load everything again, run: %s  (%s)",
                            done ? "a finished" : "an interrupted", r->dump_id,
                            r->cfg->reset_command ? r->cfg->reset_command
                                                  : "csload --reset-progress ...",
                            done ? "without --if-exists=replace, a rerun finds everything done"
                                 : "to resume that run instead, run the command without "
                                   "--if-exists=replace");
    }
    if (!*first_run)
        cs_log_info(r->cfg->log, "resuming: %zu step(s) of an earlier run are done", r->journal.n);
    /* a catalog (--wait-for-dump) has no chunks yet: its journal is
     * checked when the manifest comes (wait_phase) */
    return *first_run || r->waiting
               ? 0
               : load_journal_check(&r->main, r->dump_id, r->m, r->in->name, err);
}

/* After every check: the journal is made (and an earlier run forgotten). */
static int open_journal(struct run *r, struct cs_error *err)
{
    if (load_journal_ensure(&r->main, err) < 0)
        return -1;
    if (r->cfg->reset_progress) {
        cs_log_info(r->cfg->log, "--reset-progress: forgetting what earlier runs of this dump did");
        if (load_journal_reset(&r->main, r->dump_id, err) < 0)
            return -1;
    }
    return 0;
}

/* The load begins changing the target: journaled (with --if-exists=replace
 * too, so that a rerun of the same command resumes). */
static int mark_started(struct run *r, struct cs_error *err)
{
    if (load_journal_mark(&r->main, r->dump_id, "load:started", err) < 0 ||
        (r->cfg->if_exists == LOAD_IF_EXISTS_REPLACE &&
         load_journal_mark(&r->main, r->dump_id, "load:replace", err) < 0))
        return -1;
    r->started = 1;
    return 0;
}

/* A load that failed after it began: what is committed stays, and the same
 * command picks up from there. */
static void resume_hint(const struct run *r, struct cs_error *err)
{
    size_t n = strlen(err->msg);
    unsigned long long done = (unsigned long long)atomic_load(&r->ctx.prog.chunks);

    if (!r->started || err->code == CS_ERR_CHECKSUM || err->code == CS_ERR_USAGE)
        return;
    snprintf(err->msg + n, sizeof(err->msg) - n,
             "; what was committed (%llu chunk(s) by this run) stays in the journal "
             LOAD_JOURNAL_SCHEMA " on the target: run the same command again to resume",
             done);
}

static int init_ctx(struct run *r, struct cs_error *err)
{
    struct load_ctx *c = &r->ctx;

    c->cfg = r->cfg;
    c->in = r->in;
    c->m = r->m;
    c->journal = &r->journal;
    c->dump_id = r->dump_id;
    c->compat = r->compat;
    /* a pipe's or a dump-in-progress's catalog has no chunks yet */
    c->sizes_known = !r->waiting && (!r->arch || !load_archive_is_pipe(r->arch));
    c->splits = calloc(r->m->ntables + 1, sizeof(*c->splits));
    c->table_action = calloc(r->m->ntables + 1, 1);
    c->path = calloc(r->m->ntables + 1, 1);
    c->no_bulk = calloc(r->m->ntables + 1, 1);
    c->serial_mu = calloc(r->m->ntables + 1, sizeof(*c->serial_mu));
    if (!c->path || !c->no_bulk || !c->serial_mu)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    c->nserial = r->m->ntables;
    for (size_t i = 0; i < c->nserial; i++)
        pthread_mutex_init(&c->serial_mu[i], NULL);
    c->object_action = calloc(r->m->nobjects + 1, 1);
    if (!c->splits || !c->table_action || !c->object_action)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->m->ntables; i++) {
        r->total_chunks += r->m->tables[i].nchunks;
        for (size_t k = 0; k < r->m->tables[i].nchunks; k++)
            r->total_bytes += r->m->tables[i].chunks[k].file_bytes;
    }
    return 0;
}

void load_run_tick(void *arg)
{
    struct run *r = arg;

    if (r->cfg->progress)
        cs_progress_tick(r->cfg->console);
}

struct load_phase load_run_pool(struct run *r, const char *name, load_job_fn fn, void *ctx)
{
    return (struct load_phase){.name = name,
                               .cfg = r->cfg,
                               .target = &r->target,
                               .sql_mode = r->m->sql_mode,
                               .fn = fn,
                               .ctx = ctx,
                               .tick = load_run_tick,
                               .tick_arg = r};
}

int load_run_phase(struct run *r, const char *name, void **jobs, size_t n, load_job_fn fn,
                   struct cs_error *err)
{
    struct load_phase ph = load_run_pool(r, name, fn, &r->ctx);

    ph.jobs = jobs;
    ph.njobs = n;
    ph.idle = !strcmp(name, "data") ? load_early_idle : NULL;
    if (strcmp(name, "data")) /* the data phase began before its jobs were counted */
        cs_progress_phase(r->cfg->console,
                          !strcmp(name, "index") ? "indexes"
                          : !strcmp(name, "fk")  ? "foreign-keys"
                                                 : name,
                          n, !strcmp(name, "verify") ? "checks" : "tables");
    return load_pool_run(&ph, err);
}

/* Per table: how its chunks go in (load/tablepath.h), with a log line for
 * each table of several chunks whose path is not the plain one. */
static void choose_paths(struct run *r)
{
    const struct load_target *t = &r->target;
    struct load_path_env env = {.threads = r->cfg->threads,
                                .autoinc_lock_mode = t->autoinc_lock_mode,
                                .bulk_path = t->version.flavor == CS_FLAVOR_MARIADB &&
                                             cs_version_at_least(&t->version, 10, 6, 0),
                                .infile = r->ctx.use_infile,
                                .sizes_known = r->ctx.sizes_known,
                                .bound = r->ctx.bound_rows};
    struct load_path_choice ch;
    size_t unknown = 0, nobulk = 0;

    for (size_t i = 0; i < r->m->ntables; i++)
        if (r->ctx.table_action[i] != LOAD_ACT_SKIP)
            env.total_bytes += fmt_table_raw_bytes(&r->m->tables[i]);
    for (size_t i = 0; i < r->m->ntables && i < r->ctx.nserial; i++) {
        const struct fmt_table *tab = &r->m->tables[i];
        const char *create = r->ctx.splits[i].create;
        /* a false match of the word (a comment) costs parallelism only */
        struct load_path_table pt = {
            .autoinc = create && strstr(create, "AUTO_INCREMENT") != NULL,
            .bindable = r->m->format == FMT_FORMAT_TSV && load_chunk_bindable(tab),
            .nchunks = tab->nchunks,
            .bytes = fmt_table_raw_bytes(tab)};

        if (r->ctx.table_action[i] == LOAD_ACT_SKIP || !tab->transactional)
            continue;
        load_path_choose(&env, &pt, &ch);
        r->ctx.path[i] = (unsigned char)ch.path;
        r->ctx.no_bulk[i] = (unsigned char)ch.no_bulk;
        unknown += !env.sizes_known && ch.why[0];
        /* off the bulk-insert path only: one line for all, below */
        nobulk += ch.no_bulk && ch.path == LOAD_PATH_PARALLEL && tab->nchunks <= 1;
        if (!ch.why[0] || !env.sizes_known || (ch.path == LOAD_PATH_PARALLEL && tab->nchunks <= 1))
            continue;
        cs_log_printf(r->cfg->log, ch.path == LOAD_PATH_INSERT ? CS_LOG_INFO : CS_LOG_VERBOSE,
                      "%s.%s: %zu chunk(s) by %s, %s (%s)", tab->schema, tab->name, tab->nchunks,
                      load_path_name(ch.path, env.infile),
                      ch.path == LOAD_PATH_SERIAL || ch.path == LOAD_PATH_BOUND_SERIAL
                          ? "one at a time"
                          : "threads at a time",
                      ch.why);
    }
    if (nobulk && env.sizes_known)
        cs_log_verbose(r->cfg->log,
                       "%zu table(s) of one chunk load off the bulk-insert path "
                       "(unique_checks=1: the bulk-insert path cost more server CPU at every "
                       "size measured)",
                       nobulk);
    if (unknown) /* a streamed catalog: one line, not one per table */
        cs_log_verbose(r->cfg->log,
                       "%zu table(s) whose chunks are not known yet: %stables with an "
                       "AUTO_INCREMENT column load one chunk at a time%s",
                       unknown,
                       env.bound ? "tables whose values bind go as arrays of bound rows, other "
                                 : "",
                       env.bulk_path ? ", every table off the bulk-insert path" : "");
}

/* The tables, created THREADS at a time (each its own DDL, independent). */
static int tables_phase(struct run *r, struct cs_error *err)
{
    size_t *todo = NULL, n = 0;
    void **jobs = NULL;
    int rc = -1;

    if (load_schema_tables_prepare(&r->ctx, &todo, &n, err) < 0)
        goto out;
    if (!(jobs = calloc(n + 1, sizeof(void *)))) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n; k++)
        jobs[k] = &todo[k];
    choose_paths(r);
    rc = load_run_phase(r, "tables", jobs, n, load_job_create_table, err);
out:
    free(jobs);
    free(todo);
    return rc;
}

/* Before anything is written: what the target has must take the load.
 * --data-only: the tables are there and fit; otherwise none of the dump's
 * objects may be there (--if-exists) and every definer must be possible. */
static int target_checks(struct run *r, int first_run, struct cs_error *err)
{
    if (load_schema_check_target(&r->ctx, &r->target, err) < 0)
        return -1;
    if (r->cfg->data_only) {
        if (load_dataonly_check(&r->main, r->m, r->cfg->log, err) < 0) {
            r->usage = 1;
            return -1;
        }
        return 0;
    }
    if (load_schema_conflicts(&r->main, &r->ctx, first_run, err) < 0)
        return -1;
    return load_definers_check(&r->main, &r->ctx, r->accounts, err);
}

/* Schemas, sequences and tables (not with --data-only). */
static int ddl_phase(struct run *r, struct cs_error *err)
{
    if (r->cfg->data_only)
        return load_accounts_create(r->accounts, &r->main, r->dump_id, err);
    if (load_schema_databases(&r->main, &r->ctx, err) < 0 ||
        load_accounts_create(r->accounts, &r->main, r->dump_id, err) < 0 ||
        load_schema_sequences(&r->main, &r->ctx, err) < 0)
        return -1;
    return tables_phase(r, err);
}

int load_run_begin(struct run *r, const char *name)
{
    cs_progress_phase(r->cfg->console, name, 0, NULL);
    return 0;
}

/* Journal, schemas, tables and claims: one loader at a time (load/share.h). */
/* Everything a load checks before its first change, the journal included
 * (read, not created): a refused load leaves the target as it was, and a
 * dry run stops after.  --data-only creates nothing: its own check. */
static int checks(struct run *r, int *journal_exists, struct cs_error *err)
{
    int first_run;

    if (read_journal(r, journal_exists, &first_run, err) < 0 || init_ctx(r, err) < 0 ||
        (r->cfg->fast_target && !r->fast &&
         load_fast_prepare(&r->fast, &r->main, r->cfg, &r->target.version, r->m, &r->journal,
                           err) < 0) ||
        load_accounts_prepare(&r->accounts, &r->main, r->cfg, r->in, r->m, &r->target, &r->journal,
                              first_run, err) < 0 ||
        (!r->cfg->data_only && load_privs_check(&r->main, r->cfg, r->m, err) < 0) ||
        target_checks(r, first_run, err) < 0)
        return -1;
    return 0;
}

/* --dry-run: the checks, then the plan. */
static int dry_phases(struct run *r, struct cs_error *err)
{
    int exists = 0;

    if (checks(r, &exists, err) < 0)
        return -1;
    load_dryrun_print(&r->ctx, exists);
    load_fast_print_plan(r->fast);
    if (load_replsetup_print(&r->repl, &r->main, r->m, &r->target, err) < 0)
        return -1;
    cs_log_info(r->cfg->log, "dry run complete: the load would start; nothing was changed on "
                             "the target");
    return 0;
}

static int setup_phase(struct run *r, struct cs_error *err)
{
    int exists, rc;

    if (load_share_lock(&r->main, r->dump_id, r->cfg->cancel, r->cfg->log, "setting the load up",
                        err) < 0)
        return -1;
    rc = checks(r, &exists, err) < 0 || open_journal(r, err) < 0 || mark_started(r, err) < 0 ||
                 (r->fast && load_fast_apply(r->fast, &r->main, r->dump_id, err) < 0) ||
                 load_compat_record(r->compat, &r->main, r->dump_id, err) < 0 ||
                 load_run_begin(r, "tables") || ddl_phase(r, err) < 0 ||
                 load_share_claims_fill(&r->main, r->dump_id, r->m, err) < 0
             ? -1
             : 0;
    /* a table another loader is filling is not emptied (load/nontx.h):
     * counted again under the lock, so one that started after this loader
     * counted and took the lock first is seen (presence is re-entrant) */
    if (rc == 0)
        rc = load_share_present(&r->main, r->dump_id, &r->others, err);
    if (rc == 0 && !r->others && !r->cfg->no_data)
        rc = load_nontx_prepare(&r->main, &r->ctx, &r->journal, err);
    r->done_before = load_journal_has(&r->journal, "load:done");
    load_share_unlock(&r->main, r->dump_id);
    r->ctx.claim = cs_version_at_least(&r->target.version,
                                       r->target.version.flavor == CS_FLAVOR_MARIADB ? 10 : 8,
                                       r->target.version.flavor == CS_FLAVOR_MARIADB ? 6 : 0, 0)
                       ? LOAD_CLAIM_SKIP
                       : LOAD_CLAIM_WAIT;
    r->ctx.deferred = &r->deferred;
    return rc;
}

static int phases(struct run *r, struct cs_error *err)
{
    if (load_share_present(&r->main, r->dump_id, &r->others, err) < 0)
        return -1;
    if (r->others)
        cs_log_info(r->cfg->log, "%u other csload process(es) are loading this dump: sharing "
                                 "its chunks with them",
                    r->others);
    if (setup_phase(r, err) < 0 || (r->waiting && load_run_wait(r, err) < 0) ||
        (r->arch && !load_archive_in_place(r->arch) ? load_run_stream(r, err)
         : r->cfg->no_data                          ? 0
                                                    : load_run_data(r, err)) < 0)
        return -1;
    return load_run_finish(r, err);
}

/* --fast-target's settings back, on every path: a failure to restore
 * fails a load that succeeded, and is said after the error of one that
 * did not. */
static void restore_fast(struct run *r, int *rc, struct cs_error *err)
{
    struct cs_error e;

    cs_error_clear(&e);
    if (load_fast_restore(r->fast, &r->main, r->cfg, &e) < 0) {
        if (*rc == 0) {
            cs_error_copy(err, &e);
            *rc = -1;
        } else {
            cs_log_error(r->cfg->log, "%s", e.msg);
        }
    }
    load_fast_free(r->fast);
    r->fast = NULL;
}

int load_run(const struct load_config *cfg, struct cs_error *err)
{
    struct load_trust trust;
    struct run r;
    int rc = -1;

    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.deferred.mu, NULL);
    r.cfg = cfg;
    r.t0 = cs_now();
    trust.verify = cfg->verify_key;
    trust.log = cfg->log;
    trust.seal = cfg->seal_key;
    cs_progress_phase(cfg->console, "check", 0, NULL);
    if (cfg->archive) {
        /* verifying: pass 1 of a file hashes every chunk before anything is loaded */
        r.arch = load_archive_open(cfg->archive, cfg->verify_key != NULL, &trust, &cfg->s3,
                                   cfg->log, cfg->cancel, err);
        r.in = r.arch ? load_archive_input(r.arch) : NULL;
        r.m = r.arch ? load_archive_take_manifest(r.arch) : NULL;
        if (r.m && (load_select_active(cfg) || cfg->nrenames)) {
            /* the archive keeps pointers into its catalog: shape a copy */
            r.catalog = r.m;
            r.m = copy_manifest(r.catalog, err);
        }
    } else {
        int final = 1;
        r.in = cfg->wait_for_dump && !cs_s3_is_url(cfg->input) &&
                       load_wait_dir(cfg->input, cfg->wait_for_dump, cfg->cancel, cfg->log,
                                     err) < 0
                   ? NULL
                   : load_input_trust_new(load_input_open(cfg->input, &cfg->s3, cfg->log,
                                                          cfg->cancel, err),
                                          &trust, err);
        if (r.in && cfg->wait_for_dump)
            r.wait = load_wait_new(r.in, cfg->wait_for_dump, cfg->cancel, cfg->log, &r.m, &final,
                                   err);
        else
            r.m = r.in ? r.in->read_manifest(r.in, err) : NULL;
        r.waiting = !final;
    }
    if (!r.m || dump_id_of(&r, err) < 0 || load_select_journal_key(cfg, r.dump_id, err) < 0 ||
        (!r.arch && !r.waiting && load_run_check_dump(&r, err) < 0) ||
        load_run_shape(&r, r.m, cfg->log, err) < 0 ||
        load_stmtcheck_dump(r.in, r.m, cfg->include_system, err) < 0 || connect_target(&r, err) < 0)
        goto out;
    preflight(&r);
    if (load_jsoncheck_target(r.m, &r.target.version, cfg->log, err) < 0)
        goto out;
    rc = cfg->dry_run ? dry_phases(&r, err) : phases(&r, err);
    if (rc < 0 && cfg->dry_run)
        cs_error_prefix(err, "dry run: the load would fail");
out:
    if (rc < 0 && cs_cancelled(cfg->cancel) && err->code != CS_ERR_CANCELLED)
        cs_error_prefix(err, "interrupted");
    restore_fast(&r, &rc, err);
    if (rc < 0)
        resume_hint(&r, err);
    for (size_t i = 0; r.ctx.splits && i < r.m->ntables; i++)
        load_ddl_split_release(&r.ctx.splits[i]);
    free(r.ctx.splits);
    free(r.by_name);
    for (size_t i = 0; r.ctx.serial_mu && i < r.ctx.nserial; i++)
        pthread_mutex_destroy(&r.ctx.serial_mu[i]);
    free(r.ctx.serial_mu);
    load_early_free(&r.ctx);
    free(r.ctx.path);
    free(r.ctx.no_bulk);
    free(r.ctx.table_action);
    free(r.ctx.object_action);
    free(r.ctx.chunks_left);
    load_journal_release(&r.journal);
    load_target_release(&r.target);
    load_replsetup_release(&r.repl);
    load_compat_free(r.compat);
    load_accounts_free(r.accounts);
    cs_conn_close(&r.main);
    fmt_manifest_free(r.m);
    free(r.deferred.jobs);
    load_wait_free(r.wait);
    pthread_mutex_destroy(&r.deferred.mu);
    if (r.arch)
        load_archive_free(r.arch);
    else
        load_input_free(r.in);
    fmt_manifest_free(r.catalog);
    return rc < 0 && r.usage ? -2 : rc;
}
