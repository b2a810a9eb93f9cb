#!/bin/sh
# CLI tests of how drydock fits into workflows: make install into a DESTDIR
# and the templates lookup of the installed binary, make uninstall, the
# .deb (its control file, a dpkg --root install, and with DD_DEB_INSTALL=1
# as root a real dpkg -i / dpkg --purge), the manual page, the shell
# completions, --help of every command, the terminal output in a real
# pseudo-terminal and through a pipe, the progress line, the github
# format, the checked-in examples/hardened/ and docs/rules.md, and the
# pre-commit, GitHub Action and GitLab command lines (tests/ci_recipes.py).
# Run from the repository root:
#   DD_BIN=$PWD/drydock DD_CORPUS=../shared/corpus sh tests/cli_flow.sh
. "${DD_SRCDIR:-.}/tests/clilib.sh"

ESC=$(printf '\033')

printf 'FROM alpine:3.22\nRUN apk add curl\n' > root.Dockerfile
printf 'FROM alpine:3.22\nUSER 10001\n' > clean.Dockerfile

want_grep() {  # want_grep STREAM TEXT: the stream contains TEXT
	grep -qF -- "$2" "$T/$1" && return 0
	why="std$1 does not contain '$2'"
	seen
	return 1
}

want_no() {  # want_no STREAM TEXT
	grep -qF -- "$2" "$T/$1" || return 0
	why="std$1 contains '$2'"
	seen
	return 1
}

# pty COMMAND: run a shell command line in a pseudo-terminal (script(1));
# what the terminal showed goes to $T/out, the status to $rc.
pty() {
	rc=0
	script -qec "$1" /dev/null > "$T/out" 2> "$T/err" < /dev/null || rc=$?
}

has() { command -v "$1" > /dev/null 2>&1; }

# ---------------------------------------------------------------- help

t_help_every_command() {
	run --help
	want_rc 0 || return 1
	for c in $(sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' "$T/out"); do
		n=$((${n:-0} + 1))
		run "$c" --help
		want_rc 0 && want_empty err || return 1
		case $(sed -n 1p "$T/out") in
		"usage: drydock $c"*) ;;
		*) why="drydock $c --help does not start with its usage"; seen; return 1 ;;
		esac
		want_grep out "Examples:" || return 1
	done
	[ "${n:-0}" -ge 5 ] || { why="drydock --help lists ${n:-0} commands"; return 1; }
}

t_unknown_command_hint() {
	run lnit
	want_rc 2 && want_stderr <<'EOF'
drydock: unknown command 'lnit' (did you mean 'lint'?)
Run 'drydock --help' for the list.
EOF
}

# No PATH and no ./Dockerfile: say what to give, then the read error.
t_no_dockerfile_hint() {
	mkdir -p nothing
	rc=0
	(cd nothing && "$BIN" lint) > "$T/out" 2> "$T/err" || rc=$?
	want_rc 2 && want_line err 1 "drydock: no Dockerfile in the current folder: name the file to check, or a folder to search ('.' for this one)" &&
		want_line out 1 "Dockerfile:1:1: error: No such file or directory" || return 1
	rc=0
	(cd nothing && "$BIN" fix) > "$T/out" 2> "$T/err" || rc=$?
	want_rc 2 && want_line err 1 "drydock: no Dockerfile in the current folder: name the file to check, or a folder to search ('.' for this one)"
}

t_version_verbose() {
	run --version -v
	want_rc 0 && want_lines out 2 && want_grep out "templates: $SRCDIR/templates (facts checked 20"
}

t_version_bad_templates() {
	rc=0
	DRYDOCK_TEMPLATES=$T/none "$BIN" --version -v > "$T/out" 2> "$T/err" || rc=$?
	want_rc 3 && want_grep out "templates: $T/none (cannot be used: "
}

# ---------------------------------------------------------------- github format

t_github_format() {
	run lint -f github root.Dockerfile
	want_rc 1 && want_line out 1 '::error file=root.Dockerfile,line=1,col=1,endLine=1,endColumn=4,title=DD101 root-user::the final stage runs as root: no USER instruction, and alpine:3.22 runs as root by default' &&
		want_grep out "1 file checked" &&
		run lint -q -f github root.Dockerfile && want_no out "file checked" &&
		run lint --help && want_grep out "github"
}

