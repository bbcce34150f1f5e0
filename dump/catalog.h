/*
 * catalog.h - what will be dumped: schemas, tables (columns, types, chunking
 * key, engine, size), views, routines, triggers, events, after filters.
 *
 * Read from information_schema on one connection while DDL is blocked (or
 * before the DDL check that runs at the end).  The catalog owns all its
 * memory; dump_catalog_free() releases it.  Read-only once built, so workers
 * may share it.
 */
#ifndef DUMP_CATALOG_H
#define DUMP_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "common/conn.h"
#include "common/version.h"
#include "dump/config.h"
#include "format/coltype.h"
#include "format/manifest.h"

struct dump_column {
    char *name;
    char *type;       /* COLUMN_TYPE */
    char *data_type;  /* DATA_TYPE */
    char *charset;    /* CHARACTER_SET_NAME or NULL */
    char *collation;  /* COLLATION_NAME or NULL */
    enum fmt_col_kind kind;
    int generated;    /* VIRTUAL/STORED generated: not dumped */
    int period;       /* system-versioning ROW START/END: not dumped */
    int is_int;       /* integer type, usable for range chunking */
    int is_unsigned;
};

struct dump_table {
    char *schema;
    char *name;
    char *engine;
    int transactional;
    int versioned;     /* MariaDB system-versioned: history is not dumped */
    uint64_t est_rows;
    uint64_t data_bytes;
    struct dump_column *cols;
    size_t ncols;
    size_t *key;       /* indexes into cols of the chunking key */
    size_t nkey;
};

struct dump_object {
    enum fmt_object_kind kind;
    char *schema;
    char *name;
    char *table;       /* triggers */
};

struct dump_account {
    char *user;
    char *host;        /* "" for a MariaDB role */
    int role;          /* a MariaDB role, or a MySQL account granted as a role */
};

struct dump_catalog {
    char **schemas;
    size_t nschemas;
    struct dump_table *tables;
    size_t ntables;
    struct dump_object *objects;
    size_t nobjects;
    int users;                     /* accounts are dumped (maybe none) */
    struct dump_account *accounts; /* roles first */
    size_t naccounts;
    char **not_dumped;             /* what --allow-missing left out */
    size_t nnot_dumped;
};

int dump_catalog_read(struct cs_conn *conn, const struct dump_config *cfg,
                      const struct cs_version *v, struct dump_catalog **out,
                      struct cs_error *err);
void dump_catalog_free(struct dump_catalog *cat);
/* A line for the manifest's not_dumped list (copied); -1 out of memory. */
int dump_catalog_not_dumped(struct dump_catalog *cat, const char *what);
/* Removes the tables and objects whose DROP_TABLES[i] / DROP_OBJECTS[i] is set. */
void dump_catalog_prune(struct dump_catalog *cat, const unsigned char *drop_tables,
                        const unsigned char *drop_objects);
/* Adds account USER@HOST (copied); -1 out of memory. */
int dump_catalog_add_account(struct dump_catalog *cat, const char *user, const char *host,
                             int role);

/* 1 if schema S is a system schema (mysql, sys, information_schema, performance_schema). */
int dump_catalog_is_system_schema(const char *s);
/* A fingerprint of the dumped tables' definitions, to detect DDL during the dump. */
int dump_catalog_fingerprint(struct cs_conn *conn, const struct dump_catalog *cat,
                             char out[17], struct cs_error *err);

/* How many of CAT's tables are not transactional (MyISAM, Aria, ...). */
size_t dump_catalog_count_nontrx(const struct dump_catalog *cat);

#endif
