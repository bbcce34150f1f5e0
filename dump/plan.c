#include "dump/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/quote.h"
#include "format/sqlenc.h"

void dump_plan_literal(struct cs_buf *b, const struct dump_column *c, const char *val, size_t len)
{
    if (c->kind == FMT_COL_NUMBER || c->kind == FMT_COL_FLOAT || c->kind == FMT_COL_BIT) {
        cs_buf_append(b, val, len);
    } else if (c->kind == FMT_COL_BINARY) {
        fmt_sql_append_hex(b, val, len);
    } else if (c->charset && c->kind == FMT_COL_STRING) {
        /* the column's own character set, so its collation orders the range */
        cs_buf_printf(b, "_%s ", c->charset);
        fmt_sql_append_hex(b, val, len);
    } else {
        fmt_sql_append_string(b, val, len);
    }
}

int dump_plan_key_usable(const struct dump_table *t)
{
    for (size_t i = 0; i < t->nkey; i++) {
        const char *dt = t->cols[t->key[i]].data_type;
        if (!strcasecmp(dt, "enum") || !strcasecmp(dt, "set"))
            return 0;
    }
    return t->nkey > 0;
}

/* (k1 OP1 v1) expanded lexicographically:
 * k1 > v1 OR (k1 = v1 AND k2 > v2) OR ... OR (k1 = v1 AND ... AND kn LAST vn) */
static void tuple_cmp(struct cs_buf *b, const struct dump_table *t, const struct dump_key *k,
                      const char *strict, const char *last)
{
    cs_buf_putc(b, '(');
    for (size_t i = 0; i < k->n; i++) {
        if (i)
            cs_buf_puts(b, " OR ");
        cs_buf_putc(b, '(');
        for (size_t j = 0; j <= i; j++) {
            if (j)
                cs_buf_puts(b, " AND ");
            cs_quote_ident(b, t->cols[t->key[j]].name);
            cs_buf_printf(b, " %s ", j < i ? "=" : (i + 1 == k->n ? last : strict));
            cs_buf_puts(b, k->lit[j]);
        }
        cs_buf_putc(b, ')');
    }
    cs_buf_putc(b, ')');
}

void dump_plan_where(struct cs_buf *b, const struct dump_table *t, const struct dump_key *lo,
                     const struct dump_key *hi)
{
    if (lo)
        tuple_cmp(b, t, lo, ">", ">=");
    if (lo && hi)
        cs_buf_puts(b, " AND ");
    if (hi)
        tuple_cmp(b, t, hi, "<", "<");
}

char *dump_plan_key_sql(const struct dump_key *k)
{
    struct cs_buf b = CS_BUF_INIT;

    if (!k)
        return NULL;
    for (size_t i = 0; i < k->n; i++) {
        if (i)
            cs_buf_puts(&b, ", ");
        cs_buf_puts(&b, k->lit[i]);
    }
    return cs_buf_detach(&b);
}

void dump_key_free(struct dump_key *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++) {
        free(k->lit[i]);
        free(k->text[i]);
    }
    free(k->lit);
    free(k->text);
    free(k);
}

static struct dump_key *key_alloc(size_t n)
{
    struct dump_key *k = calloc(1, sizeof(*k));

    if (!k)
        return NULL;
    k->lit = calloc(n, sizeof(char *));
    k->text = calloc(n, sizeof(char *));
    if (!k->lit || !k->text) {
        dump_key_free(k);
        return NULL;
    }
    k->n = n;
    return k;
}

struct dump_key *dump_key_new(const struct dump_table *t, char **vals, const unsigned long *lens,
                              const size_t *positions)
{
    struct dump_key *k = key_alloc(t->nkey);
    struct cs_buf b = CS_BUF_INIT;

    for (size_t i = 0; k && i < t->nkey; i++) {
        size_t p = positions[i];
        cs_buf_reset(&b);
        dump_plan_literal(&b, &t->cols[t->key[i]], vals[p], lens[p]);
        k->lit[i] = strdup(b.failed ? "" : b.data);
        k->text[i] = strndup(vals[p], lens[p]);
        if (b.failed || !k->lit[i] || !k->text[i]) {
            dump_key_free(k);
            k = NULL;
        }
    }
    cs_buf_release(&b);
    return k;
}

struct dump_key *dump_key_dup(const struct dump_key *src)
{
    struct dump_key *k = src ? key_alloc(src->n) : NULL;

    for (size_t i = 0; k && i < src->n; i++) {
        k->lit[i] = strdup(src->lit[i]);
        k->text[i] = strdup(src->text[i]);
        if (!k->lit[i] || !k->text[i]) {
            dump_key_free(k);
            k = NULL;
        }
    }
    return k;
}

