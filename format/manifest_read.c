/*
 * manifest_read.c - JSON to the model: manifest.json and a streamed chunk's
 * meta entry, every field validated.  The layout and the field tables are in
 * manifest.c; here one reader per field type and the order of the objects.
 * Each kind of bad input has its own message, naming the file and the field:
 * "NAME: field tables[0].chunks[1].rows: missing (expected a non-negative
 * integer)", "... is null (...)", "... expected ...", "... expected one of
 * tsv, sql", a file name that is not plain (CS_ERR_HOSTILE), a newer format
 * version (CS_ERR_VERSION), JSON that does not parse.
 */
#include "format/manifest.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/fs.h"
#include "format/jsonwalk.h"
#include "format/manifest_int.h"
#include "format/source.h"

#define MANIFEST_MAX_BYTES (1024UL * 1024 * 1024)

/* ---- per-type readers ------------------------------------------------- */

/* Store V (present, not null) in the member at P: 0, or the error code. */
typedef int (*get_fn)(const struct fmt_mf_field *f, json_t *v, void *p);

static int get_str(const struct fmt_mf_field *f, json_t *v, void *p)
{
    const char *s = json_string_value(v);
    char *dup;

    if (!s)
        return CS_ERR_FORMAT;
    if (strlen(s) != json_string_length(v))
        return f->type == MF_T_FILE ? CS_ERR_HOSTILE : CS_ERR_FORMAT;
    if (f->type == MF_T_FILE && !fmt_mf_plain_name(s))
        return CS_ERR_HOSTILE;
    dup = strdup(s);
    if (!dup)
        return CS_ERR_NOMEM;
    *(char **)p = dup;
    return 0;
}

/* A JSON integer in LO..HI into *N. */
static int get_range(json_t *v, json_int_t lo, json_int_t hi, json_int_t *n)
{
    *n = json_integer_value(v);
    return json_is_integer(v) && *n >= lo && *n <= hi ? 0 : CS_ERR_FORMAT;
}

static int get_u64(const struct fmt_mf_field *f, json_t *v, void *p)
{
    json_int_t n;
    int code = get_range(v, 0, INT64_MAX, &n);

    (void)f;
    if (!code)
        *(uint64_t *)p = (uint64_t)n;
    return code;
}

static int get_u32(const struct fmt_mf_field *f, json_t *v, void *p)
{
    json_int_t n;
    int code = get_range(v, 0, (json_int_t)UINT32_MAX, &n);

    (void)f;
    if (!code)
        *(uint32_t *)p = (uint32_t)n;
    return code;
}

static int get_uint(const struct fmt_mf_field *f, json_t *v, void *p)
{
    json_int_t n;
    int code = get_range(v, 0, (json_int_t)UINT_MAX, &n);

    (void)f;
    if (!code)
        *(unsigned *)p = (unsigned)n;
    return code;
}

static int get_int(const struct fmt_mf_field *f, json_t *v, void *p)
{
    json_int_t n;
    int code = get_range(v, INT_MIN, INT_MAX, &n);

    (void)f;
    if (!code)
        *(int *)p = (int)n;
    return code;
}

static int get_bool(const struct fmt_mf_field *f, json_t *v, void *p)
{
    (void)f;
    if (!json_is_boolean(v))
        return CS_ERR_FORMAT;
    *(int *)p = json_is_true(v);
    return 0;
}

static int get_double(const struct fmt_mf_field *f, json_t *v, void *p)
{
    (void)f;
    if (!json_is_number(v))
        return CS_ERR_FORMAT;
    *(double *)p = json_number_value(v);
    return 0;
}

static int get_hex(const struct fmt_mf_field *f, json_t *v, void *p)
{
    const char *s = json_string_value(v);

    if (!s || json_string_length(v) != f->width || !fmt_mf_lower_hex(s, f->width))
        return CS_ERR_FORMAT;
    memcpy(p, s, f->width + 1);
    return 0;
}

static int get_enum(const struct fmt_mf_field *f, json_t *v, void *p)
{
    const char *s = json_string_value(v);

    for (int i = 0; s && i < f->count; i++) {
        if (strcmp(s, f->name(i)) == 0) {
            *(int *)p = i;
            return 0;
        }
    }
    return CS_ERR_FORMAT;
}

