#include "dump/spool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct held {
    struct dump_spool_file f; /* first: a taken file is freed as its entry */
    struct held *next;
};

struct spool {
    struct dump_output base;
    pthread_mutex_t mu;
    struct held *head, *tail;    /* finished files, in the order they were finished */
    void *idle[DUMP_SPOOL_IDLE]; /* segments of streamed files, for the next ones */
    size_t nidle;
};

struct spool_sink {
    struct fmt_sink base;
    struct spool *sp;
    struct held *h; /* the file being written, not in the list yet */
    size_t cap;     /* slots in h->f.iov */
};

void dump_spool_file_free(struct dump_spool_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->niov; i++) {
        if (f->mapped)
            munmap(f->iov[i].iov_base, DUMP_SPOOL_SEGMENT);
        else
            free(f->iov[i].iov_base);
    }
    free(f->iov);
    free(f->name);
    free(f);
}

static struct held *held_new(const char *file)
{
    struct held *h = calloc(1, sizeof(*h));

    if (h && !(h->f.name = strdup(file))) {
        free(h);
        return NULL;
    }
    return h;
}

/* Unlinks FILE's entry from the list (the caller holds the lock). */
static struct held *unlink_held(struct spool *sp, const char *file)
{
    struct held *prev = NULL;

    for (struct held *h = sp->head; h; prev = h, h = h->next) {
        if (strcmp(h->f.name, file))
            continue;
        if (prev)
            prev->next = h->next;
        else
            sp->head = h->next;
        if (sp->tail == h)
            sp->tail = prev;
        h->next = NULL;
        return h;
    }
    return NULL;
}

/* H becomes a finished file; one of the same name it replaces, as a rename would. */
static void publish(struct spool *sp, struct held *h)
{
    struct held *old;

    pthread_mutex_lock(&sp->mu);
    old = unlink_held(sp, h->f.name);
    if (sp->tail)
        sp->tail->next = h;
    else
        sp->head = h;
    sp->tail = h;
    pthread_mutex_unlock(&sp->mu);
    dump_spool_file_free(old ? &old->f : NULL);
}

/* A segment for a file being written: an idle one (its pages resident
 * already: no page faults, no zeroing), else a new mapping. */
static void *segment_get(struct spool *sp)
{
    void *seg = NULL;

    pthread_mutex_lock(&sp->mu);
    if (sp->nidle)
        seg = sp->idle[--sp->nidle];
    pthread_mutex_unlock(&sp->mu);
    if (seg)
        return seg;
    seg =
        mmap(NULL, DUMP_SPOOL_SEGMENT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return seg == MAP_FAILED ? NULL : seg;
}

void dump_spool_release(struct dump_output *o, struct dump_spool_file *f)
{
    struct spool *sp = (struct spool *)o;
    size_t kept = 0;

    if (!f)
        return;
    if (f->mapped) {
        pthread_mutex_lock(&sp->mu);
        while (kept < f->niov && sp->nidle < DUMP_SPOOL_IDLE)
            sp->idle[sp->nidle++] = f->iov[kept++].iov_base;
        pthread_mutex_unlock(&sp->mu);
    }
    for (size_t i = kept; i < f->niov; i++) {
        if (f->mapped)
            munmap(f->iov[i].iov_base, DUMP_SPOOL_SEGMENT);
        else
            free(f->iov[i].iov_base);
    }
    f->niov = 0;
    dump_spool_file_free(f);
}

static int sink_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    struct spool_sink *k = (struct spool_sink *)s;
    struct dump_spool_file *f = &k->h->f;

    while (len > 0) {
        struct iovec *last = f->niov ? &f->iov[f->niov - 1] : NULL;
        size_t n;
        if (!last || last->iov_len == DUMP_SPOOL_SEGMENT) {
            void *seg;
            if (f->niov == k->cap) {
                size_t nc = k->cap ? k->cap * 2 : 16;
                struct iovec *p = realloc(f->iov, nc * sizeof(*p));
                if (!p)
                    return cs_error_set(err, CS_ERR_NOMEM,
                                        "%s: out of memory spooling it for the "
                                        "archive",
                                        f->name);
                f->iov = p;
                k->cap = nc;
            }
            seg = segment_get(k->sp);
            if (!seg)
                return cs_error_sys(err, CS_ERR_NOMEM, errno,
                                    "%s: out of memory spooling it for the archive", f->name);
            last = &f->iov[f->niov++];
            last->iov_base = seg;
            last->iov_len = 0;
        }
        n = DUMP_SPOOL_SEGMENT - last->iov_len;
        n = n < len ? n : len;
        memcpy((char *)last->iov_base + last->iov_len, buf, n);
        last->iov_len += n;
        f->size += n;
        buf = (const char *)buf + n;
        len -= n;
    }
    return 0;
}

