/*
 * manifest.c - DIR/manifest.json and the early coordinates file: the format,
 * its field tables and the in-memory model.  Writing is manifest_write.c,
 * reading and validating manifest_read.c (format/manifest_int.h joins them).
 *
 * The JSON layout, format version 2.  This comment is the format's reference.
 * Version 2 made chunk bounds typed values ("lower"/"upper" below) and added
 * options.include_system; a version-1 manifest has "where", "lower" and
 * "upper" as SQL text, read into v1_lower/v1_upper (and "where" ignored).
 * Types: str = JSON string (UTF-8, no NUL); str|null = string or null;
 * u64 = non-negative JSON integer below 2^63; u32 = 0..4294967295;
 * bool = true/false; num = any JSON number (written with 15 significant
 * digits).  Keys are written in this order; readers ignore unknown keys, so a
 * minor addition needs no new version, while anything a version-1 reader
 * would misread needs a new format_version.
 *
 * {
 *   "format_version": int       2; a reader refuses a newer one (CS_ERR_VERSION)
 *   "tool_version":   str       version of the csdump that wrote the dump
 *   "dump_id":        str       optional: unique to the dump; the load journal's key
 *   "signed_by":      str       optional: the id of the key that signed the dump
 *                               (format/sign.h; manifest.sig holds the signature)
 *   "source": {                 the server that was dumped
 *     "host":        str        the endpoint csdump was connected to, as the
 *                                connection reports it (not the options): the
 *                                TCP host; over a unix socket the server's
 *                                @@hostname (older dumps: @@hostname always)
 *     "port":        int        the TCP port connected to; over a socket the
 *                                server's @@port (0 with skip_networking);
 *                                older dumps: the --port option, 0 when none
 *     "socket":      str        optional: the unix socket connected through
 *                                (absent over TCP)
 *     "hostname":    str        optional: the server's @@hostname
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
 *     "include_system": bool    taken with --include-system (absent: false)
 *     "subset":         bool    optional (absent = false): rows of some tables were
 *                               left out by csdump --where (each such table has
 *                               its "where"); the dump is not the whole source
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
 *   "partial":       bool          optional (absent in older dumps: unknown): some
 *                                  schema, table or sequence of the source is not
 *                                  in the dump (--databases, --tables, --exclude,
 *                                  --regex, --allow-missing, --no-sequences)
 *   "whole_schemas": [str]         with "partial": the dumped schemas that hold
 *                                  every table and sequence the source had; the
 *                                  dump's tables of other schemas were taken one
 *                                  by one (csload's replication filters: db.% for
 *                                  these, db.t for those)
 *   "files": [{                    every other file of the dump but manifest.json
 *     "name": str   plain name (DDL files, coordinates.json)
 *     "bytes": int  size
 *     "hash": str   XXH3-128 of its bytes, 32 lowercase hex digits
 *     "sha256": str optional (signed dumps): SHA-256 of its bytes, 64 hex digits
 *   }],
 *   "tables": [{
 *     "schema":        str
 *     "name":          str
 *     "engine":        str      e.g. "InnoDB"
 *     "ddl_file":      str      CREATE TABLE file inside the dump (plain name)
 *     "note":          str      optional, e.g. "system-versioned: history not dumped"
 *     "max_row_bytes": int      optional: the longest row as encoded in the chunks
 *     "where":         str      optional: the csdump --where condition the rows were
 *                               read with (the user's SQL on the source); only
 *                               the rows matching it are in the chunks.  Untrusted
 *                               on load: reported, never sent to a server
 *     "transactional": bool     false for MyISAM, Aria, MEMORY ...
 *     "rows":          u64      sum of the chunks' rows
 *     "estimated_rows": u64     optional: the source's row estimate when the dump
 *                               began (absent when 0), for a loader's progress
 *                               before the chunks are known (an archive's catalog)
 *     "columns": [{             dumped columns in file order (generated excluded)
 *       "name": str
 *       "type": str             COLUMN_TYPE, e.g. "decimal(10,2) unsigned"
 *       "kind": str             fmt_col_kind_name(): "number", "float", ...
 *                               "mysql-json": MySQL JSON whose values may carry
 *                               type tags (format/jsonval.h); older dumps have
 *                               "utf8text" for MySQL JSON: text only
 *       "typed_values": u64     optional (absent = 0): values of a mysql-json
 *                               column that carry type tags
 *     }],
 *     "key":    [str]           chunking key columns; [] = no usable key
 *     "chunks": [{
 *       "file":       str       chunk file inside the dump (plain name)
 *       "index":      u32       0-based within the table
 *       "rows":       u64
 *       "raw_bytes":  u64       encoded, before compression
 *       "file_bytes": u64       bytes in the file
 *       "file_hash":  str       XXH3-128 of the file's bytes: 32 lowercase hex digits
 *       "sha256":     str       optional (signed dumps): SHA-256 of the file's
 *                               bytes, 64 lowercase hex digits
 *       "checksum":   str       fmt_checksum of the rows: 16 lowercase hex digits
 *       "typed_values": u64     optional (absent = 0): mysql-json values with type
 *                               tags in the chunk (they cannot go through LOAD DATA)
 *       "lower":      BOUND|null  the key range's lower end; null = open
 *       "upper":      BOUND|null  the upper end; null = open (csdump: [lower, upper))
 *     }]
 *   }]
 * }
 *
 * BOUND = {                     format/bound.h: values, never SQL
 *   "closed": bool                the value itself is inside the range
 *   "values": [{                  one per key column, in key order
 *     "type":    str              "integer" | "decimal" | "float" | "string"
 *                                 | "binary" | "temporal" | "text"
 *     "charset": str              "string" only: the column's character set
 *     "collation": str            "string" only, optional: the column's collation
 *                                 (informational: the column's own collation
 *                                 orders the range; equal bounds need equal ones)
 *     "hex":     str              "string", "binary": the bytes, lowercase hex
 *     "value":   str              the others: the value's text, checked
 *                                 against its type's grammar (bound.h)
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
 * Implementation: each JSON object is described by a table of typed field
 * descriptors below (key, type, offset; format/manifest_int.h checks each
 * member's type at compile time); one handler per field type writes
 * (manifest_write.c) and one reads (manifest_read.c).
 */
