/*
 * check.h - offline validation of a dump, no server: the manifest parses and
 * is a format version we understand, every file it lists (chunks, DDL,
 * coordinates) is present with its recorded size and hash, and no file is
 * unlisted.  Each problem is reported as its own clear message through the
 * logger (missing file, truncated file, hash mismatch, extra file, ...).
 * Single-threaded.
 */
#ifndef LOAD_CHECK_H
#define LOAD_CHECK_H

#include "common/log.h"
#include "load/input.h"

/* Returns the number of problems (0 = the dump is intact), or -1 with ERR
 * when the manifest itself cannot be used (missing, garbled, future version). */
int load_check(struct load_input *in, const struct cs_log *log, struct cs_error *err);
/* Reads what is left of COUNTER (fmt_source_counter_new over FILE), then
 * compares the file's size and hash with BYTES and HASH (HASH NULL: size
 * only) and, when SHA is neither NULL nor "", its SHA-256 (the counter must
 * compute it: fmt_source_counter_sha_new), with the same messages as
 * load_check_file. */
int load_check_drain(struct load_input *in, const char *file, struct fmt_source *counter,
                     uint64_t bytes, const char *hash, const char *sha, struct cs_error *err);
/* FILE opened through a counter that hashes it, SHA-256 included (a missing
 * file named as such). */
struct fmt_source *load_check_open(struct load_input *in, const char *file, struct cs_error *err);

/* QUICK: sizes instead of hashes (a load's check before it starts: each
 * file's hash is checked when it is read).  M: the manifest IN was read
 * into (borrowed), or NULL to read it here.  FIRST (may be NULL) gets the
 * first problem found. */
int load_check_run(struct load_input *in, const struct fmt_manifest *m, const struct cs_log *log,
                   int quick, struct cs_error *first, struct cs_error *err);

/* Reads FILE fully through its hash: 0 when its size and hash (and SHA-256
 * when SHA is neither NULL nor "") are the expected ones, else -1 with ERR
 * saying which (CS_ERR_TRUNCATED when shorter, CS_ERR_CHECKSUM otherwise,
 * CS_ERR_MISSING when absent). */
int load_check_file(struct load_input *in, const char *file, uint64_t bytes,
                    const char *hash, const char *sha, struct cs_error *err);

#endif
