/* The text report: one located line per finding, the source line with a caret, a summary. */
#include "drydock/report.h"
#include "drydock/alloc.h"
#include "drydock/rule.h"
#include "drydock/secret.h"

#include <stdlib.h>
#include <string.h>

/* ANSI SGR sequences, written only when o->color. */
#define SGR_BOLD "\033[1m"
#define SGR_RESET "\033[0m"

static const char *
severity_sgr(dd_severity s)
{
	switch (s) {
	case DD_SEV_ERROR:
		return "\033[31m";
	case DD_SEV_WARNING:
		return "\033[33m";
	default:
		return "\033[34m";
	}
}

/*
 * Write len bytes of s with control characters (C0 but tab, DEL, and C1
 * in UTF-8) shown as one '?' each: a Dockerfile must not be able to drive
 * the terminal, and one character per character keeps the caret aligned.
 */
static void
put_safe(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F) {
			fputc('?', out);
			i++;
		} else if ((c < 0x20 && c != '\t') || c == 0x7F) {
			fputc('?', out);
		} else {
			fputc(c, out);
		}
	}
}

static void
put_safe_str(FILE *out, const char *s)
{
	put_safe(out, s, strlen(s));
}

/* "path:line:col:" (or "path:" without a line), bold in colour. */
static void
put_location(FILE *out, const char *path, uint32_t line, uint32_t col, bool color)
{
	if (color)
		fputs(SGR_BOLD, out);
	put_safe_str(out, path);
	if (line)
		fprintf(out, ":%u:%u", line, col);
	fputc(':', out);
	if (color)
		fputs(SGR_RESET, out);
}

/* Mask s[from, to) but its first 4 characters: one '*' per character. */
static void
mask_range(char *s, size_t from, size_t to)
{
	size_t kept = 0, i = from;
	for (; i < to && kept <= 4; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++kept > 4)
			break;
	for (; i < to; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			s[i] = '*';
		else
			s[i] = '\0'; /* dropped when printed */
}

static void
mask_hit(void *p, const dd_secret_hit *h)
{
	mask_range(p, h->start, h->end);
}

/*
 * A shown source line never gives a secret away: what a finding marks as a
 * secret value, and every token format the scanner knows, is masked the way
 * messages are (a CI log is not a safe place). The character count stays,
 * so the caret stays aligned. The copy has len bytes, masked ones NUL.
 */
static char *
masked_line(const dd_file_result *f, const char *text, size_t len)
{
	char *m = dd_xmalloc(len + 1);
	memcpy(m, text, len);
	m[len] = '\0';
	size_t ls = (size_t)(text - f->src->data);
	for (size_t i = 0; i < f->findings.n; i++) {
		const dd_finding *fd = &f->findings.v[i];
		if (!fd->secret || fd->span.end <= ls || fd->span.start >= ls + len)
			continue;
		size_t from = fd->span.start > ls ? fd->span.start - ls : 0;
		size_t to = fd->span.end - ls < len ? fd->span.end - ls : len;
		/* on a continuation line the value's first characters are above */
		if (fd->span.start < ls)
			for (size_t k = from; k < to; k++)
				m[k] = ((unsigned char)m[k] & 0xC0) != 0x80 ? '*' : '\0';
		else
			mask_range(m, from, to);
	}
	dd_secret_scan(text, len, mask_hit, m);
	return m;
}

/* Write the masked line: NUL bytes are the dropped ones. */
static void
put_masked(FILE *out, const char *m, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && m[j])
			j++;
		put_safe(out, m + i, j - i);
		i = j < len ? j + 1 : j;
	}
}

/* "  | <line>" then "  | " and a caret under col: one blank per character, tabs kept. */
static void
put_source(FILE *out, const dd_file_result *f, uint32_t line, uint32_t col, const char *sgr)
{
	const dd_source *src = f->src;
	const char *text;
	size_t len;
	dd_source_line(src, line, &text, &len);
	/* the byte-order mark is part of line 1's columns but not shown */
	size_t skip = line == 1 && src->bom && len >= 3 ? 3 : 0;

	fputs("  | ", out);
	char *m = masked_line(f, text, len);
	put_masked(out, m + skip, len - skip);
	free(m);
	fputs("\n  | ", out);
	for (size_t i = skip + 1; i < col && i <= len; i++) {
		unsigned char c = (unsigned char)text[i - 1];
		if ((c & 0xC0) == 0x80)
			continue; /* a UTF-8 continuation byte */
		fputc(c == '\t' ? '\t' : ' ', out);
	}
	if (sgr)
		fprintf(out, "%s^%s\n", sgr, SGR_RESET);
	else
		fputs("^\n", out);
}

/* -v: the rule's title and its names in other tools. */
static void
put_rule_notes(FILE *out, const dd_rule *rule)
{
	if (rule->doc && rule->doc->title)
		fprintf(out, "  = %s: %s\n", rule->code, rule->doc->title);
	if (!rule->aliases || !rule->aliases[0])
		return;
	fputs("  = aliases:", out);
	for (const char *const *a = rule->aliases; *a; a++)
		fprintf(out, "%s %s", a == rule->aliases ? "" : ",", *a);
	fputc('\n', out);
}

static void
put_finding(FILE *out, const dd_file_result *f, const dd_finding *fd, const dd_report_opts *o)
{
	const char *sgr = o->color ? severity_sgr(fd->severity) : NULL;
	const dd_rule *rule = fd->rule;

	put_location(out, f->path, fd->span.line, fd->span.col, o->color);
	fprintf(out, " %s%s%s %s %s: ", sgr ? sgr : "", dd_severity_name(fd->severity),
	    sgr ? SGR_RESET : "", rule ? rule->code : "?", rule ? rule->slug : "?");
	put_safe_str(out, fd->message ? fd->message : "");
	fputc('\n', out);
	if (o->quiet)
		return;
	if (f->src && fd->span.line)
		put_source(out, f, fd->span.line, fd->span.col, sgr);
	if (o->verbose && rule)
		put_rule_notes(out, rule);
}

/* The error line of a file that could not be read or parsed, located when it can be. */
static void
put_file_error(FILE *out, const dd_file_result *f, const dd_report_opts *o)
{
	const char *sgr = o->color ? severity_sgr(DD_SEV_ERROR) : NULL;
	const char *rest = strstr(f->error, ": error: ");
	uint32_t line, col;

	if (sgr && rest) {
		fprintf(out, "%s", SGR_BOLD);
		put_safe(out, f->error, (size_t)(rest - f->error) + 1);
		fprintf(out, "%s %serror%s:", SGR_RESET, sgr, SGR_RESET);
		put_safe_str(out, rest + strlen(": error:"));
	} else {
		put_safe_str(out, f->error);
	}
	fputc('\n', out);
	if (!o->quiet && f->src && dd_report_error_position(f, &line, &col))
		put_source(out, f, line, col, sgr);
}

int
dd_report_text(FILE *out, const dd_results *r, const dd_report_opts *o)
{
	for (size_t i = 0; i < r->nfiles; i++) {
		const dd_file_result *f = &r->files[i];
		if (f->error)
			put_file_error(out, f, o);
		for (size_t j = 0; j < f->findings.n; j++)
			put_finding(out, f, &f->findings.v[j], o);
	}
	if (!o->quiet)
		dd_report_summary(out, r);
	return DD_OK;
}
