/*
 * manifest_int.h - private to the manifest module (format/manifest*.c).
 *
 * The module is four files sharing this header:
 *   manifest.c        the JSON layout's reference, the field tables, the
 *                     in-memory model (new/free/add, names);
 *   manifest_write.c  the model to JSON (manifest, coordinates, chunk meta),
 *                     one chunk's tree at a time spliced into the text;
 *   manifest_read.c   JSON to the model, every field validated, each kind of
 *                     bad field with its own message;
 *   manifest_walk.c   the manifest's text walked (format/jsonwalk.h), in
 *                     memory or from a source: one chunk's tree at a time.
 *
 * Each JSON object is described by a table of typed field descriptors (key,
 * type, offset).  A descriptor is made by the macro of its type, which checks
 * at compile time that the struct member has exactly that C type: a field
 * described with the wrong type or width does not compile, it is never read
 * or written through the wrong width.  For example
 *
 *     MF_U64("file", struct fmt_chunk, file),
 *
 * (file is a char *) stops the build with
 *
 *     static assertion failed: "manifest field file is not uint64_t"
 *
 * (tests/unit/bad_manifest_field.c holds that and other wrong descriptors;
 * ctest's unit/manifest_field_types/N check that each one fails to compile
 * with its message, and .../good that the right ones compile).
 *
 * Adding a scalar field to a JSON object is one descriptor line in its table
 * in manifest.c (writing, reading, validating and freeing follow from it);
 * a new array of objects is a new table, its grow function in manifest.c
 * and one call each in free, write (put_items) and read (get_items and
 * read_each).  The tables are const and the module keeps no state:
 * thread-safety is the public header's.  Symbols are fmt_mf_*.
 */
#ifndef FMT_MANIFEST_INT_H
#define FMT_MANIFEST_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "format/manifest.h"

#define FMT_MF_PATH_LEN 128 /* a field's path in messages, "tables[3].chunks[0].rows" */

enum fmt_mf_type {
    MF_T_STR,      /* char *, required */
    MF_T_NSTR,     /* char *, null when NULL */
    MF_T_OSTR,     /* char *, key omitted when NULL */
    MF_T_FILE,     /* char *, a plain file name */
    MF_T_U64,      /* uint64_t, below 2^63 */
    MF_T_U64_OPT,  /* uint64_t, 0 when absent (added after version 1 shipped) */
    MF_T_U64_NZ,   /* uint64_t, 0 when absent; not written when 0 */
    MF_T_U32,      /* uint32_t */
    MF_T_UINT,     /* unsigned */
    MF_T_INT,      /* int */
    MF_T_BOOL,     /* int, true/false */
    MF_T_BOOL_OPT, /* int, false when absent (added in version 2) */
    MF_T_DOUBLE,   /* double */
    MF_T_HEX,      /* char[width + 1]: width lowercase hex digits */
    MF_T_HEX_OPT,  /* the same, "" when absent; not written when "" */
    MF_T_ENUM,     /* an int-sized enum, named by name(0..count-1) */
    MF_T_COUNT
};

struct fmt_mf_field {
    const char *key;
    enum fmt_mf_type type;
    size_t off;
    size_t width;             /* MF_T_HEX */
    const char *(*name)(int); /* MF_T_ENUM */
    int count;                /* MF_T_ENUM */
};

/* A table of fields: one JSON object, or the part of one. */
struct fmt_mf_fields {
    const struct fmt_mf_field *f;
    size_t n;
};

/* clang-format off */
#define FMT_MF_FIELDS(a) {a, sizeof(a) / sizeof((a)[0])}

/* 0, and a compile error with MSG unless COND (an integer constant). */
#define MF_ASSERT_(cond, msg)                                                                      \
    (0 * sizeof(struct {                                                                           \
         int ok_;                                                                                  \
         _Static_assert(cond, msg);                                                                \
     }))

