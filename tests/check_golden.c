/*
 * Golden tests: tests/golden/<DDnnn-slug>/<case>/Dockerfile beside
 * expected.json (`drydock lint -f json` of it) and fixed.Dockerfile (what
 * `drydock fix` makes of it; absent when the fix changes nothing), both
 * made by `make golden-update` and reviewed, an optional `args` file
 * (--target, --build-arg, --context, --no-context), an optional
 * `fix-args` file (--secret-mount, --uid, --gid, --user-name, --writable)
 * and an optional build context. The fix must parse, change nothing on a second run, and keep
 * the bytes outside its edits.
 */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/ast.h"
#include "drydock/config.h"
#include "drydock/error.h"
#include "drydock/fix.h"
#include "drydock/knowledge.h"
#include "drydock/lint.h"
#include "drydock/rule.h"
#include "drydock/source.h"
#include "testutil.h"

#define MAX_CASES 512

static char *cases[MAX_CASES];
static size_t ncases;

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Every <rule>/<case> folder holding a Dockerfile, sorted. */
static void
find_cases(void)
{
	if (ncases)
		return;
	char *root = tu_src_path("tests/golden");
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char rule[4096];
		snprintf(rule, sizeof(rule), "%s/%s", root, e->d_name);
		DIR *r = opendir(rule);
		struct dirent *c;
		while (r && (c = readdir(r))) {
			char path[8192], df[8300];
			snprintf(path, sizeof(path), "%s/%s", rule, c->d_name);
			snprintf(df, sizeof(df), "%s/Dockerfile", path);
			if (c->d_name[0] != '.' && is_dir(path) && access(df, F_OK) == 0 && ncases < MAX_CASES)
				cases[ncases++] = strdup(path);
		}
		if (r)
			closedir(r);
	}
	if (d)
		closedir(d);
	free(root);
	qsort(cases, ncases, sizeof(char *), cmp_str);
}

typedef struct {
	dd_lint_opts lint;
	dd_build_arg args[16];
	size_t nargs;
	char context[8192];
	char words[1024];
	dd_fix_opts fix;          /* from fix-args */
	char fix_words[1024];
	const char *writable[8];
} case_opts;

