/* Unit tests for BuildKit word expansion: lex.go's own data files, then the cases they miss. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "df_shell.h"
#include "drydock/expand.h"
#include "drydock/error.h"
#include "testutil.h"

#define SHELL_DIR "conformance/moby__buildkit/frontend/dockerfile/shell/"

/* Runnable cases in the pinned data files (A/U lines; non-ENV lines). */
#define ENVVAR_CASES 228
#define WORDS_CASES 24

/* ---- Data files, read once when the suite is built ---- */

typedef struct {
	char *text;
	char **lines;	/* NUL-terminated, CR dropped as bufio.ScanLines does */
	size_t n;
} datafile;

static datafile envvar_data, words_data;

static void
load(datafile *d, const char *rel)
{
	char *path = tu_corpus_path(rel);
	size_t len, start = 0;

	d->text = tu_read_file(path, &len);
	free(path);
	if (!d->text)
		return;
	d->lines = calloc(len + 1, sizeof(char *));
	for (size_t i = 0; i <= len; i++) {
		if (i < len && d->text[i] != '\n')
			continue;
		if (i == len && i == start)
			break;
		d->text[i] = '\0';
		if (i > start && d->text[i - 1] == '\r')
			d->text[i - 1] = '\0';
		d->lines[d->n++] = d->text + start;
		start = i + 1;
	}
}

/* Go's strings.TrimSpace: Unicode whitespace off both ends. */
static char *
go_trim(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, w, first = n, end = n;

	while (i < n) {
		uint32_t c = df_utf8_decode(u + i, n - i, &w);
		if (!df_uc_is_space(c)) {
			if (first == n)
				first = i;
			end = i + w;
		}
		i += w;
	}
	if (first == n)
		return strdup("");
	return strndup(s + first, end - first);
}

/* Split s at sep into at most max malloc'd fields; returns the count. */
static size_t
split(const char *s, char sep, char **out, size_t max)
{
	size_t n = 0;

	for (;;) {
		const char *e = strchr(s, sep);
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (n < max)
			out[n] = strndup(s, len);
		n++;
		if (!e)
			break;
		s = e + 1;
	}
	return n;
}

static void
free_fields(char **f, size_t n, size_t max)
{
	for (size_t i = 0; i < n && i < max; i++)
		free(f[i]);
}

/* ---- Expansion helpers ---- */

static int
expand(const char *in, size_t len, const char *const *env, unsigned flags,
    uint32_t esc, char **out, size_t *outlen)
{
	size_t nenv = 0;
	dd_expand_opts o = { .escape = esc, .flags = flags, .env = env };

	while (env && env[nenv])
		nenv++;
	o.nenv = nenv;
	return dd_expand_word(&o, in, len, out, outlen);
}

static int
expand_words(const char *in, size_t len, const char *const *env,
    unsigned flags, uint32_t esc, char ***words, size_t *n)
{
	size_t nenv = 0;
	dd_expand_opts o = { .escape = esc, .flags = flags, .env = env };

	while (env && env[nenv])
		nenv++;
	o.nenv = nenv;
	return dd_expand_words(&o, in, len, words, n);
}

/* Words joined as [a|b|c] for messages and comparisons. */
static char *
join(char **words, size_t n)
{
	size_t len = 3;
	char *s, *p;

	for (size_t i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	p = s = malloc(len);
	*p++ = '[';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "|" : "", words[i]);
	strcpy(p, "]");
	return s;
}

/* ---- envVarTest: "P | input | expected", single-word mode ---- */

static const char *const envvar_env[] = {
	"PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL=", NULL
};

/* 1: a case (fields set, caller frees), 0: skipped line, -1: malformed. */
static int
envvar_parse(const char *line, char **f)
{
	char *t, *raw[3];
	size_t n;
	int kind;

	if (line[0] == '#')
		return 0;
	t = go_trim(line, strlen(line));
	if (t[0] == '\0') {
		free(t);
		return 0;
	}
	n = split(t, '|', raw, 3);
	free(t);
	if (n != 3) {
		free_fields(raw, n, 3);
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		f[i] = go_trim(raw[i], strlen(raw[i]));
		free(raw[i]);
	}
	if (strcmp(f[0], "A") == 0 || strcmp(f[0], "U") == 0)
		return 1;
	kind = strcmp(f[0], "W") == 0 ? 0 : -1;	/* W: Windows only */
	free_fields(f, 3, 3);
	return kind;
}

START_TEST(test_expand_envvar_line)
{
	char *f[3], *out = NULL;
	int kind, rc;

	ck_assert_ptr_nonnull(envvar_data.lines);
	kind = envvar_parse(envvar_data.lines[_i], f);
	ck_assert_msg(kind >= 0, "envVarTest:%d: malformed line", _i + 1);
	if (kind == 0)
		return;
	rc = expand(f[1], strlen(f[1]), envvar_env, 0, '\\', &out, NULL);
	if (strcmp(f[2], "error") == 0)
		ck_assert_msg(rc != 0, "envVarTest:%d: %s: expected an error, "
		    "got \"%s\"", _i + 1, f[1], out);
	else
		ck_assert_msg(rc == 0 && strcmp(out, f[2]) == 0,
		    "envVarTest:%d: %s: expected \"%s\", got %s \"%s\"",
		    _i + 1, f[1], f[2], rc ? "error" : "",
		    rc ? dd_error_last() : out);
	free(out);
	free_fields(f, 3, 3);
}
END_TEST

