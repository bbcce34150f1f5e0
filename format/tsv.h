/*
 * tsv.h - the tsv chunk format: exactly LOAD DATA's defaults
 * (FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n'),
 * NULL as \N.  Escaped bytes: 0x00 -> \0, 0x08 -> \b, \n -> \n, \r -> \r,
 * \t -> \t, 0x1a -> \Z, '\\' -> \\; every other byte is written as is, so
 * values are byte-exact whatever their character set.
 * Encoder: pure, thread-safe.  Reader: one thread at a time.
 */
#ifndef FMT_TSV_H
#define FMT_TSV_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"
#include "format/source.h"

/* VAL NULL means SQL NULL. */
void fmt_tsv_append_field(struct cs_buf *b, const char *val, size_t len);
/* Fields separated by tabs, terminated by '\n'. */
void fmt_tsv_append_row(struct cs_buf *b, char **vals, const unsigned long *lens, unsigned n);

struct fmt_tsv_reader;
/* Borrows SRC; NAME is used in messages. */
struct fmt_tsv_reader *fmt_tsv_reader_new(struct fmt_source *src, const char *name,
                                          struct cs_error *err);
/* 1 = a row (vals[i] NULL for SQL NULL; arrays lent until the next call),
 * 0 = end of data, -1 = error (a last line without '\n' is CS_ERR_TRUNCATED). */
int fmt_tsv_reader_next(struct fmt_tsv_reader *r, unsigned *n, char ***vals, size_t **lens,
                        struct cs_error *err);
void fmt_tsv_reader_free(struct fmt_tsv_reader *r);

#endif
