/*
 * definer.h - the DEFINER of views, routines, triggers and events.
 *
 * A view or routine whose definer does not exist on the target loads, and
 * then fails when used; so before any data is loaded csload checks every
 * such object of the dump (--definers keep, the default): its definer must
 * exist on the target or be created by this load (--load-users), and a
 * definer other than the loading user needs the privilege to set it (SET
 * USER or SUPER on MariaDB; SET_ANY_DEFINER, SET_USER_ID or SUPER on
 * MySQL).  Every object that fails is named, and the load stops before
 * changing anything.  --definers strip rewrites each definer to
 * DEFINER=CURRENT_USER (SQL SECURITY is kept), --definers
 * replace=USER@HOST to that account (checked the same way).  Statements
 * are rewritten on their tokens (load/sqltok.h), never by string
 * replacement.
 *
 * find/rewrite are pure and thread-safe; the check runs on the
 * coordinator's connection.
 */
#ifndef LOAD_DEFINER_H
#define LOAD_DEFINER_H

#include <stddef.h>

#include "common/conn.h"
#include "load/accounts.h"
#include "load/config.h"
#include "load/jobs.h"

struct load_definer {
    char *user;      /* NULL for CURRENT_USER */
    char *host;      /* NULL for CURRENT_USER or a MariaDB role */
    size_t off, len; /* "DEFINER = account" in the statement */
};

/* The DEFINER clause of a CREATE statement TEXT (before its object
 * keyword); BACKSLASH: strings use backslash escapes.  1 found, 0 none,
 * -1 out of memory. */
int load_definer_find(const char *text, int backslash, struct load_definer *d);
void load_definer_release(struct load_definer *d);
/* TEXT with D's clause replaced by DEFINER=CURRENT_USER (USER NULL) or
 * DEFINER=`user`@`host`; malloc'd, NULL when out of memory. */
char *load_definer_rewrite(const char *text, const struct load_definer *d, const char *user,
                           const char *host);

/* The check above, for every object CTX will create; ACCOUNTS tells who
 * will exist.  Each refusal logged, then CS_ERR_USAGE. */
int load_definers_check(struct cs_conn *c, const struct load_ctx *ctx,
                        const struct load_accounts *accounts, struct cs_error *err);
/* *TEXT (an object's statement, malloc'd) rewritten for --definers. */
int load_definers_apply(const struct load_config *cfg, const struct fmt_object *o, char **text,
                        struct cs_error *err);

#endif
