/*
 * manifest.h - DIR/manifest.json: what a dump holds and how it was taken.
 *
 * Written last and atomically by csdump; a dump without it is incomplete.
 * Read by csload and csload --check.  JSON through jansson.  The in-memory
 * form owns all its strings (malloc'd); fmt_manifest_free() releases
 * everything.  Built by one thread (the dump coordinator adds chunks as
 * workers report them), read-only afterwards.
 *
 * Format version FMT_MANIFEST_VERSION (2: typed chunk bounds); a reader
 * refuses a newer version with CS_ERR_VERSION ("made by a newer csdump
 * ...") and still reads version 1 (bounds as SQL text: v1_lower/v1_upper).
 *
 * Memory: the model holds one compact record per chunk (struct fmt_chunk:
 * fixed-size hex fields, the file name and the typed bounds) and nothing
 * else per chunk.  Neither side ever builds the JSON tree of a table's
 * chunks: the writer serializes each chunk's object on its own and splices
 * the texts into its table's text, each table's into the manifest's (the
 * bytes are exactly json_dumps' of the whole tree), into a sink a megabyte
 * at a time; the reader walks the text (format/jsonwalk.h), parsing the
 * top level and each table member by member and each chunk as its own
 * small tree, turned into its fmt_chunk and freed -- from a source through
 * a 64 KiB window (fmt_manifest_read_source, fmt_manifest_read), so the
 * text is not held whole either when "format_version" comes before
 * "tables", as csdump writes it (else the tables are kept in the window
 * until the version is known).  Members may come in any order; duplicate
 * keys are refused at every level, as json_loadb would.
 */
#ifndef FMT_MANIFEST_H
#define FMT_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "format/bound.h"
#include "format/coltype.h"

#define FMT_MANIFEST_VERSION 2
#define FMT_MANIFEST_NAME "manifest.json"
#define FMT_COORDS_NAME "coordinates.json"
#define FMT_CATALOG_NAME "catalog.json" /* an archive's early manifest, without chunks */
#define FMT_CATALOG_SIG_NAME "catalog.sig" /* its signature (signed dumps, format/sign.h) */

enum fmt_data_format { FMT_FORMAT_TSV = 0, FMT_FORMAT_SQL };
enum fmt_compress { FMT_COMPRESS_NONE = 0, FMT_COMPRESS_ZSTD };

struct fmt_column {
    char *name;
    char *type;            /* COLUMN_TYPE, e.g. "decimal(10,2) unsigned" */
    enum fmt_col_kind kind;
    uint64_t typed_values; /* mysql-json: values with type tags (format/jsonval.h) */
};

struct fmt_chunk {
    char *file;            /* name inside the dump */
    uint32_t index;        /* 0-based within its table */
    /* The key range (format/bound.h), one value per key column; NULL =
     * open.  csdump writes [lo, hi): lo closed, hi open. */
    struct fmt_bound *lo, *hi;
    /* Format version 1 only: the bounds as csdump 1 wrote them, SQL
     * literals "10, 'x'" (NULL = open).  Never sent anywhere: csload turns
     * them into LO/HI (load/bounds_v1.h) or refuses the dump. */
    char *v1_lower, *v1_upper;
    uint64_t rows;
    uint64_t raw_bytes;    /* encoded, before compression */
    uint64_t file_bytes;   /* bytes in the file */
    char file_hash[33];    /* XXH3-128 of the file bytes, hex */
    char sha256[65];       /* SHA-256 of the file bytes, hex; "" unless signed */
    char checksum[17];     /* fmt_checksum of the rows, hex */
    uint64_t typed_values; /* mysql-json values with type tags: no LOAD DATA */
};

