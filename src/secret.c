/* Secret detection: name heuristics, token matchers, entropy, redaction, key files. */
#include "drydock/secret.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

/*
 * Every matcher here looks at a bounded window or at one run of characters
 * that starts at a boundary, so a scan is linear in its input; nothing is
 * allocated except into the dd_buf a caller hands in.
 */

/* Values longer than this are not read as one option or header value. */
#define VALUE_MAX 512
/* Shorter values are masked entirely: 4 shown characters would be too much. */
#define REDACT_KEEP_MIN 16
#define REDACT_KEEP 4
/* A name with more tokens than this is judged on its first ones. */
#define NAME_MAX_TOKENS 32

/* ---- characters ---- */

static bool
is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(int c)
{
	return is_lower(c) || is_upper(c) || is_digit(c);
}

static bool
is_b64url(int c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

static bool
is_b64(int c)
{
	return is_alnum(c) || c == '+' || c == '/' || c == '=';
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static bool
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static bool
is_word(int c)
{
	return is_alnum(c) || c == '_';
}

/* Is c one of the bytes of set? NUL never is. */
static bool
in_set(int c, const char *set)
{
	return c != 0 && strchr(set, c) != NULL;
}

static int
to_lower(int c)
{
	return is_upper(c) ? c + ('a' - 'A') : c;
}

/* The byte at i as an int, or 0 past the end. */
static int
at(const char *s, size_t len, size_t i)
{
	return i < len ? (unsigned char)s[i] : 0;
}

/* Does p[0..n) equal the lower-case word w, ignoring case? */
static bool
ieq(const char *p, size_t n, const char *w)
{
	/* the first byte before strlen: the word lists are searched a lot */
	if (n == 0 || to_lower((unsigned char)p[0]) != (unsigned char)w[0])
		return n == 0 && w[0] == 0;
	size_t wl = strlen(w);
	if (n != wl)
		return false;
	for (size_t i = 0; i < n; i++)
		if (to_lower((unsigned char)p[i]) != w[i])
			return false;
	return true;
}

static bool
istarts(const char *p, size_t n, const char *w)
{
	size_t wl = strlen(w);
	return n >= wl && ieq(p, wl, w);
}

static bool
iends(const char *p, size_t n, const char *w)
{
	size_t wl = strlen(w);
	return n >= wl && ieq(p + n - wl, wl, w);
}

/* Case-insensitive search for a short lower-case word: O(n * |w|). */
static bool
icontains(const char *p, size_t n, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = 0; i + wl <= n; i++)
		if (ieq(p + i, wl, w))
			return true;
	return false;
}

/* Index of the first occurrence of the exact bytes w at or after from. */
static size_t
find(const char *s, size_t len, size_t from, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = from; i + wl <= len; i++)
		if (memcmp(s + i, w, wl) == 0)
			return i;
	return len;
}

static bool
word_in(const char *p, size_t n, const char *const *list, size_t nlist)
{
	for (size_t i = 0; i < nlist; i++)
		if (ieq(p, n, list[i]))
			return true;
	return false;
}

/* ---- entropy ---- */

double
dd_secret_entropy(const char *s, size_t len)
{
	size_t count[256] = { 0 };
	double h = 0.0;

	if (len == 0)
		return 0.0;
	for (size_t i = 0; i < len; i++)
		count[(unsigned char)s[i]]++;
	for (size_t c = 0; c < 256; c++) {
		if (!count[c])
			continue;
		double p = (double)count[c] / (double)len;
		h -= p * log2(p);
	}
	return h;
}

/* ---- names ---- */

/*
 * Names are split like BuildKit's rule: at every character that is not a
 * letter or digit and at camelCase boundaries (apiKey, APIKey), then each
 * token is compared whole, ignoring case and trailing digits (PASSWORD2).
 * Substrings are not enough: KEYBOARD, MONKEY, BYPASS, GOPRIVATE, TOKENIZERS
 * are ordinary words.
 */
typedef struct {
	const char *p;
	size_t n;
} name_tok;

typedef struct {
	const char *word;
	bool glued;         /* also ends a glued token: DBPASSWORD */
	const char *why;
} secret_word;

/*
 * Whole tokens that make a name a secret: BuildKit's set (apikey, auth,
 * credential(s), key, password, pword, passwd, secret, token), Trivy's
 * psw, plurals, passphrase, pwd, creds, and compounds written as one word.
 * KEY and the weak AUTH/PASS have their own rules below.
 */
static const secret_word secret_words[] = {
	{ "password", true, "the name contains PASSWORD" },
	{ "passwords", false, "the name contains PASSWORDS" },
	{ "passwd", true, "the name contains PASSWD" },
	{ "passphrase", true, "the name contains PASSPHRASE" },
	/* abbreviations seen in the wild (Trivy adds psw) */
	{ "pword", false, "the name contains PWORD" },
	{ "pwd", false, "the name contains PWD" },
	{ "psw", false, "the name contains PSW" },
	{ "secret", true, "the name contains SECRET" },
	{ "secrets", false, "the name contains SECRETS" },
	{ "token", true, "the name contains TOKEN" },
	{ "tokens", false, "the name contains TOKENS" },
	{ "apikey", true, "the name contains APIKEY" },
	{ "apikeys", false, "the name contains APIKEYS" },
	{ "credential", true, "the name contains CREDENTIAL" },
	{ "credentials", true, "the name contains CREDENTIALS" },
	{ "creds", false, "the name contains CREDS" },
	/* compounds written as one word: ACCESSKEY, SECRETKEY, PRIVATEKEY … */
	{ "accesskey", true, "the name contains ACCESS_KEY" },
	{ "secretkey", true, "the name contains SECRET_KEY" },
	{ "privatekey", true, "the name contains PRIVATE_KEY" },
	{ "masterkey", true, "the name contains MASTER_KEY" },
	{ "encryptionkey", true, "the name contains ENCRYPTION_KEY" },
	{ "signingkey", true, "the name contains SIGNING_KEY" },
	{ "sshkey", true, "the name contains SSH_KEY" },
	{ "licensekey", true, "the name contains LICENSE_KEY" },
	{ "appkey", false, "the name contains APP_KEY" },
};

/* KEY alone is BuildKit's most frequent false positive: see key_public. */
static const char *const key_words[] = { "key", "keys" };

/*
 * Weak words count only as the last token, where they name what the value
 * is: DB_PASS and NPM_AUTH hold a secret, PASS_MAX_DAYS (login.defs),
 * PASS_THROUGH, AUTH_SERVER, AUTH_REALM describe something else.
 * PRIVATE is not a word of its own here: GOPRIVATE, PRIVATE_REGISTRY,
 * IS_PRIVATE name visibility; PRIVATE_KEY and PRIVATE_TOKEN are already
 * secrets through KEY and TOKEN.
 */
static const char *const weak_last_words[] = { "auth", "pass" };

/*
 * A name with any of these tokens describes a secret without holding one
 * (where it is, how long it is, what kind it is, whether it is used) or
 * holds something public. One such token anywhere is enough, as in
 * BuildKit's allow list; the cost is that a name such as VAULT_SECRET_ID
 * is judged by its value's format only, like AWS_ACCESS_KEY_ID.
 */
