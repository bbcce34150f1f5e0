#include "format/sqlenc.h"
#include "format/jsonval.h"
#include "format/readbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


/* ---- encoder ------------------------------------------------------------ */

static const char sql_header_text[] =
    "-- csdump sql chunk\n"
    "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n"
    "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;\n"
    "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;\n"
    "/*!40101 SET NAMES binary */;\n"
    "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n"
    "/*!40103 SET TIME_ZONE='+00:00' */;\n"
    "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n"
    "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n"
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='";

static const char sql_footer_text[] =
    "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n"
    "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n"
    "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n"
    "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n"
    "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n"
    "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;\n"
    "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;\n";

/* Byte -> the letter after the backslash inside '...', 0 for bytes kept as is. */
static const unsigned char sql_esc[256] = {
    [0x00] = '0', ['\''] = '\'', ['"'] = '"',  ['\\'] = '\\',
    ['\n'] = 'n', ['\r'] = 'r',  [0x1a] = 'Z',
};

static const char hex_digits[] = "0123456789ABCDEF";

/* Copies the cleaned sql_mode word at *P (up to ',' or the end) to B:
 * letters upper-cased, anything but [A-Z0-9_] dropped. */
static void put_mode_word(struct cs_buf *b, const char **p)
{
    const char *s = *p;
    char c;

    for (; *s && *s != ','; s++) {
        c = *s;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
            cs_buf_putc(b, c);
    }
    *p = s;
}

static int word_is(const struct cs_buf *b, size_t at, const char *word)
{
    size_t n = strlen(word);

    return b->len - at == n && memcmp(b->data + at, word, n) == 0;
}

/* Words the load never runs with: our literals use backslash escapes;
 * NO_AUTO_VALUE_ON_ZERO is appended once at the end; the source held every
 * value the dump carries, zero dates included, whatever its mode says now
 * (a MySQL default mode refuses '0000-00-00' stored under a relaxed one).
 * MySQL warns (3135) whenever strict mode and NO_ZERO_DATE, NO_ZERO_IN_DATE,
 * ERROR_FOR_DIVISION_BY_ZERO are not set all together, and a load's
 * warnings are errors: so strict mode goes too (TRADITIONAL would set it
 * again).  Nothing is lost: every way a chunk loads fails on any warning,
 * which is what strict mode turns into errors. */
static const char *const dropped_mode_words[] = {
    "NO_BACKSLASH_ESCAPES",       "NO_AUTO_VALUE_ON_ZERO", "NO_ZERO_DATE",      "NO_ZERO_IN_DATE",
    "ERROR_FOR_DIVISION_BY_ZERO", "STRICT_TRANS_TABLES",   "STRICT_ALL_TABLES", "TRADITIONAL",
};

static int mode_word_dropped(const struct cs_buf *b, size_t at)
{
    for (size_t i = 0; i < sizeof(dropped_mode_words) / sizeof(dropped_mode_words[0]); i++)
        if (word_is(b, at, dropped_mode_words[i]))
            return 1;
    return 0;
}

void fmt_sql_mode_for_load(struct cs_buf *b, const char *mode)
{
    const char *p = mode ? mode : "";
    size_t first = b->len, mark, word;

    while (*p && !cs_buf_failed(b)) {
        mark = b->len;
        if (b->len > first)
            cs_buf_putc(b, ',');
        word = b->len;
        put_mode_word(b, &p);
        if (cs_buf_failed(b))
            return;
        if (b->len == word || mode_word_dropped(b, word)) {
            b->len = mark;
            b->data[mark] = '\0';
        }
        if (*p == ',')
            p++;
    }
    if (b->len > first)
        cs_buf_putc(b, ',');
    cs_buf_puts(b, "NO_AUTO_VALUE_ON_ZERO");
}

