#!/bin/sh
# CLI tests of `drydock lint` and `drydock explain`: exit statuses and the
# threshold, folder search, every report format, colour, configuration and
# pragmas, redaction, and the explain texts. Run from the repository root:
#   DD_BIN=$PWD/drydock DD_CORPUS=../shared/corpus sh tests/cli_lint.sh
. "${DD_SRCDIR:-.}/tests/clilib.sh"

# ---------------------------------------------------------------- inputs

printf 'FROM alpine:3.22\nUSER 10001\n' > clean.Dockerfile
printf 'FROM alpine:3.22\nRUN sudo apk add curl\nUSER 10001\n' > warn.Dockerfile
printf 'FROM alpine:3.22\nRUN apk add curl\n' > root.Dockerfile
printf 'FROM alpine:3.22\nRUM x\n' > bad.Dockerfile
printf 'FROM alpine:3.22 AS build\nRUN true\nFROM scratch AS run\nCOPY --from=build /bin/true /true\n' \
	> stages.Dockerfile
# a GitHub token and a random-looking value under a secret name
printf 'FROM alpine:3.22\nENV GH_TOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\nENV SECRET_KEY=9f2c7e4a1b8d3f6e0c5a7b9d2e4f6a8c\nUSER 10001\n' \
	> secret.Dockerfile

mkdir -p proj/sub proj/node_modules/pkg proj/.git empty
cp root.Dockerfile proj/Dockerfile
for f in proj/Containerfile proj/api.Dockerfile proj/Dockerfile.prod proj/sub/Dockerfile \
	proj/node_modules/pkg/Dockerfile proj/.git/Dockerfile proj/notes.txt; do
	cp clean.Dockerfile "$f"
done

# a summary line without its timing, which varies
summary() {
	tail -n 1 "$T/out" | sed 's/, in [0-9.]* s$//'
}

want_summary() {  # want_summary TEXT
	got=$(summary)
	[ "$got" = "$1" ] && return 0
	why="summary is '$got', wanted '$1'"
	seen
	return 1
}

want_no() {  # want_no STREAM TEXT: the stream does not contain TEXT
	if grep -qF -- "$2" "$T/$1"; then
		why="std$1 contains '$2'"
		seen
		return 1
	fi
}

# ---------------------------------------------------------------- exit status

t_exit_clean() {  # an info finding is below the default threshold (warning)
	run lint clean.Dockerfile
	want_rc 0 && want_empty err &&
		want_line out 1 'clean.Dockerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest' &&
		want_line out 2 '  | FROM alpine:3.22' &&
		want_line out 3 '  |      ^' &&
		want_summary '1 file checked, 1 finding (0 errors, 0 warnings, 1 info), 0 fixable'
}

t_exit_warning() {
	run lint warn.Dockerfile
	want_rc 1 && want_line out 4 'warn.Dockerfile:2:5: warning DD103 sudo: RUN uses sudo: run the step as root before USER instead'
}

t_threshold_error() {
	run lint --severity-threshold error warn.Dockerfile
	want_rc 0 && run lint -t error root.Dockerfile && want_rc 1
}

t_threshold_info() {
	run lint -t info clean.Dockerfile
	want_rc 1
}

t_threshold_none() {
	run lint -t none root.Dockerfile
	want_rc 0
}

t_threshold_unknown() {
	run lint -t loud root.Dockerfile
	want_rc 2 && want_empty out && want_line err 1 "drydock lint: unknown severity 'loud' (info, warning, error, none)"
}

t_quiet() {
	run lint -q root.Dockerfile
	want_rc 1 && want_empty err && want_stdout <<'EOF'
root.Dockerfile:1:1: error DD101 root-user: the final stage runs as root: no USER instruction, and alpine:3.22 runs as root by default
root.Dockerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
EOF
}

t_stdin() {
	run_in root.Dockerfile lint -q -
	want_rc 1 && want_line out 1 '-:1:1: error DD101 root-user: the final stage runs as root: no USER instruction, and alpine:3.22 runs as root by default'
}

