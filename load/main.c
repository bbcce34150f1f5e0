/* csload: options -> struct load_config -> load_run() / load_check() -> exit code. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/connopt.h"
#include "common/console.h"
#include "common/progress.h"
#include "common/cli.h"
#include "common/s3.h"
#include "load/archive_in.h"
#include "load/check.h"
#include "load/compat.h"
#include "load/rename.h"
#include "load/run.h"
#include "load/select.h"
#include "load/stmtcheck.h"
#include "load/trust.h"

static volatile int cancel_flag; /* the only file-scope mutable (lock-free atomic int) */

static void on_signal(int sig)
{
    (void)sig;
    __atomic_store_n(&cancel_flag, 1, __ATOMIC_RELAXED);
}

enum {
    OPT_CHECK = CS_OPT_FIRST_TOOL_OPTION,
    OPT_IF_EXISTS,
    OPT_DEFER,
    OPT_KEEP_BINLOG,
    OPT_NO_VERIFY,
    OPT_RESET,
    OPT_SET_GTID,
    OPT_REPLICATE_FROM,
    OPT_REPL_USER,
    OPT_REPL_PASSWORD,
    OPT_REPL_SSL_MODE,
    OPT_REPL_SSL_CA,
    OPT_REPL_SSL_CERT,
    OPT_REPL_SSL_KEY,
    OPT_RETRIES,
    OPT_ARCHIVE,
    OPT_COMPAT,
    OPT_WAIT_FOR_DUMP,
    OPT_INCLUDE_SYSTEM,
    OPT_LOAD_USERS,
    OPT_SKIP_INVALID_GRANTS,
    OPT_DEFINERS,
    OPT_REPLICATE_ALL,
    OPT_DRY_RUN,
    OPT_RENAME_SCHEMA,
    OPT_NO_DATA,
    OPT_DATA_ONLY,
    OPT_VERIFY_KEY,
    OPT_ENCRYPT_KEY,
    OPT_FAST_TARGET,
};

