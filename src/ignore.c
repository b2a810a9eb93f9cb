/* .dockerignore exactly as BuildKit reads and applies it (ignorefile, patternmatcher, fsutil). */
#include "drydock/context.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/source.h"

#include "df_unicode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RUNE 0x10FFFFu

/* ---- Go string helpers: runes, TrimSpace, path.Clean ---- */

/* The rune at s as Go decodes it: an invalid byte is U+FFFD of width 1. */
static uint32_t
rune_at(const char *s, size_t n, size_t *w)
{
	return df_utf8_decode((const unsigned char *)s, n, w);
}

/* Go's utf8.DecodeLastRune: the rune ending at s[n-1]. */
static uint32_t
rune_before(const char *s, size_t n, size_t *w)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = n - 1, width;
	*w = 1;
	if (u[i] < 0x80)
		return u[i];
	while (i > 0 && n - i < 4 && (u[i] & 0xC0) == 0x80)
		i--;
	uint32_t r = df_utf8_decode(u + i, n - i, &width);
	if (i + width != n)
		return DF_RUNE_ERROR;
	*w = width;
	return r;
}

/* Go's strings.TrimSpace (Unicode white space, both ends). */
static void
trim_space(const char **s, size_t *n)
{
	size_t w;
	while (*n > 0 && df_uc_is_space(rune_at(*s, *n, &w))) {
		*s += w;
		*n -= w;
	}
	while (*n > 0 && df_uc_is_space(rune_before(*s, *n, &w)))
		*n -= w;
}