static const char *const allow_words[] = {
	/* public material: PUBLIC_KEY, PUB_KEY, fingerprints, checksums */
	"public", "pub", "fingerprint", "fingerprints", "fpr",
	"sha", "md5", "checksum", "checksums", "digest",
	/* where the secret is: *_FILE (POSTGRES_PASSWORD_FILE), *_PATH,
	 * *_DIR, *_URL, SSH_AUTH_SOCK, and where it is mounted or sent */
	"file", "files", "filename", "path", "paths", "dir", "dirs",
	"directory", "folder", "location", "url", "urls", "uri", "uris",
	"endpoint", "host", "hostname", "port", "server", "sock", "socket",
	"mount", "target", "source", "ref", "stdin",
	/* the name of a variable or a header that carries it: TOKEN_ENV,
	 * PASSWORD_VAR, AUTH_HEADER (a value there is still scanned) */
	"env", "var", "variable", "header", "field",
	/* metadata: PASSWORD_MIN_LENGTH, KEY_SIZE, TOKEN_TYPE, KEY_ID,
	 * SECRET_NAME, KEY_ALIAS, PASSWORD_PROMPT_STRING, MAX_TOKENS */
	"version", "length", "len", "min", "max", "minimum", "maximum",
	"size", "count", "num", "number", "bits", "strength", "complexity",
	"type", "kind", "format", "algorithm", "algo", "id", "ids", "name",
	"names", "alias", "prompt", "prefix", "suffix", "separator",
	"delimiter", "pattern", "regex",
	/* switches and policies: *_AUTH_MODE, AUTH_ENABLED, the official
	 * mysql/mariadb MYSQL_RANDOM_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD,
	 * MYSQL_ONETIME_PASSWORD, and NO_AUTH, SKIP_AUTH, USE_TOKEN */
	"mode", "enabled", "enable", "disabled", "disable", "required",
	"require", "allow", "empty", "random", "onetime", "generate", "skip",
	"no", "use", "policy", "rules", "provider", "method", "scheme",
	"strategy", "backend", "plugin", "helper", "cmd", "command", "realm",
	"domain", "scope", "scopes", "audience", "issuer",
	/* lifetimes: TOKEN_TTL, PASSWORD_EXPIRY, PASS_MAX_DAYS */
	"expiry", "expires", "expiration", "ttl", "timeout", "lifetime",
	"duration", "days", "interval", "retries", "attempts", "limit",
};

/*
 * Tokens that make KEY mean something public or not secret at all: GPG/PGP
 * keys (docker-library's GPG_KEY is a fingerprint), database and cache
 * keys, apt's APT_KEY_DONT_WARN…, AUTHORIZED_KEYS, KEY_MAP.
 */
static const char *const key_public_words[] = {
	"gpg", "pgp", "gnupg", "apt", "authorized", "sort", "cache",
	"partition", "primary", "foreign", "routing", "map", "hot",
};

/*
 * Whole names that look secret but are conventions: PWD is the shell's
 * working directory; GOOGLE_APPLICATION_CREDENTIALS holds a file path.
 */
static const char *const allow_names[] = {
	"pwd", "google_application_credentials",
};

/* A camelCase boundary before s[i]: aB, 1B before a lower, the B of ABc. */
static bool
camel_break(const char *s, size_t len, size_t i)
{
	int c = (unsigned char)s[i], prev = (unsigned char)s[i - 1];

	if (!is_upper(c))
		return false;
	if (is_lower(prev))
		return true;
	return (is_upper(prev) || is_digit(prev)) && is_lower(at(s, len, i + 1));
}

static size_t
name_split(const char *s, size_t len, name_tok *out, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		while (i < len && !is_alnum((unsigned char)s[i]))
			i++;
		if (i >= len)
			break;
		size_t start = i++;
		while (i < len && is_alnum((unsigned char)s[i]) &&
		    !camel_break(s, len, i))
			i++;
		out[n].p = s + start;
		out[n].n = i - start;
		n++;
	}
	return n;
}

/* Length of a token without its trailing digits (PASSWORD2, KEY1). */
static size_t
strip_digits(const name_tok *t)
{
	size_t n = t->n;
	while (n > 0 && is_digit((unsigned char)t->p[n - 1]))
		n--;
	return n;
}

/* Is the token (or the token without trailing digits) in list? */
static bool
tok_in(const name_tok *t, const char *const *list, size_t nlist)
{
	size_t n = strip_digits(t);
	return word_in(t->p, t->n, list, nlist) ||
	    (n > 0 && word_in(t->p, n, list, nlist));
}

static const char *
tok_secret_why(const name_tok *t)
{
	size_t n = strip_digits(t);

	for (size_t i = 0; i < DD_ARRAY_LEN(secret_words); i++) {
		const secret_word *w = &secret_words[i];
		if (ieq(t->p, n, w->word) || ieq(t->p, t->n, w->word))
			return w->why;
		if (w->glued && n > strlen(w->word) && iends(t->p, n, w->word))
			return w->why;
	}
	return NULL;
}

bool
dd_secret_name(const char *name, size_t len, const char **why)
{
	name_tok t[NAME_MAX_TOKENS];
	size_t n = name_split(name, len, t, NAME_MAX_TOKENS);
	const char *reason = NULL;
	bool key = false, key_public = false;

	if (n == 0 || word_in(name, len, allow_names, DD_ARRAY_LEN(allow_names)))
		return false;
	for (size_t k = 0; k < n; k++) {
		if (tok_in(&t[k], allow_words, DD_ARRAY_LEN(allow_words)))
			return false;
		if (tok_in(&t[k], key_public_words, DD_ARRAY_LEN(key_public_words)))
			key_public = true;
		if (tok_in(&t[k], key_words, DD_ARRAY_LEN(key_words)))
			key = true;
		if (!reason)
			reason = tok_secret_why(&t[k]);
	}
	if (!reason && key && !key_public)
		reason = "the name contains KEY";
	if (!reason && tok_in(&t[n - 1], weak_last_words,
	    DD_ARRAY_LEN(weak_last_words)))
		reason = ieq(t[n - 1].p, strip_digits(&t[n - 1]), "pass") ?
		    "the name contains PASS" : "the name contains AUTH";
	if (reason && why)
		*why = reason;
	return reason != NULL;
}

/* ---- values: what is never a secret ---- */

/* $X, ${X}, $(cmd), `cmd`, %X%, {{ … }}: a reference, not a literal. */
static bool
has_variable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i], d = at(s, len, i + 1);
		if (c == '$' && (is_alnum(d) || d == '_' || d == '{' || d == '('))
			return true;
		if (c == '`' || (c == '{' && d == '{'))
			return true;
		if (c == '%' && (is_alnum(d) || d == '_')) {
			size_t j = i + 1;
			while (j < len && is_word((unsigned char)s[j]))
				j++;
			if (j < len && s[j] == '%')
				return true;
		}
	}
	return false;
}

static bool
one_char(const char *s, size_t len)
{
	for (size_t i = 1; i < len; i++)
		if (s[i] != s[0])
			return false;
	return len > 0;
}

/* Found inside a value, these mark a documentation stand-in. */
static const char *const placeholder_parts[] = {
	"changeme", "change_me", "change-me", "changeit", "replaceme",
	"replace_me", "replace-me", "example", "placeholder", "dummy",
	"redacted", "your_", "your-", "yourtoken", "yourpass", "yourkey",
	"xxx", "***", "...", "<", ">", "insecure", "notsecret", "not_secret",
};

/* Whole values that say "no secret here" or are the word itself. */
static const char *const placeholder_words[] = {
	"password", "passwd", "pass", "pwd", "secret", "token", "apikey",
	"api_key", "key", "test", "testing", "sample", "none", "null", "nil",
	"undefined", "empty", "unset", "default", "todo", "tbd", "fixme",
	"true", "false", "yes", "no", "on", "off", "mysecretpassword",
};

static bool
is_placeholder(const char *s, size_t len)
{
	if (word_in(s, len, placeholder_words, DD_ARRAY_LEN(placeholder_words)))
		return true;
	for (size_t i = 0; i < DD_ARRAY_LEN(placeholder_parts); i++)
		if (icontains(s, len, placeholder_parts[i]))
			return true;
	return false;
}

/* Could this literal be a credential at all (no entropy test)? */
static bool
literal_ok(const char *s, size_t len)
{
	if (len == 0 || one_char(s, len) || has_variable(s, len) ||
	    is_placeholder(s, len))
		return false;
	/* a file holding the secret, not the secret */
	if (s[0] == '/' || istarts(s, len, "./") || istarts(s, len, "~/"))
		return false;
	return true;
}

/* Token formats: placeholders and low-entropy bodies are not real tokens. */
static const char *const fake_token_parts[] = {
	"example", "xxxx", "placeholder", "dummy", "redacted", "changeme",
	"your", "...",
};

static bool
token_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < DD_ARRAY_LEN(fake_token_parts); i++)
		if (icontains(s, len, fake_token_parts[i]))
			return false;
	return dd_secret_entropy(s, len) >= 3.0;
}

/* ---- the scanner ---- */

enum {
	CMD_MYSQL = 1,  /* a mysql-family client: -pVALUE is its password */
	CMD_CURL = 2,   /* curl: -u user:password */
	CMD_LOGIN = 4   /* `docker|podman|oc|az … login`: -p VALUE */
};

