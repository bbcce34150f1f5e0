/* chunkindex.c - a manifest's chunks by file name (chunkindex.h). */
#include "format/chunkindex.h"

#include <stdlib.h>
#include <string.h>

static int cmp_ref(const void *x, const void *y)
{
    return strcmp(((const struct fmt_chunk_ref *)x)->file, ((const struct fmt_chunk_ref *)y)->file);
}

int fmt_chunk_index_build(struct fmt_chunk_index *ix, const struct fmt_manifest *m)
{
    size_t n = 0;

    ix->n = 0;
    for (size_t t = 0; t < m->ntables; t++)
        n += m->tables[t].nchunks;
    ix->v = calloc(n + 1, sizeof(*ix->v));
    if (!ix->v)
        return -1;
    for (size_t t = 0; t < m->ntables; t++)
        for (size_t k = 0; k < m->tables[t].nchunks; k++)
            ix->v[ix->n++] = (struct fmt_chunk_ref){m->tables[t].chunks[k].file, &m->tables[t],
                                                    &m->tables[t].chunks[k]};
    qsort(ix->v, ix->n, sizeof(*ix->v), cmp_ref);
    return 0;
}

const struct fmt_chunk_ref *fmt_chunk_index_find(const struct fmt_chunk_index *ix, const char *file)
{
    struct fmt_chunk_ref key = {file, NULL, NULL};

    return ix->n ? bsearch(&key, ix->v, ix->n, sizeof(key), cmp_ref) : NULL;
}

void fmt_chunk_index_free(struct fmt_chunk_index *ix)
{
    free(ix->v);
    ix->v = NULL;
    ix->n = 0;
}
