/*
 * BuildKit's line-level Dockerfile rules: parser directives, the split of a
 * logical line into keyword, flags and arguments, word splitting for
 * ENV/LABEL/ARG, and heredoc openers. Header-only so that the tree-sitter
 * scanner and the drydock library apply exactly the same rules.
 *
 * Reference: moby/buildkit frontend/dockerfile/parser (parser.go,
 * split_command.go, line_parsers.go, directives.go), described in
 * shared/research/buildkit-parser.md §1–§4.
 */
#ifndef DF_LEX_H
#define DF_LEX_H

#include "df_common.h"
#include "df_unicode.h"
#include "df_json.h"
#include "df_shell.h"

#include <stdio.h>

/* BuildKit's reWhitespace: the blanks that separate keyword and fields. */
static inline bool
df_is_field_blank(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Go regexp's \s: the blanks of the directive and heredoc patterns. */
static inline bool
df_is_re_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static inline bool
df_is_alnum_ascii(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Whether s[0..len) contains "<<" (memmem is not standard C). */
static inline bool
df_has_heredoc_marker(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '<' && s[i + 1] == '<')
			return true;
	return false;
}

static inline bool
df_ascii_ieq(const char *a, size_t alen, const char *lower)
{
	size_t n = strlen(lower);
	if (alen != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)a[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)lower[i])
			return false;
	}
	return true;
}

/* Length of the Unicode whitespace (Go unicode.IsSpace) that starts s. */
static inline size_t
df_space_prefix(const char *s, size_t len)
{
	size_t i = 0, w;
	while (i < len) {
		uint32_t c = df_utf8_decode((const unsigned char *)s + i, len - i, &w);
		if (!df_uc_is_space(c) || (c == DF_RUNE_ERROR && w == 1))
			break;
		i += w;
	}
	return i;
}

