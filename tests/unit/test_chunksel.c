/* The chunk SELECT and the key predicate both tools build
 * (format/chunksel.h) from typed bounds (format/bound.h): column
 * expressions by kind, every key type's literal, composite keys, open and
 * closed ends, the predicate's meaning, hostile values, and the bounds'
 * JSON form and order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "format/bound.h"
#include "format/chunksel.h"
#include "load/sqltok.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct val {
    enum fmt_key_type type;
    const char *charset;
    const char *data;
    size_t len; /* 0: strlen(data) */
};

static struct fmt_bound *bound(int closed, const struct val *v, size_t n)
{
    struct fmt_bound *b = fmt_bound_new(n, closed);
    const char *why;

    assert_non_null(b);
    for (size_t i = 0; i < n; i++) {
        size_t len = v[i].len ? v[i].len : strlen(v[i].data);
        if (fmt_key_value_set(&b->v[i], v[i].type, v[i].charset, v[i].data, len, &why) < 0)
            fail_msg("value %zu \"%s\": %s", i, v[i].data, why);
    }
    return b;
}

static struct fmt_bound *ints(int closed, size_t n, const int *x)
{
    struct val v[3];
    char buf[3][16];

    for (size_t i = 0; i < n; i++) {
        snprintf(buf[i], sizeof(buf[i]), "%d", x[i]);
        v[i] = (struct val){FMT_KEY_INTEGER, NULL, buf[i], 0};
    }
    return bound(closed, v, n);
}

static void expect_where(const struct fmt_chunk_range *r, const char *want)
{
    struct cs_buf b = CS_BUF_INIT;

    assert_int_equal(fmt_chunk_where(&b, r), 0);
    assert_false(cs_buf_failed(&b));
    assert_string_equal(b.len ? b.data : "", want);
    cs_buf_release(&b);
}

/* ---- the SELECT --------------------------------------------------------- */

static void test_select(void **state)
{
    const struct fmt_sel_col cols[] = {
        {"id", FMT_COL_NUMBER}, {"f", FMT_COL_FLOAT}, {"we`ird", FMT_COL_STRING}};
    const char *key[] = {"id"};
    struct fmt_bound *lo = ints(1, 1, (int[]){5});
    struct fmt_chunk_range r = {key, 1, lo, NULL};
    struct cs_buf a = CS_BUF_INIT, b = CS_BUF_INIT;

    (void)state;
    fmt_chunk_select(&a, cols, 3, "odd db", "t", &r, 1);
    assert_false(cs_buf_failed(&a));
    assert_non_null(strstr(a.data, "SELECT `id`, "));
    assert_non_null(
        strstr(a.data, "`we``ird` FROM `odd db`.`t` WHERE ((`id` >= 5)) ORDER BY `id`"));
    /* FLOAT is read exactly (coltype.h), not as its display text */
    assert_null(strstr(a.data, ", `f`, "));
    /* the verifier's statement for the same chunk: the same, without ORDER BY */
    fmt_chunk_select(&b, cols, 3, "odd db", "t", &r, 0);
    assert_int_equal(strncmp(a.data, b.data, b.len), 0);
    assert_null(strstr(b.data, "ORDER BY"));
    cs_buf_reset(&b);
    fmt_chunk_select(&b, NULL, 0, "s", "t", NULL, 0);
    assert_string_equal(b.data, "SELECT 1 FROM `s`.`t`");
    cs_buf_reset(&b);
    r.lo = NULL; /* both ends open: no WHERE, still ordered */
    fmt_chunk_select(&b, NULL, 0, "s", "t", &r, 1);
    assert_string_equal(b.data, "SELECT 1 FROM `s`.`t` ORDER BY `id`");
    fmt_bound_free(lo);
    cs_buf_release(&a);
    cs_buf_release(&b);
}

/* ---- every key type's literal ------------------------------------------ */

static void expect_literal(struct val v, const char *want)
{
    struct fmt_bound *b = bound(1, &v, 1);
    struct cs_buf out = CS_BUF_INIT;

    fmt_key_value_sql(&out, &b->v[0]);
    assert_false(cs_buf_failed(&out));
    assert_string_equal(out.data, want);
    cs_buf_release(&out);
    fmt_bound_free(b);
}

