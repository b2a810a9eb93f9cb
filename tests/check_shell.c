/* Unit tests for the RUN shell tokenizer: focused scripts with exact results, limits, and the real-world corpus. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drydock/alloc.h"
#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/shell.h"
#include "drydock/source.h"
#include "testutil.h"

/* ---- helpers ---- */

static const char *const join_names[] = { "END", ";", "&&", "||", "|", "&" };
static const char *const redir_names[] = {
	"", "<", ">", ">>", "<>", "<&", ">&", "&>", "&>>", "<<", "<<<"
};
static const char nest_marks[] = { ' ', '$', '(', '{', 'c' };

/* Tokenize a NUL-terminated script into *sh; the caller frees the arena. */
static dd_arena *
tokenize(const char *script, dd_shell *sh)
{
	dd_arena *a = dd_arena_new();

	dd_shell_parse(sh, script, strlen(script), a);
	return a;
}

static void
put_words(dd_buf *b, const char *sep, const dd_sh_word *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			dd_buf_puts(b, sep);
		if (w[i].redir) {
			if (w[i].fd >= 0)
				dd_buf_printf(b, "%d", w[i].fd);
			dd_buf_puts(b, redir_names[w[i].redir]);
		}
		dd_buf_put(b, w[i].text, w[i].len);
	}
}

/*
 * One line per command: depth, ^parent and why nested ($ ( { c),
 * "@" for a ( … ) / { …; } node, {assignments}, words joined by |,
 * redirections, and the join. Malloc'd.
 */
static char *
dump_cmds(const dd_shell *sh)
{
	dd_buf b = DD_BUF_INIT;

	for (size_t i = 0; i < sh->ncmds; i++) {
		const dd_sh_cmd *c = &sh->cmds[i];
		dd_buf_printf(&b, "%u", c->depth);
		if (c->parent != DD_SH_NONE)
			dd_buf_printf(&b, "^%zu%c", c->parent, nest_marks[c->nest]);
		dd_buf_puts(&b, c->compound ? " @" : " ");
		if (c->nassigns) {
			dd_buf_puts(&b, "{");
			put_words(&b, " ", c->assigns, c->nassigns);
			dd_buf_puts(&b, "}");
		}
		put_words(&b, "|", c->words, c->nwords);
		if (c->nredirs) {
			dd_buf_puts(&b, " ");
			put_words(&b, " ", c->redirs, c->nredirs);
		}
		dd_buf_printf(&b, " %s\n", join_names[c->join]);
	}
	return dd_buf_detach(&b, NULL);
}

static void
put_spans(dd_buf *b, const char *script, const char *tag, const dd_sh_word *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		dd_buf_printf(b, " %s[%.*s]", tag, (int)(w[i].end - w[i].start), script + w[i].start);
		if (w[i].quoted)
			dd_buf_puts(b, "q");
		if (w[i].has_expansion)
			dd_buf_puts(b, "x");
	}
}

/*
 * One line per command: the script bytes of its span, then of each
 * assignment (a), word and redirection (r); q: quoted, x: expansion.
 */
static char *
dump_spans(const char *script, const dd_shell *sh)
{
	dd_buf b = DD_BUF_INIT;

	for (size_t i = 0; i < sh->ncmds; i++) {
		const dd_sh_cmd *c = &sh->cmds[i];
		dd_buf_printf(&b, "[%.*s]:", (int)(c->end - c->start), script + c->start);
		put_spans(&b, script, "a", c->assigns, c->nassigns);
		put_spans(&b, script, "", c->words, c->nwords);
		put_spans(&b, script, "r", c->redirs, c->nredirs);
		dd_buf_puts(&b, "\n");
	}
	return dd_buf_detach(&b, NULL);
}

/* Every span inside the script; nested commands inside their parent, one level down. */
static void
assert_spans_inside(const dd_shell *sh, size_t len, const char *ctx)
{
	for (size_t i = 0; i < sh->ncmds; i++) {
		const dd_sh_cmd *c = &sh->cmds[i];
		ck_assert_msg(c->start <= c->end && c->end <= len, "%s: command %zu span", ctx, i);
		ck_assert_msg((c->depth == 0) == (c->nest == DD_SH_TOP), "%s: command %zu nest", ctx, i);
		if (c->parent != DD_SH_NONE) {
			const dd_sh_cmd *p = &sh->cmds[c->parent];
			ck_assert_msg(c->parent < i && c->depth == p->depth + 1, "%s: command %zu parent", ctx, i);
			ck_assert_msg(c->start >= p->start && c->end <= p->end,
			    "%s: command %zu outside its parent", ctx, i);
		}
		const dd_sh_word *w[] = { c->words, c->assigns, c->redirs };
		size_t n[] = { c->nwords, c->nassigns, c->nredirs };
		for (size_t k = 0; k < 3; k++)
			for (size_t j = 0; j < n[k]; j++)
				ck_assert_msg(w[k][j].start <= w[k][j].end && w[k][j].end <= len &&
				    w[k][j].start >= c->start && w[k][j].end <= c->end,
				    "%s: command %zu word %zu span", ctx, i, j);
	}
}

/* ---- focused scripts: exact commands, words, joins, depths and spans ---- */

typedef struct {
	const char *script;
	const char *cmds;	/* dump_cmds */
	const char *spans;	/* dump_spans */
	bool incomplete;
} case_want;

