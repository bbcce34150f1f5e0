#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cs_error_clear(struct cs_error *e)
{
    if (!e)
        return;
    memset(e, 0, sizeof(*e));
}

static void set_v(struct cs_error *e, int code, const char *fmt, va_list ap)
{
    e->code = code;
    if (e->severity < CS_SEV_FAILED)
        e->severity = CS_SEV_FAILED;
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int cs_error_set(struct cs_error *e, int code, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return -1;
    e->sys_errno = 0;
    e->server_errno = 0;
    e->sqlstate[0] = '\0';
    va_start(ap, fmt);
    set_v(e, code, fmt, ap);
    va_end(ap);
    return -1;
}

int cs_error_sys(struct cs_error *e, int code, int errnum, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    if (!e)
        return -1;
    e->server_errno = 0;
    e->sqlstate[0] = '\0';
    va_start(ap, fmt);
    set_v(e, code, fmt, ap);
    va_end(ap);
    e->sys_errno = errnum;
    n = strlen(e->msg);
    snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(errnum));
    return -1;
}

int cs_error_prefix(struct cs_error *e, const char *fmt, ...)
{
    char out[CS_ERROR_MSG_MAX];
    size_t n, m;
    va_list ap;

    if (!e)
        return -1;
    va_start(ap, fmt);
    vsnprintf(out, sizeof(out), fmt, ap);
    va_end(ap);
    n = strlen(out);
    if (n + 2 < sizeof(out)) {
        memcpy(out + n, ": ", 2);
        n += 2;
    }
    m = strlen(e->msg);
    if (m > sizeof(out) - 1 - n)
        m = sizeof(out) - 1 - n;
    memcpy(out + n, e->msg, m);
    out[n + m] = '\0';
    memcpy(e->msg, out, sizeof(out));
    return -1;
}

int cs_error_escalate(struct cs_error *e, enum cs_severity sev)
{
    if (e && e->severity < sev)
        e->severity = sev;
    return -1;
}

int cs_error_is_set(const struct cs_error *e)
{
    return e && e->code != CS_OK;
}

void cs_error_copy(struct cs_error *dst, const struct cs_error *src)
{
    if (dst && src && dst != src)
        memcpy(dst, src, sizeof(*dst));
}

static const char *const code_names[] = {
    [CS_OK] = "ok",
    [CS_ERR_USAGE] = "usage",
    [CS_ERR_IO] = "io",
    [CS_ERR_NOMEM] = "out of memory",
    [CS_ERR_SERVER] = "server",
    [CS_ERR_CONN_LOST] = "connection lost",
    [CS_ERR_FORMAT] = "format",
    [CS_ERR_VERSION] = "version",
    [CS_ERR_MISSING] = "missing",
    [CS_ERR_TRUNCATED] = "truncated",
    [CS_ERR_CHECKSUM] = "checksum",
    [CS_ERR_EXTRA] = "extra",
    [CS_ERR_HOSTILE] = "hostile",
    [CS_ERR_LOCK] = "lock",
    [CS_ERR_INCONSISTENT] = "inconsistent",
    [CS_ERR_CANCELLED] = "cancelled",
    [CS_ERR_INTERNAL] = "internal",
};

const char *cs_error_code_name(int code)
{
    if (code < 0 || code >= (int)(sizeof(code_names) / sizeof(code_names[0])) || !code_names[code])
        return "unknown";
    return code_names[code];
}

int cs_error_retryable(const struct cs_error *e)
{
    return e->code == CS_ERR_CONN_LOST && e->severity < CS_SEV_FATAL;
}