#include "format/manifest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/manifest_int.h"

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

/* ---- field tables: one line per JSON key, in the order written -------- */

/* clang-format off */
#define M struct fmt_manifest
static const struct fmt_mf_field head_fields[] = {
    MF_STR("tool_version",            M, tool_version),
    MF_OSTR("dump_id",                M, dump_id),
    MF_OSTR("signed_by",              M, signed_by),
};
static const struct fmt_mf_field source_fields[] = {
    MF_STR("host",                    M, source_host),
    MF_UINT("port",                   M, source_port),
    MF_OSTR("socket",                 M, source_socket),
    MF_OSTR("hostname",               M, source_hostname),
    MF_STR("flavor",                  M, flavor),
    MF_STR("version",                 M, server_version),
    MF_U32("server_id",               M, server_id),
    MF_NSTR("server_uuid",            M, server_uuid),
    MF_STR("sql_mode",                M, sql_mode),
    MF_STR("time_zone",               M, time_zone),
};
static const struct fmt_mf_field time_fields[] = {
    MF_STR("started_at",              M, started_at),
    MF_STR("finished_at",             M, finished_at),
};
static const struct fmt_mf_field options_fields[] = {
    MF_ENUM("format",                 M, format, enum fmt_data_format, name_format, 2),
    MF_ENUM("compress",               M, compress, enum fmt_compress, name_compress, 2),
    MF_INT("compress_level",          M, compress_level),
    MF_UINT("threads",                M, threads),
    MF_U64("chunk_rows",              M, chunk_rows),
    MF_U64("chunk_bytes",             M, chunk_bytes),
    MF_BOOL_OPT("include_system",     M, include_system),
    MF_BOOL_OPT("subset",             M, subset),
};
static const struct fmt_mf_field snap_mode_fields[] = { /* also in coordinates.json */
    MF_STR("lock_mode",               M, lock_mode),
    MF_BOOL("consistent",             M, consistent),
};
static const struct fmt_mf_field snapshot_fields[] = { /* then "proof" */
    MF_NSTR("note",                   M, consistency_note),
    MF_DOUBLE("barrier_wait_ms",      M, barrier_wait_ms),
    MF_DOUBLE("barrier_hold_ms",      M, barrier_hold_ms),
};
static const struct fmt_mf_field replica_fields[] = { /* after replica_of's COORDS */
    MF_NSTR("source_host",            M, replica_source_host),
};
#undef M

