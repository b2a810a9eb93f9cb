/* The typed AST as JSON (jansson), for `drydock parse --json` and tooling. */
#include "drydock/dump.h"
#include "drydock/alloc.h"

#include "df_lex.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *
span_json(const dd_span *s)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "start", (json_int_t)s->start,
	    "end", (json_int_t)s->end, "line", (json_int_t)s->line, "column", (json_int_t)s->col,
	    "end_line", (json_int_t)s->end_line, "end_column", (json_int_t)s->end_col);
}

/* A string that may hold any bytes: jansson needs UTF-8, and "\u0000" is allowed. */
static json_t *
str(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	return j ? j : json_string("\xEF\xBF\xBD");
}

static json_t *
word_json(const dd_word *w)
{
	json_t *o = json_object();
	json_object_set_new(o, "value", str(w->text, w->len));
	json_object_set_new(o, "span", span_json(&w->span));
	return o;
}

static json_t *
words_json(const dd_word *w, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, word_json(&w[i]));
	return a;
}

static void
set_opt(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static json_t *
mount_json(const dd_mount *m)
{
	json_t *o = json_object();
	set_opt(o, "type", m->type_name);
	set_opt(o, "id", m->id);
	set_opt(o, "target", m->target);
	set_opt(o, "source", m->source);
	set_opt(o, "from", m->from);
	set_opt(o, "env", m->env);
	set_opt(o, "mode", m->mode);
	set_opt(o, "uid", m->uid);
	set_opt(o, "gid", m->gid);
	set_opt(o, "sharing", m->sharing);
	set_opt(o, "size", m->size);
	if (m->required >= 0)
		json_object_set_new(o, "required", json_boolean(m->required));
	if (m->readonly >= 0)
		json_object_set_new(o, "readonly", json_boolean(m->readonly));
	return o;
}

static json_t *
ref_json(const dd_image_ref *r)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "text", r->text,
	    "registry", r->registry, "path", r->path, "name", r->name, "tag", r->tag,
	    "digest", r->digest, "scratch", r->scratch, "unresolved", r->unresolved,
	    "valid", r->valid);
}

