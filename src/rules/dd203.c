/* DD203 secret-file-copied: COPY/ADD of a key or credential file. */
#include "rules.h"
#include "drydock/fixer.h"
#include "secrets.h"

#include "drydock/alloc.h"
#include "drydock/lint.h"
#include "drydock/secret.h"

#include <stdlib.h>
#include <string.h>

const dd_rule_doc dd203_doc = {
	"COPY or ADD puts a key or credential file into the image",
	"A file copied into a layer stays in the image even if a later step deletes it: "
	"private keys (id_rsa, *.pem, *.key), .npmrc, .pypirc, .netrc, .env files, cloud "
	"credentials and kubeconfigs copied this way are readable by anyone who pulls "
	"the image, layer by layer. Configuration files that only sometimes hold "
	"credentials (.npmrc, .pypirc, .netrc, .env, .docker/config.json) are read from "
	"the build context when it is there and reported only when they write one out.",
	"drydock fix mounts the file only on the steps that read it. When a later RUN of the "
	"same stage (or of a stage built on it) runs a program that reads it (npm, yarn, pnpm "
	"for .npmrc; twine for .pypirc; curl, wget, git, pip, go for .netrc; git, ssh, scp for "
	"an SSH key …), the source leaves the COPY (the whole COPY when it was the only one) "
	"and those RUN lines get `--mount=type=secret,id=npmrc,target=/where/it/was/copied` "
	"(with uid/gid when a numeric non-root USER runs them), built with `--secret id=npmrc,"
	"src=.npmrc`, or `--mount=type=ssh` for an SSH key, built with `--ssh default`; "
	"`# syntax=docker/dockerfile:1` is added when the file has no syntax directive. It does "
	"not guess: when no RUN reads the file, a RUN names it (chmod, rm …), the source is a "
	"pattern or comes from another stage, or the destination is unclear, the COPY stays and "
	"drydock fix says what to do by hand.",
	"FROM node:20-slim\nCOPY .npmrc /root/.npmrc\nRUN npm ci\n",
	"# syntax=docker/dockerfile:1\nFROM node:20-slim\n"
	"RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
};

static bool
remote(const char *s, size_t n)
{
	return (n > 7 && strncmp(s, "http://", 7) == 0) || (n > 8 && strncmp(s, "https://", 8) == 0) ||
	       (n > 4 && strncmp(s, "git@", 4) == 0) || (n > 2 && strncmp(s, "<<", 2) == 0);
}

/*
 * An .npmrc or .env in the build context that writes no credential out
 * (`_authToken=${NPM_TOKEN}`, `legacy-peer-deps=true`) ships nothing secret.
 */
static bool
config_without_credentials(dd_ctx *ctx, const dd_word *w)
{
	if (!dd_secret_path_is_config(w->text, w->len))
		return false;
	size_t len;
	char *text = dd_ctx_read_context_file(ctx, w->text, w->len, &len);
	if (!text)
		return false;
	bool clean = !dd_secret_config_has_credential(text, len);
	free(text);
	return clean;
}

/* Does DD203 report source k of ins? */
static bool
reported(dd_ctx *ctx, const dd_instr *ins, size_t k, const char **what)
{
	const dd_word *w = &ins->as.copy.sources[k];
	if (remote(w->text, w->len) || !dd_secret_path(w->text, w->len, what))
		return false;
	return dd_instr_flag(ins, "from") || !config_without_credentials(ctx, w);
}

static bool
fixable_source(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, size_t k)
{
	const char *what;
	if (!reported(ctx, ins, k, &what))
		return false;
	dd_file_plan p;
	dd_file_plan_make(ctx, doc, ins, k, &p);
	bool ok = !p.why.len;
	dd_file_plan_free(&p);
	return ok;
}

void
dd203_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_COPY && ins->kind != DD_INSTR_ADD)
			continue;
		const dd_flag *from = dd_instr_flag(ins, "from");
		for (size_t k = 0; k < ins->as.copy.nsources; k++) {
			const dd_word *w = &ins->as.copy.sources[k];
			const char *what;
			if (!reported(ctx, ins, k, &what))
				continue;
			dd_finding *f;
			if (from)
				f = dd_report_instr(ctx, ins, w->span, "%s copies %.*s from %s into the image: %s",
				    dd_instr_kind_name(ins->kind), (int)w->len, w->text, from->value, what);
			else
				f = dd_report_instr(ctx, ins, w->span, "%s puts %.*s into the image: %s",
				    dd_instr_kind_name(ins->kind), (int)w->len, w->text, what);
			f->fixable = fixable_source(ctx, doc, ins, k);
			f->advice = !f->fixable;
		}
	}
}

