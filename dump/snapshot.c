#include "dump/snapshot.h"

/* Set on every snapshot connection right after its snapshot starts. */
#define SAVEPOINT_NAME "csdump_snapshot"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/console.h"
#include "dump/barrier.h"
#include "dump/coords.h"
#include "format/sqlenc.h"

enum { CONN_FREE = 0, CONN_LENT, CONN_DEAD };

static int is_mariadb(const struct dump_snapshot *s)
{
    return s->server->version.flavor == CS_FLAVOR_MARIADB;
}

void dump_snapshot_init(struct dump_snapshot *s, const struct dump_config *cfg,
                        const struct dump_server *server, enum dump_lock_mode mode)
{
    memset(s, 0, sizeof(*s));
    s->cfg = cfg;
    s->server = server;
    s->mode = mode;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
}

static int open_session(struct dump_snapshot *s, struct cs_conn *c, const char *label,
                        struct cs_error *err)
{
    if (cs_conn_open(c, &s->cfg->conn, label, err) < 0)
        return -1;
    return dump_session_setup(c, &s->server->version, err);
}

/* MariaDB releases the metadata locks a ROLLBACK TO SAVEPOINT rolls back
 * (dump_snapshot_release_mdl) only when the session does not write to the
 * binary log; a snapshot session writes nothing, so it stops logging when
 * the user may (BINLOG ADMIN or SUPER; else the locks stay to the end, as
 * a transaction keeps them).  MySQL releases them in a read-only
 * transaction either way. */
static int mdl_releasable(struct dump_snapshot *s, struct cs_conn *c, struct cs_error *err)
{
    struct cs_error e;

    if (!is_mariadb(s) || !s->server->log_bin)
        return 0;
    cs_error_clear(&e);
    if (cs_conn_exec(c, "SET SESSION sql_log_bin = 0", &e) == 0)
        return 0;
    if (e.code == CS_ERR_CONN_LOST) {
        cs_error_copy(err, &e);
        return -1;
    }
    cs_log_verbose(s->cfg->log,
                   "snapshot session: %s (each table read stays metadata-locked "
                   "until the dump ends)",
                   e.msg);
    return 0;
}

/* The guard session, bounded by --lock-wait-timeout like every lock. */
static int open_guard(struct dump_snapshot *s, struct cs_error *err)
{
    char sql[64];

    snprintf(sql, sizeof(sql), "SET SESSION lock_wait_timeout=%u", s->cfg->lock_wait_timeout);
    return open_session(s, &s->guard, "ddl guard", err) < 0 ? -1
                                                            : cs_conn_exec(&s->guard, sql, err);
}

/* STMT failed on the guard session: a lock wait timeout names what holds
 * it up.  Closes the session; returns -1. */
static int guard_failed(struct dump_snapshot *s, const char *stmt, struct cs_error *err)
{
    struct cs_buf who = CS_BUF_INIT;
    int appliers;

    if (err->server_errno == 1205 && cs_conn_is_open(&s->guard)) {
        appliers = dump_barrier_blockers(s, &s->guard, &who);
        cs_error_set(err, CS_ERR_LOCK, "%s waited %us (lock wait timeout)%s%s%s%s", stmt,
                     s->cfg->lock_wait_timeout, who.len ? "; blocked by:" : "",
                     who.len ? who.data : "", appliers ? ". " : "",
                     appliers ? dump_barrier_applier_hint() : "");
    }
    cs_buf_release(&who);
    cs_conn_close(&s->guard);
    return -1;
}

static int guard_backup_stage(struct dump_snapshot *s, struct cs_error *err)
{
    if (open_guard(s, err) < 0)
        return guard_failed(s, "the DDL guard", err);
    if (cs_conn_exec(&s->guard, "BACKUP STAGE START", err) < 0 ||
        cs_conn_exec(&s->guard, "BACKUP STAGE BLOCK_DDL", err) < 0)
        return guard_failed(s, "BACKUP STAGE BLOCK_DDL", err);
    s->guard_kind = DUMP_GUARD_BACKUP_STAGE;
    return 0;
}

static int guard_backup_lock(struct dump_snapshot *s, struct cs_error *err)
{
    if (open_guard(s, err) < 0 || cs_conn_exec(&s->guard, "LOCK INSTANCE FOR BACKUP", err) < 0)
        return guard_failed(s, "LOCK INSTANCE FOR BACKUP", err);
    s->guard_kind = DUMP_GUARD_BACKUP_LOCK;
    return 0;
}

