/* compat_ddl.c - one statement through the cross-flavor policy: tokens,
 * regions, edits (load/compat_int.h); the rules are in compat_rules.c. */
#include "load/compat_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define W struct load_compat_rw

static int runs_on(int mariadb, unsigned long version, const struct load_tok *t)
{
    if (t->mariadb_only)
        return mariadb && t->version <= version;
    if (!t->version)
        return 1;
    if (mariadb && t->version >= 50700 && t->version < 100000)
        return 0; /* MariaDB skips the comments of MySQL 5.7 and later */
    return t->version <= version;
}

int load_compat_rw_source_runs(const W *w, const struct load_tok *t)
{
    return runs_on(w->p->dir == LOAD_COMPAT_TO_MYSQL, w->p->source_version, t);
}

int load_compat_rw_target_runs(const W *w, const struct load_tok *t)
{
    return runs_on(w->p->dir == LOAD_COMPAT_TO_MARIADB, w->p->target_version, t);
}

const char *load_compat_rw_target(const W *w)
{
    return w->p->dir == LOAD_COMPAT_TO_MYSQL ? "MySQL" : "MariaDB";
}

/* ---- tokens ------------------------------------------------------------------ */

static void push_flat(W *w, const struct load_tok *t, size_t box)
{
    if (w->nf == w->capf) {
        size_t cap = w->capf ? 2 * w->capf : 128;
        struct load_tok *f = realloc(w->f, cap * sizeof(*f));
        size_t *b;

        if (!f) {
            w->oom = 1;
            return;
        }
        w->f = f;
        if (!(b = realloc(w->box, cap * sizeof(*b)))) {
            w->oom = 1;
            return;
        }
        w->box = b;
        w->capf = cap;
    }
    w->f[w->nf] = *t;
    w->box[w->nf++] = box;
}

/* Significant tokens of TEXT[start, end); an executable comment both sides
 * run is replaced by its own tokens. */
static void flatten(W *w, size_t start, size_t end, size_t box)
{
    struct load_toks t = {0};

    if (load_sqltok_split(w->s, start, end, w->backslash, &t) < 0) {
        w->oom = 1;
        return;
    }
    for (size_t i = 0; i < t.n && !w->oom; i++) {
        const struct load_tok *k = &t.v[i];
        if (!load_sqltok_significant(k))
            continue;
        if (k->kind == LOAD_TOK_VERSIONED && !k->open && !box && load_compat_rw_source_runs(w, k) &&
            load_compat_rw_target_runs(w, k))
            flatten(w, k->body_off, k->body_off + k->body_len, k->off + 1);
        else
            push_flat(w, k, box);
    }
    load_sqltok_release(&t);
}

int load_compat_rw_punct(const W *w, size_t i, char c)
{
    return i < w->nf && w->f[i].kind == LOAD_TOK_PUNCT && w->s[w->f[i].off] == c;
}

int load_compat_rw_word(const W *w, size_t i, const char *word)
{
    return i < w->nf && load_sqltok_is(w->s, &w->f[i], word);
}

size_t load_compat_rw_matching(const W *w, size_t i, size_t end)
{
    int depth = 0;

    for (; i < end; i++) {
        if (load_compat_rw_punct(w, i, '('))
            depth++;
        else if (load_compat_rw_punct(w, i, ')') && --depth == 0)
            return i;
    }
    return end;
}

static int same_token(const char *p, const struct load_tok *q, const char *text,
                      const struct load_tok *t)
{
    if (q->kind == LOAD_TOK_PUNCT && p[q->off] == '?')
        return load_sqltok_is_number(text, t);
    if (q->kind != t->kind || q->len != t->len)
        return 0;
    if (q->kind == LOAD_TOK_WORD)
        return !strncasecmp(p + q->off, text + t->off, q->len);
    return !memcmp(p + q->off, text + t->off, q->len);
}

size_t load_compat_rw_match(const char *text, const struct load_tok *toks, size_t n, size_t i,
                            const char *p)
{
    struct load_toks pt = {0};
    size_t k = i;
    int ok = 1;

    if (load_sqltok_split(p, 0, strlen(p), 1, &pt) < 0)
        return 0;
    for (size_t j = 0; j < pt.n && ok; j++) {
        if (!load_sqltok_significant(&pt.v[j]))
            continue;
        ok = k < n && same_token(p, &pt.v[j], text, &toks[k]);
        k++;
    }
    load_sqltok_release(&pt);
    return ok ? k - i : 0;
}

int load_compat_rw_region_has(const W *w, const struct load_compat_region *r, const char *pattern)
{
    for (size_t i = r->a; i < r->b; i++)
        if (load_compat_rw_match(w->s, w->f, r->b, i, pattern))
            return 1;
    return 0;
}

