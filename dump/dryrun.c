#include "dump/dryrun.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fault.h"
#include "dump/lockmode.h"
#include "dump/plan.h"

/* DIR, or its nearest existing ancestor, must be a writable directory. */
static int writable_place(const char *dir, const char *opt, struct cs_error *err)
{
    char *p = strdup(dir), *cur;
    struct stat st;
    int rc = -1;

    if (!p)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    cur = p;
    while (stat(cur, &st) < 0) {
        if (errno != ENOENT) {
            cs_error_sys(err, CS_ERR_IO, errno, "%s %s: %s", opt, dir, cur);
            goto out;
        }
        cur = dirname(cur);
    }
    if (!S_ISDIR(st.st_mode))
        cs_error_set(err, CS_ERR_IO, "%s %s: %s is not a directory", opt, dir, cur);
    else if (access(cur, W_OK | X_OK) < 0)
        cs_error_sys(err, CS_ERR_IO, errno, "%s %s: cannot write in %s", opt, dir, cur);
    else
        rc = 0;
out:
    free(p);
    return rc;
}

static int empty_dir(const char *dir, struct cs_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;

    if (!d)
        return cs_error_sys(err, CS_ERR_USAGE, errno, "--outdir %s", dir);
    while (rc == 0 && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            rc = cs_error_set(err, CS_ERR_USAGE,
                              "--outdir %s is not empty: choose a new directory (csdump never "
                              "mixes two dumps)",
                              dir);
    closedir(d);
    return rc;
}

int dump_dryrun_outdir(const struct dump_config *cfg, struct cs_error *err)
{
    struct stat st;

    if (cfg->archive) {
        char *copy;
        int rc;
        if (!strcmp(cfg->archive, "-"))
            return 0;
        if (!(copy = strdup(cfg->archive)))
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        rc = writable_place(dirname(copy), "--archive", err);
        free(copy);
        return rc;
    }
    if (stat(cfg->outdir, &st) < 0)
        return errno == ENOENT ? writable_place(cfg->outdir, "--outdir", err)
                               : cs_error_sys(err, CS_ERR_USAGE, errno, "--outdir %s", cfg->outdir);
    if (!S_ISDIR(st.st_mode))
        return cs_error_set(err, CS_ERR_USAGE, "--outdir %s exists and is not a directory",
                            cfg->outdir);
    if (empty_dir(cfg->outdir, err) < 0)
        return -1;
    return writable_place(cfg->outdir, "--outdir", err);
}

/* ---- the lock mode ---- */

static int has(const struct dump_server *s, unsigned priv)
{
    return (s->privs & priv) != 0;
}

/* The privilege the barrier of MODE needs, missing on S; NULL when none is. */
static const char *missing_for(const struct dump_server *s, enum dump_lock_mode mode)
{
    switch (mode) {
    case DUMP_LOCK_FTWRL:
    case DUMP_LOCK_BACKUP_STAGE:
        return has(s, DUMP_PRIV_RELOAD) ? NULL : "RELOAD";
    case DUMP_LOCK_BACKUP_LOCK:
        return has(s, DUMP_PRIV_BACKUP_ADMIN) && has(s, DUMP_PRIV_RELOAD) ? NULL
                                                                          : "BACKUP_ADMIN, RELOAD";
    case DUMP_LOCK_LOCK_TABLES:
        return has(s, DUMP_PRIV_LOCK_TABLES) ? NULL : "LOCK TABLES";
    default:
        return NULL;
    }
}

static int check_mode(const struct dump_server *s, enum dump_lock_mode mode, struct cs_error *err)
{
    const struct cs_version *v = &s->version;
    int maria = v->flavor == CS_FLAVOR_MARIADB;
    const char *miss;

    if ((mode == DUMP_LOCK_BACKUP_STAGE && (!maria || !cs_version_at_least(v, 10, 4, 1))) ||
        (mode == DUMP_LOCK_BACKUP_LOCK && (maria || !cs_version_at_least(v, 8, 0, 0))))
        return cs_error_set(err, CS_ERR_USAGE,
                            "--lock-mode=%s is not available on %s %u.%u (backup-stage needs "
                            "MariaDB 10.4.1+, backup-lock MySQL 8.0+)",
                            dump_lock_mode_name(mode), cs_flavor_name(v->flavor), v->major,
                            v->minor);
    /* the real run's codes: lockless fails closed, a lock is refused by the server */
    if (mode == DUMP_LOCK_LOCKLESS && (!maria || !s->log_bin))
        return cs_error_set(err, CS_ERR_INCONSISTENT,
                            "--lock-mode=lockless needs MariaDB with the binary log on (its "
                            "proof is that every connection's binlog_snapshot position is "
                            "equal); use --lock-mode=ftwrl or lock-tables");
    miss = missing_for(s, mode);
    if (miss)
        return cs_error_set(err, CS_ERR_SERVER,
                            "--lock-mode=%s needs the %s privilege, which the dump user lacks "
                            "(GRANT %s ON *.* TO ...), or choose another --lock-mode",
                            dump_lock_mode_name(mode), miss, miss);
    return 0;
}

static const char *ddl_guard(const struct dump_server *s, enum dump_lock_mode mode)
{
    const struct cs_version *v = &s->version;

    if (mode == DUMP_LOCK_NONE)
        return "none (the manifest says the dump is not consistent)";
    if (v->flavor == CS_FLAVOR_MARIADB && cs_version_at_least(v, 10, 4, 1) &&
        (mode == DUMP_LOCK_BACKUP_STAGE || has(s, DUMP_PRIV_RELOAD)))
        return "BACKUP STAGE START + BLOCK_DDL for the whole dump";
    if (v->flavor == CS_FLAVOR_MYSQL && cs_version_at_least(v, 8, 0, 0) &&
        (mode == DUMP_LOCK_BACKUP_LOCK || has(s, DUMP_PRIV_BACKUP_ADMIN)))
        return "LOCK INSTANCE FOR BACKUP for the whole dump";
    return "none available: the tables' definitions are compared at the start and the end";
}

static int print_lock(const struct dump_config *cfg, const struct dump_server *s,
                      const struct dump_catalog *cat, struct cs_error *err)
{
    size_t nontrx = dump_catalog_count_nontrx(cat);
    struct dump_lock_decision d = dump_lock_decide(s, cfg->lock_mode, nontrx);

    if (check_mode(s, d.mode, err) < 0)
        return -1;
    cs_log_info(cfg->log, "lock mode: %s%s%s; DDL guard: %s",
                d.lockless_first ? "lockless (proven by the binlog positions), else " : "",
                dump_lock_mode_name(d.mode),
                cfg->lock_mode == DUMP_LOCK_AUTO ? " (--lock-mode=auto)" : "",
                ddl_guard(s, d.mode));
    if (nontrx)
        cs_log_info(cfg->log,
                    "%zu non-transactional table(s): read while the commit barrier "
                    "is held",
                    nontrx);
    if (!s->log_bin)
        cs_log_warn(cfg->log, "the binary log is off on the source: the dump would have no "
                              "coordinates");
    return 0;
}

/* ---- the chunks ---- */

static const char *how(const struct dump_table *t)
{
    if (!t->nkey || !dump_plan_key_usable(t))
        return "no usable key: one ordered pass into size-capped files";
    if (t->nkey == 1 && t->cols[t->key[0]].is_int)
        return "integer key ranges";
    return "ranges by probing the key";
}

static int plan_table(struct cs_conn *conn, const struct dump_config *cfg,
                      const struct dump_table *t, size_t ti, struct cs_error *err)
{
    struct dump_unit **units = NULL;
    size_t nu = 0;
    struct cs_buf key = CS_BUF_INIT;

    if (!cfg->no_data &&
        dump_plan_table(conn, t, ti, cfg->chunk_rows, cfg->threads, &units, &nu, err) < 0)
        return -1;
    for (size_t k = 0; k < t->nkey; k++)
        cs_buf_printf(&key, "%s%s", k ? "," : "", t->cols[t->key[k]].name);
    cs_log_info(cfg->log, "  %s.%s (%s): ~%llu rows, ~%.1f MB; key %s; %zu unit(s), %s", t->schema,
                t->name, t->engine, (unsigned long long)t->est_rows, (double)t->data_bytes / 1e6,
                key.data ? key.data : "(none)", nu, cfg->no_data ? "--no-data" : how(t));
    for (size_t u = 0; u < nu; u++)
        dump_unit_free(units[u]);
    free(units);
    cs_buf_release(&key);
    return 0;
}

int dump_dryrun_plan(struct cs_conn *conn, const struct dump_config *cfg,
                     const struct dump_server *srv, const struct dump_catalog *cat,
                     struct cs_error *err)
{
    size_t n[FMT_OBJ_KIND_COUNT] = {0};
    uint64_t rows = 0, bytes = 0;

    if (print_lock(cfg, srv, cat, err) < 0)
        return -1;
    for (size_t i = 0; i < cat->nobjects; i++)
        n[cat->objects[i].kind]++;
    for (size_t i = 0; i < cat->ntables; i++) {
        rows += cat->tables[i].est_rows;
        bytes += cat->tables[i].data_bytes;
    }
    cs_log_info(cfg->log,
                "would dump: %zu schema(s), %zu table(s) (~%llu rows, ~%.1f MB), %zu view(s), "
                "%zu routine(s), %zu trigger(s), %zu event(s), %zu sequence(s), %zu account(s)%s",
                cat->nschemas, cat->ntables, (unsigned long long)rows, (double)bytes / 1e6,
                n[FMT_OBJ_VIEW], n[FMT_OBJ_PROCEDURE] + n[FMT_OBJ_FUNCTION], n[FMT_OBJ_TRIGGER],
                n[FMT_OBJ_EVENT], n[FMT_OBJ_SEQUENCE], cat->naccounts,
                dump_catalog_partial(cat) ? "; a partial dump (csload --replicate-from sets "
                                            "replication filters for it)"
                                          : "");
    cs_log_info(cfg->log, "chunks of ~%llu rows / %llu bytes, %u thread(s):",
                (unsigned long long)cfg->chunk_rows, (unsigned long long)cfg->chunk_bytes,
                cfg->threads);
    for (size_t i = 0; i < cat->ntables; i++)
        if (plan_table(conn, cfg, &cat->tables[i], i, err) < 0)
            return -1;
    if (cs_fault_hit("dump.dryrun", NULL, err) < 0)
        return -1;
    cs_log_info(cfg->log, "dry run complete: the dump would start; no lock was taken and "
                          "nothing was written");
    return 0;
}