static const struct {
    get_fn get;
    const char *expect; /* what a good value is (for MF_T_HEX: see expected) */
} rtypes[MF_T_COUNT] = {
    [MF_T_STR] = {get_str, "a string"},
    [MF_T_NSTR] = {get_str, "a string or null"},
    [MF_T_OSTR] = {get_str, "a string"},
    [MF_T_FILE] = {get_str, "a plain file name"},
    [MF_T_U64] = {get_u64, "a non-negative integer"},
    [MF_T_U64_OPT] = {get_u64, "a non-negative integer"},
    [MF_T_U64_NZ] = {get_u64, "a non-negative integer"},
    [MF_T_U32] = {get_u32, "an integer in 0..4294967295"},
    [MF_T_UINT] = {get_uint, "a non-negative integer"},
    [MF_T_INT] = {get_int, "an integer"},
    [MF_T_BOOL] = {get_bool, "true or false"},
    [MF_T_BOOL_OPT] = {get_bool, "true or false"},
    [MF_T_DOUBLE] = {get_double, "a number"},
    [MF_T_HEX] = {get_hex, NULL},
    [MF_T_HEX_OPT] = {get_hex, NULL},
    [MF_T_ENUM] = {get_enum, "a known name"},
};

/* What a good value of F is, in BUF (64 bytes) if need be. */
static const char *expected(const struct fmt_mf_field *f, char *buf)
{
    if (f->type != MF_T_HEX && f->type != MF_T_HEX_OPT)
        return rtypes[f->type].expect;
    snprintf(buf, 64, "%zu lowercase hex digits", f->width);
    return buf;
}

/* ---- messages --------------------------------------------------------- */

struct rd {
    const char *name; /* for messages: the file */
    struct cs_error *err;
    int version;            /* the manifest's format_version; 0: a chunk meta, either form */
    struct fmt_jsonwalk *w; /* the manifest's text (not for a chunk meta) */
    size_t tables_at;       /* where its "tables" array starts; 0: it has none */
    int tables_read;        /* they were read with the top level (streamed) */
};

__attribute__((format(printf, 5, 6))) static int
rfail(const struct rd *rd, int code, const char *path, const char *key, const char *fmt, ...)
{
    char field[FMT_MF_PATH_LEN], what[256];
    va_list ap;

    fmt_mf_sub_path(field, path, key, -1);
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return cs_error_set(rd->err, code, "%s: field %s: %s", rd->name, field, what);
}

/* The error for a field whose value its reader refused with CODE. */
static int rbad(const struct rd *rd, int code, const char *path, const struct fmt_mf_field *f)
{
    char names[128] = "", buf[64];
    size_t n = 0;

    if (code == CS_ERR_NOMEM)
        return fmt_mf_nomem(rd->err, rd->name);
    if (code == CS_ERR_HOSTILE)
        return rfail(rd, code, path, f->key,
                     "refusing a file name that is not a plain name inside the dump");
    if (f->type != MF_T_ENUM)
        return rfail(rd, code, path, f->key, "expected %s", expected(f, buf));
    for (int i = 0; i < f->count && n < sizeof(names); i++)
        n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "", f->name(i));
    return rfail(rd, code, path, f->key, "expected one of %s", names);
}

/* ---- objects and arrays ------------------------------------------------ */

/* Read the fields FS of OBJ into BASE.  LENIENT: every field may be absent or null. */
static int read_fields(const struct rd *rd, json_t *obj, const char *path,
                       const struct fmt_mf_fields *fs, void *base, int lenient)
{
    for (size_t i = 0; i < fs->n; i++) {
        const struct fmt_mf_field *f = &fs->f[i];
        json_t *v = json_object_get(obj, f->key);
        char buf[64];
        int code;

        if (!v || json_is_null(v)) {
            if (fmt_mf_optional(f->type) || lenient)
                continue;
            return rfail(rd, CS_ERR_FORMAT, path, f->key, "%s (expected %s)",
                         v ? "is null" : "missing", expected(f, buf));
        }
        code = rtypes[f->type].get(f, v, fmt_mf_at(f, base));
        if (code)
            return rbad(rd, code, path, f);
    }
    return 0;
}

/* OBJ[KEY], an object (or an array with WANT_ARRAY); *OUT = NULL when
 * OPTIONAL and absent or null. */
