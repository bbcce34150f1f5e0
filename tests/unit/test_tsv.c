#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/tsv.h"

/* ---- test sources ------------------------------------------------------- */

/* Hands out at most STEP bytes per read, to cross every buffer boundary;
 * with FAIL_AT set, fails once that many bytes were read. */
struct trickle {
    struct fmt_source base;
    const char *data;
    size_t len, off, step, fail_at;
};

static ssize_t trickle_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct trickle *t = (struct trickle *)s;
    size_t n = t->len - t->off;

    if (t->fail_at && t->off >= t->fail_at)
        return cs_error_set(err, CS_ERR_IO, "injected read failure");
    if (n > cap)
        n = cap;
    if (n > t->step)
        n = t->step;
    memcpy(buf, t->data + t->off, n);
    t->off += n;
    return (ssize_t)n;
}

static void trickle_free(struct fmt_source *s)
{
    free(s);
}

static struct fmt_source *trickle_new(const char *data, size_t len, size_t step)
{
    struct trickle *t = calloc(1, sizeof(*t));

    assert_non_null(t);
    t->base.read = trickle_read;
    t->base.free = trickle_free;
    t->data = data;
    t->len = len;
    t->step = step;
    return &t->base;
}

/* step 0: the real memory source. */
static struct fmt_source *source_new(const char *data, size_t len, size_t step)
{
    struct cs_error err;
    struct fmt_source *s;

    cs_error_clear(&err);
    if (step)
        return trickle_new(data, len, step);
    s = fmt_source_memory_new(data, len, &err);
    assert_non_null(s);
    return s;
}

/* ---- helpers ------------------------------------------------------------ */

static void expect_field(const char *val, size_t len, const char *want, size_t want_len)
{
    struct cs_buf b = CS_BUF_INIT;

    fmt_tsv_append_field(&b, val, len);
    assert_false(cs_buf_failed(&b));
    assert_int_equal(b.len, want_len);
    assert_memory_equal(b.data, want, want_len);
    assert_int_equal(b.data[b.len], '\0');
    cs_buf_release(&b);
}

/* Encodes NROWS x NCOLS values (row-major), reads them back through a source
 * handing out STEP bytes at a time, and compares. */
static void roundtrip(char **vals, unsigned long *lens, unsigned nrows, unsigned ncols, size_t step)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;
    struct fmt_source *src;
    struct fmt_tsv_reader *r;
    unsigned row, i, n;
    char **got;
    size_t *glens;

    cs_error_clear(&err);
    for (row = 0; row < nrows; row++)
        fmt_tsv_append_row(&b, vals + row * ncols, lens + row * ncols, ncols);
    assert_false(cs_buf_failed(&b));
    src = source_new(b.data, b.len, step);
    r = fmt_tsv_reader_new(src, "t.tsv", &err);
    assert_non_null(r);
    for (row = 0; row < nrows; row++) {
        assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &glens, &err), 1);
        assert_int_equal(n, ncols);
        for (i = 0; i < ncols; i++) {
            char *want = vals[row * ncols + i];

            if (!want) {
                assert_null(got[i]);
                continue;
            }
            assert_non_null(got[i]);
            assert_int_equal(glens[i], lens[row * ncols + i]);
            assert_memory_equal(got[i], want, glens[i]);
            assert_int_equal(got[i][glens[i]], '\0');
        }
    }
    assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &glens, &err), 0);
    fmt_tsv_reader_free(r);
    fmt_source_free(src);
    cs_buf_release(&b);
}

static void roundtrip_steps(char **vals, unsigned long *lens, unsigned nrows, unsigned ncols)
{
    static const size_t steps[] = {0, 1, 2, 3, 7, 4096};
    size_t i;

    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        roundtrip(vals, lens, nrows, ncols, steps[i]);
}

