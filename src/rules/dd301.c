/* DD301 fat-base-image: the final stage is built on a full OS or language image. */
#include "rules.h"
#include "drydock/fixer.h"
#include "image.h"
#include "multistage.h"

#include <string.h>

const dd_rule_doc dd301_doc = {
	"The final stage is built on a full image where a slim or distroless one exists",
	"Every package in the final image is code an attacker can use and a CVE your "
	"scanner will report: python:3.12 is a full Debian with compilers and hundreds "
	"of packages, python:3.12-slim a fraction of it, and a distroless runtime holds "
	"only the interpreter. Smaller images also pull and start faster.",
	"drydock fix switches to the slim variant of the same release and distribution "
	"(python:3.12 → python:3.12-slim: only the tag changes) when the stage's RUN steps "
	"install and run no compilers, headers or build tools (gcc, make, build-essential, "
	"*-dev, javac, mvn …), which the slim image lacks. A stage that compiles is left "
	"to DD302's multi-stage rewrite, or to you; so is an image with no tag (pin it "
	"first, DD303) or pinned by digest.",
	"FROM python:3.12\nCOPY app /app\n",
	"FROM python:3.12-slim\nCOPY app /app\n",
};

/*
 * The tag of the slim variant to write into st's FROM, or false: same
 * repository and family, a concrete tag written plainly, no digest.
 */
static bool
slim_tag(const dd_ctx *ctx, const dd_stage *st, const dd_image_info *info, char *tag, size_t size)
{
	const dd_image_ref *r = &st->from->as.from.ref;
	const dd_word *img = &st->from->as.from.image;
	size_t tlen = strlen(r->tag);
	if (!info->slim || !tlen || strcmp(r->tag, "latest") == 0 || r->digest[0] ||
	    memchr(img->text, '$', img->len) || img->span.end - img->span.start != img->len ||
	    img->len <= tlen || memcmp(img->text + img->len - tlen, r->tag, tlen) != 0 ||
	    img->text[img->len - tlen - 1] != ':')
		return false;
	const char *slash = strrchr(info->slim, '/');
	const char *name = slash ? slash + 1 : info->slim;
	const char *colon = strchr(name, ':');
	if (!colon || (size_t)(colon - name) != strlen(r->name) || memcmp(name, r->name, strlen(r->name)) != 0 ||
	    strlen(colon + 1) >= size)
		return false;
	strcpy(tag, colon + 1);
	/* moving to another distribution or release breaks the RUN steps */
	dd_image_ref slim = *r;
	slim.tag = tag;
	dd_image_info si;
	dd_knowledge_image(dd_ctx_knowledge(ctx), &slim, &si);
	return si.family == info->family && !si.fat;
}

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
	if (!info.slim)
		return;
	dd_ms_plan plan;
	dd_ms_analyse(ctx, doc, st, &info, &plan);
	char tag[128];
	if (plan.ok)
		dd_finding_appendf(f, "; drydock fix builds it in a separate stage instead (DD302)");
	else if (plan.needs[0])
		dd_finding_appendf(f, "; the stage uses build tools the slim image lacks (%s)", plan.needs);
	f->fixable = !plan.ok && !plan.needs[0] && slim_tag(ctx, st, &info, tag, sizeof(tag));
	dd_ms_plan_free(&plan);
}

void
dd301_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	dd_ctx *ctx = dd_fixer_ctx(fx);
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	if (!ins || ins->kind != DD_INSTR_FROM || !ins->stage || !kb)
		return;
	const dd_stage *st = ins->stage;
	dd_image_info info;
	dd_knowledge_image(kb, &ins->as.from.ref, &info);
	char tag[128];
	if (!slim_tag(ctx, st, &info, tag, sizeof(tag)))
		return;
	/* only the tag: the registry and repository stay as written */
	const dd_word *img = &ins->as.from.image;
	size_t tlen = strlen(ins->as.from.ref.tag);
	dd_fix_replace(fx, img->span.end - (uint32_t)tlen, img->span.end, tag);
	dd_fix_note_add(fx, true, 0,
	    "FROM %s → %s: the same release without compilers and documentation; the stage's RUN steps use none",
	    dd_from_text(st), info.slim);
}