static const struct option long_options[] = {
    CS_CONNOPT_LONG_OPTIONS,
    {"threads", required_argument, NULL, 't'},
    {"check", no_argument, NULL, OPT_CHECK},
    {"archive", required_argument, NULL, OPT_ARCHIVE},
    {"if-exists", required_argument, NULL, OPT_IF_EXISTS},
    {"defer-indexes", required_argument, NULL, OPT_DEFER},
    {"keep-binlog", no_argument, NULL, OPT_KEEP_BINLOG},
    {"no-verify", no_argument, NULL, OPT_NO_VERIFY},
    {"reset-progress", no_argument, NULL, OPT_RESET},
    {"set-gtid", no_argument, NULL, OPT_SET_GTID},
    {"replicate-from", required_argument, NULL, OPT_REPLICATE_FROM},
    {"replication-user", required_argument, NULL, OPT_REPL_USER},
    {"replication-password", required_argument, NULL, OPT_REPL_PASSWORD},
    {"replication-ssl-mode", required_argument, NULL, OPT_REPL_SSL_MODE},
    {"replication-ssl-ca", required_argument, NULL, OPT_REPL_SSL_CA},
    {"replication-ssl-cert", required_argument, NULL, OPT_REPL_SSL_CERT},
    {"replication-ssl-key", required_argument, NULL, OPT_REPL_SSL_KEY},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"compat", required_argument, NULL, OPT_COMPAT},
    {"wait-for-dump", required_argument, NULL, OPT_WAIT_FOR_DUMP},
    CS_S3_LONG_OPTIONS,
    {"include-system", no_argument, NULL, OPT_INCLUDE_SYSTEM},
    {"load-users", no_argument, NULL, OPT_LOAD_USERS},
    {"skip-invalid-grants", no_argument, NULL, OPT_SKIP_INVALID_GRANTS},
    {"definers", required_argument, NULL, OPT_DEFINERS},
    {"replicate-all", no_argument, NULL, OPT_REPLICATE_ALL},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"databases", required_argument, NULL, 'B'},
    {"tables", required_argument, NULL, 'T'},
    {"exclude", required_argument, NULL, 'x'},
    {"rename-schema", required_argument, NULL, OPT_RENAME_SCHEMA},
    {"no-data", no_argument, NULL, OPT_NO_DATA},
    {"data-only", no_argument, NULL, OPT_DATA_ONLY},
    {"verify-key", required_argument, NULL, OPT_VERIFY_KEY},
    {"encrypt-key", required_argument, NULL, OPT_ENCRYPT_KEY},
    {"fast-target", no_argument, NULL, OPT_FAST_TARGET},
    CS_CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: csload [OPTIONS] DIR|s3://BUCKET/PREFIX\n"
            "       csload [OPTIONS] --archive FILE|s3://BUCKET/KEY|-\n"
            "       csload --check DIR|s3://BUCKET/PREFIX | --check --archive FILE|s3://BUCKET/KEY\n"
            "Load a csdump dump into a MySQL/MariaDB server in parallel, exactly once (a rerun\n"
            "after any interruption resumes), verify it, and set the target up to replicate\n"
            "from the dump's source.\n\n"
            "%s\n"
            "Load:\n"
            "  -t, --threads=N            parallel connections (default 4)\n"
            "      --if-exists=fail|skip|replace  tables/objects already on the target:\n"
            "                             stop before changing anything (default), leave them\n"
            "                             alone, or drop and load them\n"
            "      --defer-indexes=auto|all|fulltext|none  secondary indexes built after the\n"
            "                             data, a table's as soon as all its chunks are in\n"
            "                             (default auto: on tables of 16 MiB of data or more,\n"
            "                             smaller ones are created with them; foreign keys are\n"
            "                             added last unless none)\n"
            "      --keep-binlog          write the load to the target's binary log (default:\n"
            "                             sql_log_bin=0)\n"
            "      --no-verify            skip the row count + checksum check of every chunk\n"
            "      --reset-progress       forget earlier runs of this dump and start over\n"
            "      --retries=N            attempts per chunk after a transient error (default 5)\n"
            "      --include-system       let the dump write into mysql, sys and the other\n"
            "                             system schemas (only a dump taken with csdump\n"
            "                             --include-system; refused otherwise)\n"
            "      --fast-target          an EMPTY target only: for the load, set\n"
            "                             innodb_flush_log_at_trx_commit=2, sync_binlog=0,\n"
            "                             innodb_doublewrite off where dynamic and (MySQL\n"
            "                             8.0.21+, with INNODB_REDO_LOG_ENABLE) disable the\n"
            "                             redo log; printed, restored at the end and on every\n"
            "                             failure (after a kill -9: by the next csload run);\n"
            "                             needs SYSTEM_VARIABLES_ADMIN or SUPER\n\n"
            "What of the dump (csdump's forms; an item matching nothing in the dump: exit 2):\n"
            "  -B, --databases=a,b        only these schemas of the dump\n"
            "  -T, --tables=db.t,...      only these tables, views, sequences: db.t, db.*, db.t%%\n"
            "  -x, --exclude=db,db.t      leave out schemas (with everything in them) or tables;\n"
            "                             a trigger of a table left out, and a view reading one,\n"
            "                             are left out too, each said\n"
            "      --rename-schema=OLD:NEW  load schema OLD as NEW (repeatable): its statements\n"
            "                             are rewritten, OLD.x references become NEW.x; not with\n"
            "                             --replicate-from (the rewrite filter it needs is\n"
            "                             printed)\n"
            "      --no-data              the schema and objects only, no rows\n"
            "      --data-only            only the rows, into the tables the target has: each\n"
            "                             must have the dump's columns in order with the same\n"
            "                             types and no trigger, else nothing is loaded; no DDL\n\n"
            "Accounts and definers:\n"
            "      --load-users           also create the dump's accounts, if csdump dumped\n"
            "                             them (its --users): roles, users (before the\n"
            "                             tables), then grants and default roles (after every\n"
            "                             object); --if-exists applies to\n"
            "                             them too.  Grants the target cannot take (a privilege\n"
            "                             it lacks, a table/column/routine/role neither in the\n"
            "                             dump nor on the target) are listed and nothing is\n"
            "                             changed, unless\n"
            "      --skip-invalid-grants  which loads the accounts without them (each listed)\n"
            "      --definers=keep|strip|replace=USER@HOST  the DEFINER of views, routines,\n"
            "                             triggers and events: as dumped (default; checked\n"
            "                             before any data: each definer must exist on the target\n"
            "                             or be loaded with --load-users, and another user than\n"
            "                             the loading one needs SET USER / SET_ANY_DEFINER or\n"
            "                             SUPER), the loading user (DEFINER=CURRENT_USER; SQL\n"
            "                             SECURITY kept), or USER@HOST\n\n"
            "Cross-flavor loads (a MySQL dump into MariaDB or the reverse): collations, hidden\n"
            "MySQL syntax and sql_mode words are translated and listed; what cannot be carried\n"
            "is refused before anything is written, unless a --compat word allows the loss:\n"
            "      --compat=WORD[,WORD]   skip-functional-indexes  load MySQL functional and\n"
            "                               multi-valued indexes into MariaDB without them\n"
            "                             skip-vector-indexes  MariaDB vector indexes into\n"
            "                               MySQL without them\n"
            "                             drop-system-versioning  MariaDB system-versioned\n"
            "                               tables into MySQL as plain tables (current rows)\n"
            "                             mariadb-types-as-text  UUID, INET4, INET6 into MySQL\n"
            "                               as CHAR(36) / VARCHAR(15) / VARCHAR(45) ascii text\n\n"
            "Replication (the statements are always printed after a load):\n"
            "      --set-gtid             apply the dump's GTID state to the target\n"
            "      --replicate-from=HOST:PORT  also point the target at the source and start\n"
            "                             replication at the dump's coordinates\n"
            "      --replication-user=U   the source's replication account\n"
            "      --replication-password=PW  its password: best in the [csload] option group\n"
            "                             or CSLOAD_REPLICATION_PASSWORD (a command line\n"
            "                             shows in ps)\n"
            "      --replicate-all        with --replicate-from: no replication filters for a\n"
            "                             partial dump (default: a dump of some schemas or\n"
            "                             tables gets replicate_wild_do_table db.%% for each\n"
            "                             schema it holds whole and replicate_do_table db.t\n"
            "                             for its other tables, printed; a --where dump is\n"
            "                             refused)\n"
            "      --replication-ssl-mode=disabled|required|verify-ca|verify-identity\n"
            "                             TLS from the target to the source (default: required\n"
            "                             when a file below is given, else the target's default);\n"
            "                             a CA given is always checked, verify-identity checks\n"
            "                             the host name too\n"
            "      --replication-ssl-ca=FILE  --replication-ssl-cert=FILE  --replication-ssl-key=FILE\n"
            "                             the CA that signed the source's certificate, and a\n"
            "                             client certificate: files the TARGET server reads (paths\n"
            "                             on its host)\n"
            "A MySQL target cannot replicate from a MariaDB source: with --replicate-from or\n"
            "--set-gtid such a load is refused before anything is loaded.\n\n"
            "Input:\n"
            "      DIR | s3://BUCKET/PREFIX  a dump directory, or the objects csdump --outdir\n"
            "                             s3://... made (read with ranged GETs, nothing on\n"
            "                             local disk)\n"
            "      --archive=FILE|-       read the dump from one archive (csdump --archive, or a\n"
            "                             tar of a dump directory; s3://BUCKET/KEY for one in a\n"
            "                             bucket); - reads standard input while it arrives\n"
            "                             (a csdump --archive stream)\n"
            "      --wait-for-dump=SECONDS  the dump (DIR or s3://...) may still be being\n"
            "                             written: wait up to SECONDS for it to begin and\n"
            "                             end, loading chunks as they appear\n\n"
            "Trust:\n"
            "      --verify-key=FILE      load (or --check) only a dump signed with this\n"
            "                             Ed25519 key's private half (csdump --sign-key): the\n"
            "                             signature and every file's SHA-256 are checked before\n"
            "                             anything is written (a stream: each chunk as it comes)\n"
            "      --encrypt-key=FILE     the key an encrypted dump was made with (csdump\n"
            "                             --encrypt-key: 64 hex digits or 32 raw bytes)\n\n"
            "%s\n"
            "Offline:\n"
            "      --check                validate DIR without a server: manifest, every file\n"
            "                             present with its size and hash, nothing unlisted\n"
            "      --dry-run              check DIR as a load would (the files, then the target:\n"
            "                             flavor, privileges, --if-exists conflicts,\n"
            "                             max_allowed_packet, local_infile, definers, accounts,\n"
            "                             replication) and print the plan; changes nothing on\n"
            "                             the target; exit 1 when the load would fail\n\n"
            "%s"
            "Option files: [client] and [csload] groups.  Exit: 0 ok, 1 failed, 2 bad usage.\n",
            cs_connopt_help, CS_S3_HELP, cs_cli_help);
}

