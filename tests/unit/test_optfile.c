/* Unit tests for common/optfile: MySQL-style option files. No server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/optfile.h"

static const char *const groups[] = {"client", "client-server", "client-mariadb", "csdump", NULL};
static const char *const own[] = {"csdump", NULL};

struct fixture {
    char dir[64];
    char warnings[4096];
    int nwarn;
    struct cs_log log;
    struct cs_optfile_args args;
    struct cs_error err;
};

static void collect(void *ctx, enum cs_log_level level, const char *msg)
{
    struct fixture *f = ctx;
    size_t n = strlen(f->warnings);

    if (level > CS_LOG_WARN)
        return;
    f->nwarn++;
    snprintf(f->warnings + n, sizeof(f->warnings) - n, "%s\n", msg);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    strcpy(f->dir, "/tmp/cs-optfile.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->log.fn = collect;
    f->log.ctx = f;
    f->log.max = CS_LOG_DEBUG;
    cs_optfile_args_init(&f->args);
    cs_error_clear(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];

    cs_optfile_args_release(&f->args);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* Write dir/name with the given content and mode; returns the path (static). */
static const char *put(struct fixture *f, const char *name, const char *content, mode_t mode)
{
    static char path[8][256];
    static int slot;
    char *p = path[slot++ % 8];
    FILE *fp;

    snprintf(p, 256, "%s/%s", f->dir, name);
    fp = fopen(p, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(content, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(p, mode), 0);
    return p;
}

static void in_dir(struct fixture *f, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", f->dir, name);
}

/* Load with argv given as a NULL-terminated list and default files. */
static int load(struct fixture *f, const char *const *files, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;

    argv[argc++] = (char *)"csdump";
    va_start(ap, files);
    for (char *a; (a = va_arg(ap, char *)) != NULL;)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    cs_optfile_args_release(&f->args);
    cs_error_clear(&f->err);
    return cs_optfile_load_files(argc, argv, groups, files, &f->args, &f->log, &f->err);
}

static void expect_argv(struct fixture *f, const char *const *want)
{
    int n = 0;

    while (want[n])
        n++;
    for (int i = 0; i < f->args.argc && i < n; i++)
        assert_string_equal(f->args.argv[i], want[i]);
    assert_int_equal(f->args.argc, n);
    assert_null(f->args.argv[f->args.argc]);
}

static void test_groups_and_order(void **state)
{
    struct fixture *f = *state;
    char extra[256], arg[400];
    const char *g1 = put(f, "g1.cnf",
                         "[client]\nhost=a\n[mysqld]\nport=1\n[csdump]\nthreads=4\n"
                         "[mysql]\nauto-rehash\n",
                         0644);
    const char *g2 = put(f, "g2.cnf", "[client-server]\nhost=b\n", 0644);
    const char *files[] = {g1, g2, "/nonexistent/my.cnf", "~/.my.cnf", NULL};
    const char *want[] = {"csdump",   "--host=a", "--threads=4", "--host=b", "--host=c",
                          "--host=d", "--host=e", "db",          NULL};

    put(f, "extra.cnf", "[CLIENT-MARIADB]\nhost=c\n", 0600);
    put(f, ".my.cnf", "[client]\nhost=d\n", 0600);
    in_dir(f, "extra.cnf", extra, sizeof(extra));
    snprintf(arg, sizeof(arg), "--defaults-extra-file=%s", extra);
    setenv("HOME", f->dir, 1); /* "~/.my.cnf" is read after the extra file */
    assert_int_equal(load(f, files, arg, "--host=e", "db", NULL), 0);
    expect_argv(f, want);
    assert_int_equal(f->args.nfile, 5);
    assert_string_equal(f->args.origin[1].file, g1);
    assert_int_equal(f->args.origin[1].line, 2);
    assert_string_equal(f->args.origin[1].group, "client");
    assert_string_equal(f->args.origin[4].group, "client-mariadb");
    assert_null(f->args.origin[6].file);
    assert_int_equal(f->nwarn, 0);
}

static void test_quoting_and_comments(void **state)
{
    struct fixture *f = *state;
    const char *cnf = put(f, "q.cnf",
                          "# comment\n"
                          "; another\n"
                          "   # indented comment\n"
                          "[csdump]  # trailing comment on a header\n"
                          "a = \"two words\"\n"
                          "b='it\\'s'\n"
                          "c=\"tab\\there\\n\"\n"
                          "d=\\sx\\\\y\\q\n"
                          "e=plain   # comment\n"
                          "f=a#b\n"
                          "g = 'q' # comment\n"
                          "h=\"unterminated\n"
                          "i=\"x=y=z\"\n"
                          "j=\n"
                          "flag\n"
                          "flag2   # comment a=b\n"
                          "max_allowed_packet=1M\r\n"
                          "k='quoted' tail\n",
                          0644);
    const char *files[] = {cnf, NULL};
    const char *want[] = {
        "csdump",    "--a=two words", "--b=it's", "--c=tab\there\n",         "--d= x\\y\\q",
        "--e=plain", "--f=a#b",       "--g=q",    "--h=\"unterminated",      "--i=x=y=z",
        "--j=",      "--flag",        "--flag2",  "--max-allowed-packet=1M", "--k='quoted' tail",
        NULL};

    assert_int_equal(load(f, files, NULL), 0);
    expect_argv(f, want);
}

static void test_password_preserved(void **state)
{
    struct fixture *f = *state;
    const char *cnf = put(f, "p.cnf",
                          "[client]\n"
                          "password=p=a#s\"w'd;x\n"
                          "[csdump]\n"
                          "password = 'p=a #s\\'\"w;d' # set by ops\n"
                          "password=\"#=\\\"'\"\n",
                          0600);
    const char *files[] = {cnf, NULL};
    const char *want[] = {"csdump", "--password=p=a#s\"w'd;x", "--password=p=a #s'\"w;d",
                          "--password=#=\"'", NULL};

    assert_int_equal(load(f, files, NULL), 0);
    expect_argv(f, want);
}

static void test_include_and_includedir(void **state)
{
    struct fixture *f = *state;
    char sub[256];
    const char *files[2];
    const char *want[] = {"csdump",   "--host=main",  "--user=inc", "--port=1",
                          "--port=2", "--host=after", NULL};

    in_dir(f, "conf.d", sub, sizeof(sub));
    assert_int_equal(mkdir(sub, 0755), 0);
    put(f, "conf.d/b.cnf", "[client]\nport=2\n", 0644);
    put(f, "conf.d/a.cnf", "[client]\nport=1\n", 0644);
    put(f, "conf.d/c.txt", "[client]\nport=3\n", 0644);
    put(f, "inc.cnf", "[client]\nuser=inc\n[mysqld]\n", 0644);
    files[0] = put(f, "main.cnf",
                   "[client]\nhost=main\n!include inc.cnf\n!includedir conf.d\n"
                   "!includedir missing.d\nhost=after\n",
                   0644);
    files[1] = NULL;
    /* after the includes the including file's section is still [client] */
    assert_int_equal(load(f, files, NULL), 0);
    expect_argv(f, want);
    assert_int_equal(f->nwarn, 0);

    /* a missing !include is a warning, not an error */
    files[0] = put(f, "main2.cnf", "!include nope.cnf\n[client]\nhost=x\n", 0644);
    assert_int_equal(load(f, files, NULL), 0);
    assert_int_equal(f->args.argc, 2);
    assert_non_null(strstr(f->warnings, "nope.cnf"));

    /* an include loop is stopped */
    files[0] = put(f, "loop.cnf", "!include loop.cnf\n", 0644);
    assert_int_equal(load(f, files, NULL), -1);
    assert_int_equal(f->err.code, CS_ERR_USAGE);
    assert_non_null(strstr(f->err.msg, "nested"));
}

static void test_loose_and_filter(void **state)
{
    struct fixture *f = *state;
    const char *cnf = put(f, "l.cnf",
                          "[client]\n"
                          "host=h\n"
                          "default-character-set=utf8mb4\n"
                          "loose-ssl-mode=DISABLED\n"
                          "[csdump]\n"
                          "loose_threads=3\n"
                          "loose-unknown-thing=1\n"
                          "bogus=1\n",
                          0644);
    const char *files[] = {cnf, NULL};
    const char *known[] = {"host", "threads", "user", NULL};
    const char *want_loaded[] = {"csdump",
                                 "--host=h",
                                 "--default-character-set=utf8mb4",
                                 "--ssl-mode=DISABLED",
                                 "--threads=3",
                                 "--unknown-thing=1",
                                 "--bogus=1",
                                 "--nonsense",
                                 NULL};
    const char *want[] = {"csdump", "--host=h", "--threads=3", "--bogus=1", "--nonsense", NULL};

    assert_int_equal(load(f, files, "--nonsense", NULL), 0);
    expect_argv(f, want_loaded);
    assert_int_equal(f->args.origin[3].loose, 1);
    assert_int_equal(f->args.origin[4].loose, 1);
    assert_int_equal(f->args.origin[1].loose, 0);
    cs_optfile_filter(&f->args, known, own, &f->log);
    expect_argv(f, want);
    assert_int_equal(f->args.nfile, 3);
    assert_string_equal(f->args.origin[3].group, "csdump");
    assert_null(f->args.origin[4].file);
}

static void test_no_defaults(void **state)
{
    struct fixture *f = *state;
    const char *cnf = put(f, "n.cnf", "[client]\nhost=h\n", 0644);
    const char *files[] = {cnf, NULL};
    const char *want[] = {"csdump", "--user=u", NULL};

    assert_int_equal(load(f, files, "--no-defaults", "--user=u", NULL), 0);
    expect_argv(f, want);
    assert_int_equal(f->args.nfile, 0);
}

static void test_defaults_file(void **state)
{
    struct fixture *f = *state;
    const char *global = put(f, "global.cnf", "[client]\nhost=global\n", 0644);
    const char *only = put(f, "only.cnf", "[client]\nhost=only\n", 0644);
    const char *files[] = {global, NULL};
    const char *want[] = {"csdump", "--host=only", "--print-defaults-is-not-special", NULL};
    char arg[400], missing[256];

    snprintf(arg, sizeof(arg), "--defaults-file=%s", only);
    assert_int_equal(
        load(f, files, "--print-defaults", arg, "--print-defaults-is-not-special", NULL), 0);
    expect_argv(f, want);
    assert_int_equal(f->args.print_defaults, 1);

    /* a missing --defaults-file is an error naming the file */
    in_dir(f, "missing.cnf", missing, sizeof(missing));
    snprintf(arg, sizeof(arg), "--defaults-file=%s", missing);
    assert_int_equal(load(f, files, arg, NULL), -1);
    assert_int_equal(f->err.code, CS_ERR_IO);
    assert_non_null(strstr(f->err.msg, missing));
    assert_int_equal(f->args.argc, 0);
    assert_null(f->args.argv);

    /* so is a missing --defaults-extra-file; missing global files are fine */
    snprintf(arg, sizeof(arg), "--defaults-extra-file=%s", missing);
    assert_int_equal(load(f, files, arg, NULL), -1);
    assert_int_equal(f->err.code, CS_ERR_IO);
}

static void test_lead_arguments_position(void **state)
{
    struct fixture *f = *state;
    const char *files[] = {NULL};

    assert_int_equal(load(f, files, "--host=x", "--no-defaults", NULL), -1);
    assert_int_equal(f->err.code, CS_ERR_USAGE);
    assert_non_null(strstr(f->err.msg, "--no-defaults must come first"));

    assert_int_equal(load(f, files, "-v", "--defaults-file=/x", NULL), -1);
    assert_non_null(strstr(f->err.msg, "--defaults-file must come first"));

    assert_int_equal(load(f, files, "--defaults-file", "/x", NULL), -1);
    assert_non_null(strstr(f->err.msg, "--defaults-file=VALUE"));

    assert_int_equal(load(f, files, "--no-defaults", "--no-defaults", NULL), -1);
    assert_non_null(strstr(f->err.msg, "more than once"));

    assert_int_equal(load(f, files, "--no-defaults", "--defaults-file=/x", NULL), -1);
    assert_int_equal(f->err.code, CS_ERR_USAGE);

    /* after "--" they are plain arguments */
    assert_int_equal(load(f, files, "--", "--no-defaults", NULL), 0);
    assert_int_equal(f->args.argc, 3);
    assert_string_equal(f->args.argv[2], "--no-defaults");
}

static void test_syntax_errors(void **state)
{
    struct fixture *f = *state;
    const char *files[2] = {NULL, NULL};

    files[0] = put(f, "e1.cnf", "# fine\nhost=x\n", 0644);
    assert_int_equal(load(f, files, NULL), -1);
    assert_int_equal(f->err.code, CS_ERR_USAGE);
    assert_non_null(strstr(f->err.msg, "e1.cnf:2"));
    assert_non_null(strstr(f->err.msg, "before any [group]"));

    files[0] = put(f, "e2.cnf", "[client\nhost=x\n", 0644);
    assert_int_equal(load(f, files, NULL), -1);
    assert_non_null(strstr(f->err.msg, "e2.cnf:1"));

    files[0] = put(f, "e3.cnf", "[client]\nho st=x\n", 0644);
    assert_int_equal(load(f, files, NULL), -1);
    assert_non_null(strstr(f->err.msg, "e3.cnf:2"));

    /* options of groups we do not read are not checked beyond the syntax */
    files[0] = put(f, "e4.cnf", "[mysqld]\nsome_server_option = 1\n", 0644);
    assert_int_equal(load(f, files, NULL), 0);
    assert_int_equal(f->args.argc, 1);
}

static void test_world_writable_ignored(void **state)
{
    struct fixture *f = *state;
    const char *ww = put(f, "ww.cnf", "[client]\nhost=evil\n", 0666);
    const char *ok = put(f, "ok.cnf", "[client]\nhost=good\n", 0644);
    const char *files[] = {ww, ok, NULL};
    const char *want[] = {"csdump", "--host=good", NULL};

    assert_int_equal(load(f, files, NULL), 0);
    expect_argv(f, want);
    assert_int_equal(f->nwarn, 1);
    assert_non_null(strstr(f->warnings, "World-writable"));
    assert_non_null(strstr(f->warnings, ww));
}

static void test_group_suffix(void **state)
{
    struct fixture *f = *state;
    const char *cnf = put(f, "s.cnf",
                          "[csdump]\nthreads=1\n[csdump_prod]\nthreads=8\n"
                          "[client_prod]\nhost=prod\n[csdump_test]\nthreads=2\n",
                          0644);
    const char *files[] = {cnf, NULL};
    const char *want[] = {"csdump", "--threads=1", "--threads=8", "--host=prod", NULL};
    char buf[300];

    assert_int_equal(load(f, files, "--defaults-group-suffix=_prod", NULL), 0);
    expect_argv(f, want);
    assert_string_equal(f->args.origin[2].group, "csdump");
    assert_string_equal(f->args.origin[3].group, "client");
    cs_optfile_describe(&f->args, 2, buf, sizeof(buf));
    assert_non_null(strstr(buf, "s.cnf:4 [csdump]"));
    cs_optfile_describe(&f->args, 0, buf, sizeof(buf));
    assert_string_equal(buf, "the command line");
}

/* The real entry point: $MYSQL_HOME/my.cnf, then ~/.my.cnf, after whatever
 * the system files (/etc/my.cnf, /etc/mysql/my.cnf) hold for these groups. */
static void test_standard_locations(void **state)
{
    struct fixture *f = *state;
    char home[256], mhome[256];
    char *argv[] = {(char *)"csdump", (char *)"--host=cli", NULL};
    int at_mhome = -1, at_home = -1;

    in_dir(f, "home", home, sizeof(home));
    in_dir(f, "mhome", mhome, sizeof(mhome));
    assert_int_equal(mkdir(home, 0755), 0);
    assert_int_equal(mkdir(mhome, 0755), 0);
    put(f, "home/.my.cnf", "[csdump]\nhost=from-home\n", 0600);
    put(f, "mhome/my.cnf", "[csdump]\nhost=from-mysql-home\n", 0644);
    setenv("HOME", home, 1);
    setenv("MYSQL_HOME", mhome, 1);
    unsetenv("MARIADB_HOME");
    assert_int_equal(cs_optfile_load(2, argv, groups, &f->args, &f->log, &f->err), 0);
    unsetenv("MYSQL_HOME");
    for (int i = 1; i <= f->args.nfile; i++) {
        if (!strcmp(f->args.argv[i], "--host=from-mysql-home"))
            at_mhome = i;
        if (!strcmp(f->args.argv[i], "--host=from-home"))
            at_home = i;
    }
    assert_true(at_mhome > 0);
    assert_int_equal(at_home, f->args.nfile);
    assert_true(at_mhome < at_home);
    assert_string_equal(f->args.argv[f->args.argc - 1], "--host=cli");

    /* --no-defaults: nothing from any file */
    cs_optfile_args_release(&f->args);
    argv[1] = (char *)"--no-defaults";
    assert_int_equal(cs_optfile_load(2, argv, groups, &f->args, &f->log, &f->err), 0);
    assert_int_equal(f->args.argc, 1);
    assert_int_equal(f->args.nfile, 0);
}

/* A default file that is a directory is skipped with a warning. */
static void test_directory_as_file(void **state)
{
    struct fixture *f = *state;
    const char *files[] = {f->dir, NULL};

    assert_int_equal(load(f, files, NULL), 0);
    assert_int_equal(f->args.argc, 1);
    assert_int_equal(f->nwarn, 1);
    assert_non_null(strstr(f->warnings, "not a regular file"));
}

static void test_release_is_null_safe(void **state)
{
    struct cs_optfile_args a = CS_OPTFILE_ARGS_INIT;

    (void)state;
    cs_optfile_args_release(NULL);
    cs_optfile_args_release(&a);
    cs_optfile_args_release(&a);
    cs_optfile_filter(&a, NULL, NULL, NULL);
    assert_int_equal(a.argc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_groups_and_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoting_and_comments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_preserved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_include_and_includedir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loose_and_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defaults_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lead_arguments_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_world_writable_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_suffix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_standard_locations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_as_file, setup, teardown),
        cmocka_unit_test(test_release_is_null_safe),
    };

    unsetenv("MYSQL_GROUP_SUFFIX");
    unsetenv("MARIADB_GROUP_SUFFIX");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
