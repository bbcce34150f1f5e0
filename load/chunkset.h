/*
 * chunkset.h - a table's chunk list is untrusted input: checked as a whole
 * before anything is loaded.
 *
 * Per table of the manifest:
 *   - the chunk indices are 0..n-1, each once;
 *   - the chunks' rows add up to the table's;
 *   - the key names only columns of the table, each once;
 *   - a table without a key has no bounds; a keyed one's typed bounds
 *     (format/bound.h) have one value per key column and tile the key space:
 *     the first chunk open below, the last open above, no bound open in the
 *     middle, each lower bound equal by value to the previous upper bound with
 *     exactly one of the two closed, and each chunk's lower below its upper.
 * Each problem has its own message naming the table and chunk file: a gap
 * (rows in no chunk), an overlap (rows in two), swapped bounds, a bound
 * open in the middle, a wrong value count.  Where the order of two values
 * cannot be known without the server (strings under a collation), a
 * mismatch is reported as "a gap or an overlap".  Pure; thread-safe.
 */
#ifndef LOAD_CHUNKSET_H
#define LOAD_CHUNKSET_H

#include "common/error.h"
#include "common/log.h"
#include "format/manifest.h"

/* Every problem of M (from NAME, for messages) logged as an error line;
 * returns how many. */
int load_chunkset_check(const struct fmt_manifest *m, const char *name, const struct cs_log *log);
/* The same, and -1 with ERR (CS_ERR_FORMAT) when there is any. */
int load_chunkset_require(const struct fmt_manifest *m, const char *name, const struct cs_log *log,
                          struct cs_error *err);

#endif
