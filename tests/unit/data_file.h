/*
 * data_file.h - helpers the manifest unit tests share (after cmocka.h):
 * a strdup that must succeed and a file of tests/data read whole.
 */
#ifndef TEST_DATA_FILE_H
#define TEST_DATA_FILE_H

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/fs.h"

static inline char *xstrdup(const char *s)
{
    char *d = strdup(s);

    assert_non_null(d);
    return d;
}

/* tests/data/FILE (at most 1 MiB), malloc'd, its length in *LEN. */
__attribute__((noinline, unused)) static char *read_data(const char *file, size_t *len)
{
    struct cs_error err;
    char *path = cs_fs_join(CS_TEST_DATA, file);
    char *text = NULL;

    cs_error_clear(&err);
    assert_non_null(path);
    assert_int_equal(cs_fs_read_all(path, 1 << 20, &text, len, &err), 0);
    free(path);
    return text;
}

#endif
