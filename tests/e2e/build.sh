#!/bin/sh
# End-to-end test of `drydock build` and `drydock runtime` with the real
# engines of this machine: for buildah and for podman, drydock build must
#   - refuse a Dockerfile with a secret ENV before building (no image made),
#   - build a clean one, and pass its image checks,
#   - with --fix, build a root Dockerfile into an image whose Config.User
#     is non-root (the user's file untouched, no temporary file left),
#   - catch a secret passed through --build-arg into ENV (DD602),
#   - report an engine failure with exit status 3;
# and a container started with exactly the flags `drydock runtime` prints
# must run with a read-only root (a write outside the tmpfs fails with
# EROFS), a writable /tmp, CapEff 0 (only NET_BIND_SERVICE when a port
# below 1024 is exposed) and the uid of its USER. The Kubernetes output
# must parse as YAML with every field. Needs setup.sh first (it builds
# e2e-probe). Exit: 0 all passed, 1 a check failed, 2 setup.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$here/common.sh"

setup_fail() {
	say "e2e-build: setup problem: $*" >&2
	exit 2
}

[ "$(id -u)" -eq 0 ] || setup_fail "must run as root"
for c in buildah podman; do
	command -v "$c" > /dev/null 2>&1 || setup_fail "no $c: run tests/e2e/setup.sh"
done
podman image exists "$IMG_DEBIAN" || setup_fail "no local image $IMG_DEBIAN: run tests/e2e/setup.sh"
PROBE=$E2E_CACHE/bin/e2e-probe
[ -x "$PROBE" ] || setup_fail "no $PROBE: run tests/e2e/setup.sh"
[ -n "${DRYDOCK:-}" ] && [ -x "$DRYDOCK" ] || setup_fail "DRYDOCK must name the drydock binary"

REPO=localhost/drydock-e2e-build
WORK=$(mktemp -d "${TMPDIR:-/tmp}/drydock-e2e-build.XXXXXX")
passed=0
failed=0

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
remove_ours

