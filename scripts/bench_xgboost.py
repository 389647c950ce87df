#!/usr/bin/env python3
"""Times the conversion of a 500-tree depth-8 XGBoost model: the whole `convert-cli`
process against the whole process of a Python script that converts it with onnxmltools'
`convert_xgboost`, in one run, and prints the ratios convert-cli/onnxmltools (below 1:
convert-cli is faster or smaller).

The model (generated here, never committed): binary:logistic, 500 rounds, max_depth 8,
eta 0.1, min_child_weight 0.1, hist, nthread 2, trained with xgboost on --rows synthetic
rows x 28 features (numpy.random.default_rng(SEED), xgboost seed SEED). It is saved as
model.json, with a text dump (dump.txt) and save_config() (config.json), in a temporary
folder (or --workdir, where an existing model is reused).

Measured, --repeat times each, alternating, median wall time and the largest peak RSS
(GNU time -v, "Maximum resident set size"), each a fresh process:
  convert-cli json   <cli> model.json -o out.onnx
  cli json no-verify the same with --no-verify (how much of it is the verification)
  convert-cli dump   <cli> dump.txt -o out.onnx --objective binary:logistic
                         --base-score S --num-features 28      (S from model.json)
  onnxmltools        <python> convert.py model.json out.onnx, where convert.py imports
                     xgboost and onnxmltools, loads the Booster, calls
                     onnxmltools.convert_xgboost(booster, initial_types=[("input",
                     FloatTensorType([None, 28]))]) and saves the model
convert-cli runs with its default verification (the file is read back and run in the
bundled interpreter), so its time includes that; the no-verify row shows the rest.
Afterwards, when onnxruntime is importable, each output is run on 2,000 rows (5% NaN) and
compared with Booster.predict (column max|dp|).

Targets (issue 4): convert-cli at most 1/20 of onnxmltools' time and 1/4 of its peak memory.

Needs a Python with xgboost, onnxmltools and (for the output check) onnxruntime:
    python3 -m venv /tmp/venv-xgb
    /tmp/venv-xgb/bin/pip install xgboost==3.2.0 numpy==2.4.6 onnx==1.23.2 onnxmltools==1.16.0 \\
        packaging==26.4 onnxruntime==1.32.0
    /tmp/venv-xgb/bin/python scripts/bench_xgboost.py --cli .build/release/convert-cli
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

from bench_process import checked_cli, require_imports, time_rounds, work_folder, fail, require_time_bin

SEED = 20250402
N_FEATURES = 28

CONVERT_PY = '''\
import sys
import xgboost
import onnxmltools
from onnxmltools.convert.common.data_types import FloatTensorType

booster = xgboost.Booster(model_file=sys.argv[1])
model = onnxmltools.convert_xgboost(booster, initial_types=[("input", FloatTensorType([None, {features}]))])
onnxmltools.utils.save_model(model, sys.argv[2])
'''



def make_model(workdir, rows, trees, depth):
    """Trains the benchmark model (or reuses the one in workdir); returns its paths."""
    paths = {k: os.path.join(workdir, f) for k, f in
             (("json", "model.json"), ("dump", "dump.txt"), ("config", "config.json"), ("meta", "meta.json"))}
    want = {"seed": SEED, "rows": rows, "trees": trees, "depth": depth, "features": N_FEATURES}
    if all(os.path.exists(p) for p in paths.values()):
        with open(paths["meta"]) as fh:
            if json.load(fh) == want:
                print(f"reusing the model in {workdir}", flush=True)
                return paths
    import xgboost as xgb
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((rows, N_FEATURES)).astype(np.float32)
    w = rng.standard_normal(N_FEATURES)
    y = (X @ w + 2 * np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] + 4 * rng.standard_normal(rows) > 0).astype(np.float32)
    params = {"objective": "binary:logistic", "max_depth": depth, "eta": 0.1, "min_child_weight": 0.1,
              "tree_method": "hist", "nthread": 2, "seed": SEED}
    t = time.perf_counter()
    booster = xgb.train(params, xgb.DMatrix(X, label=y), num_boost_round=trees)
    print(f"trained {trees} trees of depth <= {depth} on {rows} x {N_FEATURES} in {time.perf_counter() - t:.1f} s",
          flush=True)
    booster.save_model(paths["json"])
    booster.dump_model(paths["dump"])
    with open(paths["config"], "w") as fh:
        fh.write(booster.save_config())
    with open(paths["meta"], "w") as fh:
        json.dump(want, fh)
    return paths




def check_outputs(paths, outputs):
    """Max |p(onnx) - p(xgboost)| on 2,000 rows for each output, or None without onnxruntime."""
    try:
        import onnxruntime as ort
        import xgboost as xgb
    except ImportError:
        return None
    rng = np.random.default_rng(SEED + 1)
    X = rng.standard_normal((2000, N_FEATURES)).astype(np.float32)
    X[rng.random(X.shape) < 0.05] = np.nan
    want = xgb.Booster(model_file=paths["json"]).predict(xgb.DMatrix(X))
    errs = {}
    for name, path in outputs.items():
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        res = dict(zip([o.name for o in s.get_outputs()], s.run(None, {s.get_inputs()[0].name: X})))
        if "probabilities" not in res:
            errs[name] = f"no 'probabilities' output (has {sorted(res)})"
            continue
        prob = np.asarray(res["probabilities"])
        errs[name] = float(np.max(np.abs(prob[:, -1].astype(np.float64) - want)))
    return errs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True, help="the convert-cli binary")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python that runs the onnxmltools conversion (default: this one)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rows", type=int, default=20000, help="training rows (default 20000)")
    ap.add_argument("--trees", type=int, default=500)
    ap.add_argument("--depth", type=int, default=8)
    ap.add_argument("--workdir", help="keep the model and outputs here (reused when it matches) instead of a temp folder")
    ap.add_argument("--only", choices=["json", "json-noverify", "dump"], action="append",
                    help="convert-cli runs to time (default: all three)")
    args = ap.parse_args(argv)

    cli = checked_cli(args.cli)
    require_time_bin()
    require_imports(args.python, "import xgboost, onnxmltools",
                    "pip install xgboost==3.2.0 onnx==1.23.2 onnxmltools==1.16.0 packaging==26.4")
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    kinds = args.only or ["json", "json-noverify", "dump"]

    with work_folder(args.workdir, "bench-xgb-") as workdir:
        paths = make_model(workdir, args.rows, args.trees, args.depth)
        with open(paths["json"]) as fh:
            model = json.load(fh)
        base_score = model["learner"]["learner_model_param"]["base_score"].strip("[]")
        json_mib = os.path.getsize(paths["json"]) / 2**20
        nodes = sum(int(t["tree_param"]["num_nodes"]) for t in model["learner"]["gradient_booster"]["model"]["trees"])
        script = os.path.join(workdir, "convert_onnxmltools.py")
        with open(script, "w") as fh:
            fh.write(CONVERT_PY.format(features=N_FEATURES))
        log = os.path.join(workdir, "time.log")
        runs = {}
        outs = {}
        if "json" in kinds:
            outs["convert-cli json"] = os.path.join(workdir, "cli-json.onnx")
            runs["convert-cli json"] = [cli, paths["json"], "-o", outs["convert-cli json"], "--quiet"]
        if "json-noverify" in kinds:
            outs["cli json no-verify"] = os.path.join(workdir, "cli-json-noverify.onnx")
            runs["cli json no-verify"] = [cli, paths["json"], "-o", outs["cli json no-verify"], "--quiet", "--no-verify"]
        if "dump" in kinds:
            outs["convert-cli dump"] = os.path.join(workdir, "cli-dump.onnx")
            runs["convert-cli dump"] = [cli, paths["dump"], "-o", outs["convert-cli dump"], "--quiet",
                                        "--objective", "binary:logistic", "--base-score", base_score,
                                        "--num-features", str(N_FEATURES)]
        outs["onnxmltools"] = os.path.join(workdir, "onnxmltools.onnx")
        runs["onnxmltools"] = [args.python, script, paths["json"], outs["onnxmltools"]]

        times, peaks = time_rounds(runs, log, args.repeat, outs=outs)
        errs = check_outputs(paths, outs)

    print(f"\nmodel: {args.trees} trees, max_depth {args.depth}, {nodes} nodes, {N_FEATURES} features, "
          f"model.json {json_mib:.1f} MiB")
    ref_t = statistics.median(times["onnxmltools"])
    ref_m = peaks["onnxmltools"]
    print(f"{'converter':19} {'median s':>9} {'peak MiB':>9} {'time ratio':>11} {'memory ratio':>13} {'max|dp|':>9}")
    for name in runs:
        t, m = statistics.median(times[name]), peaks[name]
        err = "-" if errs is None else (errs[name] if isinstance(errs[name], str) else f"{errs[name]:.2e}")
        print(f"{name:19} {t:9.3f} {m / 2**20:9.1f} {t / ref_t:11.4f} {m / ref_m:13.4f} {err:>9}")
    print("targets: convert-cli time ratio <= 0.05 (1/20) and memory ratio <= 0.25 (1/4); "
          "max|dp|: |probability - xgboost predict| on 2,000 rows" +
          (" (skipped: onnxruntime not importable)" if errs is None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
