#!/usr/bin/env python3
"""Writes the ONNX backend test models into one folder, as the corpus that the
round-trip, checker-agreement and interop scripts walk.

Two sources, both taken from the installed onnx package (no network):

* node/<test_name>/ -- every node test case that
  onnx.backend.test.case.node.collect_testcases() builds (one model per op test,
  plus the *_expanded function variants). Each gets model.onnx and
  test_data_set_0/input_<i>.pb, output_<i>.pb, with the value encoded as the
  graph input's/output's declared type asks: TensorProto, SequenceProto,
  MapProto or OptionalProto.
* simple/, pytorch-converted/, pytorch-operator/ -- the model folders shipped in
  onnx/backend/test/data (model.onnx plus their test_data_set_* folders), and
  light/ -- the shipped light_*.onnx files (these have no input data).

The folder is stamped (.backend-models.stamp: onnx version, a hash of this script
and the model count); a second run with the same onnx and script only checks the
stamp and the count, and prints "up to date". Use --force to rewrite.

The Makefile calls it as:
    .venv/bin/python scripts/backend_models.py --out .build/backend-data
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
import warnings

STAMP = ".backend-models.stamp"
SHIPPED = ("simple", "pytorch-converted", "pytorch-operator")
LIGHT = "light"
OWNED = ("node",) + SHIPPED + (LIGHT,)


def script_hash() -> str:
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def count_models(out: str) -> int:
    n = 0
    for sub in OWNED:
        for _root, _dirs, files in os.walk(os.path.join(out, sub)):
            n += sum(1 for f in files if f.endswith(".onnx"))
    return n


def read_stamp(out: str) -> dict | None:
    try:
        with open(os.path.join(out, STAMP)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


# --- encoding of test values -------------------------------------------------

def encode(value, tp, name: str | None):
    """Encodes one test value as the protobuf message its TypeProto `tp` calls for
    (tensor -> TensorProto, sequence -> SequenceProto, map -> MapProto,
    optional -> OptionalProto). With an empty TypeProto the kind is guessed from the
    Python value."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    kind = tp.WhichOneof("value") if tp is not None else None
    if kind is None:
        if isinstance(value, onnx.TensorProto) or isinstance(value, np.ndarray) \
                or np.isscalar(value):
            kind = "tensor_type"
        elif isinstance(value, list):
            kind = "sequence_type"
        elif isinstance(value, dict):
            kind = "map_type"
        else:
            kind = "optional_type"

    if kind in ("tensor_type", "sparse_tensor_type"):
        if isinstance(value, onnx.TensorProto):
            t = onnx.TensorProto()
            t.CopyFrom(value)
            if name and not t.name:
                t.name = name
            return t
        return numpy_helper.from_array(np.asarray(value), name=name)

    if kind == "sequence_type":
        elem_tp = tp.sequence_type.elem_type if tp is not None else None
        seq = onnx.SequenceProto()
        if name:
            seq.name = name
        seq.elem_type = elem_kind(elem_tp, value[0] if value else None, onnx.SequenceProto)
        for v in value:
            add_element(seq, encode(v, elem_tp, None), onnx.SequenceProto)
        return seq

    if kind == "map_type":
        return numpy_helper.from_dict(value, name=name)

    if kind == "optional_type":
        elem_tp = tp.optional_type.elem_type if tp is not None else None
        opt = onnx.OptionalProto()
        if name:
            opt.name = name
        opt.elem_type = elem_kind(elem_tp, value, onnx.OptionalProto)
        if value is not None:
            inner = encode(value, elem_tp, None)
            if isinstance(inner, onnx.TensorProto):
                opt.tensor_value.CopyFrom(inner)
            elif isinstance(inner, onnx.SequenceProto):
                opt.sequence_value.CopyFrom(inner)
            elif isinstance(inner, onnx.MapProto):
                opt.map_value.CopyFrom(inner)
            elif isinstance(inner, onnx.OptionalProto):
                opt.optional_value.CopyFrom(inner)
        return opt

    raise TypeError(f"cannot encode a test value of type kind {kind!r}")


def elem_kind(tp, sample, proto_cls) -> int:
    """The DataType enum value (of SequenceProto or OptionalProto) for an element."""
    import numpy as np

    kind = tp.WhichOneof("value") if tp is not None else None
    table = {
        "tensor_type": proto_cls.TENSOR,
        "sparse_tensor_type": proto_cls.SPARSE_TENSOR,
        "sequence_type": proto_cls.SEQUENCE,
        "map_type": proto_cls.MAP,
    }
    if hasattr(proto_cls, "OPTIONAL"):
        table["optional_type"] = proto_cls.OPTIONAL
    if kind in table:
        return table[kind]
    if sample is None:
        return proto_cls.UNDEFINED
    if isinstance(sample, list):
        return proto_cls.SEQUENCE
    if isinstance(sample, dict):
        return proto_cls.MAP
    if isinstance(sample, np.ndarray) or np.isscalar(sample) or hasattr(sample, "raw_data"):
        return proto_cls.TENSOR
    return proto_cls.UNDEFINED


