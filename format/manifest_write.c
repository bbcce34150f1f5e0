/*
 * manifest_write.c - the model to JSON: manifest.json, coordinates.json and
 * a streamed chunk's meta entry.  The layout and the field tables are in
 * manifest.c; here one writer per field type and the order of the objects.
 * A value the reader would refuse is not written: CS_ERR_INTERNAL naming the
 * field ("manifest: cannot write field tables[0].chunks[1].rows: ...").
 */
#include "format/manifest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/fs.h"
#include "format/sink.h"
#include "format/manifest_int.h"

/* ---- per-type writers ------------------------------------------------- */

/* The JSON value of the member at P, or NULL when it cannot be written. */
typedef json_t *(*put_fn)(const struct fmt_mf_field *f, const void *p);

static json_t *put_str(const struct fmt_mf_field *f, const void *p)
{
    const char *s = *(char *const *)p;

    if (f->type == MF_T_FILE && !fmt_mf_plain_name(s))
        return NULL;
    return json_string(s);
}

/* Every u64 travels as json_int_t: it must stay below 2^63. */
static json_t *put_u64(const struct fmt_mf_field *f, const void *p)
{
    uint64_t u = *(const uint64_t *)p;

    (void)f;
    return u <= INT64_MAX ? json_integer((json_int_t)u) : NULL;
}

static json_t *put_u32(const struct fmt_mf_field *f, const void *p)
{
    (void)f;
    return json_integer(*(const uint32_t *)p);
}

static json_t *put_uint(const struct fmt_mf_field *f, const void *p)
{
    (void)f;
    return json_integer(*(const unsigned *)p);
}

static json_t *put_int(const struct fmt_mf_field *f, const void *p)
{
    (void)f;
    return json_integer(*(const int *)p);
}

static json_t *put_bool(const struct fmt_mf_field *f, const void *p)
{
    (void)f;
    return json_boolean(*(const int *)p);
}

static json_t *put_double(const struct fmt_mf_field *f, const void *p)
{
    (void)f;
    return json_real(*(const double *)p);
}

static json_t *put_hex(const struct fmt_mf_field *f, const void *p)
{
    const char *s = p;

    return fmt_mf_lower_hex(s, f->width) ? json_string(s) : NULL;
}

static json_t *put_enum(const struct fmt_mf_field *f, const void *p)
{
    int v = *(const int *)p;

    return v >= 0 && v < f->count ? json_string(f->name(v)) : NULL;
}

static const struct {
    put_fn put;
    const char *bad; /* why PUT returned NULL (for MF_T_HEX: see bad_write) */
} wtypes[MF_T_COUNT] = {
    [MF_T_STR] = {put_str, "not valid UTF-8"},
    [MF_T_NSTR] = {put_str, "not valid UTF-8"},
    [MF_T_OSTR] = {put_str, "not valid UTF-8"},
    [MF_T_FILE] = {put_str, "not a plain file name"},
    [MF_T_U64] = {put_u64, "above 2^63-1"},
    [MF_T_U64_OPT] = {put_u64, "above 2^63-1"},
    [MF_T_U64_NZ] = {put_u64, "above 2^63-1"},
    [MF_T_U32] = {put_u32, "out of memory"},
    [MF_T_UINT] = {put_uint, "out of memory"},
    [MF_T_INT] = {put_int, "out of memory"},
    [MF_T_BOOL] = {put_bool, "out of memory"},
    [MF_T_BOOL_OPT] = {put_bool, "out of memory"},
    [MF_T_DOUBLE] = {put_double, "not a finite number"},
    [MF_T_HEX] = {put_hex, NULL},
    [MF_T_HEX_OPT] = {put_hex, NULL},
    [MF_T_ENUM] = {put_enum, "out of range"},
};

/* ---- building the JSON tree -------------------------------------------- */

static int wfail(struct cs_error *err, const char *path, const char *key, const char *what)
{
    char field[FMT_MF_PATH_LEN];

    fmt_mf_sub_path(field, path, key, -1);
    return cs_error_set(err, CS_ERR_INTERNAL, "manifest: cannot write field %s: %s", field, what);
}

/* The error for field F whose writer refused its value. */
static int bad_write(struct cs_error *err, const char *path, const struct fmt_mf_field *f)
{
    char what[64];

    if (f->type != MF_T_HEX && f->type != MF_T_HEX_OPT)
        return wfail(err, path, f->key, wtypes[f->type].bad);
    snprintf(what, sizeof(what), "not %zu lowercase hex digits", f->width);
    return wfail(err, path, f->key, what);
}

