/* dump/select: --tables/--exclude/--regex/account patterns, system
 * accounts, and every option item that matches nothing named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/pattern.h"
#include "dump/select.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define LIST(a) ((struct dump_list){(char **)(a), N(a)})

static void test_glob(void **state)
{
    (void)state;
    assert_true(cs_pattern_glob("abc", "abc"));
    assert_false(cs_pattern_glob("abc", "abcd"));
    assert_false(cs_pattern_glob("abcd", "abc"));
    assert_true(cs_pattern_glob("%", ""));
    assert_true(cs_pattern_glob("*", "anything"));
    assert_true(cs_pattern_glob("sbtest%", "sbtest12"));
    assert_true(cs_pattern_glob("sbtest*", "sbtest"));
    assert_false(cs_pattern_glob("sbtest*", "sbtes"));
    assert_true(cs_pattern_glob("%_log", "audit_log"));
    assert_true(cs_pattern_glob("a%b%c", "aXXbYYbc"));
    assert_false(cs_pattern_glob("a%b%c", "aXXbYYb"));
    /* '_' is no wildcard; a backslash takes the next character literally */
    assert_false(cs_pattern_glob("t_1", "tx1"));
    assert_true(cs_pattern_glob("100\\%", "100%"));
    assert_false(cs_pattern_glob("100\\%", "1000"));
    assert_true(cs_pattern_glob("a\\*", "a*"));
    assert_false(cs_pattern_glob("a\\*", "ab"));
    /* case-sensitive, as table names are on Linux */
    assert_false(cs_pattern_glob("Shop", "shop"));
}

static void test_table_patterns(void **state)
{
    (void)state;
    assert_true(cs_pattern_table("shop.orders", "shop", "orders"));
    assert_false(cs_pattern_table("shop.orders", "shop", "orders2"));
    assert_true(cs_pattern_table("shop.*", "shop", "x"));
    assert_false(cs_pattern_table("shop.*", "shopx", "x"));
    assert_true(cs_pattern_table("shop.sbtest%", "shop", "sbtest3"));
    assert_true(cs_pattern_table("%.audit", "crm", "audit"));
    /* a schema with a dot in its name: any dot of the pattern may split */
    assert_true(cs_pattern_table("odd db.x.t", "odd db.x", "t"));
    assert_true(cs_pattern_table("a.b.c", "a", "b.c"));
    assert_false(cs_pattern_table("nodot", "nodot", ""));
    /* an escaped dot never splits */
    assert_false(cs_pattern_table("a\\.b", "a", "b"));
}

static void test_account_patterns(void **state)
{
    (void)state;
    assert_true(cs_pattern_account("app@%", "app", "10.0.0.1"));
    assert_true(cs_pattern_account("app@10.0.%", "app", "10.0.0.1"));
    assert_false(cs_pattern_account("app@10.0.%", "app", "localhost"));
    assert_true(cs_pattern_account("app", "app", "localhost"));
    assert_true(cs_pattern_account("%@localhost", "bob", "localhost"));
    /* the host is split at the last '@' */
    assert_true(cs_pattern_account("a@b@h", "a@b", "h"));
    /* a literal % in a host pattern */
    assert_true(cs_pattern_account("app@\\%", "app", "%"));
    assert_false(cs_pattern_account("app@\\%", "app", "x"));
}

static void test_system_accounts(void **state)
{
    static const char *const named[] = {"root@localhost"};
    static const char *const wild[] = {"root@%"};
    struct dump_config cfg;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    assert_true(dump_select_system_account(&cfg, "mysql.sys", "localhost"));
    assert_true(dump_select_system_account(&cfg, "mysql.session", "localhost"));
    assert_true(dump_select_system_account(&cfg, "mysql.infoschema", "localhost"));
    assert_true(dump_select_system_account(&cfg, "mariadb.sys", "localhost"));
    assert_true(dump_select_system_account(&cfg, "mysql.anything", "%"));
    assert_true(dump_select_system_account(&cfg, "root", "localhost"));
    assert_false(dump_select_system_account(&cfg, "root", "%"));
    assert_false(dump_select_system_account(&cfg, "app", "localhost"));
    /* root@localhost only when named exactly */
    cfg.include_users = LIST(wild);
    assert_true(dump_select_system_account(&cfg, "root", "localhost"));
    cfg.include_users = LIST(named);
    assert_false(dump_select_system_account(&cfg, "root", "localhost"));
    /* the others never */
    assert_true(dump_select_system_account(&cfg, "mysql.sys", "localhost"));
}

