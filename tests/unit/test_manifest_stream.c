/* format/manifest: the streamed writer and reader (one chunk's JSON tree at
 * a time) give and take exactly the text of the whole tree: byte-identical
 * to jansson's json_dumps of it, through a sink as in memory, with bounds,
 * signed; members in any order; a version 1 dump; broken streams refused
 * with the line of the fault. */
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

#include "common/fs.h"
#include "format/manifest.h"
#include "format/sign.h"
#include "format/sink.h"
#include "format/source.h"

#include "data_file.h"

/* (I, 'k"I') as a bound: an integer and a string with a quote. */
static struct fmt_bound *bound_at(unsigned i, int closed)
{
    struct fmt_bound *b = fmt_bound_new(2, closed);
    char n[16], s[16];
    const char *why;

    assert_non_null(b);
    snprintf(n, sizeof(n), "%u", i);
    snprintf(s, sizeof(s), "k\"%u", i);
    assert_int_equal(fmt_key_value_set(&b->v[0], FMT_KEY_INTEGER, NULL, n, strlen(n), &why), 0);
    assert_int_equal(fmt_key_value_set(&b->v[1], FMT_KEY_STRING, "utf8mb4", s, strlen(s), &why), 0);
    return b;
}

static void add_table(struct fmt_manifest *m, const char *name, size_t nchunks, int keyed)
{
    struct fmt_table *t = fmt_manifest_add_table(m);
    char file[64];

    assert_non_null(t);
    t->schema = xstrdup("s");
    t->name = xstrdup(name);
    t->engine = xstrdup("InnoDB");
    snprintf(file, sizeof(file), "s.%s-schema.sql", name);
    t->ddl_file = xstrdup(file);
    t->transactional = 1;
    t->columns = calloc(1, sizeof(*t->columns));
    assert_non_null(t->columns);
    t->columns[0].name = xstrdup("id");
    t->columns[0].type = xstrdup("int(11)");
    t->ncolumns = 1;
    t->key = calloc(1, sizeof(char *));
    assert_non_null(t->key);
    if (keyed) {
        t->key[0] = xstrdup("id");
        t->nkey = 1;
    }
    for (size_t k = 0; k < nchunks; k++) {
        struct fmt_chunk *c = fmt_table_add_chunk(t);

        assert_non_null(c);
        snprintf(file, sizeof(file), "s.%s.%05zu.000.tsv.zst", name, k);
        c->file = xstrdup(file);
        c->index = (uint32_t)k;
        c->rows = k + 1;
        c->raw_bytes = 10 * k;
        c->file_bytes = 3 * k;
        snprintf(c->file_hash, sizeof(c->file_hash), "%032zx", k);
        snprintf(c->checksum, sizeof(c->checksum), "%016zx", k * 7);
        if (k % 3 == 0)
            snprintf(c->sha256, sizeof(c->sha256), "%064zx", k);
        c->typed_values = k % 2;
        if (keyed && k > 0)
            c->lo = bound_at((unsigned)k * 10, 1);
        if (keyed && k + 1 < nchunks)
            c->hi = bound_at((unsigned)(k + 1) * 10, 0);
        t->rows += c->rows;
    }
}

/* Tables of many chunks, none, and no key. */
static struct fmt_manifest *build(void)
{
    struct fmt_manifest *m = fmt_manifest_new();

