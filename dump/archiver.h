/*
 * archiver.h - csdump --archive FILE|-: the dump as one tar stream.
 *
 * Every file is first produced in a memory spool (dump/spool.h: chunks by
 * the workers, DDL and coordinates by the coordinator) and handed over when
 * finished; one archiver thread appends them in the order they finish -- a
 * chunk preceded by its description (NAME.meta.json) so a loader reading a
 * pipe can check it before loading it -- and releases each to the spool as
 * soon as it is streamed (dump_spool_release); whenever the queue is empty
 * it flushes what the archive writer buffers, so a reader of a pipe has
 * every finished entry.  The hand-over queue holds at most DEPTH files and
 * blocks the workers when full, so the spool never holds more than threads (being
 * written, or finished and waiting to be queued) + DEPTH + 1 (being
 * appended) chunk files: bounded memory, whatever the dump's size, and
 * nothing on local disk.  The manifest goes last; FILE is written as
 * FILE.partial and renamed only when complete; an s3://BUCKET/KEY target is
 * one object streamed as a multipart upload (format/s3io.h), completed at
 * the end and aborted on failure.
 * dump_archiver_publish() is thread-safe; start/finish/abort belong to the
 * coordinator.
 */
#ifndef DUMP_ARCHIVER_H
#define DUMP_ARCHIVER_H

#include <stddef.h>

#include "common/log.h"
#include "dump/chunk.h"
#include "dump/config.h"

struct fmt_sign_key;
struct fmt_seal_key;

struct dump_archiver;

/* TARGET: a file name, s3://BUCKET/KEY or "-" (standard output); SPOOL
 * (dump_spool_new, lent, outlives A) is where the files handed over wait;
 * CFG gives the log, the S3 options and the cancel flag (lent, outlives A). */
struct dump_output;
struct dump_archiver *dump_archiver_start(const char *target, struct dump_output *spool,
                                          size_t depth, const struct dump_config *cfg,
                                          struct cs_error *err);
/* The publish hook that hands files to A. */
const struct dump_publish *dump_archiver_publish(struct dump_archiver *a);
/* Before the first file.  A signed dump (KEY, lent): each chunk description
 * NAME.meta.json is followed by its signature NAME.meta.sig over
 * fmt_sign_meta_data(DUMP_ID, description) (format/sign.h).  An encrypted
 * one (SEAL, copied): the spool holds sealed files under their stored names
 * (dump/output.h: the sealing output over the spool), and every entry is sealed and stored under
 * its opaque name too.  Either may be NULL. */
int dump_archiver_trust(struct dump_archiver *a, const struct fmt_sign_key *key,
                        const struct fmt_seal_key *seal, const char *dump_id, struct cs_error *err);
/* The manifest last -- MANIFEST_JSON, its text (then SIG, its signature
 * text, when signed: NULL otherwise), or, when the archive is neither
 * signed nor encrypted and MANIFEST_JSON is NULL, written from M as it is
 * serialized, never held whole -- the end of the archive, FILE.partial ->
 * FILE; frees A. */
int dump_archiver_finish(struct dump_archiver *a, const struct fmt_manifest *m,
                         const char *manifest_json, const char *sig, struct cs_error *err);
/* After a failure: stops, removes FILE.partial (a pipe just ends, without a
 * manifest); frees A.  NULL-safe. */
void dump_archiver_abort(struct dump_archiver *a);

#endif
