#include "load/dataonly.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "format/sqlenc.h"

int load_dataonly_compare(const struct fmt_table *t, const struct load_target_col *cols, size_t n,
                          char *why, size_t whylen)
{
    size_t k = 0;

    if (n == 0) {
        snprintf(why, whylen,
                 "the target has no such table (create it first, or load "
                 "without --data-only)");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct load_target_col *c = &cols[i];
        const struct fmt_column *d = k < t->ncolumns ? &t->columns[k] : NULL;

        if (c->generated)
            continue;
        if (!d) {
            snprintf(why, whylen, "the target has column %s, which the dump does not", c->name);
            return 1;
        }
        if (strcasecmp(c->name, d->name)) {
            int later = 0;
            for (size_t j = k + 1; j < t->ncolumns; j++)
                later |= !strcasecmp(t->columns[j].name, c->name);
            if (later)
                snprintf(why, whylen,
                         "column %s comes where the dump has %s (another column order)", c->name,
                         d->name);
            else
                snprintf(why, whylen, "the target has column %s where the dump has %s", c->name,
                         d->name);
            return 1;
        }
        if (strcasecmp(c->type, d->type)) {
            snprintf(why, whylen, "column %s is %s on the target, %s in the dump", c->name, c->type,
                     d->type);
            return 1;
        }
        k++;
    }
    if (k < t->ncolumns) {
        snprintf(why, whylen, "the target has no column %s", t->columns[k].name);
        return 1;
    }
    return 0;
}

/* The target's columns of T into COLS (strings owned by RES). */
static int target_cols(struct cs_conn *c, const struct fmt_table *t, struct cs_result **res,
                       struct load_target_col **cols, size_t *n, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    char **row;
    unsigned long *lens;
    size_t cap = 0;
    int r;

    *n = 0;
    *cols = NULL;
    cs_buf_puts(&sql, "SELECT COLUMN_NAME, COLUMN_TYPE, EXTRA FROM information_schema.COLUMNS "
                      "WHERE TABLE_SCHEMA = ");
    fmt_sql_append_string(&sql, t->schema, strlen(t->schema));
    cs_buf_puts(&sql, " AND TABLE_NAME = ");
    fmt_sql_append_string(&sql, t->name, strlen(t->name));
    cs_buf_puts(&sql, " ORDER BY ORDINAL_POSITION");
    if (cs_buf_failed(&sql)) {
        cs_buf_release(&sql);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    r = cs_conn_query(c, sql.data, res, err);
    cs_buf_release(&sql);
    if (r < 0)
        return -1;
    while ((r = cs_result_next(*res, &row, &lens, err)) == 1) {
        if (*n == cap) {
            struct load_target_col *p = realloc(*cols, (cap ? 2 * cap : 16) * sizeof(*p));
            if (!p)
                return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            *cols = p;
            cap = cap ? 2 * cap : 16;
        }
        (*cols)[(*n)++] = (struct load_target_col){row[0], row[1],
                                                   row[2] && (strstr(row[2], "GENERATED") ||
                                                              strstr(row[2], "ROW START") ||
                                                              strstr(row[2], "ROW END"))};
    }
    return r < 0 ? -1 : 0;
}

/* The first trigger of the target on T, into WHY; 1 found, 0 none, -1 error. */
static int target_trigger(struct cs_conn *c, const struct fmt_table *t, char *why, size_t whylen,
                          struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    char *name = NULL;
    int r;

    cs_buf_puts(&sql, "SELECT MIN(TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE "
                      "EVENT_OBJECT_SCHEMA = ");
    fmt_sql_append_string(&sql, t->schema, strlen(t->schema));
    cs_buf_puts(&sql, " AND EVENT_OBJECT_TABLE = ");
    fmt_sql_append_string(&sql, t->name, strlen(t->name));
    r = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                            : cs_conn_query_value(c, sql.data, &name, err);
    cs_buf_release(&sql);
    if (r < 0)
        return -1;
    if (name && *name)
        snprintf(why, whylen,
                 "the target has trigger %s on it, which would fire for every row loaded; drop "
                 "it for the load and create it again after",
                 name);
    r = name && *name;
    free(name);
    return r;
}

int load_dataonly_check(struct cs_conn *c, const struct fmt_manifest *m, const struct cs_log *log,
                        struct cs_error *err)
{
    size_t bad = 0;
    const struct fmt_table *first = NULL;
    char why[400], first_why[400] = "";

    for (size_t i = 0; i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        struct cs_result *res = NULL;
        struct load_target_col *cols = NULL;
        size_t n = 0;
        int r = target_cols(c, t, &res, &cols, &n, err);

        int differs = r == 0 && load_dataonly_compare(t, cols, n, why, sizeof(why));

        if (r == 0 && !differs && (differs = target_trigger(c, t, why, sizeof(why), err)) < 0)
            r = -1;
        if (r == 0 && differs) {
            cs_log_error(log, "--data-only: table %s.%s: %s", t->schema, t->name, why);
            if (!bad++) {
                first = t;
                snprintf(first_why, sizeof(first_why), "%s", why);
            }
        }
        free(cols);
        cs_result_free(res);
        if (r < 0)
            return cs_error_prefix(err, "--data-only: reading the columns of %s.%s", t->schema,
                                   t->name);
    }
    if (!bad)
        return 0;
    return cs_error_set(err, CS_ERR_USAGE,
                        "--data-only: %zu table(s) of the dump do not fit the target's (listed "
                        "above; the first: %s.%s: %s); nothing was loaded",
                        bad, first->schema, first->name, first_why);
}
