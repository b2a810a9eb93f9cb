#!/bin/sh
# CLI tests of `drydock fix --commit` and `--patch`: real repositories made
# with the git CLI, results checked with the git CLI (log, diff, status,
# fsck, am on a fresh clone), every refusal, and 50 Dockerfiles in one
# commit under a second. Run from the repository root:
#   DD_BIN=$PWD/drydock DD_CORPUS=../shared/corpus sh tests/cli_git.sh
# DD_NO_TIMING=1 keeps the 50-file run but not its one-second limit (ASan).
. "${DD_SRCDIR:-.}/tests/clilib.sh"

if ! command -v git > /dev/null 2>&1; then
	echo "cli-git: git not found (apt-get install git)" >&2
	exit 1
fi

# The machine's git configuration must not matter: no global or system file
# for git, a HOME of our own (libgit2 reads $HOME/.gitconfig), and no
# repository above the work folder.
mkdir "$T/home"
HOME=$T/home
XDG_CONFIG_HOME=$T/home/.config
GIT_CONFIG_GLOBAL=/dev/null
GIT_CONFIG_NOSYSTEM=1
GIT_CEILING_DIRECTORIES=$(cd "$T" && pwd -P)
export HOME XDG_CONFIG_HOME GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM GIT_CEILING_DIRECTORIES
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE GIT_COMMITTER_DATE 2> /dev/null || :

# ---------------------------------------------------------------- inputs

cat > weak.Dockerfile <<'EOF'
# a small weak image
FROM debian:12-slim
ADD app.sh /usr/local/bin/app.sh
RUN chmod 777 /usr/local/bin/app.sh
CMD app.sh --serve
EOF

printf 'FROM alpine:3.22\nUSER 10001\nCMD ["sh"]\n' > good.Dockerfile
# a secret default value, which no commit message may show
printf 'FROM debian:12-slim\nARG NPM_TOKEN=npm_Zx8Kq2Lm4Np6Rs8Tv0Wy2Ab4Cd6Ef8Gh0Ij2\nRUN npm ci\nUSER 10001\nCMD ["npm", "start"]\n' \
	> token.Dockerfile
SECRET=npm_Zx8Kq2Lm4Np6Rs8Tv0Wy2Ab4Cd6Ef8Gh0Ij2

# mkrepo DIR [FILE...]: a repository with an identity whose one commit
# holds what DIR has plus copies of the files (weak.Dockerfile goes in as
# DIR/Dockerfile, and is the default; "-" copies nothing)
mkrepo() {
	git init -q -b main "$1"
	git -C "$1" config user.name 'Dock Bot'
	git -C "$1" config user.email bot@example.com
	d=$1
	shift
	[ $# -eq 0 ] && set -- weak.Dockerfile
	for f in "$@"; do
		case $f in
		-) ;;
		weak.Dockerfile) cp "$f" "$d/Dockerfile" ;;
		*) cp "$f" "$d/" ;;
		esac
	done
	git -C "$d" add -A
	git -C "$d" commit -qm 'first commit'
}

# state DIR: what a refusal must leave as it was (refs, status, objects, files)
state() {
	git -C "$1" for-each-ref --format='%(refname) %(objectname)'
	git -C "$1" status --porcelain --ignored
	git -C "$1" count-objects -v | grep -E '^(count|in-pack):'
	git -C "$1" rev-parse HEAD 2> /dev/null || :
	(cd "$1" && find . -path ./.git -prune -o -type f -print | sort | xargs cat)
}

# refused DIR STATUS MESSAGE ARGS...: drydock fix ARGS is refused with
# exactly that message and status, and DIR stays as it was
refused() {
	dir=$1 status=$2 msg=$3
	shift 3
	state "$dir" > "$T/before" 2>&1
	run fix "$@"
	want_rc "$status" && want_empty out && want_stderr <<EOF || return 1
drydock fix: $msg
EOF
	state "$dir" > "$T/after" 2>&1
	if ! cmp -s "$T/before" "$T/after"; then
		why="the refusal changed the repository"
		diff "$T/before" "$T/after" >> "$T/detail" || :
		return 1
	fi
}

