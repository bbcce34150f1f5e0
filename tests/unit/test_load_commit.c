/* test_load_commit.c - load/chunk.c, load/jobs.c (load_job_apply) and
 * load/journal.c on the fake server, through the load pool: a chunk's
 * transaction (START, LOAD DATA LOCAL fed from the file, the journal row,
 * COMMIT), and what happens when the connection is lost -- at the COMMIT
 * (the journal on a new connection decides whether it landed), inside the
 * chunk, or again during the lookup -- plus the retries of a deadlock on
 * the same connection, their bound, warnings, and non-transactional tables
 * that are never retried. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/fs.h"
#include "format/hash.h"
#include "format/manifest.h"
#include "load/chunk.h"
#include "load/jobs.h"
#include "load/journal.h"
#include "load/pool.h"
#include "fake_conn.h"

#define DUMP_ID "0123456789abcdef0123456789abcdef"
#define CHUNK "shop.orders.00000.000.tsv"
#define DATA "1\ta\n2\tb\n3\t\\N\n"
#define LOAD_SQL                                                                                   \
    "LOAD DATA LOCAL INFILE 'csload-chunk' INTO TABLE `shop`.`orders` CHARACTER SET binary "       \
    "FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (`id`,`v`)"
#define LOOKUP_SQL                                                                                 \
    "SELECT COUNT(*) FROM `__csload`.`journal` WHERE dump_id = '" DUMP_ID                          \
    "' AND item = 'chunk:" CHUNK "'"
#define W1 "data worker 1"

struct fx {
    struct fake_server *fs;
    struct fake_logger log;
    char dir[64];
    struct load_config cfg;
    struct load_target target;
    struct fmt_manifest *m;
    struct load_ctx ctx;
    struct load_chunk_ref ref;
    void *jobs[1];
    struct load_phase ph;
    char *journal_sql;
    struct cs_error err;
};

static void write_file(const char *dir, const char *name, const char *data)
{
    char *path = cs_fs_join(dir, name);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, strlen(data), fp), strlen(data));
    fclose(fp);
    free(path);
}

static void fx_init(struct fx *f, int transactional)
{
    struct fake_script *any;
    struct fmt_table *t;
    struct fmt_chunk *c;
    struct cs_buf b = CS_BUF_INIT;

    memset(f, 0, sizeof(*f));
    f->fs = fake_server_new();
    fake_logger_init(&f->log);
    snprintf(f->dir, sizeof(f->dir), "/tmp/cs_test_load.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    write_file(f->dir, CHUNK, DATA);
    fake_server_config(f->fs, &f->cfg.conn);
    f->cfg.log = &f->log.log;
    f->cfg.threads = 1;
    f->cfg.retries = 2;
    assert_int_equal(cs_version_parse("10.11.19-MariaDB", NULL, &f->target.version), 0);

    f->m = fmt_manifest_new();
    assert_non_null(f->m);
    f->m->format = FMT_FORMAT_TSV;
    f->m->compress = FMT_COMPRESS_NONE;
    t = fmt_manifest_add_table(f->m);
    t->schema = strdup("shop");
    t->name = strdup("orders");
    t->engine = strdup(transactional ? "InnoDB" : "MyISAM");
    t->transactional = transactional;
    t->columns = calloc(2, sizeof(*t->columns));
    t->ncolumns = 2;
    t->columns[0].name = strdup("id");
    t->columns[0].kind = FMT_COL_NUMBER;
    t->columns[1].name = strdup("v");
    t->columns[1].kind = FMT_COL_STRING;
    c = fmt_table_add_chunk(t);
    c->file = strdup(CHUNK);
    c->rows = 3;
    c->file_bytes = strlen(DATA);
    fmt_hash128_hex(DATA, strlen(DATA), c->file_hash);
    snprintf(c->checksum, sizeof(c->checksum), "00112233aabbccdd");
    t->rows = 3;

    f->ctx.cfg = &f->cfg;
    f->ctx.in = load_input_dir_new(f->dir, &f->err);
    assert_non_null(f->ctx.in);
    f->ctx.m = f->m;
    f->ctx.dump_id = DUMP_ID;
    f->ctx.use_infile = 1;
    f->ref = (struct load_chunk_ref){0, 0};
    f->jobs[0] = &f->ref;
    f->ph = (struct load_phase){.name = "data",
                                .cfg = &f->cfg,
                                .target = &f->target,
                                .sql_mode = "",
                                .jobs = f->jobs,
                                .njobs = 1,
                                .fn = load_job_chunk,
                                .ctx = &f->ctx};
    load_journal_insert_sql(&b, DUMP_ID, "chunk:" CHUNK, 3, "00112233aabbccdd");
    f->journal_sql = cs_buf_detach(&b);
    cs_error_clear(&f->err);

    /* every load session */
    any = fake_server_any(f->fs);
    fake_times(fake_expect_prefix(any, "SET NAMES binary, SESSION time_zone = '+00:00'"),
               FAKE_ALWAYS);
    fake_times(fake_expect(any, "SET SESSION sql_log_bin=0"), FAKE_ALWAYS);
    fake_times(fake_expect(any, "SET SESSION max_statement_time=0"), FAKE_ALWAYS);
}