struct parse_ctx {
    struct load_config *cfg;
    struct cs_connopt *co;
    int check;
};

/* S[0, n) without one pair of surrounding quotes (' " `), malloc'd. */
static char *unquote(const char *s, size_t n)
{
    if (n >= 2 && (s[0] == '\'' || s[0] == '"' || s[0] == '`') && s[n - 1] == s[0]) {
        s++;
        n -= 2;
    }
    return strndup(s, n);
}

static int parse_enum(const char *name, const char *arg, const char *const *values, int *out,
                      struct cs_error *err)
{
    for (int i = 0; values[i]; i++)
        if (!strcmp(arg, values[i])) {
            *out = i;
            return 0;
        }
    char list[128] = "";
    size_t n = 0;

    while (values[n])
        n++;
    for (size_t i = 0; i < n; i++)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                 i == 0 ? "" : i + 1 == n ? " or " : ", ", values[i]);
    return cs_error_set(err, CS_ERR_USAGE, "--%s=%s: expected %s", name, arg, list);
}

/* keep | strip | replace=USER@HOST (the host after the last '@'; quotes
 * around either part are taken off). */
static int parse_definers(struct load_config *c, const char *arg, struct cs_error *err)
{
    const char *v = arg + 8, *at;

    free(c->definer_user);
    free(c->definer_host);
    c->definer_user = c->definer_host = NULL;
    if (!strcmp(arg, "keep") || !strcmp(arg, "strip")) {
        c->definers = strcmp(arg, "keep") ? LOAD_DEFINERS_STRIP : LOAD_DEFINERS_KEEP;
        return 0;
    }
    at = strncmp(arg, "replace=", 8) ? NULL : strrchr(v, '@');
    if (!at || at == v || !at[1])
        return cs_error_set(err, CS_ERR_USAGE,
                            "--definers=%s: expected keep, strip or replace=USER@HOST", arg);
    c->definers = LOAD_DEFINERS_REPLACE;
    c->definer_user = unquote(v, (size_t)(at - v));
    c->definer_host = unquote(at + 1, strlen(at + 1));
    if (!c->definer_user || !c->definer_host)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    return 0;
}

