/* Test helpers: data locations and file reading. */
#include "testutil.h"

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
