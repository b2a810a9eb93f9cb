/*
 * A small JSON reader for the knowledge files: one pass into an arena, no
 * hashing, no reference counts. The knowledge is loaded by every drydock
 * process, and jansson's general-purpose objects made that load most of a
 * one-file lint's time. Reports and configuration keep using jansson.
 *
 * The API mirrors the subset of jansson the loader uses. Objects keep
 * their keys in file order; a duplicate key is an error, as with
 * jansson's JSON_REJECT_DUPLICATES.
 */
#ifndef DD_JSONLITE_H
#define DD_JSONLITE_H

#include <stdbool.h>
#include <stddef.h>

#include "drydock/alloc.h"

typedef enum { JL_NULL, JL_FALSE, JL_TRUE, JL_INTEGER, JL_REAL, JL_STRING, JL_ARRAY, JL_OBJECT } jl_type;

typedef struct jl_t jl_t;
struct jl_t {
	jl_type type;
	size_t n;               /* string length, array or object size */
	union {
		const char *s;      /* string: NUL-terminated (may hold \u0000 inside: see n) */
		long long i;
		double d;
		jl_t **items;       /* array */
		struct {
			const char **keys;
			jl_t **values;
		} obj;
	} u;
};

typedef struct {
	int line, column;       /* 1-based, where the error was seen */
	char text[160];
} jl_error;

/* Parse text; NULL on error (err filled). Everything lives in arena. */
jl_t *jl_loadb(const char *text, size_t len, dd_arena *arena, jl_error *err);

static inline bool jl_is_object(const jl_t *v) { return v && v->type == JL_OBJECT; }
static inline bool jl_is_array(const jl_t *v) { return v && v->type == JL_ARRAY; }
static inline bool jl_is_string(const jl_t *v) { return v && v->type == JL_STRING; }
static inline bool jl_is_null(const jl_t *v) { return v && v->type == JL_NULL; }
static inline bool jl_is_true(const jl_t *v) { return v && v->type == JL_TRUE; }
static inline bool jl_is_boolean(const jl_t *v) { return v && (v->type == JL_TRUE || v->type == JL_FALSE); }
static inline bool jl_is_integer(const jl_t *v) { return v && v->type == JL_INTEGER; }
static inline const char *jl_string_value(const jl_t *v) { return jl_is_string(v) ? v->u.s : NULL; }
static inline size_t jl_string_length(const jl_t *v) { return jl_is_string(v) ? v->n : 0; }
static inline long long jl_integer_value(const jl_t *v) { return jl_is_integer(v) ? v->u.i : 0; }
static inline size_t jl_array_size(const jl_t *v) { return jl_is_array(v) ? v->n : 0; }
static inline size_t jl_object_size(const jl_t *v) { return jl_is_object(v) ? v->n : 0; }

/* The value of key in object o, or NULL. */
jl_t *jl_object_get(const jl_t *o, const char *key);

/* for (each key, value) of an object, in file order */
#define jl_object_foreach(o, key, value) \
	for (size_t jl_i_ = 0; jl_is_object(o) && jl_i_ < (o)->n && \
	     ((key) = (o)->u.obj.keys[jl_i_], (value) = (o)->u.obj.values[jl_i_], 1); jl_i_++)

/* for (each index, value) of an array */
#define jl_array_foreach(a, index, value) \
	for ((index) = 0; jl_is_array(a) && (index) < (a)->n && ((value) = (a)->u.items[index], 1); (index)++)

#endif
