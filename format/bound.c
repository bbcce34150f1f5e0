#include "format/bound.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "format/sqlenc.h"

#define BYTES_MAX (64u * 1024u) /* a key is at most a few KB */
#define TOKEN_MAX 64u
#define DECIMAL_MAX 100u

/* ---- grammars ----------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Digits at *P (advanced): how many. */
static size_t digits(const char **p, const char *end)
{
    const char *s = *p;

    while (*p < end && is_digit(**p))
        (*p)++;
    return (size_t)(*p - s);
}

/* -?D+ [.D+] [e[+-]D+], the optional parts as allowed. */
static int number_ok(const char *s, size_t len, int frac, int exp)
{
    const char *p = s, *end = s + len;

    if (p < end && *p == '-')
        p++;
    if (!digits(&p, end))
        return 0;
    if (frac && p < end && *p == '.') {
        p++;
        if (!digits(&p, end))
            return 0;
    }
    if (exp && p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!digits(&p, end))
            return 0;
    }
    return p == end;
}

static int only(const char *s, size_t len, const char *set)
{
    for (size_t i = 0; i < len; i++)
        if (!s[i] || !strchr(set, s[i]))
            return 0;
    return 1;
}

static int charset_ok(const char *cs)
{
    size_t n = cs ? strlen(cs) : 0;

    return n >= 1 && n <= 32 && only(cs, n, "abcdefghijklmnopqrstuvwxyz0123456789_");
}

static int collation_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    return n >= 1 && n <= 64 && only(name, n, "abcdefghijklmnopqrstuvwxyz0123456789_");
}

static const char *check_integer(const char *s, size_t len)
{
    size_t sign = len && s[0] == '-';
    return number_ok(s, len, 0, 0) && len - sign <= 20 ? NULL
                                                       : "an integer (1 to 20 digits, '-' first)";
}

static const char *check_decimal(const char *s, size_t len)
{
    return number_ok(s, len, 1, 0) && len <= DECIMAL_MAX
               ? NULL
               : "a decimal number (digits, '-' first, one '.')";
}

static const char *check_float(const char *s, size_t len)
{
    return number_ok(s, len, 1, 1) && len <= DECIMAL_MAX
               ? NULL
               : "a floating-point number (digits, '-', '.', an exponent)";
}

static const char *check_bytes(const char *s, size_t len)
{
    (void)s;
    return len <= BYTES_MAX ? NULL : "at most 65536 bytes";
}

static const char *check_temporal(const char *s, size_t len)
{
    return len && len <= TOKEN_MAX && (is_digit(s[0]) || s[0] == '-') &&
                   only(s, len, "0123456789 :.-")
               ? NULL
               : "a date or time (digits, ' ', ':', '.', '-')";
}

static const char *check_text(const char *s, size_t len)
{
    return len && len <= TOKEN_MAX &&
                   only(s, len, "0123456789abcdefABCDEFghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ.:-")
               ? NULL
               : "a UUID or INET address (letters, digits, '.', ':', '-')";
}

/* ---- per type: name, grammar, literal ----------------------------------- */

typedef const char *(*check_fn)(const char *s, size_t len);

static void sql_plain(struct cs_buf *b, const struct fmt_key_value *v)
{
    cs_buf_append(b, v->data, v->len);
}

static void sql_quoted(struct cs_buf *b, const struct fmt_key_value *v)
{
    cs_buf_putc(b, '\'');
    cs_buf_append(b, v->data, v->len);
    cs_buf_putc(b, '\'');
}

/* UUID/INET text must not be a binary string (the sessions run SET NAMES
 * binary): MariaDB reads one as the raw value, and a range over it matches
 * no row at all. */
static void sql_utf8_quoted(struct cs_buf *b, const struct fmt_key_value *v)
{
    cs_buf_puts(b, "_utf8mb4");
    sql_quoted(b, v);
}

static void sql_hex(struct cs_buf *b, const struct fmt_key_value *v)
{
    fmt_sql_append_hex(b, v->data, v->len);
}

/* The space matters: "_latin10x61" would be one identifier. */
static void sql_charset_hex(struct cs_buf *b, const struct fmt_key_value *v)
{
    cs_buf_printf(b, "_%s ", v->charset);
    fmt_sql_append_hex(b, v->data, v->len);
}

