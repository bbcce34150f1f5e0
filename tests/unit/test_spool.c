/* dump/spool.h and format/nameset.h: files held in memory for the archive
 * come back byte for byte, detached once, in segments; a set of names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dump/spool.h"
#include "format/nameset.h"

/* The bytes of F, joined (malloc'd). */
static char *joined(const struct dump_spool_file *f)
{
    char *b = malloc(f->size + 1);
    size_t at = 0;

    assert_non_null(b);
    for (size_t i = 0; i < f->niov; i++) {
        memcpy(b + at, f->iov[i].iov_base, f->iov[i].iov_len);
        at += f->iov[i].iov_len;
    }
    assert_int_equal(at, f->size);
    return b;
}

static void test_written_file_spans_segments(void **state)
{
    struct cs_error err;
    struct dump_output *sp = dump_spool_new(&err);
    size_t len = 2 * DUMP_SPOOL_SEGMENT + 12345;
    char *data = malloc(len), *back;
    struct fmt_sink *s;
    struct dump_spool_file *f;

    (void)state;
    assert_non_null(sp);
    assert_non_null(data);
    for (size_t i = 0; i < len; i++)
        data[i] = (char)(i * 7 + i / 4096);
    s = sp->open(sp, "db.t.00000.000.tsv", &err);
    assert_non_null(s);
    /* odd write sizes, across segment boundaries */
    for (size_t at = 0; at < len;) {
        size_t n = len - at < 70001 ? len - at : 70001;
        assert_int_equal(fmt_sink_write(s, data + at, n, &err), 0);
        at += n;
    }
    /* not there before it is finished */
    assert_null(dump_spool_take(sp, "db.t.00000.000.tsv"));
    assert_int_equal(fmt_sink_finish(s, &err), 0);
    fmt_sink_free(s);
    f = dump_spool_take(sp, "db.t.00000.000.tsv");
    assert_non_null(f);
    assert_int_equal(f->size, len);
    assert_int_equal(f->niov, 3);
    back = joined(f);
    assert_memory_equal(back, data, len);
    /* taken: gone from the spool */
    assert_null(dump_spool_take(sp, "db.t.00000.000.tsv"));
    free(back);
    free(data);
    dump_spool_file_free(f);
    dump_output_free(sp);
}

static void test_put_remove_replace_abandon(void **state)
{
    struct cs_error err;
    struct dump_output *sp = dump_spool_new(&err);
    struct fmt_sink *s;
    struct dump_spool_file *f;
    char *b;

    (void)state;
    assert_int_equal(sp->prepare(sp, &err), 0);
    assert_int_equal(sp->put(sp, "a.sql", "CREATE 1", 8, &err), 0);
    assert_int_equal(sp->put(sp, "a.sql", "CREATE 22", 9, &err), 0); /* replaces, as a rename */
    assert_int_equal(sp->put(sp, "b.sql", "", 0, &err), 0);
    sp->remove(sp, "b.sql");
    assert_null(dump_spool_take(sp, "b.sql"));
    sp->remove(sp, "never.sql"); /* nothing to remove: no harm */
    f = dump_spool_take(sp, "a.sql");
    assert_non_null(f);
    b = joined(f);
    assert_memory_equal(b, "CREATE 22", 9);
    free(b);
    dump_spool_file_free(f);
    /* a sink freed unfinished leaves nothing behind */
    s = sp->open(sp, "c.tsv", &err);
    assert_int_equal(fmt_sink_write(s, "xyz", 3, &err), 0);
    fmt_sink_free(s);
    assert_null(dump_spool_take(sp, "c.tsv"));
    /* what is left goes with the spool */
    assert_int_equal(sp->put(sp, "left.sql", "x", 1, &err), 0);
    dump_output_free(sp);
}

