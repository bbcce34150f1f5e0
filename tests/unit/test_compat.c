/* load/compat + load/sqltok: the tokenizer, the policy's tables and the
 * statement rewriter of cross-flavor loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/compat.h"
#include "load/sqltok.h"

/* ---- tokenizer ------------------------------------------------------------------ */

static void test_tokens_cover_the_text(void **state)
{
    static const char text[] =
        "CREATE TABLE `a``b` (`c` int /*!80023 INVISIBLE */ COMMENT 'it''s \\' -- no',\n"
        "  d text # hash\n -- dash\n /* plain */ /*M!100301 COMPRESSED*/, e\"x\"-1)";
    struct load_toks t = {0};
    struct cs_buf b = CS_BUF_INIT;
    size_t versioned = 0, comments = 0, strings = 0;

    (void)state;
    assert_int_equal(load_sqltok_split(text, 0, strlen(text), 1, &t), 0);
    for (size_t i = 0; i < t.n; i++) {
        cs_buf_append(&b, text + t.v[i].off, t.v[i].len);
        assert_false(t.v[i].open);
        versioned += t.v[i].kind == LOAD_TOK_VERSIONED;
        comments += t.v[i].kind == LOAD_TOK_COMMENT;
        strings += t.v[i].kind == LOAD_TOK_STRING;
    }
    assert_string_equal(b.data, text);
    assert_int_equal(versioned, 2);
    assert_int_equal(comments, 3);
    assert_int_equal(strings, 2);
    assert_int_equal(t.v[4].kind, LOAD_TOK_IDENT); /* `a``b` is one identifier */
    assert_int_equal(t.v[4].len, 6);
    cs_buf_release(&b);
    load_sqltok_release(&t);
}

static void test_executable_comments(void **state)
{
    static const char text[] = "/*!80023 INVISIBLE */ /*M!100301 COMPRESSED*/ /*! SET x */"
                               "/*!50100 PARTITION '*/' */";
    struct load_toks t = {0};

    (void)state;
    assert_int_equal(load_sqltok_split(text, 0, strlen(text), 1, &t), 0);
    assert_int_equal(t.n, 6);
    assert_int_equal(t.v[0].version, 80023);
    assert_false(t.v[0].mariadb_only);
    assert_memory_equal(text + t.v[0].body_off, " INVISIBLE ", t.v[0].body_len);
    assert_int_equal(t.v[2].version, 100301);
    assert_true(t.v[2].mariadb_only);
    assert_int_equal(t.v[4].version, 0);
    /* a quote inside an executable comment is code: its star-slash does not end it */
    assert_int_equal(t.v[5].kind, LOAD_TOK_VERSIONED);
    assert_int_equal(t.v[5].off + t.v[5].len, strlen(text));
    load_sqltok_release(&t);
}

static void test_backslash_and_open_tokens(void **state)
{
    static const char text[] = "'a\\' b'";
    struct load_toks t = {0};

    (void)state;
    assert_int_equal(load_sqltok_split(text, 0, strlen(text), 1, &t), 0);
    assert_int_equal(t.n, 1); /* 'a\' b' is one string */
    load_sqltok_release(&t);
    assert_int_equal(load_sqltok_split(text, 0, strlen(text), 0, &t), 0);
    assert_int_equal(t.n, 4); /* NO_BACKSLASH_ESCAPES: 'a\' then b then an open ' */
    assert_true(t.v[3].open);
    load_sqltok_release(&t);
}

/* ---- the policy's tables ------------------------------------------------------------ */

static char *mariadb118[] = {"utf8mb4_0900_ai_ci",          "utf8mb4_bin",
                             "utf8mb4_general_ci",          "utf8mb4_nopad_bin",
                             "utf8mb4_uca1400_ai_ci",       "utf8mb4_uca1400_nopad_ai_ci",
                             "utf8mb4_uca1400_nopad_as_cs", "utf8mb4_uca1400_swedish_nopad_ai_ci"};
static char *mariadb106[] = {"utf8mb4_bin", "utf8mb4_general_ci", "utf8mb4_nopad_bin",
                             "utf8mb4_swedish_ci", "utf8mb4_unicode_520_nopad_ci"};
