/* format/archive.h and fmt_name_is_chunk: a written archive reads back
 * entry by entry; names are normalised or refused. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "format/archive.h"
#include "format/names.h"
#include "format/sink.h"

static void test_chunk_names(void **state)
{
    (void)state;
    assert_true(fmt_name_is_chunk("db.t.00000.000.tsv.zst"));
    assert_true(fmt_name_is_chunk("db.t.00012.1234.sql"));
    assert_true(fmt_name_is_chunk("odd%20db.we%60ird.00001.000.tsv"));
    assert_false(fmt_name_is_chunk("db.t-schema.sql"));
    assert_false(fmt_name_is_chunk("db-schema-create.sql"));
    assert_false(fmt_name_is_chunk("db.t.00000.000.tsv.zst.meta.json"));
    assert_false(fmt_name_is_chunk("manifest.json"));
    assert_false(fmt_name_is_chunk(".00000.000.tsv"));
    assert_false(fmt_name_is_chunk("db.t.000a0.000.tsv"));
    assert_false(fmt_name_is_chunk("db.t.00000.tsv"));
}

/* An empty temp file, already unlinked. */
static int tmp_fd(void)
{
    char path[] = "/tmp/cs-test-archive.XXXXXX";
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    unlink(path);
    return fd;
}

/* 300 KiB of 'x': an entry larger than the fd writer's buffer. */
static char big[300 * 1024];
static struct iovec big_part(void)
{
    memset(big, 'x', sizeof(big));
    return (struct iovec){big, sizeof(big)};
}

/* An archive with ENTRIES (name, data) pairs in a temp file; returns its fd at 0. */
static int make(const char *const *entries, size_t n)
{
    int fd = tmp_fd();
    struct cs_error err;
    struct fmt_archive_writer *w;

    w = fmt_archive_writer_new(fd, "test", &err);
    assert_non_null(w);
    for (size_t i = 0; i < n; i += 2)
        assert_int_equal(
            fmt_archive_add_memory(w, entries[i], entries[i + 1], strlen(entries[i + 1]), &err), 0);
    assert_int_equal(fmt_archive_writer_finish(w, &err), 0);
    fmt_archive_writer_free(w);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return fd;
}

static void test_round_trip(void **state)
{
    static const char *const e[] = {"a.sql",  "CREATE 1",      "b.00000.000.tsv",
                                    "x\ty\n", "manifest.json", "{}"};
    int fd = make(e, 6);
    struct cs_error err;
    struct fmt_archive_reader *r = fmt_archive_reader_new(fd, "test", &err);
    const char *name;
    uint64_t size;
    (void)state;

    assert_non_null(r);
    for (size_t i = 0; i < 6; i += 2) {
        char buf[64];
        struct fmt_source *s;
        ssize_t got;
        assert_int_equal(fmt_archive_next(r, &name, &size, &err), 1);
        assert_string_equal(name, e[i]);
        assert_int_equal(size, strlen(e[i + 1]));
        s = fmt_archive_data(r, &err);
        got = fmt_source_read_full(s, buf, sizeof(buf), &err);
        assert_int_equal(got, (ssize_t)strlen(e[i + 1]));
        assert_memory_equal(buf, e[i + 1], (size_t)got);
        fmt_source_free(s);
    }
    assert_int_equal(fmt_archive_next(r, &name, &size, &err), 0);
    fmt_archive_reader_free(r);
    close(fd);
}

/* Each entry's data read in place (fmt_archive_data_offset, then a range
 * source over the fd) is the entry's data, a long name (a pax header) too;
 * a compressed archive has no place to read in. */
