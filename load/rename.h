/*
 * rename.h - csload --rename-schema OLD:NEW: schema OLD of the dump is
 * loaded as NEW.  The manifest's names are changed once (tables, objects,
 * the database object), so the journal, the conflict checks, the loaders
 * and verify all see NEW; every statement of the dump is rewritten on its
 * tokens (load/sqltok.h) as it is read (load_schema_read): a qualified
 * reference OLD.x (`OLD`.`x`, bare or quoted, also inside executable
 * comments; OLD.* of a GRANT too) becomes `NEW`.x, and CREATE DATABASE|SCHEMA [IF NOT EXISTS] OLD
 * names NEW.  Strings, comments and every other identifier are left as
 * they are; nothing is replaced as text.  Names compare exactly
 * (case-sensitive, as schema names are on a server with
 * lower_case_table_names=0).
 *
 * Pure and thread-safe except load_rename_manifest (coordinator only).
 */
#ifndef LOAD_RENAME_H
#define LOAD_RENAME_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"
#include "format/manifest.h"
#include "load/config.h"

/* Usage checks without the dump: each item OLD:NEW with both parts, no OLD
 * twice, no NEW twice or also an OLD.  CS_ERR_USAGE naming the item. */
int load_rename_check(const struct load_config *cfg, struct cs_error *err);
/* The name schema SCHEMA of the dump is loaded as (SCHEMA itself when it
 * is not renamed). */
const char *load_rename_map(const struct load_config *cfg, const char *schema);
/* Renames M's schemas.  An OLD the dump does not have, or a NEW it has
 * (two schemas would become one), is CS_ERR_USAGE naming it. */
int load_rename_manifest(const struct load_config *cfg, struct fmt_manifest *m,
                         struct cs_error *err);
/* *TEXT (one statement, malloc'd) rewritten for the renames; BACKSLASH as
 * load_sqltok_split.  0, or -1 out of memory. */
int load_rename_text(const struct load_config *cfg, int backslash, char **text,
                     struct cs_error *err);

/* The replication filter a renamed load needs, for both flavors, appended
 * to B (csload refuses --replicate-from with renames and says this). */
void load_rename_repl_hint(const struct load_config *cfg, struct cs_buf *b);

/* A qualified reference A.B in a statement: A's token at OFF/LEN, both
 * parts unquoted (malloc'd). */
struct load_qref {
    size_t off, len;
    char *a, *b;
};
/* Every qualified reference of TEXT whose first part is not itself after a
 * dot (in `x`.`a`.`b` only x.a), executable comments included; *REFS
 * malloc'd (load_rename_refs_free).  0, or -1 out of memory. */
int load_rename_refs(const char *text, int backslash, struct load_qref **refs, size_t *n);
void load_rename_refs_free(struct load_qref *refs, size_t n);

#endif
