/*
 * quote.h - identifier quoting for SQL we build.
 *
 * `name` with backticks doubled: correct for any legal identifier (spaces,
 * dots, unicode, reserved words) as long as the session has no ANSI_QUOTES
 * in sql_mode -- our sessions set sql_mode themselves.  String literals are
 * format/sqlenc.h's fmt_sql_append_string().  Pure, thread-safe.
 */
#ifndef CS_QUOTE_H
#define CS_QUOTE_H

#include "common/buf.h"

void cs_quote_ident(struct cs_buf *b, const char *name);
/* `schema`.`name` */
void cs_quote_qualified(struct cs_buf *b, const char *schema, const char *name);
/* malloc'd `name`; NULL on allocation failure. */
char *cs_quote_ident_dup(const char *name);

#endif
