/* Small helpers of the secret rules: first hit, unquoting, variables, build args. */
#include "secrets.h"

#include <string.h>

static void
first_cb(void *p, const dd_secret_hit *h)
{
	dd_secret_hit *out = p;
	if (!out->kind)
		*out = *h;
}

bool
dd_first_secret(const char *text, size_t len, dd_secret_hit *hit)
{
	memset(hit, 0, sizeof(*hit));
	dd_secret_scan(text, len, first_cb, hit);
	return hit->kind != NULL;
}

void
dd_unquote(const char *s, size_t len, const char **out, size_t *olen)
{
	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0]) {
		s++;
		len -= 2;
	}
	*out = s;
	*olen = len;
}

static bool
name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

bool
dd_first_variable(const char *s, size_t len, const char **name, size_t *nlen)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] != '$')
			continue;
		size_t a = i + 1 + (s[i + 1] == '{');
		size_t b = a;
		while (b < len && name_char(s[b], b == a))
			b++;
		if (b > a) {
			*name = s + a;
			*nlen = b - a;
			return true;
		}
	}
	return false;
}

static bool
declares(const dd_instr *ins, const char *name, size_t len)
{
	if (ins->kind != DD_INSTR_ARG)
		return false;
	for (size_t k = 0; k < ins->as.kv.npairs; k++)
		if (ins->as.kv.pairs[k].key.len == len && memcmp(ins->as.kv.pairs[k].key.text, name, len) == 0)
			return true;
	return false;
}

bool
dd_is_build_arg(const dd_doc *doc, const dd_instr *ins, const char *name, size_t len)
{
	const dd_instr *top = ins->parent ? ins->parent : ins;
	for (size_t i = 0; i < top->index; i++) {
		const dd_instr *a = doc->instrs[i];
		if (a->kind == DD_INSTR_FROM)
			continue;
		/* a global ARG, or an ARG of the same stage */
		if ((!a->stage || a->stage == top->stage) && declares(a, name, len))
			return true;
	}
	return false;
}
