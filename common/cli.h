/*
 * cli.h - the command-line front of both tools: option files ([client] and
 * the tool's own group) prepended to the arguments, passwords scrubbed from
 * the process's argv, one getopt_long pass calling the tool's handler, and
 * errors that say where a bad option came from ("/etc/my.cnf:12 [csdump]").
 * --print-defaults prints the options the files give (one per line,
 * passwords masked) on stdout and stops, as the mysql client does.
 * main() only; not thread-safe.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "common/error.h"
#include "common/log.h"
#include "common/connopt.h"
#include "common/optfile.h"

/* 0 = continue, 1 = stop with exit 0 (--help, --version), -1 = error. */
typedef int (*cs_cli_opt_fn)(void *ctx, int opt, const char *arg, struct cs_error *err);

/* The options every tool has, handled here: -q, -v, --no-progress,
 * --progress, --log-file, --help, --version.  Put CS_CLI_COMMON_OPTIONS in
 * the long options, "qv" in the short ones. */
enum { CS_OPT_HELP = 0x10f0, CS_OPT_VERSION, CS_OPT_NO_PROGRESS, CS_OPT_PROGRESS, CS_OPT_LOG_FILE };
#define CS_CLI_COMMON_OPTIONS                                                                      \
    {"no-progress", no_argument, NULL, CS_OPT_NO_PROGRESS}, {"quiet", no_argument, NULL, 'q'},    \
        {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, CS_OPT_HELP},           \
        {"version", no_argument, NULL, CS_OPT_VERSION},                                          \
        {"progress", required_argument, NULL, CS_OPT_PROGRESS},                                  \
        {"log-file", required_argument, NULL, CS_OPT_LOG_FILE}

/* The --help lines of the options above. */
extern const char cs_cli_help[];

struct cs_cli_common {
    int quiet, verbose, progress;
    const char *json;     /* --progress json[=FD|FILE]: "" for standard error, else FD or FILE */
    const char *log_file; /* --log-file */
};

struct cs_cli {
    const char *prog;                 /* "csdump" */
    void (*usage)(FILE *out);         /* --help */
    struct cs_cli_common common;      /* filled by cs_cli_parse */
    const struct option *long_options;
    const char *shortopts;
    cs_cli_opt_fn fn;
    void *ctx;
    struct cs_connopt *conn;          /* told where each option came from; may be NULL */
    struct cs_optfile_args args;      /* owned */
    int first_arg;                    /* index of the first positional in args.argv */
};

/* Returns 0 (parse done), 1 (stop: exit 0 -- --help, --version,
 * --print-defaults) or -1 (ERR set, CS_ERR_USAGE for bad usage). */
int cs_cli_parse(struct cs_cli *cli, int argc, char **argv, const struct cs_log *log,
                 struct cs_error *err);
void cs_cli_release(struct cs_cli *cli);
/* The log level -q / -v ask for. */
enum cs_log_level cs_cli_log_level(int quiet, int verbose);
/* SIGINT and SIGTERM call HANDLER (system calls are not restarted, so waits
 * end), SIGPIPE is ignored. */
void cs_cli_signals(void (*handler)(int));
/* The command line ARGV as a shell would take it back, with INSERT (may be
 * NULL) after the program name and the option-file options that must come
 * first, and every DROP option left out; password
 * values (scrubbed by then) become a bare -p, which prompts.  Malloc'd;
 * NULL when out of memory. */
char *cs_cli_command(int argc, char **argv, const char *insert, const char *drop);
/* The exit code for a failed run: 2 for bad usage, 1 otherwise. */
int cs_cli_exit_code(const struct cs_error *err);

#endif
