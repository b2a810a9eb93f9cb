/*
 * External scanner for the Dockerfile grammar: every token of a Dockerfile is
 * lexed here, so that BuildKit's line rules hold everywhere: the escape
 * character chosen by `# escape=`, continuations (with the comment and empty
 * lines BuildKit drops inside them), parser directives only at the top, and
 * heredoc bodies after the line that opens them.
 *
 * A continuation inside or right after a token becomes part of that token;
 * consumers rebuild logical lines from the bytes (the library does it with
 * the same rules, from df_lex.h).
 */
#include "tree_sitter/parser.h"

#include "df_lex.h"

#include <stdio.h>
#include <string.h>

/* Same order as `externals` in grammar.js. */
enum token {
	EOL, NEWLINE, LINE_CONTINUATION, COMMENT,
	DIRECTIVE_START, DIRECTIVE_NAME, DIRECTIVE_EQ, DIRECTIVE_VALUE,
	KW_FROM, KW_RUN, KW_CMD, KW_LABEL, KW_MAINTAINER, KW_EXPOSE, KW_ENV,
	KW_ADD, KW_COPY, KW_ENTRYPOINT, KW_VOLUME, KW_USER, KW_WORKDIR, KW_ARG,
	KW_ONBUILD, KW_STOPSIGNAL, KW_HEALTHCHECK, KW_SHELL,
	KW_AS, KW_NONE, KW_CMD_TYPE,
	WS, FLAG_NAME, MOUNT_FLAG_NAME, FLAG_END,
	EQ, COMMA, COLON, DQ_OPEN, DQ_CLOSE, SQ_OPEN, SQ_CLOSE,
	DOLLAR, DOLLAR_BRACE, RBRACE, JSON_OPEN, JSON_CLOSE,
	CHUNK, PAIR_KEY, LEGACY_KEY, USER_CHUNK, PARAM_KEY_CHUNK,
	PARAM_VALUE_CHUNK, DQ_CHUNK, SQ_CHUNK, BRACE_CHUNK, JSON_CHUNK,
	VARIABLE_NAME, EXPANSION_OPERATOR, SHELL_FRAGMENT,
	HEREDOC_MARKER, HEREDOC_CONTENT, HEREDOC_END,
	ERROR_SENTINEL
};

/* The scanner's entry points, called by the generated parser. */
void *tree_sitter_dockerfile_external_scanner_create(void);
void tree_sitter_dockerfile_external_scanner_destroy(void *);
unsigned tree_sitter_dockerfile_external_scanner_serialize(void *, char *);
void tree_sitter_dockerfile_external_scanner_deserialize(void *, const char *, unsigned);
bool tree_sitter_dockerfile_external_scanner_scan(void *, TSLexer *, const bool *);

static const char *const keywords[] = {
	"from", "run", "cmd", "label", "maintainer", "expose", "env", "add",
	"copy", "entrypoint", "volume", "user", "workdir", "arg", "onbuild",
	"stopsignal", "healthcheck", "shell",
};

#define MAX_HEREDOCS 32
#define NAMES_MAX 800

typedef struct {
	uint32_t escape;
	bool prologue_done;  /* parser directives are no longer recognised */
	bool after_directive; /* the next newline ends a directive line */
	bool prev_escape;    /* the last token ended with the escape character */
	uint8_t hd_count;    /* heredocs opened by the current instruction */
	uint8_t hd_done;     /* bodies already read */
	uint8_t hd_markers;  /* markers already seen on the line */
	bool hd_chomp[MAX_HEREDOCS];
	uint16_t hd_len[MAX_HEREDOCS];
	uint16_t names_used;
	uint8_t depth;       /* open quotes and ${ of the current word */
	char nest[8];        /* 'd' "…", 's' '…', 'b' ${…} */
	char names[NAMES_MAX];
	df_buf scratch; /* working memory, not part of the state */
} Scanner;

/* The lexer plus what the current token has seen so far. */
typedef struct {
	TSLexer *lx;
	Scanner *s;
	const bool *valid;
	uint32_t prev;        /* last character taken into the token */
	uint32_t marked_prev; /* the character before the marked end */
	bool taken;           /* something was taken */
	bool marked;          /* the token has a non-empty end */
	bool cont_blanks;     /* the line after the last continuation starts with blanks (taken) */
	bool lookahead;       /* only looking: mark() does nothing */
} Lx;

/* ---- lexer primitives ----------------------------------------------------- */

static inline uint32_t
peek(Lx *x)
{
	return (uint32_t)x->lx->lookahead;
}

static inline bool
at_eof(Lx *x)
{
	return x->lx->eof(x->lx);
}

static inline bool
at_lf(Lx *x)
{
	return at_eof(x) || x->lx->lookahead == '\n';
}

static inline void
take(Lx *x)
{
	x->prev = (uint32_t)x->lx->lookahead;
	x->taken = true;
	x->lx->advance(x->lx, false);
}

static inline void
skip(Lx *x)
{
	x->lx->advance(x->lx, true);
}

static inline void
mark(Lx *x)
{
	if (x->lookahead)
		return;
	x->lx->mark_end(x->lx);
	x->marked_prev = x->prev;
	x->marked = x->taken;
}

/* Close the innermost open construct of kind k (and what it holds). */
static void
nest_pop(Scanner *s, char k)
{
	while (s->depth > 0)
		if (s->nest[--s->depth] == k)
			return;
}

static void
nest_push(Scanner *s, char k)
{
	if (s->depth < sizeof(s->nest))
		s->nest[s->depth++] = k;
}

/* Track quotes and ${ so that "…${x:-…}…" knows where it is. */
static void
nest_update(Scanner *s, enum token t)
{
	switch (t) {
	case DQ_OPEN:
		nest_push(s, 'd');
		break;
	case SQ_OPEN:
		nest_push(s, 's');
		break;
	case DOLLAR_BRACE:
		nest_push(s, 'b');
		break;
	case DQ_CLOSE:
		nest_pop(s, 'd');
		break;
	case SQ_CLOSE:
		nest_pop(s, 's');
		break;
	case RBRACE:
		nest_pop(s, 'b');
		break;
	case EOL:
	case NEWLINE:
	case WS:
		s->depth = 0; /* a word ends: unclosed quotes end with it */
		break;
	default:
		break;
	}
}

