/* load/ddl: deferring secondary indexes and foreign keys of SHOW CREATE TABLE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/ddl.h"

#define MYSQL_HEAD                                                                                 \
    "CREATE TABLE `t1` (\n"                                                                        \
    "  `id` int NOT NULL AUTO_INCREMENT,\n"                                                        \
    "  `a` int DEFAULT NULL,\n"                                                                    \
    "  `b` varchar(20) DEFAULT NULL,\n"                                                            \
    "  `s` varchar(50) DEFAULT NULL COMMENT 'it''s, \\\\ (KEY `x`)',\n"                            \
    "  `t` text,\n"                                                                                \
    "  `g` point NOT NULL /*!80003 SRID 4326 */,\n"                                                \
    "  `x` int DEFAULT NULL,\n"                                                                    \
    "  PRIMARY KEY (`id`),\n"
#define MYSQL_TAIL                                                                                 \
    ") ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci"

/* MySQL 8 */
static const char mysql8[] =
    MYSQL_HEAD "  UNIQUE KEY `u` (`b`),\n"
               "  KEY `k` (`a`) USING BTREE COMMENT 'x',\n"
               "  KEY `f` ((lower(`s`))),\n"
               "  KEY `fk1` (`x`),\n"
               "  SPATIAL KEY `sp` (`g`),\n"
               "  FULLTEXT KEY `ft` (`t`) /*!50100 WITH PARSER `ngram` */ ,\n"
               "  CONSTRAINT `fk1` FOREIGN KEY (`x`) REFERENCES `p` (`id`) ON DELETE CASCADE,\n"
               "  CONSTRAINT `c` CHECK ((`a` > 0))\n" MYSQL_TAIL;

static void split_ok(const char *text, enum load_defer mode, struct load_ddl_split *s)
{
    struct cs_error err = {0};

    assert_int_equal(load_ddl_split(text, mode, s, &err), 0);
    assert_false(cs_error_is_set(&err));
    assert_non_null(s->create);
}

static void expect_list(char **got, size_t n, const char *const *want, size_t nwant)
{
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(got[i], want[i]);
}

static void test_mysql8_all(void **state)
{
    static const char *const idx[] = {
        "ADD UNIQUE KEY `u` (`b`)",   "ADD KEY `k` (`a`) USING BTREE COMMENT 'x'",
        "ADD KEY `f` ((lower(`s`)))", "ADD KEY `fk1` (`x`)",
        "ADD SPATIAL KEY `sp` (`g`)", "ADD FULLTEXT KEY `ft` (`t`) /*!50100 WITH PARSER `ngram` */",
    };
    static const char *const fks[] = {
        "ADD CONSTRAINT `fk1` FOREIGN KEY (`x`) REFERENCES `p` (`id`) ON DELETE CASCADE",
    };
    struct load_ddl_split s;

    (void)state;
    split_ok(mysql8, LOAD_DEFER_ALL, &s);
    assert_string_equal(s.create, MYSQL_HEAD "  CONSTRAINT `c` CHECK ((`a` > 0))\n" MYSQL_TAIL);
    expect_list(s.indexes, s.nindexes, idx, 6);
    expect_list(s.fks, s.nfks, fks, 1);
    load_ddl_split_release(&s);
    assert_null(s.create);
    assert_int_equal(s.nindexes, 0);
    load_ddl_split_release(&s); /* twice is fine */
}

static void test_mysql8_fulltext(void **state)
{
    static const char *const idx[] = {
        "ADD FULLTEXT KEY `ft` (`t`) /*!50100 WITH PARSER `ngram` */",
    };
    struct load_ddl_split s;

    (void)state;
    split_ok(mysql8, LOAD_DEFER_FULLTEXT, &s);
    assert_string_equal(s.create, MYSQL_HEAD "  UNIQUE KEY `u` (`b`),\n"
                                             "  KEY `k` (`a`) USING BTREE COMMENT 'x',\n"
                                             "  KEY `f` ((lower(`s`))),\n"
                                             "  KEY `fk1` (`x`),\n"
                                             "  SPATIAL KEY `sp` (`g`),\n"
                                             "  CONSTRAINT `c` CHECK ((`a` > 0))\n" MYSQL_TAIL);
    expect_list(s.indexes, s.nindexes, idx, 1);
    assert_int_equal(s.nfks, 1);
    assert_string_equal(s.fks[0], "ADD CONSTRAINT `fk1` FOREIGN KEY (`x`) REFERENCES `p` (`id`) "
                                  "ON DELETE CASCADE");
    load_ddl_split_release(&s);
}

