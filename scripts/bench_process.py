"""Whole-process measurement shared by the conversion benchmarks (bench_xgboost.py,
bench_lightgbm.py, bench_sklearn.py, bench_pickle.py): one run of a command under GNU
time -v, giving its wall time and peak resident set size."""
from __future__ import annotations

import os
import re
import subprocess
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
