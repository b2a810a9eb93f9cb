/* Unit tests for the build context: .dockerignore reading and matching, the walk, COPY sources. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drydock/buf.h"
#include "drydock/context.h"
#include "drydock/error.h"

/* ---- helpers ---- */

static dd_ignore *
parse_ok(const char *text)
{
	dd_ignore *ig = NULL;
	int rc = dd_ignore_parse(&ig, text, strlen(text), NULL);
	ck_assert_msg(rc == DD_OK, "parse of \"%s\" failed: %s", text, dd_error_last());
	ck_assert_ptr_nonnull(ig);
	return ig;
}

/* Parse text that must fail; the message must be exactly msg. */
static void
parse_fails(const char *text, size_t len, const char *msg)
{
	dd_ignore *ig = (dd_ignore *)1;
	int rc = dd_ignore_parse(&ig, text, len, NULL);
	ck_assert_int_eq(rc, DD_EPARSE);
	ck_assert_ptr_null(ig);
	ck_assert_str_eq(dd_error_last(), msg);
}

/* The cleaned patterns joined as "p1|!p2|…". Caller frees. */
static char *
patterns_of(const char *text, size_t len)
{
	dd_ignore *ig = NULL;
	dd_buf b = DD_BUF_INIT;
	ck_assert_int_eq(dd_ignore_parse(&ig, text, len, NULL), DD_OK);
	for (size_t i = 0; i < dd_ignore_count(ig); i++) {
		bool exc;
		const char *p = dd_ignore_pattern(ig, i, &exc, NULL);
		dd_buf_printf(&b, "%s%s%s", i ? "|" : "", exc ? "!" : "", p);
	}
	dd_ignore_free(ig);
	return dd_buf_detach(&b, NULL);
}

static void
check_patterns(const char *text, size_t len, const char *want)
{
	char *got = patterns_of(text, len);
	ck_assert_msg(strcmp(got, want) == 0, "patterns: got \"%s\", want \"%s\"", got, want);
	free(got);
}