git_is() {  # git_is WANTED GIT-ARGS...: git's output is exactly WANTED
	w=$1
	shift
	got=$(git "$@" 2>&1) || :
	[ "$got" = "$w" ] && return 0
	why="git $* gave '$got', wanted '$w'"
	return 1
}

want_has() {  # want_has STREAM TEXT
	if ! grep -qF -- "$2" "$T/$1"; then
		why="std$1 lacks '$2'"
		seen
		return 1
	fi
}

# fsck_ok DIR: git fsck --strict finds nothing
fsck_ok() {
	if ! git -C "$1" fsck --strict --no-progress > "$T/fsck" 2>&1 || [ -s "$T/fsck" ]; then
		why="git fsck failed"
		cat "$T/fsck" >> "$T/detail"
		return 1
	fi
}

# one_commit DIR BRANCH FILES: BRANCH is one commit on top of HEAD that
# touches exactly FILES (newline-separated), HEAD is still main, the
# working tree is clean and fsck passes
one_commit() {
	git_is 1 -C "$1" rev-list --count "HEAD..$2" &&
		git_is "$(git -C "$1" rev-parse HEAD)" -C "$1" rev-parse "$2^" &&
		git_is "$3" -C "$1" diff --name-only HEAD "$2" &&
		git_is main -C "$1" rev-parse --abbrev-ref HEAD &&
		git_is '' -C "$1" status --porcelain &&
		fsck_ok "$1"
}

# ---------------------------------------------------------------- checks

t_commit() {
	mkrepo c1
	cd c1
	run fix --commit
	cd ..
	id=$(git -C c1 rev-parse --short=12 drydock/harden 2> /dev/null) || :
	want_rc 0 && want_empty out &&
		want_has err 'Dockerfile:3: DD501 add-local: ADD → COPY' &&
		want_last_line err "drydock fix: made branch drydock/harden: commit $id on top of HEAD, 1 file: Run as non-root user 10001; no world-writable files; and 2 more" &&
		one_commit c1 drydock/harden Dockerfile || return 1
	# the branch holds what drydock fix prints for HEAD's file
	"$BIN" fix -q weak.Dockerfile > "$T/fixed"
	git -C c1 show drydock/harden:Dockerfile > "$T/committed"
	cmp -s "$T/fixed" "$T/committed" || { why="the committed file is not the fixed one"; return 1; }
	git_is 'Dock Bot <bot@example.com>|Dock Bot <bot@example.com>' -C c1 log -1 --format='%an <%ae>|%cn <%ce>' drydock/harden &&
		git_is 'Run as non-root user 10001; no world-writable files; and 2 more' -C c1 log -1 --format=%s drydock/harden
}

t_commit_message_body() {
	git -C c1 log -1 --format=%b drydock/harden > "$T/body"
	cat > "$T/want" <<'EOF'
Findings fixed by drydock fix:

- DD101 root-user, Dockerfile:2: created user app (10001:10001) and set
  USER 10001:10001 (base image family: debian): useradd and groupadd,
  since adduser is missing from Debian 13 slim images
- DD501 add-local, Dockerfile:3: ADD → COPY: the sources are local
  files, which COPY copies as they are
- DD105 world-writable, Dockerfile:4: chmod 777 → 775: other users no
  longer write there; if the application must, give it the path (drydock
  fix --writable PATH, or COPY --chown)
- DD403 shell-form-command, Dockerfile:5: CMD in exec form: ["app.sh",
  "--serve"]

EOF
	if ! cmp -s "$T/want" "$T/body"; then
		why="the commit message body differs (- wanted, + seen)"
		diff -u "$T/want" "$T/body" | sed '1,2d' >> "$T/detail" || :
		return 1
	fi
}

