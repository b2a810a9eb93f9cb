/*
 * The build context: which files `docker build` sends, after .dockerignore,
 * exactly as BuildKit decides (moby/patternmatcher semantics).
 */
#ifndef DRYDOCK_CONTEXT_H
#define DRYDOCK_CONTEXT_H

#include "drydock/common.h"

typedef struct dd_ignore dd_ignore;

/*
 * Parse .dockerignore text. Errors (a lone "!", a bad pattern) return
 * DD_EPARSE with "path:line:col: error: …". Free with dd_ignore_free.
 */
int dd_ignore_parse(dd_ignore **out, const char *text, size_t len, const char *path);

/*
 * Load the ignore file for a Dockerfile: <Dockerfile>.dockerignore beside it
 * if present, else <context>/.dockerignore, else an empty one (*out never
 * NULL on success). *used (if not NULL) gets the file read or NULL.
 */
int dd_ignore_load(dd_ignore **out, const char *context_dir, const char *dockerfile,
    char **used);

void dd_ignore_free(dd_ignore *ig);

/*
 * Addition, for DD204's fix: the .dockerignore text old (len bytes, may be
 * NULL when there is none) with each of the n entries that is not yet a
 * whole line of it appended, under a comment naming DD204. The line ends of
 * old are kept. NULL when every entry is there already; else malloc'd,
 * NUL-terminated.
 */
char *dd_ignore_append(const char *old, size_t len, char *const *entries, size_t n);

/* Is the relative, '/'-separated path excluded from the context? */
bool dd_ignore_excludes(const dd_ignore *ig, const char *relpath);

/* Is a directory possibly holding included files (for pruning a walk)? */
bool dd_ignore_may_include_under(const dd_ignore *ig, const char *reldir);

/*
 * Addition: the patterns as BuildKit keeps them, in file order. Pattern i
 * is cleaned and without its "!" (*exception tells), borrowed from ig;
 * *line is its 1-based line in the file. exception and line may be NULL.
 */
size_t dd_ignore_count(const dd_ignore *ig);
const char *dd_ignore_pattern(const dd_ignore *ig, size_t i, bool *exception,
    uint32_t *line);

/*
 * Addition, for walkers: decide one path from its parent folder's results
 * instead of re-deciding every ancestor (fsutil's MatchesUsingParentResults).
 * relpath is clean and relative; parent is the state its folder got (NULL
 * for a top-level entry); state receives dd_ignore_count(ig) flags to pass
 * on to its children. Returns whether relpath is excluded.
 */
bool dd_ignore_step(const dd_ignore *ig, const char *relpath, const bool *parent,
    bool *state);

/* Receives a relative path of a file the context would hold. Return non-zero to stop. */
typedef int (*dd_context_cb)(void *ctx, const char *relpath);

/*
 * Walk dir and call cb for every regular file (and symlink) that is not
 * excluded, in sorted order, pruning excluded folders as BuildKit does.
 * Bounded: stops after max_files files (0 = no limit) with DD_OK.
 * A non-zero return from cb stops the walk and is returned. An unreadable
 * dir is DD_EIO; unreadable folders below it are skipped silently.
 */
int dd_context_walk(const char *dir, const dd_ignore *ig, size_t max_files,
    dd_context_cb cb, void *ctx);

/* Addition: what one walk did, to show (and test) that pruning happened. */
typedef struct {
	size_t dirs_read; /* folders listed, the walk's root included */
	size_t entries;   /* directory entries looked at */
	size_t files;     /* files passed to the callback */
} dd_walk_stats;

/* Addition: dd_context_walk that also fills *stats (zeroed first; may be NULL). */
int dd_context_walk_stats(const char *dir, const dd_ignore *ig, size_t max_files,
    dd_context_cb cb, void *ctx, dd_walk_stats *stats);

/*
 * Does a COPY/ADD source (relative to the context: ".", "src/", "*.pem",
 * "conf/<star>.json") cover relpath — the file itself, or a folder holding it?
 * The source is cleaned as BuildKit does (leading "/" and "./" dropped, ".."
 * cannot leave the context, "." or "" is the whole context); from its first
 * element holding an unescaped * ? or [ on, it is a Go filepath.Match glob
 * (so "**" is just "*", and "conf" never covers "config/x").
 */
bool dd_copy_source_covers(const char *source, const char *relpath);

/* Addition: Go's path.Clean on a '/'-separated path ("" gives "."). Caller frees. */
char *dd_path_clean(const char *path);

/*
 * Addition: Go's filepath.Match — * and ? never match '/', [...] classes
 * ([^...] negates; they may match '/'), \ escapes. Returns 1 (match), 0 (no
 * match) or DD_EPARSE for a malformed pattern (unclosed [, trailing \, …),
 * with the message set.
 */
int dd_path_match(const char *pattern, const char *name);

#endif
