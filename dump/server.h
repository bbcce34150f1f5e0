/*
 * server.h - what csdump learns of the source server once, at the start:
 * version and flavor, identity, sql_mode, binary log, the connected user's
 * privileges, where sessions are listed; and the session settings every
 * dump connection gets.  dump_server_read runs on the main connection; the
 * struct is read-only afterwards (shared by every thread).
 */
#ifndef DUMP_SERVER_H
#define DUMP_SERVER_H

#include <stddef.h>

#include "common/conn.h"
#include "common/version.h"

/* What the connected user may do (from SHOW GRANTS; best effort). */
enum dump_priv {
    DUMP_PRIV_RELOAD = 1 << 0,
    DUMP_PRIV_BACKUP_ADMIN = 1 << 1,
    DUMP_PRIV_BINLOG_MONITOR = 1 << 2, /* REPLICATION CLIENT / BINLOG MONITOR */
    DUMP_PRIV_LOCK_TABLES = 1 << 3,
    DUMP_PRIV_PROCESS = 1 << 4,
    DUMP_PRIV_ALL = 0xff,
};

struct dump_server {
    struct cs_version version;
    char *version_text;
    char *hostname;
    unsigned server_id;
    char *server_uuid;
    char *sql_mode;
    int log_bin;
    unsigned long long binlog_expire_seconds; /* 0 = never */
    unsigned privs;
    /* where sessions are listed: performance_schema.processlist on MySQL
     * 8.0.22+ when it answers (information_schema's is deprecated there),
     * else information_schema.PROCESSLIST; a static string */
    const char *processlist;
};

/* Parse SHOW GRANTS lines into enum dump_priv bits (pure). */
unsigned dump_privs_parse(const char *const *grants, size_t n);
/* The processlist table for this flavor/version; PS_ANSWERS: the
 * performance_schema table lists this session (pure). */
const char *dump_server_processlist(const struct cs_version *v, int ps_answers);

int dump_server_read(struct cs_conn *conn, struct dump_server *s, struct cs_error *err);
void dump_server_release(struct dump_server *s);
/* Session settings for every dump connection (REPEATABLE READ, time zone, timeouts). */
int dump_session_setup(struct cs_conn *conn, const struct cs_version *v, struct cs_error *err);

#endif
