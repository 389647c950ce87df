#!/usr/bin/env python3
"""Times the bundled interpreter against onnxruntime on the same models and inputs, in
one run, and prints the ratio interpreter/onnxruntime for each (below 1: faster).

Models (generated here with fixed seeds, in a temporary folder, never committed):
  trees  TreeEnsembleRegressor (ai.onnx.ml 3), 500 full trees of depth 8, over
         20,000 rows x 28 features
  mlp    784-512-512-10 (MatMul + Add + Relu), 4,096 rows
  cnn    Conv(3->16, 3x3) Relu MaxPool Conv(16->32, 3x3) Relu MaxPool Flatten Gemm(->10),
         64 images 3x32x32
Each side runs --repeat times and the best time counts: onnxruntime in this process
(intra_op_num_threads 1 and 2, default graph optimizations), the interpreter as
`convert-cli run MODEL --input x=x.npy --repeat N --threads T --timings` (its own
run_seconds, excluding process start and model preparation).

Memory: the peak RSS of a fresh interpreter process running the model once is set
against the issue's budget, 1.5 x (the model's weights + the largest live activations),
on top of the baseline of the same process running a one-element Identity model. The
weights are the model file's size; the live activations are, at the worst node of the
graph in order, the tensors alive then (the graph input the caller holds, every value
still to be read, and the node's outputs), with sizes from onnx shape inference at the
benchmark's batch size.

The Makefile calls it as:
    .venv/bin/python scripts/bench_interpreter.py --cli .build/release/convert-cli
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SEED = 20261201


def tree_model(n_trees=500, depth=8, n_features=28, rng=None):
    internal = 2 ** depth - 1
    nodes_treeids, nodes_nodeids, nodes_featureids, nodes_values = [], [], [], []
    nodes_modes, nodes_true, nodes_false = [], [], []
    target_treeids, target_nodeids, target_ids, target_weights = [], [], [], []
    for t in range(n_trees):
        total = 2 ** (depth + 1) - 1
        for n in range(total):
            nodes_treeids.append(t)
            nodes_nodeids.append(n)
            if n < internal:
                nodes_featureids.append(int(rng.integers(n_features)))
                nodes_values.append(float(rng.normal()))
                nodes_modes.append("BRANCH_LEQ")
                nodes_true.append(2 * n + 1)
                nodes_false.append(2 * n + 2)
            else:
                nodes_featureids.append(0)
                nodes_values.append(0.0)
                nodes_modes.append("LEAF")
                nodes_true.append(0)
                nodes_false.append(0)
                target_treeids.append(t)
                target_nodeids.append(n)
                target_ids.append(0)
                target_weights.append(float(rng.normal() * 0.01))
    node = helper.make_node(
        "TreeEnsembleRegressor", ["x"], ["y"], domain="ai.onnx.ml", n_targets=1, aggregate_function="SUM",
        nodes_treeids=nodes_treeids, nodes_nodeids=nodes_nodeids, nodes_featureids=nodes_featureids,
        nodes_values=nodes_values, nodes_modes=nodes_modes, nodes_truenodeids=nodes_true,
        nodes_falsenodeids=nodes_false, nodes_missing_value_tracks_true=[0] * len(nodes_nodeids),
        target_treeids=target_treeids, target_nodeids=target_nodeids, target_ids=target_ids,
        target_weights=target_weights, post_transform="NONE")
    g = helper.make_graph([node], "trees", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", n_features])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    m.ir_version = 8
    return m, 0


def mlp_model(rng):
    sizes = [784, 512, 512, 10]
    nodes, inits, prev, weights = [], [], "x", 0
    for i in range(3):
        w = (rng.standard_normal((sizes[i], sizes[i + 1])) / np.sqrt(sizes[i])).astype(np.float32)
        b = (rng.standard_normal(sizes[i + 1]) * 0.1).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
        weights += w.nbytes + b.nbytes
        nodes.append(helper.make_node("MatMul", [prev, f"w{i}"], [f"m{i}"]))
        out = "y" if i == 2 else f"a{i}"
        nodes.append(helper.make_node("Add", [f"m{i}", f"b{i}"], [out if i == 2 else f"h{i}"]))
        if i < 2:
            nodes.append(helper.make_node("Relu", [f"h{i}"], [out]))
        prev = out
    g = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 784])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    return m, weights


def cnn_model(rng):
    def conv(name, cin, cout):
        w = (rng.standard_normal((cout, cin, 3, 3)) / np.sqrt(cin * 9)).astype(np.float32)
        b = (rng.standard_normal(cout) * 0.1).astype(np.float32)
        return [numpy_helper.from_array(w, name + "_w"), numpy_helper.from_array(b, name + "_b")], w.nbytes + b.nbytes
    i1, s1 = conv("c1", 3, 16)
    i2, s2 = conv("c2", 16, 32)
    fw = (rng.standard_normal((32 * 8 * 8, 10)) / 45).astype(np.float32)
    fb = np.zeros(10, np.float32)
    inits = i1 + i2 + [numpy_helper.from_array(fw, "fw"), numpy_helper.from_array(fb, "fb")]
    nodes = [
        helper.make_node("Conv", ["x", "c1_w", "c1_b"], ["c1"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "c2_w", "c2_b"], ["c2"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("MaxPool", ["r2"], ["p2"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p2"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "fw", "fb"], ["y"]),
    ]
    g = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 32, 32])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    return m, s1 + s2 + fw.nbytes + fb.nbytes


def time_ort(path, x, threads, repeat):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    s.run(None, {"x": x})
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        out = s.run(None, {"x": x})
        best = min(best, time.perf_counter() - t)
    return best, out[0]


def time_cli(cli, path, xpath, threads, repeat, outdir):
    cmd = [cli, "run", path, "--input", f"x={xpath}", "--repeat", str(repeat), "--threads", str(threads),
           "--timings", "--output-dir", outdir, "--show", "0"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    err = p.stderr
    if p.returncode != 0:
        raise SystemExit(f"error: {' '.join(cmd)} failed: {err.strip()}")
    m = re.search(r"run_seconds=([0-9.eE+-]+)", err)
    return float(m.group(1))


def peak_rss_cli(cli, path, xpath, outdir):
    """Peak RSS of a fresh interpreter process, in bytes. Measured by GNU time: a
    child forked from this Python process (which holds onnxruntime) would count the
    parent's pages in its own ru_maxrss until exec."""
    cmd = ["/usr/bin/time", "-f", "%M", cli, "run", path, "--input", f"x={xpath}", "--threads", "1",
           "--output-dir", outdir, "--show", "0"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"error: {' '.join(cmd)} failed: {p.stderr.strip()}")
    return int(p.stderr.strip().splitlines()[-1]) * 1024


