/* A table's chunk list checked as a whole (load/chunkset.h): indices, rows,
 * key columns, and typed bounds tiling the key space -- each kind of
 * problem with its own message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/chunkset.h"

#define MAX_LINES 16

struct capture {
    char lines[MAX_LINES][1024];
    int n;
};

static void capture_fn(void *ctx, enum cs_log_level level, const char *msg)
{
    struct capture *c = ctx;

    if (level == CS_LOG_ERROR && c->n < MAX_LINES)
        snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s", msg);
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);

    assert_non_null(d);
    return d;
}

static struct fmt_bound *int_bound(const char *v, int closed)
{
    struct fmt_bound *b = fmt_bound_new(1, closed);
    const char *why;

    assert_non_null(b);
    assert_int_equal(fmt_key_value_set(&b->v[0], FMT_KEY_INTEGER, NULL, v, strlen(v), &why), 0);
    return b;
}

/* Table db.t keyed on id with chunks at the NB integer boundaries
 * [open, b0) [b0, b1) ... [b_last, open), 10 rows each. */
static struct fmt_manifest *tiled(const char *const *b, size_t nb)
{
    struct fmt_manifest *m = fmt_manifest_new();
    struct fmt_table *t = fmt_manifest_add_table(m);

    t->schema = xstrdup("db");
    t->name = xstrdup("t");
    t->columns = calloc(2, sizeof(*t->columns));
    assert_non_null(t->columns);
    t->columns[0].name = xstrdup("id");
    t->columns[1].name = xstrdup("v");
    t->ncolumns = 2;
    t->key = calloc(1, sizeof(char *));
    assert_non_null(t->key);
    t->key[0] = xstrdup("id");
    t->nkey = 1;
    for (size_t k = 0; k <= nb; k++) {
        struct fmt_chunk *c = fmt_table_add_chunk(t);
        char name[32];
        snprintf(name, sizeof(name), "db.t.%05zu.tsv", k);
        c->file = xstrdup(name);
        c->index = (uint32_t)k;
        c->rows = 10;
        c->lo = k ? int_bound(b[k - 1], 1) : NULL;
        c->hi = k < nb ? int_bound(b[k], 0) : NULL;
        t->rows += 10;
    }
    return m;
}

