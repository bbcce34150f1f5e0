/* conn_mysql.c - the client library (MariaDB Connector/C) behind conn.h.
 * The only file of the project that includes <mysql.h>. */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conn.h"

struct my_result {
    struct cs_result base;
    MYSQL_RES *res;
    int stream;
};

#define M(c) ((MYSQL *)(c)->impl)

int cs_conn_library_init(void)
{
    return mysql_library_init(0, NULL, NULL) ? -1 : 0;
}

void cs_conn_library_end(void)
{
    mysql_library_end();
}

int cs_conn_thread_init(void)
{
    return mysql_thread_init() ? -1 : 0;
}

void cs_conn_thread_end(void)
{
    mysql_thread_end();
}

/* ERR from C's last error; CONTEXT says what was being done. */
static int fail(struct cs_conn *c, struct cs_error *err, const char *context)
{
    unsigned en = c->impl ? mysql_errno(M(c)) : 0;
    const char *msg = c->impl ? mysql_error(M(c)) : "no connection";
    const char *state = c->impl ? mysql_sqlstate(M(c)) : "";

    cs_error_set(err, cs_conn_errno_is_lost(en) ? CS_ERR_CONN_LOST : CS_ERR_SERVER,
                 "%s: %s: %s (error %u)", c->label, context, msg, en);
    if (err) {
        err->server_errno = en;
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state ? state : "");
    }
    return -1;
}

static void set_tls(MYSQL *m, const struct cs_conn_config *cfg)
{
    int mode = cfg->ssl_mode ? cs_conn_ssl_mode_index(cfg->ssl_mode) : -1;
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

static int my_open(struct cs_conn *c, const struct cs_conn_config *cfg, struct cs_error *err)
{
    c->impl = mysql_init(NULL);
    if (!c->impl)
        return cs_error_set(err, CS_ERR_NOMEM, "%s: mysql_init failed", c->label);
    set_options(M(c), cfg);
    if (!mysql_real_connect(M(c), cfg->host, cfg->user, cfg->password, NULL, cfg->port, cfg->socket,
                            CLIENT_MULTI_RESULTS))
        return fail(c, err, "cannot connect (check host, port, socket, user and password)");
    c->thread_id = mysql_thread_id(M(c));
    return 0;
}

static void my_close(struct cs_conn *c)
{
    mysql_close(M(c));
}

/* Drain every result of the statement just run (cs_conn_exec). */
static int drain(struct cs_conn *c, struct cs_error *err)
{
    MYSQL_RES *res;

    c->affected = mysql_affected_rows(M(c));
    c->warnings = mysql_warning_count(M(c));
    if (c->affected == (unsigned long long)-1)
        c->affected = 0;
    do {
        res = mysql_store_result(M(c));
        if (res)
            mysql_free_result(res);
        else if (mysql_field_count(M(c)))
            return fail(c, err, "reading result");
    } while (mysql_next_result(M(c)) == 0);
    if (mysql_errno(M(c)))
        return fail(c, err, "executing statement");
    return 0;
}

static int my_run(struct cs_conn *c, const char *sql, size_t len, int stream,
                  struct cs_result **res, struct cs_error *err)
{
    struct my_result *r;
    MYSQL_RES *mr;
    char ctx[200];

    if (mysql_real_query(M(c), sql, len) != 0) {
        snprintf(ctx, sizeof(ctx), "%.160s%s", sql, len > 160 ? "..." : "");
        return fail(c, err, ctx);
    }
    if (!res)
        return drain(c, err);
    mr = stream ? mysql_use_result(M(c)) : mysql_store_result(M(c));
    if (!mr)
        return fail(c, err, "reading result");
    r = calloc(1, sizeof(*r));
    if (!r) {
        mysql_free_result(mr);
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory", c->label);
    }
    r->base.ops = c->ops;
    r->base.conn = c;
    r->res = mr;
    r->stream = stream;
    *res = &r->base;
    return 0;
}

static int my_next(struct cs_result *base, char ***row, unsigned long **lens, struct cs_error *err)
{
    struct my_result *r = (struct my_result *)base;

    *row = mysql_fetch_row(r->res);
    if (*row) {
        *lens = mysql_fetch_lengths(r->res);
        return 1;
    }
    if (r->stream && mysql_errno(M(base->conn)))
        return fail(base->conn, err, "result stream ended early");
    return 0;
}

static uint64_t my_rows(const struct cs_result *base)
{
    return mysql_num_rows(((const struct my_result *)base)->res);
}

static unsigned my_fields(const struct cs_result *base)
{
    return mysql_num_fields(((const struct my_result *)base)->res);
}

static const char *my_field_name(const struct cs_result *base, unsigned i)
{
    const struct my_result *r = (const struct my_result *)base;

    return i < mysql_num_fields(r->res) ? mysql_fetch_fields(r->res)[i].name : NULL;
}

static void my_free_result(struct cs_result *base)
{
    struct my_result *r = (struct my_result *)base;

    mysql_free_result(r->res);
    free(r);
}

static void my_endpoint(const struct cs_conn *c, char *out, size_t size)
{
    const char *host = NULL, *sock = NULL;
    unsigned int port = 0;

    mariadb_get_infov(M(c), MARIADB_CONNECTION_HOST, &host);
    mariadb_get_infov(M(c), MARIADB_CONNECTION_PORT, &port);
    mariadb_get_infov(M(c), MARIADB_CONNECTION_UNIX_SOCKET, &sock);
    if (strstr(mysql_get_host_info(M(c)), "TCP/IP"))
        snprintf(out, size, "%s:%u over TCP", host ? host : "?", port);
    else
        snprintf(out, size, "via socket %s", sock ? sock : "(default)");
}

static void my_set_infile(struct cs_conn *c, const struct cs_infile_fns *f, void *userdata)
{
    mysql_set_local_infile_handler(M(c), f->init, f->read, f->end, f->error, userdata);
}

#ifdef MARIADB_BASE_VERSION
/* An array-bound statement: its column binds and their NULL indicators. */
struct my_bulk {
    MYSQL_STMT *st;
    unsigned ncols, cap;
    MYSQL_BIND *bind;
    char *ind; /* ncols * cap */
};

static int bulk_fail(struct cs_conn *c, struct my_bulk *b, struct cs_error *err,
                     const char *context)
{
    unsigned en = mysql_stmt_errno(b->st);
    const char *state = mysql_stmt_sqlstate(b->st);

    cs_error_set(err, cs_conn_errno_is_lost(en) ? CS_ERR_CONN_LOST : CS_ERR_SERVER,
                 "%s: %s: %s (error %u)", c->label, context, mysql_stmt_error(b->st), en);
    if (err) {
        err->server_errno = en;
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state ? state : "");
    }
    return -1;
}

