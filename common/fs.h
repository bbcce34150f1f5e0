/*
 * fs.h - file system helpers: mkdir -p, atomic writes, directory fsync.
 *
 * Atomic write = write PATH.partial, fsync, rename to PATH, fsync the
 * directory; on any failure the partial is removed.  Thread-safe (no shared
 * state).  Errors name the path.
 */
#ifndef CS_FS_H
#define CS_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

#define CS_PARTIAL_SUFFIX ".partial"

/* Create PATH and missing parents with MODE (existing directories are kept). */
int cs_fs_mkdir_p(const char *path, mode_t mode, struct cs_error *err);
int cs_fs_fsync_dir(const char *dir, struct cs_error *err);
/* fsync the file PATH (opened read-only, not following a symlink). */
int cs_fs_fsync_file(const char *path, struct cs_error *err);
int cs_fs_write_atomic(const char *path, const void *buf, size_t len, mode_t mode,
                       struct cs_error *err);
/* The same without any fsync (the file's nor the directory's): for a batch
 * of files the caller makes durable once after the last (cs_fs_fsync_file
 * on each, then cs_fs_fsync_dir) before anything that says the batch is
 * complete, like a manifest. */
int cs_fs_write_renamed(const char *path, const void *buf, size_t len, mode_t mode,
                        struct cs_error *err);
/* Read a whole file (at most MAX bytes, else CS_ERR_FORMAT); *out malloc'd and NUL-terminated. */
int cs_fs_read_all(const char *path, size_t max, char **out, size_t *len, struct cs_error *err);
/* "a/b" (malloc'd; NULL on allocation failure). */
char *cs_fs_join(const char *dir, const char *name);
/* Remove every "*.partial" file directly inside DIR; returns how many, or -1. */
int cs_fs_remove_partials(const char *dir, struct cs_error *err);

/* Remove DIR and the files directly in it (a flat spool directory). */
int cs_fs_remove_flat_dir(const char *dir, struct cs_error *err);

#endif
