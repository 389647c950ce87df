#!/usr/bin/env python3
"""Writes Fixtures/python/ for the safe pickle / joblib / skops / jsonpickle readers.

  objects/   plain Python and numpy values in pickle protocols 0, 2, 4, 5 (+ one file with
             protocol-5 out-of-band buffers), each with <name>.expected.json and .npy files
  sklearn/   small fitted estimators in every container, with <est>.expected.json
  hostile/   pickles and joblib files a reader must refuse; never loaded here

The expected.json schema is documented in Fixtures/python/README.md (also written here).
Only the files this script makes are loaded back (to check the descriptions); the hostile
files are assembled from bytes or through __reduce__ and are never unpickled.

Run with the venv listed in Fixtures/python/VERSIONS.txt:
  /tmp/venv-py/bin/python scripts/make_python_fixtures.py
"""
import collections
import hashlib
import io
import json
import os
import pickle
import pickletools
import platform
import shutil
import struct
import sys
import zipfile

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Fixtures", "python")
SEED = 20250601
OBJECT_PROTOCOLS = (0, 2, 4, 5)


# ---------------------------------------------------------------------------------------
# The description of a value (the schema is in README.md).

def descr_json(dtype):
    """numpy's own .npy header descr ('<f8' or a list of [name, descr(, shape)])."""
    d = np.lib.format.dtype_to_descr(dtype)

    def conv(x):
        if isinstance(x, (list, tuple)):
            return [conv(y) for y in x]
        return x
    return conv(d)


def fortran_of(a):
    return bool(a.ndim > 1 and a.flags.f_contiguous and not a.flags.c_contiguous)


class Describer:
    """Turns a value into the expected.json tree.

    array_sink(array) -> dict of extra fields for an ndarray ({"npy": name} when writing).
    Mutable values (list, dict, set, bytearray, ndarray, OrderedDict) that occur more than
    once get "id": k at their first occurrence (depth-first, the order pickle writes them)
    and {"type": "ref", "id": k} afterwards."""

    MUTABLE = (list, dict, set, bytearray, np.ndarray)

    def __init__(self, array_sink, sort_sets=False):
        self.array_sink = array_sink
        self.sort_sets = sort_sets
        self.counts = {}
        self.ids = {}
        self.keep = []

    def _count(self, v):
        if isinstance(v, self.MUTABLE):
            self.keep.append(v)
            n = self.counts.get(id(v), 0)
            self.counts[id(v)] = n + 1
            if n:
                return
        if isinstance(v, dict):
            for k, x in v.items():
                self._count(k)
                self._count(x)
        elif isinstance(v, (list, tuple, set, frozenset)):
            for x in v:
                self._count(x)
        elif isinstance(v, slice):
            for x in (v.start, v.stop, v.step):
                self._count(x)

    def describe(self, v):
        self._count(v)
        return self._d(v)

    def _d(self, v):
        if isinstance(v, self.MUTABLE) and self.counts.get(id(v), 0) > 1:
            if id(v) in self.ids:
                return {"type": "ref", "id": self.ids[id(v)]}
            self.ids[id(v)] = len(self.ids)
            out = {"id": self.ids[id(v)]}
            out.update(self._plain(v))
            # keep "type" first for readability
            return {"type": out.pop("type"), **out}
        return self._plain(v)

    def _items(self, seq):
        return [self._d(x) for x in seq]

    def _plain(self, v):
        if v is None:
            return {"type": "none"}
        if isinstance(v, np.generic):  # first: np.float64 and np.complex128 subclass float and complex
            return {"type": "npscalar", "dtype": descr_json(v.dtype), "hex": v.tobytes().hex(),
                    "value": self._d(v.item())}
        if isinstance(v, PersistentId):
            return {"type": "persistent_id", "pid": self._d(v.pid)}
        if isinstance(v, bool):
            return {"type": "bool", "value": v}
        if isinstance(v, int):
            return {"type": "int", "value": str(v)}
        if isinstance(v, float):
            return {"type": "float", "hex": v.hex()}
        if isinstance(v, complex):
            return {"type": "complex", "real": v.real.hex(), "imag": v.imag.hex()}
        if isinstance(v, str):
            return {"type": "str", "value": v}
        if isinstance(v, bytes):
            return {"type": "bytes", "hex": v.hex()}
        if isinstance(v, bytearray):
            return {"type": "bytearray", "hex": bytes(v).hex()}
        if isinstance(v, tuple):
            return {"type": "tuple", "items": self._items(v)}
        if isinstance(v, list):
            return {"type": "list", "items": self._items(v)}
        if isinstance(v, collections.OrderedDict):
            return {"type": "object", "class": "collections.OrderedDict",
                    "items": [[self._d(k), self._d(x)] for k, x in v.items()]}
        if isinstance(v, dict):
            return {"type": "dict", "items": [[self._d(k), self._d(x)] for k, x in v.items()]}
        if isinstance(v, (set, frozenset)):
            items = self._items(v)
            if self.sort_sets:
                items.sort(key=lambda x: json.dumps(x, sort_keys=True))
            return {"type": "set" if isinstance(v, set) else "frozenset", "items": items}
        if isinstance(v, slice):
            return {"type": "slice", "start": self._d(v.start), "stop": self._d(v.stop), "step": self._d(v.step)}
        if isinstance(v, np.ndarray):
            out = {"type": "ndarray", "dtype": descr_json(v.dtype), "shape": list(v.shape),
                   "fortran": fortran_of(v)}
            if v.dtype.hasobject:
                out["items"] = self._items(v.ravel(order="C").tolist())
            else:
                out.update(self.array_sink(v))
            return out
        if isinstance(v, np.dtype):
            return {"type": "dtype", "descr": descr_json(v), "itemsize": v.itemsize}
        if isinstance(v, pickle.PickleBuffer):
            m = v.raw()
            return {"type": "buffer", "readonly": m.readonly, "hex": bytes(m).hex()}
        raise TypeError(f"no description for {type(v)}")


def writing_sink(folder, stem):
    counter = [0]

    def sink(a):
        name = f"{stem}.array{counter[0]}.npy"
        counter[0] += 1
        np.save(os.path.join(folder, name), a, allow_pickle=False)
        return {"npy": name}
    return sink


def hashing_sink(a):
    h = hashlib.sha256(a.tobytes(order="A")).hexdigest()
    return {"sha256": h}


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")


