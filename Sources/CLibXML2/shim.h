// libxml2's HTML parser: a real parser for script tags, meta robots and inline config.
#ifndef PREFLIGHT_CLIBXML2_SHIM_H
#define PREFLIGHT_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its headers then include the system's ICU, which
// clashes with the copy inside Foundation. Nothing here touches the ICU-dependent fields
// (xmlCharEncodingHandler's converters), so the headers are read without them.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

// xmlFree is a global function-pointer variable, which Swift 6 treats as shared mutable state.
static inline void preflight_xml_free(void *pointer) { xmlFree(pointer); }
#endif
