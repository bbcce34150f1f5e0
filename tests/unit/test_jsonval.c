/* MySQL JSON with type tags: rebuilding expressions (format/jsonval.h,
 * format/jsonscalar.h).  The expressions were checked against MySQL 9.7:
 * each gives the scalar type and JSON_STORAGE_SIZE the source had. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/jsonscalar.h"
#include "format/jsonval.h"
#include "format/sqlenc.h"

/* _utf8mb4 0x<hex of S> */
static char *u8hex(const char *s)
{
    struct cs_buf b = CS_BUF_INIT;

    cs_buf_puts(&b, "_utf8mb4 ");
    fmt_sql_append_hex(&b, s, strlen(s));
    assert_false(cs_buf_failed(&b));
    return cs_buf_detach(&b);
}

static char *rebuilt(const char *val)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;

    cs_error_clear(&err);
    if (fmt_jsonval_append_sql(&b, val, strlen(val), &err) < 0)
        fail_msg("%s: %s", val, err.msg);
    assert_false(cs_buf_failed(&b));
    return cs_buf_detach(&b);
}

/* JSON_SET(CAST(TEXT AS JSON), PATH1, EXPR1, ...) for NPAIRS path/expr pairs. */
static void expect_rebuild(const char *val, const char *text, size_t npairs, ...)
{
    struct cs_buf want = CS_BUF_INIT;
    char *t = u8hex(text), *got;
    va_list ap;

    cs_buf_printf(&want, "JSON_SET(CAST(%s AS JSON)", t);
    va_start(ap, npairs);
    for (size_t i = 0; i < npairs; i++) {
        char *p = u8hex(va_arg(ap, const char *));
        cs_buf_printf(&want, ",%s,%s", p, va_arg(ap, const char *));
        free(p);
    }
    va_end(ap);
    cs_buf_putc(&want, ')');
    got = rebuilt(val);
    assert_string_equal(got, want.data);
    free(got);
    free(t);
    cs_buf_release(&want);
}

static void test_typed(void **state)
{
    (void)state;
    assert_true(fmt_jsonval_typed("~{\"r\": \"U\"}~5", 13));
    assert_false(fmt_jsonval_typed("{\"a\": 1}", 8));
    assert_false(fmt_jsonval_typed("", 0));
}

/* The fixture's rows (tests/data/fixture-types-mysql.sql, fx.js). */
static void test_fixture_rows(void **state)
{
    (void)state;
    expect_rebuild("~{\"m1\": \"D21\", \"m3\": \"D10\", \"m4\": \"U\"}~{\"big\": "
                   "12345678901234567890.123456789, \"dbl\": 1.5, \"dec\": 1.50, \"int\": "
                   "18446744073709551615, \"neg\": -9223372036854775808}",
                   "{\"big\": 12345678901234567890.123456789, \"dbl\": 1.5, \"dec\": 1.50, "
                   "\"int\": 18446744073709551615, \"neg\": -9223372036854775808}",
                   3, "$.\"big\"", "CAST(12345678901234567890.123456789 AS DECIMAL(65,9))",
                   "$.\"dec\"", "CAST(1.50 AS DECIMAL(65,2))", "$.\"int\"",
                   "CAST(18446744073709551615 AS UNSIGNED)");
    expect_rebuild("~{\"e1\": \"a\", \"e2\": \"d\", \"e3\": \"t\", \"e4\": \"o\"}~[\"2020-02-29\", "
                   "\"2020-02-29 12:34:56.123456\", \"-12:34:56.500000\", \"base64:type15:AP8=\"]",
                   "[\"2020-02-29\", \"2020-02-29 12:34:56.123456\", \"-12:34:56.500000\", "
                   "\"base64:type15:AP8=\"]",
                   4, "$[0]", "CAST('2020-02-29' AS DATE)", "$[1]",
                   "CAST('2020-02-29 12:34:56.123456' AS DATETIME(6))", "$[2]",
                   "CAST('-12:34:56.500000' AS TIME(6))", "$[3]", "0x00FF");
    /* a scalar document: path $; CAST of "0.10" (CAST of ".10" would keep no word) */
    expect_rebuild("~{\"r\": \"D10\"}~0.10", "0.10", 1, "$", "CAST(0.10 AS DECIMAL(65,2))");
    expect_rebuild("~{\"r\": \"d\"}~\"2001-01-01 00:00:00.000000\"",
                   "\"2001-01-01 00:00:00.000000\"", 1, "$",
                   "CAST('2001-01-01 00:00:00.000000' AS DATETIME(6))");
}