static void test_literals(void **state)
{
    (void)state;
    expect_literal((struct val){FMT_KEY_INTEGER, NULL, "-9223372036854775808", 0},
                   "-9223372036854775808");
    expect_literal((struct val){FMT_KEY_INTEGER, NULL, "18446744073709551615", 0},
                   "18446744073709551615");
    expect_literal((struct val){FMT_KEY_DECIMAL, NULL, "-12.50", 0}, "-12.50");
    expect_literal((struct val){FMT_KEY_FLOAT, NULL, "1.5e+10", 0}, "1.5e+10");
    expect_literal((struct val){FMT_KEY_FLOAT, NULL, "-2.2250738585072014e-308", 0},
                   "-2.2250738585072014e-308");
    /* strings: their bytes in hex with the column's charset, never quoted */
    expect_literal((struct val){FMT_KEY_STRING, "utf8mb4", "\xc3\xa9", 0}, "_utf8mb4 0xC3A9");
    expect_literal((struct val){FMT_KEY_STRING, "latin1", "a'b\\", 0}, "_latin1 0x6127625C");
    expect_literal((struct val){FMT_KEY_STRING, "latin1", "", 0}, "_latin1 X''");
    expect_literal((struct val){FMT_KEY_BINARY, NULL,
                                "\x00\xff"
                                "ab",
                                4},
                   "0x00FF6162");
    expect_literal((struct val){FMT_KEY_BINARY, NULL, "", 0}, "X''");
    expect_literal((struct val){FMT_KEY_TEMPORAL, NULL, "2024-02-29 23:59:59.123456", 0},
                   "'2024-02-29 23:59:59.123456'");
    expect_literal((struct val){FMT_KEY_TEMPORAL, NULL, "0000-00-00", 0}, "'0000-00-00'");
    expect_literal((struct val){FMT_KEY_TEMPORAL, NULL, "-838:59:59", 0}, "'-838:59:59'");
    expect_literal((struct val){FMT_KEY_TEXT, NULL, "123e4567-e89b-12d3-a456-426614174000", 0},
                   "_utf8mb4'123e4567-e89b-12d3-a456-426614174000'");
    expect_literal((struct val){FMT_KEY_TEXT, NULL, "::ffff:10.0.0.1", 0},
                   "_utf8mb4'::ffff:10.0.0.1'");
}

/* Values that would carry SQL, or do not fit their type: refused when made. */
static void test_values_refused(void **state)
{
    static const struct val bad[] = {
        {FMT_KEY_INTEGER, NULL, "1 OR 1=1", 0},
        {FMT_KEY_INTEGER, NULL, "1;DROP DATABASE mysql", 0},
        {FMT_KEY_INTEGER, NULL, "--1", 0},
        {FMT_KEY_INTEGER, NULL, "", 0},
        {FMT_KEY_INTEGER, NULL, "1.5", 0},
        {FMT_KEY_INTEGER, NULL, "123456789012345678901", 0},
        {FMT_KEY_DECIMAL, NULL, "1..2", 0},
        {FMT_KEY_DECIMAL, NULL, "1e5", 0},
        {FMT_KEY_DECIMAL, NULL, ".5", 0},
        {FMT_KEY_FLOAT, NULL, "inf", 0},
        {FMT_KEY_FLOAT, NULL, "1e", 0},
        {FMT_KEY_FLOAT, NULL, "1e5)", 0},
        {FMT_KEY_TEMPORAL, NULL, "2024-01-01' OR '1'='1", 0},
        {FMT_KEY_TEMPORAL, NULL, "2024-01-01\\", 0},
        {FMT_KEY_TEMPORAL, NULL, " 2024", 0},
        {FMT_KEY_TEMPORAL, NULL, "", 0},
        {FMT_KEY_TEXT, NULL, "x'y", 0},
        {FMT_KEY_TEXT, NULL, "a b", 0},
        {FMT_KEY_STRING, NULL, "abc", 0},
        {FMT_KEY_STRING, "utf8mb4 COLLATE utf8mb4_bin", "abc", 0},
        {FMT_KEY_STRING, "utf8mb4 0x41 OR 1", "abc", 0},
        {FMT_KEY_BINARY, "latin1", "abc", 0},
        {FMT_KEY_INTEGER, "latin1", "1", 0},
        {FMT_KEY_INTEGER, NULL,
         "1\0"
         "2",
         3},
    };
    struct fmt_key_value v = {0};
    const char *why;
    char *big = calloc(70000, 1);

    (void)state;
    for (size_t i = 0; i < N(bad); i++) {
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].data);
        if (fmt_key_value_set(&v, bad[i].type, bad[i].charset, bad[i].data, len, &why) == 0)
            fail_msg("accepted %s \"%s\"", fmt_key_type_name(bad[i].type), bad[i].data);
        assert_non_null(why);
        assert_null(v.data);
    }
    assert_non_null(big);
    assert_int_equal(fmt_key_value_set(&v, FMT_KEY_BINARY, NULL, big, 70000, &why), -1);
    free(big);
}

