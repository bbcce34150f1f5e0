/*
 * spool.h - csdump --archive: the dump's files held in memory until the
 * archiver streams them (dump/archiver.h), so nothing is staged on disk.
 *
 * A dump_output (dump/output.h).  open() gives a sink that collects the
 * file in segments of DUMP_SPOOL_SEGMENT bytes mapped straight from the
 * kernel (mmap: a new segment's pages are resident only once written, and
 * no allocator fragmentation can keep a segment); put() keeps a copy of a
 * small file.  A streamed file's segments go back with dump_spool_release():
 * up to DUMP_SPOOL_IDLE of them wait, resident, for the next files (a new
 * mapping costs a page fault and a zeroed page per 4 KiB: 69,000 of them
 * for 271 MiB of chunks), the rest go back to the system at once.  A
 * segment is mapped only when none is idle, so the spool never maps more
 * segments than its files held at one time (a reused one is resident
 * whole, also past a short file's end); the idle ones are unmapped with
 * the spool.  A file
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
#define DUMP_SPOOL_IDLE 32 /* segments kept for reuse: 32 MiB at most */

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
/* F (taken from SPOOL) freed, its segments kept idle for the next files
 * while fewer than DUMP_SPOOL_IDLE are.  NULL-safe. */
void dump_spool_release(struct dump_output *spool, struct dump_spool_file *f);

#endif