/* Length of s without its trailing Unicode whitespace. */
static inline size_t
df_trim_right(const char *s, size_t len)
{
	while (len > 0) {
		size_t i = len - 1;
		/* back up to the first byte of the last UTF-8 sequence */
		while (i > 0 && len - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
		size_t w;
		uint32_t c = df_utf8_decode((const unsigned char *)s + i, len - i, &w);
		if (i + w != len) {
			/* the last byte is not a whole sequence: not a space */
			break;
		}
		if (!df_uc_is_space(c))
			break;
		len = i;
	}
	return len;
}

/* ---- parser directives --------------------------------------------------- */

enum { DF_DIRECTIVE_NONE = -1, DF_DIRECTIVE_SYNTAX, DF_DIRECTIVE_ESCAPE, DF_DIRECTIVE_CHECK };

typedef struct {
	size_t key, key_len;     /* offsets into the line */
	size_t value, value_len;
} df_directive;

/*
 * Match BuildKit's ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ against a
 * line whose leading whitespace and trailing CR/LF are already removed.
 */
static inline bool
df_directive_match(const char *s, size_t len, df_directive *d)
{
	size_t i = 0;
	if (len == 0 || s[0] != '#')
		return false;
	i = 1;
	while (i < len && df_is_re_space((unsigned char)s[i]))
		i++;
	if (i >= len || !(((unsigned char)s[i] | 0x20) >= 'a' && ((unsigned char)s[i] | 0x20) <= 'z'))
		return false;
	d->key = i;
	while (i < len && df_is_alnum_ascii((unsigned char)s[i]))
		i++;
	d->key_len = i - d->key;
	while (i < len && df_is_re_space((unsigned char)s[i]))
		i++;
	if (i >= len || s[i] != '=')
		return false;
	i++;
	if (i >= len)
		return false; /* the value needs at least one character */
	size_t end = len;
	while (end > i && df_is_re_space((unsigned char)s[end - 1]))
		end--;
	size_t start = i;
	while (start < end && df_is_re_space((unsigned char)s[start]))
		start++;
	if (start == end) {
		/* only blanks after '=': the lazy group takes the last one */
		start = len - 1;
		end = len;
	}
	d->value = start;
	d->value_len = end - start;
	return true;
}

/* Which directive a key names (case-insensitive), or DF_DIRECTIVE_NONE. */
static inline int
df_directive_kind(const char *key, size_t len)
{
	if (df_ascii_ieq(key, len, "syntax"))
		return DF_DIRECTIVE_SYNTAX;
	if (df_ascii_ieq(key, len, "escape"))
		return DF_DIRECTIVE_ESCAPE;
	if (df_ascii_ieq(key, len, "check"))
		return DF_DIRECTIVE_CHECK;
	return DF_DIRECTIVE_NONE;
}

/* ---- keyword, flags, arguments ------------------------------------------- */

typedef struct {
	size_t kw, kw_len;   /* the keyword as written */
	size_t rest;         /* start of the text after the keyword's blanks */
	bool has_rest;       /* false: the line is only a keyword */
	size_t end;          /* end of the trimmed line */
} df_split;

/* BuildKit splitCommand: trim the line, cut at the first blank run. */
static inline void
df_split_command(const char *s, size_t len, df_split *out)
{
	size_t a = df_space_prefix(s, len);
	size_t b = a + df_trim_right(s + a, len - a);
	size_t i = a;
	while (i < b && !df_is_field_blank((unsigned char)s[i]))
		i++;
	out->kw = a;
	out->kw_len = i - a;
	out->end = b;
	while (i < b && df_is_field_blank((unsigned char)s[i]))
		i++;
	out->rest = i;
	out->has_rest = i < b;
}

/* Bytes that flag extraction treats as blanks: Go unicode.IsSpace(rune(byte)). */
static inline bool
df_is_flag_blank(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
}

/* A flag byte goes into the flag as the code point of the same value. */
static inline void
df_flag_put_byte(df_buf *w, unsigned char c)
{
	df_buf_put_rune(w, c);
}

/*
 * Receives one flag as BuildKit stores it (quotes removed, escapes applied,
 * bytes re-encoded as Latin-1) and the byte range of its word in the text.
 */
typedef void (*df_flag_cb)(void *ctx, const char *flag, size_t len, size_t start, size_t end);

/*
 * BuildKit extractBuilderFlags over s[0..len) (the text after the keyword).
 * Returns the offset where the arguments start (len when all was flags); the
 * caller trims the arguments. cb may be NULL.
 */
static inline size_t
df_extract_flags(const char *s, size_t len, uint32_t escape, df_flag_cb cb, void *ctx)
{
	df_buf w = {0};
	size_t pos = 0, start = 0;
	enum { SPACES, WORD, QUOTE } phase = SPACES;
	unsigned char quote = 0;
	bool blank_ok = false;
	size_t ret = len;

	for (pos = 0; pos <= len; pos++) {
		unsigned char c = pos < len ? (unsigned char)s[pos] : 0;
		if (phase == SPACES) {
			if (pos == len)
				break;
			if (df_is_flag_blank(c))
				continue;
			if (c != '-' || pos + 1 == len || s[pos + 1] != '-') {
				ret = pos;
				goto done;
			}
			phase = WORD;
			start = pos;
		}
		if (pos == len) {
			/* end of text inside a word: a final "--" is dropped */
			if (!(w.len == 2 && memcmp(w.ptr, "--", 2) == 0) && (blank_ok || w.len > 0) && cb)
				cb(ctx, w.ptr ? w.ptr : "", w.len, start, pos);
			break;
		}
		if (phase == WORD) {
			if (df_is_flag_blank(c)) {
				phase = SPACES;
				if (w.len == 2 && memcmp(w.ptr, "--", 2) == 0) {
					ret = pos;
					goto done;
				}
				if ((blank_ok || w.len > 0) && cb)
					cb(ctx, w.ptr ? w.ptr : "", w.len, start, pos);
				df_buf_clear(&w);
				blank_ok = false;
				continue;
			}
			if (c == '\'' || c == '"') {
				quote = c;
				blank_ok = true;
				phase = QUOTE;
				continue;
			}
			if (c == escape) {
				if (pos + 1 == len)
					continue; /* an escape at the very end is dropped */
				c = (unsigned char)s[++pos];
			}
			df_flag_put_byte(&w, c);
			continue;
		}
		/* QUOTE */
		if (c == quote) {
			phase = WORD;
			continue;
		}
		if (c == escape) {
			if (pos + 1 == len) {
				phase = WORD;
				continue;
			}
			c = (unsigned char)s[++pos];
		}
		df_flag_put_byte(&w, c);
	}
	ret = len;
done:
	df_buf_free(&w);
	return ret;
}

/* ---- ENV / LABEL / ARG words ---------------------------------------------- */

/* Receives one word (quotes and escapes kept) and its byte range in the text. */
typedef void (*df_word_cb)(void *ctx, const char *word, size_t len, size_t start, size_t end);

/*
 * BuildKit parseWords: split at Unicode whitespace outside quotes; quote and
 * escape characters stay in the words; an invalid UTF-8 byte becomes U+FFFD.
 * Returns the number of words.
 */
static inline size_t
df_parse_words(const char *s, size_t len, uint32_t escape, df_word_cb cb, void *ctx)
{
	df_buf w = {0};
	enum { SPACES, WORD, QUOTE } phase = SPACES;
	uint32_t quote = 0, c = 0;
	bool blank_ok = false;
	size_t n = 0, width = 0, start = 0;
	const unsigned char *u = (const unsigned char *)s;

	for (size_t pos = 0; pos <= len; pos += width) {
		if (pos != len)
			c = df_utf8_decode(u + pos, len - pos, &width);
		if (phase == SPACES) {
			if (pos == len)
				break;
			if (df_uc_is_space(c))
				continue;
			phase = WORD;
			start = pos;
		}
		if (pos == len) {
			if (blank_ok || w.len > 0) {
				if (cb)
					cb(ctx, w.ptr ? w.ptr : "", w.len, start, pos);
				n++;
			}
			break;
		}
		if (phase == WORD) {
			if (df_uc_is_space(c)) {
				phase = SPACES;
				if (blank_ok || w.len > 0) {
					if (cb)
						cb(ctx, w.ptr ? w.ptr : "", w.len, start, pos);
					n++;
				}
				df_buf_clear(&w);
				blank_ok = false;
				continue;
			}
			if (c == '\'' || c == '"') {
				quote = c;
				blank_ok = true;
				phase = QUOTE;
			}
			if (c == escape) {
				if (pos + width == len)
					continue; /* an escape at the very end is dropped */
				df_buf_put_rune(&w, c);
				pos += width;
				c = df_utf8_decode(u + pos, len - pos, &width);
			}
			df_buf_put_rune(&w, c);
			continue;
		}
		/* QUOTE */
		if (c == quote)
			phase = WORD;
		if (c == escape && quote != '\'') {
			if (pos + width == len) {
				phase = WORD;
				continue;
			}
			pos += width;
			df_buf_put_rune(&w, c);
			c = df_utf8_decode(u + pos, len - pos, &width);
		}
		df_buf_put_rune(&w, c);
	}
	df_buf_free(&w);
	return n;
}

static inline void
df_first_word_cb(void *ctx, const char *word, size_t len, size_t start, size_t end)
{
	int *state = ctx;
	(void)start;
	(void)end;
	if (*state == -1)
		*state = memchr(word, '=', len) != NULL;
}

/* ENV/LABEL: 1 if the first word holds '=' (name=value form), 0 if not, -1 if no word. */
static inline int
df_first_word_has_eq(const char *s, size_t len, uint32_t escape)
{
	int state = -1;
	df_parse_words(s, len, escape, df_first_word_cb, &state);
	return state;
}

/* ---- heredocs ------------------------------------------------------------ */

typedef struct {
	const char *name; /* NUL-terminated, valid during the callback */
	size_t name_len;
	unsigned fd;
	bool chomp;       /* <<- */
	bool expand;      /* the delimiter had no quotes */
} df_heredoc;

typedef void (*df_heredoc_cb)(void *ctx, const df_heredoc *h);

/* Keyword of s as BuildKit dispatches it, lower-cased into kw (size 16). */
static inline void
df_keyword_lower(const char *s, size_t len, char kw[16])
{
	size_t n = len < 15 ? len : 15;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		kw[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	kw[n] = '\0';
	if (len > 15)
		kw[0] = '\0'; /* longer than any keyword */
}

/* Would BuildKit's node for this logical line accept heredocs (canContainHeredoc)? */
static inline bool
df_line_allows_heredocs(const char *s, size_t len, uint32_t escape)
{
	df_split sp;
	char kw[16];
	df_split_command(s, len, &sp);
	df_keyword_lower(s + sp.kw, sp.kw_len, kw);
	if (strcmp(kw, "onbuild") == 0) {
		if (!sp.has_rest)
			return false;
		size_t a = sp.rest + df_extract_flags(s + sp.rest, sp.end - sp.rest, escape, NULL, NULL);
		a += df_space_prefix(s + a, sp.end - a);
		if (a >= sp.end)
			return false;
		s += a;
		len = sp.end - a;
		df_split_command(s, len, &sp);
		df_keyword_lower(s + sp.kw, sp.kw_len, kw);
	}
	if (strcmp(kw, "run") != 0 && strcmp(kw, "copy") != 0 && strcmp(kw, "add") != 0)
		return false;
	if (!sp.has_rest)
		return true;
	size_t a = sp.rest + df_extract_flags(s + sp.rest, sp.end - sp.rest, escape, NULL, NULL);
	a += df_space_prefix(s + a, sp.end - a);
	if (a >= sp.end)
		return true;
	return df_json_string_array(s + a, sp.end - a, NULL, NULL) != DF_JSON_OK;
}

/* Number of ' and " bytes in s. */
static inline size_t
df_count_quotes(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\'' || s[i] == '"';
	return n;
}

/*
 * BuildKit heredocFromMatch for one word of the line: ^(\d*)<<(-?)\s*([^<]*)$
 * with a non-empty remainder that unquotes to exactly one word. Returns 1 and
 * fills *h (name in *name) for an opener, 0 for none, -1 with err set when
 * BuildKit fails the whole parse.
 */
static inline int
df_heredoc_word(const char *w, size_t len, df_heredoc *h, df_buf *name, char *err, size_t errsz)
{
	size_t i = 0;
	unsigned fd = 0;
	while (i < len && w[i] >= '0' && w[i] <= '9') {
		fd = fd * 10 + (unsigned)(w[i] - '0');
		i++;
	}
	if (len - i < 2 || w[i] != '<' || w[i + 1] != '<')
		return 0;
	i += 2;
	bool chomp = i < len && w[i] == '-';
	if (chomp)
		i++;
	while (i < len && df_is_re_space((unsigned char)w[i]))
		i++;
	if (memchr(w + i, '<', len - i) || i == len)
		return 0;

	df_shell_opts o = {0};
	o.escape = '\\';
	o.skip_unset = true;
	df_shell_result plain = {0}, raw = {0};
	int rc = 0;
	if (df_shell_process(&o, w + i, len - i, &plain) != 0) {
		snprintf(err, errsz, "%s", plain.err);
		rc = -1;
		goto out;
	}
	if (plain.nwords != 1)
		goto out;
	o.raw_quotes = true;
	if (df_shell_process(&o, w + i, len - i, &raw) != 0) {
		snprintf(err, errsz, "%s", raw.err);
		rc = -1;
		goto out;
	}
	if (raw.nwords != 1) {
		snprintf(err, errsz, "internal lexing of heredoc produced inconsistent results: %.*s",
		         (int)(len - i), w + i);
		rc = -1;
		goto out;
	}
	size_t plen, rlen;
	const char *pw = df_shell_word_at(&plain, 0, &plen);
	const char *rw = df_shell_word_at(&raw, 0, &rlen);
	df_buf_clear(name);
	df_buf_put(name, pw, plen);
	h->name = name->ptr;
	h->name_len = plen;
	h->fd = fd;
	h->chomp = chomp;
	h->expand = df_count_quotes(pw, plen) == df_count_quotes(rw, rlen);
	rc = 1;
out:
	df_shell_result_free(&plain);
	df_shell_result_free(&raw);
	return rc;
}

/*
 * BuildKit heredocsFromLine: lex the whole logical line into shell words
 * (raw quotes and escapes, unset variables kept, escape always '\'); a line
 * that does not lex has no heredocs. Calls cb for each opener in order.
 * Returns the number of heredocs, or -1 with err set.
 */
static inline int
df_heredocs_from_line(const char *s, size_t len, df_heredoc_cb cb, void *ctx, char *err, size_t errsz)
{
	if (!df_has_heredoc_marker(s, len))
		return 0;
	df_shell_opts o = {0};
	o.escape = '\\';
	o.raw_quotes = true;
	o.raw_escapes = true;
	o.skip_unset = true;
	df_shell_result r = {0};
	int n = 0;
	if (df_shell_process(&o, s, len, &r) != 0)
		goto out;
	df_buf name = {0};
	for (size_t k = 0; k < r.nwords; k++) {
		size_t wl;
		const char *w = df_shell_word_at(&r, k, &wl);
		df_heredoc h;
		int rc = df_heredoc_word(w, wl, &h, &name, err, errsz);
		if (rc < 0) {
			n = -1;
			break;
		}
		if (rc > 0) {
			if (cb)
				cb(ctx, &h);
			n++;
		}
	}
	df_buf_free(&name);
out:
	df_shell_result_free(&r);
	return n;
}

#endif