/* Go's path.Clean of s[0..n): a new NUL-terminated string, length in *len. */
static char *
clean_path(const char *s, size_t n, size_t *len)
{
	char *out = dd_xmalloc(n + 2);
	bool rooted = n > 0 && s[0] == '/';
	size_t r = 0, w = 0, dotdot = 0;
	if (rooted) {
		out[w++] = '/';
		r = dotdot = 1;
	}
	while (r < n) {
		bool end1 = r + 1 == n || s[r + 1] == '/';
		if (s[r] == '/') {
			r++;
		} else if (s[r] == '.' && end1) {
			r++;
		} else if (s[r] == '.' && s[r + 1] == '.' && (r + 2 == n || s[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				/* drop the last element */
				for (w--; w > dotdot && out[w] != '/'; w--)
					;
			} else if (!rooted) {
				/* a leading ".." stays */
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			for (; r < n && s[r] != '/'; r++)
				out[w++] = s[r];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	*len = w;
	return out;
}

char *
dd_path_clean(const char *path)
{
	size_t len;
	return clean_path(path, strlen(path), &len);
}

/* ---- Go's filepath.Match (COPY sources, and pattern syntax checks) ---- */

/* One character of a [...] class, with its escape (Go's getEsc). */
static int
class_char(const char **cp, const char *end, uint32_t *r)
{
	const char *c = *cp;
	size_t w;
	if (c == end || *c == '-' || *c == ']')
		return -1;
	if (*c == '\\' && ++c == end)
		return -1;
	*r = rune_at(c, (size_t)(end - c), &w);
	if (*r == DF_RUNE_ERROR && w == 1)
		return -1;
	c += w;
	if (c == end)
		return -1;
	*cp = c;
	return 0;
}

/* A [...] class at *cp against rune r; sets *hit. Checks syntax even when not matching. */
static int
match_class(const char **cp, const char *end, uint32_t r, bool *hit)
{
	const char *c = *cp + 1;
	bool neg = false, match = false;
	int nrange = 0;
	if (c < end && *c == '^') {
		neg = true;
		c++;
	}
	for (;;) {
		uint32_t lo, hi;
		if (c < end && *c == ']' && nrange > 0) {
			c++;
			break;
		}
		if (class_char(&c, end, &lo) < 0)
			return -1;
		hi = lo;
		/* class_char leaves at least one byte, so *c is safe */
		if (*c == '-') {
			c++;
			if (class_char(&c, end, &hi) < 0)
				return -1;
		}
		if (lo <= r && r <= hi)
			match = true;
		nrange++;
	}
	*cp = c;
	*hit = match != neg;
	return 0;
}

/*
 * Go's matchChunk: match the star-free chunk [c, cend) at the start of
 * [s, send). 1 and *rest on a match, 0 on none, -1 on bad syntax; the whole
 * chunk is checked even after a mismatch, as Go does.
 */
static int
match_chunk(const char *c, const char *cend, const char *s, const char *send,
    const char **rest)
{
	bool failed = false, hit;
	size_t w;
	while (c < cend) {
		if (!failed && s == send)
			failed = true;
		if (*c == '[') {
			uint32_t r = 0;
			if (!failed) {
				r = rune_at(s, (size_t)(send - s), &w);
				s += w;
			}
			if (match_class(&c, cend, r, &hit) < 0)
				return -1;
			failed = failed || !hit;
		} else if (*c == '?') {
			if (!failed) {
				failed = *s == '/';
				rune_at(s, (size_t)(send - s), &w);
				s += w;
			}
			c++;
		} else {
			if (*c == '\\' && ++c == cend)
				return -1;
			if (!failed)
				failed = *c != *s++;
			c++;
		}
	}
	if (failed)
		return 0;
	*rest = s;
	return 1;
}

/* Go's scanChunk: leading stars, then text up to the next star outside [...]. */
static void
scan_chunk(const char **pp, const char *end, bool *star, const char **cs, const char **ce)
{
	const char *p = *pp;
	bool inrange = false;
	*star = false;
	for (; p < end && *p == '*'; p++)
		*star = true;
	*cs = p;
	for (; p < end; p++) {
		if (*p == '\\') {
			if (p + 1 < end)
				p++;
		} else if (*p == '[') {
			inrange = true;
		} else if (*p == ']') {
			inrange = false;
		} else if (*p == '*' && !inrange) {
			break;
		}
	}
	*ce = p;
	*pp = p;
}

/* After a mismatch Go still reports bad syntax in the rest of the pattern. */
static int
check_rest(const char *p, const char *end)
{
	bool star;
	const char *cs, *ce, *rest;
	while (p < end) {
		scan_chunk(&p, end, &star, &cs, &ce);
		if (match_chunk(cs, ce, "", "", &rest) < 0)
			return -1;
	}
	return 0;
}

/* Go's filepath.Match on byte strings: 1, 0, or -1 for a malformed pattern. */
static int
go_match(const char *pat, size_t plen, const char *name, size_t nlen)
{
	const char *p = pat, *pend = pat + plen, *s = name, *send = name + nlen;
	while (p < pend) {
		bool star;
		const char *cs, *ce, *t;
		scan_chunk(&p, pend, &star, &cs, &ce);
		if (star && cs == ce)
			return memchr(s, '/', (size_t)(send - s)) == NULL;
		int rc = match_chunk(cs, ce, s, send, &t);
		if (rc == 1 && (t == send || p < pend)) {
			s = t;
			continue;
		}
		if (rc < 0)
			return -1;
		bool found = false;
		for (const char *q = s; star && !found && q < send && *q != '/'; q++) {
			rc = match_chunk(cs, ce, q + 1, send, &t);
			if (rc < 0)
				return -1;
			/* the last chunk must use up the name */
			if (rc == 1 && !(p == pend && t < send)) {
				s = t;
				found = true;
			}
		}
		if (found)
			continue;
		return check_rest(p, pend) < 0 ? -1 : 0;
	}
	return s == send;
}

int
dd_path_match(const char *pattern, const char *name)
{
	int rc = go_match(pattern, strlen(pattern), name, strlen(name));
	if (rc < 0)
		return dd_error_set(DD_EPARSE, "syntax error in pattern \"%s\"", pattern);
	return rc;
}

/* ---- the regular expressions patternmatcher builds, run as an NFA ---- */

/*
 * patternmatcher turns a wildcard pattern into Go regexp text; rather than
 * imitate the result, we build that same text and compile the small subset
 * of RE2 it can contain (literals, escapes, classes, "." and its star, the
 * optional "any folders" group, "^", "$", \b \B \A \z \Q…\E, a star after
 * an atom) into a token list matched by a linear-time NFA. So odd inputs
 * ("[*]", "\d", "^") behave as they do in BuildKit.
 */
enum { RX_LIT, RX_CLASS, RX_DOT, RX_GROUP, RX_BOT, RX_EOT, RX_WB, RX_NWB };
enum { RX_OK = 0, RX_SYNTAX = -1, RX_UNSUP = -2 };

typedef struct {
	uint8_t op;
	bool star;    /* the atom repeats zero or more times */
	uint32_t arg; /* the rune (RX_LIT) or class index (RX_CLASS) */
} rx_tok;

typedef struct {
	uint32_t first, count; /* ranges in rx_prog.rng */
	bool neg;
} rx_class;

typedef struct {
	rx_tok *tok;
	size_t ntok, ctok;
	rx_class *cls;
	size_t ncls, ccls;
	uint32_t (*rng)[2];
	size_t nrng, crng;
	char *head, *tail; /* literal text every match starts / ends with */
	size_t nhead, ntail;
} rx_prog;

typedef struct {
	rx_prog *rx;
	const char *t, *end; /* regexp text still to parse */
	const char *bad;     /* where RX_UNSUP was found */
} rx_parser;

typedef struct {
	const char *name;
	const uint32_t (*r)[2];
	size_t n;
} rx_named;

static const uint32_t r_digit[][2] = { { '0', '9' } };
static const uint32_t r_space[][2] = { { '\t', '\r' }, { ' ', ' ' } };
static const uint32_t r_perl_space[][2] = { { '\t', '\n' }, { '\f', '\r' }, { ' ', ' ' } };
static const uint32_t r_word[][2] = { { '0', '9' }, { 'A', 'Z' }, { '_', '_' }, { 'a', 'z' } };
static const uint32_t r_alnum[][2] = { { '0', '9' }, { 'A', 'Z' }, { 'a', 'z' } };
static const uint32_t r_alpha[][2] = { { 'A', 'Z' }, { 'a', 'z' } };
static const uint32_t r_ascii[][2] = { { 0, 0x7F } };
static const uint32_t r_blank[][2] = { { '\t', '\t' }, { ' ', ' ' } };
static const uint32_t r_cntrl[][2] = { { 0, 0x1F }, { 0x7F, 0x7F } };
static const uint32_t r_graph[][2] = { { '!', '~' } };
static const uint32_t r_lower[][2] = { { 'a', 'z' } };
static const uint32_t r_print[][2] = { { ' ', '~' } };
static const uint32_t r_punct[][2] = { { '!', '/' }, { ':', '@' }, { '[', '`' }, { '{', '~' } };
static const uint32_t r_upper[][2] = { { 'A', 'Z' } };
static const uint32_t r_xdigit[][2] = { { '0', '9' }, { 'A', 'F' }, { 'a', 'f' } };

#define NAMED(name, t) { name, t, DD_ARRAY_LEN(t) }
static const rx_named posix_classes[] = {
	NAMED("alnum", r_alnum), NAMED("alpha", r_alpha), NAMED("ascii", r_ascii),
	NAMED("blank", r_blank), NAMED("cntrl", r_cntrl), NAMED("digit", r_digit),
	NAMED("graph", r_graph), NAMED("lower", r_lower), NAMED("print", r_print),
	NAMED("punct", r_punct), NAMED("space", r_space), NAMED("upper", r_upper),
	NAMED("word", r_word), NAMED("xdigit", r_xdigit),
};
#undef NAMED

/* Room for one more element in a growing array. */
static void *
grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 8;
	return dd_xreallocarray(p, *cap, size);
}

static int
rx_push(rx_prog *rx, uint8_t op, uint32_t arg)
{
	rx->tok = grow(rx->tok, &rx->ctok, rx->ntok, sizeof(*rx->tok));
	rx->tok[rx->ntok++] = (rx_tok){ op, false, arg };
	return RX_OK;
}

static void
rx_range(rx_prog *rx, uint32_t lo, uint32_t hi)
{
	rx->rng = grow(rx->rng, &rx->crng, rx->nrng, sizeof(*rx->rng));
	rx->rng[rx->nrng][0] = lo;
	rx->rng[rx->nrng][1] = hi;
	rx->nrng++;
}

/* Add sorted ranges, or their complement (\D, [:^alpha:]). */
static void
rx_ranges(rx_prog *rx, const uint32_t (*r)[2], size_t n, bool neg)
{
	uint32_t next = 0;
	for (size_t i = 0; i < n; i++) {
		if (!neg)
			rx_range(rx, r[i][0], r[i][1]);
		else if (r[i][0] > next)
			rx_range(rx, next, r[i][0] - 1);
		next = r[i][1] + 1;
	}
	if (neg && next <= MAX_RUNE)
		rx_range(rx, next, MAX_RUNE);
}

/* Close a class opened at range index first as a new RX_CLASS token. */
static int
rx_end_class(rx_prog *rx, size_t first, bool neg)
{
	rx->cls = grow(rx->cls, &rx->ccls, rx->ncls, sizeof(*rx->cls));
	rx->cls[rx->ncls] = (rx_class){ (uint32_t)first, (uint32_t)(rx->nrng - first), neg };
	return rx_push(rx, RX_CLASS, (uint32_t)rx->ncls++);
}

static bool
is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int
unhex(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (int)((c | 0x20) - 'a' + 10);
	return -1;
}

/* The next rune of the regexp text, or -1 at its end. */
static int64_t
rx_next(rx_parser *p)
{
	size_t w;
	if (p->t == p->end)
		return -1;
	uint32_t r = rune_at(p->t, (size_t)(p->end - p->t), &w);
	p->t += w;
	return r;
}

/* \x41 or \x{41}: p->t is just past the 'x'. */
static int
rx_hex(rx_parser *p, uint32_t *r)
{
	int64_t c = rx_next(p);
	uint32_t v = 0;
	int nhex = 0, x, y;
	if (c == '{') {
		while ((c = rx_next(p)) != '}') {
			if (c < 0 || (x = unhex((uint32_t)c)) < 0)
				return RX_SYNTAX;
			v = v * 16 + (uint32_t)x;
			if (v > MAX_RUNE)
				return RX_SYNTAX;
			nhex++;
		}
		*r = v;
		return nhex > 0 ? RX_OK : RX_SYNTAX;
	}
	if (c < 0 || (x = unhex((uint32_t)c)) < 0)
		return RX_SYNTAX;
	c = rx_next(p);
	if (c < 0 || (y = unhex((uint32_t)c)) < 0)
		return RX_SYNTAX;
	*r = (uint32_t)(x * 16 + y);
	return RX_OK;
}

/* A backslash escape that stands for one rune (Go's parseEscape). */
static int
rx_escape(rx_parser *p, uint32_t *r)
{
	p->t++;
	int64_t c = rx_next(p);
	if (c < 0)
		return RX_SYNTAX;
	if (c < 0x80 && !is_alnum((uint32_t)c)) {
		*r = (uint32_t)c;
		return RX_OK;
	}
	bool octal_next = p->t < p->end && *p->t >= '0' && *p->t <= '7';
	if (c == '0' || (c >= '1' && c <= '7' && octal_next)) {
		/* \1 alone would be a backreference: RE2 has none */
		*r = (uint32_t)(c - '0');
		for (int i = 1; i < 3 && p->t < p->end && *p->t >= '0' && *p->t <= '7'; i++)
			*r = *r * 8 + (uint32_t)(*p->t++ - '0');
		return RX_OK;
	}
	switch (c) {
	case 'x': return rx_hex(p, r);
	case 'a': *r = '\a'; return RX_OK;
	case 'f': *r = '\f'; return RX_OK;
	case 'n': *r = '\n'; return RX_OK;
	case 'r': *r = '\r'; return RX_OK;
	case 't': *r = '\t'; return RX_OK;
	case 'v': *r = '\v'; return RX_OK;
	}
	return RX_SYNTAX;
}

/* RE2 constructs we do not implement (Unicode classes \p, \P). */
static int
rx_unsup(rx_parser *p)
{
	p->bad = p->t;
	return RX_UNSUP;
}

/* \d \D \s \S \w \W: add their ranges and return true. */
static bool
rx_perl(rx_parser *p)
{
	if (p->end - p->t < 2 || p->t[0] != '\\')
		return false;
	char c = p->t[1];
	bool neg = c >= 'A' && c <= 'Z';
	switch (c | 0x20) {
	case 'd': rx_ranges(p->rx, r_digit, DD_ARRAY_LEN(r_digit), neg); break;
	case 's': rx_ranges(p->rx, r_perl_space, DD_ARRAY_LEN(r_perl_space), neg); break;
	case 'w': rx_ranges(p->rx, r_word, DD_ARRAY_LEN(r_word), neg); break;
	default: return false;
	}
	p->t += 2;
	return true;
}

/* [:alpha:] inside a class: RX_OK when added, 1 when this is no named class. */
static int
rx_posix(rx_parser *p)
{
	const char *s = p->t + 2, *close = NULL;
	for (const char *q = s; q + 1 < p->end && !close; q++)
		if (q[0] == ':' && q[1] == ']')
			close = q;
	if (!close)
		return 1;
	bool neg = s < close && *s == '^';
	size_t n = (size_t)(close - s) - neg;
	for (size_t i = 0; i < DD_ARRAY_LEN(posix_classes); i++) {
		const rx_named *c = &posix_classes[i];
		if (strlen(c->name) == n && memcmp(c->name, s + neg, n) == 0) {
			rx_ranges(p->rx, c->r, c->n, neg);
			p->t = close + 2;
			return RX_OK;
		}
	}
	return RX_SYNTAX;
}

static int
rx_class_char(rx_parser *p, uint32_t *r)
{
	if (p->t == p->end)
		return RX_SYNTAX;
	if (*p->t == '\\')
		return rx_escape(p, r);
	*r = (uint32_t)rx_next(p);
	return RX_OK;
}

/* One item of a class: a named or Perl class, a character or a range. */
static int
rx_class_item(rx_parser *p)
{
	size_t left = (size_t)(p->end - p->t);
	uint32_t lo, hi;
	int rc;
	if (left > 2 && p->t[0] == '[' && p->t[1] == ':' && (rc = rx_posix(p)) <= 0)
		return rc;
	if (left >= 2 && p->t[0] == '\\' && (p->t[1] == 'p' || p->t[1] == 'P'))
		return rx_unsup(p);
	if (rx_perl(p))
		return RX_OK;
	if ((rc = rx_class_char(p, &lo)) != RX_OK)
		return rc;
	hi = lo;
	if (p->end - p->t >= 2 && p->t[0] == '-' && p->t[1] != ']') {
		p->t++;
		if ((rc = rx_class_char(p, &hi)) != RX_OK)
			return rc;
		if (hi < lo)
			return RX_SYNTAX;
	}
	rx_range(p->rx, lo, hi);
	return RX_OK;
}

/* [...] with RE2's rules (a ']' first is literal, '-' anywhere). */
static int
rx_class_parse(rx_parser *p)
{
	size_t first = p->rx->nrng;
	bool neg = false, at_start = true;
	p->t++;
	if (p->t < p->end && *p->t == '^') {
		neg = true;
		p->t++;
	}
	while (p->t == p->end || *p->t != ']' || at_start) {
		int rc;
		if (p->t == p->end)
			return RX_SYNTAX;
		at_start = false;
		if ((rc = rx_class_item(p)) != RX_OK)
			return rc;
	}
	p->t++;
	return rx_end_class(p->rx, first, neg);
}

/* \Q…\E: everything up to \E (or the end, "$" included) is literal. */
static int
rx_quote(rx_parser *p)
{
	const char *s = p->t + 2, *e = s;
	while (e < p->end && !(e[0] == '\\' && e + 1 < p->end && e[1] == 'E'))
		e++;
	p->t = s;
	while (p->t < e)
		rx_push(p->rx, RX_LIT, (uint32_t)rx_next(p));
	p->t = e < p->end ? e + 2 : e;
	return RX_OK;
}

/* A backslash outside a class: an assertion, \Q, a Perl class or one rune. */
static int
rx_backslash(rx_parser *p)
{
	uint32_t r;
	int rc;
	if (p->end - p->t >= 2) {
		static const char asserts[] = "AzbB";
		const char *a = p->t[1] ? strchr(asserts, p->t[1]) : NULL;
		if (a) {
			p->t += 2;
			return rx_push(p->rx, (uint8_t)(RX_BOT + (a - asserts)), 0);
		}
		if (p->t[1] == 'C')
			return RX_SYNTAX;
		if (p->t[1] == 'Q')
			return rx_quote(p);
		if (p->t[1] == 'p' || p->t[1] == 'P')
			return rx_unsup(p);
	}
	size_t first = p->rx->nrng;
	if (rx_perl(p))
		return rx_end_class(p->rx, first, false);
	if ((rc = rx_escape(p, &r)) != RX_OK)
		return rc;
	return rx_push(p->rx, RX_LIT, r);
}

/* "*" after an atom; patternmatcher emits it after "]" and "." only. */
static int
rx_star(rx_parser *p)
{
	rx_tok *last = p->rx->ntok ? &p->rx->tok[p->rx->ntok - 1] : NULL;
	p->t++;
	if (!last || last->star || last->op > RX_DOT)
		return RX_SYNTAX;
	last->star = true;
	return RX_OK;
}

static int
rx_atom(rx_parser *p)
{
	static const char group[] = "(.*/)?";
	switch (*p->t) {
	case '^': p->t++; return rx_push(p->rx, RX_BOT, 0);
	case '$': p->t++; return rx_push(p->rx, RX_EOT, 0);
	case '.': p->t++; return rx_push(p->rx, RX_DOT, 0);
	case '[': return rx_class_parse(p);
	case '*': return rx_star(p);
	case '\\': return rx_backslash(p);
	case '(':
		if ((size_t)(p->end - p->t) < sizeof(group) - 1 ||
		    memcmp(p->t, group, sizeof(group) - 1) != 0)
			return RX_SYNTAX;
		p->t += sizeof(group) - 1;
		return rx_push(p->rx, RX_GROUP, 0);
	case ')': case '?': case '+': case '|': case '{':
		return RX_SYNTAX; /* never emitted: the user's are escaped */
	}
	return rx_push(p->rx, RX_LIT, (uint32_t)rx_next(p));
}

/* UTF-8 of the literal tokens [from, to): a plain byte test before the NFA. */
static char *
rx_literal_text(const rx_prog *rx, size_t from, size_t to, size_t *len)
{
	dd_buf b = DD_BUF_INIT;
	dd_buf_puts(&b, "");
	for (size_t i = from; i < to; i++)
		dd_buf_put_utf8(&b, rx->tok[i].arg);
	return dd_buf_detach(&b, len);
}

/*
 * Single literals right after the leading "^" and right before a final "$"
 * must match the path's first and last runes. U+FFFD is left out: it also
 * matches an invalid byte, so bytes cannot be compared.
 */
static void
rx_literals(rx_prog *rx)
{
	size_t i = 0, j;
	while (i < rx->ntok && rx->tok[i].op == RX_BOT)
		i++;
	for (j = i; j < rx->ntok && rx->tok[j].op == RX_LIT && !rx->tok[j].star &&
	    rx->tok[j].arg != DF_RUNE_ERROR; j++)
		;
	rx->head = rx_literal_text(rx, i, j, &rx->nhead);
	j = rx->ntok && rx->tok[rx->ntok - 1].op == RX_EOT ? rx->ntok - 1 : 0;
	for (i = j; i > 0 && rx->tok[i - 1].op == RX_LIT && !rx->tok[i - 1].star &&
	    rx->tok[i - 1].arg != DF_RUNE_ERROR; i--)
		;
	rx->tail = rx_literal_text(rx, i, j, &rx->ntail);
}

static int
rx_compile(rx_prog *rx, const char *text, size_t len, const char **bad)
{
	rx_parser p = { rx, text, text + len, NULL };
	int rc = RX_OK;
	while (rc == RX_OK && p.t < p.end)
		rc = rx_atom(&p);
	*bad = p.bad;
	if (rc == RX_OK)
		rx_literals(rx);
	return rc;
}

static void
rx_free(rx_prog *rx)
{
	free(rx->head);
	free(rx->tail);
	free(rx->tok);
	free(rx->cls);
	free(rx->rng);
}

static bool
rx_is_word(int64_t r)
{
	return r >= 0 && r < 0x80 && (is_alnum((uint32_t)r) || r == '_');
}

static bool
rx_consumes(const rx_prog *rx, const rx_tok *t, uint32_t r)
{
	if (t->op == RX_LIT)
		return t->arg == r;
	if (t->op == RX_DOT)
		return r != '\n';
	if (t->op != RX_CLASS)
		return false;
	const rx_class *c = &rx->cls[t->arg];
	bool in = false;
	for (uint32_t i = c->first; i < c->first + c->count && !in; i++)
		in = rx->rng[i][0] <= r && r <= rx->rng[i][1];
	return in != c->neg;
}

/*
 * States: st[2k] = "before token k", st[2k+1] = "inside group k". Empty
 * moves only go forward, so one ascending pass closes the set.
 */
static void
rx_close(const rx_prog *rx, unsigned char *st, int64_t prev, int64_t next)
{
	for (size_t k = 0; k < rx->ntok; k++) {
		const rx_tok *t = &rx->tok[k];
		bool pass = t->star;
		if (!st[2 * k])
			continue;
		switch (t->op) {
		case RX_GROUP: st[2 * k + 1] = 1; pass = true; break;
		case RX_BOT: pass = prev < 0; break;
		case RX_EOT: pass = next < 0; break;
		case RX_WB: pass = rx_is_word(prev) != rx_is_word(next); break;
		case RX_NWB: pass = rx_is_word(prev) == rx_is_word(next); break;
		}
		if (pass)
			st[2 * (k + 1)] = 1;
	}
}

static bool
rx_step(const rx_prog *rx, const unsigned char *cur, unsigned char *nxt, uint32_t r)
{
	bool any = false;
	memset(nxt, 0, 2 * (rx->ntok + 1));
	for (size_t k = 0; k < rx->ntok; k++) {
		const rx_tok *t = &rx->tok[k];
		if (cur[2 * k] && rx_consumes(rx, t, r)) {
			nxt[2 * (t->star ? k : k + 1)] = 1;
			any = true;
		}
		if (cur[2 * k + 1] && r != '\n') {
			/* the folders group: any rune stays inside, a '/' may also leave */
			nxt[2 * k + 1] = 1;
			if (r == '/')
				nxt[2 * (k + 1)] = 1;
			any = true;
		}
	}
	return any;
}

/* Go's regexp MatchString for our programs (they all start with "^"). */
static bool
rx_match(const rx_prog *rx, const char *s, size_t n)
{
	size_t nst = 2 * (rx->ntok + 1), pos = 0;
	unsigned char small[512], *mem, *cur, *nxt, *tmp;
	int64_t prev = -1;
	bool ok = false;
	/* head and tail may overlap (all literals): test them one at a time */
	if (n < rx->nhead || memcmp(s, rx->head, rx->nhead) != 0 ||
	    n < rx->ntail || memcmp(s + n - rx->ntail, rx->tail, rx->ntail) != 0)
		return false;
	mem = 2 * nst <= sizeof(small) ? small : dd_xmalloc(2 * nst);
	cur = mem;
	nxt = mem + nst;
	memset(cur, 0, nst);
	cur[0] = 1;
	for (;;) {
		size_t w = 0;
		int64_t r = pos < n ? (int64_t)rune_at(s + pos, n - pos, &w) : -1;
		rx_close(rx, cur, prev, r);
		if ((ok = cur[2 * rx->ntok] != 0) || r < 0 || !rx_step(rx, cur, nxt, (uint32_t)r))
			break;
		tmp = cur;
		cur = nxt;
		nxt = tmp;
		prev = r;
		pos += w;
	}
	if (mem != small)
		free(mem);
	return ok;
}

/* ---- patterns ---- */

enum pkind { PK_EXACT, PK_PREFIX, PK_SUFFIX, PK_REGEX };

typedef struct {
	char *text; /* cleaned, without its '!'; NUL-terminated */
	size_t len;
	uint32_t line;
	bool exception;
	enum pkind kind;
	rx_prog rx;
} pattern;

struct dd_ignore {
	pattern *pat;
	size_t n, cap;
	bool wild_exceptions; /* an exception with wildcards: the walk never prunes */
};

/*
 * patternmatcher's compile: decide the kind and, for PK_REGEX, write the
 * regexp text it would build ('/' separators).
 */
static enum pkind
translate(const char *p, size_t n, dd_buf *re)
{
	enum pkind kind = PK_EXACT;
	size_t i = 0, w;
	dd_buf_putc(re, '^');
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* text/scanner skips a leading BOM */
	for (size_t iter = 0; i < n; iter++) {
		uint32_t ch = rune_at(p + i, n - i, &w);
		i += w;
		if (ch == '*' && i < n && p[i] == '*') {
			i += 1 + (i + 1 < n && p[i + 1] == '/');
			if (i < n)
				dd_buf_puts(re, "(.*/)?");
			else if (kind != PK_EXACT)
				dd_buf_puts(re, ".*");
			kind = i < n || kind != PK_EXACT ? PK_REGEX : PK_PREFIX;
			if (iter == 0)
				kind = PK_SUFFIX;
			continue;
		}
		if (ch == '*' || ch == '?') {
			dd_buf_puts(re, ch == '*' ? "[^/]*" : "[^/]");
		} else if (ch != 0 && ch < 0x80 && strchr(".+()|{}$", (int)ch)) {
			dd_buf_putc(re, '\\');
			dd_buf_putc(re, (int)ch);
			continue;
		} else if (ch == '\\' && i < n) {
			dd_buf_putc(re, '\\');
			dd_buf_put_utf8(re, rune_at(p + i, n - i, &w));
			i += w;
		} else if (ch != '[' && ch != ']') {
			dd_buf_put_utf8(re, ch);
			continue;
		} else {
			dd_buf_putc(re, (int)ch);
		}
		kind = PK_REGEX;
	}
	if (kind == PK_REGEX)
		dd_buf_putc(re, '$');
	return kind;
}

/* Prefix and suffix kinds cut the two stars off the pattern's bytes. */
static bool
pattern_match(const pattern *pt, const char *s, size_t n)
{
	size_t k = pt->len >= 2 ? pt->len - 2 : 0;
	const char *suf = pt->text + pt->len - k;
	switch (pt->kind) {
	case PK_EXACT:
		return n == pt->len && memcmp(s, pt->text, n) == 0;
	case PK_PREFIX:
		return n >= k && memcmp(s, pt->text, k) == 0;
	case PK_SUFFIX:
		if (n >= k && memcmp(s + n - k, suf, k) == 0)
			return true;
		/* a star-star-slash "foo" pattern also matches "foo" itself */
		return k > 0 && suf[0] == '/' && n == k - 1 && memcmp(s, suf + 1, n) == 0;
	case PK_REGEX:
		return rx_match(&pt->rx, s, n);
	}
	return false;
}

/* fsutil's patternWithoutTrailingGlob: drop a final slash-star-star, then slash-star. */
static size_t
without_trailing_glob(const char *s, size_t n)
{
	if (n >= 3 && memcmp(s + n - 3, "/**", 3) == 0)
		n -= 3;
	if (n >= 2 && memcmp(s + n - 2, "/*", 2) == 0)
		n -= 2;
	return n;
}

/* ---- reading the file (ignorefile.ReadAll, then patternmatcher.New) ---- */

/* One pattern line as ReadAll returns it, with where it came from. */
typedef struct {
	char *text;
	size_t len;
	uint32_t line;
	const char *raw; /* the line in the file, for the caret */
	size_t rawlen;
} entry;

static int
line_error(const char *path, uint32_t line, const char *raw, size_t rawlen,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "path:line:1: error: message", with the line kept for a caret display. */
static int
line_error(const char *path, uint32_t line, const char *raw, size_t rawlen,
    const char *fmt, ...)
{
	dd_buf b = DD_BUF_INIT;
	va_list ap;
	dd_buf_printf(&b, "%s:%u:1: error: ", path, (unsigned)line);
	va_start(ap, fmt);
	dd_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	dd_error_set(DD_EPARSE, "%s", b.ptr);
	dd_error_set_context(raw, rawlen, 1);
	dd_buf_free(&b);
	return DD_EPARSE;
}

/* ReadAll on one trimmed, non-comment line: "!" split off, path cleaned, "/" dropped. */
static void
readall_clean(entry *e, const char *s, size_t n)
{
	dd_buf b = DD_BUF_INIT;
	bool invert = s[0] == '!';
	if (invert) {
		s++;
		n--;
		trim_space(&s, &n);
		dd_buf_putc(&b, '!');
	}
	if (n > 0) {
		size_t cl;
		char *c = clean_path(s, n, &cl);
		bool slash = cl > 1 && c[0] == '/';
		dd_buf_put(&b, c + slash, cl - slash);
		free(c);
	}
	e->text = dd_buf_detach(&b, &e->len);
}

/* Cut text into ReadAll's pattern strings: LF lines, one CR dropped, BOM, comments. */
static int
read_entries(const char *text, size_t len, const char *path, entry **out, size_t *nout)
{
	size_t pos = 0, cap = 0;
	uint32_t line = 0;
	while (pos < len) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		line++;
		if (n > DD_MAX_LINE)
			return line_error(path, line, s, n,
			    "line longer than %d bytes (BuildKit's limit)", DD_MAX_LINE);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		const char *raw = s;
		size_t rawlen = n;
		if (line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		}
		if (n > 0 && s[0] == '#')
			continue; /* only in the first column: " #x" is a pattern */
		trim_space(&s, &n);
		if (n == 0)
			continue;
		*out = grow(*out, &cap, *nout, sizeof(**out));
		entry *e = &(*out)[(*nout)++];
		e->line = line;
		e->raw = raw;
		e->rawlen = rawlen;
		readall_clean(e, s, n);
	}
	return DD_OK;
}

/* patternmatcher.New on one string: trim and clean again, "!", syntax, kind. */
static int
add_pattern(dd_ignore *ig, const entry *e, const char *path)
{
	const char *s = e->text, *bad = NULL;
	size_t n = e->len, cl;
	trim_space(&s, &n);
	if (n == 0)
		return DD_OK;
	char *c = clean_path(s, n, &cl);
	bool exc = c[0] == '!';
	if (exc && cl == 1) {
		free(c);
		return line_error(path, e->line, e->raw, e->rawlen,
		    "illegal exclusion pattern: \"!\"");
	}
	pattern pt = { 0 };
	pt.len = cl - exc;
	pt.text = dd_xstrndup(c + exc, pt.len);
	pt.line = e->line;
	pt.exception = exc;
	free(c);
	int rc = go_match(pt.text, pt.len, ".", 1) < 0 ? RX_SYNTAX : RX_OK;
	dd_buf re = DD_BUF_INIT;
	if (rc == RX_OK && (pt.kind = translate(pt.text, pt.len, &re)) == PK_REGEX)
		rc = rx_compile(&pt.rx, re.ptr, re.len, &bad);
	if (rc != RX_OK) {
		if (rc == RX_UNSUP)
			line_error(path, e->line, e->raw, e->rawlen,
			    "unsupported escape \"%.2s\" in pattern \"%s\" "
			    "(BuildKit reads it as a Unicode class)", bad, e->text);
		else
			line_error(path, e->line, e->raw, e->rawlen,
			    "syntax error in pattern \"%s\"", e->text);
		dd_buf_free(&re);
		rx_free(&pt.rx);
		free(pt.text);
		return DD_EPARSE;
	}
	dd_buf_free(&re);
	if (exc && !ig->wild_exceptions) {
		size_t k = without_trailing_glob(pt.text, pt.len);
		for (size_t i = 0; i < k; i++)
			if (pt.text[i] != '\0' && strchr("*[]?^\\", pt.text[i]))
				ig->wild_exceptions = true;
	}
	ig->pat = grow(ig->pat, &ig->cap, ig->n, sizeof(*ig->pat));
	ig->pat[ig->n++] = pt;
	return DD_OK;
}

int
dd_ignore_parse(dd_ignore **out, const char *text, size_t len, const char *path)
{
	dd_ignore *ig = dd_xcalloc(1, sizeof(*ig));
	entry *ents = NULL;
	size_t n = 0;
	int rc;
	*out = NULL;
	if (!path)
		path = ".dockerignore";
	/* ReadAll reads the whole file before New looks at any pattern */
	rc = read_entries(text ? text : "", text ? len : 0, path, &ents, &n);
	for (size_t i = 0; rc == DD_OK && i < n; i++)
		rc = add_pattern(ig, &ents[i], path);
	for (size_t i = 0; i < n; i++)
		free(ents[i].text);
	free(ents);
	if (rc != DD_OK) {
		dd_ignore_free(ig);
		return rc;
	}
	*out = ig;
	return DD_OK;
}

void
dd_ignore_free(dd_ignore *ig)
{
	if (!ig)
		return;
	for (size_t i = 0; i < ig->n; i++) {
		free(ig->pat[i].text);
		rx_free(&ig->pat[i].rx);
	}
	free(ig->pat);
	free(ig);
}

size_t
dd_ignore_count(const dd_ignore *ig)
{
	return ig ? ig->n : 0;
}

const char *
dd_ignore_pattern(const dd_ignore *ig, size_t i, bool *exception, uint32_t *line)
{
	if (!ig || i >= ig->n)
		return NULL;
	if (exception)
		*exception = ig->pat[i].exception;
	if (line)
		*line = ig->pat[i].line;
	return ig->pat[i].text;
}

/* Read a whole regular file; DD_ENOTFOUND when it is absent or not a file. */
static int
slurp(const char *path, char **data, size_t *len)
{
	dd_buf b = DD_BUF_INIT;
	struct stat st;
	char chunk[16384];
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return DD_ENOTFOUND;
	if (fd < 0)
		return dd_error_set(DD_EIO, "%s:1:1: error: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return DD_ENOTFOUND;
	}
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = errno;
			close(fd);
			dd_buf_free(&b);
			return dd_error_set(DD_EIO, "%s:1:1: error: %s", path, strerror(err));
		}
		dd_buf_put(&b, chunk, (size_t)got);
	}
	close(fd);
	*data = dd_buf_detach(&b, len);
	return DD_OK;
}

static char *
concat(const char *a, const char *sep, const char *b)
{
	dd_buf buf = DD_BUF_INIT;
	dd_buf_puts(&buf, a);
	dd_buf_puts(&buf, sep);
	dd_buf_puts(&buf, b);
	return dd_buf_detach(&buf, NULL);
}

int
dd_ignore_load(dd_ignore **out, const char *context_dir, const char *dockerfile,
    char **used)
{
	char *cand[2] = { NULL, NULL };
	int rc = DD_ENOTFOUND;
	*out = NULL;
	if (used)
		*used = NULL;
	/* the Dockerfile-specific file wins over the context's */
	if (dockerfile && *dockerfile && strcmp(dockerfile, "-") != 0)
		cand[0] = concat(dockerfile, "", ".dockerignore");
	if (context_dir)
		cand[1] = concat(context_dir, "/", ".dockerignore");
	for (int i = 0; i < 2 && rc == DD_ENOTFOUND; i++) {
		char *data = NULL;
		size_t len = 0;
		if (!cand[i] || (rc = slurp(cand[i], &data, &len)) != DD_OK)
			continue;
		rc = dd_ignore_parse(out, data, len, cand[i]);
		free(data);
		if (rc == DD_OK && used) {
			*used = cand[i];
			cand[i] = NULL;
		}
	}
	if (rc == DD_ENOTFOUND)
		rc = dd_ignore_parse(out, "", 0, NULL);
	free(cand[0]);
	free(cand[1]);
	return rc;
}

/* ---- deciding ---- */

/*
 * One step of fsutil's walk (MatchesUsingParentResults): a pattern that
 * matched the parent folder applies again; any other is tried on the path
 * itself, a normal pattern only while not excluded, an exception only
 * while excluded. The last pattern that applies wins.
 */
static bool
decide(const dd_ignore *ig, const char *s, size_t n, const bool *parent, bool *cur)
{
	bool excluded = false;
	for (size_t i = 0; i < ig->n; i++) {
		const pattern *pt = &ig->pat[i];
		bool m = parent && parent[i];
		if (!m && pt->exception != excluded) {
			cur[i] = false;
			continue;
		}
		if (!m)
			m = pattern_match(pt, s, n);
		cur[i] = m;
		if (m)
			excluded = !pt->exception;
	}
	return excluded;
}

bool
dd_ignore_step(const dd_ignore *ig, const char *relpath, const bool *parent, bool *state)
{
	if (!ig || ig->n == 0)
		return false;
	return decide(ig, relpath, strlen(relpath), parent, state);
}

/* Decide each ancestor in turn (a, a/b, a/b/c) as the walker does. */
static bool
excluded_clean(const dd_ignore *ig, const char *p, size_t n)
{
	bool small[2][64];
	bool *mem = ig->n <= 64 ? small[0] : dd_xmalloc(2 * ig->n * sizeof(bool));
	bool *cur = mem, *parent = NULL, excluded = false;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && p[i] != '/')
			continue;
		excluded = decide(ig, p, i, parent, cur);
		parent = cur;
		cur = cur == mem ? (ig->n <= 64 ? small[1] : mem + ig->n) : mem;
	}
	if (mem != small[0])
		free(mem);
	return excluded;
}

