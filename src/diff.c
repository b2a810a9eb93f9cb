/*
 * Unified diff: split both texts into lines, find a shortest edit script
 * with Myers' O((N+M)D) greedy algorithm (keeping every V array for the
 * backtrack), then print hunks with three lines of context.
 */
#include "drydock/diff.h"
#include "drydock/alloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *p;
	size_t n;   /* with its line ending */
} line;

static line *
split(const char *s, size_t len, size_t *count)
{
	size_t cap = 16, n = 0;
	line *v = dd_xmalloc(cap * sizeof(*v));
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) + 1 : len;
		if (n == cap) {
			cap *= 2;
			v = dd_xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = (line){ s + i, e - i };
		i = e;
	}
	*count = n;
	return v;
}

static bool
same(const line *a, const line *b)
{
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* An edit script as one op per line: '=' kept, '-' deleted from a, '+' added from b. */
typedef struct {
	char op;
	size_t ai, bi;
} op;

static op *
myers(const line *a, size_t n, const line *b, size_t m, size_t *nops)
{
	size_t max = n + m, width = 2 * max + 1;
	/* trace[d] is V after step d (V indexed by k + max) */
	long **trace = dd_xcalloc(max + 1, sizeof(long *));
	long *v = dd_xcalloc(width + 2, sizeof(long));
	size_t dfinal = 0;
	bool done = false;
	for (size_t d = 0; d <= max && !done; d++) {
		for (long k = -(long)d; k <= (long)d; k += 2) {
			long x;
			if (k == -(long)d || (k != (long)d && v[k - 1 + (long)max] < v[k + 1 + (long)max]))
				x = v[k + 1 + (long)max];
			else
				x = v[k - 1 + (long)max] + 1;
			long y = x - k;
			while ((size_t)x < n && (size_t)y < m && same(&a[x], &b[y]))
				x++, y++;
			v[k + (long)max] = x;
			if ((size_t)x >= n && (size_t)y >= m) {
				done = true;
				break;
			}
		}
		/* keep only V[-d..d]: O(D^2) memory, not O(D(N+M)) */
		trace[d] = dd_xmalloc((2 * d + 1) * sizeof(long));
		memcpy(trace[d], v + (long)max - (long)d, (2 * d + 1) * sizeof(long));
		dfinal = d;
	}
	/* backtrack from (n, m) to (0, 0), collecting ops in reverse */
	op *ops = dd_xmalloc((n + m + 1) * sizeof(op));
	size_t k_ops = 0;
	long x = (long)n, y = (long)m;
	for (size_t d = dfinal + 1; d-- > 0;) {
		long k = x - y;
		long prev_k;
		if (d == 0) {
			while (x > 0 && y > 0) {
				x--, y--;
				ops[k_ops++] = (op){ '=', (size_t)x, (size_t)y };
			}
			break;
		}
		/* trace[d - 1][k + d - 1] is V[k] after step d - 1 */
		const long *pv = trace[d - 1];
		long off = (long)d - 1;
		if (k == -(long)d || (k != (long)d && pv[k - 1 + off] < pv[k + 1 + off]))
			prev_k = k + 1;
		else
			prev_k = k - 1;
		long px = pv[prev_k + off], py = px - prev_k;
		while (x > px && y > py) {
			x--, y--;
			ops[k_ops++] = (op){ '=', (size_t)x, (size_t)y };
		}
		if (x == px)
			ops[k_ops++] = (op){ '+', (size_t)x, (size_t)--y };
		else
			ops[k_ops++] = (op){ '-', (size_t)--x, (size_t)y };
	}
	for (size_t i = 0; i < k_ops / 2; i++) {
		op t = ops[i];
		ops[i] = ops[k_ops - 1 - i];
		ops[k_ops - 1 - i] = t;
	}
	for (size_t d = 0; d <= dfinal; d++)
		free(trace[d]);
	free(trace);
	free(v);
	*nops = k_ops;
	return ops;
}

static void
put_line(dd_buf *out, char mark, const line *l)
{
	dd_buf_putc(out, mark);
	dd_buf_put(out, l->p, l->n);
	if (l->n == 0 || l->p[l->n - 1] != '\n')
		dd_buf_puts(out, "\n\\ No newline at end of file\n");
}

/* "-a,n" in a hunk header: a start of 0 when the range is empty, as diff(1) prints it. */
static void
put_range(dd_buf *out, char sign, size_t start, size_t len)
{
	if (len == 1)
		dd_buf_printf(out, "%c%zu", sign, start + 1);
	else
		dd_buf_printf(out, "%c%zu,%zu", sign, len ? start + 1 : start, len);
}

void
dd_diff_unified(dd_buf *out, const char *a_name, const char *a, size_t alen, const char *b_name,
    const char *b, size_t blen)
{
	enum { CONTEXT = 3 };
	size_t n, m, nops;
	line *la = split(a, alen, &n), *lb = split(b, blen, &m);
	op *ops = myers(la, n, lb, m, &nops);
	bool header = false;
	for (size_t i = 0; i < nops;) {
		if (ops[i].op == '=') {
			i++;
			continue;
		}
		/* a hunk: from CONTEXT ops before this change to CONTEXT after the last close one */
		size_t start = i > CONTEXT ? i - CONTEXT : 0, end = i;
		for (size_t j = i; j < nops; j++) {
			if (ops[j].op != '=') {
				end = j + 1;
				continue;
			}
			if (j - end >= 2 * CONTEXT)
				break;
		}
		size_t stop = end + CONTEXT < nops ? end + CONTEXT : nops;
		size_t as = ops[start].ai, bs = ops[start].bi, an = 0, bn = 0;
		for (size_t j = start; j < stop; j++) {
			an += ops[j].op != '+';
			bn += ops[j].op != '-';
		}
		if (!header) {
			dd_buf_printf(out, "--- %s\n+++ %s\n", a_name, b_name);
			header = true;
		}
		dd_buf_puts(out, "@@ ");
		put_range(out, '-', as, an);
		dd_buf_putc(out, ' ');
		put_range(out, '+', bs, bn);
		dd_buf_puts(out, " @@\n");
		for (size_t j = start; j < stop; j++) {
			if (ops[j].op == '=')
				put_line(out, ' ', &la[ops[j].ai]);
			else if (ops[j].op == '-')
				put_line(out, '-', &la[ops[j].ai]);
			else
				put_line(out, '+', &lb[ops[j].bi]);
		}
		i = stop;
	}
	free(ops);
	free(la);
	free(lb);
}