int dump_snapshot_guard(struct dump_snapshot *s, struct cs_error *err)
{
    const struct cs_version *v = &s->server->version;
    int required = s->mode == DUMP_LOCK_BACKUP_STAGE || s->mode == DUMP_LOCK_BACKUP_LOCK;
    int rc = 1; /* 1 = no guard attempted */

    if ((s->mode == DUMP_LOCK_BACKUP_STAGE && !is_mariadb(s)) ||
        (s->mode == DUMP_LOCK_BACKUP_LOCK && is_mariadb(s)))
        return cs_error_set(
            err, CS_ERR_USAGE, "--lock-mode=%s is for %s; on this %s server use --lock-mode=%s",
            dump_lock_mode_name(s->mode), is_mariadb(s) ? "MySQL 8.0+" : "MariaDB 10.4.1+",
            cs_flavor_name(v->flavor), is_mariadb(s) ? "backup-stage" : "ftwrl");
    /* before the guard: MySQL refuses STOP REPLICA while the instance is
     * locked for backup, and a replicated DDL would wait for the guard */
    if (s->cfg->pause_replica && dump_applier_pause(&s->applier, s->cfg, s->server, err) < 0)
        return -1;
    if (s->mode == DUMP_LOCK_NONE)
        return 0;
    if (is_mariadb(s) && cs_version_at_least(v, 10, 4, 1) &&
        (s->mode == DUMP_LOCK_BACKUP_STAGE || (s->server->privs & DUMP_PRIV_RELOAD)))
        rc = guard_backup_stage(s, err);
    else if (!is_mariadb(s) && cs_version_at_least(v, 8, 0, 0) &&
             (s->mode == DUMP_LOCK_BACKUP_LOCK || (s->server->privs & DUMP_PRIV_BACKUP_ADMIN)))
        rc = guard_backup_lock(s, err);
    if (rc == 0)
        return 0;
    if (required) {
        if (rc == 1)
            return cs_error_set(err, CS_ERR_USAGE,
                                "--lock-mode=%s is not available on %s %u.%u (backup-stage needs "
                                "MariaDB 10.4.1+, backup-lock MySQL 8.0+)",
                                dump_lock_mode_name(s->mode), cs_flavor_name(v->flavor), v->major,
                                v->minor);
        if (err->code == CS_ERR_LOCK)
            return cs_error_prefix(err, "--lock-mode=%s: cannot block DDL",
                                   dump_lock_mode_name(s->mode));
        return cs_error_prefix(err, "--lock-mode=%s: cannot block DDL (needs %s)",
                               dump_lock_mode_name(s->mode),
                               is_mariadb(s) ? "RELOAD" : "BACKUP_ADMIN");
    }
    if (rc < 0 && err->code == CS_ERR_LOCK)
        cs_log_warn(s->cfg->log,
                    "DDL is not blocked during the dump (%s); a table whose definition changes "
                    "will make the dump fail at the end",
                    err->msg);
    else
        cs_log_warn(s->cfg->log,
                    "DDL is not blocked during the dump (%s); a table whose definition changes "
                    "will make the dump fail at the end. Grant %s to block DDL instead",
                    rc < 0 ? err->msg : "no privilege for it",
                    is_mariadb(s) ? "RELOAD" : "BACKUP_ADMIN (MySQL 8.0+)");
    cs_error_clear(err);
    return 0;
}

int dump_snapshot_set_fingerprint(struct dump_snapshot *s, struct cs_conn *conn,
                                  const struct dump_catalog *cat, struct cs_error *err)
{
    return dump_catalog_fingerprint(conn, cat, s->fingerprint, err);
}

static int check_fingerprint(struct dump_snapshot *s, struct cs_conn *conn,
                             const struct dump_catalog *cat, const char *when, struct cs_error *err)
{
    char now[17];

    if (!s->fingerprint[0])
        return 0;
    if (dump_catalog_fingerprint(conn, cat, now, err) < 0)
        return -1;
    if (strcmp(now, s->fingerprint) != 0) {
        cs_error_set(err, CS_ERR_INCONSISTENT,
                     "a table definition changed %s (DDL ran on a dumped table); rows may not "
                     "match the recorded schema, so this dump is not usable: run csdump again%s",
                     when,
                     s->guard_kind == DUMP_GUARD_NONE
                         ? " with RELOAD (MariaDB) or BACKUP_ADMIN (MySQL 8) so it can block DDL"
                         : "");
        return cs_error_escalate(err, CS_SEV_FATAL);
    }
    return 0;
}

