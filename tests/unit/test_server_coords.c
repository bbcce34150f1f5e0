/* test_server_coords.c - dump/server.c and dump/coords.c on the fake server,
 * per flavor and version: what dump_server_read asks and concludes (version,
 * binary log, expiry, privileges, the processlist table, and so the lock mode
 * auto stands for), the binary log coordinates statement and its result for
 * MySQL 5.7/8.0/8.2+/8.4/9.x and MariaDB 10.4/10.5+/11.x, a server without a
 * binary log, replica coordinates, and missing privileges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/coords.h"
#include "dump/lockmode.h"
#include "dump/server.h"
#include "dump/snapshot.h"
#include "fake_conn.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define VERSION_SQL                                                                                \
    "SELECT VERSION(), @@version_comment, @@hostname, @@server_id, @@GLOBAL.sql_mode, @@log_bin"
#define PS_SQL "SELECT COUNT(*) FROM performance_schema.processlist WHERE ID = CONNECTION_ID()"

struct fx {
    struct fake_server *fs;
    struct fake_script *s;
    struct cs_conn_config cfg;
    struct cs_conn c;
    struct cs_error err;
};

static void fx_open(struct fx *f)
{
    memset(f, 0, sizeof(*f));
    f->fs = fake_server_new();
    f->s = fake_script_new(f->fs, NULL);
    fake_server_config(f->fs, &f->cfg);
    cs_error_clear(&f->err);
}

static void fx_connect(struct fx *f)
{
    assert_int_equal(cs_conn_open(&f->c, &f->cfg, "main", &f->err), 0);
}

static void fx_close(struct fx *f)
{
    cs_conn_close(&f->c);
    if (fake_unanswered(f->fs) || fake_unused(f->fs))
        fake_log_print(f->fs, stderr);
    assert_int_equal(fake_unanswered(f->fs), 0);
    assert_int_equal(fake_unused(f->fs), 0);
    fake_server_free(f->fs);
}

static struct cs_version ver(const char *text)
{
    struct cs_version v;

    assert_int_equal(cs_version_parse(text, NULL, &v), 0);
    return v;
}

static void value(struct fake_script *s, const char *sql, const char *v)
{
    fake_row(fake_columns(fake_expect(s, sql), 1, sql + 7), v);
}

/* ---- dump_server_read ----------------------------------------------------- */

struct server_case {
    const char *version, *comment;
    const char *log_bin;
    const char *expire_seconds; /* NULL: the variable does not exist */
    const char *expire_days;    /* what @@expire_logs_days * 86400 answers */
    int ps;                     /* performance_schema.processlist: 1 lists us, 0 empty, -1 error */
    const char *grants[3];
    /* what follows */
    unsigned privs;
    unsigned long long expire;
    const char *processlist;
    enum dump_lock_mode mode; /* what auto stands for (no non-transactional table) */
    int lockless_first;
};

