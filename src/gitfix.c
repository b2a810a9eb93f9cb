/*
 * fix --commit / --patch: fix the Dockerfiles HEAD has and write the result
 * as one commit on a new branch, or as a format-patch mbox, with libgit2.
 */
#include "drydock/gitfix.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/context.h"
#include "drydock/error.h"
#include "drydock/fsutil.h"

#include "lintrun.h"

#include "git2dl.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A file the commit may change: a Dockerfile, or the .dockerignore DD204 edits. */
typedef struct {
	char *shown;              /* relative to the current folder, as given */
	char *repo_path;
	bool in_head;             /* false: a new .dockerignore */
	git_oid old_id;
	git_filemode_t mode;
	char *data;               /* the new content; NULL: unchanged */
	size_t len;
	git_oid new_id;
} target;

typedef struct {
	const dd_gitfix_opts *o;
	git_repository *repo;
	git_commit *head;
	git_tree *head_tree;
	git_signature *author, *committer;
	git_odb_backend *mempack;  /* --patch alone: objects stay in memory */
	char *wd;                  /* the working tree's real path, '/'-terminated */
	size_t wdlen;
	target *t;                 /* the Dockerfiles first, then .dockerignore files */
	size_t nt, ndockerfiles;
} session;

static int
git_failed(const char *what)
{
	const git_error *e = git_error_last();
	return dd_error_set(DD_EGIT, "%s: %s", what, e && e->message ? e->message : "libgit2 failed");
}

static char *
join(const char *dir, const char *name)
{
	if (!dir || !*dir || strcmp(dir, ".") == 0)
		return dd_xstrdup(name);
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	dd_buf b = DD_BUF_INIT;
	dd_buf_printf(&b, "%.*s/%s", (int)dl, dir, name);
	return dd_buf_detach(&b, NULL);
}

/* The real path of path; a file's own name is kept (not followed), since git tracks links as links. */
static char *
real_path(const char *path, bool *is_dir)
{
	struct stat st;
	*is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	if (*is_dir)
		return realpath(path, NULL);
	char *c1 = dd_xstrdup(path), *c2 = dd_xstrdup(path);
	char *dir = realpath(dirname(c1), NULL), *out = NULL;
	if (dir) {
		dd_buf b = DD_BUF_INIT;
		dd_buf_printf(&b, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, basename(c2));
		out = dd_buf_detach(&b, NULL);
	}
	free(dir);
	free(c1);
	free(c2);
	return out;
}

/* ---- opening the repository ---- */

static int
open_repo(session *s, const char *first)
{
	bool is_dir;
	char *abs = real_path(first, &is_dir);
	if (!abs)
		return dd_error_set(DD_EUSAGE, "%s: %s", first, strerror(errno));
	char *dir = is_dir ? dd_xstrdup(abs) : dd_xstrdup(dirname(abs));
	free(abs);
	/* GIT_CEILING_DIRECTORIES as git honours it: searching upwards stops there */
	int rc = git_repository_open_ext(&s->repo, dir, 0, getenv("GIT_CEILING_DIRECTORIES"));
	free(dir);
	if (rc == GIT_ENOTFOUND)
		return dd_error_set(DD_EUSAGE, "%s is not inside a git repository", first);
	if (rc < 0)
		return git_failed(first);
	if (git_repository_is_bare(s->repo))
		return dd_error_set(DD_EUSAGE, "%s is in a bare repository, which has no working tree: "
		    "run drydock in a clone", first);
	rc = git_repository_head_unborn(s->repo);
	if (rc == 1)
		return dd_error_set(DD_EUSAGE, "the repository of %s has no commit yet: "
		    "commit the Dockerfile first, drydock fixes what HEAD has", first);
	git_object *head = NULL;
	if (rc < 0 || git_revparse_single(&head, s->repo, "HEAD^{commit}") < 0)
		return git_failed("HEAD");
	s->head = (git_commit *)head;
	if (git_commit_tree(&s->head_tree, s->head) < 0)
		return git_failed("HEAD's tree");
	char *wd = realpath(git_repository_workdir(s->repo), NULL);
	if (!wd)
		return dd_error_set(DD_EIO, "%s: %s", git_repository_workdir(s->repo), strerror(errno));
	s->wd = strcmp(wd, "/") == 0 ? dd_xstrdup("/") : join(wd, "");
	free(wd);
	s->wdlen = strlen(s->wd);
	return DD_OK;
}

