/* format/manifest: every field of every object, written and read back.
 *
 * A manifest with every field set (optional ones too, each to a value of its
 * own) is written exactly as tests/data/manifest-full.json (so the bytes a
 * writer produces and the key each member goes to are pinned), and reading
 * that JSON then writing it again gives the same bytes (so every key is read
 * back into the member it was written from).  The same for the coordinates
 * file and a chunk's meta entry.  When a field is added to the manifest, set
 * it in build_every() and regenerate the golden files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/fs.h"
#include "format/manifest.h"

static char *xstrdup(const char *s)
{
    char *d = strdup(s);

    assert_non_null(d);
    return d;
}

static char *read_data(const char *file)
{
    struct cs_error err;
    char *path = cs_fs_join(CS_TEST_DATA, file);
    char *text = NULL;
    size_t len;

    cs_error_clear(&err);
    assert_non_null(path);
    if (cs_fs_read_all(path, 1 << 20, &text, &len, &err) < 0)
        fail_msg("%s", err.msg);
    free(path);
    return text;
}

static void fill_source(struct fmt_manifest *m)
{
    m->tool_version = xstrdup("9.8.7");
    m->dump_id = xstrdup("0123456789abcdef0123456789abcdef");
    m->source_host = xstrdup("db \"one\"\\\xc3\xa9");
    m->source_port = 3307;
    m->flavor = xstrdup("mysql");
    m->server_version = xstrdup("8.4.2-log");
    m->server_id = UINT32_MAX;
    m->server_uuid = xstrdup("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    m->sql_mode = xstrdup("ANSI_QUOTES");
    m->time_zone = xstrdup("+00:00");
    m->started_at = xstrdup("2024-05-01T12:00:00Z");
    m->finished_at = xstrdup("2024-05-01T13:00:00Z");
    m->format = FMT_FORMAT_SQL;
    m->compress = FMT_COMPRESS_ZSTD;
    m->compress_level = -5;
    m->threads = 16;
    m->chunk_rows = (UINT64_C(1) << 40) + 1;
    m->chunk_bytes = (uint64_t)INT64_MAX;
    m->include_system = 1;
    m->lock_mode = xstrdup("backup-lock");
    m->consistent = 1;
    m->consistency_note = xstrdup("proven: same position");
    m->barrier_wait_ms = 0.25;
    m->barrier_hold_ms = 1234.5678;
    assert_int_equal(fmt_manifest_add_proof(m, "mysql-bin.000003:1234"), 0);
    assert_int_equal(fmt_manifest_add_proof(m, "mysql-bin.000003:1235"), 0);
}

static void fill_coords(struct fmt_coords *c, const char *file, uint64_t pos, const char *gtid)
{
    c->present = 1;
    c->binlog_file = xstrdup(file);
    c->binlog_pos = pos;
    c->gtid_set = xstrdup(gtid);
}

static void fill_object(struct fmt_manifest *m)
{
    struct fmt_object *o = fmt_manifest_add_object(m);

    assert_non_null(o);
    o->kind = FMT_OBJ_TRIGGER;
    o->schema = xstrdup("shop");
    o->name = xstrdup("trg");
    o->file = xstrdup("shop.trg-trigger.sql");
    o->table = xstrdup("orders");
    o->sql_mode = xstrdup("STRICT_ALL_TABLES");
    o->charset = xstrdup("utf8mb4");
    o->collation = xstrdup("utf8mb4_bin");
    o->time_zone = xstrdup("SYSTEM");
}

/* One integer and one string value, CLOSED or not. */
static struct fmt_bound *bound2(const char *n, const char *s, int closed)
{
    struct fmt_bound *b = fmt_bound_new(2, closed);
    const char *why;

    assert_non_null(b);
    assert_int_equal(fmt_key_value_set(&b->v[0], FMT_KEY_INTEGER, NULL, n, strlen(n), &why), 0);
    assert_int_equal(fmt_key_value_set(&b->v[1], FMT_KEY_STRING, "utf8mb4", s, strlen(s), &why), 0);
    return b;
}

static void fill_chunk(struct fmt_chunk *c, uint32_t index)
{
    assert_non_null(c);
    c->file = xstrdup(index ? "shop.orders.00001.sql.zst" : "shop.orders.00000.sql.zst");
    c->index = index;
    c->lo = bound2("10", "a'b", 1);
    c->hi = bound2("20", "", 0);
    c->rows = (UINT64_C(1) << 33) + index;
    c->raw_bytes = 1000 + index;
    c->file_bytes = 500 + index;
    snprintf(c->file_hash, sizeof(c->file_hash), "%032x", 0xabc0u + index);
    snprintf(c->checksum, sizeof(c->checksum), "%016x", 0xdef0u + index);
    c->typed_values = 7 + index;
}

static void fill_table(struct fmt_manifest *m)
{
    struct fmt_table *t = fmt_manifest_add_table(m);

    assert_non_null(t);
    t->schema = xstrdup("shop");
    t->name = xstrdup("orders");
    t->engine = xstrdup("InnoDB");
    t->ddl_file = xstrdup("shop.orders-schema.sql");
    t->row_format_note = xstrdup("system-versioned: history not dumped");
    t->transactional = 1;
    t->rows = (UINT64_C(1) << 34) + 1;
    t->max_row_bytes = 4096;
    t->columns = calloc(2, sizeof(*t->columns));
    assert_non_null(t->columns);
    t->ncolumns = 2;
    t->columns[0].name = xstrdup("id");
    t->columns[0].type = xstrdup("bigint unsigned");
    t->columns[0].kind = FMT_COL_NUMBER;
    t->columns[1].name = xstrdup("doc");
    t->columns[1].type = xstrdup("json");
    t->columns[1].kind = FMT_COL_MYSQL_JSON;
    t->columns[1].typed_values = 3;
    t->key = calloc(1, sizeof(char *));
    assert_non_null(t->key);
    t->key[0] = xstrdup("id");
    t->nkey = 1;
    fill_chunk(fmt_table_add_chunk(t), 0);
    fill_chunk(fmt_table_add_chunk(t), 1);
}

