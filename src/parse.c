/*
 * From the tree-sitter tree to the typed AST: directives, comments,
 * instructions (through their logical lines), heredoc bodies, stages, and
 * the image each FROM names once global ARGs are substituted.
 */
#include "drydock/ast.h"
#include "drydock/alloc.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/expand.h"

#include "imageref.h"
#include "instr.h"
#include "logical.h"

#include "df_lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_dockerfile(void);

#define MAX_BLOCKS 64

typedef struct {
	dd_doc *doc;
	const dd_source *src;
	dd_instr **instrs;
	size_t ninstrs, icap;
	dd_comment *comments;
	size_t ncomments, ccap;
	dd_directive *directives;
	size_t ndirectives, dcap;
	bool seen[3];
	uint32_t cont_line;  /* a top-level continuation line before the next instruction */
} builder;

#define GROW(ptr, n, cap) \
	do { \
		if ((n) == (cap)) { \
			(cap) = (cap) ? (cap) * 2 : 8; \
			(ptr) = dd_xreallocarray((ptr), (cap), sizeof(*(ptr))); \
		} \
	} while (0)

static size_t heredoc_blocks(TSNode n, TSNode *out, size_t max);

/* Copy a malloc'd vector into the arena (so the document owns it). */
static void *
to_arena(dd_arena *a, void *v, size_t n, size_t size)
{
	void *p = dd_arena_alloc(a, (n ? n : 1) * size);
	if (n)
		memcpy(p, v, n * size);
	free(v);
	return p;
}

static dd_word
source_word(builder *b, uint32_t start, uint32_t end)
{
	dd_word w;
	w.text = dd_arena_strndup(b->doc->arena, b->src->data + start, end - start);
	w.len = end - start;
	w.span = dd_source_span(b->src, start, end);
	return w;
}

/* End of the content of the line holding offset p (before CR/LF). */
static uint32_t
content_end(const dd_source *src, uint32_t p)
{
	while (p < src->len && src->data[p] != '\n')
		p++;
	while (p > 0 && src->data[p - 1] == '\r')
		p--;
	return p;
}

static void
add_comment(builder *b, uint32_t at, bool in_continuation)
{
	uint32_t end = content_end(b->src, at);
	if (end < at)
		end = at;
	GROW(b->comments, b->ncomments, b->ccap);
	b->comments[b->ncomments++] = (dd_comment){ source_word(b, at, end), in_continuation };
}

/* ---- syntax errors ---------------------------------------------------------------- */

static bool
find_error(TSNode n, TSNode *out)
{
	if (ts_node_is_missing(n) || strcmp(ts_node_type(n), "ERROR") == 0) {
		*out = n;
		return true;
	}
	if (!ts_node_has_error(n))
		return false;
	uint32_t count = ts_node_child_count(n);
	for (uint32_t i = 0; i < count; i++)
		if (find_error(ts_node_child(n, i), out))
			return true;
	return false;
}

/* The top-level instruction holding node n, or a null node. */
static TSNode
top_instruction(TSNode n)
{
	TSNode found = { 0 };
	for (; !ts_node_is_null(n); n = ts_node_parent(n))
		if (strstr(ts_node_type(n), "_instruction"))
			found = n;
	return found;
}

/* Count heredoc_marker nodes under n; stop at the k-th and store its start. */
static bool
nth_marker(TSNode n, size_t *k, uint32_t *at)
{
	if (strcmp(ts_node_type(n), "heredoc_marker") == 0) {
		if (*k == 0) {
			*at = ts_node_start_byte(n);
			return true;
		}
		(*k)--;
		return false;
	}
	uint32_t count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++)
		if (nth_marker(ts_node_named_child(n, i), k, at))
			return true;
	return false;
}

/* Where to point for heredoc k of an instruction: its marker, else the keyword. */
static uint32_t
marker_offset(TSNode ins, size_t k, uint32_t fallback)
{
	uint32_t at = fallback;
	if (!ts_node_is_null(ins))
		nth_marker(ins, &k, &at);
	return at;
}

typedef struct {
	size_t want, seen;
	char name[128];
} nth_name;

