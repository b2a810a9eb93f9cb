/* Reading chmod-style modes (numeric and symbolic), shared by DD105 and DD106. */
#ifndef DD_RULES_CHMOD_H
#define DD_RULES_CHMOD_H

#include "drydock/rule.h"

#include <stdbool.h>
#include <stddef.h>

enum {
	DD_MODE_WORLD_WRITABLE = 1, /* others may write (not sticky) */
	DD_MODE_SETUID = 2,
	DD_MODE_SETGID = 4
};

/* What a mode argument grants (DD_MODE_* bits); 0 for none or an unknown form. */
unsigned dd_mode_grants(const char *mode, size_t len);

/*
 * For each command of the final stage (and the stages it is built on) that
 * sets modes — chmod MODE FILE…, mkdir -m MODE, install -m MODE — call cb
 * with the command, the mode word and what it grants.
 */
typedef void (*dd_mode_cb)(dd_ctx *ctx, const dd_script *s, const dd_sh_cmd *c,
    const dd_sh_word *mode, unsigned grants);
void dd_each_mode(dd_ctx *ctx, const dd_doc *doc, dd_mode_cb cb);

#endif
