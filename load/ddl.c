#include "load/ddl.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/quote.h"

/*
 * SHOW CREATE TABLE prints "CREATE TABLE `t` (", one definition per line
 * indented by two spaces, then a line starting with ")" holding the table
 * options (and partitioning, which may span more lines).  Lines are split
 * at newlines outside quotes: identifiers may hold raw newlines, string
 * literals are printed with \n.  Anything else is left alone.
 */

enum def_kind { K_OTHER = 0, K_COLUMN, K_PRIMARY, K_INDEX, K_FULLTEXT, K_FK, K_COUNT };

/* Which kinds each mode defers. */
static const unsigned char deferred_in[K_COUNT][3] = {
    /*                 ALL FULLTEXT NONE */
    [K_INDEX] = {1, 0, 0},
    [K_FULLTEXT] = {1, 1, 0},
    [K_FK] = {1, 1, 0},
};

static const struct {
    const char *prefix;
    enum def_kind kind;
} prefixes[] = {
    {"PRIMARY KEY", K_PRIMARY}, {"UNIQUE KEY", K_INDEX},      {"UNIQUE INDEX", K_INDEX},
    {"KEY", K_INDEX},           {"INDEX", K_INDEX},           {"SPATIAL KEY", K_INDEX},
    {"SPATIAL INDEX", K_INDEX}, {"FULLTEXT KEY", K_FULLTEXT}, {"FULLTEXT INDEX", K_FULLTEXT},
    {"FOREIGN KEY", K_FK},
};

struct span {
    const char *s;
    const char *end;
};

struct def {
    struct span raw;  /* the whole line */
    struct span text; /* without the indent and the trailing comma (and spaces) */
    enum def_kind kind;
    const char *after; /* kind-specific: just after the prefix */
    int defer;
};

/* After the quoted identifier or string opening at P, bounded by END.  A
 * doubled quote reads as two quoted runs back to back: same end. */
static const char *skip_quoted(const char *p, const char *end)
{
    char q = *p++;

    for (; p < end; p++) {
        if (*p == '\\' && q != '`' && p + 1 < end)
            p++;
        else if (*p == q)
            return p + 1;
    }
    return end;
}

static int is_quote(char c)
{
    return c == '`' || c == '\'' || c == '"';
}

static const char *skip_spaces(const char *p, const char *end)
{
    while (p < end && *p == ' ')
        p++;
    return p;
}

/* P starts with word W followed by a space, '(' or the end. */
static const char *after_word(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);

    if ((size_t)(end - p) < n || memcmp(p, w, n) != 0)
        return NULL;
    if (p + n < end && p[n] != ' ' && p[n] != '(')
        return NULL;
    return p + n;
}

/* Unquote the identifier at P (on its backtick) into B; NULL if P is not one. */
static const char *read_ident(const char *p, const char *end, struct cs_buf *b)
{
    cs_buf_reset(b);
    cs_buf_puts(b, "");
    if (p >= end || *p != '`')
        return NULL;
    for (p++; p < end; p++) {
        if (*p == '`') {
            if (p + 1 >= end || p[1] != '`')
                return p + 1;
            p++;
        }
        cs_buf_putc(b, *p);
    }
    return NULL; /* unterminated */
}

/* ---- lines --------------------------------------------------------------- */

struct lines {
    struct span *v;
    size_t n, cap;
};

static int lines_push(struct lines *l, const char *s, const char *end)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 32;
        struct span *v = realloc(l->v, cap * sizeof(*v));

        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct span){s, end};
    return 0;
}

static int split_lines(const char *text, struct lines *l)
{
    const char *end = text + strlen(text), *start = text, *p = text;

    while (p < end) {
        if (is_quote(*p)) {
            p = skip_quoted(p, end);
        } else if (*p == '\n') {
            if (lines_push(l, start, p) < 0)
                return -1;
            start = ++p;
        } else {
            p++;
        }
    }
    return lines_push(l, start, end);
}

/* ---- classifying definitions ---------------------------------------------- */

static void classify(struct def *d)
{
    const char *p = d->text.s, *end = d->text.end, *q;
    struct cs_buf name = CS_BUF_INIT;

    d->kind = K_OTHER;
    if (p < end && *p == '`') {
        d->kind = K_COLUMN;
        return;
    }
    if ((q = after_word(p, end, "CONSTRAINT"))) {
        q = skip_spaces(q, end);
        if (q < end && *q == '`')
            q = read_ident(q, end, &name);
        cs_buf_release(&name);
        if (q && after_word(skip_spaces(q, end), end, "FOREIGN KEY"))
            d->kind = K_FK;
        return;
    }
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if ((q = after_word(p, end, prefixes[i].prefix))) {
            d->kind = prefixes[i].kind;
            d->after = q;
            return;
        }
}

