/*
 * fault.h - named fault points, for tests that must act at an exact moment
 * instead of sleeping and hoping.
 *
 * Compiled in only with -DCS_FAULTS=ON (scripts/test.sh builds so); in any
 * other build cs_fault_hit() is a constant 0 and nothing here exists.  A
 * test arms points through the environment:
 *   CS_FAULT_POINTS="POINT[=OBJECT]:ACTION[@N],..."   CS_FAULT_DIR=DIR
 * The entry fires at the Nth hit (default 1) of POINT whose object is
 * OBJECT (any object when none is given), once:
 *   pause  creates DIR/POINT.reached (holding the PID), then waits until
 *          DIR/POINT.release exists (lib.sh: fault_wait / fault_release)
 *   fail   returns -1 with CS_ERR_INTERNAL "fault injected at POINT"
 *   kill   SIGKILLs the process on the spot (a crash)
 * The points, each named where it is called:
 *   dump.snapshot   (no object)   the snapshot is taken, workers not started
 *   dump.rows       schema.table  a worker streamed another 4096 rows
 *   dump.sync       file name     the seal pass is about to fsync this file of
 *                                 a dump directory (manifest.json: its own seal)
 *   dump.sealed     (no object)   every file is durable, the manifest not written
 *   load.fill       chunk file    the bound path filled an array of a chunk's rows
 *                                 (its reader's thread when it reads ahead)
 *   load.array      chunk file    the bound path is about to run an array
 *   load.rows       chunk file    a chunk's rows are sent, its journal row is not
 *   load.commit     chunk file    a chunk's rows and journal row are in, not committed
 *   load.committed  chunk file    a chunk is committed
 * Thread-safe (one lock around the hit counts: the only mutable state a
 * fault build adds).
 */
#ifndef CS_FAULT_H
#define CS_FAULT_H

#include "common/error.h"

#ifdef CS_FAULTS
int cs_fault_hit(const char *point, const char *object, struct cs_error *err);
#else
static inline int cs_fault_hit(const char *point, const char *object, struct cs_error *err)
{
    (void)point;
    (void)object;
    (void)err;
    return 0;
}
#endif

#endif
