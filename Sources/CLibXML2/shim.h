// libxml2's HTML parser: a real parser for script tags, meta robots and inline config.
#ifndef PREFLIGHT_CLIBXML2_SHIM_H
#define PREFLIGHT_CLIBXML2_SHIM_H
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#endif