static int get_member(const struct rd *rd, json_t *obj, const char *path, const char *key,
                      int want_array, int optional, json_t **out)
{
    const char *what = want_array ? "an array" : "an object";
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (optional)
            return 0;
        return rfail(rd, CS_ERR_FORMAT, path, key, "%s (expected %s)", v ? "is null" : "missing",
                     what);
    }
    if (want_array ? !json_is_array(v) : !json_is_object(v))
        return rfail(rd, CS_ERR_FORMAT, path, key, "expected %s", what);
    *out = v;
    return 0;
}

/* ROOT[KEY], an object, with the fields FS into BASE; returned borrowed. */
static json_t *read_section(const struct rd *rd, json_t *root, const char *key,
                            const struct fmt_mf_fields *fs, void *base)
{
    json_t *o;

    if (get_member(rd, root, "", key, 0, 0, &o) < 0 || read_fields(rd, o, key, fs, base, 0) < 0)
        return NULL;
    return o;
}

static int read_strv(const struct rd *rd, json_t *obj, const char *path, const char *key,
                     char ***out, size_t *n, size_t *cap)
{
    static const struct fmt_mf_field item = {"", MF_T_STR, 0, 0, NULL, 0};
    char p[FMT_MF_PATH_LEN];
    json_t *a;
    size_t cnt;

    if (get_member(rd, obj, path, key, 1, 0, &a) < 0)
        return -1;
    cnt = json_array_size(a);
    *out = calloc(cnt ? cnt : 1, sizeof(char *));
    if (!*out)
        return fmt_mf_nomem(rd->err, rd->name);
    *n = cnt;
    if (cap)
        *cap = cnt;
    for (size_t i = 0; i < cnt; i++) {
        int code = get_str(&item, json_array_get(a, i), &(*out)[i]);

        fmt_mf_sub_path(p, path, key, (long)i);
        if (code == CS_ERR_NOMEM)
            return fmt_mf_nomem(rd->err, rd->name);
        if (code)
            return rfail(rd, code, p, NULL, "expected a string");
    }
    return 0;
}

/* A zeroed array for the objects in OBJ[KEY] (*ARR); *N set on success only. */
static void *get_items(const struct rd *rd, json_t *obj, const char *path, const char *key,
                       size_t size, json_t **arr, size_t *n)
{
    void *p;

    if (get_member(rd, obj, path, key, 1, 0, arr) < 0)
        return NULL;
    p = calloc(json_array_size(*arr) ? json_array_size(*arr) : 1, size);
    if (!p) {
        fmt_mf_nomem(rd->err, rd->name);
        return NULL;
    }
    *n = json_array_size(*arr);
    return p;
}

/* Read each object of ARR into ITEMS (SIZE bytes apart) with fields FS. */
static int read_each(const struct rd *rd, json_t *arr, const char *path, const char *key,
                     void *items, size_t size, const struct fmt_mf_fields *fs)
{
    char p[FMT_MF_PATH_LEN];

    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);

        fmt_mf_sub_path(p, path, key, (long)i);
        if (!json_is_object(o))
            return rfail(rd, CS_ERR_FORMAT, p, NULL, "expected an object");
        if (read_fields(rd, o, p, fs, (char *)items + i * size, 0) < 0)
            return -1;
    }
    return 0;
}

/* ---- chunk bounds ------------------------------------------------------ */

/* Version 1: the bound as csdump 1's SQL text (checked by csload, never
 * sent), or null. */
static int read_v1_bound(const struct rd *rd, json_t *v, const char *path, const char *key,
                         char **out)
{
    static const struct fmt_mf_field f = {"", MF_T_NSTR, 0, 0, NULL, 0};
    int code;

    if (!v || json_is_null(v))
        return 0;
    code = get_str(&f, v, out);
    if (code == CS_ERR_NOMEM)
        return fmt_mf_nomem(rd->err, rd->name);
    return code ? rfail(rd, code, path, key, "expected a string or null (format version 1)") : 0;
}

/* The chunk C's "lower" and "upper" from O: typed (format/bound.h) from
 * version 2 on, SQL text in version 1.  Errors name the chunk file. */