    assert_non_null(m);
    m->format_version = FMT_MANIFEST_VERSION;
    m->tool_version = xstrdup("0.9.0");
    m->dump_id = xstrdup("0123456789abcdef0123456789abcdef");
    m->source_host = xstrdup("db1");
    m->source_port = 3306;
    m->flavor = xstrdup("mariadb");
    m->server_version = xstrdup("10.11.6-MariaDB");
    m->sql_mode = xstrdup("");
    m->time_zone = xstrdup("+00:00");
    m->started_at = xstrdup("2026-12-01T00:00:00Z");
    m->finished_at = xstrdup("2026-12-01T00:01:00Z");
    m->threads = 4;
    m->lock_mode = xstrdup("backup-stage");
    m->consistent = 1;
    m->consistency_note = xstrdup("ok");
    m->coords.present = 1;
    m->coords.binlog_file = xstrdup("bin.000001");
    m->coords.binlog_pos = 4;
    m->coords.gtid_set = xstrdup("0-1-2");
    add_table(m, "big", 1500, 1);
    add_table(m, "empty", 0, 1);
    add_table(m, "heap", 3, 0);
    add_table(m, "one", 1, 1);
    return m;
}

/* What jansson gives for TEXT parsed and serialized whole. */
static char *whole_tree_text(const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    char *s;
    size_t n;

    assert_non_null(root);
    s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(root);
    assert_non_null(s);
    n = strlen(s);
    s = realloc(s, n + 2);
    assert_non_null(s);
    memcpy(s + n, "\n", 2);
    return s;
}

static void assert_same_chunks(const struct fmt_manifest *a, const struct fmt_manifest *b)
{
    assert_int_equal(a->ntables, b->ntables);
    for (size_t i = 0; i < a->ntables; i++) {
        const struct fmt_table *x = &a->tables[i], *y = &b->tables[i];

        assert_string_equal(x->name, y->name);
        assert_int_equal(x->nkey, y->nkey);
        assert_int_equal(x->nchunks, y->nchunks);
        for (size_t k = 0; k < x->nchunks; k++) {
            const struct fmt_chunk *c = &x->chunks[k], *d = &y->chunks[k];

            assert_string_equal(c->file, d->file);
            assert_int_equal(c->index, d->index);
            assert_true(c->rows == d->rows && c->raw_bytes == d->raw_bytes &&
                        c->file_bytes == d->file_bytes && c->typed_values == d->typed_values);
            assert_string_equal(c->file_hash, d->file_hash);
            assert_string_equal(c->sha256, d->sha256);
            assert_string_equal(c->checksum, d->checksum);
            assert_int_equal(!c->lo, !d->lo);
            assert_int_equal(!c->hi, !d->hi);
            if (c->lo)
                assert_int_equal(fmt_bound_cmp(c->lo, d->lo), 0);
            if (c->hi)
                assert_int_equal(fmt_bound_cmp(c->hi, d->hi), 0);
            assert_int_equal(c->lo ? c->lo->closed : 0, d->lo ? d->lo->closed : 0);
        }
    }
}

/* The text is the whole tree's, the sink's bytes are the same (a signed
 * dump signs one and writes the other), and it reads back equal. */
