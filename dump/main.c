/* csdump: options -> struct dump_config -> dump_run() -> exit code. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/connopt.h"
#include "common/console.h"
#include "common/progress.h"
#include "common/cli.h"
#include "common/fs.h"
#include "format/seal.h"
#include "format/sign.h"
#include "common/s3.h"
#include "dump/run.h"
#include "dump/select.h"
#include "dump/where.h"

static volatile int cancel_flag; /* the only file-scope mutable (lock-free atomic int) */

static void on_signal(int sig)
{
    (void)sig;
    __atomic_store_n(&cancel_flag, 1, __ATOMIC_RELAXED);
}

enum {
    OPT_FORMAT = CS_OPT_FIRST_TOOL_OPTION,
    OPT_COMPRESS,
    OPT_COMPRESS_LEVEL,
    OPT_LOCK_MODE,
    OPT_LOCK_WAIT_TIMEOUT,
    OPT_LOCK_RETRIES,
    OPT_LONG_QUERY_GUARD,
    OPT_LOCKLESS_RETRIES,
    OPT_PAUSE_REPLICA,
    OPT_CHUNK_ROWS,
    OPT_CHUNK_BYTES,
    OPT_REGEX,
    OPT_INCLUDE_SYSTEM,
    OPT_NO_VIEWS,
    OPT_NO_ROUTINES,
    OPT_NO_TRIGGERS,
    OPT_NO_EVENTS,
    OPT_NO_SEQUENCES,
    OPT_NO_DATA,
    OPT_ARCHIVE,
    OPT_USERS,
    OPT_NO_USERS,
    OPT_INCLUDE_USERS,
    OPT_EXCLUDE_USERS,
    OPT_ALLOW_MISSING,
    OPT_DRY_RUN,
    OPT_WHERE,
    OPT_SIGN_KEY,
    OPT_GEN_KEY,
    OPT_ENCRYPT_KEY,
};

