#include "load/fasttarget.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "format/sqlenc.h"
#include "load/stmtcheck.h"

#define FAST_LOCK "'" LOAD_JOURNAL_SCHEMA ".fast_target'"
#define REDO_NAME "innodb_redo_log"
#define MAX_ITEMS 4

enum fast_kind { FAST_VAR, FAST_REDO };

/* One setting: its fast value on this server, or NULL and why not. */
struct fast_setting {
    const char *name;
    enum fast_kind kind;
    const char *(*fast)(struct cs_conn *c, const struct cs_version *v, const char *old,
                        const char **why_not);
};

struct fast_item {
    const struct fast_setting *s;
    char old[64];
    char fast[64];
};

struct load_fast {
    struct fast_item items[MAX_ITEMS];
    size_t n;
    int persisted; /* rows in LOAD_FAST_TABLE: restore them */
    const struct cs_log *log;
};

static const char *fast_flush(struct cs_conn *c, const struct cs_version *v, const char *old,
                              const char **why_not)
{
    (void)c, (void)v, (void)old, (void)why_not;
    return "2";
}

static const char *fast_sync_binlog(struct cs_conn *c, const struct cs_version *v, const char *old,
                                    const char **why_not)
{
    (void)c, (void)v, (void)old, (void)why_not;
    return "0";
}

static const char *fast_doublewrite(struct cs_conn *c, const struct cs_version *v, const char *old,
                                    const char **why_not)
{
    char *ro = NULL;
    struct cs_error ignore;
    int dynamic;

    if (v->flavor == CS_FLAVOR_MYSQL) {
        if (!cs_version_at_least(v, 8, 0, 30)) {
            *why_not = "not dynamic before MySQL 8.0.30";
            return NULL;
        }
        if (strcasecmp(old, "ON") && strcasecmp(old, "DETECT_AND_RECOVER")) {
            *why_not = "not ON";
            return NULL;
        }
        return "DETECT_ONLY"; /* ON -> OFF needs a restart on MySQL */
    }
    cs_error_clear(&ignore);
    cs_conn_query_value(c,
                        "SELECT READ_ONLY FROM information_schema.SYSTEM_VARIABLES WHERE "
                        "VARIABLE_NAME = 'INNODB_DOUBLEWRITE'",
                        &ro, &ignore);
    dynamic = ro && !strcmp(ro, "NO");
    free(ro);
    if (!dynamic) {
        *why_not = "read-only on this MariaDB: a start-up option";
        return NULL;
    }
    return "OFF";
}

static const char *fast_redo(struct cs_conn *c, const struct cs_version *v, const char *old,
                             const char **why_not)
{
    struct cs_error e;

    (void)v; /* MySQL 8.0.21+ (plan_item) */
    if (strcmp(old, "ON")) {
        *why_not = "not ON";
        return NULL;
    }
    /* enabling the enabled redo log changes nothing, and needs the privilege */
    cs_error_clear(&e);
    if (cs_conn_exec(c, "ALTER INSTANCE ENABLE INNODB REDO_LOG", &e) < 0) {
        *why_not = e.server_errno == 1227 /* ER_SPECIFIC_ACCESS_DENIED_ERROR */
                       ? "the account lacks INNODB_REDO_LOG_ENABLE (GRANT "
                         "INNODB_REDO_LOG_ENABLE ON *.* TO it to have the redo log disabled "
                         "during the load)"
                       : "the server refused ALTER INSTANCE ENABLE INNODB REDO_LOG (another "
                         "ALTER INSTANCE or a backup lock?)";
        return NULL;
    }
    return "OFF";
}

static const struct fast_setting settings[] = {
    {"innodb_flush_log_at_trx_commit", FAST_VAR, fast_flush},
    {"sync_binlog", FAST_VAR, fast_sync_binlog},
    {"innodb_doublewrite", FAST_VAR, fast_doublewrite},
    {REDO_NAME, FAST_REDO, fast_redo},
};

static const struct fast_setting *setting_named(const char *name)
{
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
        if (!strcmp(settings[i].name, name))
            return &settings[i];
    return NULL;
}

/* A value as the server gave it, to go back into a statement unquoted. */
static int plain_value(const char *v)
{
    if (!*v || strlen(v) >= 64)
        return 0;
    for (; *v; v++)
        if (!isalnum((unsigned char)*v) && *v != '_')
            return 0;
    return 1;
}