static const case_want cases[] = {
	{ "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
	  "0 apt-get|update &&\n"
	  "0 apt-get|install|-y|curl &&\n"
	  "0 rm|-rf|/var/lib/apt/lists/* END\n",
	  "[apt-get update]: [apt-get] [update]\n"
	  "[apt-get install -y curl]: [apt-get] [install] [-y] [curl]\n"
	  "[rm -rf /var/lib/apt/lists/*]: [rm] [-rf] [/var/lib/apt/lists/*]\n", false },
	{ "curl -fsSL https://x/install.sh | sh",
	  "0 curl|-fsSL|https://x/install.sh |\n"
	  "0 sh END\n",
	  "[curl -fsSL https://x/install.sh]: [curl] [-fsSL] [https://x/install.sh]\n"
	  "[sh]: [sh]\n", false },
	{ "wget -qO- https://x | bash -s -- --flag",
	  "0 wget|-qO-|https://x |\n"
	  "0 bash|-s|--|--flag END\n",
	  "[wget -qO- https://x]: [wget] [-qO-] [https://x]\n"
	  "[bash -s -- --flag]: [bash] [-s] [--] [--flag]\n", false },
	{ "sudo -u app make install",
	  "0 sudo|-u|app|make|install END\n",
	  "[sudo -u app make install]: [sudo] [-u] [app] [make] [install]\n", false },
	{ "chmod 777 /data && chmod -R o+w /srv",
	  "0 chmod|777|/data &&\n"
	  "0 chmod|-R|o+w|/srv END\n",
	  "[chmod 777 /data]: [chmod] [777] [/data]\n"
	  "[chmod -R o+w /srv]: [chmod] [-R] [o+w] [/srv]\n", false },
	{ "chmod u+s /bin/x",
	  "0 chmod|u+s|/bin/x END\n",
	  "[chmod u+s /bin/x]: [chmod] [u+s] [/bin/x]\n", false },
	{ "set -eux; useradd -r -u 10001 app",
	  "0 set|-eux ;\n"
	  "0 useradd|-r|-u|10001|app END\n",
	  "[set -eux]: [set] [-eux]\n"
	  "[useradd -r -u 10001 app]: [useradd] [-r] [-u] [10001] [app]\n", false },
	{ "go build -o /out/app ./cmd/app",
	  "0 go|build|-o|/out/app|./cmd/app END\n",
	  "[go build -o /out/app ./cmd/app]: [go] [build] [-o] [/out/app] [./cmd/app]\n", false },
	/* the -c script, one level down, spans inside the quotes */
	{ "sh -c 'echo a && sudo b'",
	  "0 sh|-c|echo a && sudo b END\n"
	  "1^0c echo|a &&\n"
	  "1^0c sudo|b END\n",
	  "[sh -c 'echo a && sudo b']: [sh] [-c] ['echo a && sudo b']q\n"
	  "[echo a]: [echo] [a]\n"
	  "[sudo b]: [sudo] [b]\n", false },
	{ "bash -c \"curl x | sh\"",
	  "0 bash|-c|curl x | sh END\n"
	  "1^0c curl|x |\n"
	  "1^0c sh END\n",
	  "[bash -c \"curl x | sh\"]: [bash] [-c] [\"curl x | sh\"]q\n"
	  "[curl x]: [curl] [x]\n"
	  "[sh]: [sh]\n", false },
	{ "x=$(curl -s https://x | sh)",
	  "0 {x=$(curl -s https://x | sh)} END\n"
	  "1^0$ curl|-s|https://x |\n"
	  "1^0$ sh END\n",
	  "[x=$(curl -s https://x | sh)]: a[x=$(curl -s https://x | sh)]x\n"
	  "[curl -s https://x]: [curl] [-s] [https://x]\n"
	  "[sh]: [sh]\n", false },
	{ "`which sudo`",
	  "0 `which sudo` END\n"
	  "1^0$ which|sudo END\n",
	  "[`which sudo`]: [`which sudo`]x\n"
	  "[which sudo]: [which] [sudo]\n", false },
	/* keywords separate commands; the for list is not a command */
	{ "if [ -f a ]; then sudo b; fi",
	  "0 [|-f|a|] ;\n"
	  "0 sudo|b END\n",
	  "[[ -f a ]]: [[] [-f] [a] []]\n"
	  "[sudo b]: [sudo] [b]\n", false },
	{ "for f in a b; do chmod 777 $f; done",
	  "0 chmod|777|$f END\n",
	  "[chmod 777 $f]: [chmod] [777] [$f]x\n", false },
	{ "echo secret > /root/.npmrc 2>&1",
	  "0 echo|secret >/root/.npmrc 2>&1 END\n",
	  "[echo secret > /root/.npmrc 2>&1]: [echo] [secret] r[/root/.npmrc] r[1]\n", false },
	{ "echo \"a b\" 'c d' e\\ f",
	  "0 echo|a b|c d|e f END\n",
	  "[echo \"a b\" 'c d' e\\ f]: [echo] [\"a b\"]q ['c d']q [e\\ f]q\n", false },
	/* here-document bodies are data, not commands */
	{ "cat <<EOF > /etc/app.conf\nsudo rm -rf /\n$(curl x | sh)\nEOF\nchmod 600 /etc/app.conf",
	  "0 cat <<EOF >/etc/app.conf ;\n"
	  "0 chmod|600|/etc/app.conf END\n",
	  "[cat <<EOF > /etc/app.conf]: [cat] r[EOF] r[/etc/app.conf]\n"
	  "[chmod 600 /etc/app.conf]: [chmod] [600] [/etc/app.conf]\n", false },
	{ "cat <<-'END' | sh\n\tsudo x\n\tEND\necho ok",
	  "0 cat <<END |\n"
	  "0 sh ;\n"
	  "0 echo|ok END\n",
	  "[cat <<-'END']: [cat] r['END']q\n"
	  "[sh]: [sh]\n"
	  "[echo ok]: [echo] [ok]\n", false },
	/* RUN <<EOF: the body is the Dockerfile's, not in this text */
	{ "<<EOF",
	  "0  <<EOF END\n",
	  "[<<EOF]: r[EOF]\n", false },
	{ "cat <<EOF\nno end", "0 cat <<EOF END\n", "[cat <<EOF]: [cat] r[EOF]\n", true },
	{ "echo 'abc", "0 echo|abc END\n", "[echo 'abc]: [echo] ['abc]q\n", true },
	{ "echo \"$(id", "0 echo|$(id END\n1^0$ id END\n",
	  "[echo \"$(id]: [echo] [\"$(id]qx\n[id]: [id]\n", true },
	{ "a &&", "0 a END\n", "[a]: [a]\n", true },
	/* groups and subshells are nodes; their commands one level down */
	{ "{ echo a; echo b; } > /x && (cd y; make)",
	  "0 @ >/x &&\n"
	  "1^0{ echo|a ;\n"
	  "1^0{ echo|b END\n"
	  "0 @ END\n"
	  "1^3( cd|y ;\n"
	  "1^3( make END\n",
	  "[{ echo a; echo b; } > /x]: r[/x]\n"
	  "[echo a]: [echo] [a]\n"
	  "[echo b]: [echo] [b]\n"
	  "[(cd y; make)]:\n"
	  "[cd y]: [cd] [y]\n"
	  "[make]: [make]\n", false },
	{ "case \"$a\" in x|y) apt-get update;; (*) echo no ;; esac; ls",
	  "0 apt-get|update ;\n"
	  "0 echo|no ;\n"
	  "0 ls END\n",
	  "[apt-get update]: [apt-get] [update]\n"
	  "[echo no]: [echo] [no]\n"
	  "[ls]: [ls]\n", false },
	{ "f() { sudo x; }; f",
	  "0 @ ;\n"
	  "1^0{ sudo|x END\n"
	  "0 f END\n",
	  "[{ sudo x; }]:\n"
	  "[sudo x]: [sudo] [x]\n"
	  "[f]: [f]\n", false },
	{ "su app -c \"sudo whoami\"",
	  "0 su|app|-c|sudo whoami END\n"
	  "1^0c sudo|whoami END\n",
	  "[su app -c \"sudo whoami\"]: [su] [app] [-c] [\"sudo whoami\"]q\n"
	  "[sudo whoami]: [sudo] [whoami]\n", false },
	/* escapes inside the -c argument: spans stay inside it */
	{ "sudo sh -c \"echo \\\"a \\$(id -u)\\\" > /etc/x\"",
	  "0 sudo|sh|-c|echo \"a $(id -u)\" > /etc/x END\n"
	  "1^0c echo|a $(id -u) >/etc/x END\n"
	  "2^1$ id|-u END\n",
	  "[sudo sh -c \"echo \\\"a \\$(id -u)\\\" > /etc/x\"]: [sudo] [sh] [-c] "
	  "[\"echo \\\"a \\$(id -u)\\\" > /etc/x\"]q\n"
	  "[echo \\\"a \\$(id -u)\\\" > /etc/x]: [echo] [\"a \\$(id -u)\\\"]qx r[/etc/x]\n"
	  "[id -u]: [id] [-u]\n", false },
	{ "runuser -u app -- sh -c \"make install\"; bash -o pipefail -ec 'a | b'",
	  "0 runuser|-u|app|--|sh|-c|make install ;\n"
	  "1^0c make|install END\n"
	  "0 bash|-o|pipefail|-ec|a | b END\n"
	  "1^2c a |\n"
	  "1^2c b END\n",
	  "[runuser -u app -- sh -c \"make install\"]: [runuser] [-u] [app] [--] [sh] [-c] [\"make install\"]q\n"
	  "[make install]: [make] [install]\n"
	  "[bash -o pipefail -ec 'a | b']: [bash] [-o] [pipefail] [-ec] ['a | b']q\n"
	  "[a]: [a]\n"
	  "[b]: [b]\n", false },
	/* not a wrapper: the words are just arguments */
	{ "echo sh -c 'not a script'",
	  "0 echo|sh|-c|not a script END\n",
	  "[echo sh -c 'not a script']: [echo] [sh] [-c] ['not a script']q\n", false },
	{ "[[ -f a && -f b ]] && echo ok",
	  "0 [[|-f|a|&&|-f|b|]] &&\n"
	  "0 echo|ok END\n",
	  "[[[ -f a && -f b ]]]: [[[] [-f] [a] [&&] [-f] [b] []]]\n"
	  "[echo ok]: [echo] [ok]\n", false },
	{ "! grep -q x f || while read l; do echo \"$l\"; done < /f",
	  "0 grep|-q|x|f ||\n"
	  "0 read|l ;\n"
	  "0 echo|$l ;\n"
	  "0  </f END\n",
	  "[grep -q x f]: [grep] [-q] [x] [f]\n"
	  "[read l]: [read] [l]\n"
	  "[echo \"$l\"]: [echo] [\"$l\"]qx\n"
	  "[< /f]: r[/f]\n", false },
	{ "exec 3>&- ; cmd 2>>/log &>/dev/null <in",
	  "0 exec 3>&- ;\n"
	  "0 cmd 2>>/log &>/dev/null <in END\n",
	  "[exec 3>&-]: [exec] r[-]\n"
	  "[cmd 2>>/log &>/dev/null <in]: [cmd] r[/log] r[/dev/null] r[in]\n", false },
	{ "A=1 B=\"x y\" env C=2 nice -n 5 cmd",
	  "0 {A=1 B=x y}env|C=2|nice|-n|5|cmd END\n",
	  "[A=1 B=\"x y\" env C=2 nice -n 5 cmd]: a[A=1] a[B=\"x y\"]q [env] [C=2] [nice] [-n] [5] [cmd]\n", false },
	{ "set -e \\\n  && apt-get update # refresh; sudo x\nls",
	  "0 set|-e &&\n"
	  "0 apt-get|update ;\n"
	  "0 ls END\n",
	  "[set -e]: [set] [-e]\n"
	  "[apt-get update]: [apt-get] [update]\n"
	  "[ls]: [ls]\n", false },
	{ "a |& b & c\r\nd",
	  "0 a |\n0 b &\n0 c ;\n0 d END\n",
	  "[a]: [a]\n[b]: [b]\n[c]: [c]\n[d]: [d]\n", false },
	{ "diff <(ls a) >(tee b); a=(1 2); for ((i=0; i<2; i++)); do :; done",
	  "0 diff|<(ls a)|>(tee b) ;\n"
	  "1^0$ ls|a END\n"
	  "1^0$ tee|b END\n"
	  "0 {a=(1 2)} ;\n"
	  "0 : END\n",
	  "[diff <(ls a) >(tee b)]: [diff] [<(ls a)]x [>(tee b)]x\n"
	  "[ls a]: [ls] [a]\n"
	  "[tee b]: [tee] [b]\n"
	  "[a=(1 2)]: a[a=(1 2)]\n"
	  "[:]: [:]\n", false },
	{ "b=`echo \\`id\\``",
	  "0 {b=`echo \\`id\\``} END\n"
	  "1^0$ echo|`id` END\n"
	  "2^1$ id END\n",
	  "[b=`echo \\`id\\``]: a[b=`echo \\`id\\``]x\n"
	  "[echo \\`id\\`]: [echo] [`id\\`]x\n"
	  "[id]: [id]\n", false },
	{ "", "", "", false },
};

