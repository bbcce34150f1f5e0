#include "load/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/quote.h"
#include "format/sqlenc.h"
#include "load/check.h"
#include "load/compat.h"
#include "load/definer.h"
#include "load/rename.h"
#include "load/session.h"
#include "load/sqltok.h"

#define DDL_MAX (64u * 1024u * 1024u)

static const struct fmt_file *find_file(const struct fmt_manifest *m, const char *name)
{
    for (size_t i = 0; i < m->nfiles; i++)
        if (!strcmp(m->files[i].name, name))
            return &m->files[i];
    return NULL;
}

/* The sql_mode FILE's statement was written in: its object's, else the dump's. */
static const char *sql_mode_of(const struct fmt_manifest *m, const char *file)
{
    for (size_t i = 0; i < m->nobjects; i++)
        if (!strcmp(m->objects[i].file, file))
            return m->objects[i].sql_mode ? m->objects[i].sql_mode : m->sql_mode;
    return m->sql_mode;
}

int load_schema_read(struct load_input *in, const struct fmt_manifest *m, const char *file,
                     char **text, struct cs_error *err)
{
    const struct fmt_file *f = find_file(m, file);
    struct fmt_source *src = load_check_open(in, file, err);
    struct cs_buf b = CS_BUF_INIT;
    char buf[65536];
    ssize_t n = -1;

    *text = NULL;
    while (src && (n = fmt_source_read(src, buf, sizeof(buf), err)) > 0 && b.len < DDL_MAX)
        cs_buf_append(&b, buf, (size_t)n);
    if (n > 0)
        n = cs_error_set(err, CS_ERR_FORMAT, "%s: %s is larger than a DDL file can be (%u bytes)",
                          in->name, file, DDL_MAX);
    /* one read: the bytes just read are the ones whose size and hash count */
    if (n == 0 && f && load_check_drain(in, file, src, f->bytes, f->hash, f->sha256, err) < 0)
        n = -1;
    fmt_source_free(src);
    if (n != 0 || cs_buf_failed(&b)) {
        cs_buf_release(&b);
        return n != 0 ? -1 : cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s", file);
    }
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ';' ||
                     b.data[b.len - 1] == ' '))
        b.data[--b.len] = '\0';
    *text = cs_buf_detach(&b);
    if (!*text)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (in->rename && load_rename_text(in->rename, load_sqltok_backslash(sql_mode_of(m, file)),
                                       text, err) < 0) {
        free(*text);
        *text = NULL;
        return -1;
    }
    return 0;
}

static int use_schema(struct cs_conn *c, const char *schema, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    cs_buf_puts(&sql, "USE ");
    cs_quote_ident(&sql, schema);
    rc = cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    return rc;
}

static int mark(struct cs_conn *c, struct load_ctx *ctx, const char *kind, const char *schema,
                const char *name, struct cs_error *err)
{
    struct cs_buf item = CS_BUF_INIT;
    int rc;

    load_journal_item(&item, kind, schema, name);
    rc = load_journal_mark(c, ctx->dump_id, item.data, err);
    cs_buf_release(&item);
    return rc;
}

static int journaled(struct load_ctx *ctx, const char *kind, const char *schema, const char *name)
{
    struct cs_buf item = CS_BUF_INIT;
    int has;

    load_journal_item(&item, kind, schema, name);
    has = item.data && load_journal_has(ctx->journal, item.data);
    cs_buf_release(&item);
    return has;
}

