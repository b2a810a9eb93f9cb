/* `drydock runtime`: docker run flags, a Compose service or a Kubernetes securityContext for the image. */
#include "cmd.h"
#include "opt.h"

#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/knowledge.h"
#include "drydock/runtime.h"
#include "drydock/source.h"
#include "drydock/template.h"

#include "lintrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_FORMAT = 1, OPT_WRITABLE, OPT_TARGET, OPT_BUILD_ARG, OPT_IMAGE, OPT_NAME, OPT_QUIET, OPT_HELP };

const char *const cmd_runtime_formats[] = { "docker", "compose", "kubernetes", NULL };

const dd_opt cmd_runtime_options[] = {
	{ "format", 'f', "FMT", OPT_FORMAT, "docker (default: docker run flags), compose, kubernetes" },
	{ "writable", 0, "PATH", OPT_WRITABLE, "another path the application writes: a tmpfs (repeatable)" },
	{ "target", 0, "STAGE", OPT_TARGET, "the stage that runs (like docker build --target)" },
	{ "build-arg", 0, "NAME=VALUE", OPT_BUILD_ARG, "a build argument, as docker build takes it (repeatable)" },
	{ "image", 0, "REF", OPT_IMAGE, "the image, for compose and kubernetes (default IMAGE)" },
	{ "name", 0, "NAME", OPT_NAME, "the service or container name (default app)" },
	{ "quiet", 'q', NULL, OPT_QUIET, "no notes on standard error" },
	{ "help", 'h', NULL, OPT_HELP, "show this help" },
	{ NULL, 0, NULL, 0, NULL },
};

static void
usage(FILE *out)
{
	fputs("usage: drydock runtime [OPTIONS] [PATH]\n"
	      "\n"
	      "Print the run-time half of the hardening, which a Dockerfile cannot say,\n"
	      "for the image PATH builds (default ./Dockerfile; a folder: its Dockerfile\n"
	      "or Containerfile): a read-only root filesystem with a tmpfs for /tmp, the\n"
	      "VOLUMEs and --writable paths; every capability dropped (NET_BIND_SERVICE\n"
	      "added back when a port below 1024 is exposed); no new privileges; the\n"
	      "final stage's user as uid:gid. The output comes from\n"
	      "templates/runtime/<format>.tmpl; what it cannot say goes to standard error.\n"
	      "\n"
	      "Exit status: 0 done, 2 a usage or input error, 3 an internal error.\n"
	      "\n"
	      "Options:\n", out);
	dd_opt_print(out, cmd_runtime_options);
	fputs("\nExamples:\n"
	      "  podman run $(drydock runtime) --rm app:1\n"
	      "  drydock runtime -f kubernetes --image registry.example.com/app:1 > hardening.yaml\n"
	      "  drydock runtime -f compose --writable /var/cache/app\n", out);
}

typedef struct {
	dd_lint_run run;          /* the path, target, build args */
	const char *format;
	const char **writable;
	size_t nwritable;
	dd_runtime_names names;
	bool quiet;
} runtime_cmd;

