/* test_replfilter.c - load/replfilter.h: the replication filters that match
 * a partial dump, per target flavor; names the filters cannot hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/error.h"
#include "common/version.h"
#include "format/manifest.h"
#include "load/replfilter.h"

static struct cs_version ver(const char *text)
{
    struct cs_version v;

    assert_int_equal(cs_version_parse(text, NULL, &v), 0);
    return v;
}

static void add_table(struct fmt_manifest *m, const char *schema, const char *name)
{
    struct fmt_table *t = fmt_manifest_add_table(m);

    assert_non_null(t);
    t->schema = strdup(schema);
    t->name = strdup(name);
}

static void add_sequence(struct fmt_manifest *m, const char *schema, const char *name)
{
    struct fmt_object *o = fmt_manifest_add_object(m);

    assert_non_null(o);
    o->kind = FMT_OBJ_SEQUENCE;
    o->schema = strdup(schema);
    o->name = strdup(name);
}

/* bank whole, crm.keep and the sequence crm.seq alone, my_db whole */
static struct fmt_manifest *partial(void)
{
    struct fmt_manifest *m = fmt_manifest_new();

    assert_non_null(m);
    m->has_selection = 1;
    m->partial = 1;
    assert_int_equal(fmt_manifest_add_whole_schema(m, "bank"), 0);
    assert_int_equal(fmt_manifest_add_whole_schema(m, "my_db%"), 0);
    add_table(m, "bank", "acct");
    add_table(m, "crm", "keep");
    add_table(m, "my_db%", "t");
    add_sequence(m, "crm", "seq");
    add_sequence(m, "bank", "s");
    return m;
}

static void test_mariadb(void **state)
{
    struct fmt_manifest *m = partial();
    struct cs_version v = ver("10.11.9-MariaDB");
    struct load_replfilter f;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(load_replfilter_plan(m, &v, 0, &f, &err), 0);
    assert_int_equal(f.nstmts, 2);
    /* the literal's backslashes are doubled: the server reads my\_db\%.% */
    assert_string_equal(f.stmts[0],
                        "SET GLOBAL replicate_wild_do_table = 'bank.%,my\\\\_db\\\\%.%'");
    assert_string_equal(f.stmts[1], "SET GLOBAL replicate_do_table = 'crm.keep,crm.seq'");
    assert_string_equal(f.cnf, "replicate_wild_do_table=bank.%\n"
                               "replicate_wild_do_table=my\\_db\\%.%\n"
                               "replicate_do_table=crm.keep\n"
                               "replicate_do_table=crm.seq\n");
    assert_int_equal(f.nwild, 2);
    assert_int_equal(f.ntables, 2);
    load_replfilter_release(&f);
    load_replfilter_release(&f); /* released twice: nothing left */
    fmt_manifest_free(m);
}

static void test_mysql(void **state)
{
    struct fmt_manifest *m = partial();
    struct cs_version v = ver("9.7.0");
    struct load_replfilter f;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(load_replfilter_plan(m, &v, 0, &f, &err), 0);
    assert_int_equal(f.nstmts, 1);
    assert_string_equal(f.stmts[0], "CHANGE REPLICATION FILTER REPLICATE_WILD_DO_TABLE = "
                                    "('bank.%', 'my\\\\_db\\\\%.%'), REPLICATE_DO_TABLE = "
                                    "(`crm`.`keep`, `crm`.`seq`)");
    load_replfilter_release(&f);
    fmt_manifest_free(m);
}

/* Whole-instance dumps and older dumps (no record) get no filter. */
static void test_not_partial(void **state)
{
    struct fmt_manifest *m = fmt_manifest_new();
    struct cs_version v = ver("10.11.9-MariaDB");
    struct load_replfilter f;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    add_table(m, "bank", "acct");
    assert_int_equal(load_replfilter_plan(m, &v, 0, &f, &err), 0);
    assert_int_equal(f.nstmts, 0);
    assert_null(f.cnf);
    m->has_selection = 1;
    assert_int_equal(load_replfilter_plan(m, &v, 0, &f, &err), 0);
    assert_int_equal(f.nstmts, 0);
    fmt_manifest_free(m);
}

/* csload loads part of the dump: every loaded table alone, even of a
 * schema the dump holds whole; a whole-instance dump is narrowed too. */
static void test_narrowed(void **state)
{
    struct fmt_manifest *m = partial();
    struct cs_version v = ver("10.11.9-MariaDB");
    struct load_replfilter f;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    m->partial = 0;
    assert_int_equal(load_replfilter_plan(m, &v, 1, &f, &err), 0);
    assert_string_equal(f.stmts[0], "SET GLOBAL replicate_wild_do_table = ''");
    assert_string_equal(f.stmts[1], "SET GLOBAL replicate_do_table = "
                                    "'bank.acct,crm.keep,my_db%.t,crm.seq,bank.s'");
    load_replfilter_release(&f);
    fmt_manifest_free(m);
}

