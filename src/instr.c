/*
 * One instruction from its logical line: BuildKit's keyword split, flag
 * extraction and per-keyword line parser (parser/line_parsers.go), then the
 * typed payload drydock's rules read.
 */
#include "instr.h"

#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "goquote.h"

#include "df_lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[DD_INSTR__MAX] = {
	"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD",
	"COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD",
	"STOPSIGNAL", "HEALTHCHECK", "SHELL",
};

const char *
dd_instr_kind_name(dd_instr_kind kind)
{
	return kind < DD_INSTR__MAX ? kind_names[kind] : "?";
}

static bool
ieq(const char *a, size_t alen, const char *b)
{
	size_t n = strlen(b);
	if (alen != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = a[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		char d = b[i];
		if (d >= 'A' && d <= 'Z')
			d = (char)(d + 32);
		if (c != d)
			return false;
	}
	return true;
}

dd_instr_kind
dd_instr_kind_of(const char *kw, size_t len)
{
	for (int k = 0; k < DD_INSTR__MAX; k++)
		if (ieq(kw, len, kind_names[k]))
			return (dd_instr_kind)k;
	return DD_INSTR__MAX;
}

/* ---- building context -------------------------------------------------------- */

typedef struct {
	dd_word *v;
	size_t n, cap;
} wvec;

typedef struct {
	dd_doc *doc;
	dd_instr *ins;
	const dd_logical *l;
	const char *t;       /* the logical line */
	wvec args;
	dd_kv *pairs;
	size_t npairs, pcap;
	int err;             /* a parse error met inside a callback */
	size_t err_at;
	char errmsg[512];
} ctx;

static void
wvec_push(wvec *w, dd_word x)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->v = dd_xreallocarray(w->v, w->cap, sizeof(*w->v));
	}
	w->v[w->n++] = x;
}

/* A word whose text is s[0..n), written at logical bytes [a, b). */
static dd_word
word_of(ctx *c, const char *s, size_t n, size_t a, size_t b)
{
	dd_word w;
	w.text = dd_arena_strndup(c->doc->arena, s, n);
	w.len = n;
	w.span = dd_logical_span(c->l, c->doc->src, a, b);
	w.lo = (uint32_t)a;
	return w;
}

static dd_word
word_at(ctx *c, size_t a, size_t b)
{
	return word_of(c, c->t + a, b - a, a, b);
}

static void
push_pair(ctx *c, dd_word key, dd_word value, bool has_value, bool legacy)
{
	if (c->npairs == c->pcap) {
		c->pcap = c->pcap ? c->pcap * 2 : 4;
		c->pairs = dd_xreallocarray(c->pairs, c->pcap, sizeof(*c->pairs));
	}
	c->pairs[c->npairs++] = (dd_kv){ key, value, has_value, legacy };
}