/* Clean relpath; false for the context's root (".", never excluded). */
static bool
clean_rel(const char *relpath, char **out, size_t *len)
{
	*out = clean_path(relpath, strlen(relpath), len);
	if (*len > 1 && (*out)[0] == '/')
		memmove(*out, *out + 1, (*len)--);
	return strcmp(*out, ".") != 0 && strcmp(*out, "/") != 0;
}

bool
dd_ignore_excludes(const dd_ignore *ig, const char *relpath)
{
	char *p;
	size_t n;
	bool ex = false;
	if (!ig || ig->n == 0)
		return false;
	if (clean_rel(relpath, &p, &n))
		ex = excluded_clean(ig, p, n);
	free(p);
	return ex;
}

/*
 * fsutil descends into an excluded folder only if an exception might match
 * below it: always when one has wildcards, else when one (without a final
 * slash-star-star or slash-star) is the folder itself or starts with "folder/".
 */
bool
dd_ignore_may_include_under(const dd_ignore *ig, const char *reldir)
{
	char *d;
	size_t dl;
	bool may = true;
	if (!ig || ig->n == 0)
		return true;
	if (clean_rel(reldir, &d, &dl) && excluded_clean(ig, d, dl) && !ig->wild_exceptions) {
		may = false;
		for (size_t i = 0; i < ig->n && !may; i++) {
			const pattern *pt = &ig->pat[i];
			size_t k = without_trailing_glob(pt->text, pt->len);
			may = pt->exception && k >= dl && memcmp(pt->text, d, dl) == 0 &&
			    (k == dl || pt->text[dl] == '/');
		}
	}
	free(d);
	return may;
}

