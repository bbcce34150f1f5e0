/*
 * grant.h - the statements of a dumped account (csdump --users), read on
 * their tokens (load/sqltok.h), never by string matching:
 *
 *   split    an account file into its statements (semicolons outside
 *            strings, identifiers and comments)
 *   parse    a GRANT or REVOKE as SHOW GRANTS writes it: the privileges
 *            (with their columns), the object (*.*, `db`.*, `db`.`t`,
 *            FUNCTION/PROCEDURE `db`.`r`), the roles of a role grant, the
 *            grantee, and where its IDENTIFIED clause is
 *   rebuild  the statement without some of its privileges (those the
 *            target cannot take, --skip-invalid-grants) and without the
 *            IDENTIFIED clause: MariaDB's SHOW GRANTS repeats the password
 *            hash there, the account's CREATE USER already set it, and
 *            setting it again would un-expire an expired password.
 *
 * Pure and thread-safe; a struct load_grant owns its strings
 * (load_grant_release).
 */
#ifndef LOAD_GRANT_H
#define LOAD_GRANT_H

#include <stddef.h>

#include "common/error.h"
#include "load/sqltok.h"

enum load_grant_kind {
    LOAD_GRANT_PRIVS = 0, /* GRANT/REVOKE privileges ON object TO/FROM account */
    LOAD_GRANT_ROLES,     /* GRANT role[, role] TO account */
    LOAD_GRANT_PROXY,     /* GRANT PROXY ON account TO account */
    LOAD_GRANT_CREATE,    /* CREATE USER|ROLE [IF NOT EXISTS] account ... */
    LOAD_GRANT_DEFAULT,   /* SET DEFAULT ROLE role[, role] {FOR|TO} account */
};
enum load_grant_level {
    LOAD_GRANT_GLOBAL = 0,
    LOAD_GRANT_SCHEMA,
    LOAD_GRANT_TABLE,
    LOAD_GRANT_ROUTINE,
};

struct load_grant_priv {
    char *name;     /* "SELECT", "SHOW VIEW": upper case, one blank between words */
    char **columns; /* a column privilege's columns; NULL/0 otherwise */
    size_t ncolumns;
    size_t off, len; /* its text in the statement */
};

struct load_grant_role {
    char *user;
    char *host; /* NULL: a MariaDB role (no host) */
};

struct load_grant {
    enum load_grant_kind kind;
    int revoke;
    struct load_grant_priv *privs;
    size_t nprivs;
    enum load_grant_level level;
    char *schema;  /* SCHEMA, TABLE, ROUTINE */
    char *name;    /* TABLE, ROUTINE */
    char *routine; /* ROUTINE: "FUNCTION", "PROCEDURE", "PACKAGE" or "PACKAGE BODY" */
    struct load_grant_role *roles; /* ROLES, DEFAULT (none for NONE / ALL) */
    size_t nroles;
    struct load_grant_role to;   /* the grantee (the only one: SHOW GRANTS names one);
                                  * the account of CREATE and DEFAULT */
    int create_role;             /* CREATE ROLE (else CREATE USER) */
    size_t list_off, on_off;     /* the privilege list; the ON keyword */
    size_t ident_off, ident_len; /* the IDENTIFIED clause; ident_len 0: none */
};

/* The statements of TEXT, each without its semicolon and the blanks around
 * it; *OUT is a malloc'd array of malloc'd strings.  -1: out of memory. */
int load_grant_split(const char *text, char ***out, size_t *n);
void load_grant_free_list(char **v, size_t n);

/* Reads one statement of an account file: GRANT, REVOKE, CREATE USER,
 * CREATE ROLE or SET DEFAULT ROLE.  CS_ERR_FORMAT saying what is not
 * understood. */
int load_grant_parse(const char *stmt, struct load_grant *g, struct cs_error *err);
void load_grant_release(struct load_grant *g);

/* STMT without the privileges whose KEEP[i] is 0 (KEEP NULL: all kept) and
 * without its IDENTIFIED clause; malloc'd, NULL when out of memory. */
char *load_grant_rebuild(const char *stmt, const struct load_grant *g, const unsigned char *keep);

/* The value of a word, `identifier` or 'string' token of TEXT (quotes
 * removed, doubled quotes and backslash escapes undone); malloc'd. */
char *load_grant_tok_value(const char *text, const struct load_tok *t);

#endif
