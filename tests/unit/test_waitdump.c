/* load/waitdump.h: chunks found by listing a dump while it is written are
 * handed out once each, however many listings name them, over many
 * thousands of chunks (each poll linear in the listing), and none of a
 * table outside the catalog, partial or a description. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "format/nameset.h"
#include "load/waitdump.h"

#define CHUNKS 20000
#define PER_LISTING 2500

/* A dump being written: every listing names every chunk so far and
 * PER_LISTING new ones; manifest.json with the last. */
struct fake_input {
    struct load_input base;
    char *catalog;
    size_t catalog_len;
    size_t shown;
    unsigned lists;
};

static char *chunk_name(size_t i)
{
    char *n = malloc(64);

    assert_non_null(n);
    snprintf(n, 64, "shop.orders.%05zu.%03zu.tsv.zst", i / 1000, i % 1000);
    return n;
}

static int fake_list(struct load_input *in, char ***names, size_t *n, struct cs_error *err)
{
    struct fake_input *f = (struct fake_input *)in;
    size_t k = 0, extra = 4;
    char **out;

    (void)err;
    f->lists++;
    f->shown = f->shown + PER_LISTING < CHUNKS ? f->shown + PER_LISTING : CHUNKS;
    out = calloc(f->shown + extra + 1, sizeof(*out));
    assert_non_null(out);
    out[k++] = strdup("catalog.json");
    out[k++] = strdup("shop.elsewhere.00000.000.tsv.zst"); /* not in the catalog */
    out[k++] = strdup("shop.orders.00000.000.tsv.zst.meta.json");
    for (size_t i = 0; i < f->shown; i++)
        out[k++] = chunk_name(i);
    if (f->shown == CHUNKS)
        out[k++] = strdup("manifest.json");
    *names = out;
    *n = k;
    return 0;
}

static struct fmt_source *fake_open(struct load_input *in, const char *file, struct cs_error *err)
{
    struct fake_input *f = (struct fake_input *)in;

    assert_string_equal(file, "catalog.json");
    return fmt_source_memory_new(f->catalog, f->catalog_len, err);
}

static void test_each_chunk_once(void **state)
{
    struct fake_input f = {0};
    struct fmt_name_set handed = FMT_NAME_SET_INIT;
    struct fmt_manifest *cat = NULL;
    struct load_wait_chunk *c;
    struct load_wait *w;
    struct cs_error err;
    FILE *fp = fopen(CS_TEST_DATA "/manifest-full.json", "rb");
    size_t count = 0;
    int final = -1, r;

    (void)state;
    assert_non_null(fp);
    f.catalog = malloc(1 << 20);
    f.catalog_len = fread(f.catalog, 1, 1 << 20, fp);
    fclose(fp);
    f.base.name = "fake";
    f.base.list = fake_list;
    f.base.open = fake_open;
    cs_error_clear(&err);
    w = load_wait_new(&f.base, 60, NULL, NULL, &cat, &final, &err);
    assert_non_null(w);
    assert_int_equal(final, 0);
    while ((r = load_wait_next(w, cat, &c, &err)) == 1) {
        assert_int_equal(c->table, 0);
        assert_int_equal(fmt_name_set_insert(&handed, c->c.file), 1); /* never twice */
        count++;
    }
    assert_int_equal(r, 0);
    assert_int_equal(count, CHUNKS);
    /* a listing per PER_LISTING new chunks (the first finds the catalog),
     * none more: no pause, no listing while chunks wait to be handed out */
    assert_int_equal(f.lists, CHUNKS / PER_LISTING);
    fmt_name_set_release(&handed);
    load_wait_free(w);
    fmt_manifest_free(cat);
    free(f.catalog);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_chunk_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
