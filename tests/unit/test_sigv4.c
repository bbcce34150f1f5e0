/* SigV4 signer: AWS's published test-suite cases (credentials AKIDEXAMPLE,
 * 2015-08-30T12:36:00Z, us-east-1, service "service") and S3 shapes
 * (value-less parameters, session token, content hash).  The same signer is
 * checked against botocore in tests/cli/test_sigv4_botocore.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/sigv4.h"

#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SUITE_TIME ((time_t)1440938160) /* 20150830T123600Z */

static const struct cs_sigv4_creds suite_creds = {"AKIDEXAMPLE",
                                                  "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL};

static void sign_suite(const char *path, const struct cs_sigv4_param *params, size_t np,
                       const char *const *headers, size_t nh, struct cs_sigv4_result *out)
{
    struct cs_sigv4_request req = {.method = "GET",
                                   .host = "example.amazonaws.com",
                                   .path = path,
                                   .params = params,
                                   .nparams = np,
                                   .headers = headers,
                                   .nheaders = nh,
                                   .payload_hash = EMPTY_SHA,
                                   .region = "us-east-1",
                                   .service = "service",
                                   .when = SUITE_TIME};
    struct cs_error err;

    cs_error_clear(&err);
    assert_int_equal(cs_sigv4_sign(&req, &suite_creds, out, &err), 0);
}

static void expect_sig(const struct cs_sigv4_result *r, const char *signed_headers, const char *sig)
{
    char want[512];

    snprintf(want, sizeof(want),
             "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
             "SignedHeaders=%s, Signature=%s",
             signed_headers, sig);
    assert_string_equal(r->authorization.data, want);
}

static void test_vanilla(void **state)
{
    struct cs_sigv4_result r;

    (void)state;
    sign_suite("/", NULL, 0, NULL, 0, &r);
    assert_string_equal(r.canonical.data,
                        "GET\n/\n\nhost:example.amazonaws.com\n"
                        "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_SHA);
    assert_string_equal(
        r.string_to_sign.data,
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/"
        "aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    expect_sig(&r, "host;x-amz-date",
               "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    assert_string_equal(r.amz_date.data, "20150830T123600Z");
    cs_sigv4_result_release(&r);
}

static void test_query_order(void **state)
{
    struct cs_sigv4_result r;
    const struct cs_sigv4_param one[] = {{"Param1", "value1"}};
    const struct cs_sigv4_param key_case[] = {{"Param2", "value2"}, {"Param1", "value1"}};
    const struct cs_sigv4_param by_value[] = {{"Param1", "value2"}, {"Param1", "value1"}};
    const struct cs_sigv4_param upper_first[] = {{"Param1", "value2"}, {"Param1", "Value1"}};

    (void)state;
    sign_suite("/", one, 1, NULL, 0, &r);
    expect_sig(&r, "host;x-amz-date",
               "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb");
    cs_sigv4_result_release(&r);
    sign_suite("/", key_case, 2, NULL, 0, &r);
    expect_sig(&r, "host;x-amz-date",
               "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    assert_string_equal(r.query.data, "Param2=value2&Param1=value1"); /* sent as given */
    cs_sigv4_result_release(&r);
    sign_suite("/", by_value, 2, NULL, 0, &r);
    expect_sig(&r, "host;x-amz-date",
               "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694");
    cs_sigv4_result_release(&r);
    sign_suite("/", upper_first, 2, NULL, 0, &r);
    expect_sig(&r, "host;x-amz-date",
               "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1");
    cs_sigv4_result_release(&r);
}

static void test_path_encoding(void **state)
{
    struct cs_sigv4_result r;

    (void)state;
    sign_suite("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", NULL, 0, NULL,
               0, &r);
    expect_sig(&r, "host;x-amz-date",
               "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
    cs_sigv4_result_release(&r);
    sign_suite("/\xe1\x88\xb4", NULL, 0, NULL, 0, &r);
    assert_string_equal(r.path.data, "/%E1%88%B4");
    expect_sig(&r, "host;x-amz-date",
               "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
    cs_sigv4_result_release(&r);
}

static void test_headers(void **state)
{
    struct cs_sigv4_result r;
    const char *trim[] = {"My-Header1: value1", "My-Header2: \"a   b   c\""};
    const char *order[] = {"My-Header1:value4", "My-Header1:value1", "My-Header1:value3",
                           "My-Header1:value2"};

    (void)state;
    sign_suite("/", NULL, 0, trim, 2, &r);
    expect_sig(&r, "host;my-header1;my-header2;x-amz-date",
               "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    cs_sigv4_result_release(&r);
    sign_suite("/", NULL, 0, order, 4, &r);
    assert_non_null(strstr(r.canonical.data, "my-header1:value4,value1,value3,value2\n"));
    expect_sig(&r, "host;my-header1;x-amz-date",
               "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01");
    cs_sigv4_result_release(&r);
}

/* S3 shapes: ?uploads signs as uploads=, key characters encoded once, the
 * token is a signed header, and the content hash is the canonical payload. */
static void test_s3_shapes(void **state)
{
    const struct cs_sigv4_param uploads[] = {{"uploads", NULL}};
    const struct cs_sigv4_creds tok = {"AK", "SK", "TOKEN/x"};
    const char *hdr[] = {"x-amz-content-sha256: UNSIGNED-PAYLOAD"};
    struct cs_sigv4_request req = {.method = "POST",
                                   .host = "127.0.0.1:9000",
                                   .path = "/bkt/a b/c+d=e.zst",
                                   .params = uploads,
                                   .nparams = 1,
                                   .headers = hdr,
                                   .nheaders = 1,
                                   .payload_hash = "UNSIGNED-PAYLOAD",
                                   .region = "us-east-1",
                                   .service = "s3",
                                   .when = SUITE_TIME};
    struct cs_sigv4_result r;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_sigv4_sign(&req, &tok, &r, &err), 0);
    assert_string_equal(r.query.data, "uploads");
    assert_string_equal(r.path.data, "/bkt/a%20b/c%2Bd%3De.zst");
    assert_string_equal(
        r.canonical.data,
        "POST\n/bkt/a%20b/c%2Bd%3De.zst\nuploads=\nhost:127.0.0.1:9000\n"
        "x-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20150830T123600Z\n"
        "x-amz-security-token:TOKEN/x\n\n"
        "host;x-amz-content-sha256;x-amz-date;x-amz-security-token\nUNSIGNED-PAYLOAD");
    assert_non_null(
        strstr(r.authorization.data, "Credential=AK/20150830/us-east-1/s3/aws4_request"));
    assert_null(strstr(r.authorization.data, "SK"));
    cs_sigv4_result_release(&r);
}

static void test_bad_input(void **state)
{
    struct cs_sigv4_request req = {.method = "GET",
                                   .host = "h",
                                   .path = "no-slash",
                                   .payload_hash = EMPTY_SHA,
                                   .region = "r",
                                   .service = "s3"};
    const struct cs_sigv4_creds none = {"", "x", NULL};
    struct cs_sigv4_result r;
    struct cs_error err;
    char hex[65];

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_sigv4_sign(&req, &suite_creds, &r, &err), -1);
    req.path = "/";
    assert_int_equal(cs_sigv4_sign(&req, &none, &r, &err), -1);
    assert_non_null(strstr(err.msg, "no access key"));
    assert_int_equal(cs_sigv4_sha256_hex("", 0, hex), 0);
    assert_string_equal(hex, EMPTY_SHA);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vanilla),       cmocka_unit_test(test_query_order),
        cmocka_unit_test(test_path_encoding), cmocka_unit_test(test_headers),
        cmocka_unit_test(test_s3_shapes),     cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
