/* DD102 non-numeric-user: the final USER is a name, not uid[:gid]. */
#include "rules.h"
#include "drydock/fixer.h"
#include "drydock/rule.h"

const dd_rule_doc dd102_doc = {
	"The final USER is a name, not a numeric uid[:gid]",
	"Kubernetes' runAsNonRoot can only check a numeric user: with `USER app` the "
	"kubelet cannot prove the user is not root and refuses to start the pod (or, "
	"without runAsNonRoot, nobody checks at all). A name is also resolved through "
	"the image's /etc/passwd at run time, which a later layer can change.",
	"drydock fix replaces the name with the numeric uid:gid the Dockerfile gives it "
	"(from the useradd/adduser line that creates it), or 10001:10001 with a user "
	"it creates.",
	"FROM node:20-slim\nUSER node\nCMD [\"node\", \"server.js\"]\n",
	"FROM node:20-slim\nUSER 1000:1000\nCMD [\"node\", \"server.js\"]\n",
};

void
dd102_check(dd_ctx *ctx, const dd_doc *doc)
{
	const dd_stage *st = dd_ctx_final_stage(ctx);
	if (!st)
		return;
	dd_user_fact u;
	dd_ctx_stage_user(ctx, st, &u);
	if (u.root || u.numeric || u.unresolved || u.source != DD_USER_FROM_INSTR)
		return;
	dd_finding *f = dd_report_instr(ctx, u.instr, u.instr->args[0].span,
	    "USER %s is a name: use the numeric uid:gid so that Kubernetes runAsNonRoot can check it",
	    u.value);
	f->fixable = true;
	(void)doc;
}

void
dd102_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}
