#include "common/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir one prefix of the path; an existing directory is fine. */
static int mkdir_one(const char *dir, const char *path, mode_t mode, struct cs_error *err)
{
    struct stat st;

    if (mkdir(dir, mode) == 0)
        return 0;
    if (errno != EEXIST)
        return cs_error_sys(err, CS_ERR_IO, errno, "mkdir %s", dir);
    if (stat(dir, &st) < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "mkdir %s", dir);
    if (!S_ISDIR(st.st_mode))
        return cs_error_set(err, CS_ERR_IO, "mkdir %s: %s exists and is not a directory", path,
                            dir);
    return 0;
}

int cs_fs_mkdir_p(const char *path, mode_t mode, struct cs_error *err)
{
    char *copy = NULL;
    char *p;
    int rc = -1;

    if (!path || !*path)
        return cs_error_set(err, CS_ERR_USAGE, "mkdir: empty directory name");
    copy = strdup(path);
    if (!copy)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory creating %s", path);
    for (p = copy + 1; *p; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        if (mkdir_one(copy, path, mode, err) < 0)
            goto out;
        *p = '/';
    }
    rc = mkdir_one(copy, path, mode, err);
out:
    free(copy);
    return rc;
}

int cs_fs_fsync_dir(const char *dir, struct cs_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = 0;

    if (fd < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "open directory %s", dir);
    /* Some file systems cannot fsync a directory (EINVAL): nothing to do. */
    if (fsync(fd) < 0 && errno != EINVAL)
        rc = cs_error_sys(err, CS_ERR_IO, errno, "fsync directory %s", dir);
    close(fd);
    return rc;
}

static int write_all(int fd, const void *buf, size_t len, const char *name, struct cs_error *err)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return cs_error_sys(err, CS_ERR_IO, n < 0 ? errno : EIO, "write %s", name);
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The directory holding PATH ("." if none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Write, fsync (when SYNC) and close PARTIAL; the fd is always closed. */
static int write_partial(const char *partial, const void *buf, size_t len, mode_t mode, int sync,
                         struct cs_error *err)
{
    int fd = open(partial, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode);
    int rc = -1;

    if (fd < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "create %s", partial);
    if (write_all(fd, buf, len, partial, err) < 0)
        goto out;
    if (sync && fsync(fd) < 0) {
        cs_error_sys(err, CS_ERR_IO, errno, "fsync %s", partial);
        goto out;
    }
    rc = 0;
out:
    if (close(fd) < 0 && rc == 0)
        rc = cs_error_sys(err, CS_ERR_IO, errno, "close %s", partial);
    return rc;
}

/* SYNC: fsync the file before its rename and the directory after it. */
static int write_renamed(const char *path, const void *buf, size_t len, mode_t mode, int sync,
                         struct cs_error *err)
{
    char *partial = NULL;
    char *dir = NULL;
    int created = 0;
    int rc = -1;

    if (asprintf(&partial, "%s%s", path, CS_PARTIAL_SUFFIX) < 0) {
        partial = NULL;
        cs_error_set(err, CS_ERR_NOMEM, "out of memory writing %s", path);
        goto out;
    }
    dir = dir_of(path);
    if (!dir) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory writing %s", path);
        goto out;
    }
    if (unlink(partial) < 0 && errno != ENOENT) {
        cs_error_sys(err, CS_ERR_IO, errno, "remove stale %s", partial);
        goto out;
    }
    created = 1;
    if (write_partial(partial, buf, len, mode, sync, err) < 0)
        goto out;
    if (rename(partial, path) < 0) {
        cs_error_sys(err, CS_ERR_IO, errno, "rename %s to %s", partial, path);
        goto out;
    }
    created = 0;
    rc = sync ? cs_fs_fsync_dir(dir, err) : 0;
out:
    if (created)
        unlink(partial);
    free(partial);
    free(dir);
    return rc;
}