/* SHOW GLOBAL STATUS LIKE NAME (every account may): malloc'd, NULL when none */
static int status_value(struct cs_conn *c, const char *name, char **out, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char sql[128], **row;

    *out = NULL;
    snprintf(sql, sizeof(sql), "SHOW GLOBAL STATUS LIKE '%s'", name);
    if (cs_conn_query(c, sql, &res, err) < 0)
        return -1;
    row = cs_result_row(res);
    if (row && row[1] && !(*out = strdup(row[1]))) {
        cs_result_free(res);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    cs_result_free(res);
    return 0;
}

static int read_value(struct cs_conn *c, const struct fast_setting *s, char *out, size_t n,
                      struct cs_error *err)
{
    char sql[160], *v = NULL;
    int rc;

    snprintf(sql, sizeof(sql), "SELECT @@GLOBAL.%s", s->name);
    rc = s->kind == FAST_REDO ? status_value(c, "Innodb_redo_log_enabled", &v, err)
                              : cs_conn_query_value(c, sql, &v, err);
    if (rc == 0 && (!v || !plain_value(v)))
        rc = cs_error_set(err, CS_ERR_SERVER, "%s: unexpected value of %s", c->label, s->name);
    if (rc == 0)
        snprintf(out, n, "%s", v);
    free(v);
    return rc;
}

/* SET GLOBAL NAME = VALUE, or the redo log ON/OFF. */
static int set_value(struct cs_conn *c, const struct fast_setting *s, const char *value,
                     struct cs_error *err)
{
    char sql[160];

    if (!plain_value(value))
        return cs_error_set(err, CS_ERR_INTERNAL, "bad value for %s", s->name);
    if (s->kind == FAST_REDO)
        snprintf(sql, sizeof(sql), "ALTER INSTANCE %s INNODB REDO_LOG",
                 !strcasecmp(value, "OFF") ? "DISABLE" : "ENABLE");
    else
        snprintf(sql, sizeof(sql), "SET GLOBAL %s = %s", s->name, value);
    return cs_conn_exec(c, sql, err);
}

/* The server's start, in seconds since the epoch (a restart moves it). */
static int server_start(struct cs_conn *c, long long *out, struct cs_error *err)
{
    char *up = NULL, *now = NULL;
    int rc = status_value(c, "Uptime", &up, err) < 0 ||
                     cs_conn_query_value(c, "SELECT UNIX_TIMESTAMP()", &now, err) < 0
                 ? -1
                 : 0;

    *out = rc == 0 && up && now ? strtoll(now, NULL, 10) - strtoll(up, NULL, 10) : 0;
    free(up);
    free(now);
    return rc;
}

/* ---- what a csload that died left ---- */

struct leftover {
    const struct fast_setting *s;
    char original[64], fast[64], now[64], set_at[32];
    long long start;
};

static int read_leftovers(struct cs_conn *c, struct leftover *l, size_t *n, struct cs_error *err)
{
    struct cs_result *res = NULL;
    struct cs_error e;
    char **row;

    *n = 0;
    cs_error_clear(&e);
    if (cs_conn_query(c, "SELECT name, original, fast, server_start, set_at FROM " LOAD_FAST_TABLE,
                      &res, &e) < 0) {
        /* no such table or schema, or none this account may read */
        if (e.server_errno == 1146 || e.server_errno == 1049 || e.server_errno == 1142)
            return 0;
        cs_error_copy(err, &e);
        return -1;
    }
    while ((row = cs_result_row(res)) && *n < MAX_ITEMS) {
        const struct fast_setting *s = setting_named(row[0] ? row[0] : "");
        if (!s || !row[1] || !plain_value(row[1]))
            continue; /* not a row this csload wrote */
        l[*n].s = s;
        snprintf(l[*n].original, sizeof(l[*n].original), "%s", row[1]);
        snprintf(l[*n].fast, sizeof(l[*n].fast), "%s", row[2] ? row[2] : "?");
        snprintf(l[*n].set_at, sizeof(l[*n].set_at), "%s", row[4] ? row[4] : "?");
        l[*n].start = row[3] ? strtoll(row[3], NULL, 10) : 0;
        (*n)++;
    }
    cs_result_free(res);
    return 0;
}

static int lock_free(struct cs_conn *c, int *free_, struct cs_error *err)
{
    char *v = NULL;
    int rc = cs_conn_query_value(c, "SELECT IS_FREE_LOCK(" FAST_LOCK ")", &v, err);

    *free_ = rc == 0 && v && !strcmp(v, "1");
    free(v);
    return rc;
}

static int restart_refused(const struct leftover *l, size_t n, struct cs_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (l[i].s->kind == FAST_REDO && !strcasecmp(l[i].fast, "OFF"))
            return cs_error_set(
                err, CS_ERR_USAGE,
                "the target server restarted while csload --fast-target had its InnoDB redo log "
                "disabled (since %s): MySQL documents that an unexpected stop then can lose data "
                "and corrupt the instance, and csload cannot tell a clean stop from a crash, so "
                "this load cannot resume exactly once. Load into a new, empty instance; once you "
                "have checked this one yourself, DELETE FROM " LOAD_FAST_TABLE " lets csload run",
                l[i].set_at);
    return 0;
}

/* Each leftover's value now; *RESTARTED when the server's start moved or a
 * value set with SET GLOBAL is gone (a restart forgets them; the start time
 * has a second's resolution). */
static int read_now(struct cs_conn *c, struct leftover *l, size_t n, int *restarted,
                    struct cs_error *err)
{
    long long start;

    if (server_start(c, &start, err) < 0)
        return -1;
    *restarted = llabs(start - l[0].start) > 2;
    for (size_t i = 0; i < n; i++) {
        if (read_value(c, l[i].s, l[i].now, sizeof(l[i].now), err) < 0)
            return -1;
        if (l[i].s->kind == FAST_VAR && strcasecmp(l[i].now, l[i].fast))
            *restarted = 1;
    }
    return 0;
}

int load_fast_recover(struct cs_conn *c, const struct cs_log *log, int dry_run,
                      struct cs_error *err)
{
    struct leftover l[MAX_ITEMS];
    size_t n;
    int free_, restarted;

    if (read_leftovers(c, l, &n, err) < 0)
        return -1;
    if (!n)
        return 0;
    if (lock_free(c, &free_, err) < 0)
        return -1;
    if (!free_) {
        cs_log_info(log, "another csload --fast-target is loading into this server: the "
                         "settings it changed stay until it ends");
        return 0;
    }
    if (read_now(c, l, n, &restarted, err) < 0)
        return -1;
    cs_log_info(log,
                "%s: a csload --fast-target that did not finish (set at %s) left its "
                "settings on the target%s",
                dry_run ? "--dry-run" : "restoring them first", l[0].set_at,
                restarted ? "; the server restarted since (or they were changed)" : "");
    for (size_t i = 0; i < n; i++) {
        if (!dry_run && strcasecmp(l[i].now, l[i].original) &&
            set_value(c, l[i].s, l[i].original, err) < 0)
            return cs_error_prefix(err,
                                   "restoring %s = %s (as an account with the privilege, "
                                   "or by hand)",
                                   l[i].s->name, l[i].original);
        cs_log_info(log, "  %s: %s -> %s%s", l[i].s->name, l[i].now, l[i].original,
                    dry_run ? " (a load restores it)" : " (restored)");
    }
    if (restarted && restart_refused(l, n, err) < 0)
        return -1;
    if (restarted)
        cs_log_info(log, "the server restarted during that load: InnoDB's crash recovery keeps "
                         "each chunk with its journal row, so a resume redoes exactly what was "
                         "lost");
    return dry_run ? 0 : cs_conn_exec(c, "DELETE FROM " LOAD_FAST_TABLE, err);
}

/* ---- the checks ---- */

static int dump_schema(const struct fmt_manifest *m, const char *s)
{
    for (size_t i = 0; i < m->ntables; i++)
        if (!strcmp(m->tables[i].schema, s))
            return 1;
    for (size_t i = 0; i < m->nobjects; i++)
        if (m->objects[i].schema && !strcmp(m->objects[i].schema, s))
            return 1;
    return 0;
}

/* No table outside the system schemas and __csload (RESUME: nor outside
 * the dump's schemas). */
static int check_empty(struct cs_conn *c, const struct fmt_manifest *m, int resume,
                       struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    int rc = 0;

    if (cs_conn_query(c,
                      "SELECT TABLE_SCHEMA, MIN(TABLE_NAME), COUNT(*) FROM "
                      "information_schema.TABLES GROUP BY TABLE_SCHEMA ORDER BY TABLE_SCHEMA",
                      &res, err) < 0)
        return -1;
    while (rc == 0 && (row = cs_result_row(res))) {
        if (!row[0] || load_stmtcheck_system_schema(row[0]) ||
            !strcmp(row[0], LOAD_JOURNAL_SCHEMA) || (resume && dump_schema(m, row[0])))
            continue;
        rc = cs_error_set(err, CS_ERR_USAGE,
                          "--fast-target is for an empty target, and schema %s holds %s "
                          "table(s) (%s.%s, ...): drop it (DROP DATABASE `%s`) or run without "
                          "--fast-target; nothing was changed",
                          row[0], row[2], row[0], row[1] ? row[1] : "?", row[0]);
    }
    cs_result_free(res);
    return rc;
}

static int check_resume(const struct load_journal *j, struct cs_error *err)
{
    if (!load_journal_has(j, "load:started") || load_journal_has(j, LOAD_FAST_ITEM))
        return 0;
    return cs_error_set(err, CS_ERR_USAGE,
                        "--fast-target: the target holds an earlier run of this dump that was "
                        "started without it (journal " LOAD_JOURNAL_SCHEMA "): resume it "
                        "without --fast-target, or drop what it loaded and " LOAD_JOURNAL_SCHEMA
                        " to load an empty target with it; nothing was changed");
}

/* SET GLOBAL of each variable to itself: refused without the privilege. */
static int check_privilege(struct cs_conn *c, const struct cs_version *v,
                           const struct fast_setting *s, struct cs_error *err)
{
    char sql[160];
    struct cs_error e;

    snprintf(sql, sizeof(sql), "SET GLOBAL %s = @@GLOBAL.%s", s->name, s->name);
    cs_error_clear(&e);
    if (cs_conn_exec(c, sql, &e) == 0)
        return 0;
    return cs_error_set(err, CS_ERR_USAGE,
                        "--fast-target sets %s globally, which the server refuses to this "
                        "account (%s): grant it %s, or run without --fast-target; nothing was "
                        "changed",
                        s->name, e.msg,
                        v->flavor == CS_FLAVOR_MYSQL ? "SYSTEM_VARIABLES_ADMIN (or SUPER)"
                                                     : "SUPER (or what the server names)");
}

static int take_lock(struct cs_conn *c, struct cs_error *err)
{
    char *v = NULL;
    int rc = cs_conn_query_value(c, "SELECT GET_LOCK(" FAST_LOCK ", 0)", &v, err);

    if (rc == 0 && (!v || strcmp(v, "1")))
        rc = cs_error_set(err, CS_ERR_LOCK,
                          "--fast-target: another csload --fast-target is loading into this "
                          "server (it holds the named lock %s); nothing was changed",
                          FAST_LOCK);
    free(v);
    return rc;
}

static int plan_item(struct load_fast *f, struct cs_conn *c, const struct cs_version *v,
                     const struct fast_setting *s, struct cs_error *err)
{
    struct fast_item *it = &f->items[f->n];
    const char *why = NULL, *fast;

    if (s->kind == FAST_REDO && (v->flavor != CS_FLAVOR_MYSQL || !cs_version_at_least(v, 8, 0, 21)))
        return 0; /* no such switch: nothing to say */
    if (read_value(c, s, it->old, sizeof(it->old), err) < 0)
        return -1;
    fast = s->fast(c, v, it->old, &why);
    if (fast && !strcasecmp(fast, it->old))
        why = "already so";
    if (!fast || why) {
        cs_log_info(f->log, "--fast-target: %s = %s left as it is (%s)", s->name, it->old,
                    why ? why : "");
        return 0;
    }
    if (s->kind == FAST_VAR && check_privilege(c, v, s, err) < 0)
        return -1;
    it->s = s;
    snprintf(it->fast, sizeof(it->fast), "%s", fast);
    f->n++;
    return 0;
}

int load_fast_prepare(struct load_fast **out, struct cs_conn *c, const struct load_config *cfg,
                      const struct cs_version *v, const struct fmt_manifest *m,
                      const struct load_journal *j, struct cs_error *err)
{
    struct load_fast *f;
    int resume = load_journal_has(j, LOAD_FAST_ITEM);

    *out = NULL;
    if (check_resume(j, err) < 0 || check_empty(c, m, resume, err) < 0 || take_lock(c, err) < 0)
        return -1;
    if (!(f = calloc(1, sizeof(*f))))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    f->log = cfg->log;
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
        if (plan_item(f, c, v, &settings[i], err) < 0) {
            free(f);
            return -1;
        }
    *out = f;
    return 0;
}

/* ---- apply and restore ---- */

static int persist(struct load_fast *f, struct cs_conn *c, long long start, struct cs_error *err)
{
    struct cs_buf sql = CS_BUF_INIT;
    int rc;

    if (cs_conn_exec(c,
                     "CREATE TABLE IF NOT EXISTS " LOAD_FAST_TABLE " ("
                     " name VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,"
                     " original VARCHAR(64) CHARACTER SET ascii NOT NULL,"
                     " fast VARCHAR(64) CHARACTER SET ascii NOT NULL,"
                     " server_start BIGINT NOT NULL,"
                     " set_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB",
                     err) < 0)
        return cs_error_prefix(err, "creating " LOAD_FAST_TABLE);
    cs_buf_puts(&sql, "INSERT INTO " LOAD_FAST_TABLE " (name, original, fast, server_start) "
                      "VALUES ");
    for (size_t i = 0; i < f->n; i++)
        cs_buf_printf(&sql, "%s('%s','%s','%s',%lld)", i ? "," : "", f->items[i].s->name,
                      f->items[i].old, f->items[i].fast, start);
    /* a row already there holds the truer original */
    cs_buf_puts(&sql, " ON DUPLICATE KEY UPDATE name = name");
    rc = cs_buf_failed(&sql) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                             : cs_conn_exec(c, sql.data, err);
    cs_buf_release(&sql);
    return rc;
}

int load_fast_apply(struct load_fast *f, struct cs_conn *c, const char *dump_id,
                    struct cs_error *err)
{
    long long start;

    if (load_journal_mark(c, dump_id, LOAD_FAST_ITEM, err) < 0)
        return -1;
    if (!f->n) {
        cs_log_info(f->log, "--fast-target: nothing to change on this server");
        return 0;
    }
    if (server_start(c, &start, err) < 0 || persist(f, c, start, err) < 0)
        return -1;
    f->persisted = 1;
    for (size_t i = 0; i < f->n; i++) {
        if (set_value(c, f->items[i].s, f->items[i].fast, err) < 0)
            return cs_error_prefix(err, "--fast-target: setting %s = %s", f->items[i].s->name,
                                   f->items[i].fast);
        cs_log_info(f->log, "--fast-target: %s: %s -> %s", f->items[i].s->name, f->items[i].old,
                    f->items[i].fast);
    }
    return 0;
}

/* Every changed setting back, last first; then the rows go. */
static int restore_on(struct load_fast *f, struct cs_conn *c, struct cs_error *err)
{
    for (size_t i = f->n; i-- > 0;) {
        if (set_value(c, f->items[i].s, f->items[i].old, err) < 0)
            return -1;
        cs_log_info(f->log, "--fast-target: %s restored: %s -> %s", f->items[i].s->name,
                    f->items[i].fast, f->items[i].old);
    }
    if (cs_conn_exec(c, "DELETE FROM " LOAD_FAST_TABLE, err) < 0)
        return -1;
    cs_conn_exec(c, "DO RELEASE_LOCK(" FAST_LOCK ")", err);
    cs_error_clear(err);
    return 0;
}

static void restore_hint(const struct load_fast *f, struct cs_error *err)
{
    struct cs_buf b = CS_BUF_INIT;

    for (size_t i = 0; i < f->n; i++)
        if (f->items[i].s->kind == FAST_REDO)
            cs_buf_puts(&b, " ALTER INSTANCE ENABLE INNODB REDO_LOG;");
        else
            cs_buf_printf(&b, " SET GLOBAL %s = %s;", f->items[i].s->name, f->items[i].old);
    cs_error_prefix(err,
                    "--fast-target: the settings could not be restored (the next csload run "
                    "against this target restores them from " LOAD_FAST_TABLE ", or run:%s)",
                    b.data ? b.data : "");
    cs_buf_release(&b);
}

int load_fast_restore(struct load_fast *f, struct cs_conn *c, const struct load_config *cfg,
                      struct cs_error *err)
{
    struct cs_conn fresh;
    struct cs_error first;

    if (!f || !f->persisted)
        return 0;
    cs_error_clear(&first);
    if (cs_conn_is_open(c) && restore_on(f, c, &first) == 0) {
        f->persisted = 0;
        return 0;
    }
    /* the load's connection is gone (or failed): a new one */
    memset(&fresh, 0, sizeof(fresh));
    cs_log_info(f->log, "--fast-target: restoring the settings on a new connection (%s)",
                cs_error_is_set(&first) ? first.msg : "the load's connection is closed");
    if (cs_conn_open(&fresh, &cfg->conn, "csload (restoring settings)", err) < 0 ||
        (!cfg->keep_binlog && cs_conn_exec(&fresh, "SET SESSION sql_log_bin=0", err) < 0) ||
        restore_on(f, &fresh, err) < 0) {
        cs_conn_close(&fresh);
        restore_hint(f, err);
        return -1;
    }
    cs_conn_close(&fresh);
    f->persisted = 0;
    return 0;
}

void load_fast_print_plan(const struct load_fast *f)
{
    for (size_t i = 0; f && i < f->n; i++)
        cs_log_info(f->log, "--fast-target: a load would set %s: %s -> %s", f->items[i].s->name,
                    f->items[i].old, f->items[i].fast);
}

void load_fast_free(struct load_fast *f)
{
    free(f);
}
