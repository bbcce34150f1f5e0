#include "common/cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/connopt.h"

const char cs_cli_help[] =
    "Messages and progress:\n"
    "  -q, --quiet              warnings and errors only on standard error\n"
    "  -v, --verbose            timestamps, a line per table and phase; -vv debug\n"
    "      --no-progress        no progress line (the same as --progress=none)\n"
    "      --progress=auto|none|json[=FD|FILE]  auto: a progress line on a terminal,\n"
    "                           a line per phase and every 10 s otherwise; json: one\n"
    "                           JSON object per event (README, \"Progress events\") on\n"
    "                           standard error (then nothing else goes there), on file\n"
    "                           descriptor FD, or into FILE\n"
    "      --log-file=FILE      append the whole log to FILE, timestamped, whatever -q\n"
    "                           says\n"
    "      --help  --version\n";

static int count_options(const struct option *o)
{
    int n = 0;
    while (o[n].name)
        n++;
    return n;
}

/* --progress auto|none|json[=FD|FILE] */
static int progress_option(struct cs_cli *cli, const char *arg, struct cs_error *err)
{
    if (!strcmp(arg, "auto") || !strcmp(arg, "none")) {
        cli->common.progress = !strcmp(arg, "auto");
        cli->common.json = NULL;
        return 0;
    }
    if (!strcmp(arg, "json")) {
        cli->common.json = "";
        return 0;
    }
    if (!strncmp(arg, "json=", 5) && arg[5]) {
        cli->common.json = arg + 5;
        return 0;
    }
    return cs_error_set(err, CS_ERR_USAGE,
                        "--progress=%s: expected auto, none, json, json=FD or json=FILE", arg);
}

/* 1 = handled and stop, 0 = handled, -1 = not a common option (or ERR set:
 * -2). */
static int common_option(struct cs_cli *cli, int opt, const char *arg, struct cs_error *err)
{
    switch (opt) {
    case CS_OPT_PROGRESS:
        return progress_option(cli, arg, err) < 0 ? -2 : 0;
    case CS_OPT_LOG_FILE:
        cli->common.log_file = arg;
        return 0;
    case 'q':
        cli->common.quiet = 1;
        return 0;
    case 'v':
        cli->common.verbose++;
        return 0;
    case CS_OPT_NO_PROGRESS:
        cli->common.progress = 0;
        return 0;
    case CS_OPT_HELP:
        cli->usage(stdout);
        return 1;
    case CS_OPT_VERSION:
#ifdef CS_FAULTS
        printf("%s %s (test build: fault points)\n", cli->prog, CS_VERSION);
#else
        printf("%s %s\n", cli->prog, CS_VERSION);
#endif
        return 1;
    default:
        return -1;
    }
}

/* --print-defaults: the options the option files give, as the tool would
 * be started with them (after dropping other programs' [client] options),
 * one per line after the mysql client's header line; passwords masked. */
static void print_defaults(const struct cs_cli *cli)
{
    printf("%s would have been started with the following arguments:\n", cli->prog);
    for (int i = 1; i <= cli->args.nfile; i++) {
        const char *a = cli->args.argv[i], *eq = strchr(a, '=');
        if (eq && strstr(a, "password") && strstr(a, "password") < eq)
            printf("%.*s=*****\n", (int)(eq - a), a);
        else
            printf("%s\n", a);
    }
}

int cs_cli_parse(struct cs_cli *cli, int argc, char **argv, const struct cs_log *log,
                 struct cs_error *err)
{
    char own[64], client_mariadb[] = "client-mariadb";
    const char *groups[] = {"client", "client-server", client_mariadb, own, NULL};
    const char *own_groups[] = {own, NULL};
    int n = count_options(cli->long_options), opt, r = -1;
    const char **known = calloc((size_t)n + 1, sizeof(char *));

    snprintf(own, sizeof(own), "%s", cli->prog);
    cli->common.progress = 1;
    cs_optfile_args_init(&cli->args);
    if (!known)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (cs_optfile_load(argc, argv, groups, &cli->args, log, err) < 0)
        goto out;
    cs_connopt_scrub_argv(argc, argv);
    for (int i = 0; i < n; i++)
        known[i] = cli->long_options[i].name;
    cs_optfile_filter(&cli->args, known, own_groups, NULL);
    if (cli->args.print_defaults) {
        print_defaults(cli);
        r = 1;
        goto out;
    }
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(cli->args.argc, cli->args.argv, cli->shortopts, cli->long_options,
                              NULL)) != -1) {
        char where[300];
        int at = optind - 1;
        cs_optfile_describe(&cli->args, at, where, sizeof(where));
        if (opt == '?' || opt == ':') {
            cs_error_set(err, CS_ERR_USAGE,
                         "%s: unknown option or missing value '%s' (see %s --help)", where,
                         cli->args.argv[at], cli->prog);
            r = -1; /* r may hold the previous option's 0 */
            goto out;
        }
        if (cli->conn)
            cli->conn->from_file = at <= cli->args.nfile;
        r = common_option(cli, opt, optarg, err);
        if (r == -2)
            r = -1;
        else if (r < 0)
            r = cli->fn(cli->ctx, opt, optarg, err);
        if (r < 0 && at <= cli->args.nfile)
            cs_error_prefix(err, "%s", where);
        if (r != 0)
            goto out;
    }
    cli->first_arg = optind;
    r = 0;
out:
    free(known);
    return r;
}

void cs_cli_release(struct cs_cli *cli)
{
    if (cli)
        cs_optfile_args_release(&cli->args);
}

static void put_word(struct cs_buf *b, const char *w)
{
    if (*w &&
        strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,@%+-") ==
            strlen(w)) {
        cs_buf_puts(b, w);
        return;
    }
    cs_buf_putc(b, '\'');
    for (; *w; w++)
        if (*w == '\'')
            cs_buf_puts(b, "'\\''");
        else
            cs_buf_putc(b, *w);
    cs_buf_putc(b, '\'');
}

/* The option-file options that must come first (cs_optfile_load). */
static int leading_option(const char *a)
{
    return !strncmp(a, "--defaults-", 11) || !strcmp(a, "--no-defaults");
}

char *cs_cli_command(int argc, char **argv, const char *insert, const char *drop)
{
    struct cs_buf b = CS_BUF_INIT;
    int rest = 0, lead = 1; /* rest: after "--", taken as they are */

    put_word(&b, argv[0]);
    for (int i = 1; i <= argc; i++) {
        const char *a = i < argc ? argv[i] : NULL;
        if (lead && (!a || !leading_option(a))) {
            lead = 0;
            if (insert) {
                cs_buf_putc(&b, ' ');
                cs_buf_puts(&b, insert);
            }
        }
        if (!a || (!rest && drop && !strcmp(a, drop)))
            continue;
        cs_buf_putc(&b, ' ');
        if (!rest && (!strncmp(a, "--password=", 11) || (a[0] == '-' && a[1] == 'p' && a[2])))
            cs_buf_puts(&b, "-p");
        else
            put_word(&b, a);
        rest |= !strcmp(a, "--");
    }
    return cs_buf_detach(&b);
}

int cs_cli_exit_code(const struct cs_error *err)
{
    return err && err->code == CS_ERR_USAGE ? 2 : 1;
}

enum cs_log_level cs_cli_log_level(int quiet, int verbose)
{
    if (quiet)
        return CS_LOG_WARN;
    return verbose > 1 ? CS_LOG_DEBUG : verbose ? CS_LOG_VERBOSE : CS_LOG_INFO;
}

void cs_cli_signals(void (*handler)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}
