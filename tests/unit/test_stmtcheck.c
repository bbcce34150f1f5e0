/* The DDL classifier (load/stmtcheck.h) over real SHOW CREATE outputs of
 * MariaDB and MySQL and over hostile variants of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "load/stmtcheck.h"

static int check(const char *text, int is_table, enum fmt_object_kind kind, const char *schema,
                 const char *name, const char *table, struct cs_error *err)
{
    struct load_stmt_expect e = {"f.sql", is_table, kind, schema, name, table, NULL};

    cs_error_clear(err);
    return load_stmtcheck(text, strlen(text), &e, err);
}

#define OK(text, is_table, kind, s, n, t)                                                          \
    do {                                                                                           \
        struct cs_error e_;                                                                        \
        int r_ = check(text, is_table, kind, s, n, t, &e_);                                        \
        if (r_ != 0)                                                                               \
            print_error("unexpected refusal: %s\n", e_.msg);                                       \
        assert_int_equal(r_, 0);                                                                   \
    } while (0)

#define REFUSED(text, is_table, kind, s, n, t, pattern)                                            \
    do {                                                                                           \
        struct cs_error e_;                                                                        \
        assert_int_equal(check(text, is_table, kind, s, n, t, &e_), -1);                           \
        assert_int_equal(e_.code, CS_ERR_HOSTILE);                                                 \
        if (!strstr(e_.msg, pattern))                                                              \
            print_error("message: %s\n", e_.msg);                                                  \
        assert_non_null(strstr(e_.msg, pattern));                                                  \
        assert_non_null(strstr(e_.msg, "f.sql"));                                                  \
    } while (0)

static const char mysql_table[] =
    "CREATE TABLE `gipk` (\n  `my_row_id` bigint unsigned NOT NULL AUTO_INCREMENT /*!80023 "
    "INVISIBLE */,\n  `a` int DEFAULT NULL,\n  `b; DROP DATABASE mysql` varchar(10) DEFAULT "
    "'x;y',\n  PRIMARY KEY (`my_row_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
    "COLLATE=utf8mb4_0900_ai_ci COMMENT='a -- b; /* c */'";
static const char maria_db[] =
    "CREATE DATABASE `odd db.名前` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE "
    "utf8mb4_uca1400_ai_ci */";
static const char maria_view[] =
    "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW "
    "`v_types` AS select `fx`.`types`.`id` AS `id`,`fx`.`types`.`vc` AS `vc` from `fx`.`types` "
    "where `fx`.`types`.`id` < 3";
static const char proc[] =
    "CREATE DEFINER=`root`@`%` PROCEDURE `p_count`(OUT n INT)\nBEGIN\n  DECLARE i INT DEFAULT 0;\n"
    "  IF (SELECT COUNT(*) FROM types) > 0 THEN\n    SELECT COUNT(*) INTO n FROM types;\n"
    "  ELSE SET n = IF(i > 0, 1, 0); END IF;\n  lbl: LOOP LEAVE lbl; END LOOP;\n"
    "  CASE n WHEN 1 THEN SET i = 1; ELSE SET i = 2; END CASE;\n  SELECT n; END";
static const char func[] =
    "CREATE DEFINER=`root`@`localhost` FUNCTION `f_double`(x INT) RETURNS int(11)\n"
    "    DETERMINISTIC\nRETURN x * 2";
static const char trig[] =
    "CREATE DEFINER=`root`@`localhost` TRIGGER trg_bi BEFORE INSERT ON comp FOR EACH ROW SET "
    "NEW.v = UPPER(NEW.v)";
static const char trig_block[] =
    "CREATE DEFINER=CURRENT_USER TRIGGER `t2` AFTER UPDATE ON `fx`.`comp` FOR EACH ROW BEGIN "
    "IF NEW.a > 0 THEN SET @x = 1; END IF; WHILE @x < 3 DO SET @x = @x + 1; END WHILE; END";
static const char event[] =
    "CREATE DEFINER=`root`@`localhost` EVENT `ev_daily` ON SCHEDULE EVERY 1 DAY STARTS "
    "'2026-12-01 08:00:00' ON COMPLETION NOT PRESERVE DISABLE DO DELETE FROM nopk WHERE a < 0";

