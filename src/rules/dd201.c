/* DD201 secret-env: an ENV whose value is a secret, or a secret-named ENV fed from a build argument. */
#include "rules.h"
#include "drydock/fixer.h"
#include "secrets.h"

#include "drydock/lint.h"

const dd_rule_doc dd201_doc = {
	"ENV holds a secret",
	"ENV values are stored in the image's configuration: anyone who can pull the "
	"image reads them with `docker inspect`, and every container and child process "
	"sees them. A token, password or key in ENV — written literally or copied from a "
	"build argument — ships with the image. drydock reports a value that is a known "
	"token format or a random-looking secret, and a secret-named variable set from "
	"a build argument; not empty values, placeholders, variables naming files, or "
	"public keys (GPG_KEY fingerprints, *_FILE paths, *_URL).",
	"drydock fix removes the pair from the ENV (only that pair when the ENV sets several; "
	"the whole instruction in the legacy `ENV NAME value` form). When RUN lines of its "
	"stage, or of stages built on it, use $NAME or run a program known to read it from the "
	"environment (aws for AWS_*, npm for NPM_TOKEN, gh for GITHUB_TOKEN …), each gets `--mount=type=secret,id=name,"
	"env=NAME` (the id is the name in lower case; `# syntax=docker/dockerfile:1` is added "
	"when the file has no syntax directive) and the build needs `--secret id=name,env=NAME`, "
	"which drydock fix prints; an ENV that copies a build argument (ENV NAME=$ARG) mounts "
	"that argument's secret instead (`id=arg,env=NAME`). Otherwise the secret is the "
	"application's: it is removed, and drydock fix says how to inject it when the container "
	"starts (`docker run --env-file` or `-e NAME`, Compose env_file or secrets, a Kubernetes "
	"secretKeyRef). When the variable is used outside RUN (another ENV, LABEL, COPY …) or "
	"the image is a Windows one, the ENV stays and drydock fix says what to do by hand.",
	"FROM node:20-slim\nENV NPM_TOKEN=npm_0123456789abcdefghijklmnopqrstuvwxyz\n"
	"RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\n",
	"# syntax=docker/dockerfile:1\nFROM node:20-slim\n"
	"RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN "
	"echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\n",
};

/* Fixable: the pair can go, moved to secret mounts or left to run time; else advice. */
static void
mark(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_finding *f)
{
	dd_secret_plan p;
	dd_env_plan(ctx, doc, ins, k, &p);
	f->fixable = !p.why;
	f->advice = !f->fixable;
	dd_secret_plan_free(&p);
}

static void
check_pair(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k)
{
	const dd_kv *kv = &ins->as.kv.pairs[k];
	const char *v, *var;
	size_t vlen, nlen;
	dd_unquote(kv->value.text, kv->value.len, &v, &vlen);
	dd_env_secret kind = dd_env_pair_secret(doc, ins, kv, &var, &nlen);
	dd_secret_hit hit;
	dd_buf red = DD_BUF_INIT;
	dd_finding *f = NULL;
	if (kind == DD_ENV_SECRET && dd_first_secret(v, vlen, &hit)) {
		dd_secret_redact(&red, v + hit.start, hit.end - hit.start);
		f = dd_report_instr(ctx, ins, kv->value.span, "ENV %.*s holds a secret: %s (%s)",
		    (int)kv->key.len, kv->key.text, hit.kind, red.ptr);
		f->secret = true;
	} else if (kind == DD_ENV_SECRET) {
		dd_secret_redact(&red, v, vlen);
		f = dd_report_instr(ctx, ins, kv->value.span, "ENV %.*s holds a secret value (%s)",
		    (int)kv->key.len, kv->key.text, red.ptr);
		f->secret = true;
	} else if (kind == DD_ENV_FROM_ARG) {
		f = dd_report_instr(ctx, ins, kv->value.span,
		    "ENV %.*s copies the build argument %.*s into the image", (int)kv->key.len, kv->key.text,
		    (int)nlen, var);
	}
	if (f)
		mark(ctx, doc, ins, k, f);
	dd_buf_free(&red);
}

void
dd201_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_ENV)
			continue;
		for (size_t k = 0; k < ins->as.kv.npairs; k++)
			check_pair(ctx, doc, ins, k);
	}
}

static bool
fixable_pair(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k)
{
	dd_secret_plan p;
	dd_env_plan(ctx, doc, ins, k, &p);
	bool ok = !p.why;
	dd_secret_plan_free(&p);
	return ok;
}

