/* The image checks (DD6xx): a built image's user, environment and history. */
#include "drydock/imagecheck.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/secret.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the table ------------------------------------------------------------------ */

static const char *const no_aliases[] = { NULL };

static const dd_rule_doc dd601_doc = {
	"The built image runs as root",
	"The image's configuration (Config.User) decides who the container's process is "
	"when nothing overrides it. Empty, `0` or `root` means uid 0: a break-out from the "
	"container starts as root on the host. A user name (`app`) is resolved from the "
	"image's /etc/passwd when the container starts, so neither drydock nor Kubernetes' "
	"runAsNonRoot can tell that it is not root: that is reported as a warning. "
	"DD101 finds the cause in the Dockerfile; this check looks at what was built, "
	"which also covers a base image's user and build arguments.",
	"End the final stage with a numeric `USER uid:gid` (`drydock fix` adds one, "
	"or `drydock build --fix` builds the fixed Dockerfile).",
	"FROM debian:bookworm-slim\nCOPY app /usr/local/bin/app\nCMD [\"app\"]\n",
	"FROM debian:bookworm-slim\nCOPY app /usr/local/bin/app\nUSER 10001:10001\nCMD [\"app\"]\n",
};

static const dd_rule_doc dd602_doc = {
	"An environment variable of the built image holds a secret",
	"Config.Env ships with the image: anyone who can pull it reads the values with "
	"`docker image inspect`, and every process of every container sees them. A value "
	"can get there without being written in the Dockerfile, e.g. `ENV APP_CONFIG=$APP_CONFIG` "
	"filled by `--build-arg APP_CONFIG=<token>`. drydock reports a value that is a known "
	"token format, or a random-looking value of a secret-named variable (DD201's test); "
	"the value is shown redacted.",
	"Remove the variable from the image: pass build-time secrets with `--secret` and "
	"`RUN --mount=type=secret`, and inject run-time secrets when the container starts "
	"(`docker run --env-file`, Compose secrets, a Kubernetes secretKeyRef). Rebuild, and "
	"treat the secret as leaked: rotate it.",
	"FROM debian:bookworm-slim\nARG APP_CONFIG\nENV APP_CONFIG=$APP_CONFIG\nUSER 10001:10001\n",
	"FROM debian:bookworm-slim\nUSER 10001:10001\n# APP_CONFIG is given when the container starts\n",
};

static const dd_rule_doc dd603_doc = {
	"The built image's history holds a secret",
	"Each layer records the instruction that made it (`created_by`), and for RUN that "
	"includes the build arguments it saw (`|1 NPM_TOKEN=… /bin/sh -c …`). `docker history` "
	"shows them to anyone who can pull the image, even when no file and no variable of the "
	"final image holds the secret. drydock reports a known token format or a "
	"random-looking value of a secret-named variable in any history entry, redacted.",
	"Do not pass secrets as build arguments: use `--secret id=x,env=X` with "
	"`RUN --mount=type=secret,id=x` (`drydock fix` rewrites ARG and ENV secrets that way). "
	"Rebuild, and rotate the secret.",
	"FROM node:20-slim\nARG NPM_TOKEN\nRUN npm ci\n",
	"FROM node:20-slim\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n",
};

const dd_rule dd_image_rules[] = {
	{ 601, "DD601", "image-root-user", DD_SEV_ERROR, no_aliases, NULL, &dd601_doc, NULL },
	{ 602, "DD602", "image-secret-env", DD_SEV_ERROR, no_aliases, NULL, &dd602_doc, NULL },
	{ 603, "DD603", "image-secret-history", DD_SEV_ERROR, no_aliases, NULL, &dd603_doc, NULL },
};

const size_t dd_nimage_rules = DD_ARRAY_LEN(dd_image_rules);

const dd_rule *
dd_image_rule_find(const char *name)
{
	for (size_t i = 0; i < dd_nimage_rules; i++)
		if (strcasecmp(dd_image_rules[i].code, name) == 0 || strcasecmp(dd_image_rules[i].slug, name) == 0)
			return &dd_image_rules[i];
	return NULL;
}

/* ---- the engines' JSON ------------------------------------------------------------ */

void
dd_image_meta_free(dd_image_meta *m)
{
	free(m->user);
	for (size_t i = 0; i < m->nenv; i++)
		free(m->env[i]);
	free(m->env);
	for (size_t i = 0; i < m->nhistory; i++)
		free(m->history[i]);
	free(m->history);
	memset(m, 0, sizeof(*m));
}

