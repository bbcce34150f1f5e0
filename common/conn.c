#include "common/conn.h"

#include <errmsg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cs_conn_thread_init(void)
{
    return mysql_thread_init() ? -1 : 0;
}

void cs_conn_thread_end(void)
{
    mysql_thread_end();
}

static const char *const ssl_modes[] = {"DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA",
                                        "VERIFY_IDENTITY"};

static int ssl_mode_index(const char *mode)
{
    for (size_t i = 0; i < sizeof(ssl_modes) / sizeof(ssl_modes[0]); i++)
        if (!strcasecmp(mode, ssl_modes[i]))
            return (int)i;
    return -1;
}

int cs_conn_check_ssl_mode(const char *mode, struct cs_error *err)
{
    if (!mode || ssl_mode_index(mode) >= 0)
        return 0;
    return cs_error_set(err, CS_ERR_USAGE,
                        "--ssl-mode=%s: expected DISABLED, PREFERRED, REQUIRED, VERIFY_CA or "
                        "VERIFY_IDENTITY",
                        mode);
}

int cs_conn_transport_tcp(const struct cs_conn_config *cfg)
{
    int local = !cfg->host || !strcmp(cfg->host, "localhost");

    if (cfg->protocol == CS_PROTO_TCP)
        return 1;
    return !local;
}

void cs_conn_describe(const struct cs_conn_config *cfg, char *out, size_t size)
{
    int tcp = cs_conn_transport_tcp(cfg);

    if (!tcp && cfg->socket)
        snprintf(out, size, "%s", cfg->socket);
    else
        snprintf(out, size, "%s:%u", cfg->host ? cfg->host : "localhost",
                 cfg->port ? cfg->port : 3306);
}

static void set_tls(MYSQL *m, const struct cs_conn_config *cfg)
{
    int mode = cfg->ssl_mode ? ssl_mode_index(cfg->ssl_mode) : -1;
    my_bool yes = 1, no = 0;

    if (mode == 0)
        return; /* DISABLED: request nothing */
    if (cfg->ssl_ca)
        mysql_options(m, MYSQL_OPT_SSL_CA, cfg->ssl_ca);
    if (cfg->ssl_cert)
        mysql_options(m, MYSQL_OPT_SSL_CERT, cfg->ssl_cert);
    if (cfg->ssl_key)
        mysql_options(m, MYSQL_OPT_SSL_KEY, cfg->ssl_key);
#ifdef MARIADB_BASE_VERSION
    if (mode >= 2)
        mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &yes);
    mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, mode >= 3 ? &yes : &no);
#else
    {
        unsigned int mysql_mode = SSL_MODE_PREFERRED + (mode > 0 ? (unsigned)mode - 1 : 0);
        (void)yes;
        (void)no;
        if (mode >= 0)
            mysql_options(m, MYSQL_OPT_SSL_MODE, &mysql_mode);
    }
#endif
}

static void set_options(MYSQL *m, const struct cs_conn_config *cfg)
{
    unsigned proto = MYSQL_PROTOCOL_TCP;
    unsigned local = cfg->local_infile ? 1 : 0;

    if (cfg->connect_timeout)
        mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &cfg->connect_timeout);
    if (cfg->read_timeout)
        mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &cfg->read_timeout);
    if (cfg->write_timeout)
        mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &cfg->write_timeout);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "binary");
    mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &local);
    if (cs_conn_transport_tcp(cfg))
        mysql_options(m, MYSQL_OPT_PROTOCOL, &proto);
    set_tls(m, cfg);
}

int cs_conn_open(struct cs_conn *c, const struct cs_conn_config *cfg, const char *label,
                 struct cs_error *err)
{
    char where[300];

    memset(c, 0, sizeof(*c));
    cs_conn_describe(cfg, where, sizeof(where));
    snprintf(c->label, sizeof(c->label), "%s @ %s", label, where);
    c->mysql = mysql_init(NULL);
    if (!c->mysql)
        return cs_error_set(err, CS_ERR_NOMEM, "%s: mysql_init failed", c->label);
    set_options(c->mysql, cfg);
    if (!mysql_real_connect(c->mysql, cfg->host, cfg->user, cfg->password, NULL, cfg->port,
                            cfg->socket, CLIENT_MULTI_RESULTS)) {
        cs_conn_error(c, err, "cannot connect (check host, port, socket, user and password)");
        if (err->code == CS_ERR_CONN_LOST)
            err->code = CS_ERR_SERVER;
        cs_conn_close(c);
        return -1;
    }
    c->thread_id = mysql_thread_id(c->mysql);
    return 0;
}

void cs_conn_endpoint(const struct cs_conn *c, char *out, size_t size)
{
    const char *host = NULL, *sock = NULL;
    unsigned int port = 0;

    if (!c->mysql) {
        snprintf(out, size, "(not connected)");
        return;
    }
    mariadb_get_infov(c->mysql, MARIADB_CONNECTION_HOST, &host);
    mariadb_get_infov(c->mysql, MARIADB_CONNECTION_PORT, &port);
    mariadb_get_infov(c->mysql, MARIADB_CONNECTION_UNIX_SOCKET, &sock);
    if (strstr(mysql_get_host_info(c->mysql), "TCP/IP"))
        snprintf(out, size, "%s:%u over TCP", host ? host : "?", port);
    else
        snprintf(out, size, "via socket %s", sock ? sock : "(default)");
}

