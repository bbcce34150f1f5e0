/*
 * optfile.h - MySQL-style option files (my.cnf) for csdump/csload.
 *
 * Follows the mysql client's load_defaults(): option files add options
 * before the command line, so the command line overrides them.
 *
 * Files, in order (a missing one is skipped silently):
 *   /etc/my.cnf, /etc/mysql/my.cnf, $MARIADB_HOME/my.cnf (else
 *   $MYSQL_HOME/my.cnf), the --defaults-extra-file, ~/.my.cnf.
 * These arguments are honoured only at the START of the command line, in
 * any order, each at most once (elsewhere they are a usage error):
 *   --no-defaults                read no file
 *   --defaults-file=F            read only F (must exist)
 *   --defaults-extra-file=F      read F after the global files (must exist)
 *   --defaults-group-suffix=S    also read [G<S>] for every group G
 *                                (default: $MARIADB_GROUP_SUFFIX, else
 *                                $MYSQL_GROUP_SUFFIX)
 *   --print-defaults             only sets out->print_defaults (cli.c then
 *                                prints the file options and stops)
 *
 * Syntax: [group] headers (names compared case-insensitively); `key=value`,
 * `key = value`, `key` alone (a boolean: gives "--key"); lines starting
 * with # or ; are comments, and so is a # preceded by blank space outside
 * quotes (`password=a#b` keeps the #, `port=3306 # x` drops the comment).
 * A value enclosed in '...' or "..." loses the quotes; escapes \n \t \r \b
 * \s (space) \\ \' \" are decoded in every value (other \x stay as is).
 * `_` and `-` are the same in keys: options come out with dashes.  A
 * `loose-` prefix is stripped; such an option is dropped by
 * cs_optfile_filter() when unknown.  `!include FILE` reads FILE and
 * `!includedir DIR` reads DIR's *.cnf files in name order; a relative path
 * is taken from the including file's directory; nesting is limited to 10.
 * A key alone gives "--key": a getopt_long() option with required_argument
 * would then swallow the next element, so declare options that files may
 * give alone (e.g. password) optional_argument.
 * Option files that anyone may write are ignored with a warning, as mysql
 * does.  An option before any [group] header or a malformed header is an
 * error naming file:line.
 *
 * Ownership: cs_optfile_load() fills a caller-owned struct cs_optfile_args
 * whose arrays and strings it allocates; cs_optfile_args_release() frees
 * them (NULL-safe, the struct may be reused).  The input argv and groups are
 * only borrowed during the call.
 * Thread-safety: reads the environment (HOME, MYSQL_HOME, ...); call it from
 * main() before starting threads.  A cs_optfile_args belongs to one thread.
 * Nothing is printed: warnings go to the logger, failures to the error.
 */
#ifndef CS_OPTFILE_H
#define CS_OPTFILE_H

#include <stddef.h>

#include "common/error.h"
#include "common/log.h"

/* Where argv[i] came from. */
struct cs_optfile_origin {
    char *file;  /* option file path, NULL for the command line (owned) */
    char *group; /* the name from the groups list that the section matched (a
                    [G<suffix>] section gives G); NULL for the command line (owned) */
    int line;    /* line in file, 0 for the command line */
    int loose;   /* had a loose- prefix */
};

struct cs_optfile_args {
    int argc;
    char **argv;                      /* argc + 1 entries, argv[argc] == NULL; every string owned */
    struct cs_optfile_origin *origin; /* argc entries, parallel to argv */
    int nfile;                        /* argv[1 .. nfile] came from option files */
    int print_defaults;               /* --print-defaults was given */
};

/* clang-format off */
#define CS_OPTFILE_ARGS_INIT {0, NULL, NULL, 0, 0}
/* clang-format on */

void cs_optfile_args_init(struct cs_optfile_args *a);
void cs_optfile_args_release(struct cs_optfile_args *a);

/*
 * Build a new argument vector: argv[0], the options from the files (in file
 * order, as "--key=value" or "--key"), then argv[1..] without the leading
 * --no-defaults / --defaults-* / --print-defaults arguments.
 * groups: NULL-terminated list of group names to read, e.g.
 * {"client", "client-server", "client-mariadb", "csdump", NULL}.
 * Returns 0, or -1 with err set (CS_ERR_USAGE for bad arguments or file
 * syntax, CS_ERR_IO for a required file that cannot be read, CS_ERR_NOMEM);
 * out is left empty on failure.
 */
int cs_optfile_load(int argc, char **argv, const char *const *groups, struct cs_optfile_args *out,
                    const struct cs_log *log, struct cs_error *err);

/*
 * Like cs_optfile_load() with the default files replaced by default_files
 * (NULL-terminated; a leading "~/" means $HOME).  The --defaults-extra-file
 * is read before the first "~/" entry, or last if there is none.  For tests
 * and for tools that want other locations.
 */
int cs_optfile_load_files(int argc, char **argv, const char *const *groups,
                          const char *const *default_files, struct cs_optfile_args *out,
                          const struct cs_log *log, struct cs_error *err);

/*
 * Drop file options the tool does not know, so shared groups such as
 * [client] may hold options for other programs:
 *  - an option from a group not in own_groups (nor one of them plus the
 *    group suffix) is dropped unless its key is in known_long_names;
 *  - a loose- option is dropped unless known, whatever its group;
 *  - other options of the tool's own groups are kept, so getopt_long()
 *    reports a misspelt option.
 * known_long_names: NULL-terminated getopt long names (without "--"; `_` and
 * `-` equivalent); matching is exact (no prefixes).  own_groups:
 * NULL-terminated, e.g. {"csdump", NULL}.  Command-line arguments are never
 * touched.  Dropped options are logged at debug level.  Cannot fail.
 */
void cs_optfile_filter(struct cs_optfile_args *args, const char *const *known_long_names,
                       const char *const *own_groups, const struct cs_log *log);

/* Describe where argv[i] came from, e.g. "/etc/my.cnf:12 [client]" or
 * "the command line", into buf (always NUL-terminated).  Returns buf. */
const char *cs_optfile_describe(const struct cs_optfile_args *args, int i, char *buf, size_t size);

#endif
