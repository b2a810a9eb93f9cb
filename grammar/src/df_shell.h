/*
 * BuildKit's shell word lexer and expander (frontend/dockerfile/shell/lex.go),
 * header-only so that the tree-sitter scanner and the library share it.
 *
 * One call does what lex.go's ProcessWord and ProcessWords do together:
 *
 *	df_shell_opts o = { .escape = '\\', .lookup = my_lookup, .ctx = env };
 *	df_shell_result r = {0};
 *	if (df_shell_process(&o, text, len, &r) < 0)
 *		report(r.err);
 *	else
 *		use(r.word.ptr, r.word.len), then df_shell_word_at(&r, i, &n)
 *		for i < r.nwords;
 *	df_shell_result_free(&r);
 *
 * A result may be reused for further calls. Everything is linear in the
 * input except ${v#p}-style pattern matching, which costs what Go's regexp
 * costs (value length times pattern length). Nesting of ${…} is bounded by
 * DF_SHELL_MAX_DEPTH so deep input fails instead of exhausting the stack.
 */
#ifndef DF_SHELL_H
#define DF_SHELL_H

#include "df_common.h"
#include "df_unicode.h"

/*
 * BuildKit has no limit; we fail past it rather than overflow the C stack.
 * Each level takes about 350 bytes of stack (gcc/clang -O2), so a caller on
 * a small thread stack may #define a lower limit before including this.
 */
#ifndef DF_SHELL_MAX_DEPTH
#define DF_SHELL_MAX_DEPTH 1000
#endif

typedef struct {
	uint32_t escape;	/* the Dockerfile escape character, '\\' or '`' */
	bool raw_quotes;	/* keep ' and " in the output (RawQuotes) */
	bool raw_escapes;	/* keep escape characters in the output (RawEscapes) */
	bool skip_unset;	/* leave references to unset variables as written (SkipUnsetEnv) */
	bool skip_quotes;	/* quotes are ordinary characters (SkipProcessQuotes) */
	/*
	 * Look a variable up: return true and set *val and *vlen when it is set
	 * (the value may be empty). name points into the input being processed.
	 * The value must stay valid until df_shell_process returns.
	 * NULL means no variable is set.
	 */
	bool (*lookup)(void *ctx, const char *name, size_t nlen,
	    const char **val, size_t *vlen);
	void *ctx;
} df_shell_opts;

typedef struct {
	df_buf word;		/* the single-word result (whitespace kept) */
	df_buf words;		/* the split words, each followed by a NUL byte */
	df_buf starts;		/* size_t offset of each word in words; use df_shell_word_at */
	size_t nwords;
	char err[256];		/* on failure: BuildKit's message, truncated to fit */
} df_shell_result;

/* Word i (< nwords) of r and, if len is not NULL, its length. Borrowed from r. */
static inline const char *
df_shell_word_at(const df_shell_result *r, size_t i, size_t *len)
{
	size_t start, end;

	memcpy(&start, r->starts.ptr + i * sizeof(size_t), sizeof(start));
	if (i + 1 < r->nwords)
		memcpy(&end, r->starts.ptr + (i + 1) * sizeof(size_t), sizeof(end));
	else
		end = r->words.len;
	if (len)
		*len = end - start - 1;
	return r->words.ptr + start;
}

static inline void
df_shell_result_free(df_shell_result *r)
{
	df_buf_free(&r->word);
	df_buf_free(&r->words);
	df_buf_free(&r->starts);
	r->nwords = 0;
	r->err[0] = '\0';
}

/* ---- Internals: everything below is private (df_shell__*). ---- */

#define DF_SHELL__EOF (-1)

/*
 * Kept out of the recursive ${…} path so that inlining does not grow its
 * stack frames (see DF_SHELL_MAX_DEPTH for the cost per nesting level).
 * GCC warns about noinline on an inline function; that is the point here.
 */
#if defined(__GNUC__) || defined(__clang__)
#define DF_SHELL__NOINLINE __attribute__((noinline))
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattributes"
#else
#define DF_SHELL__NOINLINE
#endif

typedef struct {
	const df_shell_opts *o;
	const unsigned char *s;
	size_t len, pos;
	bool raw_escapes;	/* lex.go switches this per operand */
	unsigned depth;
	df_shell_result *r;
	size_t errlen;
	size_t wstart;		/* start of the word being built in r->words */
} df_shell__st;

/* A ${name…} reference being expanded. */
typedef struct {
	const char *name;
	size_t nlen;
	int32_t op;		/* modifier character, after the ':' if any */
	bool colon;
	char chs[8];		/* the modifier as Go's string(rune) spells it */
	size_t chn;
	bool set;
	const char *val;
	size_t vlen;
	size_t mark;		/* output length before the reference */
} df_shell__ref;

/* The rune at pos as Go's text/scanner reads it: bad UTF-8 is one U+FFFD. */
static inline int32_t
df_shell__decode(const unsigned char *s, size_t len, size_t pos, size_t *w)
{
	if (pos >= len) {
		*w = 0;
		return DF_SHELL__EOF;
	}
	return (int32_t)df_utf8_decode(s + pos, len - pos, w);
}

