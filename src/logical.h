/* Logical lines: physical lines joined at continuations exactly as BuildKit joins them. */
#ifndef DD_LOGICAL_H
#define DD_LOGICAL_H

#include "drydock/common.h"
#include "drydock/alloc.h"
#include "drydock/source.h"

/* A run of logical bytes copied from the source. */
typedef struct {
	uint32_t log, src, len;
} dd_segment;

typedef struct dd_logical {
	char *text;             /* in the arena, NUL-terminated */
	size_t len;
	dd_segment *segs;       /* in the arena */
	size_t nsegs;
	uint32_t first_line;    /* physical lines read, 1-based */
	uint32_t last_line;
	uint32_t end;           /* source offset after the last line read */
	bool empty_continuation;
	uint32_t *comments;     /* source offsets of the comment lines dropped inside */
	size_t ncomments;
	/*
	 * The last line read was still continued when the input ended: its
	 * escape and the blanks after it are source bytes [open_escape,
	 * open_escape_end). A line added after it would join the instruction.
	 */
	bool open;
	uint32_t open_escape, open_escape_end;
} dd_logical;

/*
 * Read the logical line that starts at source offset start (the first
 * non-blank byte of its first line), stopping at limit. escape is '\\' or '`'.
 */
void dd_logical_read(dd_logical *out, const dd_source *src, uint32_t start, uint32_t limit,
    uint32_t escape, dd_arena *arena);

/* Source offset of logical offset off (off == len maps past the last byte). */
uint32_t dd_logical_source(const dd_logical *l, size_t off);

/* The source span of logical bytes [a, b). */
dd_span dd_logical_span(const dd_logical *l, const dd_source *src, size_t a, size_t b);

/* Is the physical line (without its LF) continued? Sets *keep to its length without the escape. */
bool dd_line_continues(const char *s, size_t len, uint32_t escape, size_t *keep);

#endif