/* clang-format off */
static const struct server_case server_cases[] = {
    {"5.7.44-log", "MySQL Community Server (GPL)", "1", NULL, "604800", -2,
     {"GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION CLIENT ON *.* TO `u`@`%`"},
     DUMP_PRIV_RELOAD | DUMP_PRIV_LOCK_TABLES | DUMP_PRIV_BINLOG_MONITOR, 7 * 86400,
     "information_schema.PROCESSLIST", DUMP_LOCK_FTWRL, 0},
    {"8.0.36", "MySQL Community Server - GPL", "1", "2592000", NULL, 1,
     {"GRANT SELECT, LOCK TABLES, REPLICATION CLIENT ON *.* TO `u`@`%`",
      "GRANT BACKUP_ADMIN ON *.* TO `u`@`%`"},
     DUMP_PRIV_LOCK_TABLES | DUMP_PRIV_BINLOG_MONITOR | DUMP_PRIV_BACKUP_ADMIN, 2592000,
     "performance_schema.processlist", DUMP_LOCK_LOCK_TABLES, 0},
    {"8.0.21", "MySQL Community Server - GPL", "0", "0", NULL, -2,
     {"GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"}, DUMP_PRIV_ALL, 0,
     "information_schema.PROCESSLIST", DUMP_LOCK_FTWRL, 0},
    {"8.4.3", "MySQL Community Server - GPL", "1", "2592000", NULL, 0,
     {"GRANT RELOAD, PROCESS ON *.* TO `u`@`%`", "GRANT SELECT ON `app`.* TO `u`@`%`"},
     DUMP_PRIV_RELOAD | DUMP_PRIV_PROCESS, 2592000, "information_schema.PROCESSLIST",
     DUMP_LOCK_FTWRL, 0},
    {"9.1.0", "MySQL Community Server - GPL", "1", "86400", NULL, -1,
     {"GRANT USAGE ON *.* TO `u`@`%`", "GRANT SELECT, LOCK TABLES ON `app`.* TO `u`@`%`"},
     DUMP_PRIV_LOCK_TABLES, 86400, "information_schema.PROCESSLIST", DUMP_LOCK_LOCK_TABLES, 0},
    {"10.4.34-MariaDB-log", "mariadb.org binary distribution", "1", NULL, "864000.000000", -2,
     {"GRANT RELOAD, REPLICATION CLIENT ON *.* TO `u`@`%`"},
     DUMP_PRIV_RELOAD | DUMP_PRIV_BINLOG_MONITOR, 10 * 86400, "information_schema.PROCESSLIST",
     DUMP_LOCK_BACKUP_STAGE, 1},
    {"10.3.39-MariaDB", "mariadb.org binary distribution", "1", NULL, "0.000000", -2,
     {"GRANT RELOAD ON *.* TO `u`@`%`"}, DUMP_PRIV_RELOAD, 0, "information_schema.PROCESSLIST",
     DUMP_LOCK_FTWRL, 1},
    {"10.11.19-MariaDB-0+deb12u1-log", "Debian 12", "0", "0", NULL, -2,
     {"GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION",
      "GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION"},
     DUMP_PRIV_ALL, 0, "information_schema.PROCESSLIST", DUMP_LOCK_BACKUP_STAGE, 0},
    {"11.8.2-MariaDB-ubu2404", "mariadb.org binary distribution", "1", "864000", NULL, -2,
     {"GRANT SELECT, LOCK TABLES, BINLOG MONITOR ON *.* TO `u`@`%`"},
     DUMP_PRIV_LOCK_TABLES | DUMP_PRIV_BINLOG_MONITOR, 864000, "information_schema.PROCESSLIST",
     DUMP_LOCK_LOCK_TABLES, 1},
    /* a MariaDB whose VERSION() lacks the marker: the comment tells */
    {"10.6.16", "MariaDB Server", "1", "0", NULL, -2, {"GRANT RELOAD ON *.* TO `u`@`%`"},
     DUMP_PRIV_RELOAD, 0, "information_schema.PROCESSLIST", DUMP_LOCK_BACKUP_STAGE, 1},
};
/* clang-format on */

static void script_server(struct fake_script *s, const struct server_case *k, int mysql)
{
    struct fake_step *st = fake_expect(s, VERSION_SQL);

    fake_columns(st, 6, "VERSION()", "@@version_comment", "@@hostname", "@@server_id",
                 "@@GLOBAL.sql_mode", "@@log_bin");
    fake_row(st, k->version, k->comment, "db1", "7", "STRICT_TRANS_TABLES", k->log_bin);
    if (mysql)
        value(s, "SELECT @@server_uuid", "3e11fa47-71ca-11e1-9e33-c80aa9429562");
    if (k->expire_seconds) {
        value(s, "SELECT @@binlog_expire_logs_seconds", k->expire_seconds);
    } else {
        fake_error(fake_expect(s, "SELECT @@binlog_expire_logs_seconds"), 1193, "HY000",
                   "Unknown system variable 'binlog_expire_logs_seconds'");
        value(s, "SELECT @@expire_logs_days * 86400", k->expire_days);
    }
    st = fake_columns(fake_expect(s, "SHOW GRANTS FOR CURRENT_USER()"), 1, "Grants for u@%");
    for (size_t i = 0; i < N(k->grants) && k->grants[i]; i++)
        fake_row(st, k->grants[i]);
    if (k->ps == 1 || k->ps == 0)
        value(s, PS_SQL, k->ps ? "1" : "0");
    else if (k->ps == -1)
        fake_error(fake_expect(s, PS_SQL), 1142, "42000", "SELECT command denied");
}

