/* DD102 non-numeric-user: the final USER is a name, not uid[:gid]. */
#include "rules.h"
#include "user.h"
#include "drydock/fixer.h"
#include "drydock/rule.h"

#include <stdio.h>
#include <string.h>

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

/*
 * The numeric form of USER name[:group] in stage st, or false when a part
 * cannot be resolved. buf gets "uid:gid" or "uid".
 */
static bool
numeric_user(dd_ctx *ctx, const dd_stage *st, const char *v, char *buf, size_t size)
{
	const char *colon = strchr(v, ':');
	size_t ul = colon ? (size_t)(colon - v) : strlen(v);
	unsigned uid, gid;
	bool has_gid;
	if (!dd_user_uid(ctx, st, v, ul, &uid, &has_gid, &gid))
		return false;
	if (colon && !dd_user_gid(ctx, st, colon + 1, strlen(colon + 1), &gid))
		return false;
	if (colon || has_gid)
		snprintf(buf, size, "%u:%u", uid, gid);
	else
		snprintf(buf, size, "%u", uid);
	return true;
}

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
	/* Windows users are names (ContainerUser); runAsNonRoot does not apply there */
	dd_image_info info;
	dd_user_image(ctx, st, &info);
	if (info.family == DD_FAMILY_WINDOWS)
		return;
	dd_finding *f = dd_report_instr(ctx, u.instr, u.instr->args[0].span,
	    "USER %s is a name: use the numeric uid:gid so that Kubernetes runAsNonRoot can check it",
	    u.value);
	char buf[32];
	f->fixable = numeric_user(ctx, st, u.value, buf, sizeof(buf));
	(void)doc;
}

void
dd102_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)doc;
	(void)f;
	dd_ctx *ctx = dd_fixer_ctx(fx);
	const dd_stage *st = dd_ctx_final_stage(ctx);
	dd_user_fact u;
	dd_ctx_stage_user(ctx, st, &u);
	char buf[32];
	if (!u.instr || !u.instr->nargs || !numeric_user(ctx, st, u.value, buf, sizeof(buf)))
		return;
	dd_fix_replace(fx, u.instr->args[0].span.start, u.instr->args[u.instr->nargs - 1].span.end, buf);
	dd_fix_note_add(fx, true, 0, "USER %s → USER %s", u.value, buf);
}