static inline char
nest_top(const Scanner *s)
{
	return s->depth ? s->nest[s->depth - 1] : 0;
}

static bool
emit(Lx *x, enum token t)
{
	x->lx->result_symbol = (TSSymbol)t;
	x->s->prev_escape = x->marked_prev == x->s->escape && x->s->escape != 0;
	nest_update(x->s, t);
	return true;
}

/* Unicode whitespace other than the line feed. */
static inline bool
is_blank(uint32_t c)
{
	return c != '\n' && df_uc_is_space(c);
}

/* Was the character before the current position the escape character? */
static inline bool
prev_is_escape(Lx *x)
{
	return x->taken ? x->prev == x->s->escape : x->s->prev_escape;
}

/* Take a run of CRs; true if the line ends right after them. */
static bool
take_crs_to_eol(Lx *x)
{
	while (peek(x) == '\r' && !at_eof(x))
		take(x);
	return at_lf(x);
}

/*
 * After a continuation's newline: take the comment lines and empty lines
 * that BuildKit drops, marking after each. Stops at the start of the next
 * line with content (its leading blanks untaken).
 */
static void
take_dropped_lines(Lx *x)
{
	x->cont_blanks = false;
	for (;;) {
		if (at_eof(x))
			return;
		/* Leading blanks are only looked at: a content line keeps them. */
		bool blanks = false;
		while (!at_eof(x) && is_blank(peek(x))) {
			take(x);
			blanks = true;
		}
		if (at_eof(x)) {
			if (blanks)
				mark(x);
			return;
		}
		if (peek(x) == '\n') {
			take(x);
			mark(x);
			continue;
		}
		if (peek(x) == '#') {
			while (!at_lf(x))
				take(x);
			if (!at_eof(x))
				take(x);
			mark(x);
			continue;
		}
		/*
		 * A content line. Its leading blanks are taken (not marked): they
		 * separate words, so the caller is told.
		 */
		x->cont_blanks = blanks;
		return;
	}
}

enum esc {
	ESC_CONT, /* a continuation was taken and marked */
	ESC_MORE, /* content was taken and marked; the token may go on */
	ESC_STOP  /* content was taken and marked; more was taken: end the token */
};

/*
 * At the escape character inside a token that includes it. `pairs`: the
 * escape makes the next character literal; `blanks_stop`: an unescaped
 * blank would end the token.
 */
static enum esc
take_escape(Lx *x, bool pairs, bool blanks_stop)
{
	bool after_escape = prev_is_escape(x);
	take(x); /* the escape character */
	if (after_escape) {
		/* "\\\" at the end of a line is not a continuation */
		mark(x);
		if (pairs && !at_lf(x)) {
			take(x);
			mark(x);
		}
		return ESC_MORE;
	}
	if (at_lf(x)) {
		if (!at_eof(x))
			take(x);
		mark(x);
		take_dropped_lines(x);
		return ESC_CONT;
	}
	uint32_t c = peek(x);
	if (c != ' ' && c != '\t' && c != '\r') {
		if (pairs)
			take(x);
		mark(x);
		return ESC_MORE;
	}
	/* Escape and a blank: an escaped blank, or blanks before the newline. */
	take(x);
	mark(x);
	size_t more = 0;
	if (c != '\r') {
		while (peek(x) == ' ' || peek(x) == '\t') {
			take(x);
			more++;
		}
	}
	while (peek(x) == '\r' && !at_eof(x)) {
		take(x);
		more++;
	}
	if (at_lf(x)) {
		if (!at_eof(x))
			take(x);
		mark(x);
		take_dropped_lines(x);
		return ESC_CONT;
	}
	if (more == 0)
		return ESC_MORE;
	if (!pairs || !blanks_stop) {
		/* the blanks are content too */
		mark(x);
		return ESC_MORE;
	}
	return ESC_STOP;
}

/*
 * At the escape character, where it cannot be part of the current token:
 * take a continuation if there is one (marking after it and the lines it
 * drops). Otherwise the token ends at its last mark, before the escape.
 */
static bool
try_continuation(Lx *x)
{
	bool after_escape = prev_is_escape(x);
	take(x); /* always, so that a caller's loop moves on */
	if (after_escape)
		return false;
	while (peek(x) == ' ' || peek(x) == '\t')
		take(x);
	if (!take_crs_to_eol(x))
		return false;
	if (!at_eof(x))
		take(x);
	mark(x);
	take_dropped_lines(x);
	return true;
}

/* ---- heredoc bookkeeping ------------------------------------------------- */

static void
heredoc_reset(Scanner *s)
{
	s->hd_count = s->hd_done = s->hd_markers = 0;
	s->names_used = 0;
}

static void
heredoc_add(void *ctx, const df_heredoc *h)
{
	Scanner *s = ctx;
	if (s->hd_count >= MAX_HEREDOCS || h->name_len > (size_t)(NAMES_MAX - s->names_used))
		return; /* out of room: the library reports the unmatched heredoc */
	memcpy(s->names + s->names_used, h->name, h->name_len);
	s->hd_len[s->hd_count] = (uint16_t)h->name_len;
	s->hd_chomp[s->hd_count] = h->chomp;
	s->names_used = (uint16_t)(s->names_used + h->name_len);
	s->hd_count++;
}

static size_t
heredoc_name_offset(const Scanner *s, size_t i)
{
	size_t off = 0;
	for (size_t k = 0; k < i; k++)
		off += s->hd_len[k];
	return off;
}

static inline bool
heredoc_marker_pending(const Scanner *s)
{
	return s->hd_markers < s->hd_count;
}

static void
buf_truncate(df_buf *b, size_t len)
{
	b->len = len;
	if (b->ptr)
		b->ptr[len] = '\0';
}

/*
 * After a continuation's newline, collecting: skip the lines BuildKit drops
 * and keep the leading blanks of the next content line. False at the end.
 */
