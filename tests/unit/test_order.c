/* load/order: chunk interleaving and view dependency order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/order.h"

/* ---- chunks ---------------------------------------------------------------- */

/* A manifest with N tables; table t has counts[t] chunks of sizes from SIZES
 * (consumed in order). */
static struct fmt_manifest *manifest(size_t n, const size_t *counts, const uint64_t *sizes)
{
    struct fmt_manifest *m = fmt_manifest_new();

    assert_non_null(m);
    for (size_t t = 0; t < n; t++) {
        struct fmt_table *tab = fmt_manifest_add_table(m);
        char name[32];

        assert_non_null(tab);
        snprintf(name, sizeof(name), "t%zu", t);
        tab->schema = strdup("db");
        tab->name = strdup(name);
    }
    for (size_t t = 0; t < n; t++)
        for (size_t c = 0; c < counts[t]; c++) {
            struct fmt_chunk *ch = fmt_table_add_chunk(&m->tables[t]);

            assert_non_null(ch);
            ch->index = (uint32_t)c;
            ch->raw_bytes = *sizes++;
        }
    return m;
}

static void expect_order(const struct fmt_manifest *m, const size_t (*want)[2], size_t nwant)
{
    struct load_chunk_ref *refs = NULL;
    struct cs_error err = {0};
    size_t n = 0;

    assert_int_equal(load_order_chunks(m, &refs, &n, &err), 0);
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(refs[i].table, want[i][0]);
        assert_int_equal(refs[i].chunk, want[i][1]);
    }
    free(refs);
}

static void test_largest_first(void **state)
{
    /* t0: 300 in three chunks, t1: one chunk of 1000, t2: 200 in two */
    static const size_t counts[] = {3, 1, 2};
    static const uint64_t sizes[] = {100, 100, 100, 1000, 100, 100};
    /* ties go to the lower table index */
    static const size_t want[][2] = {{1, 0}, {0, 0}, {0, 1}, {2, 0}, {0, 2}, {2, 1}};
    struct fmt_manifest *m = manifest(3, counts, sizes);

    (void)state;
    expect_order(m, want, 6);
    fmt_manifest_free(m);
}

static void test_interleaving(void **state)
{
    /* equal tables alternate; a table of empty chunks comes last */
    static const size_t counts[] = {0, 3, 3, 2};
    static const uint64_t sizes[] = {10, 10, 10, 10, 10, 10, 0, 0};
    static const size_t want[][2] = {{1, 0}, {2, 0}, {1, 1}, {2, 1},
                                     {1, 2}, {2, 2}, {3, 0}, {3, 1}};
    struct fmt_manifest *m = manifest(4, counts, sizes);

    (void)state;
    expect_order(m, want, 8);
    fmt_manifest_free(m);
}

static void test_uneven_chunks(void **state)
{
    /* t0: 50 + 500 (550), t1: 300 + 300 (600) */
    static const size_t counts[] = {2, 2};
    static const uint64_t sizes[] = {50, 500, 300, 300};
    /* t1 (600) > t0 (550); then t0 550 > t1 300; t0 500 > t1 300; t1 */
    static const size_t want[][2] = {{1, 0}, {0, 0}, {0, 1}, {1, 1}};
    struct fmt_manifest *m = manifest(2, counts, sizes);

    (void)state;
    expect_order(m, want, 4);
    fmt_manifest_free(m);
}

static uint64_t next_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* Every chunk exactly once, each table's chunks in order, and every pick is
 * the table with the most bytes left (checked against a plain scan). */
static void test_every_chunk_once(void **state)
{
    enum { T = 60 };
    size_t counts[T], total = 0, n = 0, next[T] = {0};
    uint64_t *sizes, left[T] = {0}, seed = 42;
    struct load_chunk_ref *refs = NULL;
    struct cs_error err = {0};
    struct fmt_manifest *m;

    (void)state;
    for (size_t t = 0; t < T; t++)
        total += counts[t] = next_rand(&seed) % 9; /* some tables have none */
    sizes = calloc(total, sizeof(*sizes));
    assert_non_null(sizes);
    for (size_t i = 0, t = 0; t < T; t++)
        for (size_t c = 0; c < counts[t]; c++, i++) {
            sizes[i] = next_rand(&seed) % 4 == 0 ? 0 : next_rand(&seed) % 5000;
            left[t] += sizes[i];
        }
    m = manifest(T, counts, sizes);
    assert_int_equal(load_order_chunks(m, &refs, &n, &err), 0);
    assert_int_equal(n, total);
    for (size_t i = 0; i < n; i++) {
        size_t best = T;

        for (size_t t = 0; t < T; t++)
            if (next[t] < counts[t] && (best == T || left[t] > left[best]))
                best = t;
        assert_int_equal(refs[i].table, best);
        assert_int_equal(refs[i].chunk, next[best]);
        left[best] -= m->tables[best].chunks[next[best]].raw_bytes;
        next[best]++;
    }
    for (size_t t = 0; t < T; t++)
        assert_int_equal(next[t], counts[t]);
    free(refs);
    free(sizes);
    fmt_manifest_free(m);
}

