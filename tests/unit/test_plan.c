/* test_plan.c - dump/plan.h: integer range splitting (randomised), the WHERE
 * builder, SQL literals per column kind, key usability. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "dump/catalog.h"
#include "dump/plan.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SIGN_BIT (UINT64_C(1) << 63)

typedef unsigned __int128 u128;

/* ---- helpers ------------------------------------------------------------ */

/* xorshift64*: fixed seed, so a failure reproduces. */
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}

/* Keys live in an order-preserving u64 domain: signed values have the sign
 * bit flipped, so INT64_MIN is 0 and INT64_MAX is UINT64_MAX. */
static void key_format(char *out, size_t size, uint64_t k, int is_unsigned)
{
    if (is_unsigned)
        snprintf(out, size, "%" PRIu64, k);
    else
        snprintf(out, size, "%" PRId64, (int64_t)(k ^ SIGN_BIT));
}

/* Parses a bound back strictly: the whole string is one canonical number. */
static uint64_t key_parse(const char *s, int is_unsigned)
{
    char *end = NULL;
    char again[32];
    uint64_t k;

    assert_non_null(s);
    assert_true(s[0] != '\0');
    assert_true(s[0] != '+' && s[0] != ' ');
    if (is_unsigned)
        assert_true(s[0] != '-');
    errno = 0;
    if (is_unsigned)
        k = strtoull(s, &end, 10);
    else
        k = (uint64_t)strtoll(s, &end, 10) ^ SIGN_BIT;
    assert_int_equal(errno, 0);
    assert_int_equal(*end, '\0');
    /* canonical: no leading zeros, no "-0" */
    key_format(again, sizeof(again), k, is_unsigned);
    assert_string_equal(again, s);
    return k;
}

static void free_bounds(char **b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(b[i]);
    free(b);
}

/* How many of the intervals (-inf,b0) [b0,b1) ... [b_last,+inf) hold K. */
static unsigned intervals_holding(const uint64_t *b, size_t nb, uint64_t k)
{
    unsigned n = 0;

    for (size_t i = 0; i <= nb; i++) {
        int above_lo = i == 0 || k >= b[i - 1];
        int below_hi = i == nb || k < b[i];
        n += above_lo && below_hi;
    }
    return n;
}

/* Checks every property of one split; returns the number of bounds. */
static size_t check_split(uint64_t lo, uint64_t hi, int is_unsigned, uint64_t nslices)
{
    char smin[32], smax[32];
    char **bounds = (char **)&bounds; /* poison: must be reset */
    size_t nb = 12345;
    uint64_t *b;
    u128 span = (u128)(hi - lo) + 1, limit, asked, prev;

    key_format(smin, sizeof(smin), lo, is_unsigned);
    key_format(smax, sizeof(smax), hi, is_unsigned);
    assert_int_equal(dump_plan_int_bounds(smin, smax, is_unsigned, nslices, &bounds, &nb), 0);
    if (nb == 0) {
        /* nothing to split: one slice, only when the range or the ask is tiny */
        if (!(nslices < 2 || span < 2))
            fail_msg("%s..%s n=%" PRIu64 ": no bounds", smin, smax, nslices);
        free_bounds(bounds, nb);
        return 0;
    }
    assert_non_null(bounds);
    assert_true(nslices >= 2);
    assert_true(nb <= nslices - 1);
    b = malloc(nb * sizeof(*b));
    assert_non_null(b);
    for (size_t i = 0; i < nb; i++) {
        b[i] = key_parse(bounds[i], is_unsigned);
        assert_true(b[i] > lo);
        assert_true(b[i] <= hi);
        if (i)
            assert_true(b[i] > b[i - 1]);
    }

    /* roughly even: no slice larger than ceil(span/n)+1 ... */
    limit = (span + nslices - 1) / nslices + 1;
    prev = lo;
    for (size_t i = 0; i <= nb; i++) {
        u128 end = i < nb ? (u128)b[i] : (u128)hi + 1;
        u128 size = end - prev;
        if (size < 1 || size > limit)
            fail_msg("%s..%s n=%" PRIu64 ": slice %zu has %llu keys (limit %llu)", smin, smax,
                     nslices, i, (unsigned long long)size, (unsigned long long)limit);
        prev = end;
    }
    /* ... and not far fewer slices than asked (or than there are keys) */
    asked = nslices < span ? nslices : span;
    if ((u128)(nb + 1) * 2 < asked)
        fail_msg("%s..%s n=%" PRIu64 ": only %zu slices", smin, smax, nslices, nb + 1);

    /* partition: every key in [min, max] is in exactly one interval */
    for (int r = 0; r < 24; r++) {
        uint64_t k;
        if (r == 0)
            k = lo;
        else if (r == 1)
            k = hi;
        else if (r < 8) { /* on and next to a random bound */
            size_t j = (size_t)(rng() % nb);
            k = b[j] - (uint64_t)(r & 1);
        } else {
            k = lo + (uint64_t)((u128)rng() % span);
        }
        if (intervals_holding(b, nb, k) != 1)
            fail_msg("%s..%s n=%" PRIu64 ": key %" PRIu64 " in %u intervals", smin, smax, nslices,
                     k, intervals_holding(b, nb, k));
    }
    free(b);
    free_bounds(bounds, nb);
    return nb;
}

