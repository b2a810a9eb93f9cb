/* A small recursive-descent JSON reader into an arena (see jsonlite.h). */
#include "jsonlite.h"
#include "drydock/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256

typedef struct {
	const char *s, *end, *p;
	dd_arena *arena;
	jl_error *err;
	bool failed;
} parser;

/* Record an error at pointer at (line and column of that byte). */
static jl_t *
fail_at(parser *ps, const char *at, const char *fmt, const char *near, size_t nlen)
{
	if (ps->failed)
		return NULL;
	ps->failed = true;
	int line = 1, col = 1;
	for (const char *q = ps->s; q < at && q < ps->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*q & 0xC0) != 0x80) {
			col++;
		}
	}
	ps->err->line = line;
	ps->err->column = col;
	if (near)
		snprintf(ps->err->text, sizeof(ps->err->text), fmt, (int)(nlen > 40 ? 40 : nlen), near);
	else
		snprintf(ps->err->text, sizeof(ps->err->text), "%s", fmt);
	return NULL;
}

static void
skip_ws(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static jl_t *
node(parser *ps, jl_type t)
{
	jl_t *v = dd_arena_alloc(ps->arena, sizeof(*v));
	v->type = t;
	return v;
}

static int
hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Bytes of one valid UTF-8 sequence at p, or 0. */
static size_t
utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
	if (n == 0 || (size_t)(end - p) < n || (n == 2 && c < 0xC2))
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if (n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)))
		return 0;
	if (n == 4 && ((c == 0xF0 && p[1] < 0x90) || c > 0xF4 || (c == 0xF4 && p[1] >= 0x90)))
		return 0;
	return n;
}

/* A string at ps->p (on its opening quote); *len gets its decoded length. */
static const char *
string(parser *ps, size_t *len)
{
	const char *start = ps->p++;
	/* most strings have no escapes: copy them in one piece */
	const char *q = ps->p;
	while (q < ps->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20) {
		size_t n = (unsigned char)*q < 0x80 ? 1
		    : utf8_len((const unsigned char *)q, (const unsigned char *)ps->end);
		if (n == 0)
			break;
		q += n;
	}
	if (q < ps->end && *q == '"') {
		*len = (size_t)(q - ps->p);
		const char *s = dd_arena_strndup(ps->arena, ps->p, *len);
		ps->p = q + 1;
		return s;
	}
	dd_buf b = DD_BUF_INIT;
	dd_buf_put(&b, ps->p, (size_t)(q - ps->p));
	ps->p = q;
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;
		if (c < 0x20) {
			dd_buf_free(&b);
			fail_at(ps, ps->p, "control character in a string", NULL, 0);
			return NULL;
		}
		if (c == '\\') {
			if (ps->end - ps->p < 2)
				break;
			char e = ps->p[1];
			ps->p += 2;
			switch (e) {
			case '"': dd_buf_putc(&b, '"'); break;
			case '\\': dd_buf_putc(&b, '\\'); break;
			case '/': dd_buf_putc(&b, '/'); break;
			case 'b': dd_buf_putc(&b, '\b'); break;
			case 'f': dd_buf_putc(&b, '\f'); break;
			case 'n': dd_buf_putc(&b, '\n'); break;
			case 'r': dd_buf_putc(&b, '\r'); break;
			case 't': dd_buf_putc(&b, '\t'); break;
			case 'u': {
				int cp = ps->end - ps->p >= 4 ? hex4(ps->p) : -1;
				if (cp < 0) {
					dd_buf_free(&b);
					fail_at(ps, ps->p, "invalid \\u escape", NULL, 0);
					return NULL;
				}
				ps->p += 4;
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					int lo = ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u' ? hex4(ps->p + 2) : -1;
					if (lo < 0xDC00 || lo > 0xDFFF) {
						dd_buf_free(&b);
						fail_at(ps, ps->p, "invalid Unicode surrogate pair", NULL, 0);
						return NULL;
					}
					ps->p += 6;
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
					dd_buf_free(&b);
					fail_at(ps, ps->p, "invalid Unicode surrogate", NULL, 0);
					return NULL;
				}
				dd_buf_put_utf8(&b, (unsigned)cp);
				break;
			}
			default:
				dd_buf_free(&b);
				fail_at(ps, ps->p - 1, "invalid escape", NULL, 0);
				return NULL;
			}
			continue;
		}
		size_t n = utf8_len((const unsigned char *)ps->p, (const unsigned char *)ps->end);
		if (n == 0) {
			dd_buf_free(&b);
			fail_at(ps, ps->p, "invalid UTF-8 in a string", NULL, 0);
			return NULL;
		}
		dd_buf_put(&b, ps->p, n);
		ps->p += n;
	}
	if (ps->p >= ps->end) {
		dd_buf_free(&b);
		fail_at(ps, start, "premature end of input near '%.*s'", start, (size_t)(ps->end - start));
		return NULL;
	}
	ps->p++; /* the closing quote */
	*len = b.len;
	char *s = dd_arena_strndup(ps->arena, b.ptr ? b.ptr : "", b.len);
	dd_buf_free(&b);
	return s;
}

