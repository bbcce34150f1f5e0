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

#include "format/manifest_int.h"


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

int fmt_mf_rfail(const struct fmt_mf_rd *rd, int code, const char *path, const char *key,
                 const char *fmt, ...)
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
static int rbad(const struct fmt_mf_rd *rd, int code, const char *path,
                const struct fmt_mf_field *f)
{
    char names[128] = "", buf[64];
    size_t n = 0;

    if (code == CS_ERR_NOMEM)
        return fmt_mf_nomem(rd->err, rd->name);
    if (code == CS_ERR_HOSTILE)
        return fmt_mf_rfail(rd, code, path, f->key,
                            "refusing a file name that is not a plain name inside the dump");
    if (f->type != MF_T_ENUM)
        return fmt_mf_rfail(rd, code, path, f->key, "expected %s", expected(f, buf));
    for (int i = 0; i < f->count && n < sizeof(names); i++)
        n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "", f->name(i));
    return fmt_mf_rfail(rd, code, path, f->key, "expected one of %s", names);
}

/* ---- objects and arrays ------------------------------------------------ */

/* Read the fields FS of OBJ into BASE.  LENIENT: every field may be absent or null. */
static int read_fields(const struct fmt_mf_rd *rd, json_t *obj, const char *path,
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
            return fmt_mf_rfail(rd, CS_ERR_FORMAT, path, f->key, "%s (expected %s)",
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
static int get_member(const struct fmt_mf_rd *rd, json_t *obj, const char *path, const char *key,
                      int want_array, int optional, json_t **out)
{
    const char *what = want_array ? "an array" : "an object";
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (optional)
            return 0;
        return fmt_mf_rfail(rd, CS_ERR_FORMAT, path, key, "%s (expected %s)",
                            v ? "is null" : "missing", what);
    }
    if (want_array ? !json_is_array(v) : !json_is_object(v))
        return fmt_mf_rfail(rd, CS_ERR_FORMAT, path, key, "expected %s", what);
    *out = v;
    return 0;
}

/* ROOT[KEY], an object, with the fields FS into BASE; returned borrowed. */
static json_t *read_section(const struct fmt_mf_rd *rd, json_t *root, const char *key,
                            const struct fmt_mf_fields *fs, void *base)
{
    json_t *o;

    if (get_member(rd, root, "", key, 0, 0, &o) < 0 || read_fields(rd, o, key, fs, base, 0) < 0)
        return NULL;
    return o;
}

static int read_strv(const struct fmt_mf_rd *rd, json_t *obj, const char *path, const char *key,
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
            return fmt_mf_rfail(rd, code, p, NULL, "expected a string");
    }
    return 0;
}

/* A zeroed array for the objects in OBJ[KEY] (*ARR); *N set on success only. */
static void *get_items(const struct fmt_mf_rd *rd, json_t *obj, const char *path, const char *key,
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
static int read_each(const struct fmt_mf_rd *rd, json_t *arr, const char *path, const char *key,
                     void *items, size_t size, const struct fmt_mf_fields *fs)
{
    char p[FMT_MF_PATH_LEN];

    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);

        fmt_mf_sub_path(p, path, key, (long)i);
        if (!json_is_object(o))
            return fmt_mf_rfail(rd, CS_ERR_FORMAT, p, NULL, "expected an object");
        if (read_fields(rd, o, p, fs, (char *)items + i * size, 0) < 0)
            return -1;
    }
    return 0;
}

/* ---- chunk bounds ------------------------------------------------------ */

/* Version 1: the bound as csdump 1's SQL text (checked by csload, never
 * sent), or null. */
static int read_v1_bound(const struct fmt_mf_rd *rd, json_t *v, const char *path, const char *key,
                         char **out)
{
    static const struct fmt_mf_field f = {"", MF_T_NSTR, 0, 0, NULL, 0};
    int code;

    if (!v || json_is_null(v))
        return 0;
    code = get_str(&f, v, out);
    if (code == CS_ERR_NOMEM)
        return fmt_mf_nomem(rd->err, rd->name);
    return code ? fmt_mf_rfail(rd, code, path, key, "expected a string or null (format version 1)")
                : 0;
}

