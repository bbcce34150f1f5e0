/*
 * manifest.c - DIR/manifest.json and the early coordinates file.
 *
 * The JSON layout, format version 1.  This comment is the format's reference.
 * Types: str = JSON string (UTF-8, no NUL); str|null = string or null;
 * u64 = non-negative JSON integer below 2^63; u32 = 0..4294967295;
 * bool = true/false; num = any JSON number (written with 15 significant
 * digits).  Keys are written in this order; readers ignore unknown keys, so a
 * minor addition needs no new version, while anything a version-1 reader
 * would misread needs a new format_version.
 *
 * {
 *   "format_version": int       1; a reader refuses a newer one (CS_ERR_VERSION)
 *   "tool_version":   str       version of the csdump that wrote the dump
 *   "dump_id":        str       optional: unique to the dump; the load journal's key
 *   "source": {                 the server that was dumped
 *     "host":        str        as given to csdump (host name, address or socket)
 *     "port":        int        TCP port, 0 for a socket
 *     "flavor":      str        "mysql" | "mariadb"
 *     "version":     str        the full version string
 *     "server_id":   u32        @@server_id
 *     "server_uuid": str|null   @@server_uuid (MySQL); null on MariaDB
 *     "sql_mode":    str        session sql_mode the data was read with
 *     "time_zone":   str        session time zone the data was read in
 *   },
 *   "started_at":  str          ISO 8601 UTC, e.g. "2024-05-01T12:00:00Z"
 *   "finished_at": str          ISO 8601 UTC
 *   "options": {
 *     "format":         str     "tsv" | "sql": how chunk files are encoded
 *     "compress":       str     "none" | "zstd"
 *     "compress_level": int     zstd level (may be negative)
 *     "threads":        int     dump worker threads
 *     "chunk_rows":     u64     target rows per chunk
 *     "chunk_bytes":    u64     target bytes per chunk
 *   },
 *   "snapshot": {
 *     "lock_mode":       str       the lock mode actually used
 *     "consistent":      bool      every connection proven to share one snapshot
 *     "note":            str|null  why not consistent / how it was proven
 *     "barrier_wait_ms": num       time spent waiting for the barrier (lock)
 *     "barrier_hold_ms": num       time the barrier was held
 *     "proof":           [str]     one per snapshot connection,
 *                                  e.g. "mysql-bin.000003:1234"
 *   },
 *   "coordinates": COORDS          the source's binlog coordinates at the snapshot
 *   "replica_of":  COORDS plus     only when the source is itself a replica: the
 *     "source_host": str|null      coordinates in its own source's binlog
 *   "objects": [{                  non-table objects
 *     "kind":   str     "database" | "view" | "procedure" | "function"
 *                       | "trigger" | "event" | "sequence" (a reader that
 *                       knows no "sequence" refuses the dump: it would lose it)
 *     "schema": str
 *     "name":   str     the schema name again for "database"
 *     "file":   str     DDL file inside the dump (plain name)
 *     "table":  str     triggers only (absent otherwise): the trigger's table
 *     "sql_mode", "charset", "collation", "time_zone": str, optional: the
 *               session the object was created in (SHOW CREATE's columns)
 *     "next_value", "round": str, sequences only: decimal integers, the
 *               sequence's next_not_cached_value and cycle_count at the
 *               snapshot (SETVAL(seq, next_value, 0, round) on the target)
 *   }],
 *   "accounts": [{                 optional: only when csdump dumped accounts
 *                                  (then present, maybe empty); older dumps have none
 *     "kind": str           "user" | "role"
 *     "user": str
 *     "host": str           "" for a MariaDB role
 *     "file": str           its statements, each ending with ";\n": CREATE USER
 *                           (or CREATE ROLE), then "grants" GRANT/REVOKE
 *                           statements, then "default_roles" SET DEFAULT ROLE
 *     "grants": u32
 *     "default_roles": u32
 *   }],
 *   "not_dumped": [str]            optional: what csdump could not see or read
 *                                  and left out with --allow-missing, one line each
 *   "files": [{                    every other file of the dump but manifest.json
 *     "name": str   plain name (DDL files, coordinates.json)
 *     "bytes": int  size
 *     "hash": str   XXH3-128 of its bytes, 32 lowercase hex digits
 *   }],
 *   "tables": [{
 *     "schema":        str
 *     "name":          str
 *     "engine":        str      e.g. "InnoDB"
 *     "ddl_file":      str      CREATE TABLE file inside the dump (plain name)
 *     "note":          str      optional, e.g. "system-versioned: history not dumped"
 *     "max_row_bytes": int      optional: the longest row as encoded in the chunks
 *     "transactional": bool     false for MyISAM, Aria, MEMORY ...
 *     "rows":          u64      sum of the chunks' rows
 *     "columns": [{             dumped columns in file order (generated excluded)
 *       "name": str
 *       "type": str             COLUMN_TYPE, e.g. "decimal(10,2) unsigned"
 *       "kind": str             fmt_col_kind_name(): "number", "float", ...
 *     }],
 *     "key":    [str]           chunking key columns; [] = no usable key
 *     "chunks": [{
 *       "file":       str       chunk file inside the dump (plain name)
 *       "index":      u32       0-based within the table
 *       "where":      str|null  SQL predicate over the key; null = whole table
 *       "lower":      str|null  human-readable bounds (JSON text)
 *       "upper":      str|null
 *       "rows":       u64
 *       "raw_bytes":  u64       encoded, before compression
 *       "file_bytes": u64       bytes in the file
 *       "file_hash":  str       XXH3-128 of the file's bytes: 32 lowercase hex digits
 *       "checksum":   str       fmt_checksum of the rows: 16 lowercase hex digits
 *     }]
 *   }]
 * }
 *
 * COORDS = {
 *   "present":         bool     false: no binary log; then the rest may be null/absent
 *   "binlog_file":     str|null e.g. "mysql-bin.000003"; null when only the GTID
 *                              position is known (a replica's position that does
 *                              not match the snapshot, see below)
 *   "binlog_position": u64
 *   "gtid_set":        str      MySQL gtid_executed / MariaDB gtid_binlog_pos; may be ""
 *   "file_position_unusable": str, optional: why the server's file/position is
 *                              not recorded (e.g. a replica's applier position
 *                              read while its applier ran ahead of it); then
 *                              binlog_file is absent and binlog_position 0, so a
 *                              reader that ignores this key sees a GTID-only
 *                              position, and a reader drops any file/position
 *                              written beside it
 * }
 *
 * coordinates.json, written the moment the snapshot is taken:
 *   { "format_version", "source": {as above}, "lock_mode": str,
 *     "consistent": bool, "coordinates": COORDS, "replica_of": (as above, optional) }
 *
 * A plain name is non-empty, has no '/' and no NUL and is not "." or "..";
 * anything else is refused as CS_ERR_HOSTILE.  Every other bad field is
 * CS_ERR_FORMAT naming it, e.g. "tables[3].chunks[0].rows".
 *
 * Implementation: each JSON object is described by a table of fields
 * (key, type, offset); one handler pair per field type writes and reads.
 */