/* M's problems: exactly one, holding NEEDLE. */
static void expect_one(struct fmt_manifest *m, const char *needle)
{
    struct capture cap = {.n = 0};
    struct cs_log log = {capture_fn, &cap, CS_LOG_DEBUG};
    struct cs_error err;
    int n = load_chunkset_check(m, "DUMP", &log);

    for (int i = 0; i < cap.n; i++)
        print_message("  logged: %s\n", cap.lines[i]);
    assert_int_equal(n, 1);
    assert_non_null(strstr(cap.lines[0], needle));
    assert_non_null(strstr(cap.lines[0], "DUMP: table db.t: "));
    cap.n = 0;
    assert_int_equal(load_chunkset_require(m, "DUMP", &log, &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    fmt_manifest_free(m);
}

static void test_whole(void **state)
{
    static const char *const b[] = {"10", "20", "30"};
    struct fmt_manifest *m = tiled(b, 3);
    struct capture cap = {.n = 0};
    struct cs_log log = {capture_fn, &cap, CS_LOG_DEBUG};
    struct cs_error err;

    (void)state;
    assert_int_equal(load_chunkset_check(m, "DUMP", &log), 0);
    assert_int_equal(load_chunkset_require(m, "DUMP", &log, &err), 0);
    assert_int_equal(cap.n, 0);
    fmt_manifest_free(m);
    m = tiled(NULL, 0); /* one chunk, open both ways */
    assert_int_equal(load_chunkset_check(m, "DUMP", &log), 0);
    fmt_manifest_free(m);
}

static void test_gap_overlap_swapped(void **state)
{
    static const char *const b[] = {"10", "20", "30"};
    struct fmt_manifest *m;

    (void)state;
    m = tiled(b, 3); /* chunk 2 starts at 25: 20..24 in no chunk */
    fmt_bound_free(m->tables[0].chunks[2].lo);
    m->tables[0].chunks[2].lo = int_bound("25", 1);
    expect_one(m, "chunk 2 (db.t.00002.tsv) after chunk 1 (db.t.00001.tsv): a gap: it starts "
                  "above where the previous one ends");
    m = tiled(b, 3); /* chunk 2 starts at 15: 15..19 in two chunks */
    fmt_bound_free(m->tables[0].chunks[2].lo);
    m->tables[0].chunks[2].lo = int_bound("15", 1);
    expect_one(m, "an overlap: it starts below where the previous one ends");
    m = tiled(b, 3); /* chunk 1 is [20, 10) */
    {
        struct fmt_chunk *c = &m->tables[0].chunks[1];
        struct fmt_bound *x = c->lo;
        c->lo = c->hi;
        c->hi = x;
        c->lo->closed = 1;
        c->hi->closed = 0;
    }
    expect_one(m, "chunk 1 (db.t.00001.tsv): swapped bounds, its lower bound is not below its "
                  "upper bound");
    m = tiled(b, 3); /* the boundary row 20 in both: the upper bound closed too */
    m->tables[0].chunks[1].hi->closed = 1;
    expect_one(m, "an overlap: the boundary row is in both");
    m = tiled(b, 3); /* the boundary row 20 in neither */
    m->tables[0].chunks[2].lo->closed = 0;
    expect_one(m, "a gap: the boundary row is in neither");
}

static void test_ends_and_counts(void **state)
{
    static const char *const b[] = {"10", "20"};
    struct fmt_manifest *m;
    const char *why;

    (void)state;
    m = tiled(b, 2);
    m->tables[0].chunks[0].lo = int_bound("0", 1);
    expect_one(m, "chunk 0 (db.t.00000.tsv) is not open below");
    m = tiled(b, 2);
    m->tables[0].chunks[2].hi = int_bound("99", 0);
    expect_one(m, "chunk 2 (db.t.00002.tsv) is not open above");
    m = tiled(b, 2);
    fmt_bound_free(m->tables[0].chunks[1].hi);
    m->tables[0].chunks[1].hi = NULL;
    expect_one(m, "a bound open in the middle of the key space");
    m = tiled(b, 2); /* two values for a one-column key */
    fmt_bound_free(m->tables[0].chunks[1].hi);
    m->tables[0].chunks[1].hi = fmt_bound_new(2, 0);
    fmt_key_value_set(&m->tables[0].chunks[1].hi->v[0], FMT_KEY_INTEGER, NULL, "20", 2, &why);
    fmt_key_value_set(&m->tables[0].chunks[1].hi->v[1], FMT_KEY_INTEGER, NULL, "1", 1, &why);
    expect_one(m, "its upper bound has 2 values, the key 1 columns");
    m = tiled(b, 2); /* a string bound after an integer one: order unknowable */
    fmt_bound_free(m->tables[0].chunks[1].lo);
    m->tables[0].chunks[1].lo = fmt_bound_new(1, 1);
    fmt_key_value_set(&m->tables[0].chunks[1].lo->v[0], FMT_KEY_STRING, "latin1", "10", 2, &why);
    expect_one(m, "a gap or an overlap: it does not start where the previous one ends");
}

static void test_indices_rows_key(void **state)
{
    static const char *const b[] = {"10"};
    struct fmt_manifest *m;

    (void)state;
    m = tiled(b, 1);
    m->tables[0].chunks[1].index = 0;
    expect_one(m, "its chunk indices are not 0 to 1 each once");
    m = tiled(b, 1);
    m->tables[0].rows = 7;
    expect_one(m, "its chunks hold 20 rows, the table 7");
    m = tiled(b, 1);
    free(m->tables[0].key[0]);
    m->tables[0].key[0] = xstrdup("nope");
    expect_one(m, "its key column nope is not one of its columns");
    m = tiled(b, 1); /* no key, yet bounds */
    free(m->tables[0].key[0]);
    m->tables[0].nkey = 0;
    expect_one(m, "it has no key, yet its chunks have key ranges");
    m = tiled(NULL, 0); /* a keyed table's second chunk without bounds: rows twice */
    {
        struct fmt_chunk *c = fmt_table_add_chunk(&m->tables[0]);
        c->file = xstrdup("db.t.00001.tsv");
        c->index = 1;
        m->tables[0].rows += 0;
    }
    expect_one(m, "a bound open in the middle of the key space (an overlap)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole),
        cmocka_unit_test(test_gap_overlap_swapped),
        cmocka_unit_test(test_ends_and_counts),
        cmocka_unit_test(test_indices_rows_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