/* The chunk C's "lower" and "upper" from O: typed (format/bound.h) from
 * version 2 on, SQL text in version 1.  Errors name the chunk file. */
static int read_bounds(const struct fmt_mf_rd *rd, json_t *o, const char *path, struct fmt_chunk *c)
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
            return fmt_mf_rfail(rd, strcmp(why, "out of memory") ? CS_ERR_FORMAT : CS_ERR_NOMEM,
                                path, keys[i], "%s (chunk file %s)", why, c->file);
    }
    return 0;
}

/* ---- a table and a chunk, from their objects ----------------------------- */

int fmt_mf_read_table_head(const struct fmt_mf_rd *rd, json_t *o, const char *path,
                           struct fmt_table *t, int has_chunks)
{
    json_t *a;

    if (read_fields(rd, o, path, &fmt_mf_table, t, 0) < 0)
        return -1;
    t->columns = get_items(rd, o, path, "columns", sizeof(*t->columns), &a, &t->ncolumns);
    if (!t->columns ||
        read_each(rd, a, path, "columns", t->columns, sizeof(*t->columns), &fmt_mf_column) < 0 ||
        read_strv(rd, o, path, "key", &t->key, &t->nkey, NULL) < 0)
        return -1;
    /* no array: say what "chunks" is instead */
    return has_chunks ? 0 : get_member(rd, o, path, "chunks", 1, 0, &a);
}

int fmt_mf_read_chunk(const struct fmt_mf_rd *rd, json_t *o, const char *path, struct fmt_chunk *c)
{
    if (read_fields(rd, o, path, &fmt_mf_chunk, c, 0) < 0)
        return -1;
    return read_bounds(rd, o, path, c);
}

/* ---- the manifest ------------------------------------------------------ */

static int read_contents(const struct fmt_mf_rd *rd, json_t *root, struct fmt_manifest *m)
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
            return fmt_mf_rfail(rd, CS_ERR_FORMAT, "", "partial", "expected true or false");
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
    return fmt_mf_read_tables(rd, m);
}

/* ROOT[KEY] into C; *OUT = the object, NULL when OPTIONAL and absent. */
static int read_coords(const struct fmt_mf_rd *rd, json_t *root, const char *key, int optional,
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

int fmt_mf_read_version(struct fmt_mf_rd *rd, json_t *root, struct fmt_manifest *m)
{
    json_t *v = json_object_get(root, "format_version");
    json_int_t ver;

    if (!v)
        return fmt_mf_rfail(rd, CS_ERR_FORMAT, "", "format_version",
                            "missing: this is not a csdump manifest");
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return fmt_mf_rfail(rd, CS_ERR_FORMAT, "", "format_version", "expected a positive integer");
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

static int read_snapshot(const struct fmt_mf_rd *rd, json_t *root, struct fmt_manifest *m)
{
    json_t *o = read_section(rd, root, "snapshot", &fmt_mf_snap_mode, m);

    if (!o || read_fields(rd, o, "snapshot", &fmt_mf_snapshot, m, 0) < 0)
        return -1;
    return read_strv(rd, o, "snapshot", "proof", &m->proof, &m->nproof, &m->proof_cap);
}

int fmt_mf_read_manifest(struct fmt_mf_rd *rd, json_t *root, struct fmt_manifest *m)
{
    json_t *o;

    if (fmt_mf_read_version(rd, root, m) < 0 || read_fields(rd, root, "", &fmt_mf_head, m, 0) < 0 ||
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

/* ---- chunk meta: one chunk's entry, streamed just before the chunk ------ */

int fmt_chunk_meta_from_json(const char *text, size_t len, const char *name, char **schema,
                             char **table, struct fmt_chunk *c, struct cs_error *err)
{
    struct fmt_mf_rd rd = {name, err, 0, NULL, 0, 0};
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
