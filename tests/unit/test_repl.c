/* test_repl.c - load/repl.h: the statements that make the target a replica
 * of the dump's source, per source flavor, target flavor and version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/error.h"
#include "common/version.h"
#include "format/manifest.h"
#include "load/repl.h"
#include "load/replsetup.h"

#define NO_TLS LOAD_REPL_SSL_DEFAULT, NULL, NULL, NULL
#define N(a) (sizeof(a) / sizeof((a)[0]))

#define UUID1 "3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define UUID2 "8c4a6a2e-0a1b-11ef-9b7a-0242ac120002"

/* CHANGE heads for the default source below */
#define MHEAD                                                                                      \
    "CHANGE MASTER TO MASTER_HOST='db1.example', MASTER_PORT=3307, MASTER_USER='repl', "           \
    "MASTER_PASSWORD='s3cret'"
#define SHEAD                                                                                      \
    "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db1.example', SOURCE_PORT=3307, "                   \
    "SOURCE_USER='repl', SOURCE_PASSWORD='s3cret'"
#define MFILEPOS ", MASTER_LOG_FILE='binlog.000003', MASTER_LOG_POS=157"
#define SFILEPOS ", SOURCE_LOG_FILE='binlog.000003', SOURCE_LOG_POS=157"

#define NO_COORDS_MSG                                                                              \
    "the dump has no binary log coordinates (the source's binary log was off): a replica "         \
    "cannot be started from it"

static const struct load_repl_source default_src = {"db1.example", 3307, "repl", "s3cret", NO_TLS};

static struct cs_version ver(const char *text)
{
    struct cs_version v;

    assert_int_equal(cs_version_parse(text, NULL, &v), 0);
    return v;
}

static void set_manifest(struct fmt_manifest *m, const char *flavor, const char *gtid,
                         const char *file, uint64_t pos)
{
    memset(m, 0, sizeof(*m));
    m->flavor = (char *)flavor;
    m->coords.present = 1;
    m->coords.gtid_set = (char *)gtid;
    m->coords.binlog_file = (char *)file;
    m->coords.binlog_pos = pos;
}

static void check_list(const char *name, const char *what, char **got, size_t n,
                       const char *const *want, size_t max)
{
    size_t nwant = 0;

    while (nwant < max && want[nwant])
        nwant++;
    if (n != nwant)
        fail_msg("%s: %zu %s statements, want %zu", name, n, what, nwant);
    if (n > 0 && !got)
        fail_msg("%s: %s statements missing", name, what);
    for (size_t i = 0; i < n; i++)
        if (!got[i] || strcmp(got[i], want[i]) != 0)
            fail_msg("%s: %s[%zu]\n got: %s\nwant: %s", name, what, i, got[i] ? got[i] : "(null)",
                     want[i]);
}

struct plan_case {
    const char *name;
    const char *source; /* "mysql" | "mariadb" */
    const char *target; /* VERSION() of the target */
    int target_gtid_empty;
    const char *gtid;
    const char *file;
    const char *gtid_stmts[3];
    const char *change_stmts[2];
    const char *note_has;   /* NULL: no note at all */
    const char *note_has2;  /* another required part, or NULL */
    const char *note_lacks; /* must not be in the note, or NULL */
};

#define MDB_GTID_OK(v)                                                                             \
    {                                                                                              \
        "mariadb->" v " gtid", "mariadb", v, 1, "0-1-100", "mariadb-bin.000004",                   \
            {"SET GLOBAL gtid_slave_pos = '0-1-100'"},                                             \
            {MHEAD ", MASTER_USE_GTID=slave_pos", "START SLAVE"}, NULL, NULL, NULL                 \
    }

