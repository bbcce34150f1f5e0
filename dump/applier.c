#include "dump/applier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/console.h"
#include "dump/coords.h"
#include "dump/snapshot.h"

const char *dump_applier_stop_sql(const struct cs_version *v)
{
    if (v->flavor == CS_FLAVOR_MYSQL && cs_version_at_least(v, 8, 0, 22))
        return "STOP REPLICA SQL_THREAD";
    return "STOP SLAVE SQL_THREAD";
}

const char *dump_applier_start_sql(const struct cs_version *v)
{
    if (v->flavor == CS_FLAVOR_MYSQL && cs_version_at_least(v, 8, 0, 22))
        return "START REPLICA SQL_THREAD";
    return "START SLAVE SQL_THREAD";
}

/* States of replication threads that hold nothing up: the IO thread, idle
 * appliers, and appliers that wait for csdump's own FTWRL. */
static const char *const idle_states[] = {
    "%to send event%",         "%source event%",           "%master event%",
    "Connecting to%",          "%reconnect%",              "Checking % version%",
    "Registering %",           "Requesting binlog dump%",  "%relay log space%",
    "%event from Coordinator%", "%read all relay log%",     "Waiting for work from%",
    "%next event in relay log%", "%global read lock%",      "%commit lock%",
};

void dump_applier_blockers_sql(struct cs_buf *b, const char *processlist)
{
    cs_buf_printf(b,
                  "SELECT ID, STATE, TIME, LEFT(INFO, 60) FROM %s "
                  "WHERE USER = 'system user' AND COMMAND NOT IN ('Daemon', 'Slave_IO') "
                  "AND STATE IS NOT NULL AND STATE <> ''",
                  processlist);
    for (size_t i = 0; i < sizeof(idle_states) / sizeof(idle_states[0]); i++)
        cs_buf_printf(b, " AND STATE NOT LIKE '%s'", idle_states[i]);
    cs_buf_puts(b, " ORDER BY TIME DESC LIMIT 5");
}

int dump_applier_blockers(struct cs_conn *conn, const struct dump_server *srv, struct cs_buf *msg,
                          struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int n = -1;

    dump_applier_blockers_sql(&sql, srv->processlist);
    if (cs_buf_failed(&sql)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (cs_conn_query(conn, sql.data, &res, err) < 0)
        goto out;
    n = 0;
    while ((row = cs_result_row(res))) {
        cs_buf_printf(msg, "%sreplica applier thread %s (%s, %ss%s%s)", n ? "; " : "", row[0],
                      row[1] ? row[1] : "", row[2] ? row[2] : "?", row[3] ? ": " : "",
                      row[3] ? row[3] : "");
        n++;
    }
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    return n;
}

static int open_conn(struct dump_applier *a, const struct dump_config *cfg,
                     const struct dump_server *srv, struct cs_error *err)
{
    if (cs_conn_is_open(&a->conn))
        return 0;
    if (cs_conn_open(&a->conn, &cfg->conn, "replica applier", err) < 0 ||
        dump_session_setup(&a->conn, &srv->version, err) < 0) {
        cs_conn_close(&a->conn);
        return -1;
    }
    return 0;
}

static const char *admin_privilege(const struct dump_server *srv)
{
    return srv->version.flavor == CS_FLAVOR_MARIADB ? "REPLICATION SLAVE ADMIN (or SUPER)"
                                                    : "REPLICATION_SLAVE_ADMIN (or SUPER)";
}

int dump_applier_pause(struct dump_applier *a, const struct dump_config *cfg,
                       const struct dump_server *srv, struct cs_error *err)
{
    struct fmt_coords pos = {0};
    struct dump_applier_state st;
    char *host = NULL;
    int is_replica = 0, rc = -1;

    memset(&st, 0, sizeof(st));
    if (open_conn(a, cfg, srv, err) < 0 ||
        dump_coords_read_replica(&a->conn, &a->conn, &srv->version, &pos, &host, &is_replica, &st,
                                 err) < 0) {
        cs_error_prefix(err, "--pause-replica: reading the replica status");
        goto out;
    }
    rc = 0;
    if (!is_replica) {
        cs_log_warn(cfg->log, "--pause-replica: the server is not a replica; nothing to pause");
        goto out;
    }
    if (st.known && !st.sql_running) {
        cs_log_info(cfg->log, "--pause-replica: the replica's SQL thread is not running; csdump "
                              "leaves it as it is");
        goto out;
    }
    if (cs_conn_exec(&a->conn, dump_applier_stop_sql(&srv->version), err) < 0) {
        rc = -1;
        if (err->server_errno == 1227 || err->server_errno == 1044)
            cs_error_prefix(err, "--pause-replica needs %s", admin_privilege(srv));
        else
            cs_error_prefix(err, "--pause-replica");
        goto out;
    }
    a->stopped = 1;
    a->t0 = cs_now();
    cs_log_info(cfg->log, "--pause-replica: the replica's SQL thread is stopped for the snapshot");
out:
    dump_coords_release(&pos);
    free(host);
    return rc;
}

int dump_applier_resume(struct dump_applier *a, const struct dump_config *cfg,
                        const struct dump_server *srv, struct cs_error *err)
{
    const char *start = dump_applier_start_sql(&srv->version);

    if (!a->stopped)
        return 0;
    /* the connection may have died meanwhile: one fresh try */
    if (cs_conn_is_open(&a->conn) && cs_conn_exec(&a->conn, start, err) == 0)
        goto started;
    cs_conn_close(&a->conn);
    cs_error_clear(err);
    if (open_conn(a, cfg, srv, err) == 0 && cs_conn_exec(&a->conn, start, err) == 0)
        goto started;
    return cs_error_prefix(err,
                           "--pause-replica: csdump stopped the replica's SQL thread and could not "
                           "start it again; run %s on the server",
                           start);
started:
    a->stopped = 0;
    cs_log_info(cfg->log, "--pause-replica: the replica's SQL thread runs again (paused %.1f s)",
                cs_now() - a->t0);
    return 0;
}

void dump_applier_release(struct dump_applier *a)
{
    cs_conn_close(&a->conn);
}
