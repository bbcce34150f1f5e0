/*
 * input_dir.c - the directory input: a dump read from DIR on a file system.
 *
 * The manifest is DIR/manifest.json; a file is DIR/NAME, NAME a plain name
 * (no '/', not "." or "..", not empty) or CS_ERR_HOSTILE.  list() names every
 * entry of DIR but "." and "..", whatever its type (a subdirectory, symlink or
 * leftover *.partial is listed too, so a check can report it).  The only
 * state is the directory path, set at creation: open() is safe from several
 * threads at once.
 */
#include "load/input.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fs.h"
#include "load/bounds_v1.h"

struct dir_input {
    struct load_input base;
    char *dir;
};

static int plain_name(const char *s)
{
    return s && *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static struct fmt_manifest *dir_read_manifest(struct load_input *in, struct cs_error *err)
{
    return load_bounds_v1_take(fmt_manifest_read(((struct dir_input *)in)->dir, err), in->name,
                               err);
}

static struct fmt_source *dir_open(struct load_input *in, const char *file, struct cs_error *err)
{
    struct dir_input *d = (struct dir_input *)in;
    struct fmt_source *src;
    char *path;

    if (!plain_name(file)) {
        cs_error_set(err, CS_ERR_HOSTILE,
                     "%s: refusing file name '%s': not a plain name inside the dump", d->dir,
                     file ? file : "(null)");
        return NULL;
    }
    path = cs_fs_join(d->dir, file);
    if (!path) {
        cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory opening %s", d->dir, file);
        return NULL;
    }
    src = fmt_source_file_new(path, err);
    free(path);
    return src;
}

/* Appends a copy of NAME to *NAMES (grown by doubling). 0 or -1. */
static int list_push(char ***names, size_t *n, size_t *cap, const char *name)
{
    char *dup;

    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        char **p = realloc(*names, ncap * sizeof(*p));
        if (!p)
            return -1;
        *names = p;
        *cap = ncap;
    }
    dup = strdup(name);
    if (!dup)
        return -1;
    (*names)[(*n)++] = dup;
    return 0;
}

static int dir_list(struct load_input *in, char ***names, size_t *n, struct cs_error *err)
{
    struct dir_input *d = (struct dir_input *)in;
    char **out = NULL;
    size_t count = 0, cap = 0;
    struct dirent *de;
    DIR *dh = NULL;
    int rc = -1;

    dh = opendir(d->dir);
    if (!dh) {
        cs_error_sys(err, errno == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, errno,
                     "%s: cannot list the dump directory", d->dir);
        goto out;
    }
    for (;;) {
        errno = 0;
        de = readdir(dh);
        if (!de)
            break;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (list_push(&out, &count, &cap, de->d_name) < 0) {
            cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory listing the dump", d->dir);
            goto out;
        }
    }
    if (errno) {
        cs_error_sys(err, CS_ERR_IO, errno, "%s: cannot list the dump directory", d->dir);
        goto out;
    }
    *names = out;
    *n = count;
    out = NULL;
    rc = 0;
out:
    load_input_free_list(out, count);
    if (dh)
        closedir(dh);
    return rc;
}

static int dir_size(struct load_input *in, const char *file, uint64_t *bytes, struct cs_error *err)
{
    struct dir_input *d = (struct dir_input *)in;
    char *path;
    struct stat st;
    int rc;

    if (!plain_name(file))
        return cs_error_set(err, CS_ERR_HOSTILE, "%s: refusing file name '%s'", d->dir, file);
    path = cs_fs_join(d->dir, file);
    if (!path)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    rc = stat(path, &st);
    if (rc < 0)
        cs_error_sys(err, errno == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, errno,
                     "%s: the manifest lists %s", d->dir, file);
    else
        *bytes = (uint64_t)st.st_size;
    free(path);
    return rc < 0 ? -1 : 0;
}

static void dir_free(struct load_input *in)
{
    struct dir_input *d = (struct dir_input *)in;

    free(d->dir);
    free(d);
}

struct load_input *load_input_dir_new(const char *dir, struct cs_error *err)
{
    struct dir_input *d = NULL;
    struct stat st;

    if (!dir || !*dir) {
        cs_error_set(err, CS_ERR_USAGE, "no dump directory given");
        return NULL;
    }
    if (stat(dir, &st) < 0) {
        cs_error_sys(err, errno == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, errno,
                     "%s: cannot open the dump directory", dir);
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        cs_error_set(err, CS_ERR_USAGE, "%s: not a directory (give a dump directory)", dir);
        return NULL;
    }
    d = calloc(1, sizeof(*d));
    if (!d || !(d->dir = strdup(dir))) {
        free(d);
        cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory", dir);
        return NULL;
    }
    d->base.name = d->dir;
    d->base.read_manifest = dir_read_manifest;
    d->base.open = dir_open;
    d->base.list = dir_list;
    d->base.size = dir_size;
    d->base.free = dir_free;
    return &d->base;
}

void load_input_free(struct load_input *in)
{
    if (in)
        in->free(in);
}

void load_input_free_list(char **names, size_t n)
{
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
