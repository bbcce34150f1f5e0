#include "common/pattern.h"

#include <string.h>

static int is_star(char c)
{
    return c == '%' || c == '*';
}

/* PATTERN[0, plen) matches T whole. */
static int glob_n(const char *p, size_t plen, const char *t)
{
    const char *end = p + plen, *star_p = NULL, *star_t = NULL;

    while (*t) {
        if (p < end && is_star(*p)) {
            star_p = ++p;
            star_t = t;
            continue;
        }
        if (p + 1 < end && *p == '\\') {
            if (p[1] == *t) {
                p += 2;
                t++;
                continue;
            }
        } else if (p < end && *p == *t) {
            p++;
            t++;
            continue;
        }
        if (!star_p)
            return 0;
        p = star_p;
        t = ++star_t;
    }
    while (p < end && is_star(*p))
        p++;
    return p == end;
}

int cs_pattern_glob(const char *pattern, const char *text)
{
    return glob_n(pattern, strlen(pattern), text);
}

/* The next separator C of P at or after P that is not escaped, or NULL. */
static const char *next_sep(const char *p, char c)
{
    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == c)
            return p;
    }
    return NULL;
}

int cs_pattern_table(const char *p, const char *schema, const char *name)
{
    for (const char *dot = next_sep(p, '.'); dot; dot = next_sep(dot + 1, '.'))
        if (glob_n(p, (size_t)(dot - p), schema) && (!name || cs_pattern_glob(dot + 1, name)))
            return 1;
    return 0;
}

int cs_pattern_account(const char *pattern, const char *user, const char *host)
{
    const char *at = NULL;

    for (const char *q = next_sep(pattern, '@'); q; q = next_sep(q + 1, '@'))
        at = q;
    if (!at)
        return cs_pattern_glob(pattern, user);
    return glob_n(pattern, (size_t)(at - pattern), user) && cs_pattern_glob(at + 1, host);
}

int cs_pattern_has_table(const char *pattern)
{
    const char *dot = next_sep(pattern, '.');

    return dot && dot != pattern && dot[1];
}
