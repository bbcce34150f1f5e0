#include "dump/coords.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *dump_coords_status_sql(const struct cs_version *v)
{
    if (v->flavor == CS_FLAVOR_MARIADB)
        return cs_version_at_least(v, 10, 5, 2) ? "SHOW BINLOG STATUS" : "SHOW MASTER STATUS";
    return cs_version_at_least(v, 8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
}

const char *dump_coords_replica_status_sql(const struct cs_version *v)
{
    if (v->flavor == CS_FLAVOR_MARIADB)
        return "SHOW SLAVE STATUS";
    return cs_version_at_least(v, 8, 0, 22) ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
}

static int find_col(const char *const *names, unsigned n, const char *a, const char *b)
{
    for (unsigned i = 0; i < n; i++)
        if (!strcasecmp(names[i], a) || (b && !strcasecmp(names[i], b)))
            return (int)i;
    return -1;
}

static int dup_into(char **dst, const char *src, struct cs_error *err)
{
    free(*dst);
    *dst = strdup(src ? src : "");
    return *dst ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

/* Executed_Gtid_Set may be split over lines ("uuid:1-5,\nuuid:1-3"). */
static void strip_newlines(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++)
        if (*r != '\n' && *r != '\r')
            *w++ = *r;
    *w = '\0';
}

int dump_coords_parse_status(const char *const *names, const char *const *vals,
                             unsigned ncols, struct fmt_coords *c, struct cs_error *err)
{
    int f = find_col(names, ncols, "File", NULL);
    int p = find_col(names, ncols, "Position", NULL);
    int g = find_col(names, ncols, "Executed_Gtid_Set", NULL);
    char *end;

    if (f < 0 || p < 0 || !vals[f] || !vals[p])
        return cs_error_set(err, CS_ERR_SERVER,
                            "binary log status: no File/Position column in the result");
    if (dup_into(&c->binlog_file, vals[f], err) < 0)
        return -1;
    c->binlog_pos = strtoull(vals[p], &end, 10);
    if (*end)
        return cs_error_set(err, CS_ERR_SERVER, "binary log status: Position '%s' is not a number",
                            vals[p]);
    if (g >= 0) {
        if (dup_into(&c->gtid_set, vals[g], err) < 0)
            return -1;
        strip_newlines(c->gtid_set);
    }
    c->present = 1;
    return 0;
}

int dump_coords_parse_replica(const char *const *names, const char *const *vals,
                              unsigned ncols, struct fmt_coords *c, char **source_host,
                              struct cs_error *err)
{
    int h = find_col(names, ncols, "Source_Host", "Master_Host");
    int f = find_col(names, ncols, "Relay_Source_Log_File", "Relay_Master_Log_File");
    int p = find_col(names, ncols, "Exec_Source_Log_Pos", "Exec_Master_Log_Pos");

    if (h < 0 || f < 0 || p < 0)
        return cs_error_set(err, CS_ERR_SERVER,
                            "replica status: expected Source_Host/Master_Host, "
                            "Relay_*_Log_File and Exec_*_Log_Pos columns");
    if (dup_into(source_host, vals[h], err) < 0 || dup_into(&c->binlog_file, vals[f], err) < 0)
        return -1;
    c->binlog_pos = vals[p] ? strtoull(vals[p], NULL, 10) : 0;
    c->present = 1;
    return 0;
}

void dump_coords_parse_applier(const char *const *names, const char *const *vals,
                               unsigned ncols, struct dump_applier_state *st)
{
    int run = find_col(names, ncols, "Replica_SQL_Running", "Slave_SQL_Running");
    int f = find_col(names, ncols, "Source_Log_File", "Master_Log_File");
    int p = find_col(names, ncols, "Read_Source_Log_Pos", "Read_Master_Log_Pos");
    int e = find_col(names, ncols, "Last_SQL_Errno", NULL);

    memset(st, 0, sizeof(*st));
    if (run < 0 || f < 0 || p < 0 || !vals[run] || !vals[f] || !vals[p])
        return;
    st->known = 1;
    st->sql_running = strcasecmp(vals[run], "No") != 0;
    st->last_sql_errno = e >= 0 && vals[e] ? (unsigned)strtoul(vals[e], NULL, 10) : 0;
    snprintf(st->read_file, sizeof(st->read_file), "%s", vals[f]);
    st->read_pos = strtoull(vals[p], NULL, 10);
}

int dump_coords_replica_exact(const struct fmt_coords *exec, const struct dump_applier_state *st,
                              int barrier, char *why, size_t len)
{
    const char *file = exec->binlog_file ? exec->binlog_file : "";
    unsigned long long pos = (unsigned long long)exec->binlog_pos;

    if (!st->known) {
        snprintf(why, len, "the replica status has no applier state to check the applier "
                           "position %s:%llu against", file, pos);
        return 0;
    }
    if (!st->sql_running && !st->last_sql_errno)
        return 1;
    if (barrier && !strcmp(file, st->read_file) && pos == st->read_pos)
        return 1;
    snprintf(why, len,
             "the applier position %s:%llu (Exec_Source/Master_Log_Pos) may lag the snapshot: the "
             "applier %s%s, its IO thread had read up to %s:%llu%s",
             file, pos, st->sql_running ? "was running" : "had stopped on an error",
             st->sql_running && !barrier ? " and no barrier blocked its commits" : "",
             st->read_file, (unsigned long long)st->read_pos,
             st->sql_running ? "; --pause-replica stops it for the snapshot" : "");
    return 0;
}

char *dump_coords_gtid_slave_pos(const char *const (*rows)[4], size_t nrows)
{
    /* per domain: index of the row with the highest sub_id */
    size_t *best = calloc(nrows ? nrows : 1, sizeof(size_t));
    size_t nbest = 0;
    char *out = NULL;
    size_t len = 0;
    FILE *mem;

    if (!best)
        return NULL;
    for (size_t i = 0; i < nrows; i++) {
        unsigned long long dom = strtoull(rows[i][0], NULL, 10);
        size_t k;
        for (k = 0; k < nbest; k++)
            if (strtoull(rows[best[k]][0], NULL, 10) == dom)
                break;
        if (k == nbest)
            best[nbest++] = i;
        else if (strtoull(rows[i][1], NULL, 10) > strtoull(rows[best[k]][1], NULL, 10))
            best[k] = i;
    }
    /* domains ascending (insertion sort: a handful of domains) */
    for (size_t i = 1; i < nbest; i++)
        for (size_t j = i; j > 0 && strtoull(rows[best[j]][0], NULL, 10) <
                                        strtoull(rows[best[j - 1]][0], NULL, 10); j--) {
            size_t t = best[j];
            best[j] = best[j - 1];
            best[j - 1] = t;
        }
    mem = open_memstream(&out, &len);
    if (mem) {
        for (size_t k = 0; k < nbest; k++)
            fprintf(mem, "%s%s-%s-%s", k ? "," : "", rows[best[k]][0], rows[best[k]][2],
                    rows[best[k]][3]);
        fclose(mem);
    }
    free(best);
    return out;
}

static int collect_names(struct cs_result *res, const char **names, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        names[i] = cs_result_field_name(res, i);
    return 0;
}

/* Runs SQL and hands its first row to PARSE; *found 0 when there is no row. */
static int read_row(struct cs_conn *conn, const char *sql, int *found,
                    int (*parse)(const char *const *, const char *const *, unsigned, void *,
                                 struct cs_error *),
                    void *arg, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    const char **names = NULL;
    unsigned n;
    int rc = -1;

    *found = 0;
    if (cs_conn_query(conn, sql, &res, err) < 0)
        goto out;
    n = cs_result_fields(res);
    row = cs_result_row(res);
    if (!row) {
        rc = 0;
        goto out;
    }
    names = calloc(n, sizeof(*names));
    if (!names) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    collect_names(res, names, n);
    *found = 1;
    rc = parse(names, (const char *const *)row, n, arg, err);
out:
    free(names);
    if (res)
        cs_result_free(res);
    return rc;
}

static int parse_status_cb(const char *const *names, const char *const *vals, unsigned n,
                           void *arg, struct cs_error *err)
{
    return dump_coords_parse_status(names, vals, n, arg, err);
}

int dump_coords_read(struct cs_conn *conn, const struct cs_version *v, struct fmt_coords *c,
                     struct cs_error *err)
{
    int found;

    if (read_row(conn, dump_coords_status_sql(v), &found, parse_status_cb, c, err) < 0)
        return -1;
    if (!found) {
        c->present = 0;
        return 0;
    }
    if (v->flavor == CS_FLAVOR_MARIADB) {
        free(c->gtid_set);
        if (cs_conn_query_value(conn, "SELECT @@GLOBAL.gtid_binlog_pos", &c->gtid_set, err) < 0)
            return -1;
        if (!c->gtid_set && dup_into(&c->gtid_set, "", err) < 0)
            return -1;
    } else if (!c->gtid_set && dup_into(&c->gtid_set, "", err) < 0) {
        return -1;
    }
    return 0;
}

struct replica_arg {
    struct fmt_coords *c;
    char **host;
    struct dump_applier_state *st;
};

static int parse_replica_cb(const char *const *names, const char *const *vals, unsigned n,
                            void *arg, struct cs_error *err)
{
    struct replica_arg *a = arg;

    if (a->st)
        dump_coords_parse_applier(names, vals, n, a->st);
    return dump_coords_parse_replica(names, vals, n, a->c, a->host, err);
}

/* MariaDB: mysql.gtid_slave_pos is InnoDB, so on a snapshot connection this
 * reads the replica's position exactly as of the snapshot. */
static int read_gtid_slave_pos(struct cs_conn *conn, struct fmt_coords *c, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;
    const char *(*rows)[4] = NULL;
    size_t n = 0;
    int rc = -1;

    if (cs_conn_query(conn, "SELECT domain_id, sub_id, server_id, seq_no FROM mysql.gtid_slave_pos",
                      &res, err) < 0)
        goto out;
    rows = calloc(cs_result_rows(res) + 1, sizeof(*rows));
    if (!rows) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    while ((row = cs_result_row(res))) {
        for (int i = 0; i < 4; i++)
            rows[n][i] = row[i] ? row[i] : "0";
        n++;
    }
    free(c->gtid_set);
    c->gtid_set = dump_coords_gtid_slave_pos((const char *const(*)[4])rows, n);
    if (!c->gtid_set) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = 0;
out:
    free(rows);
    if (res)
        cs_result_free(res);
    return rc;
}

int dump_coords_read_replica(struct cs_conn *conn, struct cs_conn *snapshot_conn,
                             const struct cs_version *v, struct fmt_coords *c,
                             char **source_host, int *is_replica, struct dump_applier_state *st,
                             struct cs_error *err)
{
    struct replica_arg arg = {c, source_host, st};

    if (read_row(conn, dump_coords_replica_status_sql(v), is_replica, parse_replica_cb, &arg,
                 err) < 0)
        return -1;
    if (!*is_replica)
        return 0;
    if (v->flavor == CS_FLAVOR_MARIADB)
        return read_gtid_slave_pos(snapshot_conn, c, err);
    return 0;
}

void dump_coords_release(struct fmt_coords *c)
{
    if (!c)
        return;
    free(c->binlog_file);
    free(c->gtid_set);
    free(c->unusable);
    memset(c, 0, sizeof(*c));
}
