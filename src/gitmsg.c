/* The commit message of fix --commit / --patch, made from the fix notes. */
#include "drydock/gitfix.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* git's advice for a summary line */
#define SUMMARY_MAX 72
#define BODY_WIDTH 72

/*
 * One phrase of the summary line. The first row of a rule whose need is in
 * an applied note's text takes that note; the name that follows key in the
 * text fills %s (the distinct names of all such notes, comma-separated).
 * Row order is summary order: the user and the secrets first, since a
 * long summary keeps only its first phrases.
 */
typedef struct {
	const char *code;
	const char *need;    /* NULL: any note */
	const char *key;     /* NULL: no name; "": the note starts with it */
	const char *stop;    /* characters that end the name */
	const char *fmt;     /* NULL: such a note adds nothing to the summary */
} phrase;

static const phrase phrases[] = {
	{ "DD101", "USER ", "USER ", " :", "run as non-root user %s" },
	{ "DD101", NULL, NULL, NULL, NULL },  /* COPY --chown, "left to DD302": the USER note says it */
	{ "DD102", "→ USER ", "→ USER ", " :", "use the numeric user %s" },
	{ "DD202", "a build secret now", "ARG ", " :;,", "move %s to a build secret" },
	{ "DD202", "ARG ", "ARG ", " :;,", "drop the build argument %s" },
	{ "DD201", "ENV ", "ENV ", " :;,", "take %s out of ENV" },
	{ "DD203", " of ", " of ", " ", "stop copying %s into the image" },
	{ "DD204", NULL, "", " ", "keep %s out of the image" },
	{ "DD105", NULL, NULL, NULL, "no world-writable files" },
	{ "DD302", NULL, NULL, NULL, "multi-stage build" },
	{ "DD301", "→ ", "→ ", " ;", "use %s" },
	{ "DD303", "→ ", "→ ", " ;", "pin %s" },
	{ "DD501", NULL, NULL, NULL, "COPY instead of ADD" },
	{ "DD403", NULL, "", " ", "exec form for %s" },
};

typedef struct {
	bool used;
	char **names;
	size_t n;
} phrase_use;

/* The name after key in text, without a trailing ':' ("node:20-slim:" → "node:20-slim"). */
static char *
name_after(const char *text, const phrase *p)
{
	const char *at = *p->key ? strstr(text, p->key) : text;
	if (!at)
		return NULL;
	at += strlen(p->key);
	size_t n = strcspn(at, p->stop);
	while (n && at[n - 1] == ':')
		n--;
	return n ? dd_xstrndup(at, n) : NULL;
}

static void
use_note(phrase_use *use, const dd_fix_note *note)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(phrases); i++) {
		const phrase *p = &phrases[i];
		if (strcmp(p->code, note->rule->code) != 0 || (p->need && !strstr(note->text, p->need)))
			continue;
		if (!p->fmt)
			return;
		use[i].used = true;
		char *name = p->key ? name_after(note->text, p) : NULL;
		for (size_t k = 0; name && k < use[i].n; k++)
			if (strcmp(use[i].names[k], name) == 0) {
				free(name);
				name = NULL;
			}
		if (name) {
			use[i].names = dd_xreallocarray(use[i].names, use[i].n + 1, sizeof(char *));
			use[i].names[use[i].n++] = name;
		}
		return;
	}
}

/* The phrases in table order; a rule without a row says "fix <slug>". */
static char **
summary_phrases(const dd_gitfix_file *files, size_t n, size_t *count)
{
	phrase_use use[DD_ARRAY_LEN(phrases)];
	memset(use, 0, sizeof(use));
	char **out = NULL, **other = NULL;
	size_t nout = 0, nother = 0;
	for (size_t f = 0; f < n; f++) {
		for (size_t i = 0; i < files[f].fix.nnotes; i++) {
			const dd_fix_note *note = &files[f].fix.notes[i];
			if (!note->applied || !note->rule)
				continue;
			bool known = false;
			for (size_t k = 0; k < DD_ARRAY_LEN(phrases); k++)
				known |= strcmp(phrases[k].code, note->rule->code) == 0;
			if (known) {
				use_note(use, note);
				continue;
			}
			dd_buf b = DD_BUF_INIT;
			dd_buf_printf(&b, "fix %s", note->rule->slug);
			bool seen = false;
			for (size_t k = 0; k < nother; k++)
				seen |= strcmp(other[k], b.ptr) == 0;
			if (seen) {
				dd_buf_free(&b);
				continue;
			}
			other = dd_xreallocarray(other, nother + 1, sizeof(char *));
			other[nother++] = dd_buf_detach(&b, NULL);
		}
	}
	for (size_t i = 0; i < DD_ARRAY_LEN(phrases); i++) {
		if (!use[i].used)
			continue;
		dd_buf names = DD_BUF_INIT, b = DD_BUF_INIT;
		for (size_t k = 0; k < use[i].n; k++) {
			dd_buf_printf(&names, "%s%s", k ? ", " : "", use[i].names[k]);
			free(use[i].names[k]);
		}
		free(use[i].names);
		const char *fmt = phrases[i].fmt;
		const char *pct = strstr(fmt, "%s");
		if (pct && names.len)
			dd_buf_printf(&b, "%.*s%s%s", (int)(pct - fmt), fmt, names.ptr, pct + 2);
		else if (pct) /* no name found: the phrase without it */
			dd_buf_printf(&b, "%.*s%s", (int)(pct - fmt > 0 ? pct - fmt - 1 : 0), fmt, pct + 2);
		else
			dd_buf_puts(&b, fmt);
		dd_buf_free(&names);
		out = dd_xreallocarray(out, nout + 1, sizeof(char *));
		out[nout++] = dd_buf_detach(&b, NULL);
	}
	for (size_t k = 0; k < nother; k++) {
		out = dd_xreallocarray(out, nout + 1, sizeof(char *));
		out[nout++] = other[k];
	}
	free(other);
	*count = nout;
	return out;
}

