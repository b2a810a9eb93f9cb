/* Engines: build command lines read as the engines read them, their image JSON, the DD6xx checks. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drydock/engine.h"
#include "drydock/error.h"
#include "drydock/imagecheck.h"
#include "drydock/rule.h"

/* A command line from one string of words separated by single spaces. */
typedef struct {
	char *buf;
	char *argv[32];
	int argc;
} words;

static void
split(words *w, const char *s)
{
	w->buf = strdup(s);
	w->argc = 0;
	for (char *t = strtok(w->buf, " "); t && w->argc < 31; t = strtok(NULL, " "))
		w->argv[w->argc++] = t;
	w->argv[w->argc] = NULL;
}

static int
parse(words *w, dd_build_cmdline *c, const char *s)
{
	split(w, s);
	return dd_build_cmdline_parse(c, w->argc, w->argv);
}

START_TEST(test_engine_cmdline_file_forms)
{
	static const struct {
		const char *line, *file, *context;
		int at, nwords, keep;
	} cases[] = {
		{ "-f Containerfile .", "Containerfile", ".", 0, 2, 0 },
		{ "--file=x/Dockerfile ctx", "x/Dockerfile", "ctx", 0, 1, 0 },
		{ "--file x/Dockerfile ctx", "x/Dockerfile", "ctx", 0, 2, 0 },
		{ "-fDockerfile.prod .", "Dockerfile.prod", ".", 0, 1, 0 },
		{ "-t app:1 -qf D .", "D", ".", 2, 2, 2 },
		{ "--pull=never --layers=false -q .", NULL, ".", -1, 0, 0 },
		/* --pull alone is a switch: "." is the context, not its value */
		{ "--pull --no-cache .", NULL, ".", -1, 0, 0 },
		{ "--build-arg A=1 --target final --label x=y ctx", NULL, "ctx", -1, 0, 0 },
		{ "-t a -- -weird-context", NULL, "-weird-context", -1, 0, 0 },
		{ "-t a", NULL, NULL, -1, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		words w;
		dd_build_cmdline c;
		ck_assert_int_eq(parse(&w, &c, cases[i].line), DD_OK);
		if (cases[i].file)
			ck_assert_str_eq(c.file, cases[i].file);
		else
			ck_assert_ptr_null(c.file);
		if (cases[i].context)
			ck_assert_str_eq(c.context, cases[i].context);
		else
			ck_assert_ptr_null(c.context);
		ck_assert_int_eq(c.file_at, cases[i].at);
		if (cases[i].file) {
			ck_assert_int_eq(c.file_words, cases[i].nwords);
			ck_assert_int_eq(c.file_keep, cases[i].keep);
		}
		dd_build_cmdline_free(&c);
		free(w.buf);
	}
}
END_TEST

START_TEST(test_engine_cmdline_values)
{
	words w;
	dd_build_cmdline c;
	ck_assert_int_eq(parse(&w, &c, "-t a:1 --tag=b:2 --build-arg X=1 --build-arg=Y --target t "
	    "--iidfile /tmp/i --secret id=npm,env=NPM_TOKEN --secret=src=f,id=gh ."), DD_OK);
	ck_assert_uint_eq(c.ntags, 2);
	ck_assert_str_eq(c.tags[0], "a:1");
	ck_assert_str_eq(c.tags[1], "b:2");
	ck_assert_uint_eq(c.nbuild_args, 2);
	ck_assert_str_eq(c.build_args[0], "X=1");
	ck_assert_str_eq(c.build_args[1], "Y");
	ck_assert_str_eq(c.target, "t");
	ck_assert_str_eq(c.iidfile, "/tmp/i");
	ck_assert(dd_build_cmdline_has_secret(&c, "npm", 3));
	ck_assert(dd_build_cmdline_has_secret(&c, "gh", 2));
	ck_assert(!dd_build_cmdline_has_secret(&c, "np", 2));
	dd_build_cmdline_free(&c);
	free(w.buf);
}
END_TEST

START_TEST(test_engine_cmdline_errors)
{
	static const char *const bad[] = { "-f a -f b .", "ctx1 ctx2", "-t", "--file", "-f a --file=b ." };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		words w;
		dd_build_cmdline c;
		ck_assert_msg(parse(&w, &c, bad[i]) == DD_EUSAGE, "%s", bad[i]);
		dd_build_cmdline_free(&c);
		free(w.buf);
	}
}
END_TEST

