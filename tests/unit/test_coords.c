/* test_coords.c - dump/coords.h: statements per flavor/version and the
 * parsing of the result shapes the MySQL and MariaDB manuals document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/error.h"
#include "common/version.h"
#include "dump/coords.h"
#include "format/manifest.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct cs_version ver(const char *text)
{
    struct cs_version v;

    assert_int_equal(cs_version_parse(text, NULL, &v), 0);
    return v;
}

static void test_status_sql(void **state)
{
    static const struct {
        const char *version;
        const char *sql;
    } cases[] = {
        {"5.7.44-log", "SHOW MASTER STATUS"},
        {"8.0.36", "SHOW MASTER STATUS"},
        {"8.0.35-27", "SHOW MASTER STATUS"},
        {"8.1.0", "SHOW MASTER STATUS"},
        {"8.2.0", "SHOW BINARY LOG STATUS"},
        {"8.4.3", "SHOW BINARY LOG STATUS"},
        {"9.1.0", "SHOW BINARY LOG STATUS"},
        {"26.1.0", "SHOW BINARY LOG STATUS"},
        {"10.3.39-MariaDB", "SHOW MASTER STATUS"},
        {"10.4.34-MariaDB-log", "SHOW MASTER STATUS"},
        {"10.5.1-MariaDB", "SHOW MASTER STATUS"},
        {"10.5.2-MariaDB", "SHOW BINLOG STATUS"},
        {"10.5.23-MariaDB-1:10.5.23+maria~ubu2004", "SHOW BINLOG STATUS"},
        {"5.5.5-10.6.16-MariaDB-log", "SHOW BINLOG STATUS"},
        {"10.11.19-MariaDB-0+deb12u1-log", "SHOW BINLOG STATUS"},
        {"11.8.1-MariaDB-ubu2404", "SHOW BINLOG STATUS"},
    };

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct cs_version v = ver(cases[i].version);
        print_message("%s\n", cases[i].version);
        assert_string_equal(dump_coords_status_sql(&v), cases[i].sql);
    }
}

static void test_replica_status_sql(void **state)
{
    static const struct {
        const char *version;
        const char *sql;
    } cases[] = {
        {"5.7.44-log", "SHOW SLAVE STATUS"},
        {"8.0.21", "SHOW SLAVE STATUS"},
        {"8.0.22", "SHOW REPLICA STATUS"},
        {"8.0.36", "SHOW REPLICA STATUS"},
        {"8.4.3", "SHOW REPLICA STATUS"},
        {"9.1.0", "SHOW REPLICA STATUS"},
        {"10.4.34-MariaDB", "SHOW SLAVE STATUS"},
        {"10.11.19-MariaDB-0+deb12u1-log", "SHOW SLAVE STATUS"},
        {"11.4.2-MariaDB", "SHOW SLAVE STATUS"},
    };

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct cs_version v = ver(cases[i].version);
        print_message("%s\n", cases[i].version);
        assert_string_equal(dump_coords_replica_status_sql(&v), cases[i].sql);
    }
}

static void test_parse_status_mysql8(void **state)
{
    static const char *const names[] = {"File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB",
                                        "Executed_Gtid_Set"};
    static const char *const vals[] = {"binlog.000003", "157", "", "",
                                       "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,\n"
                                       "4C1FA47-71CA-11E1-9E33-C80AA9429562:1-3"};
    struct fmt_coords c = {0};
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_status(names, vals, N(names), &c, &err), 0);
    assert_int_equal(c.present, 1);
    assert_string_equal(c.binlog_file, "binlog.000003");
    assert_true(c.binlog_file != vals[0]); /* a copy */
    assert_int_equal(c.binlog_pos, 157);
    assert_non_null(c.gtid_set);
    assert_string_equal(c.gtid_set, "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,"
                                    "4C1FA47-71CA-11E1-9E33-C80AA9429562:1-3");
    assert_false(cs_error_is_set(&err));
    dump_coords_release(&c);
    assert_null(c.binlog_file);
    assert_null(c.gtid_set);
    assert_int_equal(c.present, 0);
    dump_coords_release(&c); /* twice is fine */
    dump_coords_release(NULL);
}

static void test_parse_status_crlf_and_large_position(void **state)
{
    /* column order differs, names in another case, CRLF in the set */
    static const char *const names[] = {"executed_gtid_set", "position", "file"};
    static const char *const vals[] = {"a:1-2,\r\nb:1-9\r\n", "18446744073709551615",
                                       "mysql-bin.123456"};
    struct fmt_coords c = {0};
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_status(names, vals, N(names), &c, &err), 0);
    assert_string_equal(c.binlog_file, "mysql-bin.123456");
    assert_true(c.binlog_pos == UINT64_MAX);
    assert_string_equal(c.gtid_set, "a:1-2,b:1-9");
    dump_coords_release(&c);
}