static jl_t *value(parser *ps, int depth);

/* A growable list of pointers, copied into the arena when complete. */
typedef struct {
	void **v;
	size_t n, cap;
} plist;

static void
plist_add(plist *l, void *p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = dd_xreallocarray(l->v, l->cap, sizeof(void *));
	}
	l->v[l->n++] = p;
}

static void **
plist_finish(parser *ps, plist *l)
{
	void **out = dd_arena_alloc(ps->arena, (l->n ? l->n : 1) * sizeof(void *));
	if (l->n)
		memcpy(out, l->v, l->n * sizeof(void *));
	free(l->v);
	return out;
}

static jl_t *
array(parser *ps, int depth)
{
	jl_t *a = node(ps, JL_ARRAY);
	plist items = { NULL, 0, 0 };
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		a->u.items = (jl_t **)plist_finish(ps, &items);
		return a;
	}
	for (;;) {
		jl_t *v = value(ps, depth + 1);
		if (!v) {
			free(items.v);
			return NULL;
		}
		plist_add(&items, v);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			break;
		}
		free(items.v);
		return fail_at(ps, ps->p, "']' expected near '%.*s'", ps->p, ps->p < ps->end ? 1 : 0);
	}
	a->n = items.n;
	a->u.items = (jl_t **)plist_finish(ps, &items);
	return a;
}

static jl_t *
object(parser *ps, int depth)
{
	jl_t *o = node(ps, JL_OBJECT);
	plist keys = { NULL, 0, 0 }, vals = { NULL, 0, 0 };
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		o->u.obj.keys = (const char **)plist_finish(ps, &keys);
		o->u.obj.values = (jl_t **)plist_finish(ps, &vals);
		return o;
	}
	for (;;) {
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			goto bad;
		const char *kstart = ps->p;
		size_t klen;
		const char *key = string(ps, &klen);
		if (!key)
			goto bad;
		/* objects here are small: a linear scan finds duplicates */
		for (size_t i = 0; i < keys.n; i++)
			if (strcmp(keys.v[i], key) == 0) {
				free(keys.v);
				free(vals.v);
				return fail_at(ps, ps->p - 1, "duplicate object key near '%.*s'", kstart,
				    (size_t)(ps->p - kstart));
			}
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			free(keys.v);
			free(vals.v);
			return fail_at(ps, ps->p, "':' expected near '%.*s'", ps->p, ps->p < ps->end ? 1 : 0);
		}
		ps->p++;
		jl_t *v = value(ps, depth + 1);
		if (!v)
			goto bad;
		plist_add(&keys, (void *)key);
		plist_add(&vals, v);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			break;
		}
		free(keys.v);
		free(vals.v);
		return fail_at(ps, ps->p, "'}' expected near '%.*s'", ps->p, ps->p < ps->end ? 1 : 0);
	}
	o->n = keys.n;
	o->u.obj.keys = (const char **)plist_finish(ps, &keys);
	o->u.obj.values = (jl_t **)plist_finish(ps, &vals);
	return o;