START_TEST(test_shell_case)
{
	const case_want *w = &cases[_i];
	dd_shell sh;
	dd_arena *a = tokenize(w->script, &sh);
	char *got = dump_cmds(&sh), *spans = dump_spans(w->script, &sh);

	ck_assert_msg(strcmp(got, w->cmds) == 0, "script: %s\n--- want:\n%s--- got:\n%s",
	    w->script, w->cmds, got);
	ck_assert_msg(strcmp(spans, w->spans) == 0, "script: %s\n--- want spans:\n%s--- got:\n%s",
	    w->script, w->spans, spans);
	ck_assert_msg(sh.incomplete == w->incomplete, "script: %s: incomplete %d", w->script, sh.incomplete);
	ck_assert(!sh.too_deep);
	assert_spans_inside(&sh, strlen(w->script), w->script);
	free(got);
	free(spans);
	dd_arena_free(a);
}
END_TEST

/* ---- flags, helpers and limits ---- */

START_TEST(test_shell_word_flags)
{
	const char *s = "echo plain \"dq\" $HOME pre${x}post 'sq$x' \"$(id)\" \\$lit";
	dd_shell sh;
	dd_arena *a = tokenize(s, &sh);
	const dd_sh_word *w = sh.cmds[0].words;

	ck_assert_uint_eq(sh.ncmds, 2);
	ck_assert_uint_eq(sh.cmds[0].nwords, 8);
	ck_assert(!w[1].quoted && !w[1].has_expansion);
	ck_assert(w[2].quoted && !w[2].has_expansion);
	ck_assert(!w[3].quoted && w[3].has_expansion);
	ck_assert_str_eq(w[4].text, "pre${x}post");
	ck_assert(w[4].has_expansion);
	ck_assert_str_eq(w[5].text, "sq$x");	/* single quotes: literal */
	ck_assert(w[5].quoted && !w[5].has_expansion);
	ck_assert_str_eq(w[6].text, "$(id)");
	ck_assert(w[6].quoted && w[6].has_expansion);
	ck_assert_str_eq(w[7].text, "$lit");	/* escaped: no expansion */
	ck_assert(w[7].quoted && !w[7].has_expansion);
	ck_assert_int_eq(w[0].fd, -1);
	ck_assert_int_eq(w[0].redir, DD_SH_R_NONE);
	dd_arena_free(a);
}
END_TEST