static int
fail(ctx *c, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
fail(ctx *c, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	c->err = DD_EPARSE;
	c->err_at = at;
	return DD_EPARSE;
}

/* ---- BuildKit's line parsers --------------------------------------------------- */

/* Split [a, b) at runs of [\t\v\f\r ] (BuildKit reWhitespace). */
static void
split_fields(ctx *c, size_t a, size_t b)
{
	size_t i = a;
	while (i < b) {
		size_t s = i;
		while (i < b && !df_is_field_blank((unsigned char)c->t[i]))
			i++;
		wvec_push(&c->args, word_at(c, s, i));
		while (i < b && df_is_field_blank((unsigned char)c->t[i]))
			i++;
	}
}

typedef struct {
	ctx *c;
	size_t *ranges; /* start/end of each element's string token */
	size_t n, i;
} json_elems;

static void
json_elem_cb(void *p, const char *s, size_t len)
{
	json_elems *je = p;
	size_t a = je->ranges[2 * je->i], b = je->ranges[2 * je->i + 1];
	wvec_push(&je->c->args, word_of(je->c, s, len, a, b));
	je->i++;
}

/* Positions of the string tokens of a valid JSON array of strings. */
static size_t *
json_string_ranges(const char *t, size_t a, size_t b, size_t *n)
{
	size_t cap = 8, k = 0;
	size_t *r = dd_xmalloc(cap * 2 * sizeof(*r));
	for (size_t i = a; i < b; i++) {
		if (t[i] != '"')
			continue;
		size_t s = i++;
		while (i < b && t[i] != '"')
			i += t[i] == '\\' ? 2 : 1;
		if (k == cap) {
			cap *= 2;
			r = dd_xreallocarray(r, cap * 2, sizeof(*r));
		}
		r[2 * k] = s;
		r[2 * k + 1] = i + 1;
		k++;
	}
	*n = k;
	return r;
}

/* parseJSON: DF_JSON_OK (nodes pushed), DF_JSON_NOT_STRINGS or DF_JSON_INVALID. */
static int
parse_json(ctx *c, size_t a, size_t b)
{
	size_t lead = df_space_prefix(c->t + a, b - a);
	if (lead == b - a || c->t[a + lead] != '[')
		return DF_JSON_INVALID;
	int rc = df_json_string_array(c->t + a, b - a, NULL, NULL);
	if (rc != DF_JSON_OK)
		return rc;
	json_elems je = { c, NULL, 0, 0 };
	je.ranges = json_string_ranges(c->t, a + lead, b, &je.n);
	df_json_string_array(c->t + a, b - a, json_elem_cb, &je);
	free(je.ranges);
	c->ins->json = true;
	return DF_JSON_OK;
}

static const char not_strings[] =
	"when using JSON array syntax, arrays must be comprised of strings only";

/* RUN, CMD, ENTRYPOINT, SHELL: a JSON array, else the whole text. */
static int
parse_maybe_json(ctx *c, size_t a, size_t b)
{
	if (a == b)
		return DD_OK;
	int rc = parse_json(c, a, b);
	if (rc == DF_JSON_NOT_STRINGS)
		return fail(c, a, not_strings);
	if (rc != DF_JSON_OK)
		wvec_push(&c->args, word_at(c, a, b));
	return DD_OK;
}

/* ADD, COPY, VOLUME: a JSON array, else the whitespace-separated fields. */
static int
parse_maybe_json_to_list(ctx *c, size_t a, size_t b)
{
	int rc = parse_json(c, a, b);
	if (rc == DF_JSON_NOT_STRINGS)
		return fail(c, a, not_strings);
	if (rc != DF_JSON_OK)
		split_fields(c, a, b);
	return DD_OK;
}

typedef struct {
	ctx *c;
	size_t base;
	size_t *w; /* start, end of each word in the logical line */
	char **text;
	size_t *tlen;
	size_t n, cap;
} words;

static void
words_cb(void *p, const char *s, size_t len, size_t start, size_t end)
{
	words *ws = p;
	if (ws->n == ws->cap) {
		ws->cap = ws->cap ? ws->cap * 2 : 8;
		ws->w = dd_xreallocarray(ws->w, ws->cap * 2, sizeof(*ws->w));
		ws->text = dd_xreallocarray(ws->text, ws->cap, sizeof(*ws->text));
		ws->tlen = dd_xreallocarray(ws->tlen, ws->cap, sizeof(*ws->tlen));
	}
	ws->w[2 * ws->n] = ws->base + start;
	ws->w[2 * ws->n + 1] = ws->base + end;
	ws->text[ws->n] = dd_xstrndup(s, len);
	ws->tlen[ws->n] = len;
	ws->n++;
}

static void
words_free(words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->text[i]);
	free(ws->w);
	free(ws->text);
	free(ws->tlen);
}

static void
parse_words(ctx *c, size_t a, size_t b, words *ws)
{
	memset(ws, 0, sizeof(*ws));
	ws->c = c;
	ws->base = a;
	df_parse_words(c->t + a, b - a, c->doc->escape, words_cb, ws);
}

/* The synthetic separator node ("=" or "") of a name/value triplet. */
static dd_word
separator(ctx *c, const char *sep, size_t at)
{
	return word_of(c, sep, strlen(sep), at, at);
}

