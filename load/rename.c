#include "load/rename.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/quote.h"
#include "load/sqltok.h"

/* ITEM split at its first ':': *OLD (*OLDLEN bytes) and *NEW_NAME. */
static int split_item(const char *item, const char **old, size_t *oldlen, const char **new_name)
{
    const char *colon = strchr(item, ':');

    *old = *new_name = "";
    *oldlen = 0;
    if (!colon)
        return -1;
    *old = item;
    *oldlen = (size_t)(colon - item);
    *new_name = colon + 1;
    return *oldlen && **new_name ? 0 : -1;
}

int load_rename_check(const struct load_config *cfg, struct cs_error *err)
{
    for (size_t i = 0; i < cfg->nrenames; i++) {
        const char *old, *nw, *o2, *n2;
        size_t ol, ol2;

        if (split_item(cfg->renames[i], &old, &ol, &nw) < 0)
            return cs_error_set(err, CS_ERR_USAGE,
                                "--rename-schema=%s: expected OLD:NEW (the dump's schema, the "
                                "name to load it as)",
                                cfg->renames[i]);
        if (strlen(nw) == ol && !strncmp(old, nw, ol))
            return cs_error_set(err, CS_ERR_USAGE,
                                "--rename-schema=%s: the new name is the old one", cfg->renames[i]);
        for (size_t k = 0; k < i; k++) {
            split_item(cfg->renames[k], &o2, &ol2, &n2);
            if (ol == ol2 && !strncmp(old, o2, ol))
                return cs_error_set(
                    err, CS_ERR_USAGE,
                    "--rename-schema=%s: %.*s is renamed already (--rename-schema=%s)",
                    cfg->renames[i], (int)ol, old, cfg->renames[k]);
            if (!strcmp(nw, n2))
                return cs_error_set(err, CS_ERR_USAGE,
                                    "--rename-schema=%s and --rename-schema=%s: two schemas "
                                    "cannot both load as %s",
                                    cfg->renames[k], cfg->renames[i], nw);
        }
        for (size_t k = 0; k < cfg->nrenames; k++) {
            split_item(cfg->renames[k], &o2, &ol2, &n2);
            if (k != i && strlen(nw) == ol2 && !strncmp(nw, o2, ol2))
                return cs_error_set(err, CS_ERR_USAGE,
                                    "--rename-schema=%s: %s is renamed itself "
                                    "(--rename-schema=%s); rename in one step",
                                    cfg->renames[i], nw, cfg->renames[k]);
        }
    }
    return 0;
}

const char *load_rename_map(const struct load_config *cfg, const char *schema)
{
    for (size_t i = 0; i < cfg->nrenames; i++) {
        const char *old, *nw;
        size_t ol;

        if (split_item(cfg->renames[i], &old, &ol, &nw) == 0 && strlen(schema) == ol &&
            !strncmp(schema, old, ol))
            return nw;
    }
    return schema;
}

static int has_schema(const struct fmt_manifest *m, const char *s, size_t len)
{
    for (size_t i = 0; i < m->ntables; i++)
        if (strlen(m->tables[i].schema) == len && !strncmp(m->tables[i].schema, s, len))
            return 1;
    for (size_t i = 0; i < m->nobjects; i++)
        if (strlen(m->objects[i].schema) == len && !strncmp(m->objects[i].schema, s, len))
            return 1;
    return 0;
}