static void
nth_heredoc_cb(void *p, const df_heredoc *h)
{
	nth_name *nn = p;
	if (nn->seen++ == nn->want)
		snprintf(nn->name, sizeof(nn->name), "%.*s", (int)h->name_len, h->name);
}

/*
 * A heredoc whose terminator line never comes: point at its marker. The
 * body is the last block's when in_last_block, else the one after the
 * instruction's complete blocks.
 */
static int
unterminated(builder *b, TSNode missing, bool in_last_block)
{
	TSNode ins = top_instruction(missing);
	uint32_t at = ts_node_is_null(ins) ? ts_node_start_byte(missing) : ts_node_start_byte(ins);
	nth_name nn = { 0, 0, "" };
	char err[256];
	if (!ts_node_is_null(ins)) {
		/* the body that lacks its end is the last block's */
		TSNode blocks[MAX_BLOCKS];
		size_t n = heredoc_blocks(ins, blocks, MAX_BLOCKS);
		nn.want = in_last_block && n ? n - 1 : n;
		dd_logical l;
		dd_logical_read(&l, b->src, at, (uint32_t)b->src->len, b->doc->escape, b->doc->arena);
		df_heredocs_from_line(l.text, l.len, nth_heredoc_cb, &nn, err, sizeof(err));
		at = marker_offset(ins, nn.want, at);
	}
	if (!nn.name[0])
		return dd_source_error(b->src, at, DD_EPARSE, "unterminated heredoc");
	return dd_source_error(b->src, at, DD_EPARSE,
	    "unterminated heredoc: no line \"%s\" ends its body", nn.name);
}

/*
 * Apply BuildKit's rules to the line holding offset err_at (typically it
 * finds an unknown instruction). Returns the error when they reject it, 0
 * when they accept the line.
 */
static int
probe_line(builder *b, uint32_t err_at)
{
	uint32_t at = err_at;
	while (at > 0 && b->src->data[at - 1] != '\n')
		at--;
	/* a line that continues the one above belongs to its logical line */
	while (at > 0) {
		uint32_t prev = at - 1;
		while (prev > 0 && b->src->data[prev - 1] != '\n')
			prev--;
		size_t keep;
		size_t plen = at - 1 - prev;
		if (plen && b->src->data[prev + plen - 1] == '\r')
			plen--;
		size_t lead = df_space_prefix(b->src->data + prev, plen);
		if ((lead < plen && b->src->data[prev + lead] == '#') ||
		    !dd_line_continues(b->src->data + prev, plen, b->doc->escape, &keep))
			break; /* a comment never continues */
		at = prev;
	}
	if (at == 0 && b->src->bom)
		at = 3; /* BuildKit drops a byte-order mark at the start */
	at += (uint32_t)df_space_prefix(b->src->data + at, b->src->len - at);
	if (at >= b->src->len)
		return dd_source_error(b->src, err_at, DD_EPARSE, "unexpected end of file");
	dd_logical l;
	dd_instr probe;
	memset(&probe, 0, sizeof(probe));
	dd_logical_read(&l, b->src, at, (uint32_t)b->src->len, b->doc->escape, b->doc->arena);
	if (dd_instr_build(b->doc, &probe, &l, 0, l.len) < 0)
		return dd_error_code();
	return 0;
}

/* BuildKit accepts the line: the fault is ours, not the file's. */
static int
grammar_gap(builder *b, uint32_t err_at)
{
	return dd_source_error(b->src, err_at, DD_ERROR,
	    "internal error: cannot parse this line (a drydock grammar gap; please report it)");
}

static int
syntax_error_at(builder *b, uint32_t err_at)
{
	int rc = probe_line(b, err_at);
	return rc < 0 ? rc : grammar_gap(b, err_at);
}

/* The next ERROR or MISSING node after n in pre-order, below top; null at the end. */
static bool
next_error(TSNode top, TSNode *n)
{
	TSNode cur = *n;
	for (;;) {
		TSNode next = ts_node_child_count(cur) && ts_node_has_error(cur) ? ts_node_child(cur, 0)
		                                                                 : (TSNode){ 0 };
		while (ts_node_is_null(next)) {
			if (ts_node_eq(cur, top))
				return false;
			next = ts_node_next_sibling(cur);
			if (ts_node_is_null(next))
				cur = ts_node_parent(cur);
			if (ts_node_is_null(cur))
				return false;
		}
		cur = next;
		if (ts_node_is_missing(cur) || strcmp(ts_node_type(cur), "ERROR") == 0) {
			*n = cur;
			return true;
		}
	}
}