int load_schema_databases(struct cs_conn *c, struct load_ctx *ctx, struct cs_error *err)
{
    for (size_t i = 0; i < ctx->m->nobjects; i++) {
        const struct fmt_object *o = &ctx->m->objects[i];
        struct cs_buf sql = CS_BUF_INIT;
        char *text = NULL;
        int rc;

        if (o->kind != FMT_OBJ_DATABASE)
            continue;
        if (load_schema_read(ctx->in, ctx->m, o->file, &text, err) < 0)
            return -1;
        if (load_compat_object_ddl(ctx->compat, o, &text, err) < 0) {
            free(text);
            return cs_error_prefix(err, "creating database %s", o->schema);
        }
        /* "CREATE DATABASE `x` ..." -> "CREATE DATABASE IF NOT EXISTS `x` ..." */
        if (!strncmp(text, "CREATE DATABASE ", 16) && strncmp(text + 16, "IF NOT EXISTS", 13))
            cs_buf_printf(&sql, "CREATE DATABASE IF NOT EXISTS %s", text + 16);
        else
            cs_buf_puts(&sql, text);
        rc = cs_conn_exec(c, "SET NAMES utf8mb4", err) < 0 ? -1 : cs_conn_exec(c, sql.data, err);
        free(text);
        cs_buf_release(&sql);
        if (rc < 0 || cs_conn_exec(c, "SET NAMES binary", err) < 0)
            return cs_error_prefix(err, "creating database %s", o->schema);
    }
    return 0;
}

/* " IN ('a','b')" over the dump's schemas. */
static void schemas_in(struct cs_buf *b, const struct fmt_manifest *m)
{
    int first = 1;

    cs_buf_puts(b, " IN (");
    for (size_t i = 0; i < m->nobjects; i++) {
        if (m->objects[i].kind != FMT_OBJ_DATABASE)
            continue;
        if (!first)
            cs_buf_putc(b, ',');
        first = 0;
        fmt_sql_append_string(b, m->objects[i].schema, strlen(m->objects[i].schema));
    }
    if (first)
        cs_buf_puts(b, "''");
    cs_buf_putc(b, ')');
}

static const char *const object_kind_sql[FMT_OBJ_KIND_COUNT] = {
    [FMT_OBJ_VIEW] = "VIEW",       [FMT_OBJ_PROCEDURE] = "PROCEDURE",
    [FMT_OBJ_FUNCTION] = "FUNCTION", [FMT_OBJ_TRIGGER] = "TRIGGER", [FMT_OBJ_EVENT] = "EVENT",
    [FMT_OBJ_SEQUENCE] = "SEQUENCE",
};

/* What the target has: "kind\tschema\tname" strings, sorted for bsearch. */
struct have {
    char **v;
    size_t n;
};