/* Take the fixable sources out of the COPY (the first one's fix does it for all), or the COPY. */
static void
remove_sources(dd_fixer *fx, const dd_doc *doc, const dd_instr *ins, size_t k)
{
	dd_ctx *ctx = dd_fixer_ctx(fx);
	for (size_t j = 0; j < k; j++)
		if (fixable_source(ctx, doc, ins, j))
			return;
	size_t n = ins->as.copy.nsources, kept = 0;
	bool *drop = dd_xcalloc(n + 1, sizeof(bool));
	dd_span *items = dd_xcalloc(n + 1, sizeof(dd_span));
	for (size_t j = 0; j < n; j++) {
		items[j] = ins->as.copy.sources[j].span;
		drop[j] = j == k || (j > k && fixable_source(ctx, doc, ins, j));
		kept += !drop[j];
	}
	items[n] = ins->as.copy.dest.span;
	/* the destination only concerned the files that go */
	if (kept == 0)
		dd_fix_delete(fx, ins);
	else
		dd_fix_remove_items(fx, ins, items, n + 1, drop);
	free(items);
	free(drop);
}

static void
apply(dd_fixer *fx, const dd_doc *doc, const dd_instr *ins, size_t k, const dd_file_plan *p)
{
	remove_sources(fx, doc, ins, k);
	for (size_t i = 0; i < p->nruns; i++)
		dd_fix_add_flag(fx, p->runs[i], p->mounts[i]);
	if (p->nruns)
		dd_fix_want_syntax(fx);
	dd_buf note = DD_BUF_INIT, flag = DD_BUF_INIT;
	const char *kw = dd_instr_kind_name(ins->kind);
	dd_buf_printf(&note, "%s of %s removed: ", kw, p->src_path);
	if (p->nruns)
		dd_run_lines(&note, p->runs, p->nruns);
	else
		dd_buf_puts(&note, "the RUN lines that read it");
	if (p->ssh) {
		dd_buf_puts(&flag, "--ssh default");
		dd_buf_printf(&note, " use%s the SSH agent instead (--mount=type=ssh); load the key with ssh-add "
		    "and build with --ssh default", p->nruns == 1 ? "s" : "");
		if (p->blen == 4 && memcmp(p->base, ".ssh", 4) == 0)
			dd_buf_puts(&note, "; known_hosts and config went with the folder: "
			    "COPY them alone if needed");
	} else {
		dd_buf_printf(&flag, "--secret id=%s,src=%s", p->id, p->src_path);
		dd_buf_printf(&note, " mount%s it as a secret at %s only while %s; build with %s",
		    p->nruns == 1 ? "s" : "", p->target, p->nruns == 1 ? "it runs" : "they run", flag.ptr);
	}
	dd_fix_build_flag(fx, flag.ptr);
	dd_fix_note_add(fx, true, 0, "%s", note.ptr);
	dd_buf_free(&flag);
	dd_buf_free(&note);
}

/* Not fixable: why, and the fix to make by hand. */
static void
advise(dd_fixer *fx, const dd_instr *ins, const dd_file_plan *p)
{
	const char *kw = dd_instr_kind_name(ins->kind);
	dd_buf why = DD_BUF_INIT;
	dd_why_text(&why, p->why.ptr, p->at, ins);
	if (p->windows)
		dd_fix_note_add(fx, false, 0, "%s of %s stays: %s; " DD_WINDOWS_ADVICE, kw, p->src_path, why.ptr);
	else if (p->ssh)
		dd_fix_note_add(fx, false, 0,
		    "%s of %s stays: %s; delete it and give the RUN that clones or connects "
		    "--mount=type=ssh (built with --ssh default after ssh-add)", kw, p->src_path, why.ptr);
	else if (strpbrk(p->src_path, "*?[$"))
		dd_fix_note_add(fx, false, 0,
		    "%s of %s stays: %s; delete it and mount each file only on the RUN that needs it: "
		    "RUN --mount=type=secret,id=ID,target=PATH … (built with --secret id=ID,src=FILE)", kw,
		    p->src_path, why.ptr);
	else
		dd_fix_note_add(fx, false, 0,
		    "%s of %s stays: %s; delete it and mount the file only on the RUN that needs it: "
		    "RUN --mount=type=secret,id=%s,target=%s … (built with --secret id=%s,src=%s)", kw,
		    p->src_path, why.ptr, p->id, p->target ? p->target : "PATH", p->id, p->src_path);
	dd_buf_free(&why);
}

void
dd203_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	bool copy = ins && (ins->kind == DD_INSTR_COPY || ins->kind == DD_INSTR_ADD);
	size_t k = copy ? dd_source_at(ins, f->span) : SIZE_MAX;
	if (k == SIZE_MAX)
		return;
	dd_file_plan p;
	dd_file_plan_make(dd_fixer_ctx(fx), doc, ins, k, &p);
	if (p.why.len)
		advise(fx, ins, &p);
	else
		apply(fx, doc, ins, k, &p);
	dd_file_plan_free(&p);
}