void cs_conn_close(struct cs_conn *c)
{
    if (!c || !c->mysql)
        return;
    mysql_close(c->mysql);
    c->mysql = NULL;
}

int cs_conn_errno_is_lost(unsigned errnum)
{
    switch (errnum) {
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case 1053: /* ER_SERVER_SHUTDOWN */
    case 1927: /* ER_CONNECTION_KILLED (MariaDB) */
    case 4031: /* ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8) */
        return 1;
    default:
        return errnum == 2055 /* CR_SERVER_LOST_EXTENDED */;
    }
}

int cs_conn_errno_is_transient(unsigned errnum)
{
    return errnum == 1213 /* deadlock */ || errnum == 1205 /* lock wait timeout */ ||
           cs_conn_errno_is_lost(errnum);
}

int cs_conn_error(struct cs_conn *c, struct cs_error *err, const char *context)
{
    unsigned en = c && c->mysql ? mysql_errno(c->mysql) : 0;
    const char *msg = c && c->mysql ? mysql_error(c->mysql) : "no connection";
    const char *state = c && c->mysql ? mysql_sqlstate(c->mysql) : "";

    cs_error_set(err, cs_conn_errno_is_lost(en) ? CS_ERR_CONN_LOST : CS_ERR_SERVER,
                 "%s: %s: %s (error %u)", c ? c->label : "?", context, msg, en);
    if (err) {
        err->server_errno = en;
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state ? state : "");
    }
    return -1;
}

static int run(struct cs_conn *c, const char *sql, struct cs_error *err)
{
    char ctx[200];

    if (!c->mysql)
        return cs_error_set(err, CS_ERR_CONN_LOST, "%s: not connected", c->label);
    /* a statement whose buffer failed is NULL (common/buf.h): never sent */
    if (!sql)
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory building a statement",
                            c->label);
    if (mysql_real_query(c->mysql, sql, strlen(sql)) == 0)
        return 0;
    snprintf(ctx, sizeof(ctx), "%.160s%s", sql, strlen(sql) > 160 ? "..." : "");
    return cs_conn_error(c, err, ctx);
}

int cs_conn_exec(struct cs_conn *c, const char *sql, struct cs_error *err)
{
    MYSQL_RES *res;

    c->affected = 0;
    c->warnings = 0;
    if (run(c, sql, err) < 0)
        return -1;
    c->affected = mysql_affected_rows(c->mysql);
    c->warnings = mysql_warning_count(c->mysql);
    if (c->affected == (unsigned long long)-1)
        c->affected = 0;
    do {
        res = mysql_store_result(c->mysql);
        if (res)
            mysql_free_result(res);
        else if (mysql_field_count(c->mysql))
            return cs_conn_error(c, err, "reading result");
    } while (mysql_next_result(c->mysql) == 0);
    if (mysql_errno(c->mysql))
        return cs_conn_error(c, err, "executing statement");
    return 0;
}

int cs_conn_query(struct cs_conn *c, const char *sql, MYSQL_RES **res, struct cs_error *err)
{
    *res = NULL;
    if (run(c, sql, err) < 0)
        return -1;
    *res = mysql_store_result(c->mysql);
    if (!*res)
        return cs_conn_error(c, err, "reading result");
    return 0;
}

int cs_conn_query_stream(struct cs_conn *c, const char *sql, MYSQL_RES **res,
                         struct cs_error *err)
{
    *res = NULL;
    if (run(c, sql, err) < 0)
        return -1;
    *res = mysql_use_result(c->mysql);
    if (!*res)
        return cs_conn_error(c, err, "reading result");
    return 0;
}

int cs_conn_fetch(struct cs_conn *c, MYSQL_RES *res, MYSQL_ROW *row, unsigned long **lens,
                  struct cs_error *err)
{
    *row = mysql_fetch_row(res);
    if (*row) {
        if (lens)
            *lens = mysql_fetch_lengths(res);
        return 1;
    }
    if (mysql_errno(c->mysql))
        return cs_conn_error(c, err, "result stream ended early");
    return 0;
}

int cs_conn_query_value(struct cs_conn *c, const char *sql, char **out, struct cs_error *err)
{
    MYSQL_RES *res = NULL;
    MYSQL_ROW row;
    int rc = -1;

    *out = NULL;
    if (cs_conn_query(c, sql, &res, err) < 0)
        goto out;
    row = mysql_fetch_row(res);
    if (row && row[0]) {
        *out = strdup(row[0]);
        if (!*out) {
            cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory", c->label);
            goto out;
        }
    }
    rc = 0;
out:
    if (res)
        mysql_free_result(res);
    return rc;
}