static void have_release(struct have *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->v[i]);
    free(h->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *have_key(const char *kind, const char *schema, const char *name)
{
    char *k;
    return asprintf(&k, "%s\t%s\t%s", kind, schema, name) < 0 ? NULL : k;
}

/* Everything the target has in the dump's schemas. */
static int target_objects(struct cs_conn *c, const struct fmt_manifest *m, struct have *out,
                          struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    size_t cap = 0;
    int rc;

    cs_buf_puts(&sql, "SELECT IF(TABLE_TYPE = 'VIEW', 'VIEW', IF(TABLE_TYPE = 'SEQUENCE', "
                      "'SEQUENCE', 'TABLE')), TABLE_SCHEMA, TABLE_NAME "
                      "FROM information_schema.TABLES WHERE TABLE_SCHEMA");
    schemas_in(&sql, m);
    cs_buf_puts(&sql, " UNION ALL SELECT ROUTINE_TYPE, ROUTINE_SCHEMA, ROUTINE_NAME FROM "
                      "information_schema.ROUTINES WHERE ROUTINE_SCHEMA");
    schemas_in(&sql, m);
    cs_buf_puts(&sql, " UNION ALL SELECT 'TRIGGER', TRIGGER_SCHEMA, TRIGGER_NAME FROM "
                      "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA");
    schemas_in(&sql, m);
    cs_buf_puts(&sql, " UNION ALL SELECT 'EVENT', EVENT_SCHEMA, EVENT_NAME FROM "
                      "information_schema.EVENTS WHERE EVENT_SCHEMA");
    schemas_in(&sql, m);
    rc = cs_conn_query(c, sql.data, &res, err);
    while (rc == 0 && (row = cs_result_row(res))) {
        if (out->n == cap) {
            char **v = realloc(out->v, (cap = cap ? cap * 2 : 64) * sizeof(char *));
            if (!v) {
                rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
                break;
            }
            out->v = v;
        }
        if (!(out->v[out->n] = have_key(row[0], row[1], row[2])))
            rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        else
            out->n++;
    }
    if (out->n)
        qsort(out->v, out->n, sizeof(char *), cmp_str);
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    return rc;
}

/* 1 when the target has it (a key that cannot be built counts as absent:
 * the CREATE then fails, naming the object) */
static int target_has(const struct have *h, const char *kind, const char *schema, const char *name)
{
    char *k = h->n ? have_key(kind, schema, name) : NULL;
    int found = k && bsearch(&k, h->v, h->n, sizeof(char *), cmp_str) != NULL;

    free(k);
    return found;
}

int load_schema_decide(int exists, int journaled, int first_run, enum load_if_exists mode,
                       unsigned char *action)
{
    *action = LOAD_ACT_CREATE;
    if (!exists || journaled)
        return 0;
    if (!first_run) { /* ours, from the interrupted run */
        *action = LOAD_ACT_REPLACE;
        return 0;
    }
    if (mode == LOAD_IF_EXISTS_SKIP)
        *action = LOAD_ACT_SKIP;
    else if (mode == LOAD_IF_EXISTS_REPLACE)
        *action = LOAD_ACT_REPLACE;
    return mode == LOAD_IF_EXISTS_FAIL;
}

/* Tells the user what happens to an object that exists; 1 if it stops the load. */
static int conflict(struct load_ctx *ctx, int exists, int done, int first_run, const char *what,
                    const char *schema, const char *name, unsigned char *action)
{
    int stop = load_schema_decide(exists, done, first_run, ctx->cfg->if_exists, action);

    if (!exists || done || !first_run)
        return stop;
    switch (*action) {
    case LOAD_ACT_SKIP:
        cs_log_warn(ctx->cfg->log, "%s %s.%s already exists on the target: left as it is "
                                   "(--if-exists=skip), nothing of the dump goes into it",
                    what, schema, name);
        return 0;
    case LOAD_ACT_REPLACE:
        cs_log_warn(ctx->cfg->log, "%s %s.%s already exists on the target: it is dropped and "
                                   "loaded from the dump (--if-exists=replace)",
                    what, schema, name);
        return 0;
    default:
        cs_log_error(ctx->cfg->log, "%s %s.%s already exists on the target: drop it, or use "
                                    "--if-exists=skip (leave it) or --if-exists=replace (drop "
                                    "and load it)",
                     what, schema, name);
        return 1;
    }
}

int load_schema_conflicts(struct cs_conn *c, struct load_ctx *ctx, int first_run,
                          struct cs_error *err)
{
    struct have have = {NULL, 0};
    const struct fmt_manifest *m = ctx->m;
    size_t stops = 0;

    if (target_objects(c, m, &have, err) < 0) {
        have_release(&have);
        return -1;
    }
    for (size_t i = 0; i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        stops += (size_t)conflict(ctx, target_has(&have, "TABLE", t->schema, t->name),
                                  journaled(ctx, "table", t->schema, t->name), first_run, "table",
                                  t->schema, t->name, &ctx->table_action[i]);
    }
    for (size_t i = 0; i < m->nobjects; i++) {
        const struct fmt_object *o = &m->objects[i];
        const char *kind = object_kind_sql[o->kind];
        if (!kind)
            continue;
        stops += (size_t)conflict(ctx, target_has(&have, kind, o->schema, o->name),
                                  journaled(ctx, fmt_object_kind_name(o->kind), o->schema, o->name),
                                  first_run, fmt_object_kind_name(o->kind), o->schema, o->name,
                                  &ctx->object_action[i]);
    }
    have_release(&have);
    if (stops)
        return cs_error_set(err, CS_ERR_USAGE,
                            "%zu object(s) of the dump already exist on the target (listed "
                            "above); nothing was changed",
                            stops);
    return 0;
}

static int drop(struct cs_conn *c, const char *kind, const char *schema, const char *name,
                struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    cs_buf_printf(&sql, "DROP %s IF EXISTS ", kind);
    cs_quote_qualified(&sql, schema, name);
    rc = cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    return rc;
}

static int create_table(struct cs_conn *c, struct load_ctx *ctx, size_t i, struct cs_error *err)
{
    const struct fmt_table *t = &ctx->m->tables[i];

    if (ctx->table_action[i] == LOAD_ACT_REPLACE && drop(c, "TABLE", t->schema, t->name, err) < 0)
        return -1;
    if (use_schema(c, t->schema, err) < 0 || cs_conn_exec(c, "SET NAMES utf8mb4", err) < 0 ||
        cs_conn_exec(c, ctx->splits[i].create, err) < 0 ||
        cs_conn_exec(c, "SET NAMES binary", err) < 0)
        return -1;
    return mark(c, ctx, "table", t->schema, t->name, err);
}

static enum load_defer split_mode(const struct load_ctx *ctx, const struct fmt_table *t)
{
    if (ctx->cfg->defer == LOAD_DEFER_AUTO && !ctx->sizes_known)
        return LOAD_DEFER_ALL;
    return load_ddl_mode_for(ctx->cfg->defer, fmt_table_raw_bytes(t));
}

int load_schema_tables_prepare(struct load_ctx *ctx, size_t **todo, size_t *n, struct cs_error *err)
{
    *n = 0;
    if (!(*todo = calloc(ctx->m->ntables + 1, sizeof(size_t))))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < ctx->m->ntables; i++) {
        const struct fmt_table *t = &ctx->m->tables[i];
        char *text = NULL;
        int rc;

        if (load_schema_read(ctx->in, ctx->m, t->ddl_file, &text, err) < 0)
            return -1;
        rc = load_compat_table_ddl(ctx->compat, &text, err);
        if (rc == 0)
            rc = load_ddl_split(text, split_mode(ctx, t), &ctx->splits[i], err);
        free(text);
        if (rc < 0)
            return cs_error_prefix(err, "%s.%s", t->schema, t->name);
        if (ctx->table_action[i] == LOAD_ACT_SKIP || journaled(ctx, "table", t->schema, t->name))
            continue;
        (*todo)[(*n)++] = i;
    }
    return 0;
}