static bool
collect_next_line(Lx *x)
{
	df_buf *b = &x->s->scratch;
	for (;;) {
		if (at_eof(x))
			return false;
		size_t start = b->len;
		while (!at_eof(x) && is_blank(peek(x))) {
			df_buf_put_rune(b, peek(x));
			take(x);
		}
		if (at_eof(x)) {
			buf_truncate(b, start);
			return false;
		}
		if (peek(x) == '\n' || peek(x) == '#') {
			buf_truncate(b, start);
			while (!at_lf(x))
				take(x);
			if (!at_eof(x))
				take(x);
			continue;
		}
		return true;
	}
}

/*
 * Take the rest of the logical line (continuations joined, dropped lines
 * left out) and append it to s->scratch. Nothing is marked.
 */
static void
collect_logical_line(Lx *x)
{
	df_buf *b = &x->s->scratch;
	while (!at_lf(x)) {
		uint32_t c = peek(x);
		if (c == '\r') {
			size_t n = 0;
			while (peek(x) == '\r' && !at_eof(x)) {
				take(x);
				n++;
			}
			if (at_lf(x))
				return;
			while (n--)
				df_buf_putc(b, '\r');
			continue;
		}
		if (c == x->s->escape && !prev_is_escape(x)) {
			size_t start = b->len;
			df_buf_put_rune(b, c);
			take(x);
			while (peek(x) == ' ' || peek(x) == '\t') {
				df_buf_put_rune(b, peek(x));
				take(x);
			}
			size_t crs = 0;
			while (peek(x) == '\r' && !at_eof(x)) {
				take(x);
				crs++;
			}
			if (!at_lf(x)) {
				while (crs--)
					df_buf_putc(b, '\r');
				continue;
			}
			buf_truncate(b, start); /* a continuation joins the lines */
			if (at_eof(x))
				return;
			take(x);
			if (!collect_next_line(x))
				return;
			continue;
		}
		df_buf_put_rune(b, c);
		take(x);
	}
}

/* ---- text tokens ----------------------------------------------------------- */

enum mode {
	M_NONE, M_CHUNK, M_USER, M_PKEY, M_PVALUE, M_DQ, M_SQ, M_BRACE, M_JSON, M_SHELL
};

static const enum token mode_tokens[] = {
	[M_NONE] = ERROR_SENTINEL, [M_CHUNK] = CHUNK, [M_USER] = USER_CHUNK,
	[M_PKEY] = PARAM_KEY_CHUNK, [M_PVALUE] = PARAM_VALUE_CHUNK,
	[M_DQ] = DQ_CHUNK, [M_SQ] = SQ_CHUNK, [M_BRACE] = BRACE_CHUNK,
	[M_JSON] = JSON_CHUNK, [M_SHELL] = SHELL_FRAGMENT,
};

/* The text token the grammar accepts here, if any. */
static enum mode
text_mode(const Scanner *s, const bool *v)
{
	/* inside quotes or ${…}, the innermost one decides */
	switch (nest_top(s)) {
	case 's':
		if (v[SQ_CHUNK])
			return M_SQ;
		break;
	case 'd':
		if (v[DQ_CHUNK])
			return M_DQ;
		break;
	case 'b':
		if (v[BRACE_CHUNK])
			return M_BRACE;
		break;
	default:
		break;
	}
	if (v[SQ_CHUNK])
		return M_SQ;
	if (v[DQ_CHUNK])
		return M_DQ;
	if (v[JSON_CHUNK])
		return M_JSON;
	if (v[BRACE_CHUNK])
		return M_BRACE;
	if (v[SHELL_FRAGMENT])
		return M_SHELL;
	if (v[USER_CHUNK])
		return M_USER;
	if (v[PARAM_KEY_CHUNK])
		return M_PKEY;
	if (v[PARAM_VALUE_CHUNK])
		return M_PVALUE;
	if (v[CHUNK])
		return M_CHUNK;
	return M_NONE;
}

/* Unquoted word parts end at a blank. */
static inline bool
blanks_stop(enum mode m)
{
	return m == M_CHUNK || m == M_USER || m == M_PKEY || m == M_PVALUE;
}

/* The escape character protects the next character. */
static inline bool
escape_pairs(enum mode m)
{
	return m != M_SQ;
}

/* $NAME and ${NAME…} are expansions here. */
static inline bool
expands(enum mode m)
{
	return m != M_SQ && m != M_JSON && m != M_SHELL && m != M_NONE;
}

static bool
stops_at(enum mode m, uint32_t c)
{
	switch (m) {
	case M_CHUNK:
		return c == '"' || c == '\'';
	case M_USER:
		return c == '"' || c == '\'' || c == ':';
	case M_PKEY:
		return c == '"' || c == '\'' || c == '=' || c == ',';
	case M_PVALUE:
		return c == '"' || c == '\'' || c == ',';
	case M_DQ:
	case M_JSON:
		return c == '"';
	case M_SQ:
		return c == '\'';
	case M_BRACE:
		return c == '}' || c == '"' || c == '\'';
	default:
		return false;
	}
}

/* First character of a variable name in $NAME (BuildKit processName). */
static inline bool
starts_name(uint32_t c)
{
	return df_uc_is_letter(c) || df_uc_is_digit(c) || c == '_' || c == '@' ||
	       c == '*' || c == '#' || c == '?' || c == '-' || c == '$' ||
	       c == '!';
}

/* At a word start in a shell fragment: is a heredoc marker next? Takes it. */
static bool
marker_ahead(Lx *x)
{
	while (peek(x) >= '0' && peek(x) <= '9')
		take(x);
	if (peek(x) != '<')
		return false;
	take(x);
	return peek(x) == '<';
}

/*
 * A run of text of mode m, from the current position (the caller may have
 * taken and marked a first part). Ends before whatever the mode stops at.
 */
