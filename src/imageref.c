/* Splitting an image reference the way Docker's reference grammar does. */
#include "imageref.h"

#include <string.h>

static bool
is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* path-component: [a-z0-9]+ joined by '.', '_', '__' or runs of '-'. */
static bool
valid_component(const char *s, size_t n)
{
	if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_lower_alnum(c) || c == '-')
			continue;
		if (c == '.' && is_lower_alnum(s[i + 1]))
			continue;
		if (c == '_' && (is_lower_alnum(s[i + 1]) || (s[i + 1] == '_' && is_lower_alnum(s[i + 2])))) {
			if (s[i + 1] == '_')
				i++;
			continue;
		}
		return false;
	}
	return true;
}

static bool
valid_tag(const char *s, size_t n)
{
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		            (c >= '0' && c <= '9') || c == '_';
		if (!word && (i == 0 || (c != '.' && c != '-')))
			return false;
	}
	return true;
}

static bool
valid_digest(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	if (!colon || colon == s)
		return false;
	size_t hex = n - (size_t)(colon + 1 - s);
	if (hex < 32)
		return false;
	for (const char *p = colon + 1; p < s + n; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
			return false;
	return true;
}

void
dd_image_ref_parse(dd_image_ref *r, const char *s, dd_arena *a)
{
	size_t n = strlen(s);
	r->text = dd_arena_strndup(a, s, n);
	r->registry = r->path = r->name = r->tag = r->digest = "";
	r->scratch = strcmp(s, "scratch") == 0;
	r->valid = false;
	if (n == 0)
		return;
	const char *at = memchr(s, '@', n);
	size_t rest = at ? (size_t)(at - s) : n;
	if (at)
		r->digest = dd_arena_strndup(a, at + 1, n - rest - 1);
	/* the tag follows the last ':' after the last '/' */
	const char *slash = NULL, *colon = NULL;
	for (const char *p = s; p < s + rest; p++) {
		if (*p == '/')
			slash = p, colon = NULL;
		else if (*p == ':')
			colon = p;
	}
	size_t name_end = colon ? (size_t)(colon - s) : rest;
	if (colon)
		r->tag = dd_arena_strndup(a, colon + 1, rest - name_end - 1);
	/* a first component with '.', ':' or "localhost" is a registry */
	const char *first = memchr(s, '/', name_end);
	size_t path_start = 0;
	if (first) {
		size_t flen = (size_t)(first - s);
		if (memchr(s, '.', flen) || memchr(s, ':', flen) ||
		    (flen == 9 && memcmp(s, "localhost", 9) == 0) ||
		    (s[0] >= 'A' && s[0] <= 'Z')) {
			r->registry = dd_arena_strndup(a, s, flen);
			path_start = flen + 1;
		}
	}
	/* Docker Hub's old and new names are one registry */
	if (!*r->registry || strcmp(r->registry, "index.docker.io") == 0 ||
	    strcmp(r->registry, "registry-1.docker.io") == 0)
		r->registry = "docker.io";
	const char *path = s + path_start;
	size_t plen = name_end - path_start;
	if (strcmp(r->registry, "docker.io") == 0 && !memchr(path, '/', plen)) {
		char *p = dd_arena_alloc(a, plen + 9);
		memcpy(p, "library/", 8);
		memcpy(p + 8, path, plen);
		r->path = p;
	} else {
		r->path = dd_arena_strndup(a, path, plen);
	}
	const char *last = slash && (size_t)(slash - s) >= path_start ? slash + 1 : path;
	r->name = dd_arena_strndup(a, last, name_end - (size_t)(last - s));

	bool ok = plen > 0;
	for (size_t i = 0, start = 0; ok && i <= plen; i++) {
		if (i == plen || path[i] == '/') {
			ok = valid_component(path + start, i - start);
			start = i + 1;
		}
	}
	if (ok && colon)
		ok = valid_tag(r->tag, strlen(r->tag));
	if (ok && at)
		ok = valid_digest(r->digest, strlen(r->digest));
	r->valid = ok;
}
