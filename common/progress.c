#include "common/progress.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define JSON_PROGRESS_EVERY 5.0
#define ETA_AFTER_S 3.0     /* an ETA needs this long in the phase ... */
#define ETA_AFTER_WORK 0.02 /* ... and this share of it done by this run */

static json_t *event(struct cs_console *c, const char *name)
{
    struct timeval tv;
    struct tm tm;
    char ts[32], full[40];

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(full, sizeof(full), "%s.%03ldZ", ts, (long)(tv.tv_usec / 1000));
    return json_pack("{s:i,s:s,s:s,s:f,s:s}", "v", 1, "tool", c->prog, "time", full, "elapsed",
                     cs_now() - c->st.t0, "event", name);
}

static void set_u64(json_t *o, const char *key, uint64_t v)
{
    json_object_set_new(o, key, json_integer((json_int_t)v));
}

/* Done and total of the phase in the measure the percentage uses, and what
 * of DONE this run did since the phase began. */
struct measure {
    double done, total, base;
};

static uint64_t bytes_total(const struct cs_progress_state *s)
{
    /* the source's size estimate is its on-disk size: once chunks are done,
     * their raw bytes per row times the rows to dump says it better */
    if (s->estimated && s->rows > 0 && s->rows_total > 0)
        return (uint64_t)((double)s->bytes / (double)s->rows * (double)s->rows_total);
    return s->bytes_total;
}

static struct measure measure(const struct cs_progress_state *s)
{
    struct measure m = {0, 0, 0};
    uint64_t bt = bytes_total(s);

    if (bt) {
        m.done = (double)(s->bytes + s->skip_bytes);
        m.total = (double)bt;
        m.base = (double)(s->phase_bytes0 + s->skip_bytes);
    } else if (s->rows_total) {
        m.done = (double)(s->rows + s->skip_rows);
        m.total = (double)s->rows_total;
        m.base = (double)(s->phase_rows0 + s->skip_rows);
    } else if (s->jobs_total) {
        m.done = (double)s->jobs_done;
        m.total = (double)s->jobs_total;
        m.base = (double)s->phase_jobs0;
    }
    return m;
}

/* Fraction done (-1 = unknown) and the ETA in seconds (-1 = not yet). */
static void estimate(const struct cs_progress_state *s, double now, double *frac, double *eta)
{
    struct measure m = measure(s);
    double el = now - s->phase_t0, work;

    *frac = *eta = -1;
    if (m.total <= 0)
        return;
    *frac = m.done / m.total;
    if (*frac >= 1) {
        *frac = s->estimated ? 0.99 : 1; /* more than the estimate: almost done */
        return;
    }
    work = (m.done - m.base) / m.total;
    if (el >= ETA_AFTER_S && work >= ETA_AFTER_WORK)
        *eta = el * (1 - *frac) / work;
}

static void human_count(char *out, size_t size, uint64_t n)
{
    if (n < 100000)
        snprintf(out, size, "%llu", (unsigned long long)n);
    else if (n < 100000000)
        snprintf(out, size, "%.1fk", (double)n / 1e3);
    else
        snprintf(out, size, "%.1fM", (double)n / 1e6);
}

static void human_time(char *out, size_t size, double s)
{
    unsigned long t = (unsigned long)(s + 0.5);

    if (t < 60)
        snprintf(out, size, "%lus", t);
    else if (t < 3600)
        snprintf(out, size, "%lum%02lus", t / 60, t % 60);
    else
        snprintf(out, size, "%luh%02lum", t / 3600, t / 60 % 60);
}

/* "data  45% | 1.2M/2.7M rows | 120.3/267.0 MB raw | 12/40 chunks | 35.2 MB/s | ETA 4s" */
static void render(const struct cs_progress_state *s, double now, char *line, size_t size)
{
    double frac, eta, el = now - s->phase_t0;
    uint64_t bt = bytes_total(s), rows = s->rows + s->skip_rows, bytes = s->bytes + s->skip_bytes;
    size_t n;
    char a[32], b[32];

    estimate(s, now, &frac, &eta);
    n = (size_t)snprintf(line, size, "%s", s->phase);
    if (frac >= 0)
        n += (size_t)snprintf(line + n, size - n, " %3.0f%%", frac * 100);
    if (s->has_rows) {
        human_count(a, sizeof(a), rows);
        human_count(b, sizeof(b), s->rows_total);
        n += (size_t)snprintf(line + n, size - n, " | %s%s%s rows", a, s->rows_total ? "/" : "",
                              s->rows_total ? b : "");
    }
    if (s->has_rows && (bt || bytes)) {
        n += (size_t)snprintf(line + n, size - n, " | %.1f", (double)bytes / 1e6);
        if (bt)
            n += (size_t)snprintf(line + n, size - n, "/%s%.1f", s->estimated ? "~" : "",
                                  (double)bt / 1e6);
        n += (size_t)snprintf(line + n, size - n, " MB raw");
    }
    if (s->jobs_total)
        n += (size_t)snprintf(
            line + n, size - n, " | %llu/%llu %s",
            (unsigned long long)(s->jobs_done < s->jobs_total ? s->jobs_done : s->jobs_total),
            (unsigned long long)s->jobs_total, s->unit);
    if (s->has_rows && s->bytes > s->phase_bytes0 && el > 0)
        n += (size_t)snprintf(line + n, size - n, " | %.1f MB/s",
                              (double)(s->bytes - s->phase_bytes0) / 1e6 / el);
    if (eta >= 0) {
        human_time(a, sizeof(a), eta);
        n += (size_t)snprintf(line + n, size - n, " | ETA %s", a);
    } else if (n < size) {
        human_time(a, sizeof(a), el);
        snprintf(line + n, size - n, " | %s", a);
    }
}