typedef struct {
	const char *s;
	size_t len;
	dd_secret_cb cb;
	void *ctx;
	size_t count;
	bool formats_only;  /* token formats only: no options, URLs, headers */
	unsigned cmd;       /* CMD_* of the shell command being read */
	bool have_aws_id;
	size_t aws_id_end;  /* just past the last AWS access key id */
	size_t pem_no_end;  /* no "-----END " at or after this offset */
} scanner;

typedef bool (*matcher)(scanner *sc, size_t i, dd_secret_hit *hit);

static const char KIND_AWS_ID[] = "AWS access key id";

static int
ch(const scanner *sc, size_t i)
{
	return at(sc->s, sc->len, i);
}

/* The byte before i, or 0 at the start. */
static int
before(const scanner *sc, size_t i)
{
	return i > 0 ? (unsigned char)sc->s[i - 1] : 0;
}

static bool
has_at(const scanner *sc, size_t i, const char *w)
{
	size_t wl = strlen(w);
	return i <= sc->len && sc->len - i >= wl && memcmp(sc->s + i, w, wl) == 0;
}

static bool
ihas_at(const scanner *sc, size_t i, const char *w)
{
	size_t wl = strlen(w);
	return i <= sc->len && sc->len - i >= wl && ieq(sc->s + i, wl, w);
}

static size_t
run(const scanner *sc, size_t i, bool (*ok)(int))
{
	size_t j = i;
	while (j < sc->len && ok((unsigned char)sc->s[j]))
		j++;
	return j - i;
}

/* run, stopped after max bytes: enough to tell "exactly n" from "more". */
static size_t
run_max(const scanner *sc, size_t i, bool (*ok)(int), size_t max)
{
	size_t j = i, end = sc->len - i > max ? i + max : sc->len;
	while (j < end && ok((unsigned char)sc->s[j]))
		j++;
	return j - i;
}

static bool
set_hit(dd_secret_hit *hit, const char *kind, size_t start, size_t end)
{
	hit->kind = kind;
	hit->start = start;
	hit->end = end;
	return true;
}

/* Where a shell word may begin: after a blank, an operator or a quote. */
static bool
word_start(const scanner *sc, size_t i)
{
	if (i == 0)
		return true;
	int p = (unsigned char)sc->s[i - 1];
	return is_space(p) || in_set(p, ";|&(`'\"");
}

static bool
value_stop(int c)
{
	return c == 0 || is_space(c) || in_set(c, "'\";|&<>()`");
}

/* Skip blanks and backslash-newline continuations (bounded). */
static size_t
skip_blanks(const scanner *sc, size_t j)
{
	size_t start = j;

	while (j - start < VALUE_MAX) {
		int c = ch(sc, j), d = ch(sc, j + 1);
		if (is_blank(c))
			j++;
		else if (c == '\\' && d == '\n')
			j += 2;
		else if (c == '\\' && d == '\r' && ch(sc, j + 2) == '\n')
			j += 3;
		else
			break;
	}
	return j;
}

/* One shell word at j: quoted (without its quotes) or bare. */
static bool
read_value(const scanner *sc, size_t j, size_t *vs, size_t *ve)
{
	int q = ch(sc, j);
	size_t k;

	if (q == '"' || q == '\'') {
		for (k = j + 1; k < sc->len && k - j <= VALUE_MAX; k++)
			if ((unsigned char)sc->s[k] == q)
				break;
		if (ch(sc, k) != q)
			return false;
		*vs = j + 1;
		*ve = k;
		return *ve > *vs;
	}
	for (k = j; k < sc->len && k - j < VALUE_MAX; k++)
		if (value_stop((unsigned char)sc->s[k]))
			break;
	*vs = j;
	*ve = k;
	return k > j;
}

static size_t scan_text(scanner *sc);

static void
first_kind_cb(void *ctx, const dd_secret_hit *hit)
{
	const char **kind = ctx;
	if (!*kind)
		*kind = hit->kind;
}

/* The token format found in s, or NULL. */
static const char *
format_kind(const char *s, size_t len)
{
	const char *kind = NULL;
	scanner sc = { .s = s, .len = len, .cb = first_kind_cb, .ctx = &kind,
	    .formats_only = true, .pem_no_end = (size_t)-1 };

	scan_text(&sc);
	return kind;
}

static bool format_at(scanner *sc, size_t i, dd_secret_hit *hit);

/*
 * A literal credential's kind: a token format wins, read first where it
 * stands (an AWS secret needs the name before it), then inside the value.
 */
static const char *
kind_of(scanner *sc, size_t vs, size_t ve, const char *fallback)
{
	dd_secret_hit hit;

	if (format_at(sc, vs, &hit) && hit.end <= ve)
		return hit.kind;
	const char *kind = format_kind(sc->s + vs, ve - vs);
	return kind ? kind : fallback;
}

/* ---- token formats (prefix + body) ---- */

static bool
is_upper_digit(int c)
{
	return is_upper(c) || is_digit(c);
}

static bool
is_alnum_dash(int c)
{
	return is_alnum(c) || c == '-';
}

static bool
is_gitlab(int c)
{
	return is_b64url(c) || c == '.';
}

typedef struct {
	const char *prefix;
	bool (*body)(int);
	size_t min, max;    /* body length; max 0: no limit */
	bool digit;         /* the body must hold a digit */
	const char *kind;
} token_format;

