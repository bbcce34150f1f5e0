/* Version-1 dumps (load/bounds_v1.h): the bound text csdump 1 wrote becomes
 * typed values; anything else is refused naming the chunk file.  And the
 * manifest reader on both versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/fs.h"
#include "format/chunksel.h"
#include "load/bounds_v1.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Columns of every kind csdump 1 bounded, one key column each (or all). */
static struct fmt_column cols[] = {
    {(char *)"i", (char *)"bigint", FMT_COL_NUMBER, 0},
    {(char *)"f", (char *)"float", FMT_COL_FLOAT, 0},
    {(char *)"b", (char *)"bit(8)", FMT_COL_BIT, 0},
    {(char *)"h", (char *)"varbinary(8)", FMT_COL_BINARY, 0},
    {(char *)"s", (char *)"varchar(8)", FMT_COL_STRING, 0},
    {(char *)"u", (char *)"uuid", FMT_COL_UTF8TEXT, 0},
    {(char *)"j", (char *)"json", FMT_COL_MYSQL_JSON, 0},
};

static struct fmt_table table_on(char **key, size_t nkey)
{
    struct fmt_table t;

    memset(&t, 0, sizeof(t));
    t.schema = (char *)"db";
    t.name = (char *)"t";
    t.columns = cols;
    t.ncolumns = N(cols);
    t.key = key;
    t.nkey = nkey;
    return t;
}

/* TEXT on key column COL: accepted, its literals are WANT. */
static void accepted(const char *col, const char *text, const char *want)
{
    char *key[] = {(char *)col};
    struct fmt_table t = table_on(key, 1);
    struct fmt_bound *b;
    const char *why;
    char *lit;

    if (load_bounds_v1_parse(&t, text, 1, &b, &why) < 0)
        fail_msg("%s: \"%s\" refused: %s", col, text, why);
    assert_true(b->closed);
    lit = fmt_bound_text(b);
    assert_string_equal(lit, want);
    free(lit);
    fmt_bound_free(b);
}

static void refused(char **key, size_t nkey, const char *text, const char *needle)
{
    struct fmt_table t = table_on(key, nkey);
    struct fmt_bound *b = (struct fmt_bound *)1;
    const char *why = NULL;

    if (load_bounds_v1_parse(&t, text, 0, &b, &why) == 0)
        fail_msg("accepted \"%s\"", text);
    assert_null(b);
    if (!strstr(why, needle))
        fail_msg("\"%s\": \"%s\" does not say \"%s\"", text, why, needle);
}

static void test_v1_forms(void **state)
{
    char *all[] = {(char *)"i", (char *)"h", (char *)"s", (char *)"u"};
    struct fmt_table t = table_on(all, 4);
    struct fmt_bound *b;
    const char *why;

    (void)state;
    accepted("i", "42", "42");
    accepted("i", "-9223372036854775808", "-9223372036854775808");
    accepted("i", "-12.50", "-12.50");
    accepted("i", "1.7976931348623157e308", "1.7976931348623157e308");
    accepted("f", "1.100000023841858", "1.100000023841858");
    accepted("f", "-1.5e-7", "-1.5e-7");
    accepted("b", "5", "5");
    accepted("h", "0x00FF6162", "0x00FF6162");
    accepted("h", "X''", "X''");
    accepted("s", "_latin1 0x6127625C", "_latin1 0x6127625C");
    accepted("s", "_utf8mb4 X''", "_utf8mb4 X''");
    accepted("s", "'2024-02-29 23:59:59.123456'", "'2024-02-29 23:59:59.123456'");
    accepted("s", "'-838:59:59'", "'-838:59:59'");
    accepted("u", "'123e4567-e89b-12d3-a456-426614174000'",
             "_utf8mb4'123e4567-e89b-12d3-a456-426614174000'");
    /* a composite key: ", " between */
    assert_int_equal(load_bounds_v1_parse(&t, "7, 0x01, _utf8mb4 0xC3A9, '::1'", 0, &b, &why), 0);
    assert_false(b->closed);
    assert_int_equal(b->v[0].type, FMT_KEY_INTEGER);
    assert_int_equal(b->v[1].type, FMT_KEY_BINARY);
    assert_int_equal(b->v[2].type, FMT_KEY_STRING);
    assert_string_equal(b->v[2].charset, "utf8mb4");
    assert_memory_equal(b->v[2].data, "\xc3\xa9", 2);
    assert_int_equal(b->v[3].type, FMT_KEY_TEXT);
    fmt_bound_free(b);
}

