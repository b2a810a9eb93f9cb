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
