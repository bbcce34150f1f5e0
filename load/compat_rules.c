/* compat_rules.c - the cross-flavor policy for DDL: its tables and what
 * each rule does to one region of a statement (load/compat_int.h). */
#include "load/compat_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define W struct load_compat_rw
#define R struct load_compat_region
#define TO_MARIADB LOAD_COMPAT_TO_MARIADB
#define TO_MYSQL LOAD_COMPAT_TO_MYSQL

enum act { ACT_REPLACE, ACT_DROP, ACT_SRID, ACT_REFUSE };

struct rule {
    enum load_compat_dir dir;
    unsigned ctx;
    const char *pattern; /* tokens; ? matches a number */
    enum act act;
    const char *with; /* ACT_REPLACE */
    unsigned flag;    /* the --compat word the action needs */
    unsigned long min_target;
    const char *why;
    /* why the action cannot carry this definition, or NULL */
    const char *(*check)(const W *w, const R *r);
};

static const char *invisible_needs_default(const W *w, const R *r);

/* Executable comments only the source runs (the target would skip them):
 * the whole comment body must match. */
static const struct rule hidden_rules[] = {
    {TO_MARIADB, LOAD_CTX_COLUMN, "INVISIBLE", ACT_REPLACE, "INVISIBLE", 0, 100303,
     "MariaDB's invisible column", invisible_needs_default},
    {TO_MARIADB, LOAD_CTX_COLUMN, "SRID ?", ACT_SRID, NULL, 0, 0,
     "MariaDB records the SRID but does not refuse values of another one", NULL},
    {TO_MARIADB, LOAD_CTX_INDEX, "INVISIBLE", ACT_REPLACE, "IGNORED", 0, 100600,
     "MariaDB's name for an invisible index", NULL},
    {TO_MARIADB, LOAD_CTX_STATEMENT | LOAD_CTX_OPTIONS, "DEFAULT ENCRYPTION = 'N'", ACT_DROP, NULL,
     0, 0, "not encrypted, MariaDB's default", NULL},
    {TO_MARIADB, LOAD_CTX_OPTIONS, "ENCRYPTION = 'N'", ACT_DROP, NULL, 0, 0,
     "not encrypted, MariaDB's default", NULL},
    {TO_MARIADB, LOAD_CTX_CHECK, "NOT ENFORCED", ACT_REFUSE, NULL, 0, 0,
     "MariaDB enforces every CHECK constraint: rows the source kept could be refused", NULL},
    {TO_MYSQL, LOAD_CTX_COLUMN, "COMPRESSED", ACT_REFUSE, NULL, 0, 0,
     "MySQL has no compressed columns", NULL},
};

#define VERSIONING "MySQL has no system-versioned tables (the dump holds the current rows only)"
#define MARIADB_OPTION "a MariaDB table option MySQL does not have"
#define MYSQL_OPTION "a MySQL table option MariaDB does not have"

