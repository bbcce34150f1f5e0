#include "dump/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/fs.h"
#include "common/quote.h"
#include "dump/output.h"
#include "format/checksum.h"
#include "format/hash.h"
#include "format/names.h"

/* How to ask for each object kind and where the answer is. */
struct kind_info {
    const char *show;      /* "SHOW CREATE TABLE" */
    const char *suffix;    /* file name suffix */
    const char *stmt_col;  /* result column holding the statement */
    int qualified;         /* `db`.`name` (else just `db`) */
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

static int write_one(struct cs_conn *conn, const struct dump_config *cfg,
                     const struct kind_info *k, const char *schema, const char *name,
                     struct ddl *out, struct fmt_manifest *m, struct cs_error *err)
{
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
    if (rc == 0)
        rc = dump_schema_add_file(m, out->file, body.data, body.len, err);
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

static int write_objects(struct cs_conn *conn, const struct dump_config *cfg,
                         const struct dump_catalog *cat, struct fmt_manifest *m,
                         struct cs_error *err)
{
    for (size_t i = 0; i < cat->nobjects; i++) {
        const struct dump_object *src = &cat->objects[i];
        struct fmt_object *o;
        struct ddl d = {0};

        if (cfg->cancel && *cfg->cancel)
            return cs_error_set(err, CS_ERR_CANCELLED, "interrupted");
        if (write_one(conn, cfg, &kinds[src->kind], src->schema, src->name, &d, m, err) < 0) {
            ddl_release(&d);
            return -1;
        }
        o = fmt_manifest_add_object(m);
        if (!o) {
            ddl_release(&d);
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        }
        o->kind = src->kind;
        o->schema = strdup(src->schema);
        o->name = strdup(src->name);
        o->table = src->table ? strdup(src->table) : NULL;
        take_ddl(o, &d);
        if (!o->schema || !o->name || (src->table && !o->table))
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
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
        if (m->objects[i].kind == FMT_OBJ_SEQUENCE &&
            sequence_state(conn, &m->objects[i], err) < 0)
            return -1;
    return 0;
}

int dump_schema_write(struct cs_conn *conn, const struct dump_config *cfg,
                      const struct dump_catalog *cat, struct fmt_manifest *m,
                      struct cs_error *err)
{
    if (write_objects(conn, cfg, cat, m, err) < 0)
        return -1;
    for (size_t i = 0; i < cat->ntables; i++) {
        struct ddl d = {0};
        if (cfg->cancel && *cfg->cancel)
            return cs_error_set(err, CS_ERR_CANCELLED, "interrupted");
        if (write_one(conn, cfg, &table_kind, cat->tables[i].schema, cat->tables[i].name, &d, m,
                      err) < 0) {
            ddl_release(&d);
            return -1;
        }
        m->tables[i].ddl_file = d.file;
        d.file = NULL;
        ddl_release(&d);
    }
    return 0;
}