static char *mysql97[] = {"utf8mb3_bin",        "utf8mb3_unicode_520_ci", "utf8mb4_0900_ai_ci",
                          "utf8mb4_0900_as_ci", "utf8mb4_0900_as_cs",     "utf8mb4_0900_bin",
                          "utf8mb4_general_ci", "utf8mb4_sv_0900_ai_ci"};

#define POLICY(dir, src, tgt, list, flags)                                                         \
    ((struct load_compat_policy){dir, src, tgt, flags, list, sizeof(list) / sizeof(list[0])})

static const char *coll(const struct load_compat_policy *p, const char *name)
{
    static char buf[64];
    const char *why = NULL;
    const char *to = load_compat_collation(p, name, buf, sizeof(buf), &why);

    if (to && strcmp(to, name))
        assert_non_null(why);
    return to;
}

static void test_collations_into_mariadb(void **state)
{
    struct load_compat_policy m11 = POLICY(LOAD_COMPAT_TO_MARIADB, 90704, 110809, mariadb118, 0);
    struct load_compat_policy m10 = POLICY(LOAD_COMPAT_TO_MARIADB, 80040, 100620, mariadb106, 0);

    (void)state;
    assert_string_equal(coll(&m11, "utf8mb4_0900_ai_ci"), "utf8mb4_0900_ai_ci"); /* it has it */
    assert_string_equal(coll(&m11, "utf8mb4_ja_0900_as_cs"), "utf8mb4_uca1400_nopad_as_cs");
    assert_string_equal(coll(&m11, "utf8mb4_sv_0900_ai_ci"), "utf8mb4_uca1400_swedish_nopad_ai_ci");
    assert_string_equal(coll(&m11, "utf8mb4_0900_bin"), "utf8mb4_nopad_bin");
    assert_null(coll(&m11, "utf8mb4_0900_as_ci"));
    assert_string_equal(coll(&m10, "utf8mb4_0900_ai_ci"), "utf8mb4_unicode_520_nopad_ci");
    assert_string_equal(coll(&m10, "utf8mb4_sv_0900_ai_ci"), "utf8mb4_swedish_ci");
    assert_string_equal(coll(&m10, "utf8mb4_0900_as_cs"), "utf8mb4_nopad_bin");
    assert_null(coll(&m10, "utf8mb4_0900_as_ci"));
    assert_null(coll(&m10, "utf8mb4_zz_0900_xx"));
}

static void test_collations_into_mysql(void **state)
{
    struct load_compat_policy p = POLICY(LOAD_COMPAT_TO_MYSQL, 110809, 90704, mysql97, 0);

    (void)state;
    assert_string_equal(coll(&p, "utf8mb4_uca1400_ai_ci"), "utf8mb4_0900_ai_ci");
    assert_string_equal(coll(&p, "utf8mb4_uca1400_nopad_as_cs"), "utf8mb4_0900_as_cs");
    assert_string_equal(coll(&p, "utf8mb4_uca1400_swedish_ai_ci"), "utf8mb4_sv_0900_ai_ci");
    /* MySQL has no Swedish as_ci: the root one */
    assert_string_equal(coll(&p, "utf8mb4_uca1400_swedish_nopad_as_ci"), "utf8mb4_0900_as_ci");
    assert_string_equal(coll(&p, "utf8mb4_uca1400_ai_cs"), "utf8mb4_0900_as_cs");
    assert_string_equal(coll(&p, "utf8mb4_nopad_bin"), "utf8mb4_0900_bin");
    assert_string_equal(coll(&p, "utf8mb3_uca1400_ai_ci"), "utf8mb3_unicode_520_ci");
    assert_string_equal(coll(&p, "utf8mb4_general_ci"), "utf8mb4_general_ci");
    assert_null(coll(&p, "utf8mb4_general_nopad_ci"));
    assert_null(coll(&p, "utf8mb4_uca1400_persian_ai_ci"));
}