/* Prefixes and body shapes as documented by the vendors (rules.md §6). */
static const token_format token_formats[] = {
	{ "AKIA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "ASIA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "AGPA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "AIDA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "AROA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "AIPA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "ANPA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "ANVA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "ABIA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "ACCA", is_upper_digit, 16, 16, false, KIND_AWS_ID },
	{ "A3T", is_upper_digit, 17, 17, false, KIND_AWS_ID },
	{ "ghp_", is_alnum, 36, 0, false, "GitHub token" },
	{ "gho_", is_alnum, 36, 0, false, "GitHub token" },
	{ "ghu_", is_alnum, 36, 0, false, "GitHub token" },
	{ "ghs_", is_alnum, 36, 0, false, "GitHub token" },
	{ "ghr_", is_alnum, 36, 0, false, "GitHub token" },
	{ "github_pat_", is_word, 40, 0, false, "GitHub token" },
	{ "glpat-", is_gitlab, 20, 0, false, "GitLab token" },
	{ "gldt-", is_gitlab, 20, 0, false, "GitLab token" },
	{ "glrt-", is_gitlab, 20, 0, false, "GitLab token" },
	{ "glptt-", is_gitlab, 20, 0, false, "GitLab token" },
	{ "xoxb-", is_alnum_dash, 10, 0, true, "Slack token" },
	{ "xoxa-", is_alnum_dash, 10, 0, true, "Slack token" },
	{ "xoxp-", is_alnum_dash, 10, 0, true, "Slack token" },
	{ "xoxr-", is_alnum_dash, 10, 0, true, "Slack token" },
	{ "xoxs-", is_alnum_dash, 10, 0, true, "Slack token" },
	{ "sk_live_", is_alnum, 10, 0, false, "Stripe secret key" },
	{ "sk_test_", is_alnum, 10, 0, false, "Stripe secret key" },
	{ "rk_live_", is_alnum, 10, 0, false, "Stripe secret key" },
	{ "rk_test_", is_alnum, 10, 0, false, "Stripe secret key" },
	{ "AIza", is_b64url, 35, 35, false, "Google API key" },
	{ "npm_", is_alnum, 36, 36, false, "npm token" },
	{ "pypi-AgEIcHlwaS5vcmc", is_b64url, 50, 0, false, "PyPI token" },
};

static bool
has_digit(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (is_digit((unsigned char)s[i]))
			return true;
	return false;
}

/* The token of format f at i: whole (not inside a longer word) and real. */
static bool
token_at(const scanner *sc, size_t i, const token_format *f, size_t *end)
{
	size_t pl = strlen(f->prefix);

	if (!has_at(sc, i, f->prefix))
		return false;
	if (is_alnum(before(sc, i)))
		return false;
	size_t n = run(sc, i + pl, f->body);
	if (n < f->min || (f->max && n > f->max) || is_alnum(ch(sc, i + pl + n)))
		return false;
	if (f->digit && !has_digit(sc->s + i + pl, n))
		return false;
	if (!token_ok(sc->s + i, pl + n))
		return false;
	*end = i + pl + n;
	return true;
}

/* Which bytes start a token format: most bytes start none, and skip the loop. */
static unsigned char token_first[256];
static pthread_once_t token_first_once = PTHREAD_ONCE_INIT;

static void
token_first_init(void)
{
	for (size_t k = 0; k < DD_ARRAY_LEN(token_formats); k++)
		token_first[(unsigned char)token_formats[k].prefix[0]] = 1;
}

static bool
m_token(scanner *sc, size_t i, dd_secret_hit *hit)
{
	int c = ch(sc, i);
	size_t end;

	pthread_once(&token_first_once, token_first_init);
	if (!token_first[(unsigned char)c] || is_alnum(before(sc, i)))
		return false; /* token_at wants a boundary before the prefix too */
	for (size_t k = 0; k < DD_ARRAY_LEN(token_formats); k++) {
		const token_format *f = &token_formats[k];
		if ((unsigned char)f->prefix[0] != c || !token_at(sc, i, f, &end))
			continue;
		if (f->kind == KIND_AWS_ID) {
			sc->have_aws_id = true;
			sc->aws_id_end = end;
		}
		return set_hit(hit, f->kind, i, end);
	}
	return false;
}

/* Is an AWS access key id found in [from, to)? */
static bool
aws_id_within(const scanner *sc, size_t from, size_t to)
{
	size_t end;

	for (size_t i = from; i < to && i < sc->len; i++) {
		if (sc->s[i] != 'A')
			continue;
		for (size_t k = 0; k < DD_ARRAY_LEN(token_formats); k++)
			if (token_formats[k].kind == KIND_AWS_ID &&
			    token_at(sc, i, &token_formats[k], &end))
				return true;
	}
	return false;
}

#define AWS_NAME_WINDOW 48
#define AWS_ID_WINDOW 256

/* An AWS-ish name just before [s, e), or an access key id next to it. */
static bool
aws_context(const scanner *sc, size_t s, size_t e)
{
	size_t w = s > AWS_NAME_WINDOW ? s - AWS_NAME_WINDOW : 0;
	const char *p = sc->s + w;

	if (icontains(p, s - w, "aws") || icontains(p, s - w, "secret_access") ||
	    icontains(p, s - w, "secretaccess") ||
	    icontains(p, s - w, "secret-access"))
		return true;
	if (sc->have_aws_id && s - sc->aws_id_end <= AWS_ID_WINDOW)
		return true;
	return aws_id_within(sc, e, e + AWS_ID_WINDOW);
}

static bool
is_b64_plain(int c)
{
	return is_alnum(c) || c == '+' || c == '/';
}

/* 40 characters of base64 are an AWS secret key only in AWS context. */
static bool
m_aws_secret(scanner *sc, size_t i, dd_secret_hit *hit)
{
	const char *v = sc->s + i;

	if (!is_b64_plain(ch(sc, i)) ||
	    is_b64_plain(before(sc, i)))
		return false;
	/* from every word start of a long path: never walk past the 41st byte */
	if (run_max(sc, i, is_b64_plain, 41) != 40)
		return false;
	bool up = false, low = false, dig = false;
	size_t slashes = 0;
	for (size_t k = 0; k < 40; k++) {
		up |= is_upper((unsigned char)v[k]);
		low |= is_lower((unsigned char)v[k]);
		dig |= is_digit((unsigned char)v[k]);
		slashes += v[k] == '/';
	}
	/* random base64 mixes all three; 4+ slashes make it a path (s3://…) */
	if (!up || !low || !dig || slashes > 3 || dd_secret_entropy(v, 40) < 4.0 ||
	    !token_ok(v, 40) || !aws_context(sc, i, i + 40))
		return false;
	return set_hit(hit, "AWS secret access key", i, i + 40);
}

/* After the header: skip blanks, quotes and literal \n, then base64. */
static size_t
pem_body(const scanner *sc, size_t j, size_t *end)
{
	size_t start = j;

	while (j - start < VALUE_MAX) {
		int c = ch(sc, j);
		if (c == '\\' && ch(sc, j + 1) == 'n')
			j += 2;
		else if (c && (is_space(c) || c == '\\' || c == '"' || c == '\''))
			j++;
		else
			break;
	}
	size_t n = run(sc, j, is_b64);
	*end = j + n;
	return n;
}

/* End of the key: past its "-----END …-----" line when there is one. */
static size_t
pem_end(scanner *sc, size_t from)
{
	if (from >= sc->pem_no_end)
		return from;
	size_t e = find(sc->s, sc->len, from, "-----END ");
	if (e == sc->len) {
		sc->pem_no_end = from;  /* later searches would fail too */
		return from;
	}
	for (size_t j = e + 9; j < sc->len && j - e < 80; j++)
		if (has_at(sc, j, "-----"))
			return j + 5;
	return e + 9;
}

static bool
m_private_key(scanner *sc, size_t i, dd_secret_hit *hit)
{
	size_t j, lab, body_end;

	if (!has_at(sc, i, "-----BEGIN "))
		return false;
	lab = j = i + 11;
	while (j - lab < 64 && (is_upper_digit(ch(sc, j)) || ch(sc, j) == ' '))
		j++;
	if (!has_at(sc, j, "-----"))
		return false;
	if (!iends(sc->s + lab, j - lab, "private key") &&
	    !iends(sc->s + lab, j - lab, "private key block"))
		return false;
	/* a header alone is a grep pattern or a message, not a key */
	if (pem_body(sc, j + 5, &body_end) < 30)
		return false;
	return set_hit(hit, "private key", i, pem_end(sc, body_end));
}

static bool
m_jwt(scanner *sc, size_t i, dd_secret_hit *hit)
{
	size_t a, b, j;

	if (!has_at(sc, i, "eyJ"))
		return false;
	if (is_b64url(before(sc, i)) || before(sc, i) == '.')
		return false;
	a = run(sc, i, is_b64url);
	if (a < 17 || ch(sc, i + a) != '.')
		return false;
	j = i + a + 1;
	b = run(sc, j, is_b64url);
	if (!has_at(sc, j, "eyJ") || b < 17 || ch(sc, j + b) != '.')
		return false;
	j += b + 1;
	j += run(sc, j, is_b64url);
	if (!token_ok(sc->s + i, j - i))
		return false;
	return set_hit(hit, "JWT", i, j);
}

static bool
is_hook_char(int c)
{
	return is_alnum(c) || c == '/' || c == '_' || c == '+' || c == '-';
}

static bool
m_slack_hook(scanner *sc, size_t i, dd_secret_hit *hit)
{
	static const char *const paths[] = {
		"services/", "workflows/", "triggers/",
	};
	size_t j = i + 16;

	if (!has_at(sc, i, "hooks.slack.com/"))
		return false;
	if (is_alnum(before(sc, i)) || before(sc, i) == '.')
		return false;
	for (size_t k = 0; k < DD_ARRAY_LEN(paths); k++) {
		if (!has_at(sc, j, paths[k]))
			continue;
		size_t p = j + strlen(paths[k]);
		size_t n = run(sc, p, is_hook_char);
		if (n < 20 || !token_ok(sc->s + p, n))
			return false;
		return set_hit(hit, "Slack webhook", i, p + n);
	}
	return false;
}

/* ---- credentials in command lines ---- */

static bool
url_stop(int c)
{
	return c == 0 || is_space(c) || in_set(c, "/?#@\"'<>`;|&\\");
}

/* scheme://user:password@host: the password (not user@, not :@). */
static bool
m_url_password(scanner *sc, size_t i, dd_secret_hit *hit)
{
	size_t u = i + 3, j, colon = 0;

	if (!has_at(sc, i, "://") || !is_alnum(before(sc, i)))
		return false;
	for (j = u; j < sc->len && j - u < VALUE_MAX; j++) {
		int c = (unsigned char)sc->s[j];
		if (url_stop(c))
			break;
		if (c == ':' && !colon)
			colon = j;
	}
	if (ch(sc, j) != '@' || !colon)
		return false;
	if (!is_alnum(ch(sc, j + 1)) && ch(sc, j + 1) != '[')
		return false;
	if (!literal_ok(sc->s + colon + 1, j - colon - 1))
		return false;
	return set_hit(hit, kind_of(sc, colon + 1, j, "password in URL"),
	    colon + 1, j);
}

/* The last word of an option name that makes its value a secret. */
static const struct {
	const char *word;
	const char *kind;
} option_words[] = {
	{ "password", "password option" },
	{ "passwd", "password option" },
	{ "pass", "password option" },
	{ "pwd", "password option" },
	{ "passphrase", "password option" },
	{ "token", "token option" },
	{ "secret", "token option" },
	{ "apikey", "token option" },
};

/* --password, --db-password, --auth-token, --api-key; not --password-stdin. */
static const char *
option_kind(const char *name, size_t len)
{
	name_tok t[NAME_MAX_TOKENS];
	size_t n = name_split(name, len, t, NAME_MAX_TOKENS);

	if (n == 0 || ieq(t[0].p, t[0].n, "no"))
		return NULL;
	const name_tok *last = &t[n - 1];
	for (size_t k = 0; k < DD_ARRAY_LEN(option_words); k++)
		if (ieq(last->p, last->n, option_words[k].word))
			return option_words[k].kind;
	if (n >= 2 && ieq(last->p, last->n, "key") &&
	    (ieq(t[n - 2].p, t[n - 2].n, "api") ||
	    ieq(t[n - 2].p, t[n - 2].n, "access") ||
	    ieq(t[n - 2].p, t[n - 2].n, "secret")))
		return "token option";
	return NULL;
}

/* A spec such as BuildKit's --secret id=x,src=y is not a credential. */
static bool
is_spec(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '=' && s[i + 1] != '=')
			return true;
	return false;
}

