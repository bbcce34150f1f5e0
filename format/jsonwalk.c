#include "format/jsonwalk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "format/source.h"

#define READ_SIZE (64u * 1024)
#define READ_FAILED "read error"

void fmt_jsonwalk_init(struct fmt_jsonwalk *w, const char *text, size_t len)
{
    memset(w, 0, sizeof(*w));
    w->text = text;
    w->len = len;
    w->pin = FMT_JSONWALK_NOPIN;
    w->eof = 1;
    w->line = w->column = 1;
}

void fmt_jsonwalk_init_source(struct fmt_jsonwalk *w, const void *head, size_t head_len,
                              struct fmt_source *src, size_t max, struct cs_error *err)
{
    fmt_jsonwalk_init(w, NULL, 0);
    w->src = src;
    w->max = max;
    w->err = err;
    w->eof = 0;
    cs_buf_append(&w->buf, head, head_len);
    w->text = w->buf.data;
    w->len = w->buf.len;
}

void fmt_jsonwalk_release(struct fmt_jsonwalk *w)
{
    cs_buf_release(&w->buf);
    w->text = NULL;
    w->len = 0;
}

int fmt_jsonwalk_read_failed(const struct fmt_jsonwalk *w)
{
    return strcmp(w->why, READ_FAILED) == 0;
}

/* Line and column of BASE moved past the N bytes at S. */
static void count(size_t *line, size_t *column, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *column = 1;
        } else if (((unsigned char)s[i] & 0xc0) != 0x80) { /* characters, as jansson */
            (*column)++;
        }
    }
}

void fmt_jsonwalk_fail(struct fmt_jsonwalk *w, size_t pos, const char *what)
{
    size_t line = w->line, column = w->column;

    if (pos > w->base + w->len)
        pos = w->base + w->len;
    if (pos > w->base)
        count(&line, &column, w->text, pos - w->base);
    snprintf(w->why, sizeof(w->why), "line %zu, column %zu: %s", line, column, what);
}

/* More of the source into the window, the bytes before the value being read
 * (or the pin) dropped: 1, 0 at its end, -1 (why) on a read error. */
static int fill(struct fmt_jsonwalk *w, size_t from)
{
    size_t keep = from < w->pin ? from : w->pin, drop;
    ssize_t n;

    if (w->eof)
        return 0;
    drop = keep - w->base;
    if (drop >= w->buf.len / 2 && drop) {
        count(&w->line, &w->column, w->buf.data, drop);
        memmove(w->buf.data, w->buf.data + drop, w->buf.len - drop);
        w->buf.len -= drop;
        w->base += drop;
    }
    if (cs_buf_reserve(&w->buf, READ_SIZE) < 0) {
        snprintf(w->why, sizeof(w->why), "out of memory");
        return -1;
    }
    n = fmt_source_read(w->src, w->buf.data + w->buf.len, READ_SIZE, w->err);
    if (n < 0) {
        snprintf(w->why, sizeof(w->why), READ_FAILED);
        return -1;
    }
    w->buf.len += (size_t)n;
    w->text = w->buf.data;
    w->len = w->buf.len;
    if (w->base + w->len > w->max) {
        cs_error_set(w->err, CS_ERR_FORMAT, "larger than it can be (%zu bytes)", w->max);
        snprintf(w->why, sizeof(w->why), READ_FAILED);
        return -1;
    }
    w->eof = n == 0;
    return n > 0;
}

/* The byte at AT (an offset), reading on as need be, the window kept from
 * FROM: 1 with *C, 0 past the end, -1 (why). */
static int byte_read(struct fmt_jsonwalk *w, size_t at, size_t from, char *c)
{
    int rc;

    while (at >= w->base + w->len)
        if ((rc = fill(w, from)) <= 0)
            return rc;
    *c = w->text[at - w->base];
    return 1;
}

