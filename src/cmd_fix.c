/* `drydock fix`: the hardened Dockerfile, as a file, a diff, or in place. */
#include "cmd.h"
#include "opt.h"

#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/config.h"
#include "drydock/context.h"
#include "drydock/diff.h"
#include "drydock/error.h"
#include "drydock/fix.h"
#include "drydock/fsutil.h"
#include "drydock/gitfix.h"
#include "drydock/knowledge.h"
#include "drydock/source.h"

#include "lintrun.h"

#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

enum {
	OPT_DIFF = 1, OPT_IN_PLACE, OPT_CHECK, OPT_ONLY, OPT_SKIP, OPT_UID, OPT_GID, OPT_USER_NAME,
	OPT_WRITABLE, OPT_TARGET, OPT_BUILD_ARG, OPT_CONTEXT, OPT_NO_CONTEXT, OPT_CONFIG, OPT_FORMAT,
	OPT_QUIET, OPT_INTERACTIVE, OPT_SECRET_MOUNT, OPT_JOBS, OPT_COMMIT, OPT_PATCH, OPT_BRANCH, OPT_FORCE,
	OPT_MESSAGE, OPT_AUTHOR, OPT_RECURSIVE, OPT_HELP
};

const dd_opt cmd_fix_options[] = {
	{ "diff", 0, NULL, OPT_DIFF, "print a unified diff instead of the fixed file" },
	{ "in-place", 'i', NULL, OPT_IN_PLACE, "rewrite the files (atomically, mode kept); .dockerignore too" },
	{ "check", 0, NULL, OPT_CHECK, "write nothing; exit 1 when a file would change" },
	{ "only", 0, "RULES", OPT_ONLY, "fix only these rules (DD101,DD501 or slugs or hadolint ids)" },
	{ "skip", 0, "RULES", OPT_SKIP, "do not fix these rules" },
	{ "uid", 0, "N", OPT_UID, "uid of the user drydock creates (default 10001)" },
	{ "gid", 0, "N", OPT_GID, "gid of that user's group (default: the uid)" },
	{ "user-name", 0, "NAME", OPT_USER_NAME, "name of that user and group (default app)" },
	{ "writable", 0, "PATH", OPT_WRITABLE, "a path the application writes: owned by its user (repeatable)" },
	{ "target", 0, "STAGE", OPT_TARGET, "treat STAGE as the final stage (like docker build --target)" },
	{ "build-arg", 0, "NAME=VALUE", OPT_BUILD_ARG, "a build argument, as docker build takes it (repeatable)" },
	{ "context", 0, "DIR", OPT_CONTEXT, "the build context (default: the Dockerfile's folder)" },
	{ "no-context", 0, NULL, OPT_NO_CONTEXT, "do not read the build context" },
	{ "config", 'c', "FILE", OPT_CONFIG, "configuration file (default: .drydock.json found upwards)" },
	{ "format", 'f', "FMT", OPT_FORMAT, "text (default) or json (the result and every note)" },
	{ "quiet", 'q', NULL, OPT_QUIET, "no notes on standard error" },
	{ "interactive", 0, NULL, OPT_INTERACTIVE, "ask before each fix, like git add -p" },
	{ "secret-mount", 0, "STYLE", OPT_SECRET_MOUNT,
	  "env (default: --mount=type=secret,env=NAME) or file (read from /run/secrets, for older buildah/podman)" },
	{ "jobs", 'j', "N", OPT_JOBS, "files fixed in parallel (default: the number of cores)" },
	{ "commit", 0, NULL, OPT_COMMIT, "commit the fix of HEAD's files on a new branch (see below)" },
	{ "patch", 0, "FILE", OPT_PATCH, "write that change as a git format-patch mbox ('-': standard output)" },
	{ "branch", 0, "NAME", OPT_BRANCH, "the branch --commit makes (default " DD_GITFIX_BRANCH ")" },
	{ "force", 0, NULL, OPT_FORCE, "let --commit replace an existing branch" },
	{ "message", 'm', "TEXT", OPT_MESSAGE, "the commit's summary line (default: what changed)" },
	{ "author", 0, "'NAME <MAIL>'", OPT_AUTHOR, "the commit's author (default: user.name, user.email)" },
	{ "recursive", 'r', NULL, OPT_RECURSIVE, "with --commit or --patch: every Dockerfile of the repository" },
	{ "help", 'h', NULL, OPT_HELP, "show this help" },
	{ NULL, 0, NULL, 0, NULL },
};

