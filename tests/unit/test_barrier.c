/* test_barrier.c - dump/snapshot.c and dump/barrier.c on the fake server:
 * each lock mode's DDL guard and commit barrier (the statements, their
 * order against the snapshots, on which connection), lock wait timeouts
 * and bounded retries, the long-query guard naming sessions, the lockless
 * proof, missing privileges, and the fallbacks of dump_snapshot_take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "dump/barrier.h"
#include "dump/snapshot.h"
#include "fake_conn.h"

#define MYSQL_SETUP                                                                                \
    "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ\n"                                    \
    "SET SESSION time_zone='+00:00', sql_mode='', net_write_timeout=86400, "                       \
    "net_read_timeout=86400, wait_timeout=86400\n"                                                 \
    "SET SESSION max_execution_time=0\n"
#define MARIADB_SETUP                                                                              \
    "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ\n"                                    \
    "SET SESSION time_zone='+00:00', sql_mode='', net_write_timeout=86400, "                       \
    "net_read_timeout=86400, wait_timeout=86400\n"                                                 \
    "SET SESSION max_statement_time=0\n"
#define START_TRX "START TRANSACTION WITH CONSISTENT SNAPSHOT"
#define PROOF_SQL "SHOW STATUS LIKE 'binlog_snapshot_%'"
#define SAVEPOINT "SAVEPOINT csdump_snapshot"

struct fx {
    struct fake_server *fs;
    struct fake_logger log;
    struct dump_config cfg;
    struct dump_server srv;
    struct dump_table tables[2];
    struct dump_catalog cat;
    struct dump_snapshot s;
    struct cs_error err;
    char *long_sql;     /* the guard's query at cfg.long_query_guard seconds */
    char *blockers_sql; /* after a timeout: every running statement */
    char *applier_sql;
    struct fake_script *scripts[8]; /* by label, see script() */
    const char *labels[8];
    size_t nscripts;
    int closed;
};

/* The one script of connections labelled LABEL (made on first use, so
 * steps added later answer the same connection's later statements). */
static struct fake_script *script(struct fx *f, const char *label)
{
    for (size_t i = 0; i < f->nscripts; i++)
        if (!strcmp(f->labels[i], label))
            return f->scripts[i];
    assert_true(f->nscripts < 8);
    f->labels[f->nscripts] = label;
    f->scripts[f->nscripts] = fake_script_new(f->fs, label);
    return f->scripts[f->nscripts++];
}

static int fx_close(struct fx *f, int check_ddl)
{
    f->closed = 1;
    return dump_snapshot_close(&f->s, &f->cat, check_ddl, &f->err);
}

static char *long_query_sql(const struct dump_server *srv, unsigned seconds)
{
    struct cs_buf b = CS_BUF_INIT;

    dump_snapshot_long_query_sql(&b, srv, seconds);
    return cs_buf_detach(&b);
}

/* A server of VERSION with PRIVS; the session setup, the snapshots, the
 * replica status (not a replica) and the applier threads (none) answered on
 * every connection. */
static struct fx *fx_new(const char *version, unsigned privs, int log_bin, enum dump_lock_mode mode)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct fake_script *any;
    struct fake_step *st;
    struct cs_buf b = CS_BUF_INIT;

    assert_non_null(f);
    f->fs = fake_server_new();
    fake_logger_init(&f->log);
    fake_server_config(f->fs, &f->cfg.conn);
    f->cfg.log = &f->log.log;
    f->cfg.threads = 2;
    f->cfg.lock_wait_timeout = 5;
    f->cfg.lock_retries = 2;
    f->cfg.lockless_retries = 3;
    assert_int_equal(cs_version_parse(version, NULL, &f->srv.version), 0);
    f->srv.privs = privs;
    f->srv.log_bin = log_bin;
    f->srv.processlist = dump_server_processlist(&f->srv.version, 0);
    f->tables[0] = (struct dump_table){
        .schema = "shop", .name = "orders", .engine = "InnoDB", .transactional = 1};
    f->tables[1] =
        (struct dump_table){.schema = "app", .name = "t`2", .engine = "InnoDB", .transactional = 1};
    f->cat.tables = f->tables;
    f->cat.ntables = 2;
    cs_error_clear(&f->err);
    f->long_sql = long_query_sql(&f->srv, 60);
    f->blockers_sql = long_query_sql(&f->srv, 0);
    dump_applier_blockers_sql(&b, f->srv.processlist);
    f->applier_sql = cs_buf_detach(&b);

    any = fake_server_any(f->fs);
    fake_times(fake_expect_prefix(any, "SET SESSION TRANSACTION ISOLATION"), FAKE_ALWAYS);
    fake_times(fake_expect_prefix(any, "SET SESSION time_zone="), FAKE_ALWAYS);
    fake_times(fake_expect_like(any, "SET SESSION max_*_time=0"), FAKE_ALWAYS);
    fake_times(fake_expect_prefix(any, "SET SESSION lock_wait_timeout="), FAKE_ALWAYS);
    fake_times(fake_expect(any, START_TRX), FAKE_ALWAYS);
    fake_times(fake_expect(any, SAVEPOINT), FAKE_ALWAYS);
    fake_times(fake_expect(any, "SET SESSION sql_log_bin = 0"), FAKE_ALWAYS);
    fake_times(fake_expect(any, "ROLLBACK"), FAKE_ALWAYS);
    for (int i = 0; i < 2; i++) { /* not a replica */
        st = fake_times(fake_expect(any, i ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS"),
                        FAKE_ALWAYS);
        fake_columns(st, 4, "Master_Host", "Relay_Master_Log_File", "Exec_Master_Log_Pos",
                     "Slave_SQL_Running");
    }
    st = fake_times(fake_expect(any, f->applier_sql), FAKE_ALWAYS);
    fake_columns(st, 4, "ID", "STATE", "TIME", "LEFT(INFO, 60)");
    dump_snapshot_init(&f->s, &f->cfg, &f->srv, mode);
    return f;
}

