#!/usr/bin/env python3
"""Converts a 100M-parameter layer spec (safetensors, generated here, never committed):
the whole `convert-cli` process against the whole process of a Python script that builds
the same ONNX model from the same safetensors with the onnx package (numpy arrays read
from the file, numpy_helper.from_array, onnx.save), in one run; prints the ratios
convert-cli/onnx and checks the issue's absolute targets.

The model: --layers Linear(D, D) + ReLU pairs, D = --width (default 10 x 3162 x 3162 +
biases = 100,014,060 float32 parameters, 400 MB), weights drawn with
numpy.random.default_rng(SEED). Each side runs --repeat times, alternating; the median
wall time and the largest peak RSS (GNU time -v) count, each a fresh process.

Targets (issue 8): convert-cli under 2 s, and peak memory under 1.5 x the weights
(weights mapped or streamed, not copied three times).

    .venv/bin/python scripts/bench_layerspec.py --cli .build/release/convert-cli
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import sys
import tempfile

import numpy as np

from bench_process import measure, require_time_bin

SEED = 20261201

PEER = '''\
import json, struct, sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
spec_path, out = sys.argv[1], sys.argv[2]
spec = json.load(open(spec_path))
raw = np.memmap(spec_path.replace(".layers.json", ".safetensors"), dtype=np.uint8, mode="r")
n = struct.unpack("<Q", raw[:8].tobytes())[0]
header = json.loads(raw[8:8 + n].tobytes())
def weight(name):
    e = header[name]
    a, b = e["data_offsets"]
    return np.frombuffer(raw[8 + n + a:8 + n + b], dtype=np.float32).reshape(e["shape"])
nodes, inits, prev = [], [], "x"
d = spec["inputs"]["x"]["shape"][1]
for i, layer in enumerate(spec["layers"]):
    if layer["type"] == "Linear":
        inits += [numpy_helper.from_array(weight(f"{i}.weight"), f"{i}.weight"), numpy_helper.from_array(weight(f"{i}.bias"), f"{i}.bias")]
        nodes.append(helper.make_node("Gemm", [prev, f"{i}.weight", f"{i}.bias"], [f"h{i}"], transB=1))
    else:
        nodes.append(helper.make_node("Relu", [prev], [f"h{i}"]))
    prev = f"h{i}"
nodes.append(helper.make_node("Identity", [prev], ["output"]))
g = helper.make_graph(nodes, "big", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", d])],
                      [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", d])], inits)
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 21)]), out)
'''


def make_spec(folder, layers, width):
    rng = np.random.default_rng(SEED)
    header, offset, spec = {}, 0, []
    path = os.path.join(folder, "big.safetensors")
    names = []
    for i in range(layers):
        names += [(f"{2 * i}.weight", (width, width)), (f"{2 * i}.bias", (width,))]
        spec += [{"type": "Linear", "in_features": width, "out_features": width}, {"type": "ReLU"}]
    for name, shape in names:
        size = 4 * int(np.prod(shape))
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(h)))
        fh.write(h)
        for name, shape in names:
            fh.write((rng.standard_normal(shape, dtype=np.float32) * 0.02).tobytes())
    with open(os.path.join(folder, "big.layers.json"), "w") as fh:
        json.dump({"format": "layerspec/1", "name": "big", "inputs": {"x": {"dtype": "float32", "shape": ["batch", width]}},
                   "weights": "big.safetensors", "layers": spec}, fh)
    return path, sum(int(np.prod(s)) for _, s in names)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--layers", type=int, default=10)
    ap.add_argument("--width", type=int, default=3162)
    args = ap.parse_args(argv)
    require_time_bin()
    cli = os.path.abspath(args.cli)
    with tempfile.TemporaryDirectory() as tmp:
        weights, params = make_spec(tmp, args.layers, args.width)
        spec = os.path.join(tmp, "big.layers.json")
        peer = os.path.join(tmp, "peer.py")
        with open(peer, "w") as fh:
            fh.write(PEER)
        log = os.path.join(tmp, "time.log")
        runs = {"convert-cli": [], "onnx (python)": []}
        peaks = {k: 0 for k in runs}
        for r in range(args.repeat):
            for name, cmd, out in [("convert-cli", [cli, spec, "-o", os.path.join(tmp, "cli.onnx"), "--quiet"], os.path.join(tmp, "cli.onnx")),
                                   ("onnx (python)", [sys.executable, peer, spec, os.path.join(tmp, "peer.onnx")], os.path.join(tmp, "peer.onnx"))]:
                wall, rss = measure(cmd, log, out)
                runs[name].append(wall)
                peaks[name] = max(peaks[name], rss)
            print(f"round {r + 1}/{args.repeat}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in runs.items()), flush=True)
        wbytes = os.path.getsize(weights)
        # The two files must hold the same numbers.
        import onnx
        from onnx import numpy_helper
        a = {t.name: numpy_helper.to_array(t) for t in onnx.load(os.path.join(tmp, "cli.onnx")).graph.initializer}
        b = {t.name: numpy_helper.to_array(t) for t in onnx.load(os.path.join(tmp, "peer.onnx")).graph.initializer}
        same = set(a) == set(b) and all(np.array_equal(a[k], b[k]) for k in a)
        print(f"\nmodel: {params:,} parameters, weights {wbytes / 2**20:.1f} MiB; initializers identical in both files: {same}")
        base_t, base_m = statistics.median(runs["onnx (python)"]), peaks["onnx (python)"]
        print(f"{'converter':<16} {'median s':>9} {'peak MiB':>9} {'time ratio':>11} {'memory ratio':>13} {'peak/weights':>13}")
        for k in runs:
            t, m = statistics.median(runs[k]), peaks[k]
            print(f"{k:<16} {t:9.3f} {m / 2**20:9.1f} {t / base_t:11.4f} {m / base_m:13.4f} {m / wbytes:13.3f}")
        t, m = statistics.median(runs["convert-cli"]), peaks["convert-cli"]
        print(f"targets: convert-cli under 2 s ({'met' if t < 2 else 'NOT met'}: {t:.3f} s) and peak under 1.5 x the weights "
              f"({'met' if m < 1.5 * wbytes else 'NOT met'}: {m / wbytes:.3f} x)")
        if not same:
            raise SystemExit("error: the two models' initializers differ")


if __name__ == "__main__":
    main()
