/* Helpers shared by the base-image rules (DD301–DD306). */
#ifndef DD_RULES_IMAGE_H
#define DD_RULES_IMAGE_H

#include "drydock/knowledge.h"
#include "drydock/rule.h"

/* Is this FROM an image from a registry (not scratch, not an earlier stage, resolved)? */
bool dd_from_is_image(const dd_stage *st);

/* The image as written in the FROM, for messages. */
const char *dd_from_text(const dd_stage *st);

#endif