static const struct {
    const char *name;
    check_fn check;
    void (*sql)(struct cs_buf *b, const struct fmt_key_value *v);
    int bytes; /* JSON "hex" (else "value") */
} types[FMT_KEY_TYPE_COUNT] = {
    [FMT_KEY_INTEGER] = {"integer", check_integer, sql_plain, 0},
    [FMT_KEY_DECIMAL] = {"decimal", check_decimal, sql_plain, 0},
    [FMT_KEY_FLOAT] = {"float", check_float, sql_plain, 0},
    [FMT_KEY_STRING] = {"string", check_bytes, sql_charset_hex, 1},
    [FMT_KEY_BINARY] = {"binary", check_bytes, sql_hex, 1},
    [FMT_KEY_TEMPORAL] = {"temporal", check_temporal, sql_quoted, 0},
    [FMT_KEY_TEXT] = {"text", check_text, sql_utf8_quoted, 0},
};

const char *fmt_key_type_name(enum fmt_key_type t)
{
    return (unsigned)t < FMT_KEY_TYPE_COUNT ? types[t].name : "unknown";
}

int fmt_key_type_parse(const char *name)
{
    for (int i = 0; name && i < FMT_KEY_TYPE_COUNT; i++)
        if (!strcmp(name, types[i].name))
            return i;
    return -1;
}

const char *fmt_key_value_check(enum fmt_key_type type, const char *charset, const char *data,
                                size_t len)
{
    if ((unsigned)type >= FMT_KEY_TYPE_COUNT)
        return "a known type";
    if (type == FMT_KEY_STRING && !charset_ok(charset))
        return "a string with a character set name ([a-z0-9_])";
    if (type != FMT_KEY_STRING && charset)
        return "no character set (only strings have one)";
    return types[type].check(data ? data : "", data ? len : 0);
}

int fmt_key_value_set(struct fmt_key_value *v, enum fmt_key_type type, const char *charset,
                      const char *data, size_t len, const char **why)
{
    fmt_key_value_release(v);
    *why = fmt_key_value_check(type, charset, data, len);
    if (*why)
        return -1;
    v->type = type;
    v->data = malloc(len + 1);
    v->charset = charset ? strdup(charset) : NULL;
    if (!v->data || (charset && !v->charset)) {
        fmt_key_value_release(v);
        *why = "out of memory";
        return -1;
    }
    if (len)
        memcpy(v->data, data, len);
    v->data[len] = '\0';
    v->len = len;
    return 0;
}

int fmt_key_value_collate(struct fmt_key_value *v, const char *name, const char **why)
{
    char *dup;

    if (v->type != FMT_KEY_STRING || !collation_ok(name)) {
        *why = v->type != FMT_KEY_STRING ? "no collation (only strings have one)"
                                         : "a collation name ([a-z0-9_])";
        return -1;
    }
    dup = strdup(name);
    if (!dup) {
        *why = "out of memory";
        return -1;
    }
    free(v->collation);
    v->collation = dup;
    return 0;
}

void fmt_key_value_release(struct fmt_key_value *v)
{
    if (!v)
        return;
    free(v->data);
    free(v->charset);
    free(v->collation);
    memset(v, 0, sizeof(*v));
}

void fmt_key_value_sql(struct cs_buf *b, const struct fmt_key_value *v)
{
    if ((unsigned)v->type >= FMT_KEY_TYPE_COUNT || !v->data) {
        cs_buf_set_failed(b); /* never a half-built predicate */
        return;
    }
    types[v->type].sql(b, v);
}

/* ---- comparing ---------------------------------------------------------- */

static int sgn(int x)
{
    return (x > 0) - (x < 0);
}

/* |s| as integer and fraction digits without leading/trailing zeros. */
static void split_number(const char *s, const char **ip, size_t *il, const char **fp, size_t *fl)
{
    const char *dot;

    if (*s == '-')
        s++;
    while (*s == '0' && is_digit(s[1]))
        s++;
    dot = strchr(s, '.');
    *ip = s;
    *il = dot ? (size_t)(dot - s) : strlen(s);
    *fp = dot ? dot + 1 : "";
    *fl = strlen(*fp);
    while (*fl && (*fp)[*fl - 1] == '0')
        (*fl)--;
}

/* Integers and decimals exactly, by their digits. */
static int cmp_decimal(const char *a, const char *b)
{
    const char *ai, *af, *bi, *bf;
    size_t ail, afl, bil, bfl;
    int neg_a = *a == '-', neg_b = *b == '-', r;

    split_number(a, &ai, &ail, &af, &afl);
    split_number(b, &bi, &bil, &bf, &bfl);
    if (ail == 1 && *ai == '0' && !afl)
        neg_a = 0; /* -0 is 0 */
    if (bil == 1 && *bi == '0' && !bfl)
        neg_b = 0;
    if (neg_a != neg_b)
        return neg_a ? -1 : 1;
    r = ail != bil ? (ail < bil ? -1 : 1) : sgn(memcmp(ai, bi, ail));
    if (!r) {
        size_t n = afl < bfl ? afl : bfl;
        r = sgn(memcmp(af, bf, n));
        if (!r && afl != bfl)
            r = afl < bfl ? -1 : 1;
    }
    return neg_a ? -r : r;
}