/* Writes LEN bytes of C into the spool as FILE (finished) and takes it. */
static struct dump_spool_file *spool_file(struct dump_output *sp, const char *file, size_t len,
                                          char c)
{
    struct cs_error err;
    char *data = malloc(len);
    struct fmt_sink *s = sp->open(sp, file, &err);

    assert_non_null(data);
    assert_non_null(s);
    memset(data, c, len);
    assert_int_equal(fmt_sink_write(s, data, len, &err), 0);
    assert_int_equal(fmt_sink_finish(s, &err), 0);
    fmt_sink_free(s);
    free(data);
    return dump_spool_take(sp, file);
}

/* A released file's segments serve the next file (the old bytes past the
 * new file's end show it: a new mapping would be zeros), which still holds
 * exactly its own bytes; more than DUMP_SPOOL_IDLE released are no harm. */
static void test_release_reuses_segments(void **state)
{
    struct cs_error err;
    struct dump_output *sp = dump_spool_new(&err);
    struct dump_spool_file *f;
    const char *seg;
    char *b;

    (void)state;
    assert_non_null(sp);
    f = spool_file(sp, "a.tsv", 2 * DUMP_SPOOL_SEGMENT, 'A');
    assert_non_null(f);
    assert_int_equal(f->niov, 2);
    dump_spool_release(sp, f);
    f = spool_file(sp, "b.tsv", 10, 'B');
    assert_non_null(f);
    assert_int_equal(f->size, 10);
    assert_int_equal(f->niov, 1);
    assert_int_equal(f->iov[0].iov_len, 10);
    b = joined(f);
    assert_memory_equal(b, "BBBBBBBBBB", 10);
    free(b);
    seg = f->iov[0].iov_base;
    assert_int_equal(seg[10], 'A');
    assert_int_equal(seg[DUMP_SPOOL_SEGMENT - 1], 'A');
    dump_spool_release(sp, f);
    /* more segments than are kept: the rest unmapped, the next file intact */
    f = spool_file(sp, "c.tsv", (DUMP_SPOOL_IDLE + 3) * DUMP_SPOOL_SEGMENT, 'C');
    assert_int_equal(f->niov, DUMP_SPOOL_IDLE + 3);
    dump_spool_release(sp, f);
    f = spool_file(sp, "d.tsv", (DUMP_SPOOL_IDLE + 1) * DUMP_SPOOL_SEGMENT + 1, 'D');
    assert_int_equal(f->size, (DUMP_SPOOL_IDLE + 1) * DUMP_SPOOL_SEGMENT + 1);
    b = joined(f);
    for (size_t i = 0; i < f->size; i++)
        if (b[i] != 'D')
            fail_msg("byte %zu of d.tsv is %d", i, b[i]);
    free(b);
    dump_spool_release(sp, f);
    dump_spool_release(sp, NULL);
    /* a put() file (not mapped) released like a taken one */
    assert_int_equal(sp->put(sp, "e.sql", "x", 1, &err), 0);
    dump_spool_release(sp, dump_spool_take(sp, "e.sql"));
    dump_output_free(sp); /* the idle segments go with it */
}

static void test_name_set(void **state)
{
    struct fmt_name_set s = FMT_NAME_SET_INIT;
    char name[32];

    (void)state;
    assert_false(fmt_name_set_has(&s, "x"));
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof(name), "db.t.%05d.000.tsv", i);
        assert_int_equal(fmt_name_set_insert(&s, name), 1);
    }
    assert_int_equal(fmt_name_set_insert(&s, "db.t.00042.000.tsv"), 0);
    assert_true(fmt_name_set_has(&s, "db.t.04999.000.tsv"));
    assert_false(fmt_name_set_has(&s, "db.t.05000.000.tsv"));
    assert_int_equal(s.n, 5000);
    fmt_name_set_release(&s);
    assert_false(fmt_name_set_has(&s, "db.t.00042.000.tsv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_file_spans_segments),
        cmocka_unit_test(test_put_remove_replace_abandon),
        cmocka_unit_test(test_release_reuses_segments),
        cmocka_unit_test(test_name_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