void dump_unit_free(struct dump_unit *u)
{
    if (!u)
        return;
    dump_key_free(u->lo);
    dump_key_free(u->hi);
    free(u);
}

static int parse_u64(const char *s, int is_unsigned, uint64_t *out)
{
    char *end;

    errno = 0;
    if (is_unsigned) {
        *out = strtoull(s, &end, 10);
    } else {
        long long v = strtoll(s, &end, 10);
        *out = (uint64_t)v ^ (UINT64_C(1) << 63); /* order-preserving */
    }
    return errno || *end || end == s ? -1 : 0;
}

static char *format_u64(uint64_t v, int is_unsigned)
{
    char buf[32];

    if (is_unsigned)
        snprintf(buf, sizeof(buf), "%" PRIu64, v);
    else
        snprintf(buf, sizeof(buf), "%" PRId64, (int64_t)(v ^ (UINT64_C(1) << 63)));
    return strdup(buf);
}

int dump_plan_int_bounds(const char *min, const char *max, int is_unsigned, uint64_t nslices,
                         char ***bounds, size_t *nbounds)
{
    uint64_t lo, hi;
    unsigned __int128 span, step;
    char **out;

    *bounds = NULL;
    *nbounds = 0;
    if (parse_u64(min, is_unsigned, &lo) < 0 || parse_u64(max, is_unsigned, &hi) < 0 || hi < lo)
        return -1;
    span = (unsigned __int128)(hi - lo) + 1;
    if (nslices > span)
        nslices = (uint64_t)span;
    if (nslices < 2)
        return 0;
    step = (span + nslices - 1) / nslices;
    out = calloc(nslices, sizeof(char *));
    if (!out)
        return -1;
    for (uint64_t i = 1; i < nslices; i++) {
        unsigned __int128 b = (unsigned __int128)lo + step * i;
        if (b > hi)
            break;
        out[*nbounds] = format_u64((uint64_t)b, is_unsigned);
        if (!out[*nbounds]) {
            for (size_t j = 0; j < *nbounds; j++)
                free(out[j]);
            free(out);
            *nbounds = 0;
            return -1;
        }
        (*nbounds)++;
    }
    *bounds = out;
    return 0;
}

/* Units list being built. */
struct unit_list {
    struct dump_unit **v;
    size_t n;
    size_t ti;
};

static int push_unit(struct unit_list *l, int keyed, struct dump_key *lo, struct dump_key *hi)
{
    struct dump_unit *u = calloc(1, sizeof(*u));
    void *p = realloc(l->v, (l->n + 1) * sizeof(*l->v));

    if (!u || !p) {
        free(u);
        if (p)
            l->v = p;
        dump_key_free(lo);
        dump_key_free(hi);
        return -1;
    }
    l->v = p;
    u->table = l->ti;
    u->seq = (unsigned)l->n;
    u->keyed = keyed;
    u->lo = lo;
    u->hi = hi;
    l->v[l->n++] = u;
    return 0;
}

static struct dump_key *int_key(const char *val)
{
    struct dump_key *k = key_alloc(1);

    if (!k)
        return NULL;
    k->lit[0] = strdup(val);
    k->text[0] = strdup(val);
    if (!k->lit[0] || !k->text[0]) {
        dump_key_free(k);
        return NULL;
    }
    return k;
}

static int plan_int(struct cs_conn *conn, const struct dump_table *t, uint64_t nslices,
                    struct unit_list *l, struct cs_error *err)
{
    const struct dump_column *c = &t->cols[t->key[0]];
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    char **bounds = NULL;
    size_t nb = 0;
    int rc = -1;

    cs_buf_puts(&sql, "SELECT MIN(");
    cs_quote_ident(&sql, c->name);
    cs_buf_puts(&sql, "), MAX(");
    cs_quote_ident(&sql, c->name);
    cs_buf_puts(&sql, ") FROM ");
    cs_quote_qualified(&sql, t->schema, t->name);
    if (cs_conn_query(conn, sql.data, &res, err) < 0)
        goto out;
    row = cs_result_row(res);
    if (row && row[0] && row[1] &&
        dump_plan_int_bounds(row[0], row[1], c->is_unsigned, nslices, &bounds, &nb) < 0) {
        cs_error_set(err, CS_ERR_INTERNAL, "%s.%s: cannot split key range %s..%s", t->schema,
                     t->name, row[0], row[1]);
        goto out;
    }
    rc = 0;
    for (size_t i = 0; rc == 0 && i <= nb; i++) {
        struct dump_key *lo = i ? int_key(bounds[i - 1]) : NULL;
        struct dump_key *hi = i < nb ? int_key(bounds[i]) : NULL;
        if ((i && !lo) || (i < nb && !hi)) {
            dump_key_free(lo);
            dump_key_free(hi);
            lo = hi = NULL;
            rc = -1;
        } else {
            rc = push_unit(l, 1, lo, hi);
        }
        if (rc < 0)
            cs_error_set(err, CS_ERR_NOMEM, "out of memory planning %s.%s", t->schema, t->name);
    }
out:
    for (size_t i = 0; i < nb; i++)
        free(bounds[i]);
    free(bounds);
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    return rc;
}

