/* load/grant: account files split into statements, GRANT/REVOKE/CREATE
 * USER/SET DEFAULT ROLE read on their tokens, rebuilt without privileges
 * or the IDENTIFIED clause. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/grant.h"

static void parse(const char *stmt, struct load_grant *g)
{
    struct cs_error err;

    cs_error_clear(&err);
    if (load_grant_parse(stmt, g, &err) < 0)
        fail_msg("%s: %s", stmt, err.msg);
}

static void test_split(void **state)
{
    char **v = NULL;
    size_t n = 0;

    (void)state;
    assert_int_equal(load_grant_split("CREATE USER `a;b`@`%` COMMENT 'x;y';\n"
                                      "GRANT SELECT ON `d;`.* TO `a;b`@`%`;\n",
                                      &v, &n),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0], "CREATE USER `a;b`@`%` COMMENT 'x;y'");
    assert_string_equal(v[1], "GRANT SELECT ON `d;`.* TO `a;b`@`%`");
    load_grant_free_list(v, n);
    assert_int_equal(load_grant_split("  \n", &v, &n), 0);
    assert_int_equal(n, 0);
    load_grant_free_list(v, n);
}

static void test_privileges(void **state)
{
    struct load_grant g;

    (void)state;
    parse("GRANT SELECT, SHOW VIEW, INSERT (`a`, `b``c`) ON `shop`.`t` TO `app`@`%` WITH GRANT "
          "OPTION",
          &g);
    assert_int_equal(g.kind, LOAD_GRANT_PRIVS);
    assert_int_equal(g.level, LOAD_GRANT_TABLE);
    assert_string_equal(g.schema, "shop");
    assert_string_equal(g.name, "t");
    assert_int_equal(g.nprivs, 3);
    assert_string_equal(g.privs[0].name, "SELECT");
    assert_string_equal(g.privs[1].name, "SHOW VIEW");
    assert_string_equal(g.privs[2].name, "INSERT");
    assert_int_equal(g.privs[2].ncolumns, 2);
    assert_string_equal(g.privs[2].columns[1], "b`c");
    assert_string_equal(g.to.user, "app");
    assert_string_equal(g.to.host, "%");
    load_grant_release(&g);

    parse("GRANT ALL PRIVILEGES ON *.* TO `root`@`::1` WITH GRANT OPTION", &g);
    assert_int_equal(g.level, LOAD_GRANT_GLOBAL);
    assert_string_equal(g.privs[0].name, "ALL PRIVILEGES");
    load_grant_release(&g);

    parse("GRANT BACKUP_ADMIN,SHOW_ROUTINE ON *.* TO `u`@`%`", &g);
    assert_int_equal(g.nprivs, 2);
    assert_string_equal(g.privs[1].name, "SHOW_ROUTINE");
    load_grant_release(&g);

    parse("GRANT EXECUTE, ALTER ROUTINE ON FUNCTION `db`.`f` TO `u`@`h`", &g);
    assert_int_equal(g.level, LOAD_GRANT_ROUTINE);
    assert_string_equal(g.routine, "FUNCTION");
    assert_string_equal(g.name, "f");
    load_grant_release(&g);

    parse("REVOKE SELECT ON `mysql`.* FROM `u`@`%`", &g);
    assert_true(g.revoke);
    assert_int_equal(g.level, LOAD_GRANT_SCHEMA);
    load_grant_release(&g);
}

static void test_roles_proxy_create_default(void **state)
{
    struct load_grant g;

    (void)state;
    parse("GRANT `r1`, `r2`@`%` TO `app`@`%` WITH ADMIN OPTION", &g);
    assert_int_equal(g.kind, LOAD_GRANT_ROLES);
    assert_int_equal(g.nroles, 2);
    assert_null(g.roles[0].host);
    assert_string_equal(g.roles[1].host, "%");
    load_grant_release(&g);

    parse("GRANT USAGE ON *.* TO `r1`", &g);
    assert_null(g.to.host);
    load_grant_release(&g);

    parse("GRANT PROXY ON ``@`%` TO `root`@`::1` WITH GRANT OPTION", &g);
    assert_int_equal(g.kind, LOAD_GRANT_PROXY);
    assert_string_equal(g.to.host, "::1");
    load_grant_release(&g);

    parse("CREATE USER `app`@`%` IDENTIFIED BY PASSWORD '*2B60' ACCOUNT LOCK", &g);
    assert_int_equal(g.kind, LOAD_GRANT_CREATE);
    assert_false(g.create_role);
    assert_string_equal(g.to.user, "app");
    load_grant_release(&g);

    parse("CREATE ROLE `r1`", &g);
    assert_true(g.create_role);
    load_grant_release(&g);

    parse("SET DEFAULT ROLE `r1` FOR `app`@`%`", &g);
    assert_int_equal(g.kind, LOAD_GRANT_DEFAULT);
    assert_int_equal(g.nroles, 1);
    assert_string_equal(g.to.user, "app");
    load_grant_release(&g);

    parse("SET DEFAULT ROLE `r1`@`%`, `r2`@`%` TO `app`@`%`", &g);
    assert_int_equal(g.nroles, 2);
    load_grant_release(&g);
}

static void test_rebuild(void **state)
{
    static const unsigned char keep[] = {1, 0, 1};
    static const unsigned char none[] = {0, 1};
    const char *s = "GRANT SELECT, BINLOG MONITOR, SHOW VIEW ON *.* TO `u`@`%` WITH GRANT OPTION";
    const char *m = "GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*2B60' WITH "
                    "MAX_QUERIES_PER_HOUR 10";
    const char *v = "GRANT SELECT ON *.* TO `u`@`%` IDENTIFIED VIA ed25519 USING 'abc' OR "
                    "unix_socket";
    struct load_grant g;
    char *out;

    (void)state;
    parse(s, &g);
    out = load_grant_rebuild(s, &g, keep);
    assert_string_equal(out, "GRANT SELECT, SHOW VIEW ON *.* TO `u`@`%` WITH GRANT OPTION");
    free(out);
    out = load_grant_rebuild(s, &g, NULL);
    assert_string_equal(out, s);
    free(out);
    load_grant_release(&g);

    parse(m, &g);
    assert_true(g.ident_len > 0);
    out = load_grant_rebuild(m, &g, NULL);
    assert_string_equal(out, "GRANT USAGE ON *.* TO `app`@`%` WITH MAX_QUERIES_PER_HOUR 10");
    free(out);
    load_grant_release(&g);

    parse(v, &g);
    out = load_grant_rebuild(v, &g, NULL);
    assert_string_equal(out, "GRANT SELECT ON *.* TO `u`@`%`");
    free(out);
    load_grant_release(&g);

    parse("GRANT SELECT (`a`), INSERT ON `d`.`t` TO `u`@`%`", &g);
    out = load_grant_rebuild("GRANT SELECT (`a`), INSERT ON `d`.`t` TO `u`@`%`", &g, none);
    assert_string_equal(out, "GRANT INSERT ON `d`.`t` TO `u`@`%`");
    free(out);
    load_grant_release(&g);
}

static void test_refused(void **state)
{
    struct load_grant g;
    struct cs_error err;

    (void)state;
    assert_int_equal(load_grant_parse("DROP USER `a`", &g, &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_int_equal(load_grant_parse("GRANT SELECT ON `a`.* TO `u`@`%`, `v`@`%`", &g, &err), -1);
    assert_non_null(strstr(err.msg, "more than one grantee"));
    assert_int_equal(load_grant_parse("GRANT SELECT ON `a TO u", &g, &err), -1);
    assert_int_equal(load_grant_parse("GRANT SELECT ON *.`t` TO `u`", &g, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_privileges),
        cmocka_unit_test(test_roles_proxy_create_default),
        cmocka_unit_test(test_rebuild),
        cmocka_unit_test(test_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
