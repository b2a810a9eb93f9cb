/* DD302 toolchain-in-final-stage: compilers and SDKs ship in the final stage. */
#include "rules.h"
#include "drydock/fixer.h"
#include "image.h"
#include "multistage.h"

#include <stdio.h>
#include <string.h>

const dd_rule_doc dd302_doc = {
	"Compilers or an SDK ship in the final stage",
	"Building in the final stage leaves the toolchain in the image that runs: "
	"golang, maven, gradle, rust, gcc and full JDK images are hundreds of megabytes "
	"of compilers, package managers and headers that the program does not need at "
	"run time and an attacker can use.",
	"drydock fix turns the stage into a builder (`AS build`, everything kept) and "
	"appends a final stage holding only what the build made: a Go, Rust or C binary "
	"(`go build -o`, `cargo build`, `cc -o`) on gcr.io/distroless/static-debian13 "
	"when it is static (CGO_ENABLED=0, musl, -static), base-debian13 or cc-debian13 "
	"when it links glibc; the jar of `java -jar` on java17/21/25-debian13; the "
	"WORKDIR of a Node app on nodejs22/24/26-debian13; the WORKDIR and site-packages "
	"of a Python 3.13 app on python3-debian13. Where there is no distroless runtime "
	"(an odd Node release) and the stage compiles, the final stage is the slim image "
	"with its own non-root user. The final stage keeps LABEL, EXPOSE, non-secret ENV, "
	"the WORKDIR, and the exec-form CMD and ENTRYPOINT adjusted to the image's own "
	"entrypoint (CMD [\"node\", \"server.js\"] → [\"server.js\"]), runs as 65532:65532, and "
	"needs no shell. When drydock cannot tell the artifact (no -o, a shell-form CMD, "
	"files copied outside the build folder, packages installed for run time), it "
	"changes nothing and the finding says why.",
	"FROM golang:1.27\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/app\nCMD [\"/app\"]\n",
	"FROM golang:1.27 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/app\n"
	"CMD [\"/app\"]\n\nFROM gcr.io/distroless/static-debian13:nonroot\nWORKDIR /src\n"
	"COPY --from=build /app /app\nUSER 65532:65532\nCMD [\"/app\"]\n",
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
	if (!info.toolchain)
		return;
	dd_ms_plan plan;
	dd_ms_analyse(ctx, doc, st, &info, &plan);
	/* images with a slim variant (python, node) that build nothing are DD301's */
	if (info.slim && !plan.builds && !plan.ok) {
		dd_ms_plan_free(&plan);
		return;
	}
	const dd_word *img = &st->from->as.from.image;
	const char *target = plan.ok ? plan.image : info.distroless;
	dd_finding *f;
	if (target)
		f = dd_report_instr(ctx, st->from, img->span,
		    "the final stage is built on %s, a toolchain image: build in an earlier stage and copy the result into %s",
		    dd_from_text(st), target);
	else
		f = dd_report_instr(ctx, st->from, img->span,
		    "the final stage is built on %s, a toolchain image: build in an earlier stage and copy only the result",
		    dd_from_text(st));
	if (!plan.ok && plan.why[0])
		dd_finding_appendf(f, " (drydock fix cannot: %s)", plan.why);
	f->fixable = plan.ok;
	dd_ms_plan_free(&plan);
}

void
dd302_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	dd_ctx *ctx = dd_fixer_ctx(fx);
	const dd_knowledge *kb = dd_ctx_knowledge(ctx);
	if (!ins || ins->kind != DD_INSTR_FROM || !ins->stage || !kb)
		return;
	const dd_stage *st = ins->stage;
	dd_image_info info;
	dd_knowledge_image(kb, &ins->as.from.ref, &info);
	dd_ms_plan plan;
	dd_ms_analyse(ctx, doc, st, &info, &plan);
	if (!plan.ok) {
		dd_fix_note_add(fx, false, 0, "not rewritten: %s", plan.why);
		dd_ms_plan_free(&plan);
		return;
	}
	/* the stage becomes the builder: its name moves to the new final stage */
	char kw[8], text[64];
	if (st->name) {
		dd_fix_replace(fx, ins->as.from.alias.span.start, ins->as.from.alias.span.end, plan.builder);
	} else {
		snprintf(text, sizeof(text), " %s %s", dd_fix_keyword_case(ins, "AS", kw, sizeof(kw)), plan.builder);
		dd_fix_replace(fx, ins->as.from.image.span.end, ins->as.from.image.span.end, text);
	}
	dd_fix_insert_after(fx, doc->instrs[st->last], plan.text.ptr);
	dd_fix_note_add(fx, true, 0,
	    "single-stage build → multi-stage: stage '%s' keeps the toolchain; the final stage copies only %s "
	    "into %s and runs as %s%s%s",
	    plan.builder, plan.artifact, plan.image, plan.user,
	    plan.skipped[0] ? "; not carried over: " : "", plan.skipped);
	dd_ms_plan_free(&plan);
}