static void test_no_chunks(void **state)
{
    static const size_t counts[] = {0, 0};
    struct fmt_manifest *m = manifest(2, counts, NULL);
    struct load_chunk_ref *refs = (struct load_chunk_ref *)&refs;
    struct cs_error err = {0};
    size_t n = 99;

    (void)state;
    assert_int_equal(load_order_chunks(m, &refs, &n, &err), 0);
    assert_int_equal(n, 0);
    free(refs);
    fmt_manifest_free(m);
    m = manifest(0, NULL, NULL);
    n = 99;
    assert_int_equal(load_order_chunks(m, &refs, &n, &err), 0);
    assert_int_equal(n, 0);
    free(refs);
    fmt_manifest_free(m);
}

static void test_huge_sizes(void **state)
{
    /* sums past UINT64_MAX saturate: no wrap-around, every chunk once, in order */
    static const size_t counts[] = {3, 1};
    static const uint64_t sizes[] = {UINT64_MAX, 2, 0, 5}; /* t0 would wrap to 1 */
    struct fmt_manifest *m = manifest(2, counts, sizes);
    struct load_chunk_ref *refs = NULL;
    struct cs_error err = {0};
    size_t n = 0, next[2] = {0};

    (void)state;
    assert_int_equal(load_order_chunks(m, &refs, &n, &err), 0);
    assert_int_equal(n, 4);
    assert_int_equal(refs[0].table, 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(refs[i].table < 2);
        assert_int_equal(refs[i].chunk, next[refs[i].table]++);
    }
    assert_int_equal(next[0], 3);
    assert_int_equal(next[1], 1);
    free(refs);
    fmt_manifest_free(m);
}

/* ---- views ----------------------------------------------------------------- */

static int views(size_t n, const char *const *schemas, const char *const *names,
                 const char *const *ddls, size_t *order, struct cs_error *err)
{
    for (size_t i = 0; i < n; i++)
        order[i] = SIZE_MAX;
    return load_order_views(schemas, names, ddls, n, order, err);
}

#define DDL(db, v, body)                                                                           \
    "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `" v          \
    "` AS " body

static void test_views_chain(void **state)
{
    const char *schemas[] = {"db", "db", "db"};
    const char *names[] = {"v3", "v2", "v1"};
    const char *ddls[] = {
        DDL("db", "v3", "select `db`.`v2`.`a` AS `a` from `db`.`v2`"),
        DDL("db", "v2", "select `db`.`v1`.`a` AS `a` from `db`.`v1`"),
        DDL("db", "v1", "select `db`.`t`.`a` AS `a` from `db`.`t`"),
    };
    size_t order[3];
    struct cs_error err = {0};

    (void)state;
    assert_int_equal(views(3, schemas, names, ddls, order, &err), 0);
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 0);
}

static void test_views_diamond(void **state)
{
    const char *schemas[] = {"db", "db", "db", "db"};
    const char *names[] = {"d", "c", "b", "a"};
    const char *ddls[] = {
        DDL("db", "d", "select 1 AS `x` from (`db`.`b` join `db`.`c`)"),
        DDL("db", "c", "select `db`.`a`.`x` AS `x` from `db`.`a`"),
        DDL("db", "b", "select `db`.`a`.`x` AS `x` from `db`.`a`"),
        DDL("db", "a", "select 1 AS `x`"),
    };
    size_t order[4];
    struct cs_error err = {0};

    (void)state;
    assert_int_equal(views(4, schemas, names, ddls, order, &err), 0);
    /* a, then c and b in input order, then d */
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 2);
    assert_int_equal(order[3], 0);
}

