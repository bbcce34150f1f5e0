#include "common/console.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/cli.h"

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
    c->max = CS_LOG_INFO;
    c->draw = c->tty;
    c->plain = !c->tty;
    c->st.t0 = c->last_plain;
}

static void stamp(char *out, size_t size);

/* FD given as digits, or -1. */
static int fd_number(const char *s)
{
    char *end;
    long v;

    if (!*s || strspn(s, "0123456789") != strlen(s))
        return -1;
    v = strtol(s, &end, 10);
    return v > 1000000 ? -1 : (int)v;
}

static FILE *open_out(const char *path, int append, struct cs_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);
    FILE *f = fd >= 0 ? fdopen(fd, append ? "a" : "w") : NULL;

    if (!f) {
        cs_error_sys(err, CS_ERR_USAGE, errno, "cannot write %s", path);
        if (fd >= 0)
            close(fd);
    }
    return f;
}

static int open_json(struct cs_console *c, const char *target, struct cs_error *err)
{
    int fd = *target ? fd_number(target) : 2;

    if (fd == 2) {
        c->json = stderr;
        c->mute = 1;
        return 0;
    }
    if (fd >= 0) {
        int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (copy < 0 || fd == 0 || !(c->json = fdopen(copy, "w"))) {
            if (copy >= 0)
                close(copy);
            return cs_error_set(err, CS_ERR_USAGE,
                                "--progress=json=%d: file descriptor %d is not open for "
                                "writing (open it in the shell: %d>FILE)",
                                fd, fd, fd);
        }
        c->json_owned = 1;
        return 0;
    }
    c->json = open_out(target, 0, err);
    if (!c->json)
        return cs_error_prefix(err, "--progress=json=%s", target);
    c->json_owned = 1;
    return 0;
}

int cs_console_configure(struct cs_console *c, const struct cs_cli_common *o, int yield,
                         struct cs_log *log, struct cs_error *err)
{
    enum cs_log_level file_max = o->verbose > 1 ? CS_LOG_DEBUG : CS_LOG_VERBOSE;

    c->max = cs_cli_log_level(o->quiet, o->verbose);
    c->stamps = o->verbose > 0;
    c->yield = yield && c->tty;
    if (o->log_file && !(c->log_file = open_out(o->log_file, 1, err)))
        return cs_error_prefix(err, "--log-file");
    if (o->json && open_json(c, o->json, err) < 0)
        return -1;
    if (c->json) { /* before anything else, so that every run's stream starts with it */
        char ts[40];
        stamp(ts, sizeof(ts));
        cs_console_json_locked(c,
                               json_pack("{s:i,s:s,s:s,s:f,s:s,s:s,s:i}", "v", 1, "tool", c->prog,
                                         "time", ts, "elapsed", cs_now() - c->st.t0, "event",
                                         "start", "version", CS_VERSION, "pid", (int)getpid()));
    }
    c->draw = c->tty && o->progress && !o->quiet && !c->yield && !c->mute;
    c->plain = !c->tty && o->progress && !o->quiet && !c->mute;
    log->fn = cs_console_log;
    log->ctx = c;
    log->max = c->max;
    if (c->log_file && file_max > log->max)
        log->max = file_max;
    if (c->json && log->max < CS_LOG_INFO)
        log->max = CS_LOG_INFO;
    return 0;
}

void cs_console_release(struct cs_console *c)
{
    if (!c)
        return;
    cs_console_progress_done(c);
    if (c->log_file)
        fclose(c->log_file);
    if (c->json_owned)
        fclose(c->json);
    c->log_file = c->json = NULL;
    pthread_mutex_destroy(&c->mu);
}

