/*
 * jsonwalk.h - walking a JSON text one member or element at a time, so a
 * reader can take a big array apart without holding its JSON tree -- nor,
 * read from a source, the text: only a window of it.
 *
 * The walker knows only the structure of the containers it is asked to
 * open ('{', '[', ',', ':', the closing bracket, whitespace); every value
 * it hands out is parsed by jansson (fmt_jsonwalk_value, the same grammar as
 * json_loadb: a bad value is refused with jansson's own message) or
 * skipped (fmt_jsonwalk_skip: only its extent is found, nothing is checked:
 * a caller that skips a value must walk or parse it later, from a position
 * it pinned).  Positions are offsets in the whole text; errors carry its
 * line and column ("line 28, column 5: ...").
 *
 * Two forms: over a text in memory (borrowed, must outlive the walker), or
 * over a source (format/source.h, borrowed), read 64 KiB at a time into a
 * window that keeps the bytes from the value being read on -- or from the
 * pinned position, which the window then grows to keep.  The values and
 * keys handed out are the caller's.  Pure; one walker per thread.
 */
#ifndef FMT_JSONWALK_H
#define FMT_JSONWALK_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"

struct json_t;
struct fmt_source;

#define FMT_JSONWALK_WHY 200
#define FMT_JSONWALK_NOPIN ((size_t)-1)

struct fmt_jsonwalk {
    const char *text; /* the window: bytes BASE .. BASE + LEN of the text */
    size_t base, len;
    size_t pos; /* the next byte to look at (an offset in the text) */
    size_t pin; /* kept in the window from here on (NOPIN: none) */
    /* a source's window */
    struct fmt_source *src;
    struct cs_buf buf;
    size_t max; /* the text may not be longer */
    int eof;
    struct cs_error *err;       /* the source's error (why says "read error") */
    size_t line, column;        /* of BASE */
    char why[FMT_JSONWALK_WHY]; /* the last error: "line L, column C: what" */
};

/* Over TEXT (LEN bytes, borrowed).  Nothing to release. */
void fmt_jsonwalk_init(struct fmt_jsonwalk *w, const char *text, size_t len);
/* Over HEAD (HEAD_LEN bytes already read from SRC, copied), then SRC
 * (borrowed): at most MAX bytes in all.  A read error is kept in ERR. */
void fmt_jsonwalk_init_source(struct fmt_jsonwalk *w, const void *head, size_t head_len,
                              struct fmt_source *src, size_t max, struct cs_error *err);
void fmt_jsonwalk_release(struct fmt_jsonwalk *w);
/* 1 when the last error is the source's (in ERR), not the text's. */
int fmt_jsonwalk_read_failed(const struct fmt_jsonwalk *w);
/* The next byte after whitespace ('\0' at the end), not consumed. */
char fmt_jsonwalk_peek(struct fmt_jsonwalk *w);
/* Consume OPEN ('{' or '[') after whitespace and start LV: 0, or -1 (why). */
struct fmt_jsonwalk_level {
    char close;   /* '}' or ']' */
    size_t count; /* items so far */
};
int fmt_jsonwalk_open(struct fmt_jsonwalk *w, char open, struct fmt_jsonwalk_level *lv);
/* The next item of LV: 1 with the walker at its value (for an object *KEY
 * is its key, malloc'd; KEY may be NULL for an array), 0 when LV ended (its
 * closing bracket consumed), -1 on bad text or no memory (why). */
int fmt_jsonwalk_next(struct fmt_jsonwalk *w, struct fmt_jsonwalk_level *lv, char **key);
/* The value at the walker, parsed (a new reference, duplicate keys refused),
 * the walker after it; NULL and why on bad text. */
struct json_t *fmt_jsonwalk_value(struct fmt_jsonwalk *w);
/* Past the value at the walker without parsing it: 0, or -1 (why) when it
 * does not end. */
int fmt_jsonwalk_skip(struct fmt_jsonwalk *w);
/* 0 when only whitespace is left, else -1 (why). */
int fmt_jsonwalk_end(struct fmt_jsonwalk *w);
/* why = "line L, column C: WHAT" for the byte at POS (in the window). */
void fmt_jsonwalk_fail(struct fmt_jsonwalk *w, size_t pos, const char *what);

#endif
