#include "dump/select.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/pattern.h"
#include "dump/catalog.h"

/* A managed service's own tables, never dumped even when their schema is. */
static const char *const service_table_prefixes[] = {"__az_", "rds_", "awsdms_", "ha_health_check"};

/* Accounts of the server itself: never dumped. */
static const char *const system_users[] = {"mariadb.sys", "mysql.sys", "mysql.session",
                                           "mysql.infoschema", "PUBLIC"};

int dump_select_check(const struct dump_config *cfg, struct cs_error *err)
{
    for (size_t i = 0; i < cfg->tables.n; i++) {
        const char *t = cfg->tables.items[i];
        if (!cs_pattern_has_table(t))
            return cs_error_set(err, CS_ERR_USAGE,
                                "--tables=%s: name the schema too, as db.table (db.* for every "
                                "table of a schema, db.t%% for those starting with t)",
                                t);
    }
    return 0;
}

int dump_select_init(struct dump_select *s, const struct dump_config *cfg, struct cs_error *err)
{
    memset(s, 0, sizeof(*s));
    s->cfg = cfg;
    s->table_hits = calloc(cfg->tables.n + 1, sizeof(unsigned));
    s->exclude_hits = calloc(cfg->exclude.n + 1, sizeof(unsigned));
    s->uinc_hits = calloc(cfg->include_users.n + 1, sizeof(unsigned));
    s->uexc_hits = calloc(cfg->exclude_users.n + 1, sizeof(unsigned));
    if (!s->table_hits || !s->exclude_hits || !s->uinc_hits || !s->uexc_hits) {
        dump_select_release(s);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    if (cfg->pattern) { /* compiled once, for every table and trigger */
        if (regcomp(&s->re, cfg->pattern, REG_EXTENDED | REG_NOSUB) != 0) {
            dump_select_release(s);
            return cs_error_set(err, CS_ERR_USAGE,
                                "--regex=%s: not a valid POSIX extended regular expression",
                                cfg->pattern);
        }
        s->have_re = 1;
    }
    return 0;
}

void dump_select_release(struct dump_select *s)
{
    if (!s)
        return;
    if (s->have_re)
        regfree(&s->re);
    free(s->table_hits);
    free(s->exclude_hits);
    free(s->uinc_hits);
    free(s->uexc_hits);
    memset(s, 0, sizeof(*s));
}

static int in_list(const struct dump_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i], s))
            return 1;
    return 0;
}

int dump_select_schema(struct dump_select *s, const char *schema)
{
    const struct dump_config *cfg = s->cfg;
    int named = in_list(&cfg->databases, schema), excluded = 0;

    for (size_t i = 0; !named && i < cfg->tables.n; i++)
        named = cs_pattern_table(cfg->tables.items[i], schema, NULL);
    for (size_t i = 0; i < cfg->exclude.n; i++)
        if (cs_pattern_glob(cfg->exclude.items[i], schema)) {
            s->exclude_hits[i]++;
            excluded = 1;
        }
    if (excluded)
        return 0;
    if (dump_catalog_is_system_schema(schema))
        return named && cfg->include_system;
    return named || (cfg->databases.n == 0 && cfg->tables.n == 0);
}

static int service_table(const char *schema, const char *name)
{
    const size_t n = sizeof(service_table_prefixes) / sizeof(service_table_prefixes[0]);

    for (size_t i = 0; dump_catalog_is_system_schema(schema) && i < n; i++)
        if (!strncmp(name, service_table_prefixes[i], strlen(service_table_prefixes[i])))
            return 1;
    return 0;
}

int dump_select_table(struct dump_select *s, const char *schema, const char *name)
{
    const struct dump_config *cfg = s->cfg;
    int ok = 1;

    if (cfg->tables.n && !in_list(&cfg->databases, schema)) {
        ok = 0;
        for (size_t i = 0; i < cfg->tables.n; i++)
            if (cs_pattern_table(cfg->tables.items[i], schema, name)) {
                s->table_hits[i]++;
                ok = 1;
            }
    }
    for (size_t i = 0; i < cfg->exclude.n; i++)
        if (cs_pattern_table(cfg->exclude.items[i], schema, name)) {
            s->exclude_hits[i]++;
            ok = 0;
        }
    if (ok && service_table(schema, name))
        ok = 0;
    if (ok && s->have_re) {
        char *full = malloc(strlen(schema) + strlen(name) + 2);
        if (!full)
            return 0; /* the caller's next allocation fails too */
        strcpy(full, schema);
        strcat(full, ".");
        strcat(full, name);
        ok = regexec(&s->re, full, 0, NULL, 0) == 0;
        free(full);
        s->regex_hits += (unsigned)ok;
    }
    return ok;
}

