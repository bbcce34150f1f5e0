/* load/rename.c (--rename-schema on tokens), load/dataonly.c's comparison,
 * dump/where.c's item split and the --where condition check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dump/where.h"
#include "format/chunksel.h"
#include "load/dataonly.h"
#include "load/rename.h"

static char *renamed(const char *text, char **items, size_t n, int backslash)
{
    struct load_config cfg;
    struct cs_error err;
    char *t = strdup(text);

    memset(&cfg, 0, sizeof(cfg));
    cfg.renames = items;
    cfg.nrenames = n;
    assert_int_equal(load_rename_check(&cfg, &err), 0);
    assert_int_equal(load_rename_text(&cfg, backslash, &t, &err), 0);
    return t;
}

static void expect_renamed(const char *in, const char *want)
{
    char *items[] = {"shop:shop2", "we`ird:n"};
    char *got = renamed(in, items, 2, 1);

    assert_string_equal(got, want);
    free(got);
}

static void test_rename_text(void **state)
{
    (void)state;
    /* qualified references, quoted or bare; a string and a comment stay */
    expect_renamed("CREATE VIEW `v` AS select `shop`.`t`.`a` AS `a` from `shop`.`t`",
                   "CREATE VIEW `v` AS select `shop2`.`t`.`a` AS `a` from `shop2`.`t`");
    expect_renamed(
        "CREATE PROCEDURE p() INSERT INTO shop.t SELECT 'shop.t', x FROM shop . u",
        "CREATE PROCEDURE p() INSERT INTO `shop2`.t SELECT 'shop.t', x FROM `shop2` . u");
    expect_renamed("SELECT 1 /* shop.t */ -- shop.t\n, \"shop.t\" FROM shopx.t, xshop.t",
                   "SELECT 1 /* shop.t */ -- shop.t\n, \"shop.t\" FROM shopx.t, xshop.t");
    /* a.shop.b: shop is a table there, not a schema */
    expect_renamed("SELECT db.shop.c FROM db.shop", "SELECT db.shop.c FROM db.shop");
    /* inside an executable comment */
    expect_renamed("CREATE TABLE t (a INT /*!50000 DEFAULT nextval(`shop`.`s`) */)",
                   "CREATE TABLE t (a INT /*!50000 DEFAULT nextval(`shop2`.`s`) */)");
    /* the database itself; a quoted name with a backtick; case matters */
    expect_renamed("CREATE DATABASE `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */",
                   "CREATE DATABASE `shop2` /*!40100 DEFAULT CHARACTER SET utf8mb4 */");
    expect_renamed("CREATE SCHEMA IF NOT EXISTS shop", "CREATE SCHEMA IF NOT EXISTS `shop2`");
    expect_renamed("SELECT * FROM `we``ird`.t, SHOP.t", "SELECT * FROM `n`.t, SHOP.t");
    expect_renamed("GRANT SELECT ON `shop`.* TO 'u'@'%'", "GRANT SELECT ON `shop2`.* TO 'u'@'%'");
    /* a backslash-escaped quote keeps the string going (unless
     * NO_BACKSLASH_ESCAPES) */
    expect_renamed("SELECT 'it\\'s shop.t' FROM shop.t", "SELECT 'it\\'s shop.t' FROM `shop2`.t");
}

static void test_rename_no_backslash(void **state)
{
    char *items[] = {"shop:s2"};
    char *got;

    (void)state;
    /* under NO_BACKSLASH_ESCAPES 'a\' is a whole string */
    got = renamed("SELECT 'a\\', shop.t FROM x", items, 1, 0);
    assert_string_equal(got, "SELECT 'a\\', `s2`.t FROM x");
    free(got);
}

