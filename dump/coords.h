/*
 * coords.h - binary log coordinates, per flavor and version.
 *
 * The statement choice and the parsing of result rows are pure functions
 * (unit-tested against the shapes the MySQL and MariaDB manuals document):
 *   MySQL <= 8.1          SHOW MASTER STATUS   File, Position, Binlog_Do_DB,
 *                                              Binlog_Ignore_DB, Executed_Gtid_Set
 *   MySQL >= 8.2, 9.x ... SHOW BINARY LOG STATUS (same columns)
 *   MariaDB >= 10.5.2     SHOW BINLOG STATUS  File, Position, Binlog_Do_DB,
 *                                              Binlog_Ignore_DB
 *   MariaDB older         SHOW MASTER STATUS
 * The GTID set is MySQL's Executed_Gtid_Set (read in the same statement as
 * the position) or MariaDB's @@gtid_binlog_pos.  An empty result means the
 * binary log is off: the dump is fine, the coordinates are absent.
 * Replica coordinates: MariaDB's mysql.gtid_slave_pos rows (highest sub_id
 * per domain, read inside the snapshot); MySQL's SHOW REPLICA STATUS
 * (SHOW SLAVE STATUS before 8.0.22).  The applier's file/position
 * (Exec_Source_Log_Pos) only matches a snapshot when nothing can have been
 * committed past it: dump_coords_replica_exact() tells.
 */
#ifndef DUMP_COORDS_H
#define DUMP_COORDS_H

#include <stdint.h>

#include "common/conn.h"
#include "common/version.h"
#include "format/manifest.h"

const char *dump_coords_status_sql(const struct cs_version *v);
const char *dump_coords_replica_status_sql(const struct cs_version *v);

/* Parse one row of the status statement given its column names.  Fills
 * file/position (and gtid when the row has Executed_Gtid_Set); strings are
 * malloc'd into C.  -1 with ERR when a required column is missing. */
int dump_coords_parse_status(const char *const *names, const char *const *vals,
                             unsigned ncols, struct fmt_coords *c, struct cs_error *err);

/* Source host, Relay_Master_Log_File / Exec_Master_Log_Pos (or the 8.0.22+
 * Relay_Source_Log_File / Exec_Source_Log_Pos) and Source/Master_Host. */
int dump_coords_parse_replica(const char *const *names, const char *const *vals,
                              unsigned ncols, struct fmt_coords *c, char **source_host,
                              struct cs_error *err);

/* The replica's applier as SHOW REPLICA STATUS shows it. */
struct dump_applier_state {
    int known;               /* the columns below were in the result */
    int sql_running;         /* Replica_SQL_Running / Slave_SQL_Running is not No */
    unsigned last_sql_errno;
    char read_file[512];     /* Source_Log_File / Master_Log_File: what the IO thread read */
    uint64_t read_pos;       /* Read_Source_Log_Pos / Read_Master_Log_Pos */
};

void dump_coords_parse_applier(const char *const *names, const char *const *vals,
                               unsigned ncols, struct dump_applier_state *st);

/* 1 when the applier position EXEC (Relay_*_Log_File / Exec_*_Log_Pos) read
 * with ST is the snapshot's: the applier was stopped without an error, or --
 * BARRIER: commits were blocked from the snapshot to the read -- it had
 * applied everything its IO thread had read (Exec == Read), so nothing
 * committed before the snapshot lies beyond it (a multi-threaded applier's
 * Exec_Source_Log_Pos is a checkpoint that lags its commits).  Else 0 and
 * WHY (LEN bytes) says what was seen. */
int dump_coords_replica_exact(const struct fmt_coords *exec, const struct dump_applier_state *st,
                              int barrier, char *why, size_t len);

/* MariaDB: the GTID position from mysql.gtid_slave_pos rows
 * (domain_id, sub_id, server_id, seq_no): the highest sub_id per domain,
 * domains in ascending order, "d-s-n,d-s-n". malloc'd. */
char *dump_coords_gtid_slave_pos(const char *const (*rows)[4], size_t nrows);

/* Read the coordinates now on CONN (under the barrier). */
int dump_coords_read(struct cs_conn *conn, const struct cs_version *v, struct fmt_coords *c,
                     struct cs_error *err);
/* Read replica coordinates on CONN (under the barrier) and, on MariaDB, the
 * GTID position from mysql.gtid_slave_pos on SNAPSHOT_CONN (inside the
 * snapshot); *is_replica 0 when the server replicates from nobody.  ST (may
 * be NULL) gets the applier's state from the same row. */
int dump_coords_read_replica(struct cs_conn *conn, struct cs_conn *snapshot_conn,
                             const struct cs_version *v, struct fmt_coords *c,
                             char **source_host, int *is_replica, struct dump_applier_state *st,
                             struct cs_error *err);
void dump_coords_release(struct fmt_coords *c);

#endif
