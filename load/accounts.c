#include "load/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/quote.h"
#include "format/sqlenc.h"
#include "load/grant.h"
#include "load/jobs.h"
#include "load/schema.h"

/* One account of the dump and what the load does with it. */
struct acct {
    const struct fmt_account *e;
    char *who;    /* `user`@`host` (a MariaDB role: `role`) */
    char **stmts; /* the file's statements */
    size_t nstmts;
    char **run; /* grants then default roles, as they will run */
    size_t ngrants, ndefaults;
    unsigned char action; /* enum load_action */
};

struct load_accounts {
    const struct load_config *cfg;
    const struct fmt_manifest *m;
    const struct load_journal *journal;
    const char *target_name; /* "mariadb 10.11.6", for messages */
    struct cs_buf target;    /* "\nuser\thost\n" per account of the target */
    char unknown[400];       /* why the target's accounts are not known; "" if they are */
    struct cs_buf privs;     /* "\nSELECT\n" per privilege the target knows */
    struct acct *v;
    size_t n;
    size_t invalid; /* grants the target cannot take */
    size_t created, granted;
};

/* ---- the target ------------------------------------------------------------ */

/* Lines "\nA\tB\n" of SQL's rows into OUT (just "\nA\n" and upper-cased
 * with UPPER). */
static int read_lines(struct cs_conn *c, const char *sql, int upper, struct cs_buf *out,
                      struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;

    if (cs_conn_query(c, sql, &res, err) < 0)
        return -1;
    cs_buf_putc(out, '\n');
    while ((row = cs_result_row(res))) {
        size_t from = out->len;
        cs_buf_puts(out, row[0] ? row[0] : "");
        if (!upper)
            cs_buf_printf(out, "\t%s", row[1] ? row[1] : "");
        cs_buf_putc(out, '\n');
        for (size_t i = from; upper && !cs_buf_failed(out) && i < out->len; i++)
            if (out->data[i] >= 'a' && out->data[i] <= 'z')
                out->data[i] = (char)(out->data[i] - 'a' + 'A');
    }
    cs_result_free(res);
    return cs_buf_failed(out) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") : 0;
}

static int has_line(const struct cs_buf *b, const char *a, const char *tab)
{
    struct cs_buf k = CS_BUF_INIT;
    int found;

    cs_buf_printf(&k, "\n%s%s%s\n", a, tab ? "\t" : "", tab ? tab : "");
    found = k.data && b->data && strstr(b->data, k.data) != NULL;
    cs_buf_release(&k);
    return found;
}

static int dump_has_account(const struct fmt_manifest *m, const char *user, const char *host)
{
    for (size_t i = 0; i < m->naccounts; i++)
        if (!strcmp(m->accounts[i].user, user) && !strcmp(m->accounts[i].host, host))
            return 1;
    return 0;
}

int load_accounts_will_exist(const struct load_accounts *a, const char *user, const char *host)
{
    if (a->cfg->load_users && dump_has_account(a->m, user, host))
        return 1;
    if (*a->unknown)
        return -1;
    return has_line(&a->target, user, host);
}

const char *load_accounts_unknown(const struct load_accounts *a)
{
    return *a->unknown ? a->unknown : NULL;
}

/* Aliases a MariaDB target takes for a privilege SHOW PRIVILEGES spells otherwise. */
static const char *const mariadb_aliases[][2] = {
    {"REPLICATION CLIENT", "BINLOG MONITOR"},
    {"REPLICA MONITOR", "SLAVE MONITOR"},
    {"REPLICATION REPLICA", "REPLICATION SLAVE"},
};

static int priv_known(const struct load_accounts *a, const char *name)
{
    if (!strcmp(name, "ALL") || !strcmp(name, "ALL PRIVILEGES") || !strcmp(name, "USAGE") ||
        has_line(&a->privs, name, NULL))
        return 1;
    for (size_t i = 0; i < sizeof(mariadb_aliases) / sizeof(mariadb_aliases[0]); i++)
        if (!strcmp(name, mariadb_aliases[i][0]) &&
            has_line(&a->privs, mariadb_aliases[i][1], NULL))
            return 1;
    return 0;
}

