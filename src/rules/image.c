/* Base-image helpers for the DD3xx rules. */
#include "image.h"

bool
dd_from_is_image(const dd_stage *st)
{
	const dd_image_ref *r = &st->from->as.from.ref;
	return !st->base_stage && !r->scratch && !r->unresolved && r->valid;
}

const char *
dd_from_text(const dd_stage *st)
{
	const dd_image_ref *r = &st->from->as.from.ref;
	return r->text[0] ? r->text : st->from->as.from.image.text;
}