def peak_live_bytes(model, x):
    """The largest total size of the tensors alive at one node of `model` run in order
    on input x (the input held throughout, values freed after their last reader)."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    dims = m.graph.input[0].type.tensor_type.shape.dim
    for d, n in zip(dims, x.shape):
        d.ClearField("dim_param")
        d.dim_value = n
    m = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    size = {}
    for vi in list(m.graph.input) + list(m.graph.value_info) + list(m.graph.output):
        t = vi.type.tensor_type
        n = 1
        for d in t.shape.dim:
            n *= d.dim_value
        size[vi.name] = n * helper.tensor_dtype_to_np_dtype(t.elem_type).itemsize
    initializers = {t.name for t in m.graph.initializer}
    outputs = {o.name for o in m.graph.output}
    last = {}
    for i, node in enumerate(m.graph.node):
        for name in node.input:
            last[name] = i
    live = {i.name for i in m.graph.input if i.name not in initializers}
    peak = 0
    for i, node in enumerate(m.graph.node):
        live |= {o for o in node.output if o}
        peak = max(peak, sum(size[v] for v in live))
        held = outputs | {m.graph.input[0].name}
        live -= {v for v in live if v not in held and last.get(v, -1) <= i}
    return peak


def empty_model_rss(cli, tmp):
    """Peak RSS of the interpreter process running a one-element Identity model."""
    g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "empty",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    path, xpath = os.path.join(tmp, "empty.onnx"), os.path.join(tmp, "empty_x.npy")
    onnx.save(m, path)
    np.save(xpath, np.zeros(1, np.float32))
    return peak_rss_cli(cli, path, xpath, os.path.join(tmp, "empty_out"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", choices=["trees", "mlp", "cnn"], action="append")
    args = ap.parse_args(argv)
    cli = os.path.abspath(args.cli)
    rng = np.random.default_rng(SEED)
    cases = {
        "trees": (lambda: tree_model(rng=rng), lambda: rng.standard_normal((20000, 28)).astype(np.float32)),
        "mlp": (lambda: mlp_model(rng), lambda: rng.standard_normal((4096, 784)).astype(np.float32)),
        "cnn": (lambda: cnn_model(rng), lambda: rng.standard_normal((64, 3, 32, 32)).astype(np.float32)),
    }
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-interp-") as tmp:
        baseline = empty_model_rss(cli, tmp)
        for name, (make, data) in cases.items():
            if args.only and name not in args.only:
                continue
            model, weights = make()
            path = os.path.join(tmp, f"{name}.onnx")
            onnx.save(model, path)
            x = data()
            xpath = os.path.join(tmp, f"{name}_x.npy")
            np.save(xpath, x)
            outdir = os.path.join(tmp, f"{name}_out")
            ort1, ref = time_ort(path, x, 1, args.repeat)
            ort2, _ = time_ort(path, x, 2, args.repeat)
            us1 = time_cli(cli, path, xpath, 1, args.repeat, outdir)
            us2 = time_cli(cli, path, xpath, 2, args.repeat, outdir)
            got = np.load(os.path.join(outdir, "y.npy"))
            err = float(np.max(np.abs(got - ref)))
            rss = peak_rss_cli(cli, path, xpath, outdir)
            weights, live = os.path.getsize(path), peak_live_bytes(model, x)
            budget = baseline + 1.5 * (weights + live)
            rows.append((name, ort1, us1, ort2, us2, err, rss, weights, live, budget))
    mib = 2 ** 20
    print(f"{'model':6} {'ort 1t s':>10} {'interp 1t s':>12} {'ratio 1t':>9} {'ort 2t s':>10} {'interp 2t s':>12} {'ratio 2t':>9} "
          f"{'max|diff|':>10} {'weights MiB':>12} {'live MiB':>9} {'peak MiB':>9} {'budget MiB':>11}")
    for name, o1, u1, o2, u2, err, rss, weights, live, budget in rows:
        print(f"{name:6} {o1:10.4f} {u1:12.4f} {u1 / o1:9.2f} {o2:10.4f} {u2:12.4f} {u2 / o2:9.2f} {err:10.2e} "
              f"{weights / mib:12.1f} {live / mib:9.1f} {rss / mib:9.1f} {budget / mib:11.1f}"
              f"{'' if rss <= budget else '  over'}")
    print(f"targets: trees ratio 1t <= 1.0; mlp and cnn ratio <= 3.0; peak <= budget = baseline "
          f"({baseline / mib:.1f} MiB, an empty model's run) + 1.5 x (weights + largest live activations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
