/*
 * connopt.h - the connection options csdump and csload share, with the
 * mysql client's conventions: -h -P -u -p[PASSWORD] -S, --ssl-mode,
 * --ssl-ca/--ssl-cert/--ssl-key, --connect-timeout; MYSQL_PWD when no
 * password is given; -p alone prompts on the terminal.  A password typed on
 * the command line is copied and then overwritten in the process's argv so
 * `ps` shows it no longer than needed.  Strings in the resulting
 * cs_conn_config point into struct cs_connopt (owned; released by
 * cs_connopt_release) or into argv.  main() only; not thread-safe.
 */
#ifndef CS_CONNOPT_H
#define CS_CONNOPT_H

#include <getopt.h>

#include "common/conn.h"
#include "common/error.h"

enum {
    CS_OPT_SSL_MODE = 0x1000,
    CS_OPT_SSL_CA,
    CS_OPT_SSL_CERT,
    CS_OPT_SSL_KEY,
    CS_OPT_CONNECT_TIMEOUT,
    CS_OPT_PROTOCOL,
    CS_OPT_FIRST_TOOL_OPTION = 0x1100 /* tools number their own options from here */
};

/* Short option letters and long options for getopt_long (NULL-terminated
 * list is built by the caller from CS_CONNOPT_LONG_OPTIONS). */
#define CS_CONNOPT_SHORT "h:P:u:p::S:"
#define CS_CONNOPT_LONG_OPTIONS                                                                    \
    {"host", required_argument, NULL, 'h'}, {"port", required_argument, NULL, 'P'},              \
        {"user", required_argument, NULL, 'u'}, {"password", optional_argument, NULL, 'p'},      \
        {"socket", required_argument, NULL, 'S'},                                                \
        {"ssl-mode", required_argument, NULL, CS_OPT_SSL_MODE},                                  \
        {"ssl-ca", required_argument, NULL, CS_OPT_SSL_CA},                                      \
        {"ssl-cert", required_argument, NULL, CS_OPT_SSL_CERT},                                  \
        {"ssl-key", required_argument, NULL, CS_OPT_SSL_KEY},                                    \
        {"connect-timeout", required_argument, NULL, CS_OPT_CONNECT_TIMEOUT},                    \
        {"protocol", required_argument, NULL, CS_OPT_PROTOCOL}

struct cs_connopt {
    struct cs_conn_config conn;
    char *password;   /* owned copy */
    int prompt;       /* -p without a value */
    int from_file;    /* set by cs_cli before each option: it came from an option file */
};

void cs_connopt_init(struct cs_connopt *o);
void cs_connopt_release(struct cs_connopt *o);
/* 1 = OPT was a connection option (handled), 0 = not ours, -1 = bad value.
 * As the mariadb client: -P/--port on the command line means TCP, -S/--socket
 * there means the socket, --protocol says which outright; the last of these
 * wins.  port= and socket= in option files only give the values. */
int cs_connopt_parse(struct cs_connopt *o, int opt, const char *arg, struct cs_error *err);
/* After parsing: MYSQL_PWD, the password prompt, defaults. */
int cs_connopt_finish(struct cs_connopt *o, struct cs_error *err);
/* Overwrite passwords given as -pSECRET / --password=SECRET in ARGV. */
void cs_connopt_scrub_argv(int argc, char **argv);
/* Parse an unsigned number option ("--threads"), -1 with a message if bad. */
int cs_connopt_uint(const char *name, const char *arg, unsigned long long min,
                    unsigned long long max, unsigned long long *out, struct cs_error *err);
/* A byte count: N with an optional unit K, M, G, T (also KB/KiB..., any
 * case; all powers of 1024), from MIN to MAX bytes; CS_ERR_USAGE naming
 * --NAME otherwise. */
int cs_connopt_size(const char *name, const char *arg, unsigned long long min,
                    unsigned long long max, unsigned long long *out, struct cs_error *err);

extern const char cs_connopt_help[];

#endif
