#!/usr/bin/env python3
"""Times the conversion of a 200-tree scikit-learn RandomForestClassifier saved with joblib
(about 15 MB): the whole `convert-cli` process against the whole process of a Python
script that converts it with skl2onnx, in one run, and prints the ratios
convert-cli/skl2onnx (below 1: convert-cli is faster or smaller).

The model is bench_pickle.py's (generated here, never committed): RandomForestClassifier(
n_estimators=200, max_leaf_nodes=--leaves, random_state=SEED, n_jobs=1) fitted on --rows
synthetic rows x 20 features with a noisy binary label (numpy.random.default_rng(SEED)),
saved with joblib.dump(model, path) (compress=0: 15.1 MB) as forest.joblib in a temporary
folder (or --workdir, where an existing model is reused), next to sample.npy (its first
training row as float32, the example input skl2onnx is given).

Measured, --repeat times each, alternating, median wall time and the largest peak RSS
(GNU time -v, "Maximum resident set size"), each a fresh process:
  convert-cli        <cli> forest.joblib -o out.onnx --quiet   (default verification: the
                     file is read back and run in the bundled interpreter)
  cli no-verify      the same with --no-verify (how much of it is the verification)
  skl2onnx           <python> convert.py forest.joblib sample.npy out.onnx, where
                     convert.py imports joblib and skl2onnx, loads the model, calls
                     skl2onnx.to_onnx(model, X[:1].astype(np.float32)) and saves the model
  python imports     <python> -c "import joblib, skl2onnx, sklearn.ensemble" (not a target:
                     the part of skl2onnx's time that is start-up and imports)
Before timing, convert-cli runs once untimed with its summary printed. Afterwards each
output is run with onnxruntime on 2,000 fresh rows (float32) and compared with the model's
predict_proba (max|dp| over all columns) and predict (label mismatches).

Target (issue 7): convert-cli at most 1/10 of skl2onnx's time (time ratio <= 0.1). Peak
memory is printed alongside (no target).

Needs a Python with scikit-learn, joblib, skl2onnx and onnxruntime:
    python3 -m venv /tmp/venv-skbench
    /tmp/venv-skbench/bin/pip install numpy==2.4.6 scikit-learn==1.9.1 joblib==1.6.0 \\
        skl2onnx==1.20.0 onnxruntime==1.32.0 onnx==1.23.2
    /tmp/venv-skbench/bin/python scripts/bench_sklearn.py --cli .build/release/convert-cli
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

from bench_process import checked_cli, require_imports, work_folder, time_rounds, fail, require_time_bin

# Same seed, data and forest as bench_pickle.py, so the two benchmarks share a model.
SEED = 20250406
N_FEATURES = 20
N_TREES = 200
PIP_HINT = "pip install numpy==2.4.6 scikit-learn==1.9.1 joblib==1.6.0 skl2onnx==1.20.0 onnxruntime==1.32.0 onnx==1.23.2"

CONVERT_PY = '''\
import sys
import joblib
import numpy as np
import skl2onnx

model = joblib.load(sys.argv[1])
X = np.load(sys.argv[2])
onx = skl2onnx.to_onnx(model, X[:1].astype(np.float32))
with open(sys.argv[3], "wb") as fh:
    fh.write(onx.SerializeToString())
'''
IMPORTS_ONLY = "import joblib, skl2onnx, sklearn.ensemble"



def make_model(workdir, rows, leaves):
    """Fits the forest and saves it with joblib (or reuses the one in workdir); returns its paths."""
    import joblib
    import sklearn
    from sklearn.ensemble import RandomForestClassifier

    paths = {"joblib": os.path.join(workdir, "forest.joblib"), "sample": os.path.join(workdir, "sample.npy"),
             "meta": os.path.join(workdir, "meta-sklearn.json")}
    want = {"seed": SEED, "rows": rows, "leaves": leaves, "trees": N_TREES, "features": N_FEATURES,
            "sklearn": sklearn.__version__, "joblib": joblib.__version__, "numpy": np.__version__}
    if all(os.path.exists(p) for p in paths.values()):
        with open(paths["meta"]) as fh:
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
    np.save(paths["sample"], X[:1].astype(np.float32))
    with open(paths["meta"], "w") as fh:
        json.dump(want, fh)
    return paths




def probabilities(value, n_classes):
    """An [N, n_classes] float64 array from a probability output: a tensor or ZipMap's list of dicts."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        keys = sorted(value[0])
        return np.array([[row[k] for k in keys] for row in value], dtype=np.float64)
    arr = np.asarray(value)
    if arr.ndim == 2 and arr.shape[1] == n_classes and arr.dtype.kind == "f":
        return arr.astype(np.float64)
    return None


