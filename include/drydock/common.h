/* Shared vocabulary of drydock: status codes, spans, small helpers. */
#ifndef DRYDOCK_COMMON_H
#define DRYDOCK_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Status codes: 0 is success; every failure is negative. */
enum {
	DD_OK = 0,
	DD_ERROR = -1,     /* anything not listed below */
	DD_ENOTFOUND = -2, /* a file, rule, stage or key that does not exist */
	DD_EPARSE = -3,    /* the Dockerfile (or other input) is malformed */
	DD_EIO = -4,       /* reading or writing failed */
	DD_EUSAGE = -5,    /* bad command line */
	DD_EGIT = -6,      /* libgit2 failed */
	DD_EENGINE = -7    /* a container engine failed or is missing */
};

/*
 * A region of a source file. Offsets are bytes from the start of the file
 * (the BOM, if any, included); lines and columns are 1-based, columns count
 * bytes. end/end_line/end_col point just past the last byte.
 */
typedef struct {
	uint32_t start, end;
	uint32_t line, col;
	uint32_t end_line, end_col;
} dd_span;

/* A borrowed byte string; not necessarily NUL-terminated unless stated. */
typedef struct {
	const char *ptr;
	size_t len;
} dd_str;

#define DD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
