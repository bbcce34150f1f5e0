#include "common/conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ssl_modes[] = {"DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA",
                                        "VERIFY_IDENTITY"};

int cs_conn_ssl_mode_index(const char *mode)
{
    for (size_t i = 0; i < sizeof(ssl_modes) / sizeof(ssl_modes[0]); i++)
        if (!strcasecmp(mode, ssl_modes[i]))
            return (int)i;
    return -1;
}

int cs_conn_check_ssl_mode(const char *mode, struct cs_error *err)
{
    if (!mode || cs_conn_ssl_mode_index(mode) >= 0)
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

int cs_conn_open(struct cs_conn *c, const struct cs_conn_config *cfg, const char *label,
                 struct cs_error *err)
{
    char where[300];

    memset(c, 0, sizeof(*c));
    c->ops = cfg->ops ? cfg->ops : &cs_conn_mysql_ops;
    cs_conn_describe(cfg, where, sizeof(where));
    snprintf(c->label, sizeof(c->label), "%s @ %s", label, where);
    if (c->ops->open(c, cfg, err) < 0) {
        if (err->code == CS_ERR_CONN_LOST)
            err->code = CS_ERR_SERVER; /* never connected: nothing to retry elsewhere */
        cs_conn_close(c);
        return -1;
    }
    return 0;
}

void cs_conn_close(struct cs_conn *c)
{
    if (!c || !c->impl)
        return;
    c->ops->close(c);
    c->impl = NULL;
}

int cs_conn_is_open(const struct cs_conn *c)
{
    return c && c->impl != NULL;
}

void cs_conn_endpoint(const struct cs_conn *c, char *out, size_t size)
{
    if (!cs_conn_is_open(c))
        snprintf(out, size, "(not connected)");
    else
        c->ops->endpoint(c, out, size);
}

void cs_conn_set_infile(struct cs_conn *c, const struct cs_infile_fns *fns, void *userdata)
{
    if (cs_conn_is_open(c) && c->ops->set_infile)
        c->ops->set_infile(c, fns, userdata);
}

int cs_conn_bulk_supported(const struct cs_conn *c)
{
    return cs_conn_is_open(c) && c->ops->bulk_ok && c->ops->bulk_ok(c);
}

int cs_bulk_prepare(struct cs_bulk *b, struct cs_conn *c, const char *sql, unsigned ncols,
                    struct cs_error *err)
{
    memset(b, 0, sizeof(*b));
    if (!cs_conn_bulk_supported(c))
        return cs_error_set(err, CS_ERR_INTERNAL, "%s: the server runs no arrays of rows",
                            c->label);
    if (!sql)
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory building a statement", c->label);
    if (c->ops->bulk_prepare(c, sql, strlen(sql), ncols, &b->stmt, err) < 0)
        return -1;
    b->conn = c;
    b->ncols = ncols;
    return 0;
}

int cs_bulk_exec(struct cs_bulk *b, unsigned nrows, unsigned cap, const char *const *vals,
                 const unsigned long *lens, struct cs_error *err)
{
    if (!b->stmt || !cs_conn_is_open(b->conn))
        return cs_error_set(err, CS_ERR_CONN_LOST, "%s: not connected",
                            b->conn ? b->conn->label : "statement");
    b->conn->affected = 0;
    b->conn->warnings = 0;
    return b->conn->ops->bulk_exec(b->conn, b->stmt, nrows, cap, vals, lens, err);
}

void cs_bulk_close(struct cs_bulk *b)
{
    if (!b || !b->stmt)
        return;
    b->conn->ops->bulk_close(b->stmt); /* after the connection's close too: its memory */
    b->stmt = NULL;
}

static int run(struct cs_conn *c, const char *sql, int stream, struct cs_result **res,
               struct cs_error *err)
{
    if (res)
        *res = NULL;
    if (!cs_conn_is_open(c))
        return cs_error_set(err, CS_ERR_CONN_LOST, "%s: not connected", c->label);
    /* a statement whose buffer failed is NULL (common/buf.h): never sent */
    if (!sql)
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory building a statement", c->label);
    return c->ops->run(c, sql, strlen(sql), stream, res, err);
}

int cs_conn_exec(struct cs_conn *c, const char *sql, struct cs_error *err)
{
    c->affected = 0;
    c->warnings = 0;
    return run(c, sql, 0, NULL, err);
}

int cs_conn_query(struct cs_conn *c, const char *sql, struct cs_result **res, struct cs_error *err)
{
    return run(c, sql, 0, res, err);
}

int cs_conn_query_stream(struct cs_conn *c, const char *sql, struct cs_result **res,
                         struct cs_error *err)
{
    return run(c, sql, 1, res, err);
}

int cs_conn_query_value(struct cs_conn *c, const char *sql, char **out, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    int rc = -1;

    *out = NULL;
    if (cs_conn_query(c, sql, &res, err) < 0)
        goto out;
    row = cs_result_row(res);
    if (row && row[0]) {
        *out = strdup(row[0]);
        if (!*out) {
            cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory", c->label);
            goto out;
        }
    }
    rc = 0;
out:
    cs_result_free(res);
    return rc;
}

int cs_result_next(struct cs_result *r, char ***row, unsigned long **lens, struct cs_error *err)
{
    unsigned long *l = NULL;
    int rc = r->ops->next(r, row, &l, err);

    r->lens = rc == 1 ? l : NULL;
    if (lens)
        *lens = r->lens;
    return rc;
}

char **cs_result_row(struct cs_result *r)
{
    struct cs_error ignore;
    char **row = NULL;

    cs_error_clear(&ignore);
    return cs_result_next(r, &row, NULL, &ignore) == 1 ? row : NULL;
}

unsigned long *cs_result_lengths(struct cs_result *r)
{
    return r->lens;
}

uint64_t cs_result_rows(const struct cs_result *r)
{
    return r->ops->rows(r);
}

unsigned cs_result_fields(const struct cs_result *r)
{
    return r->ops->fields(r);
}

const char *cs_result_field_name(const struct cs_result *r, unsigned i)
{
    return r->ops->field_name(r, i);
}

void cs_result_free(struct cs_result *r)
{
    if (r)
        r->ops->free_result(r);
}

int cs_conn_errno_is_lost(unsigned errnum)
{
    switch (errnum) {
    case 2006: /* CR_SERVER_GONE_ERROR */
    case 2013: /* CR_SERVER_LOST */
    case 2002: /* CR_CONNECTION_ERROR */
    case 2003: /* CR_CONN_HOST_ERROR */
    case 2055: /* CR_SERVER_LOST_EXTENDED */
    case 1053: /* ER_SERVER_SHUTDOWN */
    case 1927: /* ER_CONNECTION_KILLED (MariaDB) */
    case 4031: /* ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8) */
        return 1;
    default:
        return 0;
    }
}

int cs_conn_errno_is_transient(unsigned errnum)
{
    return errnum == 1213 /* deadlock */ || errnum == 1205 /* lock wait timeout */ ||
           cs_conn_errno_is_lost(errnum);
}