static const struct option long_options[] = {
    CS_CONNOPT_LONG_OPTIONS,
    {"outdir", required_argument, NULL, 'o'},
    {"archive", required_argument, NULL, OPT_ARCHIVE},
    {"threads", required_argument, NULL, 't'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"compress", required_argument, NULL, OPT_COMPRESS},
    {"compress-level", required_argument, NULL, OPT_COMPRESS_LEVEL},
    {"lock-mode", required_argument, NULL, OPT_LOCK_MODE},
    {"lock-wait-timeout", required_argument, NULL, OPT_LOCK_WAIT_TIMEOUT},
    {"lock-retries", required_argument, NULL, OPT_LOCK_RETRIES},
    {"long-query-guard", required_argument, NULL, OPT_LONG_QUERY_GUARD},
    {"lockless-retries", required_argument, NULL, OPT_LOCKLESS_RETRIES},
    {"pause-replica", no_argument, NULL, OPT_PAUSE_REPLICA},
    {"chunk-rows", required_argument, NULL, OPT_CHUNK_ROWS},
    {"chunk-bytes", required_argument, NULL, OPT_CHUNK_BYTES},
    {"databases", required_argument, NULL, 'B'},
    {"tables", required_argument, NULL, 'T'},
    {"exclude", required_argument, NULL, 'x'},
    {"regex", required_argument, NULL, OPT_REGEX},
    {"where", required_argument, NULL, OPT_WHERE},
    {"include-system", no_argument, NULL, OPT_INCLUDE_SYSTEM},
    {"no-views", no_argument, NULL, OPT_NO_VIEWS},
    {"no-routines", no_argument, NULL, OPT_NO_ROUTINES},
    {"no-triggers", no_argument, NULL, OPT_NO_TRIGGERS},
    {"no-events", no_argument, NULL, OPT_NO_EVENTS},
    {"no-sequences", no_argument, NULL, OPT_NO_SEQUENCES},
    {"no-data", no_argument, NULL, OPT_NO_DATA},
    {"users", no_argument, NULL, OPT_USERS},
    {"no-users", no_argument, NULL, OPT_NO_USERS},
    {"include-users", required_argument, NULL, OPT_INCLUDE_USERS},
    {"exclude-users", required_argument, NULL, OPT_EXCLUDE_USERS},
    {"allow-missing", no_argument, NULL, OPT_ALLOW_MISSING},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"sign-key", required_argument, NULL, OPT_SIGN_KEY},
    {"gen-key", required_argument, NULL, OPT_GEN_KEY},
    {"encrypt-key", required_argument, NULL, OPT_ENCRYPT_KEY},
    CS_S3_LONG_OPTIONS,
    CS_CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0},
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: csdump [OPTIONS] --outdir DIR|s3://BUCKET/PREFIX\n"
            "       csdump [OPTIONS] --archive FILE|s3://BUCKET/KEY|-\n"
            "       csdump --gen-key DIR\n"
            "Take one consistent snapshot of a MySQL/MariaDB server with parallel connections,\n"
            "into chunked zstd files plus DIR/manifest.json (binlog position and GTID set).\n\n"
            "%s\n"
            "Output:\n"
            "  -o, --outdir=DIR         new or empty directory for the dump (created 0700);\n"
            "                           s3://BUCKET/PREFIX: objects PREFIX/NAME, uploaded as\n"
            "                           they are written (nothing on local disk)\n"
            "      --archive=FILE|-     the dump as one tar stream instead (- = standard\n"
            "                           output, s3://BUCKET/KEY = one object); nothing on\n"
            "                           local disk: chunk files wait in memory, at most\n"
            "                           (threads x 2 + 2) x --chunk-bytes, plus 3 x\n"
            "                           --s3-part-size for s3:// (160 + 48 MiB by default)\n"
            "      --format=tsv|sql     chunk format (default tsv: LOAD DATA; sql: INSERTs)\n"
            "      --compress=zstd|none (default zstd)   --compress-level=N (default 1)\n"
            "      --chunk-rows=N       rows per chunk file (default 250000)\n"
            "      --chunk-bytes=SIZE   raw bytes per chunk file (default 128M; 16M with\n"
            "                           --archive, which holds them in memory; K, M, G)\n"
            "  -t, --threads=N          parallel connections (default 4; 1.5x are opened as\n"
            "                           snapshot connections, the rest are spares)\n\n"
            "Trust:\n"
            "      --sign-key=FILE      sign the dump with this Ed25519 private key (PEM): each\n"
            "                           file's SHA-256 in the manifest, manifest.sig over it\n"
            "                           (csload --verify-key checks it with the public key)\n"
            "      --gen-key=DIR        make a key pair DIR/sign.pem (private, 0600) and\n"
            "                           DIR/sign.pub.pem (public) and exit; or: openssl genpkey\n"
            "                           -algorithm ed25519 -out sign.pem && openssl pkey -in\n"
            "                           sign.pem -pubout -out sign.pub.pem\n"
            "      --encrypt-key=FILE   encrypt every file of the dump, manifest included\n"
            "                           (AES-256-GCM after compression; opaque file names)\n"
            "                           with this key: 64 hex digits or 32 raw bytes, e.g.\n"
            "                           made with: openssl rand -hex 32 > dump.key\n\n"
            "Selection (system schemas only when named and --include-system; every item\n"
            "must match something on the source, else exit 2; %% or * match any run of\n"
            "characters):\n"
            "  -B, --databases=a,b      schemas to dump (default: all)\n"
            "  -T, --tables=db.t,...    tables, views or sequences to dump: db.t, db.*, db.t%%\n"
            "  -x, --exclude=db,db.t    schemas (with everything in them) or tables to skip,\n"
            "                           the same forms as --tables\n"
            "      --regex=RE           only tables whose \"db.table\" matches RE (POSIX ERE)\n"
            "      --include-system     allow mysql, sys, ... in --databases/--tables\n"
            "      --where=COND         only the rows matching COND (SQL on the source) of\n"
            "                           every dumped table; --where='db.t:COND' for db.t only\n"
            "                           (repeatable; replaces the one for every table); the\n"
            "                           manifest records each and says the dump is a subset\n"
            "      --no-views --no-routines --no-triggers --no-events --no-sequences --no-data\n"
            "      --users / --no-users accounts, their grants and roles (default: on for a\n"
            "                           whole-instance dump, off with --databases, --tables\n"
            "                           or --regex); system accounts are never dumped\n"
            "      --include-users=u@h,...  --exclude-users=u@h,...  accounts to take or leave\n"
            "                           (user@host, %% wildcards; root@localhost only when\n"
            "                           named exactly); either one implies --users\n"
            "      --allow-missing      what the dump user cannot see or read (triggers without\n"
            "                           TRIGGER, events without EVENT, views without SHOW VIEW,\n"
            "                           routines, unreadable tables, accounts): warn, record\n"
            "                           in the manifest and dump the rest (default: fail,\n"
            "                           naming the objects and the GRANT that fixes it)\n\n"
            "Consistency:\n"
            "      --lock-mode=MODE     auto (default), ftwrl, backup-stage, backup-lock,\n"
            "                           lock-tables, lockless, none -- see README\n"
            "      --lock-wait-timeout=S  longest wait for a lock (default 5)\n"
            "      --lock-retries=N     attempts after a lock timeout (default 3)\n"
            "      --long-query-guard=S do not lock while a statement has run S seconds\n"
            "                           (default 60, 0 = off); such sessions are named\n"
            "      --lockless-retries=N attempts to prove a lockless snapshot (default 5)\n"
            "      --pause-replica      on a replica: stop its SQL thread (applier) from just\n"
            "                           before the DDL guard until the snapshot is taken,\n"
            "                           then start it again (only if csdump stopped it);\n"
            "                           its position in its source's log is then exact\n\n"
            "%s\n"
            "Dry run:\n"
            "      --dry-run            connect, resolve the selection and the lock mode, check\n"
            "                           the privileges and the output, print what would be\n"
            "                           dumped (objects per kind, rows and bytes estimated,\n"
            "                           the chunks of each table); no lock, no snapshot, no\n"
            "                           file (not even DIR); exit 1 or 2 as the dump would\n\n"
            "%s"
            "Option files: [client] and [csdump] groups.  Exit: 0 ok, 1 failed, 2 bad usage.\n",
            cs_connopt_help, CS_S3_HELP, cs_cli_help);
}

