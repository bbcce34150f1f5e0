/* The error type: messages, prefixes, severity, and the retry rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/error.h"

static void test_retryable(void **state)
{
    struct cs_error e;

    (void)state;
    cs_error_clear(&e);
    assert_false(cs_error_retryable(&e));
    cs_error_set(&e, CS_ERR_CONN_LOST, "worker 2: lost");
    assert_int_equal(e.severity, CS_SEV_FAILED);
    assert_true(cs_error_retryable(&e));
    /* a lost connection that compromised the output is not redone */
    cs_error_prefix(&e, "3 file(s) already streamed");
    cs_error_escalate(&e, CS_SEV_FATAL);
    assert_false(cs_error_retryable(&e));
    assert_int_equal(e.code, CS_ERR_CONN_LOST);
    assert_non_null(strstr(e.msg, "3 file(s) already streamed: worker 2: lost"));
    /* escalate never lowers */
    cs_error_escalate(&e, CS_SEV_WARNING);
    assert_int_equal(e.severity, CS_SEV_FATAL);
    cs_error_clear(&e);
    cs_error_set(&e, CS_ERR_SERVER, "deadlock");
    assert_false(cs_error_retryable(&e));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_retryable)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
