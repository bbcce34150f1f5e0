#include "load/share.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "format/sqlenc.h"
#include "load/chunk.h"
#include "load/journal.h"

static void lock_name(struct cs_buf *b, const char *dump_id, int slot)
{
    char name[80];

    if (slot < 0)
        snprintf(name, sizeof(name), "csload:%s", dump_id);
    else
        snprintf(name, sizeof(name), "csload:%s:%d", dump_id, slot);
    fmt_sql_append_string(b, name, strlen(name));
}

/* The one-value answer of SQL: 1, 0, or -1 for NULL; -2 with ERR on failure. */
static int scalar(struct cs_conn *c, const char *sql, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    int v = -2;

    if (cs_conn_query(c, sql, &res, err) < 0)
        return -2;
    row = cs_result_row(res);
    v = row && row[0] ? atoi(row[0]) : -1;
    cs_result_free(res);
    return v;
}

int load_share_lock(struct cs_conn *c, const char *dump_id, const volatile int *cancel,
                    const struct cs_log *log, const char *what, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int got = 0, said = 0;

    cs_buf_puts(&sql, "SELECT GET_LOCK(");
    lock_name(&sql, dump_id, -1);
    cs_buf_puts(&sql, ", 5)");
    while (!got) {
        int v = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") - 1
                                    : scalar(c, sql.data, err);
        if (v < -1)
            break;
        got = v == 1;
        if (!got && cs_cancelled(cancel)) {
            cs_error_set(err, CS_ERR_CANCELLED, "interrupted waiting for another csload");
            break;
        }
        if (!got && !said++)
            cs_log_info(log, "another csload of this dump is %s: waiting for it", what);
    }
    cs_buf_release(&sql);
    return got ? 0 : -1;
}

void load_share_unlock(struct cs_conn *c, const char *dump_id)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_error ignore;

    cs_buf_puts(&sql, "SELECT RELEASE_LOCK(");
    lock_name(&sql, dump_id, -1);
    cs_buf_puts(&sql, ")");
    cs_error_clear(&ignore);
    if (!cs_buf_failed(&sql))
        scalar(c, sql.data, &ignore);
    cs_buf_release(&sql);
}

int load_share_present(struct cs_conn *c, const char *dump_id, unsigned *others,
                       struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int mine = -1, rc = 0;

    *others = 0;
    for (int i = 0; i < LOAD_SHARE_SLOTS && rc == 0; i++) {
        int v;
        cs_buf_reset(&sql);
        cs_buf_puts(&sql, mine < 0 ? "SELECT GET_LOCK(" : "SELECT IS_USED_LOCK(");
        lock_name(&sql, dump_id, i);
        cs_buf_puts(&sql, mine < 0 ? ", 0)" : ") IS NOT NULL");
        v = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") - 1
                                : scalar(c, sql.data, err);
        if (v < -1)
            rc = -1;
        else if (mine < 0 && v == 1)
            mine = i;
        else if (v == 1 || mine < 0)
            (*others)++;
    }
    cs_buf_release(&sql);
    return rc;
}

static int claims_ensure(struct cs_conn *c, struct cs_error *err)
{
    if (cs_conn_exec(c,
                     "CREATE TABLE IF NOT EXISTS " LOAD_CLAIMS_TABLE " ("
                     " dump_id CHAR(32) CHARACTER SET ascii NOT NULL,"
                     " item VARBINARY(1024) NOT NULL,"
                     " PRIMARY KEY (dump_id, item)) ENGINE=InnoDB",
                     err) < 0)
        return cs_error_prefix(err, "creating " LOAD_CLAIMS_TABLE " (the table several "
                                    "loaders share chunks through)");
    return 0;
}