static int read_bounds(const struct rd *rd, json_t *o, const char *path, struct fmt_chunk *c)
{
    static const char *const keys[2] = {"lower", "upper"};
    struct fmt_bound **typed[2] = {&c->lo, &c->hi};
    char **text[2] = {&c->v1_lower, &c->v1_upper};
    char why[200];

    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(o, keys[i]);
        int v1 = rd->version == 1 || (rd->version == 0 && json_is_string(v));

        if (v1 && read_v1_bound(rd, v, path, keys[i], text[i]) < 0)
            return -1;
        if (!v1 && fmt_bound_from_json(v, typed[i], why, sizeof(why)) < 0)
            return rfail(rd, strcmp(why, "out of memory") ? CS_ERR_FORMAT : CS_ERR_NOMEM, path,
                         keys[i], "%s (chunk file %s)", why, c->file);
    }
    return 0;
}

/* ---- the streamed arrays ------------------------------------------------
 * The text is walked (format/jsonwalk.h) rather than parsed whole: the
 * top level and each table are parsed member by member, every chunk as its
 * own small tree, turned into its fmt_chunk and freed.  Only one chunk's
 * tree is ever held, whatever the dump's size. */

/* The walker's syntax error as jansson's would read. */
static int syntax(const struct rd *rd)
{
    if (fmt_jsonwalk_read_failed(rd->w)) /* the source's error, in RD->err */
        return cs_error_prefix(rd->err, "%s", rd->name);
    if (strcmp(rd->w->why, "out of memory") == 0)
        return fmt_mf_nomem(rd->err, rd->name);
    return cs_error_set(rd->err, CS_ERR_FORMAT, "%s: not valid JSON at %s", rd->name, rd->w->why);
}

/* OBJ[KEY] = the value at the walker; a key OBJ has (or DUP) is refused. */
static int add_member(const struct rd *rd, json_t *obj, const char *key, int dup)
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
static json_t *walk_object(const struct rd *rd, const char *path)
{
    json_t *o = fmt_jsonwalk_value(rd->w);

    if (!o) {
        syntax(rd);
        return NULL;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        rfail(rd, CS_ERR_FORMAT, path, NULL, "expected an object");
        return NULL;
    }
    return o;
}

