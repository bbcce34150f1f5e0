#include "load/verify.h"

#include <string.h>

#include "common/buf.h"
#include "common/quote.h"

static int build_select(struct cs_buf *b, const struct fmt_table *t, const char *schema,
                        const struct fmt_chunk *c)
{
    struct cs_buf q = CS_BUF_INIT;

    cs_buf_puts(b, "SELECT ");
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (i)
            cs_buf_puts(b, ", ");
        cs_buf_reset(&q);
        cs_quote_ident(&q, t->columns[i].name);
        fmt_col_select_expr(b, t->columns[i].kind, q.failed ? "" : q.data);
    }
    if (t->ncolumns == 0)
        cs_buf_puts(b, "1");
    cs_buf_puts(b, " FROM ");
    cs_quote_qualified(b, schema ? schema : t->schema, t->name);
    if (c && c->where) {
        cs_buf_puts(b, " WHERE ");
        cs_buf_puts(b, c->where);
    }
    cs_buf_release(&q);
    return cs_buf_failed(b) ? -1 : 0;
}

int load_verify_select(struct cs_conn *conn, const struct fmt_table *t, const char *schema,
                       const struct fmt_chunk *c, struct fmt_checksum *out,
                       struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT, line = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    unsigned long *lens;
    int r = -1;

    fmt_checksum_init(out);
    if (build_select(&sql, t, schema, c) < 0) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (cs_conn_query_stream(conn, sql.data, &res, err) < 0)
        goto out;
    while ((r = cs_result_next(res, &row, &lens, err)) == 1)
        fmt_checksum_row(out, &line, row, lens, (unsigned)t->ncolumns);
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    cs_buf_release(&line);
    if (r < 0)
        cs_error_prefix(err, "verifying %s.%s%s%s", schema ? schema : t->schema, t->name,
                        c && c->where ? " where " : "", c && c->where ? c->where : "");
    return r < 0 ? -1 : 0;
}
