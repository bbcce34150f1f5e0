/* Sinks and sources: file/fd/memory/zstd/counter, round trips and damage. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "format/sink.h"
#include "format/source.h"

struct fixture {
    char dir[64];
    char path[128];
};

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/cs_test_sink_XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/data.zst", f->dir);
    umask(022);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Deterministic data, half random bytes and half text, so zstd has work. */
static unsigned char *make_data(size_t len, uint64_t seed)
{
    unsigned char *p = malloc(len);
    uint64_t x = seed | 1;

    assert_non_null(p);
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (i / 4096) % 2 ? (unsigned char)x : (unsigned char)("row,value\n"[i % 10]);
    }
    return p;
}

static int file_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

static char *partial_of(const char *path)
{
    static char buf[256];

    snprintf(buf, sizeof(buf), "%s.partial", path);
    return buf;
}

/* encoder -> zstd -> counter -> file, written in pieces of at most STEP. */
static void write_zstd_file(const char *path, const unsigned char *data, size_t len, size_t step,
                            int level, uint64_t *bytes, char hash[33])
{
    struct cs_error err = {0};
    struct fmt_sink *file = fmt_sink_file_new(path, 0644, &err);
    struct fmt_sink *counter = fmt_sink_counter_new(file, &err);
    struct fmt_sink *z = fmt_sink_zstd_new(counter, level, &err);
    size_t off = 0, i = 0;

    assert_non_null(z);
    while (off < len) {
        size_t n = 1 + (i++ * 7919) % step;
        if (n > len - off)
            n = len - off;
        assert_int_equal(fmt_sink_write(z, data + off, n, &err), 0);
        off += n;
    }
    assert_true(file_exists(partial_of(path)));
    assert_false(file_exists(path));
    assert_int_equal(fmt_sink_finish(z, &err), 0);
    fmt_sink_counter_result(counter, bytes, hash);
    fmt_sink_free(z);
    assert_false(file_exists(partial_of(path)));
}

/* file -> counter -> zstd; returns -1 with ERR filled on a read error. */
static ssize_t read_zstd_file(const char *path, unsigned char *out, size_t cap, uint64_t *bytes,
                              char hash[33], struct cs_error *err)
{
    struct fmt_source *file = fmt_source_file_new(path, err);
    struct fmt_source *counter = fmt_source_counter_new(file, err);
    struct fmt_source *z = fmt_source_zstd_new(counter, path, err);
    ssize_t n;

    assert_non_null(z);
    n = fmt_source_read_full(z, out, cap, err);
    if (n >= 0) { /* read on to the end: the frame checksum comes last */
        unsigned char extra;
        ssize_t m = fmt_source_read(z, &extra, 1, err);
        if (m < 0)
            n = -1;
        else
            assert_int_equal(m, 0);
    }
    if (n >= 0 && bytes)
        fmt_source_counter_result(counter, bytes, hash);
    fmt_source_free(z);
    return n;
}

static void roundtrip(struct fixture *f, size_t len, size_t step, int level)
{
    unsigned char *data = make_data(len, len + step);
    unsigned char *back = malloc(len + 100);
    uint64_t wbytes = 0, rbytes = 0;
    char whash[33], rhash[33];
    struct cs_error err = {0};
    struct stat st;

    assert_non_null(back);
    write_zstd_file(f->path, data, len, step, level, &wbytes, whash);
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal((uint64_t)st.st_size, wbytes);
    assert_true(wbytes < len); /* half of it is text */
    assert_int_equal(strlen(whash), 32);

    assert_int_equal(read_zstd_file(f->path, back, len + 100, &rbytes, rhash, &err), (ssize_t)len);
    assert_memory_equal(back, data, len);
    assert_int_equal(rbytes, wbytes);
    assert_string_equal(rhash, whash);
    free(data);
    free(back);
}

static void test_zstd_roundtrip_big_writes(void **state)
{
    roundtrip(*state, 6u << 20, 1u << 20, 3);
}

