/* test_fake_conn.c - the scripted server (fake_conn.h) through common/conn.h:
 * what the other unit tests rely on it to do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/conn.h"
#include "fake_conn.h"

static void open_ok(struct cs_conn *c, const struct cs_conn_config *cfg, const char *label)
{
    struct cs_error err;

    cs_error_clear(&err);
    assert_int_equal(cs_conn_open(c, cfg, label, &err), 0);
    assert_true(cs_conn_is_open(c));
}

static void test_like(void **state)
{
    (void)state;
    assert_true(fake_like("abc", "abc"));
    assert_false(fake_like("abc", "abcd"));
    assert_true(fake_like("SELECT *", "SELECT 1"));
    assert_true(fake_like("*FROM t*", "SELECT a FROM t WHERE x"));
    assert_true(fake_like("a*b*c", "aXXbYYc"));
    assert_false(fake_like("a*b*c", "aXXbYY"));
    assert_true(fake_like("*", ""));
    assert_true(fake_like("a**", "a"));
    assert_false(fake_like("", "a"));
}

static void test_answers(void **state)
{
    struct fake_server *fs = fake_server_new();
    struct fake_script *s = fake_script_new(fs, NULL);
    struct cs_conn_config cfg = {0};
    struct cs_conn c;
    struct cs_result *res = NULL;
    struct cs_error err;
    struct fake_step *st;
    char **row, *v = NULL;

    (void)state;
    fake_server_config(fs, &cfg);
    fake_ok(fake_expect(s, "DELETE FROM t"), 7, 2);
    st = fake_expect_prefix(s, "SELECT a, b");
    fake_columns(st, 2, "a", "b");
    fake_row(st, "1", NULL);
    fake_row(st, "2", "two");
    fake_error(fake_expect_like(s, "UPDATE * SET *"), 1205, "HY000", "Lock wait timeout exceeded");
    fake_columns(fake_times(fake_expect(s, "SELECT @@x"), FAKE_ALWAYS), 1, "@@x");
    open_ok(&c, &cfg, "main");
    assert_int_equal(c.thread_id, 101);
    cs_error_clear(&err);

    assert_int_equal(cs_conn_exec(&c, "DELETE FROM t", &err), 0);
    assert_int_equal(c.affected, 7);
    assert_int_equal(c.warnings, 2);

    assert_int_equal(cs_conn_query(&c, "SELECT a, b FROM t", &res, &err), 0);
    assert_int_equal(cs_result_fields(res), 2);
    assert_string_equal(cs_result_field_name(res, 1), "b");
    assert_null(cs_result_field_name(res, 2));
    assert_int_equal(cs_result_rows(res), 2);
    row = cs_result_row(res);
    assert_string_equal(row[0], "1");
    assert_null(row[1]);
    row = cs_result_row(res);
    assert_string_equal(row[1], "two");
    assert_int_equal(cs_result_lengths(res)[1], 3);
    assert_null(cs_result_row(res));
    cs_result_free(res);

    assert_int_equal(cs_conn_exec(&c, "UPDATE t SET a = 1", &err), -1);
    assert_int_equal(err.code, CS_ERR_SERVER);
    assert_int_equal(err.server_errno, 1205);
    assert_string_equal(err.sqlstate, "HY000");
    assert_non_null(strstr(err.msg, "main @ "));
    assert_non_null(strstr(err.msg, "Lock wait timeout exceeded"));

    /* an empty result, any number of times */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cs_conn_query_value(&c, "SELECT @@x", &v, &err), 0);
        assert_null(v);
    }
    /* used up: the step answers once */
    cs_error_clear(&err);
    assert_int_equal(cs_conn_exec(&c, "DELETE FROM t", &err), 0);
    assert_int_equal(c.affected, 0);
    assert_int_equal(cs_conn_query(&c, "SELECT a, b FROM t", &res, &err), -1);
    assert_null(res);
    assert_int_equal(err.server_errno, 1105);
    assert_int_equal(fake_unanswered(fs), 2);
    assert_int_equal(fake_unused(fs), 0);

    cs_conn_close(&c);
    assert_int_equal(fake_open_conns(fs), 0);
    {
        char *sql = fake_log_sql(fs, "main");
        assert_string_equal(sql, "DELETE FROM t\nSELECT a, b FROM t\nUPDATE t SET a = 1\n"
                                 "SELECT @@x\nSELECT @@x\nSELECT @@x\nDELETE FROM t\n"
                                 "SELECT a, b FROM t");
        free(sql);
    }
    assert_int_equal(fake_log_find(fs, 0, NULL, "(open)"), 0);
    assert_int_equal(fake_log_find(fs, 0, "main", "(close)"), (long)fake_log_count(fs) - 1);
    assert_false(fake_log_at(fs, fake_log_count(fs) - 2).answered);
    assert_null(fake_log_at(fs, fake_log_count(fs)).label);
    fake_server_free(fs);
}

