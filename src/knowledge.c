/* The knowledge base: the JSON files of templates/ read (jsonlite.c), checked, and indexed for lookups. */
#include "drydock/knowledge.h"
#include "jsonlite.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/alloc.h"
#include "drydock/error.h"

/* ---- the tables ------------------------------------------------------------ */

typedef struct {
	const char **v;
	size_t n;
} strlist;

/* Fields a rule may set; unset fields leave earlier rules' values alone. */
enum {
	F_FAMILY = 1u << 0,
	F_VARIANT = 1u << 1,
	F_FAT = 1u << 2,
	F_TOOLCHAIN = 1u << 3,
	F_SLIM = 1u << 4,
	F_SLIM_LATEST = 1u << 5,
	F_DISTROLESS = 1u << 6,
	F_DEFAULT_USER = 1u << 7,
	F_USER = 1u << 8,
	F_EOL = 1u << 9,
	F_EOL_VERSION = 1u << 10,
	F_DROPS = 1u << 11,
	F_PIN = 1u << 12,
	F_LANG = 1u << 13,
	F_DL_STATIC = 1u << 14,
	F_DL_DYNAMIC = 1u << 15,
	F_ENTRYPOINT = 1u << 16,
	F_ROOT_NOTE = 1u << 17
};

typedef struct {
	const char *name;
	unsigned uid, gid;
} shipped;

typedef struct {
	strlist repos, tags, drop, dl_versions;
	strlist entrypoint;      /* n == 0 with F_ENTRYPOINT: cleared */
	unsigned if_family;      /* bit per family; 0 = any */
	unsigned set;            /* F_* */
	bool specific;           /* names a repository, not just "*" */
	dd_family family;
	bool variant_family, fat, toolchain;
	const char *slim, *slim_latest, *distroless, *default_user, *eol, *eol_version;
	const char *drops;       /* the tool its entrypoint drops privileges with */
	const char *pin, *lang, *dl_static, *dl_dynamic;
	const char *root_note;   /* why the program wants root at start, when it does */
	const shipped *user;
	uint32_t file, index;    /* where it is written, for later errors */
} rule;

typedef struct {
	const char **parts;      /* globs, one per dash-separated tag part */
	size_t nparts;
	size_t prefix;           /* literal length stripped to get a version */
} vpattern;

typedef struct {
	vpattern *pats;
	size_t npats;
	dd_family family;        /* UNKNOWN: none */
	const char *eol;
	uint32_t file, index;
} variant;

typedef struct {
	const char *from, *to;
} mirror;

typedef struct {
	const char *key;
	strlist versions;
	const char *below;
	const char *date, *release;
	bool past;               /* not after its file's "checked" date */
} eol_entry;

typedef struct {
	const char *repo;
	uint32_t rule;
} exact_repo;

struct dd_knowledge {
	dd_arena *arena;
	const char *checked;
	rule *rules;
	size_t nrules, caprules;
	exact_repo *exact;       /* sorted by repo, then rule */
	size_t nexact, capexact;
	uint32_t *globs;         /* rules with a glob repository, in order */
	size_t nglobs, capglobs;
	variant *variants;
	size_t nvariants, capvariants;
	mirror *mirrors;
	size_t nmirrors, capmirrors;
	eol_entry *eols;
	size_t neols, capeols;
	dd_user_recipe users[DD_FAMILY__MAX];
	bool have_users[DD_FAMILY__MAX];
	dd_user_vars defaults;
	bool have_defaults;
	unsigned long id;        /* unique per load: the lookup memo's key */
	/* suggestions built from tags, shared by every lookup */
	pthread_mutex_t lock;
	const char **interned;
	size_t ninterned, capinterned;
};

static atomic_ulong next_kb_id = 1;

#define GROW(arr, n, cap) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 16; \
		(arr) = dd_xreallocarray((arr), (cap), sizeof(*(arr))); \
	} \
} while (0)

static const char *const family_names[DD_FAMILY__MAX] = {
	"unknown", "debian", "ubuntu", "alpine", "busybox", "rhel", "ubi-minimal",
	"amazon", "distroless", "chainguard", "scratch", "windows",
};

const char *
dd_family_name(dd_family f)
{
	if ((unsigned)f >= DD_FAMILY__MAX)
		return family_names[DD_FAMILY_UNKNOWN];
	return family_names[f];
}

bool
dd_family_from_name(const char *name, dd_family *out)
{
	for (unsigned i = 0; i < DD_FAMILY__MAX; i++) {
		if (strcmp(family_names[i], name) == 0) {
			*out = (dd_family)i;
			return true;
		}
	}
	return false;
}

/* ---- locating a JSON path in the file text, for errors -------------------------- */

typedef struct {
	const char *key;         /* NULL: an array index */
	size_t index;
} seg;

#define MAX_DEPTH 8

typedef struct {
	dd_knowledge *kb;
	const char *dir;
	char path[PATH_MAX];     /* dir/name.json */
	const char *text;
	const char *checked;     /* this file's date */
	seg segs[MAX_DEPTH];
	size_t depth;
	uint32_t file;
} loader;

