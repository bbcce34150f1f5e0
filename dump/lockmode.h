/*
 * lockmode.h - the lock modes and the one decision of which to use.
 *
 * dump_lock_decide() is the only place that turns --lock-mode (auto
 * included) into what the snapshot does: the barrier mode, and whether a
 * lockless snapshot is tried first (then the barrier mode is the fallback).
 * Whether non-transactional tables keep the snapshot consistent is decided
 * by the snapshot itself (snapshot.h: dump_snapshot_check_nontrx).
 * Pure; thread-safe.
 */
#ifndef DUMP_LOCKMODE_H
#define DUMP_LOCKMODE_H

#include <stddef.h>

enum dump_lock_mode {
    DUMP_LOCK_AUTO = 0,
    DUMP_LOCK_FTWRL,
    DUMP_LOCK_BACKUP_STAGE,
    DUMP_LOCK_BACKUP_LOCK,
    DUMP_LOCK_LOCK_TABLES,
    DUMP_LOCK_LOCKLESS,
    DUMP_LOCK_NONE,
    DUMP_LOCK_COUNT
};

const char *dump_lock_mode_name(enum dump_lock_mode m);
int dump_lock_mode_parse(const char *name); /* -1 if unknown */

struct dump_server;

struct dump_lock_decision {
    enum dump_lock_mode mode; /* never AUTO: the barrier mode (the fallback of lockless) */
    int lockless_first;       /* try a lockless snapshot before MODE */
};

/* ASKED on server S whose dump has NONTRX non-transactional tables.  AUTO
 * on MariaDB with a binary log and no non-transactional table tries
 * lockless first; its barrier is the lightest the privileges allow:
 * backup-stage (MariaDB 10.4.1+, RELOAD), ftwrl (RELOAD), else lock-tables.
 * Any other mode is taken as asked. */
struct dump_lock_decision dump_lock_decide(const struct dump_server *s, enum dump_lock_mode asked,
                                           size_t nontrx);

#endif