START_TEST(test_expand_envvar_count)
{
	size_t cases = 0;
	char *f[3];

	ck_assert_msg(envvar_data.text != NULL, "cannot read envVarTest "
	    "(is DD_CORPUS set?)");
	for (size_t i = 0; i < envvar_data.n; i++)
		if (envvar_parse(envvar_data.lines[i], f) == 1) {
			cases++;
			free_fields(f, 3, 3);
		}
	ck_assert_uint_eq(cases, ENVVAR_CASES);
}
END_TEST

/* ---- wordsTest: "input | w1,w2", ENV lines accumulate, words mode ---- */

/* 1: a case (in, want[] set), 0: comment or ENV, -1: malformed. */
static int
words_parse(const char *line, char **in, char **want, size_t *nwant)
{
	char *raw[2];
	size_t n;

	if (line[0] == '#' || strncmp(line, "ENV ", 4) == 0)
		return 0;
	n = split(line, '|', raw, 2);
	if (n != 2) {
		free_fields(raw, n, 2);
		return -1;
	}
	*in = go_trim(raw[0], strlen(raw[0]));
	*nwant = split(raw[1] + strspn(raw[1], " "), ',', want, 32);
	free_fields(raw, 2, 2);
	return *nwant <= 32 ? 1 : -1;
}

/* The env in force at line idx: every earlier ENV line, left-trimmed. */
static const char **
words_env(size_t idx)
{
	const char **env = calloc(idx + 1, sizeof(char *));
	size_t n = 0;

	for (size_t i = 0; i < idx; i++) {
		const char *l = words_data.lines[i];
		if (strncmp(l, "ENV ", 4) == 0)
			env[n++] = l + 3 + strspn(l + 3, " ");
	}
	return env;
}

START_TEST(test_expand_words_line)
{
	char *in, *want[32], **got = NULL, *gs, *ws;
	size_t nwant, ngot = 0;
	const char **env;
	int kind, rc;

	ck_assert_ptr_nonnull(words_data.lines);
	kind = words_parse(words_data.lines[_i], &in, want, &nwant);
	ck_assert_msg(kind >= 0, "wordsTest:%d: malformed line", _i + 1);
	if (kind == 0)
		return;
	env = words_env((size_t)_i);
	rc = expand_words(in, strlen(in), env, 0, '\\', &got, &ngot);
	gs = rc ? strdup(dd_error_last()) : join(got, ngot);
	ws = join(want, nwant);
	if (nwant == 1 && strcmp(want[0], "error") == 0)
		ck_assert_msg(rc != 0, "wordsTest:%d: %s: expected an error, "
		    "got %s", _i + 1, in, gs);
	else
		ck_assert_msg(rc == 0 && strcmp(gs, ws) == 0 && ngot == nwant,
		    "wordsTest:%d: %s: expected %s, got %s", _i + 1, in, ws, gs);
	dd_expand_words_free(got);
	free(gs);
	free(ws);
	free(env);
	free(in);
	free_fields(want, nwant, 32);
}
END_TEST

START_TEST(test_expand_words_count)
{
	size_t cases = 0, nwant;
	char *in, *want[32];

	ck_assert_msg(words_data.text != NULL, "cannot read wordsTest "
	    "(is DD_CORPUS set?)");
	for (size_t i = 0; i < words_data.n; i++)
		if (words_parse(words_data.lines[i], &in, want, &nwant) == 1) {
			cases++;
			free(in);
			free_fields(want, nwant, 32);
		}
	ck_assert_uint_eq(cases, WORDS_CASES);
}
END_TEST

/* ---- Hand-written single-word cases ---- */

#define ERR_FFFD "\xEF\xBF\xBD"
#define RAWQ DD_EXPAND_RAW_QUOTES
#define RAWE DD_EXPAND_RAW_ESCAPES
#define SKIP DD_EXPAND_SKIP_UNSET

typedef struct {
	const char *in;
	const char *env[6];
	unsigned flags;
	uint32_t esc;		/* 0: backslash */
	const char *want;	/* NULL: must fail */
	const char *err;	/* when failing, the exact message (or NULL) */
} wcase;

