#include "load/journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/chunkindex.h"
#include "format/sqlenc.h"

int load_journal_ensure(struct cs_conn *c, struct cs_error *err)
{
    if (cs_conn_exec(c, "CREATE DATABASE IF NOT EXISTS `" LOAD_JOURNAL_SCHEMA "`", err) < 0 ||
        cs_conn_exec(c,
                     "CREATE TABLE IF NOT EXISTS " LOAD_JOURNAL_TABLE " ("
                     " dump_id CHAR(32) CHARACTER SET ascii NOT NULL,"
                     " item VARBINARY(1024) NOT NULL,"
                     " rows_loaded BIGINT UNSIGNED NOT NULL DEFAULT 0,"
                     " checksum CHAR(16) CHARACTER SET ascii NOT NULL DEFAULT '',"
                     " done_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                     " PRIMARY KEY (dump_id, item)) ENGINE=InnoDB",
                     err) < 0)
        return cs_error_prefix(err, "creating the progress journal " LOAD_JOURNAL_TABLE
                                    " (the load user needs CREATE on it)");
    return 0;
}

static void where_dump(struct cs_buf *b, const char *dump_id)
{
    cs_buf_puts(b, " WHERE dump_id = ");
    fmt_sql_append_string(b, dump_id, strlen(dump_id));
}

int load_journal_reset(struct cs_conn *c, const char *dump_id, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    cs_buf_puts(&sql, "DELETE FROM " LOAD_JOURNAL_TABLE);
    where_dump(&sql, dump_id);
    rc = cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int load_journal_read(struct cs_conn *c, const char *dump_id, struct load_journal *j,
                      struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int rc = -1;

    memset(j, 0, sizeof(*j));
    memcpy(j->dump_id, dump_id, sizeof(j->dump_id) - 1);
    cs_buf_puts(&sql, "SELECT item FROM " LOAD_JOURNAL_TABLE);
    where_dump(&sql, dump_id);
    if (cs_conn_query(c, sql.data, &res, err) < 0)
        goto out;
    j->items = calloc(cs_result_rows(res) + 1, sizeof(char *));
    if (!j->items)
        goto oom;
    while ((row = cs_result_row(res))) {
        j->items[j->n] = strndup(row[0], cs_result_lengths(res)[0]);
        if (!j->items[j->n++])
            goto oom;
    }
    qsort(j->items, j->n, sizeof(char *), cmp_str);
    rc = 0;
    goto out;
oom:
    cs_error_set(err, CS_ERR_NOMEM, "out of memory reading the journal");
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    return rc;
}

int load_journal_peek(struct cs_conn *c, const char *dump_id, struct load_journal *j, int *exists,
                      struct cs_error *err)
{
    struct cs_result *res = NULL;

    memset(j, 0, sizeof(*j));
    memcpy(j->dump_id, dump_id, sizeof(j->dump_id) - 1);
    if (cs_conn_query(
            c,
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" LOAD_JOURNAL_SCHEMA
            "' AND TABLE_NAME = 'journal'",
            &res, err) < 0)
        return -1;
    *exists = cs_result_row(res) != NULL;
    cs_result_free(res);
    return *exists ? load_journal_read(c, dump_id, j, err) : 0;
}

struct chunk_check {
    const char *name;
    struct fmt_chunk_index ix;
};

/* One chunk row (FILE, ROWS, CHECKSUM) against the manifest. */
static int check_row(const struct chunk_check *k, const char *file, uint64_t rows,
                     const char *checksum, struct cs_error *err)
{
    const struct fmt_chunk_ref *x = fmt_chunk_index_find(&k->ix, file);
    char early[LOAD_JOURNAL_CHECKSUM_LEN + 1];

    if (!x)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: chunk %s is journaled as loaded on the target (" LOAD_JOURNAL_TABLE
                            "), but the manifest does not have it: the target holds rows that "
                            "are not this dump's; load the dump into a fresh target",
                            k->name, file);
    if (x->c->rows != rows ||
        (strcmp(checksum, x->c->checksum) &&
         strcmp(checksum, load_journal_early_checksum(x->c->file_hash, early))))
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: chunk %s is journaled as loaded on the target with %llu rows "
                            "(checksum %s), but the manifest says %llu rows, checksum %s, file "
                            "hash %s: the target holds rows that are not this dump's; load the "
                            "dump into a fresh target",
                            k->name, file, (unsigned long long)rows, checksum,
                            (unsigned long long)x->c->rows, x->c->checksum, x->c->file_hash);
    return 0;
}

int load_journal_check(struct cs_conn *c, const char *dump_id, const struct fmt_manifest *m,
                       const char *name, struct cs_error *err)
{
    struct chunk_check k = {name, {NULL, 0}};
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int rc = -1;

    cs_buf_puts(&sql, "SELECT SUBSTRING(item, 7), rows_loaded, checksum FROM " LOAD_JOURNAL_TABLE);
    where_dump(&sql, dump_id);
    cs_buf_puts(&sql, " AND item LIKE 'chunk:%'");
    if (cs_buf_failed(&sql) || fmt_chunk_index_build(&k.ix, m) < 0) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory checking the journal");
        goto out;
    }
    if (cs_conn_query(c, sql.data, &res, err) < 0)
        goto out;
    rc = 0;
    while (rc == 0 && (row = cs_result_row(res)))
        rc = check_row(&k, row[0] ? row[0] : "", row[1] ? strtoull(row[1], NULL, 10) : 0,
                       row[2] ? row[2] : "", err);
