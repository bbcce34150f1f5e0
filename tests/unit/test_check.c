/* load/check + load/input_dir: a real small dump, then broken copies of it,
 * each with its own error code and message. */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/fs.h"
#include "common/log.h"
#include "format/checksum.h"
#include "format/hash.h"
#include "format/manifest.h"
#include "format/sink.h"
#include "load/check.h"
#include "load/input.h"

#define CHUNK0 "db.t.0.0.tsv.zst"
#define CHUNK1 "db.t.1.0.tsv.zst"
#define DDL "db.t-schema.sql"
#define DBDDL "db-schema-create.sql"
#define DDL_TEXT "CREATE TABLE `t` (`id` int NOT NULL, PRIMARY KEY (`id`));\n"
#define MAX_LINES 32

/* ---- a logger that keeps the error lines ------------------------------- */

struct capture {
    char lines[MAX_LINES][2048];
    int n;     /* error lines */
    int other; /* lines of other levels */
};

static void capture_fn(void *ctx, enum cs_log_level level, const char *msg)
{
    struct capture *c = ctx;

    if (level != CS_LOG_ERROR) {
        c->other++;
        return;
    }
    if (c->n < MAX_LINES)
        snprintf(c->lines[c->n], sizeof(c->lines[0]), "%s", msg);
    c->n++;
}

struct fixture {
    char dir[64];
    struct capture cap;
    struct cs_log log;
    uint64_t chunk0_bytes;
};

/* The error line that holds every one of the NULL-terminated needles. */
static const char *find_line(const struct capture *c, ...)
{
    for (int i = 0; i < c->n && i < MAX_LINES; i++) {
        va_list ap;
        const char *needle;
        int all = 1;

        va_start(ap, c);
        while ((needle = va_arg(ap, const char *)) != NULL)
            if (!strstr(c->lines[i], needle))
                all = 0;
        va_end(ap);
        if (all)
            return c->lines[i];
    }
    return NULL;
}

static void print_lines(const struct capture *c)
{
    for (int i = 0; i < c->n && i < MAX_LINES; i++)
        print_message("  logged: %s\n", c->lines[i]);
}

/* ---- building the dump ------------------------------------------------- */

static char *xstrdup(const char *s)
{
    char *d = strdup(s);

    assert_non_null(d);
    return d;
}

static char *path_in(const struct fixture *f, const char *name)
{
    char *p = cs_fs_join(f->dir, name);

    assert_non_null(p);
    return p;
}

/* zstd -> counter -> file, so size and hash are the real file's. */
static void write_chunk(const struct fixture *f, struct fmt_chunk *c, const char *name,
                        uint32_t index, uint64_t rows)
{
    struct cs_error err;
    struct fmt_sink *file, *counter, *z;
    char *path = path_in(f, name);

    cs_error_clear(&err);
    file = fmt_sink_file_new(path, 0600, &err);
    assert_non_null(file);
    counter = fmt_sink_counter_new(file, &err);
    assert_non_null(counter);
    z = fmt_sink_zstd_new(counter, 3, &err);
    assert_non_null(z);
    for (uint64_t r = 0; r < rows; r++) {
        char line[64];
        int n = snprintf(line, sizeof(line), "%llu\trow %llu\n", (unsigned long long)r,
                         (unsigned long long)(r * 7919));
        assert_int_equal(fmt_sink_write(z, line, (size_t)n, &err), 0);
        c->raw_bytes += (uint64_t)n;
    }
    assert_int_equal(fmt_sink_finish(z, &err), 0);
    fmt_sink_counter_result(counter, &c->file_bytes, c->file_hash);
    fmt_sink_free(z);
    free(path);
    c->file = xstrdup(name);
    c->index = index;
    c->rows = rows;
    snprintf(c->checksum, sizeof(c->checksum), "%016x", index + 1);
}