static void json_progress(struct cs_console *c, double now)
{
    const struct cs_progress_state *s = &c->st;
    double frac, eta;
    json_t *o;

    if (!c->json)
        return;
    estimate(s, now, &frac, &eta);
    o = event(c, "progress");
    json_object_set_new(o, "phase", json_string(s->phase));
    json_object_set_new(o, "percent", frac >= 0 ? json_real(frac * 100) : json_null());
    set_u64(o, "rows", s->rows + s->skip_rows);
    set_u64(o, "rows_total", s->rows_total);
    set_u64(o, "raw_bytes", s->bytes + s->skip_bytes);
    set_u64(o, "raw_bytes_total", bytes_total(s));
    set_u64(o, "jobs", s->jobs_done);
    set_u64(o, "jobs_total", s->jobs_total);
    json_object_set_new(o, "eta_s", eta >= 0 ? json_real(eta) : json_null());
    cs_console_json_locked(c, o);
    c->st.last_json = now;
}

static int counted(const struct cs_progress_state *s)
{
    return s->jobs_total || s->has_rows;
}

/* COMPLETE: the phase ran to its end (the run went on, or exits 0), so an
 * estimated total is what was done. */
static void end_phase_locked(struct cs_console *c, int complete)
{
    struct cs_progress_state *s = &c->st;
    double now = cs_now();
    json_t *o;

    if (!s->phase[0])
        return;
    if (complete && s->estimated) {
        s->rows_total = s->rows + s->skip_rows;
        s->bytes_total = s->bytes + s->skip_bytes;
        s->estimated = 0;
    }
    if (counted(s)) { /* the phase's last state: a plain line, the log file */
        char line[512];
        render(s, now, line, sizeof(line));
        cs_console_line_locked(c, line, 1);
    }
    if (c->json) {
        o = event(c, "phase_end");
        json_object_set_new(o, "phase", json_string(s->phase));
        json_object_set_new(o, "seconds", json_real(now - s->phase_t0));
        set_u64(o, "jobs", s->jobs_done);
        set_u64(o, "rows", s->rows - s->phase_rows0);
        set_u64(o, "raw_bytes", s->bytes - s->phase_bytes0);
        cs_console_json_locked(c, o);
    }
    s->phase[0] = '\0';
}

void cs_progress_phase(struct cs_console *c, const char *phase, uint64_t jobs, const char *unit)
{
    struct cs_progress_state *s;
    char msg[128];

    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    s = &c->st;
    if (jobs && !strcmp(s->phase, phase)) { /* the current phase, now counted */
        snprintf(s->unit, sizeof(s->unit), "%s", unit ? unit : "jobs");
        s->jobs_total = jobs;
        pthread_mutex_unlock(&c->mu);
        return;
    }
    end_phase_locked(c, 1);
    snprintf(s->phase, sizeof(s->phase), "%s", phase);
    snprintf(s->unit, sizeof(s->unit), "%s", unit ? unit : "jobs");
    s->phase_t0 = cs_now();
    s->jobs_total = jobs;
    s->jobs_done = s->phase_jobs0 = 0;
    s->rows_total = s->bytes_total = 0;
    s->estimated = 0;
    s->has_rows = 0;
    s->phase_bytes0 = s->bytes;
    s->phase_rows0 = s->rows;
    s->last_json = s->phase_t0;
    if (jobs)
        snprintf(msg, sizeof(msg), "phase %s: %llu %s", phase, (unsigned long long)jobs, s->unit);
    else
        snprintf(msg, sizeof(msg), "phase %s", phase);
    /* on a terminal the line shows the phase: the log line is for -v */
    cs_console_emit_locked(c, c->draw ? CS_LOG_VERBOSE : CS_LOG_INFO, msg);
    if (c->json) {
        json_t *o = event(c, "phase_start");
        json_object_set_new(o, "phase", json_string(phase));
        set_u64(o, "jobs", jobs);
        json_object_set_new(o, "unit", json_string(s->unit));
        cs_console_json_locked(c, o);
    }
    pthread_mutex_unlock(&c->mu);
}

