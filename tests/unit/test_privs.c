/* test_privs.c - dump/snapshot.h: SHOW GRANTS parsing, the lock mode AUTO
 * stands for (every privilege combination on every flavor branch), the
 * long-running-statement check and its processlist table; dump/applier.h:
 * the replica applier's statements.  On the fake server: test_barrier.c,
 * test_server_coords.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "common/buf.h"
#include "common/version.h"
#include "dump/applier.h"
#include "dump/config.h"
#include "dump/snapshot.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static unsigned privs1(const char *line)
{
    const char *const g[] = {line};
    return dump_privs_parse(g, 1);
}

static void test_privs_mysql8_backup_user(void **state)
{
    /* SHOW GRANTS on MySQL 8.0 for a typical dump user */
    static const char *const g[] = {
        "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION CLIENT ON *.* TO `u`@`%`",
        "GRANT BACKUP_ADMIN ON *.* TO `u`@`%`",
    };

    (void)state;
    assert_int_equal(dump_privs_parse(g, N(g)), DUMP_PRIV_RELOAD | DUMP_PRIV_LOCK_TABLES |
                                                    DUMP_PRIV_BINLOG_MONITOR |
                                                    DUMP_PRIV_BACKUP_ADMIN);
    /* each line alone */
    assert_int_equal(dump_privs_parse(g, 1),
                     DUMP_PRIV_RELOAD | DUMP_PRIV_LOCK_TABLES | DUMP_PRIV_BINLOG_MONITOR);
    assert_int_equal(dump_privs_parse(g + 1, 1), DUMP_PRIV_BACKUP_ADMIN);
    assert_int_equal(dump_privs_parse(g, 0), 0);
}

static void test_privs_mysql8_root(void **state)
{
    /* SHOW GRANTS for root@localhost on MySQL 8.0: static privileges, then
     * the dynamic ones (comma-separated without spaces) */
    static const char *const g[] = {
        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, SHUTDOWN, PROCESS, FILE, "
        "REFERENCES, INDEX, ALTER, SHOW DATABASES, SUPER, CREATE TEMPORARY TABLES, LOCK TABLES, "
        "EXECUTE, REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, "
        "ALTER ROUTINE, CREATE USER, EVENT, TRIGGER, CREATE TABLESPACE, CREATE ROLE, DROP ROLE "
        "ON *.* TO `root`@`localhost` WITH GRANT OPTION",
        "GRANT APPLICATION_PASSWORD_ADMIN,AUDIT_ABORT_EXEMPT,AUDIT_ADMIN,"
        "AUTHENTICATION_POLICY_ADMIN,BACKUP_ADMIN,BINLOG_ADMIN,BINLOG_ENCRYPTION_ADMIN,"
        "CLONE_ADMIN,CONNECTION_ADMIN,ENCRYPTION_KEY_ADMIN,FIREWALL_EXEMPT,FLUSH_OPTIMIZER_COSTS,"
        "FLUSH_STATUS,FLUSH_TABLES,FLUSH_USER_RESOURCES,GROUP_REPLICATION_ADMIN,"
        "GROUP_REPLICATION_STREAM,INNODB_REDO_LOG_ARCHIVE,INNODB_REDO_LOG_ENABLE,"
        "PASSWORDLESS_USER_ADMIN,PERSIST_RO_VARIABLES_ADMIN,REPLICATION_APPLIER,"
        "REPLICATION_SLAVE_ADMIN,RESOURCE_GROUP_ADMIN,RESOURCE_GROUP_USER,ROLE_ADMIN,"
        "SENSITIVE_VARIABLES_OBSERVER,SERVICE_CONNECTION_ADMIN,SESSION_VARIABLES_ADMIN,"
        "SET_USER_ID,SHOW_ROUTINE,SYSTEM_USER,SYSTEM_VARIABLES_ADMIN,TABLE_ENCRYPTION_ADMIN,"
        "TELEMETRY_LOG_ADMIN,XA_RECOVER_ADMIN ON *.* TO `root`@`localhost` WITH GRANT OPTION",
        "GRANT PROXY ON ``@`` TO `root`@`localhost` WITH GRANT OPTION",
    };

    (void)state;
    assert_int_equal(dump_privs_parse(g, 1), DUMP_PRIV_RELOAD | DUMP_PRIV_PROCESS |
                                                 DUMP_PRIV_BINLOG_MONITOR | DUMP_PRIV_LOCK_TABLES);
    assert_int_equal(dump_privs_parse(g + 1, 1), DUMP_PRIV_BACKUP_ADMIN);
    assert_int_equal(dump_privs_parse(g + 2, 1), 0);
    assert_int_equal(dump_privs_parse(g, N(g)), DUMP_PRIV_RELOAD | DUMP_PRIV_PROCESS |
                                                    DUMP_PRIV_BINLOG_MONITOR |
                                                    DUMP_PRIV_LOCK_TABLES | DUMP_PRIV_BACKUP_ADMIN);
}

