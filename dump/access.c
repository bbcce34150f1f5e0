#include "dump/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/quote.h"

/* ---- SHOW GRANTS lines -------------------------------------------------- */

static const struct {
    const char *word;
    unsigned bit;
} priv_names[] = {
    {"SELECT", DUMP_ACCESS_SELECT},
    {"SHOW VIEW", DUMP_ACCESS_SHOW_VIEW},
    {"TRIGGER", DUMP_ACCESS_TRIGGER},
    {"EVENT", DUMP_ACCESS_EVENT},
    {"SHOW_ROUTINE", DUMP_ACCESS_SHOW_ROUTINE},
    {"SHOW CREATE ROUTINE", DUMP_ACCESS_SHOW_ROUTINE},
    {"ALL PRIVILEGES", DUMP_ACCESS_ALL},
    {"ALL", DUMP_ACCESS_ALL},
};

/* A token of a SHOW GRANTS line: a word, a quoted name (QUOTE is its quote
 * character; TEXT holds it unquoted) or one punctuation byte. */
struct gtok {
    char quote;
    char text[256];
    size_t len;
};

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || c >= 0x80;
}

static void tok_put(struct gtok *t, char c)
{
    if (t->len + 1 < sizeof(t->text))
        t->text[t->len++] = c;
    t->text[t->len] = '\0';
}

/* The token at *P (advanced past it); 0 at the end of the line. */
static int next_tok(const char **p, struct gtok *t)
{
    const char *s = *p;

    memset(t, 0, sizeof(*t));
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (!*s)
        return 0;
    if (*s == '`' || *s == '\'' || *s == '"') {
        char q = *s++;
        t->quote = q;
        for (; *s; s++) {
            if (*s == '\\' && q != '`' && s[1])
                tok_put(t, *++s);
            else if (*s == q && s[1] == q)
                tok_put(t, *s++);
            else if (*s == q)
                break;
            else
                tok_put(t, *s);
        }
        *p = *s ? s + 1 : s;
        return 1;
    }
    if (word_byte((unsigned char)*s)) {
        while (word_byte((unsigned char)*s))
            tok_put(t, *s++);
    } else {
        tok_put(t, *s++);
    }
    *p = s;
    return 1;
}

static int tok_is(const struct gtok *t, const char *w)
{
    return !t->quote && !strcasecmp(t->text, w);
}

static unsigned priv_bit(const char *words)
{
    for (size_t i = 0; i < sizeof(priv_names) / sizeof(priv_names[0]); i++)
        if (!strcasecmp(words, priv_names[i].word))
            return priv_names[i].bit;
    return 0;
}

/* The privilege list up to ON; -1 when the line has none (a role grant). */
static int read_privs(const char **p, unsigned *bits)
{
    char words[128] = "";
    int depth = 0, column = 0;
    struct gtok t;

    *bits = 0;
    while (next_tok(p, &t)) {
        if (depth == 0 && (tok_is(&t, "ON") || tok_is(&t, ","))) {
            if (!column)
                *bits |= priv_bit(words);
            words[0] = '\0';
            column = 0;
            if (tok_is(&t, "ON"))
                return 0;
        } else if (tok_is(&t, "(")) {
            depth++;
            column = 1; /* a column privilege: not the whole table */
        } else if (tok_is(&t, ")")) {
            depth--;
        } else if (depth == 0 && tok_is(&t, "TO")) {
            return -1;
        } else if (depth == 0) {
            size_t n = strlen(words);
            snprintf(words + n, sizeof(words) - n, "%s%s", n ? " " : "", t.text);
        }
    }
    return -1;
}