static void test_zstd_roundtrip_small_writes(void **state)
{
    roundtrip(*state, 3u << 20, 40, -5);
}

static void test_zstd_roundtrip_high_level(void **state)
{
    roundtrip(*state, 300000, 5000, 19);
}

static void test_counter_hash_matches_plain_file(void **state)
{
    struct fixture *f = *state;
    unsigned char *data = make_data(700000, 42);
    unsigned char *back = malloc(700000);
    struct cs_error err = {0};
    struct fmt_sink *s = fmt_sink_counter_new(fmt_sink_file_new(f->path, 0644, &err), &err);
    struct fmt_source *src;
    char h1[33], h2[33];
    uint64_t n1, n2;

    assert_non_null(s);
    assert_non_null(back);
    assert_int_equal(fmt_sink_write(s, data, 700000, &err), 0);
    assert_int_equal(fmt_sink_finish(s, &err), 0);
    fmt_sink_counter_result(s, &n1, h1);
    fmt_sink_free(s);
    src = fmt_source_counter_new(fmt_source_file_new(f->path, &err), &err);
    assert_non_null(src);
    assert_int_equal(fmt_source_read_full(src, back, 700000, &err), 700000);
    assert_int_equal(fmt_source_read(src, back, 10, &err), 0);
    fmt_source_counter_result(src, &n2, h2);
    fmt_source_free(src);
    assert_int_equal(n1, 700000);
    assert_int_equal(n2, 700000);
    assert_string_equal(h1, h2);
    assert_memory_equal(back, data, 700000);
    /* a one-byte change changes the hash */
    data[1234] ^= 1;
    s = fmt_sink_counter_new(fmt_sink_memory_new(&err), &err);
    assert_int_equal(fmt_sink_write(s, data, 700000, &err), 0);
    fmt_sink_counter_result(s, &n2, h2);
    assert_string_not_equal(h1, h2);
    fmt_sink_free(s);
    free(data);
    free(back);
}

static void test_zstd_truncated(void **state)
{
    struct fixture *f = *state;
    size_t len = 1u << 20;
    unsigned char *data = make_data(len, 7);
    unsigned char *back = malloc(len);
    struct cs_error err = {0};
    uint64_t bytes;
    char hash[33];

    write_zstd_file(f->path, data, len, 65536, 3, &bytes, hash);
    assert_int_equal(truncate(f->path, (off_t)bytes - 3), 0);
    assert_int_equal(read_zstd_file(f->path, back, len, NULL, NULL, &err), -1);
    assert_int_equal(err.code, CS_ERR_TRUNCATED);
    assert_non_null(strstr(err.msg, f->path));
    assert_non_null(strstr(err.msg, "ends early"));

    cs_error_clear(&err);
    assert_int_equal(truncate(f->path, (off_t)bytes / 2), 0);
    assert_int_equal(read_zstd_file(f->path, back, len, NULL, NULL, &err), -1);
    assert_int_equal(err.code, CS_ERR_TRUNCATED);
    free(data);
    free(back);
}

static void test_zstd_flipped_byte(void **state)
{
    struct fixture *f = *state;
    size_t len = 1u << 20;
    unsigned char *data = make_data(len, 9);
    unsigned char *back = malloc(len);
    struct cs_error err = {0};
    unsigned char c;
    uint64_t bytes;
    char hash[33];
    int fd;

    write_zstd_file(f->path, data, len, 65536, 3, &bytes, hash);
    fd = open(f->path, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &c, 1, (off_t)bytes / 2), 1);
    c ^= 0x10;
    assert_int_equal(pwrite(fd, &c, 1, (off_t)bytes / 2), 1);
    close(fd);
    assert_int_equal(read_zstd_file(f->path, back, len, NULL, NULL, &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "not valid zstd data"));
    assert_non_null(strstr(err.msg, f->path));
    free(data);
    free(back);
}