static void fx_release(struct fx *f)
{
    char *path = cs_fs_join(f->dir, CHUNK);

    assert_int_equal(fake_open_conns(f->fs), 0);
    unlink(path);
    free(path);
    rmdir(f->dir);
    load_input_free(f->ctx.in);
    fmt_manifest_free(f->m);
    free(f->journal_sql);
    fake_server_free(f->fs);
    fake_logger_release(&f->log);
}

/* One connection's script: the chunk applied, its COMMIT answered by the
 * last step (returned so the caller can make it fail). */
static struct fake_step *apply(struct fx *f, struct fake_script *s)
{
    fake_expect(s, "START TRANSACTION");
    fake_infile(fake_expect(s, LOAD_SQL));
    fake_ok(fake_expect(s, f->journal_sql), 1, 0);
    return fake_expect(s, "COMMIT");
}

static void lookup(struct fake_script *s, const char *count)
{
    fake_row(fake_columns(fake_expect(s, LOOKUP_SQL), 1, "COUNT(*)"), count);
}

static void all_answered(struct fx *f)
{
    if (fake_unanswered(f->fs) || fake_unused(f->fs))
        fake_log_print(f->fs, stderr);
    assert_int_equal(fake_unanswered(f->fs), 0);
    assert_int_equal(fake_unused(f->fs), 0);
}

static char *session_sql(struct fx *f)
{
    char *all = fake_log_sql(f->fs, W1);
    struct cs_buf b = CS_BUF_INIT;
    char *line, *save = NULL;

    /* the statements without the session settings */
    for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (strncmp(line, "SET ", 4))
            cs_buf_printf(&b, "%s%s", b.len ? "\n" : "", line);
    free(all);
    return cs_buf_detach(&b);
}

