/*
 * archive_int.h - what load/archive_in.c (files) and load/archive_pipe.c
 * (pipes) share: the reader's state and its small helpers.  Internal to
 * load/.
 */
#ifndef LOAD_ARCHIVE_INT_H
#define LOAD_ARCHIVE_INT_H

#include <stdint.h>

#include "format/archive.h"
#include "common/s3.h"
#include "load/archive_in.h"

#define META_MAX (64u * 1024u * 1024u) /* the largest non-chunk entry we accept */

/* A chunk entry of the archive, seen in pass 1 (file) or streamed (pipe). */
struct seen {
    char *schema, *table;
    struct fmt_chunk c;
};

struct load_archive {
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
    struct idx *index;                  /* file: the manifest's chunks by name */
    size_t nindex;
    int manifest_first; /* pipe: the manifest came first (no descriptions) */
    int ended;
    const struct cs_log *log;
};

struct idx {
    const char *file;
    const struct fmt_table *t;
    const struct fmt_chunk *c;
};

int ld_arch_has_suffix(const char *s, const char *suf);
int ld_arch_is_chunk(const char *name);
void ld_arch_chunk_free(struct load_archive_chunk *ch);
int ld_arch_hostile(struct load_archive *a, struct cs_error *err, const char *entry,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The current entry's data into SPOOL/NAME. */
int ld_arch_spool_entry(struct load_archive *a, const char *name, struct cs_error *err);
int ld_arch_seen_add(struct load_archive *a, const char *schema, const char *table,
                     const struct fmt_chunk *c, struct cs_error *err);
int ld_arch_cmp_seen(const void *x, const void *y);
/* After sorting a->seen with ld_arch_cmp_seen. */
const struct seen *ld_arch_seen_find(const struct load_archive *a, const char *file);
int ld_arch_build_index(struct load_archive *a, struct cs_error *err);
const struct idx *ld_arch_manifest_chunk(const struct load_archive *a, const char *file);
struct load_archive_chunk *ld_arch_chunk_new(const char *schema, const char *table,
                                             const struct fmt_chunk *c);

/* Pipe mode (archive_pipe.c). */
int ld_arch_open_pipe(struct load_archive *a, struct cs_error *err);
int ld_arch_next_pipe(struct load_archive *a, load_skip_fn skip, void *ctx,
                      struct load_archive_chunk **out, struct cs_error *err);
int ld_arch_finish_pipe(struct load_archive *a, struct fmt_manifest **final, struct cs_error *err);

#endif