#define RUNTIME "inject it when the container starts (docker run --env-file FILE or -e %.*s, " \
	"Compose env_file or secrets, Kubernetes env valueFrom.secretKeyRef)"

/* The note of a pair that RUN lines use: it is a build secret now. */
static void
note_build(dd_buf *note, const dd_secret_plan *p, const char *id, const char *mount)
{
	int n = (int)p->nlen;
	if (p->nruns) {
		dd_buf_printf(note, "ENV %.*s removed: it is a build secret now, mounted on ", n, p->name);
		dd_run_lines(note, p->runs, p->nruns);
		dd_buf_printf(note, " (%s)", mount);
	} else {
		dd_buf_printf(note, "ENV %.*s removed: the RUN lines that use it mount it already", n, p->name);
	}
	dd_buf_printf(note, "; build with --secret id=%s,env=%.*s", id, (int)p->slen, p->source);
	if (p->kind == DD_ENV_SECRET)
		dd_buf_puts(note, " (set it in the environment of the build)");
	dd_buf_printf(note, "; if the application reads it at run time too, " RUNTIME, n, p->name);
}

/* The note of a pair no RUN line uses: the application's, at run time. */
static void
note_runtime(dd_buf *note, const dd_secret_plan *p, const char *id)
{
	int n = (int)p->nlen;
	if (p->kind == DD_ENV_FROM_ARG) {
		dd_buf_printf(note, "ENV %.*s removed: it copied the build argument %.*s into the image; a RUN "
		    "whose script reads it without naming it needs --mount=type=secret,id=%s,env=%.*s; "
		    "at run time, " RUNTIME, n, p->name, (int)p->slen, p->source, id, n, p->name, n, p->name);
	} else {
		dd_buf_printf(note, "ENV %.*s removed from the image: no RUN line uses it, so it is the "
		    "application's: " RUNTIME, n, p->name, n, p->name);
	}
}

static void
apply(dd_fixer *fx, const dd_doc *doc, const dd_instr *ins, size_t k, const dd_secret_plan *p)
{
	dd_fix_remove_pairs(fx, doc, ins, k, fixable_pair);
	dd_buf id = DD_BUF_INIT, mount = DD_BUF_INIT, note = DD_BUF_INIT;
	dd_fix_secret_env(fx, p, &id, &mount);
	if (p->nuses)
		note_build(&note, p, id.ptr, mount.ptr);
	else
		note_runtime(&note, p, id.ptr);
	if (p->kind == DD_ENV_SECRET)
		dd_buf_puts(&note, "; the value stays in the Dockerfile's history: rotate it");
	dd_fix_note_add(fx, true, 0, "%s", note.ptr);
	dd_buf_free(&id);
	dd_buf_free(&mount);
	dd_buf_free(&note);
}

/* Not fixable: where it stops, and the fix to make by hand. */
static void
advise(dd_fixer *fx, const dd_instr *ins, const dd_secret_plan *p)
{
	int n = (int)p->nlen;
	dd_buf why = DD_BUF_INIT, id = DD_BUF_INIT;
	dd_why_text(&why, p->why, p->at, ins);
	dd_secret_id(&id, p->source, p->slen);
	if (p->windows)
		dd_fix_note_add(fx, false, 0, "ENV %.*s stays: %s; " DD_WINDOWS_ADVICE, n, p->name, why.ptr);
	else
		dd_fix_note_add(fx, false, 0,
		    "ENV %.*s stays: %s; remove it, give the RUN lines that need it "
		    "--mount=type=secret,id=%s,env=%.*s (built with --secret id=%s,env=%.*s), and " RUNTIME,
		    n, p->name, why.ptr, id.ptr, n, p->name, id.ptr, (int)p->slen, p->source, n, p->name);
	dd_buf_free(&why);
	dd_buf_free(&id);
}

void
dd201_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	size_t k = ins && ins->kind == DD_INSTR_ENV ? dd_pair_at(ins, f->span) : SIZE_MAX;
	if (k == SIZE_MAX)
		return;
	dd_secret_plan p;
	dd_env_plan(dd_fixer_ctx(fx), doc, ins, k, &p);
	if (p.why)
		advise(fx, ins, &p);
	else
		apply(fx, doc, ins, k, &p);
	dd_secret_plan_free(&p);
}