struct fmt_table {
    char *schema;
    char *name;
    char *engine;
    char *ddl_file;        /* CREATE TABLE, name inside the dump */
    char *row_format_note; /* e.g. "system-versioned: history not dumped"; may be NULL */
    struct fmt_column *columns;   /* dumped columns (generated ones excluded) */
    size_t ncolumns;
    char **key;            /* chunking key columns, NULL/0 = no usable key */
    size_t nkey;
    int transactional;     /* 0 for MyISAM/Aria/MEMORY... */
    uint64_t rows;         /* sum of chunk rows */
    uint64_t max_row_bytes;/* the longest row as encoded (0 = unknown) */
    char *where;           /* the csdump --where condition its rows were read with;
                            * NULL = all rows.  Untrusted on load: never sent */
    uint64_t est_rows;     /* the source's row estimate at the dump (0 = none): progress */
    struct fmt_chunk *chunks;
    size_t nchunks;
    size_t chunks_cap;     /* private to manifest.c: allocated chunks */
};

enum fmt_object_kind {
    FMT_OBJ_DATABASE = 0,
    FMT_OBJ_VIEW,
    FMT_OBJ_PROCEDURE,
    FMT_OBJ_FUNCTION,
    FMT_OBJ_TRIGGER,
    FMT_OBJ_EVENT,
    FMT_OBJ_SEQUENCE,      /* MariaDB; a reader before it refuses such a dump */
    FMT_OBJ_KIND_COUNT
};

struct fmt_object {
    enum fmt_object_kind kind;
    char *schema;
    char *name;            /* the schema name again for FMT_OBJ_DATABASE */
    char *file;            /* DDL file inside the dump */
    char *table;           /* trigger's table; NULL otherwise */
    /* the session it was created in (routines, triggers, events, views);
     * each may be NULL */
    char *sql_mode;
    char *charset;         /* character_set_client */
    char *collation;       /* collation_connection */
    char *time_zone;       /* events */
    /* sequences: SETVAL(seq, next_value, 0, round) makes NEXTVAL go on where
     * the source was at the snapshot; decimal integers, NULL otherwise */
    char *next_value;
    char *round;
};

/* An account of the source (csdump --users).  Its file holds its
 * statements, each ending with ";\n": the CREATE USER (MySQL, and MariaDB
 * users) or CREATE ROLE (MariaDB roles), then GRANTS statements GRANT or
 * REVOKE as SHOW GRANTS gives them, then DEFAULT_ROLES statements SET
 * DEFAULT ROLE. */
enum fmt_account_kind { FMT_ACCOUNT_USER = 0, FMT_ACCOUNT_ROLE, FMT_ACCOUNT_KIND_COUNT };

struct fmt_account {
    enum fmt_account_kind kind;
    char *user;
    char *host;            /* "" for a MariaDB role */
    char *file;
    uint32_t grants;
    uint32_t default_roles;
};

/* A non-chunk file of the dump (DDL, coordinates.json) and its integrity. */
struct fmt_file {
    char *name;
    uint64_t bytes;
    char hash[33];         /* XXH3-128 of its bytes, hex */
    char sha256[65];       /* SHA-256 of its bytes, hex; "" unless signed */
};

struct fmt_coords {
    int present;           /* 0: the server had no binary log */
    char *binlog_file;     /* NULL when only the GTID position is known */
    uint64_t binlog_pos;
    char *gtid_set;        /* MySQL gtid_executed / MariaDB gtid_binlog_pos; may be "" */
    /* Why a file/position the server had is not usable (e.g. a replica's
     * applier position that lagged the snapshot); NULL when it is.  When set,
     * binlog_file is NULL and binlog_pos 0 -- written and read that way. */
    char *unusable;
};

