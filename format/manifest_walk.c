/*
 * manifest_walk.c - the manifest's text walked, not parsed whole
 * (format/jsonwalk.h): the top level and each table member by member into
 * small JSON objects, each chunk as its own small tree, turned into its
 * fmt_chunk (manifest_read.c reads every object) and freed.  Only one
 * chunk's tree is ever held, whatever the dump's size; read from a source,
 * only a window of the text.
 */
#include "format/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/fs.h"
#include "format/jsonwalk.h"
#include "format/manifest_int.h"
#include "format/source.h"

#define MANIFEST_MAX_BYTES (1024UL * 1024 * 1024)

/* The walker's syntax error as jansson's would read. */
static int syntax(const struct fmt_mf_rd *rd)
{
    if (fmt_jsonwalk_read_failed(rd->w)) /* the source's error, in RD->err */
        return cs_error_prefix(rd->err, "%s", rd->name);
    if (strcmp(rd->w->why, "out of memory") == 0)
        return fmt_mf_nomem(rd->err, rd->name);
    return cs_error_set(rd->err, CS_ERR_FORMAT, "%s: not valid JSON at %s", rd->name, rd->w->why);
}

/* OBJ[KEY] = the value at the walker; a key OBJ has (or DUP) is refused. */
static int add_member(const struct fmt_mf_rd *rd, json_t *obj, const char *key, int dup)
{
    char what[FMT_JSONWALK_WHY];
    json_t *v;

    if (dup || json_object_get(obj, key)) {
        snprintf(what, sizeof(what), "duplicate object key near '\"%.100s\"'", key);
        fmt_jsonwalk_fail(rd->w, rd->w->pos, what);
        return syntax(rd);
    }
    v = fmt_jsonwalk_value(rd->w);
    if (!v)
        return syntax(rd);
    return json_object_set_new(obj, key, v) < 0 ? fmt_mf_nomem(rd->err, rd->name) : 0;
}

/* The value at the walker, which must be an object (named PATH): a new
 * reference, or NULL. */
static json_t *walk_object(const struct fmt_mf_rd *rd, const char *path)
{
    json_t *o = fmt_jsonwalk_value(rd->w);

    if (!o) {
        syntax(rd);
        return NULL;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        fmt_mf_rfail(rd, CS_ERR_FORMAT, path, NULL, "expected an object");
        return NULL;
    }
    return o;
}

/* The chunks of T from the array at the walker, one at a time. */
static int read_chunks(const struct fmt_mf_rd *rd, const char *path, struct fmt_table *t)
{
    struct fmt_jsonwalk_level lv;
    char p[FMT_MF_PATH_LEN];
    int more;

    if (fmt_jsonwalk_open(rd->w, '[', &lv) < 0)
        return syntax(rd);
    while ((more = fmt_jsonwalk_next(rd->w, &lv, NULL)) == 1) {
        struct fmt_chunk *c;
        json_t *o;
        int rc;

        fmt_mf_sub_path(p, path, "chunks", (long)t->nchunks);
        if (!(o = walk_object(rd, p)))
            return -1;
        c = fmt_table_add_chunk(t);
        rc = c ? fmt_mf_read_chunk(rd, o, p, c) : fmt_mf_nomem(rd->err, rd->name);
        json_decref(o);
        if (rc < 0)
            return -1;
    }
    if (more < 0)
        return syntax(rd);
    fmt_table_size_chunks(t, 0);
    return 0;
}

/* The table at the walker into T: its members but "chunks" into one small
 * object, its chunks streamed (read_chunks). */
