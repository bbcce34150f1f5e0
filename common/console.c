#include "common/console.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#define PLAIN_PROGRESS_EVERY 10.0

double cs_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cs_console_init(struct cs_console *c, const char *prog)
{
    memset(c, 0, sizeof(*c));
    pthread_mutex_init(&c->mu, NULL);
    c->out = stderr;
    c->prog = prog;
    c->tty = isatty(fileno(stderr));
    c->last_plain = cs_now();
}

void cs_console_release(struct cs_console *c)
{
    if (!c)
        return;
    cs_console_progress_done(c);
    pthread_mutex_destroy(&c->mu);
}

static void clear_line(struct cs_console *c)
{
    if (c->line_shown) {
        fputs("\r\033[K", c->out);
        c->line_shown = 0;
    }
}

static const char *const level_tags[] = {"error: ", "warning: ", "", "", "debug: "};

void cs_console_log(void *ctx, enum cs_log_level level, const char *msg)
{
    struct cs_console *c = ctx;

    pthread_mutex_lock(&c->mu);
    clear_line(c);
    fprintf(c->out, "%s: %s%s\n", c->prog, level_tags[level], msg);
    fflush(c->out);
    pthread_mutex_unlock(&c->mu);
}

void cs_console_progress(struct cs_console *c, const char *line)
{
    double now = cs_now();

    pthread_mutex_lock(&c->mu);
    if (c->tty) {
        fprintf(c->out, "\r\033[K%s", line);
        c->line_shown = 1;
    } else if (now - c->last_plain >= PLAIN_PROGRESS_EVERY) {
        fprintf(c->out, "%s: %s\n", c->prog, line);
        c->last_plain = now;
    }
    fflush(c->out);
    pthread_mutex_unlock(&c->mu);
}

void cs_console_progress_done(struct cs_console *c)
{
    pthread_mutex_lock(&c->mu);
    clear_line(c);
    fflush(c->out);
    pthread_mutex_unlock(&c->mu);
}

struct cs_log cs_console_logger(struct cs_console *c, enum cs_log_level max)
{
    struct cs_log log = {cs_console_log, c, max};
    return log;
}
