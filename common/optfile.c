#include "common/optfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_INCLUDE_DEPTH 10

/* The arguments that steer option-file reading (leading argv only); a
 * non-NULL member was given (flags point at their argument). */
struct lead {
    const char *no_defaults;
    const char *print_defaults;
    const char *file;   /* --defaults-file */
    const char *extra;  /* --defaults-extra-file */
    const char *suffix; /* --defaults-group-suffix */
    int next;           /* index of the first other argument */
};

struct reader {
    const char *const *groups;
    const char *suffix; /* NULL or "" for none */
    struct cs_optfile_args *out;
    const struct cs_log *log;
    struct cs_error *err;
};

/* Per-file parse state: a section is per file, as in mysql. */
struct file_state {
    const char *path;
    int line;
    int depth;
    int have_group; /* a [group] header was seen */
    int group;      /* index in groups of the current section, -1 if not ours */
};

static int read_file(struct reader *r, const char *path, int required, int depth);

void cs_optfile_args_init(struct cs_optfile_args *a)
{
    memset(a, 0, sizeof(*a));
}

static void origin_release(struct cs_optfile_origin *o)
{
    free(o->file);
    free(o->group);
    memset(o, 0, sizeof(*o));
}

void cs_optfile_args_release(struct cs_optfile_args *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->argc; i++) {
        free(a->argv[i]);
        if (a->origin)
            origin_release(&a->origin[i]);
    }
    free(a->argv);
    free(a->origin);
    cs_optfile_args_init(a);
}

/* Append arg (taken over, freed on failure) with its origin.  Vectors hold
 * tens of entries: growing one by one keeps the capacity implicit. */
static int push(struct reader *r, char *arg, const char *file, const char *group, int line,
                int loose)
{
    struct cs_optfile_args *a = r->out;
    struct cs_optfile_origin o = {NULL, NULL, line, loose};
    size_t cap = (size_t)a->argc + 2;
    char **nargv;
    struct cs_optfile_origin *norigin;

    if (!arg)
        goto nomem;
    if (file && !(o.file = strdup(file)))
        goto nomem;
    if (group && !(o.group = strdup(group)))
        goto nomem;
    if (!(nargv = realloc(a->argv, cap * sizeof(*nargv))))
        goto nomem;
    a->argv = nargv;
    if (!(norigin = realloc(a->origin, cap * sizeof(*norigin))))
        goto nomem;
    a->origin = norigin;
    a->argv[a->argc] = arg;
    a->origin[a->argc] = o;
    a->argc++;
    a->argv[a->argc] = NULL;
    return 0;
nomem:
    free(arg);
    origin_release(&o);
    return cs_error_set(r->err, CS_ERR_NOMEM, "out of memory reading option files");
}

/* ---- the leading --no-defaults / --defaults-* arguments ---- */

static const struct lead_opt {
    const char *name;
    int has_value;
    size_t slot; /* offset of the const char * in struct lead */
} lead_opts[] = {
    {"--defaults-file", 1, offsetof(struct lead, file)},
    {"--defaults-extra-file", 1, offsetof(struct lead, extra)},
    {"--defaults-group-suffix", 1, offsetof(struct lead, suffix)},
    {"--no-defaults", 0, offsetof(struct lead, no_defaults)},
    {"--print-defaults", 0, offsetof(struct lead, print_defaults)},
    {NULL, 0, 0},
};

/* Is arg one of lead_opts (alone or with "=...")? */
static const struct lead_opt *lead_opt(const char *arg)
{
    for (const struct lead_opt *o = lead_opts; o->name; o++) {
        size_t n = strlen(o->name);
        if (strncmp(arg, o->name, n) == 0 && (arg[n] == '\0' || arg[n] == '='))
            return o;
    }
    return NULL;
}

static int lead_take(struct lead *l, const struct lead_opt *o, const char *arg,
                     struct cs_error *err)
{
    const char **slot = (const char **)((char *)l + o->slot);
    const char *eq = arg + strlen(o->name);

    if (*slot)
        return cs_error_set(err, CS_ERR_USAGE, "%s given more than once", o->name);
    if (o->has_value && (*eq != '=' || eq[1] == '\0'))
        return cs_error_set(err, CS_ERR_USAGE, "%s needs a value: %s=VALUE", o->name, o->name);
    if (!o->has_value && *eq == '=')
        return cs_error_set(err, CS_ERR_USAGE, "%s takes no value", o->name);
    *slot = o->has_value ? eq + 1 : arg;
    return 0;
}

