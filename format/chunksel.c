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

void fmt_chunk_select(struct cs_buf *b, const struct fmt_sel_col *cols, size_t n,
                      const char *schema, const char *table, const char *range,
                      const char *const *key, size_t nkey)
{
    cs_buf_puts(b, "SELECT ");
    fmt_chunk_select_list(b, cols, n);
    cs_buf_puts(b, " FROM ");
    cs_quote_qualified(b, schema, table);
    if (range && *range) {
        cs_buf_puts(b, " WHERE ");
        cs_buf_puts(b, range);
    }
    for (size_t k = 0; key && k < nkey; k++) {
        cs_buf_puts(b, k ? ", " : " ORDER BY ");
        cs_quote_ident(b, key[k]);
    }
}
