/*
 * repl.h - making the target replicate from the dump's source.
 *
 * Statement generation is pure and unit-tested per flavor and version:
 *   MariaDB target:  SET GLOBAL gtid_slave_pos = '<gtid>';
 *                    CHANGE MASTER TO MASTER_HOST=..., MASTER_PORT=...,
 *                      MASTER_USER=..., MASTER_PASSWORD=..., MASTER_USE_GTID=slave_pos;
 *                    START SLAVE;
 *   MySQL target:    (RESET MASTER, or RESET BINARY LOGS AND GTIDS from 8.4,
 *                     when gtid_executed is not empty -- said in the note)
 *                    SET GLOBAL gtid_purged = '<gtid_executed>';
 *                    CHANGE REPLICATION SOURCE TO SOURCE_HOST=..., SOURCE_AUTO_POSITION=1
 *                      (CHANGE MASTER TO ... MASTER_AUTO_POSITION=1 before 8.0.23);
 *                    START REPLICA (START SLAVE before 8.0.22);
 *   no GTID, or across flavors: file/position (MASTER_LOG_FILE/POS or
 *   SOURCE_LOG_FILE/POS); MariaDB -> MySQL is refused with the reason.
 * The password is never put in printed text (printed statements show
 * '<password>').  Thread-safe.
 */
#ifndef LOAD_REPL_H
#define LOAD_REPL_H

#include <stddef.h>

#include "common/error.h"
#include "common/version.h"
#include "format/manifest.h"

struct load_repl_source {
    const char *host;
    unsigned port;
    const char *user;
    const char *password; /* NULL: leave MASTER_PASSWORD out */
};

struct load_repl_plan {
    char **gtid_stmts;    /* make the target's GTID state the dump's (may be 0) */
    size_t ngtid;
    char **change_stmts;  /* CHANGE ... + START ... */
    size_t nchange;
    char *note;           /* what the DBA must know (RESET needed, file/pos used, ...); may be NULL */
};

/* TARGET_GTID_EMPTY: the target's gtid_executed (MySQL) / gtid_binlog_pos
 * (MariaDB) is empty.  FOR_PRINT: put '<password>' instead of the password. */
int load_repl_plan(const struct fmt_manifest *m, const struct cs_version *target,
                   int target_gtid_empty, const struct load_repl_source *src, int for_print,
                   struct load_repl_plan *out, struct cs_error *err);
void load_repl_plan_release(struct load_repl_plan *p);

#endif
