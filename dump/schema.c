#include "dump/schema.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/fs.h"
#include "common/quote.h"
#include "dump/output.h"
#include "dump/server.h"
#include "format/checksum.h"
#include "format/hash.h"
#include "format/names.h"

/* How to ask for each object kind and where the answer is. */
struct kind_info {
    const char *show;     /* "SHOW CREATE TABLE" */
    const char *suffix;   /* file name suffix */
    const char *stmt_col; /* result column holding the statement */
    int qualified;        /* `db`.`name` (else just `db`) */
};

static const struct kind_info kinds[FMT_OBJ_KIND_COUNT] = {
    [FMT_OBJ_DATABASE] = {"SHOW CREATE DATABASE", "-schema-create.sql", "Create Database", 0},
    [FMT_OBJ_VIEW] = {"SHOW CREATE VIEW", "-schema-view.sql", "Create View", 1},
    [FMT_OBJ_PROCEDURE] = {"SHOW CREATE PROCEDURE", "-schema-procedure.sql", "Create Procedure", 1},
    [FMT_OBJ_FUNCTION] = {"SHOW CREATE FUNCTION", "-schema-function.sql", "Create Function", 1},
    [FMT_OBJ_TRIGGER] = {"SHOW CREATE TRIGGER", "-schema-trigger.sql", "SQL Original Statement", 1},
    [FMT_OBJ_EVENT] = {"SHOW CREATE EVENT", "-schema-event.sql", "Create Event", 1},
    [FMT_OBJ_SEQUENCE] = {"SHOW CREATE SEQUENCE", "-schema-sequence.sql", "Create Table", 1},
};

static const struct kind_info table_kind = {"SHOW CREATE TABLE", "-schema.sql", "Create Table", 1};

int dump_schema_add_file(struct fmt_manifest *m, const char *name, const void *data, size_t len,
                         struct cs_error *err)
{
    struct fmt_file *f = fmt_manifest_add_file(m);

    if (!f || !(f->name = strdup(name)))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    f->bytes = len;
    fmt_hash128_hex(data, len, f->hash);
    if (m->signed_by)
        fmt_sha256_hex(data, len, f->sha256);
    return 0;
}

static int col_of(struct cs_result *res, const char *name)
{
    for (unsigned i = 0; i < cs_result_fields(res); i++)
        if (!strcasecmp(cs_result_field_name(res, i), name))
            return (int)i;
    return -1;
}

static char *dup_col(struct cs_result *res, char **row, const char *name)
{
    int c = col_of(res, name);
    return c >= 0 && row[c] ? strdup(row[c]) : NULL;
}

struct ddl {
    char *file;
    char *sql_mode, *charset, *collation, *time_zone;
};

static void ddl_release(struct ddl *d)
{
    free(d->file);
    free(d->sql_mode);
    free(d->charset);
    free(d->collation);
    free(d->time_zone);
    memset(d, 0, sizeof(*d));
}

/* One DDL file to write, and what the manifest gets for it. */
struct item {
    const struct kind_info *k;
    const char *schema, *name;
    struct ddl d;
    size_t bytes;
    char hash[33];
    char sha256[65]; /* "" unless the dump is signed */
};

/* SHOW CREATE of IT on CONN into its file (a directory's files are fsync'd in one pass by
 * the output's seal(), before the manifest); IT gets the file's name, size, hash and session. */
static int write_one(struct cs_conn *conn, const struct dump_config *cfg, struct item *it,
                     struct cs_error *err)
{
    const struct kind_info *k = it->k;
    const char *schema = it->schema, *name = it->name;
    struct ddl *out = &it->d;
    struct cs_buf sql = CS_BUF_INIT, body = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int c, rc = -1;