static const char *
ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *
skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/* Past the value at p (the text is valid JSON: it was read already). */
static const char *
skip_value(const char *p)
{
	int depth = 0;

	p = ws(p);
	if (*p == '"')
		return skip_string(p);
	if (*p != '{' && *p != '[') {
		while (*p && !strchr(",}] \t\r\n", *p))
			p++;
		return p;
	}
	while (*p) {
		if (*p == '"') {
			p = skip_string(p);
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
		p++;
	}
	return p;
}

/* In the object at p, the member key: its quote, and *value its value. */
static const char *
find_member(const char *p, const char *key, const char **value)
{
	size_t klen = strlen(key);

	p = ws(p);
	if (*p != '{')
		return NULL;
	for (p = ws(p + 1); *p == '"';) {
		const char *k = p, *end = skip_string(p);
		const char *v = ws(ws(end) + 1);
		if ((size_t)(end - k) == klen + 2 && memcmp(k + 1, key, klen) == 0) {
			*value = v;
			return k;
		}
		p = ws(skip_value(v));
		if (*p == ',')
			p = ws(p + 1);
	}
	return NULL;
}

static const char *
find_element(const char *p, size_t index)
{
	p = ws(p);
	if (*p != '[')
		return NULL;
	p = ws(p + 1);
	for (size_t i = 0; *p && *p != ']'; i++) {
		if (i == index)
			return p;
		p = ws(skip_value(p));
		if (*p == ',')
			p = ws(p + 1);
	}
	return NULL;
}

/* Where the loader's current path is written: the value, or its key. */
static const char *
locate(const loader *l, bool at_key)
{
	const char *p = ws(l->text), *best = p;

	for (size_t i = 0; i < l->depth && i < MAX_DEPTH; i++) {
		const char *key = NULL, *value = NULL;
		if (l->segs[i].key) {
			key = find_member(p, l->segs[i].key, &value);
		} else {
			value = find_element(p, l->segs[i].index);
		}
		if (!value)
			break;
		best = at_key && key && i + 1 == l->depth ? key : value;
		p = value;
	}
	return best;
}

static int
fail(const loader *l, bool at_key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "path:line:col: error: message" at the current path; returns DD_EPARSE. */
static int
fail(const loader *l, bool at_key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	const char *at = locate(l, at_key), *bol = l->text;
	unsigned line = 1;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (const char *p = l->text; p < at; p++) {
		if (*p == '\n') {
			line++;
			bol = p + 1;
		}
	}
	return dd_error_set(DD_EPARSE, "%s:%u:%u: error: %s", l->path, line,
	    (unsigned)(at - bol) + 1, msg);
}

static void
push_key(loader *l, const char *key)
{
	if (l->depth < MAX_DEPTH)
		l->segs[l->depth] = (seg){ key, 0 };
	l->depth++;
}

static void
push_index(loader *l, size_t index)
{
	if (l->depth < MAX_DEPTH)
		l->segs[l->depth] = (seg){ NULL, index };
	l->depth++;
}

static void
pop(loader *l)
{
	l->depth--;
}

/* ---- typed access to members, with located errors ------------------------------ */

/* Every key of o must be in allowed (NULL-terminated). */
static int
check_keys(loader *l, jl_t *o, const char *const *allowed)
{
	const char *key;
	jl_t *v;

	jl_object_foreach(o, key, v) {
		size_t i = 0;
		(void)v;
		while (allowed[i] && (allowed[i][0] != key[0] || strcmp(allowed[i], key) != 0))
			i++;
		if (!allowed[i]) {
			push_key(l, key);
			int rc = fail(l, true, "unknown key \"%s\"", key);
			pop(l);
			return rc;
		}
	}
	return 0;
}

static const char *
arena_str(loader *l, const char *s)
{
	return dd_arena_strndup(l->kb->arena, s, strlen(s));
}

/*
 * The string member key: 1 with *out set (NULL for JSON null when
 * nullable), 0 when absent, or an error.
 */
static int
get_string(loader *l, jl_t *o, const char *key, bool nullable, const char **out)
{
	jl_t *v = jl_object_get(o, key);
	int rc = 1;

	if (!v)
		return 0;
	push_key(l, key);
	if (jl_is_null(v) && nullable)
		*out = NULL;
	else if (!jl_is_string(v))
		rc = fail(l, false, "\"%s\" must be a string%s", key, nullable ? " or null" : "");
	else if (jl_string_length(v) == 0 || strlen(jl_string_value(v)) != jl_string_length(v))
		rc = fail(l, false, "\"%s\" must be a non-empty string without NUL", key);
	else
		*out = arena_str(l, jl_string_value(v));
	pop(l);
	return rc;
}

static int
require_string(loader *l, jl_t *o, const char *key, const char **out)
{
	int rc = get_string(l, o, key, false, out);

	if (rc == 0)
		return fail(l, false, "missing \"%s\"", key);
	return rc;
}

/* The boolean member key: 1 with *out set, 0 when absent, or an error. */
static int
get_bool(loader *l, jl_t *o, const char *key, bool *out)
{
	jl_t *v = jl_object_get(o, key);

	if (!v)
		return 0;
	if (!jl_is_boolean(v)) {
		push_key(l, key);
		int rc = fail(l, false, "\"%s\" must be true or false", key);
		pop(l);
		return rc;
	}
	*out = jl_is_true(v);
	return 1;
}

/* A string or an array of non-empty strings: 1 with *out set, 0 when absent. */
static int
get_strlist(loader *l, jl_t *o, const char *key, strlist *out)
{
	jl_t *v = jl_object_get(o, key), *e;
	size_t i;
	int rc = 1;

	if (!v)
		return 0;
	push_key(l, key);
	if (jl_is_string(v) && jl_string_length(v) > 0) {
		out->v = dd_arena_alloc(l->kb->arena, sizeof(char *));
		out->v[0] = arena_str(l, jl_string_value(v));
		out->n = 1;
	} else if (jl_is_array(v) && jl_array_size(v) > 0) {
		out->v = dd_arena_alloc(l->kb->arena, jl_array_size(v) * sizeof(char *));
		out->n = 0;
		jl_array_foreach(v, i, e) {
			if (!jl_is_string(e) || jl_string_length(e) == 0) {
				push_index(l, i);
				rc = fail(l, false, "\"%s\" must hold non-empty strings", key);
				pop(l);
				break;
			}
			out->v[out->n++] = arena_str(l, jl_string_value(e));
		}
	} else {
		rc = fail(l, false, "\"%s\" must be a string or a non-empty array of strings", key);
	}
	pop(l);
	return rc;
}

static int
get_uint(loader *l, jl_t *o, const char *key, bool required, unsigned *out)
{
	jl_t *v = jl_object_get(o, key);

	if (!v && !required)
		return 0;
	if (!v)
		return fail(l, false, "missing \"%s\"", key);
	if (!jl_is_integer(v) || jl_integer_value(v) < 0 ||
	    jl_integer_value(v) > 2147483647) {
		push_key(l, key);
		int rc = fail(l, false, "\"%s\" must be an integer from 0 to 2147483647", key);
		pop(l);
		return rc;
	}
	*out = (unsigned)jl_integer_value(v);
	return 1;
}

static int
get_family(loader *l, jl_t *o, const char *key, dd_family *out)
{
	const char *name = NULL;
	int rc = get_string(l, o, key, false, &name);

	if (rc <= 0)
		return rc;
	if (!dd_family_from_name(name, out)) {
		push_key(l, key);
		rc = fail(l, false, "unknown family \"%s\" (known: debian, ubuntu, alpine, busybox, "
		    "rhel, ubi-minimal, amazon, distroless, chainguard, scratch, windows, unknown)", name);
		pop(l);
	}
	return rc;
}

/* YYYY-MM-DD, or YYYY-MM when month is allowed. */
static bool
is_date(const char *s, bool month)
{
	size_t n = strlen(s);

	if (n != 10 && !(month && n == 7))
		return false;
	for (size_t i = 0; i < n; i++) {
		bool dash = i == 4 || i == 7;
		if (dash != (s[i] == '-') || (!dash && (s[i] < '0' || s[i] > '9')))
			return false;
	}
	int mon = (s[5] - '0') * 10 + (s[6] - '0');
	int day = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
	return mon >= 1 && mon <= 12 && day >= 1 && day <= 31;
}

/* Every {placeholder} of s must be one of allowed (NULL-terminated). */
static int
check_placeholders(loader *l, const char *key, const char *s, const char *const *allowed)
{
	for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		size_t i = 0;
		while (end && allowed[i] && (strlen(allowed[i]) != (size_t)(end - p + 1) ||
		    memcmp(allowed[i], p, (size_t)(end - p + 1)) != 0))
			i++;
		if (!end || !allowed[i]) {
			push_key(l, key);
			char list[128] = "";
			for (size_t k = 0; allowed[k]; k++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				    k ? " " : "", allowed[k]);
			int rc = fail(l, false, "unknown placeholder in \"%s\" (allowed: %s)", s, list);
			pop(l);
			return rc;
		}
	}
	return 0;
}

static const char *const image_placeholders[] = { "{version}", "{major}", "{rest}", "{tag}", "{jdk}", NULL };
static const char *const languages[] = { "go", "rust", "c", "node", "python", "java", NULL };
static const char *const user_placeholders[] = { "{uid}", "{gid}", "{name}", "{group}", NULL };

/* ---- images.json: rules --------------------------------------------------------- */

/* "python" → docker.io/library/python, "bitnami/x" → docker.io/bitnami/x; "*" stays. */
static const char *
normalise_repo(loader *l, const char *s)
{
	const char *slash = strchr(s, '/');
	size_t first = slash ? (size_t)(slash - s) : strlen(s);
	char buf[PATH_MAX];

	if (strcmp(s, "*") == 0 || (slash && (memchr(s, '.', first) || memchr(s, ':', first) ||
	    (first == 9 && memcmp(s, "localhost", 9) == 0))))
		return s;
	snprintf(buf, sizeof(buf), "docker.io/%s%s", slash ? "" : "library/", s);
	return arena_str(l, buf);
}

static bool
is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int
load_user_object(loader *l, jl_t *o, const shipped **out)
{
	static const char *const keys[] = { "name", "uid", "gid", NULL };
	jl_t *v = jl_object_get(o, "user");
	shipped *u;
	int rc;

	if (jl_is_null(v)) {
		*out = NULL;
		return 1;
	}
	push_key(l, "user");
	if (!jl_is_object(v)) {
		rc = fail(l, false, "\"user\" must be an object {name, uid, gid} or null");
	} else if ((rc = check_keys(l, v, keys)) == 0) {
		u = dd_arena_alloc(l->kb->arena, sizeof(*u));
		if ((rc = require_string(l, v, "name", &u->name)) > 0 &&
		    (rc = get_uint(l, v, "uid", false, &u->uid)) >= 0 &&
		    (rc = get_uint(l, v, "gid", false, &u->gid)) >= 0)
			rc = 1;
		*out = u;
	}
	pop(l);
	return rc;
}

/* The fields a rule sets: strings (null allowed), booleans, lists. */
static int
load_rule_fields(loader *l, jl_t *o, rule *r)
{
	static const struct {
		const char *key;
		unsigned bit;
		size_t off;
		bool tmpl;
	} strs[] = {
		{ "slim", F_SLIM, offsetof(rule, slim), true },
		{ "slim_latest", F_SLIM_LATEST, offsetof(rule, slim_latest), true },
		{ "distroless", F_DISTROLESS, offsetof(rule, distroless), true },
		{ "default_user", F_DEFAULT_USER, offsetof(rule, default_user), false },
		{ "eol", F_EOL, offsetof(rule, eol), false },
		{ "eol_version", F_EOL_VERSION, offsetof(rule, eol_version), false },
		{ "entrypoint_drops", F_DROPS, offsetof(rule, drops), false },
		{ "pin", F_PIN, offsetof(rule, pin), false },
		{ "lang", F_LANG, offsetof(rule, lang), false },
		{ "distroless_static", F_DL_STATIC, offsetof(rule, dl_static), true },
		{ "distroless_dynamic", F_DL_DYNAMIC, offsetof(rule, dl_dynamic), true },
		{ "root_note", F_ROOT_NOTE, offsetof(rule, root_note), false },
	};
	int rc;

	for (size_t i = 0; i < DD_ARRAY_LEN(strs); i++) {
		const char **field = (const char **)((char *)r + strs[i].off);
		if ((rc = get_string(l, o, strs[i].key, true, field)) < 0)
			return rc;
		if (rc > 0)
			r->set |= strs[i].bit;
		if (rc > 0 && strs[i].tmpl && *field &&
		    (rc = check_placeholders(l, strs[i].key, *field, image_placeholders)) < 0)
			return rc;
	}
	if (r->lang) {
		size_t i = 0;
		while (languages[i] && strcmp(languages[i], r->lang) != 0)
			i++;
		if (!languages[i]) {
			push_key(l, "lang");
			rc = fail(l, false, "unknown language \"%s\" (known: go, rust, c, node, python, java)",
			    r->lang);
			pop(l);
			return rc;
		}
	}
	if (r->pin && (strpbrk(r->pin, ":@/{ ") || strcmp(r->pin, "latest") == 0)) {
		push_key(l, "pin");
		rc = fail(l, false, "\"pin\" must be a tag such as \"3.13\", not \"%s\"", r->pin);
		pop(l);
		return rc;
	}
	if (jl_is_null(jl_object_get(o, "entrypoint"))) {
		r->set |= F_ENTRYPOINT;
	} else if ((rc = get_strlist(l, o, "entrypoint", &r->entrypoint)) < 0) {
		return rc;
	} else if (rc > 0) {
		r->set |= F_ENTRYPOINT;
	}
	if ((rc = get_bool(l, o, "variant_family", &r->variant_family)) < 0)
		return rc;
	r->set |= rc > 0 ? F_VARIANT : 0;
	if ((rc = get_bool(l, o, "fat", &r->fat)) < 0)
		return rc;
	r->set |= rc > 0 ? F_FAT : 0;
	if ((rc = get_bool(l, o, "toolchain", &r->toolchain)) < 0)
		return rc;
	r->set |= rc > 0 ? F_TOOLCHAIN : 0;
	if (jl_object_get(o, "user")) {
		if ((rc = load_user_object(l, o, &r->user)) < 0)
			return rc;
		r->set |= F_USER;
	}
	if ((rc = get_strlist(l, o, "drop", &r->drop)) < 0)
		return rc;
	rc = get_strlist(l, o, "distroless_versions", &r->dl_versions);
	return rc < 0 ? rc : 0;
}

/* Which rules match what: repositories, tags, families. */
static int
load_rule_match(loader *l, jl_t *o, rule *r)
{
	strlist fams = { NULL, 0 };
	int rc;

	if ((rc = get_strlist(l, o, "repo", &r->repos)) == 0)
		return fail(l, false, "missing \"repo\"");
	if (rc < 0 || (rc = get_strlist(l, o, "tag", &r->tags)) < 0)
		return rc;
	for (size_t i = 0; i < r->repos.n; i++) {
		r->repos.v[i] = normalise_repo(l, r->repos.v[i]);
		r->specific |= strcmp(r->repos.v[i], "*") != 0;
	}
	if ((rc = get_strlist(l, o, "if_family", &fams)) < 0)
		return rc;
	for (size_t i = 0; i < fams.n; i++) {
		dd_family f;
		if (!dd_family_from_name(fams.v[i], &f)) {
			push_key(l, "if_family");
			rc = fail(l, false, "unknown family \"%s\"", fams.v[i]);
			pop(l);
			return rc;
		}
		r->if_family |= 1u << f;
	}
	if ((rc = get_family(l, o, "family", &r->family)) < 0)
		return rc;
	r->set |= rc > 0 ? F_FAMILY : 0;
	return 0;
}

static int
load_rule(loader *l, jl_t *o, rule *r)
{
	static const char *const keys[] = {
		"repo", "tag", "if_family", "family", "variant_family", "fat", "toolchain",
		"slim", "slim_latest", "drop", "distroless", "distroless_versions",
		"default_user", "user", "eol", "eol_version", "entrypoint_drops", "pin", "lang",
		"distroless_static", "distroless_dynamic", "entrypoint", "root_note", "note", NULL
	};
	int rc;

	if (!jl_is_object(o))
		return fail(l, false, "an image rule must be an object");
	if ((rc = check_keys(l, o, keys)) < 0 || (rc = load_rule_match(l, o, r)) < 0 ||
	    (rc = load_rule_fields(l, o, r)) < 0)
		return rc;
	if (r->if_family && (r->set & (F_FAMILY | F_VARIANT)))
		return fail(l, false, "a rule with \"if_family\" cannot set \"family\" or \"variant_family\"");
	return 0;
}

/* Index a loaded rule: exact repositories for bsearch, globs in order. */
static void
index_rule(dd_knowledge *kb, uint32_t idx)
{
	const rule *r = &kb->rules[idx];
	bool glob = false;

	for (size_t i = 0; i < r->repos.n; i++) {
		if (is_glob(r->repos.v[i])) {
			glob = true;
			continue;
		}
		GROW(kb->exact, kb->nexact, kb->capexact);
		kb->exact[kb->nexact++] = (exact_repo){ r->repos.v[i], idx };
	}
	if (glob) {
		GROW(kb->globs, kb->nglobs, kb->capglobs);
		kb->globs[kb->nglobs++] = idx;
	}
}

static int
load_images(loader *l, jl_t *arr)
{
	dd_knowledge *kb = l->kb;
	size_t i;
	jl_t *o;

	if (!jl_is_array(arr))
		return fail(l, false, "\"images\" must be an array of rules");
	jl_array_foreach(arr, i, o) {
		GROW(kb->rules, kb->nrules, kb->caprules);
		rule *r = &kb->rules[kb->nrules];
		memset(r, 0, sizeof(*r));
		r->file = l->file;
		r->index = (uint32_t)i;
		push_index(l, i);
		int rc = load_rule(l, o, r);
		pop(l);
		if (rc < 0)
			return rc;
		index_rule(kb, (uint32_t)kb->nrules++);
	}
	return 0;
}

/* ---- images.json: variants and mirrors -------------------------------------------- */

static void
split_pattern(loader *l, const char *s, vpattern *p)
{
	char *copy = dd_arena_strndup(l->kb->arena, s, strlen(s));
	size_t n = 1;

	for (const char *c = s; *c; c++)
		n += *c == '-';
	p->parts = dd_arena_alloc(l->kb->arena, n * sizeof(char *));
	p->nparts = 0;
	for (char *part = copy, *dash; part; part = dash ? dash + 1 : NULL) {
		dash = strchr(part, '-');
		if (dash)
			*dash = '\0';
		p->parts[p->nparts++] = part;
	}
	const char *glob = strpbrk(p->parts[0], "*?[");
	p->prefix = glob ? (size_t)(glob - p->parts[0]) : 0;
}

static int
load_variant(loader *l, jl_t *o, variant *v)
{
	static const char *const keys[] = { "match", "family", "eol", "note", NULL };
	strlist match = { NULL, 0 };
	int rc;

	if (!jl_is_object(o))
		return fail(l, false, "a variant must be an object");
	if ((rc = check_keys(l, o, keys)) < 0 || (rc = get_strlist(l, o, "match", &match)) < 0)
		return rc;
	if (rc == 0)
		return fail(l, false, "missing \"match\"");
	if ((rc = get_family(l, o, "family", &v->family)) < 0)
		return rc;
	bool has_family = rc > 0;
	if ((rc = get_string(l, o, "eol", false, &v->eol)) < 0)
		return rc;
	if (!has_family && !v->eol)
		return fail(l, false, "a variant needs \"family\" or \"eol\"");
	v->pats = dd_arena_alloc(l->kb->arena, match.n * sizeof(vpattern));
	v->npats = match.n;
	for (size_t i = 0; i < match.n; i++)
		split_pattern(l, match.v[i], &v->pats[i]);
	return 0;
}

static int
load_variants(loader *l, jl_t *arr)
{
	dd_knowledge *kb = l->kb;
	size_t i;
	jl_t *o;

	if (!jl_is_array(arr))
		return fail(l, false, "\"variants\" must be an array");
	jl_array_foreach(arr, i, o) {
		GROW(kb->variants, kb->nvariants, kb->capvariants);
		variant *v = &kb->variants[kb->nvariants];
		memset(v, 0, sizeof(*v));
		v->file = l->file;
		v->index = (uint32_t)i;
		push_index(l, i);
		int rc = load_variant(l, o, v);
		pop(l);
		if (rc < 0)
			return rc;
		kb->nvariants++;
	}
	return 0;
}

static int
load_mirrors(loader *l, jl_t *arr)
{
	static const char *const keys[] = { "from", "to", "note", NULL };
	dd_knowledge *kb = l->kb;
	size_t i;
	jl_t *o;

	if (!jl_is_array(arr))
		return fail(l, false, "\"mirrors\" must be an array of {from, to}");
	jl_array_foreach(arr, i, o) {
		mirror m = { NULL, NULL };
		int rc = 0;
		push_index(l, i);
		if (!jl_is_object(o))
			rc = fail(l, false, "a mirror must be an object {from, to}");
		else if ((rc = check_keys(l, o, keys)) == 0 &&
		    (rc = require_string(l, o, "from", &m.from)) > 0)
			rc = require_string(l, o, "to", &m.to);
		pop(l);
		if (rc < 0)
			return rc;
		GROW(kb->mirrors, kb->nmirrors, kb->capmirrors);
		kb->mirrors[kb->nmirrors++] = m;
	}
	return 0;
}

/* ---- eol.json ------------------------------------------------------------------- */

/* Is date not after checked? A month-only date counts from its last day. */
static bool
date_past(const char *date, const char *checked)
{
	char full[16];

	snprintf(full, sizeof(full), "%s%s", date, strlen(date) == 7 ? "-31" : "");
	return strcmp(full, checked) <= 0;
}

static int
load_eol_entry(loader *l, jl_t *o, eol_entry *e)
{
	static const char *const keys[] = { "versions", "below", "eol", "release", "note", NULL };
	int rc, nv, nb;

	if (!jl_is_object(o))
		return fail(l, false, "an end-of-life entry must be an object");
	if ((rc = check_keys(l, o, keys)) < 0)
		return rc;
	if ((nv = get_strlist(l, o, "versions", &e->versions)) < 0)
		return nv;
	if ((nb = get_string(l, o, "below", false, &e->below)) < 0)
		return nb;
	if (nv + nb != 1)
		return fail(l, false, "an end-of-life entry needs \"versions\" or \"below\" (one of them)");
	if ((rc = require_string(l, o, "eol", &e->date)) < 0 ||
	    (rc = require_string(l, o, "release", &e->release)) < 0)
		return rc;
	if (!is_date(e->date, true)) {
		push_key(l, "eol");
		rc = fail(l, false, "\"eol\" must be a date YYYY-MM-DD or YYYY-MM, not \"%s\"", e->date);
		pop(l);
		return rc;
	}
	e->past = date_past(e->date, l->checked);
	return 0;
}

static int
load_eol(loader *l, jl_t *obj)
{
	dd_knowledge *kb = l->kb;
	const char *key;
	jl_t *arr, *o;
	size_t i;

	if (!jl_is_object(obj))
		return fail(l, false, "\"eol\" must be an object: release line → array of entries");
	jl_object_foreach(obj, key, arr) {
		push_key(l, key);
		if (!jl_is_array(arr)) {
			int rc = fail(l, false, "\"%s\" must be an array of entries", key);
			pop(l);
			return rc;
		}
		const char *k = arena_str(l, key);
		jl_array_foreach(arr, i, o) {
			GROW(kb->eols, kb->neols, kb->capeols);
			eol_entry *e = &kb->eols[kb->neols];
			memset(e, 0, sizeof(*e));
			e->key = k;
			push_index(l, i);
			int rc = load_eol_entry(l, o, e);
			pop(l);
			if (rc < 0) {
				pop(l);
				return rc;
			}
			kb->neols++;
		}
		pop(l);
	}
	return 0;
}

/* ---- users.json ----------------------------------------------------------------- */

static int
load_recipe(loader *l, jl_t *o, dd_user_recipe *r)
{
	static const char *const keys[] = { "run", "user", "chown", "note", NULL };
	static const char *const fields[] = { "run", "user", "chown", "note" };
	const char **out[] = { &r->run, &r->user, &r->chown, &r->note };
	int rc;

	if (!jl_is_object(o))
		return fail(l, false, "a user recipe must be an object {run, user, chown, note}");
	if ((rc = check_keys(l, o, keys)) < 0)
		return rc;
	for (size_t i = 0; i < DD_ARRAY_LEN(fields); i++) {
		if ((rc = get_string(l, o, fields[i], i != 1, out[i])) < 0)
			return rc;
		if (rc > 0 && *out[i] && (rc = check_placeholders(l, fields[i], *out[i],
		    user_placeholders)) < 0)
			return rc;
	}
	if (!r->user)
		return fail(l, false, "missing \"user\"");
	return 0;
}

static int
load_users(loader *l, jl_t *obj)
{
	dd_knowledge *kb = l->kb;
	const char *key;
	jl_t *o;

	if (!jl_is_object(obj))
		return fail(l, false, "\"users\" must be an object: family → recipe");
	jl_object_foreach(obj, key, o) {
		dd_family f = DD_FAMILY_UNKNOWN;
		int rc = 0;
		push_key(l, key);
		if (!dd_family_from_name(key, &f))
			rc = fail(l, true, "unknown family \"%s\"", key);
		else if (kb->have_users[f])
			rc = fail(l, true, "a second recipe for family \"%s\"", key);
		else
			rc = load_recipe(l, o, &kb->users[f]);
		pop(l);
		if (rc < 0)
			return rc;
		kb->have_users[f] = true;
	}
	return 0;
}

static int
load_user_defaults(loader *l, jl_t *o)
{
	static const char *const keys[] = { "uid", "gid", "name", "group", NULL };
	dd_user_vars *d = &l->kb->defaults;
	int rc;

	if (!jl_is_object(o))
		return fail(l, false, "\"user_defaults\" must be an object {uid, gid, name, group}");
	if (l->kb->have_defaults)
		return fail(l, true, "\"user_defaults\" is given twice");
	if ((rc = check_keys(l, o, keys)) < 0 || (rc = get_uint(l, o, "uid", true, &d->uid)) < 0 ||
	    (rc = get_uint(l, o, "gid", true, &d->gid)) < 0 ||
	    (rc = require_string(l, o, "name", &d->name)) < 0 ||
	    (rc = require_string(l, o, "group", &d->group)) < 0)
		return rc;
	l->kb->have_defaults = true;
	return 0;
}

/* ---- one file --------------------------------------------------------------------- */

static int
load_notes(loader *l, jl_t *v)
{
	size_t i;
	jl_t *e;

	if (jl_is_string(v))
		return 0;
	if (!jl_is_array(v))
		return fail(l, false, "\"notes\" must be a string or an array of strings");
	jl_array_foreach(v, i, e) {
		if (!jl_is_string(e)) {
			push_index(l, i);
			int rc = fail(l, false, "\"notes\" must hold strings");
			pop(l);
			return rc;
		}
	}
	return 0;
}

static int
load_stamp(loader *l, jl_t *root)
{
	const char *source = NULL;
	int rc;

	if ((rc = require_string(l, root, "checked", &l->checked)) < 0)
		return rc;
	if (!is_date(l->checked, false)) {
		push_key(l, "checked");
		rc = fail(l, false, "\"checked\" must be a date YYYY-MM-DD, not \"%s\"", l->checked);
		pop(l);
		return rc;
	}
	if ((rc = require_string(l, root, "source", &source)) < 0)
		return rc;
	if (!l->kb->checked || strcmp(l->checked, l->kb->checked) < 0)
		l->kb->checked = l->checked;
	return 0;
}

static int
load_root(loader *l, jl_t *root)
{
	static const struct {
		const char *key;
		int (*load)(loader *, jl_t *);
	} sections[] = {
		{ "notes", load_notes }, { "mirrors", load_mirrors }, { "variants", load_variants },
		{ "images", load_images }, { "eol", load_eol }, { "users", load_users },
		{ "user_defaults", load_user_defaults },
	};
	const char *key;
	jl_t *v;
	int rc;

	if (!jl_is_object(root))
		return fail(l, false, "a template file must hold one JSON object");
	if ((rc = load_stamp(l, root)) < 0)
		return rc;
	jl_object_foreach(root, key, v) {
		size_t i = 0;
		if (strcmp(key, "checked") == 0 || strcmp(key, "source") == 0)
			continue;
		while (i < DD_ARRAY_LEN(sections) && strcmp(sections[i].key, key) != 0)
			i++;
		push_key(l, key);
		rc = i < DD_ARRAY_LEN(sections) ? sections[i].load(l, v) : fail(l, true,
		    "unknown key \"%s\" (known: checked, source, notes, mirrors, variants, images, "
		    "eol, users, user_defaults)", key);
		pop(l);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 8192, n = 0, got;
	char *buf;

	if (!f)
		return NULL;
	buf = dd_xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap)
			buf = dd_xrealloc(buf, cap *= 2);
	}
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = n;
	}
	fclose(f);
	return buf;
}

