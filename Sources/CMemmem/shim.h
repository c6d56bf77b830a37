// glibc's memmem (SIMD-accelerated two-way search) for the byte scanners. It is a GNU
// extension, so Swift's Glibc module, built without _GNU_SOURCE, does not declare it.
#ifndef PREFLIGHT_CMEMMEM_SHIM_H
#define PREFLIGHT_CMEMMEM_SHIM_H
#include <stddef.h>

void *memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

static inline const void *preflight_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}
#endif
