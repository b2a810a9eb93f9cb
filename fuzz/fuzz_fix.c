/*
 * libFuzzer target: fix arbitrary bytes. Whatever parses must fix without
 * an internal error, the result must parse, and fixing the result again
 * must change nothing; anything else aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/ast.h"
#include "drydock/error.h"
#include "drydock/fix.h"
#include "drydock/knowledge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dd_knowledge *kb;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!kb && dd_knowledge_load(&kb, getenv("DD_TEMPLATES") ? getenv("DD_TEMPLATES") : "templates") != DD_OK) {
		fprintf(stderr, "%s\n", dd_error_last());
		abort();
	}
	dd_source *src = NULL;
	if (dd_source_from_bytes(&src, "fuzz", (const char *)data, size) != DD_OK)
		return 0;
	dd_lint_opts lo = { .no_context = true, .kb = kb };
	dd_fix_result r;
	int rc = dd_fix(src, NULL, &lo, NULL, &r);
	if (rc == DD_OK) {
		dd_source *again = NULL;
		if (dd_source_from_bytes(&again, "fuzz", r.output, r.len) != DD_OK) {
			fprintf(stderr, "fix made invalid text: %s\n", dd_error_last());
			abort();
		}
		dd_fix_result r2;
		if (dd_fix(again, NULL, &lo, NULL, &r2) != DD_OK) {
			fprintf(stderr, "the fixed file does not fix: %s\n", dd_error_last());
			abort();
		}
		if (r2.len != r.len || memcmp(r2.output, r.output, r.len) != 0) {
			fprintf(stderr, "not idempotent:\n--- first\n%.*s\n--- second\n%.*s\n", (int)r.len, r.output,
			    (int)r2.len, r2.output);
			abort();
		}
		dd_fix_result_free(&r2);
		dd_source_free(again);
	} else if (rc != DD_EPARSE && rc != DD_EUSAGE) {
		fprintf(stderr, "fix failed: %s\n", dd_error_last());
		abort();
	}
	dd_fix_result_free(&r);
	dd_source_free(src);
	return 0;
}
