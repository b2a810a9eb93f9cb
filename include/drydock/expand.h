/* Word expansion as BuildKit does it (shell/lex.go): quotes, escapes, $VAR and ${VAR…}. */
#ifndef DRYDOCK_EXPAND_H
#define DRYDOCK_EXPAND_H

#include "drydock/common.h"

/* Modes of BuildKit's lexer; the default expands everything. */
enum {
	DD_EXPAND_RAW_QUOTES = 1u << 0,	 /* keep ' and " in the result */
	DD_EXPAND_RAW_ESCAPES = 1u << 1, /* keep escape characters */
	DD_EXPAND_SKIP_UNSET = 1u << 2,	 /* leave $x / ${x…} as written when x is unset */
	DD_EXPAND_SKIP_QUOTES = 1u << 3	 /* quotes are ordinary characters */
};

/*
 * A variable lookup: return true and set *val and *val_len when name is set
 * (possibly to ""). The value must stay valid for the whole expansion.
 */
typedef bool (*dd_expand_lookup_fn)(void *ctx, const char *name,
    size_t name_len, const char **val, size_t *val_len);

/* Variable names an expansion asked for; each list sorted and unique. */
typedef struct {
	char **set;	/* looked up and found */
	size_t nset;
	char **unset;	/* looked up and not found (BuildKit's UndefinedVar) */
	size_t nunset;
} dd_expand_names;

typedef struct {
	uint32_t escape;	/* '\\' (also when 0) or '`' */
	unsigned flags;		/* DD_EXPAND_* */
	/*
	 * The environment as BuildKit's BuildEnvs takes it: "KEY=VALUE", or
	 * "KEY" meaning set to "". A later KEY overrides an earlier one.
	 * Ignored when lookup is set.
	 */
	const char *const *env;
	size_t nenv;
	dd_expand_lookup_fn lookup;
	void *ctx;
	/* Optional: filled (caller frees with dd_expand_names_free) on success. */
	dd_expand_names *names;
} dd_expand_opts;

/*
 * Expand s[0:len] as one word (lex.go ProcessWord): whitespace is kept.
 * On success *out is a malloc'd NUL-terminated string the caller frees and
 * *out_len (if not NULL) its length; it may contain NUL bytes from the
 * input. On failure returns DD_EPARSE with BuildKit's message in the error
 * slot (e.g. "syntax error: missing '}'") and *out is NULL.
 */
int dd_expand_word(const dd_expand_opts *o, const char *s, size_t len,
    char **out, size_t *out_len);

/*
 * Expand s[0:len] and split it into words (lex.go ProcessWords). On success
 * *words is a malloc'd NULL-terminated array of malloc'd strings, freed
 * with dd_expand_words_free, and *count (if not NULL) their number. A NUL
 * byte inside a word ends that C string early. On failure as above.
 */
int dd_expand_words(const dd_expand_opts *o, const char *s, size_t len,
    char ***words, size_t *count);

/* Free a dd_expand_words result; accepts NULL. */
void dd_expand_words_free(char **words);

/* Free the lists in names (not names itself) and zero it; accepts NULL. */
void dd_expand_names_free(dd_expand_names *names);

#endif