/* MariaDB: where this transaction's snapshot sits in the binary log. */
static int read_proof(struct cs_conn *c, char **out, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    const char *file = NULL, *pos = NULL;
    struct cs_buf b = CS_BUF_INIT;

    *out = NULL;
    if (cs_conn_query(c, "SHOW STATUS LIKE 'binlog_snapshot_%'", &res, err) < 0)
        return -1;
    while ((row = cs_result_row(res))) {
        if (!strcasecmp(row[0], "Binlog_snapshot_file"))
            file = row[1];
        else if (!strcasecmp(row[0], "Binlog_snapshot_position"))
            pos = row[1];
    }
    if (file && *file && pos)
        cs_buf_printf(&b, "%s:%s", file, pos);
    cs_result_free(res);
    if (cs_buf_failed(&b))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    *out = cs_buf_detach(&b);
    return 0;
}

static void free_proof(struct dump_snapshot *s)
{
    for (size_t i = 0; i < s->nproof; i++)
        free(s->proof[i]);
    free(s->proof);
    s->proof = NULL;
    s->nproof = 0;
}

/* Starts the snapshot on every connection and collects the proofs; returns
 * 1 when all MariaDB proofs agree (or there are none to compare), 0 if not. */
static int start_all(struct dump_snapshot *s, struct cs_error *err)
{
    int agree = 1;

    free_proof(s);
    for (size_t i = 0; i < s->nconns; i++)
        if (cs_conn_exec(&s->conns[i], "START TRANSACTION WITH CONSISTENT SNAPSHOT", err) < 0 ||
            cs_conn_exec(&s->conns[i], "SAVEPOINT " SAVEPOINT_NAME, err) < 0)
            return -1;
    if (!is_mariadb(s) || !s->server->log_bin)
        return 1;
    s->proof = calloc(s->nconns, sizeof(char *));
    if (!s->proof)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < s->nconns; i++) {
        if (read_proof(&s->conns[i], &s->proof[i], err) < 0)
            return -1;
        s->nproof++;
        if (!s->proof[i][0] || strcmp(s->proof[i], s->proof[0]) != 0)
            agree = 0;
    }
    return agree;
}

int dump_snapshot_release_mdl(struct cs_conn *conn, struct cs_error *err)
{
    if (cs_conn_exec(conn, "ROLLBACK TO SAVEPOINT " SAVEPOINT_NAME, err) < 0)
        return cs_error_prefix(err, "releasing the metadata locks of a dumped unit");
    return 0;
}

static int rollback_all(struct dump_snapshot *s, struct cs_error *err)
{
    for (size_t i = 0; i < s->nconns; i++)
        if (cs_conn_exec(&s->conns[i], "ROLLBACK", err) < 0)
            return -1;
    return 0;
}

/* Coordinates from the agreed MariaDB proof: file:pos and BINLOG_GTID_POS. */
static int coords_from_proof(struct dump_snapshot *s, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    char *colon = strrchr(s->proof[0], ':');
    int rc;

    free(s->coords.binlog_file);
    s->coords.binlog_file = strndup(s->proof[0], (size_t)(colon - s->proof[0]));
    s->coords.binlog_pos = strtoull(colon + 1, NULL, 10);
    cs_buf_puts(&sql, "SELECT BINLOG_GTID_POS(");
    fmt_sql_append_string(&sql, s->coords.binlog_file, strlen(s->coords.binlog_file));
    cs_buf_printf(&sql, ", %llu)", (unsigned long long)s->coords.binlog_pos);
    free(s->coords.gtid_set);
    s->coords.gtid_set = NULL;
    rc = cs_conn_query_value(&s->conns[0], sql.data, &s->coords.gtid_set, err);
    cs_buf_release(&sql);
    if (rc == 0 && !s->coords.gtid_set)
        s->coords.gtid_set = strdup("");
    s->coords.present = 1;
    return rc;
}

static int read_replica(struct dump_snapshot *s, int barrier, struct cs_error *err);

