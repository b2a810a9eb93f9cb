/* DD501 add-local: ADD of local files where COPY does the job. */
#include "rules.h"
#include "drydock/fixer.h"
#include "drydock/lint.h"
#include "drydock/rule.h"

#include <string.h>

const dd_rule_doc dd501_doc = {
	"ADD copies local files: use COPY",
	"ADD does more than copy: it fetches URLs and unpacks local tar archives, so "
	"what lands in the image depends on the file's contents, not on what the "
	"Dockerfile says. COPY does only what it says.",
	"drydock fix replaces ADD with COPY for local sources (keeping its flags); ADD "
	"stays for tar archives that are meant to be unpacked.",
	"FROM alpine:3.20\nADD app.py /app/\n",
	"FROM alpine:3.20\nCOPY app.py /app/\n",
};

static bool
ends(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* A source ADD treats specially: a URL, a git repository, or an archive it unpacks. */
static bool
needs_add(const dd_word *w)
{
	static const char *const archives[] = {
		".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz",
		".tar.zst", ".tzst", ".tar.lz4",
	};
	const char *s = w->text;
	size_t n = w->len;
	if (strstr(s, "://") || strncmp(s, "git@", 4) == 0 || ends(s, n, ".git"))
		return true;
	if (memchr(s, '$', n))
		return true; /* unknown until expanded: do not guess */
	for (size_t i = 0; i < DD_ARRAY_LEN(archives); i++)
		if (ends(s, n, archives[i]))
			return true;
	return false;
}

void
dd501_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_ADD || ins->as.copy.nsources == 0)
			continue;
		bool local = true;
		for (size_t k = 0; k < ins->as.copy.nsources; k++)
			if (needs_add(&ins->as.copy.sources[k]))
				local = false;
		if (!local)
			continue;
		dd_finding *f = dd_report_instr(ctx, ins, ins->keyword.span,
		    "ADD %s: use COPY for local files", ins->as.copy.sources[0].text);
		f->fixable = true;
	}
}

void
dd501_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	if (!ins || ins->kind != DD_INSTR_ADD)
		return;
	char kw[8];
	dd_fix_replace(fx, ins->keyword.span.start, ins->keyword.span.end,
	    dd_fix_keyword_case(ins, "COPY", kw, sizeof(kw)));
	dd_fix_note_add(fx, true, 0, "ADD → COPY: the sources are local files, which COPY copies as they are");
}