struct fmt_manifest {
    int format_version;
    char *tool_version;
    char *dump_id;         /* 32 hex digits unique to this dump; NULL in older dumps */
    char *signed_by;       /* the signing key's id (format/sign.h); NULL unless signed */
    /* source */
    char *source_host;     /* the endpoint connected to (manifest.c) */
    unsigned source_port;
    char *source_socket;   /* NULL over TCP */
    char *source_hostname; /* @@hostname; NULL in older dumps */
    char *flavor;          /* "mysql" | "mariadb" */
    char *server_version;  /* the full version string */
    uint32_t server_id;
    char *server_uuid;     /* MySQL server_uuid; NULL on MariaDB */
    char *sql_mode;
    char *time_zone;       /* session time zone the data was read in */
    char *started_at;      /* ISO 8601 UTC */
    char *finished_at;
    /* options */
    enum fmt_data_format format;
    enum fmt_compress compress;
    int compress_level;
    unsigned threads;
    uint64_t chunk_rows;
    uint64_t chunk_bytes;
    int subset;            /* some tables' rows filtered by --where (their fmt_table.where) */
    int include_system;    /* taken with --include-system (false in version 1) */
    /* snapshot */
    char *lock_mode;       /* the mode actually used */
    int consistent;
    char *consistency_note;/* why not / how proven */
    double barrier_wait_ms;
    double barrier_hold_ms;
    char **proof;          /* per snapshot connection, e.g. "mysql-bin.000003:1234" */
    size_t nproof;
    size_t proof_cap;      /* private to manifest.c: allocated proof slots */
    struct fmt_coords coords;
    /* when the source is itself a replica, its source's coordinates */
    struct fmt_coords replica_of;
    char *replica_source_host;
    /* contents */
    struct fmt_object *objects;
    size_t nobjects;
    size_t objects_cap;    /* private to manifest.c: allocated objects */
    struct fmt_table *tables;
    size_t ntables;
    size_t tables_cap;     /* private to manifest.c: allocated tables */
    struct fmt_file *files;/* every other file but manifest.json */
    size_t nfiles;
    size_t files_cap;      /* private to manifest.c */
    /* accounts (csdump --users); none in older dumps */
    struct fmt_account *accounts;
    size_t naccounts;
    size_t accounts_cap;   /* private to manifest.c */
    int has_accounts;      /* the dump was asked for accounts (an empty list is then "none") */
    /* what csdump could not see or read and left out (--allow-missing),
     * one line each, e.g. "triggers of shop.orders (no TRIGGER privilege)" */
    char **not_dumped;
    size_t nnot_dumped;
    size_t not_dumped_cap; /* private to manifest.c */
    /* what the selection left out, for replication filters: HAS_SELECTION 0
     * in older dumps (unknown); PARTIAL: some schema, table or sequence of
     * the source is not in the dump; WHOLE_SCHEMAS: the dumped schemas that
     * hold every table and sequence the source had (the dump's other tables
     * are single tables of their schema) */
    int has_selection;
    int partial;
    char **whole_schemas;
    size_t nwhole_schemas;
    size_t whole_schemas_cap; /* private to manifest.c */
};

struct fmt_manifest *fmt_manifest_new(void);
void fmt_manifest_free(struct fmt_manifest *m); /* NULL-safe */

/* Growing the arrays; returned pointers are zeroed and owned by M.
 * They stay valid only until the next add to the same array. */
struct fmt_table *fmt_manifest_add_table(struct fmt_manifest *m);
struct fmt_object *fmt_manifest_add_object(struct fmt_manifest *m);
struct fmt_chunk *fmt_table_add_chunk(struct fmt_table *t);
/* Room for exactly max(N, nchunks) chunks in T (N 0: no room to spare):
 * 0, or -1 out of memory (T unchanged). */
int fmt_table_size_chunks(struct fmt_table *t, size_t n);
/* The raw (encoded, uncompressed) bytes of T's chunks. */
uint64_t fmt_table_raw_bytes(const struct fmt_table *t);
struct fmt_file *fmt_manifest_add_file(struct fmt_manifest *m);
struct fmt_account *fmt_manifest_add_account(struct fmt_manifest *m);
int fmt_manifest_add_proof(struct fmt_manifest *m, const char *proof);
int fmt_manifest_add_not_dumped(struct fmt_manifest *m, const char *what);
int fmt_manifest_add_whole_schema(struct fmt_manifest *m, const char *schema);
/* 1 if SCHEMA is one of M's whole_schemas. */
int fmt_manifest_schema_whole(const struct fmt_manifest *m, const char *schema);

