/* The error slot: one message per thread, set where a failure happens. */
#ifndef DRYDOCK_ERROR_H
#define DRYDOCK_ERROR_H

#include "drydock/common.h"

/* Store a one-line message and return code, so a failure is one `return`. */
int dd_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The last message of this thread ("" when none). Borrowed. */
const char *dd_error_last(void);
/* The code passed with the last message (DD_OK when none). */
int dd_error_code(void);
void dd_error_clear(void);

/*
 * The source line an error points at, for a caret display: set by
 * dd_source_error after dd_error_set. col is a 1-based byte column.
 * dd_error_context returns false when the last error has no position.
 */
void dd_error_set_context(const char *line, size_t len, uint32_t col);
bool dd_error_context(const char **line, size_t *len, uint32_t *col);

#endif
