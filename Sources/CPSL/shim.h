// libpsl: the public suffix list, to tell a domain a team can own from a shared-hosting
// suffix (vercel.app, netlify.app, ...) or a registry suffix (co.uk).
#ifndef PREFLIGHT_CPSL_SHIM_H
#define PREFLIGHT_CPSL_SHIM_H
#include <libpsl.h>

// The PSL_TYPE_* macros are not imported as typed constants everywhere; name them once.
static const int preflight_psl_icann = PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE;
static const int preflight_psl_private = PSL_TYPE_PRIVATE | PSL_TYPE_NO_STAR_RULE;
#endif
