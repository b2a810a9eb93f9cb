/* DD103 sudo: RUN uses sudo (or doas). */
#include "rules.h"
#include "drydock/lint.h"
#include "drydock/rule.h"

#include <string.h>

const dd_rule_doc dd103_doc = {
	"RUN uses sudo",
	"A build step already runs as the image's current user; `sudo` there means the "
	"image ships sudo and a sudoers rule, which lets any process in the container "
	"that can run it become root, and it behaves unpredictably without a TTY. Do "
	"the privileged steps before USER instead.",
	"Move the command before the USER instruction (or switch to USER root for it) "
	"and drop sudo; do not install sudo in the image.",
	"FROM debian:12-slim\nUSER 10001\nRUN sudo apt-get update\n",
	"FROM debian:12-slim\nRUN apt-get update\nUSER 10001\n",
};

void
dd103_check(dd_ctx *ctx, const dd_doc *doc)
{
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		const dd_script *s;
		size_t n = dd_ctx_scripts(ctx, ins, &s);
		if (ins->kind != DD_INSTR_RUN)
			continue;
		for (size_t k = 0; k < n; k++) {
			for (size_t i = 0; i < s[k].sh.ncmds; i++) {
				const dd_sh_cmd *c = &s[k].sh.cmds[i];
				size_t len;
				const char *name = c->nwords ? dd_sh_basename(&c->words[0], &len) : NULL;
				if (!name || !((len == 4 && memcmp(name, "sudo", 4) == 0) ||
				               (len == 4 && memcmp(name, "doas", 4) == 0)))
					continue;
				dd_report_instr(ctx, ins,
				    dd_script_span(ctx, &s[k], c->words[0].start, c->words[0].end),
				    "RUN uses %.*s: run the step as root before USER instead", (int)len, name);
			}
		}
	}
}
