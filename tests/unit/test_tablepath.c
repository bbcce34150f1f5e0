/* load/tablepath: the per-table choice of how a table's chunks go in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "load/tablepath.h"

/* MariaDB 10.11 defaults: mode 1, the bulk-insert path, LOAD DATA LOCAL. */
static struct load_path_env mariadb(unsigned threads)
{
    struct load_path_env e = {.threads = threads,
                              .autoinc_lock_mode = 1,
                              .bulk_path = 1,
                              .infile = 1,
                              .sizes_known = 1,
                              .total_bytes = 1000};
    return e;
}

static void big_autoinc_table_goes_parallel_as_insert(void **state)
{
    struct load_path_env e = mariadb(2);
    struct load_path_choice c;

    (void)state;
    load_path_choose(&e, 1, 4, 1000, &c); /* the one-table shape */
    assert_int_equal(c.path, LOAD_PATH_INSERT);
    assert_true(c.no_bulk);
    assert_non_null(strstr(c.why, "innodb_autoinc_lock_mode 1"));
    assert_non_null(strstr(c.why, "bulk-insert path"));
    assert_string_equal(load_path_name(c.path, e.infile), "multi-row INSERT");
    load_path_choose(&e, 1, 4, 501, &c); /* just over one thread's share */
    assert_int_equal(c.path, LOAD_PATH_INSERT);
}

static void small_autoinc_table_stays_serial(void **state)
{
    struct load_path_env e = mariadb(2);
    struct load_path_choice c;

    (void)state;
    load_path_choose(&e, 1, 3, 500, &c); /* exactly one thread's share */
    assert_int_equal(c.path, LOAD_PATH_SERIAL);
    assert_non_null(strstr(c.why, "other tables fill the other threads"));
    assert_string_equal(load_path_name(c.path, e.infile), "LOAD DATA");
    e.threads = 4;
    load_path_choose(&e, 1, 3, 300, &c); /* 30 % with 4 threads: more than a share */
    assert_int_equal(c.path, LOAD_PATH_INSERT);
    e.sizes_known = 0; /* a streamed catalog: no sizes, kept serial */
    load_path_choose(&e, 1, 0, 0, &c);
    assert_int_equal(c.path, LOAD_PATH_SERIAL);
    assert_true(c.no_bulk);
}

static void no_autoinc_lock_no_special_path(void **state)
{
    struct load_path_env e = mariadb(2);
    struct load_path_choice c;

    (void)state;
    e.autoinc_lock_mode = 2; /* MySQL 8's default */
    load_path_choose(&e, 1, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    e = mariadb(2);
    load_path_choose(&e, 0, 4, 1000, &c); /* no AUTO_INCREMENT column */
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_true(c.no_bulk);
    e.infile = 0; /* sql chunks or INSERTs anyway: simple inserts */
    load_path_choose(&e, 1, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
}

static void one_chunk_or_thread_or_mysql_keeps_the_defaults(void **state)
{
    struct load_path_env e = mariadb(1);
    struct load_path_choice c;

    (void)state;
    load_path_choose(&e, 1, 4, 1000, &c); /* one thread: off the bulk path all the same */
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_true(c.no_bulk);
    assert_non_null(strstr(c.why, "unique_checks=1"));
    e = mariadb(2);
    load_path_choose(&e, 1, 1, 1000, &c); /* one chunk: the bulk path stays */
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_false(c.no_bulk);
    assert_string_equal(c.why, "");
    e.bulk_path = 0; /* MySQL */
    e.autoinc_lock_mode = 2;
    load_path_choose(&e, 0, 4, 1000, &c);
    assert_int_equal(c.path, LOAD_PATH_PARALLEL);
    assert_false(c.no_bulk);
    assert_string_equal(c.why, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(big_autoinc_table_goes_parallel_as_insert),
        cmocka_unit_test(small_autoinc_table_stays_serial),
        cmocka_unit_test(no_autoinc_lock_no_special_path),
        cmocka_unit_test(one_chunk_or_thread_or_mysql_keeps_the_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