# the summary names the user and the secret; the body its build flag; no secret value anywhere
t_commit_secret() {
	mkrepo c2 token.Dockerfile
	run fix -q --commit --only DD202 c2/token.Dockerfile
	want_rc 0 || return 1
	git -C c2 log -1 --format=%B drydock/harden > "$T/msg"
	if grep -qF "$SECRET" "$T/msg" || grep -qF "$SECRET" "$T/err"; then
		why="the secret value is in the message or on stderr"
		return 1
	fi
	git_is 'Move NPM_TOKEN to a build secret' -C c2 log -1 --format=%s drydock/harden || return 1
	grep -qxF -- '- token.Dockerfile: --secret id=npm_token,env=NPM_TOKEN' "$T/msg" ||
		{ why="no build flag in the message"; cat "$T/msg" >> "$T/detail"; return 1; }
	printf 'FROM debian:12-slim\nARG NPM_TOKEN\nRUN npm ci\nCMD ["npm", "start"]\n' > c2/Dockerfile
	git -C c2 add Dockerfile && git -C c2 commit -qm 'second'
	run fix -q --commit --force --skip DD403 c2/Dockerfile
	want_rc 0 && git_is 'Run as non-root user 10001; move NPM_TOKEN to a build secret' -C c2 log -1 --format=%s drydock/harden
}

t_commit_in_place() {
	mkrepo c3
	run fix -q --commit -i --branch harden/one c3/Dockerfile
	want_rc 0 && want_last_line err 'drydock fix: the working tree has the new content too: c3/Dockerfile' || return 1
	git_is main -C c3 rev-parse --abbrev-ref HEAD &&
		git_is '' -C c3 diff --cached --name-only &&
		git_is ' M Dockerfile' -C c3 status --porcelain &&
		git_is '' -C c3 diff harden/one --name-only &&
		fsck_ok c3
}

# -i writes what a checkout writes: core.autocrlf turns LF into CR LF
t_in_place_filters() {
	mkrepo c4
	git -C c4 config core.autocrlf true
	rm c4/Dockerfile && git -C c4 checkout -q Dockerfile
	grep -q "$(printf '\r')" c4/Dockerfile || { why="the checkout has no CR LF"; return 1; }
	run fix -q --commit -i c4/Dockerfile
	want_rc 0 || return 1
	if [ "$(grep -c "$(printf '\r')\$" c4/Dockerfile)" -ne "$(wc -l < c4/Dockerfile)" ]; then
		why="the working file lost its CR LF"
		return 1
	fi
	git -C c4 show drydock/harden:Dockerfile | grep -q "$(printf '\r')" && { why="a CR went into the blob"; return 1; }
	git_is '' -C c4 diff drydock/harden --name-only
}

# DD204: the .dockerignore of the context joins the commit, new or appended to
t_dockerignore() {
	mkdir c5
	printf 'FROM alpine:3.22\nCOPY . /app\nUSER 10001\n' > c5/Dockerfile
	printf '.env\n' > c5/.gitignore
	mkrepo c5 -
	printf 'SECRET_KEY=pV9rT2xQ7mK4wZ8nB3cF6hJ1qLs\n' > c5/.env
	run fix -q --commit c5/Dockerfile
	want_rc 0 && one_commit c5 drydock/harden .dockerignore || return 1
	git_is "$(printf '# secret files drydock found in the build context (DD204)\n.env')" -C c5 show drydock/harden:.dockerignore &&
		git_is 'Keep .env out of the image' -C c5 log -1 --format=%s drydock/harden || return 1
	# appended to HEAD's .dockerignore, CR LF kept
	printf 'node_modules\r\n' > c5/.dockerignore
	git -C c5 add .dockerignore && git -C c5 commit -qm 'ignore node_modules'
	run fix -q --commit --force c5/Dockerfile
	want_rc 0 && git_is '.dockerignore' -C c5 diff --name-only HEAD drydock/harden || return 1
	git -C c5 show drydock/harden:.dockerignore > "$T/ign"
	printf 'node_modules\r\n# secret files drydock found in the build context (DD204)\n.env\n' | cmp -s - "$T/ign" ||
		{ why="not appended as expected"; cat "$T/ign" >> "$T/detail"; return 1; }
	# a .dockerignore with uncommitted changes is refused like a Dockerfile
	printf 'node_modules\r\ntmp\n' > c5/.dockerignore
	refused c5 2 'c5/.dockerignore has uncommitted changes: commit or stash them, drydock fixes what HEAD has' \
		-q --commit --branch other c5/Dockerfile
}