static void test_v1_refused(void **state)
{
    char *i[] = {(char *)"i"}, *h[] = {(char *)"h"}, *s[] = {(char *)"s"}, *u[] = {(char *)"u"};
    char *j[] = {(char *)"j"}, *two[] = {(char *)"i", (char *)"s"}, *nope[] = {(char *)"zz"};

    (void)state;
    refused(i, 1, "10 OR 1=1", "nothing after the last key value");
    refused(i, 1, "10; DROP DATABASE mysql", "nothing after");
    refused(i, 1, "10 -- x", "nothing after");
    refused(i, 1, "10/*!50000 OR 1=1*/", "nothing after");
    refused(i, 1, "(10)", "a number");
    refused(i, 1, "@@version", "a number");
    refused(i, 1, "`i`", "a number");
    refused(i, 1, "1e5e5", "floating-point");
    refused(i, 1, "10, 11", "nothing after");
    refused(i, 1, "", "a value for every key column");
    refused(i, 1, "'10'", "a number");
    refused(i, 1, "0x61", "an integer");
    refused(h, 1, "0x0G", "a hex literal");
    refused(h, 1, "'a'", "a hex literal");
    refused(h, 1, "0x6", "a hex literal");
    refused(s, 1, "_latin1 'a'", "a hex literal");
    refused(s, 1, "_latin1  0x61", "_charset 0x...");
    refused(s, 1, "_latin1 0x61 COLLATE latin1_bin", "nothing after");
    refused(s, 1, "_LATIN1 0x61", "a character set name");
    refused(s, 1, "'it''s'", "without quotes or backslashes inside");
    refused(s, 1, "'a\\'b'", "without quotes or backslashes inside");
    refused(s, 1, "'2024-01-01' OR '1'='1'", "nothing after");
    refused(s, 1, "'x'", "a date or time");
    refused(s, 1, "'open", "without quotes");
    refused(u, 1, "'a b'", "a UUID or INET address");
    refused(j, 1, "'{}'", "a key column type csdump 1 bounded");
    refused(nope, 1, "1", "a key column type csdump 1 bounded");
    refused(two, 2, "1", "a value for every key column");
    refused(two, 2, "1,_latin1 0x61", "\", \" between the values");
    refused(two, 0, "1", "no bounds (the table has no key)");
}

static char *read_data(const char *name, size_t *len)
{
    struct cs_error err;
    char *path = cs_fs_join(CS_TEST_DATA, name), *text = NULL;

    assert_non_null(path);
    if (cs_fs_read_all(path, 1 << 20, &text, len, &err) < 0)
        fail_msg("%s", err.msg);
    free(path);
    return text;
}

/* The golden version-1 manifest: bounds as text, read and then typed. */
static void test_v1_manifest(void **state)
{
    struct cs_error err;
    size_t len;
    char *text = read_data("manifest-v1.json", &len);
    struct fmt_manifest *m = fmt_manifest_from_json(text, len, "manifest-v1.json", &err);
    const struct fmt_table *t;
    const char *key[] = {"id"};
    struct fmt_chunk_range r = {key, 1, NULL, NULL};
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    assert_non_null(m);
    assert_int_equal(m->format_version, 1);
    m = load_bounds_v1_take(m, "manifest-v1.json", &err);
    if (!m)
        fail_msg("%s", err.msg);
    t = &m->tables[0];
    assert_null(t->chunks[0].lo);
    assert_non_null(t->chunks[0].hi);
    assert_false(t->chunks[0].hi->closed); /* csdump 1: [lower, upper) */
    assert_true(t->chunks[1].lo->closed);
    assert_null(t->chunks[1].hi);
    assert_null(t->chunks[0].v1_upper);
    assert_int_equal(fmt_bound_cmp(t->chunks[0].hi, t->chunks[1].lo), 0);
    r.lo = t->chunks[1].lo;
    assert_int_equal(fmt_chunk_where(&b, &r), 0);
    assert_string_equal(b.data, "((`id` >= 100))");
    cs_buf_release(&b);
    fmt_manifest_free(m);
    free(text);
}

/* A version-1 bound carrying SQL: refused naming the chunk file. */
static void test_v1_manifest_hostile(void **state)
{
    struct cs_error err;
    size_t len;
    char *text = read_data("manifest-v1.json", &len), *at;
    struct fmt_manifest *m;
    static const char evil[] = "\"lower\": \"100) OR (1=1\"";

    (void)state;
    at = strstr(text, "\"lower\": \"100\"");
    assert_non_null(at);
    {
        size_t n = len + sizeof(evil);
        char *t2 = malloc(n);
        assert_non_null(t2);
        snprintf(t2, n, "%.*s%s%s", (int)(at - text), text, evil,
                 at + strlen("\"lower\": \"100\""));
        free(text);
        text = t2;
    }
    m = fmt_manifest_from_json(text, strlen(text), "manifest.json", &err);
    assert_non_null(m);
    cs_error_clear(&err);
    assert_null(load_bounds_v1_take(m, "DUMP", &err));
    assert_int_equal(err.code, CS_ERR_HOSTILE);
    assert_non_null(strstr(err.msg,
                           "DUMP: chunk file shop.orders.00001.tsv.zst of shop.orders: "
                           "its lower bound \"100) OR (1=1\" is not what csdump 1 writes"));
    free(text);
}

/* Version 2: typed bounds; a value carrying SQL is refused when read. */
static void test_v2_manifest(void **state)
{
    struct cs_error err;
    size_t len;
    char *text = read_data("manifest-full.json", &len), *at;
    struct fmt_manifest *m = fmt_manifest_from_json(text, len, "manifest-full.json", &err);

    (void)state;
    if (!m)
        fail_msg("%s", err.msg);
    assert_int_equal(m->format_version, 2);
    assert_true(m->include_system);
    assert_int_equal(m->tables[0].chunks[0].lo->n, 2);
    assert_int_equal(load_bounds_v1(m, "x", &err), 0); /* nothing to do */
    fmt_manifest_free(m);
    at = strstr(text, "\"value\": \"10\"");
    assert_non_null(at);
    memcpy(at, "\"value\": \"1;\"", 13);
    assert_null(fmt_manifest_from_json(text, len, "manifest.json", &err));
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "manifest.json: field tables[0].chunks[0].lower: "
                                    "values[0].value: expected an integer"));
    assert_non_null(strstr(err.msg, "(chunk file shop.orders.00000.sql.zst)"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_forms),    cmocka_unit_test(test_v1_refused),
        cmocka_unit_test(test_v1_manifest), cmocka_unit_test(test_v1_manifest_hostile),
        cmocka_unit_test(test_v2_manifest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
