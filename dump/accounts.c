#include "dump/accounts.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/fs.h"
#include "common/quote.h"
#include "dump/output.h"
#include "dump/schema.h"
#include "format/names.h"
#include "format/sqlenc.h"

/* Roles first: a user's CREATE USER (MySQL) or its grants may name one. */
static const char *const list_mariadb =
    "SELECT User, Host, is_role = 'Y' FROM mysql.user ORDER BY 3 DESC, 1, 2";
static const char *const list_mysql =
    "SELECT u.User, u.Host, EXISTS (SELECT 1 FROM mysql.role_edges e WHERE e.FROM_USER = u.User "
    "AND e.FROM_HOST = u.Host) OR EXISTS (SELECT 1 FROM mysql.default_roles d WHERE "
    "d.DEFAULT_ROLE_USER = u.User AND d.DEFAULT_ROLE_HOST = u.Host) FROM mysql.user u "
    "ORDER BY 3 DESC, 1, 2";

int dump_accounts_list(struct cs_conn *conn, const struct cs_version *v, struct dump_select *sel,
                       struct dump_catalog *cat, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    int rc = 0;

    if (cs_conn_query(conn, v->flavor == CS_FLAVOR_MARIADB ? list_mariadb : list_mysql, &res, err) <
        0)
        return cs_error_prefix(err, "listing the accounts");
    while (rc == 0 && (row = cs_result_row(res))) {
        const char *user = row[0] ? row[0] : "", *host = row[1] ? row[1] : "";
        if (v->flavor == CS_FLAVOR_MARIADB && !strcmp(user, "PUBLIC") && !*host) {
            const char *what = "the grants to PUBLIC (MariaDB 10.11+: csdump does not dump them; "
                               "SHOW GRANTS FOR PUBLIC lists them)";
            cs_log_warn(sel->cfg->log, "%s", what);
            if (dump_catalog_not_dumped(cat, what) < 0)
                rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            continue;
        }
        if (dump_select_account(sel, user, host) &&
            dump_catalog_add_account(cat, user, host, row[2] && strcmp(row[2], "0")) < 0)
            rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    cs_result_free(res);
    return rc;
}

/* `user`@`host` (a MariaDB role: `role`). */
static void quote_account(struct cs_buf *b, const struct dump_account *a, int mariadb_role)
{
    cs_quote_ident(b, a->user);
    if (!mariadb_role) {
        cs_buf_putc(b, '@');
        cs_quote_ident(b, a->host);
    }
}

/* SQL's rows (first column) each appended to BODY as a statement; lines
 * starting with SET DEFAULT ROLE go to DEFAULTS instead.  Counts in *N, *ND. */
static int add_rows(struct cs_conn *conn, const char *sql, struct cs_buf *body,
                    struct cs_buf *defaults, uint32_t *n, uint32_t *nd, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;

    if (cs_conn_query(conn, sql, &res, err) < 0)
        return -1;
    while ((row = cs_result_row(res))) {
        int dflt = row[0] && !strncmp(row[0], "SET DEFAULT ROLE ", 17);
        if (!row[0])
            continue;
        cs_buf_printf(dflt ? defaults : body, "%s;\n", row[0]);
        (*(dflt ? nd : n))++;
    }
    cs_result_free(res);
    return 0;
}

/* MySQL: SET DEFAULT ROLE ... TO the account, from mysql.default_roles. */
static int mysql_defaults(struct cs_conn *conn, const struct dump_account *a, struct cs_buf *out,
                          uint32_t *n, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    size_t k = 0;
    int rc = -1;

    cs_buf_puts(&sql, "SELECT DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST FROM mysql.default_roles "
                      "WHERE USER = ");
    fmt_sql_append_string(&sql, a->user, strlen(a->user));
    cs_buf_puts(&sql, " AND HOST = ");
    fmt_sql_append_string(&sql, a->host, strlen(a->host));
    cs_buf_puts(&sql, " ORDER BY 1, 2");
    if (cs_buf_failed(&sql) || cs_conn_query(conn, sql.data, &res, err) < 0)
        goto out;
    while ((row = cs_result_row(res))) {
        struct dump_account r = {row[0] ? row[0] : (char *)"", row[1] ? row[1] : (char *)"", 1};
        cs_buf_puts(out, k++ ? ", " : "SET DEFAULT ROLE ");
        quote_account(out, &r, 0);
    }
    if (k) {
        cs_buf_puts(out, " TO ");
        quote_account(out, a, 0);
        cs_buf_puts(out, ";\n");
        (*n)++;
    }
    rc = 0;
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    return rc;
}

/* The account's statements into BODY; counts into E. */
static int statements(struct cs_conn *conn, const struct cs_version *v,
                      const struct dump_account *a, struct cs_buf *body, struct fmt_account *e,
                      struct cs_error *err)
{
    int mariadb_role = v->flavor == CS_FLAVOR_MARIADB && a->role;
    struct cs_buf who = CS_BUF_INIT, sql = CS_BUF_INIT, dflt = CS_BUF_INIT;
    uint32_t creates = 0;
    int rc = -1;

    quote_account(&who, a, mariadb_role);
    if (mariadb_role) {
        cs_buf_printf(body, "CREATE ROLE %s;\n", who.data);
        creates = 1;
    } else {
        cs_buf_printf(&sql, "SHOW CREATE USER %s", who.data);
        if (cs_buf_failed(&sql) ||
            add_rows(conn, sql.data, body, &dflt, &creates, &creates, err) < 0)
            goto out;
    }
    cs_buf_reset(&sql);
    cs_buf_printf(&sql, "SHOW GRANTS FOR %s", who.data);
    if (cs_buf_failed(&sql) ||
        add_rows(conn, sql.data, body, &dflt, &e->grants, &e->default_roles, err) < 0)
        goto out;
    if (v->flavor == CS_FLAVOR_MYSQL && mysql_defaults(conn, a, &dflt, &e->default_roles, err) < 0)
        goto out;
    if (creates != 1) {
        cs_error_set(err, CS_ERR_SERVER, "SHOW CREATE USER %s gave %u statements", who.data,
                     creates);
        goto out;
    }
    cs_buf_append(body, dflt.data ? dflt.data : "", dflt.len);
    rc = cs_buf_failed(body) || cs_buf_failed(&who)
             ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
             : 0;
out:
    if (rc < 0)
        cs_error_prefix(err, "account %s", who.data ? who.data : a->user);
    cs_buf_release(&who);
    cs_buf_release(&sql);
    cs_buf_release(&dflt);
    return rc;
}

static int write_account(struct cs_conn *conn, const struct dump_config *cfg,
                         const struct cs_version *v, const struct dump_account *a,
                         struct fmt_manifest *m, struct cs_error *err)
{
    struct fmt_account e = {a->role ? FMT_ACCOUNT_ROLE : FMT_ACCOUNT_USER, NULL, NULL, NULL, 0, 0};
    struct cs_buf body = CS_BUF_INIT;
    struct fmt_account *out;
    int rc = -1;

    if (statements(conn, v, a, &body, &e, err) < 0)
        goto out;
    e.user = strdup(a->user);
    e.host = strdup(a->host);
    e.file = fmt_name_file(a->user, a->host, "-account.sql");
    if (!e.user || !e.host || !e.file || !(out = fmt_manifest_add_account(m))) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    *out = e;
    memset(&e, 0, sizeof(e));
    if (cfg->output->put(cfg->output, out->file, body.data, body.len, err) < 0 ||
        dump_schema_add_file(m, out->file, body.data, body.len, err) < 0)
        goto out;
    rc = 0;
out:
    free(e.user);
    free(e.host);
    free(e.file);
    cs_buf_release(&body);
    return rc;
}

/* An account mysql.user lists but the server does not know (error 1133: a
 * host name under skip_name_resolve): nobody can log in with it. */
static int skip_unknown(const struct dump_config *cfg, const struct dump_account *a,
                        struct fmt_manifest *m)
{
    struct cs_buf note = CS_BUF_INIT;
    int rc;

    cs_buf_printf(&note,
                  "account %s@%s (listed in mysql.user, but the server ignores it: a host "
                  "name under skip_name_resolve?)",
                  a->user, a->host);
    cs_log_warn(cfg->log, "%s: not dumped", note.data ? note.data : a->user);
    rc = note.data ? fmt_manifest_add_not_dumped(m, note.data) : -1;
    cs_buf_release(&note);
    return rc;
}

int dump_accounts_write(struct cs_conn *conn, const struct dump_config *cfg,
                        const struct cs_version *v, const struct dump_catalog *cat,
                        struct fmt_manifest *m, struct cs_error *err)
{
    m->has_accounts = cat->users;
    if (!cat->naccounts)
        return 0;
    if (v->flavor == CS_FLAVOR_MYSQL && cs_version_at_least(v, 8, 0, 17) &&
        cs_conn_exec(conn, "SET SESSION print_identified_with_as_hex = ON", err) < 0)
        return -1;
    for (size_t i = 0; i < cat->naccounts; i++) {
        if (cfg->cancel && *cfg->cancel)
            return cs_error_set(err, CS_ERR_CANCELLED, "interrupted");
        if (write_account(conn, cfg, v, &cat->accounts[i], m, err) == 0)
            continue;
        if (err->server_errno != 1133 || skip_unknown(cfg, &cat->accounts[i], m) < 0)
            return -1;
        cs_error_clear(err);
    }
    return 0;
}
