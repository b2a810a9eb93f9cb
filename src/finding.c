/* Findings: severity names, sorting, freeing. */
#include "drydock/finding.h"
#include "drydock/rule.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const names[] = { NULL, "info", "warning", "error" };

const char *
dd_severity_name(dd_severity s)
{
	return s >= DD_SEV_INFO && s <= DD_SEV_ERROR ? names[s] : "none";
}

int
dd_severity_parse(const char *name)
{
	for (int s = DD_SEV_INFO; s <= DD_SEV_ERROR; s++)
		if (strcasecmp(name, names[s]) == 0)
			return s;
	if (strcasecmp(name, "none") == 0)
		return DD_SEV_ERROR + 1;
	if (strcasecmp(name, "style") == 0)
		return DD_SEV_INFO;
	return -1;
}

void
dd_findings_free(dd_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].message);
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

static int
cmp(const void *x, const void *y)
{
	const dd_finding *a = x, *b = y;
	if (a->span.line != b->span.line)
		return a->span.line < b->span.line ? -1 : 1;
	if (a->span.col != b->span.col)
		return a->span.col < b->span.col ? -1 : 1;
	if (a->rule->id != b->rule->id)
		return a->rule->id < b->rule->id ? -1 : 1;
	return strcmp(a->message, b->message);
}

void
dd_findings_sort(dd_findings *f)
{
	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), cmp);
}
