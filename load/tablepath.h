/*
 * tablepath.h - how the chunks of one table go in: the per-table choice
 * (pure; measured on the one-table shape, see README "One table, 2 threads").
 *
 *   - Under innodb_autoinc_lock_mode 0/1 (MariaDB's default) every LOAD DATA
 *     into a table with an AUTO_INCREMENT column holds the table's AUTO-INC
 *     lock to the end of the statement ("bulk insert" in the manuals), so
 *     parallel LOAD DATA into one such table only queue.  A multi-row INSERT
 *     with every value given is a "simple insert": it takes the counter's
 *     mutex only, and parallel INSERTs overlap.  A table bigger than its
 *     share of the threads (1/threads of the load's bytes) would make the
 *     load wait for it: its tsv chunks go as multi-row INSERTs, threads at a
 *     time; a smaller one keeps LOAD DATA (less server CPU per row) one chunk
 *     at a time while other tables fill the other threads.
 *   - MariaDB 10.6+: the first transaction into an empty InnoDB table with
 *     unique_checks=0 and foreign_key_checks=0 takes the bulk-insert path,
 *     which holds an exclusive table lock to its COMMIT: every other chunk of
 *     the table waits for the first.  A table of more than one chunk loads
 *     its chunks with unique_checks=1 (no_bulk), with any number of
 *     threads: the row path took less server CPU too, measured with one
 *     thread (chunks arrive in key order, secondary indexes deferred).
 * Thread-safe (no state).
 */
#ifndef LOAD_TABLEPATH_H
#define LOAD_TABLEPATH_H

#include <stddef.h>
#include <stdint.h>

/* How the chunks of one table are applied. */
enum load_path {
    LOAD_PATH_PARALLEL = 0, /* as the format says (tsv: LOAD DATA LOCAL), threads at a time */
    LOAD_PATH_SERIAL,       /* as the format says, one at a time */
    LOAD_PATH_INSERT,       /* tsv chunks as multi-row INSERTs, threads at a time */
    LOAD_PATH_BOUND,        /* tsv chunks as arrays of bound rows (cs_bulk), threads at a time */
};

/* What the choice depends on, the same for every table of a load. */
struct load_path_env {
    unsigned threads;
    int autoinc_lock_mode; /* the target's innodb_autoinc_lock_mode */
    int bulk_path;         /* the target has MariaDB's bulk-insert path (10.6+) */
    int infile;            /* tsv chunks go through LOAD DATA LOCAL */
    int sizes_known;       /* chunk counts and sizes are known (not a streamed catalog) */
    int bound;             /* the target runs arrays of bound rows (MariaDB, cs_bulk) */
    uint64_t total_bytes;  /* raw bytes of every table loaded */
};

struct load_path_choice {
    enum load_path path;
    int no_bulk;   /* chunk transactions run with unique_checks=1 */
    char why[400]; /* why, for the log ("" when nothing is special) */
};

/* What the choice knows of one table. */
struct load_path_table {
    int autoinc;  /* it has an AUTO_INCREMENT column */
    int bindable; /* tsv chunks whose every value binds as a string (load_chunk_bindable) */
    size_t nchunks;
    uint64_t bytes; /* raw bytes */
};

void load_path_choose(const struct load_path_env *env, const struct load_path_table *t,
                      struct load_path_choice *out);
/* "LOAD DATA", "multi-row INSERT", ... for the log line of a choice. */
const char *load_path_name(enum load_path path, int infile);

#endif
