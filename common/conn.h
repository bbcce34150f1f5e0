/*
 * conn.h - one server connection, behind a small interface.
 *
 * Everything in dump/ and load/ talks to servers through these functions
 * and the opaque struct cs_result; the client library (MariaDB
 * Connector/C, libmysqlclient's API) sits behind it in one file,
 * common/conn_mysql.c.  A cs_conn_config may name other operations (ops):
 * unit tests pass a fake that scripts the server's answers (result sets,
 * errors, a connection lost at a chosen statement or row), so the code
 * above is tested without a server.
 *
 * cs_conn_config holds the mysql-client style options (host, port, user,
 * password, socket, TLS, timeouts); the caller owns its strings and keeps
 * them alive while connections exist.  A struct cs_conn is owned by one
 * thread at a time; each thread that opens one calls cs_conn_thread_init()
 * first and cs_conn_thread_end() before it exits.  A result belongs to its
 * connection's thread and must be freed before the next statement on that
 * connection.
 *
 * Errors from the server fill struct cs_error with the server errno and
 * SQLSTATE; a dropped connection is CS_ERR_CONN_LOST so callers can retry
 * on another connection.  Every message names the connection's label and
 * server ("worker 3 @ 127.0.0.1:3306").  A NULL statement (a cs_buf that
 * failed) is never sent: CS_ERR_NOMEM.
 */
#ifndef CS_CONN_H
#define CS_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

/* The transport asked for (the mariadb client's rules, see cs_conn_transport). */
enum cs_conn_protocol { CS_PROTO_DEFAULT = 0, CS_PROTO_TCP, CS_PROTO_SOCKET };

struct cs_conn;
struct cs_conn_config;

/* A statement's rows.  An implementation's result embeds this first and
 * fills ops and conn; lens is the generic layer's (cs_result_lengths). */
struct cs_result {
    const struct cs_conn_ops *ops;
    struct cs_conn *conn;
    unsigned long *lens;
};

/* The local-infile callbacks (the client library's own signatures). */
struct cs_infile_fns {
    int (*init)(void **ptr, const char *name, void *userdata);
    int (*read)(void *ptr, char *buf, unsigned int len);
    void (*end)(void *ptr);
    int (*error)(void *ptr, char *msg, unsigned int len);
};

/* What a connection is made of.  Errors are filled with cs_error_set (the
 * implementation classifies lost connections as CS_ERR_CONN_LOST). */
struct cs_conn_ops {
    int (*open)(struct cs_conn *c, const struct cs_conn_config *cfg, struct cs_error *err);
    void (*close)(struct cs_conn *c);
    /* Run SQL (LEN bytes).  RES NULL: drain every result, set c->affected
     * and c->warnings.  Otherwise *RES is the result: buffered whole, or
     * streamed row by row when STREAM. */
    int (*run)(struct cs_conn *c, const char *sql, size_t len, int stream, struct cs_result **res,
               struct cs_error *err);
    /* Next row: 1 row, 0 end, -1 error (a stream cut short). */
    int (*next)(struct cs_result *r, char ***row, unsigned long **lens, struct cs_error *err);
    uint64_t (*rows)(const struct cs_result *r); /* buffered results */
    unsigned (*fields)(const struct cs_result *r);
    const char *(*field_name)(const struct cs_result *r, unsigned i);
    void (*free_result)(struct cs_result *r);
    void (*endpoint)(const struct cs_conn *c, char *out, size_t size);
    void (*set_infile)(struct cs_conn *c, const struct cs_infile_fns *fns, void *userdata);
    /* Array binding (cs_bulk_*; all four NULL: not offered).  bulk_ok: the
     * server announced it.  bulk_exec: NROWS rows, column COL of row R at
     * VALS[COL * CAP + R] (NULL: SQL NULL), LENS likewise; sets c->affected
     * and c->warnings. */
    int (*bulk_ok)(const struct cs_conn *c);
    int (*bulk_prepare)(struct cs_conn *c, const char *sql, size_t len, unsigned ncols, void **stmt,
                        struct cs_error *err);
    int (*bulk_exec)(struct cs_conn *c, void *stmt, unsigned nrows, unsigned cap,
                     const char *const *vals, const unsigned long *lens, struct cs_error *err);
    void (*bulk_close)(void *stmt);
};

struct cs_conn_config {
    const struct cs_conn_ops *ops; /* NULL: the client library */
    enum cs_conn_protocol protocol;
    const char *host;
    unsigned port;
    const char *user;
    const char *password;
    const char *socket;
    const char *ssl_mode; /* DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY|NULL */
    const char *ssl_ca;
    const char *ssl_cert;
    const char *ssl_key;
    unsigned connect_timeout; /* seconds, 0 = library default */
    unsigned read_timeout;
    unsigned write_timeout;
    int local_infile; /* enable LOAD DATA LOCAL on this connection */
};

struct cs_conn {
    const struct cs_conn_ops *ops;
    void *impl; /* the implementation's handle; NULL = not connected */
    char label[96];
    unsigned long thread_id;     /* the server's connection id */
    unsigned long long affected; /* rows the last cs_conn_exec() changed */
    unsigned warnings;           /* warnings of the last cs_conn_exec() */
};