static void test_write_read(void **state)
{
    struct fmt_manifest *m = build(), *r;
    struct fmt_sink *sink;
    struct cs_error err;
    const void *data;
    size_t len;
    char *text, *whole;

    (void)state;
    cs_error_clear(&err);
    text = fmt_manifest_to_json(m, &err);
    if (!text)
        fail_msg("%s", err.msg);
    whole = whole_tree_text(text);
    assert_string_equal(text, whole);
    assert_non_null(strstr(text, "\"chunks\": []")); /* the empty table */
    sink = fmt_sink_memory_new(&err);
    assert_non_null(sink);
    assert_int_equal(fmt_manifest_write_sink(m, sink, &err), 0);
    data = fmt_sink_memory_data(sink, &len);
    assert_int_equal(len, strlen(text));
    assert_memory_equal(data, text, len);
    fmt_sink_free(sink);
    r = fmt_manifest_from_json(text, strlen(text), "mem", &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_same_chunks(m, r);
    assert_int_equal(r->tables[0].chunks_cap, r->tables[0].nchunks); /* no room to spare */
    free(whole);
    free(text);
    fmt_manifest_free(r);
    fmt_manifest_free(m);
}

static void test_signed(void **state)
{
    char dir[] = "/tmp/cs_test_mstream_XXXXXX", priv[256], pub[256];
    struct fmt_manifest *m = build();
    struct fmt_sign_key *k, *kp;
    struct cs_buf sig = CS_BUF_INIT;
    struct fmt_sink *sink;
    struct cs_error err;
    const void *data;
    size_t len;
    char *text;

    (void)state;
    cs_error_clear(&err);
    assert_non_null(mkdtemp(dir));
    snprintf(priv, sizeof(priv), "%s/k.pem", dir);
    snprintf(pub, sizeof(pub), "%s/k.pub.pem", dir);
    assert_int_equal(fmt_sign_keygen(priv, pub, &err), 0);
    k = fmt_sign_key_load_private(priv, &err);
    kp = fmt_sign_key_load_public(pub, &err);
    assert_non_null(k);
    assert_non_null(kp);
    text = fmt_manifest_to_json(m, &err);
    assert_non_null(text);
    assert_int_equal(fmt_sign_data(k, text, strlen(text), &sig, &err), 0);
    sink = fmt_sink_memory_new(&err);
    assert_non_null(sink);
    assert_int_equal(fmt_manifest_write_sink(m, sink, &err), 0);
    data = fmt_sink_memory_data(sink, &len);
    assert_int_equal(fmt_sign_verify(kp, data, len, sig.data, sig.len, "manifest.json", &err), 0);
    fmt_sink_free(sink);
    cs_buf_release(&sig);
    fmt_sign_key_free(k);
    fmt_sign_key_free(kp);
    free(text);
    fmt_manifest_free(m);
    unlink(priv);
    unlink(pub);
    rmdir(dir);
}

/* ROOT's members with KEY first (a reference each). */
static json_t *first(json_t *root, const char *key)
{
    json_t *o = json_object();
    const char *k;
    json_t *v;

    assert_int_equal(json_object_set(o, key, json_object_get(root, key)), 0);
    json_object_foreach(root, k, v)
    {
        if (strcmp(k, key) != 0)
            assert_int_equal(json_object_set(o, k, v), 0);
    }
    return o;
}

/* TEXT with "tables" first and each table's "chunks" first: read the same. */
static void reordered_reads_same(const char *text, size_t len)
{
    struct fmt_manifest *a, *b;
    struct cs_error err;
    json_t *root = json_loadb(text, len, 0, NULL), *moved, *tables;
    char *s;

    assert_non_null(root);
    tables = json_array();
    for (size_t i = 0; i < json_array_size(json_object_get(root, "tables")); i++)
        json_array_append_new(tables,
                              first(json_array_get(json_object_get(root, "tables"), i), "chunks"));
    json_object_set_new(root, "tables", tables);
    moved = first(root, "tables");
    s = json_dumps(moved, JSON_PRESERVE_ORDER);
    assert_non_null(s);
    assert_true(strncmp(s, "{\"tables\": [{\"chunks\": [", 24) == 0);
    a = fmt_manifest_from_json(text, len, "a", &err);
    if (!a)
        fail_msg("%s", err.msg);
    b = fmt_manifest_from_json(s, strlen(s), "b", &err);
    if (!b)
        fail_msg("%s", err.msg);
    assert_int_equal(a->format_version, b->format_version);
    assert_string_equal(a->tool_version, b->tool_version);
    assert_same_chunks(a, b);
    for (size_t i = 0; i < a->ntables; i++)
        for (size_t k = 0; k < a->tables[i].nchunks; k++) {
            const char *x = a->tables[i].chunks[k].v1_lower, *y = b->tables[i].chunks[k].v1_lower;
            assert_true((!x && !y) || (x && y && !strcmp(x, y)));
        }
    fmt_manifest_free(a);
    fmt_manifest_free(b);
    free(s);
    json_decref(moved);
    json_decref(root);
}

static void test_any_order(void **state)
{
    struct fmt_manifest *m = build();
    struct cs_error err;
    size_t len;
    char *text = fmt_manifest_to_json(m, &err), *v1;

    (void)state;
    assert_non_null(text);
    reordered_reads_same(text, strlen(text));
    v1 = read_data("manifest-v1.json", &len); /* version 1: bounds as SQL text */
    reordered_reads_same(v1, len);
    free(v1);
    free(text);
    fmt_manifest_free(m);
}

static void expect_refused(const char *text, const char *needle)
{
    struct cs_error err;
    struct fmt_manifest *m = fmt_manifest_from_json(text, strlen(text), "NAME", &err);

    if (m) {
        fmt_manifest_free(m);
        fail_msg("accepted a manifest that should fail with \"%s\"", needle);
    }
    if (err.code != CS_ERR_FORMAT || !strstr(err.msg, needle))
        fail_msg("want \"%s\", got %s \"%s\"", needle, cs_error_code_name(err.code), err.msg);
}

/* TEXT with the first OLD replaced by NEW must be refused with NEEDLE. */
static void edit_refused(const char *text, const char *old, const char *new, const char *needle)
{
    const char *at = strstr(text, old);
    size_t n = strlen(text) - strlen(old) + strlen(new);
    char *s = malloc(n + 1);

    assert_non_null(at);
    assert_non_null(s);
    snprintf(s, n + 1, "%.*s%s%s", (int)(at - text), text, new, at + strlen(old));
    expect_refused(s, needle);
    free(s);
}

static void test_broken_streams(void **state)
{
    struct fmt_manifest *m = build();
    struct cs_error err;
    char *text = fmt_manifest_to_json(m, &err), *cut;
    const char *c900 = strstr(text, "\"s.big.00900.000.tsv.zst\"");
    size_t line = 1;

    (void)state;
    assert_non_null(text);
    assert_non_null(c900);
    for (const char *p = text; p < c900; p++)
        line += *p == '\n';
    /* cut in the middle of a chunk: the line it ends on */
    cut = strndup(text, (size_t)(c900 - text) + 10);
    assert_non_null(cut);
    {
        char needle[64];
        snprintf(needle, sizeof(needle), "not valid JSON at line %zu", line);
        expect_refused(cut, needle);
    }
    free(cut);
    edit_refused(text, "\"tables\": [", "\"tables\": [], \"tables\": [", "duplicate object key");
    edit_refused(text, "\"chunks\": [", "\"chunks\": [], \"chunks\": [", "duplicate object key");
    edit_refused(text, "\"engine\": \"InnoDB\"", "\"engine\": \"InnoDB\", \"engine\": \"x\"",
                 "duplicate object key");
    edit_refused(text, "\"rows\": 1,", "\"rows\": 1, \"rows\": 1,", "duplicate object key");
    edit_refused(text, "\"chunks\": [", "\"chunks\": [7, ",
                 "tables[0].chunks[0]: expected an object");
    edit_refused(text, "\"chunks\": [", "\"chunks\": 7, \"x\": [",
                 "tables[0].chunks: expected an array");
    edit_refused(text, "\"chunks\": [", "\"x\": [", "tables[0].chunks: missing");
    edit_refused(text, "\"tables\": [", "\"tables\": [5, ", "tables[0]: expected an object");
    edit_refused(text, "\"rows\": 2,", "\"rows\": -2,", "tables[0].chunks[1].rows: expected");
    edit_refused(text, "  }\n ]\n}", "  },\n ]\n}", "not valid JSON"); /* [a,] */
    edit_refused(text, "\n ]\n}", "\n ]\n} x", "end of file expected");
    edit_refused(text, "\n ]\n}", "\n ]", "not valid JSON");
    free(text);
    fmt_manifest_free(m);
}

/* ---- read from a source: a window of the text ---------------------------- */

/* A source giving TEXT at most STEP bytes a read, failing at FAIL_AT. */
struct dribble {
    struct fmt_source base;
    const char *text;
    size_t len, at, step, fail_at;
};

static ssize_t dribble_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct dribble *d = (struct dribble *)s;
    size_t n = d->len - d->at;

    if (d->at >= d->fail_at)
        return cs_error_set(err, CS_ERR_IO, "the disk is on fire");
    n = n < d->step ? n : d->step;
    n = n < cap ? n : cap;
    memcpy(buf, d->text + d->at, n);
    d->at += n;
    return (ssize_t)n;
}

