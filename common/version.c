#include "common/version.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int has_word(const char *s, const char *word)
{
    return s && strcasestr(s, word) != NULL;
}

/* Reads "A.B.C" (B and C optional) at *p; advances *p past it. */
static int read_triplet(const char **p, unsigned v[3])
{
    char *end;
    int i;

    if (!isdigit((unsigned char)**p))
        return -1;
    for (i = 0; i < 3; i++) {
        unsigned long n = strtoul(*p, &end, 10);
        if (end == *p)
            break;
        v[i] = (unsigned)n;
        *p = end;
        if (**p != '.' || !isdigit((unsigned char)(*p)[1]))
            break;
        (*p)++;
    }
    return 0;
}

int cs_version_parse(const char *version, const char *comment, struct cs_version *v)
{
    const char *p = version;
    unsigned t[3] = {0, 0, 0};

    memset(v, 0, sizeof(*v));
    if (!p)
        return -1;
    while (*p && !isdigit((unsigned char)*p))
        p++;
    v->flavor = has_word(version, "mariadb") || has_word(comment, "mariadb") ? CS_FLAVOR_MARIADB
                                                                             : CS_FLAVOR_MYSQL;
    /* MariaDB sends "5.5.5-10.x.y-MariaDB" in the handshake for old clients. */
    if (v->flavor == CS_FLAVOR_MARIADB && !strncmp(p, "5.5.5-", 6) && isdigit((unsigned char)p[6]))
        p += 6;
    if (read_triplet(&p, t) < 0)
        return -1;
    v->major = t[0];
    v->minor = t[1];
    v->patch = t[2];
    return 0;
}

int cs_version_at_least(const struct cs_version *v, unsigned major, unsigned minor, unsigned patch)
{
    if (v->major != major)
        return v->major > major;
    if (v->minor != minor)
        return v->minor > minor;
    return v->patch >= patch;
}

const char *cs_flavor_name(enum cs_flavor f)
{
    return f == CS_FLAVOR_MARIADB ? "mariadb" : "mysql";
}
