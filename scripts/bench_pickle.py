#!/usr/bin/env python3
"""Times reading a 200-tree scikit-learn RandomForestClassifier saved with joblib (about
15 MB) and pickle: the whole `convert-cli dump` process against the whole process of a
Python that loads the file with joblib.load (or pickle.load), in one run, and prints the
ratios convert-cli/Python (below 1: convert-cli is faster or smaller).

The model (generated here, never committed): RandomForestClassifier(n_estimators=200,
max_leaf_nodes=--leaves, random_state=SEED, n_jobs=1) fitted on --rows synthetic rows x 20
features with a noisy binary label (numpy.random.default_rng(SEED)), so every tree has
2 * leaves - 1 nodes (80 bytes each in the node and value arrays). It is saved, in a
temporary folder (or --workdir, where existing files are reused), as
  forest.joblib      joblib.dump(model, path)                  (compress=0: 15.1 MB, 14.4 MiB)
  forest-z3.joblib   joblib.dump(model, path, compress=3)      (zlib)
  forest.pkl         pickle.dump(model, fh, protocol=5)

Measured, --repeat times each, alternating, median wall time and the largest peak RSS
(GNU time -v, "Maximum resident set size"), each a fresh process:
  convert-cli dump   <cli> dump FILE --depth 2 > /dev/null
  python load        <python> -c "import joblib; joblib.load(FILE)"       (.joblib)
                     <python> -c "import pickle; pickle.load(open(FILE, 'rb'))"  (.pkl)
  python imports     <python> -c "import joblib, sklearn.ensemble" (once per round, not a
                     target: the part of Python's time that is start-up and imports, which
                     the load cannot avoid since unpickling imports the estimator classes)
Before timing, each file is dumped once with its output kept, and must name
RandomForestClassifier and show `'estimators_': a list of 200`; Python's load must give
200 estimators.

Target (issue 6): convert-cli no slower than Python (time ratio <= 1.0). Peak memory is
printed alongside (no target).

Needs a Python with scikit-learn and joblib:
    python3 -m venv /tmp/venv-pybench
    /tmp/venv-pybench/bin/pip install numpy==2.4.6 scikit-learn==1.9.1 joblib==1.6.0
    /tmp/venv-pybench/bin/python scripts/bench_pickle.py --cli .build/release/convert-cli
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import time

import numpy as np

from bench_process import checked_cli, require_imports, work_folder, time_rounds, fail, require_time_bin

SEED = 20250406
N_FEATURES = 20
N_TREES = 200

FILES = (("joblib", "forest.joblib"), ("joblib z3", "forest-z3.joblib"), ("pickle 5", "forest.pkl"))
JOBLIB_LOAD = "import sys, joblib; joblib.load(sys.argv[1])"
PICKLE_LOAD = "import sys, pickle\nwith open(sys.argv[1], 'rb') as fh: pickle.load(fh)"
IMPORTS_ONLY = "import joblib, sklearn.ensemble"



def make_model(workdir, rows, leaves):
    """Fits the forest and saves it three ways (or reuses the files in workdir); returns their paths."""
    import joblib
    import sklearn
    from sklearn.ensemble import RandomForestClassifier

    paths = {label: os.path.join(workdir, name) for label, name in FILES}
    meta = os.path.join(workdir, "meta.json")
    want = {"seed": SEED, "rows": rows, "leaves": leaves, "trees": N_TREES, "features": N_FEATURES,
            "sklearn": sklearn.__version__, "joblib": joblib.__version__, "numpy": np.__version__}
    if all(os.path.exists(p) for p in paths.values()) and os.path.exists(meta):
        with open(meta) as fh:
            if json.load(fh) == want:
                print(f"reusing the model in {workdir}", flush=True)
                return paths
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((rows, N_FEATURES))
    w = rng.standard_normal(N_FEATURES)
    y = (X @ w + 2 * np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] + 2 * rng.standard_normal(rows) > 0).astype(np.int64)
    t = time.perf_counter()
    model = RandomForestClassifier(n_estimators=N_TREES, max_leaf_nodes=leaves, random_state=SEED, n_jobs=1)
    model.fit(X, y)
    print(f"fitted {N_TREES} trees of <= {leaves} leaves on {rows} x {N_FEATURES} in "
          f"{time.perf_counter() - t:.1f} s", flush=True)
    joblib.dump(model, paths["joblib"])
    joblib.dump(model, paths["joblib z3"], compress=3)
    with open(paths["pickle 5"], "wb") as fh:
        pickle.dump(model, fh, protocol=5)
    with open(meta, "w") as fh:
        json.dump(want, fh)
    return paths




def check(cli, python, paths):
    """One untimed run of each reader per file: the dump must name the forest, the load must give 200 trees."""
    for label, path in paths.items():
        p = subprocess.run([cli, "dump", path, "--depth", "2"], capture_output=True, text=True)
        if p.returncode != 0:
            fail(f"convert-cli dump {path} failed (exit {p.returncode}): {p.stderr.strip()[-400:]}")
        want = f"'estimators_': a list of {N_TREES}"
        if "RandomForestClassifier" not in p.stdout or want not in p.stdout:
            fail(f"convert-cli dump {path} does not show a RandomForestClassifier with {want!r}:\n{p.stdout[:2000]}")
        load = PICKLE_LOAD.replace("pickle.load(fh)", "m = pickle.load(fh)") if path.endswith(".pkl") \
            else JOBLIB_LOAD.replace("joblib.load", "m = joblib.load")
        p = subprocess.run([python, "-c", load + "\nprint(len(m.estimators_))", path], capture_output=True, text=True)
        if p.returncode != 0 or p.stdout.strip() != str(N_TREES):
            fail(f"{python} could not load {path} into {N_TREES} trees: {(p.stderr or p.stdout).strip()[-400:]}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True, help="the convert-cli binary")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python that loads the files (default: this one)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rows", type=int, default=5000, help="training rows (default 5000)")
    ap.add_argument("--leaves", type=int, default=469,
                    help="max_leaf_nodes per tree (default 469: a forest.joblib of about 15 MB)")
    ap.add_argument("--workdir", help="keep the files here (reused when they match) instead of a temp folder")
    ap.add_argument("--only", choices=[label for label, _ in FILES], action="append",
                    help="files to time (default: all three)")
    args = ap.parse_args(argv)

    cli = checked_cli(args.cli)
    require_time_bin()
    require_imports(args.python, IMPORTS_ONLY, "pip install numpy==2.4.6 scikit-learn==1.9.1 joblib==1.6.0")
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    if args.leaves < 2:
        fail("--leaves must be at least 2")
    labels = args.only or [label for label, _ in FILES]

    with work_folder(args.workdir, "bench-pickle-") as workdir:
        paths = make_model(workdir, args.rows, args.leaves)
        paths = {k: v for k, v in paths.items() if k in labels}
        sizes = {k: os.path.getsize(v) for k, v in paths.items()}
        check(cli, args.python, paths)
        log = os.path.join(workdir, "time.log")
        runs = {}
        for label, path in paths.items():
            code = PICKLE_LOAD if path.endswith(".pkl") else JOBLIB_LOAD
            runs[(label, "cli")] = [cli, "dump", path, "--depth", "2"]
            runs[(label, "python")] = [args.python, "-c", code, path]
        runs[("imports", "python")] = [args.python, "-c", IMPORTS_ONLY]

        times, peaks = time_rounds(runs, log, args.repeat, keep_stdout=False, label=lambda k: f"{k[0]} {k[1]}")

    imp_t, imp_m = statistics.median(times[("imports", "python")]), peaks[("imports", "python")]
    print(f"\nmodel: RandomForestClassifier, {N_TREES} trees of <= {args.leaves} leaves, {N_FEATURES} features; "
          f"median of {args.repeat}")
    print(f"{'file':10} {'MiB':>6} {'cli s':>7} {'python s':>9} {'cli MiB':>8} {'py MiB':>7} "
          f"{'time ratio':>11} {'memory ratio':>13} {'py load-imports s':>18}")
    for label in paths:
        ct, cm = statistics.median(times[(label, "cli")]), peaks[(label, "cli")]
        pt, pm = statistics.median(times[(label, "python")]), peaks[(label, "python")]
        print(f"{label:10} {sizes[label] / 2**20:6.1f} {ct:7.3f} {pt:9.3f} {cm / 2**20:8.1f} {pm / 2**20:7.1f} "
              f"{ct / pt:11.3f} {cm / pm:13.3f} {pt - imp_t:18.3f}")
    print(f"python start-up and imports alone (import joblib, sklearn.ensemble): {imp_t:.3f} s, {imp_m / 2**20:.1f} MiB")
    print("py load-imports: python's median less the imports-only median (what the load itself costs)")
    print("target: time ratio convert-cli/python <= 1.0 (issue 6); "
          "cli: `dump FILE --depth 2 > /dev/null`, python: joblib.load / pickle.load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
