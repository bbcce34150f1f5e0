/* test_version.c - common/version.h: VERSION() strings of every flavor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/version.h"

struct version_case {
    const char *version;
    const char *comment;
    enum cs_flavor flavor;
    unsigned major, minor, patch;
};

static const struct version_case cases[] = {
    /* MySQL 5.7 with the binary log on, and a distribution build */
    {"5.7.44-log", "MySQL Community Server (GPL)", CS_FLAVOR_MYSQL, 5, 7, 44},
    {"5.7.42-0ubuntu0.18.04.1", "(Ubuntu)", CS_FLAVOR_MYSQL, 5, 7, 42},
    {"8.0.36", "MySQL Community Server - GPL", CS_FLAVOR_MYSQL, 8, 0, 36},
    /* Percona Server: "-27" is the Percona release, not the patch */
    {"8.0.35-27", "Percona Server (GPL), Release 27, Revision 2f8eeab2", CS_FLAVOR_MYSQL, 8, 0, 35},
    /* Cloud SQL */
    {"8.0.36-google", "(Google)", CS_FLAVOR_MYSQL, 8, 0, 36},
    /* Aurora MySQL 3: the third field is not a number */
    {"8.0.mysql_aurora.3.05.2", "Source distribution", CS_FLAVOR_MYSQL, 8, 0, 0},
    {"8.2.0", NULL, CS_FLAVOR_MYSQL, 8, 2, 0},
    {"8.4.3", "MySQL Community Server - GPL", CS_FLAVOR_MYSQL, 8, 4, 3},
    {"9.1.0", "MySQL Community Server - GPL", CS_FLAVOR_MYSQL, 9, 1, 0},
    /* year-style numbering */
    {"26.1.0", NULL, CS_FLAVOR_MYSQL, 26, 1, 0},
    /* MariaDB */
    {"10.11.19-MariaDB-0+deb12u1-log", "Debian 12", CS_FLAVOR_MARIADB, 10, 11, 19},
    /* the replication-compatibility prefix old clients see */
    {"5.5.5-10.6.16-MariaDB-log", "MariaDB Server", CS_FLAVOR_MARIADB, 10, 6, 16},
    {"11.4.2-MariaDB", NULL, CS_FLAVOR_MARIADB, 11, 4, 2},
    {"10.5.23-MariaDB-1:10.5.23+maria~ubu2004", "mariadb.org binary distribution",
     CS_FLAVOR_MARIADB, 10, 5, 23},
    {"11.8.1-MariaDB-ubu2404", "mariadb.org binary distribution", CS_FLAVOR_MARIADB, 11, 8, 1},
    /* lower-case marker */
    {"10.4.34-mariadb", NULL, CS_FLAVOR_MARIADB, 10, 4, 34},
    /* a MariaDB build whose version string lacks the marker: the comment says it */
    {"10.6.18", "MariaDB Server", CS_FLAVOR_MARIADB, 10, 6, 18},
    {"5.5.5-10.3.39", "mariadb.org binary distribution", CS_FLAVOR_MARIADB, 10, 3, 39},
    /* two fields only */
    {"8.0", NULL, CS_FLAVOR_MYSQL, 8, 0, 0},
    /* a genuine MySQL 5.5.5 is not a prefix to skip */
    {"5.5.5", NULL, CS_FLAVOR_MYSQL, 5, 5, 5},
};

static void test_real_versions(void **state)
{
    (void)state;
    assert_true(sizeof(cases) / sizeof(cases[0]) >= 14);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct version_case *c = &cases[i];
        struct cs_version v;

        /* poison: the parser must overwrite every field */
        memset(&v, 0x5a, sizeof(v));
        print_message("%s\n", c->version);
        assert_int_equal(cs_version_parse(c->version, c->comment, &v), 0);
        assert_int_equal(v.flavor, c->flavor);
        assert_int_equal(v.major, c->major);
        assert_int_equal(v.minor, c->minor);
        assert_int_equal(v.patch, c->patch);
        assert_string_equal(cs_flavor_name(v.flavor),
                            c->flavor == CS_FLAVOR_MARIADB ? "mariadb" : "mysql");
    }
}