static void test_privs_mariadb_root(void **state)
{
    /* SHOW GRANTS for root@localhost on MariaDB 10.11 (both lines) */
    static const char *const g[] = {
        "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION",
        "GRANT PROXY ON ``@`%` TO `root`@`localhost` WITH GRANT OPTION",
    };
    unsigned p;

    (void)state;
    p = dump_privs_parse(g, N(g));
    assert_int_equal(p, DUMP_PRIV_ALL);
    assert_true(p & DUMP_PRIV_RELOAD);
    assert_true(p & DUMP_PRIV_BACKUP_ADMIN);
    assert_true(p & DUMP_PRIV_BINLOG_MONITOR);
    assert_true(p & DUMP_PRIV_LOCK_TABLES);
    assert_true(p & DUMP_PRIV_PROCESS);
    /* the PROXY line alone grants nothing we use */
    assert_int_equal(dump_privs_parse(g + 1, 1), 0);
}

static void test_privs_schema_level(void **state)
{
    (void)state;
    /* nothing global */
    assert_int_equal(privs1("GRANT SELECT ON `app`.* TO `u`@`%`"), 0);
    assert_int_equal(privs1("GRANT USAGE ON *.* TO `u`@`%`"), 0);
    /* LOCK TABLES on one schema still lets LOCK TABLES work there */
    assert_int_equal(privs1("GRANT LOCK TABLES ON `app`.* TO `u`@`%`"), DUMP_PRIV_LOCK_TABLES);
    assert_int_equal(privs1("GRANT SELECT, LOCK TABLES, SHOW VIEW ON `app`.* TO 'u'@'%'"),
                     DUMP_PRIV_LOCK_TABLES);
    /* ALL on a schema is LOCK TABLES there, never RELOAD */
    assert_int_equal(privs1("GRANT ALL PRIVILEGES ON `app`.* TO `u`@`%`"), DUMP_PRIV_LOCK_TABLES);
    /* a table-level grant is not global */
    assert_int_equal(privs1("GRANT SELECT, RELOAD ON `app`.`t` TO `u`@`%`"), 0);
}

static void test_privs_mariadb_105(void **state)
{
    /* MariaDB 10.5+ split REPLICATION CLIENT into BINLOG MONITOR */
    static const char *const g[] = {
        "GRANT RELOAD, BINLOG MONITOR ON *.* TO `u`@`%`",
        "GRANT LOCK TABLES ON `app`.* TO `u`@`%`",
    };

    (void)state;
    assert_int_equal(dump_privs_parse(g, 1), DUMP_PRIV_RELOAD | DUMP_PRIV_BINLOG_MONITOR);
    assert_int_equal(dump_privs_parse(g, N(g)),
                     DUMP_PRIV_RELOAD | DUMP_PRIV_BINLOG_MONITOR | DUMP_PRIV_LOCK_TABLES);
    assert_int_equal(privs1("GRANT PROCESS ON *.* TO `u`@`%`"), DUMP_PRIV_PROCESS);
    assert_int_equal(privs1("GRANT SUPER ON *.* TO `u`@`%`"), DUMP_PRIV_BINLOG_MONITOR);
}

static void test_privs_not_fooled(void **state)
{
    static const char *const g[] = {
        "Grants for u@%",                            /* a header, not a grant */
        "REVOKE RELOAD ON *.* FROM `u`@`%`",         /* not a GRANT */
        "GRANT `dump_role`@`%` TO `u`@`%`",          /* a role, no ON */
        "GRANT SELECT ON `reload`.* TO `u`@`%`",     /* the word is the schema */
        "GRANT SELECT ON *.* TO `backup_admin`@`%`", /* the word is the user */
        "GRANT SELECT ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*RELOAD'",
    };

    (void)state;
    for (size_t i = 0; i < N(g); i++) {
        print_message("%s\n", g[i]);
        assert_int_equal(dump_privs_parse(g + i, 1), 0);
    }
    assert_int_equal(dump_privs_parse(g, N(g)), 0);
}

/* ---- AUTO -------------------------------------------------------------- */

static enum dump_lock_mode resolve(const char *version, unsigned privs, int has_nontrx)
{
    struct dump_server s;