static void
resolve(const char *line, dd_engine_kind k, int want, const char *file, const char *ctx)
{
	words w;
	dd_build_cmdline c;
	char *f = NULL, *x = NULL;
	ck_assert_int_eq(parse(&w, &c, line), DD_OK);
	ck_assert_msg(dd_build_cmdline_resolve(&c, k, &f, &x) == want, "%s: %s", line, dd_error_last());
	if (want == DD_OK) {
		ck_assert_str_eq(f, file);
		ck_assert_str_eq(x, ctx);
	}
	free(f);
	free(x);
	dd_build_cmdline_free(&c);
	free(w.buf);
}

START_TEST(test_engine_resolve)
{
	/* the test runs in the project root: src/ exists, there is no Containerfile in it */
	resolve("-t a src", DD_ENGINE_DOCKER, DD_OK, "src/Dockerfile", "src");
	resolve("-t a src", DD_ENGINE_PODMAN, DD_OK, "src/Dockerfile", "src");
	resolve("-f x/Containerfile", DD_ENGINE_BUILDAH, DD_OK, "x/Containerfile", "x");
	resolve("-t a", DD_ENGINE_PODMAN, DD_OK, "./Dockerfile", ".");
	/* podman and buildah look for a missing -f under the context; docker does not */
	resolve("-f cmd.h src", DD_ENGINE_PODMAN, DD_OK, "src/cmd.h", "src");
	resolve("-f cmd.h src", DD_ENGINE_DOCKER, DD_OK, "cmd.h", "src");
	resolve("-f Makefile src", DD_ENGINE_PODMAN, DD_OK, "Makefile", "src");
	resolve("-t a", DD_ENGINE_DOCKER, DD_EUSAGE, NULL, NULL);
	resolve("-f - .", DD_ENGINE_PODMAN, DD_EUSAGE, NULL, NULL);
	resolve("-", DD_ENGINE_DOCKER, DD_EUSAGE, NULL, NULL);
	resolve("https://github.com/a/b.git", DD_ENGINE_DOCKER, DD_EUSAGE, NULL, NULL);
	resolve("-f https://example.com/Dockerfile .", DD_ENGINE_PODMAN, DD_EUSAGE, NULL, NULL);
}
END_TEST

START_TEST(test_engine_find)
{
	dd_engine e;
	ck_assert_int_eq(dd_engine_find(&e, "kaniko"), DD_EUSAGE);
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", "/nonexistent-drydock-path", 1);
	ck_assert_int_eq(dd_engine_find(&e, "auto"), DD_EENGINE);
	ck_assert_ptr_nonnull(strstr(dd_error_last(), "docker, podman, buildah"));
	ck_assert_int_eq(dd_engine_find(&e, "podman"), DD_EENGINE);
	if (old)
		setenv("PATH", old, 1);
	free(old);
	ck_assert_str_eq(dd_engine_build_cmd(DD_ENGINE_BUILDAH), "bud");
	ck_assert_str_eq(dd_engine_build_cmd(DD_ENGINE_PODMAN), "build");
}
END_TEST

