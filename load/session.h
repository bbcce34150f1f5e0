/*
 * session.h - the target and the session every load connection runs in.
 *
 * Session: unique_checks=0, foreign_key_checks=0, sql_log_bin=0 unless
 * --keep-binlog, the dump's sql_mode (without NO_BACKSLASH_ESCAPES) plus
 * NO_AUTO_VALUE_ON_ZERO, time_zone '+00:00', character set binary (values
 * arrive byte-exact), no statement time limit, generous network timeouts,
 * MySQL's sql_require_primary_key off.  Coordinator and workers call these
 * on their own connections.
 */
#ifndef LOAD_SESSION_H
#define LOAD_SESSION_H

#include "common/buf.h"
#include "common/conn.h"
#include "common/version.h"
#include "load/config.h"

struct load_target {
    struct cs_version version;
    char *version_text;
    int local_infile;                 /* the server allows LOAD DATA LOCAL */
    unsigned long long max_packet;    /* max_allowed_packet */
    int gtid_empty;                   /* gtid_executed / gtid_binlog_pos empty */
    int read_only;
    int autoinc_lock_mode;            /* innodb_autoinc_lock_mode (1 when unknown) */
    int bulk_rows;                    /* runs arrays of bound rows (cs_bulk: MariaDB) */
};

int load_target_read(struct cs_conn *c, struct load_target *t, struct cs_error *err);
/* *EMPTY: the target's own GTID history (gtid_executed / gtid_binlog_pos) is
 * empty now; read again after a load, which may have added to it. */
int load_target_gtid_empty(struct cs_conn *c, const struct cs_version *v, int *empty,
                           struct cs_error *err);
void load_target_release(struct load_target *t);
/* "SET NAMES binary, SESSION time_zone = '+00:00', SESSION sql_mode = '...'"
 * (the dump's mode cleaned for loading): the part of the session every load
 * statement runs in, also what the object phase returns to after running a
 * routine or view in its own session.  The one home of these settings. */
void load_session_base_sql(struct cs_buf *b, const char *dump_sql_mode);
/* MySQL 8.0.27+: each load session's index builds (innodb_ddl_threads at
 * least this many, or --threads; innodb_ddl_buffer_size this big). */
#define LOAD_DDL_THREADS_MIN 4u
#define LOAD_DDL_BUFFER_BYTES (64u << 20)

int load_session_setup(struct cs_conn *c, const struct load_config *cfg,
                       const struct load_target *t, const char *dump_sql_mode,
                       struct cs_error *err);
/* Open a connection with the load session; LABEL names it in messages. */
int load_session_open(struct cs_conn *c, const struct load_config *cfg,
                      const struct load_target *t, const char *dump_sql_mode, const char *label,
                      struct cs_error *err);

#endif