const char *const cmd_fix_formats[] = { "text", "json", NULL };

static void
usage(FILE *out)
{
	fputs("usage: drydock fix [OPTIONS] [PATH...]\n"
	      "\n"
	      "Write the hardened Dockerfile: every fixable finding of 'drydock lint' is\n"
	      "repaired with the smallest edit, and every byte outside the edits is kept.\n"
	      "What each fix did, and what is left to do by hand, goes to standard error.\n"
	      "Without --diff, --in-place, --commit or --patch, exactly one PATH ('-' for\n"
	      "standard input).\n"
	      "\n"
	      "Exit status: 0 done (or, with --check, nothing to change), 1 with --check\n"
	      "when a file would change, 2 a usage or input error, 3 an internal error.\n"
	      "\n"
	      "Options:\n", out);
	dd_opt_print(out, cmd_fix_options);
	fputs("\nIn a git repository, --commit fixes the files as HEAD has them and makes\n"
	      "one commit on top of HEAD, on a new branch (" DD_GITFIX_BRANCH ", or --branch\n"
	      "NAME), in the repository that holds PATH. HEAD, the index and the working\n"
	      "tree stay as they are; with -i the working tree gets the new content too.\n"
	      "--patch FILE writes the same change as a mbox that git am applies, with no\n"
	      "branch. A file that differs from HEAD (uncommitted changes) is refused:\n"
	      "commit or stash the changes first. Author and committer are user.name and\n"
	      "user.email of the repository's configuration. -r takes every Dockerfile\n"
	      "of the repository; a folder, those under it. Nothing to change: exit 0.\n"
	      "\nExamples:\n"
	      "  drydock fix Dockerfile > Dockerfile.hardened\n"
	      "  drydock fix --diff .\n"
	      "  drydock fix -i --only DD101,DD501 Dockerfile\n"
	      "  drydock fix --commit -r && git push origin " DD_GITFIX_BRANCH "\n"
	      "  drydock fix --patch fix.mbox Dockerfile\n", out);
}

typedef struct {
	dd_lint_run run;          /* paths, lint options, build args, config path */
	dd_fix_opts fix;
	const dd_rule **only, **skip;
	const char **writable;
	size_t nwritable;
	bool diff, in_place, check, json, quiet, interactive;
	int jobs;
	dd_gitfix_opts git;       /* --commit, --patch and theirs */
} fix_cmd;

/* "DD101,DD501" → a NULL-terminated rule list. */
static int
rule_list(const char *spec, const dd_rule ***out)
{
	size_t n = 0;
	const dd_rule **v = dd_xcalloc(strlen(spec) + 2, sizeof(*v));
	char *copy = dd_xstrdup(spec);
	for (char *tok = strtok(copy, ", "); tok; tok = strtok(NULL, ", ")) {
		const dd_rule *r = dd_rule_find(tok);
		if (!r) {
			int rc = dd_error_set(DD_EUSAGE, "unknown rule '%s' (see drydock explain --all)", tok);
			free(copy);
			free(v);
			return rc;
		}
		v[n++] = r;
	}
	free(copy);
	free(*out);
	*out = v;
	return DD_OK;
}

static int
number(const char *s, const char *what, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || v > 2147483647UL)
		return dd_error_set(DD_EUSAGE, "%s takes a number from 0 to 2147483647", what);
	*out = (unsigned)v;
	return DD_OK;
}