static void test_views_independent_keep_order(void **state)
{
    const char *schemas[] = {"db", "db", "other", "db"};
    const char *names[] = {"z", "y", "z", "a"};
    const char *ddls[] = {
        /* `db`.`a` only as the tail of a column reference */
        DDL("db", "z", "select `x`.`db`.`a` AS `c` from `x`.`db`"),
        /* itself, qualified */
        "CREATE VIEW `db`.`y` AS select `db`.`t`.`a` AS `a` from `db`.`t` `y`",
        /* strings, not references */
        DDL("other", "z", "select 'see `db`.`a`' AS `s`,'it\\'s `db`.`a`' AS `t`"),
        DDL("db", "a", "select `db`.`t`.`a` AS `a` from `db`.`t`"),
    };
    size_t order[4];
    struct cs_error err = {0};

    (void)state;
    assert_int_equal(views(4, schemas, names, ddls, order, &err), 0);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(order[i], i);
}

static void test_views_odd_names(void **state)
{
    /* `my.db`.`v``1`, a same-named view in another schema, a longer name */
    const char *schemas[] = {"my.db", "my.db", "my", "my.db", "my.db"};
    const char *names[] = {"user", "v`1", "db.v`1", "v`10", "v`1x"};
    const char *ddls[] = {
        DDL("my.db", "user", "select `my.db`.`v``1`.`a` AS `a` from `my.db`.`v``1`"),
        DDL("my.db", "v``1", "select 1 AS `a` from `my`.`db.v``1`"),
        DDL("my", "db.v``1", "select 1 AS `a`"),
        DDL("my.db", "v``10", "select 1 AS `a`"),
        DDL("my.db", "v``1x", "select 1 AS `a` from `my.db`.`v``10`"),
    };
    size_t order[5];
    struct cs_error err = {0};

    (void)state;
    assert_int_equal(views(5, schemas, names, ddls, order, &err), 0);
    /* 2 before 1 before 0; 3 before 4; ties by input index */
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 0);
    assert_int_equal(order[3], 3);
    assert_int_equal(order[4], 4);
}

static void test_views_cycle(void **state)
{
    const char *schemas[] = {"db", "db", "db", "db"};
    const char *names[] = {"after", "free", "ping", "pong"};
    const char *ddls[] = {
        DDL("db", "after", "select 1 AS `a` from (`db`.`free` join `db`.`ping`)"),
        DDL("db", "free", "select 1 AS `a`"),
        DDL("db", "ping", "select `db`.`pong`.`a` AS `a` from `db`.`pong`"),
        DDL("db", "pong", "select `db`.`ping`.`a` AS `a` from `db`.`ping`"),
    };
    size_t order[4];
    struct cs_error err = {0};

    (void)state;
    assert_int_equal(views(4, schemas, names, ddls, order, &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "cycle"));
    /* a view on the cycle, not one that merely reads from it */
    assert_true(strstr(err.msg, "db.ping") || strstr(err.msg, "db.pong"));
    assert_null(strstr(err.msg, "after"));
    assert_null(strstr(err.msg, "free"));
}

static void test_views_edge_cases(void **state)
{
    const char *schemas[] = {"db", "db"};
    const char *names[] = {"a", "b"};
    const char *ddls[] = {"select `db`.`b", NULL}; /* cut short; missing */
    size_t order[2];
    struct cs_error err = {0};

    (void)state;
    assert_int_equal(views(0, NULL, NULL, NULL, NULL, &err), 0);
    assert_int_equal(views(2, schemas, names, ddls, order, &err), 0);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 1);
    names[1] = NULL;
    assert_int_equal(views(2, schemas, names, ddls, order, &err), -1);
    assert_int_equal(err.code, CS_ERR_INTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_largest_first),
        cmocka_unit_test(test_interleaving),
        cmocka_unit_test(test_uneven_chunks),
        cmocka_unit_test(test_every_chunk_once),
        cmocka_unit_test(test_no_chunks),
        cmocka_unit_test(test_huge_sizes),
        cmocka_unit_test(test_views_chain),
        cmocka_unit_test(test_views_diamond),
        cmocka_unit_test(test_views_independent_keep_order),
        cmocka_unit_test(test_views_odd_names),
        cmocka_unit_test(test_views_cycle),
        cmocka_unit_test(test_views_edge_cases),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