static char *mode_of(const struct load_compat_policy *p, const char *mode, int object,
                     size_t *changes, size_t *refusals)
{
    struct load_compat_list ch = {0}, no = {0};
    struct cs_buf b = CS_BUF_INIT;

    load_compat_sql_mode(p, mode, object, &b, &ch, &no);
    *changes = ch.n;
    *refusals = no.n;
    load_compat_list_release(&ch);
    load_compat_list_release(&no);
    cs_buf_puts(&b, "");
    return cs_buf_detach(&b);
}

static void test_sql_modes(void **state)
{
    struct load_compat_policy my = POLICY(LOAD_COMPAT_TO_MYSQL, 110809, 90704, mysql97, 0);
    struct load_compat_policy ma = POLICY(LOAD_COMPAT_TO_MARIADB, 90704, 110809, mariadb118, 0);
    size_t ch, no;
    char *m;

    (void)state;
    m = mode_of(&my,
                "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,"
                "NO_ENGINE_SUBSTITUTION",
                0, &ch, &no);
    assert_string_equal(m, "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION");
    assert_int_equal(ch, 1);
    assert_int_equal(no, 0);
    free(m);
    /* a routine's mode: the fractional-seconds default said, Oracle mode refused */
    m = mode_of(&my, "ORACLE,NO_ENGINE_SUBSTITUTION", 1, &ch, &no);
    assert_string_equal(m, "NO_ENGINE_SUBSTITUTION,TIME_TRUNCATE_FRACTIONAL");
    assert_int_equal(no, 1);
    free(m);
    m = mode_of(&my, "ORACLE", 0, &ch, &no); /* the load's own session: dropped */
    assert_string_equal(m, "");
    assert_int_equal(no, 0);
    free(m);
    m = mode_of(&ma, "TIME_TRUNCATE_FRACTIONAL,NO_ENGINE_SUBSTITUTION", 1, &ch, &no);
    assert_string_equal(m, "NO_ENGINE_SUBSTITUTION");
    free(m);
    m = mode_of(&ma, "NO_ENGINE_SUBSTITUTION", 1, &ch, &no);
    assert_string_equal(m, "NO_ENGINE_SUBSTITUTION,TIME_ROUND_FRACTIONAL");
    free(m);
}

