/*
 * bad_manifest_field.c - the manifest's typed field descriptors refuse, at
 * compile time, a field described with the wrong type (format/manifest_int.h).
 *
 * Not a test program: ctest compiles it (-fsyntax-only) as
 * unit/manifest_field_types/good, which must compile, and once per BAD_FIELD
 * case as unit/manifest_field_types/N, which must fail with the static
 * assertion quoted beside each case (tests/CMakeLists.txt).
 */
#include "format/manifest_int.h"

static const struct fmt_mf_field fields[] = {
#if !defined(BAD_FIELD)
    MF_FILE("file", struct fmt_chunk, file),
    MF_U64("rows", struct fmt_chunk, rows),
    MF_U32("index", struct fmt_chunk, index),
    MF_HEX("checksum", struct fmt_chunk, checksum, 16),
    MF_ENUM("kind", struct fmt_object, kind, enum fmt_object_kind, NULL, 1),
    MF_BOOL("present", struct fmt_coords, present),
#elif BAD_FIELD == 1 /* a char * as a u64: "manifest field file is not uint64_t" */
    MF_U64("file", struct fmt_chunk, file),
#elif BAD_FIELD == 2 /* a u32 as a u64: "manifest field index is not uint64_t" */
    MF_U64("index", struct fmt_chunk, index),
#elif BAD_FIELD == 3 /* a u64 as a string: "manifest field rows is not char *" */
    MF_STR("rows", struct fmt_chunk, rows),
#elif BAD_FIELD == 4 /* char[17] as 32 digits: "manifest field checksum is not char[32 + 1]" */
    MF_HEX("checksum", struct fmt_chunk, checksum, 32),
#elif BAD_FIELD == 5 /* an int as an enum: "manifest field present is not enum fmt_object_kind" */
    MF_ENUM("present", struct fmt_coords, present, enum fmt_object_kind, NULL, 1),
#elif BAD_FIELD == 6 /* an enum as an int: "manifest field kind is not int" */
    MF_INT("kind", struct fmt_object, kind),
#endif
};

const void *fmt_mf_test_fields(void);
const void *fmt_mf_test_fields(void)
{
    return fields;
}