/* Random bytes are stored as raw blocks: a flipped byte there decodes
 * cleanly to wrong data (zstd frames carry no content checksum: csdump's
 * file hash covers them), and only the file's hash catches it. */
static void test_zstd_flipped_byte_raw_block(void **state)
{
    struct fixture *f = *state;
    size_t len = 200000;
    unsigned char *data = malloc(len);
    unsigned char *back = malloc(len);
    struct cs_error err = {0};
    uint64_t x = 88172645463325252ULL, bytes;
    unsigned char c;
    char hash[33];
    int fd;

    assert_non_null(data);
    assert_non_null(back);
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data[i] = (unsigned char)(x >> 24);
    }
    write_zstd_file(f->path, data, len, len, 3, &bytes, hash);
    assert_true(bytes > len); /* incompressible: raw blocks */
    fd = open(f->path, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &c, 1, (off_t)bytes / 2), 1);
    c ^= 0x01;
    assert_int_equal(pwrite(fd, &c, 1, (off_t)bytes / 2), 1);
    close(fd);
    {
        uint64_t got_bytes;
        char got_hash[33];
        assert_int_equal(read_zstd_file(f->path, back, len, &got_bytes, got_hash, &err),
                         (ssize_t)len);
        assert_int_equal(got_bytes, bytes);
        assert_string_not_equal(got_hash, hash);
        assert_memory_not_equal(back, data, len);
    }
    free(data);
    free(back);
}

static void test_zstd_empty_and_garbage(void **state)
{
    struct fixture *f = *state;
    struct cs_error err = {0};
    unsigned char buf[64];
    struct fmt_source *s;

    /* a zero-byte file is truncated */
    assert_int_equal(close(open(f->path, O_CREAT | O_WRONLY, 0644)), 0);
    assert_int_equal(read_zstd_file(f->path, buf, sizeof(buf), NULL, NULL, &err), -1);
    assert_int_equal(err.code, CS_ERR_TRUNCATED);

    cs_error_clear(&err);
    s = fmt_source_zstd_new(fmt_source_memory_new("hello world, not zstd", 21, &err), "mem", &err);
    assert_int_equal(fmt_source_read(s, buf, sizeof(buf), &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "mem: not valid zstd data"));
    fmt_source_free(s);
}

/* Compress DATA into a single zstd frame appended to the memory sink ALL. */
static void compress_into(struct fmt_sink *all, const void *data, size_t len, size_t *frame_len)
{
    struct cs_error err = {0};
    struct fmt_sink *mem = fmt_sink_memory_new(&err);
    struct fmt_sink *z = fmt_sink_zstd_new(mem, 1, &err);
    const void *p;

    assert_non_null(z);
    assert_int_equal(fmt_sink_write(z, data, len, &err), 0);
    assert_int_equal(fmt_sink_finish(z, &err), 0);
    p = fmt_sink_memory_data(mem, frame_len);
    assert_int_equal(fmt_sink_write(all, p, *frame_len, &err), 0);
    fmt_sink_free(z); /* frees mem too */
}