static void test_real(void **state)
{
    (void)state;
    OK(mysql_table, 1, 0, "fx", "gipk", NULL);
    OK("CREATE TABLE IF NOT EXISTS `fx`.`t` (id int);", 1, 0, "fx", "t", NULL);
    OK(maria_db, 0, FMT_OBJ_DATABASE, "odd db.名前", "odd db.名前", NULL);
    OK(maria_view, 0, FMT_OBJ_VIEW, "fx", "v_types", NULL);
    OK(proc, 0, FMT_OBJ_PROCEDURE, "fx", "p_count", NULL);
    OK(func, 0, FMT_OBJ_FUNCTION, "fx", "f_double", NULL);
    OK(trig, 0, FMT_OBJ_TRIGGER, "fx", "trg_bi", "comp");
    OK(trig_block, 0, FMT_OBJ_TRIGGER, "fx", "t2", "comp");
    OK(event, 0, FMT_OBJ_EVENT, "fx", "ev_daily", NULL);
    OK("CREATE TABLE `we``ird tab.le` (`sp ace` int)", 1, 0, "odd", "we`ird tab.le", NULL);
    OK("CREATE SEQUENCE `ids` start with 100 minvalue 1 maxvalue 9223372036854775806 increment by "
       "1 cache 1000 nocycle ENGINE=InnoDB",
       0, FMT_OBJ_SEQUENCE, "sq", "ids", NULL);
}

static void test_hostile(void **state)
{
    (void)state;
    REFUSED("DROP DATABASE mysql", 1, 0, "fx", "t", NULL, "found \"DROP DATABASE mysql\"");
    REFUSED("DROP DATABASE mysql", 0, FMT_OBJ_DATABASE, "fx", "fx", NULL, "expected");
    REFUSED("DROP VIEW v_types", 0, FMT_OBJ_VIEW, "fx", "v_types", NULL, "expected");
    REFUSED("CREATE TABLE `t` (id int); DROP DATABASE mysql", 1, 0, "fx", "t", NULL,
            "a second statement");
    REFUSED("CREATE TABLE `t` (id int) /*!50000 ; DROP DATABASE mysql */", 1, 0, "fx", "t", NULL,
            "a second statement");
    REFUSED("CREATE TABLE `other`.`t` (id int)", 1, 0, "fx", "t", NULL, "expected");
    REFUSED("CREATE TABLE `u` (id int)", 1, 0, "fx", "t", NULL, "expected");
    REFUSED("/*!50000 DROP DATABASE mysql */", 1, 0, "fx", "t", NULL, "expected");
    REFUSED("CREATE TABLE `t` (a varchar(3) DEFAULT 'x", 1, 0, "fx", "t", NULL, "unterminated");
    REFUSED("CREATE PROCEDURE `p`() BEGIN SELECT 1; END; DROP DATABASE mysql", 0, FMT_OBJ_PROCEDURE,
            "fx", "p", NULL, "a second statement");
    REFUSED("CREATE PROCEDURE `p`() SELECT 1; DROP DATABASE mysql", 0, FMT_OBJ_PROCEDURE, "fx", "p",
            NULL, "a second statement");
    REFUSED("CREATE FUNCTION `p`() RETURNS INT RETURN 1", 0, FMT_OBJ_PROCEDURE, "fx", "p", NULL,
            "expected");
    REFUSED("CREATE TRIGGER trg_bi BEFORE INSERT ON other FOR EACH ROW SET @a = 1", 0,
            FMT_OBJ_TRIGGER, "fx", "trg_bi", "comp", "expected");
    REFUSED("CREATE VIEW `v` AS SELECT 1; GRANT ALL ON *.* TO x", 0, FMT_OBJ_VIEW, "fx", "v", NULL,
            "a second statement");
    REFUSED("CREATE DATABASE `mysql`", 0, FMT_OBJ_DATABASE, "fx", "fx", NULL, "expected");
    REFUSED("", 1, 0, "fx", "t", NULL, "expected");
    REFUSED("CREATE SEQUENCE `ids`; DROP DATABASE mysql", 0, FMT_OBJ_SEQUENCE, "sq", "ids", NULL,
            "a second statement");
}

/* a body written under NO_BACKSLASH_ESCAPES: a backslash ends no string */
static void test_no_backslash_escapes(void **state)
{
    const char text[] = "CREATE VIEW `v` AS select 'C:\\' AS `p`";
    struct load_stmt_expect e = {
        "v.sql", 0, FMT_OBJ_VIEW, "fx", "v", NULL, "STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES"};
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(load_stmtcheck(text, strlen(text), &e, &err), 0);
    e.sql_mode = NULL; /* read with escapes, the string never ends */
    assert_int_equal(load_stmtcheck(text, strlen(text), &e, &err), -1);
    assert_non_null(strstr(err.msg, "unterminated"));
}

static void test_system_schemas(void **state)
{
    (void)state;
    assert_true(load_stmtcheck_system_schema("mysql"));
    assert_true(load_stmtcheck_system_schema("PERFORMANCE_SCHEMA"));
    assert_true(load_stmtcheck_system_schema("sys"));
    assert_false(load_stmtcheck_system_schema("mysqlx"));
    assert_false(load_stmtcheck_system_schema("fx"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_no_backslash_escapes),
        cmocka_unit_test(test_system_schemas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
