/* common/progress.c and the console's sinks: the JSON events, the log file
 * under -q, the progress line's percent, and no ETA before it means
 * something. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/cli.h"
#include "common/console.h"
#include "common/progress.h"

struct fixture {
    char dir[64];
    char json[128];
    char log[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/cs-progress.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->json, sizeof(f->json), "%s/events.json", f->dir);
    snprintf(f->log, sizeof(f->log), "%s/run.log", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    unlink(f->json);
    unlink(f->log);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* The events written to PATH, as one JSON array. */
static json_t *read_events(const char *path)
{
    FILE *in = fopen(path, "r");
    json_t *all = json_array();
    char line[8192];

    assert_non_null(in);
    while (fgets(line, sizeof(line), in)) {
        json_error_t e;
        json_t *o = json_loads(line, 0, &e);
        assert_non_null(o); /* each line one object */
        assert_int_equal(json_integer_value(json_object_get(o, "v")), 1);
        json_array_append_new(all, o);
    }
    fclose(in);
    return all;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static long long num(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static char *slurp(const char *path)
{
    FILE *in = fopen(path, "r");
    static char buf[65536];
    size_t n;

    assert_non_null(in);
    n = fread(buf, 1, sizeof(buf) - 1, in);
    buf[n] = '\0';
    fclose(in);
    return buf;
}

static void test_events_and_log_file(void **state)
{
    struct fixture *f = *state;
    struct cs_cli_common o = {.quiet = 1, .progress = 1, .json = f->json, .log_file = f->log};
    struct cs_console c;
    struct cs_log log;
    struct cs_error err;
    json_t *ev, *last;
    long long rows = 0;
    size_t i;
    char *text;

    cs_console_init(&c, "cstest");
    assert_int_equal(cs_console_configure(&c, &o, 0, &log, &err), 0);
    cs_progress_phase(&c, "plan", 0, NULL);
    cs_log_info(&log, "an info line -q keeps off stderr");
    cs_progress_phase(&c, "data", 3, "chunks");
    cs_progress_totals(&c, 300, 3000, 0);
    cs_progress_chunk(&c, "db", "t", "db.t.00000.000.tsv.zst", 100, 1000, 50);
    cs_progress_chunk(&c, "db", "t", "db.t.00001.000.tsv.zst", 150, 1500, 70);
    cs_progress_retry(&c, "db.t.00002.000.tsv.zst", 1, 5, "lost connection");
    cs_progress_skipped(&c, 50, 500);
    cs_progress_job_done(&c);
    cs_progress_job_done(&c);
    cs_progress_table(&c, "db", "t", 300, 3000, 3);
    cs_log_warn(&log, "a warning");
    cs_progress_end(&c, 1, "it failed");
    cs_progress_end(&c, 0, NULL); /* once */
    cs_console_release(&c);

    ev = read_events(f->json);
    assert_string_equal(str(json_array_get(ev, 0), "event"), "start");
    for (i = 0; i < json_array_size(ev); i++) {
        json_t *e = json_array_get(ev, i);
        if (!strcmp(str(e, "event"), "chunk"))
            rows += num(e, "rows");
    }
    assert_int_equal(rows, 250);
    last = json_array_get(ev, json_array_size(ev) - 1);
    assert_string_equal(str(last, "event"), "summary");
    assert_int_equal(num(last, "exit_status"), 1);
    assert_string_equal(str(last, "error"), "it failed");
    assert_int_equal(num(last, "rows"), 250);
    assert_int_equal(num(last, "skipped_rows"), 50);
    assert_int_equal(num(last, "retries"), 1);
    assert_int_equal(num(last, "warnings"), 1);
    assert_int_equal(num(last, "tables"), 1);
    json_decref(ev);

    /* the log file has what -q kept off stderr, timestamped */
    text = slurp(f->log);
    assert_non_null(strstr(text, "Z cstest: an info line -q keeps off stderr\n"));
    assert_non_null(strstr(text, "Z cstest: phase data: 3 chunks\n"));
    assert_non_null(strstr(text, "Z cstest: data: db.t done: 300 rows"));
    assert_non_null(strstr(text, "Z cstest: warning: a warning\n"));
    /* the phase's last line: all of it done (skipped chunks count), no ETA
     * before 3 s in the phase */
    assert_non_null(strstr(text, "cstest: data 100% | 300/300 rows | 0.0/0.0 MB raw | 2/3 chunks"));
    assert_null(strstr(text, "ETA"));
}

static void test_bad_targets(void **state)
{
    struct fixture *f = *state;
    struct cs_cli_common o = {.progress = 1, .json = "77"};
    struct cs_console c;
    struct cs_log log;
    struct cs_error err;
    char path[200];

    cs_console_init(&c, "cstest");
    assert_int_equal(cs_console_configure(&c, &o, 0, &log, &err), -1);
    assert_non_null(strstr(err.msg, "file descriptor 77 is not open"));
    cs_console_release(&c);

    snprintf(path, sizeof(path), "%s/no/such/dir/log", f->dir);
    o.json = NULL;
    o.log_file = path;
    cs_console_init(&c, "cstest");
    assert_int_equal(cs_console_configure(&c, &o, 0, &log, &err), -1);
    assert_non_null(strstr(err.msg, "--log-file"));
    cs_console_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_events_and_log_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_targets, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
