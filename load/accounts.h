/*
 * accounts.h - csload --load-users: the dump's accounts (csdump --users)
 * onto the target, and who will exist there (for the definer check).
 *
 *   prepare  (before anything is written) reads the target's accounts; with
 *            --load-users also every account file of the dump, each
 *            statement checked against its manifest entry (kind, count,
 *            the account it is for) and every grant against the target: a
 *            privilege the target does not know (SHOW PRIVILEGES), a table,
 *            column or routine neither in the dump nor on the target, a
 *            role neither loaded nor on the target.  Each is reported one by
 *            one and the load stops, unless --skip-invalid-grants, which
 *            leaves out those privileges (the whole statement when nothing
 *            is left) and says so.  Accounts the target already has follow
 *            --if-exists (fail: each named, nothing changed).  Accounts do
 *            not cross flavors (their statements differ): refused.
 *   create   roles, then users -- before the tables, so that definers
 *            exist when views and routines are created
 *   grant    once every object exists: the grants, then the default roles
 * Each account's creation, grants and default roles are journaled; a rerun
 * skips what is done.  Without --load-users the dump's accounts are only
 * counted in a note.  Coordinator only; the plan owns its memory.
 */
#ifndef LOAD_ACCOUNTS_H
#define LOAD_ACCOUNTS_H

#include "common/conn.h"
#include "load/config.h"
#include "load/input.h"
#include "load/journal.h"
#include "load/session.h"

struct load_accounts;

int load_accounts_prepare(struct load_accounts **out, struct cs_conn *c,
                          const struct load_config *cfg, struct load_input *in,
                          const struct fmt_manifest *m, const struct load_target *t,
                          const struct load_journal *j, int first_run, struct cs_error *err);
int load_accounts_create(struct load_accounts *a, struct cs_conn *c, const char *dump_id,
                         struct cs_error *err);
int load_accounts_grant(struct load_accounts *a, struct cs_conn *c, const char *dump_id,
                        struct cs_error *err);
/* 1 if USER@HOST will exist on the target once the load is done (the
 * target has it, or this load creates it), 0 if not, -1 when unknown (the
 * target's accounts could not be read: no SELECT on mysql.user). */
int load_accounts_will_exist(const struct load_accounts *a, const char *user, const char *host);
/* The target's account list could not be read: why (for messages), else NULL. */
const char *load_accounts_unknown(const struct load_accounts *a);
void load_accounts_summary(const struct load_accounts *a, const struct cs_log *log);
void load_accounts_free(struct load_accounts *a); /* NULL-safe */

#endif