/* The client library's operations (common/conn_mysql.c). */
extern const struct cs_conn_ops cs_conn_mysql_ops;

/* Once per process, in main(), before and after any connection. */
int cs_conn_library_init(void);
void cs_conn_library_end(void);
int cs_conn_thread_init(void);
void cs_conn_thread_end(void);

/* Validate --ssl-mode; -1 with a message listing the values otherwise. */
int cs_conn_check_ssl_mode(const char *mode, struct cs_error *err);
/* The index of MODE in DISABLED, PREFERRED, REQUIRED, VERIFY_CA,
 * VERIFY_IDENTITY (-1 if none). */
int cs_conn_ssl_mode_index(const char *mode);
/* "host:port" or "socket path" for messages. */
void cs_conn_describe(const struct cs_conn_config *cfg, char *out, size_t size);
/* 1 when CFG connects over TCP, 0 over the unix socket: TCP when the
 * protocol says so, or the host is set and not "localhost"; the socket
 * when the protocol says so (and the host is localhost or unset) or by
 * default.  The same rule as the mariadb client (MariaDB Connector/C). */
int cs_conn_transport_tcp(const struct cs_conn_config *cfg);
/* The endpoint C is connected to, as "127.0.0.1:3307 over TCP" or "via
 * socket /run/mysqld/mysqld.sock" (what the client library reports). */
void cs_conn_endpoint(const struct cs_conn *c, char *out, size_t size);

/* Connects with character set binary. LABEL names the connection in messages. */
int cs_conn_open(struct cs_conn *c, const struct cs_conn_config *cfg, const char *label,
                 struct cs_error *err);
void cs_conn_close(struct cs_conn *c); /* NULL-safe, idempotent */
int cs_conn_is_open(const struct cs_conn *c);

/* Run SQL, discarding any result; c->affected and c->warnings tell what it did. */
int cs_conn_exec(struct cs_conn *c, const char *sql, struct cs_error *err);
/* Run SQL and buffer its whole result (*res owned by the caller: cs_result_free). */
int cs_conn_query(struct cs_conn *c, const char *sql, struct cs_result **res, struct cs_error *err);
/* Run SQL and stream its result row by row (read it with cs_result_next). */
int cs_conn_query_stream(struct cs_conn *c, const char *sql, struct cs_result **res,
                         struct cs_error *err);
/* First column of the first row, malloc'd into *out (NULL for SQL NULL or no row). */
int cs_conn_query_value(struct cs_conn *c, const char *sql, char **out, struct cs_error *err);
/* Serve LOAD DATA LOCAL on C from FNS (load/infile.c). */
void cs_conn_set_infile(struct cs_conn *c, const struct cs_infile_fns *fns, void *userdata);

/* An INSERT prepared once and run with arrays of rows (MariaDB 10.2+'s
 * COM_STMT_BULK_EXECUTE): every value goes as a string of its bytes (the
 * connection's character set binary), one round trip per batch, and the
 * server neither lexes nor parses a value.  Owned by the thread of its
 * connection, closed before the connection is. */
struct cs_bulk {
    struct cs_conn *conn;
    void *stmt;
    unsigned ncols;
};
/* 1 when C's server runs arrays of rows (MariaDB announces it). */
int cs_conn_bulk_supported(const struct cs_conn *c);
/* Prepares SQL (an INSERT with NCOLS '?' placeholders) on C into B. */
int cs_bulk_prepare(struct cs_bulk *b, struct cs_conn *c, const char *sql, unsigned ncols,
                    struct cs_error *err);
/* Runs it for NROWS rows (1..CAP): column COL of row R is VALS[COL * CAP + R]
 * of LENS[COL * CAP + R] bytes, NULL for SQL NULL.  c->affected and
 * c->warnings tell what it did. */
int cs_bulk_exec(struct cs_bulk *b, unsigned nrows, unsigned cap, const char *const *vals,
                 const unsigned long *lens, struct cs_error *err);
void cs_bulk_close(struct cs_bulk *b); /* NULL-safe, idempotent */

/* Next row of R: 1 = row (values NUL-terminated, NULL for SQL NULL; LENS may
 * be NULL), 0 = end, -1 = error (a stream that ends early is an error,
 * never the end of the data). */
int cs_result_next(struct cs_result *r, char ***row, unsigned long **lens, struct cs_error *err);
/* The next row of a buffered result, NULL at the end (cannot fail). */
char **cs_result_row(struct cs_result *r);
/* The lengths of the row cs_result_row returned last. */
unsigned long *cs_result_lengths(struct cs_result *r);
uint64_t cs_result_rows(const struct cs_result *r);
unsigned cs_result_fields(const struct cs_result *r);
const char *cs_result_field_name(const struct cs_result *r, unsigned i);
void cs_result_free(struct cs_result *r); /* NULL-safe */

/* 1 if server errno ERRNO means the connection is gone (retry elsewhere). */
int cs_conn_errno_is_lost(unsigned errnum);
/* 1 for errors worth retrying on the same server (deadlock, lock wait timeout). */
int cs_conn_errno_is_transient(unsigned errnum);

#endif
