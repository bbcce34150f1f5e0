/*
 * names.h - safe file names for objects of any legal name.
 *
 * An identifier is encoded byte by byte: [A-Za-z0-9_] stay, every other
 * byte becomes %XX (uppercase hex), so '.', '-', '/', spaces, backticks and
 * unicode can never clash with the separators or escape the directory.  An
 * encoded name longer than 96 bytes is cut and followed by '~' and 16 hex
 * digits of a hash of the whole identifier, keeping file names short and
 * unique.  The manifest maps files to objects, so names need not be decoded.
 * Pure, thread-safe.
 */
#ifndef FMT_NAMES_H
#define FMT_NAMES_H

#include "common/buf.h"

void fmt_name_encode(struct cs_buf *b, const char *ident);
/* "enc(db)[.enc(obj)]SUFFIX", malloc'd (NULL on allocation failure). */
char *fmt_name_file(const char *db, const char *obj, const char *suffix);

/* 1 if NAME is a chunk file's: "<...>.<unit digits>.<part digits>.tsv|sql[.zst]". */
int fmt_name_is_chunk(const char *name);

#endif
