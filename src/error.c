/* The error slot: a thread-local one-line message and its status code. */
#include "drydock/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char slot[1024];
static _Thread_local int slot_code;

int
dd_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(slot, sizeof(slot), fmt, ap);
	va_end(ap);
	slot_code = code;
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
}
