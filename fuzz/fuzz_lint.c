/*
 * libFuzzer target: parse and lint arbitrary bytes with every rule (no
 * build context, the bundled knowledge). Crashes, leaks and sanitizer
 * reports are the findings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/knowledge.h"
#include "drydock/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static dd_knowledge *kb;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dd_source *src = NULL;
	dd_doc *doc = NULL;

	if (!kb && dd_knowledge_load(&kb, getenv("DD_TEMPLATES") ? getenv("DD_TEMPLATES") : "templates") != DD_OK) {
		fprintf(stderr, "%s\n", dd_error_last());
		abort();
	}
	if (dd_source_from_bytes(&src, "fuzz", (const char *)data, size) != DD_OK)
		return 0;
	if (dd_doc_parse(&doc, src, NULL) == DD_OK) {
		dd_lint_opts o = { .no_context = true, .kb = kb };
		dd_findings f = { NULL, 0, 0 };
		if (dd_lint(doc, &o, &f) != DD_OK) {
			fprintf(stderr, "lint failed: %s\n", dd_error_last());
			abort();
		}
		dd_findings_free(&f);
		dd_doc_free(doc);
	}
	dd_source_free(src);
	return 0;
}