/* The chunks of T from the array at the walker, one at a time. */
static int read_chunks(const struct rd *rd, const char *path, struct fmt_table *t)
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
        rc = c ? read_fields(rd, o, p, &fmt_mf_chunk, c, 0) : fmt_mf_nomem(rd->err, rd->name);
        if (rc == 0)
            rc = read_bounds(rd, o, p, c);
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
static int read_table(const struct rd *rd, const char *path, struct fmt_table *t)
{
    struct fmt_jsonwalk_level lv;
    json_t *o = json_object(), *a;
    char *key = NULL;
    int more, streamed = 0, rc = -1;

    if (!o)
        return fmt_mf_nomem(rd->err, rd->name);
    if (fmt_jsonwalk_peek(rd->w) != '{') { /* not an object: say what it is */
        a = walk_object(rd, path);
        json_decref(a);
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
    if (read_fields(rd, o, path, &fmt_mf_table, t, 0) < 0)
        goto out;
    t->columns = get_items(rd, o, path, "columns", sizeof(*t->columns), &a, &t->ncolumns);
    if (!t->columns ||
        read_each(rd, a, path, "columns", t->columns, sizeof(*t->columns), &fmt_mf_column) < 0 ||
        read_strv(rd, o, path, "key", &t->key, &t->nkey, NULL) < 0)
        goto out;
    /* no array: say what "chunks" is instead */
    rc = streamed ? 0 : get_member(rd, o, path, "chunks", 1, 0, &a);
out:
    json_decref(o);
    return rc;
}

/* The "tables" array at the walker, one table at a time. */
static int read_tables(const struct rd *rd, struct fmt_manifest *m)
{
    struct fmt_jsonwalk_level lv;
    char p[FMT_MF_PATH_LEN];
    int more;

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

static int read_contents(const struct rd *rd, json_t *root, struct fmt_manifest *m)
{
    json_t *a;

    m->objects = get_items(rd, root, "", "objects", sizeof(*m->objects), &a, &m->nobjects);
    if (!m->objects)
        return -1;
    m->objects_cap = m->nobjects;
    if (read_each(rd, a, "", "objects", m->objects, sizeof(*m->objects), &fmt_mf_object) < 0)
        return -1;
    if (json_object_get(root, "files")) { /* optional: older writers had none */
        m->files = get_items(rd, root, "", "files", sizeof(*m->files), &a, &m->nfiles);
        if (!m->files)
            return -1;
        m->files_cap = m->nfiles;
        if (read_each(rd, a, "", "files", m->files, sizeof(*m->files), &fmt_mf_file) < 0)
            return -1;
    }
    if (json_object_get(root, "accounts")) { /* optional: dumps with accounts only */
        m->has_accounts = 1;
        m->accounts = get_items(rd, root, "", "accounts", sizeof(*m->accounts), &a, &m->naccounts);
        if (!m->accounts)
            return -1;
        m->accounts_cap = m->naccounts;
        if (read_each(rd, a, "", "accounts", m->accounts, sizeof(*m->accounts), &fmt_mf_account) <
            0)
            return -1;
    }
    if (json_object_get(root, "not_dumped") && read_strv(rd, root, "", "not_dumped", &m->not_dumped,
                                                         &m->nnot_dumped, &m->not_dumped_cap) < 0)
        return -1;
    if (json_object_get(root, "partial")) { /* optional: older dumps do not say */
        if (!json_is_boolean(json_object_get(root, "partial")))
            return rfail(rd, CS_ERR_FORMAT, "", "partial", "expected true or false");
        m->has_selection = 1;
        m->partial = json_is_true(json_object_get(root, "partial"));
        if (read_strv(rd, root, "", "whole_schemas", &m->whole_schemas, &m->nwhole_schemas,
                      &m->whole_schemas_cap) < 0)
            return -1;
    }
    if (rd->tables_read)
        return 0;
    if (!rd->tables_at) /* no array: say what "tables" is instead */
        return get_member(rd, root, "", "tables", 1, 0, &a);
    rd->w->pos = rd->tables_at;
    return read_tables(rd, m);
}

/* ROOT[KEY] into C; *OUT = the object, NULL when OPTIONAL and absent. */
static int read_coords(const struct rd *rd, json_t *root, const char *key, int optional,
                       struct fmt_coords *c, json_t **out)
{
    if (get_member(rd, root, "", key, 0, optional, out) < 0)
        return -1;
    if (!*out)
        return 0;
    /* "present" first: without a binary log the rest may be absent or null. */
    if (read_fields(rd, *out, key, &fmt_mf_present, c, 0) < 0 ||
        read_fields(rd, *out, key, &fmt_mf_coords, c, !c->present) < 0)
        return -1;
    if (c->unusable) { /* marked unusable: nobody may use a file/position */
        free(c->binlog_file);
        c->binlog_file = NULL;
        c->binlog_pos = 0;
    }
    return 0;
}

static int read_version(struct rd *rd, json_t *root, struct fmt_manifest *m)
{
    json_t *v = json_object_get(root, "format_version");
    json_int_t ver;

    if (!v)
        return rfail(rd, CS_ERR_FORMAT, "", "format_version",
                     "missing: this is not a csdump manifest");
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return rfail(rd, CS_ERR_FORMAT, "", "format_version", "expected a positive integer");
    ver = json_integer_value(v);
    if (ver > FMT_MANIFEST_VERSION)
        return cs_error_set(rd->err, CS_ERR_VERSION,
                            "%s: format version %lld is newer than this csload understands "
                            "(%d); use a newer csload",
                            rd->name, (long long)ver, FMT_MANIFEST_VERSION);
    m->format_version = (int)ver;
    rd->version = (int)ver;
    return 0;
}

static int read_snapshot(const struct rd *rd, json_t *root, struct fmt_manifest *m)
{
    json_t *o = read_section(rd, root, "snapshot", &fmt_mf_snap_mode, m);

    if (!o || read_fields(rd, o, "snapshot", &fmt_mf_snapshot, m, 0) < 0)
        return -1;
    return read_strv(rd, o, "snapshot", "proof", &m->proof, &m->nproof, &m->proof_cap);
}

static int read_manifest(struct rd *rd, json_t *root, struct fmt_manifest *m)
{
    json_t *o;

    if (read_version(rd, root, m) < 0 || read_fields(rd, root, "", &fmt_mf_head, m, 0) < 0 ||
        !read_section(rd, root, "source", &fmt_mf_source, m) ||
        read_fields(rd, root, "", &fmt_mf_time, m, 0) < 0 ||
        !read_section(rd, root, "options", &fmt_mf_options, m) || read_snapshot(rd, root, m) < 0 ||
        read_coords(rd, root, "coordinates", 0, &m->coords, &o) < 0 ||
        read_coords(rd, root, "replica_of", 1, &m->replica_of, &o) < 0)
        return -1;
    if (o && read_fields(rd, o, "replica_of", &fmt_mf_replica, m, 0) < 0)
        return -1;
    return read_contents(rd, root, m);
}

/* The "tables" array at the walker: read now when the format version came
 * before it (as csdump writes it: the text is then read once, as a
 * stream), else skipped and pinned, to be read once the version is known. */
static int head_tables(struct rd *rd, json_t *head, struct fmt_manifest *m)
{
    rd->tables_at = rd->w->pos;
    if (json_object_get(head, "format_version")) {
        rd->tables_read = 1;
        return read_version(rd, head, m) < 0 ? -1 : read_tables(rd, m);
    }
    rd->w->pin = rd->w->pos;
    return fmt_jsonwalk_skip(rd->w) < 0 ? syntax(rd) : 0;
}

/* The top level of the text into HEAD, every member but "tables" (see
 * head_tables). */
static int read_head(struct rd *rd, json_t *head, struct fmt_manifest *m)
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
static void not_a_manifest(const struct rd *rd, const char *text, size_t len)
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
    struct rd rd = {name ? name : FMT_MANIFEST_NAME, err, 1, w, 0, 0};
    struct fmt_manifest *m = fmt_manifest_new();
    json_t *head = json_object();

    if (!head || !m) {
        fmt_mf_nomem(err, rd.name);
        goto fail;
    }
    if (read_head(&rd, head, m) < 0 || read_manifest(&rd, head, m) < 0)
        goto fail;
    json_decref(head);
    return m;
fail:
    json_decref(head);
    fmt_manifest_free(m);
    return NULL;
}

/* TEXT, when OWNED, is freed once it is read. */
static struct fmt_manifest *from_json(const char *text, size_t len, int owned, const char *name,
                                      struct cs_error *err)
{
    struct rd rd = {name ? name : FMT_MANIFEST_NAME, err, 1, NULL, 0, 0};
    struct fmt_manifest *m = NULL;
    struct fmt_jsonwalk w;

    fmt_jsonwalk_init(&w, text, text ? len : 0);
    if (!text || fmt_jsonwalk_peek(&w) != '{')
        not_a_manifest(&rd, text, len);
    else
        m = walk_manifest(&w, name, err);
    if (owned)
        free((char *)text);
    return m;
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
        not_a_manifest(&(struct rd){name ? name : FMT_MANIFEST_NAME, err, 1, NULL, 0, 0}, text, n);
    } else {
        cs_error_prefix(err, "%s", name ? name : FMT_MANIFEST_NAME);
    }
    fmt_jsonwalk_release(&w);
    return m;
}