static void test_zstd_frames_and_empty_content(void **state)
{
    struct cs_error err = {0};
    struct fmt_sink *all = fmt_sink_memory_new(&err);
    struct fmt_source *s;
    size_t n, n1, n2, n3;
    const char *p;
    char out[64];

    (void)state;
    assert_non_null(all);
    compress_into(all, "first frame;", 12, &n1);
    compress_into(all, "", 0, &n2);
    compress_into(all, "second frame", 12, &n3);
    assert_true(n2 > 0); /* an empty frame still has a header */
    p = fmt_sink_memory_data(all, &n);
    assert_int_equal(n, n1 + n2 + n3);

    s = fmt_source_zstd_new(fmt_source_memory_new(p + n1, n2, &err), "empty", &err);
    assert_int_equal(fmt_source_read(s, out, sizeof(out), &err), 0);
    assert_int_equal(err.code, CS_OK);
    fmt_source_free(s);

    s = fmt_source_zstd_new(fmt_source_memory_new(p, n, &err), "concat", &err);
    assert_int_equal(fmt_source_read_full(s, out, sizeof(out), &err), 24);
    assert_memory_equal(out, "first frame;second frame", 24);
    assert_int_equal(err.code, CS_OK);
    fmt_source_free(s);

    /* trailing garbage after a good frame is a format error */
    assert_int_equal(fmt_sink_write(all, "junkjunk", 8, &err), 0);
    p = fmt_sink_memory_data(all, &n);
    s = fmt_source_zstd_new(fmt_source_memory_new(p, n, &err), "junk", &err);
    assert_int_equal(fmt_source_read_full(s, out, sizeof(out), &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    fmt_source_free(s);
    fmt_sink_free(all);
}

static void test_file_sink_abandon_and_mode(void **state)
{
    struct fixture *f = *state;
    struct cs_error err = {0};
    struct fmt_sink *s;
    struct stat st;
    char buf[16];
    int fd;

    /* a stale partial is replaced */
    fd = open(partial_of(f->path), O_CREAT | O_WRONLY, 0644);
    assert_int_equal(write(fd, "stale stale", 11), 11);
    close(fd);
    s = fmt_sink_file_new(f->path, 0600, &err);
    assert_non_null(s);
    assert_int_equal(fmt_sink_write(s, "abc", 3, &err), 0);
    fmt_sink_free(s); /* unfinished: partial removed, no final file */
    assert_false(file_exists(partial_of(f->path)));
    assert_false(file_exists(f->path));

    s = fmt_sink_file_new(f->path, 0600, &err);
    assert_int_equal(fmt_sink_write(s, "abc", 3, &err), 0);
    assert_int_equal(fmt_sink_finish(s, &err), 0);
    fmt_sink_free(s);
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 3);
    fd = open(f->path, O_RDONLY);
    assert_int_equal(read(fd, buf, sizeof(buf)), 3);
    close(fd);
    assert_memory_equal(buf, "abc", 3);
}

static void test_file_errors(void **state)
{
    struct fixture *f = *state;
    struct cs_error err = {0};
    char path[256];

    snprintf(path, sizeof(path), "%s/no/such/dir/x", f->dir);
    assert_null(fmt_sink_file_new(path, 0644, &err));
    assert_int_equal(err.code, CS_ERR_IO);
    assert_non_null(strstr(err.msg, "no/such/dir/x.partial"));

    /* a chain built on a failed constructor fails with its error */
    cs_error_clear(&err);
    assert_null(fmt_sink_zstd_new(fmt_sink_counter_new(fmt_sink_file_new(path, 0644, &err), &err),
                                  3, &err));
    assert_int_equal(err.code, CS_ERR_IO);
    assert_non_null(strstr(err.msg, "x.partial"));
    cs_error_clear(&err);
    assert_null(fmt_source_zstd_new(fmt_source_counter_new(fmt_source_file_new(path, &err), &err),
                                    path, &err));
    assert_int_equal(err.code, CS_ERR_MISSING);

    cs_error_clear(&err);
    assert_null(fmt_source_file_new(path, &err));
    assert_int_equal(err.code, CS_ERR_MISSING);
    assert_int_equal(err.sys_errno, ENOENT);
    assert_non_null(strstr(err.msg, path));
}

static void test_fd_sink_and_source(void **state)
{
    struct fixture *f = *state;
    struct cs_error err = {0};
    struct fmt_sink *s;
    struct fmt_source *src;
    char buf[32];
    int fd = open(f->path, O_CREAT | O_RDWR, 0644);

    assert_true(fd >= 0);
    s = fmt_sink_fd_new(fd, &err);
    assert_int_equal(fmt_sink_write(s, "hello ", 6, &err), 0);
    assert_int_equal(fmt_sink_write(s, "fd", 2, &err), 0);
    assert_int_equal(fmt_sink_finish(s, &err), 0);
    fmt_sink_free(s);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0); /* fd still open */
    src = fmt_source_fd_new(fd, "test fd", &err);
    assert_int_equal(fmt_source_read_full(src, buf, sizeof(buf), &err), 8);
    assert_memory_equal(buf, "hello fd", 8);
    fmt_source_free(src);
    assert_int_equal(close(fd), 0); /* not closed by the source */

    /* a full device: the error names the sink and the errno */
    fd = open("/dev/full", O_WRONLY);
    if (fd < 0)
        return;
    s = fmt_sink_fd_new(fd, &err);
    assert_int_equal(fmt_sink_write(s, "x", 1, &err), 0);
    assert_int_equal(fmt_sink_finish(s, &err), -1);
    assert_int_equal(err.code, CS_ERR_IO);
    assert_int_equal(err.sys_errno, ENOSPC);
    assert_non_null(strstr(err.msg, "write fd"));
    fmt_sink_free(s);
    close(fd);
}