static int read_table(const struct fmt_mf_rd *rd, const char *path, struct fmt_table *t)
{
    struct fmt_jsonwalk_level lv;
    json_t *o = json_object();
    char *key = NULL;
    int more, streamed = 0, rc = -1;

    if (!o)
        return fmt_mf_nomem(rd->err, rd->name);
    if (fmt_jsonwalk_peek(rd->w) != '{') { /* not an object: say what it is */
        json_decref(walk_object(rd, path));
        goto out;
    }
    if (fmt_jsonwalk_open(rd->w, '{', &lv) < 0) {
        syntax(rd);
        goto out;
    }
    while ((more = fmt_jsonwalk_next(rd->w, &lv, &key)) == 1) {
        int chunks = strcmp(key, "chunks") == 0;

        if (chunks && !streamed && fmt_jsonwalk_peek(rd->w) == '[' && !json_object_get(o, key))
            rc = (streamed = 1, read_chunks(rd, path, t));
        else
            rc = add_member(rd, o, key, chunks && streamed);
        free(key);
        key = NULL;
        if (rc < 0)
            goto out;
    }
    rc = -1;
    if (more < 0) {
        syntax(rd);
        goto out;
    }
    rc = fmt_mf_read_table_head(rd, o, path, t, streamed);
out:
    json_decref(o);
    return rc;
}

int fmt_mf_read_tables(const struct fmt_mf_rd *rd, struct fmt_manifest *m)
{
    struct fmt_jsonwalk_level lv;
    char p[FMT_MF_PATH_LEN];
    int more;

    rd->w->pos = rd->tables_at;
    if (fmt_jsonwalk_open(rd->w, '[', &lv) < 0)
        return syntax(rd);
    while ((more = fmt_jsonwalk_next(rd->w, &lv, NULL)) == 1) {
        struct fmt_table *t = fmt_manifest_add_table(m);

        if (!t)
            return fmt_mf_nomem(rd->err, rd->name);
        fmt_mf_sub_path(p, "", "tables", (long)(m->ntables - 1));
        if (read_table(rd, p, t) < 0)
            return -1;
    }
    return more < 0 ? syntax(rd) : 0;
}

/* The "tables" array at the walker: read now when the format version came
 * before it (as csdump writes it: the text is then read once, as a
 * stream), else skipped and pinned, to be read once the version is known. */
static int head_tables(struct fmt_mf_rd *rd, json_t *head, struct fmt_manifest *m)
{
    rd->tables_at = rd->w->pos;
    if (json_object_get(head, "format_version")) {
        rd->tables_read = 1;
        return fmt_mf_read_version(rd, head, m) < 0 ? -1 : fmt_mf_read_tables(rd, m);
    }
    rd->w->pin = rd->w->pos;
    return fmt_jsonwalk_skip(rd->w) < 0 ? syntax(rd) : 0;
}

/* The top level of the text into HEAD, every member but "tables" (see
 * head_tables). */
static int read_head(struct fmt_mf_rd *rd, json_t *head, struct fmt_manifest *m)
{
    struct fmt_jsonwalk_level lv;
    char *key = NULL;
    int more, rc = 0;

    if (fmt_jsonwalk_open(rd->w, '{', &lv) < 0)
        return syntax(rd);
    while (rc == 0 && (more = fmt_jsonwalk_next(rd->w, &lv, &key)) == 1) {
        int tables = strcmp(key, "tables") == 0;

        if (tables && !rd->tables_at && fmt_jsonwalk_peek(rd->w) == '[' &&
            !json_object_get(head, key))
            rc = head_tables(rd, head, m);
        else
            rc = add_member(rd, head, key, tables && rd->tables_at);
        free(key);
        key = NULL;
    }
    if (rc < 0)
        return -1;
    return more < 0 || fmt_jsonwalk_end(rd->w) < 0 ? syntax(rd) : 0;
}

/* Not an object: what jansson says of the whole text. */
static void not_a_manifest(const struct fmt_mf_rd *rd, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *root = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr) : NULL;

    if (root)
        cs_error_set(rd->err, CS_ERR_FORMAT, "%s: not a csdump manifest (expected a JSON object)",
                     rd->name);
    else
        cs_error_set(rd->err, CS_ERR_FORMAT, "%s: not valid JSON at line %d, column %d: %s",
                     rd->name, text ? jerr.line : 0, text ? jerr.column : 0,
                     text ? jerr.text : "no text");
    json_decref(root);
}

