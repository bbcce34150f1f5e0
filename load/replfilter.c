#include "load/replfilter.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/quote.h"
#include "format/sqlenc.h"

/* What the filters let through: wildcard patterns and exact tables. */
struct items {
    struct cs_buf *wild; /* one pattern per element, as the server reads it */
    size_t nwild;
    const struct fmt_table **tables;
    const struct fmt_object **seqs;
    size_t ntables, nseqs;
};

static int refuse(struct cs_error *err, const char *what, const char *schema, const char *name,
                  const char *why)
{
    return cs_error_set(err, CS_ERR_USAGE,
                        "--replicate-from: the dump holds only some of the source's schemas, so "
                        "the target's replica needs filters matching it, but %s %s%s%s %s; set "
                        "the filters on the target yourself and give --replicate-all",
                        what, schema, name ? "." : "", name ? name : "", why);
}

static int check_name(const struct cs_version *target, const char *what, const char *schema,
                      const char *name, struct cs_error *err)
{
    if (strchr(schema, '.'))
        return refuse(err, what, schema, name,
                      "has a '.' in its schema name, which a filter cannot tell from the "
                      "separator");
    if (target->flavor == CS_FLAVOR_MARIADB && (strchr(schema, ',') || (name && strchr(name, ','))))
        return refuse(err, what, schema, name,
                      "has a ',' in its name, which MariaDB's comma-separated filter lists "
                      "cannot hold");
    return 0;
}

/* SCHEMA's pattern "schema.%" with '_', '%' and '\' taken literally. */
static void put_wild(struct cs_buf *b, const char *schema)
{
    for (const char *p = schema; *p; p++) {
        if (*p == '_' || *p == '%' || *p == '\\')
            cs_buf_putc(b, '\\');
        cs_buf_putc(b, *p);
    }
    cs_buf_puts(b, ".%");
}

/* SCHEMA is matched as a whole (db.%): one of M's whole_schemas, unless NARROWED. */
static int whole(const struct fmt_manifest *m, int narrowed, const char *schema)
{
    return !narrowed && fmt_manifest_schema_whole(m, schema);
}

static int collect(const struct fmt_manifest *m, const struct cs_version *target, int narrowed,
                   struct items *it, struct cs_error *err)
{
    size_t nw = narrowed ? 0 : m->nwhole_schemas;

    it->wild = calloc(nw + 1, sizeof(*it->wild));
    it->tables = calloc(m->ntables + 1, sizeof(*it->tables));
    it->seqs = calloc(m->nobjects + 1, sizeof(*it->seqs));
    if (!it->wild || !it->tables || !it->seqs)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nw; i++) {
        if (check_name(target, "schema", m->whole_schemas[i], NULL, err) < 0)
            return -1;
        put_wild(&it->wild[it->nwild++], m->whole_schemas[i]);
    }
    for (size_t i = 0; i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        if (whole(m, narrowed, t->schema))
            continue;
        if (check_name(target, "table", t->schema, t->name, err) < 0)
            return -1;
        it->tables[it->ntables++] = t;
    }
    for (size_t i = 0; i < m->nobjects; i++) {
        const struct fmt_object *o = &m->objects[i];
        if (o->kind != FMT_OBJ_SEQUENCE || whole(m, narrowed, o->schema))
            continue;
        if (check_name(target, "sequence", o->schema, o->name, err) < 0)
            return -1;
        it->seqs[it->nseqs++] = o;
    }
    return 0;
}

static const char *table_schema(const struct items *it, size_t i)
{
    return i < it->ntables ? it->tables[i]->schema : it->seqs[i - it->ntables]->schema;
}

static const char *table_name(const struct items *it, size_t i)
{
    return i < it->ntables ? it->tables[i]->name : it->seqs[i - it->ntables]->name;
}