#define C struct fmt_coords
static const struct fmt_mf_field present_fields[] = { /* read first */
    MF_BOOL("present",                C, present),
};
static const struct fmt_mf_field coords_fields[] = { /* all may be absent when !present */
    MF_OSTR("binlog_file",            C, binlog_file), /* null: GTID only */
    MF_U64("binlog_position",         C, binlog_pos),
    MF_STR("gtid_set",                C, gtid_set),
    MF_OSTR("file_position_unusable", C, unusable),
};
#undef C

#define F struct fmt_file
static const struct fmt_mf_field file_fields[] = {
    MF_FILE("name",                   F, name),
    MF_U64("bytes",                   F, bytes),
    MF_HEX("hash",                    F, hash, 32),
    MF_HEX_OPT("sha256",              F, sha256, 64),
};
#undef F

#define O struct fmt_object
static const struct fmt_mf_field object_fields[] = {
    MF_ENUM("kind",                   O, kind, enum fmt_object_kind, name_object,
                                      FMT_OBJ_KIND_COUNT),
    MF_STR("schema",                  O, schema),
    MF_STR("name",                    O, name),
    MF_FILE("file",                   O, file),
    MF_OSTR("table",                  O, table),
    MF_OSTR("sql_mode",               O, sql_mode),
    MF_OSTR("charset",                O, charset),
    MF_OSTR("collation",              O, collation),
    MF_OSTR("time_zone",              O, time_zone),
    MF_OSTR("next_value",             O, next_value),
    MF_OSTR("round",                  O, round),
};
#undef O

#define A struct fmt_account
static const struct fmt_mf_field account_fields[] = {
    MF_ENUM("kind",                   A, kind, enum fmt_account_kind, name_account,
                                      FMT_ACCOUNT_KIND_COUNT),
    MF_STR("user",                    A, user),
    MF_STR("host",                    A, host),
    MF_FILE("file",                   A, file),
    MF_U32("grants",                  A, grants),
    MF_U32("default_roles",           A, default_roles),
};
#undef A

#define T struct fmt_table
static const struct fmt_mf_field table_fields[] = { /* then columns, key, chunks */
    MF_STR("schema",                  T, schema),
    MF_STR("name",                    T, name),
    MF_STR("engine",                  T, engine),
    MF_FILE("ddl_file",               T, ddl_file),
    MF_OSTR("note",                   T, row_format_note),
    MF_BOOL("transactional",          T, transactional),
    MF_U64("rows",                    T, rows),
    MF_U64_OPT("max_row_bytes",       T, max_row_bytes),
    MF_U64_NZ("estimated_rows",       T, est_rows),
    MF_OSTR("where",                  T, where),
};
#undef T

#define L struct fmt_column
static const struct fmt_mf_field column_fields[] = {
    MF_STR("name",                    L, name),
    MF_STR("type",                    L, type),
    MF_ENUM("kind",                   L, kind, enum fmt_col_kind, name_col, FMT_COL_KIND_COUNT),
    MF_U64_NZ("typed_values",         L, typed_values),
};
#undef L

#define K struct fmt_chunk
static const struct fmt_mf_field chunk_fields[] = {
    MF_FILE("file",                   K, file),
    MF_U32("index",                   K, index),
    MF_U64("rows",                    K, rows),
    MF_U64("raw_bytes",               K, raw_bytes),
    MF_U64("file_bytes",              K, file_bytes),
    MF_HEX("file_hash",               K, file_hash, 32),
    MF_HEX_OPT("sha256",              K, sha256, 64),
    MF_HEX("checksum",                K, checksum, 16),
    MF_U64_NZ("typed_values",         K, typed_values),
};
#undef K
/* clang-format on */

