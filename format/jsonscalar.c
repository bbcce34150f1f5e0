#include "format/jsonscalar.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format/sqlenc.h"

#define DEC_MAX_DIGITS 65 /* MySQL's DECIMAL precision limit */
#define DEC_MAX_SCALE 30
#define DIG_PER_WORD 9
#define TEMPORAL_MAX 40
#define BINARY_MAX 255

/* A JSON_TABLE column of SQL type TYPE over the one-element JSON array
 * (ARRAY_PRE, ARRAY_POST around the element): the way to get a value whose
 * type only a column has (its exact DECIMAL digits, TIMESTAMP, BLOB, BIT). */
static void put_column(struct cs_buf *b, const char *array_pre, const char *elem, size_t elen,
                       const char *array_post, const char *type)
{
    cs_buf_puts(b, "(SELECT cs_v FROM JSON_TABLE(");
    cs_buf_puts(b, array_pre);
    cs_buf_append(b, elem, elen);
    cs_buf_puts(b, array_post);
    cs_buf_puts(b, ", _utf8mb4'$[0]' COLUMNS(cs_v ");
    cs_buf_puts(b, type);
    cs_buf_puts(b, " PATH _utf8mb4'$' ERROR ON ERROR)) cs_jt)");
}

/* ---- DECIMAL ------------------------------------------------------------ */

/* A printed decimal: [-]digits[.digits]. */
struct dec {
    int neg, zero;
    const char *ip, *fp; /* integer digits without leading zeros; fraction */
    unsigned d, s;       /* their counts */
};

/* How the integer part of a decimal is stored: 4 bytes per 9 digits, and
 * this many for the leading group. */
static unsigned digit_bytes(unsigned digits)
{
    static const unsigned char partial[DIG_PER_WORD] = {0, 1, 1, 2, 2, 3, 3, 4, 4};

    return 4 * (digits / DIG_PER_WORD) + partial[digits % DIG_PER_WORD];
}

static unsigned words(unsigned digits)
{
    return (digits + DIG_PER_WORD - 1) / DIG_PER_WORD;
}