/* The path of shown inside the working tree; refused outside it or inside .git. */
static int
repo_path(const session *s, const char *shown, char **out)
{
	bool is_dir;
	char *abs = real_path(shown, &is_dir);
	if (!abs)
		return dd_error_set(DD_EUSAGE, "%s: %s", shown, strerror(errno));
	size_t al = strlen(abs);
	const char *rel = NULL;
	if (al + 1 == s->wdlen && memcmp(abs, s->wd, al) == 0)
		rel = "";
	else if (al >= s->wdlen && memcmp(abs, s->wd, s->wdlen) == 0)
		rel = abs + s->wdlen;
	if (!rel || strcmp(rel, ".git") == 0 || strncmp(rel, ".git/", 5) == 0) {
		int rc = dd_error_set(DD_EUSAGE, "%s is outside the working tree of the repository at %.*s",
		    shown, (int)(s->wdlen > 1 ? s->wdlen - 1 : s->wdlen), s->wd);
		free(abs);
		return rc;
	}
	*out = dd_xstrdup(rel);
	free(abs);
	return DD_OK;
}

/*
 * Is path (in the repository) the same in HEAD, the index and the working
 * tree? Fills the target's HEAD blob. A file missing from all three is a
 * new file when may_be_new, else refused.
 */
static int
check_file(session *s, target *t, bool may_be_new)
{
	unsigned flags = 0;
	int rc = git_status_file(&flags, s->repo, t->repo_path);
	if (rc == GIT_ENOTFOUND && may_be_new) {
		t->in_head = false;
		t->mode = GIT_FILEMODE_BLOB;
		return DD_OK;
	}
	if (rc == GIT_ENOTFOUND)
		return dd_error_set(DD_EUSAGE, "%s is not in HEAD nor in the working tree", t->shown);
	if (rc < 0)
		return git_failed(t->shown);
	if (flags & GIT_STATUS_IGNORED)
		return dd_error_set(DD_EUSAGE, "%s is ignored by the repository (.gitignore), so HEAD "
		    "has no such file: drydock fixes what HEAD has", t->shown);
	if (flags & (GIT_STATUS_WT_NEW | GIT_STATUS_INDEX_NEW))
		return dd_error_set(DD_EUSAGE, "%s is not committed: commit it first, drydock fixes what "
		    "HEAD has", t->shown);
	if (flags != GIT_STATUS_CURRENT)
		return dd_error_set(DD_EUSAGE, "%s has uncommitted changes: commit or stash them, drydock "
		    "fixes what HEAD has", t->shown);
	git_tree_entry *e = NULL;
	if (git_tree_entry_bypath(&e, s->head_tree, t->repo_path) < 0)
		return git_failed(t->shown);
	t->mode = git_tree_entry_filemode(e);
	git_oid_cpy(&t->old_id, git_tree_entry_id(e));
	git_tree_entry_free(e);
	if (t->mode != GIT_FILEMODE_BLOB && t->mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return dd_error_set(DD_EUSAGE, "%s is not a regular file in HEAD (a symbolic link?): "
		    "fix the file it points to", t->shown);
	t->in_head = true;
	return DD_OK;
}

/* ---- which files ---- */

static target *
add_target(session *s, char *shown, char *rel)
{
	for (size_t i = 0; i < s->nt; i++) {
		if (strcmp(s->t[i].repo_path, rel) == 0) {
			free(shown);
			free(rel);
			return NULL; /* named twice */
		}
	}
	s->t = dd_xreallocarray(s->t, s->nt + 1, sizeof(*s->t));
	target *t = &s->t[s->nt++];
	memset(t, 0, sizeof(*t));
	t->shown = shown;
	t->repo_path = rel;
	return t;
}

typedef struct {
	session *s;
	const char *shown_dir, *repo_dir;
} walk_arg;

/* Every Dockerfile of a HEAD folder, hidden folders and node_modules skipped as lint skips them. */
static int
walk_cb(const char *root, const git_tree_entry *e, void *p)
{
	walk_arg *w = p;
	const char *name = git_tree_entry_name(e);
	git_filemode_t mode = git_tree_entry_filemode(e);
	if (mode == GIT_FILEMODE_TREE)
		return name[0] == '.' || strcmp(name, "node_modules") == 0 ? 1 : 0;
	if ((mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) || !dd_is_dockerfile_name(name))
		return 0;
	dd_buf sub = DD_BUF_INIT;
	dd_buf_printf(&sub, "%s%s", root, name);
	add_target(w->s, join(w->shown_dir, sub.ptr), join(w->repo_dir, sub.ptr));
	dd_buf_free(&sub);
	return 0;
}

static int
add_folder(session *s, const char *shown, const char *rel)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	size_t before = s->nt;
	int rc = DD_OK;
	if (!*rel) {
		rc = git_tree_dup(&tree, s->head_tree);
	} else if (git_tree_entry_bypath(&e, s->head_tree, rel) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		rc = git_tree_lookup(&tree, s->repo, git_tree_entry_id(e));
	}
	git_tree_entry_free(e);
	if (rc < 0)
		return git_failed(shown);
	walk_arg w = { s, shown, rel };
	if (tree && git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w) < 0)
		rc = git_failed(shown);
	git_tree_free(tree);
	if (rc == DD_OK && s->nt == before)
		rc = dd_error_set(DD_EUSAGE, "%s: no Dockerfile of HEAD in this folder (looked for Dockerfile, "
		    "Containerfile, *.Dockerfile and Dockerfile.*)", shown);
	return rc;
}

