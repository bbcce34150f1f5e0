#include "load/replsetup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "common/console.h"

/* How long the target's replica gets to connect to the source after START. */
#define CONNECT_WAIT_S 60.0
#define POLL_NS 200000000L

/* The server errnos the hints know (client errors as the replica reports them). */
enum {
    ERRNO_ACCESS_DENIED = 1045,
    ERRNO_SOURCE_FATAL_READING_BINLOG = 1236,
    ERRNO_CONN_HOST = 2003,
    ERRNO_UNKNOWN_HOST = 2005,
    ERRNO_SSL_CONNECTION = 2026,
    ERRNO_AUTH_PLUGIN_CANNOT_LOAD = 2059,
    ERRNO_AUTH_PLUGIN_ERR = 2061,
};

/* "host:port" (or "[v6]:port", or "host" for 3306). */
static int parse_host_port(const char *s, char *host, size_t size, unsigned *port,
                           struct cs_error *err)
{
    const char *colon = strrchr(s, ':');
    const char *h = s;
    size_t len = colon ? (size_t)(colon - s) : strlen(s);

    *port = 3306;
    if (colon) {
        char *end;
        unsigned long p = strtoul(colon + 1, &end, 10);
        if (*end || !p || p > 65535)
            return cs_error_set(err, CS_ERR_USAGE, "--replicate-from=%s: expected HOST:PORT", s);
        *port = (unsigned)p;
    }
    if (len >= 2 && h[0] == '[' && h[len - 1] == ']') {
        h++;
        len -= 2;
    }
    if (!len || len >= size)
        return cs_error_set(err, CS_ERR_USAGE, "--replicate-from=%s: expected HOST:PORT", s);
    memcpy(host, h, len);
    host[len] = '\0';
    return 0;
}

int load_replsetup_check(struct load_replsetup *rs, const struct load_config *cfg,
                         const struct fmt_manifest *m, const struct load_target *t,
                         struct cs_error *err)
{
    struct load_repl_plan p = {0};
    char why[CS_ERROR_MSG_MAX];

    memset(rs, 0, sizeof(*rs));
    rs->cfg = cfg;
    /* without --replicate-from: where csdump was connected (the manifest) */
    snprintf(rs->host, sizeof(rs->host), "%s",
             m->source_host && *m->source_host ? m->source_host : "<source-host>");
    rs->src = (struct load_repl_source){rs->host,
                                        m->source_port,
                                        cfg->replication_user ? cfg->replication_user
                                                              : "<replication-user>",
                                        NULL,
                                        cfg->replication_ssl,      cfg->replication_ssl_ca,
                                        cfg->replication_ssl_cert, cfg->replication_ssl_key};
    rs->asked = cfg->set_gtid || cfg->replicate_from;
    if (cfg->replicate_from) {
        if (parse_host_port(cfg->replicate_from, rs->host, sizeof(rs->host), &rs->src.port, err) <
            0)
            return -1;
        rs->src.host = rs->host;
        rs->src.user = cfg->replication_user;
    }
    if (!rs->asked)
        return 0;
    if (load_repl_plan(m, &t->version, t->gtid_empty, &rs->src, 1, &p, err) == 0) {
        load_repl_plan_release(&p);
        return 0;
    }
    snprintf(why, sizeof(why), "%s", err->msg);
    return cs_error_set(err, err->code,
                        "%s: %s; nothing was loaded (without --replicate-from and --set-gtid "
                        "the dump loads, and the replication statements are only printed)",
                        cfg->replicate_from ? "--replicate-from" : "--set-gtid", why);
}

/* ---- the source still holds the dump's binary log? ---- */

/* The replication TLS settings for csload's own look at the source; 0 when
 * they cannot be had here (a CA to verify with that this host lacks). */
static int source_tls(const struct load_repl_source *src, struct cs_conn_config *cc)
{
    static const char *const modes[] = {"PREFERRED", "DISABLED", "REQUIRED", "VERIFY_CA",
                                        "VERIFY_IDENTITY"};
    int ca_here = src->ssl_ca && access(src->ssl_ca, R_OK) == 0;

    cc->ssl_mode = modes[src->ssl];
    cc->ssl_ca = ca_here ? src->ssl_ca : NULL;
    cc->ssl_cert = src->ssl_cert && access(src->ssl_cert, R_OK) == 0 ? src->ssl_cert : NULL;
    cc->ssl_key = cc->ssl_cert ? src->ssl_key : NULL;
    return src->ssl < LOAD_REPL_SSL_VERIFY_CA || ca_here;
}

