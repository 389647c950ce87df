"""Whole-process measurement shared by the conversion benchmarks (bench_xgboost.py,
bench_lightgbm.py, bench_sklearn.py, bench_pickle.py): one run of a command under GNU
time -v, giving its wall time and peak resident set size."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time

TIME_BIN = "/usr/bin/time"


def fail(msg):
    raise SystemExit(f"error: {msg}")


class RunFailed(SystemExit):
    """A measured command exited non-zero or wrote nothing. Uncaught, it ends the script
    like fail() does; `reason` is the message without the "error:" prefix."""

    def __init__(self, reason):
        super().__init__(f"error: {reason}")
        self.reason = reason


def require_time_bin():
    if not os.access(TIME_BIN, os.X_OK):
        fail(f"{TIME_BIN} is missing (Debian package `time`)")


def measure(cmd, log, out=None, keep_stdout=True):
    """Runs cmd under GNU time -v once; returns (wall seconds, peak RSS bytes).

    With `out`, that file is removed first and must exist, non-empty, afterwards. With
    keep_stdout=False the command's stdout goes to /dev/null (large dumps), otherwise it
    is kept for the error message."""
    if out and os.path.exists(out):
        os.remove(out)
    t = time.perf_counter()
    p = subprocess.run([TIME_BIN, "-v", "-o", log] + cmd, stderr=subprocess.PIPE, text=True,
                       stdout=subprocess.PIPE if keep_stdout else subprocess.DEVNULL)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        tail = "\n  ".join((p.stderr.strip() or (p.stdout or "").strip() or "(no output)").splitlines()[-8:])
        raise RunFailed(f"{' '.join(cmd)} failed (exit {p.returncode}):\n  {tail}")
    if out and (not os.path.exists(out) or os.path.getsize(out) == 0):
        raise RunFailed(f"{' '.join(cmd)} exited 0 but wrote no {out}")
    with open(log) as fh:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", fh.read())
    if not m:
        fail(f"{TIME_BIN} -v gave no peak RSS for {' '.join(cmd)}")
    return wall, int(m.group(1)) * 1024


def checked_cli(path):
    """The convert-cli binary's absolute path; fails when none is there."""
    cli = os.path.abspath(path)
    if not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        fail(f"{path}: no convert-cli binary there (build it first, e.g. `make release`)")
    return cli


def require_imports(python, code, hint):
    """Fails, naming `hint` (what to pip install), when `python -c code` does not run."""
    probe = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        fail(f"{python} cannot `{code}` ({last}); {hint}")


@contextlib.contextmanager
def work_folder(path, prefix):
    """`path` (created if needed, kept afterwards), or a temporary folder removed at the end."""
    if path:
        folder = os.path.abspath(path)
        os.makedirs(folder, exist_ok=True)
        yield folder
        return
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def time_rounds(runs, log, repeat, outs=None, keep_stdout=True, label=str):
    """Runs every command of `runs` (name -> argv) `repeat` times, alternating, each under
    measure(); prints a line per round; returns (wall times per name, largest peak RSS
    per name). `outs` names each run's output file, which must appear."""
    times = {k: [] for k in runs}
    peaks = {k: 0 for k in runs}
    for i in range(repeat):
        for name, cmd in runs.items():
            wall, rss = measure(cmd, log, out=(outs or {}).get(name), keep_stdout=keep_stdout)
            times[name].append(wall)
            peaks[name] = max(peaks[name], rss)
        print(f"round {i + 1}/{repeat}: " + ", ".join(f"{label(k)} {times[k][-1]:.3f} s" for k in runs), flush=True)
    return times, peaks
