/* compat_policy.c - the cross-flavor policy's name tables: --compat words,
 * collations, sql_mode words (load/compat.h). */
#include "load/compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TO_MARIADB LOAD_COMPAT_TO_MARIADB
#define TO_MYSQL LOAD_COMPAT_TO_MYSQL
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- --compat -------------------------------------------------------------------- */

static const struct {
    const char *word, *option;
    unsigned flag;
} flag_words[] = {
    {"skip-functional-indexes", "--compat skip-functional-indexes",
     LOAD_COMPAT_SKIP_FUNCTIONAL_INDEXES},
    {"skip-vector-indexes", "--compat skip-vector-indexes", LOAD_COMPAT_SKIP_VECTOR_INDEXES},
    {"drop-system-versioning", "--compat drop-system-versioning",
     LOAD_COMPAT_DROP_SYSTEM_VERSIONING},
    {"mariadb-types-as-text", "--compat mariadb-types-as-text", LOAD_COMPAT_MARIADB_TYPES_AS_TEXT},
};

int load_compat_parse_flags(const char *list, unsigned *flags, struct cs_error *err)
{
    const char *p = list ? list : "";

    while (*p) {
        size_t n = strcspn(p, ","), k;
        for (k = 0; k < COUNT(flag_words); k++)
            if (strlen(flag_words[k].word) == n && !strncmp(p, flag_words[k].word, n))
                break;
        if (k == COUNT(flag_words))
            return cs_error_set(err, CS_ERR_USAGE,
                                "--compat=%s: unknown word '%.*s' (expected skip-functional-"
                                "indexes, skip-vector-indexes, drop-system-versioning or "
                                "mariadb-types-as-text)",
                                list, (int)n, p);
        *flags |= flag_words[k].flag;
        p += n + (p[n] == ',');
    }
    return 0;
}

const char *load_compat_flag_option(unsigned flag)
{
    for (size_t k = 0; k < COUNT(flag_words); k++)
        if (flag_words[k].flag == flag)
            return flag_words[k].option;
    return "--compat";
}

/* ---- messages -------------------------------------------------------------------- */

void load_compat_list_add(struct load_compat_list *l, const char *fmt, ...)
{
    char msg[1024], **v;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] && !strcmp(l->v[i], msg))
            return; /* said once */
    v = realloc(l->v, (l->n + 1) * sizeof(*v));
    if (!v) {
        l->failed = 1;
        return;
    }
    l->v = v;
    l->v[l->n] = strdup(msg);
    if (l->v[l->n])
        l->n++;
    else
        l->failed = 1;
}

void load_compat_list_release(struct load_compat_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
    l->failed = 0;
}

/* ---- collations -------------------------------------------------------------------- */

/* MySQL's 0900 language codes and MariaDB's names for the same tailoring
 * (MariaDB 11: utf8mb4_uca1400_<name>_..., 10.x: utf8mb4_<name>_ci). */
static const struct {
    const char *mysql, *mariadb;
} languages[] = {
    {"de_pb", "german2"}, {"is", "icelandic"}, {"lv", "latvian"},       {"ro", "romanian"},
    {"sl", "slovenian"},  {"pl", "polish"},    {"et", "estonian"},      {"es", "spanish"},
    {"sv", "swedish"},    {"tr", "turkish"},   {"cs", "czech"},         {"da", "danish"},
    {"lt", "lithuanian"}, {"sk", "slovak"},    {"es_trad", "spanish2"}, {"la", "roman"},
    {"eo", "esperanto"},  {"hu", "hungarian"}, {"hr", "croatian"},      {"vi", "vietnamese"},
};