static int split_list(struct dump_list *l, const char *opt, const char *arg, struct cs_error *err)
{
    return cs_cli_split_list(&l->items, &l->n, opt, arg, err);
}

static int add_item(struct dump_list *l, const char *arg, struct cs_error *err)
{
    return cs_cli_list_add(&l->items, &l->n, arg, err);
}

static void free_list(struct dump_list *l)
{
    cs_cli_list_free(l->items, l->n);
}

static int parse_number(struct dump_config *c, int opt, const char *arg, struct cs_error *err)
{
    unsigned long long n;
    const struct option *o = long_options;

    while (o->name && o->val != opt)
        o++;
    switch (opt) {
    case 't':
        if (cs_connopt_uint("threads", arg, 1, 256, &n, err) < 0)
            return -1;
        c->threads = (unsigned)n;
        return 0;
    case OPT_COMPRESS_LEVEL: {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*end || v < -7 || v > 19)
            return cs_error_set(err, CS_ERR_USAGE, "--compress-level=%s: expected -7 to 19", arg);
        c->compress_level = (int)v;
        return 0;
    }
    case OPT_CHUNK_ROWS:
        if (cs_connopt_uint(o->name, arg, 1, UINT64_MAX / 2, &n, err) < 0)
            return -1;
        c->chunk_rows = n;
        return 0;
    case OPT_CHUNK_BYTES:
        if (cs_connopt_size(o->name, arg, 1, UINT64_MAX / 2, &n, err) < 0)
            return -1;
        c->chunk_bytes = n;
        return 0;
    default:
        if (cs_connopt_uint(o->name, arg, opt == OPT_LOCK_WAIT_TIMEOUT ? 1 : 0, 86400, &n, err) < 0)
            return -1;
        *(opt == OPT_LOCK_WAIT_TIMEOUT  ? &c->lock_wait_timeout
          : opt == OPT_LOCK_RETRIES     ? &c->lock_retries
          : opt == OPT_LONG_QUERY_GUARD ? &c->long_query_guard
                                        : &c->lockless_retries) = (unsigned)n;
        return 0;
    }
}

