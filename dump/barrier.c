#include "dump/barrier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/quote.h"
#include "dump/applier.h"

void dump_snapshot_long_query_sql(struct cs_buf *b, const struct dump_server *s, unsigned seconds)
{
    cs_buf_printf(b,
                  "SELECT ID, USER, HOST, COMMAND, TIME, LEFT(INFO, 120) "
                  "FROM %s WHERE ID <> CONNECTION_ID() "
                  "AND INFO IS NOT NULL AND TIME >= %u "
                  "AND COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump', 'Binlog Dump GTID', "
                  "'Connect', 'Slave_IO', 'Slave_SQL', 'Slave_worker') "
                  "AND USER NOT IN ('system user', 'event_scheduler')",
                  s->processlist ? s->processlist : "information_schema.PROCESSLIST", seconds);
    /* MariaDB's FTWRL does not wait for running SELECTs (MySQL's does, to flush). */
    if (s->version.flavor == CS_FLAVOR_MARIADB)
        cs_buf_puts(b, " AND INFO NOT LIKE 'SELECT%' AND INFO NOT LIKE 'select%'");
    cs_buf_puts(b, " ORDER BY TIME DESC LIMIT 5");
}

/* Names the long-running sessions into MSG (asked on CONN); returns how
 * many there are. */
static int long_queries(struct dump_snapshot *s, struct cs_conn *conn, unsigned seconds,
                        struct cs_buf *msg, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int n = -1;

    dump_snapshot_long_query_sql(&sql, s->server, seconds);
    if (cs_conn_query(conn, sql.data, &res, err) < 0)
        goto out;
    n = 0;
    while ((row = cs_result_row(res))) {
        /* our own connections never count */
        int ours = 0;
        for (size_t i = 0; i < s->nconns; i++)
            ours |= s->conns[i].thread_id == strtoul(row[0], NULL, 10);
        if (ours)
            continue;
        cs_buf_printf(msg, "%s session %s (%s@%s, %s, running %ss: %s)", n ? ";" : "", row[0],
                      row[1], row[2] ? row[2] : "", row[3], row[4], row[5] ? row[5] : "");
        n++;
    }
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    return n;
}

int dump_barrier_blockers(struct dump_snapshot *s, struct cs_conn *conn, struct cs_buf *msg)
{
    struct cs_buf applier = CS_BUF_INIT;
    struct cs_error ignore;
    int n;

    cs_error_clear(&ignore);
    long_queries(s, conn, 0, msg, &ignore);
    n = dump_applier_blockers(conn, s->server, &applier, &ignore);
    if (n > 0)
        cs_buf_printf(msg, "%s %s", msg->len ? ";" : "", applier.data);
    cs_buf_release(&applier);
    return n > 0 ? n : 0;
}

const char *dump_barrier_applier_hint(void)
{
    return "This replica's own applier is held up (a replicated DDL waits for csdump's DDL "
           "guard and later transactions wait in commit order): use --pause-replica (stops "
           "its SQL thread for the snapshot) or dump once it has caught up";
}

static const char *privilege_hint(enum dump_lock_mode mode)
{
    switch (mode) {
    case DUMP_LOCK_LOCK_TABLES:
        return "GRANT LOCK TABLES, SELECT ON db.* TO the dump user";
    case DUMP_LOCK_BACKUP_LOCK:
        return "GRANT BACKUP_ADMIN, RELOAD ON *.* TO the dump user, or use --lock-mode=lock-tables";
    default:
        return "GRANT RELOAD ON *.* TO the dump user, or use --lock-mode=lock-tables";
    }
}

/* Runs STMTS on CONN as one lock attempt; retries lock wait timeouts and,
 * when GUARD, waits out / refuses long-running statements first. */
