#include "load/sqltok.h"

#include <stdlib.h>
#include <string.h>

struct lexer {
    const char *s;
    size_t p, end;
    int backslash;
};

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || c >= 0x80;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int push(struct load_toks *out, const struct load_tok *t)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 64;
        struct load_tok *v = realloc(out->v, cap * sizeof(*v));

        if (!v)
            return -1;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = *t;
    return 0;
}

/* After the quoted run opening at L->p (its quote Q); *open when unterminated. */
static size_t quoted_end(const struct lexer *l, size_t p, int *open)
{
    char q = l->s[p++];

    while (p < l->end) {
        char c = l->s[p];

        if (c == '\\' && q != '`' && l->backslash && p + 1 < l->end) {
            p += 2;
        } else if (c == q) {
            if (p + 1 < l->end && l->s[p + 1] == q) {
                p += 2; /* doubled quote */
                continue;
            }
            return p + 1;
        } else {
            p++;
        }
    }
    *open = 1;
    return l->end;
}

/* The star-slash closing a comment whose body starts at P (quotes inside an
 * executable comment are skipped: they are code); L->end when unterminated. */
static size_t comment_close(const struct lexer *l, size_t p, int code, int *open)
{
    while (p < l->end) {
        char c = l->s[p];

        if (code && (c == '\'' || c == '"' || c == '`')) {
            p = quoted_end(l, p, open);
            if (*open)
                return l->end;
        } else if (c == '*' && p + 1 < l->end && l->s[p + 1] == '/') {
            return p;
        } else {
            p++;
        }
    }
    *open = 1;
    return l->end;
}

/* slash-star at T->off: a plain or an executable comment. */
static void slash_star(const struct lexer *l, struct load_tok *t)
{
    size_t p = t->off + 2, digits = 0, close;
    int code = 0;

    if (p < l->end && l->s[p] == '!') {
        code = 1;
        p++;
    } else if (p + 1 < l->end && l->s[p] == 'M' && l->s[p + 1] == '!') {
        code = 1;
        t->mariadb_only = 1;
        p += 2;
    }
    if (code) {
        t->kind = LOAD_TOK_VERSIONED;
        while (p + digits < l->end && digits < 6 && l->s[p + digits] >= '0' &&
               l->s[p + digits] <= '9')
            digits++;
        if (digits >= 5) {
            for (size_t i = 0; i < digits; i++)
                t->version = t->version * 10 + (unsigned long)(l->s[p + i] - '0');
            p += digits;
        }
        t->body_off = p;
    } else {
        t->kind = LOAD_TOK_COMMENT;
    }
    close = comment_close(l, p, code, &t->open);
    t->body_len = code ? close - p : 0;
    t->len = (t->open ? l->end : close + 2) - t->off;
}

static size_t line_end(const struct lexer *l, size_t p)
{
    while (p < l->end && l->s[p] != '\n')
        p++;
    return p;
}

/* The token starting at L->p. */
static void next_token(struct lexer *l, struct load_tok *t)
{
    const char *s = l->s;
    size_t p = l->p;
    unsigned char c = (unsigned char)s[p];

    memset(t, 0, sizeof(*t));
    t->off = p;
    if (is_space(c)) {
        t->kind = LOAD_TOK_SPACE;
        while (p < l->end && is_space((unsigned char)s[p]))
            p++;
    } else if (c == '/' && p + 1 < l->end && s[p + 1] == '*') {
        slash_star(l, t);
        p = t->off + t->len;
    } else if (c == '#' || (c == '-' && p + 2 < l->end && s[p + 1] == '-' &&
                            (is_space((unsigned char)s[p + 2]) || (unsigned char)s[p + 2] < 32))) {
        t->kind = LOAD_TOK_COMMENT;
        p = line_end(l, p);
    } else if (c == '-' && p + 2 == l->end && s[p + 1] == '-') {
        t->kind = LOAD_TOK_COMMENT; /* "--" at the very end */
        p = l->end;
    } else if (c == '\'' || c == '"' || c == '`') {
        t->kind = c == '`' ? LOAD_TOK_IDENT : LOAD_TOK_STRING;
        p = quoted_end(l, p, &t->open);
    } else if (is_word_byte(c)) {
        t->kind = LOAD_TOK_WORD;
        while (p < l->end && is_word_byte((unsigned char)s[p]))
            p++;
    } else {
        t->kind = LOAD_TOK_PUNCT;
        p++;
    }
    t->len = p - t->off;
    l->p = p;
}

int load_sqltok_split(const char *text, size_t start, size_t end, int backslash,
                      struct load_toks *out)
{
    struct lexer l = {text, start, end, backslash};
    struct load_tok t;

    while (l.p < l.end) {
        next_token(&l, &t);
        if (push(out, &t) < 0)
            return -1;
    }
    return 0;
}

void load_sqltok_release(struct load_toks *t)
{
    if (!t)
        return;
    free(t->v);
    memset(t, 0, sizeof(*t));
}

int load_sqltok_is(const char *text, const struct load_tok *t, const char *w)
{
    size_t n = strlen(w);

    if (t->kind != LOAD_TOK_WORD || t->len != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char a = text[t->off + i], b = w[i];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 'a' + 'A');
        if (b >= 'a' && b <= 'z')
            b = (char)(b - 'a' + 'A');
        if (a != b)
            return 0;
    }
    return 1;
}

int load_sqltok_is_number(const char *text, const struct load_tok *t)
{
    if (t->kind != LOAD_TOK_WORD || !t->len)
        return 0;
    for (size_t i = 0; i < t->len; i++)
        if (text[t->off + i] < '0' || text[t->off + i] > '9')
            return 0;
    return 1;
}

int load_sqltok_significant(const struct load_tok *t)
{
    return t->kind != LOAD_TOK_SPACE && t->kind != LOAD_TOK_COMMENT;
}

int load_sqltok_backslash(const char *sql_mode)
{
    return !sql_mode || !strstr(sql_mode, "NO_BACKSLASH_ESCAPES");
}
