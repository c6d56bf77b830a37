// libgit2: what a repository tracks (the index), what it ignores, and every blob of its
// history, read without spawning git.
#ifndef PREFLIGHT_CGIT2_SHIM_H
#define PREFLIGHT_CGIT2_SHIM_H
#include <git2.h>

// GIT_OID_HEXSZ and the sort flags are macros and enums Swift sees awkwardly; name them once.
static const int preflight_git_sort_oldest_first = GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE;
#endif
