#include "dump/run.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/console.h"
#include "common/progress.h"
#include "common/fault.h"
#include "common/fs.h"
#include "dump/accounts.h"
#include "dump/archiver.h"
#include "dump/catalog.h"
#include "dump/dryrun.h"
#include "dump/endpoint.h"
#include "dump/output.h"
#include "dump/plan.h"
#include "dump/record.h"
#include "dump/schema.h"
#include "dump/select.h"
#include "dump/spool.h"
#include "dump/where.h"
#include "dump/snapshot.h"
#include "dump/work.h"
#include "format/sign.h"

struct run {
    const struct dump_config *cfg;
    struct dump_config local;        /* cfg with its output (the spool, for --archive) */
    struct dump_output *out;         /* where files go */
    struct dump_archiver *arch;
    struct cs_conn main;
    struct dump_server server;
    struct dump_catalog *cat;
    struct dump_table_sql *tsql;
    struct dump_snapshot snap;
    int snap_init;
    struct dump_work work;
    int work_started;
    struct fmt_manifest *m;
    const struct dump_publish *pub;  /* NULL for a directory */
    double t0;
    uint64_t est_bytes, est_rows;
};

/* BASE (owned) as the output the files go to, sealed when encrypted. */
static int use_output(struct run *r, struct dump_output *base, struct cs_error *err)
{
    const struct dump_config *cfg = r->cfg;

    r->out = base && cfg->seal_key ? dump_output_seal_new(base, cfg->seal_key, err) : base;
    if (!r->out)
        return -1;
    r->local = *cfg;
    r->local.output = r->out;
    r->cfg = &r->local;
    return r->out->prepare(r->out, err);
}

/* The output the files go to: --outdir DIR or s3://BUCKET/PREFIX, new or empty. */
static int open_output(struct run *r, const char *where, struct cs_error *err)
{
    const struct dump_config *cfg = r->cfg;

    return use_output(r,
                      cs_s3_is_url(where)
                          ? dump_output_s3_new(where, &cfg->s3, cfg->log, cfg->cancel, err)
                          : dump_output_dir_new(where, err),
                      err);
}

static void preflight_warnings(struct run *r)
{
    const struct dump_server *s = &r->server;
    const struct cs_log *log = r->cfg->log;
    /* a rough dump time: 25 MB/s per thread */
    double est_s = (double)r->est_bytes / (25e6 * (r->cfg->threads ? r->cfg->threads : 1));

    if (!s->log_bin)
        cs_log_warn(log, "the binary log is off on the source: the dump will have no "
                         "coordinates, so no replica can be started from it");
    else if (s->binlog_expire_seconds && (double)s->binlog_expire_seconds < 3 * est_s + 3600)
        cs_log_warn(log,
                    "binary logs expire after %llu s, but dumping (~%.0f s), shipping and "
                    "loading may take longer: a replica started from this dump could find its "
                    "binlogs purged; raise binlog_expire_logs_seconds for the migration",
                    s->binlog_expire_seconds, est_s);
    if (s->log_bin && !(s->privs & DUMP_PRIV_BINLOG_MONITOR))
        cs_log_warn(log, "the dump user may lack %s, needed to read the binlog coordinates",
                    s->version.flavor == CS_FLAVOR_MARIADB ? "BINLOG MONITOR (GRANT BINLOG "
                                                             "MONITOR ON *.* TO ...)"
                                                           : "REPLICATION CLIENT (GRANT "
                                                             "REPLICATION CLIENT ON *.* TO ...)");
}

static int connect_main(struct run *r, struct cs_error *err)
{
    if (cs_conn_open(&r->main, &r->cfg->conn, "csdump", err) < 0 ||
        dump_server_read(&r->main, &r->server, err) < 0 ||
        dump_session_setup(&r->main, &r->server.version, err) < 0)
        return -1;
    {
        char ep[300];
        cs_conn_endpoint(&r->main, ep, sizeof(ep));
        cs_log_info(r->cfg->log, "source: %s %s, connected %s%s", cs_flavor_name(r->server.version.flavor),
                    r->server.version_text, strstr(ep, "via ") == ep ? "" : "to ", ep);
    }
    return 0;
}