static void test_mysql8_none(void **state)
{
    struct load_ddl_split s;

    (void)state;
    split_ok(mysql8, LOAD_DEFER_NONE, &s);
    assert_string_equal(s.create, mysql8);
    assert_ptr_not_equal(s.create, mysql8);
    assert_int_equal(s.nindexes, 0);
    assert_int_equal(s.nfks, 0);
    assert_null(s.indexes);
    assert_null(s.fks);
    load_ddl_split_release(&s);
}

/* MariaDB, foreign keys last: the comma of the line before goes. */
#define MARIA_HEAD                                                                                 \
    "CREATE TABLE `child` (\n"                                                                     \
    "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"                                                    \
    "  `parent_id` int(11) NOT NULL,\n"                                                            \
    "  `body` text DEFAULT NULL,\n"                                                                \
    "  `pos` point NOT NULL,\n"                                                                    \
    "  `code` varchar(10) DEFAULT NULL CHECK (`code` <> ''),\n"                                    \
    "  `v` varchar(20) GENERATED ALWAYS AS (concat(`code`,'it\\'s (`x`')) VIRTUAL,\n"              \
    "  PRIMARY KEY (`id`)"
#define MARIA_TAIL ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n"

static const char maria[] =
    MARIA_HEAD ",\n"
               "  UNIQUE KEY `code` (`code`),\n"
               "  KEY `parent_id` (`parent_id`),\n"
               "  SPATIAL KEY `pos` (`pos`),\n"
               "  FULLTEXT KEY `body` (`body`),\n"
               "  CONSTRAINT `child_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) "
               "ON DELETE CASCADE ON UPDATE CASCADE,\n"
               "  CONSTRAINT `fk weird``name` FOREIGN KEY (`code`) REFERENCES `other`.`codes` "
               "(`code`)\n" MARIA_TAIL;

static void test_mariadb_all(void **state)
{
    static const char *const idx[] = {
        "ADD UNIQUE KEY `code` (`code`)",
        "ADD KEY `parent_id` (`parent_id`)",
        "ADD SPATIAL KEY `pos` (`pos`)",
        "ADD FULLTEXT KEY `body` (`body`)",
    };
    static const char *const fks[] = {
        "ADD CONSTRAINT `child_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) "
        "ON DELETE CASCADE ON UPDATE CASCADE",
        "ADD CONSTRAINT `fk weird``name` FOREIGN KEY (`code`) REFERENCES `other`.`codes` "
        "(`code`)",
    };
    struct load_ddl_split s;
    char *name;

    (void)state;
    split_ok(maria, LOAD_DEFER_ALL, &s);
    assert_string_equal(s.create, MARIA_HEAD "\n" MARIA_TAIL);
    expect_list(s.indexes, s.nindexes, idx, 4);
    expect_list(s.fks, s.nfks, fks, 2);
    name = load_ddl_clause_name(s.fks[1]);
    assert_string_equal(name, "fk weird`name");
    free(name);
    load_ddl_split_release(&s);
}

static void test_mariadb_fulltext(void **state)
{
    struct load_ddl_split s;

    (void)state;
    split_ok(maria, LOAD_DEFER_FULLTEXT, &s);
    assert_string_equal(s.create, MARIA_HEAD ",\n"
                                             "  UNIQUE KEY `code` (`code`),\n"
                                             "  KEY `parent_id` (`parent_id`),\n"
                                             "  SPATIAL KEY `pos` (`pos`)\n" MARIA_TAIL);
    assert_int_equal(s.nindexes, 1);
    assert_string_equal(s.indexes[0], "ADD FULLTEXT KEY `body` (`body`)");
    assert_int_equal(s.nfks, 2);
    load_ddl_split_release(&s);
}