/* A column definition with AUTO_INCREMENT outside quotes. */
static int is_auto_column(const struct def *d)
{
    static const char kw[] = " AUTO_INCREMENT";
    const size_t n = sizeof(kw) - 1;
    const char *p = d->text.s, *end = d->text.end;

    while (p < end) {
        if (is_quote(*p)) {
            p = skip_quoted(p, end);
            continue;
        }
        if ((size_t)(end - p) >= n && !memcmp(p, kw, n) &&
            (p + n == end || p[n] == ' ' || p[n] == ','))
            return 1;
        p++;
    }
    return 0;
}

/* Position of column COL among the key parts of index D, or -1. */
static int key_part_pos(const struct def *d, const char *col, struct cs_buf *tmp)
{
    const char *p = skip_spaces(d->after, d->text.end), *end = d->text.end;
    int depth = 0, part = 0, at_start = 1;

    if (p < end && *p == '`' && !(p = read_ident(p, end, tmp)))
        return -1;
    p = skip_spaces(p, end);
    if (p >= end || *p != '(')
        return -1;
    for (p++; p < end; p++) {
        if (at_start && *p == '`') { /* at_start is 0 inside ( ) */
            p = read_ident(p, end, tmp);
            if (!p || cs_buf_failed(tmp))
                return -1;
            if (!strcmp(tmp->data, col))
                return part;
            p--;
        } else if (is_quote(*p)) {
            p = skip_quoted(p, end) - 1;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && depth-- == 0) {
            return -1;
        } else if (*p == ',' && depth == 0) {
            part++;
            at_start = 1;
            continue;
        }
        if (*p != ' ')
            at_start = 0;
    }
    return -1;
}

/* The index the AUTO_INCREMENT column needs: the first one starting with
 * it, else (MyISAM/Aria allow it) the first one holding it; -1 if none. */
static long auto_keeper(const struct def *defs, size_t n)
{
    struct cs_buf col = CS_BUF_INIT, tmp = CS_BUF_INIT;
    long first = -1, any = -1;

    for (size_t i = 0; i < n && !col.data; i++)
        if (defs[i].kind == K_COLUMN && is_auto_column(&defs[i]))
            read_ident(defs[i].text.s, defs[i].text.end, &col);
    for (size_t i = 0; col.data && !col.failed && i < n && first < 0; i++) {
        int pos;

        if (defs[i].kind != K_PRIMARY && defs[i].kind != K_INDEX)
            continue;
        pos = key_part_pos(&defs[i], col.data, &tmp);
        if (pos == 0)
            first = (long)i;
        else if (pos > 0 && any < 0)
            any = (long)i;
    }
    cs_buf_release(&col);
    cs_buf_release(&tmp);
    return first >= 0 ? first : any;
}

/* ---- splitting ----------------------------------------------------------- */

/* Definition lines 1..*close-1 of L, or -1 when this is not SHOW CREATE
 * TABLE output: the first line is "CREATE ... (", then indented lines up
 * to one starting with ")". */
static int find_defs(const struct lines *l, size_t *close)
{
    const struct span *h = &l->v[0];
    const char *e = h->end;

    while (e > h->s && e[-1] == ' ')
        e--;
    if ((size_t)(h->end - h->s) < 7 || memcmp(h->s, "CREATE ", 7) != 0 || e == h->s || e[-1] != '(')
        return -1;
    for (size_t i = 1; i < l->n; i++) {
        const struct span *s = &l->v[i];

        if (s->s < s->end && s->s[0] == ')') {
            *close = i;
            return i > 1 ? 0 : -1;
        }
        if (s->end - s->s < 3 || s->s[0] != ' ' || s->s[1] != ' ')
            return -1;
    }
    return -1;
}

static void make_def(struct def *d, const struct span *line)
{
    memset(d, 0, sizeof(*d));
    d->raw = *line;
    d->text.s = skip_spaces(line->s, line->end);
    d->text.end = line->end;
    if (d->text.end > d->text.s && d->text.end[-1] == ',')
        d->text.end--;
    while (d->text.end > d->text.s && d->text.end[-1] == ' ')
        d->text.end--; /* MySQL puts a space before the comma after WITH PARSER */
    classify(d);
}

/* Classify the definitions and mark the deferred ones; how many. */
static size_t mark_deferred(struct def *defs, size_t n, enum load_defer mode)
{
    long keep = auto_keeper(defs, n);
    size_t count = 0;

    for (size_t i = 0; i < n; i++) {
        defs[i].defer = deferred_in[defs[i].kind][mode] && (long)i != keep;
        count += (size_t)defs[i].defer;
    }
    return count;
}

static char *clause(const struct def *d)
{
    struct cs_buf b = CS_BUF_INIT;

    cs_buf_puts(&b, "ADD ");
    cs_buf_append(&b, d->text.s, (size_t)(d->text.end - d->text.s));
    return cs_buf_detach(&b);
}

