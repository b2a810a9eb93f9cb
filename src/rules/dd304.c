/* DD304 no-digest: FROM not pinned by @sha256 digest. */
#include "rules.h"
#include "image.h"

const dd_rule_doc dd304_doc = {
	"The base image is not pinned by digest",
	"A tag is a name the registry can move: python:3.12-slim today is not the same "
	"image as next month, or as what a compromised registry serves. A digest "
	"(@sha256:…) names exactly one image; tools like Renovate or Dependabot keep it "
	"current.",
	"Add the digest of the image you tested: `FROM python:3.12-slim@sha256:…` "
	"(`docker buildx imagetools inspect python:3.12-slim` prints it).",
	"FROM python:3.12-slim\n",
	"FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
};

void
dd304_check(dd_ctx *ctx, const dd_doc *doc)
{
	for (size_t i = 0; i < doc->nstages; i++) {
		const dd_stage *st = &doc->stages[i];
		if (!dd_from_is_image(st) || st->from->as.from.ref.digest[0])
			continue;
		dd_report_instr(ctx, st->from, st->from->as.from.image.span,
		    "FROM %s is not pinned by digest", dd_from_text(st));
	}
}