class PersistentId:
    """What a reader hands to its caller for PERSID / BINPERSID."""

    def __init__(self, pid):
        self.pid = pid


class RecordingUnpickler(pickle.Unpickler):
    """Loads OUR OWN benign files only; records which globals they name."""

    def persistent_load(self, pid):
        return PersistentId(pid)

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.globals = set()

    def find_class(self, module, name):
        self.globals.add(f"{module}.{name}")
        return super().find_class(module, name)


def opcode_names(data):
    return sorted({op.name for op, _, _ in pickletools.genops(data)})


# ---------------------------------------------------------------------------------------
# 1. objects/

NODE_FIELDS = [("left_child", "<i8"), ("right_child", "<i8"), ("feature", "<i8"), ("threshold", "<f8"),
               ("impurity", "<f8"), ("n_node_samples", "<i8"), ("weighted_n_node_samples", "<f8"),
               ("missing_go_to_left", "u1")]


def object_values():
    rng = np.random.default_rng(SEED)
    shared = [1, "shared"]
    recursive = [1]
    recursive.append(recursive)
    nodes_packed = np.zeros(3, dtype=NODE_FIELDS)
    nodes_padded_dtype = np.dtype({"names": [n for n, _ in NODE_FIELDS], "formats": [f for _, f in NODE_FIELDS],
                                   "offsets": [0, 8, 16, 24, 32, 40, 48, 56], "itemsize": 64})
    nodes_padded = np.zeros(3, dtype=nodes_padded_dtype)
    for a in (nodes_packed, nodes_padded):
        a["left_child"] = [1, -1, -1]
        a["right_child"] = [2, -1, -1]
        a["feature"] = [3, -2, -2]
        a["threshold"] = [0.5, -2.0, -2.0]
        a["impurity"] = [0.5, 0.0, 0.375]
        a["n_node_samples"] = [10, 6, 4]
        a["weighted_n_node_samples"] = [10.0, 6.0, 4.0]
        a["missing_go_to_left"] = [1, 0, 0]
    values = collections.OrderedDict()
    values["none"] = None
    values["bool_true"] = True
    values["bool_false"] = False
    values["ints_small"] = [0, 1, -1, 127, 255, 256, 65535, 65536, 2**31 - 1, -2**31, 2**31, 2**32, 2**63 - 1, -2**63, 2**64]
    values["int_big_pos"] = 2**100
    values["int_big_neg"] = -2**70
    values["floats"] = [0.0, -0.0, 1.5, -2.25, float("nan"), float("inf"), float("-inf"), 5e-324, 1.7976931348623157e308, 0.1]
    values["complex"] = [1 + 2j, complex(-0.0, -1.0), complex(float("nan"), float("inf"))]
    values["str_unicode"] = "h\u00e9llo w\u00f6rld \u2713 \U0001d11e \\ \n\r\x00 end"
    values["str_empty"] = ""
    values["str_long"] = "\u00e9" * 300  # > 255 UTF-8 bytes: BINUNICODE, not SHORT_BINUNICODE
    values["bytes_short"] = b"\x00\xffabc\n\\"
    values["bytes_long"] = bytes(range(256)) + b"tail"  # > 255: BINBYTES, not SHORT_BINBYTES
    values["bytearray"] = bytearray(b"\x01\x02\x03\xfe")
    values["tuple0"] = ()
    values["tuple1"] = (1,)
    values["tuple2"] = (1, "two")
    values["tuple3"] = (1, "two", 3.0)
    values["tuple5"] = (1, "two", 3.0, None, (True,))
    values["list"] = [1, "a", 2.5, None, [2, 3], (4,)]
    values["list_1500"] = list(range(1500))  # more than one APPENDS batch (pickle batches by 1000)
    values["dict_nested"] = {1: "int key", "s": {"inner": [1, 2], (1, "t"): "tuple key"}, (2, 3): {}, -5: None}
    values["set"] = {1, 2, "three", (4, 5)}
    values["frozenset"] = frozenset({1, "b"})
    values["slices"] = [slice(1, 10, 2), slice(None, 5, None), slice(-1, None, -1)]
    values["ordered_dict"] = collections.OrderedDict([("b", 1), ("a", [2]), (3, "c")])
    values["shared"] = {"x": shared, "y": shared, "z": [shared]}
    values["recursive_list"] = recursive
    values["nd_float64"] = rng.normal(size=(2, 3))
    values["nd_float32"] = rng.normal(size=(4,)).astype(np.float32)
    values["nd_int64"] = np.array([[1, -2], [2**62, -2**63]], dtype=np.int64)
    values["nd_int32"] = np.arange(-3, 3, dtype=np.int32).reshape(2, 3)
    values["nd_int8"] = np.array([-128, 0, 127], dtype=np.int8)
    values["nd_uint8"] = np.array([0, 10, 255], dtype=np.uint8)
    values["nd_bool"] = np.array([True, False, True, True])
    values["nd_complex128"] = np.array([1 + 2j, -3.5j], dtype=np.complex128)
    values["nd_fortran"] = np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3))
    values["nd_0d"] = np.array(2.5)
    values["nd_empty"] = np.zeros((0, 3))
    values["nd_unicode"] = np.array(["a", "h\u00e9llo", ""])
    values["nd_object"] = np.array([1, "two", None], dtype=object)
    values["nd_tree_nodes"] = nodes_packed
    values["nd_tree_nodes_padded"] = nodes_padded  # the layout sklearn's Tree really uses (itemsize 64)
    values["nd_big"] = np.arange(17000, dtype=np.float32)  # > 64 KiB: written outside protocol-4 frames
    values["nd_list"] = [np.array([1.0]), np.array([1.0])]  # two equal arrays, distinct objects
    values["np_scalars"] = [np.float64(1.5), np.int64(7), np.float32(-0.0), np.bool_(True), np.int8(-3)]
    values["np_dtypes"] = [np.dtype("<f8"), np.dtype("float32"), np.dtype(">i4"), np.dtype("u1"), np.dtype("bool"),
                           np.dtype(NODE_FIELDS), nodes_padded_dtype]
    return values