START_TEST(test_shell_redir_ops)
{
	const char *s = "c <a >b >>c <>d <&0 >&2 &>e &>>f <<<g 3>h >|i";
	static const dd_sh_redir want[] = {
		DD_SH_R_IN, DD_SH_R_OUT, DD_SH_R_APPEND, DD_SH_R_INOUT, DD_SH_R_DUP_IN,
		DD_SH_R_DUP_OUT, DD_SH_R_OUT_ALL, DD_SH_R_APPEND_ALL, DD_SH_R_HERESTRING,
		DD_SH_R_OUT, DD_SH_R_OUT
	};
	dd_shell sh;
	dd_arena *a = tokenize(s, &sh);

	ck_assert_uint_eq(sh.ncmds, 1);
	ck_assert_uint_eq(sh.cmds[0].nwords, 1);
	ck_assert_uint_eq(sh.cmds[0].nredirs, DD_ARRAY_LEN(want));
	for (size_t i = 0; i < DD_ARRAY_LEN(want); i++)
		ck_assert_msg(sh.cmds[0].redirs[i].redir == want[i], "redir %zu", i);
	ck_assert_int_eq(sh.cmds[0].redirs[9].fd, 3);
	ck_assert_int_eq(sh.cmds[0].redirs[10].fd, -1);
	dd_arena_free(a);
}
END_TEST

START_TEST(test_shell_basename)
{
	dd_sh_word w = { .text = "/usr/bin/sudo", .len = 13 };
	size_t n;

	ck_assert_str_eq(dd_sh_basename(&w, &n), "sudo");
	ck_assert_uint_eq(n, 4);
	w = (dd_sh_word){ .text = "sudo", .len = 4 };
	ck_assert_str_eq(dd_sh_basename(&w, &n), "sudo");
	w = (dd_sh_word){ .text = "/bin/", .len = 5 };
	ck_assert_str_eq(dd_sh_basename(&w, &n), "");
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(dd_sh_basename(NULL, &n), "");
	ck_assert_str_eq(dd_sh_basename(&w, NULL), "");
}
END_TEST