static void test_strict(void **state)
{
    struct fake_server *fs = fake_server_new();
    struct cs_conn_config cfg = {0};
    struct cs_conn c;
    struct cs_error err;

    (void)state;
    fake_server_config(fs, &cfg);
    open_ok(&c, &cfg, "x");
    cs_error_clear(&err);
    assert_int_equal(cs_conn_exec(&c, "SET a=1", &err), 0);
    fake_server_strict(fs, 1);
    assert_int_equal(cs_conn_exec(&c, "SET a=1", &err), -1);
    assert_int_equal(err.server_errno, 1105);
    /* a statement answered by no result set, read as a query */
    fake_expect(fake_server_any(fs), "SET b=2");
    {
        struct cs_result *res = NULL;
        assert_int_equal(cs_conn_query(&c, "SET b=2", &res, &err), -1);
        assert_int_equal(err.code, CS_ERR_SERVER);
    }
    cs_conn_close(&c);
    fake_server_free(fs);
}

static void test_lost(void **state)
{
    struct fake_server *fs = fake_server_new();
    struct fake_script *s = fake_script_new(fs, NULL);
    struct cs_conn_config cfg = {0};
    struct cs_conn c;
    struct cs_result *res = NULL;
    struct cs_error err;
    struct fake_step *st;
    char **row;
    unsigned long *lens;
    int n = 0, r;

    (void)state;
    fake_server_config(fs, &cfg);
    st = fake_times(fake_expect(s, "SELECT n FROM t"), 3);
    fake_columns(st, 1, "n");
    for (int i = 0; i < 5; i++) {
        char v[8];
        snprintf(v, sizeof(v), "%d", i);
        fake_row(st, v);
    }
    fake_lost_at_row(st, 3);
    open_ok(&c, &cfg, "w");
    cs_error_clear(&err);

    /* streamed: 3 rows, then the loss (an error, never the end) */
    assert_int_equal(cs_conn_query_stream(&c, "SELECT n FROM t", &res, &err), 0);
    while ((r = cs_result_next(res, &row, &lens, &err)) == 1)
        n++;
    assert_int_equal(r, -1);
    assert_int_equal(n, 3);
    assert_int_equal(err.code, CS_ERR_CONN_LOST);
    assert_int_equal(err.server_errno, 2013);
    cs_result_free(res);
    /* the connection is gone now */
    assert_int_equal(cs_conn_exec(&c, "SELECT 1", &err), -1);
    assert_int_equal(err.code, CS_ERR_CONN_LOST);
    assert_int_equal(err.server_errno, 2006);
    cs_conn_close(&c);

    /* buffered: the loss comes with the statement; a later connection
     * takes the next script */
    s = fake_script_new(fs, NULL);
    fake_lost_at_row(fake_row(fake_columns(fake_expect(s, "SELECT n FROM t"), 1, "n"), "0"), 1);
    s = fake_script_new(fs, NULL);
    fake_lost(fake_expect(s, "COMMIT"));
    fake_expect(s, "SELECT n FROM t"); /* unused: scripted after the loss */
    open_ok(&c, &cfg, "w");
    assert_int_equal(cs_conn_query(&c, "SELECT n FROM t", &res, &err), -1);
    assert_null(res);
    assert_int_equal(err.code, CS_ERR_CONN_LOST);
    cs_conn_close(&c);
    open_ok(&c, &cfg, "w");
    assert_int_equal(cs_conn_exec(&c, "COMMIT", &err), -1);
    assert_int_equal(err.code, CS_ERR_CONN_LOST);
    assert_int_equal(err.server_errno, 2013);
    assert_int_equal(cs_conn_exec(&c, "SELECT n FROM t", &err), -1);
    assert_int_equal(err.server_errno, 2006);
    cs_conn_close(&c);
    assert_int_equal(fake_unused(fs), 2); /* steps: the first SELECT (1 of 3), the last one */
    fake_server_free(fs);
}