/* A fresh folder under /tmp; remove it with rm_tree. */
static char *
make_tmp(void)
{
	char *dir = strdup("/tmp/dd-context-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static void
rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d;
		struct dirent *de;
		chmod(path, 0700);
		if ((d = opendir(path)) != NULL) {
			while ((de = readdir(d)) != NULL) {
				if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
					continue;
				char sub[4096];
				snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
				rm_tree(sub);
			}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Create root/rel with its folders; content may be NULL (empty file). */
static void
put_file(const char *root, const char *rel, const char *content)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	if (content)
		fputs(content, f);
	fclose(f);
}

/* ---- pattern kinds and deciding (research §8) ---- */

static const struct {
	const char *ignore, *path;
	bool excluded;
} rules[] = {
	/* exact: the path and everything below it, nothing else */
	{ "foo", "foo", true },
	{ "foo", "foo/bar/baz", true },
	{ "foo", "foobar", false },
	{ "foo", "a/foo", false },
	{ "a.c", "abc", false },   /* '.' is literal */
	{ "a+b", "a+b", true },
	{ "Foo", "foo", false },   /* case-sensitive */
	/* "*" stays within one name, so *.log is top level only */
	{ "*.log", "a.log", true },
	{ "*.log", "dir/a.log", false },
	{ "*.log", "a.log/x", true },
	{ "**/*.log", "a.log", true },
	{ "**/*.log", "d/e/a.log", true },
	{ "**/*.log", "a.logx", false },
	/* leading "**" alone: a suffix test */
	{ "**/foo", "foo", true },
	{ "**/foo", "a/b/foo", true },
	{ "**/foo", "a/xfoo", false },
	{ "**/foo", "a/foo/x", true },
	{ "**foo", "xfoo", true },
	{ "**", "anything/at/all", true },
	/* trailing "**" alone: a prefix test */
	{ "foo/**", "foo/x", true },
	{ "foo/**", "foo", false },
	{ "foo/**", "foo/x/y", true },
	{ "foo**", "foobar", true },
	{ "foo**", "fo", false },
	/* middle "**": zero or more folders */
	{ "a/**/c", "a/c", true },
	{ "a/**/c", "a/b/d/c", true },
	{ "a/**/c", "a/bc", false },
	{ "a/*/c", "a/b/c", true },
	{ "a/*/c", "a/b/d/c", false },
	{ "?.txt", "a.txt", true },
	{ "?.txt", "ab.txt", false },
	{ "?.txt", "\xC3\xA9.txt", true }, /* one character, not one byte */
	/* classes are regexp classes: [^…] negates, [!…] does not */
	{ "[ab].txt", "a.txt", true },
	{ "[ab].txt", "c.txt", false },
	{ "[^ab].txt", "c.txt", true },
	{ "[^ab].txt", "a.txt", false },
	{ "[!a].txt", "!.txt", true },
	{ "[!a].txt", "b.txt", false },
	{ "[a-c]x", "bx", true },
	{ "[[:digit:]]", "7", true },
	/* a backslash escapes regexp-style: \* is a star, \d a digit */
	{ "\\*.txt", "*.txt", true },
	{ "\\*.txt", "a.txt", false },
	{ "\\d.txt", "5.txt", true },
	{ "\\d.txt", "d.txt", false },
	/* "^" is not escaped: literal in exact patterns, an anchor in others */
	{ "^foo", "^foo", true },
	{ "^foo*", "foobar", true },
	{ "^foo*", "^foobar", false },
	/* an escape makes a regexp of literals only */
	{ "\\-", "-", true },
	{ "a\\-b", "a-b", true },
	{ "a\\-b", "a-bb", false },
	/* "\Q" quotes the rest of the regexp, its final "$" included */
	{ "\\Q*", "[^/]*$", true },
	{ "\\Q*", "[^/]*$tail", true },
	{ "\\Q*", "x", false },
	/* BuildKit turns "[*]" into the regexp "[[^/]*]" */
	{ "[*]", "]", true },
	{ "[*]", "*", false },
	/* exceptions: last pattern able to flip the state wins */
	{ "foo\n!foo/keep.txt", "foo/keep.txt", false },
	{ "foo\n!foo/keep.txt", "foo/other", true },
	{ "foo\n!foo/keep.txt", "foo", true },
	{ "*\n!README.md", "README.md", false },
	{ "*\n!README.md", "src/a.c", true },
	{ "!a\na", "a", true },
	{ "a\n!a\na", "a", true },
	{ "a\n!a", "a/b", false },
	{ "**/*.md\n!README.md", "README.md", false },
	{ "**/*.md\n!README.md", "docs/README.md", true },
	/* the walker reuses each folder's results: "!x" was never tried on x */
	{ "x/y\n!x", "x/y", true },
	/* the context's root is never excluded; paths are cleaned */
	{ "*", ".", false },
	{ "**", "", false },
	{ "*", "./a", true },
	{ "*", "/a", true },
	/* patterns are cleaned */
	{ "/foo/", "foo/x", true },
	{ "./a/../b", "b", true },
	{ "./a/../b", "a", false },
	{ "a\n! /a/**/", "a/x", false },
	{ "/", "a", false },
	{ "../x", "x", false },
	{ "!../../x", "x", true }, /* cleaned twice: "!.." is a name, ".." removes it */
};

START_TEST(test_context_rules)
{
	dd_ignore *ig = parse_ok(rules[_i].ignore);
	bool got = dd_ignore_excludes(ig, rules[_i].path);
	ck_assert_msg(got == rules[_i].excluded, "ignore \"%s\", path \"%s\": got %s",
	    rules[_i].ignore, rules[_i].path, got ? "excluded" : "included");
	dd_ignore_free(ig);
}
END_TEST

START_TEST(test_context_empty_and_null)
{
	dd_ignore *ig = parse_ok("");
	ck_assert_uint_eq(dd_ignore_count(ig), 0);
	ck_assert(!dd_ignore_excludes(ig, "a"));
	ck_assert(dd_ignore_may_include_under(ig, "a"));
	dd_ignore_free(ig);
	ck_assert(!dd_ignore_excludes(NULL, "a"));
	ck_assert_uint_eq(dd_ignore_count(NULL), 0);
	ck_assert_ptr_null(dd_ignore_pattern(NULL, 0, NULL, NULL));
	dd_ignore_free(NULL);
}
END_TEST

START_TEST(test_context_step)
{
	/* what a walker does: each folder's results feed its children */
	dd_ignore *ig = parse_ok("x/y\n!x\n*.o\n");
	bool top[3], child[3];
	ck_assert(!dd_ignore_step(ig, "x", NULL, top));
	ck_assert(dd_ignore_step(ig, "x/y", top, child));
	ck_assert(!dd_ignore_step(ig, "x/z.o", top, child));
	ck_assert(dd_ignore_step(ig, "a.o", NULL, top));
	ck_assert(dd_ignore_step(ig, "a.o/inner", top, child));
	dd_ignore_free(ig);
	ck_assert(!dd_ignore_step(NULL, "a", NULL, top));
}
END_TEST

START_TEST(test_context_large)
{
	/* more patterns than the matcher keeps on the stack */
	dd_buf b = DD_BUF_INIT;
	for (int i = 0; i < 100; i++)
		dd_buf_printf(&b, "d%d\n!d%d/keep\n", i, i);
	dd_ignore *ig = parse_ok(b.ptr);
	ck_assert_uint_eq(dd_ignore_count(ig), 200);
	ck_assert(dd_ignore_excludes(ig, "d99/x/y"));
	ck_assert(!dd_ignore_excludes(ig, "d99/keep/y"));
	ck_assert(!dd_ignore_excludes(ig, "e/x"));
	dd_ignore_free(ig);
	/* a regexp longer than the matcher's stack buffer: 200 "?" then "*" */
	dd_buf_clear(&b);
	for (int i = 0; i < 200; i++)
		dd_buf_putc(&b, '?');
	dd_buf_puts(&b, "*");
	ig = parse_ok(b.ptr);
	char name[260];
	memset(name, 'x', 250);
	name[250] = '\0';
	ck_assert(dd_ignore_excludes(ig, name));
	name[199] = '\0';
	ck_assert(!dd_ignore_excludes(ig, name));
	dd_ignore_free(ig);
	dd_buf_free(&b);
}
END_TEST

/* ---- reading the file ---- */

START_TEST(test_context_cleaning)
{
	check_patterns("/foo/", 5, "foo");
	check_patterns("./a/../b", 8, "b");
	check_patterns("! /x/**/", 8, "!x/**");
	check_patterns("/", 1, "/");
	check_patterns("//", 2, "/");
	check_patterns("../x", 4, "../x");
	check_patterns("a//b/./c/", 9, "a/b/c");
	check_patterns("!../../x", 8, "x");
	check_patterns("!../..", 6, ".");
}
END_TEST

START_TEST(test_context_file_format)
{
	/* BOM on the first line only; CRLF; one CR dropped, then trimmed */
	static const char t1[] = "\xEF\xBB\xBF" "a\r\n\xEF\xBB\xBF" "b\r\nc\r\r\n";
	check_patterns(t1, sizeof(t1) - 1, "a|\xEF\xBB\xBF" "b|c");
	/* '#' comments only in the first column; blank lines skipped */
	static const char t2[] = "#comment\n #x\n\n \t \nfoo # not a comment\n";
	check_patterns(t2, sizeof(t2) - 1, "#x|foo # not a comment");
	/* a BOM then '#' is still a comment */
	static const char t3[] = "\xEF\xBB\xBF#c\nx";
	check_patterns(t3, sizeof(t3) - 1, "x");
	/* Go's TrimSpace: Unicode spaces too (NBSP, ideographic space) */
	static const char t4[] = "\xC2\xA0" "a\xE3\x80\x80\n!  b  \n";
	check_patterns(t4, sizeof(t4) - 1, "a|!b");
	/* a line of 65535 bytes is fine */
	char *big = malloc(65536 + 1);
	memset(big, 'a', 65535);
	big[65535] = '\n';
	char *got = patterns_of(big, 65536);
	ck_assert_uint_eq(strlen(got), 65535);
	free(got);
	free(big);
	/* line numbers count comments and blank lines */
	dd_ignore *ig = parse_ok("# c\n\nfoo\n!bar\n");
	bool exc;
	uint32_t line;
	ck_assert_str_eq(dd_ignore_pattern(ig, 1, &exc, &line), "bar");
	ck_assert(exc);
	ck_assert_uint_eq(line, 4);
	ck_assert_ptr_null(dd_ignore_pattern(ig, 2, NULL, NULL));
	dd_ignore_free(ig);
}
END_TEST

START_TEST(test_context_errors)
{
	parse_fails("a\nb\n!\n", 6, ".dockerignore:3:1: error: illegal exclusion pattern: \"!\"");
	parse_fails("#c\n\n! \n", 7, ".dockerignore:3:1: error: illegal exclusion pattern: \"!\"");
	/* "!/" is "!" once patternmatcher cleans it again */
	parse_fails("!/", 2, ".dockerignore:1:1: error: illegal exclusion pattern: \"!\"");
	parse_fails("ok\na[b", 6, ".dockerignore:2:1: error: syntax error in pattern \"a[b\"");
	parse_fails("x\\", 2, ".dockerignore:1:1: error: syntax error in pattern \"x\\\"");
	parse_fails("!foo[", 5, ".dockerignore:1:1: error: syntax error in pattern \"!foo[\"");
	parse_fails("[]", 2, ".dockerignore:1:1: error: syntax error in pattern \"[]\"");
	/* a later malformed chunk is found even when an earlier one fails */
	parse_fails("x*[", 3, ".dockerignore:1:1: error: syntax error in pattern \"x*[\"");
	/* valid for filepath.Match, rejected by Go's regexp compiler */
	parse_fails("[z-a]", 5, ".dockerignore:1:1: error: syntax error in pattern \"[z-a]\"");
	parse_fails("\\8", 2, ".dockerignore:1:1: error: syntax error in pattern \"\\8\"");
	parse_fails("\\pL", 3, ".dockerignore:1:1: error: unsupported escape \"\\p\" in pattern "
	    "\"\\pL\" (BuildKit reads it as a Unicode class)");
	/* the caret display gets the line as written */
	const char *line;
	size_t len;
	uint32_t col;
	parse_fails("a\n  !  \r\n", 9,
	    ".dockerignore:2:1: error: illegal exclusion pattern: \"!\"");
	ck_assert(dd_error_context(&line, &len, &col));
	ck_assert_uint_eq(len, 5);
	ck_assert(memcmp(line, "  !  ", 5) == 0);
	ck_assert_uint_eq(col, 1);
	/* a line over 64 KiB fails the whole file, even after a bad pattern */
	char *big = malloc(70000);
	memcpy(big, "[\n", 2);
	memset(big + 2, 'a', 65536);
	parse_fails(big, 2 + 65536,
	    ".dockerignore:2:1: error: line longer than 65535 bytes (BuildKit's limit)");
	free(big);
	/* the path given is the one reported */
	dd_ignore *ig = NULL;
	ck_assert_int_eq(dd_ignore_parse(&ig, "\n[", 2, "ctx/.dockerignore"), DD_EPARSE);
	ck_assert_str_eq(dd_error_last(),
	    "ctx/.dockerignore:2:1: error: syntax error in pattern \"[\"");
}
END_TEST

START_TEST(test_context_load_precedence)
{
	char *tmp = make_tmp();
	char ctx[1024], df[2048], *used = (char *)1;
	dd_ignore *ig = NULL;
	snprintf(ctx, sizeof(ctx), "%s/ctx", tmp);
	put_file(tmp, "ctx/.dockerignore", "from-context\n");
	put_file(tmp, "ctx/sub/app.Dockerfile", "FROM x\n");
	put_file(tmp, "ctx/sub/app.Dockerfile.dockerignore", "from-dockerfile\n");
	/* <Dockerfile>.dockerignore beside the Dockerfile wins */
	snprintf(df, sizeof(df), "%s/sub/app.Dockerfile", ctx);
	ck_assert_int_eq(dd_ignore_load(&ig, ctx, df, &used), DD_OK);
	ck_assert_str_eq(dd_ignore_pattern(ig, 0, NULL, NULL), "from-dockerfile");
	ck_assert(strstr(used, "/ctx/sub/app.Dockerfile.dockerignore") != NULL);
	free(used);
	dd_ignore_free(ig);
	/* else the context's .dockerignore */
	snprintf(df, sizeof(df), "%s/Dockerfile", ctx);
	ck_assert_int_eq(dd_ignore_load(&ig, ctx, df, &used), DD_OK);
	ck_assert_str_eq(dd_ignore_pattern(ig, 0, NULL, NULL), "from-context");
	ck_assert(strstr(used, "/ctx/.dockerignore") != NULL);
	free(used);
	dd_ignore_free(ig);
	/* neither: an empty set, used NULL; a folder named .dockerignore is no file */
	snprintf(ctx, sizeof(ctx), "%s/ctx/sub", tmp);
	ck_assert_int_eq(dd_ignore_load(&ig, ctx, NULL, &used), DD_OK);
	ck_assert_ptr_null(used);
	ck_assert_uint_eq(dd_ignore_count(ig), 0);
	dd_ignore_free(ig);
	put_file(tmp, "ctx/sub/.dockerignore/x", NULL);
	ck_assert_int_eq(dd_ignore_load(&ig, ctx, "-", NULL), DD_OK);
	ck_assert_uint_eq(dd_ignore_count(ig), 0);
	dd_ignore_free(ig);
	/* a broken file is an error naming it */
	put_file(tmp, "bad/.dockerignore", "ok\n!\n");
	snprintf(ctx, sizeof(ctx), "%s/bad", tmp);
	ck_assert_int_eq(dd_ignore_load(&ig, ctx, NULL, &used), DD_EPARSE);
	ck_assert_ptr_null(ig);
	ck_assert(strstr(dd_error_last(),
	    "/bad/.dockerignore:2:1: error: illegal exclusion") != NULL);
	rm_tree(tmp);
	free(tmp);
}
END_TEST

/* ---- the walk ---- */

/* Files of the test tree, in the order Go's WalkDir visits them (huge/ apart). */
static const char *const tree_files[] = {
	".dockerignore", "Dockerfile", "README.md", "a/z.txt", "a-b", "a.txt",
	"app/main.c", "app/main.o", "app/sub/x.log", "b.log", "build/keep.txt",
	"build/out.bin", "node_modules/pkg/index.js", "secret.pem",
};

#define HUGE_DIRS 10
#define HUGE_FILES 2
/* root, a, app, app/sub, build, huge, huge/dNN, node_modules, node_modules/pkg */
#define TREE_DIRS (8 + HUGE_DIRS)

static char *
make_tree(void)
{
	char *root = make_tmp(), link[4096];
	for (size_t i = 0; i < DD_ARRAY_LEN(tree_files); i++)
		put_file(root, tree_files[i], "x");
	for (int d = 0; d < HUGE_DIRS; d++)
		for (int f = 0; f < HUGE_FILES; f++) {
			char rel[64];
			snprintf(rel, sizeof(rel), "huge/d%02d/f%d", d, f);
			put_file(root, rel, NULL);
		}
	/* a symlink to a folder is sent as a link, never followed */
	snprintf(link, sizeof(link), "%s/link", root);
	ck_assert_int_eq(symlink("app", link), 0);
	return root;
}

static int
collect(void *ctx, const char *relpath)
{
	dd_buf *b = ctx;
	dd_buf_printf(b, "%s%s", b->len ? "," : "", relpath);
	return 0;
}

/* Walk root with the ignore text; returns the files joined with ','. */
static char *
walk_with(const char *root, const char *ignore, size_t max, dd_walk_stats *st)
{
	dd_ignore *ig = ignore ? parse_ok(ignore) : NULL;
	dd_buf b = DD_BUF_INIT;
	dd_buf_puts(&b, "");
	ck_assert_int_eq(dd_context_walk_stats(root, ig, max, collect, &b, st), DD_OK);
	dd_ignore_free(ig);
	return dd_buf_detach(&b, NULL);
}

static void
check_walk(const char *root, const char *ignore, const char *want, size_t want_dirs)
{
	dd_walk_stats st;
	char *got = walk_with(root, ignore, 0, &st);
	ck_assert_msg(strcmp(got, want) == 0, "ignore \"%s\":\n got  %s\n want %s",
	    ignore, got, want);
	ck_assert_msg(st.dirs_read == want_dirs, "ignore \"%s\": read %zu folders, want %zu",
	    ignore, st.dirs_read, want_dirs);
	free(got);
}

START_TEST(test_context_walk_all)
{
	char *root = make_tree();
	dd_buf want = DD_BUF_INIT;
	/* byte order of names: ".d" < "D" < "R" < "a" < "a-b" < "a.txt" < "app" */
	for (size_t i = 0; i < DD_ARRAY_LEN(tree_files); i++) {
		if (strcmp(tree_files[i], "node_modules/pkg/index.js") == 0) {
			for (int d = 0; d < HUGE_DIRS; d++)
				for (int f = 0; f < HUGE_FILES; f++)
					dd_buf_printf(&want, ",huge/d%02d/f%d", d, f);
			dd_buf_puts(&want, ",link");
		}
		dd_buf_printf(&want, "%s%s", i ? "," : "", tree_files[i]);
	}
	dd_walk_stats st;
	char *got = walk_with(root, NULL, 0, &st);
	ck_assert_str_eq(got, want.ptr);
	ck_assert_uint_eq(st.dirs_read, TREE_DIRS);
	ck_assert_uint_eq(st.files, DD_ARRAY_LEN(tree_files) + HUGE_DIRS * HUGE_FILES + 1);
	free(got);
	/* an empty ignore set sends the same */
	got = walk_with(root, "", 0, NULL);
	ck_assert_str_eq(got, want.ptr);
	free(got);
	dd_buf_free(&want);
	rm_tree(root);
	free(root);
}
END_TEST

START_TEST(test_context_walk_ignored)
{
	char *root = make_tree();
	/* no exceptions: excluded folders are never read (11 of them under huge/) */
	check_walk(root, "huge\n*.log\n.dockerignore\nnode_modules\n",
	    "Dockerfile,README.md,a/z.txt,a-b,a.txt,app/main.c,app/main.o,app/sub/x.log,"
	    "build/keep.txt,build/out.bin,link,secret.pem", TREE_DIRS - HUGE_DIRS - 1 - 2);
	/* a literal exception: build/ is read (it starts with "build/"), huge/ is not */
	check_walk(root, "huge\nbuild\n!build/keep.txt\n**/*.o\n**/*.log\n",
	    ".dockerignore,Dockerfile,README.md,a/z.txt,a-b,a.txt,app/main.c,build/keep.txt,"
	    "link,node_modules/pkg/index.js,secret.pem", TREE_DIRS - HUGE_DIRS - 1);
	/* everything excluded but one top-level file: only the root is read */
	check_walk(root, "*\n!README.md\n", "README.md", 1);
	/* an exception ending in slash-star-star counts as literal: only app/ is read */
	check_walk(root, "*\n!app/**\n", "app/main.c,app/main.o,app/sub/x.log", 3);
	/* a wildcard exception: every folder is read */
	check_walk(root, "*\n!app/**/*.c\n", "app/main.c", TREE_DIRS);
	/* excluding the folder "app" leaves the symlink "link" alone */
	check_walk(root, "app\nhuge\nnode_modules\nbuild\na\n.dockerignore\n",
	    "Dockerfile,README.md,a-b,a.txt,b.log,link,secret.pem", 1);
	/* a file of the same name prefix is not a folder below it */
	check_walk(root, "a\n",
	    ".dockerignore,Dockerfile,README.md,a-b,a.txt,app/main.c,app/main.o,app/sub/x.log,"
	    "b.log,build/keep.txt,build/out.bin,huge/d00/f0,huge/d00/f1,"
	    "huge/d01/f0,huge/d01/f1,huge/d02/f0,huge/d02/f1,huge/d03/f0,huge/d03/f1,"
	    "huge/d04/f0,huge/d04/f1,huge/d05/f0,huge/d05/f1,huge/d06/f0,huge/d06/f1,"
	    "huge/d07/f0,huge/d07/f1,huge/d08/f0,huge/d08/f1,huge/d09/f0,huge/d09/f1,"
	    "link,node_modules/pkg/index.js,secret.pem", TREE_DIRS - 1);
	/* the pruning rule itself */
	dd_ignore *ig = parse_ok("huge\nbuild\n!build/keep.txt\n");
	ck_assert(!dd_ignore_may_include_under(ig, "huge"));
	ck_assert(dd_ignore_may_include_under(ig, "build"));
	ck_assert(dd_ignore_may_include_under(ig, "app"));
	ck_assert(dd_ignore_may_include_under(ig, "."));
	dd_ignore_free(ig);
	ig = parse_ok("huge\n!build/keep.txt\n!huge2/x\n");
	ck_assert(!dd_ignore_may_include_under(ig, "huge"));
	dd_ignore_free(ig);
	/* excluded again after its exception: still read, the exception names it */
	ig = parse_ok("huge\n!huge\nhuge\n");
	ck_assert(dd_ignore_excludes(ig, "huge"));
	ck_assert(dd_ignore_may_include_under(ig, "huge"));
	dd_ignore_free(ig);
	ig = parse_ok("huge\n!other/*.txt\n");
	ck_assert(dd_ignore_may_include_under(ig, "huge"));
	dd_ignore_free(ig);
	rm_tree(root);
	free(root);
}
END_TEST

static int
stop_at_second(void *ctx, const char *relpath)
{
	int *n = ctx;
	(void)relpath;
	return ++*n == 2 ? 7 : 0;
}

START_TEST(test_context_walk_bounds)
{
	char *root = make_tree(), path[4096];
	dd_walk_stats st;
	/* at most max_files files, then DD_OK */
	char *got = walk_with(root, NULL, 3, &st);
	ck_assert_str_eq(got, ".dockerignore,Dockerfile,README.md");
	ck_assert_uint_eq(st.files, 3);
	ck_assert_uint_eq(st.dirs_read, 1);
	free(got);
	/* a non-zero callback value stops the walk and is returned */
	int n = 0;
	ck_assert_int_eq(dd_context_walk(root, NULL, 0, stop_at_second, &n), 7);
	ck_assert_int_eq(n, 2);
	/* a missing context or a file is DD_EIO */
	snprintf(path, sizeof(path), "%s/nope", root);
	ck_assert_int_eq(dd_context_walk(path, NULL, 0, stop_at_second, &n), DD_EIO);
	snprintf(path, sizeof(path), "%s/a.txt", root);
	ck_assert_int_eq(dd_context_walk(path, NULL, 0, stop_at_second, &n), DD_EIO);
	rm_tree(root);
	free(root);
}
END_TEST

START_TEST(test_context_walk_unreadable)
{
	char *root = make_tree(), path[4096];
	snprintf(path, sizeof(path), "%s/app/sub", root);
	ck_assert_int_eq(chmod(path, 0), 0);
	dd_walk_stats st;
	char *got = walk_with(root, "huge\nnode_modules\nbuild\n", 0, &st);
	/* root reads anything; otherwise app/sub is skipped without an error */
	if (geteuid() == 0)
		ck_assert(strstr(got, "app/sub/x.log") != NULL);
	else
		ck_assert_str_eq(got, ".dockerignore,Dockerfile,README.md,a/z.txt,a-b,a.txt,"
		    "app/main.c,app/main.o,b.log,link,secret.pem");
	free(got);
	rm_tree(root);
	free(root);
}
END_TEST

/* ---- COPY sources ---- */

static const struct {
	const char *source, *relpath;
	bool covered;
} copies[] = {
	/* the whole context */
	{ ".", "a/b/c", true },
	{ "./", "x", true },
	{ "", "x", true },
	{ "/", "x", true },
	{ "..", "x", true },
	/* a folder and everything in it, however written */
	{ "src", "src/a.c", true },
	{ "src", "src", true },
	{ "src/", "src/lib/a.c", true },
	{ "/src", "src/a.c", true },
	{ "./src", "src/a.c", true },
	{ "src/../lib", "lib/x", true },
	{ "../x", "x/y", true },
	{ "src", "srcx/a", false },
	{ "src", "other/src/a", false },
	{ "conf", "config/x", false }, /* a prefix that is no path boundary */
	{ "src/a.c", "src/a.c", true },
	{ "src/a.c", "src", false },
	/* globs per path element (Go's filepath.Match) */
	{ "*.pem", "key.pem", true },
	{ "*.pem", "certs/key.pem", false },
	{ "*.pem", "d.pem/inner", true }, /* a matching folder is copied whole */
	{ "conf/*.json", "conf/a.json", true },
	{ "conf/*.json", "conf/sub/a.json", false },
	{ "conf/*.json", "a.json", false },
	{ "conf/*.json", "conf", false },
	{ "a?c", "abc", true },
	{ "a?c", "ac", false },
	{ "a?c", "a/c", false },
	{ "[ab].txt", "a.txt", true },
	{ "[ab].txt", "b.txt", true },
	{ "[ab].txt", "c.txt", false },
	{ "[^a].txt", "b.txt", true },
	{ "*/x", "a/x", true },
	{ "*/x", "a/b/x", false },
	{ "**/*.go", "a/b.go", true }, /* "**" is just "*" here */
	{ "**/*.go", "b.go", false },
	{ "**/*.go", "a/b/c.go", false },
	/* escaped: no wildcard, so taken literally (backslash included) */
	{ "a\\*b", "a\\*b", true },
	{ "a\\*b", "a*b", false },
	{ "x/\\[y]/*", "x/\\[y]/z", true },
	/* a malformed glob covers nothing */
	{ "[", "[", false },
	{ "conf/[a-", "conf/a", false },
};

START_TEST(test_context_copy_covers)
{
	bool got = dd_copy_source_covers(copies[_i].source, copies[_i].relpath);
	ck_assert_msg(got == copies[_i].covered, "COPY \"%s\" covers \"%s\": got %s",
	    copies[_i].source, copies[_i].relpath, got ? "yes" : "no");
}
END_TEST

START_TEST(test_context_path_helpers)
{
	static const struct {
		const char *in, *out;
	} cleans[] = {
		{ "", "." }, { ".", "." }, { "./", "." }, { "/", "/" }, { "x/", "x" },
		{ "a//b/./c/..", "a/b" }, { "/../x", "/x" }, { "../../x", "../../x" },
		{ "a/../..", ".." }, { "a/b/../../..", ".." },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(cleans); i++) {
		char *c = dd_path_clean(cleans[i].in);
		ck_assert_msg(strcmp(c, cleans[i].out) == 0, "clean \"%s\": \"%s\"",
		    cleans[i].in, c);
		free(c);
	}
	static const struct {
		const char *pattern, *name;
		int want;
	} matches[] = {
		{ "*.go", "a.go", 1 }, { "*.go", "a/b.go", 0 }, { "a?c", "abc", 1 },
		{ "a?c", "a/c", 0 }, { "[^a]b", "/b", 1 }, /* classes may match '/' */
		{ "\\*", "*", 1 }, { "\\*", "a", 0 }, { "[a-c]", "b", 1 }, { "[\\]]", "]", 1 },
		{ "*", "", 1 }, { "", "", 1 }, { "", "a", 0 },
		{ "[", "x", DD_EPARSE }, { "a\\", "a", DD_EPARSE }, { "[a-]", "a", DD_EPARSE },
		{ "*x[", "y", DD_EPARSE }, { "[]a]", "]", DD_EPARSE },
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(matches); i++) {
		int got = dd_path_match(matches[i].pattern, matches[i].name);
		ck_assert_msg(got == matches[i].want, "Match(\"%s\", \"%s\") = %d, want %d",
		    matches[i].pattern, matches[i].name, got, matches[i].want);
	}
	ck_assert_int_eq(dd_path_match("[", "x"), DD_EPARSE);
	ck_assert_str_eq(dd_error_last(), "syntax error in pattern \"[\"");
}
END_TEST

Suite *
context_suite(void)
{
	Suite *s = suite_create("context");
	TCase *tc = tcase_create("ignore");
	tcase_add_loop_test(tc, test_context_rules, 0, DD_ARRAY_LEN(rules));
	tcase_add_test(tc, test_context_empty_and_null);
	tcase_add_test(tc, test_context_step);
	tcase_add_test(tc, test_context_large);
	tcase_add_test(tc, test_context_cleaning);
	tcase_add_test(tc, test_context_file_format);
	tcase_add_test(tc, test_context_errors);
	tcase_add_test(tc, test_context_load_precedence);
	suite_add_tcase(s, tc);
	tc = tcase_create("walk");
	tcase_add_test(tc, test_context_walk_all);
	tcase_add_test(tc, test_context_walk_ignored);
	tcase_add_test(tc, test_context_walk_bounds);
	tcase_add_test(tc, test_context_walk_unreadable);
	suite_add_tcase(s, tc);
	tc = tcase_create("copy");
	tcase_add_loop_test(tc, test_context_copy_covers, 0, DD_ARRAY_LEN(copies));
	tcase_add_test(tc, test_context_path_helpers);
	suite_add_tcase(s, tc);
	return s;
}