static void check_source_binlogs(const struct load_replsetup *rs, const struct fmt_manifest *m)
{
    const struct load_config *cfg = rs->cfg;
    struct cs_conn_config cc = cfg->conn;
    struct cs_conn c = {0};
    struct cs_error e;
    struct cs_result *res = NULL;
    char **row;
    int found = 0;

    cs_error_clear(&e);
    if (!cfg->replicate_from || !m->coords.present || !m->coords.binlog_file)
        return;
    if (!source_tls(&rs->src, &cc)) {
        cs_log_verbose(cfg->log,
                       "not checking the source's binary logs: the CA %s is a file on "
                       "the target's host, not here",
                       rs->src.ssl_ca);
        return;
    }
    cc.host = rs->src.host;
    cc.port = rs->src.port;
    cc.socket = NULL;
    cc.user = cfg->replication_user;
    cc.password = cfg->replication_password;
    cc.local_infile = 0;
    if (cs_conn_open(&c, &cc, "source", &e) < 0 ||
        cs_conn_query(&c, "SHOW BINARY LOGS", &res, &e) < 0) {
        cs_log_verbose(cfg->log, "cannot list the source's binary logs: %s", e.msg);
        cs_conn_close(&c);
        return;
    }
    while ((row = cs_result_row(res)))
        found |= row[0] && !strcmp(row[0], m->coords.binlog_file);
    cs_result_free(res);
    cs_conn_close(&c);
    if (!found)
        cs_log_warn(cfg->log,
                    "the source no longer holds binary log %s, where the dump's "
                    "coordinates are: replication cannot start from this dump "
                    "(take a new dump, and keep binlogs longer)",
                    m->coords.binlog_file);
}

/* ---- waiting for the replica ---- */

struct replica_status {
    int have_row;
    char io[16];
    unsigned io_errno, sql_errno;
    char io_error[480], sql_error[480];
};

/* NAME ends with SUFFIX: Slave_IO_Running / Replica_IO_Running, ... */
static int ends_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);

    return n >= k && !strcasecmp(name + n - k, suffix);
}

static void status_field(struct replica_status *st, const char *name, const char *v)
{
    if (ends_with(name, "_IO_Running"))
        snprintf(st->io, sizeof(st->io), "%s", v);
    else if (!strcasecmp(name, "Last_IO_Errno"))
        st->io_errno = (unsigned)strtoul(v, NULL, 10);
    else if (!strcasecmp(name, "Last_SQL_Errno"))
        st->sql_errno = (unsigned)strtoul(v, NULL, 10);
    else if (!strcasecmp(name, "Last_IO_Error"))
        snprintf(st->io_error, sizeof(st->io_error), "%s", v);
    else if (!strcasecmp(name, "Last_SQL_Error"))
        snprintf(st->sql_error, sizeof(st->sql_error), "%s", v);
}

static int read_status(struct cs_conn *c, const char *sql, struct replica_status *st,
                       struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    unsigned n;

    memset(st, 0, sizeof(*st));
    if (cs_conn_query(c, sql, &res, err) < 0)
        return -1;
    row = cs_result_row(res);
    n = cs_result_fields(res);
    st->have_row = row != NULL;
    for (unsigned i = 0; row && i < n; i++)
        status_field(st, cs_result_field_name(res, i), row[i] ? row[i] : "");
    cs_result_free(res);
    return 0;
}