void fmt_sql_header(struct cs_buf *b, const char *sql_mode)
{
    cs_buf_append(b, sql_header_text, sizeof(sql_header_text) - 1);
    fmt_sql_mode_for_load(b, sql_mode);
    cs_buf_puts(b, "' */;\n");
}

void fmt_sql_footer(struct cs_buf *b)
{
    cs_buf_append(b, sql_footer_text, sizeof(sql_footer_text) - 1);
}

/* STMT[0, len) is one of the ";\n"-ended lines of TEXT, or (OPEN_TAIL) the
 * unfinished last line followed by a mode list and "' *\/". */
static int frame_line_of(const char *text, const char *stmt, size_t len, int open_tail)
{
    static const char tail[] = "' */";
    const char *line = text, *end;

    while (*line) {
        end = strstr(line, ";\n");
        if (!end) { /* the SQL_MODE line: its words, then the tail */
            size_t n = strlen(line), i = n, t = sizeof(tail) - 1;
            if (!open_tail || len < n + t || memcmp(stmt, line, n) ||
                memcmp(stmt + len - t, tail, t))
                return 0;
            for (; i < len - t; i++)
                if (!((stmt[i] >= 'A' && stmt[i] <= 'Z') || (stmt[i] >= '0' && stmt[i] <= '9') ||
                      stmt[i] == '_' || stmt[i] == ','))
                    return 0;
            return 1;
        }
        if ((size_t)(end - line) == len && !memcmp(stmt, line, len))
            return 1;
        line = end + 2;
    }
    return 0;
}

int fmt_sql_is_frame(const char *stmt, size_t len)
{
    static const char banner[] = "-- csdump sql chunk\n";

    while (len && (*stmt == ' ' || *stmt == '\n' || *stmt == '\t' || *stmt == '\r')) {
        stmt++;
        len--;
    }
    if (len >= sizeof(banner) - 1 && !memcmp(stmt, banner, sizeof(banner) - 1)) {
        stmt += sizeof(banner) - 1;
        len -= sizeof(banner) - 1;
    }
    while (len && (stmt[len - 1] == ' ' || stmt[len - 1] == '\n' || stmt[len - 1] == '\t' ||
                   stmt[len - 1] == '\r'))
        len--;
    /* the header's first line is its banner comment */
    return frame_line_of(sql_header_text + sizeof(banner) - 1, stmt, len, 1) ||
           frame_line_of(sql_footer_text, stmt, len, 0);
}

void fmt_sql_insert_prefix(struct cs_buf *b, const char *qualified_table, const char *column_list)
{
    cs_buf_puts(b, "INSERT INTO ");
    cs_buf_puts(b, qualified_table);
    if (column_list && *column_list) {
        cs_buf_puts(b, " (");
        cs_buf_puts(b, column_list);
        cs_buf_putc(b, ')');
    }
    cs_buf_puts(b, " VALUES");
}

/* Reserves EXTRA + 2*LEN bytes; 0, or -1 with B failed. */
static int reserve_double(struct cs_buf *b, size_t len, size_t extra)
{
    if (len > (SIZE_MAX - extra) / 2) {
        b->failed = 1;
        return -1;
    }
    return cs_buf_reserve(b, 2 * len + extra);
}

static void finish(struct cs_buf *b, char *end)
{
    b->len = (size_t)(end - b->data);
    b->data[b->len] = '\0';
}

void fmt_sql_append_string(struct cs_buf *b, const char *val, size_t len)
{
    const unsigned char *s = (const unsigned char *)val, *end = s + len, *run;
    char *p;

    if (reserve_double(b, len, 2) < 0)
        return;
    p = b->data + b->len;
    *p++ = '\'';
    while (s < end) {
        run = s;
        while (s < end && !sql_esc[*s])
            s++;
        memcpy(p, run, (size_t)(s - run));
        p += s - run;
        if (s < end) {
            *p++ = '\\';
            *p++ = (char)sql_esc[*s++];
        }
    }
    *p++ = '\'';
    finish(b, p);
}