static void fx_free(struct fx *f)
{
    struct cs_error ignore;

    cs_error_clear(&ignore);
    if (!f->closed)
        dump_snapshot_close(&f->s, NULL, 0, &ignore);
    assert_int_equal(fake_open_conns(f->fs), 0);
    fake_server_free(f->fs);
    fake_logger_release(&f->log);
    free(f->long_sql);
    free(f->blockers_sql);
    free(f->applier_sql);
    free(f);
}

/* Every statement was expected and every step used. */
static void fx_all_answered(struct fx *f)
{
    if (fake_unanswered(f->fs) || fake_unused(f->fs))
        fake_log_print(f->fs, stderr);
    assert_int_equal(fake_unanswered(f->fs), 0);
    assert_int_equal(fake_unused(f->fs), 0);
}

static long at(struct fx *f, const char *label, const char *pattern)
{
    long i = fake_log_find(f->fs, 0, label, pattern);

    if (i < 0) {
        fake_log_print(f->fs, stderr);
        fail_msg("no %s: %s in the log", label ? label : "*", pattern);
    }
    return i;
}

/* The statements of LABEL's connections equal WANT. */
static void assert_sql(struct fx *f, const char *label, const char *want)
{
    char *got = fake_log_sql(f->fs, label);

    if (strcmp(got, want))
        fprintf(stderr, "%s: got\n%s\n---- want\n%s\n", label, got, want);
    assert_string_equal(got, want);
    free(got);
}

static void empty_processlist(struct fake_step *st)
{
    fake_columns(st, 6, "ID", "USER", "HOST", "COMMAND", "TIME", "LEFT(INFO, 120)");
}

/* MariaDB's per-connection proof on snapshot connection LABEL. */
static void proof(struct fx *f, const char *label, const char *file, const char *pos)
{
    struct fake_step *st = fake_expect(script(f, label), PROOF_SQL);

    fake_columns(st, 2, "Variable_name", "Value");
    fake_row(st, "Binlog_snapshot_file", file);
    fake_row(st, "Binlog_snapshot_position", pos);
}

static void mysql_status(struct fx *f, const char *sql, const char *file, const char *pos,
                         const char *gtid)
{
    struct fake_step *st = fake_expect(fake_server_any(f->fs), sql);

    fake_columns(st, 5, "File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB",
                 "Executed_Gtid_Set");
    fake_row(st, file, pos, "", "", gtid);
}

static void mariadb_status(struct fx *f, const char *file, const char *pos, const char *gtid)
{
    struct fake_step *st = fake_expect(fake_server_any(f->fs), "SHOW BINLOG STATUS");

    fake_columns(st, 4, "File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB");
    fake_row(st, file, pos, "", "");
    st = fake_expect(fake_server_any(f->fs), "SELECT @@GLOBAL.gtid_binlog_pos");
    fake_row(fake_columns(st, 1, "@@GLOBAL.gtid_binlog_pos"), gtid);
}

/* ---- ftwrl ---------------------------------------------------------------- */

