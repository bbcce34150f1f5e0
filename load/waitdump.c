#include "load/waitdump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/console.h"
#include "format/names.h"
#include "format/nameset.h"
#include "load/chunkset.h"

/* The poll interval: POLL_MIN_S after a listing that found something new,
 * doubled after each one that did not, up to POLL_MAX_S; never shorter than
 * the last listing took (a prefix so large that listing it takes seconds is
 * not listed back to back). */
#define POLL_MIN_S 1.0
#define POLL_MAX_S 5.0

/* A catalog table's chunk file prefix, for the lookup of a chunk's table. */
struct tprefix {
    char *prefix;
    size_t table;
};

struct load_wait {
    struct load_input *in;
    double deadline;
    unsigned seconds;
    const volatile int *cancel;
    const struct cs_log *log;
    struct load_wait_chunk **found; /* every chunk handed out */
    size_t nfound, cap;
    struct load_wait_chunk **queue; /* queue[qhead..nqueue): found, not handed out yet */
    size_t qhead, nqueue, qcap;
    struct fmt_name_set names;      /* the files of every chunk found */
    struct tprefix *prefixes;       /* the catalog's tables, sorted by prefix */
    size_t nprefixes;
    double interval;                /* seconds until the next listing */
    int manifest_seen;
};

static int has(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return 1;
    return 0;
}

/* Waits the poll interval (not past the deadline) and lengthens the next;
 * -1 with ERR when the wait is over or cancelled. */
static int pause_once(struct load_wait *w, const char *what, struct cs_error *err)
{
    double until;

    if (cs_cancelled(w->cancel))
        return cs_error_set(err, CS_ERR_CANCELLED, "%s: interrupted waiting for %s", w->in->name,
                            what);
    if (cs_now() > w->deadline)
        return cs_error_set(err, CS_ERR_MISSING,
                            "%s: no %s after --wait-for-dump %u s: the dump did not complete "
                            "in time (is csdump still running?  did it fail?)",
                            w->in->name, what, w->seconds);
    until = cs_now() + w->interval;
    until = until < w->deadline + 0.1 ? until : w->deadline + 0.1;
    while (!cs_cancelled(w->cancel) && cs_now() < until) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    w->interval = w->interval * 2 < POLL_MAX_S ? w->interval * 2 : POLL_MAX_S;
    return 0;
}

/* The listing of W's input, timed: the next pause is not shorter. */
static int list_timed(struct load_wait *w, char ***names, size_t *n, struct cs_error *err)
{
    double t0 = cs_now();
    int rc = w->in->list(w->in, names, n, err);
    double took = cs_now() - t0;

    if (w->interval < took)
        w->interval = took;
    return rc;
}

int load_wait_dir(const char *dir, unsigned seconds, const volatile int *cancel,
                  const struct cs_log *log, struct cs_error *err)
{
    double deadline = cs_now() + seconds;
    struct stat st;
    int said = 0;

    while (stat(dir, &st) < 0) {
        if (cs_cancelled(cancel))
            return cs_error_set(err, CS_ERR_CANCELLED, "%s: interrupted waiting for the dump", dir);
        if (cs_now() > deadline)
            return cs_error_set(err, CS_ERR_MISSING,
                                "%s: no such directory after --wait-for-dump %u s: the dump did "
                                "not complete in time (is csdump running?)",
                                dir, seconds);
        if (!said++)
            cs_log_info(log, "%s: waiting up to %u s for the dump to begin", dir, seconds);
        sleep(1);
    }
    return 0;
}

/* catalog.json of IN, parsed. */
static struct fmt_manifest *read_catalog(struct load_input *in, struct cs_error *err)
{
    struct fmt_source *src = in->open(in, FMT_CATALOG_NAME, err);
    struct fmt_manifest *m = NULL;
    struct cs_buf b = CS_BUF_INIT;
    char buf[65536];
    ssize_t k = 0;

    while (src && (k = fmt_source_read(src, buf, sizeof(buf), err)) > 0)
        cs_buf_append(&b, buf, (size_t)k);
    if (src && k == 0 && cs_buf_failed(&b))
        cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s", FMT_CATALOG_NAME);
    else if (src && k == 0)
        m = fmt_manifest_from_json(b.data ? b.data : "", b.len, FMT_CATALOG_NAME, err);
    fmt_source_free(src);
    cs_buf_release(&b);
    return m;
}

/* One look: 1 with *m (the manifest, *final = 1, or the catalog), 0 when
 * neither is there yet, -1 on error. */
static int look(struct load_wait *w, struct fmt_manifest **m, int *final, struct cs_error *err)
{
    struct load_input *in = w->in;
    char **names = NULL;
    size_t n = 0;
    struct cs_error e;
    int rc = 0;

    cs_error_clear(&e);
    if (list_timed(w, &names, &n, &e) < 0)
        return e.code == CS_ERR_MISSING ? 0 : (cs_error_copy(err, &e), -1);
    *final = has(names, n, FMT_MANIFEST_NAME);
    if (*final || has(names, n, FMT_CATALOG_NAME)) {
        *m = *final ? in->read_manifest(in, err) : read_catalog(in, err);
        rc = *m ? 1 : -1;
    }
    load_input_free_list(names, n);
    return rc;
}

struct load_wait *load_wait_new(struct load_input *in, unsigned seconds, const volatile int *cancel,
                                const struct cs_log *log, struct fmt_manifest **m, int *final,
                                struct cs_error *err)
{
    struct load_wait *w = calloc(1, sizeof(*w));
    int said = 0, r;

