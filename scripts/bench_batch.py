#!/usr/bin/env python3
"""Batch conversion overhead: 200 small models (copies of the committed XGBoost,
LightGBM, scikit-learn and layer-spec fixtures, with their sidecars and weights) converted
one `convert-cli` process at a time, then all at once with `make -j2 convert`, in one
run; prints wall(make -j2) / (sum of the single conversions / 2). Target (issue 9): at
most 1.2 (no per-file overhead worth naming). The two are measured in turn for several
rounds (--rounds, 7 by default) and the figure is the fastest batch over the fastest
sum of singles: on a shared machine one pass of either moves by 15% or more from one
minute to the next, and what the neighbours add only ever makes a pass slower.

    .venv/bin/python scripts/bench_batch.py --cli .build/release/convert-cli
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def collect(cli, count):
    """(relative path under Fixtures, extra files to copy) for `count` convertible models."""
    listed = subprocess.run([cli, "list-models", os.path.join(ROOT, "Fixtures")], capture_output=True, text=True, check=True).stdout.split()
    refused = ("python/hostile/", "python/objects/", "python/skops_extra/", "lightgbm/linear_tree/", "fuzz-regressions/")
    models = [m for m in listed if not m.startswith(refused) and "/refused_" not in m]
    return models[:count]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    cli = os.path.abspath(args.cli)
    models = collect(cli, args.count)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        # Whole fixture folders, so that configs, fmaps, sidecars and weights come along.
        for top in sorted({m.split("/")[0] for m in models}):
            shutil.copytree(os.path.join(ROOT, "Fixtures", top), os.path.join(src, top))
        keep = set(models)
        # make converts what list-models finds under SRC: remove the other model files.
        for m in subprocess.run([cli, "list-models", src], capture_output=True, text=True, check=True).stdout.split():
            if m not in keep:
                os.remove(os.path.join(src, m))
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        ratios, single_times, batch_times = [], [], []
        for r in range(args.rounds):
            # The single runs are plain conversions (what a person runs for one model,
            # without the --result-file that make's jobs add for the report), one at a
            # time, into a folder of their own made beforehand.
            single_out = os.path.join(tmp, "single")
            shutil.rmtree(single_out, ignore_errors=True)
            for m in models:
                os.makedirs(os.path.dirname(os.path.join(single_out, m)), exist_ok=True)
            singles = 0.0
            cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            for m in models:
                side = os.path.join(src, m + ".convert.json")
                target = os.path.join(single_out, m + ".onnx")
                cmd = [cli, os.path.join(src, m), "-o", target]
                if os.path.exists(side):
                    cmd += ["--options-file", side]
                t = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                singles += time.perf_counter() - t
            cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            single_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
            out = os.path.join(tmp, "out")
            shutil.rmtree(out, ignore_errors=True)
            t = time.perf_counter()
            p = subprocess.run(["make", "-C", ROOT, "--no-print-directory", "-j2", "convert", f"SRC={src}", f"OUT={out}",
                                f"CONVERT_CLI={cli}"], capture_output=True, text=True, env=env)
            batch = time.perf_counter() - t
            cpu2 = resource.getrusage(resource.RUSAGE_CHILDREN)
            batch_cpu = (cpu2.ru_utime - cpu1.ru_utime) + (cpu2.ru_stime - cpu1.ru_stime)
            if p.returncode != 0:
                raise SystemExit(f"error: make convert failed:\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
            ratio = batch / (singles / 2)
            ratios.append(ratio)
            single_times.append(singles)
            batch_times.append(batch)
            print(f"round {r + 1}: {len(models)} models: single conversions {singles:.2f} s in all (/2 = {singles / 2:.2f} s), "
                  f"CPU {single_cpu:.2f} s; make -j2 convert {batch:.2f} s, CPU {batch_cpu:.2f} s; ratio {ratio:.3f}", flush=True)
        print("(a single conversion already uses both cores while it verifies, so sum/2 is below what two jobs can reach)")
        print(f"rounds' ratios from {min(ratios):.3f} to {max(ratios):.3f}, median {sorted(ratios)[len(ratios) // 2]:.3f}")
        ratio = min(batch_times) / (min(single_times) / 2)
        print(f"ratio {ratio:.3f}: fastest make -j2 {min(batch_times):.2f} s over half the fastest sum of singles {min(single_times) / 2:.2f} s "
              f"(target <= 1.2: {'met' if ratio <= 1.2 else 'NOT met'})")


if __name__ == "__main__":
    main()
