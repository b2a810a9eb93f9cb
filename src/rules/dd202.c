/* DD202 secret-arg: an ARG whose name or default value is a secret. */
#include "rules.h"
#include "drydock/fixer.h"
#include "secrets.h"

#include "drydock/lint.h"

const dd_rule_doc dd202_doc = {
	"ARG carries a secret",
	"Build arguments are not secret: their values are recorded in the image history "
	"(`docker history` shows the ARG values used by each RUN) and in build "
	"provenance, and a default value is written in the Dockerfile itself. A token "
	"or password passed with --build-arg leaks this way.",
	"drydock fix deletes the ARG (only that name when the ARG declares several; "
	"with its default value) and gives every RUN line in its scope that uses $NAME, or runs "
	"a program known to read it from the environment (aws for AWS_*, npm for NPM_TOKEN …), "
	"`--mount=type=secret,id=name,env=NAME` (the id is the name in lower case), adding "
	"`# syntax=docker/dockerfile:1` when the file has no syntax directive. A global ARG "
	"goes with the stage redeclarations that make it visible. Build with "
	"`--secret id=name,env=NAME` instead of --build-arg: drydock fix prints the flags. An ENV "
	"that copies the ARG is DD201's. When the ARG is used outside RUN (FROM, COPY, LABEL, "
	"another ARG's default …) or by a Windows image, it stays, and drydock fix says what to "
	"do by hand.",
	"FROM python:3.12-slim\nARG PIP_TOKEN\nRUN pip install --index-url https://token:$PIP_TOKEN@pypi.example/simple app\n",
	"# syntax=docker/dockerfile:1\nFROM python:3.12-slim\n"
	"RUN --mount=type=secret,id=pip_token,env=PIP_TOKEN pip install --index-url "
	"https://token:$PIP_TOKEN@pypi.example/simple app\n",
};

/* Fixable: a secret mount can replace it, or the fix has advice. */
static void
mark(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k, dd_finding *f)
{
	dd_secret_plan p;
	dd_arg_plan(ctx, doc, ins, k, &p);
	f->fixable = !p.why;
	f->advice = !f->fixable;
	dd_secret_plan_free(&p);
}

static void
check_pair(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k)
{
	const dd_kv *kv = &ins->as.kv.pairs[k];
	const char *v;
	size_t vlen;
	dd_unquote(kv->value.text, kv->value.len, &v, &vlen);
	dd_secret_hit hit;
	dd_buf red = DD_BUF_INIT;
	dd_finding *f = NULL;
	if (kv->has_value && dd_first_secret(v, vlen, &hit)) {
		dd_secret_redact(&red, v + hit.start, hit.end - hit.start);
		f = dd_report_instr(ctx, ins, kv->value.span, "ARG %.*s has a secret as its default: %s (%s)",
		    (int)kv->key.len, kv->key.text, hit.kind, red.ptr);
		f->secret = true;
	} else if (dd_secret_name(kv->key.text, kv->key.len, NULL)) {
		if (kv->has_value && dd_secret_value_plausible(v, vlen)) {
			dd_secret_redact(&red, v, vlen);
			f = dd_report_instr(ctx, ins, kv->value.span, "ARG %.*s has a secret default value (%s)",
			    (int)kv->key.len, kv->key.text, red.ptr);
			f->secret = true;
		} else {
			f = dd_report_instr(ctx, ins, kv->key.span,
			    "ARG %.*s looks like a secret: build arguments are recorded in the image history",
			    (int)kv->key.len, kv->key.text);
		}
	}
	if (f)
		mark(ctx, doc, ins, k, f);
	dd_buf_free(&red);
}

void
dd202_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_ARG)
			continue;
		for (size_t k = 0; k < ins->as.kv.npairs; k++)
			check_pair(ctx, doc, ins, k);
	}
}

static bool
fixable_pair(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k)
{
	dd_secret_plan p;
	dd_arg_plan(ctx, doc, ins, k, &p);
	bool ok = !p.why;
	dd_secret_plan_free(&p);
	return ok;
}

static void
apply(dd_fixer *fx, const dd_doc *doc, const dd_instr *ins, size_t k, const dd_secret_plan *p)
{
	const dd_kv *kv = &ins->as.kv.pairs[k];
	dd_fix_remove_pairs(fx, doc, ins, k, fixable_pair);
	for (size_t i = 0; i < p->ndecls; i++)
		dd_fix_delete(fx, p->decls[i]);
	dd_buf id = DD_BUF_INIT, mount = DD_BUF_INIT, note = DD_BUF_INIT;
	dd_fix_secret_env(fx, p, &id, &mount);
	if (p->nruns) {
		dd_buf_printf(&note, "ARG %.*s is a build secret now, mounted on ", (int)p->nlen, p->name);
		dd_run_lines(&note, p->runs, p->nruns);
		dd_buf_printf(&note, " (%s)", mount.ptr);
	} else if (p->nuses) {
		dd_buf_printf(&note, "ARG %.*s removed: the RUN lines that use it mount it already", (int)p->nlen,
		    p->name);
	} else if (p->copied) {
		dd_buf_printf(&note, "ARG %.*s removed; DD201 moves the ENV at line %u that copies it", (int)p->nlen, p->name, p->copied->start_line);
	} else if (!ins->stage) {
		dd_buf_printf(&note, "global ARG %.*s removed: a stage sees it only where it declares it again",
		    (int)p->nlen, p->name);
	} else {
		dd_buf_printf(&note, "ARG %.*s removed: no RUN line in its scope uses it", (int)p->nlen, p->name);
	}
	if (p->nuses)
		dd_buf_printf(&note, "; build with --secret id=%s,env=%.*s instead of --build-arg", id.ptr,
		    (int)p->nlen, p->name);
	if (kv->has_value && kv->value.len)
		dd_buf_puts(&note, "; its default value stays in the Dockerfile's history: rotate it");
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
	dd_secret_id(&id, p->name, p->nlen);
	if (p->windows)
		dd_fix_note_add(fx, false, 0, "ARG %.*s stays: %s; " DD_WINDOWS_ADVICE, n, p->name, why.ptr);
	else
		dd_fix_note_add(fx, false, 0,
		    "ARG %.*s stays: %s; give the RUN lines that need it --mount=type=secret,id=%s,env=%.*s, "
		    "build with --secret id=%s,env=%.*s and delete the ARG", n, p->name, why.ptr, id.ptr, n,
		    p->name, id.ptr, n, p->name);
	dd_buf_free(&why);
	dd_buf_free(&id);
}

void
dd202_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	size_t k = ins && ins->kind == DD_INSTR_ARG ? dd_pair_at(ins, f->span) : SIZE_MAX;
	if (k == SIZE_MAX)
		return;
	dd_secret_plan p;
	dd_arg_plan(dd_fixer_ctx(fx), doc, ins, k, &p);
	if (p.why)
		advise(fx, ins, &p);
	else
		apply(fx, doc, ins, k, &p);
	dd_secret_plan_free(&p);
}