int load_job_create_table(struct load_worker *w, void *job, void *vctx, struct cs_error *err)
{
    struct load_ctx *ctx = vctx;
    size_t i = *(const size_t *)job;
    const struct fmt_table *t = &ctx->m->tables[i];

    if (create_table(&w->conn, ctx, i, err) < 0)
        return cs_error_prefix(err, "creating table %s.%s", t->schema, t->name);
    return 0;
}

/* S is a decimal integer (an optional '-', 1 to 20 digits). */
static int is_integer(const char *s)
{
    size_t n;

    if (!s)
        return 0;
    s += *s == '-';
    n = strspn(s, "0123456789");
    return n && n <= 20 && !s[n];
}

int load_schema_check_target(const struct load_ctx *ctx, const struct load_target *t,
                             struct cs_error *err)
{
    size_t n = 0;

    for (size_t i = 0; t->version.flavor != CS_FLAVOR_MARIADB && i < ctx->m->nobjects; i++) {
        const struct fmt_object *o = &ctx->m->objects[i];
        if (o->kind != FMT_OBJ_SEQUENCE)
            continue;
        cs_log_error(ctx->cfg->log, "sequence %s.%s: %s has no sequences", o->schema, o->name,
                     cs_flavor_name(t->version.flavor));
        n++;
    }
    if (n)
        return cs_error_set(err, CS_ERR_USAGE,
                            "%zu sequence(s) of the dump cannot be created on the target (listed "
                            "above); nothing was changed: load into MariaDB, or drop them (and "
                            "the defaults that use them) from the source",
                            n);
    return 0;
}

