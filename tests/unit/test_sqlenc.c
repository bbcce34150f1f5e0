#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/sqlenc.h"

/* ---- test source -------------------------------------------------------- */

/* Hands out at most STEP bytes per read; with FAIL_AT, fails past it. */
struct trickle {
    struct fmt_source base;
    const char *data;
    size_t len, off, step, fail_at;
};

static ssize_t trickle_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct trickle *t = (struct trickle *)s;
    size_t n = t->len - t->off;

    if (t->fail_at && t->off >= t->fail_at)
        return cs_error_set(err, CS_ERR_IO, "injected read failure");
    if (n > cap)
        n = cap;
    if (n > t->step)
        n = t->step;
    memcpy(buf, t->data + t->off, n);
    t->off += n;
    return (ssize_t)n;
}

static void trickle_free(struct fmt_source *s)
{
    free(s);
}

/* step 0: the real memory source. */
static struct fmt_source *source_new(const char *data, size_t len, size_t step)
{
    struct cs_error err;
    struct fmt_source *s;
    struct trickle *t;

    cs_error_clear(&err);
    if (!step) {
        s = fmt_source_memory_new(data, len, &err);
        assert_non_null(s);
        return s;
    }
    t = calloc(1, sizeof(*t));
    assert_non_null(t);
    t->base.read = trickle_read;
    t->base.free = trickle_free;
    t->data = data;
    t->len = len;
    t->step = step;
    return &t->base;
}

static const size_t steps[] = {0, 1, 2, 3, 5, 4096};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

/* ---- helpers ------------------------------------------------------------ */

/* Splits TEXT; expects exactly WANT[0..NWANT) (lengths WANT_LENS, or strlen
 * when NULL), then the end of data. */
static void expect_split(const char *text, size_t len, size_t step, const char *const *want,
                         const size_t *want_lens, size_t nwant)
{
    struct cs_error err;
    struct fmt_source *src = source_new(text, len, step);
    struct fmt_sql_reader *r;
    const char *stmt;
    size_t i, n, wl;

    cs_error_clear(&err);
    r = fmt_sql_reader_new(src, "t.sql", &err);
    assert_non_null(r);
    for (i = 0; i < nwant; i++) {
        assert_int_equal(fmt_sql_reader_next(r, &stmt, &n, &err), 1);
        wl = want_lens ? want_lens[i] : strlen(want[i]);
        assert_int_equal(n, wl);
        assert_memory_equal(stmt, want[i], wl);
        assert_int_equal(stmt[n], '\0');
    }
    assert_int_equal(fmt_sql_reader_next(r, &stmt, &n, &err), 0);
    assert_false(cs_error_is_set(&err));
    fmt_sql_reader_free(r);
    fmt_source_free(src);
}

/* Splits TEXT: expects NGOOD statements, then CS_ERR_TRUNCATED mentioning WHAT. */
static void expect_truncated(const char *text, size_t ngood, const char *what)
{
    struct cs_error err;
    struct fmt_source *src;
    struct fmt_sql_reader *r;
    const char *stmt;
    size_t i, j, n;

    for (j = 0; j < NSTEPS; j++) {
        cs_error_clear(&err);
        src = source_new(text, strlen(text), steps[j]);
        r = fmt_sql_reader_new(src, "cut.sql", &err);
        assert_non_null(r);
        for (i = 0; i < ngood; i++)
            assert_int_equal(fmt_sql_reader_next(r, &stmt, &n, &err), 1);
        assert_int_equal(fmt_sql_reader_next(r, &stmt, &n, &err), -1);
        assert_int_equal(err.code, CS_ERR_TRUNCATED);
        assert_non_null(strstr(err.msg, "cut.sql"));
        assert_non_null(strstr(err.msg, what));
        fmt_sql_reader_free(r);
        fmt_source_free(src);
    }
}

static void append_value(struct cs_buf *b, enum fmt_col_kind kind, const char *val, size_t len)
{
    struct cs_error err;

    cs_error_clear(&err);
    assert_int_equal(fmt_sql_append_value(b, kind, val, len, &err), 0);
}

static void expect_literal(enum fmt_col_kind kind, const char *val, size_t len, const char *want)
{
    struct cs_buf b = CS_BUF_INIT;

    append_value(&b, kind, val, len);
    assert_false(cs_buf_failed(&b));
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    cs_buf_release(&b);
}