/* The object after ON: *.*, `db`.*, `db`.`t`; -1 for anything else. */
static int read_level(const char **p, struct dump_access_grant *g)
{
    struct gtok a, dot, b;

    if (!next_tok(p, &a))
        return -1;
    if (tok_is(&a, "TABLE") && !next_tok(p, &a))
        return -1;
    if (!a.quote && (tok_is(&a, "FUNCTION") || tok_is(&a, "PROCEDURE") || tok_is(&a, "PACKAGE")))
        return -1;
    if (a.quote == '\'' || a.quote == '"' || !next_tok(p, &dot) || !tok_is(&dot, ".") ||
        !next_tok(p, &b))
        return -1;
    if (tok_is(&a, "*") && tok_is(&b, "*")) {
        g->level = DUMP_ACCESS_GLOBAL;
        return 0;
    }
    g->schema = strdup(a.text);
    if (!g->schema)
        return -2;
    g->level = tok_is(&b, "*") ? DUMP_ACCESS_SCHEMA : DUMP_ACCESS_TABLE;
    if (g->level == DUMP_ACCESS_TABLE && !(g->table = strdup(b.text)))
        return -2;
    return 0;
}

int dump_access_add_line(struct dump_access *a, const char *line)
{
    struct dump_access_grant g = {0};
    struct gtok t;
    const char *p = line;
    void *v;
    int rc;

    if (!next_tok(&p, &t) || (!tok_is(&t, "GRANT") && !tok_is(&t, "REVOKE")))
        return 0;
    g.revoke = tok_is(&t, "REVOKE");
    if (read_privs(&p, &g.privs) < 0 || !g.privs)
        return 0;
    rc = read_level(&p, &g);
    if (rc == 0 && (v = realloc(a->v, (a->n + 1) * sizeof(*a->v)))) {
        a->v = v;
        a->v[a->n++] = g;
        return 0;
    }
    free(g.schema);
    free(g.table);
    return rc == -1 ? 0 : -1;
}

int dump_access_like(const char *p, const char *t)
{
    for (; *p; p++, t++) {
        if (*p == '%') {
            for (;; t++) {
                if (dump_access_like(p + 1, t))
                    return 1;
                if (!*t)
                    return 0;
            }
        }
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '_' && *t)
            continue;
        if (*p != *t)
            return 0;
    }
    return *t == '\0';
}

/* PRIV (one bit) is revoked on SCHEMA by a partial revoke. */
static int revoked(const struct dump_access *a, unsigned priv, const char *schema)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].revoke && (a->v[i].privs & priv) && a->v[i].level == DUMP_ACCESS_SCHEMA &&
            !strcmp(a->v[i].schema, schema))
            return 1;
    return 0;
}

static int allows_one(const struct dump_access *a, unsigned priv, const char *schema,
                      const char *table)
{
    for (size_t i = 0; i < a->n; i++) {
        const struct dump_access_grant *g = &a->v[i];
        if (g->revoke || !(g->privs & priv))
            continue;
        if (g->level == DUMP_ACCESS_GLOBAL && !revoked(a, priv, schema))
            return 1;
        if (g->level == DUMP_ACCESS_SCHEMA && dump_access_like(g->schema, schema))
            return 1;
        if (g->level == DUMP_ACCESS_TABLE && table && !strcmp(g->schema, schema) &&
            !strcmp(g->table, table))
            return 1;
    }
    return 0;
}

int dump_access_allows(const struct dump_access *a, unsigned privs, const char *schema,
                       const char *table)
{
    for (unsigned bit = 1; bit <= DUMP_ACCESS_SHOW_ROUTINE; bit <<= 1)
        if ((privs & bit) && !allows_one(a, bit, schema, table))
            return 0;
    return 1;
}

void dump_access_release(struct dump_access *a)
{
    for (size_t i = 0; a && i < a->n; i++) {
        free(a->v[i].schema);
        free(a->v[i].table);
    }
    if (a) {
        free(a->v);
        memset(a, 0, sizeof(*a));
    }
}

int dump_access_read(struct cs_conn *conn, struct dump_access *a, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    char *who = NULL, *at;
    int rc = 0;

    memset(a, 0, sizeof(*a));
    if (cs_conn_query_value(conn, "SELECT CURRENT_USER()", &who, err) < 0)
        return -1;
    at = who ? strrchr(who, '@') : NULL;
    if (at)
        snprintf(a->user, sizeof(a->user), "`%.*s`@`%s`", (int)(at - who), who, at + 1);
    else
        snprintf(a->user, sizeof(a->user), "%s", who ? who : "CURRENT_USER");
    free(who);
    if (cs_conn_query(conn, "SHOW GRANTS", &res, err) < 0)
        return -1;
    while (rc == 0 && (row = cs_result_row(res)))
        if (row[0])
            rc = dump_access_add_line(a, row[0]);
    cs_result_free(res);
    return rc < 0 ? cs_error_set(err, CS_ERR_NOMEM, "out of memory reading SHOW GRANTS") : 0;
}