/* ---- composite keys ----------------------------------------------------- */

static void test_where_composite(void **state)
{
    const char *key2[] = {"a", "b"}, *key3[] = {"a", "b", "c"};
    struct val lo2v[] = {{FMT_KEY_INTEGER, NULL, "1", 0}, {FMT_KEY_STRING, "utf8mb4", "x", 0}};
    struct val hi2v[] = {{FMT_KEY_INTEGER, NULL, "3", 0}, {FMT_KEY_STRING, "utf8mb4", "y", 0}};
    struct fmt_bound *lo2 = bound(1, lo2v, 2), *hi2 = bound(0, hi2v, 2);
    struct fmt_bound *lo3 = ints(1, 3, (int[]){1, 2, 3}), *hi3 = ints(0, 3, (int[]){4, 5, 6});
    struct fmt_chunk_range r2 = {key2, 2, lo2, hi2}, r3 = {key3, 3, lo3, hi3};

    (void)state;
    expect_where(&r2, "((`a` > 1) OR (`a` = 1 AND `b` >= _utf8mb4 0x78)) AND "
                      "((`a` < 3) OR (`a` = 3 AND `b` < _utf8mb4 0x79))");
    r2.hi = NULL;
    expect_where(&r2, "((`a` > 1) OR (`a` = 1 AND `b` >= _utf8mb4 0x78))");
    expect_where(&r3, "((`a` > 1) OR (`a` = 1 AND `b` > 2) OR (`a` = 1 AND `b` = 2 AND `c` >= 3))"
                      " AND "
                      "((`a` < 4) OR (`a` = 4 AND `b` < 5) OR (`a` = 4 AND `b` = 5 AND `c` < 6))");
    /* the other ends: an open lower bound, a closed upper one */
    lo3->closed = 0;
    hi3->closed = 1;
    expect_where(&r3, "((`a` > 1) OR (`a` = 1 AND `b` > 2) OR (`a` = 1 AND `b` = 2 AND `c` > 3))"
                      " AND "
                      "((`a` < 4) OR (`a` = 4 AND `b` < 5) OR (`a` = 4 AND `b` = 5 AND `c` <= 6))");
    r3.lo = r3.hi = NULL;
    expect_where(&r3, "");
    fmt_bound_free(lo2);
    fmt_bound_free(hi2);
    fmt_bound_free(lo3);
    fmt_bound_free(hi3);
}

static void test_where_backticks_and_counts(void **state)
{
    const char *key[] = {"we`ird", "``"};
    struct fmt_bound *k = ints(0, 2, (int[]){1, 2}), *one = ints(1, 1, (int[]){1});
    struct fmt_chunk_range r = {key, 2, NULL, k};
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    expect_where(&r, "((`we``ird` < 1) OR (`we``ird` = 1 AND `````` < 2))");
    r.lo = one; /* one value for a two-column key: no predicate at all */
    assert_int_equal(fmt_chunk_where(&b, &r), -1);
    assert_true(cs_buf_failed(&b));
    cs_buf_release(&b);
    fmt_chunk_select(&b, NULL, 0, "s", "t", &r, 0);
    assert_true(cs_buf_failed(&b));
    cs_buf_release(&b);
    fmt_bound_free(k);
    fmt_bound_free(one);
}

/* ---- meaning: a tiny evaluator over integer keys ------------------------ */