#include "format/manifest.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/fs.h"

#define MANIFEST_MAX_BYTES (1024UL * 1024 * 1024)
#define PATH_LEN 128

_Static_assert(sizeof(enum fmt_data_format) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum fmt_compress) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum fmt_col_kind) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum fmt_object_kind) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum fmt_account_kind) == sizeof(int), "enum stored as int");

/* ---- names ------------------------------------------------------------ */

static const char *const format_names[] = {"tsv", "sql"};
static const char *const compress_names[] = {"none", "zstd"};
static const char *const object_names[FMT_OBJ_KIND_COUNT] = {
    "database", "view", "procedure", "function", "trigger", "event", "sequence"};
static const char *const account_names[FMT_ACCOUNT_KIND_COUNT] = {"user", "role"};

const char *fmt_format_name(enum fmt_data_format f)
{
    return (unsigned)f < 2 ? format_names[f] : "unknown";
}

const char *fmt_object_kind_name(enum fmt_object_kind k)
{
    return (unsigned)k < FMT_OBJ_KIND_COUNT ? object_names[k] : "unknown";
}

const char *fmt_account_kind_name(enum fmt_account_kind k)
{
    return (unsigned)k < FMT_ACCOUNT_KIND_COUNT ? account_names[k] : "unknown";
}

int fmt_object_kind_parse(const char *name)
{
    for (int i = 0; name && i < FMT_OBJ_KIND_COUNT; i++)
        if (strcmp(name, object_names[i]) == 0)
            return i;
    return -1;
}

/* Adapters so every enum field is named through one signature. */
static const char *name_format(int v)
{
    return fmt_format_name((enum fmt_data_format)v);
}

static const char *name_compress(int v)
{
    return compress_names[v];
}

static const char *name_object(int v)
{
    return fmt_object_kind_name((enum fmt_object_kind)v);
}

static const char *name_account(int v)
{
    return fmt_account_kind_name((enum fmt_account_kind)v);
}

static const char *name_col(int v)
{
    return fmt_col_kind_name((enum fmt_col_kind)v);
}

/* ---- field tables ----------------------------------------------------- */

enum ftype {
    F_STR,  /* char *, required */
    F_NSTR, /* char *, null when NULL */
    F_OSTR, /* char *, key omitted when NULL */
    F_FILE, /* char *, a plain file name */
    F_U64,
    F_OU64, /* uint64_t, 0 when absent (fields added after version 1 shipped) */
    F_U32,
    F_UINT, /* unsigned */
    F_INT,
    F_BOOL, /* int */
    F_DOUBLE,
    F_HASH, /* char[33] */
    F_CSUM, /* char[17] */
    F_ENUM, /* an enum (int-sized), named by name(0..count-1) */
};

struct field {
    const char *key;
    enum ftype type;
    size_t off;
    const char *(*name)(int); /* F_ENUM */
    int count;
};

/* clang-format off */
#define FLD(k, t, s, m) {k, t, offsetof(s, m), NULL, 0}
#define FENUM(k, s, m, fn, n) {k, F_ENUM, offsetof(s, m), fn, n}
#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

#define M struct fmt_manifest
static const struct field head_fields[] = {
    FLD("tool_version",    F_STR,    M, tool_version),
    FLD("dump_id",         F_OSTR,   M, dump_id),
};
static const struct field source_fields[] = {
    FLD("host",            F_STR,    M, source_host),
    FLD("port",            F_UINT,   M, source_port),
    FLD("flavor",          F_STR,    M, flavor),
    FLD("version",         F_STR,    M, server_version),
    FLD("server_id",       F_U32,    M, server_id),
    FLD("server_uuid",     F_NSTR,   M, server_uuid),
    FLD("sql_mode",        F_STR,    M, sql_mode),
    FLD("time_zone",       F_STR,    M, time_zone),
};
static const struct field time_fields[] = {
    FLD("started_at",      F_STR,    M, started_at),
    FLD("finished_at",     F_STR,    M, finished_at),
};
static const struct field options_fields[] = {
    FENUM("format",                  M, format, name_format, 2),
    FENUM("compress",                M, compress, name_compress, 2),
    FLD("compress_level",  F_INT,    M, compress_level),
    FLD("threads",         F_UINT,   M, threads),
    FLD("chunk_rows",      F_U64,    M, chunk_rows),
    FLD("chunk_bytes",     F_U64,    M, chunk_bytes),
};
static const struct field snapshot_fields[] = { /* the first two also in coordinates.json */
    FLD("lock_mode",       F_STR,    M, lock_mode),
    FLD("consistent",      F_BOOL,   M, consistent),
    FLD("note",            F_NSTR,   M, consistency_note),
    FLD("barrier_wait_ms", F_DOUBLE, M, barrier_wait_ms),
    FLD("barrier_hold_ms", F_DOUBLE, M, barrier_hold_ms),
};
static const struct field replica_fields[] = {
    FLD("source_host",     F_NSTR,   M, replica_source_host),
};
#undef M