t_patch() {
	mkrepo p1
	state p1 > "$T/before"
	run fix -q --patch "$T/fix.mbox" p1/Dockerfile
	want_rc 0 && want_empty out &&
		want_last_line err "drydock fix: wrote the patch to $T/fix.mbox (git am applies it): Run as non-root user 10001; no world-writable files; and 2 more" ||
		return 1
	# no branch, no object: nothing written in the repository
	state p1 > "$T/after"
	cmp -s "$T/before" "$T/after" || { why="--patch changed the repository"; diff "$T/before" "$T/after" >> "$T/detail"; return 1; }
	head -n 1 "$T/fix.mbox" | grep -qE '^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$' &&
		grep -qxF 'Subject: [PATCH] Run as non-root user 10001; no world-writable files; and 2 more' "$T/fix.mbox" &&
		grep -qxF 'diff --git a/Dockerfile b/Dockerfile' "$T/fix.mbox" &&
		grep -qE '^index [0-9a-f]+\.\.[0-9a-f]+ 100644$' "$T/fix.mbox" ||
		{ why="not a format-patch mbox"; head -n 12 "$T/fix.mbox" >> "$T/detail"; return 1; }
	# git am on a fresh clone gives the tree --commit gives
	git clone -q p1 p1-clone
	if ! git -C p1-clone -c user.name=Tester -c user.email=t@example.com am -q "$T/fix.mbox" > "$T/detail" 2>&1; then
		why="git am failed"
		return 1
	fi
	run fix -q --commit p1/Dockerfile
	want_rc 0 &&
		git_is "$(git -C p1 rev-parse 'drydock/harden^{tree}')" -C p1-clone rev-parse 'HEAD^{tree}' &&
		git_is 'Dock Bot <bot@example.com>' -C p1-clone log -1 --format='%an <%ae>' &&
		git_is "$(git -C p1 log -1 --format=%B drydock/harden)" -C p1-clone log -1 --format=%B &&
		git_is '' -C p1-clone status --porcelain && fsck_ok p1-clone
}

t_patch_stdout() {
	mkrepo p2
	cd p2
	run fix -q --patch - -m 'Harden the image'
	cd ..
	want_rc 0 && want_line out 4 'Subject: [PATCH] Harden the image' || return 1
	git_is '' -C p2 for-each-ref refs/heads/drydock || return 1
	git clone -q p2 p2-clone
	git -C p2-clone -c user.name=Tester -c user.email=t@example.com am -q "$T/out" > "$T/detail" 2>&1 ||
		{ why="git am failed"; return 1; }
	git_is 'Harden the image' -C p2-clone log -1 --format=%s &&
		git_is "$("$BIN" fix -q weak.Dockerfile)" -C p2-clone show HEAD:Dockerfile
}

t_commit_and_patch() {
	mkrepo p3
	run fix -q --commit --patch p3.mbox p3/Dockerfile
	want_rc 0 && one_commit p3 drydock/harden Dockerfile || return 1
	head -n 1 p3.mbox | grep -qxF "From $(git -C p3 rev-parse drydock/harden) Mon Sep 17 00:00:00 2001" ||
		{ why="the mbox is not the branch's commit"; return 1; }
}

