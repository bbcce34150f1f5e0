/*
 * applier.h - the dumped server's own replication applier (its SQL thread
 * and workers), when that server is a replica.
 *
 * --pause-replica: dump_applier_pause() stops the SQL thread (STOP REPLICA
 * SQL_THREAD; STOP SLAVE SQL_THREAD on MariaDB and MySQL before 8.0.22)
 * before the DDL guard is taken -- a replicated DDL waiting for the guard
 * holds up the barrier, and MySQL refuses STOP REPLICA while the instance is
 * locked for backup -- and dump_applier_resume() starts it again once the
 * snapshot is taken.  It is started only when csdump stopped it; snapshot.c
 * calls resume on every path (release, and close on errors and signals).  A
 * SIGKILLed csdump leaves it stopped.  The applier owns its connection from
 * pause to release.
 *
 * dump_applier_blockers(): the applier threads that are busy, or wait for a
 * lock or for commit order, named when a lock times out (they are system
 * sessions, never among the long-running statements).
 *
 * The statement builders are pure; the rest is for the coordinator thread.
 */
#ifndef DUMP_APPLIER_H
#define DUMP_APPLIER_H

#include "common/buf.h"
#include "common/conn.h"
#include "common/version.h"
#include "dump/config.h"

struct dump_server;

struct dump_applier {
    struct cs_conn conn; /* open from pause to release */
    int stopped;         /* csdump stopped the SQL thread: resume starts it */
    double t0;           /* when it was stopped */
};

const char *dump_applier_stop_sql(const struct cs_version *v);
const char *dump_applier_start_sql(const struct cs_version *v);
/* The query for busy or waiting applier threads in PROCESSLIST (a table
 * name: performance_schema.processlist or information_schema.PROCESSLIST):
 * ID, STATE, TIME, INFO. */
void dump_applier_blockers_sql(struct cs_buf *b, const char *processlist);

/* Stops the SQL thread if the server is a replica whose SQL thread runs
 * (a warning and 0 otherwise). */
int dump_applier_pause(struct dump_applier *a, const struct dump_config *cfg,
                       const struct dump_server *srv, struct cs_error *err);
/* Starts the SQL thread again if csdump stopped it (0 at once otherwise).
 * On failure it stays marked stopped, so a later call tries again. */
int dump_applier_resume(struct dump_applier *a, const struct dump_config *cfg,
                        const struct dump_server *srv, struct cs_error *err);
void dump_applier_release(struct dump_applier *a);

/* Appends "replica applier thread ID (STATE, Ts: statement)" for each busy
 * or waiting applier thread to MSG ("; " between them); returns how many,
 * -1 with ERR when the query fails. */
int dump_applier_blockers(struct cs_conn *conn, const struct dump_server *srv, struct cs_buf *msg,
                          struct cs_error *err);

#endif