static const wcase word_cases[] = {
	/* # ## % %% with * ? and escapes (lex_test.go expectations first) */
	{ "${FOO#()[]{\\}^$.\\*\\?|\\\\}", { "FOO=()[]{}^$.*?|\\x" }, 0, 0, "x", NULL },
	{ "${FOO%%\\**}", { "FOO=xx**" }, 0, 0, "xx", NULL },
	{ "${FOO#*x*y}", { "FOO=xxyy" }, 0, 0, "y", NULL },
	{ "${FOO#*}", { "FOO=xxyy" }, 0, 0, "xxyy", NULL },
	{ "${FOO#$BAR}", { "FOO=xxyy", "BAR=x" }, 0, 0, "xyy", NULL },
	{ "${FOO#}", { "FOO=xxyy" }, 0, 0, "xxyy", NULL },
	{ "${FOO##*x}", { "FOO=xxyy" }, 0, 0, "yy", NULL },
	{ "${FOO##}", { "FOO=xxyy" }, 0, 0, "xxyy", NULL },
	{ "${FOO#?\\?}", { "FOO=???y" }, 0, 0, "?y", NULL },
	{ "${ABC:-.}${FOO%x}${ABC:-.}", { "FOO=xxyy" }, 0, 0, ".xxyy.", NULL },
	{ "${FOO%%\\**\\*}", { "FOO=a***yy*" }, 0, 0, "a", NULL },
	{ "${FOO%}", { "FOO=xxyy" }, 0, 0, "xxyy", NULL },
	{ "${FOO%.*}", { "FOO=a.b.c" }, 0, 0, "a.b", NULL },
	{ "${FOO%%.*}", { "FOO=a.b.c" }, 0, 0, "a", NULL },
	{ "${FOO#*.}", { "FOO=a.b.c" }, 0, 0, "b.c", NULL },
	{ "${FOO##*.}", { "FOO=a.b.c" }, 0, 0, "c", NULL },
	{ "${FOO#?}", { "FOO=abc" }, 0, 0, "bc", NULL },
	{ "${FOO%?}", { "FOO=abc" }, 0, 0, "ab", NULL },
	{ "${FOO#?}", { "FOO=한국어" }, 0, 0, "국어", NULL },
	{ "${FOO%??}", { "FOO=한국어" }, 0, 0, "한", NULL },
	{ "${FOO#a\\*}", { "FOO=a*b?c\\d" }, 0, 0, "b?c\\d", NULL },
	{ "${FOO%\\\\d}", { "FOO=a*b?c\\d" }, 0, 0, "a*b?c", NULL },
	{ "${FOO#*\\}}", { "FOO=a}b}c" }, 0, 0, "b}c", NULL },
	{ "${FOO##*\\}}", { "FOO=a}b}c" }, 0, 0, "c", NULL },
	{ "${FOO#*b}", { "FOO=a\nb" }, 0, 0, "a\nb", NULL },	/* * never crosses \n */
	{ "${FOO#?b}", { "FOO=\nb" }, 0, 0, "\nb", NULL },
	{ "${FOO#a\nb}", { "FOO=a\nbc" }, 0, 0, "c", NULL },
	{ "${FOO#$P}", { "FOO=x.y", "P=x?y" }, 0, 0, "", NULL },
	{ "${FOO#$P}", { "FOO=x.y", "P=[x].*" }, 0, 0, "x.y", NULL },
	{ "${FOO:#x}", { "FOO=xy" }, 0, 0, NULL, "unsupported modifier (:#) in substitution" },
	{ "${FOO:##}", { 0 }, 0, 0, NULL, "unsupported modifier (:#) in substitution" },
	{ "${FOO:%}", { 0 }, 0, 0, NULL, "unsupported modifier (:%) in substitution" },
	{ "${FOO:%%}", { 0 }, 0, 0, NULL, "unsupported modifier (:%) in substitution" },
	/* invalid escapes; % reports the reversed pattern, as lex.go does */
	{ "${FOO#\\x}", { "FOO=x" }, 0, 0, NULL, "invalid pattern (\\x) in substitution: invalid escape '\\x'" },
	{ "${FOO%a\\x}", { "FOO=x" }, 0, 0, NULL, "invalid pattern (\\xa) in substitution: invalid escape '\\x'" },
	{ "${FOO##\\a}", { "FOO=x" }, 0, 0, NULL, "invalid pattern (\\a) in substitution: invalid escape '\\a'" },
	{ "${FOO#$P}", { "FOO=x", "P=a\\" }, 0, 0, NULL, "invalid pattern (a\\) in substitution: invalid escape '\\" ERR_FFFD "'" },
	{ "${FOO/a\\q/b}", { "FOO=x" }, 0, 0, NULL, "invalid pattern (a\\q) in substitution: invalid escape '\\q'" },
	{ "${FOO#\\x}", { 0 }, 0, 0, NULL, "invalid pattern (\\x) in substitution: invalid escape '\\x'" },
	/* / and // */
	{ "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", { "FOO=/foo*/*/*.txt", "NEEDLE=\\*/" }, 0, 0, "/foo.*/*.txt - /foo..*.txt", NULL },
	{ "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", { "FOO=/tmp/tmp/bar.txt", "NEEDLE=/tmp" }, 0, 0, "/tmp/bar.txt - /bar.txt", NULL },
	{ "${FOO/$N/$R} - ${FOO//$N/$R}", { "FOO=/a/foo/b/c.txt", "N=/?/", "R=/" }, 0, 0, "/foo/b/c.txt - /foo/c.txt", NULL },
	{ "${FOO/$N/$R}", { "FOO=http://google.de", "N=http://", "R=https://" }, 0, 0, "https://google.de", NULL },
	{ "${FOO//\\//\\/}", { "FOO=/tmp/foo.txt" }, 0, 0, "\\/tmp\\/foo.txt", NULL },
	{ "${FOO/$BAR/ww}", { "FOO=xxyy", "BAR=" }, 0, 0, "wwxxyy", NULL },
	{ "${FOO//$BAR/-}", { "FOO=abc", "BAR=" }, 0, 0, "-a-b-c-", NULL },
	{ "${FOO//ww}", { "FOO=xxyy" }, 0, 0, NULL, "syntax error: missing '/' in ${}" },
	{ "${FOO//}", { "FOO=xxyy" }, 0, 0, NULL, "syntax error: missing '/' in ${}" },
	{ "${FOO///}", { "FOO=xxyy" }, 0, 0, "xxyy", NULL },
	{ "${FOO///}", { 0 }, 0, 0, "", NULL },
	{ "${FOO/./X}", { "FOO=a.b" }, 0, 0, "aXb", NULL },
	{ "${FOO/[ab]/Z}", { "FOO=x[ab]y" }, 0, 0, "xZy", NULL },
	{ "${FOO/?/X}", { "FOO=abc" }, 0, 0, "Xbc", NULL },
	{ "${FOO//?/X}", { "FOO=abc" }, 0, 0, "XXX", NULL },
	{ "${FOO/b*/X}", { "FOO=abcbd" }, 0, 0, "aX", NULL },
	{ "${FOO//b*d/X}", { "FOO=abcbd\nbd" }, 0, 0, "aX\nX", NULL },
	{ "${FOO//*/X}", { "FOO=a\nb" }, 0, 0, "X\nX", NULL },
	{ "${FOO//x*/X}", { "FOO=ab" }, 0, 0, "ab", NULL },
	/* // expands the replacement as a Go regexp template; / does not */
	{ "${FOO//b/$R}", { "FOO=abc", "R=[$0|${0}|$$|$1|$x|${|$]" }, 0, 0, "a[b|b|$|||${|$]c", NULL },
	{ "${FOO//b/$R}", { "FOO=abc", "R=<$0é|$00|${0>" }, 0, 0, "a<||${0>c", NULL },
	{ "${FOO/b/$R}", { "FOO=abc", "R=[$0|${0}|$$]" }, 0, 0, "a[$0|${0}|$$]c", NULL },
	{ "${FOO//b/\\$}", { "FOO=abc" }, 0, 0, "a\\$c", NULL },
	/* -, +, ? */
	{ "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", { "FOO=xxx", "BAR=" }, 0, 0, "xxx  ccc", NULL },
	{ "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", { "FOO=xxx", "BAR=" }, 0, 0, "xxx bbb ccc", NULL },
	{ "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", { "FOO=xxx", "BAR=" }, 0, 0, "aaa bbb ", NULL },
	{ "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", { "FOO=xxx", "BAR=" }, 0, 0, "aaa  ", NULL },
	{ "${BAR?bbb}", { "BAR=" }, 0, 0, "", NULL },
	{ "${BAZ?ccc}", { 0 }, 0, 0, NULL, "BAZ: ccc" },
	{ "${BAZ?}", { 0 }, 0, 0, NULL, "BAZ: is not allowed to be unset" },
	{ "${BAR:?}", { "BAR=" }, 0, 0, NULL, "BAR: is not allowed to be empty" },
	{ "${VAR:?message here$ARG}", { "VAR=", "ARG=x" }, 0, 0, NULL, "VAR: message herex" },
	{ "${VAR?message here$ARG}", { "VAR=plain", "ARG=x" }, 0, 0, "plain", NULL },
	{ "a${A:-${B:?x}}b", { 0 }, 0, 0, NULL, "B: x" },
	{ "a${A:-${B:?x}", { 0 }, 0, 0, NULL, "syntax error: missing '}'" },
	{ "${A:-${}}", { 0 }, 0, 0, NULL, "syntax error: bad substitution" },
	{ "${A:-'x}", { 0 }, 0, 0, NULL, "syntax error: missing '}'" },
	{ "${A:-a\\}b}", { 0 }, 0, 0, "a}b", NULL },
	{ "${A:-\"x}y\"}", { 0 }, 0, 0, "x}y", NULL },
	{ "${A:-${B:-${C:-deep}}}", { 0 }, 0, 0, "deep", NULL },
	{ "x${T:+-${T}}y", { "T=v7" }, 0, 0, "x-v7y", NULL },
	{ "x${T:+-${T}}y", { "T=" }, 0, 0, "xy", NULL },
	/* other syntax errors, with BuildKit's messages */
	{ "${}", { 0 }, 0, 0, NULL, "syntax error: bad substitution" },
	{ "${:}", { 0 }, 0, 0, NULL, "syntax error: bad substitution" },
	{ "${{a}", { 0 }, 0, 0, NULL, "syntax error: bad substitution" },
	{ "${", { 0 }, 0, 0, NULL, "syntax error: missing '}'" },
	{ "${a", { 0 }, 0, 0, NULL, "unsupported modifier (" ERR_FFFD ") in substitution" },
	{ "${a:", { 0 }, 0, 0, NULL, "syntax error: missing '}'" },
	{ "${a:-b", { 0 }, 0, 0, NULL, "syntax error: missing '}'" },
	{ "${a/b", { 0 }, 0, 0, NULL, "syntax error: missing '/' in ${}" },
	{ "${a/b/c", { 0 }, 0, 0, NULL, "syntax error: missing '}'" },
	{ "${a=b}", { 0 }, 0, 0, NULL, "unsupported modifier (=) in substitution" },
	{ "${a:=b}", { 0 }, 0, 0, NULL, "unsupported modifier (:=) in substitution" },
	{ "${a:}b}", { 0 }, 0, 0, NULL, "unsupported modifier (:}) in substitution" },
	{ "${a:0:2}", { "a=xyz" }, 0, 0, NULL, "unsupported modifier (:0) in substitution" },
	{ "${.}", { 0 }, 0, 0, NULL, "unsupported modifier (.) in substitution" },
	{ "${#v}", { 0 }, 0, 0, NULL, "unsupported modifier (v) in substitution" },
	{ "${v·}", { 0 }, 0, 0, NULL, "unsupported modifier (·) in substitution" },
	{ "'abc", { 0 }, 0, 0, NULL, "unexpected end of statement while looking for matching single-quote" },
	{ "\"abc", { 0 }, 0, 0, NULL, "unexpected end of statement while looking for matching double-quote" },
	/* names */
	{ "$", { 0 }, 0, 0, "$", NULL },
	{ "a$ b", { 0 }, 0, 0, "a$ b", NULL },
	{ "$X한.", { "X한=k" }, 0, 0, "k.", NULL },
	{ "$١٢x", { "١٢=d" }, 0, 0, "dx", NULL },
	{ "${%}", { "=e" }, 0, 0, "e", NULL },
	{ "${+x}", { "=e" }, 0, 0, "x", NULL },
	{ "$a_b1-", { "a_b1=v" }, 0, 0, "v-", NULL },
	{ "$PATH", { "PATH=a", "PATH=b" }, 0, 0, "b", NULL },
	{ "[$E]", { "E" }, 0, 0, "[]", NULL },
	{ "${E?}", { "E" }, 0, 0, "", NULL },
	/* skip-unset mode leaves unset references as written */
	{ "$U ${U} $1 $X", { "X=1" }, SKIP, 0, "$U ${U} $1 1", NULL },
	{ "${U:-w}|${U-w}|${U:+w}|${U+w}", { 0 }, SKIP, 0, "${U:-w}|${U-w}|${U:+w}|${U+w}", NULL },
	{ "${U?w}|${U:?}", { 0 }, SKIP, 0, "${U?w}|${U:?}", NULL },
	{ "${U#p}|${U##p*}|${U%\\*}|${U%%x}", { 0 }, SKIP, 0, "${U#p}|${U##p*}|${U%\\*}|${U%%x}", NULL },
	{ "${U/a/b}|${U//a/b}", { 0 }, SKIP, 0, "${U/a/b}|${U/a/b}", NULL },
	{ "${U:=x}|${U:0:2}", { 0 }, SKIP, 0, "${U:=x}|${U:0:2}", NULL },
	{ "$X${U:-$X}", { "X=1" }, SKIP, 0, "1${U:-1}", NULL },
	{ "${X:-w}${X#1}", { "X=1" }, SKIP, 0, "1", NULL },
	{ "${U:-a\\ b}", { 0 }, SKIP, 0, "${U:-a b}", NULL },
	{ "${U:-'q'}", { 0 }, SKIP, 0, "${U:-q}", NULL },
	{ "${U:-'q'}", { 0 }, SKIP | RAWQ, 0, "${U:-'q'}", NULL },
	{ "${U:-${V:-x}}", { 0 }, SKIP, 0, "${U:-${V:-x}}", NULL },
	{ "${U=x}", { 0 }, SKIP, 0, NULL, "unsupported modifier (=) in substitution" },
	{ "${U:#x}", { 0 }, SKIP, 0, NULL, "unsupported modifier (:#) in substitution" },
	{ "${X:=x}", { "X=1" }, SKIP, 0, NULL, "unsupported modifier (:=) in substitution" },
	/* raw quotes and raw escapes */
	{ "'a b'\"c d\"", { 0 }, RAWQ, 0, "'a b'\"c d\"", NULL },
	{ "a\\ b\\", { 0 }, RAWE, 0, "a\\ b\\", NULL },
	{ "\"a\\tb\"", { 0 }, RAWE, 0, "a\\\\tb", NULL },	/* lex.go writes it twice */
	{ "\"a\\\"b\\$c\"", { 0 }, RAWE, 0, "a\\\"b\\$c", NULL },
	{ "\"a\\\"b\\$c\"", { 0 }, 0, 0, "a\"b$c", NULL },
	{ "${A:-a\\ b}", { 0 }, RAWE, 0, "a b", NULL },
	{ "'a'b\"c\"", { 0 }, DD_EXPAND_SKIP_QUOTES, 0, "'a'b\"c\"", NULL },
	{ "'a b", { 0 }, DD_EXPAND_SKIP_QUOTES, 0, "'a b", NULL },
	/* backtick escape */
	{ "a` b", { 0 }, 0, '`', "a b", NULL },
	{ "C:\\path\\x", { 0 }, 0, '`', "C:\\path\\x", NULL },
	{ "\"a``b`\"c`x\"", { 0 }, 0, '`', "a`b\"c`x", NULL },
	{ "`$X-$X", { "X=1" }, 0, '`', "$X-1", NULL },
	{ "${FOO#\\*}", { "FOO=*x" }, 0, '`', "x", NULL },
	{ "${FOO#`*}", { "FOO=`x" }, 0, '`', "x", NULL },
	{ "x`", { 0 }, 0, '`', "x", NULL },
	/* the << glue changes words only; the single word is verbatim */
	{ "a <<  b", { 0 }, 0, 0, "a <<  b", NULL },
	/* invalid UTF-8 reads as U+FFFD, except inside variable values */
	{ "a\xff" "b", { 0 }, 0, 0, "a" ERR_FFFD "b", NULL },
	{ "'\xff'\"\xfe\"", { 0 }, 0, 0, ERR_FFFD ERR_FFFD, NULL },
	{ "\xe4\xb8", { 0 }, 0, 0, ERR_FFFD ERR_FFFD, NULL },
	{ "\xed\xa0\x80", { 0 }, 0, 0, ERR_FFFD ERR_FFFD ERR_FFFD, NULL },
	{ "<$X>", { "X=a\xff" "b" }, 0, 0, "<a\xff" "b>", NULL },
	{ "${X#a}", { "X=a\xff" "b" }, 0, 0, "\xff" "b", NULL },
	{ "${X#a?}", { "X=a\xff" "b" }, 0, 0, "b", NULL },
	{ "${X%b}", { "X=a\xff" "b" }, 0, 0, "a" ERR_FFFD, NULL },
	{ "${X%z}", { "X=a\xff" "b" }, 0, 0, "a" ERR_FFFD "b", NULL },
	{ "${X/b/c}", { "X=a\xff" "b" }, 0, 0, "a\xff" "c", NULL },
	{ "${X#$P}", { "X=\xff" "b", "P=\xfe" }, 0, 0, "b", NULL },	/* U+FFFD matches a bad byte */
	{ "\xef\xbb\xbf" "ab", { 0 }, 0, 0, "ab", NULL },	/* leading BOM dropped */
	{ "a\xef\xbb\xbf" "b", { 0 }, 0, 0, "a\xef\xbb\xbf" "b", NULL },
};

