#include "load/grant.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

/* ---- tokens --------------------------------------------------------------- */

static char unescape(char c)
{
    switch (c) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case '0':
        return '\0';
    case 'Z':
        return '\032';
    case 'b':
        return '\b';
    default:
        return c;
    }
}

char *load_grant_tok_value(const char *text, const struct load_tok *t)
{
    struct cs_buf b = CS_BUF_INIT;
    const char *s = text + t->off;
    size_t n = t->len;

    if ((t->kind == LOAD_TOK_IDENT || t->kind == LOAD_TOK_STRING) && n >= 2 && !t->open) {
        char q = s[0];
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '\\' && q != '`' && i + 2 < n)
                cs_buf_putc(&b, unescape(s[++i]));
            else if (s[i] == q && i + 2 < n && s[i + 1] == q)
                cs_buf_putc(&b, s[i++]);
            else
                cs_buf_putc(&b, s[i]);
        }
    } else {
        cs_buf_append(&b, s, n);
    }
    return cs_buf_detach(&b);
}

/* The significant tokens of TEXT (spaces and plain comments dropped). */
static int sig_tokens(const char *text, struct load_toks *out)
{
    struct load_toks all = {0};
    size_t k = 0;

    memset(out, 0, sizeof(*out));
    if (load_sqltok_split(text, 0, strlen(text), 1, &all) < 0)
        return -1;
    for (size_t i = 0; i < all.n; i++)
        if (load_sqltok_significant(&all.v[i]))
            all.v[k++] = all.v[i];
    all.n = k;
    *out = all;
    return 0;
}

static int is_punct(const char *text, const struct load_tok *t, char c)
{
    return t->kind == LOAD_TOK_PUNCT && text[t->off] == c;
}

/* ---- split ----------------------------------------------------------------- */

void load_grant_free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int push_stmt(const char *text, size_t from, size_t to, char ***out, size_t *n)
{
    char **v;

    while (from < to && strchr(" \t\r\n", text[from]))
        from++;
    while (to > from && strchr(" \t\r\n", text[to - 1]))
        to--;
    if (from == to)
        return 0;
    v = realloc(*out, (*n + 1) * sizeof(char *));
    if (!v)
        return -1;
    *out = v;
    if (!(v[*n] = strndup(text + from, to - from)))
        return -1;
    (*n)++;
    return 0;
}

