/* Joining physical lines into BuildKit's logical lines, with a map back to the source. */
#include "logical.h"

#include "df_lex.h"

#include <string.h>

bool
dd_line_continues(const char *s, size_t len, uint32_t escape, size_t *keep)
{
	/* BuildKit: ([^E])E[ \t]*$ or ^E[ \t]*$ on the line without CR/LF */
	size_t k = len;
	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
		k--;
	if (k == 0 || (unsigned char)s[k - 1] != escape)
		return false;
	if (k >= 2 && (unsigned char)s[k - 2] == escape)
		return false;
	*keep = k - 1;
	return true;
}

/* Length of a line without the trailing run of CR and LF bytes. */
static size_t
trim_newline(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	return len;
}

typedef struct {
	dd_segment *segs;
	size_t nsegs, cap;
	char *text;
	size_t len, tcap;
} builder;

static void
append(builder *b, const dd_source *src, uint32_t at, size_t n)
{
	if (n == 0)
		return;
	if (b->nsegs == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->segs = dd_xreallocarray(b->segs, b->cap, sizeof(*b->segs));
	}
	if (b->len + n + 1 > b->tcap) {
		while (b->len + n + 1 > b->tcap)
			b->tcap = b->tcap ? b->tcap * 2 : 256;
		b->text = dd_xrealloc(b->text, b->tcap);
	}
	b->segs[b->nsegs++] = (dd_segment){ (uint32_t)b->len, at, (uint32_t)n };
	memcpy(b->text + b->len, src->data + at, n);
	b->len += n;
}

/* End of the physical line starting at p: offset of its LF or of the end. */
static uint32_t
line_end(const dd_source *src, uint32_t p, uint32_t limit)
{
	const char *nl = memchr(src->data + p, '\n', limit - p);
	return nl ? (uint32_t)(nl - src->data) : limit;
}

void
dd_logical_read(dd_logical *out, const dd_source *src, uint32_t start, uint32_t limit,
    uint32_t escape, dd_arena *arena)
{
	builder b = {0};
	uint32_t *comments = NULL;
	size_t ncomments = 0, ccap = 0;
	uint32_t line, col;
	memset(out, 0, sizeof(*out));
	dd_source_position(src, start, &line, &col);
	out->first_line = line;

	uint32_t p = start, e = line_end(src, p, limit);
	size_t keep, n = trim_newline(src->data + p, e - p);
	bool more = dd_line_continues(src->data + p, n, escape, &keep);
	append(&b, src, p, more ? keep : n);
	uint32_t esc = p + (uint32_t)keep, esc_end = p + (uint32_t)n;
	p = e < limit ? e + 1 : e;
	while (more && p < limit) {
		e = line_end(src, p, limit);
		n = trim_newline(src->data + p, e - p);
		line++;
		size_t ws = df_space_prefix(src->data + p, n);
		if (ws < n && src->data[p + ws] == '#') {
			if (ncomments == ccap) {
				ccap = ccap ? ccap * 2 : 4;
				comments = dd_xreallocarray(comments, ccap, sizeof(*comments));
			}
			comments[ncomments++] = p + (uint32_t)ws;
		} else if (ws == n) {
			out->empty_continuation = true;
		} else {
			more = dd_line_continues(src->data + p, n, escape, &keep);
			append(&b, src, p, more ? keep : n);
			esc = p + (uint32_t)keep;
			esc_end = p + (uint32_t)n;
		}
		p = e < limit ? e + 1 : e;
	}
	out->last_line = line;
	out->end = p;
	if (more) {
		out->open = true;
		out->open_escape = esc;
		out->open_escape_end = esc_end;
	}
	out->text = dd_arena_strndup(arena, b.text ? b.text : "", b.len);
	out->len = b.len;
	out->nsegs = b.nsegs;
	out->segs = dd_arena_alloc(arena, (b.nsegs ? b.nsegs : 1) * sizeof(*out->segs));
	if (b.nsegs)
		memcpy(out->segs, b.segs, b.nsegs * sizeof(*b.segs));
	out->ncomments = ncomments;
	out->comments = dd_arena_alloc(arena, (ncomments ? ncomments : 1) * sizeof(*comments));
	if (ncomments)
		memcpy(out->comments, comments, ncomments * sizeof(*comments));
	free(b.segs);
	free(b.text);
	free(comments);
}

uint32_t
dd_logical_source(const dd_logical *l, size_t off)
{
	if (l->nsegs == 0)
		return l->end;
	size_t lo = 0, hi = l->nsegs;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->segs[mid].log <= off)
			lo = mid;
		else
			hi = mid;
	}
	const dd_segment *s = &l->segs[lo];
	if (off > s->log + s->len)
		off = s->log + s->len;
	return s->src + (uint32_t)(off - s->log);
}

dd_span
dd_logical_span(const dd_logical *l, const dd_source *src, size_t a, size_t b)
{
	uint32_t sa = dd_logical_source(l, a);
	/* the end maps from the last byte, so a span never ends on the next line */
	uint32_t sb = b > a ? dd_logical_source(l, b - 1) + 1 : sa;
	return dd_source_span(src, sa, sb);
}