static void test_mariadb_check_stays(void **state)
{
    static const char text[] = "CREATE TABLE `c` (\n"
                               "  `a` int(11) DEFAULT NULL,\n"
                               "  `b` int(11) DEFAULT NULL,\n"
                               "  KEY `a` (`a`),\n"
                               "  CONSTRAINT `b_fk` FOREIGN KEY (`b`) REFERENCES `p` (`id`),\n"
                               "  CONSTRAINT `CONSTRAINT_1` CHECK (`a` > 0 and `b` <> 0),\n"
                               "  CONSTRAINT `foreign key` CHECK (`b` < 10)\n"
                               ") ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci";
    struct load_ddl_split s;

    (void)state;
    split_ok(text, LOAD_DEFER_ALL, &s);
    assert_string_equal(s.create, "CREATE TABLE `c` (\n"
                                  "  `a` int(11) DEFAULT NULL,\n"
                                  "  `b` int(11) DEFAULT NULL,\n"
                                  "  CONSTRAINT `CONSTRAINT_1` CHECK (`a` > 0 and `b` <> 0),\n"
                                  "  CONSTRAINT `foreign key` CHECK (`b` < 10)\n"
                                  ") ENGINE=InnoDB DEFAULT CHARSET=latin1 "
                                  "COLLATE=latin1_swedish_ci");
    assert_int_equal(s.nindexes, 1);
    assert_string_equal(s.indexes[0], "ADD KEY `a` (`a`)");
    assert_int_equal(s.nfks, 1);
    assert_string_equal(s.fks[0], "ADD CONSTRAINT `b_fk` FOREIGN KEY (`b`) REFERENCES `p` (`id`)");
    load_ddl_split_release(&s);
}

/* AUTO_INCREMENT second in the primary key (InnoDB wants it first in some
 * index): its first index stays, a later one is deferred; partitioning
 * after ")" is kept. */
#define PART_TAIL                                                                                  \
    ") ENGINE=InnoDB AUTO_INCREMENT=1001 DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci\n"       \
    " PARTITION BY RANGE (`region`)\n"                                                             \
    "(PARTITION `p0` VALUES LESS THAN (10) ENGINE = InnoDB,\n"                                     \
    " PARTITION `p1` VALUES LESS THAN MAXVALUE ENGINE = InnoDB)"

static void test_auto_increment_secondary(void **state)
{
    static const char text[] = "CREATE TABLE `orders` (\n"
                               "  `region` int(11) NOT NULL,\n"
                               "  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,\n"
                               "  `cust` int(11) DEFAULT NULL,\n"
                               "  PRIMARY KEY (`region`,`id`),\n"
                               "  KEY `by_cust` (`cust`,`id`),\n"
                               "  UNIQUE KEY `id` (`id`,`cust`),\n"
                               "  KEY `id2` (`id`)\n" PART_TAIL;
    struct load_ddl_split s;

    (void)state;
    split_ok(text, LOAD_DEFER_ALL, &s);
    assert_string_equal(s.create, "CREATE TABLE `orders` (\n"
                                  "  `region` int(11) NOT NULL,\n"
                                  "  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,\n"
                                  "  `cust` int(11) DEFAULT NULL,\n"
                                  "  PRIMARY KEY (`region`,`id`),\n"
                                  "  UNIQUE KEY `id` (`id`,`cust`)\n" PART_TAIL);
    assert_int_equal(s.nindexes, 2);
    assert_string_equal(s.indexes[0], "ADD KEY `by_cust` (`cust`,`id`)");
    assert_string_equal(s.indexes[1], "ADD KEY `id2` (`id`)");
    assert_int_equal(s.nfks, 0);
    load_ddl_split_release(&s);
}

/* Auto column first in the primary key: every secondary index goes. */
static void test_auto_increment_in_primary(void **state)
{
    static const char text[] = "CREATE TABLE `t` (\n"
                               "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
                               "  PRIMARY KEY (`id`),\n"
                               "  KEY `id_again` (`id`)\n"
                               ") ENGINE=InnoDB AUTO_INCREMENT=42";
    struct load_ddl_split s;

    (void)state;
    split_ok(text, LOAD_DEFER_ALL, &s);
    assert_string_equal(s.create, "CREATE TABLE `t` (\n"
                                  "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
                                  "  PRIMARY KEY (`id`)\n"
                                  ") ENGINE=InnoDB AUTO_INCREMENT=42");
    assert_int_equal(s.nindexes, 1);
    assert_string_equal(s.indexes[0], "ADD KEY `id_again` (`id`)");
    load_ddl_split_release(&s);
}

/* MyISAM allows the auto column second in a key: that key must stay. */
static void test_auto_increment_myisam_group(void **state)
{
    static const char text[] = "CREATE TABLE `g` (\n"
                               "  `grp` int(11) NOT NULL,\n"
                               "  `n` int(11) NOT NULL AUTO_INCREMENT,\n"
                               "  `v` int(11) DEFAULT NULL,\n"
                               "  KEY `v` (`v`),\n"
                               "  KEY `grp` (`grp`,`n`)\n"
                               ") ENGINE=MyISAM DEFAULT CHARSET=latin1";
    struct load_ddl_split s;

    (void)state;
    split_ok(text, LOAD_DEFER_ALL, &s);
    assert_string_equal(s.create, "CREATE TABLE `g` (\n"
                                  "  `grp` int(11) NOT NULL,\n"
                                  "  `n` int(11) NOT NULL AUTO_INCREMENT,\n"
                                  "  `v` int(11) DEFAULT NULL,\n"
                                  "  KEY `grp` (`grp`,`n`)\n"
                                  ") ENGINE=MyISAM DEFAULT CHARSET=latin1");
    assert_int_equal(s.nindexes, 1);
    assert_string_equal(s.indexes[0], "ADD KEY `v` (`v`)");
    load_ddl_split_release(&s);
}

