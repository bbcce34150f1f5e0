/* compat.c - the cross-flavor plan of one load (load/compat.h). */
#include "load/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format/sqlenc.h"
#include "load/journal.h"
#include "load/schema.h"
#include "load/compat_int.h"

struct change {
    char *item; /* journal item: "compat:table:fx.t:1" */
    char *text; /* "table fx.t: column `p`: ..." */
};

struct load_compat {
    struct load_compat_policy p;
    char source[96], target[96]; /* "mysql 9.7.4" */
    char **collations;
    size_t ncollations;
    struct change *changes;
    size_t nchanges;
};

static unsigned long version_id(const struct cs_version *v)
{
    return v->major * 10000ul + v->minor * 100ul + v->patch;
}

/* ---- what the target has -------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_collations(struct load_compat *k, struct cs_conn *c, const struct load_target *t,
                           struct cs_error *err)
{
    const char *sql = "SELECT COLLATION_NAME FROM information_schema.COLLATIONS";
    struct cs_result *res = NULL;
    char **row;

    if (t->version.flavor == CS_FLAVOR_MARIADB && cs_version_at_least(&t->version, 10, 10, 0))
        sql = "SELECT FULL_COLLATION_NAME FROM "
              "information_schema.COLLATION_CHARACTER_SET_APPLICABILITY UNION "
              "SELECT COLLATION_NAME FROM information_schema.COLLATIONS";
    if (cs_conn_query(c, sql, &res, err) < 0)
        return cs_error_prefix(err, "reading the target's collations");
    k->collations = calloc(cs_result_rows(res) + 1, sizeof(char *));
    while (k->collations && (row = cs_result_row(res)))
        if (row[0] && !(k->collations[k->ncollations++] = strdup(row[0])))
            break;
    cs_result_free(res);
    if (!k->collations || (k->ncollations && !k->collations[k->ncollations - 1]))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    qsort(k->collations, k->ncollations, sizeof(char *), cmp_str);
    k->p.collations = k->collations;
    k->p.ncollations = k->ncollations;
    return 0;
}

/* ---- changes -------------------------------------------------------------------- */

static int add_change(struct load_compat *k, const char *kind, const char *schema, const char *name,
                      size_t n, const char *label, const char *text)
{
    struct change *v = realloc(k->changes, (k->nchanges + 1) * sizeof(*v));
    struct cs_buf item = CS_BUF_INIT, t = CS_BUF_INIT;

    if (!v)
        return -1;
    k->changes = v;
    cs_buf_puts(&item, "compat:");
    if (schema)
        load_journal_item(&item, kind, schema, name);
    else
        cs_buf_puts(&item, kind);
    cs_buf_printf(&item, ":%zu", n);
    cs_buf_printf(&t, "%s: %s", label, text);
    if (cs_buf_failed(&item) || cs_buf_failed(&t)) {
        cs_buf_release(&item);
        cs_buf_release(&t);
        return -1;
    }
    v[k->nchanges].item = cs_buf_detach(&item);
    v[k->nchanges++].text = cs_buf_detach(&t);
    return 0;
}

/* One object's changes kept, its refusals logged and counted. */
static int take(struct load_compat *k, const struct load_config *cfg, const char *kind,
                const char *schema, const char *name, const struct load_compat_result *r,
                size_t *nrefused)
{
    char label[600];

    if (r->changes.failed || r->refusals.failed)
        return -1;
    if (!schema)
        snprintf(label, sizeof(label), "%s", kind);
    else if (name)
        snprintf(label, sizeof(label), "%s %s.%s", kind, schema, name);
    else
        snprintf(label, sizeof(label), "%s %s", kind, schema);
    for (size_t i = 0; i < r->refusals.n; i++)
        cs_log_error(cfg->log, "%s: %s", label, r->refusals.v[i]);
    *nrefused += r->refusals.n;
    for (size_t i = 0; i < r->changes.n; i++)
        if (add_change(k, kind, schema, name, i + 1, label, r->changes.v[i]) < 0)
            return -1;
    return 0;
}

/* ---- the manifest's session settings -------------------------------------------- */

static int replace_str(char **s, struct cs_buf *b)
{
    char *v;

    if (cs_buf_failed(b) || !(v = cs_buf_detach(b)))
        return -1;
    free(*s);
    *s = v;
    return 0;
}

