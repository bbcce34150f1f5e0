#include "load/tablepath.h"

#include <stdio.h>
#include <string.h>

const char *load_path_name(enum load_path path, int infile)
{
    if (path == LOAD_PATH_INSERT || !infile)
        return "multi-row INSERT";
    return "LOAD DATA";
}

void load_path_choose(const struct load_path_env *env, int autoinc, size_t nchunks, uint64_t bytes,
                      struct load_path_choice *out)
{
    int several = !env->sizes_known || nchunks > 1;
    /* does the table hold more than one thread's share of the load? */
    int big = env->sizes_known && (double)bytes * env->threads > (double)env->total_bytes;

    memset(out, 0, sizeof(*out));
    out->no_bulk = env->bulk_path && several;
    if (out->no_bulk)
        snprintf(out->why, sizeof(out->why),
                 "unique_checks=1 keeps the first chunk off the bulk-insert path, whose table "
                 "lock would hold the other chunks back and which cost more server CPU here");
    if (env->threads < 2 || !several)
        return;
    if (autoinc && env->infile && env->autoinc_lock_mode != 2) {
        char bulk[sizeof(out->why)];
        snprintf(bulk, sizeof(bulk), "%s", out->why);
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
