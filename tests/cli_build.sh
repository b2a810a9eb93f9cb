#!/bin/sh
# CLI tests of `drydock build` and `drydock runtime`. `build` runs against
# fake engines (shell scripts named docker, podman, buildah, trivy on a
# private PATH) that log their arguments and answer `inspect` from files,
# so every path — gate, fix, engine failure, signals, image checks, scan —
# is checked without a container; tests/e2e/build.sh does the real builds.
# `runtime` output is checked exactly, and its YAML with python3's yaml.
# Run from the repository root:
#   DD_BIN=$PWD/drydock DD_CORPUS=../shared/corpus sh tests/cli_build.sh
. "${DD_SRCDIR:-.}/tests/clilib.sh"

F=$T/fake        # what the fake engines log and read
mkdir -p "$T/tmp" "$T/empty"

# The fake engine: logs "<name> <args>", plays a build (writes the
# iidfile, copies the Dockerfile it got), answers inspect/history from
# $F/inspect.json and $F/history.txt; $F/conf may set BUILD_RC, SLEEP,
# INSPECT_RC, TRIVY_RC.
cat > "$T/engine" <<'EOF'
#!/bin/sh
PATH=/usr/bin:/bin
F=$FAKE_DIR
[ -f "$F/conf" ] && . "$F/conf"
me=$(basename "$0")
printf '%s %s\n' "$me" "$*" >> "$F/log"
if [ "$me" = trivy ]; then
	exit "${TRIVY_RC:-0}"
fi
case $1 in
build | bud)
	shift
	iid= file=
	while [ $# -gt 0 ]; do
		case $1 in
		--iidfile) iid=$2; shift ;;
		-f) file=$2; shift ;;
		esac
		shift
	done
	if [ -n "$file" ]; then
		cp "$file" "$F/built"
		ls -a "$(dirname "$file")" > "$F/beside"
	fi
	echo "STEP 1/1: fake build"
	if [ -n "${SLEEP:-}" ]; then
		trap 'echo "engine got TERM" >> "$F/log"; exit 143' TERM
		: > "$F/started"
		sleep "$SLEEP" &
		wait $!
	fi
	[ "${BUILD_RC:-0}" -eq 0 ] || exit "$BUILD_RC"
	[ -z "$iid" ] || printf 'sha256:fakeid\n' > "$iid"
	;;
image)
	case $2 in
	inspect) cat "$F/inspect.json"; exit "${INSPECT_RC:-0}" ;;
	history) cat "$F/history.txt" ;;
	esac
	;;
inspect) cat "$F/inspect.json"; exit "${INSPECT_RC:-0}" ;;
save) echo archive > "$4" ;;
push) echo archive > "${5#docker-archive:}" ;;
esac
exit 0
EOF

fake() {  # fake NAME...: these engines (and only these) are on the private PATH
	rm -rf "${T:?}/bin"
	mkdir -p "$T/bin"
	for n in "$@"; do
		cp "$T/engine" "$T/bin/$n"
		chmod +x "$T/bin/$n"
	done
}

# image JSON as podman prints it: user, environment, history
podman_json() {  # podman_json USER ENV-JSON-LIST HISTORY-JSON-LIST
	printf '[{"Id":"fakeid","Config":{"User":"%s","Env":[%s]},"History":[%s]}]\n' "$1" "$2" "$3" > "$F/inspect.json"
}

reset() {  # a fresh fake: podman only, a clean image
	rm -rf "$F" "$T/tmp"
	mkdir -p "$F" "$T/tmp"
	: > "$F/log"
	: > "$F/history.txt"
	fake podman
	podman_json "10001:10001" '"PATH=/usr/bin"' '{"created_by":"/bin/sh -c #(nop) USER 10001:10001"}'
}

# drun ARGS...: drydock with the fakes' PATH and a private TMPDIR.
drun() {
	rc=0
	env PATH="${FAKEPATH:-$T/bin}" TMPDIR="$T/tmp" FAKE_DIR="$F" "$BIN" "$@" > "$T/out" 2> "$T/err" < /dev/null || rc=$?
}