static void
push(char ***v, size_t *n, const char *s, size_t len)
{
	*v = dd_xreallocarray(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = dd_xstrndup(s, len);
}

/* A non-empty object member, trying each name ("Config", "config"). */
static json_t *
member(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	if ((!v || json_is_null(v)) && b)
		v = json_object_get(o, b);
	return v && !json_is_null(v) ? v : NULL;
}

static void
read_config(dd_image_meta *m, json_t *cfg)
{
	json_t *user = member(cfg, "User", "user"), *env = member(cfg, "Env", "env"), *e;
	size_t i;
	m->user = dd_xstrdup(json_is_string(user) ? json_string_value(user) : "");
	json_array_foreach(env, i, e)
		if (json_is_string(e))
			push(&m->env, &m->nenv, json_string_value(e), json_string_length(e));
}

static void
read_history(dd_image_meta *m, json_t *hist)
{
	json_t *h;
	size_t i;
	json_array_foreach(hist, i, h) {
		json_t *by = member(h, "created_by", "CreatedBy");
		if (json_is_string(by))
			push(&m->history, &m->nhistory, json_string_value(by), json_string_length(by));
	}
}

int
dd_image_meta_parse(dd_image_meta *out, const char *json, size_t len)
{
	memset(out, 0, sizeof(*out));
	json_error_t err;
	json_t *root = json_loadb(json, len, 0, &err);
	if (!root)
		return dd_error_set(DD_EPARSE, "the engine's image description is not JSON: %s (line %d)",
		    err.text, err.line);
	/* docker and podman: an array of images; buildah: one object */
	json_t *img = json_is_array(root) ? json_array_get(root, 0) : root;
	if (!json_is_object(img)) {
		json_decref(root);
		return dd_error_set(DD_EPARSE, "the engine described no image");
	}
	json_t *cfg = NULL, *hist = NULL;
	json_t *oci = member(img, "OCIv1", NULL), *docker = member(img, "Docker", NULL);
	if (oci || docker) {
		cfg = oci ? member(oci, "config", NULL) : NULL;
		if (!cfg && docker)
			cfg = member(docker, "config", NULL);
		hist = oci ? member(oci, "history", NULL) : NULL;
		if (!hist && docker)
			hist = member(docker, "history", NULL);
	} else {
		cfg = member(img, "Config", "config");
		hist = member(img, "History", "history");
	}
	read_config(out, json_is_object(cfg) ? cfg : NULL);
	if (json_is_array(hist))
		read_history(out, hist);
	json_decref(root);
	return DD_OK;
}

int
dd_image_meta_add_history(dd_image_meta *m, const char *text, size_t len)
{
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (end > at) {
			json_error_t err;
			json_t *s = json_loadb(text + at, end - at, JSON_DECODE_ANY, &err);
			if (!json_is_string(s)) {
				json_decref(s);
				return dd_error_set(DD_EPARSE, "the engine's image history is not a list of JSON strings");
			}
			push(&m->history, &m->nhistory, json_string_value(s), json_string_length(s));
			json_decref(s);
		}
		at = end + 1;
	}
	return DD_OK;
}

/* ---- the checks ---------------------------------------------------------------------- */

typedef struct {
	const dd_config *cfg;
	dd_findings *out;
	char **seen;          /* raw secrets DD602 reported: DD603 does not repeat them */
	size_t nseen;
} checker;

static void
add(checker *c, size_t which, dd_severity sev, dd_buf *msg)
{
	const dd_rule *r = &dd_image_rules[which];
	dd_findings *f = c->out;
	dd_secret_redact_all(msg); /* the last line of defence, as for the rules */
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->v = dd_xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	dd_finding *d = &f->v[f->n++];
	memset(d, 0, sizeof(*d));
	d->rule = r;
	/* an override replaces the default, not a severity the check chose */
	d->severity = sev == r->severity ? dd_config_severity(c->cfg, r) : sev;
	d->message = dd_buf_detach(msg, NULL);
	d->stage = -1;
}

static bool
all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void
check_user(checker *c, const char *user)
{
	size_t n = strlen(user), u = strcspn(user, ":");
	dd_buf msg = DD_BUF_INIT;
	if (n == 0) {
		dd_buf_puts(&msg, "the image runs as root: Config.User is empty");
	} else if ((u == 4 && memcmp(user, "root", 4) == 0) || (all_digits(user, u) && strspn(user, "0") == u)) {
		dd_buf_printf(&msg, "the image runs as root: Config.User is '%s'", user);
	} else if (!all_digits(user, u)) {
		dd_buf_printf(&msg, "the image runs as the user '%.*s', a name: its uid comes from the image's "
		    "/etc/passwd when the container starts, so it cannot be checked here (nor by Kubernetes' "
		    "runAsNonRoot); use a numeric USER uid:gid", (int)u, user);
		add(c, 0, DD_SEV_WARNING, &msg);
		return;
	} else {
		return;
	}
	add(c, 0, DD_SEV_ERROR, &msg);
}