static struct dump_column column(const char *name, const char *data_type, const char *charset,
                                 enum fmt_col_kind kind)
{
    struct dump_column c;

    memset(&c, 0, sizeof(c));
    c.name = (char *)name;
    c.type = (char *)data_type;
    c.data_type = (char *)data_type;
    c.charset = (char *)charset;
    c.kind = kind;
    c.is_int = kind == FMT_COL_NUMBER && strstr(data_type, "int") != NULL;
    return c;
}

static struct dump_table table(struct dump_column *cols, size_t ncols, size_t *key, size_t nkey)
{
    struct dump_table t;

    memset(&t, 0, sizeof(t));
    t.schema = (char *)"app";
    t.name = (char *)"t";
    t.engine = (char *)"InnoDB";
    t.transactional = 1;
    t.cols = cols;
    t.ncols = ncols;
    t.key = key;
    t.nkey = nkey;
    return t;
}

/* The text B holds (possibly empty, possibly never allocated). */
static void assert_buf(struct cs_buf *b, const char *want)
{
    assert_false(cs_buf_failed(b));
    if (*want || b->len)
        assert_string_equal(b->len ? b->data : "", want);
    assert_int_equal(b->len, strlen(want));
}

/* VAL of column C through dump_key_new: its typed value's literal. */
static void expect_literal(const struct dump_column *c, const char *val, size_t len,
                           const char *want)
{
    struct dump_column col = *c;
    size_t key[] = {0}, pos[] = {0};
    struct dump_table t = table(&col, 1, key, 1);
    char *row[] = {(char *)val};
    unsigned long lens[] = {(unsigned long)len};
    struct cs_buf b = CS_BUF_INIT;
    const char *why = NULL;
    struct fmt_bound *k = dump_key_new(&t, row, lens, pos, 1, &why);

    if (!k)
        fail_msg("%s \"%.*s\": %s", c->data_type, (int)len, val, why);
    fmt_key_value_sql(&b, &k->v[0]);
    assert_buf(&b, want);
    cs_buf_release(&b);
    fmt_bound_free(k);
}

/* ---- dump_plan_int_bounds ---------------------------------------------- */

