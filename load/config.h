/*
 * config.h - csload's options, parsed once by main.c and read-only after.
 */
#ifndef LOAD_CONFIG_H
#define LOAD_CONFIG_H

#include "common/conn.h"
#include "common/log.h"
#include "common/s3.h"
#include "load/ddl.h"
#include "load/repl.h"

struct fmt_sign_key;
struct fmt_seal_key;

enum load_if_exists { LOAD_IF_EXISTS_FAIL = 0, LOAD_IF_EXISTS_SKIP, LOAD_IF_EXISTS_REPLACE };

/* --definers: the DEFINER of views, routines, triggers and events. */
enum load_definers { LOAD_DEFINERS_KEEP = 0, LOAD_DEFINERS_STRIP, LOAD_DEFINERS_REPLACE };

struct load_config {
    struct cs_conn_config conn;
    const char *input;            /* dump directory or s3://BUCKET/PREFIX */
    const char *archive;          /* --archive FILE, s3://BUCKET/KEY or "-" instead */
    struct cs_s3_options s3;      /* --s3-* */
    unsigned wait_for_dump;       /* seconds to wait for a dump being written; 0 = none */
    const char *verify_key_file;  /* --verify-key FILE */
    const struct fmt_sign_key *verify_key; /* loaded from it by main: refuse unless signed by it */
    const char *encrypt_key_file; /* --encrypt-key FILE */
    const struct fmt_seal_key *seal_key; /* loaded from it by main: the dump is encrypted */
    unsigned threads;
    enum load_if_exists if_exists;
    enum load_defer defer;
    int keep_binlog;              /* do not SET sql_log_bin=0 */
    int verify;                   /* on by default */
    int reset_progress;
    int set_gtid;                 /* apply the dump's GTID state */
    const char *replicate_from;   /* HOST:PORT */
    int replicate_all;            /* --replicate-all: no filters for a partial dump */
    int dry_run;                  /* --dry-run: check and print the plan, change nothing */
    int fast_target;              /* --fast-target: global ingest settings (load/fasttarget.h) */
    const char *replication_user;
    const char *replication_password;
    enum load_repl_ssl replication_ssl; /* resolved from --replication-ssl-mode and the files */
    const char *replication_ssl_ca;     /* files on the target's host */
    const char *replication_ssl_cert;
    const char *replication_ssl_key;
    unsigned retries;             /* attempts per chunk after a transient error */
    unsigned compat;              /* --compat words: LOAD_COMPAT_* (load/compat.h) */
    int include_system;           /* --include-system: the dump may write into system schemas */
    int load_users;               /* --load-users: the dump's accounts too */
    int skip_invalid_grants;      /* leave out what the target cannot take */
    enum load_definers definers;
    char *definer_user;           /* --definers replace=USER@HOST (malloc'd by main) */
    char *definer_host;
    /* what of the dump is loaded (load/select.h); malloc'd by main */
    char **databases;             /* --databases: schemas of the dump, exactly */
    size_t ndatabases;
    char **tables;                /* --tables: db.t patterns (common/pattern.h) */
    size_t ntables;
    char **exclude;               /* --exclude: db or db.t patterns */
    size_t nexclude;
    char **renames;               /* --rename-schema OLD:NEW items (load/rename.h) */
    size_t nrenames;
    int no_data;                  /* --no-data: schema and objects only */
    int data_only;                /* --data-only: rows into the target's existing tables */
    int quiet, verbose, progress;
    char *reset_command;          /* this command with --reset-progress, for messages (main) */
    const volatile int *cancel;
    const struct cs_log *log;
    void *console;                /* struct cs_console *; may be NULL */
};

#endif
