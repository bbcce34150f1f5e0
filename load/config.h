/*
 * config.h - csload's options, parsed once by main.c and read-only after.
 */
#ifndef LOAD_CONFIG_H
#define LOAD_CONFIG_H

#include "common/conn.h"
#include "common/log.h"
#include "common/s3.h"
#include "load/ddl.h"

enum load_if_exists { LOAD_IF_EXISTS_FAIL = 0, LOAD_IF_EXISTS_SKIP, LOAD_IF_EXISTS_REPLACE };

struct load_config {
    struct cs_conn_config conn;
    const char *input;            /* dump directory or s3://BUCKET/PREFIX */
    const char *archive;          /* --archive FILE, s3://BUCKET/KEY or "-" instead */
    struct cs_s3_options s3;      /* --s3-* */
    unsigned wait_for_dump;       /* seconds to wait for a dump being written; 0 = none */
    unsigned threads;
    enum load_if_exists if_exists;
    enum load_defer defer;
    int keep_binlog;              /* do not SET sql_log_bin=0 */
    int verify;                   /* on by default */
    int reset_progress;
    int set_gtid;                 /* apply the dump's GTID state */
    const char *replicate_from;   /* HOST:PORT */
    const char *replication_user;
    const char *replication_password;
    unsigned retries;             /* attempts per chunk after a transient error */
    unsigned compat;              /* --compat words: LOAD_COMPAT_* (load/compat.h) */
    int quiet, verbose, progress;
    const volatile int *cancel;
    const struct cs_log *log;
    void *console;                /* struct cs_console *; may be NULL */
};

#endif
