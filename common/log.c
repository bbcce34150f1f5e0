#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>

int cs_log_enabled(const struct cs_log *log, enum cs_log_level level)
{
    return log && log->fn && level <= log->max;
}

void cs_log_printf(const struct cs_log *log, enum cs_log_level level, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;

    if (!cs_log_enabled(log, level))
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    log->fn(log->ctx, level, buf);
}