static void write_plain(const struct fixture *f, struct fmt_manifest *m, const char *name,
                        const char *text)
{
    struct cs_error err;
    struct fmt_file *e;
    char *path = path_in(f, name);

    cs_error_clear(&err);
    assert_int_equal(cs_fs_write_atomic(path, text, strlen(text), 0600, &err), 0);
    free(path);
    e = fmt_manifest_add_file(m);
    assert_non_null(e);
    e->name = xstrdup(name);
    e->bytes = strlen(text);
    fmt_hash128_hex(text, strlen(text), e->hash);
}

static void fill_head(struct fmt_manifest *m)
{
    m->format_version = FMT_MANIFEST_VERSION;
    m->tool_version = xstrdup("0.1.0");
    m->source_host = xstrdup("localhost");
    m->flavor = xstrdup("mariadb");
    m->server_version = xstrdup("10.11.6-MariaDB");
    m->sql_mode = xstrdup("");
    m->time_zone = xstrdup("+00:00");
    m->started_at = xstrdup("2024-05-01T12:00:00Z");
    m->finished_at = xstrdup("2024-05-01T12:00:01Z");
    m->lock_mode = xstrdup("ftwrl");
    m->consistent = 1;
    m->threads = 2;
    m->compress = FMT_COMPRESS_ZSTD;
    m->compress_level = 3;
    m->coords.present = 1;
    m->coords.binlog_file = xstrdup("mysql-bin.000001");
    m->coords.binlog_pos = 4;
    m->coords.gtid_set = xstrdup("0-1-1");
}

static void fill_table(const struct fixture *f, struct fmt_manifest *m)
{
    struct fmt_table *t = fmt_manifest_add_table(m);
    struct fmt_object *o;

    assert_non_null(t);
    t->schema = xstrdup("db");
    t->name = xstrdup("t");
    t->engine = xstrdup("InnoDB");
    t->ddl_file = xstrdup(DDL);
    t->transactional = 1;
    t->columns = calloc(1, sizeof(*t->columns));
    assert_non_null(t->columns);
    t->ncolumns = 1;
    t->columns[0].name = xstrdup("id");
    t->columns[0].type = xstrdup("int(11)");
    write_chunk(f, fmt_table_add_chunk(t), CHUNK0, 0, 3000);
    write_chunk(f, fmt_table_add_chunk(t), CHUNK1, 1, 10);
    t->rows = 3010;
    o = fmt_manifest_add_object(m);
    assert_non_null(o);
    o->kind = FMT_OBJ_DATABASE;
    o->schema = xstrdup("db");
    o->name = xstrdup("db");
    o->file = xstrdup(DBDDL);
}