static void test_server_read(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(server_cases); i++) {
        const struct server_case *k = &server_cases[i];
        int mysql = !strstr(k->version, "MariaDB") && !strstr(k->comment, "MariaDB");
        struct dump_server srv;
        struct dump_lock_decision d;
        struct fx f;

        print_message("%s\n", k->version);
        fx_open(&f);
        script_server(f.s, k, mysql);
        fx_connect(&f);
        assert_int_equal(dump_server_read(&f.c, &srv, &f.err), 0);
        assert_int_equal(srv.version.flavor, mysql ? CS_FLAVOR_MYSQL : CS_FLAVOR_MARIADB);
        assert_string_equal(srv.version_text, k->version);
        assert_string_equal(srv.hostname, "db1");
        assert_int_equal(srv.server_id, 7);
        assert_string_equal(srv.sql_mode, "STRICT_TRANS_TABLES");
        assert_int_equal(srv.log_bin, !strcmp(k->log_bin, "1"));
        if (mysql)
            assert_string_equal(srv.server_uuid, "3e11fa47-71ca-11e1-9e33-c80aa9429562");
        else
            assert_null(srv.server_uuid);
        assert_int_equal(srv.binlog_expire_seconds, k->expire);
        assert_int_equal(srv.privs, k->privs);
        assert_string_equal(srv.processlist, k->processlist);
        d = dump_lock_decide(&srv, DUMP_LOCK_AUTO, 0);
        assert_int_equal(d.mode, k->mode);
        assert_int_equal(d.lockless_first, k->lockless_first);
        /* a non-transactional table never lets auto go lockless */
        assert_false(dump_lock_decide(&srv, DUMP_LOCK_AUTO, 1).lockless_first);
        dump_server_release(&srv);
        fx_close(&f);
    }
}

static void test_server_read_failures(void **state)
{
    struct dump_server srv;
    struct fx f;

    (void)state;
    /* a version nobody can read */
    fx_open(&f);
    fake_row(fake_columns(fake_expect(f.s, VERSION_SQL), 6, "a", "b", "c", "d", "e", "f"),
             "unknown", NULL, NULL, NULL, NULL, NULL);
    fx_connect(&f);
    assert_int_equal(dump_server_read(&f.c, &srv, &f.err), -1);
    assert_int_equal(f.err.code, CS_ERR_SERVER);
    assert_non_null(strstr(f.err.msg, "cannot read the server version from 'unknown'"));
    dump_server_release(&srv);
    fx_close(&f);

    /* SHOW GRANTS refused: the read fails (privileges decide the lock mode) */
    fx_open(&f);
    fake_row(fake_columns(fake_expect(f.s, VERSION_SQL), 6, "a", "b", "c", "d", "e", "f"),
             "11.4.2-MariaDB", NULL, "h", "1", "", "1");
    value(f.s, "SELECT @@binlog_expire_logs_seconds", "0");
    fake_error(fake_expect(f.s, "SHOW GRANTS FOR CURRENT_USER()"), 1141, "42000",
               "There is no such grant defined");
    fx_connect(&f);
    assert_int_equal(dump_server_read(&f.c, &srv, &f.err), -1);
    assert_int_equal(f.err.server_errno, 1141);
    dump_server_release(&srv);
    fx_close(&f);
}

/* ---- coordinates ---------------------------------------------------------- */