static inline int byte_at(struct fmt_jsonwalk *w, size_t at, size_t from, char *c)
{
    if (at - w->base < w->len) { /* in the window: the common case */
        *c = w->text[at - w->base];
        return 1;
    }
    return byte_read(w, at, from, c);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Past whitespace: 1 at a byte (*C), 0 at the end, -1. */
static int skip_ws(struct fmt_jsonwalk *w, char *c)
{
    int rc;

    while ((rc = byte_at(w, w->pos, w->pos, c)) == 1 && is_ws(*c))
        w->pos++;
    return rc;
}

char fmt_jsonwalk_peek(struct fmt_jsonwalk *w)
{
    char c = '\0';

    return skip_ws(w, &c) == 1 ? c : '\0';
}

/* Consume C after whitespace: 0, or -1 naming WHAT was expected. */
static int expect(struct fmt_jsonwalk *w, char c, const char *what)
{
    char got;
    int rc = skip_ws(w, &got);

    if (rc < 0)
        return -1;
    if (rc == 0 || got != c) {
        fmt_jsonwalk_fail(w, w->pos, what);
        return -1;
    }
    w->pos++;
    return 0;
}

int fmt_jsonwalk_open(struct fmt_jsonwalk *w, char open, struct fmt_jsonwalk_level *lv)
{
    lv->close = open == '{' ? '}' : ']';
    lv->count = 0;
    return expect(w, open, open == '{' ? "'{' expected" : "'[' expected");
}

/* Past the string whose opening quote is at *AT (from FROM on kept). */
static int skip_string(struct fmt_jsonwalk *w, size_t *at, size_t from)
{
    char c;
    int rc;

    for (size_t i = *at + 1;; i++) {
        if ((rc = byte_at(w, i, from, &c)) <= 0)
            break;
        if (c == '\\') {
            i++;
        } else if (c == '"') {
            *at = i + 1;
            return 0;
        }
    }
    if (rc == 0)
        fmt_jsonwalk_fail(w, w->base + w->len, "premature end of input in a string");
    return -1;
}

/* *END = the end of the value at the walker (after whitespace), its bytes
 * in the window. */
static int extent(struct fmt_jsonwalk *w, size_t *end)
{
    size_t depth = 0, at;
    char c;
    int rc = skip_ws(w, &c);

    if (rc <= 0) {
        if (rc == 0)
            fmt_jsonwalk_fail(w, w->pos, "premature end of input");
        return -1;
    }
    at = w->pos;
    if (c != '{' && c != '[' && c != '"') { /* a scalar: up to a delimiter or the end */
        while ((rc = byte_at(w, at, w->pos, &c)) == 1 && !strchr(",]} \t\r\n", c) && c)
            at++;
        *end = at;
        return rc < 0 ? -1 : 0;
    }
    while ((rc = byte_at(w, at, w->pos, &c)) == 1) {
        if (c == '"') {
            if (skip_string(w, &at, w->pos) < 0)
                return -1;
            if (depth == 0)
                break;
            continue;
        }
        at++;
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            break;
    }
    if (rc < 0)
        return -1;
    if (rc == 0) {
        fmt_jsonwalk_fail(w, w->base + w->len, "premature end of input");
        return -1;
    }
    *end = at;
    return 0;
}

json_t *fmt_jsonwalk_value(struct fmt_jsonwalk *w)
{
    json_error_t jerr;
    size_t end;
    json_t *v;

    if (extent(w, &end) < 0)
        return NULL;
    v = json_loadb(w->text + (w->pos - w->base), end - w->pos,
                   JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!v) {
        fmt_jsonwalk_fail(w, w->pos + (jerr.position > 0 ? (size_t)jerr.position : 0), jerr.text);
        return NULL;
    }
    w->pos = end;
    return v;
}

int fmt_jsonwalk_skip(struct fmt_jsonwalk *w)
{
    size_t end;

    if (extent(w, &end) < 0)
        return -1;
    w->pos = end;
    return 0;
}

/* The key at the walker, then its ':'. */
static int read_key(struct fmt_jsonwalk *w, char **key)
{
    json_t *k;

    if (fmt_jsonwalk_peek(w) != '"') {
        if (!fmt_jsonwalk_read_failed(w))
            fmt_jsonwalk_fail(w, w->pos, "string or '}' expected");
        return -1;
    }
    k = fmt_jsonwalk_value(w);
    if (!k)
        return -1;
    *key = strdup(json_string_value(k));
    json_decref(k);
    if (!*key) {
        snprintf(w->why, sizeof(w->why), "out of memory");
        return -1;
    }
    if (expect(w, ':', "':' expected") < 0) {
        free(*key);
        *key = NULL;
        return -1;
    }
    return 0;
}

int fmt_jsonwalk_next(struct fmt_jsonwalk *w, struct fmt_jsonwalk_level *lv, char **key)
{
    char c;
    int rc = skip_ws(w, &c);

    if (key)
        *key = NULL;
    if (rc < 0)
        return -1;
    if (rc == 1 && c == lv->close) {
        w->pos++;
        return 0;
    }
    if (lv->count &&
        expect(w, ',', lv->close == '}' ? "',' or '}' expected" : "',' or ']' expected") < 0)
        return -1;
    lv->count++;
    if (lv->close == '}')
        return read_key(w, key) < 0 ? -1 : 1;
    if (fmt_jsonwalk_peek(w) == ']') { /* "[1,]" */
        fmt_jsonwalk_fail(w, w->pos, "value expected");
        return -1;
    }
    return 1;
}

int fmt_jsonwalk_end(struct fmt_jsonwalk *w)
{
    char c;
    int rc = skip_ws(w, &c);

    if (rc == 0)
        return 0;
    if (rc == 1)
        fmt_jsonwalk_fail(w, w->pos, "end of file expected");
    return -1;
}