t_parse_error() {
	run lint bad.Dockerfile
	want_rc 2 && want_empty err &&
		want_line out 1 'bad.Dockerfile:2:1: error: unknown instruction: RUM (did you mean RUN?)' &&
		want_summary '1 file checked (1 failed), no findings'
}

t_missing_file() {
	run lint -q nothere.Dockerfile
	want_rc 2 && want_line out 1 'nothere.Dockerfile:1:1: error: No such file or directory'
}

t_target() {
	run lint -q --target build stages.Dockerfile
	want_rc 1 && want_line out 1 'stages.Dockerfile:1:1: error DD101 root-user: the final stage '"'"'build'"'"' runs as root: no USER instruction, and alpine:3.22 runs as root by default'
}

t_target_unknown() {
	run lint -q --target nope stages.Dockerfile
	want_rc 2 && want_line out 1 "stages.Dockerfile: error: --target nope: no stage of that name (the named stages are: build, run)"
}

t_build_arg() {
	printf 'ARG BASE=alpine:3.22\nFROM ${BASE}\nUSER 10001\n' > arg.Dockerfile
	run lint -q -t none --build-arg BASE=debian:latest arg.Dockerfile
	want_rc 0 && want_line out 2 'arg.Dockerfile:2:6: warning DD303 unpinned-base: FROM debian:latest uses :latest: name the version you build with'
}

# ---------------------------------------------------------------- folders

t_folder_search() {
	run lint -q -t none proj
	want_rc 0 && want_stdout <<'EOF'
proj/Containerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
proj/Dockerfile:1:1: error DD101 root-user: the final stage runs as root: no USER instruction, and alpine:3.22 runs as root by default
proj/Dockerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
proj/Dockerfile.prod:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
proj/api.Dockerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
proj/sub/Dockerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
EOF
}

t_folder_empty() {
	run lint empty
	want_rc 2 && want_line err 1 'empty: error: no Dockerfile in this folder (looked for Dockerfile, Containerfile, *.Dockerfile and Dockerfile.*)'
}

t_default_path() {
	(cd proj/sub && "$BIN" lint -q > "$T/out" 2> "$T/err") && rc=0 || rc=$?
	want_rc 0 && want_stdout <<'EOF'
Dockerfile:1:6: info DD304 no-digest: FROM alpine:3.22 is not pinned by digest
EOF
}

# ---------------------------------------------------------------- formats

t_json() {
	run lint -f json -t none proj/Dockerfile
	want_rc 0 || return 1
	python3 - "$T/out" > "$T/detail" 2>&1 <<'EOF' || { why="json report: see detail"; return 1; }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1, d
[f] = d["files"]
assert f["path"] == "proj/Dockerfile", f["path"]
got = [(x["rule"], x["slug"], x["severity"], x["line"], x["column"], x["fixable"]) for x in f["findings"]]
assert got == [("DD101", "root-user", "error", 1, 1, True), ("DD304", "no-digest", "info", 1, 6, False)], got
assert "hadolint:DL3002" in f["findings"][0]["aliases"]
for k in ("message", "end_line", "end_column", "stage"):
    assert k in f["findings"][0], k
EOF
}

t_sarif() {
	run lint -f sarif -t none proj
	want_rc 0 || return 1
	python3 - "$T/out" > "$T/detail" 2>&1 <<'EOF' || { why="sarif report: see detail"; return 1; }
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0", d["version"]
[run] = d["runs"]
rules = run["tool"]["driver"]["rules"]
ids = [r["id"] for r in rules]
res = run["results"]
assert len(res) == 6, len(res)
for r in res:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"], r
    reg = r["locations"][0]["physicalLocation"]["region"]
    assert reg["startLine"] >= 1 and reg["startColumn"] >= 1, reg
assert {r["ruleId"] for r in res} == {"DD101", "DD304"}
assert any(r["level"] == "error" for r in res) and any(r["level"] == "note" for r in res)
EOF
}

