#!/usr/bin/env python3
"""Builds the ai.onnx.ml fixtures in Fixtures/ml/ with onnx.helper and records what
onnxruntime computes for them.

Every case is a folder Fixtures/ml/<case>/ holding
    model.onnx
    test_data_set_0/input_<i>.pb    (TensorProto, or MapProto for map inputs)
    test_data_set_0/output_<i>.pb   (TensorProto, or SequenceProto of MapProto for
                                     ZipMap), the outputs onnxruntime produced
in the layout of the ONNX backend test cases, so `convert-cli run MODEL --test-data
DIR` and Tests/InterpreterTests/MLOpsTests.swift can read them. Maps and sequences of
maps use onnx's own onnx-data messages (onnx_data.proto: MapProto, SequenceProto), so
no side format is needed. onnxruntime, not onnx's reference evaluator, is the oracle
(the reference evaluator ignores post_transform on TreeEnsemble, stops reading a member
set at a 0.0 member, and takes a one-leaf tree's leaf from the root's index).

What the fixtures pin down about onnxruntime 1.32 (the interpreter follows it):
  - TreeEnsemble (ml 5) post_transform 1 is LOGISTIC and 2 is SOFTMAX (spec: the reverse);
  - with a single target (any tree op, LinearRegressor), only PROBIT is applied;
  - binary classifiers with one score: [1 - p, p] where p = logistic(s) under LOGISTIC
    (else p = s), or [-s, s] / [logistic(-s), logistic(s)] for mixed-sign tree weights;
  - LabelEncoder keeps the first value of a repeated key (v4 spec: the last).
Left out because onnxruntime's answer is not well defined: binary classifiers with
PROBIT (it writes the first column only), MEMBER nodes on non-integral inputs (it
truncates the value before its set test), map(int64, string) inputs (its Python API
cannot feed them).

Regenerate (the folder is rewritten):
    /tmp/venv-probe/bin/python scripts/make_ml_fixtures.py

Made with onnx 1.23.2, onnxruntime 1.32.0, numpy 2.4.6 (the script checks and
records the versions it ran with in Fixtures/ml/VERSIONS.txt). Random data come from
numpy.random.default_rng(SEED + case index) with SEED = 20240611; onnxruntime runs with
one intra-op thread so tree scores are summed in tree order.
"""

import os
import shutil
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnx import onnx_data_pb2

SEED = 20240611
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "ml")
ML = "ai.onnx.ml"

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


# ----------------------------------------------------------------------------- helpers

def tensor_type(dtype):
    return {np.float32: TensorProto.FLOAT, np.float64: TensorProto.DOUBLE, np.int64: TensorProto.INT64,
            np.int32: TensorProto.INT32, np.int16: TensorProto.INT16, str: TensorProto.STRING,
            object: TensorProto.STRING}[dtype]


def model(nodes, inputs, outputs, ml_opset):
    """inputs/outputs: lists of (name, TypeProto)."""
    graph = helper.make_graph(nodes, "g", [helper.make_value_info(n, t) for n, t in inputs],
                              [helper.make_value_info(n, t) for n, t in outputs])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19), helper.make_opsetid(ML, ml_opset)],
                          producer_name="make_ml_fixtures")
    m.ir_version = 9
    onnx.checker.check_model(m)
    return m


def tt(elem, shape=None):
    return helper.make_tensor_type_proto(elem, shape)


def map_type(key, value_elem):
    return helper.make_map_type_proto(key, tt(value_elem))


def seq_map_type(key, value_elem):
    return helper.make_sequence_type_proto(map_type(key, value_elem))


def make_map(d, value_dtype):
    """A MapProto (onnx.numpy_helper.from_dict cannot do string keys)."""
    m = onnx_data_pb2.MapProto()
    keys = list(d.keys())
    if keys and isinstance(keys[0], str):
        m.key_type = TensorProto.STRING
        m.string_keys.extend([k.encode() for k in keys])
    else:
        m.key_type = TensorProto.INT64
        m.keys.extend([int(k) for k in keys])
    m.values.elem_type = onnx_data_pb2.SequenceProto.TENSOR
    for k in keys:
        v = d[k]
        arr = np.array(v, dtype=object) if value_dtype is str else np.array(v, dtype=value_dtype)
        m.values.tensor_values.append(numpy_helper.from_array(arr))
    return m


def make_seq_of_maps(maps, value_dtype, name):
    s = onnx_data_pb2.SequenceProto()
    s.name = name
    s.elem_type = onnx_data_pb2.SequenceProto.MAP
    for d in maps:
        s.map_values.append(make_map(d, value_dtype))
    return s