/* The working tree as seen from the current folder: ".", "../..", or its absolute path. */
static char *
root_shown(const session *s)
{
	char *cwd = realpath(".", NULL);
	char *out = NULL;
	size_t cl = cwd ? strlen(cwd) : 0;
	if (cwd && cl + 1 == s->wdlen && memcmp(cwd, s->wd, cl) == 0) {
		out = dd_xstrdup(".");
	} else if (cwd && cl >= s->wdlen && memcmp(cwd, s->wd, s->wdlen) == 0) {
		dd_buf b = DD_BUF_INIT;
		for (const char *p = cwd + s->wdlen - 1; *p; p++)
			if (*p == '/')
				dd_buf_puts(&b, b.len ? "/.." : "..");
		out = dd_buf_detach(&b, NULL);
	} else {
		out = dd_xstrndup(s->wd, s->wdlen > 1 ? s->wdlen - 1 : s->wdlen);
	}
	free(cwd);
	return out;
}

static int
collect(session *s, char *const *paths, size_t npaths)
{
	int rc = DD_OK;
	if (s->o->recursive) {
		char *root = root_shown(s);
		rc = add_folder(s, root, "");
		free(root);
		npaths = 0;
	}
	for (size_t i = 0; rc == DD_OK && !s->o->recursive && i < (npaths ? npaths : 1); i++) {
		const char *p = npaths ? paths[i] : "Dockerfile";
		char *rel = NULL;
		struct stat st;
		if ((rc = repo_path(s, p, &rel)) < 0)
			break;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = add_folder(s, p, rel);
			free(rel);
		} else {
			add_target(s, dd_xstrdup(p), rel);
		}
	}
	for (size_t i = 0; rc == DD_OK && i < s->nt; i++)
		rc = check_file(s, &s->t[i], false);
	s->ndockerfiles = s->nt;
	return rc;
}

/* ---- who, and where ---- */

/* "Name <mail>" → a signature now. */
static int
parse_author(const char *spec, git_signature **out)
{
	const char *lt = strchr(spec, '<'), *gt = strrchr(spec, '>');
	const char *end = spec + strlen(spec);
	while (end > spec && end[-1] == ' ')
		end--;
	const char *ne = lt;
	while (ne && ne > spec && ne[-1] == ' ')
		ne--;
	if (!lt || !gt || gt < lt || gt + 1 != end || ne == spec || gt == lt + 1)
		return dd_error_set(DD_EUSAGE, "--author takes \"Name <mail>\", not '%s'", spec);
	char *name = dd_xstrndup(spec, (size_t)(ne - spec));
	char *mail = dd_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	int rc = git_signature_now(out, name, mail);
	free(name);
	free(mail);
	if (rc < 0)
		return dd_error_set(DD_EUSAGE, "--author '%s': %s", spec, git_error_last()->message);
	return DD_OK;
}