static int cmp_float(const char *a, const char *b)
{
    double x = strtod(a, NULL), y = strtod(b, NULL);
    return x < y ? -1 : x > y;
}

static int cmp_bytes(const struct fmt_key_value *a, const struct fmt_key_value *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int r = n ? sgn(memcmp(a->data, b->data, n)) : 0;

    return r ? r : (a->len > b->len) - (a->len < b->len);
}

int fmt_key_value_cmp(const struct fmt_key_value *a, const struct fmt_key_value *b)
{
    int numeric = a->type <= FMT_KEY_DECIMAL && b->type <= FMT_KEY_DECIMAL;

    if (numeric)
        return cmp_decimal(a->data, b->data);
    if (a->type != b->type)
        return FMT_BOUND_INCOMPARABLE;
    switch (a->type) {
    case FMT_KEY_FLOAT:
        return cmp_float(a->data, b->data);
    case FMT_KEY_BINARY:
        return cmp_bytes(a, b);
    case FMT_KEY_TEMPORAL: /* the same shape of non-negative value sorts as text */
        if (a->len == b->len && a->data[0] != '-' && b->data[0] != '-')
            return cmp_bytes(a, b);
        break;
    default:
        break;
    }
    /* strings (a collation orders them) and text: equality only */
    if (a->len == b->len && !memcmp(a->data, b->data, a->len) &&
        (a->type != FMT_KEY_STRING ||
         (!strcmp(a->charset, b->charset) &&
          !strcmp(a->collation ? a->collation : "", b->collation ? b->collation : ""))))
        return 0;
    return FMT_BOUND_INCOMPARABLE;
}

int fmt_bound_cmp(const struct fmt_bound *a, const struct fmt_bound *b)
{
    if (a->n != b->n)
        return FMT_BOUND_INCOMPARABLE;
    for (size_t i = 0; i < a->n; i++) {
        int r = fmt_key_value_cmp(&a->v[i], &b->v[i]);
        if (r)
            return r;
    }
    return 0;
}

/* ---- lifecycle ---------------------------------------------------------- */

struct fmt_bound *fmt_bound_new(size_t n, int closed)
{
    struct fmt_bound *b = calloc(1, sizeof(*b));

    if (!b)
        return NULL;
    b->v = calloc(n ? n : 1, sizeof(*b->v));
    if (!b->v) {
        free(b);
        return NULL;
    }
    b->n = n;
    b->closed = closed;
    return b;
}

void fmt_bound_free(struct fmt_bound *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        fmt_key_value_release(&b->v[i]);
    free(b->v);
    free(b);
}

struct fmt_bound *fmt_bound_dup(const struct fmt_bound *src)
{
    struct fmt_bound *b = src ? fmt_bound_new(src->n, src->closed) : NULL;
    const char *why;

    for (size_t i = 0; b && i < src->n; i++) {
        const struct fmt_key_value *v = &src->v[i];
        if (fmt_key_value_set(&b->v[i], v->type, v->charset, v->data, v->len, &why) < 0 ||
            (v->collation && fmt_key_value_collate(&b->v[i], v->collation, &why) < 0)) {
            fmt_bound_free(b);
            b = NULL;
        }
    }
    return b;
}