t_options() {
	mkrepo o1
	run fix -q --commit --branch fix/docker -m 'Harden the image' --author 'Ann Other <ann@example.com>' o1
	want_rc 0 && one_commit o1 fix/docker Dockerfile &&
		git_is 'Ann Other <ann@example.com>|Dock Bot <bot@example.com>|Harden the image' \
			-C o1 log -1 --format='%an <%ae>|%cn <%ce>|%s' fix/docker &&
		git_is '' -C o1 for-each-ref refs/heads/drydock
}

# 50 Dockerfiles (and some that are not taken: hidden folders, node_modules,
# untracked) from a subfolder with -r: one commit, in under a second
t_recursive_50() {
	mkdir r50
	i=1
	while [ $i -le 50 ]; do
		mkdir -p "r50/svc$i"
		cp weak.Dockerfile "r50/svc$i/Dockerfile"
		i=$((i + 1))
	done
	mkdir -p r50/.devcontainer r50/node_modules/x
	cp weak.Dockerfile r50/.devcontainer/Dockerfile
	cp weak.Dockerfile r50/node_modules/x/Dockerfile
	git init -q -b main r50
	git -C r50 config user.name 'Dock Bot'
	git -C r50 config user.email bot@example.com
	git -C r50 add -A && git -C r50 commit -qm 'fifty services'
	cp weak.Dockerfile r50/svc7/api.Dockerfile # untracked: not in HEAD, not taken
	cd r50/svc3
	start=$(date +%s%N)
	run fix -q --commit -r
	end=$(date +%s%N)
	cd ../..
	ms=$(((end - start) / 1000000))
	echo "     | 50 Dockerfiles, -r: $ms ms"
	want_rc 0 || return 1
	n=$(git -C r50 diff --name-only HEAD drydock/harden | grep -c '^svc[0-9]*/Dockerfile$')
	[ "$n" -eq 50 ] || { why="$n Dockerfiles in the commit, wanted 50"; return 1; }
	git_is 1 -C r50 rev-list --count HEAD..drydock/harden &&
		git_is '?? svc7/api.Dockerfile' -C r50 status --porcelain && fsck_ok r50 || return 1
	if [ -z "${DD_NO_TIMING:-}" ] && [ "$ms" -ge 1000 ]; then
		why="$ms ms, wanted under 1000"
		return 1
	fi
}

t_folder() {
	mkdir -p f1/app f1/tools
	cp weak.Dockerfile f1/app/Dockerfile
	cp weak.Dockerfile f1/tools/build.Dockerfile
	mkrepo f1 weak.Dockerfile
	run fix -q --commit f1/app
	want_rc 0 && one_commit f1 drydock/harden app/Dockerfile
}

t_nothing_to_change() {
	mkrepo n1 good.Dockerfile
	run fix -q --commit --patch n1.mbox n1/good.Dockerfile
	want_rc 0 && want_empty out && want_stderr <<'EOF' || return 1
drydock fix: nothing to change in n1/good.Dockerfile as HEAD has it: no branch made, no patch written
EOF
	[ ! -e n1.mbox ] || { why="a patch was written"; return 1; }
	git_is '' -C n1 for-each-ref refs/heads/drydock
}

# ---- refusals: a message, status 2 (3 for libgit2), nothing written

t_refuse_not_a_repo() {
	mkdir -p plain
	cp weak.Dockerfile plain/Dockerfile
	refused plain 2 'plain/Dockerfile is not inside a git repository' --commit plain/Dockerfile
}

t_refuse_bare() {
	mkrepo b0
	git clone -q --bare b0 bare.git
	refused bare.git 2 'bare.git is in a bare repository, which has no working tree: run drydock in a clone' \
		--commit bare.git
}

t_refuse_no_commit() {
	git init -q -b main empty
	cp weak.Dockerfile empty/Dockerfile
	refused empty 2 'the repository of empty/Dockerfile has no commit yet: commit the Dockerfile first, drydock fixes what HEAD has' \
		--commit empty/Dockerfile
}

