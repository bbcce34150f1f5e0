/* Signed manifests: a key pair made by fmt_sign_keygen signs and verifies;
 * a changed byte, another key's signature and a garbled signature file are
 * each refused with their own message; keys in the wrong form are named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "format/sign.h"

static char dir[] = "/tmp/cs-sign.XXXXXX";

static void path(char *out, const char *name)
{
    snprintf(out, 256, "%s/%s", dir, name);
}

static void test_sign_verify(void **state)
{
    char a_priv[256], a_pub[256], b_priv[256], b_pub[256];
    const char msg[] = "{\"format_version\": 2, \"files\": []}";
    struct fmt_sign_key *a, *ap, *b, *bp;
    struct cs_buf sig = CS_BUF_INIT, sig_b = CS_BUF_INIT;
    struct cs_error err;
    char changed[sizeof(msg)];

    (void)state;
    cs_error_clear(&err);
    assert_non_null(mkdtemp(dir));
    path(a_priv, "a.pem");
    path(a_pub, "a.pub.pem");
    path(b_priv, "b.pem");
    path(b_pub, "b.pub.pem");
    assert_int_equal(fmt_sign_keygen(a_priv, a_pub, &err), 0);
    assert_int_equal(fmt_sign_keygen(b_priv, b_pub, &err), 0);
    assert_int_equal(fmt_sign_keygen(a_priv, a_pub, &err), -1); /* no overwrite */
    a = fmt_sign_key_load_private(a_priv, &err);
    ap = fmt_sign_key_load_public(a_pub, &err);
    b = fmt_sign_key_load_private(b_priv, &err);
    bp = fmt_sign_key_load_public(b_pub, &err);
    assert_non_null(a);
    assert_non_null(ap);
    assert_non_null(b);
    assert_non_null(bp);

    assert_int_equal(fmt_sign_data(a, msg, strlen(msg), &sig, &err), 0);
    assert_int_equal(
        fmt_sign_verify(ap, msg, strlen(msg), sig.data, sig.len, "manifest.json", &err), 0);
    /* one changed byte */
    memcpy(changed, msg, sizeof(msg));
    changed[5] ^= 1;
    assert_int_equal(
        fmt_sign_verify(ap, changed, strlen(changed), sig.data, sig.len, "manifest.json", &err),
        -1);
    assert_int_equal(err.code, CS_ERR_CHECKSUM);
    assert_non_null(strstr(err.msg, "changed after it was signed"));
    /* signed by b, verified with a */
    assert_int_equal(fmt_sign_data(b, msg, strlen(msg), &sig_b, &err), 0);
    assert_int_equal(
        fmt_sign_verify(ap, msg, strlen(msg), sig_b.data, sig_b.len, "manifest.json", &err), -1);
    assert_non_null(strstr(err.msg, "signed with another key"));
    /* a public key cannot sign; garbled signature files */
    assert_int_equal(fmt_sign_data(ap, msg, strlen(msg), &sig, &err), -1);
    assert_int_equal(fmt_sign_verify(ap, msg, strlen(msg), "{}", 2, "manifest.sig", &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    /* the wrong kind of key file */
    assert_null(fmt_sign_key_load_public(a_priv, &err));
    assert_non_null(strstr(err.msg, "not an Ed25519 public key"));
    assert_null(fmt_sign_key_load_private("/nonexistent/key.pem", &err));

    fmt_sign_key_free(a);
    fmt_sign_key_free(ap);
    fmt_sign_key_free(b);
    fmt_sign_key_free(bp);
    cs_buf_release(&sig);
    cs_buf_release(&sig_b);
    unlink(a_priv);
    unlink(a_pub);
    unlink(b_priv);
    unlink(b_pub);
    rmdir(dir);
}

/* Signature file names, and what a chunk description's signature covers. */
static void test_sig_names(void **state)
{
    struct cs_buf b = CS_BUF_INIT;
    char *n;

    (void)state;
    n = fmt_sign_name("manifest.json");
    assert_string_equal(n, FMT_SIGN_FILE);
    free(n);
    n = fmt_sign_name("db.t.00000.000.tsv.zst.meta.json");
    assert_string_equal(n, "db.t.00000.000.tsv.zst.meta.sig");
    free(n);
    n = fmt_sign_name("plain");
    assert_string_equal(n, "plain.sig");
    free(n);
    fmt_sign_meta_data(&b, "0123", "{}");
    assert_string_equal(b.data, "csdump chunk meta\n0123\n{}");
    cs_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_sign_verify),
                                       cmocka_unit_test(test_sig_names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
