#!/bin/sh
# End-to-end test of drydock's fixes with real engines: for each case under
# cases/ (or the cases named as arguments), build Dockerfile and
# fixed.Dockerfile with buildah and podman, run the images hardened, and
# check who they run as. With DRYDOCK set to a drydock that has `fix`,
# also compare `drydock fix cases/<case>/Dockerfile` to fixed.Dockerfile.
# Needs setup.sh first. Exit: 0 all passed, 1 a check failed, 2 setup.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$here/common.sh"

setup_fail() {
	say "e2e: setup problem: $*" >&2
	exit 2
}

# --- preconditions (exit 2) ----------------------------------------------
[ "$(id -u)" -eq 0 ] || setup_fail "must run as root"
for c in buildah podman; do
	command -v "$c" > /dev/null 2>&1 || setup_fail "no $c: run tests/e2e/setup.sh"
done
for i in "$IMG_DEBIAN" "$IMG_GCC" "$IMG_STATIC" "$IMG_BASE"; do
	podman image exists "$i" || setup_fail "no local image $i: run tests/e2e/setup.sh"
done
HELPER=$E2E_CACHE/bin/e2e-uid
[ -x "$HELPER" ] || setup_fail "no $HELPER: run tests/e2e/setup.sh"

fix=no
if [ -n "${DRYDOCK:-}" ]; then
	[ -x "$DRYDOCK" ] || setup_fail "DRYDOCK=$DRYDOCK is not an executable"
	if "$DRYDOCK" fix --help > /dev/null 2>&1; then
		fix=yes
	else
		say "skip fix comparison (no drydock fix)"
	fi
else
	say "skip fix comparison (DRYDOCK not set)"
fi

