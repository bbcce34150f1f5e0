/* format/manifest: build, write, read back, golden file, broken manifests. */
#include <errno.h>
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
#include "format/manifest.h"

#include "data_file.h"

#define BIG (UINT64_C(1) << 53) /* 2^53: the largest a double holds exactly */

static const char ODD[] = "sh\xc3\xb6p \"q\" \\back\nline\t\xf0\x9f\x90\xac";
static const char ODD_TABLE[] = "t`x'y\"z\\";

/* ---- fixtures and helpers ---------------------------------------------- */

static int setup_dir(void **state)
{
    char *dir = strdup("/tmp/cs_test_manifest_XXXXXX");

    if (!dir || !mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int teardown_dir(void **state)
{
    char *dir = *state;
    char *p = cs_fs_join(dir, FMT_MANIFEST_NAME);

    if (p)
        unlink(p);
    free(p);
    rmdir(dir);
    free(dir);
    return 0;
}

/* Either both NULL or equal strings. */
static void assert_same_str(const char *a, const char *b)
{
    if (!a || !b) {
        assert_ptr_equal(a, b);
        return;
    }
    assert_string_equal(a, b);
}

static void add_column(struct fmt_table *t, const char *name, const char *type,
                       enum fmt_col_kind kind)
{
    struct fmt_column *c;

    c = realloc(t->columns, (t->ncolumns + 1) * sizeof(*c));
    assert_non_null(c);
    t->columns = c;
    c = &c[t->ncolumns++];
    memset(c, 0, sizeof(*c));
    c->name = xstrdup(name);
    c->type = xstrdup(type);
    c->kind = kind;
}

/* (10, 'a'b\') as a bound, CLOSED or not. */
static struct fmt_bound *two_values(int closed)
{
    struct fmt_bound *b = fmt_bound_new(2, closed);
    const char *why;

    assert_non_null(b);
    assert_int_equal(fmt_key_value_set(&b->v[0], FMT_KEY_INTEGER, NULL, "10", 2, &why), 0);
    assert_int_equal(fmt_key_value_set(&b->v[1], FMT_KEY_STRING, "utf8mb4", "a'b\\", 4, &why), 0);
    return b;
}

static void fill_chunk(struct fmt_chunk *c, const char *file, uint32_t index, uint64_t base)
{
    c->file = xstrdup(file);
    c->index = index;
    c->rows = base + 1;
    c->raw_bytes = base + 2;
    c->file_bytes = base + 3;
    snprintf(c->file_hash, sizeof(c->file_hash), "%032x", index + 0xabcu);
    snprintf(c->checksum, sizeof(c->checksum), "%016x", index + 0xdefu);
}

static void fill_source(struct fmt_manifest *m)
{
    m->tool_version = xstrdup("0.1.0");
    m->source_host = xstrdup("db \"one\"\\\xc3\xa9");
    m->source_port = 3307;
    m->source_socket = xstrdup("/run/mysqld/mysqld.sock");
    m->source_hostname = xstrdup("db1");
    m->flavor = xstrdup("mysql");
    m->server_version = xstrdup("8.0.36");
    m->server_id = UINT32_MAX;
    m->server_uuid = xstrdup("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    m->sql_mode = xstrdup("");
    m->time_zone = xstrdup("+00:00");
    m->started_at = xstrdup("2024-05-01T12:00:00Z");
    m->finished_at = xstrdup("2024-05-01T13:00:00Z");
    m->format = FMT_FORMAT_SQL;
    m->compress = FMT_COMPRESS_ZSTD;
    m->compress_level = -5;
    m->threads = 16;
    m->chunk_rows = BIG + 1;
    m->chunk_bytes = (uint64_t)INT64_MAX;
    m->lock_mode = xstrdup("backup-lock");
    m->consistent = 1;
    m->consistency_note = xstrdup("proven: \"same\" position\n");
    m->barrier_wait_ms = 0.1;
    m->barrier_hold_ms = 1234.5678;
    assert_int_equal(fmt_manifest_add_proof(m, "mysql-bin.000003:1234"), 0);
    assert_int_equal(fmt_manifest_add_proof(m, ODD), 0);
}

static void fill_coords(struct fmt_coords *c, const char *file, uint64_t pos, const char *gtid)
{
    c->present = 1;
    c->binlog_file = xstrdup(file);
    c->binlog_pos = pos;
    c->gtid_set = xstrdup(gtid);
}

/* A manifest with every field set; REPLICA adds replica_of. */
static struct fmt_manifest *build_full(int replica)
{
    struct fmt_manifest *m = fmt_manifest_new();
    struct fmt_object *o;
    struct fmt_table *t;

    assert_non_null(m);
    fill_source(m);
    fill_coords(&m->coords, "binlog.000007", BIG + 3, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77");
    if (replica) {
        fill_coords(&m->replica_of, "primary-bin.000001", 4, "");
        m->replica_source_host = xstrdup("primary\xe2\x80\x94host");
    }
    o = fmt_manifest_add_object(m);
    assert_non_null(o);
    o->kind = FMT_OBJ_TRIGGER;
    o->schema = xstrdup(ODD);
    o->name = xstrdup("trg \"1\"");
    o->file = xstrdup("sh%C3%B6p.trg-trigger.sql");
    o->table = xstrdup(ODD_TABLE);
    o = fmt_manifest_add_object(m);
    assert_non_null(o);
    o->kind = FMT_OBJ_EVENT;
    o->schema = xstrdup("s");
    o->name = xstrdup("ev");
    o->file = xstrdup("s.ev-event.sql");

    t = fmt_manifest_add_table(m);
    assert_non_null(t);
    t->schema = xstrdup(ODD);
    t->name = xstrdup(ODD_TABLE);
    t->engine = xstrdup("InnoDB");
    t->ddl_file = xstrdup("sh%C3%B6p.t%60x-schema.sql");
    t->row_format_note = xstrdup("system-versioned: history not dumped");
    t->transactional = 1;
    t->est_rows = 12345;
    t->rows = BIG + 5;
    add_column(t, "id", "bigint unsigned", FMT_COL_NUMBER);
    add_column(t, "j\xc3\xa9son", "json", FMT_COL_MYSQL_JSON);
    t->columns[1].typed_values = BIG + 7;
    add_column(t, "b", "bit(3)", FMT_COL_BIT);
    t->key = calloc(2, sizeof(char *));
    assert_non_null(t->key);
    t->key[0] = xstrdup("id");
    t->key[1] = xstrdup("j\xc3\xa9son");
    t->nkey = 2;
    fill_chunk(fmt_table_add_chunk(t), "c.00000.sql.zst", 0, BIG);
    t->chunks[0].hi = two_values(0);
    t->chunks[0].typed_values = 12;
    fill_chunk(fmt_table_add_chunk(t), "c.00001.sql.zst", 1, 0);
    t->chunks[1].lo = two_values(1);
    return m;
}

static void assert_same_coords(const struct fmt_coords *a, const struct fmt_coords *b)
{
    assert_int_equal(a->present, b->present);
    assert_same_str(a->binlog_file, b->binlog_file);
    assert_true(a->binlog_pos == b->binlog_pos);
    assert_same_str(a->gtid_set, b->gtid_set);
    assert_same_str(a->unusable, b->unusable);
}

static void assert_same_head(const struct fmt_manifest *a, const struct fmt_manifest *b)
{
    assert_int_equal(b->format_version, FMT_MANIFEST_VERSION);
    assert_same_str(a->tool_version, b->tool_version);
    assert_same_str(a->source_host, b->source_host);
    assert_int_equal(a->source_port, b->source_port);
    assert_same_str(a->source_socket, b->source_socket);
    assert_same_str(a->source_hostname, b->source_hostname);
    assert_same_str(a->flavor, b->flavor);
    assert_same_str(a->server_version, b->server_version);
    assert_int_equal(a->server_id, b->server_id);
    assert_same_str(a->server_uuid, b->server_uuid);
    assert_same_str(a->sql_mode, b->sql_mode);
    assert_same_str(a->time_zone, b->time_zone);
    assert_same_str(a->started_at, b->started_at);
    assert_same_str(a->finished_at, b->finished_at);
    assert_int_equal(a->format, b->format);
    assert_int_equal(a->compress, b->compress);
    assert_int_equal(a->compress_level, b->compress_level);
    assert_int_equal(a->threads, b->threads);
    assert_true(a->chunk_rows == b->chunk_rows);
    assert_true(a->chunk_bytes == b->chunk_bytes);
    assert_same_str(a->lock_mode, b->lock_mode);
    assert_int_equal(a->consistent, b->consistent);
    assert_same_str(a->consistency_note, b->consistency_note);
    assert_true(a->barrier_wait_ms == b->barrier_wait_ms);
    assert_true(a->barrier_hold_ms == b->barrier_hold_ms);
    assert_int_equal(a->nproof, b->nproof);
    for (size_t i = 0; i < a->nproof; i++)
        assert_string_equal(a->proof[i], b->proof[i]);
    assert_same_coords(&a->coords, &b->coords);
    assert_same_coords(&a->replica_of, &b->replica_of);
    assert_same_str(a->replica_source_host, b->replica_source_host);
}

static void assert_same_chunk(const struct fmt_chunk *a, const struct fmt_chunk *b)
{
    assert_string_equal(a->file, b->file);
    assert_int_equal(a->index, b->index);
    assert_int_equal(!a->lo, !b->lo);
    assert_int_equal(!a->hi, !b->hi);
    if (a->lo)
        assert_true(fmt_bound_cmp(a->lo, b->lo) == 0 && a->lo->closed == b->lo->closed);
    if (a->hi)
        assert_true(fmt_bound_cmp(a->hi, b->hi) == 0 && a->hi->closed == b->hi->closed);
    assert_null(b->v1_lower);
    assert_null(b->v1_upper);
    assert_true(a->rows == b->rows);
    assert_true(a->raw_bytes == b->raw_bytes);
    assert_true(a->file_bytes == b->file_bytes);
    assert_string_equal(a->file_hash, b->file_hash);
    assert_string_equal(a->checksum, b->checksum);
    assert_true(a->typed_values == b->typed_values);
}

static void assert_same_table(const struct fmt_table *a, const struct fmt_table *b)
{
    assert_string_equal(a->schema, b->schema);
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->engine, b->engine);
    assert_string_equal(a->ddl_file, b->ddl_file);
    assert_same_str(a->row_format_note, b->row_format_note);
    assert_int_equal(a->transactional, b->transactional);
    assert_int_equal(a->est_rows, b->est_rows);
    assert_true(a->rows == b->rows);
    assert_int_equal(a->ncolumns, b->ncolumns);
    for (size_t i = 0; i < a->ncolumns; i++) {
        assert_string_equal(a->columns[i].name, b->columns[i].name);
        assert_string_equal(a->columns[i].type, b->columns[i].type);
        assert_int_equal(a->columns[i].kind, b->columns[i].kind);
        assert_true(a->columns[i].typed_values == b->columns[i].typed_values);
    }
    assert_int_equal(a->nkey, b->nkey);
    for (size_t i = 0; i < a->nkey; i++)
        assert_string_equal(a->key[i], b->key[i]);
    assert_int_equal(a->nchunks, b->nchunks);
    for (size_t i = 0; i < a->nchunks; i++)
        assert_same_chunk(&a->chunks[i], &b->chunks[i]);
}

static void assert_same(const struct fmt_manifest *a, const struct fmt_manifest *b)
{
    assert_same_head(a, b);
    assert_int_equal(a->nobjects, b->nobjects);
    for (size_t i = 0; i < a->nobjects; i++) {
        assert_int_equal(a->objects[i].kind, b->objects[i].kind);
        assert_string_equal(a->objects[i].schema, b->objects[i].schema);
        assert_string_equal(a->objects[i].name, b->objects[i].name);
        assert_string_equal(a->objects[i].file, b->objects[i].file);
        assert_same_str(a->objects[i].table, b->objects[i].table);
    }
    assert_int_equal(a->ntables, b->ntables);
    for (size_t i = 0; i < a->ntables; i++)
        assert_same_table(&a->tables[i], &b->tables[i]);
}

/* ---- round trips ------------------------------------------------------- */

static void roundtrip_dir(const char *dir, int replica)
{
    struct fmt_manifest *m = build_full(replica), *r;
    struct cs_error err;
    struct stat st;
    char *path = cs_fs_join(dir, FMT_MANIFEST_NAME);

    cs_error_clear(&err);
    assert_int_equal(fmt_manifest_write(m, dir, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    r = fmt_manifest_read(dir, &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_same(m, r);
    if (!replica)
        assert_false(r->replica_of.present || r->replica_source_host);
    fmt_manifest_free(r);
    fmt_manifest_free(m);
    free(path);
}

static void test_roundtrip_replica(void **state)
{
    roundtrip_dir(*state, 1);
}

static void test_roundtrip_no_replica(void **state)
{
    roundtrip_dir(*state, 0);
}

/* No binary log, no replica, no key, NULL optional strings. */
static void test_roundtrip_sparse(void **state)
{
    struct fmt_manifest *m = fmt_manifest_new(), *r;
    struct fmt_table *t;
    struct cs_error err;
    char *text;

    (void)state;
    cs_error_clear(&err);
    assert_non_null(m);
    fill_source(m);
    free(m->server_uuid);
    m->server_uuid = NULL;
    free(m->consistency_note);
    m->consistency_note = NULL;
    m->consistent = 0;
    t = fmt_manifest_add_table(m);
    t->schema = xstrdup("s");
    t->name = xstrdup("heap");
    t->engine = xstrdup("MEMORY");
    t->ddl_file = xstrdup("s.heap-schema.sql");
    fill_chunk(fmt_table_add_chunk(t), "s.heap.00000.tsv", 0, 0);
    text = fmt_manifest_to_json(m, &err);
    assert_non_null(text);
    assert_null(strstr(text, "replica_of"));
    assert_null(strstr(text, "\"note\": \"")); /* table note omitted, snapshot note null */
    assert_non_null(strstr(text, "\"present\": false"));
    assert_null(strstr(text, "typed_values")); /* omitted when 0 */
    assert_int_equal(text[strlen(text) - 1], '\n');
    r = fmt_manifest_from_json(text, strlen(text), "mem", &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_same(m, r);
    assert_false(r->coords.present);
    assert_null(r->coords.binlog_file);
    assert_int_equal(r->tables[0].nkey, 0);
    assert_null(r->tables[0].chunks[0].lo);
    assert_null(r->tables[0].chunks[0].hi);
    free(text);
    fmt_manifest_free(r);
    fmt_manifest_free(m);
}

/* ---- golden file ------------------------------------------------------- */

static void test_golden(void **state)
{
    struct cs_error err;
    struct fmt_manifest *m;
    const struct fmt_table *t;
    size_t len;
    char *text = read_data("manifest-v1.json", &len);

    (void)state;
    m = fmt_manifest_from_json(text, len, "manifest-v1.json", &err);
    if (!m)
        fail_msg("%s", err.msg);
    assert_string_equal(m->tool_version, "0.1.0");
    assert_string_equal(m->source_host, "db1.example.com");
    assert_int_equal(m->source_port, 3306);
    assert_string_equal(m->flavor, "mariadb");
    assert_int_equal(m->server_id, 7);
    assert_null(m->server_uuid);
    assert_int_equal(m->format, FMT_FORMAT_TSV);
    assert_int_equal(m->compress, FMT_COMPRESS_ZSTD);
    assert_true(m->chunk_bytes == 67108864);
    assert_true(m->consistent);
    assert_true(m->barrier_hold_ms == 12.25);
    assert_int_equal(m->nproof, 2);
    assert_true(m->coords.present);
    assert_string_equal(m->coords.binlog_file, "mysql-bin.000003");
    assert_true(m->coords.binlog_pos == 1234);
    assert_string_equal(m->coords.gtid_set, "0-1-42");
    assert_true(m->replica_of.binlog_pos == BIG + 1);
    assert_string_equal(m->replica_source_host, "primary.example.com");
    assert_int_equal(m->nobjects, 2);
    assert_int_equal(m->objects[0].kind, FMT_OBJ_DATABASE);
    assert_null(m->objects[0].table);
    assert_int_equal(m->objects[1].kind, FMT_OBJ_TRIGGER);
    assert_string_equal(m->objects[1].table, "orders");
    assert_int_equal(m->ntables, 2);
    t = &m->tables[0];
    assert_string_equal(t->name, "orders");
    assert_int_equal(t->ncolumns, 2);
    assert_int_equal(t->columns[1].kind, FMT_COL_STRING);
    assert_true(t->columns[1].typed_values == 0 && t->chunks[0].typed_values == 0);
    assert_int_equal(t->nkey, 1);
    assert_int_equal(t->nchunks, 2);
    /* version 1: the bounds' SQL text, kept for load/bounds_v1.h; no typed bounds */
    assert_int_equal(m->format_version, 1);
    assert_string_equal(t->chunks[0].v1_upper, "100");
    assert_null(t->chunks[0].v1_lower);
    assert_string_equal(t->chunks[1].v1_lower, "100");
    assert_null(t->chunks[0].lo);
    assert_null(t->chunks[0].hi);
    assert_string_equal(t->chunks[1].file_hash, "fedcba9876543210fedcba9876543210");
    assert_string_equal(t->chunks[1].checksum, "0000000012345678");
    t = &m->tables[1];
    assert_false(t->transactional);
    assert_string_equal(t->row_format_note, "no usable key: dumped sequentially");
    assert_int_equal(t->nkey, 0);
    assert_int_equal(t->columns[0].kind, FMT_COL_BINARY);
    assert_null(t->chunks[0].v1_lower);
    assert_null(t->chunks[0].v1_upper);
    assert_false(m->include_system); /* version 1 did not record it */
    fmt_manifest_free(m);
    free(text);
}

/* ---- broken manifests -------------------------------------------------- */

struct broken {
    const char *file;
    int code;
    const char *needle; /* must appear in the message */
};

static const struct broken broken_files[] = {
    {"manifest-missing-field.json", CS_ERR_FORMAT, "field tables[0].chunks[1].rows: missing"},
    {"manifest-wrong-type.json", CS_ERR_FORMAT,
     "field source.port: expected a non-negative integer"},
    {"manifest-future-version.json", CS_ERR_VERSION,
     "format version 3 is newer than this csload understands (2); use a newer csload"},
    {"manifest-no-version.json", CS_ERR_FORMAT, "field format_version: missing"},
    {"manifest-garbled.json", CS_ERR_FORMAT, "not valid JSON at line 28"},
    {"manifest-hostile-file.json", CS_ERR_HOSTILE, "field tables[0].chunks[0].file"},
    {"manifest-bad-hash.json", CS_ERR_FORMAT,
     "field tables[0].chunks[1].file_hash: expected 32 lowercase hex digits"},
};

static void expect_refused(const char *text, size_t len, int code, const char *needle)
{
    struct cs_error err;
    struct fmt_manifest *m;

    cs_error_clear(&err);
    m = fmt_manifest_from_json(text, len, "NAME", &err);
    if (m) {
        fmt_manifest_free(m);
        fail_msg("accepted a manifest that should fail with \"%s\"", needle);
    }
    if (err.code != code || !strstr(err.msg, needle) || strncmp(err.msg, "NAME: ", 6) != 0)
        fail_msg("want %s \"%s\", got %s \"%s\"", cs_error_code_name(code), needle,
                 cs_error_code_name(err.code), err.msg);
}

static void test_broken_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(broken_files) / sizeof(broken_files[0]); i++) {
        size_t len;
        char *text = read_data(broken_files[i].file, &len);

        expect_refused(text, len, broken_files[i].code, broken_files[i].needle);
        free(text);
    }
}

/* The golden file with the first OLD replaced by NEW. */
struct edit {
    const char *old, *new;
    int code;
    const char *needle;
};

static const struct edit edits[] = {
    {"\"rows\": 2,", "\"rows\": -2,", CS_ERR_FORMAT,
     "tables[0].chunks[0].rows: expected a non-negative integer"},
    {"\"rows\": 3,", "\"rows\": 3.0,", CS_ERR_FORMAT, "tables[0].rows: expected a non-negative"},
    {"\"server_id\": 7", "\"server_id\": 4294967296", CS_ERR_FORMAT, "source.server_id"},
    {"\"format\": \"tsv\"", "\"format\": \"csv\"", CS_ERR_FORMAT,
     "options.format: expected one of tsv, sql"},
    {"\"kind\": \"trigger\"", "\"kind\": \"table\"", CS_ERR_FORMAT, "objects[1].kind"},
    {"\"kind\": \"binary\"", "\"kind\": 3", CS_ERR_FORMAT, "tables[1].columns[0].kind"},
    {"\"consistent\": true", "\"consistent\": 1", CS_ERR_FORMAT,
     "snapshot.consistent: expected true or false"},
    {"\"host\": \"db1.example.com\"", "\"host\": null", CS_ERR_FORMAT, "source.host: is null"},
    {"\"checksum\": \"00000000deadbeef\"", "\"checksum\": \"00000000DEADBEEF\"", CS_ERR_FORMAT,
     "tables[0].chunks[0].checksum: expected 16 lowercase hex digits"},
    {"\"file\": \"shop.log.00000.tsv.zst\"", "\"file\": \"a/b\"", CS_ERR_HOSTILE,
     "tables[1].chunks[0].file"},
    {"\"file\": \"shop.log.00000.tsv.zst\"", "\"file\": \"..\"", CS_ERR_HOSTILE,
     "tables[1].chunks[0].file"},
    {"\"file\": \"shop.log.00000.tsv.zst\"", "\"file\": \"x\\u0000y\"", CS_ERR_FORMAT,
     "NUL"}, /* jansson refuses \u0000 itself */
    {"\"ddl_file\": \"shop.log-schema.sql\"", "\"ddl_file\": \"/etc/passwd\"", CS_ERR_HOSTILE,
     "tables[1].ddl_file"},
    {"\"file\": \"shop-schema.sql\"", "\"file\": \".\"", CS_ERR_HOSTILE, "objects[0].file"},
    {"\"key\": [\n    \"id\"\n   ]", "\"key\": [\n    7\n   ]", CS_ERR_FORMAT,
     "tables[0].key[0]: expected a string"},
    {"\"proof\": [", "\"proof\": {\"a\": 1}, \"x\": [", CS_ERR_FORMAT,
     "snapshot.proof: expected an array"},
    {"\"binlog_position\": 1234", "\"binlog_position\": null", CS_ERR_FORMAT,
     "coordinates.binlog_position: is null"},
    {"\"present\": true,\n  \"binlog_file\": \"mysql-bin.000003\"", "\"present\": false", 0,
     NULL}, /* without a binary log the rest may be absent */
    {"\"tables\": [", "\"tables\": 5, \"x\": [", CS_ERR_FORMAT, "field tables: expected an array"},
    {"\"source\": {", "\"source\": [], \"x\": {", CS_ERR_FORMAT, "source: expected an object"},
    {"\"tool_version\": \"0.1.0\",", "", CS_ERR_FORMAT, "field tool_version: missing"},
    {"\"format_version\": 1", "\"format_version\": 0", CS_ERR_FORMAT, "format_version"},
    {"\"format_version\": 1", "\"format_version\": \"1\"", CS_ERR_FORMAT, "format_version"},
    {"\"engine\": \"Aria\"", "\"engine\": \"Aria\", \"engine\": \"MyISAM\"", CS_ERR_FORMAT,
     "duplicate"},
};

static void test_broken_edits(void **state)
{
    size_t len;
    char *golden = read_data("manifest-v1.json", &len);

    (void)state;
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        const struct edit *e = &edits[i];
        const char *at = strstr(golden, e->old);
        char *text;
        size_t n;

        assert_non_null(at);
        n = strlen(golden) - strlen(e->old) + strlen(e->new);
        text = malloc(n + 1);
        assert_non_null(text);
        snprintf(text, n + 1, "%.*s%s%s", (int)(at - golden), golden, e->new, at + strlen(e->old));
        if (e->code) {
            expect_refused(text, n, e->code, e->needle);
        } else {
            struct cs_error err;
            struct fmt_manifest *m = fmt_manifest_from_json(text, n, "NAME", &err);

            if (!m)
                fail_msg("edit %zu: %s", i, err.msg);
            fmt_manifest_free(m);
        }
        free(text);
    }
    free(golden);
}

static void test_not_json_object(void **state)
{
    (void)state;
    expect_refused("[1, 2]", 6, CS_ERR_FORMAT, "expected a JSON object");
    expect_refused("", 0, CS_ERR_FORMAT, "not valid JSON at line");
    expect_refused(NULL, 0, CS_ERR_FORMAT, "not valid JSON");
}

static void test_missing_manifest(void **state)
{
    struct cs_error err;

    cs_error_clear(&err);
    assert_null(fmt_manifest_read(*state, &err));
    assert_int_equal(err.code, CS_ERR_MISSING);
    assert_non_null(strstr(err.msg, "no manifest.json: the dump is incomplete"));
    assert_non_null(strstr(err.msg, (const char *)*state));
}

/* ---- writer refuses what the reader would refuse ------------------------ */

static void expect_write_fails(struct fmt_manifest *m, const char *needle)
{
    struct cs_error err;
    char *text;

    cs_error_clear(&err);
    text = fmt_manifest_to_json(m, &err);
    if (text) {
        free(text);
        fail_msg("wrote a manifest that should fail with \"%s\"", needle);
    }
    assert_int_equal(err.code, CS_ERR_INTERNAL);
    if (!strstr(err.msg, needle))
        fail_msg("want \"%s\", got \"%s\"", needle, err.msg);
}

static void test_write_refuses(void **state)
{
    struct fmt_manifest *m = build_full(1);
    struct fmt_chunk *c = &m->tables[0].chunks[1];
    char *saved;

    (void)state;
    saved = m->flavor;
    m->flavor = NULL;
    expect_write_fails(m, "field source.flavor: not set");
    m->flavor = saved;
    c->file_hash[5] = 'G';
    expect_write_fails(m, "field tables[0].chunks[1].file_hash");
    c->file_hash[5] = '0';
    saved = c->file;
    c->file = "../escape";
    expect_write_fails(m, "field tables[0].chunks[1].file: not a plain file name");
    c->file = saved;
    c->rows = UINT64_MAX;
    expect_write_fails(m, "field tables[0].chunks[1].rows");
    c->rows = 1;
    m->objects[1].kind = FMT_OBJ_KIND_COUNT;
    expect_write_fails(m, "field objects[1].kind");
    m->objects[1].kind = FMT_OBJ_EVENT;
    saved = m->tables[0].name;
    m->tables[0].name = "\xff\xfe";
    expect_write_fails(m, "field tables[0].name: not valid UTF-8");
    m->tables[0].name = saved;
    fmt_manifest_free(m);
}

/* ---- coordinates file, arrays, names ----------------------------------- */

static void test_coords_json(void **state)
{
    struct fmt_manifest *m = build_full(1);
    struct cs_error err;
    json_error_t jerr;
    json_t *root, *c;
    char *text;

    (void)state;
    text = fmt_coords_to_json(m, &err);
    assert_non_null(text);
    root = json_loads(text, 0, &jerr);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "format_version")), 2);
    assert_string_equal(json_string_value(json_object_get(json_object_get(root, "source"), "host")),
                        m->source_host);
    assert_string_equal(json_string_value(json_object_get(root, "lock_mode")), "backup-lock");
    assert_true(json_is_true(json_object_get(root, "consistent")));
    c = json_object_get(root, "coordinates");
    assert_true(json_integer_value(json_object_get(c, "binlog_position")) == (json_int_t)(BIG + 3));
    assert_string_equal(json_string_value(json_object_get(c, "binlog_file")), "binlog.000007");
    c = json_object_get(root, "replica_of");
    assert_string_equal(json_string_value(json_object_get(c, "source_host")),
                        m->replica_source_host);
    assert_null(json_object_get(root, "tables"));
    json_decref(root);
    free(text);
    fmt_manifest_free(m);
}

/* A replica position that did not match the snapshot: the GTID set stays,
 * the file/position is neither written nor read, and the reason travels. */
static void test_unusable_file_position(void **state)
{
    struct fmt_manifest *m = build_full(1), *r;
    struct cs_error err;
    json_error_t jerr;
    json_t *root, *c;
    char *text, *edited;

    (void)state;
    free(m->replica_of.gtid_set);
    m->replica_of.gtid_set = xstrdup("u:1-9");
    m->replica_of.unusable = xstrdup("the applier ran ahead of Exec_Source_Log_Pos");
    text = fmt_manifest_to_json(m, &err);
    assert_non_null(text);
    root = json_loads(text, 0, &jerr);
    assert_non_null(root);
    c = json_object_get(root, "replica_of");
    assert_false(json_is_string(json_object_get(c, "binlog_file"))); /* omitted */
    assert_int_equal(json_integer_value(json_object_get(c, "binlog_position")), 0);
    assert_string_equal(json_string_value(json_object_get(c, "gtid_set")), "u:1-9");
    assert_string_equal(json_string_value(json_object_get(c, "file_position_unusable")),
                        m->replica_of.unusable);
    /* the source's own coordinates carry no mark */
    assert_null(json_object_get(json_object_get(root, "coordinates"), "file_position_unusable"));
    r = fmt_manifest_from_json(text, strlen(text), "mem", &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_null(r->replica_of.binlog_file);
    assert_true(r->replica_of.binlog_pos == 0);
    assert_string_equal(r->replica_of.gtid_set, "u:1-9");
    assert_string_equal(r->replica_of.unusable, m->replica_of.unusable);
    assert_null(r->coords.unusable);
    assert_string_equal(r->coords.binlog_file, "binlog.000007");
    fmt_manifest_free(r);

    /* a file/position written beside the mark (by hand, or a buggy writer) is dropped */
    json_object_set_new(c, "binlog_file", json_string("primary-bin.000001"));
    json_object_set_new(c, "binlog_position", json_integer(4));
    edited = json_dumps(root, 0);
    assert_non_null(edited);
    r = fmt_manifest_from_json(edited, strlen(edited), "mem", &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_null(r->replica_of.binlog_file);
    assert_true(r->replica_of.binlog_pos == 0);
    assert_non_null(r->replica_of.unusable);
    fmt_manifest_free(r);
    free(edited);
    json_decref(root);
    free(text);
    fmt_manifest_free(m);
}

static void test_add_grows(void **state)
{
    struct fmt_manifest *m = fmt_manifest_new();
    struct fmt_table *t;

    (void)state;
    assert_non_null(m);
    assert_int_equal(m->format_version, FMT_MANIFEST_VERSION);
    t = fmt_manifest_add_table(m);
    for (uint32_t i = 0; i < 1000; i++) {
        struct fmt_chunk *c = fmt_table_add_chunk(t);

        assert_non_null(c);
        assert_null(c->file);
        assert_true(c->rows == 0 && c->file_hash[0] == '\0');
        c->index = i;
    }
    assert_int_equal(t->nchunks, 1000);
    /* capacity doubles: 8, 16, ... 1024 */
    assert_int_equal(t->chunks_cap, 1024);
    assert_int_equal(t->chunks[999].index, 999);
    for (int i = 0; i < 100; i++) {
        t = fmt_manifest_add_table(m);
        assert_non_null(t);
        assert_null(t->chunks);
        assert_non_null(fmt_manifest_add_object(m));
        assert_int_equal(fmt_manifest_add_proof(m, "p"), 0);
    }
    assert_int_equal(m->ntables, 101);
    assert_int_equal(m->tables[0].nchunks, 1000);
    assert_int_equal(m->nobjects, 100);
    assert_int_equal(m->nproof, 100);
    assert_int_equal(fmt_manifest_add_proof(m, NULL), -1);
    assert_null(fmt_manifest_add_table(NULL));
    fmt_manifest_free(m);
    fmt_manifest_free(NULL);
}

/* Accounts, sequences and not_dumped round trip; older dumps have none. */
static void test_accounts_sequences(void **state)
{
    struct fmt_manifest *m = build_full(0), *back;
    struct fmt_object *o = fmt_manifest_add_object(m);
    struct fmt_account *a;
    struct cs_error err;
    size_t len;
    char *json, *old;

    (void)state;
    assert_non_null(o);
    o->kind = FMT_OBJ_SEQUENCE;
    o->schema = xstrdup("sq");
    o->name = xstrdup("ids");
    o->file = xstrdup("sq.ids-schema-sequence.sql");
    o->next_value = xstrdup("-9223372036854775807");
    o->round = xstrdup("3");
    m->has_accounts = 1;
    a = fmt_manifest_add_account(m);
    assert_non_null(a);
    a->kind = FMT_ACCOUNT_ROLE;
    a->user = xstrdup("reader");
    a->host = xstrdup("");
    a->file = xstrdup("reader.%-account.sql");
    a->grants = 2;
    a = fmt_manifest_add_account(m);
    assert_non_null(a);
    a->kind = FMT_ACCOUNT_USER;
    a->user = xstrdup(ODD);
    a->host = xstrdup("10.0.%");
    a->file = xstrdup("odd-account.sql");
    a->grants = 4;
    a->default_roles = 1;
    assert_int_equal(fmt_manifest_add_not_dumped(m, "triggers of shop.t (no TRIGGER privilege)"),
                     0);
    json = fmt_manifest_to_json(m, &err);
    assert_non_null(json);
    back = fmt_manifest_from_json(json, strlen(json), "m", &err);
    if (!back)
        fail_msg("%s", err.msg);
    assert_true(back->has_accounts);
    assert_int_equal(back->naccounts, 2);
    assert_int_equal(back->accounts[0].kind, FMT_ACCOUNT_ROLE);
    assert_string_equal(back->accounts[0].host, "");
    assert_string_equal(back->accounts[1].user, ODD);
    assert_int_equal(back->accounts[1].grants, 4);
    assert_int_equal(back->accounts[1].default_roles, 1);
    o = &back->objects[back->nobjects - 1];
    assert_int_equal(o->kind, FMT_OBJ_SEQUENCE);
    assert_string_equal(o->next_value, "-9223372036854775807");
    assert_string_equal(o->round, "3");
    assert_int_equal(back->nnot_dumped, 1);
    assert_string_equal(back->not_dumped[0], "triggers of shop.t (no TRIGGER privilege)");
    fmt_manifest_free(back);
    /* asked for accounts, none there: an empty list, still "asked" */
    m->naccounts = 0;
    free(json);
    json = fmt_manifest_to_json(m, &err);
    back = fmt_manifest_from_json(json, strlen(json), "m", &err);
    assert_non_null(back);
    assert_true(back->has_accounts);
    assert_int_equal(back->naccounts, 0);
    fmt_manifest_free(back);
    m->naccounts = 2;
    free(json);
    fmt_manifest_free(m);
    /* an older dump (no accounts, no not_dumped) reads as before */
    old = read_data("manifest-v1.json", &len);
    back = fmt_manifest_from_json(old, len, "manifest-v1.json", &err);
    assert_non_null(back);
    assert_false(back->has_accounts);
    assert_int_equal(back->naccounts, 0);
    assert_int_equal(back->nnot_dumped, 0);
    fmt_manifest_free(back);
    free(old);
}

static void test_account_refusals(void **state)
{
    static const char *const account_edits[][2] = {
        {"\"file\": \"reader.%-account.sql\"", "\"file\": \"../x\""},
        {"\"kind\": \"role\"", "\"kind\": \"group\""},
        {"\"grants\": 2", "\"grants\": -1"},
    };
    struct fmt_manifest *m = build_full(0);
    struct fmt_account *a;
    struct cs_error err;
    char *json;

    (void)state;
    m->has_accounts = 1;
    a = fmt_manifest_add_account(m);
    a->kind = FMT_ACCOUNT_ROLE;
    a->user = xstrdup("reader");
    a->host = xstrdup("");
    a->file = xstrdup("reader.%-account.sql");
    a->grants = 2;
    json = fmt_manifest_to_json(m, &err);
    assert_non_null(json);
    for (size_t i = 0; i < sizeof(account_edits) / sizeof(account_edits[0]); i++) {
        const char *from = account_edits[i][0], *to = account_edits[i][1];
        char *at = strstr(json, from), *text;
        size_t n = strlen(json) + strlen(to) + 1;
        assert_non_null(at);
        text = malloc(n);
        assert_non_null(text);
        snprintf(text, n, "%.*s%s%s", (int)(at - json), json, to, at + strlen(from));
        assert_null(fmt_manifest_from_json(text, strlen(text), "m", &err));
        assert_non_null(strstr(err.msg, "accounts[0]"));
        free(text);
    }
    free(json);
    fmt_manifest_free(m);
}

/* A --where dump: "subset" and each filtered table's "where" round trip;
 * a whole dump says "subset": false and has no "where"; a table's "where"
 * alone reads as a subset. */
static void test_subset_where(void **state)
{
    struct fmt_manifest *m = build_full(0), *back;
    struct cs_error err;
    size_t len;
    char *json, *old;

    (void)state;
    json = fmt_manifest_to_json(m, &err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"subset\": false"));
    assert_null(strstr(json, "\"where\": \"id"));
    back = fmt_manifest_from_json(json, strlen(json), "m", &err);
    assert_non_null(back);
    assert_false(fmt_manifest_subset(back));
    fmt_manifest_free(back);
    free(json);

    m->subset = 1;
    m->tables[0].where = xstrdup("id % 2 = 0 AND note <> 'x'");
    json = fmt_manifest_to_json(m, &err);
    assert_non_null(json);
    back = fmt_manifest_from_json(json, strlen(json), "m", &err);
    if (!back)
        fail_msg("%s", err.msg);
    assert_true(back->subset);
    assert_true(fmt_manifest_subset(back));
    assert_string_equal(back->tables[0].where, "id % 2 = 0 AND note <> 'x'");
    for (size_t i = 1; i < back->ntables; i++)
        assert_null(back->tables[i].where);
    fmt_manifest_free(back);
    free(json);

    m->subset = 0; /* the flag lost, the table's filter still there */
    json = fmt_manifest_to_json(m, &err);
    back = fmt_manifest_from_json(json, strlen(json), "m", &err);
    assert_non_null(back);
    assert_false(back->subset);
    assert_true(fmt_manifest_subset(back));
    fmt_manifest_free(back);
    free(json);
    fmt_manifest_free(m);

    old = read_data("manifest-v1.json", &len); /* older dumps: whole */
    back = fmt_manifest_from_json(old, len, "manifest-v1.json", &err);
    assert_non_null(back);
    assert_false(fmt_manifest_subset(back));
    fmt_manifest_free(back);
    free(old);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(fmt_format_name(FMT_FORMAT_TSV), "tsv");
    assert_string_equal(fmt_format_name(FMT_FORMAT_SQL), "sql");
    for (int k = 0; k < FMT_OBJ_KIND_COUNT; k++)
        assert_int_equal(fmt_object_kind_parse(fmt_object_kind_name((enum fmt_object_kind)k)), k);
    assert_string_equal(fmt_object_kind_name(FMT_OBJ_PROCEDURE), "procedure");
    assert_int_equal(fmt_object_kind_parse("table"), -1);
    assert_int_equal(fmt_object_kind_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_replica, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_roundtrip_no_replica, setup_dir, teardown_dir),
        cmocka_unit_test(test_roundtrip_sparse),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_broken_files),
        cmocka_unit_test(test_broken_edits),
        cmocka_unit_test(test_not_json_object),
        cmocka_unit_test_setup_teardown(test_missing_manifest, setup_dir, teardown_dir),
        cmocka_unit_test(test_write_refuses),
        cmocka_unit_test(test_coords_json),
        cmocka_unit_test(test_unusable_file_position),
        cmocka_unit_test(test_add_grows),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_accounts_sequences),
        cmocka_unit_test(test_account_refusals),
        cmocka_unit_test(test_subset_where),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
