/*
 * compat.h - cross-flavor loads: a MySQL dump into MariaDB, a MariaDB dump
 * into MySQL, translated by one table-driven policy (README "Cross-flavor
 * loads" lists it; the tables are in compat_policy.c and compat_ddl.c):
 *
 *   rewritten  collations the target lacks -> the closest it has;
 *              MySQL's executable comments MariaDB skips (INVISIBLE columns
 *              and indexes, SRID n -> REF_SYSTEM_ID=n, ENCRYPTION='N');
 *              MariaDB's IGNORED index -> INVISIBLE, DEFAULT f() ->
 *              DEFAULT (f()); sql_mode words the target lacks dropped
 *   noted      JSON as MariaDB's LONGTEXT JSON, VECTOR as is
 *   refused    anything else the target would reject or silently ignore,
 *   (or flag)  unless a --compat word allows a named loss:
 *              skip-functional-indexes, skip-vector-indexes,
 *              drop-system-versioning, mariadb-types-as-text
 *
 * Statements are rewritten on their tokens (load/sqltok.h), never by string
 * replacement: identifiers, string literals and comments are left alone.
 * The whole dump is checked up front (load_compat_prepare): every refusal
 * is reported, naming the object and the flag, before the target is
 * touched.  A same-flavor load gets a plan that changes nothing: every
 * statement is sent byte for byte as the dump has it.
 *
 * The rewriter (load_compat_rewrite) and the name tables are pure and
 * thread-safe; a plan is built by the coordinator and read-only after.
 */
#ifndef LOAD_COMPAT_H
#define LOAD_COMPAT_H

#include <stddef.h>

#include "common/buf.h"
#include "common/conn.h"
#include "common/log.h"
#include "format/manifest.h"
#include "load/config.h"
#include "load/input.h"
#include "load/session.h"

enum load_compat_dir { LOAD_COMPAT_SAME = 0, LOAD_COMPAT_TO_MARIADB, LOAD_COMPAT_TO_MYSQL };

/* --compat words (bits of load_config.compat). */
enum {
    LOAD_COMPAT_SKIP_FUNCTIONAL_INDEXES = 1u << 0,
    LOAD_COMPAT_SKIP_VECTOR_INDEXES = 1u << 1,
    LOAD_COMPAT_DROP_SYSTEM_VERSIONING = 1u << 2,
    LOAD_COMPAT_MARIADB_TYPES_AS_TEXT = 1u << 3,
};

/* "word[,word...]" ORed into *flags; an unknown word is CS_ERR_USAGE. */
int load_compat_parse_flags(const char *list, unsigned *flags, struct cs_error *err);
/* "--compat skip-functional-indexes" for the one bit FLAG. */
const char *load_compat_flag_option(unsigned flag);

/* What the rewrite is for.  Versions as 80023 (major*10000+minor*100+patch). */
struct load_compat_policy {
    enum load_compat_dir dir;
    unsigned long source_version, target_version;
    unsigned flags;
    char *const *collations; /* what the target has, sorted (strcmp) */
    size_t ncollations;
};

/* Messages, malloc'd; FAILED: one could not be kept (out of memory), so
 * the list must not be trusted. */
struct load_compat_list {
    char **v;
    size_t n;
    int failed;
};

void load_compat_list_add(struct load_compat_list *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void load_compat_list_release(struct load_compat_list *l);

/* ---- the policy's name tables (compat_policy.c) ---------------------------- */

/* The collation to use for NAME on the target: NAME itself when the target
 * has it, the closest candidate it has (*why says what differs), or NULL
 * when none. */
const char *load_compat_collation(const struct load_compat_policy *p, const char *name, char *buf,
                                  size_t size, const char **why);
/* MODE translated into OUT: words the target lacks dropped (CHANGES says
 * which and why).  OBJECT: the mode a routine, trigger or event was created
 * under: a word whose loss would change what its body does is refused
 * (REFUSALS), and the fractional-seconds default is made explicit. */
void load_compat_sql_mode(const struct load_compat_policy *p, const char *mode, int object,
                          struct cs_buf *out, struct load_compat_list *changes,
                          struct load_compat_list *refusals);

/* ---- one statement (compat_ddl.c) ------------------------------------------- */

enum load_compat_kind { LOAD_COMPAT_STATEMENT = 0, LOAD_COMPAT_TABLE };

struct load_compat_result {
    char *text;                      /* the statement to run */
    struct load_compat_list changes; /* "column `p`: ... -> ..." */
    struct load_compat_list refusals;
};

/* Rewrites TEXT (a CREATE TABLE for LOAD_COMPAT_TABLE; a database, view,
 * routine, trigger or event for STATEMENT); BACKSLASH: written with
 * backslash escapes.  -1 only when out of memory. */
int load_compat_rewrite(const struct load_compat_policy *p, enum load_compat_kind kind,
                        const char *text, int backslash, struct load_compat_result *out);
void load_compat_result_release(struct load_compat_result *r);
/* A sql chunk's header "SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='...'" (in
 * its executable comment) with the mode translated: *out malloc'd; NULL
 * for any other statement or when nothing changes.  -1: out of memory. */
int load_compat_chunk_rewrite(const struct load_compat_policy *p, const char *stmt, size_t len,
                              char **out);

/* ---- the plan of one load (compat.c) ---------------------------------------- */

struct load_compat;

/* Compares the dump's flavor with the target's.  Across flavors: reads
 * what collations the target has (C), checks and translates every DDL file
 * of the dump and M's session settings (sql_mode, objects' collations, in
 * place), lists the changes, and fails when anything is refused (each
 * refusal logged first).  Sends nothing that changes the target. */
int load_compat_prepare(struct load_compat **out, struct cs_conn *c, const struct load_config *cfg,
                        struct load_input *in, struct fmt_manifest *m, const struct load_target *t,
                        struct cs_error *err);
/* The same translation of M's session settings again (a stream's final
 * manifest). */
int load_compat_manifest(const struct load_compat *k, struct fmt_manifest *m, struct cs_error *err);
/* *TEXT (malloc'd, read from the dump) replaced by what the target runs. */
int load_compat_table_ddl(const struct load_compat *k, char **text, struct cs_error *err);
int load_compat_object_ddl(const struct load_compat *k, const struct fmt_object *o, char **text,
                           struct cs_error *err);
/* load_compat_chunk_rewrite for this load (K may be NULL). */
int load_compat_chunk_stmt(const struct load_compat *k, const char *stmt, size_t len, char **out,
                           struct cs_error *err);
/* Every change as a journal row ("compat:<object>:<n>" with its text). */
int load_compat_record(const struct load_compat *k, struct cs_conn *c, const char *dump_id,
                       struct cs_error *err);
/* The changes, for the load summary. */
void load_compat_summary(const struct load_compat *k, const struct cs_log *log);
void load_compat_free(struct load_compat *k); /* NULL-safe */

#endif
