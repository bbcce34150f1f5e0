#include "dump/endpoint.h"

#include <stdlib.h>
#include <string.h>

/* "HOST:PORT over TCP" -> HOST (malloc'd), PORT; "via socket PATH" -> PATH. */
static int parse(const char *ep, char **host, unsigned *port, char **sock)
{
    const char *tcp = strstr(ep, " over TCP"), *colon;

    *host = *sock = NULL;
    *port = 0;
    if (!strncmp(ep, "via socket ", 11))
        return (*sock = strdup(ep + 11)) ? 0 : -1;
    colon = tcp ? memrchr(ep, ':', (size_t)(tcp - ep)) : NULL;
    if (!colon)
        return -1;
    *port = (unsigned)strtoul(colon + 1, NULL, 10);
    return (*host = strndup(ep, (size_t)(colon - ep))) ? 0 : -1;
}

/* Over a socket: the server's TCP port (0 when it does not listen). */
static int server_port(struct cs_conn *c, unsigned *port, struct cs_error *err)
{
    struct cs_result *res = NULL;
    char **row;

    if (cs_conn_query(c, "SELECT @@port, @@skip_networking", &res, err) < 0)
        return -1;
    row = cs_result_row(res);
    *port = row && row[0] && !(row[1] && !strcmp(row[1], "1")) ? (unsigned)strtoul(row[0], NULL, 10)
                                                               : 0;
    cs_result_free(res);
    return 0;
}

int dump_endpoint_record(struct cs_conn *c, const char *hostname, struct fmt_manifest *m,
                         struct cs_error *err)
{
    char ep[600], *host = NULL, *sock = NULL;
    unsigned port = 0;

    cs_conn_endpoint(c, ep, sizeof(ep));
    if (parse(ep, &host, &port, &sock) < 0)
        return cs_error_set(err, CS_ERR_INTERNAL, "cannot tell the endpoint from '%s'", ep);
    if (sock && server_port(c, &port, err) < 0) {
        free(sock);
        return -1;
    }
    if (sock && hostname && !(host = strdup(hostname))) {
        free(sock);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    free(m->source_host);
    free(m->source_socket);
    free(m->source_hostname);
    m->source_host = host ? host : strdup("localhost");
    m->source_port = port;
    m->source_socket = sock;
    m->source_hostname = hostname ? strdup(hostname) : NULL;
    if (!m->source_host || (hostname && !m->source_hostname))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    return 0;
}