static void test_scripts_by_label(void **state)
{
    struct fake_server *fs = fake_server_new();
    struct cs_conn_config cfg = {0};
    struct fake_script *snap = fake_script_shared(fs, "snapshot");
    struct fake_script *b1 = fake_script_new(fs, "barrier");
    struct fake_script *b2 = fake_script_new(fs, "barrier");
    struct fake_script *anon = fake_script_new(fs, NULL);
    struct fake_script *bad = fake_script_new(fs, NULL);
    struct cs_conn c[5];
    struct cs_error err;
    char *v = NULL;

    (void)state;
    fake_server_config(fs, &cfg);
    fake_row(fake_columns(fake_times(fake_expect(snap, "SELECT 1"), 3), 1, "x"), "s");
    fake_row(fake_columns(fake_expect(b1, "SELECT 1"), 1, "x"), "b1");
    fake_row(fake_columns(fake_expect(b2, "SELECT 1"), 1, "x"), "b2");
    fake_row(fake_columns(fake_expect(anon, "SELECT 1"), 1, "x"), "anon");
    fake_script_open_error(bad, 1045, "Access denied for user 'u'@'h'");
    fake_script_thread_id(b2, 4242);
    fake_row(
        fake_columns(fake_times(fake_expect(fake_server_any(fs), "SELECT 1"), FAKE_ALWAYS), 1, "x"),
        "any");

    open_ok(&c[0], &cfg, "snapshot 1");
    open_ok(&c[1], &cfg, "snapshot 2");
    open_ok(&c[2], &cfg, "barrier");
    open_ok(&c[3], &cfg, "barrier");
    open_ok(&c[4], &cfg, "worker 1");
    assert_int_equal(c[3].thread_id, 4242);
    cs_error_clear(&err);
    {
        struct cs_conn d;
        assert_int_equal(cs_conn_open(&d, &cfg, "worker 2", &err), -1);
        assert_false(cs_conn_is_open(&d));
        /* never connected: not a lost connection to retry elsewhere */
        assert_int_equal(err.code, CS_ERR_SERVER);
        assert_int_equal(err.server_errno, 1045);
        assert_non_null(strstr(err.msg, "worker 2 @ "));
        assert_non_null(strstr(err.msg, "Access denied"));
    }
    assert_int_equal(cs_conn_query_value(&c[2], "SELECT 1", &v, &err), 0);
    assert_string_equal(v, "b1");
    free(v);
    assert_int_equal(cs_conn_query_value(&c[3], "SELECT 1", &v, &err), 0);
    assert_string_equal(v, "b2");
    free(v);
    assert_int_equal(cs_conn_query_value(&c[4], "SELECT 1", &v, &err), 0);
    assert_string_equal(v, "anon");
    free(v);
    assert_int_equal(cs_conn_query_value(&c[4], "SELECT 1", &v, &err), 0);
    assert_string_equal(v, "any"); /* its own script used up */
    free(v);
    /* the shared script's step counts its uses over both snapshot
     * connections: 3 in all, then the server-wide answer */
    for (int i = 0; i < 4; i++) {
        assert_int_equal(cs_conn_query_value(&c[i % 2], "SELECT 1", &v, &err), 0);
        assert_string_equal(v, i < 3 ? "s" : "any");
        free(v);
    }
    assert_int_equal(fake_open_conns(fs), 5);
    for (int i = 0; i < 5; i++)
        cs_conn_close(&c[i]);
    assert_int_equal(fake_log_matches(fs, "snapshot", "SELECT 1"), 4);
    assert_int_equal(fake_log_matches(fs, "worker", "(open failed)"), 1);
    assert_int_equal(fake_log_matches(fs, NULL, "(close)"), 5);
    assert_int_equal(fake_unanswered(fs), 0);
    fake_server_free(fs);
}