    cs_buf_printf(&sql, "%s ", k->show);
    if (k->qualified)
        cs_quote_qualified(&sql, schema, name);
    else
        cs_quote_ident(&sql, schema);
    if (cs_conn_query(conn, sql.data, &res, err) < 0)
        goto out;
    row = cs_result_row(res);
    c = col_of(res, k->stmt_col);
    if (!row || c < 0 || !row[c]) {
        cs_error_set(err, CS_ERR_SERVER,
                     "%s for %s.%s returned no definition (the dump user lacks the privilege "
                     "to see it: grant SELECT on the schema, or SHOW ROUTINE / SHOW VIEW / "
                     "TRIGGER / EVENT as needed)",
                     k->show, schema, name);
        goto out;
    }
    cs_buf_puts(&body, row[c]);
    cs_buf_puts(&body, ";\n");
    out->file = fmt_name_file(schema, k->qualified ? name : NULL, k->suffix);
    out->sql_mode = dup_col(res, row, "sql_mode");
    out->charset = dup_col(res, row, "character_set_client");
    out->collation = dup_col(res, row, "collation_connection");
    out->time_zone = dup_col(res, row, "time_zone");
    if (!out->file || cs_buf_failed(&body)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = cfg->output->put(cfg->output, out->file, body.data, body.len, err);
    it->bytes = body.len;
    fmt_hash128_hex(body.data, body.len, it->hash);
    if (cfg->sign_key)
        fmt_sha256_hex(body.data, body.len, it->sha256);
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    cs_buf_release(&body);
    return rc;
}

/* Moves D's strings into the manifest object O. */
static void take_ddl(struct fmt_object *o, struct ddl *d)
{
    o->file = d->file;
    o->sql_mode = d->sql_mode;
    o->charset = d->charset;
    o->collation = d->collation;
    o->time_zone = d->time_zone;
    memset(d, 0, sizeof(*d));
}

static int add_item_file(struct fmt_manifest *m, const struct item *it, struct cs_error *err)
{
    struct fmt_file *f = fmt_manifest_add_file(m);

    if (!f || !(f->name = strdup(it->d.file)))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    f->bytes = it->bytes;
    memcpy(f->hash, it->hash, sizeof(f->hash));
    memcpy(f->sha256, it->sha256, sizeof(f->sha256));
    return 0;
}

/* The objects' entries (and files), in catalog order, from ITEMS. */
static int record_objects(const struct dump_catalog *cat, struct item *items,
                          struct fmt_manifest *m, struct cs_error *err)
{
    for (size_t i = 0; i < cat->nobjects; i++) {
        const struct dump_object *src = &cat->objects[i];
        struct fmt_object *o;

        if (add_item_file(m, &items[i], err) < 0)
            return -1;
        o = fmt_manifest_add_object(m);
        if (!o)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        o->kind = src->kind;
        o->schema = strdup(src->schema);
        o->name = strdup(src->name);
        o->table = src->table ? strdup(src->table) : NULL;
        take_ddl(o, &items[i].d);
        if (!o->schema || !o->name || (src->table && !o->table))
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    return 0;
}

/* ---- SHOW CREATE on several connections --------------------------------- */

/* Below this many objects one connection does it all. */
#define SCHEMA_PARALLEL_MIN 64

struct pass {
    const struct dump_config *cfg;
    const struct cs_version *v;
    struct item *items;
    size_t n;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t mu;
    struct cs_error first; /* the first error wins */
};

struct helper {
    struct pass *p;
    struct cs_conn *conn; /* the coordinator's, or NULL: open one */
    pthread_t tid;
};

static void pass_fail(struct pass *p, const struct cs_error *e)
{
    pthread_mutex_lock(&p->mu);
    if (!cs_error_is_set(&p->first))
        cs_error_copy(&p->first, e);
    pthread_mutex_unlock(&p->mu);
    atomic_store(&p->stop, 1);
}

static void pass_run(struct pass *p, struct cs_conn *conn)
{
    struct cs_error e;

    cs_error_clear(&e);
    while (!atomic_load(&p->stop)) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return;
        if (cs_cancelled(p->cfg->cancel))
            cs_error_set(&e, CS_ERR_CANCELLED, "interrupted");
        else if (write_one(conn, p->cfg, &p->items[i], &e) == 0)
            continue;
        pass_fail(p, &e);
    }
}

static void *helper_main(void *arg)
{
    struct helper *h = arg;
    struct cs_conn c;
    struct cs_error e;

    cs_conn_thread_init();
    cs_error_clear(&e);
    if (cs_conn_open(&c, &h->p->cfg->conn, "csdump schema", &e) < 0 ||
        dump_session_setup(&c, h->p->v, &e) < 0)
        pass_fail(h->p, &e);
    else
        pass_run(h->p, &c);
    cs_conn_close(&c);
    cs_conn_thread_end();
    return NULL;
}

/* Every item written, by CONN and threads-1 more connections of the same
 * session; 0 or -1 with the first error. */
static int write_items(struct cs_conn *conn, const struct dump_config *cfg,
                       const struct cs_version *v, struct item *items, size_t n,
                       struct cs_error *err)
{
    struct pass p = {.cfg = cfg, .v = v, .items = items, .n = n};
    size_t nh = n < SCHEMA_PARALLEL_MIN || cfg->threads < 2 ? 0 : cfg->threads - 1, started = 0;
    struct helper *hs = nh ? calloc(nh, sizeof(*hs)) : NULL;