#define C struct fmt_coords
static const struct field coords_fields[] = { /* "present" first */
    FLD("present",         F_BOOL,   C, present),
    FLD("binlog_file",     F_OSTR,   C, binlog_file), /* null: GTID only */
    FLD("binlog_position", F_U64,    C, binlog_pos),
    FLD("gtid_set",        F_STR,    C, gtid_set),
    FLD("file_position_unusable", F_OSTR, C, unusable),
};
#undef C

static const struct field file_fields[] = {
    FLD("name",            F_FILE,   struct fmt_file, name),
    FLD("bytes",           F_U64,    struct fmt_file, bytes),
    FLD("hash",            F_HASH,   struct fmt_file, hash),
};

static const struct field object_fields[] = {
    FENUM("kind",          struct fmt_object, kind, name_object, FMT_OBJ_KIND_COUNT),
    FLD("schema",          F_STR,    struct fmt_object, schema),
    FLD("name",            F_STR,    struct fmt_object, name),
    FLD("file",            F_FILE,   struct fmt_object, file),
    FLD("table",           F_OSTR,   struct fmt_object, table),
    FLD("sql_mode",        F_OSTR,   struct fmt_object, sql_mode),
    FLD("charset",         F_OSTR,   struct fmt_object, charset),
    FLD("collation",       F_OSTR,   struct fmt_object, collation),
    FLD("time_zone",       F_OSTR,   struct fmt_object, time_zone),
    FLD("next_value",      F_OSTR,   struct fmt_object, next_value),
    FLD("round",           F_OSTR,   struct fmt_object, round),
};

#define A struct fmt_account
static const struct field account_fields[] = {
    FENUM("kind",                    A, kind, name_account, FMT_ACCOUNT_KIND_COUNT),
    FLD("user",            F_STR,    A, user),
    FLD("host",            F_STR,    A, host),
    FLD("file",            F_FILE,   A, file),
    FLD("grants",          F_U32,    A, grants),
    FLD("default_roles",   F_U32,    A, default_roles),
};
#undef A

#define T struct fmt_table
static const struct field table_fields[] = {
    FLD("schema",          F_STR,    T, schema),
    FLD("name",            F_STR,    T, name),
    FLD("engine",          F_STR,    T, engine),
    FLD("ddl_file",        F_FILE,   T, ddl_file),
    FLD("note",            F_OSTR,   T, row_format_note),
    FLD("transactional",   F_BOOL,   T, transactional),
    FLD("rows",            F_U64,    T, rows),
    FLD("max_row_bytes",   F_OU64,   T, max_row_bytes),
};
#undef T

static const struct field column_fields[] = {
    FLD("name",            F_STR,    struct fmt_column, name),
    FLD("type",            F_STR,    struct fmt_column, type),
    FENUM("kind",          struct fmt_column, kind, name_col, FMT_COL_KIND_COUNT),
};

#define K struct fmt_chunk
static const struct field chunk_fields[] = {
    FLD("file",            F_FILE,   K, file),
    FLD("index",           F_U32,    K, index),
    FLD("where",           F_NSTR,   K, where),
    FLD("lower",           F_NSTR,   K, lower),
    FLD("upper",           F_NSTR,   K, upper),
    FLD("rows",            F_U64,    K, rows),
    FLD("raw_bytes",       F_U64,    K, raw_bytes),
    FLD("file_bytes",      F_U64,    K, file_bytes),
    FLD("file_hash",       F_HASH,   K, file_hash),
    FLD("checksum",        F_CSUM,   K, checksum),
};
#undef K
/* clang-format on */

/* ---- per-type handlers ------------------------------------------------ */

static int plain_name(const char *s)
{
    return *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static int lower_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    return strspn(s, "0123456789abcdef") == n;
}

static char *const *str_at(const void *p)
{
    return (char *const *)p;
}

static json_t *put_str(const struct field *f, const void *p)
{
    const char *s = *str_at(p);

    if (f->type == F_FILE && !plain_name(s))
        return NULL;
    return json_string(s);
}

/* Every integer width travels as json_int_t; u64 values must stay below 2^63. */
static json_t *put_integer(const struct field *f, const void *p)
{
    uint64_t u;

    switch (f->type) {
    case F_U64:
    case F_OU64:
        u = *(const uint64_t *)p;
        return u <= INT64_MAX ? json_integer((json_int_t)u) : NULL;
    case F_U32:
        return json_integer(*(const uint32_t *)p);
    case F_UINT:
        return json_integer(*(const unsigned *)p);
    default:
        return json_integer(*(const int *)p);
    }
}

static json_t *put_bool(const struct field *f, const void *p)
{
    (void)f;
    return json_boolean(*(const int *)p);
}

static json_t *put_double(const struct field *f, const void *p)
{
    (void)f;
    return json_real(*(const double *)p);
}

static json_t *put_hex(const struct field *f, const void *p)
{
    const char *s = p;

    return lower_hex(s, f->type == F_HASH ? 32 : 16) ? json_string(s) : NULL;
}

static json_t *put_enum(const struct field *f, const void *p)
{
    int v = *(const int *)p;

    return v >= 0 && v < f->count ? json_string(f->name(v)) : NULL;
}

/* Readers: V is present and not null.  0, or the error code. */
static int get_str(const struct field *f, json_t *v, void *p)
{
    const char *s = json_string_value(v);
    char *dup;

    if (!s)
        return CS_ERR_FORMAT;
    if (strlen(s) != json_string_length(v))
        return f->type == F_FILE ? CS_ERR_HOSTILE : CS_ERR_FORMAT;
    if (f->type == F_FILE && !plain_name(s))
        return CS_ERR_HOSTILE;
    dup = strdup(s);
    if (!dup)
        return CS_ERR_NOMEM;
    *(char **)p = dup;
    return 0;
}

