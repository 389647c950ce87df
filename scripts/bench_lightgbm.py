#!/usr/bin/env python3
"""Times the conversion of a 500-tree, 63-leaf LightGBM binary model: the whole
`convert-cli` process against the whole process of a Python script that converts it
with onnxmltools' `convert_lightgbm`, in one run, and prints the ratios
convert-cli/onnxmltools (below 1: convert-cli is faster or smaller).

The model (generated here, never committed): objective binary, 500 iterations,
num_leaves 63, learning_rate 0.1, min_data_in_leaf 20, num_threads 2, seed SEED,
trained with lightgbm on --rows synthetic rows x 28 features (numpy.random.default_rng(SEED);
2% of the inputs NaN and 20% of feature 1 exact zeros, so NaN missing types and
+-1e-35 thresholds appear). It is saved as model.txt (Booster.save_model) and
dump.json (json.dump of Booster.dump_model()) in a temporary folder (or --workdir,
where an existing model is reused).

Measured, --repeat times each, alternating, median wall time and the largest peak RSS
(GNU time -v, "Maximum resident set size"), each a fresh process:
  convert-cli        <cli> model.txt -o out.onnx
  cli no-verify      the same with --no-verify (how much of it is the verification)
  convert-cli json   <cli> dump.json -o out.onnx
  onnxmltools        <python> convert.py model.txt out.onnx, where convert.py imports
                     lightgbm and onnxmltools, loads the Booster, calls
                     onnxmltools.convert_lightgbm(booster, initial_types=[("input",
                     FloatTensorType([None, 28]))]) and saves the model
convert-cli runs with its default verification (the file is read back and run in the
bundled interpreter), so its time includes that; the no-verify row shows the rest.
A convert-cli run that fails (for example a build without the LightGBM frontend) is
reported as such and left out of the later rounds; the onnxmltools side is still
measured, and the script exits 1. Afterwards, when onnxruntime is importable, each
output is run on 2,000 rows (5% NaN, 5% exact zeros) and its class-1 probability
compared with Booster.predict (max|dp|).

Target (issue 5): convert-cli at most 1/20 of onnxmltools' time.

Needs a Python with lightgbm, onnxmltools and (for the output check) onnxruntime:
    python3 -m venv /tmp/venv-lgb
    /tmp/venv-lgb/bin/pip install lightgbm==4.7.0 numpy==2.4.6 onnx==1.23.2 onnxmltools==1.16.0 \\
        packaging==26.4 onnxruntime==1.32.0
    /tmp/venv-lgb/bin/python scripts/bench_lightgbm.py --cli .build/release/convert-cli
(onnxmltools 1.16.0 imports `packaging` without declaring it.)
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

from bench_process import checked_cli, require_imports, work_folder, RunFailed, fail, measure, require_time_bin

SEED = 20250502
N_FEATURES = 28

CONVERT_PY = '''\
import sys
import lightgbm
import onnxmltools
from onnxmltools.convert.common.data_types import FloatTensorType

booster = lightgbm.Booster(model_file=sys.argv[1])
model = onnxmltools.convert_lightgbm(booster, initial_types=[("input", FloatTensorType([None, {features}]))])
onnxmltools.utils.save_model(model, sys.argv[2])
'''



def make_model(workdir, rows, trees, leaves):
    """Trains the benchmark model (or reuses the one in workdir); returns its paths."""
    paths = {k: os.path.join(workdir, f) for k, f in
             (("txt", "model.txt"), ("json", "dump.json"), ("meta", "meta.json"))}
    want = {"seed": SEED, "rows": rows, "trees": trees, "leaves": leaves, "features": N_FEATURES}
    if all(os.path.exists(p) for p in paths.values()):
        with open(paths["meta"]) as fh:
            if json.load(fh) == want:
                print(f"reusing the model in {workdir}", flush=True)
                return paths
    import lightgbm as lgb
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((rows, N_FEATURES)).astype(np.float32)
    X[rng.random(rows) < 0.2, 1] = 0
    w = rng.standard_normal(N_FEATURES)
    y = (X @ w + 2 * np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] + 4 * rng.standard_normal(rows) > 0).astype(np.float64)
    X[rng.random(X.shape) < 0.02] = np.nan
    params = {"objective": "binary", "num_leaves": leaves, "learning_rate": 0.1, "min_data_in_leaf": 20,
              "num_threads": 2, "seed": SEED, "deterministic": True, "force_col_wise": True, "verbose": -1}
    t = time.perf_counter()
    booster = lgb.train(params, lgb.Dataset(X.astype(np.float64), label=y), num_boost_round=trees)
    print(f"trained {booster.num_trees()} trees of <= {leaves} leaves on {rows} x {N_FEATURES} "
          f"in {time.perf_counter() - t:.1f} s", flush=True)
    booster.save_model(paths["txt"])
    with open(paths["json"], "w") as fh:
        json.dump(booster.dump_model(), fh)
    with open(paths["meta"], "w") as fh:
        json.dump(want, fh)
    return paths




def class1_probability(res):
    """Column 1 of the 'probabilities' output: a [N, 2] tensor, or ZipMap's list of maps."""
    prob = res["probabilities"]
    if isinstance(prob, list):
        return np.array([row[1] for row in prob], np.float64)
    return np.asarray(prob)[:, -1].astype(np.float64)


