#include "format/readbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int fmt_readbuf_init(struct fmt_readbuf *b, struct fmt_source *src, const char *name,
                     const char *default_name, struct cs_error *err)
{
    memset(b, 0, sizeof(*b));
    b->src = src;
    b->name = strdup(name ? name : default_name);
    b->cap = FMT_READBUF_SIZE;
    b->buf = malloc(b->cap);
    if (b->name && b->buf)
        return 0;
    fmt_readbuf_release(b);
    return cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s",
                        name ? name : default_name);
}

void fmt_readbuf_release(struct fmt_readbuf *b)
{
    if (!b)
        return;
    free(b->name);
    free(b->buf);
    memset(b, 0, sizeof(*b));
}

int fmt_readbuf_fill(struct fmt_readbuf *b, size_t keep, const char *unit, struct cs_error *err)
{
    ssize_t got;
    char *p;

    if (keep > 0) {
        memmove(b->buf, b->buf + keep, b->len - keep);
        b->len -= keep;
    }
    if (b->cap - b->len < FMT_READBUF_SIZE / 2) {
        if (b->cap > SIZE_MAX / 2)
            return cs_error_set(err, CS_ERR_NOMEM, "%s: %s too long", b->name, unit);
        p = realloc(b->buf, b->cap * 2);
        if (!p)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory reading a long %s of %s", unit,
                                b->name);
        b->buf = p;
        b->cap *= 2;
    }
    got = fmt_source_read(b->src, b->buf + b->len, b->cap - b->len, err);
    if (got < 0)
        return cs_error_prefix(err, "reading %s", b->name);
    if (got == 0)
        b->eof = 1;
    b->len += (size_t)got;
    return 0;
}
