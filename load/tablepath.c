#include "load/tablepath.h"

#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

const char *load_path_name(enum load_path path, int infile)
{
    if (path == LOAD_PATH_BOUND || path == LOAD_PATH_BOUND_SERIAL)
        return "prepared INSERT of " STR(LOAD_PATH_BOUND_ROWS) "-row arrays";
    if (path == LOAD_PATH_INSERT || !infile)
        return "multi-row INSERT";
    return "LOAD DATA";
}

void load_path_choose(const struct load_path_env *env, const struct load_path_table *t,
                      struct load_path_choice *out)
{
    int several = !env->sizes_known || t->nchunks > 1;
    /* does the table hold more than one thread's share of the load? */
    int big = env->sizes_known && (double)t->bytes * env->threads > (double)env->total_bytes;
    char bulk[sizeof(out->why)];

    memset(out, 0, sizeof(*out));
    out->no_bulk = env->bulk_path;
    if (out->no_bulk)
        snprintf(out->why, sizeof(out->why),
                 "unique_checks=1 keeps the first chunk off the bulk-insert path, whose table "
                 "lock would hold the other chunks back and which cost more server CPU here");
    snprintf(bulk, sizeof(bulk), "%s", out->why);
    if (env->bound && t->bindable && (several || t->bytes >= LOAD_PATH_BOUND_MIN_BYTES)) {
        int one = t->autoinc && env->threads > 1 && several;
        out->path = one ? LOAD_PATH_BOUND_SERIAL : LOAD_PATH_BOUND;
        snprintf(out->why, sizeof(out->why),
                 "arrays of bound values: the server parses no text, a quarter to a third less "
                 "server CPU than LOAD DATA, and simple inserts under any "
                 "innodb_autoinc_lock_mode%s%s%s",
                 one ? "; an AUTO_INCREMENT table's sessions spin on its counter: one at a "
                       "time, other tables or its reading ahead fill the other threads"
                     : "",
                 bulk[0] ? "; " : "", bulk);
        return;
    }
    if (env->threads < 2 || !several)
        return;
    if (t->autoinc && env->infile && env->autoinc_lock_mode != 2) {
        out->path = big ? LOAD_PATH_INSERT : LOAD_PATH_SERIAL;
        snprintf(out->why, sizeof(out->why),
                 "an AUTO_INCREMENT column under innodb_autoinc_lock_mode %d: each LOAD DATA "
                 "holds the table's AUTO-INC lock to its end; %s%s%s",
                 env->autoinc_lock_mode,
                 big ? "the table is more than 1/threads of the data, and an INSERT with every "
                       "value given takes no table lock"
                 : env->sizes_known ? "other tables fill the other threads"
                                    : "the table's size is not known yet",
                 bulk[0] ? "; " : "", bulk);
    }
}
