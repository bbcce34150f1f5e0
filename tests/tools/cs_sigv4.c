/* cs_sigv4: print the SigV4 Authorization header common/sigv4.c computes,
 * for the botocore cross-check (tests/cli/test_sigv4_botocore.sh).
 *   cs_sigv4 METHOD HOST PATH QUERY REGION TIME ACCESS SECRET TOKEN BODY [HEADER...]
 * PATH and QUERY unencoded; QUERY "a=1&uploads" ("-" = none); TIME epoch
 * seconds; TOKEN "-" = none; BODY a file whose SHA-256 is the payload hash
 * (sent as x-amz-content-sha256 and signed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/sigv4.h"

static int read_file(const char *path, struct cs_buf *b)
{
    FILE *f = fopen(path, "rb");
    char tmp[65536];
    size_t n;

    if (!f)
        return -1;
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
        cs_buf_append(b, tmp, n);
    fclose(f);
    return cs_buf_failed(b) ? -1 : 0;
}

int main(int argc, char **argv)
{
    struct cs_sigv4_param params[32];
    const char *headers[34];
    struct cs_buf body = CS_BUF_INIT, hline = CS_BUF_INIT;
    struct cs_sigv4_result r;
    struct cs_error err;
    char hash[65], *q;
    size_t np = 0, nh = 0;

    if (argc < 11) {
        fprintf(stderr, "usage: cs_sigv4 METHOD HOST PATH QUERY REGION TIME ACCESS SECRET TOKEN BODY [HEADER...]\n");
        return 2;
    }
    q = strcmp(argv[4], "-") ? strdup(argv[4]) : NULL;
    for (char *tok = q ? strtok(q, "&") : NULL; tok && np < 32; tok = strtok(NULL, "&")) {
        char *eq = strchr(tok, '=');
        if (eq)
            *eq = '\0';
        params[np].name = tok;
        params[np++].value = eq ? eq + 1 : NULL;
    }
    if (read_file(argv[10], &body) < 0) {
        fprintf(stderr, "cs_sigv4: cannot read %s\n", argv[10]);
        return 1;
    }
    cs_sigv4_sha256_hex(body.data ? body.data : "", body.len, hash);
    cs_buf_printf(&hline, "x-amz-content-sha256: %s", hash);
    headers[nh++] = hline.data;
    for (int i = 11; i < argc && nh < 34; i++)
        headers[nh++] = argv[i];
    struct cs_sigv4_request req = {
        .method = argv[1], .host = argv[2], .path = argv[3], .params = params, .nparams = np,
        .headers = headers, .nheaders = nh, .payload_hash = hash, .region = argv[5],
        .service = "s3", .when = (time_t)strtoll(argv[6], NULL, 10)};
    struct cs_sigv4_creds creds = {argv[7], argv[8], strcmp(argv[9], "-") ? argv[9] : NULL};
    cs_error_clear(&err);
    if (cs_sigv4_sign(&req, &creds, &r, &err) < 0) {
        fprintf(stderr, "cs_sigv4: %s\n", err.msg);
        return 1;
    }
    printf("%s\n", r.authorization.data);
    cs_sigv4_result_release(&r);
    cs_buf_release(&body);
    cs_buf_release(&hline);
    free(q);
    return 0;
}
