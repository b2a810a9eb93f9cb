/* Building one dd_instr from its logical line, as BuildKit's line parsers do. */
#ifndef DD_INSTR_H
#define DD_INSTR_H

#include "drydock/ast.h"
#include "logical.h"

/*
 * Fill ins from the logical-line bytes [a, b) of l: keyword, flags,
 * BuildKit's argument nodes, and the typed payload of its kind. An ONBUILD
 * trigger is built recursively into ins->onbuild. Returns DD_OK or DD_EPARSE
 * with a located message (unknown instruction, BuildKit's parse errors).
 */
int dd_instr_build(dd_doc *doc, dd_instr *ins, const dd_logical *l, size_t a, size_t b);

/* The kind of a keyword (any case), or DD_INSTR__MAX. */
dd_instr_kind dd_instr_kind_of(const char *kw, size_t len);

#endif
