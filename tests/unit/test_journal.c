/* Resume decisions: what a load does with each table/object and chunk,
 * given what exists on the target and what the journal says is done. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/chunk.h"
#include "load/journal.h"
#include "load/schema.h"

static void test_decide_table_absent(void **state)
{
    unsigned char a = 99;
    (void)state;
    for (int mode = 0; mode < 3; mode++) {
        assert_int_equal(load_schema_decide(0, 0, 1, (enum load_if_exists)mode, &a), 0);
        assert_int_equal(a, LOAD_ACT_CREATE);
        assert_int_equal(load_schema_decide(0, 0, 0, (enum load_if_exists)mode, &a), 0);
        assert_int_equal(a, LOAD_ACT_CREATE);
    }
}

static void test_decide_first_run_conflicts(void **state)
{
    unsigned char a;
    (void)state;
    assert_int_equal(load_schema_decide(1, 0, 1, LOAD_IF_EXISTS_FAIL, &a), 1);
    assert_int_equal(load_schema_decide(1, 0, 1, LOAD_IF_EXISTS_SKIP, &a), 0);
    assert_int_equal(a, LOAD_ACT_SKIP);
    assert_int_equal(load_schema_decide(1, 0, 1, LOAD_IF_EXISTS_REPLACE, &a), 0);
    assert_int_equal(a, LOAD_ACT_REPLACE);
}

static void test_decide_resume(void **state)
{
    unsigned char a;
    (void)state;
    /* created and journaled by the interrupted run: keep it, whatever the mode */
    for (int mode = 0; mode < 3; mode++) {
        assert_int_equal(load_schema_decide(1, 1, 0, (enum load_if_exists)mode, &a), 0);
        assert_int_equal(a, LOAD_ACT_CREATE);
    }
    /* exists but its journal row is missing (killed between CREATE and the
     * row): ours, from the interrupted run -- replaced, never a conflict */
    assert_int_equal(load_schema_decide(1, 0, 0, LOAD_IF_EXISTS_FAIL, &a), 0);
    assert_int_equal(a, LOAD_ACT_REPLACE);
}

static void test_journal_membership(void **state)
{
    char *items[] = {strdup("chunk:a.t.00000.000.tsv.zst"), strdup("chunk:a.t.00001.000.tsv.zst"),
                     strdup("index:a.t"), strdup("load:started")};
    struct load_journal j = {"0123456789abcdef0123456789abcdef", items, 4};
    struct fmt_chunk c = {0};
    struct cs_buf b = CS_BUF_INIT;
    (void)state;

    c.file = "a.t.00001.000.tsv.zst";
    load_chunk_item(&b, &c);
    assert_true(load_journal_has(&j, b.data));
    cs_buf_reset(&b);
    c.file = "a.t.00002.000.tsv.zst";
    load_chunk_item(&b, &c);
    assert_false(load_journal_has(&j, b.data));
    assert_true(load_journal_has(&j, "load:started"));
    assert_false(load_journal_has(&j, "load:done"));
    assert_false(load_journal_has(&j, "index:a.t2"));
    cs_buf_reset(&b);
    load_journal_item(&b, "index", "a", "t");
    assert_true(load_journal_has(&j, b.data));
    cs_buf_release(&b);
    for (int i = 0; i < 4; i++)
        free(items[i]);
}

static void test_journal_insert_sql(void **state)
{
    struct cs_buf b = CS_BUF_INIT;
    (void)state;
    load_journal_insert_sql(&b, "abc", "chunk:o'd\\d.t.00000.000.tsv", 42, "00ff00ff00ff00ff");
    assert_string_equal(b.data, "INSERT INTO `__csload`.`journal` (dump_id, item, rows_loaded, "
                                "checksum) VALUES ('abc','chunk:o\\'d\\\\d.t.00000.000.tsv',42,"
                                "'00ff00ff00ff00ff')");
    cs_buf_release(&b);
}

static void test_journal_note_sql(void **state)
{
    struct cs_buf b = CS_BUF_INIT;
    (void)state;
    load_journal_note_sql(&b, "abc", "compat:table:fx.t:1", "column `p`: 'x' -> y");
    assert_string_equal(b.data, "INSERT INTO `__csload`.`journal` (dump_id, item, detail) VALUES "
                                "('abc','compat:table:fx.t:1',_utf8mb4'column `p`: \\'x\\' -> "
                                "y') ON DUPLICATE KEY UPDATE done_at = done_at");
    cs_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decide_table_absent),
        cmocka_unit_test(test_decide_first_run_conflicts),
        cmocka_unit_test(test_decide_resume),
        cmocka_unit_test(test_journal_membership),
        cmocka_unit_test(test_journal_insert_sql),
        cmocka_unit_test(test_journal_note_sql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