static int parse_choice(struct dump_config *c, int opt, const char *arg, struct cs_error *err)
{
    int m;

    switch (opt) {
    case OPT_FORMAT:
        if (strcmp(arg, "tsv") && strcmp(arg, "sql"))
            return cs_error_set(err, CS_ERR_USAGE, "--format=%s: expected tsv or sql", arg);
        c->format = strcmp(arg, "sql") ? FMT_FORMAT_TSV : FMT_FORMAT_SQL;
        return 0;
    case OPT_COMPRESS:
        if (strcmp(arg, "zstd") && strcmp(arg, "none"))
            return cs_error_set(err, CS_ERR_USAGE, "--compress=%s: expected zstd or none", arg);
        c->compress = strcmp(arg, "none") ? FMT_COMPRESS_ZSTD : FMT_COMPRESS_NONE;
        return 0;
    default: /* OPT_LOCK_MODE */
        m = dump_lock_mode_parse(arg);
        if (m < 0)
            return cs_error_set(err, CS_ERR_USAGE,
                                "--lock-mode=%s: expected auto, ftwrl, backup-stage, backup-lock, "
                                "lock-tables, lockless or none",
                                arg);
        c->lock_mode = (enum dump_lock_mode)m;
        return 0;
    }
}

/* One option; 1 = done (help/version printed), 0 = continue, -1 = error. */
static int parse_one(struct dump_config *c, struct cs_connopt *co, int opt, const char *arg,
                     struct cs_error *err)
{
    int r = cs_connopt_parse(co, opt, arg, err);

    if (r != 0)
        return r < 0 ? -1 : 0;
    r = cs_s3_option_parse(&c->s3, opt, arg, err);
    if (r <= 0)
        return r;
    switch (opt) {
    case 'o': c->outdir = arg; return 0;
    case OPT_ARCHIVE: c->archive = arg; return 0;
    case 'B': return split_list(&c->databases, "databases", arg, err);
    case 'T': return split_list(&c->tables, "tables", arg, err);
    case 'x': return split_list(&c->exclude, "exclude", arg, err);
    case OPT_REGEX: c->pattern = arg; return 0;
    case OPT_WHERE: return add_item(&c->where, arg, err);
    case OPT_INCLUDE_SYSTEM: c->include_system = 1; return 0;
    case OPT_NO_VIEWS: c->no_views = 1; return 0;
    case OPT_NO_ROUTINES: c->no_routines = 1; return 0;
    case OPT_NO_TRIGGERS: c->no_triggers = 1; return 0;
    case OPT_NO_EVENTS: c->no_events = 1; return 0;
    case OPT_NO_SEQUENCES: c->no_sequences = 1; return 0;
    case OPT_NO_DATA: c->no_data = 1; return 0;
    case OPT_USERS: c->users = DUMP_USERS_ON; return 0;
    case OPT_NO_USERS: c->users = DUMP_USERS_OFF; return 0;
    case OPT_INCLUDE_USERS: return split_list(&c->include_users, "include-users", arg, err);
    case OPT_EXCLUDE_USERS: return split_list(&c->exclude_users, "exclude-users", arg, err);
    case OPT_ALLOW_MISSING: c->allow_missing = 1; return 0;
    case OPT_DRY_RUN: c->dry_run = 1; return 0;
    case OPT_SIGN_KEY: c->sign_key_file = arg; return 0;
    case OPT_GEN_KEY: c->gen_key_dir = arg; return 0;
    case OPT_ENCRYPT_KEY: c->encrypt_key_file = arg; return 0;
    case OPT_PAUSE_REPLICA: c->pause_replica = 1; return 0;
    case OPT_FORMAT:
    case OPT_COMPRESS:
    case OPT_LOCK_MODE: return parse_choice(c, opt, arg, err);
    default: return parse_number(c, opt, arg, err);
    }
}