    atomic_init(&p.next, 0);
    atomic_init(&p.stop, 0);
    pthread_mutex_init(&p.mu, NULL);
    cs_error_clear(&p.first);
    for (size_t i = 0; hs && i < nh; i++) {
        hs[i].p = &p;
        if (pthread_create(&hs[i].tid, NULL, helper_main, &hs[i]) != 0)
            break; /* fewer helpers: the coordinator does the rest */
        started++;
    }
    pass_run(&p, conn);
    for (size_t i = 0; i < started; i++)
        pthread_join(hs[i].tid, NULL);
    free(hs);
    pthread_mutex_destroy(&p.mu);
    if (cs_error_is_set(&p.first)) {
        cs_error_copy(err, &p.first);
        return -1;
    }
    return 0;
}

/* next_not_cached_value and cycle_count of sequence O, as the server has
 * them now (read after the snapshot: never behind it). */
static int sequence_state(struct cs_conn *conn, struct fmt_object *o, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    struct cs_result *res = NULL;
    char **row;
    int rc = -1;

    cs_buf_puts(&sql, "SELECT next_not_cached_value, cycle_count FROM ");
    cs_quote_qualified(&sql, o->schema, o->name);
    if (cs_buf_failed(&sql)) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (cs_conn_query(conn, sql.data, &res, err) < 0)
        goto out;
    row = cs_result_row(res);
    if (!row || !row[0] || !row[1]) {
        cs_error_set(err, CS_ERR_SERVER, "sequence %s.%s: no state row", o->schema, o->name);
        goto out;
    }
    free(o->next_value);
    free(o->round);
    o->next_value = strdup(row[0]);
    o->round = strdup(row[1]);
    rc = o->next_value && o->round ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
out:
    if (res)
        cs_result_free(res);
    cs_buf_release(&sql);
    return rc < 0 ? cs_error_prefix(err, "reading sequence %s.%s", o->schema, o->name) : 0;
}

int dump_schema_sequences(struct cs_conn *conn, struct fmt_manifest *m, struct cs_error *err)
{
    for (size_t i = 0; i < m->nobjects; i++)
        if (m->objects[i].kind == FMT_OBJ_SEQUENCE && sequence_state(conn, &m->objects[i], err) < 0)
            return -1;
    return 0;
}

int dump_schema_write(struct cs_conn *conn, const struct dump_config *cfg,
                      const struct cs_version *v, const struct dump_catalog *cat,
                      struct fmt_manifest *m, struct cs_error *err)
{
    size_t n = cat->nobjects + cat->ntables;
    struct item *items = calloc(n + 1, sizeof(*items));
    int rc = -1;

    if (!items)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < cat->nobjects; i++)
        items[i] = (struct item){.k = &kinds[cat->objects[i].kind],
                                 .schema = cat->objects[i].schema,
                                 .name = cat->objects[i].name};
    for (size_t i = 0; i < cat->ntables; i++)
        items[cat->nobjects + i] = (struct item){
            .k = &table_kind, .schema = cat->tables[i].schema, .name = cat->tables[i].name};
    if (write_items(conn, cfg, v, items, n, err) < 0 || record_objects(cat, items, m, err) < 0)
        goto out;
    for (size_t i = 0; i < cat->ntables; i++) {
        struct item *it = &items[cat->nobjects + i];
        if (add_item_file(m, it, err) < 0)
            goto out;
        m->tables[i].ddl_file = it->d.file;
        it->d.file = NULL;
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        ddl_release(&items[i].d);
    free(items);
    return rc;
}