/* Object O's sql_mode and connection collation, translated in place. */
static int object_session(const struct load_compat *k, struct fmt_object *o,
                          struct load_compat_result *r)
{
    struct cs_buf b = CS_BUF_INIT;
    const char *to, *why = "";
    char buf[64];

    if (o->sql_mode) {
        load_compat_sql_mode(&k->p, o->sql_mode, o->kind != FMT_OBJ_VIEW, &b, &r->changes,
                             &r->refusals);
        if (strcmp(b.data ? b.data : "", o->sql_mode) && replace_str(&o->sql_mode, &b) < 0)
            return -1;
        cs_buf_release(&b);
    }
    if (!o->collation)
        return 0;
    to = load_compat_collation(&k->p, o->collation, buf, sizeof(buf), &why);
    if (!to) {
        load_compat_list_add(&r->refusals,
                             "session collation %s: the target has none close "
                             "to it",
                             o->collation);
    } else if (strcmp(to, o->collation)) {
        load_compat_list_add(&r->changes, "session collation %s -> %s (%s)", o->collation, to, why);
        cs_buf_puts(&b, to);
        if (replace_str(&o->collation, &b) < 0)
            return -1;
    }
    return 0;
}

static int session_mode(const struct load_compat *k, struct fmt_manifest *m,
                        struct load_compat_result *r)
{
    struct cs_buf b = CS_BUF_INIT;
    int rc = 0;

    load_compat_sql_mode(&k->p, m->sql_mode, 0, &b, &r->changes, &r->refusals);
    if (strcmp(b.data ? b.data : "", m->sql_mode ? m->sql_mode : ""))
        rc = replace_str(&m->sql_mode, &b);
    cs_buf_release(&b);
    return rc;
}