/* expr = term {OR term}; term = factor {AND factor};
 * factor = "(" expr ")" | `k<i>` op integer; ROW holds k0.. k2. */
struct ev {
    const char *p;
    const int *row;
};

static void ev_space(struct ev *e)
{
    while (*e->p == ' ')
        e->p++;
}

static int ev_word(struct ev *e, const char *w)
{
    size_t n = strlen(w);

    ev_space(e);
    if (strncmp(e->p, w, n) || e->p[n] != ' ')
        return 0;
    e->p += n;
    return 1;
}

static int ev_expr(struct ev *e);

static int ev_cmp(const char *op, int lhs, long rhs)
{
    if (!strncmp(op, ">= ", 3))
        return lhs >= rhs;
    if (!strncmp(op, "<= ", 3))
        return lhs <= rhs;
    if (!strncmp(op, "> ", 2))
        return lhs > rhs;
    if (!strncmp(op, "< ", 2))
        return lhs < rhs;
    if (!strncmp(op, "= ", 2))
        return lhs == rhs;
    fail_msg("unknown operator at \"%s\"", op);
    return 0;
}

static int ev_factor(struct ev *e)
{
    const char *op;
    char *end;
    int lhs, v;
    long rhs;

    ev_space(e);
    if (*e->p == '(') {
        e->p++;
        v = ev_expr(e);
        ev_space(e);
        if (*e->p != ')')
            fail_msg("expected ) at \"%s\"", e->p);
        e->p++;
        return v;
    }
    if (strncmp(e->p, "`k", 2) || e->p[3] != '`')
        fail_msg("expected a key column at \"%s\"", e->p);
    lhs = e->row[e->p[2] - '0'];
    e->p += 4;
    ev_space(e);
    op = e->p;
    while (*e->p == '<' || *e->p == '>' || *e->p == '=')
        e->p++;
    ev_space(e);
    rhs = strtol(e->p, &end, 10);
    if (end == e->p)
        fail_msg("expected a number at \"%s\"", e->p);
    e->p = end;
    return ev_cmp(op, lhs, rhs);
}

static int ev_term(struct ev *e)
{
    int v = ev_factor(e);

    while (ev_word(e, "AND"))
        v &= ev_factor(e);
    return v;
}

static int ev_expr(struct ev *e)
{
    int v = ev_term(e);

    while (ev_word(e, "OR"))
        v |= ev_term(e);
    return v;
}

static int eval_where(const char *where, const int *row)
{
    struct ev e = {where, row};
    int v;

    if (!*where)
        return 1;
    v = ev_expr(&e);
    ev_space(&e);
    if (*e.p)
        fail_msg("trailing text \"%s\" in \"%s\"", e.p, where);
    return v;
}

static int lex_cmp(const int *x, const int *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

static int in_range(const int *row, size_t n, const int *lo, int lc, const int *hi, int hc)
{
    int a = lo ? lex_cmp(row, lo, n) : 1, b = hi ? lex_cmp(row, hi, n) : -1;
    return (a > 0 || (a == 0 && lc)) && (b < 0 || (b == 0 && hc));
}

/* Every tuple of {-1..3}^n: the predicate holds exactly when the key is in
 * the range, each end open or closed as the bound says. */
static void check_semantics(size_t n, const int *lo, int lc, const int *hi, int hc)
{
    const char *key[] = {"k0", "k1", "k2"};
    struct fmt_bound *blo = lo ? ints(lc, n, lo) : NULL, *bhi = hi ? ints(hc, n, hi) : NULL;
    struct fmt_chunk_range r = {key, n, blo, bhi};
    struct cs_buf b = CS_BUF_INIT;
    unsigned total = 1;
    int row[3] = {0, 0, 0};

    for (size_t i = 0; i < n; i++)
        total *= 5;
    assert_int_equal(fmt_chunk_where(&b, &r), 0);
    for (unsigned t = 0; t < total; t++) {
        unsigned x = t;
        for (size_t i = 0; i < n; i++, x /= 5)
            row[i] = (int)(x % 5) - 1;
        int want = in_range(row, n, lo, lc, hi, hc), got = eval_where(b.len ? b.data : "", row);
        if (got != want)
            fail_msg("\"%s\" on (%d,%d,%d): got %d, want %d", b.len ? b.data : "", row[0], row[1],
                     row[2], got, want);
    }
    cs_buf_release(&b);
    fmt_bound_free(blo);
    fmt_bound_free(bhi);
}

static void test_where_semantics(void **state)
{
    unsigned seed = 12345;

    (void)state;
    for (int i = 0; i < 400; i++) {
        int lo[3], hi[3];
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 8) % 3;
        unsigned open = (seed >> 12) % 6;
        for (size_t j = 0; j < 3; j++) {
            lo[j] = (int)((seed >> (14 + 2 * j)) % 5) - 1;
            hi[j] = (int)((seed >> (20 + 2 * j)) % 5) - 1;
        }
        check_semantics(n, open == 0 ? NULL : lo, (seed >> 28) & 1, open == 1 ? NULL : hi,
                        (seed >> 29) & 1);
    }
}