want_has() {  # want_has FILE TEXT
	if ! grep -qF -- "$2" "$1"; then
		why="$(basename "$1") lacks '$2'"
		seen
		sed 's/^/log: /' "$F/log" >> "$T/detail"
		return 1
	fi
}

want_no() {  # want_no FILE TEXT
	if grep -qF -- "$2" "$1"; then
		why="$(basename "$1") contains '$2'"
		seen
		return 1
	fi
}

want_log_line() {  # want_log_line N REGEX: line N of the engines' log matches
	got=$(sed -n "$1p" "$F/log")
	if ! printf '%s\n' "$got" | grep -qE -- "$2"; then
		why="log line $1 is '$got', wanted /$2/"
		seen
		return 1
	fi
}

want_clean_tmp() {  # nothing left in TMPDIR
	if [ -n "$(ls -A "$T/tmp")" ]; then
		why="left in TMPDIR: $(ls -A "$T/tmp" | tr '\n' ' ')"
		return 1
	fi
}

TOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5
NPM=npm_E2eFakeTokenForDrydockTests00000000

printf 'FROM debian:bookworm-slim\nRUN echo hi\nUSER 10001:10001\nCMD ["id"]\n' > clean.Dockerfile
printf 'FROM debian:bookworm-slim\nRUN echo built > /built\nCMD ["id"]\n' > root.Dockerfile
printf 'FROM debian:bookworm-slim\nENV API_TOKEN=%s\nUSER 10001\n' "$TOKEN" > secret.Dockerfile
printf 'FROM debian:bookworm-slim\nARG NPM_TOKEN\nRUN test -n "$NPM_TOKEN" && echo ok\nUSER 10001:10001\n' > arg.Dockerfile
mkdir -p sub
cp root.Dockerfile sub/Dockerfile
cp root.Dockerfile root.orig
cp clean.Dockerfile Dockerfile

# ---------------------------------------------------------------- build: the path through

T_ID='^podman build --iidfile [^ ]*/drydock-build\.[^/ ]*/iid'

t_build_clean() {
	reset
	drun build --engine podman -- -t app:1 -f clean.Dockerfile .
	want_rc 0 && want_log_line 1 "$T_ID -t app:1 -f clean.Dockerfile \.\$" &&
		want_log_line 2 '^podman image inspect sha256:fakeid$' &&
		want_has "$T/out" "STEP 1/1: fake build" &&
		want_has "$T/err" "drydock build: the image app:1 passed its checks (user, environment, history)" &&
		want_clean_tmp
}

# the command line drydock prints never shows a secret build argument
t_build_args_redacted() {
	reset
	drun build --engine podman -- --build-arg "APP_CONFIG=$TOKEN" -f clean.Dockerfile .
	want_rc 0 && want_has "$T/err" "drydock build: running: podman build --iidfile" &&
		want_has "$T/err" "APP_CONFIG=ghp_****" && want_no "$T/err" "$TOKEN" && want_has "$F/log" "APP_CONFIG=$TOKEN"
}

t_build_gate_refuses() {
	reset
	drun build --engine podman -- -f secret.Dockerfile .
	want_rc 1 && want_empty out && want_has "$T/err" "error DD201 secret-env" &&
		want_has "$T/err" "drydock build: not built: findings at or above error" &&
		want_no "$T/err" "$TOKEN" || return 1
	[ ! -s "$F/log" ] || { why="the engine ran"; return 1; }
	want_clean_tmp
}

t_build_gate_threshold() {
	reset
	drun build --engine podman --severity-threshold none -- -f secret.Dockerfile .
	want_rc 0 && want_log_line 1 "$T_ID -f secret.Dockerfile \.\$" || return 1
	reset
	drun build --engine podman --severity-threshold info -- -f clean.Dockerfile .
	want_rc 1 && want_has "$T/err" "info DD304 no-digest"
}

t_build_fix() {
	reset
	drun build --engine podman --fix -- -t app -f root.Dockerfile .
	want_rc 0 && want_log_line 1 '^podman build -f [^ ]*/drydock-build\.[^/ ]*/root\.Dockerfile --iidfile [^ ]*/iid -t app \.$' &&
		want_has "$F/built" "USER 10001:10001" &&
		want_has "$T/err" "root.Dockerfile:1: DD101 root-user: created user app (10001:10001)" &&
		want_has "$T/err" "(yours is untouched)" && want_clean_tmp || return 1
	cmp -s root.Dockerfile root.orig || { why="the user's Dockerfile changed"; return 1; }
}

