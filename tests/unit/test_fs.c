/* common/fs: mkdir -p, atomic writes, read_all, join, partial cleanup. */
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

#include "common/fs.h"

struct fixture {
    char dir[64];
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
    strcpy(f->dir, "/tmp/cs_test_fs_XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
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

/* "DIR/REL" in a static buffer (one at a time). */
static const char *at(struct fixture *f, const char *rel)
{
    static char buf[4][256];
    static int i;

    i = (i + 1) % 4;
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", f->dir, rel);
    return buf[i];
}

static mode_t mode_of(const char *path)
{
    struct stat st;

    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode;
}

static void put_file(const char *path, const char *text)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void test_mkdir_p(void **state)
{
    struct fixture *f = *state;
    struct cs_error err = {0};

    assert_int_equal(cs_fs_mkdir_p(at(f, "a/b/c"), 0700, &err), 0);
    assert_true(S_ISDIR(mode_of(at(f, "a/b/c"))));
    assert_int_equal(mode_of(at(f, "a/b/c")) & 07777, 0700);
    assert_int_equal(mode_of(at(f, "a")) & 07777, 0700);
    /* existing directories are fine, and keep their mode */
    assert_int_equal(cs_fs_mkdir_p(at(f, "a/b/c"), 0755, &err), 0);
    assert_int_equal(mode_of(at(f, "a/b/c")) & 07777, 0700);
    assert_int_equal(cs_fs_mkdir_p(at(f, "a//b/d/"), 0755, &err), 0);
    assert_true(S_ISDIR(mode_of(at(f, "a/b/d"))));
    assert_int_equal(mode_of(at(f, "a/b/d")) & 07777, 0755);
    assert_int_equal(cs_fs_mkdir_p("/", 0755, &err), 0);

    put_file(at(f, "a/file"), "x");
    assert_int_equal(cs_fs_mkdir_p(at(f, "a/file/sub"), 0700, &err), -1);
    assert_int_equal(err.code, CS_ERR_IO);
    assert_non_null(strstr(err.msg, "not a directory"));
    assert_non_null(strstr(err.msg, at(f, "a/file")));
    cs_error_clear(&err);
    assert_int_equal(cs_fs_mkdir_p(at(f, "a/file"), 0700, &err), -1);
    assert_non_null(strstr(err.msg, "not a directory"));
    cs_error_clear(&err);
    assert_int_equal(cs_fs_mkdir_p("", 0700, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
}

static void test_write_atomic_and_read_all(void **state)
{
    struct fixture *f = *state;
    struct cs_error err = {0};
    const char *path = at(f, "manifest.json");
    char *data = NULL;
    size_t len = 99;

    put_file(at(f, "manifest.json.partial"), "stale");
    assert_int_equal(cs_fs_write_atomic(path, "{\"a\":1}", 7, 0600, &err), 0);
    assert_int_equal(mode_of(path) & 07777, 0600);
    assert_int_equal(access(at(f, "manifest.json.partial"), F_OK), -1);
    assert_int_equal(cs_fs_read_all(path, 7, &data, &len, &err), 0);
    assert_int_equal(len, 7);
    assert_string_equal(data, "{\"a\":1}");
    free(data);

    /* overwrite; one byte too many for MAX */
    assert_int_equal(cs_fs_write_atomic(path, "12345678", 8, 0644, &err), 0);
    assert_int_equal(cs_fs_read_all(path, 7, &data, &len, &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, path));
    assert_null(data);

    /* empty file */
    assert_int_equal(cs_fs_write_atomic(path, "", 0, 0644, &err), 0);
    assert_int_equal(cs_fs_read_all(path, 100, &data, &len, &err), 0);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
}

static void test_read_all_large_and_missing(void **state)
{
    struct fixture *f = *state;
    struct cs_error err = {0};
    size_t n = 300001, len = 0;
    char *big = malloc(n), *data = NULL;

    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    assert_int_equal(cs_fs_write_atomic(at(f, "big"), big, n, 0644, &err), 0);
    assert_int_equal(cs_fs_read_all(at(f, "big"), n, &data, &len, &err), 0);
    assert_int_equal(len, n);
    assert_memory_equal(data, big, n);
    assert_int_equal(data[n], '\0');
    free(data);
    free(big);

    assert_int_equal(cs_fs_read_all(at(f, "nope"), 100, &data, &len, &err), -1);
    assert_int_equal(err.code, CS_ERR_MISSING);
    assert_non_null(strstr(err.msg, at(f, "nope")));

    /* atomic write into a missing directory fails and leaves nothing */
    cs_error_clear(&err);
    assert_int_equal(cs_fs_write_atomic(at(f, "nodir/x"), "x", 1, 0644, &err), -1);
    assert_int_equal(err.code, CS_ERR_IO);
    assert_non_null(strstr(err.msg, "nodir/x.partial"));
}

static void test_join(void **state)
{
    char *p;

    (void)state;
    p = cs_fs_join("a", "b");
    assert_string_equal(p, "a/b");
    free(p);
    p = cs_fs_join("/x/y/", "z.sql");
    assert_string_equal(p, "/x/y/z.sql");
    free(p);
    p = cs_fs_join("", "b");
    assert_string_equal(p, "b");
    free(p);
}

static void test_remove_partials_and_fsync(void **state)
{
    struct fixture *f = *state;
    struct cs_error err = {0};

    put_file(at(f, "t1.sql.zst.partial"), "x");
    put_file(at(f, "t2.partial"), "x");
    put_file(at(f, "keep.sql"), "x");
    put_file(at(f, "keep.partial.sql"), "x");
    assert_int_equal(mkdir(at(f, "dir.partial"), 0755), 0);
    assert_int_equal(symlink("/nonexistent", at(f, "link.partial")), 0);

    assert_int_equal(cs_fs_remove_partials(f->dir, &err), 3);
    assert_int_equal(access(at(f, "t1.sql.zst.partial"), F_OK), -1);
    assert_int_equal(access(at(f, "t2.partial"), F_OK), -1);
    assert_int_equal(access(at(f, "keep.sql"), F_OK), 0);
    assert_int_equal(access(at(f, "keep.partial.sql"), F_OK), 0);
    assert_true(S_ISDIR(mode_of(at(f, "dir.partial"))));
    assert_int_equal(cs_fs_remove_partials(f->dir, &err), 0);

    assert_int_equal(cs_fs_remove_partials(at(f, "missing"), &err), -1);
    assert_non_null(strstr(err.msg, "missing"));

    assert_int_equal(cs_fs_fsync_dir(f->dir, &err), 0);
    assert_int_equal(cs_fs_fsync_dir(at(f, "missing"), &err), -1);
    assert_int_equal(err.code, CS_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mkdir_p, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_atomic_and_read_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_all_large_and_missing, setup, teardown),
        cmocka_unit_test(test_join),
        cmocka_unit_test_setup_teardown(test_remove_partials_and_fsync, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