/* mN counts every object's members and eN every array's elements, the
 * containers taken in document order: the orders of $**.* and $**[*]. */
static void test_ordinals_and_paths(void **state)
{
    static const char doc[] = "{\"a\": {\"x\": 1, \"y\": {\"z\": 2}}, \"b\": [{\"p\": 3}, "
                              "[{\"q\": 4}, 5]], \"c\": {\"r\": 6}}";
    struct cs_buf v = CS_BUF_INIT;

    (void)state;
    /* members: a b c x y z p q r; elements: {"p"} [..] {"q"} 5 */
    cs_buf_printf(&v, "~{\"e4\": \"U\", \"m6\": \"U\", \"m8\": \"U\", \"m9\": \"U\"}~%s", doc);
    expect_rebuild(v.data, doc, 4, "$.\"b\"[1][1]", "CAST(5 AS UNSIGNED)", "$.\"a\".\"y\".\"z\"",
                   "CAST(2 AS UNSIGNED)", "$.\"b\"[1][0].\"q\"", "CAST(4 AS UNSIGNED)",
                   "$.\"c\".\"r\"", "CAST(6 AS UNSIGNED)");
    cs_buf_release(&v);
}

/* Member names go into the path as printed: MySQL reads a quoted member
 * name with JSON escapes. */
static void test_odd_keys(void **state)
{
    (void)state;
    expect_rebuild("~{\"m1\": \"U\", \"m2\": \"U\", \"m3\": \"U\"}~{\"\": 1, \"a\\\"b\": 2, "
                   "\"\\\\\\n\xf0\x9f\x98\x80\": 3}",
                   "{\"\": 1, \"a\\\"b\": 2, \"\\\\\\n\xf0\x9f\x98\x80\": 3}", 3, "$.\"\"",
                   "CAST(1 AS UNSIGNED)", "$.\"a\\\"b\"", "CAST(2 AS UNSIGNED)",
                   "$.\"\\\\\\n\xf0\x9f\x98\x80\"", "CAST(3 AS UNSIGNED)");
}

static char *scalar(const char *tag, const char *tok)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;

    cs_error_clear(&err);
    if (fmt_jsonscalar_append(&b, tag, strlen(tag), tok, strlen(tok), &err) < 0)
        fail_msg("%s %s: %s", tag, tok, err.msg);
    return cs_buf_detach(&b);
}

static void expect_scalar(const char *tag, const char *tok, const char *want)
{
    char *got = scalar(tag, tok);

    assert_string_equal(got, want);
    free(got);
}

#define COLUMN(arr, type)                                                                          \
    "(SELECT cs_v FROM JSON_TABLE(" arr ", _utf8mb4'$[0]' COLUMNS(cs_v " type                      \
    " PATH _utf8mb4'$' ERROR ON ERROR)) cs_jt)"

/* A decimal's size says how many bytes its integer part takes (JSON_STORAGE_SIZE
 * = 5 + integer bytes + fraction bytes); each way of making one keeps a
 * different count. */
