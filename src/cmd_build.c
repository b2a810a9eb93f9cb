/*
 * `drydock build`: lint gate, optional fix, the engine's build, checks of
 * the built image, and an optional scan.
 */
#include "cmd.h"
#include "opt.h"

#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/cleanup.h"
#include "drydock/config.h"
#include "drydock/engine.h"
#include "drydock/error.h"
#include "drydock/fix.h"
#include "drydock/imagecheck.h"
#include "drydock/knowledge.h"
#include "drydock/report.h"
#include "drydock/secret.h"
#include "drydock/source.h"

#include "lintrun.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	OPT_ENGINE = 1, OPT_FIX, OPT_THRESHOLD, OPT_SCAN, OPT_CONFIG, OPT_SECRET_MOUNT, OPT_WRITABLE,
	OPT_NO_COLOR, OPT_QUIET, OPT_HELP
};

const dd_opt cmd_build_options[] = {
	{ "engine", 'e', "ENGINE", OPT_ENGINE, "auto (default: docker, podman, buildah, the first on PATH), docker, podman, buildah" },
	{ "fix", 0, NULL, OPT_FIX, "build the fixed Dockerfile (a temporary file; yours is untouched)" },
	{ "severity-threshold", 0, "SEV", OPT_THRESHOLD,
	  "refuse to build, or fail the image, at SEV: info, warning, error (default), none" },
	{ "scan", 0, NULL, OPT_SCAN, "scan the image with Trivy when it is installed (CRITICAL and HIGH fail)" },
	{ "config", 'c', "FILE", OPT_CONFIG, "configuration file (default: .drydock.json found upwards)" },
	{ "secret-mount", 0, "STYLE", OPT_SECRET_MOUNT,
	  "--fix: env or file (default: env for docker, file for podman and buildah)" },
	{ "writable", 0, "PATH", OPT_WRITABLE, "--fix: a path the application writes (repeatable)" },
	{ "no-color", 0, NULL, OPT_NO_COLOR, "no colour in the findings" },
	{ "quiet", 'q', NULL, OPT_QUIET, "only findings and errors from drydock (the engine still talks)" },
	{ "help", 'h', NULL, OPT_HELP, "show this help" },
	{ NULL, 0, NULL, 0, NULL },
};

static void
usage(FILE *out)
{
	fputs("usage: drydock build [OPTIONS] -- ENGINE-ARGS...\n"
	      "\n"
	      "Lint the Dockerfile the engine would build (found from -f and the context\n"
	      "in ENGINE-ARGS, as the engine finds it) and refuse to build at the\n"
	      "threshold; with --fix, build the fixed Dockerfile instead. Then run the\n"
	      "engine's build with ENGINE-ARGS (docker/podman build, buildah bud; never\n"
	      "through a shell) and check the image it made: DD601 a root user, DD602 a\n"
	      "secret in its environment, DD603 a secret in its history. drydock's own\n"
	      "messages go to standard error; the engine's output is its own.\n"
	      "\n"
	      "Exit status: 0 built and clean, 1 findings at or above the threshold\n"
	      "(before the build: nothing was built) or a scan that failed, 2 a usage or\n"
	      "input error, 3 no engine, an unreadable context, or the engine failed\n"
	      "(its exit status is printed).\n"
	      "\n"
	      "Options:\n", out);
	dd_opt_print(out, cmd_build_options);
	fputs("\nExamples:\n"
	      "  drydock build -- -t app:1 .\n"
	      "  drydock build --engine podman --fix -- -t app:1 -f Containerfile .\n"
	      "  drydock build --scan -- --build-arg VERSION=2 -t app:2 .\n", out);
}

typedef struct {
	const char *engine_name;
	bool fix, scan, quiet, no_color;
	int threshold;
	const char *config_path;
	int secret_mount;          /* -1 by engine, 0 env, 1 file */
	const char **writable;
	size_t nwritable;
	char **args;               /* the engine's arguments (borrowed from argv) */
	int nargs;
} build_cmd;

