#include "format/jsonval.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/jsonscalar.h"
#include "format/sqlenc.h"

#define MAX_DEPTH 128 /* MySQL's JSON nests at most 100 deep */
#define NONE UINT32_MAX

/* ---- the SELECT expression -------------------------------------------- */

/* JSON_TYPE names whose text parses back to the same type. */
#define TEXT_TYPES "'STRING','INTEGER','DOUBLE','BOOLEAN','NULL'"
#define LEAF "IFNULL(cs_jt.mv, cs_jt.ev)"

/* The type tag (jsonscalar.h) of JSON expression X, as utf8mb4 text: JSON
 * gets it as a string, not as an opaque binary. */
static void put_tag(struct cs_buf *b, const char *x)
{
    cs_buf_printf(b,
                  "CASE JSON_TYPE(%s) WHEN 'DECIMAL' THEN CONCAT(_utf8mb4'D', "
                  "JSON_STORAGE_SIZE(%s)) WHEN 'UNSIGNED INTEGER' THEN _utf8mb4'U' "
                  "WHEN 'DATE' THEN _utf8mb4'a' WHEN 'TIME' THEN _utf8mb4't' "
                  "WHEN 'DATETIME' THEN _utf8mb4'd' WHEN 'TIMESTAMP' THEN _utf8mb4's' "
                  "WHEN 'BLOB' THEN _utf8mb4'o' WHEN 'BIT' THEN _utf8mb4'o' "
                  "WHEN 'OPAQUE' THEN _utf8mb4'o' ELSE CONCAT(_utf8mb4'?', JSON_TYPE(%s)) END",
                  x, x, x);
}

/* {"mN"|"eN": tag} over the scalars of container C that need one, or NULL.
 * The two nested paths number every member and every element in the
 * orders of $**.* and $**[*]. */
static void put_tags(struct cs_buf *b, const char *c)
{
    cs_buf_puts(b, "(SELECT JSON_OBJECTAGG(CONCAT(IF(cs_jt.mo IS NULL, _utf8mb4'e', "
                   "_utf8mb4'm'), IFNULL(cs_jt.mo, cs_jt.eo)), ");
    put_tag(b, LEAF);
    cs_buf_printf(
        b,
        ") FROM JSON_TABLE(%s, _utf8mb4'$' COLUMNS("
        "NESTED PATH _utf8mb4'$**.*' COLUMNS(mo FOR ORDINALITY, mv JSON PATH _utf8mb4'$'), "
        "NESTED PATH _utf8mb4'$**[*]' COLUMNS(eo FOR ORDINALITY, ev JSON PATH _utf8mb4'$')"
        ")) cs_jt WHERE JSON_TYPE(" LEAF ") NOT IN ('OBJECT','ARRAY'," TEXT_TYPES "))",
        c);
}

void fmt_jsonval_select_expr(struct cs_buf *b, const char *c)
{
    cs_buf_printf(b, "IF(JSON_TYPE(%s) IN ('OBJECT','ARRAY'), CONCAT(IFNULL(CONCAT('~', ", c);
    put_tags(b, c);
    cs_buf_printf(b,
                  ", '~'), ''), %s), IF(JSON_TYPE(%s) IN (" TEXT_TYPES "), CONCAT(%s), "
                  "CONCAT('~', JSON_OBJECT(_utf8mb4'r', ",
                  c, c, c);
    put_tag(b, c);
    cs_buf_printf(b, "), '~', %s)))", c);
}

int fmt_jsonval_typed(const char *val, size_t len)
{
    return len > 0 && val[0] == '~';
}

/* ---- parsing the printed text ------------------------------------------- */

enum { NODE_SCALAR = 0, NODE_OBJECT, NODE_ARRAY };

/* One value of the document, in document (pre-)order. */
struct node {
    uint32_t parent, first, next; /* NONE: none */
    uint32_t key, klen;           /* a member's key token; an element's index in key */
    uint32_t val, vlen;           /* the value's text */
    unsigned char kind;
};

struct tree {
    const char *s;
    size_t len;
    struct node *n;
    size_t count, cap;
    const char *what; /* "type tags" | "JSON text", for messages */
};

static int bad(struct tree *t, size_t at, const char *why, struct cs_error *err)
{
    return cs_error_set(err, CS_ERR_FORMAT, "a tagged JSON value: its %s %s at byte %zu", t->what,
                        why, at);
}

static size_t skip_ws(const struct tree *t, size_t i)
{
    while (i < t->len && (t->s[i] == ' ' || t->s[i] == '\t' || t->s[i] == '\n' || t->s[i] == '\r'))
        i++;
    return i;
}

/* T->s[I] is '"': the index after the closing quote, 0 when there is none. */
static size_t string_end(const struct tree *t, size_t i)
{
    for (i++; i < t->len; i++) {
        if (t->s[i] == '\\')
            i++;
        else if (t->s[i] == '"')
            return i + 1;
    }
    return 0;
}

static size_t token_end(const struct tree *t, size_t i)
{
    while (i < t->len && !strchr(",:]}[{\" \t\n\r", t->s[i]))
        i++;
    return i;
}

