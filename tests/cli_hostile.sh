#!/bin/sh
# Hostile input: each case has its exact behaviour, for lint, parse and fix —
# never a crash, a hang or a half-written file.
#   DD_BIN=$PWD/drydock DD_CORPUS=../shared/corpus sh tests/cli_hostile.sh
. "${DD_SRCDIR:-.}/tests/clilib.sh"

want_has() {  # want_has STREAM TEXT
	if ! grep -qF -- "$2" "$T/$1"; then
		why="std$1 lacks '$2'"
		seen
		return 1
	fi
}

t_binary_file() {
	head -c 4096 /bin/true > binary.Dockerfile
	run lint binary.Dockerfile
	want_rc 2 && want_has out 'binary.Dockerfile:1:' && want_has out 'error: NUL byte: this is not a text file' &&
		run fix binary.Dockerfile && want_rc 2 && want_empty out
}

t_sparse_gigabyte() {
	truncate -s 1G sparse.Dockerfile
	for cmd in lint parse fix; do
		rc=0
		"$BIN" $cmd sparse.Dockerfile > "$T/out" 2> "$T/err" || rc=$?
		want_rc 2 || return 1
		grep -qF "sparse.Dockerfile:1:1: error: file larger than 64 MiB (drydock's limit for a Dockerfile)" "$T/out" "$T/err" ||
			{ why="$cmd: no size-limit message"; seen; return 1; }
	done
	rm -f sparse.Dockerfile
}

t_ends_inside_heredoc() {
	printf 'FROM alpine:3.22\nRUN <<EOF\necho hi\n' > heredoc.Dockerfile
	run parse heredoc.Dockerfile
	want_rc 2 && want_line err 1 'heredoc.Dockerfile:2:5: error: unterminated heredoc: no line "EOF" ends its body'
}

t_ends_inside_continuation() {
	# BuildKit drops the escape at the end of the file: the RUN is complete
	printf 'FROM alpine:3.22\nUSER 1\nRUN echo a \\' > cont.Dockerfile
	run parse --format buildkit cont.Dockerfile
	want_rc 0 && want_stdout <<'EOF'
(from "alpine:3.22")
(user "1")
(run "echo a")
EOF
}

t_ten_thousand_stages() {
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "FROM alpine:3.22 AS s%d\nRUN true\n", i; print "USER 1" }' \
		> stages.Dockerfile
	run lint -q -t none --no-context stages.Dockerfile
	want_rc 0 && want_lines out 10000 &&
		want_line out 10000 'stages.Dockerfile:19999:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest'
}

t_nested_expansions() {
	awk 'BEGIN { printf "FROM alpine:3.22\nENV A="; for (i = 0; i < 10000; i++) printf "${a:-"; printf "x";
		for (i = 0; i < 10000; i++) printf "}"; printf "\nUSER 1\n" }' > nest.Dockerfile
	run lint -q -t none --no-context nest.Dockerfile
	want_rc 0 && want_stdout <<'EOF'
nest.Dockerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
EOF
	run fix -q --no-context nest.Dockerfile
	want_rc 0 && cmp -s "$T/out" nest.Dockerfile || { why="fix changed or lost the file"; return 1; }
}

t_megabyte_line() {
	awk 'BEGIN { printf "FROM alpine:3.22\nRUN echo "; for (i = 0; i < 1048576; i++) printf "x"; printf "\n" }' \
		> long.Dockerfile
	run lint long.Dockerfile
	want_rc 2 && want_line out 1 "long.Dockerfile:2:65536: error: line longer than 65535 bytes (BuildKit's limit)"
}

t_path_with_space_and_newline() {
	fname=$(printf 'my app\nDockerfile')
	printf 'FROM alpine:3.22\nRUN true\n' > "$fname"
	run lint -q -t none --no-context "$fname"
	# the text report shows a control character as '?': a file name cannot forge lines
	want_rc 0 && want_line out 1 'my app?Dockerfile:1:1: error DD101 root-user: the final stage runs as root: no USER instruction, and alpine:3.22 runs as root by default' &&
		run lint -f json -t none --no-context "$fname" && want_has out '"path": "my app\nDockerfile"' &&
		run fix -q -i --no-context "$fname" && want_rc 0 && grep -q '^USER 10001:10001$' "$fname" ||
		{ why="${why:-fix -i did not write the file}"; return 1; }
}

t_symlink_loop_in_context() {
	mkdir -p loopctx
	printf 'FROM alpine:3.22\nCOPY . /app\nUSER 1\n' > loopctx/Dockerfile
	ln -sf . loopctx/self
	ln -sf ../loopctx loopctx/parent
	printf 'SECRET_KEY=pV9rT2xQ7mK4wZ8nB3cF6hJ1qLs\n' > loopctx/.env
	run lint -q -t none loopctx/Dockerfile
	want_rc 0 && want_stdout <<'EOF'
loopctx/Dockerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
loopctx/Dockerfile:2:6: error DD204 secret-in-context: COPY . ships .env from the build context (environment file): exclude it in .dockerignore
EOF
}

# As root the file would be readable anyway: read it as nobody then.
t_unreadable_dockerignore() {
	mkdir -p ignctx
	printf 'FROM alpine:3.22\nCOPY . /app\nUSER 1\n' > ignctx/Dockerfile
	printf '.env\n' > ignctx/.dockerignore
	chmod 000 ignctx/.dockerignore
	chmod 755 "$T" "$T/w" ignctx
	rc=0
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" lint -q -t none ignctx/Dockerfile \
			> "$T/out" 2> "$T/err" || rc=$?
	else
		"$BIN" lint -q -t none ignctx/Dockerfile > "$T/out" 2> "$T/err" || rc=$?
	fi
	chmod 644 ignctx/.dockerignore
	want_rc 0 && want_line out 2 "ignctx/Dockerfile:2:1: error DD204 secret-in-context: the build context's ignore file cannot be read (ignctx/.dockerignore:1:1: error: Permission denied): the build fails there, and the context's secret files were not checked"
}

check hostile-binary-file t_binary_file
if command -v truncate > /dev/null 2>&1; then
	check hostile-sparse-gigabyte t_sparse_gigabyte
fi
check hostile-ends-inside-heredoc t_ends_inside_heredoc
check hostile-ends-inside-continuation t_ends_inside_continuation
check hostile-ten-thousand-stages t_ten_thousand_stages
check hostile-nested-expansions t_nested_expansions
check hostile-megabyte-line t_megabyte_line
check hostile-path-with-space-and-newline t_path_with_space_and_newline
check hostile-symlink-loop-in-context t_symlink_loop_in_context
if [ "$(id -u)" -ne 0 ] || command -v setpriv > /dev/null 2>&1; then
	check hostile-unreadable-dockerignore t_unreadable_dockerignore
else
	skip hostile-unreadable-dockerignore "root without setpriv reads any file"
fi

finish cli-hostile
