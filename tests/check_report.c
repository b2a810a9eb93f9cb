/* Reports: every format over the same in-memory results, checked byte for byte or parsed back. */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drydock/alloc.h"
#include "drydock/error.h"
#include "drydock/report.h"
#include "drydock/rule.h"
#include "drydock/source.h"
#include "testutil.h"

/* ---- three fake rules (the real table is not needed to test serializers) ---- */

static const char *const dd101_aliases[] = { "hadolint:DL3002", "trivy:DS-0002", NULL };
static const char *const no_aliases[] = { NULL };

static const dd_rule_doc dd101_doc = {
	"The container runs as root",
	"A process that runs as root in the container is root on the host after an escape.",
	"Add a USER with a numeric uid before CMD.",
	"FROM alpine\nCMD [\"app\"]\n",
	"FROM alpine\nUSER 10001\nCMD [\"app\"]\n",
};
static const dd_rule_doc dd303_doc = {
	"The base image is not pinned",
	"A moving tag builds a different image tomorrow: *latest* is not a version.",
	"Pin a tag, or better a digest.",
	"FROM node\n",
	"FROM node:22.11-slim\n",
};
/* An example holding a fence of three backticks: the Markdown fence must be longer. */
static const dd_rule_doc dd503_doc = {
	"A download is piped into a shell",
	"The script is run unverified.",
	"Download, verify the checksum, then run.",
	"RUN curl -sSL https://x.example/i.sh | sh # ```\n",
	"RUN curl -sSLo i.sh https://x.example/i.sh && sha256sum -c i.sum && sh i.sh\n",
};

#define FAKE_RULES                                                                        \
	{ 101, "DD101", "root-user", DD_SEV_ERROR, dd101_aliases, NULL, &dd101_doc, NULL }, \
	{ 303, "DD303", "unpinned-base", DD_SEV_WARNING, no_aliases, NULL, &dd303_doc, NULL }, \
	{ 503, "DD503", "pipe-to-shell", DD_SEV_WARNING, NULL, NULL, &dd503_doc, NULL }

static const dd_rule fake_rules[] = { FAKE_RULES };
#define R101 (&fake_rules[0])
#define R303 (&fake_rules[1])
#define R503 (&fake_rules[2])

/* ---- the fixture: four files ------------------------------------------------ */

/* A: findings of every severity, UTF-8 and a tab before a column, a repeated line. */
#define SRC_A "FROM node:latest AS build\n" \
	"RUN echo \"h\xC3\xA9llo\"\t&& curl x | sh\n" \
	"USER root\n" \
	"USER root\n"
/* C: starts with a byte-order mark. D: fails to parse. */
#define SRC_C "\xEF\xBB\xBF" "FROM scratch\n"
#define SRC_D "FROM a\n  FORM x\n"

#define ERR_B "sub dir/Containerfile:1:1: error: cannot read: No such file or directory"
#define ERR_D "Dockerfile.dev:2:3: error: unknown instruction: FORM"

typedef struct {
	dd_source *a, *c, *d;
	dd_finding fa[4], fc[1];
	dd_file_result files[4];
	dd_results res;
	dd_report_opts opts;
} fixture;

static dd_source *
source(const char *path, const char *bytes)
{
	dd_source *src = NULL;
	ck_assert_int_eq(dd_source_from_bytes(&src, path, bytes, strlen(bytes)), DD_OK);
	return src;
}

/* A finding on the n-th (0-based) occurrence of needle in src. */
static dd_finding
finding(const dd_source *src, const char *needle, int nth, const dd_rule *rule, dd_severity sev,
    const char *msg, int stage, bool fixable)
{
	const char *p = src->data;
	dd_finding f;

	for (int i = 0; i <= nth; i++, p++) {
		p = strstr(p, needle);
		ck_assert_ptr_nonnull(p);
	}
	uint32_t start = (uint32_t)(p - 1 - src->data);
	memset(&f, 0, sizeof(f));
	f.rule = rule;
	f.severity = sev;
	f.message = dd_xstrdup(msg);
	f.span = dd_source_span(src, start, start + (uint32_t)strlen(needle));
	f.stage = stage;
	f.fixable = fixable;
	f.instr_line = f.span.line;
	return f;
}