/* 0, and a compile error unless &S.M has exactly the pointer type PT. */
#define MF_CHECK_(S, m, PT, what)                                                                  \
    MF_ASSERT_(_Generic(&((S *)0)->m, PT: 1, default: 0), "manifest field " #m " is not " what)

#define MF_FIELD_(k, t, S, m, PT, what, w)                                                         \
    {k, t, offsetof(S, m) + MF_CHECK_(S, m, PT, what), w, NULL, 0}

/* One macro per field type: KEY, the struct S, its member M. */
#define MF_STR(k, S, m) MF_FIELD_(k, MF_T_STR, S, m, char **, "char *", 0)
#define MF_NSTR(k, S, m) MF_FIELD_(k, MF_T_NSTR, S, m, char **, "char *", 0)
#define MF_OSTR(k, S, m) MF_FIELD_(k, MF_T_OSTR, S, m, char **, "char *", 0)
#define MF_FILE(k, S, m) MF_FIELD_(k, MF_T_FILE, S, m, char **, "char *", 0)
#define MF_U64(k, S, m) MF_FIELD_(k, MF_T_U64, S, m, uint64_t *, "uint64_t", 0)
#define MF_U64_OPT(k, S, m) MF_FIELD_(k, MF_T_U64_OPT, S, m, uint64_t *, "uint64_t", 0)
#define MF_U64_NZ(k, S, m) MF_FIELD_(k, MF_T_U64_NZ, S, m, uint64_t *, "uint64_t", 0)
#define MF_U32(k, S, m) MF_FIELD_(k, MF_T_U32, S, m, uint32_t *, "uint32_t", 0)
#define MF_UINT(k, S, m) MF_FIELD_(k, MF_T_UINT, S, m, unsigned *, "unsigned", 0)
#define MF_INT(k, S, m) MF_FIELD_(k, MF_T_INT, S, m, int *, "int", 0)
#define MF_BOOL(k, S, m) MF_FIELD_(k, MF_T_BOOL, S, m, int *, "int", 0)
#define MF_BOOL_OPT(k, S, m) MF_FIELD_(k, MF_T_BOOL_OPT, S, m, int *, "int", 0)
#define MF_DOUBLE(k, S, m) MF_FIELD_(k, MF_T_DOUBLE, S, m, double *, "double", 0)
/* W lowercase hex digits in a char[W + 1]; W an integer constant. */
#define MF_HEX(k, S, m, w) MF_FIELD_(k, MF_T_HEX, S, m, char (*)[(w) + 1], "char[" #w " + 1]", w)
#define MF_HEX_OPT(k, S, m, w)                                                                     \
    MF_FIELD_(k, MF_T_HEX_OPT, S, m, char (*)[(w) + 1], "char[" #w " + 1]", w)
/* A member of enum type E (stored as an int), named by FN(0..N-1). */
#define MF_ENUM(k, S, m, E, fn, n)                                                                 \
    {k, MF_T_ENUM,                                                                                 \
     offsetof(S, m) + MF_CHECK_(S, m, E *, #E) +                                                   \
         MF_ASSERT_(sizeof(E) == sizeof(int), "manifest field " #m ": " #E " is not int-sized"),   \
     0, fn, n}

/* clang-format on */

/* The field tables (manifest.c); the JSON layout is described there. */
extern const struct fmt_mf_fields fmt_mf_head;      /* top level, before "source" */
extern const struct fmt_mf_fields fmt_mf_source;    /* "source" */
extern const struct fmt_mf_fields fmt_mf_time;      /* top level, after "source" */
extern const struct fmt_mf_fields fmt_mf_options;   /* "options" */
extern const struct fmt_mf_fields fmt_mf_snap_mode; /* "snapshot", also in coordinates.json */
extern const struct fmt_mf_fields fmt_mf_snapshot;  /* "snapshot", after fmt_mf_snap_mode */
extern const struct fmt_mf_fields fmt_mf_replica;   /* "replica_of", after the coordinates */
extern const struct fmt_mf_fields fmt_mf_present;   /* a COORDS' "present", read first */
extern const struct fmt_mf_fields fmt_mf_coords;    /* the rest of a COORDS */
extern const struct fmt_mf_fields fmt_mf_file;      /* "files"[] */
extern const struct fmt_mf_fields fmt_mf_account;   /* "accounts"[] (optional) */
extern const struct fmt_mf_fields fmt_mf_object;    /* "objects"[] */
extern const struct fmt_mf_fields fmt_mf_table;     /* "tables"[], before its arrays */
extern const struct fmt_mf_fields fmt_mf_column;    /* "tables"[]."columns"[] */
extern const struct fmt_mf_fields fmt_mf_chunk;     /* "tables"[]."chunks"[] */

/* The member a field describes in the struct at BASE. */
static inline void *fmt_mf_at(const struct fmt_mf_field *f, void *base)
{
    return (char *)base + f->off;
}

static inline const void *fmt_mf_cat(const struct fmt_mf_field *f, const void *base)
{
    return (const char *)base + f->off;
}

/* A char * member, which may be NULL. */
static inline int fmt_mf_is_str(enum fmt_mf_type t)
{
    return t == MF_T_STR || t == MF_T_NSTR || t == MF_T_OSTR || t == MF_T_FILE;
}

/* Absent or null reads as NULL / 0. */
static inline int fmt_mf_optional(enum fmt_mf_type t)
{
    return t == MF_T_NSTR || t == MF_T_OSTR || t == MF_T_U64_OPT || t == MF_T_U64_NZ ||
           t == MF_T_BOOL_OPT || t == MF_T_HEX_OPT;
}

/* Free the string members of BASE that FS describes (set to NULL). */
void fmt_mf_free_fields(const struct fmt_mf_fields *fs, void *base);
/* Non-empty, no '/', not "." or "..". */
int fmt_mf_plain_name(const char *s);
/* S is exactly N lowercase hex digits. */
int fmt_mf_lower_hex(const char *s, size_t n);
/* OUT (FMT_MF_PATH_LEN) = "PATH.KEY[IDX]" (no index when IDX < 0; just PATH
 * when KEY is NULL). */
void fmt_mf_sub_path(char *out, const char *path, const char *key, long idx);
/* CS_ERR_NOMEM "NAME: out of memory"; returns -1. */
int fmt_mf_nomem(struct cs_error *err, const char *name);

/* ---- reading (manifest_read.c, manifest_walk.c) ------------------------- */

struct json_t;
struct fmt_jsonwalk;

/* What a reader reads from, for its messages. */
struct fmt_mf_rd {
    const char *name; /* for messages: the file */
    struct cs_error *err;
    int version;            /* the manifest's format_version; 0: a chunk meta, either form */
    struct fmt_jsonwalk *w; /* the manifest's text (not for a chunk meta) */
    size_t tables_at;       /* where its "tables" array starts; 0: it has none */
    int tables_read;        /* they were read with the top level (streamed) */
};

/* CODE "NAME: field PATH.KEY: FMT..."; returns -1. */
__attribute__((format(printf, 5, 6))) int fmt_mf_rfail(const struct fmt_mf_rd *rd, int code,
                                                       const char *path, const char *key,
                                                       const char *fmt, ...);
/* manifest_read.c: a table's object O but its chunks (HAS_CHUNKS: they
 * were an array; else the error for what "chunks" is), a chunk's object,
 * the format version of ROOT, and the whole manifest from ROOT (the top
 * level without "tables", which fmt_mf_read_tables reads). */
int fmt_mf_read_table_head(const struct fmt_mf_rd *rd, struct json_t *o, const char *path,
                           struct fmt_table *t, int has_chunks);
int fmt_mf_read_chunk(const struct fmt_mf_rd *rd, struct json_t *o, const char *path,
                      struct fmt_chunk *c);
int fmt_mf_read_version(struct fmt_mf_rd *rd, struct json_t *root, struct fmt_manifest *m);
int fmt_mf_read_manifest(struct fmt_mf_rd *rd, struct json_t *root, struct fmt_manifest *m);
/* manifest_walk.c: the "tables" array at RD->tables_at, one table and one
 * chunk at a time, into M. */
int fmt_mf_read_tables(const struct fmt_mf_rd *rd, struct fmt_manifest *m);

#endif
