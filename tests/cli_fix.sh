#!/bin/sh
# CLI tests of `drydock fix`: output modes (standard output, --diff,
# --in-place, --check, --format json), rule selection, notes, errors, and
# --interactive through a real pseudo-terminal (script(1)). Run from the
# repository root:
#   DD_BIN=$PWD/drydock DD_CORPUS=../shared/corpus sh tests/cli_fix.sh
. "${DD_SRCDIR:-.}/tests/clilib.sh"

# ---------------------------------------------------------------- inputs

cat > weak.Dockerfile <<'EOF'
# a small weak image
FROM debian:12-slim
ADD app.sh /usr/local/bin/app.sh
RUN chmod 777 /usr/local/bin/app.sh
CMD app.sh --serve
EOF

cat > weak.fixed <<'EOF'
# a small weak image
FROM debian:12-slim
COPY app.sh /usr/local/bin/app.sh
RUN chmod 775 /usr/local/bin/app.sh
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
USER 10001:10001
CMD ["app.sh", "--serve"]
EOF

printf 'FROM alpine:3.22\nUSER 10001\nCMD ["sh"]\n' > good.Dockerfile
printf 'FROM alpine:3.22\nRUM x\n' > bad.Dockerfile

want_no() {  # want_no STREAM TEXT
	if grep -qF -- "$2" "$T/$1"; then
		why="std$1 contains '$2'"
		seen
		return 1
	fi
}

want_has() {  # want_has STREAM TEXT
	if ! grep -qF -- "$2" "$T/$1"; then
		why="std$1 lacks '$2'"
		seen
		return 1
	fi
}

# ---------------------------------------------------------------- checks

t_stdout() {
	run fix weak.Dockerfile
	want_rc 0 && want_stdout < weak.fixed &&
		want_has err 'weak.Dockerfile:3: DD501 add-local: ADD → COPY' &&
		want_has err 'weak.Dockerfile:4: DD105 world-writable: chmod 777 → 775' &&
		want_has err 'weak.Dockerfile:2: DD101 root-user: created user app (10001:10001) and set USER 10001:10001 (base image family: debian)' &&
		want_has err 'weak.Dockerfile:5: DD403 shell-form-command: CMD in exec form: ["app.sh", "--serve"]'
}

t_quiet() {
	run fix -q weak.Dockerfile
	want_rc 0 && want_empty err
}

t_nothing_to_fix() {
	run fix -q good.Dockerfile
	want_rc 0 && want_stdout < good.Dockerfile
}

# the diff turns the file into the fixed one: apply it with patch(1) or python
t_diff() {
	run fix -q --diff weak.Dockerfile
	want_rc 0 && want_line out 1 '--- a/weak.Dockerfile' && want_line out 2 '+++ b/weak.Dockerfile' || return 1
	cp weak.Dockerfile patched.Dockerfile
	if command -v patch > /dev/null 2>&1; then
		patch -s patched.Dockerfile < "$T/out" > "$T/detail" 2>&1 || { why="patch failed"; return 1; }
	else
		why="patch(1) not installed"
		return 1
	fi
	if ! cmp -s patched.Dockerfile weak.fixed; then
		why="the patched file is not the fixed one"
		diff patched.Dockerfile weak.fixed >> "$T/detail" || :
		return 1
	fi
}

t_diff_nothing() {
	run fix -q --diff good.Dockerfile
	want_rc 0 && want_empty out
}

t_check() {
	run fix -q --check weak.Dockerfile
	want_rc 1 && want_empty out && run fix -q --check good.Dockerfile && want_rc 0
}

t_in_place_keeps_mode() {
	cp weak.Dockerfile inplace.Dockerfile
	chmod 640 inplace.Dockerfile
	run fix -q -i inplace.Dockerfile
	want_rc 0 && want_empty out || return 1
	if ! cmp -s inplace.Dockerfile weak.fixed; then
		why="the file was not fixed in place"
		return 1
	fi
	mode=$(stat -c %a inplace.Dockerfile)
	if [ "$mode" != 640 ]; then
		why="mode is $mode, wanted 640"
		return 1
	fi
	if ls inplace.Dockerfile.drydock-* > /dev/null 2>&1; then
		why="a temporary file was left behind"
		return 1
	fi
}