static void
fixture_init(fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = source("Dockerfile", SRC_A);
	fx->c = source("/abs/Dockerfile", SRC_C);
	fx->d = source("Dockerfile.dev", SRC_D);
	fx->fa[0] = finding(fx->a, "node:latest", 0, R303, DD_SEV_INFO,
	    "base image \"node:latest\" <&> is unpinned", 0, true);
	fx->fa[1] = finding(fx->a, "curl x | sh", 0, R503, DD_SEV_WARNING,
	    "curl output piped to sh", 0, false);
	fx->fa[2] = finding(fx->a, "USER root", 0, R101, DD_SEV_ERROR,
	    "final stage runs as \"root\"", -1, true);
	fx->fa[3] = finding(fx->a, "USER root", 1, R101, DD_SEV_ERROR,
	    "final stage runs as \"root\"", 0, false);
	fx->fc[0] = finding(fx->c, "scratch", 0, R303, DD_SEV_WARNING,
	    "tag missing\t\x1b[2J here", 0, false);
	fx->files[0] = (dd_file_result){ "Dockerfile", fx->a, { fx->fa, 4, 4 }, NULL };
	fx->files[1] = (dd_file_result){ "sub dir/Containerfile", NULL, { NULL, 0, 0 }, ERR_B };
	fx->files[2] = (dd_file_result){ "/abs/Dockerfile", fx->c, { fx->fc, 1, 1 }, NULL };
	fx->files[3] = (dd_file_result){ "Dockerfile.dev", fx->d, { NULL, 0, 0 }, ERR_D };
	fx->res.files = fx->files;
	fx->res.nfiles = 4;
	fx->res.seconds = 1.234;
	fx->res.threshold = DD_SEV_WARNING;
	fx->opts.version = "1.2.3";
	fx->opts.rules = fake_rules;
	fx->opts.nrules = DD_ARRAY_LEN(fake_rules);
}

static void
fixture_free(fixture *fx)
{
	for (size_t i = 0; i < 4; i++)
		free(fx->fa[i].message);
	free(fx->fc[0].message);
	dd_source_free(fx->a);
	dd_source_free(fx->c);
	dd_source_free(fx->d);
}

/* The report as a string (caller frees). */
static char *
render(const char *format, const dd_results *r, const dd_report_opts *o)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dd_report_write(f, format, r, o), DD_OK);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(strlen(s), len);
	return s;
}

static void
expect_bytes(const char *got, const char *want)
{
	ck_assert_msg(strcmp(got, want) == 0, "got:\n%s\nwant:\n%s", got, want);
}

static json_t *
parse_json(const char *s)
{
	json_error_t err;
	json_t *j = json_loads(s, 0, &err);
	ck_assert_msg(j != NULL, "invalid JSON at %d:%d: %s\n%s", err.line, err.column, err.text, s);
	return j;
}

/* The value at a path of keys and indexes: "runs/0/tool/driver/name". */
static json_t *
at(json_t *j, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *save = NULL, *k = strtok_r(buf, "/", &save); k; k = strtok_r(NULL, "/", &save)) {
		if (json_is_array(j))
			j = json_array_get(j, strtoul(k, NULL, 10));
		else
			j = json_object_get(j, k);
		ck_assert_msg(j != NULL, "no %s (at %s)", path, k);
	}
	return j;
}

static void
expect_str(json_t *j, const char *path, const char *want)
{
	json_t *v = at(j, path);
	ck_assert_msg(json_is_string(v), "%s is not a string", path);
	ck_assert_msg(strcmp(json_string_value(v), want) == 0, "%s: got \"%s\", want \"%s\"",
	    path, json_string_value(v), want);
}

static void
expect_int(json_t *j, const char *path, json_int_t want)
{
	json_t *v = at(j, path);
	ck_assert_msg(json_is_integer(v), "%s is not an integer", path);
	ck_assert_msg(json_integer_value(v) == want, "%s: got %lld, want %lld", path,
	    (long long)json_integer_value(v), (long long)want);
}

static void
expect_absent(json_t *j, const char *parent, const char *key)
{
	ck_assert_msg(json_object_get(at(j, parent), key) == NULL, "%s/%s is present", parent, key);
}

/* ---- text ------------------------------------------------------------------- */

#define TEXT_A \
	"Dockerfile:1:6: info DD303 unpinned-base: base image \"node:latest\" <&> is unpinned\n" \
	"  | FROM node:latest AS build\n" \
	"  |      ^\n" \
	"Dockerfile:2:22: warning DD503 pipe-to-shell: curl output piped to sh\n" \
	"  | RUN echo \"h\xC3\xA9llo\"\t&& curl x | sh\n" \
	"  |                 \t   ^\n" \
	"Dockerfile:3:1: error DD101 root-user: final stage runs as \"root\"\n" \
	"  | USER root\n" \
	"  | ^\n" \
	"Dockerfile:4:1: error DD101 root-user: final stage runs as \"root\"\n" \
	"  | USER root\n" \
	"  | ^\n"

