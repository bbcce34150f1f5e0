/* cs_buf: growth, and a failed buffer that holds nothing (so a half-built
 * statement can never be sent: common/conn.c refuses a NULL statement). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"

static void test_grow_and_fail(void **state)
{
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    cs_buf_puts(&b, "SELECT ");
    for (int i = 0; i < 1000; i++)
        cs_buf_printf(&b, "%d,", i);
    assert_false(cs_buf_failed(&b));
    assert_int_equal(b.data[b.len], '\0');
    assert_non_null(strstr(b.data, "SELECT 0,1,2,"));
    /* an impossible reservation fails the buffer and drops its content */
    assert_int_equal(cs_buf_reserve(&b, SIZE_MAX - 2), -1);
    assert_true(cs_buf_failed(&b));
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    cs_buf_puts(&b, " FROM t"); /* sticky: later appends do nothing */
    cs_buf_putc(&b, 'x');
    assert_null(b.data);
    assert_null(cs_buf_detach(&b));
    cs_buf_reset(&b); /* reset clears the failure */
    cs_buf_puts(&b, "ok");
    assert_string_equal(b.data, "ok");
    cs_buf_release(&b);
}

/* A buffer nothing was appended to detaches as "" (it was an unterminated
 * allocation: a MariaDB snapshot proof without a binlog position). */
static void test_detach_empty(void **state)
{
    struct cs_buf b = CS_BUF_INIT;
    char *p;

    (void)state;
    for (int i = 0; i < 16; i++) {
        char *junk = malloc(64);
        assert_non_null(junk);
        memset(junk, 'x', 64); /* make reuse of dirty memory likely */
        free(junk);
        p = cs_buf_detach(&b);
        assert_non_null(p);
        assert_string_equal(p, "");
        assert_null(b.data);
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_grow_and_fail),
                                       cmocka_unit_test(test_detach_empty)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
