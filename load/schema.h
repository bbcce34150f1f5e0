/*
 * schema.h - the DDL side of a load, on the coordinator's connection:
 * conflicts with what the target already has (--if-exists), databases,
 * sequences, tables (secondary indexes and foreign keys deferred: load/ddl.h), and the
 * other objects (routines, views in dependency order, triggers, events),
 * each in the session it was created in.  Every DDL file is checked against
 * the manifest's size and hash before it runs.  Each step's journal row is
 * written after it succeeds; a rerun skips journaled steps and redoes the
 * rest idempotently.
 */
#ifndef LOAD_SCHEMA_H
#define LOAD_SCHEMA_H

#include "load/jobs.h"
#include "load/session.h"

/* Read a DDL file whole (checked against M's file list), without its
 * trailing ";\n"; *text malloc'd. */
int load_schema_read(struct load_input *in, const struct fmt_manifest *m, const char *file,
                     char **text, struct cs_error *err);
/* Tables and objects of the dump the target already has.  On the first run
 * of a dump (FIRST_RUN) they are not ours: --if-exists=fail reports each and
 * the load stops before changing anything; skip / replace set
 * ctx->table_action / object_action.  On a rerun everything not journaled is
 * ours from the interrupted run and is replaced. */
int load_schema_conflicts(struct cs_conn *c, struct load_ctx *ctx, int first_run,
                          struct cs_error *err);
/* The decision behind it (pure): what to do with one table or object that
 * EXISTS on the target, is JOURNALED as done, on the FIRST_RUN of this dump
 * or not; returns 1 when it must stop the load (--if-exists=fail). */
int load_schema_decide(int exists, int journaled, int first_run, enum load_if_exists mode,
                       unsigned char *action);
/* What the target cannot have at all: MariaDB sequences on MySQL (each
 * named, then CS_ERR_USAGE, before anything is written). */
int load_schema_check_target(const struct load_ctx *ctx, const struct load_target *t,
                             struct cs_error *err);
int load_schema_databases(struct cs_conn *c, struct load_ctx *ctx, struct cs_error *err);
/* MariaDB sequences, before the tables (a column default may call NEXTVAL
 * on one): CREATE SEQUENCE, then SETVAL to the dump's next value. */
int load_schema_sequences(struct cs_conn *c, struct load_ctx *ctx, struct cs_error *err);
/* Splits every table's CREATE into ctx->splits (under --defer-indexes auto
 * by the table's size when ctx->sizes_known, else as "all"); *TODO (malloc'd,
 * *N entries) lists the tables still to create. */
int load_schema_tables_prepare(struct load_ctx *ctx, size_t **todo, size_t *n,
                               struct cs_error *err);
/* A pool job (JOB points to a table index of the prepare list): creates
 * that table on the worker's connection and journals it.  Tables do not
 * depend on each other (foreign keys are deferred or unchecked), so any
 * number run at once. */
int load_job_create_table(struct load_worker *w, void *job, void *ctx, struct cs_error *err);
int load_schema_objects(struct cs_conn *c, struct load_ctx *ctx, const char *sql_mode,
                        struct cs_error *err);

#endif