static int sink_finish(struct fmt_sink *s, struct cs_error *err)
{
    struct spool_sink *k = (struct spool_sink *)s;

    (void)err;
    publish(k->sp, k->h);
    k->h = NULL;
    return 0;
}

static void sink_free(struct fmt_sink *s)
{
    struct spool_sink *k = (struct spool_sink *)s;

    if (k->h)
        dump_spool_file_free(&k->h->f); /* unfinished: abandoned */
    free(k);
}

static int spool_prepare(struct dump_output *o, struct cs_error *err)
{
    (void)o;
    (void)err;
    return 0; /* a new spool is empty */
}

static struct fmt_sink *spool_open(struct dump_output *o, const char *file, struct cs_error *err)
{
    struct spool_sink *k = calloc(1, sizeof(*k));

    if (!k || !(k->h = held_new(file))) {
        free(k);
        cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory spooling it for the archive", file);
        return NULL;
    }
    k->h->f.mapped = 1;
    k->sp = (struct spool *)o;
    k->base.write = sink_write;
    k->base.finish = sink_finish;
    k->base.free = sink_free;
    return &k->base;
}

static int spool_put(struct dump_output *o, const char *file, const void *data, size_t len,
                     struct cs_error *err)
{
    struct held *h = held_new(file);

    if (h && (h->f.iov = calloc(1, sizeof(*h->f.iov))) &&
        (h->f.iov[0].iov_base = malloc(len ? len : 1))) {
        memcpy(h->f.iov[0].iov_base, data, len);
        h->f.iov[0].iov_len = len;
        h->f.niov = 1;
        h->f.size = len;
        publish((struct spool *)o, h);
        return 0;
    }
    if (h)
        dump_spool_file_free(&h->f);
    return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory spooling it for the archive", file);
}

struct dump_spool_file *dump_spool_take(struct dump_output *o, const char *file)
{
    struct spool *sp = (struct spool *)o;
    struct held *h;

    pthread_mutex_lock(&sp->mu);
    h = unlink_held(sp, file);
    pthread_mutex_unlock(&sp->mu);
    return h ? &h->f : NULL;
}

static void spool_remove(struct dump_output *o, const char *file)
{
    dump_spool_file_free(dump_spool_take(o, file));
}

static int spool_seal(struct dump_output *o, const char *file, struct cs_error *err)
{
    (void)file;
    (void)o;
    (void)err;
    return 0;
}

static void spool_cleanup(struct dump_output *o)
{
    (void)o; /* what is left goes with the spool */
}

static void spool_free(struct dump_output *o)
{
    struct spool *sp = (struct spool *)o;

    while (sp->head) {
        struct held *h = sp->head;
        sp->head = h->next;
        dump_spool_file_free(&h->f);
    }
    while (sp->nidle)
        munmap(sp->idle[--sp->nidle], DUMP_SPOOL_SEGMENT);
    pthread_mutex_destroy(&sp->mu);
    free(sp);
}

struct dump_output *dump_spool_new(struct cs_error *err)
{
    struct spool *sp = calloc(1, sizeof(*sp));

    if (!sp) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&sp->mu, NULL);
    sp->base = (struct dump_output){"the archive's memory spool",
                                    spool_prepare,
                                    spool_open,
                                    spool_put,
                                    spool_remove,
                                    spool_seal,
                                    spool_cleanup,
                                    spool_free};
    return &sp->base;
}