static bool
m_option(scanner *sc, size_t i, dd_secret_hit *hit)
{
	size_t ns = i + 2, ne = ns, vs, ve;
	const char *kind;

	if (!has_at(sc, i, "--") || !word_start(sc, i))
		return false;
	while (ne - ns < 64 && (is_alnum_dash(ch(sc, ne)) || ch(sc, ne) == '_'))
		ne++;
	if (!(kind = option_kind(sc->s + ns, ne - ns)))
		return false;
	if (ch(sc, ne) == '=')
		ne++;
	else if (is_blank(ch(sc, ne))) {
		/* mysql's --password takes its value only after '=' */
		if (sc->cmd & CMD_MYSQL)
			return false;
		ne = skip_blanks(sc, ne);
	} else
		return false;
	if (!read_value(sc, ne, &vs, &ve) || sc->s[vs] == '-' ||
	    is_spec(sc->s + vs, ve - vs) || !literal_ok(sc->s + vs, ve - vs))
		return false;
	return set_hit(hit, kind_of(sc, vs, ve, kind), vs, ve);
}

/* -pVALUE after mysql-family clients, -p VALUE after `… login`. */
static bool
m_dash_p(scanner *sc, size_t i, dd_secret_hit *hit)
{
	size_t j = i + 2, vs, ve;

	if (!(sc->cmd & (CMD_MYSQL | CMD_LOGIN)) || !has_at(sc, i, "-p") ||
	    !word_start(sc, i))
		return false;
	if (is_blank(ch(sc, j))) {
		if (!(sc->cmd & CMD_LOGIN))
			return false;  /* mysql -p alone prompts */
		j = skip_blanks(sc, j);
	} else if (ch(sc, j) == '=')
		j++;
	if (!read_value(sc, j, &vs, &ve) || sc->s[vs] == '-' ||
	    !literal_ok(sc->s + vs, ve - vs))
		return false;
	return set_hit(hit, kind_of(sc, vs, ve, "password option"), vs, ve);
}

/* curl -u user:password, --user user:password: the password. */
static bool
m_curl_user(scanner *sc, size_t i, dd_secret_hit *hit)
{
	size_t j, vs, ve, colon;

	if (!(sc->cmd & CMD_CURL) || !word_start(sc, i))
		return false;
	if (has_at(sc, i, "--user") && ch(sc, i + 6) == '=')
		j = i + 7;
	else if (has_at(sc, i, "--user") && is_blank(ch(sc, i + 6)))
		j = skip_blanks(sc, i + 6);
	else if (has_at(sc, i, "-u"))
		j = skip_blanks(sc, i + 2);
	else
		return false;
	if (!read_value(sc, j, &vs, &ve))
		return false;
	for (colon = vs; colon < ve && sc->s[colon] != ':'; colon++)
		;
	if (colon == ve || !literal_ok(sc->s + colon + 1, ve - colon - 1))
		return false;
	return set_hit(hit, kind_of(sc, colon + 1, ve, "curl credentials"),
	    colon + 1, ve);
}

static const struct {
	const char *name;
	bool scheme;        /* the value starts with Bearer/Basic/token … */
} auth_headers[] = {
	{ "authorization", true },
	{ "proxy-authorization", true },
	{ "private-token", false },
	{ "job-token", false },
	{ "deploy-token", false },
	{ "x-api-key", false },
	{ "api-key", false },
	{ "x-auth-token", false },
	{ "x-access-token", false },
};

static const char *const auth_schemes[] = {
	"bearer", "basic", "token", "digest", "bot", "apikey",
};

/* The credential after "Name:" (or PowerShell's 'Name' = ). */
static bool
header_value(const scanner *sc, size_t j, bool scheme, size_t *vs, size_t *ve)
{
	if (ch(sc, j) == '"' || ch(sc, j) == '\'')
		j++;
	j = skip_blanks(sc, j);
	if (ch(sc, j) != ':' && ch(sc, j) != '=')
		return false;
	j = skip_blanks(sc, j + 1);
	if (ch(sc, j) == '"' || ch(sc, j) == '\'')
		j++;
	if (scheme) {
		size_t w = j;
		while (w - j < 16 && (is_alnum(ch(sc, w)) || ch(sc, w) == '-'))
			w++;
		if (word_in(sc->s + j, w - j, auth_schemes,
		    DD_ARRAY_LEN(auth_schemes))) {
			if (!is_blank(ch(sc, w)))
				return false;
			j = skip_blanks(sc, w);
		}
	}
	return read_value(sc, j, vs, ve);
}

static bool
m_auth_header(scanner *sc, size_t i, dd_secret_hit *hit)
{
	size_t vs, ve;
	int c = to_lower(ch(sc, i));

	if (!(c == 'a' || c == 'p' || c == 'j' || c == 'd' || c == 'x'))
		return false;
	if (is_alnum_dash(before(sc, i)) || before(sc, i) == '_')
		return false;
	for (size_t k = 0; k < DD_ARRAY_LEN(auth_headers); k++) {
		size_t j = i + strlen(auth_headers[k].name);
		if (!ihas_at(sc, i, auth_headers[k].name) ||
		    is_alnum_dash(ch(sc, j)))
			continue;
		if (!header_value(sc, j, auth_headers[k].scheme, &vs, &ve) ||
		    !literal_ok(sc->s + vs, ve - vs))
			return false;
		return set_hit(hit, kind_of(sc, vs, ve, auth_headers[k].scheme ?
		    "Authorization header" : "API key header"), vs, ve);
	}
	return false;
}

/* NAME=value in a command: a secret name and a plausible value. */
static bool
m_assignment(scanner *sc, size_t i, dd_secret_hit *hit)
{
	size_t j = i, vs, ve;
	int c = ch(sc, i);

	if (!(is_lower(c) || is_upper(c) || c == '_'))
		return false;
	/* .npmrc lines: //registry.npmjs.org/:_authToken=… */
	if (!word_start(sc, i) && !(before(sc, i) == ':' && has_at(sc, i, "_auth")))
		return false;
	while (j - i < 128 && (is_alnum(ch(sc, j)) || ch(sc, j) == '_'))
		j++;
	if (ch(sc, j) != '=' || !dd_secret_name(sc->s + i, j - i, NULL))
		return false;
	/* key=… and keys=… in scripts are loop and gpg variables */
	if (ieq(sc->s + i, j - i, "key") || ieq(sc->s + i, j - i, "keys"))
		return false;
	if (!read_value(sc, j + 1, &vs, &ve) ||
	    !dd_secret_value_plausible(sc->s + vs, ve - vs))
		return false;
	return set_hit(hit, kind_of(sc, vs, ve, "secret assignment"), vs, ve);
}