/* Put CHILD (owned) into PARENT under KEY, or append it when KEY is NULL.
 * Returns CHILD borrowed, or NULL. */
static json_t *attach(json_t *parent, const char *key, json_t *child, struct cs_error *err)
{
    int rc;

    if (!child) {
        fmt_mf_nomem(err, "manifest");
        return NULL;
    }
    rc = key ? json_object_set_new(parent, key, child) : json_array_append_new(parent, child);
    if (rc < 0) {
        fmt_mf_nomem(err, "manifest");
        return NULL;
    }
    return child;
}

/* Add the fields FS of BASE to OBJ.  LENIENT: a NULL required string is null. */
static int put_fields(json_t *obj, const char *path, const struct fmt_mf_fields *fs,
                      const void *base, int lenient, struct cs_error *err)
{
    for (size_t i = 0; i < fs->n; i++) {
        const struct fmt_mf_field *f = &fs->f[i];
        const void *p = fmt_mf_cat(f, base);
        json_t *v;

        if ((f->type == MF_T_U64_NZ && *(const uint64_t *)p == 0) ||
            (f->type == MF_T_HEX_OPT && !*(const char *)p))
            continue;
        if (fmt_mf_is_str(f->type) && !*(char *const *)p) {
            if (f->type == MF_T_OSTR)
                continue;
            if (!fmt_mf_optional(f->type) && !lenient)
                return wfail(err, path, f->key, "not set");
            v = json_null();
        } else if (!(v = wtypes[f->type].put(f, p))) {
            return bad_write(err, path, f);
        }
        if (!attach(obj, f->key, v, err))
            return -1;
    }
    return 0;
}

/* ROOT[KEY] = an object of the fields FS of BASE, returned borrowed. */
static json_t *put_section(json_t *root, const char *key, const struct fmt_mf_fields *fs,
                           const void *base, struct cs_error *err)
{
    json_t *o = attach(root, key, json_object(), err);

    if (!o || put_fields(o, key, fs, base, 0, err) < 0)
        return NULL;
    return o;
}

static int put_strv(json_t *obj, const char *path, const char *key, char *const *v, size_t n,
                    struct cs_error *err)
{
    json_t *a = attach(obj, key, json_array(), err);
    char p[FMT_MF_PATH_LEN];

    for (size_t i = 0; a && i < n; i++) {
        fmt_mf_sub_path(p, path, key, (long)i);
        if (!v[i])
            return wfail(err, p, NULL, "not set");
        if (!attach(a, NULL, json_string(v[i]), err))
            return wfail(err, p, NULL, "not valid UTF-8");
    }
    return a ? 0 : -1;
}

/* PARENT[KEY] = an array of one object per item (fields FS), returned borrowed. */
static json_t *put_items(json_t *parent, const char *path, const char *key, const void *items,
                         size_t n, size_t size, const struct fmt_mf_fields *fs,
                         struct cs_error *err)
{
    json_t *a = attach(parent, key, json_array(), err);
    char p[FMT_MF_PATH_LEN];

    for (size_t i = 0; a && i < n; i++) {
        json_t *o = attach(a, NULL, json_object(), err);

        fmt_mf_sub_path(p, path, key, (long)i);
        if (!o || put_fields(o, p, fs, (const char *)items + i * size, 0, err) < 0)
            return NULL;
    }
    return a;
}

static int put_coords(json_t *parent, const char *key, const struct fmt_coords *c, json_t **out,
                      struct cs_error *err)
{
    struct fmt_coords gtid_only = *c;

    *out = attach(parent, key, json_object(), err);
    if (!*out)
        return -1;
    if (c->unusable) { /* an unusable file/position is never written */
        gtid_only.binlog_file = NULL;
        gtid_only.binlog_pos = 0;
    }
    if (put_fields(*out, key, &fmt_mf_present, &gtid_only, 0, err) < 0)
        return -1;
    return put_fields(*out, key, &fmt_mf_coords, &gtid_only, !c->present, err);
}

static int put_replica(json_t *root, const struct fmt_manifest *m, struct cs_error *err)
{
    const struct fmt_coords *r = &m->replica_of;
    json_t *o;

    if (!r->present && !r->binlog_file && !r->gtid_set && !m->replica_source_host)
        return 0;
    if (put_coords(root, "replica_of", r, &o, err) < 0)
        return -1;
    return put_fields(o, "replica_of", &fmt_mf_replica, m, 0, err);
}