# -f inside a group of short options, and a context left implicit (podman: the file's folder)
t_build_fix_forms() {
	reset
	drun build --engine podman --fix -- -qf root.Dockerfile .
	want_rc 0 && want_log_line 1 '^podman build -f [^ ]*/root\.Dockerfile --iidfile [^ ]*/iid -q \.$' || return 1
	reset
	drun build --engine podman --fix -- --file=sub/Dockerfile
	want_rc 0 && want_log_line 1 '^podman build -f [^ ]*/Dockerfile --iidfile [^ ]*/iid sub$'
}

t_build_fix_dockerignore() {
	reset
	printf 'secret.env\n' > root.Dockerfile.dockerignore
	drun build --engine podman --fix -- -f root.Dockerfile .
	rm -f root.Dockerfile.dockerignore
	want_rc 0 && want_has "$F/beside" "root.Dockerfile.dockerignore" && want_clean_tmp
}

t_build_fix_secret_flags() {
	reset
	drun build --engine podman --fix -- -f arg.Dockerfile .
	want_rc 0 && want_has "$T/err" "the fixed Dockerfile needs --secret id=npm_token,env=NPM_TOKEN" &&
		want_has "$F/built" "--mount=type=secret,id=npm_token" && want_has "$F/built" "/run/secrets/npm_token" || return 1
	# docker takes env= on the mount; a --secret given already is not asked for
	reset
	fake docker
	printf '[{"Config":{"User":"10001:10001"}}]\n' > "$F/inspect.json"
	drun build --engine docker --fix -- --secret id=npm_token,env=NPM_TOKEN -f arg.Dockerfile .
	want_rc 0 && want_has "$T/err" "the fixed Dockerfile needs --secret id=npm_token,env=NPM_TOKEN (given)" &&
		want_no "$T/err" "give it after" && want_has "$F/built" "--mount=type=secret,id=npm_token,env=NPM_TOKEN"
}

# ---------------------------------------------------------------- build: the image checks

t_build_image_root() {
	reset
	podman_json "" '"PATH=/usr/bin"' ''
	drun build --engine podman -- -t app:1 -f clean.Dockerfile .
	want_rc 1 && want_has "$T/err" "app:1: error DD601 image-root-user: the image runs as root: Config.User is empty" &&
		want_has "$T/err" "drydock build: the image app:1 was built but fails its checks" && want_clean_tmp
}

t_build_image_user_name() {
	reset
	podman_json "app" '' ''
	drun build --engine podman -- -f clean.Dockerfile .
	want_rc 0 && want_has "$T/err" "sha256:fakeid: warning DD601 image-root-user: the image runs as the user 'app', a name"
}

t_build_image_env() {
	reset
	podman_json "10001" "\"PATH=/usr/bin\",\"APP_CONFIG=$TOKEN\"" ''
	drun build --engine podman -- -t app:1 -f clean.Dockerfile .
	want_rc 1 && want_has "$T/err" "app:1: error DD602 image-secret-env: the image's environment variable APP_CONFIG holds a secret: GitHub token (ghp_****)" &&
		want_no "$T/err" "$TOKEN"
}

t_build_image_history() {
	reset
	podman_json "10001" '' "{\"created_by\":\"|1 NPM_TOKEN=$NPM /bin/sh -c npm ci\"}"
	drun build --engine podman -- -t app:1 -f clean.Dockerfile .
	want_rc 1 && want_has "$T/err" "error DD603 image-secret-history: history entry 1 holds a secret" &&
		want_has "$T/err" '`|1 NPM_TOKEN=npm_**** /bin/sh -c npm ci`' && want_no "$T/err" "$NPM"
}

t_build_image_config() {
	reset
	podman_json "" '' ''
	printf '{"ignore": ["DD601"]}\n' > .drydock.json
	drun build --engine podman -- -f clean.Dockerfile .
	rm -f .drydock.json
	want_rc 0 && want_no "$T/err" "DD601"
}