static int
syntax_error(builder *b, TSNode root)
{
	TSNode e;
	if (!find_error(root, &e))
		return dd_source_error(b->src, 0, DD_EPARSE, "cannot parse this file");
	if (ts_node_is_missing(e) && strcmp(ts_node_type(e), "heredoc_end") == 0)
		return unterminated(b, e, true);
	/* a heredoc body that runs to the end of the file, wrapped in ERROR */
	if (ts_node_named_child_count(e) > 0 &&
	    strcmp(ts_node_type(ts_node_named_child(e, 0)), "heredoc_content") == 0) {
		TSNode prev = ts_node_prev_named_sibling(e);
		if (!ts_node_is_null(prev) && strstr(ts_node_type(prev), "_instruction"))
			return unterminated(b, prev, false);
	}
	int rc = probe_line(b, ts_node_start_byte(e));
	if (rc < 0)
		return rc;
	/* Deep error recovery can wrap good lines in the first ERROR: the
	 * errors nested in it point at the line BuildKit rejects. */
	TSNode n = e;
	for (int tries = 0; tries < 256 && next_error(root, &n); tries++)
		if ((rc = probe_line(b, ts_node_start_byte(n))) < 0)
			return rc;
	return grammar_gap(b, ts_node_start_byte(e));
}

/* Offset of the first non-blank byte after the tree's end, or len. */
static uint32_t
unparsed_rest(const dd_source *src, uint32_t end)
{
	while (end < src->len && df_uc_is_space((unsigned char)src->data[end]))
		end++;
	return (uint32_t)(end < src->len ? end : src->len);
}

/* ---- directives ------------------------------------------------------------------- */

static int
add_directive(builder *b, TSNode n)
{
	uint32_t start = ts_node_start_byte(n), end = content_end(b->src, start);
	df_directive d;
	if (!df_directive_match(b->src->data + start, end - start, &d))
		return dd_source_error(b->src, start, DD_ERROR, "internal error: directive mismatch");
	int kind = df_directive_kind(b->src->data + start + d.key, d.key_len);
	if (kind < 0)
		return dd_source_error(b->src, start, DD_ERROR, "internal error: unknown directive");
	static const char *const names[] = { "syntax", "escape", "check" };
	if (b->seen[kind])
		return dd_source_error(b->src, start, DD_EPARSE,
		    "only one %s parser directive can be used", names[kind]);
	b->seen[kind] = true;
	dd_directive dir;
	dir.key = source_word(b, start + (uint32_t)d.key, start + (uint32_t)(d.key + d.key_len));
	dir.value = source_word(b, start + (uint32_t)d.value, start + (uint32_t)(d.value + d.value_len));
	dir.kind = kind;
	dir.span = dd_source_span(b->src, start, end);
	if (kind == DF_DIRECTIVE_ESCAPE) {
		if (dir.value.len != 1 || (dir.value.text[0] != '\\' && dir.value.text[0] != '`'))
			return dd_source_error(b->src, dir.value.span.start, DD_EPARSE,
			    "invalid escape token '%s' does not match ` or \\", dir.value.text);
		b->doc->escape = (unsigned char)dir.value.text[0];
	}
	GROW(b->directives, b->ndirectives, b->dcap);
	b->directives[b->ndirectives++] = dir;
	return DD_OK;
}

/* ---- instructions -------------------------------------------------------------- */

/* The heredoc_block nodes of an instruction (inside ONBUILD's trigger too). */
static size_t
heredoc_blocks(TSNode n, TSNode *out, size_t max)
{
	size_t k = 0;
	uint32_t count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count && k < max; i++) {
		TSNode c = ts_node_named_child(n, i);
		const char *t = ts_node_type(c);
		if (strcmp(t, "heredoc_block") == 0)
			out[k++] = c;
		else if (strstr(t, "_instruction"))
			k += heredoc_blocks(c, out + k, max - k);
	}
	return k;
}