HANDMADE = {
    # protocol 0/1 strings of Python 2 (loaded as str with pickle's default encoding "ASCII")
    "hm_py2_strings": b"(S'abc'\nU\x03defT\x03\x00\x00\x00ghiS\"q'uote\"\nl.",
    # LONG4, BINUNICODE8, BINBYTES8, protocol 4
    "hm_long4_8byte_lengths": b"\x80\x04(\x8b\x09\x00\x00\x00" + (2**70 + 5).to_bytes(9, "little", signed=True)
                              + b"\x8d\x05\x00\x00\x00\x00\x00\x00\x00h\xc3\xa9ll\x8e\x02\x00\x00\x00\x00\x00\x00\x00\x00\xfft.",
    # DUP, POP, POP_MARK, LONG_BINPUT, LONG_BINGET: ([], []) with the same list twice
    "hm_stack_ops": b"\x80\x02]r\x05\x00\x00\x000(NN1j\x05\x00\x00\x002\x86.",
    # NEWOBJ and NEWOBJ_EX of collections.OrderedDict, then SETITEMS
    "hm_newobj": b"\x80\x04(\x8c\x0bcollections\x8c\x0bOrderedDict\x93\x94)\x81(K\x01K\x02u"
                 b"h\x00)}\x92(X\x01\x00\x00\x00aK\x03ul.",
    # INST and OBJ of harmless constructors: collections.OrderedDict() and complex(1.0, 2.0)
    "hm_inst_obj": b"((icollections\nOrderedDict\n(c__builtin__\ncomplex\nF1.0\nF2.0\nol.",
    # PERSID and BINPERSID (handed to the caller; described as persistent_id)
    "hm_persid": b"\x80\x02(Pstorage0\nX\x07\x00\x00\x00storageK\x01\x86Ql.",
}

PROTOCOLS_FOR = {"nd_big": (4, 5)}  # protocol 0 would spell 68 KB as a latin-1 string, 6x larger


def make_objects():
    out = os.path.join(ROOT, "objects")
    os.makedirs(out)
    index = {}
    for name, v in object_values().items():
        write_json(os.path.join(out, f"{name}.expected.json"), Describer(writing_sink(out, name)).describe(v))
        want = Describer(hashing_sink, sort_sets=True).describe(v)
        for p in PROTOCOLS_FOR.get(name, OBJECT_PROTOCOLS):
            fname = f"{name}.p{p}.pkl"
            data = pickle.dumps(v, protocol=p)
            with open(os.path.join(out, fname), "wb") as f:
                f.write(data)
            u = RecordingUnpickler(io.BytesIO(data))
            got = Describer(hashing_sink, sort_sets=True).describe(u.load())
            assert got == want, (fname, got, want)
            index[fname] = {"protocol": p, "size": len(data), "globals": sorted(u.globals), "opcodes": opcode_names(data)}
    # hand-assembled benign pickles for opcodes Python's pickler no longer writes
    for name, data in HANDMADE.items():
        fname = f"{name}.pkl"
        with open(os.path.join(out, fname), "wb") as f:
            f.write(data)
        u = RecordingUnpickler(io.BytesIO(data))
        v = u.load()
        write_json(os.path.join(out, f"{name}.expected.json"), Describer(writing_sink(out, name)).describe(v))
        index[fname] = {"protocol": pickletools.genops(data).__next__()[1] if data[:1] == b"\x80" else 0,
                        "size": len(data), "globals": sorted(u.globals), "opcodes": opcode_names(data)}
    # protocol 5 with out-of-band buffers
    name = "oob_arrays"
    v = {"a": np.arange(6, dtype=np.float64).reshape(2, 3),
         "f": np.asfortranarray(np.arange(6, dtype=np.int32).reshape(3, 2)),
         "u8": np.array([1, 2, 3], dtype=np.uint8),
         "ro": pickle.PickleBuffer(b"readonly bytes"),
         "small": [1, 2]}
    bufs = []
    data = pickle.dumps(v, protocol=5, buffer_callback=bufs.append)
    bdir = os.path.join(out, f"{name}.p5oob.buffers")
    os.makedirs(bdir)
    for k, b in enumerate(bufs):
        with open(os.path.join(bdir, f"{k}.bin"), "wb") as f:
            f.write(bytes(b.raw()))
    with open(os.path.join(out, f"{name}.p5oob.pkl"), "wb") as f:
        f.write(data)
    desc = Describer(writing_sink(out, name)).describe(v)
    # which buffer each value came from (buffer_callback order == NEXT_BUFFER order)
    for (key, val), k in zip([(k, x) for k, x in v.items() if k != "small"], range(len(bufs))):
        for item in desc["items"]:
            if item[0]["value"] == key:
                item[1]["oob_buffer"] = k
    write_json(os.path.join(out, f"{name}.expected.json"), desc)
    u = RecordingUnpickler(io.BytesIO(data), buffers=[bytes(b.raw()) if b.raw().readonly else bytearray(b.raw()) for b in bufs])
    loaded = u.load()
    assert np.array_equal(loaded["a"], v["a"]) and np.array_equal(loaded["f"], v["f"]) and loaded["f"].flags.f_contiguous
    assert bytes(loaded["ro"]) == b"readonly bytes"
    index[f"{name}.p5oob.pkl"] = {"protocol": 5, "size": len(data), "globals": sorted(u.globals),
                                  "opcodes": opcode_names(data), "buffers": len(bufs)}
    write_json(os.path.join(out, "INDEX.json"), index)


# ---------------------------------------------------------------------------------------
# 2. sklearn/