    *m = NULL;
    if (!w) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    w->in = in;
    w->seconds = seconds;
    w->deadline = cs_now() + seconds;
    w->cancel = cancel;
    w->log = log;
    w->interval = POLL_MIN_S;
    while ((r = look(w, m, final, err)) == 0) {
        if (!said++)
            cs_log_info(log, "%s: waiting up to %u s for the dump to begin", in->name, seconds);
        if (pause_once(w, "catalog.json (the dump's beginning)", err) < 0)
            break;
    }
    if (r != 1) {
        load_wait_free(w);
        return NULL;
    }
    w->manifest_seen = *final;
    return w;
}

void load_wait_free(struct load_wait *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nfound; i++) {
        free(w->found[i]->c.file);
        free(w->found[i]);
    }
    for (size_t i = w->qhead; i < w->nqueue; i++) {
        free(w->queue[i]->c.file);
        free(w->queue[i]);
    }
    for (size_t i = 0; i < w->nprefixes; i++)
        free(w->prefixes[i].prefix);
    free(w->prefixes);
    fmt_name_set_release(&w->names);
    free(w->found);
    free(w->queue);
    free(w);
}

static int cmp_prefix(const void *a, const void *b)
{
    return strcmp(((const struct tprefix *)a)->prefix, ((const struct tprefix *)b)->prefix);
}

/* The catalog's tables by their chunk file prefix, sorted (once). */
static int index_tables(struct load_wait *w, const struct fmt_manifest *cat)
{
    if (w->prefixes || !cat->ntables)
        return 0;
    w->prefixes = calloc(cat->ntables, sizeof(*w->prefixes));
    if (!w->prefixes)
        return -1;
    for (size_t i = 0; i < cat->ntables; i++) {
        w->prefixes[i].table = i;
        w->prefixes[i].prefix = fmt_name_file(cat->tables[i].schema, cat->tables[i].name, "");
        w->nprefixes = i + 1;
        if (!w->prefixes[i].prefix)
            return -1;
    }
    qsort(w->prefixes, w->nprefixes, sizeof(*w->prefixes), cmp_prefix);
    return 0;
}

/* The catalog table whose chunk NAME is, "<table file prefix>.NNNNN.NNN.<ext>",
 * or -1: each place such a suffix could start is looked up (log tables). */
static long table_of(const struct load_wait *w, const char *name)
{
    for (const char *p = strchr(name, '.'); p; p = strchr(p + 1, '.')) {
        unsigned a, b;
        int used = 0;
        struct tprefix want, *hit;
        if (sscanf(p, ".%5u.%3u.%n", &a, &b, &used) != 2 || used != 11 || !p[11] ||
            strstr(p + 11, ".partial") || strstr(p + 11, ".meta.json"))
            continue;
        if (!(want.prefix = strndup(name, (size_t)(p - name))))
            return -1;
        hit = bsearch(&want, w->prefixes, w->nprefixes, sizeof(*w->prefixes), cmp_prefix);
        free(want.prefix);
        if (hit)
            return (long)hit->table;
    }
    return -1;
}

static int push(struct load_wait_chunk ***arr, size_t *n, size_t *cap, struct load_wait_chunk *c)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        struct load_wait_chunk **p = realloc(*arr, nc * sizeof(*p));
        if (!p)
            return -1;
        *arr = p;
        *cap = nc;
    }
    (*arr)[(*n)++] = c;
    return 0;
}

/* One listing: new chunks go to the queue; the manifest is noted.  Linear
 * in the listing: each name is looked up in the set of those found. */
static int scan(struct load_wait *w, const struct fmt_manifest *cat, struct cs_error *err)
{
    char **names = NULL;
    size_t n = 0, before = w->nqueue;
    int rc = 0;

    if (index_tables(w, cat) < 0)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (list_timed(w, &names, &n, err) < 0)
        return -1;
    /* listed before the chunks are looked at: a chunk listed with the
     * manifest is in it, so none is missed */
    w->manifest_seen = has(names, n, FMT_MANIFEST_NAME);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        long t = fmt_name_set_has(&w->names, names[i]) ? -1 : table_of(w, names[i]);
        struct load_wait_chunk *c;
        if (t < 0)
            continue;
        c = calloc(1, sizeof(*c));
        if (!c || !(c->c.file = strdup(names[i])) ||
            fmt_name_set_insert(&w->names, names[i]) < 0 ||
            push(&w->queue, &w->nqueue, &w->qcap, c) < 0) {
            if (c)
                free(c->c.file);
            free(c);
            rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            break;
        }
        c->table = (size_t)t;
    }
    load_input_free_list(names, n);
    if (w->nqueue > before)
        w->interval = POLL_MIN_S;
    return rc;
}

int load_wait_next(struct load_wait *w, const struct fmt_manifest *cat,
                   struct load_wait_chunk **out, struct cs_error *err)
{
    *out = NULL;
    for (;;) {
        if (w->qhead < w->nqueue) {
            struct load_wait_chunk *c = w->queue[w->qhead++];
            if (w->qhead == w->nqueue)
                w->qhead = w->nqueue = 0;
            if (push(&w->found, &w->nfound, &w->cap, c) < 0) {
                free(c->c.file);
                free(c);
                return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            }
            *out = c;
            return 1;
        }
        if (w->manifest_seen)
            return 0;
        if (scan(w, cat, err) < 0)
            return -1;
        if (w->qhead == w->nqueue && !w->manifest_seen && pause_once(w, FMT_MANIFEST_NAME, err) < 0)
            return -1;
    }
}

/* The final manifest, its chunk lists checked as a whole (load/chunkset.h):
 * the load did not check them when it started from the catalog. */
struct fmt_manifest *load_wait_manifest(struct load_wait *w, struct cs_error *err)
{
    struct fmt_manifest *m = w->in->read_manifest(w->in, err);

    if (m && load_chunkset_require(m, w->in->name, w->log, err) < 0) {
        fmt_manifest_free(m);
        return NULL;
    }
    return m;
}