static inline int32_t
df_shell__peek(const df_shell__st *st)
{
	size_t w;
	return df_shell__decode(st->s, st->len, st->pos, &w);
}

static inline int32_t
df_shell__next(df_shell__st *st)
{
	size_t w;
	int32_t c = df_shell__decode(st->s, st->len, st->pos, &w);
	st->pos += w;
	return c;
}

/* UTF-8 of c into dst[4]; EOF becomes U+FFFD, as in Go's string(rune). */
static inline size_t
df_shell__enc(int32_t c, char *dst)
{
	uint32_t u = c < 0 || c > 0x10FFFF ? DF_RUNE_ERROR : (uint32_t)c;

	if (u < 0x80) {
		dst[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		dst[0] = (char)(0xC0 | (u >> 6));
		dst[1] = (char)(0x80 | (u & 0x3F));
		return 2;
	}
	if (u < 0x10000) {
		dst[0] = (char)(0xE0 | (u >> 12));
		dst[1] = (char)(0x80 | ((u >> 6) & 0x3F));
		dst[2] = (char)(0x80 | (u & 0x3F));
		return 3;
	}
	dst[0] = (char)(0xF0 | (u >> 18));
	dst[1] = (char)(0x80 | ((u >> 12) & 0x3F));
	dst[2] = (char)(0x80 | ((u >> 6) & 0x3F));
	dst[3] = (char)(0x80 | (u & 0x3F));
	return 4;
}

/* ---- Errors ---- */

static inline void
df_shell__errcat(df_shell__st *st, const char *s, size_t n)
{
	size_t room = sizeof(st->r->err) - 1 - st->errlen;

	if (n > room)
		n = room;
	memcpy(st->r->err + st->errlen, s, n);
	st->errlen += n;
	st->r->err[st->errlen] = '\0';
}

static inline void
df_shell__errs(df_shell__st *st, const char *s)
{
	df_shell__errcat(st, s, strlen(s));
}

/* Replace any earlier message with msg; returns -1 for `return` chaining. */
static inline int
df_shell__fail(df_shell__st *st, const char *msg)
{
	st->errlen = 0;
	df_shell__errs(st, msg);
	return -1;
}

DF_SHELL__NOINLINE static inline int
df_shell__unsupported(df_shell__st *st, const df_shell__ref *ref)
{
	df_shell__fail(st, "unsupported modifier (");
	df_shell__errcat(st, ref->chs, ref->chn);
	df_shell__errs(st, ") in substitution");
	return -1;
}

/* ---- Word splitting (lex.go's wordsStruct), top level only ---- */

static inline void
df_shell__w_flush(df_shell__st *st)
{
	df_shell_result *r = st->r;
	size_t off = st->wstart;

	if (r->words.len == off)
		return;
	df_buf_putc(&r->words, '\0');
	df_buf_put(&r->starts, &off, sizeof(off));
	r->nwords++;
	st->wstart = r->words.len;
}

/* Unquoted text: whitespace ends the current word, no empty words. */
static inline void
df_shell__w_char(df_shell__st *st, int32_t c)
{
	if (df_uc_is_space((uint32_t)c))
		df_shell__w_flush(st);
	else
		df_buf_put_rune(&st->r->words, (uint32_t)c);
}

/* A variable's value splits rune by rune, so bad bytes become U+FFFD. */
DF_SHELL__NOINLINE static inline void
df_shell__w_string(df_shell__st *st, const char *s, size_t n)
{
	size_t w;

	for (size_t i = 0; i < n; i += w)
		df_shell__w_char(st, df_shell__decode((const unsigned char *)s,
		    n, i, &w));
}

/* Write c to the result and, at top level, to the words (raw: no split). */
static inline void
df_shell__emit(df_shell__st *st, df_buf *out, int32_t c, bool top, bool raw)
{
	df_buf_put_rune(out, (uint32_t)c);
	if (!top)
		return;
	if (raw)
		df_buf_put_rune(&st->r->words, (uint32_t)c);
	else
		df_shell__w_char(st, c);
}

static inline void
df_shell__truncate(df_buf *b, size_t len)
{
	b->len = len;
	b->ptr[len] = '\0';
}

/* ---- Variables ---- */

static inline bool
df_shell__lookup(df_shell__st *st, const char *name, size_t n,
    const char **val, size_t *vlen)
{
	const df_shell_opts *o = st->o;

	if (o->lookup && o->lookup(o->ctx, name, n, val, vlen)) {
		if (!*val)
			*val = "";
		return true;
	}
	*val = "";
	*vlen = 0;
	return false;
}

static inline bool
df_shell__is_special(int32_t c)
{
	return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' ||
	    c == '$' || c == '!' || c == '0';
}

static inline bool
df_shell__is_namec(int32_t c)
{
	return c == '_' || (c >= 0 && (df_uc_is_letter((uint32_t)c) ||
	    df_uc_is_digit((uint32_t)c)));
}

/*
 * A name: a run of digits, one special parameter character, or a run of
 * letters, digits and '_'. Returns its length; it starts at the old st->pos
 * and is made of valid runes only, so it equals the input bytes.
 */
static inline size_t
df_shell__name(df_shell__st *st)
{
	size_t start = st->pos;
	int32_t c = df_shell__peek(st);

	if (c >= 0 && df_uc_is_digit((uint32_t)c)) {
		while ((c = df_shell__peek(st)) >= 0 &&
		    df_uc_is_digit((uint32_t)c))
			df_shell__next(st);
		return st->pos - start;
	}
	if (df_shell__is_special(c)) {
		df_shell__next(st);
		return 1;
	}
	while (df_shell__is_namec(df_shell__peek(st)))
		df_shell__next(st);
	return st->pos - start;
}

/* ---- Patterns: lex.go's shell-glob-to-regexp, run on a tiny Pike VM ---- */

enum {
	DF_SHELL__I_RUNE,	/* one literal rune */
	DF_SHELL__I_ANY,	/* any rune but '\n' (Go's '.') */
	DF_SHELL__I_SPLIT,	/* try x, then y */
	DF_SHELL__I_JMP,
	DF_SHELL__I_MATCH
};

typedef struct {
	uint8_t op;
	int32_t c;
	uint32_t x, y;
} df_shell__inst;

typedef struct {
	uint32_t pc;
	size_t start;
} df_shell__thr;

/* Sparse set of threads in priority order. */
typedef struct {
	df_shell__thr *dense;
	uint32_t *sparse;
	size_t n;
} df_shell__queue;

typedef struct {
	df_shell__inst *prog;
	size_t n, cap;
	bool anchored;		/* only a match starting at offset 0 counts */
	df_shell__queue q[2];
	uint32_t *stack;
} df_shell__re;

static inline void *
df_shell__xalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort(); /* same policy as df_buf */
	return p;
}