def save(name, m, feeds):
    """Runs m in onnxruntime on feeds (name -> numpy array or dict) and writes the case."""
    folder = os.path.join(ROOT, name)
    data = os.path.join(folder, "test_data_set_0")
    os.makedirs(data)
    onnx.save(m, os.path.join(folder, "model.onnx"))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(m.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    outs = sess.run(None, feeds)
    for i, inp in enumerate(m.graph.input):
        v = feeds[inp.name]
        if isinstance(v, dict):
            proto = make_map(v, type(next(iter(v.values()))) if v else np.float32)
            proto.name = inp.name
        else:
            proto = numpy_helper.from_array(v, inp.name)
        with open(os.path.join(data, f"input_{i}.pb"), "wb") as f:
            f.write(proto.SerializeToString())
    for i, (out, info) in enumerate(zip(outs, m.graph.output)):
        if isinstance(out, list):  # ZipMap: a list of dicts
            key_is_str = info.type.sequence_type.elem_type.map_type.key_type == TensorProto.STRING
            maps = [{(str(k) if key_is_str else int(k)): np.float32(v) for k, v in sorted(d.items())} for d in out]
            proto = make_seq_of_maps(maps, np.float32, info.name)
        else:
            proto = numpy_helper.from_array(np.asarray(out), info.name)
        with open(os.path.join(data, f"output_{i}.pb"), "wb") as f:
            f.write(proto.SerializeToString())


def grid_features(rng, rows, cols, nan_rate=0.0, step=0.25, span=8):
    """Values on a grid (so some equal the thresholds exactly), with NaNs."""
    x = rng.integers(-span, span + 1, size=(rows, cols)).astype(np.float64) * step
    if nan_rate:
        x[rng.random((rows, cols)) < nan_rate] = np.nan
    return x


# A tree: ('leaf', [(target, weight), ...]) or ('node', mode, feature, threshold, members, missing_true, true, false)

def random_tree(rng, depth, n_features, n_targets, modes=("BRANCH_LEQ",), step=0.25, span=8, missing_rate=0.0,
                weights_per_leaf=1, weight_scale=1.0, positive=False, member_feature=None, leaf_prob=0.15):
    if depth == 0 or ((depth < 3 or (leaf_prob > 0.5 and depth < 12)) and rng.random() < leaf_prob):
        targets = rng.choice(n_targets, size=min(weights_per_leaf, n_targets), replace=False)
        ws = rng.random(len(targets)) if positive else rng.normal(size=len(targets)) * weight_scale
        return ("leaf", [(int(t), float(w)) for t, w in zip(targets, ws)])
    mode = modes[rng.integers(len(modes))]
    members = []
    # EQ/NEQ/MEMBER test the integer-valued (categorical) columns 0 .. n_features // 2.
    # onnxruntime 1.32 gets MEMBER wrong for non-integral inputs (it truncates the value
    # for its bitset test), so categorical columns hold integers only.
    if mode == "BRANCH_MEMBER":
        f = member_feature if member_feature is not None else int(rng.integers(n_features // 2 + 1))
        members = sorted(set(int(v) for v in rng.integers(-4, 5, size=int(rng.integers(1, 5)))))
        thr = 0.0
    elif mode in ("BRANCH_EQ", "BRANCH_NEQ"):
        f = member_feature if member_feature is not None else int(rng.integers(n_features // 2 + 1))
        thr = float(rng.integers(-4, 5))
    else:
        f = int(rng.integers(n_features))
        thr = float(rng.integers(-span, span + 1)) * step
    miss = bool(rng.random() < missing_rate)
    kw = dict(modes=modes, step=step, span=span, missing_rate=missing_rate, weights_per_leaf=weights_per_leaf,
              weight_scale=weight_scale, positive=positive, member_feature=member_feature, leaf_prob=leaf_prob)
    return ("node", mode, f, thr, members, miss,
            random_tree(rng, depth - 1, n_features, n_targets, **kw),
            random_tree(rng, depth - 1, n_features, n_targets, **kw))


def caterpillar_tree(rng, depth, n_features, n_targets, modes=("BRANCH_LEQ",)):
    """A thin deep tree (one child of each split is a leaf): walked until a leaf."""
    if depth == 0:
        return ("leaf", [(int(rng.integers(n_targets)), float(rng.normal()))])
    leaf = ("leaf", [(int(rng.integers(n_targets)), float(rng.normal()))])
    rest = caterpillar_tree(rng, depth - 1, n_features, n_targets, modes)
    mode = modes[rng.integers(len(modes))]
    kids = (leaf, rest) if rng.random() < 0.5 else (rest, leaf)
    return ("node", mode, int(rng.integers(n_features)), float(rng.integers(-8, 9)) * 0.25, [], bool(rng.random() < 0.3)) + kids


def legacy_attrs(trees, prefix, value_dtype=np.float32):
    """Attributes of TreeEnsembleRegressor/Classifier (v1/v3) for a list of trees."""
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                         prefix + "_treeids", prefix + "_nodeids", prefix + "_ids", prefix + "_weights"]}
    for tid, tree in enumerate(trees):
        counter = [0]

        def emit(node):
            nid = counter[0]
            counter[0] += 1
            idx = len(a["nodes_nodeids"])
            a["nodes_treeids"].append(tid)
            a["nodes_nodeids"].append(nid)
            if node[0] == "leaf":
                for k in ["nodes_featureids", "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true"]:
                    a[k].append(0)
                a["nodes_modes"].append("LEAF")
                a["nodes_values"].append(0.0)
                for t, w in node[1]:
                    a[prefix + "_treeids"].append(tid)
                    a[prefix + "_nodeids"].append(nid)
                    a[prefix + "_ids"].append(t)
                    a[prefix + "_weights"].append(w)
                return nid
            _, mode, f, thr, members, miss, t, fl = node
            assert mode != "BRANCH_MEMBER"
            a["nodes_featureids"].append(f)
            a["nodes_modes"].append(mode)
            a["nodes_values"].append(thr)
            a["nodes_missing_value_tracks_true"].append(int(miss))
            a["nodes_truenodeids"].append(0)
            a["nodes_falsenodeids"].append(0)
            a["nodes_truenodeids"][idx] = emit(t)
            a["nodes_falsenodeids"][idx] = emit(fl)
            return nid

        emit(tree)
    return a


def v5_attrs(trees, n_targets, dtype=np.float32, aggregate=1, post=0):
    """Attributes of TreeEnsemble (ml opset 5)."""
    feat, splits, modes, tids, tleaf, fids, fleaf, miss, members = [], [], [], [], [], [], [], [], []
    leaf_t, leaf_w, roots = [], [], []
    code = {"BRANCH_LEQ": 0, "BRANCH_LT": 1, "BRANCH_GTE": 2, "BRANCH_GT": 3, "BRANCH_EQ": 4, "BRANCH_NEQ": 5,
            "BRANCH_MEMBER": 6}

    def emit(node):
        """Returns (index, is_leaf)."""
        if node[0] == "leaf":
            t, w = node[1][0]
            leaf_t.append(t)
            leaf_w.append(w)
            return len(leaf_t) - 1, 1
        _, mode, f, thr, mem, m, t, fl = node
        i = len(feat)
        feat.append(f)
        splits.append(thr)
        modes.append(code[mode])
        miss.append(int(m))
        tids.append(0); tleaf.append(0); fids.append(0); fleaf.append(0)
        if mode == "BRANCH_MEMBER":
            members.extend(float(v) for v in mem)
            members.append(np.nan)
        tids[i], tleaf[i] = emit(t)
        fids[i], fleaf[i] = emit(fl)
        return i, 0

    for tree in trees:
        if tree[0] == "leaf":  # a one-leaf tree: a node whose branches both reach the leaf
            i = len(feat)
            feat.append(0); splits.append(0.0); modes.append(0); miss.append(0)
            leaf_t.append(tree[1][0][0]); leaf_w.append(tree[1][0][1])
            tids.append(len(leaf_t) - 1); tleaf.append(1); fids.append(len(leaf_t) - 1); fleaf.append(1)
            roots.append(i)
            continue
        roots.append(emit(tree)[0])
    elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    attrs = dict(
        n_targets=n_targets, aggregate_function=aggregate, post_transform=post, tree_roots=roots,
        nodes_featureids=feat, nodes_truenodeids=tids, nodes_trueleafs=tleaf, nodes_falsenodeids=fids,
        nodes_falseleafs=fleaf, leaf_targetids=leaf_t,
        nodes_splits=numpy_helper.from_array(np.array(splits, dtype=dtype)),
        nodes_modes=numpy_helper.from_array(np.array(modes, dtype=np.uint8)),
        leaf_weights=numpy_helper.from_array(np.array(leaf_w, dtype=dtype)),
    )
    if any(miss):
        attrs["nodes_missing_value_tracks_true"] = miss
    if members:
        attrs["membership_values"] = numpy_helper.from_array(np.array(members, dtype=dtype))
    del elem
    return attrs


def regressor_node(trees, n_targets, aggregate="SUM", post="NONE", base=None, as_tensor=False):
    a = legacy_attrs(trees, "target")
    if as_tensor:
        a["nodes_values_as_tensor"] = numpy_helper.from_array(np.array(a.pop("nodes_values"), dtype=np.float64))
        a["target_weights_as_tensor"] = numpy_helper.from_array(np.array(a.pop("target_weights"), dtype=np.float64))
        if base is not None:
            a["base_values_as_tensor"] = numpy_helper.from_array(np.array(base, dtype=np.float64))
    elif base is not None:
        a["base_values"] = base
    if not any(a["nodes_missing_value_tracks_true"]):
        del a["nodes_missing_value_tracks_true"]
    return helper.make_node("TreeEnsembleRegressor", ["X"], ["Y"], domain=ML, n_targets=n_targets,
                            aggregate_function=aggregate, post_transform=post, **a)


def classifier_node(trees, labels, post="NONE", base=None, as_tensor=False, class_id_map=None):
    a = legacy_attrs(trees, "class")
    if class_id_map is not None:
        a["class_ids"] = [class_id_map(c) for c in a["class_ids"]]
    if as_tensor:
        a["nodes_values_as_tensor"] = numpy_helper.from_array(np.array(a.pop("nodes_values"), dtype=np.float64))
        a["class_weights_as_tensor"] = numpy_helper.from_array(np.array(a.pop("class_weights"), dtype=np.float64))
        if base is not None:
            a["base_values_as_tensor"] = numpy_helper.from_array(np.array(base, dtype=np.float64))
    elif base is not None:
        a["base_values"] = base
    if not any(a["nodes_missing_value_tracks_true"]):
        del a["nodes_missing_value_tracks_true"]
    if isinstance(labels[0], str):
        a["classlabels_strings"] = labels
    else:
        a["classlabels_int64s"] = labels
    return helper.make_node("TreeEnsembleClassifier", ["X"], ["Y", "Z"], domain=ML, post_transform=post, **a)


# ----------------------------------------------------------------------------- tree cases

ALL_LEGACY_MODES = ("BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ")
ALL_V5_MODES = ALL_LEGACY_MODES + ("BRANCH_MEMBER",)


def te5_case(name, rng, n_targets=1, aggregate=1, post=0, modes=("BRANCH_LEQ",), dtype=np.float32, trees=6, depth=4,
             missing_rate=0.0, nan_rate=0.0, rows=40, features=5, one_leaf_tree=False, leaf_prob=0.15, caterpillar=0):
    ts = [random_tree(rng, depth, features, n_targets, modes=modes, missing_rate=missing_rate, leaf_prob=leaf_prob)
          for _ in range(trees)]
    ts += [caterpillar_tree(rng, caterpillar, features, n_targets, modes) for _ in range(2 if caterpillar else 0)]
    if one_leaf_tree:
        ts.append(("leaf", [(0, 0.75)]))
    node = helper.make_node("TreeEnsemble", ["X"], ["Y"], domain=ML, **v5_attrs(ts, n_targets, dtype, aggregate, post))
    elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    m = model([node], [("X", tt(elem, [None, features]))], [("Y", tt(elem, [None, n_targets]))], 5)
    x = grid_features(rng, rows, features, nan_rate)
    categorical = 0
    if any(md in modes for md in ("BRANCH_EQ", "BRANCH_NEQ", "BRANCH_MEMBER")):
        categorical = features // 2 + 1
        x[:, :categorical] = np.where(np.isnan(x[:, :categorical]), np.nan, rng.integers(-4, 5, size=(rows, categorical)))
    if dtype == np.float64:  # near thresholds, not float32-representable
        x[:, categorical:] += rng.choice([0.0, 1e-12, -1e-12], size=(rows, features - categorical))
    save(name, m, {"X": x.astype(dtype)})


@case
def te5_cases(rng):
    te5_case("te5_leq_sum_none", rng)
    te5_case("te5_lt_sum_none", rng, modes=("BRANCH_LT",))
    te5_case("te5_gte_gt_sum", rng, modes=("BRANCH_GTE", "BRANCH_GT"))
    te5_case("te5_all_modes_missing", rng, modes=ALL_V5_MODES, missing_rate=0.5, nan_rate=0.15, trees=10)
    te5_case("te5_member_only", rng, modes=("BRANCH_MEMBER",), nan_rate=0.1, missing_rate=0.5)
    te5_case("te5_leq_missing_nan", rng, missing_rate=0.5, nan_rate=0.2)
    te5_case("te5_one_leaf_tree", rng, one_leaf_tree=True)
    for agg, an in [(0, "average"), (2, "min"), (3, "max")]:
        te5_case(f"te5_{an}_1target", rng, aggregate=agg)
        te5_case(f"te5_{an}_3targets", rng, aggregate=agg, n_targets=3, trees=8)
    # post_transform by number: onnxruntime 1.32 reads 1 as LOGISTIC and 2 as SOFTMAX (the
    # spec numbers them 1 SOFTMAX, 2 LOGISTIC); 3 SOFTMAX_ZERO, 4 PROBIT.
    for post in [1, 2, 3, 4]:
        te5_case(f"te5_post{post}_3targets", rng, n_targets=3, post=post, trees=8)
        te5_case(f"te5_post{post}_1target", rng, post=post)
    te5_case("te5_sum_4targets_sparse", rng, n_targets=4, trees=3, depth=2)  # some targets never reached
    te5_case("te5_double_leq", rng, dtype=np.float64)
    te5_case("te5_double_all_modes", rng, dtype=np.float64, modes=ALL_V5_MODES, missing_rate=0.5, nan_rate=0.1,
             n_targets=2, post=2)
    te5_case("te5_average_post1_double", rng, dtype=np.float64, aggregate=0, post=1, n_targets=3)
    te5_case("te5_deep_unbalanced", rng, depth=14, trees=2, rows=60, features=6, leaf_prob=0.55)
    te5_case("te5_caterpillar_lt_gt", rng, depth=3, trees=2, rows=60, features=6, caterpillar=24, modes=("BRANCH_LT", "BRANCH_GT"),
             nan_rate=0.1)


def reg_case(name, rng, ml_opset=1, n_targets=1, aggregate="SUM", post="NONE", base=None, modes=("BRANCH_LEQ",),
             trees=5, depth=4, missing_rate=0.0, nan_rate=0.0, rows=30, features=5, weights_per_leaf=1,
             as_tensor=False, dtype=np.float32):
    ts = [random_tree(rng, depth, features, n_targets, modes=modes, missing_rate=missing_rate,
                      weights_per_leaf=weights_per_leaf) for _ in range(trees)]
    node = regressor_node(ts, n_targets, aggregate, post, base, as_tensor)
    elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    m = model([node], [("X", tt(elem, [None, features]))], [("Y", tt(TensorProto.FLOAT, [None, n_targets]))], ml_opset)
    x = grid_features(rng, rows, features, nan_rate)
    if any(md in modes for md in ("BRANCH_EQ", "BRANCH_NEQ")):
        c = features // 2 + 1
        x[:, :c] = np.where(np.isnan(x[:, :c]), np.nan, rng.integers(-4, 5, size=(rows, c)))
    save(name, m, {"X": x.astype(dtype)})


@case
def regressor_cases(rng):
    reg_case("ter_sum_none", rng)
    reg_case("ter_all_modes_missing", rng, modes=ALL_LEGACY_MODES, missing_rate=0.5, nan_rate=0.15, trees=8)
    reg_case("ter_base_value", rng, base=[0.5])
    reg_case("ter_average", rng, aggregate="AVERAGE", base=[1.25])
    reg_case("ter_min", rng, aggregate="MIN", base=[0.5])
    reg_case("ter_max", rng, aggregate="MAX")
    reg_case("ter_probit_1target", rng, post="PROBIT", base=[0.1])
    reg_case("ter_logistic_1target", rng, post="LOGISTIC")
    reg_case("ter_sum_3targets_base", rng, n_targets=3, base=[0.5, -1.0, 2.0], weights_per_leaf=2)
    reg_case("ter_average_3targets", rng, n_targets=3, aggregate="AVERAGE", base=[0.5, -1.0, 2.0], weights_per_leaf=3)
    reg_case("ter_min_3targets", rng, n_targets=3, aggregate="MIN", base=[0.5, -1.0, 2.0])
    reg_case("ter_max_3targets", rng, n_targets=3, aggregate="MAX")
    for post in ["SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO", "PROBIT"]:
        reg_case(f"ter_{post.lower()}_3targets", rng, n_targets=3, post=post, weights_per_leaf=2)
    reg_case("ter_sparse_targets_base", rng, n_targets=4, trees=2, depth=2, base=[1.0, 2.0, 3.0, 4.0])
    reg_case("ter_v3_as_tensor_double", rng, ml_opset=3, as_tensor=True, dtype=np.float64, base=[0.25])
    reg_case("ter_v3_float_attrs_double_input", rng, ml_opset=3, dtype=np.float64, n_targets=2, post="SOFTMAX")
    reg_case("ter_v3_float", rng, ml_opset=3, n_targets=2, aggregate="AVERAGE", base=[0.5, 0.25])


def clf_case(name, rng, labels, ml_opset=1, post="NONE", base=None, modes=("BRANCH_LEQ",), trees=5, depth=4,
             missing_rate=0.0, nan_rate=0.0, rows=30, features=5, weights_per_leaf=None, positive=False,
             class_id_map=None, n_weight_classes=None, as_tensor=False, dtype=np.float32, int_input=False):
    n_classes = len(labels)
    nw = n_weight_classes or n_classes
    wpl = weights_per_leaf or nw
    ts = [random_tree(rng, depth, features, nw, modes=modes, missing_rate=missing_rate, weights_per_leaf=wpl,
                      positive=positive) for _ in range(trees)]
    node = classifier_node(ts, labels, post, base, as_tensor, class_id_map)
    label_elem = TensorProto.STRING if isinstance(labels[0], str) else TensorProto.INT64
    if int_input:
        elem = TensorProto.INT64
    else:
        elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    m = model([node], [("X", tt(elem, [None, features]))],
              [("Y", tt(label_elem, [None])), ("Z", tt(TensorProto.FLOAT, [None, n_classes]))], ml_opset)
    x = grid_features(rng, rows, features, nan_rate)
    if int_input:
        x = rng.integers(-8, 9, size=(rows, features)).astype(np.int64)
        save(name, m, {"X": x})
        return
    save(name, m, {"X": x.astype(dtype)})


@case
def classifier_cases(rng):
    for post in ["NONE", "SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO", "PROBIT"]:
        clf_case(f"tec_3class_{post.lower()}", rng, [0, 1, 2], post=post)
    clf_case("tec_3class_base_strings", rng, ["cat", "dog", "emu"], base=[0.1, -0.2, 0.3], post="SOFTMAX")
    clf_case("tec_4class_sparse_weights", rng, [3, 5, 7, 9], weights_per_leaf=1, trees=3, depth=2, base=[0.5, 0.0, 0.25, 0.0])
    clf_case("tec_3class_all_modes_missing", rng, [10, 20, 30], modes=ALL_LEGACY_MODES, missing_rate=0.5, nan_rate=0.15)
    # Binary, one class id (gradient boosting style): the second score is derived.
    clf_case("tec_binary_logistic_base", rng, [0, 1], post="LOGISTIC", base=[0.3], n_weight_classes=1)
    clf_case("tec_binary_none_mixed", rng, [0, 1], n_weight_classes=1)
    clf_case("tec_binary_none_mixed_strings", rng, ["no", "yes"], n_weight_classes=1)
    clf_case("tec_binary_positive_class1", rng, [0, 1], n_weight_classes=1, positive=True, class_id_map=lambda c: 1)
    clf_case("tec_binary_positive_class0", rng, [4, 6], n_weight_classes=1, positive=True)
    # (Binary with PROBIT is not recorded: onnxruntime writes only the first column.)
    clf_case("tec_binary_positive_logistic", rng, [0, 1], n_weight_classes=1, positive=True, post="LOGISTIC")
    clf_case("tec_binary_positive_softmax", rng, [0, 1], n_weight_classes=1, positive=True, post="SOFTMAX")
    clf_case("tec_binary_positive_softmax_zero", rng, [0, 1], n_weight_classes=1, positive=True, post="SOFTMAX_ZERO")
    clf_case("tec_binary_positive_class1_softmax", rng, [0, 1], n_weight_classes=1, positive=True, class_id_map=lambda c: 1,
             post="SOFTMAX")
    clf_case("tec_binary_mixed_softmax", rng, [0, 1], n_weight_classes=1, post="SOFTMAX")
    clf_case("tec_binary_base2_class1", rng, [0, 1], base=[0.2, 0.2], n_weight_classes=1, class_id_map=lambda c: 1,
             post="LOGISTIC")
    clf_case("tec_binary_base2_class0", rng, [0, 1], base=[0.1, 0.4], n_weight_classes=1)
    # Binary with weights for both classes (random forest style).
    clf_case("tec_binary_both_classes", rng, [0, 1], positive=True)
    clf_case("tec_binary_both_classes_labels57", rng, [5, 7], positive=True)
    clf_case("tec_binary_both_classes_softmax", rng, [5, 7], post="SOFTMAX")
    clf_case("tec_binary_both_base2", rng, [0, 1], base=[0.25, -0.25])
    clf_case("tec_v3_as_tensor_double", rng, [0, 1, 2], ml_opset=3, as_tensor=True, dtype=np.float64, base=[0.1, 0.2, 0.3])
    clf_case("tec_v3_int64_input", rng, [0, 1, 2], ml_opset=3, int_input=True, post="SOFTMAX")
    clf_case("tec_double_input_float_attrs", rng, ["a", "b", "c"], dtype=np.float64, post="LOGISTIC")


# ----------------------------------------------------------------------------- linear models

@case
def linear_cases(rng):
    f = 4
    x = rng.normal(size=(20, f)).astype(np.float32)
    for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"]:
        coef = rng.normal(size=(3, f)).astype(np.float32)
        node = helper.make_node("LinearClassifier", ["X"], ["Y", "Z"], domain=ML, coefficients=coef.ravel().tolist(),
                                intercepts=rng.normal(size=3).tolist(), classlabels_ints=[2, 4, 6], post_transform=post)
        m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))],
                  [("Y", tt(TensorProto.INT64, [None])), ("Z", tt(TensorProto.FLOAT, [None, 3]))], 1)
        xx = x * 0.3 if post == "PROBIT" else x
        save(f"linclf_3class_{post.lower()}", m, {"X": xx})
    for post in ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"]:
        node = helper.make_node("LinearClassifier", ["X"], ["Y", "Z"], domain=ML, coefficients=rng.normal(size=f).tolist(),
                                intercepts=[0.1], classlabels_strings=["neg", "pos"], post_transform=post)
        m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))],
                  [("Y", tt(TensorProto.STRING, [None])), ("Z", tt(TensorProto.FLOAT, [None, 2]))], 1)
        save(f"linclf_binary_{post.lower()}", m, {"X": x})
    node = helper.make_node("LinearClassifier", ["X"], ["Y", "Z"], domain=ML, coefficients=rng.normal(size=2 * f).tolist(),
                            intercepts=[0.1, -0.1], classlabels_ints=[0, 1], post_transform="LOGISTIC")
    m = model([node], [("X", tt(TensorProto.INT64, [None, f]))],
              [("Y", tt(TensorProto.INT64, [None])), ("Z", tt(TensorProto.FLOAT, [None, 2]))], 1)
    save("linclf_2rows_int_input", m, {"X": rng.integers(-3, 4, size=(10, f)).astype(np.int64)})
    for targets, post in [(1, "NONE"), (1, "PROBIT"), (1, "LOGISTIC"), (3, "NONE"), (3, "SOFTMAX"), (3, "LOGISTIC"),
                          (3, "SOFTMAX_ZERO"), (3, "PROBIT")]:
        node = helper.make_node("LinearRegressor", ["X"], ["Y"], domain=ML, coefficients=(rng.normal(size=targets * f) * 0.2).tolist(),
                                intercepts=(rng.normal(size=targets) * 0.1).tolist(), targets=targets, post_transform=post)
        m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))], [("Y", tt(TensorProto.FLOAT, [None, targets]))], 1)
        xx = x * 0.5 if post == "PROBIT" else x
        if post == "PROBIT":
            xx = np.clip(xx, -1, 1) * 0.4
        save(f"linreg_{targets}_{post.lower()}", m, {"X": xx})


