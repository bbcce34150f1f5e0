/*
 * s3io.h - an S3 object as a byte sink or source (sink.h, source.h), over
 * the client of common/s3.h.
 *
 * Sink: bytes are buffered up to the client's part size.  An object that
 * ends within one part goes up as one PUT at finish(); a larger one as a
 * multipart upload whose parts (each exactly the part size, the last what
 * is left) are uploaded by up to parts_in_flight threads while the next one
 * fills, each with its own SHA-256.  Memory: at most parts_in_flight + 1
 * part buffers.  finish() completes the upload (the object appears only
 * then); free() of an unfinished sink aborts it, so no upload stays open.
 *
 * Source: the object read front to back through ranged GETs of at most
 * FMT_S3_WINDOW bytes (one window in memory), each pinned to the ETag seen
 * when it was opened (a replaced object is CS_ERR_CHECKSUM); a missing
 * object is CS_ERR_MISSING naming it.
 *
 * The client is lent and must outlive the sink/source; one thread at a
 * time per sink/source (the sink's own upload threads aside).
 */
#ifndef FMT_S3IO_H
#define FMT_S3IO_H

#include "common/s3.h"
#include "format/sink.h"
#include "format/source.h"

#define FMT_S3_WINDOW (8u << 20)

struct fmt_sink *fmt_sink_s3_new(struct cs_s3 *c, const char *key, struct cs_error *err);
struct fmt_source *fmt_source_s3_new(struct cs_s3 *c, const char *key, struct cs_error *err);
/* The LEN bytes of the object from OFFSET, pinned to ETAG (of a source
 * fmt_source_s3_new opened: fmt_source_s3_etag), without a HEAD of its own. */
struct fmt_source *fmt_source_s3_range_new(struct cs_s3 *c, const char *key, const char *etag,
                                           uint64_t offset, uint64_t len, struct cs_error *err);
const char *fmt_source_s3_etag(const struct fmt_source *s3_source);

#endif
