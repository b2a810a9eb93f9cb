/*
 * Checks of a built image (DD6xx): what `drydock build` verifies once the
 * engine is done, from the image's configuration and history as the
 * engine reports them. They are not Dockerfile rules: they have their own
 * table, which `drydock explain` and the configuration file (ignore,
 * severity) know as well as the rules of src/rules.def.
 */
#ifndef DRYDOCK_IMAGECHECK_H
#define DRYDOCK_IMAGECHECK_H

#include "drydock/config.h"
#include "drydock/finding.h"
#include "drydock/rule.h"

/* What an image says about itself: Config.User, Config.Env, history. All owned. */
typedef struct {
	char *user;          /* "" when unset */
	char **env;          /* "NAME=value" */
	size_t nenv;
	char **history;      /* each layer's created_by */
	size_t nhistory;
} dd_image_meta;

void dd_image_meta_free(dd_image_meta *m);

/*
 * Read the JSON of `docker image inspect`, `podman image inspect` (an
 * array of objects with Config.User, Config.Env and, for podman, History)
 * or `buildah inspect --type image` (OCIv1.config and OCIv1.history, else
 * Docker.config and Docker.history) into *out (zeroed first). DD_EPARSE
 * with a message when the text is not one of these.
 */
int dd_image_meta_parse(dd_image_meta *out, const char *json, size_t len);

/*
 * Append the history lines `docker image history --no-trunc --format
 * '{{json .CreatedBy}}'` prints (one JSON string per line). DD_EPARSE when a
 * line is not a JSON string.
 */
int dd_image_meta_add_history(dd_image_meta *m, const char *text, size_t len);

/* The image checks: ids DD601…, slugs, severities, explain texts. check and fix are NULL. */
extern const dd_rule dd_image_rules[];
extern const size_t dd_nimage_rules;

/* An image check by code ("DD601", any case) or slug; NULL if none. */
const dd_rule *dd_image_rule_find(const char *name);

/*
 * Run the image checks over m and append their findings to out: redacted
 * messages, no position (line 0), severities after cfg's overrides, ignored
 * checks left out. cfg may be NULL.
 */
void dd_image_check(const dd_image_meta *m, const dd_config *cfg, dd_findings *out);

#endif
