/* load/infile: the LOAD DATA LOCAL INFILE callbacks, driven without a server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errmsg.h>

#include "load/infile.h"

#define FAIL_MSG "shop.orders.00003.tsv.zst ends inside a frame at 100% of 10 bytes"

/* A source that gives LEN bytes of a pattern, then fails after FAIL_AFTER. */
struct fail_source {
    struct fmt_source base;
    size_t pos;
    size_t fail_after;
    int reads_after_failure;
};

static char pattern(size_t i)
{
    return (char)('a' + i % 26);
}

static ssize_t fail_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct fail_source *f = (struct fail_source *)s;
    size_t n = f->fail_after - f->pos;

    if (n == 0) {
        f->reads_after_failure++;
        return cs_error_set(err, CS_ERR_TRUNCATED, "%s", FAIL_MSG);
    }
    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n; i++)
        ((char *)buf)[i] = pattern(f->pos + i);
    f->pos += n;
    return (ssize_t)n;
}

static void fail_free(struct fmt_source *s)
{
    (void)s; /* on the stack */
}

static struct fail_source fail_source(size_t fail_after)
{
    struct fail_source f = {{fail_read, fail_free}, 0, fail_after, 0};
    return f;
}

static struct fmt_source *memory(const void *data, size_t len)
{
    struct cs_error err = {0};
    struct fmt_source *s = fmt_source_memory_new(data, len, &err);

    assert_non_null(s);
    return s;
}

/* Reads everything with reads of at most STEP bytes (cycling 1..STEP when
 * CYCLE), appending to OUT; returns the last read()'s result. */
static int drain(void *ptr, char *out, size_t cap, size_t *got, unsigned step, int cycle)
{
    char buf[4096];
    unsigned len = step;
    int n;

    *got = 0;
    while ((n = load_infile_read(ptr, buf, len)) > 0) {
        assert_true((unsigned)n <= len);
        assert_true(*got + (size_t)n <= cap);
        memcpy(out + *got, buf, (size_t)n);
        *got += (size_t)n;
        if (cycle)
            len = len % step + 1;
    }
    return n;
}

static void test_full_read(void **state)
{
    static const char data[] = "1\talice\n2\tbob\n3\tcarol\n";
    struct load_infile f = {0};
    struct fmt_source *src = memory(data, sizeof(data) - 1);
    char out[64];
    void *ptr = NULL;
    size_t got;

    (void)state;
    load_infile_arm(&f, src);
    assert_int_equal(f.state, LOAD_INFILE_ARMED);
    assert_int_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, &f), 0);
    assert_ptr_equal(ptr, &f);
    assert_int_equal(f.state, LOAD_INFILE_OPEN);
    assert_int_equal(drain(ptr, out, sizeof(out), &got, 4096, 0), 0);
    assert_int_equal(got, sizeof(data) - 1);
    assert_memory_equal(out, data, got);
    assert_int_equal(f.state, LOAD_INFILE_DONE);
    assert_int_equal(load_infile_read(ptr, out, sizeof(out)), 0); /* stays at the end */
    load_infile_end(ptr);
    assert_int_equal(f.state, LOAD_INFILE_IDLE);
    assert_int_equal(f.bytes, sizeof(data) - 1);
    assert_false(cs_error_is_set(&f.err));
    assert_null(f.src); /* borrowed: handed back, not freed */
    fmt_source_free(src);
}

static void test_tiny_reads(void **state)
{
    enum { N = 10007 };
    char *data = malloc(N), *out = malloc(N);
    struct load_infile f = {0};
    struct fmt_source *src;
    void *ptr = NULL;
    size_t got;

    (void)state;
    assert_non_null(data);
    assert_non_null(out);
    for (size_t i = 0; i < N; i++)
        data[i] = (char)(i * 7 + i / 256);
    src = memory(data, N);
    load_infile_arm(&f, src);
    assert_int_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, &f), 0);
    assert_int_equal(drain(ptr, out, N, &got, 3, 1), 0);
    assert_int_equal(got, N);
    assert_memory_equal(out, data, N);
    assert_int_equal(f.bytes, N);
    load_infile_end(ptr);
    fmt_source_free(src);
    free(data);
    free(out);
}