void cs_progress_totals(struct cs_console *c, uint64_t rows, uint64_t raw_bytes, int estimated)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->st.rows_total = rows;
    c->st.bytes_total = raw_bytes;
    c->st.estimated = estimated;
    c->st.has_rows = 1;
    pthread_mutex_unlock(&c->mu);
}

void cs_progress_chunk(struct cs_console *c, const char *schema, const char *table,
                       const char *file, uint64_t rows, uint64_t raw_bytes, uint64_t file_bytes)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->st.rows += rows;
    c->st.bytes += raw_bytes;
    c->st.chunks++;
    c->st.has_rows = 1;
    if (c->json) {
        json_t *o = event(c, "chunk");
        json_object_set_new(o, "phase", json_string(c->st.phase));
        json_object_set_new(o, "schema", json_string(schema));
        json_object_set_new(o, "table", json_string(table));
        json_object_set_new(o, "file", json_string(file));
        set_u64(o, "rows", rows);
        set_u64(o, "raw_bytes", raw_bytes);
        set_u64(o, "file_bytes", file_bytes);
        cs_console_json_locked(c, o);
    }
    pthread_mutex_unlock(&c->mu);
}

void cs_progress_skipped(struct cs_console *c, uint64_t rows, uint64_t raw_bytes)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->st.skip_rows += rows;
    c->st.skip_bytes += raw_bytes;
    c->st.skip_chunks++;
    c->st.has_rows = 1;
    pthread_mutex_unlock(&c->mu);
}

void cs_progress_job_done(struct cs_console *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->st.jobs_done++;
    pthread_mutex_unlock(&c->mu);
}

void cs_progress_table(struct cs_console *c, const char *schema, const char *table, uint64_t rows,
                       uint64_t raw_bytes, uint64_t chunks)
{
    char msg[700];

    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->st.tables++;
    snprintf(msg, sizeof(msg), "%s: %s.%s done: %llu rows, %.1f MB raw, %llu chunk(s)", c->st.phase,
             schema, table, (unsigned long long)rows, (double)raw_bytes / 1e6,
             (unsigned long long)chunks);
    cs_console_emit_locked(c, CS_LOG_VERBOSE, msg);
    if (c->json) {
        json_t *o = event(c, "table");
        json_object_set_new(o, "phase", json_string(c->st.phase));
        json_object_set_new(o, "schema", json_string(schema));
        json_object_set_new(o, "table", json_string(table));
        set_u64(o, "rows", rows);
        set_u64(o, "raw_bytes", raw_bytes);
        set_u64(o, "chunks", chunks);
        cs_console_json_locked(c, o);
    }
    pthread_mutex_unlock(&c->mu);
}

void cs_progress_retry(struct cs_console *c, const char *what, unsigned attempt, unsigned max,
                       const char *msg)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->st.retries++;
    if (c->json) {
        json_t *o = event(c, "retry");
        json_object_set_new(o, "phase", json_string(c->st.phase));
        json_object_set_new(o, "what", json_string(what));
        json_object_set_new(o, "attempt", json_integer(attempt));
        json_object_set_new(o, "max", json_integer(max));
        json_object_set_new(o, "message", json_string(msg));
        cs_console_json_locked(c, o);
    }
    pthread_mutex_unlock(&c->mu);
}

void cs_progress_tick(struct cs_console *c)
{
    double now;
    char line[512];

    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    now = cs_now();
    if (c->st.phase[0]) {
        render(&c->st, now, line, sizeof(line));
        cs_console_line_locked(c, line, 0);
        if (now - c->st.last_json >= JSON_PROGRESS_EVERY)
            json_progress(c, now);
    }
    pthread_mutex_unlock(&c->mu);
}

void cs_progress_end(struct cs_console *c, int exit_status, const char *error)
{
    const struct cs_progress_state *s;
    json_t *o;

    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    s = &c->st;
    if (!s->ended) {
        end_phase_locked(c, exit_status == 0);
        if (c->json) {
            o = event(c, "summary");
            json_object_set_new(o, "exit_status", json_integer(exit_status));
            json_object_set_new(o, "error", error ? json_string(error) : json_null());
            json_object_set_new(o, "seconds", json_real(cs_now() - s->t0));
            set_u64(o, "rows", s->rows);
            set_u64(o, "raw_bytes", s->bytes);
            set_u64(o, "chunks", s->chunks);
            set_u64(o, "skipped_chunks", s->skip_chunks);
            set_u64(o, "skipped_rows", s->skip_rows);
            set_u64(o, "tables", s->tables);
            set_u64(o, "retries", s->retries);
            set_u64(o, "warnings", s->warnings);
            cs_console_json_locked(c, o);
        }
        c->st.ended = 1;
    }
    pthread_mutex_unlock(&c->mu);
}