    memset(&s, 0, sizeof(s));
    assert_int_equal(cs_version_parse(version, NULL, &s.version), 0);
    s.privs = privs;
    return dump_lock_decide(&s, DUMP_LOCK_AUTO, (size_t)has_nontrx).mode;
}

static void test_resolve_auto(void **state)
{
    (void)state;
    for (int nontrx = 0; nontrx <= 1; nontrx++) {
        /* MariaDB with BACKUP STAGE (10.4.1+) */
        assert_int_equal(resolve("10.11.19-MariaDB-0+deb12u1-log", DUMP_PRIV_RELOAD, nontrx),
                         DUMP_LOCK_BACKUP_STAGE);
        assert_int_equal(resolve("11.4.2-MariaDB", DUMP_PRIV_ALL, nontrx), DUMP_LOCK_BACKUP_STAGE);
        assert_int_equal(resolve("10.4.1-MariaDB", DUMP_PRIV_RELOAD, nontrx),
                         DUMP_LOCK_BACKUP_STAGE);
        /* without RELOAD: LOCK TABLES */
        assert_int_equal(resolve("10.11.19-MariaDB-0+deb12u1-log",
                                 DUMP_PRIV_BINLOG_MONITOR | DUMP_PRIV_LOCK_TABLES, nontrx),
                         DUMP_LOCK_LOCK_TABLES);
        assert_int_equal(resolve("10.11.19-MariaDB", 0, nontrx), DUMP_LOCK_LOCK_TABLES);
        /* before BACKUP STAGE: FTWRL */
        assert_int_equal(resolve("10.3.39-MariaDB", DUMP_PRIV_RELOAD, nontrx), DUMP_LOCK_FTWRL);
        assert_int_equal(resolve("10.4.0-MariaDB", DUMP_PRIV_RELOAD, nontrx), DUMP_LOCK_FTWRL);
        assert_int_equal(resolve("10.3.39-MariaDB", DUMP_PRIV_LOCK_TABLES, nontrx),
                         DUMP_LOCK_LOCK_TABLES);
        /* MySQL: FTWRL with RELOAD, else LOCK TABLES (BACKUP_ADMIN is the DDL
         * guard, not the barrier) */
        assert_int_equal(resolve("8.0.36", DUMP_PRIV_RELOAD | DUMP_PRIV_BACKUP_ADMIN, nontrx),
                         DUMP_LOCK_FTWRL);
        assert_int_equal(resolve("8.0.36", DUMP_PRIV_RELOAD, nontrx), DUMP_LOCK_FTWRL);
        assert_int_equal(resolve("8.4.3", DUMP_PRIV_ALL, nontrx), DUMP_LOCK_FTWRL);
        assert_int_equal(resolve("8.0.36", DUMP_PRIV_BACKUP_ADMIN | DUMP_PRIV_LOCK_TABLES, nontrx),
                         DUMP_LOCK_LOCK_TABLES);
        assert_int_equal(resolve("8.0.36", 0, nontrx), DUMP_LOCK_LOCK_TABLES);
        assert_int_equal(resolve("5.7.44-log", DUMP_PRIV_RELOAD, nontrx), DUMP_LOCK_FTWRL);
        /* a MySQL 10.x does not exist, but the flavor decides, not the number */
        assert_int_equal(resolve("10.11.0", DUMP_PRIV_RELOAD, nontrx), DUMP_LOCK_FTWRL);
    }
}

/* lockless first: only for AUTO on MariaDB with a binary log and no
 * non-transactional table; an explicit mode is taken as asked */
static void test_lockless_first(void **state)
{
    struct dump_server s;
    struct dump_lock_decision d;

    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(cs_version_parse("10.11.19-MariaDB-log", NULL, &s.version), 0);
    s.privs = DUMP_PRIV_RELOAD;
    s.log_bin = 1;
    d = dump_lock_decide(&s, DUMP_LOCK_AUTO, 0);
    assert_true(d.lockless_first);
    assert_int_equal(d.mode, DUMP_LOCK_BACKUP_STAGE);
    assert_false(dump_lock_decide(&s, DUMP_LOCK_AUTO, 1).lockless_first);
    d = dump_lock_decide(&s, DUMP_LOCK_FTWRL, 0);
    assert_false(d.lockless_first);
    assert_int_equal(d.mode, DUMP_LOCK_FTWRL);
    assert_int_equal(dump_lock_decide(&s, DUMP_LOCK_LOCKLESS, 3).mode, DUMP_LOCK_LOCKLESS);
    s.log_bin = 0;
    assert_false(dump_lock_decide(&s, DUMP_LOCK_AUTO, 0).lockless_first);
    assert_int_equal(cs_version_parse("8.0.36", NULL, &s.version), 0);
    s.log_bin = 1;
    assert_false(dump_lock_decide(&s, DUMP_LOCK_AUTO, 0).lockless_first);
    assert_string_equal(dump_lock_mode_name(DUMP_LOCK_BACKUP_LOCK), "backup-lock");
    assert_int_equal(dump_lock_mode_parse("lock-tables"), DUMP_LOCK_LOCK_TABLES);
    assert_int_equal(dump_lock_mode_parse("global"), -1);
}

