#!/bin/sh
# CLI tests of `drydock parse` and the common options: exit statuses, standard
# output and located error messages, each compared exactly. Run from the
# repository root:
#   DD_BIN=$PWD/drydock DD_CORPUS=../shared/corpus sh tests/cli.sh
# (the Makefile's `cli` and `asan` targets set DD_BIN, DD_CORPUS and DD_SRCDIR).
# Prints one line per check and `cli: N passed`; exits 1 if any check failed.
. "${DD_SRCDIR:-.}/tests/clilib.sh"

# ---------------------------------------------------------------- inputs

cat > good.Dockerfile <<'EOF'
# syntax=docker/dockerfile:1
ARG BASE=alpine:3.19
FROM ${BASE} AS base
ENV LANG C.UTF-8
ENV APP_HOME=/app PORT=8080
RUN apk add --no-cache tini \
    && mkdir -p /app
COPY --chown=10001:10001 app/ /app/
USER 10001:10001
CMD ["/sbin/tini", "--", "/app/run"]
EOF

printf 'FROM alpine:3.19\nRUN true\n' > small.Dockerfile
printf 'FROM alpine:3.19\nRUN echo hi\nFOO bar\n' > unknown.Dockerfile
printf 'FROM alpine:3.19\nRUN <<EOF\necho hi\n' > heredoc.Dockerfile
printf 'FROM alpine:3.19\nRUN echo a\000b\n' > nul.Dockerfile
printf 'FROM alpine:3.19\nRUN echo caf\351\n' > utf8.Dockerfile
printf 'FROM alpine:3.19\nENV PATH\n' > envnovalue.Dockerfile
printf 'FROM alpine:3.19\n   FOO bar\n' > indented.Dockerfile
printf 'FROM alpine:3.19\n\tFOO bar\n' > tab.Dockerfile
printf 'FROM alpine:3.19\r\nENV A\r\n' > crlf.Dockerfile
printf '\357\273\277FROM alpine:3.19\nRUN true\n' > bom.Dockerfile
: > empty.Dockerfile
mkdir folder

# ---------------------------------------------------------------- checks

t_version() {
	run --version
	want_rc 0 && want_empty err && want_lines out 1 || return 1
	case $(cat "$T/out") in
	"drydock "[0-9]*.[0-9]*.[0-9]*) return 0 ;;
	esac
	why="stdout is '$(cat "$T/out")', wanted 'drydock X.Y.Z'"
	return 1
}

t_help() {
	run --help
	want_rc 0 && want_empty err &&
	    want_line out 1 "usage: drydock COMMAND [OPTIONS] [ARGS]" || return 1
	grep -q '^  parse  ' "$T/out" && return 0
	why="the command list does not name parse"
	seen
	return 1
}

t_no_command() {
	run
	want_rc 2 && want_empty out &&
	    want_line err 1 "usage: drydock COMMAND [OPTIONS] [ARGS]"
}

t_unknown_command() {
	run frobnicate
	want_rc 2 && want_empty out && want_stderr <<'EOF'
drydock: unknown command 'frobnicate'
Run 'drydock --help' for the list.
EOF
}

t_parse_help() {
	run parse --help
	want_rc 0 && want_empty err &&
	    want_line out 1 "usage: drydock parse [OPTIONS] FILE..."
}

t_summary() {
	run parse good.Dockerfile
	want_rc 0 && want_empty err && want_stdout <<'EOF'
good.Dockerfile: ok (8 instructions, 1 stage)
EOF
}

t_quiet() {
	run parse -q good.Dockerfile small.Dockerfile
	want_rc 0 && want_empty out && want_empty err
}

t_buildkit() {
	run parse --format buildkit good.Dockerfile
	want_rc 0 && want_empty err && want_stdout <<'EOF'
(arg "BASE=alpine:3.19")
(from "${BASE}" "AS" "base")
(env "LANG" "C.UTF-8" "")
(env "APP_HOME" "/app" "=" "PORT" "8080" "=")
(run "apk add --no-cache tini     && mkdir -p /app")
(copy ["--chown=10001:10001"] "app/" "/app/")
(user "10001:10001")
(cmd "/sbin/tini" "--" "/app/run")
EOF
}

t_buildkit_short_option() {
	run parse -f buildkit small.Dockerfile
	want_rc 0 && want_empty err && want_stdout <<'EOF'
(from "alpine:3.19")
(run "true")
EOF
}

t_bom() {
	run parse --format buildkit bom.Dockerfile
	want_rc 0 && want_empty err && want_stdout <<'EOF'
(from "alpine:3.19")
(run "true")
EOF
}

t_json() {
	run parse --json good.Dockerfile
	want_rc 0 && want_empty err || return 1
	if ! python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["instructions"]), len(d["stages"]), d["path"])