static inline void
df_shell__re_emit(df_shell__re *re, uint8_t op, int32_t c, size_t x, size_t y)
{
	if (re->n == re->cap) {
		size_t cap = re->cap ? re->cap * 2 : 16;
		df_shell__inst *p = realloc(re->prog, cap * sizeof(*p));
		if (!p)
			abort();
		re->prog = p;
		re->cap = cap;
	}
	re->prog[re->n].op = op;
	re->prog[re->n].c = c;
	re->prog[re->n].x = (uint32_t)x;
	re->prog[re->n].y = (uint32_t)y;
	re->n++;
}

/* `*`: Go's `.*` (greedy, the loop first) or `.*?` (the exit first). */
static inline void
df_shell__re_star(df_shell__re *re, bool greedy)
{
	size_t l = re->n;

	if (greedy)
		df_shell__re_emit(re, DF_SHELL__I_SPLIT, 0, l + 1, l + 3);
	else
		df_shell__re_emit(re, DF_SHELL__I_SPLIT, 0, l + 3, l + 1);
	df_shell__re_emit(re, DF_SHELL__I_ANY, 0, 0, 0);
	df_shell__re_emit(re, DF_SHELL__I_JMP, 0, l, 0);
}

static inline void
df_shell__re_free(df_shell__re *re)
{
	free(re->prog);
	for (int i = 0; i < 2; i++) {
		free(re->q[i].dense);
		free(re->q[i].sparse);
	}
	free(re->stack);
	memset(re, 0, sizeof(*re));
}

/*
 * Compile a shell pattern as convertShellPatternToRegex does: `*` any run,
 * `?` one rune, `\*` `\?` `\\` literal, `\}` `\/` drop the backslash, every
 * other character literal. Like the Go scanner it uses, a leading BOM is
 * skipped. On an invalid escape returns -1 with the escaped rune in *bad.
 */
static inline int
df_shell__re_compile(df_shell__re *re, const char *pat, size_t plen,
    bool greedy, bool anchored, int32_t *bad)
{
	const unsigned char *p = (const unsigned char *)pat;
	size_t pos = 0, w;

	memset(re, 0, sizeof(*re));
	re->anchored = anchored;
	if (df_shell__decode(p, plen, 0, &w) == 0xFEFF)
		pos = w;
	while (pos < plen) {
		int32_t c = df_shell__decode(p, plen, pos, &w);
		pos += w;
		if (c == '*') {
			df_shell__re_star(re, greedy);
			continue;
		}
		if (c == '?') {
			df_shell__re_emit(re, DF_SHELL__I_ANY, 0, 0, 0);
			continue;
		}
		if (c == '\\') {
			int32_t d = df_shell__decode(p, plen, pos, &w);
			if (d == '}' || d == '/')
				continue;
			pos += w;
			if (d != '*' && d != '?' && d != '\\') {
				*bad = d;
				df_shell__re_free(re);
				return -1;
			}
			c = d;
		}
		df_shell__re_emit(re, DF_SHELL__I_RUNE, c, 0, 0);
	}
	df_shell__re_emit(re, DF_SHELL__I_MATCH, 0, 0, 0);
	for (int i = 0; i < 2; i++) {
		re->q[i].dense = df_shell__xalloc(re->n, sizeof(df_shell__thr));
		re->q[i].sparse = df_shell__xalloc(re->n, sizeof(uint32_t));
	}
	re->stack = df_shell__xalloc(2 * re->n + 1, sizeof(uint32_t));
	return 0;
}