/* Read the `args` file: --target X, --build-arg K=V, --context DIR, --no-context. */
static void
read_args(const char *dir, case_opts *o)
{
	char path[8300];
	snprintf(path, sizeof(path), "%s/args", dir);
	char *text = tu_read_file(path, NULL);
	if (!text)
		return;
	snprintf(o->words, sizeof(o->words), "%s", text);
	free(text);
	char *save = NULL;
	for (char *w = strtok_r(o->words, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		if (strcmp(w, "--no-context") == 0) {
			o->lint.no_context = true;
		} else if (strcmp(w, "--target") == 0) {
			o->lint.target = strtok_r(NULL, " \t\n", &save);
		} else if (strcmp(w, "--context") == 0) {
			snprintf(o->context, sizeof(o->context), "%s/%s", dir, strtok_r(NULL, " \t\n", &save));
			o->lint.context_dir = o->context;
		} else if (strcmp(w, "--build-arg") == 0 && o->nargs < 16) {
			char *kv = strtok_r(NULL, " \t\n", &save);
			char *eq = strchr(kv, '=');
			*eq = '\0';
			o->args[o->nargs++] = (dd_build_arg){ kv, eq + 1 };
		} else {
			ck_abort_msg("%s/args: unknown word '%s'", dir, w);
		}
	}
}

/* The findings of expected.json (files[0].findings), or an empty array. */
static json_t *
expected_findings(const char *dir)
{
	char path[8300];
	snprintf(path, sizeof(path), "%s/expected.json", dir);
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	ck_assert_msg(root != NULL, "%s: %s (run make golden-update)", path, je.text);
	json_t *files = json_object_get(root, "files");
	json_t *f = json_array_get(files, 0);
	json_t *fs = f ? json_object_get(f, "findings") : NULL;
	json_t *out = fs ? json_incref(fs) : json_array();
	json_decref(root);
	return out;
}

static void
check_finding(const char *dir, size_t i, const dd_finding *f, json_t *e)
{
	const char *rule = json_string_value(json_object_get(e, "rule"));
	const char *sev = json_string_value(json_object_get(e, "severity"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	ck_assert_msg(rule && strcmp(rule, f->rule->code) == 0, "%s finding %zu: rule %s, expected %s",
	    dir, i, f->rule->code, rule);
	ck_assert_msg(sev && strcmp(sev, dd_severity_name(f->severity)) == 0,
	    "%s finding %zu (%s): severity %s, expected %s", dir, i, rule, dd_severity_name(f->severity), sev);
	ck_assert_msg(msg && strcmp(msg, f->message) == 0, "%s finding %zu (%s): message\n  %s\nexpected\n  %s",
	    dir, i, rule, f->message, msg);
	ck_assert_msg(json_integer_value(json_object_get(e, "line")) == f->span.line &&
	              json_integer_value(json_object_get(e, "column")) == f->span.col &&
	              json_integer_value(json_object_get(e, "end_line")) == f->span.end_line &&
	              json_integer_value(json_object_get(e, "end_column")) == f->span.end_col,
	    "%s finding %zu (%s): at %u:%u-%u:%u, expected %lld:%lld", dir, i, rule, f->span.line, f->span.col,
	    f->span.end_line, f->span.end_col, json_integer_value(json_object_get(e, "line")),
	    json_integer_value(json_object_get(e, "column")));
	ck_assert_msg(json_is_true(json_object_get(e, "fixable")) == f->fixable,
	    "%s finding %zu (%s): fixable %d", dir, i, rule, f->fixable);
}

/* The `fix-args` file: options only `drydock fix` takes. */
static void
read_fix_args(const char *dir, case_opts *o)
{
	char path[8300];
	snprintf(path, sizeof(path), "%s/fix-args", dir);
	char *text = tu_read_file(path, NULL);
	if (!text)
		return;
	snprintf(o->fix_words, sizeof(o->fix_words), "%s", text);
	free(text);
	char *save = NULL;
	for (char *w = strtok_r(o->fix_words, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		char *v = strtok_r(NULL, " \t\n", &save);
		ck_assert_msg(v, "%s/fix-args: %s needs a value", dir, w);
		if (strcmp(w, "--secret-mount") == 0)
			o->fix.secret_file = strcmp(v, "file") == 0;
		else if (strcmp(w, "--uid") == 0)
			o->fix.uid = (unsigned)atoi(v);
		else if (strcmp(w, "--gid") == 0)
			o->fix.gid = (unsigned)atoi(v);
		else if (strcmp(w, "--user-name") == 0)
			o->fix.user_name = o->fix.group_name = v;
		else if (strcmp(w, "--writable") == 0 && o->fix.nwritable < 8) {
			o->writable[o->fix.nwritable++] = v;
			o->fix.writable = o->writable;
		} else
			ck_abort_msg("%s/fix-args: unknown word '%s'", dir, w);
	}
}

START_TEST(test_golden_case)
{
	find_cases();
	ck_assert_uint_gt(ncases, (size_t)_i);
	const char *dir = cases[_i];
	case_opts o;
	memset(&o, 0, sizeof(o));
	read_args(dir, &o);
	read_fix_args(dir, &o);
	char *tdir = tu_src_path("templates");
	dd_knowledge *kb = NULL;
	ck_assert_msg(dd_knowledge_load(&kb, tdir) == DD_OK, "%s", dd_error_last());
	free(tdir);
	char path[8300];
	snprintf(path, sizeof(path), "%s/Dockerfile", dir);
	dd_source *src = NULL;
	dd_doc *doc = NULL;
	ck_assert_msg(dd_source_read(&src, path) == DD_OK, "%s", dd_error_last());
	dd_parse_opts po = { o.args, o.nargs };
	ck_assert_msg(dd_doc_parse(&doc, src, &po) == DD_OK, "%s", dd_error_last());
	dd_config *cfg = NULL;
	ck_assert_msg(dd_config_find(&cfg, dir) == DD_OK, "%s", dd_error_last());
	o.lint.config = cfg;
	o.lint.kb = kb;
	dd_findings f = { NULL, 0, 0 };
	ck_assert_msg(dd_lint(doc, &o.lint, &f) == DD_OK, "%s", dd_error_last());
	json_t *exp = expected_findings(dir);
	ck_assert_msg(json_array_size(exp) == f.n, "%s: %zu findings, expected %zu (first: %s %s)", dir, f.n,
	    json_array_size(exp), f.n ? f.v[0].rule->code : "-", f.n ? f.v[0].message : "");
	for (size_t i = 0; i < f.n; i++)
		check_finding(dir, i, &f.v[i], json_array_get(exp, i));
	json_decref(exp);
	dd_findings_free(&f);

	/* the fix: fixed.Dockerfile, or the input unchanged */
	dd_fix_result r;
	ck_assert_msg(dd_fix(src, &po, &o.lint, &o.fix, &r) == DD_OK, "%s: fix: %s", dir, dd_error_last());
	char fpath[8300];
	snprintf(fpath, sizeof(fpath), "%s/fixed.Dockerfile", dir);
	size_t flen;
	char *want = tu_read_file(fpath, &flen);
	if (!want) {
		want = tu_read_file(path, &flen);
		ck_assert_msg(r.len == flen && memcmp(r.output, want, flen) == 0,
		    "%s: fix changed the file but there is no fixed.Dockerfile:\n%s", dir, r.output);
	} else {
		ck_assert_msg(r.len == flen && memcmp(r.output, want, flen) == 0,
		    "%s: fix output differs from fixed.Dockerfile:\n%s", dir, r.output);
		ck_assert_msg(r.len != src->len || memcmp(r.output, src->data, r.len) != 0,
		    "%s: fixed.Dockerfile equals the input: delete it", dir);
	}
	free(want);
	tu_check_fix_edits(dir, &r);
	/* a second fix changes nothing */
	dd_source *again = NULL;
	ck_assert(dd_source_from_bytes(&again, path, r.output, r.len) == DD_OK);
	dd_fix_result r2;
	ck_assert_msg(dd_fix(again, &po, &o.lint, &o.fix, &r2) == DD_OK, "%s: second fix: %s", dir,
	    dd_error_last());
	ck_assert_msg(r2.len == r.len && memcmp(r2.output, r.output, r.len) == 0,
	    "%s: a second fix changes the file again:\n%s", dir, r2.output);
	dd_fix_result_free(&r2);
	dd_source_free(again);
	dd_fix_result_free(&r);

	dd_config_free(cfg);
	dd_doc_free(doc);
	dd_source_free(src);
	dd_knowledge_free(kb);
}
END_TEST

/* Each rule has a folder with a case that reports it and one that does not. */
START_TEST(test_golden_every_rule_has_cases)
{
	find_cases();
	for (size_t r = 0; r < dd_nrules; r++) {
		const dd_rule *rule = &dd_rules[r];
		char prefix[128];
		snprintf(prefix, sizeof(prefix), "/%s-%s/", rule->code, rule->slug);
		size_t catching = 0, silent = 0;
		for (size_t i = 0; i < ncases; i++) {
			char probe[8300];
			snprintf(probe, sizeof(probe), "%s/", cases[i]);
			if (!strstr(probe, prefix))
				continue;
			json_t *exp = expected_findings(cases[i]);
			bool hit = false;
			size_t k;
			json_t *e;
			json_array_foreach(exp, k, e) {
				const char *id = json_string_value(json_object_get(e, "rule"));
				hit |= id && strcmp(id, rule->code) == 0;
			}
			json_decref(exp);
			if (hit)
				catching++;
			else
				silent++;
		}
		ck_assert_msg(catching >= 1 && silent >= 1,
		    "tests/golden%s needs a case that reports %s and one that does not (%zu, %zu)",
		    prefix, rule->code, catching, silent);
	}
}
END_TEST

Suite *
golden_suite(void)
{
	Suite *s = suite_create("golden");
	TCase *tc = tcase_create("cases");
	find_cases();
	tcase_add_loop_test(tc, test_golden_case, 0, (int)(ncases ? ncases : 1));
	tcase_add_test(tc, test_golden_every_rule_has_cases);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