/* Clauses the target would reject: matched anywhere in the region. */
static const struct rule clause_rules[] = {
    {TO_MYSQL, LOAD_CTX_OPTIONS | LOAD_CTX_COLUMN, "WITH SYSTEM VERSIONING", ACT_DROP, NULL,
     LOAD_COMPAT_DROP_SYSTEM_VERSIONING, 0, VERSIONING, NULL},
    {TO_MYSQL, LOAD_CTX_COLUMN, "WITHOUT SYSTEM VERSIONING", ACT_DROP, NULL,
     LOAD_COMPAT_DROP_SYSTEM_VERSIONING, 0, VERSIONING, NULL},
    {TO_MYSQL, LOAD_CTX_COLUMN, "GENERATED ALWAYS AS ROW", ACT_REFUSE, NULL, 0, 0,
     "a system-time column: MySQL has none", NULL},
    {TO_MYSQL, LOAD_CTX_OTHER, "PERIOD FOR", ACT_REFUSE, NULL, 0, 0, "MySQL has no periods", NULL},
    {TO_MYSQL, LOAD_CTX_OPTIONS, "SYSTEM_TIME", ACT_REFUSE, NULL, 0, 0,
     "partitioning by system time: MySQL has none", NULL},
    {TO_MYSQL, LOAD_CTX_INDEX, "IGNORED", ACT_REPLACE, "INVISIBLE", 0, 80000,
     "MySQL's name for an ignored index", NULL},
    {TO_MYSQL, LOAD_CTX_OPTIONS, "PAGE_CHECKSUM", ACT_REFUSE, NULL, 0, 0, MARIADB_OPTION, NULL},
    {TO_MYSQL, LOAD_CTX_OPTIONS, "TRANSACTIONAL", ACT_REFUSE, NULL, 0, 0, MARIADB_OPTION, NULL},
    {TO_MYSQL, LOAD_CTX_OPTIONS, "PAGE_COMPRESSED", ACT_REFUSE, NULL, 0, 0, MARIADB_OPTION, NULL},
    {TO_MYSQL, LOAD_CTX_OPTIONS, "PAGE_COMPRESSION_LEVEL", ACT_REFUSE, NULL, 0, 0, MARIADB_OPTION,
     NULL},
    {TO_MYSQL, LOAD_CTX_OPTIONS, "ENCRYPTED", ACT_REFUSE, NULL, 0, 0, MARIADB_OPTION, NULL},
    {TO_MYSQL, LOAD_CTX_OPTIONS, "ENCRYPTION_KEY_ID", ACT_REFUSE, NULL, 0, 0, MARIADB_OPTION, NULL},
    {TO_MYSQL, LOAD_CTX_OPTIONS, "SEQUENCE", ACT_REFUSE, NULL, 0, 0, "a sequence: MySQL has none",
     NULL},
    {TO_MARIADB, LOAD_CTX_STATEMENT, "DISABLE ON REPLICA", ACT_REPLACE, "DISABLE ON SLAVE", 0, 0,
     "MariaDB's words for an event the replica does not run", NULL},
    {TO_MARIADB, LOAD_CTX_INDEX, "WITH PARSER", ACT_REFUSE, NULL, 0, 0,
     "MariaDB has no ngram or MeCab full-text parser", NULL},
    {TO_MARIADB, LOAD_CTX_OPTIONS, "COMPRESSION", ACT_REFUSE, NULL, 0, 0, MYSQL_OPTION, NULL},
    {TO_MARIADB, LOAD_CTX_OPTIONS, "SECONDARY_ENGINE", ACT_REFUSE, NULL, 0, 0, MYSQL_OPTION, NULL},
    {TO_MARIADB, LOAD_CTX_OPTIONS, "AUTOEXTEND_SIZE", ACT_REFUSE, NULL, 0, 0, MYSQL_OPTION, NULL},
    {TO_MARIADB, LOAD_CTX_OPTIONS, "ENGINE_ATTRIBUTE", ACT_REFUSE, NULL, 0, 0, MYSQL_OPTION, NULL},
};

static const char *functional_index(const W *w, const R *r);
static const char *vector_index(const W *w, const R *r);

/* Indexes the target cannot build: refused, or left out with a flag. */
static const struct dropper {
    enum load_compat_dir dir;
    const char *(*test)(const W *w, const R *r); /* what it is, or NULL */
    unsigned flag;
    const char *why;
} droppers[] = {
    {TO_MARIADB, functional_index, LOAD_COMPAT_SKIP_FUNCTIONAL_INDEXES,
     "MariaDB has no functional or multi-valued indexes"},
    {TO_MYSQL, vector_index, LOAD_COMPAT_SKIP_VECTOR_INDEXES, "MySQL has no vector indexes"},
};

/* Column types one flavor lacks or keeps differently. */
static const struct type_rule {
    enum load_compat_dir dir;
    const char *type;
    const char *with; /* the target's type; NULL: kept as it is */
    unsigned flag;    /* needed for WITH */
    unsigned long min_target;
    const char *why;
} type_rules[] = {
    {TO_MYSQL, "uuid", "char(36) CHARACTER SET ascii COLLATE ascii_bin",
     LOAD_COMPAT_MARIADB_TYPES_AS_TEXT, 0, "MySQL has no UUID type"},
    {TO_MYSQL, "inet4", "varchar(15) CHARACTER SET ascii COLLATE ascii_bin",
     LOAD_COMPAT_MARIADB_TYPES_AS_TEXT, 0, "MySQL has no INET4 type"},
    {TO_MYSQL, "inet6", "varchar(45) CHARACTER SET ascii COLLATE ascii_bin",
     LOAD_COMPAT_MARIADB_TYPES_AS_TEXT, 0, "MySQL has no INET6 type"},
    {TO_MYSQL, "vector", NULL, 0, 90000, "MySQL's VECTOR holds the same 4-byte floats"},
    {TO_MARIADB, "vector", NULL, 0, 110700, "MariaDB's VECTOR holds the same 4-byte floats"},
    {TO_MARIADB, "json", NULL, 0, 0,
     "MariaDB's JSON is LONGTEXT checked by JSON_VALID: the text is kept, MySQL's binary "
     "scalar types (DECIMAL, dates, opaque) are not"},
};