/* One build's state; everything owned is freed by state_free. */
typedef struct {
	dd_engine engine;
	dd_build_cmdline cl;
	char *dockerfile, *context;
	char *tmpdir;
	char *fixed;               /* the fixed Dockerfile in tmpdir, or NULL */
	char *iidfile;             /* ours, in tmpdir, or NULL when the user gave one */
	dd_config *cfg;
	dd_knowledge *kb;
	char *image;               /* the built image's ID */
} build_state;

static int
parse_options(int argc, char **argv, build_cmd *c)
{
	dd_optparser p;
	int id;
	dd_opt_init(&p, argc, argv);
	while ((id = dd_opt_next(&p, cmd_build_options)) != -1) {
		switch (id) {
		case 0:
			/* everything after "--", and positional words before it, go to the engine */
			c->args[c->nargs++] = (char *)p.value;
			break;
		case OPT_ENGINE:
			c->engine_name = p.value;
			break;
		case OPT_FIX:
			c->fix = true;
			break;
		case OPT_THRESHOLD:
			c->threshold = dd_severity_parse(p.value);
			if (c->threshold < 0)
				return dd_error_set(DD_EUSAGE, "unknown severity '%s' (info, warning, error, none)", p.value);
			break;
		case OPT_SCAN:
			c->scan = true;
			break;
		case OPT_CONFIG:
			c->config_path = p.value;
			break;
		case OPT_SECRET_MOUNT:
			if (strcmp(p.value, "env") != 0 && strcmp(p.value, "file") != 0)
				return dd_error_set(DD_EUSAGE, "--secret-mount takes env or file");
			c->secret_mount = strcmp(p.value, "file") == 0;
			break;
		case OPT_WRITABLE:
			if (dd_cmd_add_writable(p.value, &c->writable, &c->nwritable) < 0)
				return DD_EUSAGE;
			break;
		case OPT_NO_COLOR:
			c->no_color = true;
			break;
		case OPT_QUIET:
			c->quiet = true;
			break;
		case OPT_HELP:
			return 1;
		default:
			return id;
		}
	}
	return DD_OK;
}

static void
say(const build_cmd *c, const char *fmt, const char *a)
{
	if (c->quiet)
		return;
	fputs("drydock build: ", stderr);
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
}

/* An error of drydock's own: the message, then the exit status for its code. */
static int
fail(int code)
{
	fprintf(stderr, "drydock build: %s\n", dd_error_last());
	return code == DD_EUSAGE || code == DD_EPARSE || code == DD_EIO || code == DD_ENOTFOUND
	       ? DD_EXIT_INPUT : DD_EXIT_INTERNAL;
}

/* ---- preparing ------------------------------------------------------------------------ */

static bool
readable_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	closedir(d);
	return true;
}

/* The engine, its command line, the Dockerfile and context, the temporary folder, configuration. */
static int
prepare(const build_cmd *c, build_state *s)
{
	int rc = dd_engine_find(&s->engine, c->engine_name ? c->engine_name : "auto");
	if (rc < 0)
		return fail(rc);
	if ((rc = dd_build_cmdline_parse(&s->cl, c->nargs, c->args)) < 0 ||
	    (rc = dd_build_cmdline_resolve(&s->cl, s->engine.kind, &s->dockerfile, &s->context)) < 0)
		return fail(rc);
	if (!readable_dir(s->context)) {
		dd_error_set(DD_EENGINE, "the build context %s cannot be read: %s", s->context, strerror(errno));
		return fail(DD_EENGINE);
	}
	if (access(s->dockerfile, R_OK) != 0) {
		dd_error_set(DD_EIO, "%s: cannot read the Dockerfile: %s", s->dockerfile, strerror(errno));
		return fail(DD_EIO);
	}
	if (c->config_path)
		rc = dd_config_load(&s->cfg, c->config_path);
	else {
		char *copy = dd_xstrdup(s->dockerfile);
		rc = dd_config_find(&s->cfg, dirname(copy));
		free(copy);
	}
	if (rc < 0) {
		fprintf(stderr, "%s\n", dd_error_last());
		return DD_EXIT_INPUT;
	}
	if (dd_knowledge_load(&s->kb, dd_knowledge_default_dir()) < 0 && !c->quiet)
		fprintf(stderr, "drydock: %s (image rules and fixes are off)\n", dd_error_last());
	if ((rc = dd_cleanup_mkdtemp(&s->tmpdir, "build")) < 0)
		return fail(DD_ERROR);
	return -1;
}

