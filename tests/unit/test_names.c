/* format/names: safe, unique file names for any identifier. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xxhash.h>

#include "format/names.h"

/* Encoded IDENT in a static buffer. */
static const char *enc(const char *ident)
{
    static char out[512];
    struct cs_buf b = CS_BUF_INIT;

    fmt_name_encode(&b, ident);
    assert_false(cs_buf_failed(&b));
    assert_true(b.len < sizeof(out));
    memcpy(out, b.data, b.len + 1);
    cs_buf_release(&b);
    return out;
}

static void assert_safe(const char *name)
{
    assert_null(strchr(name, '/'));
    assert_null(strchr(name, '.'));
    assert_int_not_equal(name[0], '-');
    assert_int_not_equal(name[0], '\0');
}

static void test_encode_basic(void **state)
{
    (void)state;
    assert_string_equal(enc("users"), "users");
    assert_string_equal(enc("Order_Items_2024"), "Order_Items_2024");
    assert_string_equal(enc("my-table"), "my%2Dtable");
    assert_string_equal(enc("a.b"), "a%2Eb");
    assert_string_equal(enc("../etc/passwd"), "%2E%2E%2Fetc%2Fpasswd");
    assert_string_equal(enc("-rf"), "%2Drf");
    assert_string_equal(enc("a b`c"), "a%20b%60c");
    assert_string_equal(enc("caf\xc3\xa9"), "caf%C3%A9");
    assert_string_equal(enc("%41"), "%2541"); /* '%' itself is escaped */
    assert_string_equal(enc("\xff"), "%FF");
    assert_string_equal(enc(""), "%");
}

static void test_every_byte_is_safe(void **state)
{
    char ident[4] = {0};

    (void)state;
    for (int c = 1; c < 256; c++) {
        ident[0] = (char)c;
        ident[1] = '.';
        ident[2] = (char)c;
        assert_safe(enc(ident));
    }
}

static void test_long_names(void **state)
{
    char ident[301], expect[200], hash[17];
    const char *e;

    (void)state;
    memset(ident, 'a', 300);
    ident[96] = '\0';
    assert_string_equal(enc(ident), ident); /* exactly 96: kept */
    ident[96] = 'a';
    ident[97] = '\0';
    e = enc(ident);
    assert_int_equal(strlen(e), 96 + 1 + 16);
    snprintf(hash, sizeof(hash), "%016" PRIx64, (uint64_t)XXH3_64bits(ident, 97));
    snprintf(expect, sizeof(expect), "%.96s~%s", ident, hash);
    assert_string_equal(e, expect);

    /* same 96-byte prefix, different tails: different names */
    memset(ident, 'a', 300);
    ident[300] = '\0';
    strcpy(expect, enc(ident));
    ident[299] = 'b';
    assert_string_not_equal(enc(ident), expect);
    assert_int_equal(strlen(expect), 113);
    assert_safe(expect);

    /* escapes count toward the limit */
    memset(ident, '.', 40);
    ident[40] = '\0';
    e = enc(ident);
    assert_int_equal(strlen(e), 113);
    assert_int_equal(e[96], '~');
    assert_safe(e);
}

static void test_encode_appends(void **state)
{
    struct cs_buf b = CS_BUF_INIT;
    char ident[201];

    (void)state;
    memset(ident, 'x', 200);
    ident[200] = '\0';
    cs_buf_puts(&b, "prefix/");
    fmt_name_encode(&b, ident);
    assert_int_equal(b.len, 7 + 113);
    assert_memory_equal(b.data, "prefix/xxx", 10);
    assert_int_equal(b.data[7 + 96], '~');
    cs_buf_release(&b);
}

static void test_file_names(void **state)
{
    char *p;

    (void)state;
    p = fmt_name_file("shop", "orders", ".00001.tsv.zst");
    assert_string_equal(p, "shop.orders.00001.tsv.zst");
    free(p);
    p = fmt_name_file("shop", NULL, "-schema.sql");
    assert_string_equal(p, "shop-schema.sql");
    free(p);
    p = fmt_name_file("a.b", "c", NULL);
    assert_string_equal(p, "a%2Eb.c");
    free(p);
    /* "a.b"."c" and "a"."b.c" no longer clash */
    p = fmt_name_file("a", "b.c", NULL);
    assert_string_equal(p, "a.b%2Ec");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_basic), cmocka_unit_test(test_every_byte_is_safe),
        cmocka_unit_test(test_long_names),   cmocka_unit_test(test_encode_appends),
        cmocka_unit_test(test_file_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
