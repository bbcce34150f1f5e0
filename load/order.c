#include "load/order.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

/* ---- chunks: a max-heap of tables by bytes still to load ---------------- */

struct pending {
    size_t table;
    size_t next;        /* next chunk to hand out */
    uint64_t remaining; /* raw bytes of the chunks not handed out yet */
};

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A comes before B: more bytes left, then the lower table index. */
static int before(const struct pending *a, const struct pending *b)
{
    if (a->remaining != b->remaining)
        return a->remaining > b->remaining;
    return a->table < b->table;
}

static void sift_down(struct pending *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, best = i;
        struct pending tmp;

        if (l < n && before(&h[l], &h[best]))
            best = l;
        if (r < n && before(&h[r], &h[best]))
            best = r;
        if (best == i)
            return;
        tmp = h[i];
        h[i] = h[best];
        h[best] = tmp;
        i = best;
    }
}

/* Tables with chunks, heapified; *total is the number of chunks. */
static struct pending *build_heap(const struct fmt_manifest *m, size_t *nheap, size_t *total)
{
    struct pending *h = calloc(m->ntables ? m->ntables : 1, sizeof(*h));
    size_t n = 0;

    *total = 0;
    if (!h)
        return NULL;
    for (size_t t = 0; t < m->ntables; t++) {
        const struct fmt_table *tab = &m->tables[t];

        if (tab->nchunks == 0)
            continue;
        h[n].table = t;
        for (size_t c = 0; c < tab->nchunks; c++)
            h[n].remaining = add_sat(h[n].remaining, tab->chunks[c].raw_bytes);
        *total += tab->nchunks;
        n++;
    }
    for (size_t i = n / 2; i-- > 0;)
        sift_down(h, n, i);
    *nheap = n;
    return h;
}

int load_order_chunks(const struct fmt_manifest *m, struct load_chunk_ref **out, size_t *n,
                      struct cs_error *err)
{
    struct pending *h = NULL;
    struct load_chunk_ref *refs = NULL;
    size_t nheap = 0, total = 0, k = 0;
    int rc = -1;

    *out = NULL;
    *n = 0;
    h = build_heap(m, &nheap, &total);
    if (!h || !(refs = calloc(total ? total : 1, sizeof(*refs)))) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory ordering chunks");
        goto out;
    }
    while (nheap > 0) {
        struct pending *top = &h[0];
        const struct fmt_table *tab = &m->tables[top->table];

        refs[k].table = top->table;
        refs[k].chunk = top->next;
        k++;
        top->remaining -= tab->chunks[top->next].raw_bytes <= top->remaining
                              ? tab->chunks[top->next].raw_bytes
                              : top->remaining;
        if (++top->next == tab->nchunks)
            h[0] = h[--nheap];
        sift_down(h, nheap, 0);
    }
    *out = refs;
    *n = k;
    refs = NULL;
    rc = 0;
out:
    free(h);
    free(refs);
    return rc;
}

/* ---- views: Kahn's algorithm over `db`.`name` references ----------------
 *
 * Each definition is scanned once for `a`.`b` pairs (string literals
 * skipped, `x`.`a`.`b` column references counted for `x`.`a` only) and
 * each pair looked up among the views, sorted by (schema, name). */

struct view_key {
    const char *schema;
    const char *name;
    size_t idx;
};

static int key_cmp(const void *a, const void *b)
{
    const struct view_key *x = a, *y = b;
    int c = strcmp(x->schema, y->schema);

    if (c)
        return c;
    c = strcmp(x->name, y->name);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

struct graph {
    size_t n;
    struct view_key *keys; /* sorted */
    size_t *pred_start;    /* n + 1 offsets into pred */
    size_t *pred;          /* the views view j references */
    size_t npred, cap;
    size_t *succ_start; /* n + 1 offsets into succ */
    size_t *succ;       /* the views that reference view i */
    size_t *indeg;
    size_t *mark; /* mark[i] == j + 1: edge i -> j already added */
};

static void graph_release(struct graph *g)
{
    free(g->keys);
    free(g->pred_start);
    free(g->pred);
    free(g->succ_start);
    free(g->succ);
    free(g->indeg);
    free(g->mark);
    memset(g, 0, sizeof(*g));
}

/* After the string literal at P (which opens it).  A doubled quote reads
 * as two literals back to back: same end. */
static const char *skip_quoted(const char *p)
{
    char q = *p++;

    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == q)
            return p + 1;
    }
    return p;
}