static void test_bounds_exact(void **state)
{
    char **b = NULL;
    size_t n = 0;

    (void)state;
    /* 1..10 in 3: step ceil(10/3)=4 */
    assert_int_equal(dump_plan_int_bounds("1", "10", 0, 3, &b, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(b[0], "5");
    assert_string_equal(b[1], "9");
    free_bounds(b, n);

    /* across zero */
    assert_int_equal(dump_plan_int_bounds("-5", "5", 0, 2, &b, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(b[0], "1");
    free_bounds(b, n);

    /* the whole signed range in 2: the cut is at 0 */
    assert_int_equal(
        dump_plan_int_bounds("-9223372036854775808", "9223372036854775807", 0, 2, &b, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(b[0], "0");
    free_bounds(b, n);

    /* the whole unsigned range in 4 */
    assert_int_equal(dump_plan_int_bounds("0", "18446744073709551615", 1, 4, &b, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(b[0], "4611686018427387904");
    assert_string_equal(b[1], "9223372036854775808");
    assert_string_equal(b[2], "13835058055282163712");
    free_bounds(b, n);

    /* more slices than keys: one per key */
    assert_int_equal(dump_plan_int_bounds("7", "10", 0, 1000, &b, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(b[0], "8");
    assert_string_equal(b[1], "9");
    assert_string_equal(b[2], "10");
    free_bounds(b, n);

    /* the top of the unsigned range */
    assert_int_equal(
        dump_plan_int_bounds("18446744073709551613", "18446744073709551615", 1, 3, &b, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(b[0], "18446744073709551614");
    assert_string_equal(b[1], "18446744073709551615");
    free_bounds(b, n);
}

static void test_bounds_nothing_to_split(void **state)
{
    char **b = (char **)&b;
    size_t n = 99;

    (void)state;
    /* one key */
    assert_int_equal(dump_plan_int_bounds("42", "42", 0, 10, &b, &n), 0);
    assert_int_equal(n, 0);
    free_bounds(b, n);
    /* one slice asked, or none */
    b = (char **)&b;
    n = 99;
    assert_int_equal(dump_plan_int_bounds("1", "1000000", 0, 1, &b, &n), 0);
    assert_int_equal(n, 0);
    free_bounds(b, n);
    b = (char **)&b;
    n = 99;
    assert_int_equal(dump_plan_int_bounds("1", "1000000", 1, 0, &b, &n), 0);
    assert_int_equal(n, 0);
    free_bounds(b, n);
}

static void test_bounds_bad_input(void **state)
{
    static const struct {
        const char *min, *max;
        int is_unsigned;
    } bad[] = {
        {"10", "1", 0},                   /* max < min */
        {"1", "-1", 0},                   /* max < min, signed */
        {"abc", "10", 0},                 /* not a number */
        {"1", "10x", 0},                  /* trailing junk */
        {"", "10", 1},                    /* empty */
        {"1", "", 1},                     /* empty */
        {"0", "9223372036854775808", 0},  /* signed overflow */
        {"-9223372036854775809", "0", 0}, /* signed underflow */
        {"0", "18446744073709551616", 1}, /* unsigned overflow */
        {"18446744073709551615", "18446744073709551614", 1},
    };

    (void)state;
    for (size_t i = 0; i < N(bad); i++) {
        char **b = (char **)&b;
        size_t n = 99;
        print_message("'%s'..'%s'\n", bad[i].min, bad[i].max);
        assert_int_equal(
            dump_plan_int_bounds(bad[i].min, bad[i].max, bad[i].is_unsigned, 4, &b, &n), -1);
        assert_null(b);
        assert_int_equal(n, 0);
    }
}

static void test_bounds_random(void **state)
{
    unsigned cases = 0, split = 0;

    (void)state;
    for (int i = 0; i < 4000; i++) {
        int is_unsigned = (int)(rng() & 1);
        uint64_t nslices = 1 + rng() % 1000, lo, hi, t;
        unsigned shape = (unsigned)(rng() % 8);

        if (rng() % 8 == 0)
            nslices = 2 + rng() % 3; /* few slices */
        switch (shape) {
        case 0: /* anywhere */
            lo = rng();
            hi = rng();
            if (lo > hi) {
                t = lo;
                lo = hi;
                hi = t;
            }
            break;
        case 1: /* tiny range, possibly at the very top */
            hi = rng() % 3 == 0 ? UINT64_MAX - rng() % 3 : rng();
            t = rng() % 20;
            lo = hi >= t ? hi - t : 0;
            break;
        case 2: /* the whole domain: INT64_MIN..INT64_MAX or 0..UINT64_MAX */
            lo = 0;
            hi = UINT64_MAX;
            break;
        case 3: /* near both ends */
            lo = rng() % 1000;
            hi = UINT64_MAX - rng() % 1000;
            break;
        case 4: /* around zero (signed) / around 2^63 (unsigned) */
            lo = SIGN_BIT - 1 - rng() % 5000;
            hi = SIGN_BIT + rng() % 5000;
            break;
        case 5: /* span close to nslices */
            lo = rng();
            t = nslices - 1 + rng() % 3; /* span = nslices .. nslices+2 */
            if (t && rng() % 2)
                t--; /* or one less */
            if (lo > UINT64_MAX - t)
                lo = UINT64_MAX - t;
            hi = lo + t;
            break;
        case 6: /* a typical auto-increment key */
            lo = (is_unsigned ? 0 : SIGN_BIT) + 1 + rng() % 100;
            hi = lo + rng() % UINT64_C(100000000);
            break;
        default: /* medium span */
            lo = rng();
            t = rng() % (UINT64_C(1) << 32);
            hi = lo > UINT64_MAX - t ? UINT64_MAX : lo + t;
            break;
        }
        split += check_split(lo, hi, is_unsigned, nslices) > 0;
        cases++;
    }
    assert_int_equal(cases, 4000);
    assert_true(split > 3000); /* the generator really exercised splitting */
}

/* ---- literals ----------------------------------------------------------- */

static void test_literal_kinds(void **state)
{
    struct dump_column num = column("id", "bigint", NULL, FMT_COL_NUMBER);
    struct dump_column dec = column("price", "decimal", NULL, FMT_COL_NUMBER);
    struct dump_column flt = column("f", "float", NULL, FMT_COL_FLOAT);
    struct dump_column bit = column("flags", "bit", NULL, FMT_COL_BIT);
    struct dump_column bin = column("h", "varbinary", NULL, FMT_COL_BINARY);
    struct dump_column dt = column("created", "datetime", NULL, FMT_COL_STRING);
    struct dump_column date = column("d", "date", NULL, FMT_COL_STRING);
    struct dump_column uuid = column("u", "uuid", NULL, FMT_COL_UTF8TEXT);

    (void)state;
    /* numbers as sent */
    expect_literal(&num, "-9223372036854775808", 20, "-9223372036854775808");
    expect_literal(&num, "42", 2, "42");
    expect_literal(&dec, "-12.50", 6, "-12.50");
    expect_literal(&flt, "1.5e+10", 7, "1.5e+10");
    expect_literal(&bit, "5", 1, "5");
    /* only LEN bytes are used */
    expect_literal(&num, "12345", 3, "123");

    /* binary: 0x hex, every byte */
    expect_literal(&bin,
                   "\x00\xff"
                   "ab",
                   4, "0x00FF6162");
    expect_literal(&bin, "", 0, "X''");

    /* temporal values carry no charset: quoted */
    expect_literal(&dt, "2024-02-29 23:59:59.123456", 26, "'2024-02-29 23:59:59.123456'");
    expect_literal(&date, "0000-00-00", 10, "'0000-00-00'");
    /* a date that is not one is refused, never quoted */
    {
        size_t key[] = {0}, pos[] = {0};
        struct dump_table t = table(&date, 1, key, 1);
        char *row[] = {(char *)"it's"};
        unsigned long lens[] = {4};
        const char *why = NULL;
        assert_null(dump_key_new(&t, row, lens, pos, 1, &why));
        assert_non_null(strstr(why, "a date or time"));
    }
    expect_literal(&uuid, "123e4567-e89b-12d3-a456-426614174000", 36,
                   "_utf8mb4'123e4567-e89b-12d3-a456-426614174000'");
}

/*
 * A string column with a charset: "_<charset>" then a space, then the hex
 * literal.  Without the space the server reads one identifier
 * ("_latin10x6162": ERROR 1054 Unknown column) or a syntax error
 * ("_latin1X''": ERROR 1064); checked on MariaDB 10.11.  Every probed
 * (non-integer) string key goes through here.
 */
static void test_literal_charset_string(void **state)
{
    struct dump_column l1 = column("name", "varchar", "latin1", FMT_COL_STRING);
    struct dump_column u8 = column("name", "char", "utf8mb4", FMT_COL_STRING);

    (void)state;
    expect_literal(&l1, "ab", 2, "_latin1 0x6162");
    expect_literal(&u8, "\xc3\xa9", 2, "_utf8mb4 0xC3A9");
    expect_literal(&l1, "a'b\\", 4, "_latin1 0x6127625C");

    expect_literal(&l1, "", 0, "_latin1 X''");
}

/* ---- key usability ------------------------------------------------------ */

static void test_key_usable(void **state)
{
    struct dump_column cols[] = {
        column("id", "int", NULL, FMT_COL_NUMBER),
        column("kind", "enum", "utf8mb4", FMT_COL_STRING),
        column("tags", "SET", "utf8mb4", FMT_COL_STRING),
        column("name", "varchar", "utf8mb4", FMT_COL_STRING),
        column("e2", "ENUM", "latin1", FMT_COL_STRING),
    };
    size_t k_id[] = {0}, k_enum[] = {1}, k_id_set[] = {0, 2}, k_name_id[] = {3, 0}, k_upper[] = {4};
    struct dump_table t;

    (void)state;
    t = table(cols, N(cols), k_id, 1);
    assert_int_equal(dump_plan_key_usable(&t), 1);
    t = table(cols, N(cols), k_name_id, 2);
    assert_int_equal(dump_plan_key_usable(&t), 1);
    t = table(cols, N(cols), k_enum, 1);
    assert_int_equal(dump_plan_key_usable(&t), 0);
    t = table(cols, N(cols), k_id_set, 2); /* SET as the second column, upper case */
    assert_int_equal(dump_plan_key_usable(&t), 0);
    t = table(cols, N(cols), k_upper, 1);
    assert_int_equal(dump_plan_key_usable(&t), 0);
    t = table(cols, N(cols), NULL, 0); /* no key */
    assert_int_equal(dump_plan_key_usable(&t), 0);
}

/* ---- keys --------------------------------------------------------------- */

static void test_key_new_typed_dup(void **state)
{
    struct dump_column cols[] = {
        column("junk", "text", "utf8mb4", FMT_COL_STRING),
        column("id", "bigint", NULL, FMT_COL_NUMBER),
        column("h", "binary", NULL, FMT_COL_BINARY),
        column("d", "date", NULL, FMT_COL_STRING),
        {.name = (char *)"s",
         .type = (char *)"varchar",
         .data_type = (char *)"varchar",
         .charset = (char *)"latin1",
         .collation = (char *)"latin1_swedish_ci",
         .kind = FMT_COL_STRING},
        column("p", "decimal", NULL, FMT_COL_NUMBER),
        column("x", "double", NULL, FMT_COL_NUMBER),
        column("u", "uuid", NULL, FMT_COL_UTF8TEXT),
        column("b", "bit", NULL, FMT_COL_BIT),
    };
    size_t key[] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct dump_table t = table(cols, N(cols), key, 8);
    /* a row as the server sends it, selected in another order */
    char *row[] = {(char *)"zzz",   (char *)"\x00\x02",
                   (char *)"77",    (char *)"2024-01-01",
                   (char *)"a'b",   (char *)"-1.50",
                   (char *)"1e300", (char *)"123e4567-e89b-12d3-a456-426614174000",
                   (char *)"5"};
    unsigned long lens[] = {3, 2, 2, 10, 3, 5, 5, 36, 1};
    size_t pos[] = {2, 1, 3, 4, 5, 6, 7, 8};
    static const enum fmt_key_type want[] = {FMT_KEY_INTEGER, FMT_KEY_BINARY,  FMT_KEY_TEMPORAL,
                                             FMT_KEY_STRING,  FMT_KEY_DECIMAL, FMT_KEY_FLOAT,
                                             FMT_KEY_TEXT,    FMT_KEY_INTEGER};
    struct fmt_bound *k, *d;
    char *text;
    const char *why;

    (void)state;
    k = dump_key_new(&t, row, lens, pos, 0, &why);
    assert_non_null(k);
    assert_int_equal(k->n, 8);
    assert_false(k->closed);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(k->v[i].type, want[i]);
    assert_string_equal(k->v[3].charset, "latin1");
    assert_string_equal(k->v[3].collation, "latin1_swedish_ci"); /* the column's */
    assert_int_equal(k->v[1].len, 2);                            /* all LEN bytes, past the NUL */
    text = fmt_bound_text(k);
    assert_string_equal(text, "77, 0x0002, '2024-01-01', _latin1 0x612762, -1.50, 1e300, "
                              "_utf8mb4'123e4567-e89b-12d3-a456-426614174000', 5");
    free(text);

    d = dump_key_as(k, 1);
    assert_non_null(d);
    assert_true(d->closed);
    assert_string_equal(d->v[3].collation, "latin1_swedish_ci");
    assert_int_equal(fmt_bound_cmp(d, k), 0);
    assert_true(d->v[0].data != k->v[0].data);
    fmt_bound_free(k);
    fmt_bound_free(d);
    fmt_bound_free(NULL);
    assert_null(dump_key_as(NULL, 1));
    /* a NULL in the key (it never is: NOT NULL keys) is refused, not written */
    row[2] = NULL;
    assert_null(dump_key_new(&t, row, lens, pos, 1, &why));
    assert_non_null(strstr(why, "NULL"));
    dump_unit_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounds_exact),     cmocka_unit_test(test_bounds_nothing_to_split),
        cmocka_unit_test(test_bounds_bad_input), cmocka_unit_test(test_bounds_random),
        cmocka_unit_test(test_literal_kinds),    cmocka_unit_test(test_literal_charset_string),
        cmocka_unit_test(test_key_usable),       cmocka_unit_test(test_key_new_typed_dup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
