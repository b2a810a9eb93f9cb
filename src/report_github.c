/* The GitHub Actions report: one workflow command per finding, shown as an annotation on the line. */
#include "drydock/report.h"
#include "drydock/rule.h"

#include <string.h>

/* GitHub's three annotation levels. */
static const char *
command(dd_severity s)
{
	return s == DD_SEV_ERROR ? "error" : s == DD_SEV_WARNING ? "warning" : "notice";
}

/*
 * Escape as the runner unescapes: '%', CR and LF in the message; ':' and
 * ',' too in a property, where they would end the value. Other control
 * characters are shown as '?', as in the text report: a Dockerfile must
 * not be able to drive the log's terminal emulation.
 */
static void
put_escaped(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (property && *s == ':')
			fputs("%3A", out);
		else if (property && *s == ',')
			fputs("%2C", out);
		else if ((*s > 0 && *s < 0x20 && *s != '\t') || *s == 0x7F)
			fputc('?', out);
		else
			fputc(*s, out);
	}
}

/* Relative to the workspace, as the runner matches it against the checkout. */
static void
put_file(FILE *out, const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	fputs(" file=", out);
	put_escaped(out, path, true);
}

/* A byte column as characters: the annotation's column counts what the reader sees. */
static uint32_t
char_column(const dd_source *src, uint32_t line, uint32_t col)
{
	const char *text;
	size_t len;
	uint32_t chars = 0;

	if (!src || col == 0)
		return col;
	dd_source_line(src, line, &text, &len);
	size_t i = line == 1 && src->bom && len >= 3 ? 3 : 0;
	for (; i + 1 < col; i++)
		if (i >= len || ((unsigned char)text[i] & 0xC0) != 0x80)
			chars++;
	return chars + 1;
}

/* ",line=…,col=…,endLine=…,endColumn=…": columns only when the span is on one line. */
static void
put_region(FILE *out, const dd_source *src, const dd_span *s)
{
	if (!s->line)
		return;
	fprintf(out, ",line=%u", s->line);
	bool one_line = s->end_line == s->line && s->end_col > s->col;
	if (s->col)
		fprintf(out, ",col=%u", char_column(src, s->line, s->col));
	if (s->end_line > s->line)
		fprintf(out, ",endLine=%u", s->end_line);
	else if (one_line) /* GitHub's end column is the last character, not past it */
		fprintf(out, ",endLine=%u,endColumn=%u", s->line,
		    char_column(src, s->line, s->end_col) - 1);
}

static void
put_finding(FILE *out, const dd_file_result *f, const dd_finding *fd)
{
	const dd_rule *rule = fd->rule;

	fprintf(out, "::%s", command(fd->severity));
	put_file(out, f->path);
	put_region(out, f->src, &fd->span);
	fputs(",title=", out);
	put_escaped(out, rule ? rule->code : "DD000", true);
	fputc(' ', out);
	put_escaped(out, rule ? rule->slug : "unknown", true);
	fputs("::", out);
	put_escaped(out, fd->message ? fd->message : "", false);
	fputc('\n', out);
}

/* A file that could not be read or parsed: an error annotation at its place. */
static void
put_file_error(FILE *out, const dd_file_result *f)
{
	dd_span s = { 0, 0, 0, 0, 0, 0 };

	dd_report_error_position(f, &s.line, &s.col);
	fputs("::error", out);
	put_file(out, f->path);
	put_region(out, f->src, &s);
	fputs(",title=drydock::", out);
	put_escaped(out, f->error, false);
	fputc('\n', out);
}

int
dd_report_github(FILE *out, const dd_results *r, const dd_report_opts *o)
{
	for (size_t i = 0; i < r->nfiles; i++) {
		const dd_file_result *f = &r->files[i];
		if (f->error)
			put_file_error(out, f);
		for (size_t j = 0; j < f->findings.n; j++)
			put_finding(out, f, &f->findings.v[j]);
	}
	/* plain lines are log text: the summary reads as it does in a terminal */
	if (!o->quiet)
		dd_report_summary(out, r);
	return DD_OK;
}
