#!/usr/bin/env python3
"""Run the command lines of drydock's CI integrations on a sample repository.

    python3 tests/ci_recipes.py SRCDIR pre-commit|pre-commit-real|action|gitlab|readme

The drydock on PATH is the one under test (tests/cli_flow.sh puts an
installed copy first). Each recipe is read from its YAML file the way its
host reads it, its command lines are run as the host would run them
(pre-commit: entry + file names; GitHub: each step's run under bash -e with
its env and if:; GitLab: before_script and script lines under sh -e with
the job's variables), in a fresh git repository, and the results are
checked. pre-commit-real has pre-commit itself run the hooks (try-repo). Prints what failed on stderr and exits 1; exits 0 when all is well.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

SRCDIR = os.path.abspath(sys.argv[1])

# The sample repository: findings of every severity, names the folder
# search must take and leave (hidden folders and node_modules aside).
ROOT_DOCKERFILE = """\
FROM python:3.12
ENV API_TOKEN=ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5
ADD app.py /app/
CMD python /app/app.py
"""
CLEAN_DOCKERFILE = """\
FROM gcr.io/distroless/static-debian13:nonroot@sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02
COPY server /server
USER 65532:65532
ENTRYPOINT ["/server"]
"""
SAMPLE = {
    "Dockerfile": ROOT_DOCKERFILE,
    "app.py": "print('hello')\n",
    "api/Containerfile": ROOT_DOCKERFILE,
    "web/prod.Dockerfile": ROOT_DOCKERFILE,
    "tools/Dockerfile.dev": ROOT_DOCKERFILE,
    "tools/Dockerfile.dockerignore": "*.pem\n",
    "tools/notes.txt": "FROM nothing\n",
    "clean/Dockerfile": CLEAN_DOCKERFILE,
}

failures = []


def fail(why):
    failures.append(why)


def run(argv, cwd, env=None, **kw):
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, **kw)


def git(repo, *args):
    r = run(["git", *args], repo)
    if r.returncode != 0:
        raise RuntimeError("git %s: %s" % (" ".join(args), r.stderr))
    return r.stdout


def base_env(home):
    """The environment of a CI job: no user's git configuration, drydock on PATH."""
    env = dict(os.environ)
    env.update(HOME=home, GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
    env.pop("NO_COLOR", None)
    return env


def sample_repo(tmp, identity=True):
    repo = os.path.join(tmp, "repo")
    os.makedirs(repo)
    for path, text in SAMPLE.items():
        full = os.path.join(repo, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=Sample", "-c", "user.email=sample@example.org",
        "commit", "-qm", "sample")
    if identity:
        git(repo, "config", "user.name", "Sample")
        git(repo, "config", "user.email", "sample@example.org")
    return repo


def load(name):
    with open(os.path.join(SRCDIR, name)) as f:
        return yaml.safe_load(f)


def drydock_finds(repo):
    """The files `drydock lint .` checks, as repository paths."""
    r = run(["drydock", "lint", "-t", "none", "-f", "json", "."], repo)
    if r.returncode != 0:
        raise RuntimeError("drydock lint -f json .: exit %d: %s" % (r.returncode, r.stderr))
    return sorted(re.sub(r"^\./", "", f["path"]) for f in json.loads(r.stdout)["files"])


# ---- pre-commit ------------------------------------------------------------------

def hook_files(hook, repo):
    """The staged files pre-commit would pass: files matches, exclude does not."""
    files = re.compile(hook.get("files", ""))
    exclude = re.compile(hook["exclude"]) if hook.get("exclude") else None
    names = git(repo, "ls-files").split()
    return sorted(n for n in names if files.search(n) and not (exclude and exclude.search(n)))


def run_hook(hook, repo, env, files):
    argv = shlex.split(hook["entry"]) + list(hook.get("args", [])) + files
    return run(argv, repo, env)


def test_pre_commit(tmp):
    hooks = {h["id"]: h for h in load(".pre-commit-hooks.yaml")}
    if sorted(hooks) != ["drydock-fix", "drydock-lint"]:
        return fail("hooks are %s, wanted drydock-lint and drydock-fix" % sorted(hooks))
    for h in hooks.values():
        if h.get("language") != "system" or not h.get("name") or not h.get("entry"):
            fail("%s: needs name, entry and language: system" % h["id"])
    repo = sample_repo(tmp)
    env = base_env(tmp)
    lint, fix = hooks["drydock-lint"], hooks["drydock-fix"]

    # the hooks' file pattern is drydock's folder search
    want = drydock_finds(repo)
    for h in (lint, fix):
        got = hook_files(h, repo)
        if got != want:
            fail("%s selects %s; drydock lint . checks %s" % (h["id"], got, want))

    files = hook_files(lint, repo)
    r = run_hook(lint, repo, env, files)
    if r.returncode != 1 or "DD101 root-user" not in r.stdout:
        fail("drydock-lint on the sample: exit %d, wanted 1 with DD101:\n%s%s"
             % (r.returncode, r.stdout[-800:], r.stderr))
    r = run_hook(lint, repo, env, ["clean/Dockerfile"])
    if r.returncode != 0:
        fail("drydock-lint on a clean file: exit %d\n%s" % (r.returncode, r.stdout))

    # fix -i edits the files: pre-commit then fails the hook and shows the diff
    r = run_hook(fix, repo, env, files)
    changed = git(repo, "diff", "--name-only").split()
    if r.returncode != 0 or sorted(set(files) - {"clean/Dockerfile"}) != sorted(changed):
        fail("drydock-fix: exit %d, changed %s, wanted every file but clean/Dockerfile\n%s"
             % (r.returncode, changed, r.stderr[-800:]))
    with open(os.path.join(repo, "Dockerfile")) as f:
        if "USER 10001:10001" not in f.read():
            fail("drydock-fix: Dockerfile has no USER 10001:10001")
    git(repo, "add", "-A")
    r = run_hook(fix, repo, env, files)
    if r.returncode != 0 or git(repo, "diff", "--name-only").strip():
        fail("drydock-fix a second time changed files (exit %d)" % r.returncode)
    r = run_hook(lint, repo, env, files)
    if "DD101" in r.stdout or "DD501" in r.stdout:
        fail("drydock-lint after the fix still reports DD101/DD501:\n" + r.stdout[-800:])


def test_pre_commit_real(tmp):
    """pre-commit itself runs the hooks (try-repo, language: system, no network)."""
    exe = shutil.which("pre-commit")
    if not exe:
        return fail("pre-commit is not installed")
    repo = sample_repo(tmp)
    env = dict(base_env(tmp), PRE_COMMIT_HOME=os.path.join(tmp, "pre-commit-home"))
    # a repository that holds only our hooks file, as a user's config would fetch it
    hooks = os.path.join(tmp, "hooks")
    os.makedirs(hooks)
    with open(os.path.join(SRCDIR, ".pre-commit-hooks.yaml")) as src, \
            open(os.path.join(hooks, ".pre-commit-hooks.yaml"), "w") as dst:
        dst.write(src.read())
    git(hooks, "init", "-q", "-b", "main")
    git(hooks, "add", ".")
    git(hooks, "-c", "user.name=Hooks", "-c", "user.email=hooks@example.org", "commit", "-qm", "hooks")

    def hook(name):
        return run([exe, "try-repo", hooks, name, "--all-files", "--color=never"], repo, env)

    want = drydock_finds(repo)
    r = hook("drydock-lint")
    # pre-commit may split the files over several runs: add up their summaries
    checked = sum(int(n) for n in re.findall(r"^(\d+) files? checked", r.stdout, re.M))
    if r.returncode != 1 or "- hook id: drydock-lint" not in r.stdout or "DD101 root-user" not in r.stdout \
            or checked != len(want):
        return fail("pre-commit drydock-lint: exit %d, %d files checked (wanted 1, DD101, %d files):\n%s%s"
                    % (r.returncode, checked, len(want), r.stdout[-1500:], r.stderr[-500:]))
    r = hook("drydock-fix")
    changed = sorted(git(repo, "diff", "--name-only").split())
    if r.returncode != 1 or "files were modified by this hook" not in r.stdout \
            or changed != sorted(set(want) - {"clean/Dockerfile"}):
        return fail("pre-commit drydock-fix: exit %d, changed %s:\n%s%s"
                    % (r.returncode, changed, r.stdout[-1500:], r.stderr[-500:]))
    git(repo, "add", "-A")
    r = hook("drydock-fix")
    if r.returncode != 0 or git(repo, "diff", "--name-only").strip():
        fail("pre-commit drydock-fix on fixed files: exit %d, wanted 0 and no change:\n%s"
             % (r.returncode, r.stdout[-1500:]))
    r = hook("drydock-lint")
    if "DD101" in r.stdout or "DD501" in r.stdout:
        fail("pre-commit drydock-lint after the fix still reports DD101/DD501:\n" + r.stdout[-1500:])


# ---- the GitHub Action ---------------------------------------------------------------

EXPR = re.compile(r"^\$\{\{\s*(.*?)\s*\}\}$", re.S)


def expand(value, ctx):
    """${{ inputs.x }}, ${{ github.action_path }}, ${{ steps.id.outputs.y }} in a string."""
    def one(m):
        return str(evaluate(m.group(1), ctx))
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", one, str(value))


def evaluate(expr, ctx):
    """The small part of GitHub's expression language the action uses."""
    def name(m):
        parts = m.group(0).split(".")
        if parts[0] == "inputs":
            return repr(ctx["inputs"][parts[1]])
        if parts[0] == "steps":
            return repr(ctx["outputs"].get(parts[1], {}).get(parts[3], ""))
        if parts[0] == "github":
            return repr(ctx["github"][parts[1]])
        raise ValueError("unknown context in %r" % expr)
    py = expr.replace("always()", "True").replace("&&", " and ").replace("||", " or ")
    py = re.sub(r"(?<!['\w])(inputs|steps|github)\.[\w.-]+", name, py)
    return eval(py, {"__builtins__": {}, "True": True}, {})


def run_action(action, repo, tmp, inputs):
    """Run the composite action's steps as the runner would; returns (status, ctx, uses)."""
    ctx = {
        "inputs": {k: str(v.get("default", "")) for k, v in action["inputs"].items()},
        "outputs": {},
        "github": {"action_path": SRCDIR},
    }
    ctx["inputs"].update(inputs)
    env0 = base_env(tmp)
    status, uses = 0, []
    for n, step in enumerate(action["runs"]["steps"]):
        cond = step.get("if")
        if cond is not None:
            m = EXPR.match(str(cond))
            if not evaluate(m.group(1) if m else str(cond), ctx):
                continue
        elif status != 0:
            continue  # success() is the default condition
        if "uses" in step:
            uses.append((step["uses"], {k: expand(v, ctx) for k, v in step.get("with", {}).items()}))
            continue
        out = os.path.join(tmp, "github_output.%d" % n)
        open(out, "w").close()
        env = dict(env0, GITHUB_OUTPUT=out, GITHUB_ACTION_PATH=SRCDIR)
        env.update({k: expand(v, ctx) for k, v in step.get("env", {}).items()})
        script = os.path.join(tmp, "step.%d.sh" % n)
        with open(script, "w") as f:
            f.write(step["run"])
        r = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], repo, env)
        ctx.setdefault("log", []).append((step.get("name"), r))
        if "id" in step:
            with open(out) as f:
                ctx["outputs"][step["id"]] = dict(
                    line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        if r.returncode != 0:
            status = r.returncode
    return status, ctx, uses


def step_log(ctx, name):
    for n, r in ctx.get("log", []):
        if n == name:
            return r
    return None


def check_sarif(path, category):
    with open(path) as f:
        sarif = json.load(f)
    run0 = sarif["runs"][0]
    if sarif.get("version") != "2.1.0" or not run0["results"]:
        return fail("%s: not SARIF 2.1.0 with results" % path)
    if run0.get("automationDetails", {}).get("id") != category + "/":
        fail("SARIF category is %r, wanted %r" % (run0.get("automationDetails"), category + "/"))
    for res in run0["results"]:
        if not res.get("partialFingerprints", {}).get("primaryLocationLineHash"):
            return fail("a SARIF result without partialFingerprints")
    # helpUri: a heading of docs/rules.md, by its GitHub anchor
    with open(os.path.join(SRCDIR, "docs", "rules.md")) as f:
        anchors = {"docs/rules.md#" + re.sub(r"[^\w-]", "", h.strip().lower().replace(" ", "-"))
                   for h in re.findall(r"^## (.*)$", f.read(), re.M)}
    for rule in run0["tool"]["driver"]["rules"]:
        uri = rule.get("helpUri", "")
        if not any(uri.endswith("/" + a) for a in anchors):
            return fail("rule %s: helpUri %r is no heading of docs/rules.md" % (rule["id"], uri))
        if not rule.get("properties", {}).get("security-severity"):
            return fail("rule %s: no security-severity" % rule["id"])


def test_action(tmp):
    action = load("action.yml")
    if action["runs"]["using"] != "composite":
        return fail("action.yml is not a composite action")
    for step in action["runs"]["steps"]:
        if "run" in step and "${{" in step["run"]:
            fail("step %r puts ${{ }} into its script: pass it through env" % step.get("name"))

    # defaults: SARIF written and uploaded, the job fails on the findings
    t1 = os.path.join(tmp, "a1")
    os.makedirs(t1)
    repo = sample_repo(t1)
    status, ctx, uses = run_action(action, repo, t1, {})
    install = step_log(ctx, "Install drydock")
    if install is None or install.returncode != 0 or not install.stdout.startswith("drydock "):
        fail("the install step does not accept the drydock already on PATH")
    if status != 1 or ctx["outputs"].get("lint", {}).get("exit-code") != "1":
        fail("defaults on the sample: job status %d, lint exit-code %r; wanted 1 and '1'\n%s"
             % (status, ctx["outputs"].get("lint"), [(n, r.returncode, r.stderr[-300:])
                                                     for n, r in ctx.get("log", [])]))
    upload = [w for u, w in uses if u.startswith("github/codeql-action/upload-sarif@")]
    if len(upload) != 1:
        return fail("no upload-sarif step ran: %s" % uses)
    sarif = os.path.join(repo, upload[0]["sarif_file"])
    if not os.path.isfile(sarif):
        return fail("upload-sarif's sarif_file %s was not written" % upload[0]["sarif_file"])
    check_sarif(sarif, upload[0]["category"])
    lint = step_log(ctx, "Lint")
    if "\033[31merror" not in lint.stdout:
        fail("the Lint step's log has no coloured text report")

    # annotations, threshold none, and fix-and-push to a bare origin
    t2 = os.path.join(tmp, "a2")
    os.makedirs(t2)
    repo = sample_repo(t2, identity=False)
    origin = os.path.join(t2, "origin.git")
    git(t2, "init", "-q", "--bare", origin)
    git(repo, "remote", "add", "origin", origin)
    status, ctx, uses = run_action(action, repo, t2, {
        "fix": "true", "annotations": "true", "severity-threshold": "none",
        "upload-sarif": "false", "category": "docker/sample"})
    if status != 0 or uses:
        fail("fix=true, threshold none: job status %d, uses %s\n%s" % (
            status, uses, [(n, r.returncode, r.stderr[-500:]) for n, r in ctx.get("log", [])]))
    lint = step_log(ctx, "Lint")
    lines = lint.stdout.splitlines() if lint else []
    if not lines or not all(re.match(r"::(error|warning|notice) file=[^,]+,line=\d+", x) for x in lines):
        fail("annotations: the Lint step printed %r" % lines[:3])
    fixed = run(["git", "--git-dir", origin, "show", "drydock/harden:Dockerfile"], t2)
    if fixed.returncode != 0 or "USER 10001:10001" not in fixed.stdout:
        fail("origin has no drydock/harden with the fixed Dockerfile: %s" % fixed.stderr)
    who = run(["git", "--git-dir", origin, "log", "-1", "--format=%an", "drydock/harden"], t2)
    if who.stdout.strip() != "github-actions[bot]":
        fail("the fix commit's author is %r, wanted github-actions[bot]" % who.stdout.strip())
    # a second run replaces the branch instead of failing
    status, ctx, _ = run_action(action, repo, t2, {
        "fix": "true", "severity-threshold": "none", "upload-sarif": "false"})
    if status != 0:
        fail("a second fix run: job status %d\n%s" % (
            status, [(n, r.returncode, r.stderr[-500:]) for n, r in ctx.get("log", [])]))


# ---- GitLab --------------------------------------------------------------------------

def run_gitlab_job(job, repo, tmp, variables):
    env = base_env(tmp)
    env.update({k: str(v) for k, v in job.get("variables", {}).items()})
    env.update(variables)
    script = "\n".join(job.get("before_script", []) + job["script"])
    path = os.path.join(tmp, "job.sh")
    with open(path, "w") as f:
        f.write(script + "\n")
    return run(["sh", "-e", path], repo, env)


def test_gitlab(tmp):
    doc = load("ci/gitlab-drydock.yml")
    job = doc.get("drydock")
    if not job or "script" not in job:
        return fail("ci/gitlab-drydock.yml has no drydock job with a script")
    report = job["artifacts"]["reports"]["codequality"]
    if job["artifacts"].get("when") != "always":
        fail("the report must be kept when the job fails (artifacts: when: always)")
    repo = sample_repo(tmp)
    r = run_gitlab_job(job, repo, tmp, {})
    if r.returncode != 1 or "DD101 root-user" not in r.stdout:
        fail("the job on the sample: exit %d, wanted 1 with the text report\n%s%s"
             % (r.returncode, r.stdout[-500:], r.stderr[-500:]))
    try:
        with open(os.path.join(repo, report)) as f:
            issues = json.load(f)
    except (OSError, ValueError) as e:
        return fail("%s: %s" % (report, e))
    keys = {"description", "check_name", "fingerprint", "severity", "location"}
    if not issues or not all(keys <= set(i) for i in issues):
        return fail("%s: not a code quality report: %s" % (report, issues[:1]))
    if len({i["fingerprint"] for i in issues}) != len(issues):
        fail("%s: fingerprints are not unique" % report)
    paths = {i["location"]["path"] for i in issues}
    if paths != set(drydock_finds(repo)) - {"clean/Dockerfile"}:
        fail("%s names %s" % (report, sorted(paths)))
    r = run_gitlab_job(job, repo, tmp, {"DRYDOCK_THRESHOLD": "none"})
    if r.returncode != 0:
        fail("DRYDOCK_THRESHOLD=none: exit %d\n%s" % (r.returncode, r.stderr[-500:]))


# ---- the README's recipes ---------------------------------------------------------------

def test_readme(tmp):
    with open(os.path.join(SRCDIR, "README.md")) as f:
        blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", f.read(), re.S)]
    hooks = {h["id"] for h in load(".pre-commit-hooks.yaml")}
    inputs = set(load("action.yml")["inputs"])
    gitlab = load("ci/gitlab-drydock.yml")["drydock"]
    seen = set()
    for b in blocks:
        text = json.dumps(b)
        if isinstance(b, dict) and "repos" in b:
            seen.add("pre-commit")
            for repo in b["repos"]:
                for h in repo["hooks"]:
                    if h["id"] not in hooks:
                        fail("README: pre-commit hook %s is not in .pre-commit-hooks.yaml" % h["id"])
        if "drydock-dev/drydock@" in text:
            seen.add("action")
            for job in b["jobs"].values():
                for step in job["steps"]:
                    if str(step.get("uses", "")).startswith("drydock-dev/drydock@"):
                        extra = set(step.get("with", {})) - inputs
                        if extra:
                            fail("README: the action has no input %s" % sorted(extra))
        if "gitlab-drydock.yml" in text:
            seen.add("gitlab")
            extra = set(b.get("drydock", {}).get("variables", {})) - set(gitlab["variables"])
            if extra:
                fail("README: the GitLab template has no variable %s" % sorted(extra))
    missing = {"pre-commit", "action", "gitlab"} - seen
    if missing:
        fail("README: no yaml example of %s" % sorted(missing))


TESTS = {"pre-commit": test_pre_commit, "pre-commit-real": test_pre_commit_real, "action": test_action, "gitlab": test_gitlab,
         "readme": test_readme}

if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="drydock-ci.") as tmp:
        try:
            TESTS[sys.argv[2]](os.path.realpath(tmp))
        except Exception as e:  # a crash is a failure with its reason
            fail("%s: %s" % (type(e).__name__, e))
    for why in failures:
        print(why, file=sys.stderr)
    sys.exit(1 if failures else 0)
