#include "format/coltype.h"
#include "format/jsonval.h"

#include <stddef.h>
#include <strings.h>
#include <string.h>

/* information_schema DATA_TYPE -> kind, per server flavour. */
struct type_row {
    const char *name;
    unsigned char mysql;   /* enum fmt_col_kind on MySQL */
    unsigned char mariadb; /* enum fmt_col_kind on MariaDB */
};

#define SAME(n, k)                                                                                 \
    {                                                                                              \
        n, k, k                                                                                    \
    }

static const struct type_row type_table[] = {
    SAME("tinyint", FMT_COL_NUMBER),
    SAME("smallint", FMT_COL_NUMBER),
    SAME("mediumint", FMT_COL_NUMBER),
    SAME("int", FMT_COL_NUMBER),
    SAME("integer", FMT_COL_NUMBER),
    SAME("bigint", FMT_COL_NUMBER),
    SAME("decimal", FMT_COL_NUMBER),
    SAME("numeric", FMT_COL_NUMBER),
    SAME("year", FMT_COL_NUMBER),
    SAME("double", FMT_COL_NUMBER),
    SAME("real", FMT_COL_NUMBER),
    SAME("float", FMT_COL_FLOAT),
    SAME("char", FMT_COL_STRING),
    SAME("varchar", FMT_COL_STRING),
    SAME("tinytext", FMT_COL_STRING),
    SAME("text", FMT_COL_STRING),
    SAME("mediumtext", FMT_COL_STRING),
    SAME("longtext", FMT_COL_STRING),
    SAME("enum", FMT_COL_STRING),
    SAME("set", FMT_COL_STRING),
    SAME("date", FMT_COL_STRING),
    SAME("datetime", FMT_COL_STRING),
    SAME("timestamp", FMT_COL_STRING),
    SAME("time", FMT_COL_STRING),
    SAME("binary", FMT_COL_BINARY),
    SAME("varbinary", FMT_COL_BINARY),
    SAME("tinyblob", FMT_COL_BINARY),
    SAME("blob", FMT_COL_BINARY),
    SAME("mediumblob", FMT_COL_BINARY),
    SAME("longblob", FMT_COL_BINARY),
    SAME("geometry", FMT_COL_BINARY),
    SAME("point", FMT_COL_BINARY),
    SAME("linestring", FMT_COL_BINARY),
    SAME("polygon", FMT_COL_BINARY),
    SAME("multipoint", FMT_COL_BINARY),
    SAME("multilinestring", FMT_COL_BINARY),
    SAME("multipolygon", FMT_COL_BINARY),
    SAME("geometrycollection", FMT_COL_BINARY),
    SAME("geomcollection", FMT_COL_BINARY),
    SAME("vector", FMT_COL_BINARY),
    SAME("bit", FMT_COL_BIT),
    /* MySQL's native JSON keeps scalar types; MariaDB's is LONGTEXT. */
    {"json", FMT_COL_MYSQL_JSON, FMT_COL_STRING},
    /* MariaDB: a 16-byte binary string would be taken as raw INET6/UUID. */
    SAME("uuid", FMT_COL_UTF8TEXT),
    SAME("inet4", FMT_COL_UTF8TEXT),
    SAME("inet6", FMT_COL_UTF8TEXT),
};

#undef SAME

static const char *const kind_names[FMT_COL_KIND_COUNT] = {
    [FMT_COL_NUMBER] = "number", [FMT_COL_FLOAT] = "float", [FMT_COL_STRING] = "string",
    [FMT_COL_BINARY] = "binary", [FMT_COL_BIT] = "bit",     [FMT_COL_UTF8TEXT] = "utf8text",
    [FMT_COL_MYSQL_JSON] = "mysql-json",
};

/* How each kind is selected and loaded: a prefix/suffix around the name,
 * or a function that writes the whole SELECT expression. */
struct kind_ops {
    const char *select_pre, *select_post; /* SELECT expression */
    const char *set_pre, *set_post;       /* LOAD DATA SET expression, NULL: none */
    void (*select_fn)(struct cs_buf *b, const char *quoted);
};

static const struct kind_ops kind_ops[FMT_COL_KIND_COUNT] = {
    [FMT_COL_NUMBER] = {"", "", NULL, NULL},
    [FMT_COL_FLOAT] = {"(", "+0e0)", NULL, NULL},
    [FMT_COL_STRING] = {"", "", NULL, NULL},
    [FMT_COL_BINARY] = {"", "", NULL, NULL},
    [FMT_COL_BIT] = {"(", "+0)", "CAST(", " AS UNSIGNED)"},
    [FMT_COL_UTF8TEXT] = {"", "", "CONVERT(", " USING utf8mb4)"},
    [FMT_COL_MYSQL_JSON] = {"", "", "CONVERT(", " USING utf8mb4)", fmt_jsonval_select_expr},
};

static int kind_valid(enum fmt_col_kind kind)
{
    return (int)kind >= 0 && kind < FMT_COL_KIND_COUNT;
}

enum fmt_col_kind fmt_col_kind_from_type(const char *data_type, int is_mariadb)
{
    size_t i;

    if (!data_type)
        return FMT_COL_STRING;
    for (i = 0; i < sizeof(type_table) / sizeof(type_table[0]); i++) {
        if (strcasecmp(type_table[i].name, data_type) == 0)
            return (enum fmt_col_kind)(is_mariadb ? type_table[i].mariadb : type_table[i].mysql);
    }
    return FMT_COL_STRING; /* unknown types travel as byte-exact strings */
}

const char *fmt_col_kind_name(enum fmt_col_kind kind)
{
    return kind_valid(kind) ? kind_names[kind] : "unknown";
}

int fmt_col_kind_parse(const char *name)
{
    int i;

    if (!name)
        return -1;
    for (i = 0; i < FMT_COL_KIND_COUNT; i++) {
        if (strcmp(kind_names[i], name) == 0)
            return i;
    }
    return -1;
}

void fmt_col_select_expr(struct cs_buf *b, enum fmt_col_kind kind, const char *quoted)
{
    const struct kind_ops *ops = &kind_ops[kind_valid(kind) ? kind : FMT_COL_STRING];

    if (ops->select_fn) {
        ops->select_fn(b, quoted);
        return;
    }
    cs_buf_puts(b, ops->select_pre);
    cs_buf_puts(b, quoted);
    cs_buf_puts(b, ops->select_post);
}

int fmt_col_needs_load_var(enum fmt_col_kind kind)
{
    return kind_valid(kind) && kind_ops[kind].set_pre != NULL;
}

/* VAR may be given with or without its '@'. */
void fmt_col_load_set(struct cs_buf *b, enum fmt_col_kind kind, const char *quoted, const char *var)
{
    const struct kind_ops *ops = &kind_ops[kind_valid(kind) ? kind : FMT_COL_STRING];

    cs_buf_puts(b, quoted);
    cs_buf_putc(b, '=');
    if (ops->set_pre)
        cs_buf_puts(b, ops->set_pre);
    if (var[0] != '@')
        cs_buf_putc(b, '@');
    cs_buf_puts(b, var);
    if (ops->set_post)
        cs_buf_puts(b, ops->set_post);
}