static void test_ftwrl_mysql(void **state)
{
    struct fx *f =
        fx_new("8.0.36", DUMP_PRIV_RELOAD | DUMP_PRIV_BINLOG_MONITOR, 1, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");
    char want[4096];

    (void)state;
    f->cfg.long_query_guard = 60;
    empty_processlist(fake_expect(b, f->long_sql));
    fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    fake_expect(b, "UNLOCK TABLES");
    mysql_status(f, "SHOW MASTER STATUS", "binlog.000007", "4711",
                 "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\n"
                 "5ade3f62-71ca-11e1-9e33-c80aa9429562:1-3");

    /* no BACKUP_ADMIN: no DDL guard, a warning saying so */
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_int_equal(f->s.guard_kind, DUMP_GUARD_NONE);
    assert_non_null(strstr(fake_logger_text(&f->log), "DDL is not blocked"));
    assert_non_null(strstr(fake_logger_text(&f->log), "BACKUP_ADMIN"));
    assert_int_equal(fake_log_count(f->fs), 0);

    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_true(f->s.barrier_held);
    assert_true(f->s.consistent);
    assert_string_equal(f->s.note, "ftwrl held while 2 connections started their snapshot");
    assert_true(f->s.coords.present);
    assert_string_equal(f->s.coords.binlog_file, "binlog.000007");
    assert_int_equal(f->s.coords.binlog_pos, 4711);
    assert_string_equal(f->s.coords.gtid_set, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,"
                                              "5ade3f62-71ca-11e1-9e33-c80aa9429562:1-3");
    assert_false(f->s.is_replica);
    assert_int_equal(f->s.nproof, 0); /* MySQL has no per-connection proof */
    /* the barrier before the snapshots, the coordinates under it */
    assert_true(at(f, "barrier", "FLUSH TABLES WITH READ LOCK") < at(f, "snapshot 1", START_TRX));
    assert_true(at(f, "snapshot 1", START_TRX) < at(f, "snapshot 2", START_TRX));
    assert_true(at(f, "snapshot 2", START_TRX) < at(f, "snapshot 1", "SHOW MASTER STATUS"));
    assert_true(at(f, "snapshot 1", "SHOW MASTER STATUS") <
                at(f, "snapshot 1", "SHOW REPLICA STATUS"));

    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    assert_false(f->s.barrier_held);
    assert_true(at(f, "snapshot 1", "SHOW REPLICA STATUS") < at(f, "barrier", "UNLOCK TABLES"));
    snprintf(want, sizeof(want),
             MYSQL_SETUP "SET SESSION lock_wait_timeout=5\n%s\nFLUSH NO_WRITE_TO_BINLOG TABLES\n"
                         "FLUSH TABLES WITH READ LOCK\nUNLOCK TABLES",
             f->long_sql);
    assert_sql(f, "barrier", want);
    assert_sql(f, "snapshot 2", MYSQL_SETUP START_TRX "\n" SAVEPOINT);
    assert_int_equal(fake_log_matches(f->fs, NULL, "(open)"), 3);
    fx_all_answered(f);
    fx_free(f);
}

static void test_ftwrl_mariadb(void **state)
{
    struct fx *f = fx_new("10.11.19-MariaDB-log", DUMP_PRIV_RELOAD, 1, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");
    struct fake_script *g = script(f, "ddl guard");
    char want[4096];

    (void)state;
    f->cfg.long_query_guard = 30;
    free(f->long_sql);
    f->long_sql = long_query_sql(&f->srv, 30);
    /* MariaDB's FTWRL does not wait for SELECTs: the guard leaves them out */
    assert_non_null(strstr(f->long_sql, "INFO NOT LIKE 'SELECT%'"));
    empty_processlist(fake_expect(b, f->long_sql));
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    fake_expect(b, "UNLOCK TABLES");
    fake_expect(g, "BACKUP STAGE START");
    fake_expect(g, "BACKUP STAGE BLOCK_DDL");
    fake_expect(g, "BACKUP STAGE END");
    proof(f, "snapshot 1", "mariadb-bin.000002", "1234");
    proof(f, "snapshot 2", "mariadb-bin.000002", "1234");
    mariadb_status(f, "mariadb-bin.000002", "1234", "0-1-42");

    /* RELOAD on MariaDB 10.4.1+: DDL blocked by BACKUP STAGE */
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_int_equal(f->s.guard_kind, DUMP_GUARD_BACKUP_STAGE);
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_string_equal(f->s.note, "ftwrl held while 2 connections started their snapshot; "
                                   "all at binlog position mariadb-bin.000002:1234");
    assert_int_equal(f->s.nproof, 2);
    assert_string_equal(f->s.proof[1], "mariadb-bin.000002:1234");
    assert_string_equal(f->s.coords.gtid_set, "0-1-42");
    assert_int_equal(f->s.coords.binlog_pos, 1234);
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    assert_int_equal(fx_close(f, 0), 0);
    /* no flush before the lock on MariaDB */
    snprintf(want, sizeof(want),
             MARIADB_SETUP "SET SESSION lock_wait_timeout=5\n%s\nFLUSH TABLES WITH READ LOCK\n"
                           "UNLOCK TABLES",
             f->long_sql);
    assert_sql(f, "barrier", want);
    assert_sql(f, "ddl guard",
               MARIADB_SETUP "SET SESSION lock_wait_timeout=5\n"
                             "BACKUP STAGE START\nBACKUP STAGE BLOCK_DDL\n"
                             "BACKUP STAGE END");
    assert_true(at(f, "ddl guard", "BACKUP STAGE BLOCK_DDL") < at(f, "barrier", "(open)"));
    assert_true(at(f, "snapshot 2", PROOF_SQL) < at(f, "snapshot 1", "SHOW BINLOG STATUS"));
    fx_all_answered(f);
    fx_free(f);
}

/* Under a barrier, snapshots that disagree mean the barrier did not hold:
 * fatal, never a silently inconsistent dump. */
static void test_ftwrl_proofs_disagree(void **state)
{
    struct fx *f = fx_new("11.4.2-MariaDB", DUMP_PRIV_LOCK_TABLES, 1, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");

    (void)state;
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    proof(f, "snapshot 1", "mariadb-bin.000002", "1234");
    proof(f, "snapshot 2", "mariadb-bin.000002", "1300");
    mariadb_status(f, "mariadb-bin.000002", "1234", "0-1-42");
    /* no RELOAD: no guard attempted */
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_int_equal(f->s.guard_kind, DUMP_GUARD_NONE);
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_INCONSISTENT);
    assert_int_equal(f->err.severity, CS_SEV_FATAL);
    assert_non_null(strstr(f->err.msg, "different binlog positions although ftwrl was held"));
    /* closing releases the barrier that is still held */
    assert_true(f->s.barrier_held);
    fake_expect(b, "UNLOCK TABLES");
    fx_close(f, 0);
    assert_int_equal(fake_log_matches(f->fs, "barrier", "UNLOCK TABLES"), 1);
    fx_all_answered(f);
    fx_free(f);
}

/* ---- lock wait timeouts, retries, the long-query guard ------------------ */

static void running(struct fake_step *st, const char *id, const char *info)
{
    fake_row(st, id, "app", "10.0.0.5:4242", "Query", "30", info);
}

static void test_lock_wait_timeout_then_retry(void **state)
{
    struct fx *f = fx_new("8.4.3", DUMP_PRIV_RELOAD, 0, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");
    struct fake_step *st;

    (void)state;
    for (int i = 0; i < 2; i++) {
        fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
        fake_error(fake_expect(b, "FLUSH TABLES WITH READ LOCK"), 1205, "HY000",
                   "Lock wait timeout exceeded; try restarting transaction");
        /* after each timeout: who runs; our own snapshot sessions (101, 102)
         * never count */
        st = fake_expect(b, f->blockers_sql);
        empty_processlist(st);
        running(st, "101", "SELECT * FROM shop.orders");
        running(st, "77", "UPDATE shop.orders SET x = 1");
    }
    fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    fake_expect(b, "UNLOCK TABLES");

    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_int_equal(fake_log_matches(f->fs, "barrier", "FLUSH TABLES WITH READ LOCK"), 3);
    assert_int_equal(fake_log_matches(f->fs, "barrier", "SET SESSION lock_wait_timeout=5"), 1);
    assert_non_null(strstr(fake_logger_text(&f->log),
                           "ftwrl: lock wait timeout after 5s (attempt 1 of 3); running: session "
                           "77 (app@10.0.0.5:4242, Query, running 30s: UPDATE shop.orders SET x = "
                           "1)\n"));
    assert_non_null(strstr(fake_logger_text(&f->log), "(attempt 2 of 3)"));
    assert_null(strstr(fake_logger_text(&f->log), "session 101"));
    /* the snapshots start only once the lock is held; no binary log: no coordinates */
    assert_true(at(f, "snapshot 1", START_TRX) > fake_log_find(f->fs, 0, "barrier",
                                                               "FLUSH TABLES "
                                                               "WITH READ LOCK"));
    assert_int_equal(fake_log_matches(f->fs, NULL, "SHOW*LOG STATUS"), 0);
    assert_false(f->s.coords.present);
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    fx_all_answered(f);
    fx_free(f);
}

static void test_lock_wait_timeout_gives_up(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_RELOAD, 1, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");
    struct fake_step *st;

    (void)state;
    f->cfg.lock_retries = 1;
    fake_times(fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES"), 2);
    fake_times(fake_error(fake_expect(b, "FLUSH TABLES WITH READ LOCK"), 1205, "HY000",
                          "Lock wait timeout exceeded"),
               2);
    st = fake_times(fake_expect(b, f->blockers_sql), 2);
    empty_processlist(st);
    running(st, "77", "ALTER TABLE shop.orders ADD COLUMN y INT");
    st = fake_times(fake_expect(b, f->applier_sql), 2);
    fake_columns(st, 4, "ID", "STATE", "TIME", "LEFT(INFO, 60)");
    fake_row(st, "12", "Waiting for table metadata lock", "40", "ALTER TABLE t ADD z INT");

    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_LOCK);
    assert_non_null(strstr(f->err.msg, "--lock-mode=ftwrl: could not take the lock within 2 "
                                       "attempt(s) of 5s; blocked by: session 77 (app@"));
    assert_non_null(strstr(f->err.msg, "; replica applier thread 12 (Waiting for table metadata "
                                       "lock, 40s: ALTER TABLE t ADD z INT)"));
    assert_non_null(strstr(f->err.msg, "the source was left unlocked"));
    /* an applier blocked: the hint is --pause-replica, not "stop those sessions" */
    assert_non_null(strstr(f->err.msg, "--pause-replica"));
    assert_false(f->s.barrier_held);
    /* no snapshot was started without the barrier */
    assert_int_equal(fake_log_matches(f->fs, NULL, START_TRX), 0);
    fx_all_answered(f);
    fx_free(f);
}

static void test_long_query_guard_refuses(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_RELOAD, 1, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");
    struct fake_step *st;

    (void)state;
    f->cfg.long_query_guard = 60;
    f->cfg.lock_retries = 0;
    st = fake_expect(b, f->long_sql);
    empty_processlist(st);
    running(st, "102", "SELECT * FROM shop.orders"); /* snapshot 2: ours */
    running(st, "55", "SELECT SLEEP(3600)");
    fake_row(st, "56", "report", NULL, "Query", "61", NULL);

    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_LOCK);
    assert_non_null(strstr(f->err.msg, "blocked by: session 55 (app@10.0.0.5:4242, Query, running "
                                       "30s: SELECT SLEEP(3600)); session 56 (report@, Query, "
                                       "running 61s: )"));
    assert_null(strstr(f->err.msg, "session 102"));
    assert_non_null(strstr(f->err.msg, "--long-query-guard"));
    assert_non_null(strstr(fake_logger_text(&f->log),
                           "ftwrl: not locking: long-running statements: session 55"));
    /* FTWRL behind a long query would block every write: never sent */
    assert_int_equal(fake_log_matches(f->fs, NULL, "FLUSH*"), 0);
    fx_all_answered(f);
    fx_free(f);
}

/* The guard waits (2 s) and looks again: once the statement is gone it locks. */
static void test_long_query_guard_waits(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_RELOAD, 0, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");
    struct fake_step *st;

    (void)state;
    f->cfg.long_query_guard = 60;
    f->cfg.lock_retries = 1;
    st = fake_expect(b, f->long_sql);
    empty_processlist(st);
    running(st, "55", "SELECT SLEEP(3600)");
    empty_processlist(fake_expect(b, f->long_sql));
    fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_true(f->s.barrier_held);
    assert_int_equal(fake_log_matches(f->fs, "barrier", f->long_sql), 2);
    assert_non_null(strstr(fake_logger_text(&f->log), "not locking: long-running statements: "
                                                      "session 55"));
    fake_expect(b, "UNLOCK TABLES");
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    fx_all_answered(f);
    fx_free(f);
}

static void test_ftwrl_without_reload(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_LOCK_TABLES, 1, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");

    (void)state;
    fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
    fake_error(fake_expect(b, "FLUSH TABLES WITH READ LOCK"), 1227, "42000",
               "Access denied; you need (at least one of) the RELOAD privilege(s)");
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_int_equal(f->err.server_errno, 1227);
    assert_non_null(strstr(f->err.msg, "--lock-mode=ftwrl needs a privilege (GRANT RELOAD ON *.* "
                                       "TO the dump user, or use --lock-mode=lock-tables)"));
    /* a missing privilege is not retried */
    assert_int_equal(fake_log_matches(f->fs, NULL, "FLUSH TABLES WITH READ LOCK"), 1);
    fx_all_answered(f);
    fx_free(f);
}

/* ---- backup-stage, backup-lock, lock-tables ------------------------------ */

static void test_backup_stage(void **state)
{
    struct fx *f = fx_new("10.11.19-MariaDB-log", DUMP_PRIV_RELOAD, 1, DUMP_LOCK_BACKUP_STAGE);
    struct fake_script *g = script(f, "ddl guard");
    char want[8192];

    (void)state;
    fake_expect(g, "BACKUP STAGE START");
    fake_expect(g, "BACKUP STAGE BLOCK_DDL");
    fake_error(fake_expect(g, "BACKUP STAGE BLOCK_COMMIT"), 1205, "HY000", "Lock wait timeout");
    empty_processlist(fake_expect(g, f->blockers_sql));
    fake_expect(g, "BACKUP STAGE BLOCK_COMMIT");
    fake_expect(g, "BACKUP STAGE END");
    fake_expect(g, "BACKUP STAGE START");
    fake_expect(g, "BACKUP STAGE BLOCK_DDL");
    fake_expect(g, "BACKUP STAGE END");
    proof(f, "snapshot 1", "mariadb-bin.000009", "777");
    proof(f, "snapshot 2", "mariadb-bin.000009", "777");
    mariadb_status(f, "mariadb-bin.000009", "777", "0-1-9,1-2-3");

    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    /* the commit barrier is on the guard's session: no barrier connection */
    assert_int_equal(fake_log_matches(f->fs, "barrier", NULL), 0);
    assert_string_equal(f->s.note, "backup-stage held while 2 connections started their "
                                   "snapshot; all at binlog position mariadb-bin.000009:777");
    assert_true(at(f, "ddl guard", "BACKUP STAGE BLOCK_COMMIT") < at(f, "snapshot 1", START_TRX));
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    assert_int_equal(fx_close(f, 0), 0);
    /* BLOCK_COMMIT is left by ending the backup; DDL is blocked again at once */
    snprintf(want, sizeof(want),
             MARIADB_SETUP "SET SESSION lock_wait_timeout=5\nBACKUP STAGE START\n"
                           "BACKUP STAGE BLOCK_DDL\nSET SESSION lock_wait_timeout=5\n"
                           "BACKUP STAGE BLOCK_COMMIT\n%s\n%s\n"
                           "BACKUP STAGE BLOCK_COMMIT\nBACKUP STAGE END\n"
                           "SET SESSION lock_wait_timeout=5\nBACKUP STAGE START\n"
                           "BACKUP STAGE BLOCK_DDL\nBACKUP STAGE END",
             f->blockers_sql, f->applier_sql);
    assert_sql(f, "ddl guard", want);
    fx_all_answered(f);
    fx_free(f);
}

static void test_backup_stage_refused(void **state)
{
    struct fx *f;

    (void)state;
    /* MySQL has no BACKUP STAGE */
    f = fx_new("8.0.36", DUMP_PRIV_ALL, 1, DUMP_LOCK_BACKUP_STAGE);
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_USAGE);
    assert_string_equal(f->err.msg, "--lock-mode=backup-stage is for MariaDB 10.4.1+; on this "
                                    "mysql server use --lock-mode=ftwrl");
    assert_int_equal(fake_log_count(f->fs), 0);
    fx_free(f);
    /* MariaDB before 10.4.1 */
    f = fx_new("10.3.39-MariaDB", DUMP_PRIV_ALL, 1, DUMP_LOCK_BACKUP_STAGE);
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_USAGE);
    assert_non_null(strstr(f->err.msg, "is not available on mariadb 10.3"));
    fx_free(f);
    /* without RELOAD the server refuses it */
    f = fx_new("10.11.19-MariaDB", DUMP_PRIV_LOCK_TABLES, 1, DUMP_LOCK_BACKUP_STAGE);
    fake_error(fake_expect(script(f, "ddl guard"), "BACKUP STAGE START"), 1227, "42000",
               "Access denied; you need (at least one of) the RELOAD privilege(s)");
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), -1);
    assert_non_null(strstr(f->err.msg, "--lock-mode=backup-stage: cannot block DDL (needs "
                                       "RELOAD): "));
    assert_int_equal(fake_open_conns(f->fs), 0); /* the guard session is closed */
    fx_all_answered(f);
    fx_free(f);
}

