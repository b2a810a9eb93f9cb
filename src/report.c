/* The report formats table, dd_report_write, and the helpers the serializers share. */
#include "drydock/report.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/rule.h"

#include "df_unicode.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* One row per format: a new format is one file plus one row here. */
#define DD_FORMATS(X) \
	X(text)       \
	X(json)       \
	X(sarif)      \
	X(checkstyle) \
	X(gitlab)     \
	X(github)

const char *const dd_report_formats[] = {
#define X(name) #name,
	DD_FORMATS(X)
#undef X
	NULL
};

typedef int (*report_fn)(FILE *out, const dd_results *r, const dd_report_opts *o);

static const struct {
	const char *name;
	report_fn fn;
} formats[] = {
#define X(name) { #name, dd_report_##name },
	DD_FORMATS(X)
#undef X
};

int
dd_report_write(FILE *out, const char *format, const dd_results *r, const dd_report_opts *o)
{
	static const dd_report_opts defaults;
	report_fn fn = NULL;

	for (size_t i = 0; i < DD_ARRAY_LEN(formats); i++)
		if (format && strcmp(format, formats[i].name) == 0)
			fn = formats[i].fn;
	if (!fn) {
		dd_buf names = DD_BUF_INIT;
		for (size_t i = 0; i < DD_ARRAY_LEN(formats); i++)
			dd_buf_printf(&names, "%s%s", i ? ", " : "", formats[i].name);
		int rc = dd_error_set(DD_EUSAGE, "unknown format '%s' (%s)", format ? format : "",
		    names.ptr);
		dd_buf_free(&names);
		return rc;
	}
	int rc = fn(out, r, o ? o : &defaults);
	if (rc < 0)
		return rc;
	/* a full disk or a closed pipe shows only here */
	if (fflush(out) != 0 || ferror(out))
		return dd_error_set(DD_EIO, "writing the report: %s",
		    strerror(errno ? errno : EIO));
	return DD_OK;
}

/* ---- fingerprints ------------------------------------------------------- */

/* The text of line n without leading and trailing blanks ("" without a source). */
static dd_str
trimmed_line(const dd_source *src, uint32_t n)
{
	dd_str s = { "", 0 };

	if (!src || n == 0)
		return s;
	dd_source_line(src, n, &s.ptr, &s.len);
	while (s.len && (*s.ptr == ' ' || *s.ptr == '\t')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
		s.len--;
	return s;
}

static bool
same_line_text(const dd_file_result *f, size_t a, size_t b)
{
	dd_str x = trimmed_line(f->src, f->findings.v[a].span.line);
	dd_str y = trimmed_line(f->src, f->findings.v[b].span.line);
	return x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0;
}

size_t
dd_report_occurrence(const dd_file_result *f, size_t i)
{
	size_t n = 0;

	for (size_t j = 0; j < i; j++)
		if (f->findings.v[j].rule == f->findings.v[i].rule && same_line_text(f, i, j))
			n++;
	return n;
}

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* Hash len bytes then a NUL, so that ("ab","c") and ("a","bc") differ. */
static uint64_t
fnv_field(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return (h ^ 0) * FNV_PRIME;
}

void
dd_report_fingerprint(char hex[17], const dd_file_result *f, size_t i, bool with_occurrence)
{
	const dd_finding *fd = &f->findings.v[i];
	const char *code = fd->rule && fd->rule->code ? fd->rule->code : "";
	dd_str text = trimmed_line(f->src, fd->span.line);
	uint64_t h = FNV_OFFSET;

	const char *path = f->path;
	while (path[0] == '.' && path[1] == '/')
		path += 2; /* "./Dockerfile" and "Dockerfile" are the same file */

	h = fnv_field(h, code, strlen(code));
	h = fnv_field(h, path, strlen(path));
	h = fnv_field(h, text.ptr, text.len);
	if (with_occurrence) {
		char occ[24];
		int n = snprintf(occ, sizeof(occ), "%zu", dd_report_occurrence(f, i));
		h = fnv_field(h, occ, (size_t)n);
	}
	snprintf(hex, 17, "%016llx", (unsigned long long)h);
}

/* ---- small shared helpers ------------------------------------------------ */

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void
dd_report_summary(FILE *out, const dd_results *r)
{
	size_t failed = 0, n[4] = { 0 }, fixable = 0, total = 0;

	for (size_t i = 0; i < r->nfiles; i++) {
		const dd_file_result *f = &r->files[i];
		failed += f->error != NULL;
		for (size_t j = 0; j < f->findings.n; j++) {
			dd_severity s = f->findings.v[j].severity;
			n[s >= DD_SEV_INFO && s <= DD_SEV_ERROR ? s : 0]++;
			fixable += f->findings.v[j].fixable;
			total++;
		}
	}
	fprintf(out, "%zu file%s checked", r->nfiles, plural(r->nfiles));
	if (failed)
		fprintf(out, " (%zu failed)", failed);
	if (total == 0)
		fputs(", no findings", out);
	else
		fprintf(out, ", %zu finding%s (%zu error%s, %zu warning%s, %zu info), %zu fixable",
		    total, plural(total), n[DD_SEV_ERROR], plural(n[DD_SEV_ERROR]),
		    n[DD_SEV_WARNING], plural(n[DD_SEV_WARNING]), n[DD_SEV_INFO], fixable);
	fprintf(out, ", in %.2f s\n", r->seconds);
}

bool
dd_report_error_position(const dd_file_result *f, uint32_t *line, uint32_t *col)
{
	size_t plen = strlen(f->path);
	unsigned l, c;
	char sep;

	if (!f->error || strncmp(f->error, f->path, plen) != 0 || f->error[plen] != ':')
		return false;
	if (sscanf(f->error + plen, ":%u:%u%c", &l, &c, &sep) != 3 || sep != ':' || l == 0)
		return false;
	*line = l;
	*col = c;
	return true;
}

struct json_t *
dd_report_json_string(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	/* not UTF-8: keep what decodes, mark the rest */
	dd_buf b = DD_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t w;
		uint32_t cp = df_utf8_decode(p + i, len - i, &w);
		dd_buf_put_utf8(&b, cp);
		i += w;
	}
	j = json_stringn(b.ptr ? b.ptr : "", b.len);
	dd_buf_free(&b);
	return j;
}