static bool
lex_text(Lx *x, enum mode m)
{
	Scanner *s = x->s;
	bool shell = m == M_SHELL, word_start = false;
	uint32_t q = 0; /* open quote inside a shell fragment */

	while (!at_lf(x)) {
		uint32_t c = peek(x);
		if (c == s->escape) {
			bool ws_before = word_start;
			enum esc r = take_escape(x, escape_pairs(m), blanks_stop(m));
			if (r == ESC_STOP)
				break;
			if (r == ESC_CONT && x->cont_blanks) {
				if (blanks_stop(m))
					break; /* the next line's blanks separate words */
				if (!shell)
					mark(x);
			}
			word_start = r == ESC_CONT && !q && (ws_before || x->cont_blanks);
			continue;
		}
		if (m == M_JSON && c == '\\') {
			take(x); /* a JSON escape protects the next character */
			/* continuations (escape `) may come between the two */
			bool protected_taken = false;
			while (!at_lf(x) && peek(x) == s->escape && !protected_taken)
				protected_taken = take_escape(x, false, false) != ESC_CONT;
			if (!at_lf(x) && !protected_taken)
				take(x);
			mark(x);
			continue;
		}
		if (is_blank(c)) {
			if (blanks_stop(m))
				break;
			if (c == '\r') {
				if (take_crs_to_eol(x))
					break;
			} else {
				take(x);
			}
			if (!shell)
				mark(x);
			else if (!q)
				word_start = true;
			continue;
		}
		if (stops_at(m, c))
			break;
		if (c == '$' && expands(m)) {
			take(x);
			if (starts_name(peek(x)))
				break; /* an expansion starts at the '$' */
			if (peek(x) == '{') {
				take(x);
				if (starts_name(peek(x)))
					break;
			}
			mark(x);
			continue;
		}
		if (shell) {
			if (word_start && !q && x->taken && heredoc_marker_pending(s) &&
			    (c == '<' || (c >= '0' && c <= '9'))) {
				mark(x);
				if (marker_ahead(x))
					break;
				mark(x);
				word_start = false;
				continue;
			}
			if (!q && (c == '\'' || c == '"'))
				q = c;
			else if (q && c == q)
				q = 0;
			word_start = false;
		}
		take(x);
		mark(x);
	}
	if (!x->marked) {
		/* only blanks or CRs before the end of the line: that is the line's end */
		if (at_lf(x) && x->valid[EOL]) {
			if (!at_eof(x))
				take(x);
			mark(x);
			return emit(x, EOL);
		}
		return false;
	}
	return emit(x, mode_tokens[m]);
}

/* A token of mode m whose first part is already taken and marked. */
static bool
text_or_fail(Lx *x, enum mode m)
{
	if (m == M_NONE)
		return false;
	return lex_text(x, m);
}

/* ---- blanks and line ends --------------------------------------------------- */

/*
 * Blanks, continuations and the end of the logical line: _eol when only
 * blanks and continuations remain on it, else _ws.
 */
static bool
scan_space(Lx *x)
{
	for (;;) {
		if (at_lf(x))
			break;
		uint32_t c = peek(x);
		if (c == '\r') {
			if (take_crs_to_eol(x))
				break;
			mark(x);
			continue;
		}
		if (is_blank(c)) {
			take(x);
			mark(x);
			continue;
		}
		if (c == x->s->escape && try_continuation(x)) {
			if (x->cont_blanks)
				mark(x); /* the next line's leading blanks */
			continue;
		}
		/* content follows */
		if (x->marked && x->valid[WS])
			return emit(x, WS);
		return false;
	}
	if (x->valid[EOL]) {
		if (!at_eof(x))
			take(x);
		mark(x);
		return emit(x, EOL);
	}
	if (x->marked && x->valid[WS])
		return emit(x, WS);
	return false;
}

/* ---- keywords ---------------------------------------------------------------- */

static int
keyword_index(const char *kw)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(kw, keywords[i]) == 0)
			return (int)i;
	return -1;
}

/* Decide which heredocs the instruction starting with this keyword opens. */
static void
heredoc_analyse(Lx *x, const char *raw, size_t n)
{
	Scanner *s = x->s;
	char err[256];
	heredoc_reset(s);
	df_buf_clear(&s->scratch);
	df_buf_put(&s->scratch, raw, n);
	collect_logical_line(x);
	const char *line = s->scratch.ptr;
	size_t len = s->scratch.len;
	if (!df_has_heredoc_marker(line, len) || !df_line_allows_heredocs(line, len, s->escape))
		return;
	if (df_heredocs_from_line(line, len, heredoc_add, s, err, sizeof(err)) < 0)
		heredoc_reset(s); /* BuildKit fails the parse; the library says why */
}

/*
 * An instruction keyword (case-insensitive), ended by a blank or the end of
 * the line; a continuation may split it. `top`: at the start of a statement.
 */