typedef struct {
	builder *b;
	dd_heredoc *v;
	size_t n, cap;
} heredoc_list;

static void
heredoc_cb(void *p, const df_heredoc *h)
{
	heredoc_list *hl = p;
	GROW(hl->v, hl->n, hl->cap);
	dd_heredoc *d = &hl->v[hl->n++];
	memset(d, 0, sizeof(*d));
	d->name = dd_arena_strndup(hl->b->doc->arena, h->name, h->name_len);
	d->name_len = h->name_len;
	d->fd = h->fd;
	d->chomp = h->chomp;
	d->expand = h->expand;
}

/* Attach the bodies the tree found to the heredocs the line opens. */
static int
attach_heredocs(builder *b, dd_instr *ins, const dd_logical *l, TSNode node, uint32_t *end)
{
	TSNode blocks[MAX_BLOCKS];
	size_t nblocks = heredoc_blocks(node, blocks, MAX_BLOCKS);
	dd_instr *target = ins->onbuild ? ins->onbuild : ins;
	heredoc_list hl = { b, NULL, 0, 0 };
	char err[256];
	if (df_line_allows_heredocs(l->text, l->len, b->doc->escape) &&
	    df_heredocs_from_line(l->text, l->len, heredoc_cb, &hl, err, sizeof(err)) < 0) {
		free(hl.v);
		return dd_source_error(b->src, ins->keyword.span.start, DD_EPARSE, "%s", err);
	}
	if (nblocks < hl.n) {
		const char *name = hl.v[nblocks].name;
		free(hl.v);
		return dd_source_error(b->src, marker_offset(node, nblocks, ins->keyword.span.start),
		    DD_EPARSE, "unterminated heredoc: no line \"%s\" ends its body", name);
	}
	if (nblocks > hl.n) {
		free(hl.v);
		return dd_source_error(b->src, ins->keyword.span.start, DD_ERROR,
		    "internal error: the grammar found %zu heredoc bodies, BuildKit's rules %zu",
		    nblocks, hl.n);
	}
	for (size_t i = 0; i < hl.n; i++) {
		TSNode body = ts_node_child_by_field_name(blocks[i], "body", 4);
		TSNode fin = ts_node_child_by_field_name(blocks[i], "end", 3);
		uint32_t bs = ts_node_start_byte(blocks[i]);
		uint32_t be = ts_node_is_null(body) ? bs : ts_node_end_byte(body);
		hl.v[i].body = dd_arena_strndup(b->doc->arena, b->src->data + bs, be - bs);
		hl.v[i].body_len = be - bs;
		hl.v[i].body_span = dd_source_span(b->src, bs, be);
		uint32_t fs = ts_node_start_byte(fin);
		hl.v[i].end_span = dd_source_span(b->src, fs, content_end(b->src, fs));
		*end = ts_node_end_byte(fin);
	}
	target->nheredocs = hl.n;
	target->heredocs = to_arena(b->doc->arena, hl.v, hl.n, sizeof(dd_heredoc));
	return DD_OK;
}

static int
add_instruction(builder *b, TSNode node)
{
	dd_doc *doc = b->doc;
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	TSNode blocks[1];
	uint32_t limit = heredoc_blocks(node, blocks, 1) ? ts_node_start_byte(blocks[0]) : end;
	dd_logical *lp = dd_arena_alloc(doc->arena, sizeof(*lp));
	dd_logical_read(lp, b->src, start, limit, doc->escape, doc->arena);
	const dd_logical l = *lp;
	if (l.end != limit)
		return dd_source_error(b->src, start, DD_ERROR,
		    "internal error: the grammar and BuildKit's line rules disagree on this line's end");
	dd_instr *ins = dd_arena_alloc(doc->arena, sizeof(*ins));
	ins->empty_continuation = l.empty_continuation;
	int rc = dd_instr_build(doc, ins, lp, 0, l.len);
	if (rc < 0)
		return rc;
	uint32_t last = l.end;
	rc = attach_heredocs(b, ins, lp, node, &last);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < l.ncomments; i++)
		add_comment(b, l.comments[i], true);
	uint32_t body_end = last > start && b->src->data[last - 1] == '\n' ? last - 1 : last;
	while (body_end > start && b->src->data[body_end - 1] == '\r')
		body_end--;
	ins->span = dd_source_span(b->src, start, body_end);
	ins->start_line = b->cont_line ? b->cont_line : l.first_line;
	ins->end_line = ins->span.end_line;
	b->cont_line = 0;
	ins->index = b->ninstrs;
	GROW(b->instrs, b->ninstrs, b->icap);
	b->instrs[b->ninstrs++] = ins;
	return DD_OK;
}

