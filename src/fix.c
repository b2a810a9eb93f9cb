/*
 * The fix driver: lint, collect each fixable finding's edits as one group,
 * apply, re-parse, repeat until nothing changes. Also the helpers fixers
 * use to write edits in the file's own line ending and escape character.
 */
#include "drydock/fix.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/diff.h"
#include "drydock/error.h"
#include "drydock/fixer.h"
#include "drydock/secret.h"

#include "ctx.h"
#include "logical.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct dd_fixer {
	dd_ctx *ctx;
	const dd_doc *doc;
	const dd_source *src;
	const dd_fix_opts *opts;
	dd_editset *edits;
	dd_fix_result *res;
	unsigned pass;
	unsigned rule_index;      /* the running rule's place in the table */
	unsigned group;           /* the running finding's group */
	const dd_finding *finding;
	/* notes of this pass and their groups: a dropped group's notes say so */
	unsigned *note_groups;
	size_t first_note;
	/* the pass's findings and what --interactive declined, for dd_fixer_will_fix */
	const dd_findings *findings;
	const struct ask_state *asked;
	/* groups that need a syntax directive, with their rules */
	unsigned *syntax_groups, *syntax_rules;
	size_t nsyntax;
	unsigned syntax_group, syntax_rule;
	bool advice_only;         /* the finding is not fixable: keep only "to do" notes */
};

dd_ctx *
dd_fixer_ctx(dd_fixer *fx)
{
	return fx->ctx;
}

const dd_fix_opts *
dd_fixer_opts(const dd_fixer *fx)
{
	return fx->opts;
}

const dd_source *
dd_fixer_source(const dd_fixer *fx)
{
	return fx->src;
}

const dd_instr *
dd_fixer_instr(const dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	for (size_t i = 0; i < doc->ninstrs; i++) {
		const dd_instr *ins = doc->instrs[i];
		if (ins->start_line != f->instr_line)
			continue;
		if (ins->onbuild && f->span.start >= ins->onbuild->span.start)
			return ins->onbuild;
		return ins;
	}
	return NULL;
}