static bool
scan_keyword(Lx *x, bool top)
{
	char raw[16], kw[16];
	size_t n = 0;
	while (!at_lf(x)) {
		uint32_t c = peek(x);
		if (df_is_field_blank(c))
			break;
		if (c == x->s->escape) {
			if (!try_continuation(x))
				return false; /* an escape in the keyword: not a keyword */
			if (x->cont_blanks)
				break;
			continue;
		}
		if (c >= 0x80 && n > 0 && is_blank(c)) {
			/* Go's TrimSpace drops Unicode blanks at the end of the line
			 * before the keyword is split off: the keyword ends here if
			 * nothing else follows (the token stays at the mark). */
			while (!at_lf(x) && is_blank(peek(x)))
				take(x);
			if (!at_lf(x))
				return false;
			break;
		}
		if (n >= 15 || c >= 0x80)
			return false;
		raw[n] = (char)c;
		kw[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		take(x);
		mark(x);
	}
	kw[n] = '\0';
	int i = n ? keyword_index(kw) : -1;
	if (i < 0 || !x->valid[KW_FROM + i])
		return false;
	enum token t = (enum token)(KW_FROM + i);
	if (top) {
		x->s->prologue_done = true;
		heredoc_reset(x->s);
		if (t == KW_RUN || t == KW_COPY || t == KW_ADD || t == KW_ONBUILD)
			heredoc_analyse(x, raw, n);
	}
	return emit(x, t);
}

/* AS in FROM, NONE and CMD in HEALTHCHECK; anything else is a plain word. */
static bool
scan_word_keyword(Lx *x, enum mode m)
{
	const bool *v = x->valid;
	char w[8];
	size_t n = 0;
	while (!at_lf(x) && n < 5) {
		uint32_t c = peek(x);
		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			break;
		w[n++] = (char)(c | 0x20);
		take(x);
		mark(x);
	}
	w[n] = '\0';
	uint32_t c = peek(x);
	bool ends = at_lf(x) || is_blank(c);
	if (n > 0 && c == x->s->escape) {
		/* a continuation ends the word only if a blank or the end follows */
		ends = try_continuation(x) && (x->cont_blanks || at_lf(x));
	}
	enum token t = ERROR_SENTINEL;
	if (ends && v[KW_AS] && strcmp(w, "as") == 0)
		t = KW_AS;
	else if (ends && v[KW_NONE] && strcmp(w, "none") == 0)
		t = KW_NONE;
	else if (ends && v[KW_CMD_TYPE] && strcmp(w, "cmd") == 0)
		t = KW_CMD_TYPE;
	if (t == KW_AS) {
		/* `FROM image AS` with nothing after: AS is just a word */
		x->lookahead = true;
		while (!at_lf(x) && (is_blank(peek(x)) || peek(x) == x->s->escape)) {
			if (peek(x) == x->s->escape) {
				if (!try_continuation(x))
					break;
				continue;
			}
			take(x);
		}
		x->lookahead = false;
		if (at_lf(x))
			t = ERROR_SENTINEL;
	}
	if (t != ERROR_SENTINEL)
		return emit(x, t);
	if (n > 0 && ends)
		return m == M_NONE ? false : emit(x, mode_tokens[m]);
	return text_or_fail(x, m);
}

/* ---- flags, keys, punctuation ---------------------------------------------- */

static bool scan_key(Lx *x);

/*
 * The word started (and was marked) as something else, a flag or an escape:
 * go on as the key or the text the grammar wants here.
 */
static bool
other_word(Lx *x, enum mode m)
{
	if (x->valid[PAIR_KEY] || x->valid[LEGACY_KEY])
		return scan_key(x);
	return text_or_fail(x, m);
}

/* --name (up to '=' or a blank), or the word "--" that ends the flags. */
static bool
scan_flag(Lx *x, enum mode m)
{
	const bool *v = x->valid;
	take(x);
	if (peek(x) != '-') {
		mark(x);
		return other_word(x, m);
	}
	take(x);
	mark(x);
	uint32_t c = peek(x);
	if ((at_lf(x) || is_blank(c)) && v[FLAG_END])
		return emit(x, FLAG_END);
	char name[8];
	size_t n = 0;
	uint32_t q = 0; /* a quote runs to its match or to the end of the line */
	while (!at_lf(x)) {
		c = peek(x);
		if (!q && (c == '=' || is_blank(c)))
			break;
		if (c == x->s->escape) {
			enum esc r = take_escape(x, true, !q);
			if (r == ESC_STOP || (r == ESC_CONT && x->cont_blanks && !q))
				break;
			if (r != ESC_CONT)
				n = sizeof(name); /* not a plain name */
			continue;
		}
		if (c == '\\') {
			/* BuildKit's flag splitter pairs a backslash whatever the escape */
			take(x);
			if (!at_lf(x))
				take(x);
			mark(x);
			n = sizeof(name);
			continue;
		}
		if (q && c == '\r') {
			if (take_crs_to_eol(x))
				break;
			mark(x);
			continue;
		}
		if (c == '"' || c == '\'') {
			if (!q)
				q = c;
			else if (q == c)
				q = 0;
			n = sizeof(name);
		}
		if (n < sizeof(name) - 1)
			name[n] = (char)c;
		n++;
		take(x);
		mark(x);
	}
	if (n == 5 && memcmp(name, "mount", 5) == 0 && v[MOUNT_FLAG_NAME])
		return emit(x, MOUNT_FLAG_NAME);
	if (v[FLAG_NAME])
		return emit(x, FLAG_NAME);
	return text_or_fail(x, m);
}

/*
 * ENV/LABEL/ARG names: a word (quotes and escapes kept) up to its first '='.
 * Where the legacy form is possible, a first word without '=' is the legacy
 * name (`ENV name value`).
 */
static bool
scan_key(Lx *x)
{
	uint32_t q = 0;
	bool eq = false;
	while (!at_lf(x)) {
		uint32_t c = peek(x);
		if (c == '=') {
			eq = true;
			break;
		}
		if (c == x->s->escape) {
			enum esc r = take_escape(x, q != '\'', q == 0);
			if (r == ESC_STOP || (r == ESC_CONT && x->cont_blanks && !q))
				break;
			continue;
		}
		if (is_blank(c)) {
			if (!q)
				break;
			if (c == '\r') {
				if (take_crs_to_eol(x))
					break;
				mark(x);
				continue;
			}
		} else if (c == '"' || c == '\'') {
			if (!q)
				q = c;
			else if (q == c)
				q = 0;
		}
		take(x);
		mark(x);
	}
	if (!eq && x->valid[LEGACY_KEY])
		return x->marked ? emit(x, LEGACY_KEY) : false;
	if (!x->valid[PAIR_KEY])
		return false;
	if (!x->marked)
		mark(x); /* an empty name: BuildKit's parser keeps it */
	return emit(x, PAIR_KEY);
}

static bool
single(Lx *x, enum token t)
{
	take(x);
	mark(x);
	return emit(x, t);
}

/* $NAME or ${NAME…}; a '$' that starts neither is text. */
static bool
scan_dollar(Lx *x, enum mode m)
{
	const bool *v = x->valid;
	take(x);
	if (v[DOLLAR] && starts_name(peek(x))) {
		mark(x);
		return emit(x, DOLLAR);
	}
	if (peek(x) == '{') {
		take(x);
		mark(x);
		if (v[DOLLAR_BRACE] && starts_name(peek(x)))
			return emit(x, DOLLAR_BRACE);
	} else {
		mark(x);
	}
	return text_or_fail(x, m);
}

/* BuildKit processName: a run of digits, one special character, or a word. */
static bool
scan_variable_name(Lx *x)
{
	uint32_t c = peek(x);
	if (df_uc_is_digit(c)) {
		while (df_uc_is_digit(peek(x))) {
			take(x);
			mark(x);
		}
		return emit(x, VARIABLE_NAME);
	}
	if (!df_uc_is_letter(c) && c != '_') {
		if (!starts_name(c))
			return false;
		return single(x, VARIABLE_NAME);
	}
	for (;;) {
		c = peek(x);
		if (c == x->s->escape) {
			if (!try_continuation(x) || x->cont_blanks)
				break;
			continue;
		}
		if (at_lf(x) || !(df_uc_is_letter(c) || df_uc_is_digit(c) || c == '_'))
			break;
		take(x);
		mark(x);
	}
	return emit(x, VARIABLE_NAME);
}

/* After ${NAME: an operator (:- :+ :? - + ? # ## % %% / // or any other). */
static bool
scan_operator(Lx *x)
{
	uint32_t c = peek(x);
	if (at_lf(x) || c == '}')
		return false;
	take(x);
	if (c == ':') {
		if (!at_lf(x))
			take(x);
	} else if ((c == '#' || c == '%' || c == '/') && peek(x) == c) {
		take(x);
	}
	mark(x);
	return emit(x, EXPANSION_OPERATOR);
}

/*
 * A heredoc opener (<<EOF, <<-"EOF", 3<<EOF …) where the line has one left
 * to see; otherwise the word is text of mode m.
 */
static bool
scan_marker(Lx *x, enum mode m)
{
	df_buf *b = &x->s->scratch;
	uint32_t q = 0;
	df_buf_clear(b);
	while (!at_lf(x)) {
		uint32_t c = peek(x);
		if (c == x->s->escape) {
			if (try_continuation(x)) {
				if (x->cont_blanks && !q)
					break;
				continue;
			}
			df_buf_put_rune(b, c); /* an ordinary escape: taken above */
			mark(x);
			continue;
		}
		if (!q && is_blank(c))
			break;
		if (!q && (c == '\'' || c == '"'))
			q = c;
		else if (q && c == q)
			q = 0;
		else if (c == '\\' && q != '\'') {
			/* heredoc words always escape with a backslash (BuildKit's own lexer) */
			df_buf_put_rune(b, c);
			take(x);
			mark(x);
			if (at_lf(x))
				break;
			c = peek(x);
		}
		df_buf_put_rune(b, c);
		take(x);
		mark(x);
		/* "<<" (after digits) and the blanks right after it stay one word */
		if (b->len >= 2 && memcmp(b->ptr + b->len - 2, "<<", 2) == 0 &&
		    strspn(b->ptr, "0123456789") == b->len - 2) {
			while (peek(x) == ' ' || peek(x) == '\t') {
				df_buf_put_rune(b, peek(x));
				take(x);
			}
		}
	}
	df_heredoc h;
	df_buf name = {0};
	char err[256];
	int rc = b->len ? df_heredoc_word(b->ptr, b->len, &h, &name, err, sizeof(err)) : 0;
	df_buf_free(&name);
	if (rc > 0) {
		x->s->hd_markers++;
		return emit(x, HEREDOC_MARKER);
	}
	if (!x->marked)
		return false;
	return m == M_SHELL ? lex_text(x, m) : emit(x, mode_tokens[m]);
}

/* '[' that opens an exec-form (JSON) argument, else text. */
static bool
scan_json_open(Lx *x, enum mode m)
{
	Scanner *s = x->s;
	take(x);
	mark(x);
	df_buf_clear(&s->scratch);
	df_buf_putc(&s->scratch, '[');
	collect_logical_line(x);
	size_t len = df_trim_right(s->scratch.ptr, s->scratch.len);
	if (df_json_string_array(s->scratch.ptr, len, NULL, NULL) == DF_JSON_OK)
		return emit(x, JSON_OPEN);
	if (m == M_NONE)
		return false;
	return emit(x, mode_tokens[m]);
}

/* ---- line starts: comments, directives, keywords ----------------------------- */

/* The rest of a comment line, up to (not including) its line end. */
static bool
finish_comment(Lx *x)
{
	mark(x);
	while (!at_lf(x)) {
		bool cr = peek(x) == '\r';
		take(x);
		if (!cr)
			mark(x);
	}
	x->s->prologue_done = true;
	return emit(x, COMMENT);
}

static void
set_escape_from_value(Lx *x)
{
	df_buf *b = &x->s->scratch;
	df_buf_clear(b);
	while (!at_lf(x)) {
		df_buf_put_rune(b, peek(x));
		take(x);
	}
	size_t a = 0, e = b->len;
	while (a < e && df_is_re_space((unsigned char)b->ptr[a]))
		a++;
	while (e > a && df_is_re_space((unsigned char)b->ptr[e - 1]))
		e--;
	if (e - a == 1 && (b->ptr[a] == '\\' || b->ptr[a] == '`'))
		x->s->escape = (unsigned char)b->ptr[a];
}

/*
 * A '#' line: a parser directive while they are still recognised (a known
 * key, '=', a value), else a comment.
 */
static bool
scan_hash_line(Lx *x)
{
	Scanner *s = x->s;
	take(x);
	if (s->prologue_done || !x->valid[DIRECTIVE_START])
		return finish_comment(x);
	while (!at_lf(x) && df_is_re_space(peek(x)))
		take(x);
	mark(x);
	char key[8];
	size_t n = 0;
	if (((peek(x) | 0x20) >= 'a' && (peek(x) | 0x20) <= 'z')) {
		while (!at_lf(x) && peek(x) < 0x80 && df_is_alnum_ascii((unsigned char)peek(x))) {
			if (n < sizeof(key) - 1)
				key[n] = (char)peek(x);
			n++;
			take(x);
		}
	}
	int kind = n < sizeof(key) ? df_directive_kind(key, n) : DF_DIRECTIVE_NONE;
	while (!at_lf(x) && df_is_re_space(peek(x)))
		take(x);
	bool ok = kind != DF_DIRECTIVE_NONE && peek(x) == '=' && !at_lf(x);
	if (ok) {
		take(x);
		ok = !take_crs_to_eol(x); /* the value needs a character */
	}
	if (!ok)
		return finish_comment(x);
	if (kind == DF_DIRECTIVE_ESCAPE)
		set_escape_from_value(x);
	s->after_directive = true;
	return emit(x, DIRECTIVE_START);
}

static bool
scan_line_start(Lx *x)
{
	Scanner *s = x->s;
	bool skipped = false;
	while (!at_eof(x) && is_blank(peek(x))) {
		skip(x);
		skipped = true;
	}
	if (at_eof(x)) {
		/* blanks on a last line without a newline: end the file cleanly */
		if (!skipped || !x->valid[NEWLINE])
			return false;
		mark(x);
		return emit(x, NEWLINE);
	}
	uint32_t c = peek(x);
	if (c == '\n') {
		take(x);
		mark(x);
		if (!s->after_directive)
			s->prologue_done = true;
		s->after_directive = false;
		return emit(x, NEWLINE);
	}
	if (c == '#')
		return scan_hash_line(x);
	s->prologue_done = true;
	if (c == s->escape) {
		if (try_continuation(x))
			return emit(x, LINE_CONTINUATION);
		return false; /* a keyword cannot start with the escape character */
	}
	return scan_keyword(x, true);
}

static bool
scan_directive_part(Lx *x)
{
	const bool *v = x->valid;
	if (v[DIRECTIVE_NAME]) {
		while (!at_lf(x) && peek(x) < 0x80 && df_is_alnum_ascii((unsigned char)peek(x))) {
			take(x);
			mark(x);
		}
		return x->marked ? emit(x, DIRECTIVE_NAME) : false;
	}
	if (v[DIRECTIVE_EQ]) {
		while (!at_lf(x) && df_is_re_space(peek(x)))
			take(x);
		if (peek(x) != '=')
			return false;
		return single(x, DIRECTIVE_EQ);
	}
	/* the value: from its first non-blank to its last one */
	while (!at_lf(x) && df_is_re_space(peek(x)))
		skip(x);
	mark(x);
	while (!at_lf(x)) {
		bool blank = df_is_re_space(peek(x));
		take(x);
		if (!blank)
			mark(x);
	}
	return emit(x, DIRECTIVE_VALUE);
}

/* ---- heredoc bodies -------------------------------------------------------- */

/* Take the current line while comparing it with the terminator. */
static bool
take_terminator_line(Lx *x, const char *name, size_t len, bool chomp)
{
	if (chomp)
		while (peek(x) == '\t')
			take(x);
	size_t i = 0;
	bool match = true;
	while (!at_lf(x) && peek(x) != '\r') {
		char u[4];
		uint32_t c = peek(x);
		size_t w = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		df_buf tmp = { u, 0, sizeof(u) + 1 };
		(void)tmp;
		/* encode c to compare bytes with the UTF-8 name */
		if (w == 1) {
			u[0] = (char)c;
		} else if (w == 2) {
			u[0] = (char)(0xC0 | (c >> 6));
			u[1] = (char)(0x80 | (c & 0x3F));
		} else if (w == 3) {
			u[0] = (char)(0xE0 | (c >> 12));
			u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[2] = (char)(0x80 | (c & 0x3F));
		} else {
			u[0] = (char)(0xF0 | (c >> 18));
			u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[3] = (char)(0x80 | (c & 0x3F));
		}
		if (match && i + w <= len && memcmp(name + i, u, w) == 0)
			i += w;
		else
			match = false;
		take(x);
	}
	if (!take_crs_to_eol(x)) {
		/* CRs inside the line: not a terminator; take the rest */
		while (!at_lf(x))
			take(x);
		return false;
	}
	return match && i == len;
}

static bool
scan_heredoc(Lx *x)
{
	Scanner *s = x->s;
	size_t i = s->hd_done;
	const char *name = s->names + heredoc_name_offset(s, i);
	bool content = false;
	while (!at_eof(x)) {
		if (take_terminator_line(x, name, s->hd_len[i], s->hd_chomp[i])) {
			if (content)
				return emit(x, HEREDOC_CONTENT);
			if (!at_eof(x))
				take(x);
			mark(x);
			if (++s->hd_done == s->hd_count)
				heredoc_reset(s);
			return emit(x, HEREDOC_END);
		}
		if (!x->valid[HEREDOC_CONTENT])
			return false;
		if (!at_eof(x))
			take(x);
		mark(x);
		content = true;
	}
	return content ? emit(x, HEREDOC_CONTENT) : false;
}

/* ---- dispatch ----------------------------------------------------------------- */

static bool
scan_quote(Lx *x, uint32_t c)
{
	const bool *v = x->valid;
	bool dq = c == '"';
	enum token open = dq ? DQ_OPEN : SQ_OPEN, close = dq ? DQ_CLOSE : SQ_CLOSE;
	if (v[close] && nest_top(x->s) == (dq ? 'd' : 's'))
		return single(x, close);
	if (v[close] && (v[dq ? DQ_CHUNK : SQ_CHUNK] || v[JSON_CHUNK]) && nest_top(x->s) != 'b')
		return single(x, close);
	if (v[open] && v[BRACE_CHUNK])
		return single(x, open);
	if (v[close])
		return single(x, close);
	if (v[open])
		return single(x, open);
	return false;
}

static bool
scan_inline(Lx *x)
{
	const bool *v = x->valid;
	Scanner *s = x->s;
	enum mode m = text_mode(s, v);
	uint32_t c = peek(x);

	if (at_lf(x))
		return scan_space(x);
	/* the parts of ${NAME…} come first: it may sit inside a string */
	if (nest_top(s) == 'b') {
		if (v[VARIABLE_NAME])
			return scan_variable_name(x);
		if (c == '}' && v[RBRACE])
			return single(x, RBRACE);
		if (v[EXPANSION_OPERATOR])
			return scan_operator(x);
	}
	if (m == M_SQ)
		return c == '\'' ? scan_quote(x, c) : lex_text(x, m);
	if (m == M_DQ || m == M_JSON) {
		if (c == '"')
			return scan_quote(x, c);
		if (c == '$' && m == M_DQ)
			return scan_dollar(x, m);
		return lex_text(x, m);
	}
	if (is_blank(c)) {
		if (m == M_BRACE || (m == M_SHELL && !v[WS]))
			return lex_text(x, m);
		return scan_space(x);
	}
	if (c == s->escape) {
		enum esc r = take_escape(x, escape_pairs(m), blanks_stop(m));
		if (r == ESC_CONT)
			return emit(x, LINE_CONTINUATION);
		if (r == ESC_STOP && (v[PAIR_KEY] || v[LEGACY_KEY]))
			return emit(x, v[LEGACY_KEY] ? LEGACY_KEY : PAIR_KEY);
		if (r == ESC_STOP)
			return m == M_NONE ? false : emit(x, mode_tokens[m]);
		return other_word(x, m);
	}
	if (c == '-' && (v[FLAG_NAME] || v[FLAG_END] || v[MOUNT_FLAG_NAME]) &&
	    (v[FLAG_NAME] || v[FLAG_END]))
		return scan_flag(x, m);
	if (v[KW_FROM] && !v[NEWLINE])
		return scan_keyword(x, false);
	if (v[PAIR_KEY] || v[LEGACY_KEY])
		return scan_key(x);
	if (c == '[' && v[JSON_OPEN])
		return scan_json_open(x, m);
	if (c == ']' && v[JSON_CLOSE])
		return single(x, JSON_CLOSE);
	if (c == '"' || c == '\'') {
		if (scan_quote(x, c))
			return true;
		return m == M_NONE ? false : lex_text(x, m);
	}
	if (c == '}' && v[RBRACE])
		return single(x, RBRACE);
	if (c == '=' && v[EQ])
		return single(x, EQ);
	if (c == ',' && v[COMMA])
		return single(x, COMMA);
	if (c == ':' && v[COLON])
		return single(x, COLON);
	if (v[VARIABLE_NAME])
		return scan_variable_name(x);
	if (v[EXPANSION_OPERATOR])
		return scan_operator(x);
	if (c == '$' && (v[DOLLAR] || v[DOLLAR_BRACE]))
		return scan_dollar(x, m);
	if (v[HEREDOC_MARKER] && heredoc_marker_pending(s) && (c == '<' || (c >= '0' && c <= '9')))
		return scan_marker(x, m);
	if (v[KW_AS] || v[KW_NONE] || v[KW_CMD_TYPE])
		return scan_word_keyword(x, m);
	if (m == M_NONE)
		return false;
	return lex_text(x, m);
}

static bool
scan(Scanner *s, TSLexer *lexer, const bool *valid)
{
	Lx x = { lexer, s, valid, 0, 0, false, false, false, false };
	if (valid[ERROR_SENTINEL]) {
		/* error recovery: resynchronise at the start of a line */
		if (lexer->get_column(lexer) != 0)
			return false;
		return scan_line_start(&x);
	}
	if (s->hd_done < s->hd_count && (valid[HEREDOC_CONTENT] || valid[HEREDOC_END]))
		return scan_heredoc(&x);
	if (valid[NEWLINE])
		return scan_line_start(&x);
	if (valid[DIRECTIVE_NAME] || valid[DIRECTIVE_EQ] || valid[DIRECTIVE_VALUE])
		return scan_directive_part(&x);
	return scan_inline(&x);
}

/* ---- tree-sitter entry points ---------------------------------------------- */

void *
tree_sitter_dockerfile_external_scanner_create(void)
{
	Scanner *s = calloc(1, sizeof(Scanner));
	if (!s)
		abort();
	s->escape = '\\';
	return s;
}

void
tree_sitter_dockerfile_external_scanner_destroy(void *p)
{
	Scanner *s = p;
	df_buf_free(&s->scratch);
	free(s);
}

/* Layout: escape, flags, heredoc counts, nesting, per heredoc (chomp, length), names. */
unsigned
tree_sitter_dockerfile_external_scanner_serialize(void *p, char *buf)
{
	Scanner *s = p;
	unsigned n = 0;
	buf[n++] = (char)(s->escape == '`');
	buf[n++] = (char)(s->prologue_done | s->after_directive << 1 | s->prev_escape << 2);
	buf[n++] = (char)s->hd_count;
	buf[n++] = (char)s->hd_done;
	buf[n++] = (char)s->hd_markers;
	buf[n++] = (char)s->depth;
	memcpy(buf + n, s->nest, s->depth);
	n += s->depth;
	for (size_t i = 0; i < s->hd_count; i++) {
		buf[n++] = (char)s->hd_chomp[i];
		buf[n++] = (char)(s->hd_len[i] & 0xFF);
		buf[n++] = (char)(s->hd_len[i] >> 8);
	}
	memcpy(buf + n, s->names, s->names_used);
	return n + s->names_used;
}

void
tree_sitter_dockerfile_external_scanner_deserialize(void *p, const char *buf, unsigned len)
{
	Scanner *s = p;
	df_buf scratch = s->scratch;
	memset(s, 0, offsetof(Scanner, scratch));
	s->scratch = scratch;
	s->escape = '\\';
	if (len < 6)
		return;
	s->escape = buf[0] ? '`' : '\\';
	s->prologue_done = buf[1] & 1;
	s->after_directive = (buf[1] >> 1) & 1;
	s->prev_escape = (buf[1] >> 2) & 1;
	s->hd_count = (uint8_t)buf[2];
	s->hd_done = (uint8_t)buf[3];
	s->hd_markers = (uint8_t)buf[4];
	s->depth = (uint8_t)buf[5];
	if (s->depth > sizeof(s->nest) || 6u + s->depth > len) {
		s->depth = 0;
		heredoc_reset(s);
		return;
	}
	memcpy(s->nest, buf + 6, s->depth);
	unsigned n = 6 + s->depth;
	for (size_t i = 0; i < s->hd_count && n + 3 <= len; i++) {
		s->hd_chomp[i] = buf[n] != 0;
		s->hd_len[i] = (uint16_t)((unsigned char)buf[n + 1] | (unsigned char)buf[n + 2] << 8);
		s->names_used = (uint16_t)(s->names_used + s->hd_len[i]);
		n += 3;
	}
	if (s->names_used > len - n || s->names_used > NAMES_MAX) {
		heredoc_reset(s);
		return;
	}
	memcpy(s->names, buf + n, s->names_used);
}

bool
tree_sitter_dockerfile_external_scanner_scan(void *p, TSLexer *lexer, const bool *valid)
{
	return scan(p, lexer, valid);
}
