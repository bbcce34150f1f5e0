/*
 * bounds_v1.h - reading the chunk bounds of a format-version-1 dump.
 *
 * csdump 1 recorded each chunk's bounds as SQL text: "lower"/"upper" the key
 * values as literals joined by ", " (and "where", a predicate built from
 * them, which nothing reads).  That text is untrusted and never sent to a
 * server: it is tokenized (load/sqltok.h) and must be exactly the literal
 * forms csdump 1 wrote for the key column's kind (format/coltype.h):
 *   number, float, bit   -?digits[.digits][e[+-]digits]
 *   binary               0xHEX, or X'' (empty)
 *   string               _charset 0xHEX / _charset X'' (a column with a
 *                        character set), or 'date/time text' (without one)
 *   utf8text             'UUID or INET text'
 * one per key column, nothing else (no comment, no other token, no quote
 * or backslash inside a quoted value).  Each becomes a typed value
 * (format/bound.h): the lower bound closed, the upper open, as csdump 1
 * read them.  Anything else is refused naming the chunk file.
 * Pure; thread-safe on distinct manifests.
 */
#ifndef LOAD_BOUNDS_V1_H
#define LOAD_BOUNDS_V1_H

#include "common/error.h"
#include "format/manifest.h"

/* For a version-1 M (from NAME, for messages): every chunk's v1_lower /
 * v1_upper into lo / hi (the text freed).  Any other version: nothing to
 * do.  0, or -1 with ERR (CS_ERR_HOSTILE naming the chunk file). */
int load_bounds_v1(struct fmt_manifest *m, const char *name, struct cs_error *err);
/* M with load_bounds_v1 done; NULL (M freed) when it fails or M is NULL.
 * Takes M. */
struct fmt_manifest *load_bounds_v1_take(struct fmt_manifest *m, const char *name,
                                         struct cs_error *err);
/* TEXT as the bound of T's key (CLOSED or not): 0 and *OUT, or -1 with *WHY
 * (a static string) saying what was found. */
int load_bounds_v1_parse(const struct fmt_table *t, const char *text, int closed,
                         struct fmt_bound **out, const char **why);

#endif