static void test_parse_status_empty_gtid(void **state)
{
    static const char *const names[] = {"File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB",
                                        "Executed_Gtid_Set"};
    static const char *const vals[] = {"binlog.000001", "4", "", "", ""};
    struct fmt_coords c = {0};
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_status(names, vals, N(names), &c, &err), 0);
    assert_int_equal(c.binlog_pos, 4);
    assert_non_null(c.gtid_set);
    assert_string_equal(c.gtid_set, "");
    dump_coords_release(&c);
}

static void test_parse_status_mariadb(void **state)
{
    /* SHOW BINLOG STATUS on MariaDB 10.11: four columns, no GTID */
    static const char *const names[] = {"File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB"};
    static const char *const vals[] = {"mysql-bin.000001", "845", "", ""};
    struct fmt_coords c = {0};
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_status(names, vals, N(names), &c, &err), 0);
    assert_int_equal(c.present, 1);
    assert_string_equal(c.binlog_file, "mysql-bin.000001");
    assert_int_equal(c.binlog_pos, 845);
    assert_null(c.gtid_set);
    dump_coords_release(&c);
}

static void test_parse_status_reuses_struct(void **state)
{
    static const char *const names[] = {"File", "Position", "Executed_Gtid_Set"};
    static const char *const v1[] = {"binlog.000001", "100", "u:1-10"};
    static const char *const v2[] = {"binlog.000002", "200", "u:1-20"};
    struct fmt_coords c = {0};
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_status(names, v1, N(names), &c, &err), 0);
    /* the second parse replaces the strings (ASan reports a leak otherwise) */
    assert_int_equal(dump_coords_parse_status(names, v2, N(names), &c, &err), 0);
    assert_string_equal(c.binlog_file, "binlog.000002");
    assert_int_equal(c.binlog_pos, 200);
    assert_string_equal(c.gtid_set, "u:1-20");
    dump_coords_release(&c);
}

static void test_parse_status_errors(void **state)
{
    static const char *const no_pos_names[] = {"File", "Binlog_Do_DB", "Binlog_Ignore_DB"};
    static const char *const no_pos_vals[] = {"binlog.000001", "", ""};
    static const char *const no_file_names[] = {"Position", "Binlog_Do_DB"};
    static const char *const no_file_vals[] = {"4", ""};
    static const char *const names[] = {"File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB"};
    static const char *const bad_positions[] = {"abc", "12abc", "1.5", "0x10"};
    struct fmt_coords c = {0};
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_status(no_pos_names, no_pos_vals, N(no_pos_names), &c, &err),
                     -1);
    assert_true(cs_error_is_set(&err));
    assert_int_equal(err.code, CS_ERR_SERVER);
    assert_non_null(strstr(err.msg, "Position"));
    assert_int_equal(c.present, 0);
    dump_coords_release(&c);

    cs_error_clear(&err);
    assert_int_equal(
        dump_coords_parse_status(no_file_names, no_file_vals, N(no_file_names), &c, &err), -1);
    assert_int_equal(err.code, CS_ERR_SERVER);
    assert_int_equal(c.present, 0);
    dump_coords_release(&c);

    /* no columns at all */
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_status(names, NULL, 0, &c, &err), -1);
    assert_true(cs_error_is_set(&err));
    dump_coords_release(&c);

    /* NULL position */
    {
        const char *vals[] = {"binlog.000001", NULL, "", ""};
        cs_error_clear(&err);
        assert_int_equal(dump_coords_parse_status(names, vals, N(names), &c, &err), -1);
        assert_int_equal(c.present, 0);
        dump_coords_release(&c);
    }

    for (size_t i = 0; i < N(bad_positions); i++) {
        const char *vals[] = {"binlog.000001", bad_positions[i], "", ""};
        print_message("position '%s'\n", bad_positions[i]);
        cs_error_clear(&err);
        assert_int_equal(dump_coords_parse_status(names, vals, N(names), &c, &err), -1);
        assert_int_equal(err.code, CS_ERR_SERVER);
        assert_non_null(strstr(err.msg, bad_positions[i])); /* the message quotes it */
        assert_int_equal(c.present, 0);
        dump_coords_release(&c); /* frees the file copied before the check */
    }
}

/* SHOW REPLICA STATUS (MySQL 8.0.22+): a subset of the real columns, in the
 * real order, with the read position and the executed position different. */
