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
	"drydock fix pins the image to the release its tables name for that repository "
	"(debian:13, ubuntu:26.04, alpine:3.24, python:3.13, node:26, golang:1.27 …: see "
	"\"pin\" in templates/images.json) and says so in a note: check that it is the "
	"release you build with. Images the tables do not know are left for you to pin; "
	"pin by digest as well (see DD304).",
	"FROM node\n",
	"FROM node:26\n",
};

/*
 * The tag to pin st's image to, or NULL: the tables know one, and the
 * image is written as a plain reference (no variables) the edit can extend.
 */
static const char *
pin_for(const dd_ctx *ctx, const dd_stage *st)
{
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	const dd_word *img = &st->from->as.from.image;
	if (!kb || memchr(img->text, '$', img->len) || img->span.end - img->span.start != img->len)
		return NULL;
	dd_image_info info;
	dd_knowledge_image(kb, &st->from->as.from.ref, &info);
	return info.pin;
}

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
		dd_finding *f;
		if (!r->tag[0])
			f = dd_report_instr(ctx, st->from, img->span,
			    "FROM %s has no tag: name the version you build with", r->text);
		else if (strcmp(r->tag, "latest") == 0)
			f = dd_report_instr(ctx, st->from, img->span,
			    "FROM %s uses :latest: name the version you build with", r->text);
		else
			continue;
		f->fixable = pin_for(ctx, st) != NULL;
	}
}

void
dd303_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	if (!ins || ins->kind != DD_INSTR_FROM || !ins->stage)
		return;
	const char *pin = pin_for(dd_fixer_ctx(fx), ins->stage);
	if (!pin)
		return;
	/* the written reference, its ":latest" (if any) replaced: the registry stays as written */
	const dd_word *img = &ins->as.from.image;
	size_t keep = img->len;
	if (keep > 7 && memcmp(img->text + keep - 7, ":latest", 7) == 0)
		keep -= 7;
	dd_buf b = DD_BUF_INIT;
	dd_buf_printf(&b, "%.*s:%s", (int)keep, img->text, pin);
	/* the whole token is replaced, so an " AS build" inserted after it (DD302) stays after it */
	dd_fix_replace(fx, img->span.start, img->span.end, b.ptr);
	dd_fix_note_add(fx, true, 0,
	    "FROM %.*s → %s: the release drydock's tables pin (checked %s); make sure it is the one you build and test with",
	    (int)img->len, img->text, b.ptr, dd_knowledge_checked(dd_ctx_knowledge(dd_fixer_ctx(fx))));
	dd_buf_free(&b);
}