/* ---- the checks over the catalog ---------------------------------------- */

/* One class of objects csdump may be unable to dump. */
struct access_class {
    const char *what;  /* "cannot see the triggers of" */
    const char *privs; /* the GRANT's privileges */
    const char *on;    /* the GRANT's object; NULL: `schema`.* */
    const char *leave; /* the option that leaves the class out */
    const char *note;  /* the manifest's not_dumped line: NOTE object WHY */
    const char *why;
};

enum {
    CLS_DATA = 0,
    CLS_VIEWS,
    CLS_TRIGGERS,
    CLS_EVENTS,
    CLS_ROUTINES_MYSQL,
    CLS_ROUTINES_MARIADB,
    CLS_ACCOUNTS,
    CLS_COUNT
};

static const struct access_class classes[CLS_COUNT] = {
    [CLS_DATA] = {"cannot read the rows of table(s)", "SELECT", NULL, "--exclude", "table",
                  "(no SELECT privilege)"},
    [CLS_VIEWS] = {"cannot read the definition of view(s)", "SELECT, SHOW VIEW", NULL, "--no-views",
                   "view", "(no SHOW VIEW privilege)"},
    [CLS_TRIGGERS] = {"cannot see the triggers of table(s)", "TRIGGER", NULL, "--no-triggers",
                      "triggers of", "(no TRIGGER privilege)"},
    [CLS_EVENTS] = {"cannot see the events of schema", "EVENT", NULL, "--no-events", "events of",
                    "(no EVENT privilege)"},
    [CLS_ROUTINES_MYSQL] = {"cannot see the routines of schema", "SHOW_ROUTINE", "*.*",
                            "--no-routines", "routines of", "(no SHOW_ROUTINE privilege)"},
    [CLS_ROUTINES_MARIADB] = {"cannot see the routines of schema", "SELECT", "`mysql`.`proc`",
                              "--no-routines", "routines of", "(no SELECT on mysql.proc)"},
    [CLS_ACCOUNTS] = {"cannot read the accounts of the source", "SELECT", "`mysql`.*", "--no-users",
                      "accounts", "(no SELECT on the mysql schema)"},
};

/* Objects of one class and schema, gathered into one message. */
struct report {
    const struct dump_access *a;
    const struct dump_config *cfg;
    struct dump_catalog *cat;
    int cls;
    char schema[200];
    struct cs_buf names;
    size_t nnames;
    size_t lines;       /* messages so far */
    int failed;         /* out of memory */
    struct cs_buf msgs; /* each message, '\n'-terminated */
};

/* One message: a warning at once with --allow-missing, else kept. */
static void report_line(struct report *r, const char *msg, const char *allowed)
{
    if (r->cfg->allow_missing)
        cs_log_warn(r->cfg->log, "%s (--allow-missing: %s)", msg, allowed);
    else
        cs_buf_printf(&r->msgs, "%s\n", msg);
    r->lines++;
}