/* ENV, LABEL: `name value` (legacy) or `name=value …`. */
static int
parse_name_val(ctx *c, size_t a, size_t b, const char *what)
{
	words ws;
	parse_words(c, a, b, &ws);
	int rc = DD_OK;
	if (ws.n == 0)
		goto out;
	if (!memchr(ws.text[0], '=', ws.tlen[0])) {
		size_t i = a;
		while (i < b && !df_is_field_blank((unsigned char)c->t[i]))
			i++;
		size_t j = i;
		while (j < b && df_is_field_blank((unsigned char)c->t[j]))
			j++;
		if (i == b) {
			rc = fail(c, a, "%s must have two arguments", what);
			goto out;
		}
		dd_word k = word_at(c, a, i), v = word_at(c, j, b);
		wvec_push(&c->args, k);
		wvec_push(&c->args, v);
		wvec_push(&c->args, separator(c, "", b));
		push_pair(c, k, v, true, true);
		goto out;
	}
	for (size_t n = 0; n < ws.n; n++) {
		const char *w = ws.text[n];
		const char *eq = memchr(w, '=', ws.tlen[n]);
		size_t s = ws.w[2 * n], e = ws.w[2 * n + 1];
		if (!eq) {
			dd_buf q = DD_BUF_INIT;
			dd_go_quote(&q, w, ws.tlen[n]);
			rc = fail(c, s, "Syntax error - can't find = in %s. Must be of the form: name=value", q.ptr);
			dd_buf_free(&q);
			goto out;
		}
		size_t k = (size_t)(eq - w);
		dd_word key = word_of(c, w, k, s, s + k);
		dd_word val = word_of(c, eq + 1, ws.tlen[n] - k - 1, s + k + 1, e);
		wvec_push(&c->args, key);
		wvec_push(&c->args, val);
		wvec_push(&c->args, separator(c, "=", s + k + 1));
		push_pair(c, key, val, true, false);
	}
out:
	words_free(&ws);
	return rc;
}

/* ARG: one node per word; the payload cuts each at its first '='. */
static int
parse_arg(ctx *c, size_t a, size_t b)
{
	words ws;
	parse_words(c, a, b, &ws);
	for (size_t n = 0; n < ws.n; n++) {
		const char *w = ws.text[n];
		size_t s = ws.w[2 * n], e = ws.w[2 * n + 1];
		wvec_push(&c->args, word_of(c, w, ws.tlen[n], s, e));
		const char *eq = memchr(w, '=', ws.tlen[n]);
		size_t k = eq ? (size_t)(eq - w) : ws.tlen[n];
		dd_word key = word_of(c, w, k, s, s + k);
		dd_word val = eq ? word_of(c, eq + 1, ws.tlen[n] - k - 1, s + k + 1, e)
		                 : word_of(c, "", 0, e, e);
		push_pair(c, key, val, eq != NULL, false);
	}
	words_free(&ws);
	return DD_OK;
}

/* Bytes that HEALTHCHECK's type split treats as spaces. */
static bool
health_blank(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
}

/* HEALTHCHECK: a type word, then a command as in CMD. */
static int
parse_health(ctx *c, size_t a, size_t b)
{
	size_t sep = a;
	while (sep < b && !health_blank((unsigned char)c->t[sep]))
		sep++;
	size_t next = sep;
	while (next < b && health_blank((unsigned char)c->t[next]))
		next++;
	if (sep == a)
		return DD_OK;
	c->ins->health_type = word_at(c, a, sep);
	wvec_push(&c->args, c->ins->health_type);
	return parse_maybe_json(c, next, b);
}

/* ---- flags -------------------------------------------------------------------- */

typedef struct {
	ctx *c;
	size_t base;
	dd_flag *v;
	size_t n, cap;
} flags;

static void
flag_cb(void *p, const char *s, size_t len, size_t start, size_t end)
{
	flags *f = p;
	ctx *c = f->c;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4;
		f->v = dd_xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	dd_flag *fl = &f->v[f->n++];
	fl->raw = word_of(c, s, len, f->base + start, f->base + end);
	const char *t = fl->raw.text;
	size_t skip = len >= 2 && t[0] == '-' && t[1] == '-' ? 2 : 0;
	const char *eq = memchr(t + skip, '=', len - skip);
	size_t nlen = eq ? (size_t)(eq - t) - skip : len - skip;
	fl->name = dd_arena_strndup(c->doc->arena, t + skip, nlen);
	fl->has_value = eq != NULL;
	fl->value = eq ? eq + 1 : t + len;
	fl->value_len = eq ? len - (size_t)(eq + 1 - t) : 0;
}

/* ---- typed payloads ---------------------------------------------------------- */

/* A sub-word of w: bytes [i, j) of its text, which equals the raw text. */
static dd_word
sub_word(ctx *c, const dd_word *w, size_t i, size_t j)
{
	dd_word s;
	s.text = dd_arena_strndup(c->doc->arena, w->text + i, j - i);
	s.len = j - i;
	s.span = dd_source_span(c->doc->src, w->span.start + (uint32_t)i, w->span.start + (uint32_t)j);
	return s;
}

