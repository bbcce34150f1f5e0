/*
 * snapshot.h - one consistent snapshot shared by N connections.
 *
 * Phases, driven by run.c:
 *   1. dump_snapshot_guard()    with --pause-replica, first stops the
 *                               replica's SQL thread (dump/applier.h); then the
 *                               DDL guard for the whole dump, taken before the
 *                               catalog is read: MariaDB BACKUP STAGE START +
 *                               BLOCK_DDL, MySQL 8+ LOCK INSTANCE FOR BACKUP,
 *                               each bounded by --lock-wait-timeout;
 *                               without the privilege, DDL is detected instead
 *                               (a fingerprint of the dumped tables' columns,
 *                               compared at the end).
 *   2. dump_snapshot_open()     opens ~1.5 x threads connections, takes the
 *                               barrier of the lock mode, starts
 *                               START TRANSACTION WITH CONSISTENT SNAPSHOT on
 *                               each, reads the coordinates and the
 *                               per-connection proof.  The barrier is still
 *                               held on return (non-transactional tables are
 *                               dumped now).
 *   3. dump_snapshot_release()  releases the barrier, records the hold time,
 *                               starts the replica's SQL thread again if csdump
 *                               stopped it.
 *   4. dump_snapshot_close()    checks the DDL fingerprint, releases the guard,
 *                               starts a still-stopped SQL thread, closes
 *                               everything.  Safe on every path.
 * On a replica, the position in its source's stream (replica) keeps its
 * file/position only when dump_coords_replica_exact() says it matches the
 * snapshot; otherwise replica.unusable says why (the GTID set stays).
 * Connections are lent to workers through a pool (acquire/give back, mark
 * dead); a dead connection is never reused, so snapshots never mix.
 * The pool functions are thread-safe; the phase functions are called by the
 * coordinator only.
 */
#ifndef DUMP_SNAPSHOT_H
#define DUMP_SNAPSHOT_H

#include <pthread.h>

#include "common/conn.h"
#include "common/version.h"
#include "dump/applier.h"
#include "dump/catalog.h"
#include "dump/config.h"
#include "dump/lockmode.h"
#include "dump/server.h"
#include "format/manifest.h"

enum dump_guard_kind { DUMP_GUARD_NONE = 0, DUMP_GUARD_BACKUP_STAGE, DUMP_GUARD_BACKUP_LOCK };

struct dump_snapshot {
    const struct dump_config *cfg;
    const struct dump_server *server;
    enum dump_lock_mode mode; /* resolved, never AUTO */
    enum dump_guard_kind guard_kind;
    struct cs_conn guard;
    struct cs_conn barrier;
    int barrier_held;
    double barrier_t0, wait_ms, hold_ms;
    char fingerprint[17];
    /* pool */
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a connection was given back */
    struct cs_conn *conns;
    int *conn_state; /* 0 free, 1 lent, 2 dead */
    size_t nconns;
    /* results */
    int consistent;
    char note[512];
    char **proof;
    size_t nproof;
    struct fmt_coords coords;
    struct fmt_coords replica;
    char *replica_host;
    int is_replica;
    struct dump_applier applier; /* --pause-replica */
};

/* The statement that checks for long-running statements (pure). */
void dump_snapshot_long_query_sql(struct cs_buf *b, const struct dump_server *s, unsigned seconds);

void dump_snapshot_init(struct dump_snapshot *s, const struct dump_config *cfg,
                        const struct dump_server *server, enum dump_lock_mode mode);
int dump_snapshot_guard(struct dump_snapshot *s, struct cs_error *err);
int dump_snapshot_set_fingerprint(struct dump_snapshot *s, struct cs_conn *conn,
                                  const struct dump_catalog *cat, struct cs_error *err);
/* Phase 2 as dump_lock_decide said: lockless first when it says so, then
 * (or only) its barrier mode; sets mode, consistent and note (the only
 * writer of those fields besides the phase functions). */
int dump_snapshot_take(struct dump_snapshot *s, const struct dump_catalog *cat, size_t nconns,
                       const struct dump_lock_decision *d, struct cs_error *err);
/* One attempt with s->mode; may be called again after a failed lockless
 * attempt with another mode: the connections already open are reused. */
int dump_snapshot_open(struct dump_snapshot *s, const struct dump_catalog *cat, size_t nconns,
                       struct cs_error *err);
int dump_snapshot_release(struct dump_snapshot *s, const struct dump_catalog *cat,
                          struct cs_error *err);
/* CHECK_DDL: compare the fingerprint (skip on the error path). */
int dump_snapshot_close(struct dump_snapshot *s, const struct dump_catalog *cat, int check_ddl,
                        struct cs_error *err);

/* Pool: index of a free live connection (waits while all live ones are
 * lent), or -1 when every connection is dead. */
long dump_snapshot_acquire(struct dump_snapshot *s);
void dump_snapshot_give_back(struct dump_snapshot *s, long idx, int dead);
/* After a unit is dumped on snapshot connection CONN: ROLLBACK TO the
 * savepoint set when its snapshot started, which releases the metadata
 * locks the unit's statements took and keeps the snapshot (its read view).
 * A transaction otherwise holds one per table it read until the dump ends,
 * and MariaDB looks a new one up in a list of them: with tens of thousands
 * of tables the source's CPU per table grew with the table count.  DDL is
 * blocked by the lock mode's guard or detected by the fingerprint check,
 * not by these locks. */
int dump_snapshot_release_mdl(struct cs_conn *conn, struct cs_error *err);
/* Server thread ids of lent connections (to KILL QUERY on cancel). */
size_t dump_snapshot_lent_ids(struct dump_snapshot *s, unsigned long *ids, size_t max);

#endif
