/*
 * sqltok.h - the tokens of one SQL statement, as the server's lexer sees
 * them, for rewriting DDL without touching identifiers, strings or comments.
 *
 * Every byte of the text belongs to exactly one token, so copying the
 * tokens' bytes back gives the text unchanged.  Kinds:
 *   space      blanks, tabs, newlines
 *   comment    "-- x" (dash dash blank), "# x", and plain slash-star comments
 *   versioned  executable comments: slash-star-bang [NNNNN[N]] body star-slash
 *              and MariaDB's slash-star-M-bang NNNNNN body star-slash; the
 *              version (0 when none), the M flag and the body's span are kept
 *   word       keywords, bare identifiers and numbers ([A-Za-z0-9_$] and any
 *              byte >= 0x80)
 *   ident      `quoted` identifier (doubled backticks inside)
 *   string     'x' or "x" (doubled quotes; backslash escapes unless the
 *              statement was written under NO_BACKSLASH_ESCAPES)
 *   punct      any other single byte: ( ) , = ; . @ ...
 * An unterminated string, identifier or comment runs to the end of the text
 * and is marked open.  Pure; thread-safe; the token list is owned by the
 * caller (load_sqltok_release).
 */
#ifndef LOAD_SQLTOK_H
#define LOAD_SQLTOK_H

#include <stddef.h>

enum load_tok_kind {
    LOAD_TOK_SPACE = 0,
    LOAD_TOK_COMMENT,
    LOAD_TOK_VERSIONED,
    LOAD_TOK_WORD,
    LOAD_TOK_IDENT,
    LOAD_TOK_STRING,
    LOAD_TOK_PUNCT,
};

struct load_tok {
    enum load_tok_kind kind;
    size_t off, len; /* bytes of the text */
    int open;        /* unterminated */
    /* LOAD_TOK_VERSIONED only */
    unsigned long version;     /* 0: executed by every server */
    int mariadb_only;          /* slash-star-M-bang */
    size_t body_off, body_len; /* between the version and the closing star-slash */
};

struct load_toks {
    struct load_tok *v;
    size_t n, cap;
};

/* Tokens of TEXT[start, end) appended to OUT (offsets are into TEXT);
 * BACKSLASH: backslash escapes inside strings.  0, or -1 out of memory. */
int load_sqltok_split(const char *text, size_t start, size_t end, int backslash,
                      struct load_toks *out);
void load_sqltok_release(struct load_toks *t);
/* Token T of TEXT is the word W (ASCII case-insensitive). */
int load_sqltok_is(const char *text, const struct load_tok *t, const char *w);
/* Token T is a word made of digits only. */
int load_sqltok_is_number(const char *text, const struct load_tok *t);
/* Whether text written in a session with SQL_MODE (NULL = unknown: the
 * default) treats backslashes in strings as escapes: the BACKSLASH argument
 * of load_sqltok_split.  The one home of this rule. */
int load_sqltok_backslash(const char *sql_mode);
/* Significant: not space, not a plain comment. */
int load_sqltok_significant(const struct load_tok *t);

#endif
