/* Output templates: {name} placeholders, sections and lists, filled from a data callback. */
#include "drydock/template.h"
#include "drydock/alloc.h"
#include "drydock/error.h"
#include "drydock/knowledge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { T_VAR, T_IF, T_UNLESS, T_EACH, T_END, T_COMMENT } tag_kind;

typedef struct {
	tag_kind kind;
	char name[48];
	char filter[8];
	size_t start, end;     /* the tag's bytes */
	size_t ls, le;         /* what it takes: its whole line when it stands alone */
} tag;

typedef struct {
	const char *path;
	const char *text;
	const dd_template_data *d;
	dd_buf *out;
} renderer;

static bool
name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/* Is the tag alone on its line? Then it takes the line and its end. */
static void
standalone(const char *s, size_t len, tag *t)
{
	t->ls = t->start;
	t->le = t->end;
	if (t->kind == T_VAR)
		return;
	size_t a = t->start, b = t->end;
	while (a > 0 && (s[a - 1] == ' ' || s[a - 1] == '\t'))
		a--;
	if (a > 0 && s[a - 1] != '\n')
		return;
	while (b < len && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
		b++;
	if (b < len && s[b] != '\n')
		return;
	t->ls = a;
	t->le = b < len ? b + 1 : b;
}

/* Read a tag at s[at] == '{'; false when the brace is text. */
static bool
read_tag(const char *s, size_t len, size_t at, tag *t)
{
	size_t i = at + 1;
	memset(t, 0, sizeof(*t));
	t->start = at;
	if (i < len && s[i] == '!') {
		const char *close = memchr(s + i, '}', len - i);
		if (!close)
			return false;
		t->kind = T_COMMENT;
		t->end = (size_t)(close - s) + 1;
		standalone(s, len, t);
		return true;
	}
	t->kind = T_VAR;
	if (i < len && strchr("?^#/", s[i]) && s[i]) {
		t->kind = s[i] == '?' ? T_IF : s[i] == '^' ? T_UNLESS : s[i] == '#' ? T_EACH : T_END;
		i++;
	}
	size_t n = 0;
	while (i < len && name_char(s[i], n == 0) && n + 1 < sizeof(t->name))
		t->name[n++] = s[i++];
	if (n == 0)
		return false;
	if (i < len && s[i] == '|' && t->kind == T_VAR) {
		size_t f = 0;
		for (i++; i < len && s[i] >= 'a' && s[i] <= 'z' && f + 1 < sizeof(t->filter); i++)
			t->filter[f++] = s[i];
	}
	if (i >= len || s[i] != '}')
		return false;
	t->end = i + 1;
	standalone(s, len, t);
	return true;
}

/* The next tag in [at, to), or false. */
static bool
next_tag(const char *s, size_t at, size_t to, tag *t)
{
	for (size_t i = at; i < to; i++)
		if (s[i] == '{' && read_tag(s, to, i, t))
			return true;
	return false;
}

static size_t
line_of(const char *s, size_t at)
{
	size_t line = 1;
	for (size_t i = 0; i < at; i++)
		line += s[i] == '\n';
	return line;
}

static int
fail(const renderer *r, size_t at, const char *fmt, const char *name)
{
	return dd_error_set(DD_EPARSE, "%s:%zu: error: %s%s", r->path, line_of(r->text, at), fmt, name);
}

/* ---- values ---------------------------------------------------------------------- */

/* Plain YAML would read it as something else (a number, a bool, a mapping …)? */
static bool
yaml_needs_quotes(const char *v)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
	};
	if (!*v)
		return true;
	if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') || *v == '/' || *v == '_'))
		return true;
	for (const char *p = v; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-", *p))
			return true;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		if (strlen(v) == n) {
			size_t k = 0;
			while (k < n && (v[k] | 0x20) == words[i][k])
				k++;
			if (k == n)
				return true;
		}
	}
	return false;
}