START_TEST(test_engine_exec)
{
	char *ok[] = { "/bin/sh", "-c", "echo out; exit 7", NULL };
	dd_buf out = DD_BUF_INIT;
	ck_assert_int_eq(dd_engine_exec(ok, &out), 7);
	ck_assert_str_eq(out.ptr, "out\n");
	dd_buf_free(&out);
	char *missing[] = { "/nonexistent/engine", NULL };
	ck_assert_int_eq(dd_engine_exec(missing, NULL), DD_EENGINE);
	ck_assert_ptr_nonnull(strstr(dd_error_last(), "No such file"));
	char *killed[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	ck_assert_int_eq(dd_engine_exec(killed, NULL), 128 + 15);
}
END_TEST

/* ---- the engines' JSON ---------------------------------------------------------------- */

static const char podman_json[] =
	"[{\"Id\":\"e09\",\"Config\":{\"User\":\"10001:10001\",\"Env\":[\"PATH=/usr/bin\",\"A=b\"],"
	"\"Cmd\":[\"bash\"]},\"User\":\"10001:10001\",\"History\":[{\"created_by\":\"/bin/sh -c #(nop) ADD "
	"file:3c in /\"},{\"created_by\":\"|1 X=y /bin/sh -c echo hi\",\"empty_layer\":true}]}]";

static const char buildah_json[] =
	"{\"Type\":\"buildah 0.0.1\",\"OCIv1\":{\"config\":{\"User\":\"65532\",\"Env\":[\"PATH=/bin\"]},"
	"\"history\":[{\"created_by\":\"/bin/sh -c #(nop) USER 65532\"}]},"
	"\"Docker\":{\"config\":{\"User\":\"ignored\"},\"history\":[]}}";

static const char docker_json[] =
	"[{\"Id\":\"sha256:abc\",\"Config\":{\"User\":\"\",\"Env\":null}}]";

START_TEST(test_engine_meta_shapes)
{
	dd_image_meta m;
	ck_assert_int_eq(dd_image_meta_parse(&m, podman_json, strlen(podman_json)), DD_OK);
	ck_assert_str_eq(m.user, "10001:10001");
	ck_assert_uint_eq(m.nenv, 2);
	ck_assert_str_eq(m.env[1], "A=b");
	ck_assert_uint_eq(m.nhistory, 2);
	ck_assert_str_eq(m.history[1], "|1 X=y /bin/sh -c echo hi");
	dd_image_meta_free(&m);

	ck_assert_int_eq(dd_image_meta_parse(&m, buildah_json, strlen(buildah_json)), DD_OK);
	ck_assert_str_eq(m.user, "65532");
	ck_assert_uint_eq(m.nenv, 1);
	ck_assert_uint_eq(m.nhistory, 1);
	dd_image_meta_free(&m);

	ck_assert_int_eq(dd_image_meta_parse(&m, docker_json, strlen(docker_json)), DD_OK);
	ck_assert_str_eq(m.user, "");
	ck_assert_uint_eq(m.nenv, 0);
	const char lines[] = "\"RUN |1 X=y /bin/sh -c echo hi # buildkit\"\n\"ENV A=b\"\n";
	ck_assert_int_eq(dd_image_meta_add_history(&m, lines, strlen(lines)), DD_OK);
	ck_assert_uint_eq(m.nhistory, 2);
	ck_assert_str_eq(m.history[1], "ENV A=b");
	ck_assert_int_eq(dd_image_meta_add_history(&m, "<missing>\n", 10), DD_EPARSE);
	dd_image_meta_free(&m);

	ck_assert_int_eq(dd_image_meta_parse(&m, "[]", 2), DD_EPARSE);
	ck_assert_int_eq(dd_image_meta_parse(&m, "Error: no such image", 20), DD_EPARSE);
}
END_TEST

/* ---- the image checks ------------------------------------------------------------------- */

/* A fake GitHub token made at run time: no literal token in the source. */
static const char *
token(void)
{
	static char t[64];
	strcpy(t, "ghp_");
	for (int i = 0; i < 36; i++)
		t[4 + i] = "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zQ"[i];
	t[40] = '\0';
	return t;
}

static void
check(dd_image_meta *m, dd_findings *f, const dd_config *cfg)
{
	memset(f, 0, sizeof(*f));
	dd_image_check(m, cfg, f);
}

static bool
has(const dd_findings *f, const char *code, dd_severity sev)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].rule->code, code) == 0 && f->v[i].severity == sev)
			return true;
	return false;
}