static int
check_options(const fix_cmd *c)
{
	bool git = c->git.commit || c->git.patch;
	if (git && (c->diff || c->check || c->json))
		return dd_error_set(DD_EUSAGE, "--commit and --patch exclude --diff, --check and --format json");
	if (!c->git.commit && (c->git.branch || c->git.force))
		return dd_error_set(DD_EUSAGE, "--branch and --force go with --commit");
	if (!git && (c->git.message || c->git.author || c->git.recursive))
		return dd_error_set(DD_EUSAGE, "--message, --author and --recursive go with --commit or --patch");
	for (size_t i = 0; git && i < c->run.npaths; i++)
		if (strcmp(c->run.paths[i], "-") == 0)
			return dd_error_set(DD_EUSAGE, "--commit and --patch fix files of a repository, not standard input");
	if (c->diff + c->in_place + c->check > 1)
		return dd_error_set(DD_EUSAGE, "--diff, --in-place and --check exclude each other");
	if (c->interactive && (c->diff || c->check || c->json))
		return dd_error_set(DD_EUSAGE, "--interactive goes with --in-place or standard output only");
	return DD_OK;
}

static int
parse_options(int argc, char **argv, fix_cmd *c)
{
	dd_optparser p;
	int id, rc;
	dd_opt_init(&p, argc, argv);
	while ((id = dd_opt_next(&p, cmd_fix_options)) != -1) {
		switch (id) {
		case 0:
			dd_lint_run_add_path(&c->run, p.value);
			break;
		case OPT_DIFF:
			c->diff = true;
			break;
		case OPT_IN_PLACE:
			c->in_place = true;
			break;
		case OPT_CHECK:
			c->check = true;
			break;
		case OPT_ONLY:
			if ((rc = rule_list(p.value, &c->only)) < 0)
				return rc;
			break;
		case OPT_SKIP:
			if ((rc = rule_list(p.value, &c->skip)) < 0)
				return rc;
			break;
		case OPT_UID:
			if ((rc = number(p.value, "--uid", &c->fix.uid)) < 0)
				return rc;
			break;
		case OPT_GID:
			if ((rc = number(p.value, "--gid", &c->fix.gid)) < 0)
				return rc;
			break;
		case OPT_USER_NAME:
			if (!dd_fix_user_name_ok(p.value, strlen(p.value)))
				return dd_error_set(DD_EUSAGE, "--user-name takes a name useradd accepts everywhere: a letter "
				    "or _, then letters, digits, _ . - (at most 32): '%s'", p.value);
			c->fix.user_name = p.value;
			c->fix.group_name = p.value;
			break;
		case OPT_WRITABLE:
			if ((rc = dd_cmd_add_writable(p.value, &c->writable, &c->nwritable)) < 0)
				return rc;
			break;
		case OPT_TARGET:
			c->run.lint.target = p.value;
			break;
		case OPT_BUILD_ARG:
			if (dd_lint_run_add_build_arg(&c->run, p.value) < 0)
				return DD_EUSAGE;
			break;
		case OPT_CONTEXT:
			c->run.lint.context_dir = p.value;
			break;
		case OPT_NO_CONTEXT:
			c->run.lint.no_context = true;
			break;
		case OPT_CONFIG:
			c->run.config_path = p.value;
			break;
		case OPT_FORMAT:
			if (strcmp(p.value, "json") == 0)
				c->json = true;
			else if (strcmp(p.value, "text") != 0)
				return dd_error_set(DD_EUSAGE, "unknown format '%s' (text, json)", p.value);
			break;
		case OPT_QUIET:
			c->quiet = true;
			break;
		case OPT_INTERACTIVE:
			c->interactive = true;
			break;
		case OPT_JOBS:
			c->jobs = atoi(p.value);
			if (c->jobs < 1 || c->jobs > 256)
				return dd_error_set(DD_EUSAGE, "--jobs takes a number from 1 to 256");
			break;
		case OPT_SECRET_MOUNT:
			if (strcmp(p.value, "file") == 0)
				c->fix.secret_file = true;
			else if (strcmp(p.value, "env") == 0)
				c->fix.secret_file = false;
			else
				return dd_error_set(DD_EUSAGE, "--secret-mount takes env or file");
			break;
		case OPT_COMMIT:
			c->git.commit = true;
			break;
		case OPT_PATCH:
			c->git.patch = p.value;
			break;
		case OPT_BRANCH:
			c->git.branch = p.value;
			break;
		case OPT_FORCE:
			c->git.force = true;
			break;
		case OPT_MESSAGE:
			c->git.message = p.value;
			break;
		case OPT_AUTHOR:
			c->git.author = p.value;
			break;
		case OPT_RECURSIVE:
			c->git.recursive = true;
			break;
		case OPT_HELP:
			return 1;
		default:
			return id;
		}
	}
	return check_options(c);
}