t_in_place_symlink() {
	mkdir -p real
	cp weak.Dockerfile real/Dockerfile
	ln -sf real/Dockerfile link.Dockerfile
	run fix -q -i link.Dockerfile
	want_rc 0 || return 1
	if [ ! -L link.Dockerfile ] || ! cmp -s real/Dockerfile weak.fixed; then
		why="the link was replaced or its target not fixed"
		return 1
	fi
}

t_in_place_unwritable_folder() {
	if [ "$(id -u)" -eq 0 ]; then
		return 0 # root writes anywhere; the check means nothing
	fi
	mkdir -p ro
	cp weak.Dockerfile ro/Dockerfile
	chmod 555 ro
	run fix -q -i ro/Dockerfile
	chmod 755 ro
	want_rc 2 && cmp -s ro/Dockerfile weak.Dockerfile
}

t_only() {
	run fix -q --only DD501 weak.Dockerfile
	want_rc 0 && want_line out 3 'COPY app.sh /usr/local/bin/app.sh' && want_line out 4 'RUN chmod 777 /usr/local/bin/app.sh' &&
		want_no out 'USER'
}

t_only_alias() {
	run fix -q --only DL3020,world-writable weak.Dockerfile
	want_rc 0 && want_line out 3 'COPY app.sh /usr/local/bin/app.sh' && want_line out 4 'RUN chmod 775 /usr/local/bin/app.sh'
}

t_skip() {
	run fix -q --skip DD101,DD403 weak.Dockerfile
	want_rc 0 && want_no out 'USER' && want_line out 5 'CMD app.sh --serve'
}

t_unknown_rule() {
	run fix --only DD999 weak.Dockerfile
	want_rc 2 && want_empty out && want_line err 1 "drydock fix: unknown rule 'DD999' (see drydock explain --all)"
}

t_uid_option() {
	run fix -q --only DD101 --uid 2000 --user-name svc weak.Dockerfile
	want_rc 0 && want_has out 'useradd --system --no-log-init --uid 2000 --gid svc' && want_has out 'USER 2000:2000'
}

t_writable() {
	run fix -q --only DD101 --writable /var/lib/app weak.Dockerfile
	want_rc 0 && want_has out '    && mkdir -p /var/lib/app && chown 10001:10001 /var/lib/app' || return 1
	# both go into a RUN command unquoted: anything the shell would read otherwise is refused
	run fix -q --writable '/srv/$(id)' weak.Dockerfile
	want_rc 2 && want_empty out && want_line err 1 "drydock fix: --writable takes an absolute path in the image, of letters, digits and / . _ - + @ % : , = (it goes into a RUN command): '/srv/\$(id)'" || return 1
	run fix -q --user-name 'app;id' weak.Dockerfile
	want_rc 2 && want_empty out && want_line err 1 "drydock fix: --user-name takes a name useradd accepts everywhere: a letter or _, then letters, digits, _ . - (at most 32): 'app;id'"
}

t_two_files_need_a_mode() {
	run fix weak.Dockerfile good.Dockerfile
	want_rc 2 && want_empty out &&
		want_line err 1 'drydock fix: give one file to print (or use --diff, --in-place or --check)'
}

t_parse_error() {
	run fix bad.Dockerfile
	want_rc 2 && want_empty out && want_line err 1 'bad.Dockerfile:2:1: error: unknown instruction: RUM (did you mean RUN?)'
}

t_stdin() {
	run_in weak.Dockerfile fix -q -
	want_rc 0 && want_stdout < weak.fixed
}

t_json() {
	run fix -f json weak.Dockerfile
	want_rc 0 && want_empty err || return 1
	python3 - "$T/out" weak.fixed > "$T/detail" 2>&1 <<'EOF' || { why="json: see detail"; return 1; }
import json, sys
d = json.load(open(sys.argv[1]))
[f] = d["files"]
assert f["path"] == "weak.Dockerfile" and f["changed"] is True
assert f["output"] == open(sys.argv[2]).read()
rules = sorted({n["rule"] for n in f["notes"] if n["applied"]})
assert rules == ["DD101", "DD105", "DD403", "DD501"], rules
EOF
}

t_crlf_kept() {
	printf 'FROM alpine:3.22\r\nADD a /a\r\n' > crlf.Dockerfile
	run fix -q crlf.Dockerfile
	want_rc 0 && want_stdout <<EOF
$(printf 'FROM alpine:3.22\r\nCOPY a /a\r\nRUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app -h /nonexistent -s /sbin/nologin app\r\nUSER 10001:10001\r')
EOF
}