/* Reads raw tsv text; returns the reader's result for the first row. */
static int read_first(const char *text, size_t len, unsigned *n, char ***got, size_t **glens,
                      struct fmt_tsv_reader **rp, struct fmt_source **sp, struct cs_error *err)
{
    cs_error_clear(err);
    *sp = source_new(text, len, 1);
    *rp = fmt_tsv_reader_new(*sp, "raw.tsv", err);
    assert_non_null(*rp);
    return fmt_tsv_reader_next(*rp, n, got, glens, err);
}

/* ---- tests -------------------------------------------------------------- */

static void test_encode_field(void **state)
{
    (void)state;
    expect_field("abc", 3, "abc", 3);
    expect_field("", 0, "", 0);
    expect_field(NULL, 0, "\\N", 2);
    expect_field("\\N", 2, "\\\\N", 3);
    expect_field("a\tb\nc\rd\\e", 9, "a\\tb\\nc\\rd\\\\e", 13);
    expect_field("\0\b\x1a", 3, "\\0\\b\\Z", 6);
    expect_field("\xff\x80'\"", 4, "\xff\x80'\"", 4);
}

static void test_encode_row(void **state)
{
    char *vals[] = {"x", NULL, "", "a\tb"};
    unsigned long lens[] = {1, 0, 0, 3};
    struct cs_buf b = CS_BUF_INIT;

    (void)state;
    fmt_tsv_append_row(&b, vals, lens, 4);
    fmt_tsv_append_row(&b, vals, lens, 1);
    assert_false(cs_buf_failed(&b));
    assert_string_equal(b.data, "x\t\\N\t\ta\\tb\nx\n");
    cs_buf_release(&b);
}

static void test_every_byte(void **state)
{
    char bytes[256], all[256], *vals[257 * 2];
    unsigned long lens[257 * 2];
    unsigned i;

    (void)state;
    for (i = 0; i < 256; i++) {
        bytes[i] = (char)i;
        all[i] = (char)i;
    }
    for (i = 0; i < 256; i++) { /* each byte alone, then with its successor */
        vals[2 * i] = &bytes[i];
        lens[2 * i] = 1;
        vals[2 * i + 1] = &bytes[i];
        lens[2 * i + 1] = i < 255 ? 2 : 1;
    }
    vals[512] = all;
    lens[512] = 256;
    vals[513] = all + 128;
    lens[513] = 128;
    roundtrip_steps(vals, lens, 257, 2);
}

static void test_null_backslash_n_empty(void **state)
{
    char *vals[] = {NULL, "\\N", "", "N", "\\", "\\\\N", NULL};
    unsigned long lens[] = {0, 2, 0, 1, 1, 3, 0};

    (void)state;
    roundtrip_steps(vals, lens, 1, 7);
    roundtrip_steps(vals, lens, 7, 1);
}

static void test_embedded_separators(void **state)
{
    char *vals[] = {"a\tb\nc", "\n", "\t\t", "\\\n", "x\r\n", "\n\n\t\\t"};
    unsigned long lens[] = {5, 1, 2, 2, 3, 6};

    (void)state;
    roundtrip_steps(vals, lens, 2, 3);
    roundtrip_steps(vals, lens, 1, 6);
}

static void test_long_rows(void **state)
{
    const size_t big = 1536 * 1024;
    char *blob = malloc(big), *vals[6];
    unsigned long lens[6];
    uint32_t x = 12345;
    size_t i;

    (void)state;
    assert_non_null(blob);
    for (i = 0; i < big; i++) { /* every byte value, escapes included */
        x = x * 1103515245u + 12345u;
        blob[i] = (char)(x >> 16);
    }
    vals[0] = blob;
    lens[0] = big;
    vals[1] = "tail";
    lens[1] = 4;
    vals[2] = NULL;
    lens[2] = 0;
    vals[3] = "head";
    lens[3] = 4;
    vals[4] = blob + 1;
    lens[4] = big - 1;
    vals[5] = "";
    lens[5] = 0;
    roundtrip(vals, lens, 2, 3, 0);
    roundtrip(vals, lens, 2, 3, 1000);
    roundtrip(vals, lens, 2, 3, 65537);
    free(blob);
}