def check_outputs(paths, outputs):
    """Max |p(onnx) - p(lightgbm)| on 2,000 rows for each output, or None without onnxruntime."""
    try:
        import onnxruntime as ort
        import lightgbm as lgb
    except ImportError:
        return None
    rng = np.random.default_rng(SEED + 1)
    X = rng.standard_normal((2000, N_FEATURES)).astype(np.float32)
    X[rng.random(X.shape) < 0.05] = 0
    X[rng.random(X.shape) < 0.05] = np.nan
    want = lgb.Booster(model_file=paths["txt"]).predict(X.astype(np.float64))
    errs = {}
    for name, path in outputs.items():
        if not os.path.exists(path):
            continue
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.log_severity_level = 3   # onnxmltools declares label as [1]: onnxruntime warns on every run
        s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        res = dict(zip([o.name for o in s.get_outputs()], s.run(None, {s.get_inputs()[0].name: X})))
        if "probabilities" not in res:
            errs[name] = f"no 'probabilities' output (has {sorted(res)})"
            continue
        errs[name] = float(np.max(np.abs(class1_probability(res) - want)))
    return errs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True, help="the convert-cli binary")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python that runs the onnxmltools conversion (default: this one)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rows", type=int, default=20000, help="training rows (default 20000)")
    ap.add_argument("--trees", type=int, default=500)
    ap.add_argument("--leaves", type=int, default=63)
    ap.add_argument("--workdir", help="keep the model and outputs here (reused when it matches) instead of a temp folder")
    ap.add_argument("--only", choices=["txt", "txt-noverify", "json"], action="append",
                    help="convert-cli runs to time (default: all three)")
    args = ap.parse_args(argv)

    cli = checked_cli(args.cli)
    require_time_bin()
    require_imports(args.python, "import lightgbm, onnxmltools",
                    "pip install lightgbm==4.7.0 onnx==1.23.2 onnxmltools==1.16.0 packaging==26.4")
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    kinds = args.only or ["txt", "txt-noverify", "json"]

    failed = {}
    with work_folder(args.workdir, "bench-lgb-") as workdir:
        paths = make_model(workdir, args.rows, args.trees, args.leaves)
        txt_mib = os.path.getsize(paths["txt"]) / 2**20
        with open(paths["txt"]) as fh:
            n_trees = sum(1 for line in fh if line.startswith("Tree="))
        script = os.path.join(workdir, "convert_onnxmltools.py")
        with open(script, "w") as fh:
            fh.write(CONVERT_PY.format(features=N_FEATURES))
        log = os.path.join(workdir, "time.log")
        runs, outs = {}, {}
        if "txt" in kinds:
            outs["convert-cli"] = os.path.join(workdir, "cli-txt.onnx")
            runs["convert-cli"] = [cli, paths["txt"], "-o", outs["convert-cli"], "--quiet"]
        if "txt-noverify" in kinds:
            outs["cli no-verify"] = os.path.join(workdir, "cli-txt-noverify.onnx")
            runs["cli no-verify"] = [cli, paths["txt"], "-o", outs["cli no-verify"], "--quiet", "--no-verify"]
        if "json" in kinds:
            outs["convert-cli json"] = os.path.join(workdir, "cli-json.onnx")
            runs["convert-cli json"] = [cli, paths["json"], "-o", outs["convert-cli json"], "--quiet"]
        outs["onnxmltools"] = os.path.join(workdir, "onnxmltools.onnx")
        runs["onnxmltools"] = [args.python, script, paths["txt"], outs["onnxmltools"]]

        times = {k: [] for k in runs}
        peaks = {k: 0 for k in runs}
        for i in range(args.repeat):
            for name, cmd in runs.items():
                if name in failed:
                    continue
                try:
                    wall, rss = measure(cmd, log, out=outs[name])
                except RunFailed as e:
                    if name == "onnxmltools":
                        fail(e.reason)
                    failed[name] = e.reason
                    print(f"{name} failed (the message is printed at the end); left out of later rounds", flush=True)
                    continue
                times[name].append(wall)
                peaks[name] = max(peaks[name], rss)
            print(f"round {i + 1}/{args.repeat}: " + ", ".join(
                f"{k} {times[k][-1]:.3f} s" if k not in failed else f"{k} failed" for k in runs), flush=True)
        errs = check_outputs(paths, {k: v for k, v in outs.items() if k not in failed})

    print(f"\nmodel: {n_trees} trees, num_leaves {args.leaves}, {N_FEATURES} features, model.txt {txt_mib:.1f} MiB")
    ref_t = statistics.median(times["onnxmltools"])
    ref_m = peaks["onnxmltools"]
    print(f"{'converter':17} {'median s':>9} {'peak MiB':>9} {'time ratio':>11} {'memory ratio':>13} {'max|dp|':>9}")
    for name in runs:
        if name in failed:
            print(f"{name:17} {'failed (see below)':>44}")
            continue
        t, m = statistics.median(times[name]), peaks[name]
        err = "-" if errs is None or name not in errs else (
            errs[name] if isinstance(errs[name], str) else f"{errs[name]:.2e}")
        print(f"{name:17} {t:9.3f} {m / 2**20:9.1f} {t / ref_t:11.4f} {m / ref_m:13.4f} {err:>9}")
    print("target: convert-cli time ratio <= 0.05 (1/20); "
          "max|dp|: |class-1 probability - lightgbm predict| on 2,000 rows" +
          (" (skipped: onnxruntime not importable)" if errs is None else ""))
    if failed:
        for name, msg in failed.items():
            print(f"error: {name}: {msg}", file=sys.stderr)
        print("error: convert-cli could not convert the model (above); only the onnxmltools side was measured",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