/* ---- hostile strings under either backslash rule ------------------------ */

/* The tokens of TEXT under BACKSLASH: kind and span, one line each. */
static char *token_shape(const char *text, int backslash)
{
    struct load_toks t = {0};
    struct cs_buf out = CS_BUF_INIT;

    assert_int_equal(load_sqltok_split(text, 0, strlen(text), backslash, &t), 0);
    for (size_t i = 0; i < t.n; i++) {
        assert_false(t.v[i].open);
        assert_true(t.v[i].kind != LOAD_TOK_COMMENT && t.v[i].kind != LOAD_TOK_VERSIONED);
        cs_buf_printf(&out, "%d %zu %zu\n", (int)t.v[i].kind, t.v[i].off, t.v[i].len);
    }
    load_sqltok_release(&t);
    return cs_buf_detach(&out);
}

static void test_hostile_strings(void **state)
{
    static const char *const hostile[] = {
        "a'b",
        "\\",
        "\\'",
        "'; DROP DATABASE mysql; -- ",
        "x\\' OR 1=1 -- ",
        "`",
        "\"",
        "/*!50000 DROP DATABASE mysql */",
        "\x00\x27\x5c",
    };
    const char *key[] = {"s", "d", "b"};

    (void)state;
    for (size_t i = 0; i < N(hostile); i++) {
        size_t len = i + 1 == N(hostile) ? 3 : strlen(hostile[i]);
        struct val v[] = {{FMT_KEY_STRING, "utf8mb4", hostile[i], len},
                          {FMT_KEY_TEMPORAL, NULL, "2024-01-01 00:00:00", 0},
                          {FMT_KEY_BINARY, NULL, hostile[i], len}};
        struct fmt_bound *lo = bound(1, v, 3), *hi = bound(0, v, 3);
        struct fmt_chunk_range r = {key, 3, lo, hi};
        struct cs_buf b = CS_BUF_INIT;
        char *with, *without;

        assert_int_equal(fmt_chunk_where(&b, &r), 0);
        /* no byte of the value is in the text: hex only */
        assert_null(strstr(b.data, "DROP"));
        assert_null(strchr(b.data, '\\'));
        assert_null(strchr(b.data, '"'));
        /* the same tokens whether or not backslashes escape (NO_BACKSLASH_ESCAPES) */
        with = token_shape(b.data, 1);
        without = token_shape(b.data, 0);
        assert_string_equal(with, without);
        free(with);
        free(without);
        cs_buf_release(&b);
        fmt_bound_free(lo);
        fmt_bound_free(hi);
    }
}

/* ---- order -------------------------------------------------------------- */

static int cmp1(enum fmt_key_type ta, const char *a, size_t la, enum fmt_key_type tb, const char *b,
                size_t lb)
{
    struct val va = {ta, ta == FMT_KEY_STRING ? "latin1" : NULL, a, la};
    struct val vb = {tb, tb == FMT_KEY_STRING ? "latin1" : NULL, b, lb};
    struct fmt_bound *x = bound(1, &va, 1), *y = bound(1, &vb, 1);
    int r = fmt_bound_cmp(x, y);

    fmt_bound_free(x);
    fmt_bound_free(y);
    return r;
}

#define CMP(t, a, b) cmp1(t, a, 0, t, b, 0)

