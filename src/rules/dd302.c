/* DD302 toolchain-in-final-stage: compilers and SDKs ship in the final stage. */
#include "rules.h"
#include "drydock/fixer.h"
#include "image.h"

const dd_rule_doc dd302_doc = {
	"Compilers or an SDK ship in the final stage",
	"Building in the final stage leaves the toolchain in the image that runs: "
	"golang, maven, gradle, rust, gcc and full JDK images are hundreds of megabytes "
	"of compilers, package managers and headers that the program does not need at "
	"run time and an attacker can use.",
	"Build in a first stage and copy only the artifact into a small final stage: a Go "
	"or Rust static binary into gcr.io/distroless/static-debian12, a jar into "
	"gcr.io/distroless/java21-debian12, a Node app into gcr.io/distroless/nodejs20-debian12.",
	"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./cmd/app\nCMD [\"/app\"]\n",
	"FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/app\n\n"
	"FROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
};

void
dd302_check(dd_ctx *ctx, const dd_doc *doc)
{
	const dd_stage *st = dd_ctx_final_stage(ctx);
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	if (!st || !kb || !dd_from_is_image(st))
		return;
	dd_image_info info;
	dd_knowledge_image(kb, &st->from->as.from.ref, &info);
	/* images with a slim variant (python, node) are DD301's */
	if (!info.toolchain || info.slim)
		return;
	const dd_word *img = &st->from->as.from.image;
	if (info.distroless)
		dd_report_instr(ctx, st->from, img->span,
		    "the final stage is built on %s, a toolchain image: build in an earlier stage and copy the result into %s",
		    dd_from_text(st), info.distroless);
	else
		dd_report_instr(ctx, st->from, img->span,
		    "the final stage is built on %s, a toolchain image: build in an earlier stage and copy only the result",
		    dd_from_text(st));
	(void)doc;
}

void
dd302_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	(void)fx;
	(void)doc;
	(void)f;
}
