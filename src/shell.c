/* A POSIX-shell tokenizer for RUN scripts: commands, words, joins and spans, in one linear pass. */
#include "drydock/shell.h"

#include <string.h>

#include "drydock/alloc.h"

/*
 * Every nested construct ($(…), "…" inside ${…}, groups…) is a recursive
 * call; past NEST_MAX calls, or DD_SH_MAX_DEPTH levels of commands, the
 * construct is skipped by skip_flat, which keeps its stack in the arena.
 */
#define NEST_MAX 96
/* Offsets are uint32_t; longer scripts are cut (and marked incomplete). */
#define SCRIPT_MAX 0x7fffffffu
#define MAX_MAPS 4

enum { STOP_END, STOP_PAREN, STOP_BRACE };	/* what closes a list */
enum { C_NONE, C_SUBJ, C_PAT, C_BODY };		/* where we are in a case */

enum {
	KW_NONE, KW_IF, KW_THEN, KW_ELSE, KW_ELIF, KW_FI, KW_DO, KW_DONE,
	KW_WHILE, KW_UNTIL, KW_BANG, KW_CASE, KW_ESAC, KW_FOR, KW_SELECT,
	KW_IN, KW_FUNCTION, KW_LBRACE, KW_RBRACE
};

#define KW(s, k) { s, sizeof(s) - 1, k }
static const struct {
	const char *name;
	size_t len;
	int kw;
} keywords[] = {
	KW("if", KW_IF), KW("then", KW_THEN), KW("else", KW_ELSE),
	KW("elif", KW_ELIF), KW("fi", KW_FI), KW("do", KW_DO),
	KW("done", KW_DONE), KW("while", KW_WHILE), KW("until", KW_UNTIL),
	KW("!", KW_BANG), KW("case", KW_CASE), KW("esac", KW_ESAC),
	KW("for", KW_FOR), KW("select", KW_SELECT), KW("in", KW_IN),
	KW("function", KW_FUNCTION), KW("{", KW_LBRACE), KW("}", KW_RBRACE),
};
#undef KW

/* Bytes that end a word or start a quote, escape or expansion; 0: plain. */
static const unsigned char special[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [';'] = 1, ['&'] = 1,
	['|'] = 1, ['('] = 1, [')'] = 1, ['<'] = 1, ['>'] = 1, ['\\'] = 1,
	['\''] = 1, ['"'] = 1, ['`'] = 1, ['$'] = 1,
};

/* Commands that run their arguments as a command: sudo sh -c '…'. */
static const char *const wrappers[] = {
	"sudo", "doas", "env", "exec", "nice", "nohup", "time", "command",
	"xargs", "timeout", "su-exec", "gosu", "chroot", "setsid", "stdbuf",
	"ionice", "chpst", "setpriv", "busybox", "find", "eatmydata", "tini",
	"dumb-init", "s6-setuidgid", "unshare", "flock", "strace", NULL
};

static const char *const shells[] = {
	"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "yash", "posh", NULL
};

/*
 * The text being tokenized: the script itself, a slice of it, or a copy
 * (an unquoted -c argument, unescaped backticks) whose bytes map back to
 * script offsets.
 */
typedef struct {
	const char *s;
	size_t len;
	const uint32_t *map;	/* script offset of each byte, len + 1 entries; NULL: base + i */
	uint32_t base;
	uint32_t lim;		/* offsets never pass lim: copies stay inside their word */
} text;

typedef struct {
	dd_sh_word *v;
	size_t n, cap;
} wvec;

/* A word of the command being built that may be a -c script, with its byte map. */
typedef struct {
	size_t word;
	const uint32_t *map;
} cmap;

enum { W_WORDS, W_ASSIGNS, W_REDIRS, W__MAX };

/* The command being built. */
typedef struct {
	size_t slot;		/* index in out->cmds; DD_SH_NONE until a token is seen */
	uint32_t end;
	size_t base[W__MAX];	/* where its words start in parser.stk */
	cmap maps[MAX_MAPS];
	unsigned nmaps;
	unsigned ndiscard;	/* words of a discarded for list or case pattern */
	unsigned condparen;	/* open ( inside [[ … ]] */
	bool discard;		/* for list, case word or pattern: not a command */
	bool fors;		/* the discarded words are a for list */
	bool func;		/* after `function`: the next word is a name */
	bool cond;		/* inside [[ … ]]: && || ( ) < > are words */
	bool compound;		/* a ( … ) or { …; } node */
} builder;

/* One list of commands: the script, or the inside of $(…), ( … ), { …; }. */
typedef struct {
	const text *t;
	unsigned depth;
	size_t parent;
	dd_sh_nest nest;
	int stop;
	size_t last;		/* the last command ended in this list */
	unsigned ncase;		/* open case statements */
	int cstate;		/* state of the innermost one */
	builder b;
} frame;

/* A here-document waiting for the next newline, where its body starts. */
typedef struct {
	const char *delim;
	size_t len;
	bool strip;
} heredoc;

typedef struct {
	dd_shell *out;
	size_t cap;
	dd_arena *arena;
	char *buf;		/* text of the words being scanned: a stack, */
	uint32_t *offs;		/* nested words above the outer one; offs: */
	size_t bufn, bufcap;	/* script offset of each byte */
	wvec stk[W__MAX];	/* words of the commands being built: a stack, */
				/* an inner command's above its outer one's */
	char *pool;		/* word texts, packed */
	size_t poolleft, poolchunk;
	heredoc *hd;
	size_t nhd, hdcap, hdfloor;
	char *closers;		/* skip_flat's stack */
	size_t closerscap;
	unsigned nest;
} parser;

static size_t parse_list(parser *p, frame *f, size_t pos);
static size_t scan_dquote(parser *p, frame *f, size_t pos, dd_sh_word *w);
static size_t skip_dollar(parser *p, frame *f, size_t pos, bool in_dq);
static size_t skip_backtick(parser *p, frame *f, size_t pos, bool in_dq);
static void parse_text(parser *p, const text *t, unsigned depth, size_t parent, dd_sh_nest nest);

/* ---- small helpers ---- */

static char
at(const text *t, size_t i)
{
	return i < t->len ? t->s[i] : '\0';
}

static uint32_t
orig(const text *t, size_t i)
{
	uint32_t o = t->map ? t->map[i] : t->base + (uint32_t)i;
	return o < t->lim ? o : t->lim;
}