static void status_row(struct fake_script *s, const char *sql, int gtid_col, const char *file,
                       const char *pos, const char *gtid)
{
    struct fake_step *st = fake_expect(s, sql);

    if (gtid_col) {
        fake_columns(st, 5, "File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB",
                     "Executed_Gtid_Set");
        if (file)
            fake_row(st, file, pos, "", "", gtid);
    } else {
        fake_columns(st, 4, "File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB");
        if (file)
            fake_row(st, file, pos, "", "");
    }
}

static void test_coords_per_version(void **state)
{
    static const struct {
        const char *version;
        const char *sql;
        int mariadb;
    } cases[] = {
        {"5.7.44-log", "SHOW MASTER STATUS", 0},
        {"8.0.36", "SHOW MASTER STATUS", 0},
        {"8.1.0", "SHOW MASTER STATUS", 0},
        {"8.2.0", "SHOW BINARY LOG STATUS", 0},
        {"8.4.3", "SHOW BINARY LOG STATUS", 0},
        {"9.1.0", "SHOW BINARY LOG STATUS", 0},
        {"10.4.34-MariaDB-log", "SHOW MASTER STATUS", 1},
        {"10.5.23-MariaDB", "SHOW BINLOG STATUS", 1},
        {"10.11.19-MariaDB-0+deb12u1-log", "SHOW BINLOG STATUS", 1},
        {"11.4.2-MariaDB", "SHOW BINLOG STATUS", 1},
        {"11.8.2-MariaDB-ubu2404", "SHOW BINLOG STATUS", 1},
    };

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct cs_version v = ver(cases[i].version);
        struct fmt_coords c = {0};
        struct fx f;
        char want[128];

        print_message("%s\n", cases[i].version);
        fx_open(&f);
        if (cases[i].mariadb) {
            status_row(f.s, cases[i].sql, 0, "mariadb-bin.000012", "8842", NULL);
            value(f.s, "SELECT @@GLOBAL.gtid_binlog_pos", "0-1-100,1-2-7");
        } else {
            status_row(f.s, cases[i].sql, 1, "binlog.000012", "8842",
                       "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77,\r\n"
                       "5ade3f62-71ca-11e1-9e33-c80aa9429562:1-3");
        }
        fx_connect(&f);
        assert_int_equal(dump_coords_read(&f.c, &v, &c, &f.err), 0);
        assert_true(c.present);
        snprintf(want, sizeof(want), "%s.000012", cases[i].mariadb ? "mariadb-bin" : "binlog");
        assert_string_equal(c.binlog_file, want);
        assert_int_equal(c.binlog_pos, 8842);
        assert_string_equal(c.gtid_set, cases[i].mariadb
                                            ? "0-1-100,1-2-7"
                                            : "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77,"
                                              "5ade3f62-71ca-11e1-9e33-c80aa9429562:1-3");
        /* exactly the statement of the version (and MariaDB's GTID after it) */
        assert_int_equal(fake_log_find(f.fs, 0, "main", cases[i].sql), 1);
        assert_int_equal(fake_log_count(f.fs), cases[i].mariadb ? 3 : 2);
        dump_coords_release(&c);
        fx_close(&f);
    }
}

/* The binary log is off: SHOW ... STATUS has no row; the coordinates are
 * absent, no GTID is asked for. */
static void test_coords_no_binlog(void **state)
{
    static const char *const versions[] = {"8.0.36", "8.4.3", "10.11.19-MariaDB", "11.8.2-MariaDB"};

    (void)state;
    for (size_t i = 0; i < N(versions); i++) {
        struct cs_version v = ver(versions[i]);
        struct fmt_coords c = {0};
        struct fx f;

        fx_open(&f);
        status_row(f.s, dump_coords_status_sql(&v), v.flavor == CS_FLAVOR_MYSQL, NULL, NULL, NULL);
        fx_connect(&f);
        assert_int_equal(dump_coords_read(&f.c, &v, &c, &f.err), 0);
        assert_false(c.present);
        assert_null(c.binlog_file);
        assert_null(c.gtid_set);
        assert_int_equal(fake_log_matches(f.fs, NULL, "*gtid*"), 0);
        dump_coords_release(&c);
        fx_close(&f);
    }
}

