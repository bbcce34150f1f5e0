#include "dump/where.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/pattern.h"
#include "common/buf.h"
#include "common/quote.h"
#include "dump/select.h"
#include "format/chunksel.h"

/* A character of a "db.t" pattern before the ':' of a table's item. */
static int pattern_char(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("_$.%*\\-", c);
}

int dump_where_split(const char *item, char **table, const char **cond)
{
    const char *colon = strchr(item, ':');
    const char *dot = colon ? memchr(item, '.', (size_t)(colon - item)) : NULL;
    int is_table = colon && dot && dot > item && dot + 1 < colon;

    *table = NULL;
    *cond = item;
    if (item[0] == ':') {
        *cond = item + 1;
        return 0;
    }
    for (const char *p = item; is_table && p < colon; p++)
        is_table = pattern_char((unsigned char)*p);
    if (!is_table)
        return 0;
    *table = strndup(item, (size_t)(colon - item));
    *cond = colon + 1;
    return *table ? 0 : -1;
}

int dump_where_check(const struct dump_config *cfg, struct cs_error *err)
{
    const char *global = NULL;
    char why[128];
    int rc = 0;

    if (cfg->where.n && cfg->no_data)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--where filters rows and --no-data dumps none: give one of them");
    for (size_t i = 0; rc == 0 && i < cfg->where.n; i++) {
        const char *item = cfg->where.items[i], *cond;
        char *table = NULL;

        if (dump_where_split(item, &table, &cond) < 0)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        if (fmt_chunk_filter_check(cond, why, sizeof(why)) < 0)
            rc = cs_error_set(err, CS_ERR_USAGE,
                              "--where=%s: %s (the condition goes into the dump's SELECT as "
                              "WHERE ... AND (condition))",
                              item, why);
        else if (!table && global)
            rc = cs_error_set(err, CS_ERR_USAGE,
                              "--where=%s: a condition for every table was given already "
                              "(--where=%s); combine them with AND, or name the table as "
                              "db.t:condition",
                              item, global);
        else if (!table)
            global = item;
        for (size_t k = 0; rc == 0 && table && k < i; k++) {
            char *other = NULL;
            const char *oc;
            if (dump_where_split(cfg->where.items[k], &other, &oc) < 0)
                rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            else if (other && !strcmp(other, table))
                rc = cs_error_set(err, CS_ERR_USAGE,
                                  "--where=%s: %s has a condition already (--where=%s); "
                                  "combine them with AND",
                                  item, table, cfg->where.items[k]);
            free(other);
        }
        free(table);
    }
    return rc;
}

/* The condition for table T: its own item's or the one for every table;
 * HITS counts each item's tables.  -1 with ERR when two items name T. */
static int pick(const struct dump_config *cfg, char **tables, const char **conds,
                const struct dump_table *t, unsigned *hits, const char **out, struct cs_error *err)
{
    size_t own = (size_t)-1;

    *out = NULL;
    for (size_t i = 0; i < cfg->where.n; i++) {
        if (!tables[i]) {
            if (own == (size_t)-1)
                *out = conds[i];
            continue;
        }
        if (!cs_pattern_table(tables[i], t->schema, t->name))
            continue;
        if (own != (size_t)-1)
            return cs_error_set(err, CS_ERR_USAGE,
                                "--where=%s and --where=%s both name %s.%s: give the table one "
                                "condition (combine them with AND)",
                                cfg->where.items[own], cfg->where.items[i], t->schema, t->name);
        own = i;
        hits[i]++;
        *out = conds[i];
    }
    return 0;
}

int dump_where_apply(const struct dump_config *cfg, struct dump_catalog *cat, struct cs_error *err)
{
    size_t n = cfg->where.n;
    char **tables = calloc(n + 1, sizeof(char *));
    const char **conds = calloc(n + 1, sizeof(char *));
    unsigned *hits = calloc(n + 1, sizeof(unsigned));
    int rc = -1;

    if (!tables || !conds || !hits) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (dump_where_split(cfg->where.items[i], &tables[i], &conds[i]) < 0) {
            cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            goto out;
        }
    for (size_t i = 0; i < cat->ntables; i++) {
        struct dump_table *t = &cat->tables[i];
        const char *cond;

        if (pick(cfg, tables, conds, t, hits, &cond, err) < 0)
            goto out;
        if (!cond)
            continue;
        t->where = strdup(cond);
        if (!t->where) {
            cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            goto out;
        }
        cs_log_info(cfg->log, "%s.%s: only the rows WHERE %s (--where)", t->schema, t->name, cond);
    }
    for (size_t i = 0; i < n; i++)
        if (tables[i] && !hits[i]) {
            cs_error_set(err, CS_ERR_USAGE,
                         "--where=%s: %s names no table this dump takes (not selected, not a "
                         "base table, or misspelt; name it as db.table)",
                         cfg->where.items[i], tables[i]);
            goto out;
        }
    rc = 0;
out:
    for (size_t i = 0; tables && i < n; i++)
        free(tables[i]);
    free(tables);
    free(conds);
    free(hits);
    return rc;
}

int dump_where_probe(struct cs_conn *conn, const struct dump_catalog *cat, struct cs_error *err)
{
    for (size_t i = 0; i < cat->ntables; i++) {
        const struct dump_table *t = &cat->tables[i];
        struct cs_buf sql = CS_BUF_INIT;
        int rc;

        if (!t->where)
            continue;
        cs_buf_puts(&sql, "SELECT 1 FROM ");
        cs_quote_qualified(&sql, t->schema, t->name);
        cs_buf_printf(&sql, " WHERE (%s\n) LIMIT 0", t->where);
        rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                                 : cs_conn_exec(conn, sql.data, err);
        cs_buf_release(&sql);
        if (rc < 0 && err->code == CS_ERR_SERVER) {
            char msg[sizeof(err->msg)];
            snprintf(msg, sizeof(msg), "%s", err->msg);
            for (char *nl = strchr(msg, '\n'); nl; nl = strchr(nl, '\n'))
                *nl = ' '; /* the statement's own newline: one line */
            return cs_error_set(err, CS_ERR_USAGE,
                                "--where: %s.%s refuses the condition %s (%s); fix it, or give "
                                "this table its own with --where='%s.%s:...'",
                                t->schema, t->name, t->where, msg, t->schema, t->name);
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}