def check_outputs(model_path, outputs):
    """For each output: (max |p(onnx) - predict_proba|, label mismatches) on 2,000 rows, or a reason string."""
    import joblib
    import onnxruntime as ort

    model = joblib.load(model_path)
    n_classes = len(model.classes_)
    rng = np.random.default_rng(SEED + 1)
    X = rng.standard_normal((2000, N_FEATURES)).astype(np.float32)
    want_p = model.predict_proba(X)
    want_y = model.predict(X)
    res = {}
    for name, path in outputs.items():
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        inp = s.get_inputs()[0]
        feed = X.astype(np.float64) if "double" in inp.type else X
        got = dict(zip([o.name for o in s.get_outputs()], s.run(None, {inp.name: feed})))
        probs = [p for p in (probabilities(v, n_classes) for v in got.values()) if p is not None]
        labels = [np.asarray(v) for v in got.values()
                  if isinstance(v, np.ndarray) and v.ndim == 1 and v.shape[0] == X.shape[0]]
        if len(probs) != 1 or len(labels) != 1:
            res[name] = f"cannot tell the outputs apart ({sorted(got)})"
            continue
        res[name] = (float(np.max(np.abs(probs[0] - want_p))), int(np.sum(labels[0] != want_y)))
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True, help="the convert-cli binary")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python that runs the skl2onnx conversion (default: this one)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rows", type=int, default=5000, help="training rows (default 5000)")
    ap.add_argument("--leaves", type=int, default=469,
                    help="max_leaf_nodes per tree (default 469: a forest.joblib of about 15 MB)")
    ap.add_argument("--workdir", help="keep the model and outputs here (reused when it matches) instead of a temp folder")
    args = ap.parse_args(argv)

    cli = checked_cli(args.cli)
    require_time_bin()
    require_imports(args.python, IMPORTS_ONLY, PIP_HINT)
    require_imports(sys.executable, "import joblib, sklearn, onnxruntime", PIP_HINT)
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    if args.leaves < 2:
        fail("--leaves must be at least 2")

    with work_folder(args.workdir, "bench-sklearn-") as workdir:
        paths = make_model(workdir, args.rows, args.leaves)
        size = os.path.getsize(paths["joblib"])
        script = os.path.join(workdir, "convert_skl2onnx.py")
        with open(script, "w") as fh:
            fh.write(CONVERT_PY)
        log = os.path.join(workdir, "time.log")
        outs = {"convert-cli": os.path.join(workdir, "cli.onnx"),
                "cli no-verify": os.path.join(workdir, "cli-noverify.onnx"),
                "skl2onnx": os.path.join(workdir, "skl2onnx.onnx"),
                "python imports": None}
        runs = {"convert-cli": [cli, paths["joblib"], "-o", outs["convert-cli"], "--quiet"],
                "cli no-verify": [cli, paths["joblib"], "-o", outs["cli no-verify"], "--quiet", "--no-verify"],
                "skl2onnx": [args.python, script, paths["joblib"], paths["sample"], outs["skl2onnx"]],
                "python imports": [args.python, "-c", IMPORTS_ONLY]}

        p = subprocess.run([cli, paths["joblib"], "-o", outs["convert-cli"]], capture_output=True, text=True)
        if p.returncode != 0:
            fail(f"convert-cli {paths['joblib']} failed (exit {p.returncode}): {(p.stderr or p.stdout).strip()[-800:]}")
        print("untimed convert-cli run:\n  " + "\n  ".join(p.stdout.strip().splitlines()), flush=True)

        times, peaks = time_rounds(runs, log, args.repeat, outs=outs)
        checks = check_outputs(paths["joblib"], {k: v for k, v in outs.items() if v})
        out_mib = {k: os.path.getsize(v) / 2**20 for k, v in outs.items() if v}

    print(f"\nmodel: RandomForestClassifier, {N_TREES} trees of <= {args.leaves} leaves, {N_FEATURES} features, "
          f"forest.joblib {size / 2**20:.1f} MiB; median of {args.repeat}")
    ref_t, ref_m = statistics.median(times["skl2onnx"]), peaks["skl2onnx"]
    print(f"{'run':15} {'median s':>9} {'peak MiB':>9} {'time ratio':>11} {'memory ratio':>13} "
          f"{'onnx MiB':>9} {'max|dp|':>9} {'labels off':>11}")
    for name in runs:
        t, m = statistics.median(times[name]), peaks[name]
        c = checks.get(name)
        if c is None:
            err, off = "-", "-"
        elif isinstance(c, str):
            err, off = c, "-"
        else:
            err, off = f"{c[0]:.2e}", str(c[1])
        mib = f"{out_mib[name]:.1f}" if name in out_mib else "-"
        print(f"{name:15} {t:9.3f} {m / 2**20:9.1f} {t / ref_t:11.4f} {m / ref_m:13.4f} {mib:>9} {err:>9} {off:>11}")
    print("target: convert-cli time ratio <= 0.1 (1/10, issue 7); max|dp|: |probability - predict_proba| on "
          "2,000 rows (all columns), labels off: rows where the label differs from predict")
    return 0


if __name__ == "__main__":
    sys.exit(main())
