#!/usr/bin/env python3
"""Round-trips every *.onnx file under --models through the Swift serializer and checks
that nothing is lost: `convert-cli pack MODEL -o TMP/x.onnx` decodes the file into the
Swift IR and encodes it again; then the original and the re-encoded file are loaded
with onnx (load_external_data=False) and must be equal as protobuf messages (upb
equality: every field, its presence, float bits, unknown fields).

For a failure it names the first differing field (e.g.
`graph.node[3].attribute[0].t.raw_data: 16 bytes vs 12 bytes`), found by walking both
messages. It also counts the files that came back byte-identical (informational;
field order and packing may legitimately differ).

Prints `roundtrip: N passed, M failed` on its own last line and exits 1 if any
failed. The Makefile calls it as:
    .venv/bin/python scripts/roundtrip.py --cli .build/debug/convert-cli \\
        --models .build/backend-data --jobs 2 --report .build/roundtrip-report.tsv
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time


def find_models(root: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".onnx"))
    return found


def short(value, limit: int = 80) -> str:
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def scalar_equal(fd, x, y) -> bool:
    # Bitwise for floats, as upb compares them: NaN equals NaN, 0.0 differs from -0.0.
    if fd.type == fd.TYPE_FLOAT:
        return struct.pack("<f", x) == struct.pack("<f", y)
    if fd.type == fd.TYPE_DOUBLE:
        return struct.pack("<d", x) == struct.pack("<d", y)
    return x == y


def bytes_detail(x: bytes, y: bytes) -> str:
    n = min(len(x), len(y))
    at = next((i for i in range(n) if x[i] != y[i]), n)
    return f"{len(x)} bytes vs {len(y)} bytes, first difference at byte {at}"


def unknown_count(msg) -> int:
    try:
        from google.protobuf import unknown_fields
        return len(unknown_fields.UnknownFieldSet(msg))
    except Exception:  # noqa: BLE001 - older protobuf: fall back to the legacy API
        try:
            return len(msg.UnknownFields())
        except Exception:  # noqa: BLE001
            return 0


def first_diff(a, b, path: str = "") -> str | None:
    """The first field (in declaration order, depth first) where messages a and b differ,
    as `path: original vs re-encoded`; None if they agree field by field."""
    for fd in a.DESCRIPTOR.fields:
        name = fd.name
        where = f"{path}.{name}" if path else name
        is_msg = fd.type in (fd.TYPE_MESSAGE, fd.TYPE_GROUP)
        if fd.is_repeated:
            xs, ys = getattr(a, name), getattr(b, name)
            if is_msg and fd.message_type.GetOptions().map_entry:
                if dict(xs) != dict(ys):
                    return f"{where}: map {short(dict(xs))} vs {short(dict(ys))}"
                continue
            for i, (x, y) in enumerate(zip(xs, ys)):
                if is_msg:
                    d = first_diff(x, y, f"{where}[{i}]")
                    if d:
                        return d
                elif not scalar_equal(fd, x, y):
                    if isinstance(x, bytes):
                        return f"{where}[{i}]: {bytes_detail(x, y)}"
                    return f"{where}[{i}]: {short(x)} vs {short(y)}"
            if len(xs) != len(ys):
                return f"{where}: {len(xs)} entries vs {len(ys)}"
            continue
        if fd.has_presence:
            ha, hb = a.HasField(name), b.HasField(name)
            if ha != hb:
                state = lambda h: "set" if h else "unset"  # noqa: E731
                value = getattr(a if ha else b, name)
                return (f"{where}: {state(ha)} vs {state(hb)}"
                        + ("" if is_msg else f" (value {short(value)})"))
            if not ha:
                continue
        x, y = getattr(a, name), getattr(b, name)
        if is_msg:
            d = first_diff(x, y, where)
            if d:
                return d
        elif not scalar_equal(fd, x, y):
            if isinstance(x, bytes):
                return f"{where}: {bytes_detail(x, y)}"
            return f"{where}: {short(x)} vs {short(y)}"
    ua, ub = unknown_count(a), unknown_count(b)
    if ua != ub:
        return f"{path or 'model'}: {ua} unknown fields vs {ub}"
    return None


def roundtrip_one(cli: str, model: str, work: str, timeout: float) -> dict:
    import onnx

    os.makedirs(work)
    out = os.path.join(work, "x.onnx")
    try:
        try:
            proc = subprocess.run([cli, "pack", model, "-o", out], capture_output=True,
                                  text=True, errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"ok": False, "detail": f"convert-cli pack took more than {timeout:.0f}s"}
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
            msg = next((ln for ln in lines if ln.startswith("error:")),
                       lines[-1] if lines else "(no message)")
            what = f"exit code {proc.returncode}" if proc.returncode > 0 else \
                f"killed by signal {-proc.returncode}"
            return {"ok": False, "detail": f"convert-cli pack failed ({what}): {msg.strip()}"}
        if not os.path.isfile(out):
            return {"ok": False, "detail": "convert-cli pack exited 0 but wrote no file"}
        try:
            original = onnx.load(model, load_external_data=False)
        except Exception as exc:  # noqa: BLE001
            return {"ok": False, "detail": f"onnx cannot load the original: {exc}"}
        try:
            again = onnx.load(out, load_external_data=False)
        except Exception as exc:  # noqa: BLE001
            return {"ok": False, "detail": f"onnx cannot load the re-encoded file: {exc}"}
        if original == again:
            with open(model, "rb") as f1, open(out, "rb") as f2:
                identical = f1.read() == f2.read()
            return {"ok": True, "detail": "", "identical": identical}
        d = first_diff(original, again) or "messages differ but no field does (unknown fields?)"
        return {"ok": False, "detail": f"re-encoded model differs: {d}"}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True, help="path to the built convert-cli")
    ap.add_argument("--models", required=True, action="append", metavar="DIR",
                    help="folder to search for *.onnx (repeatable)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per pack")
    ap.add_argument("--report", metavar="FILE",
                    help="write one TSV line per model: path, pass/fail, detail")
    args = ap.parse_args(argv)

    cli = os.path.abspath(args.cli)
    if not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        print(f"error: {args.cli}: no such executable (build convert-cli first)", file=sys.stderr)
        return 2
    models = []
    for root in args.models:
        if not os.path.isdir(root):
            print(f"error: {root}: no such folder", file=sys.stderr)
            return 2
        models.extend((root, m) for m in find_models(root))
    if not models:
        print(f"error: no .onnx files under {', '.join(args.models)}", file=sys.stderr)
        return 1

    start = time.monotonic()
    results = {}
    with tempfile.TemporaryDirectory(prefix="roundtrip-") as tmp:
        with cf.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            futs = {pool.submit(roundtrip_one, cli, m, os.path.join(tmp, str(i)), args.timeout): m
                    for i, (_root, m) in enumerate(models)}
            for fut in cf.as_completed(futs):
                try:
                    results[futs[fut]] = fut.result()
                except Exception as exc:  # noqa: BLE001 - report, do not stop the run
                    results[futs[fut]] = {"ok": False, "detail": f"internal error: {exc!r}"}
    elapsed = time.monotonic() - start

    passed = sum(1 for r in results.values() if r["ok"])
    failed = len(results) - passed
    identical = sum(1 for r in results.values() if r.get("identical"))
    rows = []
    for root, m in models:
        r = results[m]
        rel = os.path.relpath(m, root)
        rows.append((rel, "pass" if r["ok"] else "fail", r["detail"]))
        if not r["ok"]:
            print(f"FAIL {rel}: {r['detail']}")
    if args.report:
        with open(args.report, "w") as f:
            for row in rows:
                f.write("\t".join(row) + "\n")
    print(f"roundtrip: {len(models)} models in {elapsed:.1f}s with {args.jobs} jobs; "
          f"{identical} of the {passed} that passed are byte-identical")
    print(f"roundtrip: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