static int add_clause(char ***v, size_t *n, const struct def *d)
{
    char **nv = realloc(*v, (*n + 1) * sizeof(**v));

    if (!nv)
        return -1;
    *v = nv;
    if (!(nv[*n] = clause(d)))
        return -1;
    (*n)++;
    return 0;
}

/* The CREATE without the deferred definitions, and the clauses. */
static int assemble(const char *text, const struct lines *l, const struct def *defs, size_t n,
                    size_t close, struct load_ddl_split *out)
{
    struct cs_buf b = CS_BUF_INIT;
    size_t last = n;

    for (size_t i = 0; i < n; i++)
        if (!defs[i].defer)
            last = i;
    cs_buf_append(&b, text, (size_t)(l->v[0].end - text));
    cs_buf_putc(&b, '\n');
    for (size_t i = 0; i < n; i++) {
        const struct def *d = &defs[i];

        if (d->defer) {
            if (add_clause(d->kind == K_FK ? &out->fks : &out->indexes,
                           d->kind == K_FK ? &out->nfks : &out->nindexes, d) < 0)
                goto fail;
            continue;
        }
        /* the new last definition loses its comma */
        cs_buf_append(&b, d->raw.s, (size_t)((i == last ? d->text.end : d->raw.end) - d->raw.s));
        cs_buf_putc(&b, '\n');
    }
    cs_buf_puts(&b, l->v[close].s);
    if (cs_buf_failed(&b))
        goto fail;
    out->create = cs_buf_detach(&b);
    return out->create ? 0 : -1;
fail:
    cs_buf_release(&b);
    return -1;
}

static int split(const char *text, enum load_defer mode, struct load_ddl_split *out)
{
    struct lines l = {0};
    struct def *defs = NULL;
    size_t close = 0, n = 0;
    int rc = -1;

    if (split_lines(text, &l) < 0)
        goto out;
    if (find_defs(&l, &close) == 0) {
        n = close - 1;
        if (!(defs = calloc(n, sizeof(*defs))))
            goto out;
        for (size_t i = 0; i < n; i++)
            make_def(&defs[i], &l.v[i + 1]);
        if (mark_deferred(defs, n, mode) > 0) {
            rc = assemble(text, &l, defs, n, close, out);
            goto out;
        }
    }
    out->create = strdup(text); /* unchanged */
    rc = out->create ? 0 : -1;
out:
    free(l.v);
    free(defs);
    return rc;
}

enum load_defer load_ddl_mode_for(enum load_defer mode, unsigned long long raw_bytes)
{
    if (mode != LOAD_DEFER_AUTO)
        return mode;
    return raw_bytes < LOAD_DDL_INLINE_BELOW ? LOAD_DEFER_FULLTEXT : LOAD_DEFER_ALL;
}

int load_ddl_split(const char *create_table, enum load_defer mode, struct load_ddl_split *out,
                   struct cs_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!create_table || (unsigned)mode > LOAD_DEFER_NONE)
        return cs_error_set(err, CS_ERR_INTERNAL, "splitting CREATE TABLE: bad arguments");
    if (split(create_table, mode, out) < 0) {
        load_ddl_split_release(out);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory splitting CREATE TABLE");
    }
    return 0;
}

void load_ddl_split_release(struct load_ddl_split *s)
{
    if (!s)
        return;
    free(s->create);
    for (size_t i = 0; i < s->nindexes; i++)
        free(s->indexes[i]);
    free(s->indexes);
    for (size_t i = 0; i < s->nfks; i++)
        free(s->fks[i]);
    free(s->fks);
    memset(s, 0, sizeof(*s));
}

char *load_ddl_clause_name(const char *clause)
{
    struct cs_buf b = CS_BUF_INIT;
    const char *p, *end;

    if (!clause)
        return NULL;
    end = clause + strlen(clause);
    for (p = clause; p < end && *p != '`'; p++)
        if (*p == '(' || is_quote(*p))
            return NULL;
    if (!read_ident(p, end, &b) || cs_buf_failed(&b)) {
        cs_buf_release(&b);
        return NULL;
    }
    return cs_buf_detach(&b);
}

char *load_ddl_alter(const char *schema, const char *table, char *const *clauses, size_t n)
{
    struct cs_buf b = CS_BUF_INIT;

    if (!table)
        return NULL;
    cs_buf_puts(&b, "ALTER TABLE ");
    if (schema)
        cs_quote_qualified(&b, schema, table);
    else
        cs_quote_ident(&b, table);
    for (size_t i = 0; i < n; i++) {
        cs_buf_puts(&b, i ? ", " : " ");
        cs_buf_puts(&b, clauses[i] ? clauses[i] : "");
    }
    if (cs_buf_failed(&b)) {
        cs_buf_release(&b);
        return NULL;
    }
    return cs_buf_detach(&b);
}