/* A complete dump; EXTRA lets a test change the manifest before it is written. */
static void build_dump(struct fixture *f, void (*extra)(struct fmt_manifest *m))
{
    struct fmt_manifest *m = fmt_manifest_new();
    struct cs_error err;

    assert_non_null(m);
    cs_error_clear(&err);
    fill_head(m);
    fill_table(f, m);
    write_plain(f, m, DDL, DDL_TEXT);
    write_plain(f, m, DBDDL, "CREATE DATABASE `db`;\n");
    write_plain(f, m, FMT_COORDS_NAME, "{\"format_version\": 1}\n");
    if (extra)
        extra(m);
    f->chunk0_bytes = m->tables[0].chunks[0].file_bytes;
    assert_int_equal(fmt_manifest_write(m, f->dir, &err), 0);
    fmt_manifest_free(m);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int setup_empty(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/cs_test_check_XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    f->log.fn = capture_fn;
    f->log.ctx = &f->cap;
    f->log.max = CS_LOG_DEBUG;
    *state = f;
    return 0;
}

static int setup(void **state)
{
    if (setup_empty(state) < 0)
        return -1;
    build_dump(*state, NULL);
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- breaking it --------------------------------------------------------- */

static void read_file(const struct fixture *f, const char *name, char **data, size_t *len)
{
    struct cs_error err;
    char *path = path_in(f, name);

    cs_error_clear(&err);
    assert_int_equal(cs_fs_read_all(path, 1 << 24, data, len, &err), 0);
    free(path);
}

static void write_file(const struct fixture *f, const char *name, const void *data, size_t len)
{
    char *path = path_in(f, name);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    free(path);
}

static void flip_byte(const struct fixture *f, const char *name, size_t at)
{
    char *data = NULL;
    size_t len = 0;

    read_file(f, name, &data, &len);
    assert_true(at < len);
    data[at] ^= 0x20;
    write_file(f, name, data, len);
    free(data);
}

static void set_length(const struct fixture *f, const char *name, off_t len)
{
    char *path = path_in(f, name);

    assert_int_equal(truncate(path, len), 0);
    free(path);
}

static void remove_file(const struct fixture *f, const char *name)
{
    char *path = path_in(f, name);

    assert_int_equal(unlink(path), 0);
    free(path);
}

/* Runs load_check; asserts it returns EXPECT and logged that many errors. */
static void run_check(struct fixture *f, int expect)
{
    struct cs_error err;
    struct load_input *in;
    int n;

    cs_error_clear(&err);
    in = load_input_dir_new(f->dir, &err);
    assert_non_null(in);
    n = load_check(in, &f->log, &err);
    if (n != expect || getenv("CS_TEST_SHOW"))
        print_lines(&f->cap);
    assert_int_equal(n, expect);
    assert_int_equal(f->cap.n, expect);
    for (int i = 0; i < f->cap.n && i < MAX_LINES; i++)
        assert_non_null(strstr(f->cap.lines[i], f->dir));
    load_input_free(in);
}

/* load_check_file on the manifest's entry for a chunk of db.t; returns its code. */
static int check_chunk(struct fixture *f, size_t index, char *msg, size_t cap)
{
    struct cs_error err;
    struct load_input *in;
    struct fmt_manifest *m;
    const struct fmt_chunk *c;
    int code = 0;

    cs_error_clear(&err);
    in = load_input_dir_new(f->dir, &err);
    assert_non_null(in);
    m = in->read_manifest(in, &err);
    assert_non_null(m);
    c = &m->tables[0].chunks[index];
    if (load_check_file(in, c->file, c->file_bytes, c->file_hash, NULL, &err) < 0)
        code = err.code;
    else
        assert_false(cs_error_is_set(&err));
    snprintf(msg, cap, "%s", err.msg);
    fmt_manifest_free(m);
    load_input_free(in);
    return code;
}

/* load_check refuses the manifest: -1 with CODE, nothing counted. */
static void assert_refused(struct fixture *f, int code, const char *needle)
{
    struct cs_error err;
    struct load_input *in;

    cs_error_clear(&err);
    in = load_input_dir_new(f->dir, &err);
    assert_non_null(in);
    assert_int_equal(load_check(in, &f->log, &err), -1);
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, needle))
        print_message("message: %s\n", err.msg);
    assert_non_null(strstr(err.msg, needle));
    assert_int_equal(f->cap.n, 0);
    load_input_free(in);
}

/* ---- tests --------------------------------------------------------------- */

static void test_intact(void **state)
{
    struct fixture *f = *state;
    char msg[CS_ERROR_MSG_MAX];

    run_check(f, 0);
    assert_true(f->cap.other > 0); /* the summary line */
    assert_int_equal(check_chunk(f, 0, msg, sizeof(msg)), 0);
    assert_int_equal(check_chunk(f, 1, msg, sizeof(msg)), 0);
}

static void test_flipped_byte(void **state)
{
    struct fixture *f = *state;
    char msg[CS_ERROR_MSG_MAX];

    flip_byte(f, CHUNK0, (size_t)f->chunk0_bytes / 2);
    run_check(f, 1);
    assert_non_null(find_line(&f->cap, CHUNK0,
                              "hash differs from the manifest: the file is damaged",
                              "copy it again", NULL));
    assert_int_equal(check_chunk(f, 0, msg, sizeof(msg)), CS_ERR_CHECKSUM);
    assert_non_null(strstr(msg, CHUNK0));
    assert_int_equal(check_chunk(f, 1, msg, sizeof(msg)), 0);
}