/* The manifest W walks (NAME in messages).  The peak is the model and the
 * text's window (all of the text when it is in memory): the JSON trees are
 * the top level's (without the tables), one table's (without its chunks)
 * and one chunk's. */
static struct fmt_manifest *walk_manifest(struct fmt_jsonwalk *w, const char *name,
                                          struct cs_error *err)
{
    struct fmt_mf_rd rd = {name ? name : FMT_MANIFEST_NAME, err, 1, w, 0, 0};
    struct fmt_manifest *m = fmt_manifest_new();
    json_t *head = json_object();

    if (!head || !m) {
        fmt_mf_nomem(err, rd.name);
        goto fail;
    }
    if (read_head(&rd, head, m) < 0 || fmt_mf_read_manifest(&rd, head, m) < 0)
        goto fail;
    json_decref(head);
    return m;
fail:
    json_decref(head);
    fmt_manifest_free(m);
    return NULL;
}

struct fmt_manifest *fmt_manifest_read_source(const void *head, size_t head_len,
                                              struct fmt_source *src, size_t max, const char *name,
                                              struct cs_error *err)
{
    struct fmt_manifest *m = NULL;
    struct fmt_jsonwalk w;

    fmt_jsonwalk_init_source(&w, head, head_len, src, max, err);
    if (fmt_jsonwalk_peek(&w) == '{') {
        m = walk_manifest(&w, name, err);
    } else if (!fmt_jsonwalk_read_failed(&w)) { /* not a manifest: say what it is */
        char text[4096];
        size_t n = 0;

        ssize_t got = 1;

        for (size_t at = w.base; n < sizeof(text) && at < w.base + w.len; at++)
            text[n++] = w.text[at - w.base];
        while (!w.eof && n < sizeof(text) && got > 0) /* its start, to say what it is */
            if ((got = fmt_source_read(src, text + n, sizeof(text) - n, err)) > 0)
                n += (size_t)got;
        not_a_manifest(&(struct fmt_mf_rd){name ? name : FMT_MANIFEST_NAME, err, 1, NULL, 0, 0},
                       text, n);
    } else {
        cs_error_prefix(err, "%s", name ? name : FMT_MANIFEST_NAME);
    }
    fmt_jsonwalk_release(&w);
    return m;
}

struct fmt_manifest *fmt_manifest_from_json(const char *text, size_t len, const char *name,
                                            struct cs_error *err)
{
    struct fmt_mf_rd rd = {name ? name : FMT_MANIFEST_NAME, err, 1, NULL, 0, 0};
    struct fmt_jsonwalk w;

    fmt_jsonwalk_init(&w, text, text ? len : 0);
    if (!text || fmt_jsonwalk_peek(&w) != '{') {
        not_a_manifest(&rd, text, len);
        return NULL;
    }
    return walk_manifest(&w, name, err);
}

struct fmt_manifest *fmt_manifest_read(const char *dir, struct cs_error *err)
{
    struct fmt_manifest *m = NULL;
    struct fmt_source *src = NULL;
    char *path = cs_fs_join(dir, FMT_MANIFEST_NAME);
    struct cs_error e;

    cs_error_clear(&e);
    if (!path) {
        fmt_mf_nomem(err, dir);
        goto out;
    }
    src = fmt_source_file_new(path, &e);
    if (!src && e.code == CS_ERR_MISSING)
        cs_error_set(err, CS_ERR_MISSING,
                     "%s: no " FMT_MANIFEST_NAME
                     ": the dump is incomplete or this is not a csdump directory",
                     dir);
    else if (!src)
        cs_error_copy(err, &e);
    else
        m = fmt_manifest_read_source(NULL, 0, src, MANIFEST_MAX_BYTES, path, err);
out:
    fmt_source_free(src);
    free(path);
    return m;
}
