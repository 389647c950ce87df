#!/usr/bin/env python3
"""Checks that .onnx files are usable by the reference tools: for every *.onnx under
each --models folder it runs onnx.checker.check_model(path, full_check=True), opens an
onnxruntime.InferenceSession on the CPU, and, where test data exists, runs it and
compares the outputs with the expected ones: float32/float64 within rtol 1e-4, atol
1e-5; float16, bfloat16, float8 and float4 within rtol of one unit in the type's last
place (a tighter bound would ask more than the type holds); NaN equals NaN; ints, bools
and strings exactly; shapes and dtypes must match. Tensors of the types numpy lacks
(bfloat16, float8, int4, ...) are handed to onnxruntime as raw OrtValues.

Test data for a model M.onnx is every test_data_set_<k>/ folder holding input_<i>.pb
and output_<i>.pb (TensorProto, SequenceProto, MapProto or OptionalProto, as the
model's graph input/output type says):
  * beside M.onnx, when M is model.onnx or the only .onnx file in its folder;
  * under the --expected-dir paired (by position) with the --models folder, at
    <expected>/<folder of M relative to models>/<M's stem>/test_data_set_<k>/ (and, for
    model.onnx, <expected>/<folder of M relative to models>/test_data_set_<k>/).

--allow-list FILE names models expected to fail, one per line: `NAME<TAB>reason`
('#' starts a comment). NAME is the model's key (its path relative to the --models
folder, without "/model.onnx" or ".onnx"), or a trailing part of it, or an fnmatch
pattern. An allowed failure is counted as skipped; an allowed model that passes is
reported so it can be taken off the list (an error with --strict-allow).

Each model runs in a worker process (--jobs, default 2); a worker that crashes
(onnxruntime aborting, say) fails only the model it was running.

Prints `interop: N passed, M failed` (with `, K skipped` when the allow list
excused some) and exits 1 if any model failed. The Makefile calls it as:
    .venv/bin/python scripts/interop.py --models .build/backend-data/node \\
        --allow-list scripts/interop-backend-allow.txt
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import ctypes
import fnmatch
import glob
import os
import re
import sys
import time

RTOL = 1e-4
ATOL = 1e-5
# Types narrower than float32 cannot hold 1e-4 relative precision; their tolerance is
# one unit in the last place (relative), as the type rounds: 2**-mantissa_bits.
NARROW_RTOL = {
    "float16": 2.0 ** -10,
    "bfloat16": 2.0 ** -7,
    "float8_e4m3fn": 2.0 ** -3, "float8_e4m3fnuz": 2.0 ** -3,
    "float8_e5m2": 2.0 ** -2, "float8_e5m2fnuz": 2.0 ** -2,
    "float8_e8m0fnu": 1.0, "float4_e2m1fn": 0.5,
}


# --- discovery ---------------------------------------------------------------

def find_models(root: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith(".onnx"):
                found.append(os.path.join(dirpath, f))
    return found


def model_key(path: str, root: str) -> str:
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    if rel == "model.onnx":
        return os.path.basename(os.path.abspath(root))
    if rel.endswith("/model.onnx"):
        return rel[: -len("/model.onnx")]
    return rel[: -len(".onnx")] if rel.endswith(".onnx") else rel


def data_sets_for(path: str, root: str, expected: str | None) -> list[str]:
    folder = os.path.dirname(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    candidates = []
    alone = sum(1 for f in os.listdir(folder) if f.endswith(".onnx")) == 1
    if stem == "model" or alone:
        candidates.append(folder)
    if expected:
        rel_folder = os.path.relpath(folder, root)
        candidates.append(os.path.join(expected, rel_folder, stem))
        if stem == "model":
            candidates.append(os.path.join(expected, rel_folder))
    sets = []
    for c in candidates:
        sets.extend(sorted(d for d in glob.glob(os.path.join(c, "test_data_set_*"))
                           if os.path.isdir(d)))
    return sets


# --- allow list --------------------------------------------------------------

def read_allow_list(path: str) -> list[tuple[str, str]]:
    entries = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].rstrip() if not line.lstrip().startswith("#") else ""
            if not line.strip():
                continue
            parts = re.split(r"\t+|\s{2,}", line.strip(), maxsplit=1)
            name = parts[0].strip()
            reason = parts[1].strip() if len(parts) > 1 else ""
            if not reason:
                raise SystemExit(f"error: {path}:{lineno}: entry {name!r} has no reason")
            entries.append((name, reason))
    return entries


def allowed(key: str, entries: list[tuple[str, str]]) -> str | None:
    for name, reason in entries:
        if key == name or key.endswith("/" + name) or fnmatch.fnmatchcase(key, name) \
                or fnmatch.fnmatchcase(key.rsplit("/", 1)[-1], name):
            return name
    return None


# --- worker side -------------------------------------------------------------

def _worker_init() -> None:
    import warnings
    warnings.simplefilter("ignore")
    global onnx, ort, np, numpy_helper
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import numpy_helper
    ort.set_default_logger_severity(4)  # errors come back as exceptions; no log spam


def short(msg: str, limit: int = 400) -> str:
    msg = " ".join(str(msg).split())
    return msg if len(msg) <= limit else msg[: limit - 3] + "..."


def decode_value(data: bytes, tp):
    kind = tp.WhichOneof("value") if tp is not None else "tensor_type"
    if kind == "sequence_type":
        m = onnx.SequenceProto()
        m.ParseFromString(data)
        return numpy_helper.to_list(m)
    if kind == "map_type":
        m = onnx.MapProto()
        m.ParseFromString(data)
        return numpy_helper.to_dict(m)
    if kind == "optional_type":
        m = onnx.OptionalProto()
        m.ParseFromString(data)
        return numpy_helper.to_optional(m)
    m = onnx.TensorProto()
    m.ParseFromString(data)
    return numpy_helper.to_array(m), m.name


def read_value(path: str, tp):
    with open(path, "rb") as f:
        data = f.read()
    v = decode_value(data, tp)
    if isinstance(v, tuple):
        return v
    return v, ""


def is_floating(a) -> bool:
    if a.dtype.kind in "fc":
        return True
    # ml_dtypes (bfloat16, float8*, float4) register as kind 'V'; they convert to float.
    name = str(a.dtype)
    return name.startswith(("bfloat", "float"))


def normalize_strings(a):
    if a.dtype.kind in "OSU":
        flat = [x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)
                for x in a.ravel().tolist()]
        return np.array(flat, dtype=object).reshape(a.shape)
    return a


def compare(expected, actual, where: str) -> str | None:
    if expected is None or actual is None:
        if expected is None and actual is None:
            return None
        return f"{where}: expected {'None' if expected is None else 'a value'}, " \
               f"got {'None' if actual is None else type(actual).__name__}"
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{where}: expected a sequence, got {type(actual).__name__}"
        if len(expected) != len(actual):
            return f"{where}: expected {len(expected)} sequence elements, got {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            d = compare(e, a, f"{where}[{i}]")
            if d:
                return d
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected a map, got {type(actual).__name__}"
        if set(expected) != set(actual):
            return f"{where}: map keys differ: {sorted(expected)[:5]} vs {sorted(actual)[:5]}"
        for k in expected:
            d = compare(expected[k], actual[k], f"{where}[{k!r}]")
            if d:
                return d
        return None
    e = np.asarray(expected)
    a = np.asarray(actual)
    if is_exotic(e) and a.dtype.kind == "u" and a.dtype.itemsize == e.dtype.itemsize:
        a = a.view(e.dtype)  # onnxruntime hands float8 outputs back as their raw bytes
    if e.shape != a.shape:
        return f"{where}: shape {a.shape}, expected {e.shape}"
    e, a = normalize_strings(e), normalize_strings(a)
    if e.dtype.kind == "O" or a.dtype.kind == "O":
        if e.dtype.kind != a.dtype.kind:
            return f"{where}: dtype {a.dtype}, expected {e.dtype}"
        bad = [i for i, (x, y) in enumerate(zip(e.ravel().tolist(), a.ravel().tolist()))
               if x != y]
        if bad:
            i = bad[0]
            return (f"{where}: {len(bad)} of {e.size} strings differ; first at flat index "
                    f"{i}: {a.ravel()[i]!r}, expected {e.ravel()[i]!r}")
        return None
    if is_floating(e) or is_floating(a):
        if str(e.dtype) != str(a.dtype):
            return f"{where}: dtype {a.dtype}, expected {e.dtype}"
        ef = e.astype(np.float64)
        af = a.astype(np.float64)
        rtol = max(RTOL, NARROW_RTOL.get(str(e.dtype), 0.0) * 1.001)
        atol = ATOL
        nan_e, nan_a = np.isnan(ef), np.isnan(af)
        with np.errstate(all="ignore"):
            close = np.abs(af - ef) <= atol + rtol * np.abs(ef)
            close |= (ef == af)  # infinities of the same sign
        close |= nan_e & nan_a
        close &= ~(nan_e ^ nan_a)
        if not close.all():
            bad = np.flatnonzero(~close.ravel())
            i = int(bad[0])
            with np.errstate(all="ignore"):
                diff = np.abs(af - ef)
                worst = float(np.nanmax(np.where(close, 0, diff))) if diff.size else 0.0
            return (f"{where}: {bad.size} of {e.size} values outside rtol={rtol:.3g} atol={atol:.3g}; "
                    f"first at flat index {i}: {af.ravel()[i]!r}, expected {ef.ravel()[i]!r}; "
                    f"max abs diff {worst:.3g}")
        return None
    if e.dtype != a.dtype:
        return f"{where}: dtype {a.dtype}, expected {e.dtype}"
    if not np.array_equal(e, a):
        bad = np.flatnonzero((e != a).ravel())
        i = int(bad[0])
        return (f"{where}: {bad.size} of {e.size} values differ; first at flat index {i}: "
                f"{a.ravel()[i]!r}, expected {e.ravel()[i]!r}")
    return None


def is_exotic(a) -> bool:
    """bfloat16, float8*, int4 and the like: numpy arrays onnxruntime's run() rejects."""
    # numpy numbers the dtypes that other packages (ml_dtypes) register from 256 up.
    return isinstance(a, np.ndarray) and a.dtype.num >= 256 and a.dtype.names is None