static void test_backup_lock(void **state)
{
    struct fx *f =
        fx_new("8.4.3", DUMP_PRIV_RELOAD | DUMP_PRIV_BACKUP_ADMIN, 1, DUMP_LOCK_BACKUP_LOCK);
    struct fake_script *g = script(f, "ddl guard");
    struct fake_script *b = script(f, "barrier");

    (void)state;
    fake_expect(g, "LOCK INSTANCE FOR BACKUP");
    fake_expect(g, "UNLOCK INSTANCE");
    fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    fake_expect(b, "UNLOCK TABLES");
    mysql_status(f, "SHOW BINARY LOG STATUS", "binlog.000002", "157", "");
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_int_equal(f->s.guard_kind, DUMP_GUARD_BACKUP_LOCK);
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_string_equal(f->s.coords.gtid_set, "");
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    assert_int_equal(fx_close(f, 0), 0);
    assert_sql(f, "ddl guard",
               MYSQL_SETUP "SET SESSION lock_wait_timeout=5\nLOCK INSTANCE FOR BACKUP\n"
                           "UNLOCK INSTANCE");
    assert_true(at(f, "ddl guard", "LOCK INSTANCE FOR BACKUP") < at(f, "barrier", "(open)"));
    assert_true(at(f, "barrier", "UNLOCK TABLES") < at(f, "ddl guard", "UNLOCK INSTANCE"));
    fx_all_answered(f);
    fx_free(f);
}

