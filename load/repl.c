#include "load/repl.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "format/sqlenc.h"


/* The words of one CHANGE statement dialect. */
struct repl_syntax {
    const char *change; /* "CHANGE MASTER TO " / "CHANGE REPLICATION SOURCE TO " */
    const char *opt;    /* option prefix: "MASTER_" / "SOURCE_" */
};

static const struct repl_syntax syntax_master = {"CHANGE MASTER TO ", "MASTER_"};
static const struct repl_syntax syntax_source = {"CHANGE REPLICATION SOURCE TO ", "SOURCE_"};

/* Everything a flavor handler needs. */
struct repl_ctx {
    const struct fmt_manifest *m;
    const struct cs_version *target;
    int target_gtid_empty;
    const struct load_repl_source *src;
    int for_print;
    struct load_repl_plan *out;
    struct cs_buf note;
    struct cs_error *err;
};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void put_literal(struct cs_buf *b, const char *s)
{
    fmt_sql_append_string(b, s, strlen(s));
}

/* A GTID set as a literal; MySQL prints ",\n" between UUIDs, and both
 * flavors read the set the same without the white space. */
static void put_gtid_literal(struct cs_buf *b, const char *gtid)
{
    struct cs_buf t = CS_BUF_INIT;

    cs_buf_puts(&t, "");
    for (const char *p = gtid; *p; p++)
        if (!is_space(*p))
            cs_buf_putc(&t, *p);
    if (cs_buf_failed(&t))
        b->failed = 1;
    else
        fmt_sql_append_string(b, t.data, t.len);
    cs_buf_release(&t);
}

static int gtid_is_empty(const char *gtid)
{
    for (const char *p = gtid; p && *p; p++)
        if (!is_space(*p))
            return 0;
    return 1;
}

static int nomem(struct repl_ctx *x)
{
    return cs_error_set(x->err, CS_ERR_NOMEM, "out of memory building the replication statements");
}

/* Moves B's text to the end of *ARR; B is left empty. */
static int push_stmt(struct repl_ctx *x, char ***arr, size_t *n, struct cs_buf *b)
{
    char **grown;

    if (cs_buf_failed(b))
        return nomem(x);
    grown = realloc(*arr, (*n + 1) * sizeof(**arr));
    if (!grown)
        return nomem(x);
    *arr = grown;
    grown[*n] = cs_buf_detach(b);
    if (!grown[*n])
        return nomem(x);
    (*n)++;
    return 0;
}

static int push_text(struct repl_ctx *x, char ***arr, size_t *n, const char *text)
{
    struct cs_buf b = CS_BUF_INIT;
    int r;

    cs_buf_puts(&b, text);
    r = push_stmt(x, arr, n, &b);
    cs_buf_release(&b);
    return r;
}

/* Starts one more sentence of the note. */
static struct cs_buf *note_next(struct repl_ctx *x)
{
    if (x->note.len > 0)
        cs_buf_putc(&x->note, ' ');
    return &x->note;
}

static void put_file_option(struct cs_buf *b, const struct repl_syntax *syn, const char *name,
                            const char *file)
{
    if (!file)
        return;
    cs_buf_printf(b, ", %s%s=", syn->opt, name);
    put_literal(b, file);
}

/* ", X_SSL=1, X_SSL_CA='ca', ..., X_SSL_VERIFY_SERVER_CERT=0" (or X_SSL=0) */
static void put_tls(struct cs_buf *b, const struct repl_syntax *syn,
                    const struct load_repl_source *src)
{
    if (src->ssl == LOAD_REPL_SSL_DEFAULT)
        return;
    if (src->ssl == LOAD_REPL_SSL_DISABLED) {
        cs_buf_printf(b, ", %sSSL=0", syn->opt);
        return;
    }
    cs_buf_printf(b, ", %sSSL=1", syn->opt);
    put_file_option(b, syn, "SSL_CA", src->ssl_ca);
    put_file_option(b, syn, "SSL_CERT", src->ssl_cert);
    put_file_option(b, syn, "SSL_KEY", src->ssl_key);
    cs_buf_printf(b, ", %sSSL_VERIFY_SERVER_CERT=%d", syn->opt,
                  src->ssl == LOAD_REPL_SSL_VERIFY_IDENTITY);
}