static void test_flags(void **state)
{
    struct cs_error err = {0};
    unsigned f = 0;

    (void)state;
    assert_int_equal(
        load_compat_parse_flags("skip-functional-indexes,drop-system-versioning", &f, &err), 0);
    assert_int_equal(f, LOAD_COMPAT_SKIP_FUNCTIONAL_INDEXES | LOAD_COMPAT_DROP_SYSTEM_VERSIONING);
    assert_int_equal(load_compat_parse_flags("skip-vector-indexes,bogus", &f, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
    assert_non_null(strstr(err.msg, "'bogus'"));
    assert_string_equal(load_compat_flag_option(LOAD_COMPAT_MARIADB_TYPES_AS_TEXT),
                        "--compat mariadb-types-as-text");
}

/* ---- the rewriter --------------------------------------------------------------------- */

static void rewrite(const struct load_compat_policy *p, enum load_compat_kind kind,
                    const char *text, struct load_compat_result *r)
{
    assert_int_equal(load_compat_rewrite(p, kind, text, 1, r), 0);
    assert_non_null(r->text);
}

static int said(const struct load_compat_list *l, const char *part)
{
    for (size_t i = 0; i < l->n; i++)
        if (strstr(l->v[i], part))
            return 1;
    return 0;
}

static void test_same_flavor_unchanged(void **state)
{
    static const char text[] = "CREATE TABLE `t` (\n  `p` point NOT NULL /*!80003 SRID 4326 */,\n"
                               "  KEY `f` ((lower(`p`)))\n) COLLATE=utf8mb4_0900_ai_ci";
    struct load_compat_policy p = POLICY(LOAD_COMPAT_SAME, 90704, 90704, mysql97, 0);
    struct load_compat_result r;

    (void)state;
    rewrite(&p, LOAD_COMPAT_TABLE, text, &r);
    assert_string_equal(r.text, text);
    assert_int_equal(r.changes.n + r.refusals.n, 0);
    load_compat_result_release(&r);
}

static const char mysql_table[] =
    "CREATE TABLE `geo` (\n"
    "  `id` int NOT NULL,\n"
    "  `p` point NOT NULL /*!80003 SRID 4326 */,\n"
    "  `g` geometry /*!80003 SRID 0 */ DEFAULT NULL,\n"
    "  `h` int DEFAULT NULL /*!80023 INVISIBLE */,\n"
    "  `utf8mb4_0900_ai_ci` varchar(9) COLLATE utf8mb4_ja_0900_as_cs "
    "COMMENT 'COLLATE utf8mb4_0900_bin /*!80023 INVISIBLE */',\n"
    "  PRIMARY KEY (`id`),\n"
    "  KEY `k` (`h`) /*!80000 INVISIBLE */,\n"
    "  KEY `f` ((lower(`utf8mb4_0900_ai_ci`))),\n"
    "  SPATIAL KEY `p` (`p`)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin";

static void test_mysql_table_into_mariadb(void **state)
{
    static const char want[] =
        "CREATE TABLE `geo` (\n"
        "  `id` int NOT NULL,\n"
        "  `p` point REF_SYSTEM_ID=4326 NOT NULL,\n"
        "  `g` geometry REF_SYSTEM_ID=0 DEFAULT NULL,\n"
        "  `h` int DEFAULT NULL INVISIBLE,\n"
        "  `utf8mb4_0900_ai_ci` varchar(9) COLLATE utf8mb4_uca1400_nopad_as_cs "
        "COMMENT 'COLLATE utf8mb4_0900_bin /*!80023 INVISIBLE */',\n"
        "  PRIMARY KEY (`id`),\n"
        "  KEY `k` (`h`) IGNORED,\n"
        "  SPATIAL KEY `p` (`p`)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";
    struct load_compat_policy p = POLICY(LOAD_COMPAT_TO_MARIADB, 90704, 110809, mariadb118,
                                         LOAD_COMPAT_SKIP_FUNCTIONAL_INDEXES);
    struct load_compat_result r;

    (void)state;
    rewrite(&p, LOAD_COMPAT_TABLE, mysql_table, &r);
    assert_string_equal(r.text, want);
    assert_int_equal(r.refusals.n, 0);
    assert_true(said(&r.changes, "column `p`: /*!80003 SRID 4326 */ -> REF_SYSTEM_ID=4326"));
    assert_true(said(&r.changes, "index `k`: /*!80000 INVISIBLE */ -> IGNORED"));
    assert_true(said(&r.changes, "index `f`: a functional index left out"));
    assert_true(said(&r.changes, "collation utf8mb4_ja_0900_as_cs -> utf8mb4_uca1400_nopad_as_cs"));
    load_compat_result_release(&r);
}

static void test_mysql_refusals(void **state)
{
    static const char last[] = "CREATE TABLE `t` (\n  `a` int NOT NULL /*!80023 INVISIBLE */,\n"
                               "  `b` json,\n  KEY `m` ((cast(json_extract(`b`,_utf8mb4'$') as "
                               "unsigned array)))\n) ENGINE=InnoDB";
    static const char last_ok[] = "CREATE TABLE `t` (\n  `a` int NOT NULL DEFAULT '0' /*!80023 "
                                  "INVISIBLE */,\n  `b` json,\n  KEY `m` ((lower(`b`)))\n)";
    static const char want[] = "CREATE TABLE `t` (\n  `a` int NOT NULL DEFAULT '0' INVISIBLE,\n"
                               "  `b` json\n)";
    struct load_compat_policy p = POLICY(LOAD_COMPAT_TO_MARIADB, 90704, 100509, mariadb106, 0);
    struct load_compat_result r;

    (void)state;
    rewrite(&p, LOAD_COMPAT_TABLE, mysql_table, &r);
    assert_true(said(&r.refusals, "index `f`: a functional index"));
    assert_true(said(&r.refusals, "--compat skip-functional-indexes"));
    assert_true(said(&r.refusals, "index `k`: /*!80000 INVISIBLE */: needs MariaDB 10.6"));
    assert_true(said(&r.refusals, "collation utf8mb4_ja_0900_as_cs") == 0); /* -> nopad_bin */
    load_compat_result_release(&r);
    rewrite(&p, LOAD_COMPAT_TABLE, last, &r);
    assert_true(said(&r.refusals, "column `a`: /*!80023 INVISIBLE */: MariaDB wants a NOT NULL"));
    assert_true(said(&r.refusals, "index `m`: a multi-valued index"));
    load_compat_result_release(&r);
    /* the last definition left out takes the comma before it */
    p.flags = LOAD_COMPAT_SKIP_FUNCTIONAL_INDEXES;
    rewrite(&p, LOAD_COMPAT_TABLE, last_ok, &r);
    assert_int_equal(r.refusals.n, 0);
    assert_string_equal(r.text, want);
    load_compat_result_release(&r);
}

static void test_mysql_hidden_syntax(void **state)
{
    static const char unknown[] = "CREATE TABLE `t` (\n  `a` int /*!80099 FUTURE 1 */,\n"
                                  "  CONSTRAINT `c` CHECK ((`a` > 0)) /*!80016 NOT ENFORCED */\n"
                                  ") /*!100000 IGNORED_BY_MYSQL */";
    static const char db[] = "CREATE DATABASE `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 "
                             "COLLATE utf8mb4_0900_as_cs */ /*!80016 DEFAULT ENCRYPTION='N' */";
    struct load_compat_policy p = POLICY(LOAD_COMPAT_TO_MARIADB, 90704, 110809, mariadb118, 0);
    struct load_compat_result r;

    (void)state;
    rewrite(&p, LOAD_COMPAT_TABLE, unknown, &r);
    assert_true(said(&r.refusals, "column `a`: /*!80099 FUTURE 1 */: MySQL-only syntax"));
    assert_true(said(&r.refusals, "constraint `c`: /*!80016 NOT ENFORCED */: MariaDB enforces"));
    assert_true(said(&r.changes, "/*!100000 IGNORED_BY_MYSQL */ left out (the source did not"));
    load_compat_result_release(&r);
    rewrite(&p, LOAD_COMPAT_STATEMENT,
            "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DISABLE ON "
            "REPLICA DO SELECT 'DISABLE ON REPLICA'",
            &r);
    assert_string_equal(r.text, "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DISABLE ON SLAVE DO "
                                "SELECT 'DISABLE ON REPLICA'");
    load_compat_result_release(&r);
    rewrite(&p, LOAD_COMPAT_STATEMENT, db, &r);
    assert_string_equal(r.text, "CREATE DATABASE `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 "
                                "COLLATE utf8mb4_uca1400_nopad_as_cs */");
    assert_int_equal(r.refusals.n, 0);
    load_compat_result_release(&r);
}

static const char mariadb_table[] =
    "CREATE TABLE `m` (\n"
    "  `id` int(11) NOT NULL,\n"
    "  `u` uuid DEFAULT uuid(),\n"
    "  `i` inet6 DEFAULT NULL,\n"
    "  `t` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n"
    "  `v` vector(3) NOT NULL,\n"
    "  `s` varchar(9) DEFAULT 'uuid()' WITHOUT SYSTEM VERSIONING,\n"
    "  PRIMARY KEY (`id`),\n"
    "  VECTOR KEY `v` (`v`),\n"
    "  KEY `s` (`s`) IGNORED\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci WITH SYSTEM VERSIONING";

static void test_mariadb_table_into_mysql(void **state)
{
    static const char want[] =
        "CREATE TABLE `m` (\n"
        "  `id` int(11) NOT NULL,\n"
        "  `u` char(36) CHARACTER SET ascii COLLATE ascii_bin DEFAULT (uuid()),\n"
        "  `i` varchar(45) CHARACTER SET ascii COLLATE ascii_bin DEFAULT NULL,\n"
        "  `t` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n"
        "  `v` vector(3) NOT NULL,\n"
        "  `s` varchar(9) DEFAULT 'uuid()',\n"
        "  PRIMARY KEY (`id`),\n"
        "  KEY `s` (`s`) INVISIBLE\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci";
    struct load_compat_policy p = POLICY(LOAD_COMPAT_TO_MYSQL, 110809, 90704, mysql97, 0);
    struct load_compat_result r;

    (void)state;
    rewrite(&p, LOAD_COMPAT_TABLE, mariadb_table, &r);
    assert_true(said(&r.refusals, "column `u`: uuid: MySQL has no UUID type; --compat "
                                  "mariadb-types-as-text"));
    assert_true(said(&r.refusals, "index `v`: a vector index"));
    assert_true(said(&r.refusals, "table options: WITH SYSTEM VERSIONING"));
    assert_true(said(&r.refusals, "column `s`: WITHOUT SYSTEM VERSIONING"));
    assert_int_equal(r.refusals.n, 5);
    load_compat_result_release(&r);
    p.flags = LOAD_COMPAT_MARIADB_TYPES_AS_TEXT | LOAD_COMPAT_SKIP_VECTOR_INDEXES |
              LOAD_COMPAT_DROP_SYSTEM_VERSIONING;
    rewrite(&p, LOAD_COMPAT_TABLE, mariadb_table, &r);
    assert_int_equal(r.refusals.n, 0);
    assert_string_equal(r.text, want);
    assert_true(said(&r.changes, "DEFAULT uuid() -> DEFAULT (uuid())"));
    assert_true(said(&r.changes, "vector(3) kept"));
    load_compat_result_release(&r);
    p.target_version = 80040; /* MySQL 8.0 has no VECTOR */
    rewrite(&p, LOAD_COMPAT_TABLE, mariadb_table, &r);
    assert_true(said(&r.refusals, "column `v`: vector(3): needs MySQL 9.0"));
    load_compat_result_release(&r);
}

static void test_mariadb_refusals(void **state)
{
    static const char aria[] = "CREATE TABLE `a` (\n  `b` blob /*M!100301 COMPRESSED*/ DEFAULT "
                               "NULL\n) ENGINE=Aria DEFAULT CHARSET=latin1 PAGE_CHECKSUM=1";
    struct load_compat_policy p = POLICY(LOAD_COMPAT_TO_MYSQL, 110809, 90704, mysql97, 0);
    struct load_compat_result r;

    (void)state;
    rewrite(&p, LOAD_COMPAT_TABLE, aria, &r);
    assert_true(said(&r.refusals, "column `b`: /*M!100301 COMPRESSED*/: MySQL has no compressed"));
    assert_true(said(&r.refusals, "ENGINE=Aria: MySQL has no such storage engine"));
    assert_true(said(&r.refusals, "PAGE_CHECKSUM"));
    load_compat_result_release(&r);
}

static void test_chunk_header(void **state)
{
    static const char head[] =
        "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_CREATE_USER,"
        "NO_AUTO_VALUE_ON_ZERO' */";
    static const char other[] = "INSERT INTO t VALUES ('SQL_MODE=NO_AUTO_CREATE_USER')";
    struct load_compat_policy p = POLICY(LOAD_COMPAT_TO_MYSQL, 110809, 90704, mysql97, 0);
    char *out = NULL;

    (void)state;
    assert_int_equal(load_compat_chunk_rewrite(&p, head, strlen(head), &out), 0);
    assert_string_equal(out, "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_"
                             "ON_ZERO' */");
    free(out);
    assert_int_equal(load_compat_chunk_rewrite(&p, other, strlen(other), &out), 0);
    assert_null(out);
    p.dir = LOAD_COMPAT_SAME;
    assert_int_equal(load_compat_chunk_rewrite(&p, head, strlen(head), &out), 0);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_cover_the_text),
        cmocka_unit_test(test_executable_comments),
        cmocka_unit_test(test_backslash_and_open_tokens),
        cmocka_unit_test(test_collations_into_mariadb),
        cmocka_unit_test(test_collations_into_mysql),
        cmocka_unit_test(test_sql_modes),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_same_flavor_unchanged),
        cmocka_unit_test(test_mysql_table_into_mariadb),
        cmocka_unit_test(test_mysql_refusals),
        cmocka_unit_test(test_mysql_hidden_syntax),
        cmocka_unit_test(test_mariadb_table_into_mysql),
        cmocka_unit_test(test_mariadb_refusals),
        cmocka_unit_test(test_chunk_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