static void test_truncated(void **state)
{
    struct fixture *f = *state;
    char msg[CS_ERROR_MSG_MAX], want[256];

    set_length(f, CHUNK0, 100);
    run_check(f, 1);
    snprintf(want, sizeof(want),
             CHUNK0 " is shorter than the manifest says: 100 of %llu bytes; the file was cut "
                    "(incomplete copy?)",
             (unsigned long long)f->chunk0_bytes);
    assert_non_null(find_line(&f->cap, want, NULL));
    assert_int_equal(check_chunk(f, 0, msg, sizeof(msg)), CS_ERR_TRUNCATED);
    assert_non_null(strstr(msg, want));
}

static void test_empty_file(void **state)
{
    struct fixture *f = *state;
    char msg[CS_ERROR_MSG_MAX];

    set_length(f, CHUNK1, 0);
    run_check(f, 1);
    assert_non_null(find_line(&f->cap, CHUNK1, "is shorter than the manifest says: 0 of", NULL));
    assert_int_equal(check_chunk(f, 1, msg, sizeof(msg)), CS_ERR_TRUNCATED);
}

static void test_missing_chunk(void **state)
{
    struct fixture *f = *state;
    char msg[CS_ERROR_MSG_MAX];

    remove_file(f, CHUNK1);
    run_check(f, 1);
    assert_non_null(find_line(&f->cap, CHUNK1, "is missing", "copy it again", NULL));
    assert_null(find_line(&f->cap, "shorter", NULL));
    assert_int_equal(check_chunk(f, 1, msg, sizeof(msg)), CS_ERR_MISSING);
    assert_non_null(strstr(msg, CHUNK1));
}

static void test_longer(void **state)
{
    struct fixture *f = *state;
    char msg[CS_ERROR_MSG_MAX], want[256];

    set_length(f, CHUNK0, (off_t)f->chunk0_bytes + 5);
    run_check(f, 1);
    snprintf(want, sizeof(want), CHUNK0 " is longer than the manifest says: %llu of %llu bytes",
             (unsigned long long)f->chunk0_bytes + 5, (unsigned long long)f->chunk0_bytes);
    assert_non_null(find_line(&f->cap, want, NULL));
    assert_null(find_line(&f->cap, "hash differs", NULL));
    assert_int_equal(check_chunk(f, 0, msg, sizeof(msg)), CS_ERR_CHECKSUM);
    assert_non_null(strstr(msg, "longer than"));
}

static void test_extra_files(void **state)
{
    struct fixture *f = *state;
    char *sub = path_in(f, "subdir"), *link = path_in(f, "alink");

    write_file(f, "stray.tsv.zst", "x", 1);
    write_file(f, CHUNK0 ".partial", "", 0);
    write_file(f, "bad\nname", "y", 1);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(symlink(CHUNK0, link), 0);
    run_check(f, 5);
    assert_non_null(find_line(&f->cap,
                              ": unexpected file stray.tsv.zst: not in the manifest (a leftover "
                              "or a foreign file; remove it)",
                              NULL));
    assert_non_null(find_line(&f->cap, "unexpected file " CHUNK0 ".partial:", NULL));
    assert_non_null(find_line(&f->cap, "unexpected file subdir:", NULL));
    assert_non_null(find_line(&f->cap, "unexpected file alink:", NULL));
    assert_non_null(find_line(&f->cap, "unexpected file bad\\x0aname:", NULL));
    assert_null(find_line(&f->cap, "manifest.json", NULL));
    free(sub);
    free(link);
}