/* ---- --fix ------------------------------------------------------------------------------ */

/* Copy src to dst when src exists (a Dockerfile's own ignore file). */
static int
copy_if_there(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb");
	if (!in)
		return DD_OK;
	FILE *out = fopen(dst, "wb");
	if (!out) {
		fclose(in);
		return dd_error_set(DD_EIO, "%s: %s", dst, strerror(errno));
	}
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		fwrite(chunk, 1, n, out);
	bool bad = ferror(in) || ferror(out);
	fclose(in);
	if (fclose(out) != 0 || bad)
		return dd_error_set(DD_EIO, "%s: cannot copy %s", dst, src);
	return DD_OK;
}

/*
 * The fixed Dockerfile goes in the private folder under the original's
 * name: outside the context, `COPY . .` cannot ship it and the build
 * cache does not see a new file each time. The per-Dockerfile ignore
 * files BuildKit and podman look for next to it come along.
 */
static int
write_fixed(build_state *s, const dd_fix_result *r)
{
	char *copy = dd_xstrdup(s->dockerfile);
	char *base = dd_xstrdup(basename(copy));
	free(copy);
	s->fixed = dd_cleanup_file(base);
	int rc = s->fixed ? DD_OK : dd_error_set(DD_EIO, "%s: the temporary file's name is too long", base);
	FILE *f = s->fixed ? fopen(s->fixed, "wb") : NULL;
	if (rc == DD_OK && (!f || fwrite(r->output, 1, r->len, f) != r->len))
		rc = dd_error_set(DD_EIO, "%s: %s", s->fixed, strerror(errno));
	if (f && fclose(f) != 0 && rc == DD_OK)
		rc = dd_error_set(DD_EIO, "%s: %s", s->fixed, strerror(errno));
	static const char *const ignores[] = { ".dockerignore", ".containerignore" };
	for (size_t i = 0; rc == DD_OK && i < DD_ARRAY_LEN(ignores); i++) {
		char name[512], src[4200];
		snprintf(name, sizeof(name), "%s%s", base, ignores[i]);
		snprintf(src, sizeof(src), "%s%s", s->dockerfile, ignores[i]);
		char *dst = dd_cleanup_file(name);
		rc = dst ? copy_if_there(src, dst) : dd_error_set(DD_EIO, "%s: the name is too long", name);
		free(dst);
	}
	free(base);
	return rc;
}

static void
print_fix(const build_cmd *c, const build_state *s, const dd_fix_result *r)
{
	for (size_t i = 0; !c->quiet && i < r->nnotes; i++) {
		const dd_fix_note *n = &r->notes[i];
		fprintf(stderr, "%s:%u: %s %s: %s%s\n", s->dockerfile, n->line, n->rule ? n->rule->code : "-",
		    n->rule ? n->rule->slug : "-", n->applied ? "" : "to do: ", n->text);
	}
	for (size_t i = 0; i < r->nbuild_flags; i++) {
		/* "--secret id=x,env=Y": given among the engine's arguments already? */
		const char *f = r->build_flags[i], *id = strstr(f, "id=");
		size_t len = id ? strcspn(id + 3, ", ") : 0;
		if (id && strncmp(f, "--secret", 8) == 0 && dd_build_cmdline_has_secret(&s->cl, id + 3, len))
			fprintf(stderr, "drydock build: the fixed Dockerfile needs %s (given)\n", f);
		else
			fprintf(stderr, "drydock build: the fixed Dockerfile needs %s: give it after -- (its "
			    "RUN lines read that secret)\n", f);
	}
}

