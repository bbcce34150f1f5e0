/*
 * input.h - where a dump is read from, behind one interface: a directory,
 * the objects under an s3://BUCKET/PREFIX (input_s3.c), an archive.  The manifest is read once; files are
 * opened by their name inside the dump as raw byte sources (the caller adds
 * decompression and hashing).  One thread at a time per input, except that
 * the directory and S3 inputs' open() may be called from several threads.
 */
#ifndef LOAD_INPUT_H
#define LOAD_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/log.h"
#include "common/s3.h"
#include "format/manifest.h"
#include "format/source.h"

struct load_input {
    const char *name; /* for messages: the directory or archive path */
    struct fmt_manifest *(*read_manifest)(struct load_input *in, struct cs_error *err);
    /* A missing file is CS_ERR_MISSING naming it. */
    struct fmt_source *(*open)(struct load_input *in, const char *file, struct cs_error *err);
    /* The size of FILE without reading it; CS_ERR_MISSING when absent. */
    int (*size)(struct load_input *in, const char *file, uint64_t *bytes, struct cs_error *err);
    /* Every file present (malloc'd array of malloc'd names), manifest.json included. */
    int (*list)(struct load_input *in, char ***names, size_t *n, struct cs_error *err);
    void (*free)(struct load_input *in);
};

struct load_input *load_input_dir_new(const char *dir, struct cs_error *err);
/* URL s3://BUCKET/PREFIX, the client made from O and the environment. */
struct load_input *load_input_s3_new(const char *url, const struct cs_s3_options *o,
                                     const struct cs_log *log, const volatile int *cancel,
                                     struct cs_error *err);
/* WHERE by its form: an s3:// URL or a directory. */
struct load_input *load_input_open(const char *where, const struct cs_s3_options *o,
                                   const struct cs_log *log, const volatile int *cancel,
                                   struct cs_error *err);
void load_input_free(struct load_input *in); /* NULL-safe */
void load_input_free_list(char **names, size_t n);

#endif