static int get_integer(const struct field *f, json_t *v, void *p)
{
    const enum ftype t = f->type;
    json_int_t n = json_integer_value(v);
    json_int_t lo = t == F_INT ? INT_MIN : 0;
    json_int_t hi = t == F_U64 || t == F_OU64 ? INT64_MAX
                    : t == F_U32  ? (json_int_t)UINT32_MAX
                    : t == F_UINT ? (json_int_t)UINT_MAX
                                  : INT_MAX;

    if (!json_is_integer(v) || n < lo || n > hi)
        return CS_ERR_FORMAT;
    if (t == F_U64 || t == F_OU64)
        *(uint64_t *)p = (uint64_t)n;
    else if (t == F_U32)
        *(uint32_t *)p = (uint32_t)n;
    else if (t == F_UINT)
        *(unsigned *)p = (unsigned)n;
    else
        *(int *)p = (int)n;
    return 0;
}

static int get_bool(const struct field *f, json_t *v, void *p)
{
    (void)f;
    if (!json_is_boolean(v))
        return CS_ERR_FORMAT;
    *(int *)p = json_is_true(v);
    return 0;
}

static int get_double(const struct field *f, json_t *v, void *p)
{
    (void)f;
    if (!json_is_number(v))
        return CS_ERR_FORMAT;
    *(double *)p = json_number_value(v);
    return 0;
}

static int get_hex(const struct field *f, json_t *v, void *p)
{
    const char *s = json_string_value(v);
    size_t n = f->type == F_HASH ? 32 : 16;

    if (!s || json_string_length(v) != n || !lower_hex(s, n))
        return CS_ERR_FORMAT;
    memcpy(p, s, n + 1);
    return 0;
}

static int get_enum(const struct field *f, json_t *v, void *p)
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

struct ftype_ops {
    int is_str;   /* a char * that may be NULL */
    int optional; /* absent or null reads as NULL */
    const char *expect;
    const char *bad_write;
    json_t *(*put)(const struct field *f, const void *p);
    int (*get)(const struct field *f, json_t *v, void *p);
};

static const struct ftype_ops ftypes[] = {
    [F_STR] = {1, 0, "a string", "not valid UTF-8", put_str, get_str},
    [F_NSTR] = {1, 1, "a string or null", "not valid UTF-8", put_str, get_str},
    [F_OSTR] = {1, 1, "a string", "not valid UTF-8", put_str, get_str},
    [F_FILE] = {1, 0, "a plain file name", "not a plain file name", put_str, get_str},
    [F_U64] = {0, 0, "a non-negative integer", "above 2^63-1", put_integer, get_integer},
    [F_OU64] = {0, 1, "a non-negative integer", "above 2^63-1", put_integer, get_integer},
    [F_U32] = {0, 0, "an integer in 0..4294967295", "out of memory", put_integer, get_integer},
    [F_UINT] = {0, 0, "a non-negative integer", "out of memory", put_integer, get_integer},
    [F_INT] = {0, 0, "an integer", "out of memory", put_integer, get_integer},
    [F_BOOL] = {0, 0, "true or false", "out of memory", put_bool, get_bool},
    [F_DOUBLE] = {0, 0, "a number", "not a finite number", put_double, get_double},
    [F_HASH] = {0, 0, "32 lowercase hex digits", "not 32 lowercase hex digits", put_hex, get_hex},
    [F_CSUM] = {0, 0, "16 lowercase hex digits", "not 16 lowercase hex digits", put_hex, get_hex},
    [F_ENUM] = {0, 0, "a known name", "out of range", put_enum, get_enum},
};

static void free_fields(const struct field *f, size_t n, void *base)
{
    for (size_t i = 0; i < n; i++) {
        if (ftypes[f[i].type].is_str) {
            char **s = (char **)((char *)base + f[i].off);

            free(*s);
            *s = NULL;
        }
    }
}

/* "PATH.KEY[IDX]" (no index when IDX < 0; just PATH when KEY is NULL). */
static void sub_path(char *out, const char *path, const char *key, long idx)
{
    if (!key)
        snprintf(out, PATH_LEN, "%s", path);
    else if (idx >= 0)
        snprintf(out, PATH_LEN, "%s%s%s[%ld]", path, *path ? "." : "", key, idx);
    else
        snprintf(out, PATH_LEN, "%s%s%s", path, *path ? "." : "", key);
}

/* ---- lifecycle -------------------------------------------------------- */

struct fmt_manifest *fmt_manifest_new(void)
{
    struct fmt_manifest *m = calloc(1, sizeof(*m));

    if (m)
        m->format_version = FMT_MANIFEST_VERSION;
    return m;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void free_items(void *items, size_t n, size_t size, const struct field *f, size_t nf)
{
    for (size_t i = 0; items && i < n; i++)
        free_fields(f, nf, (char *)items + i * size);
    free(items);
}

static void free_table(struct fmt_table *t)
{
    free_fields(table_fields, NFIELDS(table_fields), t);
    free_items(t->columns, t->ncolumns, sizeof(*t->columns), column_fields, NFIELDS(column_fields));
    free_strv(t->key, t->nkey);
    free_items(t->chunks, t->nchunks, sizeof(*t->chunks), chunk_fields, NFIELDS(chunk_fields));
}

void fmt_manifest_free(struct fmt_manifest *m)
{
    if (!m)
        return;
    free_fields(head_fields, NFIELDS(head_fields), m);
    free_fields(source_fields, NFIELDS(source_fields), m);
    free_fields(time_fields, NFIELDS(time_fields), m);
    free_fields(snapshot_fields, NFIELDS(snapshot_fields), m);
    free_fields(replica_fields, NFIELDS(replica_fields), m);
    free_fields(coords_fields, NFIELDS(coords_fields), &m->coords);
    free_fields(coords_fields, NFIELDS(coords_fields), &m->replica_of);
    free_strv(m->proof, m->nproof);
    free_items(m->objects, m->nobjects, sizeof(*m->objects), object_fields, NFIELDS(object_fields));
    free_items(m->files, m->nfiles, sizeof(*m->files), file_fields, NFIELDS(file_fields));
    free_items(m->accounts, m->naccounts, sizeof(*m->accounts), account_fields,
               NFIELDS(account_fields));
    free_strv(m->not_dumped, m->nnot_dumped);
    for (size_t i = 0; m->tables && i < m->ntables; i++)
        free_table(&m->tables[i]);
    free(m->tables);
    free(m);
}

/* ARR with room for element N (capacity doubled when full), or NULL. */
static void *grow(void *arr, size_t n, size_t *cap, size_t size)
{
    size_t ncap;
    void *p;

    if (arr && n < *cap)
        return arr;
    ncap = n < 4 ? 8 : n * 2;
    if (ncap > SIZE_MAX / size)
        return NULL;
    p = realloc(arr, ncap * size);
    if (p)
        *cap = ncap;
    return p;
}

struct fmt_table *fmt_manifest_add_table(struct fmt_manifest *m)
{
    struct fmt_table *a = m ? grow(m->tables, m->ntables, &m->tables_cap, sizeof(*a)) : NULL;

