/* cs_s3: drive common/s3 from a shell, for the S3 tests.
 *   cs_s3 put URL FILE | get URL | head URL | ls URL | rm URL | mpu URL FILE
 *   cs_s3 range URL OFF LEN
 * Settings as csdump finds them (AWS_* variables, ~/.aws); CS_S3_PATH_STYLE=1
 * for path-style URLs; CS_S3_PART_SIZE (bytes) for mpu's parts.  Exit 0, or
 * 1 with the error on stderr (3 when it is CS_ERR_MISSING). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/console.h"
#include "common/fs.h"
#include "common/s3.h"

extern char **environ;

static int mpu(struct cs_s3 *c, const char *key, const char *data, size_t len, struct cs_error *err)
{
    size_t part = (size_t)cs_s3_opts(c)->part_size, n = (len + part - 1) / part;
    char(*etags)[130] = calloc(n ? n : 1, 130);
    char *id = NULL;
    int rc = cs_s3_mpu_create(c, key, &id, err);

    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = cs_s3_mpu_part(c, key, id, (unsigned)i + 1, data + i * part,
                            len - i * part < part ? len - i * part : part, etags[i], err);
    if (rc == 0)
        rc = cs_s3_mpu_complete(c, key, id, etags, (unsigned)n, err);
    free(etags);
    free(id);
    return rc;
}

static int run(struct cs_s3 *c, int argc, char **argv, const char *key, struct cs_error *err)
{
    struct cs_buf b = CS_BUF_INIT;
    char *data = NULL;
    size_t len = 0;
    uint64_t size;
    int rc = -1;

    if ((!strcmp(argv[1], "put") || !strcmp(argv[1], "mpu")) &&
        (argc < 4 || cs_fs_read_all(argv[3], (size_t)1 << 34, &data, &len, err) < 0))
        return argc < 4 ? cs_error_set(err, CS_ERR_USAGE, "FILE missing") : -1;
    if (!strcmp(argv[1], "put")) {
        rc = cs_s3_put(c, key, data, len, err);
    } else if (!strcmp(argv[1], "mpu")) {
        rc = mpu(c, key, data, len, err);
    } else if (!strcmp(argv[1], "get") || !strcmp(argv[1], "range")) {
        rc = !strcmp(argv[1], "get")
                 ? cs_s3_get(c, key, (size_t)1 << 34, &b, err)
                 : cs_s3_get_range(c, key, strtoull(argc > 3 ? argv[3] : "0", NULL, 10),
                                   strtoull(argc > 4 ? argv[4] : "1", NULL, 10), NULL, &b, NULL,
                                   err);
        if (rc == 0 && b.len)
            fwrite(b.data, 1, b.len, stdout);
    } else if (!strcmp(argv[1], "head")) {
        rc = cs_s3_head(c, key, &size, NULL, err);
        if (rc == 0)
            printf("%llu\n", (unsigned long long)size);
    } else if (!strcmp(argv[1], "ls")) {
        struct cs_s3_object *o;
        size_t n;
        rc = cs_s3_list(c, key, &o, &n, err);
        for (size_t i = 0; rc == 0 && i < n; i++)
            printf("%llu %s\n", (unsigned long long)o[i].size, o[i].key);
        if (rc == 0)
            cs_s3_objects_free(o, n);
    } else if (!strcmp(argv[1], "rm")) {
        rc = cs_s3_delete(c, key, err);
    } else {
        rc = cs_error_set(err, CS_ERR_USAGE, "unknown command %s", argv[1]);
    }
    free(data);
    cs_buf_release(&b);
    return rc;
}

int main(int argc, char **argv)
{
    struct cs_s3_options o;
    struct cs_s3_settings s;
    struct cs_console con;
    struct cs_log log;
    struct cs_error err;
    struct cs_s3 *c = NULL;
    char *bucket = NULL, *key = NULL;
    const char *ps = getenv("CS_S3_PATH_STYLE"), *part = getenv("CS_S3_PART_SIZE");
    int rc = -1;

    if (argc < 3) {
        fprintf(stderr, "usage: cs_s3 put|get|head|ls|rm|mpu|range URL [FILE|OFF LEN]\n");
        return 2;
    }
    cs_console_init(&con, "cs_s3");
    log = cs_console_logger(&con, CS_LOG_INFO);
    cs_error_clear(&err);
    cs_s3_options_init(&o);
    o.path_style = ps && *ps == '1';
    o.backoff_base_ms = 50;
    if (part)
        o.part_size = strtoull(part, NULL, 10);
    if (cs_s3_global_init(&err) == 0 && cs_s3_url_parse(argv[2], &bucket, &key, &err) == 0 &&
        cs_s3_settings_resolve(&o, environ, &s, &err) == 0) {
        c = cs_s3_new(&o, &s, bucket, &log, NULL, &err);
        cs_s3_settings_release(&s);
        if (c)
            rc = run(c, argc, argv, key, &err);
    }
    if (rc < 0)
        fprintf(stderr, "cs_s3: %s\n", err.msg);
    cs_s3_free(c);
    free(bucket);
    free(key);
    cs_s3_global_cleanup();
    cs_console_release(&con);
    return rc == 0 ? 0 : err.code == CS_ERR_MISSING ? 3 : 1;
}
