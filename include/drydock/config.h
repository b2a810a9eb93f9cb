/* The configuration file (.drydock.json): ignores, severity overrides, trusted registries, threshold. */
#ifndef DRYDOCK_CONFIG_H
#define DRYDOCK_CONFIG_H

#include "drydock/finding.h"
#include "drydock/rule.h"

typedef struct {
	const dd_rule *rule;
	dd_severity severity;
} dd_override;

typedef struct dd_config {
	char *path;                 /* the file that was read, or NULL for defaults */
	const dd_rule **ignore;     /* rules never reported */
	size_t nignore;
	dd_override *overrides;
	size_t noverrides;
	char **trusted_registries;  /* NULL-terminated; empty means "trust all" */
	int threshold;              /* a dd_severity (or 4 = none), -1 when not set */
} dd_config;

/*
 * Read a config file. Errors (unreadable, bad JSON, unknown key or rule,
 * wrong type) return DD_EPARSE or DD_EIO with "path:line:col: error: …".
 * Free with dd_config_free.
 *
 *   { "ignore": ["DD304", "DL3007"],
 *     "severity": { "DD303": "error" },
 *     "trusted_registries": ["docker.io", "gcr.io"],
 *     "threshold": "warning" }
 */
int dd_config_load(dd_config **out, const char *path);

/*
 * Find .drydock.json in dir or the nearest folder above it and load it;
 * with none, *out is an empty configuration.
 */
int dd_config_find(dd_config **out, const char *dir);

void dd_config_free(dd_config *cfg);

/* Is rule ignored by the configuration? */
bool dd_config_ignores(const dd_config *cfg, const dd_rule *rule);

/* The configured severity of rule, or its default. */
dd_severity dd_config_severity(const dd_config *cfg, const dd_rule *rule);

#endif