/* The script offset just past byte i - 1. */
static uint32_t
orig_end(const text *t, size_t i)
{
	if (i == 0)
		return orig(t, 0);
	uint32_t o = orig(t, i - 1);
	return o < t->lim ? o + 1 : t->lim;
}

static bool
is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Does an unquoted word end before byte i (a blank or an operator)? */
static bool
ends_word(const text *t, size_t i)
{
	if (i >= t->len)
		return true;
	switch (t->s[i]) {
	case ' ': case '\t': case '\n': case ';': case '&': case '|':
	case '(': case ')': case '<': case '>':
		return true;
	case '\r':
		return at(t, i + 1) == '\n';
	}
	return false;
}

static bool
streq(const char *s, size_t n, const char *lit)
{
	return n > 0 ? s[0] == lit[0] && n == strlen(lit) && memcmp(s, lit, n) == 0 : !*lit;
}

static bool
in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (streq(s, n, *list))
			return true;
	return false;
}

/* Grow an arena array holding n elements to room for want. */
static void *
grow(dd_arena *a, void *v, size_t n, size_t *cap, size_t want, size_t size)
{
	size_t c = *cap ? *cap : 8;

	if (want <= *cap)
		return v;
	while (c < want)
		c *= 2;
	void *nv = dd_arena_alloc(a, c * size);
	if (n)
		memcpy(nv, v, n * size);
	*cap = c;
	return nv;
}

/* How many words of kind k the command being built has. */
static size_t
nwords(const parser *p, const builder *b, int k)
{
	return b->slot == DD_SH_NONE ? 0 : p->stk[k].n - b->base[k];
}

static void
push_word(parser *p, int k, const dd_sh_word *w)
{
	wvec *v = &p->stk[k];

	v->v = grow(p->arena, v->v, v->n, &v->cap, v->n + 1, sizeof(*v->v));
	v->v[v->n++] = *w;
}

/* Move the command's words of kind k off the stack into an array of their own. */
static dd_sh_word *
take_words(parser *p, const builder *b, int k, size_t *n)
{
	wvec *v = &p->stk[k];
	dd_sh_word *out = NULL;

	*n = nwords(p, b, k);
	if (*n) {
		out = dd_arena_alloc(p->arena, *n * sizeof(*out));
		memcpy(out, v->v + b->base[k], *n * sizeof(*out));
	}
	v->n -= *n;
	return out;
}

/* Word text: packed in chunks, NUL-terminated. */
static const char *
pool_text(parser *p, const char *s, size_t n)
{
	if (n == 0)
		return "";
	if (n + 1 > p->poolleft) {
		/* a script's words fit in its length: small scripts take small chunks */
		size_t chunk = p->poolchunk > n + 1 ? p->poolchunk : n + 1;
		p->poolchunk = 4096;
		p->pool = dd_arena_alloc(p->arena, chunk);
		p->poolleft = chunk;
	}
	char *t = p->pool;
	memcpy(t, s, n);
	t[n] = '\0';
	p->pool += n + 1;
	p->poolleft -= n + 1;
	return t;
}

/* ---- the word buffer ---- */

static void
reserve(parser *p, size_t n)
{
	size_t cap = p->bufcap;

	if (p->bufn + n <= cap)
		return;
	p->buf = grow(p->arena, p->buf, p->bufn, &cap, p->bufn + n, 1);
	cap = p->bufcap;
	p->offs = grow(p->arena, p->offs, p->bufn, &cap, p->bufn + n, sizeof(*p->offs));
	p->bufcap = cap;
}

static void
put(parser *p, char c, uint32_t off)
{
	reserve(p, 1);
	p->buf[p->bufn] = c;
	p->offs[p->bufn++] = off;
}

/* Append t[from..to) as written. */
static void
put_raw(parser *p, const text *t, size_t from, size_t to)
{
	if (to > t->len)
		to = t->len;
	if (to <= from)
		return;
	reserve(p, to - from);
	memcpy(p->buf + p->bufn, t->s + from, to - from);
	for (size_t i = from; i < to; i++)
		p->offs[p->bufn++] = orig(t, i);
}

/* ---- skipping without recursion ---- */

static void
push_closer(parser *p, size_t *n, char c)
{
	p->closers = grow(p->arena, p->closers, *n, &p->closerscap, *n + 1, 1);
	p->closers[(*n)++] = c;
}

/* Past the single-quoted string at pos. */
static size_t
squote_end(parser *p, const text *t, size_t pos)
{
	const char *q = pos + 1 < t->len ? memchr(t->s + pos + 1, '\'', t->len - pos - 1) : NULL;

	if (!q) {
		p->out->incomplete = true;
		return t->len;
	}
	return (size_t)(q - t->s) + 1;
}

/*
 * Skip to the end of a construct; closers is the stack of closing
 * characters still expected (innermost last). Quotes, $( ${ ( { and
 * backticks nest; used for arithmetic and for what is nested too deep.
 */
static size_t
skip_flat(parser *p, const text *t, size_t pos, const char *closers)
{
	size_t n = 0;

	for (; *closers; closers++)
		push_closer(p, &n, *closers);
	while (pos < t->len && n > 0) {
		char top = p->closers[n - 1], c = t->s[pos], d = at(t, pos + 1);
		size_t next = pos + 1;
		if (c == '\\')
			next = pos + 2;
		else if (c == top)
			n--;
		else if (top == '`')
			;	/* only the closing backtick counts */
		else if (c == '`')
			push_closer(p, &n, '`');
		else if (c == '$' && (d == '(' || d == '{')) {
			push_closer(p, &n, d == '(' ? ')' : '}');
			next = pos + 2;
		} else if (top == '"')
			;
		else if (c == '"')
			push_closer(p, &n, '"');
		else if (c == '\'')
			next = squote_end(p, t, pos);
		else if (c == '(' || c == '{')
			push_closer(p, &n, c == '(' ? ')' : '}');
		pos = next;
	}
	if (n > 0)
		p->out->incomplete = true;
	return pos < t->len ? pos : t->len;
}

/* Past the closer ch at e (where a nested list stopped), or the end. */
static size_t
close_at(parser *p, const text *t, size_t e, char ch)
{
	if (e < t->len && t->s[e] == ch)
		return e + 1;
	p->out->incomplete = true;
	return t->len;
}

/* ---- nested scripts ---- */

static void
frame_init(frame *f, const text *t, unsigned depth, size_t parent, dd_sh_nest nest, int stop)
{
	memset(f, 0, sizeof(*f));
	f->t = t;
	f->depth = depth;
	f->parent = parent;
	f->nest = nest;
	f->stop = stop;
	f->last = DD_SH_NONE;
	f->b.slot = DD_SH_NONE;
}

