#include "common/connopt.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char cs_connopt_help[] =
    "Connection (as the mysql client; also read from option files' [client] group):\n"
    "  -h, --host=HOST          server host (default localhost: the unix socket)\n"
    "  -P, --port=PORT          TCP port (default 3306)\n"
    "  -u, --user=USER          user name\n"
    "  -p, --password[=PASS]    password; -p alone asks on the terminal; MYSQL_PWD is\n"
    "                           used when no password is given\n"
    "  -S, --socket=PATH        unix socket\n"
    "      --protocol=tcp|socket  force the transport\n"
    "      --ssl-mode=MODE      DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY\n"
    "      --ssl-ca=FILE  --ssl-cert=FILE  --ssl-key=FILE\n"
    "      --connect-timeout=SECONDS\n"
    "      --defaults-file=F, --defaults-extra-file=F, --no-defaults (first on the line)\n"
    "      --print-defaults     print the options the option files give, then exit\n";

void cs_connopt_init(struct cs_connopt *o)
{
    memset(o, 0, sizeof(*o));
    o->conn.connect_timeout = 30;
}

void cs_connopt_release(struct cs_connopt *o)
{
    if (!o)
        return;
    if (o->password) {
        explicit_bzero(o->password, strlen(o->password));
        free(o->password);
    }
    memset(o, 0, sizeof(*o));
}

int cs_connopt_uint(const char *name, const char *arg, unsigned long long min,
                    unsigned long long max, unsigned long long *out, struct cs_error *err)
{
    char *end;

    errno = 0;
    *out = strtoull(arg ? arg : "", &end, 10);
    if (!arg || !*arg || *end || errno || *arg == '-' || *out < min || *out > max)
        return cs_error_set(err, CS_ERR_USAGE, "--%s=%s: expected a whole number from %llu to %llu",
                            name, arg ? arg : "", min, max);
    return 0;
}

/* "", "K", "KB", "KiB" (any case) -> the multiplier; 0 = not a unit. */
static unsigned long long size_unit(const char *u)
{
    static const char letters[] = "KMGT";
    const char *at;

    if (!*u)
        return 1;
    at = strchr(letters, toupper((unsigned char)*u));
    if (!at || !*at)
        return 0;
    if (u[1] && strcasecmp(u + 1, "B") && strcasecmp(u + 1, "iB"))
        return 0;
    return 1ull << (10 * (at - letters + 1));
}

int cs_connopt_size(const char *name, const char *arg, unsigned long long min,
                    unsigned long long max, unsigned long long *out, struct cs_error *err)
{
    unsigned long long n, unit;
    char *end;

    errno = 0;
    n = strtoull(arg ? arg : "", &end, 10);
    unit = arg && *arg && *arg != '-' && end != arg && !errno ? size_unit(end) : 0;
    if (!unit || n > max / unit || n * unit < min)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--%s=%s: expected a size from %llu to %llu bytes, as a number "
                            "with an optional K, M, G or T (KiB, MiB...: powers of 1024)",
                            name, arg ? arg : "", min, max);
    *out = n * unit;
    return 0;
}

static int set_password(struct cs_connopt *o, const char *value, struct cs_error *err)
{
    if (o->password) {
        explicit_bzero(o->password, strlen(o->password));
        free(o->password);
    }
    o->password = strdup(value);
    o->conn.password = o->password;
    return o->password ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

int cs_connopt_parse(struct cs_connopt *o, int opt, const char *arg, struct cs_error *err)
{
    unsigned long long n;

    switch (opt) {
    case 'h':
        o->conn.host = arg;
        return 1;
    case 'P':
        if (cs_connopt_uint("port", arg, 0, 65535, &n, err) < 0)
            return -1;
        o->conn.port = (unsigned)n;
        if (!o->from_file)
            o->conn.protocol = CS_PROTO_TCP;
        return 1;
    case 'u':
        o->conn.user = arg;
        return 1;
    case 'p':
        o->prompt = arg == NULL;
        return arg ? (set_password(o, arg, err) < 0 ? -1 : 1) : 1;
    case 'S':
        o->conn.socket = arg;
        if (!o->from_file)
            o->conn.protocol = CS_PROTO_SOCKET;
        return 1;
    case CS_OPT_SSL_MODE:
        o->conn.ssl_mode = arg;
        return cs_conn_check_ssl_mode(arg, err) < 0 ? -1 : 1;
    case CS_OPT_SSL_CA:
        o->conn.ssl_ca = arg;
        return 1;
    case CS_OPT_SSL_CERT:
        o->conn.ssl_cert = arg;
        return 1;
    case CS_OPT_SSL_KEY:
        o->conn.ssl_key = arg;
        return 1;
    case CS_OPT_CONNECT_TIMEOUT:
        if (cs_connopt_uint("connect-timeout", arg, 1, 3600, &n, err) < 0)
            return -1;
        o->conn.connect_timeout = (unsigned)n;
        return 1;
    case CS_OPT_PROTOCOL:
        if (!strcasecmp(arg, "tcp")) {
            o->conn.protocol = CS_PROTO_TCP;
            return 1;
        }
        if (!strcasecmp(arg, "socket")) {
            o->conn.protocol = CS_PROTO_SOCKET;
            return 1;
        }
        return cs_error_set(err, CS_ERR_USAGE, "--protocol=%s: expected tcp or socket", arg);
    default:
        return 0;
    }
}

int cs_connopt_finish(struct cs_connopt *o, struct cs_error *err)
{
    const char *env = getenv("MYSQL_PWD");

    if (o->prompt) {
        char *typed = getpass("Enter password: ");
        if (!typed)
            return cs_error_set(err, CS_ERR_USAGE, "-p: cannot read a password from the terminal");
        return set_password(o, typed, err);
    }
    if (!o->conn.password && env)
        return set_password(o, env, err);
    return 0;
}

void cs_connopt_scrub_argv(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *a = argv[i], *v = NULL;
        if (!strcmp(a, "--"))
            break;
        if (!strncmp(a, "--password=", 11))
            v = a + 11;
        else if (a[0] == '-' && a[1] == 'p' && a[2])
            v = a + 2;
        if (v)
            memset(v, 'x', strlen(v));
    }
}
