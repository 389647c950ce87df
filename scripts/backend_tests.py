#!/usr/bin/env python3
"""Runs the ONNX backend node test cases through the bundled interpreter and holds
the ratchet.

For every case folder under --cases (model.onnx + test_data_set_*/input_N.pb,
output_N.pb, tolerance.json as scripts/backend_models.py writes them) it runs
`convert-cli run model.onnx --test-data CASE` and sorts the case into
  passed       exit 0: every output matched within the case's tolerance
  unsupported  exit 3: the model uses an op (or opset) the interpreter lacks
  failed       exit 1: a mismatch or an error (the message is kept)
  crashed      killed by a signal or timed out (always a failure)
and writes a report (--report-dir: backend-report.md and backend-report.json).

The ratchet (Tests/BackendRatchet):
  passing.txt         cases that passed once; each must keep passing. The list only
                      grows: --update adds the newly passing cases (and never removes).
  known-failures.txt  "case<TAB>reason" for cases of implemented ops that fail for a
                      stated reason; any other failed case is an error, since every op
                      the interpreter registers must pass its tests or say why not.
Exit status 1 when a listed case stopped passing, a case failed without a listed
reason, or a case crashed. The last line is `backend-tests: N passed, M failed, K skipped`
(skipped = unsupported + known failures).

The Makefile calls it as:
    .venv/bin/python scripts/backend_tests.py --cli .build/debug/convert-cli \\
        --cases build-data/backend/node --cases build-data/backend/simple \\
        --cases build-data/backend/pytorch-converted --cases build-data/backend/pytorch-operator \\
        --report-dir build-data
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RATCHET = os.path.join(os.path.dirname(HERE), "Tests", "BackendRatchet")


def read_list(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [ln.rstrip("\n") for ln in f if ln.strip() and not ln.startswith("#")]


def run_case(cli, case_dir, timeout):
    start = time.monotonic()
    try:
        p = subprocess.run([cli, "run", os.path.join(case_dir, "model.onnx"), "--test-data", case_dir],
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "crashed", f"timed out after {timeout}s", time.monotonic() - start
    elapsed = time.monotonic() - start
    msg = (p.stderr.strip().splitlines() or [""])[-1]
    if p.returncode == 0:
        return "passed", "", elapsed
    if p.returncode == 3:
        return "unsupported", msg, elapsed
    if p.returncode == 1:
        return "failed", msg, elapsed
    return "crashed", f"exit {p.returncode}: {msg}", elapsed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--cases", required=True, action="append",
                    help="folder of case folders (.../node); repeatable. Cases outside a folder named "
                         "'node' are named FOLDER/CASE")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--filter", help="only cases whose name matches this regex (no ratchet check)")
    ap.add_argument("--report-dir", help="where to write backend-report.md/.json")
    ap.add_argument("--update", action="store_true", help="add newly passing cases to passing.txt")
    ap.add_argument("--verbose", action="store_true", help="print every non-passing case")
    args = ap.parse_args(argv)

    cli = os.path.abspath(args.cli)
    if not os.access(cli, os.X_OK):
        print(f"error: {args.cli}: not an executable (build convert-cli first)", file=sys.stderr)
        return 2
    dirs = {}
    for root in args.cases:
        if not os.path.isdir(root):
            print(f"error: {root}: no such folder", file=sys.stderr)
            return 2
        prefix = "" if os.path.basename(os.path.normpath(root)) == "node" else os.path.basename(os.path.normpath(root)) + "/"
        for n in os.listdir(root):
            if os.path.isfile(os.path.join(root, n, "model.onnx")):
                dirs[prefix + n] = os.path.join(root, n)
    names = sorted(dirs)
    if args.filter:
        names = [n for n in names if re.search(args.filter, n)]
    if not names:
        print(f"error: no test cases under {', '.join(args.cases)}", file=sys.stderr)
        return 2

    start = time.monotonic()
    results = {}
    with cf.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futs = {pool.submit(run_case, cli, dirs[n], args.timeout): n for n in names}
        for f in cf.as_completed(futs):
            results[futs[f]] = f.result()

    passing = set(read_list(os.path.join(RATCHET, "passing.txt")))
    known = {}
    for ln in read_list(os.path.join(RATCHET, "known-failures.txt")):
        name, _, reason = ln.partition("\t")
        known[name] = reason.strip()

    by = {"passed": [], "unsupported": [], "failed": [], "crashed": []}
    for n in names:
        by[results[n][0]].append(n)
    regressions = sorted(n for n in passing if n in results and results[n][0] != "passed")
    unexplained = sorted(n for n in by["failed"] if n not in known)
    crashed = sorted(by["crashed"])
    new = sorted(n for n in by["passed"] if n not in passing)
    check_ratchet = not args.filter

    if args.report_dir:
        os.makedirs(args.report_dir, exist_ok=True)
        with open(os.path.join(args.report_dir, "backend-report.json"), "w") as f:
            json.dump({n: {"status": s, "message": m, "seconds": round(t, 3)} for n, (s, m, t) in sorted(results.items())},
                      f, indent=1)
        with open(os.path.join(args.report_dir, "backend-report.md"), "w") as f:
            f.write("# ONNX backend node tests through the interpreter\n\n")
            f.write(f"{len(by['passed'])} passed, {len(by['failed'])} failed, {len(by['unsupported'])} unsupported, "
                    f"{len(crashed)} crashed, of {len(names)}\n\n| case | status | message |\n|---|---|---|\n")
            for n in names:
                s, m, _ = results[n]
                if s != "passed":
                    f.write(f"| {n} | {s} | {m.replace('|', '/')[:300]} |\n")

    if args.update and check_ratchet and new:
        merged = sorted(passing | set(new))
        with open(os.path.join(RATCHET, "passing.txt"), "w") as f:
            f.write("# ONNX backend node test cases that pass through the interpreter; this list only grows.\n")
            f.write("# Regenerate with: make backend-tests UPDATE=1\n")
            f.write("\n".join(merged) + "\n")
        print(f"backend-tests: added {len(new)} newly passing cases to passing.txt")
    elif new and check_ratchet:
        print(f"backend-tests: {len(new)} cases pass that passing.txt does not list yet (make backend-tests UPDATE=1 adds them)")

    problems = []
    if check_ratchet:
        problems += [f"regression: {n}: {results[n][0]}: {results[n][1]}" for n in regressions]
    problems += [f"failed without a reason in known-failures.txt: {n}: {results[n][1]}" for n in unexplained]
    problems += [f"crashed: {n}: {results[n][1]}" for n in crashed]
    for p in problems:
        print(p)
    if args.verbose:
        for n in by["unsupported"]:
            print(f"unsupported: {n}: {results[n][1]}")
        for n in by["failed"]:
            if n in known:
                print(f"known failure: {n}: {known[n]}")
    skipped = len(by["unsupported"]) + sum(1 for n in by["failed"] if n in known)
    print(f"backend-tests: {len(names)} cases in {time.monotonic() - start:.1f}s with {args.jobs} jobs; "
          f"{len(passing & set(by['passed']))} of {len(passing & set(names))} listed still pass")
    print(f"backend-tests: {len(by['passed'])} passed, {len(problems)} failed, {skipped} skipped")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