static int on_option(void *vctx, int opt, const char *arg, struct cs_error *err)
{
    static const char *const if_exists[] = {"fail", "skip", "replace", NULL};
    static const char *const defer[] = {"all", "fulltext", "none", "auto", NULL};
    struct parse_ctx *p = vctx;
    struct load_config *c = p->cfg;
    unsigned long long n;
    int r = cs_connopt_parse(p->co, opt, arg, err), v;

    if (r != 0)
        return r < 0 ? -1 : 0;
    r = cs_s3_option_parse(&c->s3, opt, arg, err);
    if (r <= 0)
        return r;
    switch (opt) {
    case 't':
        if (cs_connopt_uint("threads", arg, 1, 256, &n, err) < 0)
            return -1;
        c->threads = (unsigned)n;
        return 0;
    case OPT_RETRIES:
        if (cs_connopt_uint("retries", arg, 0, 100, &n, err) < 0)
            return -1;
        c->retries = (unsigned)n;
        return 0;
    case OPT_WAIT_FOR_DUMP:
        if (cs_connopt_uint("wait-for-dump", arg, 1, 7 * 86400, &n, err) < 0)
            return -1;
        c->wait_for_dump = (unsigned)n;
        return 0;
    case OPT_IF_EXISTS:
        if (parse_enum("if-exists", arg, if_exists, &v, err) < 0)
            return -1;
        c->if_exists = (enum load_if_exists)v;
        return 0;
    case OPT_DEFER:
        if (parse_enum("defer-indexes", arg, defer, &v, err) < 0)
            return -1;
        c->defer = (enum load_defer)v;
        return 0;
    case OPT_CHECK: p->check = 1; return 0;
    case OPT_ARCHIVE: c->archive = arg; return 0;
    case OPT_KEEP_BINLOG: c->keep_binlog = 1; return 0;
    case OPT_NO_VERIFY: c->verify = 0; return 0;
    case OPT_RESET: c->reset_progress = 1; return 0;
    case OPT_SET_GTID: c->set_gtid = 1; return 0;
    case OPT_REPLICATE_FROM: c->replicate_from = arg; return 0;
    case OPT_REPL_USER: c->replication_user = arg; return 0;
    case OPT_REPL_PASSWORD: c->replication_password = arg; return 0;
    case OPT_COMPAT: return load_compat_parse_flags(arg, &c->compat, err);
    case OPT_INCLUDE_SYSTEM: c->include_system = 1; return 0;
    case OPT_REPL_SSL_MODE: return load_repl_ssl_parse(arg, &c->replication_ssl, err);
    case OPT_REPL_SSL_CA: c->replication_ssl_ca = arg; return 0;
    case OPT_REPL_SSL_CERT: c->replication_ssl_cert = arg; return 0;
    case OPT_REPL_SSL_KEY: c->replication_ssl_key = arg; return 0;
    case OPT_LOAD_USERS: c->load_users = 1; return 0;
    case OPT_SKIP_INVALID_GRANTS: c->skip_invalid_grants = 1; return 0;
    case OPT_DEFINERS: return parse_definers(c, arg, err);
    case OPT_REPLICATE_ALL: c->replicate_all = 1; return 0;
    case OPT_DRY_RUN: c->dry_run = 1; return 0;
    case 'B': return cs_cli_split_list(&c->databases, &c->ndatabases, "databases", arg, err);
    case 'T': return cs_cli_split_list(&c->tables, &c->ntables, "tables", arg, err);
    case 'x': return cs_cli_split_list(&c->exclude, &c->nexclude, "exclude", arg, err);
    case OPT_RENAME_SCHEMA:
        return cs_cli_split_list(&c->renames, &c->nrenames, "rename-schema", arg, err);
    case OPT_NO_DATA: c->no_data = 1; return 0;
    case OPT_DATA_ONLY: c->data_only = 1; return 0;
    case OPT_VERIFY_KEY: c->verify_key_file = arg; return 0;
    case OPT_ENCRYPT_KEY: c->encrypt_key_file = arg; return 0;
    case OPT_FAST_TARGET: c->fast_target = 1; return 0;
    default: return cs_error_set(err, CS_ERR_INTERNAL, "unhandled option %d", opt);
    }
}