static int my_bulk_ok(const struct cs_conn *c)
{
    unsigned long caps = 0, ext = 0;

    mariadb_get_infov(M(c), MARIADB_CONNECTION_SERVER_CAPABILITIES, &caps);
    mariadb_get_infov(M(c), MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &ext);
    return !(caps & CLIENT_MYSQL) && (ext & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
}

static void my_bulk_close(void *stmt)
{
    struct my_bulk *b = stmt;

    if (!b)
        return;
    if (b->st)
        mysql_stmt_close(b->st);
    free(b->bind);
    free(b->ind);
    free(b);
}

static int my_bulk_prepare(struct cs_conn *c, const char *sql, size_t len, unsigned ncols,
                           void **stmt, struct cs_error *err)
{
    struct my_bulk *b = calloc(1, sizeof(*b));
    char ctx[200];

    *stmt = NULL;
    if (!b || !(b->bind = calloc(ncols + 1, sizeof(*b->bind))) ||
        !(b->st = mysql_stmt_init(M(c)))) {
        my_bulk_close(b);
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory", c->label);
    }
    b->ncols = ncols;
    if (mysql_stmt_prepare(b->st, sql, len) != 0) {
        snprintf(ctx, sizeof(ctx), "preparing %.160s%s", sql, len > 160 ? "..." : "");
        bulk_fail(c, b, err, ctx);
        my_bulk_close(b);
        return -1;
    }
    *stmt = b;
    return 0;
}

static int my_bulk_exec(struct cs_conn *c, void *stmt, unsigned nrows, unsigned cap,
                        const char *const *vals, const unsigned long *lens, struct cs_error *err)
{
    struct my_bulk *b = stmt;
    unsigned int size = nrows;

    if (cap > b->cap) {
        char *ind = realloc(b->ind, (size_t)b->ncols * cap);
        if (!ind)
            return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory", c->label);
        b->ind = ind;
        b->cap = cap;
    }
    for (unsigned col = 0; col < b->ncols; col++) {
        MYSQL_BIND *bd = &b->bind[col];
        char *ind = b->ind + (size_t)col * cap;
        for (unsigned r = 0; r < nrows; r++)
            ind[r] = vals[(size_t)col * cap + r] ? STMT_INDICATOR_NONE : STMT_INDICATOR_NULL;
        memset(bd, 0, sizeof(*bd));
        bd->buffer_type = MYSQL_TYPE_STRING;
        bd->buffer = (void *)(vals + (size_t)col * cap); /* column-wise: an array of pointers */
        bd->length = (unsigned long *)(lens + (size_t)col * cap);
        bd->u.indicator = ind;
    }
    if (mysql_stmt_attr_set(b->st, STMT_ATTR_ARRAY_SIZE, &size) != 0 ||
        mysql_stmt_bind_param(b->st, b->bind) != 0)
        return bulk_fail(c, b, err, "binding an array of rows");
    if (mysql_stmt_execute(b->st) != 0)
        return bulk_fail(c, b, err, "inserting an array of rows");
    c->affected = mysql_stmt_affected_rows(b->st);
    if (c->affected == (unsigned long long)-1)
        c->affected = 0;
    c->warnings = mysql_warning_count(M(c));
    return 0;
}
#endif

const struct cs_conn_ops cs_conn_mysql_ops = {
    .open = my_open,
    .close = my_close,
    .run = my_run,
    .next = my_next,
    .rows = my_rows,
    .fields = my_fields,
    .field_name = my_field_name,
    .free_result = my_free_result,
    .endpoint = my_endpoint,
    .set_infile = my_set_infile,
#ifdef MARIADB_BASE_VERSION
    .bulk_ok = my_bulk_ok,
    .bulk_prepare = my_bulk_prepare,
    .bulk_exec = my_bulk_exec,
    .bulk_close = my_bulk_close,
#endif
};