/* The folder .dockerignore belongs in: --context, else the Dockerfile's. */
static char *
context_dir(const fix_cmd *c, const char *path)
{
	if (c->run.lint.context_dir)
		return dd_xstrdup(c->run.lint.context_dir);
	if (strcmp(path, "-") == 0)
		return dd_xstrdup(".");
	char *copy = dd_xstrdup(path);
	char *dir = dd_xstrdup(dirname(copy));
	free(copy);
	return dir;
}

/* The .dockerignore with r->ignore added (those not there yet); NULL when nothing changes. */
static char *
dockerignore_update(const char *dir, const dd_fix_result *r, char **path_out, char **old_out,
    size_t *old_len)
{
	size_t plen = strlen(dir) + 16;
	char *path = dd_xmalloc(plen);
	if (strcmp(dir, ".") == 0)
		snprintf(path, plen, ".dockerignore");
	else
		snprintf(path, plen, "%s/.dockerignore", dir);
	dd_buf old = DD_BUF_INIT;
	FILE *f = fopen(path, "rb");
	if (f) {
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			dd_buf_put(&old, chunk, n);
		fclose(f);
	}
	char *out = dd_ignore_append(old.ptr, old.len, r->ignore, r->nignore);
	if (!out) {
		dd_buf_free(&old);
		free(path);
		return NULL;
	}
	*path_out = path;
	*old_len = old.len;
	*old_out = dd_buf_detach(&old, NULL);
	return out;
}

static void
print_notes(const char *path, const dd_fix_result *r)
{
	for (size_t i = 0; i < r->nnotes; i++) {
		const dd_fix_note *n = &r->notes[i];
		/* later passes number lines in the partly fixed file: name the pass */
		if (n->pass > 1)
			fprintf(stderr, "%s: %s %s: %s%s\n", path, n->rule ? n->rule->code : "-",
			    n->rule ? n->rule->slug : "-", n->applied ? "" : "to do: ", n->text);
		else
			fprintf(stderr, "%s:%u: %s %s: %s%s\n", path, n->line, n->rule ? n->rule->code : "-",
			    n->rule ? n->rule->slug : "-", n->applied ? "" : "to do: ", n->text);
	}
	if (r->nbuild_flags) {
		fprintf(stderr, "%s: build it with:", path);
		for (size_t i = 0; i < r->nbuild_flags; i++)
			fprintf(stderr, " %s", r->build_flags[i]);
		fputc('\n', stderr);
	}
}

static json_t *
result_json(const char *path, const dd_source *src, const dd_fix_result *r)
{
	json_t *o = json_object(), *notes = json_array(), *ign = json_array(), *flags = json_array();
	json_object_set_new(o, "path", json_string(path));
	json_object_set_new(o, "changed",
	    json_boolean(r->len != src->len || memcmp(r->output, src->data, r->len) != 0));
	json_object_set_new(o, "output", json_stringn(r->output, r->len));
	for (size_t i = 0; i < r->nnotes; i++) {
		const dd_fix_note *n = &r->notes[i];
		json_t *e = json_object();
		json_object_set_new(e, "rule", json_string(n->rule ? n->rule->code : ""));
		json_object_set_new(e, "slug", json_string(n->rule ? n->rule->slug : ""));
		json_object_set_new(e, "pass", json_integer(n->pass));
		json_object_set_new(e, "line", json_integer(n->line));
		json_object_set_new(e, "applied", json_boolean(n->applied));
		json_object_set_new(e, "text", json_string(n->text));
		json_array_append_new(notes, e);
	}
	for (size_t i = 0; i < r->nignore; i++)
		json_array_append_new(ign, json_string(r->ignore[i]));
	for (size_t i = 0; i < r->nbuild_flags; i++)
		json_array_append_new(flags, json_string(r->build_flags[i]));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "dockerignore", ign);
	json_object_set_new(o, "build_flags", flags);
	return o;
}

