/*
 * privs.h - does the loading user hold what the load will need?
 *
 * Before anything is written (and in --dry-run), csload checks its own
 * privileges on every schema of the dump: CREATE, INSERT, SELECT, ALTER and
 * INDEX (tables, data, verification, deferred indexes), DROP with
 * --if-exists=replace, CREATE VIEW / CREATE ROUTINE / TRIGGER / EVENT when
 * the schema holds such objects; and CREATE, INSERT, SELECT on the journal's
 * schema.  A privilege counts when it is granted globally or on a schema
 * pattern that matches (information_schema.USER_PRIVILEGES and
 * SCHEMA_PRIVILEGES, the account's own grants and PUBLIC's).  Each missing
 * one is listed with the GRANT that gives it, then CS_ERR_USAGE.  Privileges
 * that come through a role active in the session do not show there, so
 * with a role active the check is skipped (the statements themselves then
 * tell).  Coordinator only.
 */
#ifndef LOAD_PRIVS_H
#define LOAD_PRIVS_H

#include "common/conn.h"
#include "load/config.h"
#include "format/manifest.h"

int load_privs_check(struct cs_conn *c, const struct load_config *cfg, const struct fmt_manifest *m,
                     struct cs_error *err);

#endif