/* ---- edits and messages -------------------------------------------------------- */

void load_compat_rw_edit(W *w, size_t off, size_t len, const char *with)
{
    struct load_compat_edit *e;

    if (w->ned == w->caped) {
        size_t cap = w->caped ? 2 * w->caped : 16;
        struct load_compat_edit *v = realloc(w->ed, cap * sizeof(*v));
        if (!v) {
            w->oom = 1;
            return;
        }
        w->ed = v;
        w->caped = cap;
    }
    e = &w->ed[w->ned];
    *e = (struct load_compat_edit){off, len, w->ned, with ? strdup(with) : NULL};
    if (with && !e->with)
        w->oom = 1;
    w->ned++;
}

void load_compat_rw_delete(W *w, size_t i, size_t n)
{
    size_t off = w->f[i].off, end = w->f[i + n - 1].off + w->f[i + n - 1].len;

    while (off > 0 && (w->s[off - 1] == ' ' || w->s[off - 1] == '\t'))
        off--;
    load_compat_rw_edit(w, off, end - off, NULL);
}

void load_compat_rw_text(const W *w, size_t i, size_t n, char *out, size_t size)
{
    size_t a = w->f[i].off, b = w->f[i + n - 1].off + w->f[i + n - 1].len;

    snprintf(out, size, "%.*s%s", (int)(b - a > 120 ? 120 : b - a), w->s + a,
             b - a > 120 ? "..." : "");
}