static void put(struct cs_console *c, const char *s)
{
    size_t n = strlen(s);

    fflush(c->out);
    while (n) {
        ssize_t w = write(fileno(c->out), s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void clear_line(struct cs_console *c)
{
    if (c->line_shown) {
        put(c, "\r\033[K");
        c->line_shown = 0;
    }
}

/* "2026-12-01T12:30:00.123Z" */
static void stamp(char *out, size_t size)
{
    struct timeval tv;
    struct tm tm;
    char s[32];

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, size, "%s.%03ldZ", s, (long)(tv.tv_usec / 1000));
}

static const char *const level_tags[] = {"error: ", "warning: ", "", "", "debug: "};

static void file_line(struct cs_console *c, const char *tag, const char *msg)
{
    char ts[40];

    if (!c->log_file)
        return;
    stamp(ts, sizeof(ts));
    fprintf(c->log_file, "%s %s: %s%s\n", ts, c->prog, tag, msg);
    fflush(c->log_file);
}

void cs_console_emit_locked(struct cs_console *c, enum cs_log_level level, const char *msg)
{
    enum cs_log_level file_max = c->max > CS_LOG_VERBOSE ? c->max : CS_LOG_VERBOSE;

    if (level <= c->max && !c->mute) {
        char ts[40] = "", *line = NULL;
        if (c->stamps) {
            stamp(ts, sizeof(ts) - 1);
            strcat(ts, " ");
        }
        if (asprintf(&line, "%s%s%s: %s%s\n", c->yield ? "\r\033[K" : "", ts, c->prog,
                     level_tags[level], msg) >= 0) {
            clear_line(c);
            put(c, line);
            free(line);
        }
    }
    if (level <= file_max)
        file_line(c, level_tags[level], msg);
}

void cs_console_json_locked(struct cs_console *c, void *json_object)
{
    json_t *o = json_object;
    char *s;

    if (!o)
        return;
    if (c->json && (s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII))) {
        fprintf(c->json, "%s\n", s);
        fflush(c->json);
        free(s);
    }
    json_decref(o);
}

static void json_log(struct cs_console *c, enum cs_log_level level, const char *msg)
{
    static const char *const names[] = {"error", "warning", "info", "verbose", "debug"};
    char ts[40];

    if (!c->json || level > CS_LOG_INFO)
        return;
    stamp(ts, sizeof(ts));
    cs_console_json_locked(c, json_pack("{s:i,s:s,s:s,s:f,s:s,s:s,s:s}", "v", 1, "tool", c->prog,
                                        "time", ts, "elapsed", cs_now() - c->st.t0, "event", "log",
                                        "level", names[level], "message", msg));
}

void cs_console_log(void *ctx, enum cs_log_level level, const char *msg)
{
    struct cs_console *c = ctx;

    pthread_mutex_lock(&c->mu);
    if (level == CS_LOG_WARN)
        c->st.warnings++;
    cs_console_emit_locked(c, level, msg);
    json_log(c, level, msg);
    pthread_mutex_unlock(&c->mu);
}

/* The terminal's width (80 when it cannot be had). */
static int columns(const struct cs_console *c)
{
    struct winsize ws;

    if (ioctl(fileno(c->out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
        return ws.ws_col;
    return 80;
}

void cs_console_line_locked(struct cs_console *c, const char *line, int plain_now)
{
    double now = cs_now();
    char *s = NULL;

    /* cut to the width: a wrapped line could not be redrawn in place */
    if (c->draw && asprintf(&s, "\r\033[K%s: %.*s", c->prog, columns(c) - 2 - (int)strlen(c->prog),
                            line) >= 0) {
        put(c, s);
        free(s);
        c->line_shown = 1;
    }
    if (plain_now || now - c->last_plain >= PLAIN_PROGRESS_EVERY) {
        if (c->plain && asprintf(&s, "%s: %s\n", c->prog, line) >= 0) {
            put(c, s);
            free(s);
        }
        file_line(c, "", line);
        c->last_plain = now;
    }
}

void cs_console_progress(struct cs_console *c, const char *line)
{
    pthread_mutex_lock(&c->mu);
    cs_console_line_locked(c, line, 0);
    pthread_mutex_unlock(&c->mu);
}

void cs_console_progress_done(struct cs_console *c)
{
    pthread_mutex_lock(&c->mu);
    clear_line(c);
    pthread_mutex_unlock(&c->mu);
}

struct cs_log cs_console_logger(struct cs_console *c, enum cs_log_level max)
{
    struct cs_log log = {cs_console_log, c, max};
    return log;
}
