/*
 * archive_in.h - loading from an archive (csload --archive FILE|-).
 *
 * Metadata entries (DDL, coordinates, catalog, manifest, chunk
 * descriptions) are kept in a private spool directory, read through the
 * ordinary directory input; chunk data is handed out one chunk at a time, in
 * the archive's order, each spooled to a file only while it is being loaded
 * (so the spool holds at most one chunk per loading thread).
 *
 * A FILE (or an s3:// object) is read through once first: every entry
 * header (and with HASHES every byte) is checked against the manifest before
 * anything is loaded: hostile entries (format/archive.h), entries the
 * manifest does not account for, sizes other than the manifest's, missing
 * entries.  Any tar of a dump directory loads this way.  When every chunk
 * lies in the archive as one run of bytes (csdump's archives, any
 * uncompressed tar) the archive is then "in place": load_archive_input()
 * reads chunks straight from the file or object (ranges, from several
 * threads, nothing spooled) and they are loaded like a directory's;
 * otherwise (a compressed tar) a second pass streams them.
 * A PIPE ("-") is read once, while it arrives: csdump --archive puts the
 * catalog (the manifest without chunks) first and each chunk's description
 * just before it; a chunk is checked against its description before it is
 * spooled, and at the end the manifest must describe exactly the chunks
 * that came.  A stream that ends without a manifest fails.
 * Not thread-safe: next_chunk() is called under the load pool's lock.
 */
#ifndef LOAD_ARCHIVE_IN_H
#define LOAD_ARCHIVE_IN_H

#include <stddef.h>

#include "common/log.h"
#include "common/s3.h"
#include "format/manifest.h"
#include "load/input.h"

struct load_archive;

struct load_trust;

/* PATH: a file, "-" (standard input) or s3://BUCKET/KEY (read like a file,
 * through ranged GETs, with the client made from S3; CANCEL stops it).
 * TRUST (copied): --verify-key, --encrypt-key; a signed stream is then
 * checked entry by entry (catalog.sig, each NAME.meta.sig, manifest.sig;
 * every chunk's SHA-256 when it is spooled, before it is handed out). */
struct load_archive *load_archive_open(const char *path, int hashes,
                                       const struct load_trust *trust,
                                       const struct cs_s3_options *s3, const struct cs_log *log,
                                       const volatile int *cancel, struct cs_error *err);
void load_archive_free(struct load_archive *a); /* NULL-safe; removes the spool */
/* The dump as an input: the spool (metadata; chunks while spooled), or for
 * an archive in place the spool's metadata and the chunks where they lie. */
struct load_input *load_archive_input(struct load_archive *a);
/* 1: every chunk is read in place; load them through load_archive_input()
 * like a directory's, not with load_archive_next_chunk(). */
int load_archive_in_place(const struct load_archive *a);
/* The manifest (a pipe: the catalog until load_archive_finish); ownership
 * passes to the caller. */
struct fmt_manifest *load_archive_take_manifest(struct load_archive *a);
int load_archive_is_pipe(const struct load_archive *a);

/* One spooled chunk, owned by whoever took it. */
struct load_archive_chunk {
    char *schema;
    char *table;
    struct fmt_chunk c;
};

typedef int (*load_skip_fn)(void *ctx, const struct fmt_chunk *c);

/* The next chunk of the archive: 1 = spooled (*out owned by the caller until
 * load_archive_chunk_done), 0 = no more chunks, -1 = error.  Chunks SKIP
 * says are done are passed over without being spooled. */
int load_archive_next_chunk(struct load_archive *a, load_skip_fn skip, void *skip_ctx,
                            struct load_archive_chunk **out, struct cs_error *err);
/* The chunk is loaded (or given up): its spool file goes and CH is freed.
 * Thread-safe. */
void load_archive_chunk_done(struct load_archive *a, struct load_archive_chunk *ch);
/* After the last chunk.  A pipe: the end of the stream, and the final
 * manifest (*final, owned by the caller) must describe exactly the chunks
 * that came; a file: *final = NULL (nothing new). */
int load_archive_finish(struct load_archive *a, struct fmt_manifest **final,
                        struct cs_error *err);

#endif
