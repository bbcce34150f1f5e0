/*
 * version.h - server flavor and version from VERSION() / @@version_comment.
 *
 * Handles any major number (5.7, 8.0, 8.4, 9.x, year-style 26.x), vendor
 * suffixes ("-log", "-0ubuntu0.22.04.1", "-google", "-27" for Percona),
 * MariaDB's "5.5.5-" replication prefix and "-MariaDB" marker.  Pure,
 * thread-safe.
 */
#ifndef CS_VERSION_H
#define CS_VERSION_H

enum cs_flavor { CS_FLAVOR_MYSQL = 0, CS_FLAVOR_MARIADB };

struct cs_version {
    enum cs_flavor flavor;
    unsigned major, minor, patch;
};

/* COMMENT (@@version_comment) may be NULL; it helps spot MariaDB builds
 * whose version string lacks the marker.  -1 if no number can be read. */
int cs_version_parse(const char *version, const char *comment, struct cs_version *v);
int cs_version_at_least(const struct cs_version *v, unsigned major, unsigned minor,
                        unsigned patch);
const char *cs_flavor_name(enum cs_flavor f); /* "mysql" | "mariadb" */

#endif