/* --interactive talks on the terminal: standard output may be the fixed file. */
typedef struct {
	FILE *in, *out;
	const char *path;
} tty;

static int
ask_tty(void *arg, const dd_fix_question *q)
{
	tty *t = arg;
	const dd_finding *f = q->finding;
	fprintf(t->out, "\n(%u/%u) %s:%u: %s %s: %s\n", q->index, q->count, t->path, f->span.line,
	    f->rule->code, f->rule->slug, f->message);
	for (size_t i = 0; i < q->nnotes; i++)
		fprintf(t->out, "  = %s\n", q->notes[i]);
	fputs(q->diff, t->out);
	for (;;) {
		fputs("Apply this fix [y,n,a,q,?]? ", t->out);
		fflush(t->out);
		char line[64];
		if (!fgets(line, sizeof(line), t->in))
			return DD_FIX_QUIT;
		switch (line[0]) {
		case 'y':
			return DD_FIX_YES;
		case 'n':
			return DD_FIX_NO;
		case 'a':
			return DD_FIX_ALL;
		case 'q':
			return DD_FIX_QUIT;
		default:
			fputs("y - apply this fix\n"
			      "n - do not apply this fix\n"
			      "a - apply this fix and all the later ones\n"
			      "q - quit: apply none of the later fixes (the ones accepted stay)\n"
			      "? - print this help and the rule's explanation\n", t->out);
			if (f->rule->doc)
				fprintf(t->out, "\n%s %s: %s\n%s\n", f->rule->code, f->rule->slug, f->rule->doc->title,
				    f->rule->doc->fix);
		}
	}
}

/* One file's fix, computed apart from its output (in a worker thread when -j > 1). */
typedef struct {
	const char *path;
	dd_source *src;
	dd_config *cfg;
	dd_fix_result r;
	char *error;     /* what to print when it failed */
	int exit;        /* the exit status of that failure; DD_EXIT_OK when it worked */
	bool done;
} fix_job;

/* Fix src (a file's bytes, or HEAD's for --commit) into j->r; a failure goes to j->error. */
static void
compute_src(const fix_cmd *c, const dd_knowledge *kb, const dd_fix_opts *fo, const dd_source *src, fix_job *j)
{
	const char *path = src->path;
	int rc;
	if (c->run.config_path) {
		rc = dd_config_load(&j->cfg, c->run.config_path);
	} else {
		/* the configuration belongs to the Dockerfile's folder */
		char *copy = dd_xstrdup(strcmp(path, "-") == 0 ? "./-" : path);
		rc = dd_config_find(&j->cfg, dirname(copy));
		free(copy);
	}
	if (rc < 0) {
		dd_buf b = DD_BUF_INIT;
		dd_buf_printf(&b, "%s\n", dd_error_last());
		j->error = dd_buf_detach(&b, NULL);
		j->exit = DD_EXIT_INPUT;
		return;
	}
	dd_lint_opts lo = c->run.lint;
	lo.config = j->cfg;
	lo.kb = kb;
	lo.cache_context = true; /* nothing is written before every file is fixed */
	dd_parse_opts po = { c->run.build_args, c->run.nbuild_args };
	rc = dd_fix(src, &po, &lo, fo, &j->r);
	if (rc < 0) {
		j->error = dd_cmd_error_text();
		j->exit = dd_cmd_exit_for(rc);
	}
}

static void
compute(const fix_cmd *c, const dd_knowledge *kb, const dd_fix_opts *fo, fix_job *j)
{
	j->done = true;
	int rc = dd_source_read(&j->src, j->path);
	if (rc < 0) {
		j->error = dd_cmd_error_text();
		j->exit = dd_cmd_exit_for(rc);
		return;
	}
	compute_src(c, kb, fo, j->src, j);
}

/* --interactive asks on the terminal: standard output may be the fixed file. */
static bool
open_tty(tty *t)
{
	t->in = fopen("/dev/tty", "r");
	t->out = fopen("/dev/tty", "w");
	if (t->in && t->out)
		return true;
	fprintf(stderr, "drydock fix: --interactive needs a terminal (/dev/tty)\n");
	if (t->in)
		fclose(t->in);
	if (t->out)
		fclose(t->out);
	t->in = t->out = NULL;
	return false;
}