/* PREFIX then the hex digits of VAL (LEN > 0). */
static void put_hex(struct cs_buf *b, const char *prefix, const char *val, size_t len)
{
    const unsigned char *s = (const unsigned char *)val;
    size_t n = strlen(prefix), i;
    char *p;

    if (reserve_double(b, len, n) < 0)
        return;
    p = b->data + b->len;
    memcpy(p, prefix, n);
    p += n;
    for (i = 0; i < len; i++) {
        *p++ = hex_digits[s[i] >> 4];
        *p++ = hex_digits[s[i] & 0x0f];
    }
    finish(b, p);
}

void fmt_sql_append_hex(struct cs_buf *b, const char *val, size_t len)
{
    if (len == 0)
        cs_buf_puts(b, "X''");
    else
        put_hex(b, "0x", val, len);
}

static void append_utf8text(struct cs_buf *b, const char *val, size_t len)
{
    if (len == 0)
        cs_buf_puts(b, "_utf8mb4''");
    else
        put_hex(b, "_utf8mb4 0x", val, len);
}

static size_t skip_digits(const char *s, size_t i, size_t len)
{
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static size_t skip_sign(const char *s, size_t i, size_t len)
{
    return i < len && (s[i] == '+' || s[i] == '-') ? i + 1 : i;
}

/* [+-]digits[.digits][e[+-]digits], with a digit before the e. */
static int is_number(const char *s, size_t len)
{
    size_t i = skip_sign(s, 0, len), j = skip_digits(s, i, len), k = j;

    if (k < len && s[k] == '.')
        k = skip_digits(s, k + 1, len);
    if (k - i == (size_t)(k > j)) /* nothing but a sign and/or a dot */
        return 0;
    if (k < len && (s[k] == 'e' || s[k] == 'E')) {
        i = skip_sign(s, k + 1, len);
        k = skip_digits(s, i, len);
        if (k == i)
            return 0;
    }
    return k == len;
}

/* Numbers go as sent; anything else (even '') is quoted so the SQL stays valid. */
static void append_number(struct cs_buf *b, const char *val, size_t len)
{
    if (is_number(val, len))
        cs_buf_append(b, val, len);
    else
        fmt_sql_append_string(b, val, len);
}

typedef void (*value_fn)(struct cs_buf *b, const char *val, size_t len);

static const value_fn value_fns[FMT_COL_KIND_COUNT] = {
    [FMT_COL_NUMBER] = append_number,
    [FMT_COL_FLOAT] = append_number,
    [FMT_COL_STRING] = fmt_sql_append_string,
    [FMT_COL_BINARY] = fmt_sql_append_hex,
    [FMT_COL_BIT] = append_number,
    [FMT_COL_UTF8TEXT] = append_utf8text,
    [FMT_COL_MYSQL_JSON] = append_utf8text, /* untagged: tagged values are rebuilt */
};

int fmt_sql_append_value(struct cs_buf *b, enum fmt_col_kind kind, const char *val, size_t len,
                         struct cs_error *err)
{
    if (!val) {
        cs_buf_append(b, "NULL", 4);
        return 0;
    }
    if ((int)kind < 0 || kind >= FMT_COL_KIND_COUNT)
        kind = FMT_COL_STRING;
    if (kind == FMT_COL_MYSQL_JSON && fmt_jsonval_typed(val, len))
        return fmt_jsonval_append_sql(b, val, len, err);
    value_fns[kind](b, val, len);
    return 0;
}

/* ---- statement splitter ------------------------------------------------- */

/* Lexer states; the pending ones (SLASH..STAR) wait for the next byte. */
enum sql_state {
    ST_NORMAL = 0,
    ST_SQUOTE,     /* '...' */
    ST_DQUOTE,     /* "..." */
    ST_BTICK,      /* `...` */
    ST_SQ_ESC,     /* after a backslash in '...' */
    ST_DQ_ESC,     /* after a backslash in "..." */
    ST_LINE,       /* -- or # comment */
    ST_BLOCK,      /* inside a plain comment */
    ST_BLOCK_STAR, /* a '*' inside it */
    ST_SLASH,      /* '/' */
    ST_OPEN,       /* slash-star: plain comment or conditional? */
    ST_OPEN_M,     /* slash-star-M: MariaDB's slash-star-M-bang? */
    ST_DASH1,      /* '-' */
    ST_DASH2,      /* "--" */
    ST_STAR,       /* '*' inside a conditional comment */
    ST_COUNT
};

struct fmt_sql_reader {
    struct fmt_readbuf rb;
    size_t scan;       /* next byte to classify */
    size_t start, end; /* the statement's significant text, when has_start */
    size_t tok;        /* where a pending state's token began */
    enum sql_state state;
    int has_start, in_cond, done;
};

/* Byte classes in ST_NORMAL outside and inside a conditional comment. */
enum { C_PLAIN = 0, C_SPACE, C_SEMI, C_SQUOTE, C_DQUOTE, C_BTICK, C_SLASH, C_DASH, C_HASH, C_STAR };

#define SPACES                                                                                     \
    [' '] = C_SPACE, ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\r'] = C_SPACE, ['\f'] = C_SPACE,       \
    ['\v'] = C_SPACE
#define QUOTES ['\''] = C_SQUOTE, ['"'] = C_DQUOTE, ['`'] = C_BTICK

static const unsigned char class_plain[256] = {
    SPACES, QUOTES, [';'] = C_SEMI, ['/'] = C_SLASH, ['-'] = C_DASH, ['#'] = C_HASH,
};
static const unsigned char class_cond[256] = {SPACES, QUOTES, ['*'] = C_STAR};

#undef SPACES
#undef QUOTES

static const unsigned char class_state[] = {
    [C_SQUOTE] = ST_SQUOTE, [C_DQUOTE] = ST_DQUOTE, [C_BTICK] = ST_BTICK, [C_SLASH] = ST_SLASH,
    [C_DASH] = ST_DASH1,    [C_HASH] = ST_LINE,     [C_STAR] = ST_STAR,
};

static const unsigned char state_has_tok[ST_COUNT] = {
    [ST_SLASH] = 1, [ST_OPEN] = 1, [ST_OPEN_M] = 1, [ST_DASH1] = 1, [ST_DASH2] = 1, [ST_STAR] = 1,
};

/* Why a file cannot end in this state (NULL: it can, if no statement is open). */
static const char *const eof_what[ST_COUNT] = {
    [ST_SQUOTE] = "a quoted string",    [ST_DQUOTE] = "a quoted string",
    [ST_SQ_ESC] = "a quoted string",    [ST_DQ_ESC] = "a quoted string",
    [ST_BTICK] = "a quoted identifier", [ST_BLOCK] = "a comment",
    [ST_BLOCK_STAR] = "a comment",      [ST_OPEN] = "a comment",
    [ST_OPEN_M] = "a comment",          [ST_STAR] = "a conditional comment",
};

static void mark(struct fmt_sql_reader *r, size_t from, size_t to)
{
    if (!r->has_start) {
        r->has_start = 1;
        r->start = from;
    }
    r->end = to;
}

static size_t step_normal(struct fmt_sql_reader *r, size_t i)
{
    const unsigned char *s = (const unsigned char *)r->rb.buf;
    const unsigned char *cls = r->in_cond ? class_cond : class_plain;
    size_t j;

    switch (cls[s[i]]) {
    case C_PLAIN:
        for (j = i + 1; j < r->rb.len && cls[s[j]] == C_PLAIN; j++)
            ;
        mark(r, i, j);
        return j;
    case C_SPACE:
        return i + 1;
    case C_SEMI:
        r->done = 1;
        return i + 1;
    case C_SQUOTE:
    case C_DQUOTE:
    case C_BTICK:
        mark(r, i, i + 1);
        break;
    default: /* '/', '-', '#', '*': the next byte decides */
        r->tok = i;
        break;
    }
    r->state = (enum sql_state)class_state[cls[s[i]]];
    return i + 1;
}

static size_t step_quote(struct fmt_sql_reader *r, size_t i)
{
    const char q = r->state == ST_SQUOTE ? '\'' : r->state == ST_DQUOTE ? '"' : '`';
    const int esc = r->state != ST_BTICK;
    const char *s = r->rb.buf;
    size_t j = i;

    while (j < r->rb.len && s[j] != q && !(esc && s[j] == '\\'))
        j++;
    if (j == r->rb.len) {
        mark(r, i, j);
        return j;
    }
    if (s[j] == q) /* a doubled quote simply reopens in ST_NORMAL */
        r->state = ST_NORMAL;
    else
        r->state = r->state == ST_SQUOTE ? ST_SQ_ESC : ST_DQ_ESC;
    mark(r, i, j + 1);
    return j + 1;
}

static size_t step_escaped(struct fmt_sql_reader *r, size_t i)
{
    r->state = r->state == ST_SQ_ESC ? ST_SQUOTE : ST_DQUOTE;
    mark(r, i, i + 1);
    return i + 1;
}

static size_t step_line(struct fmt_sql_reader *r, size_t i)
{
    const char *nl = memchr(r->rb.buf + i, '\n', r->rb.len - i);

    if (!nl)
        return r->rb.len;
    r->state = ST_NORMAL;
    return (size_t)(nl - r->rb.buf) + 1;
}

static size_t step_block(struct fmt_sql_reader *r, size_t i)
{
    const char *star = memchr(r->rb.buf + i, '*', r->rb.len - i);

    if (!star)
        return r->rb.len;
    r->state = ST_BLOCK_STAR;
    return (size_t)(star - r->rb.buf) + 1;
}

static size_t step_block_star(struct fmt_sql_reader *r, size_t i)
{
    if (r->rb.buf[i] == '/')
        r->state = ST_NORMAL;
    else if (r->rb.buf[i] != '*')
        r->state = ST_BLOCK;
    return i + 1;
}

/* The pending token at r->tok turned out to be an ordinary byte: keep it
 * and look at byte I again in ST_NORMAL. */
static size_t pending_plain(struct fmt_sql_reader *r, size_t i)
{
    mark(r, r->tok, r->tok + 1);
    r->state = ST_NORMAL;
    return i;
}

static size_t step_slash(struct fmt_sql_reader *r, size_t i)
{
    if (r->rb.buf[i] != '*')
        return pending_plain(r, i);
    r->state = ST_OPEN;
    return i + 1;
}

/* Conditional comments and optimizer hints are statement text. */
static size_t step_open(struct fmt_sql_reader *r, size_t i)
{
    char c = r->rb.buf[i];

    if (c == 'M' && r->state == ST_OPEN) {
        r->state = ST_OPEN_M;
        return i + 1;
    }
    if (c == '!' || (c == '+' && r->state == ST_OPEN)) {
        mark(r, r->tok, i + 1);
        r->in_cond = 1;
        r->state = ST_NORMAL;
        return i + 1;
    }
    r->state = ST_BLOCK; /* look at C again: it may be the '*' of the end */
    return i;
}

static size_t step_dash1(struct fmt_sql_reader *r, size_t i)
{
    if (r->rb.buf[i] != '-')
        return pending_plain(r, i);
    r->state = ST_DASH2;
    return i + 1;
}

/* "--" starts a comment only before a blank or control byte. */
static size_t step_dash2(struct fmt_sql_reader *r, size_t i)
{
    unsigned char c = (unsigned char)r->rb.buf[i];

    if (c <= 0x20 || c == 0x7f) {
        r->state = ST_LINE;
        return i;
    }
    mark(r, r->tok, r->tok + 1); /* the first '-' is an operator ... */
    r->tok++;                    /* ... the second may start a comment */
    r->state = ST_DASH1;
    return i;
}

static size_t step_star(struct fmt_sql_reader *r, size_t i)
{
    if (r->rb.buf[i] != '/')
        return pending_plain(r, i);
    mark(r, r->tok, i + 1);
    r->in_cond = 0;
    r->state = ST_NORMAL;
    return i + 1;
}

typedef size_t (*step_fn)(struct fmt_sql_reader *r, size_t i);

static const step_fn steps[ST_COUNT] = {
    [ST_NORMAL] = step_normal, [ST_SQUOTE] = step_quote,   [ST_DQUOTE] = step_quote,
    [ST_BTICK] = step_quote,   [ST_SQ_ESC] = step_escaped, [ST_DQ_ESC] = step_escaped,
    [ST_LINE] = step_line,     [ST_BLOCK] = step_block,    [ST_BLOCK_STAR] = step_block_star,
    [ST_SLASH] = step_slash,   [ST_OPEN] = step_open,      [ST_OPEN_M] = step_open,
    [ST_DASH1] = step_dash1,   [ST_DASH2] = step_dash2,    [ST_STAR] = step_star,
};

struct fmt_sql_reader *fmt_sql_reader_new(struct fmt_source *src, const char *name,
                                          struct cs_error *err)
{
    struct fmt_sql_reader *r = calloc(1, sizeof(*r));

    if (!r) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s", name ? name : "sql input");
        return NULL;
    }
    if (fmt_readbuf_init(&r->rb, src, name, "sql input", err) < 0) {
        free(r);
        return NULL;
    }
    return r;
}