static int tls_on(const struct load_repl_source *src)
{
    return src->ssl >= LOAD_REPL_SSL_REQUIRED;
}

/* "CHANGE ... TO X_HOST='h', X_PORT=p, X_USER='u', X_PASSWORD='pw'[, TLS]" */
static void put_change_head(struct cs_buf *b, const struct repl_syntax *syn,
                            const struct load_repl_source *src, int for_print)
{
    cs_buf_puts(b, syn->change);
    cs_buf_printf(b, "%sHOST=", syn->opt);
    put_literal(b, src->host);
    if (src->port) /* 0: the dump does not know it (an old dump, skip_networking) */
        cs_buf_printf(b, ", %sPORT=%u", syn->opt, src->port);
    else
        cs_buf_printf(b, ", %sPORT=<source-port>", syn->opt);
    if (src->user) {
        cs_buf_printf(b, ", %sUSER=", syn->opt);
        put_literal(b, src->user);
    }
    if (src->password) {
        cs_buf_printf(b, ", %sPASSWORD=", syn->opt);
        if (for_print)
            cs_buf_puts(b, "'<password>'");
        else
            put_literal(b, src->password);
    }
    put_tls(b, syn, src);
}

static void put_file_pos(struct cs_buf *b, const struct repl_syntax *syn,
                         const struct fmt_coords *c)
{
    cs_buf_printf(b, ", %sLOG_FILE=", syn->opt);
    put_literal(b, c->binlog_file);
    cs_buf_printf(b, ", %sLOG_POS=%" PRIu64, syn->opt, c->binlog_pos);
}

/* Pushes the CHANGE statement (head, then TAIL or the file/position) and START. */
static int push_change(struct repl_ctx *x, const struct repl_syntax *syn, const char *tail,
                       const char *start)
{
    struct cs_buf b = CS_BUF_INIT;
    int r;

    put_change_head(&b, syn, x->src, x->for_print);
    if (tail) {
        cs_buf_puts(&b, tail);
    } else {
        /* say it outright: a target set up for GTIDs before would keep them */
        put_file_pos(&b, syn, &x->m->coords);
        if (x->target->flavor == CS_FLAVOR_MARIADB)
            cs_buf_puts(&b, ", MASTER_USE_GTID=no");
        else
            cs_buf_printf(&b, ", %sAUTO_POSITION=0", syn->opt);
    }
    r = push_stmt(x, &x->out->change_stmts, &x->out->nchange, &b);
    if (r == 0)
        r = push_text(x, &x->out->change_stmts, &x->out->nchange, start);
    cs_buf_release(&b);
    if (!strcmp(start, "START REPLICA")) {
        x->out->stop_stmt = "STOP REPLICA";
        x->out->status_stmt = "SHOW REPLICA STATUS";
    } else {
        x->out->stop_stmt = "STOP SLAVE";
        x->out->status_stmt = "SHOW SLAVE STATUS";
    }
    return r;
}

static int push_gtid_set(struct repl_ctx *x, const char *variable)
{
    struct cs_buf b = CS_BUF_INIT;
    int r;

    cs_buf_printf(&b, "SET GLOBAL %s = ", variable);
    put_gtid_literal(&b, x->m->coords.gtid_set);
    r = push_stmt(x, &x->out->gtid_stmts, &x->out->ngtid, &b);
    cs_buf_release(&b);
    return r;
}

static int no_file_pos(struct repl_ctx *x, const char *why)
{
    return cs_error_set(x->err, CS_ERR_USAGE,
                        "the dump's binary log coordinates have no file/position%s: "
                        "a replica cannot be started from it",
                        why);
}

/* ---- MariaDB -> MariaDB ---- */

static void note_mariadb_conflict(struct repl_ctx *x)
{
    cs_buf_puts(note_next(x),
                "The target's gtid_binlog_pos is not empty (its own binary log, e.g. from "
                "the load, holds GTIDs): if those are in the same replication domain as the "
                "dump's position and more recent (or in a domain the position lacks), SET "
                "GLOBAL gtid_slave_pos fails when gtid_strict_mode=ON (only a warning "
                "without it) and the two histories diverge; check gtid_strict_mode, and "
                "consider RESET MASTER on the target "
                "(clears its binary logs) or loading with the binary log off. "
                "MASTER_USE_GTID=slave_pos keeps the target's own GTIDs out of the position.");
}

