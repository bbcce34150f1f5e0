/*
 * sqlenc.h - the sql chunk format: a mysqldump-style header, multi-row
 * INSERT statements, a footer; and a statement splitter for reading them.
 *
 * The header sets NAMES binary (values are byte-exact), UNIQUE_CHECKS=0,
 * FOREIGN_KEY_CHECKS=0, SQL_MODE (given, plus NO_AUTO_VALUE_ON_ZERO, never
 * NO_BACKSLASH_ESCAPES), TIME_ZONE='+00:00', and the footer restores them,
 * so one chunk piped into the mysql/mariadb client loads on its own.
 * Encoder: pure, thread-safe.  Splitter: one thread at a time.
 */
#ifndef FMT_SQLENC_H
#define FMT_SQLENC_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"
#include "format/coltype.h"
#include "format/source.h"

void fmt_sql_header(struct cs_buf *b, const char *sql_mode);
/* MODE cleaned for loading: words only, without NO_BACKSLASH_ESCAPES (our
 * literals use backslash escapes), NO_ZERO_DATE / NO_ZERO_IN_DATE (zero
 * dates the source holds load as they are), and strict mode with
 * ERROR_FOR_DIVISION_BY_ZERO and TRADITIONAL (MySQL warns unless all of
 * those go together; the loaders fail on any warning instead), plus
 * NO_AUTO_VALUE_ON_ZERO (a stored 0 in an AUTO_INCREMENT column stays 0).
 * Appended without quotes. */
void fmt_sql_mode_for_load(struct cs_buf *b, const char *mode);
void fmt_sql_footer(struct cs_buf *b);
/* STMT (one statement of a sql chunk, without its ';') is one of the SET
 * statements fmt_sql_header / fmt_sql_footer write (the mode list of
 * SQL_MODE only [A-Z0-9_,]): csload does not run them -- its sessions set
 * all of that themselves (load/session.h) -- and refuses anything else
 * that is not a row INSERT (load/stmtcheck.h). */
int fmt_sql_is_frame(const char *stmt, size_t len);
/* "INSERT INTO `db`.`t` (`a`,`b`) VALUES" -- the caller passes quoted names. */
void fmt_sql_insert_prefix(struct cs_buf *b, const char *qualified_table, const char *column_list);
/* A literal for VAL of KIND (VAL NULL -> NULL); a tagged mysql-json value
 * becomes the expression that rebuilds it (format/jsonval.h).  0, or -1
 * (CS_ERR_FORMAT) for a mysql-json value that cannot be decoded. */
int fmt_sql_append_value(struct cs_buf *b, enum fmt_col_kind kind, const char *val, size_t len,
                         struct cs_error *err);
/* '...' with backslash escapes for \0 ' " \ \n \r 0x1a. */
void fmt_sql_append_string(struct cs_buf *b, const char *val, size_t len);
/* 0x... (X'' for the empty string). */
void fmt_sql_append_hex(struct cs_buf *b, const char *val, size_t len);

/* Splits a stream of SQL into statements at ';' outside quotes, backticks
 * and comments; keeps conditional comments (slash-star-bang ... star-slash)
 * inside statements. */
struct fmt_sql_reader;
struct fmt_sql_reader *fmt_sql_reader_new(struct fmt_source *src, const char *name,
                                          struct cs_error *err);
/* 1 = a statement (without the ';', lent until the next call), 0 = end,
 * -1 = error (text after the last ';' that is not blank/comment is
 * CS_ERR_TRUNCATED). */
int fmt_sql_reader_next(struct fmt_sql_reader *r, const char **stmt, size_t *len,
                        struct cs_error *err);
void fmt_sql_reader_free(struct fmt_sql_reader *r);

#endif