static void test_data_offset(void **state)
{
    static const char *const e[] = {
        "a.sql",
        "CREATE 1",
        "b.00000.000.tsv",
        "x\ty\n",
        "a-schema-name-long-enough-for-a-pax-header-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.t.00001.000.tsv",
        "1\n2\n",
        "manifest.json",
        "{}"};
    int fd = make(e, 8);
    struct cs_error err;
    struct fmt_archive_reader *r = fmt_archive_reader_new(fd, "test", &err);
    const char *name;
    uint64_t size, off;
    (void)state;

    assert_non_null(r);
    for (size_t i = 0; i < 8; i += 2) {
        char buf[64];
        struct fmt_source *s;
        assert_int_equal(fmt_archive_next(r, &name, &size, &err), 1);
        assert_int_equal(fmt_archive_data_offset(r, &off), 1);
        s = fmt_source_fd_range_new(fd, off, size, "test", &err);
        assert_non_null(s);
        assert_int_equal(fmt_source_read_full(s, buf, sizeof(buf), &err),
                         (ssize_t)strlen(e[i + 1]));
        assert_memory_equal(buf, e[i + 1], strlen(e[i + 1]));
        fmt_source_free(s);
    }
    fmt_archive_reader_free(r);
    close(fd);
    /* the same archive gzip'd: libarchive reads it, but not in place */
    {
        char cmd[256], path[] = "/tmp/cs-test-archive-gz.XXXXXX";
        int in = make(e, 8), gz = mkstemp(path);
        assert_true(gz >= 0);
        snprintf(cmd, sizeof(cmd), "gzip -c < /dev/fd/%d > %s", in, path);
        assert_int_equal(system(cmd), 0);
        r = fmt_archive_reader_new(gz, "test.gz", &err);
        assert_non_null(r);
        assert_int_equal(fmt_archive_next(r, &name, &size, &err), 1);
        assert_string_equal(name, "a.sql");
        assert_int_equal(fmt_archive_data_offset(r, &off), 0);
        fmt_archive_reader_free(r);
        close(in);
        close(gz);
        unlink(path);
    }
}

/* A range that runs past the end of the file is CS_ERR_TRUNCATED. */
static void test_range_truncated(void **state)
{
    static const char *const e[] = {"a.sql", "CREATE 1"};
    int fd = make(e, 2);
    struct cs_error err;
    struct stat st;
    struct fmt_source *s;
    char buf[64];
    (void)state;

    assert_int_equal(fstat(fd, &st), 0);
    s = fmt_source_fd_range_new(fd, (uint64_t)st.st_size - 4, 10, "test", &err);
    assert_int_equal(fmt_source_read_full(s, buf, sizeof(buf), &err), -1);
    assert_int_equal(err.code, CS_ERR_TRUNCATED);
    fmt_source_free(s);
    close(fd);
}

/* The first entry of an archive holding NAME: refused (CS_ERR_HOSTILE) or read as WANT. */
static void expect_name(const char *name, const char *want)
{
    const char *const e[] = {name, "data"};
    int fd = make(e, 2);
    struct cs_error err;
    struct fmt_archive_reader *r = fmt_archive_reader_new(fd, "test", &err);
    const char *got;
    uint64_t size;
    int rc = fmt_archive_next(r, &got, &size, &err);

    if (want) {
        assert_int_equal(rc, 1);
        assert_string_equal(got, want);
    } else {
        assert_int_equal(rc, -1);
        assert_int_equal(err.code, CS_ERR_HOSTILE);
    }
    fmt_archive_reader_free(r);
    close(fd);
}

static void test_names(void **state)
{
    (void)state;
    expect_name("./manifest.json", "manifest.json");
    expect_name("dumpdir/manifest.json", "manifest.json"); /* one top directory */
    expect_name("/etc/passwd", NULL);
    expect_name("../evil", NULL);
    expect_name("a/../../evil", NULL);
    expect_name("a/b/c", NULL);
}

static void test_duplicate(void **state)
{
    static const char *const e[] = {"x.sql", "1", "x.sql", "2"};
    int fd = make(e, 4);
    struct cs_error err;
    struct fmt_archive_reader *r = fmt_archive_reader_new(fd, "test", &err);
    const char *name;
    uint64_t size;
    (void)state;

    assert_int_equal(fmt_archive_next(r, &name, &size, &err), 1);
    assert_int_equal(fmt_archive_next(r, &name, &size, &err), -1);
    assert_int_equal(err.code, CS_ERR_HOSTILE);
    assert_non_null(strstr(err.msg, "a second entry of that name"));
    fmt_archive_reader_free(r);
    close(fd);
}