/* Author and committer: the repository's user.name and user.email, --author for the author. */
static int
identity(session *s)
{
	int rc = git_signature_default(&s->committer, s->repo);
	if (rc < 0 && rc != GIT_ENOTFOUND)
		return git_failed("user.name and user.email");
	if (s->o->author) {
		if ((rc = parse_author(s->o->author, &s->author)) < 0)
			return rc;
	} else if (s->committer && git_signature_dup(&s->author, s->committer) < 0) {
		return git_failed("signature");
	}
	if (!s->author)
		return dd_error_set(DD_EUSAGE, "no author identity: set user.name and user.email "
		    "(git config user.name \"Your Name\"; git config user.email you@example.com), "
		    "or give --author \"Name <mail>\"");
	/* no configured identity: the --author commits too */
	if (!s->committer && git_signature_dup(&s->committer, s->author) < 0)
		return git_failed("signature");
	return DD_OK;
}

static int
check_branch_name(const char *name)
{
	int valid = 0;
	if (git_branch_name_is_valid(&valid, name) < 0 || !valid)
		return dd_error_set(DD_EUSAGE, "'%s' is not a valid branch name", name);
	return DD_OK;
}

static int
check_branch(session *s, const char *name)
{
	git_reference *ref = NULL;
	int rc = git_branch_lookup(&ref, s->repo, name, GIT_BRANCH_LOCAL);
	if (rc == GIT_ENOTFOUND)
		return DD_OK;
	if (rc < 0)
		return git_failed(name);
	if (!s->o->force)
		rc = dd_error_set(DD_EUSAGE, "branch '%s' already exists: choose another with --branch NAME, "
		    "or replace it with --force", name);
	else if (git_branch_is_checked_out(ref) == 1)
		rc = dd_error_set(DD_EUSAGE, "branch '%s' is checked out: --force does not replace it", name);
	git_reference_free(ref);
	return rc;
}

/* ---- fixing ---- */

static int
read_blob(session *s, const git_oid *id, git_blob **out)
{
	if (git_blob_lookup(out, s->repo, id) < 0)
		return git_failed("blob");
	return DD_OK;
}

/* DD204: the .dockerignore of the Dockerfile's context gets the entries, on top of HEAD's. */
static int
update_ignore(session *s, const char *dockerfile, const dd_fix_result *r)
{
	char *copy = dd_xstrdup(dockerfile);
	char *shown = join(s->o->context_dir ? s->o->context_dir : dirname(copy), ".dockerignore");
	free(copy);
	char *rel = NULL;
	int rc = repo_path(s, shown, &rel);
	if (rc < 0) {
		free(shown);
		return rc;
	}
	target *t = NULL;
	for (size_t i = 0; i < s->nt; i++)
		if (strcmp(s->t[i].repo_path, rel) == 0)
			t = &s->t[i];
	if (t) {
		free(shown);
		free(rel);
	} else {
		t = add_target(s, shown, rel);
		if ((rc = check_file(s, t, true)) < 0)
			return rc;
	}
	git_blob *blob = NULL;
	const char *old = t->data;
	size_t len = t->len;
	if (!old && t->in_head) {
		if ((rc = read_blob(s, &t->old_id, &blob)) < 0)
			return rc;
		old = git_blob_rawcontent(blob);
		len = (size_t)git_blob_rawsize(blob);
	}
	char *text = dd_ignore_append(old, len, r->ignore, r->nignore);
	git_blob_free(blob);
	if (text) {
		free(t->data);
		t->data = text;
		t->len = strlen(text);
	}
	return DD_OK;
}

