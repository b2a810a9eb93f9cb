/* Test helpers: data locations and file reading. */
#include "testutil.h"

#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
join(const char *env, const char *fallback, const char *rel)
{
	const char *base = getenv(env);
	if (!base || !*base)
		base = fallback;
	size_t n = strlen(base) + strlen(rel) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", base, rel);
	return p;
}

char *
tu_corpus_path(const char *rel)
{
	return join("DD_CORPUS", "../shared/corpus", rel);
}

char *
tu_src_path(const char *rel)
{
	return join("DD_SRCDIR", ".", rel);
}

char *
tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char **
tu_realworld_names(size_t *n)
{
	char *path = tu_corpus_path("realworld/MANIFEST.tsv");
	size_t len;
	char *text = tu_read_file(path, &len);
	free(path);
	*n = 0;
	if (!text)
		return NULL;
	char **names = calloc(len / 2 + 2, sizeof(char *));
	char *line = text, *end = text + len;
	for (int header = 1; line < end; header = 0) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		if (nl)
			*nl = '\0';
		char *tab = strchr(line, '\t');
		if (tab)
			*tab = '\0';
		if (!header && *line)
			names[(*n)++] = strdup(line);
		if (!nl)
			break;
		line = nl + 1;
	}
	free(text);
	return names;
}

void
tu_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Bytes outside the edits of each pass are the pass input's: walk the kept edits. */
void
tu_check_fix_edits(const char *name, const dd_fix_result *r)
{
	for (unsigned p = 0; p < r->npasses; p++) {
		/* the output of a pass is the next pass's input, or the result */
		bool last = p + 1 >= r->npasses;
		const char *in = r->inputs[p], *out = last ? r->output : r->inputs[p + 1];
		size_t inlen = r->input_lens[p], outlen = last ? r->len : r->input_lens[p + 1];
		const dd_editset *e = &r->edits[p];
		size_t at = 0, o = 0;
		for (size_t i = 0; i <= e->n; i++) {
			size_t end = i < e->n ? e->v[i].start : inlen;
			ck_assert_msg(end >= at && o + (end - at) <= outlen && memcmp(in + at, out + o, end - at) == 0,
			    "%s: pass %u changed bytes %zu-%zu outside its edits", name, p + 1, at, end);
			o += end - at;
			if (i < e->n) {
				ck_assert_msg(o + e->v[i].len <= outlen && memcmp(out + o, e->v[i].text, e->v[i].len) == 0,
				    "%s: pass %u: edit %zu is not in the output", name, p + 1, i);
				o += e->v[i].len;
				at = e->v[i].end;
			}
		}
		ck_assert_msg(o == outlen, "%s: pass %u: the edits explain %zu of %zu bytes", name, p + 1, o, outlen);
	}
}

