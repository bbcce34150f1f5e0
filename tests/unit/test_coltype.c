#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include <cmocka.h>

#include "format/coltype.h"

static void test_number_types(void **state)
{
    static const char *const types[] = {"tinyint", "smallint", "mediumint", "int", "bigint",
                                        "decimal", "year",     "double",    "real"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        assert_int_equal(fmt_col_kind_from_type(types[i], 0), FMT_COL_NUMBER);
        assert_int_equal(fmt_col_kind_from_type(types[i], 1), FMT_COL_NUMBER);
    }
    assert_int_equal(fmt_col_kind_from_type("float", 0), FMT_COL_FLOAT);
    assert_int_equal(fmt_col_kind_from_type("float", 1), FMT_COL_FLOAT);
}

static void test_string_and_binary_types(void **state)
{
    static const char *const strings[] = {"char",       "varchar",  "tinytext",  "text",
                                          "mediumtext", "longtext", "enum",      "set",
                                          "date",       "datetime", "timestamp", "time"};
    static const char *const binaries[] = {"binary",         "varbinary",
                                           "tinyblob",       "blob",
                                           "mediumblob",     "longblob",
                                           "geometry",       "point",
                                           "linestring",     "polygon",
                                           "multipoint",     "multilinestring",
                                           "multipolygon",   "geometrycollection",
                                           "geomcollection", "vector"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        assert_int_equal(fmt_col_kind_from_type(strings[i], 0), FMT_COL_STRING);
    for (i = 0; i < sizeof(binaries) / sizeof(binaries[0]); i++)
        assert_int_equal(fmt_col_kind_from_type(binaries[i], 1), FMT_COL_BINARY);
    assert_int_equal(fmt_col_kind_from_type("bit", 0), FMT_COL_BIT);
}

static void test_flavour_and_case(void **state)
{
    (void)state;
    assert_int_equal(fmt_col_kind_from_type("json", 0), FMT_COL_MYSQL_JSON);
    assert_int_equal(fmt_col_kind_from_type("json", 1), FMT_COL_STRING);
    assert_int_equal(fmt_col_kind_from_type("uuid", 1), FMT_COL_UTF8TEXT);
    assert_int_equal(fmt_col_kind_from_type("inet4", 1), FMT_COL_UTF8TEXT);
    assert_int_equal(fmt_col_kind_from_type("inet6", 1), FMT_COL_UTF8TEXT);
    assert_int_equal(fmt_col_kind_from_type("BIGINT", 0), FMT_COL_NUMBER);
    assert_int_equal(fmt_col_kind_from_type("LongBlob", 1), FMT_COL_BINARY);
    assert_int_equal(fmt_col_kind_from_type("Float", 0), FMT_COL_FLOAT);
    /* unknown types and near misses travel as strings */
    assert_int_equal(fmt_col_kind_from_type("frobnicate", 0), FMT_COL_STRING);
    assert_int_equal(fmt_col_kind_from_type("int ", 0), FMT_COL_STRING);
    assert_int_equal(fmt_col_kind_from_type("", 1), FMT_COL_STRING);
    assert_int_equal(fmt_col_kind_from_type(NULL, 1), FMT_COL_STRING);
}

static void test_kind_names(void **state)
{
    static const char *const names[FMT_COL_KIND_COUNT] = {
        "number", "float", "string", "binary", "bit", "utf8text", "mysql-json"};
    int k;

    (void)state;
    for (k = 0; k < FMT_COL_KIND_COUNT; k++) {
        assert_string_equal(fmt_col_kind_name((enum fmt_col_kind)k), names[k]);
        assert_int_equal(fmt_col_kind_parse(names[k]), k);
    }
    assert_int_equal(fmt_col_kind_parse("blob"), -1);
    assert_int_equal(fmt_col_kind_parse(""), -1);
    assert_int_equal(fmt_col_kind_parse("Number"), -1);
    assert_int_equal(fmt_col_kind_parse(NULL), -1);
    assert_string_equal(fmt_col_kind_name(FMT_COL_KIND_COUNT), "unknown");
}

static void expect_select(enum fmt_col_kind kind, const char *want)
{
    struct cs_buf b = CS_BUF_INIT;

    fmt_col_select_expr(&b, kind, "`c`");
    assert_false(cs_buf_failed(&b));
    assert_string_equal(b.data, want);
    cs_buf_release(&b);
}

static void test_select_expr(void **state)
{
    (void)state;
    expect_select(FMT_COL_NUMBER, "`c`");
    expect_select(FMT_COL_FLOAT, "(`c`+0e0)");
    expect_select(FMT_COL_STRING, "`c`");
    expect_select(FMT_COL_BINARY, "`c`");
    expect_select(FMT_COL_BIT, "(`c`+0)");
    expect_select(FMT_COL_UTF8TEXT, "`c`");
}

/* MySQL JSON: the text, or the type tags the server computes, then the text. */
static void test_select_mysql_json(void **state)
{
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    fmt_col_select_expr(&b, FMT_COL_MYSQL_JSON, "`c`");
    assert_false(cs_buf_failed(&b));
    assert_non_null(strstr(b.data, "JSON_TABLE(`c`, _utf8mb4'$' COLUMNS("));
    assert_non_null(strstr(b.data, "NESTED PATH _utf8mb4'$**.*'"));
    assert_non_null(strstr(b.data, "NESTED PATH _utf8mb4'$**[*]'"));
    assert_non_null(strstr(b.data, "JSON_STORAGE_SIZE("));
    assert_non_null(strstr(b.data, "JSON_OBJECT(_utf8mb4'r', "));
    assert_int_equal(strncmp(b.data, "IF(JSON_TYPE(`c`) IN ('OBJECT','ARRAY'), ", 41), 0);
    cs_buf_release(&b);
}

static void expect_set(enum fmt_col_kind kind, const char *var, const char *want)
{
    struct cs_buf b = CS_BUF_INIT;

    fmt_col_load_set(&b, kind, "`c`", var);
    assert_false(cs_buf_failed(&b));
    assert_string_equal(b.data, want);
    cs_buf_release(&b);
}

static void test_load_set(void **state)
{
    (void)state;
    assert_int_equal(fmt_col_needs_load_var(FMT_COL_NUMBER), 0);
    assert_int_equal(fmt_col_needs_load_var(FMT_COL_FLOAT), 0);
    assert_int_equal(fmt_col_needs_load_var(FMT_COL_STRING), 0);
    assert_int_equal(fmt_col_needs_load_var(FMT_COL_BINARY), 0);
    assert_int_equal(fmt_col_needs_load_var(FMT_COL_BIT), 1);
    assert_int_equal(fmt_col_needs_load_var(FMT_COL_UTF8TEXT), 1);
    expect_set(FMT_COL_BIT, "@v", "`c`=CAST(@v AS UNSIGNED)");
    expect_set(FMT_COL_BIT, "v3", "`c`=CAST(@v3 AS UNSIGNED)");
    expect_set(FMT_COL_UTF8TEXT, "@v1", "`c`=CONVERT(@v1 USING utf8mb4)");
    assert_int_equal(fmt_col_needs_load_var(FMT_COL_MYSQL_JSON), 1);
    expect_set(FMT_COL_MYSQL_JSON, "@v4", "`c`=CONVERT(@v4 USING utf8mb4)");
    expect_set(FMT_COL_STRING, "@v2", "`c`=@v2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_types),      cmocka_unit_test(test_string_and_binary_types),
        cmocka_unit_test(test_flavour_and_case),  cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_select_mysql_json), cmocka_unit_test(test_select_expr),
        cmocka_unit_test(test_load_set),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