static int plan_mariadb_to_mariadb(struct repl_ctx *x)
{
    const struct fmt_coords *c = &x->m->coords;

    if (!gtid_is_empty(c->gtid_set)) {
        if (!x->target_gtid_empty)
            note_mariadb_conflict(x);
        if (push_gtid_set(x, "gtid_slave_pos") < 0)
            return -1;
        return push_change(x, &syntax_master, ", MASTER_USE_GTID=slave_pos", "START SLAVE");
    }
    if (!c->binlog_file)
        return no_file_pos(x, " and no GTID position");
    cs_buf_puts(note_next(x), "The dump has no GTID position (gtid_binlog_pos was empty): the "
                              "replica is started at the binary log file/position.");
    return push_change(x, &syntax_master, NULL, "START SLAVE");
}

/* ---- MySQL -> MySQL ---- */

static const char *mysql_reset_stmt(const struct cs_version *v)
{
    /* RESET MASTER is deprecated from 8.2.0 and gone in 8.4. */
    return cs_version_at_least(v, 8, 2, 0) ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER";
}

static void note_mysql_reset(struct repl_ctx *x, const char *reset)
{
    cs_buf_printf(note_next(x),
                  "%s is run first: it clears the target's binary logs and its GTID history "
                  "(gtid_executed, gtid_purged), which is not empty, so that the target's "
                  "GTID history becomes exactly the source's; gtid_purged can only be set "
                  "when gtid_executed is empty",
                  reset);
    if (!cs_version_at_least(x->target, 8, 0, 0)) {
        cs_buf_puts(&x->note, ".");
        return;
    }
    cs_buf_puts(&x->note, " (MySQL 8.0 and later also take an addition, '+<set>', that does "
                          "not overlap it).");
    cs_buf_puts(note_next(x), "To keep them instead, run SET GLOBAL gtid_purged = "
                              "'+<the dump's gtid_executed>' (adds the set; it must not "
                              "overlap the target's gtid_executed) and skip the RESET.");
}

static void note_mysql_common(struct repl_ctx *x, const struct repl_syntax *syn)
{
    /* over TLS, caching_sha2_password sends the password as it is */
    if (!cs_version_at_least(x->target, 8, 0, 0) || tls_on(x->src))
        return;
    cs_buf_printf(note_next(x),
                  "If the replication user authenticates with caching_sha2_password and the "
                  "connection has no TLS, use TLS (--replication-ssl-mode=required, or "
                  "--replication-ssl-ca) or add GET_%s_PUBLIC_KEY=1 to the CHANGE statement.",
                  syn == &syntax_source ? "SOURCE" : "MASTER");
}

static int plan_mysql_gtid(struct repl_ctx *x, const struct repl_syntax *syn, const char *start)
{
    const char *reset = mysql_reset_stmt(x->target);
    char tail[64];

    if (!x->target_gtid_empty) {
        note_mysql_reset(x, reset);
        if (push_text(x, &x->out->gtid_stmts, &x->out->ngtid, reset) < 0)
            return -1;
    }
    cs_buf_puts(note_next(x), "GTID auto-positioning needs gtid_mode=ON and "
                              "enforce_gtid_consistency=ON on the target.");
    note_mysql_common(x, syn);
    if (push_gtid_set(x, "gtid_purged") < 0)
        return -1;
    snprintf(tail, sizeof(tail), ", %sAUTO_POSITION=1", syn->opt);
    return push_change(x, syn, tail, start);
}

static int plan_mysql_to_mysql(struct repl_ctx *x)
{
    const struct fmt_coords *c = &x->m->coords;
    const struct repl_syntax *syn =
        cs_version_at_least(x->target, 8, 0, 23) ? &syntax_source : &syntax_master;
    const char *start = cs_version_at_least(x->target, 8, 0, 22) ? "START REPLICA" : "START SLAVE";

    if (!gtid_is_empty(c->gtid_set))
        return plan_mysql_gtid(x, syn, start);
    if (!c->binlog_file)
        return no_file_pos(x, " and no GTID set");
    cs_buf_puts(note_next(x), "The source's gtid_executed was empty (gtid_mode OFF): the replica "
                              "is started at the binary log file/position, without "
                              "auto-positioning.");
    note_mysql_common(x, syn);
    return push_change(x, syn, NULL, start);
}

