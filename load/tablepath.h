/*
 * tablepath.h - how the chunks of one table go in: the per-table choice
 * (pure; measured on the one-table shape, see README "One table, 2 threads").
 *
 *   - MariaDB (the server announces array binding): the tsv chunks of a
 *     table of several chunks whose every value binds as a string
 *     (load_chunk_bindable) go as arrays of bound rows of one prepared
 *     INSERT (cs_bulk), threads at a time (an AUTO_INCREMENT table one at
 *     a time: below), whatever the thread count.
 *     Measured on 994,205 sysbench rows (MariaDB 10.11, perf on the
 *     server): LOAD DATA spends 27-31 % of the server's CPU splitting and
 *     copying fields byte by byte (READ_INFO::read_field, String::append);
 *     bound values arrive as lengths and bytes, and the same rows took
 *     3.7-5.3 s of server CPU against 5.8-6.7 s for LOAD DATA in the same
 *     transactions, with or without AUTO_INCREMENT, one thread or two.  An
 *     INSERT with every value given is a "simple insert": it takes the
 *     AUTO-INC counter's mutex, not its table lock, so two chunks of one
 *     AUTO_INCREMENT table ran at once in 17 of 24 samples, no lock wait.
 *     But on a quiet machine two sessions inserting into one AUTO_INCREMENT
 *     table spin on a mutex inside InnoDB's row insert (a `pause` loop:
 *     17-22 % of the server's samples; every row updates the table's
 *     counter): 1,988,410 rows took 12.3-13.5 s of server CPU in two
 *     sessions against 7.2 s in one, for 8.0-10.0 s of wall against 8.5 s
 *     (without AUTO_INCREMENT 7.6 s against 5.8 s, 6.6 s wall against
 *     6.9 s).  In csload on the one-table shape (2 threads, 1,988,410
 *     rows) the two sessions took 18.6-19.2 s of server CPU against
 *     10.1-10.9 s for one, and lost to one thread.  So an AUTO_INCREMENT
 *     table of several chunks loads one chunk at a time, whatever its size,
 *     while other tables fill the other threads, or its chunk reads ahead
 *     on a spare one (load/chunk_bound.h): 10.7 s of server CPU, faster
 *     than one thread.
 *     A table of one chunk takes it from LOAD_PATH_BOUND_MIN_BYTES (one
 *     chunk of 173,985 rows: 0.69-0.71 s against 0.72-1.10 s; 20,000
 *     rows: 0.05-0.06 s against 0.09-0.14 s; 2,000 rows: the same).
 *   - Otherwise, under innodb_autoinc_lock_mode 0/1 (MariaDB's default)
 *     every LOAD DATA into a table with an AUTO_INCREMENT column holds the
 *     table's AUTO-INC lock to the end of the statement ("bulk insert" in
 *     the manuals), so parallel LOAD DATA into one such table only queue.
 *     A table bigger than its share of the threads (1/threads of the
 *     load's bytes) would make the load wait for it: its tsv chunks go as
 *     multi-row INSERTs, threads at a time; a smaller one keeps LOAD DATA
 *     one chunk at a time while other tables fill the other threads.
 *     MySQL (mode 2, no array binding): LOAD DATA in parallel.
 *   - MariaDB 10.6+: the first transaction into an empty InnoDB table with
 *     unique_checks=0 and foreign_key_checks=0 takes the bulk-insert path,
 *     which holds an exclusive table lock to its COMMIT: every other chunk of
 *     the table waits for the first.  Every table loads its chunks with
 *     unique_checks=1 (no_bulk), with any number of threads: the row path
 *     took less server CPU at every size measured on MariaDB 10.11 (LOAD
 *     DATA, one transaction per table: 994,205 rows in one transaction
 *     11.6 s against 6.1-6.7 s in four; 173,985 rows 2.0-2.6 s against
 *     0.72-1.10 s; 20 tables of 2,000 rows 1.47 s against 0.27 s, of 200
 *     rows 0.35 s against 0.06 s, of 3 rows 0.07 s against 0.03 s).
 * Thread-safe (no state).
 */
#ifndef LOAD_TABLEPATH_H
#define LOAD_TABLEPATH_H

#include <stddef.h>
#include <stdint.h>

/* A table of one chunk takes the bound path from this many raw bytes: below,
 * LOAD DATA cost the server as little (measured at 2,000 rows, 380 KB). */
#define LOAD_PATH_BOUND_MIN_BYTES (1024u * 1024u)
/* Rows in one array of the bound path (load/chunk.c); a literal, as the
 * log's name of the path spells it (load_path_name). */
#define LOAD_PATH_BOUND_ROWS 1000
/* Bytes of values in one array, at most (unless one row is bigger alone;
 * load_chunk_bound_bytes lowers it to half the target's max_allowed_packet). */
#define LOAD_PATH_BOUND_BYTES (4u * 1024u * 1024u)

/* How the chunks of one table are applied. */
enum load_path {
    LOAD_PATH_PARALLEL = 0, /* as the format says (tsv: LOAD DATA LOCAL), threads at a time */
    LOAD_PATH_SERIAL,       /* as the format says, one at a time */
    LOAD_PATH_INSERT,       /* tsv chunks as multi-row INSERTs, threads at a time */
    LOAD_PATH_BOUND,        /* tsv chunks as arrays of bound rows (cs_bulk), threads at a time */
    LOAD_PATH_BOUND_SERIAL, /* the same, one at a time */
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
    char why[512]; /* why, for the log ("" when nothing is special) */
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
