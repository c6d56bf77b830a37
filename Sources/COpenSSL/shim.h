// OpenSSL's libcrypto (libssl-dev): HMAC-SHA256 and random bytes for the keyed digests an
// evidence recording keeps beside each masked secret.
#ifndef PREFLIGHT_COPENSSL_SHIM_H
#define PREFLIGHT_COPENSSL_SHIM_H
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

// HMAC-SHA256 of `data` under `key` into `out` (32 bytes); 1 on success.
static inline int preflight_hmac_sha256(const void *key, int key_length, const unsigned char *data, size_t data_length, unsigned char *out) {
    unsigned int length = 0;
    return HMAC(EVP_sha256(), key, key_length, data, data_length, out, &length) != NULL && length == 32;
}
#endif