static void
job_free(fix_job *j)
{
	dd_fix_result_free(&j->r);
	dd_config_free(j->cfg);
	dd_source_free(j->src);
	free(j->error);
}

typedef struct {
	const fix_cmd *c;
	const dd_knowledge *kb;
	fix_job *jobs;
	size_t n, next;
	pthread_mutex_t lock;
} pool;

static void *
worker(void *arg)
{
	pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		compute(p->c, p->kb, &p->c->fix, &p->jobs[i]);
	}
}

/* Compute every file's fix on -j threads; the output stays in path order. */
static void
compute_all(const fix_cmd *c, const dd_knowledge *kb, fix_job *jobs, size_t n)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = c->jobs > 0 ? c->jobs : (cores > 0 ? (int)cores : 1);
	if ((size_t)threads > n)
		threads = (int)n;
	pool p = { c, kb, jobs, n, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t *t = dd_xcalloc((size_t)(threads > 0 ? threads : 1), sizeof(*t));
	int started = 0;
	for (int i = 0; threads > 1 && i < threads; i++)
		if (pthread_create(&t[i], NULL, worker, &p) == 0)
			started++;
	if (started == 0)
		worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* Output one file's fix; returns an exit status (0, 1 = would change with --check, 2, 3). */
static int
fix_file(fix_cmd *c, fix_job *j, const dd_knowledge *kb, json_t *files, dd_buf *diffs)
{
	const char *path = j->path;
	tty t = { NULL, NULL, path };
	if (!j->done) {
		/* --interactive: computed here, asking on the terminal as it goes */
		dd_fix_opts fo = c->fix;
		if (!open_tty(&t))
			return DD_EXIT_INPUT;
		fo.ask = ask_tty;
		fo.ask_arg = &t;
		compute(c, kb, &fo, j);
		fclose(t.in);
		fclose(t.out);
	}
	if (j->error) {
		fputs(j->error, stderr);
		return j->exit;
	}
	dd_source *src = j->src;
	dd_fix_result r = j->r;
	bool changed = r.len != src->len || memcmp(r.output, src->data, r.len) != 0;
	int status = DD_EXIT_OK;

	char *dir = context_dir(c, path), *ipath = NULL, *iold = NULL;
	size_t iold_len = 0;
	char *inew = r.nignore ? dockerignore_update(dir, &r, &ipath, &iold, &iold_len) : NULL;
	free(dir);

	if (!c->quiet && !c->json)
		print_notes(path, &r);
	if (c->json) {
		json_array_append_new(files, result_json(path, src, &r));
	} else if (c->check) {
		if (changed || inew)
			status = DD_EXIT_FINDINGS;
	} else if (c->diff) {
		/* git's a/ b/ prefixes for relative paths (patch -p1), absolute ones as given */
		char a[4200], b[4200];
		const char *pre_a = path[0] == '/' ? "" : "a/", *pre_b = path[0] == '/' ? "" : "b/";
		snprintf(a, sizeof(a), "%s%s", pre_a, path);
		snprintf(b, sizeof(b), "%s%s", pre_b, path);
		dd_diff_unified(diffs, a, src->data, src->len, b, r.output, r.len);
		if (inew) {
			pre_a = ipath[0] == '/' ? "" : "a/";
			pre_b = ipath[0] == '/' ? "" : "b/";
			snprintf(a, sizeof(a), "%s%s", pre_a, ipath);
			snprintf(b, sizeof(b), "%s%s", pre_b, ipath);
			dd_diff_unified(diffs, iold_len ? a : "/dev/null", iold ? iold : "", iold_len, b, inew,
			    strlen(inew));
		}
	} else if (c->in_place) {
		if (changed && strcmp(path, "-") != 0 && dd_write_atomic(path, r.output, r.len, 0644) < 0) {
			fprintf(stderr, "drydock fix: %s\n", dd_error_last());
			status = DD_EXIT_INPUT;
		}
		if (status == DD_EXIT_OK && inew && dd_write_atomic(ipath, inew, strlen(inew), 0644) < 0) {
			fprintf(stderr, "drydock fix: %s\n", dd_error_last());
			status = DD_EXIT_INPUT;
		}
	} else {
		fwrite(r.output, 1, r.len, stdout);
		if (inew && !c->quiet)
			fprintf(stderr, "%s: to do: add to %s: %s (drydock fix -i writes it)\n", path, ipath,
			    "the files listed above");
	}
	free(ipath);
	free(iold);
	free(inew);
	return status;
}

/* --commit / --patch: the fixer dd_gitfix calls for each Dockerfile HEAD has. */
typedef struct {
	fix_cmd *c;
	const dd_knowledge *kb;
	int status;               /* set when the failure is reported already */
} git_fixer;

static int
fix_committed(void *arg, const dd_source *src, dd_fix_result *out)
{
	git_fixer *g = arg;
	fix_job j;
	memset(&j, 0, sizeof(j));
	j.path = src->path;
	tty t = { NULL, NULL, src->path };
	dd_fix_opts fo = g->c->fix;
	if (g->c->interactive) {
		if (!open_tty(&t)) {
			g->status = DD_EXIT_INPUT;
			return DD_ERROR;
		}
		fo.ask = ask_tty;
		fo.ask_arg = &t;
	}
	compute_src(g->c, g->kb, &fo, src, &j);
	if (t.in) {
		fclose(t.in);
		fclose(t.out);
	}
	*out = j.r;
	dd_config_free(j.cfg);
	if (j.error) {
		fputs(j.error, stderr);
		free(j.error);
		g->status = j.exit;
		return DD_ERROR;
	}
	return DD_OK;
}

static void
git_report(const fix_cmd *c, const dd_gitfix_result *r)
{
	const char *patch = c->git.patch && strcmp(c->git.patch, "-") == 0 ? "standard output" : c->git.patch;
	for (size_t i = 0; !c->quiet && i < r->nfiles; i++)
		print_notes(r->files[i].path, &r->files[i].fix);
	if (!r->nchanged) {
		const char *none = !c->git.patch ? "no branch made" :
		    c->git.commit ? "no branch made, no patch written" : "no patch written";
		if (r->nfiles == 1)
			fprintf(stderr, "drydock fix: nothing to change in %s as HEAD has it: %s\n",
			    r->files[0].path, none);
		else
			fprintf(stderr, "drydock fix: nothing to change in the %zu Dockerfiles as HEAD has them: %s\n",
			    r->nfiles, none);
		return;
	}
	if (r->branch)
		fprintf(stderr, "drydock fix: %s branch %s: commit %.12s on top of HEAD, %zu file%s: %s\n",
		    r->replaced ? "replaced" : "made", r->branch, r->commit, r->nchanged,
		    r->nchanged == 1 ? "" : "s", r->summary);
	if (patch)
		fprintf(stderr, "drydock fix: wrote the patch to %s (git am applies it): %s\n", patch, r->summary);
	if (r->nwritten) {
		fputs("drydock fix: the working tree has the new content too:", stderr);
		for (size_t i = 0; i < r->nwritten; i++)
			fprintf(stderr, " %s", r->written[i]);
		fputc('\n', stderr);
	}
}

static int
git_fix(fix_cmd *c)
{
	dd_knowledge *kb = NULL;
	if (dd_knowledge_load(&kb, dd_knowledge_default_dir()) < 0)
		fprintf(stderr, "drydock: %s (fixes that need image knowledge are off: point "
		    "DRYDOCK_TEMPLATES at a templates folder, or reinstall drydock)\n", dd_error_last());
	git_fixer g = { c, kb, DD_EXIT_OK };
	c->git.in_place = c->in_place;
	c->git.context_dir = c->run.lint.context_dir;
	c->git.fix = fix_committed;
	c->git.fix_arg = &g;
	dd_gitfix_result r;
	int rc = dd_gitfix(&c->git, c->run.paths, c->run.npaths, &r);
	int status = DD_EXIT_OK;
	if (rc < 0 && g.status) {
		status = g.status;
	} else if (rc < 0) {
		const char *line;
		size_t len;
		uint32_t col;
		/* a located error (HEAD's file does not read) shows its line; the rest are sentences */
		if (dd_error_context(&line, &len, &col))
			dd_cmd_print_error();
		else
			fprintf(stderr, "drydock fix: %s\n", dd_error_last());
		status = dd_cmd_exit_for(rc);
	} else {
		git_report(c, &r);
	}
	dd_gitfix_result_free(&r);
	dd_knowledge_free(kb);
	return status;
}

int
cmd_fix(int argc, char **argv)
{
	fix_cmd c;
	memset(&c, 0, sizeof(c));
	dd_lint_run_init(&c.run);
	int rc = parse_options(argc, argv, &c);
	if (rc == 1) {
		usage(stdout);
		dd_lint_run_free(&c.run);
		return DD_EXIT_OK;
	}
	if (rc < 0) {
		dd_lint_run_free(&c.run);
		free(c.only);
		free(c.skip);
		free(c.writable);
		return dd_cmd_usage_error("fix");
	}
	c.fix.only = c.only;
	c.fix.skip = c.skip;
	c.fix.writable = c.writable;
	c.fix.nwritable = c.nwritable;
	if (c.git.commit || c.git.patch) {
		int status = git_fix(&c);
		free(c.only);
		free(c.skip);
		free(c.writable);
		dd_lint_run_free(&c.run);
		return status;
	}

	/* the files: as given, folders searched */
	char **paths = NULL;
	size_t n = 0;
	for (size_t i = 0; i < c.run.npaths; i++) {
		struct stat st;
		if (strcmp(c.run.paths[i], "-") != 0 && stat(c.run.paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t before = n;
			dd_find_dockerfiles(c.run.paths[i], &paths, &n);
			if (n == before)
				fprintf(stderr, "%s: error: no Dockerfile in this folder\n", c.run.paths[i]);
			continue;
		}
		paths = dd_xreallocarray(paths, n + 1, sizeof(char *));
		paths[n++] = dd_xstrdup(c.run.paths[i]);
	}
	if (c.run.npaths == 0) {
		dd_default_path_hint();
		paths = dd_xcalloc(1, sizeof(char *));
		paths[n++] = dd_xstrdup("Dockerfile");
	}
	int status = DD_EXIT_OK;
	if (n != 1 && !c.diff && !c.in_place && !c.check && !c.json) {
		fprintf(stderr, "drydock fix: give one file to print (or use --diff, --in-place or --check)\n");
		status = DD_EXIT_INPUT;
	}
	dd_knowledge *kb = NULL;
	if (status == DD_EXIT_OK && dd_knowledge_load(&kb, dd_knowledge_default_dir()) < 0)
		fprintf(stderr, "drydock: %s (fixes that need image knowledge are off: point "
		    "DRYDOCK_TEMPLATES at a templates folder, or reinstall drydock)\n", dd_error_last());
	json_t *files = json_array();
	dd_buf diffs = DD_BUF_INIT;
	fix_job *jobs = dd_xcalloc(n ? n : 1, sizeof(*jobs));
	for (size_t i = 0; i < n; i++)
		jobs[i].path = paths[i];
	if (status == DD_EXIT_OK && !c.interactive)
		compute_all(&c, kb, jobs, n);
	for (size_t i = 0; status != DD_EXIT_INPUT && i < n; i++) {
		int s = fix_file(&c, &jobs[i], kb, files, &diffs);
		if (s > status)
			status = s;
	}
	for (size_t i = 0; i < n; i++)
		job_free(&jobs[i]);
	free(jobs);
	if (c.json && status < DD_EXIT_INPUT) {
		json_t *doc = json_object();
		json_object_set_new(doc, "version", json_integer(1));
		json_object_set(doc, "files", files);
		char *text = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		if (text)
			printf("%s\n", text);
		free(text);
		json_decref(doc);
	}
	if (diffs.len)
		fwrite(diffs.ptr, 1, diffs.len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "drydock fix: cannot write the output\n");
		status = DD_EXIT_INTERNAL;
	}
	dd_buf_free(&diffs);
	json_decref(files);
	dd_knowledge_free(kb);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(c.only);
	free(c.skip);
	free(c.writable);
	dd_lint_run_free(&c.run);
	return status;
}