static int parse_lead(int argc, char **argv, struct lead *l, struct cs_error *err)
{
    const struct lead_opt *o;
    int i;

    memset(l, 0, sizeof(*l));
    for (i = 1; i < argc && (o = lead_opt(argv[i])); i++) {
        if (lead_take(l, o, argv[i], err))
            return -1;
    }
    l->next = i;
    if (l->no_defaults && (l->file || l->extra))
        return cs_error_set(err, CS_ERR_USAGE, "--no-defaults cannot be combined with %s",
                            l->file ? "--defaults-file" : "--defaults-extra-file");
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if ((o = lead_opt(argv[i])))
            return cs_error_set(err, CS_ERR_USAGE,
                                "%s must come first on the command line, before any other "
                                "argument",
                                o->name);
    }
    return 0;
}

/* ---- one line of an option file ---- */

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    *e = '\0';
    return s;
}

/* Cut a comment: a # at the start or after blank space, looking no further
 * than end (NULL: the whole string; the '=' for a key: `flag # a=b`). */
static void cut_comment(char *s, const char *end)
{
    for (char *p = s; *p && p != end; p++) {
        if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
            *p = '\0';
            return;
        }
    }
}

/* Decode mysql's escapes in place over [s, s + n) and NUL-terminate. */
static void unescape(char *s, size_t n)
{
    static const char from[] = "ntrbs\"'\\", to[] = "\n\t\r\b \"'\\";
    char *w = s, *end = s + n;

    for (char *p = s; p < end; p++) {
        const char *hit;
        if (*p != '\\' || p + 1 == end) {
            *w++ = *p;
            continue;
        }
        p++;
        if ((hit = strchr(from, *p)) && *p) {
            *w++ = to[hit - from];
        } else {
            *w++ = '\\';
            *w++ = *p;
        }
    }
    *w = '\0';
}

/* The value after '=' (leading blanks skipped): quoted ('...' or "...") or
 * plain, comment removed, escapes decoded in place.  Returns its start. */
static char *parse_value(char *v)
{
    char q = *v;

    if (q == '\'' || q == '"') {
        char *p = v + 1;
        while (*p && *p != q)
            p += (*p == '\\' && p[1]) ? 2 : 1;
        if (*p == q) {
            char *rest = p + 1;
            while (isspace((unsigned char)*rest))
                rest++;
            if (*rest == '\0' || *rest == '#') {
                *p = '\0';
                unescape(v + 1, (size_t)(p - (v + 1)));
                return v + 1;
            }
        }
        /* no closing quote ending the value: the quote is literal, as in mysql */
    }
    cut_comment(v, NULL);
    v = trim(v);
    unescape(v, strlen(v));
    return v;
}

static int is_our_group(struct reader *r, const char *name)
{
    size_t sl = r->suffix ? strlen(r->suffix) : 0;

    for (int k = 0; r->groups[k]; k++) {
        size_t gl = strlen(r->groups[k]);
        if (!strcasecmp(name, r->groups[k]))
            return k;
        if (sl && strlen(name) == gl + sl && !strncasecmp(name, r->groups[k], gl) &&
            !strcasecmp(name + gl, r->suffix))
            return k;
    }
    return -1;
}

static int parse_header(struct reader *r, struct file_state *fs, char *s)
{
    char *end = strchr(s, ']');
    char *rest;

    if (!end)
        return cs_error_set(r->err, CS_ERR_USAGE, "%s:%d: group header without ']'", fs->path,
                            fs->line);
    *end = '\0';
    rest = trim(end + 1);
    if (*rest && *rest != '#' && *rest != ';')
        return cs_error_set(r->err, CS_ERR_USAGE, "%s:%d: text after the group header: '%s'",
                            fs->path, fs->line, rest);
    s = trim(s + 1);
    if (!*s)
        return cs_error_set(r->err, CS_ERR_USAGE, "%s:%d: empty group name", fs->path, fs->line);
    fs->have_group = 1;
    fs->group = is_our_group(r, s);
    return 0;
}

