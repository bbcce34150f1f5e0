/*
 * trust.h - signed and encrypted dumps on the load side (format/sign.h,
 * format/seal.h).
 *
 * load_input_trust_new() wraps any input (a directory, an archive's spool)
 * so that its manifest is read once as bytes, verified against manifest.sig
 * with the --verify-key public key when one is given, and parsed from those
 * same bytes: what is loaded is what was verified.  A verified manifest must
 * list a SHA-256 for every file and chunk (the checks compare it, see
 * load/check.h); a dump that is not signed, signed with another key, or
 * changed after signing is refused naming the file.  Without a key, a signed
 * dump loads with a warning that it was not verified.  Everything else
 * passes through to the wrapped input.  Thread-safety: the wrapped input's.
 */
#ifndef LOAD_TRUST_H
#define LOAD_TRUST_H

#include <stddef.h>

#include "common/error.h"
#include "common/log.h"
#include "format/manifest.h"
#include "format/seal.h"
#include "format/sign.h"
#include "load/input.h"

struct load_trust {
    const struct fmt_sign_key *verify; /* --verify-key; NULL: not asked */
    const struct cs_log *log;          /* for the "signed, not verified" warning */
    const struct fmt_seal_key *seal;   /* --encrypt-key; NULL: not encrypted */
};

/* IN (owned) wrapped; T is copied.  NULL on allocation failure (IN freed). */
struct load_input *load_input_trust_new(struct load_input *in, const struct load_trust *t,
                                        struct cs_error *err);

/* Encrypted dumps (T->seal): every file is stored sealed under an opaque
 * name (format/seal.h); the wrapper opens FILE as its stored name through
 * an unsealing source, gives sizes of the plain bytes, lists stored names
 * by the plain names it has learnt (from each manifest it reads, or told by
 * load_input_trust_learn*: a stream's catalog and chunk descriptions) and
 * refuses an encrypted dump without a key, or a key for one that is not,
 * saying which option to give.  These helpers take any input (a wrapper
 * without a seal key, or another input: names unchanged). */
int load_input_trust_sealed(struct load_input *in);
/* The name PLAIN is stored under (malloc'd; NULL without memory). */
char *load_input_trust_stored(struct load_input *in, const char *plain);
/* The plain name of STORED (lent), NULL when not learnt. */
const char *load_input_trust_plain(struct load_input *in, const char *stored);
int load_input_trust_learn_name(struct load_input *in, const char *plain, struct cs_error *err);
/* Every name M accounts for (files, chunks, their descriptions and
 * signatures, the fixed names). */
int load_input_trust_learn(struct load_input *in, const struct fmt_manifest *m,
                           struct cs_error *err);

/* FILE of IN, at most MAX bytes, into *TEXT (malloc'd, NUL-terminated). */
int load_trust_read_all(struct load_input *in, const char *file, size_t max, char **text,
                        size_t *len, struct cs_error *err);
/* TEXT (LEN bytes), the content of FILE, against SIG (SIG_LEN bytes, the text
 * of FILE's signature file) with K; NULL SIG: the dump is not signed.  The
 * errors name FILE in WHERE and say what to do. */
int load_trust_verify(const struct fmt_sign_key *k, const char *where, const char *file,
                      const char *text, size_t len, const char *sig, size_t sig_len,
                      struct cs_error *err);
/* Every file and chunk of M (read from WHERE) lists a SHA-256. */
int load_trust_covered(const struct fmt_manifest *m, const char *where, struct cs_error *err);

#endif