static int rename_field(const struct load_config *cfg, char **field)
{
    const char *to = load_rename_map(cfg, *field);
    char *copy;

    if (to == *field)
        return 0;
    copy = strdup(to);
    if (!copy)
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

int load_rename_manifest(const struct load_config *cfg, struct fmt_manifest *m,
                         struct cs_error *err)
{
    for (size_t i = 0; i < cfg->nrenames; i++) {
        const char *old, *nw;
        size_t ol;

        split_item(cfg->renames[i], &old, &ol, &nw);
        if (!has_schema(m, old, ol))
            return cs_error_set(err, CS_ERR_USAGE,
                                "--rename-schema=%s: the dump has no schema %.*s (names are "
                                "case-sensitive)",
                                cfg->renames[i], (int)ol, old);
        if (has_schema(m, nw, strlen(nw)) && load_rename_map(cfg, nw) == nw)
            return cs_error_set(err, CS_ERR_USAGE,
                                "--rename-schema=%s: the dump has a schema %s already; the two "
                                "would load into one",
                                cfg->renames[i], nw);
    }
    for (size_t i = 0; i < m->ntables; i++)
        if (rename_field(cfg, &m->tables[i].schema) < 0)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < m->nobjects; i++) {
        struct fmt_object *o = &m->objects[i];
        if (rename_field(cfg, &o->schema) < 0 ||
            (o->kind == FMT_OBJ_DATABASE && rename_field(cfg, &o->name) < 0))
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    return 0;
}

/* ---- tokens ----------------------------------------------------------- */

/* The tokens of TEXT, each executable comment replaced by its body's. */
static int tokens(const char *text, int backslash, struct load_toks *out)
{
    struct load_toks top = {0};
    int rc = load_sqltok_split(text, 0, strlen(text), backslash, &top);

    for (size_t i = 0; rc == 0 && i < top.n; i++) {
        const struct load_tok *t = &top.v[i];

        if (t->kind == LOAD_TOK_VERSIONED)
            rc = load_sqltok_split(text, t->body_off, t->body_off + t->body_len, backslash, out);
        else
            rc = load_sqltok_split(text, t->off, t->off + t->len, backslash, out);
    }
    load_sqltok_release(&top);
    return rc;
}

/* An identifier or a bare word: a name part. */
static int is_name(const struct load_tok *t)
{
    return t->kind == LOAD_TOK_WORD || (t->kind == LOAD_TOK_IDENT && !t->open);
}

static int is_dot(const char *text, const struct load_tok *t)
{
    return t->kind == LOAD_TOK_PUNCT && text[t->off] == '.';
}

/* "db.*" of a GRANT: a reference to the schema too. */
static int is_star(const char *text, const struct load_tok *t)
{
    return t->kind == LOAD_TOK_PUNCT && text[t->off] == '*';
}

/* The name T holds, unquoted (malloc'd); "*" for a star. */
static char *name_of(const char *text, const struct load_tok *t)
{
    struct cs_buf b = CS_BUF_INIT;

    if (t->kind == LOAD_TOK_WORD || t->kind == LOAD_TOK_PUNCT) {
        cs_buf_append(&b, text + t->off, t->len);
    } else {
        for (size_t i = t->off + 1; i + 1 < t->off + t->len; i++) {
            cs_buf_putc(&b, text[i]);
            if (text[i] == '`')
                i++; /* doubled */
        }
        cs_buf_puts(&b, "");
    }
    return cs_buf_detach(&b);
}

/* The significant tokens of TEXT, in order (indexes into TOKS). */
static size_t *significant(const struct load_toks *toks, size_t *n)
{
    size_t *v = calloc(toks->n + 1, sizeof(size_t));

    *n = 0;
    for (size_t i = 0; v && i < toks->n; i++)
        if (load_sqltok_significant(&toks->v[i]) && toks->v[i].kind != LOAD_TOK_VERSIONED)
            v[(*n)++] = i;
    return v;
}

int load_rename_refs(const char *text, int backslash, struct load_qref **refs, size_t *n)
{
    struct load_toks toks = {0};
    size_t *sig = NULL, ns = 0, cap = 0;
    int rc = -1;

    *refs = NULL;
    *n = 0;
    if (tokens(text, backslash, &toks) < 0 || !(sig = significant(&toks, &ns)))
        goto out;
    for (size_t k = 0; k + 2 < ns; k++) {
        const struct load_tok *a = &toks.v[sig[k]], *d = &toks.v[sig[k + 1]],
                              *b = &toks.v[sig[k + 2]];
        struct load_qref *r;

        if (!is_name(a) || !is_dot(text, d) || !(is_name(b) || is_star(text, b)) ||
            (k > 0 && is_dot(text, &toks.v[sig[k - 1]])))
            continue;
        if (*n == cap) {
            struct load_qref *p = realloc(*refs, (cap ? 2 * cap : 16) * sizeof(*p));
            if (!p)
                goto out;
            *refs = p;
            cap = cap ? 2 * cap : 16;
        }
        r = &(*refs)[(*n)++];
        r->off = a->off;
        r->len = a->len;
        r->a = name_of(text, a);
        r->b = name_of(text, b);
        if (!r->a || !r->b)
            goto out;
    }
    rc = 0;
out:
    if (rc < 0) {
        load_rename_refs_free(*refs, *n);
        *refs = NULL;
        *n = 0;
    }
    free(sig);
    load_sqltok_release(&toks);
    return rc;
}

void load_rename_refs_free(struct load_qref *refs, size_t n)
{
    for (size_t i = 0; refs && i < n; i++) {
        free(refs[i].a);
        free(refs[i].b);
    }
    free(refs);
}

/* CREATE DATABASE|SCHEMA [IF NOT EXISTS] name: NAME's token, or NULL. */
static const struct load_tok *database_name(const char *text, const struct load_toks *toks,
                                            const size_t *sig, size_t ns)
{
    size_t k = 2;

    if (ns < 3 || !load_sqltok_is(text, &toks->v[sig[0]], "CREATE") ||
        (!load_sqltok_is(text, &toks->v[sig[1]], "DATABASE") &&
         !load_sqltok_is(text, &toks->v[sig[1]], "SCHEMA")))
        return NULL;
    if (ns > 5 && load_sqltok_is(text, &toks->v[sig[2]], "IF") &&
        load_sqltok_is(text, &toks->v[sig[3]], "NOT") &&
        load_sqltok_is(text, &toks->v[sig[4]], "EXISTS"))
        k = 5;
    return is_name(&toks->v[sig[k]]) ? &toks->v[sig[k]] : NULL;
}

/* A span of TEXT to replace with NEW (quoted). */
struct edit {
    size_t off, len;
    const char *to;
};

static int cmp_edit(const void *x, const void *y)
{
    const struct edit *a = x, *b = y;
    return (a->off > b->off) - (a->off < b->off);
}

int load_rename_text(const struct load_config *cfg, int backslash, char **text,
                     struct cs_error *err)
{
    struct load_qref *refs = NULL;
    struct load_toks toks = {0};
    struct edit *ed = NULL;
    size_t nrefs = 0, ns = 0, ne = 0, *sig = NULL, at = 0;
    struct cs_buf out = CS_BUF_INIT;
    const struct load_tok *db;
    int rc = -1;

    if (!cfg->nrenames)
        return 0;
    if (load_rename_refs(*text, backslash, &refs, &nrefs) < 0 ||
        tokens(*text, backslash, &toks) < 0 || !(sig = significant(&toks, &ns)) ||
        !(ed = calloc(nrefs + 2, sizeof(*ed))))
        goto out;
    for (size_t i = 0; i < nrefs; i++) {
        const char *to = load_rename_map(cfg, refs[i].a);
        if (to != refs[i].a)
            ed[ne++] = (struct edit){refs[i].off, refs[i].len, to};
    }
    db = database_name(*text, &toks, sig, ns);
    if (db) {
        char *name = name_of(*text, db);
        const char *to = name ? load_rename_map(cfg, name) : NULL;
        if (!name)
            goto out;
        if (to != name)
            ed[ne++] = (struct edit){db->off, db->len, to};
        free(name); /* TO points into cfg, not NAME, when it differs */
    }
    if (!ne) {
        rc = 0;
        goto out;
    }
    qsort(ed, ne, sizeof(*ed), cmp_edit);
    for (size_t i = 0; i < ne; i++) {
        cs_buf_append(&out, *text + at, ed[i].off - at);
        cs_quote_ident(&out, ed[i].to);
        at = ed[i].off + ed[i].len;
    }
    cs_buf_puts(&out, *text + at);
    if (cs_buf_failed(&out))
        goto out;
    free(*text);
    *text = cs_buf_detach(&out);
    rc = *text ? 0 : -1;
out:
    cs_buf_release(&out);
    load_rename_refs_free(refs, nrefs);
    load_sqltok_release(&toks);
    free(sig);
    free(ed);
    return rc < 0 ? cs_error_set(err, CS_ERR_NOMEM, "out of memory renaming schemas") : 0;
}

void load_rename_repl_hint(const struct load_config *cfg, struct cs_buf *b)
{
    cs_buf_puts(b, "on MariaDB (10.11 and later; older: the replicate-rewrite-db option) "
                   "SET GLOBAL replicate_rewrite_db = '");
    for (size_t i = 0; i < cfg->nrenames; i++) {
        const char *old, *nw;
        size_t ol;
        split_item(cfg->renames[i], &old, &ol, &nw);
        cs_buf_printf(b, "%s%.*s->%s", i ? "," : "", (int)ol, old, nw);
    }
    cs_buf_puts(b, "'; on MySQL CHANGE REPLICATION FILTER REPLICATE_REWRITE_DB = (");
    for (size_t i = 0; i < cfg->nrenames; i++) {
        const char *old, *nw;
        size_t ol;
        split_item(cfg->renames[i], &old, &ol, &nw);
        cs_buf_printf(b, "%s(%.*s, %s)", i ? ", " : "", (int)ol, old, nw);
    }
    cs_buf_puts(b, ")");
}
