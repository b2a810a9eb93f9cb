/*
 * The final stage's build, read from its instructions, for the base-image
 * rules: may DD301 move it to the slim variant (does it compile?), and the
 * multi-stage rewrite DD302 writes (builder = the stage as it is, final =
 * a distroless or slim image holding only the artifact).
 */
#ifndef DD_RULES_MULTISTAGE_H
#define DD_RULES_MULTISTAGE_H

#include "drydock/buf.h"
#include "drydock/knowledge.h"
#include "drydock/rule.h"

#define DD_MS_PATH 512

typedef struct {
	/* what the steps need that a slim image lacks ("gcc", "build-essential", "libpq-dev"), or "" */
	char needs[64];
	/* something is compiled or bundled (go build, cargo, mvn, gradle, gcc, make, npm run build …) */
	bool builds;

	/* the rewrite: ok when DD302's fixer can write it */
	bool ok;
	char why[256];           /* !ok and a build of the image's language was seen: why not ("" else) */
	const char *image;       /* the new final stage's image (knowledge's string), or NULL */
	bool distroless;         /* false: the slim fallback */
	char artifact[DD_MS_PATH]; /* what is copied, for the note */
	char builder[40];        /* the stage name the builder gets ("build", "build-1" …) */
	char user[32];           /* the final stage's USER ("65532:65532") */
	dd_buf text;             /* the new final stage: lines with LF, starting with a blank line */
	char skipped[160];       /* instructions not carried over, for the note ("" none) */
} dd_ms_plan;

/*
 * Read stage st (the final stage, built on an image described by info)
 * and fill out. Free with dd_ms_plan_free.
 */
void dd_ms_analyse(dd_ctx *ctx, const dd_doc *doc, const dd_stage *st, const dd_image_info *info,
    dd_ms_plan *out);

void dd_ms_plan_free(dd_ms_plan *p);

#endif