static void test_decimal_precision(void **state)
{
    (void)state;
    /* literal: its digits (JSON_OBJECT over a literal, over most columns) */
    expect_scalar("D7", "1.50", "1.50");
    expect_scalar("D8", "123.50", "123.50");
    expect_scalar("D6", "0.10", ".10");  /* no integer digit: from a column */
    expect_scalar("D7", "0.10", "0.10"); /* a literal's "0" */
    expect_scalar("D6", "-0.5", "-.5");
    expect_scalar("D6", "5", "5."); /* scale 0 still a DECIMAL */
    expect_scalar("D6", "0", "0.");
    expect_scalar("D14", "12345678901234567.50", "12345678901234567.50");
    /* CAST: whole 9-digit words */
    expect_scalar("D10", "1.50", "CAST(1.50 AS DECIMAL(65,2))");
    expect_scalar("D10", "-1.50", "CAST(-1.50 AS DECIMAL(65,2))");
    expect_scalar("D9", "7", "CAST(7. AS DECIMAL(65,0))");
    expect_scalar("D18", "12345678901234567890123.5",
                  "CAST(12345678901234567890123.5 AS "
                  "DECIMAL(65,1))");
    /* a DECIMAL(5,2) column keeps 3 digits: 2 bytes */
    expect_scalar("D8", "1.50", COLUMN("_utf8mb4'[\"1.50\"]'", "DECIMAL(5,2)"));
    expect_scalar("D9", "-1.50", COLUMN("_utf8mb4'[\"-1.50\"]'", "DECIMAL(7,2)"));
    expect_scalar("D12", "1234567890.5", COLUMN("_utf8mb4'[\"1234567890.5\"]'", "DECIMAL(13,1)"));
    /* a sum keeps the wider operand's words */
    expect_scalar("D14", "1.50", "((1.50 + 100000000000000000.) - 100000000000000000.)");
    expect_scalar("D18", "-1.50",
                  "((-1.50 + 100000000000000000000000000.) - 100000000000000000000000000.)");
}

static void expect_refused(const char *tag, const char *tok, int code, const char *needle)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;

    cs_error_clear(&err);
    cs_buf_puts(&b, "kept");
    if (fmt_jsonscalar_append(&b, tag, strlen(tag), tok, strlen(tok), &err) == 0)
        fail_msg("%s %s accepted: %s", tag, tok, b.data);
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, needle))
        fail_msg("want \"%s\" in \"%s\"", needle, err.msg);
    assert_string_equal(b.data, "kept");
    cs_buf_release(&b);
}

static void test_decimal_refused(void **state)
{
    (void)state;
    expect_refused("D7", "1.5e3", CS_ERR_FORMAT, "not a decimal");
    expect_refused("D7", "1.", CS_ERR_FORMAT, "not a decimal");
    expect_refused("D7", "\"1.5\"", CS_ERR_FORMAT, "not a decimal");
    expect_refused("Dx", "1.5", CS_ERR_FORMAT, "not a decimal");
    expect_refused("D", "1.5", CS_ERR_FORMAT, "not a decimal");
    expect_refused("D3", "1.5", CS_ERR_VERSION, "no expression rebuilds it");
    expect_refused("D7", "1.5); DROP TABLE t; --", CS_ERR_FORMAT, "not a decimal");
    /* 39 integer bytes: no way of making a decimal keeps that */
    expect_refused("D45", "1.5", CS_ERR_VERSION, "no expression rebuilds it");
    expect_refused("D10", "1.0000000000000000000000000000001", CS_ERR_FORMAT, "not a decimal");
}

static void test_unsigned_and_temporal(void **state)
{
    (void)state;
    expect_scalar("U", "0", "CAST(0 AS UNSIGNED)");
    expect_scalar("U", "18446744073709551615", "CAST(18446744073709551615 AS UNSIGNED)");
    expect_refused("U", "18446744073709551616", CS_ERR_FORMAT, "UNSIGNED");
    expect_refused("U", "-1", CS_ERR_FORMAT, "UNSIGNED");
    expect_scalar("a", "\"0000-00-00\"", "CAST('0000-00-00' AS DATE)");
    expect_scalar("t", "\"838:59:59.000000\"", "CAST('838:59:59.000000' AS TIME(6))");
    expect_scalar("s", "\"2038-01-19 03:14:07.999999\"",
                  COLUMN("_utf8mb4'[\"2038-01-19 03:14:07.999999\"]'", "TIMESTAMP(6)"));
    expect_refused("a", "\"2020-01-01'); DROP\"", CS_ERR_FORMAT, "temporal");
    expect_refused("d", "2020", CS_ERR_FORMAT, "temporal");
    expect_refused("t", "\"\"", CS_ERR_FORMAT, "temporal");
}

