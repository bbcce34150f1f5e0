#include "dump/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "dump/plan.h"
#include "format/sign.h"

/* 128 random bits as hex: the dump's identity (the load journal's key). */
static char *new_dump_id(void)
{
    unsigned char b[16];
    char hex[33];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t n = f ? fread(b, 1, sizeof(b), f) : 0;

    if (f)
        fclose(f);
    if (n != sizeof(b)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(hex, sizeof(hex), "%016llx%08x%08x", (unsigned long long)ts.tv_nsec,
                 (unsigned)getpid(), (unsigned)ts.tv_sec);
        return strdup(hex);
    }
    for (size_t i = 0; i < sizeof(b); i++)
        snprintf(hex + 2 * i, 3, "%02x", b[i]);
    return strdup(hex);
}

char *dump_record_now(void)
{
    char buf[32];
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return strdup(buf);
}

static char *dupn(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int fill_columns(struct fmt_table *ft, const struct dump_table *t)
{
    size_t n = 0;

    ft->columns = calloc(t->ncols + 1, sizeof(*ft->columns));
    ft->key = calloc(t->nkey + 1, sizeof(char *));
    if (!ft->columns || !ft->key)
        return -1;
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].generated || t->cols[i].period)
            continue;
        ft->columns[n].name = strdup(t->cols[i].name);
        ft->columns[n].type = strdup(t->cols[i].type);
        ft->columns[n].kind = t->cols[i].kind;
        if (!ft->columns[n].name || !ft->columns[n++].type)
            return -1;
        ft->ncolumns = n;
    }
    if (!dump_plan_key_usable(t))
        return 0;
    for (size_t k = 0; k < t->nkey; k++) {
        ft->key[k] = strdup(t->cols[t->key[k]].name);
        if (!ft->key[k])
            return -1;
        ft->nkey = k + 1;
    }
    return 0;
}

static int fill_table(struct fmt_table *ft, const struct dump_table *t)
{
    ft->schema = strdup(t->schema);
    ft->name = strdup(t->name);
    ft->engine = strdup(t->engine);
    ft->transactional = t->transactional;
    ft->where = dupn(t->where);
    if (t->where && !ft->where)
        return -1;
    ft->est_rows = t->est_rows;
    if (t->versioned)
        ft->row_format_note = strdup("system-versioned: only the current rows are dumped, "
                                     "not the history");
    if (!ft->schema || !ft->name || !ft->engine || (t->versioned && !ft->row_format_note))
        return -1;
    return fill_columns(ft, t);
}

struct fmt_manifest *dump_record_begin(const struct dump_config *cfg, const struct dump_server *srv,
                                       const struct dump_catalog *cat, struct cs_error *err)
{
    struct fmt_manifest *m = fmt_manifest_new();
    char where[300];
    int ok;

    if (!m)
        goto oom;
    cs_conn_describe(&cfg->conn, where, sizeof(where));
    m->format_version = FMT_MANIFEST_VERSION;
    m->tool_version = strdup(CS_VERSION);
    m->dump_id = new_dump_id();
    if (cfg->sign_key) {
        char id[17];
        fmt_sign_key_id(cfg->sign_key, id);
        m->signed_by = strdup(id);
    }
    m->source_host = strdup(srv->hostname ? srv->hostname : where);
    m->source_port = cfg->conn.port;
    m->flavor = strdup(cs_flavor_name(srv->version.flavor));
    m->server_version = strdup(srv->version_text);
    m->server_id = srv->server_id;
    m->server_uuid = dupn(srv->server_uuid);
    m->sql_mode = strdup(srv->sql_mode ? srv->sql_mode : "");
    m->time_zone = strdup("+00:00");
    m->started_at = dump_record_now();
    m->format = cfg->format;
    m->compress = cfg->compress;
    m->compress_level = cfg->compress_level;
    m->threads = cfg->threads;
    m->chunk_rows = cfg->chunk_rows;
    m->chunk_bytes = cfg->chunk_bytes;
    m->include_system = cfg->include_system;
    ok = m->tool_version && m->dump_id && (!cfg->sign_key || m->signed_by) && m->source_host &&
         m->flavor && m->server_version && m->sql_mode && m->time_zone && m->started_at &&
         (!srv->server_uuid || m->server_uuid);
    for (size_t i = 0; ok && i < cat->ntables; i++) {
        struct fmt_table *ft = fmt_manifest_add_table(m);
        ok = ft && fill_table(ft, &cat->tables[i]) == 0;
        m->subset |= cat->tables[i].where != NULL;
    }
    m->has_selection = 1;
    m->partial = dump_catalog_partial(cat);
    for (size_t i = 0; ok && m->partial && i < cat->nschemas; i++)
        if (dump_catalog_schema_whole(cat, i))
            ok = fmt_manifest_add_whole_schema(m, cat->schemas[i]) == 0;
    if (ok)
        return m;
oom:
    fmt_manifest_free(m);
    cs_error_set(err, CS_ERR_NOMEM, "out of memory building the manifest");
    return NULL;
}