static size_t skip_digits(const char *s, size_t i, size_t len)
{
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static int parse_dec(const char *tok, size_t len, struct dec *x)
{
    size_t i = 0, j;

    memset(x, 0, sizeof(*x));
    if (len && tok[0] == '-') {
        x->neg = 1;
        i = 1;
    }
    j = skip_digits(tok, i, len);
    if (j == i)
        return -1;
    x->ip = tok + i;
    x->d = (unsigned)(j - i);
    while (x->d && x->ip[0] == '0') {
        x->ip++;
        x->d--;
    }
    if (j < len && tok[j] == '.') {
        i = j + 1;
        j = skip_digits(tok, i, len);
        if (j == i)
            return -1;
        x->fp = tok + i;
        x->s = (unsigned)(j - i);
    }
    x->zero = x->d == 0;
    for (unsigned f = 0; x->zero && f < x->s; f++)
        x->zero = x->fp[f] == '0';
    return j == len && x->d + x->s <= DEC_MAX_DIGITS && x->s <= DEC_MAX_SCALE ? 0 : -1;
}

/* The literal: integer part as printed less leading zeros ("0" only when
 * ZERO or nothing else is left), then the fraction: "5." is a DECIMAL. */
static void put_literal(struct cs_buf *b, const struct dec *x, int zero)
{
    if (x->neg)
        cs_buf_putc(b, '-');
    if (x->d)
        cs_buf_append(b, x->ip, x->d);
    else if (zero || !x->s)
        cs_buf_putc(b, '0');
    cs_buf_putc(b, '.');
    if (x->s)
        cs_buf_append(b, x->fp, x->s);
}

/* Which expression gives the integer part IB bytes.  The server's own ways
 * of making a decimal keep (in digits): a literal its digits (at least one
 * when written "0."); CAST whole 9-digit words; a DECIMAL(k+s,s) column k
 * when the value reaches into its leading partial group, else whole words;
 * an addition the wider operand's words. */
enum dec_how { DEC_LITERAL, DEC_LITERAL_ZERO, DEC_CAST, DEC_COLUMN, DEC_ADD };

static int dec_plan(const struct dec *x, unsigned ib, enum dec_how *how, unsigned *k)
{
    unsigned lit = x->d ? x->d : !x->s, w = words(x->d);

    *k = 0;
    if (digit_bytes(lit) == ib)
        return *how = DEC_LITERAL, 0;
    if (!x->d && digit_bytes(1) == ib)
        return *how = DEC_LITERAL_ZERO, 0;
    if (digit_bytes(DIG_PER_WORD * (w ? w : 1)) == ib)
        return *how = DEC_CAST, 0;
    for (unsigned c = x->d; x->d && c <= DIG_PER_WORD * w && c + x->s <= DEC_MAX_DIGITS; c++) {
        unsigned got = x->d > DIG_PER_WORD * (c / DIG_PER_WORD) ? c : DIG_PER_WORD * w;
        if (digit_bytes(got) == ib)
            return *how = DEC_COLUMN, *k = c, 0;
    }
    for (unsigned m = w + 1; !x->zero && DIG_PER_WORD * m + 1 + x->s <= DEC_MAX_DIGITS; m++)
        if (4 * m == ib)
            return *how = DEC_ADD, *k = m, 0;
    return -1;
}

/* 10^(digits-1) as a DECIMAL literal ("1000.") */
static void put_power(struct cs_buf *b, unsigned digits)
{
    cs_buf_putc(b, '1');
    for (unsigned i = 1; i < digits; i++)
        cs_buf_putc(b, '0');
    cs_buf_putc(b, '.');
}

static void put_decimal(struct cs_buf *b, const struct dec *x, const char *tok, size_t len,
                        enum dec_how how, unsigned k)
{
    char type[48];

    switch (how) {
    case DEC_LITERAL:
    case DEC_LITERAL_ZERO:
        put_literal(b, x, how == DEC_LITERAL_ZERO);
        break;
    case DEC_CAST:
        cs_buf_puts(b, "CAST("); /* of "0.5", not ".5": CAST rounds its operand's words */
        put_literal(b, x, 1);
        cs_buf_printf(b, " AS DECIMAL(%u,%u))", DEC_MAX_DIGITS, x->s);
        break;
    case DEC_COLUMN:
        snprintf(type, sizeof(type), "DECIMAL(%u,%u)", k + x->s, x->s);
        put_column(b, "_utf8mb4'[\"", tok, len, "\"]'", type);
        break;
    case DEC_ADD:
        cs_buf_puts(b, "((");
        put_literal(b, x, 0);
        cs_buf_puts(b, " + ");
        put_power(b, DIG_PER_WORD * k);
        cs_buf_puts(b, ") - ");
        put_power(b, DIG_PER_WORD * k);
        cs_buf_putc(b, ')');
        break;
    }
}

/* "D<size>": SIZE is the scalar's JSON_STORAGE_SIZE: type, field type,
 * length, precision, scale, then the packed digits. */
static int decimal(struct cs_buf *b, const char *arg, size_t alen, const char *tok, size_t len,
                   struct cs_error *err)
{
    struct dec x;
    unsigned long size = 0;
    unsigned frac, k;
    enum dec_how how;
    size_t i;

    for (i = 0; i < alen && arg[i] >= '0' && arg[i] <= '9' && size < 1000; i++)
        size = size * 10 + (unsigned long)(arg[i] - '0');
    if (!alen || i != alen || parse_dec(tok, len, &x) < 0)
        return cs_error_set(err, CS_ERR_FORMAT, "a DECIMAL tag D%.*s on %.*s: not a decimal",
                            (int)alen, arg, (int)(len > 80 ? 80 : len), tok);
    frac = digit_bytes(x.s);
    if (size < 5 + frac || dec_plan(&x, (unsigned)size - 5 - frac, &how, &k) < 0)
        return cs_error_set(err, CS_ERR_VERSION,
                            "DECIMAL %.*s stored in %lu bytes: no expression rebuilds it with "
                            "that precision",
                            (int)(len > 80 ? 80 : len), tok, size);
    put_decimal(b, &x, tok, len, how, k);
    return 0;
}

/* ---- UNSIGNED INTEGER ----------------------------------------------------- */

static int unsigned_int(struct cs_buf *b, const char *tok, size_t len, struct cs_error *err)
{
    static const char max[] = "18446744073709551615";

    if (!len || skip_digits(tok, 0, len) != len || len > sizeof(max) - 1 ||
        (len == sizeof(max) - 1 && memcmp(tok, max, len) > 0))
        return cs_error_set(err, CS_ERR_FORMAT, "an UNSIGNED INTEGER tag on %.*s",
                            (int)(len > 80 ? 80 : len), tok);
    cs_buf_puts(b, "CAST(");
    cs_buf_append(b, tok, len);
    cs_buf_puts(b, " AS UNSIGNED)");
    return 0;
}

/* ---- temporal --------------------------------------------------------------- */

struct temporal {
    char tag;
    const char *chars; /* allowed between the quotes */
    const char *pre, *post;
    const char *column; /* NULL: CAST */
};

static const struct temporal temporals[] = {
    {'a', "0123456789-", "CAST('", "' AS DATE)", NULL},
    {'t', "0123456789-:.", "CAST('", "' AS TIME(6))", NULL},
    {'d', "0123456789-:. ", "CAST('", "' AS DATETIME(6))", NULL},
    {'s', "0123456789-:. ", NULL, NULL, "TIMESTAMP(6)"},
};

/* The text between the quotes of a JSON string token without escapes. */
static int string_body(const char *tok, size_t len, const char **body, size_t *blen)
{
    if (len < 2 || tok[0] != '"' || tok[len - 1] != '"')
        return -1;
    *body = tok + 1;
    *blen = len - 2;
    return 0;
}

static int temporal(struct cs_buf *b, const struct temporal *t, const char *tok, size_t len,
                    struct cs_error *err)
{
    const char *s;
    size_t n;

    if (string_body(tok, len, &s, &n) < 0 || !n || n > TEMPORAL_MAX || strspn(s, t->chars) < n)
        return cs_error_set(err, CS_ERR_FORMAT, "a temporal tag %c on %.*s", t->tag,
                            (int)(len > 80 ? 80 : len), tok);
    if (t->column) {
        put_column(b, "_utf8mb4'[\"", s, n, "\"]'", t->column);
        return 0;
    }
    cs_buf_puts(b, t->pre);
    cs_buf_append(b, s, n);
    cs_buf_puts(b, t->post);
    return 0;
}

/* ---- opaque ------------------------------------------------------------------ */

static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* MySQL's base64, as JSON prints it: line breaks appear as \n escapes. */
static int unbase64(struct cs_buf *out, const char *s, size_t n)
{
    uint32_t acc = 0;
    unsigned bits = 0, pad = 0;

    for (size_t i = 0; i < n; i++) {
        int v = b64_digit((unsigned char)s[i]);
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == 'n' || s[i + 1] == 'r')) {
            i++;
            continue;
        }
        if (s[i] == '=' && ++pad <= 2)
            continue;
        if (v < 0 || pad)
            return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            cs_buf_putc(out, (char)(acc >> bits));
            acc &= (1u << bits) - 1;
        }
    }
    return cs_buf_failed(out) ? -1 : 0;
}

