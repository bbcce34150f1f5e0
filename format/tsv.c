#include "format/tsv.h"
#include "format/readbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif


/* Byte -> the letter after the backslash, 0 for bytes written as is. */
static const unsigned char tsv_esc[256] = {
    [0x00] = '0', [0x08] = 'b', ['\n'] = 'n',  ['\r'] = 'r',
    ['\t'] = 't', [0x1a] = 'Z', ['\\'] = '\\',
};

/* Letter after a backslash -> byte; '0' is NUL; 0 here: the letter itself. */
static const unsigned char tsv_unesc[256] = {
    ['b'] = 0x08, ['n'] = '\n', ['r'] = '\r', ['t'] = '\t', ['Z'] = 0x1a,
};

/* Bytes that stop the decoder's fast scan inside a line. */
static const unsigned char tsv_stop[256] = {['\t'] = 1, ['\\'] = 1};

/* ---- encoder ------------------------------------------------------------ */

/* How many leading bytes of S need no escape: 16 at a time with SSE2 (every
 * x86-64 has it), a byte at a time elsewhere and for the tail. */
static size_t plain_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    const __m128i nul = _mm_setzero_si128(), bs = _mm_set1_epi8(0x08), tab = _mm_set1_epi8('\t'),
                  nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), eof = _mm_set1_epi8(0x1a),
                  esc = _mm_set1_epi8('\\');

    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, nul), _mm_cmpeq_epi8(v, bs)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, nl))),
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, eof)),
                         _mm_cmpeq_epi8(v, esc)));
        int bits = _mm_movemask_epi8(m);
        if (bits)
            return i + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    while (i < n && !tsv_esc[s[i]])
        i++;
    return i;
}

/* Writes the escaped form of S at DST (room for 2*len bytes); returns the end. */
static char *escape_into(char *dst, const unsigned char *s, size_t len)
{
    const unsigned char *end = s + len;

    while (s < end) {
        size_t k = plain_run(s, (size_t)(end - s));
        memcpy(dst, s, k);
        dst += k;
        s += k;
        if (s < end) {
            *dst++ = '\\';
            *dst++ = (char)tsv_esc[*s++];
        }
    }
    return dst;
}

/* Writes one field (no separator) at DST; returns the end. */
static char *field_into(char *dst, const char *val, size_t len)
{
    if (!val) {
        dst[0] = '\\';
        dst[1] = 'N';
        return dst + 2;
    }
    return escape_into(dst, (const unsigned char *)val, len);
}

/* Room for the worst case of a field plus its separator. */
static int add_room(size_t *total, size_t len)
{
    if (len > (SIZE_MAX - *total - 3) / 2)
        return -1;
    *total += 2 * len + 3; /* escaped bytes, or \N; separator */
    return 0;
}

void fmt_tsv_append_field(struct cs_buf *b, const char *val, size_t len)
{
    size_t room = 0;
    char *end;

    if (add_room(&room, val ? len : 0) < 0) {
        b->failed = 1;
        return;
    }
    if (cs_buf_reserve(b, room) < 0)
        return;
    end = field_into(b->data + b->len, val, len);
    b->len = (size_t)(end - b->data);
    b->data[b->len] = '\0';
}

void fmt_tsv_append_row(struct cs_buf *b, char **vals, const unsigned long *lens, unsigned n)
{
    size_t room = 1;
    unsigned i;
    char *p;

    for (i = 0; i < n; i++) {
        if (add_room(&room, vals[i] ? (size_t)lens[i] : 0) < 0) {
            b->failed = 1;
            return;
        }
    }
    if (cs_buf_reserve(b, room) < 0)
        return;
    p = b->data + b->len;
    for (i = 0; i < n; i++) {
        if (i)
            *p++ = '\t';
        p = field_into(p, vals[i], (size_t)lens[i]);
    }
    *p++ = '\n';
    b->len = (size_t)(p - b->data);
    b->data[b->len] = '\0';
}

/* ---- reader ------------------------------------------------------------- */

struct fmt_tsv_reader {
    struct fmt_readbuf rb;
    size_t pos;      /* start of the current line */
    size_t scan;     /* where the search for its end resumes */
    char **vals;
    size_t *lens;
    unsigned nfields, maxfields;
};

struct fmt_tsv_reader *fmt_tsv_reader_new(struct fmt_source *src, const char *name,
                                          struct cs_error *err)
{
    struct fmt_tsv_reader *r = calloc(1, sizeof(*r));

    if (!r) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s", name ? name : "tsv input");
        return NULL;
    }
    if (fmt_readbuf_init(&r->rb, src, name, "tsv input", err) < 0) {
        free(r);
        return NULL;
    }
    return r;
}

