/* output_seal.c - csdump --encrypt-key: an output over another (dump/output.h)
 * that stores every file sealed (format/seal.h) under its opaque name. */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "dump/output.h"
#include "format/seal.h"

struct seal_output {
    struct dump_output base;
    struct dump_output *inner;
    struct fmt_seal_key key;
};

static char *stored(struct seal_output *s, const char *file, struct cs_error *err)
{
    char *n = fmt_seal_stored_name(&s->key, file);

    if (!n)
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    return n;
}

static int seal_prepare(struct dump_output *o, struct cs_error *err)
{
    struct seal_output *s = (struct seal_output *)o;
    return s->inner->prepare(s->inner, err);
}

static struct fmt_sink *seal_open(struct dump_output *o, const char *file, struct cs_error *err)
{
    struct seal_output *s = (struct seal_output *)o;
    char *name = stored(s, file, err);
    struct fmt_sink *inner = name ? s->inner->open(s->inner, name, err) : NULL;

    free(name);
    return inner ? fmt_sink_seal_new(inner, &s->key, err) : NULL;
}

static int seal_put(struct dump_output *o, const char *file, const void *data, size_t len,
                    struct cs_error *err)
{
    struct seal_output *s = (struct seal_output *)o;
    struct cs_buf b = CS_BUF_INIT;
    char *name = stored(s, file, err);
    int rc = -1;

    if (name && fmt_seal_memory(&s->key, data, len, &b, err) == 0)
        rc = s->inner->put(s->inner, name, b.data, b.len, err);
    cs_buf_release(&b);
    free(name);
    return rc;
}

static void seal_remove(struct dump_output *o, const char *file)
{
    struct seal_output *s = (struct seal_output *)o;
    char *name = fmt_seal_stored_name(&s->key, file);

    if (name)
        s->inner->remove(s->inner, name);
    free(name);
}

static int seal_seal(struct dump_output *o, const char *file, struct cs_error *err)
{
    struct seal_output *s = (struct seal_output *)o;
    char *name = file ? stored(s, file, err) : NULL;
    int rc = file && !name ? -1 : s->inner->seal(s->inner, name, err);

    free(name);
    return rc;
}

static void seal_cleanup(struct dump_output *o)
{
    struct seal_output *s = (struct seal_output *)o;
    s->inner->cleanup(s->inner);
}

static void seal_free(struct dump_output *o)
{
    struct seal_output *s = (struct seal_output *)o;

    dump_output_free(s->inner);
    fmt_seal_key_wipe(&s->key);
    free(s);
}

struct dump_output *dump_output_seal_new(struct dump_output *inner, const struct fmt_seal_key *key,
                                         struct cs_error *err)
{
    struct seal_output *s;

    if (!inner)
        return NULL;
    s = calloc(1, sizeof(*s));
    if (!s) {
        dump_output_free(inner);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->inner = inner;
    s->key = *key;
    s->base = (struct dump_output){inner->name, seal_prepare, seal_open,    seal_put,
                                   seal_remove, seal_seal,    seal_cleanup, seal_free};
    return &s->base;
}
