/*
 * Decides, as BuildKit does with Go's encoding/json, whether an argument text
 * is the exec (JSON array of strings) form, and decodes its strings.
 */
#ifndef DF_JSON_H
#define DF_JSON_H

#include "df_common.h"
#include "df_unicode.h"

enum { DF_JSON_INVALID = 0, DF_JSON_NOT_STRINGS = 1, DF_JSON_OK = 2 };

/* Go's JSON scanner rejects input nested deeper than this. */
#define DF_JSON_MAX_DEPTH 10000

/* Receives one decoded element; s is not NUL-terminated and may hold NULs. */
typedef void (*df_json_string_cb)(void *ctx, const char *s, size_t len);

/* State of the validating pass; the container stack is a bit set. */
typedef struct {
	const unsigned char *p, *end;
	size_t depth;
	bool non_string; /* an element of the outer array is not a string */
	bool overflow;   /* a number Go cannot turn into a float64 */
	unsigned char is_object[DF_JSON_MAX_DEPTH / 8 + 1];
} df_json_scan;

enum {
	DF_JSON_ST_FAIL = -1,
	DF_JSON_ST_VALUE,        /* a value must follow */
	DF_JSON_ST_ELEM_OR_END,  /* just after '[' */
	DF_JSON_ST_KEY,          /* an object key must follow */
	DF_JSON_ST_KEY_OR_END,   /* just after '{' */
	DF_JSON_ST_NEXT          /* after a value: ',' or a closing bracket */
};

/* JSON whitespace is exactly these four bytes. */
static inline bool
df_json_is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline void
df_json_skip_ws(df_json_scan *js)
{
	while (js->p < js->end && df_json_is_ws(*js->p))
		js->p++;
}

