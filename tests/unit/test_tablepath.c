/* load/tablepath: the per-table choice of how a table's chunks go in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "load/chunk.h"
#include "load/tablepath.h"

/* MariaDB 10.11 defaults: mode 1, the bulk-insert path, LOAD DATA LOCAL,
 * arrays of bound rows. */
static struct load_path_env mariadb(unsigned threads)
{
    struct load_path_env e = {.threads = threads,
                              .autoinc_lock_mode = 1,
                              .bulk_path = 1,
                              .infile = 1,
                              .sizes_known = 1,
                              .bound = 1,
                              .total_bytes = 1000};
    return e;
}

static void choose(const struct load_path_env *e, int autoinc, int bindable, size_t nchunks,
                   uint64_t bytes, struct load_path_choice *c)
{
    struct load_path_table t = {
        .autoinc = autoinc, .bindable = bindable, .nchunks = nchunks, .bytes = bytes};

    load_path_choose(e, &t, c);
}

static void bindable_tables_go_bound(void **state)
{
    struct load_path_env e = mariadb(2);
    struct load_path_choice c;

    (void)state;
    choose(&e, 1, 1, 4, 1000, &c); /* the one-table shape: one chunk at a time */
    assert_int_equal(c.path, LOAD_PATH_BOUND_SERIAL);
    assert_true(c.no_bulk);
    assert_non_null(strstr(c.why, "arrays of bound values"));
    assert_non_null(strstr(c.why, "bulk-insert path"));
    assert_string_equal(load_path_name(c.path, e.infile), "prepared INSERT of 1000-row arrays");
    choose(&e, 1, 1, 3, 100, &c); /* small AUTO_INCREMENT table: one chunk at a time */
    assert_int_equal(c.path, LOAD_PATH_BOUND_SERIAL);
    assert_non_null(strstr(c.why, "spin on its counter"));
    choose(&e, 1, 1, 3, 501, &c); /* more than one thread's share: the same */
    assert_int_equal(c.path, LOAD_PATH_BOUND_SERIAL);
    choose(&e, 0, 1, 3, 100, &c); /* no AUTO_INCREMENT: cheaper than LOAD DATA too */
    assert_int_equal(c.path, LOAD_PATH_BOUND);
    e.threads = 1; /* cheaper with one thread as well */
    choose(&e, 1, 1, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_BOUND);
    choose(&e, 1, 1, 3, 100, &c); /* one thread: nothing to serialise */
    assert_int_equal(c.path, LOAD_PATH_BOUND);
    e.infile = 0; /* local_infile OFF: arrays instead of text INSERTs */
    choose(&e, 1, 1, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_BOUND);
    e.threads = 2;
    e.sizes_known = 0; /* a streamed catalog: no sizes needed */
    choose(&e, 1, 1, 0, 0, &c);
    assert_int_equal(c.path, LOAD_PATH_BOUND_SERIAL);
    choose(&e, 0, 1, 0, 0, &c);
    assert_int_equal(c.path, LOAD_PATH_BOUND);
    e = mariadb(2);
    choose(&e, 1, 1, 1, LOAD_PATH_BOUND_MIN_BYTES - 1, &c); /* one small chunk: LOAD DATA */
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_true(c.no_bulk); /* off the bulk-insert path all the same */
    assert_non_null(strstr(c.why, "unique_checks=1"));
    choose(&e, 0, 1, 1, LOAD_PATH_BOUND_MIN_BYTES, &c); /* one big chunk: bound */
    assert_non_null(strstr(c.why, "unique_checks=1"));
    assert_int_equal(c.path + c.no_bulk, LOAD_PATH_BOUND + 1);
}

static void big_unbindable_autoinc_table_goes_parallel_as_insert(void **state)
{
    struct load_path_choice c;
    struct load_path_env e;

    (void)state;
    e = mariadb(2);
    choose(&e, 1, 0, 4, 1000, &c); /* a FLOAT column, say */
    assert_int_equal(c.path, LOAD_PATH_INSERT);
    assert_true(c.no_bulk);
    assert_non_null(strstr(c.why, "innodb_autoinc_lock_mode 1"));
    assert_non_null(strstr(c.why, "bulk-insert path"));
    assert_string_equal(load_path_name(c.path, e.infile), "multi-row INSERT");
    choose(&e, 1, 0, 4, 501, &c); /* just over one thread's share */
    assert_int_equal(c.path, LOAD_PATH_INSERT);
    e = mariadb(2);
    e.bound = 0; /* a server without arrays of rows: the same for a bindable table */
    choose(&e, 1, 1, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_INSERT);
}