static int
fix_one(session *s, size_t i, dd_gitfix_file *f)
{
	target *t = &s->t[i];
	git_blob *blob = NULL;
	dd_source *src = NULL;
	int rc = read_blob(s, &t->old_id, &blob);
	if (rc < 0)
		return rc;
	f->path = dd_xstrdup(t->shown);
	f->repo_path = dd_xstrdup(t->repo_path);
	rc = dd_source_from_bytes(&src, t->shown, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	if (rc == DD_OK)
		rc = s->o->fix(s->o->fix_arg, src, &f->fix);
	if (rc == DD_OK && (f->fix.len != src->len || memcmp(f->fix.output, src->data, src->len) != 0)) {
		t->data = dd_xmalloc(f->fix.len + 1);
		memcpy(t->data, f->fix.output, f->fix.len + 1);
		t->len = f->fix.len;
	}
	if (rc == DD_OK && f->fix.nignore)
		rc = update_ignore(s, t->shown, &f->fix);
	dd_source_free(src);
	git_blob_free(blob);
	return rc;
}

/* ---- writing ---- */

static int
make_commit(session *s, const char *message, git_oid *id)
{
	git_tree_update *up = dd_xcalloc(s->nt, sizeof(*up));
	size_t n = 0;
	int rc = DD_OK;
	for (size_t i = 0; rc == DD_OK && i < s->nt; i++) {
		target *t = &s->t[i];
		if (!t->data)
			continue;
		if (git_blob_create_from_buffer(&t->new_id, s->repo, t->data, t->len) < 0) {
			rc = git_failed(t->shown);
			break;
		}
		up[n].action = GIT_TREE_UPDATE_UPSERT;
		git_oid_cpy(&up[n].id, &t->new_id);
		up[n].filemode = t->mode;
		up[n].path = t->repo_path;
		n++;
	}
	git_oid tree_id;
	git_tree *tree = NULL;
	git_buf msg = { NULL, 0, 0 };
	if (rc == DD_OK && (git_tree_create_updated(&tree_id, s->repo, s->head_tree, n, up) < 0 ||
	    git_tree_lookup(&tree, s->repo, &tree_id) < 0))
		rc = git_failed("the new tree");
	if (rc == DD_OK && git_message_prettify(&msg, message, 0, '#') < 0)
		rc = git_failed("the commit message");
	/* 1.5 wants const git_commit *[] (toolchain notes) */
	const git_commit *parents[] = { s->head };
	if (rc == DD_OK && git_commit_create(id, s->repo, NULL, s->author, s->committer, NULL, msg.ptr,
	    tree, 1, parents) < 0)
		rc = git_failed("the commit");
	git_buf_dispose(&msg);
	git_tree_free(tree);
	free(up);
	return rc;
}

static int
write_patch(session *s, const git_oid *id)
{
	git_commit *c = NULL;
	git_buf mbox = { NULL, 0, 0 };
	int rc = DD_OK;
	/* NULL options: libgit2's defaults, those of git format-patch (its INIT macro is not -Wextra clean) */
	if (git_commit_lookup(&c, s->repo, id) < 0 || git_email_create_from_commit(&mbox, c, NULL) < 0)
		rc = git_failed("the patch");
	else if (strcmp(s->o->patch, "-") == 0) {
		if (fwrite(mbox.ptr, 1, mbox.size, stdout) != mbox.size || fflush(stdout) != 0)
			rc = dd_error_set(DD_EIO, "cannot write the patch to standard output");
	} else {
		rc = dd_write_atomic(s->o->patch, mbox.ptr, mbox.size, 0644);
	}
	git_buf_dispose(&mbox);
	git_commit_free(c);
	return rc;
}

static int
make_branch(session *s, const git_oid *id, dd_gitfix_result *out)
{
	const char *name = s->o->branch ? s->o->branch : DD_GITFIX_BRANCH;
	git_commit *c = NULL;
	git_reference *ref = NULL, *old = NULL;
	out->replaced = git_branch_lookup(&old, s->repo, name, GIT_BRANCH_LOCAL) == 0;
	git_reference_free(old);
	int rc = DD_OK;
	if (git_commit_lookup(&c, s->repo, id) < 0 || git_branch_create(&ref, s->repo, name, c, s->o->force) < 0)
		rc = git_failed(name);
	else
		out->branch = dd_xstrdup(name);
	git_reference_free(ref);
	git_commit_free(c);
	return rc;
}

/* -i: the working files get the new blobs as a checkout would write them (filters applied). */
static int
write_worktree(session *s, dd_gitfix_result *out)
{
	int rc = DD_OK;
	for (size_t i = 0; rc == DD_OK && i < s->nt; i++) {
		target *t = &s->t[i];
		if (!t->data)
			continue;
		git_blob *blob = NULL;
		git_buf buf = { NULL, 0, 0 };
		if ((rc = read_blob(s, &t->new_id, &blob)) == DD_OK && git_blob_filter(&buf, blob, t->repo_path, NULL) < 0)
			rc = git_failed(t->shown);
		char *path = join(s->wd, t->repo_path);
		if (rc == DD_OK)
			rc = dd_write_atomic(path, buf.ptr, buf.size, 0644);
		if (rc == DD_OK) {
			out->written = dd_xreallocarray(out->written, out->nwritten + 1, sizeof(char *));
			out->written[out->nwritten++] = dd_xstrdup(t->shown);
		}
		free(path);
		git_buf_dispose(&buf);
		git_blob_free(blob);
	}
	return rc;
}

static int
use_mempack(session *s)
{
	git_odb *odb = NULL;
	int rc = DD_OK;
	if (git_repository_odb(&odb, s->repo) < 0 || git_mempack_new(&s->mempack) < 0)
		rc = git_failed("object database");
	else if (git_odb_add_backend(odb, s->mempack, 999) < 0) {
		s->mempack->free(s->mempack);
		s->mempack = NULL;
		rc = git_failed("object database");
	}
	git_odb_free(odb);
	return rc;
}

static int
write_all(session *s, dd_gitfix_result *out)
{
	int rc = DD_OK;
	/* --patch alone leaves no object behind */
	if (!s->o->commit && (rc = use_mempack(s)) < 0)
		return rc;
	char *message = dd_gitfix_message(out->files, out->nfiles, s->o->message);
	const char *nl = strchr(message, '\n');
	out->summary = dd_xstrndup(message, nl ? (size_t)(nl - message) : strlen(message));
	git_oid id;
	rc = make_commit(s, message, &id);
	free(message);
	if (rc == DD_OK)
		git_oid_tostr(out->commit, sizeof(out->commit), &id);
	/* the mbox first: when it cannot be written, no branch is left either */
	if (rc == DD_OK && s->o->patch)
		rc = write_patch(s, &id);
	if (rc == DD_OK && s->o->commit)
		rc = make_branch(s, &id, out);
	if (rc == DD_OK && s->o->in_place)
		rc = write_worktree(s, out);
	return rc;
}

/*
 * Check, fix, then write. Identity and branch are checked once there is
 * something to write: nothing to change is never an error.
 */
static int
run(session *s, char *const *paths, size_t npaths, dd_gitfix_result *out)
{
	const char *branch = s->o->branch ? s->o->branch : DD_GITFIX_BRANCH;
	int rc;
	if ((s->o->commit && (rc = check_branch_name(branch)) < 0) ||
	    (rc = open_repo(s, npaths ? paths[0] : s->o->recursive ? "." : "Dockerfile")) < 0 ||
	    (rc = collect(s, paths, npaths)) < 0)
		return rc;
	out->files = dd_xcalloc(s->ndockerfiles, sizeof(*out->files));
	for (size_t i = 0; i < s->ndockerfiles; i++) {
		out->nfiles++;
		if ((rc = fix_one(s, i, &out->files[i])) < 0)
			return rc;
	}
	for (size_t i = 0; i < s->nt; i++)
		if (s->t[i].data)
			out->nchanged++;
	if (!out->nchanged)
		return DD_OK;
	if ((rc = identity(s)) < 0)
		return rc;
	if (s->o->commit && (rc = check_branch(s, branch)) < 0)
		return rc;
	return write_all(s, out);
}

int
dd_gitfix(const dd_gitfix_opts *opts, char *const *paths, size_t npaths, dd_gitfix_result *out)
{
	memset(out, 0, sizeof(*out));
	int loaded = dd_git2_load();
	if (loaded < 0)
		return loaded;
	if (git_libgit2_init() < 0)
		return git_failed("libgit2");
	session s;
	memset(&s, 0, sizeof(s));
	s.o = opts;
	int rc = run(&s, paths, npaths, out);
	if (s.mempack)
		git_mempack_reset(s.mempack);
	for (size_t i = 0; i < s.nt; i++) {
		free(s.t[i].shown);
		free(s.t[i].repo_path);
		free(s.t[i].data);
	}
	free(s.t);
	free(s.wd);
	git_signature_free(s.author);
	git_signature_free(s.committer);
	git_tree_free(s.head_tree);
	git_commit_free(s.head);
	git_repository_free(s.repo);
	git_libgit2_shutdown();
	return rc;
}

void
dd_gitfix_result_free(dd_gitfix_result *r)
{
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].repo_path);
		dd_fix_result_free(&r->files[i].fix);
	}
	free(r->files);
	for (size_t i = 0; i < r->nwritten; i++)
		free(r->written[i]);
	free(r->written);
	free(r->summary);
	free(r->branch);
	memset(r, 0, sizeof(*r));
}