/* --archive: files are made in a memory spool (dump/spool.h) and streamed. */
static int start_archive(struct run *r, struct cs_error *err)
{
    struct dump_output *spool = dump_spool_new(err);

    if (use_output(r, spool, err) < 0)
        return -1;
    r->arch = dump_archiver_start(r->local.archive, spool, r->local.threads + 1, &r->local, err);
    if (!r->arch)
        return -1;
    r->pub = dump_archiver_publish(r->arch);
    return 0;
}

/* Hands m->files[FROM..] to the archive (nothing for a directory). */
static int publish_files(struct run *r, size_t from, struct cs_error *err)
{
    for (size_t i = from; r->pub && i < r->m->nfiles; i++)
        if (r->pub->file(r->pub->arg, r->m->files[i].name, NULL, err) < 0)
            return -1;
    return 0;
}

/* --sign-key: SIG = the signature file's text for JSON (left empty unsigned). */
static int sign_text(const struct run *r, const char *json, struct cs_buf *sig,
                     struct cs_error *err)
{
    if (!r->cfg->sign_key)
        return 0;
    return fmt_sign_data(r->cfg->sign_key, json, strlen(json), sig, err);
}

/* The early catalog FMT_CATALOG_NAME (and, signed, its signature) into the
 * output and the manifest's files. */
static int put_catalog(struct run *r, const char *json, struct cs_error *err)
{
    struct cs_buf sig = CS_BUF_INIT;
    int rc = -1;

    if (r->out->put(r->out, FMT_CATALOG_NAME, json, strlen(json), err) < 0 ||
        dump_schema_add_file(r->m, FMT_CATALOG_NAME, json, strlen(json), err) < 0 ||
        sign_text(r, json, &sig, err) < 0)
        goto out;
    if (sig.len &&
        (r->out->put(r->out, FMT_CATALOG_SIG_NAME, sig.data, sig.len, err) < 0 ||
         dump_schema_add_file(r->m, FMT_CATALOG_SIG_NAME, sig.data, sig.len, err) < 0))
        goto out;
    rc = 0;
out:
    cs_buf_release(&sig);
    return rc;
}

/* The early catalog: the manifest so far (tables without chunks), so a
 * loader reading a pipe, or waiting for the dump (csload --wait-for-dump),
 * can create tables before the data arrives. */
static int publish_catalog(struct run *r, struct cs_error *err)
{
    char *json;
    size_t from = r->m->nfiles;
    int rc = -1;
    /* not finished: the catalog says so with finished_at = started_at */
    if (!r->m->finished_at && !(r->m->finished_at = strdup(r->m->started_at)))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    json = fmt_manifest_to_json(r->m, err);
    if (json && put_catalog(r, json, err) == 0)
        rc = publish_files(r, from, err);
    free(json);
    return rc;
}

static int catalog_phase(struct run *r, struct cs_error *err)
{
    const struct dump_config *cfg = r->cfg;

    if (dump_catalog_read(&r->main, cfg, &r->server.version, &r->cat, err) < 0 ||
        dump_where_apply(cfg, r->cat, err) < 0 || dump_where_probe(&r->main, r->cat, err) < 0 ||
        dump_snapshot_set_fingerprint(&r->snap, &r->main, r->cat, err) < 0)
        return -1;
    r->tsql = calloc(r->cat->ntables + 1, sizeof(*r->tsql));
    if (!r->tsql)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->cat->ntables; i++) {
        const struct dump_table *t = &r->cat->tables[i];
        r->est_bytes += t->data_bytes;
        r->est_rows += t->est_rows;
        if (dump_table_sql_build(t, &r->tsql[i]) < 0)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        if (t->versioned)
            cs_log_warn(cfg->log, "%s.%s is system-versioned: only its current rows are dumped, "
                                  "not its history", t->schema, t->name);
    }
    cs_log_info(cfg->log, "%zu schema(s), %zu table(s), %zu other object(s), %zu account(s); "
                          "~%llu rows, ~%.1f MB on disk (the server's estimates)",
                r->cat->nschemas, r->cat->ntables, r->cat->nobjects, r->cat->naccounts,
                (unsigned long long)r->est_rows, (double)r->est_bytes / 1e6);
    cs_progress_phase(cfg->console, "objects", 0, NULL);
    r->m = dump_record_begin(cfg, &r->server, r->cat, err);
    if (!r->m || dump_endpoint_record(&r->main, r->server.hostname, r->m, err) < 0 ||
        (r->arch && dump_archiver_trust(r->arch, cfg->sign_key, cfg->seal_key, r->m->dump_id,
                                        err) < 0) ||
        dump_schema_write(&r->main, cfg, &r->server.version, r->cat, r->m, err) < 0 ||
        dump_accounts_write(&r->main, cfg, &r->server.version, r->cat, r->m, err) < 0)
        return -1;
    for (size_t i = 0; i < r->cat->nnot_dumped; i++)
        if (fmt_manifest_add_not_dumped(r->m, r->cat->not_dumped[i]) < 0)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    return publish_files(r, 0, err);
}