/* CREATE SEQUENCE, then SETVAL so NEXTVAL goes on where the source was. */
static int create_sequence(struct cs_conn *c, struct load_ctx *ctx, size_t i, struct cs_error *err)
{
    const struct fmt_object *o = &ctx->m->objects[i];
    struct cs_buf set = CS_BUF_INIT;
    char *text = NULL;
    int rc = -1;

    if (!is_integer(o->next_value) || !is_integer(o->round)) {
        cs_error_set(err, CS_ERR_FORMAT, "%s: the manifest has no valid next_value/round for it",
                     ctx->in->name);
        goto out;
    }
    cs_buf_puts(&set, "DO SETVAL(");
    cs_quote_qualified(&set, o->schema, o->name);
    cs_buf_printf(&set, ", %s, 0, %s)", o->next_value, o->round);
    if (cs_buf_failed(&set)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (load_schema_read(ctx->in, ctx->m, o->file, &text, err) < 0 ||
        load_compat_object_ddl(ctx->compat, o, &text, err) < 0)
        goto out;
    if (ctx->object_action[i] == LOAD_ACT_REPLACE &&
        drop(c, "SEQUENCE", o->schema, o->name, err) < 0)
        goto out;
    if (use_schema(c, o->schema, err) < 0 || cs_conn_exec(c, "SET NAMES utf8mb4", err) < 0 ||
        cs_conn_exec(c, text, err) < 0 || cs_conn_exec(c, set.data, err) < 0 ||
        cs_conn_exec(c, "SET NAMES binary", err) < 0 ||
        mark(c, ctx, "sequence", o->schema, o->name, err) < 0)
        goto out;
    rc = 0;
out:
    free(text);
    cs_buf_release(&set);
    return rc < 0 ? cs_error_prefix(err, "creating sequence %s.%s", o->schema, o->name) : 0;
}

int load_schema_sequences(struct cs_conn *c, struct load_ctx *ctx, struct cs_error *err)
{
    for (size_t i = 0; i < ctx->m->nobjects; i++) {
        const struct fmt_object *o = &ctx->m->objects[i];
        if (o->kind != FMT_OBJ_SEQUENCE || ctx->object_action[i] == LOAD_ACT_SKIP ||
            journaled(ctx, "sequence", o->schema, o->name))
            continue;
        if (create_sequence(c, ctx, i, err) < 0)
            return -1;
    }
    return 0;
}

/* Runs TEXT in the session object O was created in, then restores ours. */
static int run_in_session(struct cs_conn *c, const struct fmt_object *o, const char *text,
                          const char *sql_mode, struct cs_error *err)
{
    struct cs_buf set = CS_BUF_INIT, back = CS_BUF_INIT;
    int rc = -1;

    cs_buf_puts(&set, "SET NAMES ");
    fmt_sql_append_string(&set, o->charset ? o->charset : "utf8mb4",
                          strlen(o->charset ? o->charset : "utf8mb4"));
    if (o->collation) {
        cs_buf_puts(&set, " COLLATE ");
        fmt_sql_append_string(&set, o->collation, strlen(o->collation));
    }
    if (o->sql_mode) {
        cs_buf_puts(&set, ", SESSION sql_mode = ");
        fmt_sql_append_string(&set, o->sql_mode, strlen(o->sql_mode));
    }
    if (o->time_zone) {
        cs_buf_puts(&set, ", SESSION time_zone = ");
        fmt_sql_append_string(&set, o->time_zone, strlen(o->time_zone));
    }
    load_session_base_sql(&back, sql_mode);
    if (cs_buf_failed(&set) || cs_buf_failed(&back)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (use_schema(c, o->schema, err) < 0 || cs_conn_exec(c, set.data, err) < 0)
        goto out;
    rc = cs_conn_exec(c, text, err);
    if (cs_conn_exec(c, back.data, rc < 0 ? &(struct cs_error){0} : err) < 0)
        rc = -1;
out:
    cs_buf_release(&set);
    cs_buf_release(&back);
    return rc;
}

static int create_object(struct cs_conn *c, struct load_ctx *ctx, size_t i, const char *sql_mode,
                         struct cs_error *err)
{
    const struct fmt_object *o = &ctx->m->objects[i];
    const char *kind = fmt_object_kind_name(o->kind);
    char *text = NULL;
    int rc = -1;

    if (ctx->object_action[i] == LOAD_ACT_SKIP || journaled(ctx, kind, o->schema, o->name))
        return 0;
    if (load_schema_read(ctx->in, ctx->m, o->file, &text, err) < 0 ||
        load_compat_object_ddl(ctx->compat, o, &text, err) < 0 ||
        load_definers_apply(ctx->cfg, o, &text, err) < 0)
        goto out;
    if (ctx->object_action[i] == LOAD_ACT_REPLACE &&
        drop(c, object_kind_sql[o->kind], o->schema, o->name, err) < 0)
        goto out;
    if (run_in_session(c, o, text, sql_mode, err) < 0 ||
        mark(c, ctx, kind, o->schema, o->name, err) < 0)
        goto out;
    rc = 0;
out:
    free(text);
    if (rc < 0)
        cs_error_prefix(err, "creating %s %s.%s", kind, o->schema, o->name);
    return rc;
}

/* Views in dependency order: indexes into m->objects. */
static int view_order(struct load_ctx *ctx, size_t *idx, size_t *n, struct cs_error *err)
{
    const struct fmt_manifest *m = ctx->m;
    const char **schemas = calloc(m->nobjects + 1, sizeof(char *));
    const char **names = calloc(m->nobjects + 1, sizeof(char *));
    char **ddls = calloc(m->nobjects + 1, sizeof(char *));
    size_t *pos = calloc(m->nobjects + 1, sizeof(size_t)), *ord = calloc(m->nobjects + 1, sizeof(size_t));
    int rc = -1;

    *n = 0;
    if (!schemas || !names || !ddls || !pos || !ord) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < m->nobjects; i++) {
        if (m->objects[i].kind != FMT_OBJ_VIEW)
            continue;
        schemas[*n] = m->objects[i].schema;
        names[*n] = m->objects[i].name;
        pos[*n] = i;
        if (load_schema_read(ctx->in, m, m->objects[i].file, &ddls[(*n)++], err) < 0)
            goto out;
    }
    if (load_order_views(schemas, names, (const char *const *)ddls, *n, ord, err) < 0)
        goto out;
    for (size_t k = 0; k < *n; k++)
        idx[k] = pos[ord[k]];
    rc = 0;
out:
    for (size_t k = 0; ddls && k < m->nobjects; k++)
        free(ddls[k]);
    free(schemas);
    free(names);
    free(ddls);
    free(pos);
    free(ord);
    return rc;
}

int load_schema_objects(struct cs_conn *c, struct load_ctx *ctx, const char *sql_mode,
                        struct cs_error *err)
{
    /* Routines first: a view may call a stored function, while routine
     * bodies are not checked when created. */
    static const enum fmt_object_kind before[] = {FMT_OBJ_PROCEDURE, FMT_OBJ_FUNCTION};
    static const enum fmt_object_kind after[] = {FMT_OBJ_TRIGGER, FMT_OBJ_EVENT};
    const struct fmt_manifest *m = ctx->m;
    size_t *views = calloc(m->nobjects + 1, sizeof(size_t)), nviews = 0;
    int rc = -1;

    if (!views)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < m->nobjects; i++)
            if (m->objects[i].kind == before[k] && create_object(c, ctx, i, sql_mode, err) < 0)
                goto out;
    if (view_order(ctx, views, &nviews, err) < 0)
        goto out;
    for (size_t k = 0; k < nviews; k++)
        if (create_object(c, ctx, views[k], sql_mode, err) < 0)
            goto out;
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < m->nobjects; i++)
            if (m->objects[i].kind == after[k] && create_object(c, ctx, i, sql_mode, err) < 0)
                goto out;
    rc = 0;
out:
    free(views);
    return rc;
}
