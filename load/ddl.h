/*
 * ddl.h - CREATE TABLE with secondary indexes and foreign keys deferred.
 *
 * Works on SHOW CREATE TABLE output (one definition per line): lines
 * "  KEY", "  UNIQUE KEY", "  FULLTEXT KEY", "  SPATIAL KEY" (and their
 * INDEX spellings) become "ADD ..." clauses for one ALTER TABLE after the
 * data, "  CONSTRAINT ... FOREIGN KEY" lines become clauses for the foreign
 * key phase; the PRIMARY KEY always stays, and so does the first index whose
 * first column is the AUTO_INCREMENT column (the server requires it).  The
 * comma of the line before a removed last definition is removed too.
 * Modes: all (secondary indexes + foreign keys deferred), fulltext (only
 * FULLTEXT indexes + foreign keys), none (nothing).  Pure, thread-safe.
 */
#ifndef LOAD_DDL_H
#define LOAD_DDL_H

#include <stddef.h>

#include "common/error.h"

enum load_defer { LOAD_DEFER_ALL = 0, LOAD_DEFER_FULLTEXT, LOAD_DEFER_NONE, LOAD_DEFER_AUTO };

/* Tables with less raw data than this keep their secondary indexes in the
 * CREATE TABLE under LOAD_DEFER_AUTO: an ALTER TABLE ... ADD KEY costs
 * 10-25 ms even on an empty table (measured, MariaDB 10.11), while the rows
 * of a small table go into a few in-memory index pages either way. */
#define LOAD_DDL_INLINE_BELOW (16u << 20)

/* The split mode for one table of RAW_BYTES under the configured MODE:
 * AUTO is ALL for big tables, FULLTEXT (regular secondary indexes kept,
 * FULLTEXT and foreign keys deferred) for small ones; other modes as given. */
enum load_defer load_ddl_mode_for(enum load_defer mode, unsigned long long raw_bytes);

struct load_ddl_split {
    char *create;   /* the CREATE TABLE to run first */
    char **indexes; /* "ADD KEY `k` (`a`)", ... */
    size_t nindexes;
    char **fks;     /* "ADD CONSTRAINT `fk` FOREIGN KEY ...", ... */
    size_t nfks;
};

int load_ddl_split(const char *create_table, enum load_defer mode, struct load_ddl_split *out,
                   struct cs_error *err);
void load_ddl_split_release(struct load_ddl_split *s);
/* The index or constraint name of a clause ("ADD UNIQUE KEY `a``b` (...)" -> "a`b"),
 * malloc'd; NULL when it has none. */
char *load_ddl_clause_name(const char *clause);
/* "ALTER TABLE `db`.`t` clause1, clause2" (malloc'd). */
char *load_ddl_alter(const char *schema, const char *table, char *const *clauses, size_t n);

#endif