static int write_coordinates(struct run *r, struct cs_error *err)
{
    const struct fmt_coords *c = &r->snap.coords;
    char *json = NULL;
    int rc = -1;

    if (dump_record_snapshot(r->m, &r->snap, err) < 0 ||
        dump_schema_sequences(&r->main, r->m, err) < 0 ||
        cs_fault_hit("dump.snapshot", NULL, err) < 0)
        return -1;
    json = fmt_coords_to_json(r->m, err);
    if (json && r->out->put(r->out, FMT_COORDS_NAME, json, strlen(json), err) == 0 &&
        dump_schema_add_file(r->m, FMT_COORDS_NAME, json, strlen(json), err) == 0)
        rc = publish_files(r, r->m->nfiles - 1, err) < 0 ? -1 : publish_catalog(r, err);
    if (c->present)
        cs_log_info(r->cfg->log, "snapshot taken (%s, %s): binlog %s:%llu, GTID '%s'",
                    dump_lock_mode_name(r->snap.mode),
                    r->snap.consistent ? "consistent" : "NOT consistent", c->binlog_file,
                    (unsigned long long)c->binlog_pos, c->gtid_set ? c->gtid_set : "");
    else
        cs_log_info(r->cfg->log, "snapshot taken (%s, %s): no binary log coordinates",
                    dump_lock_mode_name(r->snap.mode),
                    r->snap.consistent ? "consistent" : "NOT consistent");
    free(json);
    return rc;
}

static int snapshot_phase(struct run *r, struct cs_error *err)
{
    const struct dump_config *cfg = r->cfg;
    size_t nconns = cfg->threads + (cfg->threads + 1) / 2;
    struct dump_lock_decision d =
        dump_lock_decide(&r->server, cfg->lock_mode, dump_catalog_count_nontrx(r->cat));

    cs_progress_phase(cfg->console, "snapshot", 0, NULL);
    if (dump_snapshot_take(&r->snap, r->cat, nconns, &d, err) < 0)
        return -1;
    return write_coordinates(r, err);
}

/* Largest first; among equal sizes the last in catalog order first: the
 * DDL pass just opened the tables in catalog order, so with more tables
 * than the server's table_open_cache the ones it opened last are still
 * cached (the same order again would miss every one). */
static int cmp_size_desc(const void *a, const void *b, void *arg)
{
    const struct dump_catalog *cat = arg;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    uint64_t x = cat->tables[i].data_bytes, y = cat->tables[j].data_bytes;

    if (x != y)
        return x < y ? 1 : -1;
    return i < j ? 1 : i > j ? -1 : 0;
}

