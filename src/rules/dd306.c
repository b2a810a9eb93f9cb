/* DD306 eol-base-image: the base image's release is past its end of life. */
#include "rules.h"
#include "image.h"

const dd_rule_doc dd306_doc = {
	"The base image's release is past end of life",
	"Once a distribution or language release reaches end of life it gets no security "
	"updates: every vulnerability found after that date stays in the image for good.",
	"Move to a supported release of the same image (debian:buster → debian:bookworm, "
	"python:3.8 → python:3.12) and test.",
	"FROM debian:buster-slim\n",
	"FROM debian:bookworm-slim\n",
};

void
dd306_check(dd_ctx *ctx, const dd_doc *doc)
{
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	if (!kb)
		return;
	for (size_t i = 0; i < doc->nstages; i++) {
		const dd_stage *st = &doc->stages[i];
		if (!dd_from_is_image(st))
			continue;
		dd_image_info info;
		dd_knowledge_image(kb, &st->from->as.from.ref, &info);
		if (!info.eol)
			continue;
		dd_report_instr(ctx, st->from, st->from->as.from.image.span,
		    "FROM %s: %s reached end of life on %s: no more security updates",
		    dd_from_text(st), info.eol_release ? info.eol_release : "this release", info.eol);
	}
}