t_build_buildah() {
	reset
	fake buildah
	printf '{"OCIv1":{"config":{"User":"0","Env":[]},"history":[]},"Docker":{"config":{}}}\n' > "$F/inspect.json"
	drun build -- -t app -f clean.Dockerfile .
	want_rc 1 && want_log_line 1 '^buildah bud --iidfile [^ ]*/iid -t app -f clean.Dockerfile \.$' &&
		want_log_line 2 '^buildah inspect --type image sha256:fakeid$' &&
		want_has "$T/err" "error DD601 image-root-user: the image runs as root: Config.User is '0'"
}

t_build_docker() {
	reset
	fake docker podman buildah
	printf '[{"Id":"sha256:fakeid","Config":{"User":"10001","Env":null}}]\n' > "$F/inspect.json"
	printf '"RUN |1 NPM_TOKEN=%s /bin/sh -c npm ci # buildkit"\n"USER 10001"\n' "$NPM" > "$F/history.txt"
	drun build -- -t app .
	want_rc 1 && want_log_line 1 '^docker build --iidfile [^ ]*/iid -t app \.$' &&
		want_log_line 3 '^docker image history --no-trunc --format \{\{json \.CreatedBy\}\} sha256:fakeid$' &&
		want_has "$T/err" "error DD603 image-secret-history"
}

# ---------------------------------------------------------------- build: failures

t_build_engine_fails() {
	reset
	echo BUILD_RC=2 > "$F/conf"
	drun build --engine podman --fix -- -f root.Dockerfile .
	want_rc 3 && want_has "$T/err" "drydock build: podman build failed (exit status 2)" || return 1
	[ "$(wc -l < "$F/log")" -eq 1 ] || { why="inspected after a failed build"; return 1; }
	want_clean_tmp
}

t_build_inspect_fails() {
	reset
	echo INSPECT_RC=125 > "$F/conf"
	echo 'Error: image not known' > "$F/inspect.json"
	drun build --engine podman -- -f clean.Dockerfile .
	want_rc 3 && want_has "$T/err" "drydock build: podman image inspect sha256:fakeid failed (exit status 125)" && want_clean_tmp
}

t_build_no_engine() {
	reset
	FAKEPATH=$T/empty drun build -- -t a .
	want_rc 3 && want_line err 1 "drydock build: no container engine found: none of docker, podman, buildah is on PATH" || return 1
	drun build --engine buildah -- -t a .
	want_rc 3 && want_line err 1 "drydock build: buildah is not installed (not found on PATH)"
}

t_build_bad_context() {
	reset
	drun build --engine podman -- -t a missing-dir
	want_rc 3 && want_has "$T/err" "the build context missing-dir cannot be read" && want_clean_tmp
}

t_build_usage() {
	reset
	drun build --engine kaniko -- .
	want_rc 2 && want_has "$T/err" "unknown engine 'kaniko'" || return 1
	drun build --engine podman -- -f - .
	want_rc 2 && want_has "$T/err" "-f - (a Dockerfile on standard input) is not supported" || return 1
	drun build --engine podman -- -f nope.Dockerfile .
	want_rc 2 && want_has "$T/err" "nope.Dockerfile: cannot read the Dockerfile" || return 1
	drun build --severity-threshold loud -- .
	want_rc 2 || return 1
	fake docker
	drun build --engine docker -- -t a
	want_rc 2 && want_has "$T/err" "docker build needs a build context" && want_clean_tmp
}