int load_compat_manifest(const struct load_compat *k, struct fmt_manifest *m, struct cs_error *err)
{
    struct load_compat_result r = {0};
    int rc = 0;

    if (!k || k->p.dir == LOAD_COMPAT_SAME)
        return 0;
    rc = session_mode(k, m, &r);
    for (size_t i = 0; rc == 0 && i < m->nobjects; i++)
        rc = object_session(k, &m->objects[i], &r);
    load_compat_result_release(&r);
    return rc == 0 ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

/* ---- checking the whole dump ------------------------------------------------------ */

static int check_tables(struct load_compat *k, const struct load_config *cfg, struct load_input *in,
                        const struct fmt_manifest *m, size_t *nref, struct cs_error *err)
{
    for (size_t i = 0; i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        struct load_compat_result r;
        char *text = NULL;
        int rc;

        if (load_schema_read(in, m, t->ddl_file, &text, err) < 0)
            return -1;
        rc = load_compat_rewrite(&k->p, LOAD_COMPAT_TABLE, text, 1, &r);
        free(text);
        if (rc == 0)
            rc = take(k, cfg, "table", t->schema, t->name, &r, nref);
        load_compat_result_release(&r);
        if (rc < 0)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    return 0;
}

static int check_objects(struct load_compat *k, const struct load_config *cfg,
                         struct load_input *in, struct fmt_manifest *m, size_t *nref,
                         struct cs_error *err)
{
    for (size_t i = 0; i < m->nobjects; i++) {
        struct fmt_object *o = &m->objects[i];
        struct load_compat_result r;
        char *text = NULL;
        int rc;

        if (load_schema_read(in, m, o->file, &text, err) < 0)
            return -1;
        rc = load_compat_rewrite(&k->p, LOAD_COMPAT_STATEMENT, text, load_sqltok_backslash(o->sql_mode), &r);
        free(text);
        if (rc == 0)
            rc = object_session(k, o, &r);
        if (rc == 0)
            rc = take(k, cfg, fmt_object_kind_name(o->kind), o->schema,
                      o->kind == FMT_OBJ_DATABASE ? NULL : o->name, &r, nref);
        load_compat_result_release(&r);
        if (rc < 0)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    return 0;
}

static int check_session(struct load_compat *k, const struct load_config *cfg,
                         struct fmt_manifest *m, size_t *nref, struct cs_error *err)
{
    struct load_compat_result r = {0};
    int rc = session_mode(k, m, &r);

    if (rc == 0)
        rc = take(k, cfg, "session", NULL, NULL, &r, nref);
    load_compat_result_release(&r);
    return rc == 0 ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

static int set_policy(struct load_compat *k, const struct load_config *cfg,
                      const struct fmt_manifest *m, const struct load_target *t,
                      struct cs_error *err)
{
    struct cs_version src;

    if (cs_version_parse(m->server_version, m->flavor, &src) < 0)
        return cs_error_set(err, CS_ERR_FORMAT, "the dump's source version '%s' is not a version",
                            m->server_version ? m->server_version : "");
    k->p.dir =
        t->version.flavor == CS_FLAVOR_MARIADB ? LOAD_COMPAT_TO_MARIADB : LOAD_COMPAT_TO_MYSQL;
    k->p.source_version = version_id(&src);
    k->p.target_version = version_id(&t->version);
    k->p.flags = cfg->compat;
    snprintf(k->source, sizeof(k->source), "%s %u.%u.%u", m->flavor, src.major, src.minor,
             src.patch);
    snprintf(k->target, sizeof(k->target), "%s %u.%u.%u", cs_flavor_name(t->version.flavor),
             t->version.major, t->version.minor, t->version.patch);
    return 0;
}

int load_compat_prepare(struct load_compat **out, struct cs_conn *c, const struct load_config *cfg,
                        struct load_input *in, struct fmt_manifest *m, const struct load_target *t,
                        struct cs_error *err)
{
    struct load_compat *k = calloc(1, sizeof(*k));
    size_t nref = 0;

    *out = k;
    if (!k)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (!m->flavor || !strcmp(m->flavor, cs_flavor_name(t->version.flavor))) {
        if (cfg->compat)
            cs_log_warn(cfg->log,
                        "--compat does nothing here: the dump and the target are both "
                        "%s",
                        cs_flavor_name(t->version.flavor));
        return 0; /* LOAD_COMPAT_SAME: nothing changes */
    }
    if (set_policy(k, cfg, m, t, err) < 0 || read_collations(k, c, t, err) < 0)
        return -1;
    cs_log_info(cfg->log,
                "cross-flavor load %s -> %s: every statement of the dump is checked "
                "against the policy first (csload --help: --compat)",
                k->source, k->target);
    if (check_tables(k, cfg, in, m, &nref, err) < 0 ||
        check_objects(k, cfg, in, m, &nref, err) < 0 || check_session(k, cfg, m, &nref, err) < 0)
        return -1;
    if (nref)
        return cs_error_set(err, CS_ERR_USAGE,
                            "%zu thing(s) of the dump cannot be carried from %s to %s as they "
                            "are (listed above); nothing was loaded",
                            nref, k->source, k->target);
    cs_log_info(cfg->log, "%zu change(s) carry the dump to %s (listed at the end)", k->nchanges,
                k->target);
    for (size_t i = 0; i < k->nchanges; i++)
        cs_log_verbose(cfg->log, "  %s", k->changes[i].text);
    return 0;
}

/* ---- during the load ---------------------------------------------------------------- */

static int rewrite_text(const struct load_compat *k, enum load_compat_kind kind, int backslash,
                        char **text, struct cs_error *err)
{
    struct load_compat_result r;

    if (load_compat_rewrite(&k->p, kind, *text, backslash, &r) < 0)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (r.refusals.n) { /* the dump changed since it was checked */
        cs_error_set(err, CS_ERR_USAGE, "%s (refused by the cross-flavor policy)", r.refusals.v[0]);
        load_compat_result_release(&r);
        return -1;
    }
    free(*text);
    *text = r.text;
    r.text = NULL;
    load_compat_result_release(&r);
    return 0;
}

int load_compat_table_ddl(const struct load_compat *k, char **text, struct cs_error *err)
{
    if (!k || k->p.dir == LOAD_COMPAT_SAME)
        return 0;
    return rewrite_text(k, LOAD_COMPAT_TABLE, 1, text, err);
}

int load_compat_object_ddl(const struct load_compat *k, const struct fmt_object *o, char **text,
                           struct cs_error *err)
{
    if (!k || k->p.dir == LOAD_COMPAT_SAME)
        return 0;
    return rewrite_text(k, LOAD_COMPAT_STATEMENT, load_sqltok_backslash(o->sql_mode), text, err);
}

/* The string token of a sql chunk's "SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='...'"
 * (inside its executable comment), or NULL. */
static const struct load_tok *mode_literal(const char *stmt, const struct load_toks *t,
                                           struct load_toks *body)
{
    static const char head[] = "SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE=";
    const struct load_tok *c = NULL;
    size_t n, j = 0;

    for (size_t i = 0; i < t->n; i++)
        if (load_sqltok_significant(&t->v[i])) {
            if (c)
                return NULL; /* one executable comment and nothing else */
            c = &t->v[i];
        }
    if (!c || c->kind != LOAD_TOK_VERSIONED || c->open ||
        load_sqltok_split(stmt, c->body_off, c->body_off + c->body_len, 1, body) < 0)
        return NULL;
    for (size_t i = 0; i < body->n; i++)
        if (load_sqltok_significant(&body->v[i]))
            body->v[j++] = body->v[i];
    body->n = j;
    n = load_compat_rw_match(stmt, body->v, body->n, 0, head);
    if (!n || n + 1 != body->n || body->v[n].kind != LOAD_TOK_STRING || body->v[n].open)
        return NULL;
    return &body->v[n];
}

int load_compat_chunk_rewrite(const struct load_compat_policy *p, const char *stmt, size_t len,
                              char **out)
{
    struct load_toks t = {0}, body = {0};
    struct load_compat_result r = {0};
    struct cs_buf b = CS_BUF_INIT;
    const struct load_tok *lit = NULL;
    char *mode = NULL;
    int rc = 0;

    *out = NULL;
    if (p->dir == LOAD_COMPAT_SAME || len > 4096)
        return 0;
    if (load_sqltok_split(stmt, 0, len, 1, &t) < 0)
        rc = -1;
    else if ((lit = mode_literal(stmt, &t, &body)) &&
             !(mode = strndup(stmt + lit->off + 1, lit->len - 2)))
        rc = -1;
    if (mode) {
        cs_buf_append(&b, stmt, lit->off + 1);
        load_compat_sql_mode(p, mode, 0, &b, &r.changes, &r.refusals);
        cs_buf_append(&b, stmt + lit->off + lit->len - 1, len - (lit->off + lit->len - 1));
        if (cs_buf_failed(&b))
            rc = -1;
        else if (b.len != len || memcmp(b.data, stmt, len)) /* changed */
            *out = cs_buf_detach(&b);
    }
    free(mode);
    cs_buf_release(&b);
    load_compat_result_release(&r);
    load_sqltok_release(&t);
    load_sqltok_release(&body);
    return rc;
}

int load_compat_chunk_stmt(const struct load_compat *k, const char *stmt, size_t len, char **out,
                           struct cs_error *err)
{
    *out = NULL;
    if (!k || load_compat_chunk_rewrite(&k->p, stmt, len, out) == 0)
        return 0;
    return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

/* ---- after it ---------------------------------------------------------------------- */

int load_compat_record(const struct load_compat *k, struct cs_conn *c, const char *dump_id,
                       struct cs_error *err)
{
    if (!k || !k->nchanges)
        return 0;
    if (load_journal_ensure_detail(c, err) < 0)
        return -1;
    for (size_t i = 0; i < k->nchanges; i++)
        if (load_journal_note(c, dump_id, k->changes[i].item, k->changes[i].text, err) < 0)
            return cs_error_prefix(err, "recording the cross-flavor changes in the journal");
    return 0;
}

void load_compat_summary(const struct load_compat *k, const struct cs_log *log)
{
    if (!k || k->p.dir == LOAD_COMPAT_SAME)
        return;
    cs_log_info(log, "cross-flavor load %s -> %s: %zu change(s)%s", k->source, k->target,
                k->nchanges, k->nchanges ? " (journal items compat:*):" : "");
    for (size_t i = 0; i < k->nchanges; i++)
        cs_log_info(log, "  %s", k->changes[i].text);
}

void load_compat_free(struct load_compat *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->ncollations; i++)
        free(k->collations[i]);
    free(k->collations);
    for (size_t i = 0; i < k->nchanges; i++) {
        free(k->changes[i].item);
        free(k->changes[i].text);
    }
    free(k->changes);
    free(k);
}
