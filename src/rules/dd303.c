/* DD303 unpinned-base: FROM with no tag or :latest. */
#include "rules.h"
#include "drydock/fixer.h"
#include "image.h"

#include <string.h>

const dd_rule_doc dd303_doc = {
	"The base image has no tag, or :latest",
	"Without a tag (or with :latest) every build takes whatever the registry serves "
	"that day: a new major version, a different distribution, an image with other "
	"users and packages. Builds stop being reproducible and a hardened Dockerfile can "
	"silently lose its hardening.",
	"Name a version: the release you test with (python:3.12-slim, debian:12-slim), and "
	"pin it by digest as well (see DD304).",
	"FROM node\n",
	"FROM node:20-slim\n",
};

void
dd303_check(dd_ctx *ctx, const dd_doc *doc)
{
	for (size_t i = 0; i < doc->nstages; i++) {
		const dd_stage *st = &doc->stages[i];
		if (!dd_from_is_image(st))
			continue;
		const dd_image_ref *r = &st->from->as.from.ref;
		if (r->digest[0])
			continue;
		const dd_word *img = &st->from->as.from.image;
		if (!r->tag[0])
			dd_report_instr(ctx, st->from, img->span,
			    "FROM %s has no tag: name the version you build with", r->text);
		else if (strcmp(r->tag, "latest") == 0)
			dd_report_instr(ctx, st->from, img->span,
			    "FROM %s uses :latest: name the version you build with", r->text);
	}
}

void
dd303_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}
