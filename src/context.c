/* The build context: the files BuildKit sends (walk + .dockerignore); what a COPY source covers. */
#include "drydock/context.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One directory entry: its name and DT_DIR, DT_REG, DT_LNK or DT_UNKNOWN. */
typedef struct {
	char *name;
	unsigned char type;
} dent;

typedef struct {
	const dd_ignore *ig;
	size_t max_files;
	dd_context_cb cb;
	void *ctx;
	dd_walk_stats *stats;
	dd_buf abs;  /* the folder being read: root "/" rel */
	dd_buf rel;  /* its path relative to the root ("" for the root) */
	int rc;      /* the callback's stop value */
	bool done;
} walker;

static int
dent_cmp(const void *a, const void *b)
{
	/* strcmp compares bytes as unsigned char: Go's order for names */
	return strcmp(((const dent *)a)->name, ((const dent *)b)->name);
}

static unsigned char
mode_type(mode_t m)
{
	return S_ISDIR(m) ? DT_DIR : S_ISREG(m) ? DT_REG : S_ISLNK(m) ? DT_LNK : DT_UNKNOWN;
}

/* The folder's entries, sorted, types known without following symlinks. -1 if unreadable. */
static int
list_dir(const char *path, dent **out, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		unsigned char type = de->d_type;
		struct stat st;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (type != DT_DIR && type != DT_REG && type != DT_LNK)
			type = fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 ?
			    mode_type(st.st_mode) : DT_UNKNOWN;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = dd_xreallocarray(*out, cap, sizeof(**out));
		}
		(*out)[(*n)++] = (dent){ dd_xstrdup(de->d_name), type };
	}
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), dent_cmp);
	return 0;
}

/* Append "/name" (or "name" at the root) to a path buffer; returns the old length. */
static size_t
path_push(dd_buf *b, const char *name, bool root)
{
	size_t old = b->len;
	if (!root)
		dd_buf_putc(b, '/');
	dd_buf_puts(b, name);
	return old;
}

static void
path_pop(dd_buf *b, size_t len)
{
	b->len = len;
	if (b->ptr)
		b->ptr[len] = '\0';
}

static void walk_dir(walker *w, const bool *parent);

/* A regular file or symlink: send it; count it toward the bound. */
static void
visit_file(walker *w)
{
	w->stats->files++;
	w->rc = w->cb(w->ctx, w->rel.ptr);
	if (w->rc != 0 || (w->max_files && w->stats->files >= w->max_files))
		w->done = true;
}

/*
 * One entry; state gets its per-pattern results, which a folder hands to
 * its children as fsutil does (parent is the state of the folder read).
 */
static void
visit(walker *w, const dent *e, const bool *parent, bool *state)
{
	bool at_root = w->rel.len == 0;
	size_t abs_len = path_push(&w->abs, e->name, false);
	size_t rel_len = path_push(&w->rel, e->name, at_root);
	bool excluded = dd_ignore_step(w->ig, w->rel.ptr, parent, state);
	if (e->type == DT_DIR) {
		/* excluded folders are entered only if an exception may reach inside */
		if (!excluded || dd_ignore_may_include_under(w->ig, w->rel.ptr))
			walk_dir(w, state);
	} else if ((e->type == DT_REG || e->type == DT_LNK) && !excluded) {
		visit_file(w);
	}
	path_pop(&w->abs, abs_len);
	path_pop(&w->rel, rel_len);
}

/* Read the folder in w->abs; one that cannot be read is skipped silently. */
static void
walk_dir(walker *w, const bool *parent)
{
	dent *ents;
	size_t n;
	if (list_dir(w->abs.ptr, &ents, &n) < 0)
		return;
	bool *state = dd_xcalloc(dd_ignore_count(w->ig) + 1, sizeof(bool));
	w->stats->dirs_read++;
	w->stats->entries += n;
	for (size_t i = 0; i < n && !w->done; i++)
		visit(w, &ents[i], parent, state);
	for (size_t i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
	free(state);
}

int
dd_context_walk_stats(const char *dir, const dd_ignore *ig, size_t max_files,
    dd_context_cb cb, void *ctx, dd_walk_stats *stats)
{
	dd_walk_stats local;
	walker w = { ig, max_files, cb, ctx, stats ? stats : &local,
		DD_BUF_INIT, DD_BUF_INIT, 0, false };
	struct stat st;
	memset(w.stats, 0, sizeof(*w.stats));
	if (stat(dir, &st) != 0)
		return dd_error_set(DD_EIO, "%s: error: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return dd_error_set(DD_EIO, "%s: error: the build context is not a folder", dir);
	dd_buf_puts(&w.abs, dir);
	dd_buf_puts(&w.rel, "");
	walk_dir(&w, NULL);
	dd_buf_free(&w.abs);
	dd_buf_free(&w.rel);
	if (w.stats->dirs_read == 0)
		return dd_error_set(DD_EIO, "%s: error: cannot read the folder", dir);
	return w.rc;
}

int
dd_context_walk(const char *dir, const dd_ignore *ig, size_t max_files,
    dd_context_cb cb, void *ctx)
{
	return dd_context_walk_stats(dir, ig, max_files, cb, ctx, NULL);
}

/* ---- COPY sources ---- */

/* fsutil's containsWildcards: * ? [ not escaped by a backslash. */
static bool
has_wildcard(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	}
	return false;
}

/* Clean "/" + p as BuildKit normalizes COPY paths: ".." cannot climb out. */
static char *
rooted_clean(const char *p)
{
	dd_buf b = DD_BUF_INIT;
	dd_buf_putc(&b, '/');
	dd_buf_puts(&b, p);
	char *c = dd_path_clean(b.ptr);
	dd_buf_free(&b);
	return c;
}

/* Does the glob match rest (a clean relative path) or one of its leading folders? */
static bool
glob_covers(const char *glob, char *rest)
{
	for (char *q = rest;; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char c = *q;
		*q = '\0';
		int m = dd_path_match(glob, rest);
		*q = c;
		if (m != 0)
			return m > 0; /* a bad pattern matches nothing */
		if (c == '\0')
			return false;
	}
}

/*
 * fsutil splits the source at its first element with a wildcard: the
 * folder before it is taken literally, the rest is matched with
 * filepath.Match against paths below that folder; a matching folder is
 * copied whole.
 */
bool
dd_copy_source_covers(const char *source, const char *relpath)
{
	char *src = rooted_clean(source), *rel = rooted_clean(relpath);
	const char *s = src + 1, *glob = NULL;
	char *r = rel + 1;
	bool covered = false;
	size_t lit = 0; /* bytes of the literal folder part */
	for (const char *e = s; *e; ) {
		size_t n = strcspn(e, "/");
		if (has_wildcard(e, n)) {
			glob = e;
			break;
		}
		lit = (size_t)(e + n - s);
		e += n + (e[n] == '/');
	}
	if (lit == 0 || (strncmp(r, s, lit) == 0 && (r[lit] == '\0' || r[lit] == '/'))) {
		char *rest = r + lit + (lit > 0 && r[lit] == '/');
		if (!glob)
			covered = true;
		else if (*rest)
			covered = glob_covers(glob, rest);
	}
	free(src);
	free(rel);
	return covered;
}