    if (!a)
        return NULL;
    m->tables = a;
    memset(&a[m->ntables], 0, sizeof(*a));
    return &a[m->ntables++];
}

struct fmt_object *fmt_manifest_add_object(struct fmt_manifest *m)
{
    struct fmt_object *a = m ? grow(m->objects, m->nobjects, &m->objects_cap, sizeof(*a)) : NULL;

    if (!a)
        return NULL;
    m->objects = a;
    memset(&a[m->nobjects], 0, sizeof(*a));
    return &a[m->nobjects++];
}

struct fmt_file *fmt_manifest_add_file(struct fmt_manifest *m)
{
    struct fmt_file *a = m ? grow(m->files, m->nfiles, &m->files_cap, sizeof(*a)) : NULL;

    if (!a)
        return NULL;
    m->files = a;
    memset(&a[m->nfiles], 0, sizeof(*a));
    return &a[m->nfiles++];
}

struct fmt_account *fmt_manifest_add_account(struct fmt_manifest *m)
{
    struct fmt_account *a =
        m ? grow(m->accounts, m->naccounts, &m->accounts_cap, sizeof(*a)) : NULL;

    if (!a)
        return NULL;
    m->accounts = a;
    memset(&a[m->naccounts], 0, sizeof(*a));
    return &a[m->naccounts++];
}

struct fmt_chunk *fmt_table_add_chunk(struct fmt_table *t)
{
    struct fmt_chunk *a = t ? grow(t->chunks, t->nchunks, &t->chunks_cap, sizeof(*a)) : NULL;

    if (!a)
        return NULL;
    t->chunks = a;
    memset(&a[t->nchunks], 0, sizeof(*a));
    return &a[t->nchunks++];
}

/* S copied onto the string list *V (N items, CAP allocated). */
static int add_str(char ***v, size_t *n, size_t *cap, const char *s)
{
    char **a;
    char *dup;

    if (!s || !(dup = strdup(s)))
        return -1;
    a = grow(*v, *n, cap, sizeof(*a));
    if (!a) {
        free(dup);
        return -1;
    }
    *v = a;
    a[(*n)++] = dup;
    return 0;
}

int fmt_manifest_add_proof(struct fmt_manifest *m, const char *proof)
{
    return m ? add_str(&m->proof, &m->nproof, &m->proof_cap, proof) : -1;
}

int fmt_manifest_add_not_dumped(struct fmt_manifest *m, const char *what)
{
    return m ? add_str(&m->not_dumped, &m->nnot_dumped, &m->not_dumped_cap, what) : -1;
}

/* ---- writing ---------------------------------------------------------- */

static int wfail(struct cs_error *err, const char *path, const char *key, const char *what)
{
    char field[PATH_LEN];

    sub_path(field, path, key, -1);
    return cs_error_set(err, CS_ERR_INTERNAL, "manifest: cannot write field %s: %s", field, what);
}

static int nomem(struct cs_error *err, const char *name)
{
    return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory", name);
}

/* Put CHILD (owned) into PARENT under KEY, or append it when KEY is NULL.
 * Returns CHILD borrowed, or NULL. */
static json_t *attach(json_t *parent, const char *key, json_t *child, struct cs_error *err)
{
    int rc;

    if (!child) {
        nomem(err, "manifest");
        return NULL;
    }
    rc = key ? json_object_set_new(parent, key, child) : json_array_append_new(parent, child);
    if (rc < 0) {
        nomem(err, "manifest");
        return NULL;
    }
    return child;
}

/* Add the fields F of BASE to OBJ.  LENIENT: a NULL required string is null. */
static int put_fields(json_t *obj, const char *path, const struct field *f, size_t n,
                      const void *base, int lenient, struct cs_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct ftype_ops *ops = &ftypes[f[i].type];
        const char *p = (const char *)base + f[i].off;
        json_t *v;

        if (ops->is_str && !*str_at(p)) {
            if (f[i].type == F_OSTR)
                continue;
            if (!ops->optional && !lenient)
                return wfail(err, path, f[i].key, "not set");
            v = json_null();
        } else if (!(v = ops->put(&f[i], p))) {
            return wfail(err, path, f[i].key, ops->bad_write);
        }
        if (!attach(obj, f[i].key, v, err))
            return -1;
    }
    return 0;
}

static json_t *put_section(json_t *root, const char *key, const struct field *f, size_t n,
                           const void *base, struct cs_error *err)
{
    json_t *o = attach(root, key, json_object(), err);

    if (!o || put_fields(o, key, f, n, base, 0, err) < 0)
        return NULL;
    return o;
}

static int put_strv(json_t *obj, const char *path, const char *key, char *const *v, size_t n,
                    struct cs_error *err)
{
    json_t *a = attach(obj, key, json_array(), err);
    char p[PATH_LEN];

    for (size_t i = 0; a && i < n; i++) {
        sub_path(p, path, key, (long)i);
        if (!v[i])
            return wfail(err, p, NULL, "not set");
        if (!attach(a, NULL, json_string(v[i]), err))
            return wfail(err, p, NULL, "not valid UTF-8");
    }
    return a ? 0 : -1;
}