static void defaults(struct dump_config *c)
{
    memset(c, 0, sizeof(*c));
    c->threads = 4;
    c->format = FMT_FORMAT_TSV;
    c->compress = FMT_COMPRESS_ZSTD;
    c->compress_level = 1;
    c->lock_wait_timeout = 5;
    c->lock_retries = 3;
    c->long_query_guard = 60;
    c->lockless_retries = 5;
    c->chunk_rows = 250000;
    c->chunk_bytes = 0; /* the default is chosen once the output is known */
    cs_s3_options_init(&c->s3);
}

struct parse_ctx {
    struct dump_config *cfg;
    struct cs_connopt *co;
};

static int on_option(void *vctx, int opt, const char *arg, struct cs_error *err)
{
    struct parse_ctx *p = vctx;
    return parse_one(p->cfg, p->co, opt, arg, err);
}

/* Parses the command line into C; returns -1 error, 0 run, 1 exit 0. */
static int parse_args(struct cs_cli *cli, int argc, char **argv, const struct cs_log *log,
                      struct dump_config *c, struct cs_connopt *co, struct cs_error *err)
{
    struct parse_ctx p = {c, co};
    int r;

    cli->prog = "csdump";
    cli->usage = usage;
    cli->long_options = long_options;
    cli->shortopts = CS_CONNOPT_SHORT "o:t:B:T:x:qv";
    cli->fn = on_option;
    cli->conn = co;
    cli->ctx = &p;
    r = cs_cli_parse(cli, argc, argv, log, err);
    if (r != 0)
        return r;
    if (cli->first_arg < cli->args.argc)
        return cs_error_set(err, CS_ERR_USAGE, "unexpected argument '%s' (see csdump --help)",
                            cli->args.argv[cli->first_arg]);
    if (c->gen_key_dir)
        return c->outdir || c->archive
                   ? cs_error_set(err, CS_ERR_USAGE,
                                  "--gen-key makes a key pair and dumps nothing: give it alone")
                   : 0;
    if (!c->outdir && !c->archive)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--outdir DIR or --archive FILE is required (see csdump --help)");
    if (c->outdir && c->archive)
        return cs_error_set(err, CS_ERR_USAGE, "--outdir and --archive exclude each other");
    if (!c->chunk_bytes)
        c->chunk_bytes = c->archive ? DUMP_ARCHIVE_CHUNK_BYTES : DUMP_CHUNK_BYTES;
    if (cs_s3_is_url(c->outdir ? c->outdir : c->archive)) {
        char *bucket, *key;
        if (cs_s3_url_parse(c->outdir ? c->outdir : c->archive, &bucket, &key, err) < 0)
            return -1;
        free(bucket);
        free(key);
    }
    if (c->archive && !strcmp(c->archive, "-") && isatty(STDOUT_FILENO))
        return cs_error_set(err, CS_ERR_USAGE,
                            "--archive - writes the archive to standard output, which is a "
                            "terminal: pipe it (csdump --archive - | csload --archive -) or "
                            "give a file");
    if (c->archive && !strcmp(c->archive, "-") && cli->common.json &&
        !strcmp(cli->common.json, "1"))
        return cs_error_set(err, CS_ERR_USAGE,
                            "--progress=json=1 and --archive - both write to standard output: "
                            "give the events another file descriptor or a FILE");
    if (c->include_users.n || c->exclude_users.n) {
        if (c->users == DUMP_USERS_OFF)
            return cs_error_set(err, CS_ERR_USAGE, "--%s-users and --no-users exclude each other",
                                c->include_users.n ? "include" : "exclude");
        c->users = DUMP_USERS_ON;
    }
    if (dump_select_check(c, err) < 0 || dump_where_check(c, err) < 0)
        return -1;
    return cs_connopt_finish(co, err);
}

