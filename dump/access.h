/*
 * access.h - what the dump user can see and read, so that nothing is left
 * out in silence.
 *
 * The server hides what a user may not see: triggers without the TRIGGER
 * privilege, events without EVENT, a view's definition without SHOW VIEW,
 * routine bodies without SHOW_ROUTINE (MySQL) / SELECT on mysql.proc or
 * SHOW CREATE ROUTINE (MariaDB), accounts without SELECT on the mysql
 * schema.  csdump reads its own privileges from SHOW GRANTS (roles active in
 * the session included: MySQL merges them into the user's lines, MariaDB
 * lists the current role's) and checks every object class it dumps; a table
 * of an engine whose rows are not local (FEDERATED, CONNECT, SPIDER, MERGE)
 * or that the server cannot open counts too.  Each class it cannot dump is
 * an error naming the objects and the GRANT (or option) that fixes it,
 * unless that class is left out (--no-triggers, ...) or --allow-missing is
 * given: then each is a warning and a "not_dumped" line of the manifest, and
 * unreadable tables and views are dropped from the catalog.
 *
 * The parser and the privilege test are pure; dump_access_read() and
 * dump_access_check() run on the coordinator's connection.  A struct
 * dump_access owns its memory (dump_access_release()).
 */
#ifndef DUMP_ACCESS_H
#define DUMP_ACCESS_H

#include <stddef.h>

#include "common/conn.h"
#include "common/version.h"
#include "dump/catalog.h"
#include "dump/config.h"

enum dump_access_priv {
    DUMP_ACCESS_SELECT = 1 << 0,
    DUMP_ACCESS_SHOW_VIEW = 1 << 1,
    DUMP_ACCESS_TRIGGER = 1 << 2,
    DUMP_ACCESS_EVENT = 1 << 3,
    DUMP_ACCESS_SHOW_ROUTINE = 1 << 4, /* MySQL SHOW_ROUTINE, MariaDB SHOW CREATE ROUTINE */
    DUMP_ACCESS_ALL = 0xff,
};

enum dump_access_level { DUMP_ACCESS_GLOBAL = 0, DUMP_ACCESS_SCHEMA, DUMP_ACCESS_TABLE };

struct dump_access_grant {
    unsigned privs; /* enum dump_access_priv bits */
    int revoke;     /* a MySQL partial revoke */
    enum dump_access_level level;
    char *schema; /* a LIKE pattern at schema level */
    char *table;
};

struct dump_access {
    struct dump_access_grant *v;
    size_t n;
    char user[300]; /* `user`@`host`, for the GRANT in messages */
};

/* One line of SHOW GRANTS added to A (lines on routines, proxies and role
 * grants add nothing).  0, or -1 out of memory. */
int dump_access_add_line(struct dump_access *a, const char *line);
/* 1 if A holds every privilege in PRIVS on SCHEMA.TABLE (TABLE NULL: on the
 * schema as a whole). */
int dump_access_allows(const struct dump_access *a, unsigned privs, const char *schema,
                       const char *table);
/* MySQL LIKE with backslash escapes, as schema-level grants match (pure). */
int dump_access_like(const char *pattern, const char *text);
void dump_access_release(struct dump_access *a);

/* The current user's grants and name, from the server. */
int dump_access_read(struct cs_conn *conn, struct dump_access *a, struct cs_error *err);
/* Checks every class CAT holds; ACCOUNTS: accounts are to be dumped (set to
 * 0 when they cannot be read and --allow-missing allows that).  Adds the
 * not-dumped lines to CAT. */
int dump_access_check(const struct dump_access *a, const struct dump_config *cfg,
                      const struct cs_version *v, struct dump_catalog *cat, int *accounts,
                      struct cs_error *err);

#endif