/* Unquote the identifier at P (on its backtick) into B; returns the end,
 * NULL when it is not terminated. */
static const char *read_ident(const char *p, struct cs_buf *b)
{
    cs_buf_reset(b);
    cs_buf_puts(b, "");
    for (p++; *p; p++) {
        if (*p == '`') {
            if (p[1] != '`')
                return p + 1;
            p++;
        }
        cs_buf_putc(b, *p);
    }
    return NULL;
}

static int add_pred(struct graph *g, size_t i, size_t j)
{
    if (i == j || g->mark[i] == j + 1)
        return 0;
    g->mark[i] = j + 1;
    if (g->npred == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        size_t *p = realloc(g->pred, cap * sizeof(*p));

        if (!p)
            return -1;
        g->pred = p;
        g->cap = cap;
    }
    g->pred[g->npred++] = i;
    return 0;
}

static int lookup_pair(struct graph *g, const char *schema, const char *name, size_t j)
{
    struct view_key k = {schema, name, 0};
    size_t lo = 0, hi = g->n;

    /* first key >= (schema, name, 0); equal names are adjacent */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (key_cmp(&g->keys[mid], &k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < g->n && !strcmp(g->keys[lo].schema, schema) && !strcmp(g->keys[lo].name, name);
         lo++)
        if (add_pred(g, g->keys[lo].idx, j) < 0)
            return -1;
    return 0;
}

/* Record the views DDL (view J's definition) references. */
static int scan_refs(struct graph *g, const char *ddl, size_t j, struct cs_buf *a, struct cs_buf *b)
{
    const char *p = ddl;

    while (p && *p) {
        if (*p == '\'' || *p == '"') {
            p = skip_quoted(p);
        } else if (*p == '`') {
            int tail = p > ddl && p[-1] == '.';

            if (!(p = read_ident(p, a)))
                break;
            if (tail || p[0] != '.' || p[1] != '`')
                continue;
            /* p stays: in `a`.`b`.`c`, `b`.`c` is a tail */
            if (!read_ident(p + 1, b))
                break;
            if (cs_buf_failed(a) || cs_buf_failed(b) || lookup_pair(g, a->data, b->data, j) < 0)
                return -1;
        } else {
            p++;
        }
    }
    return 0;
}

static int find_preds(struct graph *g, const char *const *ddls)
{
    struct cs_buf a = CS_BUF_INIT, b = CS_BUF_INIT;
    int rc = 0;

    for (size_t j = 0; j < g->n && rc == 0; j++) {
        g->pred_start[j] = g->npred;
        rc = scan_refs(g, ddls[j], j, &a, &b);
    }
    g->pred_start[g->n] = g->npred;
    cs_buf_release(&a);
    cs_buf_release(&b);
    return rc;
}

static int graph_build(struct graph *g, const char *const *schemas, const char *const *names,
                       const char *const *ddls, size_t n)
{
    size_t slots = n + 1;

    g->n = n;
    g->keys = calloc(slots, sizeof(*g->keys));
    g->pred_start = calloc(slots, sizeof(size_t));
    g->succ_start = calloc(slots + 1, sizeof(size_t));
    g->indeg = calloc(slots, sizeof(size_t));
    g->mark = calloc(slots, sizeof(size_t));
    if (!g->keys || !g->pred_start || !g->succ_start || !g->indeg || !g->mark)
        return -1;
    for (size_t i = 0; i < n; i++)
        g->keys[i] = (struct view_key){schemas[i], names[i], i};
    qsort(g->keys, n, sizeof(*g->keys), key_cmp);
    if (find_preds(g, ddls) < 0 || !(g->succ = calloc(g->npred + 1, sizeof(size_t))))
        return -1;
    /* successors: count, prefix sums, fill (succ_start[i + 1] as the cursor) */
    for (size_t e = 0; e < g->npred; e++)
        g->succ_start[g->pred[e] + 2]++;
    for (size_t i = 2; i <= n + 1; i++)
        g->succ_start[i] += g->succ_start[i - 1];
    for (size_t j = 0; j < n; j++) {
        g->indeg[j] = g->pred_start[j + 1] - g->pred_start[j];
        for (size_t e = g->pred_start[j]; e < g->pred_start[j + 1]; e++)
            g->succ[g->succ_start[g->pred[e] + 1]++] = j;
    }
    return 0;
}

/* A min-heap of view indices ready to be placed: stable by input order. */
static void heap_push(size_t *h, size_t *n, size_t v)
{
    size_t i = (*n)++;

    while (i > 0 && h[(i - 1) / 2] > v) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static size_t heap_pop(size_t *h, size_t *n)
{
    size_t top = h[0], last = h[--*n], i = 0;

    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1] < h[c])
            c++;
        if (h[c] >= last)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n)
        h[i] = last;
    return top;
}

