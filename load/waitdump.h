/*
 * waitdump.h - csload --wait-for-dump SECONDS: loading a dump (a directory
 * or an s3:// prefix) while csdump is still writing it.
 *
 * First the early catalog (catalog.json: the dump's id, schemas and tables,
 * written when the snapshot is taken) or, if the dump is already complete,
 * the manifest is waited for.  Then chunk files are found by listing the
 * input every 1 s while new ones keep coming, backing off to every 5 s when
 * none do (and never more often than a listing takes); each listing costs
 * time linear in its length (a hash set of the names found, the tables'
 * prefixes sorted once): a chunk is a complete file (an S3 object
 * exists only once complete; csdump renames a directory's *.partial when
 * done) whose name is a catalog table's chunk name.  Each is handed out
 * once, loaded without checks (its row count and file hash are kept), and
 * the listing stops when manifest.json appears; then every chunk loaded
 * early, by this loader or by another that shares the load (even one that
 * died), must be in the manifest with the same rows and file hash: the
 * journal row of an early chunk records the hash its loader read
 * (load_journal_check; the verification compares the data itself).  More than SECONDS without the
 * manifest fails, naming what is missing.
 * Not thread-safe: next() is called under the load pool's lock, always with
 * the same catalog.
 */
#ifndef LOAD_WAITDUMP_H
#define LOAD_WAITDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "common/log.h"
#include "format/manifest.h"
#include "load/input.h"

struct load_wait;

/* A chunk found early; owned by the waiter. */
struct load_wait_chunk {
    size_t table;       /* in the catalog */
    struct fmt_chunk c; /* file only: rows, hashes unknown */
    uint64_t rows;      /* what the load took */
    char hash[33];      /* the file's hash as read */
};

/* --wait-for-dump of a directory: up to SECONDS for DIR to exist. */
int load_wait_dir(const char *dir, unsigned seconds, const volatile int *cancel,
                  const struct cs_log *log, struct cs_error *err);
/* Waits up to SECONDS for catalog.json or manifest.json of IN: *m gets the
 * one found (owned by the caller), *final 1 for the manifest. */
struct load_wait *load_wait_new(struct load_input *in, unsigned seconds, const volatile int *cancel,
                                const struct cs_log *log, struct fmt_manifest **m, int *final,
                                struct cs_error *err);
void load_wait_free(struct load_wait *w); /* NULL-safe */
/* The next chunk found (1), 0 once the manifest is there, -1 on error (the
 * wait ran out, cancelled, a listing failed).  CAT is the catalog. */
int load_wait_next(struct load_wait *w, const struct fmt_manifest *cat,
                   struct load_wait_chunk **out, struct cs_error *err);
/* The manifest once next() said 0 (owned by the caller), its chunk lists
 * checked as a whole (load/chunkset.h). */
struct fmt_manifest *load_wait_manifest(struct load_wait *w, struct cs_error *err);

#endif
