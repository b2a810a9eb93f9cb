/* Edit sets over a source's bytes: sort, drop overlapping groups, apply. */
#include "drydock/edit.h"
#include "drydock/alloc.h"
#include "drydock/error.h"

#include <stdlib.h>
#include <string.h>

void
dd_editset_add(dd_editset *set, uint32_t start, uint32_t end, const char *text, size_t len,
    unsigned rule, unsigned group)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = dd_xreallocarray(set->v, set->cap, sizeof(*set->v));
	}
	dd_edit *e = &set->v[set->n];
	e->start = start;
	e->end = end;
	e->text = dd_xstrndup(text ? text : "", len);
	e->len = len;
	e->rule = rule;
	e->group = group;
	e->seq = set->n;
	set->n++;
}

void
dd_editset_free(dd_editset *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i].text);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

static int
by_position(const void *pa, const void *pb)
{
	const dd_edit *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Does a lie inside a UTF-8 sequence, or between the CR and LF of a line end? */
static bool
splits(const dd_source *src, uint32_t at)
{
	if (at == 0 || at >= src->len)
		return false;
	unsigned char c = (unsigned char)src->data[at];
	if ((c & 0xC0) == 0x80)
		return true;
	return src->data[at - 1] == '\r' && c == '\n';
}

/* Do two edits touch the same bytes? Insertions may sit at a range's ends. */
static bool
overlap(const dd_edit *a, const dd_edit *b)
{
	if (a->start == a->end && b->start == b->end)
		return false; /* two insertions: both kept, in order */
	if (a->start == a->end)
		return a->start > b->start && a->start < b->end;
	if (b->start == b->end)
		return b->start > a->start && b->start < a->end;
	return a->start < b->end && b->start < a->end;
}

static bool
in_list(const dd_grouplist *l, unsigned g)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == g)
			return true;
	return false;
}

static void
list_add(dd_grouplist *l, unsigned g)
{
	if (in_list(l, g))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = dd_xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = g;
}

/* The rule of a group (all its edits share one). */
static unsigned
group_rule(const dd_editset *set, unsigned g)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].group == g)
			return set->v[i].rule;
	return 0;
}

int
dd_editset_apply(dd_editset *set, const dd_source *src, dd_buf *out, dd_grouplist *deferred)
{
	for (size_t i = 0; i < set->n; i++) {
		const dd_edit *e = &set->v[i];
		if (e->start > e->end || e->end > src->len)
			return dd_error_set(DD_ERROR, "internal error: an edit [%u, %u) is outside the file",
			    e->start, e->end);
		if (splits(src, e->start) || splits(src, e->end))
			return dd_error_set(DD_ERROR,
			    "internal error: an edit at byte %u splits a character or a line ending", e->start);
	}
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), by_position);

	/*
	 * Drop groups that overlap a group of an earlier rule (or an earlier
	 * group of the same rule): quadratic in the edits, which are few.
	 */
	dd_grouplist dropped = { NULL, 0, 0 };
	for (size_t i = 0; i < set->n; i++) {
		for (size_t j = i + 1; j < set->n && set->v[j].start <= set->v[i].end; j++) {
			const dd_edit *a = &set->v[i], *b = &set->v[j];
			if (a->group == b->group || !overlap(a, b) || in_list(&dropped, a->group) ||
			    in_list(&dropped, b->group))
				continue;
			unsigned ra = group_rule(set, a->group), rb = group_rule(set, b->group);
			unsigned lose = ra != rb ? (ra > rb ? a->group : b->group)
			                         : (a->group > b->group ? a->group : b->group);
			list_add(&dropped, lose);
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < set->n; i++) {
		if (in_list(&dropped, set->v[i].group)) {
			free(set->v[i].text);
			continue;
		}
		set->v[k++] = set->v[i];
	}
	set->n = k;
	if (deferred)
		for (size_t i = 0; i < dropped.n; i++)
			list_add(deferred, dropped.v[i]);
	free(dropped.v);

	/* the gaps between edits are copied as they are */
	uint32_t at = 0;
	for (size_t i = 0; i < set->n; i++) {
		const dd_edit *e = &set->v[i];
		if (e->start < at)
			return dd_error_set(DD_ERROR, "internal error: overlapping edits at byte %u", e->start);
		dd_buf_put(out, src->data + at, e->start - at);
		dd_buf_put(out, e->text, e->len);
		at = e->end;
	}
	dd_buf_put(out, src->data + at, src->len - at);
	if (!out->ptr)
		dd_buf_put(out, "", 0);
	return DD_OK;
}