def packed_bits(elem: int) -> int:
    """Bits per element for the ONNX types onnxruntime stores packed (4-bit, 2-bit)."""
    name = onnx.TensorProto.DataType.Name(elem)
    if name in ("INT4", "UINT4", "FLOAT4E2M1"):
        return 4
    if name in ("INT2", "UINT2"):
        return 2
    return 0


def to_ortvalue(v, elem: int):
    """An OrtValue holding the raw bytes of an array of a type numpy lacks (elements
    of 4 or 2 bits packed low bits first, as onnxruntime stores them)."""
    raw = np.ascontiguousarray(v).view(np.uint8).ravel()
    bits = packed_bits(elem)
    if bits:
        per = 8 // bits
        padded = np.zeros(-(-raw.size // per) * per, dtype=np.uint8)
        padded[: raw.size] = raw & ((1 << bits) - 1)
        groups = padded.reshape(-1, per).astype(np.uint8)
        raw = np.zeros(groups.shape[0], dtype=np.uint8)
        for k in range(per):
            raw |= groups[:, k] << (k * bits)
    ov = ort.OrtValue.ortvalue_from_shape_and_type(list(v.shape), elem)
    if ov.tensor_size_in_bytes() != raw.nbytes:
        raise TypeError(f"cannot feed {v.dtype} as {onnx.TensorProto.DataType.Name(elem)}: "
                        f"{raw.nbytes} bytes for {ov.tensor_size_in_bytes()}")
    if raw.nbytes:
        ctypes.memmove(ov.data_ptr(), raw.ctypes.data, raw.nbytes)
    return ov


def from_ortvalue(ov):
    """The numpy (ml_dtypes) array for an OrtValue tensor that .numpy() refuses."""
    elem = ov.element_type()
    dtype = onnx.helper.tensor_dtype_to_np_dtype(elem)
    shape = tuple(ov.shape())
    count = int(np.prod(shape, dtype=np.int64))
    nbytes = ov.tensor_size_in_bytes()
    raw = np.frombuffer(ctypes.string_at(ov.data_ptr(), nbytes), dtype=np.uint8) \
        if nbytes else np.zeros(0, dtype=np.uint8)
    bits = packed_bits(elem)
    if bits:
        per = 8 // bits
        parts = [(raw >> (k * bits)) & ((1 << bits) - 1) for k in range(per)]
        raw = np.stack(parts, axis=1).ravel()[:count].astype(np.uint8)
    elif nbytes != count * dtype.itemsize:
        raise TypeError(f"cannot read an onnxruntime output of type {ov.data_type()}")
    return raw.view(dtype).reshape(shape).copy()


def run_session(sess, feeds: dict, elem_types: dict) -> list:
    """sess.run, except that tensors of types numpy lacks (bfloat16, float8*, int4,
    int2, float4) go in and come out through OrtValues holding their raw bytes."""
    bridge = any(is_exotic(v) for v in feeds.values())
    if not bridge:
        try:
            return sess.run(None, feeds)
        except Exception as exc:  # noqa: BLE001
            if "No corresponding Numpy type" not in str(exc):
                raise
    if not all(isinstance(v, np.ndarray) for v in feeds.values()):
        return sess.run(None, feeds)
    ort_feeds = {}
    for name, v in feeds.items():
        if is_exotic(v):
            elem = elem_types.get(name) or onnx.helper.np_dtype_to_tensor_dtype(v.dtype)
            ort_feeds[name] = to_ortvalue(v, elem)
        else:
            ort_feeds[name] = ort.OrtValue.ortvalue_from_numpy(np.ascontiguousarray(v))
    out_names = [o.name for o in sess.get_outputs()]
    results = []
    for ov in sess.run_with_ort_values(out_names, ort_feeds):
        try:
            results.append(ov.numpy())
        except Exception:  # noqa: BLE001
            if not ov.is_tensor():
                raise
            results.append(from_ortvalue(ov))
    return results


def check_one(path: str, data_sets: list[str]) -> dict:
    """Runs the checks for one model; returns {ok, stage, message, sets}."""
    try:
        onnx.checker.check_model(path, full_check=True)
    except Exception as exc:  # noqa: BLE001 - any checker error is a failure to report
        return {"ok": False, "stage": "onnx.checker", "message": short(exc)}
    try:
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        so.log_severity_level = 4
        sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "stage": "onnxruntime session", "message": short(exc)}
    if not data_sets:
        return {"ok": True, "stage": "", "message": "", "sets": 0}

    model = onnx.load(path, load_external_data=False)
    inits = {t.name for t in model.graph.initializer}
    graph_inputs = [i for i in model.graph.input if i.name not in inits]
    graph_outputs = list(model.graph.output)
    sess_inputs = [i.name for i in sess.get_inputs()]
    sess_outputs = [o.name for o in sess.get_outputs()]
    for ds in data_sets:
        ds_name = os.path.basename(ds)
        try:
            feeds = {}
            in_files = sorted(glob.glob(os.path.join(ds, "input_*.pb")),
                              key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
            for i, f in enumerate(in_files):
                tp = graph_inputs[i].type if i < len(graph_inputs) else None
                value, name = read_value(f, tp)
                if not (name and name in sess_inputs):
                    if i < len(graph_inputs):
                        name = graph_inputs[i].name
                    elif i < len(sess_inputs):
                        name = sess_inputs[i]
                    else:
                        return {"ok": False, "stage": f"{ds_name} inputs",
                                "message": f"{os.path.basename(f)} has no model input to feed"}
                feeds[name] = value
            out_files = sorted(glob.glob(os.path.join(ds, "output_*.pb")),
                               key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
            expected = {}
            for i, f in enumerate(out_files):
                tp = graph_outputs[i].type if i < len(graph_outputs) else None
                value, name = read_value(f, tp)
                if not (name and name in sess_outputs):
                    if i >= len(sess_outputs):
                        return {"ok": False, "stage": f"{ds_name} outputs",
                                "message": f"{os.path.basename(f)} has no model output"}
                    name = graph_outputs[i].name if i < len(graph_outputs) else sess_outputs[i]
                expected[name] = value
        except Exception as exc:  # noqa: BLE001
            return {"ok": False, "stage": f"{ds_name} read", "message": short(exc)}
        elem_types = {i.name: i.type.tensor_type.elem_type for i in graph_inputs
                      if i.type.WhichOneof("value") == "tensor_type"}
        try:
            results = run_session(sess, feeds, elem_types)
        except Exception as exc:  # noqa: BLE001
            return {"ok": False, "stage": f"{ds_name} run", "message": short(exc)}
        got = dict(zip(sess_outputs, results))
        for name, value in expected.items():
            if name not in got:
                return {"ok": False, "stage": f"{ds_name} compare",
                        "message": f"onnxruntime gave no output named {name!r}"}
            try:
                d = compare(value, got[name], f"output {name!r}")
            except Exception as exc:  # noqa: BLE001
                d = f"output {name!r}: cannot compare: {short(exc)}"
            if d:
                return {"ok": False, "stage": f"{ds_name} compare", "message": short(d)}
    return {"ok": True, "stage": "", "message": "", "sets": len(data_sets)}


# --- scheduling --------------------------------------------------------------

def run_all(items: list[tuple[str, list[str]]], jobs: int) -> dict:
    """items: (path, data_sets). Returns path -> result. A worker crash fails only the
    model it was running: the models in flight at the crash are retried one by one."""
    results: dict[str, dict] = {}
    queue = list(reversed(items))
    window = max(1, jobs) * 2

    def isolated(item):
        with cf.ProcessPoolExecutor(1, initializer=_worker_init) as p:
            try:
                return p.submit(check_one, *item).result()
            except cf.process.BrokenProcessPool:
                return {"ok": False, "stage": "crash",
                        "message": "the worker process died (onnx or onnxruntime crashed)"}

    while queue:
        suspects = []
        with cf.ProcessPoolExecutor(jobs, initializer=_worker_init) as pool:
            in_flight = {}
            broken = False
            while (queue or in_flight) and not broken:
                while queue and len(in_flight) < window:
                    item = queue.pop()
                    in_flight[pool.submit(check_one, *item)] = item
                done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
                for fut in done:
                    item = in_flight.pop(fut)
                    try:
                        results[item[0]] = fut.result()
                    except cf.process.BrokenProcessPool:
                        broken = True
                        suspects.append(item)
            if broken:
                suspects.extend(in_flight.values())
        for item in suspects:
            results[item[0]] = isolated(item)
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", action="append", required=True, metavar="DIR",
                    help="folder to search for *.onnx (repeatable)")
    ap.add_argument("--expected-dir", action="append", default=[], metavar="DIR",
                    help="folder of test data for the --models folder in the same position")
    ap.add_argument("--allow-list", metavar="FILE", action="append", default=[],
                    help="expected failures with reasons (repeatable)")
    ap.add_argument("--strict-allow", action="store_true",
                    help="fail when an allow-listed model passes")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--report", metavar="FILE",
                    help="write one TSV line per model: key, result, stage, message")
    args = ap.parse_args(argv)

    if len(args.expected_dir) > len(args.models):
        ap.error("more --expected-dir than --models")
    entries = []
    for f in args.allow_list:
        entries.extend(read_allow_list(f))

    items, keys = [], {}
    for i, root in enumerate(args.models):
        if not os.path.isdir(root):
            print(f"error: {root}: no such folder", file=sys.stderr)
            return 2
        expected = args.expected_dir[i] if i < len(args.expected_dir) else None
        for path in find_models(root):
            items.append((path, data_sets_for(path, root, expected)))
            key = model_key(path, root)
            keys[path] = key if len(args.models) == 1 else \
                f"{os.path.basename(os.path.abspath(root))}/{key}"
    if not items:
        print(f"error: no .onnx files under {', '.join(args.models)}", file=sys.stderr)
        return 1

    start = time.monotonic()
    results = run_all(items, args.jobs)
    elapsed = time.monotonic() - start

    passed = failed = skipped = 0
    with_data = 0
    failures, fixed, used = [], [], set()
    rows = []
    for path, _sets in items:
        r = results[path]
        key = keys[path]
        entry = allowed(key, entries)
        if entry:
            used.add(entry)
        if r["ok"]:
            passed += 1
            with_data += 1 if r.get("sets") else 0
            if entry:
                fixed.append((key, entry))
            rows.append((key, "pass", "", ""))
        elif entry:
            skipped += 1
            rows.append((key, "allowed", r["stage"], r["message"]))
        else:
            failed += 1
            failures.append((key, r))
            rows.append((key, "fail", r["stage"], r["message"]))

    for key, r in failures:
        print(f"FAIL {key}: {r['stage']}: {r['message']}")
    for key, entry in fixed:
        print(f"{'FAIL' if args.strict_allow else 'note'} {key}: passes but the allow list "
              f"excuses it ({entry!r}); take it off the list")
    unused = [n for n, _ in entries if n not in used]
    if unused:
        shown = ", ".join(unused[:5]) + (", ..." if len(unused) > 5 else "")
        print(f"note: {len(unused)} allow-list entries matched no model here ({shown})")
    if args.report:
        with open(args.report, "w") as f:
            for row in rows:
                f.write("\t".join(row) + "\n")
    if args.strict_allow:
        failed += len(fixed)
        passed -= len(fixed)
    print(f"interop: {len(items)} models in {elapsed:.1f}s, {with_data} compared with "
          f"expected outputs")
    tail = f", {skipped} skipped" if skipped else ""
    print(f"interop: {passed} passed, {failed} failed{tail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