/* The parent of commands nested in the word being scanned: none in a for list or case word. */
static size_t
inner_parent(const frame *f)
{
	return f->b.slot;
}

static bool
too_deep(parser *p, const frame *f)
{
	if (f->depth + 1 <= DD_SH_MAX_DEPTH && p->nest < NEST_MAX)
		return false;
	p->out->too_deep = true;
	return true;
}

/*
 * Tokenize the list at pos in place, one level deeper, up to its closing
 * ) or }; return the position past the closer.
 */
static size_t
parse_nested(parser *p, frame *f, size_t pos, int stop, dd_sh_nest nest)
{
	char closer = stop == STOP_PAREN ? ')' : '}';
	frame inner;

	if (too_deep(p, f))
		return skip_flat(p, f->t, pos, stop == STOP_PAREN ? ")" : "}");
	frame_init(&inner, f->t, f->depth + 1, inner_parent(f), nest, stop);
	return close_at(p, f->t, parse_list(p, &inner, pos), closer);
}

static text
slice(const text *t, size_t from, size_t to)
{
	text s = *t;

	s.s = t->s + from;
	s.len = to - from;
	if (t->map)
		s.map = t->map + from;
	else
		s.base = t->base + (uint32_t)from;
	return s;
}

/* A copy of backtick contents t[from..to) with \$ \` \\ (and \" in "…") unescaped. */
static text
unescape_backtick(parser *p, const text *t, size_t from, size_t to, bool in_dq)
{
	char *s = dd_arena_alloc(p->arena, to - from + 1);
	uint32_t *map = dd_arena_alloc(p->arena, (to - from + 1) * sizeof(*map));
	size_t n = 0;

	for (size_t i = from; i < to; i++) {
		char d = at(t, i + 1);
		if (t->s[i] == '\\' && i + 1 < to &&
		    (d == '$' || d == '`' || d == '\\' || (in_dq && d == '"')))
			i++;
		map[n] = orig(t, i);
		s[n++] = t->s[i];
	}
	map[n] = orig(t, to);
	return (text){ s, n, map, 0, t->lim };
}

/* Skip the backtick substitution at pos, tokenizing its contents; return its end. */
static size_t
skip_backtick(parser *p, frame *f, size_t pos, bool in_dq)
{
	const text *t = f->t;
	size_t i = pos + 1, end;
	bool esc = false;

	while (i < t->len && t->s[i] != '`') {
		if (t->s[i] == '\\') {
			esc = true;
			i++;
		}
		i++;
	}
	if (i >= t->len) {
		p->out->incomplete = true;
		i = end = t->len;
	} else {
		end = i + 1;
	}
	if (too_deep(p, f))
		return end;
	text sub = esc ? unescape_backtick(p, t, pos + 1, i, in_dq) : slice(t, pos + 1, i);
	parse_text(p, &sub, f->depth + 1, inner_parent(f), DD_SH_SUBST);
	return end;
}

/* ---- quotes and expansions ---- */

/* Skip ${…} from pos (past the brace), tokenizing substitutions inside. */
static size_t
skip_brace(parser *p, frame *f, size_t pos, bool in_dq)
{
	const text *t = f->t;

	if (p->nest >= NEST_MAX) {
		p->out->too_deep = true;
		return skip_flat(p, t, pos, "}");
	}
	p->nest++;
	while (pos < t->len && t->s[pos] != '}') {
		char c = t->s[pos];
		if (c == '\\')
			pos += 2;
		else if (c == '\'' && !in_dq)
			pos = squote_end(p, t, pos);
		else if (c == '"')
			pos = scan_dquote(p, f, pos, NULL);
		else if (c == '`')
			pos = skip_backtick(p, f, pos, in_dq);
		else if (c == '$')
			pos = skip_dollar(p, f, pos, in_dq);
		else
			pos++;
	}
	p->nest--;
	return close_at(p, t, pos, '}');
}

/*
 * Skip the expansion at pos (a '$'), tokenizing command substitutions;
 * return its end, or pos + 1 for a '$' that expands nothing.
 */
static size_t
skip_dollar(parser *p, frame *f, size_t pos, bool in_dq)
{
	const text *t = f->t;
	char n = at(t, pos + 1);

	if (n == '(' && at(t, pos + 2) == '(')
		return skip_flat(p, t, pos + 3, "))");
	if (n == '(')
		return parse_nested(p, f, pos + 2, STOP_PAREN, DD_SH_SUBST);
	if (n == '{')
		return skip_brace(p, f, pos + 2, in_dq);
	if (is_name_start(n)) {
		size_t i = pos + 2;
		while (i < t->len && is_name_char(t->s[i]))
			i++;
		return i;
	}
	if (n != '\0' && strchr("@*#?-$!0123456789", n))
		return pos + 2;
	return pos + 1;
}

/* A $ or backtick inside "…": the expansion as written. */
static size_t
dq_expansion(parser *p, frame *f, size_t pos, dd_sh_word *w)
{
	const text *t = f->t;
	size_t e = t->s[pos] == '`' ? skip_backtick(p, f, pos, true) : skip_dollar(p, f, pos, true);

	if (!w)
		return e;
	if (e == pos + 1 && t->s[pos] == '$') {
		put(p, '$', orig(t, pos));
		return e;
	}
	put_raw(p, t, pos, e);
	w->has_expansion = true;
	return e;
}

/* A backslash inside "…": only $ ` " \ and newline are escaped. */
static size_t
dq_escape(parser *p, const text *t, size_t pos, dd_sh_word *w)
{
	char n = at(t, pos + 1);

	if (n == '\n')
		return pos + 2;
	if (n == '\r' && at(t, pos + 2) == '\n')
		return pos + 3;
	if (n == '$' || n == '`' || n == '"' || n == '\\') {
		if (w)
			put(p, n, orig(t, pos + 1));
		return pos + 2;
	}
	if (w)
		put(p, '\\', orig(t, pos));
	return pos + 1;
}

/*
 * The double-quoted string at pos: its text goes to the word buffer when
 * w is given; substitutions inside are tokenized. Returns its end.
 */