void load_replsetup_io_hint(struct cs_buf *b, unsigned io_errno, const struct load_repl_source *src)
{
    switch (io_errno) {
    case ERRNO_SSL_CONNECTION:
        if (src->ssl_ca)
            cs_buf_printf(b,
                          "the target checks the source's certificate against "
                          "--replication-ssl-ca=%s, a file on the target's host: is it there, "
                          "readable by the server, and the CA that signed the source's "
                          "certificate%s?",
                          src->ssl_ca,
                          src->ssl == LOAD_REPL_SSL_VERIFY_IDENTITY
                              ? " (issued to the host name, for verify-identity)"
                              : "");
        else
            cs_buf_puts(b, "TLS to the source failed: does the source have TLS (ssl_cert, "
                           "ssl_key)? MariaDB 11.4 and later also verify its certificate unless "
                           "told: give --replication-ssl-ca with the CA that signed it, or "
                           "--replication-ssl-mode=required");
        return;
    case ERRNO_AUTH_PLUGIN_CANNOT_LOAD:
        cs_buf_puts(b, "the target cannot load the client plugin the replication account "
                       "authenticates with: put it in the target's plugin_dir (for "
                       "caching_sha2_password, caching_sha2_password.so of MariaDB Connector/C)");
        return;
    case ERRNO_AUTH_PLUGIN_ERR:
        cs_buf_puts(b, "caching_sha2_password sends the password only over TLS (or with the "
                       "source's RSA key): --replication-ssl-mode=required or "
                       "--replication-ssl-ca");
        return;
    case ERRNO_ACCESS_DENIED:
        cs_buf_puts(b, "check --replication-user and its password (replication-password in "
                       "[csload], or CSLOAD_REPLICATION_PASSWORD), the account's host part as "
                       "the source sees the target, and its REQUIRE clause");
        if (src->ssl < LOAD_REPL_SSL_REQUIRED)
            cs_buf_puts(b, "; without TLS, a MariaDB replica cannot authenticate to MySQL's "
                           "caching_sha2_password (--replication-ssl-mode=required)");
        return;
    case ERRNO_CONN_HOST:
    case ERRNO_UNKNOWN_HOST:
        cs_buf_printf(b, "can the target reach %s:%u? (the target connects, not csload)", src->host,
                      src->port);
        return;
    case ERRNO_SOURCE_FATAL_READING_BINLOG:
        cs_buf_puts(b, "the source no longer has the dump's binary log position (purged?): "
                       "take a new dump and keep the binary logs longer");
        return;
    default:
        return;
    }
}

static int replica_failed(const struct load_replsetup *rs, struct cs_conn *c,
                          const struct load_repl_plan *p, const struct replica_status *st,
                          struct cs_error *err)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error ignore;
    int io = st->io_errno != 0;
    unsigned e = io ? st->io_errno : st->sql_errno;

    cs_error_clear(&ignore);
    cs_conn_exec(c, p->stop_stmt, &ignore); /* no retrying with what does not work */
    cs_buf_printf(&b, "the target's replica %s %s:%u: %s (error %u)",
                  io ? "cannot connect to" : "stopped applying from", rs->src.host, rs->src.port,
                  io ? st->io_error : st->sql_error, e);
    if (io) {
        size_t len = b.len;
        cs_buf_puts(&b, "; ");
        load_replsetup_io_hint(&b, e, &rs->src);
        if (b.len == len + 2)
            b.len = len; /* no hint */
    }
    /* a hint that asks ends with '?' */
    cs_buf_puts(&b, b.data && b.len && b.data[b.len - 1] == '?' ? " " : ". ");
    cs_buf_puts(&b, "Replication is stopped on the target: fix that and run the same csload "
                    "command again (the load is done; only the replication setup is redone)");
    cs_error_set(err, CS_ERR_SERVER, "%s", b.data ? b.data : "out of memory");
    err->server_errno = e;
    cs_buf_release(&b);
    return -1;
}

static void log_started(const struct load_replsetup *rs)
{
    const struct load_repl_source *s = &rs->src;
    char tls[320] = "";

    if (s->ssl >= LOAD_REPL_SSL_REQUIRED && s->ssl_ca)
        snprintf(tls, sizeof(tls), " over TLS, the source's certificate checked against %s%s",
                 s->ssl_ca, s->ssl == LOAD_REPL_SSL_VERIFY_IDENTITY ? " and its host name" : "");
    else if (s->ssl >= LOAD_REPL_SSL_REQUIRED)
        snprintf(tls, sizeof(tls), " over TLS (the certificate not verified)");
    cs_log_info(rs->cfg->log,
                "replication from %s:%u started: the target's replica is "
                "connected%s",
                s->host, s->port, tls);
}

