/* Run-time hardening of the final stage: its user, writable paths and ports, through a template. */
#include "drydock/runtime.h"
#include "drydock/alloc.h"
#include "drydock/error.h"
#include "drydock/template.h"

#include "ctx.h"
#include "rules/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
push(char ***v, size_t *n, char *s)
{
	*v = dd_xreallocarray(*v, *n + 1, sizeof(char *));
	(*v)[(*n)++] = s;
}

static void
note(dd_runtime *rt, const char *fmt, const char *a)
{
	dd_buf b = DD_BUF_INIT;
	dd_buf_printf(&b, fmt, a);
	push(&rt->notes, &rt->nnotes, dd_buf_detach(&b, NULL));
}

/* ---- the user ------------------------------------------------------------------------ */

/* uid[:gid] as docker's --user takes it, from what is known of each half. */
static void
set_user(dd_runtime *rt, const char *u, size_t ulen, const char *g, size_t glen)
{
	dd_buf b = DD_BUF_INIT;
	if (rt->has_uid)
		dd_buf_printf(&b, "%u", rt->uid);
	else
		dd_buf_put(&b, u, ulen);
	if (rt->has_gid)
		dd_buf_printf(&b, ":%u", rt->gid);
	else if (g)
		dd_buf_printf(&b, ":%.*s", (int)glen, g);
	rt->user = dd_buf_detach(&b, NULL);
}

/* USER 65532 on distroless: the group of the account the image ships with that uid. */
static void
shipped_gid(dd_runtime *rt, dd_ctx *ctx, const dd_stage *st)
{
	dd_image_info info;
	dd_user_image(ctx, st, &info);
	if (info.shipped_user && info.shipped_uid == rt->uid && info.shipped_uid) {
		rt->has_gid = true;
		rt->gid = info.shipped_gid;
	} else if (rt->uid == 65534) {
		rt->has_gid = true; /* nobody:nogroup */
		rt->gid = 65534;
	}
}

static void
resolve_user(dd_runtime *rt, dd_ctx *ctx, const dd_stage *st, const char *value)
{
	const char *colon = strchr(value, ':');
	size_t ulen = colon ? (size_t)(colon - value) : strlen(value);
	const char *g = colon ? colon + 1 : NULL;
	size_t glen = g ? strlen(g) : 0;
	unsigned gid = 0;
	bool has_gid = false;
	rt->has_uid = dd_user_uid(ctx, st, value, ulen, &rt->uid, &has_gid, &gid);
	if (g && glen) {
		rt->has_gid = dd_user_gid(ctx, st, g, glen, &rt->gid);
	} else if (has_gid) {
		rt->has_gid = true;
		rt->gid = gid;
	}
	if (rt->has_uid && !rt->has_gid && !(g && glen))
		shipped_gid(rt, ctx, st);
	set_user(rt, value, ulen, g && glen ? g : NULL, glen);
	if (!rt->has_uid)
		note(rt, "USER %s: its uid is not known from the Dockerfile, so the Kubernetes output has no "
		    "runAsUser, and runAsNonRoot will refuse it (it needs a numeric user); write USER uid:gid", value);
	else if (g && glen && !rt->has_gid)
		note(rt, "USER %s: the group's gid is not known, so the Kubernetes output has no runAsGroup", value);
	else if (!rt->has_gid)
		note(rt, "USER %s names no group: the process gets the group /etc/passwd gives its uid, or 0 "
		    "(root's group) when there is none; write USER uid:gid", value);
}