def sklearn_estimators():
    from sklearn.datasets import make_classification
    from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier
    Xtr, ycls = make_classification(n_samples=60, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
                                    n_clusters_per_class=1, random_state=SEED)
    rng = np.random.default_rng(SEED)
    yreg = Xtr @ np.array([1.5, -2.0, 0.5, 0.0]) + 0.1 * rng.normal(size=len(Xtr))
    X = Xtr[:8].copy()
    ests = collections.OrderedDict()
    ests["logreg"] = (LogisticRegression(max_iter=500).fit(Xtr, ycls),
                      ["coef_", "intercept_", "classes_", "n_features_in_", "n_iter_"])
    tree_paths = ["max_depth", "node_count", "n_features", "n_classes", "n_outputs", "nodes", "values"]
    ests["tree"] = (DecisionTreeClassifier(max_depth=3, random_state=SEED).fit(Xtr, ycls),
                    ["classes_", "n_classes_", "n_features_in_", "n_outputs_", "max_features_", "tree_"]
                    + [f"tree_.{p}" for p in tree_paths])
    ests["forest"] = (RandomForestClassifier(n_estimators=3, max_depth=3, random_state=SEED).fit(Xtr, ycls),
                      ["classes_", "n_classes_", "n_features_in_", "n_outputs_", "estimators_"]
                      + [f"estimators_[{i}].{p}" for i in range(3) for p in ("random_state", "classes_")]
                      + [f"estimators_[{i}].tree_.{p}" for i in range(3) for p in tree_paths])
    ests["scaler"] = (StandardScaler().fit(Xtr), ["mean_", "scale_", "var_", "n_samples_seen_", "n_features_in_"])
    ests["pipeline"] = (Pipeline([("scaler", StandardScaler()), ("clf", LogisticRegression(max_iter=500))]).fit(Xtr, ycls),
                        ["steps[0][0]", "steps[0][1]", "steps[0][1].mean_", "steps[0][1].scale_", "steps[1][0]",
                         "steps[1][1]", "steps[1][1].coef_", "steps[1][1].intercept_", "steps[1][1].classes_"])
    ests["gbr"] = (GradientBoostingRegressor(n_estimators=3, max_depth=2, random_state=SEED).fit(Xtr, yreg),
                   ["n_estimators_", "n_features_in_", "learning_rate", "init_", "init_.constant_", "train_score_"]
                   + [f"estimators_[{i},0].tree_.{p}" for i in range(3) for p in tree_paths])
    return X, ests


def resolve(obj, path):
    """Path syntax: name(.name)* with [i] (sequence index) or [i,j] (ndarray index).
    On sklearn.tree._tree.Tree: n_features, n_classes, n_outputs are its __reduce__
    arguments; max_depth, node_count, nodes, values its __getstate__ entries."""
    import re
    from sklearn.tree._tree import Tree
    for part in path.split("."):
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[0-9,]+\])*)", part)
        name, idx = m.group(1), m.group(2)
        if isinstance(obj, Tree):
            args = obj.__reduce__()[1]
            obj = {"n_features": args[0], "n_classes": args[1], "n_outputs": args[2]}.get(name) \
                if name in ("n_features", "n_classes", "n_outputs") else obj.__getstate__()[name]
        else:
            obj = getattr(obj, name)
        for ix in re.findall(r"\[([0-9,]+)\]", idx):
            nums = tuple(int(x) for x in ix.split(","))
            obj = obj[nums] if isinstance(obj, np.ndarray) else obj[nums[0]]
    return obj


def describe_attr(d, v):
    if hasattr(v, "get_params") or type(v).__module__.startswith("sklearn."):
        return {"type": "object", "class": f"{type(v).__module__}.{type(v).__qualname__}"}
    if isinstance(v, (list, tuple)) and any(type(x).__module__.startswith("sklearn.") for x in v):
        return {"type": "list" if isinstance(v, list) else "tuple", "items": [describe_attr(d, x) for x in v]}
    if isinstance(v, np.ndarray) and v.dtype.hasobject:
        return {"type": "ndarray", "dtype": descr_json(v.dtype), "shape": list(v.shape), "fortran": fortran_of(v),
                "classes": [f"{type(x).__module__}.{type(x).__qualname__}" for x in v.ravel()]}
    return d.describe(v)


def simple_params(est):
    out = {}
    for k, v in est.get_params(deep=False).items():
        if v is None or isinstance(v, (bool, int, float, str)):
            out[k] = Describer(hashing_sink).describe(v)
    return out


CONTAINERS = ["p2.pkl", "p4.pkl", "p5.pkl", "plain.joblib", "zlib3.joblib", "gzip3.joblib", "skops", "jsonpickle.json"]


