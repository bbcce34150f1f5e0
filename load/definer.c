#include "load/definer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/quote.h"
#include "load/grant.h"
#include "load/schema.h"
#include "load/sqltok.h"

/* The words after which a CREATE statement names its object: a DEFINER
 * clause comes before them. */
static const char *const object_words[] = {"VIEW",  "PROCEDURE", "FUNCTION", "TRIGGER",
                                           "EVENT", "AGGREGATE", "PACKAGE"};

static int is_object_word(const char *text, const struct load_tok *t)
{
    for (size_t i = 0; i < sizeof(object_words) / sizeof(object_words[0]); i++)
        if (load_sqltok_is(text, t, object_words[i]))
            return 1;
    return 0;
}

static int is_punct(const char *text, const struct load_tok *t, char c)
{
    return t && t->kind == LOAD_TOK_PUNCT && text[t->off] == c;
}

/* The significant token after index *I (advanced), or NULL. */
static const struct load_tok *next_sig(const struct load_toks *t, size_t *i)
{
    while (++*i < t->n)
        if (load_sqltok_significant(&t->v[*i]))
            return &t->v[*i];
    return NULL;
}

/* DEFINER at token I: = account | CURRENT_USER[()]; fills D. */
static int read_clause(const char *text, const struct load_toks *t, size_t i,
                       struct load_definer *d)
{
    const struct load_tok *k = next_sig(t, &i), *last;

    if (!is_punct(text, k, '=') || !(k = next_sig(t, &i)))
        return 0;
    last = k;
    if (load_sqltok_is(text, k, "CURRENT_USER")) {
        size_t j = i;
        const struct load_tok *p = next_sig(t, &j), *q = p ? next_sig(t, &j) : NULL;
        if (is_punct(text, p, '(') && is_punct(text, q, ')'))
            last = q;
    } else {
        size_t j = i;
        const struct load_tok *at = next_sig(t, &j), *h = at ? next_sig(t, &j) : NULL;
        if (!(d->user = load_grant_tok_value(text, k)))
            return -1;
        if (is_punct(text, at, '@') && h) {
            if (!(d->host = load_grant_tok_value(text, h)))
                return -1;
            last = h;
        }
    }
    d->len = last->off + last->len - d->off;
    return 1;
}

int load_definer_find(const char *text, int backslash, struct load_definer *d)
{
    struct load_toks t = {0};
    int rc = 0;

    memset(d, 0, sizeof(*d));
    if (load_sqltok_split(text, 0, strlen(text), backslash, &t) < 0)
        return -1;
    for (size_t i = 0; i < t.n && rc == 0; i++) {
        const struct load_tok *k = &t.v[i];
        if (!load_sqltok_significant(k))
            continue;
        if (is_object_word(text, k))
            break;
        if (load_sqltok_is(text, k, "DEFINER")) {
            d->off = k->off;
            rc = read_clause(text, &t, i, d);
            break;
        }
    }
    load_sqltok_release(&t);
    if (rc <= 0)
        load_definer_release(d);
    return rc;
}

void load_definer_release(struct load_definer *d)
{
    if (!d)
        return;
    free(d->user);
    free(d->host);
    memset(d, 0, sizeof(*d));
}

char *load_definer_rewrite(const char *text, const struct load_definer *d, const char *user,
                           const char *host)
{
    struct cs_buf b = CS_BUF_INIT;

    cs_buf_append(&b, text, d->off);
    if (!user) {
        cs_buf_puts(&b, "DEFINER=CURRENT_USER");
    } else {
        cs_buf_puts(&b, "DEFINER=");
        cs_quote_ident(&b, user);
        if (host) {
            cs_buf_putc(&b, '@');
            cs_quote_ident(&b, host);
        }
    }
    cs_buf_puts(&b, text + d->off + d->len);
    return cs_buf_detach(&b);
}

/* ---- the check ------------------------------------------------------------- */

static int has_definer(enum fmt_object_kind k)
{
    return k == FMT_OBJ_VIEW || k == FMT_OBJ_PROCEDURE || k == FMT_OBJ_FUNCTION ||
           k == FMT_OBJ_TRIGGER || k == FMT_OBJ_EVENT;
}

/* The loading user, and whether it may name another definer. */
struct me {
    char user[256], host[256];
    int can_set;
};

static const char *const set_definer_privs[] = {"SUPER",       "SET USER", "SET_ANY_DEFINER",
                                                "SET_USER_ID", "ALL",      "ALL PRIVILEGES"};

static void me_grant(struct me *me, const char *line)
{
    struct load_grant g;
    struct cs_error ignore;

    if (load_grant_parse(line, &g, &ignore) < 0)
        return;
    for (size_t i = 0;
         g.kind == LOAD_GRANT_PRIVS && !g.revoke && g.level == LOAD_GRANT_GLOBAL && i < g.nprivs;
         i++)
        for (size_t k = 0; k < sizeof(set_definer_privs) / sizeof(set_definer_privs[0]); k++)
            me->can_set |= !strcmp(g.privs[i].name, set_definer_privs[k]);
    load_grant_release(&g);
}