/* As many phrases as fit in SUMMARY_MAX, then "and N more". */
static void
summary_line(dd_buf *b, char **ph, size_t n)
{
	size_t keep = n;
	for (; keep > 1; keep--) {
		size_t len = 0;
		for (size_t i = 0; i < keep; i++)
			len += strlen(ph[i]) + (i ? 2 : 0);
		if (keep < n)
			len += (size_t)snprintf(NULL, 0, "; and %zu more", n - keep);
		if (len <= SUMMARY_MAX)
			break;
	}
	size_t start = b->len;
	for (size_t i = 0; i < keep; i++)
		dd_buf_printf(b, "%s%s", i ? "; " : "", ph[i]);
	if (keep < n)
		dd_buf_printf(b, "; and %zu more", n - keep);
	if (b->len > start)
		b->ptr[start] = (char)toupper((unsigned char)b->ptr[start]);
	else
		dd_buf_puts(b, "Harden the Dockerfile");
}

/* "- text" wrapped at BODY_WIDTH, continuation lines indented by two spaces. */
static void
bullet(dd_buf *b, const char *text)
{
	size_t col = 1;
	dd_buf_puts(b, "-");
	for (const char *p = text; *p;) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " "), chars = 0;
		if (!w)
			break;
		for (size_t i = 0; i < w; i++)
			chars += ((unsigned char)p[i] & 0xC0) != 0x80; /* columns, not UTF-8 bytes */
		if (col > 2 && col + 1 + chars > BODY_WIDTH) {
			dd_buf_puts(b, "\n ");
			col = 1;
		}
		dd_buf_putc(b, ' ');
		dd_buf_put(b, p, w);
		col += 1 + chars;
		p += w;
	}
	dd_buf_putc(b, '\n');
}

/* Has an earlier note of this file the same rule and text (a later pass repeats some)? */
static bool
repeated(const dd_fix_result *r, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (r->notes[k].rule == r->notes[i].rule && r->notes[k].applied == r->notes[i].applied &&
		    strcmp(r->notes[k].text, r->notes[i].text) == 0)
			return true;
	return false;
}

static void
note_list(dd_buf *b, const dd_gitfix_file *files, size_t n, bool applied, const char *title)
{
	bool any = false;
	for (size_t f = 0; f < n; f++) {
		const dd_fix_result *r = &files[f].fix;
		for (size_t i = 0; i < r->nnotes; i++) {
			const dd_fix_note *note = &r->notes[i];
			if (note->applied != applied || repeated(r, i))
				continue;
			if (!any)
				dd_buf_printf(b, "\n%s\n\n", title);
			any = true;
			dd_buf t = DD_BUF_INIT;
			dd_buf_printf(&t, "%s %s, %s", note->rule ? note->rule->code : "-",
			    note->rule ? note->rule->slug : "-", files[f].repo_path);
			/* later passes number lines in a partly fixed file: no line then */
			if (note->pass <= 1 && note->line)
				dd_buf_printf(&t, ":%u", note->line);
			dd_buf_printf(&t, ": %s", note->text);
			bullet(b, t.ptr);
			dd_buf_free(&t);
		}
	}
}

char *
dd_gitfix_message(const dd_gitfix_file *files, size_t n, const char *summary)
{
	dd_buf b = DD_BUF_INIT;
	if (summary && *summary) {
		dd_buf_puts(&b, summary);
	} else {
		size_t nph = 0;
		char **ph = summary_phrases(files, n, &nph);
		summary_line(&b, ph, nph);
		for (size_t i = 0; i < nph; i++)
			free(ph[i]);
		free(ph);
	}
	dd_buf_putc(&b, '\n');
	note_list(&b, files, n, true, "Findings fixed by drydock fix:");
	note_list(&b, files, n, false, "Left to do by hand:");
	bool any = false;
	for (size_t f = 0; f < n; f++) {
		const dd_fix_result *r = &files[f].fix;
		if (!r->nbuild_flags)
			continue;
		if (!any)
			dd_buf_puts(&b, "\nBuild flags the fixed files need:\n\n");
		any = true;
		dd_buf t = DD_BUF_INIT;
		dd_buf_printf(&t, "%s:", files[f].repo_path);
		for (size_t i = 0; i < r->nbuild_flags; i++)
			dd_buf_printf(&t, " %s", r->build_flags[i]);
		bullet(&b, t.ptr);
		dd_buf_free(&t);
	}
	return dd_buf_detach(&b, NULL);
}
