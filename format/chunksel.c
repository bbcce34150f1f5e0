#include "format/chunksel.h"

#include "common/quote.h"

void fmt_chunk_select_list(struct cs_buf *b, const struct fmt_sel_col *cols, size_t n)
{
    struct cs_buf q = CS_BUF_INIT;

    for (size_t i = 0; i < n; i++) {
        if (i)
            cs_buf_puts(b, ", ");
        cs_buf_reset(&q);
        cs_quote_ident(&q, cols[i].name);
        if (cs_buf_failed(&q)) {
            cs_buf_set_failed(b);
            break;
        }
        fmt_col_select_expr(b, cols[i].kind, q.data);
    }
    if (n == 0)
        cs_buf_puts(b, "1");
    cs_buf_release(&q);
}

/* One side: STRICT between the leading columns, LAST at the final one. */
static void tuple_cmp(struct cs_buf *b, const struct fmt_chunk_range *r, const struct fmt_bound *k,
                      const char *strict, const char *last)
{
    cs_buf_putc(b, '(');
    for (size_t i = 0; i < k->n; i++) {
        cs_buf_puts(b, i ? " OR (" : "(");
        for (size_t j = 0; j <= i; j++) {
            if (j)
                cs_buf_puts(b, " AND ");
            cs_quote_ident(b, r->key[j]);
            cs_buf_printf(b, " %s ", j < i ? "=" : (i + 1 == k->n ? last : strict));
            fmt_key_value_sql(b, &k->v[j]);
        }
        cs_buf_putc(b, ')');
    }
    cs_buf_putc(b, ')');
}

int fmt_chunk_where(struct cs_buf *b, const struct fmt_chunk_range *r)
{
    if ((r->lo && (r->lo->n != r->nkey || !r->nkey)) ||
        (r->hi && (r->hi->n != r->nkey || !r->nkey))) {
        cs_buf_set_failed(b);
        return -1;
    }
    if (r->lo)
        tuple_cmp(b, r, r->lo, ">", r->lo->closed ? ">=" : ">");
    if (r->lo && r->hi)
        cs_buf_puts(b, " AND ");
    if (r->hi)
        tuple_cmp(b, r, r->hi, "<", r->hi->closed ? "<=" : "<");
    return cs_buf_failed(b) ? -1 : 0;
}

void fmt_chunk_select(struct cs_buf *b, const struct fmt_sel_col *cols, size_t n,
                      const char *schema, const char *table, const struct fmt_chunk_range *r,
                      int order_by)
{
    cs_buf_puts(b, "SELECT ");
    fmt_chunk_select_list(b, cols, n);
    cs_buf_puts(b, " FROM ");
    cs_quote_qualified(b, schema, table);
    if (r && (r->lo || r->hi)) {
        cs_buf_puts(b, " WHERE ");
        fmt_chunk_where(b, r);
    }
    for (size_t k = 0; r && order_by && k < r->nkey; k++) {
        cs_buf_puts(b, k ? ", " : " ORDER BY ");
        cs_quote_ident(b, r->key[k]);
    }
}