static void test_parse_replica_mysql_new_names(void **state)
{
    static const char *const names[] = {
        "Replica_IO_State",      "Source_Host",        "Source_User",
        "Source_Port",           "Connect_Retry",      "Source_Log_File",
        "Read_Source_Log_Pos",   "Relay_Log_File",     "Relay_Log_Pos",
        "Relay_Source_Log_File", "Replica_IO_Running", "Replica_SQL_Running",
        "Exec_Source_Log_Pos",   "Relay_Log_Space",    "Executed_Gtid_Set"};
    static const char *const vals[] = {"Waiting for source to send event",
                                       "source.example.com",
                                       "repl",
                                       "3306",
                                       "60",
                                       "binlog.000012",
                                       "9999",
                                       "relay.000004",
                                       "1234",
                                       "binlog.000011",
                                       "Yes",
                                       "Yes",
                                       "4567",
                                       "8000",
                                       "u:1-5"};
    struct fmt_coords c = {0};
    char *host = NULL;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_replica(names, vals, N(names), &c, &host, &err), 0);
    assert_int_equal(c.present, 1);
    assert_string_equal(host, "source.example.com");
    assert_string_equal(c.binlog_file, "binlog.000011"); /* Relay_Source_Log_File */
    assert_int_equal(c.binlog_pos, 4567);                /* Exec_Source_Log_Pos */
    free(host);
    dump_coords_release(&c);
}

static void test_parse_replica_master_names(void **state)
{
    /* SHOW SLAVE STATUS on MariaDB and MySQL < 8.0.22 */
    static const char *const names[] = {
        "Slave_IO_State",      "Master_Host",           "Master_User",         "Master_Port",
        "Connect_Retry",       "Master_Log_File",       "Read_Master_Log_Pos", "Relay_Log_File",
        "Relay_Log_Pos",       "Relay_Master_Log_File", "Slave_IO_Running",    "Slave_SQL_Running",
        "Exec_Master_Log_Pos", "Relay_Log_Space",       "Gtid_IO_Pos"};
    static const char *const vals[] = {"Waiting for master to send event",
                                       "10.0.0.5",
                                       "repl",
                                       "3306",
                                       "60",
                                       "mariadb-bin.000042",
                                       "777777",
                                       "relay-bin.000002",
                                       "555",
                                       "mariadb-bin.000041",
                                       "Yes",
                                       "Yes",
                                       "123456",
                                       "999",
                                       "0-1-100"};
    struct fmt_coords c = {0};
    char *host = NULL;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_replica(names, vals, N(names), &c, &host, &err), 0);
    assert_int_equal(c.present, 1);
    assert_string_equal(host, "10.0.0.5");
    assert_string_equal(c.binlog_file, "mariadb-bin.000041");
    assert_int_equal(c.binlog_pos, 123456);
    free(host);
    dump_coords_release(&c);
}

static void test_parse_replica_missing(void **state)
{
    static const char *const names[] = {"Master_Host", "Relay_Master_Log_File"};
    static const char *const vals[] = {"h", "f.000001"};
    struct fmt_coords c = {0};
    char *host = NULL;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(dump_coords_parse_replica(names, vals, N(names), &c, &host, &err), -1);
    assert_true(cs_error_is_set(&err));
    assert_int_equal(err.code, CS_ERR_SERVER);
    assert_int_equal(c.present, 0);
    free(host);
    dump_coords_release(&c);
}