static inline int
df_json_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The value of a "\uXXXX" escape starting at p, or -1 if there is none. */
static inline long
df_json_u4(const unsigned char *p, const unsigned char *end)
{
	long v = 0;
	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (int i = 2; i < 6; i++) {
		int h = df_json_hex(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Skip the string opening at js->p; raw control bytes and bad escapes fail. */
static inline bool
df_json_skip_string(df_json_scan *js)
{
	const unsigned char *p = js->p + 1, *end = js->end;

	while (p < end) {
		unsigned char c = *p++;
		if (c == '"') {
			js->p = p;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (p == end)
			return false;
		if (*p == 'u') {
			if (df_json_u4(p - 1, end) < 0)
				return false;
			p += 5;
		} else if (memchr("\"\\/bfnrt", *p, 8)) {
			p++;
		} else {
			return false;
		}
	}
	return false;
}

/*
 * Would Go's strconv.ParseFloat report ErrRange, making json.Unmarshal into
 * any fail? When it overflows, Go decides on its slow path: the value is
 * 0.D * 10^dp (D the digits without leading zeros), where dp counts at most
 * 800 integer digits and the exponent stops accumulating once it reaches
 * 10000. dp > 310 overflows; otherwise the value is rounded correctly, so it
 * overflows iff it is >= 2^1024 - 2^970, an integer of 309 digits.
 */
static inline bool
df_json_overflows(const unsigned char *ip, const unsigned char *ie,
    const unsigned char *fp, const unsigned char *fe, long long exp)
{
	static const char limit[] =
	    "17976931348623158079372897140530341507993413271003782693617377898"
	    "04449682927647509466490179775872070963302864166928879109465555478"
	    "51940402630657488671505820681908902000708383676273854845817711531"
	    "76447573027006985557136695962284291481986083493647529271907416844"
	    "4365510704342711559699508093042880177904174497792";
	char dig[sizeof(limit) - 1];
	long long dp = exp;
	size_t n = 0;

	if (*ip != '0') {
		/* JSON integer parts have no leading zeros. */
		size_t k = (size_t)(ie - ip);
		dp += (long long)(k < 800 ? k : 800);
	} else {
		ip = ie;
		if (!fp)
			return false;
		while (fp < fe && *fp == '0') {
			fp++;
			dp--;
		}
		if (fp == fe)
			return false; /* zero */
	}
	if (dp != (long long)sizeof(dig))
		return dp > (long long)sizeof(dig);
	while (ip < ie && n < sizeof(dig))
		dig[n++] = (char)*ip++;
	while (fp && fp < fe && n < sizeof(dig))
		dig[n++] = (char)*fp++;
	memset(dig + n, '0', sizeof(dig) - n);
	return memcmp(dig, limit, sizeof(dig)) >= 0;
}

static inline const unsigned char *
df_json_digits(const unsigned char *p, const unsigned char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/* Skip an RFC 8259 number at js->p and note whether it overflows a float64. */
static inline bool
df_json_skip_number(df_json_scan *js)
{
	const unsigned char *p = js->p, *end = js->end, *ip, *ie;
	const unsigned char *fp = NULL, *fe = NULL;
	long long exp = 0;

	if (p < end && *p == '-')
		p++;
	ip = p;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		p = df_json_digits(p, end);
	else
		return false;
	ie = p;
	if (p < end && *p == '.') {
		fp = p + 1;
		fe = p = df_json_digits(fp, end);
		if (fe == fp)
			return false;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		bool neg = false;
		if (++p < end && (*p == '+' || *p == '-'))
			neg = *p++ == '-';
		if (p == end || *p < '0' || *p > '9')
			return false;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (exp < 10000) /* Go's cap; the rest is ignored */
				exp = exp * 10 + (*p - '0');
		if (neg)
			exp = -exp;
	}
	js->p = p;
	if (df_json_overflows(ip, ie, fp, fe, exp))
		js->overflow = true;
	return true;
}

static inline bool
df_json_skip_word(df_json_scan *js, const char *word, size_t n)
{
	if ((size_t)(js->end - js->p) < n || memcmp(js->p, word, n) != 0)
		return false;
	js->p += n;
	return true;
}

static inline bool
df_json_top_is_object(const df_json_scan *js)
{
	size_t i = js->depth - 1;
	return (js->is_object[i / 8] >> (i % 8)) & 1;
}

static inline int
df_json_open(df_json_scan *js, bool object)
{
	size_t i = js->depth;
	unsigned char bit = (unsigned char)(1u << (i % 8));

	if (i == DF_JSON_MAX_DEPTH)
		return DF_JSON_ST_FAIL;
	if (object)
		js->is_object[i / 8] |= bit;
	else
		js->is_object[i / 8] &= (unsigned char)~bit;
	js->depth++;
	js->p++;
	return object ? DF_JSON_ST_KEY_OR_END : DF_JSON_ST_ELEM_OR_END;
}

/* Consume a scalar, or open a container, at js->p. */
static inline int
df_json_value(df_json_scan *js)
{
	unsigned char c = *js->p;
	bool ok;

	if (js->depth == 1 && c != '"')
		js->non_string = true;
	switch (c) {
	case '[':
		return df_json_open(js, false);
	case '{':
		return df_json_open(js, true);
	case '"':
		ok = df_json_skip_string(js);
		break;
	case 't':
		ok = df_json_skip_word(js, "true", 4);
		break;
	case 'f':
		ok = df_json_skip_word(js, "false", 5);
		break;
	case 'n':
		ok = df_json_skip_word(js, "null", 4);
		break;
	default:
		ok = df_json_skip_number(js);
		break;
	}
	return ok ? DF_JSON_ST_NEXT : DF_JSON_ST_FAIL;
}

static inline int
df_json_key(df_json_scan *js)
{
	if (*js->p != '"' || !df_json_skip_string(js))
		return DF_JSON_ST_FAIL;
	df_json_skip_ws(js);
	if (js->p == js->end || *js->p != ':')
		return DF_JSON_ST_FAIL;
	js->p++;
	return DF_JSON_ST_VALUE;
}

/* A closing bracket ends an empty container (first) or a full one. */
static inline int
df_json_close(df_json_scan *js, unsigned char close, int otherwise)
{
	if (*js->p != close)
		return otherwise;
	js->p++;
	js->depth--;
	return DF_JSON_ST_NEXT;
}

static inline int
df_json_next(df_json_scan *js)
{
	bool object = df_json_top_is_object(js);

	if (*js->p == ',') {
		js->p++;
		return object ? DF_JSON_ST_KEY : DF_JSON_ST_VALUE;
	}
	return df_json_close(js, object ? '}' : ']', DF_JSON_ST_FAIL);
}

/* Validate the whole text (js->p at '['), iteratively, as Go's scanner does. */
static inline int
df_json_validate(df_json_scan *js)
{
	int st = DF_JSON_ST_VALUE;

	for (;;) {
		df_json_skip_ws(js);
		if (st == DF_JSON_ST_NEXT && js->depth == 0)
			break;
		if (js->p == js->end)
			return DF_JSON_INVALID;
		switch (st) {
		case DF_JSON_ST_VALUE:
			st = df_json_value(js);
			break;
		case DF_JSON_ST_ELEM_OR_END:
			st = df_json_close(js, ']', DF_JSON_ST_VALUE);
			break;
		case DF_JSON_ST_KEY:
			st = df_json_key(js);
			break;
		case DF_JSON_ST_KEY_OR_END:
			st = df_json_close(js, '}', DF_JSON_ST_KEY);
			break;
		default:
			st = df_json_next(js);
			break;
		}
		if (st == DF_JSON_ST_FAIL)
			return DF_JSON_INVALID;
	}
	/* Unmarshal reports a number it cannot convert, after the syntax. */
	if (js->p != js->end || js->overflow)
		return DF_JSON_INVALID;
	return js->non_string ? DF_JSON_NOT_STRINGS : DF_JSON_OK;
}

/* Decode the escape at p (validated) into b; returns the byte after it. */
static inline const unsigned char *
df_json_decode_escape(const unsigned char *p, const unsigned char *end,
    df_buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	long r, r2;

	if (p[1] != 'u') {
		const char *f = memchr(from, p[1], 8);
		df_buf_putc(b, to[f - from]);
		return p + 2;
	}
	r = df_json_u4(p, end);
	p += 6;
	if (r >= 0xD800 && r < 0xE000) {
		/* Only a high surrogate directly followed by a low one pairs. */
		r2 = df_json_u4(p, end);
		if (r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000) {
			df_buf_put_rune(b, 0x10000 +
			    ((uint32_t)(r - 0xD800) << 10) + (uint32_t)(r2 - 0xDC00));
			return p + 6;
		}
		r = DF_RUNE_ERROR;
	}
	df_buf_put_rune(b, (uint32_t)r);
	return p;
}

/* Decode the (validated) string at p into b; returns the byte after it. */
static inline const unsigned char *
df_json_decode_string(const unsigned char *p, const unsigned char *end,
    df_buf *b)
{
	p++;
	for (;;) {
		const unsigned char *q = p;
		size_t w;
		uint32_t r;

		while (*q != '"' && *q != '\\' && *q < 0x80)
			q++;
		df_buf_put(b, p, (size_t)(q - p));
		p = q;
		if (*p == '"')
			return p + 1;
		if (*p == '\\') {
			p = df_json_decode_escape(p, end, b);
			continue;
		}
		/* Each byte of an invalid sequence becomes U+FFFD. */
		r = df_utf8_decode(p, (size_t)(end - p), &w);
		if (r == DF_RUNE_ERROR && w == 1)
			df_buf_put_rune(b, DF_RUNE_ERROR);
		else
			df_buf_put(b, p, w);
		p += w;
	}
}

/* Hand each string of a validated array of strings to cb. */
static inline void
df_json_emit(const unsigned char *p, const unsigned char *end,
    df_json_string_cb cb, void *ctx)
{
	df_buf b = { NULL, 0, 0 };

	for (p++;; p++) { /* past '[' or ',' */
		while (df_json_is_ws(*p))
			p++;
		if (*p == ']')
			break;
		p = df_json_decode_string(p, end, &b);
		cb(ctx, b.ptr ? b.ptr : "", b.len);
		df_buf_clear(&b);
		while (df_json_is_ws(*p))
			p++;
		if (*p == ']')
			break;
	}
	df_buf_free(&b);
}

/*
 * Decode s[0..len) as BuildKit does: drop leading Unicode whitespace (Go's
 * unicode.IsSpace), require '[', then json.Unmarshal the rest into []any.
 * Returns DF_JSON_OK for an array of strings, DF_JSON_NOT_STRINGS for a valid
 * array holding anything else, DF_JSON_INVALID when Unmarshal would fail.
 * Only on DF_JSON_OK, and if cb is not NULL, cb gets each element in order.
 * Linear in len; the nesting stack is fixed (about 1.3 KB of stack).
 */
static inline int
df_json_string_array(const char *s, size_t len, df_json_string_cb cb,
    void *ctx)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	df_json_scan js;
	int rc;

	if (len == 0)
		return DF_JSON_INVALID;
	end = p + len;
	while (p < end) {
		size_t w;
		if (!df_uc_is_space(df_utf8_decode(p, (size_t)(end - p), &w)))
			break;
		p += w;
	}
	if (p == end || *p != '[')
		return DF_JSON_INVALID;
	js.p = p;
	js.end = end;
	js.depth = 0;
	js.non_string = js.overflow = false;
	rc = df_json_validate(&js);
	if (rc == DF_JSON_OK && cb)
		df_json_emit(p, end, cb, ctx);
	return rc;
}

#endif
