/*
 * conn.h - one server connection (libmysqlclient / MariaDB Connector/C API).
 *
 * cs_conn_config holds the mysql-client style options (host, port, user,
 * password, socket, TLS, timeouts); the caller owns its strings and keeps
 * them alive while connections exist.  A struct cs_conn is owned by one
 * thread at a time; each thread that opens one calls cs_conn_thread_init()
 * first and cs_conn_thread_end() before it exits.
 *
 * Errors from the server fill struct cs_error with the server errno and
 * SQLSTATE; a dropped connection is CS_ERR_CONN_LOST so callers can retry
 * on another connection.  Every message names the connection's label and
 * server ("worker 3 @ 127.0.0.1:3306").
 */
#ifndef CS_CONN_H
#define CS_CONN_H

#include <mysql.h>

#include "common/error.h"

/* The transport asked for (the mariadb client's rules, see cs_conn_transport). */
enum cs_conn_protocol { CS_PROTO_DEFAULT = 0, CS_PROTO_TCP, CS_PROTO_SOCKET };

struct cs_conn_config {
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
    int local_infile;         /* enable LOAD DATA LOCAL on this connection */
};

struct cs_conn {
    MYSQL *mysql;
    char label[96];
    unsigned long thread_id;  /* the server's connection id */
    unsigned long long affected; /* rows the last cs_conn_exec() changed */
    unsigned warnings;        /* warnings of the last cs_conn_exec() */
};

int cs_conn_thread_init(void);
void cs_conn_thread_end(void);

/* Validate --ssl-mode; -1 with a message listing the values otherwise. */
int cs_conn_check_ssl_mode(const char *mode, struct cs_error *err);
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

/* Run SQL, discarding any result; c->affected and c->warnings tell what it did. */
int cs_conn_exec(struct cs_conn *c, const char *sql, struct cs_error *err);
/* Run SQL and buffer its whole result (*res owned by the caller: mysql_free_result). */
int cs_conn_query(struct cs_conn *c, const char *sql, MYSQL_RES **res, struct cs_error *err);
/* Run SQL and stream its result row by row (mysql_use_result). */
int cs_conn_query_stream(struct cs_conn *c, const char *sql, MYSQL_RES **res,
                         struct cs_error *err);
/* Next row: 1 = row, 0 = end of result, -1 = error (a stream that ends
 * early is an error, never the end of the data). */
int cs_conn_fetch(struct cs_conn *c, MYSQL_RES *res, MYSQL_ROW *row, unsigned long **lens,
                  struct cs_error *err);
/* First column of the first row, malloc'd into *out (NULL for SQL NULL or no row). */
int cs_conn_query_value(struct cs_conn *c, const char *sql, char **out, struct cs_error *err);

/* Fill ERR from the connection's last error; CONTEXT says what was being done. */
int cs_conn_error(struct cs_conn *c, struct cs_error *err, const char *context);
/* 1 if server errno ERRNO means the connection is gone (retry elsewhere). */
int cs_conn_errno_is_lost(unsigned errnum);
/* 1 for errors worth retrying on the same server (deadlock, lock wait timeout). */
int cs_conn_errno_is_transient(unsigned errnum);

#endif
