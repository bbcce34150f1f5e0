/*
 * console.h - the terminal side of the programs: the stderr log sink that
 * main() injects (the one place in common/ that prints) and a progress line.
 *
 * On a terminal the progress line is redrawn in place (\r) and log lines are
 * printed above it; otherwise progress is emitted as a plain log line at
 * most every few seconds.  Thread-safe (one mutex).
 */
#ifndef CS_CONSOLE_H
#define CS_CONSOLE_H

#include <pthread.h>
#include <stdio.h>

#include "common/log.h"

struct cs_console {
    pthread_mutex_t mu;
    FILE *out;          /* stderr */
    const char *prog;   /* "csdump" */
    int tty;            /* out is a terminal */
    int line_shown;     /* a progress line is on screen */
    double last_plain;  /* monotonic seconds of the last plain progress line */
};

void cs_console_init(struct cs_console *c, const char *prog);
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

#endif