static const struct plan_case plan_cases[] = {
    /* MariaDB -> MariaDB */
    MDB_GTID_OK("10.5.23-MariaDB"),
    MDB_GTID_OK("10.11.9-MariaDB"),
    MDB_GTID_OK("11.4.2-MariaDB"),
    {"mariadb->mariadb multi-domain, target binlog not empty",
     "mariadb",
     "10.11.9-MariaDB",
     0,
     "0-1-100,1-2-7",
     NULL,
     {"SET GLOBAL gtid_slave_pos = '0-1-100,1-2-7'"},
     {MHEAD ", MASTER_USE_GTID=slave_pos", "START SLAVE"},
     "gtid_strict_mode",
     "same replication domain",
     NULL},
    {"mariadb->mariadb empty gtid: file/pos",
     "mariadb",
     "10.5.23-MariaDB",
     1,
     "",
     "binlog.000003",
     {NULL},
     {MHEAD MFILEPOS ", MASTER_USE_GTID=no", "START SLAVE"},
     "file/position",
     NULL,
     "gtid_strict_mode"},
    {"mariadb->mariadb NULL gtid: file/pos",
     "mariadb",
     "11.4.2-MariaDB",
     0,
     NULL,
     "binlog.000003",
     {NULL},
     {MHEAD MFILEPOS ", MASTER_USE_GTID=no", "START SLAVE"},
     "file/position",
     NULL,
     NULL},
    /* MySQL -> MySQL, GTID, target gtid_executed empty */
    {"mysql->5.7.44 gtid",
     "mysql",
     "5.7.44-log",
     1,
     UUID1 ":1-5",
     NULL,
     {"SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {MHEAD ", MASTER_AUTO_POSITION=1", "START SLAVE"},
     "gtid_mode=ON",
     NULL,
     "RESET"},
    {"mysql->8.0.21 gtid",
     "mysql",
     "8.0.21",
     1,
     UUID1 ":1-5",
     "binlog.000003",
     {"SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {MHEAD ", MASTER_AUTO_POSITION=1", "START SLAVE"},
     "GET_MASTER_PUBLIC_KEY=1",
     NULL,
     "RESET"},
    {"mysql->8.0.22 gtid",
     "mysql",
     "8.0.22",
     1,
     UUID1 ":1-5",
     "binlog.000003",
     {"SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {MHEAD ", MASTER_AUTO_POSITION=1", "START REPLICA"},
     "GET_MASTER_PUBLIC_KEY=1",
     NULL,
     "RESET"},
    {"mysql->8.0.23 gtid",
     "mysql",
     "8.0.23",
     1,
     UUID1 ":1-5",
     "binlog.000003",
     {"SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "GET_SOURCE_PUBLIC_KEY=1",
     "gtid_mode=ON",
     "RESET"},
    {"mysql->8.0.36 gtid",
     "mysql",
     "8.0.36",
     1,
     UUID1 ":1-5",
     "binlog.000003",
     {"SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "GET_SOURCE_PUBLIC_KEY=1",
     NULL,
     "RESET"},
    {"mysql->8.4.0 gtid",
     "mysql",
     "8.4.0",
     1,
     UUID1 ":1-5",
     "binlog.000003",
     {"SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "gtid_mode=ON",
     NULL,
     "RESET"},
    {"mysql->9.1.0 gtid",
     "mysql",
     "9.1.0",
     1,
     UUID1 ":1-5",
     "binlog.000003",
     {"SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "gtid_mode=ON",
     NULL,
     "RESET"},
    /* MySQL -> MySQL, GTID, target gtid_executed not empty: RESET first */
    {"mysql->5.7.44 gtid reset",
     "mysql",
     "5.7.44-log",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET MASTER", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {MHEAD ", MASTER_AUTO_POSITION=1", "START SLAVE"},
     "RESET MASTER is run first",
     "clears the target's binary logs and its GTID history",
     "'+"},
    {"mysql->8.0.21 gtid reset",
     "mysql",
     "8.0.21",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET MASTER", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {MHEAD ", MASTER_AUTO_POSITION=1", "START SLAVE"},
     "RESET MASTER is run first",
     "'+",
     NULL},
    {"mysql->8.0.22 gtid reset",
     "mysql",
     "8.0.22",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET MASTER", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {MHEAD ", MASTER_AUTO_POSITION=1", "START REPLICA"},
     "RESET MASTER is run first",
     "gtid_purged can only be set when gtid_executed is empty",
     NULL},
    {"mysql->8.0.23 gtid reset",
     "mysql",
     "8.0.23",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET MASTER", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "RESET MASTER is run first",
     "'+",
     NULL},
    {"mysql->8.0.36 gtid reset",
     "mysql",
     "8.0.36",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET MASTER", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "RESET MASTER is run first",
     "GET_SOURCE_PUBLIC_KEY=1",
     NULL},
    /* RESET MASTER is deprecated in 8.2.0 (with its replacement) and removed in 8.4 */
    {"mysql->8.1.0 gtid reset",
     "mysql",
     "8.1.0",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET MASTER", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "RESET MASTER is run first",
     NULL,
     NULL},
    {"mysql->8.2.0 gtid reset",
     "mysql",
     "8.2.0",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET BINARY LOGS AND GTIDS", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "RESET BINARY LOGS AND GTIDS is run first",
     NULL,
     "RESET MASTER"},
    {"mysql->8.4.0 gtid reset",
     "mysql",
     "8.4.0",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET BINARY LOGS AND GTIDS", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "RESET BINARY LOGS AND GTIDS is run first",
     "'+",
     "RESET MASTER"},
    {"mysql->9.1.0 gtid reset",
     "mysql",
     "9.1.0",
     0,
     UUID1 ":1-5",
     NULL,
     {"RESET BINARY LOGS AND GTIDS", "SET GLOBAL gtid_purged = '" UUID1 ":1-5'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "RESET BINARY LOGS AND GTIDS is run first",
     "clears the target's binary logs",
     "RESET MASTER"},
    /* MySQL prints ",\n" between UUIDs */
    {"mysql->8.0.36 two uuids",
     "mysql",
     "8.0.36",
     1,
     UUID1 ":1-5,\n" UUID2 ":1-3",
     NULL,
     {"SET GLOBAL gtid_purged = '" UUID1 ":1-5," UUID2 ":1-3'"},
     {SHEAD ", SOURCE_AUTO_POSITION=1", "START REPLICA"},
     "gtid_mode=ON",
     NULL,
     NULL},
    /* MySQL -> MySQL without GTIDs: file/position, no auto-positioning, no RESET */
    {"mysql->5.7.44 file/pos",
     "mysql",
     "5.7.44-log",
     0,
     "",
     "binlog.000003",
     {NULL},
     {MHEAD MFILEPOS ", MASTER_AUTO_POSITION=0", "START SLAVE"},
     "file/position",
     NULL,
     "PUBLIC_KEY"},
    {"mysql->8.0.21 file/pos",
     "mysql",
     "8.0.21",
     0,
     "",
     "binlog.000003",
     {NULL},
     {MHEAD MFILEPOS ", MASTER_AUTO_POSITION=0", "START SLAVE"},
     "file/position",
     "GET_MASTER_PUBLIC_KEY=1",
     "RESET"},
    {"mysql->8.0.22 file/pos",
     "mysql",
     "8.0.22",
     1,
     NULL,
     "binlog.000003",
     {NULL},
     {MHEAD MFILEPOS ", MASTER_AUTO_POSITION=0", "START REPLICA"},
     "file/position",
     NULL,
     "AUTO_POSITION"},
    {"mysql->8.0.23 file/pos",
     "mysql",
     "8.0.23",
     1,
     "",
     "binlog.000003",
     {NULL},
     {SHEAD SFILEPOS ", SOURCE_AUTO_POSITION=0", "START REPLICA"},
     "file/position",
     "GET_SOURCE_PUBLIC_KEY=1",
     NULL},
    {"mysql->8.0.36 file/pos",
     "mysql",
     "8.0.36",
     0,
     "",
     "binlog.000003",
     {NULL},
     {SHEAD SFILEPOS ", SOURCE_AUTO_POSITION=0", "START REPLICA"},
     "file/position",
     NULL,
     "RESET"},
    {"mysql->8.4.0 file/pos",
     "mysql",
     "8.4.0",
     0,
     "",
     "binlog.000003",
     {NULL},
     {SHEAD SFILEPOS ", SOURCE_AUTO_POSITION=0", "START REPLICA"},
     "file/position",
     NULL,
     "RESET"},
    {"mysql->9.1.0 file/pos",
     "mysql",
     "9.1.0",
     1,
     "",
     "binlog.000003",
     {NULL},
     {SHEAD SFILEPOS ", SOURCE_AUTO_POSITION=0", "START REPLICA"},
     "file/position",
     NULL,
     NULL},
    /* MySQL -> MariaDB: never the MySQL GTIDs */
    {"mysql->10.5 file/pos",
     "mysql",
     "10.5.23-MariaDB",
     1,
     UUID1 ":1-5",
     "binlog.000003",
     {NULL},
     {MHEAD MFILEPOS ", MASTER_USE_GTID=no", "START SLAVE"},
     "MariaDB cannot use MySQL GTIDs",
     NULL,
     NULL},
    {"mysql->10.11 file/pos",
     "mysql",
     "10.11.9-MariaDB",
     0,
     UUID1 ":1-5",
     "binlog.000003",
     {NULL},
     {MHEAD MFILEPOS ", MASTER_USE_GTID=no", "START SLAVE"},
     "MariaDB cannot use MySQL GTIDs",
     NULL,
     NULL},
    {"mysql->11.4 file/pos",
     "mysql",
     "11.4.2-MariaDB",
     1,
     "",
     "binlog.000003",
     {NULL},
     {MHEAD MFILEPOS ", MASTER_USE_GTID=no", "START SLAVE"},
     "MariaDB cannot use MySQL GTIDs",
     NULL,
     NULL},
};

static void check_note(const struct plan_case *c, const char *note)
{
    if (!c->note_has) {
        if (note)
            fail_msg("%s: unexpected note: %s", c->name, note);
        return;
    }
    if (!note)
        fail_msg("%s: no note", c->name);
    if (!strstr(note, c->note_has))
        fail_msg("%s: note lacks \"%s\": %s", c->name, c->note_has, note);
    if (c->note_has2 && !strstr(note, c->note_has2))
        fail_msg("%s: note lacks \"%s\": %s", c->name, c->note_has2, note);
    if (c->note_lacks && strstr(note, c->note_lacks))
        fail_msg("%s: note has \"%s\": %s", c->name, c->note_lacks, note);
}

static void test_plans(void **state)
{
    (void)state;
    assert_true(N(plan_cases) >= 33);
    for (size_t i = 0; i < N(plan_cases); i++) {
        const struct plan_case *c = &plan_cases[i];
        struct fmt_manifest m;
        struct cs_version t = ver(c->target);
        struct load_repl_plan p;
        struct cs_error err;

        cs_error_clear(&err);
        set_manifest(&m, c->source, c->gtid, c->file, 157);
        if (load_repl_plan(&m, &t, c->target_gtid_empty, &default_src, 0, &p, &err) != 0)
            fail_msg("%s: failed: %s", c->name, err.msg);
        check_list(c->name, "gtid", p.gtid_stmts, p.ngtid, c->gtid_stmts, N(c->gtid_stmts));
        check_list(c->name, "change", p.change_stmts, p.nchange, c->change_stmts,
                   N(c->change_stmts));
        check_note(c, p.note);
        load_repl_plan_release(&p);
    }
}

/* Every printed statement and note of every case: no password, and the
 * placeholder exactly where the real one was. */
static void test_for_print_hides_password(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(plan_cases); i++) {
        const struct plan_case *c = &plan_cases[i];
        struct fmt_manifest m;
        struct cs_version t = ver(c->target);
        struct load_repl_plan p;
        struct cs_error err;
        const char *pw;

        set_manifest(&m, c->source, c->gtid, c->file, 157);
        assert_int_equal(load_repl_plan(&m, &t, c->target_gtid_empty, &default_src, 1, &p, &err),
                         0);
        assert_int_equal(p.nchange, 2);
        for (size_t j = 0; j < p.ngtid; j++)
            assert_null(strstr(p.gtid_stmts[j], "s3cret"));
        assert_null(strstr(p.change_stmts[1], "s3cret"));
        if (p.note)
            assert_null(strstr(p.note, "s3cret"));
        pw = strstr(p.change_stmts[0], "PASSWORD=");
        assert_non_null(pw);
        assert_memory_equal(pw, "PASSWORD='<password>', ", 23);
        assert_null(strstr(p.change_stmts[0], "s3cret"));
        load_repl_plan_release(&p);
    }
}

static void test_escaping(void **state)
{
    static const struct load_repl_source src = {"h'o\\st", 3306, "re'pl", "p'a\\ss", NO_TLS};
    struct fmt_manifest m;
    struct cs_version t = ver("8.0.36");
    struct load_repl_plan p;
    struct cs_error err;

    (void)state;
    set_manifest(&m, "mysql", "", "bin'log\\.000003", 42);
    assert_int_equal(load_repl_plan(&m, &t, 1, &src, 0, &p, &err), 0);
    assert_int_equal(p.nchange, 2);
    assert_string_equal(p.change_stmts[0],
                        "CHANGE REPLICATION SOURCE TO SOURCE_HOST='h\\'o\\\\st', SOURCE_PORT=3306, "
                        "SOURCE_USER='re\\'pl', SOURCE_PASSWORD='p\\'a\\\\ss', "
                        "SOURCE_LOG_FILE='bin\\'log\\\\.000003', SOURCE_LOG_POS=42, "
                        "SOURCE_AUTO_POSITION=0");
    load_repl_plan_release(&p);

    /* printed: the rest is escaped the same, the password is the placeholder */
    assert_int_equal(load_repl_plan(&m, &t, 1, &src, 1, &p, &err), 0);
    assert_string_equal(p.change_stmts[0],
                        "CHANGE REPLICATION SOURCE TO SOURCE_HOST='h\\'o\\\\st', SOURCE_PORT=3306, "
                        "SOURCE_USER='re\\'pl', SOURCE_PASSWORD='<password>', "
                        "SOURCE_LOG_FILE='bin\\'log\\\\.000003', SOURCE_LOG_POS=42, "
                        "SOURCE_AUTO_POSITION=0");
    load_repl_plan_release(&p);

    /* a hostile GTID position from a manifest stays inside its literal */
    set_manifest(&m, "mariadb", "0-1-1'; DROP TABLE t; --", NULL, 0);
    t = ver("10.11.9-MariaDB");
    assert_int_equal(load_repl_plan(&m, &t, 1, &src, 0, &p, &err), 0);
    assert_int_equal(p.ngtid, 1);
    assert_string_equal(p.gtid_stmts[0], "SET GLOBAL gtid_slave_pos = '0-1-1\\';DROPTABLEt;--'");
    load_repl_plan_release(&p);
}

static void test_no_password(void **state)
{
    static const struct load_repl_source src = {"db1.example", 3307, "repl", NULL, NO_TLS};
    static const char *const targets[] = {"5.7.44-log", "8.0.36", "10.11.9-MariaDB"};
    static const char *const want[] = {
        "CHANGE MASTER TO MASTER_HOST='db1.example', MASTER_PORT=3307, MASTER_USER='repl', "
        "MASTER_AUTO_POSITION=1",
        "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db1.example', SOURCE_PORT=3307, "
        "SOURCE_USER='repl', SOURCE_AUTO_POSITION=1",
        "CHANGE MASTER TO MASTER_HOST='db1.example', MASTER_PORT=3307, MASTER_USER='repl', "
        "MASTER_LOG_FILE='binlog.000003', MASTER_LOG_POS=157, MASTER_USE_GTID=no",
    };
    struct fmt_manifest m;
    struct load_repl_plan p;
    struct cs_error err;

    (void)state;
    set_manifest(&m, "mysql", UUID1 ":1-5", "binlog.000003", 157);
    for (size_t i = 0; i < N(targets); i++) {
        struct cs_version t = ver(targets[i]);

        for (int for_print = 0; for_print < 2; for_print++) {
            assert_int_equal(load_repl_plan(&m, &t, 1, &src, for_print, &p, &err), 0);
            assert_int_equal(p.nchange, 2);
            assert_string_equal(p.change_stmts[0], want[i]);
            assert_null(strstr(p.change_stmts[0], "PASSWORD"));
            load_repl_plan_release(&p);
        }
    }
}

/* Port 0: the dump does not know the source's port (an older dump, a source
 * with skip_networking): a placeholder, never a made-up 3306. */
static void test_port_unknown(void **state)
{
    static const struct load_repl_source src = {"db1.example", 0, "repl", "s3cret", NO_TLS};
    struct fmt_manifest m;
    struct cs_version t = ver("11.4.2-MariaDB");
    struct load_repl_plan p;
    struct cs_error err;

    (void)state;
    set_manifest(&m, "mariadb", "0-1-100", NULL, 0);
    assert_int_equal(load_repl_plan(&m, &t, 1, &src, 1, &p, &err), 0);
    assert_int_equal(p.nchange, 2);
    assert_string_equal(p.change_stmts[0],
                        "CHANGE MASTER TO MASTER_HOST='db1.example', MASTER_PORT=<source-port>, "
                        "MASTER_USER='repl', MASTER_PASSWORD='<password>', "
                        "MASTER_USE_GTID=slave_pos");
    load_repl_plan_release(&p);
}

struct fail_case {
    const char *source;
    const char *target;
    int present;
    const char *gtid;
    const char *file;
    int code;
    const char *msg;  /* exact message, or NULL */
    const char *part; /* required part of the message, or NULL */
};

#define REFUSAL_PART "a MySQL server cannot replicate from a MariaDB source"

static const struct fail_case fail_cases[] = {
    /* binary log off on the source */
    {"mariadb", "10.5.23-MariaDB", 0, NULL, NULL, CS_ERR_USAGE, NO_COORDS_MSG, NULL},
    {"mariadb", "11.4.2-MariaDB", 0, "", NULL, CS_ERR_USAGE, NO_COORDS_MSG, NULL},
    {"mysql", "5.7.44-log", 0, NULL, NULL, CS_ERR_USAGE, NO_COORDS_MSG, NULL},
    {"mysql", "8.0.36", 0, "", NULL, CS_ERR_USAGE, NO_COORDS_MSG, NULL},
    {"mysql", "9.1.0", 0, NULL, NULL, CS_ERR_USAGE, NO_COORDS_MSG, NULL},
    {"mysql", "10.11.9-MariaDB", 0, NULL, NULL, CS_ERR_USAGE, NO_COORDS_MSG, NULL},
    /* MariaDB -> MySQL, with or without coordinates */
    {"mariadb", "5.7.44-log", 1, "0-1-100", "mariadb-bin.000004", CS_ERR_USAGE, NULL, REFUSAL_PART},
    {"mariadb", "8.0.36", 1, "0-1-100", "mariadb-bin.000004", CS_ERR_USAGE, NULL,
     "binary log event formats"},
    {"mariadb", "8.4.0", 1, "", "mariadb-bin.000004", CS_ERR_USAGE, NULL, REFUSAL_PART},
    {"mariadb", "9.1.0", 0, NULL, NULL, CS_ERR_USAGE, NULL, REFUSAL_PART},
    /* MySQL -> MariaDB without a file */
    {"mysql", "10.11.9-MariaDB", 1, UUID1 ":1-5", NULL, CS_ERR_USAGE, NULL,
     "cannot use MySQL GTIDs"},
    /* neither GTID nor file */
    {"mysql", "8.0.36", 1, "", NULL, CS_ERR_USAGE, NULL, "no file/position and no GTID set"},
    {"mariadb", "10.11.9-MariaDB", 1, "", NULL, CS_ERR_USAGE, NULL,
     "no file/position and no GTID position"},
    /* a manifest with a flavor we do not know */
    {"percona", "8.0.36", 1, UUID1 ":1-5", NULL, CS_ERR_FORMAT, NULL, "\"percona\""},
    {NULL, "8.0.36", 1, UUID1 ":1-5", NULL, CS_ERR_FORMAT, NULL, "neither"},
};

static void test_failures(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(fail_cases); i++) {
        const struct fail_case *c = &fail_cases[i];
        struct fmt_manifest m;
        struct cs_version t = ver(c->target);
        struct load_repl_plan p;
        struct cs_error err;

        cs_error_clear(&err);
        memset(&p, 0x5a, sizeof(p)); /* garbage in: must come out empty */
        set_manifest(&m, c->source, c->gtid, c->file, 4);
        m.coords.present = c->present;
        if (load_repl_plan(&m, &t, 1, &default_src, 0, &p, &err) != -1)
            fail_msg("case %zu (%s -> %s): accepted", i, c->source ? c->source : "NULL", c->target);
        assert_int_equal(err.code, c->code);
        if (c->msg)
            assert_string_equal(err.msg, c->msg);
        if (c->part && !strstr(err.msg, c->part))
            fail_msg("case %zu: message lacks \"%s\": %s", i, c->part, err.msg);
        assert_null(p.gtid_stmts);
        assert_null(p.change_stmts);
        assert_null(p.note);
        assert_int_equal(p.ngtid + p.nchange, 0);
        load_repl_plan_release(&p);
    }
}

static void test_no_host(void **state)
{
    static const struct load_repl_source src = {NULL, 3306, "repl", "x", NO_TLS};
    struct fmt_manifest m;
    struct cs_version t = ver("8.0.36");
    struct load_repl_plan p;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    set_manifest(&m, "mysql", UUID1 ":1-5", NULL, 0);
    assert_int_equal(load_repl_plan(&m, &t, 1, &src, 0, &p, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
    assert_non_null(strstr(err.msg, "host"));
    assert_null(p.change_stmts);
}

static void test_release_and_reuse(void **state)
{
    struct fmt_manifest m;
    struct cs_version t = ver("8.4.0");
    struct load_repl_plan p;
    struct cs_error err;

    (void)state;
    load_repl_plan_release(NULL);
    set_manifest(&m, "mysql", UUID1 ":1-5", NULL, 0);
    assert_int_equal(load_repl_plan(&m, &t, 0, &default_src, 0, &p, &err), 0);
    assert_int_equal(p.ngtid, 2);
    assert_non_null(p.note);
    load_repl_plan_release(&p);
    assert_null(p.gtid_stmts);
    assert_null(p.change_stmts);
    assert_null(p.note);
    assert_int_equal(p.ngtid + p.nchange, 0);
    load_repl_plan_release(&p); /* twice is harmless */

    /* the same struct again, for another flavor */
    set_manifest(&m, "mariadb", "0-1-100", NULL, 0);
    t = ver("10.11.9-MariaDB");
    assert_int_equal(load_repl_plan(&m, &t, 1, &default_src, 0, &p, &err), 0);
    assert_int_equal(p.ngtid, 1);
    assert_string_equal(p.gtid_stmts[0], "SET GLOBAL gtid_slave_pos = '0-1-100'");
    assert_null(p.note);
    load_repl_plan_release(&p);
}

/* ---- TLS: the CHANGE statement's options per flavor and version ---- */

#define CA "/etc/ssl/src-ca.pem"
#define CERT "/etc/ssl/replica.pem"
#define KEY "/etc/ssl/replica-key.pem"

struct tls_case {
    const char *target;
    enum load_repl_ssl ssl;
    int files;             /* 0 none, 1 CA, 2 CA + cert + key */
    const char *want_tail; /* what follows the password in the CHANGE statement */
};

#define M_TLS_ALL                                                                                  \
    ", MASTER_SSL=1, MASTER_SSL_CA='" CA "', MASTER_SSL_CERT='" CERT "', MASTER_SSL_KEY='" KEY "'"
#define S_TLS_ALL                                                                                  \
    ", SOURCE_SSL=1, SOURCE_SSL_CA='" CA "', SOURCE_SSL_CERT='" CERT "', SOURCE_SSL_KEY='" KEY "'"

static const struct tls_case tls_cases[] = {
    /* MariaDB target (MariaDB dump): MASTER_ on every version */
    {"10.11.9-MariaDB", LOAD_REPL_SSL_DEFAULT, 0, ", MASTER_USE_GTID=slave_pos"},
    {"10.11.9-MariaDB", LOAD_REPL_SSL_DISABLED, 0, ", MASTER_SSL=0, MASTER_USE_GTID=slave_pos"},
    {"10.11.9-MariaDB", LOAD_REPL_SSL_REQUIRED, 0,
     ", MASTER_SSL=1, MASTER_SSL_VERIFY_SERVER_CERT=0, MASTER_USE_GTID=slave_pos"},
    {"10.11.9-MariaDB", LOAD_REPL_SSL_REQUIRED, 1,
     ", MASTER_SSL=1, MASTER_SSL_CA='" CA "', MASTER_SSL_VERIFY_SERVER_CERT=0, "
     "MASTER_USE_GTID=slave_pos"},
    {"11.8.3-MariaDB", LOAD_REPL_SSL_VERIFY_CA, 2,
     M_TLS_ALL ", MASTER_SSL_VERIFY_SERVER_CERT=0, MASTER_USE_GTID=slave_pos"},
    {"11.8.3-MariaDB", LOAD_REPL_SSL_VERIFY_IDENTITY, 1,
     ", MASTER_SSL=1, MASTER_SSL_CA='" CA "', MASTER_SSL_VERIFY_SERVER_CERT=1, "
     "MASTER_USE_GTID=slave_pos"},
    /* MySQL target (MySQL dump): MASTER_ before 8.0.23, SOURCE_ from it */
    {"5.7.44-log", LOAD_REPL_SSL_REQUIRED, 1,
     ", MASTER_SSL=1, MASTER_SSL_CA='" CA "', MASTER_SSL_VERIFY_SERVER_CERT=0, "
     "MASTER_AUTO_POSITION=1"},
    {"8.0.22", LOAD_REPL_SSL_VERIFY_IDENTITY, 2,
     M_TLS_ALL ", MASTER_SSL_VERIFY_SERVER_CERT=1, MASTER_AUTO_POSITION=1"},
    {"8.0.23", LOAD_REPL_SSL_DISABLED, 0, ", SOURCE_SSL=0, SOURCE_AUTO_POSITION=1"},
    {"8.0.23", LOAD_REPL_SSL_REQUIRED, 0,
     ", SOURCE_SSL=1, SOURCE_SSL_VERIFY_SERVER_CERT=0, SOURCE_AUTO_POSITION=1"},
    {"8.4.3", LOAD_REPL_SSL_VERIFY_CA, 1,
     ", SOURCE_SSL=1, SOURCE_SSL_CA='" CA "', SOURCE_SSL_VERIFY_SERVER_CERT=0, "
     "SOURCE_AUTO_POSITION=1"},
    {"9.7.4-2", LOAD_REPL_SSL_REQUIRED, 2,
     S_TLS_ALL ", SOURCE_SSL_VERIFY_SERVER_CERT=0, SOURCE_AUTO_POSITION=1"},
    {"9.7.4-2", LOAD_REPL_SSL_VERIFY_IDENTITY, 1,
     ", SOURCE_SSL=1, SOURCE_SSL_CA='" CA "', SOURCE_SSL_VERIFY_SERVER_CERT=1, "
     "SOURCE_AUTO_POSITION=1"},
};

static void test_tls_statements(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(tls_cases); i++) {
        const struct tls_case *c = &tls_cases[i];
        struct cs_version t = ver(c->target);
        int mysql = t.flavor == CS_FLAVOR_MYSQL;
        struct load_repl_source src = {"db1.example",
                                       3307,
                                       "repl",
                                       "s3cret",
                                       c->ssl,
                                       c->files ? CA : NULL,
                                       c->files > 1 ? CERT : NULL,
                                       c->files > 1 ? KEY : NULL};
        const char *head = mysql && cs_version_at_least(&t, 8, 0, 23) ? SHEAD : MHEAD;
        char want[1024];
        struct fmt_manifest m;
        struct load_repl_plan p;
        struct cs_error err;

        set_manifest(&m, mysql ? "mysql" : "mariadb", mysql ? UUID1 ":1-5" : "0-1-100",
                     "binlog.000003", 157);
        snprintf(want, sizeof(want), "%s%s", head, c->want_tail);
        for (int for_print = 0; for_print < 2; for_print++) {
            if (load_repl_plan(&m, &t, 1, &src, for_print, &p, &err) != 0)
                fail_msg("tls case %zu: %s", i, err.msg);
            assert_int_equal(p.nchange, 2);
            if (!for_print && strcmp(p.change_stmts[0], want) != 0)
                fail_msg("tls case %zu (%s)\n got: %s\nwant: %s", i, c->target, p.change_stmts[0],
                         want);
            if (for_print) /* the TLS options are the same, the password hidden */
                assert_non_null(strstr(p.change_stmts[0], c->want_tail));
            load_repl_plan_release(&p);
        }
    }
}

/* The stop and status statements follow the START statement's dialect. */
static void test_stop_and_status(void **state)
{
    static const struct {
        const char *flavor, *target, *stop, *status;
    } cases[] = {
        {"mariadb", "10.11.9-MariaDB", "STOP SLAVE", "SHOW SLAVE STATUS"},
        {"mysql", "11.8.3-MariaDB", "STOP SLAVE", "SHOW SLAVE STATUS"},
        {"mysql", "8.0.21", "STOP SLAVE", "SHOW SLAVE STATUS"},
        {"mysql", "8.0.22", "STOP REPLICA", "SHOW REPLICA STATUS"},
        {"mysql", "9.7.4-2", "STOP REPLICA", "SHOW REPLICA STATUS"},
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct cs_version t = ver(cases[i].target);
        struct fmt_manifest m;
        struct load_repl_plan p;
        struct cs_error err;

        set_manifest(&m, cases[i].flavor,
                     !strcmp(cases[i].flavor, "mysql") ? UUID1 ":1-5" : "0-1-9", "binlog.000003",
                     157);
        assert_int_equal(load_repl_plan(&m, &t, 1, &default_src, 0, &p, &err), 0);
        assert_string_equal(p.stop_stmt, cases[i].stop);
        assert_string_equal(p.status_stmt, cases[i].status);
        load_repl_plan_release(&p);
    }
}

/* MySQL target: over TLS caching_sha2_password needs no public key, so no advice for it. */
static void test_tls_note_mysql(void **state)
{
    static const enum load_repl_ssl modes[] = {LOAD_REPL_SSL_DEFAULT, LOAD_REPL_SSL_DISABLED,
                                               LOAD_REPL_SSL_REQUIRED, LOAD_REPL_SSL_VERIFY_CA};
    struct cs_version t = ver("9.7.4-2");
    struct fmt_manifest m;

    (void)state;
    set_manifest(&m, "mysql", UUID1 ":1-5", "binlog.000003", 157);
    for (size_t i = 0; i < N(modes); i++) {
        struct load_repl_source src = {
            "db1.example", 3307,     "repl",
            "s3cret",      modes[i], modes[i] == LOAD_REPL_SSL_VERIFY_CA ? CA : NULL,
            NULL,          NULL};
        struct load_repl_plan p;
        struct cs_error err;
        int tls = modes[i] >= LOAD_REPL_SSL_REQUIRED;

        assert_int_equal(load_repl_plan(&m, &t, 1, &src, 1, &p, &err), 0);
        assert_non_null(p.note);
        if (tls != !strstr(p.note, "GET_SOURCE_PUBLIC_KEY=1"))
            fail_msg("mode %s: note: %s", load_repl_ssl_name(modes[i]), p.note);
        if (!tls && !strstr(p.note, "--replication-ssl-mode=required"))
            fail_msg("mode %s: no TLS advice: %s", load_repl_ssl_name(modes[i]), p.note);
        load_repl_plan_release(&p);
    }
}

/* ---- MySQL -> MariaDB: what works depends on both versions ---- */

struct cross_case {
    const char *source; /* the MySQL source's version, NULL: unknown */
    const char *target; /* the MariaDB target */
    enum load_repl_ssl ssl;
    int refused;        /* 1: the MariaDB release cannot read the MySQL binlog */
    const char *has[3]; /* in the note (or the refusal) */
    const char *lacks[2];
};

static const struct cross_case cross_cases[] = {
    /* binary log events: 10.6.21, 10.11.11, 11.4.5, 11.7.2, 11.8+ */
    {"8.0.36",
     "10.5.25-MariaDB",
     0,
     1,
     {"MariaDB 10.5.25 cannot replicate from MySQL 8.0.36"},
     {0}},
    {"8.0.36", "10.6.20-MariaDB", 0, 1, {"10.6.21, 10.11.11, 11.4.5, 11.7.2"}, {0}},
    {"8.0.36", "10.6.21-MariaDB", 0, 0, {"utf8mb4_0900_"}, {0}},
    {"8.4.3", "10.11.10-MariaDB", 0, 1, {"does not read a MySQL 8.0+ binary log"}, {0}},
    {"9.7.4-2", "11.2.6-MariaDB", 0, 1, {"MariaDB 11.2.6"}, {0}},
    {"8.0.36", "11.4.4-MariaDB", 0, 1, {"11.4.5"}, {0}},
    {"8.0.36", "11.6.2-MariaDB", 0, 1, {"MariaDB 11.6.2"}, {0}},
    {"8.0.36", "11.7.1-MariaDB", 0, 1, {"MariaDB 11.7.1"}, {0}},
    /* collations: 11.4.5, 11.7.2, 11.8+ know utf8mb4_0900_* */
    {"8.0.36",
     "10.11.11-MariaDB",
     0,
     0,
     {"MariaDB 10.11.11 does not know MySQL 8's utf8mb4_0900_", "'#255'"},
     {0}},
    {"9.7.4-2", "10.11.19-MariaDB", 0, 0, {"utf8mb4_0900_", "MariaDB 11.4.5 or later"}, {0}},
    {"8.0.36",
     "11.4.5-MariaDB",
     0,
     0,
     {"creates users with caching_sha2_password"},
     {"utf8mb4_0900_"}},
    {"8.0.36",
     "11.7.2-MariaDB",
     0,
     0,
     {"mysql_native_password replication user"},
     {"utf8mb4_0900_"}},
    {"9.7.4-2", "12.0.2-MariaDB", 0, 0, {"has no mysql_native_password"}, {"utf8mb4_0900_"}},
    /* MySQL 5.7: its binary log and mysql_native_password work everywhere */
    {"5.7.44-log",
     "10.5.25-MariaDB",
     0,
     0,
     {"MySQL 5.7's default"},
     {"utf8mb4_0900_", "plugin_dir"}},
    /* authentication, per source version */
    {"8.4.3", "11.8.3-MariaDB", 0, 0, {"--mysql-native-password=ON", "plugin_dir"}, {0}},
    {"9.7.4-2",
     "11.8.3-MariaDB",
     0,
     0,
     {"MySQL 9.7.4 has no mysql_native_password", "caching_sha2_password.so", "use it by default"},
     {"use a mysql_native_password replication user"}},
    /* ... and TLS as asked and as the target does by default */
    {"9.7.4-2",
     "10.11.19-MariaDB",
     0,
     0,
     {"MariaDB before 11.4 connects without it", "--replication-ssl-mode=required"},
     {"verify its certificate by default"}},
    {"9.7.4-2",
     "10.11.19-MariaDB",
     LOAD_REPL_SSL_REQUIRED,
     0,
     {"TLS, which carries the password."},
     {"before 11.4", "--replication-ssl-mode"}},
    {"9.7.4-2",
     "11.8.3-MariaDB",
     0,
     0,
     {"verify its certificate by default", "--replication-ssl-ca", "ca.pem in its datadir"},
     {0}},
    {"9.7.4-2",
     "11.8.3-MariaDB",
     LOAD_REPL_SSL_VERIFY_CA,
     0,
     {"carries the password."},
     {"by default"}},
    {"9.7.4-2",
     "11.8.3-MariaDB",
     LOAD_REPL_SSL_DISABLED,
     0,
     {"which --replication-ssl-mode=disabled turns off"},
     {0}},
    /* an unknown source version: not refused, both ways advised */
    {NULL, "10.6.5-MariaDB", 0, 0, {"mysql_native_password", "caching_sha2_password.so"}, {0}},
};

static void test_mysql_to_mariadb_versions(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(cross_cases); i++) {
        const struct cross_case *c = &cross_cases[i];
        struct cs_version t = ver(c->target);
        struct load_repl_source src = {"db1.example", 3307,
                                       "repl",        "s3cret",
                                       c->ssl,        c->ssl >= LOAD_REPL_SSL_VERIFY_CA ? CA : NULL,
                                       NULL,          NULL};
        struct fmt_manifest m;
        struct load_repl_plan p;
        struct cs_error err;
        const char *text;
        int r;

        cs_error_clear(&err);
        set_manifest(&m, "mysql", UUID1 ":1-5", "binlog.000003", 157);
        m.server_version = (char *)c->source;
        r = load_repl_plan(&m, &t, 1, &src, 1, &p, &err);
        if ((r != 0) != c->refused)
            fail_msg("cross case %zu (%s -> %s): %s", i, c->source, c->target,
                     r ? err.msg : "accepted");
        text = r ? err.msg : p.note;
        if (r)
            assert_int_equal(err.code, CS_ERR_USAGE);
        else
            assert_string_equal(p.change_stmts[1], "START SLAVE");
        assert_non_null(text);
        for (size_t k = 0; k < N(c->has) && c->has[k]; k++)
            if (!strstr(text, c->has[k]))
                fail_msg("cross case %zu (%s -> %s): lacks \"%s\": %s", i, c->source, c->target,
                         c->has[k], text);
        for (size_t k = 0; k < N(c->lacks) && c->lacks[k]; k++)
            if (strstr(text, c->lacks[k]))
                fail_msg("cross case %zu (%s -> %s): has \"%s\": %s", i, c->source, c->target,
                         c->lacks[k], text);
        load_repl_plan_release(&p);
    }
}

/* ---- --replication-ssl-* ---- */

static void test_ssl_options(void **state)
{
    static const struct {
        const char *mode; /* NULL: no --replication-ssl-mode */
        const char *ca, *cert, *key;
        int ok;
        enum load_repl_ssl want;
        const char *msg_part;
    } cases[] = {
        {NULL, NULL, NULL, NULL, 1, LOAD_REPL_SSL_DEFAULT, NULL},
        {NULL, CA, NULL, NULL, 1, LOAD_REPL_SSL_REQUIRED, NULL},
        {NULL, NULL, CERT, KEY, 1, LOAD_REPL_SSL_REQUIRED, NULL},
        {"disabled", NULL, NULL, NULL, 1, LOAD_REPL_SSL_DISABLED, NULL},
        {"required", NULL, NULL, NULL, 1, LOAD_REPL_SSL_REQUIRED, NULL},
        {"verify-ca", CA, NULL, NULL, 1, LOAD_REPL_SSL_VERIFY_CA, NULL},
        {"verify-identity", CA, CERT, KEY, 1, LOAD_REPL_SSL_VERIFY_IDENTITY, NULL},
        {"disabled", CA, NULL, NULL, 0, 0,
         "--replication-ssl-mode=disabled with --replication-ssl-ca"},
        {"disabled", NULL, NULL, KEY, 0, 0, "with --replication-ssl-key"},
        {"verify-ca", NULL, NULL, NULL, 0, 0, "verify-ca needs --replication-ssl-ca"},
        {"verify-identity", NULL, CERT, KEY, 0, 0, "verify-identity needs --replication-ssl-ca"},
        {NULL, CA, CERT, NULL, 0, 0, "--replication-ssl-cert needs --replication-ssl-key"},
        {"required", NULL, NULL, KEY, 0, 0, "--replication-ssl-key needs --replication-ssl-cert"},
        {"VERIFY_CA", CA, NULL, NULL, 0, 0,
         "expected disabled, required, verify-ca or verify-identity"},
        {"", NULL, NULL, NULL, 0, 0, "--replication-ssl-mode=:"},
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        enum load_repl_ssl mode = LOAD_REPL_SSL_DEFAULT, out = LOAD_REPL_SSL_DISABLED;
        struct cs_error err;
        int r = 0;

        cs_error_clear(&err);
        if (cases[i].mode)
            r = load_repl_ssl_parse(cases[i].mode, &mode, &err);
        if (r == 0)
            r = load_repl_ssl_resolve(mode, cases[i].ca, cases[i].cert, cases[i].key, &out, &err);
        if ((r == 0) != cases[i].ok)
            fail_msg("ssl case %zu: %s", i, r ? err.msg : "accepted");
        if (r == 0) {
            assert_int_equal(out, cases[i].want);
            continue;
        }
        assert_int_equal(err.code, CS_ERR_USAGE);
        if (!strstr(err.msg, cases[i].msg_part))
            fail_msg("ssl case %zu: message lacks \"%s\": %s", i, cases[i].msg_part, err.msg);
    }
    assert_string_equal(load_repl_ssl_name(LOAD_REPL_SSL_VERIFY_IDENTITY), "verify-identity");
}

/* ---- what csload says when the replica cannot connect ---- */

static void test_io_hints(void **state)
{
    static const struct load_repl_source with_ca = {
        "db1.example", 3307, "repl", "s3cret", LOAD_REPL_SSL_VERIFY_IDENTITY, CA, NULL, NULL};
    static const struct {
        unsigned io_errno;
        int ca;
        const char *has, *lacks;
    } cases[] = {
        {2026, 1, "--replication-ssl-ca=" CA, NULL},
        {2026, 1, "host name, for verify-identity", NULL},
        {2026, 0, "does the source have TLS", "--replication-ssl-ca="},
        {2059, 0, "plugin_dir", NULL},
        {2061, 0, "--replication-ssl-mode=required", NULL},
        {1045, 0, "REQUIRE clause", NULL},
        {1045, 0, "without TLS, a MariaDB replica", NULL},
        {1045, 1, "REQUIRE clause", "without TLS"},
        {2003, 0, "can the target reach db1.example:3307", NULL},
        {1236, 0, "take a new dump", NULL},
    };
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        cs_buf_reset(&b);
        cs_buf_puts(&b, "");
        load_replsetup_io_hint(&b, cases[i].io_errno, cases[i].ca ? &with_ca : &default_src);
        if (!strstr(b.data, cases[i].has))
            fail_msg("hint %u: lacks \"%s\": %s", cases[i].io_errno, cases[i].has, b.data);
        if (cases[i].lacks && strstr(b.data, cases[i].lacks))
            fail_msg("hint %u: has \"%s\": %s", cases[i].io_errno, cases[i].lacks, b.data);
    }
    cs_buf_reset(&b);
    cs_buf_puts(&b, "");
    load_replsetup_io_hint(&b, 1593, &default_src); /* no advice: nothing added */
    assert_int_equal(b.len, 0);
    cs_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plans),          cmocka_unit_test(test_for_print_hides_password),
        cmocka_unit_test(test_escaping),       cmocka_unit_test(test_no_password),
        cmocka_unit_test(test_port_unknown),   cmocka_unit_test(test_failures),
        cmocka_unit_test(test_no_host),        cmocka_unit_test(test_release_and_reuse),
        cmocka_unit_test(test_tls_statements), cmocka_unit_test(test_stop_and_status),
        cmocka_unit_test(test_tls_note_mysql), cmocka_unit_test(test_mysql_to_mariadb_versions),
        cmocka_unit_test(test_ssl_options),    cmocka_unit_test(test_io_hints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
