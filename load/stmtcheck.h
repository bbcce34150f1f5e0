/*
 * stmtcheck.h - a dump's DDL is untrusted input: every DDL file must hold
 * exactly the one statement its manifest entry says, and nothing else.
 *
 * The text is split into tokens (load/sqltok.h: quoting, comments, and
 * executable comments whose bodies count as code) and must be:
 *   database   CREATE DATABASE|SCHEMA [IF NOT EXISTS] name ...
 *   table      CREATE TABLE [IF NOT EXISTS] name ( ...
 *   view       CREATE [OR REPLACE] [ALGORITHM = x] [DEFINER = u] [SQL SECURITY x] VIEW name ...
 *   procedure / function
 *              CREATE [DEFINER = u] [AGGREGATE] PROCEDURE|FUNCTION name ...
 *   trigger    CREATE [DEFINER = u] TRIGGER name BEFORE|AFTER INSERT|UPDATE|DELETE ON table ...
 *   event      CREATE [DEFINER = u] EVENT name ...
 *   sequence   CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] name ...
 * where name is the manifest's object (optionally qualified by the
 * manifest's schema) and, for a trigger, table is the manifest's table.
 * One statement only: a ';' outside strings, comments and the BEGIN ... END
 * (IF, CASE, LOOP, WHILE, REPEAT) blocks of a routine, trigger or event
 * body may only end the text.  System schemas (mysql, sys,
 * performance_schema, information_schema) are refused unless both the dump
 * was taken with --include-system (the manifest's options.include_system)
 * and the load is given --include-system; the message says which is missing.  Anything else is refused naming the file and what was
 * found, before the target is touched.  Pure; thread-safe.
 */
#ifndef LOAD_STMTCHECK_H
#define LOAD_STMTCHECK_H

#include <stddef.h>

#include "common/error.h"
#include "format/manifest.h"
#include "load/input.h"

/* What a DDL file must be. */
struct load_stmt_expect {
    const char *file; /* for messages */
    int is_table;     /* CREATE TABLE (else KIND) */
    enum fmt_object_kind kind;
    const char *schema;
    const char *name;
    const char *table;    /* a trigger's table */
    const char *sql_mode; /* the session it was written in (backslash escapes), or NULL */
};

/* 0 when TEXT (LEN bytes) is the statement E says; -1 with CS_ERR_HOSTILE. */
int load_stmtcheck(const char *text, size_t len, const struct load_stmt_expect *e,
                   struct cs_error *err);
/* 1 for mysql, sys, performance_schema, information_schema (any case). */
int load_stmtcheck_system_schema(const char *schema);
/* Every table and object file of M read from IN and checked; system
 * schemas refused unless INCLUDE_SYSTEM and M->include_system.  Before
 * anything is written. */
int load_stmtcheck_dump(struct load_input *in, const struct fmt_manifest *m, int include_system,
                        struct cs_error *err);

/* One statement STMT (LEN bytes, no ';') of a sql chunk of table TB, from
 * FILE: 1 = a row INSERT to send -- INSERT INTO TB's schema and name (TB's
 * columns, in order) VALUES rows of constants (single-quoted strings,
 * numbers, hex, NULL, and the few words csdump's typed-JSON expressions
 * use), no executable comment; 0 = one of csdump's own header/footer SETs,
 * not to be sent (fmt_sql_is_frame); -1 = anything else, CS_ERR_HOSTILE
 * naming FILE and what was found.  Backslash escapes, as the load's
 * sessions use them.  Pure; thread-safe. */
int load_stmtcheck_chunk(const char *stmt, size_t len, const struct fmt_table *tb,
                         const char *file, struct cs_error *err);

#endif
