#include "format/jsonwalk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

void fmt_jsonwalk_init(struct fmt_jsonwalk *w, const char *text, size_t len)
{
    memset(w, 0, sizeof(*w));
    w->text = text;
    w->len = len;
}

void fmt_jsonwalk_fail(struct fmt_jsonwalk *w, size_t pos, const char *what)
{
    size_t line = 1, column = 1;

    if (pos > w->len)
        pos = w->len;
    for (size_t i = 0; i < pos; i++) {
        if (w->text[i] == '\n') {
            line++;
            column = 1;
        } else if (((unsigned char)w->text[i] & 0xc0) != 0x80) { /* characters, as jansson */
            column++;
        }
    }
    snprintf(w->why, sizeof(w->why), "line %zu, column %zu: %s", line, column, what);
}

static void skip_ws(struct fmt_jsonwalk *w)
{
    while (w->pos < w->len && strchr(" \t\r\n", w->text[w->pos]) && w->text[w->pos])
        w->pos++;
}

char fmt_jsonwalk_peek(struct fmt_jsonwalk *w)
{
    skip_ws(w);
    return w->pos < w->len ? w->text[w->pos] : '\0';
}

/* Consume C after whitespace: 0, or -1 naming WHAT was expected. */
static int expect(struct fmt_jsonwalk *w, char c, const char *what)
{
    if (fmt_jsonwalk_peek(w) != c || w->pos >= w->len) {
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

json_t *fmt_jsonwalk_value(struct fmt_jsonwalk *w)
{
    json_error_t jerr;
    json_t *v;

    skip_ws(w);
    v = json_loadb(w->text + w->pos, w->len - w->pos,
                   JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &jerr);
    if (!v) {
        fmt_jsonwalk_fail(w, w->pos + (jerr.position > 0 ? (size_t)jerr.position : 0), jerr.text);
        return NULL;
    }
    w->pos += (size_t)jerr.position;
    return v;
}

/* The key at the walker, then its ':'. */
static int read_key(struct fmt_jsonwalk *w, char **key)
{
    json_t *k;

    if (fmt_jsonwalk_peek(w) != '"') {
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
    char c = fmt_jsonwalk_peek(w);

    if (key)
        *key = NULL;
    if (c == lv->close && w->pos < w->len) {
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

/* Past the string whose opening quote is at the walker. */
static int skip_string(struct fmt_jsonwalk *w)
{
    for (size_t i = w->pos + 1; i < w->len; i++) {
        if (w->text[i] == '\\')
            i++;
        else if (w->text[i] == '"') {
            w->pos = i + 1;
            return 0;
        }
    }
    fmt_jsonwalk_fail(w, w->len, "premature end of input in a string");
    return -1;
}

int fmt_jsonwalk_skip(struct fmt_jsonwalk *w)
{
    size_t depth = 0;
    char c = fmt_jsonwalk_peek(w);

    if (c != '{' && c != '[' && c != '"') { /* a scalar */
        while (w->pos < w->len && !strchr(",]} \t\r\n", w->text[w->pos]))
            w->pos++;
        return 0;
    }
    while (w->pos < w->len) {
        c = w->text[w->pos];
        if (c == '"') {
            if (skip_string(w) < 0)
                return -1;
            if (depth == 0)
                return 0;
            continue;
        }
        w->pos++;
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            return 0;
    }
    fmt_jsonwalk_fail(w, w->len, "premature end of input");
    return -1;
}

int fmt_jsonwalk_end(struct fmt_jsonwalk *w)
{
    skip_ws(w);
    if (w->pos == w->len)
        return 0;
    fmt_jsonwalk_fail(w, w->pos, "end of file expected");
    return -1;
}