static void test_truncated_last_line(void **state)
{
    static const char text[] = "a\tb\nc\td";
    struct fmt_tsv_reader *r;
    struct fmt_source *src;
    struct cs_error err;
    unsigned n;
    char **got;
    size_t *lens;

    (void)state;
    assert_int_equal(read_first(text, sizeof(text) - 1, &n, &got, &lens, &r, &src, &err), 1);
    assert_int_equal(n, 2);
    assert_string_equal(got[1], "b");
    assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &lens, &err), -1);
    assert_int_equal(err.code, CS_ERR_TRUNCATED);
    assert_non_null(strstr(err.msg, "raw.tsv"));
    fmt_tsv_reader_free(r);
    fmt_source_free(src);

    /* a last line ending in an escaped newline is not complete either */
    assert_int_equal(read_first("a\\\n", 3, &n, &got, &lens, &r, &src, &err), -1);
    assert_int_equal(err.code, CS_ERR_TRUNCATED);
    fmt_tsv_reader_free(r);
    fmt_source_free(src);
}

static void test_decoder_details(void **state)
{
    static const char text[] = "a\\qb\t\\\nx\tz\\N\t\\N\t\\Nab\n\n\\N\n";
    struct fmt_tsv_reader *r;
    struct fmt_source *src;
    struct cs_error err;
    unsigned n;
    char **got;
    size_t *lens;

    (void)state;
    assert_int_equal(read_first(text, sizeof(text) - 1, &n, &got, &lens, &r, &src, &err), 1);
    assert_int_equal(n, 5);
    assert_string_equal(got[0], "aqb"); /* unknown escape: the letter itself */
    assert_string_equal(got[1], "\nx"); /* backslash + raw newline */
    assert_string_equal(got[2], "zN");  /* \N only means NULL on its own */
    assert_null(got[3]);
    assert_string_equal(got[4], "Nab");
    assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &lens, &err), 1);
    assert_int_equal(n, 1); /* an empty line is one empty field */
    assert_int_equal(lens[0], 0);
    assert_non_null(got[0]);
    assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &lens, &err), 1);
    assert_int_equal(n, 1);
    assert_null(got[0]);
    assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &lens, &err), 0);
    assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &lens, &err), 0);
    fmt_tsv_reader_free(r);
    fmt_source_free(src);
}

static void test_empty_input(void **state)
{
    struct fmt_tsv_reader *r;
    struct fmt_source *src;
    struct cs_error err;
    unsigned n;
    char **got;
    size_t *lens;

    (void)state;
    assert_int_equal(read_first("", 0, &n, &got, &lens, &r, &src, &err), 0);
    assert_false(cs_error_is_set(&err));
    fmt_tsv_reader_free(r);
    fmt_source_free(src);
}

static void test_source_error(void **state)
{
    static const char text[] = "a\tb\nc\td\n";
    struct fmt_source *src = trickle_new(text, sizeof(text) - 1, 2);
    struct fmt_tsv_reader *r;
    struct cs_error err;
    unsigned n;
    char **got;
    size_t *lens;

    (void)state;
    cs_error_clear(&err);
    ((struct trickle *)src)->fail_at = 5;
    r = fmt_tsv_reader_new(src, "bad.tsv", &err);
    assert_non_null(r);
    assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &lens, &err), 1);
    assert_int_equal(fmt_tsv_reader_next(r, &n, &got, &lens, &err), -1);
    assert_int_equal(err.code, CS_ERR_IO);
    assert_non_null(strstr(err.msg, "bad.tsv"));
    assert_non_null(strstr(err.msg, "injected"));
    fmt_tsv_reader_free(r);
    fmt_source_free(src);
    fmt_tsv_reader_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_field),        cmocka_unit_test(test_encode_row),
        cmocka_unit_test(test_every_byte),          cmocka_unit_test(test_null_backslash_n_empty),
        cmocka_unit_test(test_embedded_separators), cmocka_unit_test(test_long_rows),
        cmocka_unit_test(test_truncated_last_line), cmocka_unit_test(test_decoder_details),
        cmocka_unit_test(test_empty_input),         cmocka_unit_test(test_source_error),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
