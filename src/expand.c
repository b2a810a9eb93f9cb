/* BuildKit word expansion for the library: an env adapter over grammar/src/df_shell.h. */
#include "drydock/expand.h"

#include <stdlib.h>
#include <string.h>

#include "df_shell.h"
#include "drydock/alloc.h"
#include "drydock/error.h"

/* One lookup as it happened; name points into the expanded input. */
typedef struct {
	const char *name;
	size_t len;
	bool found;
} seen_name;

typedef struct {
	const dd_expand_opts *o;
	seen_name *seen;	/* only when o->names asks for them */
	size_t nseen, capseen;
} lookup_ctx;

/* BuildEnvs semantics: key up to the first '=', the last entry wins. */
static bool
env_find(const dd_expand_opts *o, const char *name, size_t len,
    const char **val, size_t *vlen)
{
	for (size_t i = o->nenv; i-- > 0;) {
		const char *e = o->env[i];
		const char *eq = strchr(e, '=');
		size_t klen = eq ? (size_t)(eq - e) : strlen(e);
		if (klen != len || memcmp(e, name, len) != 0)
			continue;
		*val = eq ? eq + 1 : "";
		*vlen = strlen(*val);
		return true;
	}
	return false;
}

static bool
lookup(void *vctx, const char *name, size_t len, const char **val,
    size_t *vlen)
{
	lookup_ctx *ctx = vctx;
	const dd_expand_opts *o = ctx->o;
	bool found;

	if (o->lookup)
		found = o->lookup(o->ctx, name, len, val, vlen);
	else
		found = env_find(o, name, len, val, vlen);
	if (o->names) {
		if (ctx->nseen == ctx->capseen) {
			ctx->capseen = ctx->capseen ? ctx->capseen * 2 : 16;
			ctx->seen = dd_xreallocarray(ctx->seen, ctx->capseen,
			    sizeof(*ctx->seen));
		}
		ctx->seen[ctx->nseen++] = (seen_name){ name, len, found };
	}
	return found;
}

static int
cmp_seen(const void *a, const void *b)
{
	const seen_name *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* Sort, deduplicate and split the recorded lookups into o->names. */
static void
collect_names(lookup_ctx *ctx)
{
	dd_expand_names *names = ctx->o->names;

	if (ctx->nseen > 0)
		qsort(ctx->seen, ctx->nseen, sizeof(*ctx->seen), cmp_seen);
	names->set = dd_xcalloc(ctx->nseen + 1, sizeof(char *));
	names->unset = dd_xcalloc(ctx->nseen + 1, sizeof(char *));
	for (size_t i = 0; i < ctx->nseen; i++) {
		const seen_name *s = &ctx->seen[i];
		if (i > 0 && cmp_seen(s, s - 1) == 0)
			continue;
		char *copy = dd_xstrndup(s->name, s->len);
		if (s->found)
			names->set[names->nset++] = copy;
		else
			names->unset[names->nunset++] = copy;
	}
}

/* Run the lexer; on success the caller takes what it needs from r. */
static int
run(const dd_expand_opts *o, const char *s, size_t len, df_shell_result *r)
{
	lookup_ctx ctx = { o, NULL, 0, 0 };
	df_shell_opts so = {
		.escape = o->escape ? o->escape : '\\',
		.raw_quotes = (o->flags & DD_EXPAND_RAW_QUOTES) != 0,
		.raw_escapes = (o->flags & DD_EXPAND_RAW_ESCAPES) != 0,
		.skip_unset = (o->flags & DD_EXPAND_SKIP_UNSET) != 0,
		.skip_quotes = (o->flags & DD_EXPAND_SKIP_QUOTES) != 0,
		.lookup = lookup,
		.ctx = &ctx,
	};
	int rc = 0;

	if (o->names)
		memset(o->names, 0, sizeof(*o->names));
	if (df_shell_process(&so, s, len, r) < 0)
		rc = dd_error_set(DD_EPARSE, "%s", r->err);
	else if (o->names)
		collect_names(&ctx);
	free(ctx.seen);
	return rc;
}

int
dd_expand_word(const dd_expand_opts *o, const char *s, size_t len,
    char **out, size_t *out_len)
{
	df_shell_result r = { 0 };
	int rc;

	*out = NULL;
	if ((rc = run(o, s, len, &r)) == 0) {
		*out = dd_xmalloc(r.word.len + 1);
		memcpy(*out, r.word.ptr, r.word.len + 1);
		if (out_len)
			*out_len = r.word.len;
	}
	df_shell_result_free(&r);
	return rc;
}

int
dd_expand_words(const dd_expand_opts *o, const char *s, size_t len,
    char ***words, size_t *count)
{
	df_shell_result r = { 0 };
	int rc;

	*words = NULL;
	if ((rc = run(o, s, len, &r)) == 0) {
		*words = dd_xcalloc(r.nwords + 1, sizeof(char *));
		for (size_t i = 0; i < r.nwords; i++) {
			size_t n;
			const char *w = df_shell_word_at(&r, i, &n);
			(*words)[i] = dd_xstrndup(w, n);
		}
		if (count)
			*count = r.nwords;
	}
	df_shell_result_free(&r);
	return rc;
}

void
dd_expand_words_free(char **words)
{
	if (!words)
		return;
	for (char **w = words; *w; w++)
		free(*w);
	free(words);
}

void
dd_expand_names_free(dd_expand_names *names)
{
	if (!names)
		return;
	for (size_t i = 0; i < names->nset; i++)
		free(names->set[i]);
	for (size_t i = 0; i < names->nunset; i++)
		free(names->unset[i]);
	free(names->set);
	free(names->unset);
	memset(names, 0, sizeof(*names));
}
