/* Printing a parsed document: BuildKit's AST dump and drydock's JSON. */
#ifndef DRYDOCK_DUMP_H
#define DRYDOCK_DUMP_H

#include "drydock/ast.h"
#include "drydock/buf.h"

/*
 * Append exactly what BuildKit's parser dumper prints for the file: one
 * `(keyword ["--flag" …] "arg" …)` line per instruction (the `result` format
 * of BuildKit's parser testfiles).
 */
void dd_dump_buildkit(dd_buf *out, const dd_doc *doc);

/* Append the typed AST as a JSON document (with a final newline). */
void dd_dump_json(dd_buf *out, const dd_doc *doc);

#endif