/* --gen-key DIR: DIR/sign.pem and DIR/sign.pub.pem. */
static int gen_key(const char *dir, const struct cs_log *log, struct cs_error *err)
{
    char *priv = NULL, *pub = NULL;
    int rc = -1;

    if (cs_fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    priv = cs_fs_join(dir, "sign.pem");
    pub = cs_fs_join(dir, "sign.pub.pem");
    if (!priv || !pub)
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    else if (fmt_sign_keygen(priv, pub, err) == 0)
        rc = 0;
    if (rc == 0)
        cs_log_info(log,
                    "made %s (private: csdump --sign-key; keep it secret) and %s (public: "
                    "csload --verify-key)",
                    priv, pub);
    free(priv);
    free(pub);
    return rc;
}

/* csdump --archive - into a pipe on the terminal csload draws on (csdump
 * --archive - | csload --archive -): csdump leaves the progress line to
 * csload and only logs. */
static int dump_main_yields(const struct dump_config *c)
{
    struct stat st;

    return c->archive && !strcmp(c->archive, "-") && fstat(STDOUT_FILENO, &st) == 0 &&
           S_ISFIFO(st.st_mode);
}

int main(int argc, char **argv)
{
    struct cs_console con;
    struct cs_log log;
    struct dump_config cfg;
    struct cs_connopt co;
    struct cs_cli cli = {0};
    struct cs_error err;
    struct fmt_sign_key *sign_key = NULL;
    struct fmt_seal_key seal_key;
    int rc = 1, r;

    cs_error_clear(&err);
    cs_console_init(&con, "csdump");
    log = cs_console_logger(&con, CS_LOG_INFO);
    defaults(&cfg);
    cs_connopt_init(&co);
    r = parse_args(&cli, argc, argv, &log, &cfg, &co, &err);
    if (r != 0) {
        rc = r > 0 ? 0 : cs_cli_exit_code(&err);
        goto out;
    }
    cfg.conn = co.conn;
    cfg.quiet = cli.common.quiet;
    cfg.verbose = cli.common.verbose;
    cfg.progress = cli.common.progress;
    if (cs_console_configure(&con, &cli.common, dump_main_yields(&cfg), &log, &err) < 0) {
        rc = 2;
        goto out;
    }
    cfg.log = &log;
    cfg.console = &con;
    cfg.progress = con.draw || con.plain || con.json || con.log_file;
    cfg.cancel = &cancel_flag;
    cs_cli_signals(on_signal);
    if (cfg.gen_key_dir) {
        rc = gen_key(cfg.gen_key_dir, &log, &err) == 0 ? 0 : cs_cli_exit_code(&err);
        goto out;
    }
    if (cfg.sign_key_file && !(sign_key = fmt_sign_key_load_private(cfg.sign_key_file, &err))) {
        rc = cs_cli_exit_code(&err);
        goto out;
    }
    cfg.sign_key = sign_key;
    if (cfg.encrypt_key_file) {
        if (fmt_seal_key_load(cfg.encrypt_key_file, &seal_key, &err) < 0) {
            rc = cs_cli_exit_code(&err);
            goto out;
        }
        cfg.seal_key = &seal_key;
    }
    cs_conn_library_init();
    rc = cs_s3_global_init(&err) == 0 && dump_run(&cfg, &err) == 0 ? 0 : cs_cli_exit_code(&err);
    cs_s3_global_cleanup();
    cs_conn_library_end();
out:
    fmt_sign_key_free(sign_key);
    fmt_seal_key_wipe(&seal_key);
    if (rc != 0 && cs_error_is_set(&err))
        cs_log_error(&log, "%s", err.msg);
    cs_progress_end(&con, rc, rc != 0 && cs_error_is_set(&err) ? err.msg : NULL);
    free_list(&cfg.databases);
    free_list(&cfg.tables);
    free_list(&cfg.exclude);
    free_list(&cfg.where);
    free_list(&cfg.include_users);
    free_list(&cfg.exclude_users);
    cs_connopt_release(&co);
    cs_cli_release(&cli);
    cs_console_release(&con);
    return rc;
}