/* Add pc and what it reaches without input, in priority order (no recursion). */
static inline void
df_shell__re_add(df_shell__re *re, df_shell__queue *q, uint32_t pc0,
    size_t start)
{
	size_t sp = 0;

	re->stack[sp++] = pc0;
	while (sp > 0) {
		uint32_t pc = re->stack[--sp];
		uint32_t j = q->sparse[pc];
		if (j < q->n && q->dense[j].pc == pc)
			continue;
		q->sparse[pc] = (uint32_t)q->n;
		q->dense[q->n].pc = pc;
		q->dense[q->n].start = start;
		q->n++;
		const df_shell__inst *in = &re->prog[pc];
		if (in->op == DF_SHELL__I_JMP) {
			re->stack[sp++] = in->x;
		} else if (in->op == DF_SHELL__I_SPLIT) {
			re->stack[sp++] = in->y;
			re->stack[sp++] = in->x;
		}
	}
}

/* Advance every thread of cq over rune r into nq; true when one matched. */
static inline bool
df_shell__re_step(df_shell__re *re, df_shell__queue *cq, df_shell__queue *nq,
    int32_t r, size_t pos, size_t *ms, size_t *me)
{
	nq->n = 0;
	for (size_t j = 0; j < cq->n; j++) {
		const df_shell__thr *t = &cq->dense[j];
		const df_shell__inst *in = &re->prog[t->pc];
		if (in->op == DF_SHELL__I_MATCH) {
			/* leftmost-first: lower-priority threads are dropped */
			*ms = t->start;
			*me = pos;
			return true;
		}
		if ((in->op == DF_SHELL__I_RUNE && r == in->c) ||
		    (in->op == DF_SHELL__I_ANY && r >= 0 && r != '\n'))
			df_shell__re_add(re, nq, t->pc + 1, t->start);
	}
	return false;
}

/*
 * Go regexp's leftmost-first search of s[from:] (as FindStringIndex does
 * from `from`): true with the match in [*ms, *me).
 */
static inline bool
df_shell__re_find(df_shell__re *re, const char *s, size_t n, size_t from,
    size_t *ms, size_t *me)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t pos = from, w;
	bool matched = false;
	int cur = 0;

	re->q[0].n = re->q[1].n = 0;
	for (;;) {
		df_shell__queue *cq = &re->q[cur], *nq = &re->q[cur ^ 1];
		if (cq->n == 0 && (matched || (re->anchored && pos != 0)))
			break;
		if (!matched && (!re->anchored || pos == 0))
			df_shell__re_add(re, cq, 0, pos);
		int32_t r = df_shell__decode(u, n, pos, &w);
		if (df_shell__re_step(re, cq, nq, r, pos, ms, me))
			matched = true;
		if (w == 0)
			break;
		pos += w;
		cur ^= 1;
	}
	return matched;
}

/* Go's []rune(s): bad bytes become U+FFFD. Caller frees. */
static inline uint32_t *
df_shell__runes(const char *s, size_t n, size_t *count)
{
	uint32_t *r = df_shell__xalloc(n, sizeof(uint32_t));
	size_t k = 0, w;

	for (size_t i = 0; i < n; i += w)
		r[k++] = (uint32_t)df_shell__decode((const unsigned char *)s,
		    n, i, &w);
	*count = k;
	return r;
}

static inline void
df_shell__rev_string(const char *s, size_t n, df_buf *dst)
{
	size_t k;
	uint32_t *r = df_shell__runes(s, n, &k);

	while (k > 0)
		df_buf_put_rune(dst, r[--k]);
	free(r);
}

/* Reverse a pattern rune-wise but keep each `\x` pair in order. */
static inline void
df_shell__rev_pattern(const char *s, size_t n, df_buf *dst)
{
	size_t k;
	uint32_t *r = df_shell__runes(s, n, &k);
	uint32_t *o = df_shell__xalloc(k, sizeof(uint32_t));

	for (size_t i = 0; i < k;) {
		size_t oi = k - 1 - i;
		if (r[i] == '\\' && i != k - 1) {
			o[oi - 1] = '\\';
			o[oi] = r[i + 1];
			i += 2;
		} else {
			o[oi] = r[i];
			i++;
		}
	}
	for (size_t i = 0; i < k; i++)
		df_buf_put_rune(dst, o[i]);
	free(o);
	free(r);
}

/*
 * Go regexp's template reference after a '$': `name` or `{name}`, name a run
 * of letters, digits and '_'. Returns the bytes consumed (0: not a reference)
 * and whether it names group 0, the only group our regexps have.
 */
static inline size_t
df_shell__tmpl_ref(const char *t, size_t n, bool *whole)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i = n > 0 && t[0] == '{', j = i, w;

	while (j < n && df_shell__is_namec(df_shell__decode(u, n, j, &w)))
		j += w;
	if (j == i)
		return 0;
	*whole = j - i == 1 && t[i] == '0';
	if (i == 1) {
		if (j >= n || t[j] != '}')
			return 0;
		j++;
	}
	return j;
}

