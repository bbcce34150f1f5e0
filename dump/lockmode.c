#include "dump/lockmode.h"

#include <string.h>

#include "dump/server.h"

static const char *const mode_names[DUMP_LOCK_COUNT] = {
    [DUMP_LOCK_AUTO] = "auto",
    [DUMP_LOCK_FTWRL] = "ftwrl",
    [DUMP_LOCK_BACKUP_STAGE] = "backup-stage",
    [DUMP_LOCK_BACKUP_LOCK] = "backup-lock",
    [DUMP_LOCK_LOCK_TABLES] = "lock-tables",
    [DUMP_LOCK_LOCKLESS] = "lockless",
    [DUMP_LOCK_NONE] = "none",
};

const char *dump_lock_mode_name(enum dump_lock_mode m)
{
    return m < DUMP_LOCK_COUNT ? mode_names[m] : "?";
}

int dump_lock_mode_parse(const char *name)
{
    for (int i = 0; i < DUMP_LOCK_COUNT; i++)
        if (!strcmp(name, mode_names[i]))
            return i;
    return -1;
}

/* The barrier AUTO stands for. */
static enum dump_lock_mode auto_barrier(const struct dump_server *s)
{
    int reload = (s->privs & DUMP_PRIV_RELOAD) != 0;

    if (!reload)
        return DUMP_LOCK_LOCK_TABLES;
    if (s->version.flavor == CS_FLAVOR_MARIADB && cs_version_at_least(&s->version, 10, 4, 1))
        return DUMP_LOCK_BACKUP_STAGE;
    return DUMP_LOCK_FTWRL;
}

struct dump_lock_decision dump_lock_decide(const struct dump_server *s, enum dump_lock_mode asked,
                                           size_t nontrx)
{
    struct dump_lock_decision d = {asked, 0};

    if (asked != DUMP_LOCK_AUTO)
        return d;
    d.mode = auto_barrier(s);
    d.lockless_first = s->version.flavor == CS_FLAVOR_MARIADB && s->log_bin && nontrx == 0;
    return d;
}