static void test_backup_lock_guard_timeout(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_BACKUP_ADMIN, 1, DUMP_LOCK_BACKUP_LOCK);
    struct fake_script *g = script(f, "ddl guard");
    struct fake_step *st;

    (void)state;
    fake_error(fake_expect(g, "LOCK INSTANCE FOR BACKUP"), 1205, "HY000", "Lock wait timeout");
    st = fake_expect(g, f->blockers_sql);
    empty_processlist(st);
    running(st, "91", "ALTER TABLE shop.orders ENGINE=InnoDB");
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_LOCK);
    assert_string_equal(f->err.msg,
                        "--lock-mode=backup-lock: cannot block DDL: LOCK INSTANCE FOR BACKUP "
                        "waited 5s (lock wait timeout); blocked by: session 91 "
                        "(app@10.0.0.5:4242, Query, running 30s: ALTER TABLE shop.orders "
                        "ENGINE=InnoDB)");
    fx_all_answered(f);
    fx_free(f);

    /* the same timeout when the guard is only a bonus (ftwrl): a warning */
    f = fx_new("8.0.36", DUMP_PRIV_BACKUP_ADMIN | DUMP_PRIV_RELOAD, 1, DUMP_LOCK_FTWRL);
    g = script(f, "ddl guard");
    fake_error(fake_expect(g, "LOCK INSTANCE FOR BACKUP"), 1205, "HY000", "Lock wait timeout");
    empty_processlist(fake_expect(g, f->blockers_sql));
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_false(cs_error_is_set(&f->err));
    assert_int_equal(f->s.guard_kind, DUMP_GUARD_NONE);
    assert_non_null(strstr(fake_logger_text(&f->log),
                           "DDL is not blocked during the dump (LOCK INSTANCE FOR BACKUP waited "
                           "5s (lock wait timeout))"));
    fx_all_answered(f);
    fx_free(f);

    /* backup-lock is MySQL's */
    f = fx_new("10.11.19-MariaDB", DUMP_PRIV_ALL, 1, DUMP_LOCK_BACKUP_LOCK);
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), -1);
    assert_string_equal(f->err.msg, "--lock-mode=backup-lock is for MySQL 8.0+; on this mariadb "
                                    "server use --lock-mode=backup-stage");
    fx_free(f);
}