/* Storage engines each flavor has; any other is refused. */
static const struct {
    const char *name;
    unsigned char mysql, mariadb;
} engines[] = {
    {"InnoDB", 1, 1},  {"MyISAM", 1, 1},    {"MEMORY", 1, 1},     {"CSV", 1, 1},
    {"ARCHIVE", 1, 1}, {"BLACKHOLE", 1, 1}, {"MRG_MyISAM", 1, 1}, {"Aria", 0, 1},
};

/* Functions MySQL takes as a DEFAULT without parentheses. */
static const char *const bare_defaults[] = {"current_timestamp", "now", "localtime",
                                            "localtimestamp"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- checks -------------------------------------------------------------------- */

static const char *invisible_needs_default(const W *w, const R *r)
{
    if (load_compat_rw_region_has(w, r, "NOT NULL") &&
        !load_compat_rw_region_has(w, r, "DEFAULT") &&
        !load_compat_rw_region_has(w, r, "AUTO_INCREMENT") &&
        !load_compat_rw_region_has(w, r, "GENERATED"))
        return "MariaDB wants a NOT NULL invisible column to have a default";
    return NULL;
}

/* A MySQL index with an expression key part (multi-valued: CAST ... ARRAY). */
static const char *functional_index(const W *w, const R *r)
{
    size_t i = r->a, close;
    int part_start = 1, expr = 0, array = 0;

    if (r->ctx != LOAD_CTX_INDEX)
        return NULL;
    while (i < r->b && !load_compat_rw_punct(w, i, '('))
        i++;
    close = load_compat_rw_matching(w, i, r->b);
    for (size_t k = i + 1; k < close; k++) {
        if (part_start && load_compat_rw_punct(w, k, '('))
            expr = 1;
        part_start = load_compat_rw_punct(w, k, ',');
        if (load_compat_rw_punct(w, k, '(')) {
            size_t end = load_compat_rw_matching(w, k, close);
            for (size_t j = k; j < end; j++)
                array |= load_compat_rw_word(w, j, "ARRAY");
            k = end;
        }
    }
    return !expr ? NULL : array ? "a multi-valued index" : "a functional index";
}

static const char *vector_index(const W *w, const R *r)
{
    return r->ctx == LOAD_CTX_INDEX && load_compat_rw_word(w, r->a, "VECTOR") ? "a vector index"
                                                                              : NULL;
}

/* Rule RU's action is not allowed here (said in REFUSALS): 1; else 0. */
static int refused(W *w, const R *r, const struct rule *ru, const char *what)
{
    const char *why = NULL;
    struct load_compat_list *no = &w->out->refusals;

    if (ru->act == ACT_REFUSE)
        load_compat_rw_say(no, r, "%s: %s", what, ru->why);
    else if (ru->min_target > w->p->target_version)
        load_compat_rw_say(no, r, "%s: needs %s %lu.%lu or later (%s)", what,
                           load_compat_rw_target(w), ru->min_target / 10000,
                           ru->min_target / 100 % 100, ru->why);
    else if (ru->flag && !(w->p->flags & ru->flag))
        load_compat_rw_say(no, r, "%s: %s; %s loads it without that", what, ru->why,
                           load_compat_flag_option(ru->flag));
    else if (ru->check && (why = ru->check(w, r)))
        load_compat_rw_say(no, r, "%s: %s", what, why);
    else
        return 0;
    return 1;
}

/* ---- definitions left out -------------------------------------------------------- */

/* Removes definition K of V (LAST: the last one kept), comma included. */
static void drop_def(W *w, R *v, size_t k, size_t last)
{
    size_t from, to;

    if (k < last) {
        from = w->f[v[k].a].off;
        to = w->f[v[k + 1].a].off;
    } else {
        const struct load_tok *prev = &w->f[v[k - 1].b - 1], *end = &w->f[v[k].b - 1];
        from = prev->off + prev->len;
        to = end->off + end->len;
    }
    load_compat_rw_edit(w, from, to - from, NULL);
}

static int in_comment(const W *w, const R *r)
{
    for (size_t i = r->a; i <= r->b && i < w->nf; i++)
        if (w->box[i])
            return 1;
    return 0;
}

void load_compat_rules_drops(W *w, R *v, size_t n)
{
    size_t last = 0;

    for (size_t k = 1; k + 1 < n; k++) {
        for (size_t d = 0; d < COUNT(droppers) && !v[k].dropped; d++) {
            const char *what = droppers[d].dir == w->p->dir ? droppers[d].test(w, &v[k]) : NULL;
            if (!what)
                continue;
            if (!(w->p->flags & droppers[d].flag)) {
                load_compat_rw_say(&w->out->refusals, &v[k],
                                   "%s: %s; %s loads the table "
                                   "without it",
                                   what, droppers[d].why,
                                   load_compat_flag_option(droppers[d].flag));
                continue;
            }
            if (in_comment(w, &v[k])) {
                load_compat_rw_say(&w->out->refusals, &v[k],
                                   "%s: %s, and it sits in an "
                                   "executable comment it cannot be "
                                   "cut out of",
                                   what, droppers[d].why);
                continue;
            }
            v[k].dropped = 1;
            load_compat_rw_say(&w->out->changes, &v[k], "%s left out (%s: %s)", what,
                               load_compat_flag_option(droppers[d].flag), droppers[d].why);
        }
        if (!v[k].dropped)
            last = k;
    }
    for (size_t k = 1; k + 1 < n && last; k++)
        if (v[k].dropped)
            drop_def(w, v, k, last);
}

/* ---- one region ------------------------------------------------------------------ */

static size_t significant_only(struct load_tok *v, size_t n)
{
    size_t j = 0;

    for (size_t k = 0; k < n; k++)
        if (load_sqltok_significant(&v[k]))
            v[j++] = v[k];
    return j;
}

static void hidden_act(W *w, R *r, size_t i, const struct rule *ru, const struct load_toks *body,
                       const char *what)
{
    const struct load_tok *c = &w->f[i];
    char srid[48] = "";

    if (ru->act == ACT_SRID && !r->type_end) {
        load_compat_rw_say(&w->out->refusals, r, "%s: no column type to put it after", what);
        return;
    }
    if (ru->act == ACT_REPLACE) {
        load_compat_rw_edit(w, c->off, c->len, ru->with);
    } else {
        load_compat_rw_delete(w, i, 1);
    }
    if (ru->act == ACT_SRID) {
        snprintf(srid, sizeof(srid), " REF_SYSTEM_ID=%.*s", (int)body->v[1].len,
                 w->s + body->v[1].off);
        load_compat_rw_edit(w, r->type_end, 0, srid);
    }
    if (ru->act == ACT_DROP)
        load_compat_rw_say(&w->out->changes, r, "%s left out (%s)", what, ru->why);
    else
        load_compat_rw_say(&w->out->changes, r, "%s -> %s (%s)", what,
                           ru->act == ACT_SRID ? srid + 1 : ru->with, ru->why);
}

/* Executable comment at flat I that only one side runs. */
static void hidden_comment(W *w, R *r, size_t i)
{
    const struct load_tok *c = &w->f[i];
    struct load_toks body = {0};
    char what[160];
    size_t k;

    load_compat_rw_text(w, i, 1, what, sizeof(what));
    if (!load_compat_rw_source_runs(w, c)) {
        load_compat_rw_delete(w, i, 1);
        load_compat_rw_say(&w->out->changes, r, "%s left out (the source did not run it)", what);
        return;
    }
    if (load_sqltok_split(w->s, c->body_off, c->body_off + c->body_len, w->backslash, &body) < 0) {
        w->oom = 1;
        return;
    }
    body.n = significant_only(body.v, body.n);
    for (k = 0; k < COUNT(hidden_rules); k++) {
        const struct rule *ru = &hidden_rules[k];
        if (ru->dir == w->p->dir && (ru->ctx & r->ctx) && body.n &&
            load_compat_rw_match(w->s, body.v, body.n, 0, ru->pattern) == body.n)
            break;
    }
    if (k == COUNT(hidden_rules))
        load_compat_rw_say(&w->out->refusals, r,
                           "%s: %s-only syntax %s would skip, and the policy has no translation "
                           "for it",
                           what, w->p->dir == TO_MYSQL ? "MariaDB" : "MySQL",
                           load_compat_rw_target(w));
    else if (!refused(w, r, &hidden_rules[k], what))
        hidden_act(w, r, i, &hidden_rules[k], &body, what);
    load_sqltok_release(&body);
}

static void comments(W *w, R *r)
{
    for (size_t i = r->a; i < r->b; i++) {
        const struct load_tok *c = &w->f[i];
        if (c->kind != LOAD_TOK_VERSIONED || c->open || w->box[i])
            continue; /* inside a comment both run: kept as it is */
        if (load_compat_rw_source_runs(w, c) || load_compat_rw_target_runs(w, c))
            hidden_comment(w, r, i);
    }
}

static void clause_act(W *w, R *r, size_t i, size_t n, const struct rule *ru, const char *what)
{
    const char *flag = ru->flag ? load_compat_flag_option(ru->flag) : NULL;

    if (ru->act == ACT_REPLACE) {
        size_t end = w->f[i + n - 1].off + w->f[i + n - 1].len;
        load_compat_rw_edit(w, w->f[i].off, end - w->f[i].off, ru->with);
        load_compat_rw_say(&w->out->changes, r, "%s -> %s (%s)", what, ru->with, ru->why);
        return;
    }
    load_compat_rw_delete(w, i, n);
    load_compat_rw_say(&w->out->changes, r, "%s left out (%s%s%s)", what, flag ? flag : "",
                       flag ? ": " : "", ru->why);
}

static void clauses(W *w, R *r)
{
    char what[160];
    size_t n;

    for (size_t i = r->a; i < r->b; i++)
        for (size_t k = 0; k < COUNT(clause_rules); k++) {
            const struct rule *ru = &clause_rules[k];
            if (ru->dir != w->p->dir || !(ru->ctx & r->ctx) ||
                !(n = load_compat_rw_match(w->s, w->f, r->b, i, ru->pattern)))
                continue;
            load_compat_rw_text(w, i, n, what, sizeof(what));
            if (!refused(w, r, ru, what))
                clause_act(w, r, i, n, ru, what);
            i += n - 1;
            break;
        }
}

static void count_collation(W *w, const char *from, const char *to, const char *why)
{
    size_t i;

    for (i = 0; i < w->ncoll; i++)
        if (!strcmp(w->coll[i].from, from) && !strcmp(w->coll[i].to, to))
            break;
    if (i == COUNT(w->coll)) { /* full: say it at once */
        load_compat_list_add(&w->out->changes, "collation %s -> %s (%s)", from, to, why);
        return;
    }
    if (i == w->ncoll) {
        snprintf(w->coll[i].from, sizeof(w->coll[i].from), "%s", from);
        snprintf(w->coll[i].to, sizeof(w->coll[i].to), "%s", to);
        w->coll[i].why = why;
        w->ncoll++;
    }
    w->coll[i].count++;
}

/* The collation name at flat J (a word or a 'string'). */
static void collation_at(W *w, size_t j)
{
    const struct load_tok *t = &w->f[j];
    int quoted = t->kind == LOAD_TOK_STRING;
    size_t len = t->len - (quoted ? 2 : 0);
    char name[64], buf[64], with[72];
    const char *to, *why = "";

    if (!len || len >= sizeof(name)) {
        load_compat_list_add(&w->out->refusals, "collation %.*s: not a collation name",
                             (int)(t->len > 80 ? 80 : t->len), w->s + t->off);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        char c = w->s[t->off + (size_t)quoted + i];
        name[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    name[len] = '\0';
    to = load_compat_collation(w->p, name, buf, sizeof(buf), &why);
    if (!to) {
        load_compat_list_add(&w->out->refusals,
                             "collation %s: %s has no such collation, and none the policy "
                             "counts as close",
                             name, load_compat_rw_target(w));
        return;
    }
    if (!strcmp(to, name))
        return;
    snprintf(with, sizeof(with), "%s%s%s", quoted ? "'" : "", to, quoted ? "'" : "");
    load_compat_rw_edit(w, t->off, t->len, with);
    count_collation(w, name, to, why);
}

static void collations(W *w, R *r)
{
    for (size_t i = r->a; i + 1 < r->b; i++) {
        size_t j = i + 1;
        if (!load_compat_rw_word(w, i, "COLLATE"))
            continue;
        j += load_compat_rw_punct(w, j, '=');
        if (j < r->b && (w->f[j].kind == LOAD_TOK_WORD || w->f[j].kind == LOAD_TOK_STRING))
            collation_at(w, j);
    }
}

void load_compat_rules_finish(W *w)
{
    for (size_t i = 0; i < w->ncoll; i++) {
        const struct load_compat_coll *c = &w->coll[i];
        load_compat_list_add(&w->out->changes, "collation %s -> %s (%s)%s", c->from, c->to, c->why,
                             c->count > 1 ? ", several places" : "");
    }
}

static void column_type_rule(W *w, R *r, const struct type_rule *tr, size_t t)
{
    struct load_compat_list *no = &w->out->refusals;
    const char *flag = tr->flag ? load_compat_flag_option(tr->flag) : "";
    char type[96];

    snprintf(type, sizeof(type), "%.*s", (int)(r->type_end - w->f[t].off), w->s + w->f[t].off);
    if (tr->min_target > w->p->target_version)
        load_compat_rw_say(no, r, "%s: needs %s %lu.%lu or later", type, load_compat_rw_target(w),
                           tr->min_target / 10000, tr->min_target / 100 % 100);
    else if (tr->with && tr->flag && !(w->p->flags & tr->flag))
        load_compat_rw_say(no, r, "%s: %s; %s loads its text form as %s", type, tr->why, flag,
                           tr->with);
    else if (tr->with) {
        load_compat_rw_edit(w, w->f[t].off, r->type_end - w->f[t].off, tr->with);
        load_compat_rw_say(&w->out->changes, r, "%s -> %s (%s: %s, its text form is kept)", type,
                           tr->with, flag, tr->why);
    } else {
        load_compat_rw_say(&w->out->changes, r, "%s kept (%s)", type, tr->why);
    }
}

static void column_types(W *w, R *r)
{
    size_t t = r->a + 1;

    if (!r->type_end)
        return;
    for (size_t k = 0; k < COUNT(type_rules); k++)
        if (type_rules[k].dir == w->p->dir && load_sqltok_is(w->s, &w->f[t], type_rules[k].type)) {
            column_type_rule(w, r, &type_rules[k], t);
            return;
        }
}

/* MariaDB's DEFAULT f(...) is DEFAULT (f(...)) for MySQL. */
static void defaults(W *w, R *r)
{
    char what[160];

    for (size_t i = r->a; i + 2 < r->b; i++) {
        size_t close, k;
        if (!load_compat_rw_word(w, i, "DEFAULT") || w->f[i + 1].kind != LOAD_TOK_WORD ||
            !load_compat_rw_punct(w, i + 2, '('))
            continue;
        for (k = 0; k < COUNT(bare_defaults); k++)
            if (load_sqltok_is(w->s, &w->f[i + 1], bare_defaults[k]))
                break;
        close = load_compat_rw_matching(w, i + 2, r->b);
        if (k < COUNT(bare_defaults) || close >= r->b)
            continue;
        load_compat_rw_edit(w, w->f[i + 1].off, 0, "(");
        load_compat_rw_edit(w, w->f[close].off + 1, 0, ")");
        load_compat_rw_text(w, i + 1, close - i, what, sizeof(what));
        load_compat_rw_say(&w->out->changes, r,
                           "DEFAULT %s -> DEFAULT (%s) (MySQL takes an expression default in "
                           "parentheses)",
                           what, what);
    }
}

static void engine(W *w, R *r)
{
    for (size_t i = r->a; i + 1 < r->b; i++) {
        size_t j = i + 1, k;
        if (!load_compat_rw_word(w, i, "ENGINE"))
            continue;
        j += load_compat_rw_punct(w, j, '=');
        if (j >= r->b || w->f[j].kind != LOAD_TOK_WORD)
            continue;
        for (k = 0; k < COUNT(engines); k++)
            if (load_sqltok_is(w->s, &w->f[j], engines[k].name))
                break;
        if (k == COUNT(engines) || !(w->p->dir == TO_MYSQL ? engines[k].mysql : engines[k].mariadb))
            load_compat_rw_say(&w->out->refusals, r,
                               "ENGINE=%.*s: %s has no such storage engine (convert the table "
                               "on the source first)",
                               (int)w->f[j].len, w->s + w->f[j].off, load_compat_rw_target(w));
    }
}

void load_compat_rules_region(W *w, R *r)
{
    comments(w, r);
    clauses(w, r);
    collations(w, r);
    if (r->ctx == LOAD_CTX_COLUMN) {
        column_types(w, r);
        if (w->p->dir == TO_MYSQL)
            defaults(w, r);
    }
    if (r->ctx == LOAD_CTX_OPTIONS)
        engine(w, r);
}