/* Every privilege combination on every flavor/version branch, with and
 * without a binary log and non-transactional tables, against the rule as
 * lockmode.h states it. */
static void test_auto_matrix(void **state)
{
    static const struct {
        const char *version;
        int backup_stage; /* MariaDB 10.4.1+ */
        int mariadb;
    } servers[] = {
        {"5.7.44-log", 0, 0},     {"8.0.36", 0, 0},          {"8.4.3", 0, 0},
        {"9.1.0", 0, 0},          {"10.3.39-MariaDB", 0, 1}, {"10.4.0-MariaDB", 0, 1},
        {"10.4.1-MariaDB", 1, 1}, {"10.5.23-MariaDB", 1, 1}, {"10.11.19-MariaDB-log", 1, 1},
        {"11.8.2-MariaDB", 1, 1},
    };
    struct dump_server s;

    (void)state;
    for (size_t i = 0; i < N(servers); i++) {
        memset(&s, 0, sizeof(s));
        assert_int_equal(cs_version_parse(servers[i].version, NULL, &s.version), 0);
        for (unsigned privs = 0; privs < 32; privs++) {
            for (int log_bin = 0; log_bin <= 1; log_bin++) {
                for (size_t nontrx = 0; nontrx <= 2; nontrx++) {
                    int reload = (privs & DUMP_PRIV_RELOAD) != 0;
                    enum dump_lock_mode want = !reload                   ? DUMP_LOCK_LOCK_TABLES
                                               : servers[i].backup_stage ? DUMP_LOCK_BACKUP_STAGE
                                                                         : DUMP_LOCK_FTWRL;
                    struct dump_lock_decision d;

                    s.privs = privs;
                    s.log_bin = log_bin;
                    d = dump_lock_decide(&s, DUMP_LOCK_AUTO, nontrx);
                    if (d.mode != want)
                        print_message("%s privs %#x\n", servers[i].version, privs);
                    assert_int_equal(d.mode, want);
                    assert_int_equal(d.lockless_first, servers[i].mariadb && log_bin && !nontrx);
                    /* an explicit mode is never second-guessed */
                    for (int m = DUMP_LOCK_FTWRL; m < DUMP_LOCK_COUNT; m++) {
                        d = dump_lock_decide(&s, (enum dump_lock_mode)m, nontrx);
                        assert_int_equal(d.mode, m);
                        assert_false(d.lockless_first);
                    }
                }
            }
        }
    }
}

/* ---- long-running statements ------------------------------------------ */

static void test_long_query_sql(void **state)
{
    struct dump_server my = {0}, maria = {0};
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    assert_int_equal(cs_version_parse("8.0.36", NULL, &my.version), 0);
    assert_int_equal(cs_version_parse("10.11.19-MariaDB-log", NULL, &maria.version), 0);
    my.processlist = dump_server_processlist(&my.version, 0);
    maria.processlist = dump_server_processlist(&maria.version, 1);

    dump_snapshot_long_query_sql(&b, &my, 37);
    assert_false(cs_buf_failed(&b));
    assert_non_null(b.data);
    assert_non_null(strstr(b.data, "information_schema.PROCESSLIST"));
    assert_non_null(strstr(b.data, "TIME >= 37 "));
    assert_non_null(strstr(b.data, "CONNECTION_ID()"));
    assert_null(strstr(b.data, "SELECT%")); /* MySQL's FTWRL waits for SELECTs too */
    assert_null(strstr(b.data, "NOT LIKE"));
    assert_int_equal(strncmp(b.data, "SELECT ", 7), 0);
    cs_buf_release(&b);

    dump_snapshot_long_query_sql(&b, &maria, 600);
    assert_false(cs_buf_failed(&b));
    assert_non_null(strstr(b.data, "TIME >= 600 "));
    assert_null(strstr(b.data, "TIME >= 37"));
    assert_non_null(strstr(b.data, "INFO NOT LIKE 'SELECT%'"));
    assert_non_null(strstr(b.data, "INFO NOT LIKE 'select%'"));
    /* the exclusion is part of the WHERE, before ORDER BY / LIMIT */
    assert_true(strstr(b.data, "NOT LIKE 'SELECT%'") < strstr(b.data, "ORDER BY"));
    cs_buf_release(&b);

    /* appends: the caller's prefix stays */
    cs_buf_puts(&b, "/* x */ ");
    dump_snapshot_long_query_sql(&b, &my, 0);
    assert_int_equal(strncmp(b.data, "/* x */ SELECT ", 15), 0);
    assert_non_null(strstr(b.data, "TIME >= 0 "));
    cs_buf_release(&b);

    /* MySQL 8.0.22+: performance_schema's processlist when it answers */
    my.processlist = dump_server_processlist(&my.version, 1);
    dump_snapshot_long_query_sql(&b, &my, 5);
    assert_non_null(strstr(b.data, "FROM performance_schema.processlist WHERE"));
    assert_null(strstr(b.data, "information_schema"));
    cs_buf_release(&b);
}

