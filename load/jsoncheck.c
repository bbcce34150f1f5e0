#include "load/jsoncheck.h"

#include "common/buf.h"

#define NAMED_MAX 10

static void name_column(struct cs_buf *b, const struct fmt_table *t, const struct fmt_column *c,
                        size_t *named)
{
    if ((*named)++ < NAMED_MAX)
        cs_buf_printf(b, "%s %s.%s.%s (%llu value(s))", *named > 1 ? "," : "", t->schema, t->name,
                      c->name, (unsigned long long)c->typed_values);
}

int load_jsoncheck_target(struct fmt_manifest *m, const struct cs_version *target,
                          const struct cs_log *log, struct cs_error *err)
{
    struct cs_buf names = CS_BUF_INIT;
    size_t named = 0, text = 0;
    int rc = 0;

    if (target->flavor == CS_FLAVOR_MYSQL && cs_version_at_least(target, 8, 0, 4))
        return 0;
    for (size_t i = 0; i < m->ntables; i++) {
        for (size_t k = 0; k < m->tables[i].ncolumns; k++) {
            struct fmt_column *c = &m->tables[i].columns[k];
            if (c->kind != FMT_COL_MYSQL_JSON)
                continue;
            if (c->typed_values)
                name_column(&names, &m->tables[i], c, &named);
            else
                text++;
            c->kind = FMT_COL_UTF8TEXT;
        }
    }
    if (named)
        rc = cs_error_set(err, CS_ERR_USAGE,
                          "MySQL JSON values whose scalars are DECIMAL, UNSIGNED, DATE, TIME, "
                          "DATETIME, TIMESTAMP or binary cannot keep those types in %s %u.%u "
                          "(%s):%s%s; nothing was loaded (load into MySQL 8.0.4 or later, or "
                          "convert those values on the source)",
                          cs_flavor_name(target->flavor), target->major, target->minor,
                          target->flavor == CS_FLAVOR_MYSQL ? "no JSON_TABLE to rebuild them"
                                                            : "its JSON is text",
                          names.data ? names.data : "", named > NAMED_MAX ? " ..." : "");
    else if (text)
        cs_log_verbose(log, "%zu MySQL JSON column(s) hold only JSON text: loaded as text", text);
    cs_buf_release(&names);
    return rc;
}

int load_jsoncheck_chunk(const struct fmt_table *t, const struct fmt_chunk *c, struct cs_error *err)
{
    if (!c->typed_values)
        return 0;
    for (size_t k = 0; k < t->ncolumns; k++)
        if (t->columns[k].kind == FMT_COL_MYSQL_JSON)
            return 0;
    return cs_error_set(err, CS_ERR_USAGE,
                        "%s.%s chunk %s: %llu MySQL JSON value(s) with DECIMAL, DATE, binary ... "
                        "scalars, which this target's JSON (text) cannot keep: nothing of the "
                        "chunk was loaded (load into MySQL)",
                        t->schema, t->name, c->file, (unsigned long long)c->typed_values);
}