/* Read and load one file; on success its text is kept in *text for later errors. */
static int
load_file(loader *l, const char *name, char **text)
{
	jl_error err;
	size_t len = 0;
	jl_t *root;
	int rc;

	snprintf(l->path, sizeof(l->path), "%s/%s", l->dir, name);
	*text = read_all(l->path, &len);
	if (!*text)
		return dd_error_set(DD_EPARSE, "%s:1:1: error: cannot read: %s", l->path, strerror(errno));
	l->text = *text;
	l->depth = 0;
	dd_arena *tree = dd_arena_new();
	root = jl_loadb(*text, len, tree, &err);
	if (!root) {
		dd_arena_free(tree);
		return dd_error_set(DD_EPARSE, "%s:%d:%d: error: %s", l->path,
		    err.line > 0 ? err.line : 1, err.column > 0 ? err.column : 1, err.text);
	}
	rc = load_root(l, root);
	dd_arena_free(tree);
	return rc;
}

/* ---- checks across files ------------------------------------------------------------ */

static bool
eol_key_known(const dd_knowledge *kb, const char *key)
{
	for (size_t i = 0; i < kb->neols; i++)
		if (strcmp(kb->eols[i].key, key) == 0)
			return true;
	return false;
}

/* Point the loader at file f's text, path images[index].key. */
static void
reopen(loader *l, char **names, char **texts, uint32_t f, const char *section, size_t index,
    const char *key)
{
	snprintf(l->path, sizeof(l->path), "%s/%s", l->dir, names[f]);
	l->text = texts[f];
	l->depth = 0;
	push_key(l, section);
	push_index(l, index);
	push_key(l, key);
}