/* Only single tables: the wildcard list is empty (clears a stale one). */
static void test_tables_only(void **state)
{
    struct fmt_manifest *m = fmt_manifest_new();
    struct cs_version maria = ver("11.8.2-MariaDB"), mysql = ver("8.0.40");
    struct load_replfilter f;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    m->has_selection = m->partial = 1;
    add_table(m, "shop", "orders");
    assert_int_equal(load_replfilter_plan(m, &maria, 0, &f, &err), 0);
    assert_string_equal(f.stmts[0], "SET GLOBAL replicate_wild_do_table = ''");
    assert_string_equal(f.stmts[1], "SET GLOBAL replicate_do_table = 'shop.orders'");
    load_replfilter_release(&f);
    assert_int_equal(load_replfilter_plan(m, &mysql, 0, &f, &err), 0);
    assert_string_equal(f.stmts[0], "CHANGE REPLICATION FILTER REPLICATE_WILD_DO_TABLE = (), "
                                    "REPLICATE_DO_TABLE = (`shop`.`orders`)");
    load_replfilter_release(&f);
    fmt_manifest_free(m);
}

static void test_refused(void **state)
{
    struct cs_version maria = ver("10.11.9-MariaDB"), mysql = ver("9.7.0");
    struct load_replfilter f;
    struct cs_error err;
    struct fmt_manifest *m;

    (void)state;
    /* a comma: MariaDB's lists cannot hold it, MySQL's quoted names can */
    m = fmt_manifest_new();
    m->has_selection = m->partial = 1;
    add_table(m, "shop", "a,b");
    cs_error_clear(&err);
    assert_int_equal(load_replfilter_plan(m, &maria, 0, &f, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
    assert_non_null(strstr(err.msg, "table shop.a,b has a ','"));
    assert_non_null(strstr(err.msg, "--replicate-all"));
    assert_null(f.stmts);
    assert_int_equal(load_replfilter_plan(m, &mysql, 0, &f, &err), 0);
    assert_string_equal(f.stmts[0], "CHANGE REPLICATION FILTER REPLICATE_WILD_DO_TABLE = (), "
                                    "REPLICATE_DO_TABLE = (`shop`.`a,b`)");
    load_replfilter_release(&f);
    fmt_manifest_free(m);
    /* a dot in a schema name: on both */
    m = fmt_manifest_new();
    m->has_selection = m->partial = 1;
    assert_int_equal(fmt_manifest_add_whole_schema(m, "a.b"), 0);
    cs_error_clear(&err);
    assert_int_equal(load_replfilter_plan(m, &mysql, 0, &f, &err), -1);
    assert_non_null(strstr(err.msg, "schema a.b has a '.'"));
    fmt_manifest_free(m);
    /* partial, but nothing a filter could match */
    m = fmt_manifest_new();
    m->has_selection = m->partial = 1;
    cs_error_clear(&err);
    assert_int_equal(load_replfilter_plan(m, &maria, 0, &f, &err), -1);
    assert_non_null(strstr(err.msg, "no table or sequence"));
    fmt_manifest_free(m);
}

/* The manifest carries the record through JSON both ways. */
static void test_manifest_round_trip(void **state)
{
    struct fmt_manifest *m, *back;
    struct cs_error err;
    char path[4096], *text, *json;
    FILE *fp;
    long n;

    (void)state;
    cs_error_clear(&err);
    snprintf(path, sizeof(path), "%s/manifest-full.json", CS_TEST_DATA);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    m = fmt_manifest_from_json(text, (size_t)n, "manifest-full.json", &err);
    assert_non_null(m);
    assert_int_equal(m->has_selection, 0); /* an older dump says nothing */
    m->has_selection = m->partial = 1;
    assert_int_equal(fmt_manifest_add_whole_schema(m, "my_db%"), 0);
    json = fmt_manifest_to_json(m, &err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"partial\": true"));
    back = fmt_manifest_from_json(json, strlen(json), "m", &err);
    assert_non_null(back);
    assert_int_equal(back->has_selection, 1);
    assert_int_equal(back->partial, 1);
    assert_int_equal(back->nwhole_schemas, 1);
    assert_true(fmt_manifest_schema_whole(back, "my_db%"));
    assert_false(fmt_manifest_schema_whole(back, "crm"));
    fmt_manifest_free(back);
    free(json);
    fmt_manifest_free(m);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mariadb),
        cmocka_unit_test(test_mysql),
        cmocka_unit_test(test_not_partial),
        cmocka_unit_test(test_tables_only),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_narrowed),
        cmocka_unit_test(test_manifest_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