static void test_memory_sink_and_source(void **state)
{
    unsigned char *data = make_data(1000003, 5);
    unsigned char back[1000];
    struct cs_error err = {0};
    struct fmt_sink *s = fmt_sink_memory_new(&err);
    struct fmt_source *src;
    const unsigned char *p;
    size_t n, off = 0;

    (void)state;
    p = fmt_sink_memory_data(s, &n);
    assert_int_equal(n, 0);
    for (size_t i = 0; i < 1000003; i += 1000)
        assert_int_equal(fmt_sink_write(s, data + i, i + 1000 > 1000003 ? 3 : 1000, &err), 0);
    assert_int_equal(fmt_sink_finish(s, &err), 0);
    p = fmt_sink_memory_data(s, &n);
    assert_int_equal(n, 1000003);
    assert_memory_equal(p, data, n);

    src = fmt_source_memory_new(p, n, &err);
    for (;;) {
        ssize_t r = fmt_source_read(src, back, 777, &err);
        assert_true(r >= 0);
        if (r == 0)
            break;
        assert_memory_equal(back, data + off, (size_t)r);
        off += (size_t)r;
    }
    assert_int_equal(off, 1000003);
    fmt_source_free(src);
    fmt_sink_free(s);
    free(data);
}

/* A source that hands out 3 bytes at a time, for read_full. */
struct trickle {
    struct fmt_source base;
    size_t left;
};

static ssize_t trickle_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct trickle *t = (struct trickle *)s;
    size_t n = cap < 3 ? cap : 3;

    (void)err;
    if (n > t->left)
        n = t->left;
    memset(buf, 'x', n);
    t->left -= n;
    return (ssize_t)n;
}

static void trickle_free(struct fmt_source *s)
{
    (void)s;
}

static void test_read_full(void **state)
{
    struct trickle t = {{trickle_read, trickle_free}, 20};
    struct cs_error err = {0};
    char buf[32];

    (void)state;
    assert_int_equal(fmt_source_read_full(&t.base, buf, 10, &err), 10);
    assert_int_equal(fmt_source_read_full(&t.base, buf, 32, &err), 10);
    assert_int_equal(fmt_source_read_full(&t.base, buf, 32, &err), 0);
    fmt_source_free(NULL);
    fmt_sink_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_zstd_roundtrip_big_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zstd_roundtrip_small_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zstd_roundtrip_high_level, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counter_hash_matches_plain_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zstd_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zstd_flipped_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zstd_flipped_byte_raw_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zstd_empty_and_garbage, setup, teardown),
        cmocka_unit_test(test_zstd_frames_and_empty_content),
        cmocka_unit_test_setup_teardown(test_file_sink_abandon_and_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fd_sink_and_source, setup, teardown),
        cmocka_unit_test(test_memory_sink_and_source),
        cmocka_unit_test(test_read_full),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