START_TEST(test_shell_has_option)
{
	const char *s = "apt-get install -qy --no-install-recommends --yes=true curl -- -x; "
	    "wget -qO- u; tar -xzf a.tgz";
	dd_shell sh;
	dd_arena *a = tokenize(s, &sh);
	const dd_sh_cmd *apt = &sh.cmds[0], *wget = &sh.cmds[1], *tar = &sh.cmds[2];

	ck_assert(dd_sh_has_option(apt, "-y"));
	ck_assert(dd_sh_has_option(apt, "-q"));
	ck_assert(dd_sh_has_option(apt, "-qy"));	/* exact */
	ck_assert(!dd_sh_has_option(apt, "-yq"));	/* several letters: exact only */
	ck_assert(dd_sh_has_option(apt, "--yes"));	/* --yes=true */
	ck_assert(dd_sh_has_option(apt, "--no-install-recommends"));
	ck_assert(!dd_sh_has_option(apt, "--no"));
	ck_assert(!dd_sh_has_option(apt, "-n"));	/* not inside a long option */
	ck_assert(!dd_sh_has_option(apt, "-x"));	/* after -- */
	ck_assert(dd_sh_has_option(wget, "-O"));
	ck_assert(dd_sh_has_option(wget, "-q"));
	ck_assert(!dd_sh_has_option(wget, "--"));
	ck_assert(dd_sh_has_option(tar, "-z"));
	ck_assert(!dd_sh_has_option(tar, "-a"));
	ck_assert(!dd_sh_has_option(NULL, "-y"));
	ck_assert(!dd_sh_has_option(apt, ""));
	dd_arena_free(a);
}
END_TEST

/* open * n, then mid, then close * n; malloc'd. */
static char *
nested(const char *open, const char *mid, const char *close, size_t n)
{
	size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
	char *s = malloc(n * (lo + lc) + lm + 1), *p = s;

	for (size_t i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, mid, lm);
	p += lm;
	for (size_t i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

static const struct {
	const char *open, *mid, *close;
	bool subst;	/* one command per level down to DD_SH_MAX_DEPTH */
} deep[] = {
	{ "echo $(", "x", ")", true },
	{ "( ", "x", " )", true },
	{ "{ ", "x;", " }", true },
	{ "echo `", "x", "`", false },
	{ "sh -c \"", "x", "\"", false },
	{ "echo \"${a:-", "x", "}\"", false },
	{ "echo $((", "1", "))", false },
	{ "a=$(b \"$(", "x", ")\")", true },
	{ "if a; then ", "x", "; fi", false },
	{ "case a in b) ", "x", ";; esac", false },
	{ "[[ ( ", "x", " ) ]]", false },
};

/* 64 levels, and 100000 (no recursion blow-up): bounded depth, spans inside. */
START_TEST(test_shell_deep)
{
	static const size_t levels[] = { 64, 100000 };

	for (size_t k = 0; k < DD_ARRAY_LEN(levels); k++) {
		char *s = nested(deep[_i].open, deep[_i].mid, deep[_i].close, levels[k]);
		dd_shell sh;
		dd_arena *a = tokenize(s, &sh);
		unsigned maxd = 0;
		for (size_t i = 0; i < sh.ncmds; i++)
			maxd = sh.cmds[i].depth > maxd ? sh.cmds[i].depth : maxd;
		ck_assert_uint_le(maxd, DD_SH_MAX_DEPTH);
		if (deep[_i].subst) {
			ck_assert_uint_eq(maxd, DD_SH_MAX_DEPTH);
			ck_assert(sh.too_deep);
			ck_assert(!sh.incomplete);
		}
		assert_spans_inside(&sh, strlen(s), deep[_i].open);
		dd_arena_free(a);
		free(s);
	}
}
END_TEST

/* Only openers: everything is unterminated. */
START_TEST(test_shell_unterminated)
{
	static const char *const open[] = {
		"$(", "(", "{ ", "\"${", "`", "\"$(", "${", "$((", "'", "\"", "case x in "
	};

	for (size_t k = 0; k < DD_ARRAY_LEN(open); k++) {
		char *s = nested(open[k], "", "", 50001);	/* odd: quotes do not pair up */
		dd_shell sh;
		dd_arena *a = tokenize(s, &sh);
		ck_assert_msg(sh.incomplete, "%s", open[k]);
		assert_spans_inside(&sh, strlen(s), open[k]);
		dd_arena_free(a);
		free(s);
	}
}
END_TEST

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A 1 MB script: linear, so far below a second (even under sanitizers). */
START_TEST(test_shell_megabyte)
{
	const char *unit = "apt-get install -y \"pkg $HOME\" 'x y' $(id -u) && ";
	size_t n = (1u << 20) / strlen(unit) + 1;
	char *s = nested(unit, "true", "", n);
	dd_shell sh;
	double t0 = seconds();
	dd_arena *a = tokenize(s, &sh);
	double dt = seconds() - t0;

	ck_assert_uint_ge(strlen(s), 1u << 20);
	ck_assert_uint_eq(sh.ncmds, 2 * n + 1);
	ck_assert(!sh.incomplete);
	ck_assert_msg(dt < 2.0, "1 MB took %.3f s", dt);
	printf("shell: 1 MB script (%zu commands) in %.1f ms\n", sh.ncmds, dt * 1e3);
	assert_spans_inside(&sh, strlen(s), "1 MB");
	dd_arena_free(a);
	free(s);
}
END_TEST

/* NULL, empty, NUL bytes and random bytes: no crash, spans inside. */
START_TEST(test_shell_garbage)
{
	static const char alpha[] = "ab \t\n;&|()<>{}$`'\"\\#=-!*0123456789\r";
	static const char bytes[] = "a\0b $(\0) \"\0\" '\0' `\0`";
	dd_arena *a = dd_arena_new();
	dd_shell sh;
	char buf[256];

	dd_shell_parse(&sh, NULL, 5, a);
	ck_assert_uint_eq(sh.ncmds, 0);
	dd_shell_parse(&sh, "", 0, a);
	ck_assert_uint_eq(sh.ncmds, 0);
	ck_assert(!sh.incomplete);
	dd_shell_parse(&sh, bytes, sizeof(bytes) - 1, a);
	assert_spans_inside(&sh, sizeof(bytes) - 1, "NUL");
	srand(7);
	for (int it = 0; it < 20000; it++) {
		size_t n = (size_t)rand() % sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = rand() % 8 ? alpha[rand() % (sizeof(alpha) - 1)] : (char)rand();
		dd_shell_parse(&sh, buf, n, a);
		assert_spans_inside(&sh, n, "random");
	}
	dd_arena_free(a);
}
END_TEST

/* ---- the real-world corpus against a simple independent reference ---- */

/*
 * The reference: split the text on && || ; | & newline ( ) and lone { }
 * outside quotes and substitutions, then take each piece's first word
 * after keywords, NAME=value and redirections; for lists and function
 * names are not commands; case patterns (up to their ")") are skipped. It
 * cannot skip here-document bodies: scripts with one are left out of the
 * comparison, as are RUNs of Windows stages (PowerShell, cmd).
 */

typedef struct {
	char **v;
	size_t n, cap;
} names;

static void
names_push(names *ns, const char *s, size_t n)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 16;
		ns->v = realloc(ns->v, ns->cap * sizeof(*ns->v));
	}
	ns->v[ns->n] = malloc(n + 1);
	memcpy(ns->v[ns->n], s, n);
	ns->v[ns->n++][n] = '\0';
}