static void test_rename_map_check(void **state)
{
    char *ok[] = {"a:b", "c:d"}, *twice[] = {"a:b", "a:c"}, *chain[] = {"a:b", "b:c"},
         *same[] = {"a:a"}, *form[] = {"a"};
    struct load_config cfg;
    struct cs_error err;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.renames = ok;
    cfg.nrenames = 2;
    assert_int_equal(load_rename_check(&cfg, &err), 0);
    assert_string_equal(load_rename_map(&cfg, "c"), "d");
    assert_string_equal(load_rename_map(&cfg, "ab"), "ab");
    cfg.renames = twice;
    assert_int_equal(load_rename_check(&cfg, &err), -1);
    assert_non_null(strstr(err.msg, "renamed already"));
    cfg.renames = chain;
    assert_int_equal(load_rename_check(&cfg, &err), -1);
    assert_non_null(strstr(err.msg, "is renamed itself"));
    cfg.renames = same;
    cfg.nrenames = 1;
    assert_int_equal(load_rename_check(&cfg, &err), -1);
    cfg.renames = form;
    assert_int_equal(load_rename_check(&cfg, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
}

static void test_dataonly_compare(void **state)
{
    struct fmt_column dc[] = {{"id", "int(11)", 0, 0}, {"name", "varchar(20)", 0, 0}};
    struct fmt_table t = {.schema = "s", .name = "t", .columns = dc, .ncolumns = 2};
    struct load_target_col same[] = {
        {"ID", "INT(11)", 0}, {"g", "int(11)", 1}, {"name", "varchar(20)", 0}};
    struct load_target_col type[] = {{"id", "bigint(20)", 0}, {"name", "varchar(20)", 0}};
    struct load_target_col order[] = {{"name", "varchar(20)", 0}, {"id", "int(11)", 0}};
    struct load_target_col extra[] = {
        {"id", "int(11)", 0}, {"name", "varchar(20)", 0}, {"x", "int", 0}};
    struct load_target_col fewer[] = {{"id", "int(11)", 0}};
    struct load_target_col other[] = {{"id", "int(11)", 0}, {"nom", "varchar(20)", 0}};
    char why[200];

    (void)state;
    assert_int_equal(load_dataonly_compare(&t, same, 3, why, sizeof(why)), 0);
    assert_int_equal(load_dataonly_compare(&t, type, 2, why, sizeof(why)), 1);
    assert_string_equal(why, "column id is bigint(20) on the target, int(11) in the dump");
    assert_int_equal(load_dataonly_compare(&t, order, 2, why, sizeof(why)), 1);
    assert_string_equal(why, "column name comes where the dump has id (another column order)");
    assert_int_equal(load_dataonly_compare(&t, extra, 3, why, sizeof(why)), 1);
    assert_string_equal(why, "the target has column x, which the dump does not");
    assert_int_equal(load_dataonly_compare(&t, fewer, 1, why, sizeof(why)), 1);
    assert_string_equal(why, "the target has no column name");
    assert_int_equal(load_dataonly_compare(&t, other, 2, why, sizeof(why)), 1);
    assert_string_equal(why, "the target has column nom where the dump has name");
    assert_int_equal(load_dataonly_compare(&t, NULL, 0, why, sizeof(why)), 1);
    assert_non_null(strstr(why, "no such table"));
}

static void expect_split(const char *item, const char *table, const char *cond)
{
    char *t = NULL;
    const char *c = NULL;

    assert_int_equal(dump_where_split(item, &t, &c), 0);
    if (table)
        assert_string_equal(t, table);
    else
        assert_null(t);
    assert_string_equal(c, cond);
    free(t);
}

static void test_where_split(void **state)
{
    (void)state;
    expect_split("shop.orders:id > 5", "shop.orders", "id > 5");
    expect_split("shop.o%:id > 5", "shop.o%", "id > 5");
    expect_split("id > 5", NULL, "id > 5");
    expect_split("ts > '2024-01-01 10:00'", NULL, "ts > '2024-01-01 10:00'");
    expect_split("t.a = 'x:y'", NULL, "t.a = 'x:y'");
    expect_split("a.b:c", "a.b", "c");
    expect_split(":a.b:c = 1", NULL, "a.b:c = 1");
    expect_split("noschema:id > 1", NULL, "noschema:id > 1");
}

static void expect_filter(const char *cond, const char *why_part)
{
    char why[128];
    int rc = fmt_chunk_filter_check(cond, why, sizeof(why));

    if (!why_part) {
        assert_int_equal(rc, 0);
        return;
    }
    assert_int_equal(rc, -1);
    assert_non_null(strstr(why, why_part));
}

static void test_filter_check(void **state)
{
    struct fmt_sel_col cols[] = {{"id", FMT_COL_NUMBER}};
    struct cs_buf b = CS_BUF_INIT;
    const char *key[] = {"id"}, *why;
    struct fmt_bound *lo = NULL;
    struct fmt_chunk_range r;

    (void)state;
    expect_filter("id > 5 AND (a = ')' OR b = \"(\")", NULL);
    expect_filter("id > 5 -- a comment (", NULL);
    expect_filter("id > 5 # another", NULL);
    expect_filter("`we)ird` = 1 /* ) */", NULL);
    expect_filter("a = 'it''s' AND b = 'x\\'y'", NULL);
    expect_filter("", "empty");
    expect_filter(" \t", "empty");
    expect_filter("a = 'x", "quote is not closed");
    expect_filter("`a = 1", "quote is not closed");
    expect_filter("1 /* x", "comment is not closed");
    expect_filter("1) OR (1", "closes more");
    expect_filter("(1", "not closed");
    expect_filter("1; DROP TABLE t", "';'");
    /* the SELECT: range and filter each in parentheses, a newline before
     * the filter's closing one */
    lo = fmt_bound_new(1, 1);
    r = (struct fmt_chunk_range){key, 1, lo, NULL};
    assert_non_null(lo);
    assert_int_equal(fmt_key_value_set(&lo->v[0], FMT_KEY_INTEGER, NULL, "5", 1, &why), 0);
    fmt_chunk_select_filtered(&b, cols, 1, "s", "t", &r, "x = 1 -- c", 1);
    assert_string_equal(b.data, "SELECT `id` FROM `s`.`t` WHERE (((`id` >= 5))) AND (x = 1 -- c\n) "
                                "ORDER BY `id`");
    cs_buf_reset(&b);
    fmt_chunk_select_filtered(&b, cols, 1, "s", "t", NULL, "x = 1", 0);
    assert_string_equal(b.data, "SELECT `id` FROM `s`.`t` WHERE (x = 1\n)");
    cs_buf_release(&b);
    fmt_bound_free(lo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rename_text),      cmocka_unit_test(test_rename_no_backslash),
        cmocka_unit_test(test_rename_map_check), cmocka_unit_test(test_dataonly_compare),
        cmocka_unit_test(test_where_split),      cmocka_unit_test(test_filter_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