/* COUNT(*) of SQL > 0 on the target. */
static int target_any(struct cs_conn *c, const struct cs_buf *sql, struct cs_error *err)
{
    char *v = NULL;
    int rc;

    if (cs_buf_failed(sql))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    rc = cs_conn_query_value(c, sql->data, &v, err);
    if (rc == 0)
        rc = v && strcmp(v, "0") != 0;
    free(v);
    return rc;
}

static void add_eq(struct cs_buf *b, const char *col, const char *v)
{
    cs_buf_printf(b, " AND %s = ", col);
    fmt_sql_append_string(b, v, strlen(v));
}

/* The table (or view, sequence) is in the dump: 1; on the target: 1; else 0. */
static int table_known(struct cs_conn *c, const struct fmt_manifest *m, const char *schema,
                       const char *name, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    for (size_t i = 0; i < m->ntables; i++)
        if (!strcmp(m->tables[i].schema, schema) && !strcmp(m->tables[i].name, name))
            return 1;
    for (size_t i = 0; i < m->nobjects; i++)
        if ((m->objects[i].kind == FMT_OBJ_VIEW || m->objects[i].kind == FMT_OBJ_SEQUENCE) &&
            !strcmp(m->objects[i].schema, schema) && !strcmp(m->objects[i].name, name))
            return 1;
    cs_buf_puts(&sql, "SELECT COUNT(*) FROM information_schema.TABLES WHERE 1");
    add_eq(&sql, "TABLE_SCHEMA", schema);
    add_eq(&sql, "TABLE_NAME", name);
    rc = target_any(c, &sql, err);
    cs_buf_release(&sql);
    return rc;
}

static int routine_known(struct cs_conn *c, const struct fmt_manifest *m, const char *kind,
                         const char *schema, const char *name, struct cs_error *err)
{
    enum fmt_object_kind k = !strcmp(kind, "FUNCTION") ? FMT_OBJ_FUNCTION : FMT_OBJ_PROCEDURE;
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    for (size_t i = 0; strncmp(kind, "PACKAGE", 7) && i < m->nobjects; i++)
        if (m->objects[i].kind == k && !strcmp(m->objects[i].schema, schema) &&
            !strcmp(m->objects[i].name, name))
            return 1;
    cs_buf_puts(&sql, "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE 1");
    add_eq(&sql, "ROUTINE_TYPE", kind);
    add_eq(&sql, "ROUTINE_SCHEMA", schema);
    add_eq(&sql, "ROUTINE_NAME", name);
    rc = target_any(c, &sql, err);
    cs_buf_release(&sql);
    return rc;
}