static int test_init(void **ptr, const char *name, void *userdata)
{
    *ptr = userdata;
    return strcmp(name, "chunk") != 0;
}

static int test_read(void *ptr, char *buf, unsigned int len)
{
    int *left = ptr;
    unsigned n = *left < 0 ? 0 : (unsigned)*left;

    if (*left < 0)
        return -1;
    if (n > len)
        n = len;
    memset(buf, '\n', n);
    *left -= (int)n;
    return (int)n;
}

static void test_end(void *ptr)
{
    *(int *)ptr = -100;
}

static int test_error(void *ptr, char *msg, unsigned int len)
{
    (void)ptr;
    snprintf(msg, len, "refused");
    return 2068;
}

static void test_infile(void **state)
{
    static const struct cs_infile_fns fns = {test_init, test_read, test_end, test_error};
    struct fake_server *fs = fake_server_new();
    struct cs_conn_config cfg = {0};
    struct cs_conn c;
    struct cs_error err;
    int left = 5000;

    (void)state;
    fake_server_config(fs, &cfg);
    fake_infile(fake_times(fake_expect_prefix(fake_server_any(fs), "LOAD DATA"), FAKE_ALWAYS));
    open_ok(&c, &cfg, "w");
    cs_error_clear(&err);
    /* no handler: refused like a server without local_infile */
    assert_int_equal(cs_conn_exec(&c, "LOAD DATA LOCAL INFILE 'chunk' INTO TABLE t", &err), -1);
    assert_int_equal(err.server_errno, 1148);
    cs_conn_set_infile(&c, &fns, &left);
    assert_int_equal(cs_conn_exec(&c, "LOAD DATA LOCAL INFILE 'chunk' INTO TABLE t", &err), 0);
    assert_int_equal(c.affected, 5000);
    assert_int_equal(left, -100); /* end() was called */
    assert_int_equal(cs_conn_exec(&c, "LOAD DATA LOCAL INFILE 'other' INTO TABLE t", &err), -1);
    assert_int_equal(err.server_errno, 2068);
    assert_non_null(strstr(err.msg, "refused"));
    cs_conn_close(&c);
    fake_server_free(fs);
}

/* ---- threads ----------------------------------------------------------- */

struct thread_arg {
    const struct cs_conn_config *cfg;
    int id;
    int ok;
};

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    struct cs_conn c;
    struct cs_error err;
    char label[32], *v = NULL;

    snprintf(label, sizeof(label), "worker %d", a->id);
    cs_error_clear(&err);
    if (cs_conn_open(&c, a->cfg, label, &err) < 0)
        return NULL;
    a->ok = 1;
    for (int i = 0; i < 200; i++) {
        a->ok &= cs_conn_exec(&c, "SET x=1", &err) == 0;
        a->ok &= cs_conn_query_value(&c, "SELECT id", &v, &err) == 0 && v && !strcmp(v, "7");
        free(v);
    }
    cs_conn_close(&c);
    return NULL;
}

static void test_threads(void **state)
{
    struct fake_server *fs = fake_server_new();
    struct cs_conn_config cfg = {0};
    struct thread_arg a[4];
    pthread_t t[4];
    struct fake_step *st;

    (void)state;
    fake_server_config(fs, &cfg);
    st = fake_times(fake_expect(fake_server_any(fs), "SELECT id"), FAKE_ALWAYS);
    fake_row(fake_columns(st, 1, "id"), "7");
    fake_times(fake_expect(fake_server_any(fs), "SET x=1"), 800);
    for (int i = 0; i < 4; i++) {
        a[i] = (struct thread_arg){&cfg, i + 1, 0};
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, &a[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_true(a[i].ok);
    }
    assert_int_equal(fake_log_count(fs), 4 * (2 + 400));
    assert_int_equal(fake_log_matches(fs, "worker 3", "SET x=1"), 200);
    assert_int_equal(fake_unanswered(fs), 0);
    assert_int_equal(fake_unused(fs), 0); /* exactly 800 SETs */
    fake_server_free(fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_like),
        cmocka_unit_test(test_answers),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_lost),
        cmocka_unit_test(test_scripts_by_label),
        cmocka_unit_test(test_infile),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