/* ---- across flavors ---- */

/* A MariaDB release series and the first release of it that reads a MySQL
 * 8.0+ binary log (new event types) and knows MySQL's utf8mb4_0900_*
 * collations (0: none does).  Series not listed: none before 11.8, all from. */
struct mariadb_series {
    unsigned major, minor;
    unsigned events_from, collations_from;
};

static const struct mariadb_series mariadb_mysql8[] = {
    {10, 6, 21, 0},
    {10, 11, 11, 0},
    {11, 4, 5, 5},
    {11, 7, 2, 2},
};

/* COLLATIONS 0: the binary log events; 1: the collations. */
static int mariadb_has(const struct cs_version *v, int collations)
{
    for (size_t i = 0; i < sizeof(mariadb_mysql8) / sizeof(mariadb_mysql8[0]); i++) {
        const struct mariadb_series *s = &mariadb_mysql8[i];
        unsigned from = collations ? s->collations_from : s->events_from;
        if (v->major == s->major && v->minor == s->minor)
            return from && v->patch >= from;
    }
    return cs_version_at_least(v, 11, 8, 0);
}

static void put_version(struct cs_buf *b, const struct cs_version *v)
{
    cs_buf_printf(b, "%u.%u.%u", v->major, v->minor, v->patch);
}

/* caching_sha2_password from a MariaDB replica: the plugin, and TLS */
static void note_caching_sha2(struct repl_ctx *x)
{
    struct cs_buf *b = &x->note;

    cs_buf_puts(b, "the target's plugin_dir (SELECT @@plugin_dir) must hold the "
                   "caching_sha2_password client plugin (caching_sha2_password.so of MariaDB "
                   "Connector/C, e.g. in Debian's libmariadb3 package) and the connection to "
                   "the source needs TLS, which carries the password");
    if (tls_on(x->src))
        cs_buf_puts(b, ".");
    else if (x->src->ssl == LOAD_REPL_SSL_DISABLED)
        cs_buf_puts(b, ", which --replication-ssl-mode=disabled turns off.");
    else if (cs_version_at_least(x->target, 11, 4, 0))
        cs_buf_puts(b, " (MariaDB 11.4 and later use it by default).");
    else
        cs_buf_puts(b, ": MariaDB before 11.4 connects without it unless told "
                       "(--replication-ssl-mode=required, or --replication-ssl-ca).");
}

static void note_mysql_source_auth(struct repl_ctx *x, const struct cs_version *sv)
{
    struct cs_buf *b = note_next(x);

    if (!sv) {
        cs_buf_puts(b, "Use a mysql_native_password replication user where the source has it; "
                       "with caching_sha2_password, ");
    } else if (!cs_version_at_least(sv, 8, 0, 0)) {
        cs_buf_puts(b, "Use a mysql_native_password replication user (MySQL 5.7's default).");
        return;
    } else if (!cs_version_at_least(sv, 8, 4, 0)) {
        cs_buf_puts(b, "MySQL ");
        put_version(b, sv);
        cs_buf_puts(b, " creates users with caching_sha2_password: use a mysql_native_password "
                       "replication user, or for caching_sha2_password ");
    } else if (!cs_version_at_least(sv, 9, 0, 0)) {
        cs_buf_puts(b, "MySQL 8.4 has mysql_native_password only when started with "
                       "--mysql-native-password=ON; with caching_sha2_password (its default) ");
    } else {
        cs_buf_puts(b, "MySQL ");
        put_version(b, sv);
        cs_buf_puts(b, " has no mysql_native_password: the replication user authenticates with "
                       "caching_sha2_password, so ");
    }
    note_caching_sha2(x);
}

/* MariaDB 11.4+ replicas use TLS and verify the source's certificate unless told */
static void note_mariadb_tls_default(struct repl_ctx *x)
{
    if (x->src->ssl != LOAD_REPL_SSL_DEFAULT || !cs_version_at_least(x->target, 11, 4, 0))
        return;
    cs_buf_puts(note_next(x),
                "MariaDB 11.4 and later connect to the source with TLS and verify its "
                "certificate by default, which a MySQL server's own self-signed certificate "
                "fails from another host: give --replication-ssl-ca with the CA that signed it "
                "(MySQL's is ca.pem in its datadir), or --replication-ssl-mode=required to "
                "encrypt without verifying.");
}