static void test_lock_tables(void **state)
{
    struct fx *f = fx_new("5.7.44-log", DUMP_PRIV_LOCK_TABLES, 1, DUMP_LOCK_LOCK_TABLES);
    struct fake_script *b = script(f, "barrier");

    (void)state;
    f->cfg.long_query_guard = 60; /* only FTWRL waits for running statements */
    fake_expect(b, "LOCK TABLES `shop`.`orders` READ, `app`.`t``2` READ");
    fake_expect(b, "UNLOCK TABLES");
    mysql_status(f, "SHOW MASTER STATUS", "mysql-bin.000003", "99", "");
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_true(f->s.consistent);
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    assert_sql(f, "barrier",
               "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ\n"
               "SET SESSION time_zone='+00:00', sql_mode='', net_write_timeout=86400, "
               "net_read_timeout=86400, wait_timeout=86400\nSET SESSION max_execution_time=0\n"
               "SET SESSION lock_wait_timeout=5\n"
               "LOCK TABLES `shop`.`orders` READ, `app`.`t``2` READ\nUNLOCK TABLES");
    assert_int_equal(fake_log_matches(f->fs, NULL, "SHOW SLAVE STATUS"), 1); /* 5.7 */
    fx_all_answered(f);
    fx_free(f);
}

/* LOCK TABLES freezes the dumped tables only: MariaDB proofs may differ. */
static void test_lock_tables_mariadb(void **state)
{
    struct fx *f = fx_new("10.6.16-MariaDB-log", DUMP_PRIV_LOCK_TABLES, 1, DUMP_LOCK_LOCK_TABLES);
    struct fake_script *b = script(f, "barrier");

    (void)state;
    fake_error(fake_expect(b, "LOCK TABLES `shop`.`orders` READ, `app`.`t``2` READ"), 1044, "42000",
               "Access denied for user 'u'@'%' to database 'app'");
    fake_expect(b, "LOCK TABLES `shop`.`orders` READ, `app`.`t``2` READ");
    fake_expect(b, "UNLOCK TABLES");
    proof(f, "snapshot 1", "mariadb-bin.000002", "1234");
    proof(f, "snapshot 2", "mariadb-bin.000002", "2000");
    mariadb_status(f, "mariadb-bin.000002", "2100", "0-1-50");
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_non_null(strstr(f->err.msg, "--lock-mode=lock-tables needs a privilege (GRANT LOCK "
                                       "TABLES, SELECT ON db.* TO the dump user)"));
    assert_int_equal(fake_log_matches(f->fs, NULL, START_TRX), 0);
    /* a second attempt reuses the connections opened */
    cs_error_clear(&f->err);
    if (dump_snapshot_open(&f->s, &f->cat, 2, &f->err) < 0)
        fail_msg("%s", f->err.msg);
    assert_true(f->s.consistent);
    assert_int_equal(fake_log_matches(f->fs, NULL, "(open)"), 3);
    assert_int_equal(f->s.coords.binlog_pos, 2100);
    /* the note does not claim one binlog position for all of them */
    assert_string_equal(f->s.note, "lock-tables held while 2 connections started their snapshot");
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    fx_all_answered(f);
    fx_free(f);
}

/* ---- lockless ------------------------------------------------------------- */

static void test_lockless_proof(void **state)
{
    struct fx *f = fx_new("10.11.19-MariaDB-log", DUMP_PRIV_RELOAD, 1, DUMP_LOCK_LOCKLESS);
    struct fake_step *st;

    (void)state;
    /* first attempt: a commit landed between the two snapshots */
    proof(f, "snapshot 1", "mariadb-bin.000002", "1234");
    proof(f, "snapshot 2", "mariadb-bin.000002", "1300");
    proof(f, "snapshot 1", "mariadb-bin.000002", "1300");
    proof(f, "snapshot 2", "mariadb-bin.000002", "1300");
    st = fake_expect(fake_server_any(f->fs), "SELECT BINLOG_GTID_POS('mariadb-bin.000002', 1300)");
    fake_row(fake_columns(st, 1, "BINLOG_GTID_POS('mariadb-bin.000002', 1300)"), "0-1-43");

    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_true(f->s.consistent);
    assert_false(f->s.barrier_held);
    assert_string_equal(f->s.note, "lockless: all 2 connections started at binlog position "
                                   "mariadb-bin.000002:1300 (attempt 2)");
    assert_string_equal(f->s.coords.binlog_file, "mariadb-bin.000002");
    assert_int_equal(f->s.coords.binlog_pos, 1300);
    assert_string_equal(f->s.coords.gtid_set, "0-1-43");
    /* no lock of any kind, no barrier session; coordinates from the proof */
    assert_int_equal(fake_log_matches(f->fs, "barrier", NULL), 0);
    assert_int_equal(fake_log_matches(f->fs, NULL, "*LOCK*"), 0);
    assert_int_equal(fake_log_matches(f->fs, NULL, "SHOW BINLOG STATUS"), 0);
    assert_sql(f, "snapshot 2",
               MARIADB_SETUP "SET SESSION sql_log_bin = 0\n" START_TRX "\n" SAVEPOINT "\n" PROOF_SQL
                             "\nROLLBACK\n" START_TRX "\n" SAVEPOINT "\n" PROOF_SQL);
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    fx_all_answered(f);
    fx_free(f);
}