static size_t
scan_dquote(parser *p, frame *f, size_t pos, dd_sh_word *w)
{
	const text *t = f->t;

	if (p->nest >= NEST_MAX) {
		size_t e = skip_flat(p, t, pos + 1, "\"");
		p->out->too_deep = true;
		if (w)
			put_raw(p, t, pos + 1, at(t, e - 1) == '"' ? e - 1 : e);
		return e;
	}
	p->nest++;
	for (pos++; pos < t->len && t->s[pos] != '"';) {
		char c = t->s[pos];
		if (c == '\\')
			pos = dq_escape(p, t, pos, w);
		else if (c == '$' || c == '`')
			pos = dq_expansion(p, f, pos, w);
		else {
			if (w)
				put(p, c, orig(t, pos));
			pos++;
		}
	}
	p->nest--;
	return close_at(p, t, pos, '"');
}

/* Bash's $'…' at pos (the quote): common escapes decoded, the rest kept. */
static size_t
ansi_quote(parser *p, const text *t, size_t pos)
{
	static const char from[] = "ntr\\'\"abefv", to[] = "\n\t\r\\'\"\a\b\033\f\v";

	for (pos++; pos < t->len && t->s[pos] != '\''; pos++) {
		const char *k;
		if (t->s[pos] == '\\' && pos + 1 < t->len && t->s[pos + 1] != '\0' &&
		    (k = strchr(from, t->s[pos + 1])) != NULL) {
			put(p, to[k - from], orig(t, pos));
			pos++;
			continue;
		}
		put(p, t->s[pos], orig(t, pos));
	}
	return close_at(p, t, pos, '\'');
}

/* ---- words ---- */

/* Is t[start..end) a NAME= or NAME+= prefix (end just past the '=')? */
static bool
assign_prefix(const text *t, size_t start, size_t end)
{
	size_t i = start;

	if (i >= end || !is_name_start(t->s[i]))
		return false;
	while (i < end && is_name_char(t->s[i]))
		i++;
	if (i < end && t->s[i] == '+')
		i++;
	return i + 1 == end && t->s[i] == '=';
}

/* Is the raw word t[start..end) an assignment NAME=value? */
static bool
is_assignment(const text *t, size_t start, size_t end)
{
	for (size_t i = start; i < end; i++)
		if (t->s[i] == '=')
			return assign_prefix(t, start, i + 1);
	return false;
}

static size_t
expansion(parser *p, const text *t, size_t pos, size_t end, dd_sh_word *w)
{
	put_raw(p, t, pos, end);
	w->has_expansion = true;
	return end;
}

static size_t
backslash(parser *p, const text *t, size_t pos, dd_sh_word *w)
{
	char n = at(t, pos + 1);

	if (pos + 1 >= t->len) {
		put(p, '\\', orig(t, pos));
		return pos + 1;
	}
	if (n == '\n')
		return pos + 2;
	if (n == '\r' && at(t, pos + 2) == '\n')
		return pos + 3;
	put(p, n, orig(t, pos + 1));
	w->quoted = true;
	return pos + 2;
}

static size_t
dollar(parser *p, frame *f, size_t pos, dd_sh_word *w)
{
	const text *t = f->t;
	char n = at(t, pos + 1);

	if (n == '\'') {
		w->quoted = true;
		return ansi_quote(p, t, pos + 1);
	}
	if (n == '"') {
		w->quoted = true;
		return scan_dquote(p, f, pos + 1, w);
	}
	size_t e = skip_dollar(p, f, pos, false);
	if (e == pos + 1) {
		put(p, '$', orig(t, pos));
		return e;
	}
	return expansion(p, t, pos, e, w);
}

/*
 * One part of the word that started at start: a character, an escape, a
 * quoted string or an expansion. Returns pos when the word ends there.
 */
static size_t
word_part(parser *p, frame *f, size_t pos, size_t start, dd_sh_word *w)
{
	const text *t = f->t;
	char c = t->s[pos];

	switch (c) {
	case '<': case '>':
		/* <(…) and >(…) are words; other redirections end the word */
		if (pos == start && at(t, pos + 1) == '(')
			return expansion(p, t, pos,
			    parse_nested(p, f, pos + 2, STOP_PAREN, DD_SH_SUBST), w);
		return pos;
	case '(':
		/* an array assignment a=(…) stays one word */
		if (assign_prefix(t, start, pos)) {
			size_t e = skip_flat(p, t, pos + 1, ")");
			put_raw(p, t, pos, e);
			return e;
		}
		return pos;
	case '\\':
		return backslash(p, t, pos, w);
	case '\'': {
		size_t e = squote_end(p, t, pos);
		w->quoted = true;
		put_raw(p, t, pos + 1, e - 1 > pos && t->s[e - 1] == '\'' ? e - 1 : e);
		return e;
	}
	case '"':
		w->quoted = true;
		return scan_dquote(p, f, pos, w);
	case '`':
		return expansion(p, t, pos, skip_backtick(p, f, pos, false), w);
	case '$':
		return dollar(p, f, pos, w);
	}
	if (ends_word(t, pos))
		return pos;
	put(p, c, orig(t, pos));
	return pos + 1;
}

/*
 * Scan the word at pos into *w (text in the arena); with map, also the
 * script offset of each byte of its text. Returns the end of the word.
 */
static size_t
scan_word(parser *p, frame *f, size_t pos, dd_sh_word *w, const uint32_t **map)
{
	const text *t = f->t;
	size_t start = pos, base = p->bufn;

	memset(w, 0, sizeof(*w));
	while (pos < t->len) {
		size_t run = pos;
		while (run < t->len && !special[(unsigned char)t->s[run]])
			run++;
		if (run > pos) {	/* plain bytes in bulk */
			put_raw(p, t, pos, run);
			pos = run;
			continue;
		}
		size_t next = word_part(p, f, pos, start, w);
		if (next == pos)
			break;
		pos = next;
	}
	if (pos == start && pos < t->len) {	/* not reached: callers start at a word */
		put(p, t->s[pos], orig(t, pos));
		pos++;
	}
	w->len = p->bufn - base;
	w->text = w->len ? pool_text(p, p->buf + base, w->len) : "";
	w->start = orig(t, start);
	w->end = orig_end(t, pos);
	if (w->end < w->start)
		w->end = w->start;
	w->fd = -1;
	if (map) {
		uint32_t *m = dd_arena_alloc(p->arena, (w->len + 1) * sizeof(*m));
		if (w->len)
			memcpy(m, p->offs + base, w->len * sizeof(*m));
		m[w->len] = w->end;
		*map = m;
	}
	p->bufn = base;
	return pos;
}

/* ---- sh -c 'script' ---- */

