/*
 * chunkindex.h - a manifest's chunks looked up by file name.
 *
 * Loads that meet chunks by name (an archive's entries, the journal's rows,
 * a dump still being written) find the manifest's record of each in
 * O(log n) instead of scanning every table.  The index borrows the
 * manifest: it is valid while the manifest lives and unchanged.  Pure;
 * lookups are thread-safe.
 */
#ifndef FMT_CHUNKINDEX_H
#define FMT_CHUNKINDEX_H

#include <stddef.h>

#include "format/manifest.h"

struct fmt_chunk_ref {
    const char *file;
    const struct fmt_table *t;
    const struct fmt_chunk *c;
};

struct fmt_chunk_index {
    struct fmt_chunk_ref *v; /* sorted by file */
    size_t n;
};

/* Every chunk of M; 0, or -1 when out of memory (IX then empty). */
int fmt_chunk_index_build(struct fmt_chunk_index *ix, const struct fmt_manifest *m);
/* The chunk whose file is FILE, or NULL. */
const struct fmt_chunk_ref *fmt_chunk_index_find(const struct fmt_chunk_index *ix,
                                                 const char *file);
void fmt_chunk_index_free(struct fmt_chunk_index *ix);

#endif