/* ---- DD204's fix: entries appended to a .dockerignore ---- */

/* Is e (el bytes) a whole line of text, CR LF or LF ended? */
static bool
has_line(const char *text, size_t len, const char *e, size_t el)
{
	for (size_t at = 0; text && at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - at;
		if (l && text[at + l - 1] == '\r')
			l--;
		if (l == el && memcmp(text + at, e, el) == 0)
			return true;
		at = end + 1;
	}
	return false;
}

char *
dd_ignore_append(const char *old, size_t len, char *const *entries, size_t n)
{
	dd_buf add = DD_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (!has_line(old, len, entries[i], strlen(entries[i])) &&
		    !has_line(add.ptr, add.len, entries[i], strlen(entries[i])))
			dd_buf_printf(&add, "%s\n", entries[i]);
	if (!add.len) {
		dd_buf_free(&add);
		return NULL;
	}
	dd_buf out = DD_BUF_INIT;
	if (old && len) {
		dd_buf_put(&out, old, len);
		if (old[len - 1] != '\n')
			dd_buf_putc(&out, '\n');
	}
	dd_buf_puts(&out, "# secret files drydock found in the build context (DD204)\n");
	dd_buf_put(&out, add.ptr, add.len);
	dd_buf_free(&add);
	return dd_buf_detach(&out, NULL);
}
