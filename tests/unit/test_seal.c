/* Sealed (encrypted) streams: round trip at every size around the segment
 * boundary; a flipped byte, a cut at any point (inside a segment, at a
 * boundary, inside the header), reordered segments, another key and a
 * plain file are each detected with their own error; key files; names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "format/seal.h"

static struct fmt_seal_key key_a = {{1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                     12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                     23, 24, 25, 26, 27, 28, 29, 30, 31, 32}};

/* Seal N pattern bytes into a malloc'd buffer (*out, *outlen). */
static void seal(const struct fmt_seal_key *k, size_t n, unsigned char **out, size_t *outlen)
{
    struct cs_error err;
    struct fmt_sink *mem, *s;
    unsigned char *plain = malloc(n + 1);
    const void *d;

    cs_error_clear(&err);
    for (size_t i = 0; i < n; i++)
        plain[i] = (unsigned char)(i * 7 + (i >> 9));
    mem = fmt_sink_memory_new(&err);
    s = fmt_sink_seal_new(mem, k, &err);
    assert_non_null(s);
    /* odd write sizes across segment boundaries */
    for (size_t off = 0; off < n;) {
        size_t w = (off % 3 == 0) ? 1000 : 70001;
        if (w > n - off)
            w = n - off;
        assert_int_equal(fmt_sink_write(s, plain + off, w, &err), 0);
        off += w;
    }
    assert_int_equal(fmt_sink_finish(s, &err), 0);
    d = fmt_sink_memory_data(mem, outlen);
    *out = malloc(*outlen + 1);
    memcpy(*out, d, *outlen);
    fmt_sink_free(s);
    free(plain);
}

/* Unseal; returns bytes read or -1 with ERR. */
static ssize_t unseal(const struct fmt_seal_key *k, const unsigned char *c, size_t n,
                      unsigned char **plain, struct cs_error *err)
{
    struct fmt_source *src =
        fmt_source_unseal_new(fmt_source_memory_new(c, n, err), k, "f.cse", err);
    size_t cap = n + 16, got = 0;
    ssize_t r;

    *plain = malloc(cap);
    while ((r = fmt_source_read(src, *plain + got, cap - got, err)) > 0)
        got += (size_t)r;
    fmt_source_free(src);
    return r < 0 ? -1 : (ssize_t)got;
}

static void test_round_trip(void **state)
{
    const size_t sizes[] = {0,
                            1,
                            FMT_SEAL_SEGMENT - 1,
                            FMT_SEAL_SEGMENT,
                            FMT_SEAL_SEGMENT + 1,
                            2 * FMT_SEAL_SEGMENT,
                            300000};
    (void)state;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *c, *p;
        size_t cn;
        struct cs_error err;
        cs_error_clear(&err);
        seal(&key_a, sizes[i], &c, &cn);
        size_t segs = sizes[i] ? (sizes[i] + FMT_SEAL_SEGMENT - 1) / FMT_SEAL_SEGMENT : 1;
        assert_int_equal(cn, FMT_SEAL_HEADER + sizes[i] + 16 * segs);
        assert_true(fmt_seal_is_sealed(c, cn));
        assert_int_equal(unseal(&key_a, c, cn, &p, &err), (ssize_t)sizes[i]);
        for (size_t j = 0; j < sizes[i]; j++)
            assert_int_equal(p[j], (unsigned char)(j * 7 + (j >> 9)));
        free(c);
        free(p);
    }
}

static void expect_fail(const unsigned char *c, size_t n, const struct fmt_seal_key *k, int code)
{
    struct cs_error err;
    unsigned char *p;

    cs_error_clear(&err);
    assert_int_equal(unseal(k, c, n, &p, &err), -1);
    assert_int_equal(err.code, code);
    assert_non_null(strstr(err.msg, "f.cse"));
    free(p);
}

