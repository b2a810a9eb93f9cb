/* Helpers shared by the unit tests: locating test data, reading files. */
#ifndef DD_TESTUTIL_H
#define DD_TESTUTIL_H

#include <stddef.h>

#include "drydock/fix.h"

/* $DD_CORPUS (set by the Makefile: ../shared/corpus) joined with rel. Caller frees. */
char *tu_corpus_path(const char *rel);
/* $DD_SRCDIR (the project root) joined with rel. Caller frees. */
char *tu_src_path(const char *rel);
/* Whole file as a NUL-terminated malloc'd buffer, or NULL; *len gets the size. */
char *tu_read_file(const char *path, size_t *len);

/* The saved names of ../shared/corpus/realworld (MANIFEST.tsv's first column). */
char **tu_realworld_names(size_t *n);
void tu_free_names(char **names, size_t n);

/*
 * Check (ck_assert) that every pass of a fix copied the bytes outside its
 * edits unchanged and that its edits explain the whole output.
 */
void tu_check_fix_edits(const char *name, const dd_fix_result *r);

#endif
