/*
 * Lint every Dockerfile of ../shared/corpus/realworld (official images and
 * application repositories) and hold the precision the analyzer promises:
 * no secret rule fires on anything but the findings reviewed below, and
 * DD101 is info, not error, exactly on the images whose entrypoint drops
 * privileges. The build context is not read (the corpus folder is not one).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/ast.h"
#include "drydock/error.h"
#include "drydock/finding.h"
#include "drydock/knowledge.h"
#include "drydock/lint.h"
#include "drydock/rule.h"
#include "drydock/source.h"
#include "testutil.h"

/*
 * The only secret findings on the corpus, each reviewed by hand:
 * - uptime-kuma's release stage declares `ARG GITHUB_TOKEN` to upload the
 *   release: a token passed as a build argument stays in the image history.
 * - its build stage copies .npmrc into /app, and the final stage copies /app
 *   from it: a registry token in that file would ship (with the context at
 *   hand drydock reads the file and stays silent when it writes none out).
 */
static const struct {
	const char *file, *rule;
	unsigned line;
} reviewed[] = {
	{ "louislam__uptime-kuma/docker__dockerfile", "DD203", 18 },
	{ "louislam__uptime-kuma/docker__dockerfile", "DD202", 103 },
};

/* Images whose own docker-entrypoint.sh starts as root and steps down. */
static const char *const dropping_images[] = { "postgres", "redis", "mongo", "rabbitmq", "ghost" };

/*
 * The reference for "drops privileges", written independently of the
 * analyzer: the Dockerfile names gosu or su-exec (it installs it for its
 * entrypoint), or it is built FROM one of dropping_images on Linux and sets
 * no ENTRYPOINT of its own.
 */
static bool
reference_drops(const char *text)
{
	if (strstr(text, "gosu") || strstr(text, "su-exec"))
		return true;
	if (strstr(text, "\nENTRYPOINT") || strstr(text, "windows"))
		return false;
	for (size_t i = 0; i < sizeof(dropping_images) / sizeof(*dropping_images); i++) {
		char from[64];
		snprintf(from, sizeof(from), "\nFROM %s:", dropping_images[i]);
		if (strstr(text, from))
			return true;
	}
	return false;
}

START_TEST(test_corpus_lint_realworld)
{
	size_t nnames;
	char **names = tu_realworld_names(&nnames);
	ck_assert_uint_gt(nnames, 600);
	char *tdir = tu_src_path("templates");
	dd_knowledge *kb = NULL;
	ck_assert_msg(dd_knowledge_load(&kb, tdir) == DD_OK, "%s", dd_error_last());
	free(tdir);

	size_t per_rule[1000] = { 0 }, info101 = 0, error101 = 0, secrets = 0;
	bool seen[sizeof(reviewed) / sizeof(*reviewed)] = { false };
	for (size_t i = 0; i < nnames; i++) {
		char rel[600];
		snprintf(rel, sizeof(rel), "realworld/%s", names[i]);
		char *path = tu_corpus_path(rel);
		dd_source *src = NULL;
		dd_doc *doc = NULL;
		ck_assert_msg(dd_source_read(&src, path) == DD_OK, "%s", dd_error_last());
		int rc = dd_doc_parse(&doc, src, NULL);
		/* the corpus has files BuildKit itself rejects; they must fail cleanly */
		if (rc != DD_OK) {
			ck_assert_msg(rc == DD_EPARSE, "%s: %s", names[i], dd_error_last());
			dd_source_free(src);
			free(path);
			continue;
		}
		dd_lint_opts o = { .no_context = true, .kb = kb };
		dd_findings f = { NULL, 0, 0 };
		ck_assert_msg(dd_lint(doc, &o, &f) == DD_OK, "%s: %s", names[i], dd_error_last());
		bool drops = strncmp(names[i], "docker-library__", 16) == 0 && reference_drops(src->data);
		for (size_t k = 0; k < f.n; k++) {
			const dd_finding *x = &f.v[k];
			per_rule[x->rule->id % 1000]++;
			if (strncmp(x->rule->code, "DD2", 3) == 0) {
				size_t r = 0;
				while (r < sizeof(reviewed) / sizeof(*reviewed) &&
				    !(strcmp(reviewed[r].file, names[i]) == 0 &&
				    strcmp(reviewed[r].rule, x->rule->code) == 0 && reviewed[r].line == x->span.line))
					r++;
				ck_assert_msg(r < sizeof(reviewed) / sizeof(*reviewed), "%s:%u: unreviewed %s: %s",
				    names[i], x->span.line, x->rule->code, x->message);
				seen[r] = true;
				secrets++;
			}
			if (strcmp(x->rule->code, "DD101") == 0) {
				if (strncmp(names[i], "docker-library__", 16) == 0)
					ck_assert_msg((x->severity == DD_SEV_INFO) == drops,
					    "%s: DD101 is %s: %s", names[i],
					    x->severity == DD_SEV_INFO ? "info" : "not info", x->message);
				if (x->severity == DD_SEV_INFO)
					info101++;
				else
					error101++;
			}
		}
		dd_findings_free(&f);
		dd_doc_free(doc);
		dd_source_free(src);
		free(path);
	}
	for (size_t r = 0; r < sizeof(reviewed) / sizeof(*reviewed); r++)
		ck_assert_msg(seen[r], "%s:%u: %s is no longer reported", reviewed[r].file, reviewed[r].line,
		    reviewed[r].rule);
	/* postgres, redis, mongo, rabbitmq, ghost: 50 files in the corpus */
	ck_assert_uint_ge(info101, 50);
	ck_assert_uint_gt(error101, 500);
	fprintf(stderr, "corpus lint: %zu files, DD101 %zu error + %zu info, secrets %zu;", nnames, error101,
	    info101, secrets);
	for (size_t r = 0; r < dd_nrules; r++)
		fprintf(stderr, " %s %zu", dd_rules[r].code, per_rule[dd_rules[r].id % 1000]);
	fprintf(stderr, "\n");

	tu_free_names(names, nnames);
	dd_knowledge_free(kb);
}
END_TEST

Suite *
corpus_lint_suite(void)
{
	Suite *s = suite_create("corpus_lint");
	TCase *tc = tcase_create("realworld");
	tcase_add_test(tc, test_corpus_lint_realworld);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
