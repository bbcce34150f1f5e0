#include "format/nameset.h"

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

static size_t slot_of(const char *name, size_t cap)
{
    return (size_t)XXH3_64bits(name, strlen(name)) & (cap - 1);
}

static int grow(struct fmt_name_set *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    char **t = calloc(cap, sizeof(char *));

    if (!t)
        return -1;
    for (size_t i = 0; i < s->cap; i++) {
        size_t k;
        if (!s->names[i])
            continue;
        for (k = slot_of(s->names[i], cap); t[k]; k = (k + 1) & (cap - 1))
            ;
        t[k] = s->names[i];
    }
    free(s->names);
    s->names = t;
    s->cap = cap;
    return 0;
}

int fmt_name_set_insert(struct fmt_name_set *s, const char *name)
{
    if (s->n * 2 >= s->cap && grow(s) < 0)
        return -1;
    for (size_t k = slot_of(name, s->cap);; k = (k + 1) & (s->cap - 1)) {
        if (!s->names[k]) {
            if (!(s->names[k] = strdup(name)))
                return -1;
            s->n++;
            return 1;
        }
        if (!strcmp(s->names[k], name))
            return 0;
    }
}

int fmt_name_set_has(const struct fmt_name_set *s, const char *name)
{
    if (!s->cap)
        return 0;
    for (size_t k = slot_of(name, s->cap); s->names[k]; k = (k + 1) & (s->cap - 1))
        if (!strcmp(s->names[k], name))
            return 1;
    return 0;
}

void fmt_name_set_release(struct fmt_name_set *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->names[i]);
    free(s->names);
    s->names = NULL;
    s->cap = s->n = 0;
}
