/*
 * drydock fix --commit / --patch: the fix of what HEAD has, as one commit
 * on a new branch or as a format-patch mbox, written with libgit2.
 *
 * The Dockerfiles are fixed as HEAD has them, so the commit is a clean
 * change on top of HEAD; a file whose working copy or index entry differs
 * from HEAD is refused. HEAD, the index and the working tree are left
 * alone unless in_place asks for the working tree to get the new content.
 * Everything is checked before anything is written: a refusal writes
 * nothing.
 */
#ifndef DRYDOCK_GITFIX_H
#define DRYDOCK_GITFIX_H

#include "drydock/fix.h"
#include "drydock/source.h"

#define DD_GITFIX_BRANCH "drydock/harden"

/*
 * Fix one Dockerfile: src holds HEAD's bytes and, as its path, the file's
 * path relative to the current folder (for the build context and the
 * configuration). Fill *out as dd_fix does (freed by the caller even on
 * failure). A negative return stops everything; the callback has reported
 * the failure itself.
 */
typedef int (*dd_gitfix_fix_fn)(void *arg, const dd_source *src, dd_fix_result *out);

typedef struct {
	bool commit;              /* make the branch */
	const char *patch;        /* write the mbox there ("-": standard output), or NULL */
	const char *branch;       /* NULL: DD_GITFIX_BRANCH */
	bool force;               /* replace an existing branch */
	const char *message;      /* the summary line, or NULL: one saying what changed */
	const char *author;       /* "Name <mail>", or NULL: user.name and user.email */
	bool in_place;            /* also write the new content into the working tree */
	bool recursive;           /* every Dockerfile of the repository */
	const char *context_dir;  /* --context: where .dockerignore is; NULL: each Dockerfile's folder */
	dd_gitfix_fix_fn fix;
	void *fix_arg;
} dd_gitfix_opts;

/* One Dockerfile that was fixed, changed or not. */
typedef struct {
	char *path;               /* relative to the current folder, as the notes name it */
	char *repo_path;          /* in the repository */
	dd_fix_result fix;
} dd_gitfix_file;

typedef struct {
	dd_gitfix_file *files;
	size_t nfiles;
	size_t nchanged;          /* files the commit changes, .dockerignore included; 0: nothing to do */
	char **written;           /* with in_place: the working files written (shown paths) */
	size_t nwritten;
	char commit[41];          /* the new commit's id (hex), "" when nothing changed */
	char *summary;            /* its summary line */
	char *branch;             /* the branch made (with commit) */
	bool replaced;            /* the branch existed and was replaced (force) */
} dd_gitfix_result;

/*
 * Fix paths (files or folders; none: ./Dockerfile, or with recursive the
 * current folder) in the repository that holds the first of them, and
 * write the commit, the branch, the mbox and the working files as opts
 * say. Fails, having written nothing, with DD_EUSAGE and a message naming
 * the path for the refusals (not in a repository, a bare one, no commit
 * yet, the branch exists, a path outside the repository, ignored, not in
 * HEAD, with uncommitted changes, no identity), DD_EIO when the mbox or a
 * working file cannot be written, DD_EGIT when libgit2 fails, or the
 * callback's code. out is filled in every case; free it with
 * dd_gitfix_result_free.
 */
int dd_gitfix(const dd_gitfix_opts *opts, char *const *paths, size_t npaths, dd_gitfix_result *out);

void dd_gitfix_result_free(dd_gitfix_result *r);

/*
 * The commit message: a summary line saying what changed (or summary
 * when not NULL), a blank line, then the findings fixed (rule, file:line,
 * what the fix did), what is left to do by hand, and the build flags the
 * files now need. Notes are already redacted. malloc'd.
 */
char *dd_gitfix_message(const dd_gitfix_file *files, size_t n, const char *summary);

#endif