static int open_lockless(struct dump_snapshot *s, struct cs_error *err)
{
    unsigned tries = s->cfg->lockless_retries ? s->cfg->lockless_retries : 1;

    if (!is_mariadb(s) || !s->server->log_bin)
        return cs_error_set(err, CS_ERR_INCONSISTENT,
                            "--lock-mode=lockless needs MariaDB with the binary log on (its proof "
                            "is that every connection's binlog_snapshot position is equal); use "
                            "--lock-mode=ftwrl or lock-tables");
    for (unsigned i = 0; i < tries; i++) {
        int agree = start_all(s, err);
        if (agree < 0)
            return -1;
        if (agree) {
            snprintf(s->note, sizeof(s->note),
                     "lockless: all %zu connections started at binlog position %s (attempt %u)",
                     s->nconns, s->proof[0], i + 1);
            /* without a barrier a running applier moved on before SHOW
             * SLAVE STATUS: only the GTID position (read in the snapshot)
             * is exact then */
            if (coords_from_proof(s, err) < 0 || read_replica(s, 0, err) < 0)
                return -1;
            return 0;
        }
        if (rollback_all(s, err) < 0)
            return -1;
        usleep(100000u * (i + 1));
    }
    cs_error_set(err, CS_ERR_INCONSISTENT,
                 "--lock-mode=lockless: the %zu connections opened different snapshots in all %u "
                 "attempts (commits kept landing in between), so consistency cannot be proven; "
                 "use --lock-mode=backup-stage or ftwrl (a short commit barrier)",
                 s->nconns, tries);
    return -1;
}

/* BARRIER: commits are blocked while the coordinates are read. */
static int read_coords(struct dump_snapshot *s, int barrier, struct cs_error *err)
{
    struct cs_conn *c = &s->conns[0];

    if (!s->server->log_bin) {
        s->coords.present = 0;
    } else if (dump_coords_read(c, &s->server->version, &s->coords, err) < 0) {
        return cs_error_prefix(err, "reading binary log coordinates (needs %s)",
                               is_mariadb(s) ? "BINLOG MONITOR" : "REPLICATION CLIENT");
    }
    return read_replica(s, barrier, err);
}

/* Keeps the applier's file/position only when it is the snapshot's. */
static int check_replica_position(struct dump_snapshot *s, const struct dump_applier_state *st,
                                  int barrier)
{
    char why[400];

    if (!s->replica.binlog_file ||
        dump_coords_replica_exact(&s->replica, st, barrier, why, sizeof(why)))
        return 0;
    free(s->replica.binlog_file);
    s->replica.binlog_file = NULL;
    s->replica.binlog_pos = 0;
    free(s->replica.unusable);
    s->replica.unusable = strdup(why);
    if (!s->replica.unusable)
        return -1;
    cs_log_warn(s->cfg->log,
                "replica_of: only the GTID position is recorded, not the file/"
                "position in the source's binary log: %s",
                why);
    return 0;
}

static int read_replica(struct dump_snapshot *s, int barrier, struct cs_error *err)
{
    struct cs_conn *c = &s->conns[0];
    struct dump_applier_state st;

    memset(&st, 0, sizeof(st));
    if (dump_coords_read_replica(c, c, &s->server->version, &s->replica, &s->replica_host,
                                 &s->is_replica, &st, err) < 0) {
        /* not being allowed to look is not fatal: the dump is still consistent */
        cs_log_warn(s->cfg->log, "cannot read replica status: %s", err->msg);
        cs_error_clear(err);
        s->is_replica = 0;
    }
    if (s->is_replica && check_replica_position(s, &st, barrier) < 0)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (s->is_replica && !is_mariadb(s)) {
        free(s->replica.gtid_set);
        s->replica.gtid_set = strdup(s->coords.gtid_set ? s->coords.gtid_set : "");
    }
    return 0;
}