START_TEST(test_expand_word_case)
{
	const wcase *c = &word_cases[_i];
	char *out = NULL;
	int rc = expand(c->in, strlen(c->in), c->env, c->flags, c->esc, &out,
	    NULL);

	if (!c->want) {
		ck_assert_msg(rc == DD_EPARSE, "case %d %s: expected an error, "
		    "got \"%s\"", _i, c->in, out);
		if (c->err)
			ck_assert_msg(strcmp(dd_error_last(), c->err) == 0,
			    "case %d %s: expected error \"%s\", got \"%s\"",
			    _i, c->in, c->err, dd_error_last());
		ck_assert_ptr_null(out);
	} else {
		ck_assert_msg(rc == 0, "case %d %s: unexpected error \"%s\"",
		    _i, c->in, dd_error_last());
		ck_assert_msg(strcmp(out, c->want) == 0, "case %d %s: expected "
		    "\"%s\", got \"%s\"", _i, c->in, c->want, out);
	}
	free(out);
}
END_TEST

/* ---- Hand-written words cases ---- */

#define HEREDOC (RAWQ | RAWE | SKIP)

typedef struct {
	const char *in;
	const char *env[4];
	unsigned flags;
	const char *want;	/* words as [a|b]; NULL: must fail */
} wscase;