static int copy_coords(struct fmt_coords *dst, const struct fmt_coords *src)
{
    dst->present = src->present;
    dst->binlog_pos = src->binlog_pos;
    dst->binlog_file = dupn(src->binlog_file);
    dst->gtid_set = dupn(src->gtid_set);
    dst->unusable = dupn(src->unusable);
    return (!src->binlog_file || dst->binlog_file) && (!src->gtid_set || dst->gtid_set) &&
                   (!src->unusable || dst->unusable)
               ? 0
               : -1;
}

int dump_record_snapshot(struct fmt_manifest *m, const struct dump_snapshot *s,
                         struct cs_error *err)
{
    int ok;

    m->lock_mode = strdup(dump_lock_mode_name(s->mode));
    m->consistent = s->consistent;
    m->consistency_note = strdup(s->note);
    m->barrier_wait_ms = s->wait_ms;
    m->barrier_hold_ms = s->hold_ms;
    ok = m->lock_mode && m->consistency_note && copy_coords(&m->coords, &s->coords) == 0;
    for (size_t i = 0; ok && i < s->nproof; i++)
        ok = fmt_manifest_add_proof(m, s->proof[i]) == 0;
    if (ok && s->is_replica) {
        ok = copy_coords(&m->replica_of, &s->replica) == 0;
        m->replica_source_host = dupn(s->replica_host);
    }
    return ok ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory building the manifest");
}

static int cmp_result(const void *a, const void *b)
{
    const struct dump_chunk_result *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return x->sub < y->sub ? -1 : x->sub > y->sub;
}

/* Key order; then make the ranges tile the key space. */
static int tile(struct dump_table_results *res)
{
    if (res->n == 0)
        return 0;
    qsort(res->r, res->n, sizeof(*res->r), cmp_result);
    if (!res->r[0].keyed)
        return 0;
    fmt_bound_free(res->r[0].lo);
    res->r[0].lo = NULL;
    for (size_t i = 1; i < res->n; i++) {
        fmt_bound_free(res->r[i].lo);
        res->r[i].lo = res->r[i - 1].hi ? dump_key_as(res->r[i - 1].hi, 1) : NULL;
        if (res->r[i - 1].hi && !res->r[i].lo)
            return -1;
    }
    fmt_bound_free(res->r[res->n - 1].hi);
    res->r[res->n - 1].hi = NULL;
    return 0;
}

/* C = R's file and typed bounds (open when the unit has no key), taken
 * from R: the manifest holds one record a chunk, not a copy beside it. */
static void take_chunk(struct fmt_chunk *c, struct dump_chunk_result *r, uint32_t index)
{
    memset(c, 0, sizeof(*c));
    c->file = r->file;
    r->file = NULL;
    c->index = index;
    c->rows = r->rows;
    c->raw_bytes = r->raw_bytes;
    c->file_bytes = r->file_bytes;
    memcpy(c->file_hash, r->file_hash, sizeof(c->file_hash));
    memcpy(c->sha256, r->sha256, sizeof(c->sha256));
    memcpy(c->checksum, r->checksum, sizeof(c->checksum));
    c->typed_values = r->typed_values;
    if (r->keyed) {
        c->lo = r->lo;
        c->hi = r->hi;
        r->lo = r->hi = NULL;
    }
}

/* Results given back while they are taken, every this many */
#define SHRINK_EVERY 4096

int dump_record_table(struct fmt_manifest *m, size_t ti, struct dump_table_results *res,
                      struct cs_error *err)
{
    struct fmt_table *ft = &m->tables[ti];
    size_t n = res->n, base = ft->nchunks;

    if (tile(res) < 0 || fmt_table_size_chunks(ft, base + n) < 0)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    /* last to first, the results' array shrinking behind: a table's records
     * are never held twice, in its results and in the manifest */
    for (size_t i = n; i-- > 0;) {
        struct dump_chunk_result *r = &res->r[i];

        take_chunk(&ft->chunks[base + i], r, (uint32_t)i);
        ft->rows += r->rows;
        for (size_t k = 0; r->typed_by_col && k < ft->ncolumns; k++)
            ft->columns[k].typed_values += r->typed_by_col[k];
        if (r->max_row_bytes > ft->max_row_bytes)
            ft->max_row_bytes = r->max_row_bytes;
        dump_chunk_result_release(r);
        if (i && i % SHRINK_EVERY == 0) {
            void *p = realloc(res->r, i * sizeof(*res->r));
            res->r = p ? p : res->r;
        }
    }
    ft->nchunks = base + n;
    free(res->r); /* the table's results are all in the manifest now */
    res->r = NULL;
    res->n = res->cap = 0;
    return 0;
}
