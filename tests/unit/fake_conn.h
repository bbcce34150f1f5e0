/*
 * fake_conn.h - a scripted server behind common/conn.h, for unit tests.
 *
 * A fake server is an ops table (struct cs_conn_ops) plus scripts of
 * answers.  fake_server_config() points a struct cs_conn_config at it, so
 * every connection the code under test opens from that config (snapshot
 * connections, workers, the load pool, reconnects) talks to the fake.
 *
 * Scripts.  Each open() binds the connection to one script:
 *   - the first labelled script (fake_script_new(fs, "barrier")) not bound
 *     yet whose label is the connection's label ("barrier") or a word
 *     prefix of it ("snapshot" for "snapshot 2"); a shared one
 *     (fake_script_shared) binds any number of connections;
 *   - else the next unbound anonymous script (label NULL), in creation
 *     order;
 *   - else none: only the server-wide script answers.
 * A script made with fake_script_open_error() makes the open that takes it
 * fail instead (the server's errno and message).  The binding is made at
 * open: a script made later is only taken by connections opened later (a
 * reconnect, a spare), so make each connection's script before it opens;
 * steps may be added to a bound script at any time.
 *
 * Steps.  A statement is answered by the first step, in creation order,
 * of the connection's script and then of the server-wide script
 * (fake_server_any) that matches its text and has uses left: exact text,
 * a prefix, or a pattern where '*' matches any run of characters.  A step
 * is used once unless fake_times() says otherwise (FAKE_ALWAYS: any number
 * of times), so steps with the same text answer successive statements in
 * turn.  Its answer: ok (affected rows, warnings; the default), a result
 * set (fake_columns + fake_row, NULL values are SQL NULL), an error (server
 * errno, SQLSTATE, message), a lost connection at the statement
 * (CS_ERR_CONN_LOST, errno 2013) or after N rows of a streamed result (a
 * buffered query loses the connection at once), or LOAD DATA LOCAL read
 * through the connection's infile handler (affected = lines read).  After a
 * lost connection every statement on it fails with errno 2006.
 * A statement no step answers is logged as unanswered: cs_conn_exec
 * succeeds (unless fake_server_strict), a query fails with errno 1105.
 *
 * Log.  Every statement received (and each open, failed open and close, as
 * "(open)", "(open failed)", "(close)") is logged with the connection's
 * label (without " @ host") and number (1 = first opened), so a test can
 * assert the exact SQL sent and its order.
 *
 * Thread-safety: one mutex guards the server, its scripts and the log, so
 * dump workers and load pool threads may share it.  Set scripts up before
 * the code runs; read the log after (or under the code's own
 * synchronisation).  Hooks run without the lock.  Strings given to the
 * fake are copied.  fake_server_free() frees everything; every connection
 * must be closed first.
 */
#ifndef TEST_FAKE_CONN_H
#define TEST_FAKE_CONN_H

#include <stddef.h>
#include <stdio.h>

#include "common/conn.h"
#include "common/log.h"

struct fake_server;
struct fake_script;
struct fake_step;

#define FAKE_ALWAYS 0u /* fake_times(): any number of times */

struct fake_server *fake_server_new(void);
void fake_server_free(struct fake_server *fs); /* NULL-safe */
/* Make CFG open its connections on FS (only cfg->ops is set). */
void fake_server_config(struct fake_server *fs, struct cs_conn_config *cfg);
/* 1: an unanswered cs_conn_exec fails too (errno 1105). */
void fake_server_strict(struct fake_server *fs, int strict);

/* ---- scripts ----------------------------------------------------------- */

