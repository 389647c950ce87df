#!/usr/bin/env python3
"""Benchmarks reading and writing a large .onnx file: the Swift serializer
(`convert-cli pack IN -o OUT`) against the onnx Python package (`onnx.load` +
`onnx.save`), measured in the same run on the same file.

It writes (in a temporary folder, never the repo) a model with about --gib GiB of
float32 initializers (--tensors tensors of equal size, random values, each passed to
a graph output through Identity, so the model is valid), then runs each side in its own
child process, --repeat times:
  * python: `onnx.load(IN)` and `onnx.save(model, OUT)`, timed separately inside the
    child;
  * swift: `convert-cli pack IN -o OUT --timings`, which prints
    `decode_seconds=X encode_seconds=Y` on stderr; if the tool does not know
    --timings (or prints no timings) the whole process is timed as one number.
Peak RSS is the child's own ru_maxrss (os.wait4), so the parent's memory never counts.
Prints a table (decode and encode MB/s with MB = 10^6 bytes, the best of the repeats;
peak RSS in MiB, the largest; peak RSS / file size) and the swift/python ratios (above
1 means Swift is faster for MB/s; below 1 means Swift uses less memory for RSS), then
removes the temporary files.

The Makefile calls it as:
    .venv/bin/python scripts/bench_io.py --cli .build/release/convert-cli --gib 1.0
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MB = 1e6
MIB = 1024 * 1024


# --- children ----------------------------------------------------------------

def child_generate(path: str, gib: float, tensors: int) -> int:
    import numpy as np
    from onnx import TensorProto, helper

    per = max(1, int(gib * 1024**3 / 4 / tensors))
    rng = np.random.default_rng(20240601)
    # Built in place (helper.make_graph/make_model would copy every initializer).
    model = helper.make_model(helper.make_graph([], "bench_io", [], []),
                              producer_name="bench_io",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    graph = model.graph
    for i in range(tensors):
        t = graph.initializer.add()
        t.name = f"W{i}"
        t.data_type = TensorProto.FLOAT
        t.dims.append(per)
        t.raw_data = rng.standard_normal(per, dtype=np.float32).astype("<f4").tobytes()
        graph.node.append(helper.make_node("Identity", [f"W{i}"], [f"Y{i}"], name=f"identity_{i}"))
        graph.output.append(helper.make_tensor_value_info(f"Y{i}", TensorProto.FLOAT, [per]))
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return 0


def child_python(src: str, dst: str) -> int:
    import onnx

    t0 = time.perf_counter()
    model = onnx.load(src)
    t1 = time.perf_counter()
    onnx.save(model, dst)
    t2 = time.perf_counter()
    print(f"decode_seconds={t1 - t0:.6f} encode_seconds={t2 - t1:.6f}")
    return 0


# --- parent ------------------------------------------------------------------

def run_child(cmd: list[str], tmp: str) -> dict:
    """Runs cmd; returns its exit code, output, wall seconds and peak RSS (bytes)."""
    out_path, err_path = os.path.join(tmp, "child.out"), os.path.join(tmp, "child.err")
    with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, errors="replace") as f:
        stdout = f.read()
    with open(err_path, errors="replace") as f:
        stderr = f.read()
    return {"rc": proc.returncode, "stdout": stdout, "stderr": stderr, "wall": wall,
            "rss": usage.ru_maxrss * 1024}


TIMINGS = re.compile(r"decode_seconds=([0-9.eE+-]+)\s+encode_seconds=([0-9.eE+-]+)")


def parse_timings(text: str) -> tuple[float, float] | None:
    m = TIMINGS.search(text)
    return (float(m.group(1)), float(m.group(2))) if m else None


class ChildFailed(RuntimeError):
    def __init__(self, text: str, rc: int, msg: str):
        super().__init__(text)
        self.rc, self.msg = rc, msg


def measure(name: str, cmd: list[str], out: str, tmp: str) -> dict:
    r = run_child(cmd, tmp)
    if r["rc"] != 0:
        msg = (r["stderr"].strip() or r["stdout"].strip() or "(no output)").splitlines()[-1]
        raise ChildFailed(f"{name}: {' '.join(cmd)} exited {r['rc']}: {msg}", r["rc"], msg)
    if not os.path.isfile(out):
        raise RuntimeError(f"{name}: {' '.join(cmd)} wrote no {out}")
    t = parse_timings(r["stderr"]) or parse_timings(r["stdout"])
    r["out_size"] = os.path.getsize(out)
    os.remove(out)
    r["decode"], r["encode"] = t if t else (None, None)
    return r


def swift_cmd(cli: str, src: str, out: str, timings: bool) -> list[str]:
    return [cli, "pack", src, "-o", out] + (["--timings"] if timings else [])


def fmt(x, spec: str) -> str:
    width = int(re.match(r"\d*", spec).group() or 0)
    return "-".rjust(width) if x is None else format(x, spec)


def summarize(runs: list[dict], size: int) -> dict:
    dec = [r["decode"] for r in runs if r["decode"] is not None]
    enc = [r["encode"] for r in runs if r["encode"] is not None]
    return {
        "decode_mbs": size / MB / min(dec) if dec else None,
        "encode_mbs": size / MB / min(enc) if enc else None,
        "total_s": min(r["wall"] for r in runs),
        "rss_mib": max(r["rss"] for r in runs) / MIB,
        "ratio": max(r["rss"] for r in runs) / size,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", help="path to the built convert-cli (required unless --python-only)")
    ap.add_argument("--gib", type=float, default=1.0, help="GiB of initializers (below 2)")
    ap.add_argument("--tensors", type=int, default=16, help="number of initializers")
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; best time, peak RSS")
    ap.add_argument("--tmpdir", help="where to make the temporary folder (default: system's)")
    ap.add_argument("--python-only", action="store_true", help="measure only onnx (python)")
    ap.add_argument("--child-generate", nargs=1, metavar="PATH", help=argparse.SUPPRESS)
    ap.add_argument("--child-python", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child_generate:
        return child_generate(args.child_generate[0], args.gib, args.tensors)
    if args.child_python:
        return child_python(*args.child_python)

    if not args.python_only:
        if not args.cli:
            ap.error("--cli is required (or --python-only)")
        cli = os.path.abspath(args.cli)
        if not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
            print(f"error: {args.cli}: no such executable (build convert-cli first)",
                  file=sys.stderr)
            return 2
    if not 0 < args.gib < 1.95:
        ap.error("--gib must be above 0 and below 1.95 (one protobuf message is at most 2 GiB)")

    me = os.path.abspath(__file__)
    tmp = tempfile.mkdtemp(prefix="bench-io-", dir=args.tmpdir)
    try:
        src = os.path.join(tmp, "in.onnx")
        out = os.path.join(tmp, "out.onnx")
        t0 = time.perf_counter()
        g = run_child([sys.executable, me, "--child-generate", src, "--gib", str(args.gib),
                       "--tensors", str(args.tensors)], tmp)
        if g["rc"] != 0:
            print(f"error: generating the model failed: {g['stderr'].strip()}", file=sys.stderr)
            return 1
        size = os.path.getsize(src)
        print(f"bench_io: model {size / MIB:.0f} MiB ({args.tensors} float32 initializers) "
              f"written in {time.perf_counter() - t0:.1f}s to {tmp}")

        results = {}
        py_runs = [measure("python", [sys.executable, me, "--child-python", src, out], out, tmp)
                   for _ in range(args.repeat)]
        results["python (onnx)"] = summarize(py_runs, size)

        if not args.python_only:
            timings = True
            sw_runs = []
            for _ in range(args.repeat):
                try:
                    r = measure("swift", swift_cmd(cli, src, out, timings), out, tmp)
                except ChildFailed as exc:
                    # A usage error (exit 2) or a message naming the option: no --timings.
                    if timings and (exc.rc == 2 or "timings" in exc.msg):
                        timings = False
                        print("bench_io: convert-cli does not take --timings; timing the "
                              "whole process")
                        r = measure("swift", swift_cmd(cli, src, out, False), out, tmp)
                    else:
                        raise
                if r["decode"] is None and timings:
                    print("bench_io: convert-cli printed no decode_seconds/encode_seconds; "
                          "timing the whole process")
                    timings = False
                sw_runs.append(r)
                if r["out_size"] < size * 0.99:
                    print(f"bench_io: warning: convert-cli wrote {r['out_size']} bytes for a "
                          f"{size}-byte model")
            results["swift (convert-cli)"] = summarize(sw_runs, size)
            if all(r["decode"] is None for r in sw_runs):
                results["swift (convert-cli)"]["pack_mbs"] = \
                    size / MB / min(r["wall"] for r in sw_runs)

        print()
        print(f"{'':22} {'decode MB/s':>12} {'encode MB/s':>12} {'process s':>10} "
              f"{'peak RSS MiB':>13} {'peak/model':>11}")
        for name, s in results.items():
            print(f"{name:22} {fmt(s['decode_mbs'], '12.0f')} {fmt(s['encode_mbs'], '12.0f')} "
                  f"{s['total_s']:10.2f} {s['rss_mib']:13.0f} {s['ratio']:11.2f}")
        if "swift (convert-cli)" in results:
            p, s = results["python (onnx)"], results["swift (convert-cli)"]
            print()
            if s["decode_mbs"] is not None:
                print(f"swift/python: decode {s['decode_mbs'] / p['decode_mbs']:.2f}x, "
                      f"encode {s['encode_mbs'] / p['encode_mbs']:.2f}x (MB/s; above 1 is "
                      f"faster), peak RSS {s['rss_mib'] / p['rss_mib']:.2f}x (below 1 is leaner)")
            else:
                py_pack = size / MB / (min(r["decode"] for r in py_runs)
                                       + min(r["encode"] for r in py_runs))
                print(f"swift/python: decode+encode {s['pack_mbs'] / py_pack:.2f}x (whole "
                      f"convert-cli process vs onnx.load+onnx.save; above 1 is faster), "
                      f"peak RSS {s['rss_mib'] / p['rss_mib']:.2f}x (below 1 is leaner)")
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