const struct fmt_mf_fields fmt_mf_head = FMT_MF_FIELDS(head_fields);
const struct fmt_mf_fields fmt_mf_source = FMT_MF_FIELDS(source_fields);
const struct fmt_mf_fields fmt_mf_time = FMT_MF_FIELDS(time_fields);
const struct fmt_mf_fields fmt_mf_options = FMT_MF_FIELDS(options_fields);
const struct fmt_mf_fields fmt_mf_snap_mode = FMT_MF_FIELDS(snap_mode_fields);
const struct fmt_mf_fields fmt_mf_snapshot = FMT_MF_FIELDS(snapshot_fields);
const struct fmt_mf_fields fmt_mf_replica = FMT_MF_FIELDS(replica_fields);
const struct fmt_mf_fields fmt_mf_present = FMT_MF_FIELDS(present_fields);
const struct fmt_mf_fields fmt_mf_coords = FMT_MF_FIELDS(coords_fields);
const struct fmt_mf_fields fmt_mf_file = FMT_MF_FIELDS(file_fields);
const struct fmt_mf_fields fmt_mf_object = FMT_MF_FIELDS(object_fields);
const struct fmt_mf_fields fmt_mf_account = FMT_MF_FIELDS(account_fields);
const struct fmt_mf_fields fmt_mf_table = FMT_MF_FIELDS(table_fields);
const struct fmt_mf_fields fmt_mf_column = FMT_MF_FIELDS(column_fields);
const struct fmt_mf_fields fmt_mf_chunk = FMT_MF_FIELDS(chunk_fields);

/* ---- helpers shared by writing and reading ----------------------------- */

void fmt_mf_free_fields(const struct fmt_mf_fields *fs, void *base)
{
    for (size_t i = 0; i < fs->n; i++) {
        if (fmt_mf_is_str(fs->f[i].type)) {
            char **s = fmt_mf_at(&fs->f[i], base);

            free(*s);
            *s = NULL;
        }
    }
}

int fmt_mf_plain_name(const char *s)
{
    return *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

int fmt_mf_lower_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    return strspn(s, "0123456789abcdef") == n;
}

void fmt_mf_sub_path(char *out, const char *path, const char *key, long idx)
{
    if (!key)
        snprintf(out, FMT_MF_PATH_LEN, "%s", path);
    else if (idx >= 0)
        snprintf(out, FMT_MF_PATH_LEN, "%s%s%s[%ld]", path, *path ? "." : "", key, idx);
    else
        snprintf(out, FMT_MF_PATH_LEN, "%s%s%s", path, *path ? "." : "", key);
}

