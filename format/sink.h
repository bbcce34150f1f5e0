/*
 * sink.h - byte sinks, stacked like zstd's / libarchive's filters.
 *
 *   encoder -> fmt_sink_zstd -> fmt_sink_counter -> fmt_sink_file
 *
 * A sink owns the sink it wraps (freeing the outer frees the chain).
 * write() may buffer; finish() flushes everything down the chain and
 * completes it (the file sink fsyncs, unless unsynced, and renames
 * PATH.partial to PATH);
 * free() on an unfinished chain abandons it (the file sink unlinks its
 * partial).  One thread at a time per chain.
 */
#ifndef FMT_SINK_H
#define FMT_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

struct fmt_sink {
    int (*write)(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err);
    int (*finish)(struct fmt_sink *s, struct cs_error *err);
    void (*free)(struct fmt_sink *s);
};

int fmt_sink_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err);
int fmt_sink_finish(struct fmt_sink *s, struct cs_error *err);
void fmt_sink_free(struct fmt_sink *s); /* NULL-safe */

/* PATH.partial created with MODE (O_EXCL after removing a stale partial);
 * finish: fsync + rename to PATH (the caller fsyncs the directory). */
struct fmt_sink *fmt_sink_file_new(const char *path, mode_t mode, struct cs_error *err);
/* The same without the fsync: finish renames PATH.partial to PATH with the
 * data maybe still in the page cache, for files that never need to be
 * durable (a spool removed at exit). */
struct fmt_sink *fmt_sink_file_new_unsynced(const char *path, mode_t mode, struct cs_error *err);
/* For files made durable in one pass later (a dump directory's seal, before
 * its manifest): finish starts the data's writeback without waiting for it
 * (sync_file_range), so the disk writes while the dump goes on and the
 * pass's fsync finds little left (an uncompressed dump's 707 MiB took
 * ~0.5 s to fsync at the end here). */
struct fmt_sink *fmt_sink_file_new_sync_later(const char *path, mode_t mode,
                                              struct cs_error *err);

/* Writes to an already-open fd that it does not own (stdout); finish flushes
 * (and may be called again: the sink stays usable).
 * Small writes are gathered in a 256 KiB buffer, larger ones go straight
 * to the fd.  Messages name it "standard output" / "fd N", or NAME. */
struct fmt_sink *fmt_sink_fd_new(int fd, struct cs_error *err);
struct fmt_sink *fmt_sink_fd_named_new(int fd, const char *name, struct cs_error *err);

/* Growable memory sink; fmt_sink_memory_data() lends the bytes written so far. */
struct fmt_sink *fmt_sink_memory_new(struct cs_error *err);
const void *fmt_sink_memory_data(struct fmt_sink *s, size_t *len);

/* zstd compression (libzstd, in-process) at LEVEL; takes ownership of INNER. */
struct fmt_sink *fmt_sink_zstd_new(struct fmt_sink *inner, int level, struct cs_error *err);

/* Counts the bytes passing through and hashes them (XXH3-128); owns INNER. */
struct fmt_sink *fmt_sink_counter_new(struct fmt_sink *inner, struct cs_error *err);
/* Valid after finish: byte count and the hash as 32 lowercase hex chars. */
void fmt_sink_counter_result(struct fmt_sink *s, uint64_t *bytes, char hash_hex[33]);
/* The same counter that also computes SHA-256 when SHA256 (signed dumps);
 * fmt_sink_counter_sha256() gives it after finish ("" when not asked). */
struct fmt_sink *fmt_sink_counter_sha_new(struct fmt_sink *inner, int sha256, struct cs_error *err);
void fmt_sink_counter_sha256(struct fmt_sink *s, char sha_hex[65]);

#endif
