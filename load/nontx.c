#include "load/nontx.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/quote.h"
#include "format/sqlenc.h"
#include "load/chunk.h"
#include "load/share.h"

/* How many of T's chunks the journal holds. */
static size_t journaled(const struct load_journal *j, const struct fmt_table *t)
{
    struct cs_buf item = CS_BUF_INIT;
    size_t n = 0;

    for (size_t k = 0; k < t->nchunks; k++) {
        cs_buf_reset(&item);
        load_chunk_item(&item, &t->chunks[k]);
        n += item.data && load_journal_has(j, item.data);
    }
    cs_buf_release(&item);
    return n;
}

static int is_empty(struct cs_conn *c, const struct fmt_table *t, int *empty, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    char *v = NULL;
    int rc;

    cs_buf_puts(&sql, "SELECT COUNT(*) FROM (SELECT 1 FROM ");
    cs_quote_qualified(&sql, t->schema, t->name);
    cs_buf_puts(&sql, " LIMIT 1) one");
    rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                             : cs_conn_query_value(c, sql.data, &v, err);
    *empty = rc == 0 && v && !strcmp(v, "0");
    free(v);
    cs_buf_release(&sql);
    return rc;
}

/* DELETE from TABLE the rows of T's chunks: their journal items, or (MARKS)
 * their start marks (load/share.h). */
static int delete_chunk_items(struct cs_conn *c, const char *table, const struct load_ctx *ctx,
                              const struct fmt_table *t, int marks, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT, item = CS_BUF_INIT, mark = CS_BUF_INIT;
    int rc;

    cs_buf_printf(&sql, "DELETE FROM %s WHERE dump_id = ", table);
    fmt_sql_append_string(&sql, ctx->dump_id, strlen(ctx->dump_id));
    cs_buf_puts(&sql, " AND item IN (");
    for (size_t k = 0; k < t->nchunks; k++) {
        const struct cs_buf *b = marks ? &mark : &item;
        cs_buf_reset(&item);
        cs_buf_reset(&mark);
        load_chunk_item(&item, &t->chunks[k]);
        if (marks)
            load_share_started_item(&mark, item.data ? item.data : "");
        if (k)
            cs_buf_putc(&sql, ',');
        fmt_sql_append_string(&sql, b->data ? b->data : "", b->len);
    }
    cs_buf_putc(&sql, ')');
    rc = cs_buf_failed(&sql) || cs_buf_failed(&item) || cs_buf_failed(&mark)
             ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
             : cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    cs_buf_release(&item);
    cs_buf_release(&mark);
    return rc;
}

/* TRUNCATE T, remove its chunk rows from the journal and their start marks. */
static int reset_table(struct cs_conn *c, const struct load_ctx *ctx, const struct fmt_table *t,
                       int empty, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc = 0;

    if (!empty) {
        cs_buf_puts(&sql, "TRUNCATE TABLE ");
        cs_quote_qualified(&sql, t->schema, t->name);
        rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                                 : cs_conn_exec(c, sql.data, err);
    }
    if (rc == 0)
        rc = delete_chunk_items(c, LOAD_JOURNAL_TABLE, ctx, t, 0, err);
    if (rc == 0)
        rc = delete_chunk_items(c, LOAD_CLAIMS_TABLE, ctx, t, 1, err);
    if (rc < 0)
        cs_error_prefix(err, "%s.%s: emptying the non-transactional table to reload it", t->schema,
                        t->name);
    cs_buf_release(&sql);
    return rc;
}

int load_nontx_prepare(struct cs_conn *c, struct load_ctx *ctx, struct load_journal *j,
                       struct cs_error *err)
{
    int changed = 0, empty;

    for (size_t i = 0; i < ctx->m->ntables; i++) {
        const struct fmt_table *t = &ctx->m->tables[i];
        size_t done;

        if (t->transactional || !t->nchunks || ctx->table_action[i] == LOAD_ACT_SKIP)
            continue;
        done = journaled(j, t);
        if (done == t->nchunks)
            continue;
        if (is_empty(c, t, &empty, err) < 0)
            return -1;
        if (empty && !done)
            continue;
        cs_log_info(ctx->cfg->log,
                    "%s.%s (%s, not transactional): an earlier run did not finish it; "
                    "reloading it whole",
                    t->schema, t->name, t->engine ? t->engine : "?");
        if (reset_table(c, ctx, t, empty, err) < 0)
            return -1;
        changed = 1;
    }
    if (!changed)
        return 0;
    load_journal_release(j);
    return load_journal_read(c, ctx->dump_id, j, err);
}