static void test_damage(void **state)
{
    struct fmt_seal_key other = key_a;
    unsigned char *c, *swapped;
    const size_t seg = FMT_SEAL_SEGMENT + 16;
    size_t n;

    (void)state;
    other.k[0] ^= 1;
    seal(&key_a, 3 * FMT_SEAL_SEGMENT + 5, &c, &n);
    c[FMT_SEAL_HEADER + seg + 100] ^= 0x20; /* a byte in segment 1 */
    expect_fail(c, n, &key_a, CS_ERR_CHECKSUM);
    c[FMT_SEAL_HEADER + seg + 100] ^= 0x20;
    c[10] ^= 1; /* the salt: every segment fails */
    expect_fail(c, n, &key_a, CS_ERR_CHECKSUM);
    c[10] ^= 1;
    expect_fail(c, n, &other, CS_ERR_CHECKSUM);
    /* cuts: inside a segment, at a boundary, inside the header, header only */
    expect_fail(c, n - 1, &key_a, CS_ERR_CHECKSUM);
    expect_fail(c, FMT_SEAL_HEADER + 2 * seg, &key_a, CS_ERR_TRUNCATED);
    expect_fail(c, FMT_SEAL_HEADER - 3, &key_a, CS_ERR_TRUNCATED);
    expect_fail(c, FMT_SEAL_HEADER + 5, &key_a, CS_ERR_TRUNCATED);
    /* segments 0 and 1 swapped */
    swapped = malloc(n);
    memcpy(swapped, c, n);
    memcpy(swapped + FMT_SEAL_HEADER, c + FMT_SEAL_HEADER + seg, seg);
    memcpy(swapped + FMT_SEAL_HEADER + seg, c + FMT_SEAL_HEADER, seg);
    expect_fail(swapped, n, &key_a, CS_ERR_CHECKSUM);
    expect_fail((const unsigned char *)"{\"format_version\": 2}", 21, &key_a, CS_ERR_FORMAT);
    free(swapped);
    free(c);
}

static void test_keys_and_names(void **state)
{
    char path[] = "/tmp/cs-seal-key.XXXXXX";
    int fd = mkstemp(path);
    struct fmt_seal_key k;
    struct cs_error err;
    struct cs_buf a = CS_BUF_INIT, b = CS_BUF_INIT;
    FILE *f;

    (void)state;
    cs_error_clear(&err);
    assert_true(fd >= 0);
    close(fd);
    f = fopen(path, "w");
    fputs("  0102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F20\n", f);
    fclose(f);
    assert_int_equal(fmt_seal_key_load(path, &k, &err), 0);
    assert_memory_equal(k.k, key_a.k, 32);
    f = fopen(path, "w");
    fwrite(key_a.k, 1, 32, f);
    fclose(f);
    assert_int_equal(fmt_seal_key_load(path, &k, &err), 0);
    assert_memory_equal(k.k, key_a.k, 32);
    f = fopen(path, "w");
    fputs("0102", f);
    fclose(f);
    assert_int_equal(fmt_seal_key_load(path, &k, &err), -1);
    assert_non_null(strstr(err.msg, "openssl rand -hex 32"));
    unlink(path);
    assert_int_equal(fmt_seal_key_load(path, &k, &err), -1);

    fmt_seal_name(&a, &key_a, "shop.orders.00001.000.tsv.zst");
    fmt_seal_name(&b, &key_a, "shop.orders.00001.000.tsv.zst");
    assert_string_equal(a.data, b.data);
    assert_int_equal(a.len, 36);
    assert_null(strstr(a.data, "shop"));
    cs_buf_reset(&b);
    fmt_seal_name(&b, &key_a, "shop.orders.00002.000.tsv.zst");
    assert_string_not_equal(a.data, b.data);
    cs_buf_release(&a);
    cs_buf_release(&b);
}

/* fmt_seal_sealed_size is what the sink writes, fmt_seal_plain_size its
 * inverse, and sizes no sealed file can have are refused; stored names. */
static void test_sizes_and_stored_names(void **state)
{
    static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 131072, 131073, 300000};
    struct cs_error err;
    char *n;

    (void)state;
    cs_error_clear(&err);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *c;
        size_t clen;
        uint64_t plain = 12345;
        seal(&key_a, sizes[i], &c, &clen);
        assert_int_equal(fmt_seal_sealed_size(sizes[i]), clen);
        assert_int_equal(fmt_seal_plain_size(clen, &plain), 0);
        assert_int_equal(plain, sizes[i]);
        assert_int_equal(fmt_seal_plain_size(clen + 1, &plain) == 0 && plain == sizes[i], 0);
        free(c);
    }
    assert_int_equal(fmt_seal_plain_size(FMT_SEAL_HEADER + 15, &(uint64_t){0}), -1);
    assert_int_equal(fmt_seal_plain_size(FMT_SEAL_HEADER + 16 + 65536 + 1, &(uint64_t){0}), -1);
    n = fmt_seal_stored_name(&key_a, "manifest.json");
    assert_string_equal(n, "manifest.json");
    free(n);
    n = fmt_seal_stored_name(&key_a, "shop.orders.00000.000.tsv.zst");
    assert_int_equal(strlen(n), 36);
    assert_non_null(strstr(n, ".cse"));
    assert_null(strstr(n, "shop"));
    free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_keys_and_names),
        cmocka_unit_test(test_sizes_and_stored_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