/* Plans and queues the tables whose transactional flag is TRX, largest first. */
static int queue_tables(struct run *r, int trx, struct cs_error *err)
{
    size_t *order = calloc(r->cat->ntables + 1, sizeof(size_t));
    size_t n = 0;
    long idx;
    int rc = 0;

    if (!order)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->cat->ntables; i++)
        if (r->cat->tables[i].transactional == trx)
            order[n++] = i;
    qsort_r(order, n, sizeof(size_t), cmp_size_desc, r->cat);
    idx = n ? dump_snapshot_acquire(&r->snap) : -1;
    if (n && idx < 0)
        rc = cs_error_set(err, CS_ERR_CONN_LOST, "no snapshot connection left to plan chunks");
    for (size_t k = 0; rc == 0 && k < n && !r->cfg->no_data; k++) {
        struct dump_unit **units = NULL;
        size_t nu = 0, i = order[k];
        rc = dump_plan_table(&r->snap.conns[idx], &r->cat->tables[i], i, r->cfg->chunk_rows,
                             r->cfg->threads, &units, &nu, err);
        for (size_t u = 0; u < nu; u++)
            if (rc == 0 && dump_work_push(&r->work, units[u]) < 0)
                rc = cs_error_set(err, CS_ERR_CANCELLED, "stopped");
            else if (rc < 0)
                dump_unit_free(units[u]);
        free(units);
        if (rc == 0)
            dump_work_table_planned(&r->work, i, nu);
    }
    if (idx >= 0)
        dump_snapshot_give_back(&r->snap, idx, rc < 0 && err->code == CS_ERR_CONN_LOST);
    free(order);
    return rc;
}

static void cancel_busy(struct run *r)
{
    unsigned long ids[256];
    size_t n = dump_snapshot_lent_ids(&r->snap, ids, 256);
    struct cs_error ignore;

    for (size_t i = 0; i < n; i++) {
        char sql[64];
        snprintf(sql, sizeof(sql), "KILL QUERY %lu", ids[i]);
        cs_error_clear(&ignore);
        cs_conn_exec(&r->main, sql, &ignore);
    }
}

static void tick(void *arg)
{
    struct run *r = arg;

    if (cs_cancelled(r->cfg->cancel) && !atomic_load(&r->work.stop)) {
        struct cs_error e;
        cs_error_set(&e, CS_ERR_CANCELLED, "interrupted by a signal");
        dump_work_fail(&r->work, &e);
        cancel_busy(r);
    }
    if (r->cfg->progress)
        cs_progress_tick(r->cfg->console);
}

static int data_phase(struct run *r, struct cs_error *err)
{
    int nontrx_done = 0;

    cs_progress_phase(r->cfg->console, "data", 0, NULL);
    cs_progress_totals(r->cfg->console, r->cfg->no_data ? 0 : r->est_rows,
                       r->cfg->no_data ? 0 : r->est_bytes, 1);
    if (dump_work_start(&r->work, r->cfg, r->cat, r->tsql, &r->snap, r->pub, err) < 0)
        return -1;
    r->work_started = 1;
    /* non-transactional tables are read while commits are still blocked */
    if (r->snap.barrier_held && dump_catalog_count_nontrx(r->cat)) {
        if (queue_tables(r, 0, err) < 0 || dump_work_wait_idle(&r->work, tick, r) < 0)
            goto stopped;
        nontrx_done = 1;
    }
    if (dump_snapshot_release(&r->snap, r->cat, err) < 0)
        return -1;
    r->m->barrier_hold_ms = r->snap.hold_ms;
    cs_log_verbose(r->cfg->log, "commit barrier held %.1f ms (waited %.1f ms)", r->snap.hold_ms,
                   r->snap.wait_ms);
    if (queue_tables(r, 1, err) < 0 || (!nontrx_done && queue_tables(r, 0, err) < 0) ||
        dump_work_wait_idle(&r->work, tick, r) < 0)
        goto stopped;
    return dump_work_finish(&r->work, err);
stopped:
    /* the workers' first error explains it better than "stopped" */
    dump_work_finish(&r->work, err);
    return -1;
}

