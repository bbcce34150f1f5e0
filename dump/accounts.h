/*
 * accounts.h - csdump --users: the source's accounts, their grants and
 * roles, as the statements that recreate them.
 *
 * Listed from mysql.user (the dump user needs SELECT on the mysql schema,
 * checked by dump/access.h first): MariaDB roles (is_role) and MySQL
 * accounts granted as roles (mysql.role_edges, mysql.default_roles) come
 * first, so that a load creates them before the users that name them.
 * System accounts are never listed (dump/select.h).
 *
 * Per account one file of statements, each ending with ";\n":
 *   MariaDB user   SHOW CREATE USER; SHOW GRANTS FOR it, its SET DEFAULT
 *                  ROLE line moved to the end
 *   MariaDB role   CREATE ROLE `r` (built here); SHOW GRANTS FOR it
 *   MySQL          SHOW CREATE USER (the authentication string as a hex
 *                  literal, print_identified_with_as_hex); SHOW GRANTS FOR
 *                  it; SET DEFAULT ROLE ... TO it from mysql.default_roles
 * and its manifest entry (format/manifest.h: struct fmt_account) says how
 * many of each.  The password hash is moved, never a password.  Runs on the
 * coordinator's connection while DDL is blocked.
 */
#ifndef DUMP_ACCOUNTS_H
#define DUMP_ACCOUNTS_H

#include "common/conn.h"
#include "common/version.h"
#include "dump/catalog.h"
#include "dump/config.h"
#include "dump/select.h"
#include "format/manifest.h"

/* The accounts SEL selects into CAT (roles first). */
int dump_accounts_list(struct cs_conn *conn, const struct cs_version *v, struct dump_select *sel,
                       struct dump_catalog *cat, struct cs_error *err);
/* Writes each of CAT's accounts' file into CFG's directory and its entry
 * (and file hash) into M. */
int dump_accounts_write(struct cs_conn *conn, const struct dump_config *cfg,
                        const struct cs_version *v, const struct dump_catalog *cat,
                        struct fmt_manifest *m, struct cs_error *err);

#endif
