/*
 * replfilter.h - the replication filters that match a partial dump.
 *
 * A dump of some schemas or tables (the manifest's "partial") loaded into
 * a target that then replicates from the whole source would stop at the
 * first write to anything the dump left out.  So the target's replica gets
 * filters that let through exactly what the dump holds:
 *   - a schema the dump holds whole (every table and sequence the source
 *     had: the manifest's whole_schemas): replicate_wild_do_table 'db.%'
 *     (tables created there later come along; database-level statements
 *     such as CREATE/DROP DATABASE db match it too);
 *   - any other table or sequence of the dump: replicate_do_table db.t.
 * Only table filters are used: replicate_do_db filters statement events by
 * their default database, which silently drops a cross-database update
 * (USE other; UPDATE db.t ...) logged as a statement.
 * MariaDB:  SET GLOBAL replicate_wild_do_table = 'a.%,b\_c.%';
 *           SET GLOBAL replicate_do_table = 'd.t1,d.t2';
 * MySQL:    CHANGE REPLICATION FILTER REPLICATE_WILD_DO_TABLE = ('a.%'),
 *             REPLICATE_DO_TABLE = (`d`.`t1`)
 * Both need the replica's threads stopped (they are, before CHANGE ...) and
 * neither survives a restart of the target, so the option-file lines are
 * given too.  '_', '%' and '\' in a schema name are escaped in a pattern.
 * Refused (CS_ERR_USAGE, naming the object, with --replicate-all as the way
 * out): a schema name with a '.', which no filter can tell from the
 * separator, and on MariaDB a name with a ',' (its lists are comma
 * separated).  Pure; thread-safe.
 */
#ifndef LOAD_REPLFILTER_H
#define LOAD_REPLFILTER_H

#include <stddef.h>

#include "common/error.h"
#include "common/version.h"
#include "format/manifest.h"

struct load_replfilter {
    char **stmts; /* run on the target before CHANGE ...; none: no filter needed */
    size_t nstmts;
    char *cnf; /* the same as [mysqld] option-file lines, one per item; NULL when none */
    size_t nwild, ntables;
};

/* The filters for M on a TARGET server; none (nstmts 0) when M is not partial
 * or does not say (older dumps).  NARROWED: csload loads only part of M
 * (--databases/--tables/--exclude, M already pruned): every table and
 * sequence it loads is then named alone, whatever whole_schemas says. */
int load_replfilter_plan(const struct fmt_manifest *m, const struct cs_version *target,
                         int narrowed, struct load_replfilter *out, struct cs_error *err);
void load_replfilter_release(struct load_replfilter *f);

#endif