static void
payload_user(ctx *c)
{
	dd_instr *ins = c->ins;
	if (ins->nargs == 0)
		return;
	const dd_word *w = &ins->args[0];
	const char *colon = memchr(w->text, ':', w->len);
	size_t k = colon ? (size_t)(colon - w->text) : w->len;
	/* the span arithmetic holds only when the word has no continuation */
	bool plain = w->span.end - w->span.start == w->len;
	ins->as.user.user = plain ? sub_word(c, w, 0, k) : word_of(c, w->text, k, 0, 0);
	ins->as.user.has_group = colon != NULL;
	if (colon)
		ins->as.user.group = plain ? sub_word(c, w, k + 1, w->len)
		                           : word_of(c, colon + 1, w->len - k - 1, 0, 0);
	if (!plain) {
		ins->as.user.user.span = w->span;
		ins->as.user.group.span = w->span;
	}
}

static void
payload_from(ctx *c)
{
	dd_instr *ins = c->ins;
	if (ins->nargs >= 1)
		ins->as.from.image = ins->args[0];
	if (ins->nargs >= 3 && ieq(ins->args[1].text, ins->args[1].len, "as"))
		ins->as.from.alias = ins->args[2];
	const dd_flag *p = dd_instr_flag(ins, "platform");
	if (p)
		ins->as.from.platform = p->value;
}

static void
payload_command(ctx *c, size_t first)
{
	dd_instr *ins = c->ins;
	if (first >= ins->nargs)
		return;
	if (ins->json) {
		ins->as.cmd.argv = ins->args + first;
		ins->as.cmd.argc = ins->nargs - first;
	} else {
		ins->as.cmd.shell = ins->args[first];
	}
}

static void
payload_copy(ctx *c)
{
	dd_instr *ins = c->ins;
	if (ins->nargs == 0)
		return;
	if (ins->nargs == 1) {
		ins->as.copy.sources = ins->args;
		ins->as.copy.nsources = 1;
		return;
	}
	ins->as.copy.sources = ins->args;
	ins->as.copy.nsources = ins->nargs - 1;
	ins->as.copy.dest = ins->args[ins->nargs - 1];
}

/* Split a --mount value: CSV fields (a field may be double-quoted), key=value. */
static void
parse_mount(ctx *c, const dd_flag *f, dd_mount *m)
{
	memset(m, 0, sizeof(*m));
	m->type = DD_MOUNT_BIND;
	m->type_name = "bind";
	m->required = m->readonly = -1;
	m->flag = f;
	const char *s = f->value, *end = f->value + f->value_len;
	dd_buf field = DD_BUF_INIT;
	while (s <= end) {
		dd_buf_clear(&field);
		if (s < end && *s == '"') {
			for (s++; s < end; s++) {
				if (*s == '"' && s + 1 < end && s[1] == '"')
					dd_buf_putc(&field, *s++);
				else if (*s == '"')
					break;
				else
					dd_buf_putc(&field, *s);
			}
			while (s < end && *s != ',')
				s++;
		} else {
			while (s < end && *s != ',')
				dd_buf_putc(&field, *s++);
		}
		s++; /* the comma */
		if (field.len == 0)
			continue;
		char *kv = field.ptr;
		char *eq = strchr(kv, '=');
		size_t klen = eq ? (size_t)(eq - kv) : field.len;
		for (size_t i = 0; i < klen; i++)
			if (kv[i] >= 'A' && kv[i] <= 'Z')
				kv[i] = (char)(kv[i] + 32);
		const char *val = eq ? dd_arena_strndup(c->doc->arena, eq + 1, field.len - klen - 1) : "";
		bool truthy = !eq || ieq(val, strlen(val), "true") || strcmp(val, "1") == 0;
#define KEY(k) (klen == strlen(k) && memcmp(kv, k, klen) == 0)
		if (KEY("type")) {
			static const char *const types[] = { "bind", "cache", "tmpfs", "secret", "ssh" };
			m->type = DD_MOUNT_UNKNOWN;
			m->type_name = val;
			for (int t = 0; t < 5; t++)
				if (strcmp(val, types[t]) == 0)
					m->type = (dd_mount_type)t;
		} else if (KEY("id")) {
			m->id = val;
		} else if (KEY("target") || KEY("dst") || KEY("destination")) {
			m->target = val;
		} else if (KEY("source") || KEY("src")) {
			m->source = val;
		} else if (KEY("from")) {
			m->from = val;
		} else if (KEY("env")) {
			m->env = val;
		} else if (KEY("mode")) {
			m->mode = val;
		} else if (KEY("uid")) {
			m->uid = val;
		} else if (KEY("gid")) {
			m->gid = val;
		} else if (KEY("sharing")) {
			m->sharing = val;
		} else if (KEY("size")) {
			m->size = val;
		} else if (KEY("required")) {
			m->required = truthy;
		} else if (KEY("readonly") || KEY("ro")) {
			m->readonly = truthy;
		} else if (KEY("rw") || KEY("readwrite")) {
			m->readonly = !truthy;
		}
#undef KEY
	}
	dd_buf_free(&field);
}

