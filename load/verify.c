#include "load/verify.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "format/chunksel.h"

static int build_select(struct cs_buf *b, const struct fmt_table *t, const char *schema,
                        const struct fmt_chunk *c)
{
    struct fmt_sel_col *cols = calloc(t->ncolumns + 1, sizeof(*cols));
    struct fmt_chunk_range r = {(const char *const *)t->key, t->nkey, c ? c->lo : NULL,
                                c ? c->hi : NULL};

    if (!cols)
        return -1;
    for (size_t i = 0; i < t->ncolumns; i++)
        cols[i] = (struct fmt_sel_col){t->columns[i].name, t->columns[i].kind};
    fmt_chunk_select(b, cols, t->ncolumns, schema ? schema : t->schema, t->name, &r, 0);
    free(cols);
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
        cs_error_set(err, CS_ERR_NOMEM, "out of memory, or a chunk bound that does not fit the key");
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
                        c ? " chunk " : "", c ? c->file : "");
    return r < 0 ? -1 : 0;
}
