// Byte search for the scanners. glibc's memmem is a GNU extension that Swift's Glibc module,
// built without _GNU_SOURCE, does not declare; the anchor finder is one SSE2 pass for all of
// ClerkStringScanner's anchors at once, instead of one memmem pass per anchor.
#ifndef PREFLIGHT_CMEMMEM_SHIM_H
#define PREFLIGHT_CMEMMEM_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void *memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

static inline const void *preflight_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}

// The anchors, in the order of their ids: every key starts "pk_"/"sk_" then "test_"/"live_";
// every development suffix contains ".dev" or "lclclerk.com".
enum { PREFLIGHT_ANCHOR_KEY_TEST = 0, PREFLIGHT_ANCHOR_KEY_LIVE = 1, PREFLIGHT_ANCHOR_DEV = 2, PREFLIGHT_ANCHOR_LCLCLERK = 3 };

static inline int preflight_anchor_at(const unsigned char *p, size_t i, size_t n) {
    size_t left = n - i;
    if (p[i] == 'k' && left >= 7 && memcmp(p + i, "k_test_", 7) == 0) return PREFLIGHT_ANCHOR_KEY_TEST;
    if (p[i] == 'k' && left >= 7 && memcmp(p + i, "k_live_", 7) == 0) return PREFLIGHT_ANCHOR_KEY_LIVE;
    if (p[i] == '.' && left >= 4 && memcmp(p + i, ".dev", 4) == 0) return PREFLIGHT_ANCHOR_DEV;
    if (p[i] == 'l' && left >= 12 && memcmp(p + i, "lclclerk.com", 12) == 0) return PREFLIGHT_ANCHOR_LCLCLERK;
    return -1;
}

// Finds the anchors in p[start..<n], in order. Writes (offset << 2 | anchor id) to out, at most
// capacity of them, and returns how many it wrote; *resume is where to search on from (n when
// the end was reached). Each 16-byte block is filtered by three bytes per anchor at fixed
// offsets (k?????_ / k_, .d?v, l??????k.) before any candidate is compared in full.
static inline size_t preflight_find_anchors(const unsigned char *p, size_t n, size_t start, uint64_t *out, size_t capacity, size_t *resume) {
    size_t count = 0;
    size_t i = start;
#if defined(__SSE2__)
    const __m128i k = _mm_set1_epi8('k'), underscore = _mm_set1_epi8('_'), dot = _mm_set1_epi8('.');
    const __m128i d = _mm_set1_epi8('d'), v = _mm_set1_epi8('v'), l = _mm_set1_epi8('l');
    // The widest look-ahead is 8 bytes (the '.' of "lclclerk.com"); keep the loads in bounds.
    while (i + 16 + 8 <= n) {
        __m128i b0 = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i b1 = _mm_loadu_si128((const __m128i *)(p + i + 1));
        __m128i b3 = _mm_loadu_si128((const __m128i *)(p + i + 3));
        __m128i b6 = _mm_loadu_si128((const __m128i *)(p + i + 6));
        __m128i b7 = _mm_loadu_si128((const __m128i *)(p + i + 7));
        __m128i b8 = _mm_loadu_si128((const __m128i *)(p + i + 8));
        __m128i keys = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(b0, k), _mm_cmpeq_epi8(b1, underscore)), _mm_cmpeq_epi8(b6, underscore));
        __m128i dev = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(b0, dot), _mm_cmpeq_epi8(b1, d)), _mm_cmpeq_epi8(b3, v));
        __m128i lcl = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(b0, l), _mm_cmpeq_epi8(b7, k)), _mm_cmpeq_epi8(b8, dot));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(keys, dev), lcl));
        while (mask) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            mask &= mask - 1;
            int anchor = preflight_anchor_at(p, at, n);
            if (anchor >= 0) {
                if (count == capacity) { *resume = at; return count; }
                out[count++] = ((uint64_t)at << 2) | (uint64_t)anchor;
            }
        }
        i += 16;
    }
#endif
    for (; i < n; i++) {
        int anchor = preflight_anchor_at(p, i, n);
        if (anchor >= 0) {
            if (count == capacity) { *resume = i; return count; }
            out[count++] = ((uint64_t)i << 2) | (uint64_t)anchor;
        }
    }
    *resume = n;
    return count;
}
#endif