' < "$T/out" > "$T/py" 2>&1; then
		why="stdout is not the expected JSON document"
		cat "$T/py" >> "$T/detail"
		return 1
	fi
	[ "$(cat "$T/py")" = "8 1 good.Dockerfile" ] && return 0
	why="instructions, stages, path = '$(cat "$T/py")', wanted '8 1 good.Dockerfile'"
	return 1
}

t_json_format_same() {
	run parse --json good.Dockerfile
	cp "$T/out" "$T/json1"
	run parse --format json good.Dockerfile
	want_rc 0 || return 1
	want_stdout < "$T/json1"
}

t_stdin() {
	run_in good.Dockerfile parse -
	want_rc 0 && want_empty err && want_stdout <<'EOF'
-: ok (8 instructions, 1 stage)
EOF
}

t_stdin_buildkit() {
	run parse --format buildkit good.Dockerfile
	cp "$T/out" "$T/fromfile"
	run_in good.Dockerfile parse --format buildkit -
	want_rc 0 && want_empty err && want_stdout < "$T/fromfile"
}

t_stdin_error() {
	run_in envnovalue.Dockerfile parse -
	want_rc 2 && want_empty out &&
	    want_line err 1 "-:2:5: error: ENV must have two arguments"
}

t_several_one_bad() {
	run parse good.Dockerfile unknown.Dockerfile small.Dockerfile
	want_rc 2 || return 1
	want_line err 1 \
	    "unknown.Dockerfile:3:1: error: unknown instruction: FOO (did you mean FROM?)" ||
	    return 1
	want_stdout <<'EOF'
good.Dockerfile: ok (8 instructions, 1 stage)
small.Dockerfile: ok (2 instructions, 1 stage)
EOF
}

# err_case FILE FIRST-LINE: exit 2, nothing on stdout, the exact first stderr line.
err_case() {
	run parse "$1"
	want_rc 2 && want_empty out && want_line err 1 "$2"
}

t_err_unknown() {
	err_case unknown.Dockerfile \
	    "unknown.Dockerfile:3:1: error: unknown instruction: FOO (did you mean FROM?)"
}
t_err_heredoc() {
	err_case heredoc.Dockerfile \
	    'heredoc.Dockerfile:2:5: error: unterminated heredoc: no line "EOF" ends its body'
}
t_err_nul() {
	err_case nul.Dockerfile "nul.Dockerfile:2:11: error: NUL byte: this is not a text file"
}
t_err_utf8() {
	err_case utf8.Dockerfile \
	    "utf8.Dockerfile:2:13: error: invalid UTF-8 (byte 0xe9); save the file as UTF-8"
}
t_err_empty() {
	err_case empty.Dockerfile "empty.Dockerfile:1:1: error: file with no instructions"
}
t_err_folder() {
	err_case folder "folder:1:1: error: is a folder, not a Dockerfile"
}
t_err_missing() {
	err_case missing.Dockerfile "missing.Dockerfile:1:1: error: No such file or directory"
}

t_err_unreadable() {
	printf 'FROM alpine\n' > unreadable.Dockerfile
	chmod 000 unreadable.Dockerfile
	err_case unreadable.Dockerfile "unreadable.Dockerfile:1:1: error: Permission denied"
}

# The whole message: location, source line, caret under the column.
t_caret_column() {
	run parse envnovalue.Dockerfile
	want_rc 2 && want_stderr <<'EOF'
envnovalue.Dockerfile:2:5: error: ENV must have two arguments
  | ENV PATH
  |     ^
EOF
}

t_caret_indented() {
	run parse indented.Dockerfile
	want_rc 2 && want_stderr <<'EOF'
indented.Dockerfile:2:4: error: unknown instruction: FOO (did you mean FROM?)
  |    FOO bar
  |    ^
EOF
}

t_caret_nul() {
	run parse nul.Dockerfile
	want_rc 2 && want_stderr <<'EOF'
nul.Dockerfile:2:11: error: NUL byte: this is not a text file
  | RUN echo a
  |           ^
EOF
}

# A tab before the column is repeated in the caret line, so the caret lines up.
t_caret_tab() {
	run parse tab.Dockerfile
	want_rc 2 || return 1
	printf 'tab.Dockerfile:2:2: error: unknown instruction: FOO (did you mean FROM?)\n  | \tFOO bar\n  | \t^\n' |
	    want_stderr
}

# CRLF: the column counts no carriage return and the quoted line shows none.
t_caret_crlf() {
	run parse crlf.Dockerfile
	want_rc 2 && want_stderr <<'EOF'
crlf.Dockerfile:2:5: error: ENV must have two arguments
  | ENV A
  |     ^
EOF
}

# usage_case FIRST-LINE ARGS...: exit 2, nothing on stdout, FIRST-LINE then the hint.
usage_case() {
	first=$1
	shift
	run "$@"
	want_rc 2 && want_empty out && want_stderr <<EOF
$first
Try 'drydock parse --help'.
EOF
}