/* --databases/--tables/--exclude, --rename-schema, --no-data, --data-only
 * and what they exclude. */
static int check_shape(struct load_config *c, struct cs_error *err)
{
    struct cs_buf hint = CS_BUF_INIT;
    int rc;

    if (load_select_check(c, err) < 0 || load_rename_check(c, err) < 0)
        return -1;
    if (c->no_data)
        c->defer = LOAD_DEFER_NONE; /* no rows: the indexes come with the tables */
    if (c->wait_for_dump && (load_select_active(c) || c->nrenames || c->no_data || c->data_only))
        return cs_error_set(err, CS_ERR_USAGE,
                            "--wait-for-dump loads a dump while it is written, whole: without "
                            "--databases, --tables, --exclude, --rename-schema, --no-data and "
                            "--data-only (load the finished dump with those)");
    if (c->fast_target && c->data_only)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--fast-target is for an empty target and --data-only loads into "
                            "tables the target has: not both");
    if (c->no_data && c->data_only)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--no-data and --data-only exclude each other (the first loads "
                            "no rows, the second only rows)");
    if (c->replicate_from && c->no_data)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--replicate-from with --no-data: the target would replicate "
                            "changes to rows it does not have; load the data too");
    /* --replicate-from with --databases/--tables/--exclude: the replication
     * filters name each loaded table (load/replfilter.h) */
    if (!c->replicate_from || !c->nrenames)
        return 0;
    load_rename_repl_hint(c, &hint);
    rc = cs_error_set(err, CS_ERR_USAGE,
                      "--replicate-from with --rename-schema is refused: the source's binary "
                      "log names the old schema, so replication needs a rewrite filter that "
                      "csload does not set; load, then set it and start replication yourself "
                      "(csload prints the statements): %s",
                      hint.data ? hint.data : "");
    cs_buf_release(&hint);
    return rc;
}

