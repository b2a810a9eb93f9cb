/* dd_source: the bytes of one Dockerfile, checked and indexed by line. */
#ifndef DRYDOCK_SOURCE_H
#define DRYDOCK_SOURCE_H

#include "drydock/common.h"

/* BuildKit reads lines with a 64 KiB buffer: longer lines fail the parse. */
#define DD_MAX_LINE 65535
/* A Dockerfile larger than this is refused (the parser's memory grows with the file). */
#define DD_MAX_FILE (64u << 20)

typedef struct dd_source {
	char *path;        /* as given ("-" for standard input), owned */
	char *data;        /* the bytes, NUL-terminated, owned */
	size_t len;
	uint32_t *lines;   /* byte offset of the start of each line, owned */
	uint32_t nlines;
	bool bom;          /* starts with a UTF-8 byte-order mark */
	bool crlf;         /* at least one line ends with CR LF */
} dd_source;

/*
 * Read path ("-" = standard input) into *out. Fails with DD_EIO (missing,
 * unreadable, a folder) or DD_EPARSE (NUL byte, invalid UTF-8, a line over
 * DD_MAX_LINE bytes, over DD_MAX_FILE); the error slot then holds
 * "path:line:col: message". Free with dd_source_free.
 */
int dd_source_read(dd_source **out, const char *path);

/* Wrap bytes that are already in memory (copied). Same checks. */
int dd_source_from_bytes(dd_source **out, const char *path, const char *data, size_t len);

void dd_source_free(dd_source *src);

/* 1-based line and byte column of a byte offset. */
void dd_source_position(const dd_source *src, uint32_t offset, uint32_t *line, uint32_t *col);

/* A span of bytes [start, end) with its line/column fields filled in. */
dd_span dd_source_span(const dd_source *src, uint32_t start, uint32_t end);

/* Start and length of line n (1-based), without its line ending. */
void dd_source_line(const dd_source *src, uint32_t n, const char **text, size_t *len);

/*
 * Set the error slot to "path:line:col: message" for the byte at offset
 * and return code. The slot also keeps the position for a caret display.
 */
int dd_source_error(const dd_source *src, uint32_t offset, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