/* The error: one message as it is; several logged and counted. */
static int report_fail(struct report *r, struct cs_error *err)
{
    char *line = r->msgs.data, *nl;

    if (r->lines == 1) {
        line[strcspn(line, "\n")] = '\0';
        return cs_error_set(err, CS_ERR_SERVER, "%s", line);
    }
    for (; line && (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        cs_log_error(r->cfg->log, "%s", line);
    }
    return cs_error_set(err, CS_ERR_SERVER,
                        "%zu kinds of objects cannot be dumped by this user (listed above): "
                        "grant what is missing, leave them out, or pass --allow-missing; "
                        "nothing was dumped",
                        r->lines);
}

static void report_flush(struct report *r)
{
    const struct access_class *k = &classes[r->cls];
    struct cs_buf msg = CS_BUF_INIT;

    if (!r->nnames)
        return;
    cs_buf_printf(&msg, "%s%s%s: GRANT %s ON ", k->what, r->names.len ? " " : "",
                  r->names.len ? r->names.data : "", k->privs);
    if (k->on) {
        cs_buf_puts(&msg, k->on);
    } else {
        cs_quote_ident(&msg, r->schema);
        cs_buf_puts(&msg, ".*");
    }
    cs_buf_printf(&msg, " TO %s, or leave them out with %s, or pass --allow-missing", r->a->user,
                  k->leave);
    if (cs_buf_failed(&msg) || cs_buf_failed(&r->names))
        r->failed = 1;
    else
        report_line(r, msg.data, "dumped without them");
    cs_buf_release(&msg);
    cs_buf_reset(&r->names);
    r->nnames = 0;
}

/* OBJECT (schema-qualified name) of class CLS in SCHEMA cannot be dumped. */
static void report_add(struct report *r, int cls, const char *schema, const char *object)
{
    struct cs_buf note = CS_BUF_INIT;

    if (r->nnames && (cls != r->cls || strcmp(schema, r->schema)))
        report_flush(r);
    r->cls = cls;
    snprintf(r->schema, sizeof(r->schema), "%s", schema);
    if (r->nnames < 8)
        cs_buf_printf(&r->names, "%s%s", r->nnames ? ", " : "", object);
    else if (r->nnames == 8)
        cs_buf_puts(&r->names, " and more");
    r->nnames++;
    cs_buf_printf(&note, "%s%s%s %s", classes[cls].note, *object ? " " : "", object,
                  classes[cls].why);
    if (cs_buf_failed(&note) || dump_catalog_not_dumped(r->cat, note.data) < 0)
        r->failed = 1;
    cs_buf_release(&note);
}

/* Engines whose rows csdump cannot take (empty: the server cannot open the table). */
static const struct {
    const char *engine;
    const char *why;
} foreign_engines[] = {
    {"FEDERATED", "its rows live on another server"},
    {"CONNECT", "its rows live outside the server"},
    {"SPIDER", "its rows live on other servers"},
    {"MRG_MyISAM", "its rows belong to its underlying tables"},
    {"", "the server cannot open it (no engine)"},
};

static const char *foreign_engine(const char *engine)
{
    for (size_t i = 0; i < sizeof(foreign_engines) / sizeof(foreign_engines[0]); i++)
        if (!strcasecmp(engine ? engine : "", foreign_engines[i].engine))
            return foreign_engines[i].why;
    return NULL;
}

static void check_engines(struct report *r, unsigned char *drop)
{
    struct dump_catalog *cat = r->cat;

    for (size_t i = 0; i < cat->ntables; i++) {
        const struct dump_table *t = &cat->tables[i];
        const char *why = foreign_engine(t->engine);
        char line[600];

        if (!why)
            continue;
        drop[i] = 1;
        snprintf(line, sizeof(line),
                 "cannot dump table %s.%s (ENGINE=%s: %s): leave it out "
                 "with --exclude, or pass --allow-missing",
                 t->schema, t->name, *t->engine ? t->engine : "?", why);
        report_line(r, line, "not dumped");
        snprintf(line, sizeof(line), "table %s.%s (ENGINE=%s: %s)", t->schema, t->name,
                 *t->engine ? t->engine : "?", why);
        if (dump_catalog_not_dumped(cat, line) < 0)
            r->failed = 1;
    }
}

/* Tables lacking NEED (class CLS); DROP: they are not dumped at all. */
static void check_tables(struct report *r, int cls, unsigned need, unsigned char *drop)
{
    struct dump_catalog *cat = r->cat;
    struct cs_buf full = CS_BUF_INIT;

    for (size_t i = 0; i < cat->ntables; i++) {
        const struct dump_table *t = &cat->tables[i];
        if (drop[i] || dump_access_allows(r->a, need, t->schema, t->name))
            continue;
        drop[i] = cls == CLS_DATA;
        cs_buf_reset(&full);
        cs_buf_printf(&full, "%s.%s", t->schema, t->name);
        report_add(r, cls, t->schema, full.data ? full.data : "?");
    }
    report_flush(r);
    cs_buf_release(&full);
}

static void check_views(struct report *r, unsigned char *drop)
{
    struct dump_catalog *cat = r->cat;
    struct cs_buf full = CS_BUF_INIT;

    for (size_t i = 0; i < cat->nobjects; i++) {
        const struct dump_object *o = &cat->objects[i];
        if (o->kind != FMT_OBJ_VIEW ||
            dump_access_allows(r->a, DUMP_ACCESS_SELECT | DUMP_ACCESS_SHOW_VIEW, o->schema,
                               o->name))
            continue;
        drop[i] = 1;
        cs_buf_reset(&full);
        cs_buf_printf(&full, "%s.%s", o->schema, o->name);
        report_add(r, CLS_VIEWS, o->schema, full.data ? full.data : "?");
    }
    report_flush(r);
    cs_buf_release(&full);
}

/* Routines are visible with SHOW_ROUTINE or global SELECT (MySQL), SELECT
 * on mysql.proc or SHOW CREATE ROUTINE (MariaDB). */
static int routines_visible(const struct dump_access *a, const struct cs_version *v,
                            const char *schema)
{
    if (dump_access_allows(a, DUMP_ACCESS_SHOW_ROUTINE, schema, NULL))
        return 1;
    if (v->flavor == CS_FLAVOR_MYSQL)
        return dump_access_allows(a, DUMP_ACCESS_SELECT, "*", NULL); /* global only */
    return dump_access_allows(a, DUMP_ACCESS_SELECT, "mysql", "proc");
}

static void check_schemas(struct report *r, const struct cs_version *v)
{
    struct dump_catalog *cat = r->cat;
    int routines = v->flavor == CS_FLAVOR_MYSQL ? CLS_ROUTINES_MYSQL : CLS_ROUTINES_MARIADB;

    for (size_t i = 0; !r->cfg->no_events && i < cat->nschemas; i++)
        if (!dump_access_allows(r->a, DUMP_ACCESS_EVENT, cat->schemas[i], NULL)) {
            report_add(r, CLS_EVENTS, cat->schemas[i], cat->schemas[i]);
            report_flush(r);
        }
    for (size_t i = 0; !r->cfg->no_routines && i < cat->nschemas; i++)
        if (!routines_visible(r->a, v, cat->schemas[i])) {
            report_add(r, routines, "", cat->schemas[i]);
        }
    report_flush(r);
}

int dump_access_check(const struct dump_access *a, const struct dump_config *cfg,
                      const struct cs_version *v, struct dump_catalog *cat, int *accounts,
                      struct cs_error *err)
{
    struct report r = {a, cfg, cat, 0, "", CS_BUF_INIT, 0, 0, 0, CS_BUF_INIT};
    unsigned char *drop_t = calloc(cat->ntables + 1, 1), *drop_o = calloc(cat->nobjects + 1, 1);
    int rc = -1;

    if (!drop_t || !drop_o) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    check_engines(&r, drop_t);
    if (!cfg->no_data) /* --no-data reads no rows */
        check_tables(&r, CLS_DATA, DUMP_ACCESS_SELECT, drop_t);
    if (!cfg->no_triggers)
        check_tables(&r, CLS_TRIGGERS, DUMP_ACCESS_TRIGGER, drop_t);
    if (!cfg->no_views)
        check_views(&r, drop_o);
    check_schemas(&r, v);
    if (*accounts && !dump_access_allows(a, DUMP_ACCESS_SELECT, "mysql", NULL)) {
        report_add(&r, CLS_ACCOUNTS, "", "");
        report_flush(&r);
        *accounts = 0;
    }
    if (r.failed || cs_buf_failed(&r.msgs)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    } else if (r.lines && !cfg->allow_missing) {
        report_fail(&r, err);
    } else {
        dump_catalog_prune(cat, drop_t, drop_o);
        rc = 0;
    }
out:
    cs_buf_release(&r.names);
    cs_buf_release(&r.msgs);
    free(drop_t);
    free(drop_o);
    return rc;
}
