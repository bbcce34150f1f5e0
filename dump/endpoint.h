/*
 * endpoint.h - where csdump is connected, for the manifest's source: the
 * endpoint the main connection reports (not the options, which the
 * transport rules may override), and over a unix socket the server's own
 * host name and TCP port, which is what a replica elsewhere would use.
 * Coordinator only.
 */
#ifndef DUMP_ENDPOINT_H
#define DUMP_ENDPOINT_H

#include "common/conn.h"
#include "format/manifest.h"

/* Sets M's source host, port, socket and hostname from C (HOSTNAME is the
 * server's @@hostname, may be NULL). */
int dump_endpoint_record(struct cs_conn *c, const char *hostname, struct fmt_manifest *m,
                         struct cs_error *err);

#endif