static int plan_mysql_to_mariadb(struct repl_ctx *x)
{
    struct cs_version srcv;
    const struct cs_version *sv = NULL;
    int mysql8;
    struct cs_buf *b;

    if (x->m->server_version && cs_version_parse(x->m->server_version, NULL, &srcv) == 0)
        sv = &srcv;
    mysql8 = !sv || cs_version_at_least(sv, 8, 0, 0);
    if (sv && mysql8 && !mariadb_has(x->target, 0))
        return cs_error_set(x->err, CS_ERR_USAGE,
                            "MariaDB %u.%u.%u cannot replicate from MySQL %s: it does not read "
                            "a MySQL 8.0+ binary log (MariaDB 10.6.21, 10.11.11, 11.4.5, 11.7.2 "
                            "and later do); load into one of those to replicate from this "
                            "dump's source",
                            x->target->major, x->target->minor, x->target->patch,
                            x->m->server_version);
    if (!x->m->coords.binlog_file)
        return no_file_pos(x, " (a MariaDB target cannot use MySQL GTIDs)");
    cs_buf_puts(note_next(x),
                "MariaDB cannot use MySQL GTIDs (uuid:number sets, not domain-server-sequence "
                "positions): the replica is started at the binary log file/position.");
    if (mysql8 && !mariadb_has(x->target, 1)) {
        b = note_next(x);
        cs_buf_puts(b, "MariaDB ");
        put_version(b, x->target);
        cs_buf_puts(b, " does not know MySQL 8's utf8mb4_0900_* collations (11.4.5, 11.7.2 and "
                       "later do): the replica stops at the first transaction from a session "
                       "using one, as MySQL 8 sessions do by default (\"Character set '#255' is "
                       "not a compiled character set\"); load into MariaDB 11.4.5 or later, or "
                       "have every session on the source use a collation both know.");
    }
    note_mysql_source_auth(x, sv);
    note_mariadb_tls_default(x);
    cs_buf_puts(note_next(x), "MariaDB replicates from MySQL only as far as it understands the "
                              "MySQL binary log: try it before relying on it.");
    return push_change(x, &syntax_master, NULL, "START SLAVE");
}

static int plan_mariadb_to_mysql(struct repl_ctx *x)
{
    return cs_error_set(x->err, CS_ERR_USAGE,
                        "a MySQL server cannot replicate from a MariaDB source: their GTIDs "
                        "(domain-server-sequence vs uuid:number) and binary log event formats "
                        "differ; load into MariaDB to replicate from this dump's source");
}

typedef int (*plan_fn)(struct repl_ctx *x);

/* [source flavor][target flavor] */
static const plan_fn plan_fns[2][2] = {
    [CS_FLAVOR_MYSQL] =
        {[CS_FLAVOR_MYSQL] = plan_mysql_to_mysql, [CS_FLAVOR_MARIADB] = plan_mysql_to_mariadb},
    [CS_FLAVOR_MARIADB] =
        {[CS_FLAVOR_MYSQL] = plan_mariadb_to_mysql, [CS_FLAVOR_MARIADB] = plan_mariadb_to_mariadb},
};

static int check_args(const struct fmt_manifest *m, const struct cs_version *target,
                      const struct load_repl_source *src, int *source_flavor, struct cs_error *err)
{
    if (!m || !target || !src)
        return cs_error_set(err, CS_ERR_INTERNAL, "load_repl_plan: missing argument");
    if (!src->host || !*src->host)
        return cs_error_set(err, CS_ERR_USAGE, "no replication source host given");
    if (m->flavor && !strcmp(m->flavor, "mysql"))
        *source_flavor = CS_FLAVOR_MYSQL;
    else if (m->flavor && !strcmp(m->flavor, "mariadb"))
        *source_flavor = CS_FLAVOR_MARIADB;
    else
        return cs_error_set(err, CS_ERR_FORMAT,
                            "manifest flavor \"%s\" is neither \"mysql\" nor \"mariadb\"",
                            m->flavor ? m->flavor : "(none)");
    if (target->flavor != CS_FLAVOR_MYSQL && target->flavor != CS_FLAVOR_MARIADB)
        return cs_error_set(err, CS_ERR_INTERNAL, "unknown target flavor %d", (int)target->flavor);
    return 0;
}

