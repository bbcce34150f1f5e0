#include "common/quote.h"

#include <string.h>

void cs_quote_ident(struct cs_buf *b, const char *name)
{
    const char *p = name;
    const char *tick;

    cs_buf_putc(b, '`');
    while ((tick = strchr(p, '`'))) {
        cs_buf_append(b, p, (size_t)(tick - p) + 1);
        cs_buf_putc(b, '`');
        p = tick + 1;
    }
    cs_buf_puts(b, p);
    cs_buf_putc(b, '`');
}

void cs_quote_qualified(struct cs_buf *b, const char *schema, const char *name)
{
    cs_quote_ident(b, schema);
    cs_buf_putc(b, '.');
    cs_quote_ident(b, name);
}

char *cs_quote_ident_dup(const char *name)
{
    struct cs_buf b = CS_BUF_INIT;

    cs_quote_ident(&b, name);
    return cs_buf_detach(&b);
}
