/*
 * progress.h - what a run is doing, for people and for programs: phases,
 * chunk and table events, retries, and the final summary, turned into the
 * console's progress line (phase, percent of raw bytes and rows, rate, an
 * ETA once it means something), plain lines off a terminal, -v lines, and
 * the JSON events of --progress json (one object per line; the schema is in
 * README.md, "Progress events", and its "v" field is bumped on any change a
 * reader could misread).
 *
 * Every function takes the run's struct cs_console (the config's console
 * pointer) and does nothing when it is NULL.  Thread-safe: workers report
 * chunks and retries, the coordinator the rest (the console's mutex).
 */
#ifndef CS_PROGRESS_H
#define CS_PROGRESS_H

#include <stdint.h>

#include "common/console.h"

/* Ends the current phase (a "phase_end" event) and starts PHASE, whose
 * JOBS (0 = not counted) are UNIT ("chunks", "tables").  PHASE the current
 * one and JOBS > 0: only its count is set (a phase announced before its jobs
 * were known), no new event. */
void cs_progress_phase(struct cs_console *c, const char *phase, uint64_t jobs, const char *unit);
/* The current phase's totals of rows and raw bytes (0 = unknown).
 * ESTIMATED: the source's estimates (csdump), refined from the raw bytes
 * per row of the chunks done so far. */
void cs_progress_totals(struct cs_console *c, uint64_t rows, uint64_t raw_bytes, int estimated);
/* A chunk file done: written (csdump) or committed (csload). */
void cs_progress_chunk(struct cs_console *c, const char *schema, const char *table,
                       const char *file, uint64_t rows, uint64_t raw_bytes, uint64_t file_bytes);
/* A chunk an earlier run committed (csload resuming): counted, no event. */
void cs_progress_skipped(struct cs_console *c, uint64_t rows, uint64_t raw_bytes);
/* One job of the current phase done (an index build, a verification). */
void cs_progress_job_done(struct cs_console *c);
/* Table SCHEMA.TABLE done in the current phase (-v says so too). */
void cs_progress_table(struct cs_console *c, const char *schema, const char *table, uint64_t rows,
                       uint64_t raw_bytes, uint64_t chunks);
/* WHAT (a chunk file, a table) is tried again (ATTEMPT of MAX) after MSG. */
void cs_progress_retry(struct cs_console *c, const char *what, unsigned attempt, unsigned max,
                       const char *msg);
/* Redraws the progress line (about once a second, from the coordinator). */
void cs_progress_tick(struct cs_console *c);
/* The run is over: ends the phase and writes the "summary" event with the
 * exit status and ERROR (NULL when none).  Once; later calls do nothing. */
void cs_progress_end(struct cs_console *c, int exit_status, const char *error);

#endif
