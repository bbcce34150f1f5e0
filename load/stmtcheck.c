#include "load/stmtcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/sqlenc.h"
#include "load/schema.h"
#include "load/sqltok.h"

/* The significant tokens of a text in document order, the bodies of
 * executable comments in place of the comments. */
struct toks {
    const char *text;
    struct load_tok *v;
    size_t n, cap, i;
};

static int push(struct toks *t, const struct load_tok *tok)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        struct load_tok *v = realloc(t->v, cap * sizeof(*v));
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = *tok;
    return 0;
}

static int flatten(struct toks *t, size_t start, size_t end, int backslash, int depth)
{
    struct load_toks seg = {0};
    int rc = depth > 4 || load_sqltok_split(t->text, start, end, backslash, &seg) < 0 ? -1 : 0;

    for (size_t k = 0; rc == 0 && k < seg.n; k++) {
        const struct load_tok *tok = &seg.v[k];
        if (tok->kind == LOAD_TOK_VERSIONED)
            rc = flatten(t, tok->body_off, tok->body_off + tok->body_len, backslash, depth + 1);
        else if (load_sqltok_significant(tok) || tok->open)
            rc = push(t, tok);
    }
    load_sqltok_release(&seg);
    return rc;
}

static int toks_init(struct toks *t, const char *text, size_t len, int backslash)
{
    memset(t, 0, sizeof(*t));
    t->text = text;
    return flatten(t, 0, len, backslash, 0);
}

static void toks_release(struct toks *t)
{
    free(t->v);
}

static const struct load_tok *peek(const struct toks *t)
{
    return t->i < t->n ? &t->v[t->i] : NULL;
}

static int word(const struct toks *t, const struct load_tok *k, const char *w)
{
    return k && k->kind == LOAD_TOK_WORD && load_sqltok_is(t->text, k, w);
}

static int punct(const struct toks *t, const struct load_tok *k, char c)
{
    return k && k->kind == LOAD_TOK_PUNCT && t->text[k->off] == c;
}

static int accept(struct toks *t, const char *w)
{
    if (!word(t, peek(t), w))
        return 0;
    t->i++;
    return 1;
}

/* An identifier token's name (backticks removed, doubled ones halved). */
static int ident_equals(const struct toks *t, const struct load_tok *k, const char *want)
{
    const char *p = t->text + k->off;
    size_t n = k->len, w = 0, wl = strlen(want);

    if (k->kind == LOAD_TOK_WORD)
        return n == wl && !memcmp(p, want, n);
    if (k->kind != LOAD_TOK_IDENT || k->open || n < 2)
        return 0;
    for (size_t i = 1; i + 1 < n; i++, w++) {
        if (w >= wl || p[i] != want[w])
            return 0;
        if (p[i] == '`')
            i++; /* `` inside */
    }
    return w == wl;
}

static int is_name(const struct load_tok *k)
{
    return k && (k->kind == LOAD_TOK_IDENT || k->kind == LOAD_TOK_WORD);
}

/* [schema '.'] name, matching E's schema and NAME. */
static int object_name(struct toks *t, const char *schema, const char *name)
{
    const struct load_tok *a = peek(t), *dot, *b;

    if (!is_name(a))
        return 0;
    t->i++;
    dot = peek(t);
    if (punct(t, dot, '.')) {
        t->i++;
        b = peek(t);
        if (!is_name(b) || !ident_equals(t, a, schema) || !ident_equals(t, b, name))
            return 0;
        t->i++;
        return 1;
    }
    return ident_equals(t, a, name);
}

/* DEFINER = user@host | CURRENT_USER[()] */
static void skip_definer(struct toks *t)
{
    if (!accept(t, "DEFINER"))
        return;
    if (punct(t, peek(t), '='))
        t->i++;
    if (accept(t, "CURRENT_USER")) {
        if (punct(t, peek(t), '(') && t->i + 1 < t->n && punct(t, &t->v[t->i + 1], ')'))
            t->i += 2;
        return;
    }
    if (peek(t))
        t->i++; /* user */
    if (punct(t, peek(t), '@') && t->i + 1 < t->n)
        t->i += 2; /* @host */
}

static void skip_view_options(struct toks *t)
{
    for (;;) {
        if (accept(t, "ALGORITHM")) {
            if (punct(t, peek(t), '='))
                t->i++;
            if (peek(t))
                t->i++;
        } else if (word(t, peek(t), "DEFINER")) {
            skip_definer(t);
        } else if (accept(t, "SQL")) {
            accept(t, "SECURITY");
            if (peek(t))
                t->i++;
        } else {
            return;
        }
    }
}