/* Command words that change how -p and -u are read. */
static const char *const mysql_cmds[] = {
	"mysql", "mysqladmin", "mysqldump", "mysqlimport", "mysqlshow",
	"mysqlcheck", "mysqlpump", "mariadb", "mariadb-admin", "mariadb-dump",
	"mariadb-import", "mariadb-show", "mariadb-check",
};

static bool
cmd_stop(int c)
{
	switch (c) {
	case 0: case ';': case '|': case '&': case '(': case ')': case '`': case '\'': case '"':
		return true;
	default:
		return is_space(c);
	}
}

static void
track_command(scanner *sc, size_t i)
{
	int c = ch(sc, i);
	size_t j = i, base = i;

	/* at every offset: a switch, not strchr */
	bool ends = false;
	switch (c) {
	case ';': case '|': case '&': case '(': case ')': case '`':
		ends = true;
		break;
	case '\n':
		ends = before(sc, i) != '\\';
		break;
	}
	if (ends) {
		sc->cmd = 0;
		return;
	}
	if (cmd_stop(c) || !word_start(sc, i))
		return;
	while (j - i < 64 && !cmd_stop(ch(sc, j))) {
		if (sc->s[j] == '/')
			base = j + 1;
		j++;
	}
	/* every command word comes here: look at its first letter first */
	int first = base < j ? to_lower((unsigned char)sc->s[base]) : 0;
	if (first == 'm' && word_in(sc->s + base, j - base, mysql_cmds, DD_ARRAY_LEN(mysql_cmds)))
		sc->cmd |= CMD_MYSQL;
	if (first == 'c' && ieq(sc->s + base, j - base, "curl"))
		sc->cmd |= CMD_CURL;
	if (ieq(sc->s + i, j - i, "login"))
		sc->cmd |= CMD_LOGIN;
}

/* Formats first: at one offset the most specific reading wins. */
static const matcher format_matchers[] = {
	m_private_key, m_token, m_jwt, m_aws_secret, m_slack_hook,
};

static const matcher context_matchers[] = {
	m_url_password, m_option, m_dash_p, m_curl_user, m_auth_header,
	m_assignment,
};

static bool
format_at(scanner *sc, size_t i, dd_secret_hit *hit)
{
	for (size_t k = 0; k < DD_ARRAY_LEN(format_matchers); k++)
		if (format_matchers[k](sc, i, hit))
			return true;
	return false;
}

static bool
match_at(scanner *sc, size_t i, dd_secret_hit *hit)
{
	if (format_at(sc, i, hit))
		return true;
	if (sc->formats_only)
		return false;
	for (size_t k = 0; k < DD_ARRAY_LEN(context_matchers); k++)
		if (context_matchers[k](sc, i, hit))
			return true;
	return false;
}

/* Hits never overlap: the scan resumes after each one. */
static size_t
scan_text(scanner *sc)
{
	size_t i = 0;
	dd_secret_hit hit;

	while (i < sc->len) {
		/*
		 * Inside a word (a letter or digit after one) no matcher can
		 * start: every one needs a boundary or a punctuation mark first.
		 * Skipping those bytes is most of the scan's speed.
		 */
		unsigned char c = (unsigned char)sc->s[i];
		if (i > 0 && is_alnum(c) && is_alnum((unsigned char)sc->s[i - 1])) {
			i++;
			continue;
		}
		if (!sc->formats_only)
			track_command(sc, i);
		/* and the only punctuation a match starts with: - (keys, options), : (URLs), _ + / */
		if (!is_alnum(c) && c != '-' && c != ':' && c != '_' && c != '+' && c != '/') {
			i++;
			continue;
		}
		if (!match_at(sc, i, &hit)) {
			i++;
			continue;
		}
		sc->count++;
		if (sc->cb)
			sc->cb(sc->ctx, &hit);
		i = hit.end > i ? hit.end : i + 1;
	}
	return sc->count;
}

size_t
dd_secret_scan(const char *text, size_t len, dd_secret_cb cb, void *ctx)
{
	scanner sc = { .s = text, .len = len, .cb = cb, .ctx = ctx,
	    .pem_no_end = (size_t)-1 };

	if (!text)
		return 0;
	return scan_text(&sc);
}

/* ---- values ---- */

/* Trim blanks and one pair of matching quotes (values keep them as written). */
static void
unquote(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = *len;

	while (n > 0 && is_space((unsigned char)p[0])) {
		p++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)p[n - 1]))
		n--;
	if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
		p++;
		n -= 2;
	}
	*s = p;
	*len = n;
}

/*
 * An OpenPGP fingerprint or long key id as gpg prints it: 40 or 16
 * upper-case hex digits (docker-library's key='B97B…'). Lower-case hex of
 * the same length may be a token (GitHub's old ones) and stays in.
 */
static bool
is_fingerprint(const char *s, size_t len)
{
	if (len == 18 && istarts(s, len, "0x")) {
		s += 2;
		len -= 2;
	}
	if (len != 40 && len != 16)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_digit((unsigned char)s[i]) && !(s[i] >= 'A' && s[i] <= 'F'))
			return false;
	return true;
}

/* Paths, URLs, e-mail addresses, numbers and versions, sentences. */
static bool
not_secret_shape(const char *s, size_t len)
{
	bool at_sign = false, dot_after_at = false, colon = false, numeric = true;

	if (s[0] == '/' || s[0] == '~' || istarts(s, len, "./") ||
	    istarts(s, len, "../") ||
	    (len > 2 && s[1] == ':' && (s[2] == '\\' || s[2] == '/')))
		return true;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (is_space(c))
			return true;
		if (c == ':' && i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/')
			return true;
		at_sign |= c == '@';
		dot_after_at |= at_sign && c == '.';
		colon |= c == ':';
		if (!is_digit(c) && !in_set(c, ".-_+:") &&
		    !(i == 0 && (c == 'v' || c == 'V')))
			numeric = false;
	}
	return numeric || (at_sign && dot_after_at && !colon);
}

/*
 * The entropy test. Under 8 characters a value is a word or a PIN. Shorter
 * than 20 it must mix two classes of characters (lower, upper, digit,
 * symbol) so that plain words (postgres, kubernetes) do not count; then
 * 2.5 bits a character (admin123 has 3.0, aaaabbbb 1.0) up to 15 characters
 * and 3.0 beyond. A single class counts from 20 characters at 3.5 bits.
 */
