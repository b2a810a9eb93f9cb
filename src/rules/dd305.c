/* DD305 untrusted-registry: a base image from a registry the configuration does not trust. */
#include "rules.h"
#include "image.h"
#include "../imageref.h"

#include "drydock/lint.h"

#include <string.h>

const dd_rule_doc dd305_doc = {
	"An image comes from a registry that is not trusted",
	"Only images from registries you control or vet should end up in a build: a "
	"typo-squatted or compromised registry serves whatever it likes. This rule is "
	"active only when `trusted_registries` is set in .drydock.json; it checks every "
	"FROM and every `COPY --from=<image>`.",
	"Use an image from a trusted registry (or mirror it there), or add the registry "
	"to `trusted_registries` after vetting it. Entries match exactly, or as "
	"`*.example.com` for every subdomain.",
	"# .drydock.json: {\"trusted_registries\": [\"registry.example.com\"]}\nFROM docker.io/library/alpine:3.20\n",
	"# .drydock.json: {\"trusted_registries\": [\"registry.example.com\"]}\nFROM registry.example.com/base/alpine:3.20\n",
};

/* "docker.io" matches itself; "*.gcr.io" matches eu.gcr.io and gcr.io's subdomains. */
static bool
trusted(const char *const *regs, const char *registry)
{
	for (; *regs; regs++) {
		const char *t = *regs;
		if (strcmp(t, registry) == 0)
			return true;
		if (t[0] == '*' && t[1] == '.') {
			size_t tl = strlen(t + 1), rl = strlen(registry);
			if (rl > tl && strcmp(registry + rl - tl, t + 1) == 0)
				return true;
		}
	}
	return false;
}

static void
check_ref(dd_ctx *ctx, const dd_instr *ins, const dd_word *w, const char *text, const char *const *regs)
{
	dd_image_ref r;
	memset(&r, 0, sizeof(r));
	dd_arena *a = dd_arena_new();
	dd_image_ref_parse(&r, text, a);
	if (r.valid && !r.scratch && !trusted(regs, r.registry))
		dd_report_instr(ctx, ins, w->span,
		    "%s comes from %s, which is not in trusted_registries", text, r.registry);
	dd_arena_free(a);
}

void
dd305_check(dd_ctx *ctx, const dd_doc *doc)
{
	const char *const *regs = dd_ctx_trusted_registries(ctx);
	if (!regs[0])
		return;
	for (size_t i = 0; i < doc->nstages; i++) {
		const dd_stage *st = &doc->stages[i];
		if (!dd_from_is_image(st))
			continue;
		const dd_image_ref *r = &st->from->as.from.ref;
		if (!trusted(regs, r->registry))
			dd_report_instr(ctx, st->from, st->from->as.from.image.span,
			    "FROM %s comes from %s, which is not in trusted_registries", r->text, r->registry);
	}
	size_t it = 0;
	const dd_instr *ins;
	while ((ins = dd_stage_next(doc, NULL, &it))) {
		const dd_flag *from = ins->kind == DD_INSTR_COPY ? dd_instr_flag(ins, "from") : NULL;
		/* --from names an image only when it is not a stage (name or index) */
		if (!from || dd_doc_stage(doc, from->value) || strspn(from->value, "0123456789") == from->value_len)
			continue;
		check_ref(ctx, ins, &from->raw, from->value, regs);
	}
}