static void small_unbindable_autoinc_table_stays_serial(void **state)
{
    struct load_path_env e = mariadb(2);
    struct load_path_choice c;

    (void)state;
    choose(&e, 1, 0, 3, 500, &c); /* exactly one thread's share */
    assert_int_equal(c.path, LOAD_PATH_SERIAL);
    assert_non_null(strstr(c.why, "other tables fill the other threads"));
    assert_string_equal(load_path_name(c.path, e.infile), "LOAD DATA");
    e.threads = 4;
    choose(&e, 1, 0, 3, 300, &c); /* 30 % with 4 threads: more than a share */
    assert_int_equal(c.path, LOAD_PATH_INSERT);
    e.sizes_known = 0; /* a streamed catalog: no sizes, kept serial */
    choose(&e, 1, 0, 0, 0, &c);
    assert_non_null(strstr(c.why, "not known yet"));
    assert_int_equal(c.path + c.no_bulk, LOAD_PATH_SERIAL + 1);
}

static void no_autoinc_lock_no_special_path(void **state)
{
    struct load_path_env e = mariadb(2);
    struct load_path_choice c;

    (void)state;
    e.autoinc_lock_mode = 2;
    e.bound = 0; /* MySQL 8+: mode 2, no arrays of rows */
    choose(&e, 1, 1, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    e = mariadb(2);
    choose(&e, 0, 0, 4, 1000, &c); /* no AUTO_INCREMENT column */
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_true(c.no_bulk);
    e.infile = 0; /* sql chunks or INSERTs anyway: simple inserts */
    choose(&e, 1, 0, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
}

static void one_chunk_or_thread_or_mysql_keeps_the_defaults(void **state)
{
    struct load_path_env e = mariadb(1);
    struct load_path_choice c;

    (void)state;
    choose(&e, 1, 0, 4, 1000, &c); /* one thread: off the bulk path all the same */
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_true(c.no_bulk);
    assert_non_null(strstr(c.why, "unique_checks=1"));
    e = mariadb(2);
    choose(&e, 1, 0, 1, 1000, &c); /* one chunk: off the bulk path too */
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_true(c.no_bulk);
    e.bulk_path = 0; /* MariaDB before 10.6: no bulk path to avoid */
    choose(&e, 1, 0, 1, 1000, &c);
    assert_false(c.no_bulk);
    assert_string_equal(c.why, "");
    e.bulk_path = 0; /* MySQL */
    e.autoinc_lock_mode = 2;
    e.bound = 0;
    choose(&e, 0, 1, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_false(c.no_bulk);
    assert_string_equal(c.why, "");
}

/* load_chunk_bindable: only kinds the server takes from a string as they are */
static void bindable_kinds(void **state)
{
    struct fmt_column cols[] = {
        {"id", "int", FMT_COL_NUMBER, 0},
        {"s", "varchar(10)", FMT_COL_STRING, 0},
        {"b", "blob", FMT_COL_BINARY, 0},
        {"x", "float", FMT_COL_FLOAT, 0},
    };
    struct fmt_table t = {.schema = "s", .name = "t", .columns = cols, .ncolumns = 3};
    static const enum fmt_col_kind converted[] = {FMT_COL_FLOAT, FMT_COL_BIT, FMT_COL_UTF8TEXT,
                                                  FMT_COL_MYSQL_JSON};

    (void)state;
    assert_true(load_chunk_bindable(&t));
    t.ncolumns = 4; /* FLOAT: LOAD DATA's SET makes its conversion */
    for (size_t i = 0; i < sizeof(converted) / sizeof(converted[0]); i++) {
        cols[3].kind = converted[i];
        assert_false(load_chunk_bindable(&t));
    }
    t.ncolumns = 0;
    assert_false(load_chunk_bindable(&t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bindable_tables_go_bound),
        cmocka_unit_test(big_unbindable_autoinc_table_goes_parallel_as_insert),
        cmocka_unit_test(small_unbindable_autoinc_table_stays_serial),
        cmocka_unit_test(no_autoinc_lock_no_special_path),
        cmocka_unit_test(one_chunk_or_thread_or_mysql_keeps_the_defaults),
        cmocka_unit_test(bindable_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