t_sarif_category() {
	run lint -f sarif --category api/docker root.Dockerfile
	want_rc 1 && want_grep out '"id": "api/docker/"' &&
		want_grep out '"helpUri": "https://github.com/drydock-dev/drydock/blob/main/docs/rules.md#dd101-root-user"'
}

# ---------------------------------------------------------------- man page

t_man_sections() {
	run explain --all --format man
	want_rc 0 && want_empty err || return 1
	cp "$T/out" drydock.1
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS RULES "EXIT STATUS" FILES ENVIRONMENT EXAMPLES; do
		grep -q "^\.SH \"\{0,1\}$s\"\{0,1\}$" drydock.1 || { why="no section $s"; return 1; }
	done
	for id in $("$BIN" explain --all --format md | sed -n 's/^| \(DD[0-9]*\) |.*/\1/p'); do
		grep -q "^\.SS \"$id " drydock.1 || { why="no rule $id in RULES"; return 1; }
	done
	for c in lint fix build runtime explain parse completion; do
		grep -q "^\.SS \"drydock $c" drydock.1 || { why="no command $c"; return 1; }
	done
	# every option of lint, from its --help, is in the page
	"$BIN" lint --help | sed -n 's/^  .*--\([a-z-]*\).*/\1/p' | while read -r o; do
		grep -qF -- "\\-\\-$o" drydock.1 || { echo "$o" > missing; break; }
	done
	[ ! -f missing ] || { why="lint option --$(cat missing) not in the page"; return 1; }
}

t_man_renders() {
	"$BIN" explain --all --format man > drydock.1
	groff -man -Tutf8 -ww -z drydock.1 > "$T/err" 2>&1
	want_empty err || return 1
	MANWIDTH=80 man -l drydock.1 > "$T/out" 2> "$T/err"
	want_grep out "drydock - find and fix the security weaknesses of Dockerfiles" &&
		want_grep out "DD101 root-user (error)" && want_grep out "DRYDOCK_TEMPLATES"
}

t_man_needs_all() {
	run explain --format man DD101
	want_rc 2 && want_line err 1 "drydock explain: --format man writes the whole manual page: give --all and no RULE"
}

# ---------------------------------------------------------------- completions

# bash_complete WORD...: COMPREPLY of the generated function for the words
# (the last one is being completed), one per line in $T/out.
bash_complete() {
	"$BIN" completion bash > comp.bash
	rc=0
	bash --norc -c '. ./comp.bash || exit 9
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _drydock
		printf "%s\n" "${COMPREPLY[@]}"' drydock "$@" > "$T/out" 2> "$T/err" || rc=$?
}

t_bash_completion() {
	bash_complete drydock li
	want_rc 0 && want_empty err && want_stdout <<'EOF' || return 1
lint
EOF
	bash_complete drydock lint --format s
	want_stdout <<'EOF' || return 1
sarif
EOF
	bash_complete drydock lint -f g
	want_stdout <<'EOF' || return 1
gitlab
github
EOF
	bash_complete drydock fix --only DD101,DD50
	want_stdout <<'EOF' || return 1
DD101,DD501
DD101,DD502
DD101,DD503
EOF
	bash_complete drydock explain root
	want_stdout <<'EOF' || return 1
root-user
EOF
	bash_complete drydock lint --color = al
	want_stdout <<'EOF' || return 1
always
EOF
	bash_complete drydock build --engine p
	want_stdout <<'EOF' || return 1
podman
EOF
	bash_complete drydock runtime -f k
	want_stdout <<'EOF' || return 1
kubernetes
EOF
	bash_complete drydock completion z
	want_stdout <<'EOF'
zsh
EOF
}