static const wscase words_cases[] = {
	{ "RUN <<  EOF", { 0 }, HEREDOC, "[RUN|<<  EOF]" },
	{ "RUN <<\tEOF >out", { 0 }, HEREDOC, "[RUN|<<\tEOF|>out]" },
	{ "RUN << \r EOF", { 0 }, HEREDOC, "[RUN|<< \r EOF]" },
	{ "COPY <<- EOF /x", { 0 }, HEREDOC, "[COPY|<<-|EOF|/x]" },
	{ "COPY << -EOF /x", { 0 }, HEREDOC, "[COPY|<< -EOF|/x]" },
	{ "RUN 3<< EOF", { 0 }, HEREDOC, "[RUN|3<< EOF]" },
	{ "RUN << 'a b' x", { 0 }, HEREDOC, "[RUN|<< 'a b'|x]" },
	{ "RUN \"<< EOF\"", { 0 }, HEREDOC, "[RUN|\"<< EOF\"]" },
	{ "RUN \\<< EOF", { 0 }, HEREDOC, "[RUN|\\<<|EOF]" },
	{ "RUN << ", { 0 }, HEREDOC, "[RUN|<< ]" },
	{ "RUN <<\nEOF", { 0 }, HEREDOC, "[RUN|<<|EOF]" },
	{ "RUN <<$X ${Y:-a b}", { 0 }, HEREDOC, "[RUN|<<$X|${Y:-a|b}]" },
	{ "RUN <<EOF # it's", { 0 }, HEREDOC, NULL },
	{ "a <<  b", { 0 }, 0, "[a|<<  b]" },
	/* splitting */
	{ "''", { 0 }, 0, "[]" },
	{ "'' \"\" a ''", { 0 }, 0, "[a]" },
	{ "  a  b  ", { 0 }, 0, "[a|b]" },
	{ "a\xc2\xa0" "b\xe3\x80\x80" "c", { 0 }, 0, "[a|b|c]" },
	{ "a\\ b 'c d' \"e f\"", { 0 }, 0, "[a b|c d|e f]" },
	{ "$X \"$X\" x$X.y", { "X=p  q" }, 0, "[p|q|p  q|xp|q.y]" },
	{ "a${U:-b c}d", { 0 }, 0, "[ab|cd]" },
	{ "a\"${U:-b c}\"d", { 0 }, 0, "[ab cd]" },
	{ "$X", { "X=a\xff b" }, 0, "[a" ERR_FFFD "|b]" },
	{ "\"$X\"", { "X=a\xff b" }, 0, "[a\xff b]" },
	{ "a 'b", { 0 }, 0, NULL },
};

