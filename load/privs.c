#include "load/privs.h"

#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "format/sqlenc.h"
#include "load/journal.h"

/* The account as information_schema's GRANTEE spells it: 'user'@'host'. */
#define GRANTEE_SQL                                                                                \
    "CONCAT('''', LEFT(CURRENT_USER(), LENGTH(CURRENT_USER()) - "                                  \
    "LENGTH(SUBSTRING_INDEX(CURRENT_USER(), '@', -1)) - 1), '''@''', "                             \
    "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')"

struct need {
    const char *priv;
    enum fmt_object_kind kind; /* only when the schema holds one; FMT_OBJ_DATABASE: always */
};

static const struct need needs[] = {
    {"CREATE", FMT_OBJ_DATABASE},          {"INSERT", FMT_OBJ_DATABASE},
    {"SELECT", FMT_OBJ_DATABASE},          {"ALTER", FMT_OBJ_DATABASE},
    {"INDEX", FMT_OBJ_DATABASE},           {"CREATE VIEW", FMT_OBJ_VIEW},
    {"CREATE ROUTINE", FMT_OBJ_PROCEDURE}, {"CREATE ROUTINE", FMT_OBJ_FUNCTION},
    {"TRIGGER", FMT_OBJ_TRIGGER},          {"EVENT", FMT_OBJ_EVENT},
};

/* 1 when a role is active in the session (its grants do not show). */
static int role_active(struct cs_conn *c, int *active, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;

    if (cs_conn_query(c, "SELECT CURRENT_ROLE()", &res, err) < 0)
        return -1;
    row = cs_result_row(res);
    *active = row && row[0] && strcmp(row[0], "NONE") && *row[0];
    cs_result_free(res);
    return 0;
}

/* The privileges held on SCHEMA (globally or on a matching pattern), one
 * per line between newlines: "\nCREATE\nINSERT\n". */
static int held(struct cs_conn *c, const char *schema, struct cs_buf *out, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int rc;

    cs_buf_puts(&sql, "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE "
                      "GRANTEE IN (" GRANTEE_SQL ", 'PUBLIC') UNION SELECT PRIVILEGE_TYPE FROM "
                      "information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN (" GRANTEE_SQL
                      ", 'PUBLIC') AND ");
    fmt_sql_append_string(&sql, schema, strlen(schema));
    cs_buf_puts(&sql, " LIKE TABLE_SCHEMA");
    out->len = 0;
    cs_buf_puts(out, "\n");
    rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                             : cs_conn_query(c, sql.data, &res, err);
    while (rc == 0 && (row = cs_result_row(res)))
        cs_buf_printf(out, "%s\n", row[0] ? row[0] : "");
    cs_result_free(res);
    cs_buf_release(&sql);
    return rc;
}

static int has(const struct cs_buf *h, const char *priv)
{
    char k[64];

    snprintf(k, sizeof(k), "\n%s\n", priv);
    return h->data && strstr(h->data, k) != NULL;
}

static int schema_has_kind(const struct fmt_manifest *m, const char *schema,
                           enum fmt_object_kind kind)
{
    for (size_t i = 0; i < m->nobjects; i++)
        if (m->objects[i].kind == kind && !strcmp(m->objects[i].schema, schema))
            return 1;
    return 0;
}

/* Logs each privilege on SCHEMA that is missing; returns how many. */
static size_t missing_on(const struct load_config *cfg, const struct fmt_manifest *m,
                         const char *schema, const struct cs_buf *h)
{
    size_t n = 0;
    const char *last = NULL;

    for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
        const struct need *nd = &needs[i];
        if (last && !strcmp(last, nd->priv))
            continue;
        if (m && nd->kind != FMT_OBJ_DATABASE && !schema_has_kind(m, schema, nd->kind))
            continue;
        if (!m && strcmp(nd->priv, "CREATE") && strcmp(nd->priv, "INSERT") &&
            strcmp(nd->priv, "SELECT"))
            continue;
        if (!has(h, nd->priv)) {
            cs_log_error(cfg->log,
                         "the loading user lacks %s on schema %s: GRANT %s ON `%s`.* TO ...",
                         nd->priv, schema, nd->priv, schema);
            n++;
            last = nd->priv;
        }
    }
    if (m && cfg->if_exists == LOAD_IF_EXISTS_REPLACE && !has(h, "DROP")) {
        cs_log_error(cfg->log,
                     "the loading user lacks DROP on schema %s (--if-exists=replace): "
                     "GRANT DROP ON `%s`.* TO ...",
                     schema, schema);
        n++;
    }
    return n;
}

int load_privs_check(struct cs_conn *c, const struct load_config *cfg, const struct fmt_manifest *m,
                     struct cs_error *err)
{
    struct cs_buf h = CS_BUF_INIT;
    size_t missing = 0;
    int active, rc = -1;

    if (role_active(c, &active, err) < 0)
        return -1;
    if (active) {
        cs_log_verbose(cfg->log, "a role is active: its privileges are not checked before the "
                                 "load");
        return 0;
    }
    for (size_t i = 0; i < m->nobjects; i++) {
        if (m->objects[i].kind != FMT_OBJ_DATABASE)
            continue;
        if (held(c, m->objects[i].schema, &h, err) < 0)
            goto out;
        missing += missing_on(cfg, m, m->objects[i].schema, &h);
    }
    if (held(c, LOAD_JOURNAL_SCHEMA, &h, err) < 0)
        goto out;
    missing += missing_on(cfg, NULL, LOAD_JOURNAL_SCHEMA, &h);
    rc = missing ? cs_error_set(err, CS_ERR_USAGE,
                                "the loading user lacks %zu privilege(s) the load needs (listed "
                                "above); nothing was changed",
                                missing)
                 : 0;
out:
    cs_buf_release(&h);
    return rc;
}