START_TEST(test_engine_check_user)
{
	static const struct {
		const char *user;
		const char *code;     /* NULL: nothing */
		dd_severity sev;
	} cases[] = {
		{ "", "DD601", DD_SEV_ERROR },
		{ "0", "DD601", DD_SEV_ERROR },
		{ "root", "DD601", DD_SEV_ERROR },
		{ "0:0", "DD601", DD_SEV_ERROR },
		{ "root:app", "DD601", DD_SEV_ERROR },
		{ "000", "DD601", DD_SEV_ERROR },
		{ "app", "DD601", DD_SEV_WARNING },
		{ "app:app", "DD601", DD_SEV_WARNING },
		{ "10001", NULL, 0 },
		{ "10001:10001", NULL, 0 },
		{ "65532", NULL, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dd_image_meta m = { (char *)cases[i].user, NULL, 0, NULL, 0 };
		dd_findings f;
		check(&m, &f, NULL);
		if (cases[i].code)
			ck_assert_msg(f.n == 1 && has(&f, cases[i].code, cases[i].sev), "'%s'", cases[i].user);
		else
			ck_assert_msg(f.n == 0, "'%s': %s", cases[i].user, f.n ? f.v[0].message : "");
		dd_findings_free(&f);
	}
}
END_TEST

START_TEST(test_engine_check_env_and_history)
{
	char env0[] = "PATH=/usr/local/bin:/usr/bin";
	char env1[128], env2[] = "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D";
	char env3[] = "DB_PASSWORD=Xk9#mP2vL8qR4wZ7nT1qA";
	char env4[] = "PASSWORD_MIN_LENGTH=12";
	char hist0[] = "/bin/sh -c #(nop) ENV APP_CONFIG=$APP_CONFIG";
	char hist1[160], hist2[160];
	snprintf(env1, sizeof(env1), "APP_CONFIG=%s", token());
	snprintf(hist1, sizeof(hist1), "|1 APP_CONFIG=%s /bin/sh -c echo hi", token());
	snprintf(hist2, sizeof(hist2), "|1 NPM_TOKEN=npm_E2eFakeTokenForDrydockTests00000000 /bin/sh -c npm ci");
	char *env[] = { env0, env1, env2, env3, env4 };
	char *hist[] = { hist0, hist1, hist2 };
	dd_image_meta m = { (char *)"10001", env, 5, hist, 3 };
	dd_findings f;
	check(&m, &f, NULL);
	/* APP_CONFIG (token format) and DB_PASSWORD (secret name, random value); the
	 * history's APP_CONFIG repeats the ENV one; its NPM_TOKEN is new */
	ck_assert_uint_eq(f.n, 3);
	ck_assert_str_eq(f.v[0].rule->code, "DD602");
	ck_assert_ptr_nonnull(strstr(f.v[0].message, "APP_CONFIG"));
	ck_assert_ptr_nonnull(strstr(f.v[0].message, "ghp_****"));
	ck_assert_str_eq(f.v[1].rule->code, "DD602");
	ck_assert_ptr_nonnull(strstr(f.v[1].message, "DB_PASSWORD"));
	ck_assert_str_eq(f.v[2].rule->code, "DD603");
	ck_assert_ptr_nonnull(strstr(f.v[2].message, "history entry 3"));
	for (size_t i = 0; i < f.n; i++) {
		ck_assert_ptr_null(strstr(f.v[i].message, token()));
		ck_assert_ptr_null(strstr(f.v[i].message, "Xk9#mP2"));
		ck_assert_ptr_null(strstr(f.v[i].message, "FakeToken"));
		ck_assert_int_eq(f.v[i].span.line, 0);
	}
	dd_findings_free(&f);
}
END_TEST

START_TEST(test_engine_check_config)
{
	dd_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	const dd_rule *ignore[] = { dd_image_rule_find("image-secret-env") };
	dd_override ov[] = { { dd_image_rule_find("dd601"), DD_SEV_INFO } };
	cfg.ignore = ignore;
	cfg.nignore = 1;
	cfg.overrides = ov;
	cfg.noverrides = 1;
	cfg.threshold = -1;
	char env1[128];
	snprintf(env1, sizeof(env1), "APP_CONFIG=%s", token());
	char *env[] = { env1 };
	dd_image_meta m = { (char *)"", env, 1, NULL, 0 };
	dd_findings f;
	check(&m, &f, &cfg);
	ck_assert_uint_eq(f.n, 1);
	ck_assert(has(&f, "DD601", DD_SEV_INFO));
	dd_findings_free(&f);
	ck_assert_ptr_null(dd_image_rule_find("DD101"));
	ck_assert_ptr_null(dd_rule_find("DD601")); /* not a Dockerfile rule */
	for (size_t i = 0; i < dd_nimage_rules; i++) {
		ck_assert_ptr_nonnull(dd_image_rules[i].doc);
		ck_assert_ptr_null(dd_image_rules[i].check);
	}
}
END_TEST

Suite *
engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *cl = tcase_create("cmdline");
	TCase *run = tcase_create("run");
	TCase *img = tcase_create("image");
	tcase_add_test(cl, test_engine_cmdline_file_forms);
	tcase_add_test(cl, test_engine_cmdline_values);
	tcase_add_test(cl, test_engine_cmdline_errors);
	tcase_add_test(cl, test_engine_resolve);
	suite_add_tcase(s, cl);
	tcase_add_test(run, test_engine_find);
	tcase_add_test(run, test_engine_exec);
	suite_add_tcase(s, run);
	tcase_add_test(img, test_engine_meta_shapes);
	tcase_add_test(img, test_engine_check_user);
	tcase_add_test(img, test_engine_check_env_and_history);
	tcase_add_test(img, test_engine_check_config);
	suite_add_tcase(s, img);
	return s;
}