/* PARENT[KEY] = an array of one object per item (fields F), returned borrowed. */
static json_t *put_items(json_t *parent, const char *path, const char *key, const void *items,
                         size_t n, size_t size, const struct field *f, size_t nf,
                         struct cs_error *err)
{
    json_t *a = attach(parent, key, json_array(), err);
    char p[PATH_LEN];

    for (size_t i = 0; a && i < n; i++) {
        json_t *o = attach(a, NULL, json_object(), err);

        sub_path(p, path, key, (long)i);
        if (!o || put_fields(o, p, f, nf, (const char *)items + i * size, 0, err) < 0)
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
    return put_fields(*out, key, coords_fields, NFIELDS(coords_fields), &gtid_only, !c->present,
                      err);
}

static int put_replica(json_t *root, const struct fmt_manifest *m, struct cs_error *err)
{
    const struct fmt_coords *r = &m->replica_of;
    json_t *o;

    if (!r->present && !r->binlog_file && !r->gtid_set && !m->replica_source_host)
        return 0;
    if (put_coords(root, "replica_of", r, &o, err) < 0)
        return -1;
    return put_fields(o, "replica_of", replica_fields, NFIELDS(replica_fields), m, 0, err);
}

static int put_tables(json_t *root, const struct fmt_manifest *m, struct cs_error *err)
{
    json_t *a = put_items(root, "", "tables", m->tables, m->ntables, sizeof(*m->tables),
                          table_fields, NFIELDS(table_fields), err);
    char p[PATH_LEN];

    for (size_t i = 0; a && i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        json_t *o = json_array_get(a, i);

        sub_path(p, "", "tables", (long)i);
        if (!put_items(o, p, "columns", t->columns, t->ncolumns, sizeof(*t->columns), column_fields,
                       NFIELDS(column_fields), err) ||
            put_strv(o, p, "key", t->key, t->nkey, err) < 0 ||
            !put_items(o, p, "chunks", t->chunks, t->nchunks, sizeof(*t->chunks), chunk_fields,
                       NFIELDS(chunk_fields), err))
            return -1;
    }
    return a ? 0 : -1;
}

static int put_version(json_t *root, struct cs_error *err)
{
    return attach(root, "format_version", json_integer(FMT_MANIFEST_VERSION), err) ? 0 : -1;
}

static int build_manifest(json_t *root, const struct fmt_manifest *m, struct cs_error *err)
{
    json_t *o;

    if (put_version(root, err) < 0 ||
        put_fields(root, "", head_fields, NFIELDS(head_fields), m, 0, err) < 0 ||
        !put_section(root, "source", source_fields, NFIELDS(source_fields), m, err) ||
        put_fields(root, "", time_fields, NFIELDS(time_fields), m, 0, err) < 0 ||
        !put_section(root, "options", options_fields, NFIELDS(options_fields), m, err) ||
        !(o = put_section(root, "snapshot", snapshot_fields, NFIELDS(snapshot_fields), m, err)) ||
        put_strv(o, "snapshot", "proof", m->proof, m->nproof, err) < 0 ||
        put_coords(root, "coordinates", &m->coords, &o, err) < 0 || put_replica(root, m, err) < 0)
        return -1;
    if (!put_items(root, "", "objects", m->objects, m->nobjects, sizeof(*m->objects), object_fields,
                   NFIELDS(object_fields), err) ||
        !put_items(root, "", "files", m->files, m->nfiles, sizeof(*m->files), file_fields,
                   NFIELDS(file_fields), err))
        return -1;
    if (m->has_accounts && !put_items(root, "", "accounts", m->accounts, m->naccounts,
                                      sizeof(*m->accounts), account_fields,
                                      NFIELDS(account_fields), err))
        return -1;
    if (m->nnot_dumped &&
        put_strv(root, "", "not_dumped", m->not_dumped, m->nnot_dumped, err) < 0)
        return -1;
    return put_tables(root, m, err);
}

static int build_coords(json_t *root, const struct fmt_manifest *m, struct cs_error *err)
{
    json_t *o;

    if (put_version(root, err) < 0 ||
        !put_section(root, "source", source_fields, NFIELDS(source_fields), m, err) ||
        put_fields(root, "", snapshot_fields, 2, m, 0, err) < 0 || /* lock_mode, consistent */
        put_coords(root, "coordinates", &m->coords, &o, err) < 0)
        return -1;
    return put_replica(root, m, err);
}

typedef int (*build_fn)(json_t *root, const struct fmt_manifest *m, struct cs_error *err);

/* Build with BUILD and serialize (indented, newline-terminated). */
static char *to_text(const struct fmt_manifest *m, build_fn build, struct cs_error *err)
{
    json_t *root = NULL;
    char *s = NULL, *t = NULL;
    size_t n;

    if (!m) {
        cs_error_set(err, CS_ERR_INTERNAL, "manifest: nothing to write");
        goto out;
    }
    root = json_object();
    if (!root) {
        nomem(err, "manifest");
        goto out;
    }
    if (build(root, m, err) < 0)
        goto out;
    s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    n = s ? strlen(s) : 0;
    t = s ? realloc(s, n + 2) : NULL;
    if (!t) {
        free(s);
        nomem(err, "manifest");
        goto out;
    }
    memcpy(t + n, "\n", 2);
out:
    json_decref(root);
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
        nomem(err, dir);
        goto out;
    }
    rc = cs_fs_write_atomic(path, text, strlen(text), 0600, err);
out:
    free(path);
    free(text);
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

struct rd {
    const char *name; /* for messages: the file */
    struct cs_error *err;
};

__attribute__((format(printf, 5, 6))) static int
rfail(const struct rd *rd, int code, const char *path, const char *key, const char *fmt, ...)
{
    char field[PATH_LEN], what[256];
    va_list ap;

    sub_path(field, path, key, -1);
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return cs_error_set(rd->err, code, "%s: field %s: %s", rd->name, field, what);
}

/* The error for a field whose value GET refused with CODE. */
static int rbad(const struct rd *rd, int code, const char *path, const struct field *f)
{
    char names[128] = "";
    size_t n = 0;

    if (code == CS_ERR_NOMEM)
        return nomem(rd->err, rd->name);
    if (code == CS_ERR_HOSTILE)
        return rfail(rd, code, path, f->key,
                     "refusing a file name that is not a plain name inside the dump");
    if (f->type != F_ENUM)
        return rfail(rd, code, path, f->key, "expected %s", ftypes[f->type].expect);
    for (int i = 0; i < f->count && n < sizeof(names); i++)
        n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "", f->name(i));
    return rfail(rd, code, path, f->key, "expected one of %s", names);
}