START_TEST(test_expand_words_case)
{
	const wscase *c = &words_cases[_i];
	char **got = NULL, *gs;
	size_t n = 0;
	int rc = expand_words(c->in, strlen(c->in), c->env, c->flags, 0, &got,
	    &n);

	if (!c->want) {
		ck_assert_msg(rc == DD_EPARSE, "case %d %s: expected an error",
		    _i, c->in);
		ck_assert_ptr_null(got);
		return;
	}
	ck_assert_msg(rc == 0, "case %d %s: unexpected error \"%s\"", _i,
	    c->in, dd_error_last());
	gs = join(got, n);
	ck_assert_msg(strcmp(gs, c->want) == 0, "case %d %s: expected %s, "
	    "got %s", _i, c->in, c->want, gs);
	free(gs);
	dd_expand_words_free(got);
}
END_TEST

/* ---- API details ---- */

static bool
map_lookup(void *ctx, const char *name, size_t len, const char **val,
    size_t *vlen)
{
	(void)ctx;
	if (len == 3 && memcmp(name, "ONE", 3) == 0) {
		*val = "1";
		*vlen = 1;
		return true;
	}
	return false;
}

START_TEST(test_expand_names_and_callback)
{
	const char *env[] = { "A=1", "D=2", NULL };
	dd_expand_names names;
	dd_expand_opts o = { .env = env, .nenv = 2, .names = &names };
	const char *in = "$A ${B:-$C} ${D} $A ${B+x}";
	char *out = NULL;

	ck_assert_int_eq(dd_expand_word(&o, in, strlen(in), &out, NULL), 0);
	ck_assert_str_eq(out, "1  2 1 ");
	ck_assert_uint_eq(names.nset, 2);
	ck_assert_str_eq(names.set[0], "A");
	ck_assert_str_eq(names.set[1], "D");
	ck_assert_uint_eq(names.nunset, 2);
	ck_assert_str_eq(names.unset[0], "B");
	ck_assert_str_eq(names.unset[1], "C");
	dd_expand_names_free(&names);
	dd_expand_names_free(NULL);
	free(out);

	dd_expand_opts cb = { .lookup = map_lookup };
	ck_assert_int_eq(dd_expand_word(&cb, "$ONE$TWO", 8, &out, NULL), 0);
	ck_assert_str_eq(out, "1");
	free(out);
	dd_expand_words_free(NULL);
}
END_TEST