static int open_barrier(struct dump_snapshot *s, const struct dump_barrier *b,
                        const struct dump_catalog *cat, struct cs_error *err)
{
    double t0 = cs_now();
    int agree;

    if (b->take(s, cat, err) < 0)
        return -1;
    s->barrier_held = 1;
    s->barrier_t0 = cs_now();
    s->wait_ms = (s->barrier_t0 - t0) * 1000.0;
    agree = start_all(s, err);
    if (agree < 0 || read_coords(s, 1, err) < 0)
        return -1;
    /* LOCK TABLES freezes only the dumped tables: commits elsewhere may
     * move the binlog between the snapshots, which is harmless here. */
    if (!agree && s->mode != DUMP_LOCK_LOCK_TABLES) {
        cs_error_set(err, CS_ERR_INCONSISTENT,
                     "the snapshot connections report different binlog positions although "
                     "%s was held; refusing to produce an inconsistent dump",
                     b->name);
        return cs_error_escalate(err, CS_SEV_FATAL);
    }
    /* "all at" only when they are (lock-tables may differ) */
    snprintf(s->note, sizeof(s->note), "%s held while %zu connections started their snapshot%s%s",
             b->name, s->nconns, agree && s->nproof ? "; all at binlog position " : "",
             agree && s->nproof ? s->proof[0] : "");
    return 0;
}

int dump_snapshot_open(struct dump_snapshot *s, const struct dump_catalog *cat, size_t nconns,
                       struct cs_error *err)
{
    const struct dump_barrier *b = dump_barrier_get(s->mode);
    char label[32];

    if (!b)
        return cs_error_set(err, CS_ERR_INTERNAL, "no barrier for this lock mode");
    if (!s->conns) {
        s->conns = calloc(nconns, sizeof(*s->conns));
        s->conn_state = calloc(nconns, sizeof(int));
        if (!s->conns || !s->conn_state)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    for (size_t i = s->nconns; i < nconns; i++) {
        snprintf(label, sizeof(label), "snapshot %zu", i + 1);
        s->nconns = i + 1;
        if (open_session(s, &s->conns[i], label, err) < 0 ||
            mdl_releasable(s, &s->conns[i], err) < 0)
            return -1;
    }
    if (b->take && s->mode != DUMP_LOCK_BACKUP_STAGE && !cs_conn_is_open(&s->barrier) &&
        open_session(s, &s->barrier, "barrier", err) < 0)
        return -1;
    if (s->mode == DUMP_LOCK_LOCKLESS) {
        s->consistent = 1;
        return open_lockless(s, err);
    }
    if (!b->take) { /* none */
        if (start_all(s, err) < 0 || read_coords(s, 0, err) < 0)
            return -1;
        snprintf(s->note, sizeof(s->note),
                 "--lock-mode=none: connections opened their snapshots without a barrier; the "
                 "tables may reflect different points in time and the coordinates are "
                 "approximate");
        s->consistent = 0;
        return 0;
    }
    s->consistent = 1;
    return open_barrier(s, b, cat, err);
}

/* --pause-replica: the snapshot is taken, the replica applies again.  A
 * failure is logged (the dump is not affected) and retried at close. */
static void resume_applier(struct dump_snapshot *s)
{
    struct cs_error e;

    cs_error_clear(&e);
    if (dump_applier_resume(&s->applier, s->cfg, s->server, &e) < 0)
        cs_log_error(s->cfg->log, "%s", e.msg);
}

int dump_snapshot_release(struct dump_snapshot *s, const struct dump_catalog *cat,
                          struct cs_error *err)
{
    const struct dump_barrier *b = dump_barrier_get(s->mode);
    int rc = 0;

    if (s->barrier_held) {
        s->barrier_held = 0;
        if (b->release(s, err) < 0)
            rc = cs_error_escalate(err, CS_SEV_FATAL);
        s->hold_ms = (cs_now() - s->barrier_t0) * 1000.0;
        if (rc == 0 && s->mode == DUMP_LOCK_BACKUP_STAGE)
            rc = check_fingerprint(s, &s->guard, cat, "while the backup stage was renewed", err);
    }
    resume_applier(s);
    return rc;
}

static void release_guard(struct dump_snapshot *s)
{
    struct cs_error ignore;

    cs_error_clear(&ignore);
    if (cs_conn_is_open(&s->guard) && s->guard_kind == DUMP_GUARD_BACKUP_STAGE)
        cs_conn_exec(&s->guard, "BACKUP STAGE END", &ignore);
    else if (cs_conn_is_open(&s->guard) && s->guard_kind == DUMP_GUARD_BACKUP_LOCK)
        cs_conn_exec(&s->guard, "UNLOCK INSTANCE", &ignore);
    cs_conn_close(&s->guard);
}

int dump_snapshot_close(struct dump_snapshot *s, const struct dump_catalog *cat, int check_ddl,
                        struct cs_error *err)
{
    struct cs_error ignore;
    int rc = 0;