/* Index of the script operand of the shell at words[i] (after -c), or 0. */
static size_t
shell_operand(const dd_sh_cmd *c, size_t i)
{
	bool saw_c = false;

	for (i++; i < c->nwords; i++) {
		const char *w = c->words[i].text;
		size_t n = c->words[i].len;
		if (streq(w, n, "--"))
			return saw_c && i + 1 < c->nwords ? i + 1 : 0;
		if (n < 2 || (w[0] != '-' && w[0] != '+'))
			return saw_c ? i : 0;
		if (w[1] == '-') {
			/* --rcfile and --init-file take a value */
			if (streq(w, n, "--rcfile") || streq(w, n, "--init-file"))
				i++;
			continue;
		}
		saw_c |= memchr(w, 'c', n) != NULL;
		if (memchr(w, 'o', n) || memchr(w, 'O', n))
			i++;	/* -o pipefail */
	}
	return 0;
}

/* su and runuser: the word after -c (or --command=…, *skip bytes in). */
static size_t
su_operand(const dd_sh_cmd *c, size_t i, size_t *skip)
{
	for (i++; i < c->nwords; i++) {
		const char *w = c->words[i].text;
		size_t n = c->words[i].len;
		if (n > 10 && memcmp(w, "--command=", 10) == 0) {
			*skip = 10;
			return i;
		}
		if (n > 18 && memcmp(w, "--session-command=", 18) == 0) {
			*skip = 18;
			return i;
		}
		bool bundle = n >= 2 && w[0] == '-' && w[1] != '-' && w[n - 1] == 'c';
		if ((bundle || streq(w, n, "--command") || streq(w, n, "--session-command")) &&
		    i + 1 < c->nwords)
			return i + 1;
	}
	return 0;
}

/* The word holding the script of sh -c, su -c… (through wrappers), or 0. */
static size_t
script_operand(const dd_sh_cmd *c, size_t *skip)
{
	size_t i = 0, n;
	const char *name;

	*skip = 0;
	if (c->nwords < 2)
		return 0;
	name = dd_sh_basename(&c->words[0], &n);
	if (in_list(name, n, wrappers)) {
		for (i = 1; i < c->nwords; i++) {
			name = dd_sh_basename(&c->words[i], &n);
			if (in_list(name, n, shells) || streq(name, n, "su") || streq(name, n, "runuser"))
				break;
		}
		if (i == c->nwords)
			return 0;
	}
	if (in_list(name, n, shells))
		return shell_operand(c, i);
	if (streq(name, n, "su") || streq(name, n, "runuser"))
		return su_operand(c, i, skip);
	return 0;
}

/* Tokenize the script argument of the command at slot, if it has one. */
static void
shell_script(parser *p, frame *f, const builder *b)
{
	const dd_sh_cmd *c = &p->out->cmds[b->slot];
	size_t skip, k = script_operand(c, &skip);

	if (k == 0 || too_deep(p, f))
		return;
	const dd_sh_word *w = &c->words[k];
	/* without a map (not expected) offsets are approximate, clamped to the word */
	text sub = { w->text + skip, w->len - skip, NULL, w->start + (uint32_t)skip, w->end };
	for (unsigned m = 0; m < b->nmaps; m++)
		if (b->maps[m].word == k)
			sub.map = b->maps[m].map + skip;
	if (sub.base > sub.lim)
		sub.base = sub.lim;
	parse_text(p, &sub, f->depth + 1, b->slot, DD_SH_SCRIPT);
}

/* ---- commands ---- */

/* Forget the command being built (its words, if still stacked, too). */
static void
builder_reset(parser *p, builder *b)
{
	if (b->slot != DD_SH_NONE)
		for (int k = 0; k < W__MAX; k++)
			p->stk[k].n = b->base[k];
	memset(b, 0, sizeof(*b));
	b->slot = DD_SH_NONE;
}

/* Reserve the command's slot at its first token, so that it precedes nested commands. */
static void
begin(parser *p, frame *f, size_t pos)
{
	builder *b = &f->b;
	dd_shell *out = p->out;

	if (b->slot != DD_SH_NONE || b->discard)
		return;
	out->cmds = grow(p->arena, out->cmds, out->ncmds, &p->cap, out->ncmds + 1, sizeof(*out->cmds));
	b->slot = out->ncmds++;
	dd_sh_cmd *c = &out->cmds[b->slot];
	memset(c, 0, sizeof(*c));
	c->depth = f->depth;
	c->parent = f->parent;
	c->nest = f->nest;
	c->start = c->end = b->end = orig(f->t, pos);
	for (int k = 0; k < W__MAX; k++)
		b->base[k] = p->stk[k].n;
}

static void
extend(builder *b, uint32_t end)
{
	if (end > b->end)
		b->end = end;
}

/* The command being built is complete: store it, tokenize its -c script. */
static void
end_cmd(parser *p, frame *f, dd_sh_join join)
{
	builder *b = &f->b;

	if (b->slot != DD_SH_NONE) {
		dd_sh_cmd *c = &p->out->cmds[b->slot];
		c->redirs = take_words(p, b, W_REDIRS, &c->nredirs);
		c->assigns = take_words(p, b, W_ASSIGNS, &c->nassigns);
		c->words = take_words(p, b, W_WORDS, &c->nwords);
		c->join = join;
		c->end = b->end;
		c->compound = b->compound;
		f->last = b->slot;
		shell_script(p, f, b);
	}
	builder_reset(p, b);
}

/* The end of a list: its last command joins nothing. */
static void
finish_list(parser *p, frame *f)
{
	end_cmd(p, f, DD_SH_END);
	if (f->last != DD_SH_NONE) {
		dd_sh_cmd *c = &p->out->cmds[f->last];
		if (c->join == DD_SH_AND || c->join == DD_SH_OR || c->join == DD_SH_PIPE)
			p->out->incomplete = true;
		if (c->join != DD_SH_BACKGROUND)
			c->join = DD_SH_END;
	}
	if (f->ncase)
		p->out->incomplete = true;
}

/* Add a scanned word to the command: an assignment, an argument or a discarded word. */
static void
add_word(parser *p, frame *f, const dd_sh_word *w, const uint32_t *map, size_t start, size_t end)
{
	builder *b = &f->b;

	if (b->discard) {
		b->ndiscard++;
		return;
	}
	extend(b, w->end);
	size_t n = nwords(p, b, W_WORDS);
	if (n == 0 && !b->compound && is_assignment(f->t, start, end)) {
		push_word(p, W_ASSIGNS, w);
		return;
	}
	if (map && b->nmaps < MAX_MAPS)
		b->maps[b->nmaps++] = (cmap){ n, map };
	if (n == 0 && !w->quoted && streq(w->text, w->len, "[["))
		b->cond = true;
	else if (b->cond && !w->quoted && streq(w->text, w->len, "]]"))
		b->cond = false;
	push_word(p, W_WORDS, w);
}