void fmt_tsv_reader_free(struct fmt_tsv_reader *r)
{
    if (!r)
        return;
    fmt_readbuf_release(&r->rb);
    free(r->vals);
    free(r->lens);
    free(r);
}

/* Moves the current line to the front, then reads more. */
static int refill(struct fmt_tsv_reader *r, struct cs_error *err)
{
    size_t keep = r->pos;

    r->scan -= keep;
    r->pos = 0;
    return fmt_readbuf_fill(&r->rb, keep, "line", err);
}

/* Offset of the '\n' ending the current line, or SIZE_MAX if not in the
 * buffer yet.  A newline after an odd run of backslashes is escaped. */
static size_t find_line_end(struct fmt_tsv_reader *r)
{
    const char *nl;
    size_t at, k;

    while (r->scan < r->rb.len) {
        nl = memchr(r->rb.buf + r->scan, '\n', r->rb.len - r->scan);
        if (!nl) {
            r->scan = r->rb.len;
            break;
        }
        at = (size_t)(nl - r->rb.buf);
        for (k = at; k > r->pos && r->rb.buf[k - 1] == '\\'; k--)
            ;
        r->scan = at + 1;
        if ((at - k) % 2 == 0)
            return at;
    }
    return SIZE_MAX;
}

static int push_field(struct fmt_tsv_reader *r, char *val, size_t len)
{
    unsigned cap;
    char **v;
    size_t *l;

    if (r->nfields == r->maxfields) {
        cap = r->maxfields ? r->maxfields * 2 : 16;
        if (cap < r->maxfields)
            return -1;
        v = realloc(r->vals, cap * sizeof(*v));
        if (!v)
            return -1;
        r->vals = v;
        l = realloc(r->lens, cap * sizeof(*l));
        if (!l)
            return -1;
        r->lens = l;
        r->maxfields = cap;
    }
    r->vals[r->nfields] = val;
    r->lens[r->nfields] = len;
    r->nfields++;
    return 0;
}

/* Decodes the field at S in place up to END or an unescaped tab; NUL-terminates
 * it.  Returns where the raw field ends (END or the tab); *LEN gets its length. */
static char *decode_field(char *s, char *end, size_t *len)
{
    char *dst = s, *run, *start = s;
    unsigned char c;

    for (;;) {
        run = s;
        while (s < end && !tsv_stop[(unsigned char)*s])
            s++;
        if (dst != run)
            memmove(dst, run, (size_t)(s - run));
        dst += s - run;
        if (s == end || *s == '\t')
            break;
        if (s + 1 == end) { /* cannot happen: the newline would be escaped */
            *dst++ = *s++;
            break;
        }
        c = (unsigned char)s[1];
        *dst++ = c == '0' ? '\0' : tsv_unesc[c] ? (char)tsv_unesc[c] : (char)c;
        s += 2;
    }
    *len = (size_t)(dst - start);
    *dst = '\0';
    return s;
}

/* Splits the line [R->pos, EOL) into fields. */
static int split_line(struct fmt_tsv_reader *r, size_t eol, struct cs_error *err)
{
    char *s = r->rb.buf + r->pos, *end = r->rb.buf + eol;
    char *next;
    size_t len;

    r->nfields = 0;
    for (;;) {
        if (end - s >= 2 && s[0] == '\\' && s[1] == 'N' && (end - s == 2 || s[2] == '\t')) {
            next = s + 2;
            if (push_field(r, NULL, 0) < 0)
                goto nomem;
        } else {
            next = decode_field(s, end, &len);
            if (push_field(r, s, len) < 0)
                goto nomem;
        }
        if (next == end)
            break;
        s = next + 1;
    }
    return 0;
nomem:
    return cs_error_set(err, CS_ERR_NOMEM, "out of memory splitting a row of %s", r->rb.name);
}

int fmt_tsv_reader_next(struct fmt_tsv_reader *r, unsigned *n, char ***vals, size_t **lens,
                        struct cs_error *err)
{
    size_t eol;

    for (;;) {
        eol = find_line_end(r);
        if (eol != SIZE_MAX)
            break;
        if (r->rb.eof) {
            if (r->pos == r->rb.len)
                return 0;
            return cs_error_set(err, CS_ERR_TRUNCATED,
                                "%s: the last line has no newline: the file is truncated", r->rb.name);
        }
        if (refill(r, err) < 0)
            return -1;
    }
    if (split_line(r, eol, err) < 0)
        return -1;
    r->pos = r->scan = eol + 1;
    *n = r->nfields;
    *vals = r->vals;
    *lens = r->lens;
    return 1;
}
