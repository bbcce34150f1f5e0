/*
 * console.h - the output side of the programs, the one place in common/
 * that prints: the log sink main() injects, the progress line, the log file
 * (--log-file) and the JSON event stream (--progress json); the progress
 * state behind them is common/progress.h.
 *
 * Standard error: log lines at the level -q / -v ask for (-v adds a
 * timestamp to each); on a terminal the progress line is redrawn in place
 * (\r) and log lines are printed above it.  A tool that shares the terminal
 * with another one that draws (csdump --archive - into a pipe, see
 * cs_console_configure) does not draw: it clears the line before each of its
 * log lines and the other tool redraws.  Off a terminal, progress is a plain
 * line per phase and every PLAIN_PROGRESS_EVERY seconds.  The log file gets
 * every line up to verbose (debug with -vv), timestamped, whatever -q says.
 * Thread-safe (one mutex); each line leaves in one write().
 */
#ifndef CS_CONSOLE_H
#define CS_CONSOLE_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "common/log.h"

struct cs_cli_common;

/* What the progress of the current phase is measured in (common/progress.c). */
struct cs_progress_state {
    double t0;      /* start of the run */
    char phase[32]; /* "" before the first phase */
    char unit[16];  /* what the phase's jobs are: "chunks", "tables" */
    double phase_t0;
    uint64_t jobs_total, jobs_done;
    uint64_t rows_total, bytes_total; /* 0 = not known */
    int estimated;                    /* the totals are the source's estimates */
    int has_rows;                     /* the phase moves rows (totals set or chunks done) */
    uint64_t rows, bytes, chunks;     /* chunk events of this run (raw bytes) */
    uint64_t skip_rows, skip_bytes, skip_chunks;     /* done by an earlier run */
    uint64_t phase_bytes0, phase_rows0, phase_jobs0; /* this run's work at phase start */
    uint64_t retries, warnings, tables;
    double last_json; /* monotonic time of the last "progress" event */
    int ended;        /* the summary event was written */
};

struct cs_console {
    pthread_mutex_t mu;
    FILE *out;             /* stderr */
    const char *prog;      /* "csdump" */
    int tty;               /* out is a terminal */
    int line_shown;        /* a progress line is on screen */
    double last_plain;     /* monotonic seconds of the last plain progress line */
    enum cs_log_level max; /* what goes to stderr */
    int stamps;            /* -v: timestamps on stderr */
    int draw;              /* the progress line is drawn on stderr */
    int plain;             /* plain progress lines on stderr (off a terminal) */
    int yield;             /* another tool draws on this terminal */
    int mute;              /* the JSON events go to stderr: nothing else does */
    FILE *log_file;        /* --log-file, or NULL */
    FILE *json;            /* --progress json, or NULL */
    int json_owned;        /* fclose json at release */
    struct cs_progress_state st;
};

void cs_console_init(struct cs_console *c, const char *prog);
/* Applies -q, -v, --no-progress, --log-file and --progress (O) after
 * parsing; YIELD: stderr may be a terminal another tool draws on, so never
 * draw there.  Sets LOG's level to what the sinks need.  -1 with ERR (usage)
 * when a file cannot be opened or an FD is not open. */
int cs_console_configure(struct cs_console *c, const struct cs_cli_common *o, int yield,
                         struct cs_log *log, struct cs_error *err);
void cs_console_release(struct cs_console *c);
/* The cs_log sink: CTX is a struct cs_console. */
void cs_console_log(void *ctx, enum cs_log_level level, const char *msg);
/* Show LINE as the current progress (rate-limited when not a terminal). */
void cs_console_progress(struct cs_console *c, const char *line);
/* Remove the progress line (before the final summary). */
void cs_console_progress_done(struct cs_console *c);
/* A logger writing to C up to MAX. */
struct cs_log cs_console_logger(struct cs_console *c, enum cs_log_level max);
double cs_now(void); /* monotonic seconds */

/* For common/progress.c, with C->mu held: a log line to every sink that
 * takes LEVEL (no JSON event); the progress line drawn or printed plain;
 * one JSON object (stolen) as a line. */
void cs_console_emit_locked(struct cs_console *c, enum cs_log_level level, const char *msg);
void cs_console_line_locked(struct cs_console *c, const char *line, int plain_now);
void cs_console_json_locked(struct cs_console *c, void *json_object);

#endif