static int finish_manifest(struct run *r, struct cs_error *err)
{
    struct cs_buf sig = CS_BUF_INIT;
    struct fmt_sink *sink;
    char *json = NULL;
    int rc = -1;

    cs_progress_phase(r->cfg->console, "manifest", 0, NULL);
    for (size_t i = 0; i < r->cat->ntables; i++)
        if (dump_record_table(r->m, i, &r->work.results[i], err) < 0)
            return -1;
    free(r->m->finished_at);
    r->m->finished_at = dump_record_now();
    if (!r->m->finished_at)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    /* a signature covers the text whole, and an encrypted archive seals it
     * whole; otherwise it is streamed, one chunk at a time */
    if (r->cfg->sign_key || (r->arch && r->cfg->seal_key)) {
        json = fmt_manifest_to_json(r->m, err);
        if (!json || sign_text(r, json, &sig, err) < 0)
            goto out;
    }
    if (r->arch) {
        struct dump_archiver *a = r->arch;
        r->arch = NULL;
        rc = dump_archiver_finish(a, r->m, json, sig.len ? sig.data : NULL, err);
        goto out;
    }
    /* the signature first, then every file durable (the fault point
     * dump.sealed is just after): the manifest, last, completes the dump */
    if ((sig.len && r->out->put(r->out, FMT_SIGN_FILE, sig.data, sig.len, err) < 0) ||
        r->out->seal(r->out, NULL, err) < 0 || cs_fault_hit("dump.sealed", NULL, err) < 0)
        goto out;
    if (json) { /* signed: the very text the signature covers */
        rc = r->out->put(r->out, FMT_MANIFEST_NAME, json, strlen(json), err);
    } else { /* streamed, one table at a time (memory flat in the table count) */
        sink = r->out->open(r->out, FMT_MANIFEST_NAME, err);
        rc = sink ? fmt_manifest_write_sink(r->m, sink, err) : -1;
        fmt_sink_free(sink);
    }
    /* the manifest and its rename, durable before the dump says it is done;
     * a manifest that could not be made durable does not stay */
    if (rc == 0 && (rc = r->out->seal(r->out, FMT_MANIFEST_NAME, err)) < 0)
        r->out->remove(r->out, FMT_MANIFEST_NAME);
out:
    free(json);
    cs_buf_release(&sig);
    return rc;
}

/* What the dump holds, per kind of object, and what it left out. */
static void summary_kinds(const struct run *r)
{
    size_t n[FMT_OBJ_KIND_COUNT] = {0};

    for (size_t i = 0; i < r->cat->nobjects; i++)
        n[r->cat->objects[i].kind]++;
    cs_log_info(r->cfg->log,
                "dumped: %zu table(s), %zu view(s), %zu routine(s), %zu trigger(s), %zu "
                "event(s), %zu sequence(s), %zu account(s)%s",
                r->cat->ntables, n[FMT_OBJ_VIEW], n[FMT_OBJ_PROCEDURE] + n[FMT_OBJ_FUNCTION],
                n[FMT_OBJ_TRIGGER], n[FMT_OBJ_EVENT], n[FMT_OBJ_SEQUENCE], r->m->naccounts,
                r->cat->users                        ? ""
                : dump_select_wants_accounts(r->cfg) ? " (left out: see not_dumped)"
                                                     : " (not asked for: --users)");
    if (fmt_manifest_subset(r->m)) {
        size_t nf = 0;
        for (size_t i = 0; i < r->m->ntables; i++)
            nf += r->m->tables[i].where != NULL;
        cs_log_info(r->cfg->log,
                    "subset: %zu table(s) hold only the rows of their --where condition "
                    "(recorded in the manifest)",
                    nf);
    }
    if (r->m->nnot_dumped)
        cs_log_warn(r->cfg->log, "%zu thing(s) were left out (warned about above), listed in "
                                 "the manifest's not_dumped",
                    r->m->nnot_dumped);
}

static void summary(struct run *r)
{
    struct dump_progress *p = &r->work.prog;
    double el = cs_now() - r->t0;
    double raw = (double)atomic_load(&p->raw_bytes), file = (double)atomic_load(&p->file_bytes);

    if (r->cfg->console)
        cs_console_progress_done(r->cfg->console);
    cs_log_info(r->cfg->log,
                "dump complete: %zu tables, %llu rows, %llu chunks, %.1f MB raw -> %.1f MB on "
                "disk in %.1f s (%.1f MB/s); %s snapshot (%s, commits blocked %.1f ms)",
                r->cat->ntables, (unsigned long long)atomic_load(&p->rows),
                (unsigned long long)atomic_load(&p->chunks), raw / 1e6, file / 1e6, el,
                el > 0 ? raw / 1e6 / el : 0.0, r->m->consistent ? "consistent" : "INCONSISTENT",
                r->m->lock_mode, r->m->barrier_hold_ms);
    summary_kinds(r);
    if (r->m->coords.present)
        cs_log_info(r->cfg->log, "coordinates: binlog %s:%llu, GTID '%s'",
                    r->m->coords.binlog_file, (unsigned long long)r->m->coords.binlog_pos,
                    r->m->coords.gtid_set ? r->m->coords.gtid_set : "");
}