/* The header API directly: NUL bytes survive in both results. */
START_TEST(test_expand_shell_header_nul)
{
	df_shell_opts o = { .escape = '\\' };
	df_shell_result r = { 0 };
	size_t n;
	const char *w;

	ck_assert_int_eq(df_shell_process(&o, "a\0b c", 5, &r), 0);
	ck_assert_uint_eq(r.word.len, 5);
	ck_assert_int_eq(memcmp(r.word.ptr, "a\0b c", 5), 0);
	ck_assert_uint_eq(r.nwords, 2);
	w = df_shell_word_at(&r, 0, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(memcmp(w, "a\0b", 3), 0);
	w = df_shell_word_at(&r, 1, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(w, "c");
	/* a failure empties everything; the result is reusable */
	ck_assert_int_eq(df_shell_process(&o, "x 'y", 4, &r), -1);
	ck_assert_uint_eq(r.word.len, 0);
	ck_assert_uint_eq(r.nwords, 0);
	ck_assert_str_eq(r.err, "unexpected end of statement while looking "
	    "for matching single-quote");
	ck_assert_int_eq(df_shell_process(&o, NULL, 0, &r), 0);
	ck_assert_uint_eq(r.nwords, 0);
	df_shell_result_free(&r);
}
END_TEST

/* ---- Limits and speed ---- */

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
repeat(const char *s, size_t times, const char *mid, const char *tail,
    size_t tail_times, size_t *len)
{
	size_t sl = strlen(s), ml = strlen(mid), tl = strlen(tail);
	size_t n = sl * times + ml + tl * tail_times;
	char *p = malloc(n + 1), *q = p;

	for (size_t i = 0; i < times; i++, q += sl)
		memcpy(q, s, sl);
	memcpy(q, mid, ml);
	q += ml;
	for (size_t i = 0; i < tail_times; i++, q += tl)
		memcpy(q, tail, tl);
	*q = '\0';
	*len = n;
	return p;
}

START_TEST(test_expand_nesting_limit)
{
	size_t len;
	char *in, *out = NULL;

	in = repeat("${a:-", DF_SHELL_MAX_DEPTH, "x", "}", DF_SHELL_MAX_DEPTH,
	    &len);
	ck_assert_int_eq(expand(in, len, NULL, 0, 0, &out, NULL), 0);
	ck_assert_str_eq(out, "x");
	free(out);
	free(in);
	in = repeat("${a:-", DF_SHELL_MAX_DEPTH + 1, "x", "}",
	    DF_SHELL_MAX_DEPTH + 1, &len);
	ck_assert_int_eq(expand(in, len, NULL, 0, 0, &out, NULL), DD_EPARSE);
	ck_assert_str_eq(dd_error_last(), "syntax error: ${} nested too deeply");
	free(in);
}
END_TEST

/* 1 MB of mixed text, quotes, escapes, expansions and heredoc glue. */
START_TEST(test_expand_megabyte_mixed)
{
	const char *env[] = { "X=a b", NULL };
	size_t len, olen, n;
	char *in, *out = NULL, **words = NULL;
	double t0 = now();

	in = repeat("ab $X \"q $X\" 'r' \\ ${U:-z} <<  E ", 1 << 15, "", "", 0,
	    &len);
	ck_assert_uint_ge(len, 1u << 20);
	ck_assert_int_eq(expand(in, len, env, 0, 0, &out, &olen), 0);
	/* per copy: ab a b |q a b| r | z| <<  E */
	ck_assert_int_eq(expand_words(in, len, env, 0, 0, &words, &n), 0);
	ck_assert_uint_eq(n, (size_t)7 << 15);
	ck_assert_str_eq(words[6], "<<  E");
	ck_assert_msg(now() - t0 < 3.0, "took %.2fs", now() - t0);
	free(out);
	dd_expand_words_free(words);
	free(in);
}
END_TEST

/* The deepest nesting allowed around a 1 MB operand stays linear. */
START_TEST(test_expand_megabyte_nested)
{
	size_t big = 1 << 20, pl, len, olen;
	char *pre = repeat("${a:-", DF_SHELL_MAX_DEPTH, "", "", 0, &pl);
	char *in = malloc(pl + big + DF_SHELL_MAX_DEPTH + 1), *out = NULL;
	double t0 = now();

	memcpy(in, pre, pl);
	memset(in + pl, 'x', big);
	memset(in + pl + big, '}', DF_SHELL_MAX_DEPTH);
	len = pl + big + DF_SHELL_MAX_DEPTH;
	ck_assert_int_eq(expand(in, len, NULL, 0, 0, &out, &olen), 0);
	ck_assert_uint_eq(olen, big);
	ck_assert_msg(now() - t0 < 3.0, "took %.2fs", now() - t0);
	free(out);
	free(in);
	free(pre);
}
END_TEST

/* A 1 MB value through // and %%. */
START_TEST(test_expand_megabyte_value)
{
	size_t len, olen;
	char *val = repeat("ab", 1 << 19, "", "", 0, &len);
	char *kv = malloc(len + 3), *out = NULL;
	const char *env[] = { kv, NULL };
	double t0 = now();

	sprintf(kv, "V=%s", val);
	ck_assert_int_eq(expand("${V//a/x}", 9, env, 0, 0, &out, &olen), 0);
	ck_assert_uint_eq(olen, len);
	ck_assert_int_eq(memcmp(out, "xbxb", 4), 0);
	free(out);
	ck_assert_int_eq(expand("${V%%b*}", 8, env, 0, 0, &out, &olen), 0);
	ck_assert_str_eq(out, "a");
	ck_assert_msg(now() - t0 < 3.0, "took %.2fs", now() - t0);
	free(out);
	free(kv);
	free(val);
}
END_TEST

Suite *
expand_suite(void)
{
	Suite *s = suite_create("expand");
	TCase *data = tcase_create("data");
	TCase *cases = tcase_create("cases");
	TCase *api = tcase_create("api");

	load(&envvar_data, SHELL_DIR "envVarTest");
	load(&words_data, SHELL_DIR "wordsTest");
	tcase_add_test(data, test_expand_envvar_count);
	tcase_add_loop_test(data, test_expand_envvar_line, 0,
	    (int)envvar_data.n);
	tcase_add_test(data, test_expand_words_count);
	tcase_add_loop_test(data, test_expand_words_line, 0, (int)words_data.n);
	suite_add_tcase(s, data);

	tcase_add_loop_test(cases, test_expand_word_case, 0,
	    (int)DD_ARRAY_LEN(word_cases));
	tcase_add_loop_test(cases, test_expand_words_case, 0,
	    (int)DD_ARRAY_LEN(words_cases));
	suite_add_tcase(s, cases);

	tcase_add_test(api, test_expand_names_and_callback);
	tcase_add_test(api, test_expand_shell_header_nul);
	tcase_add_test(api, test_expand_nesting_limit);
	tcase_add_test(api, test_expand_megabyte_mixed);
	tcase_add_test(api, test_expand_megabyte_nested);
	tcase_add_test(api, test_expand_megabyte_value);
	tcase_set_timeout(api, 30);
	suite_add_tcase(s, api);
	return s;
}
