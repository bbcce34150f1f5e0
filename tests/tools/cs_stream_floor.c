/*
 * cs_stream_floor - benchmark tool: how fast can the server stream tables?
 *
 *   cs_stream_floor -S SOCKET [-u USER] [-t THREADS] db.table [db.table ...]
 *
 * The floor under any logical dump: THREADS connections, each taking the
 * next table from a shared list and running SELECT * on it with
 * mysql_use_result, fetching every row and discarding it.  Nothing is
 * written, nothing is converted (the connection's character set is binary).
 * Names are split at the first dot and quoted with backticks.  Prints one
 * line "tables N rows R bytes B" (B = bytes of the values as received) on
 * stdout; every error (connect, query, a stream that ends with mysql_errno
 * set) goes to stderr and makes the exit code 1.  Usage errors exit 2.
 *
 * Threads share only the list cursor and the totals (one mutex); each owns
 * its connection (mysql_thread_init/_end).
 */
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 256

struct floor_run {
    const char *socket;
    const char *user;
    char **tables;
    int ntables;
    int next;
    unsigned long long rows;
    unsigned long long bytes;
    int failed;
    pthread_mutex_t mu;
};

/* The next table to stream, or NULL when the list is done or a thread failed. */
static const char *floor_take(struct floor_run *r)
{
    const char *t = NULL;

    pthread_mutex_lock(&r->mu);
    if (!r->failed && r->next < r->ntables)
        t = r->tables[r->next++];
    pthread_mutex_unlock(&r->mu);
    return t;
}

static void floor_fail(struct floor_run *r, const char *what, const char *table, MYSQL *m)
{
    pthread_mutex_lock(&r->mu);
    r->failed = 1;
    fprintf(stderr, "cs_stream_floor: %s%s%s: error %u: %s\n", what, table ? " " : "",
            table ? table : "", mysql_errno(m), mysql_error(m));
    pthread_mutex_unlock(&r->mu);
}

/* "db.table" -> SELECT * FROM `db`.`table` (backticks doubled). */
static int floor_select(char *out, size_t cap, const char *name)
{
    const char *dot = strchr(name, '.');
    size_t o = 0;

    if (!dot || dot == name || !dot[1])
        return -1;
    o = (size_t)snprintf(out, cap, "SELECT * FROM `");
    for (const char *p = name; *p && o + 8 < cap; p++) {
        if (p == dot) {
            memcpy(out + o, "`.`", 3);
            o += 3;
            continue;
        }
        if (*p == '`')
            out[o++] = '`';
        out[o++] = *p;
    }
    if (o + 2 >= cap)
        return -1;
    out[o++] = '`';
    out[o] = '\0';
    return 0;
}

/* Streams one table; 0 or -1 (reported). */
static int floor_stream(struct floor_run *r, MYSQL *m, const char *table)
{
    char sql[1024];
    MYSQL_RES *res;
    MYSQL_ROW row;
    unsigned long long rows = 0, bytes = 0;

    if (floor_select(sql, sizeof(sql), table) < 0) {
        pthread_mutex_lock(&r->mu);
        r->failed = 1;
        fprintf(stderr, "cs_stream_floor: '%s' is not db.table\n", table);
        pthread_mutex_unlock(&r->mu);
        return -1;
    }
    if (mysql_real_query(m, sql, (unsigned long)strlen(sql)) != 0 ||
        !(res = mysql_use_result(m))) {
        floor_fail(r, "SELECT", table, m);
        return -1;
    }
    while ((row = mysql_fetch_row(res))) {
        unsigned long *len = mysql_fetch_lengths(res);
        unsigned n = mysql_num_fields(res);
        for (unsigned i = 0; i < n; i++)
            bytes += len[i];
        rows++;
    }
    /* A stream that ends with an error is not the end of the data. */
    if (mysql_errno(m) != 0) {
        floor_fail(r, "streaming", table, m);
        mysql_free_result(res);
        return -1;
    }
    mysql_free_result(res);
    pthread_mutex_lock(&r->mu);
    r->rows += rows;
    r->bytes += bytes;
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static void *floor_worker(void *arg)
{
    struct floor_run *r = arg;
    const char *table;
    MYSQL *m;

    mysql_thread_init();
    m = mysql_init(NULL);
    if (!m) {
        pthread_mutex_lock(&r->mu);
        r->failed = 1;
        fprintf(stderr, "cs_stream_floor: out of memory\n");
        pthread_mutex_unlock(&r->mu);
        goto out;
    }
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "binary");
    if (!mysql_real_connect(m, NULL, r->user, NULL, NULL, 0, r->socket, 0)) {
        floor_fail(r, "connect to", r->socket, m);
        goto out;
    }
    while ((table = floor_take(r)))
        if (floor_stream(r, m, table) < 0)
            break;
out:
    if (m)
        mysql_close(m);
    mysql_thread_end();
    return NULL;
}

static int usage(void)
{
    fprintf(stderr, "usage: cs_stream_floor -S SOCKET [-u USER] [-t THREADS] db.table...\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct floor_run r;
    pthread_t tid[MAX_THREADS];
    int opt, nthreads = 2, started = 0;

    memset(&r, 0, sizeof(r));
    r.user = "root";
    while ((opt = getopt(argc, argv, "S:u:t:")) != -1) {
        if (opt == 'S')
            r.socket = optarg;
        else if (opt == 'u')
            r.user = optarg;
        else if (opt == 't')
            nthreads = atoi(optarg);
        else
            return usage();
    }
    if (!r.socket || nthreads < 1 || nthreads > MAX_THREADS || optind >= argc)
        return usage();
    r.tables = argv + optind;
    r.ntables = argc - optind;
    if (nthreads > r.ntables)
        nthreads = r.ntables;
    if (mysql_library_init(0, NULL, NULL) != 0) {
        fprintf(stderr, "cs_stream_floor: mysql_library_init failed\n");
        return 1;
    }
    pthread_mutex_init(&r.mu, NULL);
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&tid[i], NULL, floor_worker, &r) != 0) {
            pthread_mutex_lock(&r.mu);
            r.failed = 1;
            pthread_mutex_unlock(&r.mu);
            fprintf(stderr, "cs_stream_floor: cannot start thread %d\n", i);
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&r.mu);
    mysql_library_end();
    if (r.failed)
        return 1;
    printf("tables %d rows %llu bytes %llu\n", r.ntables, r.rows, r.bytes);
    return 0;
}