static int
fix(const build_cmd *c, build_state *s)
{
	dd_source *src = NULL;
	int rc = dd_source_read(&src, s->dockerfile);
	if (rc < 0) {
		dd_cmd_print_error();
		return dd_cmd_exit_for(rc);
	}
	dd_lint_run tmp; /* its build-argument list reads NAME=VALUE and NAME as docker does */
	dd_lint_run_init(&tmp);
	for (size_t i = 0; i < s->cl.nbuild_args; i++)
		dd_lint_run_add_build_arg(&tmp, s->cl.build_args[i]);
	dd_parse_opts po = { tmp.build_args, tmp.nbuild_args };
	dd_lint_opts lo = { .target = s->cl.target, .context_dir = s->context, .config = s->cfg, .kb = s->kb };
	dd_fix_opts fo;
	memset(&fo, 0, sizeof(fo));
	fo.writable = c->writable;
	fo.nwritable = c->nwritable;
	fo.secret_file = c->secret_mount < 0 ? s->engine.kind != DD_ENGINE_DOCKER : c->secret_mount == 1;
	dd_fix_result r;
	rc = dd_fix(src, &po, &lo, &fo, &r);
	int status = -1;
	if (rc < 0) {
		dd_cmd_print_error();
		status = dd_cmd_exit_for(rc);
	} else if ((rc = write_fixed(s, &r)) < 0) {
		status = fail(rc);
	} else {
		print_fix(c, s, &r);
		say(c, "building the fixed Dockerfile %s (yours is untouched)", s->fixed);
	}
	dd_fix_result_free(&r);
	dd_lint_run_free(&tmp);
	dd_source_free(src);
	return status;
}

/* ---- the gate ------------------------------------------------------------------------------ */

static int
gate(const build_cmd *c, const build_state *s)
{
	dd_lint_run run;
	dd_lint_run_init(&run);
	dd_lint_run_add_path(&run, s->fixed ? s->fixed : s->dockerfile);
	run.threshold = c->threshold;
	run.lint.target = s->cl.target;
	run.lint.context_dir = s->context;
	/* the fixed file's folder is not the project's: keep the project's configuration */
	run.config_path = c->config_path ? c->config_path : s->cfg->path;
	run.color = c->no_color ? 0 : -1;
	run.jobs = 1;
	run.report.quiet = c->quiet;
	for (size_t i = 0; i < s->cl.nbuild_args; i++)
		dd_lint_run_add_build_arg(&run, s->cl.build_args[i]);
	int status = dd_lint_run_exec(&run, stderr);
	dd_lint_run_free(&run);
	if (status == DD_EXIT_FINDINGS)
		fprintf(stderr, "drydock build: not built: findings at or above %s (--severity-threshold)%s\n",
		    c->threshold > DD_SEV_ERROR ? "none" : dd_severity_name((dd_severity)c->threshold),
		    c->fix ? "" : "; drydock build --fix builds the fixed Dockerfile");
	return status == DD_EXIT_OK ? -1 : status;
}

/* ---- the build ------------------------------------------------------------------------------- */

