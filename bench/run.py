#!/usr/bin/env python3
"""drydock benchmarks: wall time and peak memory of real runs of the binary.

Usage: bench/run.py [--drydock PATH] [--corpus DIR] [--runs N] [--peak HELPER]

Each scenario runs N times (default 5) as one process, started by the small
bench/peak helper; the median wall time and the largest peak RSS (wait4) are
printed with the target the issue
tracker set for it. Exit status 1 when a median or a peak misses its target.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile


PEAK = None  # the bench/peak helper, built by make bench


def run_once(argv):
    """Run argv through the peak helper; return (seconds, peak RSS in KiB, status)."""
    out = subprocess.run([PEAK] + argv, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def measure(argv, runs, ok_status):
    times, peak = [], 0
    for _ in range(runs):
        took, rss, status = run_once(argv)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--drydock", default="./drydock")
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peak", default="build/bench/peak")
    a = ap.parse_args()
    global PEAK
    PEAK = os.path.abspath(a.peak)

    files = realworld_files(a.corpus)
    if len(files) < 600:
        sys.exit(f"bench: only {len(files)} files under {a.corpus}/realworld")
    nbytes = sum(os.path.getsize(f) for f in files)
    dd = os.path.abspath(a.drydock)
    tmp = tempfile.mkdtemp(prefix="drydock-bench.")
    big = os.path.join(tmp, "big.Dockerfile")
    big_file(big, 10)
    small = os.path.join(tmp, "small.Dockerfile")
    big_file(small, 1)

    # (name, argv, accepted exit statuses, target seconds, target MiB)
    scenarios = [
        ("parse realworld", [dd, "parse", "-q"] + files, {0}, None, None),
        ("lint realworld", [dd, "lint", "-q", "-t", "none"] + files, {0}, 0.3, 16),
        ("lint realworld -j1", [dd, "lint", "-q", "-t", "none", "-j", "1"] + files, {0}, None, None),
        ("lint realworld sarif", [dd, "lint", "-f", "sarif", "-t", "none"] + files, {0}, None, None),
        ("parse 1 MB file", [dd, "parse", "-q", small], {0}, None, None),
        ("parse 10 MB file", [dd, "parse", "-q", big], {0}, None, None),
        ("lint 10 MB file", [dd, "lint", "-q", "-t", "none", "--no-context", big], {0}, None, None),
    ]
    print(f"drydock bench: {len(files)} real-world files ({nbytes / 1e6:.2f} MB), "
          f"{os.cpu_count()} cores, median of {a.runs} runs")
    print(f"{'scenario':<24} {'wall':>9} {'peak RSS':>10}  target")
    missed = []
    walls = {}
    for name, argv, ok, t_s, t_mib in scenarios:
        wall, rss = measure(argv, a.runs, ok)
        walls[name] = wall
        mib = rss / 1024
        verdict = []
        if t_s is not None:
            verdict.append(f"< {t_s} s {'ok' if wall < t_s else 'MISSED'}")
            if wall >= t_s:
                missed.append(f"{name}: {wall:.3f} s")
        if t_mib is not None:
            verdict.append(f"< {t_mib} MiB {'ok' if mib < t_mib else 'MISSED'}")
            if mib >= t_mib:
                missed.append(f"{name}: {mib:.1f} MiB")
        print(f"{name:<24} {wall:8.3f}s {mib:7.1f} MiB  {', '.join(verdict)}")
    # linear time: ten times the input, at most ~15 times the time (caches)
    ratio = walls["parse 10 MB file"] / max(walls["parse 1 MB file"], 1e-6)
    print(f"{'parse 10 MB / 1 MB':<24} {ratio:8.1f}x {'':>10}  < 15x {'ok' if ratio < 15 else 'MISSED'}")
    if ratio >= 15:
        missed.append(f"parse time grows {ratio:.1f}x for 10x the input")
    for f in (big, small):
        os.unlink(f)
    os.rmdir(tmp)
    if missed:
        print("bench: missed " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