/* "SELECT k1expr, k2expr FROM t [WHERE key >= lo] ORDER BY k1, k2 LIMIT 1 OFFSET n" */
static void probe_sql(struct cs_buf *b, const struct dump_table *t, const struct dump_key *lo,
                      uint64_t offset)
{
    cs_buf_puts(b, "SELECT ");
    for (size_t i = 0; i < t->nkey; i++) {
        struct cs_buf q = CS_BUF_INIT;
        if (i)
            cs_buf_puts(b, ", ");
        cs_quote_ident(&q, t->cols[t->key[i]].name);
        fmt_col_select_expr(b, t->cols[t->key[i]].kind, q.failed ? "" : q.data);
        cs_buf_release(&q);
    }
    cs_buf_puts(b, " FROM ");
    cs_quote_qualified(b, t->schema, t->name);
    if (lo) {
        cs_buf_puts(b, " WHERE ");
        dump_plan_where(b, t, lo, NULL);
    }
    cs_buf_puts(b, " ORDER BY ");
    for (size_t i = 0; i < t->nkey; i++) {
        if (i)
            cs_buf_puts(b, ", ");
        cs_quote_ident(b, t->cols[t->key[i]].name);
    }
    cs_buf_printf(b, " LIMIT 1 OFFSET %llu", (unsigned long long)offset);
}

static int plan_probe(struct cs_conn *conn, const struct dump_table *t, uint64_t step,
                      struct unit_list *l, struct cs_error *err)
{
    struct dump_key *lo = NULL;
    size_t pos[64];
    int rc = 0;

    for (size_t i = 0; i < t->nkey; i++)
        pos[i] = i;
    for (;;) {
        struct cs_buf sql = CS_BUF_INIT;
        struct dump_key *hi = NULL;
        struct cs_result *res = NULL;
        char **row;

        probe_sql(&sql, t, lo, step);
        rc = cs_conn_query(conn, sql.data, &res, err);
        cs_buf_release(&sql);
        if (rc < 0)
            break;
        row = cs_result_row(res);
        if (row)
            hi = dump_key_new(t, row, cs_result_lengths(res), pos);
        cs_result_free(res);
        if (row && !hi) {
            rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory probing %s.%s", t->schema,
                              t->name);
            break;
        }
        rc = push_unit(l, 1, lo, hi); /* takes lo and hi; the last unit is open above */
        lo = NULL;
        if (rc < 0 || !hi)
            break;
        lo = dump_key_dup(hi);
        if (!lo) {
            rc = -1;
            break;
        }
    }
    return rc;
}

int dump_plan_table(struct cs_conn *conn, const struct dump_table *t, size_t ti,
                    uint64_t chunk_rows, unsigned threads, struct dump_unit ***units,
                    size_t *nunits, struct cs_error *err)
{
    struct unit_list l = {NULL, 0, ti};
    int rc;

    *units = NULL;
    *nunits = 0;
    if (!chunk_rows)
        chunk_rows = 1;
    if (!dump_plan_key_usable(t))
        rc = push_unit(&l, 0, NULL, NULL);
    else if (t->est_rows <= chunk_rows * 2)
        rc = push_unit(&l, 1, NULL, NULL);
    else if (t->nkey == 1 && t->cols[t->key[0]].is_int)
        rc = plan_int(conn, t, (t->est_rows + chunk_rows - 1) / chunk_rows, &l, err);
    else {
        uint64_t step = chunk_rows * 4;
        if (step < t->est_rows / (threads ? threads * 64u : 64u))
            step = t->est_rows / (threads ? threads * 64u : 64u);
        rc = plan_probe(conn, t, step, &l, err);
    }
    if (rc < 0) {
        if (!cs_error_is_set(err))
            cs_error_set(err, CS_ERR_NOMEM, "out of memory planning %s.%s", t->schema, t->name);
        for (size_t i = 0; i < l.n; i++)
            dump_unit_free(l.v[i]);
        free(l.v);
        return -1;
    }
    *units = l.v;
    *nunits = l.n;
    return 0;
}
