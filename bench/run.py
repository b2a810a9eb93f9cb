#!/usr/bin/env python3
"""drydock benchmarks: wall time and peak memory of real runs of the binary,
and of two npm peers on the same files.

Usage: bench/run.py [--drydock PATH] [--corpus DIR] [--runs N] [--peak HELPER]
                    [--peers DIR | --no-peers]

Each scenario runs N times (default 5) as one process, started by the small
bench/peak helper; the median wall time and the largest peak RSS (wait4)
are printed with the target the issue tracker set for it. The peers
(dockerfile-utils, dockerfilelint) are installed by npm into DIR (default
build/bench-peers, git-ignored) the first time. Exit status 1 when a
target is missed.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

PEAK = None  # the bench/peak helper, built by make bench
PEERS = ["dockerfile-utils@0.16.3", "dockerfilelint@1.8.0"]


def run_once(argv, env=None):
    """Run argv through the peak helper; return (seconds, peak RSS in KiB, status)."""
    out = subprocess.run([PEAK] + argv, check=True, capture_output=True, text=True, env=env).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def measure(argv, runs, ok_status, env=None):
    times, peak = [], 0
    for _ in range(runs):
        took, rss, status = run_once(argv, env)
        if status not in ok_status:
            sys.exit(f"bench: {' '.join(argv[:4])} … exited with {status}")
        times.append(took)
        peak = max(peak, rss)
    return statistics.median(times), peak


def realworld_files(corpus):
    root = os.path.join(corpus, "realworld")
    out = []
    for d, _, files in os.walk(root):
        out += [os.path.join(d, f) for f in files if f != "MANIFEST.tsv"]
    return sorted(out)


def big_file(path, megabytes):
    """A Dockerfile of about `megabytes` MB: many stages of ordinary instructions."""
    block = (
        "FROM debian:12-slim AS s{n}\n"
        "ARG VERSION=1.{n}\n"
        "ENV APP_HOME=/app PATH=/app/bin:$PATH\n"
        "RUN apt-get update \\\n"
        "    && apt-get install -y --no-install-recommends curl ca-certificates \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "COPY --chown=10001:10001 src/ /app/src/\n"
        "LABEL org.opencontainers.image.version=\"${{VERSION}}\"\n"
        "USER 10001:10001\n"
        "CMD [\"/app/bin/server\", \"--port\", \"8080\"]\n"
    )
    with open(path, "w") as f:
        n, size = 0, 0
        while size < megabytes * 1024 * 1024:
            s = block.format(n=n)
            f.write(s)
            size += len(s)
            n += 1


def continuation_file(path, lines):
    """One RUN continued over `lines` lines."""
    with open(path, "w") as f:
        f.write("FROM debian:12-slim\nRUN set -e \\\n")
        for i in range(lines):
            f.write(f"    && echo line-{i} \\\n")
        f.write("    && true\nUSER 10001:10001\n")


def install_peers(folder):
    """npm install the peers into folder once; returns their runners or None."""
    bins = os.path.join(folder, "node_modules", ".bin")
    if not os.path.exists(os.path.join(bins, "dockerfilelint")):
        os.makedirs(folder, exist_ok=True)
        r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", folder] + PEERS,
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"bench: npm install of the peers failed; peers skipped\n{r.stderr[-400:]}", file=sys.stderr)
            return None
    # one process each over all files through their library APIs: dockerfile-utils' CLI
    # takes one file, and dockerfilelint's CLI stops at the first file it crashes on
    scripts = {}
    for name, call in (("utils", "u.validate(text).length"), ("dockerfilelint", "u.run(process.cwd(), text).length")):
        mod = os.path.join(folder, "node_modules", "dockerfile-utils" if name == "utils" else "dockerfilelint")
        script = os.path.join(folder, f"{name}-all.js")
        with open(script, "w") as f:
            f.write("const fs = require('fs');\n"
                    f"const u = require({mod!r});\n"
                    "let n = 0, crashed = 0;\n"
                    "for (const p of fs.readFileSync(process.argv[2], 'utf8').split('\\n').filter(Boolean)) {\n"
                    "  const text = fs.readFileSync(p, 'utf8');\n"
                    f"  try {{ n += {call}; }} catch (e) {{ crashed++; }}\n"
                    "}\n"
                    "console.log(n, crashed);\n")
        scripts[name] = script
    return scripts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--drydock", default="./drydock")
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peak", default="build/bench/peak")
    ap.add_argument("--peers", default="build/bench-peers")
    ap.add_argument("--no-peers", action="store_true")
    a = ap.parse_args()
    global PEAK
    PEAK = os.path.abspath(a.peak)

    files = realworld_files(a.corpus)
    if len(files) < 600:
        sys.exit(f"bench: only {len(files)} files under {a.corpus}/realworld")
    nbytes = sum(os.path.getsize(f) for f in files)
    dd = os.path.abspath(a.drydock)
    tmp = tempfile.mkdtemp(prefix="drydock-bench.")
    big, small = os.path.join(tmp, "big.Dockerfile"), os.path.join(tmp, "small.Dockerfile")
    cont, cont10 = os.path.join(tmp, "cont.Dockerfile"), os.path.join(tmp, "cont10.Dockerfile")
    big_file(big, 10)
    big_file(small, 1)
    continuation_file(cont, 100000)
    continuation_file(cont10, 10000)
    listing = os.path.join(tmp, "files.txt")
    with open(listing, "w") as f:
        f.write("\n".join(files) + "\n")

    print(f"drydock bench: {len(files)} real-world files ({nbytes / 1e6:.2f} MB), "
          f"{os.cpu_count()} cores, median of {a.runs} runs")
    print(f"{'scenario':<30} {'wall':>9} {'files/s':>9} {'MB/s':>7} {'peak RSS':>10}  target")
    missed, walls = [], {}

    def row(name, wall, rss, count=None, size=None, t_s=None, t_mib=None):
        walls[name] = wall
        verdict = []
        if t_s is not None:
            verdict.append(f"≤ {t_s * 1000:.0f} ms {'ok' if wall <= t_s else 'MISSED'}")
            if wall > t_s:
                missed.append(f"{name}: {wall * 1000:.0f} ms")
        if t_mib is not None:
            mib = rss / 1024
            verdict.append(f"≤ {t_mib} MiB {'ok' if mib <= t_mib else 'MISSED'}")
            if mib > t_mib:
                missed.append(f"{name}: {mib:.1f} MiB")
        fps = f"{count / wall:9.0f}" if count else " " * 9
        mbs = f"{size / 1e6 / wall:7.1f}" if size else " " * 7
        rs = f"{rss / 1024:7.1f} MiB" if rss is not None else " " * 11
        print(f"{name:<30} {wall * 1000:7.1f}ms {fps} {mbs} {rs}  {', '.join(verdict)}")

    scenarios = [
        ("parse (one process)", [dd, "parse", "-q"] + files, {0}, None, None),
        ("lint (one process)", [dd, "lint", "-q", "-t", "none"] + files, {0}, 0.150, 16),
        ("lint -j1", [dd, "lint", "-q", "-t", "none", "-j", "1"] + files, {0}, None, None),
        ("lint -f sarif", [dd, "lint", "-f", "sarif", "-t", "none"] + files, {0}, None, None),
        ("fix --check (one process)", [dd, "fix", "-q", "--check"] + files, {0, 1}, 0.300, None),
    ]
    for name, argv, ok, t_s, t_mib in scenarios:
        wall, rss = measure(argv, a.runs, ok)
        row(name, wall, rss, len(files), nbytes, t_s, t_mib)

    # one process per file: the pre-commit case
    for cmd, target in (("lint", 0.002), ("fix", None)):
        times = []
        for f in files:
            argv = [dd, cmd, "-q"] + (["-t", "none"] if cmd == "lint" else ["--check"]) + [f]
            times.append(run_once(argv)[0])
        row(f"{cmd}: one process per file", statistics.median(times), None, None, None, target, None)
    true = statistics.median(run_once(["/bin/true"])[0] for _ in range(100))
    print(f"{'  (starting /bin/true)':<30} {true * 1000:7.1f}ms")

    # analysis after parsing, against the parse itself
    parse, lint1 = walls["parse (one process)"], walls["lint -j1"]
    analysis = lint1 - parse
    verdict = "ok" if analysis <= parse else "MISSED"
    if analysis > parse:
        missed.append(f"analysis {analysis * 1000:.0f} ms > parse {parse * 1000:.0f} ms")
    print(f"{'analysis after parsing':<30} {analysis * 1000:7.1f}ms {'':>9} {'':>7} {'':>11}  "
          f"≤ parse ({parse * 1000:.0f} ms) {verdict}")

    # linear time on large inputs
    for name, argv, key in (
        ("lint 1 MB file", [dd, "lint", "-q", "-t", "none", "--no-context", small], "l1"),
        ("lint 10 MB file", [dd, "lint", "-q", "-t", "none", "--no-context", big], "l10"),
        ("lint 10,000-line RUN", [dd, "lint", "-q", "-t", "none", "--no-context", cont10], "c10"),
        ("lint 100,000-line RUN", [dd, "lint", "-q", "-t", "none", "--no-context", cont], "c100"),
    ):
        wall, rss = measure(argv, max(1, a.runs // 2), {0})
        walls[key] = wall
        row(name, wall, rss)
    for name, hi, lo in (("10 MB / 1 MB", "l10", "l1"), ("100k / 10k lines", "c100", "c10")):
        ratio = walls[hi] / max(walls[lo], 1e-6)
        ok = ratio < 15
        if not ok:
            missed.append(f"{name}: time grows {ratio:.1f}x for 10x the input")
        print(f"{'  ' + name:<30} {ratio:8.1f}x {'':>9} {'':>7} {'':>11}  < 15x (linear) {'ok' if ok else 'MISSED'}")

    # the peers, on the same files
    peers = None if a.no_peers else install_peers(os.path.abspath(a.peers))
    if peers:
        env = dict(os.environ, NODE_NO_WARNINGS="1")
        dl_wall, dl_rss = measure(["node", peers["dockerfilelint"], listing], max(1, a.runs // 2), {0}, env)
        du_wall, du_rss = measure(["node", peers["utils"], listing], max(1, a.runs // 2), {0}, env)
        crashed = subprocess.run(["node", peers["dockerfilelint"], listing], capture_output=True, text=True,
                                 env=env).stdout.split()
        if len(crashed) == 2 and crashed[1] != "0":
            print(f"  (dockerfilelint threw on {crashed[1]} of the files; they count in its time)")
        row("dockerfilelint (node)", dl_wall, dl_rss, len(files), nbytes)
        row("dockerfile-utils (node)", du_wall, du_rss, len(files), nbytes)
        ours = walls["lint (one process)"]
        print(f"{'  drydock lint is faster by':<30} {dl_wall / ours:7.1f}x than dockerfilelint, "
              f"{du_wall / ours:.1f}x than dockerfile-utils")
    elif not a.no_peers:
        print("bench: the npm peers could not be installed: no ratios")

    for f in (big, small, cont, cont10, listing):
        os.unlink(f)
    os.rmdir(tmp)
    if missed:
        print("bench: missed " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