int fmt_mf_nomem(struct cs_error *err, const char *name)
{
    return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory", name);
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

static void free_items(void *items, size_t n, size_t size, const struct fmt_mf_fields *fs)
{
    for (size_t i = 0; items && i < n; i++)
        fmt_mf_free_fields(fs, (char *)items + i * size);
    free(items);
}

static void free_table(struct fmt_table *t)
{
    fmt_mf_free_fields(&fmt_mf_table, t);
    free_items(t->columns, t->ncolumns, sizeof(*t->columns), &fmt_mf_column);
    free_strv(t->key, t->nkey);
    for (size_t i = 0; t->chunks && i < t->nchunks; i++)
        fmt_chunk_release(&t->chunks[i]);
    free(t->chunks);
}

void fmt_manifest_free(struct fmt_manifest *m)
{
    /* every table of fields whose base is the manifest itself */
    static const struct fmt_mf_fields *const own[] = {
        &fmt_mf_head,      &fmt_mf_source,   &fmt_mf_time,   &fmt_mf_options,
        &fmt_mf_snap_mode, &fmt_mf_snapshot, &fmt_mf_replica};

    if (!m)
        return;
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        fmt_mf_free_fields(own[i], m);
    fmt_mf_free_fields(&fmt_mf_coords, &m->coords);
    fmt_mf_free_fields(&fmt_mf_coords, &m->replica_of);
    free_strv(m->proof, m->nproof);
    free_items(m->objects, m->nobjects, sizeof(*m->objects), &fmt_mf_object);
    free_items(m->files, m->nfiles, sizeof(*m->files), &fmt_mf_file);
    free_items(m->accounts, m->naccounts, sizeof(*m->accounts), &fmt_mf_account);
    free_strv(m->not_dumped, m->nnot_dumped);
    free_strv(m->whole_schemas, m->nwhole_schemas);
    for (size_t i = 0; m->tables && i < m->ntables; i++)
        free_table(&m->tables[i]);
    free(m->tables);
    free(m);
}

void fmt_chunk_release(struct fmt_chunk *c)
{
    if (!c)
        return;
    fmt_mf_free_fields(&fmt_mf_chunk, c);
    fmt_bound_free(c->lo);
    fmt_bound_free(c->hi);
    free(c->v1_lower);
    free(c->v1_upper);
    c->lo = c->hi = NULL;
    c->v1_lower = c->v1_upper = NULL;
}

static int dup_opt(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return !src || *dst ? 0 : -1;
}

int fmt_chunk_copy(struct fmt_chunk *dst, const struct fmt_chunk *src)
{
    *dst = *src;
    dst->file = NULL;
    dst->lo = fmt_bound_dup(src->lo);
    dst->hi = fmt_bound_dup(src->hi);
    dst->v1_lower = dst->v1_upper = NULL;
    if (dup_opt(&dst->file, src->file) < 0 || (src->lo && !dst->lo) || (src->hi && !dst->hi) ||
        dup_opt(&dst->v1_lower, src->v1_lower) < 0 || dup_opt(&dst->v1_upper, src->v1_upper) < 0) {
        fmt_chunk_release(dst);
        return -1;
    }
    return 0;
}

/* ---- growing the arrays ----------------------------------------------- */

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

int fmt_table_size_chunks(struct fmt_table *t, size_t n)
{
    size_t want = n > t->nchunks ? n : t->nchunks;
    void *p;

    if (want == t->chunks_cap)
        return 0;
    p = realloc(t->chunks, (want ? want : 1) * sizeof(*t->chunks));
    if (!p)
        return want > t->chunks_cap ? -1 : 0; /* a smaller block is a wish, not a need */
    t->chunks = p;
    t->chunks_cap = want;
    return 0;
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

uint64_t fmt_table_raw_bytes(const struct fmt_table *t)
{
    uint64_t raw = 0;

    for (size_t k = 0; k < t->nchunks; k++)
        raw += t->chunks[k].raw_bytes;
    return raw;
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

int fmt_manifest_add_whole_schema(struct fmt_manifest *m, const char *schema)
{
    return m ? add_str(&m->whole_schemas, &m->nwhole_schemas, &m->whole_schemas_cap, schema) : -1;
}

int fmt_manifest_schema_whole(const struct fmt_manifest *m, const char *schema)
{
    for (size_t i = 0; m && i < m->nwhole_schemas; i++)
        if (!strcmp(m->whole_schemas[i], schema))
            return 1;
    return 0;
}

int fmt_manifest_subset(const struct fmt_manifest *m)
{
    if (m->subset)
        return 1;
    for (size_t i = 0; i < m->ntables; i++)
        if (m->tables[i].where)
            return 1;
    return 0;
}

void fmt_manifest_keep(struct fmt_manifest *m, const unsigned char *keep_tables,
                       const unsigned char *keep_objects)
{
    size_t n = 0;

    for (size_t i = 0; i < m->ntables; i++) {
        if (!keep_tables[i]) {
            free_table(&m->tables[i]);
            continue;
        }
        if (n != i)
            m->tables[n] = m->tables[i];
        n++;
    }
    m->ntables = n;
    n = 0;
    for (size_t i = 0; i < m->nobjects; i++) {
        if (!keep_objects[i]) {
            fmt_mf_free_fields(&fmt_mf_object, &m->objects[i]);
            continue;
        }
        if (n != i)
            m->objects[n] = m->objects[i];
        n++;
    }
    m->nobjects = n;
}