static void test_order(void **state)
{
    (void)state;
    assert_int_equal(CMP(FMT_KEY_INTEGER, "9", "10"), -1);
    assert_int_equal(CMP(FMT_KEY_INTEGER, "-10", "-9"), -1);
    assert_int_equal(CMP(FMT_KEY_INTEGER, "-1", "0"), -1);
    assert_int_equal(CMP(FMT_KEY_INTEGER, "007", "7"), 0);
    assert_int_equal(CMP(FMT_KEY_INTEGER, "-0", "0"), 0);
    assert_int_equal(CMP(FMT_KEY_INTEGER, "18446744073709551615", "9223372036854775807"), 1);
    assert_int_equal(CMP(FMT_KEY_DECIMAL, "1.50", "1.5"), 0);
    assert_int_equal(CMP(FMT_KEY_DECIMAL, "-1.5", "-1.25"), -1);
    assert_int_equal(CMP(FMT_KEY_DECIMAL, "0.1", "0.09"), 1);
    assert_int_equal(cmp1(FMT_KEY_INTEGER, "2", 0, FMT_KEY_DECIMAL, "1.99", 0), 1);
    assert_int_equal(CMP(FMT_KEY_FLOAT, "1e3", "999.5"), 1);
    assert_int_equal(CMP(FMT_KEY_BINARY, "ab", "abc"), -1);
    assert_int_equal(cmp1(FMT_KEY_BINARY, "\x00", 1, FMT_KEY_BINARY, "\xff", 1), -1);
    assert_int_equal(CMP(FMT_KEY_TEMPORAL, "2024-01-02", "2024-01-10"), -1);
    assert_int_equal(CMP(FMT_KEY_TEMPORAL, "-01:00:00", "01:00:00"), FMT_BOUND_INCOMPARABLE);
    /* a collation orders strings: equality only */
    assert_int_equal(CMP(FMT_KEY_STRING, "a", "a"), 0);
    assert_int_equal(CMP(FMT_KEY_STRING, "a", "b"), FMT_BOUND_INCOMPARABLE);
    assert_int_equal(CMP(FMT_KEY_TEXT, "::1", "::1"), 0);
    assert_int_equal(cmp1(FMT_KEY_INTEGER, "1", 0, FMT_KEY_TEMPORAL, "1", 0),
                     FMT_BOUND_INCOMPARABLE);
    /* tuples: the first unequal value decides */
    {
        struct fmt_bound *a = ints(1, 2, (int[]){1, 9}), *b = ints(1, 2, (int[]){2, 0});
        struct fmt_bound *c = ints(1, 1, (int[]){1});
        assert_int_equal(fmt_bound_cmp(a, b), -1);
        assert_int_equal(fmt_bound_cmp(b, a), 1);
        assert_int_equal(fmt_bound_cmp(a, a), 0);
        assert_int_equal(fmt_bound_cmp(a, c), FMT_BOUND_INCOMPARABLE);
        fmt_bound_free(a);
        fmt_bound_free(b);
        fmt_bound_free(c);
    }
}

/* ---- JSON --------------------------------------------------------------- */