static int parse_args(struct cs_cli *cli, int argc, char **argv, const struct cs_log *log,
                      struct parse_ctx *p, struct cs_error *err)
{
    struct load_config *c = p->cfg;
    int r;

    cli->prog = "csload";
    cli->usage = usage;
    cli->long_options = long_options;
    cli->shortopts = CS_CONNOPT_SHORT "t:B:T:x:qv";
    cli->fn = on_option;
    cli->conn = p->co;
    cli->ctx = p;
    r = cs_cli_parse(cli, argc, argv, log, err);
    if (r != 0)
        return r;
    if (c->archive && cli->first_arg < cli->args.argc)
        return cs_error_set(err, CS_ERR_USAGE, "give a dump DIR or --archive, not both");
    if (!c->archive && cli->first_arg + 1 != cli->args.argc)
        return cs_error_set(err, CS_ERR_USAGE, "%s (see csload --help)",
                            cli->first_arg < cli->args.argc ? "expected exactly one dump DIR"
                                                            : "the dump DIR is required");
    if (c->archive && !strcmp(c->archive, "-") && isatty(STDIN_FILENO))
        return cs_error_set(err, CS_ERR_USAGE,
                            "--archive - reads the archive from standard input, which is a "
                            "terminal: pipe one in (csdump --archive - | csload --archive -) or "
                            "give a file");
    if (p->check && c->archive && !strcmp(c->archive, "-"))
        return cs_error_set(err, CS_ERR_USAGE, "--check reads a dump directory or an archive "
                                               "file, not standard input");
    if (c->wait_for_dump && c->dry_run)
        return cs_error_set(err, CS_ERR_USAGE, "--dry-run checks a complete dump, not one "
                                               "--wait-for-dump waits for");
    if (c->wait_for_dump && (c->archive || p->check))
        return cs_error_set(err, CS_ERR_USAGE, "--wait-for-dump loads a dump DIR or "
                                               "s3://BUCKET/PREFIX being written, not an "
                                               "archive, and not with --check");
    if (c->wait_for_dump && c->verify_key_file)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--wait-for-dump loads chunks before the signed manifest exists, "
                            "which --verify-key cannot allow: load the dump once csdump has "
                            "finished, or stream it (csdump --archive - | csload --archive - "
                            "--verify-key ...), which is verified entry by entry");
    if (c->wait_for_dump && c->encrypt_key_file)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--wait-for-dump cannot follow an encrypted dump being written (its "
                            "file names are opaque until its manifest is complete): load it "
                            "once csdump has finished, or stream it (csdump --archive - | "
                            "csload --archive -)");
    c->input = c->archive ? c->archive : cli->args.argv[cli->first_arg];
    if (cs_s3_is_url(c->input)) {
        char *bucket, *key;
        if (cs_s3_url_parse(c->input, &bucket, &key, err) < 0)
            return -1;
        free(bucket);
        free(key);
    }
    if (!c->replication_password)
        c->replication_password = getenv("CSLOAD_REPLICATION_PASSWORD");
    if (c->replicate_from && !c->replication_user)
        return cs_error_set(err, CS_ERR_USAGE, "--replicate-from needs --replication-user");
    if (c->replicate_all && !c->replicate_from)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--replicate-all goes with --replicate-from (it leaves out the "
                            "replication filters a partial dump gets)");
    if (p->check && c->dry_run)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--check (offline) or --dry-run (against the target), not both");
    if (c->dry_run && c->archive && !strcmp(c->archive, "-"))
        return cs_error_set(err, CS_ERR_USAGE, "--dry-run reads a dump directory or an archive "
                                               "file, not standard input");
    if (check_shape(c, err) < 0)
        return -1;
    if (load_repl_ssl_resolve(c->replication_ssl, c->replication_ssl_ca, c->replication_ssl_cert,
                              c->replication_ssl_key, &c->replication_ssl, err) < 0)
        return -1;
    if (p->check)
        return 0;
    return cs_connopt_finish(p->co, err);
}