const char *
dd_fix_keyword_case(const dd_instr *ins, const char *kw, char *buf, size_t size)
{
	const char *w = ins->keyword.text;
	bool lower = w[0] >= 'a' && w[0] <= 'z', rest_lower = true;
	for (size_t i = 1; i < ins->keyword.len; i++)
		if (w[i] >= 'A' && w[i] <= 'Z')
			rest_lower = false;
	size_t i = 0;
	for (; kw[i] && i + 1 < size; i++) {
		char c = kw[i];
		bool down = lower || (i > 0 && rest_lower);
		buf[i] = down && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	buf[i] = '\0';
	return buf;
}

/* ---- text in the file's own style ----------------------------------------------- */

/* The line ending of the line holding offset at ("\r\n" or "\n"). */
static const char *
eol_at(const dd_source *src, uint32_t at)
{
	const char *nl = at < src->len ? memchr(src->data + at, '\n', src->len - at) : NULL;
	if (!nl) {
		/* the last line: look at the line before it */
		size_t i = at < src->len ? at : src->len;
		while (i > 0 && src->data[i - 1] != '\n')
			i--;
		return i >= 2 && src->data[i - 2] == '\r' ? "\r\n" : "\n";
	}
	return nl > src->data && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* LF → the file's line end; a `\` right before a line end → the escape character. */
static void
convert(const dd_fixer *fx, uint32_t at, const char *text, dd_buf *out)
{
	const char *eol = eol_at(fx->src, at);
	for (const char *p = text; *p; p++) {
		if (*p == '\\' && p[1] == '\n') {
			dd_buf_put_utf8(out, fx->doc->escape);
			continue;
		}
		if (*p == '\n')
			dd_buf_puts(out, eol);
		else
			dd_buf_putc(out, *p);
	}
	if (!out->ptr)
		dd_buf_put(out, "", 0);
}

static void
add_edit(dd_fixer *fx, uint32_t start, uint32_t end, const char *text)
{
	if (fx->advice_only)
		return;
	dd_buf b = DD_BUF_INIT;
	convert(fx, start, text, &b);
	dd_editset_add(fx->edits, start, end, b.ptr, b.len, fx->rule_index, fx->group);
	dd_buf_free(&b);
}

void
dd_fix_replace(dd_fixer *fx, uint32_t start, uint32_t end, const char *text)
{
	add_edit(fx, start, end, text);
}

uint32_t
dd_fix_line_start(const dd_fixer *fx, const dd_instr *ins)
{
	uint32_t at = ins->span.start;
	while (at > 0 && fx->src->data[at - 1] != '\n')
		at--;
	return at;
}

uint32_t
dd_fix_after_offset(const dd_fixer *fx, const dd_instr *ins)
{
	uint32_t at = ins->span.end;
	const dd_source *src = fx->src;
	const char *nl = at < src->len ? memchr(src->data + at, '\n', src->len - at) : NULL;
	return nl ? (uint32_t)(nl - src->data) + 1 : (uint32_t)src->len;
}

/* The blanks that indent the line ins starts on. */
static void
indent_of(const dd_fixer *fx, const dd_instr *ins, dd_buf *out)
{
	uint32_t a = dd_fix_line_start(fx, ins);
	uint32_t b = a;
	while (b < ins->span.start && (fx->src->data[b] == ' ' || fx->src->data[b] == '\t'))
		b++;
	dd_buf_put(out, fx->src->data + a, b - a);
}

/* Each line of lines prefixed with the indentation. */
static void
indented(const dd_fixer *fx, const dd_instr *ins, const char *lines, dd_buf *out)
{
	dd_buf ind = DD_BUF_INIT;
	indent_of(fx, ins, &ind);
	bool bol = true;
	for (const char *p = lines; *p; p++) {
		if (bol && *p != '\n' && ind.len)
			dd_buf_put(out, ind.ptr, ind.len);
		dd_buf_putc(out, *p);
		bol = *p == '\n';
	}
	dd_buf_free(&ind);
	if (!out->ptr)
		dd_buf_put(out, "", 0);
}

void
dd_fix_insert_before(dd_fixer *fx, const dd_instr *ins, const char *lines)
{
	dd_buf b = DD_BUF_INIT;
	indented(fx, ins, lines, &b);
	add_edit(fx, dd_fix_line_start(fx, ins), dd_fix_line_start(fx, ins), b.ptr);
	dd_buf_free(&b);
}

void
dd_fix_insert_after(dd_fixer *fx, const dd_instr *ins, const char *lines)
{
	uint32_t at = dd_fix_after_offset(fx, ins);
	/*
	 * A line put after `RUN a \` at the end of the file would join it: drop
	 * the escape, which BuildKit ignores there anyway.
	 */
	if (ins->lmap && ins->lmap->open)
		add_edit(fx, ins->lmap->open_escape, ins->lmap->open_escape_end, "");
	dd_buf b = DD_BUF_INIT;
	/* the last line has no line end: give it one, and keep the file without a final one */
	bool last = at == fx->src->len && (at == 0 || fx->src->data[at - 1] != '\n');
	if (last)
		dd_buf_putc(&b, '\n');
	indented(fx, ins, lines, &b);
	if (last && b.len && b.ptr[b.len - 1] == '\n')
		b.ptr[--b.len] = '\0';
	add_edit(fx, at, at, b.ptr);
	dd_buf_free(&b);
}

void
dd_fix_delete(dd_fixer *fx, const dd_instr *ins)
{
	uint32_t a = dd_fix_line_start(fx, ins), b = dd_fix_after_offset(fx, ins);
	/* the file's last line: take the line end before it instead */
	if (b == fx->src->len && (b == 0 || fx->src->data[b - 1] != '\n') && a > 0) {
		a--;
		if (a > 0 && fx->src->data[a - 1] == '\r')
			a--;
	}
	add_edit(fx, a, b, "");
}

void
dd_fix_add_flag(dd_fixer *fx, const dd_instr *ins, const char *flag)
{
	/* after the keyword and the last flag: both are on the logical line */
	uint32_t at = ins->keyword.span.end;
	for (size_t i = 0; i < ins->nflags; i++)
		if (ins->flags[i].raw.span.end > at)
			at = ins->flags[i].raw.span.end;
	add_edit(fx, at, at, flag);
}

void
dd_fix_want_syntax(dd_fixer *fx)
{
	if (fx->advice_only || (fx->nsyntax && fx->syntax_groups[fx->nsyntax - 1] == fx->group))
		return;
	fx->syntax_groups = dd_xreallocarray(fx->syntax_groups, fx->nsyntax + 1, sizeof(unsigned));
	fx->syntax_rules = dd_xreallocarray(fx->syntax_rules, fx->nsyntax + 1, sizeof(unsigned));
	fx->syntax_groups[fx->nsyntax] = fx->group;
	fx->syntax_rules[fx->nsyntax++] = fx->rule_index;
}

static bool
has_string(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

void
dd_fix_ignore(dd_fixer *fx, const char *path)
{
	dd_fix_result *r = fx->res;
	if (fx->advice_only || has_string(r->ignore, r->nignore, path))
		return;
	r->ignore = dd_xreallocarray(r->ignore, r->nignore + 1, sizeof(char *));
	r->ignore[r->nignore++] = dd_xstrdup(path);
}

void
dd_fix_build_flag(dd_fixer *fx, const char *flag)
{
	dd_fix_result *r = fx->res;
	if (fx->advice_only || has_string(r->build_flags, r->nbuild_flags, flag))
		return;
	r->build_flags = dd_xreallocarray(r->build_flags, r->nbuild_flags + 1, sizeof(char *));
	r->build_flags[r->nbuild_flags++] = dd_xstrdup(flag);
}

void
dd_fix_note_add(dd_fixer *fx, bool applied, uint32_t line, const char *fmt, ...)
{
	dd_fix_result *r = fx->res;
	dd_buf b = DD_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	dd_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	dd_secret_redact_all(&b);
	r->notes = dd_xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	fx->note_groups = dd_xreallocarray(fx->note_groups, r->nnotes + 1, sizeof(unsigned));
	fx->note_groups[r->nnotes] = fx->group;
	r->notes[r->nnotes++] = (dd_fix_note){
		fx->finding ? fx->finding->rule : NULL, fx->pass,
		line ? line : (fx->finding ? fx->finding->span.line : 0), dd_buf_detach(&b, NULL),
		applied && !fx->advice_only,
	};
}

/* ---- the driver ------------------------------------------------------------------ */

static bool
listed(const dd_rule *const *list, const dd_rule *r)
{
	for (; list && *list; list++)
		if (*list == r)
			return true;
	return false;
}

static bool
rule_wanted(const dd_fix_opts *o, const dd_rule *r)
{
	if (o->only && !listed(o->only, r))
		return false;
	return !listed(o->skip, r);
}

static unsigned
rule_index(const dd_rule *r)
{
	return (unsigned)(r - dd_rules);
}

/* `# syntax=docker/dockerfile:1`: above everything, below an existing directive block. */
static void
add_syntax(dd_fixer *fx)
{
	const dd_doc *doc = fx->doc;
	for (size_t i = 0; i < doc->ndirectives; i++)
		if (doc->directives[i].key.len == 6 && strncasecmp(doc->directives[i].key.text, "syntax", 6) == 0)
			return;
	uint32_t at = fx->src->bom ? 3 : 0;
	if (doc->ndirectives) {
		const dd_directive *d = &doc->directives[doc->ndirectives - 1];
		const char *nl = memchr(fx->src->data + d->span.end, '\n', fx->src->len - d->span.end);
		at = nl ? (uint32_t)(nl - fx->src->data) + 1 : (uint32_t)fx->src->len;
	}
	fx->group = fx->syntax_group;
	fx->rule_index = fx->syntax_rule;
	add_edit(fx, at, at, "# syntax=docker/dockerfile:1\n");
}

/* What --interactive remembers across passes. */
typedef struct ask_state {
	char **declined;          /* "DD101\tmessage" of fixes answered no */
	size_t ndeclined;
	bool all, quit;
} ask_state;

static char *
finding_key(const dd_finding *f)
{
	dd_buf b = DD_BUF_INIT;
	dd_buf_printf(&b, "%s\t%s", f->rule->code, f->message ? f->message : "");
	return dd_buf_detach(&b, NULL);
}

static bool
declined(const ask_state *st, const dd_finding *f)
{
	char *k = finding_key(f);
	bool r = has_string(st->declined, st->ndeclined, k);
	free(k);
	return r;
}

bool
dd_fixer_will_fix(const dd_fixer *fx, const char *code)
{
	for (size_t i = 0; fx->findings && i < fx->findings->n; i++) {
		const dd_finding *f = &fx->findings->v[i];
		if (strcmp(f->rule->code, code) == 0 && f->fixable && f->rule->fix && rule_wanted(fx->opts, f->rule) &&
		    !(fx->opts->ask && declined(fx->asked, f)))
			return true;
	}
	return false;
}

static void
mark_notes(dd_fix_result *res, const dd_fixer *fx, unsigned g, const char *why)
{
	for (size_t i = fx->first_note; i < res->nnotes; i++) {
		if (fx->note_groups[i] != g || !res->notes[i].applied)
			continue;
		res->notes[i].applied = false;
		dd_buf b = DD_BUF_INIT;
		dd_buf_printf(&b, "%s (%s)", res->notes[i].text, why);
		free(res->notes[i].text);
		res->notes[i].text = dd_buf_detach(&b, NULL);
	}
}

static void
drop_group(dd_editset *set, unsigned g)
{
	size_t k = 0;
	for (size_t i = 0; i < set->n; i++) {
		if (set->v[i].group == g) {
			free(set->v[i].text);
			continue;
		}
		set->v[k++] = set->v[i];
	}
	set->n = k;
}

/* The question for group g: its finding, its notes, its edits alone as a diff. */
static int
ask_group(const dd_fix_opts *fo, const dd_source *src, const dd_editset *edits, const dd_fixer *fx,
    const dd_finding *f, unsigned g, unsigned index, unsigned count)
{
	dd_editset one = { NULL, 0, 0 };
	for (size_t i = 0; i < edits->n; i++)
		if (edits->v[i].group == g)
			dd_editset_add(&one, edits->v[i].start, edits->v[i].end, edits->v[i].text, edits->v[i].len,
			    edits->v[i].rule, g);
	dd_buf preview = DD_BUF_INIT, diff = DD_BUF_INIT;
	int answer = DD_FIX_NO;
	if (dd_editset_apply(&one, src, &preview, NULL) == DD_OK) {
		dd_diff_unified(&diff, src->path, src->data, src->len, src->path, preview.ptr, preview.len);
		const char **notes = dd_xcalloc(fx->res->nnotes + 1, sizeof(char *));
		size_t nn = 0;
		for (size_t i = fx->first_note; i < fx->res->nnotes; i++)
			if (fx->note_groups[i] == g)
				notes[nn++] = fx->res->notes[i].text;
		dd_fix_question q = { f, diff.ptr ? diff.ptr : "", notes, nn, index, count };
		answer = fo->ask(fo->ask_arg, &q);
		free(notes);
	}
	dd_buf_free(&preview);
	dd_buf_free(&diff);
	dd_editset_free(&one);
	return answer;
}

/* --interactive: ask about each group in the order of the file; drop what is declined. */
static void
ask_phase(const dd_fix_opts *fo, const dd_source *src, dd_editset *edits, dd_fixer *fx,
    const dd_finding **of_group, unsigned ngroups, ask_state *st)
{
	/* groups in the order of their first edit */
	unsigned *order = dd_xcalloc(ngroups + 1, sizeof(unsigned));
	size_t n = 0;
	for (unsigned g = 1; g <= ngroups; g++) {
		bool has = false;
		for (size_t i = 0; i < edits->n; i++)
			has |= edits->v[i].group == g;
		if (has)
			order[n++] = g;
	}
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0; b--) {
			uint32_t sa = UINT32_MAX, sb = UINT32_MAX;
			for (size_t i = 0; i < edits->n; i++) {
				if (edits->v[i].group == order[b] && edits->v[i].start < sa)
					sa = edits->v[i].start;
				if (edits->v[i].group == order[b - 1] && edits->v[i].start < sb)
					sb = edits->v[i].start;
			}
			if (sa >= sb)
				break;
			unsigned t = order[b];
			order[b] = order[b - 1];
			order[b - 1] = t;
		}
	for (size_t k = 0; k < n; k++) {
		unsigned g = order[k];
		int answer = st->quit ? DD_FIX_NO : st->all ? DD_FIX_YES
		    : ask_group(fo, src, edits, fx, of_group[g], g, (unsigned)k + 1, (unsigned)n);
		if (answer == DD_FIX_ALL)
			st->all = true;
		if (answer == DD_FIX_QUIT)
			st->quit = true;
		if (answer == DD_FIX_YES || answer == DD_FIX_ALL)
			continue;
		drop_group(edits, g);
		mark_notes(fx->res, fx, g, "declined");
		char *key = finding_key(of_group[g]);
		st->declined = dd_xreallocarray(st->declined, st->ndeclined + 1, sizeof(char *));
		st->declined[st->ndeclined++] = key;
	}
	free(order);
}

/* One pass over src (parsed as doc): lint, fix, apply. *changed tells whether anything was applied. */
static int
fix_pass(const dd_doc *doc, const dd_source *src, const dd_lint_opts *lo, const dd_fix_opts *fo,
    dd_fix_result *res, unsigned pass, dd_buf *out, bool *changed, ask_state *st)
{
	dd_ctx ctx;
	int rc = dd_ctx_init(&ctx, doc, lo);
	if (rc < 0)
		return rc;
	dd_findings f = { NULL, 0, 0 };
	dd_ctx_run_rules(&ctx, &f);

	dd_editset *edits = &res->edits[pass - 1];
	dd_fixer fx = { .ctx = &ctx, .doc = doc, .src = src, .opts = fo, .edits = edits, .res = res,
		.pass = pass, .first_note = res->nnotes, .findings = &f, .asked = st };
	const dd_finding **of_group = dd_xcalloc(f.n + 1, sizeof(*of_group));
	unsigned group = 0;
	for (size_t i = 0; i < f.n; i++) {
		const dd_rule *r = f.v[i].rule;
		/*
		 * a finding with advice only meets its fixer too, which may add
		 * notes but no edits; once: later passes would repeat them
		 */
		bool advice = f.v[i].advice && pass == 1;
		if ((!f.v[i].fixable && !advice) || !r->fix || !rule_wanted(fo, r) ||
		    (fo->ask && declined(st, &f.v[i])))
			continue;
		fx.advice_only = !f.v[i].fixable;
		fx.rule_index = rule_index(r);
		fx.group = ++group;
		fx.finding = &f.v[i];
		of_group[group] = &f.v[i];
		r->fix(&fx, doc, &f.v[i]);
	}
	fx.finding = NULL;
	fx.advice_only = false;
	if (fo->ask)
		ask_phase(fo, src, edits, &fx, of_group, group, st);
	/* the syntax directive, for the first group still here that needs it */
	for (size_t i = 0; i < fx.nsyntax; i++) {
		bool kept = false;
		for (size_t k = 0; k < edits->n; k++)
			kept |= edits->v[k].group == fx.syntax_groups[i];
		if (kept) {
			fx.syntax_group = fx.syntax_groups[i];
			fx.syntax_rule = fx.syntax_rules[i];
			add_syntax(&fx);
			break;
		}
	}

	dd_grouplist deferred = { NULL, 0, 0 };
	rc = dd_editset_apply(edits, src, out, &deferred);
	for (size_t i = 0; rc == DD_OK && i < deferred.n; i++)
		mark_notes(res, &fx, deferred.v[i], "deferred: another fix changed the same text");
	*changed = edits->n > 0;
	free(deferred.v);
	free(of_group);
	free(fx.note_groups);
	free(fx.syntax_groups);
	free(fx.syntax_rules);
	dd_findings_free(&f);
	dd_ctx_fini(&ctx);
	return rc;
}

/* Does edit e change instruction x? Whole lines added right before or after it do not. */
static bool
touches(const dd_edit *e, const dd_instr *x)
{
	if (e->start > x->span.end || e->end < x->span.start)
		return false;
	bool insertion = e->start == e->end;
	bool line_first = e->text[0] == '\n' || (e->text[0] == '\r' && e->text[1] == '\n');
	if (insertion && e->start == x->span.end && line_first)
		return false;
	if (insertion && e->start == x->span.start && e->len && e->text[e->len - 1] == '\n')
		return false;
	return true;
}

/*
 * Every instruction of a pass's input that no kept edit touches must come
 * out of the pass with the same logical line, in order: added lines must
 * never join an instruction (after `RUN a \\` at the end of the file) nor
 * split one. edits are sorted and do not overlap.
 */
static int
check_untouched(const dd_doc *before, const dd_editset *edits, const dd_doc *after)
{
	size_t k = 0, j = 0;
	for (size_t i = 0; i < before->ninstrs; i++) {
		const dd_instr *x = before->instrs[i];
		while (k < edits->n && edits->v[k].end < x->span.start)
			k++;
		bool touched = false;
		for (size_t m = k; m < edits->n && edits->v[m].start <= x->span.end && !touched; m++)
			touched = touches(&edits->v[m], x);
		if (touched)
			continue;
		while (j < after->ninstrs &&
		       (after->instrs[j]->line_len != x->line_len || memcmp(after->instrs[j]->line, x->line, x->line_len) != 0))
			j++;
		if (j == after->ninstrs)
			return dd_error_set(DD_ERROR,
			    "internal error: the fix changed the %s on line %u, which no edit touches",
			    dd_instr_kind_name(x->kind), x->span.line);
		j++;
	}
	return DD_OK;
}

int
dd_fix(const dd_source *src, const dd_parse_opts *po, const dd_lint_opts *lo, const dd_fix_opts *fo,
    dd_fix_result *out)
{
	static const dd_fix_opts none = { 0 };
	memset(out, 0, sizeof(*out));
	if (!fo)
		fo = &none;
	dd_source *cur = NULL, *prev_src = NULL;
	dd_doc *prev = NULL; /* the last pass's document and source, for check_untouched */
	const dd_source *in = src;
	int rc = DD_OK;
	ask_state st = { NULL, 0, false, false };
	/* one more parse after the last pass that changed something: its result must parse */
	for (unsigned pass = 1; pass <= DD_FIX_MAX_PASSES + 1; pass++) {
		dd_doc *doc = NULL;
		rc = dd_doc_parse(&doc, in, po);
		if (rc < 0 && pass > 1)
			rc = dd_error_set(DD_ERROR, "internal error: the fixed file does not parse: %s",
			    dd_error_last());
		if (rc == DD_OK && prev)
			rc = check_untouched(prev, &out->edits[pass - 2], doc);
		dd_doc_free(prev);
		dd_source_free(prev_src);
		prev = NULL;
		prev_src = NULL;
		if (rc < 0 || pass > DD_FIX_MAX_PASSES || st.quit) {
			dd_doc_free(doc);
			break;
		}
		dd_buf b = DD_BUF_INIT;
		bool changed = false;
		out->inputs[pass - 1] = dd_xstrndup(in->data, in->len);
		out->input_lens[pass - 1] = in->len;
		rc = fix_pass(doc, in, lo, fo, out, pass, &b, &changed, &st);
		if (rc < 0 || !changed) {
			dd_doc_free(doc);
			dd_buf_free(&b);
			break;
		}
		out->npasses = pass;
		dd_source *next = NULL;
		rc = dd_source_from_bytes(&next, src->path, b.ptr, b.len);
		dd_buf_free(&b);
		if (rc < 0) {
			dd_doc_free(doc);
			rc = dd_error_set(DD_ERROR, "internal error: the fixed file is not valid text: %s",
			    dd_error_last());
			break;
		}
		prev = doc;
		prev_src = cur;
		cur = next;
		in = cur;
	}
	if (rc == DD_OK) {
		out->output = dd_xstrndup(in->data, in->len);
		out->len = in->len;
	}
	for (size_t i = 0; i < st.ndeclined; i++)
		free(st.declined[i]);
	free(st.declined);
	dd_source_free(cur);
	return rc;
}

void
dd_fix_result_free(dd_fix_result *r)
{
	free(r->output);
	for (unsigned i = 0; i < DD_FIX_MAX_PASSES; i++) {
		free(r->inputs[i]);
		dd_editset_free(&r->edits[i]);
	}
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i].text);
	free(r->notes);
	for (size_t i = 0; i < r->nignore; i++)
		free(r->ignore[i]);
	free(r->ignore);
	for (size_t i = 0; i < r->nbuild_flags; i++)
		free(r->build_flags[i]);
	free(r->build_flags);
	memset(r, 0, sizeof(*r));
}

bool
dd_fix_user_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 32 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || strchr("_.-", s[i]) || (s[i] == '$' && i == n - 1)))
			return false;
	return true;
}

bool
dd_fix_plain_path(const char *p)
{
	if (p[0] != '/')
		return false;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/._-+@%:,=", *p))
			return false;
	return true;
}
