/* server.c - what the source server is and what we may do on it. */
#include "dump/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"

static const struct {
    const char *word;
    unsigned bit;
} priv_words[] = {
    {"ALL PRIVILEGES", DUMP_PRIV_ALL},
    {"RELOAD", DUMP_PRIV_RELOAD},
    {"BACKUP_ADMIN", DUMP_PRIV_BACKUP_ADMIN},
    {"REPLICATION CLIENT", DUMP_PRIV_BINLOG_MONITOR},
    {"BINLOG MONITOR", DUMP_PRIV_BINLOG_MONITOR},
    {"SUPER", DUMP_PRIV_BINLOG_MONITOR},
    {"LOCK TABLES", DUMP_PRIV_LOCK_TABLES},
    {"PROCESS", DUMP_PRIV_PROCESS},
};

unsigned dump_privs_parse(const char *const *grants, size_t n)
{
    unsigned bits = 0;

    for (size_t i = 0; i < n; i++) {
        const char *g = grants[i];
        const char *on = strcasestr(g, " ON ");
        size_t len;
        if (strncasecmp(g, "GRANT ", 6) || !on)
            continue;
        /* global grants only, plus LOCK TABLES on any schema */
        len = (size_t)(on - g);
        for (size_t k = 0; k < sizeof(priv_words) / sizeof(priv_words[0]); k++) {
            const char *w = strcasestr(g, priv_words[k].word);
            if (!w || (size_t)(w - g) >= len)
                continue;
            if (strncmp(on, " ON *.*", 7) && priv_words[k].bit != DUMP_PRIV_LOCK_TABLES &&
                priv_words[k].bit != DUMP_PRIV_ALL)
                continue;
            bits |= strncmp(on, " ON *.*", 7) && priv_words[k].bit == DUMP_PRIV_ALL
                        ? DUMP_PRIV_LOCK_TABLES
                        : priv_words[k].bit;
        }
    }
    return bits;
}

static int read_privs(struct cs_conn *conn, struct dump_server *s, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    const char **lines = NULL;
    size_t n = 0;

    if (cs_conn_query(conn, "SHOW GRANTS FOR CURRENT_USER()", &res, err) < 0)
        return -1;
    lines = calloc(cs_result_rows(res) + 1, sizeof(*lines));
    if (!lines) {
        cs_result_free(res);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    while ((row = cs_result_row(res)))
        if (row[0])
            lines[n++] = row[0];
    s->privs = dump_privs_parse(lines, n);
    free(lines);
    cs_result_free(res);
    return 0;
}

static int query_strings(struct cs_conn *conn, const char *sql, char **out[], size_t n,
                         struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;

    if (cs_conn_query(conn, sql, &res, err) < 0)
        return -1;
    row = cs_result_row(res);
    for (size_t i = 0; i < n; i++) {
        *out[i] = row && row[i] ? strdup(row[i]) : NULL;
        if (row && row[i] && !*out[i]) {
            cs_result_free(res);
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        }
    }
    cs_result_free(res);
    return 0;
}

const char *dump_server_processlist(const struct cs_version *v, int ps_answers)
{
    if (v->flavor == CS_FLAVOR_MYSQL && cs_version_at_least(v, 8, 0, 22) && ps_answers)
        return "performance_schema.processlist";
    return "information_schema.PROCESSLIST";
}

/* Does performance_schema.processlist list this session (it is empty with
 * performance_schema off, or missing before MySQL 8.0.22)? */
static int ps_processlist_answers(struct cs_conn *conn, const struct cs_version *v)
{
    struct cs_error ignore;
    char *n = NULL;
    int ok;

    if (v->flavor != CS_FLAVOR_MYSQL || !cs_version_at_least(v, 8, 0, 22))
        return 0;
    cs_error_clear(&ignore);
    ok = cs_conn_query_value(conn, "SELECT COUNT(*) FROM performance_schema.processlist "
                                   "WHERE ID = CONNECTION_ID()",
                             &n, &ignore) == 0 &&
         n && !strcmp(n, "1");
    free(n);
    return ok;
}

int dump_server_read(struct cs_conn *conn, struct dump_server *s, struct cs_error *err)
{
    char *comment = NULL, *id = NULL, *logbin = NULL, *expire = NULL;
    char **fields[] = {&s->version_text, &comment, &s->hostname, &id, &s->sql_mode, &logbin};
    int rc = -1;

    memset(s, 0, sizeof(*s));
    if (query_strings(conn, "SELECT VERSION(), @@version_comment, @@hostname, @@server_id, "
                            "@@GLOBAL.sql_mode, @@log_bin", fields, 6, err) < 0)
        goto out;
    if (cs_version_parse(s->version_text, comment, &s->version) < 0) {
        cs_error_set(err, CS_ERR_SERVER, "%s: cannot read the server version from '%s'",
                     conn->label, s->version_text ? s->version_text : "");
        goto out;
    }
    s->server_id = id ? (unsigned)strtoul(id, NULL, 10) : 0;
    s->log_bin = logbin && strcmp(logbin, "0") != 0;
    if (s->version.flavor == CS_FLAVOR_MYSQL) {
        char **uuid[] = {&s->server_uuid};
        if (query_strings(conn, "SELECT @@server_uuid", uuid, 1, err) < 0)
            goto out;
    }
    /* binlog expiry: seconds where the server has it, else days */
    {
        char **e[] = {&expire};
        struct cs_error ignore;
        cs_error_clear(&ignore);
        if (query_strings(conn, "SELECT @@binlog_expire_logs_seconds", e, 1, &ignore) == 0 && expire)
            s->binlog_expire_seconds = strtoull(expire, NULL, 10);
        else if (query_strings(conn, "SELECT @@expire_logs_days * 86400", e, 1, &ignore) == 0 &&
                 expire)
            s->binlog_expire_seconds = (unsigned long long)strtod(expire, NULL);
    }
    if (read_privs(conn, s, err) < 0)
        goto out;
    s->processlist = dump_server_processlist(&s->version, ps_processlist_answers(conn, &s->version));
    rc = 0;
out:
    free(comment);
    free(id);
    free(logbin);
    free(expire);
    return rc;
}

void dump_server_release(struct dump_server *s)
{
    if (!s)
        return;
    free(s->version_text);
    free(s->hostname);
    free(s->server_uuid);
    free(s->sql_mode);
    memset(s, 0, sizeof(*s));
}

int dump_session_setup(struct cs_conn *conn, const struct cs_version *v, struct cs_error *err)
{
    const char *timeout = v->flavor == CS_FLAVOR_MARIADB
                              ? "SET SESSION max_statement_time=0"
                              : (cs_version_at_least(v, 5, 7, 8) ? "SET SESSION max_execution_time=0"
                                                                  : NULL);

    if (cs_conn_exec(conn, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", err) < 0 ||
        cs_conn_exec(conn, "SET SESSION time_zone='+00:00', sql_mode='', "
                           "net_write_timeout=86400, net_read_timeout=86400, "
                           "wait_timeout=86400",
                     err) < 0)
        return -1;
    if (timeout && cs_conn_exec(conn, timeout, err) < 0)
        return -1;
    return 0;
}