typedef struct {
	const char *kind;
	size_t start, end;
} hit;

static void
first_hit(void *p, const dd_secret_hit *h)
{
	hit *x = p;
	if (!x->kind)
		*x = (hit){ h->kind, h->start, h->end };
}

static void
check_env(checker *c, const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (!eq)
		return;
	size_t nlen = (size_t)(eq - kv);
	const char *v = eq + 1;
	size_t vlen = strlen(v);
	hit h = { NULL, 0, 0 };
	dd_secret_scan(v, vlen, first_hit, &h);
	if (!h.kind && dd_secret_name(kv, nlen, NULL) && dd_secret_value_plausible(v, vlen))
		h = (hit){ "a secret value", 0, vlen };
	if (!h.kind)
		return;
	dd_buf red = DD_BUF_INIT, msg = DD_BUF_INIT;
	dd_secret_redact(&red, v + h.start, h.end - h.start);
	dd_buf_printf(&msg, "the image's environment variable %.*s holds a secret: %s (%s)", (int)nlen, kv,
	    h.kind, red.ptr);
	dd_buf_free(&red);
	add(c, 1, DD_SEV_ERROR, &msg);
	c->seen = dd_xreallocarray(c->seen, c->nseen + 1, sizeof(char *));
	c->seen[c->nseen++] = dd_xstrndup(v + h.start, h.end - h.start);
}

static bool
seen(const checker *c, const char *s, size_t len)
{
	for (size_t i = 0; i < c->nseen; i++)
		if (strlen(c->seen[i]) == len && memcmp(c->seen[i], s, len) == 0)
			return true;
	return false;
}

typedef struct {
	const checker *c;
	const char *text;
	dd_buf shown;         /* the entry with every secret redacted */
	size_t copied;
	hit first;            /* the first secret DD602 did not report */
} history_scan;

static void
history_hit(void *p, const dd_secret_hit *h)
{
	history_scan *s = p;
	dd_buf_put(&s->shown, s->text + s->copied, h->start - s->copied);
	dd_secret_redact(&s->shown, s->text + h->start, h->end - h->start);
	s->copied = h->end;
	if (!s->first.kind && !seen(s->c, s->text + h->start, h->end - h->start))
		s->first = (hit){ h->kind, h->start, h->end };
}

static void
check_history(checker *c, size_t index, const char *entry)
{
	size_t len = strlen(entry);
	history_scan s = { c, entry, DD_BUF_INIT, 0, { NULL, 0, 0 } };
	dd_secret_scan(entry, len, history_hit, &s);
	if (!s.first.kind) {
		dd_buf_free(&s.shown);
		return;
	}
	dd_buf_put(&s.shown, entry + s.copied, len - s.copied);
	dd_buf red = DD_BUF_INIT, msg = DD_BUF_INIT;
	dd_secret_redact(&red, entry + s.first.start, s.first.end - s.first.start);
	/* a long command is cut: the message is one line */
	size_t shown = s.shown.len > 120 ? 117 : s.shown.len;
	while (shown < s.shown.len && shown > 0 && ((unsigned char)s.shown.ptr[shown] & 0xC0) == 0x80)
		shown--; /* not inside a UTF-8 character */
	for (char *p = s.shown.ptr; p < s.shown.ptr + s.shown.len; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	dd_buf_printf(&msg, "history entry %zu holds a secret: %s (%s) in `%.*s%s`", index + 1, s.first.kind,
	    red.ptr, (int)shown, s.shown.ptr, shown < s.shown.len ? "..." : "");
	dd_buf_free(&red);
	dd_buf_free(&s.shown);
	add(c, 2, DD_SEV_ERROR, &msg);
}

void
dd_image_check(const dd_image_meta *m, const dd_config *cfg, dd_findings *out)
{
	checker c = { cfg, out, NULL, 0 };
	if (!dd_config_ignores(cfg, &dd_image_rules[0]))
		check_user(&c, m->user ? m->user : "");
	if (!dd_config_ignores(cfg, &dd_image_rules[1]))
		for (size_t i = 0; i < m->nenv; i++)
			check_env(&c, m->env[i]);
	if (!dd_config_ignores(cfg, &dd_image_rules[2]))
		for (size_t i = 0; i < m->nhistory; i++)
			check_history(&c, i, m->history[i]);
	for (size_t i = 0; i < c.nseen; i++)
		free(c.seen[i]);
	free(c.seen);
}
