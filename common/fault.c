#include "common/fault.h"

#ifdef CS_FAULTS

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ENTRIES 16

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned hits[MAX_ENTRIES];

enum action { ACT_NONE, ACT_PAUSE, ACT_FAIL, ACT_KILL };

/* Entry I of CS_FAULT_POINTS matching POINT/OBJECT: its action and N. */
static enum action entry(const char *spec, size_t i, const char *point, const char *object,
                         unsigned *nth)
{
    char buf[512], *save = NULL, *e;
    size_t k = 0;

    snprintf(buf, sizeof(buf), "%s", spec);
    for (e = strtok_r(buf, ",", &save); e; e = strtok_r(NULL, ",", &save), k++) {
        char *colon = strrchr(e, ':'), *at, *eq;
        if (k != i)
            continue;
        if (!colon)
            return ACT_NONE;
        *colon++ = '\0';
        at = strchr(colon, '@');
        *nth = 1;
        if (at) {
            *at++ = '\0';
            *nth = (unsigned)strtoul(at, NULL, 10);
        }
        eq = strchr(e, '=');
        if (eq)
            *eq++ = '\0';
        if (strcmp(e, point) || (eq && (!object || strcmp(eq, object))))
            return ACT_NONE;
        return !strcmp(colon, "pause")  ? ACT_PAUSE
               : !strcmp(colon, "fail") ? ACT_FAIL
               : !strcmp(colon, "kill") ? ACT_KILL
                                        : ACT_NONE;
    }
    return ACT_NONE;
}

static void pause_here(const char *point)
{
    const char *dir = getenv("CS_FAULT_DIR");
    char reached[600], tmp[620], release[600];
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    FILE *f;

    if (!dir)
        return;
    snprintf(reached, sizeof(reached), "%s/%s.reached", dir, point);
    snprintf(tmp, sizeof(tmp), "%s.tmp", reached);
    snprintf(release, sizeof(release), "%s/%s.release", dir, point);
    f = fopen(tmp, "w");
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
        rename(tmp, reached);
    }
    while (access(release, F_OK) != 0)
        nanosleep(&ten_ms, NULL); /* a signal ends one sleep, not the wait */
}

int cs_fault_hit(const char *point, const char *object, struct cs_error *err)
{
    const char *spec = getenv("CS_FAULT_POINTS");
    enum action a = ACT_NONE;
    unsigned nth = 1;

    if (!spec || !*spec)
        return 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < MAX_ENTRIES && a == ACT_NONE; i++) {
        enum action e = entry(spec, i, point, object, &nth);
        if (e != ACT_NONE && ++hits[i] == nth)
            a = e;
    }
    pthread_mutex_unlock(&lock);
    switch (a) {
    case ACT_PAUSE:
        pause_here(point);
        return 0;
    case ACT_FAIL:
        return cs_error_set(err, CS_ERR_INTERNAL, "fault injected at %s%s%s", point,
                            object ? " " : "", object ? object : "");
    case ACT_KILL:
        kill(getpid(), SIGKILL);
        return 0;
    default:
        return 0;
    }
}

#else
typedef int cs_fault_empty_unit; /* ISO C wants something in a unit */
#endif