/* The columns of a column privilege on a table the target already has. */
static int columns_known(struct cs_conn *c, const char *schema, const char *table,
                         const struct load_grant_priv *p, struct cs_error *err)
{
    for (size_t i = 0; i < p->ncolumns; i++) {
        struct cs_buf sql = CS_BUF_INIT;
        int rc;

        cs_buf_puts(&sql, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE 1");
        add_eq(&sql, "TABLE_SCHEMA", schema);
        add_eq(&sql, "TABLE_NAME", table);
        add_eq(&sql, "COLUMN_NAME", p->columns[i]);
        rc = target_any(c, &sql, err);
        cs_buf_release(&sql);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

/* ---- checking the dump's statements ----------------------------------------- */

/* One grant the target cannot take: reported (an error, or a warning when skipped). */
static void invalid(struct load_accounts *a, const struct acct *x, const char *stmt,
                    const char *why)
{
    a->invalid++;
    if (a->cfg->skip_invalid_grants)
        cs_log_warn(a->cfg->log, "account %s: %s: %s; left out (--skip-invalid-grants)", x->who,
                    why, stmt);
    else
        cs_log_error(a->cfg->log, "account %s: %s: %.300s", x->who, why, stmt);
}

static int role_known(const struct load_accounts *a, const struct load_grant_role *r)
{
    return load_accounts_will_exist(a, r->user, r->host ? r->host : "") != 0;
}

/* The object of a privilege grant: 1 there, 0 not (reported), -1 error. */
static int object_there(struct load_accounts *a, struct cs_conn *c, const struct acct *x,
                        const char *stmt, const struct load_grant *g, struct cs_error *err)
{
    char why[600];
    int rc = 1;

    if (g->level == LOAD_GRANT_TABLE)
        rc = table_known(c, a->m, g->schema, g->name, err);
    else if (g->level == LOAD_GRANT_ROUTINE)
        rc = routine_known(c, a->m, g->routine, g->schema, g->name, err);
    if (rc != 0)
        return rc;
    snprintf(why, sizeof(why), "%s %s.%s is neither in the dump nor on the target",
             g->level == LOAD_GRANT_TABLE ? "table" : g->routine, g->schema, g->name);
    invalid(a, x, stmt, why);
    return 0;
}

/* Privileges of G the target cannot take: KEEP[i] = 0, each reported.
 * Returns how many are kept, or -1. */
static int check_privs(struct load_accounts *a, struct cs_conn *c, const struct acct *x,
                       const char *stmt, const struct load_grant *g, unsigned char *keep,
                       struct cs_error *err)
{
    int kept = 0, rc = object_there(a, c, x, stmt, g, err);

    if (rc <= 0)
        return rc;
    for (size_t i = 0; i < g->nprivs; i++) {
        const struct load_grant_priv *p = &g->privs[i];
        char why[400];
        keep[i] = 1;
        if (!priv_known(a, p->name)) {
            snprintf(why, sizeof(why), "privilege %s does not exist on the target (%s)", p->name,
                     a->target_name);
            keep[i] = 0;
        } else if (p->ncolumns) {
            int in_dump = 0;
            for (size_t t = 0; t < a->m->ntables && !in_dump; t++)
                in_dump = !strcmp(a->m->tables[t].schema, g->schema) &&
                          !strcmp(a->m->tables[t].name, g->name);
            rc = in_dump ? 1 : columns_known(c, g->schema, g->name, p, err);
            if (rc < 0)
                return -1;
            snprintf(why, sizeof(why), "a column of %s (%s.%s) is not on the target", p->name,
                     g->schema, g->name);
            keep[i] = (unsigned char)rc;
        }
        if (!keep[i])
            invalid(a, x, stmt, why);
        kept += keep[i];
    }
    return kept;
}

/* Roles of a role grant or default role that will not exist: reported. */
static int check_roles(struct load_accounts *a, const struct acct *x, const char *stmt,
                       const struct load_grant *g)
{
    for (size_t i = 0; i < g->nroles; i++)
        if (!role_known(a, &g->roles[i])) {
            char why[400];
            snprintf(why, sizeof(why), "role %s%s%s is neither loaded nor on the target",
                     g->roles[i].user, g->roles[i].host ? "@" : "",
                     g->roles[i].host ? g->roles[i].host : "");
            invalid(a, x, stmt, why);
            return 0;
        }
    return 1;
}

/* G is for account X (a MariaDB role has no host). */
static int for_account(const struct acct *x, const struct load_grant *g)
{
    return !strcmp(g->to.user, x->e->user) && !strcmp(g->to.host ? g->to.host : "", x->e->host);
}

/* Statement K of X checked; the one to run (or none) added to X->run. */
static int check_stmt(struct load_accounts *a, struct cs_conn *c, struct acct *x, size_t k,
                      struct cs_error *err)
{
    const char *stmt = x->stmts[k];
    int want = k == 0              ? LOAD_GRANT_CREATE
               : k <= x->e->grants ? LOAD_GRANT_PRIVS
                                   : LOAD_GRANT_DEFAULT;
    unsigned char *keep = NULL;
    struct load_grant g;
    int ok = 1, rc = -1;
    char *run = NULL;

    if (load_grant_parse(stmt, &g, err) < 0)
        return cs_error_prefix(err, "statement %zu of %s", k + 1, x->e->file);
    if ((want == LOAD_GRANT_PRIVS ? g.kind == LOAD_GRANT_CREATE || g.kind == LOAD_GRANT_DEFAULT
                                  : (int)g.kind != want) ||
        !for_account(x, &g) ||
        (k == 0 && g.create_role != (x->e->host[0] == '\0' && x->e->kind == FMT_ACCOUNT_ROLE))) {
        cs_error_set(err, CS_ERR_FORMAT,
                     "%s: statement %zu is not what the manifest says it is "
                     "(for account %s)",
                     x->e->file, k + 1, x->who);
        goto out;
    }
    if (k == 0) {
        rc = 0;
        goto out;
    }
    if (!(keep = calloc(g.nprivs + 1, 1))) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (g.kind == LOAD_GRANT_PRIVS && (ok = check_privs(a, c, x, stmt, &g, keep, err)) < 0)
        goto out;
    if (g.kind == LOAD_GRANT_ROLES || g.kind == LOAD_GRANT_DEFAULT)
        ok = check_roles(a, x, stmt, &g);
    rc = 0;
    if (!ok)
        goto out;
    run = load_grant_rebuild(stmt, &g, g.kind == LOAD_GRANT_PRIVS ? keep : NULL);
    if (!run) {
        rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    x->run[x->ngrants + x->ndefaults] = run;
    *(want == LOAD_GRANT_DEFAULT ? &x->ndefaults : &x->ngrants) += 1;
out:
    free(keep);
    load_grant_release(&g);
    return rc;
}

static void quote_who(struct cs_buf *b, const struct fmt_account *e)
{
    cs_quote_ident(b, e->user);
    if (e->kind != FMT_ACCOUNT_ROLE || e->host[0]) {
        cs_buf_putc(b, '@');
        cs_quote_ident(b, e->host);
    }
}

/* Reads X's file and checks each statement. */
static int check_account(struct load_accounts *a, struct cs_conn *c, struct load_input *in,
                         struct acct *x, struct cs_error *err)
{
    char *text = NULL;
    int rc;

    if (load_schema_read(in, a->m, x->e->file, &text, err) < 0)
        return -1;
    rc = load_grant_split(text, &x->stmts, &x->nstmts);
    free(text);
    if (rc < 0)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (x->nstmts != 1 + (size_t)x->e->grants + x->e->default_roles)
        return cs_error_set(
            err, CS_ERR_FORMAT, "%s: %s holds %zu statements, the manifest says %u for account %s",
            in->name, x->e->file, x->nstmts, 1 + x->e->grants + x->e->default_roles, x->who);
    if (!(x->run = calloc(x->nstmts, sizeof(char *))))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < x->nstmts; k++)
        if (check_stmt(a, c, x, k, err) < 0)
            return -1;
    return 0;
}

static int journaled(const struct load_accounts *a, const char *step, const struct acct *x)
{
    struct cs_buf item = CS_BUF_INIT;
    int has;

    cs_buf_printf(&item, "%s:%s@%s", step, x->e->user, x->e->host);
    has = item.data && load_journal_has(a->journal, item.data);
    cs_buf_release(&item);
    return has;
}

static int mark(struct cs_conn *c, const char *dump_id, const char *step, const struct acct *x,
                struct cs_error *err)
{
    struct cs_buf item = CS_BUF_INIT;
    int rc;

    cs_buf_printf(&item, "%s:%s@%s", step, x->e->user, x->e->host);
    rc = item.data ? load_journal_mark(c, dump_id, item.data, err)
                   : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    cs_buf_release(&item);
    return rc;
}

/* --if-exists for the accounts the target has; 1 per account that stops the load. */
static size_t conflicts(struct load_accounts *a, int first_run)
{
    size_t stops = 0;

    for (size_t i = 0; i < a->n; i++) {
        struct acct *x = &a->v[i];
        int exists = has_line(&a->target, x->e->user, x->e->host);
        int stop = load_schema_decide(exists, journaled(a, "account", x), first_run,
                                      a->cfg->if_exists, &x->action);
        if (!exists || !first_run || journaled(a, "account", x))
            continue;
        if (stop)
            cs_log_error(a->cfg->log,
                         "account %s already exists on the target: drop it, or use "
                         "--if-exists=skip (leave it and its grants) or "
                         "--if-exists=replace (drop and load it)",
                         x->who);
        else
            cs_log_warn(a->cfg->log, "account %s already exists on the target: %s", x->who,
                        x->action == LOAD_ACT_SKIP ? "left as it is, its grants not loaded "
                                                     "(--if-exists=skip)"
                                                   : "dropped and loaded (--if-exists=replace)");
        stops += (size_t)stop;
    }
    return stops;
}

static int check_all(struct load_accounts *a, struct cs_conn *c, struct load_input *in,
                     const struct load_target *t, int first_run, struct cs_error *err)
{
    size_t stops;

    if (!a->m->has_accounts)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--load-users: %s holds no accounts (csdump "
                            "dumps them with --users, and by default for a "
                            "whole-instance dump)",
                            in->name);
    if (strcasecmp(a->m->flavor, cs_flavor_name(t->version.flavor)))
        return cs_error_set(err, CS_ERR_USAGE,
                            "--load-users: the dump's accounts are %s statements and the target "
                            "is %s: roles, authentication plugins and grants differ; load "
                            "without --load-users and create the accounts by hand",
                            a->m->flavor, cs_flavor_name(t->version.flavor));
    if (*a->unknown)
        return cs_error_set(err, CS_ERR_SERVER, "--load-users: %s", a->unknown);
    if (read_lines(c, "SHOW PRIVILEGES", 1, &a->privs, err) < 0)
        return -1;
    for (size_t i = 0; i < a->n; i++)
        if (check_account(a, c, in, &a->v[i], err) < 0)
            return -1;
    stops = conflicts(a, first_run);
    if (a->invalid && !a->cfg->skip_invalid_grants)
        return cs_error_set(err, CS_ERR_USAGE,
                            "%zu grant(s) of the dump's accounts cannot be given on the target "
                            "(listed above); nothing was changed: create what they need on the "
                            "target, or pass --skip-invalid-grants to load the accounts without "
                            "them",
                            a->invalid);
    if (stops)
        return cs_error_set(err, CS_ERR_USAGE,
                            "%zu account(s) of the dump already exist on the "
                            "target (listed above); nothing was changed",
                            stops);
    return 0;
}

int load_accounts_prepare(struct load_accounts **out, struct cs_conn *c,
                          const struct load_config *cfg, struct load_input *in,
                          const struct fmt_manifest *m, const struct load_target *t,
                          const struct load_journal *j, int first_run, struct cs_error *err)
{
    struct load_accounts *a = calloc(1, sizeof(*a));
    struct cs_error e;

    *out = a;
    if (!a)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    a->cfg = cfg;
    a->m = m;
    a->journal = j;
    a->target_name = t->version_text;
    cs_error_clear(&e);
    if (read_lines(c, "SELECT User, Host FROM mysql.user", 0, &a->target, &e) < 0)
        snprintf(a->unknown, sizeof(a->unknown),
                 "cannot read the target's accounts (%s): "
                 "GRANT SELECT ON mysql.user to the loading user",
                 e.msg);
    if (!cfg->load_users) {
        if (m->naccounts)
            cs_log_info(cfg->log,
                        "the dump holds %zu account(s) with their grants: not loaded "
                        "(--load-users loads them)",
                        m->naccounts);
        return 0;
    }
    a->v = calloc(m->naccounts + 1, sizeof(*a->v));
    if (!a->v)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (; a->n < m->naccounts; a->n++) {
        struct cs_buf who = CS_BUF_INIT;
        a->v[a->n].e = &m->accounts[a->n];
        quote_who(&who, a->v[a->n].e);
        if (!(a->v[a->n].who = cs_buf_detach(&who)))
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    return check_all(a, c, in, t, first_run, err) < 0 ? cs_error_prefix(err, "accounts") : 0;
}

static int drop_account(struct cs_conn *c, const struct acct *x, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int role = x->e->kind == FMT_ACCOUNT_ROLE && !x->e->host[0], rc;

    cs_buf_printf(&sql, "DROP %s IF EXISTS %s", role ? "ROLE" : "USER", x->who);
    rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                             : cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    return rc;
}

int load_accounts_create(struct load_accounts *a, struct cs_conn *c, const char *dump_id,
                         struct cs_error *err)
{
    for (size_t i = 0; a && i < a->n; i++) {
        struct acct *x = &a->v[i];
        if (x->action == LOAD_ACT_SKIP || journaled(a, "account", x))
            continue;
        if ((x->action == LOAD_ACT_REPLACE && drop_account(c, x, err) < 0) ||
            cs_conn_exec(c, x->stmts[0], err) < 0 || mark(c, dump_id, "account", x, err) < 0)
            return cs_error_prefix(err, "creating account %s", x->who);
        a->created++;
    }
    return 0;
}

/* The grants (DEFAULTS 0) or default roles (1) of every account. */
static int run_step(struct load_accounts *a, struct cs_conn *c, const char *dump_id, int defaults,
                    struct cs_error *err)
{
    const char *step = defaults ? "default-roles" : "grants";

    for (size_t i = 0; i < a->n; i++) {
        struct acct *x = &a->v[i];
        size_t from = defaults ? x->ngrants : 0, n = defaults ? x->ndefaults : x->ngrants;
        if (x->action == LOAD_ACT_SKIP || journaled(a, step, x))
            continue;
        for (size_t k = from; k < from + n; k++)
            if (cs_conn_exec(c, x->run[k], err) < 0)
                return cs_error_prefix(err, "account %s: %.200s", x->who, x->run[k]);
        if (mark(c, dump_id, step, x, err) < 0)
            return -1;
        a->granted += defaults ? 0 : n;
    }
    return 0;
}

/* MariaDB grants a new role to its creator WITH ADMIN OPTION (and only
 * then may it grant the role): once the grants are given, the loading user
 * is left as it was (the dump's own admin grants came with their grantees).
 * Best effort: a rerun may find it done. */
static void unadmin(const struct load_accounts *a, struct cs_conn *c)
{
    for (size_t i = 0; i < a->n; i++) {
        const struct acct *x = &a->v[i];
        struct cs_buf sql = CS_BUF_INIT;
        struct cs_error e;

        if (x->action == LOAD_ACT_SKIP || x->e->kind != FMT_ACCOUNT_ROLE || x->e->host[0])
            continue;
        cs_error_clear(&e);
        cs_buf_printf(&sql, "REVOKE %s FROM CURRENT_USER", x->who);
        if (!cs_buf_failed(&sql) && cs_conn_exec(c, sql.data, &e) < 0)
            cs_log_verbose(a->cfg->log, "role %s: %s", x->who, e.msg);
        cs_buf_release(&sql);
    }
}

int load_accounts_grant(struct load_accounts *a, struct cs_conn *c, const char *dump_id,
                        struct cs_error *err)
{
    if (!a || !a->n)
        return 0;
    if (run_step(a, c, dump_id, 0, err) < 0 || run_step(a, c, dump_id, 1, err) < 0)
        return -1;
    unadmin(a, c);
    return 0;
}

void load_accounts_summary(const struct load_accounts *a, const struct cs_log *log)
{
    if (!a || !a->n)
        return;
    cs_log_info(log, "accounts: %zu created, %zu grant statement(s) given%s", a->created,
                a->granted, a->invalid ? " (some left out: listed above)" : "");
}

void load_accounts_free(struct load_accounts *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].who);
        load_grant_free_list(a->v[i].stmts, a->v[i].nstmts);
        load_grant_free_list(a->v[i].run, a->v[i].nstmts);
    }
    free(a->v);
    cs_buf_release(&a->target);
    cs_buf_release(&a->privs);
    free(a);
}
