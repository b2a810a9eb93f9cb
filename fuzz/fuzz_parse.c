/*
 * libFuzzer target: parse arbitrary bytes as a Dockerfile. Any input must
 * either parse (and dump in both formats) or fail with a located parse
 * error. DD_ERROR means the grammar could not explain a line BuildKit's
 * rules accept or reject — a grammar gap — so it aborts, as a crash does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/dump.h"
#include "drydock/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dd_source *src = NULL;
	dd_doc *doc = NULL;

	if (dd_source_from_bytes(&src, "fuzz", (const char *)data, size) != DD_OK)
		return 0;
	int rc = dd_doc_parse(&doc, src, NULL);
	if (rc == DD_OK) {
		dd_buf b = DD_BUF_INIT;
		dd_dump_buildkit(&b, doc);
		dd_dump_json(&b, doc);
		dd_buf_free(&b);
		dd_doc_free(doc);
	} else if (rc == DD_ERROR) {
		fprintf(stderr, "grammar gap: %s\n", dd_error_last());
		abort();
	}
	dd_source_free(src);
	return 0;
}