# ----------------------------------------------------------------------------- SVMs

@case
def svm_cases(rng):
    f = 3
    x = rng.normal(size=(20, f)).astype(np.float32)
    params = {"LINEAR": [0.0, 0.0, 0.0], "POLY": [0.5, 1.0, 2.0], "RBF": [0.7, 0.0, 0.0], "SIGMOID": [0.3, 0.1, 0.0]}
    for kernel in ["LINEAR", "POLY", "RBF", "SIGMOID"]:
        for classes in [2, 3]:
            for proba in [False, True]:
                vpc = [2, 3, 2][:classes]
                v = sum(vpc)
                pairs = classes * (classes - 1) // 2
                attrs = dict(kernel_type=kernel, kernel_params=params[kernel], vectors_per_class=vpc,
                             support_vectors=rng.normal(size=v * f).tolist(),
                             coefficients=rng.normal(size=(classes - 1) * v).tolist(),
                             rho=(rng.normal(size=pairs) * 0.3).tolist(), classlabels_ints=list(range(1, classes + 1)))
                if proba:
                    attrs["prob_a"] = (-rng.random(pairs) * 2 - 0.5).tolist()
                    attrs["prob_b"] = (rng.normal(size=pairs) * 0.2).tolist()
                node = helper.make_node("SVMClassifier", ["X"], ["Y", "Z"], domain=ML, **attrs)
                width = classes if proba else (pairs if classes > 2 else 2)
                m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))],
                          [("Y", tt(TensorProto.INT64, [None])), ("Z", tt(TensorProto.FLOAT, [None, width]))], 1)
                save(f"svc_{kernel.lower()}_{classes}class{'_proba' if proba else ''}", m, {"X": x})
    # Transforms on libsvm scores, string labels.
    for post in ["LOGISTIC", "SOFTMAX"]:
        vpc = [2, 2, 2]
        node = helper.make_node("SVMClassifier", ["X"], ["Y", "Z"], domain=ML, kernel_type="RBF", kernel_params=[0.5, 0, 0],
                                vectors_per_class=vpc, support_vectors=rng.normal(size=6 * f).tolist(),
                                coefficients=rng.normal(size=12).tolist(), rho=[0.1, -0.2, 0.05],
                                classlabels_strings=["a", "b", "c"], post_transform=post)
        m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))],
                  [("Y", tt(TensorProto.STRING, [None])), ("Z", tt(TensorProto.FLOAT, [None, 3]))], 1)
        save(f"svc_rbf_3class_{post.lower()}_strings", m, {"X": x})
    for post in ["LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"]:
        node = helper.make_node("SVMClassifier", ["X"], ["Y", "Z"], domain=ML, kernel_type="RBF", kernel_params=[0.5, 0, 0],
                                vectors_per_class=[2, 3], support_vectors=rng.normal(size=5 * f).tolist(),
                                coefficients=rng.normal(size=5).tolist(), rho=[0.1], classlabels_ints=[0, 1],
                                post_transform=post)
        m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))],
                  [("Y", tt(TensorProto.INT64, [None])), ("Z", tt(TensorProto.FLOAT, [None, 2]))], 1)
        save(f"svc_rbf_2class_{post.lower()}", m, {"X": x})
    # liblinear mode (no support vectors).
    for classes, post in [(3, "NONE"), (2, "NONE"), (3, "SOFTMAX")]:
        node = helper.make_node("SVMClassifier", ["X"], ["Y", "Z"], domain=ML, coefficients=rng.normal(size=classes * f).tolist(),
                                kernel_params=[0.0, 0.0, 0.0], rho=[0.2], classlabels_ints=list(range(classes)), post_transform=post)
        m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))],
                  [("Y", tt(TensorProto.INT64, [None])), ("Z", tt(TensorProto.FLOAT, [None, classes]))], 1)
        save(f"svc_liblinear_{classes}class_{post.lower()}", m, {"X": x})
    for kernel in ["LINEAR", "POLY", "RBF", "SIGMOID"]:
        for one_class in [0, 1]:
            node = helper.make_node("SVMRegressor", ["X"], ["Y"], domain=ML, kernel_type=kernel, kernel_params=params[kernel],
                                    n_supports=4, support_vectors=rng.normal(size=4 * f).tolist(),
                                    coefficients=rng.normal(size=4).tolist(), rho=[0.3], one_class=one_class)
            m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))], [("Y", tt(TensorProto.FLOAT, [None, 1]))], 1)
            save(f"svr_{kernel.lower()}{'_oneclass' if one_class else ''}", m, {"X": x})
    node = helper.make_node("SVMRegressor", ["X"], ["Y"], domain=ML, coefficients=rng.normal(size=f).tolist(), rho=[0.3],
                            kernel_params=[0.0, 0.0, 0.0])
    m = model([node], [("X", tt(TensorProto.FLOAT, [None, f]))], [("Y", tt(TensorProto.FLOAT, [None, 1]))], 1)
    save("svr_liblinear", m, {"X": x})