static int expect_kind(struct toks *t, const struct load_stmt_expect *e)
{
    if (e->is_table) {
        if (!accept(t, "TABLE"))
            return 0;
        if (accept(t, "IF") && !(accept(t, "NOT") && accept(t, "EXISTS")))
            return 0;
        return object_name(t, e->schema, e->name);
    }
    switch (e->kind) {
    case FMT_OBJ_DATABASE:
        if (!accept(t, "DATABASE") && !accept(t, "SCHEMA"))
            return 0;
        if (accept(t, "IF") && !(accept(t, "NOT") && accept(t, "EXISTS")))
            return 0;
        return is_name(peek(t)) && ident_equals(t, &t->v[t->i++], e->schema);
    case FMT_OBJ_VIEW:
        if (accept(t, "OR") && !accept(t, "REPLACE"))
            return 0;
        skip_view_options(t);
        return accept(t, "VIEW") && object_name(t, e->schema, e->name);
    case FMT_OBJ_PROCEDURE:
    case FMT_OBJ_FUNCTION:
        skip_definer(t);
        accept(t, "AGGREGATE");
        return accept(t, e->kind == FMT_OBJ_PROCEDURE ? "PROCEDURE" : "FUNCTION") &&
               object_name(t, e->schema, e->name);
    case FMT_OBJ_TRIGGER:
        skip_definer(t);
        if (!accept(t, "TRIGGER") || !object_name(t, e->schema, e->name))
            return 0;
        if (!accept(t, "BEFORE") && !accept(t, "AFTER"))
            return 0;
        if (!accept(t, "INSERT") && !accept(t, "UPDATE") && !accept(t, "DELETE"))
            return 0;
        return accept(t, "ON") && object_name(t, e->schema, e->table ? e->table : "");
    case FMT_OBJ_EVENT:
        skip_definer(t);
        return accept(t, "EVENT") && object_name(t, e->schema, e->name);
    case FMT_OBJ_SEQUENCE:
        if (accept(t, "OR") && !accept(t, "REPLACE"))
            return 0;
        if (!accept(t, "SEQUENCE"))
            return 0;
        if (accept(t, "IF") && !(accept(t, "NOT") && accept(t, "EXISTS")))
            return 0;
        return object_name(t, e->schema, e->name);
    default:
        return 0;
    }
}

static int opens_block(const struct toks *t, size_t i, int at_start)
{
    const struct load_tok *k = &t->v[i];

    if (word(t, k, "BEGIN") || word(t, k, "LOOP") || word(t, k, "REPEAT") || word(t, k, "CASE"))
        return 1;
    return at_start && (word(t, k, "IF") || word(t, k, "WHILE"));
}

static int starts_statement(const struct toks *t, size_t i)
{
    static const char *const w[] = {"BEGIN", "THEN", "ELSE", "DO", "LOOP", "REPEAT", "ROW"};
    const struct load_tok *k = &t->v[i];

    if (punct(t, k, ';') || punct(t, k, ':'))
        return 1;
    for (size_t j = 0; j < sizeof(w) / sizeof(w[0]); j++)
        if (word(t, k, w[j]))
            return 1;
    return 0;
}

/* The index of a ';' that ends the statement before more tokens, or 0. */
static size_t second_statement(const struct toks *t, int compound)
{
    int depth = 0;

    for (size_t i = 0; i < t->n; i++) {
        const struct load_tok *k = &t->v[i];
        if (compound && opens_block(t, i, i > 0 && starts_statement(t, i - 1))) {
            depth++;
        } else if (compound && word(t, k, "END")) {
            depth -= depth > 0;
            const struct load_tok *n = i + 1 < t->n ? &t->v[i + 1] : NULL;
            if (word(t, n, "IF") || word(t, n, "LOOP") || word(t, n, "WHILE") ||
                word(t, n, "REPEAT") || word(t, n, "CASE"))
                i++;
        } else if (punct(t, k, ';') && depth == 0 && i + 1 < t->n) {
            return i;
        }
    }
    return 0;
}

static const char *what(const struct load_stmt_expect *e)
{
    return e->is_table ? "CREATE TABLE" : fmt_object_kind_name(e->kind);
}