static int
check_eol_keys(loader *l, char **names, char **texts)
{
	const dd_knowledge *kb = l->kb;

	for (size_t i = 0; i < kb->nrules; i++) {
		const rule *r = &kb->rules[i];
		if (r->eol && !eol_key_known(kb, r->eol)) {
			reopen(l, names, texts, r->file, "images", r->index, "eol");
			return fail(l, false, "no \"eol\" entries for \"%s\"", r->eol);
		}
	}
	for (size_t i = 0; i < kb->nvariants; i++) {
		const variant *v = &kb->variants[i];
		if (v->eol && !eol_key_known(kb, v->eol)) {
			reopen(l, names, texts, v->file, "variants", v->index, "eol");
			return fail(l, false, "no \"eol\" entries for \"%s\"", v->eol);
		}
	}
	return 0;
}

static int
check_complete(loader *l, char **names, size_t nfiles)
{
	const dd_knowledge *kb = l->kb;

	for (unsigned f = 0; f < DD_FAMILY__MAX; f++) {
		if (kb->have_users[f])
			continue;
		return dd_error_set(DD_EPARSE, "%s: error: no file gives \"users\" a recipe for "
		    "family \"%s\" (%zu files read, %s first)", l->dir, family_names[f], nfiles,
		    nfiles ? names[0] : "none");
	}
	if (!kb->have_defaults)
		return dd_error_set(DD_EPARSE, "%s: error: no file gives \"user_defaults\"", l->dir);
	return 0;
}

