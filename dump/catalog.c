#include "dump/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "format/checksum.h"
#include "format/sqlenc.h"
#include "dump/access.h"
#include "dump/accounts.h"
#include "dump/select.h"

static const char *const system_schemas[] = {"mysql", "sys", "information_schema",
                                             "performance_schema"};

int dump_catalog_is_system_schema(const char *s)
{
    for (size_t i = 0; i < sizeof(system_schemas) / sizeof(system_schemas[0]); i++)
        if (!strcasecmp(s, system_schemas[i]))
            return 1;
    return 0;
}

static char *dupz(const char *s)
{
    return strdup(s ? s : "");
}

static void *grow(void *arr, size_t n, size_t size)
{
    /* capacity doubles at powers of two */
    if (n && (n & (n - 1)))
        return arr;
    return realloc(arr, (n ? n * 2 : 4) * size);
}

/* " IN ('a','b')" over the selected schemas. */
static void schema_in(struct cs_buf *b, const struct dump_catalog *cat)
{
    cs_buf_puts(b, " IN (");
    for (size_t i = 0; i < cat->nschemas; i++) {
        if (i)
            cs_buf_putc(b, ',');
        fmt_sql_append_string(b, cat->schemas[i], strlen(cat->schemas[i]));
    }
    cs_buf_puts(b, ")");
}

/* Runs PREFIX " IN (<schemas>)" SUFFIX and hands every row to FN, which
 * returns -1 on allocation failure. */
typedef int (*row_fn)(void *ctx, char **row, unsigned long *lens);