if [ $# -gt 0 ]; then
	cases=$*
else
	cases=$(cd "$here/cases" && ls)
fi
for c in $cases; do
	if [ ! -f "$here/cases/$c/Dockerfile" ] || [ ! -f "$here/cases/$c/fixed.Dockerfile" ]; then
		setup_fail "cases/$c lacks Dockerfile or fixed.Dockerfile"
	fi
done

# --- bookkeeping ----------------------------------------------------------
REPO=localhost/drydock-e2e
WORK=$(mktemp -d "${TMPDIR:-/tmp}/drydock-e2e.XXXXXX")
passed=0
failed=0

# Every image this runner tags is under $REPO; base images are not.
remove_ours() {
	podman images --format '{{.Repository}}:{{.Tag}}' 2> /dev/null |
		grep "^$REPO/" | while read -r img; do
		podman rmi -f "$img" > /dev/null 2>&1 || true
	done
}
cleanup() {
	remove_ours
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM
remove_ours  # left by an interrupted run

ok() {
	say "ok $case $*"
	passed=$((passed + 1))
}
fail() {  # fail WHAT REASON [LOG [head|tail]]: a FAIL line, then 15 log lines
	say "FAIL $case $1: $2"
	failed=$((failed + 1))
	if [ $# -gt 2 ] && [ -s "$3" ]; then
		"${4:-tail}" -n 15 "$3" | sed 's/^/    /'
	fi
}

# build ENGINE FILE TAG: build FILE in the case's context; log in $WORK/log.
# --pull=never: no registry here, and a missing base must fail, not hang.
# --layers=false: podman and buildah share the storage; with layers podman
# would reuse buildah's layers instead of running the steps itself.
build() {
	case $1 in
	buildah) set -- "$2" "$3" buildah bud ;;
	podman) set -- "$2" "$3" podman build ;;
	esac
	flags=$BUILD_FLAGS
	envs=$BUILD_ENV
	if [ "$1" = fixed.Dockerfile ]; then
		flags=$FIXED_BUILD_FLAGS
		envs=$FIXED_BUILD_ENV
	fi
	# shellcheck disable=SC2086 # word lists from case.conf
	env $envs "$3" "$4" --pull=never --layers=false --isolation=chroot --force-rm \
		$flags -f "$ctx/$1" -t "$2" "$ctx" > "$WORK/log" 2>&1
}

# uid_of IMAGE: run IMAGE hardened, print the uid its output reports.
uid_of() {
	podman run --rm --pull=never --network=none --read-only --cap-drop=ALL \
		--security-opt no-new-privileges "$1" > "$WORK/out" 2>&1 || return 1
	sed -n 's/^uid=\([0-9][0-9]*\).*/\1/p' "$WORK/out" | head -n 1
}

# check_run FILE ENGINE IMAGE EXPECTED: EXPECTED is a uid or "nonzero".
check_run() {
	what="run $1 ($2)"
	if ! uid=$(uid_of "$3"); then
		fail "$what" "podman run failed" "$WORK/out"
		return
	fi
	if [ -z "$uid" ]; then
		fail "$what" "no uid= in the output" "$WORK/out"
	elif [ "$4" = nonzero ] && [ "$uid" -eq 0 ]; then
		fail "$what" "runs as uid 0"
	elif [ "$4" != nonzero ] && [ "$uid" != "$4" ]; then
		fail "$what" "runs as uid $uid, expected $4"
	else
		ok "$what: uid $uid"
	fi
}

# secret_in IMAGE: is $SECRET in IMAGE's history, config or files? Where it
# is goes to $WORK/hits. Status 0 yes, 1 no, 2 cannot look.
secret_in() {
	{
		podman history --no-trunc --format '{{.CreatedBy}}' "$1"
		podman image inspect "$1"
	} > "$WORK/meta" 2>&1
	grep -F "$SECRET" "$WORK/meta" > "$WORK/hits" && return 0
	mnt=$(podman image mount "$1") || return 2
	found=1
	grep -r -l -F "$SECRET" "$mnt" 2> /dev/null | sed "s|^$mnt||" > "$WORK/hits"
	[ -s "$WORK/hits" ] && found=0
	podman image unmount "$1" > /dev/null 2>&1 || true
	return $found
}

# --- the cases --------------------------------------------------------------
for case in $cases; do
	dir=$here/cases/$case
	ORIG_UID='' FIXED_UID='' BUILD_FLAGS='' FIXED_BUILD_FLAGS='' BUILD_ENV='' FIXED_BUILD_ENV='' SECRET='' FIX_COMPARE=''
	FIX_ARGS=''
	if [ -f "$dir/case.conf" ]; then
		# shellcheck disable=SC1091 # one per case
		. "$dir/case.conf"
	fi

	# The context is a copy of the case folder plus the static helper, so
	# that nothing is built or downloaded into the source tree.
	ctx=$WORK/ctx-$case
	cp -R "$dir" "$ctx"
	cp "$HELPER" "$ctx/e2e-uid"

	if [ "$fix" = yes ] && [ "$FIX_COMPARE" = no ]; then
		say "skip $case fix comparison (case.conf: FIX_COMPARE=no)"
	elif [ "$fix" = yes ]; then
		# Run from tests/e2e so that paths in the output are the same
		# wherever the clone is.
		rc=0
		# shellcheck disable=SC2086 # FIX_ARGS is a word list
		(cd "$here" && "$DRYDOCK" fix $FIX_ARGS "cases/$case/Dockerfile") > "$WORK/fix.out" 2> "$WORK/fix.err" || rc=$?
		if [ "$rc" -ne 0 ]; then
			fail "drydock fix" "exit status $rc" "$WORK/fix.err"
		elif cmp -s "$WORK/fix.out" "$dir/fixed.Dockerfile"; then
			ok "drydock fix output = fixed.Dockerfile"
		else
			# The diff first: drydock's notes say what it did instead.
			{
				diff -u "$dir/fixed.Dockerfile" "$WORK/fix.out" | sed 1,2d
				sed 's/^/notes: /' "$WORK/fix.err"
			} > "$WORK/fix.diff"
			fail "drydock fix" "output differs from fixed.Dockerfile (diff -u expected actual)" "$WORK/fix.diff" head
		fi
	fi

	for file in Dockerfile fixed.Dockerfile; do
		if [ "$file" = Dockerfile ]; then
			kind=orig expect=$ORIG_UID
		else
			kind=fixed expect=${FIXED_UID:-nonzero}
		fi
		for engine in buildah podman; do
			img=$REPO/$case:$kind-$engine
			rc=0
			build "$engine" "$file" "$img" || rc=$?
			if [ "$rc" -ne 0 ]; then
				fail "build $file ($engine)" "$engine exit status $rc" "$WORK/log"
				continue
			fi
			ok "build $file ($engine)"
			if [ -n "$expect" ]; then
				check_run "$file" "$engine" "$img" "$expect"
			fi
			# The fix must hold whatever the expected uid: never root.
			if [ "$kind" = fixed ] && [ "$expect" != nonzero ] && [ "$expect" -eq 0 ]; then
				fail "run $file ($engine)" "case.conf expects uid 0 of a fixed image"
			fi
			if [ -n "$SECRET" ]; then
				rc=0
				secret_in "$img" || rc=$?
				if [ "$kind" = orig ] && [ "$rc" -eq 0 ]; then
					ok "secret leaks into $file image ($engine), as the case means"
				elif [ "$kind" = orig ]; then
					fail "secret in $file ($engine)" "token not found in the image: the case does not show the leak"
				elif [ "$rc" -eq 1 ]; then
					ok "secret absent from $file image ($engine): history, config, files"
				elif [ "$rc" -eq 0 ]; then
					fail "secret in $file ($engine)" "token found in the image" "$WORK/hits"
				else
					fail "secret in $file ($engine)" "cannot mount the image"
				fi
			fi
		done
	done
	rm -rf "$ctx"
	remove_ours  # vfs images are full copies: free the disk as we go
done

say "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || exit 1