static int
cmp_exact(const void *a, const void *b)
{
	const exact_repo *x = a, *y = b;
	int c = strcmp(x->repo, y->repo);

	return c ? c : (x->rule > y->rule) - (x->rule < y->rule);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json names of dir, sorted; NULL with the error set when none. */
static char **
list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d) {
		dd_error_set(DD_ENOTFOUND, "%s: error: cannot open the templates folder: %s", dir,
		    strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		GROW(names, *n, cap);
		names[(*n)++] = dd_xstrdup(e->d_name);
	}
	closedir(d);
	if (*n == 0)
		dd_error_set(DD_ENOTFOUND, "%s: error: no *.json templates in the folder", dir);
	else
		qsort(names, *n, sizeof(char *), cmp_name);
	return names;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
dd_knowledge_load(dd_knowledge **out, const char *dir)
{
	size_t nfiles = 0;
	char **names, **texts;
	loader l;
	int rc = 0;

	*out = NULL;
	if (!(names = list_dir(dir, &nfiles)))
		return dd_error_code();
	memset(&l, 0, sizeof(l));
	l.dir = dir;
	l.kb = dd_xcalloc(1, sizeof(dd_knowledge));
	l.kb->id = atomic_fetch_add(&next_kb_id, 1);
	l.kb->arena = dd_arena_new();
	pthread_mutex_init(&l.kb->lock, NULL);
	texts = dd_xcalloc(nfiles, sizeof(char *));
	for (size_t i = 0; i < nfiles && rc == 0; i++) {
		l.file = (uint32_t)i;
		rc = load_file(&l, names[i], &texts[i]);
	}
	if (rc == 0 && (rc = check_eol_keys(&l, names, texts)) == 0)
		rc = check_complete(&l, names, nfiles);
	free_list(texts, nfiles);
	free_list(names, nfiles);
	if (rc < 0) {
		dd_knowledge_free(l.kb);
		return rc;
	}
	qsort(l.kb->exact, l.kb->nexact, sizeof(exact_repo), cmp_exact);
	*out = l.kb;
	return 0;
}

void
dd_knowledge_free(dd_knowledge *kb)
{
	if (!kb)
		return;
	pthread_mutex_destroy(&kb->lock);
	free(kb->rules);
	free(kb->exact);
	free(kb->globs);
	free(kb->variants);
	free(kb->mirrors);
	free(kb->eols);
	free(kb->interned);
	dd_arena_free(kb->arena);
	free(kb);
}

const char *
dd_knowledge_checked(const dd_knowledge *kb)
{
	return kb->checked;
}

const dd_user_recipe *
dd_knowledge_users(const dd_knowledge *kb, dd_family f)
{
	if ((unsigned)f >= DD_FAMILY__MAX)
		f = DD_FAMILY_UNKNOWN;
	return &kb->users[f];
}

const dd_user_vars *
dd_knowledge_user_defaults(const dd_knowledge *kb)
{
	return &kb->defaults;
}

/* ---- the templates folder --------------------------------------------------------- */

static pthread_once_t dir_once = PTHREAD_ONCE_INIT;
static char default_dir[PATH_MAX] = "templates";

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Copy path into out when it is a folder that fits. */
static bool
take_dir(char *out, size_t outlen, const char *path)
{
	char real[PATH_MAX];

	if (!path || !*path || !is_dir(path))
		return false;
	/* bin/../share/… reads better as …/share/… in messages */
	if (realpath(path, real))
		path = real;
	size_t len = strlen(path);
	if (len >= outlen)
		return false;
	memcpy(out, path, len + 1);
	return true;
}

bool
dd_knowledge_search_dir(char *out, size_t outlen, const char *exe, const char *prefix_dir,
    const char *source_dir)
{
	/* installed (bin/../share) first, then a build beside its templates/ */
	static const char *const rel[] = { "../share/drydock/templates", "templates" };
	const char *slash = exe ? strrchr(exe, '/') : NULL;
	char try[PATH_MAX + 32];

	for (size_t i = 0; slash && i < DD_ARRAY_LEN(rel); i++) {
		snprintf(try, sizeof(try), "%.*s/%s", (int)(slash - exe), exe, rel[i]);
		if (take_dir(out, outlen, try))
			return true;
	}
	return take_dir(out, outlen, prefix_dir) || take_dir(out, outlen, source_dir);
}

/*
 * Where make put the templates: PREFIX's share/drydock/templates and the
 * source tree's templates/ (both compiled in by the Makefile).
 */
#ifndef DD_PREFIX_TEMPLATES
#define DD_PREFIX_TEMPLATES NULL
#endif
#ifndef DD_SOURCE_TEMPLATES
#define DD_SOURCE_TEMPLATES NULL
#endif

/* Computed once: the executable does not move during a run. */
static void
find_default_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = '\0';
	dd_knowledge_search_dir(default_dir, sizeof(default_dir), n > 0 ? exe : NULL,
	    DD_PREFIX_TEMPLATES, DD_SOURCE_TEMPLATES);
}