out:
    if (res)
        cs_result_free(res);
    fmt_chunk_index_free(&k.ix);
    cs_buf_release(&sql);
    return rc;
}

void load_journal_release(struct load_journal *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        free(j->items[i]);
    free(j->items);
    j->items = NULL;
    j->n = 0;
}

int load_journal_has(const struct load_journal *j, const char *item)
{
    return j->n && bsearch(&item, j->items, j->n, sizeof(char *), cmp_str) != NULL;
}

const char *load_journal_early_checksum(const char *file_hash,
                                        char out[LOAD_JOURNAL_CHECKSUM_LEN + 1])
{
    snprintf(out, LOAD_JOURNAL_CHECKSUM_LEN + 1, "%s", file_hash);
    return out;
}

void load_journal_insert_sql(struct cs_buf *b, const char *dump_id, const char *item, uint64_t rows,
                             const char *checksum)
{
    cs_buf_puts(b, "INSERT INTO " LOAD_JOURNAL_TABLE " (dump_id, item, rows_loaded, checksum) "
                   "VALUES (");
    fmt_sql_append_string(b, dump_id, strlen(dump_id));
    cs_buf_putc(b, ',');
    fmt_sql_append_string(b, item, strlen(item));
    cs_buf_printf(b, ",%llu,", (unsigned long long)rows);
    fmt_sql_append_string(b, checksum ? checksum : "", checksum ? strlen(checksum) : 0);
    cs_buf_putc(b, ')');
}

int load_journal_mark(struct cs_conn *c, const char *dump_id, const char *item,
                      struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    load_journal_insert_sql(&sql, dump_id, item, 0, NULL);
    cs_buf_puts(&sql, " ON DUPLICATE KEY UPDATE done_at = done_at");
    rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                             : cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    return rc;
}

int load_journal_lookup(struct cs_conn *c, const char *dump_id, const char *item, int *found,
                        struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    char *v = NULL;
    int rc;

    cs_buf_puts(&sql, "SELECT COUNT(*) FROM " LOAD_JOURNAL_TABLE);
    where_dump(&sql, dump_id);
    cs_buf_puts(&sql, " AND item = ");
    fmt_sql_append_string(&sql, item, strlen(item));
    rc = cs_conn_query_value(c, sql.data, &v, err);
    *found = rc == 0 && v && strcmp(v, "0") != 0;
    free(v);
    cs_buf_release(&sql);
    return rc;
}

int load_journal_ensure_detail(struct cs_conn *c, struct cs_error *err)
{
    char *n = NULL;
    int rc = cs_conn_query_value(c,
                                 "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
                                 "TABLE_SCHEMA = '" LOAD_JOURNAL_SCHEMA "' AND TABLE_NAME = "
                                 "'journal' AND COLUMN_NAME = 'detail'",
                                 &n, err);
    struct cs_error e;

    if (rc == 0 && n && !strcmp(n, "0")) {
        cs_error_clear(&e);
        rc = cs_conn_exec(c,
                          "ALTER TABLE " LOAD_JOURNAL_TABLE " ADD COLUMN detail TEXT "
                          "CHARACTER SET utf8mb4 NULL",
                          &e);
        if (rc < 0 && e.server_errno == 1060) /* another csload added it meanwhile */
            rc = 0;
        else if (rc < 0)
            cs_error_copy(err, &e);
    }
    free(n);
    return rc < 0 ? cs_error_prefix(err, "adding the detail column to " LOAD_JOURNAL_TABLE) : 0;
}

void load_journal_note_sql(struct cs_buf *b, const char *dump_id, const char *item,
                           const char *detail)
{
    cs_buf_puts(b, "INSERT INTO " LOAD_JOURNAL_TABLE " (dump_id, item, detail) VALUES (");
    fmt_sql_append_string(b, dump_id, strlen(dump_id));
    cs_buf_putc(b, ',');
    fmt_sql_append_string(b, item, strlen(item));
    cs_buf_puts(b, ",_utf8mb4");
    fmt_sql_append_string(b, detail, strlen(detail));
    cs_buf_puts(b, ") ON DUPLICATE KEY UPDATE done_at = done_at");
}

int load_journal_note(struct cs_conn *c, const char *dump_id, const char *item, const char *detail,
                      struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    load_journal_note_sql(&sql, dump_id, item, detail);
    rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                             : cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    return rc;
}

void load_journal_item(struct cs_buf *b, const char *kind, const char *schema, const char *name)
{
    cs_buf_printf(b, "%s:%s", kind, schema);
    if (name)
        cs_buf_printf(b, ".%s", name);
}