/* Go's Regexp.expand for a regexp without groups: $$, $0/${0}, others empty. */
static inline void
df_shell__re_expand(df_buf *dst, const char *t, size_t n, const char *s,
    size_t ms, size_t me)
{
	size_t i = 0;

	while (i < n) {
		const char *d = memchr(t + i, '$', n - i);
		if (!d)
			break;
		df_buf_put(dst, t + i, (size_t)(d - t) - i);
		i = (size_t)(d - t) + 1;
		if (i < n && t[i] == '$') {
			df_buf_putc(dst, '$');
			i++;
			continue;
		}
		bool whole = false;
		size_t used = df_shell__tmpl_ref(t + i, n - i, &whole);
		if (used == 0) {
			df_buf_putc(dst, '$'); /* malformed: a literal '$' */
			continue;
		}
		if (whole)
			df_buf_put(dst, s + ms, me - ms);
		i += used;
	}
	df_buf_put(dst, t + i, n - i);
}

/* Go's Regexp.ReplaceAllString, empty-match rules included. */
static inline void
df_shell__re_replace_all(df_shell__re *re, const char *s, size_t n,
    const char *t, size_t tn, df_buf *dst)
{
	size_t last = 0, search = 0, ms, me, w;

	while (search <= n) {
		if (!df_shell__re_find(re, s, n, search, &ms, &me))
			break;
		df_buf_put(dst, s + last, ms - last);
		/* no replacement for an empty match right after a match */
		if (me > last || ms == 0)
			df_shell__re_expand(dst, t, tn, s, ms, me);
		last = me;
		df_shell__decode((const unsigned char *)s, n, search, &w);
		if (search + w > me)
			search += w;
		else if (search + 1 > me)
			search++;
		else
			search = me;
	}
	df_buf_put(dst, s + last, n - last);
}

/* The error for an invalid escape in pattern pat. */
DF_SHELL__NOINLINE static inline int
df_shell__bad_pattern(df_shell__st *st, const char *pat, size_t plen,
    int32_t bad)
{
	char c[4];
	size_t cn = df_shell__enc(bad, c);

	df_shell__fail(st, "invalid pattern (");
	df_shell__errcat(st, pat, plen);
	df_shell__errs(st, ") in substitution: invalid escape '\\");
	df_shell__errcat(st, c, cn);
	df_shell__errs(st, "'");
	return -1;
}

/* lex.go trimPrefix: drop the shortest (longest if greedy) matching prefix. */
static inline int
df_shell__trim_prefix(df_shell__st *st, const char *pat, size_t plen,
    const char *v, size_t vl, bool greedy, df_buf *dst)
{
	df_shell__re re;
	int32_t bad;
	size_t ms, me, from = 0;

	if (df_shell__re_compile(&re, pat, plen, greedy, true, &bad) < 0)
		return df_shell__bad_pattern(st, pat, plen, bad);
	if (df_shell__re_find(&re, v, vl, 0, &ms, &me))
		from = me;
	df_buf_put(dst, v + from, vl - from);
	df_shell__re_free(&re);
	return 0;
}

/* lex.go trimSuffix: trimPrefix on the reversed pattern and value. */
static inline int
df_shell__trim_suffix(df_shell__st *st, const char *pat, size_t plen,
    const char *v, size_t vl, bool greedy, df_buf *dst)
{
	df_buf rp = {0}, rv = {0}, tmp = {0};
	int rc;

	df_buf_reserve(&rp, 0);
	df_buf_reserve(&rv, 0);
	df_buf_reserve(&tmp, 0);
	df_shell__rev_pattern(pat, plen, &rp);
	df_shell__rev_string(v, vl, &rv);
	rc = df_shell__trim_prefix(st, rp.ptr, rp.len, rv.ptr, rv.len, greedy,
	    &tmp);
	if (rc == 0)
		df_shell__rev_string(tmp.ptr, tmp.len, dst);
	df_buf_free(&rp);
	df_buf_free(&rv);
	df_buf_free(&tmp);
	return rc;
}

/* ---- The lexer proper ---- */

static inline int df_shell__stop_on(df_shell__st *st, df_buf *out,
    int32_t stop, bool raw, bool top);

/* processStopOn reaching the end of input before stop. */
DF_SHELL__NOINLINE static inline int
df_shell__fail_stop(df_shell__st *st, int32_t stop)
{
	char c[4];
	size_t n = df_shell__enc(stop, c);

	df_shell__fail(st, "unexpected end of statement while looking for "
	    "matching ");
	df_shell__errcat(st, c, n);
	return -1;
}

/* Replace out[mark:] with the variable's value. */
static inline void
df_shell__put_value(df_buf *out, const df_shell__ref *ref)
{
	df_shell__truncate(out, ref->mark);
	df_buf_put(out, ref->val, ref->vlen);
}