static void test_processlist_table(void **state)
{
    static const struct {
        const char *version;
        int ps_answers;
        const char *table;
    } cases[] = {
        {"9.7.0", 1, "performance_schema.processlist"},
        {"8.0.22", 1, "performance_schema.processlist"},
        {"8.0.21", 1, "information_schema.PROCESSLIST"}, /* no such table yet */
        {"8.4.3", 0, "information_schema.PROCESSLIST"},  /* performance_schema off */
        {"5.7.44", 1, "information_schema.PROCESSLIST"},
        {"11.8.2-MariaDB", 1, "information_schema.PROCESSLIST"},
        {"10.11.19-MariaDB-log", 0, "information_schema.PROCESSLIST"},
    };
    struct cs_version v;

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        assert_int_equal(cs_version_parse(cases[i].version, NULL, &v), 0);
        assert_string_equal(dump_server_processlist(&v, cases[i].ps_answers), cases[i].table);
    }
}

static void test_applier_sql(void **state)
{
    struct cs_version my9, my80, maria;
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    assert_int_equal(cs_version_parse("9.7.0", NULL, &my9), 0);
    assert_int_equal(cs_version_parse("8.0.21", NULL, &my80), 0);
    assert_int_equal(cs_version_parse("11.8.2-MariaDB", NULL, &maria), 0);
    assert_string_equal(dump_applier_stop_sql(&my9), "STOP REPLICA SQL_THREAD");
    assert_string_equal(dump_applier_start_sql(&my9), "START REPLICA SQL_THREAD");
    assert_string_equal(dump_applier_stop_sql(&my80), "STOP SLAVE SQL_THREAD");
    assert_string_equal(dump_applier_start_sql(&my80), "START SLAVE SQL_THREAD");
    assert_string_equal(dump_applier_stop_sql(&maria), "STOP SLAVE SQL_THREAD");
    assert_string_equal(dump_applier_start_sql(&maria), "START SLAVE SQL_THREAD");

    dump_applier_blockers_sql(&b, "performance_schema.processlist");
    assert_false(cs_buf_failed(&b));
    assert_int_equal(strncmp(b.data, "SELECT ID, STATE, TIME, ", 24), 0);
    assert_non_null(strstr(b.data, "FROM performance_schema.processlist WHERE"));
    assert_non_null(strstr(b.data, "USER = 'system user'"));
    /* the IO thread, idle appliers and waits for csdump's own FTWRL are left out */
    assert_non_null(strstr(b.data, "NOT LIKE '%to send event%'"));
    assert_non_null(strstr(b.data, "NOT LIKE '%event from Coordinator%'"));
    assert_non_null(strstr(b.data, "NOT LIKE 'Waiting for work from%'"));
    assert_non_null(strstr(b.data, "NOT LIKE '%global read lock%'"));
    assert_non_null(strstr(b.data, "'Daemon', 'Slave_IO'"));
    /* what blocks is not: backup lock, commit order */
    assert_null(strstr(b.data, "backup lock"));
    assert_null(strstr(b.data, "transaction to commit"));
    assert_true(strstr(b.data, "NOT LIKE") < strstr(b.data, "ORDER BY TIME DESC LIMIT"));
    cs_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_privs_mysql8_backup_user),
        cmocka_unit_test(test_privs_mysql8_root),
        cmocka_unit_test(test_privs_mariadb_root),
        cmocka_unit_test(test_privs_schema_level),
        cmocka_unit_test(test_privs_mariadb_105),
        cmocka_unit_test(test_privs_not_fooled),
        cmocka_unit_test(test_resolve_auto),
        cmocka_unit_test(test_lockless_first),
        cmocka_unit_test(test_auto_matrix),
        cmocka_unit_test(test_long_query_sql),
        cmocka_unit_test(test_processlist_table),
        cmocka_unit_test(test_applier_sql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
