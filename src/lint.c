/* The rule engine: runs the table's rules, collects findings, applies pragmas and config. */
#include "drydock/lint.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/rule.h"
#include "drydock/secret.h"

#include "ctx.h"

#include "df_lex.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


const dd_instr *
dd_stage_next(const dd_doc *doc, const dd_stage *st, size_t *it)
{
	size_t first = st ? st->first : 0, last = st ? st->last : (doc->ninstrs ? doc->ninstrs - 1 : 0);
	for (;;) {
		size_t i = first + *it / 2;
		if (doc->ninstrs == 0 || i > last)
			return NULL;
		bool trigger = *it % 2;
		(*it)++;
		const dd_instr *ins = doc->instrs[i];
		if (!trigger)
			return ins;
		if (ins->onbuild)
			return ins->onbuild;
	}
}

const dd_doc *
dd_ctx_doc(const dd_ctx *ctx)
{
	return ctx->doc;
}

const dd_stage *
dd_ctx_final_stage(const dd_ctx *ctx)
{
	return ctx->final;
}

const char *
dd_ctx_context_dir(const dd_ctx *ctx)
{
	return ctx->opts->no_context ? NULL : ctx->context_dir;
}

bool
dd_ctx_cache_context(const dd_ctx *ctx)
{
	return ctx->opts->cache_context;
}

const struct dd_knowledge *
dd_ctx_knowledge(const dd_ctx *ctx)
{
	return ctx->opts->kb;
}

const char *const *
dd_ctx_trusted_registries(const dd_ctx *ctx)
{
	static const char *const none[] = { NULL };
	const dd_config *c = ctx->opts->config;
	return c && c->trusted_registries ? (const char *const *)c->trusted_registries : none;
}

/* The top-level instruction holding byte offset at, or NULL. */
static const dd_instr *
instr_at(const dd_doc *doc, uint32_t at)
{
	size_t lo = 0, hi = doc->ninstrs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const dd_instr *ins = doc->instrs[mid];
		if (at < ins->span.start)
			hi = mid;
		else if (at > ins->span.end)
			lo = mid + 1;
		else
			return ins;
	}
	return NULL;
}

static dd_finding *
add_finding(dd_ctx *ctx, const dd_instr *ins, dd_span span, const char *fmt, va_list ap)
{
	dd_findings *f = ctx->out;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = dd_xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	dd_buf msg = DD_BUF_INIT;
	dd_buf_vprintf(&msg, fmt, ap);
	dd_secret_redact_all(&msg); /* no raw secret ever enters a finding */
	dd_finding *d = &f->v[f->n++];
	memset(d, 0, sizeof(*d));
	d->rule = ctx->rule;
	d->severity = ctx->rule->severity;
	d->message = dd_buf_detach(&msg, NULL);
	d->span = span;
	if (!ins)
		ins = instr_at(ctx->doc, span.start);
	while (ins && ins->parent)
		ins = ins->parent;
	d->instr_line = ins ? ins->start_line : span.line;
	d->stage = ins && ins->stage ? (int)ins->stage->index : -1;
	return d;
}

dd_finding *
dd_report(dd_ctx *ctx, dd_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dd_finding *d = add_finding(ctx, NULL, span, fmt, ap);
	va_end(ap);
	return d;
}

dd_finding *
dd_report_instr(dd_ctx *ctx, const dd_instr *ins, dd_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dd_finding *d = add_finding(ctx, ins, span, fmt, ap);
	va_end(ap);
	return d;
}

void
dd_finding_appendf(dd_finding *f, const char *fmt, ...)
{
	dd_buf msg = DD_BUF_INIT;
	dd_buf_puts(&msg, f->message);
	va_list ap;
	va_start(ap, fmt);
	dd_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	dd_secret_redact_all(&msg);
	free(f->message);
	f->message = dd_buf_detach(&msg, NULL);
}

/* ---- pragmas ----------------------------------------------------------------- */

typedef struct {
	uint32_t line;          /* the instruction line it applies to; 0 = the whole file */
	const dd_rule *rule;
} pragma;

typedef struct {
	pragma *v;
	size_t n, cap;
} pragmas;

static void
pragma_add(pragmas *p, uint32_t line, const dd_rule *rule)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->v = dd_xreallocarray(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n++] = (pragma){ line, rule };
}

/* Add every rule of a "A,B, C" list (rule ids, slugs or aliases); unknown names are skipped. */
static void
add_list(pragmas *p, uint32_t line, const char *s, size_t len)
{
	char name[64];
	size_t i = 0;
	while (i < len) {
		while (i < len && (s[i] == ',' || s[i] == ' ' || s[i] == '\t'))
			i++;
		size_t a = i;
		while (i < len && s[i] != ',' && s[i] != ' ' && s[i] != '\t')
			i++;
		if (i > a && i - a < sizeof(name)) {
			memcpy(name, s + a, i - a);
			name[i - a] = '\0';
			const dd_rule *r = dd_rule_find(name);
			if (r)
				pragma_add(p, line, r);
		}
	}
}

/*
 * "# drydock ignore=DD101,DD303" / "# hadolint ignore=DL3002": the rules a
 * comment silences, for the instruction after it (or the whole file with
 * "global"). Returns false if the comment is not a pragma.
 */