static int put_snapshot(json_t *root, const struct fmt_manifest *m, struct cs_error *err)
{
    json_t *o = put_section(root, "snapshot", &fmt_mf_snap_mode, m, err);

    if (!o || put_fields(o, "snapshot", &fmt_mf_snapshot, m, 0, err) < 0)
        return -1;
    return put_strv(o, "snapshot", "proof", m->proof, m->nproof, err);
}

/* The chunk's "lower" and "upper" (format/bound.h) added to O. */
static int put_bounds(json_t *o, const char *path, const struct fmt_chunk *c, struct cs_error *err)
{
    if (c->v1_lower || c->v1_upper)
        return wfail(err, path, "lower", "version 1 bounds are read, never written");
    if (!attach(o, "lower", fmt_bound_to_json(c->lo), err) ||
        !attach(o, "upper", fmt_bound_to_json(c->hi), err))
        return -1;
    return 0;
}

/* Chunk K of T (its path PATH) as its JSON object (owned), or NULL. */
static json_t *chunk_json(const struct fmt_table *t, size_t k, const char *path,
                          struct cs_error *err)
{
    json_t *o = json_object();

    if (!o) {
        fmt_mf_nomem(err, "manifest");
        return NULL;
    }
    if (put_fields(o, path, &fmt_mf_chunk, &t->chunks[k], 0, err) < 0 ||
        put_bounds(o, path, &t->chunks[k], err) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Table I of M as the JSON object of its "tables" entry (owned), its
 * "chunks" (last) an empty array: they are spliced in one at a time. */
static json_t *table_json(const struct fmt_manifest *m, size_t i, struct cs_error *err)
{
    const struct fmt_table *t = &m->tables[i];
    json_t *o = json_object();
    char p[FMT_MF_PATH_LEN];

    fmt_mf_sub_path(p, "", "tables", (long)i);
    if (!o) {
        fmt_mf_nomem(err, "manifest");
        return NULL;
    }
    if (put_fields(o, p, &fmt_mf_table, t, 0, err) < 0 ||
        !put_items(o, p, "columns", t->columns, t->ncolumns, sizeof(*t->columns), &fmt_mf_column,
                   err) ||
        put_strv(o, p, "key", t->key, t->nkey, err) < 0 ||
        !attach(o, "chunks", json_array(), err)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int put_version(json_t *root, struct cs_error *err)
{
    return attach(root, "format_version", json_integer(FMT_MANIFEST_VERSION), err) ? 0 : -1;
}

static int build_manifest(json_t *root, const struct fmt_manifest *m, struct cs_error *err)
{
    json_t *o;

    if (put_version(root, err) < 0 || put_fields(root, "", &fmt_mf_head, m, 0, err) < 0 ||
        !put_section(root, "source", &fmt_mf_source, m, err) ||
        put_fields(root, "", &fmt_mf_time, m, 0, err) < 0 ||
        !put_section(root, "options", &fmt_mf_options, m, err) || put_snapshot(root, m, err) < 0 ||
        put_coords(root, "coordinates", &m->coords, &o, err) < 0 || put_replica(root, m, err) < 0)
        return -1;
    if (!put_items(root, "", "objects", m->objects, m->nobjects, sizeof(*m->objects),
                   &fmt_mf_object, err) ||
        !put_items(root, "", "files", m->files, m->nfiles, sizeof(*m->files), &fmt_mf_file, err))
        return -1;
    if (m->has_accounts && !put_items(root, "", "accounts", m->accounts, m->naccounts,
                                      sizeof(*m->accounts), &fmt_mf_account, err))
        return -1;
    if (m->nnot_dumped && put_strv(root, "", "not_dumped", m->not_dumped, m->nnot_dumped, err) < 0)
        return -1;
    if (m->has_selection &&
        (!attach(root, "partial", json_boolean(m->partial), err) ||
         put_strv(root, "", "whole_schemas", m->whole_schemas, m->nwhole_schemas, err) < 0))
        return -1;
    /* the tables, last, are serialized one at a time (write_tables) */
    return attach(root, "tables", json_array(), err) ? 0 : -1;
}

static int build_coords(json_t *root, const struct fmt_manifest *m, struct cs_error *err)
{
    json_t *o;

    if (put_version(root, err) < 0 || !put_section(root, "source", &fmt_mf_source, m, err) ||
        put_fields(root, "", &fmt_mf_snap_mode, m, 0, err) < 0 ||
        put_coords(root, "coordinates", &m->coords, &o, err) < 0)
        return -1;
    return put_replica(root, m, err);
}

/* ---- serializing -------------------------------------------------------- */

typedef int (*build_fn)(json_t *root, const struct fmt_manifest *m, struct cs_error *err);

#define DUMP_FLAGS (JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

static const char spaces[] = "        "; /* the deepest nesting: a chunk's object, 4 */

/* Appends the LEN bytes at S to OUT with DEPTH spaces after each newline
 * (and before the first line): the indentation of a value nested DEPTH
 * levels deep.  JSON strings hold no raw newline. */
static void put_nested(struct cs_buf *out, const char *s, size_t len, unsigned depth)
{
    const char *end = s + len;

    cs_buf_append(out, spaces, depth);
    for (const char *nl; (nl = memchr(s, '\n', (size_t)(end - s))); s = nl + 1) {
        cs_buf_append(out, s, (size_t)(nl - s) + 1);
        cs_buf_append(out, spaces, depth);
    }
    cs_buf_append(out, s, (size_t)(end - s));
}

/* OUT's bytes into SINK (when there is one) once they pass this */
#define FLUSH_AT (1u << 20)

static int flush_to(struct cs_buf *out, struct fmt_sink *sink, size_t at, struct cs_error *err)
{
    if (cs_buf_failed(out))
        return fmt_mf_nomem(err, "manifest");
    if (!sink || out->len < at)
        return 0;
    if (fmt_sink_write(sink, out->data, out->len, err) < 0)
        return -1;
    cs_buf_reset(out);
    return 0;
}

/* The JSON tree is never built whole: the text of an object whose last
 * member is an array is its text with that array empty ("[]\n}" at its
 * end) and the array's items spliced in, each item serialized on its own
 * -- the tables of the manifest, the chunks of each table (a table of
 * 100,000 chunks holds one chunk's tree at a time, not ~5 KB a chunk).
 * The result is the text json_dumps gives for the whole tree. */
struct splice {
    struct cs_buf *out;
    struct fmt_sink *sink; /* NULL: all of the text stays in OUT */
    const struct fmt_manifest *m;
};

/* Writes item I of the array ARR (the manifest's tables, or the chunks of
 * table TI) into OUT at DEPTH. */
typedef int (*put_item_fn)(struct splice *sp, size_t ti, size_t i, unsigned depth,
                           struct cs_error *err);

/* O (owned) serialized into OUT at DEPTH. */
static int put_tree(struct splice *sp, json_t *o, unsigned depth, struct cs_error *err)
{
    char *s = o ? json_dumps(o, DUMP_FLAGS) : NULL;

    json_decref(o);
    if (!s)
        return o ? fmt_mf_nomem(err, "manifest") : -1;
    put_nested(sp->out, s, strlen(s), depth);
    free(s);
    return flush_to(sp->out, sp->sink, FLUSH_AT, err);
}

/* HEAD (an object's text ending in its empty last array) into OUT at DEPTH
 * with the N items PUT writes spliced into that array. */
static int splice_items(struct splice *sp, const char *head, unsigned depth, size_t ti, size_t n,
                        put_item_fn put, struct cs_error *err)
{
    const char *open = strrchr(head, '[');

    if (!n) {
        put_nested(sp->out, head, strlen(head), depth);
        return 0;
    }
    if (!open || strcmp(open, "[]\n}") != 0)
        return cs_error_set(err, CS_ERR_INTERNAL, "manifest: cannot splice into the text");
    put_nested(sp->out, head, (size_t)(open - head) + 1, depth);
    for (size_t i = 0; i < n; i++) {
        cs_buf_puts(sp->out, i ? ",\n" : "\n");
        if (put(sp, ti, i, depth + 2, err) < 0)
            return -1;
    }
    cs_buf_putc(sp->out, '\n');
    put_nested(sp->out, " ]\n}", 4, depth);
    return 0;
}

static int put_chunk(struct splice *sp, size_t ti, size_t k, unsigned depth, struct cs_error *err)
{
    char p[FMT_MF_PATH_LEN], tp[FMT_MF_PATH_LEN];

    fmt_mf_sub_path(tp, "", "tables", (long)ti);
    fmt_mf_sub_path(p, tp, "chunks", (long)k);
    return put_tree(sp, chunk_json(&sp->m->tables[ti], k, p, err), depth, err);
}

static int put_table(struct splice *sp, size_t ti, size_t i, unsigned depth, struct cs_error *err)
{
    json_t *o = table_json(sp->m, i, err);
    char *s = o ? json_dumps(o, DUMP_FLAGS) : NULL;
    int rc;

    (void)ti;
    json_decref(o);
    if (!s)
        return o ? fmt_mf_nomem(err, "manifest") : -1;
    rc = splice_items(sp, s, depth, i, sp->m->tables[i].nchunks, put_chunk, err);
    free(s);
    return rc < 0 ? -1 : flush_to(sp->out, sp->sink, FLUSH_AT, err);
}

/* Build with BUILD and serialize (indented, newline-terminated) into OUT,
 * or through OUT into SINK. */
static int serialize(const struct fmt_manifest *m, build_fn build, struct cs_buf *out,
                     struct fmt_sink *sink, struct cs_error *err)
{
    json_t *root = NULL;
    char *s = NULL;
    int rc = -1;

    if (!m) {
        cs_error_set(err, CS_ERR_INTERNAL, "manifest: nothing to write");
        goto out;
    }
    root = json_object();
    if (!root) {
        fmt_mf_nomem(err, "manifest");
        goto out;
    }
    if (build(root, m, err) < 0)
        goto out;
    s = json_dumps(root, DUMP_FLAGS);
    json_decref(root);
    root = NULL;
    if (!s) {
        fmt_mf_nomem(err, "manifest");
        goto out;
    }
    if (build != build_manifest) {
        cs_buf_puts(out, s);
    } else {
        struct splice sp = {out, sink, m};
        if (splice_items(&sp, s, 0, 0, m->ntables, put_table, err) < 0)
            goto out;
    }
    cs_buf_putc(out, '\n');
    rc = flush_to(out, sink, 0, err);
out:
    free(s);
    json_decref(root);
    return rc;
}

int fmt_manifest_write_sink(const struct fmt_manifest *m, struct fmt_sink *sink,
                            struct cs_error *err)
{
    struct cs_buf out = CS_BUF_INIT;
    int rc = serialize(m, build_manifest, &out, sink, err);

    cs_buf_release(&out);
    return rc < 0 ? -1 : fmt_sink_finish(sink, err);
}

/* A sink that only counts. */
struct count_sink {
    struct fmt_sink base;
    uint64_t n;
};

static int count_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    (void)buf;
    (void)err;
    ((struct count_sink *)s)->n += len;
    return 0;
}

static int count_finish(struct fmt_sink *s, struct cs_error *err)
{
    (void)s;
    (void)err;
    return 0;
}

static void count_free(struct fmt_sink *s)
{
    (void)s;
}

int fmt_manifest_text_size(const struct fmt_manifest *m, uint64_t *size, struct cs_error *err)
{
    struct count_sink c = {{count_write, count_finish, count_free}, 0};
    int rc = fmt_manifest_write_sink(m, &c.base, err);

    *size = c.n;
    return rc;
}

/* Build with BUILD and serialize (indented, newline-terminated). */
static char *to_text(const struct fmt_manifest *m, build_fn build, struct cs_error *err)
{
    struct cs_buf out = CS_BUF_INIT;
    char *t = NULL;

    if (serialize(m, build, &out, NULL, err) == 0)
        t = cs_buf_detach(&out);
    cs_buf_release(&out);
    return t;
}

char *fmt_manifest_to_json(const struct fmt_manifest *m, struct cs_error *err)
{
    return to_text(m, build_manifest, err);
}

char *fmt_coords_to_json(const struct fmt_manifest *m, struct cs_error *err)
{
    return to_text(m, build_coords, err);
}

int fmt_manifest_write(const struct fmt_manifest *m, const char *dir, struct cs_error *err)
{
    char *text = NULL, *path = NULL;
    int rc = -1;

    text = fmt_manifest_to_json(m, err);
    if (!text)
        goto out;
    path = cs_fs_join(dir, FMT_MANIFEST_NAME);
    if (!path) {
        fmt_mf_nomem(err, dir);
        goto out;
    }
    rc = cs_fs_write_atomic(path, text, strlen(text), 0600, err);
out:
    free(path);
    free(text);
    return rc;
}

char *fmt_chunk_meta_to_json(const char *schema, const char *table, const struct fmt_chunk *c,
                             struct cs_error *err)
{
    json_t *root = json_object(), *o = NULL;
    char *s = NULL;

    if (!root || !attach(root, "schema", json_string(schema), err) ||
        !attach(root, "table", json_string(table), err) ||
        !(o = attach(root, "chunk", json_object(), err)) ||
        put_fields(o, "chunk", &fmt_mf_chunk, c, 0, err) < 0 || put_bounds(o, "chunk", c, err) < 0)
        goto out;
    s = json_dumps(root, JSON_COMPACT);
    if (!s)
        fmt_mf_nomem(err, "chunk meta");
out:
    json_decref(root);
    return s;
}