/* base64:typeNN: -- NN is the MySQL field type the value had */
static void test_opaque(void **state)
{
    (void)state;
    expect_scalar("o", "\"base64:type15:AP8=\"", "0x00FF");
    expect_scalar("o", "\"base64:type15:\"", "X''");
    expect_scalar("o", "\"base64:type252:AP8=\"", COLUMN("JSON_ARRAY(0x00FF)", "BLOB"));
    expect_scalar("o", "\"base64:type254:BAAA\"", COLUMN("JSON_ARRAY(0x040000)", "BINARY(3)"));
    expect_scalar("o", "\"base64:type16://8=\"", COLUMN("_utf8mb4'[65535]'", "BIT(16)"));
    expect_scalar("o", "\"base64:type250:AP8=\"",
                  "CASE WHEN 1 THEN 0x00FF ELSE CAST('' AS BINARY(65536)) END");
    expect_scalar("o", "\"base64:type251:AP8=\"",
                  "CASE WHEN 1 THEN 0x00FF ELSE CAST('' AS BINARY(16777216)) END");
    /* MySQL breaks base64 lines every 76 characters: a \n escape in JSON */
    expect_scalar(
        "o",
        "\"base64:type15:AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8A/wD/"
        "AP8A"
        "\\n/wD/AP8A/wD/AP8A/wD/AP8A/wD/AP8=\"",
        "0x00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF"
        "00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF00FF");
    expect_refused("o", "\"base64:type249:AP8=\"", CS_ERR_VERSION, "field type 249");
    expect_refused("o", "\"base64:type16:AAAAAAAAAAAA\"", CS_ERR_VERSION, "field type 16");
    expect_refused("o", "\"base64:type15:A*8=\"", CS_ERR_FORMAT, "base64");
    expect_refused("o", "\"hex:00ff\"", CS_ERR_FORMAT, "opaque");
    expect_refused("?GEOMETRY", "{}", CS_ERR_VERSION, "GEOMETRY");
    expect_refused("x", "1", CS_ERR_FORMAT, "unknown JSON type tag");
    expect_refused("", "1", CS_ERR_FORMAT, "unknown JSON type tag");
}

static void expect_value_refused(const char *val, const char *needle)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;

    cs_error_clear(&err);
    cs_buf_puts(&b, "kept");
    if (fmt_jsonval_append_sql(&b, val, strlen(val), &err) == 0)
        fail_msg("%s accepted: %s", val, b.data);
    if (!strstr(err.msg, needle))
        fail_msg("%s: want \"%s\" in \"%s\"", val, needle, err.msg);
    assert_string_equal(b.data, "kept");
    cs_buf_release(&b);
}

static void test_damaged_values(void **state)
{
    (void)state;
    expect_value_refused("{\"a\": 1}", "without type tags");
    expect_value_refused("~", "ends early");
    expect_value_refused("~{\"m1\": \"U\"}", "not an object followed by '~'");
    expect_value_refused("~{\"m1\": \"U\"}{\"a\": 1}", "not an object followed by '~'");
    expect_value_refused("~[\"m1\"]~{\"a\": 1}", "not an object followed by '~'");
    expect_value_refused("~{\"m2\": \"U\"}~{\"a\": 1}", "names no scalar");
    expect_value_refused("~{\"m0\": \"U\"}~{\"a\": 1}", "names no scalar");
    expect_value_refused("~{\"e1\": \"U\"}~{\"a\": 1}", "names no scalar");
    expect_value_refused("~{\"m1\": \"U\"}~{\"a\": [1]}", "names no scalar");
    expect_value_refused("~{\"r\": \"U\"}~{\"a\": 1}", "names no scalar");
    expect_value_refused("~{\"m1\": 7}~{\"a\": 1}", "is not a string");
    expect_value_refused("~{\"m1\": \"U\"}~{\"a\": 1", "lacks a ','");
    expect_value_refused("~{\"m1\": \"U\"}~{\"a\": 1} x", "text after the value");
    expect_value_refused("~{\"m1\": \"U\"}~{\"a\" 1}", "lacks a ':'");
    expect_value_refused("~{\"m1\": \"U\"}~{\"a\": \"x}", "unterminated string");
    expect_value_refused("~{\"m1\": \"D7\"}~{\"a\": 1.5e0}", "not a decimal");
    expect_value_refused("~{\"m1\": \"U\"}~{\"a\": 1 2}", "lacks a ','");
}