/* MariaDB: the two variables as comma-separated lists in string literals. */
static void mariadb_stmts(const struct items *it, struct cs_buf *wild, struct cs_buf *tables)
{
    struct cs_buf l = CS_BUF_INIT;

    cs_buf_puts(&l, "");
    for (size_t i = 0; i < it->nwild; i++)
        cs_buf_printf(&l, "%s%s", i ? "," : "", it->wild[i].data);
    cs_buf_puts(wild, "SET GLOBAL replicate_wild_do_table = ");
    fmt_sql_append_string(wild, l.data, l.len);
    l.len = 0;
    for (size_t i = 0; i < it->ntables + it->nseqs; i++)
        cs_buf_printf(&l, "%s%s.%s", i ? "," : "", table_schema(it, i), table_name(it, i));
    cs_buf_puts(tables, "SET GLOBAL replicate_do_table = ");
    fmt_sql_append_string(tables, l.data ? l.data : "", l.len);
    if (cs_buf_failed(&l))
        wild->failed = 1;
    cs_buf_release(&l);
}

/* MySQL: one CHANGE REPLICATION FILTER; an empty list clears a filter. */
static void mysql_stmt(const struct items *it, struct cs_buf *b)
{
    cs_buf_puts(b, "CHANGE REPLICATION FILTER REPLICATE_WILD_DO_TABLE = (");
    for (size_t i = 0; i < it->nwild; i++) {
        if (i)
            cs_buf_puts(b, ", ");
        fmt_sql_append_string(b, it->wild[i].data, it->wild[i].len);
    }
    cs_buf_puts(b, "), REPLICATE_DO_TABLE = (");
    for (size_t i = 0; i < it->ntables + it->nseqs; i++) {
        if (i)
            cs_buf_puts(b, ", ");
        cs_quote_qualified(b, table_schema(it, i), table_name(it, i));
    }
    cs_buf_puts(b, ")");
}

static void cnf_lines(const struct items *it, struct cs_buf *b)
{
    for (size_t i = 0; i < it->nwild; i++)
        cs_buf_printf(b, "replicate_wild_do_table=%s\n", it->wild[i].data);
    for (size_t i = 0; i < it->ntables + it->nseqs; i++)
        cs_buf_printf(b, "replicate_do_table=%s.%s\n", table_schema(it, i), table_name(it, i));
}

static int push(struct load_replfilter *f, struct cs_buf *b)
{
    if (cs_buf_failed(b) || !(f->stmts[f->nstmts] = cs_buf_detach(b)))
        return -1;
    f->nstmts++;
    return 0;
}

static int build(const struct items *it, const struct cs_version *target,
                 struct load_replfilter *out)
{
    struct cs_buf a = CS_BUF_INIT, b = CS_BUF_INIT, c = CS_BUF_INIT;
    int rc = -1;

    out->stmts = calloc(3, sizeof(char *));
    if (!out->stmts)
        goto out;
    if (target->flavor == CS_FLAVOR_MARIADB) {
        mariadb_stmts(it, &a, &b);
        if (push(out, &a) < 0 || push(out, &b) < 0)
            goto out;
    } else {
        mysql_stmt(it, &a);
        if (push(out, &a) < 0)
            goto out;
    }
    cnf_lines(it, &c);
    if (cs_buf_failed(&c) || !(out->cnf = cs_buf_detach(&c)))
        goto out;
    out->nwild = it->nwild;
    out->ntables = it->ntables + it->nseqs;
    rc = 0;
out:
    cs_buf_release(&a);
    cs_buf_release(&b);
    cs_buf_release(&c);
    return rc;
}

int load_replfilter_plan(const struct fmt_manifest *m, const struct cs_version *target,
                         int narrowed, struct load_replfilter *out, struct cs_error *err)
{
    struct items it = {0};
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (!narrowed && (!m->has_selection || !m->partial))
        return 0;
    if (collect(m, target, narrowed, &it, err) < 0)
        goto out;
    if (!it.nwild && !it.ntables && !it.nseqs) {
        cs_error_set(err, CS_ERR_USAGE,
                     "--replicate-from: the dump holds only some of the source's schemas but "
                     "no table or sequence, so no replication filter can match it; give "
                     "--replicate-all to replicate everything");
        goto out;
    }
    if (build(&it, target, out) < 0) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory building the replication filters");
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; it.wild && i < it.nwild; i++)
        cs_buf_release(&it.wild[i]);
    free(it.wild);
    free(it.tables);
    free(it.seqs);
    if (rc < 0)
        load_replfilter_release(out);
    return rc;
}

void load_replfilter_release(struct load_replfilter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nstmts; i++)
        free(f->stmts[i]);
    free(f->stmts);
    free(f->cnf);
    memset(f, 0, sizeof(*f));
}
