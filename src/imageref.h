/* Image references (registry/path:tag@digest) as Docker splits them. */
#ifndef DD_IMAGEREF_H
#define DD_IMAGEREF_H

#include "drydock/ast.h"
#include "drydock/alloc.h"

/* Split s into r; every string is arena-owned. Never fails: r->valid tells. */
void dd_image_ref_parse(dd_image_ref *r, const char *s, dd_arena *arena);

#endif
