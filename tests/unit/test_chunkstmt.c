/* The statements of a sql chunk (load_stmtcheck_chunk, fmt_sql_is_frame):
 * what csdump's encoder writes passes -- its SET frame is recognised and not
 * sent, its row INSERTs are -- and anything else a changed dump could hold
 * is refused naming the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "format/sqlenc.h"
#include "load/stmtcheck.h"

static struct fmt_column cols[] = {
    {"id", "int", FMT_COL_NUMBER, 0},
    {"na`me", "varchar(10)", FMT_COL_STRING, 0},
    {"b", "blob", FMT_COL_BINARY, 0},
};
static struct fmt_table tb = {.schema = "shop", .name = "orders", .columns = cols, .ncolumns = 3};

static int check(const char *stmt, struct cs_error *err)
{
    cs_error_clear(err);
    return load_stmtcheck_chunk(stmt, strlen(stmt), &tb, "shop.orders.00000.000.sql", err);
}

static void refused(const char *stmt, const char *found)
{
    struct cs_error err;

    assert_int_equal(check(stmt, &err), -1);
    assert_int_equal(err.code, CS_ERR_HOSTILE);
    if (!strstr(err.msg, found) || !strstr(err.msg, "shop.orders.00000.000.sql"))
        print_error("message: %s\n", err.msg);
    assert_non_null(strstr(err.msg, found));
    assert_non_null(strstr(err.msg, "shop.orders.00000.000.sql"));
}

/* What the encoder writes, split as csload splits it: the frame (0) and the
 * INSERT (1). */
static void test_encoder_output(void **state)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;
    struct fmt_source *src;
    struct fmt_sql_reader *rd;
    const char *stmt;
    size_t len;
    int frames = 0, inserts = 0, r;
    (void)state;

    fmt_sql_header(&b, "ANSI_QUOTES,NO_BACKSLASH_ESCAPES");
    fmt_sql_insert_prefix(&b, "`shop`.`orders`", "`id`,`na``me`,`b`");
    cs_buf_puts(&b, "(");
    assert_int_equal(fmt_sql_append_value(&b, FMT_COL_NUMBER, "-1.5e-3", 7, &err), 0);
    cs_buf_puts(&b, ",");
    assert_int_equal(fmt_sql_append_value(&b, FMT_COL_STRING, "a'b\\c;\"DROP", 12, &err), 0);
    cs_buf_puts(&b, ",");
    assert_int_equal(fmt_sql_append_value(&b, FMT_COL_BINARY, "\x01\x02", 2, &err), 0);
    cs_buf_puts(&b, "),(2,NULL,X'');\n");
    fmt_sql_footer(&b);
    assert_false(cs_buf_failed(&b));
    src = fmt_source_memory_new(b.data, b.len, &err);
    rd = fmt_sql_reader_new(src, "t.sql", &err);
    while ((r = fmt_sql_reader_next(rd, &stmt, &len, &err)) == 1) {
        int c = load_stmtcheck_chunk(stmt, len, &tb, "t.sql", &err);
        if (c < 0)
            print_error("refused: %s\n", err.msg);
        assert_true(c >= 0);
        frames += c == 0;
        inserts += c == 1;
    }
    assert_int_equal(r, 0);
    assert_int_equal(inserts, 1);
    assert_int_equal(frames, 16);
    fmt_sql_reader_free(rd);
    fmt_source_free(src);
    cs_buf_release(&b);
}

static void test_typed_json_values(void **state)
{
    struct cs_error err;
    (void)state;

    /* the shapes format/jsonval.c and format/jsonscalar.c write */
    assert_int_equal(
        check("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,JSON_SET(CAST("
              "_utf8mb4 0x7B7D AS JSON),_utf8mb4 0x242E61,CAST(5 AS UNSIGNED),_utf8mb4 0x242E62,"
              "(SELECT cs_v FROM JSON_TABLE(_utf8mb4'[\"1.50\"]', _utf8mb4'$[0]' COLUMNS(cs_v "
              "DECIMAL(3,2) PATH _utf8mb4'$' ERROR ON ERROR)) cs_jt)),CASE WHEN 1 THEN 0x00 "
              "ELSE CAST('' AS BINARY(65536)) END)",
              &err),
        1);
}

static void test_hostile(void **state)
{
    (void)state;
    refused("DROP DATABASE mysql", "DROP");
    refused("INSERT INTO `mysql`.`user` (`id`,`na``me`,`b`) VALUES (1,2,3)", "INSERT");
    refused("INSERT INTO `shop`.`orders` (`id`,`b`,`na``me`) VALUES (1,2,3)", "`b`");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`) VALUES (1,2)", ")");
    refused(
        "INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,(SELECT authentication_string "
        "FROM mysql.user LIMIT 1),3)",
        "authentication_string");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,SLEEP(10),3)", "SLEEP");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,@@hostname,3)", "@");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,`id`,3)", "`id`");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,\"x\",3)", "\"x\"");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,2,3) ON DUPLICATE KEY "
            "UPDATE id=0",
            "DUPLICATE");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,2,3) /*!50000 , (4,5,6)*/",
            "/*!50000");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,'2,3)", "'2,3)");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES (1,2,3))", ")");
    refused("INSERT INTO `shop`.`orders` (`id`,`na``me`,`b`) VALUES", "");
    refused("/*!40101 SET GLOBAL read_only=1 */", "/*!40101");
    refused("/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='' , GLOBAL general_log=1 --' */",
            "/*!40101");
    refused("SET NAMES binary", "SET");
}

static int frame(const char *s)
{
    return fmt_sql_is_frame(s, strlen(s));
}

static void test_frames(void **state)
{
    (void)state;
    assert_true(frame("\n/*!40101 SET NAMES binary */"));
    assert_true(frame("/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='A_B,C' */"));
    assert_false(frame("/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='A'B' */"));
    assert_false(frame("/*!40101 SET NAMES latin1 */"));
    assert_false(frame(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encoder_output),
        cmocka_unit_test(test_typed_json_values),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