/* May the word at pos be the script of -c? Then its byte map is kept. */
static bool
wants_map(const parser *p, const builder *b, const text *t, size_t pos)
{
	if (b->discard)
		return false;
	if ((t->len - pos > 10 && memcmp(t->s + pos, "--command=", 10) == 0) ||
	    (t->len - pos > 18 && memcmp(t->s + pos, "--session-command=", 18) == 0))
		return true;
	if (nwords(p, b, W_WORDS) < 2)
		return false;
	const dd_sh_word *prev = &p->stk[W_WORDS].v[p->stk[W_WORDS].n - 1];
	if (prev->len < 2 || prev->text[0] != '-')
		return false;
	if (prev->text[1] != '-')
		return memchr(prev->text, 'c', prev->len) != NULL;
	return streq(prev->text, prev->len, "--command") ||
	    streq(prev->text, prev->len, "--session-command");
}

/* ---- here-documents and redirections ---- */

/* Skip one here-document body from pos (a line start) past its delimiter line. */
static size_t
skip_body(parser *p, const text *t, size_t pos, const heredoc *h)
{
	while (pos < t->len) {
		const char *nl = memchr(t->s + pos, '\n', t->len - pos);
		size_t eol = nl ? (size_t)(nl - t->s) : t->len, a = pos;
		if (h->strip)
			while (a < eol && t->s[a] == '\t')
				a++;
		size_t n = eol - a;
		if (n == h->len + 1 && t->s[eol - 1] == '\r')
			n--;
		pos = nl ? eol + 1 : t->len;
		if (n == h->len && memcmp(t->s + a, h->delim, n) == 0)
			return pos;
	}
	p->out->incomplete = true;
	return t->len;
}

/* At a newline: the bodies of pending here-documents follow; skip them as data. */
static size_t
skip_bodies(parser *p, const text *t, size_t pos)
{
	for (size_t k = p->hdfloor; k < p->nhd; k++)
		pos = skip_body(p, t, pos, &p->hd[k]);
	p->nhd = p->hdfloor;
	return pos;
}

static void
push_heredoc(parser *p, const dd_sh_word *w, bool strip)
{
	p->hd = grow(p->arena, p->hd, p->nhd, &p->hdcap, p->nhd + 1, sizeof(*p->hd));
	p->hd[p->nhd++] = (heredoc){ w->text, w->len, strip };
}

/* The redirection operator at pos and its length. */
static dd_sh_redir
redir_op(const text *t, size_t pos, size_t *n)
{
	char c = t->s[pos], d = at(t, pos + 1), e = at(t, pos + 2);

	*n = 2;
	if (c == '&') {
		*n = d == '>' && e == '>' ? 3 : 2;
		return *n == 3 ? DD_SH_R_APPEND_ALL : DD_SH_R_OUT_ALL;
	}
	if (c == '<') {
		if (d == '<') {
			*n = e == '<' || e == '-' ? 3 : 2;
			return e == '<' ? DD_SH_R_HERESTRING : DD_SH_R_HEREDOC;
		}
		if (d == '&')
			return DD_SH_R_DUP_IN;
		if (d == '>')
			return DD_SH_R_INOUT;
		*n = 1;
		return DD_SH_R_IN;
	}
	if (d == '>')
		return DD_SH_R_APPEND;
	if (d == '&')
		return DD_SH_R_DUP_OUT;
	if (d != '|')
		*n = 1;
	return DD_SH_R_OUT;
}

/* Skip spaces, tabs and line continuations (not newlines). */
static size_t
skip_blanks(const text *t, size_t pos)
{
	while (pos < t->len) {
		char c = t->s[pos], d = at(t, pos + 1);
		if (c == ' ' || c == '\t' || (c == '\r' && d == '\n'))
			pos++;
		else if (c == '\\' && d == '\n')
			pos += 2;
		else if (c == '\\' && d == '\r' && at(t, pos + 2) == '\n')
			pos += 3;
		else
			break;
	}
	return pos;
}

/* The redirection at pos (fd: the descriptor written before it, or -1). */
static void
redirect(parser *p, frame *f, size_t *pos, int fd)
{
	const text *t = f->t;
	builder *b = &f->b;
	size_t n, i = *pos;
	dd_sh_redir kind = redir_op(t, i, &n);
	dd_sh_word w;

	begin(p, f, i);
	extend(b, orig_end(t, i + n));
	size_t j = skip_blanks(t, i + n);
	bool procsub = (at(t, j) == '<' || at(t, j) == '>') && at(t, j + 1) == '(';
	if (ends_word(t, j) && !procsub) {
		p->out->incomplete = true;	/* no target */
		*pos = i + n;
		return;
	}
	*pos = scan_word(p, f, j, &w, NULL);
	w.redir = kind;
	w.fd = fd;
	if (kind == DD_SH_R_HEREDOC)
		push_heredoc(p, &w, at(t, i + 2) == '-');
	if (!b->discard) {
		extend(b, w.end);
		push_word(p, W_REDIRS, &w);
	}
}

/* The descriptor of an IO number (digits just before < or >), or -1. */
static int
io_number(const text *t, size_t start, size_t end)
{
	int fd = 0;

	if (end >= t->len || (t->s[end] != '<' && t->s[end] != '>'))
		return -1;
	for (size_t i = start; i < end; i++) {
		if (t->s[i] < '0' || t->s[i] > '9')
			return -1;
		if (fd < 100000)
			fd = fd * 10 + (t->s[i] - '0');
	}
	return end > start ? fd : -1;
}

/* ---- operators ---- */


/* ;; ;& ;;& end a case item; the next words are patterns. */
static void
case_next(parser *p, frame *f, size_t *pos)
{
	const text *t = f->t;
	size_t i = *pos;

	*pos = i + (at(t, i + 1) == ';' && at(t, i + 2) == '&' ? 3 : 2);
	if (f->ncase && f->cstate == C_BODY) {
		end_cmd(p, f, DD_SH_SEMI);
		f->cstate = C_PAT;
		f->b.discard = true;
	} else if (!(f->ncase && f->cstate == C_PAT)) {
		p->out->incomplete = true;	/* ;; outside a case */
		end_cmd(p, f, DD_SH_SEMI);
	}
}