/* UCA strengths: MySQL's suffix, MariaDB's, and what the other side loses. */
static const struct {
    const char *mysql, *mariadb;
    int from_mysql, from_mariadb; /* the pair applies to loads from that flavor */
    const char *loss;
} strengths[] = {
    {"ai_ci", "ai_ci", 1, 1, NULL},
    {"as_ci", "as_ci", 1, 1, NULL},
    {"as_cs", "as_cs", 1, 1, NULL},
    {"as_cs_ks", "as_cs", 1, 0, "kana sensitivity is lost"},
    {"as_cs", "ai_cs", 0, 1, "accent sensitive now: MySQL has no ai_cs collation"},
};

/* Collations outside the UCA families, one to one. */
static const struct {
    enum load_compat_dir dir;
    const char *from, *to, *why;
} fixed_collations[] = {
    {TO_MARIADB, "utf8mb4_0900_bin", "utf8mb4_nopad_bin", "code point order, NO PAD as before"},
    {TO_MYSQL, "utf8mb4_nopad_bin", "utf8mb4_0900_bin", "code point order, NO PAD as before"},
    {TO_MYSQL, "utf8mb4_unicode_520_nopad_ci", "utf8mb4_0900_ai_ci",
     "UCA 9.0 rules for 5.2, NO PAD as before"},
    {TO_MYSQL, "utf8mb4_unicode_nopad_ci", "utf8mb4_0900_ai_ci",
     "UCA 9.0 rules for 4.0, NO PAD as before"},
};

#define MAX_CAND 4

struct cand {
    char name[64];
    const char *why;
};