struct fmt_manifest *fmt_manifest_from_json(const char *text, size_t len, const char *name,
                                            struct cs_error *err)
{
    return from_json(text, len, 0, name, err);
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

/* ---- chunk meta: one chunk's entry, streamed just before the chunk ------ */

int fmt_chunk_meta_from_json(const char *text, size_t len, const char *name, char **schema,
                             char **table, struct fmt_chunk *c, struct cs_error *err)
{
    struct rd rd = {name, err, 0, NULL, 0, 0};
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL), *o;
    const char *s, *t;
    int rc = -1;

    memset(c, 0, sizeof(*c));
    *schema = *table = NULL;
    s = json_string_value(json_object_get(root, "schema"));
    t = json_string_value(json_object_get(root, "table"));
    o = json_object_get(root, "chunk");
    if (!root || !s || !t || !json_is_object(o)) {
        cs_error_set(err, CS_ERR_FORMAT, "%s: not a chunk description", name);
        goto out;
    }
    if (read_fields(&rd, o, "chunk", &fmt_mf_chunk, c, 0) < 0 ||
        read_bounds(&rd, o, "chunk", c) < 0)
        goto out;
    *schema = strdup(s);
    *table = strdup(t);
    rc = *schema && *table ? 0 : fmt_mf_nomem(err, name);
out:
    if (rc < 0) {
        fmt_chunk_release(c);
        free(*schema);
        free(*table);
        *schema = *table = NULL;
    }
    json_decref(root);
    return rc;
}