# zsh_tab LINE: what zsh completes LINE to, typed with a tab in a zpty
zsh_tab() {
	mkdir -p zfunc
	"$BIN" completion zsh > zfunc/_drydock
	cat > zt.zsh <<EOF
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'PS1="> "; fpath=($PWD/zfunc \$fpath); autoload -U compinit; compinit -u -D; print READY'
zpty -r z line '*READY*'
zpty -n -w z \$'$1\t'
sleep 1
out=
while zpty -r -t z chunk; do out+=\$chunk; done
print -r -- "\$out"
zpty -d z
EOF
	rc=0
	PATH=$(dirname "$BIN"):$PATH timeout 20 zsh -f zt.zsh > "$T/out" 2> "$T/err" || rc=$?
}

t_zsh_completion() {
	"$BIN" completion zsh > _drydock
	zsh -n _drydock 2> "$T/err" && want_empty err || return 1
	head -n 1 _drydock > "$T/out"
	want_stdout <<'EOF' || return 1
#compdef drydock
EOF
	zsh_tab 'drydock lint --for'
	want_grep out "drydock lint --format" || return 1
	zsh_tab 'drydock expl'
	want_grep out "drydock explain"
}

t_fish_completion() {
	"$BIN" completion fish > drydock.fish
	fish -n drydock.fish 2> "$T/err" && want_empty err || return 1
	rc=0
	fish --no-config -c 'source drydock.fish; complete -C "drydock li"; complete -C "drydock lint --format gi"; complete -C "drydock fix --skip DD101,DD50"' \
		> "$T/out" 2> "$T/err" || rc=$?
	want_rc 0 && want_grep out "$(printf 'lint\treport')" && want_grep out "$(printf 'github\t')" &&
		want_grep out "$(printf 'DD101,DD503\t')"
}

t_completion_usage() {
	run completion tcsh
	want_rc 2 && want_line err 1 "drydock completion: unknown shell 'tcsh': bash, zsh or fish" &&
		run completion && want_rc 2
}

# ---------------------------------------------------------------- make install

# The installed tree: make install into a DESTDIR with the PREFIX drydock
# was built with (no rebuild); the binary under test replaces the installed
# one when it is another build (make asan's).
install_tree() {
	[ -d "$T/root" ] && return 0
	make -s -C "$SRCDIR" install DESTDIR="$T/root" > "$T/install.log" 2>&1 || return 1
	IBIN=$(find "$T/root" -path '*/bin/drydock' -type f)
	IPREFIX=${IBIN%/bin/drydock}
	[ "$BIN" = "$SRCDIR/drydock" ] || cp "$BIN" "$IBIN"
}

t_install_layout() {
	if ! install_tree; then
		why="make install failed"
		cat "$T/install.log" >> "$T/detail"
		return 1
	fi
	for f in bin/drydock share/drydock/templates/images.json share/drydock/templates/users.json \
		share/drydock/templates/eol.json share/man/man1/drydock.1 \
		share/bash-completion/completions/drydock share/zsh/site-functions/_drydock \
		share/fish/vendor_completions.d/drydock.fish; do
		[ -f "$IPREFIX/$f" ] || { why="make install did not write $f"; return 1; }
	done
	[ -x "$IBIN" ] || { why="the installed binary is not executable"; return 1; }
}

# Run from a folder of its own: no templates/ around, no DRYDOCK_TEMPLATES.
t_install_runs_with_its_templates() {
	install_tree || { why="make install failed"; return 1; }
	mkdir -p "$T/elsewhere"
	cp "$SRCDIR/examples/Dockerfile" "$T/elsewhere/Dockerfile"
	rc=0
	(cd "$T/elsewhere" && env -u DRYDOCK_TEMPLATES "$IBIN" --version -v) > "$T/out" 2> "$T/err" || rc=$?
	want_rc 0 && want_line out 2 "templates: $IPREFIX/share/drydock/templates (facts checked $(sed -n 's/.*(facts checked \(.*\))/\1/p' "$T/out"))" || return 1
	rc=0
	(cd "$T/elsewhere" && env -u DRYDOCK_TEMPLATES "$IBIN" lint Dockerfile) > "$T/out" 2> "$T/err" || rc=$?
	# DD301 needs templates/images.json: the installed copy was read
	want_rc 1 && want_empty err && want_grep out "warning DD301 fat-base-image: the final stage is built on python:3.12, a full image: use python:3.12-slim"
}

