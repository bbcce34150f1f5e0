/*
 * pattern.h - the name patterns of the selection options, shared by csdump
 * (--tables, --exclude, --where, account patterns) and csload (--tables,
 * --exclude): '%' or '*' stand for any run of characters (none included),
 * a backslash takes the next character literally, everything else matches
 * itself (case-sensitive).  A "db.t" pattern may split at any unescaped dot
 * (schema names may hold dots); an account pattern "user@host" splits at
 * the last unescaped '@' ("user" alone is "user@%").  Pure; thread-safe.
 */
#ifndef CS_PATTERN_H
#define CS_PATTERN_H

/* PATTERN matches TEXT whole. */
int cs_pattern_glob(const char *pattern, const char *text);
/* Some split of "db.t" PATTERN has a schema part matching SCHEMA and a
 * table part matching NAME (NAME NULL: only the schema part is tried). */
int cs_pattern_table(const char *pattern, const char *schema, const char *name);
/* "user@host" PATTERN matches the account USER@HOST. */
int cs_pattern_account(const char *pattern, const char *user, const char *host);
/* PATTERN names a schema and a table: an unescaped dot with something on
 * each side ("db.t", not "t", ".t" or "db."). */
int cs_pattern_has_table(const char *pattern);

#endif