static int parse_option(struct reader *r, struct file_state *fs, char *s)
{
    char *eq = strchr(s, '='), *key, *arg = NULL;
    int loose = 0, n;

    if (!fs->have_group)
        return cs_error_set(r->err, CS_ERR_USAGE, "%s:%d: option before any [group] header",
                            fs->path, fs->line);
    if (fs->group < 0)
        return 0;
    cut_comment(s, eq);
    eq = strchr(s, '=');
    if (eq)
        *eq = '\0';
    key = trim(s);
    for (char *p = key; *p; p++) {
        if (isspace((unsigned char)*p) || *p == '#')
            return cs_error_set(r->err, CS_ERR_USAGE, "%s:%d: malformed option name '%s'", fs->path,
                                fs->line, key);
        if (*p == '_')
            *p = '-';
    }
    if (!strncmp(key, "loose-", 6)) {
        key += 6;
        loose = 1;
    }
    if (!*key)
        return cs_error_set(r->err, CS_ERR_USAGE, "%s:%d: option without a name", fs->path,
                            fs->line);
    if (eq) {
        char *v = eq + 1;
        while (isspace((unsigned char)*v))
            v++;
        n = asprintf(&arg, "--%s=%s", key, parse_value(v));
    } else {
        n = asprintf(&arg, "--%s", key);
    }
    return push(r, n < 0 ? NULL : arg, fs->path, r->groups[fs->group], fs->line, loose);
}

/* ---- !include / !includedir ---- */

/* path relative to the directory of base, malloc'd */
static char *relative_to(const char *base, const char *path)
{
    const char *slash = strrchr(base, '/');
    char *out;

    if (path[0] == '/' || !slash)
        return strdup(path);
    if (asprintf(&out, "%.*s%s", (int)(slash - base) + 1, base, path) < 0)
        return NULL;
    return out;
}