static void
names_clear(names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	ns->n = 0;
}

/* Past the quoted string, escape or substitution at i (a plain byte: i + 1). */
static size_t
ref_skip(const char *s, size_t len, size_t i)
{
	char c = s[i];

	if (c == '\\')
		return i + 2;
	if (c == '\'' || c == '`') {
		for (i++; i < len && s[i] != c; i++)
			if (c == '`' && s[i] == '\\')
				i++;
		return i + 1;
	}
	if (c == '"') {
		for (i++; i < len && s[i] != '"';)
			i = s[i] == '$' || s[i] == '\\' || s[i] == '`' ? ref_skip(s, len, i) : i + 1;
		return i + 1;
	}
	if (c != '$' || i + 1 >= len || (s[i + 1] != '(' && s[i + 1] != '{'))
		return i + 1;
	/* $( … ) or ${ … }: balance, skipping quotes inside */
	char open = s[i + 1], close = open == '(' ? ')' : '}';
	int depth = 0;
	for (i++; i < len;) {
		if (s[i] == open)
			depth++;
		else if (s[i] == close && --depth == 0)
			return i + 1;
		bool quote = s[i] == '\'' || s[i] == '"' || s[i] == '\\' || s[i] == '`';
		i = quote ? ref_skip(s, len, i) : i + 1;
	}
	return len;
}

static bool
ref_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *const ref_keywords[] = {
	"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "esac", NULL
};

static bool
ref_is(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(w, *list, n) == 0)
			return true;
	return false;
}

/* The command name of one piece, quotes dropped, or nothing. */
static void
ref_piece(const char *s, size_t len, names *out)
{
	static const char *const lists[] = { "for", "select", "function", NULL };
	size_t i = 0;
	bool skip_next = false;

	while (i < len) {
		while (i < len && ref_blank(s[i]))
			i++;
		size_t w = i;
		while (i < len && !ref_blank(s[i]))
			i = ref_skip(s, len, i);
		if (i > len)
			i = len;
		size_t n = i - w;
		if (n == 0)
			return;
		if (skip_next || ref_is(s + w, n, ref_keywords)) {
			skip_next = false;
			continue;
		}
		if (ref_is(s + w, n, lists) || (n > 2 && memcmp(s + i - 2, "()", 2) == 0))
			return;		/* a for list, a function name */
		size_t k = w;
		while (k < i && (s[k] == '_' || (s[k] >= 'A' && s[k] <= 'Z') ||
		    (s[k] >= 'a' && s[k] <= 'z') || (k > w && s[k] >= '0' && s[k] <= '9')))
			k++;
		if (k > w && k < i && s[k] == '=')
			continue;	/* NAME=value */
		for (k = w; k < i && s[k] >= '0' && s[k] <= '9'; k++)
			;
		if (k < i && (s[k] == '<' || s[k] == '>')) {
			/* a redirection: its target is in this word or the next */
			while (k < i && (s[k] == '<' || s[k] == '>' || s[k] == '&' || s[k] == '-'))
				k++;
			skip_next = k == i;
			continue;
		}
		char *name = malloc(n + 1);
		size_t m = 0;
		for (k = w; k < i; k++)
			if (s[k] != '\'' && s[k] != '"' && s[k] != '\\')
				name[m++] = s[k];
		names_push(out, name, m);
		free(name);
		return;
	}
}

/* Is the byte at i an operator that ends a piece (its length), or 0? */
static size_t
ref_operator(const char *s, size_t len, size_t i, bool word_start)
{
	char c = s[i], d = i + 1 < len ? s[i + 1] : '\0', prev = i ? s[i - 1] : '\0';

	if ((c == '&' && d == '&') || (c == '|' && d == '|'))
		return 2;
	if (c == '&' && (prev == '>' || prev == '<' || d == '>'))
		return 0;	/* 2>&1, &>file */
	if ((c == '(' && d == ')') || (c == ')' && prev == '('))
		return 0;	/* name() of a function: one word */
	if (c == ';' || c == '|' || c == '&' || c == '\n' || c == '(' || c == ')')
		return 1;
	if ((c == '{' || c == '}') && word_start && (i + 1 == len || ref_blank(d) || d == ';' || d == '\n'))
		return 1;
	return 0;
}

/* Is the word at i exactly w? */
static bool
ref_word_is(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i + n <= len && memcmp(s + i, w, n) == 0 &&
	    (i + n == len || ref_blank(s[i + n]) || s[i + n] == ';' || s[i + n] == '\n');
}

/* Is the word at i the first of the piece that started at piece? */
static bool
ref_first(const char *s, size_t piece, size_t i)
{
	for (; piece < i; piece++)
		if (!ref_blank(s[piece]) && s[piece] != '\n')
			return false;
	return true;
}

