#include "load/archive_int.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/fs.h"
#include "format/archive.h"
#include "format/names.h"
#include "format/s3io.h"
#include "format/sink.h"
#include "load/check.h"
#include "load/trust.h"

int load_archive_next_chunk(struct load_archive *a, load_skip_fn skip, void *skip_ctx,
                            struct load_archive_chunk **out, struct cs_error *err)
{
    *out = NULL;
    return a->mode->next(a, skip, skip_ctx, out, err);
}

void load_archive_chunk_done(struct load_archive *a, struct load_archive_chunk *ch)
{
    char *path, *stored;

    if (!ch)
        return;
    stored = load_input_trust_stored(a->in, ch->c.file);
    path = stored ? cs_fs_join(a->spool, stored) : NULL;
    if (path)
        unlink(path);
    free(path);
    free(stored);
    load_archive_chunk_free(ch);
}

int load_archive_finish(struct load_archive *a, struct fmt_manifest **final, struct cs_error *err)
{
    *final = NULL;
    return a->mode->finish ? a->mode->finish(a, final, err) : 0;
}

/* An s3://BUCKET/KEY archive is read like a file: twice, from the start. */
static int open_s3(struct load_archive *a, const char *url, const struct cs_s3_options *o,
                   const volatile int *cancel, struct cs_error *err)
{
    a->s3 = cs_s3_open_url(url, o, a->log, cancel, &a->s3key, err);
    if (!a->s3)
        return -1;
    if (!*a->s3key)
        return cs_error_set(err, CS_ERR_USAGE, "--archive %s: give the object's key", url);
    a->pipe = 0;
    return 0;
}

static int open_fd(struct load_archive *a, const char *path, struct cs_error *err)
{
    struct stat st;

    a->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    a->own_fd = strcmp(path, "-") != 0;
    if (a->fd < 0)
        return cs_error_sys(err, errno == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, errno, "%s", path);
    a->pipe = fstat(a->fd, &st) < 0 || !S_ISREG(st.st_mode);
    return 0;
}

struct load_archive *load_archive_open(const char *path, int hashes,
                                       const struct load_trust *trust,
                                       const struct cs_s3_options *s3, const struct cs_log *log,
                                       const volatile int *cancel, struct cs_error *err)
{
    struct load_archive *a = calloc(1, sizeof(*a));
    const char *tmp = getenv("TMPDIR");
    char tmpl[4096];

    if (!a) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    a->log = log;
    a->trust = *trust;
    a->hashes = hashes || trust->verify;
    a->fd = -1;
    a->name = strcmp(path, "-") ? path : "standard input";
    if ((cs_s3_is_url(path) ? open_s3(a, path, s3, cancel, err) : open_fd(a, path, err)) < 0)
        goto fail;
    a->mode = a->pipe ? &load_archive_pipe_mode : &load_archive_file_mode;
    snprintf(tmpl, sizeof(tmpl), "%s/csload-spool.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        cs_error_sys(err, CS_ERR_IO, errno, "creating a spool directory %s", tmpl);
        goto fail;
    }
    if (!(a->spool = strdup(tmpl)) ||
        !(a->in = load_input_trust_new(load_input_dir_new(a->spool, err), trust, err)) ||
        load_archive_open_reader(a, 0, err) < 0)
        goto fail;
    if (a->mode->open(a, err) < 0)
        goto fail;
    return a;
fail:
    load_archive_free(a);
    return NULL;
}

void load_archive_free(struct load_archive *a)
{
    struct cs_error ignore;

    if (!a)
        return;
    fmt_archive_reader_free(a->rd);
    load_input_free(a->direct);
    fmt_source_free(a->src);
    cs_s3_free(a->s3);
    free(a->s3key);
    if (a->own_fd && a->fd >= 0)
        close(a->fd);
    load_input_free(a->in);
    if (a->spool)
        cs_fs_remove_flat_dir(a->spool, &ignore);
    for (size_t i = 0; i < a->nseen; i++) {
        free(a->seen[i].schema);
        free(a->seen[i].table);
        free(a->seen[i].c.file);
    }
    free(a->seen);
    fmt_chunk_index_free(&a->index);
    load_archive_chunk_free(a->pending);
    fmt_manifest_free(a->m);
    fmt_manifest_free(a->final);
    free(a->spool);
    free(a);
}

struct load_input *load_archive_input(struct load_archive *a)
{
    return a->direct ? a->direct : a->in;
}

int load_archive_in_place(const struct load_archive *a)
{
    return a->direct != NULL;
}

struct fmt_manifest *load_archive_take_manifest(struct load_archive *a)
{
    struct fmt_manifest *m = a->m;
    a->m = NULL;
    return m;
}

int load_archive_is_pipe(const struct load_archive *a)
{
    return a->pipe;
}