const char *
dd_knowledge_default_dir(void)
{
	const char *env = getenv("DRYDOCK_TEMPLATES");

	if (env && *env)
		return env;
	pthread_once(&dir_once, find_default_dir);
	return default_dir;
}

/* ---- looking an image up ------------------------------------------------------------ */

#define MAX_TOKENS 24

/* An image reference prepared for matching. */
typedef struct {
	char repo[512];          /* registry/path, mirrors applied */
	const char *tag;         /* "latest" when none is written */
	bool latest;
	char buf[160];           /* the tag, split at dashes */
	const char *tok[MAX_TOKENS];
	bool in_variant[MAX_TOKENS];
	size_t ntok;
	const char *version;     /* first tag part unless it names a variant; "" */
	dd_family variant_family;
	struct {
		const char *key;
		const char *version;
	} eolv[4];
	size_t neolv;
} query;

static void
apply_mirrors(const dd_knowledge *kb, query *q)
{
	char tmp[sizeof(q->repo)];

	for (size_t i = 0; i < kb->nmirrors; i++) {
		size_t n = strlen(kb->mirrors[i].from);
		if (strncmp(q->repo, kb->mirrors[i].from, n) != 0)
			continue;
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s%s", kb->mirrors[i].to, q->repo + n) < sizeof(tmp))
			memcpy(q->repo, tmp, sizeof(tmp));
		return;
	}
}

static bool
match_window(const vpattern *p, const query *q, size_t start)
{
	if (start + p->nparts > q->ntok)
		return false;
	for (size_t k = 0; k < p->nparts; k++)
		if (fnmatch(p->parts[k], q->tok[start + k], 0) != 0)
			return false;
	return true;
}

/* Mark the tag parts naming variants; the first variant with a family gives it. */
static void
scan_variants(const dd_knowledge *kb, query *q)
{
	for (size_t i = 0; i < kb->nvariants; i++) {
		const variant *v = &kb->variants[i];
		for (size_t j = 0; j < v->npats; j++) {
			const vpattern *p = &v->pats[j];
			for (size_t s = 0; s < q->ntok; s++) {
				if (!match_window(p, q, s))
					continue;
				for (size_t k = 0; k < p->nparts; k++)
					q->in_variant[s + k] = true;
				if (q->variant_family == DD_FAMILY_UNKNOWN)
					q->variant_family = v->family;
				if (v->eol && q->neolv < DD_ARRAY_LEN(q->eolv)) {
					q->eolv[q->neolv].key = v->eol;
					q->eolv[q->neolv++].version = q->tok[s] + p->prefix;
				}
			}
		}
	}
}

/* False when the reference cannot be looked up at all. */
static bool
query_init(const dd_knowledge *kb, const dd_image_ref *ref, query *q)
{
	memset(q, 0, sizeof(*q));
	if (!ref->path || !*ref->path || !ref->registry ||
	    (size_t)snprintf(q->repo, sizeof(q->repo), "%s/%s", ref->registry, ref->path) >= sizeof(q->repo))
		return false;
	apply_mirrors(kb, q);
	q->latest = !ref->tag || !*ref->tag || strcmp(ref->tag, "latest") == 0;
	q->tag = q->latest ? "latest" : ref->tag;
	q->version = "";
	if (q->latest || strlen(q->tag) >= sizeof(q->buf))
		return true;
	memcpy(q->buf, q->tag, strlen(q->tag) + 1);
	for (char *p = q->buf, *dash; p && q->ntok < MAX_TOKENS; p = dash ? dash + 1 : NULL) {
		dash = strchr(p, '-');
		if (dash)
			*dash = '\0';
		q->tok[q->ntok++] = p;
	}
	scan_variants(kb, q);
	if (q->ntok > 0 && !q->in_variant[0])
		q->version = q->tok[0];
	return true;
}

/* Rules whose repository matches, in file order: exact ones merged with globs. */
typedef struct {
	const dd_knowledge *kb;
	const char *repo;
	size_t e, eend, g;
} rule_iter;

static void
iter_init(rule_iter *it, const dd_knowledge *kb, const char *repo)
{
	size_t lo = 0, hi = kb->nexact;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(kb->exact[mid].repo, repo) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	it->kb = kb;
	it->repo = repo;
	it->e = it->eend = lo;
	while (it->eend < kb->nexact && strcmp(kb->exact[it->eend].repo, repo) == 0)
		it->eend++;
	it->g = 0;
}

static bool
glob_matches(const rule *r, const char *repo)
{
	for (size_t i = 0; i < r->repos.n; i++)
		if (fnmatch(r->repos.v[i], repo, 0) == 0)
			return true;
	return false;
}

static const rule *
iter_next(rule_iter *it)
{
	const dd_knowledge *kb = it->kb;

	while (it->g < kb->nglobs && !glob_matches(&kb->rules[kb->globs[it->g]], it->repo))
		it->g++;
	uint32_t a = it->e < it->eend ? kb->exact[it->e].rule : UINT32_MAX;
	uint32_t b = it->g < kb->nglobs ? kb->globs[it->g] : UINT32_MAX;
	uint32_t r = a < b ? a : b;
	if (r == UINT32_MAX)
		return NULL;
	/* a rule listed twice (exactly and by a glob) is returned once */
	while (it->e < it->eend && kb->exact[it->e].rule == r)
		it->e++;
	if (b == r)
		it->g++;
	return &kb->rules[r];
}

static bool
tag_matches(const rule *r, const query *q)
{
	if (r->tags.n == 0)
		return true;
	for (size_t i = 0; i < r->tags.n; i++)
		if (fnmatch(r->tags.v[i], q->tag, 0) == 0)
			return true;
	return false;
}

