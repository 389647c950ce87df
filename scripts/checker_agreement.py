#!/usr/bin/env python3
"""Checks that the Swift checker (`convert-cli check MODEL`) agrees with onnx's own
(`onnx.checker.check_model(path, full_check=False)`).

* --models DIR (repeatable): every *.onnx under it is checked by both. A model onnx
  accepts must be accepted by convert-cli (exit 0); a model onnx rejects must be
  rejected (exit 1). Any other exit code (a crash, a usage error) is a failure too.
* --broken DIR: a folder of deliberately invalid models with a MANIFEST.tsv, one line
  per model: `file<TAB>expected rule<TAB>onnx message` ('#' lines and a header line
  starting with `file` are skipped). Each listed file must be rejected by both; when
  the rule column is not empty, convert-cli's output must contain it (unless
  --ignore-rules), and when the onnx message column is not empty, onnx's error must
  contain it (case-insensitive; quoted paths match any path, since onnx names the
  model's folder when given a path and '' when given a model in memory).
  A .onnx file in the folder that the manifest does not list is reported.

Every disagreement is listed with both messages. Prints
`checker-agreement: N passed, M failed` on its own last line and exits 1 on any
disagreement. The Makefile calls it as:
    .venv/bin/python scripts/checker_agreement.py --cli .build/debug/convert-cli \\
        --models .build/backend-data [--broken Fixtures/broken]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import re
import subprocess
import sys
import time


def find_models(root: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".onnx"))
    return found


def one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def onnx_verdict(path: str) -> tuple[bool, str]:
    import onnx

    try:
        onnx.checker.check_model(path, full_check=False)
        return True, ""
    except Exception as exc:  # noqa: BLE001 - every checker error is a verdict
        return False, f"{type(exc).__name__}: {exc}"


def cli_verdict(cli: str, path: str, timeout: float) -> tuple[bool | None, str]:
    """(True: valid, False: invalid, None: neither -- crash, usage error, timeout)."""
    try:
        proc = subprocess.run([cli, "check", path], capture_output=True, text=True,
                              errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"convert-cli check took more than {timeout:.0f}s"
    output = "\n".join(s for s in (proc.stdout.strip(), proc.stderr.strip()) if s)
    if proc.returncode == 0:
        return True, output
    if proc.returncode == 1:
        return False, output
    what = f"exit code {proc.returncode}" if proc.returncode > 0 else \
        f"killed by signal {-proc.returncode}"
    return None, f"{what}: {output}"


def read_manifest(path: str) -> list[tuple[str, str, str, int]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if lineno == 1 and cols[0].strip().lower() == "file":
                continue
            cols += [""] * (3 - len(cols))
            rows.append((cols[0].strip(), cols[1].strip(), cols[2].strip(), lineno))
    return rows


def _norm(text: str) -> str:
    # Quoted paths depend on how the model was handed to the checker (in memory: '',
    # by path: its folder), so they are compared as placeholders.
    return re.sub(r"'[^']*/[^']*'|''", "'<path>'", " ".join(text.split())).lower()


def message_matches(expected: str, actual: str) -> bool:
    return expected.lower() in actual.lower() or _norm(expected) in _norm(actual)


def without_path(text: str, path: str) -> str:
    """The CLI's output minus the model's own path and file name, which are often named
    after the rule they break and would otherwise always 'contain' it."""
    for p in sorted({path, os.path.abspath(path), os.path.basename(path)}, key=len, reverse=True):
        text = text.replace(p, "<model>")
    return text


def check_valid_corpus(cli: str, path: str, timeout: float) -> tuple[bool, str]:
    ok_onnx, msg_onnx = onnx_verdict(path)
    ok_cli, msg_cli = cli_verdict(cli, path, timeout)
    if ok_cli is None:
        return False, f"convert-cli check failed to give a verdict ({one_line(msg_cli)}); " \
                      f"onnx: {'valid' if ok_onnx else one_line(msg_onnx)}"
    if ok_onnx == ok_cli:
        return True, ""
    if ok_onnx:
        return False, f"onnx accepts, convert-cli rejects: {one_line(msg_cli) or '(no message)'}"
    return False, f"onnx rejects ({one_line(msg_onnx)}), convert-cli accepts"


def check_broken(cli: str, path: str, rule: str, onnx_msg: str, timeout: float,
                 ignore_rules: bool) -> tuple[bool, str]:
    ok_onnx, msg_onnx = onnx_verdict(path)
    ok_cli, msg_cli = cli_verdict(cli, path, timeout)
    problems = []
    if ok_onnx:
        problems.append("onnx accepts it")
    elif onnx_msg and not message_matches(onnx_msg, msg_onnx):
        problems.append(f"onnx's message lacks {onnx_msg!r}")
    if ok_cli is None:
        problems.append(f"convert-cli check gave no verdict ({one_line(msg_cli)})")
    elif ok_cli:
        problems.append("convert-cli accepts it")
    elif rule and not ignore_rules and rule not in without_path(msg_cli, path):
        problems.append(f"convert-cli's message lacks rule {rule!r}")
    if not problems:
        return True, ""
    return False, "; ".join(problems) + \
        f" | onnx: {one_line(msg_onnx) or 'valid'} | convert-cli: {one_line(msg_cli) or '(no message)'}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True, help="path to the built convert-cli")
    ap.add_argument("--models", action="append", default=[], metavar="DIR",
                    help="folder of models to check with both checkers (repeatable)")
    ap.add_argument("--broken", action="append", default=[], metavar="DIR",
                    help="folder of invalid models with a MANIFEST.tsv (repeatable)")
    ap.add_argument("--ignore-rules", action="store_true",
                    help="do not require the manifest's rule name in convert-cli's output")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per check")
    args = ap.parse_args(argv)

    if not args.models and not args.broken:
        ap.error("give --models and/or --broken")
    cli = os.path.abspath(args.cli)
    if not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        print(f"error: {args.cli}: no such executable (build convert-cli first)", file=sys.stderr)
        return 2

    tasks = []  # (label, callable, args)
    notes = []
    for root in args.models:
        if not os.path.isdir(root):
            print(f"error: {root}: no such folder", file=sys.stderr)
            return 2
        for m in find_models(root):
            tasks.append((os.path.relpath(m, root), check_valid_corpus, (cli, m, args.timeout)))
    missing = []
    for root in args.broken:
        manifest = os.path.join(root, "MANIFEST.tsv")
        if not os.path.isfile(manifest):
            print(f"error: {manifest}: no such file", file=sys.stderr)
            return 2
        listed = set()
        for name, rule, onnx_msg, lineno in read_manifest(manifest):
            path = os.path.join(root, name)
            listed.add(os.path.normpath(path))
            label = f"broken/{name}"
            if not os.path.isfile(path):
                missing.append((label, f"MANIFEST.tsv line {lineno} names a file that is not there"))
                continue
            tasks.append((label, check_broken,
                          (cli, path, rule, onnx_msg, args.timeout, args.ignore_rules)))
        for m in find_models(root):
            if os.path.normpath(m) not in listed:
                notes.append(f"note: {m} is not listed in {manifest}; not checked")
    if not tasks and not missing:
        print("error: no models found", file=sys.stderr)
        return 1

    start = time.monotonic()
    results = {}
    with cf.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futs = {pool.submit(fn, *fargs): i for i, (_label, fn, fargs) in enumerate(tasks)}
        for fut in cf.as_completed(futs):
            try:
                results[futs[fut]] = fut.result()
            except Exception as exc:  # noqa: BLE001 - report, do not stop the run
                results[futs[fut]] = (False, f"internal error: {exc!r}")
    elapsed = time.monotonic() - start

    failures = [(tasks[i][0], results[i][1]) for i in range(len(tasks)) if not results[i][0]]
    failures += missing
    passed = len(tasks) - (len(failures) - len(missing))
    for label, msg in failures:
        print(f"FAIL {label}: {msg}")
    for n in notes:
        print(n)
    print(f"checker-agreement: {len(tasks) + len(missing)} models in {elapsed:.1f}s")
    print(f"checker-agreement: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