/* Leaves in M only the tables and objects whose KEEP_TABLES[i] /
 * KEEP_OBJECTS[i] is set (in their order); the others are freed.  The
 * file list stays whole (csload --tables: the rest of the dump is still
 * the dump). */
void fmt_manifest_keep(struct fmt_manifest *m, const unsigned char *keep_tables,
                       const unsigned char *keep_objects);

/* 1 if the dump holds only some rows of some of its tables (csdump
 * --where): its "subset" flag, or any table with a "where" (a dump that
 * says one and not the other is read as a subset all the same). */
int fmt_manifest_subset(const struct fmt_manifest *m);

/* Serialize to JSON text (malloc'd, NUL-terminated). */
char *fmt_manifest_to_json(const struct fmt_manifest *m, struct cs_error *err);
struct fmt_sink;
/* The same text written into SINK a megabyte at a time, then SINK finished
 * (not freed): a dump of many tables never holds all of it. */
int fmt_manifest_write_sink(const struct fmt_manifest *m, struct fmt_sink *sink,
                            struct cs_error *err);
/* The length of that text, written to count it (e.g. for a tar header
 * before the text streams into the archive). */
int fmt_manifest_text_size(const struct fmt_manifest *m, uint64_t *size, struct cs_error *err);
/* Parse JSON text; NAME is used in messages.  Every required field is checked:
 * a missing or mistyped one is CS_ERR_FORMAT naming the field. */
struct fmt_manifest *fmt_manifest_from_json(const char *text, size_t len, const char *name,
                                            struct cs_error *err);
/* The same read from SRC (borrowed), after the HEAD_LEN bytes at HEAD
 * already read from it: at most MAX bytes, never held whole -- a window
 * of the text, when its "format_version" comes before its "tables" (as
 * csdump writes it); a read error of SRC is its own, prefixed with NAME. */
struct fmt_source;
struct fmt_manifest *fmt_manifest_read_source(const void *head, size_t head_len,
                                              struct fmt_source *src, size_t max,
                                              const char *name, struct cs_error *err);
/* Write DIR/manifest.json atomically (0600) / read it (as a stream). */
int fmt_manifest_write(const struct fmt_manifest *m, const char *dir, struct cs_error *err);
struct fmt_manifest *fmt_manifest_read(const char *dir, struct cs_error *err);

/* The early coordinates file: a small JSON with the snapshot's coordinates,
 * written the moment the snapshot is taken. */
char *fmt_coords_to_json(const struct fmt_manifest *m, struct cs_error *err);

/* A streamed archive carries each chunk's entry just before the chunk:
 * {"schema": ..., "table": ..., "chunk": {the chunk's manifest fields}}.
 * Its bounds are provisional: the manifest's are final. */
#define FMT_META_SUFFIX ".meta.json"
#define FMT_META_SIG_SUFFIX ".meta.sig" /* its signature in a signed stream (format/sign.h) */
char *fmt_chunk_meta_to_json(const char *schema, const char *table, const struct fmt_chunk *c,
                             struct cs_error *err);
int fmt_chunk_meta_from_json(const char *text, size_t len, const char *name, char **schema,
                             char **table, struct fmt_chunk *c, struct cs_error *err);
void fmt_chunk_release(struct fmt_chunk *c); /* its strings and bounds; NULL-safe */
/* DST = a deep copy of SRC (DST's old content is not freed): 0, or -1 out
 * of memory (DST then holds nothing). */
int fmt_chunk_copy(struct fmt_chunk *dst, const struct fmt_chunk *src);

const char *fmt_format_name(enum fmt_data_format f);        /* "tsv" | "sql" */
const char *fmt_object_kind_name(enum fmt_object_kind k);   /* "view", ... */
int fmt_object_kind_parse(const char *name);                /* -1 if unknown */
const char *fmt_account_kind_name(enum fmt_account_kind k); /* "user" | "role" */

#endif
