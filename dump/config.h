/*
 * config.h - csdump's options, parsed once by main.c and read-only after.
 */
#ifndef DUMP_CONFIG_H
#define DUMP_CONFIG_H

/* --chunk-bytes by default.  An archive holds its chunk files in memory until
 * they are streamed (dump/archiver.h: up to 2 x threads + 2 of them), so its
 * default is smaller: 16 MiB keeps that at 160 MiB with 4 threads, while the
 * per-chunk costs (a manifest entry, a journal row, a transaction at load)
 * stay far below the chunk's own work. */
#define DUMP_CHUNK_BYTES ((uint64_t)128 << 20)
#define DUMP_ARCHIVE_CHUNK_BYTES ((uint64_t)16 << 20)

#include <stdint.h>

#include "common/conn.h"
#include "common/log.h"
#include "common/s3.h"
#include "dump/lockmode.h"
#include "format/manifest.h"

struct fmt_sign_key;
struct fmt_seal_key;
struct dump_output;

struct dump_list {
    char **items;
    size_t n;
};

/* Accounts: --users / --no-users; AUTO = on for a whole-instance dump (no
 * --databases, --tables or --regex), off otherwise. */
enum dump_users { DUMP_USERS_AUTO = 0, DUMP_USERS_ON, DUMP_USERS_OFF };

struct dump_config {
    struct cs_conn_config conn;
    const char *outdir;           /* the dump directory or s3:// URL, or the spool of --archive */
    const char *archive;          /* --archive FILE, s3://BUCKET/KEY or "-"; NULL for a directory */
    struct cs_s3_options s3;      /* --s3-* */
    struct dump_output *output;   /* where files go: set by dump_run (dump/output.h) */
    unsigned threads;
    enum fmt_data_format format;
    enum fmt_compress compress;
    int compress_level;
    enum dump_lock_mode lock_mode;
    unsigned lock_wait_timeout;   /* seconds a lock may wait */
    unsigned lock_retries;        /* further attempts after a timeout */
    unsigned long_query_guard;    /* seconds; 0 = off */
    unsigned lockless_retries;
    int pause_replica;            /* stop the replica's SQL thread for the snapshot */
    uint64_t chunk_rows;
    uint64_t chunk_bytes;         /* raw; default DUMP_CHUNK_BYTES, or DUMP_ARCHIVE_CHUNK_BYTES */
    struct dump_list databases;   /* empty = all non-system schemas */
    struct dump_list tables;      /* "db.t" */
    struct dump_list exclude;     /* "db" or "db.t" patterns (dump/select.h) */
    const char *pattern;          /* POSIX extended regex on "db.t" */
    struct dump_list where;       /* --where items, whole: "cond" or "db.t:cond" (dump/where.h) */
    int include_system;           /* dump mysql, sys, ... when named */
    int no_views, no_routines, no_triggers, no_events, no_sequences, no_data;
    enum dump_users users;
    struct dump_list include_users; /* "user@host" patterns */
    struct dump_list exclude_users;
    const char *sign_key_file;    /* --sign-key FILE */
    const char *gen_key_dir;      /* --gen-key DIR: make a key pair, dump nothing */
    const struct fmt_sign_key *sign_key; /* loaded from sign_key_file: the dump is signed */
    const char *encrypt_key_file; /* --encrypt-key FILE */
    const struct fmt_seal_key *seal_key; /* loaded from it: every file sealed (dump/output.h) */
    int allow_missing;            /* what csdump cannot see or read: warn, do not fail */
    int dry_run;                  /* --dry-run: check and print the plan; no lock, no file */
    int quiet, verbose, progress;
    const volatile int *cancel;   /* set by the signal handler */
    const struct cs_log *log;
    void *console;                /* struct cs_console *, for progress; may be NULL */
};

#endif