static int is_cnf(const struct dirent *de)
{
    size_t len = strlen(de->d_name);

    return len > 4 && strcmp(de->d_name + len - 4, ".cnf") == 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* DIR's *.cnf files in name order; a missing directory is skipped quietly. */
static int read_dir(struct reader *r, const char *dir, int depth)
{
    struct dirent **list = NULL;
    char *path = NULL;
    int n = scandir(dir, &list, is_cnf, by_name), rc = 0;

    if (n < 0) {
        if (errno == ENOMEM)
            return cs_error_set(r->err, CS_ERR_NOMEM, "out of memory reading '%s'", dir);
        if (errno != ENOENT && errno != ENOTDIR)
            cs_log_warn(r->log, "cannot read option directory '%s': %s", dir, strerror(errno));
        return 0;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        size_t dl = strlen(dir);
        if (asprintf(&path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", list[i]->d_name) <
            0) {
            rc = cs_error_set(r->err, CS_ERR_NOMEM, "out of memory reading '%s'", dir);
            break;
        }
        rc = read_file(r, path, 0, depth);
        free(path);
    }
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
    return rc;
}

static int parse_directive(struct reader *r, struct file_state *fs, char *s)
{
    int is_dir = 0;
    char *path, *full;
    int rc;

    s = trim(s);
    if (!strncmp(s, "!includedir", 11) && (isspace((unsigned char)s[11]) || !s[11]))
        is_dir = 1;
    else if (strncmp(s, "!include", 8) != 0 || (!isspace((unsigned char)s[8]) && s[8])) {
        cs_log_warn(r->log, "%s:%d: unknown directive ignored: %s", fs->path, fs->line, s);
        return 0;
    }
    path = trim(s + (is_dir ? 11 : 8));
    if (!*path)
        return cs_error_set(r->err, CS_ERR_USAGE, "%s:%d: %s without a path", fs->path, fs->line,
                            is_dir ? "!includedir" : "!include");
    if (fs->depth >= MAX_INCLUDE_DEPTH)
        return cs_error_set(r->err, CS_ERR_USAGE, "%s:%d: includes nested deeper than %d", fs->path,
                            fs->line, MAX_INCLUDE_DEPTH);
    if (!(full = relative_to(fs->path, path)))
        return cs_error_set(r->err, CS_ERR_NOMEM, "out of memory reading option files");
    if (is_dir) {
        rc = read_dir(r, full, fs->depth + 1);
    } else {
        struct stat st;
        if (stat(full, &st) != 0 && errno == ENOENT)
            cs_log_warn(r->log, "%s:%d: included file '%s' not found", fs->path, fs->line, full);
        rc = read_file(r, full, 0, fs->depth + 1);
    }
    free(full);
    return rc;
}

static int parse_line(struct reader *r, struct file_state *fs, char *line)
{
    char *s = line;

    if (fs->line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
        s += 3; /* UTF-8 byte order mark */
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\0' || *s == '#' || *s == ';')
        return 0;
    if (*s == '!')
        return parse_directive(r, fs, s);
    if (*s == '[')
        return parse_header(r, fs, s);
    return parse_option(r, fs, s);
}

/* ---- files ---- */

/* A file we cannot open: an error when required; else skipped, as mysql
 * does, quietly when it does not exist. */
static int skip_or_fail(struct reader *r, const char *path, int required, int errnum)
{
    if (required)
        return cs_error_sys(r->err, CS_ERR_IO, errnum, "cannot read option file '%s'", path);
    if (errnum != ENOENT && errnum != ENOTDIR)
        cs_log_warn(r->log, "cannot read option file '%s' (%s); ignored", path, strerror(errnum));
    return 0;
}

/* 1 = read it, 0 = skip it, -1 = error */
static int check_file(struct reader *r, const char *path, int required)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return skip_or_fail(r, path, required, errno);
    if (!S_ISREG(st.st_mode)) {
        if (required)
            return cs_error_set(r->err, CS_ERR_IO, "option file '%s' is not a regular file", path);
        cs_log_warn(r->log, "option file '%s' is not a regular file; ignored", path);
        return 0;
    }
    if (st.st_mode & S_IWOTH) {
        cs_log_warn(r->log, "World-writable config file '%s' is ignored", path);
        return 0;
    }
    return 1;
}

static int read_file(struct reader *r, const char *path, int required, int depth)
{
    struct file_state fs = {path, 0, depth, 0, -1};
    FILE *f = NULL;
    char *line = NULL;
    size_t cap = 0;
    int rc;

    if ((rc = check_file(r, path, required)) <= 0)
        return rc;
    if (!(f = fopen(path, "r")))
        return skip_or_fail(r, path, required, errno);
    rc = 0;
    while (rc == 0) {
        errno = 0;
        if (getline(&line, &cap, f) < 0) {
            if (ferror(f))
                rc = cs_error_sys(r->err, CS_ERR_IO, errno ? errno : EIO,
                                  "cannot read option file '%s'", path);
            break;
        }
        fs.line++;
        rc = parse_line(r, &fs, line);
    }
    free(line);
    fclose(f);
    return rc;
}

/* "~/x" -> $HOME/x (NULL result and no error when HOME is unset) */
static int expand_home(const char *path, char **out, struct cs_error *err)
{
    const char *home = getenv("HOME");

    *out = NULL;
    if (strncmp(path, "~/", 2) != 0) {
        *out = strdup(path);
    } else if (!home || !*home) {
        return 0;
    } else if (asprintf(out, "%s%s", home, path + 1) < 0) {
        *out = NULL;
    }
    return *out ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory reading option files");
}

static int read_defaults(struct reader *r, const struct lead *l, const char *const *files)
{
    int extra_done = 0, rc = 0;
    char *path;

    if (l->no_defaults)
        return 0;
    if (l->file)
        return read_file(r, l->file, 1, 0);
    for (int i = 0; files && files[i] && rc == 0; i++) {
        if (l->extra && !extra_done && !strncmp(files[i], "~/", 2)) {
            extra_done = 1;
            if ((rc = read_file(r, l->extra, 1, 0)))
                break;
        }
        if ((rc = expand_home(files[i], &path, r->err)) || !path)
            continue;
        rc = read_file(r, path, 0, 0);
        free(path);
    }
    if (rc == 0 && l->extra && !extra_done)
        rc = read_file(r, l->extra, 1, 0);
    return rc;
}

int cs_optfile_load_files(int argc, char **argv, const char *const *groups,
                          const char *const *default_files, struct cs_optfile_args *out,
                          const struct cs_log *log, struct cs_error *err)
{
    static const char *const no_groups[] = {NULL};
    struct reader r = {groups ? groups : no_groups, NULL, out, log, err};
    struct lead l;
    int rc;

    cs_optfile_args_init(out);
    if (argc < 1 || !argv || !argv[0])
        return cs_error_set(err, CS_ERR_INTERNAL, "cs_optfile_load: empty argv");
    if ((rc = parse_lead(argc, argv, &l, err)))
        return rc;
    r.suffix = l.suffix;
    if (!r.suffix)
        r.suffix = getenv("MARIADB_GROUP_SUFFIX");
    if (!r.suffix)
        r.suffix = getenv("MYSQL_GROUP_SUFFIX");
    out->print_defaults = l.print_defaults != NULL;
    if ((rc = push(&r, strdup(argv[0]), NULL, NULL, 0, 0)))
        goto out;
    if ((rc = read_defaults(&r, &l, default_files)))
        goto out;
    out->nfile = out->argc - 1;
    for (int i = l.next; i < argc && rc == 0; i++)
        rc = push(&r, strdup(argv[i]), NULL, NULL, 0, 0);
out:
    if (rc)
        cs_optfile_args_release(out);
    return rc;
}

int cs_optfile_load(int argc, char **argv, const char *const *groups, struct cs_optfile_args *out,
                    const struct cs_log *log, struct cs_error *err)
{
    char home_cnf[4096] = "";
    const char *files[5];
    const char *home = getenv("MARIADB_HOME");
    int n = 0;

    if (!home || !*home)
        home = getenv("MYSQL_HOME");
    files[n++] = "/etc/my.cnf";
    files[n++] = "/etc/mysql/my.cnf";
    if (home && *home &&
        snprintf(home_cnf, sizeof(home_cnf), "%s/my.cnf", home) < (int)sizeof(home_cnf))
        files[n++] = home_cnf;
    files[n++] = "~/.my.cnf";
    files[n] = NULL;
    return cs_optfile_load_files(argc, argv, groups, files, out, log, err);
}

/* ---- filtering ---- */

/* key (up to '=' or end) equals name, with '_' and '-' the same */
static int key_is(const char *key, const char *name)
{
    for (; *key && *key != '='; key++, name++) {
        char a = *key == '_' ? '-' : *key, b = *name == '_' ? '-' : *name;
        if (a != b)
            return 0;
    }
    return *name == '\0';
}

static int is_known(const char *arg, const char *const *known)
{
    for (int i = 0; known && known[i]; i++) {
        if (key_is(arg + 2, known[i]))
            return 1;
    }
    return 0;
}

static int is_own(const char *group, const char *const *own)
{
    for (int i = 0; group && own && own[i]; i++) {
        if (!strcasecmp(group, own[i]))
            return 1;
    }
    return 0;
}

void cs_optfile_filter(struct cs_optfile_args *args, const char *const *known_long_names,
                       const char *const *own_groups, const struct cs_log *log)
{
    int w = 1, dropped = 0;

    if (!args || args->argc < 1)
        return;
    for (int i = 1; i < args->argc; i++) {
        struct cs_optfile_origin *o = &args->origin[i];
        int file_opt = i <= args->nfile;
        int keep = !file_opt || is_known(args->argv[i], known_long_names) ||
                   (!o->loose && is_own(o->group, own_groups));
        if (!keep) {
            cs_log_debug(log, "ignoring option %s from %s:%d [%s]", args->argv[i], o->file, o->line,
                         o->group);
            free(args->argv[i]);
            origin_release(o);
            dropped++;
            continue;
        }
        args->argv[w] = args->argv[i];
        args->origin[w] = *o;
        w++;
    }
    args->argc = w;
    args->nfile -= dropped;
    args->argv[w] = NULL;
}

const char *cs_optfile_describe(const struct cs_optfile_args *args, int i, char *buf, size_t size)
{
    const struct cs_optfile_origin *o;

    if (!buf || size == 0)
        return buf;
    if (!args || i < 0 || i >= args->argc || !args->origin[i].file) {
        snprintf(buf, size, "the command line");
        return buf;
    }
    o = &args->origin[i];
    snprintf(buf, size, "%s:%d [%s]", o->file, o->line, o->group ? o->group : "?");
    return buf;
}