static void assert_statements(struct fx *f, const char *want)
{
    char *got = session_sql(f);

    if (strcmp(got, want))
        fprintf(stderr, "got\n%s\n---- want\n%s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

/* ---- the plain case -------------------------------------------------------- */

static void test_chunk_applied(void **state)
{
    struct fx f;
    char want[2048];

    (void)state;
    fx_init(&f, 1);
    apply(&f, fake_script_new(f.fs, W1));
    if (load_pool_run(&f.ph, &f.err) < 0)
        fail_msg("%s", f.err.msg);
    assert_int_equal(atomic_load(&f.ctx.prog.chunks), 1);
    assert_int_equal(atomic_load(&f.ctx.prog.rows), 3);
    assert_int_equal(atomic_load(&f.ctx.prog.bytes), strlen(DATA));
    /* rows, journal row, COMMIT: one transaction */
    snprintf(want, sizeof(want), "START TRANSACTION\n" LOAD_SQL "\n%s\nCOMMIT", f.journal_sql);
    assert_statements(&f, want);
    all_answered(&f);
    fx_release(&f);
}

/* The server took another number of rows than the manifest says: rolled
 * back, never committed. */
static void test_row_count_mismatch(void **state)
{
    struct fx f;
    struct fake_script *s;

    (void)state;
    fx_init(&f, 1);
    s = fake_script_new(f.fs, W1);
    fake_expect(s, "START TRANSACTION");
    fake_ok(fake_infile(fake_expect(s, LOAD_SQL)), 2, 0);
    fake_expect(s, "ROLLBACK");
    assert_int_equal(load_pool_run(&f.ph, &f.err), -1);
    assert_int_equal(f.err.code, CS_ERR_CHECKSUM);
    assert_non_null(strstr(f.err.msg, "the server took 2 rows, the manifest says 3"));
    assert_int_equal(fake_log_matches(f.fs, NULL, "COMMIT"), 0);
    all_answered(&f);
    fx_release(&f);
}

/* A warning is data loss: the chunk is rolled back, the warnings named. */
static void test_warnings_fail_the_chunk(void **state)
{
    struct fx f;
    struct fake_script *s;
    struct fake_step *st;

    (void)state;
    fx_init(&f, 1);
    s = fake_script_new(f.fs, W1);
    fake_expect(s, "START TRANSACTION");
    fake_ok(fake_infile(fake_expect(s, LOAD_SQL)), 3, 1);
    st = fake_columns(fake_expect(s, "SHOW WARNINGS LIMIT 3"), 3, "Level", "Code", "Message");
    fake_row(st, "Warning", "1265", "Data truncated for column 'v' at row 2");
    fake_expect(s, "ROLLBACK");
    assert_int_equal(load_pool_run(&f.ph, &f.err), -1);
    assert_non_null(strstr(f.err.msg, "shop.orders chunk " CHUNK ": the server reported 1 "
                                      "warning(s) (data would be lost, so nothing of the chunk "
                                      "was kept): [Warning 1265: Data truncated for column 'v' "
                                      "at row 2]"));
    /* not transient: no retry */
    assert_int_equal(fake_log_matches(f.fs, NULL, "START TRANSACTION"), 1);
    all_answered(&f);
    fx_release(&f);
}

/* ---- a lost connection: the journal decides -------------------------------- */

static void test_commit_lost_but_landed(void **state)
{
    struct fx f;
    struct fake_script *again;
    char want[2048];

    (void)state;
    fx_init(&f, 1);
    fake_lost(apply(&f, fake_script_new(f.fs, W1)));
    again = fake_script_new(f.fs, W1);
    lookup(again, "1");
    if (load_pool_run(&f.ph, &f.err) < 0)
        fail_msg("%s", f.err.msg);
    /* the COMMIT had landed: not applied twice */
    assert_int_equal(atomic_load(&f.ctx.prog.chunks), 1);
    assert_int_equal(atomic_load(&f.ctx.prog.rows), 3);
    snprintf(want, sizeof(want), "START TRANSACTION\n" LOAD_SQL "\n%s\nCOMMIT\n" LOOKUP_SQL,
             f.journal_sql);
    assert_statements(&f, want);
    /* the lookup on a new connection; nothing sent to the dead one */
    assert_int_equal(fake_log_at(f.fs, (size_t)fake_log_find(f.fs, 0, W1, LOOKUP_SQL)).conn, 2);
    assert_int_equal(fake_log_matches(f.fs, NULL, "ROLLBACK"), 0);
    assert_non_null(strstr(fake_logger_text(&f.log), "; retrying the chunk (1 of 2)"));
    all_answered(&f);
    fx_release(&f);
}

static void test_commit_lost_not_landed(void **state)
{
    struct fx f;
    struct fake_script *again;
    char want[2048];

    (void)state;
    fx_init(&f, 1);
    fake_lost(apply(&f, fake_script_new(f.fs, W1)));
    again = fake_script_new(f.fs, W1);
    lookup(again, "0");
    apply(&f, again);
    if (load_pool_run(&f.ph, &f.err) < 0)
        fail_msg("%s", f.err.msg);
    assert_int_equal(atomic_load(&f.ctx.prog.chunks), 1);
    /* applied again, whole, on the new connection */
    snprintf(want, sizeof(want),
             "START TRANSACTION\n" LOAD_SQL "\n%s\nCOMMIT\n" LOOKUP_SQL
             "\nSTART TRANSACTION\n" LOAD_SQL "\n%s\nCOMMIT",
             f.journal_sql, f.journal_sql);
    assert_statements(&f, want);
    assert_int_equal(fake_log_at(f.fs, (size_t)fake_log_find(f.fs, 0, W1, "COMMIT")).conn, 1);
    all_answered(&f);
    fx_release(&f);
}

/* Lost inside the chunk, before the COMMIT: the journal still decides. */
static void test_lost_during_load_data(void **state)
{
    struct fx f;
    struct fake_script *s, *again;

    (void)state;
    fx_init(&f, 1);
    s = fake_script_new(f.fs, W1);
    fake_expect(s, "START TRANSACTION");
    fake_lost(fake_expect(s, LOAD_SQL));
    again = fake_script_new(f.fs, W1);
    lookup(again, "0");
    apply(&f, again);
    if (load_pool_run(&f.ph, &f.err) < 0)
        fail_msg("%s", f.err.msg);
    assert_int_equal(fake_log_matches(f.fs, W1, "COMMIT"), 1);
    assert_int_equal(fake_log_matches(f.fs, W1, LOOKUP_SQL), 1);
    all_answered(&f);
    fx_release(&f);
}

/* The lookup is lost as well: the outcome is unknown, so the chunk fails
 * (a rerun reads the journal) rather than risk loading it twice. */
static void test_lookup_lost_fails(void **state)
{
    struct fx f;
    struct fake_script *again;

    (void)state;
    fx_init(&f, 1);
    fake_lost(apply(&f, fake_script_new(f.fs, W1)));
    again = fake_script_new(f.fs, W1);
    fake_lost(fake_expect(again, LOOKUP_SQL));
    assert_int_equal(load_pool_run(&f.ph, &f.err), -1);
    assert_int_equal(f.err.code, CS_ERR_CONN_LOST);
    assert_non_null(strstr(f.err.msg, "Lost connection"));
    assert_int_equal(atomic_load(&f.ctx.prog.chunks), 0);
    assert_int_equal(fake_log_matches(f.fs, W1, "START TRANSACTION"), 1);
    all_answered(&f);
    fx_release(&f);
}

/* --retries bounds the attempts. */
static void test_retries_bounded(void **state)
{
    struct fx f;
    struct fake_script *again;

    (void)state;
    fx_init(&f, 1);
    f.cfg.retries = 1;
    fake_lost(apply(&f, fake_script_new(f.fs, W1)));
    again = fake_script_new(f.fs, W1);
    lookup(again, "0");
    fake_lost(apply(&f, again));
    assert_int_equal(load_pool_run(&f.ph, &f.err), -1);
    assert_int_equal(f.err.code, CS_ERR_CONN_LOST);
    assert_int_equal(fake_log_matches(f.fs, W1, "COMMIT"), 2);
    assert_int_equal(fake_log_matches(f.fs, W1, "(open)"), 2); /* no third connection */
    all_answered(&f);
    fx_release(&f);
}

/* ---- transient server errors, non-transactional tables --------------------- */

static void test_deadlock_retried_in_place(void **state)
{
    struct fx f;
    struct fake_script *s;

    (void)state;
    fx_init(&f, 1);
    s = fake_script_new(f.fs, W1);
    fake_error(apply(&f, s), 1213, "40001",
               "Deadlock found when trying to get lock; try restarting transaction");
    fake_expect(s, "ROLLBACK");
    apply(&f, s);
    if (load_pool_run(&f.ph, &f.err) < 0)
        fail_msg("%s", f.err.msg);
    /* rolled back and redone on the same connection, no journal lookup */
    assert_int_equal(fake_log_matches(f.fs, W1, "(open)"), 1);
    assert_int_equal(fake_log_matches(f.fs, W1, LOOKUP_SQL), 0);
    assert_true(fake_log_find(f.fs, 0, W1, "ROLLBACK") <
                fake_log_find(f.fs, (size_t)fake_log_find(f.fs, 0, W1, "ROLLBACK"), W1,
                              "START TRANSACTION"));
    assert_int_equal(atomic_load(&f.ctx.prog.chunks), 1);
    all_answered(&f);
    fx_release(&f);
}

static void test_nontransactional_not_retried(void **state)
{
    struct fx f;
    struct fake_script *s;

    (void)state;
    fx_init(&f, 0);
    s = fake_script_new(f.fs, W1);
    fake_infile(fake_expect(s, LOAD_SQL));
    fake_lost(fake_expect(s, f.journal_sql));
    fake_script_new(f.fs, W1); /* a reconnect would find nothing to answer */
    assert_int_equal(load_pool_run(&f.ph, &f.err), -1);
    assert_non_null(strstr(f.err.msg, "shop.orders is not transactional: some rows of chunk " CHUNK
                                      " may be in it; run the same command again to reload the "
                                      "table whole"));
    /* no transaction, no retry, no lookup */
    assert_int_equal(fake_log_matches(f.fs, NULL, "START TRANSACTION"), 0);
    assert_int_equal(fake_log_matches(f.fs, NULL, "COMMIT"), 0);
    assert_int_equal(fake_log_matches(f.fs, W1, "(open)"), 1);
    all_answered(&f);
    fx_release(&f);
}

/* A damaged file explains the failure better than the server's echo of it;
 * nothing of it is committed. */
static void damaged(const char *data, int code, const char *words)
{
    struct fx f;
    struct fake_script *s;

    fx_init(&f, 1);
    write_file(f.dir, CHUNK, data);
    s = fake_script_new(f.fs, W1);
    fake_expect(s, "START TRANSACTION");
    fake_infile(fake_expect(s, LOAD_SQL));
    fake_expect(s, "ROLLBACK");
    assert_int_equal(load_pool_run(&f.ph, &f.err), -1);
    assert_int_equal(f.err.code, code);
    assert_non_null(strstr(f.err.msg, CHUNK));
    assert_non_null(strstr(f.err.msg, words));
    assert_int_equal(fake_log_matches(f.fs, NULL, "INSERT INTO `__csload`*"), 0);
    assert_int_equal(fake_log_matches(f.fs, NULL, "START TRANSACTION"), 1);
    all_answered(&f);
    fx_release(&f);
}

static void test_damaged_file(void **state)
{
    (void)state;
    damaged("1\ta\n2\tb\n3\tZZ\n", CS_ERR_CHECKSUM, "");           /* same size */
    damaged("1\ta\n2\tb\n3\tZ\n", CS_ERR_TRUNCATED, "is damaged"); /* shorter */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunk_applied),
        cmocka_unit_test(test_row_count_mismatch),
        cmocka_unit_test(test_warnings_fail_the_chunk),
        cmocka_unit_test(test_commit_lost_but_landed),
        cmocka_unit_test(test_commit_lost_not_landed),
        cmocka_unit_test(test_lost_during_load_data),
        cmocka_unit_test(test_lookup_lost_fails),
        cmocka_unit_test(test_retries_bounded),
        cmocka_unit_test(test_deadlock_retried_in_place),
        cmocka_unit_test(test_nontransactional_not_retried),
        cmocka_unit_test(test_damaged_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