static void test_coords_odd_results(void **state)
{
    struct cs_version maria = ver("10.11.19-MariaDB"), my = ver("8.0.36");
    struct fmt_coords c = {0};
    struct fx f;

    (void)state;
    /* MariaDB without a GTID yet: NULL gtid_binlog_pos is "" */
    fx_open(&f);
    status_row(f.s, "SHOW BINLOG STATUS", 0, "mariadb-bin.000001", "329", NULL);
    value(f.s, "SELECT @@GLOBAL.gtid_binlog_pos", NULL);
    fx_connect(&f);
    assert_int_equal(dump_coords_read(&f.c, &maria, &c, &f.err), 0);
    assert_string_equal(c.gtid_set, "");
    dump_coords_release(&c);
    fx_close(&f);

    /* MySQL with GTIDs off: an empty Executed_Gtid_Set */
    fx_open(&f);
    status_row(f.s, "SHOW MASTER STATUS", 1, "binlog.000001", "157", "");
    fx_connect(&f);
    assert_int_equal(dump_coords_read(&f.c, &my, &c, &f.err), 0);
    assert_string_equal(c.gtid_set, "");
    dump_coords_release(&c);
    fx_close(&f);

    /* a garbled position */
    fx_open(&f);
    status_row(f.s, "SHOW MASTER STATUS", 1, "binlog.000001", "15x", "");
    fx_connect(&f);
    assert_int_equal(dump_coords_read(&f.c, &my, &c, &f.err), -1);
    assert_non_null(strstr(f.err.msg, "Position '15x' is not a number"));
    dump_coords_release(&c);
    fx_close(&f);

    /* no privilege to look */
    fx_open(&f);
    fake_error(fake_expect(f.s, "SHOW MASTER STATUS"), 1227, "42000",
               "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT "
               "privilege(s) for this operation");
    fx_connect(&f);
    assert_int_equal(dump_coords_read(&f.c, &my, &c, &f.err), -1);
    assert_int_equal(f.err.server_errno, 1227);
    assert_int_equal(f.err.code, CS_ERR_SERVER);
    dump_coords_release(&c);
    fx_close(&f);
}

/* ---- replica coordinates -------------------------------------------------- */

static void test_replica_mysql(void **state)
{
    static const struct {
        const char *version, *sql;
        int new_names;
    } cases[] = {
        {"5.7.44-log", "SHOW SLAVE STATUS", 0}, {"8.0.21", "SHOW SLAVE STATUS", 0},
        {"8.0.36", "SHOW REPLICA STATUS", 1},   {"8.4.3", "SHOW REPLICA STATUS", 1},
        {"9.1.0", "SHOW REPLICA STATUS", 1},
    };

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct cs_version v = ver(cases[i].version);
        struct fmt_coords c = {0};
        struct dump_applier_state st;
        struct fake_step *step;
        char *host = NULL;
        int is_replica = -1;
        struct fx f;

        print_message("%s\n", cases[i].version);
        fx_open(&f);
        step = fake_expect(f.s, cases[i].sql);
        if (cases[i].new_names)
            fake_columns(step, 8, "Replica_IO_State", "Source_Host", "Source_Log_File",
                         "Read_Source_Log_Pos", "Relay_Source_Log_File", "Replica_SQL_Running",
                         "Last_SQL_Errno", "Exec_Source_Log_Pos");
        else
            fake_columns(step, 8, "Slave_IO_State", "Master_Host", "Master_Log_File",
                         "Read_Master_Log_Pos", "Relay_Master_Log_File", "Slave_SQL_Running",
                         "Last_SQL_Errno", "Exec_Master_Log_Pos");
        fake_row(step, "Waiting for source to send event", "src.example", "binlog.000044", "900",
                 "binlog.000043", "Yes", "0", "12345");
        fx_connect(&f);
        assert_int_equal(
            dump_coords_read_replica(&f.c, &f.c, &v, &c, &host, &is_replica, &st, &f.err), 0);
        assert_int_equal(is_replica, 1);
        assert_string_equal(host, "src.example");
        assert_string_equal(c.binlog_file, "binlog.000043");
        assert_int_equal(c.binlog_pos, 12345);
        assert_true(st.known);
        assert_true(st.sql_running);
        assert_string_equal(st.read_file, "binlog.000044");
        assert_int_equal(st.read_pos, 900);
        /* MySQL: the GTID set is the server's own (snapshot.c copies it) */
        assert_null(c.gtid_set);
        assert_int_equal(fake_log_count(f.fs), 2);
        free(host);
        dump_coords_release(&c);
        fx_close(&f);
    }
}

