/*
 * Secret detection: names that say "secret", values that are tokens of a
 * known format or look random enough, and files that hold keys. Precise as
 * well as sensitive: public keys, fingerprints, paths to secrets, and
 * placeholders are not secrets.
 *
 * Redaction: dd_secret_redact keeps the first 4 characters and prints
 * "****" for the rest; findings only ever see redacted text. A value of
 * fewer than 16 characters is masked entirely ("****"): its first 4 would
 * give away a quarter of a short password or more.
 *
 * Every function here runs in time linear in its input, never reads past
 * len (inputs need not be NUL-terminated) and allocates nothing except
 * into a dd_buf the caller passes.
 */
#ifndef DRYDOCK_SECRET_H
#define DRYDOCK_SECRET_H

#include "drydock/common.h"
#include "drydock/buf.h"

/*
 * Does a variable name (ENV, ARG key) name a secret? On yes, *why (if not
 * NULL) is a short static reason ("the name contains PASSWORD"). Handles
 * the traps: GPG_KEY, *_FILE, *_PATH, *_URL, PUBLIC_*, *_LENGTH, KEYBOARD,
 * *_VERSION, *_ID (AWS_ACCESS_KEY_ID is a secret-ish name but its value is
 * not secret on its own: reported only with a secret value) …
 * The name is split at '_' and other punctuation and at camelCase
 * boundaries and judged by whole tokens; src/secret.c lists the words.
 */
bool dd_secret_name(const char *name, size_t len, const char **why);

/* A secret found in a text: its kind ("GitHub token") and byte range. */
typedef struct {
	const char *kind;   /* static string */
	size_t start, end;
} dd_secret_hit;

typedef void (*dd_secret_cb)(void *ctx, const dd_secret_hit *hit);

/*
 * Find known token formats in text: AWS access key ids and secret keys,
 * GitHub, GitLab, Slack (tokens and webhooks), Stripe secret keys, Google
 * API keys, npm and PyPI tokens, private key headers, JWTs, user:password@
 * in URLs, --password=/--token= style options, Authorization headers.
 * Variable references ($X, ${X}) are never secrets. Returns the count.
 * Also, read as shell: -pVALUE after mysql-family clients, -p VALUE after
 * `… login`, curl -u user:password, and NAME=value words where
 * dd_secret_name(NAME) and dd_secret_value_plausible(value) hold. Hits come
 * in order and never overlap; a hit covers the secret only (the password,
 * not the whole URL), so redacting it leaves the context readable. cb may
 * be NULL to count only.
 */
size_t dd_secret_scan(const char *text, size_t len, dd_secret_cb cb, void *ctx);

/*
 * Is value, assigned to a secret-looking name, plausibly a real secret?
 * False for empty values, variable references, placeholders (changeme,
 * xxx, <token>, your_token_here …), booleans, numbers, paths, plain URLs,
 * and short or low-entropy words; true for a known token format or a
 * random-looking string (entropy test). One pair of surrounding quotes is
 * ignored, as ENV and ARG values keep them.
 */
bool dd_secret_value_plausible(const char *value, size_t len);

/* Shannon entropy in bits per character. */
double dd_secret_entropy(const char *s, size_t len);

/*
 * Append the redacted form of s: its first 4 characters then "****", or
 * only "****" when s has fewer than 16 characters.
 */
void dd_secret_redact(dd_buf *out, const char *s, size_t len);

/*
 * Redact, in place in buf, every token-format secret found in it (the
 * engine's last line of defence for messages). Returns how many.
 */
size_t dd_secret_redact_all(dd_buf *buf);

/*
 * Is a path (or a COPY source glob) a key or credential file? id_rsa,
 * id_ed25519, *.pem, *.key, *.p12, *.pfx, .env (not .env.example), .npmrc,
 * .pypirc, .netrc, .git-credentials, .aws/credentials, .ssh/, .docker/config.json,
 * kubeconfig, credentials.json, service-account*.json … On yes *what (if not
 * NULL) names it ("SSH private key"). Certificates and public keys are not
 * (*.crt, *.pub, ca.pem, fullchain.pem, repository signing keys), nor are
 * URLs (ADD https://…). A glob counts when its file-name part has a key
 * extension (*.pem) or matches a key file name with 3+ literal characters
 * (id_*, *.env).
 */
bool dd_secret_path(const char *path, size_t len, const char **what);

/*
 * Is the path (no glob) a configuration file that holds credentials only
 * sometimes: .npmrc, .yarnrc(.yml), .pypirc, .netrc, .env and
 * .env.*, .docker/config.json? Keys and kubeconfigs are not:
 * they always are credentials.
 */
bool dd_secret_path_is_config(const char *path, size_t len);

/*
 * Does the text of such a file write a credential out: a token format that
 * dd_secret_scan knows, or a credential-named key (auth, token, password …)
 * with a literal value? `_authToken=${NPM_TOKEN}`, `always-auth=true` and
 * empty values are not.
 */
bool dd_secret_config_has_credential(const char *text, size_t len);

#endif