/* LABEL NULL: the next connection without a labelled script of its own. */
struct fake_script *fake_script_new(struct fake_server *fs, const char *label);
/* Every connection whose label is LABEL or starts with "LABEL ". */
struct fake_script *fake_script_shared(struct fake_server *fs, const char *label);
/* Consulted by every connection after its own script. */
struct fake_script *fake_server_any(struct fake_server *fs);
/* The open that takes S fails: ERRNUM (2003: cannot connect) and MSG. */
void fake_script_open_error(struct fake_script *s, unsigned errnum, const char *msg);
/* The server's connection id of the connection that takes S (default
 * 100 + its number). */
void fake_script_thread_id(struct fake_script *s, unsigned long id);

/* ---- steps ------------------------------------------------------------- */

struct fake_step *fake_expect(struct fake_script *s, const char *sql);
struct fake_step *fake_expect_prefix(struct fake_script *s, const char *prefix);
struct fake_step *fake_expect_like(struct fake_script *s, const char *pattern);

struct fake_step *fake_times(struct fake_step *st, unsigned n);
struct fake_step *fake_ok(struct fake_step *st, unsigned long long affected, unsigned warnings);
/* A result set of N columns named by the N strings that follow. */
struct fake_step *fake_columns(struct fake_step *st, unsigned n, ...);
/* One row: as many values (const char *, NULL = SQL NULL) as columns. */
struct fake_step *fake_row(struct fake_step *st, ...);
/* One row with explicit lengths (binary values). */
struct fake_step *fake_row_bin(struct fake_step *st, const char *const *vals,
                               const unsigned long *lens);
struct fake_step *fake_error(struct fake_step *st, unsigned errnum, const char *sqlstate,
                             const char *msg);
/* The connection is lost at this statement (2013). */
struct fake_step *fake_lost(struct fake_step *st);
/* A streamed result gives N rows, then the connection is lost (2013). */
struct fake_step *fake_lost_at_row(struct fake_step *st, size_t n);
/* LOAD DATA LOCAL: read the file through the infile handler. */
struct fake_step *fake_infile(struct fake_step *st);
/* FN(ARG, label, sql) when the step answers (on the caller's thread,
 * before the answer is returned; without the fake's lock). */
struct fake_step *fake_hook(struct fake_step *st,
                            void (*fn)(void *arg, const char *label, const char *sql), void *arg);

/* ---- the log ----------------------------------------------------------- */

struct fake_entry {
    const char *label; /* "snapshot 1", NULL past the end */
    unsigned conn;     /* 1 = the first connection opened */
    const char *sql;
    int answered; /* a step answered it */
};

size_t fake_log_count(struct fake_server *fs);
struct fake_entry fake_log_at(struct fake_server *fs, size_t i);
/* First entry at or after FROM whose label starts with LABEL (NULL: any)
 * and whose text matches PATTERN ('*' = any run); -1 if none. */
long fake_log_find(struct fake_server *fs, size_t from, const char *label, const char *pattern);
/* How many entries match (as fake_log_find). */
size_t fake_log_matches(struct fake_server *fs, const char *label, const char *pattern);
/* The statements of connections labelled LABEL (NULL: all), "(open)" and
 * "(close)" left out, joined by "\n" (malloc'd). */
char *fake_log_sql(struct fake_server *fs, const char *label);
void fake_log_print(struct fake_server *fs, FILE *out);
/* Statements no step answered. */
size_t fake_unanswered(struct fake_server *fs);
/* Steps with a finite count not used up (each printed to stderr). */
size_t fake_unused(struct fake_server *fs);
/* Connections opened and not closed yet. */
size_t fake_open_conns(struct fake_server *fs);

/* 1 when TEXT matches PATTERN ('*' = any run of characters). */
int fake_like(const char *pattern, const char *text);

/* ---- a logger that keeps what it is told (thread-safe) ----------------- */

struct fake_logger {
    struct cs_log log; /* pass &l->log as the config's logger */
    void *impl;
};

void fake_logger_init(struct fake_logger *l);
void fake_logger_release(struct fake_logger *l);
/* Everything logged so far, one "LEVEL: message" line each. */
const char *fake_logger_text(struct fake_logger *l);

#endif
