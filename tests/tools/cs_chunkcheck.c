/*
 * cs_chunkcheck - test tool: checks a dump against itself and a server.
 *
 *   cs_chunkcheck DIR [-S SOCKET | -h HOST -P PORT] [-u USER]
 *
 * For every chunk: the file's bytes hash to the manifest's hash; a tsv chunk
 * decodes to the manifest's row count and data checksum with every row
 * having the manifest's column count.  With a server: each chunk's rows
 * recomputed over its key range (tables without a key: the whole table)
 * equal the manifest's, and the table's COUNT(*) equals the sum of its
 * chunks.  Prints each mismatch; exit 0 when all agree, 1 otherwise.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fs.h"
#include "common/quote.h"
#include "format/manifest.h"
#include "format/source.h"
#include "format/tsv.h"
#include "load/bounds_v1.h"
#include "load/verify.h"

static int check_file(const char *dir, const struct fmt_table *t, const struct fmt_chunk *c,
                      int tsv, int zst)
{
    struct cs_error err;
    char *path = cs_fs_join(dir, c->file);
    struct fmt_source *file, *counter, *top;
    struct fmt_tsv_reader *rd = NULL;
    struct fmt_checksum sum;
    struct cs_buf line = CS_BUF_INIT;
    uint64_t bytes;
    char hash[33], hex[17];
    int bad = 0;

    cs_error_clear(&err);
    fmt_checksum_init(&sum);
    file = fmt_source_file_new(path, &err);
    counter = file ? fmt_source_counter_new(file, &err) : NULL;
    top = counter && zst ? fmt_source_zstd_new(counter, c->file, &err) : counter;
    if (top && tsv)
        rd = fmt_tsv_reader_new(top, c->file, &err);
    if (rd) {
        unsigned n;
        char **vals;
        size_t *lens;
        int r;
        while ((r = fmt_tsv_reader_next(rd, &n, &vals, &lens, &err)) == 1) {
            unsigned long ul[4096];
            if (n != t->ncolumns || n > 4096) {
                printf("MISMATCH %s: a row has %u fields, the table %zu columns\n", c->file, n,
                       t->ncolumns);
                bad = 1;
                break;
            }
            for (unsigned i = 0; i < n; i++)
                ul[i] = lens[i];
            fmt_checksum_row(&sum, &line, vals, ul, n);
        }
        if (r < 0)
            bad = 1;
    } else if (top) {
        char buf[65536];
        while (fmt_source_read(top, buf, sizeof(buf), &err) > 0)
            ;
    }
    if (cs_error_is_set(&err)) {
        printf("ERROR %s: %s\n", c->file, err.msg);
        bad = 1;
    }
    if (counter) {
        fmt_source_counter_result(counter, &bytes, hash);
        if (!bad && (bytes != c->file_bytes || strcmp(hash, c->file_hash))) {
            printf("MISMATCH %s: file hash/size differ from the manifest\n", c->file);
            bad = 1;
        }
    }
    fmt_checksum_hex(&sum, hex);
    if (!bad && tsv && (sum.rows != c->rows || strcmp(hex, c->checksum))) {
        printf("MISMATCH %s: decoded %llu rows checksum %s, manifest %llu rows %s\n", c->file,
               (unsigned long long)sum.rows, hex, (unsigned long long)c->rows, c->checksum);
        bad = 1;
    }
    fmt_tsv_reader_free(rd);
    fmt_source_free(top);
    cs_buf_release(&line);
    free(path);
    return bad;
}

static int check_server(struct cs_conn *conn, const struct fmt_table *t)
{
    struct cs_error err;
    struct fmt_checksum sum, total;
    char hex[17], *count = NULL;
    struct cs_buf sql = CS_BUF_INIT;
    uint64_t rows = 0;
    int bad = 0;

    cs_error_clear(&err);
    fmt_checksum_init(&total);
    for (size_t i = 0; i < t->nchunks; i++) {
        const struct fmt_chunk *c = &t->chunks[i];
        rows += c->rows;
        if (t->nkey == 0) {
            struct fmt_checksum one = {c->rows, strtoull(c->checksum, NULL, 16)};
            fmt_checksum_merge(&total, &one);
            continue;
        }
        if (load_verify_select(conn, t, NULL, c, &sum, &err) < 0) {
            printf("ERROR %s\n", err.msg);
            return 1;
        }
        fmt_checksum_hex(&sum, hex);
        if (sum.rows != c->rows || strcmp(hex, c->checksum)) {
            char *lo = fmt_bound_text(c->lo), *hi = fmt_bound_text(c->hi);
            printf("MISMATCH %s.%s chunk %s (%s to %s): server %llu rows %s, manifest %llu rows "
                   "%s\n",
                   t->schema, t->name, c->file, lo ? lo : "?", hi ? hi : "?",
                   (unsigned long long)sum.rows, hex, (unsigned long long)c->rows, c->checksum);
            free(lo);
            free(hi);
            bad = 1;
        }
    }
    if (t->nkey == 0) {
        char want[17];
        fmt_checksum_hex(&total, want);
        if (load_verify_select(conn, t, NULL, NULL, &sum, &err) < 0) {
            printf("ERROR %s\n", err.msg);
            return 1;
        }
        fmt_checksum_hex(&sum, hex);
        if (sum.rows != total.rows || strcmp(hex, want)) {
            printf("MISMATCH %s.%s (no key): server %llu rows %s, chunks %llu rows %s\n",
                   t->schema, t->name, (unsigned long long)sum.rows, hex,
                   (unsigned long long)total.rows, want);
            bad = 1;
        }
    }
    cs_buf_puts(&sql, "SELECT COUNT(*) FROM ");
    cs_quote_qualified(&sql, t->schema, t->name);
    if (cs_conn_query_value(conn, sql.data, &count, &err) < 0 || !count ||
        strtoull(count, NULL, 10) != rows) {
        printf("MISMATCH %s.%s: COUNT(*) %s, chunks hold %llu rows\n", t->schema, t->name,
               count ? count : err.msg, (unsigned long long)rows);
        bad = 1;
    }
    free(count);
    cs_buf_release(&sql);
    return bad;
}

int main(int argc, char **argv)
{
    struct cs_conn_config cfg = {0};
    struct cs_conn conn = {0};
    struct cs_error err;
    struct fmt_manifest *m;
    size_t nchunks = 0;
    int opt, bad = 0, server = 0;

    cs_error_clear(&err);
    while ((opt = getopt(argc, argv, "S:h:P:u:")) != -1) {
        server = 1;
        if (opt == 'S')
            cfg.socket = optarg;
        else if (opt == 'h')
            cfg.host = optarg;
        else if (opt == 'P')
            cfg.port = (unsigned)atoi(optarg);
        else if (opt == 'u')
            cfg.user = optarg;
        else
            return 2;
    }
    if (optind + 1 != argc)
        return fprintf(stderr, "usage: cs_chunkcheck DIR [-S SOCK|-h HOST -P PORT] [-u U]\n"), 2;
    m = load_bounds_v1_take(fmt_manifest_read(argv[optind], &err), argv[optind], &err);
    if (!m)
        return printf("ERROR %s\n", err.msg), 1;
    if (server && (cs_conn_open(&conn, &cfg, "chunkcheck", &err) < 0 ||
                   cs_conn_exec(&conn, "SET time_zone='+00:00'", &err) < 0))
        return printf("ERROR %s\n", err.msg), 1;
    for (size_t i = 0; i < m->ntables; i++) {
        const struct fmt_table *t = &m->tables[i];
        for (size_t k = 0; k < t->nchunks; k++, nchunks++)
            bad |= check_file(argv[optind], t, &t->chunks[k], m->format == FMT_FORMAT_TSV,
                              m->compress == FMT_COMPRESS_ZSTD);
        if (server)
            bad |= check_server(&conn, t);
    }
    cs_conn_close(&conn);
    fmt_manifest_free(m);
    printf("chunkcheck: %zu chunks in %s%s\n", nchunks, argv[optind], bad ? ": MISMATCHES" : ": ok");
    return bad;
}