/* auto: lockless first, and without a proof the barrier auto chose */
static void test_lockless_falls_back(void **state)
{
    struct fx *f = fx_new("11.4.2-MariaDB-log", DUMP_PRIV_RELOAD, 1, DUMP_LOCK_AUTO);
    struct dump_lock_decision d = dump_lock_decide(&f->srv, DUMP_LOCK_AUTO, 0);
    struct fake_script *g = script(f, "ddl guard");

    (void)state;
    assert_true(d.lockless_first);
    assert_int_equal(d.mode, DUMP_LOCK_BACKUP_STAGE);
    f->cfg.lockless_retries = 2;
    for (int i = 0; i < 2; i++) {
        proof(f, "snapshot 1", "mariadb-bin.000002", "100");
        proof(f, "snapshot 2", "mariadb-bin.000002", i ? "300" : "200");
    }
    proof(f, "snapshot 1", "mariadb-bin.000002", "400");
    proof(f, "snapshot 2", "mariadb-bin.000002", "400");
    mariadb_status(f, "mariadb-bin.000002", "400", "0-1-60");
    fake_expect(g, "BACKUP STAGE START");
    fake_expect(g, "BACKUP STAGE BLOCK_DDL");
    fake_expect(g, "BACKUP STAGE BLOCK_COMMIT");
    f->s.mode = d.mode;
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_int_equal(dump_snapshot_take(&f->s, &f->cat, 2, &d, &f->err), 0);
    assert_int_equal(f->s.mode, DUMP_LOCK_BACKUP_STAGE);
    assert_true(f->s.consistent);
    assert_true(f->s.barrier_held);
    assert_non_null(strstr(fake_logger_text(&f->log), "no lockless proof (the server is busy); "
                                                      "using backup-stage"));
    /* the snapshot connections are reused, rolled back after each attempt */
    assert_int_equal(fake_log_matches(f->fs, "snapshot", "(open)"), 2);
    assert_int_equal(fake_log_matches(f->fs, "snapshot 1", "ROLLBACK"), 2);
    assert_true(at(f, "ddl guard", "BACKUP STAGE BLOCK_COMMIT") >
                fake_log_find(f->fs, 0, "snapshot 2", "ROLLBACK"));
    fake_expect(g, "BACKUP STAGE END");
    fake_expect(g, "BACKUP STAGE START");
    fake_expect(g, "BACKUP STAGE BLOCK_DDL");
    fake_expect(g, "BACKUP STAGE END");
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    assert_int_equal(fx_close(f, 0), 0);
    fx_all_answered(f);
    fx_free(f);
}

static void test_lockless_refused(void **state)
{
    struct fx *f;

    (void)state;
    /* every attempt differs: no proof, the error says what to use */
    f = fx_new("10.11.19-MariaDB-log", DUMP_PRIV_RELOAD, 1, DUMP_LOCK_LOCKLESS);
    f->cfg.lockless_retries = 2;
    for (int i = 0; i < 2; i++) {
        proof(f, "snapshot 1", "mariadb-bin.000002", "100");
        proof(f, "snapshot 2", "", "");
    }
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_INCONSISTENT);
    assert_non_null(strstr(f->err.msg, "the 2 connections opened different snapshots in all 2 "
                                       "attempts"));
    fx_all_answered(f);
    fx_free(f);
    /* MySQL has no per-connection proof */
    f = fx_new("8.0.36", DUMP_PRIV_ALL, 1, DUMP_LOCK_LOCKLESS);
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_INCONSISTENT);
    assert_non_null(strstr(f->err.msg, "needs MariaDB with the binary log on"));
    assert_int_equal(fake_log_matches(f->fs, NULL, START_TRX), 0);
    fx_free(f);
    /* nor MariaDB without a binary log */
    f = fx_new("10.11.19-MariaDB", DUMP_PRIV_ALL, 0, DUMP_LOCK_LOCKLESS);
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_int_equal(f->err.code, CS_ERR_INCONSISTENT);
    fx_free(f);
}

/* ---- none, and non-transactional tables ---------------------------------- */

static void test_none(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_ALL, 1, DUMP_LOCK_NONE);
    struct dump_lock_decision d = {DUMP_LOCK_NONE, 0};

    (void)state;
    mysql_status(f, "SHOW MASTER STATUS", "binlog.000001", "5", "u:1-2");
    f->tables[1].transactional = 0;
    f->tables[1].engine = "MyISAM";
    /* no guard either */
    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_int_equal(fake_log_count(f->fs), 0);
    assert_int_equal(dump_snapshot_take(&f->s, &f->cat, 2, &d, &f->err), 0);
    assert_false(f->s.consistent);
    assert_non_null(strstr(f->s.note, "1 non-transactional table(s) (e.g. app.t`2, MyISAM) were "
                                      "dumped without a commit barrier (--lock-mode=none)"));
    assert_true(f->s.coords.present); /* approximate, but there */
    assert_int_equal(fake_log_matches(f->fs, "barrier", NULL), 0);
    assert_int_equal(fake_log_matches(f->fs, NULL, "*LOCK*"), 0);
    fx_all_answered(f);
    fx_free(f);

    /* all transactional: still not consistent, the note says why */
    f = fx_new("10.11.19-MariaDB", DUMP_PRIV_ALL, 0, DUMP_LOCK_NONE);
    assert_int_equal(dump_snapshot_take(&f->s, &f->cat, 2, &d, &f->err), 0);
    assert_false(f->s.consistent);
    assert_non_null(strstr(f->s.note, "--lock-mode=none: connections opened their snapshots "
                                      "without a barrier"));
    assert_false(f->s.coords.present);
    assert_int_equal(fake_log_matches(f->fs, NULL, PROOF_SQL), 0); /* no binary log */
    fx_all_answered(f);
    fx_free(f);
}

/* With a barrier, non-transactional tables are dumped while it is held:
 * consistent. */
static void test_nontrx_under_barrier(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_RELOAD, 0, DUMP_LOCK_FTWRL);
    struct dump_lock_decision d = {DUMP_LOCK_FTWRL, 0};
    struct fake_script *b = script(f, "barrier");

    (void)state;
    f->tables[0].transactional = 0;
    fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    fake_expect(b, "UNLOCK TABLES");
    assert_int_equal(dump_snapshot_take(&f->s, &f->cat, 2, &d, &f->err), 0);
    assert_true(f->s.consistent);
    assert_string_equal(f->s.note, "ftwrl held while 2 connections started their snapshot");
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    fx_all_answered(f);
    fx_free(f);
}

