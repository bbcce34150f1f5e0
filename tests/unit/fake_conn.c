/* fake_conn.c - the scripted server of fake_conn.h. */
#include "fake_conn.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

enum answer { ANS_OK = 0, ANS_ROWS, ANS_ERROR, ANS_LOST, ANS_INFILE };
enum match { MATCH_EXACT = 0, MATCH_PREFIX, MATCH_LIKE };

struct fake_step {
    struct fake_step *next;
    enum match match;
    char *text;
    unsigned times, used;
    enum answer answer;
    unsigned long long affected;
    int affected_set;
    unsigned warnings;
    /* result set */
    unsigned ncols;
    char **names;
    char ***rows;
    unsigned long **lens;
    size_t nrows, rows_cap;
    int has_result;
    size_t lost_at; /* rows before the loss; SIZE_MAX = none */
    /* error */
    unsigned errnum;
    char sqlstate[6];
    char *msg;
    void (*hook)(void *arg, const char *label, const char *sql);
    void *hook_arg;
};

struct fake_script {
    struct fake_script *next;
    struct fake_server *fs;
    char *label; /* NULL: anonymous */
    int shared;
    int bound;
    unsigned open_errno; /* 0: opens */
    char *open_msg;
    unsigned long thread_id;
    struct fake_step *steps, **tail;
};

struct entry {
    char *label;
    unsigned conn;
    char *sql;
    int answered;
};

struct fake_server {
    struct cs_conn_ops ops; /* first: a connection finds its server from c->ops */
    pthread_mutex_t mu;
    int strict;
    struct fake_script *scripts, **tail;
    struct fake_script any;
    unsigned nconns, open;
    struct entry *log;
    size_t nlog, log_cap;
    size_t unanswered;
};

struct fake_conn {
    struct fake_server *fs;
    struct fake_script *script; /* NULL: only the server-wide one */
    char label[96];             /* "snapshot 2" */
    char full[96];              /* "snapshot 2 @ host:port", for messages */
    unsigned num;
    int dead;
    struct cs_infile_fns infile;
    int has_infile;
    void *infile_arg;
};

struct fake_result {
    struct cs_result base;
    const struct fake_step *st;
    size_t pos;
    size_t nrows; /* rows given before the end (or the loss) */
    int lost;     /* the connection goes after nrows */
    int stream;
};

#define SERVER(ops) ((struct fake_server *)(ops))
#define FC(c) ((struct fake_conn *)(c)->impl)

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);

    if (!p)
        abort(); /* a test helper: no way to go on */
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");

    if (!d)
        abort();
    return d;
}

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size);
    if (!p)
        abort();
    return p;
}