t_refuse_branch_exists() {
	mkrepo e1
	run fix -q --commit e1/Dockerfile
	want_rc 0 || return 1
	refused e1 2 "branch 'drydock/harden' already exists: choose another with --branch NAME, or replace it with --force" \
		--commit e1/Dockerfile || return 1
	# --force replaces it, with a commit on top of HEAD again
	git -C e1 branch -f drydock/harden HEAD
	run fix -q --commit --force e1/Dockerfile
	want_rc 0 && want_has err 'drydock fix: replaced branch drydock/harden' && one_commit e1 drydock/harden Dockerfile || return 1
	refused e1 2 "branch 'main' is checked out: --force does not replace it" --commit --force --branch main e1/Dockerfile
}

t_refuse_outside() {
	mkrepo x1
	mkrepo x2
	refused x1 2 "x2/Dockerfile is outside the working tree of the repository at $(cd x1 && pwd -P)" \
		--commit x1/Dockerfile x2/Dockerfile || return 1
	refused x1 2 "x1/.git/HEAD is outside the working tree of the repository at $(cd x1 && pwd -P)" \
		--commit x1/.git/HEAD
}

t_refuse_ignored() {
	mkdir -p i1/build
	printf 'build/\n' > i1/.gitignore
	mkrepo i1
	cp weak.Dockerfile i1/build/Dockerfile
	refused i1 2 'i1/build/Dockerfile is ignored by the repository (.gitignore), so HEAD has no such file: drydock fixes what HEAD has' \
		--commit i1/build/Dockerfile
}

t_refuse_untracked() {
	mkrepo u1
	cp weak.Dockerfile u1/new.Dockerfile
	refused u1 2 'u1/new.Dockerfile is not committed: commit it first, drydock fixes what HEAD has' \
		--commit u1/new.Dockerfile || return 1
	git -C u1 add new.Dockerfile
	refused u1 2 'u1/new.Dockerfile is not committed: commit it first, drydock fixes what HEAD has' \
		--patch u1.mbox u1/new.Dockerfile || return 1
	[ ! -e u1.mbox ] || { why="a patch was written"; return 1; }
	refused u1 2 'u1/missing.Dockerfile is not in HEAD nor in the working tree' --commit u1/missing.Dockerfile
}

# decided: drydock fixes what HEAD has, and refuses a file that differs from it
t_refuse_uncommitted() {
	mkrepo d1
	printf '# local edit\n' >> d1/Dockerfile
	refused d1 2 'd1/Dockerfile has uncommitted changes: commit or stash them, drydock fixes what HEAD has' \
		--commit -i d1/Dockerfile || return 1
	git -C d1 add Dockerfile # staged only
	refused d1 2 'd1/Dockerfile has uncommitted changes: commit or stash them, drydock fixes what HEAD has' \
		--commit d1/Dockerfile || return 1
	git -C d1 reset -q --hard
	rm d1/Dockerfile
	refused d1 2 'd1/Dockerfile has uncommitted changes: commit or stash them, drydock fixes what HEAD has' \
		--commit d1/Dockerfile || return 1
	# -r: one modified file refuses the whole run
	git -C d1 checkout -q Dockerfile
	mkdir d1/b && cp weak.Dockerfile d1/b/Dockerfile && git -C d1 add b && git -C d1 commit -qm b
	printf '# local edit\n' >> d1/b/Dockerfile
	refused d1 2 'd1/b/Dockerfile has uncommitted changes: commit or stash them, drydock fixes what HEAD has' \
		--commit d1
}