static int wait_connected(const struct load_replsetup *rs, struct cs_conn *c,
                          const struct load_repl_plan *p, struct cs_error *err)
{
    const struct load_config *cfg = rs->cfg;
    const struct timespec pause = {0, POLL_NS};
    double deadline = cs_now() + CONNECT_WAIT_S;
    struct replica_status st;

    for (;;) {
        if (read_status(c, p->status_stmt, &st, err) < 0)
            return -1;
        if (!st.have_row)
            return cs_error_set(err, CS_ERR_SERVER, "%s shows no replica after %s", p->status_stmt,
                                p->change_stmts[p->nchange - 1]);
        if (st.io_errno || st.sql_errno)
            return replica_failed(rs, c, p, &st, err);
        if (!strcasecmp(st.io, "Yes")) {
            log_started(rs);
            return 0;
        }
        if (!strcasecmp(st.io, "No"))
            return cs_error_set(err, CS_ERR_SERVER,
                                "the target's replica I/O thread is not "
                                "running after %s, with no error shown",
                                p->change_stmts[p->nchange - 1]);
        if (cfg->cancel && *cfg->cancel)
            return cs_error_set(err, CS_ERR_CANCELLED, "waiting for the replica to connect");
        if (cs_now() > deadline) {
            cs_log_warn(cfg->log,
                        "replication from %s:%u started, but the target's replica has "
                        "not connected within %.0f s (it keeps trying; %s on the "
                        "target tells how it fares)",
                        rs->src.host, rs->src.port, CONNECT_WAIT_S, p->status_stmt);
            return 0;
        }
        nanosleep(&pause, NULL);
    }
}

/* ---- after the load ---- */

static void print_stmts(const struct load_config *cfg, char *const *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cs_log_info(cfg->log, "  %s;", s[i]);
}

static int exec_stmts(struct cs_conn *c, char *const *s, size_t n, struct cs_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (cs_conn_exec(c, s[i], err) < 0)
            return -1;
    return 0;
}

/* The statements for the target's state now; a plan nobody asked for that
 * cannot be made is only noted (*planned 0). */
static int plan_now(const struct load_replsetup *rs, struct cs_conn *c,
                    const struct fmt_manifest *m, const struct load_target *t,
                    const struct load_repl_source *src, int for_print, int *planned,
                    struct load_repl_plan *p, struct cs_error *err)
{
    int empty;

    *planned = 0;
    if (load_target_gtid_empty(c, &t->version, &empty, err) < 0)
        return -1;
    if (load_repl_plan(m, &t->version, empty, src, for_print, p, err) < 0) {
        if (rs->asked)
            return -1;
        cs_log_info(rs->cfg->log, "no replication setup for this target: %s", err->msg);
        cs_error_clear(err);
        return 0;
    }
    *planned = 1;
    return 0;
}

int load_replsetup_run(struct load_replsetup *rs, struct cs_conn *c, const struct fmt_manifest *m,
                       const struct load_target *t, struct cs_error *err)
{
    const struct load_config *cfg = rs->cfg;
    struct load_repl_source src = rs->src;
    struct load_repl_plan shown = {0}, real = {0};
    int planned = 0, rc = -1;

    if (!m->coords.present && !rs->asked) {
        cs_log_info(cfg->log, "the dump has no binary log coordinates: no replica setup");
        return 0;
    }
    check_source_binlogs(rs, m);
    src.password = cfg->replication_password; /* shown as '<password>' */
    if (plan_now(rs, c, m, t, &src, 1, &planned, &shown, err) < 0)
        goto out;
    if (!planned) {
        rc = 0;
        goto out;
    }
    cs_log_info(cfg->log, "to make the target replicate from the source at the dump's "
                          "coordinates, run on the target:");
    print_stmts(cfg, shown.gtid_stmts, shown.ngtid);
    print_stmts(cfg, shown.change_stmts, shown.nchange);
    if (shown.note)
        cs_log_info(cfg->log, "note: %s", shown.note);
    if (!rs->asked) {
        rc = 0;
        goto out;
    }
    if (plan_now(rs, c, m, t, &src, 0, &planned, &real, err) < 0 ||
        exec_stmts(c, real.gtid_stmts, real.ngtid, err) < 0)
        goto out;
    if (real.ngtid)
        cs_log_info(cfg->log, "the target's GTID state is now the dump's");
    if (cfg->replicate_from && (exec_stmts(c, real.change_stmts, real.nchange, err) < 0 ||
                                wait_connected(rs, c, &real, err) < 0))
        goto out;
    rc = 0;
out:
    if (rc < 0)
        cs_error_prefix(err, "replication setup");
    load_repl_plan_release(&shown);
    load_repl_plan_release(&real);
    return rc;
}
