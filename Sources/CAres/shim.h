// c-ares for queries, glibc's libresolv (ns_initparse, ns_parserr) to read raw answers.
// The ARES_GETSOCK_* macros are not importable; these inline functions stand in for them.
#ifndef PREFLIGHT_CARES_SHIM_H
#define PREFLIGHT_CARES_SHIM_H
#include <ares.h>
#include <arpa/nameser.h>
#include <resolv.h>
#include <netinet/in.h>

static inline int preflight_ares_readable(int bits, int index) { return ARES_GETSOCK_READABLE(bits, index) ? 1 : 0; }
static inline int preflight_ares_writable(int bits, int index) { return ARES_GETSOCK_WRITABLE(bits, index) ? 1 : 0; }
static inline int preflight_ares_getsock_max(void) { return ARES_GETSOCK_MAXNUM; }
static inline ares_socket_t preflight_ares_socket_bad(void) { return ARES_SOCKET_BAD; }

// ns_rr accessors are macros.
static inline const char *preflight_ns_rr_name(const ns_rr *rr) { return ns_rr_name(*rr); }
static inline int preflight_ns_rr_type(const ns_rr *rr) { return ns_rr_type(*rr); }
static inline unsigned int preflight_ns_rr_ttl(const ns_rr *rr) { return ns_rr_ttl(*rr); }
static inline int preflight_ns_rr_rdlen(const ns_rr *rr) { return ns_rr_rdlen(*rr); }
static inline const unsigned char *preflight_ns_rr_rdata(const ns_rr *rr) { return ns_rr_rdata(*rr); }
static inline int preflight_ns_msg_rcode(const ns_msg *msg) { return ns_msg_getflag(*msg, ns_f_rcode); }
static inline int preflight_ns_msg_count(const ns_msg *msg, ns_sect section) { return ns_msg_count(*msg, section); }
static inline const unsigned char *preflight_ns_msg_base(const ns_msg *msg) { return ns_msg_base(*msg); }
static inline const unsigned char *preflight_ns_msg_end(const ns_msg *msg) { return ns_msg_end(*msg); }
#endif