static void test_schema_and_table_selection(void **state)
{
    static const char *const tables[] = {"shop.orders", "crm.c%"};
    static const char *const exclude[] = {"crm.cold", "logs"};
    struct dump_config cfg;
    struct dump_select sel;
    struct cs_error err;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.tables = LIST(tables);
    cfg.exclude = LIST(exclude);
    assert_int_equal(dump_select_init(&sel, &cfg, &err), 0);
    assert_true(dump_select_schema(&sel, "shop"));
    assert_true(dump_select_schema(&sel, "crm"));
    assert_false(dump_select_schema(&sel, "other"));
    assert_false(dump_select_schema(&sel, "logs"));
    assert_false(dump_select_schema(&sel, "mysql"));
    assert_true(dump_select_table(&sel, "shop", "orders"));
    assert_false(dump_select_table(&sel, "shop", "items"));
    assert_true(dump_select_table(&sel, "crm", "clients"));
    assert_false(dump_select_table(&sel, "crm", "cold"));
    assert_false(dump_select_table(&sel, "crm", "deals"));
    /* every item matched something */
    assert_int_equal(dump_select_unmatched(&sel, 1, NULL, &err), 0);
    dump_select_release(&sel);
}

static void test_unmatched_named(void **state)
{
    static const char *const tables[] = {"shop.nosuch"};
    static const char *const exclude[] = {"shop.sbtest*"};
    struct dump_config cfg;
    struct dump_select sel;
    struct cs_error err;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.tables = LIST(tables);
    assert_int_equal(dump_select_init(&sel, &cfg, &err), 0);
    assert_true(dump_select_schema(&sel, "shop"));
    assert_false(dump_select_table(&sel, "shop", "orders"));
    assert_int_equal(dump_select_unmatched(&sel, 0, NULL, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
    assert_non_null(strstr(err.msg, "--tables=shop.nosuch: no table"));
    dump_select_release(&sel);

    /* two at once: counted, each logged */
    cfg.exclude = LIST(exclude);
    assert_int_equal(dump_select_init(&sel, &cfg, &err), 0);
    dump_select_table(&sel, "shop", "orders");
    assert_int_equal(dump_select_unmatched(&sel, 0, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "2 selection options match nothing"));
    dump_select_release(&sel);

    /* --regex matching nothing */
    memset(&cfg, 0, sizeof(cfg));
    cfg.pattern = "^nope\\.";
    assert_int_equal(dump_select_init(&sel, &cfg, &err), 0);
    assert_false(dump_select_table(&sel, "shop", "orders"));
    assert_int_equal(dump_select_unmatched(&sel, 0, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "--regex=^nope\\.: no table"));
    dump_select_release(&sel);
    cfg.pattern = "(";
    assert_int_equal(dump_select_init(&sel, &cfg, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
}

static void test_unmatched_accounts(void **state)
{
    static const char *const inc[] = {"app@%", "ghost@%"};
    static const char *const exc[] = {"app@10.%"};
    struct dump_config cfg;
    struct dump_select sel;
    struct cs_error err;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.include_users = LIST(inc);
    cfg.exclude_users = LIST(exc);
    assert_int_equal(dump_select_init(&sel, &cfg, &err), 0);
    assert_true(dump_select_account(&sel, "app", "%"));
    assert_false(dump_select_account(&sel, "app", "10.1.1.1"));
    assert_false(dump_select_account(&sel, "bob", "%"));
    assert_false(dump_select_account(&sel, "mysql.sys", "localhost"));
    /* account patterns count only when accounts were read */
    assert_int_equal(dump_select_unmatched(&sel, 0, NULL, &err), 0);
    assert_int_equal(dump_select_unmatched(&sel, 1, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "--include-users=ghost@%: no account"));
    dump_select_release(&sel);
}

static void test_check(void **state)
{
    static const char *const bad[] = {"sbtest1"};
    static const char *const bad2[] = {"shop."};
    static const char *const good[] = {"shop.*", "odd db.t"};
    struct dump_config cfg;
    struct cs_error err;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.tables = LIST(good);
    assert_int_equal(dump_select_check(&cfg, &err), 0);
    cfg.tables = LIST(bad);
    assert_int_equal(dump_select_check(&cfg, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
    assert_non_null(strstr(err.msg, "--tables=sbtest1: name the schema too"));
    cfg.tables = LIST(bad2);
    assert_int_equal(dump_select_check(&cfg, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glob),
        cmocka_unit_test(test_table_patterns),
        cmocka_unit_test(test_account_patterns),
        cmocka_unit_test(test_system_accounts),
        cmocka_unit_test(test_schema_and_table_selection),
        cmocka_unit_test(test_unmatched_named),
        cmocka_unit_test(test_unmatched_accounts),
        cmocka_unit_test(test_check),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