int load_grant_split(const char *text, char ***out, size_t *n)
{
    struct load_toks t = {0};
    size_t from = 0;
    int rc = 0;

    *out = NULL;
    *n = 0;
    if (load_sqltok_split(text, 0, strlen(text), 1, &t) < 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < t.n; i++)
        if (is_punct(text, &t.v[i], ';')) {
            rc = push_stmt(text, from, t.v[i].off, out, n);
            from = t.v[i].off + 1;
        }
    if (rc == 0)
        rc = push_stmt(text, from, strlen(text), out, n);
    load_sqltok_release(&t);
    if (rc < 0) {
        load_grant_free_list(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- parse ------------------------------------------------------------------ */

struct parser {
    const char *text;
    struct load_toks t;
    size_t i; /* next token */
    struct cs_error *err;
};

static const struct load_tok *peek(const struct parser *p, size_t ahead)
{
    return p->i + ahead < p->t.n ? &p->t.v[p->i + ahead] : NULL;
}

static int at_word(const struct parser *p, const char *w)
{
    const struct load_tok *t = peek(p, 0);
    return t && load_sqltok_is(p->text, t, w);
}

static int at_punct(const struct parser *p, char c)
{
    const struct load_tok *t = peek(p, 0);
    return t && is_punct(p->text, t, c);
}

static int fail(struct parser *p, const char *what)
{
    const struct load_tok *t = peek(p, 0);

    return cs_error_set(p->err, CS_ERR_FORMAT, "%s at \"%.40s\"", what,
                        t ? p->text + t->off : "the end");
}

/* A name: `ident`, 'string' or word; *out malloc'd. */
static int name(struct parser *p, char **out)
{
    const struct load_tok *t = peek(p, 0);

    if (!t || (t->kind != LOAD_TOK_IDENT && t->kind != LOAD_TOK_STRING && t->kind != LOAD_TOK_WORD))
        return fail(p, "expected a name");
    *out = load_grant_tok_value(p->text, t);
    p->i++;
    return *out ? 0 : cs_error_set(p->err, CS_ERR_NOMEM, "out of memory");
}

/* user[@host] */
static int account(struct parser *p, struct load_grant_role *r)
{
    if (name(p, &r->user) < 0)
        return -1;
    if (!at_punct(p, '@'))
        return 0;
    p->i++;
    return name(p, &r->host);
}

/* One privilege up to a comma or ON at depth 0: words, then (columns). */
static int privilege(struct parser *p, struct load_grant_priv *v)
{
    struct cs_buf words = CS_BUF_INIT;
    const struct load_tok *first = peek(p, 0), *last = first;

    while (peek(p, 0) && !at_punct(p, ',') && !at_punct(p, '(') && !at_word(p, "ON")) {
        const struct load_tok *t = peek(p, 0);
        if (t->kind != LOAD_TOK_WORD)
            break;
        for (size_t k = 0; k < t->len; k++) {
            char c = p->text[t->off + k];
            if (!k && words.len)
                cs_buf_putc(&words, ' ');
            cs_buf_putc(&words, c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
        }
        last = t;
        p->i++;
    }
    if (at_punct(p, '(')) {
        p->i++;
        while (peek(p, 0) && !at_punct(p, ')')) {
            char **cols = realloc(v->columns, (v->ncolumns + 1) * sizeof(char *));
            if (!cols || (v->columns = cols, name(p, &cols[v->ncolumns]) < 0)) {
                cs_buf_release(&words);
                return cols ? -1 : cs_error_set(p->err, CS_ERR_NOMEM, "out of memory");
            }
            v->ncolumns++;
            if (at_punct(p, ','))
                p->i++;
        }
        last = peek(p, 0);
        if (!last) {
            cs_buf_release(&words);
            return fail(p, "unclosed column list");
        }
        p->i++;
    }
    v->name = cs_buf_detach(&words);
    if (!v->name || !*v->name || !first)
        return v->name ? fail(p, "expected a privilege")
                       : cs_error_set(p->err, CS_ERR_NOMEM, "out of memory");
    v->off = first->off;
    v->len = last->off + last->len - first->off;
    return 0;
}

static int privileges(struct parser *p, struct load_grant *g)
{
    g->list_off = peek(p, 0) ? peek(p, 0)->off : 0;
    for (;;) {
        struct load_grant_priv *v = realloc(g->privs, (g->nprivs + 1) * sizeof(*v));
        if (!v)
            return cs_error_set(p->err, CS_ERR_NOMEM, "out of memory");
        g->privs = v;
        memset(&v[g->nprivs], 0, sizeof(*v));
        if (privilege(p, &v[g->nprivs++]) < 0)
            return -1;
        if (!at_punct(p, ','))
            break;
        p->i++;
    }
    if (!at_word(p, "ON"))
        return fail(p, "expected ON");
    g->on_off = peek(p, 0)->off;
    p->i++;
    return 0;
}

static const char *const routine_words[] = {"FUNCTION", "PROCEDURE", "PACKAGE"};

/* After ON: [TABLE | FUNCTION | PROCEDURE | PACKAGE [BODY]] *.* | db.* | db.name */
static int object(struct parser *p, struct load_grant *g)
{
    int star_a, star_b;

    if (at_word(p, "TABLE"))
        p->i++;
    for (size_t k = 0; k < 3 && !g->routine; k++)
        if (at_word(p, routine_words[k])) {
            p->i++;
            g->routine = strdup(k == 2 && at_word(p, "BODY") ? "PACKAGE BODY" : routine_words[k]);
            if (!g->routine)
                return cs_error_set(p->err, CS_ERR_NOMEM, "out of memory");
            if (at_word(p, "BODY"))
                p->i++;
        }
    star_a = at_punct(p, '*');
    if (star_a)
        p->i++;
    else if (name(p, &g->schema) < 0)
        return -1;
    if (!at_punct(p, '.'))
        return fail(p, "expected *.*, db.* or db.name after ON");
    p->i++;
    star_b = at_punct(p, '*');
    if (star_b)
        p->i++;
    else if (name(p, &g->name) < 0)
        return -1;
    if (star_a && !star_b)
        return fail(p, "expected *.* after ON *.");
    g->level = star_a       ? LOAD_GRANT_GLOBAL
               : star_b     ? LOAD_GRANT_SCHEMA
               : g->routine ? LOAD_GRANT_ROUTINE
                            : LOAD_GRANT_TABLE;
    return 0;
}

/* TO grantee, then where IDENTIFIED ... runs (up to REQUIRE, WITH, AS or the end). */
static int grantee(struct parser *p, struct load_grant *g)
{
    if (!at_word(p, g->revoke ? "FROM" : "TO"))
        return fail(p, g->revoke ? "expected FROM" : "expected TO");
    p->i++;
    if (account(p, &g->to) < 0)
        return -1;
    if (at_punct(p, ','))
        return fail(p, "more than one grantee");
    if (!at_word(p, "IDENTIFIED"))
        return 0;
    g->ident_off = peek(p, 0)->off;
    while (peek(p, 0) && !at_word(p, "REQUIRE") && !at_word(p, "WITH") && !at_word(p, "AS"))
        p->i++;
    g->ident_len = (peek(p, 0) ? peek(p, 0)->off : strlen(p->text)) - g->ident_off;
    return 0;
}

/* GRANT role[, role] TO ... */
static int roles(struct parser *p, struct load_grant *g)
{
    g->kind = LOAD_GRANT_ROLES;
    for (;;) {
        struct load_grant_role *r = realloc(g->roles, (g->nroles + 1) * sizeof(*r));
        if (!r)
            return cs_error_set(p->err, CS_ERR_NOMEM, "out of memory");
        g->roles = r;
        memset(&r[g->nroles], 0, sizeof(*r));
        if (account(p, &r[g->nroles++]) < 0)
            return -1;
        if (!at_punct(p, ','))
            return 0;
        p->i++;
    }
}

/* Is there an ON before the TO/FROM at depth 0 (a privilege grant)? */
static int has_on(const struct parser *p)
{
    int depth = 0;

    for (size_t i = p->i; i < p->t.n; i++) {
        const struct load_tok *t = &p->t.v[i];
        depth += is_punct(p->text, t, '(') - is_punct(p->text, t, ')');
        if (depth == 0 && load_sqltok_is(p->text, t, "ON"))
            return 1;
        if (depth == 0 && (load_sqltok_is(p->text, t, "TO") || load_sqltok_is(p->text, t, "FROM")))
            return 0;
    }
    return 0;
}

/* CREATE USER|ROLE [IF NOT EXISTS] account ... (the rest is the server's) */
static int create(struct parser *p, struct load_grant *g)
{
    g->kind = LOAD_GRANT_CREATE;
    p->i++;
    g->create_role = at_word(p, "ROLE");
    if (!g->create_role && !at_word(p, "USER"))
        return fail(p, "expected CREATE USER or CREATE ROLE");
    p->i++;
    if (at_word(p, "IF")) {
        p->i++;
        if (!at_word(p, "NOT") || (p->i++, !at_word(p, "EXISTS")))
            return fail(p, "expected IF NOT EXISTS");
        p->i++;
    }
    return account(p, &g->to);
}

/* SET DEFAULT ROLE {NONE | ALL | role[, role]} {FOR | TO} account */
static int default_role(struct parser *p, struct load_grant *g)
{
    g->kind = LOAD_GRANT_DEFAULT;
    p->i++;
    if (!at_word(p, "DEFAULT") || (p->i++, !at_word(p, "ROLE")))
        return fail(p, "expected SET DEFAULT ROLE");
    p->i++;
    if (at_word(p, "NONE") || at_word(p, "ALL"))
        p->i++;
    else if (roles(p, g) < 0)
        return -1;
    g->kind = LOAD_GRANT_DEFAULT;
    if (!at_word(p, "FOR") && !at_word(p, "TO"))
        return fail(p, "expected FOR or TO");
    p->i++;
    if (account(p, &g->to) < 0)
        return -1;
    return peek(p, 0) ? fail(p, "more than one account") : 0;
}

static int parse_body(struct parser *p, struct load_grant *g)
{
    if (at_word(p, "CREATE"))
        return create(p, g);
    if (at_word(p, "SET"))
        return default_role(p, g);
    if (!at_word(p, "GRANT") && !at_word(p, "REVOKE"))
        return fail(p, "expected GRANT, REVOKE, CREATE USER, CREATE ROLE or SET DEFAULT ROLE");
    g->revoke = at_word(p, "REVOKE");
    p->i++;
    if (!has_on(p)) {
        if (g->revoke)
            return fail(p, "expected a privilege list");
        return roles(p, g) < 0 ? -1 : grantee(p, g);
    }
    if (privileges(p, g) < 0)
        return -1;
    if (g->nprivs == 1 && !strcmp(g->privs[0].name, "PROXY")) {
        struct load_grant_role proxied = {0};
        int rc = account(p, &proxied);

        g->kind = LOAD_GRANT_PROXY;
        free(proxied.user);
        free(proxied.host);
        return rc < 0 ? -1 : grantee(p, g);
    }
    return object(p, g) < 0 ? -1 : grantee(p, g);
}

int load_grant_parse(const char *stmt, struct load_grant *g, struct cs_error *err)
{
    struct parser p = {stmt, {0}, 0, err};
    int rc;

    memset(g, 0, sizeof(*g));
    if (sig_tokens(stmt, &p.t) < 0)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < p.t.n; i++)
        if (p.t.v[i].open) {
            load_sqltok_release(&p.t);
            return cs_error_set(err, CS_ERR_FORMAT, "an unterminated string or name");
        }
    rc = parse_body(&p, g);
    load_sqltok_release(&p.t);
    if (rc < 0)
        load_grant_release(g);
    return rc;
}

void load_grant_release(struct load_grant *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nprivs; i++) {
        free(g->privs[i].name);
        load_grant_free_list(g->privs[i].columns, g->privs[i].ncolumns);
    }
    for (size_t i = 0; i < g->nroles; i++) {
        free(g->roles[i].user);
        free(g->roles[i].host);
    }
    free(g->privs);
    free(g->roles);
    free(g->schema);
    free(g->name);
    free(g->routine);
    free(g->to.user);
    free(g->to.host);
    memset(g, 0, sizeof(*g));
}

/* ---- rebuild ---------------------------------------------------------------- */

char *load_grant_rebuild(const char *stmt, const struct load_grant *g, const unsigned char *keep)
{
    struct cs_buf b = CS_BUF_INIT;
    size_t from = 0, end = strlen(stmt), k = 0;

    if (g->kind == LOAD_GRANT_PRIVS && keep) {
        cs_buf_append(&b, stmt, g->list_off);
        for (size_t i = 0; i < g->nprivs; i++)
            if (keep[i]) {
                cs_buf_puts(&b, k++ ? ", " : "");
                cs_buf_append(&b, stmt + g->privs[i].off, g->privs[i].len);
            }
        cs_buf_putc(&b, ' ');
        from = g->on_off;
    }
    if (g->ident_len) {
        cs_buf_append(&b, stmt + from, g->ident_off - from);
        from = g->ident_off + g->ident_len;
    }
    cs_buf_append(&b, stmt + from, end - from);
    while (b.len && b.data[b.len - 1] == ' ')
        b.data[--b.len] = '\0';
    return cs_buf_detach(&b);
}
