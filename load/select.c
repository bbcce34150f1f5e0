#include "load/select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/pattern.h"
#include "format/hash.h"
#include "load/rename.h"
#include "load/schema.h"
#include "load/sqltok.h"

int load_select_active(const struct load_config *cfg)
{
    return cfg->ndatabases || cfg->ntables || cfg->nexclude;
}

int load_select_check(const struct load_config *cfg, struct cs_error *err)
{
    for (size_t i = 0; i < cfg->ntables; i++)
        if (!cs_pattern_has_table(cfg->tables[i]))
            return cs_error_set(err, CS_ERR_USAGE,
                                "--tables=%s: name the schema too, as db.table (db.* for every "
                                "table of a schema, db.t%% for those starting with t)",
                                cfg->tables[i]);
    return 0;
}

/* Hits per option item, to name those that matched nothing. */
struct hits {
    unsigned *db, *tab, *exc;
};

static int in_list(char *const *v, size_t n, const char *s, unsigned *hit)
{
    int found = 0;

    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s)) {
            if (hit)
                hit[i]++;
            found = 1;
        }
    return found;
}

static int schema_wanted(const struct load_config *cfg, const char *schema, struct hits *h)
{
    int named = in_list(cfg->databases, cfg->ndatabases, schema, h ? h->db : NULL);
    int excluded = 0;

    for (size_t i = 0; !named && i < cfg->ntables; i++)
        named = cs_pattern_table(cfg->tables[i], schema, NULL);
    for (size_t i = 0; i < cfg->nexclude; i++)
        if (cs_pattern_glob(cfg->exclude[i], schema)) {
            if (h)
                h->exc[i]++;
            excluded = 1;
        }
    return !excluded && (named || (!cfg->ndatabases && !cfg->ntables));
}

static int table_wanted(const struct load_config *cfg, const char *schema, const char *name,
                        struct hits *h)
{
    int ok;

    if (!schema_wanted(cfg, schema, h))
        return 0;
    ok = !cfg->ntables || in_list(cfg->databases, cfg->ndatabases, schema, NULL);
    for (size_t i = 0; i < cfg->ntables; i++)
        if (cs_pattern_table(cfg->tables[i], schema, name)) {
            if (h)
                h->tab[i]++;
            ok = 1;
        }
    for (size_t i = 0; i < cfg->nexclude; i++)
        if (cs_pattern_table(cfg->exclude[i], schema, name)) {
            if (h)
                h->exc[i]++;
            ok = 0;
        }
    return ok;
}

int load_select_table(const struct load_config *cfg, const char *schema, const char *name)
{
    return table_wanted(cfg, schema, name, NULL);
}

/* The index of the table or view SCHEMA.NAME of M (tables first), or -1. */
static long find_rel(const struct fmt_manifest *m, const char *schema, const char *name,
                     int *is_view)
{
    for (size_t i = 0; i < m->ntables; i++)
        if (!strcmp(m->tables[i].schema, schema) && !strcmp(m->tables[i].name, name)) {
            *is_view = 0;
            return (long)i;
        }
    for (size_t i = 0; i < m->nobjects; i++)
        if ((m->objects[i].kind == FMT_OBJ_VIEW || m->objects[i].kind == FMT_OBJ_SEQUENCE) &&
            !strcmp(m->objects[i].schema, schema) && !strcmp(m->objects[i].name, name)) {
            *is_view = 1;
            return (long)i;
        }
    return -1;
}

/* Views that read a table or view left out are left out, until none is
 * (a view over such a view goes too). */
