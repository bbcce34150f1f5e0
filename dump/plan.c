#include "dump/plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/quote.h"
#include "format/sqlenc.h"

enum fmt_key_type dump_plan_key_type(const struct dump_column *c)
{
    static const char *const decimal[] = {"decimal", "numeric"};
    static const char *const floats[] = {"double", "real", "float"};

    switch (c->kind) {
    case FMT_COL_NUMBER:
        for (size_t i = 0; i < 2; i++)
            if (!strcasecmp(c->data_type, decimal[i]))
                return FMT_KEY_DECIMAL;
        for (size_t i = 0; i < 3; i++)
            if (!strcasecmp(c->data_type, floats[i]))
                return FMT_KEY_FLOAT;
        return FMT_KEY_INTEGER; /* the integer types and YEAR */
    case FMT_COL_FLOAT:
        return FMT_KEY_FLOAT;
    case FMT_COL_BIT:
        return FMT_KEY_INTEGER; /* selected as col+0 */
    case FMT_COL_BINARY:
        return FMT_KEY_BINARY;
    case FMT_COL_UTF8TEXT:
        return FMT_KEY_TEXT;
    default: /* a string with a charset; without one, a date or time */
        return c->charset ? FMT_KEY_STRING : FMT_KEY_TEMPORAL;
    }
}

int dump_plan_key_usable(const struct dump_table *t)
{
    for (size_t i = 0; i < t->nkey; i++) {
        const struct dump_column *c = &t->cols[t->key[i]];
        if (!strcasecmp(c->data_type, "enum") || !strcasecmp(c->data_type, "set") ||
            c->kind == FMT_COL_MYSQL_JSON)
            return 0;
    }
    return t->nkey > 0;
}

void dump_plan_range(const struct dump_table *t, const char **names, const struct fmt_bound *lo,
                     const struct fmt_bound *hi, struct fmt_chunk_range *r)
{
    for (size_t i = 0; i < t->nkey; i++)
        names[i] = t->cols[t->key[i]].name;
    r->key = names;
    r->nkey = t->nkey;
    r->lo = lo;
    r->hi = hi;
}

struct fmt_bound *dump_key_new(const struct dump_table *t, char **vals, const unsigned long *lens,
                               const size_t *positions, int closed, const char **why)
{
    struct fmt_bound *k = fmt_bound_new(t->nkey, closed);

    *why = "out of memory";
    for (size_t i = 0; k && i < t->nkey; i++) {
        const struct dump_column *c = &t->cols[t->key[i]];
        size_t p = positions[i];
        enum fmt_key_type type = dump_plan_key_type(c);
        int is_str = type == FMT_KEY_STRING;
        if (!vals[p] ||
            fmt_key_value_set(&k->v[i], type, is_str ? c->charset : NULL, vals[p], lens[p], why) <
                0 ||
            (is_str && c->collation && fmt_key_value_collate(&k->v[i], c->collation, why) < 0)) {
            if (!vals[p])
                *why = "a value (the key column is NULL)";
            fmt_bound_free(k);
            k = NULL;
        }
    }
    return k;
}

struct fmt_bound *dump_key_as(const struct fmt_bound *k, int closed)
{
    struct fmt_bound *d = fmt_bound_dup(k);

    if (d)
        d->closed = closed;
    return d;
}

void dump_unit_free(struct dump_unit *u)
{
    if (!u)
        return;
    fmt_bound_free(u->lo);
    fmt_bound_free(u->hi);
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

static int push_unit(struct unit_list *l, int keyed, struct fmt_bound *lo, struct fmt_bound *hi)
{
    struct dump_unit *u = calloc(1, sizeof(*u));
    void *p = realloc(l->v, (l->n + 1) * sizeof(*l->v));

    if (!u || !p) {
        free(u);
        if (p)
            l->v = p;
        fmt_bound_free(lo);
        fmt_bound_free(hi);
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

static struct fmt_bound *int_key(const char *val, int closed)
{
    struct fmt_bound *k = fmt_bound_new(1, closed);
    const char *why;

    if (k && fmt_key_value_set(&k->v[0], FMT_KEY_INTEGER, NULL, val, strlen(val), &why) < 0) {
        fmt_bound_free(k);
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
        struct fmt_bound *lo = i ? int_key(bounds[i - 1], 1) : NULL;
        struct fmt_bound *hi = i < nb ? int_key(bounds[i], 0) : NULL;
        if ((i && !lo) || (i < nb && !hi)) {
            fmt_bound_free(lo);
            fmt_bound_free(hi);
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
static void probe_sql(struct cs_buf *b, const struct dump_table *t, const struct fmt_bound *lo,
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
        const char *names[64];
        struct fmt_chunk_range r;
        dump_plan_range(t, names, lo, NULL, &r);
        cs_buf_puts(b, " WHERE ");
        fmt_chunk_where(b, &r);
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
    struct fmt_bound *lo = NULL;
    size_t pos[64];
    const char *why = "";
    int rc = 0;

    for (size_t i = 0; i < t->nkey; i++)
        pos[i] = i;
    for (;;) {
        struct cs_buf sql = CS_BUF_INIT;
        struct fmt_bound *hi = NULL;
        struct cs_result *res = NULL;
        char **row;

        probe_sql(&sql, t, lo, step);
        rc = cs_conn_query(conn, sql.data, &res, err);
        cs_buf_release(&sql);
        if (rc < 0)
            break;
        row = cs_result_row(res);
        if (row)
            hi = dump_key_new(t, row, cs_result_lengths(res), pos, 0, &why);
        cs_result_free(res);
        if (row && !hi) {
            rc = cs_error_set(err, strcmp(why, "out of memory") ? CS_ERR_INTERNAL : CS_ERR_NOMEM,
                              "probing %s.%s: a key value that is not %s", t->schema, t->name, why);
            break;
        }
        rc = push_unit(l, 1, lo, hi); /* takes lo and hi; the last unit is open above */
        lo = NULL;
        if (rc < 0 || !hi)
            break;
        lo = dump_key_as(hi, 1);
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