/* An operand: like processStopOn, but failing at the end of input says `missing`. */
static inline int
df_shell__operand(df_shell__st *st, df_buf *out, int32_t stop, bool raw,
    const char *missing)
{
	if (df_shell__stop_on(st, out, stop, raw, false) == 0)
		return 0;
	if (df_shell__peek(st) == DF_SHELL__EOF)
		return df_shell__fail(st, missing);
	return -1;
}

/* Start a reference: look the name up; in skip-unset mode, echo it if unset. */
static inline bool
df_shell__ref_begin(df_shell__st *st, df_buf *out, df_shell__ref *ref)
{
	ref->set = df_shell__lookup(st, ref->name, ref->nlen, &ref->val,
	    &ref->vlen);
	ref->mark = out->len;
	if (ref->set || !st->o->skip_unset)
		return false;
	df_buf_put(out, "${", 2);
	df_buf_put(out, ref->name, ref->nlen);
	return true;
}

/* ${name} */
static inline int
df_shell__braced(df_shell__st *st, df_buf *out, df_shell__ref *ref)
{
	if (df_shell__ref_begin(st, out, ref))
		df_buf_putc(out, '}');
	else
		df_buf_put(out, ref->val, ref->vlen);
	return 0;
}

/* ${name?word} and ${name:?word} */
DF_SHELL__NOINLINE static inline int
df_shell__required(df_shell__st *st, df_buf *out, const df_shell__ref *ref)
{
	const char *why = NULL;
	size_t wl = out->len - ref->mark;

	if (!ref->set)
		why = "is not allowed to be unset";
	else if (ref->colon && ref->vlen == 0)
		why = "is not allowed to be empty";
	if (!why) {
		df_shell__put_value(out, ref);
		return 0;
	}
	st->errlen = 0;
	df_shell__errcat(st, ref->name, ref->nlen);
	df_shell__errs(st, ": ");
	if (wl > 0)
		df_shell__errcat(st, out->ptr + ref->mark, wl);
	else
		df_shell__errs(st, why);
	return -1;
}

/* ${name#pat} ${name##pat} ${name%pat} ${name%%pat}; the pattern is out[mark:]. */
DF_SHELL__NOINLINE static inline int
df_shell__trim(df_shell__st *st, df_buf *out, const df_shell__ref *ref)
{
	const char *pat = out->ptr + ref->mark;
	size_t plen = out->len - ref->mark;
	bool greedy = plen > 0 && pat[0] == (char)ref->op;
	df_buf res = {0};
	int rc;

	if (greedy) {
		pat++;
		plen--;
	}
	df_buf_reserve(&res, 0);
	if (ref->op == '#')
		rc = df_shell__trim_prefix(st, pat, plen, ref->val, ref->vlen,
		    greedy, &res);
	else
		rc = df_shell__trim_suffix(st, pat, plen, ref->val, ref->vlen,
		    greedy, &res);
	if (rc == 0) {
		df_shell__truncate(out, ref->mark);
		df_buf_put(out, res.ptr, res.len);
	}
	df_buf_free(&res);
	return rc;
}

/* ${name<op>word} for - + ? # % and their ':' forms. */
static inline int
df_shell__modifier(df_shell__st *st, df_buf *out, df_shell__ref *ref)
{
	bool pattern = ref->op == '#' || ref->op == '%';
	bool echo;

	if (ref->colon && pattern)
		return df_shell__unsupported(st, ref);
	echo = df_shell__ref_begin(st, out, ref);
	if (echo)
		df_buf_put(out, ref->chs, ref->chn);
	if (df_shell__operand(st, out, '}', pattern,
	    "syntax error: missing '}'") < 0)
		return -1;
	if (echo) {
		df_buf_putc(out, '}');
		return 0;
	}
	bool empty = !ref->set || (ref->colon && ref->vlen == 0);
	switch (ref->op) {
	case '-':
		if (!empty)
			df_shell__put_value(out, ref);
		return 0;
	case '+':
		if (empty)
			df_shell__truncate(out, ref->mark);
		return 0;
	case '?':
		return df_shell__required(st, out, ref);
	case '#':
	case '%':
		return df_shell__trim(st, out, ref);
	default:
		return df_shell__unsupported(st, ref);
	}
}

/* Replace out[mark:] (pattern at pstart, replacement at rstart) with the result. */
DF_SHELL__NOINLINE static inline int
df_shell__replace(df_shell__st *st, df_buf *out, const df_shell__ref *ref,
    size_t pstart, size_t rstart, bool all)
{
	const char *pat = out->ptr + pstart, *rep = out->ptr + rstart;
	size_t plen = rstart - pstart;
	size_t rlen = out->len - rstart, ms, me;
	df_shell__re re;
	df_buf dst = {0};
	int32_t bad;

	if (df_shell__re_compile(&re, pat, plen, true, false, &bad) < 0)
		return df_shell__bad_pattern(st, pat, plen, bad);
	df_buf_reserve(&dst, 0);
	if (all) {
		df_shell__re_replace_all(&re, ref->val, ref->vlen, rep, rlen, &dst);
	} else if (df_shell__re_find(&re, ref->val, ref->vlen, 0, &ms, &me)) {
		df_buf_put(&dst, ref->val, ms);
		df_buf_put(&dst, rep, rlen);
		df_buf_put(&dst, ref->val + me, ref->vlen - me);
	} else {
		df_buf_put(&dst, ref->val, ref->vlen);
	}
	df_shell__truncate(out, ref->mark);
	df_buf_put(out, dst.ptr, dst.len);
	df_buf_free(&dst);
	df_shell__re_free(&re);
	return 0;
}