static void
payload_mounts(ctx *c)
{
	dd_instr *ins = c->ins;
	size_t n = 0;
	for (size_t i = 0; i < ins->nflags; i++)
		n += strcmp(ins->flags[i].name, "mount") == 0;
	if (!n)
		return;
	ins->as.cmd.mounts = dd_arena_alloc(c->doc->arena, n * sizeof(dd_mount));
	for (size_t i = 0; i < ins->nflags; i++)
		if (strcmp(ins->flags[i].name, "mount") == 0)
			parse_mount(c, &ins->flags[i], &ins->as.cmd.mounts[ins->as.cmd.nmounts++]);
}

static void
payload(ctx *c)
{
	dd_instr *ins = c->ins;
	switch (ins->kind) {
	case DD_INSTR_FROM:
		payload_from(c);
		break;
	case DD_INSTR_RUN:
		payload_mounts(c);
		/* fall through */
	case DD_INSTR_CMD:
	case DD_INSTR_ENTRYPOINT:
	case DD_INSTR_SHELL:
		payload_command(c, 0);
		break;
	case DD_INSTR_HEALTHCHECK:
		if (ins->health_type.len && ieq(ins->health_type.text, ins->health_type.len, "cmd"))
			payload_command(c, 1);
		break;
	case DD_INSTR_ADD:
	case DD_INSTR_COPY:
		payload_copy(c);
		break;
	case DD_INSTR_USER:
		payload_user(c);
		break;
	case DD_INSTR_ENV:
	case DD_INSTR_LABEL:
	case DD_INSTR_ARG:
		ins->as.kv.pairs = dd_arena_alloc(c->doc->arena, (c->npairs ? c->npairs : 1) * sizeof(dd_kv));
		if (c->npairs)
			memcpy(ins->as.kv.pairs, c->pairs, c->npairs * sizeof(dd_kv));
		ins->as.kv.npairs = c->npairs;
		break;
	default:
		break;
	}
}

/* ---- the instruction ------------------------------------------------------- */

static size_t
edit_distance(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b), prev[16], cur[16];
	if (n > 15 || m > 15)
		return 99;
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			char x = a[i - 1];
			if (x >= 'A' && x <= 'Z')
				x = (char)(x + 32);
			char y = (char)(b[j - 1] + 32);
			size_t sub = prev[j - 1] + (x != y);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[m];
}

static int
unknown_instruction(ctx *c, size_t at, const char *kw, size_t len)
{
	size_t best = 3;
	const char *hint = NULL;
	for (int k = 0; k < DD_INSTR__MAX; k++) {
		size_t d = edit_distance(kw, len, kind_names[k]);
		if (d < best) {
			best = d;
			hint = kind_names[k];
		}
	}
	dd_buf q = DD_BUF_INIT;
	size_t n = len;
	if (n > 40) {
		n = 40; /* shorten, on a UTF-8 character boundary */
		while (n > 0 && ((unsigned char)kw[n] & 0xC0) == 0x80)
			n--;
	}
	dd_buf_put(&q, kw, n);
	if (hint)
		fail(c, at, "unknown instruction: %s (did you mean %s?)", q.ptr ? q.ptr : "", hint);
	else
		fail(c, at, "unknown instruction: %s", q.ptr ? q.ptr : "");
	dd_buf_free(&q);
	return DD_EPARSE;
}