static bool
parse_pragma(const char *t, size_t len, bool *global, const char **list, size_t *llen)
{
	size_t i = 1; /* after '#' */
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (len - i >= 7 && strncasecmp(t + i, "drydock", 7) == 0)
		i += 7;
	else if (len - i >= 8 && strncasecmp(t + i, "hadolint", 8) == 0)
		i += 8;
	else
		return false;
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	*global = len - i >= 6 && strncasecmp(t + i, "global", 6) == 0;
	if (*global) {
		i += 6;
		while (i < len && (t[i] == ' ' || t[i] == '\t'))
			i++;
	}
	if (len - i < 7 || strncasecmp(t + i, "ignore=", 7) != 0)
		return false;
	i += 7;
	size_t end = i;
	while (end < len && t[end] != '#') /* a trailing "# reason" */
		end++;
	*list = t + i;
	*llen = end - i;
	return true;
}

/* The instruction line a comment on `line` applies to: the next line that is not a comment. */
static uint32_t
target_line(const dd_doc *doc, size_t ci)
{
	uint32_t line = doc->comments[ci].text.span.line;
	for (size_t k = ci + 1; k < doc->ncomments; k++) {
		if (doc->comments[k].text.span.line != line + 1)
			break;
		line++;
	}
	return line + 1;
}

static void
collect_pragmas(const dd_doc *doc, pragmas *p)
{
	for (size_t i = 0; i < doc->ncomments; i++) {
		const dd_word *c = &doc->comments[i].text;
		bool global;
		const char *list;
		size_t llen;
		if (parse_pragma(c->text, c->len, &global, &list, &llen))
			add_list(p, global ? 0 : target_line(doc, i), list, llen);
	}
	/* BuildKit's own `# check=skip=A,B` names its rules: honour our aliases of them */
	for (size_t i = 0; i < doc->ndirectives; i++) {
		const dd_directive *d = &doc->directives[i];
		if (d->kind != DF_DIRECTIVE_CHECK)
			continue;
		const char *v = d->value.text, *skip = strstr(v, "skip=");
		if (!skip)
			continue;
		skip += 5;
		add_list(p, 0, skip, strcspn(skip, ";"));
	}
}

static bool
suppressed(const pragmas *p, const dd_finding *f)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].rule == f->rule && (p->v[i].line == 0 || p->v[i].line == f->instr_line))
			return true;
	return false;
}

/* ---- running --------------------------------------------------------------------- */

static char *
default_context(const dd_doc *doc)
{
	const char *path = doc->src->path;
	if (strcmp(path, "-") == 0)
		return dd_xstrdup(".");
	char *copy = dd_xstrdup(path);
	char *dir = dd_xstrdup(dirname(copy));
	free(copy);
	return dir;
}

/* --target names no stage: say which names there are. */
static int
no_target(const dd_doc *doc, const char *target)
{
	dd_buf names = DD_BUF_INIT;
	for (size_t i = 0; i < doc->nstages; i++)
		if (doc->stages[i].name)
			dd_buf_printf(&names, "%s%s", names.len ? ", " : "", doc->stages[i].name);
	int rc = dd_error_set(DD_EUSAGE, "%s: error: --target %s: no stage of that name (%s%s)",
	    doc->src->path, target, names.len ? "the named stages are: " : "no stage is named",
	    names.len ? names.ptr : "");
	dd_buf_free(&names);
	return rc;
}

int
dd_ctx_init(dd_ctx *ctx, const dd_doc *doc, const dd_lint_opts *opts)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->doc = doc;
	ctx->opts = opts;
	ctx->drops = -1;
	ctx->final = dd_doc_stage(doc, opts->target);
	if (opts->target && !ctx->final)
		return no_target(doc, opts->target);
	ctx->context_dir = opts->context_dir ? dd_xstrdup(opts->context_dir) : default_context(doc);
	ctx->arena = dd_arena_new();
	return DD_OK;
}

void
dd_ctx_fini(dd_ctx *ctx)
{
	free(ctx->context_dir);
	free(ctx->cache);
	dd_arena_free(ctx->arena);
	memset(ctx, 0, sizeof(*ctx));
}

void
dd_ctx_run_rules(dd_ctx *ctx, dd_findings *out)
{
	const dd_doc *doc = ctx->doc;
	const dd_lint_opts *opts = ctx->opts;
	dd_findings found = { NULL, 0, 0 };
	ctx->out = &found;
	for (size_t i = 0; i < dd_nrules; i++) {
		if (dd_config_ignores(opts->config, &dd_rules[i]))
			continue;
		ctx->rule = &dd_rules[i];
		dd_rules[i].check(ctx, doc);
	}
	ctx->out = NULL;
	ctx->rule = NULL;
	pragmas p = { NULL, 0, 0 };
	collect_pragmas(doc, &p);
	for (size_t i = 0; i < found.n; i++) {
		dd_finding *f = &found.v[i];
		if (suppressed(&p, f)) {
			free(f->message);
			continue;
		}
		/* an override replaces the default, not a severity the rule chose */
		if (f->severity == f->rule->severity)
			f->severity = dd_config_severity(opts->config, f->rule);
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 16;
			out->v = dd_xreallocarray(out->v, out->cap, sizeof(*out->v));
		}
		out->v[out->n++] = *f;
	}
	free(found.v);
	free(p.v);
	dd_findings_sort(out);
}

int
dd_lint(const dd_doc *doc, const dd_lint_opts *opts, dd_findings *out)
{
	dd_ctx ctx;
	int rc = dd_ctx_init(&ctx, doc, opts);
	if (rc < 0)
		return rc;
	dd_ctx_run_rules(&ctx, out);
	dd_ctx_fini(&ctx);
	return DD_OK;
}
