/* The chunk SELECT both tools build (format/chunksel.h): column expressions
 * by kind, the range, the key order; the same text for the same chunk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "format/chunksel.h"

static void test_select(void **state)
{
    const struct fmt_sel_col cols[] = {{"id", FMT_COL_NUMBER}, {"f", FMT_COL_FLOAT},
                                       {"we`ird", FMT_COL_STRING}};
    const char *key[] = {"id"};
    struct cs_buf a = CS_BUF_INIT, b = CS_BUF_INIT;

    (void)state;
    fmt_chunk_select(&a, cols, 3, "odd db", "t", "(`id` >= 5)", key, 1);
    assert_false(cs_buf_failed(&a));
    assert_non_null(strstr(a.data, "SELECT `id`, "));
    assert_non_null(strstr(a.data, "`we``ird` FROM `odd db`.`t` WHERE (`id` >= 5) ORDER BY `id`"));
    /* FLOAT is read exactly (coltype.h), not as its display text */
    assert_null(strstr(a.data, ", `f`, "));
    /* the verifier's statement for the same chunk: the same, without ORDER BY */
    fmt_chunk_select(&b, cols, 3, "odd db", "t", "(`id` >= 5)", NULL, 0);
    assert_int_equal(strncmp(a.data, b.data, b.len), 0);
    assert_null(strstr(b.data, "ORDER BY"));
    cs_buf_reset(&b);
    fmt_chunk_select(&b, NULL, 0, "s", "t", NULL, NULL, 0);
    assert_string_equal(b.data, "SELECT 1 FROM `s`.`t`");
    cs_buf_release(&a);
    cs_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_select)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
