/*
 * fasttarget.h - csload --fast-target: server-wide settings that speed the
 * ingest of an EMPTY target, set for the load and restored after it.
 *
 * What is set (only what the server documents as dynamic; nothing needs a
 * restart), each printed "old -> new" before the load and "restored" after:
 *   innodb_flush_log_at_trx_commit = 2   MariaDB and MySQL.  2, not 0: a
 *       chunk is one transaction, so a load commits a few times a second and
 *       0 saves nothing measurable over 2 (README, "--fast-target"), while
 *       with 2 a mysqld crash loses no commit (only an OS crash loses up to
 *       a second of them)
 *   sync_binlog = 0                      MariaDB and MySQL
 *   innodb_doublewrite                   MySQL 8.0.30+: ON -> DETECT_ONLY
 *       (ON -> OFF needs a restart there); MariaDB where its own
 *       information_schema.SYSTEM_VARIABLES says it is not READ_ONLY
 *   InnoDB redo log disabled             MySQL 8.0.21+ with the account's
 *       INNODB_REDO_LOG_ENABLE (ALTER INSTANCE DISABLE INNODB REDO_LOG);
 *       skipped, and said, without it
 *
 * Refused before anything is changed (load_fast_prepare): a target with a
 * table in any schema but the system ones and __csload (a resume of a run
 * that was started with --fast-target, journal item "load:fast-target",
 * may find that run's own schemas); a resume of a run started without it;
 * SET GLOBAL refused for want of a privilege (SYSTEM_VARIABLES_ADMIN or
 * SUPER; the server's message names its own); another csload with
 * --fast-target on the same server (named lock __csload.fast_target).
 *
 * Crash safety.  The original values go into __csload.fast_target, one row
 * per setting, committed before the first change; the rows go once the
 * values are back.  load_fast_recover runs first in every csload run (any
 * mode but --dry-run and --check): rows left by a csload that died (kill -9:
 * nobody holds the named lock) are restored and said.  A csload crash keeps
 * exactly-once: the settings only change how durable a COMMIT is, and each
 * chunk still commits with its journal row in one transaction.  A server
 * restart while the settings were in force (its start time moved, or a
 * value set with SET GLOBAL is gone): with the redo log disabled, MySQL documents that an
 * unexpected stop can lose data and corrupt the instance and csload cannot
 * tell a clean stop from a crash, so the load is refused (rebuild the
 * target; the rows stay until then); otherwise InnoDB's recovery keeps a
 * prefix of the commits, chunk and journal row together, and the resume
 * redoes what was lost.
 *
 * One struct per load, used by the coordinator's thread only.
 */
#ifndef LOAD_FASTTARGET_H
#define LOAD_FASTTARGET_H

#include "common/conn.h"
#include "common/log.h"
#include "format/manifest.h"
#include "load/config.h"
#include "load/journal.h"
#include "load/session.h"

#define LOAD_FAST_TABLE "`" LOAD_JOURNAL_SCHEMA "`.`fast_target`"
#define LOAD_FAST_ITEM "load:fast-target" /* journal item of a run started with it */

struct load_fast;

/* Settings a csload that died left on the target: restored (not with
 * DRY_RUN: only said).  -1 when the target restarted with the redo log
 * disabled by such a run (see above). */
int load_fast_recover(struct cs_conn *c, const struct cs_log *log, int dry_run,
                      struct cs_error *err);

/* --fast-target's checks (nothing changed): *OUT gets the plan, printed.
 * J is this dump's journal (empty on a first run). */
int load_fast_prepare(struct load_fast **out, struct cs_conn *c, const struct load_config *cfg,
                      const struct cs_version *v, const struct fmt_manifest *m,
                      const struct load_journal *j, struct cs_error *err);
/* After the journal exists: the originals persisted, the journal item
 * marked, then every setting changed ("old -> new"). */
int load_fast_apply(struct load_fast *f, struct cs_conn *c, const char *dump_id,
                    struct cs_error *err);
/* The originals back, on C or (C lost) a new connection from CFG; said.
 * NULL-safe; 0 when nothing was changed. */
int load_fast_restore(struct load_fast *f, struct cs_conn *c, const struct load_config *cfg,
                      struct cs_error *err);
/* --dry-run: what a load would change. */
void load_fast_print_plan(const struct load_fast *f);
void load_fast_free(struct load_fast *f);

#endif