static void opaque_varchar(struct cs_buf *b, const char *p, size_t n)
{
    fmt_sql_append_hex(b, p, n);
}

/* BIT(8n) from the bytes' big-endian value. */
static void opaque_bit(struct cs_buf *b, const char *p, size_t n)
{
    char elem[32], type[16];
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++)
        v = (v << 8) | (unsigned char)p[i];
    snprintf(elem, sizeof(elem), "%llu", (unsigned long long)v);
    snprintf(type, sizeof(type), "BIT(%zu)", 8 * n);
    put_column(b, "_utf8mb4'[", elem, strlen(elem), "]'", type);
}

/* A CASE is typed by its widest branch, which is never evaluated. */
static void opaque_blob_of(struct cs_buf *b, const char *p, size_t n, const char *width)
{
    cs_buf_puts(b, "CASE WHEN 1 THEN ");
    fmt_sql_append_hex(b, p, n);
    cs_buf_printf(b, " ELSE CAST('' AS BINARY(%s)) END", width);
}

static void opaque_medium(struct cs_buf *b, const char *p, size_t n)
{
    opaque_blob_of(b, p, n, "65536");
}

static void opaque_long(struct cs_buf *b, const char *p, size_t n)
{
    opaque_blob_of(b, p, n, "16777216");
}

static void opaque_column(struct cs_buf *b, const char *p, size_t n, const char *type)
{
    struct cs_buf hex = CS_BUF_INIT;

    fmt_sql_append_hex(&hex, p, n);
    if (cs_buf_failed(&hex))
        b->failed = 1;
    else
        put_column(b, "JSON_ARRAY(", hex.data, hex.len, ")", type);
    cs_buf_release(&hex);
}

static void opaque_blob(struct cs_buf *b, const char *p, size_t n)
{
    opaque_column(b, p, n, "BLOB");
}

