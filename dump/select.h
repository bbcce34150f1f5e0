/*
 * select.h - which schemas, tables and accounts a dump takes, from
 * --databases, --tables, --exclude, --regex and --include-users /
 * --exclude-users, and which of those options matched nothing.
 *
 * Patterns: in --tables and --exclude, "db.t" names one table (or view or
 * sequence); '%' or '*' stand for any run of characters (none included),
 * so "db.*" is every table of db and "db.t%" every table whose name starts
 * with t; a backslash takes the next character literally.  The dot that
 * separates schema and table may be any dot of the pattern (schema names
 * may hold dots).  An --exclude item without a table part ("db", or one
 * that matches a schema name whole) leaves out the schema with everything
 * in it; "db.*" only its tables, views and sequences.  --databases names
 * schemas exactly.  Account patterns are "user@host" (the host split at
 * the last '@'; "user" alone is "user@%"), with the same wildcards.
 *
 * Every option item must match something the source has: the catalog
 * feeds every schema, table and account it sees through these functions,
 * which count the hits; dump_select_unmatched() then names each item that
 * matched nothing (an error of exit code 2).  A struct dump_select belongs
 * to the catalog reader (one thread); the config it points to must outlive
 * it.
 */
#ifndef DUMP_SELECT_H
#define DUMP_SELECT_H

#include <regex.h>

#include "common/error.h"
#include "common/log.h"
#include "dump/config.h"

struct dump_select {
    const struct dump_config *cfg;
    regex_t re;
    int have_re;
    unsigned *table_hits;   /* per cfg->tables item */
    unsigned *exclude_hits; /* per cfg->exclude item */
    unsigned *uinc_hits;    /* per cfg->include_users item */
    unsigned *uexc_hits;    /* per cfg->exclude_users item */
    unsigned regex_hits;
};

/* Usage checks that need no server (pure): every --tables item names its
 * schema ("db.t"), no pattern is empty.  CS_ERR_USAGE naming the item. */
int dump_select_check(const struct dump_config *cfg, struct cs_error *err);

/* Compiles --regex; CS_ERR_USAGE when it is not a valid POSIX ERE. */
int dump_select_init(struct dump_select *s, const struct dump_config *cfg, struct cs_error *err);
void dump_select_release(struct dump_select *s);

/* The patterns themselves: common/pattern.h. */

/* 1 if schema SCHEMA is dumped (system schemas only when named and
 * --include-system). */
int dump_select_schema(struct dump_select *s, const char *schema);
/* 1 if SCHEMA.NAME (table, view, sequence, or a trigger's table) is dumped. */
int dump_select_table(struct dump_select *s, const char *schema, const char *name);

/* Accounts are dumped: --users, or a whole-instance dump (no --databases,
 * --tables or --regex) without --no-users (pure). */
int dump_select_wants_accounts(const struct dump_config *cfg);
/* 1 if USER@HOST is a system account that is never dumped; root@localhost
 * is one unless --include-users names it exactly (pure). */
int dump_select_system_account(const struct dump_config *cfg, const char *user, const char *host);
/* 1 if account USER@HOST is dumped. */
int dump_select_account(struct dump_select *s, const char *user, const char *host);

/* Logs every item that matched nothing and fails (CS_ERR_USAGE) naming the
 * first; ACCOUNTS: the account patterns were fed too. */
int dump_select_unmatched(const struct dump_select *s, int accounts, const struct cs_log *log,
                          struct cs_error *err);

#endif