t_checkstyle() {
	run lint -f checkstyle -t none proj/Dockerfile
	want_rc 0 || return 1
	python3 - "$T/out" > "$T/detail" 2>&1 <<'EOF' || { why="checkstyle report: see detail"; return 1; }
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "checkstyle"
[f] = root.findall("file")
assert f.get("name") == "proj/Dockerfile"
errs = [(e.get("line"), e.get("column"), e.get("severity"), e.get("source")) for e in f.findall("error")]
assert errs == [("1", "1", "error", "drydock.DD101"), ("1", "6", "info", "drydock.DD304")], errs
EOF
}

t_gitlab() {
	run lint -f gitlab -t none proj/Dockerfile proj/Containerfile
	want_rc 0 || return 1
	python3 - "$T/out" > "$T/detail" 2>&1 <<'EOF' || { why="gitlab report: see detail"; return 1; }
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and len(d) == 3, d
fps = [x["fingerprint"] for x in d]
assert len(set(fps)) == 3, fps
for x in d:
    assert x["type"] == "issue" and x["location"]["lines"]["begin"] == 1, x
    assert x["severity"] in ("info", "minor", "major", "critical", "blocker"), x
assert [(x["check_name"], x["location"]["path"]) for x in d] == [
    ("DD101", "proj/Dockerfile"), ("DD304", "proj/Dockerfile"), ("DD304", "proj/Containerfile")], d
EOF
}

t_format_unknown() {
	run lint -f xml root.Dockerfile
	want_rc 2 && want_empty out && want_line err 1 "drydock lint: unknown format 'xml' (text, json, sarif, checkstyle, gitlab, github)"
}

# Findings come out in the same order whatever the number of jobs.
t_jobs_deterministic() {
	find "$CORPUS/realworld" -type f ! -name MANIFEST.tsv | sort > "$T/list"
	rc=0
	tr '\n' '\0' < "$T/list" | xargs -0 "$BIN" lint -f json -t none --no-context -j 1 > "$T/one" 2> "$T/err" || rc=$?
	want_rc 0 || return 1
	tr '\n' '\0' < "$T/list" | xargs -0 "$BIN" lint -f json -t none --no-context -j 4 > "$T/four" 2> "$T/err" || rc=$?
	want_rc 0 || return 1
	if ! cmp -s "$T/one" "$T/four"; then
		why="-j 1 and -j 4 reports differ"
		return 1
	fi
}

# ---------------------------------------------------------------- colour

t_color_always() {
	run lint --color always -q root.Dockerfile
	want_rc 1 && want_line out 1 "$(printf '\033[1mroot.Dockerfile:1:1:\033[0m \033[31merror\033[0m DD101 root-user: the final stage runs as root: no USER instruction, and alpine:3.22 runs as root by default')"
}

t_color_not_a_terminal() {
	run lint root.Dockerfile
	want_no out "$(printf '\033')"
}

t_color_never() {
	run lint --no-color root.Dockerfile
	want_no out "$(printf '\033')" && run lint --color never root.Dockerfile && want_no out "$(printf '\033')"
}

# NO_COLOR is read only when colour is automatic; a terminal is needed to see
# it matter, so script(1) provides one when it is installed.
t_no_color_on_a_terminal() {
	rc=0
	NO_COLOR=1 script -qec "'$BIN' lint -q root.Dockerfile" /dev/null > "$T/out" 2> "$T/err" || rc=$?
	want_no out "$(printf '\033')" || return 1
	script -qec "'$BIN' lint -q root.Dockerfile" /dev/null > "$T/out" 2> "$T/err" || rc=$?
	if ! grep -qF "$(printf '\033[31merror')" "$T/out"; then
		why="no colour on a terminal without NO_COLOR"
		seen
		return 1
	fi
}

t_color_unknown() {
	run lint --color sometimes root.Dockerfile
	want_rc 2
}

# ---------------------------------------------------------------- secrets