static int read_me(struct cs_conn *c, struct me *me, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    char *who = NULL, *at;

    memset(me, 0, sizeof(*me));
    if (cs_conn_query_value(c, "SELECT CURRENT_USER()", &who, err) < 0)
        return -1;
    at = who ? strrchr(who, '@') : NULL;
    snprintf(me->user, sizeof(me->user), "%.*s", at ? (int)(at - who) : 0, at ? who : "");
    snprintf(me->host, sizeof(me->host), "%s", at ? at + 1 : "");
    free(who);
    if (cs_conn_query(c, "SHOW GRANTS", &res, err) < 0)
        return -1;
    while ((row = cs_result_row(res)))
        if (row[0])
            me_grant(me, row[0]);
    cs_result_free(res);
    return 0;
}

/* What is wrong with creating an object for definer USER@HOST, or NULL. */
static const char *problem(const struct me *me, const struct load_accounts *a, const char *user,
                           const char *host)
{
    int same = !strcmp(user, me->user) && !strcmp(host ? host : "", me->host);
    int exists = same ? 1 : load_accounts_will_exist(a, user, host ? host : "");

    if (exists == 0)
        return "does not exist on the target and is not loaded with this dump (--load-users)";
    if (exists < 0)
        return "cannot be checked: the loading user cannot read mysql.user";
    if (!same && !me->can_set)
        return "is not the loading user, who lacks the privilege to create objects for others "
               "(SET USER or SUPER on MariaDB, SET_ANY_DEFINER or SUPER on MySQL)";
    return NULL;
}

static int journaled(const struct load_ctx *ctx, const struct fmt_object *o)
{
    struct cs_buf item = CS_BUF_INIT;
    int has;

    load_journal_item(&item, fmt_object_kind_name(o->kind), o->schema, o->name);
    has = item.data && load_journal_has(ctx->journal, item.data);
    cs_buf_release(&item);
    return has;
}

/* Object I: 1 when its definer is refused (logged), 0 fine, -1 error. */
static int check_object(const struct load_ctx *ctx, const struct me *me,
                        const struct load_accounts *a, size_t i, struct cs_error *err)
{
    const struct fmt_object *o = &ctx->m->objects[i];
    struct load_definer d;
    const char *why;
    char *text = NULL;
    int rc;

    if (!has_definer(o->kind) || ctx->object_action[i] == LOAD_ACT_SKIP || journaled(ctx, o))
        return 0;
    if (load_schema_read(ctx->in, ctx->m, o->file, &text, err) < 0)
        return -1;
    rc = load_definer_find(text, load_sqltok_backslash(o->sql_mode), &d);
    free(text);
    if (rc < 0)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (rc == 0 || !d.user)
        return 0;
    why = problem(me, a, d.user, d.host);
    if (why)
        cs_log_error(ctx->cfg->log, "%s %s.%s: its definer %s%s%s %s",
                     fmt_object_kind_name(o->kind), o->schema, o->name, d.user, d.host ? "@" : "",
                     d.host ? d.host : "", why);
    load_definer_release(&d);
    return why != NULL;
}

int load_definers_check(struct cs_conn *c, const struct load_ctx *ctx,
                        const struct load_accounts *accounts, struct cs_error *err)
{
    const struct load_config *cfg = ctx->cfg;
    size_t refused = 0;
    struct me me;
    const char *why;

    if (cfg->definers == LOAD_DEFINERS_STRIP)
        return 0;
    if (read_me(c, &me, err) < 0)
        return -1;
    if (cfg->definers == LOAD_DEFINERS_REPLACE) {
        why = problem(&me, accounts, cfg->definer_user, cfg->definer_host);
        return why ? cs_error_set(err, CS_ERR_USAGE, "--definers=replace=%s@%s: that account %s",
                                  cfg->definer_user, cfg->definer_host, why)
                   : 0;
    }
    for (size_t i = 0; i < ctx->m->nobjects; i++) {
        int r = check_object(ctx, &me, accounts, i, err);
        if (r < 0)
            return -1;
        refused += (size_t)r;
    }
    if (refused)
        return cs_error_set(err, CS_ERR_USAGE,
                            "%zu object(s) cannot be created with their definer (listed above); "
                            "nothing was loaded: create those accounts on the target, load them "
                            "with --load-users, or use --definers=strip (the loading user) or "
                            "--definers=replace=USER@HOST",
                            refused);
    return 0;
}

int load_definers_apply(const struct load_config *cfg, const struct fmt_object *o, char **text,
                        struct cs_error *err)
{
    struct load_definer d;
    char *out;
    int rc;

    if (cfg->definers == LOAD_DEFINERS_KEEP || !has_definer(o->kind))
        return 0;
    rc = load_definer_find(*text, load_sqltok_backslash(o->sql_mode), &d);
    if (rc <= 0)
        return rc < 0 ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") : 0;
    out = cfg->definers == LOAD_DEFINERS_STRIP
              ? load_definer_rewrite(*text, &d, NULL, NULL)
              : load_definer_rewrite(*text, &d, cfg->definer_user, cfg->definer_host);
    load_definer_release(&d);
    if (!out)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    free(*text);
    *text = out;
    return 0;
}
