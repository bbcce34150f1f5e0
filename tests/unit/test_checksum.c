/* format/checksum: order-independent row checksums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "format/checksum.h"

/* Checksum of one row given as C strings (NULL entries are SQL NULL). */
static void row(struct fmt_checksum *c, unsigned n, const char *a, const char *b, const char *d)
{
    const char *v[3] = {a, b, d};
    unsigned long lens[3];

    struct cs_buf line = CS_BUF_INIT;

    for (unsigned i = 0; i < 3; i++)
        lens[i] = v[i] ? strlen(v[i]) : 0;
    fmt_checksum_row(c, &line, (char **)v, lens, n);
    cs_buf_release(&line);
}

static struct fmt_checksum one(unsigned n, const char *a, const char *b, const char *d)
{
    struct fmt_checksum c;

    fmt_checksum_init(&c);
    row(&c, n, a, b, d);
    return c;
}

static void test_init_and_hex(void **state)
{
    struct fmt_checksum c;
    char hex[17];

    (void)state;
    fmt_checksum_init(&c);
    assert_int_equal(c.rows, 0);
    fmt_checksum_hex(&c, hex);
    assert_string_equal(hex, "0000000000000000");
    c.sum = 0xABCDEF0123456789ULL;
    fmt_checksum_hex(&c, hex);
    assert_string_equal(hex, "abcdef0123456789");
}

static void test_order_independent(void **state)
{
    struct fmt_checksum a, b;

    (void)state;
    fmt_checksum_init(&a);
    fmt_checksum_init(&b);
    row(&a, 3, "1", "alice", NULL);
    row(&a, 3, "2", "bob", "x");
    row(&a, 3, "3", "", "y");
    row(&b, 3, "3", "", "y");
    row(&b, 3, "1", "alice", NULL);
    row(&b, 3, "2", "bob", "x");
    assert_int_equal(a.rows, 3);
    assert_int_equal(a.rows, b.rows);
    assert_int_equal(a.sum, b.sum);
    /* one changed value changes it */
    fmt_checksum_init(&b);
    row(&b, 3, "3", "", "y");
    row(&b, 3, "1", "alicE", NULL);
    row(&b, 3, "2", "bob", "x");
    assert_int_not_equal(a.sum, b.sum);
}

static void test_null_empty_backslash_n(void **state)
{
    struct fmt_checksum n = one(1, NULL, NULL, NULL);
    struct fmt_checksum e = one(1, "", NULL, NULL);
    struct fmt_checksum bs = one(1, "\\N", NULL, NULL);
    struct fmt_checksum s = one(1, "NULL", NULL, NULL);

    (void)state;
    assert_int_not_equal(n.sum, e.sum);
    assert_int_not_equal(n.sum, bs.sum);
    assert_int_not_equal(e.sum, bs.sum);
    assert_int_not_equal(n.sum, s.sum);
    /* NULL in a different column is a different row */
    assert_int_not_equal(one(2, NULL, "x", NULL).sum, one(2, "x", NULL, NULL).sum);
}

static void test_columns_and_lengths(void **state)
{
    struct fmt_checksum c1, c2;
    char *v1[1] = {"a\0b"}, *v2[1] = {"a"};
    unsigned long l1[1] = {3}, l2[1] = {1};

    (void)state;
    assert_int_not_equal(one(2, "a", "b", NULL).sum, one(2, "b", "a", NULL).sum);
    assert_int_not_equal(one(2, "ab", "", NULL).sum, one(2, "a", "b", NULL).sum);
    assert_int_not_equal(one(2, "", "", NULL).sum, one(3, "", "", "").sum);
    assert_int_not_equal(one(1, "x", NULL, NULL).sum, one(2, "x", "", NULL).sum);
    assert_int_not_equal(one(0, NULL, NULL, NULL).sum, 0);
    /* lengths, not NUL terminators, delimit values */
    fmt_checksum_init(&c1);
    fmt_checksum_init(&c2);
    {
        struct cs_buf line = CS_BUF_INIT;
        fmt_checksum_row(&c1, &line, v1, l1, 1);
        fmt_checksum_row(&c2, &line, v2, l2, 1);
        cs_buf_release(&line);
    }
    assert_int_not_equal(c1.sum, c2.sum);
    /* the same row twice counts twice */
    row(&c2, 1, "a", NULL, NULL);
    assert_int_equal(c2.rows, 2);
    assert_int_not_equal(c2.sum, one(1, "a", NULL, NULL).sum);
}

/* A row hashed from its values equals the hash of its tsv line: csdump
 * hashes the line it writes, csload the values it reads back. */
static void test_line_equals_row(void **state)
{
    struct fmt_checksum a, b;
    (void)state;

    fmt_checksum_init(&b);
    a = one(3, "tab\there", NULL, "back\\slash");
    fmt_checksum_line(&b, "tab\\there\t\\N\tback\\\\slash",
                      strlen("tab\\there\t\\N\tback\\\\slash"));
    assert_int_equal(a.rows, b.rows);
    assert_int_equal(a.sum, b.sum);
    /* NULL and the string "\N" differ */
    assert_int_not_equal(one(1, NULL, NULL, NULL).sum, one(1, "\\N", NULL, NULL).sum);
}

static void test_merge(void **state)
{
    struct fmt_checksum all, p1, p2;
    char val[16];

    (void)state;
    fmt_checksum_init(&all);
    fmt_checksum_init(&p1);
    fmt_checksum_init(&p2);
    for (int i = 0; i < 1000; i++) {
        snprintf(val, sizeof(val), "%d", i);
        row(&all, 3, val, i % 7 ? "v" : NULL, "z");
        row(i % 3 ? &p1 : &p2, 3, val, i % 7 ? "v" : NULL, "z");
    }
    fmt_checksum_merge(&p2, &p1);
    assert_int_equal(p2.rows, 1000);
    assert_int_equal(p2.rows, all.rows);
    assert_int_equal(p2.sum, all.sum);
}

/* The checksum is part of the dump format: pin one value so an accidental
 * change to the hashing shows up here, not as a failed load. */
static void test_stable_value(void **state)
{
    struct fmt_checksum c;
    char hex[17];

    (void)state;
    fmt_checksum_init(&c);
    row(&c, 3, "1", "hello", NULL);
    row(&c, 2, "", "\\N", NULL);
    fmt_checksum_hex(&c, hex);
    assert_string_equal(hex, "156a4b548bb4a882");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_hex),        cmocka_unit_test(test_line_equals_row),
        cmocka_unit_test(test_order_independent),   cmocka_unit_test(test_null_empty_backslash_n),
        cmocka_unit_test(test_columns_and_lengths), cmocka_unit_test(test_merge),
        cmocka_unit_test(test_stable_value),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
