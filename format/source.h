/*
 * source.h - byte sources, the mirror of sink.h.
 *
 *   fmt_source_file -> fmt_source_counter -> fmt_source_zstd -> decoder
 *
 * read() returns bytes read (> 0), 0 at the end of the data, -1 on error.
 * A source owns the source it wraps.  The zstd source reports a stream that
 * ends inside a frame as CS_ERR_TRUNCATED and undecodable bytes as
 * CS_ERR_FORMAT, naming the file given at creation.  One thread at a time.
 */
#ifndef FMT_SOURCE_H
#define FMT_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

struct fmt_source {
    ssize_t (*read)(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err);
    void (*free)(struct fmt_source *s);
};

ssize_t fmt_source_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err);
/* Read exactly CAP bytes unless the data ends first; returns bytes read or -1. */
ssize_t fmt_source_read_full(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err);
void fmt_source_free(struct fmt_source *s); /* NULL-safe */

/* A missing file is CS_ERR_MISSING. */
struct fmt_source *fmt_source_file_new(const char *path, struct cs_error *err);
/* Reads from an fd it does not own. */
struct fmt_source *fmt_source_fd_new(int fd, const char *name, struct cs_error *err);
/* The LEN bytes of FD (not owned) from OFFSET, read with pread, so several
 * such sources may read one fd from several threads; data that ends early is
 * CS_ERR_TRUNCATED. */
struct fmt_source *fmt_source_fd_range_new(int fd, uint64_t offset, uint64_t len,
                                          const char *name, struct cs_error *err);
/* Reads from memory it does not own. */
struct fmt_source *fmt_source_memory_new(const void *data, size_t len, struct cs_error *err);
/* zstd decompression; NAME is used in messages; owns INNER. */
struct fmt_source *fmt_source_zstd_new(struct fmt_source *inner, const char *name,
                                       struct cs_error *err);
/* Counts and hashes (XXH3-128) the bytes read through it; owns INNER. */
struct fmt_source *fmt_source_counter_new(struct fmt_source *inner, struct cs_error *err);
void fmt_source_counter_result(struct fmt_source *s, uint64_t *bytes, char hash_hex[33]);
/* The same counter that also computes SHA-256 when SHA256;
 * fmt_source_counter_sha256() gives it so far ("" when not asked). */
struct fmt_source *fmt_source_counter_sha_new(struct fmt_source *inner, int sha256,
                                              struct cs_error *err);
void fmt_source_counter_sha256(struct fmt_source *s, char sha_hex[65]);

#endif