static void test_garbled_manifest(void **state)
{
    struct fixture *f = *state;
    char *data = NULL;
    size_t len = 0;

    read_file(f, FMT_MANIFEST_NAME, &data, &len);
    write_file(f, FMT_MANIFEST_NAME, data, len / 2);
    free(data);
    assert_refused(f, CS_ERR_FORMAT, FMT_MANIFEST_NAME);
}

static void test_future_version(void **state)
{
    struct fixture *f = *state;
    char *path = path_in(f, FMT_MANIFEST_NAME);
    json_t *root = json_load_file(path, 0, NULL);

    assert_non_null(root);
    assert_int_equal(
        json_object_set_new(root, "format_version", json_integer(FMT_MANIFEST_VERSION + 1)), 0);
    assert_int_equal(json_dump_file(root, path, JSON_INDENT(2)), 0);
    json_decref(root);
    free(path);
    assert_refused(f, CS_ERR_VERSION, "newer");
}

static void test_missing_manifest(void **state)
{
    struct fixture *f = *state;

    remove_file(f, FMT_MANIFEST_NAME);
    assert_refused(f, CS_ERR_MISSING, "no " FMT_MANIFEST_NAME);
}

static void test_ddl_changed(void **state)
{
    struct fixture *f = *state;

    /* Same length, other bytes: a hash mismatch. */
    flip_byte(f, DDL, 0);
    run_check(f, 1);
    assert_non_null(find_line(&f->cap, DDL, "hash differs from the manifest", NULL));
}

static void test_ddl_rewritten(void **state)
{
    struct fixture *f = *state;
    const char other[] = "CREATE TABLE `t` (`id` bigint NOT NULL);\n";

    write_file(f, DDL, other, strlen(other));
    write_file(f, FMT_COORDS_NAME, "{}", 2);
    run_check(f, 2);
    assert_true(strlen(other) < strlen(DDL_TEXT));
    assert_non_null(find_line(&f->cap, DDL, "shorter than the manifest says", NULL));
    assert_non_null(find_line(&f->cap, FMT_COORDS_NAME, "shorter than the manifest says", NULL));
}

/* Every kind of damage at once: each counted and told apart. */
static void test_all_at_once(void **state)
{
    struct fixture *f = *state;

    flip_byte(f, CHUNK0, 10);
    remove_file(f, CHUNK1);
    set_length(f, DBDDL, 3);
    write_file(f, "leftover", "z", 1);
    run_check(f, 4);
    assert_non_null(find_line(&f->cap, CHUNK0, "hash differs", NULL));
    assert_non_null(find_line(&f->cap, CHUNK1, "is missing", NULL));
    assert_non_null(find_line(&f->cap, DBDDL, "shorter", NULL));
    assert_non_null(find_line(&f->cap, "unexpected file leftover", NULL));
}

static void dup_file(struct fmt_manifest *m)
{
    struct fmt_file *e = fmt_manifest_add_file(m);

    assert_non_null(e);
    *e = m->files[0];
    e->name = xstrdup(m->files[0].name);
}

static void test_duplicate_name(void **state)
{
    struct fixture *f = *state;

    build_dump(f, dup_file);
    run_check(f, 1);
    assert_non_null(find_line(&f->cap, DDL, "more than once", NULL));
}

static void drop_ddl_entry(struct fmt_manifest *m)
{
    /* files[0] is DDL: move the last entry over it. */
    free(m->files[0].name);
    m->files[0] = m->files[m->nfiles - 1];
    m->nfiles--;
}

static void test_ddl_not_in_files(void **state)
{
    struct fixture *f = *state;

    build_dump(f, drop_ddl_entry);
    /* One problem, not also an "unexpected file": the manifest names it. */
    run_check(f, 1);
    assert_non_null(find_line(&f->cap, DDL, "records no size or hash", NULL));
}

