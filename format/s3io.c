#include "format/s3io.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sink ------------------------------------------------------------------- */

struct job {
    struct s3_sink *s;
    unsigned no; /* part number, 1-based; 0 = slot free */
    struct cs_buf data;
    char etag[130];
    struct cs_error err;
    int rc;
    pthread_t thread;
};

struct s3_sink {
    struct fmt_sink base;
    struct cs_s3 *c;
    char *key;
    char *upload_id; /* NULL until the first part */
    struct cs_buf cur;
    size_t part_size; /* of the part being filled (cs_s3_part_size) */
    uint64_t base_part;
    struct job *jobs; /* parts_in_flight slots, part N in slot (N-1) % n */
    unsigned njobs;
    unsigned nparts;
    char (*etags)[130];
    int finished;
};

static void *part_main(void *arg)
{
    struct job *j = arg;

    cs_error_clear(&j->err);
    j->rc = cs_s3_mpu_part(j->s->c, j->s->key, j->s->upload_id, j->no, j->data.data, j->data.len,
                           j->etag, &j->err);
    return NULL;
}

/* Waits for slot J's part; its ETag goes to the list.  0 or -1 with ERR. */
static int join_job(struct s3_sink *s, struct job *j, struct cs_error *err)
{
    int rc = 0;

    if (!j->no)
        return 0;
    pthread_join(j->thread, NULL);
    if (j->rc < 0 && err && !cs_error_is_set(err))
        cs_error_copy(err, &j->err);
    else if (j->rc == 0)
        memcpy(s->etags[j->no - 1], j->etag, 130);
    rc = j->rc;
    j->no = 0;
    return rc;
}

static int join_all(struct s3_sink *s, struct cs_error *err)
{
    int rc = 0;

    for (unsigned i = 0; i < s->njobs; i++)
        rc |= join_job(s, &s->jobs[i], err);
    return rc ? -1 : 0;
}

static int send_part(struct s3_sink *s, struct cs_error *err)
{
    struct job *j;
    struct cs_buf tmp;
    void *p;

    if (s->nparts == CS_S3_MAX_PARTS)
        return cs_error_set(err, CS_ERR_USAGE,
                            "s3://%s/%s: more than %u parts (5 TiB, S3's largest object)",
                            cs_s3_bucket(s->c), s->key, CS_S3_MAX_PARTS);
    if (!s->upload_id && cs_s3_mpu_create(s->c, s->key, &s->upload_id, err) < 0)
        return -1;
    j = &s->jobs[s->nparts % s->njobs];
    if (join_job(s, j, err) < 0)
        return -1;
    p = realloc(s->etags, (s->nparts + 1) * sizeof(*s->etags));
    if (!p)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    s->etags = p;
    /* the slot's old buffer becomes the one that fills next */
    tmp = j->data;
    j->data = s->cur;
    s->cur = tmp;
    cs_buf_reset(&s->cur);
    j->no = ++s->nparts;
    j->s = s;
    s->part_size = (size_t)cs_s3_part_size(s->base_part, s->nparts + 1);
    if (pthread_create(&j->thread, NULL, part_main, j) != 0) {
        j->no = 0;
        return cs_error_set(err, CS_ERR_INTERNAL, "cannot start an upload thread");
    }
    return 0;
}

/* Room for NEED bytes in B, never more than LIMIT (+ the NUL): cs_buf's
 * doubling would make a full part's buffer twice the part size. */
static int grow(struct cs_buf *b, size_t need, size_t limit)
{
    size_t cap;
    char *p;

    if (need + 1 <= b->cap)
        return 0;
    cap = b->cap ? b->cap * 2 : 65536;
    if (cap < need + 1)
        cap = need + 1;
    if (cap > limit + 1)
        cap = limit + 1;
    p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

static int s3s_write(struct fmt_sink *sink, const void *buf, size_t len, struct cs_error *err)
{
    struct s3_sink *s = (struct s3_sink *)sink;
    const char *p = buf;

    while (len > 0) {
        size_t room = s->part_size - s->cur.len, n = len < room ? len : room;
        if (grow(&s->cur, s->cur.len + n, s->part_size) < 0)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory buffering s3://%s/%s",
                                cs_s3_bucket(s->c), s->key);
        cs_buf_append(&s->cur, p, n);
        p += n;
        len -= n;
        if (s->cur.len == s->part_size && send_part(s, err) < 0)
            return -1;
    }
    return 0;
}

