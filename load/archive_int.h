/*
 * archive_int.h - the archive reader's insides, internal to load/:
 *   archive_in.c      the public API (archive_in.h), dispatching to a mode
 *   archive_file.c    a file: checked whole in pass 1, then its chunks read
 *                     in place (archive_direct.c) or streamed in pass 2
 *   archive_pipe.c    a pipe: the catalog first, each chunk checked as it comes
 *   archive_direct.c  the input over a checked archive file or object whose
 *                     chunks are read where they lie (ranges), nothing spooled
 *   archive_common.c  the helpers both modes use
 * Calls go one way: in -> file|pipe -> common.
 */
#ifndef LOAD_ARCHIVE_INT_H
#define LOAD_ARCHIVE_INT_H

#include <stdint.h>

#include "common/buf.h"
#include "format/archive.h"
#include "format/chunkindex.h"
#include "common/s3.h"
#include "load/archive_in.h"
#include "load/trust.h"

#define META_MAX (64u * 1024u * 1024u) /* the largest non-chunk entry we accept */

/* A chunk entry of the archive, seen in pass 1 (file) or streamed (pipe). */
struct seen {
    char *schema, *table;
    struct fmt_chunk c;
    uint64_t offset; /* file: where its bytes are in the archive ... */
    int at_offset;   /* ... when they lie there as one run */
};

struct load_archive;

/* A way of reading an archive (a file, a pipe). */
struct load_archive_mode {
    int (*open)(struct load_archive *a, struct cs_error *err);
    int (*next)(struct load_archive *a, load_skip_fn skip, void *ctx,
                struct load_archive_chunk **out, struct cs_error *err);
    /* NULL: nothing to check at the end */
    int (*finish)(struct load_archive *a, struct fmt_manifest **final, struct cs_error *err);
};

extern const struct load_archive_mode load_archive_file_mode;
extern const struct load_archive_mode load_archive_pipe_mode;

struct load_archive {
    const struct load_archive_mode *mode;
    int fd, own_fd, pipe, hashes;
    struct cs_s3 *s3;               /* an s3://BUCKET/KEY archive: its client, key, source */
    char *s3key;
    struct fmt_source *src;
    const char *name;
    char *spool;
    struct load_input *in;
    struct fmt_archive_reader *rd;
    struct fmt_manifest *m;         /* until taken */
    const struct fmt_manifest *cat; /* the manifest or catalog, borrowed after take */
    struct fmt_manifest *final;     /* pipe: the manifest at the end */
    struct seen *seen;              /* pipe: every chunk streamed */
    size_t nseen, capseen;
    struct load_archive_chunk *pending; /* pipe: the description before its chunk */
    struct fmt_chunk_index index;       /* file: the manifest's chunks by name */
    int manifest_first; /* pipe: the manifest came first (no descriptions) */
    int ended;
    struct load_input *direct;      /* file: chunks read in place (archive_direct.c) */
    char s3etag[130];               /* an S3 object: the version pass 1 read */
    const struct cs_log *log;
    struct load_trust trust; /* --verify-key */
};

int load_archive_has_suffix(const char *s, const char *suf);
int load_archive_is_chunk(const char *name);
void load_archive_chunk_free(struct load_archive_chunk *ch);
int load_archive_hostile(struct load_archive *a, struct cs_error *err, const char *entry,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The current entry's data into the spool: NAME a plain name, spooled under
 * the name it is stored under (load/trust.h; itself unless encrypted);
 * _raw: under NAME as it is. */
int load_archive_spool_entry(struct load_archive *a, const char *name, struct cs_error *err);
int load_archive_spool_raw(struct load_archive *a, const char *name, struct cs_error *err);
/* The plain name of the archive entry ENTRY (itself unless encrypted; NULL:
 * a stored name not learnt), and whether ENTRY is how PLAIN is stored. */
const char *load_archive_plain(struct load_archive *a, const char *entry);
int load_archive_entry_is(struct load_archive *a, const char *entry, const char *plain);
int load_archive_seen_add(struct load_archive *a, const char *schema, const char *table,
                          const struct fmt_chunk *c, struct cs_error *err);
int load_archive_cmp_seen(const void *x, const void *y);
/* After sorting a->seen with load_archive_cmp_seen. */
const struct seen *load_archive_seen_find(const struct load_archive *a, const char *file);
int load_archive_build_index(struct load_archive *a, struct cs_error *err);
const struct fmt_chunk_ref *load_archive_manifest_chunk(const struct load_archive *a, const char *file);
/* The spooled file NAME's text (at most META_MAX bytes), read through the input. */
int load_archive_spooled_text(struct load_archive *a, const char *name, char **text, size_t *len,
                              struct cs_error *err);
/* --verify-key: TEXT, the content of the entry NAME (DATA: what was signed,
 * or NULL for TEXT itself), against its signature NAME's .sig -- spooled
 * already, else the stream's next entry, which must be it.  0 when not
 * verifying. */
int load_archive_verify_entry(struct load_archive *a, const char *name, const char *text,
                              size_t len, const struct cs_buf *data, struct cs_error *err);
/* The input over the checked archive A whose chunks all lie in place
 * (seen[].at_offset): metadata from the spool, chunks read as ranges of the
 * file (pread) or object (ranged GETs), from several threads at once. */
struct load_input *load_archive_direct_new(struct load_archive *a, struct cs_error *err);
/* A->rd over the fd or the S3 object; from the start again when AGAIN. */
int load_archive_open_reader(struct load_archive *a, int again, struct cs_error *err);
struct load_archive_chunk *load_archive_chunk_new(const char *schema, const char *table,
                                                  const struct fmt_chunk *c);

#endif