# The lookup order: DRYDOCK_TEMPLATES, bin/../share/drydock/templates,
# templates/ beside the binary (then PREFIX's and the source tree's,
# tests/check_knowledge.c).
t_install_lookup_order() {
	install_tree || { why="make install failed"; return 1; }
	rm -rf "$T/moved"
	cp -R "$IPREFIX" "$T/moved"
	mkdir "$T/moved/bin/templates"
	cp "$SRCDIR"/templates/*.json "$T/moved/bin/templates/"
	rc=0
	DRYDOCK_TEMPLATES="$SRCDIR/templates" "$T/moved/bin/drydock" --version -v > "$T/out" 2> "$T/err" || rc=$?
	want_grep out "templates: $SRCDIR/templates " || return 1
	env -u DRYDOCK_TEMPLATES "$T/moved/bin/drydock" --version -v > "$T/out" 2> "$T/err" || rc=$?
	want_grep out "templates: $T/moved/share/drydock/templates " || return 1
	rm -rf "$T/moved/share/drydock"
	env -u DRYDOCK_TEMPLATES "$T/moved/bin/drydock" --version -v > "$T/out" 2> "$T/err" || rc=$?
	want_grep out "templates: $T/moved/bin/templates "
}

t_uninstall() {
	install_tree || { why="make install failed"; return 1; }
	make -s -C "$SRCDIR" uninstall DESTDIR="$T/root" > "$T/install.log" 2>&1 ||
		{ why="make uninstall failed"; cat "$T/install.log" >> "$T/detail"; return 1; }
	left=$(find "$T/root" -type f)
	[ -z "$left" ] || { why="make uninstall left $left"; return 1; }
	rm -rf "$T/root"
}

# ---------------------------------------------------------------- the .deb

DEB=
make_deb() {
	[ -n "$DEB" ] && return 0
	make -s -C "$SRCDIR" deb > "$T/deb.log" 2>&1 || return 1
	DEB=$SRCDIR/$(tail -n 1 "$T/deb.log")
	[ -f "$DEB" ]
}

t_deb_control() {
	make_deb || { why="make deb failed"; cat "$T/deb.log" >> "$T/detail"; return 1; }
	version=$("$BIN" --version | sed 's/^drydock //')
	[ "$(dpkg-deb -f "$DEB" Package)" = drydock ] &&
		[ "$(dpkg-deb -f "$DEB" Version)" = "$version" ] &&
		[ "$(dpkg-deb -f "$DEB" Architecture)" = "$(dpkg --print-architecture)" ] ||
		{ why="Package/Version/Architecture: $(dpkg-deb -f "$DEB" Package Version Architecture)"; return 1; }
	depends=$(dpkg-deb -f "$DEB" Depends)
	# the shared libraries the binary needs (make's STATIC_LIBS links
	# tree-sitter and jansson in), and libgit2, which it dlopens
	dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./usr/bin/drydock > deb-drydock
	needed=$(readelf -d deb-drydock | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	want="libc6 libgit2-"
	case $needed in *libjansson*) want="$want libjansson4" ;; esac
	case $needed in *libtree-sitter*) want="$want libtree-sitter0" ;; esac
	for p in $want; do
		case $depends in *"$p"*) ;; *) why="Depends ($depends) lacks $p"; return 1 ;; esac
	done
	# each dependency is satisfied here, a Debian 12 with the build's libraries
	echo "$depends" | tr ',' '\n' | while read -r dep; do
		name=${dep%% *}
		have=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null) || { echo "$name not installed" > unmet; break; }
		case $dep in *"(>="*)
			min=$(echo "$dep" | sed 's/.*(>= *\([^)]*\)).*/\1/')
			dpkg --compare-versions "$have" ge "$min" || { echo "$name $have < $min" > unmet; break; } ;;
		esac
	done
	[ ! -f unmet ] || { why="Depends not satisfied: $(cat unmet)"; return 1; }
	dpkg-deb --contents "$DEB" > "$T/out"
	for f in ./usr/bin/drydock ./usr/share/drydock/templates/images.json \
		./usr/share/man/man1/drydock.1.gz ./usr/share/bash-completion/completions/drydock \
		./usr/share/zsh/vendor-completions/_drydock ./usr/share/fish/vendor_completions.d/drydock.fish; do
		want_grep out " $f" || return 1
	done
	want_grep out "root/root" && want_no out "$SRCDIR"
}

