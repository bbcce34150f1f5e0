#include "load/bounds_v1.h"

#include <stdlib.h>
#include <string.h>

#include "load/sqltok.h"

/* The literal class csdump 1 wrote for a column kind. */
enum lit { LIT_NUMBER = 1, LIT_HEX = 2, LIT_CHARSET_HEX = 4, LIT_QUOTED = 8 };

static const unsigned kind_lits[FMT_COL_KIND_COUNT] = {
    [FMT_COL_NUMBER] = LIT_NUMBER,
    [FMT_COL_FLOAT] = LIT_NUMBER,
    [FMT_COL_BIT] = LIT_NUMBER,
    [FMT_COL_BINARY] = LIT_HEX,
    [FMT_COL_STRING] = LIT_CHARSET_HEX | LIT_QUOTED,
    [FMT_COL_UTF8TEXT] = LIT_QUOTED,
};

struct parse {
    const char *s;
    const struct load_toks *tk;
    size_t i;
};

static const struct load_tok *tok(const struct parse *p, size_t ahead)
{
    return p->i + ahead < p->tk->n ? &p->tk->v[p->i + ahead] : NULL;
}

static int is_punct(const struct parse *p, const struct load_tok *t, char c)
{
    return t && t->kind == LOAD_TOK_PUNCT && p->s[t->off] == c;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 0xHEX or X'' at P into bytes (*OUT malloc'd, *N). */
static const char *hex_literal(struct parse *p, char **out, size_t *n)
{
    const struct load_tok *t = tok(p, 0), *q = tok(p, 1);
    const char *w = t && t->kind == LOAD_TOK_WORD ? p->s + t->off : NULL;

    if (w && t->len == 1 && (*w == 'X' || *w == 'x') && q && q->kind == LOAD_TOK_STRING &&
        q->len == 2 && p->s[q->off] == '\'') {
        p->i += 2;
        *n = 0;
        *out = calloc(1, 1);
        return *out ? NULL : "out of memory";
    }
    if (!w || t->len < 4 || t->len % 2 || w[0] != '0' || (w[1] != 'x'))
        return "a hex literal (0x...)";
    *n = (t->len - 2) / 2;
    *out = malloc(*n + 1);
    if (!*out)
        return "out of memory";
    for (size_t k = 0; k < *n; k++) {
        int hi = hexval(w[2 + 2 * k]), lo = hexval(w[3 + 2 * k]);
        if (hi < 0 || lo < 0) {
            free(*out);
            return "a hex literal (0x...)";
        }
        (*out)[k] = (char)(hi << 4 | lo);
    }
    p->i++;
    return NULL;
}

/* -?digits... : contiguous words and '-', '.', '+' punctuation. */
static const char *number_literal(struct parse *p, enum fmt_col_kind kind, struct fmt_key_value *v)
{
    const struct load_tok *t = tok(p, 0);
    size_t start = t ? t->off : 0, end = start;
    enum fmt_key_type type;
    const char *why;

    while ((t = tok(p, 0)) && t->off == end &&
           (t->kind == LOAD_TOK_WORD || is_punct(p, t, '-') || is_punct(p, t, '.') ||
            is_punct(p, t, '+'))) {
        end += t->len;
        p->i++;
    }
    if (end == start)
        return "a number";
    if (kind == FMT_COL_FLOAT || memchr(p->s + start, 'e', end - start) ||
        memchr(p->s + start, 'E', end - start))
        type = FMT_KEY_FLOAT;
    else
        type = memchr(p->s + start, '.', end - start) ? FMT_KEY_DECIMAL : FMT_KEY_INTEGER;
    return fmt_key_value_set(v, type, NULL, p->s + start, end - start, &why) < 0 ? why : NULL;
}

/* 'text' without quote or backslash inside: a date/time, or UUID/INET text. */
static const char *quoted_literal(struct parse *p, enum fmt_col_kind kind, struct fmt_key_value *v)
{
    const struct load_tok *t = tok(p, 0);
    const char *why;

    if (!t || t->kind != LOAD_TOK_STRING || t->open || p->s[t->off] != '\'' || t->len < 2 ||
        memchr(p->s + t->off + 1, '\'', t->len - 2) || memchr(p->s + t->off + 1, '\\', t->len - 2))
        return "a quoted date, time or address without quotes or backslashes inside";
    p->i++;
    return fmt_key_value_set(v, kind == FMT_COL_UTF8TEXT ? FMT_KEY_TEXT : FMT_KEY_TEMPORAL, NULL,
                             p->s + t->off + 1, t->len - 2, &why) < 0
               ? why
               : NULL;
}

/* _charset then one space then a hex literal. */
static const char *charset_literal(struct parse *p, struct fmt_key_value *v)
{
    const struct load_tok *t = tok(p, 0), *sp = tok(p, 1);
    char cs[40], *bytes = NULL;
    const char *why;
    size_t n = 0;

    if (!t || t->kind != LOAD_TOK_WORD || p->s[t->off] != '_' || t->len < 2 ||
        t->len > sizeof(cs) || !sp || sp->kind != LOAD_TOK_SPACE || sp->len != 1)
        return "_charset 0x...";
    memcpy(cs, p->s + t->off + 1, t->len - 1);
    cs[t->len - 1] = '\0';
    p->i += 2;
    if ((why = hex_literal(p, &bytes, &n)))
        return why;
    fmt_key_value_set(v, FMT_KEY_STRING, cs, bytes, n, &why);
    free(bytes);
    return why;
}

static const char *one_literal(struct parse *p, enum fmt_col_kind kind, struct fmt_key_value *v)
{
    unsigned lits = (unsigned)kind < FMT_COL_KIND_COUNT ? kind_lits[kind] : 0;
    const struct load_tok *t = tok(p, 0);
    char *bytes = NULL;
    const char *why;
    size_t n = 0;

    if (!t)
        return "a value for every key column";
    if ((lits & LIT_CHARSET_HEX) && t->kind == LOAD_TOK_WORD && p->s[t->off] == '_')
        return charset_literal(p, v);
    if (lits & LIT_QUOTED && t->kind == LOAD_TOK_STRING)
        return quoted_literal(p, kind, v);
    if (lits & LIT_HEX) {
        if ((why = hex_literal(p, &bytes, &n)))
            return why;
        fmt_key_value_set(v, FMT_KEY_BINARY, NULL, bytes, n, &why);
        free(bytes);
        return why;
    }
    if (lits & LIT_NUMBER)
        return number_literal(p, kind, v);
    return lits ? "a literal of the key column's type" : "a key column type csdump 1 bounded";
}

/* Key column I's kind. */
static enum fmt_col_kind key_kind(const struct fmt_table *t, size_t i)
{
    for (size_t c = 0; c < t->ncolumns; c++)
        if (!strcmp(t->columns[c].name, t->key[i]))
            return t->columns[c].kind;
    return FMT_COL_KIND_COUNT;
}

static const char *parse_list(struct parse *p, const struct fmt_table *t, struct fmt_bound *b)
{
    const char *why;

    for (size_t i = 0; i < t->nkey; i++) {
        const struct load_tok *c = tok(p, 0), *sp = tok(p, 1);
        if (i && !(is_punct(p, c, ',') && sp && sp->kind == LOAD_TOK_SPACE && sp->len == 1))
            return c ? "\", \" between the values" : "a value for every key column";
        p->i += i ? 2 : 0;
        if ((why = one_literal(p, key_kind(t, i), &b->v[i])))
            return why;
    }
    return tok(p, 0) ? "nothing after the last key value" : NULL;
}

int load_bounds_v1_parse(const struct fmt_table *t, const char *text, int closed,
                         struct fmt_bound **out, const char **why)
{
    struct load_toks tk = {0};
    struct parse p = {text, &tk, 0};

    *out = NULL;
    *why = NULL;
    if (!t->nkey)
        *why = "no bounds (the table has no key)";
    else if (load_sqltok_split(text, 0, strlen(text), 1, &tk) < 0 ||
             !(*out = fmt_bound_new(t->nkey, closed)))
        *why = "out of memory";
    else
        *why = parse_list(&p, t, *out);
    load_sqltok_release(&tk);
    if (!*why)
        return 0;
    fmt_bound_free(*out);
    *out = NULL;
    return -1;
}

static int convert(const struct fmt_table *t, struct fmt_chunk *c, const char *name,
                   struct cs_error *err)
{
    char **text[2] = {&c->v1_lower, &c->v1_upper};
    struct fmt_bound **b[2] = {&c->lo, &c->hi};
    const char *why;

    for (int i = 0; i < 2; i++) {
        if (!*text[i])
            continue;
        if (load_bounds_v1_parse(t, *text[i], i == 0, b[i], &why) < 0)
            return cs_error_set(err, !strcmp(why, "out of memory") ? CS_ERR_NOMEM : CS_ERR_HOSTILE,
                                "%s: chunk file %s of %s.%s: its %s bound \"%.200s\" is not what "
                                "csdump 1 writes (expected %s); refusing the dump",
                                name, c->file, t->schema, t->name, i ? "upper" : "lower", *text[i],
                                why);
        free(*text[i]);
        *text[i] = NULL;
    }
    return 0;
}

int load_bounds_v1(struct fmt_manifest *m, const char *name, struct cs_error *err)
{
    if (m->format_version != 1)
        return 0;
    for (size_t i = 0; i < m->ntables; i++)
        for (size_t k = 0; k < m->tables[i].nchunks; k++)
            if (convert(&m->tables[i], &m->tables[i].chunks[k], name, err) < 0)
                return -1;
    return 0;
}

struct fmt_manifest *load_bounds_v1_take(struct fmt_manifest *m, const char *name,
                                         struct cs_error *err)
{
    if (m && load_bounds_v1(m, name, err) < 0) {
        fmt_manifest_free(m);
        return NULL;
    }
    return m;
}