def save_containers(est, folder, name):
    import joblib
    import jsonpickle
    import skops.io as sio
    files = {}
    for p in (2, 4, 5):
        path = os.path.join(folder, f"{name}.p{p}.pkl")
        with open(path, "wb") as f:
            pickle.dump(est, f, protocol=p)
        files[f"p{p}.pkl"] = path
    for tag, comp in (("plain", 0), ("zlib3", 3), ("gzip3", ("gzip", 3))):
        path = os.path.join(folder, f"{name}.{tag}.joblib")
        joblib.dump(est, path, compress=comp)
        files[f"{tag}.joblib"] = path
    path = os.path.join(folder, f"{name}.skops")
    sio.dump(est, path)
    files["skops"] = path
    path = os.path.join(folder, f"{name}.jsonpickle.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(jsonpickle.encode(est, keys=True))
    files["jsonpickle.json"] = path
    return files


def load_container(kind, path):
    """Loads OUR OWN files back with the real libraries, to check the fixtures mean what
    the expected.json says."""
    import joblib
    import jsonpickle
    import skops.io as sio
    if kind.endswith(".pkl"):
        with open(path, "rb") as f:
            return pickle.load(f)
    if kind.endswith(".joblib"):
        return joblib.load(path)
    if kind == "skops":
        return sio.load(path, trusted=sio.get_untrusted_types(file=path))
    with open(path, encoding="utf-8") as f:
        return jsonpickle.decode(f.read(), keys=True)


def outputs_of(est, X):
    out = {}
    for m in ("predict", "predict_proba", "decision_function", "transform"):
        if hasattr(est, m):
            out[m] = getattr(est, m)(X)
    return out


def make_sklearn():
    import jsonpickle.ext.numpy as jpn
    jpn.register_handlers()
    out = os.path.join(ROOT, "sklearn")
    os.makedirs(out)
    X, ests = sklearn_estimators()
    np.save(os.path.join(out, "X.npy"), X)
    index = {}
    for name, (est, paths) in ests.items():
        d = Describer(writing_sink(out, name))
        attrs = collections.OrderedDict((p, describe_attr(d, resolve(est, p))) for p in paths)
        outs = collections.OrderedDict()
        for m, y in outputs_of(est, X).items():
            fn = f"{name}.{m}.npy"
            np.save(os.path.join(out, fn), y)
            outs[m] = fn
        files = save_containers(est, out, name)
        want = {m: y for m, y in outputs_of(est, X).items()}
        for kind, path in files.items():
            got = load_container(kind, path)
            for m, y in outputs_of(got, X).items():
                assert np.array_equal(y, want[m]), (name, kind, m)
            index[os.path.basename(path)] = {"size": os.path.getsize(path)}
            if kind.endswith(".pkl"):
                with open(path, "rb") as f:
                    u = RecordingUnpickler(f)
                    u.load()
                index[os.path.basename(path)]["globals"] = sorted(u.globals)
        state = est.__getstate__()
        write_json(os.path.join(out, f"{name}.expected.json"), {
            "class": f"{type(est).__module__}.{type(est).__qualname__}",
            "sklearn_version": state.get("_sklearn_version"),
            "state_keys": list(state.keys()),
            "params": simple_params(est),
            "attributes": attrs,
            "X": "X.npy",
            "outputs": outs,
            "files": [os.path.basename(files[c]) for c in CONTAINERS],
        })
    write_json(os.path.join(out, "INDEX.json"), index)


# ---------------------------------------------------------------------------------------
# 3. hostile/  (never loaded)

def sbu(s):
    b = s.encode()
    assert len(b) < 256
    return b"\x8c" + bytes([len(b)]) + b


def binunicode(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


class Reduce:
    """pickle.dumps calls __reduce_ex__ on this wrapper; the callable is only named."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


def hostile_cases():
    import builtins
    import importlib
    import subprocess
    cases = []  # (file, bytes, what, callables)

    def add(fname, data, what, callables):
        cases.append((fname, data, what, callables))

    def touch(n):
        return f"touch /tmp/pwned-{n}"

    n = "os_system_p0"
    add(f"{n}.pkl", b"cos\nsystem\n(V" + touch(n).encode() + b"\ntR.",
        "protocol 0: GLOBAL os.system, REDUCE with a shell command", ["os.system"])
    n = "posix_system_p4"
    add(f"{n}.pkl", pickle.dumps(Reduce(os.system, (touch(n),)), protocol=4),
        "protocol 4 via __reduce__: os.system pickles as STACK_GLOBAL posix.system", ["posix.system"])
    n = "exec_p2"
    add(f"{n}.pkl", pickle.dumps(Reduce(builtins.exec, (f"open('/tmp/pwned-{n}','w').close()",)), protocol=2),
        "builtins.exec of Python source that creates a file", ["builtins.exec"])
    n = "eval_p5"
    add(f"{n}.pkl", pickle.dumps(Reduce(builtins.eval, (f"__import__('os').system('{touch(n)}')",)), protocol=5),
        "builtins.eval of an expression that runs a shell command", ["builtins.eval"])
    n = "popen_p4"
    add(f"{n}.pkl", pickle.dumps(Reduce(subprocess.Popen, (["touch", f"/tmp/pwned-{n}"],)), protocol=4),
        "subprocess.Popen(['touch', ...]) through REDUCE", ["subprocess.Popen"])
    n = "import_module_chain"
    add(f"{n}.pkl", b"\x80\x02cbuiltins\ngetattr\ncimportlib\nimport_module\nX\x02\x00\x00\x00os\x85RX\x06\x00\x00\x00system\x86R"
        + binunicode(touch(n)) + b"\x85R.",
        "importlib.import_module('os') -> builtins.getattr(module, 'system') -> call: three nested REDUCEs",
        ["builtins.getattr", "importlib.import_module"])
    n = "import_getattr_chain_p4"
    add(f"{n}.pkl", b"\x80\x04" + sbu("builtins") + sbu("getattr") + b"\x93" + sbu("builtins") + sbu("__import__")
        + b"\x93" + sbu("os") + b"\x85R" + sbu("system") + b"\x86R" + sbu(touch(n)) + b"\x85R.",
        "builtins.getattr(builtins.__import__('os'), 'system')(cmd): REDUCE result used as a callable",
        ["builtins.getattr", "builtins.__import__"])
    n = "inst_os_system"
    add(f"{n}.pkl", b"(V" + touch(n).encode() + b"\nios\nsystem\n.",
        "protocol 0 INST opcode: calls os.system(cmd) without any REDUCE", ["os.system"])
    n = "obj_os_system"
    add(f"{n}.pkl", b"(cos\nsystem\nV" + touch(n).encode() + b"\no.",
        "protocol 1 OBJ opcode: calls os.system(cmd) without any REDUCE", ["os.system"])
    n = "dotted_name_numpy"
    add(f"{n}.pkl", b"\x80\x04" + sbu("numpy") + sbu("testing._private.utils.os.system") + b"\x93" + sbu(touch(n)) + b"\x85R.",
        "STACK_GLOBAL module 'numpy', dotted name reaching os.system (numpy.testing._private.utils imports os): "
        "a reader that trusts by module prefix would allow it", ["numpy.testing._private.utils.os.system"])
    n = "ext1_registry"
    add(f"{n}.pkl", b"\x80\x02\x82\x01)R.",
        "EXT1 code 1: a callable from copyreg's extension registry (empty by default) applied by REDUCE", ["EXT1 1"])
    depth = 5000
    n = "reduce_chain_deep"
    add(f"{n}.pkl", b"\x80\x02cbuiltins\nlist\nq\x00" + b"h\x00" * (depth - 1) + b")" + b"\x85R" * depth + b".",
        f"builtins.list applied {depth} times, each to the previous result (nested REDUCE chain, depth {depth})",
        ["builtins.list"])
    # memo and stack
    add("memo_long_binput.pkl", b"\x80\x02Nr\xff\xff\xff\xff0j\xff\xff\xff\xff.",
        "LONG_BINPUT / LONG_BINGET index 4294967295: a memo kept as a dense array would allocate 4G slots", [])
    add("memo_get_missing.pkl", b"\x80\x02h\x07.", "BINGET 7 with an empty memo (must be an error, not a crash)", [])
    ndup = 100000
    add("dup_bomb.pkl", b"\x80\x02](N" + b"2" * ndup + b"e.",
        f"{ndup} DUP opcodes: the stack grows to {ndup + 2} entries (valid pickle: a list of {ndup + 1} Nones)", [])
    # billion laughs: L0 = ['lol']*10, L(k+1) = [Lk]*10 through BINGET; 10**10 leaves if expanded
    bl = b"\x80\x02](" + b"X\x03\x00\x00\x00lol" * 10 + b"eq\x000"
    for k in range(1, 10):
        bl += b"](" + (b"h" + bytes([k - 1])) * 10 + b"eq" + bytes([k]) + (b"0" if k < 9 else b"")
    add("billion_laughs.pkl", bl + b".",
        "9 levels of lists each holding the previous level 10 times by memo reference: 10**10 'lol' leaves if a "
        "reader copies instead of sharing", [])
    nd = 30000
    add("deep_nesting.pkl", b"\x80\x02" + b"]" * nd + b"a" * (nd - 1) + b".",
        f"a list nested {nd} deep (EMPTY_LIST x{nd}, APPEND x{nd - 1}): recursion in a printer or equality", [])
    # huge arrays
    recon = (b"\x80\x02cnumpy._core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85C\x01b\x87R"
             b"(K\x01J\xa0\x86\x01\x00J\xa0\x86\x01\x00J\xa0\x86\x01\x00\x87cnumpy\ndtype\nX\x02\x00\x00\x00f8\x89\x88\x87R"
             b"(K\x03X\x01\x00\x00\x00<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89C\x08" + b"\x00" * 8 + b"tb.")
    add("huge_array_reconstruct.pkl", recon,
        "numpy _reconstruct + BUILD claiming shape (100000, 100000, 100000) float64 (8e15 bytes) with 8 bytes of data",
        ["numpy._core.multiarray._reconstruct", "numpy.ndarray", "numpy.dtype"])
    big = struct.pack("<q", 2**40)
    fb = (b"\x80\x05" + sbu("numpy._core.numeric") + sbu("_frombuffer") + b"\x93(\x96" + struct.pack("<Q", 8) + b"\x00" * 8
          + sbu("numpy") + sbu("dtype") + b"\x93" + sbu("f8") + b"\x89\x88\x87R(K\x03" + sbu("<")
          + b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x8a\x08" + big + b"\x8a\x08" + big + b"\x86" + sbu("C") + b"tR.")
    add("huge_array_frombuffer.pkl", fb,
        "protocol 5 numpy _frombuffer(8-byte bytearray, float64, shape (2**40, 2**40), 'C'): the shape's byte size "
        "(2**83) overflows 64 bits", ["numpy._core.numeric._frombuffer", "numpy.dtype"])
    add("huge_bytes_length.pkl", b"\x80\x04\x8e" + struct.pack("<Q", 2**62) + b"\x00" * 16 + b".",
        "BINBYTES8 claiming 2**62 bytes in a 28-byte file (must fail without allocating)", [])
    add("next_buffer_missing.pkl", b"\x80\x05\x97.", "NEXT_BUFFER with no out-of-band buffers supplied", [])
    # jsonpickle that would run code
    n = "jsonpickle_os_system"
    add(f"{n}.json", json.dumps({"py/reduce": [{"py/function": "os.system"}, {"py/tuple": [touch(n)]}]}).encode(),
        "jsonpickle py/reduce of py/function os.system (jsonpickle.decode would run it)", ["os.system"])
    return cases


def make_hostile(est_for_codecs):
    import joblib
    out = os.path.join(ROOT, "hostile")
    os.makedirs(out)
    rows = []
    for fname, data, what, callables in hostile_cases():
        with open(os.path.join(out, fname), "wb") as f:
            f.write(data)
        offs = []
        if fname.endswith(".pkl"):
            try:
                for op, arg, pos in pickletools.genops(data):
                    if op.name in ("GLOBAL", "STACK_GLOBAL", "INST", "OBJ", "REDUCE", "NEWOBJ", "BUILD", "EXT1",
                                   "LONG_BINPUT", "LONG_BINGET", "BINGET", "BINBYTES8", "NEXT_BUFFER"):
                        offs.append(f"{op.name}@{pos}" + (f" {arg}" if op.name in ("GLOBAL", "INST") else ""))
            except Exception as e:  # genops parses only; BINGET 7 on an empty memo is fine for it
                offs.append(f"(genops: {e})")
        if len(offs) > 8:
            kinds = collections.Counter(o.split("@")[0] for o in offs)
            offs = offs[:6] + ["... (" + ", ".join(f"{k} x{c}" for k, c in kinds.items()) + " in all)", offs[-1]]
        rows.append((fname, len(data), what, callables, offs))
    # truncated copies of a normal pickle (the logistic regression, protocol 4)
    base_path = os.path.join(ROOT, "sklearn", "logreg.p4.pkl")
    with open(base_path, "rb") as f:
        base = f.read()
    ops = [(op.name, pos) for op, _, pos in pickletools.genops(base)]
    frame_pos = [p for nme, p in ops if nme == "FRAME"]
    str_pos = [p for nme, p in ops if nme in ("SHORT_BINUNICODE", "BINUNICODE")]
    hdr = {"SHORT_BINBYTES": 1, "BINBYTES": 4, "BINBYTES8": 8, "BYTEARRAY8": 8}
    binbytes = sorted(((len(arg), pos, op.name) for op, arg, pos in pickletools.genops(base) if op.name in hdr), reverse=True)
    n, bpos, bname = binbytes[0]
    cuts = {"empty": 0, "proto_arg": 1, "after_proto": 2, "frame_header": frame_pos[0] + 4,
            "mid_string": str_pos[2] + 4, "mid_bytes": bpos + 1 + hdr[bname] + n // 2,
            "half": len(base) // 2, "before_stop": len(base) - 1}
    for tag, cut in cuts.items():
        fname = f"truncated_{tag}.pkl"
        with open(os.path.join(out, fname), "wb") as f:
            f.write(base[:cut])
        inside = [(nme, pos) for nme, pos in ops if pos < cut]
        starts = {pos: nme for nme, pos in ops}
        if not inside:
            where = "nothing left"
        elif cut in starts:
            where = f"at an opcode boundary (the missing part starts with {starts[cut]}@{cut})"
        else:
            where = f"inside {inside[-1][0]}@{inside[-1][1]}"
        rows.append((fname, cut, f"sklearn/logreg.p4.pkl ({len(base)} bytes) cut after {cut} bytes; {where}", [], []))
    plain_path = os.path.join(ROOT, "sklearn", "logreg.plain.joblib")
    with open(plain_path, "rb") as f:
        plain = f.read()
    with open(os.path.join(out, "truncated_plain.joblib"), "wb") as f:
        f.write(plain[:-9])
    rows.append(("truncated_plain.joblib", len(plain) - 9,
                 f"sklearn/logreg.plain.joblib ({len(plain)} bytes) missing its last 9 bytes: the last array's raw data "
                 "after the pickle STOP is short", [], []))
    # compression
    p = os.path.join(out, "zlib_bomb.joblib")
    joblib.dump(np.zeros(1_000_000), p, compress=3)
    rows.append(("zlib_bomb.joblib", os.path.getsize(p),
                 f"joblib compress=3 (zlib) of np.zeros(1000000): 8 MB of raw array data after the pickle, ratio "
                 f"{8_000_000 // os.path.getsize(p)}x", [], []))
    for tag, comp in (("lzma3", ("lzma", 3)), ("bz2_3", ("bz2", 3))):
        p = os.path.join(out, f"{tag}.joblib")
        joblib.dump(est_for_codecs, p, compress=comp)
        rows.append((f"{tag}.joblib", os.path.getsize(p),
                     f"the sklearn logreg saved with joblib compress={comp!r}: the reader names the codec if it has none", [], []))
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(HOSTILE_README_HEAD)
        f.write("| file | bytes | what loading it in Python would do / what it tests | callables named | opcodes of interest (name@byte offset) |\n")
        f.write("|---|---|---|---|---|\n")
        for fname, size, what, callables, offs in rows:
            f.write(f"| `{fname}` | {size} | {what} | {', '.join(f'`{c}`' for c in callables)} | {'; '.join(offs)} |\n")


HOSTILE_README_HEAD = """# Hostile fixtures (written by scripts/make_python_fixtures.py, never loaded by it)

**Never load these with Python's pickle, joblib or jsonpickle.** Each shell command is
`touch /tmp/pwned-<name>` (or the Python equivalent), so a test can prove nothing ran by
checking that `/tmp/pwned-<name>` does not exist afterwards.

A safe reader must: refuse (with an error naming the callable and its byte offset) every
file whose meaning needs a call; stop at its limits (memo, stack, nesting depth, array bytes
against the file size, decompression ratio) with an error naming the limit; report
truncation as an error, never a crash. Offsets below come from `pickletools.genops`
(which parses and never executes) and are the offset of the opcode byte.

"""


README = """# Python-object fixtures

Made by `scripts/make_python_fixtures.py` with real numpy / scikit-learn / joblib / skops /
jsonpickle (versions, seeds and the command in VERSIONS.txt). Only the files in `hostile/`
are dangerous; see hostile/README.md.

## Layout

```
objects/<name>.p0.pkl .p2.pkl .p4.pkl .p5.pkl   the value pickled with that protocol
objects/<name>.expected.json                     what a reader must find (one file for all protocols)
objects/<name>.array<k>.npy                      the k-th non-object ndarray in the description, saved by numpy
objects/oob_arrays.p5oob.pkl                     protocol 5 with buffer_callback (out-of-band)
objects/oob_arrays.p5oob.buffers/<k>.bin         the k-th out-of-band buffer (raw bytes, NEXT_BUFFER order)
objects/hm_<name>.pkl                            hand-assembled benign pickles for opcodes Python 3's
                                                 pickler no longer writes (STRING, BINSTRING, LONG4,
                                                 BINUNICODE8, BINBYTES8, DUP, POP, POP_MARK, LONG_BINPUT,
                                                 LONG_BINGET, NEWOBJ, NEWOBJ_EX, INST, OBJ, PERSID,
                                                 BINPERSID); one protocol each, same expected.json
objects/INDEX.json                               per pickle: protocol, size, globals it names, opcodes it uses
sklearn/X.npy                                    8 rows x 4 float64 features (the rows outputs were computed on)
sklearn/<est>.<container>                        containers: p2.pkl p4.pkl p5.pkl plain.joblib zlib3.joblib
                                                 gzip3.joblib, and <est>.skops, <est>.jsonpickle.json
sklearn/<est>.expected.json                      class, key fitted attributes, outputs
sklearn/<est>.array<k>.npy                       arrays of the attributes
sklearn/<est>.<method>.npy                       predict / predict_proba / decision_function / transform on X.npy
sklearn/INDEX.json                               per container file: size (and globals, for the .pkl files)
hostile/                                         see hostile/README.md
```

Estimators: `logreg` LogisticRegression (3 classes), `tree` DecisionTreeClassifier
(max_depth 3), `forest` RandomForestClassifier (3 trees, max_depth 3), `scaler`
StandardScaler, `pipeline` Pipeline(StandardScaler, LogisticRegression), `gbr`
GradientBoostingRegressor (3 trees, max_depth 2). All were fitted on the same 60 x 4 data.

Containers: `pickle.dump(est, f, protocol=p)`; `joblib.dump(est, path, compress=0 | 3 |
("gzip", 3))`; `skops.io.dump(est, path)`; `jsonpickle.encode(est, keys=True)` with
`jsonpickle.ext.numpy.register_handlers()`. The script loads every container back with its
library and checks the outputs are identical to the saved .npy outputs.

## expected.json schema (objects/)

Every node is a JSON object with `"type"`:

| type | fields | notes |
|---|---|---|
| `none` | | |
| `bool` | `value`: true/false | |
| `int` | `value`: decimal string | every int, big or small (`"1267650600228229401496703205376"`) |
| `float` | `hex`: `float.hex()` | `"nan"`, `"inf"`, `"-inf"`, `"-0x0.0p+0"` are exact |
| `complex` | `real`, `imag`: `float.hex()` strings | |
| `str` | `value`: the string | JSON escapes; may contain NUL and non-BMP characters |
| `bytes`, `bytearray` | `hex`: lowercase hex of the bytes | |
| `tuple`, `list` | `items`: [node, ...] | |
| `dict` | `items`: [[key node, value node], ...] | insertion order |
| `set`, `frozenset` | `items`: [node, ...] | order is Python's iteration order at writing; compare as a multiset |
| `slice` | `start`, `stop`, `step`: nodes | |
| `object` | `class`: `"module.qualname"`, then class-specific fields | only `collections.OrderedDict` here, with `items` as for `dict` |
| `ndarray` | `dtype`, `shape`: [int], `fortran`: bool, and `npy`: file name, or `items` | see below |
| `npscalar` | `dtype`, `hex`: the scalar's raw bytes (`tobytes()`), `value`: node of `.item()` | |
| `dtype` | `descr`, `itemsize` | a numpy dtype object |
| `buffer` | `readonly`, `hex` | a `pickle.PickleBuffer` (only in oob_arrays: the value is the buffer the caller supplies) |
| `ref` | `id` | the same object as the earlier node carrying `"id"` |
| `persistent_id` | `pid`: node | what PERSID / BINPERSID push: handed to the caller, never resolved |

- `dtype` / `descr` is numpy's `.npy` header descr (`np.lib.format.dtype_to_descr`): a string
  like `"<f8"`, `"|b1"`, `"|u1"`, `"<U5"`, `"|O"`, or for structured dtypes a list of
  `[field name, descr]`; padding appears as `["", "|V7"]` (sklearn's node dtype has
  offsets 0..56 and itemsize 64, so its descr ends with `["", "|V7"]`).
- `fortran` is true when the array is F-contiguous and not C-contiguous (so 0-d and 1-d
  arrays are always false). The `.npy` file holds the same array as `np.save` writes it
  (its header says `fortran_order`); compare element by element or raw bytes in memory order.
- Object-dtype arrays have no `.npy`: `items` lists the elements in C order.
- `id` / `ref`: only mutable values (list, dict, set, bytearray, ndarray, OrderedDict) that
  occur more than once carry `"id": k` (k counts from 0 in depth-first order, the order
  pickle writes them); later occurrences are `{"type": "ref", "id": k}`. A recursive list is
  `{"type":"list","id":0,"items":[{"type":"int","value":"1"},{"type":"ref","id":0}]}`.
  Readers may share immutable values freely; that is not described.
- In `oob_arrays.expected.json` the arrays and the buffer also carry `"oob_buffer": k`, the
  index of the `.bin` file they were read from. Load with the buffers in index order.
- `nd_big` exists only as `.p4.pkl` and `.p5.pkl` (68 KB; larger than protocol 4's 64 KiB frame
  target, so its bytes are written outside a frame).

Things a reader meets in these files (all visible in INDEX.json):
- Protocols 0 and 2 name Python 2 modules: `__builtin__.set`, `__builtin__.bytes`, ... (pickle's
  fix_imports), and pickle bytes as `_codecs.encode(str, "latin1")` (bytes in protocol < 3 and
  numpy's raw array data in protocol 2).
- numpy arrays: protocol < 5 use `numpy._core.multiarray._reconstruct(numpy.ndarray, (0,), b"b")`
  + BUILD `(1, shape, dtype, is_fortran, rawdata)` (object arrays: a list instead of rawdata);
  protocol 5 uses `numpy._core.numeric._frombuffer(bytearray, dtype, shape, order)`;
  numpy scalars are `numpy._core.multiarray.scalar(dtype, rawbytes)`; dtypes are
  `numpy.dtype(str, False, True)` + BUILD of an 8-tuple (version 3: byteorder, subarray, names,
  fields, elsize, alignment, flags), structured ones with names/fields filled in.
- `hm_py2_strings` loads as str (pickle's default `encoding="ASCII"`).

## expected.json schema (sklearn/)

```
{"class": "sklearn.linear_model._logistic.LogisticRegression",
 "sklearn_version": "1.9.1",
 "state_keys": [keys of est.__getstate__() in order],
 "params": {name: node}          (get_params(deep=False) entries that are None/bool/int/float/str),
 "attributes": {path: node},     (nodes as for objects/; arrays point at <est>.array<k>.npy)
 "X": "X.npy",
 "outputs": {"predict": "<est>.predict.npy", ...},
 "files": [the 8 container files, in the order p2, p4, p5, plain, zlib3, gzip3, skops, jsonpickle]}
```

- Paths: `name(.name)*`, each name optionally followed by `[i]` (list/tuple index) or
  `[i,j]` (ndarray index, for GradientBoosting's object array `estimators_`), e.g.
  `steps[1][1].coef_`, `estimators_[2,0].tree_.nodes`.
- An attribute that is itself an estimator or another sklearn object is
  `{"type":"object","class":"module.qualname"}` (no state); an object-dtype ndarray of
  estimators is an `ndarray` node with `classes` (class name of each element, C order)
  instead of `npy`.
- On a `sklearn.tree._tree.Tree`: `n_features`, `n_classes`, `n_outputs` are the three
  arguments of its `__reduce__` (`n_classes` is an intp ndarray); `max_depth`,
  `node_count`, `nodes` (structured node records) and `values` (float64, shape
  (node_count, n_outputs, max_n_classes)) are the entries of its pickled state dict.
- Python ints stored by sklearn as numpy scalars are `npscalar` nodes (e.g. `n_iter_` is an
  int32 array, `n_samples_seen_` an int64 scalar); the reader should find the same kind in
  every container, although skops and jsonpickle may spell them differently.
"""


def versions_text():
    import joblib
    import jsonpickle
    import scipy
    import skops
    import sklearn
    return f"""python {platform.python_version()}
numpy {np.__version__}
scikit-learn {sklearn.__version__}
scipy {scipy.__version__} (a scikit-learn dependency)
joblib {joblib.__version__}
skops {skops.__version__}
jsonpickle {jsonpickle.__version__}
seed: {SEED} (sklearn.datasets.make_classification random_state, numpy.random.default_rng for the
      regression target and the objects/ random arrays, random_state of every estimator)
regenerate:
  python3 -m venv /tmp/venv-py
  /tmp/venv-py/bin/pip install numpy=={np.__version__} scikit-learn=={sklearn.__version__} joblib=={joblib.__version__} skops=={skops.__version__} jsonpickle=={jsonpickle.__version__}
  /tmp/venv-py/bin/python scripts/make_python_fixtures.py
Not byte-stable across runs: skops writes Python id() values as "__id__" and as .npy member
names, and the zip members' timestamps; everything else is deterministic for these versions.
"""


def main():
    if os.path.exists(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    make_objects()
    make_sklearn()
    _, ests = sklearn_estimators()
    make_hostile(ests["logreg"][0])
    with open(os.path.join(ROOT, "README.md"), "w", encoding="utf-8") as f:
        f.write(README)
    with open(os.path.join(ROOT, "VERSIONS.txt"), "w", encoding="utf-8") as f:
        f.write(versions_text())
    total = 0
    count = 0
    for d, _, fs in os.walk(ROOT):
        for fn in fs:
            total += os.path.getsize(os.path.join(d, fn))
            count += 1
    print(f"wrote {count} files, {total} bytes under {ROOT}")


if __name__ == "__main__":
    sys.exit(main())