int cs_fs_write_atomic(const char *path, const void *buf, size_t len, mode_t mode,
                       struct cs_error *err)
{
    return write_renamed(path, buf, len, mode, 1, err);
}

int cs_fs_write_renamed(const char *path, const void *buf, size_t len, mode_t mode,
                        struct cs_error *err)
{
    return write_renamed(path, buf, len, mode, 0, err);
}

int cs_fs_fsync_file(const char *path, struct cs_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    int rc = 0;

    if (fd < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "open %s", path);
    if (fsync(fd) < 0)
        rc = cs_error_sys(err, CS_ERR_IO, errno, "fsync %s", path);
    close(fd);
    return rc;
}

/* Read all of FD into *OUT; more than MAX bytes is CS_ERR_FORMAT. */
static int read_fd(int fd, const char *path, size_t max, char **out, size_t *len,
                   struct cs_error *err)
{
    size_t cap = 4096, n = 0;
    char *data = malloc(cap);

    while (data) {
        ssize_t r;
        if (n == cap - 1) {
            char *p = realloc(data, cap * 2);
            if (!p)
                break;
            data = p;
            cap *= 2;
        }
        r = read(fd, data + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(data);
            return cs_error_sys(err, CS_ERR_IO, errno, "read %s", path);
        }
        if (r == 0) {
            data[n] = '\0';
            *out = data;
            *len = n;
            return 0;
        }
        n += (size_t)r;
        if (n > max) {
            free(data);
            return cs_error_set(err, CS_ERR_FORMAT, "%s: larger than %zu bytes", path, max);
        }
    }
    free(data);
    return cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s", path);
}

int cs_fs_read_all(const char *path, size_t max, char **out, size_t *len, struct cs_error *err)
{
    size_t dummy;
    int fd, rc;

    *out = NULL;
    if (!len)
        len = &dummy;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cs_error_sys(err, errno == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, errno, "open %s",
                            path);
    rc = read_fd(fd, path, max, out, len, err);
    close(fd);
    return rc;
}

char *cs_fs_join(const char *dir, const char *name)
{
    size_t n = dir ? strlen(dir) : 0;
    char *out = NULL;

    if (n == 0)
        return strdup(name);
    if (asprintf(&out, "%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name) < 0)
        return NULL;
    return out;
}

static int is_partial_name(const char *name)
{
    size_t n = strlen(name), s = strlen(CS_PARTIAL_SUFFIX);

    return n > s && strcmp(name + n - s, CS_PARTIAL_SUFFIX) == 0;
}

int cs_fs_remove_partials(const char *dir, struct cs_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int count = 0;

    if (!d)
        return cs_error_sys(err, errno == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, errno,
                            "open directory %s", dir);
    for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
        struct stat st;
        if (!is_partial_name(de->d_name))
            continue;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode))
            continue; /* gone meanwhile, or a directory: not ours */
        if (unlinkat(dirfd(d), de->d_name, 0) == 0) {
            count++;
        } else if (errno != ENOENT) {
            count = cs_error_sys(err, CS_ERR_IO, errno, "remove %s/%s", dir, de->d_name);
            goto out;
        }
    }
    if (errno != 0)
        count = cs_error_sys(err, CS_ERR_IO, errno, "read directory %s", dir);
out:
    closedir(d);
    return count;
}

int cs_fs_remove_flat_dir(const char *dir, struct cs_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;

    if (!d)
        return errno == ENOENT ? 0 : cs_error_sys(err, CS_ERR_IO, errno, "%s", dir);
    while ((e = readdir(d))) {
        char *path;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        path = cs_fs_join(dir, e->d_name);
        if (!path || (unlink(path) < 0 && errno != ENOENT))
            rc = path ? cs_error_sys(err, CS_ERR_IO, errno, "%s", path)
                      : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        free(path);
    }
    closedir(d);
    if (rmdir(dir) < 0 && rc == 0)
        rc = cs_error_sys(err, CS_ERR_IO, errno, "%s", dir);
    return rc;
}