/* The family from the unconditional rules, the tag, or the image's last name. */
static dd_family
resolve_family(const dd_knowledge *kb, const query *q, bool *known, bool fallback)
{
	dd_family fam = DD_FAMILY_UNKNOWN;
	bool named = false, follow = false;
	rule_iter it;
	const rule *r;

	iter_init(&it, kb, q->repo);
	while ((r = iter_next(&it)) != NULL) {
		if (r->if_family || !tag_matches(r, q))
			continue;
		*known |= r->specific;
		if (r->set & F_FAMILY) {
			fam = r->family;
			named = true;
		}
		if (r->set & F_VARIANT)
			follow = r->variant_family;
	}
	if ((!named || follow) && q->variant_family != DD_FAMILY_UNKNOWN)
		return q->variant_family;
	if (fam != DD_FAMILY_UNKNOWN || *known || !fallback)
		return fam;
	/* quay.io/libpod/alpine is most likely alpine */
	query alt = *q;
	const char *name = strrchr(q->repo, '/');
	bool ignored = false;
	if (!name || (size_t)snprintf(alt.repo, sizeof(alt.repo), "docker.io/library%s", name) >= sizeof(alt.repo) ||
	    strcmp(alt.repo, q->repo) == 0)
		return fam;
	return resolve_family(kb, &alt, &ignored, false);
}

/* The merged fields of every matching rule. */
typedef struct {
	bool fat, toolchain;
	const char *slim, *slim_latest, *distroless, *default_user, *eol, *eol_version, *drops;
	const char *pin, *lang, *dl_static, *dl_dynamic, *root_note;
	bool has_slim_latest;
	const strlist *drop, *dl_versions, *entrypoint;
	const shipped *user;
} merged;

static void
merge(merged *m, const rule *r)
{
	if (r->set & F_FAT)
		m->fat = r->fat;
	if (r->set & F_TOOLCHAIN)
		m->toolchain = r->toolchain;
	if (r->set & F_SLIM) {
		m->slim = r->slim;
		m->drop = &r->drop;
		m->has_slim_latest = false;
	}
	if (r->set & F_SLIM_LATEST) {
		m->slim_latest = r->slim_latest;
		m->has_slim_latest = true;
	}
	if (r->set & F_DISTROLESS) {
		m->distroless = r->distroless;
		m->dl_versions = &r->dl_versions;
	}
	if (r->set & F_DEFAULT_USER)
		m->default_user = r->default_user;
	if (r->set & F_USER)
		m->user = r->user;
	if (r->set & F_EOL) {
		m->eol = r->eol;
		m->eol_version = NULL;
	}
	if (r->set & F_EOL_VERSION)
		m->eol_version = r->eol_version;
	if (r->set & F_DROPS)
		m->drops = r->drops;
	if (r->set & F_PIN)
		m->pin = r->pin;
	if (r->set & F_LANG)
		m->lang = r->lang;
	if (r->set & F_DL_STATIC)
		m->dl_static = r->dl_static;
	if (r->set & F_DL_DYNAMIC)
		m->dl_dynamic = r->dl_dynamic;
	if (r->set & F_ROOT_NOTE)
		m->root_note = r->root_note;
	if (r->set & F_ENTRYPOINT)
		m->entrypoint = &r->entrypoint;
}

static void
apply_rules(const dd_knowledge *kb, const query *q, dd_family fam, merged *m)
{
	rule_iter it;
	const rule *r;

	iter_init(&it, kb, q->repo);
	while ((r = iter_next(&it)) != NULL) {
		if (r->if_family && !(r->if_family & (1u << fam)))
			continue;
		if (tag_matches(r, q))
			merge(m, r);
	}
}

/* ---- versions and end of life ---------------------------------------------------------- */

/* Is e a prefix of v by dot-separated parts ("3.8" of "3.8.19")? */
static bool
version_prefix(const char *e, const char *v)
{
	size_t n = strlen(e);

	return *v && strncmp(e, v, n) == 0 && (v[n] == '\0' || v[n] == '.');
}

/* Numeric parts of s into out; false when a part is not a number. */
static bool
version_parts(const char *s, unsigned long *out, size_t *n)
{
	*n = 0;
	while (*s && *n < 8) {
		char *end;
		if (*s < '0' || *s > '9')
			return false;
		out[(*n)++] = strtoul(s, &end, 10);
		if (*end && *end != '.')
			return false;
		s = *end ? end + 1 : end;
	}
	return *n > 0 && !*s;
}

/* Is v below bound? Undecided ("3" against "3.9") counts as no. */
static bool
version_below(const char *v, const char *bound)
{
	unsigned long a[8], b[8];
	size_t na, nb;

	if (!version_parts(v, a, &na) || !version_parts(bound, b, &nb))
		return false;
	for (size_t i = 0; i < na && i < nb; i++)
		if (a[i] != b[i])
			return a[i] < b[i];
	return false;
}

static const eol_entry *
eol_find(const dd_knowledge *kb, const char *key, const char *version)
{
	if (!key || !version || !*version)
		return NULL;
	for (size_t i = 0; i < kb->neols; i++) {
		const eol_entry *e = &kb->eols[i];
		bool hit = false;
		if (strcmp(e->key, key) != 0)
			continue;
		for (size_t j = 0; j < e->versions.n && !hit; j++)
			hit = version_prefix(e->versions.v[j], version);
		if (hit || (e->below && version_below(version, e->below)))
			return e->past ? e : NULL;
	}
	return NULL;
}

static void
find_eol(const dd_knowledge *kb, const query *q, const merged *m, dd_image_info *out)
{
	const eol_entry *e = eol_find(kb, m->eol, m->eol_version ? m->eol_version : q->version);

	for (size_t i = 0; !e && i < q->neolv; i++)
		e = eol_find(kb, q->eolv[i].key, q->eolv[i].version);
	if (e) {
		out->eol = e->date;
		out->eol_release = e->release;
	}
}

/* ---- suggestions built from the tag --------------------------------------------------- */

/* One interned copy per distinct suggestion, living as long as kb. */
static const char *
intern(const dd_knowledge *ckb, const char *s)
{
	dd_knowledge *kb = (dd_knowledge *)ckb; /* the cache is not part of the value */
	const char *found = NULL;

	pthread_mutex_lock(&kb->lock);
	for (size_t i = 0; i < kb->ninterned && !found; i++)
		if (strcmp(kb->interned[i], s) == 0)
			found = kb->interned[i];
	if (!found) {
		GROW(kb->interned, kb->ninterned, kb->capinterned);
		found = dd_arena_strndup(kb->arena, s, strlen(s));
		kb->interned[kb->ninterned++] = found;
	}
	pthread_mutex_unlock(&kb->lock);
	return found;
}

typedef struct {
	const char *version, *major, *rest, *tag, *jdk;
} tvars;

/* Append piece with its placeholders expanded; *empty when one expands to "". */
static void
expand_piece(char *out, size_t cap, const char *piece, size_t len, const tvars *v, bool *empty)
{
	static const char *const names[] = { "{version}", "{major}", "{rest}", "{tag}", "{jdk}" };
	const char *vals[] = { v->version, v->major, v->rest, v->tag, v->jdk };
	size_t n = strlen(out);

	for (size_t i = 0; i < len && n + 1 < cap;) {
		size_t k = 0;
		while (k < DD_ARRAY_LEN(names) && (len - i < strlen(names[k]) ||
		    memcmp(piece + i, names[k], strlen(names[k])) != 0))
			k++;
		if (k == DD_ARRAY_LEN(names)) {
			out[n++] = piece[i++];
			continue;
		}
		*empty |= !*vals[k];
		n += (size_t)snprintf(out + n, cap - n, "%s", vals[k]);
		n = n < cap ? n : cap - 1;
		i += strlen(names[k]);
	}
	out[n] = '\0';
}

/*
 * tmpl filled from v: in the tag part, a piece that is one empty placeholder
 * is dropped with its dash; any other empty placeholder means no suggestion.
 */