static void claims_insert_head(struct cs_buf *b)
{
    cs_buf_puts(b, "INSERT IGNORE INTO " LOAD_CLAIMS_TABLE " (dump_id, item) VALUES ");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The claim rows the dump has, sorted (a plain read: it waits for no lock). */
static int existing_claims(struct cs_conn *c, const char *dump_id, char ***items, size_t *n,
                           struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int rc = -1;

    *items = NULL;
    *n = 0;
    cs_buf_puts(&sql, "SELECT item FROM " LOAD_CLAIMS_TABLE " WHERE dump_id = ");
    fmt_sql_append_string(&sql, dump_id, strlen(dump_id));
    if (cs_buf_failed(&sql) || cs_conn_query(c, sql.data, &res, err) < 0)
        goto out;
    *items = calloc(cs_result_rows(res) + 1, sizeof(**items));
    if (!*items)
        goto out;
    while ((row = cs_result_row(res)) != NULL)
        if (row[0] && !((*items)[(*n)++] = strdup(row[0])))
            goto out;
    qsort(*items, *n, sizeof(**items), cmp_str);
    rc = 0;
out:
    if (rc < 0 && !cs_error_is_set(err))
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    cs_buf_release(&sql);
    cs_result_free(res);
    return rc;
}

static void free_items(char **items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        free(items[i]);
    free(items);
}

int load_share_claims_fill(struct cs_conn *c, const char *dump_id, const struct fmt_manifest *m,
                           struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT, item = CS_BUF_INIT;
    size_t rows = 0, nhave = 0;
    char **have = NULL;
    int rc = claims_ensure(c, err);

    /* rows another loader holds FOR UPDATE are not touched: an INSERT IGNORE
     * of an existing row would wait for its lock */
    if (rc == 0)
        rc = existing_claims(c, dump_id, &have, &nhave, err);
    for (size_t t = 0; rc == 0 && t < m->ntables; t++)
        for (size_t k = 0; rc == 0 && k < m->tables[t].nchunks; k++) {
            const char *key;
            cs_buf_reset(&item);
            load_chunk_item(&item, &m->tables[t].chunks[k]);
            key = item.data ? item.data : "";
            if (nhave && bsearch(&key, have, nhave, sizeof(*have), cmp_str))
                continue;
            if (!rows)
                claims_insert_head(&sql);
            cs_buf_puts(&sql, rows ? ",(" : "(");
            fmt_sql_append_string(&sql, dump_id, strlen(dump_id));
            cs_buf_putc(&sql, ',');
            fmt_sql_append_string(&sql, item.data ? item.data : "", item.len);
            cs_buf_putc(&sql, ')');
            if (++rows == 500) {
                rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                                         : cs_conn_exec(c, sql.data, err);
                cs_buf_reset(&sql);
                rows = 0;
            }
        }
    if (rc == 0 && rows)
        rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                                 : cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    cs_buf_release(&item);
    free_items(have, nhave);
    return rc;
}

/* ITEM has a row in TABLE (a plain read, no lock). 1, 0, or -1 with ERR. */
static int has_item(struct cs_conn *c, const char *table, const char *dump_id, const char *item,
                    struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int v;

    cs_buf_printf(&sql, "SELECT COUNT(*) FROM %s WHERE dump_id = ", table);
    fmt_sql_append_string(&sql, dump_id, strlen(dump_id));
    cs_buf_puts(&sql, " AND item = ");
    fmt_sql_append_string(&sql, item, strlen(item));
    v = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") - 1
                            : scalar(c, sql.data, err);
    cs_buf_release(&sql);
    return v < -1 ? -1 : v > 0;
}

static int claim_exists(struct cs_conn *c, const char *dump_id, const char *item,
                        struct cs_error *err)
{
    return has_item(c, LOAD_CLAIMS_TABLE, dump_id, item, err);
}

int load_share_claim_add(struct cs_conn *c, const char *dump_id, const char *item,
                         struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc = claim_exists(c, dump_id, item, err);

    if (rc != 0) /* there (perhaps held by the loader loading it), or an error */
        return rc < 0 ? -1 : 0;
    claims_insert_head(&sql);
    cs_buf_putc(&sql, '(');
    fmt_sql_append_string(&sql, dump_id, strlen(dump_id));
    cs_buf_putc(&sql, ',');
    fmt_sql_append_string(&sql, item, strlen(item));
    cs_buf_putc(&sql, ')');
    rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                             : cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    return rc;
}

void load_share_claim_sql(struct cs_buf *b, const char *dump_id, const char *item, int skip_locked)
{
    cs_buf_puts(b, "SELECT 1 FROM " LOAD_CLAIMS_TABLE " WHERE dump_id = ");
    fmt_sql_append_string(b, dump_id, strlen(dump_id));
    cs_buf_puts(b, " AND item = ");
    fmt_sql_append_string(b, item, strlen(item));
    cs_buf_puts(b, skip_locked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE");
}

/* Is ITEM journaled (seen by the transaction that now holds its claim)? */
static int journaled(struct cs_conn *c, const char *dump_id, const char *item, struct cs_error *err)
{
    return has_item(c, LOAD_JOURNAL_TABLE, dump_id, item, err);
}

int load_share_claim(struct cs_conn *c, const char *dump_id, const char *item, enum load_claim mode,
                     struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int v, j;

    if (mode == LOAD_CLAIM_NONE)
        return LOAD_CLAIMED;
    /* a wait may last as long as the other loader's chunk */
    if (mode == LOAD_CLAIM_WAIT &&
        cs_conn_exec(c, "SET SESSION innodb_lock_wait_timeout = 86400", err) < 0)
        return -1;
    load_share_claim_sql(&sql, dump_id, item, mode == LOAD_CLAIM_SKIP);
    v = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") - 1
                            : scalar(c, sql.data, err);
    if (v == -1 && mode == LOAD_CLAIM_WAIT) /* load_share_claim_add was not called */
        v = cs_error_set(err, CS_ERR_INTERNAL, "%s: no claim row to wait on", item) - 1;
    cs_buf_release(&sql);
    if (mode == LOAD_CLAIM_WAIT) {
        struct cs_error e2;
        cs_error_clear(&e2);
        cs_conn_exec(c, "SET SESSION innodb_lock_wait_timeout = DEFAULT", &e2);
    }
    if (v < -1)
        return -1;
    if (v == -1 && mode == LOAD_CLAIM_SKIP)
        return LOAD_CLAIM_BUSY; /* no row: another loader holds it */
    j = journaled(c, dump_id, item, err);
    return j < 0 ? -1 : j ? LOAD_CLAIM_DONE : LOAD_CLAIMED;
}

/* 'csload:<dump id>:<XXH3-64 of ITEM>' as an SQL string. */
static void item_lock_name(struct cs_buf *b, const char *dump_id, const char *item)
{
    char name[80];

    snprintf(name, sizeof(name), "csload:%s:%016llx", dump_id,
             (unsigned long long)XXH3_64bits(item, strlen(item)));
    fmt_sql_append_string(b, name, strlen(name));
}

int load_share_claim_named(struct cs_conn *c, const char *dump_id, const char *item,
                           enum load_claim mode, const volatile int *cancel, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int v = 0, j;

    if (mode == LOAD_CLAIM_NONE)
        return LOAD_CLAIMED;
    cs_buf_puts(&sql, "SELECT GET_LOCK(");
    item_lock_name(&sql, dump_id, item);
    cs_buf_puts(&sql, mode == LOAD_CLAIM_SKIP ? ", 0)" : ", 5)");
    while (v != 1) {
        v = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") - 1
                                : scalar(c, sql.data, err);
        if (v < -1 || (v != 1 && mode == LOAD_CLAIM_SKIP))
            break;
        if (v != 1 && cs_cancelled(cancel)) {
            v = cs_error_set(err, CS_ERR_CANCELLED, "cancelled waiting for chunk %s", item) - 1;
            break;
        }
    }
    cs_buf_release(&sql);
    if (v < -1)
        return -1;
    if (v != 1)
        return LOAD_CLAIM_BUSY;
    j = journaled(c, dump_id, item, err);
    if (j != 0)
        load_share_release(c, dump_id, item);
    return j < 0 ? -1 : j ? LOAD_CLAIM_DONE : LOAD_CLAIMED;
}

void load_share_started_item(struct cs_buf *b, const char *item)
{
    cs_buf_printf(b, "started:%s", item);
}

int load_share_nontx_begin(struct cs_conn *c, const char *dump_id, const char *item,
                           struct cs_error *err)
{
    struct cs_buf mark = CS_BUF_INIT;
    int rc;

    load_share_started_item(&mark, item);
    rc = cs_buf_failed(&mark) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                              : claim_exists(c, dump_id, mark.data, err);
    if (rc > 0)
        rc = cs_error_set(err, CS_ERR_FORMAT,
                          "%s: a csload that was loading this chunk of a non-transactional "
                          "table stopped half-way, so some of its rows may be in the table: "
                          "once no other csload is loading this dump, run the same command "
                          "again -- it empties the table and loads it whole",
                          item);
    else if (rc == 0)
        rc = load_share_claim_add(c, dump_id, mark.data, err);
    cs_buf_release(&mark);
    return rc;
}

void load_share_release(struct cs_conn *c, const char *dump_id, const char *item)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_error ignore;

    cs_buf_puts(&sql, "SELECT RELEASE_LOCK(");
    item_lock_name(&sql, dump_id, item);
    cs_buf_puts(&sql, ")");
    cs_error_clear(&ignore);
    if (!cs_buf_failed(&sql))
        scalar(c, sql.data, &ignore);
    cs_buf_release(&sql);
}