/* ; & && || | |& and newline end a command. */
static void
separator(parser *p, frame *f, size_t *pos)
{
	const text *t = f->t;
	size_t i = *pos, n = 1;
	char c = t->s[i], d = at(t, i + 1);
	dd_sh_join join = DD_SH_SEMI;

	if (c == ';' && (d == ';' || d == '&')) {
		case_next(p, f, pos);
		return;
	}
	if (c == '&') {
		join = d == '&' ? DD_SH_AND : DD_SH_BACKGROUND;
		n = d == '&' ? 2 : 1;
	} else if (c == '|') {
		join = d == '|' ? DD_SH_OR : DD_SH_PIPE;
		n = d == '|' || d == '&' ? 2 : 1;
	}
	*pos = i + n;
	/* in a case word or pattern line, | separates patterns */
	if (!(f->ncase && (f->cstate == C_SUBJ || f->cstate == C_PAT)))
		end_cmd(p, f, join);
	if (c == '\n')
		*pos = skip_bodies(p, t, *pos);
}

/* A ( … ) or { …; } node: its list is tokenized one level deeper. */
static void
group(parser *p, frame *f, size_t *pos, size_t open, int stop, dd_sh_nest nest)
{
	builder *b = &f->b;

	begin(p, f, open);
	b->compound = true;
	*pos = parse_nested(p, f, *pos, stop, nest);
	extend(b, orig_end(f->t, *pos));
}

/* name ( ): a function definition; the name is not a command. */
static bool
func_def(parser *p, frame *f, size_t *pos)
{
	builder *b = &f->b;
	size_t j = skip_blanks(f->t, *pos);

	if (b->slot == DD_SH_NONE || b->discard || b->compound || nwords(p, b, W_WORDS) != 1 ||
	    nwords(p, b, W_ASSIGNS) || nwords(p, b, W_REDIRS) || at(f->t, j) != ')')
		return false;
	if (b->slot + 1 == p->out->ncmds) {
		p->out->ncmds--;
		builder_reset(p, b);
	} else {
		end_cmd(p, f, DD_SH_SEMI);	/* the name held a substitution */
	}
	*pos = j + 1;
	return true;
}

static void
open_paren(parser *p, frame *f, size_t *pos)
{
	const text *t = f->t;
	builder *b = &f->b;
	size_t i = *pos;

	*pos = i + 1;
	if (f->ncase && f->cstate == C_PAT)
		return;		/* the optional ( of a pattern */
	if (func_def(p, f, pos))
		return;
	if (b->slot != DD_SH_NONE || b->discard) {
		p->out->incomplete = true;	/* ( inside a command */
		end_cmd(p, f, DD_SH_SEMI);
	}
	if (at(t, i + 1) == '(') {
		*pos = skip_flat(p, t, i + 2, "))");	/* (( arithmetic )) */
		return;
	}
	group(p, f, pos, i, STOP_PAREN, DD_SH_SUBSHELL);
}

/* Returns true at the closer of a ( … ) list. */
static bool
close_paren(parser *p, frame *f, size_t *pos)
{
	if (f->ncase && f->cstate == C_PAT) {
		builder_reset(p, &f->b);
		f->cstate = C_BODY;
		(*pos)++;
		return false;
	}
	if (f->stop == STOP_PAREN)
		return true;
	p->out->incomplete = true;	/* a ) that closes nothing */
	end_cmd(p, f, DD_SH_SEMI);
	(*pos)++;
	return false;
}

/* Inside [[ … ]]: && || ( ) < > are words of the test. */
static bool
cond_word(parser *p, frame *f, size_t *pos)
{
	const text *t = f->t;
	builder *b = &f->b;
	size_t i = *pos, n = 1;
	char c = t->s[i], d = at(t, i + 1);

	if ((c == '&' && d == '&') || (c == '|' && d == '|'))
		n = 2;
	else if (c == '(')
		b->condparen++;
	else if (c == ')' && b->condparen > 0)
		b->condparen--;
	else if (c != '<' && c != '>')
		return false;
	dd_sh_word w = {
		.text = pool_text(p, t->s + i, n), .len = n,
		.start = orig(t, i), .end = orig_end(t, i + n), .fd = -1
	};
	extend(b, w.end);
	push_word(p, W_WORDS, &w);
	*pos = i + n;
	return true;
}

/* ---- reserved words ---- */

static int
keyword_at(const text *t, size_t pos, size_t *end)
{
	size_t e = pos;

	while (e < t->len && e - pos < 9 && ((t->s[e] >= 'a' && t->s[e] <= 'z') ||
	    t->s[e] == '!' || t->s[e] == '{' || t->s[e] == '}'))
		e++;
	if (e == pos || !ends_word(t, e))
		return KW_NONE;
	for (size_t k = 0; k < DD_ARRAY_LEN(keywords); k++) {
		if (keywords[k].len == e - pos && memcmp(t->s + pos, keywords[k].name, e - pos) == 0) {
			*end = e;
			return keywords[k].kw;
		}
	}
	return KW_NONE;
}

static void
case_pop(parser *p, frame *f)
{
	f->ncase--;
	f->cstate = f->ncase ? C_BODY : C_NONE;
	builder_reset(p, &f->b);
}

/* Words after for/select up to ; newline or do are not a command. */
static void
for_list(parser *p, frame *f, size_t *pos)
{
	size_t j = skip_blanks(f->t, *pos);

	f->b.discard = f->b.fors = true;
	if (at(f->t, j) == '(' && at(f->t, j + 1) == '(')
		*pos = skip_flat(p, f->t, j + 2, "))");	/* for ((i = 0; …)) */
}

/* A reserved word where a command starts. Returns true at the list's closing }. */
static bool
keyword(parser *p, frame *f, int kw, size_t *pos, size_t end)
{
	size_t open = *pos;

	if (kw == KW_RBRACE && f->stop == STOP_BRACE)
		return true;
	end_cmd(p, f, DD_SH_SEMI);	/* a ( … ) or { …; } before it: (a) then … */
	*pos = end;
	switch (kw) {
	case KW_LBRACE:
		group(p, f, pos, open, STOP_BRACE, DD_SH_GROUP);
		break;
	case KW_RBRACE:
		p->out->incomplete = true;	/* a } that closes nothing */
		break;
	case KW_CASE:
		f->ncase++;
		f->cstate = C_SUBJ;
		f->b.discard = true;
		break;
	case KW_ESAC:
		if (f->ncase)
			case_pop(p, f);
		else
			p->out->incomplete = true;
		break;
	case KW_FOR: case KW_SELECT:
		for_list(p, f, pos);
		break;
	case KW_FUNCTION:
		f->b.discard = f->b.func = true;
		break;
	default:
		break;		/* if then else elif fi do done while until !: separators */
	}
	return false;
}