/* The applier state from the same rows, and when its position is exact. */
static void test_applier_state(void **state)
{
    static const char *const names[] = {"Source_Host",         "Source_Log_File",
                                        "Read_Source_Log_Pos", "Relay_Source_Log_File",
                                        "Replica_SQL_Running", "Exec_Source_Log_Pos",
                                        "Last_SQL_Errno"};
    const char *vals[] = {"h", "binlog.000003", "9000", "binlog.000003", "Yes", "4000", "0"};
    static const char *const old_names[] = {"Master_Host",         "Master_Log_File",
                                            "Read_Master_Log_Pos", "Relay_Master_Log_File",
                                            "Slave_SQL_Running",   "Exec_Master_Log_Pos"};
    static const char *const old_vals[] = {
        "h", "mariadb-bin.000002", "555", "mariadb-bin.000002", "No", "555"};
    struct dump_applier_state st;
    struct fmt_coords c = {0};
    char *host = NULL, why[400];
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    dump_coords_parse_applier(names, vals, N(names), &st);
    assert_true(st.known);
    assert_true(st.sql_running);
    assert_int_equal(st.last_sql_errno, 0);
    assert_string_equal(st.read_file, "binlog.000003");
    assert_true(st.read_pos == 9000);
    assert_int_equal(dump_coords_parse_replica(names, vals, N(names), &c, &host, &err), 0);
    /* running and behind what it read (a backlog, or a multi-threaded
     * applier's checkpoint lagging its commits): never exact */
    why[0] = '\0';
    assert_int_equal(dump_coords_replica_exact(&c, &st, 1, why, sizeof(why)), 0);
    assert_non_null(strstr(why, "binlog.000003:4000"));
    assert_non_null(strstr(why, "binlog.000003:9000"));
    assert_non_null(strstr(why, "--pause-replica"));
    assert_int_equal(dump_coords_replica_exact(&c, &st, 0, why, sizeof(why)), 0);
    assert_non_null(strstr(why, "no barrier"));
    /* caught up under a barrier: exact; without one it may move on */
    vals[5] = "9000";
    assert_int_equal(dump_coords_parse_replica(names, vals, N(names), &c, &host, &err), 0);
    assert_int_equal(dump_coords_replica_exact(&c, &st, 1, why, sizeof(why)), 1);
    assert_int_equal(dump_coords_replica_exact(&c, &st, 0, why, sizeof(why)), 0);
    /* the same offset in another file is not the same place */
    strcpy(st.read_file, "binlog.000004");
    assert_int_equal(dump_coords_replica_exact(&c, &st, 1, why, sizeof(why)), 0);
    /* stopped after an error (a multi-threaded applier may leave gaps) */
    vals[4] = "No";
    vals[5] = "4000";
    vals[6] = "1062";
    dump_coords_parse_applier(names, vals, N(names), &st);
    assert_int_equal(dump_coords_parse_replica(names, vals, N(names), &c, &host, &err), 0);
    assert_false(st.sql_running);
    assert_int_equal(st.last_sql_errno, 1062);
    assert_int_equal(dump_coords_replica_exact(&c, &st, 1, why, sizeof(why)), 0);
    assert_non_null(strstr(why, "error"));
    /* stopped cleanly (--pause-replica): exact even without a barrier */
    vals[6] = "0";
    dump_coords_parse_applier(names, vals, N(names), &st);
    assert_int_equal(dump_coords_replica_exact(&c, &st, 0, why, sizeof(why)), 1);
    dump_coords_release(&c);
    free(host);
    host = NULL;

    /* SHOW SLAVE STATUS names (no Last_SQL_Errno column: taken as 0) */
    dump_coords_parse_applier(old_names, old_vals, N(old_names), &st);
    assert_true(st.known);
    assert_false(st.sql_running);
    assert_string_equal(st.read_file, "mariadb-bin.000002");
    assert_true(st.read_pos == 555);
    /* columns missing: unknown, never exact */
    dump_coords_parse_applier(old_names, old_vals, 2, &st);
    assert_false(st.known);
    assert_int_equal(dump_coords_parse_replica(old_names, old_vals, N(old_names), &c, &host, &err),
                     0);
    assert_int_equal(dump_coords_replica_exact(&c, &st, 1, why, sizeof(why)), 0);
    dump_coords_release(&c);
    free(host);
}

static void test_gtid_slave_pos(void **state)
{
    /* domains out of order; several sub_ids per domain, the highest not last
     * and "10" > "9" numerically, not lexically */
    static const char *const rows[][4] = {
        {"1", "5", "2", "6"},    {"0", "9", "1", "99"}, {"1", "7", "2", "7"},
        {"0", "10", "1", "100"}, {"0", "3", "1", "50"}, {"1", "6", "3", "3"},
    };
    char *s;

    (void)state;
    s = dump_coords_gtid_slave_pos(rows, N(rows));
    assert_non_null(s);
    assert_string_equal(s, "0-1-100,1-2-7");
    free(s);

    /* three domains, descending on input */
    {
        static const char *const r3[][4] = {
            {"12", "40", "7", "1000"},
            {"3", "41", "7", "12"},
            {"0", "1", "1", "1"},
            {"12", "2", "7", "5"},
        };
        s = dump_coords_gtid_slave_pos(r3, N(r3));
        assert_non_null(s);
        assert_string_equal(s, "0-1-1,3-7-12,12-7-1000");
        free(s);
    }

    /* one row */
    {
        static const char *const r1[][4] = {{"0", "1", "1", "42"}};
        s = dump_coords_gtid_slave_pos(r1, 1);
        assert_non_null(s);
        assert_string_equal(s, "0-1-42");
        free(s);
    }

    /* a replica that never replicated: no rows */
    s = dump_coords_gtid_slave_pos(NULL, 0);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_sql),
        cmocka_unit_test(test_replica_status_sql),
        cmocka_unit_test(test_parse_status_mysql8),
        cmocka_unit_test(test_parse_status_crlf_and_large_position),
        cmocka_unit_test(test_parse_status_empty_gtid),
        cmocka_unit_test(test_parse_status_mariadb),
        cmocka_unit_test(test_parse_status_reuses_struct),
        cmocka_unit_test(test_parse_status_errors),
        cmocka_unit_test(test_parse_replica_mysql_new_names),
        cmocka_unit_test(test_parse_replica_master_names),
        cmocka_unit_test(test_parse_replica_missing),
        cmocka_unit_test(test_applier_state),
        cmocka_unit_test(test_gtid_slave_pos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