/* After `case x in` or `;;`: past the next pattern list `a|b)`, or past esac. */
static size_t
ref_pattern(const char *s, size_t len, size_t i, unsigned *ncase)
{
	while (i < len && (ref_blank(s[i]) || s[i] == '\n'))
		i++;
	if (ref_word_is(s, len, i, "esac")) {
		(*ncase)--;
		return i + 4;
	}
	while (i < len && s[i] != ')')
		i = ref_skip(s, len, i);
	return i + 1;
}

/* `case` at i: past its word and `in`, and past the first pattern. */
static size_t
ref_case(const char *s, size_t len, size_t i, unsigned *ncase)
{
	for (i += 4;;) {
		while (i < len && (ref_blank(s[i]) || s[i] == '\n'))
			i++;
		if (i >= len || ref_word_is(s, len, i, "in"))
			break;
		while (i < len && !ref_blank(s[i]) && s[i] != '\n')
			i = ref_skip(s, len, i);
	}
	(*ncase)++;
	return ref_pattern(s, len, i + 2, ncase);
}

static void
ref_commands(const char *s, size_t len, names *out)
{
	size_t i = 0, piece = 0;
	unsigned ncase = 0;
	bool word_start = true;

	while (i < len) {
		size_t n = ref_operator(s, len, i, word_start);
		bool first = word_start && ref_first(s, piece, i);
		if (first && ref_word_is(s, len, i, "case")) {
			i = piece = ref_case(s, len, i, &ncase);
			continue;
		}
		if (first && ncase && ref_word_is(s, len, i, "esac"))
			ncase--;
		if (ncase && s[i] == ';' && i + 1 < len && (s[i + 1] == ';' || s[i + 1] == '&')) {
			ref_piece(s + piece, i - piece, out);
			i = piece = ref_pattern(s, len, i + 2, &ncase);	/* ;; ;& */
			word_start = true;
			continue;
		}
		if (n || (word_start && s[i] == '#')) {
			ref_piece(s + piece, i - piece, out);
			if (!n)		/* a comment: up to the newline */
				while (i < len && s[i] != '\n')
					i++;
			i += n;
			piece = i;
			word_start = true;
			continue;
		}
		word_start = ref_blank(s[i]);
		i = ref_skip(s, len, i);
	}
	if (piece < len)
		ref_piece(s + piece, len - piece, out);
}

/* The tokenizer's side: names of commands not inside a substitution or -c script. */
static void
tok_commands(const dd_shell *sh, names *out)
{
	for (size_t i = 0; i < sh->ncmds; i++) {
		const dd_sh_cmd *c = &sh->cmds[i];
		bool top = c->nwords > 0;
		for (size_t j = i; top && sh->cmds[j].depth > 0; j = sh->cmds[j].parent)
			top = (sh->cmds[j].nest == DD_SH_GROUP || sh->cmds[j].nest == DD_SH_SUBSHELL) &&
			    sh->cmds[j].parent != DD_SH_NONE;
		if (top)
			names_push(out, c->words[0].text, c->words[0].len);
	}
}