static int each_row(struct cs_conn *conn, const struct dump_catalog *cat, const char *prefix,
                    const char *suffix, row_fn fn, void *ctx, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int rc = -1;

    cs_buf_puts(&sql, prefix);
    schema_in(&sql, cat);
    cs_buf_puts(&sql, suffix);
    if (cs_buf_failed(&sql)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (cs_conn_query(conn, sql.data, &res, err) < 0)
        goto out;
    rc = 0;
    while (rc == 0 && (row = cs_result_row(res)))
        rc = fn(ctx, row, cs_result_lengths(res));
    if (rc < 0 && !cs_error_is_set(err))
        cs_error_set(err, CS_ERR_NOMEM, "out of memory reading the catalog");
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    return rc;
}

static int read_schemas(struct cs_conn *conn, struct dump_select *sel, struct dump_catalog *cat,
                        struct cs_error *err)
{
    const struct dump_config *cfg = sel->cfg;
    struct cs_result *res = NULL;
    char **row;
    int rc = -1;

    if (cs_conn_query(conn, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1", &res,
                      err) < 0)
        return -1;
    while ((row = cs_result_row(res))) {
        void *p;
        if (!dump_select_schema(sel, row[0]))
            continue;
        p = grow(cat->schemas, cat->nschemas, sizeof(char *));
        if (!p)
            goto oom;
        cat->schemas = p;
        if (!(cat->schemas[cat->nschemas] = dupz(row[0])))
            goto oom;
        cat->nschemas++;
    }
    for (size_t i = 0; i < cfg->databases.n; i++) {
        int found = 0;
        for (size_t j = 0; j < cat->nschemas; j++)
            found |= !strcmp(cat->schemas[j], cfg->databases.items[i]);
        if (!found) {
            cs_error_set(err, CS_ERR_USAGE,
                         "--databases: schema '%s' does not exist on the source (or is a "
                         "system schema: add --include-system)",
                         cfg->databases.items[i]);
            goto out;
        }
    }
    rc = 0;
    goto out;
oom:
    cs_error_set(err, CS_ERR_NOMEM, "out of memory reading schemas");
out:
    cs_result_free(res);
    return rc;
}

static const char *const transactional_engines[] = {"InnoDB", "RocksDB", "TokuDB"};

static int engine_is_transactional(const char *engine)
{
    for (size_t i = 0; i < sizeof(transactional_engines) / sizeof(transactional_engines[0]); i++)
        if (engine && !strcasecmp(engine, transactional_engines[i]))
            return 1;
    return 0;
}

static int cmp_table(const void *a, const void *b)
{
    const struct dump_table *x = a, *y = b;
    int c = strcmp(x->schema, y->schema);
    return c ? c : strcmp(x->name, y->name);
}

static struct dump_table *find_table(struct dump_catalog *cat, const char *schema,
                                     const char *name)
{
    struct dump_table key = {.schema = (char *)schema, .name = (char *)name};
    return bsearch(&key, cat->tables, cat->ntables, sizeof(key), cmp_table);
}

static int add_object(struct dump_catalog *cat, enum fmt_object_kind kind, const char *schema,
                      const char *name, const char *table)
{
    struct dump_object *o;
    void *p = grow(cat->objects, cat->nobjects, sizeof(*o));

    if (!p)
        return -1;
    cat->objects = p;
    o = &cat->objects[cat->nobjects++];
    memset(o, 0, sizeof(*o));
    o->kind = kind;
    o->schema = dupz(schema);
    o->name = dupz(name);
    o->table = table ? dupz(table) : NULL;
    return o->schema && o->name && (!table || o->table) ? 0 : -1;
}

static int add_table(struct dump_catalog *cat, char **row)
{
    struct dump_table *t;
    void *p = grow(cat->tables, cat->ntables, sizeof(*t));

    if (!p)
        return -1;
    cat->tables = p;
    t = &cat->tables[cat->ntables++];
    memset(t, 0, sizeof(*t));
    t->schema = dupz(row[0]);
    t->name = dupz(row[1]);
    t->engine = dupz(row[3]);
    t->versioned = row[2] && !strcmp(row[2], "SYSTEM VERSIONED");
    t->transactional = engine_is_transactional(row[3]);
    t->est_rows = row[4] ? strtoull(row[4], NULL, 10) : 0;
    t->data_bytes = row[5] ? strtoull(row[5], NULL, 10) : 0;
    return t->schema && t->name && t->engine ? 0 : -1;
}

struct table_ctx {
    const struct dump_config *cfg;
    struct dump_select *sel;
    struct dump_catalog *cat;
};

static int table_row(void *vctx, char **row, unsigned long *lens)
{
    struct table_ctx *c = vctx;

    (void)lens;
    if (!dump_select_table(c->sel, row[0], row[1]))
        return 0;
    if (!strcmp(row[2], "VIEW"))
        return c->cfg->no_views ? 0 : add_object(c->cat, FMT_OBJ_VIEW, row[0], row[1], NULL);
    if (!strcmp(row[2], "BASE TABLE") || !strcmp(row[2], "SYSTEM VERSIONED"))
        return add_table(c->cat, row);
    if (!strcmp(row[2], "SEQUENCE"))
        return c->cfg->no_sequences ? 0
                                    : add_object(c->cat, FMT_OBJ_SEQUENCE, row[0], row[1], NULL);
    cs_log_warn(c->cfg->log, "%s.%s: %s objects are not dumped", row[0], row[1], row[2]);
    return 0;
}

static int read_tables(struct cs_conn *conn, struct dump_select *sel, struct dump_catalog *cat,
                       struct cs_error *err)
{
    struct table_ctx c = {sel->cfg, sel, cat};

    if (each_row(conn, cat,
                 "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, DATA_LENGTH "
                 "FROM information_schema.TABLES WHERE TABLE_SCHEMA",
                 "", table_row, &c, err) < 0)
        return -1;
    qsort(cat->tables, cat->ntables, sizeof(*cat->tables), cmp_table);
    return 0;
}

static int extra_has(const char *extra, const char *word)
{
    return extra && strcasestr(extra, word) != NULL;
}

/* JSON_TABLE, which the mysql-json SELECT needs, came with MySQL 8.0.4:
 * older servers' JSON travels as text (utf8text), types not kept. */
static int add_column(struct dump_table *t, char **row, int is_mariadb, int json_table)
{
    struct dump_column *c;
    const char *extra = row[6];
    void *p = grow(t->cols, t->ncols, sizeof(*c));

    if (!p)
        return -1;
    t->cols = p;
    c = &t->cols[t->ncols++];
    memset(c, 0, sizeof(*c));
    c->name = dupz(row[2]);
    c->data_type = dupz(row[3]);
    c->type = dupz(row[4]);
    c->charset = row[5] ? dupz(row[5]) : NULL;
    c->collation = row[7] ? dupz(row[7]) : NULL;
    c->kind = fmt_col_kind_from_type(row[3], is_mariadb);
    if (c->kind == FMT_COL_MYSQL_JSON && !json_table)
        c->kind = FMT_COL_UTF8TEXT;
    c->generated = extra_has(extra, "VIRTUAL") || extra_has(extra, "STORED GENERATED") ||
                   extra_has(extra, "PERSISTENT");
    c->period = extra_has(extra, "ROW START") || extra_has(extra, "ROW END");
    c->is_int = strstr(row[3], "int") != NULL && c->kind == FMT_COL_NUMBER;
    c->is_unsigned = strstr(row[4], "unsigned") != NULL;
    return c->name && c->data_type && c->type ? 0 : -1;
}

struct column_ctx {
    struct dump_catalog *cat;
    int is_mariadb;
    int json_table; /* the server has JSON_TABLE */
};

static int column_row(void *vctx, char **row, unsigned long *lens)
{
    struct column_ctx *c = vctx;
    struct dump_table *t = find_table(c->cat, row[0], row[1]);

    (void)lens;
    return t ? add_column(t, row, c->is_mariadb, c->json_table) : 0;
}

static int read_columns(struct cs_conn *conn, const struct cs_version *v,
                        struct dump_catalog *cat, struct cs_error *err)
{
    struct column_ctx c = {cat, v->flavor == CS_FLAVOR_MARIADB,
                           v->flavor == CS_FLAVOR_MYSQL && cs_version_at_least(v, 8, 0, 4)};

    return each_row(conn, cat,
                    "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, "
                    "CHARACTER_SET_NAME, EXTRA, COLLATION_NAME FROM information_schema.COLUMNS "
                    "WHERE TABLE_SCHEMA",
                    " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION", column_row, &c, err);
}

static long col_index(const struct dump_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (!strcasecmp(t->cols[i].name, name))
            return (long)i;
    return -1;
}

/* Index rows arrive ordered by index and position.  The primary key wins;
 * else the first unique key whose columns are all NOT NULL, whole (no
 * prefix) and stored. Table state: key/nkey hold the best so far, and a
 * scratch list holds the index being read. */
struct key_scan {
    struct dump_catalog *cat;
    struct dump_table *t;
    char index[200];
    size_t cols[64];
    size_t n;
    int usable;
    int primary;
};

static int key_scan_flush(struct key_scan *s)
{
    struct dump_table *t = s->t;

    if (!t || !s->usable || !s->n)
        return 0;
    if (t->nkey && !s->primary)
        return 0; /* keep the primary key or the first unique key */
    if (t->nkey && s->primary)
        free(t->key);
    t->key = malloc(s->n * sizeof(size_t));
    if (!t->key)
        return -1;
    memcpy(t->key, s->cols, s->n * sizeof(size_t));
    t->nkey = s->n;
    return 0;
}

static int key_scan_row(struct key_scan *s, char **row)
{
    struct dump_table *t = find_table(s->cat, row[0], row[1]);
    long ci;

    if (!t)
        return 0;
    if (t != s->t || strcmp(s->index, row[2]) != 0) {
        if (key_scan_flush(s) < 0)
            return -1;
        s->t = t;
        snprintf(s->index, sizeof(s->index), "%s", row[2]);
        s->n = 0;
        s->primary = !strcmp(row[2], "PRIMARY");
        s->usable = !strcmp(row[4], "0");
    }
    /* COLUMN_NAME is NULL for a functional key part (MySQL 8.0.13+): such
     * an index cannot drive chunking */
    ci = row[3] ? col_index(t, row[3]) : -1;
    if (ci < 0 || s->n == 64 || t->cols[ci].generated || (row[5] && !strcmp(row[5], "YES")) ||
        row[6])
        s->usable = 0;
    else
        s->cols[s->n++] = (size_t)ci;
    return 0;
}

static int key_row(void *vctx, char **row, unsigned long *lens)
{
    struct key_scan *s = vctx;

    (void)lens;
    return key_scan_row(s, row);
}

static int read_keys(struct cs_conn *conn, struct dump_catalog *cat, struct cs_error *err)
{
    struct key_scan scan;

    memset(&scan, 0, sizeof(scan));
    scan.cat = cat;
    if (each_row(conn, cat,
                 "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, COLUMN_NAME, NON_UNIQUE, NULLABLE, "
                 "SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA",
                 " ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, "
                 "SEQ_IN_INDEX",
                 key_row, &scan, err) < 0)
        return -1;
    return key_scan_flush(&scan) < 0 ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") : 0;
}


struct object_ctx {
    const struct dump_config *cfg;
    struct dump_select *sel;
    struct dump_catalog *cat;
    enum fmt_object_kind kind;
};

static int object_row(void *vctx, char **row, unsigned long *lens)
{
    struct object_ctx *c = vctx;
    enum fmt_object_kind k = c->kind;
    const char *table = NULL;

    (void)lens;
    if (k == FMT_OBJ_PROCEDURE) { /* routines: the third column is the type */
        if (strcmp(row[2], "PROCEDURE") && strcmp(row[2], "FUNCTION")) {
            cs_log_warn(c->cfg->log, "%s.%s: %s routines are not dumped", row[0], row[1], row[2]);
            return 0;
        }
        k = strcmp(row[2], "FUNCTION") ? FMT_OBJ_PROCEDURE : FMT_OBJ_FUNCTION;
    } else if (k == FMT_OBJ_TRIGGER) {
        table = row[2];
        if (!dump_select_table(c->sel, row[0], table))
            return 0;
    }
    return add_object(c->cat, k, row[0], row[1], table);
}

static int read_objects_sql(struct cs_conn *conn, struct dump_select *sel,
                            struct dump_catalog *cat, const char *prefix,
                            enum fmt_object_kind kind, struct cs_error *err)
{
    struct object_ctx c = {sel->cfg, sel, cat, kind};

    return each_row(conn, cat, prefix, "", object_row, &c, err);
}

static int read_objects(struct cs_conn *conn, struct dump_select *sel, struct dump_catalog *cat,
                        struct cs_error *err)
{
    const struct dump_config *cfg = sel->cfg;

    for (size_t i = 0; i < cat->nschemas; i++)
        if (add_object(cat, FMT_OBJ_DATABASE, cat->schemas[i], cat->schemas[i], NULL) < 0)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (!cfg->no_routines &&
        read_objects_sql(conn, sel, cat,
                         "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM "
                         "information_schema.ROUTINES WHERE ROUTINE_SCHEMA",
                         FMT_OBJ_PROCEDURE, err) < 0)
        return -1;
    if (!cfg->no_triggers &&
        read_objects_sql(conn, sel, cat,
                         "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE FROM "
                         "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA",
                         FMT_OBJ_TRIGGER, err) < 0)
        return -1;
    if (!cfg->no_events &&
        read_objects_sql(conn, sel, cat,
                         "SELECT EVENT_SCHEMA, EVENT_NAME, NULL FROM information_schema.EVENTS "
                         "WHERE EVENT_SCHEMA",
                         FMT_OBJ_EVENT, err) < 0)
        return -1;
    return 0;
}

/* Who may see what: the classes the user cannot dump fail here (or are
 * noted, with --allow-missing); then the accounts. */
static int read_access(struct cs_conn *conn, struct dump_select *sel, const struct cs_version *v,
                       struct dump_catalog *cat, struct cs_error *err)
{
    struct dump_access a;
    int accounts = dump_select_wants_accounts(sel->cfg), rc;

    if (dump_access_read(conn, &a, err) < 0)
        return -1;
    rc = dump_access_check(&a, sel->cfg, v, cat, &accounts, err);
    dump_access_release(&a);
    if (rc < 0 || !accounts)
        return rc;
    cat->users = 1;
    if (dump_accounts_list(conn, v, sel, cat, err) < 0)
        return -1;
    return dump_select_unmatched(sel, 1, sel->cfg->log, err);
}

int dump_catalog_read(struct cs_conn *conn, const struct dump_config *cfg,
                      const struct cs_version *v, struct dump_catalog **out,
                      struct cs_error *err)
{
    struct dump_catalog *cat = calloc(1, sizeof(*cat));
    struct dump_select sel;

    *out = NULL;
    if (!cat)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (dump_select_init(&sel, cfg, err) < 0) {
        free(cat);
        return -1;
    }
    if (read_schemas(conn, &sel, cat, err) < 0)
        goto fail;
    if (cat->nschemas &&
        (read_tables(conn, &sel, cat, err) < 0 || read_columns(conn, v, cat, err) < 0 ||
         read_keys(conn, cat, err) < 0 || read_objects(conn, &sel, cat, err) < 0))
        goto fail;
    if (dump_select_unmatched(&sel, 0, cfg->log, err) < 0 ||
        read_access(conn, &sel, v, cat, err) < 0)
        goto fail;
    dump_select_release(&sel);
    *out = cat;
    return 0;
fail:
    dump_select_release(&sel);
    if (err->code != CS_ERR_USAGE && err->code != CS_ERR_SERVER)
        cs_error_prefix(err, "reading the catalog");
    dump_catalog_free(cat);
    return -1;
}

int dump_catalog_not_dumped(struct dump_catalog *cat, const char *what)
{
    void *p = grow(cat->not_dumped, cat->nnot_dumped, sizeof(char *));

    if (!p)
        return -1;
    cat->not_dumped = p;
    if (!(cat->not_dumped[cat->nnot_dumped] = strdup(what)))
        return -1;
    cat->nnot_dumped++;
    return 0;
}

int dump_catalog_add_account(struct dump_catalog *cat, const char *user, const char *host,
                             int role)
{
    struct dump_account *a;
    void *p = grow(cat->accounts, cat->naccounts, sizeof(*a));

    if (!p)
        return -1;
    cat->accounts = p;
    a = &cat->accounts[cat->naccounts++];
    a->user = strdup(user);
    a->host = strdup(host);
    a->role = role;
    return a->user && a->host ? 0 : -1;
}

static void table_release(struct dump_table *t)
{
    for (size_t j = 0; j < t->ncols; j++) {
        free(t->cols[j].name);
        free(t->cols[j].type);
        free(t->cols[j].data_type);
        free(t->cols[j].charset);
        free(t->cols[j].collation);
    }
    free(t->cols);
    free(t->key);
    free(t->schema);
    free(t->name);
    free(t->engine);
}

static void object_release(struct dump_object *o)
{
    free(o->schema);
    free(o->name);
    free(o->table);
}

void dump_catalog_prune(struct dump_catalog *cat, const unsigned char *drop_tables,
                        const unsigned char *drop_objects)
{
    size_t k = 0;

    for (size_t i = 0; i < cat->ntables; i++) {
        if (drop_tables[i])
            table_release(&cat->tables[i]);
        else
            cat->tables[k++] = cat->tables[i];
    }
    cat->ntables = k;
    k = 0;
    for (size_t i = 0; i < cat->nobjects; i++) {
        if (drop_objects[i])
            object_release(&cat->objects[i]);
        else
            cat->objects[k++] = cat->objects[i];
    }
    cat->nobjects = k;
}

void dump_catalog_free(struct dump_catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->nschemas; i++)
        free(cat->schemas[i]);
    for (size_t i = 0; i < cat->ntables; i++)
        table_release(&cat->tables[i]);
    for (size_t i = 0; i < cat->nobjects; i++)
        object_release(&cat->objects[i]);
    for (size_t i = 0; i < cat->naccounts; i++) {
        free(cat->accounts[i].user);
        free(cat->accounts[i].host);
    }
    for (size_t i = 0; i < cat->nnot_dumped; i++)
        free(cat->not_dumped[i]);
    free(cat->schemas);
    free(cat->tables);
    free(cat->objects);
    free(cat->accounts);
    free(cat->not_dumped);
    free(cat);
}

struct fingerprint_ctx {
    struct dump_catalog *cat;
    struct fmt_checksum sum;
    struct cs_buf line;
};

static int fingerprint_row(void *vctx, char **row, unsigned long *lens)
{
    struct fingerprint_ctx *c = vctx;

    if (find_table(c->cat, row[0], row[1]))
        fmt_checksum_row(&c->sum, &c->line, row, lens, 6);
    return 0;
}

int dump_catalog_fingerprint(struct cs_conn *conn, const struct dump_catalog *cat,
                             char out[17], struct cs_error *err)
{
    struct fingerprint_ctx c = {(struct dump_catalog *)cat, {0, 0}, CS_BUF_INIT};
    int rc = 0;

    if (cat->nschemas)
        rc = each_row(conn, cat,
                      "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, "
                      "EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA",
                      "", fingerprint_row, &c, err);
    fmt_checksum_hex(&c.sum, out);
    cs_buf_release(&c.line);
    return rc;
}

size_t dump_catalog_count_nontrx(const struct dump_catalog *cat)
{
    size_t n = 0;

    for (size_t i = 0; i < cat->ntables; i++)
        n += !cat->tables[i].transactional;
    return n;
}