static void test_failing_source(void **state)
{
    struct fail_source fs = fail_source(10);
    struct load_infile f = {0};
    char out[64], msg[512];
    void *ptr = NULL;
    size_t got;

    (void)state;
    load_infile_arm(&f, &fs.base);
    assert_int_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, &f), 0);
    assert_int_equal(drain(ptr, out, sizeof(out), &got, 4, 0), -1);
    assert_int_equal(got, 10);
    assert_int_equal(f.bytes, 10);
    assert_int_equal(f.state, LOAD_INFILE_FAILED);
    assert_int_equal(f.err.code, CS_ERR_TRUNCATED);
    assert_string_equal(f.err.msg, FAIL_MSG);
    /* failed is sticky: the source is not asked again */
    assert_int_equal(load_infile_read(ptr, out, sizeof(out)), -1);
    assert_int_equal(fs.reads_after_failure, 1);
    assert_int_equal(load_infile_error(ptr, msg, sizeof(msg)), 2000);
#ifdef LIBMARIADB
    /* Connector/C uses the message as a printf format */
    assert_non_null(strstr(msg, "at 100%% of 10 bytes"));
#else
    assert_non_null(strstr(msg, "at 100% of 10 bytes"));
#endif
    assert_non_null(strstr(msg, "shop.orders.00003.tsv.zst ends inside a frame"));
    load_infile_end(ptr);
    assert_int_equal(f.state, LOAD_INFILE_FAILED); /* until the next arm */
    assert_int_equal(f.err.code, CS_ERR_TRUNCATED);
    assert_int_equal(f.bytes, 10);
}

static void test_error_message_bounds(void **state)
{
    struct load_infile f = {0};
    char msg[16];

    (void)state;
    cs_error_set(&f.err, CS_ERR_IO, "abcdefghijklmnopqrstuvwxyz");
    memset(msg, 'X', sizeof(msg));
    assert_int_equal(load_infile_error(&f, msg, 8), CR_UNKNOWN_ERROR);
    assert_string_equal(msg, "abcdefg");
    assert_int_equal(msg[8], 'X'); /* nothing written past len */
    /* a '%' that does not fit whole is left out, not cut in half */
    cs_error_set(&f.err, CS_ERR_IO, "abcdef%%z");
    memset(msg, 'X', sizeof(msg));
    load_infile_error(&f, msg, 8);
#ifdef LIBMARIADB
    assert_string_equal(msg, "abcdef");
#else
    assert_string_equal(msg, "abcdef%");
#endif
    memset(msg, 'X', sizeof(msg));
    load_infile_error(&f, msg, 0);
    assert_int_equal(msg[0], 'X');
    /* no message of our own: a generic one */
    cs_error_clear(&f.err);
    load_infile_error(&f, msg, sizeof(msg));
    assert_true(strlen(msg) == sizeof(msg) - 1);
    assert_memory_equal(msg, "csload: reading", 15);
}

static void test_wrong_filename_refused(void **state)
{
    static const char data[] = "secret\n";
    struct load_infile f = {0};
    struct fmt_source *src = memory(data, sizeof(data) - 1);
    char buf[64], msg[512];
    void *ptr = NULL;

    (void)state;
    load_infile_arm(&f, src);
    assert_int_not_equal(load_infile_init(&ptr, "/etc/passwd", &f), 0);
    assert_ptr_equal(ptr, &f); /* error() still gets our message */
    assert_int_equal(f.state, LOAD_INFILE_FAILED);
    assert_int_equal(f.err.code, CS_ERR_HOSTILE);
    assert_non_null(strstr(f.err.msg, "'/etc/passwd'"));
    assert_int_equal(load_infile_error(ptr, msg, sizeof(msg)), CR_UNKNOWN_ERROR);
    assert_non_null(strstr(msg, "the server asked for file '/etc/passwd'"));
    assert_int_equal(load_infile_read(ptr, buf, sizeof(buf)), -1);
    /* asking again with the right name after a refusal: still refused */
    assert_int_not_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, &f), 0);
    assert_int_equal(f.state, LOAD_INFILE_FAILED);
    assert_int_equal(load_infile_read(ptr, buf, sizeof(buf)), -1);
    assert_int_equal(f.bytes, 0);
    /* the source was never read: it still yields all its bytes */
    assert_int_equal(fmt_source_read(src, buf, sizeof(buf), &f.err), sizeof(data) - 1);
    fmt_source_free(src);

    /* a prefix or suffix of the name is no match either */
    load_infile_arm(&f, NULL);
    src = memory(data, sizeof(data) - 1);
    load_infile_arm(&f, src);
    assert_int_not_equal(load_infile_init(&ptr, LOAD_INFILE_NAME "/../x", &f), 0);
    load_infile_arm(&f, src);
    assert_int_not_equal(load_infile_init(&ptr, "csload-chun", &f), 0);
    load_infile_arm(&f, src);
    assert_int_not_equal(load_infile_init(&ptr, NULL, &f), 0);
    assert_int_equal(f.err.code, CS_ERR_HOSTILE);
    fmt_source_free(src);
}