static int s3s_finish(struct fmt_sink *sink, struct cs_error *err)
{
    struct s3_sink *s = (struct s3_sink *)sink;
    int rc;

    if (!s->upload_id)
        rc = cs_s3_put(s->c, s->key, s->cur.data ? s->cur.data : "", s->cur.len, err);
    else if ((s->cur.len && send_part(s, err) < 0) || join_all(s, err) < 0)
        rc = -1;
    else
        rc = cs_s3_mpu_complete(s->c, s->key, s->upload_id, s->etags, s->nparts, err);
    s->finished = rc == 0;
    return rc;
}

static void s3s_free(struct fmt_sink *sink)
{
    struct s3_sink *s = (struct s3_sink *)sink;
    struct cs_error ignore;

    cs_error_clear(&ignore);
    join_all(s, &ignore);
    if (s->upload_id && !s->finished)
        cs_s3_mpu_abort(s->c, s->key, s->upload_id, &ignore);
    for (unsigned i = 0; s->jobs && i < s->njobs; i++)
        cs_buf_release(&s->jobs[i].data);
    cs_buf_release(&s->cur);
    free(s->jobs);
    free(s->etags);
    free(s->upload_id);
    free(s->key);
    free(s);
}

struct fmt_sink *fmt_sink_s3_new(struct cs_s3 *c, const char *key, struct cs_error *err)
{
    const struct cs_s3_options *o = cs_s3_opts(c);
    struct s3_sink *s = calloc(1, sizeof(*s));

    if (s) {
        s->njobs = o->parts_in_flight ? o->parts_in_flight : 1;
        s->jobs = calloc(s->njobs, sizeof(*s->jobs));
        s->key = strdup(key);
    }
    if (!s || !s->jobs || !s->key) {
        if (s) {
            free(s->jobs);
            free(s->key);
        }
        free(s);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->c = c;
    s->base_part = o->part_size;
    s->part_size = (size_t)cs_s3_part_size(o->part_size, 1);
    s->base.write = s3s_write;
    s->base.finish = s3s_finish;
    s->base.free = s3s_free;
    return &s->base;
}

/* ---- source ----------------------------------------------------------------- */

struct s3_source {
    struct fmt_source base;
    struct cs_s3 *c;
    char *key;
    char etag[130];
    uint64_t size, pos; /* object size; bytes fetched so far */
    struct cs_buf win;
    size_t win_pos;
};

static ssize_t s3r_read(struct fmt_source *src, void *buf, size_t cap, struct cs_error *err)
{
    struct s3_source *s = (struct s3_source *)src;
    size_t n;

    if (s->win_pos == s->win.len) {
        uint64_t want = s->size - s->pos;
        if (want == 0)
            return 0;
        if (want > FMT_S3_WINDOW)
            want = FMT_S3_WINDOW;
        cs_buf_reset(&s->win);
        s->win_pos = 0;
        if (cs_s3_get_range(s->c, s->key, s->pos, want, s->etag, &s->win, NULL, err) < 0)
            return -1;
        if (s->win.len == 0)
            return cs_error_set(err, CS_ERR_TRUNCATED,
                                "s3://%s/%s: ends at byte %llu, before its %llu bytes",
                                cs_s3_bucket(s->c), s->key, (unsigned long long)s->pos,
                                (unsigned long long)s->size);
        s->pos += s->win.len;
    }
    n = s->win.len - s->win_pos;
    if (n > cap)
        n = cap;
    memcpy(buf, s->win.data + s->win_pos, n);
    s->win_pos += n;
    return (ssize_t)n;
}

static void s3r_free(struct fmt_source *src)
{
    struct s3_source *s = (struct s3_source *)src;

    cs_buf_release(&s->win);
    free(s->key);
    free(s);
}

static struct s3_source *s3r_alloc(struct cs_s3 *c, const char *key, struct cs_error *err)
{
    struct s3_source *s = calloc(1, sizeof(*s));

    if (!s || !(s->key = strdup(key))) {
        free(s);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->c = c;
    s->base.read = s3r_read;
    s->base.free = s3r_free;
    return s;
}

struct fmt_source *fmt_source_s3_new(struct cs_s3 *c, const char *key, struct cs_error *err)
{
    struct s3_source *s = s3r_alloc(c, key, err);

    if (s && cs_s3_head(c, key, &s->size, s->etag, err) < 0) {
        s3r_free(&s->base);
        return NULL;
    }
    return s ? &s->base : NULL;
}

struct fmt_source *fmt_source_s3_range_new(struct cs_s3 *c, const char *key, const char *etag,
                                           uint64_t offset, uint64_t len, struct cs_error *err)
{
    struct s3_source *s = s3r_alloc(c, key, err);

    if (!s)
        return NULL;
    snprintf(s->etag, sizeof(s->etag), "%s", etag);
    s->pos = offset;
    s->size = offset + len;
    return &s->base;
}

const char *fmt_source_s3_etag(const struct fmt_source *src)
{
    return ((const struct s3_source *)src)->etag;
}