/* A continuation at the start of a statement: its comments, and its line. */
static void
top_continuation(builder *b, TSNode n)
{
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	uint32_t line, col;
	dd_source_position(b->src, s, &line, &col);
	if (!b->cont_line)
		b->cont_line = line;
	/* dropped comment lines inside it */
	for (uint32_t p = s; p < e; p++) {
		if (b->src->data[p] != '\n')
			continue;
		uint32_t q = p + 1;
		q += (uint32_t)df_space_prefix(b->src->data + q, e - q);
		if (q < e && b->src->data[q] == '#')
			add_comment(b, q, true);
	}
}

/* ---- stages and images ------------------------------------------------------------ */

typedef struct {
	char **env; /* "NAME=value" in the order BuildKit applies them */
	size_t n, cap;
} envlist;

static void
env_set(envlist *e, const char *name, size_t nlen, const char *val, size_t vlen)
{
	GROW(e->env, e->n, e->cap);
	dd_buf s = DD_BUF_INIT;
	dd_buf_put(&s, name, nlen);
	dd_buf_putc(&s, '=');
	dd_buf_put(&s, val, vlen);
	e->env[e->n++] = dd_buf_detach(&s, NULL);
}

static void
env_free(envlist *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->env[i]);
	free(e->env);
}

static const dd_build_arg *
find_build_arg(const dd_parse_opts *o, const char *name, size_t len)
{
	for (size_t i = 0; o && i < o->nbuild_args; i++)
		if (strlen(o->build_args[i].name) == len && memcmp(o->build_args[i].name, name, len) == 0)
			return &o->build_args[i];
	return NULL;
}

/* Global ARGs: build-arg values, else defaults expanded with the earlier ones. */
static void
global_env(dd_doc *doc, const dd_parse_opts *o, envlist *e)
{
	static const char *const platform[] = {
		"BUILDPLATFORM=linux/amd64", "BUILDOS=linux", "BUILDARCH=amd64",
		"TARGETPLATFORM=linux/amd64", "TARGETOS=linux", "TARGETARCH=amd64",
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(platform); i++) {
		const char *eq = strchr(platform[i], '=');
		env_set(e, platform[i], (size_t)(eq - platform[i]), eq + 1, strlen(eq + 1));
	}
	for (size_t i = 0; i < doc->nglobal_args; i++) {
		const dd_instr *ins = doc->global_args[i];
		for (size_t k = 0; k < ins->as.kv.npairs; k++) {
			const dd_kv *kv = &ins->as.kv.pairs[k];
			const dd_build_arg *ba = find_build_arg(o, kv->key.text, kv->key.len);
			if (ba) {
				env_set(e, kv->key.text, kv->key.len, ba->value, strlen(ba->value));
				continue;
			}
			if (!kv->has_value)
				continue;
			dd_expand_opts eo = { doc->escape, 0, (const char *const *)e->env, e->n, NULL, NULL, NULL };
			char *v = NULL;
			size_t vlen = 0;
			if (dd_expand_word(&eo, kv->value.text, kv->value.len, &v, &vlen) == DD_OK)
				env_set(e, kv->key.text, kv->key.len, v, vlen);
			free(v);
		}
	}
}

/* FNV-1a over the lower-cased name (stage names are kept lower-cased). */
static size_t
name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) * 16777619u;
	}
	return h;
}

