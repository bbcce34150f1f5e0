#include "common/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_buf_init(struct cs_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void cs_buf_release(struct cs_buf *b)
{
    if (!b)
        return;
    free(b->data);
    cs_buf_init(b);
}

int cs_buf_reserve(struct cs_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->failed)
        return -1;
    if (extra > SIZE_MAX - b->len - 1)
        goto fail;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        goto fail;
    b->data = p;
    b->cap = cap;
    return 0;
fail:
    /* a failed buffer holds nothing: no half-built statement can be used */
    cs_buf_set_failed(b);
    return -1;
}

void cs_buf_append(struct cs_buf *b, const void *p, size_t n)
{
    if (cs_buf_reserve(b, n) < 0)
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cs_buf_puts(struct cs_buf *b, const char *s)
{
    cs_buf_append(b, s, strlen(s));
}

void cs_buf_putc(struct cs_buf *b, char c)
{
    if (b->len + 1 < b->cap && !b->failed) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    cs_buf_append(b, &c, 1);
}

void cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (cs_buf_reserve(b, 64) < 0)
        return;
    va_start(ap, fmt);
    n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        if (cs_buf_reserve(b, (size_t)n) < 0)
            return;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void cs_buf_reset(struct cs_buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

void cs_buf_set_failed(struct cs_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 1;
}

int cs_buf_failed(const struct cs_buf *b)
{
    return b->failed;
}

char *cs_buf_detach(struct cs_buf *b)
{
    char *p;

    if (b->failed) {
        cs_buf_release(b);
        return NULL;
    }
    if (!b->data) { /* nothing appended: an empty string, terminated */
        if (cs_buf_reserve(b, 0) < 0)
            return NULL;
        b->data[0] = '\0';
    }
    p = b->data;
    cs_buf_init(b);
    return p;
}