/* Read the fields F of OBJ into BASE.  LENIENT: every field may be absent or null. */
static int read_fields(const struct rd *rd, json_t *obj, const char *path, const struct field *f,
                       size_t n, void *base, int lenient)
{
    for (size_t i = 0; i < n; i++) {
        const struct ftype_ops *ops = &ftypes[f[i].type];
        json_t *v = json_object_get(obj, f[i].key);
        int code;

        if (!v || json_is_null(v)) {
            if (ops->optional || lenient)
                continue;
            return rfail(rd, CS_ERR_FORMAT, path, f[i].key, "%s (expected %s)",
                         v ? "is null" : "missing", ops->expect);
        }
        code = ops->get(&f[i], v, (char *)base + f[i].off);
        if (code)
            return rbad(rd, code, path, &f[i]);
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

static json_t *read_section(const struct rd *rd, json_t *root, const char *key,
                            const struct field *f, size_t n, void *base)
{
    json_t *o;

    if (get_member(rd, root, "", key, 0, 0, &o) < 0 || read_fields(rd, o, key, f, n, base, 0) < 0)
        return NULL;
    return o;
}

static int read_strv(const struct rd *rd, json_t *obj, const char *path, const char *key,
                     char ***out, size_t *n, size_t *cap)
{
    static const struct field item = {"", F_STR, 0, NULL, 0};
    char p[PATH_LEN];
    json_t *a;
    size_t cnt;

    if (get_member(rd, obj, path, key, 1, 0, &a) < 0)
        return -1;
    cnt = json_array_size(a);
    *out = calloc(cnt ? cnt : 1, sizeof(char *));
    if (!*out)
        return nomem(rd->err, rd->name);
    *n = cnt;
    if (cap)
        *cap = cnt;
    for (size_t i = 0; i < cnt; i++) {
        int code = get_str(&item, json_array_get(a, i), &(*out)[i]);

        sub_path(p, path, key, (long)i);
        if (code == CS_ERR_NOMEM)
            return nomem(rd->err, rd->name);
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
        nomem(rd->err, rd->name);
        return NULL;
    }
    *n = json_array_size(*arr);
    return p;
}

/* Read each object of ARR into ITEMS (SIZE bytes apart) with fields F. */
static int read_each(const struct rd *rd, json_t *arr, const char *path, const char *key,
                     void *items, size_t size, const struct field *f, size_t nf)
{
    char p[PATH_LEN];

    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);

        sub_path(p, path, key, (long)i);
        if (!json_is_object(o))
            return rfail(rd, CS_ERR_FORMAT, p, NULL, "expected an object");
        if (read_fields(rd, o, p, f, nf, (char *)items + i * size, 0) < 0)
            return -1;
    }
    return 0;
}

static int read_table(const struct rd *rd, json_t *o, const char *path, struct fmt_table *t)
{
    json_t *a;

    if (read_fields(rd, o, path, table_fields, NFIELDS(table_fields), t, 0) < 0)
        return -1;
    t->columns = get_items(rd, o, path, "columns", sizeof(*t->columns), &a, &t->ncolumns);
    if (!t->columns || read_each(rd, a, path, "columns", t->columns, sizeof(*t->columns),
                                 column_fields, NFIELDS(column_fields)) < 0)
        return -1;
    if (read_strv(rd, o, path, "key", &t->key, &t->nkey, NULL) < 0)
        return -1;
    t->chunks = get_items(rd, o, path, "chunks", sizeof(*t->chunks), &a, &t->nchunks);
    if (!t->chunks)
        return -1;
    t->chunks_cap = t->nchunks;
    return read_each(rd, a, path, "chunks", t->chunks, sizeof(*t->chunks), chunk_fields,
                     NFIELDS(chunk_fields));
}

static int read_contents(const struct rd *rd, json_t *root, struct fmt_manifest *m)
{
    char p[PATH_LEN];
    json_t *a;

    m->objects = get_items(rd, root, "", "objects", sizeof(*m->objects), &a, &m->nobjects);
    if (!m->objects)
        return -1;
    m->objects_cap = m->nobjects;
    if (read_each(rd, a, "", "objects", m->objects, sizeof(*m->objects), object_fields,
                  NFIELDS(object_fields)) < 0)
        return -1;
    if (json_object_get(root, "files")) { /* optional: older writers had none */
        m->files = get_items(rd, root, "", "files", sizeof(*m->files), &a, &m->nfiles);
        if (!m->files)
            return -1;
        m->files_cap = m->nfiles;
        if (read_each(rd, a, "", "files", m->files, sizeof(*m->files), file_fields,
                      NFIELDS(file_fields)) < 0)
            return -1;
    }
    if (json_object_get(root, "accounts")) { /* optional: dumps with accounts only */
        m->has_accounts = 1;
        m->accounts = get_items(rd, root, "", "accounts", sizeof(*m->accounts), &a, &m->naccounts);
        if (!m->accounts)
            return -1;
        m->accounts_cap = m->naccounts;
        if (read_each(rd, a, "", "accounts", m->accounts, sizeof(*m->accounts), account_fields,
                      NFIELDS(account_fields)) < 0)
            return -1;
    }
    if (json_object_get(root, "not_dumped") &&
        read_strv(rd, root, "", "not_dumped", &m->not_dumped, &m->nnot_dumped,
                  &m->not_dumped_cap) < 0)
        return -1;
    m->tables = get_items(rd, root, "", "tables", sizeof(*m->tables), &a, &m->ntables);
    if (!m->tables)
        return -1;
    m->tables_cap = m->ntables;
    for (size_t i = 0; i < m->ntables; i++) {
        json_t *o = json_array_get(a, i);

        sub_path(p, "", "tables", (long)i);
        if (!json_is_object(o))
            return rfail(rd, CS_ERR_FORMAT, p, NULL, "expected an object");
        if (read_table(rd, o, p, &m->tables[i]) < 0)
            return -1;
    }
    return 0;
}