bad:
	free(keys.v);
	free(vals.v);
	return fail_at(ps, ps->p, "string or '}' expected near '%.*s'", ps->p, ps->p < ps->end ? 1 : 0);
}

static bool
word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-' || c == '+' || c == '_';
}

/* true, false, null or a number; anything else is an invalid token. */
static jl_t *
literal(parser *ps)
{
	const char *start = ps->p;
	while (ps->p < ps->end && word_char(*ps->p))
		ps->p++;
	size_t n = (size_t)(ps->p - start);
	if (n == 4 && memcmp(start, "true", 4) == 0)
		return node(ps, JL_TRUE);
	if (n == 5 && memcmp(start, "false", 5) == 0)
		return node(ps, JL_FALSE);
	if (n == 4 && memcmp(start, "null", 4) == 0)
		return node(ps, JL_NULL);
	/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
	const char *q = start;
	if (q < ps->p && *q == '-')
		q++;
	bool ok = q < ps->p && *q >= '0' && *q <= '9', real = false;
	if (ok && *q == '0')
		q++;
	else
		while (q < ps->p && *q >= '0' && *q <= '9')
			q++;
	if (ok && q < ps->p && *q == '.') {
		real = true;
		q++;
		ok = q < ps->p && *q >= '0' && *q <= '9';
		while (q < ps->p && *q >= '0' && *q <= '9')
			q++;
	}
	if (ok && q < ps->p && (*q == 'e' || *q == 'E')) {
		real = true;
		q++;
		if (q < ps->p && (*q == '+' || *q == '-'))
			q++;
		ok = q < ps->p && *q >= '0' && *q <= '9';
		while (q < ps->p && *q >= '0' && *q <= '9')
			q++;
	}
	if (!ok || q != ps->p || n == 0)
		return fail_at(ps, n ? ps->p - 1 : ps->p, "invalid token near '%.*s'", start, n ? n : 1);
	char buf[64];
	snprintf(buf, sizeof(buf), "%.*s", (int)(n < 63 ? n : 63), start);
	if (!real) {
		char *e;
		long long i = strtoll(buf, &e, 10);
		jl_t *v = node(ps, JL_INTEGER);
		v->u.i = i;
		if (n < 19)
			return v;
		/* too big for an integer: a real, as jansson makes it */
	}
	jl_t *v = node(ps, JL_REAL);
	v->u.d = strtod(buf, NULL);
	return v;
}

static jl_t *
value(parser *ps, int depth)
{
	if (depth > MAX_DEPTH)
		return fail_at(ps, ps->p, "maximum parsing depth reached", NULL, 0);
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail_at(ps, ps->p, "'[' or '{' expected near end of file", NULL, 0);
	switch (*ps->p) {
	case '{':
		return object(ps, depth);
	case '[':
		return array(ps, depth);
	case '"': {
		size_t n;
		const char *s = string(ps, &n);
		if (!s)
			return NULL;
		jl_t *v = node(ps, JL_STRING);
		v->u.s = s;
		v->n = n;
		return v;
	}
	default:
		return literal(ps);
	}
}

jl_t *
jl_loadb(const char *text, size_t len, dd_arena *arena, jl_error *err)
{
	parser ps = { text, text + len, text, arena, err, false };
	memset(err, 0, sizeof(*err));
	jl_t *v = value(&ps, 0);
	if (!v)
		return NULL;
	skip_ws(&ps);
	if (ps.p < ps.end)
		return fail_at(&ps, ps.p, "end of file expected near '%.*s'", ps.p, 1);
	return v;
}

jl_t *
jl_object_get(const jl_t *o, const char *key)
{
	if (!jl_is_object(o))
		return NULL;
	/* the first byte first: most keys differ there, and the loader asks a lot */
	for (size_t i = 0; i < o->n; i++)
		if (o->u.obj.keys[i][0] == key[0] && strcmp(o->u.obj.keys[i], key) == 0)
			return o->u.obj.values[i];
	return NULL;
}