int fake_like(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;

    while (*s) {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat == *s) {
            pat++;
            s++;
        } else if (star) {
            pat = star + 1;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

/* ---- the log (callers hold the lock) ------------------------------------ */

static void log_add(struct fake_server *fs, const struct fake_conn *fc, const char *label,
                    unsigned num, const char *sql, size_t len, int answered)
{
    struct entry *e;

    if (fs->nlog == fs->log_cap) {
        fs->log_cap = fs->log_cap ? fs->log_cap * 2 : 64;
        fs->log = xrealloc(fs->log, fs->log_cap * sizeof(*fs->log));
    }
    e = &fs->log[fs->nlog++];
    e->label = xstrdup(fc ? fc->label : label);
    e->conn = fc ? fc->num : num;
    e->sql = strndup(sql, len);
    if (!e->sql)
        abort();
    e->answered = answered;
}

/* "snapshot 2 @ 127.0.0.1:3306" -> "snapshot 2" */
static void base_label(const char *full, char *out, size_t size)
{
    const char *at = strstr(full, " @ ");
    size_t n = at ? (size_t)(at - full) : strlen(full);

    snprintf(out, size, "%.*s", (int)n, full);
}

static int label_matches(const char *want, const char *label)
{
    size_t n = strlen(want);

    return !strncmp(want, label, n) && (label[n] == '\0' || label[n] == ' ');
}

/* ---- the server --------------------------------------------------------- */

static const struct cs_conn_ops fake_ops;

struct fake_server *fake_server_new(void)
{
    struct fake_server *fs = xcalloc(1, sizeof(*fs));

    fs->ops = fake_ops;
    pthread_mutex_init(&fs->mu, NULL);
    fs->tail = &fs->scripts;
    fs->any.fs = fs;
    fs->any.shared = 1;
    fs->any.tail = &fs->any.steps;
    return fs;
}

static void free_step(struct fake_step *st)
{
    free(st->text);
    for (unsigned i = 0; i < st->ncols; i++)
        free(st->names[i]);
    free(st->names);
    for (size_t r = 0; r < st->nrows; r++) {
        for (unsigned i = 0; i < st->ncols; i++)
            free(st->rows[r][i]);
        free(st->rows[r]);
        free(st->lens[r]);
    }
    free(st->rows);
    free(st->lens);
    free(st->msg);
    free(st);
}

static void free_steps(struct fake_script *s)
{
    while (s->steps) {
        struct fake_step *n = s->steps->next;
        free_step(s->steps);
        s->steps = n;
    }
}

void fake_server_free(struct fake_server *fs)
{
    if (!fs)
        return;
    while (fs->scripts) {
        struct fake_script *n = fs->scripts->next;
        free_steps(fs->scripts);
        free(fs->scripts->label);
        free(fs->scripts->open_msg);
        free(fs->scripts);
        fs->scripts = n;
    }
    free_steps(&fs->any);
    for (size_t i = 0; i < fs->nlog; i++) {
        free(fs->log[i].label);
        free(fs->log[i].sql);
    }
    free(fs->log);
    pthread_mutex_destroy(&fs->mu);
    free(fs);
}

void fake_server_config(struct fake_server *fs, struct cs_conn_config *cfg)
{
    cfg->ops = &fs->ops;
}

void fake_server_strict(struct fake_server *fs, int strict)
{
    fs->strict = strict;
}

static struct fake_script *add_script(struct fake_server *fs, const char *label, int shared)
{
    struct fake_script *s = xcalloc(1, sizeof(*s));

    s->fs = fs;
    s->label = label ? xstrdup(label) : NULL;
    s->shared = shared;
    s->tail = &s->steps;
    pthread_mutex_lock(&fs->mu);
    *fs->tail = s;
    fs->tail = &s->next;
    pthread_mutex_unlock(&fs->mu);
    return s;
}

struct fake_script *fake_script_new(struct fake_server *fs, const char *label)
{
    return add_script(fs, label, 0);
}

struct fake_script *fake_script_shared(struct fake_server *fs, const char *label)
{
    return add_script(fs, label, 1);
}

struct fake_script *fake_server_any(struct fake_server *fs)
{
    return &fs->any;
}

void fake_script_open_error(struct fake_script *s, unsigned errnum, const char *msg)
{
    s->open_errno = errnum;
    free(s->open_msg);
    s->open_msg = xstrdup(msg);
}

void fake_script_thread_id(struct fake_script *s, unsigned long id)
{
    s->thread_id = id;
}

/* ---- steps -------------------------------------------------------------- */

static struct fake_step *add_step(struct fake_script *s, enum match m, const char *text)
{
    struct fake_step *st = xcalloc(1, sizeof(*st));

    st->match = m;
    st->text = xstrdup(text);
    st->times = 1;
    st->lost_at = SIZE_MAX;
    pthread_mutex_lock(&s->fs->mu);
    *s->tail = st;
    s->tail = &st->next;
    pthread_mutex_unlock(&s->fs->mu);
    return st;
}

struct fake_step *fake_expect(struct fake_script *s, const char *sql)
{
    return add_step(s, MATCH_EXACT, sql);
}

struct fake_step *fake_expect_prefix(struct fake_script *s, const char *prefix)
{
    return add_step(s, MATCH_PREFIX, prefix);
}

struct fake_step *fake_expect_like(struct fake_script *s, const char *pattern)
{
    return add_step(s, MATCH_LIKE, pattern);
}

struct fake_step *fake_times(struct fake_step *st, unsigned n)
{
    st->times = n;
    return st;
}

struct fake_step *fake_ok(struct fake_step *st, unsigned long long affected, unsigned warnings)
{
    if (st->answer != ANS_INFILE)
        st->answer = ANS_OK;
    st->affected = affected;
    st->affected_set = 1;
    st->warnings = warnings;
    return st;
}

struct fake_step *fake_columns(struct fake_step *st, unsigned n, ...)
{
    va_list ap;

    st->answer = ANS_ROWS;
    st->has_result = 1;
    st->ncols = n;
    st->names = xcalloc(n, sizeof(char *));
    va_start(ap, n);
    for (unsigned i = 0; i < n; i++)
        st->names[i] = xstrdup(va_arg(ap, const char *));
    va_end(ap);
    return st;
}

struct fake_step *fake_row_bin(struct fake_step *st, const char *const *vals,
                               const unsigned long *lens)
{
    char **row = xcalloc(st->ncols + 1, sizeof(char *));
    unsigned long *l = xcalloc(st->ncols + 1, sizeof(unsigned long));

    for (unsigned i = 0; i < st->ncols; i++) {
        if (!vals[i])
            continue;
        l[i] = lens ? lens[i] : strlen(vals[i]);
        row[i] = xcalloc(l[i] + 1, 1);
        memcpy(row[i], vals[i], l[i]);
    }
    if (st->nrows == st->rows_cap) {
        st->rows_cap = st->rows_cap ? st->rows_cap * 2 : 8;
        st->rows = xrealloc(st->rows, st->rows_cap * sizeof(*st->rows));
        st->lens = xrealloc(st->lens, st->rows_cap * sizeof(*st->lens));
    }
    st->rows[st->nrows] = row;
    st->lens[st->nrows++] = l;
    return st;
}

struct fake_step *fake_row(struct fake_step *st, ...)
{
    const char **vals = xcalloc(st->ncols + 1, sizeof(char *));
    va_list ap;

    va_start(ap, st);
    for (unsigned i = 0; i < st->ncols; i++)
        vals[i] = va_arg(ap, const char *);
    va_end(ap);
    fake_row_bin(st, vals, NULL);
    free(vals);
    return st;
}

struct fake_step *fake_error(struct fake_step *st, unsigned errnum, const char *sqlstate,
                             const char *msg)
{
    st->answer = ANS_ERROR;
    st->errnum = errnum;
    snprintf(st->sqlstate, sizeof(st->sqlstate), "%s", sqlstate ? sqlstate : "HY000");
    free(st->msg);
    st->msg = xstrdup(msg);
    return st;
}

struct fake_step *fake_lost(struct fake_step *st)
{
    fake_error(st, 2013, "HY000", "Lost connection to server during query");
    st->answer = ANS_LOST;
    return st;
}

struct fake_step *fake_lost_at_row(struct fake_step *st, size_t n)
{
    st->lost_at = n;
    return st;
}

struct fake_step *fake_infile(struct fake_step *st)
{
    st->answer = ANS_INFILE;
    return st;
}

struct fake_step *fake_hook(struct fake_step *st,
                            void (*fn)(void *arg, const char *label, const char *sql), void *arg)
{
    st->hook = fn;
    st->hook_arg = arg;
    return st;
}

/* ---- the connection ----------------------------------------------------- */

static int set_error(struct fake_conn *fc, struct cs_error *err, unsigned errnum,
                     const char *sqlstate, const char *context, const char *msg)
{
    int lost = cs_conn_errno_is_lost(errnum);

    cs_error_set(err, lost ? CS_ERR_CONN_LOST : CS_ERR_SERVER, "%s: %s: %s (error %u)", fc->full,
                 context, msg, errnum);
    if (err) {
        err->server_errno = errnum;
        snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", sqlstate ? sqlstate : "HY000");
    }
    if (lost)
        fc->dead = 1;
    return -1;
}

/* The script the connection labelled LABEL takes (lock held). */
static struct fake_script *pick_script(struct fake_server *fs, const char *label)
{
    for (struct fake_script *s = fs->scripts; s; s = s->next)
        if (s->label && label_matches(s->label, label) && (s->shared || !s->bound))
            return s;
    for (struct fake_script *s = fs->scripts; s; s = s->next)
        if (!s->label && !s->bound)
            return s;
    return NULL;
}

static int fake_open(struct cs_conn *c, const struct cs_conn_config *cfg, struct cs_error *err)
{
    struct fake_server *fs = SERVER(c->ops);
    struct fake_conn *fc = xcalloc(1, sizeof(*fc));
    struct fake_script *s;

    (void)cfg;
    fc->fs = fs;
    base_label(c->label, fc->label, sizeof(fc->label));
    snprintf(fc->full, sizeof(fc->full), "%s", c->label);
    pthread_mutex_lock(&fs->mu);
    fc->num = ++fs->nconns;
    s = pick_script(fs, fc->label);
    if (s)
        s->bound = 1;
    fc->script = s;
    if (s && s->open_errno) {
        char ctx[128];
        log_add(fs, fc, NULL, 0, "(open failed)", 13, 1);
        pthread_mutex_unlock(&fs->mu);
        snprintf(ctx, sizeof(ctx), "cannot connect (fake server)");
        set_error(fc, err, s->open_errno, "HY000", ctx, s->open_msg);
        free(fc);
        return -1;
    }
    fs->open++;
    log_add(fs, fc, NULL, 0, "(open)", 6, 1);
    c->thread_id = s && s->thread_id ? s->thread_id : 100 + fc->num;
    pthread_mutex_unlock(&fs->mu);
    c->impl = fc;
    return 0;
}

static void fake_close(struct cs_conn *c)
{
    struct fake_conn *fc = FC(c);
    struct fake_server *fs = fc->fs;

    pthread_mutex_lock(&fs->mu);
    log_add(fs, fc, NULL, 0, "(close)", 7, 1);
    fs->open--;
    pthread_mutex_unlock(&fs->mu);
    free(fc);
}

static int step_matches(const struct fake_step *st, const char *sql)
{
    if (st->times != FAKE_ALWAYS && st->used >= st->times)
        return 0;
    switch (st->match) {
    case MATCH_PREFIX:
        return !strncmp(sql, st->text, strlen(st->text));
    case MATCH_LIKE:
        return fake_like(st->text, sql);
    default:
        return !strcmp(sql, st->text);
    }
}

/* The step answering SQL on FC, its use counted (lock held). */
static struct fake_step *find_step(struct fake_conn *fc, const char *sql)
{
    struct fake_script *order[2] = {fc->script, &fc->fs->any};

    for (int k = 0; k < 2; k++)
        for (struct fake_step *st = order[k] ? order[k]->steps : NULL; st; st = st->next)
            if (step_matches(st, sql)) {
                st->used++;
                return st;
            }
    return NULL;
}

/* LOAD DATA LOCAL INFILE 'NAME' ...: the handler reads the file; *LINES. */
static int run_infile(struct fake_conn *fc, const char *sql, unsigned long long *lines,
                      struct cs_error *err)
{
    const char *q = strchr(sql, '\'');
    const char *e = q ? strchr(q + 1, '\'') : NULL;
    char name[256], buf[4096], msg[512];
    void *ptr = NULL;
    int n;

    *lines = 0;
    if (!fc->has_infile)
        return set_error(fc, err, 1148, "42000", "LOAD DATA LOCAL",
                         "The used command is not allowed with this version");
    snprintf(name, sizeof(name), "%.*s", q && e ? (int)(e - q - 1) : 0, q ? q + 1 : "");
    if (fc->infile.init(&ptr, name, fc->infile_arg)) {
        unsigned en = (unsigned)fc->infile.error(ptr, msg, sizeof(msg));
        return set_error(fc, err, en, "HY000", "LOAD DATA LOCAL", msg);
    }
    while ((n = fc->infile.read(ptr, buf, sizeof(buf))) > 0)
        for (int i = 0; i < n; i++)
            *lines += buf[i] == '\n';
    if (n < 0) {
        unsigned en = (unsigned)fc->infile.error(ptr, msg, sizeof(msg));
        fc->infile.end(ptr);
        return set_error(fc, err, en, "HY000", "LOAD DATA LOCAL", msg);
    }
    fc->infile.end(ptr);
    return 0;
}

static int answer_rows(struct cs_conn *c, const struct fake_step *st, int stream,
                       struct cs_result **res, struct cs_error *err)
{
    struct fake_result *r;

    if (!st->has_result)
        return set_error(FC(c), err, 0, "", "reading result", "the statement has no result set");
    if (st->lost_at != SIZE_MAX && !stream) /* a buffered result is read whole */
        return set_error(FC(c), err, 2013, "HY000", "reading result",
                         "Lost connection to server during query");
    r = xcalloc(1, sizeof(*r));
    r->base.ops = c->ops;
    r->base.conn = c;
    r->st = st;
    r->stream = stream;
    r->nrows = st->nrows;
    if (st->lost_at != SIZE_MAX && st->lost_at <= st->nrows) {
        r->nrows = st->lost_at;
        r->lost = 1;
    }
    *res = &r->base;
    return 0;
}

static int fake_run(struct cs_conn *c, const char *sql, size_t len, int stream,
                    struct cs_result **res, struct cs_error *err)
{
    struct fake_conn *fc = FC(c);
    struct fake_server *fs = fc->fs;
    struct fake_step *st = NULL;
    char *text = strndup(sql, len);
    int rc = 0, dead;

    if (!text)
        abort();
    pthread_mutex_lock(&fs->mu);
    dead = fc->dead;
    if (!dead)
        st = find_step(fc, text);
    if (!st && !dead)
        fs->unanswered++;
    log_add(fs, fc, NULL, 0, text, len, st != NULL);
    pthread_mutex_unlock(&fs->mu);
    if (st && st->hook)
        st->hook(st->hook_arg, fc->label, text);
    if (dead) {
        rc = set_error(fc, err, 2006, "HY000", "executing statement", "Server has gone away");
    } else if (!st) {
        if (res || fs->strict)
            rc = set_error(fc, err, 1105, "HY000", "fake server",
                           "no answer scripted for this statement");
    } else if (st->answer == ANS_ERROR || st->answer == ANS_LOST) {
        rc = set_error(fc, err, st->errnum, st->sqlstate, "executing statement", st->msg);
    } else if (st->answer == ANS_INFILE) {
        unsigned long long lines = 0;
        rc = run_infile(fc, text, &lines, err);
        c->affected = st->affected_set ? st->affected : lines;
        c->warnings = st->warnings;
    } else if (res) {
        rc = answer_rows(c, st, stream, res, err);
    } else {
        c->affected = st->affected;
        c->warnings = st->warnings;
    }
    free(text);
    return rc;
}

static int fake_next(struct cs_result *base, char ***row, unsigned long **lens,
                     struct cs_error *err)
{
    struct fake_result *r = (struct fake_result *)base;

    if (r->pos < r->nrows) {
        *row = r->st->rows[r->pos];
        *lens = r->st->lens[r->pos];
        r->pos++;
        return 1;
    }
    *row = NULL;
    if (r->lost && r->stream)
        return set_error(FC(base->conn), err, 2013, "HY000", "result stream ended early",
                         "Lost connection to server during query");
    return 0;
}

static uint64_t fake_rows(const struct cs_result *base)
{
    return ((const struct fake_result *)base)->nrows;
}

static unsigned fake_fields(const struct cs_result *base)
{
    return ((const struct fake_result *)base)->st->ncols;
}

static const char *fake_field_name(const struct cs_result *base, unsigned i)
{
    const struct fake_step *st = ((const struct fake_result *)base)->st;

    return i < st->ncols ? st->names[i] : NULL;
}

static void fake_free_result(struct cs_result *base)
{
    free(base);
}

static void fake_endpoint(const struct cs_conn *c, char *out, size_t size)
{
    snprintf(out, size, "fake server, connection %u", FC(c)->num);
}

static void fake_set_infile(struct cs_conn *c, const struct cs_infile_fns *fns, void *userdata)
{
    FC(c)->infile = *fns;
    FC(c)->infile_arg = userdata;
    FC(c)->has_infile = 1;
}

static const struct cs_conn_ops fake_ops = {
    .open = fake_open,
    .close = fake_close,
    .run = fake_run,
    .next = fake_next,
    .rows = fake_rows,
    .fields = fake_fields,
    .field_name = fake_field_name,
    .free_result = fake_free_result,
    .endpoint = fake_endpoint,
    .set_infile = fake_set_infile,
};

/* ---- reading the log ---------------------------------------------------- */

size_t fake_log_count(struct fake_server *fs)
{
    size_t n;

    pthread_mutex_lock(&fs->mu);
    n = fs->nlog;
    pthread_mutex_unlock(&fs->mu);
    return n;
}

struct fake_entry fake_log_at(struct fake_server *fs, size_t i)
{
    struct fake_entry e = {NULL, 0, NULL, 0};

    pthread_mutex_lock(&fs->mu);
    if (i < fs->nlog) {
        e.label = fs->log[i].label;
        e.conn = fs->log[i].conn;
        e.sql = fs->log[i].sql;
        e.answered = fs->log[i].answered;
    }
    pthread_mutex_unlock(&fs->mu);
    return e;
}

static int entry_matches(const struct entry *e, const char *label, const char *pattern)
{
    return (!label || label_matches(label, e->label)) && (!pattern || fake_like(pattern, e->sql));
}

long fake_log_find(struct fake_server *fs, size_t from, const char *label, const char *pattern)
{
    long found = -1;

    pthread_mutex_lock(&fs->mu);
    for (size_t i = from; i < fs->nlog && found < 0; i++)
        if (entry_matches(&fs->log[i], label, pattern))
            found = (long)i;
    pthread_mutex_unlock(&fs->mu);
    return found;
}

size_t fake_log_matches(struct fake_server *fs, const char *label, const char *pattern)
{
    size_t n = 0;

    pthread_mutex_lock(&fs->mu);
    for (size_t i = 0; i < fs->nlog; i++)
        n += entry_matches(&fs->log[i], label, pattern);
    pthread_mutex_unlock(&fs->mu);
    return n;
}

char *fake_log_sql(struct fake_server *fs, const char *label)
{
    struct cs_buf b = CS_BUF_INIT;
    char *out;

    pthread_mutex_lock(&fs->mu);
    for (size_t i = 0; i < fs->nlog; i++) {
        const struct entry *e = &fs->log[i];
        if (e->sql[0] == '(' || (label && !label_matches(label, e->label)))
            continue;
        cs_buf_printf(&b, "%s%s", b.len ? "\n" : "", e->sql);
    }
    pthread_mutex_unlock(&fs->mu);
    out = cs_buf_detach(&b);
    return out ? out : xstrdup("");
}

void fake_log_print(struct fake_server *fs, FILE *out)
{
    pthread_mutex_lock(&fs->mu);
    for (size_t i = 0; i < fs->nlog; i++)
        fprintf(out, "%3zu %-14s #%u %s%s\n", i, fs->log[i].label, fs->log[i].conn,
                fs->log[i].answered ? "" : "[unanswered] ", fs->log[i].sql);
    pthread_mutex_unlock(&fs->mu);
}

size_t fake_unanswered(struct fake_server *fs)
{
    size_t n;

    pthread_mutex_lock(&fs->mu);
    n = fs->unanswered;
    pthread_mutex_unlock(&fs->mu);
    return n;
}

static size_t unused_in(const struct fake_script *s)
{
    size_t n = 0;

    for (const struct fake_step *st = s->steps; st; st = st->next)
        if (st->times != FAKE_ALWAYS && st->used < st->times) {
            fprintf(stderr, "fake: unused step (%s, used %u of %u): %s\n",
                    s->label ? s->label : "-", st->used, st->times, st->text);
            n++;
        }
    return n;
}

size_t fake_unused(struct fake_server *fs)
{
    size_t n;

    pthread_mutex_lock(&fs->mu);
    n = unused_in(&fs->any);
    for (const struct fake_script *s = fs->scripts; s; s = s->next)
        n += unused_in(s);
    pthread_mutex_unlock(&fs->mu);
    return n;
}

size_t fake_open_conns(struct fake_server *fs)
{
    size_t n;

    pthread_mutex_lock(&fs->mu);
    n = fs->open;
    pthread_mutex_unlock(&fs->mu);
    return n;
}

/* ---- the logger --------------------------------------------------------- */

struct logger_impl {
    pthread_mutex_t mu;
    struct cs_buf text;
};

static void logger_fn(void *ctx, enum cs_log_level level, const char *msg)
{
    static const char *const names[] = {"error", "warn", "info", "verbose", "debug"};
    struct logger_impl *li = ctx;

    pthread_mutex_lock(&li->mu);
    cs_buf_printf(&li->text, "%s: %s\n", names[level], msg);
    pthread_mutex_unlock(&li->mu);
}

void fake_logger_init(struct fake_logger *l)
{
    struct logger_impl *li = xcalloc(1, sizeof(*li));

    pthread_mutex_init(&li->mu, NULL);
    l->impl = li;
    l->log.fn = logger_fn;
    l->log.ctx = li;
    l->log.max = CS_LOG_DEBUG;
}

void fake_logger_release(struct fake_logger *l)
{
    struct logger_impl *li = l ? l->impl : NULL;

    if (!li)
        return;
    cs_buf_release(&li->text);
    pthread_mutex_destroy(&li->mu);
    free(li);
    l->impl = NULL;
}

const char *fake_logger_text(struct fake_logger *l)
{
    struct logger_impl *li = l->impl;

    return li->text.data ? li->text.data : "";
}
