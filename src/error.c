/* The error slot: a thread-local one-line message and its status code. */
#include "drydock/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char slot[1024];
static _Thread_local int slot_code;
static _Thread_local char ctx_line[512];
static _Thread_local size_t ctx_len;
static _Thread_local uint32_t ctx_col;
static _Thread_local bool ctx_set;

int
dd_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(slot, sizeof(slot), fmt, ap);
	va_end(ap);
	slot_code = code;
	ctx_set = false;
	return code;
}

const char *
dd_error_last(void)
{
	return slot;
}

int
dd_error_code(void)
{
	return slot_code;
}

void
dd_error_clear(void)
{
	slot[0] = '\0';
	slot_code = DD_OK;
	ctx_set = false;
}

void
dd_error_set_context(const char *line, size_t len, uint32_t col)
{
	/* keep the part of a long line around the column */
	size_t from = 0;
	if (len > sizeof(ctx_line) && col > sizeof(ctx_line) / 2)
		from = col - sizeof(ctx_line) / 2;
	if (from > len)
		from = len;
	size_t n = len - from < sizeof(ctx_line) ? len - from : sizeof(ctx_line);
	memcpy(ctx_line, line + from, n);
	ctx_len = n;
	ctx_col = col - (uint32_t)from;
	ctx_set = true;
}

bool
dd_error_context(const char **line, size_t *len, uint32_t *col)
{
	if (!ctx_set)
		return false;
	*line = ctx_line;
	*len = ctx_len;
	*col = ctx_col;
	return true;
}
