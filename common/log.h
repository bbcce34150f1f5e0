/*
 * log.h - an injected logger.
 *
 * common/, format/ and the libraries never print: they report through a
 * struct cs_log whose sink the program's main() provides (see console.h).
 * A NULL logger or NULL sink drops messages.  cs_log_printf() may be called
 * from any thread; the sink must be thread-safe (the console sink is).
 */
#ifndef CS_LOG_H
#define CS_LOG_H

enum cs_log_level {
    CS_LOG_ERROR = 0,
    CS_LOG_WARN,
    CS_LOG_INFO,
    CS_LOG_VERBOSE,
    CS_LOG_DEBUG,
};

typedef void (*cs_log_fn)(void *ctx, enum cs_log_level level, const char *msg);

struct cs_log {
    cs_log_fn fn;
    void *ctx;
    enum cs_log_level max; /* messages above this level are dropped */
};

void cs_log_printf(const struct cs_log *log, enum cs_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int cs_log_enabled(const struct cs_log *log, enum cs_log_level level);

#define cs_log_error(log, ...) cs_log_printf((log), CS_LOG_ERROR, __VA_ARGS__)
#define cs_log_warn(log, ...) cs_log_printf((log), CS_LOG_WARN, __VA_ARGS__)
#define cs_log_info(log, ...) cs_log_printf((log), CS_LOG_INFO, __VA_ARGS__)
#define cs_log_verbose(log, ...) cs_log_printf((log), CS_LOG_VERBOSE, __VA_ARGS__)
#define cs_log_debug(log, ...) cs_log_printf((log), CS_LOG_DEBUG, __VA_ARGS__)

#endif