static int drop_dependent_views(struct load_input *in, const struct fmt_manifest *m,
                                const unsigned char *kt, unsigned char *ko,
                                const struct cs_log *log, size_t *n, struct cs_error *err)
{
    int changed = 1;

    while (changed) {
        changed = 0;
        for (size_t i = 0; i < m->nobjects; i++) {
            const struct fmt_object *o = &m->objects[i];
            struct load_qref *refs = NULL;
            size_t nrefs = 0;
            char *text = NULL;
            int rc;

            if (o->kind != FMT_OBJ_VIEW || !ko[i])
                continue;
            if (load_schema_read(in, m, o->file, &text, err) < 0)
                return -1;
            rc = load_rename_refs(text, load_sqltok_backslash(o->sql_mode), &refs, &nrefs);
            free(text);
            if (rc < 0)
                return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            for (size_t k = 0; k < nrefs && ko[i]; k++) {
                int view = 0;
                long j = find_rel(m, refs[k].a, refs[k].b, &view);
                if (j < 0 || (view ? ko[j] : kt[j]))
                    continue;
                ko[i] = 0;
                changed = 1;
                (*n)++;
                if (log)
                    cs_log_info(log,
                                "view %s.%s left out: it reads %s.%s, which this load "
                                "leaves out",
                                o->schema, o->name, refs[k].a, refs[k].b);
            }
            load_rename_refs_free(refs, nrefs);
        }
    }
    return 0;
}

static int unmatched(const char *opt, char *const *v, size_t n, const unsigned *hit,
                     const char *what, const struct cs_log *log, int *count, struct cs_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (hit[i])
            continue;
        if (!*count)
            cs_error_set(err, CS_ERR_USAGE, "--%s=%s: %s", opt, v[i], what);
        if (log)
            cs_log_error(log, "--%s=%s: %s", opt, v[i], what);
        (*count)++;
    }
    return 0;
}

static void summarize(const struct fmt_manifest *m, const unsigned char *kt,
                      const unsigned char *ko, size_t dependent, char *out, size_t len)
{
    size_t t = 0, k[FMT_OBJ_KIND_COUNT] = {0};

    for (size_t i = 0; i < m->ntables; i++)
        t += !kt[i];
    for (size_t i = 0; i < m->nobjects; i++)
        k[m->objects[i].kind] += !ko[i];
    snprintf(out, len,
             "left out by --databases/--tables/--exclude: %zu table(s), %zu view(s), %zu "
             "routine(s), %zu trigger(s), %zu event(s), %zu sequence(s), %zu schema(s)%s",
             t, k[FMT_OBJ_VIEW], k[FMT_OBJ_PROCEDURE] + k[FMT_OBJ_FUNCTION], k[FMT_OBJ_TRIGGER],
             k[FMT_OBJ_EVENT], k[FMT_OBJ_SEQUENCE], k[FMT_OBJ_DATABASE],
             dependent ? " (views and triggers among them for what they depend on)" : "");
}

/* Whether object O goes: by its schema, its name, or its table. */
static int object_wanted(const struct load_config *cfg, const struct fmt_manifest *m,
                         const struct fmt_object *o, const unsigned char *kt, struct hits *h,
                         const struct cs_log *log, size_t *dependent)
{
    int view = 0;
    long j;

    switch (o->kind) {
    case FMT_OBJ_VIEW:
    case FMT_OBJ_SEQUENCE:
        return table_wanted(cfg, o->schema, o->name, h);
    case FMT_OBJ_TRIGGER:
        if (!schema_wanted(cfg, o->schema, NULL))
            return 0;
        j = find_rel(m, o->schema, o->table ? o->table : "", &view);
        if (j >= 0 && !view && kt[j])
            return 1;
        (*dependent)++;
        if (log)
            cs_log_info(log, "trigger %s.%s left out: its table %s.%s is not loaded", o->schema,
                        o->name, o->schema, o->table ? o->table : "?");
        return 0;
    default:
        return schema_wanted(cfg, o->schema, h);
    }
}

