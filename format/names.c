#include "format/names.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <xxhash.h>

#define NAME_MAX_ENCODED 96

static int name_keep(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* An empty identifier (not legal SQL, but possible in a hostile manifest)
 * becomes a lone "%", which no non-empty identifier can encode to. */
void fmt_name_encode(struct cs_buf *b, const char *ident)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)(ident ? ident : "");
    size_t start = b->len;

    if (!*p) {
        cs_buf_putc(b, '%');
        return;
    }
    for (; *p; p++) {
        if (name_keep(*p)) {
            cs_buf_putc(b, (char)*p);
            continue;
        }
        cs_buf_putc(b, '%');
        cs_buf_putc(b, hex[*p >> 4]);
        cs_buf_putc(b, hex[*p & 0xf]);
    }
    if (cs_buf_failed(b) || b->len - start <= NAME_MAX_ENCODED)
        return;
    b->len = start + NAME_MAX_ENCODED;
    b->data[b->len] = '\0';
    cs_buf_printf(b, "~%016" PRIx64, (uint64_t)XXH3_64bits(ident, strlen(ident)));
}

char *fmt_name_file(const char *db, const char *obj, const char *suffix)
{
    struct cs_buf b = CS_BUF_INIT;

    fmt_name_encode(&b, db);
    if (obj) {
        cs_buf_putc(&b, '.');
        fmt_name_encode(&b, obj);
    }
    if (suffix)
        cs_buf_puts(&b, suffix);
    return cs_buf_detach(&b);
}

/* Digits ending at END (exclusive), after a '.': returns the '.' or NULL. */
static const char *digits_before(const char *start, const char *end)
{
    const char *p = end;

    while (p > start && p[-1] >= '0' && p[-1] <= '9')
        p--;
    return p < end && p - 1 > start && p[-1] == '.' ? p - 1 : NULL;
}

int fmt_name_is_chunk(const char *name)
{
    static const char *const exts[] = {".tsv.zst", ".sql.zst", ".tsv", ".sql"};
    size_t n = strlen(name);

    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t k = strlen(exts[i]);
        const char *sub, *unit;
        if (n <= k || strcmp(name + n - k, exts[i]))
            continue;
        sub = digits_before(name, name + n - k);
        unit = sub ? digits_before(name, sub) : NULL;
        return unit != NULL;
    }
    return 0;
}
