#include "load/infile.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

#define GENERIC_MSG "csload: reading the chunk for LOAD DATA LOCAL INFILE failed"
#define SHOWN_NAME_MAX 128

void load_infile_attach(struct cs_conn *c, struct load_infile *f)
{
    static const struct cs_infile_fns fns = {load_infile_init, load_infile_read, load_infile_end,
                                             load_infile_error};

    cs_conn_set_infile(c, &fns, f);
}

void load_infile_arm(struct load_infile *f, struct fmt_source *src)
{
    f->src = src;
    f->bytes = 0;
    cs_error_clear(&f->err);
    f->state = src ? LOAD_INFILE_ARMED : LOAD_INFILE_IDLE;
}

/* The server chose NAME: show at most SHOWN_NAME_MAX bytes of it, with
 * control characters replaced, so it cannot garble a terminal. */
static void shown_name(char *out, size_t cap, const char *name)
{
    size_t n = 0;

    for (; name[n] && n + 1 < cap; n++)
        out[n] = iscntrl((unsigned char)name[n]) ? '?' : name[n];
    out[n] = '\0';
    if (name[n] && cap > 4)
        memcpy(out + cap - 4, "...", 4);
}

int load_infile_init(void **ptr, const char *filename, void *userdata)
{
    struct load_infile *f = userdata;
    char shown[SHOWN_NAME_MAX];

    if (ptr)
        *ptr = f; /* error() needs it even when we refuse */
    if (!f)
        return 1;
    if (!filename || strcmp(filename, LOAD_INFILE_NAME) != 0) {
        shown_name(shown, sizeof(shown), filename ? filename : "");
        cs_error_set(&f->err, CS_ERR_HOSTILE,
                     "the server asked for file '%s', not the chunk being loaded", shown);
        f->state = LOAD_INFILE_FAILED;
        return 1;
    }
    if (f->state != LOAD_INFILE_ARMED || !f->src) {
        cs_error_set(&f->err, CS_ERR_HOSTILE,
                     "the server asked for a local file while no chunk was being loaded");
        f->state = LOAD_INFILE_FAILED;
        return 1;
    }
    f->state = LOAD_INFILE_OPEN;
    return 0;
}

int load_infile_read(void *ptr, char *buf, unsigned int len)
{
    struct load_infile *f = ptr;
    ssize_t n;

    if (!f || f->state == LOAD_INFILE_FAILED)
        return -1;
    if (f->state == LOAD_INFILE_DONE || len == 0)
        return 0;
    if (f->state != LOAD_INFILE_OPEN || !f->src) {
        cs_error_set(&f->err, CS_ERR_INTERNAL, "LOAD DATA read without an open chunk");
        f->state = LOAD_INFILE_FAILED;
        return -1;
    }
    if (len > INT_MAX)
        len = INT_MAX;
    /* Straight into f->err: it is clear since arm and only written on failure. */
    n = fmt_source_read(f->src, buf, len, &f->err);
    if (n < 0 || (size_t)n > len) {
        if (!cs_error_is_set(&f->err))
            cs_error_set(&f->err, n < 0 ? CS_ERR_IO : CS_ERR_INTERNAL,
                         "reading the chunk for LOAD DATA failed");
        f->state = LOAD_INFILE_FAILED;
        return -1;
    }
    if (n == 0) {
        f->state = LOAD_INFILE_DONE;
        return 0;
    }
    f->bytes += (uint64_t)n;
    return (int)n;
}

void load_infile_end(void *ptr)
{
    struct load_infile *f = ptr;

    if (!f)
        return;
    f->src = NULL; /* borrowed: the caller frees it */
    if (f->state != LOAD_INFILE_FAILED)
        f->state = LOAD_INFILE_IDLE;
}

/* Copy TEXT into MSG (LEN bytes with the NUL).  MariaDB Connector/C passes
 * the message to my_set_error() as a printf format, so '%' is doubled
 * there; MySQL's libmysqlclient copies it as is. */
static void copy_message(char *msg, size_t len, const char *text)
{
    size_t o = 0;

    if (!msg || len == 0)
        return;
    for (const char *p = text; *p; p++) {
#ifdef LIBMARIADB
        if (*p == '%') {
            if (o + 2 >= len)
                break;
            msg[o++] = '%';
            msg[o++] = '%';
            continue;
        }
#endif
        if (o + 1 >= len)
            break;
        msg[o++] = *p;
    }
    msg[o] = '\0';
}

int load_infile_error(void *ptr, char *msg, unsigned int len)
{
    const struct load_infile *f = ptr;

    copy_message(msg, len, f && f->err.msg[0] ? f->err.msg : GENERIC_MSG);
    return 2000; /* CR_UNKNOWN_ERROR */
}
