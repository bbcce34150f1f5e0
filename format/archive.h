/*
 * archive.h - a dump as one tar stream (libarchive, pax format).
 *
 * Writer: entries appended in the order given, each a regular file (0600)
 * whose size is known up front (tar needs it in the header), to an fd that
 * may be a pipe, or to a sink.  Memory: a 256 KiB write buffer (an fd), nothing
 * more: libarchive runs unblocked and large pieces are written as they come.
 *
 * Reader: entries one after the other from an fd (file or pipe; tar, pax,
 * ustar or GNU tar, any compression libarchive knows).  Every entry is
 * checked before its data is touched: a regular file, a plain name (a
 * leading "./" and one top-level directory, as `tar -cf x.tar dumpdir`
 * makes, are removed; absolute paths, ".." and deeper paths are refused),
 * no link, no device, no name seen before -- each refusal is
 * CS_ERR_HOSTILE with its own message.  A stream that ends inside an entry
 * or without the end marker is CS_ERR_TRUNCATED.
 * One thread at a time per writer/reader.
 */
#ifndef FMT_ARCHIVE_H
#define FMT_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "common/error.h"
#include "format/source.h"

struct fmt_archive_writer;

/* NAME is used in messages (the file, or "standard output"); FD is not owned. */
struct fmt_archive_writer *fmt_archive_writer_new(int fd, const char *name, struct cs_error *err);
/* The same into SINK (lent; the caller finishes or frees it after
 * fmt_archive_writer_finish / _free): e.g. an S3 object (format/s3io.h). */
struct fmt_sink;
struct fmt_archive_writer *fmt_archive_writer_new_sink(struct fmt_sink *sink, const char *name,
                                                       struct cs_error *err);
/* Append ENTRY with the bytes IOV[0..N) in order (e.g. a file held in
 * segments: dump/spool.h). */
int fmt_archive_add_parts(struct fmt_archive_writer *w, const char *entry, const struct iovec *iov,
                          size_t n, struct cs_error *err);
int fmt_archive_add_memory(struct fmt_archive_writer *w, const char *entry, const void *data,
                           size_t len, struct cs_error *err);
/* Append ENTRY of SIZE bytes (known up front, e.g. fmt_manifest_text_size)
 * written as it comes through the sink returned: its finish() ends the
 * entry, refused unless exactly SIZE bytes came.  W must outlive it; no
 * other entry until it is finished.  An unfinished one leaves W unusable. */
struct fmt_sink *fmt_archive_entry_sink(struct fmt_archive_writer *w, const char *entry,
                                        uint64_t size, struct cs_error *err);
/* What an fd writer's buffer holds, written now (a reader of a pipe gets
 * every entry appended so far); nothing to do for a sink's writer. */
int fmt_archive_writer_flush(struct fmt_archive_writer *w, struct cs_error *err);
/* Write the end of the archive and flush; the stream is complete after it. */
int fmt_archive_writer_finish(struct fmt_archive_writer *w, struct cs_error *err);
void fmt_archive_writer_free(struct fmt_archive_writer *w); /* NULL-safe */

struct fmt_archive_reader;

struct fmt_archive_reader *fmt_archive_reader_new(int fd, const char *name, struct cs_error *err);
/* The same from SRC (lent, freed by the caller after the reader). */
struct fmt_archive_reader *fmt_archive_reader_new_source(struct fmt_source *src, const char *name,
                                                         struct cs_error *err);
/* Where the current entry's bytes lie in the input, when they lie there as
 * one run (the archive is not compressed, the entry not sparse): 1 and
 * *OFFSET, else 0.  A reader of the input at that offset must still check
 * what it reads (the manifest's size and hash). */
int fmt_archive_data_offset(const struct fmt_archive_reader *r, uint64_t *offset);
/* 1 = the next entry (*entry lent until the next call, *size its size),
 * 0 = the end of the archive, -1 = error (hostile, truncated, garbled). */
int fmt_archive_next(struct fmt_archive_reader *r, const char **entry, uint64_t *size,
                     struct cs_error *err);
/* The current entry's data; the source is lent (free it before the next
 * call of fmt_archive_next); it reports an entry that ends early as
 * CS_ERR_TRUNCATED. */
struct fmt_source *fmt_archive_data(struct fmt_archive_reader *r, struct cs_error *err);
void fmt_archive_reader_free(struct fmt_archive_reader *r); /* NULL-safe */

#endif