void load_compat_rw_say(struct load_compat_list *l, const struct load_compat_region *r,
                        const char *fmt, ...)
{
    char msg[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    load_compat_list_add(l, "%s%s%s", r->label, r->label[0] ? ": " : "", msg);
}

static int cmp_edit(const void *a, const void *b)
{
    const struct load_compat_edit *x = a, *y = b;

    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    if ((x->len == 0) != (y->len == 0)) /* insertions first, then the widest */
        return x->len == 0 ? -1 : 1;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The text with every edit; one starting inside an earlier one is dropped
 * (a removed definition takes the edits inside it along). */
static char *apply_edits(W *w)
{
    struct cs_buf b = CS_BUF_INIT;
    size_t pos = 0, n = strlen(w->s);

    if (w->ned)
        qsort(w->ed, w->ned, sizeof(*w->ed), cmp_edit);
    for (size_t i = 0; i < w->ned; i++) {
        const struct load_compat_edit *e = &w->ed[i];
        if (e->off < pos)
            continue;
        cs_buf_append(&b, w->s + pos, e->off - pos);
        if (e->with)
            cs_buf_puts(&b, e->with);
        pos = e->off + e->len;
    }
    cs_buf_append(&b, w->s + pos, n - pos);
    if (cs_buf_failed(&b)) {
        cs_buf_release(&b);
        return NULL;
    }
    return cs_buf_detach(&b);
}

/* ---- regions ------------------------------------------------------------------- */

static void label_as(W *w, struct load_compat_region *r, size_t i, const char *what)
{
    while (i < r->b && w->f[i].kind != LOAD_TOK_IDENT && !load_compat_rw_punct(w, i, '('))
        i++;
    if (i < r->b && w->f[i].kind == LOAD_TOK_IDENT)
        snprintf(r->label, sizeof(r->label), "%s %.*s", what, (int)w->f[i].len, w->s + w->f[i].off);
    else
        snprintf(r->label, sizeof(r->label), "%s", what);
}

static void classify(W *w, struct load_compat_region *r)
{
    static const char *const index_words[] = {"KEY",      "INDEX",   "UNIQUE",
                                              "FULLTEXT", "SPATIAL", "VECTOR"};
    size_t i = r->a;

    if (w->f[i].kind == LOAD_TOK_IDENT) {
        r->ctx = LOAD_CTX_COLUMN;
        label_as(w, r, i, "column");
        return;
    }
    if (load_compat_rw_word(w, i, "CONSTRAINT") || load_compat_rw_word(w, i, "CHECK")) {
        size_t k = i + (load_compat_rw_word(w, i, "CONSTRAINT") && i + 1 < r->b &&
                        w->f[i + 1].kind == LOAD_TOK_IDENT);
        r->ctx =
            load_compat_rw_word(w, k + 1, "FOREIGN") ? LOAD_CTX_OTHER
            : load_compat_rw_word(w, k + 1, "UNIQUE") || load_compat_rw_word(w, k + 1, "PRIMARY")
                ? LOAD_CTX_INDEX
                : LOAD_CTX_CHECK;
        label_as(w, r, i, "constraint");
        return;
    }
    if (load_compat_rw_word(w, i, "PRIMARY")) {
        r->ctx = LOAD_CTX_INDEX;
        snprintf(r->label, sizeof(r->label), "the primary key");
        return;
    }
    r->ctx = LOAD_CTX_OTHER;
    for (size_t k = 0; k < sizeof(index_words) / sizeof(index_words[0]); k++)
        if (load_compat_rw_word(w, i, index_words[k]))
            r->ctx = LOAD_CTX_INDEX;
    label_as(w, r, i, r->ctx == LOAD_CTX_INDEX ? "index" : "definition");
}

/* A column: the byte after its type (and the type's arguments). */
static void column_type(W *w, struct load_compat_region *r)
{
    size_t t = r->a + 1;

    if (t >= r->b || w->f[t].kind != LOAD_TOK_WORD)
        return;
    r->type_end = w->f[t].off + w->f[t].len;
    if (load_compat_rw_punct(w, t + 1, '(')) {
        size_t c = load_compat_rw_matching(w, t + 1, r->b);
        if (c < r->b)
            r->type_end = w->f[c].off + w->f[c].len;
    }
}

/* The head, every definition between the outer parentheses, the options;
 * 0 when the statement has no such parentheses. */
static size_t table_regions(W *w, struct load_compat_region **out)
{
    size_t open = 0, close, n = 0, start;
    struct load_compat_region *v;

    while (open < w->nf && !load_compat_rw_punct(w, open, '('))
        open++;
    close = load_compat_rw_matching(w, open, w->nf);
    if (open >= w->nf || close >= w->nf || w->box[open] || w->box[close])
        return 0;
    if (!(v = calloc(close - open + 3, sizeof(*v)))) {
        w->oom = 1;
        return 0;
    }
    v[n++] = (struct load_compat_region){.a = 0, .b = open + 1, .ctx = LOAD_CTX_HEAD};
    start = open + 1;
    for (size_t i = open + 1; i <= close; i++) {
        if (i < close && load_compat_rw_punct(w, i, '(')) {
            i = load_compat_rw_matching(w, i, close);
            continue;
        }
        if (i == close || load_compat_rw_punct(w, i, ',')) {
            if (i > start)
                v[n++] = (struct load_compat_region){.a = start, .b = i};
            start = i + 1;
        }
    }
    v[n++] = (struct load_compat_region){.a = close + 1, .b = w->nf, .ctx = LOAD_CTX_OPTIONS};
    snprintf(v[n - 1].label, sizeof(v[n - 1].label), "table options");
    for (size_t k = 1; k + 1 < n; k++) {
        classify(w, &v[k]);
        if (v[k].ctx == LOAD_CTX_COLUMN)
            column_type(w, &v[k]);
    }
    *out = v;
    return n;
}

static int rewrite(W *w, enum load_compat_kind kind)
{
    struct load_compat_region one = {0}, *v = NULL;
    size_t n = 0;

    flatten(w, 0, strlen(w->s), 0);
    if (kind == LOAD_COMPAT_TABLE && !w->oom)
        n = table_regions(w, &v);
    if (!n) {
        one = (struct load_compat_region){.a = 0, .b = w->nf, .ctx = LOAD_CTX_STATEMENT};
        v = &one;
        n = 1;
    } else {
        load_compat_rules_drops(w, v, n);
    }
    for (size_t i = 0; i < n && !w->oom; i++)
        if (!v[i].dropped)
            load_compat_rules_region(w, &v[i]);
    load_compat_rules_finish(w);
    if (v != &one)
        free(v);
    if (!w->oom && !(w->out->text = apply_edits(w)))
        w->oom = 1;
    if (w->out->changes.failed || w->out->refusals.failed)
        w->oom = 1;
    return w->oom ? -1 : 0;
}

int load_compat_rewrite(const struct load_compat_policy *p, enum load_compat_kind kind,
                        const char *text, int backslash, struct load_compat_result *out)
{
    W w = {.p = p, .s = text, .backslash = backslash, .out = out};
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (p->dir == LOAD_COMPAT_SAME)
        out->text = strdup(text);
    else
        rc = rewrite(&w, kind);
    for (size_t i = 0; i < w.ned; i++)
        free(w.ed[i].with);
    free(w.ed);
    free(w.f);
    free(w.box);
    if (rc < 0 || !out->text) {
        load_compat_result_release(out);
        return -1;
    }
    return 0;
}

void load_compat_result_release(struct load_compat_result *r)
{
    if (!r)
        return;
    free(r->text);
    load_compat_list_release(&r->changes);
    load_compat_list_release(&r->refusals);
    memset(r, 0, sizeof(*r));
}