static void
put_word(dd_buf *b, const char *w)
{
	bool plain = *w != '\0';
	for (const char *p = w; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:=@,+%", *p))
			plain = false;
	dd_buf_putc(b, ' ');
	if (plain) {
		dd_buf_puts(b, w);
		return;
	}
	dd_buf_putc(b, '\'');
	for (const char *p = w; *p; p++)
		dd_buf_puts(b, *p == '\'' ? "'\\''" : (char[2]){ *p, 0 });
	dd_buf_putc(b, '\'');
}

/*
 * The engine's argv: its path, the build subcommand, our -f and --iidfile
 * when we need them, the user's words (without their -f when --fix
 * replaces it), and the context when the user left it implicit. *made is
 * the one word made here ("-q" of "-qf FILE"), for the caller to free.
 */
static char **
engine_argv(const build_cmd *c, build_state *s, char **made)
{
	char **v = dd_xcalloc((size_t)c->nargs + 8, sizeof(char *));
	size_t n = 0;
	*made = NULL;
	v[n++] = s->engine.path;
	v[n++] = (char *)dd_engine_build_cmd(s->engine.kind);
	if (s->fixed) {
		v[n++] = "-f";
		v[n++] = s->fixed;
	}
	if (!s->cl.iidfile) {
		free(s->iidfile);
		s->iidfile = dd_cleanup_file("iid");
		v[n++] = "--iidfile";
		v[n++] = s->iidfile;
	}
	for (int i = 0; i < c->nargs; i++) {
		if (s->fixed && i == s->cl.file_at) {
			if (s->cl.file_keep)
				v[n++] = *made = dd_xstrndup(c->args[i], (size_t)s->cl.file_keep);
			i += s->cl.file_words - 1;
			continue;
		}
		v[n++] = c->args[i];
	}
	if (s->fixed && !s->cl.context)
		v[n++] = s->context;
	return v;
}

/* The image ID the engine wrote to the iidfile. */
static int
read_iid(build_state *s)
{
	const char *path = s->iidfile ? s->iidfile : s->cl.iidfile;
	FILE *f = fopen(path, "r");
	char id[256] = "";
	if (f) {
		if (!fgets(id, sizeof(id), f))
			id[0] = '\0';
		fclose(f);
	}
	id[strcspn(id, " \r\n")] = '\0';
	if (!id[0])
		return dd_error_set(DD_EENGINE, "%s did not write the image ID to %s", s->engine.name, path);
	s->image = dd_xstrdup(id);
	return DD_OK;
}

static int
build(const build_cmd *c, build_state *s)
{
	char *made;
	char **argv = engine_argv(c, s, &made);
	dd_buf line = DD_BUF_INIT;
	dd_buf_puts(&line, s->engine.name);
	for (size_t i = 1; argv[i]; i++)
		put_word(&line, argv[i]);
	dd_secret_redact_all(&line); /* --build-arg TOKEN=… is the user's, but no log should keep it */
	say(c, "running: %s", line.ptr);
	dd_buf_free(&line);
	int rc = dd_engine_exec(argv, NULL);
	free(made);
	free(argv);
	int sig = dd_cleanup_pending();
	if (sig)
		dd_cleanup_reraise(sig);
	if (rc < 0)
		return fail(rc);
	if (rc > 0) {
		fprintf(stderr, "drydock build: %s %s failed (exit status %d)\n", s->engine.name,
		    dd_engine_build_cmd(s->engine.kind), rc);
		return DD_EXIT_INTERNAL;
	}
	if ((rc = read_iid(s)) < 0)
		return fail(rc);
	return -1;
}

/* ---- after the build ------------------------------------------------------------------------ */

/* What the reports call the image: its first tag, else its ID. */
static const char *
image_name(const build_state *s)
{
	return s->cl.ntags ? s->cl.tags[0] : s->image;
}

static int
check_image(const build_cmd *c, build_state *s)
{
	dd_image_meta m;
	int rc = dd_engine_inspect(&s->engine, s->image, &m);
	int sig = dd_cleanup_pending();
	if (sig)
		dd_cleanup_reraise(sig);
	if (rc < 0)
		return fail(rc);
	dd_findings found = { NULL, 0, 0 };
	dd_image_check(&m, s->cfg, &found);
	dd_image_meta_free(&m);
	int status = DD_EXIT_OK;
	if (found.n) {
		dd_file_result f = { image_name(s), NULL, found, NULL };
		dd_results r = { &f, 1, 0, (dd_severity)c->threshold };
		dd_report_opts ro;
		memset(&ro, 0, sizeof(ro));
		ro.quiet = true;
		ro.color = !c->no_color && isatty(STDERR_FILENO) && !getenv("NO_COLOR");
		dd_report_write(stderr, "text", &r, &ro);
		for (size_t i = 0; i < found.n; i++)
			if ((int)found.v[i].severity >= c->threshold)
				status = DD_EXIT_FINDINGS;
	}
	if (status == DD_EXIT_FINDINGS)
		fprintf(stderr, "drydock build: the image %s was built but fails its checks (findings at or above %s)\n",
		    image_name(s), dd_severity_name((dd_severity)c->threshold));
	else
		say(c, "the image %s passed its checks (user, environment, history)", image_name(s));
	dd_findings_free(&found);
	return status;
}

/* Run one command of the scan; 0, or the exit status for the failure. */
static int
scan_run(char **argv)
{
	int rc = dd_engine_exec(argv, NULL);
	int sig = dd_cleanup_pending();
	if (sig)
		dd_cleanup_reraise(sig);
	return rc;
}

/*
 * Trivy reads docker's images itself; podman's and buildah's go to it as
 * an archive (it would need podman's API socket otherwise).
 */
static int
scan(const build_cmd *c, build_state *s)
{
	char *trivy = dd_engine_which("trivy");
	if (!trivy) {
		fprintf(stderr, "drydock build: --scan: no scanner found (trivy is not on PATH): the image was "
		    "NOT scanned for vulnerabilities\n");
		return DD_EXIT_OK;
	}
	int rc = 0;
	char *archive = NULL;
	if (s->engine.kind != DD_ENGINE_DOCKER) {
		archive = dd_cleanup_file("image.tar");
		char dest[4200];
		snprintf(dest, sizeof(dest), "docker-archive:%s", archive);
		char *save[] = { s->engine.path, "save", "-q", "-o", archive, s->image, NULL };
		char *push_[] = { s->engine.path, "push", "-q", s->image, dest, NULL };
		say(c, "exporting the image for the scan to %s", archive);
		rc = scan_run(s->engine.kind == DD_ENGINE_PODMAN ? save : push_);
		if (rc != 0)
			fprintf(stderr, "drydock build: --scan: %s could not export the image (exit status %d)\n",
			    s->engine.name, rc < 0 ? -1 : rc);
	}
	if (rc == 0) {
		char *docker[] = { trivy, "image", "--exit-code", "1", "--severity", "CRITICAL,HIGH",
			(char *)image_name(s), NULL };
		char *input[] = { trivy, "image", "--exit-code", "1", "--severity", "CRITICAL,HIGH", "--input",
			archive, NULL };
		say(c, "scanning with %s", trivy);
		rc = scan_run(archive ? input : docker);
		if (rc == 1)
			fprintf(stderr, "drydock build: trivy found CRITICAL or HIGH vulnerabilities in %s\n", image_name(s));
		else if (rc != 0)
			fprintf(stderr, "drydock build: trivy failed (exit status %d)\n", rc < 0 ? -1 : rc);
	}
	free(archive);
	free(trivy);
	return rc == 0 ? DD_EXIT_OK : rc == 1 ? DD_EXIT_FINDINGS : DD_EXIT_INTERNAL;
}

/* ---- the command ----------------------------------------------------------------------------- */

static void
state_free(build_state *s)
{
	dd_cleanup_run();
	dd_engine_free(&s->engine);
	dd_build_cmdline_free(&s->cl);
	free(s->dockerfile);
	free(s->context);
	free(s->tmpdir);
	free(s->fixed);
	free(s->iidfile);
	free(s->image);
	dd_config_free(s->cfg);
	dd_knowledge_free(s->kb);
}

static int
run(const build_cmd *c)
{
	build_state s;
	memset(&s, 0, sizeof(s));
	s.cl.file_at = -1;
	int status = prepare(c, &s);
	if (status < 0 && c->fix)
		status = fix(c, &s);
	if (status < 0)
		status = gate(c, &s);
	if (status < 0)
		status = build(c, &s);
	if (status < 0) {
		status = check_image(c, &s);
		if (c->scan) {
			int st = scan(c, &s);
			if (st > status)
				status = st;
		}
	}
	state_free(&s);
	return status;
}

int
cmd_build(int argc, char **argv)
{
	build_cmd c;
	memset(&c, 0, sizeof(c));
	c.threshold = DD_SEV_ERROR;
	c.secret_mount = -1;
	c.args = dd_xcalloc((size_t)argc + 1, sizeof(char *));
	int rc = parse_options(argc, argv, &c);
	int status;
	if (rc == 1) {
		usage(stdout);
		status = DD_EXIT_OK;
	} else if (rc < 0) {
		status = dd_cmd_usage_error("build");
	} else {
		status = run(&c);
	}
	free(c.args);
	free(c.writable);
	return status;
}
