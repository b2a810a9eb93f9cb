/*
 * Edits: a fix is a set of changes over the original bytes of a source.
 *
 * An edit replaces bytes [start, end) with text (an insertion has start ==
 * end, a deletion an empty text). Applying a set copies every byte outside
 * the edits verbatim, so what no edit touches stays identical by
 * construction. Edits belong to groups (one group = the fix of one
 * finding); when two groups overlap, the one of the later rule in the rule
 * table (then the later group) is dropped whole and reported as deferred:
 * the next fix pass sees the new text and tries again.
 */
#ifndef DRYDOCK_EDIT_H
#define DRYDOCK_EDIT_H

#include "drydock/buf.h"
#include "drydock/common.h"
#include "drydock/source.h"

typedef struct {
	uint32_t start, end;   /* byte offsets into the source */
	char *text;            /* owned; NUL-terminated */
	size_t len;
	unsigned rule;         /* the rule's position in the table: lower wins overlaps */
	unsigned group;        /* edits of one finding's fix */
	size_t seq;            /* insertion order, for equal positions */
} dd_edit;

typedef struct {
	dd_edit *v;
	size_t n, cap;
} dd_editset;

/* Add a copy of text[0, len) as an edit. */
void dd_editset_add(dd_editset *set, uint32_t start, uint32_t end, const char *text, size_t len,
    unsigned rule, unsigned group);

void dd_editset_free(dd_editset *set);

/*
 * Apply set to src, writing the result to out. Edits are sorted by
 * (start, end, rule, seq); a group that overlaps an earlier-kept group is
 * dropped whole and its number appended to *deferred (may be NULL; the
 * caller frees ->v). Insertions at the same offset are kept in order.
 * Fails with DD_ERROR (an internal error: a fixer's bug) when an edit is
 * out of bounds, or splits a CR LF pair or a UTF-8 sequence. On success
 * set->v holds only the kept edits, sorted.
 */
typedef struct {
	unsigned *v;
	size_t n, cap;
} dd_grouplist;

int dd_editset_apply(dd_editset *set, const dd_source *src, dd_buf *out, dd_grouplist *deferred);

#endif