t_write_error() {
	rc=0
	"$BIN" fix -q weak.Dockerfile > /dev/full 2> "$T/err" || rc=$?
	want_rc 3 && want_has err 'drydock fix: cannot write the output'
}

# --interactive reads answers from the terminal, so it runs under script(1)
interactive() {  # interactive ANSWERS FILE: answers one per line
	printf "$1" > "$T/answers"
	rc=0
	script -qec "'$BIN' fix -q --interactive $2 > $T/out 2> $T/err" /dev/null < "$T/answers" > "$T/tty" 2>&1 || rc=$?
}

t_interactive_yes_no_all() {
	interactive 'y\nn\na\n' weak.Dockerfile
	want_rc 0 || return 1
	# the first fix (DD501) applied, the second (DD105) declined, the rest all applied
	want_line out 3 'COPY app.sh /usr/local/bin/app.sh' && want_line out 4 'RUN chmod 777 /usr/local/bin/app.sh' &&
		want_has out 'USER 10001:10001' && want_has out 'CMD ["app.sh", "--serve"]' || return 1
	if ! grep -qF '(1/4) weak.Dockerfile:3: DD501 add-local' "$T/tty" || ! grep -qF 'Apply this fix [y,n,a,q,?]?' "$T/tty"; then
		why="the questions were not asked on the terminal"
		cat "$T/tty" >> "$T/detail"
		return 1
	fi
}

t_interactive_quit() {
	interactive 'y\nq\n' weak.Dockerfile
	want_rc 0 && want_line out 3 'COPY app.sh /usr/local/bin/app.sh' && want_line out 4 'RUN chmod 777 /usr/local/bin/app.sh' &&
		want_no out 'USER' && want_has out 'CMD app.sh --serve'
}

t_interactive_help() {
	interactive '?\nn\nn\nn\nn\n' weak.Dockerfile
	want_rc 0 && want_stdout < weak.Dockerfile || return 1
	if ! grep -qF 'a - apply this fix and all the later ones' "$T/tty"; then
		why="? printed no help"
		return 1
	fi
}

t_interactive_needs_terminal() {
	rc=0
	setsid "$BIN" fix --interactive weak.Dockerfile < /dev/null > "$T/out" 2> "$T/err" || rc=$?
	want_rc 2 && want_has err 'drydock fix: --interactive needs a terminal (/dev/tty)'
}

# DD204: the secret files of the build context go into .dockerignore
t_dockerignore() {
	mkdir -p ctx
	printf 'FROM alpine:3.22\nCOPY . /app\nUSER 10001\n' > ctx/Dockerfile
	printf 'SECRET_KEY=pV9rT2xQ7mK4wZ8nB3cF6hJ1qLs\n' > ctx/.env
	printf 'node_modules\r\n' > ctx/.dockerignore
	run fix -q --diff ctx/Dockerfile
	printf -- '--- a/ctx/.dockerignore\n+++ b/ctx/.dockerignore\n@@ -1 +1,3 @@\n node_modules\r\n+# secret files drydock found in the build context (DD204)\n+.env\n' > "$T/want_diff"
	want_rc 0 && want_stdout < "$T/want_diff" || return 1
	run fix -q -i ctx/Dockerfile
	want_rc 0 || return 1
	printf 'node_modules\r\n# secret files drydock found in the build context (DD204)\n.env\n' > "$T/want_ignore"
	if ! cmp -s ctx/.dockerignore "$T/want_ignore"; then
		why="-i did not append to .dockerignore as expected"
		cat ctx/.dockerignore >> "$T/detail"
		return 1
	fi
	run fix -q -i ctx/Dockerfile
	want_rc 0 || return 1
	cmp -s ctx/.dockerignore "$T/want_ignore" || { why="a second -i changed .dockerignore"; return 1; }
	run lint -q -t none ctx/Dockerfile
	want_no out DD204
}

t_dockerignore_created() {
	mkdir -p ctx2
	printf 'FROM alpine:3.22\nCOPY . /app\nUSER 10001\n' > ctx2/Dockerfile
	printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\n' > ctx2/id_ed25519
	run fix -q -i ctx2/Dockerfile
	want_rc 0 || return 1
	if [ ! -f ctx2/.dockerignore ] || ! grep -qx 'id_ed25519' ctx2/.dockerignore; then
		why="no .dockerignore naming id_ed25519"
		return 1
	fi
}