/* Reserved words inside discarded words: for x do, case x in, esac. */
static bool
discard_keyword(parser *p, frame *f, int kw, size_t *pos, size_t end)
{
	builder *b = &f->b;

	if (b->fors && kw == KW_DO && b->ndiscard == 1)
		builder_reset(p, b);
	else if (!b->fors && f->cstate == C_SUBJ && kw == KW_IN && b->ndiscard >= 1) {
		f->cstate = C_PAT;
		b->ndiscard = 0;
	} else if (!b->fors && f->cstate == C_PAT && kw == KW_ESAC && b->ndiscard == 0)
		case_pop(p, f);
	else
		return false;
	*pos = end;
	return true;
}

/* After `function name`: an optional (), then the body. */
static void
function_name(parser *p, frame *f, size_t *pos)
{
	const text *t = f->t;
	size_t j = skip_blanks(t, *pos);

	builder_reset(p, &f->b);
	if (at(t, j) != '(')
		return;
	j = skip_blanks(t, j + 1);
	if (at(t, j) == ')')
		*pos = j + 1;
}

/* ---- the list ---- */

/* A word at pos: a reserved word, an IO number, an assignment or an argument. */
static bool
word(parser *p, frame *f, size_t *pos)
{
	const text *t = f->t;
	builder *b = &f->b;
	size_t start = *pos, kend = start;
	int kw = keyword_at(t, start, &kend);
	const uint32_t *map = NULL;
	dd_sh_word w;

	if (kw != KW_NONE && kw != KW_IN && !b->discard && (b->slot == DD_SH_NONE || b->compound))
		return keyword(p, f, kw, pos, kend);
	if (kw != KW_NONE && b->discard && discard_keyword(p, f, kw, pos, kend))
		return false;
	begin(p, f, start);
	size_t end = scan_word(p, f, start, &w, wants_map(p, b, t, start) ? &map : NULL);
	int fd = io_number(t, start, end);
	*pos = end;
	if (fd >= 0) {
		redirect(p, f, pos, fd);
		return false;
	}
	add_word(p, f, &w, map, start, end);
	if (b->func)
		function_name(p, f, pos);
	return false;
}

/* One token at pos. Returns true at the list's closer, left unconsumed. */
static bool
token(parser *p, frame *f, size_t *pos)
{
	const text *t = f->t;
	size_t i = *pos;
	char c = t->s[i], d = at(t, i + 1);

	if (c == '#') {
		const char *nl = memchr(t->s + i, '\n', t->len - i);
		*pos = nl ? (size_t)(nl - t->s) : t->len;
		return false;
	}
	if (f->b.cond && cond_word(p, f, pos))
		return false;
	if ((c == '<' || c == '>') && d == '(')
		return word(p, f, pos);
	if (c == '<' || c == '>' || (c == '&' && d == '>')) {
		redirect(p, f, pos, -1);
		return false;
	}
	if (c == '(') {
		open_paren(p, f, pos);
		return false;
	}
	if (c == ')')
		return close_paren(p, f, pos);
	if (c == ';' || c == '&' || c == '|' || c == '\n') {
		separator(p, f, pos);
		return false;
	}
	return word(p, f, pos);
}

/* Tokenize commands from pos to the end of the text or the list's closer (returned). */
static size_t
parse_list(parser *p, frame *f, size_t pos)
{
	p->nest++;
	for (;;) {
		pos = skip_blanks(f->t, pos);
		if (pos >= f->t->len || token(p, f, &pos))
			break;
	}
	finish_list(p, f);
	p->nest--;
	return pos < f->t->len ? pos : f->t->len;
}

/* Tokenize a whole text: the script, backtick contents or a -c argument. */
static void
parse_text(parser *p, const text *t, unsigned depth, size_t parent, dd_sh_nest nest)
{
	size_t floor = p->hdfloor;
	frame f;

	/* here-documents of an enclosing text wait for its own newline */
	p->hdfloor = p->nhd;
	frame_init(&f, t, depth, parent, nest, STOP_END);
	parse_list(p, &f, 0);
	p->nhd = p->hdfloor;
	p->hdfloor = floor;
}

/* ---- public API ---- */

void
dd_shell_parse(dd_shell *out, const char *script, size_t len, struct dd_arena *arena)
{
	parser p;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	if (!script)
		len = 0;
	if (len > SCRIPT_MAX) {
		len = SCRIPT_MAX;
		out->incomplete = true;
	}
	p.out = out;
	p.arena = arena;
	p.poolchunk = len < 4096 ? len + 1 : 4096;
	text t = { script ? script : "", len, NULL, 0, (uint32_t)len };
	parse_text(&p, &t, 0, DD_SH_NONE, DD_SH_TOP);
}

const char *
dd_sh_basename(const dd_sh_word *w, size_t *len)
{
	size_t i;

	if (!w || !w->text) {
		if (len)
			*len = 0;
		return "";
	}
	for (i = w->len; i > 0 && w->text[i - 1] != '/'; i--)
		;
	if (len)
		*len = w->len - i;
	return w->text + i;
}

static bool
option_matches(const dd_sh_word *w, const char *opt, size_t n)
{
	const char *s = w->text;

	if (w->len == n && memcmp(s, opt, n) == 0)
		return true;
	if (n > 2 && opt[0] == '-' && opt[1] == '-')
		return w->len > n && memcmp(s, opt, n) == 0 && s[n] == '=';
	if (n != 2 || opt[0] != '-' || opt[1] == '-' || w->len < 2 || s[0] != '-' || s[1] == '-')
		return false;
	for (size_t k = 1; k < w->len && is_letter(s[k]); k++)
		if (s[k] == opt[1])
			return true;
	return false;
}

bool
dd_sh_has_option(const dd_sh_cmd *c, const char *opt)
{
	size_t n;

	if (!c || !opt || !*opt)
		return false;
	n = strlen(opt);
	for (size_t i = 1; i < c->nwords; i++) {
		if (streq(c->words[i].text, c->words[i].len, "--"))
			return false;
		if (option_matches(&c->words[i], opt, n))
			return true;
	}
	return false;
}