static void test_hostile_name_is_sanitized(void **state)
{
    char name[600];
    struct load_infile f = {0};
    struct fail_source fs = fail_source(0);
    void *ptr = NULL;

    (void)state;
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    memcpy(name, "a\nb\033[2J", 7);
    load_infile_arm(&f, &fs.base);
    assert_int_not_equal(load_infile_init(&ptr, name, &f), 0);
    assert_non_null(strstr(f.err.msg, "'a?b?[2J"));
    assert_null(strchr(f.err.msg, '\n'));
    assert_null(strchr(f.err.msg, '\033'));
    assert_non_null(strstr(f.err.msg, "...'"));
    assert_true(strlen(f.err.msg) < 300);
}

static void test_unarmed_refused(void **state)
{
    static const char data[] = "x\n";
    struct load_infile f = {0};
    struct fmt_source *src;
    char buf[16];
    void *ptr = NULL;
    size_t got;

    (void)state;
    /* never armed */
    assert_int_not_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, &f), 0);
    assert_int_equal(f.state, LOAD_INFILE_FAILED);
    assert_int_equal(f.err.code, CS_ERR_HOSTILE);
    assert_non_null(strstr(f.err.msg, "no chunk was being loaded"));

    /* armed once, loaded once: a second request is refused */
    src = memory(data, sizeof(data) - 1);
    load_infile_arm(&f, src);
    assert_int_equal(f.state, LOAD_INFILE_ARMED);
    assert_false(cs_error_is_set(&f.err)); /* arm clears the last failure */
    assert_int_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, &f), 0);
    assert_int_equal(drain(ptr, buf, sizeof(buf), &got, 16, 0), 0);
    load_infile_end(ptr);
    assert_int_not_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, &f), 0);
    assert_int_equal(f.state, LOAD_INFILE_FAILED);
    assert_int_equal(f.err.code, CS_ERR_HOSTILE);

    /* arming with NULL disarms */
    load_infile_arm(&f, NULL);
    assert_int_equal(f.state, LOAD_INFILE_IDLE);
    assert_int_not_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, &f), 0);
    fmt_source_free(src);
}

static void test_null_safety(void **state)
{
    char buf[64];
    void *ptr = &ptr;

    (void)state;
    load_infile_end(NULL);
    assert_int_equal(load_infile_read(NULL, buf, sizeof(buf)), -1);
    assert_int_equal(load_infile_error(NULL, buf, sizeof(buf)), CR_UNKNOWN_ERROR);
    assert_memory_equal(buf, "csload: reading", 15);
    assert_int_not_equal(load_infile_init(&ptr, LOAD_INFILE_NAME, NULL), 0);
    assert_null(ptr);
    /* read before init: refused, not a crash */
    {
        struct load_infile f = {0};
        assert_int_equal(load_infile_read(&f, buf, sizeof(buf)), -1);
        assert_int_equal(f.state, LOAD_INFILE_FAILED);
        assert_int_equal(f.err.code, CS_ERR_INTERNAL);
    }
}

#ifdef LIBMARIADB
static void test_attach(void **state)
{
    struct load_infile f = {0};
    MYSQL *mysql = mysql_init(NULL);

    (void)state;
    assert_non_null(mysql);
    load_infile_attach(mysql, &f);
    assert_ptr_equal(mysql->options.local_infile_init, load_infile_init);
    assert_ptr_equal(mysql->options.local_infile_read, load_infile_read);
    assert_ptr_equal(mysql->options.local_infile_end, load_infile_end);
    assert_ptr_equal(mysql->options.local_infile_error, load_infile_error);
    assert_ptr_equal(mysql->options.local_infile_userdata, &f);
    mysql_close(mysql);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_read),
        cmocka_unit_test(test_tiny_reads),
        cmocka_unit_test(test_failing_source),
        cmocka_unit_test(test_error_message_bounds),
        cmocka_unit_test(test_wrong_filename_refused),
        cmocka_unit_test(test_hostile_name_is_sanitized),
        cmocka_unit_test(test_unarmed_refused),
        cmocka_unit_test(test_null_safety),
#ifdef LIBMARIADB
        cmocka_unit_test(test_attach),
#endif
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    cs_conn_library_end();
    return rc;
}