t_redaction_everywhere() {
	for fmt in text json sarif checkstyle gitlab; do
		run lint -f "$fmt" secret.Dockerfile
		want_rc 1 || return 1
		want_no out aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5 || { why="$fmt: $why"; return 1; }
		want_no out 7e4a1b8d3f6e0c5a7b9d2e4f6a8c || { why="$fmt: $why"; return 1; }
	done
	run lint secret.Dockerfile
	want_line out 5 '  | ENV GH_TOKEN=ghp_************************************' &&
		want_line out 6 '  |              ^'
}

# ---------------------------------------------------------------- configuration

t_config_found_upwards() {
	mkdir -p cfg/a/b
	cp root.Dockerfile cfg/a/b/Dockerfile
	printf '{"ignore": ["DD304"], "severity": {"DD101": "warning"}}\n' > cfg/.drydock.json
	run lint -q cfg/a/b/Dockerfile
	want_rc 1 && want_stdout <<'EOF'
cfg/a/b/Dockerfile:1:1: warning DD101 root-user: the final stage runs as root: no USER instruction, and alpine:3.22 runs as root by default
EOF
}

t_config_threshold() {
	mkdir -p cfgt
	cp warn.Dockerfile cfgt/Dockerfile
	printf '{"threshold": "error"}\n' > cfgt/.drydock.json
	run lint -q cfgt/Dockerfile
	want_rc 0 && run lint -q -t warning cfgt/Dockerfile && want_rc 1
}

t_config_option() {
	printf '{"ignore": ["DD101", "DD304"]}\n' > other.json
	run lint -q --config other.json root.Dockerfile
	want_rc 0 && want_empty out
}

t_config_bad_key() {
	mkdir -p cfgk
	cp root.Dockerfile cfgk/Dockerfile
	printf '{"ignore": ["DD304"],\n "colour": true}\n' > cfgk/.drydock.json
	run lint -q cfgk/Dockerfile
	want_rc 2 && want_empty out && want_line err 1 "$(pwd)/cfgk/.drydock.json:2:2: error: unknown key colour (known: ignore, severity, trusted_registries, threshold)"
}

t_config_bad_severity() {
	printf '{"severity": {"DD101": "loud"}}\n' > sev.json
	run lint -q -c sev.json root.Dockerfile
	want_rc 2 && want_line err 1 'sev.json:1:15: error: the severity of DD101 must be info, warning or error'
}

t_config_unknown_rule() {
	printf '{"ignore": ["DD999"]}\n' > rule.json
	run lint -q -c rule.json root.Dockerfile
	want_rc 2 && want_line err 1 'rule.json:1:13: error: unknown rule DD999 (see drydock explain --all)'
}

t_config_not_json() {
	printf '{"ignore": [DD304]}\n' > broken.json
	run lint -q -c broken.json root.Dockerfile
	want_rc 2 && want_line err 1 "broken.json:1:14: error: invalid token near 'DD'"
}

t_config_missing() {
	run lint -q -c missing.json root.Dockerfile
	want_rc 2 && want_line err 1 'missing.json:1:1: error: cannot read the configuration'
}

# ---------------------------------------------------------------- pragmas

t_pragma_drydock() {
	printf 'FROM alpine:3.22\n# drydock ignore=DD103\nRUN sudo true\nUSER 10001\n' > p1.Dockerfile
	run lint -q -t warning p1.Dockerfile
	want_rc 0 && want_no out DD103
}

t_pragma_hadolint_alias() {
	printf '# hadolint ignore=DL3002\nFROM alpine:3.22\nRUN true\n' > p2.Dockerfile
	run lint -q p2.Dockerfile
	# the pragma belongs to the FROM line, where DD101 is reported
	want_rc 0 && want_no out DD101
}

t_pragma_only_next_instruction() {
	printf 'FROM alpine:3.22\n# drydock ignore=DD103\nRUN true\nRUN sudo true\nUSER 10001\n' > p3.Dockerfile
	run lint -q p3.Dockerfile
	want_rc 1 && want_line out 2 'p3.Dockerfile:4:5: warning DD103 sudo: RUN uses sudo: run the step as root before USER instead'
}