def add_element(seq, msg, _cls) -> None:
    import onnx

    if isinstance(msg, onnx.TensorProto):
        seq.tensor_values.append(msg)
    elif isinstance(msg, onnx.SequenceProto):
        seq.sequence_values.append(msg)
    elif isinstance(msg, onnx.MapProto):
        seq.map_values.append(msg)
    elif isinstance(msg, onnx.OptionalProto):
        seq.optional_values.append(msg)
    else:
        raise TypeError(f"cannot put {type(msg).__name__} into a SequenceProto")


# --- writers -----------------------------------------------------------------

def collect_node_cases():
    import numpy as np
    from onnx.backend.test.case import node as node_cases

    # The case modules print and warn (divide by zero, overflow) while they compute
    # expected outputs; none of that is ours to show.
    with warnings.catch_warnings(), np.errstate(all="ignore"), \
            contextlib.redirect_stdout(open(os.devnull, "w")):
        warnings.simplefilter("ignore")
        return node_cases.collect_testcases()


def write_node_cases(out: str) -> int:
    cases = collect_node_cases()
    root = os.path.join(out, "node")
    os.makedirs(root, exist_ok=True)
    seen = set()
    written = 0
    for case in cases:
        if case.model is None or case.kind != "node":
            continue
        if case.name in seen:
            raise SystemExit(f"error: two node test cases are named {case.name!r}")
        seen.add(case.name)
        case_dir = os.path.join(root, case.name)
        os.makedirs(case_dir)
        with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        graph = case.model.graph
        # The comparison tolerance onnx's own runner uses for this case.
        with open(os.path.join(case_dir, "tolerance.json"), "w") as f:
            json.dump({"rtol": float(case.rtol), "atol": float(case.atol)}, f, sort_keys=True)
            f.write("\n")
        for k, (inputs, outputs) in enumerate(case.data_sets or []):
            data_dir = os.path.join(case_dir, f"test_data_set_{k}")
            os.makedirs(data_dir)
            for prefix, values, infos in (("input", inputs, graph.input),
                                          ("output", outputs, graph.output)):
                for i, value in enumerate(values):
                    info = infos[i] if i < len(infos) else None
                    msg = encode(value, info.type if info is not None else None,
                                 info.name if info is not None else None)
                    with open(os.path.join(data_dir, f"{prefix}_{i}.pb"), "wb") as f:
                        f.write(msg.SerializeToString())
        written += 1
    return written


def copy_shipped(out: str, data_root: str) -> dict:
    counts = {}
    for sub in SHIPPED:
        src = os.path.join(data_root, sub)
        dst = os.path.join(out, sub)
        n = 0
        if os.path.isdir(src):
            for name in sorted(os.listdir(src)):
                if os.path.isfile(os.path.join(src, name, "model.onnx")):
                    shutil.copytree(os.path.join(src, name), os.path.join(dst, name))
                    n += 1
        counts[sub] = n
    src = os.path.join(data_root, LIGHT)
    dst = os.path.join(out, LIGHT)
    n = 0
    if os.path.isdir(src):
        os.makedirs(dst, exist_ok=True)
        for name in sorted(os.listdir(src)):
            if name.endswith(".onnx"):
                shutil.copy2(os.path.join(src, name), os.path.join(dst, name))
                n += 1
    counts[LIGHT] = n
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder to write the models into")
    ap.add_argument("--force", action="store_true", help="rewrite even if the stamp matches")
    args = ap.parse_args(argv)

    import onnx

    out = os.path.abspath(args.out)
    want = {"onnx": onnx.__version__, "script": script_hash()}
    stamp = read_stamp(out)
    if not args.force and stamp and all(stamp.get(k) == v for k, v in want.items()):
        have = count_models(out)
        if have == stamp.get("models"):
            print(f"backend_models: {out} is up to date ({have} models, onnx {onnx.__version__})")
            return 0
        print(f"backend_models: {out} has {have} models, the stamp says {stamp.get('models')}; "
              "rewriting")

    start = time.monotonic()
    os.makedirs(out, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(out, STAMP))
    for sub in OWNED:
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)

    data_root = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data")
    counts = {"node": write_node_cases(out)}
    counts.update(copy_shipped(out, data_root))
    total = count_models(out)
    if total != sum(counts.values()):
        print(f"error: wrote {sum(counts.values())} models but found {total} under {out}",
              file=sys.stderr)
        return 1
    with open(os.path.join(out, STAMP), "w") as f:
        json.dump(dict(want, models=total, counts=counts), f, indent=1, sort_keys=True)
        f.write("\n")
    detail = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"backend_models: wrote {total} models ({detail}) to {out} "
          f"in {time.monotonic() - start:.1f}s (onnx {onnx.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
