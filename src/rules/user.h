/* Users of the final stage, shared by the DD101 and DD102 checks and fixes. */
#ifndef DD_RULES_USER_H
#define DD_RULES_USER_H

#include "drydock/fixer.h"
#include "drydock/knowledge.h"
#include "drydock/rule.h"

/* The stage whose FROM names an image (following stage-to-stage FROMs). */
const dd_stage *dd_user_root_stage(const dd_stage *st);

/* What the knowledge says about the image the stage is built on. */
void dd_user_image(dd_ctx *ctx, const dd_stage *st, dd_image_info *info);

/*
 * The uid (and gid, when known) of a user or group name in stage st: a
 * useradd/adduser/groupadd/addgroup in the RUN steps of the stage and the
 * stages it is built on, the user the base image ships (node → 1000),
 * nobody (65534), and the distroless nonroot (65532).
 */
bool dd_user_uid(dd_ctx *ctx, const dd_stage *st, const char *name, size_t len, unsigned *uid,
    bool *has_gid, unsigned *gid);
bool dd_user_gid(dd_ctx *ctx, const dd_stage *st, const char *name, size_t len, unsigned *gid);

/*
 * Give the final stage a non-root user (the DD101 fix): the recipe of the
 * base image's family from templates/users.json, or the user the image
 * ships, placed after the stage's last build step (or replacing a last
 * `USER root` with nothing after it that needs root). Adds notes.
 */
void dd_user_fix_root(dd_fixer *fx, const dd_doc *doc, const dd_stage *st);

#endif