ok() {
	say "ok $engine $*"
	passed=$((passed + 1))
}
fail() {  # fail WHAT REASON [LOG]
	say "FAIL $engine $1: $2"
	failed=$((failed + 1))
	if [ $# -gt 2 ] && [ -s "$3" ]; then
		tail -n 15 "$3" | sed 's/^/    /'
	fi
}

# --- the inputs: one context, several Dockerfiles ----------------------------
ctx=$WORK/ctx
mkdir -p "$ctx" "$WORK/tmp"
cp "$PROBE" "$ctx/e2e-probe"
TOKEN=ghp_E2eFakeTokenForDrydockBuildTests0000
# A literal secret in ENV: the gate refuses it.
printf 'FROM %s\nENV API_TOKEN=%s\nUSER 10001:10001\nCMD ["id"]\n' "$IMG_DEBIAN" "$TOKEN" > "$ctx/secret.Dockerfile"
# Clean: non-root, nothing secret.
printf 'FROM %s\nRUN echo clean > /clean\nUSER 10001:10001\nCMD ["id"]\n' "$IMG_DEBIAN" > "$ctx/clean.Dockerfile"
# Root: no USER; --fix adds one.
printf 'FROM %s\nRUN echo built > /built\nCMD ["id"]\n' "$IMG_DEBIAN" > "$ctx/root.Dockerfile"
cp "$ctx/root.Dockerfile" "$WORK/root.orig"
# A harmless-looking ENV filled from a build argument: only the image shows the secret.
printf 'FROM %s\nARG APP_CONFIG\nENV APP_CONFIG=$APP_CONFIG\nUSER 10001:10001\nCMD ["id"]\n' "$IMG_DEBIAN" > "$ctx/argenv.Dockerfile"
# A failing step.
printf 'FROM %s\nRUN exit 7\nUSER 10001:10001\n' "$IMG_DEBIAN" > "$ctx/broken.Dockerfile"
# The runtime case: a user made by name, a folder it owns (writable but for
# --read-only), a VOLUME, and the port from a build argument.
cat > "$ctx/runtime.Dockerfile" <<EOF
FROM $IMG_DEBIAN
RUN groupadd -g 10001 app && useradd -u 10001 -g app -M -d /nonexistent -s /usr/sbin/nologin app && mkdir /srv/app && chown 10001:10001 /srv/app
COPY e2e-probe /usr/local/bin/e2e-probe
ARG PORT=8080
EXPOSE \$PORT
VOLUME /srv/cache
USER app
CMD ["/usr/local/bin/e2e-probe", "/srv/app", "/tmp", "/srv/cache"]
EOF

FLAGS="--pull=never --layers=false --isolation=chroot --force-rm"

# drydock_build NAME DRYDOCK-OPTS... -- ENGINE-ARGS...: log in $WORK/NAME.log, status in $rc
drydock_build() {
	log=$WORK/$1.log
	shift
	rc=0
	# shellcheck disable=SC2086 # FLAGS is a word list
	TMPDIR=$WORK/tmp "$DRYDOCK" build --engine "$engine" "$@" > "$log" 2>&1 || rc=$?
}

exists() {
	podman image exists "$1"
}

user_of() {
	podman image inspect --format '{{.Config.User}}' "$1" 2> /dev/null
}

tmp_clean() {
	[ -z "$(ls -A "$WORK/tmp")" ]
}

# --- per engine ---------------------------------------------------------------
for engine in buildah podman; do
	img=$REPO/$engine

	# shellcheck disable=SC2086
	drydock_build secret -- $FLAGS -t "$img:secret" -f "$ctx/secret.Dockerfile" "$ctx"
	if [ "$rc" -ne 1 ]; then
		fail "refuses a secret ENV" "exit status $rc, wanted 1" "$log"
	elif exists "$img:secret"; then
		fail "refuses a secret ENV" "the image was built"
	elif ! grep -q "error DD201 secret-env" "$log" || grep -qF "$TOKEN" "$log"; then
		fail "refuses a secret ENV" "no DD201, or the token is shown" "$log"
	else
		ok "refuses a secret ENV before building (DD201, exit 1, no image)"
	fi

	# shellcheck disable=SC2086
	drydock_build clean -- $FLAGS -t "$img:clean" -f "$ctx/clean.Dockerfile" "$ctx"
	if [ "$rc" -ne 0 ] || ! exists "$img:clean"; then
		fail "builds a clean Dockerfile" "exit status $rc" "$log"
	elif ! grep -q "passed its checks" "$log"; then
		fail "builds a clean Dockerfile" "no image check verdict" "$log"
	else
		ok "builds a clean Dockerfile; image checks pass (user $(user_of "$img:clean"))"
	fi

	# shellcheck disable=SC2086
	drydock_build fix --fix -- $FLAGS -t "$img:fixed" -f "$ctx/root.Dockerfile" "$ctx"
	user=$(user_of "$img:fixed" || :)
	if [ "$rc" -ne 0 ]; then
		fail "--fix builds a root Dockerfile" "exit status $rc" "$log"
	elif [ -z "$user" ] || [ "${user%%:*}" = 0 ] || [ "${user%%:*}" = root ]; then
		fail "--fix builds a root Dockerfile" "Config.User is '$user'" "$log"
	elif ! cmp -s "$ctx/root.Dockerfile" "$WORK/root.orig"; then
		fail "--fix builds a root Dockerfile" "the user's Dockerfile changed"
	elif ! tmp_clean; then
		fail "--fix builds a root Dockerfile" "left in TMPDIR: $(ls -A "$WORK/tmp")"
	else
		ok "--fix builds root.Dockerfile into an image with Config.User $user; the file is untouched, no temporary file left"
	fi

	# shellcheck disable=SC2086
	drydock_build argenv -- $FLAGS -t "$img:argenv" --build-arg "APP_CONFIG=$TOKEN" -f "$ctx/argenv.Dockerfile" "$ctx"
	if [ "$rc" -ne 1 ]; then
		fail "image check: secret from --build-arg in ENV" "exit status $rc, wanted 1" "$log"
	elif ! grep -q "error DD602 image-secret-env: the image's environment variable APP_CONFIG holds a secret" "$log"; then
		fail "image check: secret from --build-arg in ENV" "no DD602" "$log"
	elif grep -qF "$TOKEN" "$log"; then
		fail "image check: secret from --build-arg in ENV" "the token is shown" "$log"
	else
		ok "image check catches the --build-arg secret in ENV (DD602, redacted, exit 1)"
	fi

	# shellcheck disable=SC2086
	drydock_build broken -- $FLAGS -t "$img:broken" -f "$ctx/broken.Dockerfile" "$ctx"
	if [ "$rc" -ne 3 ] || ! grep -q "drydock build: $engine [a-z]* failed (exit status [0-9]*)" "$log"; then
		fail "engine failure" "exit status $rc, wanted 3 with the engine's status" "$log"
	elif ! tmp_clean; then
		fail "engine failure" "left in TMPDIR: $(ls -A "$WORK/tmp")"
	else
		ok "engine failure: exit 3, $(grep -o "$engine [a-z]* failed (exit status [0-9]*)" "$log")"
	fi

	# shellcheck disable=SC2086
	drydock_build runtime -- $FLAGS -t "$img:runtime" -f "$ctx/runtime.Dockerfile" "$ctx"
	if [ "$rc" -ne 0 ]; then
		fail "build the runtime image" "exit status $rc" "$log"
		continue
	fi
	for port in 8080 80; do
		flags=$("$DRYDOCK" runtime --build-arg "PORT=$port" "$ctx/runtime.Dockerfile" 2> "$WORK/runtime.err") || {
			fail "drydock runtime" "exit status $?" "$WORK/runtime.err"
			continue
		}
		# exactly the printed flags (eval: they are shell words), plus what a test run needs
		out=$WORK/probe.out
		if ! eval "podman run --rm --pull=never --network=none $flags $img:runtime" > "$out" 2>&1; then
			fail "run with: $flags" "podman run failed" "$out"
			continue
		fi
		capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' "$out")
		want_cap=0000000000000000
		[ "$port" -lt 1024 ] && want_cap=0000000000000400 # NET_BIND_SERVICE only
		if ! grep -q '^uid=10001 ' "$out"; then
			fail "run (EXPOSE $port)" "not uid 10001 (USER app)" "$out"
		elif ! grep -qx 'write /srv/app: EROFS' "$out"; then
			fail "run (EXPOSE $port)" "the root filesystem is writable" "$out"
		elif ! grep -qx 'write /tmp: ok' "$out" || ! grep -qx 'write /srv/cache: ok' "$out"; then
			fail "run (EXPOSE $port)" "a tmpfs is not writable" "$out"
		elif [ "$capeff" != "$want_cap" ]; then
			fail "run (EXPOSE $port)" "CapEff is $capeff, wanted $want_cap" "$out"
		else
			ok "run with exactly '$flags': uid 10001, / read-only (EROFS), /tmp and the VOLUME writable, CapEff $capeff"
		fi
	done
	remove_ours
done

# --- the Kubernetes output -----------------------------------------------------
engine=any
if "$DRYDOCK" runtime -f kubernetes --image "$REPO/x:1" "$ctx/runtime.Dockerfile" > "$WORK/k8s.yaml" 2> "$WORK/k8s.err" &&
	python3 - "$WORK/k8s.yaml" > "$WORK/k8s.check" 2>&1 <<'EOF'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))["spec"]
c = spec["containers"][0]
sc = c["securityContext"]
assert sc == {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001,
              "readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
              "capabilities": {"drop": ["ALL"]},
              "seccompProfile": {"type": "RuntimeDefault"}}, sc
assert sorted(m["mountPath"] for m in c["volumeMounts"]) == ["/srv/cache", "/tmp"]
assert all(v["emptyDir"] == {"medium": "Memory"} for v in spec["volumes"])
assert {v["name"] for v in spec["volumes"]} == {m["name"] for m in c["volumeMounts"]}
EOF
then
	ok "drydock runtime -f kubernetes parses as YAML with every field"
else
	cat "$WORK/k8s.err" >> "$WORK/k8s.check"
	fail "kubernetes output" "not the expected YAML" "$WORK/k8s.check"
fi

say "e2e-build: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || exit 1
