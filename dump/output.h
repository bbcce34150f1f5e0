/*
 * output.h - where csdump's files go: a directory, or objects under an
 * s3://BUCKET/PREFIX (same names, PREFIX/NAME).
 *
 *   directory  open() = NAME.partial, renamed at finish; put() = a small
 *              file written the same way; neither fsyncs: seal() makes
 *              them durable in one pass (every file of the directory
 *              fsync'd, then the directory), once for the whole dump
 *              instead of twice per table; cleanup() removes partials.
 *   s3         open() = an S3 object sink (format/s3io.h): a multipart
 *              upload completed at finish and aborted when freed unfinished,
 *              so nothing is staged on local disk; put() = one PUT; an object
 *              exists only once complete, so seal() and cleanup() have nothing
 *              to do.
 * prepare() refuses a directory / prefix that already holds something (a
 * dump is never mixed with another).  seal(FILE) makes FILE (NULL: every
 * file written so far) and the renames durable; the caller seals
 * everything, then writes the manifest last and seals it alone.  open(), put() and remove() may be
 * called from several threads at once; the rest belong to the coordinator.
 */
#ifndef DUMP_OUTPUT_H
#define DUMP_OUTPUT_H

#include <stddef.h>

#include "common/error.h"
#include "common/log.h"
#include "common/s3.h"
#include "format/sink.h"

struct dump_output {
    const char *name; /* for messages: the directory or the s3:// URL */
    int (*prepare)(struct dump_output *o, struct cs_error *err);
    struct fmt_sink *(*open)(struct dump_output *o, const char *file, struct cs_error *err);
    int (*put)(struct dump_output *o, const char *file, const void *data, size_t len,
               struct cs_error *err);
    void (*remove)(struct dump_output *o, const char *file);
    int (*seal)(struct dump_output *o, const char *file, struct cs_error *err);
    void (*cleanup)(struct dump_output *o);
    void (*free)(struct dump_output *o);
};

struct dump_output *dump_output_dir_new(const char *dir, struct cs_error *err);
/* URL s3://BUCKET/PREFIX; the client is made from OPTS and the environment
 * (common/s3.h), logging retries to LOG, stopped by CANCEL. */
struct dump_output *dump_output_s3_new(const char *url, const struct cs_s3_options *opts,
                                       const struct cs_log *log, const volatile int *cancel,
                                       struct cs_error *err);
/* csdump --encrypt-key: INNER (owned) with every file sealed (format/seal.h:
 * AES-256-GCM segments, after compression) and stored under its opaque name
 * (fmt_seal_stored_name; manifest.json keeps its own).  KEY is copied. */
struct fmt_seal_key;
struct dump_output *dump_output_seal_new(struct dump_output *inner, const struct fmt_seal_key *key,
                                         struct cs_error *err);
void dump_output_free(struct dump_output *o); /* NULL-safe */

#endif