/* A replica's SHOW REPLICA STATUS row: its applier and its source. */
static void replica_row(struct fake_step *st, const char *sql_running)
{
    fake_columns(st, 7, "Source_Host", "Source_Log_File", "Read_Source_Log_Pos",
                 "Relay_Source_Log_File", "Replica_SQL_Running", "Last_SQL_Errno",
                 "Exec_Source_Log_Pos");
    fake_row(st, "primary.example", "primary-bin.000120", "9000", "primary-bin.000120", sql_running,
             "0", "8800");
}

/* --pause-replica: the SQL thread stops before the DDL guard and starts
 * again once the snapshot is taken; the replica position is then exact. */
static void test_pause_replica(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_RELOAD | DUMP_PRIV_BACKUP_ADMIN, 1, DUMP_LOCK_FTWRL);
    struct fake_script *a = script(f, "replica applier");
    struct fake_script *g = script(f, "ddl guard");
    struct fake_script *b = script(f, "barrier");

    (void)state;
    f->cfg.pause_replica = 1;
    replica_row(fake_expect(a, "SHOW REPLICA STATUS"), "Yes");
    fake_expect(a, "STOP REPLICA SQL_THREAD");
    fake_expect(a, "START REPLICA SQL_THREAD");
    fake_expect(g, "LOCK INSTANCE FOR BACKUP");
    fake_expect(g, "UNLOCK INSTANCE");
    fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    fake_expect(b, "UNLOCK TABLES");
    mysql_status(f, "SHOW MASTER STATUS", "binlog.000002", "157", "u:1-9");
    replica_row(fake_expect(script(f, "snapshot 1"), "SHOW REPLICA STATUS"), "No");

    assert_int_equal(dump_snapshot_guard(&f->s, &f->err), 0);
    assert_true(at(f, "replica applier", "STOP REPLICA SQL_THREAD") <
                at(f, "ddl guard", "LOCK INSTANCE FOR BACKUP"));
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_true(f->s.is_replica);
    assert_string_equal(f->s.replica_host, "primary.example");
    /* stopped without an error: the applier position is the snapshot's */
    assert_string_equal(f->s.replica.binlog_file, "primary-bin.000120");
    assert_int_equal(f->s.replica.binlog_pos, 8800);
    assert_null(f->s.replica.unusable);
    assert_string_equal(f->s.replica.gtid_set, "u:1-9"); /* MySQL: the server's own */
    assert_int_equal(fake_log_matches(f->fs, NULL, "START REPLICA SQL_THREAD"), 0);
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    assert_true(at(f, "barrier", "UNLOCK TABLES") <
                at(f, "replica applier", "START REPLICA SQL_THREAD"));
    assert_non_null(strstr(fake_logger_text(&f->log), "the replica's SQL thread runs again"));
    assert_int_equal(fx_close(f, 0), 0);
    /* started once, not again at close */
    assert_int_equal(fake_log_matches(f->fs, NULL, "START REPLICA SQL_THREAD"), 1);
    fx_all_answered(f);
    fx_free(f);
}

/* Without --pause-replica a running applier's position may lag: only the
 * GTID set is kept, and the manifest is told why. */
static void test_replica_position_unusable(void **state)
{
    struct fx *f = fx_new("8.4.3", DUMP_PRIV_RELOAD, 1, DUMP_LOCK_FTWRL);
    struct fake_script *b = script(f, "barrier");

    (void)state;
    fake_expect(b, "FLUSH NO_WRITE_TO_BINLOG TABLES");
    fake_expect(b, "FLUSH TABLES WITH READ LOCK");
    fake_expect(b, "UNLOCK TABLES");
    mysql_status(f, "SHOW BINARY LOG STATUS", "binlog.000002", "157", "u:1-9");
    replica_row(fake_expect(script(f, "snapshot 1"), "SHOW REPLICA STATUS"), "Yes");
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), 0);
    assert_true(f->s.is_replica);
    assert_null(f->s.replica.binlog_file);
    assert_non_null(f->s.replica.unusable);
    assert_non_null(strstr(f->s.replica.unusable, "its IO thread had read up to "
                                                  "primary-bin.000120:9000"));
    assert_string_equal(f->s.replica.gtid_set, "u:1-9");
    assert_int_equal(dump_snapshot_release(&f->s, &f->cat, &f->err), 0);
    fx_all_answered(f);
    fx_free(f);
}

/* A snapshot connection that cannot be opened fails the snapshot; the
 * others are closed. */
static void test_open_failure(void **state)
{
    struct fx *f = fx_new("8.0.36", DUMP_PRIV_RELOAD, 0, DUMP_LOCK_FTWRL);

    (void)state;
    fake_script_new(f->fs, "snapshot 1");
    fake_script_open_error(fake_script_new(f->fs, "snapshot 2"), 1040, "Too many connections");
    assert_int_equal(dump_snapshot_open(&f->s, &f->cat, 2, &f->err), -1);
    assert_int_equal(f->err.server_errno, 1040);
    assert_non_null(strstr(f->err.msg, "snapshot 2 @ "));
    assert_int_equal(fake_log_matches(f->fs, NULL, "FLUSH*"), 0);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ftwrl_mysql),
        cmocka_unit_test(test_ftwrl_mariadb),
        cmocka_unit_test(test_ftwrl_proofs_disagree),
        cmocka_unit_test(test_lock_wait_timeout_then_retry),
        cmocka_unit_test(test_lock_wait_timeout_gives_up),
        cmocka_unit_test(test_long_query_guard_refuses),
        cmocka_unit_test(test_long_query_guard_waits),
        cmocka_unit_test(test_ftwrl_without_reload),
        cmocka_unit_test(test_backup_stage),
        cmocka_unit_test(test_backup_stage_refused),
        cmocka_unit_test(test_backup_lock),
        cmocka_unit_test(test_backup_lock_guard_timeout),
        cmocka_unit_test(test_lock_tables),
        cmocka_unit_test(test_lock_tables_mariadb),
        cmocka_unit_test(test_lockless_proof),
        cmocka_unit_test(test_lockless_falls_back),
        cmocka_unit_test(test_lockless_refused),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_nontrx_under_barrier),
        cmocka_unit_test(test_pause_replica),
        cmocka_unit_test(test_replica_position_unusable),
        cmocka_unit_test(test_open_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