# dpkg into a root of its own: the package unpacks and configures, and the
# binary there finds the templates beside it.
t_deb_dpkg_root() {
	make_deb || { why="make deb failed"; return 1; }
	r=$T/dpkgroot
	mkdir -p "$r/var/lib/dpkg/updates" "$r/var/lib/dpkg/info"
	: > "$r/var/lib/dpkg/status"
	rc=0
	dpkg --root="$r" --force-depends --force-script-chrootless -i "$DEB" > "$T/out" 2> "$T/err" || rc=$?
	want_rc 0 || return 1
	rc=0
	env -u DRYDOCK_TEMPLATES "$r/usr/bin/drydock" --version -v > "$T/out" 2> "$T/err" || rc=$?
	want_rc 0 && want_grep out "templates: $r/usr/share/drydock/templates " || return 1
	[ "$(dpkg-query --root="$r" -W -f='${Status}' drydock)" = "install ok installed" ] ||
		{ why="dpkg --root: drydock is not 'install ok installed'"; return 1; }
}

# For real, then purged: only as root, with DD_DEB_INSTALL=1 (CI sets it),
# when no drydock package is installed already.
DEB_INSTALLED=
t_deb_install() {
	make_deb || { why="make deb failed"; return 1; }
	DEB_INSTALLED=1
	rc=0
	dpkg -i "$DEB" > "$T/out" 2> "$T/err" || rc=$?
	want_rc 0 || return 1
	run_installed() { rc=0; env -u DRYDOCK_TEMPLATES /usr/bin/drydock "$@" > "$T/out" 2> "$T/err" || rc=$?; }
	run_installed --version -v
	want_rc 0 && want_grep out "templates: /usr/share/drydock/templates " || return 1
	run_installed lint "$SRCDIR/examples/Dockerfile"
	want_rc 1 && want_grep out "DD301 fat-base-image" || return 1
	# (Debian's container images keep dpkg from unpacking manual pages)
	if has man && [ -f /usr/share/man/man1/drydock.1.gz ]; then
		man -w drydock > "$T/out" 2>&1 && want_grep out /usr/share/man/man1/drydock.1.gz || return 1
	fi
	rc=0
	dpkg --purge drydock > "$T/out" 2> "$T/err" || rc=$?
	DEB_INSTALLED=
	want_rc 0 && [ ! -e /usr/bin/drydock ] || { why="dpkg --purge left /usr/bin/drydock"; return 1; }
}
trap '[ -z "$DEB_INSTALLED" ] || dpkg --purge drydock > /dev/null 2>&1; rm -rf "$T"' EXIT

# ---------------------------------------------------------------- the terminal

t_tty_colour() {
	pty "'$BIN' lint root.Dockerfile"
	want_rc 1 && want_grep out "${ESC}[1mroot.Dockerfile:1:1:${ESC}[0m ${ESC}[31merror${ESC}[0m DD101" &&
		want_grep out "  | ${ESC}[31m^${ESC}[0m" &&
		want_grep out "1 file checked, 2 findings (1 error, 0 warnings, 1 info), 1 fixable, in "
}

t_pipe_no_colour() {
	rc=0
	"$BIN" lint root.Dockerfile 2>&1 | cat > "$T/out" || rc=$?
	want_no out "$ESC" && want_grep out "root.Dockerfile:1:1: error DD101 root-user" &&
		want_grep out "1 file checked, 2 findings"
}

t_tty_never_and_no_color() {
	pty "'$BIN' lint --color=never root.Dockerfile"
	want_no out "$ESC" || return 1
	pty "NO_COLOR=1 '$BIN' lint root.Dockerfile"
	want_no out "$ESC" || return 1
	# no-color.org: an empty NO_COLOR is not set
	pty "NO_COLOR= '$BIN' lint root.Dockerfile"
	want_grep out "${ESC}[31merror" || return 1
	pty "NO_COLOR=1 '$BIN' lint --color=always root.Dockerfile"
	want_grep out "${ESC}[31merror"
}

