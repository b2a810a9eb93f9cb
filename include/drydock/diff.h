/* Unified diffs of two texts, line by line (Myers' algorithm). */
#ifndef DRYDOCK_DIFF_H
#define DRYDOCK_DIFF_H

#include "drydock/buf.h"

/*
 * Append to out the unified diff (3 lines of context) that turns a into b,
 * with "--- a_name" / "+++ b_name" headers; nothing when they are equal.
 * Lines keep their own line endings; a last line without one is followed
 * by "\ No newline at end of file" as diff(1) writes it.
 */
void dd_diff_unified(dd_buf *out, const char *a_name, const char *a, size_t alen, const char *b_name,
    const char *b, size_t blen);

#endif