static bool
random_enough(const char *s, size_t len)
{
	bool low = false, up = false, dig = false, sym = false;

	if (len < 8 || not_secret_shape(s, len) || is_fingerprint(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		low |= is_lower(c);
		up |= is_upper(c);
		dig |= is_digit(c);
		sym |= !is_alnum(c) && !in_set(c, "-_.");
	}
	int classes = low + up + dig + sym;
	double h = dd_secret_entropy(s, len);
	if (classes >= 2)
		return h >= (len < 16 ? 2.5 : 3.0);
	return len >= 20 && h >= 3.5;
}

bool
dd_secret_value_plausible(const char *value, size_t len)
{
	if (!value)
		return false;
	unquote(&value, &len);
	if (len == 0 || one_char(value, len) || has_variable(value, len) ||
	    is_placeholder(value, len))
		return false;
	if (format_kind(value, len))
		return true;
	return random_enough(value, len);
}

/* ---- redaction ---- */

/* Characters (UTF-8 lead bytes) in s. */
static size_t
utf8_count(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Bytes taken by the first n characters of s. */
static size_t
utf8_prefix(const char *s, size_t len, size_t n)
{
	size_t i = 0, seen = 0;

	for (; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && seen++ == n)
			break;
	}
	return i;
}

/* Bytes of s that its redaction shows. */
static size_t
redact_keep(const char *s, size_t len)
{
	if (utf8_count(s, len) < REDACT_KEEP_MIN)
		return 0;
	return utf8_prefix(s, len, REDACT_KEEP);
}

void
dd_secret_redact(dd_buf *out, const char *s, size_t len)
{
	dd_buf_put(out, s, s ? redact_keep(s, len) : 0);
	dd_buf_put(out, "****", 4);
}

typedef struct {
	const char *src;
	char *dst;          /* NULL while measuring */
	size_t pos;         /* source bytes consumed */
	size_t out;         /* bytes produced */
} redact_state;

static void
redact_emit(redact_state *r, const char *p, size_t n)
{
	if (r->dst && n)
		memcpy(r->dst + r->out, p, n);
	r->out += n;
}

static void
redact_hit(void *ctx, const dd_secret_hit *hit)
{
	redact_state *r = ctx;
	const char *s = r->src + hit->start;

	redact_emit(r, r->src + r->pos, hit->start - r->pos);
	redact_emit(r, s, redact_keep(s, hit->end - hit->start));
	redact_emit(r, "****", 4);
	r->pos = hit->end;
}

/*
 * Two scans over the same bytes: one measures, one writes the result
 * behind the text (the only growth is in buf itself), then it moves down.
 */
size_t
dd_secret_redact_all(dd_buf *buf)
{
	redact_state r = { 0 };
	size_t n, count, total;

	if (!buf || !buf->ptr || buf->len == 0)
		return 0;
	n = buf->len;
	r.src = buf->ptr;
	count = dd_secret_scan(buf->ptr, n, redact_hit, &r);
	if (count == 0)
		return 0;
	total = r.out + (n - r.pos);
	dd_buf_grow(buf, total);
	r = (redact_state){ .src = buf->ptr, .dst = buf->ptr + n };
	dd_secret_scan(buf->ptr, n, redact_hit, &r);
	redact_emit(&r, r.src + r.pos, n - r.pos);
	memmove(buf->ptr, buf->ptr + n, total);
	buf->len = total;
	buf->ptr[total] = '\0';
	return count;
}

/* ---- key and credential files ---- */

typedef struct {
	const char *name;
	const char *what;
} file_rule;

/* Whole file names (compared ignoring case). */
static const file_rule secret_files[] = {
	{ "id_rsa", "SSH private key" },
	{ "id_dsa", "SSH private key" },
	{ "id_ecdsa", "SSH private key" },
	{ "id_ed25519", "SSH private key" },
	{ "id_ecdsa_sk", "SSH private key" },
	{ "id_ed25519_sk", "SSH private key" },
	{ ".env", "environment file" },
	{ ".npmrc", "npm credentials (.npmrc)" },
	{ ".pypirc", "PyPI credentials (.pypirc)" },
	{ ".netrc", "netrc credentials" },
	{ "_netrc", "netrc credentials" },
	{ ".git-credentials", "git credentials" },
	{ ".pgpass", "PostgreSQL password file" },
	{ ".dockercfg", "Docker registry credentials" },
	{ ".vault-token", "Vault token" },
	{ "kubeconfig", "kubeconfig" },
	{ "credentials.json", "credentials file" },
	{ "client_secret.json", "OAuth client secret" },
	{ "application_default_credentials.json", "cloud credentials" },
	{ "secring.gpg", "GnuPG private keyring" },
	{ "private-keys-v1.d", "GnuPG private keyring" },
};

/* Extensions of key stores; see file_public for the public ones. */
static const file_rule secret_exts[] = {
	{ ".pem", "PEM key" },
	{ ".key", "private key" },
	{ ".p8", "private key" },
	{ ".p12", "PKCS#12 key store" },
	{ ".pfx", "PKCS#12 key store" },
	{ ".jks", "Java key store" },
	{ ".keystore", "Java key store" },
	{ ".ppk", "PuTTY private key" },
	{ ".kubeconfig", "kubeconfig" },
};

/* .env variants that are templates, committed on purpose. */
static const char *const env_templates[] = {
	"example", "sample", "template", "tmpl", "tpl", "dist", "default",
	"defaults", "schema", "skel", "stub", "in", "orig",
};

/* In a .pem name these say certificate or public key (ca.pem, fullchain.pem) … */
static const char *const pem_public_words[] = {
	"pub", "public", "pubkey", "cert", "certs", "certificate",
	"certificates", "crt", "chain", "fullchain", "ca", "cacert", "cacerts",
	"bundle", "trust", "truststore",
};

/* … unless it also says private key (ca-key.pem, privkey.pem). */
static const char *const pem_private_words[] = {
	"key", "priv", "private", "privkey", "privatekey", "secret",
};

/*
 * A .key named like a repository signing key is public (apt and yum keys,
 * nginx_signing.key, yarn-pubkey.gpg.key); ca.key or cert.key is not.
 */
static const char *const key_public_file_words[] = {
	"pub", "public", "pubkey", "gpg", "pgp", "asc", "signing", "release",
	"repo", "archive", "apt", "keyring",
};

/* Trust stores hold certificates only. */
static const char *const store_public_words[] = {
	"trust", "truststore", "cacerts", "ca",
};

/* Inside .ssh, these files hold nothing secret. */
static const char *const ssh_public_files[] = {
	"known_hosts", "known_hosts.old", "config", "authorized_keys",
	"authorized_keys2", "environment", "rc",
};

/* [set] at p[*i] against c; *i moves past the ']'. Malformed: no match. */
static bool
glob_class(const char *p, size_t plen, size_t *i, int c)
{
	size_t j = *i + 1, first;
	bool neg = false, ok = false;

	if (j < plen && (p[j] == '!' || p[j] == '^')) {
		neg = true;
		j++;
	}
	for (first = j; j < plen && (p[j] != ']' || j == first); j++) {
		if (j + 2 < plen && p[j + 1] == '-' && p[j + 2] != ']') {
			int lo = (unsigned char)p[j], hi = (unsigned char)p[j + 2];
			ok |= c >= lo && c <= hi;
			j += 2;
		} else
			ok |= (unsigned char)p[j] == c;
	}
	if (j >= plen)
		return false;
	*i = j + 1;
	return ok != neg;
}

/* filepath.Match-style *, ?, [set] against a short name; one backtrack point. */
static bool
glob_match(const char *p, size_t plen, const char *s)
{
	size_t slen = strlen(s), i = 0, j = 0, star_p = (size_t)-1, star_s = 0;

	while (j < slen) {
		if (i < plen && p[i] == '*') {
			star_p = ++i;
			star_s = j;
			continue;
		}
		if (i < plen) {
			size_t ni = i;
			bool ok;
			if (p[i] == '[')
				ok = glob_class(p, plen, &ni, (unsigned char)s[j]);
			else {
				int pc = to_lower((unsigned char)p[i]);
				ok = pc == '?' || pc == s[j];
				ni = i + 1;
			}
			if (ok) {
				i = ni;
				j++;
				continue;
			}
		}
		if (star_p == (size_t)-1)
			return false;
		i = star_p;
		j = ++star_s;
	}
	while (i < plen && p[i] == '*')
		i++;
	return i == plen;
}

static bool
is_glob(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	return false;
}

/* Does name equal w, or (a glob with 3+ literal characters) match it? */
static bool
name_is(const char *name, size_t len, const char *w)
{
	size_t literal = 0;

	if (ieq(name, len, w))
		return true;
	if (!is_glob(name, len))
		return false;
	for (size_t i = 0; i < len; i++)
		literal += !in_set((unsigned char)name[i], "*?[]");
	return literal >= 3 && glob_match(name, len, w);
}

static bool
name_has_word(const char *s, size_t len, const char *const *list, size_t n)
{
	name_tok t[NAME_MAX_TOKENS];
	size_t nt = name_split(s, len, t, NAME_MAX_TOKENS);

	for (size_t k = 0; k < nt; k++)
		if (word_in(t[k].p, t[k].n, list, n))
			return true;
	return false;
}

/* A .pem/.key/key store that its name says is public (ca.pem, repo.key). */
static bool
file_public(const char *base, size_t len, const char *ext)
{
	size_t stem = len - strlen(ext);

	if (strcmp(ext, ".pem") == 0)
		return name_has_word(base, stem, pem_public_words,
		    DD_ARRAY_LEN(pem_public_words)) &&
		    !name_has_word(base, stem, pem_private_words,
		    DD_ARRAY_LEN(pem_private_words));
	if (strcmp(ext, ".key") == 0)
		return name_has_word(base, stem, key_public_file_words,
		    DD_ARRAY_LEN(key_public_file_words));
	if (strcmp(ext, ".jks") == 0 || strcmp(ext, ".keystore") == 0 ||
	    strcmp(ext, ".p12") == 0 || strcmp(ext, ".pfx") == 0)
		return name_has_word(base, stem, store_public_words,
		    DD_ARRAY_LEN(store_public_words));
	return false;
}

static const char *
base_secret(const char *base, size_t len)
{
	for (size_t k = 0; k < DD_ARRAY_LEN(secret_files); k++)
		if (name_is(base, len, secret_files[k].name))
			return secret_files[k].what;
	if (istarts(base, len, ".env.") && !word_in(base + 5, len - 5,
	    env_templates, DD_ARRAY_LEN(env_templates)))
		return "environment file";
	if (iends(base, len, ".json") && (icontains(base, len, "service-account") ||
	    icontains(base, len, "service_account") ||
	    icontains(base, len, "serviceaccount")))
		return "cloud service-account key";
	if (istarts(base, len, "client_secret") && iends(base, len, ".json"))
		return "OAuth client secret";
	if (istarts(base, len, "kubeconfig"))
		return "kubeconfig";
	for (size_t k = 0; k < DD_ARRAY_LEN(secret_exts); k++) {
		const char *ext = secret_exts[k].name;
		if (len > strlen(ext) && iends(base, len, ext) &&
		    !file_public(base, len, ext))
			return secret_exts[k].what;
	}
	return NULL;
}

typedef struct {
	const char *p;
	size_t n;
} path_part;

/* Folders whose whole content, or one file in them, is a credential. */
static const char *
dir_secret(path_part parent, path_part base, bool in_ssh)
{
	if (ieq(base.p, base.n, ".ssh"))
		return "SSH folder";
	if (in_ssh && !iends(base.p, base.n, ".pub") &&
	    !word_in(base.p, base.n, ssh_public_files,
	    DD_ARRAY_LEN(ssh_public_files)))
		return "SSH key";
	if (ieq(base.p, base.n, ".aws") ||
	    (ieq(parent.p, parent.n, ".aws") &&
	    name_is(base.p, base.n, "credentials")))
		return "AWS credentials";
	if (ieq(base.p, base.n, ".docker") ||
	    (ieq(parent.p, parent.n, ".docker") &&
	    name_is(base.p, base.n, "config.json")))
		return "Docker registry credentials";
	if (ieq(base.p, base.n, ".kube") ||
	    (ieq(parent.p, parent.n, ".kube") && name_is(base.p, base.n, "config")))
		return "kubeconfig";
	if (ieq(base.p, base.n, ".gnupg"))
		return "GnuPG private keyring";
	return NULL;
}

static bool
is_sep(int c)
{
	return c == '/' || c == '\\';
}

bool
dd_secret_path(const char *path, size_t len, const char **what)
{
	path_part parent = { "", 0 }, base = { "", 0 };
	bool in_ssh = false;
	const char *w;

	if (!path)
		return false;
	unquote(&path, &len);
	while (len > 0 && is_sep((unsigned char)path[len - 1]))
		len--;
	/* ADD https://…/repo.key downloads a file; it ships nothing local */
	if (len == 0 || icontains(path, len, "://"))
		return false;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && !is_sep((unsigned char)path[j]))
			j++;
		if (j > i) {
			in_ssh |= ieq(base.p, base.n, ".ssh");
			parent = base;
			base = (path_part){ path + i, j - i };
		}
		i = j + 1;
	}
	w = dir_secret(parent, base, in_ssh);
	if (!w)
		w = base_secret(base.p, base.n);
	if (w && what)
		*what = w;
	return w != NULL;
}