static void test_json_round_trip(void **state)
{
    struct val v[] = {
        {FMT_KEY_INTEGER, NULL, "-5", 0},      {FMT_KEY_DECIMAL, NULL, "1.25", 0},
        {FMT_KEY_FLOAT, NULL, "1e-5", 0},      {FMT_KEY_STRING, "utf8mb4", "a'b\\\"", 0},
        {FMT_KEY_BINARY, NULL, "\x00\x01", 2}, {FMT_KEY_TEMPORAL, NULL, "2024-01-01 00:00:00.5", 0},
        {FMT_KEY_TEXT, NULL, "10.0.0.1", 0}};
    struct fmt_bound *b = bound(0, v, N(v)), *back = NULL;
    json_t *j;
    const char *w;
    char why[200], *text;

    (void)state;
    assert_int_equal(fmt_key_value_collate(&b->v[3], "utf8mb4_bin", &w), 0);
    assert_int_equal(fmt_key_value_collate(&b->v[0], "utf8mb4_bin", &w), -1); /* not a string */
    assert_int_equal(fmt_key_value_collate(&b->v[3], "x COLLATE y", &w), -1);
    j = fmt_bound_to_json(b);
    assert_non_null(j);
    text = json_dumps(j, JSON_COMPACT);
    assert_non_null(strstr(text, "{\"type\":\"string\",\"charset\":\"utf8mb4\","
                                 "\"collation\":\"utf8mb4_bin\",\"hex\":\"6127625c22\"}"));
    assert_non_null(strstr(text, "{\"type\":\"binary\",\"hex\":\"0001\"}"));
    assert_non_null(strstr(text, "\"closed\":false"));
    free(text);
    assert_int_equal(fmt_bound_from_json(j, &back, why, sizeof(why)), 0);
    assert_non_null(back);
    assert_int_equal(back->closed, 0);
    assert_int_equal(fmt_bound_cmp(b, back), 0);
    assert_int_equal(back->v[4].len, 2);
    assert_string_equal(back->v[3].collation, "utf8mb4_bin");
    /* the same bytes under another collation are not the same value */
    assert_int_equal(fmt_key_value_collate(&back->v[3], "utf8mb4_general_ci", &w), 0);
    assert_int_equal(fmt_bound_cmp(b, back), FMT_BOUND_INCOMPARABLE);
    assert_memory_equal(back->v[3].data, "a'b\\\"", 5);
    json_decref(j);
    fmt_bound_free(back);
    fmt_bound_free(b);
    j = json_null();
    assert_int_equal(fmt_bound_from_json(j, &back, why, sizeof(why)), 0);
    assert_null(back);
    json_decref(j);
}

static void expect_json_refused(const char *text, const char *msg)
{
    json_t *j = json_loads(text, 0, NULL);
    struct fmt_bound *b = (struct fmt_bound *)1;
    char why[200];

    assert_non_null(j);
    assert_int_equal(fmt_bound_from_json(j, &b, why, sizeof(why)), -1);
    assert_null(b);
    if (!strstr(why, msg))
        fail_msg("%s: \"%s\" does not say \"%s\"", text, why, msg);
    json_decref(j);
}

static void test_json_refused(void **state)
{
    (void)state;
    expect_json_refused("[1]", "expected null or an object");
    expect_json_refused("{\"values\":[{\"type\":\"integer\",\"value\":\"1\"}]}", "closed:");
    expect_json_refused("{\"closed\":true,\"values\":[]}", "values: expected a non-empty array");
    expect_json_refused(
        "{\"closed\":true,\"values\":[{\"type\":\"integer\",\"value\":\"1) OR (1=1\"}]}",
        "values[0].value: expected an integer");
    expect_json_refused("{\"closed\":true,\"values\":[{\"type\":\"integer\",\"value\":\"1\"},"
                        "{\"type\":\"sql\",\"value\":\"1\"}]}",
                        "values[1].type: expected one of integer");
    expect_json_refused("{\"closed\":true,\"values\":[{\"type\":\"binary\",\"hex\":\"0A\"}]}",
                        "values[0].hex: expected lowercase hex digits");
    expect_json_refused("{\"closed\":true,\"values\":[{\"type\":\"binary\",\"hex\":\"abc\"}]}",
                        "values[0].hex: expected an even number of hex digits");
    expect_json_refused("{\"closed\":true,\"values\":[{\"type\":\"string\",\"hex\":\"61\"}]}",
                        "a string with a character set name");
    expect_json_refused(
        "{\"closed\":true,\"values\":[{\"type\":\"integer\",\"charset\":\"x\",\"value\":\"1\"}]}",
        "values[0].charset: expected no character set");
    expect_json_refused(
        "{\"closed\":true,\"values\":[{\"type\":\"temporal\",\"value\":\"2024' OR '1\"}]}",
        "values[0].value: expected a date or time");
    expect_json_refused("{\"closed\":true,\"values\":[{\"type\":\"string\",\"charset\":\"latin1\","
                        "\"collation\":\"latin1_bin' OR 1\",\"hex\":\"61\"}]}",
                        "values[0].collation: expected a collation name");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_values_refused),
        cmocka_unit_test(test_where_composite),
        cmocka_unit_test(test_where_backticks_and_counts),
        cmocka_unit_test(test_where_semantics),
        cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