static json_t *
kv_json(const dd_instr *ins)
{
	json_t *a = json_array();
	for (size_t i = 0; i < ins->as.kv.npairs; i++) {
		const dd_kv *kv = &ins->as.kv.pairs[i];
		json_t *o = json_object();
		json_object_set_new(o, "key", word_json(&kv->key));
		if (kv->has_value)
			json_object_set_new(o, "value", word_json(&kv->value));
		if (kv->legacy)
			json_object_set_new(o, "legacy", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
command_json(const dd_instr *ins)
{
	json_t *o = json_object();
	if (ins->json)
		json_object_set_new(o, "exec", words_json(ins->as.cmd.argv, ins->as.cmd.argc));
	else if (ins->as.cmd.shell.len)
		json_object_set_new(o, "shell", word_json(&ins->as.cmd.shell));
	if (ins->as.cmd.nmounts) {
		json_t *m = json_array();
		for (size_t i = 0; i < ins->as.cmd.nmounts; i++)
			json_array_append_new(m, mount_json(&ins->as.cmd.mounts[i]));
		json_object_set_new(o, "mounts", m);
	}
	return o;
}

static json_t *
payload_json(const dd_instr *ins)
{
	switch (ins->kind) {
	case DD_INSTR_FROM: {
		json_t *o = json_object();
		json_object_set_new(o, "image", word_json(&ins->as.from.image));
		json_object_set_new(o, "ref", ref_json(&ins->as.from.ref));
		if (ins->as.from.alias.len)
			json_object_set_new(o, "alias", word_json(&ins->as.from.alias));
		set_opt(o, "platform", ins->as.from.platform);
		return o;
	}
	case DD_INSTR_ENV:
	case DD_INSTR_LABEL:
	case DD_INSTR_ARG:
		return kv_json(ins);
	case DD_INSTR_USER: {
		json_t *o = json_object();
		json_object_set_new(o, "user", word_json(&ins->as.user.user));
		if (ins->as.user.has_group)
			json_object_set_new(o, "group", word_json(&ins->as.user.group));
		return o;
	}
	case DD_INSTR_ADD:
	case DD_INSTR_COPY: {
		json_t *o = json_object();
		json_object_set_new(o, "sources", words_json(ins->as.copy.sources, ins->as.copy.nsources));
		if (ins->as.copy.dest.len)
			json_object_set_new(o, "dest", word_json(&ins->as.copy.dest));
		return o;
	}
	case DD_INSTR_RUN:
	case DD_INSTR_CMD:
	case DD_INSTR_ENTRYPOINT:
	case DD_INSTR_SHELL:
		return command_json(ins);
	case DD_INSTR_HEALTHCHECK: {
		json_t *o = command_json(ins);
		if (ins->health_type.len)
			json_object_set_new(o, "type", word_json(&ins->health_type));
		return o;
	}
	default:
		return NULL;
	}
}

static json_t *
instr_json(const dd_instr *ins)
{
	json_t *o = json_object();
	json_object_set_new(o, "instruction", json_string(dd_instr_kind_name(ins->kind)));
	json_object_set_new(o, "keyword", word_json(&ins->keyword));
	json_object_set_new(o, "span", span_json(&ins->span));
	json_object_set_new(o, "start_line", json_integer(ins->start_line));
	json_object_set_new(o, "end_line", json_integer(ins->end_line));
	json_object_set_new(o, "line", str(ins->line, ins->line_len));
	if (ins->stage)
		json_object_set_new(o, "stage", json_integer((json_int_t)ins->stage->index));
	json_t *flags = json_array();
	for (size_t i = 0; i < ins->nflags; i++) {
		const dd_flag *f = &ins->flags[i];
		json_t *fo = json_pack("{s:s}", "name", f->name);
		if (f->has_value)
			json_object_set_new(fo, "value", str(f->value, f->value_len));
		json_object_set_new(fo, "raw", word_json(&f->raw));
		json_array_append_new(flags, fo);
	}
	json_object_set_new(o, "flags", flags);
	json_object_set_new(o, "args", words_json(ins->args, ins->nargs));
	json_object_set_new(o, "json", json_boolean(ins->json));
	if (ins->empty_continuation)
		json_object_set_new(o, "empty_continuation_line", json_true());
	json_t *p = payload_json(ins);
	if (p)
		json_object_set_new(o, "payload", p);
	if (ins->nheredocs) {
		json_t *h = json_array();
		for (size_t i = 0; i < ins->nheredocs; i++) {
			const dd_heredoc *d = &ins->heredocs[i];
			json_t *ho = json_pack("{s:s, s:b, s:b, s:i}", "name", d->name, "chomp", d->chomp,
			    "expand", d->expand, "fd", (json_int_t)d->fd);
			json_object_set_new(ho, "body", str(d->body, d->body_len));
			json_object_set_new(ho, "body_span", span_json(&d->body_span));
			json_object_set_new(ho, "end_span", span_json(&d->end_span));
			json_array_append_new(h, ho);
		}
		json_object_set_new(o, "heredocs", h);
	}
	if (ins->onbuild)
		json_object_set_new(o, "trigger", instr_json(ins->onbuild));
	return o;
}

void
dd_dump_json(dd_buf *out, const dd_doc *doc)
{
	json_t *root = json_object();
	json_object_set_new(root, "path", json_string(doc->src->path));
	json_object_set_new(root, "escape", json_sprintf("%c", (char)doc->escape));
	json_t *dirs = json_array();
	for (size_t i = 0; i < doc->ndirectives; i++) {
		const dd_directive *d = &doc->directives[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", word_json(&d->key));
		json_object_set_new(o, "value", word_json(&d->value));
		json_array_append_new(dirs, o);
	}
	json_object_set_new(root, "directives", dirs);
	json_t *comments = json_array();
	for (size_t i = 0; i < doc->ncomments; i++)
		json_array_append_new(comments, word_json(&doc->comments[i].text));
	json_object_set_new(root, "comments", comments);
	json_t *stages = json_array();
	for (size_t i = 0; i < doc->nstages; i++) {
		const dd_stage *s = &doc->stages[i];
		json_t *o = json_pack("{s:i, s:i, s:i}", "index", (json_int_t)s->index,
		    "first_instruction", (json_int_t)s->first, "last_instruction", (json_int_t)s->last);
		set_opt(o, "name", s->name);
		json_object_set_new(o, "base", ref_json(&s->from->as.from.ref));
		if (s->base_stage)
			json_object_set_new(o, "base_stage", json_integer((json_int_t)s->base_stage->index));
		json_array_append_new(stages, o);
	}
	json_object_set_new(root, "stages", stages);
	json_t *ins = json_array();
	for (size_t i = 0; i < doc->ninstrs; i++)
		json_array_append_new(ins, instr_json(doc->instrs[i]));
	json_object_set_new(root, "instructions", ins);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s) {
		dd_buf_puts(out, s);
		dd_buf_putc(out, '\n');
		free(s);
	}
	json_decref(root);
}
