/* Shared loads (load/share.h): the claim statement a chunk's transaction
 * starts with -- its own row, locked, passed over when another loader holds
 * it (SKIP LOCKED) or waited for -- with the item quoted safely. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "load/share.h"

#define ID "0123456789abcdef0123456789abcdef"

static void test_claim_skip(void **state)
{
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    load_share_claim_sql(&b, ID, "chunk:db.t.00000.000.tsv.zst", 1);
    assert_string_equal(b.data, "SELECT 1 FROM `__csload`.`claims` WHERE dump_id = '" ID
                                "' AND item = 'chunk:db.t.00000.000.tsv.zst' FOR UPDATE SKIP "
                                "LOCKED");
    cs_buf_release(&b);
}

static void test_claim_wait_quoted(void **state)
{
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    load_share_claim_sql(&b, ID, "chunk:o'dd\\.t", 0);
    assert_non_null(strstr(b.data, "item = 'chunk:o\\'dd\\\\.t' FOR UPDATE"));
    assert_null(strstr(b.data, "SKIP LOCKED"));
    cs_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claim_skip),
        cmocka_unit_test(test_claim_wait_quoted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