static bool
name_ieq(const char *a, size_t alen, const char *b)
{
	if (strlen(b) != alen)
		return false;
	for (size_t i = 0; i < alen; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

static void
resolve_from(dd_doc *doc, dd_instr *ins, envlist *e)
{
	dd_expand_names names = {0};
	dd_expand_opts eo = { doc->escape, 0, (const char *const *)e->env, e->n, NULL, NULL, &names };
	char *v = NULL;
	size_t vlen = 0;
	const dd_word *img = &ins->as.from.image;
	if (dd_expand_word(&eo, img->text, img->len, &v, &vlen) != DD_OK) {
		dd_error_clear();
		v = dd_xstrndup(img->text, img->len);
	}
	dd_image_ref_parse(&ins->as.from.ref, v, doc->arena);
	ins->as.from.ref.unresolved = names.nunset > 0;
	free(v);
	dd_expand_names_free(&names);
}

static void
build_stages(dd_doc *doc, const dd_parse_opts *o)
{
	size_t nstages = 0, nglobal = 0;
	for (size_t i = 0; i < doc->ninstrs; i++) {
		if (doc->instrs[i]->kind == DD_INSTR_FROM)
			nstages++;
		else if (!nstages && doc->instrs[i]->kind == DD_INSTR_ARG)
			nglobal++;
	}
	doc->stages = dd_arena_alloc(doc->arena, (nstages ? nstages : 1) * sizeof(dd_stage));
	doc->global_args = dd_arena_alloc(doc->arena, (nglobal ? nglobal : 1) * sizeof(dd_instr *));
	dd_stage *cur = NULL;
	for (size_t i = 0; i < doc->ninstrs; i++) {
		dd_instr *ins = doc->instrs[i];
		if (ins->kind == DD_INSTR_FROM) {
			cur = &doc->stages[doc->nstages];
			cur->index = doc->nstages++;
			cur->from = ins;
			cur->first = i;
			const dd_word *al = &ins->as.from.alias;
			if (al->len) {
				char *lower = dd_arena_strndup(doc->arena, al->text, al->len);
				for (char *p = lower; *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p + 32);
				cur->name = lower;
			}
		} else if (!cur && ins->kind == DD_INSTR_ARG) {
			doc->global_args[doc->nglobal_args++] = ins;
		}
		ins->stage = cur;
		if (ins->onbuild)
			ins->onbuild->stage = cur;
		if (cur)
			cur->last = i;
	}
	envlist e = {0};
	global_env(doc, o, &e);
	/* names → the latest stage of that name so far: linear in the stages */
	size_t cap = 16;
	while (cap < 2 * doc->nstages)
		cap *= 2;
	dd_stage **names = dd_xcalloc(cap, sizeof(*names));
	for (size_t s = 0; s < doc->nstages; s++) {
		dd_instr *from = doc->stages[s].from;
		resolve_from(doc, from, &e);
		const char *t = from->as.from.ref.text;
		size_t tlen = strlen(t);
		for (size_t h = name_hash(t, tlen) & (cap - 1); names[h]; h = (h + 1) & (cap - 1))
			if (name_ieq(t, tlen, names[h]->name)) {
				doc->stages[s].base_stage = names[h];
				break;
			}
		const char *n = doc->stages[s].name;
		if (!n)
			continue;
		size_t h = name_hash(n, strlen(n)) & (cap - 1);
		while (names[h] && strcmp(names[h]->name, n) != 0)
			h = (h + 1) & (cap - 1);
		names[h] = &doc->stages[s];
	}
	free(names);
	env_free(&e);
}

/* ---- the document ------------------------------------------------------------- */

/*
 * A cursor over the root's children: ts_node_named_child(root, i) walks
 * from the first child each time, quadratic over a long file.
 */
static int
walk(builder *b, TSNode root)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	int rc = DD_OK;
	for (bool more = ts_tree_cursor_goto_first_child(&cur); more && rc >= 0;
	     more = ts_tree_cursor_goto_next_sibling(&cur)) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (!ts_node_is_named(n))
			continue;
		const char *t = ts_node_type(n);
		if (strcmp(t, "parser_directive") == 0)
			rc = add_directive(b, n);
		else if (strcmp(t, "comment") == 0)
			add_comment(b, ts_node_start_byte(n), false);
		else if (strcmp(t, "line_continuation") == 0)
			top_continuation(b, n);
		else
			rc = add_instruction(b, n);
	}
	ts_tree_cursor_delete(&cur);
	if (rc < 0)
		return rc;
	if (b->cont_line) {
		/* BuildKit would make an instruction with an empty keyword */
		uint32_t at = b->src->lines[b->cont_line - 1];
		return dd_source_error(b->src, at, DD_EPARSE,
		    "the file ends with a line continuation that continues nothing");
	}
	if (b->ninstrs == 0) {
		/* BuildKit names the last line it read */
		uint32_t last = b->src->lines[b->src->nlines - 1];
		return dd_source_error(b->src, last, DD_EPARSE, "file with no instructions");
	}
	return DD_OK;
}