static void
find_user(dd_runtime *rt, dd_ctx *ctx, const dd_stage *st)
{
	dd_user_fact f;
	dd_ctx_stage_user(ctx, st, &f);
	if (f.unresolved) {
		note(rt, "USER %s holds a variable without a value: --user is left out", f.value);
		return;
	}
	if (f.root) {
		rt->root = true;
		note(rt, "%s", f.source == DD_USER_DEFAULT || !f.value[0]
		    ? "the final stage runs as root (no USER): the output has no user, and Kubernetes' "
		      "runAsNonRoot will refuse to start it; run drydock fix first (DD101)"
		    : "the final stage runs as root (USER root or 0): the output has no user, and Kubernetes' "
		      "runAsNonRoot will refuse to start it; run drydock fix first (DD101)");
		return;
	}
	resolve_user(rt, ctx, st, f.value);
}

/* ---- writable paths and ports ------------------------------------------------------------ */

static void
add_writable(dd_runtime *rt, const char *path, size_t len)
{
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 0 || path[0] != '/')
		return;
	for (size_t i = 0; i < rt->nwritable; i++)
		if (strlen(rt->writable[i]) == len && memcmp(rt->writable[i], path, len) == 0)
			return;
	push(&rt->writable, &rt->nwritable, dd_xstrndup(path, len));
}