int load_stmtcheck(const char *text, size_t len, const struct load_stmt_expect *e,
                   struct cs_error *err)
{
    struct toks t;
    char found[81];
    size_t semi;
    int compound = !e->is_table && (e->kind == FMT_OBJ_PROCEDURE || e->kind == FMT_OBJ_FUNCTION ||
                                    e->kind == FMT_OBJ_TRIGGER || e->kind == FMT_OBJ_EVENT);
    int rc = -1;

    if (toks_init(&t, text, len, load_sqltok_backslash(e->sql_mode)) < 0) {
        toks_release(&t);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    snprintf(found, sizeof(found), "%.*s", (int)(len < 80 ? len : 80), text);
    for (char *p = found; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    for (size_t k = 0; k < t.n; k++)
        if (t.v[k].open) {
            cs_error_set(err, CS_ERR_HOSTILE,
                         "%s: an unterminated string, name or comment: refused, nothing was "
                         "loaded (the dump was changed or damaged)",
                         e->file);
            goto out;
        }
    if (!accept(&t, "CREATE") || !expect_kind(&t, e)) {
        cs_error_set(err, CS_ERR_HOSTILE,
                     "%s: expected the %s of %s.%s%s%s, found \"%s\": refused, nothing was "
                     "loaded (the dump was changed or damaged)",
                     e->file, what(e), e->schema, e->name, e->table ? " on " : "",
                     e->table ? e->table : "", found);
        goto out;
    }
    if ((semi = second_statement(&t, compound)) != 0) {
        cs_error_set(err, CS_ERR_HOSTILE,
                     "%s: a second statement after the %s of %s.%s (at byte %zu): refused, "
                     "nothing was loaded (the dump was changed or damaged)",
                     e->file, what(e), e->schema, e->name, t.v[semi].off);
        goto out;
    }
    rc = 0;
out:
    toks_release(&t);
    return rc;
}

int load_stmtcheck_system_schema(const char *s)
{
    static const char *const sys[] = {"mysql", "sys", "performance_schema", "information_schema"};

    for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
        if (!strcasecmp(s, sys[i]))
            return 1;
    return 0;
}

/* A system schema is loaded only when the dump was taken with
 * --include-system (its manifest says so) and the load is given it too. */
static int system_refused(const struct fmt_manifest *m, const struct load_stmt_expect *e,
                          int include_system, struct cs_error *err)
{
    const char *missing;

    if (!load_stmtcheck_system_schema(e->schema) || (include_system && m->include_system))
        return 0;
    if (!include_system && !m->include_system)
        missing = "the dump was not taken with csdump --include-system, and csload was not "
                  "given --include-system";
    else if (!include_system)
        missing = "csload was not given --include-system";
    else
        missing = "the dump was not taken with csdump --include-system (its manifest does not "
                  "say so)";
    return cs_error_set(err, CS_ERR_HOSTILE,
                        "%s: the dump writes into system schema %s: refused, nothing was loaded "
                        "(system schemas load only when the dump was taken with --include-system "
                        "and the load is given it too: %s)",
                        e->file, e->schema, missing);
}

static int check_one(struct load_input *in, const struct fmt_manifest *m,
                     const struct load_stmt_expect *e, int include_system, struct cs_error *err)
{
    char *text = NULL;
    int rc;

    if (system_refused(m, e, include_system, err) < 0)
        return -1;
    if (load_schema_read(in, m, e->file, &text, err) < 0)
        return -1;
    rc = load_stmtcheck(text, strlen(text), e, err);
    free(text);
    return rc;
}

int load_stmtcheck_dump(struct load_input *in, const struct fmt_manifest *m, int include_system,
                        struct cs_error *err)
{
    for (size_t i = 0; i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        struct load_stmt_expect e = {t->ddl_file, 1, 0, t->schema, t->name, NULL, NULL};
        if (check_one(in, m, &e, include_system, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < m->nobjects; i++) {
        const struct fmt_object *o = &m->objects[i];
        struct load_stmt_expect e = {o->file, 0,        o->kind,    o->schema,
                                     o->name, o->table, o->sql_mode};
        if (check_one(in, m, &e, include_system, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- sql chunks: row INSERTs of constants into their own table ---------- */

/* Words a value of csdump's sql encoder may hold (format/sqlenc.c,
 * format/jsonval.c, format/jsonscalar.c); numbers start with a digit. */
static const char *const value_words[] = {
    "NULL",    "X",        "_utf8mb4", "_binary", "JSON_SET",   "CAST",       "AS",      "JSON",
    "DECIMAL", "UNSIGNED", "DATE",     "TIME",    "DATETIME",   "TIMESTAMP",  "BIT",     "BLOB",
    "BINARY",  "SELECT",   "cs_v",     "FROM",    "JSON_TABLE", "JSON_ARRAY", "COLUMNS", "PATH",
    "ERROR",   "ON",       "cs_jt",    "CASE",    "WHEN",       "THEN",       "ELSE",    "END",
};

static int value_word(const struct toks *t, const struct load_tok *k)
{
    char c = t->text[k->off];

    if (c >= '0' && c <= '9')
        return 1;
    for (size_t i = 0; i < sizeof(value_words) / sizeof(value_words[0]); i++)
        if (load_sqltok_is(t->text, k, value_words[i]))
            return 1;
    return 0;
}

/* The VALUES rows: constants only -- strings in single quotes, numbers, the
 * value words, ( ) , + - . -- parentheses balanced; NULL when fine, else the
 * first token that is not. */
static const struct load_tok *bad_value_token(const struct toks *t)
{
    int depth = 0, rows = 0;

    for (size_t k = t->i; k < t->n; k++) {
        const struct load_tok *v = &t->v[k];
        char c = t->text[v->off];
        if (v->kind == LOAD_TOK_STRING) {
            if (c != '\'')
                return v; /* "..." is a name under ANSI_QUOTES */
        } else if (v->kind == LOAD_TOK_WORD) {
            if (!value_word(t, v))
                return v;
        } else if (v->kind == LOAD_TOK_PUNCT && strchr("(),+-.", c)) {
            if (c == '(' && depth++ == 0)
                rows++;
            if (c == ')' && --depth < 0)
                return v;
            if (c == ',' && depth == 0 && (k + 1 == t->n || !punct(t, &t->v[k + 1], '(')))
                return v;
        } else {
            return v;
        }
    }
    return depth == 0 && rows > 0 ? NULL : &t->v[t->n - 1];
}

/* INSERT INTO schema.table (columns in order) VALUES */
static int insert_head(struct toks *t, const struct fmt_table *tb)
{
    if (!accept(t, "INSERT") || !accept(t, "INTO") || !object_name(t, tb->schema, tb->name) ||
        !punct(t, peek(t), '('))
        return 0;
    t->i++;
    for (size_t c = 0; c < tb->ncolumns; c++) {
        const struct load_tok *k = peek(t);
        if ((c && !punct(t, k, ',')) || (c && !(k = (t->i++, peek(t)))))
            return 0;
        if (!is_name(k) || !ident_equals(t, k, tb->columns[c].name))
            return 0;
        t->i++;
    }
    if (!punct(t, peek(t), ')'))
        return 0;
    t->i++;
    return accept(t, "VALUES");
}

int load_stmtcheck_chunk(const char *stmt, size_t len, const struct fmt_table *tb, const char *file,
                         struct cs_error *err)
{
    struct load_toks raw = {0};
    struct toks t;
    const struct load_tok *bad = NULL;
    int rc = -1;

    if (fmt_sql_is_frame(stmt, len))
        return 0;
    memset(&t, 0, sizeof(t));
    t.text = stmt;
    if (load_sqltok_split(stmt, 0, len, 1, &raw) < 0)
        goto nomem;
    for (size_t k = 0; k < raw.n; k++) {
        const struct load_tok *v = &raw.v[k];
        if (v->kind == LOAD_TOK_VERSIONED || v->open) {
            bad = v; /* code in a comment, or text that never ends */
            break;
        }
        if (load_sqltok_significant(v) && push(&t, v) < 0)
            goto nomem;
    }
    if (!bad && t.n && insert_head(&t, tb))
        bad = bad_value_token(&t);
    else if (!bad)
        bad = t.i < t.n ? &t.v[t.i] : NULL;
    if (bad || !t.n) {
        size_t off = bad ? bad->off : 0, n = len - off;
        for (size_t k = off; k < len && k < off + 60; k++)
            if (stmt[k] == '\n' || stmt[k] == '\r') { /* one line of it */
                n = k - off;
                break;
            }
        cs_error_set(err, CS_ERR_HOSTILE,
                     "%s: a statement that is not a row INSERT of constants into %s.%s (its "
                     "columns in order), at \"%.*s\": refused, nothing of it was sent (the dump "
                     "was changed or damaged)",
                     file, tb->schema, tb->name, (int)(n > 60 ? 60 : n), stmt + off);
        goto out;
    }
    rc = 1;
    goto out;
nomem:
    cs_error_set(err, CS_ERR_NOMEM, "out of memory");
out:
    load_sqltok_release(&raw);
    toks_release(&t);
    return rc;
}