char *fmt_bound_text(const struct fmt_bound *b)
{
    struct cs_buf t = CS_BUF_INIT;

    if (!b)
        cs_buf_puts(&t, "(open)");
    for (size_t i = 0; b && i < b->n; i++) {
        if (i)
            cs_buf_puts(&t, ", ");
        fmt_key_value_sql(&t, &b->v[i]);
    }
    return cs_buf_detach(&t);
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *value_to_json(const struct fmt_key_value *v)
{
    json_t *o = json_object();
    struct cs_buf hex = CS_BUF_INIT;
    int bad = !o || json_object_set_new(o, "type", json_string(fmt_key_type_name(v->type)));

    if (!bad && v->charset)
        bad = json_object_set_new(o, "charset", json_string(v->charset));
    if (!bad && v->collation)
        bad = json_object_set_new(o, "collation", json_string(v->collation));
    if (!bad && types[v->type].bytes) {
        static const char digit[] = "0123456789abcdef";
        cs_buf_reserve(&hex, v->len * 2 + 1);
        for (size_t i = 0; i < v->len; i++) {
            cs_buf_putc(&hex, digit[(unsigned char)v->data[i] >> 4]);
            cs_buf_putc(&hex, digit[(unsigned char)v->data[i] & 15]);
        }
        bad = cs_buf_failed(&hex) ||
              json_object_set_new(o, "hex", json_string(v->len ? hex.data : ""));
    } else if (!bad) {
        bad = json_object_set_new(o, "value", json_stringn(v->data, v->len));
    }
    cs_buf_release(&hex);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *fmt_bound_to_json(const struct fmt_bound *b)
{
    json_t *o, *a;

    if (!b)
        return json_null();
    o = json_object();
    a = json_array();
    if (!o || !a || json_object_set_new(o, "closed", json_boolean(b->closed)) ||
        json_object_set(o, "values", a)) {
        json_decref(o);
        json_decref(a);
        return NULL;
    }
    json_decref(a); /* o holds it */
    for (size_t i = 0; i < b->n; i++) {
        if (json_array_append_new(a, value_to_json(&b->v[i]))) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static int unhex(char c)
{
    if (is_digit(c))
        return c - '0';
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* S (LEN lowercase hex digits) as bytes into *OUT (malloc'd). */
static const char *hex_bytes(const char *s, size_t len, char **out, size_t *n)
{
    if (len % 2 || len / 2 > BYTES_MAX)
        return "an even number of hex digits (at most 65536 bytes)";
    *out = malloc(len / 2 + 1);
    if (!*out)
        return "out of memory";
    for (size_t i = 0; i < len; i += 2) {
        int hi = unhex(s[i]), lo = unhex(s[i + 1]);
        if (hi < 0 || lo < 0) {
            free(*out);
            *out = NULL;
            return "lowercase hex digits";
        }
        (*out)[i / 2] = (char)(hi << 4 | lo);
    }
    *n = len / 2;
    return NULL;
}

/* O's optional "collation" onto V (a string). */
static const char *value_collation(json_t *o, struct fmt_key_value *v, const char **key)
{
    json_t *c = json_object_get(o, "collation");
    const char *why = NULL;

    *key = "collation";
    if (c && !json_is_string(c))
        return "a string";
    if (c)
        fmt_key_value_collate(v, json_string_value(c), &why);
    return why;
}

/* One value object into V; NULL or what is wrong (KEY gets the field). */
static const char *value_from_json(json_t *o, struct fmt_key_value *v, const char **key)
{
    int type = fmt_key_type_parse(json_string_value(json_object_get(o, "type")));
    json_t *cs = json_object_get(o, "charset"), *val;
    const char *why;
    char *bytes = NULL;
    size_t n = 0;

    *key = "type";
    if (!json_is_object(o))
        return (*key = ""), "an object";
    if (type < 0)
        return "one of integer, decimal, float, string, binary, temporal, text";
    *key = "charset";
    if (cs && !json_is_string(cs))
        return "a string";
    *key = types[type].bytes ? "hex" : "value";
    val = json_object_get(o, *key);
    if (!json_is_string(val))
        return "a string";
    if (types[type].bytes) {
        if ((why = hex_bytes(json_string_value(val), json_string_length(val), &bytes, &n)))
            return why;
        fmt_key_value_set(v, (enum fmt_key_type)type, json_string_value(cs), bytes, n, &why);
        free(bytes);
    } else {
        fmt_key_value_set(v, (enum fmt_key_type)type, json_string_value(cs), json_string_value(val),
                          json_string_length(val), &why);
    }
    if (why && cs && type != FMT_KEY_STRING)
        *key = "charset";
    return why ? why : value_collation(o, v, key);
}

int fmt_bound_from_json(json_t *j, struct fmt_bound **out, char *why, size_t whylen)
{
    json_t *closed = json_object_get(j, "closed"), *a = json_object_get(j, "values");
    const char *what = NULL, *key = "";
    size_t i = 0;

    *out = NULL;
    if (!j || json_is_null(j))
        return 0;
    if (!json_is_object(j))
        return snprintf(why, whylen, "expected null or an object"), -1;
    if (!json_is_boolean(closed))
        return snprintf(why, whylen, "closed: expected true or false"), -1;
    if (!json_is_array(a) || !json_array_size(a))
        return snprintf(why, whylen, "values: expected a non-empty array"), -1;
    *out = fmt_bound_new(json_array_size(a), json_is_true(closed));
    if (!*out)
        return snprintf(why, whylen, "out of memory"), -1;
    for (i = 0; !what && i < json_array_size(a); i++)
        what = value_from_json(json_array_get(a, i), &(*out)->v[i], &key);
    if (!what)
        return 0;
    snprintf(why, whylen, "values[%zu]%s%s: expected %s", i - 1, *key ? "." : "", key, what);
    fmt_bound_free(*out);
    *out = NULL;
    return -1;
}