static bool
names_equal(const names *a, const names *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

typedef struct {
	size_t files, runs, bodies, cmds, compared, agreed, names, skipped_heredoc,
	    skipped_shell, skipped_data, incomplete, incomplete_posix;
	names ref, tok;
} corpus_stats;

/* Does a here-document body follow a << in the script? The reference cannot skip it. */
static bool
ref_cannot(const char *s, size_t len)
{
	/* (RUN <<EOF alone has its body in the Dockerfile, not in the text) */
	for (size_t i = 0; i + 2 < len; i++) {
		if (s[i] == '<' && s[i + 1] == '<' && s[i + 2] != '<' && memchr(s + i, '\n', len - i))
			return true;
		if (s[i] == '<' && s[i + 1] == '<')
			i += 2;
	}
	return false;
}

/* Show a script where the reference and the tokenizer disagree (the first few). */
static void
report_difference(const char *s, size_t len, const char *ctx, const corpus_stats *st)
{
	fprintf(stderr, "shell: reference differs at %s: %.*s%s\n  reference:", ctx,
	    (int)(len < 200 ? len : 200), s, len < 200 ? "" : "…");
	for (size_t i = 0; i < st->ref.n; i++)
		fprintf(stderr, " %s", st->ref.v[i]);
	fprintf(stderr, "\n  tokenizer:");
	for (size_t i = 0; i < st->tok.n; i++)
		fprintf(stderr, " %s", st->tok.v[i]);
	fprintf(stderr, "\n");
}

/* Tokenize one script; compare with the reference unless told not to. */
static void
check_script(const char *s, size_t len, bool compare, const char *ctx, corpus_stats *st)
{
	dd_arena *a = dd_arena_new();
	dd_shell sh;

	dd_shell_parse(&sh, s, len, a);
	assert_spans_inside(&sh, len, ctx);
	st->cmds += sh.ncmds;
	st->incomplete += sh.incomplete;
	if (compare)
		st->incomplete_posix += sh.incomplete;
	if (compare && ref_cannot(s, len))
		st->skipped_heredoc++;
	else if (compare) {
		names_clear(&st->ref);
		names_clear(&st->tok);
		ref_commands(s, len, &st->ref);
		tok_commands(&sh, &st->tok);
		st->compared++;
		st->names += st->tok.n;
		if (names_equal(&st->ref, &st->tok))
			st->agreed++;
		else if (st->compared - st->agreed <= 5)
			report_difference(s, len, ctx, st);
	}
	dd_arena_free(a);
}

static const char *const posix_shells[] = { "sh", "bash", "ash", "dash", "zsh", "ksh", NULL };

/* The basename of a word of a SHELL or of a script's first command. */
static bool
is_posix_shell(const char *text, size_t len)
{
	dd_sh_word w = { .text = text, .len = len };
	size_t n;
	const char *b = dd_sh_basename(&w, &n);

	return ref_is(b, n, posix_shells);
}

/* Is the body of a heredoc of this RUN its script (RUN <<EOF, RUN bash <<EOF)? */
static bool
body_is_script(const dd_instr *ins)
{
	dd_arena *a = dd_arena_new();
	dd_shell sh;
	bool yes;

	dd_shell_parse(&sh, ins->as.cmd.shell.text, ins->as.cmd.shell.len, a);
	yes = sh.ncmds > 0 && (sh.cmds[0].nwords == 0 ||
	    (is_posix_shell(sh.cmds[0].words[0].text, sh.cmds[0].words[0].len) &&
	    !dd_sh_has_option(&sh.cmds[0], "-c")));
	dd_arena_free(a);
	return yes;
}

/* Does the image reference name a Windows base (its default shell is cmd)? */
static bool
windows_image(const dd_instr *from)
{
	static const char *const marks[] = { "windows", "servercore", "nanoserver" };
	const char *ref = from->as.from.ref.text ? from->as.from.ref.text : from->as.from.image.text;
	char low[512];
	size_t n = 0;

	for (; ref && *ref && n + 1 < sizeof(low); ref++)
		low[n++] = (char)(*ref >= 'A' && *ref <= 'Z' ? *ref - 'A' + 'a' : *ref);
	low[n] = '\0';
	for (size_t k = 0; k < DD_ARRAY_LEN(marks); k++)
		if (strstr(low, marks[k]))
			return true;
	return false;
}

/* Every RUN of one file: its shell text and its heredoc bodies. */
static void
check_file(const char *name, corpus_stats *st)
{
	char rel[1024], ctx[1200];
	dd_source *src;
	dd_doc *doc;
	bool posix = true;

	snprintf(rel, sizeof(rel), "realworld/%s", name);
	char *path = tu_corpus_path(rel);
	ck_assert_msg(dd_source_read(&src, path) == DD_OK, "%s: %s", name, dd_error_last());
	ck_assert_msg(dd_doc_parse(&doc, src, NULL) == DD_OK, "%s: %s", name, dd_error_last());
	st->files++;
	for (size_t i = 0; i < doc->ninstrs; i++) {
		const dd_instr *ins = doc->instrs[i]->onbuild ? doc->instrs[i]->onbuild : doc->instrs[i];
		if (ins->kind == DD_INSTR_FROM)
			posix = !windows_image(ins);
		/* SHELL ["powershell", …] or ["cmd", …], or a Windows base: not shell syntax */
		if (ins->kind == DD_INSTR_SHELL && ins->as.cmd.argc > 0)
			posix = is_posix_shell(ins->as.cmd.argv[0].text, ins->as.cmd.argv[0].len);
		if (ins->kind != DD_INSTR_RUN || ins->json)
			continue;
		snprintf(ctx, sizeof(ctx), "%s:%u", name, ins->start_line);
		if (!posix)
			st->skipped_shell++;
		st->runs++;
		check_script(ins->as.cmd.shell.text, ins->as.cmd.shell.len, posix, ctx, st);
		bool script = body_is_script(ins);
		for (size_t h = 0; h < ins->nheredocs; h++) {
			st->bodies++;
			st->skipped_data += !script;
			check_script(ins->heredocs[h].body, ins->heredocs[h].body_len, posix && script, ctx, st);
		}
	}
	dd_doc_free(doc);
	dd_source_free(src);
	free(path);
}

START_TEST(test_shell_corpus)
{
	char *path = tu_corpus_path("realworld/MANIFEST.tsv");
	size_t len;
	char *manifest = tu_read_file(path, &len);
	corpus_stats st;

	memset(&st, 0, sizeof(st));
	ck_assert_msg(manifest != NULL, "cannot read %s", path);
	char *line = strchr(manifest, '\n');	/* the header */
	while (line && *++line) {
		char *end = strchr(line, '\n'), *tab = strchr(line, '\t');
		if (end)
			*end = '\0';
		if (tab)
			*tab = '\0';
		if (*line)
			check_file(line, &st);
		line = end;
	}
	printf("shell: corpus: %zu files, %zu shell-form RUNs + %zu heredoc bodies tokenized: "
	    "%zu commands, %zu incomplete (%zu in POSIX shells); compared %zu scripts "
	    "(%zu top-level command names) with the reference: %zu agree (%.1f%%); not compared: "
	    "%zu RUNs of Windows/PowerShell stages, %zu with a here-document, %zu heredoc data\n",
	    st.files, st.runs, st.bodies, st.cmds, st.incomplete, st.incomplete_posix,
	    st.compared, st.names, st.agreed, st.compared ? 100.0 * st.agreed / st.compared : 0.0,
	    st.skipped_shell, st.skipped_heredoc, st.skipped_data);
	ck_assert_uint_ge(st.runs, 2000);
	ck_assert_uint_ge(st.compared, 2000);
	ck_assert_uint_eq(st.incomplete_posix, 0);
	/* the vast majority: at most 1 script in 100 may differ */
	ck_assert_msg(st.agreed * 100 >= st.compared * 99, "%zu of %zu differ",
	    st.compared - st.agreed, st.compared);
	names_clear(&st.ref);
	names_clear(&st.tok);
	free(st.ref.v);
	free(st.tok.v);
	free(manifest);
	free(path);
}
END_TEST

Suite *
shell_suite(void)
{
	Suite *s = suite_create("shell");
	TCase *tc = tcase_create("cases");

	tcase_add_loop_test(tc, test_shell_case, 0, (int)DD_ARRAY_LEN(cases));
	tcase_add_test(tc, test_shell_word_flags);
	tcase_add_test(tc, test_shell_redir_ops);
	tcase_add_test(tc, test_shell_basename);
	tcase_add_test(tc, test_shell_has_option);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_shell_deep, 0, (int)DD_ARRAY_LEN(deep));
	tcase_add_test(tc, test_shell_unterminated);
	tcase_add_test(tc, test_shell_megabyte);
	tcase_add_test(tc, test_shell_garbage);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("corpus");
	tcase_add_test(tc, test_shell_corpus);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return s;
}