static int
dispatch(ctx *c, size_t a, size_t b)
{
	switch (c->ins->kind) {
	case DD_INSTR_RUN:
	case DD_INSTR_CMD:
	case DD_INSTR_ENTRYPOINT:
	case DD_INSTR_SHELL:
		return parse_maybe_json(c, a, b);
	case DD_INSTR_ADD:
	case DD_INSTR_COPY:
	case DD_INSTR_VOLUME:
		return parse_maybe_json_to_list(c, a, b);
	case DD_INSTR_FROM:
	case DD_INSTR_EXPOSE:
		split_fields(c, a, b);
		return DD_OK;
	case DD_INSTR_MAINTAINER:
	case DD_INSTR_STOPSIGNAL:
	case DD_INSTR_USER:
	case DD_INSTR_WORKDIR:
		if (a < b)
			wvec_push(&c->args, word_at(c, a, b));
		return DD_OK;
	case DD_INSTR_ENV:
		return parse_name_val(c, a, b, "ENV");
	case DD_INSTR_LABEL:
		return parse_name_val(c, a, b, "LABEL");
	case DD_INSTR_ARG:
		return parse_arg(c, a, b);
	case DD_INSTR_HEALTHCHECK:
		return parse_health(c, a, b);
	case DD_INSTR_ONBUILD:
		if (a == b)
			return DD_OK;
		{
			dd_instr *t = dd_arena_alloc(c->doc->arena, sizeof(*t));
			t->parent = c->ins;
			t->stage = c->ins->stage;
			int rc = dd_instr_build(c->doc, t, c->l, a, b);
			if (rc < 0)
				return rc;
			c->ins->onbuild = t;
			if (t->kind == DD_INSTR_ONBUILD)
				return fail(c, a, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
			if (t->kind == DD_INSTR_FROM || t->kind == DD_INSTR_MAINTAINER)
				return fail(c, a, "%s isn't allowed as an ONBUILD trigger", kind_names[t->kind]);
		}
		return DD_OK;
	default:
		return DD_OK;
	}
}

int
dd_instr_build(dd_doc *doc, dd_instr *ins, const dd_logical *l, size_t a, size_t b)
{
	ctx c = { doc, ins, l, l->text, {0}, NULL, 0, 0, 0, 0, {0} };
	ins->lmap = l;
	ins->line = l->text;
	ins->line_len = l->len;
	df_split sp;
	df_split_command(l->text + a, b - a, &sp);
	size_t kw = a + sp.kw, end = a + sp.end;
	ins->keyword = word_at(&c, kw, kw + sp.kw_len);
	ins->kind = dd_instr_kind_of(l->text + kw, sp.kw_len);
	int rc = DD_OK;
	if (ins->kind == DD_INSTR__MAX) {
		rc = unknown_instruction(&c, kw, l->text + kw, sp.kw_len);
		goto out;
	}
	size_t args = end;
	if (sp.has_rest) {
		size_t rest = a + sp.rest;
		flags f = { &c, rest, NULL, 0, 0 };
		args = rest + df_extract_flags(l->text + rest, end - rest, doc->escape, flag_cb, &f);
		ins->flags = dd_arena_alloc(doc->arena, (f.n ? f.n : 1) * sizeof(dd_flag));
		if (f.n)
			memcpy(ins->flags, f.v, f.n * sizeof(dd_flag));
		ins->nflags = f.n;
		free(f.v);
		args += df_space_prefix(l->text + args, end - args);
	}
	rc = dispatch(&c, args, end);
	if (rc < 0)
		goto out;
	ins->args = dd_arena_alloc(doc->arena, (c.args.n ? c.args.n : 1) * sizeof(dd_word));
	if (c.args.n)
		memcpy(ins->args, c.args.v, c.args.n * sizeof(dd_word));
	ins->nargs = c.args.n;
	payload(&c);
out:
	if (c.err) {
		uint32_t at = dd_logical_source(l, c.err_at);
		rc = dd_source_error(doc->src, at, c.err, "%s", c.errmsg);
	}
	free(c.args.v);
	free(c.pairs);
	return rc;
}

dd_span
dd_instr_span(const dd_doc *doc, const dd_instr *ins, size_t a, size_t b)
{
	if (!ins->lmap)
		return ins->span;
	return dd_logical_span(ins->lmap, doc->src, a, b);
}

const dd_flag *
dd_instr_flag(const dd_instr *ins, const char *name)
{
	for (size_t i = 0; i < ins->nflags; i++)
		if (strcmp(ins->flags[i].name, name) == 0)
			return &ins->flags[i];
	return NULL;
}