# A batch of 40 files: the progress line shows on a terminal once the run is
# older than DRYDOCK_PROGRESS_AFTER_MS (1000 by default), then is erased.
t_progress_on_a_terminal() {
	mkdir -p batch
	for i in $(seq 1 40); do cp root.Dockerfile "batch/$i.Dockerfile"; done
	pty "DRYDOCK_PROGRESS_AFTER_MS=0 '$BIN' lint -j 1 batch > report.txt"
	want_rc 1 && want_grep out "$(printf '\rdrydock: 40 of 40 files checked')${ESC}[K" || return 1
	last=$(tail -c 4 "$T/out" | od -An -c | tr -s ' ')
	[ "$last" = " \\r 033 [ K" ] || { why="the line is not erased at the end ($last)"; seen; return 1; }
	want_no out "file checked" || return 1  # the report itself went to report.txt
	grep -q "^40 files checked" report.txt || { why="report.txt has no summary"; return 1; }
}

t_progress_not_in_pipes_nor_quick() {
	rc=0
	DRYDOCK_PROGRESS_AFTER_MS=0 "$BIN" lint batch > /dev/null 2> "$T/err" || rc=$?
	want_rc 1 && want_empty err || return 1
	pty "'$BIN' lint batch > report.txt"
	want_no out "files checked" || return 1
	pty "DRYDOCK_PROGRESS_AFTER_MS=0 '$BIN' lint -q batch > report.txt"
	want_no out "files checked"
}

# ---------------------------------------------------------------- checked-in outputs

t_examples_hardened() {
	for f in "$SRCDIR"/examples/Dockerfile "$SRCDIR"/examples/*.Dockerfile; do
		h=$SRCDIR/examples/hardened/$(basename "$f")
		[ -f "$h" ] || { why="no $h: run make docs"; return 1; }
		run fix -q "$f"
		want_rc 0 || return 1
		cmp -s "$T/out" "$h" || { why="$h is not drydock fix's output: run make docs"; diff -u "$h" "$T/out" | head -n 30 >> "$T/detail"; return 1; }
		run fix -q "$h"
		cmp -s "$T/out" "$h" || { why="fixing $h again changes it"; return 1; }
		run parse -q "$h"
		want_rc 0 || return 1
	done
	grep -q "examples/hardened/Dockerfile" "$SRCDIR/README.md" || { why="the README does not show the hardened example"; return 1; }
}

# The README's before/after diff, its finding counts and its table of peer
# ids are what drydock says today.
t_readme_current() {
	(cd "$SRCDIR" && "$BIN" fix -q --diff examples/Dockerfile) > "$T/want"
	sed -n '/^<!-- example-diff:/,/^```$/p' "$SRCDIR/README.md" | sed '1,2d;$d' > "$T/got"
	if ! cmp -s "$T/want" "$T/got"; then
		why="the README's diff is not drydock fix -q --diff examples/Dockerfile"
		diff -u "$T/got" "$T/want" | head -n 20 >> "$T/detail"
		return 1
	fi
	before=$("$BIN" lint "$SRCDIR/examples/Dockerfile" | sed -n 's/^1 file checked, \([0-9]*\) findings.*/\1/p')
	after=$("$BIN" lint "$SRCDIR/examples/hardened/Dockerfile" | sed -n 's/^1 file checked, \([0-9]*\) findings.*/\1/p')
	grep -q "^$before findings become $after " "$SRCDIR/README.md" ||
		{ why="the README does not say '$before findings become $after'"; return 1; }
	"$BIN" explain --all --format md > table.md
	sed -n '/^<!-- aliases:/,/^$/p' "$SRCDIR/README.md" | sed 1d | grep -o '[A-Za-z0-9_-]* → DD[0-9][0-9]*' > pairs
	[ -s pairs ] || { why="no alias table in the README"; return 1; }
	while read -r alias _ rule; do
		grep -q "^| $rule |.*[ :]$alias[,| ]" table.md || { echo "$alias → $rule" > bad; break; }
	done < pairs
	[ ! -f bad ] || { why="the README's alias $(cat bad) is not in the rules table"; return 1; }
}