static void
put_clean(dd_buf *out, const char *v)
{
	for (const char *p = v; *p; p++)
		dd_buf_putc(out, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
}

static void
put_yaml(dd_buf *out, const char *v)
{
	if (!yaml_needs_quotes(v)) {
		dd_buf_puts(out, v);
		return;
	}
	dd_buf_putc(out, '"');
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			dd_buf_putc(out, '\\');
		dd_buf_putc(out, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	}
	dd_buf_putc(out, '"');
}

static void
put_sh(dd_buf *out, const char *v)
{
	bool plain = *v != '\0';
	for (const char *p = v; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:=@,+%", *p))
			plain = false;
	if (plain) {
		dd_buf_puts(out, v);
		return;
	}
	dd_buf_putc(out, '\'');
	for (const char *p = v; *p; p++) {
		if (*p == '\'')
			dd_buf_puts(out, "'\\''");
		else
			dd_buf_putc(out, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	}
	dd_buf_putc(out, '\'');
}

static int
put_value(renderer *r, const tag *t, const char *list, size_t index)
{
	const char *v = NULL;
	if (r->d->get(r->d->p, list, index, t->name, &v) < 0)
		return fail(r, t->start, "unknown placeholder ", t->name);
	if (!v)
		return DD_OK;
	if (!t->filter[0])
		put_clean(r->out, v);
	else if (strcmp(t->filter, "yaml") == 0)
		put_yaml(r->out, v);
	else if (strcmp(t->filter, "sh") == 0)
		put_sh(r->out, v);
	else
		return fail(r, t->start, "unknown filter ", t->filter);
	return DD_OK;
}

/* ---- sections -------------------------------------------------------------------- */

/* The {/name} closing the section opened by open, or false. */
static bool
find_end(const renderer *r, const tag *open, size_t to, tag *end)
{
	int depth = 0;
	for (size_t at = open->end; next_tag(r->text, at, to, end); at = end->end) {
		if (strcmp(end->name, open->name) != 0 || end->kind == T_VAR || end->kind == T_COMMENT)
			continue;
		if (end->kind != T_END)
			depth++;
		else if (depth-- == 0)
			return true;
	}
	return false;
}

static int render(renderer *r, size_t from, size_t to, const char *list, size_t index);

static int
section(renderer *r, const tag *open, const tag *end, const char *list, size_t index)
{
	size_t n = r->d->count(r->d->p, open->name);
	const char *v = NULL;
	if (n == 0 && r->d->get(r->d->p, list, index, open->name, &v) < 0)
		return fail(r, open->start, "unknown placeholder ", open->name);
	bool set = n > 0 || (v && *v);
	if (open->kind == T_IF)
		return set ? render(r, open->le, end->ls, list, index) : DD_OK;
	if (open->kind == T_UNLESS)
		return set ? DD_OK : render(r, open->le, end->ls, list, index);
	for (size_t i = 0; i < n; i++) {
		int rc = render(r, open->le, end->ls, open->name, i);
		if (rc < 0)
			return rc;
	}
	return DD_OK;
}

static int
render(renderer *r, size_t from, size_t to, const char *list, size_t index)
{
	tag t, end;
	size_t at = from;
	while (next_tag(r->text, at, to, &t)) {
		dd_buf_put(r->out, r->text + at, t.ls - at);
		int rc = DD_OK;
		if (t.kind == T_VAR) {
			rc = put_value(r, &t, list, index);
			at = t.end;
		} else if (t.kind == T_COMMENT) {
			at = t.le;
		} else if (t.kind == T_END) {
			return fail(r, t.start, "a closing tag without its section: ", t.name);
		} else if (!find_end(r, &t, to, &end)) {
			return fail(r, t.start, "a section that is not closed: ", t.name);
		} else {
			rc = section(r, &t, &end, list, index);
			at = end.le;
		}
		if (rc < 0)
			return rc;
	}
	dd_buf_put(r->out, r->text + at, to - at);
	return DD_OK;
}

int
dd_template_render(dd_buf *out, const char *path, const char *text, size_t len, const dd_template_data *d)
{
	renderer r = { path, text, d, out };
	return render(&r, 0, len, NULL, 0);
}

int
dd_template_load(char **text, size_t *len, char **path_out, const char *rel)
{
	const char *dir = dd_knowledge_default_dir();
	size_t plen = strlen(dir) + strlen(rel) + 2;
	char *path = dd_xmalloc(plen);
	snprintf(path, plen, "%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	if (!f) {
		int rc = dd_error_set(DD_EIO, "%s: cannot read the template: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	dd_buf b = DD_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dd_buf_put(&b, chunk, n);
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		int rc = dd_error_set(DD_EIO, "%s: cannot read the template", path);
		dd_buf_free(&b);
		free(path);
		return rc;
	}
	*text = dd_buf_detach(&b, len);
	if (path_out)
		*path_out = path;
	else
		free(path);
	return DD_OK;
}