# SIGTERM to drydock reaches the engine; the temporary folder goes; drydock dies of it
t_build_signal() {
	reset
	echo SLEEP=20 > "$F/conf"
	env PATH="$T/bin" TMPDIR="$T/tmp" FAKE_DIR="$F" "$BIN" build --engine podman --fix -- -f root.Dockerfile . \
		> "$T/out" 2> "$T/err" < /dev/null &
	pid=$!
	n=0
	while [ ! -f "$F/started" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if [ -z "$(ls -A "$T/tmp")" ]; then
		why="no temporary folder while the engine runs"
		kill -TERM "$pid" 2> /dev/null
		wait "$pid" || :
		return 1
	fi
	kill -TERM "$pid"
	rc=0
	{ wait "$pid"; } 2> /dev/null || rc=$?
	want_rc 143 && want_has "$F/log" "engine got TERM" && want_clean_tmp
}

# ---------------------------------------------------------------- build: --scan

t_build_scan_none() {
	reset
	drun build --engine podman --scan -- -f clean.Dockerfile .
	want_rc 0 && want_has "$T/err" "drydock build: --scan: no scanner found (trivy is not on PATH): the image was NOT scanned"
}

t_build_scan_trivy() {
	reset
	fake podman trivy
	echo TRIVY_RC=1 > "$F/conf"
	drun build --engine podman --scan -- -t app:1 -f clean.Dockerfile .
	want_rc 1 && want_log_line 3 '^podman save -q -o [^ ]*/drydock-build\.[^/ ]*/image\.tar sha256:fakeid$' &&
		want_log_line 4 '^trivy image --exit-code 1 --severity CRITICAL,HIGH --input [^ ]*/image\.tar$' &&
		want_has "$T/err" "trivy found CRITICAL or HIGH vulnerabilities in app:1" && want_clean_tmp || return 1
	reset
	fake docker trivy
	printf '[{"Config":{"User":"10001"}}]\n' > "$F/inspect.json"
	drun build --engine docker --scan -- -t app:1 .
	want_rc 0 && want_log_line 4 '^trivy image --exit-code 1 --severity CRITICAL,HIGH app:1$'
}

t_explain_image_checks() {
	run explain DD601
	want_rc 0 && want_line out 1 'DD601 image-root-user (error)' || return 1
	run explain image-secret-history
	want_rc 0 && want_line out 1 'DD603 image-secret-history (error)'
}

# ---------------------------------------------------------------- runtime

mkdir -p app
cat > app/Dockerfile <<'EOF'
FROM debian:bookworm-slim
RUN groupadd -g 10001 app && useradd -u 10001 -g app app
VOLUME ["/var/cache/app", "/data dir"]
EXPOSE 80/tcp 8080
USER app
EOF

t_runtime_docker() {
	run runtime app/Dockerfile
	want_rc 0 && want_empty err && want_stdout <<'EOF'
--read-only --tmpfs /tmp --tmpfs /var/cache/app --tmpfs '/data dir' --cap-drop=ALL --cap-add=NET_BIND_SERVICE --security-opt=no-new-privileges --user=10001:10001
EOF
}

t_runtime_paths() {
	(cd app && "$BIN" runtime > "$T/out2" 2>&1) || { why="runtime in the folder failed"; return 1; }
	run runtime app
	want_rc 0 || return 1
	cmp -s "$T/out" "$T/out2" || { why="folder and ./Dockerfile differ"; return 1; }
	run runtime --writable /srv/uploads --writable /tmp clean.Dockerfile
	want_rc 0 && want_stdout <<'EOF'
--read-only --tmpfs /tmp --tmpfs /srv/uploads --cap-drop=ALL --security-opt=no-new-privileges --user=10001:10001
EOF
}

t_runtime_root() {
	run runtime root.Dockerfile
	want_rc 0 && want_stdout <<'EOF' && want_has "$T/err" "root.Dockerfile: note: the final stage runs as root (no USER)"
--read-only --tmpfs /tmp --cap-drop=ALL --security-opt=no-new-privileges
EOF
}

# parse the YAML and check every field the issue asks for
t_runtime_kubernetes() {
	run runtime -f kubernetes --image registry.example.com/app:1 app/Dockerfile
	want_rc 0 || return 1
	python3 - "$T/out" > "$T/detail" 2>&1 <<'EOF' || { why="the Kubernetes YAML is not as expected"; return 1; }
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
spec = doc["spec"]
c = spec["containers"][0]
assert c["image"] == "registry.example.com/app:1", c["image"]
sc = c["securityContext"]
want = {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001,
        "readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
        "seccompProfile": {"type": "RuntimeDefault"}}
assert sc == want, sc
mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
assert sorted(mounts.values()) == ["/data dir", "/tmp", "/var/cache/app"], mounts
vols = {v["name"]: v for v in spec["volumes"]}
assert set(vols) == set(mounts), (vols, mounts)
for v in vols.values():
    assert v["emptyDir"] == {"medium": "Memory"}, v
EOF
}

t_runtime_compose() {
	run runtime --format compose --name web app/Dockerfile
	want_rc 0 || return 1
	python3 - "$T/out" > "$T/detail" 2>&1 <<'EOF' || { why="the Compose YAML is not as expected"; return 1; }
import sys, yaml
svc = yaml.safe_load(open(sys.argv[1]))["services"]["web"]
assert svc["user"] == "10001:10001", svc["user"]
assert svc["read_only"] is True
assert svc["tmpfs"] == ["/tmp", "/var/cache/app", "/data dir"], svc["tmpfs"]
assert svc["cap_drop"] == ["ALL"] and svc["cap_add"] == ["NET_BIND_SERVICE"]
assert svc["security_opt"] == ["no-new-privileges:true"]
assert svc["image"] == "IMAGE"
EOF
}

t_runtime_yaml_root() {
	for f in kubernetes compose; do
		run runtime -q -f "$f" root.Dockerfile
		want_rc 0 && want_empty err || return 1
		python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$T/out" > "$T/detail" 2>&1 ||
			{ why="$f output for a root image is not YAML"; return 1; }
	done
	want_no "$T/out" "user:"
}

t_runtime_errors() {
	run runtime -f helm app/Dockerfile
	want_rc 2 && want_line err 1 "drydock runtime: unknown format 'helm' (docker, compose, kubernetes)" || return 1
	run runtime missing.Dockerfile
	want_rc 2 || return 1
	run runtime --writable relative app/Dockerfile
	want_rc 2 || return 1
	run runtime --target nope app/Dockerfile
	want_rc 2 && want_has "$T/err" "--target nope: no stage of that name"
}

t_runtime_template_error() {
	mkdir -p tpl/runtime
	cp "$SRCDIR"/templates/*.json tpl/
	printf -- '--read-only {nope}\n' > tpl/runtime/docker.tmpl
	rc=0
	DRYDOCK_TEMPLATES=$PWD/tpl "$BIN" runtime app/Dockerfile > "$T/out" 2> "$T/err" || rc=$?
	want_rc 3 && want_has "$T/err" "tpl/runtime/docker.tmpl:1: error: unknown placeholder nope"
}

# ---------------------------------------------------------------- run

check build-clean t_build_clean
check build-args-redacted t_build_args_redacted
check build-gate-refuses t_build_gate_refuses
check build-gate-threshold t_build_gate_threshold
check build-fix t_build_fix
check build-fix-option-forms t_build_fix_forms
check build-fix-dockerignore t_build_fix_dockerignore
check build-fix-secret-flags t_build_fix_secret_flags
check build-image-root t_build_image_root
check build-image-user-name t_build_image_user_name
check build-image-env-secret t_build_image_env
check build-image-history-secret t_build_image_history
check build-image-config-ignore t_build_image_config
check build-buildah-auto t_build_buildah
check build-docker-first t_build_docker
check build-engine-fails t_build_engine_fails
check build-inspect-fails t_build_inspect_fails
check build-no-engine t_build_no_engine
check build-bad-context t_build_bad_context
check build-usage t_build_usage
check build-signal t_build_signal
check build-scan-none t_build_scan_none
check build-scan-trivy t_build_scan_trivy
check explain-image-checks t_explain_image_checks
check runtime-docker t_runtime_docker
check runtime-paths t_runtime_paths
check runtime-root t_runtime_root
check runtime-errors t_runtime_errors
check runtime-template-error t_runtime_template_error
if command -v python3 > /dev/null 2>&1 && python3 -c 'import yaml' 2> /dev/null; then
	check runtime-kubernetes-yaml t_runtime_kubernetes
	check runtime-compose-yaml t_runtime_compose
	check runtime-yaml-root t_runtime_yaml_root
else
	# make check installs python3-yaml: a missing parser is a failure, not a skip
	t_no_yaml() {
		why="python3 with yaml not found (apt-get install python3-yaml)"
		return 1
	}
	check runtime-yaml t_no_yaml
fi

finish cli-build