/* ${name/pat/rep} and ${name//pat/rep}; skip-unset echoes one '/' as lex.go does. */
static inline int
df_shell__subst(df_shell__st *st, df_buf *out, df_shell__ref *ref)
{
	bool all = df_shell__peek(st) == '/';
	bool echo;
	size_t pstart, rstart;

	if (all)
		df_shell__next(st);
	echo = df_shell__ref_begin(st, out, ref);
	if (echo)
		df_buf_putc(out, '/');
	pstart = out->len;
	if (df_shell__operand(st, out, '/', true,
	    "syntax error: missing '/' in ${}") < 0)
		return -1;
	if (echo)
		df_buf_putc(out, '/');
	rstart = out->len;
	if (df_shell__operand(st, out, '}', true,
	    "syntax error: missing '}'") < 0)
		return -1;
	if (echo) {
		df_buf_putc(out, '}');
		return 0;
	}
	return df_shell__replace(st, out, ref, pstart, rstart, all);
}

/* After "${": the name, then the modifier. */
static inline int
df_shell__brace(df_shell__st *st, df_buf *out)
{
	df_shell__ref ref;
	int32_t c = df_shell__peek(st);
	size_t start = st->pos;

	if (c == DF_SHELL__EOF)
		return df_shell__fail(st, "syntax error: missing '}'");
	if (c == '{' || c == '}' || c == ':')
		return df_shell__fail(st, "syntax error: bad substitution");
	memset(&ref, 0, sizeof(ref));
	ref.nlen = df_shell__name(st);
	ref.name = (const char *)st->s + start;
	ref.op = df_shell__next(st);
	ref.chn = df_shell__enc(ref.op, ref.chs);
	switch (ref.op) {
	case '}':
		return df_shell__braced(st, out, &ref);
	case '/':
		return df_shell__subst(st, out, &ref);
	case ':':
		/* whatever follows the ':' is the modifier, even '}' */
		ref.colon = true;
		ref.op = df_shell__next(st);
		ref.chn += df_shell__enc(ref.op, ref.chs + ref.chn);
		return df_shell__modifier(st, out, &ref);
	case '+': case '-': case '?': case '#': case '%':
		return df_shell__modifier(st, out, &ref);
	default:
		return df_shell__unsupported(st, &ref);
	}
}

/* '$' at the scanner: $name, ${…}, or a lone '$'. */
static inline int
df_shell__dollar(df_shell__st *st, df_buf *out)
{
	const char *val;
	size_t start, n, vlen;
	int rc;

	df_shell__next(st);
	if (df_shell__peek(st) == '{') {
		df_shell__next(st);
		if (st->depth >= DF_SHELL_MAX_DEPTH)
			return df_shell__fail(st,
			    "syntax error: ${} nested too deeply");
		st->depth++;
		rc = df_shell__brace(st, out);
		st->depth--;
		return rc;
	}
	start = st->pos;
	n = df_shell__name(st);
	if (n == 0) {
		df_buf_putc(out, '$');
		return 0;
	}
	if (!df_shell__lookup(st, (const char *)st->s + start, n, &val, &vlen) &&
	    st->o->skip_unset) {
		df_buf_putc(out, '$');
		df_buf_put(out, st->s + start, n);
		return 0;
	}
	df_buf_put(out, val, vlen);
	return 0;
}

/* '…': everything literal up to the next quote. */
DF_SHELL__NOINLINE static inline int
df_shell__squote(df_shell__st *st, df_buf *out)
{
	int32_t c = df_shell__next(st);

	if (st->o->raw_quotes)
		df_buf_put_rune(out, (uint32_t)c);
	for (;;) {
		c = df_shell__next(st);
		if (c == DF_SHELL__EOF)
			return df_shell__fail(st, "unexpected end of statement "
			    "while looking for matching single-quote");
		if (c == '\'')
			break;
		df_buf_put_rune(out, (uint32_t)c);
	}
	if (st->o->raw_quotes)
		df_buf_put_rune(out, (uint32_t)c);
	return 0;
}

/*
 * "…": '$' expands; the escape character escapes '"', '$' and itself and
 * is kept before anything else (twice in raw-escape mode, as in lex.go).
 */