    cs_error_clear(&ignore);
    if (s->barrier_held) {
        const struct dump_barrier *b = dump_barrier_get(s->mode);
        s->barrier_held = 0;
        b->release(s, &ignore);
    }
    if (check_ddl && cat) {
        struct cs_conn *c = cs_conn_is_open(&s->guard) ? &s->guard : &s->barrier;
        struct cs_conn tmp = {0};
        if (!cs_conn_is_open(c) && open_session(s, &tmp, "ddl check", err) == 0)
            c = &tmp;
        rc = cs_conn_is_open(c) ? check_fingerprint(s, c, cat, "during the dump", err) : -1;
        cs_conn_close(&tmp);
    }
    release_guard(s);
    resume_applier(s); /* after the guard: a waiting replicated DDL may go on at once */
    dump_applier_release(&s->applier);
    cs_conn_close(&s->barrier);
    for (size_t i = 0; i < s->nconns; i++)
        cs_conn_close(&s->conns[i]);
    free(s->conns);
    free(s->conn_state);
    s->conns = NULL;
    s->nconns = 0;
    free_proof(s);
    dump_coords_release(&s->coords);
    dump_coords_release(&s->replica);
    free(s->replica_host);
    s->replica_host = NULL;
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    return rc;
}

long dump_snapshot_acquire(struct dump_snapshot *s)
{
    long idx = -1;

    pthread_mutex_lock(&s->mu);
    for (;;) {
        size_t lent = 0;
        for (size_t i = 0; i < s->nconns && idx < 0; i++) {
            if (s->conn_state[i] == CONN_FREE) {
                s->conn_state[i] = CONN_LENT;
                idx = (long)i;
            }
            lent += s->conn_state[i] == CONN_LENT;
        }
        if (idx >= 0 || lent == 0)
            break;
        pthread_cond_wait(&s->cv, &s->mu); /* all alive ones are busy */
    }
    pthread_mutex_unlock(&s->mu);
    return idx;
}

void dump_snapshot_give_back(struct dump_snapshot *s, long idx, int dead)
{
    pthread_mutex_lock(&s->mu);
    s->conn_state[idx] = dead ? CONN_DEAD : CONN_FREE;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (dead)
        cs_conn_close(&s->conns[idx]);
}

size_t dump_snapshot_lent_ids(struct dump_snapshot *s, unsigned long *ids, size_t max)
{
    size_t n = 0;

    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->nconns && n < max; i++)
        if (s->conn_state[i] == CONN_LENT)
            ids[n++] = s->conns[i].thread_id;
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* Non-transactional tables dumped without a commit barrier: the snapshot
 * is not consistent for them, and the note says which. */
static void check_nontrx(struct dump_snapshot *s, const struct dump_catalog *cat)
{
    size_t n = dump_catalog_count_nontrx(cat);
    const struct dump_table *t = cat->tables;

    if (!n || s->barrier_held)
        return;
    while (t->transactional)
        t++;
    s->consistent = 0;
    snprintf(s->note, sizeof(s->note),
             "%zu non-transactional table(s) (e.g. %s.%s, %s) were dumped without a commit "
             "barrier (--lock-mode=%s), so they may not match the coordinates",
             n, t->schema, t->name, t->engine, dump_lock_mode_name(s->mode));
    cs_log_warn(s->cfg->log, "%s", s->note);
}

int dump_snapshot_take(struct dump_snapshot *s, const struct dump_catalog *cat, size_t nconns,
                       const struct dump_lock_decision *d, struct cs_error *err)
{
    if (d->lockless_first) {
        s->mode = DUMP_LOCK_LOCKLESS;
        if (dump_snapshot_open(s, cat, nconns, err) == 0)
            return 0;
        if (err->code != CS_ERR_INCONSISTENT)
            return -1;
        cs_log_info(s->cfg->log, "no lockless proof (the server is busy); using %s",
                    dump_lock_mode_name(d->mode));
        cs_error_clear(err);
    }
    s->mode = d->mode;
    if (dump_snapshot_open(s, cat, nconns, err) < 0)
        return -1;
    check_nontrx(s, cat);
    return 0;
}
