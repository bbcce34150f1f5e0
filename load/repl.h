/*
 * repl.h - making the target replicate from the dump's source.
 *
 * Statement generation is pure and unit-tested per flavor and version:
 *   MariaDB target:  SET GLOBAL gtid_slave_pos = '<gtid>';
 *                    CHANGE MASTER TO MASTER_HOST=..., MASTER_PORT=...,
 *                      MASTER_USER=..., MASTER_PASSWORD=..., MASTER_USE_GTID=slave_pos;
 *                    START SLAVE;
 *   MySQL target:    (RESET MASTER, or RESET BINARY LOGS AND GTIDS from 8.2,
 *                     when gtid_executed is not empty -- said in the note)
 *                    SET GLOBAL gtid_purged = '<gtid_executed>';
 *                    CHANGE REPLICATION SOURCE TO SOURCE_HOST=..., SOURCE_AUTO_POSITION=1
 *                      (CHANGE MASTER TO ... MASTER_AUTO_POSITION=1 before 8.0.23);
 *                    START REPLICA (START SLAVE before 8.0.22);
 *   no GTID, or across flavors: file/position (MASTER_LOG_FILE/POS or
 *   SOURCE_LOG_FILE/POS).
 * Refused, with the reason: MariaDB -> MySQL (a MySQL server cannot
 * replicate from MariaDB); MySQL 8.0+ -> a MariaDB release that cannot read
 * its binary log (before 10.6.21, 10.11.11, 11.4.5, 11.7.2).
 * TLS (struct load_repl_source.ssl): after the password, X_SSL=0 (disabled)
 * or X_SSL=1, X_SSL_CA/CERT/KEY when given, X_SSL_VERIFY_SERVER_CERT=0|1
 * (1 for verify-identity), X_ being MASTER_ or SOURCE_ as the CHANGE
 * statement's; LOAD_REPL_SSL_DEFAULT adds nothing (the target's default).
 * A CA given is the one the target checks the source's certificate against
 * (MySQL and MariaDB both do once a CA is set); the files are read by the
 * target server, so their paths are as the target's host sees them.
 * The password is never put in printed text (printed statements show
 * '<password>').  Thread-safe.
 */
#ifndef LOAD_REPL_H
#define LOAD_REPL_H

#include <stddef.h>

#include "common/error.h"
#include "common/version.h"
#include "format/manifest.h"

enum load_repl_ssl {
    LOAD_REPL_SSL_DEFAULT = 0, /* no TLS options: the target's default */
    LOAD_REPL_SSL_DISABLED,
    LOAD_REPL_SSL_REQUIRED,        /* encrypted; a given CA is checked too */
    LOAD_REPL_SSL_VERIFY_CA,       /* the source's certificate against the CA */
    LOAD_REPL_SSL_VERIFY_IDENTITY, /* ... and its host name */
};

struct load_repl_source {
    const char *host;
    unsigned port;
    const char *user;
    const char *password; /* NULL: leave MASTER_PASSWORD out */
    enum load_repl_ssl ssl;
    const char *ssl_ca; /* files on the target's host; NULL: none */
    const char *ssl_cert;
    const char *ssl_key;
};

struct load_repl_plan {
    char **gtid_stmts;    /* make the target's GTID state the dump's (may be 0) */
    size_t ngtid;
    char **change_stmts;  /* CHANGE ... + START ... */
    size_t nchange;
    char *note;           /* what the DBA must know (RESET needed, file/pos used, ...); may be NULL */
    const char *stop_stmt;   /* STOP SLAVE / STOP REPLICA (static) */
    const char *status_stmt; /* SHOW SLAVE STATUS / SHOW REPLICA STATUS (static) */
};

/* TARGET_GTID_EMPTY: the target's gtid_executed (MySQL) / gtid_binlog_pos
 * (MariaDB) is empty.  FOR_PRINT: put '<password>' instead of the password. */
int load_repl_plan(const struct fmt_manifest *m, const struct cs_version *target,
                   int target_gtid_empty, const struct load_repl_source *src, int for_print,
                   struct load_repl_plan *out, struct cs_error *err);
void load_repl_plan_release(struct load_repl_plan *p);

/* --replication-ssl-mode's values: "disabled", "required", "verify-ca",
 * "verify-identity". */
int load_repl_ssl_parse(const char *arg, enum load_repl_ssl *out, struct cs_error *err);
/* The mode for the options given: MODE as parsed (DEFAULT when no
 * --replication-ssl-mode), and the files.  Without a mode, any file given
 * means required.  Usage errors: disabled with files; verify-* without a
 * CA; a certificate without its key or a key without its certificate. */
int load_repl_ssl_resolve(enum load_repl_ssl mode, const char *ca, const char *cert,
                          const char *key, enum load_repl_ssl *out, struct cs_error *err);
const char *load_repl_ssl_name(enum load_repl_ssl mode);

#endif
