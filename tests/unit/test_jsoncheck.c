/* MySQL JSON columns against the target's flavor (load/jsoncheck.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "load/jsoncheck.h"

static char *xstrdup(const char *s)
{
    char *d = strdup(s);

    assert_non_null(d);
    return d;
}

static void add_column(struct fmt_table *t, const char *name, enum fmt_col_kind kind,
                       uint64_t typed)
{
    void *p = realloc(t->columns, (t->ncolumns + 1) * sizeof(*t->columns));

    assert_non_null(p);
    t->columns = p;
    memset(&t->columns[t->ncolumns], 0, sizeof(*t->columns));
    t->columns[t->ncolumns].name = xstrdup(name);
    t->columns[t->ncolumns].type = xstrdup("json");
    t->columns[t->ncolumns].kind = kind;
    t->columns[t->ncolumns].typed_values = typed;
    t->ncolumns++;
}

/* fx.js: id, j (3 tagged values), k (text only) */
static struct fmt_manifest *manifest(uint64_t typed)
{
    struct fmt_manifest *m = fmt_manifest_new();
    struct fmt_table *t;

    assert_non_null(m);
    t = fmt_manifest_add_table(m);
    assert_non_null(t);
    t->schema = xstrdup("fx");
    t->name = xstrdup("js");
    add_column(t, "id", FMT_COL_NUMBER, 0);
    add_column(t, "j", FMT_COL_MYSQL_JSON, typed);
    add_column(t, "k", FMT_COL_MYSQL_JSON, 0);
    return m;
}

static const struct cs_version mysql97 = {CS_FLAVOR_MYSQL, 9, 7, 4};
static const struct cs_version mysql57 = {CS_FLAVOR_MYSQL, 5, 7, 44};
static const struct cs_version mariadb = {CS_FLAVOR_MARIADB, 10, 11, 6};

static void test_mysql_target_keeps_types(void **state)
{
    struct fmt_manifest *m = manifest(3);
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(load_jsoncheck_target(m, &mysql97, NULL, &err), 0);
    assert_int_equal(m->tables[0].columns[1].kind, FMT_COL_MYSQL_JSON);
    assert_int_equal(m->tables[0].columns[2].kind, FMT_COL_MYSQL_JSON);
    fmt_manifest_free(m);
}

static void test_refused_by_column(void **state)
{
    const struct cs_version *targets[] = {&mariadb, &mysql57};
    struct cs_error err;

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        struct fmt_manifest *m = manifest(3);
        cs_error_clear(&err);
        assert_int_equal(load_jsoncheck_target(m, targets[i], NULL, &err), -1);
        assert_int_equal(err.code, CS_ERR_USAGE);
        assert_non_null(strstr(err.msg, "fx.js.j (3 value(s))"));
        assert_null(strstr(err.msg, "fx.js.k"));
        assert_non_null(strstr(err.msg, "nothing was loaded"));
        fmt_manifest_free(m);
    }
}

/* Columns whose values are all plain text load as text: the dump's
 * checksums are those of the text. */
static void test_text_only_loads_as_text(void **state)
{
    struct fmt_manifest *m = manifest(0);
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(load_jsoncheck_target(m, &mariadb, NULL, &err), 0);
    assert_int_equal(m->tables[0].columns[0].kind, FMT_COL_NUMBER);
    assert_int_equal(m->tables[0].columns[1].kind, FMT_COL_UTF8TEXT);
    assert_int_equal(m->tables[0].columns[2].kind, FMT_COL_UTF8TEXT);
    fmt_manifest_free(m);
}

/* A streamed dump's catalog counts nothing: each chunk is checked. */
static void test_chunk(void **state)
{
    struct fmt_manifest *m = manifest(0);
    struct fmt_chunk c = {0};
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    c.file = "fx.js.00000.000.tsv.zst";
    assert_int_equal(load_jsoncheck_chunk(&m->tables[0], &c, &err), 0);
    c.typed_values = 2;
    assert_int_equal(load_jsoncheck_chunk(&m->tables[0], &c, &err), 0); /* MySQL: rebuilt */
    assert_int_equal(load_jsoncheck_target(m, &mariadb, NULL, &err), 0);
    assert_int_equal(load_jsoncheck_chunk(&m->tables[0], &c, &err), -1);
    assert_non_null(strstr(err.msg, "fx.js chunk fx.js.00000.000.tsv.zst: 2 MySQL JSON value(s)"));
    fmt_manifest_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mysql_target_keeps_types),
        cmocka_unit_test(test_refused_by_column),
        cmocka_unit_test(test_text_only_loads_as_text),
        cmocka_unit_test(test_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
