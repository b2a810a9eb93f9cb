/* DD101 root-user: the final stage runs as root. */
#include "rules.h"
#include "user.h"
#include "drydock/fixer.h"
#include "drydock/knowledge.h"
#include "drydock/rule.h"

#include <stdio.h>

const dd_rule_doc dd101_doc = {
	"The final stage runs as root",
	"A container is not a security boundary: a process that runs as root in the "
	"container is root on the host as soon as one kernel or runtime flaw lets it "
	"out, and it can rewrite every file of the image at run time. When the final "
	"stage has no USER, or its last USER is root or 0, the container's process is "
	"root. Unlike hadolint and tally, drydock also reports the case with no USER at "
	"all, the most common one. When the entrypoint drops privileges itself (gosu, "
	"su-exec, setpriv, runuser, chroot --userspec, s6-setuidgid), the finding is "
	"only informational: such images start as root on purpose.",
	"drydock fix creates a system user with a fixed uid (10001:10001 by default; --uid, "
	"--gid, --user-name) the way the base image's distribution expects it (templates/users.json: "
	"groupadd/useradd on Debian and Ubuntu, adduser -S -D on Alpine and BusyBox, useradd "
	"after installing shadow-utils on ubi-minimal and Amazon Linux, no RUN at all on "
	"scratch and distroless), or uses the user the image ships (node's 1000) or the one the "
	"Dockerfile already creates, and sets a numeric USER after the last build step (a "
	"final `USER root` is replaced). Folders the application writes (VOLUME, --writable) "
	"are made and owned in the same RUN. Entrypoints that drop privileges are left alone.",
	"FROM python:3.12-slim\nCOPY app /app\nCMD [\"python\", \"/app/main.py\"]\n",
	"FROM python:3.12-slim\nCOPY app /app\nRUN groupadd --system --gid 10001 app && useradd --system "
	"--no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell "
	"/usr/sbin/nologin app\nUSER 10001:10001\nCMD [\"python\", \"/app/main.py\"]\n",
};

/* "the final stage 'runtime'", or "the final stage" when it has no name. */
static const char *
stage_label(const dd_stage *st, char *buf, size_t n)
{
	if (st->name)
		snprintf(buf, n, "the final stage '%s'", st->name);
	else
		snprintf(buf, n, "the final stage");
	return buf;
}

void
dd101_check(dd_ctx *ctx, const dd_doc *doc)
{
	const dd_stage *st = dd_ctx_final_stage(ctx);
	if (!st)
		return;
	dd_user_fact u;
	dd_ctx_stage_user(ctx, st, &u);
	if (!u.root)
		return;
	char label[128];
	stage_label(st, label, sizeof(label));
	const dd_instr *from = st->from;
	/* a FROM with no argument (docker build refuses it later) still has a base */
	const char *image = from->as.from.ref.text[0] ? from->as.from.ref.text
	                  : from->as.from.image.len ? from->as.from.image.text : "its base image";
	dd_finding *f;
	if (u.source == DD_USER_FROM_INSTR)
		f = dd_report_instr(ctx, u.instr, u.instr->args[0].span,
		    "%s runs as root: the last USER is %s", label, u.value);
	else if (u.source == DD_USER_FROM_STAGE)
		f = dd_report_instr(ctx, from, from->keyword.span,
		    "%s runs as root: it is built on a stage whose last USER is %s",
		    label, u.value);
	else {
		dd_image_info info = { 0 };
		const dd_knowledge *kb = dd_ctx_knowledge(ctx);
		if (kb && from->as.from.ref.valid)
			dd_knowledge_image(kb, &from->as.from.ref, &info);
		f = dd_report_instr(ctx, from, from->keyword.span,
		    "%s runs as root: no USER instruction, and %s runs as %s by default", label, image,
		    info.family == DD_FAMILY_WINDOWS ? "ContainerAdministrator" : "root");
	}
	f->fixable = true;
	const char *why;
	if (dd_ctx_drops_privileges(ctx, st, &why)) {
		/* say why it is only informational */
		dd_finding_appendf(f, "; %s, so this is expected", why);
		f->severity = DD_SEV_INFO;
		f->fixable = false;
		f->advice = true;
	}
	(void)doc;
}

void
dd101_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_stage *st = dd_ctx_final_stage(dd_fixer_ctx(fx));
	if (!st)
		return;
	if (!f->fixable) {
		/* the entrypoint drops privileges: adding USER would break it */
		dd_fix_note_add(fx, false, 0,
		    "keep it that way: the entrypoint starts as root on purpose and drops to its user; a USER "
		    "would keep it from fixing file owners at start-up");
		return;
	}
	/* a multi-stage rewrite gives the stage a non-root final stage of its own */
	if (dd_fixer_will_fix(fx, "DD302")) {
		dd_fix_note_add(fx, true, 0, "left to DD302: its new final stage runs as a non-root user");
		return;
	}
	dd_user_fix_root(fx, doc, st);
}