/* A sink that keeps what it is given and how: the writes' count and largest. */
struct rec_sink {
    struct fmt_sink base;
    struct fmt_sink *mem;
    size_t writes, largest;
};

static int rec_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    struct rec_sink *r = (struct rec_sink *)s;

    r->writes++;
    r->largest = len > r->largest ? len : r->largest;
    return fmt_sink_write(r->mem, buf, len, err);
}

static int rec_finish(struct fmt_sink *s, struct cs_error *err)
{
    return fmt_sink_finish(((struct rec_sink *)s)->mem, err);
}

static void rec_free(struct fmt_sink *s)
{
    (void)s;
}

/* A chunk held in 1 MiB parts reaches the sink as 1 MiB writes (libarchive
 * unblocked: no 10 KiB blocks, no copy), and the stream is plain tar: each
 * entry a 512-byte header and its data padded to 512, then 1024 zero bytes,
 * nothing more; it reads back.  Through an fd the same bytes come out. */
static void test_large_parts_unblocked(void **state)
{
    enum { PART = 1 << 20, NPART = 3, TAIL = 777 };
    struct rec_sink rec = {{rec_write, rec_finish, rec_free}, NULL, 0, 0};
    struct iovec iov[NPART + 1];
    char *data = malloc(NPART * PART + TAIL), buf[4096];
    struct cs_error err;
    struct fmt_archive_writer *w;
    struct fmt_archive_reader *r;
    struct fmt_source *src;
    const char *name;
    const void *bytes;
    uint64_t size, expect = 512 + 512 + 512 + (NPART * PART + TAIL + 511) / 512 * 512 + 1024;
    size_t len, at = 0;
    int fd = tmp_fd();
    (void)state;

    assert_non_null(data);
    for (size_t i = 0; i < NPART * PART + TAIL; i++)
        data[i] = (char)(i % 251);
    for (int i = 0; i <= NPART; i++)
        iov[i] = (struct iovec){data + (size_t)i * PART, i < NPART ? PART : TAIL};
    rec.mem = fmt_sink_memory_new(&err);
    assert_non_null(rec.mem);
    w = fmt_archive_writer_new_sink(&rec.base, "test", &err);
    assert_non_null(w);
    assert_int_equal(fmt_archive_add_memory(w, "a.sql", "CREATE 1", 8, &err), 0);
    assert_int_equal(fmt_archive_add_parts(w, "b.00000.000.tsv", iov, NPART + 1, &err), 0);
    assert_int_equal(fmt_archive_writer_finish(w, &err), 0);
    fmt_archive_writer_free(w);
    assert_int_equal(fmt_sink_finish(&rec.base, &err), 0);
    assert_int_equal(rec.largest, PART);
    assert_true(rec.writes < 20);
    bytes = fmt_sink_memory_data(rec.mem, &len);
    assert_int_equal(len, expect);
    /* the fd writer: the same bytes but the two headers' mtimes */
    w = fmt_archive_writer_new(fd, "test", &err);
    assert_non_null(w);
    assert_int_equal(fmt_archive_add_memory(w, "a.sql", "CREATE 1", 8, &err), 0);
    assert_int_equal(fmt_archive_add_parts(w, "b.00000.000.tsv", iov, NPART + 1, &err), 0);
    assert_int_equal(fmt_archive_writer_finish(w, &err), 0);
    fmt_archive_writer_free(w);
    assert_int_equal(lseek(fd, 0, SEEK_END), (off_t)expect);
    assert_int_equal(lseek(fd, 1536, SEEK_SET), 1536);
    assert_int_equal(read(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
    assert_memory_equal(buf, (const char *)bytes + 1536, sizeof(buf));
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    r = fmt_archive_reader_new(fd, "test", &err);
    assert_non_null(r);
    assert_int_equal(fmt_archive_next(r, &name, &size, &err), 1);
    assert_int_equal(fmt_archive_next(r, &name, &size, &err), 1);
    assert_string_equal(name, "b.00000.000.tsv");
    assert_int_equal(size, NPART * PART + TAIL);
    src = fmt_archive_data(r, &err);
    for (ssize_t n; (n = fmt_source_read(src, buf, sizeof(buf), &err)) > 0; at += (size_t)n)
        assert_memory_equal(buf, data + at, (size_t)n);
    assert_int_equal(at, NPART * PART + TAIL);
    fmt_source_free(src);
    assert_int_equal(fmt_archive_next(r, &name, &size, &err), 0);
    fmt_archive_reader_free(r);
    fmt_sink_free(rec.mem);
    close(fd);
    free(data);
}

/* A full disk says so (ENOSPC, naming the archive), whether the write that
 * fails is a large part or the final flush of small entries. */
static void test_write_error_keeps_errno(void **state)
{
    struct iovec one = big_part();
    struct cs_error err;
    struct fmt_archive_writer *w;
    int fd = open("/dev/full", O_WRONLY);
    (void)state;

    if (fd < 0)
        skip();
    w = fmt_archive_writer_new(fd, "full.tar", &err);
    assert_non_null(w);
    cs_error_clear(&err);
    assert_int_equal(fmt_archive_add_memory(w, "a.sql", "CREATE 1", 8, &err), 0);
    assert_int_equal(fmt_archive_writer_finish(w, &err), -1);
    assert_int_equal(err.code, CS_ERR_IO);
    assert_int_equal(err.sys_errno, ENOSPC);
    assert_non_null(strstr(err.msg, "full.tar"));
    fmt_archive_writer_free(w);
    w = fmt_archive_writer_new(fd, "full.tar", &err);
    assert_non_null(w);
    cs_error_clear(&err);
    assert_int_equal(fmt_archive_add_parts(w, "b.00000.000.tsv", &one, 1, &err), -1);
    assert_int_equal(err.sys_errno, ENOSPC);
    assert_non_null(strstr(err.msg, "b.00000.000.tsv"));
    fmt_archive_writer_free(w);
    close(fd);
}

/* A writer freed unfinished leaves the stream cut where it was: no padding
 * of the entry, no end marker, nothing of what was still buffered; flushed,
 * what was appended is out. */
static void test_free_unfinished_leaves_it_cut(void **state)
{
    struct iovec one = big_part();
    int fd = tmp_fd();
    struct cs_error err;
    struct fmt_archive_writer *w;
    struct fmt_archive_reader *r;
    const char *name;
    uint64_t size;
    (void)state;

    w = fmt_archive_writer_new(fd, "cut.tar", &err);
    assert_non_null(w);
    assert_int_equal(fmt_archive_add_parts(w, "b.00000.000.tsv", &one, 1, &err), 0);
    assert_int_equal(fmt_archive_add_memory(w, "c.sql", "x", 1, &err), 0); /* still buffered */
    fmt_archive_writer_free(w);
    assert_int_equal(lseek(fd, 0, SEEK_END), 512 + sizeof(big));
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    r = fmt_archive_reader_new(fd, "cut.tar", &err);
    assert_non_null(r);
    assert_int_equal(fmt_archive_next(r, &name, &size, &err), 1);
    assert_string_equal(name, "b.00000.000.tsv");
    assert_int_not_equal(fmt_archive_next(r, &name, &size, &err), 1); /* no c.sql */
    fmt_archive_reader_free(r);
    /* flushed, a small entry is in the file before the archive is finished */
    assert_int_equal(ftruncate(fd, 0), 0);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    w = fmt_archive_writer_new(fd, "cut.tar", &err);
    assert_non_null(w);
    assert_int_equal(fmt_archive_add_memory(w, "c.sql", "x", 1, &err), 0);
    assert_int_equal(lseek(fd, 0, SEEK_END), 0);
    assert_int_equal(fmt_archive_writer_flush(w, &err), 0);
    assert_int_equal(lseek(fd, 0, SEEK_END), 1024);
    fmt_archive_writer_free(w);
    assert_int_equal(lseek(fd, 0, SEEK_END), 1024);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunk_names),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_data_offset),
        cmocka_unit_test(test_range_truncated),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_large_parts_unblocked),
        cmocka_unit_test(test_write_error_keeps_errno),
        cmocka_unit_test(test_free_unfinished_leaves_it_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