/* What the server makes of a '...' literal (backslash escapes on). */
static size_t unquote(const char *lit, size_t len, char *out)
{
    size_t i, o = 0;
    char c;

    assert_true(len >= 2 && lit[0] == '\'' && lit[len - 1] == '\'');
    for (i = 1; i < len - 1; i++) {
        c = lit[i];
        assert_int_not_equal(c, '\''); /* an unescaped quote would end it */
        if (c == '\\') {
            c = lit[++i];
            c = c == '0' ? '\0' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'Z' ? '\x1a' : c;
        }
        out[o++] = c;
    }
    return o;
}

/* ---- encoder tests ------------------------------------------------------ */

static void test_header_sql_mode(void **state)
{
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    fmt_sql_header(&b, "STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES,ANSI_QUOTES");
    assert_false(cs_buf_failed(&b));
    assert_non_null(strstr(b.data, "/*!40101 SET NAMES binary */;\n"));
    assert_non_null(strstr(b.data, "UNIQUE_CHECKS=0 */;\n"));
    assert_non_null(strstr(b.data, "FOREIGN_KEY_CHECKS=0 */;\n"));
    assert_non_null(strstr(b.data, "/*!40103 SET TIME_ZONE='+00:00' */;\n"));
    assert_non_null(strstr(b.data, "SQL_MODE='ANSI_QUOTES,NO_AUTO_VALUE_ON_ZERO' */;\n"));
    assert_null(strstr(b.data, "NO_BACKSLASH_ESCAPES"));

    cs_buf_reset(&b);
    fmt_sql_header(&b, NULL);
    assert_non_null(strstr(b.data, "SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n"));

    cs_buf_reset(&b);
    fmt_sql_header(&b, "no_backslash_escapes");
    assert_non_null(strstr(b.data, "SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n"));

    cs_buf_reset(&b);
    fmt_sql_header(&b, "DB2, no_auto_value_on_zero,,STRICT'; DROP TABLE x; -- \\");
    assert_non_null(strstr(b.data, "SQL_MODE='DB2,STRICTDROPTABLEX,NO_AUTO_VALUE_ON_ZERO' */;\n"));

    /* MySQL's default mode: zero dates the source holds must load, and
     * strict mode without NO_ZERO_DATE & co. draws warning 3135 */
    cs_buf_reset(&b);
    fmt_sql_header(&b, "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                       "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION");
    assert_non_null(strstr(b.data, "SQL_MODE='ONLY_FULL_GROUP_BY,NO_ENGINE_SUBSTITUTION,"
                                   "NO_AUTO_VALUE_ON_ZERO' */;\n"));
    cs_buf_reset(&b);
    fmt_sql_header(&b, "STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                       "ERROR_FOR_DIVISION_BY_ZERO,TRADITIONAL,NO_ENGINE_SUBSTITUTION");
    assert_non_null(
        strstr(b.data, "SQL_MODE='NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO' */;\n"));
    cs_buf_release(&b);
}

static void test_header_footer_split(void **state)
{
    static const char *const want[] = {
        "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */",
        "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */",
        "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */",
        "/*!40101 SET NAMES binary */",
        "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */",
        "/*!40103 SET TIME_ZONE='+00:00' */",
        "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */",
        "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */",
        "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='ANSI,NO_AUTO_VALUE_ON_ZERO' */",
        "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */",
        "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */",
        "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */",
        "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */",
        "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */",
        "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */",
        "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */",
    };
    struct cs_buf b = CS_BUF_INIT;
    size_t j;

    (void)state;
    fmt_sql_header(&b, "ANSI");
    fmt_sql_footer(&b);
    assert_false(cs_buf_failed(&b));
    for (j = 0; j < NSTEPS; j++)
        expect_split(b.data, b.len, steps[j], want, NULL, 16);
    cs_buf_release(&b);
}

static void test_insert_prefix(void **state)
{
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    fmt_sql_insert_prefix(&b, "`db`.`t`", "`a`,`b`");
    assert_string_equal(b.data, "INSERT INTO `db`.`t` (`a`,`b`) VALUES");
    cs_buf_reset(&b);
    fmt_sql_insert_prefix(&b, "`db`.`t`", NULL);
    assert_string_equal(b.data, "INSERT INTO `db`.`t` VALUES");
    cs_buf_release(&b);
}

static void test_values_by_kind(void **state)
{
    int k;

    (void)state;
    for (k = 0; k < FMT_COL_KIND_COUNT; k++)
        expect_literal((enum fmt_col_kind)k, NULL, 0, "NULL");
    expect_literal(FMT_COL_NUMBER, "123", 3, "123");
    expect_literal(FMT_COL_NUMBER, "-12.50", 6, "-12.50");
    expect_literal(FMT_COL_NUMBER, "", 0, "''");
    expect_literal(FMT_COL_NUMBER, "1;DROP", 6, "'1;DROP'");
    expect_literal(FMT_COL_NUMBER, "1e", 2, "'1e'");
    expect_literal(FMT_COL_NUMBER, "+", 1, "'+'");
    expect_literal(FMT_COL_NUMBER, "-.", 2, "'-.'");
    expect_literal(FMT_COL_NUMBER, ".", 1, "'.'");
    expect_literal(FMT_COL_NUMBER, "1.2.3", 5, "'1.2.3'");
    expect_literal(FMT_COL_NUMBER, "1e+", 3, "'1e+'");
    expect_literal(FMT_COL_NUMBER, "e5", 2, "'e5'");
    expect_literal(FMT_COL_NUMBER, "1 ", 2, "'1 '");
    expect_literal(FMT_COL_NUMBER, "1.", 2, "1.");
    expect_literal(FMT_COL_NUMBER, "-0", 2, "-0");
    expect_literal(FMT_COL_NUMBER, "18446744073709551615", 20, "18446744073709551615");
    expect_literal(FMT_COL_FLOAT, "-1E5", 4, "-1E5");
    expect_literal(FMT_COL_FLOAT, "1.5e+30", 7, "1.5e+30");
    expect_literal(FMT_COL_FLOAT, ".5E-3", 5, ".5E-3");
    expect_literal(FMT_COL_FLOAT, "", 0, "''");
    expect_literal(FMT_COL_BIT, "5", 1, "5");
    expect_literal(FMT_COL_STRING, "it's", 4, "'it\\'s'");
    expect_literal(FMT_COL_STRING, "", 0, "''");
    expect_literal(FMT_COL_STRING, "\0\n\r\x1a\"\\\xc3\xa9\t", 9,
                   "'\\0\\n\\r\\Z\\\"\\\\\xc3\xa9\t'");
    expect_literal(FMT_COL_BINARY, "\0\xff\x10", 3, "0x00FF10");
    expect_literal(FMT_COL_BINARY, "", 0, "X''");
    expect_literal(FMT_COL_UTF8TEXT, "{}", 2, "_utf8mb4 0x7B7D");
    expect_literal(FMT_COL_UTF8TEXT, "", 0, "_utf8mb4''");
}

static void test_string_every_byte(void **state)
{
    struct cs_buf b = CS_BUF_INIT;
    char bytes[256], out[600];
    size_t i;

    (void)state;
    for (i = 0; i < 256; i++)
        bytes[i] = (char)i;
    for (i = 0; i < 256; i++) {
        cs_buf_reset(&b);
        fmt_sql_append_string(&b, bytes + i, 1);
        assert_int_equal(unquote(b.data, b.len, out), 1);
        assert_int_equal((unsigned char)out[0], i);
    }
    cs_buf_reset(&b);
    fmt_sql_append_string(&b, bytes, 256);
    assert_int_equal(unquote(b.data, b.len, out), 256);
    assert_memory_equal(out, bytes, 256);
    cs_buf_release(&b);
}

/* ---- splitter tests ----------------------------------------------------- */

/* An INSERT with every byte value in every kind, between header and footer. */
static void test_insert_every_byte_split(void **state)
{
    struct cs_buf b = CS_BUF_INIT, body = CS_BUF_INIT;
    const char *want[17];
    size_t lens[17], i, j, hlen;
    char bytes[256], row[8];
    int k;

    (void)state;
    for (i = 0; i < 256; i++)
        bytes[i] = (char)i;
    fmt_sql_header(&b, "");
    hlen = b.len;
    fmt_sql_insert_prefix(&body, "`d`.`t`", "`a`,`b`,`c`,`d`,`e`");
    for (i = 0; i <= 256; i++) {
        cs_buf_puts(&body, i ? ",\n(" : "\n(");
        for (k = FMT_COL_STRING; k <= FMT_COL_BINARY; k++) {
            append_value(&body, (enum fmt_col_kind)k, i < 256 ? bytes + i : bytes,
                         i < 256 ? 1 : 256);
            cs_buf_putc(&body, ',');
        }
        append_value(&body, FMT_COL_UTF8TEXT, bytes + (i & 127), 1);
        snprintf(row, sizeof(row), ",%zu,", i);
        cs_buf_puts(&body, row);
        append_value(&body, FMT_COL_STRING, NULL, 0);
        cs_buf_putc(&body, ')');
    }
    cs_buf_append(&b, body.data, body.len);
    cs_buf_puts(&b, ";\n");
    fmt_sql_footer(&b);
    assert_false(cs_buf_failed(&b) || cs_buf_failed(&body));

    /* the header's 9 statements, the INSERT, the footer's 7 */
    for (i = 0, j = 0; i < hlen && j < 9; i++) {
        if (b.data[i] == '/' && b.data[i + 1] == '*') {
            want[j] = b.data + i;
            lens[j] = (size_t)(strstr(b.data + i, "*/") + 2 - want[j]);
            j++;
        }
    }
    assert_int_equal(j, 9);
    want[9] = body.data;
    lens[9] = body.len;
    for (i = b.len - 1, j = 16; j >= 10; j--) {
        while (b.data[i] != '/' || b.data[i + 1] != '*')
            i--;
        want[j] = b.data + i;
        lens[j] = (size_t)(strstr(b.data + i, "*/") + 2 - want[j]);
        i--;
    }
    for (j = 0; j < NSTEPS; j++)
        expect_split(b.data, b.len, steps[j], want, lens, 17);
    cs_buf_release(&body);
    cs_buf_release(&b);
}

static void test_split_tricky(void **state)
{
    static const char text[] = "SELECT ';' AS a;\n"
                               "SELECT \"a;\\\"b\" ;"
                               "SELECT 'it''s; ok';"
                               "SELECT `we;ird``name` FROM t; "
                               "-- comment; here\n"
                               "# another; comment\n"
                               "/* block; comment */ SELECT 1 /* mid; */ + 2;"
                               "/*!40101 SET a=';' */;"
                               "SELECT 1--2;"
                               "SELECT 3 -- trailing\n;"
                               ";;  ;\n"
                               "/* only a comment */;"
                               "SELECT 'a\\\\';"
                               "SELECT 4 #x\n;"
                               "/*M!100100 SELECT 5 */;"
                               "/*M SELECT 5.5 */;"
                               "SELECT 6 /*+ hint; */;"
                               "SELECT '/*', \"--\", '#';"
                               "SELECT 7-/**/-1*2/3;"
                               "SELECT 8 ---- x\n;"
                               "SELECT 9 /*!50000 'a*/' */ ;"
                               "\t\r\n";
    static const char *const want[] = {
        "SELECT ';' AS a",
        "SELECT \"a;\\\"b\"",
        "SELECT 'it''s; ok'",
        "SELECT `we;ird``name` FROM t",
        "SELECT 1 /* mid; */ + 2",
        "/*!40101 SET a=';' */",
        "SELECT 1--2",
        "SELECT 3",
        "SELECT 'a\\\\'",
        "SELECT 4",
        "/*M!100100 SELECT 5 */",
        "SELECT 6 /*+ hint; */",
        "SELECT '/*', \"--\", '#'",
        "SELECT 7-/**/-1*2/3",
        "SELECT 8 --",
        "SELECT 9 /*!50000 'a*/' */",
    };
    size_t j;

    (void)state;
    for (j = 0; j < NSTEPS; j++)
        expect_split(text, sizeof(text) - 1, steps[j], want, NULL, sizeof(want) / sizeof(want[0]));
}

static void test_split_truncated(void **state)
{
    static const char *const none[1] = {NULL};
    size_t j;

    (void)state;
    expect_truncated("SELECT 1", 0, "after the last ';'");
    expect_truncated("SELECT 1; SELECT 2 -- x\n", 1, "after the last ';'");
    expect_truncated("SELECT 1; SELECT 'abc", 1, "quoted string");
    expect_truncated("SELECT 1; SELECT 'abc\\", 1, "quoted string");
    expect_truncated("SELECT 1; SELECT \"abc", 1, "quoted string");
    expect_truncated("SELECT 1; SELECT `abc", 1, "quoted identifier");
    expect_truncated("SELECT 1; /* open", 1, "comment");
    expect_truncated("SELECT 1; /*", 1, "comment");
    expect_truncated("SELECT 1; /*!40101 SET x=1 ;", 1, "conditional comment");
    expect_truncated("SELECT 1; /*!40101 SET x=1 *", 1, "conditional comment");
    expect_truncated("SELECT 1; /", 1, "after the last ';'");
    expect_truncated("SELECT 1; -", 1, "after the last ';'");
    for (j = 0; j < NSTEPS; j++) {
        expect_split("", 0, steps[j], none, NULL, 0);
        expect_split("  -- c", 6, steps[j], none, NULL, 0);
        expect_split("--", 2, steps[j], none, NULL, 0);
        expect_split("#", 1, steps[j], none, NULL, 0);
        expect_split("/* c */\n;\n", 10, steps[j], none, NULL, 0);
    }
}

static void test_split_long_statement(void **state)
{
    const size_t big = 3 * 1024 * 1024;
    struct cs_buf b = CS_BUF_INIT;
    const char *want[3];
    size_t lens[3], s1;
    char *blob = malloc(big);
    uint32_t x = 99;
    size_t i;

    (void)state;
    assert_non_null(blob);
    for (i = 0; i < big; i++) {
        x = x * 1103515245u + 12345u;
        blob[i] = (char)(x >> 16);
    }
    fmt_sql_insert_prefix(&b, "`d`.`t`", "`a`,`b`");
    cs_buf_puts(&b, " (");
    append_value(&b, FMT_COL_STRING, blob, big);
    cs_buf_putc(&b, ',');
    append_value(&b, FMT_COL_BINARY, blob, big / 2);
    cs_buf_puts(&b, ");\n");
    s1 = b.len - 2;
    cs_buf_puts(&b, "SELECT 2;\n");
    assert_false(cs_buf_failed(&b));
    want[0] = b.data;
    lens[0] = s1;
    want[1] = "SELECT 2";
    lens[1] = 8;
    expect_split(b.data, b.len, 0, want, lens, 2);
    expect_split(b.data, b.len, 1000, want, lens, 2);
    expect_split(b.data, b.len, 65537, want, lens, 2);
    cs_buf_release(&b);
    free(blob);
}

static void test_split_source_error(void **state)
{
    static const char text[] = "SELECT 1; SELECT 2; SELECT 3;";
    struct fmt_source *src = source_new(text, sizeof(text) - 1, 4);
    struct fmt_sql_reader *r;
    struct cs_error err;
    const char *stmt;
    size_t n;

    (void)state;
    cs_error_clear(&err);
    ((struct trickle *)src)->fail_at = 12;
    r = fmt_sql_reader_new(src, "bad.sql", &err);
    assert_non_null(r);
    assert_int_equal(fmt_sql_reader_next(r, &stmt, &n, &err), 1);
    assert_string_equal(stmt, "SELECT 1");
    assert_int_equal(fmt_sql_reader_next(r, &stmt, &n, &err), -1);
    assert_int_equal(err.code, CS_ERR_IO);
    assert_non_null(strstr(err.msg, "bad.sql"));
    fmt_sql_reader_free(r);
    fmt_source_free(src);
    fmt_sql_reader_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_sql_mode),      cmocka_unit_test(test_header_footer_split),
        cmocka_unit_test(test_insert_prefix),        cmocka_unit_test(test_values_by_kind),
        cmocka_unit_test(test_string_every_byte),    cmocka_unit_test(test_insert_every_byte_split),
        cmocka_unit_test(test_split_tricky),         cmocka_unit_test(test_split_truncated),
        cmocka_unit_test(test_split_long_statement), cmocka_unit_test(test_split_source_error),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
