/* Reading .drydock.json: located errors for every mistake, nothing silently ignored. */
#include "drydock/config.h"
#include "drydock/alloc.h"
#include "drydock/error.h"
#include "drydock/imagecheck.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Position of the first occurrence of needle in text, as line/col (1-based). */
static void
locate(const char *text, const char *needle, int *line, int *col)
{
	*line = 1;
	*col = 1;
	const char *p = text ? strstr(text, needle) : NULL;
	if (!p)
		return;
	for (const char *q = text; q < p; q++) {
		if (*q == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int
fail_at(const char *path, const char *text, const char *needle, const char *fmt, const char *what)
{
	int line, col;
	char quoted[256];
	snprintf(quoted, sizeof(quoted), "\"%s\"", needle);
	locate(text, quoted, &line, &col);
	char msg[512];
	snprintf(msg, sizeof(msg), fmt, what);
	return dd_error_set(DD_EPARSE, "%s:%d:%d: error: %s", path, line, col, msg);
}

static char *
read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = dd_xmalloc(cap);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap)
			buf = dd_xrealloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
load_ignore(dd_config *c, json_t *v, const char *path, const char *text)
{
	if (!json_is_array(v))
		return fail_at(path, text, "ignore", "%s must be a list of rule ids", "\"ignore\"");
	c->ignore = dd_xcalloc(json_array_size(v) + 1, sizeof(*c->ignore));
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		const char *name = json_string_value(e);
		const dd_rule *r = name ? dd_rule_find(name) : NULL;
		if (!r && name)
			r = dd_image_rule_find(name);
		if (!r)
			return fail_at(path, text, name ? name : "ignore",
			    "unknown rule %s (see drydock explain --all)", name ? name : "in \"ignore\"");
		c->ignore[c->nignore++] = r;
	}
	return DD_OK;
}

static int
load_severity(dd_config *c, json_t *v, const char *path, const char *text)
{
	if (!json_is_object(v))
		return fail_at(path, text, "severity", "%s must map rule ids to severities", "\"severity\"");
	c->overrides = dd_xcalloc(json_object_size(v) + 1, sizeof(*c->overrides));
	const char *key;
	json_t *e;
	json_object_foreach(v, key, e) {
		const dd_rule *r = dd_rule_find(key);
		if (!r)
			r = dd_image_rule_find(key);
		if (!r)
			return fail_at(path, text, key, "unknown rule %s (see drydock explain --all)", key);
		int s = json_is_string(e) ? dd_severity_parse(json_string_value(e)) : -1;
		if (s < DD_SEV_INFO || s > DD_SEV_ERROR)
			return fail_at(path, text, key, "the severity of %s must be info, warning or error", key);
		c->overrides[c->noverrides++] = (dd_override){ r, (dd_severity)s };
	}
	return DD_OK;
}

static int
load_registries(dd_config *c, json_t *v, const char *path, const char *text)
{
	if (!json_is_array(v))
		return fail_at(path, text, "trusted_registries", "%s must be a list of registry names",
		    "\"trusted_registries\"");
	size_t n = json_array_size(v), i;
	c->trusted_registries = dd_xcalloc(n + 1, sizeof(char *));
	json_t *e;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return fail_at(path, text, "trusted_registries", "%s must hold strings",
			    "\"trusted_registries\"");
		c->trusted_registries[i] = dd_xstrdup(json_string_value(e));
	}
	return DD_OK;
}

static int
load_object(dd_config *c, json_t *root, const char *path, const char *text)
{
	const char *key;
	json_t *v;
	int rc = DD_OK;
	json_object_foreach(root, key, v) {
		if (strcmp(key, "ignore") == 0)
			rc = load_ignore(c, v, path, text);
		else if (strcmp(key, "severity") == 0)
			rc = load_severity(c, v, path, text);
		else if (strcmp(key, "trusted_registries") == 0)
			rc = load_registries(c, v, path, text);
		else if (strcmp(key, "threshold") == 0) {
			int s = json_is_string(v) ? dd_severity_parse(json_string_value(v)) : -1;
			if (s < 0)
				rc = fail_at(path, text, key, "%s must be info, warning, error or none", "\"threshold\"");
			c->threshold = s;
		} else if (key[0] != '$') { /* "$comment" keys are allowed */
			rc = fail_at(path, text, key,
			    "unknown key %s (known: ignore, severity, trusted_registries, threshold)", key);
		}
		if (rc < 0)
			return rc;
	}
	return DD_OK;
}

int
dd_config_load(dd_config **out, const char *path)
{
	*out = NULL;
	char *text = read_all(path);
	if (!text)
		return dd_error_set(DD_EIO, "%s:1:1: error: cannot read the configuration", path);
	json_error_t je;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		int rc = dd_error_set(DD_EPARSE, "%s:%d:%d: error: %s", path, je.line > 0 ? je.line : 1,
		    je.column > 0 ? je.column : 1, je.text);
		free(text);
		return rc;
	}
	dd_config *c = dd_xcalloc(1, sizeof(*c));
	c->path = dd_xstrdup(path);
	c->threshold = -1;
	int rc = json_is_object(root) ? load_object(c, root, path, text)
	                              : dd_error_set(DD_EPARSE, "%s:1:1: error: the configuration must be a JSON object", path);
	json_decref(root);
	free(text);
	if (rc < 0) {
		dd_config_free(c);
		return rc;
	}
	*out = c;
	return DD_OK;
}

int
dd_config_find(dd_config **out, const char *dir)
{
	char cur[PATH_MAX], probe[PATH_MAX + 16];
	if (!realpath(dir && *dir ? dir : ".", cur)) {
		*out = dd_xcalloc(1, sizeof(dd_config));
		(*out)->threshold = -1;
		return DD_OK;
	}
	for (;;) {
		snprintf(probe, sizeof(probe), "%s/.drydock.json", strcmp(cur, "/") ? cur : "");
		if (access(probe, F_OK) == 0)
			return dd_config_load(out, probe);
		char *slash = strrchr(cur, '/');
		if (!slash || slash == cur)
			break;
		*slash = '\0';
	}
	snprintf(probe, sizeof(probe), "/.drydock.json");
	if (access(probe, F_OK) == 0)
		return dd_config_load(out, probe);
	*out = dd_xcalloc(1, sizeof(dd_config));
	(*out)->threshold = -1;
	return DD_OK;
}

void
dd_config_free(dd_config *c)
{
	if (!c)
		return;
	for (char **r = c->trusted_registries; r && *r; r++)
		free(*r);
	free(c->trusted_registries);
	free(c->ignore);
	free(c->overrides);
	free(c->path);
	free(c);
}

bool
dd_config_ignores(const dd_config *c, const dd_rule *rule)
{
	for (size_t i = 0; c && i < c->nignore; i++)
		if (c->ignore[i] == rule)
			return true;
	return false;
}

dd_severity
dd_config_severity(const dd_config *c, const dd_rule *rule)
{
	for (size_t i = 0; c && i < c->noverrides; i++)
		if (c->overrides[i].rule == rule)
			return c->overrides[i].severity;
	return rule->severity;
}