# ---------------------------------------------------------------- explain

t_explain() {
	run explain DD101
	want_rc 0 && want_empty err && want_line out 1 'DD101 root-user (error)' &&
		want_line out 2 'The final stage runs as root'
}

t_explain_alias() {
	run explain DL3002
	want_rc 0 && want_line out 1 'DD101 root-user (error)' &&
		run explain hadolint:DL3002 && want_line out 1 'DD101 root-user (error)' &&
		run explain root-user && want_line out 1 'DD101 root-user (error)'
}

t_explain_unknown() {
	run explain DD999
	want_rc 2 && want_empty out && want_line err 1 "drydock explain: no rule 'DD999' (see 'drydock explain --all')"
}

t_explain_all_md() {
	run explain --all --format md
	want_rc 0 || return 1
	nrules=$("$BIN" explain --all | grep -c '^DD[0-9][0-9][0-9] ') || :
	rows=$(grep -c '^| DD[0-9][0-9][0-9] |' "$T/out") || :
	if [ "$nrules" -lt 20 ] || [ "$rows" -ne "$nrules" ]; then
		why="$rows table rows for $nrules rules"
		return 1
	fi
	want_line out 1 '| Rule | Slug | Severity | What it finds | Also known as |'
}

# The README's rules table is the one `explain --all --format md` generates.
t_readme_table() {
	"$BIN" explain --all --format md > "$T/table"
	if ! grep -qxF -f "$T/table" "$SRCDIR/README.md" ||
		[ "$(grep -cxF -f "$T/table" "$SRCDIR/README.md")" -ne "$(wc -l < "$T/table" | tr -d ' ')" ]; then
		why="README.md does not hold the current table; paste 'drydock explain --all --format md'"
		return 1
	fi
}

# ---------------------------------------------------------------- run

check lint-exit-clean t_exit_clean
check lint-exit-warning t_exit_warning
check lint-threshold-error t_threshold_error
check lint-threshold-info t_threshold_info
check lint-threshold-none t_threshold_none
check lint-threshold-unknown t_threshold_unknown
check lint-quiet t_quiet
check lint-stdin t_stdin
check lint-parse-error t_parse_error
check lint-missing-file t_missing_file
check lint-target t_target
check lint-target-unknown t_target_unknown
check lint-build-arg t_build_arg
check lint-folder-search t_folder_search
check lint-folder-empty t_folder_empty
check lint-default-path t_default_path
if command -v python3 > /dev/null 2>&1; then
	check lint-json t_json
	check lint-sarif t_sarif
	check lint-checkstyle t_checkstyle
	check lint-gitlab t_gitlab
else
	skip lint-formats "python3 not found (apt-get install python3)"
fi
check lint-format-unknown t_format_unknown
check lint-jobs-deterministic t_jobs_deterministic
check lint-color-always t_color_always
check lint-color-not-a-terminal t_color_not_a_terminal
check lint-color-never t_color_never
if command -v script > /dev/null 2>&1; then
	check lint-no-color-on-a-terminal t_no_color_on_a_terminal
else
	skip lint-no-color-on-a-terminal "script(1) not found (apt-get install bsdutils)"
fi
check lint-color-unknown t_color_unknown
check lint-redaction-everywhere t_redaction_everywhere
check lint-config-found-upwards t_config_found_upwards
check lint-config-threshold t_config_threshold
check lint-config-option t_config_option
check lint-config-bad-key t_config_bad_key
check lint-config-bad-severity t_config_bad_severity
check lint-config-unknown-rule t_config_unknown_rule
check lint-config-not-json t_config_not_json
check lint-config-missing t_config_missing
check lint-pragma-drydock t_pragma_drydock
check lint-pragma-hadolint-alias t_pragma_hadolint_alias
check lint-pragma-only-next-instruction t_pragma_only_next_instruction
check explain t_explain
check explain-alias t_explain_alias
check explain-unknown t_explain_unknown
check explain-all-md t_explain_all_md
check readme-rules-table t_readme_table

finish cli-lint