static int
parse_options(int argc, char **argv, runtime_cmd *c)
{
	dd_optparser p;
	int id;
	dd_opt_init(&p, argc, argv);
	while ((id = dd_opt_next(&p, cmd_runtime_options)) != -1) {
		switch (id) {
		case 0:
			if (c->run.npaths)
				return dd_error_set(DD_EUSAGE, "one Dockerfile at a time");
			dd_lint_run_add_path(&c->run, p.value);
			break;
		case OPT_FORMAT:
			if (strcmp(p.value, "k8s") == 0)
				p.value = "kubernetes";
			if (strcmp(p.value, "docker") && strcmp(p.value, "compose") && strcmp(p.value, "kubernetes"))
				return dd_error_set(DD_EUSAGE, "unknown format '%s' (docker, compose, kubernetes)", p.value);
			c->format = p.value;
			break;
		case OPT_WRITABLE:
			if (p.value[0] != '/' || strcmp(p.value, "/") == 0)
				return dd_error_set(DD_EUSAGE, "--writable takes an absolute path in the image, not /");
			c->writable = dd_xreallocarray(c->writable, c->nwritable + 1, sizeof(char *));
			c->writable[c->nwritable++] = p.value;
			break;
		case OPT_TARGET:
			c->run.lint.target = p.value;
			break;
		case OPT_BUILD_ARG:
			if (dd_lint_run_add_build_arg(&c->run, p.value) < 0)
				return DD_EUSAGE;
			break;
		case OPT_IMAGE:
			c->names.image = p.value;
			break;
		case OPT_NAME:
			c->names.name = p.value;
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

/* A folder stands for its Dockerfile (or Containerfile); malloc'd. */
static char *
dockerfile_path(const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return dd_xstrdup(path);
	static const char *const names[] = { "Dockerfile", "Containerfile" };
	for (size_t i = 0; i < DD_ARRAY_LEN(names); i++) {
		size_t n = strlen(path) + strlen(names[i]) + 2;
		char *p = dd_xmalloc(n);
		snprintf(p, n, "%s/%s", path, names[i]);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			return p;
		free(p);
	}
	return dd_xstrdup(path); /* reading it fails and says why */
}

/* Compute and render; returns an exit status. */
static int
emit(runtime_cmd *c, const dd_doc *doc, const dd_knowledge *kb)
{
	dd_lint_opts lo = c->run.lint;
	lo.kb = kb;
	dd_runtime rt;
	int rc = dd_runtime_compute(&rt, doc, &lo, c->writable, c->nwritable);
	if (rc < 0) {
		dd_cmd_print_error();
		return dd_cmd_exit_for(rc);
	}
	char rel[64], *tmpl = NULL, *tpath = NULL;
	size_t tlen = 0;
	snprintf(rel, sizeof(rel), "runtime/%s.tmpl", c->format);
	dd_buf out = DD_BUF_INIT;
	rc = dd_template_load(&tmpl, &tlen, &tpath, rel);
	if (rc == DD_OK)
		rc = dd_runtime_render(&out, &rt, &c->names, tpath, tmpl, tlen);
	int status = DD_EXIT_OK;
	if (rc < 0) {
		fprintf(stderr, "drydock runtime: %s\n", dd_error_last());
		status = DD_EXIT_INTERNAL;
	} else {
		fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
		for (size_t i = 0; !c->quiet && i < rt.nnotes; i++)
			fprintf(stderr, "%s: note: %s\n", doc->src->path, rt.notes[i]);
	}
	dd_buf_free(&out);
	free(tmpl);
	free(tpath);
	dd_runtime_free(&rt);
	return status;
}

static int
run(runtime_cmd *c)
{
	char *path = dockerfile_path(c->run.npaths ? c->run.paths[0] : "Dockerfile");
	dd_source *src = NULL;
	dd_doc *doc = NULL;
	dd_knowledge *kb = NULL;
	dd_parse_opts po = { c->run.build_args, c->run.nbuild_args };
	int status;
	int rc = dd_source_read(&src, path);
	if (rc == DD_OK)
		rc = dd_doc_parse(&doc, src, &po);
	if (rc < 0) {
		dd_cmd_print_error();
		status = dd_cmd_exit_for(rc);
		goto done;
	}
	if (dd_knowledge_load(&kb, dd_knowledge_default_dir()) < 0 && !c->quiet)
		fprintf(stderr, "drydock: %s (the users base images ship are unknown)\n", dd_error_last());
	c->names.source = path;
	status = emit(c, doc, kb);
done:
	dd_knowledge_free(kb);
	dd_doc_free(doc);
	dd_source_free(src);
	free(path);
	return status;
}

int
cmd_runtime(int argc, char **argv)
{
	runtime_cmd c;
	memset(&c, 0, sizeof(c));
	dd_lint_run_init(&c.run);
	c.format = "docker";
	c.names.image = "IMAGE";
	c.names.name = "app";
	int rc = parse_options(argc, argv, &c);
	int status;
	if (rc == 1) {
		usage(stdout);
		status = DD_EXIT_OK;
	} else if (rc < 0) {
		status = dd_cmd_usage_error("runtime");
	} else {
		status = run(&c);
	}
	free(c.writable);
	dd_lint_run_free(&c.run);
	return status;
}
