// libcurl's setopt/getinfo are variadic, which Swift cannot call: one typed wrapper per
// argument kind. CURLVERSION_NOW is a macro alias Swift does not import either.
#ifndef PREFLIGHT_CCURL_SHIM_H
#define PREFLIGHT_CCURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*preflight_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode preflight_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode preflight_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode preflight_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode preflight_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode preflight_easy_setopt_callback(CURL *handle, CURLoption option, preflight_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode preflight_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode preflight_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode preflight_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode preflight_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode preflight_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode preflight_easy_getinfo_certinfo(CURL *handle, struct curl_certinfo **value) {
    return curl_easy_getinfo(handle, CURLINFO_CERTINFO, value);
}

static inline CURLMcode preflight_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

static inline curl_version_info_data *preflight_curl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}
#endif