t_refuse_no_identity() {
	git init -q -b main anon
	cp weak.Dockerfile anon/Dockerfile
	git -C anon add Dockerfile
	git -C anon -c user.name=Someone -c user.email=someone@example.com commit -qm first
	refused anon 2 'no author identity: set user.name and user.email (git config user.name "Your Name"; git config user.email you@example.com), or give --author "Name <mail>"' \
		--commit anon/Dockerfile || return 1
	# --author is enough: it commits too
	run fix -q --commit --author 'Ann Other <ann@example.com>' anon/Dockerfile
	want_rc 0 && git_is 'Ann Other <ann@example.com>|Ann Other <ann@example.com>' -C anon log -1 --format='%an <%ae>|%cn <%ce>' drydock/harden
}

t_refuse_bad_values() {
	mkrepo v1
	refused v1 2 "'a..b' is not a valid branch name" --commit --branch a..b v1/Dockerfile &&
		refused v1 2 "--author takes \"Name <mail>\", not 'Ann'" --commit --author Ann v1/Dockerfile
}

t_refuse_usage() {
	run fix --commit --diff Dockerfile
	want_rc 2 && want_line err 1 'drydock fix: --commit and --patch exclude --diff, --check and --format json' || return 1
	run fix --branch x Dockerfile
	want_rc 2 && want_line err 1 'drydock fix: --branch and --force go with --commit' || return 1
	run fix -r Dockerfile
	want_rc 2 && want_line err 1 'drydock fix: --message, --author and --recursive go with --commit or --patch' || return 1
	run fix --patch x.mbox -
	want_rc 2 && want_line err 1 'drydock fix: --commit and --patch fix files of a repository, not standard input'
}

# HEAD's file does not parse: the located error, and nothing written
t_refuse_parse_error() {
	printf 'FROM alpine:3.22\nRUM x\n' > bad.Dockerfile
	mkrepo pe bad.Dockerfile
	state pe > "$T/before"
	run fix --commit pe/bad.Dockerfile
	want_rc 2 && want_line err 1 'pe/bad.Dockerfile:2:1: error: unknown instruction: RUM (did you mean RUN?)' || return 1
	state pe > "$T/after"
	cmp -s "$T/before" "$T/after" || { why="the repository changed"; return 1; }
}

# a libgit2 failure (HEAD's blob is gone) is status 3
t_git_failure() {
	mkrepo gf
	blob=$(git -C gf rev-parse HEAD:Dockerfile)
	rm -f "gf/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
	run fix -q --commit gf/Dockerfile
	want_rc 3 && want_has err 'drydock fix: blob: ' && git_is '' -C gf for-each-ref refs/heads/drydock
}

# ---------------------------------------------------------------- run

check git-commit t_commit
check git-commit-message-body t_commit_message_body
check git-commit-secret t_commit_secret
check git-commit-in-place t_commit_in_place
check git-in-place-filters t_in_place_filters
check git-dockerignore t_dockerignore
check git-patch-am t_patch
check git-patch-stdout t_patch_stdout
check git-commit-and-patch t_commit_and_patch
check git-options t_options
check git-recursive-50 t_recursive_50
check git-folder t_folder
check git-nothing-to-change t_nothing_to_change
check git-refuse-not-a-repo t_refuse_not_a_repo
check git-refuse-bare t_refuse_bare
check git-refuse-no-commit t_refuse_no_commit
check git-refuse-branch-exists t_refuse_branch_exists
check git-refuse-outside t_refuse_outside
check git-refuse-ignored t_refuse_ignored
check git-refuse-untracked t_refuse_untracked
check git-refuse-uncommitted t_refuse_uncommitted
if [ -z "$(env -u GIT_CONFIG_NOSYSTEM git config --system user.name 2> /dev/null)" ]; then
	check git-refuse-no-identity t_refuse_no_identity
else
	skip git-refuse-no-identity "the system git configuration sets user.name"
fi
check git-refuse-bad-values t_refuse_bad_values
check git-refuse-usage t_refuse_usage
check git-refuse-parse-error t_refuse_parse_error
check git-failure t_git_failure

finish cli-git