# ----------------------------------------------------------------------------- transformers

@case
def transformer_cases(rng):
    x = rng.normal(size=(6, 4)).astype(np.float32)
    x[2] = 0
    x[3] = -np.abs(x[3])
    for norm in ["MAX", "L1", "L2"]:
        node = helper.make_node("Normalizer", ["X"], ["Y"], domain=ML, norm=norm)
        m = model([node], [("X", tt(TensorProto.FLOAT, [None, 4]))], [("Y", tt(TensorProto.FLOAT, [None, 4]))], 1)
        save(f"normalizer_{norm.lower()}", m, {"X": x})
    node = helper.make_node("Normalizer", ["X"], ["Y"], domain=ML, norm="L2")
    m = model([node], [("X", tt(TensorProto.DOUBLE, [None, 4]))], [("Y", tt(TensorProto.FLOAT, [None, 4]))], 1)
    save("normalizer_l2_double", m, {"X": x.astype(np.float64) * 3})
    node = helper.make_node("Scaler", ["X"], ["Y"], domain=ML, offset=[0.5, -1.0, 2.0, 0.0], scale=[2.0, 0.5, -1.0, 3.0])
    m = model([node], [("X", tt(TensorProto.FLOAT, [None, 4]))], [("Y", tt(TensorProto.FLOAT, [None, 4]))], 1)
    save("scaler_per_column", m, {"X": x})
    node = helper.make_node("Scaler", ["X"], ["Y"], domain=ML, offset=[0.25], scale=[4.0])
    m = model([node], [("X", tt(TensorProto.DOUBLE, [None, 4]))], [("Y", tt(TensorProto.FLOAT, [None, 4]))], 1)
    save("scaler_single_double", m, {"X": x.astype(np.float64) / 3})
    node = helper.make_node("Scaler", ["X"], ["Y"], domain=ML, offset=[1.0, 2.0, 3.0, 4.0], scale=[0.5, 1.0, -2.0, 0.25])
    m = model([node], [("X", tt(TensorProto.INT64, [None, 4]))], [("Y", tt(TensorProto.FLOAT, [None, 4]))], 1)
    save("scaler_int64", m, {"X": rng.integers(-5, 6, size=(3, 4)).astype(np.int64)})

    probs = rng.random((5, 3)).astype(np.float32)
    node = helper.make_node("ZipMap", ["X"], ["Z"], domain=ML, classlabels_int64s=[7, 1, 4])
    m = model([node], [("X", tt(TensorProto.FLOAT, [None, 3]))], [("Z", seq_map_type(TensorProto.INT64, TensorProto.FLOAT))], 1)
    save("zipmap_int64", m, {"X": probs})
    node = helper.make_node("ZipMap", ["X"], ["Z"], domain=ML, classlabels_strings=["zeta", "alpha", "Mid"])
    m = model([node], [("X", tt(TensorProto.FLOAT, [None, 3]))], [("Z", seq_map_type(TensorProto.STRING, TensorProto.FLOAT))], 1)
    save("zipmap_strings", m, {"X": probs})

    strs = np.array(["b", "a", "zz", "c", "a"], dtype=object)
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML, classes_strings=["a", "b", "c"], default_int64=-7)
    m = model([node], [("X", tt(TensorProto.STRING, [None]))], [("Y", tt(TensorProto.INT64, [None]))], 1)
    save("labelenc_v1_string_to_int", m, {"X": strs})
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML, classes_strings=["a", "b", "c"], default_string="?")
    m = model([node], [("X", tt(TensorProto.INT64, [None]))], [("Y", tt(TensorProto.STRING, [None]))], 1)
    save("labelenc_v1_int_to_string", m, {"X": np.array([2, 0, 5, -1, 1], dtype=np.int64)})
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML, keys_floats=[1.5, -0.0, 3.25],
                            values_strings=["x", "zero", "y"], default_string="none")
    m = model([node], [("X", tt(TensorProto.FLOAT, [None]))], [("Y", tt(TensorProto.STRING, [None]))], 2)
    save("labelenc_v2_float_to_string", m, {"X": np.array([1.5, 0.0, -0.0, 2.0, 3.25], dtype=np.float32)})
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML, keys_strings=["a", "b"], values_floats=[0.5, -2.0])
    m = model([node], [("X", tt(TensorProto.STRING, [None]))], [("Y", tt(TensorProto.FLOAT, [None]))], 2)
    save("labelenc_v2_string_to_float", m, {"X": strs})
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML, keys_int64s=[1, 2, 3], values_int64s=[10, 20, 30],
                            default_int64=99)
    m = model([node], [("X", tt(TensorProto.INT64, [None, 2]))], [("Y", tt(TensorProto.INT64, [None, 2]))], 2)
    save("labelenc_v2_int_to_int", m, {"X": np.array([[1, 4], [3, 2]], dtype=np.int64)})
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML, keys_floats=[1.0, float("nan"), 2.0],
                            values_int64s=[1, 100, 2])
    m = model([node], [("X", tt(TensorProto.FLOAT, [None]))], [("Y", tt(TensorProto.INT64, [None]))], 4)
    save("labelenc_v4_nan_key", m, {"X": np.array([1.0, np.nan, 2.0, 5.0], dtype=np.float32)})
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML,
                            keys_tensor=numpy_helper.from_array(np.array([0.5, 1.5, 2.5], dtype=np.float64)),
                            values_tensor=numpy_helper.from_array(np.array([-1.0, -2.0, -3.0], dtype=np.float64)),
                            default_tensor=numpy_helper.from_array(np.array([42.0], dtype=np.float64)))
    m = model([node], [("X", tt(TensorProto.DOUBLE, [None]))], [("Y", tt(TensorProto.DOUBLE, [None]))], 4)
    save("labelenc_v4_double_tensor", m, {"X": np.array([1.5, 0.5, 7.0], dtype=np.float64)})
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML, keys_strings=["a", "b", "c"],
                            values_tensor=numpy_helper.from_array(np.array([1, 2, 3], dtype=np.int16)))
    m = model([node], [("X", tt(TensorProto.STRING, [None]))], [("Y", tt(TensorProto.INT16, [None]))], 4)
    save("labelenc_v4_string_to_int16", m, {"X": strs})
    node = helper.make_node("LabelEncoder", ["X"], ["Y"], domain=ML, keys_int64s=[1, 2, 1], values_strings=["one", "two", "uno"])
    m = model([node], [("X", tt(TensorProto.INT64, [None]))], [("Y", tt(TensorProto.STRING, [None]))], 4)
    save("labelenc_v4_repeated_key", m, {"X": np.array([1, 2, 3], dtype=np.int64)})

    node = helper.make_node("OneHotEncoder", ["X"], ["Y"], domain=ML, cats_int64s=[3, 1, 5])
    m = model([node], [("X", tt(TensorProto.INT64, [None, 2]))], [("Y", tt(TensorProto.FLOAT, [None, 2, 3]))], 1)
    save("onehot_int64", m, {"X": np.array([[1, 5], [2, 3]], dtype=np.int64)})
    node = helper.make_node("OneHotEncoder", ["X"], ["Y"], domain=ML, cats_strings=["a", "b"])
    m = model([node], [("X", tt(TensorProto.STRING, [None]))], [("Y", tt(TensorProto.FLOAT, [None, 2]))], 1)
    save("onehot_strings", m, {"X": strs})
    node = helper.make_node("OneHotEncoder", ["X"], ["Y"], domain=ML, cats_int64s=[0, 1, 2])
    m = model([node], [("X", tt(TensorProto.FLOAT, [None]))], [("Y", tt(TensorProto.FLOAT, [None, 3]))], 1)
    save("onehot_float_truncates", m, {"X": np.array([0.0, 1.9, 2.2, -0.5], dtype=np.float32)})

    xi = x.copy()
    xi[rng.random(xi.shape) < 0.3] = np.nan
    node = helper.make_node("Imputer", ["X"], ["Y"], domain=ML, imputed_value_floats=[1.0, 2.0, 3.0, 4.0], replaced_value_float=float("nan"))
    m = model([node], [("X", tt(TensorProto.FLOAT, [None, 4]))], [("Y", tt(TensorProto.FLOAT, [None, 4]))], 1)
    save("imputer_nan_per_column", m, {"X": xi})
    node = helper.make_node("Imputer", ["X"], ["Y"], domain=ML, imputed_value_int64s=[9], replaced_value_int64=-1)
    m = model([node], [("X", tt(TensorProto.INT64, [None, 3]))], [("Y", tt(TensorProto.INT64, [None, 3]))], 1)
    save("imputer_int64", m, {"X": np.array([[-1, 2, 3], [4, -1, -1]], dtype=np.int64)})

    node = helper.make_node("Binarizer", ["X"], ["Y"], domain=ML, threshold=0.25)
    m = model([node], [("X", tt(TensorProto.FLOAT, [None, 4]))], [("Y", tt(TensorProto.FLOAT, [None, 4]))], 1)
    save("binarizer", m, {"X": np.round(x * 4) / 4})

    node = helper.make_node("ArrayFeatureExtractor", ["X", "I"], ["Y"], domain=ML)
    m = model([node], [("X", tt(TensorProto.FLOAT, [None, 4])), ("I", tt(TensorProto.INT64, [None]))],
              [("Y", tt(TensorProto.FLOAT, [None, None]))], 1)
    save("afe_float", m, {"X": x, "I": np.array([3, 0, 3], dtype=np.int64)})
    m = model([node], [("X", tt(TensorProto.STRING, [None])), ("I", tt(TensorProto.INT64, [None]))],
              [("Y", tt(TensorProto.STRING, [None, None]))], 1)
    save("afe_string_1d", m, {"X": strs, "I": np.array([4, 1], dtype=np.int64)})

    node = helper.make_node("CategoryMapper", ["X"], ["Y"], domain=ML, cats_strings=["a", "b", "c"], cats_int64s=[5, 6, 7],
                            default_int64=-3)
    m = model([node], [("X", tt(TensorProto.STRING, [None]))], [("Y", tt(TensorProto.INT64, [None]))], 1)
    save("catmap_string_to_int", m, {"X": strs})
    node = helper.make_node("CategoryMapper", ["X"], ["Y"], domain=ML, cats_strings=["a", "b", "c"], cats_int64s=[5, 6, 7])
    m = model([node], [("X", tt(TensorProto.INT64, [None]))], [("Y", tt(TensorProto.STRING, [None]))], 1)
    save("catmap_int_to_string", m, {"X": np.array([7, 5, 1], dtype=np.int64)})

    node = helper.make_node("FeatureVectorizer", ["A", "B"], ["Y"], domain=ML, inputdimensions=[2, 3])
    m = model([node], [("A", tt(TensorProto.FLOAT, [None, 3])), ("B", tt(TensorProto.FLOAT, [None, 2]))],
              [("Y", tt(TensorProto.FLOAT, [None, 5]))], 1)
    save("featurevectorizer", m, {"A": x[:3, :3].copy(), "B": np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float32)})
    node = helper.make_node("FeatureVectorizer", ["A"], ["Y"], domain=ML, inputdimensions=[3])
    m = model([node], [("A", tt(TensorProto.INT64, [None, 2]))], [("Y", tt(TensorProto.FLOAT, [None, 3]))], 1)
    save("featurevectorizer_int64_pad", m, {"A": np.array([[1, 2], [3, 4]], dtype=np.int64)})

    node = helper.make_node("DictVectorizer", ["X"], ["Y"], domain=ML, string_vocabulary=["a", "c", "b", "zz"])
    m = model([node], [("X", map_type(TensorProto.STRING, TensorProto.FLOAT))], [("Y", tt(TensorProto.FLOAT, [1, 4]))], 1)
    save("dictvectorizer_string_float", m, {"X": {"b": np.float32(2.5), "a": np.float32(-1.0), "q": np.float32(7.0)}})
    node = helper.make_node("DictVectorizer", ["X"], ["Y"], domain=ML, int64_vocabulary=[3, 1, 2])
    m = model([node], [("X", map_type(TensorProto.INT64, TensorProto.FLOAT))], [("Y", tt(TensorProto.FLOAT, [1, 3]))], 1)
    save("dictvectorizer_int_float", m, {"X": {1: np.float32(0.125), 3: np.float32(-4.5)}})

    for cast_to, out_elem in [("TO_FLOAT", TensorProto.FLOAT), ("TO_STRING", TensorProto.STRING), ("TO_INT64", TensorProto.INT64)]:
        for form in ["DENSE", "SPARSE"]:
            attrs = dict(cast_to=cast_to, map_form=form)
            if form == "SPARSE":
                attrs["max_map"] = 6
            node = helper.make_node("CastMap", ["X"], ["Y"], domain=ML, **attrs)
            m = model([node], [("X", map_type(TensorProto.INT64, TensorProto.FLOAT))], [("Y", tt(out_elem, [1, None]))], 1)
            save(f"castmap_float_{cast_to.lower()}_{form.lower()}", m,
                 {"X": {4: np.float32(2.5), 0: np.float32(-1.75), 2: np.float32(3.0)}})
    # map(int64, string) inputs cannot be fed through onnxruntime's Python API, so that
    # CastMap path has no fixture.

def main():
    assert onnx.__version__ == "1.23.2" and ort.__version__ == "1.32.0", (onnx.__version__, ort.__version__)
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    for i, fn in enumerate(CASES):
        fn(np.random.default_rng(SEED + i))
    with open(os.path.join(ROOT, "VERSIONS.txt"), "w") as f:
        f.write("Made by scripts/make_ml_fixtures.py\n")
        f.write(f"onnx {onnx.__version__}\nonnxruntime {ort.__version__}\nnumpy {np.__version__}\n")
        f.write(f"python {sys.version.split()[0]}\nseed {SEED} (numpy.random.default_rng(seed + case group index))\n")
        f.write("onnxruntime: CPUExecutionProvider, intra_op_num_threads = 1\n")
    n = len([d for d in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, d))])
    size = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(ROOT) for fn in fns)
    print(f"{n} cases, {size} bytes in {os.path.normpath(ROOT)}")


if __name__ == "__main__":
    main()
