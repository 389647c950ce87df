#!/usr/bin/env python3
"""Runs the readers' libFuzzer targets one after another (`make fuzz`).

For each target (all that `reader-fuzz list` names, or those of --targets): copies its
seed fixtures and its regression corpus into the working corpus build-data/fuzz/<target>/,
fuzzes it for --seconds, with crashes, timeouts, leaks and out-of-memory inputs going to
build-data/fuzz/findings/<target>/ and libFuzzer's output to build-data/fuzz/logs/<target>.log,
then prints a table: target, executions, exec/s, corpus size, findings.
Exits 1 when anything was found. Standard library only (no venv).
"""
import argparse
import os
import re
import subprocess
import sys
import time

FINDING_PREFIXES = ("crash-", "timeout-", "leak-", "oom-")


def targets(binary):
    out = subprocess.run([binary, "list"], check=True, capture_output=True, text=True).stdout
    rows = [line.split("\t") for line in out.splitlines() if line.strip()]
    return [(r[0], r[1] == "1") for r in rows]


def parse_log(text):
    """(executions, exec/s, last error line) from libFuzzer's output."""
    runs = speed = None
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", text)
    if m:
        runs = int(m.group(1))
    m = re.search(r"stat::average_exec_per_sec:\s*(\d+)", text)
    if m:
        speed = int(m.group(1))
    m = re.search(r"Done (\d+) runs in (\d+) second", text)
    if m and runs is None:
        runs = int(m.group(1))
        speed = runs // max(1, int(m.group(2)))
    if runs is None:
        # Killed before the final stats: the last status line ("#123 ... exec/s: 45").
        status = re.findall(r"^#(\d+)\s.*?exec/s: (\d+)", text, re.M)
        if status:
            runs, speed = int(status[-1][0]), int(status[-1][1])
    error = None
    for line in text.splitlines():
        if re.search(r"==\d+==\s*ERROR|^SUMMARY: |ERROR: libFuzzer|Fatal error", line):
            error = line.strip()
            break
    return runs, speed, error


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--targets", default="", help="comma-separated names; empty: every target")
    ap.add_argument("--out", default="build-data/fuzz")
    ap.add_argument("--fixtures", default="Fixtures")
    ap.add_argument("--flags", default="", help="more libFuzzer flags, space-separated")
    a = ap.parse_args()

    known = targets(a.binary)
    chosen = [t for t in a.targets.split(",") if t] if a.targets else [n for n, _ in known]
    leaks = dict(known)
    unknown = [t for t in chosen if t not in leaks]
    if unknown:
        sys.exit(f"fuzz: unknown target(s) {', '.join(unknown)}; known: {', '.join(n for n, _ in known)}")

    rows = []
    for name in chosen:
        corpus = os.path.join(a.out, name)
        findings = os.path.join(a.out, "findings", name)
        work = os.path.join(a.out, "work", name)
        logs = os.path.join(a.out, "logs")
        for d in (corpus, findings, logs):
            os.makedirs(d, exist_ok=True)
        env = dict(os.environ, FUZZ_TARGET=name, FUZZ_FIXTURES=a.fixtures, FUZZ_WORK=work, SWIFT_BACKTRACE="enable=no")
        if not leaks[name]:
            # Also the sanitizer's own check at exit, not only libFuzzer's per input.
            env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS", ""), "detect_leaks=0"]))
        subprocess.run([a.binary, "seed", name, corpus], check=True, env=env, stdout=subprocess.DEVNULL)
        before = set(os.listdir(findings))
        log = os.path.join(logs, name + ".log")
        cmd = [a.binary, corpus, f"-max_total_time={a.seconds}", "-timeout=10", "-rss_limit_mb=2048",
               f"-artifact_prefix={findings}/", f"-detect_leaks={1 if leaks[name] else 0}", "-print_final_stats=1"]
        cmd += a.flags.split()
        print(f"fuzz: {name} for {a.seconds} s ({log})", flush=True)
        started = time.time()
        # Output to a file, never a pipe: the sanitizer's symbolizer can keep a pipe open.
        with open(log, "w") as f:
            status = subprocess.run(cmd, env=env, stdout=f, stderr=subprocess.STDOUT).returncode
        elapsed = time.time() - started
        with open(log, errors="replace") as f:
            runs, speed, error = parse_log(f.read())
        new = sorted(f for f in set(os.listdir(findings)) - before if f.startswith(FINDING_PREFIXES))
        rows.append((name, int(elapsed), runs, speed, len(os.listdir(corpus)), new, status, error))

    print()
    print(f"| target | seconds | executions | exec/s | corpus | findings |")
    print(f"|---|---:|---:|---:|---:|---|")
    for name, secs, runs, speed, corpus, new, status, error in rows:
        found = ", ".join(new) if new else ("none" if status == 0 else f"exit {status}: {error or 'see the log'}")
        print(f"| {name} | {secs} | {runs if runs is not None else '?'} | {speed if speed is not None else '?'} | {corpus} | {found} |")
    bad = [r for r in rows if r[5] or r[6] != 0]
    if bad:
        print(f"\nfuzz: findings in {', '.join(r[0] for r in bad)}: inputs under {a.out}/findings/<target>/, output in {a.out}/logs/<target>.log;"
              f" replay one with `reader-fuzz <target> FILE` (a normal build shows the Swift error)")
        sys.exit(1)


if __name__ == "__main__":
    main()