int load_select_apply(const struct load_config *cfg, struct load_input *in, struct fmt_manifest *m,
                      const struct cs_log *log, char *summary, size_t summary_len,
                      struct cs_error *err)
{
    unsigned char *kt = calloc(m->ntables + 1, 1), *ko = calloc(m->nobjects + 1, 1);
    struct hits h = {calloc(cfg->ndatabases + 1, sizeof(unsigned)),
                     calloc(cfg->ntables + 1, sizeof(unsigned)),
                     calloc(cfg->nexclude + 1, sizeof(unsigned))};
    size_t dependent = 0;
    int rc = -1, bad = 0;

    *summary = '\0';
    if (!kt || !ko || !h.db || !h.tab || !h.exc) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < m->ntables; i++)
        kt[i] = (unsigned char)table_wanted(cfg, m->tables[i].schema, m->tables[i].name, &h);
    for (size_t i = 0; i < m->nobjects; i++)
        ko[i] = (unsigned char)object_wanted(cfg, m, &m->objects[i], kt, &h, log, &dependent);
    for (int pass = 0; pass < 2; pass++) {
        const struct cs_log *l = pass ? log : NULL;
        if (pass && bad < 2)
            break;
        bad = 0;
        unmatched("databases", cfg->databases, cfg->ndatabases, h.db,
                  "the dump has no such schema (names are exact and case-sensitive)", l, &bad, err);
        unmatched("tables", cfg->tables, cfg->ntables, h.tab,
                  "no table, view or sequence of the dump matches it", l, &bad, err);
        unmatched("exclude", cfg->exclude, cfg->nexclude, h.exc,
                  "no schema, table, view or sequence of the dump matches it, so it leaves "
                  "nothing out",
                  l, &bad, err);
    }
    if (bad) {
        if (bad > 1)
            cs_error_set(err, CS_ERR_USAGE,
                         "%d selection options match nothing in the dump (listed above); "
                         "nothing was loaded",
                         bad);
        goto out;
    }
    if (drop_dependent_views(in, m, kt, ko, log, &dependent, err) < 0)
        goto out;
    summarize(m, kt, ko, dependent, summary, summary_len);
    fmt_manifest_keep(m, kt, ko);
    rc = 0;
out:
    free(kt);
    free(ko);
    free(h.db);
    free(h.tab);
    free(h.exc);
    return rc;
}

static void key_items(struct cs_buf *b, const char *opt, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cs_buf_printf(b, "\n--%s=%s", opt, v[i]);
}

int load_select_journal_key(const struct load_config *cfg, char dump_id[33], struct cs_error *err)
{
    struct cs_buf b = CS_BUF_INIT;

    if (!load_select_active(cfg) && !cfg->nrenames && !cfg->no_data && !cfg->data_only)
        return 0;
    cs_buf_printf(&b, "%s", dump_id);
    key_items(&b, "databases", cfg->databases, cfg->ndatabases);
    key_items(&b, "tables", cfg->tables, cfg->ntables);
    key_items(&b, "exclude", cfg->exclude, cfg->nexclude);
    key_items(&b, "rename-schema", cfg->renames, cfg->nrenames);
    cs_buf_printf(&b, "%s%s", cfg->no_data ? "\n--no-data" : "",
                  cfg->data_only ? "\n--data-only" : "");
    if (cs_buf_failed(&b)) {
        cs_buf_release(&b);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    fmt_hash128_hex(b.data, b.len, dump_id);
    cs_buf_release(&b);
    return 0;
}

void load_select_report_subset(const struct fmt_manifest *m, const struct cs_log *log)
{
    size_t n = 0;

    if (!fmt_manifest_subset(m))
        return;
    for (size_t i = 0; i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        if (!t->where)
            continue;
        n++;
        cs_log_info(log, "%s.%s: dumped with --where %s (only those rows are in the dump)",
                    t->schema, t->name, t->where);
    }
    cs_log_warn(log,
                "the dump is a subset: %zu table(s) hold only the rows of their --where "
                "condition; each chunk is verified, the tables are not the source's whole",
                n);
}