static int take_bounded(struct dump_snapshot *s, struct cs_conn *conn, const char *const *stmts,
                        size_t n, int guard, struct cs_error *err)
{
    const struct dump_config *cfg = s->cfg;
    struct cs_buf sql = CS_BUF_INIT, blockers = CS_BUF_INIT;
    int rc = -1, appliers = 0;

    cs_buf_printf(&sql, "SET SESSION lock_wait_timeout=%u", cfg->lock_wait_timeout);
    if (cs_conn_exec(conn, sql.data, err) < 0)
        goto out;
    for (unsigned attempt = 0; attempt <= cfg->lock_retries; attempt++) {
        size_t i;
        if (cs_cancelled(cfg->cancel)) {
            cs_error_set(err, CS_ERR_CANCELLED, "interrupted while taking the lock");
            goto out;
        }
        cs_buf_reset(&blockers);
        if (guard && cfg->long_query_guard) {
            int nq = long_queries(s, conn, cfg->long_query_guard, &blockers, err);
            if (nq < 0)
                goto out;
            if (nq > 0) {
                cs_log_warn(cfg->log, "%s: not locking: long-running statements:%s",
                            dump_lock_mode_name(s->mode), blockers.data);
                if (attempt < cfg->lock_retries)
                    sleep(2);
                continue;
            }
        }
        for (i = 0; i < n; i++)
            if (cs_conn_exec(conn, stmts[i], err) < 0)
                break;
        if (i == n) {
            rc = 0;
            goto out;
        }
        if (err->server_errno == 1227 || err->server_errno == 1044 || err->server_errno == 1142) {
            cs_error_prefix(err, "--lock-mode=%s needs a privilege (%s)",
                            dump_lock_mode_name(s->mode), privilege_hint(s->mode));
            goto out;
        }
        if (err->server_errno != 1205 /* lock wait timeout */)
            goto out;
        appliers = dump_barrier_blockers(s, conn, &blockers);
        cs_log_warn(cfg->log, "%s: lock wait timeout after %us (attempt %u of %u)%s%s",
                    dump_lock_mode_name(s->mode), cfg->lock_wait_timeout, attempt + 1,
                    cfg->lock_retries + 1, blockers.len ? "; running:" : "",
                    blockers.len ? blockers.data : "");
    }
    cs_error_set(err, CS_ERR_LOCK,
                 "--lock-mode=%s: could not take the lock within %u attempt(s) of %us%s%s; the "
                 "source was left unlocked. %s",
                 dump_lock_mode_name(s->mode), cfg->lock_retries + 1, cfg->lock_wait_timeout,
                 blockers.len ? "; blocked by:" : "", blockers.len ? blockers.data : "",
                 appliers ? dump_barrier_applier_hint()
                          : "Wait for or stop those sessions, or raise "
                            "--long-query-guard/--lock-wait-timeout/--lock-retries");
out:
    cs_buf_release(&sql);
    cs_buf_release(&blockers);
    return rc;
}

static int ftwrl_take(struct dump_snapshot *s, const struct dump_catalog *cat,
                      struct cs_error *err)
{
    static const char *const mysql_stmts[] = {"FLUSH NO_WRITE_TO_BINLOG TABLES",
                                              "FLUSH TABLES WITH READ LOCK"};
    int mysql = s->server->version.flavor == CS_FLAVOR_MYSQL;

    (void)cat;
    /* MySQL: flush first without the lock, so the locked flush is short. */
    return take_bounded(s, &s->barrier, mysql ? mysql_stmts : mysql_stmts + 1, mysql ? 2 : 1, 1,
                        err);
}

static int unlock_tables(struct dump_snapshot *s, struct cs_error *err)
{
    return cs_conn_exec(&s->barrier, "UNLOCK TABLES", err);
}

static int block_commit_take(struct dump_snapshot *s, const struct dump_catalog *cat,
                             struct cs_error *err)
{
    static const char *const stmts[] = {"BACKUP STAGE BLOCK_COMMIT"};

    (void)cat;
    return take_bounded(s, &s->guard, stmts, 1, 0, err);
}

/* BLOCK_COMMIT can only be left by ending the backup; the DDL guard is taken
 * again at once and snapshot.c compares the DDL fingerprint right after. */
static int block_commit_release(struct dump_snapshot *s, struct cs_error *err)
{
    static const char *const stmts[] = {"BACKUP STAGE START", "BACKUP STAGE BLOCK_DDL"};

    if (cs_conn_exec(&s->guard, "BACKUP STAGE END", err) < 0)
        return -1;
    return take_bounded(s, &s->guard, stmts, 2, 0, err);
}

static int lock_tables_take(struct dump_snapshot *s, const struct dump_catalog *cat,
                            struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    const char *stmt;
    int rc;

    cs_buf_puts(&sql, "LOCK TABLES ");
    for (size_t i = 0; i < cat->ntables; i++) {
        if (i)
            cs_buf_puts(&sql, ", ");
        cs_quote_qualified(&sql, cat->tables[i].schema, cat->tables[i].name);
        cs_buf_puts(&sql, " READ");
    }
    if (cs_buf_failed(&sql)) {
        cs_buf_release(&sql);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    stmt = sql.data;
    rc = cat->ntables ? take_bounded(s, &s->barrier, &stmt, 1, 0, err) : 0;
    cs_buf_release(&sql);
    return rc;
}

static const struct dump_barrier barriers[] = {
    {DUMP_LOCK_FTWRL, "ftwrl", 1, ftwrl_take, unlock_tables},
    {DUMP_LOCK_BACKUP_LOCK, "backup-lock", 1, ftwrl_take, unlock_tables},
    {DUMP_LOCK_BACKUP_STAGE, "backup-stage", 1, block_commit_take, block_commit_release},
    {DUMP_LOCK_LOCK_TABLES, "lock-tables", 1, lock_tables_take, unlock_tables},
    {DUMP_LOCK_LOCKLESS, "lockless", 1, NULL, NULL},
    {DUMP_LOCK_NONE, "none", 0, NULL, NULL},
};

const struct dump_barrier *dump_barrier_get(enum dump_lock_mode mode)
{
    for (size_t i = 0; i < sizeof(barriers) / sizeof(barriers[0]); i++)
        if (barriers[i].mode == mode)
            return &barriers[i];
    return NULL;
}