START_TEST(test_report_text_plain)
{
	fixture fx;
	fixture_init(&fx);
	char *s = render("text", &fx.res, &fx.opts);
	expect_bytes(s, TEXT_A
	    ERR_B "\n"
	    "/abs/Dockerfile:1:9: warning DD303 unpinned-base: tag missing\t?[2J here\n"
	    "  | FROM scratch\n"
	    "  |      ^\n"
	    ERR_D "\n"
	    "  |   FORM x\n"
	    "  |   ^\n"
	    "4 files checked (2 failed), 5 findings (2 errors, 2 warnings, 1 info), 2 fixable, "
	    "in 1.23 s\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

#define B "\033[1m"
#define Z "\033[0m"
#define RED "\033[31m"
#define YEL "\033[33m"
#define BLU "\033[34m"

START_TEST(test_report_text_color)
{
	fixture fx;
	fixture_init(&fx);
	fx.res.nfiles = 2;
	fx.files[0].findings.n = 3;
	fx.opts.color = true;
	char *s = render("text", &fx.res, &fx.opts);
	expect_bytes(s,
	    B "Dockerfile:1:6:" Z " " BLU "info" Z " DD303 unpinned-base: base image \"node:latest\" <&> is unpinned\n"
	    "  | FROM node:latest AS build\n"
	    "  |      " BLU "^" Z "\n"
	    B "Dockerfile:2:22:" Z " " YEL "warning" Z " DD503 pipe-to-shell: curl output piped to sh\n"
	    "  | RUN echo \"h\xC3\xA9llo\"\t&& curl x | sh\n"
	    "  |                 \t   " YEL "^" Z "\n"
	    B "Dockerfile:3:1:" Z " " RED "error" Z " DD101 root-user: final stage runs as \"root\"\n"
	    "  | USER root\n"
	    "  | " RED "^" Z "\n"
	    B "sub dir/Containerfile:1:1:" Z " " RED "error" Z ": cannot read: No such file or directory\n"
	    "2 files checked (1 failed), 3 findings (1 error, 1 warning, 1 info), 2 fixable, in 1.23 s\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_report_text_quiet)
{
	fixture fx;
	fixture_init(&fx);
	fx.opts.quiet = true;
	fx.opts.verbose = true; /* quiet wins */
	char *s = render("text", &fx.res, &fx.opts);
	expect_bytes(s,
	    "Dockerfile:1:6: info DD303 unpinned-base: base image \"node:latest\" <&> is unpinned\n"
	    "Dockerfile:2:22: warning DD503 pipe-to-shell: curl output piped to sh\n"
	    "Dockerfile:3:1: error DD101 root-user: final stage runs as \"root\"\n"
	    "Dockerfile:4:1: error DD101 root-user: final stage runs as \"root\"\n"
	    ERR_B "\n"
	    "/abs/Dockerfile:1:9: warning DD303 unpinned-base: tag missing\t?[2J here\n"
	    ERR_D "\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_report_text_verbose)
{
	fixture fx;
	fixture_init(&fx);
	fx.res.nfiles = 1;
	fx.files[0].findings.v = &fx.fa[1];
	fx.files[0].findings.n = 2;
	fx.opts.verbose = true;
	char *s = render("text", &fx.res, &fx.opts);
	expect_bytes(s,
	    "Dockerfile:2:22: warning DD503 pipe-to-shell: curl output piped to sh\n"
	    "  | RUN echo \"h\xC3\xA9llo\"\t&& curl x | sh\n"
	    "  |                 \t   ^\n"
	    "  = DD503: A download is piped into a shell\n"
	    "Dockerfile:3:1: error DD101 root-user: final stage runs as \"root\"\n"
	    "  | USER root\n"
	    "  | ^\n"
	    "  = DD101: The container runs as root\n"
	    "  = aliases: hadolint:DL3002, trivy:DS-0002\n"
	    "1 file checked, 2 findings (1 error, 1 warning, 0 info), 1 fixable, in 1.23 s\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_report_text_clean)
{
	fixture fx;
	fixture_init(&fx);
	fx.res.nfiles = 1;
	fx.files[0].findings.n = 0;
	fx.res.seconds = 0.004;
	char *s = render("text", &fx.res, &fx.opts);
	expect_bytes(s, "1 file checked, no findings, in 0.00 s\n");
	free(s);
	fx.res.nfiles = 0;
	s = render("text", &fx.res, &fx.opts);
	expect_bytes(s, "0 files checked, no findings, in 0.00 s\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

/* ---- json ------------------------------------------------------------------- */

START_TEST(test_report_json)
{
	fixture fx;
	fixture_init(&fx);
	char *s = render("json", &fx.res, &fx.opts);
	json_t *j = parse_json(s);

	expect_int(j, "version", 1);
	ck_assert_uint_eq(json_array_size(at(j, "files")), 4);
	expect_str(j, "files/0/path", "Dockerfile");
	expect_absent(j, "files/0", "error");
	ck_assert_uint_eq(json_object_size(at(j, "files/0/findings/0")), 11);
	expect_str(j, "files/0/findings/0/rule", "DD303");
	expect_str(j, "files/0/findings/0/slug", "unpinned-base");
	expect_str(j, "files/0/findings/0/severity", "info");
	expect_str(j, "files/0/findings/0/message", "base image \"node:latest\" <&> is unpinned");
	expect_int(j, "files/0/findings/0/line", 1);
	expect_int(j, "files/0/findings/0/column", 6);
	expect_int(j, "files/0/findings/0/end_line", 1);
	expect_int(j, "files/0/findings/0/end_column", 17);
	expect_int(j, "files/0/findings/0/stage", 0);
	ck_assert(json_is_true(at(j, "files/0/findings/0/fixable")));
	ck_assert_uint_eq(json_array_size(at(j, "files/0/findings/0/aliases")), 0);
	expect_int(j, "files/0/findings/1/column", 22);
	expect_int(j, "files/0/findings/1/end_column", 33);
	ck_assert(json_is_false(at(j, "files/0/findings/1/fixable")));
	ck_assert(json_is_null(at(j, "files/0/findings/2/stage")));
	expect_str(j, "files/0/findings/2/aliases/0", "hadolint:DL3002");
	expect_str(j, "files/0/findings/2/aliases/1", "trivy:DS-0002");
	expect_str(j, "files/1/path", "sub dir/Containerfile");
	expect_str(j, "files/1/error", ERR_B);
	ck_assert_uint_eq(json_array_size(at(j, "files/1/findings")), 0);
	expect_str(j, "files/2/findings/0/message", "tag missing\t\x1b[2J here");
	expect_int(j, "files/2/findings/0/column", 9);
	expect_str(j, "files/3/error", ERR_D);
	/* the keys in the order of SPEC §5 */
	ck_assert_ptr_nonnull(strstr(s, "{\n  \"version\": 1,\n  \"files\": [\n    {\n      \"path\""));
	json_decref(j);
	free(s);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_report_json_not_utf8)
{
	fixture fx;
	fixture_init(&fx);
	fx.files[1].path = "bad\xFFname";
	fx.files[1].error = "bad\xFFname:1:1: error: cannot read";
	fx.res.nfiles = 2;
	char *s = render("json", &fx.res, &fx.opts);
	json_t *j = parse_json(s);
	expect_str(j, "files/1/path", "bad\xEF\xBF\xBDname");
	expect_str(j, "files/1/error", "bad\xEF\xBF\xBDname:1:1: error: cannot read");
	json_decref(j);
	free(s);
	fixture_free(&fx);
}
END_TEST

/* ---- sarif ------------------------------------------------------------------ */

static void
expect_rule(json_t *j, size_t i, const char *id, const char *name, const char *level,
    const char *score)
{
	char p[128];
#define RULE_PATH(k) (snprintf(p, sizeof(p), "runs/0/tool/driver/rules/%zu/%s", i, k), p)
	expect_str(j, RULE_PATH("id"), id);
	expect_str(j, RULE_PATH("name"), name);
	expect_str(j, RULE_PATH("defaultConfiguration/level"), level);
	expect_str(j, RULE_PATH("properties/security-severity"), score);
	expect_str(j, RULE_PATH("properties/tags/0"), "security");
	expect_str(j, RULE_PATH("properties/precision"), "high");
	ck_assert(strncmp(json_string_value(at(j, RULE_PATH("helpUri"))), "https://", 8) == 0);
#undef RULE_PATH
}

static void
check_sarif_rules(json_t *j)
{
	ck_assert_uint_eq(json_array_size(at(j, "runs/0/tool/driver/rules")), 3);
	expect_rule(j, 0, "DD101", "RootUser", "error", "8.0");
	expect_rule(j, 1, "DD303", "UnpinnedBase", "warning", "5.0");
	expect_rule(j, 2, "DD503", "PipeToShell", "warning", "5.0");
	expect_str(j, "runs/0/tool/driver/rules/0/shortDescription/text", dd101_doc.title);
	expect_str(j, "runs/0/tool/driver/rules/0/fullDescription/text", dd101_doc.why);
	expect_str(j, "runs/0/tool/driver/rules/0/properties/tags/2", "user");
	expect_str(j, "runs/0/tool/driver/rules/1/properties/tags/2", "base-image");
	expect_str(j, "runs/0/tool/driver/rules/0/help/text",
	    "A process that runs as root in the container is root on the host after an escape."
	    "\n\nFix: Add a USER with a numeric uid before CMD."
	    "\n\nBad:\nFROM alpine\nCMD [\"app\"]"
	    "\n\nGood:\nFROM alpine\nUSER 10001\nCMD [\"app\"]");
	expect_str(j, "runs/0/tool/driver/rules/1/help/markdown",
	    "A moving tag builds a different image tomorrow: \\*latest\\* is not a version."
	    "\n\n**Fix:** Pin a tag, or better a digest."
	    "\n\nBad:\n\n```dockerfile\nFROM node\n```"
	    "\n\nGood:\n\n```dockerfile\nFROM node:22.11-slim\n```");
	/* a fence longer than the example's own ``` */
	ck_assert_ptr_nonnull(strstr(json_string_value(at(j,
	    "runs/0/tool/driver/rules/2/help/markdown")), "\n````dockerfile\nRUN curl"));
}

static void
expect_region(json_t *j, size_t i, int sl, int sc, int el, int ec)
{
	char p[128];
#define REG(k) (snprintf(p, sizeof(p), "runs/0/results/%zu/locations/0/physicalLocation/region/%s", i, k), p)
	expect_int(j, REG("startLine"), sl);
	expect_int(j, REG("startColumn"), sc);
	expect_int(j, REG("endLine"), el);
	expect_int(j, REG("endColumn"), ec);
#undef REG
}

static void
check_sarif_results(json_t *j)
{
	const char *fp2, *fp3;

	ck_assert_uint_eq(json_array_size(at(j, "runs/0/results")), 5);
	expect_str(j, "runs/0/results/0/ruleId", "DD303");
	expect_int(j, "runs/0/results/0/ruleIndex", 1);
	expect_str(j, "runs/0/results/0/level", "note");
	expect_str(j, "runs/0/results/0/message/text", "base image \"node:latest\" <&> is unpinned");
	expect_str(j, "runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri",
	    "Dockerfile");
	expect_str(j, "runs/0/results/0/locations/0/physicalLocation/artifactLocation/uriBaseId",
	    "%SRCROOT%");
	expect_region(j, 0, 1, 6, 1, 17);
	/* UTF-16 columns: é is one unit, the tab one */
	expect_region(j, 1, 2, 21, 2, 32);
	expect_str(j, "runs/0/results/1/level", "warning");
	expect_int(j, "runs/0/results/2/ruleIndex", 0);
	expect_str(j, "runs/0/results/2/level", "error");
	/* the same rule on the same text: one hash, two occurrences */
	fp2 = json_string_value(at(j, "runs/0/results/2/partialFingerprints/primaryLocationLineHash"));
	fp3 = json_string_value(at(j, "runs/0/results/3/partialFingerprints/primaryLocationLineHash"));
	ck_assert_uint_eq(strlen(fp2), 18);
	ck_assert(strncmp(fp2, fp3, 16) == 0);
	ck_assert_str_eq(fp2 + 16, ":1");
	ck_assert_str_eq(fp3 + 16, ":2");
	/* absolute: a file URI; the byte-order mark is not a column */
	expect_str(j, "runs/0/results/4/locations/0/physicalLocation/artifactLocation/uri",
	    "file:///abs/Dockerfile");
	expect_absent(j, "runs/0/results/4/locations/0/physicalLocation/artifactLocation",
	    "uriBaseId");
	expect_region(j, 4, 1, 6, 1, 13);
	expect_str(j, "runs/0/results/4/message/text", "tag missing\t\x1b[2J here");
}

static void
check_sarif_invocation(json_t *j)
{
	ck_assert(json_is_false(at(j, "runs/0/invocations/0/executionSuccessful")));
	ck_assert_uint_eq(json_array_size(at(j, "runs/0/invocations/0/toolExecutionNotifications")), 2);
#define NOTE(i, k) "runs/0/invocations/0/toolExecutionNotifications/" #i "/" k
#define PHYS "locations/0/physicalLocation/"
	expect_str(j, NOTE(0, "level"), "error");
	expect_str(j, NOTE(0, "message/text"), ERR_B);
	expect_str(j, NOTE(0, PHYS "artifactLocation/uri"), "sub%20dir/Containerfile");
	expect_int(j, NOTE(0, PHYS "region/startLine"), 1);
	expect_int(j, NOTE(0, PHYS "region/startColumn"), 1);
	expect_absent(j, NOTE(0, PHYS "region"), "endLine");
	expect_str(j, NOTE(1, PHYS "artifactLocation/uri"), "Dockerfile.dev");
	expect_int(j, NOTE(1, PHYS "region/startLine"), 2);
	expect_int(j, NOTE(1, PHYS "region/startColumn"), 3);
#undef NOTE
#undef PHYS
}

/* Where tests/sarif_validate.sh finds a SARIF file to check against the official schema. */
static void
save_for_validation(const char *s)
{
	char *dir = tu_src_path("build");
	char *path = tu_src_path("build/report-test.sarif");
	FILE *f;

	mkdir(dir, 0777);
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(s, f);
	ck_assert_int_eq(fclose(f), 0);
	free(dir);
	free(path);
}

START_TEST(test_report_sarif)
{
	fixture fx;
	fixture_init(&fx);
	char *s = render("sarif", &fx.res, &fx.opts);
	json_t *j = parse_json(s);

	/* $schema and version come first */
	ck_assert(strncmp(s, "{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/"
	    "os/schemas/sarif-schema-2.1.0.json\",\n  \"version\": \"2.1.0\",\n", 121) == 0);
	ck_assert_uint_eq(json_array_size(at(j, "runs")), 1);
	expect_str(j, "runs/0/tool/driver/name", "drydock");
	expect_str(j, "runs/0/tool/driver/version", "1.2.3");
	expect_str(j, "runs/0/tool/driver/informationUri", "https://github.com/drydock-dev/drydock");
	expect_str(j, "runs/0/automationDetails/id", "drydock/");
	expect_str(j, "runs/0/columnKind", "utf16CodeUnits");
	/* the rule's heading in docs/rules.md, by its GitHub anchor */
	expect_str(j, "runs/0/tool/driver/rules/0/helpUri",
	    "https://github.com/drydock-dev/drydock/blob/main/docs/rules.md#dd101-root-user");
	check_sarif_rules(j);
	check_sarif_results(j);
	check_sarif_invocation(j);
	save_for_validation(s);
	json_decref(j);
	free(s);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_report_sarif_clean)
{
	fixture fx;
	fixture_init(&fx);
	fx.res.nfiles = 1;
	fx.files[0].findings.n = 0;
	fx.opts.sarif_category = "drydock-app";
	fx.opts.version = NULL;
	char *s = render("sarif", &fx.res, &fx.opts);
	json_t *j = parse_json(s);
	ck_assert(json_is_true(at(j, "runs/0/invocations/0/executionSuccessful")));
	expect_absent(j, "runs/0/invocations/0", "toolExecutionNotifications");
	expect_absent(j, "runs/0/tool/driver", "version");
	ck_assert_uint_eq(json_array_size(at(j, "runs/0/results")), 0);
	expect_str(j, "runs/0/automationDetails/id", "drydock-app/");
	json_decref(j);
	free(s);
	/* without a table of its own, the report describes the linked table */
	fx.opts.rules = NULL;
	s = render("sarif", &fx.res, &fx.opts);
	j = parse_json(s);
	ck_assert_uint_eq(json_array_size(at(j, "runs/0/tool/driver/rules")), dd_nrules);
	json_decref(j);
	free(s);
	fixture_free(&fx);
}
END_TEST

/* ---- checkstyle --------------------------------------------------------------- */

START_TEST(test_report_checkstyle)
{
	fixture fx;
	fixture_init(&fx);
	char *s = render("checkstyle", &fx.res, &fx.opts);
	expect_bytes(s,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<checkstyle version=\"4.3\">\n"
	    "  <file name=\"Dockerfile\">\n"
	    "    <error line=\"1\" column=\"6\" severity=\"info\" message=\"base image "
	    "&quot;node:latest&quot; &lt;&amp;&gt; is unpinned\" source=\"drydock.DD303\"/>\n"
	    "    <error line=\"2\" column=\"22\" severity=\"warning\" message=\"curl output piped "
	    "to sh\" source=\"drydock.DD503\"/>\n"
	    "    <error line=\"3\" column=\"1\" severity=\"error\" message=\"final stage runs as "
	    "&quot;root&quot;\" source=\"drydock.DD101\"/>\n"
	    "    <error line=\"4\" column=\"1\" severity=\"error\" message=\"final stage runs as "
	    "&quot;root&quot;\" source=\"drydock.DD101\"/>\n"
	    "  </file>\n"
	    "  <file name=\"sub dir/Containerfile\">\n"
	    "    <error line=\"1\" column=\"1\" severity=\"error\" message=\"" ERR_B "\" "
	    "source=\"drydock.input-error\"/>\n"
	    "  </file>\n"
	    "  <file name=\"/abs/Dockerfile\">\n"
	    "    <error line=\"1\" column=\"9\" severity=\"warning\" message=\"tag missing&#9;"
	    "\xEF\xBF\xBD[2J here\" source=\"drydock.DD303\"/>\n"
	    "  </file>\n"
	    "  <file name=\"Dockerfile.dev\">\n"
	    "    <error line=\"2\" column=\"3\" severity=\"error\" message=\"" ERR_D "\" "
	    "source=\"drydock.input-error\"/>\n"
	    "  </file>\n"
	    "</checkstyle>\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_report_checkstyle_escapes)
{
	fixture fx;
	fixture_init(&fx);
	fx.files[1].path = "a'b\"<c>&\x01\xFF\n";
	fx.files[1].error = "x";
	fx.files[0] = fx.files[1];
	fx.res.nfiles = 1;
	char *s = render("checkstyle", &fx.res, &fx.opts);
	ck_assert_ptr_nonnull(strstr(s, "<file name=\"a&apos;b&quot;&lt;c&gt;&amp;"
	    "\xEF\xBF\xBD\xEF\xBF\xBD&#10;\">\n"));
	free(s);
	fixture_free(&fx);
}
END_TEST

/* ---- gitlab ------------------------------------------------------------------- */

static bool
is_hex16(const char *s)
{
	return strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16;
}

START_TEST(test_report_gitlab)
{
	fixture fx;
	fixture_init(&fx);
	char *s = render("gitlab", &fx.res, &fx.opts);
	json_t *j = parse_json(s);

	ck_assert_uint_eq(json_array_size(j), 7);
	expect_str(j, "0/description", "DD303 unpinned-base: base image \"node:latest\" <&> is unpinned");
	expect_str(j, "0/check_name", "DD303");
	expect_str(j, "0/severity", "info");
	expect_str(j, "0/location/path", "Dockerfile");
	expect_int(j, "0/location/lines/begin", 1);
	expect_str(j, "0/categories/0", "Security");
	ck_assert_uint_eq(json_array_size(at(j, "0/categories")), 1);
	expect_str(j, "1/severity", "minor");
	expect_str(j, "2/severity", "critical");
	expect_int(j, "3/location/lines/begin", 4);
	expect_str(j, "4/check_name", "input-error");
	expect_str(j, "4/description", ERR_B);
	expect_str(j, "4/location/path", "sub dir/Containerfile");
	expect_int(j, "4/location/lines/begin", 1);
	expect_str(j, "5/location/path", "/abs/Dockerfile");
	expect_int(j, "6/location/lines/begin", 2);
	/* every fingerprint is hex and unique, the repeated line included */
	for (size_t i = 0; i < 7; i++) {
		const char *fp = json_string_value(json_object_get(json_array_get(j, i), "fingerprint"));
		ck_assert_msg(fp && is_hex16(fp), "issue %zu: fingerprint %s", i, fp ? fp : "(none)");
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(fp, json_string_value(json_object_get(json_array_get(j, k),
			    "fingerprint")));
	}
	json_decref(j);
	free(s);
	fx.res.nfiles = 0;
	s = render("gitlab", &fx.res, &fx.opts);
	expect_bytes(s, "[]\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

/* ---- shared behaviour ------------------------------------------------------------ */

/* A fingerprint follows the text, not the line number, and ignores a leading "./". */
START_TEST(test_report_fingerprint_stable)
{
	fixture fx;
	fixture_init(&fx);
	dd_source *moved = source("./Dockerfile", "# a comment\n\n" SRC_A);
	dd_finding f[4];
	char before[17], after[17];

	for (int i = 0; i < 4; i++)
		f[i] = finding(moved, i == 1 ? "curl x | sh" : i == 0 ? "node:latest" : "USER root",
		    i >= 2 ? i - 2 : 0, fx.fa[i].rule, fx.fa[i].severity, "moved", 0, false);
	dd_file_result mf = { "./Dockerfile", moved, { f, 4, 4 }, NULL };
	for (size_t i = 0; i < 4; i++) {
		ck_assert_uint_eq(f[i].span.line, fx.fa[i].span.line + 2);
		dd_report_fingerprint(before, &fx.files[0], i, true);
		dd_report_fingerprint(after, &mf, i, true);
		ck_assert_str_eq(before, after);
	}
	ck_assert_uint_eq(dd_report_occurrence(&mf, 3), 1);
	dd_report_fingerprint(before, &mf, 2, true);
	dd_report_fingerprint(after, &mf, 3, true);
	ck_assert_str_ne(before, after);
	dd_report_fingerprint(before, &mf, 2, false);
	dd_report_fingerprint(after, &mf, 3, false);
	ck_assert_str_eq(before, after);
	for (int i = 0; i < 4; i++)
		free(f[i].message);
	dd_source_free(moved);
	fixture_free(&fx);
}
END_TEST

/* ---- github ----------------------------------------------------------------- */

START_TEST(test_report_github)
{
	fixture fx;
	fixture_init(&fx);
	char *s = render("github", &fx.res, &fx.opts);
	/* columns count characters: the é before the tab is one; ends are inclusive */
	expect_bytes(s,
	    "::notice file=Dockerfile,line=1,col=6,endLine=1,endColumn=16,title=DD303 unpinned-base::"
	    "base image \"node:latest\" <&> is unpinned\n"
	    "::warning file=Dockerfile,line=2,col=21,endLine=2,endColumn=31,title=DD503 pipe-to-shell::"
	    "curl output piped to sh\n"
	    "::error file=Dockerfile,line=3,col=1,endLine=3,endColumn=9,title=DD101 root-user::"
	    "final stage runs as \"root\"\n"
	    "::error file=Dockerfile,line=4,col=1,endLine=4,endColumn=9,title=DD101 root-user::"
	    "final stage runs as \"root\"\n"
	    "::error file=sub dir/Containerfile,line=1,col=1,title=drydock::" ERR_B "\n"
	    "::warning file=/abs/Dockerfile,line=1,col=6,endLine=1,endColumn=12,title=DD303 unpinned-base::"
	    "tag missing\t?[2J here\n"
	    "::error file=Dockerfile.dev,line=2,col=3,title=drydock::" ERR_D "\n"
	    "4 files checked (2 failed), 5 findings (2 errors, 2 warnings, 1 info), 2 fixable, "
	    "in 1.23 s\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

/* The runner's escapes: % CR LF in the message, and : , too in properties. */
START_TEST(test_report_github_escapes)
{
	fixture fx;
	fixture_init(&fx);
	free(fx.fa[0].message);
	fx.fa[0].message = dd_xstrdup("50% done\r\nnext: a, b");
	fx.files[0].path = "./a,b:c%.Dockerfile";
	fx.files[0].findings.n = 1;
	fx.res.nfiles = 1;
	fx.opts.quiet = true;
	char *s = render("github", &fx.res, &fx.opts);
	expect_bytes(s,
	    "::notice file=a%2Cb%3Ac%25.Dockerfile,line=1,col=6,endLine=1,endColumn=16,"
	    "title=DD303 unpinned-base::50%25 done%0D%0Anext: a, b\n");
	free(s);
	fixture_free(&fx);
}
END_TEST

START_TEST(test_report_unknown_format)
{
	fixture fx;
	fixture_init(&fx);
	ck_assert_int_eq(dd_report_write(stdout, "yaml", &fx.res, &fx.opts), DD_EUSAGE);
	ck_assert_str_eq(dd_error_last(),
	    "unknown format 'yaml' (text, json, sarif, checkstyle, gitlab, github)");
	fixture_free(&fx);
}
END_TEST

/* Every listed format works, with NULL options too; a full disk is DD_EIO. */
START_TEST(test_report_formats)
{
	fixture fx;
	fixture_init(&fx);
	size_t n = 0;
	for (const char *const *f = dd_report_formats; *f; f++, n++) {
		char *s = render(*f, &fx.res, NULL);
		ck_assert_msg(strlen(s) > 0, "%s: empty", *f);
		free(s);
		FILE *full = fopen("/dev/full", "w");
		if (!full)
			continue;
		ck_assert_msg(dd_report_write(full, *f, &fx.res, &fx.opts) == DD_EIO, "%s", *f);
		fclose(full);
	}
	ck_assert_uint_eq(n, 6);
	fixture_free(&fx);
}
END_TEST

Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, test_report_text_plain);
	tcase_add_test(tc, test_report_text_color);
	tcase_add_test(tc, test_report_text_quiet);
	tcase_add_test(tc, test_report_text_verbose);
	tcase_add_test(tc, test_report_text_clean);
	tcase_add_test(tc, test_report_json);
	tcase_add_test(tc, test_report_json_not_utf8);
	tcase_add_test(tc, test_report_sarif);
	tcase_add_test(tc, test_report_sarif_clean);
	tcase_add_test(tc, test_report_checkstyle);
	tcase_add_test(tc, test_report_checkstyle_escapes);
	tcase_add_test(tc, test_report_gitlab);
	tcase_add_test(tc, test_report_github);
	tcase_add_test(tc, test_report_github_escapes);
	tcase_add_test(tc, test_report_fingerprint_stable);
	tcase_add_test(tc, test_report_unknown_format);
	tcase_add_test(tc, test_report_formats);
	suite_add_tcase(s, tc);
	return s;
}