/* ---- configuration files that hold credentials only sometimes ---------- */

bool
dd_secret_path_is_config(const char *path, size_t len)
{
	static const char *const configs[] = {
		".npmrc", ".yarnrc", ".yarnrc.yml", ".pypirc", ".netrc",
		"_netrc", ".env", "config.json",
	};
	const char *what;

	if (!path || is_glob(path, len) || !dd_secret_path(path, len, &what))
		return false;
	unquote(&path, &len);
	size_t b = len;
	while (b > 0 && !is_sep((unsigned char)path[b - 1]))
		b--;
	const char *base = path + b;
	size_t blen = len - b;
	if (istarts(base, blen, ".env."))
		return true;
	return word_in(base, blen, configs, DD_ARRAY_LEN(configs));
}

static void
count_hit(void *ctx, const dd_secret_hit *hit)
{
	(void)hit;
	(*(size_t *)ctx)++;
}

static void
trim(const char **p, size_t *n)
{
	while (*n > 0 && (**p == ' ' || **p == '\t'))
		(*p)++, (*n)--;
	while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' || (*p)[*n - 1] == '\r' ||
	    (*p)[*n - 1] == ','))
		(*n)--;
	if (*n >= 2 && (**p == '"' || **p == '\'') && (*p)[*n - 1] == **p)
		(*p)++, *n -= 2;
}

/* A value that is a credential written out, not a ${VAR}, a switch or an object. */
static bool
literal_value(const char *v, size_t n)
{
	trim(&v, &n);
	if (n == 0 || v[0] == '$' || v[0] == '{' || v[0] == '[' || v[0] == '<' ||
	    ieq(v, n, "true") || ieq(v, n, "false") || ieq(v, n, "null"))
		return false;
	size_t digits = 0;
	while (digits < n && v[digits] >= '0' && v[digits] <= '9')
		digits++;
	return !(digits == n && n < 6); /* PASSWORD_MIN_LENGTH=8, a port */
}

static bool
credential_key(const char *k, size_t n)
{
	static const char *const words[] = {
		"auth", "token", "password", "passwd", "secret", "credential", "apikey",
		"api_key", "access_key", "private_key",
	};
	const char *why;

	trim(&k, &n);
	/* Docker's config names the helper programs that keep the credentials */
	if (icontains(k, n, "credsstore") || icontains(k, n, "credhelpers"))
		return false;
	for (size_t i = 0; i < DD_ARRAY_LEN(words); i++)
		if (icontains(k, n, words[i]))
			return true;
	return dd_secret_name(k, n, &why);
}

/* One line of an ini/.env/YAML/JSON/netrc/XML file. */
static bool
line_has_credential(const char *s, size_t n)
{
	const char *p = s;
	size_t m = n;
	trim(&p, &m);
	if (m == 0 || p[0] == '#' || p[0] == ';')
		return false;
	/* XML: <password>…</password> */
	for (size_t i = 0; i + 10 <= m; i++)
		if (p[i] == '<' && istarts(p + i, m - i, "<password>")) {
			size_t a = i + 10, e = a;
			while (e < m && p[e] != '<')
				e++;
			return literal_value(p + a, e - a);
		}
	/* netrc: machine h login u password p */
	for (size_t i = 0; i < m;) {
		size_t j = i;
		while (j < m && p[j] != ' ' && p[j] != '\t')
			j++;
		if (ieq(p + i, j - i, "password")) {
			while (j < m && (p[j] == ' ' || p[j] == '\t'))
				j++;
			if (j < m && literal_value(p + j, m - j))
				return true;
		}
		i = j + 1;
	}
	/* key=value (ini, .env, .npmrc's //host/:_authToken=) or key: value */
	const char *eq = memchr(p, '=', m);
	if (!eq) {
		/* YAML or JSON; skip a URL's "://" when looking for the colon */
		eq = p;
		for (;;) {
			eq = memchr(eq, ':', m - (size_t)(eq - p));
			if (!eq || (size_t)(eq - p) + 2 >= m || eq[1] != '/' || eq[2] != '/')
				break;
			eq += 3;
		}
	}
	if (!eq)
		return false;
	const char *key = p, *end = p + m;
	if (eq - key >= 7 && ieq(key, 7, "export "))
		key += 7;
	return credential_key(key, (size_t)(eq - key)) && literal_value(eq + 1, (size_t)(end - eq - 1));
}

bool
dd_secret_config_has_credential(const char *text, size_t len)
{
	size_t hits = 0;
	dd_secret_scan(text, len, count_hit, &hits);
	if (hits)
		return true;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		if (line_has_credential(text + i, e - i))
			return true;
		i = e + 1;
	}
	return false;
}
