/*
 * jsonwalk.h - walking a JSON text one member or element at a time, so a
 * reader can take a big array apart without holding its JSON tree.
 *
 * The walker knows only the structure of the containers it is asked to
 * open ('{', '[', ',', ':', the closing bracket, whitespace); every value
 * it hands out is parsed by jansson (fmt_jsonwalk_value, the same grammar as
 * json_loadb: a bad value is refused with jansson's own message) or
 * skipped (fmt_jsonwalk_skip: only its extent is found, nothing is checked:
 * a caller that skips a value must walk or parse it later).  Errors carry
 * the position in the whole text ("line 28, column 5: ...").  The text is
 * borrowed and must outlive the walker; no allocation but the values and
 * keys handed out.  Pure; one walker per thread.
 */
#ifndef FMT_JSONWALK_H
#define FMT_JSONWALK_H

#include <stddef.h>

struct json_t;

#define FMT_JSONWALK_WHY 200

struct fmt_jsonwalk {
    const char *text;
    size_t len;
    size_t pos;                 /* the next byte to look at */
    char why[FMT_JSONWALK_WHY]; /* the last error: "line L, column C: what" */
};

/* A container being walked: its kind and how many items came so far. */
struct fmt_jsonwalk_level {
    char close; /* '}' or ']' */
    size_t count;
};

void fmt_jsonwalk_init(struct fmt_jsonwalk *w, const char *text, size_t len);
/* The next byte after whitespace ('\0' at the end), not consumed. */
char fmt_jsonwalk_peek(struct fmt_jsonwalk *w);
/* Consume OPEN ('{' or '[') after whitespace and start LV: 0, or -1 (why). */
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
/* why = "line L, column C: WHAT" for the byte at POS. */
void fmt_jsonwalk_fail(struct fmt_jsonwalk *w, size_t pos, const char *what);

#endif
