/* The Checkstyle 4.3 XML report, as CI servers and reviewdog read it. */
#include "drydock/report.h"
#include "drydock/rule.h"

#include "df_unicode.h"

#include <string.h>

/* The reference for a character XML gives meaning to, or NULL. */
static const char *
xml_entity(uint32_t cp)
{
	switch (cp) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&apos;";
	case '\t':
		return "&#9;";
	case '\n':
		return "&#10;";
	case '\r':
		return "&#13;";
	default:
		return NULL;
	}
}

/*
 * Write s as XML attribute text. XML 1.0 cannot hold most control
 * characters at all, even as references, so they become U+FFFD, as do
 * bytes that are not UTF-8; tab and line ends are kept as references
 * (a parser would fold them to blanks).
 */
static void
put_xml(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t w;
		uint32_t cp = df_utf8_decode(p + i, len - i, &w);
		const char *ent = xml_entity(cp);
		if (ent)
			fputs(ent, out);
		else if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF ||
		    (cp == DF_RUNE_ERROR && w == 1))
			fputs("\xEF\xBF\xBD", out); /* not allowed in XML 1.0, or not UTF-8 */
		else
			fwrite(p + i, 1, w, out);
		i += w;
	}
}

static const char *
severity(dd_severity s)
{
	return s == DD_SEV_ERROR ? "error" : s == DD_SEV_WARNING ? "warning" : "info";
}

static void
put_error(FILE *out, uint32_t line, uint32_t col, const char *sev, const char *message,
    const char *source)
{
	fprintf(out, "    <error line=\"%u\" column=\"%u\" severity=\"%s\" message=\"",
	    line, col, sev);
	put_xml(out, message);
	fputs("\" source=\"", out);
	put_xml(out, source);
	fputs("\"/>\n", out);
}

static void
put_file(FILE *out, const dd_file_result *f)
{
	fputs("  <file name=\"", out);
	put_xml(out, f->path);
	fputs("\">\n", out);
	if (f->error) {
		uint32_t line = 1, col = 1;
		dd_report_error_position(f, &line, &col);
		put_error(out, line, col, "error", f->error, "drydock.input-error");
	}
	for (size_t i = 0; i < f->findings.n; i++) {
		const dd_finding *fd = &f->findings.v[i];
		char source[64];
		snprintf(source, sizeof(source), "drydock.%s", fd->rule ? fd->rule->code : "DD000");
		put_error(out, fd->span.line, fd->span.col, severity(fd->severity),
		    fd->message ? fd->message : "", source);
	}
	fputs("  </file>\n", out);
}

int
dd_report_checkstyle(FILE *out, const dd_results *r, const dd_report_opts *o)
{
	(void)o;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n", out);
	for (size_t i = 0; i < r->nfiles; i++)
		put_file(out, &r->files[i]);
	fputs("</checkstyle>\n", out);
	return DD_OK;
}
