/*
 * Output templates (templates/runtime/FORMAT.tmpl): text with placeholders that
 * drydock fills. The syntax, a small subset of Mustache with braces:
 *
 *   {name}          the value of name; {name|yaml} as a YAML scalar (quoted
 *                   when plain style would change its meaning), {name|sh}
 *                   as one shell word (quoted when needed)
 *   {?name}…{/name} the text when name is set (a list: when not empty)
 *   {^name}…{/name} the text when it is not
 *   {#list}…{/list} the text once per item; inside, names are the item's
 *                   first, then the top level's
 *   {! comment }    nothing
 *
 * A section or comment tag alone on its line takes the whole line with it,
 * so YAML stays indented as written. A brace that does not start one of
 * these ("{medium: Memory}") is text. Control characters of values are
 * written as '?': a value cannot add lines.
 */
#ifndef DRYDOCK_TEMPLATE_H
#define DRYDOCK_TEMPLATE_H

#include "drydock/buf.h"

/*
 * The values: get sets *value (NULL: unset) and returns 0, or returns -1
 * for a name it does not know (a mistake in the template). list is NULL
 * at the top level, else the innermost {#list} and index the item.
 * count returns a list's length, or 0 when name is not a list.
 */
typedef struct {
	int (*get)(void *p, const char *list, size_t index, const char *name, const char **value);
	size_t (*count)(void *p, const char *name);
	void *p;
} dd_template_data;

/*
 * Append the rendered template to out. DD_EPARSE with "path:line: error: …"
 * for an unknown name or filter, or a section that is not closed; out then
 * holds part of the output.
 */
int dd_template_render(dd_buf *out, const char *path, const char *text, size_t len, const dd_template_data *d);

/*
 * Read the template rel (e.g. "runtime/docker.tmpl") of the templates
 * folder (dd_knowledge_default_dir). *text is malloc'd and NUL-terminated;
 * *path_out (malloc'd, may be NULL) names the file for messages. DD_EIO
 * with the path when it cannot be read.
 */
int dd_template_load(char **text, size_t *len, char **path_out, const char *rel);

#endif