t_docs_rules_current() {
	ids=$("$BIN" explain --all --format md | sed -n 's/^| \(DD[0-9]*\) |.*/\1/p')
	# shellcheck disable=SC2086 # a list of ids
	"$BIN" explain --format md $ids > "$T/want"
	sed -n '/^## /,$p' "$SRCDIR/docs/rules.md" > "$T/got"
	cmp -s "$T/want" "$T/got" && return 0
	why="docs/rules.md is not drydock explain --format md of every rule: run make docs"
	diff -u "$T/got" "$T/want" | head -n 20 >> "$T/detail"
	return 1
}

# ---------------------------------------------------------------- CI recipes

# recipe NAME: tests/ci_recipes.py NAME with the installed drydock first on PATH
recipe() {
	install_tree || { why="make install failed"; return 1; }
	rc=0
	PATH="$IPREFIX/bin:$PATH" python3 "$SRCDIR/tests/ci_recipes.py" "$SRCDIR" "$1" > "$T/out" 2> "$T/err" || rc=$?
	[ "$rc" -eq 0 ] && return 0
	why="$1 recipe failed"
	sed 's/^/  /' "$T/err" | head -n 30 >> "$T/detail"
	return 1
}

t_pre_commit() { recipe pre-commit; }
t_pre_commit_real() { recipe pre-commit-real; }
t_github_action() { recipe action; }
t_gitlab_ci() { recipe gitlab; }
t_readme_recipes() { recipe readme; }

# ---------------------------------------------------------------- run

check help-every-command t_help_every_command
check unknown-command-hint t_unknown_command_hint
check no-dockerfile-hint t_no_dockerfile_hint
check version-verbose t_version_verbose
check version-bad-templates t_version_bad_templates
check github-format t_github_format
check sarif-category t_sarif_category
check man-sections t_man_sections
if has groff && has man; then
	check man-renders t_man_renders
else
	skip man-renders "groff or man not found (apt-get install groff-base man-db)"
fi
check man-needs-all t_man_needs_all
if has bash; then check bash-completion t_bash_completion; else skip bash-completion "no bash"; fi
if has zsh; then check zsh-completion t_zsh_completion; else skip zsh-completion "zsh not found"; fi
if has fish; then check fish-completion t_fish_completion; else skip fish-completion "fish not found"; fi
check completion-usage t_completion_usage

check install-layout t_install_layout
check install-runs-with-its-templates t_install_runs_with_its_templates
check install-lookup-order t_install_lookup_order

if has dpkg-deb && has dpkg-query; then
	check deb-control t_deb_control
	check deb-dpkg-root t_deb_dpkg_root
	if [ "${DD_DEB_INSTALL:-0}" = 1 ] && [ "$(id -u)" = 0 ] && ! dpkg-query -W drydock > /dev/null 2>&1; then
		check deb-install t_deb_install
	else
		skip deb-install "a real dpkg -i needs root and DD_DEB_INSTALL=1 (and no drydock package installed)"
	fi
else
	skip deb "dpkg-deb not found"
fi

if has script; then
	check tty-colour t_tty_colour
	check tty-never-and-no-color t_tty_never_and_no_color
	check progress-on-a-terminal t_progress_on_a_terminal
	check progress-not-in-pipes-nor-quick t_progress_not_in_pipes_nor_quick
else
	skip tty "script(1) not found (apt-get install bsdutils)"
fi
check pipe-no-colour t_pipe_no_colour

check examples-hardened t_examples_hardened
check docs-rules-current t_docs_rules_current
check readme-current t_readme_current

if has python3 && python3 -c 'import yaml' 2> /dev/null && has git; then
	check pre-commit t_pre_commit
	if has pre-commit; then
		check pre-commit-real t_pre_commit_real
	else
		skip pre-commit-real "pre-commit not found (apt-get install pre-commit)"
	fi
	check github-action t_github_action
	check gitlab-ci t_gitlab_ci
	check readme-recipes t_readme_recipes
else
	skip ci-recipes "python3 with yaml (apt-get install python3-yaml) and git are needed"
fi
check uninstall t_uninstall

finish cli-flow
