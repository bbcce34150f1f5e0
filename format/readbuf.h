/*
 * readbuf.h - the buffer the tsv and sql readers read a source through:
 * it grows for long lines/statements and moves the unread tail to the front
 * as they are consumed.  Internal to format/; one thread at a time.
 */
#ifndef FMT_READBUF_H
#define FMT_READBUF_H

#include <stddef.h>

#include "common/error.h"
#include "format/source.h"

#define FMT_READBUF_SIZE (64 * 1024)

struct fmt_readbuf {
    struct fmt_source *src; /* borrowed */
    char *name;             /* for messages */
    char *buf;
    size_t cap, len;        /* buf holds len bytes */
    int eof;
};

/* NAME (may be NULL: DEFAULT_NAME) is copied. */
int fmt_readbuf_init(struct fmt_readbuf *b, struct fmt_source *src, const char *name,
                     const char *default_name, struct cs_error *err);
void fmt_readbuf_release(struct fmt_readbuf *b);
/* Drops the first KEEP bytes (the caller moves its offsets back by KEEP),
 * grows the buffer when less than half a read is free (UNIT says what got
 * too long), then reads more; sets eof at the end of the source. */
int fmt_readbuf_fill(struct fmt_readbuf *b, size_t keep, const char *unit, struct cs_error *err);

#endif
