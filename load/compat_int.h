/*
 * compat_int.h - inside the statement rewriter of load/compat.h, shared by
 * compat_ddl.c (tokens, regions, edits) and compat_rules.c (the policy's
 * DDL tables and what each rule does).  Not for other modules.
 *
 * The statement is tokenized; executable comments both servers run are
 * opened and their tokens take the comment's place ("flat" tokens), while a
 * comment only one side runs stays one token for the hidden-clause rules.
 * A CREATE TABLE is cut into regions: the head, each definition between the
 * outer parentheses, then the table options; any other statement is one
 * region.  Rules look at the tokens of one region; what they change becomes
 * an edit (a byte range of the original text and its replacement), applied
 * once at the end: bytes no edit covers are copied unchanged.
 */
#ifndef LOAD_COMPAT_INT_H
#define LOAD_COMPAT_INT_H

#include "load/compat.h"
#include "load/sqltok.h"

/* Where a clause stands. */
enum {
    LOAD_CTX_HEAD = 1,
    LOAD_CTX_COLUMN = 2,
    LOAD_CTX_INDEX = 4,
    LOAD_CTX_CHECK = 8,
    LOAD_CTX_OPTIONS = 16,
    LOAD_CTX_OTHER = 32,
    LOAD_CTX_STATEMENT = 64,
};

struct load_compat_edit {
    size_t off, len, seq;
    char *with; /* NULL: delete */
};

struct load_compat_region {
    size_t a, b; /* flat tokens [a, b) */
    unsigned ctx;
    char label[160]; /* "column `p`"; "" for a whole statement */
    size_t type_end; /* a column: the byte after its type and the type's arguments */
    int dropped;
};

/* Collation changes of one statement, counted. */
struct load_compat_coll {
    char from[64], to[64];
    const char *why;
    unsigned count;
};

struct load_compat_rw {
    const struct load_compat_policy *p;
    const char *s;
    int backslash;
    struct load_tok *f; /* flat significant tokens */
    size_t *box;        /* per flat token: 0, or 1 + the offset of the comment holding it */
    size_t nf, capf;
    struct load_compat_edit *ed;
    size_t ned, caped;
    struct load_compat_coll coll[16];
    size_t ncoll;
    struct load_compat_result *out;
    int oom;
};

/* compat_ddl.c */
int load_compat_rw_source_runs(const struct load_compat_rw *w, const struct load_tok *t);
int load_compat_rw_target_runs(const struct load_compat_rw *w, const struct load_tok *t);
int load_compat_rw_punct(const struct load_compat_rw *w, size_t i, char c);
int load_compat_rw_word(const struct load_compat_rw *w, size_t i, const char *word);
size_t load_compat_rw_matching(const struct load_compat_rw *w, size_t i, size_t end);
/* How many of TOKS[i..n) pattern P spans; 0 when it does not match there. */
size_t load_compat_rw_match(const char *text, const struct load_tok *toks, size_t n, size_t i,
                            const char *p);
int load_compat_rw_region_has(const struct load_compat_rw *w, const struct load_compat_region *r,
                              const char *pattern);
void load_compat_rw_edit(struct load_compat_rw *w, size_t off, size_t len, const char *with);
/* Deletes flat tokens [i, i+n) and the blanks before them. */
void load_compat_rw_delete(struct load_compat_rw *w, size_t i, size_t n);
/* The text of flat tokens [i, i+n), cut to fit. */
void load_compat_rw_text(const struct load_compat_rw *w, size_t i, size_t n, char *out,
                         size_t size);
void load_compat_rw_say(struct load_compat_list *l, const struct load_compat_region *r,
                        const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *load_compat_rw_target(const struct load_compat_rw *w);

/* compat_rules.c: the definitions to drop, then every rule on one region. */
void load_compat_rules_drops(struct load_compat_rw *w, struct load_compat_region *v, size_t n);
void load_compat_rules_region(struct load_compat_rw *w, struct load_compat_region *r);
/* The statement's collation changes, one line per pair. */
void load_compat_rules_finish(struct load_compat_rw *w);

#endif