static void cleanup(struct run *r, int ok, struct cs_error *err)
{
    struct cs_error e2;

    cs_error_clear(&e2);
    if (r->work_started) {
        dump_work_finish(&r->work, &e2);
        dump_work_release(&r->work);
    }
    if (r->snap_init && dump_snapshot_close(&r->snap, r->cat, ok, &e2) < 0 && ok)
        cs_error_copy(err, &e2);
    dump_archiver_abort(r->arch);
    if (r->out && (!ok || cs_error_is_set(err)))
        r->out->cleanup(r->out);
    dump_output_free(r->out);
    for (size_t i = 0; r->tsql && i < r->cat->ntables; i++)
        dump_table_sql_release(&r->tsql[i]);
    free(r->tsql);
    dump_catalog_free(r->cat);
    fmt_manifest_free(r->m);
    dump_server_release(&r->server);
    cs_conn_close(&r->main);
}

/* --dry-run: the checks and the plan, on the main connection only. */
static int dry_run(struct run *r, struct cs_error *err)
{
    const struct dump_config *cfg = r->cfg;

    struct dump_output *o = NULL;

    /* a bucket prefix is only listed (new or empty), as the dump does first */
    if (!cfg->archive && cs_s3_is_url(cfg->outdir)) {
        o = dump_output_s3_new(cfg->outdir, &cfg->s3, cfg->log, cfg->cancel, err);
        if (!o || o->prepare(o, err) < 0) {
            dump_output_free(o);
            return -1;
        }
        dump_output_free(o);
    } else if (dump_dryrun_outdir(cfg, err) < 0) {
        return -1;
    }
    if (connect_main(r, err) < 0 ||
        dump_catalog_read(&r->main, cfg, &r->server.version, &r->cat, err) < 0)
        return -1;
    for (size_t i = 0; i < r->cat->ntables; i++)
        r->est_bytes += r->cat->tables[i].data_bytes;
    preflight_warnings(r);
    return dump_dryrun_plan(&r->main, cfg, &r->server, r->cat, err);
}

int dump_run(const struct dump_config *cfg, struct cs_error *err)
{
    struct run r;
    enum dump_lock_mode mode;
    int ok = 0;

    memset(&r, 0, sizeof(r));
    r.cfg = cfg;
    r.t0 = cs_now();
    if (cfg->dry_run) {
        ok = dry_run(&r, err) == 0;
        dump_catalog_free(r.cat);
        dump_server_release(&r.server);
        cs_conn_close(&r.main);
        return ok ? 0 : -1;
    }
    cs_progress_phase(cfg->console, "plan", 0, NULL);
    if ((cfg->archive ? start_archive(&r, err) : open_output(&r, cfg->outdir, err)) < 0 ||
        connect_main(&r, err) < 0)
        goto out;
    cfg = r.cfg;
    /* the barrier mode does not depend on the catalog; lockless-first does */
    mode = dump_lock_decide(&r.server, cfg->lock_mode, 0).mode;
    dump_snapshot_init(&r.snap, cfg, &r.server, mode);
    r.snap_init = 1;
    if (dump_snapshot_guard(&r.snap, err) < 0 || catalog_phase(&r, err) < 0)
        goto out;
    preflight_warnings(&r);
    if (snapshot_phase(&r, err) < 0 || data_phase(&r, err) < 0)
        goto out;
    /* the DDL check runs when the snapshot closes: before the manifest */
    r.snap_init = 0;
    if (dump_snapshot_close(&r.snap, r.cat, 1, err) < 0 || finish_manifest(&r, err) < 0)
        goto out;
    summary(&r);
    ok = 1;
out:
    if (cs_cancelled(cfg->cancel) && !ok && err->code != CS_ERR_CANCELLED)
        cs_error_set(err, CS_ERR_CANCELLED, "interrupted by a signal: no manifest was written");
    cleanup(&r, ok, err);
    return ok ? 0 : -1;
}