static void test_comment_without_marker_stays_mysql(void **state)
{
    struct cs_version v;

    (void)state;
    /* "5.5.5-" is only skipped on MariaDB */
    assert_int_equal(cs_version_parse("5.5.5-10.6.16", "MySQL Community Server", &v), 0);
    assert_int_equal(v.flavor, CS_FLAVOR_MYSQL);
    assert_int_equal(v.major, 5);
    assert_int_equal(v.minor, 5);
    assert_int_equal(v.patch, 5);
}

static void test_garbage(void **state)
{
    static const char *const bad[] = {"", "MariaDB", "-log", "garbage", "vX.Y", "  "};
    struct cs_version v;

    (void)state;
    assert_int_equal(cs_version_parse(NULL, NULL, &v), -1);
    assert_int_equal(cs_version_parse(NULL, "MariaDB Server", &v), -1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        print_message("'%s'\n", bad[i]);
        assert_int_equal(cs_version_parse(bad[i], NULL, &v), -1);
    }
}

static void test_flavor_names(void **state)
{
    (void)state;
    assert_string_equal(cs_flavor_name(CS_FLAVOR_MYSQL), "mysql");
    assert_string_equal(cs_flavor_name(CS_FLAVOR_MARIADB), "mariadb");
}

static void test_at_least(void **state)
{
    struct cs_version v;

    (void)state;
    assert_int_equal(cs_version_parse("8.0.22", NULL, &v), 0);
    assert_true(cs_version_at_least(&v, 8, 0, 22));  /* equal */
    assert_true(cs_version_at_least(&v, 8, 0, 21));  /* patch lower */
    assert_false(cs_version_at_least(&v, 8, 0, 23)); /* patch higher */
    assert_false(cs_version_at_least(&v, 8, 1, 0));  /* minor higher */
    assert_true(cs_version_at_least(&v, 7, 9, 99));  /* major lower wins over minor */
    assert_false(cs_version_at_least(&v, 9, 0, 0));
    assert_true(cs_version_at_least(&v, 5, 7, 44));

    /* the minor decides before the patch */
    assert_int_equal(cs_version_parse("10.11.2-MariaDB", NULL, &v), 0);
    assert_true(cs_version_at_least(&v, 10, 5, 99));
    assert_true(cs_version_at_least(&v, 10, 4, 1));
    assert_false(cs_version_at_least(&v, 10, 11, 3));
    assert_false(cs_version_at_least(&v, 11, 0, 0));
    /* numeric, not lexical: 10 > 9 */
    assert_true(cs_version_at_least(&v, 9, 99, 99));

    /* year-style versions are above every 8.x / 9.x */
    assert_int_equal(cs_version_parse("26.1.0", NULL, &v), 0);
    assert_true(cs_version_at_least(&v, 9, 9, 9));
    assert_true(cs_version_at_least(&v, 26, 1, 0));
    assert_false(cs_version_at_least(&v, 26, 1, 1));

    /* the replication prefix must not make 10.6 look like 5.5 */
    assert_int_equal(cs_version_parse("5.5.5-10.6.16-MariaDB-log", NULL, &v), 0);
    assert_true(cs_version_at_least(&v, 10, 5, 2));

    /* Aurora's "8.0.mysql_aurora..." is 8.0.0 */
    assert_int_equal(cs_version_parse("8.0.mysql_aurora.3.05.2", NULL, &v), 0);
    assert_true(cs_version_at_least(&v, 8, 0, 0));
    assert_false(cs_version_at_least(&v, 8, 0, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_versions),
        cmocka_unit_test(test_comment_without_marker_stays_mysql),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_flavor_names),
        cmocka_unit_test(test_at_least),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