static void test_replica_mariadb(void **state)
{
    struct cs_version v = ver("10.11.19-MariaDB-log");
    struct fake_script *snap;
    struct fmt_coords c = {0};
    struct dump_applier_state st;
    struct cs_conn sc;
    struct fake_step *step;
    char *host = NULL;
    int is_replica = 0;
    struct fx f;

    (void)state;
    fx_open(&f);
    snap = fake_script_new(f.fs, "snapshot 1");
    step = fake_expect(f.s, "SHOW SLAVE STATUS");
    fake_columns(step, 7, "Master_Host", "Master_Log_File", "Read_Master_Log_Pos",
                 "Relay_Master_Log_File", "Slave_SQL_Running", "Last_SQL_Errno",
                 "Exec_Master_Log_Pos");
    fake_row(step, "10.0.0.1", "mariadb-bin.000005", "700", "mariadb-bin.000005", "No", "1062",
             "650");
    /* the GTID position inside the snapshot: the highest sub_id per domain */
    step =
        fake_expect(snap, "SELECT domain_id, sub_id, server_id, seq_no FROM mysql.gtid_slave_pos");
    fake_columns(step, 4, "domain_id", "sub_id", "server_id", "seq_no");
    fake_row(step, "1", "5", "2", "7");
    fake_row(step, "0", "9", "1", "100");
    fake_row(step, "0", "3", "1", "98");
    fx_connect(&f);
    assert_int_equal(cs_conn_open(&sc, &f.cfg, "snapshot 1", &f.err), 0);
    assert_int_equal(dump_coords_read_replica(&f.c, &sc, &v, &c, &host, &is_replica, &st, &f.err),
                     0);
    assert_int_equal(is_replica, 1);
    assert_string_equal(host, "10.0.0.1");
    assert_string_equal(c.gtid_set, "0-1-100,1-2-7");
    assert_int_equal(c.binlog_pos, 650);
    assert_false(st.sql_running);
    assert_int_equal(st.last_sql_errno, 1062);
    {
        char why[400];
        /* stopped on an error: the position may lag the snapshot */
        assert_false(dump_coords_replica_exact(&c, &st, 1, why, sizeof(why)));
        assert_non_null(strstr(why, "had stopped on an error"));
    }
    /* the status on one connection, the GTID position on the snapshot's */
    assert_true(fake_log_find(f.fs, 0, "main", "SHOW SLAVE STATUS") <
                fake_log_find(f.fs, 0, "snapshot 1", "SELECT domain_id*"));
    assert_int_equal(fake_log_matches(f.fs, "main", "SELECT domain_id*"), 0);
    cs_conn_close(&sc);
    free(host);
    dump_coords_release(&c);
    fx_close(&f);
}

static void test_not_a_replica(void **state)
{
    struct cs_version v = ver("11.4.2-MariaDB");
    struct fmt_coords c = {0};
    char *host = NULL;
    int is_replica = 1;
    struct fx f;

    (void)state;
    fx_open(&f);
    fake_columns(fake_expect(f.s, "SHOW SLAVE STATUS"), 2, "Master_Host", "Exec_Master_Log_Pos");
    fx_connect(&f);
    assert_int_equal(dump_coords_read_replica(&f.c, &f.c, &v, &c, &host, &is_replica, NULL, &f.err),
                     0);
    assert_int_equal(is_replica, 0);
    assert_null(host);
    assert_false(c.present);
    assert_int_equal(fake_log_count(f.fs), 2); /* no gtid_slave_pos */
    fx_close(&f);
}