/* ROOT[KEY] into C; *OUT = the object, NULL when OPTIONAL and absent. */
static int read_coords(const struct rd *rd, json_t *root, const char *key, int optional,
                       struct fmt_coords *c, json_t **out)
{
    const size_t n = NFIELDS(coords_fields);

    if (get_member(rd, root, "", key, 0, optional, out) < 0)
        return -1;
    if (!*out)
        return 0;
    /* "present" first: without a binary log the rest may be absent or null. */
    if (read_fields(rd, *out, key, coords_fields, 1, c, 0) < 0 ||
        read_fields(rd, *out, key, coords_fields + 1, n - 1, c, !c->present) < 0)
        return -1;
    if (c->unusable) { /* marked unusable: nobody may use a file/position */
        free(c->binlog_file);
        c->binlog_file = NULL;
        c->binlog_pos = 0;
    }
    return 0;
}

static int read_version(const struct rd *rd, json_t *root, struct fmt_manifest *m)
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
    return 0;
}

static int read_manifest(const struct rd *rd, json_t *root, struct fmt_manifest *m)
{
    json_t *o;

    if (read_version(rd, root, m) < 0 ||
        read_fields(rd, root, "", head_fields, NFIELDS(head_fields), m, 0) < 0 ||
        !read_section(rd, root, "source", source_fields, NFIELDS(source_fields), m) ||
        read_fields(rd, root, "", time_fields, NFIELDS(time_fields), m, 0) < 0 ||
        !read_section(rd, root, "options", options_fields, NFIELDS(options_fields), m) ||
        !(o = read_section(rd, root, "snapshot", snapshot_fields, NFIELDS(snapshot_fields), m)) ||
        read_strv(rd, o, "snapshot", "proof", &m->proof, &m->nproof, &m->proof_cap) < 0 ||
        read_coords(rd, root, "coordinates", 0, &m->coords, &o) < 0 ||
        read_coords(rd, root, "replica_of", 1, &m->replica_of, &o) < 0)
        return -1;
    if (o && read_fields(rd, o, "replica_of", replica_fields, NFIELDS(replica_fields), m, 0) < 0)
        return -1;
    return read_contents(rd, root, m);
}

struct fmt_manifest *fmt_manifest_from_json(const char *text, size_t len, const char *name,
                                            struct cs_error *err)
{
    struct rd rd = {name ? name : FMT_MANIFEST_NAME, err};
    struct fmt_manifest *m = NULL;
    json_t *root = NULL;
    json_error_t jerr;

    root = text ? json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!root) {
        cs_error_set(err, CS_ERR_FORMAT, "%s: not valid JSON at line %d, column %d: %s", rd.name,
                     text ? jerr.line : 0, text ? jerr.column : 0, text ? jerr.text : "no text");
        goto out;
    }
    if (!json_is_object(root)) {
        cs_error_set(err, CS_ERR_FORMAT, "%s: not a csdump manifest (expected a JSON object)",
                     rd.name);
        goto out;
    }
    m = fmt_manifest_new();
    if (!m) {
        nomem(err, rd.name);
        goto out;
    }
    if (read_manifest(&rd, root, m) < 0) {
        fmt_manifest_free(m);
        m = NULL;
    }
out:
    json_decref(root);
    return m;
}

struct fmt_manifest *fmt_manifest_read(const char *dir, struct cs_error *err)
{
    struct fmt_manifest *m = NULL;
    char *path = NULL, *text = NULL;
    struct cs_error e;
    size_t len = 0;

    cs_error_clear(&e);
    path = cs_fs_join(dir, FMT_MANIFEST_NAME);
    if (!path) {
        nomem(err, dir);
        goto out;
    }
    if (cs_fs_read_all(path, MANIFEST_MAX_BYTES, &text, &len, &e) < 0) {
        if (e.code == CS_ERR_MISSING)
            cs_error_set(err, CS_ERR_MISSING,
                         "%s: no " FMT_MANIFEST_NAME
                         ": the dump is incomplete or this is not a csdump directory",
                         dir);
        else
            cs_error_copy(err, &e);
        goto out;
    }
    m = fmt_manifest_from_json(text, len, path, err);
out:
    free(text);
    free(path);
    return m;
}

/* ---- chunk meta: one chunk's entry, streamed just before the chunk ------ */

char *fmt_chunk_meta_to_json(const char *schema, const char *table, const struct fmt_chunk *c,
                             struct cs_error *err)
{
    json_t *root = json_object(), *o = NULL;
    char *s = NULL;

    if (!root || !attach(root, "schema", json_string(schema), err) ||
        !attach(root, "table", json_string(table), err) ||
        !(o = attach(root, "chunk", json_object(), err)) ||
        put_fields(o, "chunk", chunk_fields, NFIELDS(chunk_fields), c, 0, err) < 0)
        goto out;
    s = json_dumps(root, JSON_COMPACT);
    if (!s)
        nomem(err, "chunk meta");
out:
    json_decref(root);
    return s;
}

int fmt_chunk_meta_from_json(const char *text, size_t len, const char *name, char **schema,
                             char **table, struct fmt_chunk *c, struct cs_error *err)
{
    struct rd rd = {name, err};
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
    if (read_fields(&rd, o, "chunk", chunk_fields, NFIELDS(chunk_fields), c, 0) < 0)
        goto out;
    *schema = strdup(s);
    *table = strdup(t);
    rc = *schema && *table ? 0 : nomem(err, name);
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

void fmt_chunk_release(struct fmt_chunk *c)
{
    if (c)
        free_fields(chunk_fields, NFIELDS(chunk_fields), c);
}
