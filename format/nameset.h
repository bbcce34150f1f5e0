/*
 * nameset.h - a set of names (open addressing on XXH3 hashes): constant
 * time to add a name or ask for one, whatever the count.  The set owns
 * copies of its names.  One thread at a time.
 */
#ifndef FMT_NAMESET_H
#define FMT_NAMESET_H

#include <stddef.h>

struct fmt_name_set {
    char **names;
    size_t cap, n;
};

#define FMT_NAME_SET_INIT                                                                          \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* 1 when NAME is new (added), 0 when it was there, -1 out of memory. */
int fmt_name_set_insert(struct fmt_name_set *s, const char *name);
int fmt_name_set_has(const struct fmt_name_set *s, const char *name);
void fmt_name_set_release(struct fmt_name_set *s);

#endif