int dump_select_wants_accounts(const struct dump_config *cfg)
{
    if (cfg->users != DUMP_USERS_AUTO)
        return cfg->users == DUMP_USERS_ON;
    return !cfg->databases.n && !cfg->tables.n && !cfg->pattern;
}

int dump_select_system_account(const struct dump_config *cfg, const char *user, const char *host)
{
    for (size_t i = 0; i < sizeof(system_users) / sizeof(system_users[0]); i++)
        if (!strcmp(user, system_users[i]))
            return 1;
    if (!strncmp(user, "mysql.", 6))
        return 1;
    return !strcmp(user, "root") && !strcmp(host, "localhost") &&
           !in_list(&cfg->include_users, "root@localhost");
}

int dump_select_account(struct dump_select *s, const char *user, const char *host)
{
    const struct dump_config *cfg = s->cfg;
    int ok = cfg->include_users.n == 0;

    if (dump_select_system_account(cfg, user, host))
        return 0;
    for (size_t i = 0; i < cfg->include_users.n; i++)
        if (cs_pattern_account(cfg->include_users.items[i], user, host)) {
            s->uinc_hits[i]++;
            ok = 1;
        }
    for (size_t i = 0; i < cfg->exclude_users.n; i++)
        if (cs_pattern_account(cfg->exclude_users.items[i], user, host)) {
            s->uexc_hits[i]++;
            ok = 0;
        }
    return ok;
}

struct unmatched_list {
    const char *opt;
    const struct dump_list *items;
    const unsigned *hits;
    const char *what;
};

/* Each item that matched nothing: counted (PASS 0), then logged when there
 * are several and the first kept in ERR (PASS 1). */
static size_t unmatched_pass(const struct unmatched_list *l, size_t nl, int pass, size_t total,
                             const struct cs_log *log, struct cs_error *err)
{
    size_t n = 0;

    for (size_t k = 0; k < nl; k++)
        for (size_t i = 0; i < l[k].items->n; i++) {
            if (l[k].hits[i])
                continue;
            if (pass && !n)
                cs_error_set(err, CS_ERR_USAGE, "--%s=%s: %s", l[k].opt, l[k].items->items[i],
                             l[k].what);
            if (pass && total > 1)
                cs_log_error(log, "--%s=%s: %s", l[k].opt, l[k].items->items[i], l[k].what);
            n++;
        }
    return n;
}

int dump_select_unmatched(const struct dump_select *s, int accounts, const struct cs_log *log,
                          struct cs_error *err)
{
    const struct dump_config *cfg = s->cfg;
    struct dump_list re = {(char **)&cfg->pattern, cfg->pattern ? 1 : 0};
    const struct unmatched_list lists[] = {
        {"tables", &cfg->tables, s->table_hits,
         "no table, view or sequence of the source matches it (names are case-sensitive; % "
         "and * are wildcards)"},
        {"exclude", &cfg->exclude, s->exclude_hits,
         "no schema, table, view or sequence of the source matches it, so it leaves nothing "
         "out"},
        {"regex", &re, &s->regex_hits, "no table, view or sequence of the selection matches it"},
        {"include-users", &cfg->include_users, s->uinc_hits,
         "no account of the source matches it (system accounts are never dumped)"},
        {"exclude-users", &cfg->exclude_users, s->uexc_hits,
         "no account of the source matches it, so it leaves nothing out"},
    };
    size_t nl = sizeof(lists) / sizeof(lists[0]) - (accounts ? 0 : 2);
    size_t n = unmatched_pass(lists, nl, 0, 0, log, err);

    if (!n)
        return 0;
    unmatched_pass(lists, nl, 1, n, log, err);
    if (n > 1)
        cs_error_set(err, CS_ERR_USAGE,
                     "%zu selection options match nothing on the source (listed above); "
                     "nothing was dumped",
                     n);
    return -1;
}
