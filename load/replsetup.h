/*
 * replsetup.h - csload's replication step: decided before the load, done
 * after it.
 *
 * load_replsetup_check(), before anything is loaded: reads --replicate-from
 * and the replication TLS options and, when the target is to be changed
 * (--set-gtid, --replicate-from), builds the plan (load/repl.h), so that a
 * refusal -- a MySQL target for a MariaDB dump, a dump without coordinates,
 * a MariaDB release that cannot read the MySQL binary log, a dump of
 * filtered rows (--where) -- stops csload with nothing loaded.  For a
 * partial dump it also builds the replication filters (load/replfilter.h)
 * unless --replicate-all; run() sets them just before CHANGE ....
 * load_replsetup_run(), after the load is complete and verified: warns when
 * the source no longer holds the dump's binary log, reads the target's
 * GTID state again (the load may have written to its binary log), prints
 * the statements (when the dump cannot be replicated from and nothing was
 * asked, says why and succeeds), runs them when asked, and after START
 * waits until the target's replica has connected to the source or reports
 * an error; on an error it stops the replica and fails with the server's
 * message and what to check (the CA, the plugin, the account).
 * The struct is filled by check and read by run; coordinator thread only.
 */
#ifndef LOAD_REPLSETUP_H
#define LOAD_REPLSETUP_H

#include "common/buf.h"
#include "common/conn.h"
#include "common/error.h"
#include "format/manifest.h"
#include "load/config.h"
#include "load/repl.h"
#include "load/replfilter.h"
#include "load/session.h"

struct load_replsetup {
    const struct load_config *cfg;
    char host[256];
    struct load_repl_source src; /* placeholders unless --replicate-from; no password */
    int asked;                   /* --set-gtid or --replicate-from */
    struct load_replfilter filter; /* --replicate-from of a partial dump; none otherwise */
};

int load_replsetup_check(struct load_replsetup *rs, const struct load_config *cfg,
                         const struct fmt_manifest *m, const struct load_target *t,
                         struct cs_error *err);
void load_replsetup_release(struct load_replsetup *rs);
/* --dry-run: prints what load_replsetup_run() would do, on the target's
 * state now (read on C); changes nothing. */
int load_replsetup_print(struct load_replsetup *rs, struct cs_conn *c,
                         const struct fmt_manifest *m, const struct load_target *t,
                         struct cs_error *err);
/* C: the coordinator's connection to the target. */
int load_replsetup_run(struct load_replsetup *rs, struct cs_conn *c, const struct fmt_manifest *m,
                       const struct load_target *t, struct cs_error *err);

/* Appends to B what to check when the replica's I/O thread failed with
 * server errno IO_ERRNO (nothing for an errno it has no advice for); pure. */
void load_replsetup_io_hint(struct cs_buf *b, unsigned io_errno,
                            const struct load_repl_source *src);

#endif