/* "80", "80/tcp", "8000-8010/udp": the first port, or 0. */
static unsigned
port_of(const char *s)
{
	unsigned long v = 0;
	size_t i = 0;
	for (; s[i] >= '0' && s[i] <= '9' && i < 6; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	if (i == 0 || (s[i] && s[i] != '/' && s[i] != '-') || v > 65535)
		return 0;
	return (unsigned)v;
}

/* VOLUMEs and EXPOSEs of the stage and the stages it is built on. */
static void
scan_stage(dd_runtime *rt, dd_ctx *ctx, const dd_doc *doc, const dd_stage *st)
{
	for (unsigned depth = 0; st && depth < 64; st = st->base_stage, depth++) {
		for (size_t i = st->first + 1; i <= st->last && i < doc->ninstrs; i++) {
			const dd_instr *ins = doc->instrs[i];
			if (ins->kind != DD_INSTR_VOLUME && ins->kind != DD_INSTR_EXPOSE)
				continue;
			for (size_t k = 0; k < ins->nargs; k++) {
				bool unresolved = false;
				const char *v = dd_ctx_expand(ctx, st, ins, ins->args[k].text, ins->args[k].len, &unresolved);
				if (unresolved) {
					note(rt, "%s holds a variable without a value: left out", ins->args[k].text);
					continue;
				}
				if (ins->kind == DD_INSTR_VOLUME) {
					add_writable(rt, v, strlen(v));
					continue;
				}
				unsigned p = port_of(v);
				if (p && p < 1024 && (!rt->low_port || p < rt->low_port))
					rt->low_port = p;
			}
		}
	}
}

int
dd_runtime_compute(dd_runtime *out, const dd_doc *doc, const dd_lint_opts *opts, const char *const *writable,
    size_t nwritable)
{
	memset(out, 0, sizeof(*out));
	dd_ctx ctx;
	int rc = dd_ctx_init(&ctx, doc, opts);
	if (rc < 0)
		return rc;
	const dd_stage *st = dd_ctx_final_stage(&ctx);
	if (!st) {
		dd_ctx_fini(&ctx);
		return dd_error_set(DD_EPARSE, "%s: error: no FROM: the file has no stage", doc->src->path);
	}
	find_user(out, &ctx, st);
	add_writable(out, "/tmp", 4);
	scan_stage(out, &ctx, doc, st);
	for (size_t i = 0; i < nwritable; i++)
		add_writable(out, writable[i], strlen(writable[i]));
	if (out->low_port)
		push(&out->caps, &out->ncaps, dd_xstrdup("NET_BIND_SERVICE"));
	dd_ctx_fini(&ctx);
	return DD_OK;
}

void
dd_runtime_free(dd_runtime *rt)
{
	free(rt->user);
	for (size_t i = 0; i < rt->nwritable; i++)
		free(rt->writable[i]);
	free(rt->writable);
	for (size_t i = 0; i < rt->ncaps; i++)
		free(rt->caps[i]);
	free(rt->caps);
	for (size_t i = 0; i < rt->nnotes; i++)
		free(rt->notes[i]);
	free(rt->notes);
	memset(rt, 0, sizeof(*rt));
}

/* ---- rendering ---------------------------------------------------------------------------- */

typedef struct {
	const dd_runtime *rt;
	const dd_runtime_names *names;
	char uid[16], gid[16];
	char **volumes;          /* one Kubernetes name per writable path */
} data;

/* "/var/cache/app" → "var-cache-app": a DNS label, unique among the volumes. */
static char *
volume_name(char **done, size_t n, const char *path)
{
	char base[56];
	size_t k = 0;
	for (const char *p = path; *p && k < sizeof(base) - 1; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (ok)
			base[k++] = c;
		else if (k && base[k - 1] != '-')
			base[k++] = '-';
	}
	while (k && base[k - 1] == '-')
		k--;
	base[k] = '\0';
	if (!k)
		strcpy(base, "data");
	char name[64];
	snprintf(name, sizeof(name), "%s", base);
	for (unsigned suffix = 2;; suffix++) {
		bool clash = false;
		for (size_t i = 0; i < n; i++)
			clash |= strcmp(done[i], name) == 0;
		if (!clash)
			return dd_xstrdup(name);
		snprintf(name, sizeof(name), "%s-%u", base, suffix);
	}
}

static int
top_value(data *d, const char *name, const char **v)
{
	const dd_runtime *rt = d->rt;
	if (strcmp(name, "user") == 0)
		*v = rt->user;
	else if (strcmp(name, "uid") == 0)
		*v = rt->has_uid ? d->uid : NULL;
	else if (strcmp(name, "gid") == 0)
		*v = rt->has_gid ? d->gid : NULL;
	else if (strcmp(name, "image") == 0)
		*v = d->names->image;
	else if (strcmp(name, "name") == 0)
		*v = d->names->name;
	else if (strcmp(name, "source") == 0)
		*v = d->names->source;
	else if (strcmp(name, "writable") == 0 || strcmp(name, "cap_add") == 0)
		*v = NULL; /* lists: count() answers */
	else
		return -1;
	return 0;
}

static int
get(void *p, const char *list, size_t index, const char *name, const char **v)
{
	data *d = p;
	*v = NULL;
	if (list && strcmp(list, "writable") == 0) {
		if (strcmp(name, "path") == 0) {
			*v = d->rt->writable[index];
			return 0;
		}
		if (strcmp(name, "volume") == 0) {
			*v = d->volumes[index];
			return 0;
		}
	}
	if (list && strcmp(list, "cap_add") == 0 && strcmp(name, "cap") == 0) {
		*v = d->rt->caps[index];
		return 0;
	}
	return top_value(d, name, v);
}

static size_t
count(void *p, const char *name)
{
	data *d = p;
	if (strcmp(name, "writable") == 0)
		return d->rt->nwritable;
	if (strcmp(name, "cap_add") == 0)
		return d->rt->ncaps;
	return 0;
}

int
dd_runtime_render(dd_buf *out, const dd_runtime *rt, const dd_runtime_names *names, const char *tmpl_path,
    const char *tmpl, size_t len)
{
	data d = { rt, names, "", "", NULL };
	snprintf(d.uid, sizeof(d.uid), "%u", rt->uid);
	snprintf(d.gid, sizeof(d.gid), "%u", rt->gid);
	d.volumes = dd_xcalloc(rt->nwritable + 1, sizeof(char *));
	for (size_t i = 0; i < rt->nwritable; i++)
		d.volumes[i] = volume_name(d.volumes, i, rt->writable[i]);
	dd_template_data td = { get, count, &d };
	int rc = dd_template_render(out, tmpl_path, tmpl, len, &td);
	for (size_t i = 0; i < rt->nwritable; i++)
		free(d.volumes[i]);
	free(d.volumes);
	return rc;
}