static void opaque_binary(struct cs_buf *b, const char *p, size_t n)
{
    char type[16];

    snprintf(type, sizeof(type), "BINARY(%zu)", n);
    opaque_column(b, p, n, type);
}

struct opaque_type {
    unsigned type;   /* MySQL field type, as in "base64:type15:" */
    size_t min, max; /* byte counts it can carry */
    void (*put)(struct cs_buf *b, const char *p, size_t n);
};

static const struct opaque_type opaque_types[] = {
    {15, 0, SIZE_MAX, opaque_varchar}, {16, 1, 8, opaque_bit},
    {250, 0, SIZE_MAX, opaque_medium}, {251, 0, SIZE_MAX, opaque_long},
    {252, 0, SIZE_MAX, opaque_blob},   {254, 0, BINARY_MAX, opaque_binary},
};

/* "base64:typeNN:DATA" */
static int opaque(struct cs_buf *b, const char *tok, size_t len, struct cs_error *err)
{
    static const char head[] = "base64:type";
    struct cs_buf bytes = CS_BUF_INIT;
    const char *s;
    size_t n, i = sizeof(head) - 1, k;
    unsigned type = 0;
    int rc = -1;

    if (string_body(tok, len, &s, &n) < 0 || n < i || memcmp(s, head, i) != 0)
        return cs_error_set(err, CS_ERR_FORMAT, "an opaque tag on %.*s", (int)(len > 80 ? 80 : len),
                            tok);
    for (; i < n && s[i] >= '0' && s[i] <= '9' && type < 1000; i++)
        type = type * 10 + (unsigned)(s[i] - '0');
    if (i >= n || s[i] != ':' || unbase64(&bytes, s + i + 1, n - i - 1) < 0) {
        cs_error_set(err, CS_ERR_FORMAT, "an opaque JSON scalar %.*s: not MySQL's base64 form",
                     (int)(len > 80 ? 80 : len), tok);
        goto out;
    }
    for (k = 0; k < sizeof(opaque_types) / sizeof(opaque_types[0]); k++)
        if (opaque_types[k].type == type && bytes.len >= opaque_types[k].min &&
            bytes.len <= opaque_types[k].max)
            break;
    if (k == sizeof(opaque_types) / sizeof(opaque_types[0])) {
        cs_error_set(err, CS_ERR_VERSION,
                     "an opaque JSON scalar of MySQL field type %u (%zu bytes): no SQL "
                     "expression rebuilds that type",
                     type, bytes.len);
        goto out;
    }
    opaque_types[k].put(b, bytes.data ? bytes.data : "", bytes.len);
    rc = 0;
out:
    cs_buf_release(&bytes);
    return rc;
}

/* ---- dispatch ---------------------------------------------------------------- */

static int by_temporal_tag(struct cs_buf *b, const char *tag, size_t tag_len, const char *tok,
                           size_t tok_len, struct cs_error *err)
{
    for (size_t i = 0; tag_len == 1 && i < sizeof(temporals) / sizeof(temporals[0]); i++)
        if (temporals[i].tag == tag[0])
            return temporal(b, &temporals[i], tok, tok_len, err);
    if (tag_len && tag[0] == '?')
        return cs_error_set(err, CS_ERR_VERSION,
                            "a JSON scalar of type %.*s: no SQL expression rebuilds that type",
                            (int)(tag_len - 1), tag + 1);
    return cs_error_set(err, CS_ERR_FORMAT, "an unknown JSON type tag '%.*s'", (int)tag_len, tag);
}

int fmt_jsonscalar_append(struct cs_buf *b, const char *tag, size_t tag_len, const char *tok,
                          size_t tok_len, struct cs_error *err)
{
    size_t mark = b->len;
    int rc;

    if (tag_len && tag[0] == 'D')
        rc = decimal(b, tag + 1, tag_len - 1, tok, tok_len, err);
    else if (tag_len == 1 && tag[0] == 'U')
        rc = unsigned_int(b, tok, tok_len, err);
    else if (tag_len == 1 && tag[0] == 'o')
        rc = opaque(b, tok, tok_len, err);
    else
        rc = by_temporal_tag(b, tag, tag_len, tok, tok_len, err);
    if (rc < 0 && !cs_buf_failed(b)) {
        b->len = mark;
        if (b->data)
            b->data[mark] = '\0';
    }
    return rc;
}