static void dribble_free(struct fmt_source *s)
{
    (void)s;
}

static struct fmt_manifest *read_dribbled(const char *text, size_t len, size_t head, size_t step,
                                          size_t fail_at, size_t max, struct cs_error *err)
{
    struct dribble d = {{dribble_read, dribble_free}, text, len, head, step, fail_at};

    cs_error_clear(err);
    return fmt_manifest_read_source(text, head, &d.base, max, "NAME", err);
}

static void test_source(void **state)
{
    struct fmt_manifest *m = build(), *r;
    struct cs_error err;
    char *text = fmt_manifest_to_json(m, &err), *cut;
    size_t len, line = 1;
    json_t *root, *moved;
    char *reordered, needle[64];
    const char *c900;

    (void)state;
    assert_non_null(text);
    len = strlen(text);
    assert_true(len > 4 * 65536); /* many windows */
    /* a whole window at a time, and a few bytes at a time after a head */
    r = read_dribbled(text, len, 0, SIZE_MAX, SIZE_MAX, 1 << 30, &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_same_chunks(m, r);
    fmt_manifest_free(r);
    r = read_dribbled(text, len, 10, 7, SIZE_MAX, 1 << 30, &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_same_chunks(m, r);
    fmt_manifest_free(r);
    /* "tables" before "format_version": kept in the window, read after */
    root = json_loads(text, 0, NULL);
    assert_non_null(root);
    moved = json_object();
    json_object_set(moved, "tables", json_object_get(root, "tables"));
    json_object_update_missing(moved, root);
    reordered = json_dumps(moved, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    assert_non_null(reordered);
    assert_true(strncmp(reordered, "{\n \"tables\"", 11) == 0);
    r = read_dribbled(reordered, strlen(reordered), 0, 4096, SIZE_MAX, 1 << 30, &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_same_chunks(m, r);
    fmt_manifest_free(r);
    /* cut short: the line where it ends */
    c900 = strstr(text, "\"s.big.00900.000.tsv.zst\"");
    assert_non_null(c900);
    for (const char *p = text; p < c900; p++)
        line += *p == '\n';
    cut = strndup(text, (size_t)(c900 - text) + 10);
    assert_non_null(cut);
    snprintf(needle, sizeof(needle), "NAME: not valid JSON at line %zu", line);
    assert_null(read_dribbled(cut, strlen(cut), 0, 1000, SIZE_MAX, 1 << 30, &err));
    assert_non_null(strstr(err.msg, needle));
    /* the source's own error; too long a text */
    assert_null(read_dribbled(text, len, 0, 1000, len / 2, 1 << 30, &err));
    assert_int_equal(err.code, CS_ERR_IO);
    assert_string_equal(err.msg, "NAME: the disk is on fire");
    assert_null(read_dribbled(text, len, 0, 65536, SIZE_MAX, len / 2, &err));
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "NAME: larger than it can be"));
    /* not an object */
    assert_null(read_dribbled("[1, 2]", 6, 0, 2, SIZE_MAX, 100, &err));
    assert_non_null(strstr(err.msg, "expected a JSON object"));
    free(cut);
    free(reordered);
    json_decref(moved);
    json_decref(root);
    free(text);
    fmt_manifest_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_read), cmocka_unit_test(test_signed),
        cmocka_unit_test(test_any_order),  cmocka_unit_test(test_broken_streams),
        cmocka_unit_test(test_source),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