static void defaults(struct load_config *c)
{
    memset(c, 0, sizeof(*c));
    c->threads = 4;
    c->defer = LOAD_DEFER_AUTO;
    c->verify = 1;
    cs_s3_options_init(&c->s3);
    c->retries = 5;
}

static int check_only(const struct load_config *cfg, const struct cs_log *log,
                      struct cs_error *err)
{
    struct load_trust trust = {cfg->verify_key, log, cfg->seal_key};
    struct load_input *in;
    int problems;

    if (cfg->archive) { /* every entry against the manifest, every byte hashed */
        struct load_archive *a =
            load_archive_open(cfg->archive, 1, &trust, &cfg->s3, log, cfg->cancel, err);
        struct fmt_manifest *m = a ? load_archive_take_manifest(a) : NULL;
        int ok = m && load_stmtcheck_dump(load_archive_input(a), m, cfg->include_system, err) == 0;
        if (ok)
            cs_log_info(log, "%s: the archive is intact (every entry present, sizes and "
                             "hashes match, nothing unlisted, every statement the one its "
                             "manifest entry says)%s",
                        cfg->archive,
                        cfg->verify_key ? "; its signature verifies with the given key" : "");
        fmt_manifest_free(m);
        load_archive_free(a);
        return ok ? 0 : -1;
    }
    in = load_input_trust_new(load_input_open(cfg->input, &cfg->s3, log, cfg->cancel, err), &trust,
                              err);
    problems = in ? load_check(in, log, err) : -1;
    if (problems == 0) { /* the content: each DDL file the statement it claims to be */
        struct fmt_manifest *m = in->read_manifest(in, err);
        problems = m && load_stmtcheck_dump(in, m, cfg->include_system, err) == 0 ? 0 : -1;
        for (size_t i = 0; problems == 0 && i < m->ntables; i++)
            if (m->tables[i].where)
                cs_log_info(log, "%s: %s.%s holds only the rows WHERE %s (csdump --where): the "
                                 "dump is a subset",
                            cfg->input, m->tables[i].schema, m->tables[i].name,
                            m->tables[i].where);
        fmt_manifest_free(m);
    }