/* AUTO_INCREMENT inside quotes or in the table options is no auto column. */
static void test_auto_increment_words_elsewhere(void **state)
{
    static const char text[] = "CREATE TABLE `w` (\n"
                               "  `id` int NOT NULL DEFAULT '0' COMMENT ' AUTO_INCREMENT ',\n"
                               "  `n` int DEFAULT NULL /* AUTO_INCREMENTAL */,\n"
                               "  UNIQUE KEY `id` (`id`),\n"
                               "  KEY `n` (`n`)\n"
                               ") ENGINE=InnoDB AUTO_INCREMENT=42";
    struct load_ddl_split s;

    (void)state;
    split_ok(text, LOAD_DEFER_ALL, &s);
    assert_string_equal(s.create, "CREATE TABLE `w` (\n"
                                  "  `id` int NOT NULL DEFAULT '0' COMMENT ' AUTO_INCREMENT ',\n"
                                  "  `n` int DEFAULT NULL /* AUTO_INCREMENTAL */\n"
                                  ") ENGINE=InnoDB AUTO_INCREMENT=42");
    assert_int_equal(s.nindexes, 2);
    load_ddl_split_release(&s);
}

static void test_only_primary_key(void **state)
{
    static const char text[] = "CREATE TABLE `k` (\n"
                               "  `id` int(11) NOT NULL,\n"
                               "  `v` varchar(3) DEFAULT 'KEY',\n"
                               "  PRIMARY KEY (`id`) USING BTREE\n"
                               ") ENGINE=InnoDB DEFAULT CHARSET=latin1;\n";
    enum load_defer modes[] = {LOAD_DEFER_ALL, LOAD_DEFER_FULLTEXT, LOAD_DEFER_NONE};

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        struct load_ddl_split s;

        split_ok(text, modes[i], &s);
        assert_string_equal(s.create, text);
        assert_int_equal(s.nindexes, 0);
        assert_int_equal(s.nfks, 0);
        load_ddl_split_release(&s);
    }
}

/* INDEX spellings, and a column whose name holds a newline and "KEY". */
static void test_index_spellings_and_odd_identifiers(void **state)
{
    static const char text[] = "CREATE TABLE `o` (\n"
                               "  `a\n  KEY ``z`` (``a``),` int DEFAULT NULL,\n"
                               "  `b` text,\n"
                               "  INDEX `i` (`a\n  KEY ``z`` (``a``),`),\n"
                               "  UNIQUE INDEX `u i` (`b`(10)),\n"
                               "  FULLTEXT INDEX `f` (`b`),\n"
                               "  KEYS_ARE_NOT_THIS (`b`),\n"
                               "  PERIOD FOR `p` (`b`, `b`)\n"
                               ") ENGINE=InnoDB";
    struct load_ddl_split s;

    (void)state;
    split_ok(text, LOAD_DEFER_ALL, &s);
    assert_string_equal(s.create, "CREATE TABLE `o` (\n"
                                  "  `a\n  KEY ``z`` (``a``),` int DEFAULT NULL,\n"
                                  "  `b` text,\n"
                                  "  KEYS_ARE_NOT_THIS (`b`),\n"
                                  "  PERIOD FOR `p` (`b`, `b`)\n"
                                  ") ENGINE=InnoDB");
    assert_int_equal(s.nindexes, 3);
    assert_string_equal(s.indexes[0], "ADD INDEX `i` (`a\n  KEY ``z`` (``a``),`)");
    assert_string_equal(s.indexes[1], "ADD UNIQUE INDEX `u i` (`b`(10))");
    assert_string_equal(s.indexes[2], "ADD FULLTEXT INDEX `f` (`b`)");
    load_ddl_split_release(&s);
}

