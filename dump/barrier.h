/*
 * barrier.h - the commit barrier of each lock mode, one small handler per
 * mode selected by a table.  take() blocks commits (bounded by
 * --lock-wait-timeout, retried --lock-retries times, after the long-query
 * guard); release() lets them go.  Internal to dump/snapshot.c; coordinator
 * thread only.
 */
#ifndef DUMP_BARRIER_H
#define DUMP_BARRIER_H

#include "dump/snapshot.h"

struct dump_barrier {
    enum dump_lock_mode mode;
    const char *name;
    int consistent;  /* the mode proves consistency */
    int (*take)(struct dump_snapshot *s, const struct dump_catalog *cat, struct cs_error *err);
    int (*release)(struct dump_snapshot *s, struct cs_error *err);
};

const struct dump_barrier *dump_barrier_get(enum dump_lock_mode mode);

/* After a lock wait timeout on CONN: appends the sessions running a
 * statement and the busy or waiting replica applier threads to MSG; returns
 * how many applier threads (then dump_barrier_applier_hint() says what to do). */
int dump_barrier_blockers(struct dump_snapshot *s, struct cs_conn *conn, struct cs_buf *msg);
const char *dump_barrier_applier_hint(void);

#endif
