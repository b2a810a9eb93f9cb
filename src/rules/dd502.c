/* DD502 add-remote-unverified: ADD of a URL without --checksum. */
#include "rules.h"
#include "drydock/fixer.h"
#include "drydock/lint.h"
#include "drydock/rule.h"

#include <string.h>

const dd_rule_doc dd502_doc = {
	"ADD downloads a URL without --checksum",
	"ADD of a URL takes whatever the server returns at build time: a compromised or "
	"changed download goes into the image unnoticed. `--checksum=sha256:…` makes the "
	"build fail when the bytes are not the ones you reviewed.",
	"Add `--checksum=sha256:<digest of the file>` to the ADD (BuildKit 1.6+ syntax).",
	"FROM alpine:3.20\nADD https://example.org/tool.tar.gz /tmp/\n",
	"# syntax=docker/dockerfile:1\nFROM alpine:3.20\n"
	"ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.org/tool.tar.gz /tmp/\n",
};

void
dd502_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		if (ins->kind != DD_INSTR_ADD || dd_instr_flag(ins, "checksum"))
			continue;
		for (size_t k = 0; k < ins->as.copy.nsources; k++) {
			const dd_word *w = &ins->as.copy.sources[k];
			if (strncmp(w->text, "http://", 7) != 0 && strncmp(w->text, "https://", 8) != 0)
				continue;
			/* no checksum can be invented: the fix only says how */
			dd_report_instr(ctx, ins, w->span, "ADD downloads %s without --checksum", w->text)->advice = true;
		}
	}
}

void
dd502_fix(dd_fixer *fx, const dd_doc *doc, const dd_finding *f)
{
	const dd_instr *ins = dd_fixer_instr(fx, doc, f);
	if (!ins)
		return;
	dd_fix_note_add(fx, false, 0,
	    "pin the download: ADD --checksum=sha256:<digest> (the digest of the file you trust, e.g. from "
	    "`curl -fsSL URL | sha256sum`), or download, verify and extract in one RUN");
}