static inline int
df_shell__dquote(df_shell__st *st, df_buf *out)
{
	int32_t c = df_shell__next(st), esc = (int32_t)st->o->escape;

	if (st->o->raw_quotes)
		df_buf_put_rune(out, (uint32_t)c);
	for (;;) {
		c = df_shell__peek(st);
		if (c == DF_SHELL__EOF)
			return df_shell__fail(st, "unexpected end of statement "
			    "while looking for matching double-quote");
		if (c == '"')
			break;
		if (c == '$') {
			if (df_shell__dollar(st, out) < 0)
				return -1;
			continue;
		}
		c = df_shell__next(st);
		if (c == esc) {
			int32_t d = df_shell__peek(st);
			if (st->raw_escapes)
				df_buf_put_rune(out, (uint32_t)c);
			if (d == DF_SHELL__EOF)
				continue;
			if (d == '"' || d == '$' || d == esc)
				c = df_shell__next(st);
		}
		df_buf_put_rune(out, (uint32_t)c);
	}
	df_shell__next(st);
	if (st->o->raw_quotes)
		df_buf_put_rune(out, '"');
	return 0;
}

/* `<<` and the blanks right after it stay glued to the next text (heredocs). */
static inline void
df_shell__heredoc_glue(df_shell__st *st, df_buf *out, bool top)
{
	int32_t c;

	df_shell__emit(st, out, '<', top, true);
	df_shell__emit(st, out, df_shell__next(st), top, true);
	while ((c = df_shell__peek(st)) == ' ' || c == '\t' || c == '\r') {
		df_shell__next(st);
		df_shell__emit(st, out, c, top, true);
	}
}

/* An unquoted ordinary character; true when an escape ends the input. */
DF_SHELL__NOINLINE static inline bool
df_shell__plain(df_shell__st *st, df_buf *out, bool top)
{
	int32_t c = df_shell__next(st);

	if (c == (int32_t)st->o->escape) {
		if (st->raw_escapes)
			df_shell__emit(st, out, c, top, true);
		c = df_shell__next(st);
		if (c == DF_SHELL__EOF)
			return true;
		df_shell__emit(st, out, c, top, true);
		return false;
	}
	if (c == '<' && df_shell__peek(st) == '<')
		df_shell__heredoc_glue(st, out, top);
	else
		df_shell__emit(st, out, c, top, false);
	return false;
}

/* $, ' or " at top level or in an operand; top level also feeds the words. */
static inline int
df_shell__special(df_shell__st *st, df_buf *out, int32_t c, bool top)
{
	size_t mark = out->len;
	int rc;

	if (c == '$')
		rc = df_shell__dollar(st, out);
	else if (c == '\'')
		rc = df_shell__squote(st, out);
	else
		rc = df_shell__dquote(st, out);
	if (rc < 0 || !top)
		return rc;
	if (c == '$')
		df_shell__w_string(st, out->ptr + mark, out->len - mark);
	else if (out->len > mark)
		df_buf_put(&st->r->words, out->ptr + mark, out->len - mark);
	return 0;
}

/*
 * lex.go processStopOn: process up to (and consuming) stop, or the end of
 * input when stop is DF_SHELL__EOF, appending to out. raw sets the
 * raw-escape mode for this stretch.
 */
static inline int
df_shell__stop_on(df_shell__st *st, df_buf *out, int32_t stop, bool raw,
    bool top)
{
	bool saved = st->raw_escapes;
	int rc = 0;

	st->raw_escapes = raw;
	for (;;) {
		int32_t c = df_shell__peek(st);
		if (c == DF_SHELL__EOF)
			break;
		if (c == stop) {
			df_shell__next(st);
			goto done;
		}
		if (c == '$' || (!st->o->skip_quotes && (c == '\'' || c == '"'))) {
			if ((rc = df_shell__special(st, out, c, top)) < 0)
				goto done;
		} else if (df_shell__plain(st, out, top)) {
			break;
		}
	}
	if (stop != DF_SHELL__EOF)
		rc = df_shell__fail_stop(st, stop);
done:
	st->raw_escapes = saved;
	return rc;
}

static inline void
df_shell__buf_reset(df_buf *b)
{
	df_buf_clear(b);
	df_buf_reserve(b, 0);
	b->ptr[0] = '\0';
}

/*
 * Expand s[0:len]. Returns 0, or -1 with r->err set and every result empty.
 * r must be zeroed before its first use.
 */
static inline int
df_shell_process(const df_shell_opts *o, const char *s, size_t len,
    df_shell_result *r)
{
	df_shell__st st;
	size_t w;
	int rc;

	memset(&st, 0, sizeof(st));
	st.o = o;
	st.s = (const unsigned char *)s;
	st.len = len;
	st.r = r;
	df_shell__buf_reset(&r->word);
	df_shell__buf_reset(&r->words);
	df_buf_clear(&r->starts);
	r->nwords = 0;
	r->err[0] = '\0';
	/* Go's text/scanner skips a byte-order mark at the very start */
	if (df_shell__decode(st.s, len, 0, &w) == 0xFEFF)
		st.pos = w;
	rc = df_shell__stop_on(&st, &r->word, DF_SHELL__EOF, o->raw_escapes,
	    true);
	if (rc < 0) {
		df_shell__truncate(&r->word, 0);
		df_shell__truncate(&r->words, 0);
		df_buf_clear(&r->starts);
		r->nwords = 0;
		return -1;
	}
	df_shell__w_flush(&st);
	return 0;
}

#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif
