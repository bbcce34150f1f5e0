/* dump/access: the dump user's privileges from SHOW GRANTS lines of both
 * flavors, and what they let it see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dump/access.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void load(struct dump_access *a, const char *const *lines, size_t n)
{
    memset(a, 0, sizeof(*a));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(dump_access_add_line(a, lines[i]), 0);
}

static void test_like(void **state)
{
    (void)state;
    assert_true(dump_access_like("shop", "shop"));
    assert_true(dump_access_like("sh%", "shop"));
    assert_true(dump_access_like("s_op", "shop"));
    assert_false(dump_access_like("s\\_op", "shop"));
    assert_true(dump_access_like("s\\_op", "s_op"));
    assert_false(dump_access_like("sh", "shop"));
    assert_true(dump_access_like("%", ""));
}

static void test_mariadb_role_lines(void **state)
{
    /* SHOW GRANTS of a MariaDB user with its default role active */
    static const char *const g[] = {
        "GRANT `rtrig` TO `du`@`localhost`",
        "GRANT RELOAD ON *.* TO `du`@`localhost`",
        "GRANT SELECT, SHOW VIEW ON `shop`.* TO `du`@`localhost`",
        "GRANT EVENT ON `sh%`.* TO `du`@`localhost`",
        "GRANT USAGE ON *.* TO `rtrig`",
        "GRANT TRIGGER ON `shop`.* TO `rtrig`",
        "SET DEFAULT ROLE `rtrig` FOR `du`@`localhost`",
    };
    struct dump_access a;

    (void)state;
    load(&a, g, N(g));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_SELECT, "shop", "t"));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_SELECT | DUMP_ACCESS_SHOW_VIEW, "shop", "v"));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_TRIGGER, "shop", "t"));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_EVENT, "shopx", NULL));
    assert_false(dump_access_allows(&a, DUMP_ACCESS_EVENT, "crm", NULL));
    assert_false(dump_access_allows(&a, DUMP_ACCESS_SELECT, "crm", "t"));
    assert_false(dump_access_allows(&a, DUMP_ACCESS_SELECT, "mysql", "proc"));
    dump_access_release(&a);
}

static void test_mysql_lines(void **state)
{
    /* MySQL merges active roles' privileges into the user's lines; dynamic
     * privileges come comma-separated without spaces; partial revokes */
    static const char *const g[] = {
        "GRANT SELECT, RELOAD ON *.* TO `u`@`%`",
        "GRANT BACKUP_ADMIN,SHOW_ROUTINE ON *.* TO `u`@`%`",
        "GRANT SELECT, SHOW VIEW, TRIGGER ON `shop`.* TO `u`@`%`",
        "REVOKE SELECT ON `secret`.* FROM `u`@`%`",
        "GRANT `r1`@`%` TO `u`@`%`",
        "GRANT PROXY ON ``@`` TO `u`@`%`",
        "GRANT EXECUTE ON PROCEDURE `shop`.`p` TO `u`@`%`",
    };
    struct dump_access a;

    (void)state;
    load(&a, g, N(g));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_SELECT, "anything", "t"));
    assert_false(dump_access_allows(&a, DUMP_ACCESS_SELECT, "secret", "t"));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_SHOW_ROUTINE, "crm", NULL));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_TRIGGER, "shop", "t"));
    assert_false(dump_access_allows(&a, DUMP_ACCESS_TRIGGER, "crm", "t"));
    assert_false(dump_access_allows(&a, DUMP_ACCESS_EVENT, "shop", NULL));
    dump_access_release(&a);
}

static void test_all_and_table_level(void **state)
{
    static const char *const g[] = {
        "GRANT ALL PRIVILEGES ON `app`.* TO `a`@`%` WITH GRANT OPTION",
        "GRANT SELECT, TRIGGER ON `crm`.`deals` TO `a`@`%`",
        /* a column privilege is not the whole table */
        "GRANT SELECT (`id`, `name`), INSERT ON `crm`.`people` TO `a`@`%`",
        "GRANT SELECT ON `a``b`.* TO `a`@`%`",
    };
    struct dump_access a;

    (void)state;
    load(&a, g, N(g));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_ALL, "app", "t"));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_EVENT, "app", NULL));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_SELECT | DUMP_ACCESS_TRIGGER, "crm", "deals"));
    assert_false(dump_access_allows(&a, DUMP_ACCESS_SELECT, "crm", "other"));
    assert_false(dump_access_allows(&a, DUMP_ACCESS_SELECT, "crm", "people"));
    /* a table-level grant says nothing about the schema as a whole */
    assert_false(dump_access_allows(&a, DUMP_ACCESS_SELECT, "crm", NULL));
    assert_true(dump_access_allows(&a, DUMP_ACCESS_SELECT, "a`b", "t"));
    dump_access_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_like),
        cmocka_unit_test(test_mariadb_role_lines),
        cmocka_unit_test(test_mysql_lines),
        cmocka_unit_test(test_all_and_table_level),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