/* ---- in the snapshot: what a missing privilege does ---------------------- */

static void snapshot_session(struct fake_script *any)
{
    fake_times(fake_expect_prefix(any, "SET SESSION "), FAKE_ALWAYS);
    fake_times(fake_expect(any, "START TRANSACTION WITH CONSISTENT SNAPSHOT"), FAKE_ALWAYS);
}

static void test_snapshot_coords_privileges(void **state)
{
    struct fake_server *fs = fake_server_new();
    struct fake_script *any = fake_server_any(fs);
    struct fake_logger log;
    struct dump_config cfg = {0};
    struct dump_server srv = {0};
    struct dump_catalog cat = {0};
    struct dump_snapshot s;
    struct cs_error err;

    (void)state;
    fake_logger_init(&log);
    fake_server_config(fs, &cfg.conn);
    cfg.log = &log.log;
    srv.version = ver("8.0.36");
    srv.log_bin = 1;
    srv.processlist = "information_schema.PROCESSLIST";
    snapshot_session(any);
    /* the replica status refused: a warning, the dump goes on */
    fake_error(fake_expect(any, "SHOW REPLICA STATUS"), 1227, "42000", "Access denied");
    status_row(any, "SHOW MASTER STATUS", 1, "binlog.000002", "4", "");
    cs_error_clear(&err);
    dump_snapshot_init(&s, &cfg, &srv, DUMP_LOCK_NONE);
    assert_int_equal(dump_snapshot_open(&s, &cat, 1, &err), 0);
    assert_false(s.is_replica);
    assert_true(s.coords.present);
    assert_non_null(strstr(fake_logger_text(&log), "warn: cannot read replica status: "));
    dump_snapshot_close(&s, NULL, 0, &err);

    /* the coordinates refused: the snapshot fails, naming the privilege */
    fake_error(fake_expect(any, "SHOW MASTER STATUS"), 1227, "42000", "Access denied");
    cs_error_clear(&err);
    dump_snapshot_init(&s, &cfg, &srv, DUMP_LOCK_NONE);
    assert_int_equal(dump_snapshot_open(&s, &cat, 1, &err), -1);
    assert_non_null(strstr(err.msg, "reading binary log coordinates (needs REPLICATION CLIENT): "));
    dump_snapshot_close(&s, NULL, 0, &err);

    srv.version = ver("10.11.19-MariaDB");
    srv.log_bin = 1;
    fake_error(fake_expect(any, "SHOW BINLOG STATUS"), 1227, "42000", "Access denied");
    fake_columns(fake_expect(any, "SHOW STATUS LIKE 'binlog_snapshot_%'"), 2, "Variable_name",
                 "Value");
    cs_error_clear(&err);
    dump_snapshot_init(&s, &cfg, &srv, DUMP_LOCK_NONE);
    assert_int_equal(dump_snapshot_open(&s, &cat, 1, &err), -1);
    assert_non_null(strstr(err.msg, "reading binary log coordinates (needs BINLOG MONITOR): "));
    dump_snapshot_close(&s, NULL, 0, &err);
    assert_int_equal(fake_open_conns(fs), 0);
    fake_logger_release(&log);
    fake_server_free(fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_read),
        cmocka_unit_test(test_server_read_failures),
        cmocka_unit_test(test_coords_per_version),
        cmocka_unit_test(test_coords_no_binlog),
        cmocka_unit_test(test_coords_odd_results),
        cmocka_unit_test(test_replica_mysql),
        cmocka_unit_test(test_replica_mariadb),
        cmocka_unit_test(test_not_a_replica),
        cmocka_unit_test(test_snapshot_coords_privileges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
