#include "load/chunkset.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/bound.h"

struct cset {
    const char *name; /* the dump */
    const struct cs_log *log;
    const struct fmt_table *t;
    int problems;
};

__attribute__((format(printf, 2, 3))) static void tproblem(struct cset *s, const char *fmt, ...)
{
    char what[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    cs_log_error(s->log,
                 "%s: table %s.%s: %s; the manifest is inconsistent (changed or damaged: take "
                 "the dump again)",
                 s->name, s->t->schema, s->t->name, what);
    s->problems++;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Indices 0..n-1 each once; BY[i] = the chunk with index i.  0 or -1. */
static int check_indices(struct cset *s, const struct fmt_chunk **by, uint32_t *idx)
{
    const struct fmt_table *t = s->t;

    for (size_t k = 0; k < t->nchunks; k++)
        idx[k] = t->chunks[k].index;
    qsort(idx, t->nchunks, sizeof(*idx), cmp_u32);
    for (size_t k = 0; k < t->nchunks; k++) {
        if (idx[k] != k) {
            tproblem(s, "its chunk indices are not 0 to %zu each once (index %u is out of place)",
                     t->nchunks - 1, idx[k]);
            return -1;
        }
    }
    for (size_t k = 0; k < t->nchunks; k++)
        by[t->chunks[k].index] = &t->chunks[k];
    return 0;
}

static int check_rows(struct cset *s)
{
    uint64_t rows = 0;

    for (size_t k = 0; k < s->t->nchunks; k++)
        rows += s->t->chunks[k].rows;
    if (rows == s->t->rows)
        return 0;
    tproblem(s, "its chunks hold %llu rows, the table %llu", (unsigned long long)rows,
             (unsigned long long)s->t->rows);
    return -1;
}

/* Every key column is a column of the table, named once. */
static int check_key(struct cset *s)
{
    const struct fmt_table *t = s->t;

    for (size_t i = 0; i < t->nkey; i++) {
        size_t found = 0;
        for (size_t c = 0; c < t->ncolumns; c++)
            found += !strcmp(t->columns[c].name, t->key[i]);
        for (size_t j = 0; j < i; j++)
            found += !strcmp(t->key[j], t->key[i]) ? 2 : 0;
        if (found != 1) {
            tproblem(s, "its key column %s is %s", t->key[i],
                     found ? "named twice" : "not one of its columns");
            return -1;
        }
    }
    return 0;
}

/* Value counts; a chunk's lower below its upper. */
static int check_chunk(struct cset *s, const struct fmt_chunk *x)
{
    const struct fmt_bound *b[2] = {x->lo, x->hi};
    int r;

    for (int i = 0; i < 2; i++) {
        if (b[i] && b[i]->n != s->t->nkey) {
            tproblem(s, "chunk %u (%s): its %s bound has %zu values, the key %zu columns", x->index,
                     x->file, i ? "upper" : "lower", b[i]->n, s->t->nkey);
            return -1;
        }
    }
    if (!x->lo || !x->hi)
        return 0;
    r = fmt_bound_cmp(x->lo, x->hi);
    if (r == 1 || (r == 0 && !(x->lo->closed && x->hi->closed))) {
        tproblem(s, "chunk %u (%s): swapped bounds, its lower bound is not below its upper bound",
                 x->index, x->file);
        return -1;
    }
    return 0;
}

/* What lies between chunk P's upper bound and chunk X's lower bound (both set). */
static void check_join(struct cset *s, const struct fmt_chunk *p, const struct fmt_chunk *x)
{
    int r = fmt_bound_cmp(x->lo, p->hi);
    const char *what = NULL;

    if (r == 0 && p->hi->closed == x->lo->closed)
        what = p->hi->closed ? "an overlap: the boundary row is in both"
                             : "a gap: the boundary row is in neither";
    else if (r == -1)
        what = "an overlap: it starts below where the previous one ends";
    else if (r == 1)
        what = "a gap: it starts above where the previous one ends";
    else if (r == FMT_BOUND_INCOMPARABLE)
        what = "a gap or an overlap: it does not start where the previous one ends";
    if (what)
        tproblem(s, "chunk %u (%s) after chunk %u (%s): %s", x->index, x->file, p->index, p->file,
                 what);
}

/* BY (index order) tiles the key space. */
static void check_tiling(struct cset *s, const struct fmt_chunk **by)
{
    size_t n = s->t->nchunks, before = (size_t)s->problems;

    for (size_t k = 0; k < n; k++)
        if (check_chunk(s, by[k]) < 0)
            return;
    if (n && by[0]->lo)
        tproblem(s, "chunk 0 (%s) is not open below: rows under its lower bound are in no chunk",
                 by[0]->file);
    if (n && by[n - 1]->hi)
        tproblem(s,
                 "chunk %zu (%s) is not open above: rows from its upper bound on are in no "
                 "chunk",
                 n - 1, by[n - 1]->file);
    for (size_t k = 1; (size_t)s->problems == before && k < n; k++) {
        if (!by[k - 1]->hi || !by[k]->lo)
            tproblem(s,
                     "chunk %zu (%s) after chunk %zu (%s): a bound open in the middle of the "
                     "key space (an overlap)",
                     k, by[k]->file, k - 1, by[k - 1]->file);
        else
            check_join(s, by[k - 1], by[k]);
    }
}

static void check_table(struct cset *s)
{
    const struct fmt_table *t = s->t;
    const struct fmt_chunk **by = calloc(t->nchunks + 1, sizeof(*by));
    uint32_t *idx = calloc(t->nchunks + 1, sizeof(*idx));
    int bounded = 0;

    for (size_t k = 0; k < t->nchunks; k++)
        bounded |= t->chunks[k].lo || t->chunks[k].hi;
    if (!by || !idx)
        tproblem(s, "out of memory checking its chunks");
    else if (check_indices(s, by, idx) == 0 && check_rows(s) == 0 && check_key(s) == 0) {
        if (bounded && !t->nkey)
            tproblem(s, "it has no key, yet its chunks have key ranges");
        else if (bounded || (t->nkey && t->nchunks > 1))
            check_tiling(s, by);
    }
    free(by);
    free(idx);
}

int load_chunkset_check(const struct fmt_manifest *m, const char *name, const struct cs_log *log)
{
    struct cset s = {name, log, NULL, 0};

    for (size_t i = 0; i < m->ntables; i++) {
        s.t = &m->tables[i];
        check_table(&s);
    }
    return s.problems;
}

int load_chunkset_require(const struct fmt_manifest *m, const char *name, const struct cs_log *log,
                          struct cs_error *err)
{
    int n = load_chunkset_check(m, name, log);

    if (!n)
        return 0;
    return cs_error_set(err, CS_ERR_FORMAT,
                        "%s: %d problem(s) in the manifest's chunk lists (listed above): the "
                        "dump must not be loaded as it is",
                        name, n);
}