/* Places views into ORDER; returns how many (< n on a cycle). */
static size_t kahn(struct graph *g, size_t *ready, size_t *order)
{
    size_t nready = 0, k = 0;

    for (size_t v = 0; v < g->n; v++)
        if (g->indeg[v] == 0)
            heap_push(ready, &nready, v);
    while (nready > 0) {
        size_t v = heap_pop(ready, &nready);

        order[k++] = v;
        for (size_t e = g->succ_start[v]; e < g->succ_start[v + 1]; e++)
            if (--g->indeg[g->succ[e]] == 0)
                heap_push(ready, &nready, g->succ[e]);
    }
    return k;
}

/* A view on a cycle: unplaced views still have unplaced predecessors
 * (indeg > 0); walking back N steps along them ends inside a cycle. */
static size_t on_cycle(const struct graph *g)
{
    size_t v = 0;

    while (g->indeg[v] == 0)
        v++;
    for (size_t step = 0; step < g->n; step++)
        for (size_t e = g->pred_start[v]; e < g->pred_start[v + 1]; e++)
            if (g->indeg[g->pred[e]] > 0) {
                v = g->pred[e];
                break;
            }
    return v;
}

static int check_args(const char *const *schemas, const char *const *names, const char *const *ddls,
                      size_t n, const size_t *order, struct cs_error *err)
{
    if (n == 0)
        return 0;
    if (!schemas || !names || !ddls || !order)
        return cs_error_set(err, CS_ERR_INTERNAL, "ordering views: missing arguments");
    for (size_t i = 0; i < n; i++)
        if (!schemas[i] || !names[i])
            return cs_error_set(err, CS_ERR_INTERNAL, "ordering views: view %zu has no name", i);
    return 0;
}

int load_order_views(const char *const *schemas, const char *const *names, const char *const *ddls,
                     size_t n, size_t *order, struct cs_error *err)
{
    struct graph g = {0};
    size_t *ready = NULL;
    int rc = -1;

    if (check_args(schemas, names, ddls, n, order, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    if (n > SIZE_MAX / sizeof(size_t) - 2 || !(ready = calloc(n, sizeof(size_t))) ||
        graph_build(&g, schemas, names, ddls, n) < 0) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory ordering %zu views", n);
        goto out;
    }
    if (kahn(&g, ready, order) < n) {
        size_t v = on_cycle(&g);

        cs_error_set(err, CS_ERR_FORMAT,
                     "view %s.%s is part of a cycle of views that read from each other: "
                     "check its definition",
                     schemas[v], names[v]);
        goto out;
    }
    rc = 0;
out:
    graph_release(&g);
    free(ready);
    return rc;
}