/* A value with no tag left is the text alone. */
static void test_empty_tags(void **state)
{
    char *got, *t;
    struct cs_buf want = CS_BUF_INIT;

    (void)state;
    got = rebuilt("~{}~[1]");
    t = u8hex("[1]");
    cs_buf_printf(&want, "(CAST(%s AS JSON))", t);
    assert_string_equal(got, want.data);
    free(got);
    free(t);
    cs_buf_release(&want);
}

/* Deep documents: MySQL allows 100 levels; more is refused, never a crash. */
static void test_depth(void **state)
{
    struct cs_buf v = CS_BUF_INIT;
    struct cs_error err;
    struct cs_buf out = CS_BUF_INIT;

    (void)state;
    cs_buf_puts(&v, "~{\"e100\": \"U\"}~");
    for (int i = 0; i < 100; i++)
        cs_buf_putc(&v, '[');
    cs_buf_putc(&v, '1');
    for (int i = 0; i < 100; i++)
        cs_buf_putc(&v, ']');
    cs_error_clear(&err);
    assert_int_equal(fmt_jsonval_append_sql(&out, v.data, v.len, &err), 0);
    assert_non_null(strstr(out.data, ",CAST(1 AS UNSIGNED))"));
    cs_buf_reset(&v);
    cs_buf_reset(&out);
    cs_buf_puts(&v, "~{\"r\": \"U\"}~");
    for (int i = 0; i < 1000; i++)
        cs_buf_putc(&v, '[');
    assert_int_equal(fmt_jsonval_append_sql(&out, v.data, v.len, &err), -1);
    assert_non_null(strstr(err.msg, "nests too deep"));
    cs_buf_release(&v);
    cs_buf_release(&out);
}

/* sqlenc: untagged values stay utf8mb4 text, tagged ones are rebuilt. */
static void test_sql_value(void **state)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(fmt_sql_append_value(&b, FMT_COL_MYSQL_JSON, "{}", 2, &err), 0);
    assert_string_equal(b.data, "_utf8mb4 0x7B7D");
    cs_buf_reset(&b);
    assert_int_equal(fmt_sql_append_value(&b, FMT_COL_MYSQL_JSON, "~{\"r\": \"U\"}~1", 13, &err),
                     0);
    assert_string_equal(b.data, "JSON_SET(CAST(_utf8mb4 0x31 AS JSON),_utf8mb4 0x24,CAST(1 AS "
                                "UNSIGNED))");
    cs_buf_reset(&b);
    assert_int_equal(fmt_sql_append_value(&b, FMT_COL_MYSQL_JSON, "~{\"r\": \"x\"}~1", 13, &err),
                     -1);
    /* utf8text (dumps before mysql-json) never decodes */
    cs_buf_reset(&b);
    assert_int_equal(fmt_sql_append_value(&b, FMT_COL_UTF8TEXT, "~x", 2, &err), 0);
    assert_string_equal(b.data, "_utf8mb4 0x7E78");
    cs_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typed),
        cmocka_unit_test(test_fixture_rows),
        cmocka_unit_test(test_ordinals_and_paths),
        cmocka_unit_test(test_odd_keys),
        cmocka_unit_test(test_decimal_precision),
        cmocka_unit_test(test_decimal_refused),
        cmocka_unit_test(test_unsigned_and_temporal),
        cmocka_unit_test(test_opaque),
        cmocka_unit_test(test_damaged_values),
        cmocka_unit_test(test_empty_tags),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_sql_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