t_secret_mount_styles() {
	printf 'FROM debian:12-slim\nARG NPM_TOKEN\nRUN npm ci\nUSER 10001\n' > tok.Dockerfile
	run fix tok.Dockerfile
	want_rc 0 && want_line out 1 '# syntax=docker/dockerfile:1' &&
		want_line out 3 'RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci' &&
		want_has err 'tok.Dockerfile: build it with: --secret id=npm_token,env=NPM_TOKEN' || return 1
	run fix -q --secret-mount file tok.Dockerfile
	want_rc 0 && want_line out 3 'RUN --mount=type=secret,id=npm_token export NPM_TOKEN="$(cat /run/secrets/npm_token)" && npm ci'
}

# The same diff whatever the number of jobs: output in path order.
t_jobs_deterministic() {
	find "$CORPUS/realworld" -type f ! -name MANIFEST.tsv | sort | head -n 200 > "$T/list"
	rc=0
	tr '\n' '\0' < "$T/list" | xargs -0 "$BIN" fix -q --diff --no-context -j 1 > "$T/one" 2> "$T/err" || rc=$?
	want_rc 0 || return 1
	tr '\n' '\0' < "$T/list" | xargs -0 "$BIN" fix -q --diff --no-context -j 4 > "$T/four" 2> "$T/err" || rc=$?
	want_rc 0 || return 1
	if [ ! -s "$T/one" ] || ! cmp -s "$T/one" "$T/four"; then
		why="-j 1 and -j 4 diffs differ (or are empty)"
		return 1
	fi
}

# A fragment that podman build -f joins after another file's FROM: its
# instructions come before any FROM here, and the fix leaves them with a reason.
t_before_first_from() {
	printf 'ENV NPM_TOKEN=npm_0123456789abcdefghijklmnopqrstuvwxyz\nCOPY .npmrc /app/\nRUN npm ci\n' > fragment.Dockerfile
	run fix fragment.Dockerfile
	want_rc 0 && want_file out < fragment.Dockerfile && want_stderr <<'EOF'
fragment.Dockerfile:1: DD201 secret-env: to do: ENV NPM_TOKEN stays: it comes before the first FROM; remove it, give the RUN lines that need it --mount=type=secret,id=npm_token,env=NPM_TOKEN (built with --secret id=npm_token,env=NPM_TOKEN), and inject it when the container starts (docker run --env-file FILE or -e NPM_TOKEN, Compose env_file or secrets, Kubernetes env valueFrom.secretKeyRef)
fragment.Dockerfile:2: DD203 secret-file-copied: to do: COPY of .npmrc stays: it comes before the first FROM; delete it and mount the file only on the RUN that needs it: RUN --mount=type=secret,id=npmrc,target=PATH … (built with --secret id=npmrc,src=.npmrc)
EOF
}

# ---------------------------------------------------------------- run

check fix-stdout t_stdout
check fix-quiet t_quiet
check fix-nothing-to-fix t_nothing_to_fix
check fix-diff-applies t_diff
check fix-diff-nothing t_diff_nothing
check fix-check t_check
check fix-in-place-keeps-mode t_in_place_keeps_mode
check fix-in-place-symlink t_in_place_symlink
check fix-in-place-unwritable-folder t_in_place_unwritable_folder
check fix-only t_only
check fix-only-alias t_only_alias
check fix-skip t_skip
check fix-unknown-rule t_unknown_rule
check fix-uid-option t_uid_option
check fix-writable t_writable
check fix-two-files-need-a-mode t_two_files_need_a_mode
check fix-parse-error t_parse_error
check fix-stdin t_stdin
if command -v python3 > /dev/null 2>&1; then
	check fix-json t_json
else
	skip fix-json "python3 not found"
fi
check fix-crlf-kept t_crlf_kept
check fix-jobs-deterministic t_jobs_deterministic
check fix-dockerignore t_dockerignore
check fix-dockerignore-created t_dockerignore_created
check fix-secret-mount-styles t_secret_mount_styles
check fix-before-first-from t_before_first_from
if [ -w /dev/full ]; then
	check fix-write-error t_write_error
else
	skip fix-write-error "no /dev/full"
fi
if command -v script > /dev/null 2>&1; then
	check fix-interactive-yes-no-all t_interactive_yes_no_all
	check fix-interactive-quit t_interactive_quit
	check fix-interactive-help t_interactive_help
else
	skip fix-interactive "script(1) not found (apt-get install bsdutils)"
fi
if command -v setsid > /dev/null 2>&1; then
	check fix-interactive-needs-terminal t_interactive_needs_terminal
fi

finish cli-fix