static bool
fill_reference(char *out, size_t cap, const char *tmpl, const tvars *v)
{
	const char *slash = strrchr(tmpl, '/');
	const char *colon = strchr(slash ? slash : tmpl, ':');
	size_t rlen = colon ? (size_t)(colon - tmpl) : strlen(tmpl);
	char piece[256];
	bool empty = false;

	out[0] = '\0';
	expand_piece(out, cap, tmpl, rlen, v, &empty);
	if (empty)
		return false;
	size_t base = strlen(out);
	for (const char *p = colon ? colon + 1 : NULL, *dash; p; p = dash ? dash + 1 : NULL) {
		dash = strchr(p, '-');
		size_t len = dash ? (size_t)(dash - p) : strlen(p);
		piece[0] = '\0';
		empty = false;
		expand_piece(piece, sizeof(piece), p, len, v, &empty);
		if (!*piece)
			continue;
		if (empty)
			return false;
		snprintf(out + strlen(out), cap - strlen(out), "%s%s",
		    strlen(out) == base ? ":" : "-", piece);
	}
	return true;
}

/* The tag parts after the version, minus drop, joined by dashes. */
static void
rest_of_tag(const query *q, const strlist *drop, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = *q->version ? 1 : 0; i < q->ntok; i++) {
		bool dropped = false;
		for (size_t j = 0; drop && j < drop->n && !dropped; j++)
			dropped = strcmp(drop->v[j], q->tok[i]) == 0;
		if (!dropped && n < cap)
			n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "-" : "", q->tok[i]);
	}
}

static bool
all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * The Java release a build-tool tag names: "jdk21" (gradle:8.10-jdk21), or
 * a number after the version (maven:3.9-eclipse-temurin-21); "" if none.
 */
static const char *
jdk_of(const query *q)
{
	for (size_t i = 0; i < q->ntok; i++) {
		const char *t = q->tok[i];
		if ((strncmp(t, "jdk", 3) == 0 || strncmp(t, "jre", 3) == 0) && all_digits(t + 3))
			return t + 3;
		if (i > 0 && all_digits(t))
			return t;
	}
	return "";
}

static const char *
suggest(const dd_knowledge *kb, const query *q, const char *tmpl, const strlist *drop)
{
	char rest[160], major[16], out[512];
	size_t n = 0;
	tvars v;

	if (!tmpl)
		return NULL;
	rest_of_tag(q, drop, rest, sizeof(rest));
	while (n + 1 < sizeof(major) && q->version[n] >= '0' && q->version[n] <= '9') {
		major[n] = q->version[n];
		n++;
	}
	major[n] = '\0';
	v = (tvars){ q->version, major, rest, q->tag, jdk_of(q) };
	if (!fill_reference(out, sizeof(out), tmpl, &v))
		return NULL;
	return intern(kb, out);
}

/* Does the version a template names ({jdk} for build tools, else the tag's) have a runtime? */
static bool
version_allowed(const query *q, const char *tmpl, const strlist *allowed)
{
	const char *v = tmpl && strstr(tmpl, "{jdk}") ? jdk_of(q) : q->version;

	if (!allowed || allowed->n == 0)
		return true;
	for (size_t i = 0; i < allowed->n; i++)
		if (version_prefix(allowed->v[i], v))
			return true;
	return false;
}

static void
fill_suggestions(const dd_knowledge *kb, const query *q, const merged *m, dd_image_info *out)
{
	const char *slim = m->slim;

	if (q->latest && m->has_slim_latest)
		slim = m->slim_latest;
	out->slim = suggest(kb, q, slim, m->drop);
	if (version_allowed(q, m->distroless, m->dl_versions))
		out->distroless = suggest(kb, q, m->distroless, NULL);
	if (version_allowed(q, m->dl_static, m->dl_versions))
		out->distroless_static = suggest(kb, q, m->dl_static, NULL);
	if (version_allowed(q, m->dl_dynamic, m->dl_versions))
		out->distroless_dynamic = suggest(kb, q, m->dl_dynamic, NULL);
}

/*
 * Rules ask about the same FROM many times (a dozen per stage): the last
 * answers are kept per thread, keyed by what the lookup reads of the
 * reference and by the knowledge's load id (an address may be reused).
 */
enum { MEMO_SLOTS = 4 };
typedef struct {
	unsigned long kb_id;     /* 0: empty */
	bool unresolved;
	char key[256];           /* registry \1 path \1 tag */
	dd_image_info info;
} memo_slot;
static _Thread_local memo_slot memo[MEMO_SLOTS];
static _Thread_local unsigned memo_next;

static void lookup_image(const dd_knowledge *kb, const dd_image_ref *ref, dd_image_info *out);

void
dd_knowledge_image(const dd_knowledge *kb, const dd_image_ref *ref, dd_image_info *out)
{
	char key[sizeof(memo[0].key)];
	int n;

	if (!kb || !ref || !ref->registry || !ref->path) {
		lookup_image(kb, ref, out);
		return;
	}
	n = snprintf(key, sizeof(key), "%s\1%s\1%s", ref->registry, ref->path, ref->tag ? ref->tag : "");
	if (n < 0 || (size_t)n >= sizeof(key)) {
		lookup_image(kb, ref, out);
		return;
	}
	for (unsigned i = 0; i < MEMO_SLOTS; i++) {
		const memo_slot *m = &memo[i];
		if (m->kb_id == kb->id && m->unresolved == ref->unresolved && strcmp(m->key, key) == 0) {
			*out = m->info;
			return;
		}
	}
	lookup_image(kb, ref, out);
	memo_slot *m = &memo[memo_next++ % MEMO_SLOTS];
	m->kb_id = kb->id;
	m->unresolved = ref->unresolved;
	memcpy(m->key, key, (size_t)n + 1);
	m->info = *out;
}

static void
lookup_image(const dd_knowledge *kb, const dd_image_ref *ref, dd_image_info *out)
{
	merged m;
	query q;

	memset(out, 0, sizeof(*out));
	if (!kb || !ref || !query_init(kb, ref, &q))
		return;
	out->family = resolve_family(kb, &q, &out->known, true);
	memset(&m, 0, sizeof(m));
	apply_rules(kb, &q, out->family, &m);
	out->fat = m.fat;
	out->toolchain = m.toolchain;
	out->default_user = m.default_user;
	out->entrypoint_drops = m.drops;
	out->root_note = m.root_note;
	out->pin = m.pin;
	out->lang = m.lang;
	if (m.entrypoint) {
		out->entrypoint = m.entrypoint->v;
		out->nentrypoint = m.entrypoint->n;
	}
	if (m.user) {
		out->shipped_user = m.user->name;
		out->shipped_uid = m.user->uid;
		out->shipped_gid = m.user->gid;
	}
	/* a partly expanded tag says nothing reliable about versions */
	if (ref->unresolved)
		return;
	find_eol(kb, &q, &m, out);
	fill_suggestions(kb, &q, &m, out);
}

/* ---- user templates --------------------------------------------------------------------- */

char *
dd_knowledge_fill(const char *tmpl, const dd_user_vars *vars)
{
	char uid[16], gid[16];
	const char *names[] = { "{uid}", "{gid}", "{name}", "{group}" };
	const char *vals[] = { uid, gid, vars->name ? vars->name : "", vars->group ? vars->group : "" };
	size_t cap = 64, n = 0;
	char *out;

	if (!tmpl)
		return NULL;
	snprintf(uid, sizeof(uid), "%u", vars->uid);
	snprintf(gid, sizeof(gid), "%u", vars->gid);
	out = dd_xmalloc(cap);
	for (const char *p = tmpl; *p;) {
		size_t k = 0;
		while (k < DD_ARRAY_LEN(names) && strncmp(p, names[k], strlen(names[k])) != 0)
			k++;
		const char *add = k < DD_ARRAY_LEN(names) ? vals[k] : p;
		size_t len = k < DD_ARRAY_LEN(names) ? strlen(add) : 1;
		while (n + len + 1 > cap)
			out = dd_xrealloc(out, cap *= 2);
		memcpy(out + n, add, len);
		n += len;
		p += k < DD_ARRAY_LEN(names) ? strlen(names[k]) : 1;
	}
	out[n] = '\0';
	return out;
}