static void cand(struct cand *c, size_t *n, const char *why, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void cand(struct cand *c, size_t *n, const char *why, const char *fmt, ...)
{
    va_list ap;

    if (*n == MAX_CAND)
        return;
    va_start(ap, fmt);
    vsnprintf(c[*n].name, sizeof(c[*n].name), fmt, ap);
    va_end(ap);
    c[(*n)++].why = why;
}

/* utf8mb4_[LANG_]0900_STRENGTH -> MariaDB 11's uca1400 NO PAD ones, then 10.x's. */
static size_t from_mysql(const char *name, struct cand *c)
{
    const char *rest = name + 8, *v = strstr(rest, "0900_"), *lang = NULL;
    size_t n = 0, llen = v ? (size_t)(v - rest) : 0, s, l;

    if (strncmp(name, "utf8mb4_", 8) || !v || (llen && rest[llen - 1] != '_'))
        return 0;
    for (s = 0; s < COUNT(strengths); s++)
        if (strengths[s].from_mysql && !strcmp(v + 5, strengths[s].mysql))
            break;
    for (l = 0; llen && l < COUNT(languages); l++)
        if (strlen(languages[l].mysql) == llen - 1 && !strncmp(rest, languages[l].mysql, llen - 1))
            lang = languages[l].mariadb;
    if (s == COUNT(strengths))
        return 0;
    if (lang)
        cand(c, &n, "UCA 14.0 rules for 9.0, NO PAD as before", "utf8mb4_uca1400_%s_nopad_%s", lang,
             strengths[s].mariadb);
    cand(c, &n,
         llen && !lang ? "UCA 14.0 root order: the target has no such tailoring"
                       : "UCA 14.0 rules for 9.0, NO PAD as before",
         "utf8mb4_uca1400_nopad_%s", strengths[s].mariadb);
    if (!strcmp(strengths[s].mariadb, "ai_ci") && lang)
        cand(c, &n, "UCA 4.0 language rules, PAD SPACE: trailing spaces no longer count",
             "utf8mb4_%s_ci", lang);
    if (!strcmp(strengths[s].mariadb, "ai_ci"))
        cand(c, &n, "UCA 5.2 rules for 9.0, NO PAD as before", "utf8mb4_unicode_520_nopad_ci");
    if (!strcmp(strengths[s].mariadb, "as_cs"))
        cand(c, &n, "code point order: case and accent sensitive, NO PAD as before",
             "utf8mb4_nopad_bin");
    return n;
}

/* CS_uca1400_[LANG_][nopad_]STRENGTH -> MySQL's 0900 ones (NO PAD). */
static size_t from_mariadb(const char *name, struct cand *c)
{
    const char *v = strstr(name, "_uca1400_"), *rest, *lang = NULL;
    size_t n = 0, s, l;
    int nopad;

    if (!v)
        return 0;
    rest = v + 9;
    for (l = 0; l < COUNT(languages); l++) {
        size_t k = strlen(languages[l].mariadb);
        if (!strncmp(rest, languages[l].mariadb, k) && rest[k] == '_') {
            lang = languages[l].mysql;
            rest += k + 1;
            break;
        }
    }
    nopad = !strncmp(rest, "nopad_", 6);
    rest += nopad ? 6 : 0;
    for (s = 0; s < COUNT(strengths); s++)
        if (strengths[s].from_mariadb && !strcmp(rest, strengths[s].mariadb))
            break;
    if (s == COUNT(strengths))
        return 0;
    if (!strncmp(name, "utf8mb3_", 8) && v == name + 7) {
        if (!strcmp(rest, "ai_ci"))
            cand(c, &n, "UCA 5.2: MySQL has no UCA 9.0 collation for utf8mb3",
                 "utf8mb3_unicode_520_ci");
        return n;
    }
    if (strncmp(name, "utf8mb4_", 8) || v != name + 7)
        return 0;
    if (lang)
        cand(c, &n,
             nopad ? "UCA 9.0 rules for 14.0, NO PAD as before"
                   : "UCA 9.0 rules for 14.0, NO PAD: trailing spaces count",
             "utf8mb4_%s_0900_%s", lang, strengths[s].mysql);
    cand(c, &n,
         strengths[s].loss ? strengths[s].loss
         : lang            ? "UCA 9.0 root order: the target has no such tailoring"
         : nopad           ? "UCA 9.0 rules for 14.0, NO PAD as before"
                           : "UCA 9.0 rules for 14.0, NO PAD: trailing spaces count",
         "utf8mb4_0900_%s", strengths[s].mysql);
    return n;
}

static int target_has(const struct load_compat_policy *p, const char *name)
{
    size_t lo = 0, hi = p->ncollations;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->collations[mid], name);
        if (!c)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

const char *load_compat_collation(const struct load_compat_policy *p, const char *name, char *buf,
                                  size_t size, const char **why)
{
    struct cand c[MAX_CAND];
    size_t n = 0;

    if (p->dir == LOAD_COMPAT_SAME || target_has(p, name))
        return name;
    for (size_t i = 0; i < COUNT(fixed_collations); i++)
        if (fixed_collations[i].dir == p->dir && !strcmp(fixed_collations[i].from, name))
            cand(c, &n, fixed_collations[i].why, "%s", fixed_collations[i].to);
    if (!n)
        n = p->dir == TO_MARIADB ? from_mysql(name, c) : from_mariadb(name, c);
    for (size_t i = 0; i < n; i++)
        if (target_has(p, c[i].name)) {
            snprintf(buf, size, "%s", c[i].name);
            *why = c[i].why;
            return buf;
        }
    return NULL;
}

/* ---- sql_mode ------------------------------------------------------------------------- */

#define SHOW_ONLY "it only changes what SHOW CREATE prints"
#define GROUP_NAME "a name for a group of modes, whose members stay"

/* Words the target lacks.  KEEPS: losing it changes nothing a routine,
 * trigger or event does (else such an object is refused; the load's own
 * session drops it either way: the dump's values are already what the
 * source stored). */
static const struct {
    enum load_compat_dir dir;
    const char *word;
    int keeps;
    const char *why;
} mode_rules[] = {
    {TO_MYSQL, "NO_AUTO_CREATE_USER", 1, "MySQL 8 has no such mode: GRANT never creates users"},
    {TO_MYSQL, "NO_FIELD_OPTIONS", 1, SHOW_ONLY},
    {TO_MYSQL, "NO_KEY_OPTIONS", 1, SHOW_ONLY},
    {TO_MYSQL, "NO_TABLE_OPTIONS", 1, SHOW_ONLY},
    {TO_MYSQL, "MYSQL323", 1, SHOW_ONLY},
    {TO_MYSQL, "MYSQL40", 1, SHOW_ONLY},
    {TO_MYSQL, "POSTGRESQL", 1, GROUP_NAME},
    {TO_MYSQL, "MSSQL", 1, GROUP_NAME},
    {TO_MYSQL, "DB2", 1, GROUP_NAME},
    {TO_MYSQL, "MAXDB", 1, GROUP_NAME},
    {TO_MYSQL, "IGNORE_BAD_TABLE_OPTIONS", 1, "MySQL has no such mode"},
    {TO_MYSQL, "TIME_ROUND_FRACTIONAL", 1, "MySQL rounds fractional seconds by default"},
    {TO_MYSQL, "ORACLE", 0, "MySQL has no Oracle mode: the body would not parse the same"},
    {TO_MYSQL, "EMPTY_STRING_IS_NULL", 0, "MySQL has no such mode: '' would stay ''"},
    {TO_MYSQL, "SIMULTANEOUS_ASSIGNMENT", 0,
     "MySQL has no such mode: UPDATE would assign left to right"},
    {TO_MARIADB, "TIME_TRUNCATE_FRACTIONAL", 1, "MariaDB truncates fractional seconds by default"},
};

/* What an object's body did with extra fractional digits, said explicitly
 * where the flavors' defaults differ: UNLESS absent on the source, ADD. */
static const struct {
    enum load_compat_dir dir;
    const char *unless, *add, *why;
} mode_defaults[] = {
    {TO_MARIADB, "TIME_TRUNCATE_FRACTIONAL", "TIME_ROUND_FRACTIONAL",
     "MySQL rounds fractional seconds, MariaDB truncates unless told"},
    {TO_MYSQL, "TIME_ROUND_FRACTIONAL", "TIME_TRUNCATE_FRACTIONAL",
     "MariaDB truncates fractional seconds, MySQL rounds unless told"},
};

/* WORD (LEN bytes) of MODE as a list entry. */
static int has_word(const char *mode, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = mode; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncasecmp(p, word, n))
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

static size_t mode_rule(const struct load_compat_policy *p, const char *w, size_t n)
{
    for (size_t k = 0; k < COUNT(mode_rules); k++)
        if (mode_rules[k].dir == p->dir && strlen(mode_rules[k].word) == n &&
            !strncasecmp(mode_rules[k].word, w, n))
            return k;
    return COUNT(mode_rules);
}

void load_compat_sql_mode(const struct load_compat_policy *p, const char *mode, int object,
                          struct cs_buf *out, struct load_compat_list *changes,
                          struct load_compat_list *refusals)
{
    size_t first = out->len;

    mode = mode ? mode : "";
    for (const char *w = mode; *w;) {
        size_t n = strcspn(w, ","), k = mode_rule(p, w, n);
        if (k == COUNT(mode_rules)) {
            cs_buf_puts(out, out->len > first ? "," : "");
            cs_buf_append(out, w, n);
        } else if (object && !mode_rules[k].keeps) {
            load_compat_list_add(refusals, "sql_mode %s: %s", mode_rules[k].word,
                                 mode_rules[k].why);
        } else {
            load_compat_list_add(changes, "sql_mode %s left out (%s)", mode_rules[k].word,
                                 mode_rules[k].why);
        }
        w += n + (w[n] == ',');
    }
    for (size_t k = 0; object && k < COUNT(mode_defaults); k++)
        if (mode_defaults[k].dir == p->dir && !has_word(mode, mode_defaults[k].unless)) {
            cs_buf_puts(out, out->len > first ? "," : "");
            cs_buf_puts(out, mode_defaults[k].add);
            load_compat_list_add(changes, "sql_mode + %s (%s)", mode_defaults[k].add,
                                 mode_defaults[k].why);
        }
}