static int
comment_cmp(const void *x, const void *y)
{
	const dd_comment *a = x, *c = y;
	return a->text.span.start < c->text.span.start ? -1 : a->text.span.start > c->text.span.start;
}

int
dd_doc_parse(dd_doc **out, const dd_source *src, const dd_parse_opts *opts)
{
	*out = NULL;
	dd_doc *doc = dd_xcalloc(1, sizeof(*doc));
	doc->arena = dd_arena_new();
	doc->src = src;
	doc->escape = '\\';
	builder b = {0};
	b.doc = doc;
	b.src = src;

	TSParser *parser = ts_parser_new();
	ts_parser_set_language(parser, tree_sitter_dockerfile());
	TSTree *tree = ts_parser_parse_string(parser, NULL, src->data, (uint32_t)src->len);
	TSNode root = ts_tree_root_node(tree);
	int rc;
	if (ts_node_has_error(root)) {
		/* directives first: the escape character matters for the message */
		for (uint32_t i = 0; i < ts_node_named_child_count(root); i++) {
			TSNode n = ts_node_named_child(root, i);
			if (strcmp(ts_node_type(n), "parser_directive") != 0)
				break;
			if ((rc = add_directive(&b, n)) < 0)
				goto done;
		}
		rc = syntax_error(&b, root);
		goto done;
	}
	uint32_t rest = unparsed_rest(src, ts_node_end_byte(root));
	if (rest < src->len) {
		/* the parser stopped early: that too is a syntax error */
		rc = syntax_error_at(&b, rest);
		goto done;
	}
	rc = walk(&b, root);
	if (rc < 0)
		goto done;
	doc->ninstrs = b.ninstrs;
	doc->instrs = to_arena(doc->arena, b.instrs, b.ninstrs, sizeof(dd_instr *));
	b.instrs = NULL;
	if (b.ncomments)
		qsort(b.comments, b.ncomments, sizeof(dd_comment), comment_cmp);
	doc->ncomments = b.ncomments;
	doc->comments = to_arena(doc->arena, b.comments, b.ncomments, sizeof(dd_comment));
	b.comments = NULL;
	doc->ndirectives = b.ndirectives;
	doc->directives = to_arena(doc->arena, b.directives, b.ndirectives, sizeof(dd_directive));
	b.directives = NULL;
	if (opts && opts->nbuild_args) {
		dd_build_arg *ba = dd_arena_alloc(doc->arena, opts->nbuild_args * sizeof(*ba));
		for (size_t i = 0; i < opts->nbuild_args; i++) {
			ba[i].name = dd_arena_strndup(doc->arena, opts->build_args[i].name,
			    strlen(opts->build_args[i].name));
			ba[i].value = dd_arena_strndup(doc->arena, opts->build_args[i].value,
			    strlen(opts->build_args[i].value));
		}
		doc->build_args = ba;
		doc->nbuild_args = opts->nbuild_args;
	}
	build_stages(doc, opts);
	*out = doc;
	doc = NULL;
done:
	free(b.instrs);
	free(b.comments);
	free(b.directives);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	dd_doc_free(doc);
	return rc < 0 ? rc : DD_OK;
}

void
dd_doc_free(dd_doc *doc)
{
	if (!doc)
		return;
	dd_arena_free(doc->arena);
	free(doc);
}

const dd_stage *
dd_doc_stage(const dd_doc *doc, const char *target)
{
	if (doc->nstages == 0)
		return NULL;
	if (!target)
		return &doc->stages[doc->nstages - 1];
	for (size_t i = 0; i < doc->nstages; i++)
		if (doc->stages[i].name && name_ieq(target, strlen(target), doc->stages[i].name))
			return &doc->stages[i];
	return NULL;
}