t_usage_unknown_option() {
	usage_case "drydock parse: unknown option --bogus" parse --bogus good.Dockerfile
}
t_usage_unknown_format() {
	usage_case "drydock parse: unknown format 'xml' (summary, json, buildkit)" \
	    parse --format xml good.Dockerfile
}
t_usage_no_file() {
	usage_case "drydock parse: no file given" parse
}
t_usage_format_no_value() {
	usage_case "drydock parse: option --format needs a value (FMT)" parse --format
}

t_write_error_full() {
	rc=0
	"$BIN" parse --json good.Dockerfile > /dev/full 2> "$T/err" || rc=$?
	: > "$T/out"
	want_rc_nonzero && want_line err 1 "drydock: cannot write the output"
}

t_write_error_closed() {
	rc=0
	"$BIN" parse good.Dockerfile >&- 2> "$T/err" || rc=$?
	: > "$T/out"
	want_rc_nonzero && want_line err 1 "drydock: cannot write the output"
}

# Real data, read in place: BuildKit's own parser cases through the CLI.
t_buildkit_cases() {
	n=0
	bad=
	for d in "$BKCASES"/testfiles/*/; do
		run parse --format buildkit "$d/Dockerfile"
		n=$((n + 1))
		if [ "$rc" -ne 0 ] || ! cmp -s "$T/out" "$d/result"; then
			bad="$bad $(basename "$d")"
		fi
	done
	if [ "$n" -ne 33 ]; then
		why="found $n BuildKit cases under $BKCASES/testfiles, wanted 33"
		return 1
	fi
	[ -z "$bad" ] && return 0
	why="output differs from BuildKit's result for:$bad"
	return 1
}

t_buildkit_negative() {
	n=0
	bad=
	for d in "$BKCASES"/testfiles-negative/*/; do
		run parse "$d/Dockerfile"
		n=$((n + 1))
		case $rc:$(head -n 1 "$T/err") in
		2:"$d/Dockerfile":[0-9]*:[0-9]*": error: "?*) ;;
		*) bad="$bad $(basename "$d")(exit $rc)" ;;
		esac
	done
	if [ "$n" -ne 4 ]; then
		why="found $n negative cases, wanted 4"
		return 1
	fi
	[ -z "$bad" ] && return 0
	why="not rejected with exit 2 and a located message:$bad"
	return 1
}

# All real-world files in one process: every one parses.
t_realworld() {
	find "$CORPUS/realworld" -type f ! -name MANIFEST.tsv | sort > "$T/list"
	n=$(wc -l < "$T/list" | tr -d ' ')
	if [ "$n" -ne 692 ]; then
		why="found $n files under $CORPUS/realworld, wanted 692"
		return 1
	fi
	rc=0
	tr '\n' '\0' < "$T/list" | xargs -0 "$BIN" parse -q > "$T/out" 2> "$T/err" || rc=$?
	want_rc 0 && want_empty out && want_empty err
}

t_example() {
	run parse "$SRCDIR/examples/Dockerfile" "$SRCDIR/examples/multistage.Dockerfile"
	want_rc 0 && want_empty err && want_lines out 2
}

# ---------------------------------------------------------------- run

check version t_version
check help t_help
check no-command t_no_command
check unknown-command t_unknown_command
check parse-help t_parse_help
check summary t_summary
check quiet t_quiet
check format-buildkit t_buildkit
check format-buildkit-short-option t_buildkit_short_option
check utf8-bom t_bom
if command -v python3 > /dev/null 2>&1; then
	check json t_json
else
	skip json "python3 not found (apt-get install python3)"
fi
check json-same-as-format-json t_json_format_same
check stdin t_stdin
check stdin-buildkit t_stdin_buildkit
check stdin-error t_stdin_error
check several-files-one-bad t_several_one_bad
check error-unknown-instruction t_err_unknown
check error-unterminated-heredoc t_err_heredoc
check error-nul-byte t_err_nul
check error-invalid-utf8 t_err_utf8
check error-empty-file t_err_empty
check error-folder t_err_folder
check error-missing-file t_err_missing
if [ "$(id -u)" -ne 0 ]; then
	check error-unreadable-file t_err_unreadable
else
	skip error-unreadable-file "running as root, which reads any file"
fi
check caret-column t_caret_column
check caret-indented t_caret_indented
check caret-nul t_caret_nul
check caret-tab t_caret_tab
check caret-crlf t_caret_crlf
check usage-unknown-option t_usage_unknown_option
check usage-unknown-format t_usage_unknown_format
check usage-no-file t_usage_no_file
check usage-format-without-value t_usage_format_no_value
if [ -w /dev/full ]; then
	check write-error-dev-full t_write_error_full
else
	skip write-error-dev-full "no /dev/full"
fi
check write-error-closed-stdout t_write_error_closed
check buildkit-cases t_buildkit_cases
check buildkit-negative-cases t_buildkit_negative
check realworld-corpus t_realworld
check examples t_example

finish cli
