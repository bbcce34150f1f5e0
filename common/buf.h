/*
 * buf.h - a growable byte buffer (like git's strbuf).
 *
 * Hot paths append without checking each call: an allocation failure makes
 * the buffer sticky-failed (later appends are no-ops) and the caller checks
 * cs_buf_failed() once per row or chunk.  data is always NUL-terminated when
 * not failed; a failed buffer drops what it held (data NULL, len 0), so a
 * half-built statement or name can never be used by mistake.  A cs_buf is
 * owned by one thread at a time.
 */
#ifndef CS_BUF_H
#define CS_BUF_H

#include <stddef.h>

struct cs_buf {
    char *data;
    size_t len;
    size_t cap;
    int failed;
};

#define CS_BUF_INIT {NULL, 0, 0, 0}

void cs_buf_init(struct cs_buf *b);
void cs_buf_release(struct cs_buf *b); /* NULL-safe; leaves b initialised */
int cs_buf_reserve(struct cs_buf *b, size_t extra); /* 0 / -1 (and failed) */
void cs_buf_append(struct cs_buf *b, const void *p, size_t n);
void cs_buf_puts(struct cs_buf *b, const char *s);
void cs_buf_putc(struct cs_buf *b, char c);
void cs_buf_printf(struct cs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cs_buf_reset(struct cs_buf *b); /* len = 0, keeps memory, clears failed */
int cs_buf_failed(const struct cs_buf *b);
/* Mark B failed (something it was to hold could not be built): as an
 * allocation failure, it drops its content. */
void cs_buf_set_failed(struct cs_buf *b);
/* Hand the data to the caller (malloc'd, NUL-terminated); b is reset to empty. */
char *cs_buf_detach(struct cs_buf *b);

#endif