static int add_node(struct tree *t, uint32_t parent, uint32_t key, uint32_t klen, size_t at,
                    struct cs_error *err)
{
    if (t->count == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        struct node *n = cap < NONE ? realloc(t->n, cap * sizeof(*n)) : NULL;
        if (!n)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory decoding a JSON value");
        t->n = n;
        t->cap = cap;
    }
    t->n[t->count] = (struct node){parent, NONE, NONE, key, klen, (uint32_t)at, 0, NODE_SCALAR};
    t->count++;
    return 0;
}

static int parse_value(struct tree *t, size_t *pos, uint32_t parent, uint32_t key, uint32_t klen,
                       unsigned depth, struct cs_error *err);

/* The members or elements of container ME, whose opening bracket is at *POS. */
static int parse_children(struct tree *t, size_t *pos, uint32_t me, unsigned depth,
                          struct cs_error *err)
{
    const int obj = t->n[me].kind == NODE_OBJECT;
    const char close = obj ? '}' : ']';
    size_t i = skip_ws(t, *pos + 1), end;
    uint32_t prev = NONE, idx = 0, key, klen;

    if (i < t->len && t->s[i] == close) {
        *pos = i + 1;
        return 0;
    }
    for (;; idx++) {
        key = idx;
        klen = 0;
        if (obj) {
            if (i >= t->len || t->s[i] != '"' || !(end = string_end(t, i)))
                return bad(t, i, "lacks a member name", err);
            key = (uint32_t)i;
            klen = (uint32_t)(end - i);
            i = skip_ws(t, end);
            if (i >= t->len || t->s[i++] != ':')
                return bad(t, i, "lacks a ':'", err);
        }
        uint32_t child = (uint32_t)t->count;
        *pos = i;
        if (parse_value(t, pos, me, key, klen, depth + 1, err) < 0)
            return -1;
        if (prev == NONE)
            t->n[me].first = child;
        else
            t->n[prev].next = child;
        prev = child;
        i = skip_ws(t, *pos);
        if (i < t->len && t->s[i] == close)
            break;
        if (i >= t->len || t->s[i] != ',')
            return bad(t, i, "lacks a ',' or closing bracket", err);
        i = skip_ws(t, i + 1);
    }
    *pos = i + 1;
    return 0;
}

static int parse_value(struct tree *t, size_t *pos, uint32_t parent, uint32_t key, uint32_t klen,
                       unsigned depth, struct cs_error *err)
{
    size_t i = skip_ws(t, *pos), end;
    uint32_t me = (uint32_t)t->count;

    if (depth > MAX_DEPTH)
        return bad(t, i, "nests too deep", err);
    if (i >= t->len)
        return bad(t, i, "ends early", err);
    if (add_node(t, parent, key, klen, i, err) < 0)
        return -1;
    if (t->s[i] == '{' || t->s[i] == '[') {
        t->n[me].kind = t->s[i] == '{' ? NODE_OBJECT : NODE_ARRAY;
        *pos = i;
        if (parse_children(t, pos, me, depth, err) < 0)
            return -1;
        end = *pos;
    } else if (t->s[i] == '"') {
        if (!(end = string_end(t, i)))
            return bad(t, i, "has an unterminated string", err);
    } else if ((end = token_end(t, i)) == i) {
        return bad(t, i, "has an unexpected character", err);
    }
    t->n[me].vlen = (uint32_t)(end - i);
    *pos = end;
    return 0;
}

/* Parses one value at the start of S (length LEN); *USED: where it ends. */
static int parse_tree(struct tree *t, const char *s, size_t len, const char *what, size_t *used,
                      struct cs_error *err)
{
    size_t pos = 0;

    memset(t, 0, sizeof(*t));
    t->s = s;
    t->len = len;
    t->what = what;
    if (len >= NONE)
        return bad(t, 0, "is too long", err);
    if (parse_value(t, &pos, NONE, 0, 0, 0, err) < 0)
        return -1;
    *used = skip_ws(t, pos);
    return 0;
}

/* ---- rebuilding -------------------------------------------------------- */

/* Member values and elements in the orders of $**.* and $**[*]: every
 * container's children, containers taken in document order. */
struct lists {
    uint32_t *m, *e;
    size_t nm, ne;
};

static int number_children(const struct tree *t, struct lists *l, struct cs_error *err)
{
    l->m = malloc((t->count + 1) * sizeof(uint32_t));
    l->e = malloc((t->count + 1) * sizeof(uint32_t));
    if (!l->m || !l->e)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory decoding a JSON value");
    for (size_t i = 0; i < t->count; i++) {
        for (uint32_t c = t->n[i].first; c != NONE; c = t->n[c].next) {
            if (t->n[i].kind == NODE_OBJECT)
                l->m[l->nm++] = c;
            else
                l->e[l->ne++] = c;
        }
    }
    return 0;
}