/* Not SHOW CREATE TABLE output: returned as is, nothing deferred. */
static void test_odd_input_unchanged(void **state)
{
    static const char *const texts[] = {
        "",
        "garbage",
        "CREATE TABLE `t2` AS SELECT 1 AS `a`",
        "CREATE TABLE `t3` (`a` int, KEY `k` (`a`))",
        "CREATE TABLE `t4` (\n  `a` int,\n  KEY `k` (`a`)\n", /* no ")" line */
        "CREATE TABLE `t5` (\n) ENGINE=InnoDB",
        "CREATE TABLE `t6` (\n`a` int,\nKEY `k` (`a`)\n) ENGINE=InnoDB", /* not indented */
        "CREATE TABLE `t7` (\n  `a` int,\n\n  KEY `k` (`a`)\n) ENGINE=InnoDB",
        "CREATE TABLE `t8` (\n  `a` int,\n  KEY `k` (`a\n) ENGINE=InnoDB", /* open quote */
        "\nCREATE TABLE `t9` (\n  `a` int,\n  KEY `k` (`a`)\n) ENGINE=InnoDB",
        "CREATE TABLE `t10` (\n  `a` int,\n  KEY `k` (`a`)\n)",
    };
    struct cs_error err = {0};
    struct load_ddl_split s;

    (void)state;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        split_ok(texts[i], LOAD_DEFER_ALL, &s);
        if (i + 1 < sizeof(texts) / sizeof(texts[0])) {
            assert_string_equal(s.create, texts[i]);
            assert_int_equal(s.nindexes, 0);
        } else { /* the control case: the same shape is split */
            assert_string_equal(s.create, "CREATE TABLE `t10` (\n  `a` int\n)");
            assert_int_equal(s.nindexes, 1);
        }
        assert_int_equal(s.nfks, 0);
        load_ddl_split_release(&s);
    }
    assert_int_equal(load_ddl_split(NULL, LOAD_DEFER_ALL, &s, &err), -1);
    assert_int_equal(err.code, CS_ERR_INTERNAL);
    assert_null(s.create);
}

static void test_clause_name(void **state)
{
    static const struct {
        const char *clause, *name;
    } cases[] = {
        {"ADD UNIQUE KEY `a``b` (`x`)", "a`b"},
        {"ADD KEY `k` (`a`)", "k"},
        {"ADD FULLTEXT KEY `my key` (`t`)", "my key"},
        {"ADD CONSTRAINT `fk1` FOREIGN KEY (`x`) REFERENCES `p` (`id`)", "fk1"},
        {"ADD KEY `` (`a`)", ""},
        {"ADD PRIMARY KEY (`id`)", NULL},
        {"ADD FOREIGN KEY (`x`) REFERENCES `p` (`id`)", NULL},
        {"ADD KEY `unterminated", NULL},
        {"ADD KEY `odd``", NULL},
        {"", NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *name = load_ddl_clause_name(cases[i].clause);

        if (cases[i].name) {
            assert_non_null(name);
            assert_string_equal(name, cases[i].name);
        } else {
            assert_null(name);
        }
        free(name);
    }
    assert_null(load_ddl_clause_name(NULL));
}

static void test_alter(void **state)
{
    char *clauses[] = {"ADD KEY `k` (`a`)", "ADD UNIQUE KEY `u` (`b`)"};
    char *sql;

    (void)state;
    sql = load_ddl_alter("db", "t`x", clauses, 2);
    assert_string_equal(sql, "ALTER TABLE `db`.`t``x` ADD KEY `k` (`a`), ADD UNIQUE KEY `u` (`b`)");
    free(sql);
    sql = load_ddl_alter("my db", "t", clauses + 1, 1);
    assert_string_equal(sql, "ALTER TABLE `my db`.`t` ADD UNIQUE KEY `u` (`b`)");
    free(sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mysql8_all),
        cmocka_unit_test(test_mysql8_fulltext),
        cmocka_unit_test(test_mysql8_none),
        cmocka_unit_test(test_mariadb_all),
        cmocka_unit_test(test_mariadb_fulltext),
        cmocka_unit_test(test_mariadb_check_stays),
        cmocka_unit_test(test_auto_increment_secondary),
        cmocka_unit_test(test_auto_increment_in_primary),
        cmocka_unit_test(test_auto_increment_myisam_group),
        cmocka_unit_test(test_auto_increment_words_elsewhere),
        cmocka_unit_test(test_only_primary_key),
        cmocka_unit_test(test_index_spellings_and_odd_identifiers),
        cmocka_unit_test(test_odd_input_unchanged),
        cmocka_unit_test(test_clause_name),
        cmocka_unit_test(test_alter),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
