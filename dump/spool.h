/*
 * spool.h - csdump --archive: the dump's files held in memory until the
 * archiver streams them (dump/archiver.h), so nothing is staged on disk.
 *
 * A dump_output (dump/output.h).  open() gives a sink that collects the
 * file in segments of DUMP_SPOOL_SEGMENT bytes mapped straight from the
 * kernel (mmap: only the pages written are resident, and a segment goes
 * back to the system as soon as its file is streamed, so no allocator
 * fragmentation can keep it); put() keeps a copy of a small file.  A file
 * exists once its sink is finished (or put: complete at once, like a
 * renamed file); dump_spool_take() detaches it for the caller, remove()
 * drops one not taken yet.  The spool does not bound itself: its users do
 * (each dump worker has one file open, the archiver's hand-over queue holds
 * a bounded number of finished ones and it streams one).  Thread-safe.
 */
#ifndef DUMP_SPOOL_H
#define DUMP_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "common/error.h"
#include "dump/output.h"

#define DUMP_SPOOL_SEGMENT ((size_t)1 << 20)

/* One finished file, detached from the spool: its bytes are IOV[0..NIOV). */
struct dump_spool_file {
    char *name;
    struct iovec *iov;
    size_t niov;
    uint64_t size;
    int mapped; /* the segments are mappings (open()), else one malloc'd copy (put()) */
};

struct dump_output *dump_spool_new(struct cs_error *err);
/* FILE (finished, not taken yet) detached, or NULL when there is none. */
struct dump_spool_file *dump_spool_take(struct dump_output *spool, const char *file);
void dump_spool_file_free(struct dump_spool_file *f); /* NULL-safe */

#endif