int load_repl_plan(const struct fmt_manifest *m, const struct cs_version *target,
                   int target_gtid_empty, const struct load_repl_source *src, int for_print,
                   struct load_repl_plan *out, struct cs_error *err)
{
    struct repl_ctx x = {m, target, target_gtid_empty, src, for_print, out, CS_BUF_INIT, err};
    int source_flavor = 0, r;

    if (!out)
        return cs_error_set(err, CS_ERR_INTERNAL, "load_repl_plan: missing argument");
    memset(out, 0, sizeof(*out));
    if (check_args(m, target, src, &source_flavor, err) < 0)
        return -1;
    if (source_flavor == CS_FLAVOR_MARIADB && target->flavor == CS_FLAVOR_MYSQL)
        return plan_mariadb_to_mysql(&x);
    if (!m->coords.present)
        return cs_error_set(err, CS_ERR_USAGE,
                            "the dump has no binary log coordinates (the source's binary "
                            "log was off): a replica cannot be started from it");
    r = plan_fns[source_flavor][target->flavor](&x);
    if (r == 0 && cs_buf_failed(&x.note))
        r = nomem(&x);
    if (r == 0 && x.note.len > 0 && !(out->note = cs_buf_detach(&x.note)))
        r = nomem(&x);
    cs_buf_release(&x.note);
    if (r < 0)
        load_repl_plan_release(out);
    return r < 0 ? -1 : 0;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void load_repl_plan_release(struct load_repl_plan *p)
{
    if (!p)
        return;
    free_list(p->gtid_stmts, p->ngtid);
    free_list(p->change_stmts, p->nchange);
    free(p->note);
    memset(p, 0, sizeof(*p));
}

/* ---- --replication-ssl-* ---- */

static const char *const ssl_names[] = {
    [LOAD_REPL_SSL_DEFAULT] = "default",
    [LOAD_REPL_SSL_DISABLED] = "disabled",
    [LOAD_REPL_SSL_REQUIRED] = "required",
    [LOAD_REPL_SSL_VERIFY_CA] = "verify-ca",
    [LOAD_REPL_SSL_VERIFY_IDENTITY] = "verify-identity",
};

const char *load_repl_ssl_name(enum load_repl_ssl mode)
{
    return (unsigned)mode < sizeof(ssl_names) / sizeof(ssl_names[0]) ? ssl_names[mode] : "?";
}

int load_repl_ssl_parse(const char *arg, enum load_repl_ssl *out, struct cs_error *err)
{
    for (unsigned i = LOAD_REPL_SSL_DISABLED; i <= LOAD_REPL_SSL_VERIFY_IDENTITY; i++)
        if (arg && !strcmp(arg, ssl_names[i])) {
            *out = (enum load_repl_ssl)i;
            return 0;
        }
    return cs_error_set(err, CS_ERR_USAGE,
                        "--replication-ssl-mode=%s: expected disabled, required, verify-ca or "
                        "verify-identity",
                        arg ? arg : "");
}

int load_repl_ssl_resolve(enum load_repl_ssl mode, const char *ca, const char *cert,
                          const char *key, enum load_repl_ssl *out, struct cs_error *err)
{
    int files = ca || cert || key;

    if (mode == LOAD_REPL_SSL_DEFAULT)
        mode = files ? LOAD_REPL_SSL_REQUIRED : LOAD_REPL_SSL_DEFAULT;
    if (mode == LOAD_REPL_SSL_DISABLED && files)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--replication-ssl-mode=disabled with --replication-ssl-%s: the "
                            "files are only used over TLS",
                            ca     ? "ca"
                            : cert ? "cert"
                                   : "key");
    if (mode >= LOAD_REPL_SSL_VERIFY_CA && !ca)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--replication-ssl-mode=%s needs --replication-ssl-ca=FILE (the CA "
                            "that signed the source's certificate, as a path on the target's "
                            "host)",
                            load_repl_ssl_name(mode));
    if (!cert != !key)
        return cs_error_set(err, CS_ERR_USAGE, "--replication-ssl-%s needs --replication-ssl-%s",
                            cert ? "cert" : "key", cert ? "key" : "cert");
    *out = mode;
    return 0;
}
