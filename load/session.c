#include "load/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "format/sqlenc.h"

int load_target_gtid_empty(struct cs_conn *c, const struct cs_version *v, int *empty,
                           struct cs_error *err)
{
    const char *q = v->flavor == CS_FLAVOR_MARIADB ? "SELECT @@GLOBAL.gtid_binlog_pos"
                                                   : "SELECT @@GLOBAL.gtid_executed";
    char *g = NULL;

    if (cs_conn_query_value(c, q, &g, err) < 0)
        return -1;
    *empty = !g || !*g;
    free(g);
    return 0;
}

int load_target_read(struct cs_conn *c, struct load_target *t, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    int rc = -1;

    memset(t, 0, sizeof(*t));
    if (cs_conn_query(c,
                      "SELECT VERSION(), @@version_comment, @@local_infile, "
                      "@@max_allowed_packet, @@read_only",
                      &res, err) < 0)
        return -1;
    row = cs_result_row(res);
    if (!row || !row[0] || cs_version_parse(row[0], row[1], &t->version) < 0) {
        cs_error_set(err, CS_ERR_SERVER, "%s: cannot read the server version", c->label);
        goto out;
    }
    t->version_text = strdup(row[0]);
    t->local_infile = row[2] && strcmp(row[2], "0") != 0;
    t->max_packet = row[3] ? strtoull(row[3], NULL, 10) : 0;
    t->read_only = row[4] && strcmp(row[4], "0") != 0;
    t->bulk_rows = cs_conn_bulk_supported(c);
    cs_result_free(res);
    res = NULL;
    t->autoinc_lock_mode = 1;
    if (cs_conn_query(c, "SELECT @@innodb_autoinc_lock_mode", &res, err) == 0) {
        row = cs_result_row(res);
        if (row && row[0])
            t->autoinc_lock_mode = atoi(row[0]);
        cs_result_free(res);
        res = NULL;
    } else {
        cs_error_clear(err); /* no InnoDB: no AUTO-INC lock either way */
    }
    if (load_target_gtid_empty(c, &t->version, &t->gtid_empty, err) < 0)
        goto out;
    rc = t->version_text ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
out:
    if (res)
        cs_result_free(res);
    return rc;
}

void load_target_release(struct load_target *t)
{
    if (!t)
        return;
    free(t->version_text);
    t->version_text = NULL;
}

void load_session_base_sql(struct cs_buf *b, const char *dump_sql_mode)
{
    cs_buf_puts(b, "SET NAMES binary, SESSION time_zone = '+00:00', SESSION sql_mode = '");
    fmt_sql_mode_for_load(b, dump_sql_mode);
    cs_buf_putc(b, '\'');
}

int load_session_setup(struct cs_conn *c, const struct load_config *cfg,
                       const struct load_target *t, const char *dump_sql_mode, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_error ignore;
    int rc = -1;

    load_session_base_sql(&sql, dump_sql_mode);
    cs_buf_puts(&sql, ", SESSION unique_checks=0, foreign_key_checks=0, net_read_timeout=86400, "
                      "net_write_timeout=86400, wait_timeout=86400");
    if (cs_buf_failed(&sql) || cs_conn_exec(c, sql.data, err) < 0)
        goto out;
    if (!cfg->keep_binlog && cs_conn_exec(c, "SET SESSION sql_log_bin=0", err) < 0) {
        cs_error_prefix(err,
                        "turning the binary log off for the load (needs %s; or use "
                        "--keep-binlog to load through the binary log)",
                        t->version.flavor == CS_FLAVOR_MARIADB ? "BINLOG ADMIN or SUPER"
                                                               : "SYSTEM_VARIABLES_ADMIN or SUPER");
        goto out;
    }
    cs_error_clear(&ignore);
    if (t->version.flavor == CS_FLAVOR_MARIADB)
        cs_conn_exec(c, "SET SESSION max_statement_time=0", &ignore);
    else if (cs_version_at_least(&t->version, 8, 0, 13))
        cs_conn_exec(c, "SET SESSION sql_require_primary_key=0", &ignore);
    if (t->version.flavor == CS_FLAVOR_MYSQL && cs_version_at_least(&t->version, 8, 0, 27)) {
        /* MySQL builds a secondary index with innodb_ddl_threads sort threads
         * sharing innodb_ddl_buffer_size, 1 MiB by default: the deferred
         * index phase gets a buffer a big table's sort can use (best effort:
         * the server's defaults stay when it refuses) */
        char set[128];
        snprintf(set, sizeof(set),
                 "SET SESSION innodb_ddl_threads = %u, innodb_ddl_buffer_size = %u",
                 cfg->threads > LOAD_DDL_THREADS_MIN ? cfg->threads : LOAD_DDL_THREADS_MIN,
                 LOAD_DDL_BUFFER_BYTES);
        cs_conn_exec(c, set, &ignore);
    }
    rc = 0;
out:
    cs_buf_release(&sql);
    return rc;
}

int load_session_open(struct cs_conn *c, const struct load_config *cfg, const struct load_target *t,
                      const char *dump_sql_mode, const char *label, struct cs_error *err)
{
    if (cs_conn_open(c, &cfg->conn, label, err) < 0)
        return -1;
    if (load_session_setup(c, cfg, t, dump_sql_mode, err) < 0) {
        cs_conn_close(c);
        return -1;
    }
    return 0;
}