static void test_hostile_names(void **state)
{
    struct fixture *f = *state;
    static const char *const bad[] = {"", ".", "..", "../x", "a/b", "/etc/passwd"};
    struct cs_error err;
    struct load_input *in;

    cs_error_clear(&err);
    in = load_input_dir_new(f->dir, &err);
    assert_non_null(in);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cs_error_clear(&err);
        assert_null(in->open(in, bad[i], &err));
        assert_int_equal(err.code, CS_ERR_HOSTILE);
        assert_int_equal(load_check_file(in, bad[i], 1, "", NULL, &err), -1);
        assert_int_equal(err.code, CS_ERR_HOSTILE);
    }
    load_input_free(in);
}

static void test_open_missing(void **state)
{
    struct fixture *f = *state;
    struct cs_error err;
    struct load_input *in;

    cs_error_clear(&err);
    in = load_input_dir_new(f->dir, &err);
    assert_non_null(in);
    assert_null(in->open(in, "nope.tsv.zst", &err));
    assert_int_equal(err.code, CS_ERR_MISSING);
    assert_non_null(strstr(err.msg, "nope.tsv.zst"));
    load_input_free(in);
}

static void test_list(void **state)
{
    struct fixture *f = *state;
    struct cs_error err;
    struct load_input *in;
    char **names = NULL;
    size_t n = 0;
    int seen = 0;

    cs_error_clear(&err);
    in = load_input_dir_new(f->dir, &err);
    assert_non_null(in);
    assert_int_equal(in->list(in, &names, &n, &err), 0);
    assert_int_equal(n, 6); /* 2 chunks, 2 DDL, coordinates, manifest */
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(names[i], ".");
        assert_string_not_equal(names[i], "..");
        seen += !strcmp(names[i], FMT_MANIFEST_NAME) || !strcmp(names[i], CHUNK0);
    }
    assert_int_equal(seen, 2);
    load_input_free_list(names, n);
    load_input_free_list(NULL, 0);
    load_input_free(NULL);
    load_input_free(in);
}

static void test_bad_dir(void **state)
{
    struct fixture *f = *state;
    struct cs_error err;
    char *missing = path_in(f, "no-such-dir"), *file = path_in(f, CHUNK0);

    cs_error_clear(&err);
    assert_null(load_input_dir_new(missing, &err));
    assert_int_equal(err.code, CS_ERR_MISSING);
    assert_non_null(strstr(err.msg, "no-such-dir"));
    cs_error_clear(&err);
    assert_null(load_input_dir_new(file, &err));
    assert_int_equal(err.code, CS_ERR_USAGE);
    free(missing);
    free(file);
}

struct opener {
    struct load_input *in;
    const struct fmt_chunk *c;
    int rc;
};

static void *open_many(void *arg)
{
    struct opener *o = arg;
    struct cs_error err;

    o->rc = 0;
    for (int i = 0; i < 20 && o->rc == 0; i++) {
        cs_error_clear(&err);
        o->rc = load_check_file(o->in, o->c->file, o->c->file_bytes, o->c->file_hash, NULL, &err);
    }
    return NULL;
}

/* open() from several threads at once (meaningful under TSan). */
static void test_open_threads(void **state)
{
    struct fixture *f = *state;
    struct cs_error err;
    struct load_input *in;
    struct fmt_manifest *m;
    pthread_t th[4];
    struct opener o[4];

    cs_error_clear(&err);
    in = load_input_dir_new(f->dir, &err);
    assert_non_null(in);
    m = in->read_manifest(in, &err);
    assert_non_null(m);
    for (int i = 0; i < 4; i++) {
        o[i] = (struct opener){in, &m->tables[0].chunks[i % 2], -1};
        assert_int_equal(pthread_create(&th[i], NULL, open_many, &o[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(o[i].rc, 0);
    }
    fmt_manifest_free(m);
    load_input_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flipped_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_chunk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_longer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extra_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbled_manifest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_future_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_manifest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ddl_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ddl_rewritten, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_name, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_ddl_not_in_files, setup_empty, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_threads, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