    load_input_free(in);
    if (problems > 0)
        cs_error_set(err, CS_ERR_CHECKSUM, "%s: %d problem(s) found (listed above): the dump "
                                           "must not be loaded as it is",
                     cfg->input, problems);
    else if (problems == 0 && cfg->verify_key)
        cs_log_info(log, "%s: the signature verifies with the given key and every file's "
                         "SHA-256 matches",
                    cfg->input);
    return problems == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct cs_console con;
    struct cs_log log;
    struct load_config cfg;
    struct cs_connopt co;
    struct parse_ctx p = {&cfg, &co, 0};
    struct cs_cli cli = {0};
    struct cs_error err;
    struct fmt_sign_key *verify_key = NULL;
    struct fmt_seal_key seal_key;
    int rc = 1, r;

    cs_error_clear(&err);
    cs_console_init(&con, "csload");
    log = cs_console_logger(&con, CS_LOG_INFO);
    defaults(&cfg);
    cs_connopt_init(&co);
    r = parse_args(&cli, argc, argv, &log, &p, &err);
    if (r != 0) {
        rc = r > 0 ? 0 : cs_cli_exit_code(&err);
        goto out;
    }
    cfg.conn = co.conn;
    cfg.quiet = cli.common.quiet;
    cfg.verbose = cli.common.verbose;
    cfg.progress = cli.common.progress;
    cfg.conn.local_infile = 1;
    cfg.reset_command = cs_cli_command(argc, argv, "--reset-progress", "--reset-progress");
    if (cs_console_configure(&con, &cli.common, 0, &log, &err) < 0) {
        rc = 2;
        goto out;
    }
    cfg.log = &log;
    cfg.console = &con;
    cfg.progress = con.draw || con.plain || con.json || con.log_file;
    cfg.cancel = &cancel_flag;
    cs_cli_signals(on_signal);
    if (cfg.verify_key_file &&
        !(verify_key = fmt_sign_key_load_public(cfg.verify_key_file, &err))) {
        rc = cs_cli_exit_code(&err);
        goto out;
    }
    cfg.verify_key = verify_key;
    if (cfg.encrypt_key_file) {
        if (fmt_seal_key_load(cfg.encrypt_key_file, &seal_key, &err) < 0) {
            rc = cs_cli_exit_code(&err);
            goto out;
        }
        cfg.seal_key = &seal_key;
    }
    if (cs_s3_global_init(&err) < 0)
        goto out;
    if (p.check) {
        rc = check_only(&cfg, &log, &err) == 0 ? 0 : 1;
        cs_s3_global_cleanup();
        goto out;
    }
    cs_conn_library_init();
    r = load_run(&cfg, &err);
    rc = r == 0 ? 0 : r == -2 ? 2 : 1;
    cs_conn_library_end();
    cs_s3_global_cleanup();
out:
    if (rc != 0 && cs_error_is_set(&err))
        cs_log_error(&log, "%s", err.msg);
    cs_progress_end(&con, rc, rc != 0 && cs_error_is_set(&err) ? err.msg : NULL);
    fmt_sign_key_free(verify_key);
    fmt_seal_key_wipe(&seal_key);
    free(cfg.definer_user);
    free(cfg.reset_command);
    free(cfg.definer_host);
    cs_cli_list_free(cfg.databases, cfg.ndatabases);
    cs_cli_list_free(cfg.tables, cfg.ntables);
    cs_cli_list_free(cfg.exclude, cfg.nexclude);
    cs_cli_list_free(cfg.renames, cfg.nrenames);
    cs_connopt_release(&co);
    cs_cli_release(&cli);
    cs_console_release(&con);
    return rc;
}