void fmt_sql_reader_free(struct fmt_sql_reader *r)
{
    if (!r)
        return;
    fmt_readbuf_release(&r->rb);
    free(r);
}

/* Drops the bytes nothing refers to any more, then reads more. */
static int refill(struct fmt_sql_reader *r, struct cs_error *err)
{
    size_t keep = r->has_start ? r->start : r->scan;

    if (state_has_tok[r->state] && r->tok < keep)
        keep = r->tok;
    r->scan -= keep;
    r->start -= r->has_start ? keep : 0;
    r->end -= r->has_start ? keep : 0;
    r->tok -= state_has_tok[r->state] ? keep : 0;
    return fmt_readbuf_fill(&r->rb, keep, "statement", err);
}

/* At the end of the data: 0 if everything was complete statements. */
static int at_eof(struct fmt_sql_reader *r, struct cs_error *err)
{
    const char *what = eof_what[r->state];

    if (r->state == ST_SLASH || r->state == ST_DASH1)
        mark(r, r->tok, r->tok + 1);
    if (!what && r->in_cond)
        what = "a conditional comment";
    if (what)
        return cs_error_set(err, CS_ERR_TRUNCATED, "%s: ends inside %s: the file is truncated",
                            r->rb.name, what);
    if (r->has_start)
        return cs_error_set(err, CS_ERR_TRUNCATED,
                            "%s: text after the last ';': the file is truncated", r->rb.name);
    return 0;
}

int fmt_sql_reader_next(struct fmt_sql_reader *r, const char **stmt, size_t *len,
                        struct cs_error *err)
{
    for (;;) {
        while (r->scan < r->rb.len && !r->done)
            r->scan = steps[r->state](r, r->scan);
        if (r->done) {
            r->done = 0;
            if (!r->has_start)
                continue; /* empty or comments only */
            r->has_start = 0;
            r->rb.buf[r->end] = '\0';
            *stmt = r->rb.buf + r->start;
            *len = r->end - r->start;
            return 1;
        }
        if (r->rb.eof)
            return at_eof(r, err);
        if (refill(r, err) < 0)
            return -1;
    }
}