/* The node a tag key ("r", "mN", "eN") names, or NONE. */
static uint32_t tagged_node(const struct lists *l, const char *k, size_t n)
{
    unsigned long v = 0;
    size_t i;

    if (n == 1 && k[0] == 'r')
        return 0;
    if (n < 2 || (k[0] != 'm' && k[0] != 'e') || k[1] == '0')
        return NONE;
    for (i = 1; i < n && k[i] >= '0' && k[i] <= '9' && v < NONE; i++)
        v = v * 10 + (unsigned long)(k[i] - '0');
    if (i != n || v == 0)
        return NONE;
    if (k[0] == 'm')
        return v <= l->nm ? l->m[v - 1] : NONE;
    return v <= l->ne ? l->e[v - 1] : NONE;
}

/* "$", then ."key" or [i] for each step from the root down to node N. */
static void put_path(struct cs_buf *b, const struct tree *t, uint32_t n)
{
    uint32_t steps[MAX_DEPTH + 2];
    size_t k = 0;

    for (; n != 0 && k < MAX_DEPTH + 2; n = t->n[n].parent)
        steps[k++] = n;
    cs_buf_putc(b, '$');
    while (k--) {
        const struct node *s = &t->n[steps[k]];
        if (t->n[s->parent].kind == NODE_OBJECT) {
            cs_buf_putc(b, '.');
            cs_buf_append(b, t->s + s->key, s->klen);
        } else {
            cs_buf_printf(b, "[%u]", s->key);
        }
    }
}

static void put_utf8_hex(struct cs_buf *b, const char *s, size_t n)
{
    cs_buf_puts(b, "_utf8mb4 ");
    fmt_sql_append_hex(b, s, n);
}

/* ",path,expr" for tag member M of the tag object. */
static int put_tagged(struct cs_buf *b, struct cs_buf *path, const struct tree *tags,
                      const struct node *m, const struct tree *doc, const struct lists *l,
                      struct cs_error *err)
{
    const char *key = tags->s + m->key + 1, *tag = tags->s + m->val + 1;
    size_t klen = m->klen - 2, tlen = m->vlen - 2;
    uint32_t n = tagged_node(l, key, klen);

    if (m->kind != NODE_SCALAR || m->vlen < 2 || tags->s[m->val] != '"')
        return cs_error_set(err, CS_ERR_FORMAT, "a tagged JSON value: tag %.*s is not a string",
                            (int)klen, key);
    if (n == NONE || doc->n[n].kind != NODE_SCALAR)
        return cs_error_set(err, CS_ERR_FORMAT,
                            "a tagged JSON value: tag %.*s names no scalar of the value",
                            (int)(klen > 20 ? 20 : klen), key);
    cs_buf_reset(path);
    put_path(path, doc, n);
    if (cs_buf_failed(path))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory decoding a JSON value");
    cs_buf_putc(b, ',');
    put_utf8_hex(b, path->data, path->len);
    cs_buf_putc(b, ',');
    return fmt_jsonscalar_append(b, tag, tlen, doc->s + doc->n[n].val, doc->n[n].vlen, err);
}

static int rebuild(struct cs_buf *b, const struct tree *tags, const struct tree *doc,
                   struct cs_error *err)
{
    struct lists l = {0};
    struct cs_buf path = CS_BUF_INIT;
    int rc = -1;

    if (number_children(doc, &l, err) < 0)
        goto out;
    cs_buf_puts(b, tags->n[0].first == NONE ? "(" : "JSON_SET(");
    cs_buf_puts(b, "CAST(");
    put_utf8_hex(b, doc->s, doc->len);
    cs_buf_puts(b, " AS JSON)");
    for (uint32_t m = tags->n[0].first; m != NONE; m = tags->n[m].next)
        if (put_tagged(b, &path, tags, &tags->n[m], doc, &l, err) < 0)
            goto out;
    cs_buf_putc(b, ')');
    rc = 0;
out:
    free(l.m);
    free(l.e);
    cs_buf_release(&path);
    return rc;
}

int fmt_jsonval_append_sql(struct cs_buf *b, const char *val, size_t len, struct cs_error *err)
{
    struct tree tags = {0}, doc = {0};
    size_t used = 0, mark = b->len;
    int rc = -1;

    if (!fmt_jsonval_typed(val, len)) {
        cs_error_set(err, CS_ERR_FORMAT, "a JSON value without type tags");
        goto out;
    }
    if (parse_tree(&tags, val + 1, len - 1, "type tags", &used, err) < 0)
        goto out;
    if (tags.n[0].kind != NODE_OBJECT || used + 1 >= len - 1 || val[1 + used] != '~') {
        bad(&tags, used, "are not an object followed by '~' and the text", err);
        goto out;
    }
    if (parse_tree(&doc, val + used + 2, len - used - 2, "JSON text", &used, err) < 0)
        goto out;
    if (used != doc.len) {
        bad(&doc, used, "has text after the value", err);
        goto out;
    }
    rc = rebuild(b, &tags, &doc, err);
out:
    if (rc < 0 && !cs_buf_failed(b)) {
        b->len = mark;
        if (b->data)
            b->data[mark] = '\0';
    }
    free(tags.n);
    free(doc.n);
    return rc;
}
