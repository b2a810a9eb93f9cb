/* The rule context's insides, shared by the engine (lint.c) and the rule helpers (facts.c). */
#ifndef DD_CTX_H
#define DD_CTX_H

#include "drydock/alloc.h"
#include "drydock/lint.h"
#include "drydock/rule.h"

typedef struct {
	const dd_instr *ins;
	dd_script *scripts;
	size_t n;
} script_entry;

struct dd_ctx {
	const dd_doc *doc;
	const dd_lint_opts *opts;
	const dd_rule *rule;      /* the rule running now */
	const dd_stage *final;
	char *context_dir;        /* owned */
	dd_findings *out;
	dd_arena *arena;          /* scripts, expansions: freed after the lint */
	script_entry *cache;      /* open addressing by instruction pointer */
	size_t cache_cap, cache_n;
	int drops;                /* privilege drop of the final stage: -1 unknown, 0, 1 */
	const char *drops_why;
};

/* Set up a context for doc (fails with DD_EUSAGE on an unknown --target). */
int dd_ctx_init(dd_ctx *ctx, const dd_doc *doc, const dd_lint_opts *opts);

/* Run every rule; append the findings pragmas and config let through, sorted. */
void dd_ctx_run_rules(dd_ctx *ctx, dd_findings *out);

void dd_ctx_fini(dd_ctx *ctx);

#endif