/* Every field of every object set. */
static struct fmt_manifest *build_every(void)
{
    struct fmt_manifest *m = fmt_manifest_new();
    struct fmt_file *f;

    assert_non_null(m);
    fill_source(m);
    fill_coords(&m->coords, "binlog.000007", (UINT64_C(1) << 35) + 3, "u:1-77");
    fill_coords(&m->replica_of, "primary-bin.000001", 4, "p:1-9");
    m->replica_of.unusable = xstrdup("the applier ran ahead");
    m->replica_source_host = xstrdup("primary.example.com");
    fill_object(m);
    f = fmt_manifest_add_file(m);
    assert_non_null(f);
    f->name = xstrdup(FMT_COORDS_NAME);
    f->bytes = (UINT64_C(1) << 36) + 5;
    snprintf(f->hash, sizeof(f->hash), "%032x", 0x1234u);
    fill_table(m);
    return m;
}

static char *to_json(const struct fmt_manifest *m)
{
    struct cs_error err;
    char *text;

    cs_error_clear(&err);
    text = fmt_manifest_to_json(m, &err);
    if (!text)
        fail_msg("%s", err.msg);
    return text;
}

static void test_full_written_as_golden(void **state)
{
    struct fmt_manifest *m = build_every();
    char *text = to_json(m), *golden = read_data("manifest-full.json");

    (void)state;
    assert_string_equal(text, golden);
    /* fully populated: no field written as null, every optional key present */
    assert_null(strstr(text, "null"));
    assert_non_null(strstr(text, "\"dump_id\""));
    assert_non_null(strstr(text, "\"file_position_unusable\""));
    assert_non_null(strstr(text, "\"max_row_bytes\""));
    assert_non_null(strstr(text, "\"time_zone\": \"SYSTEM\""));
    free(golden);
    free(text);
    fmt_manifest_free(m);
}

static void test_full_roundtrip(void **state)
{
    struct fmt_manifest *m = build_every(), *r;
    struct cs_error err;
    char *text = to_json(m), *again;

    (void)state;
    cs_error_clear(&err);
    r = fmt_manifest_from_json(text, strlen(text), "mem", &err);
    if (!r)
        fail_msg("%s", err.msg);
    again = to_json(r);
    assert_string_equal(again, text);
    assert_int_equal(r->files_cap, 1);
    free(again);
    fmt_manifest_free(r);
    free(text);
    fmt_manifest_free(m);
}

static void test_coords_written_as_golden(void **state)
{
    struct fmt_manifest *m = build_every();
    struct cs_error err;
    char *text, *golden = read_data("coordinates-full.json");

    (void)state;
    cs_error_clear(&err);
    text = fmt_coords_to_json(m, &err);
    if (!text)
        fail_msg("%s", err.msg);
    assert_string_equal(text, golden);
    free(golden);
    free(text);
    fmt_manifest_free(m);
}

static void test_chunk_meta_roundtrip(void **state)
{
    static const char want[] =
        "{\"schema\":\"shop\",\"table\":\"orders\",\"chunk\":{"
        "\"file\":\"shop.orders.00001.sql.zst\",\"index\":1,\"rows\":8589934593,"
        "\"raw_bytes\":1001,\"file_bytes\":501,"
        "\"file_hash\":\"0000000000000000000000000000abc1\","
        "\"checksum\":\"000000000000def1\",\"typed_values\":8,"
        "\"lower\":{\"closed\":true,\"values\":[{\"type\":\"integer\",\"value\":\"10\"},"
        "{\"type\":\"string\",\"charset\":\"utf8mb4\",\"hex\":\"612762\"}]},"
        "\"upper\":{\"closed\":false,\"values\":[{\"type\":\"integer\",\"value\":\"20\"},"
        "{\"type\":\"string\",\"charset\":\"utf8mb4\",\"hex\":\"\"}]}}}";
    struct fmt_manifest *m = build_every();
    struct fmt_chunk c;
    struct cs_error err;
    char *text, *again, *schema, *table;

    (void)state;
    cs_error_clear(&err);
    text = fmt_chunk_meta_to_json("shop", "orders", &m->tables[0].chunks[1], &err);
    assert_non_null(text);
    assert_string_equal(text, want);
    if (fmt_chunk_meta_from_json(text, strlen(text), "meta", &schema, &table, &c, &err) < 0)
        fail_msg("%s", err.msg);
    assert_string_equal(schema, "shop");
    assert_string_equal(table, "orders");
    again = fmt_chunk_meta_to_json(schema, table, &c, &err);
    assert_non_null(again);
    assert_string_equal(again, text);
    free(again);
    fmt_chunk_release(&c);
    free(schema);
    free(table);
    free(text);
    fmt_manifest_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_written_as_golden),
        cmocka_unit_test(test_full_roundtrip),
        cmocka_unit_test(test_coords_written_as_golden),
        cmocka_unit_test(test_chunk_meta_roundtrip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
