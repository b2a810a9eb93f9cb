# Shared by the CLI test scripts (tests/cli*.sh), which source it: locate the
# binary and the corpus, make a work folder, and the check/want helpers.
# Environment: DD_BIN (the drydock binary), DD_CORPUS, DD_SRCDIR.
set -eu
LC_ALL=C
export LC_ALL
unset NO_COLOR 2>/dev/null || :

abspath() {  # abspath PATH: PATH made absolute (it must exist)
	(cd "$1" && pwd)
}

BIN=${DD_BIN:-./drydock}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if [ ! -x "$BIN" ]; then
	echo "cli: $BIN is not executable (build it with 'make drydock' or set DD_BIN)" >&2
	exit 1
fi
SRCDIR=$(abspath "${DD_SRCDIR:-.}")
CORPUS=${DD_CORPUS:-$SRCDIR/../shared/corpus}
if [ ! -d "$CORPUS" ]; then
	echo "cli: corpus folder $CORPUS not found (set DD_CORPUS)" >&2
	exit 1
fi
CORPUS=$(abspath "$CORPUS")
BKCASES=$CORPUS/conformance/moby__buildkit/frontend/dockerfile/parser

T=$(mktemp -d "${TMPDIR:-/tmp}/drydock-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
# Files live in a work folder so that messages name them by short relative paths.
mkdir "$T/w"
cd "$T/w"

npass=0
nfail=0
nskip=0
failed=

# check NAME FUNCTION: run one check; FUNCTION returns non-zero and sets $why
# (and may write $T/detail) on failure.
check() {
	name=$1
	shift
	why=
	: > "$T/detail"
	if "$@"; then
		npass=$((npass + 1))
		echo "ok   $name"
	else
		nfail=$((nfail + 1))
		failed="$failed $name"
		echo "FAIL $name: $why"
		sed 's/^/     | /' "$T/detail"
	fi
}

skip() {  # skip NAME REASON
	nskip=$((nskip + 1))
	echo "skip $1: $2"
}

# run ARGS...: run drydock; stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	rc=0
	"$BIN" "$@" > "$T/out" 2> "$T/err" < /dev/null || rc=$?
}

# run_in FILE ARGS...: the same with standard input read from FILE.
run_in() {
	f=$1
	shift
	rc=0
	"$BIN" "$@" > "$T/out" 2> "$T/err" < "$f" || rc=$?
}

seen() {  # seen: add what the command printed to the failure detail
	{
		echo "exit status: $rc"
		echo "stdout:"
		head -n 20 "$T/out"
		echo "stderr:"
		head -n 20 "$T/err"
	} >> "$T/detail"
}

want_rc() {  # want_rc N
	[ "$rc" -eq "$1" ] && return 0
	why="exit status $rc, wanted $1"
	seen
	return 1
}

want_rc_nonzero() {
	[ "$rc" -ne 0 ] && return 0
	why="exit status 0, wanted a failure"
	seen
	return 1
}

# want_file STREAM: $T/STREAM (out or err) must equal standard input byte for byte.
want_file() {
	cat > "$T/want"
	cmp -s "$T/want" "$T/$1" && return 0
	why="std$1 differs from the expectation (- wanted, + seen)"
	diff -u "$T/want" "$T/$1" | sed '1,2d' | head -n 40 >> "$T/detail" || :
	return 1
}

want_stdout() { want_file out; }
want_stderr() { want_file err; }

want_empty() {  # want_empty out|err
	[ ! -s "$T/$1" ] && return 0
	why="std$1 should be empty"
	seen
	return 1
}

want_line() {  # want_line out|err N TEXT: line N of the stream is exactly TEXT
	got=$(sed -n "$2p" "$T/$1")
	[ "$got" = "$3" ] && return 0
	why="line $2 of std$1 is '$got', wanted '$3'"
	seen
	return 1
}

want_last_line() {  # want_last_line out|err TEXT
	got=$(tail -n 1 "$T/$1")
	[ "$got" = "$2" ] && return 0
	why="last line of std$1 is '$got', wanted '$2'"
	seen
	return 1
}

want_lines() {  # want_lines out|err N: the stream has exactly N lines
	got=$(wc -l < "$T/$1" | tr -d ' ')
	[ "$got" -eq "$2" ] && return 0
	why="std$1 has $got lines, wanted $2"
	seen
	return 1
}

# finish NAME: print the tally; exit 1 if any check failed.
finish() {
	if [ "$nfail" -ne 0 ]; then
		echo "$1: $nfail failed:$failed; $npass passed" >&2
		exit 1
	fi
	echo "$1: $npass passed"
}
