#!/usr/bin/env python3
"""Trains small XGBoost models with real xgboost and writes them, in every form xgboost
saves, with inputs and xgboost's own predictions, to Fixtures/xgboost/<case>/.

Every case folder holds
    model.json       Booster.save_model("model.json")
    model.ubj        Booster.save_model("model.ubj")  (UBJSON, xgboost's default binary form)
    dump.txt         Booster.dump_model(..., with_stats=False)  (text, "booster[i]:" headers)
    DUMP.convert.json  the options each dump needs (config, fmap), for make convert
    dump-stats.txt   Booster.dump_model(..., with_stats=True)  (not for multi_output_tree:
                     xgboost 3.2 refuses to dump statistics of multi-target trees)
    dump.json        Booster.dump_model(..., dump_format="json")  (a JSON array of trees)
    config.json      Booster.save_config()
    fmap.txt         (feature-name case only) the feature map, "<index>\\t<name>\\t<type>"
    X.npy            float32 [N, F] inputs: random rows, rows with NaN, and, for numeric
                     splits taken from the trained trees, rows that reach the split node
                     with the feature exactly on the threshold and on the float32 values
                     just below and just above it (checked with pred_leaf: the row below
                     and the row on the threshold go to different children)
    predict.npy      Booster.predict(DMatrix(X)) as xgboost returns it (float32)
    margin.npy       Booster.predict(DMatrix(X), output_margin=True)
    probabilities.npy  classifiers: binary -> [1 - p, p] (p = predict); multi:softprob ->
                     predict itself [N, K]; multi:softmax -> numpy softmax of margin.npy
                     (float64 math, stored float32)
    label.npy        classifiers: multi:softmax -> predict (as int64); binary -> p > 0.5
                     (the rule XGBClassifier.predict applies), int64; multi:softprob ->
                     argmax of predict
    case.json        objective, num_class, num_feature, num_target, base_score (the exact
                     string learner_model_param.base_score of model.json), booster,
                     num_parallel_tree, categorical, feature_names, notes, and the
                     evidence for the base-score space:
                       intercept_margin  the margin xgboost predicts with every leaf set
                                         to 0 (model.json edited, loaded back, predicted),
                                         one value per output column
                       base_score_space  which transform of base_score gives
                                         intercept_margin: "identity", "logit" or "log"
                       transform         how predict.npy follows from margin.npy
                                         (checked here for every row)

Regenerate (the folder is rewritten):
    python3 -m venv /tmp/venv-xgb
    /tmp/venv-xgb/bin/pip install xgboost==3.2.0 numpy==2.4.6   # pulls scipy, nvidia-nccl-cu12
    /tmp/venv-xgb/bin/python scripts/make_xgboost_fixtures.py

Made with xgboost 3.2.0 and numpy 2.4.6 (checked; the versions used are written to
Fixtures/xgboost/VERSIONS.txt). Case i draws its data from numpy.random.default_rng(SEED + i)
with SEED = 20250401, trains with xgboost seed SEED + i and nthread 1, so a rerun gives
the same trees.
"""

import json
import math
import os
import platform
import shutil
import sys

import numpy as np
import xgboost as xgb

SEED = 20250401
XGB_VERSION = "3.2.0"
NUMPY_VERSION = "2.4.6"
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "xgboost"))
N_RANDOM = 64          # random test rows
N_THRESHOLD_NODES = 8  # split nodes whose thresholds get on/below/above rows
N_NAN_ROWS = 6         # extra test rows with NaN entries (plus one all-NaN row)

CASES = []


def case(name, objective, *, rounds=6, depth=3, features=5, nan=False, params=None, data=None,
         rows=256, feature_names=None, categorical=None, notes=""):
    CASES.append(dict(name=name, objective=objective, rounds=rounds, depth=depth, features=features,
                      nan=nan, params=params or {}, data=data or "regression", rows=rows,
                      feature_names=feature_names, categorical=categorical, notes=notes))


# ------------------------------------------------------------------------ training data

def make_data(c, rng):
    """Training inputs, labels and extra DMatrix arguments for case c."""
    n, f = c["rows"], c["features"]
    X = rng.standard_normal((n, f)).astype(np.float32)
    cat = c["categorical"]
    if cat:
        for j in cat:
            X[:, j] = rng.integers(0, 6, n).astype(np.float32)
    lin = X[:, 0] - 0.7 * X[:, 1] + 0.5 * X[:, 2] * (X[:, 3 % f] > 0)
    if cat:
        lin = 1.5 * np.isin(X[:, cat[0]], [1, 3, 4]) - 1.0 * (X[:, cat[-1]] == 2) + 0.8 * X[:, 1]
    noise = rng.standard_normal(n)
    kind = c["data"]
    extra = {}
    if kind == "regression":
        y = 2.0 * lin + 0.3 * noise
    elif kind == "positive":
        y = np.exp(0.5 * lin + 0.2 * noise) + 0.1
    elif kind == "unit":
        y = 1.0 / (1.0 + np.exp(-(1.5 * lin + 0.3 * noise)))
    elif kind == "binary":
        y = (lin + 0.5 * noise > 0.3).astype(np.float32)
    elif kind == "count":
        y = rng.poisson(np.exp(0.5 * lin + 0.5)).astype(np.float32)
    elif kind == "tweedie":
        y = rng.poisson(np.exp(0.5 * lin)) * rng.gamma(2.0, 0.5, n)
    elif kind == "survival":
        t = np.exp(-0.6 * lin + 0.3 * noise) + 0.05
        y = np.where(rng.random(n) < 0.25, -t, t)  # negative: right-censored
    elif kind == "multiclass":
        s = np.stack([lin, -lin + X[:, 4 % f], 0.5 * X[:, 2] - X[:, 0]], 1) + 0.5 * rng.standard_normal((n, 3))
        y = np.argmax(s, 1).astype(np.float32)
    elif kind in ("rank", "rank_binary"):
        group = 8
        qid = np.repeat(np.arange(n // group), group)
        score = lin + 0.5 * noise
        y = np.clip(np.round(score + 1.5), 0, 3) if kind == "rank" else (score > 0.3).astype(np.float32)
        extra["qid"] = qid
    elif kind == "two_targets":
        y = np.stack([2.0 * lin + 0.3 * noise, X[:, 2] * X[:, 0] - X[:, 4 % f] + 0.3 * rng.standard_normal(n)], 1)
    else:
        raise ValueError(kind)
    if c["nan"]:
        X[rng.random(X.shape) < 0.12] = np.nan
    return X, y.astype(np.float32), extra


# ------------------------------------------------------------------------ model.json helpers

def trees_of(model):
    return model["learner"]["gradient_booster"]["model"]["trees"]


def numeric_split_nodes(model):
    """(tree index, node id, feature, float32 threshold) for every numeric split."""
    out = []
    for ti, t in enumerate(trees_of(model)):
        for nid, left in enumerate(t["left_children"]):
            if left != -1 and t["split_type"][nid] == 0:
                out.append((ti, nid, t["split_indices"][nid], np.float32(t["split_conditions"][nid])))
    return out


def path_to(tree, target):
    """[(node, went_left)] from the root down to target."""
    parent = {}
    for nid, (l, r) in enumerate(zip(tree["left_children"], tree["right_children"])):
        if l != -1:
            parent[l] = (nid, True)
            parent[r] = (nid, False)
    path, n = [], target
    while n in parent:
        p, left = parent[n]
        path.append((p, left))
        n = p
    return path[::-1]


def row_reaching(tree, target, base, cats):
    """A copy of base whose features send it from the root to node target, or None.

    Numeric splits go left when x < threshold (xgboost's rule); categorical splits go
    right when the category is in the node's set."""
    lo = np.full(base.shape[0], -np.inf)
    hi = np.full(base.shape[0], np.inf)
    need_cat = {}
    for node, left in path_to(tree, target):
        f = tree["split_indices"][node]
        if tree["split_type"][node] == 1:
            members = cats[node]
            choices = [v for v in range(6) if (v in members) != left]
            if f in need_cat:
                choices = [v for v in choices if v in need_cat[f]]
            if not choices:
                return None
            need_cat[f] = choices
        else:
            t = float(np.float32(tree["split_conditions"][node]))
            if left:
                hi[f] = min(hi[f], t)
            else:
                lo[f] = max(lo[f], t)
    row = base.copy()
    for f in range(row.shape[0]):
        if f in need_cat:
            row[f] = np.float32(need_cat[f][0])
            continue
        if lo[f] >= hi[f]:
            return None
        v = row[f]
        if not (np.isfinite(v) and lo[f] <= v < hi[f]):
            if np.isfinite(lo[f]) and np.isfinite(hi[f]):
                v = np.float32((lo[f] + hi[f]) / 2)
            elif np.isfinite(lo[f]):
                v = np.float32(lo[f] + 0.5)
            elif np.isfinite(hi[f]):
                v = np.float32(hi[f] - 0.5)
            else:
                v = np.float32(0)
            if not (lo[f] <= v < hi[f]):
                return None
        row[f] = v
    return row


def category_sets(tree):
    """node id -> set of categories (for split_type 1 nodes)."""
    sets = {}
    for k, node in enumerate(tree["categories_nodes"]):
        start, size = tree["categories_segments"][k], tree["categories_sizes"][k]
        sets[node] = set(tree["categories"][start:start + size])
    return sets


def zero_leaves(model):
    """A copy of model.json with every leaf value 0: its margin is the intercept alone."""
    m = json.loads(json.dumps(model))
    for t in trees_of(m):
        for nid, left in enumerate(t["left_children"]):
            if left == -1:
                t["split_conditions"][nid] = 0.0   # a scalar tree's leaf value
        if "leaf_weights" in t:
            t["leaf_weights"] = [0.0] * len(t["leaf_weights"])
    return m


def parse_base_score(s):
    s = s.strip()
    if s.startswith("["):
        return [float(v) for v in s[1:-1].split(",")]
    return [float(s)]


def base_score_space(base, intercept):
    """Which transform of the stored base_score gives the intercept margin."""
    cands = {"identity": lambda v: v,
             "logit": lambda v: math.log(v / (1 - v)) if 0 < v < 1 else math.nan,
             "log": lambda v: math.log(v) if v > 0 else math.nan}
    hits = []
    for name, fn in cands.items():
        vals = [fn(b) for b in base]
        if all(abs(v - i) <= 1e-6 + 1e-6 * abs(i) for v, i in zip(vals, intercept)):
            hits.append(name)
    return hits


# ------------------------------------------------------------------------ one case

def transform_check(objective, pred, margin):
    """Name of the transform predict = f(margin), asserted for every row."""
    m64 = margin.astype(np.float64)
    if objective in ("binary:logistic", "reg:logistic"):
        name, want = "logistic", 1 / (1 + np.exp(-m64))
    elif objective in ("count:poisson", "reg:gamma", "reg:tweedie", "survival:cox"):
        name, want = "exp", np.exp(m64)
    elif objective == "binary:hinge":
        name, want = "hinge (margin > 0 -> 1, else 0)", (m64 > 0).astype(np.float64)
    elif objective == "multi:softprob":
        e = np.exp(m64 - m64.max(1, keepdims=True))
        name, want = "softmax", e / e.sum(1, keepdims=True)
    elif objective == "multi:softmax":
        name, want = "argmax (first maximum)", np.argmax(m64, 1).astype(np.float64)
    else:
        name, want = "identity", m64
    err = float(np.max(np.abs(pred.astype(np.float64) - want)))
    if not err <= 1e-5 * max(1.0, float(np.max(np.abs(want)))):
        raise SystemExit(f"{objective}: predict is not {name}(margin): max |diff| {err}")
    return name


def run_case(index, c):
    seed = SEED + index
    rng = np.random.default_rng(seed)
    X, y, extra = make_data(c, rng)
    cat = c["categorical"]
    ftypes = ["c" if cat and j in cat else "q" for j in range(c["features"])] if cat else None
    dkw = dict(feature_names=c["feature_names"], feature_types=ftypes, enable_categorical=bool(cat))
    dtrain = xgb.DMatrix(X, label=y, **extra, **dkw)
    params = {"objective": c["objective"], "max_depth": c["depth"], "eta": 0.3, "nthread": 1, "seed": seed,
              "tree_method": "hist"}
    params.update(c["params"])
    booster = xgb.train(params, dtrain, num_boost_round=c["rounds"])

    out = os.path.join(ROOT, c["name"])
    os.makedirs(out)
    booster.save_model(os.path.join(out, "model.json"))
    booster.save_model(os.path.join(out, "model.ubj"))
    with open(os.path.join(out, "model.json")) as fh:
        model = json.load(fh)
    fmap = ""
    if c["feature_names"]:
        fmap = os.path.join(out, "fmap.txt")
        with open(fmap, "w") as fh:
            for j, name in enumerate(c["feature_names"]):
                fh.write(f"{j}\t{name}\tq\n")
    booster.dump_model(os.path.join(out, "dump.txt"), with_stats=False)
    if c["params"].get("multi_strategy") != "multi_output_tree":
        # xgboost 3.2: "Tree dump with statistic support for multi-target tree is not yet implemented."
        booster.dump_model(os.path.join(out, "dump-stats.txt"), with_stats=True)
    booster.dump_model(os.path.join(out, "dump.json"), with_stats=False, dump_format="json")
    with open(os.path.join(out, "config.json"), "w") as fh:
        fh.write(booster.save_config())
    # Sidecars: the options a dump needs, for `make convert` (and convert-cli on the dump).
    sidecar = {"config": "config.json"}
    if c["feature_names"]:
        sidecar["fmap"] = "fmap.txt"
    for dump in ["dump.txt", "dump-stats.txt", "dump.json"]:
        if os.path.exists(os.path.join(out, dump)):
            with open(os.path.join(out, dump + ".convert.json"), "w") as fh:
                fh.write(json.dumps(sidecar) + "\n")

    # ---- test inputs
    Xt = rng.standard_normal((N_RANDOM, c["features"])).astype(np.float32)
    if cat:
        for j in cat:
            Xt[:, j] = rng.integers(0, 6, N_RANDOM).astype(np.float32)
            Xt[:5, j] = [6, 7, 11, -1, 0]   # categories never seen in training, a negative one, 0
    if c["nan"]:
        Xt[rng.random(Xt.shape) < 0.12] = np.nan
    nan_rows = Xt[:N_NAN_ROWS].copy()
    for i in range(N_NAN_ROWS):
        nan_rows[i, i % c["features"]] = np.nan
        nan_rows[i, (3 * i + 1) % c["features"]] = np.nan
    extra_rows = [nan_rows, np.full((1, c["features"]), np.nan, np.float32)]

    # rows on, just below and just above thresholds of split nodes that they reach
    splits = numeric_split_nodes(model)
    trees = trees_of(model)
    chosen, seen = [], set()
    roots = [splits[i] for i in rng.permutation(len(splits)) if splits[i][1] == 0]
    deeper = [splits[i] for i in rng.permutation(len(splits)) if splits[i][1] != 0]
    mixed = [s for pair in zip(roots, deeper) for s in pair] + roots[len(deeper):] + deeper[len(roots):]
    threshold_rows = []
    for ti, nid, f, thr in mixed:
        if len(chosen) >= N_THRESHOLD_NODES:
            break
        if (f, float(thr)) in seen:
            continue
        base = Xt[len(chosen) % N_RANDOM].copy()
        base[np.isnan(base)] = 0
        r = row_reaching(trees[ti], nid, base, category_sets(trees[ti]))
        if r is None:
            continue
        below = r.copy(); below[f] = np.nextafter(thr, np.float32(-np.inf))
        on = r.copy(); on[f] = thr
        above = r.copy(); above[f] = np.nextafter(thr, np.float32(np.inf))
        trio = np.stack([below, on, above])
        leaves = booster.predict(xgb.DMatrix(trio, **dkw), pred_leaf=True)
        leaves = leaves.reshape(3, -1)
        if leaves[0, ti] == leaves[1, ti]:
            raise SystemExit(f"{c['name']}: threshold rows for tree {ti} node {nid} do not split there")
        if leaves[1, ti] != leaves[2, ti]:
            raise SystemExit(f"{c['name']}: value on the threshold and above it differ at tree {ti} node {nid}")
        seen.add((f, float(thr)))
        chosen.append((ti, nid, int(f), float(thr)))
        threshold_rows.append(trio)
    X_test = np.concatenate([Xt] + extra_rows + threshold_rows).astype(np.float32)
    np.save(os.path.join(out, "X.npy"), X_test)

    dtest = xgb.DMatrix(X_test, **dkw)
    pred = booster.predict(dtest)
    margin = booster.predict(dtest, output_margin=True)
    np.save(os.path.join(out, "predict.npy"), pred)
    np.save(os.path.join(out, "margin.npy"), margin)
    obj = c["objective"]
    if obj in ("binary:logistic", "binary:hinge"):
        p = pred.astype(np.float64)
        np.save(os.path.join(out, "probabilities.npy"), np.stack([1 - p, p], 1).astype(np.float32))
        np.save(os.path.join(out, "label.npy"), (pred > 0.5).astype(np.int64))
    elif obj == "multi:softprob":
        np.save(os.path.join(out, "probabilities.npy"), pred)
        np.save(os.path.join(out, "label.npy"), np.argmax(pred, 1).astype(np.int64))
    elif obj == "multi:softmax":
        m64 = margin.astype(np.float64)
        e = np.exp(m64 - m64.max(1, keepdims=True))
        np.save(os.path.join(out, "probabilities.npy"), (e / e.sum(1, keepdims=True)).astype(np.float32))
        np.save(os.path.join(out, "label.npy"), pred.astype(np.int64))
    transform = transform_check(obj, pred, margin)
    for form in ("model.json", "model.ubj"):   # both saved forms load back to the same predictions
        again = xgb.Booster(model_file=os.path.join(out, form)).predict(dtest, output_margin=True)
        if not np.array_equal(again, margin):
            raise SystemExit(f"{c['name']}: {form} loaded back predicts differently")

    # ---- intercept: margin of the same model with all leaves 0
    zm = zero_leaves(model)
    zb = xgb.Booster(model_file=bytearray(json.dumps(zm).encode()))
    zmargin = zb.predict(xgb.DMatrix(X_test[:4], **dkw), output_margin=True).reshape(4, -1)
    if np.any(zmargin != zmargin[0]):
        raise SystemExit(f"{c['name']}: zero-leaf margins differ between rows")
    intercept = [float(v) for v in zmargin[0]]
    # the same from the other side: margin minus the leaves pred_leaf names
    leaf_sum = leaf_sums(model, booster.predict(dtest, pred_leaf=True).reshape(len(X_test), -1),
                         margin.reshape(len(X_test), -1).shape[1])
    resid = margin.reshape(len(X_test), -1).astype(np.float64) - leaf_sum
    if np.max(np.abs(resid - np.array(intercept))) > 1e-5 * max(1.0, float(np.max(np.abs(margin)))):
        raise SystemExit(f"{c['name']}: margin - leaves != intercept ({np.max(np.abs(resid - np.array(intercept)))})")
    lmp = model["learner"]["learner_model_param"]
    base = parse_base_score(lmp["base_score"])
    if len(base) == 1 and len(intercept) > 1:
        base = base * len(intercept)
    space = base_score_space(base, intercept)
    gbm = model["learner"]["gradient_booster"]
    info = {
        "objective": obj,
        "num_class": int(lmp["num_class"]),
        "num_feature": int(lmp["num_feature"]),
        "num_target": int(lmp["num_target"]),
        "base_score": lmp["base_score"],
        "booster": gbm["name"],
        "num_parallel_tree": int(gbm["model"]["gbtree_model_param"]["num_parallel_tree"]),
        "num_trees": int(gbm["model"]["gbtree_model_param"]["num_trees"]),
        "categorical": bool(cat),
        "feature_names": c["feature_names"],
        "feature_types": ftypes,
        "params": {k: v for k, v in params.items()},
        "num_boost_round": c["rounds"],
        "rows": int(X_test.shape[0]),
        "threshold_rows": {"first_row": int(len(X_test) - 3 * len(chosen)),
                           "splits": [{"tree": t, "node": n, "feature": f, "threshold": v} for t, n, f, v in chosen],
                           "layout": "per split: below (nextafter -inf), on, above (nextafter +inf)"},
        "intercept_margin": intercept,
        "base_score_space": space[0] if len(space) == 1 else space,
        "transform": transform,
        "notes": c["notes"],
    }
    with open(os.path.join(out, "case.json"), "w") as fh:
        json.dump(info, fh, indent=1)
        fh.write("\n")
    return info, X_test.shape


def leaf_sums(model, leaves, width):
    """Per row and output column: the sum of the leaf values pred_leaf names (float64)."""
    trees = trees_of(model)
    info = model["learner"]["gradient_booster"]["model"]["tree_info"]
    out = np.zeros((leaves.shape[0], width))
    for ti, t in enumerate(trees):
        k = int(t["tree_param"]["size_leaf_vector"])
        ids = leaves[:, ti].astype(np.int64)
        if k > 1:
            w = np.array(t["leaf_weights"], np.float32).reshape(-1, k).astype(np.float64)
            out += w[np.array(t["right_children"])[ids]]
        else:
            out[:, info[ti] if width > 1 else 0] += np.array(t["split_conditions"], np.float32)[ids].astype(np.float64)
    return out


# ------------------------------------------------------------------------ the cases

NAMES = ["age", "income", "tenure", "score", "visits", "balance"]

case("reg_squarederror", "reg:squarederror")
case("reg_squaredlogerror", "reg:squaredlogerror", data="positive", notes="positive labels")
case("reg_pseudohubererror", "reg:pseudohubererror", features=4)
case("reg_absoluteerror", "reg:absoluteerror", features=6,
     notes="leaf values are refreshed to residual quantiles after each tree (adaptive trees)")
case("reg_quantileerror", "reg:quantileerror", params={"quantile_alpha": 0.7}, notes="quantile_alpha 0.7")
case("reg_quantileerror_multi", "reg:quantileerror", rounds=4, params={"quantile_alpha": [0.1, 0.5, 0.9]},
     notes="quantile_alpha [0.1, 0.5, 0.9]: three outputs, one tree per quantile per round (tree_info 0,1,2)")
case("reg_logistic", "reg:logistic", data="unit", notes="labels in (0, 1)")
case("binary_logistic", "binary:logistic", data="binary", nan=True, features=6, notes="about 12% NaN in training and test inputs")
case("binary_logitraw", "binary:logitraw", data="binary", notes="predict is the raw margin")
case("binary_hinge", "binary:hinge", data="binary", notes="predict is 0 or 1")
case("count_poisson", "count:poisson", data="count")
case("reg_gamma", "reg:gamma", data="positive")
case("reg_tweedie", "reg:tweedie", data="tweedie", params={"tweedie_variance_power": 1.5},
     notes="tweedie_variance_power 1.5; labels with many zeros")
case("survival_cox", "survival:cox", data="survival",
     notes="negative labels are right-censored times; predict is the hazard ratio exp(margin)")
case("multi_softmax", "multi:softmax", data="multiclass", nan=True, features=6, rounds=4, params={"num_class": 3},
     notes="3 classes, about 12% NaN")
case("multi_softprob", "multi:softprob", data="multiclass", nan=True, features=6, rounds=4, params={"num_class": 3},
     notes="3 classes, about 12% NaN")
case("rank_pairwise", "rank:pairwise", data="rank", notes="qid groups of 8, relevance 0..3")
case("rank_ndcg", "rank:ndcg", data="rank", notes="qid groups of 8, relevance 0..3")
case("rank_map", "rank:map", data="rank_binary", notes="qid groups of 8, binary relevance")
case("categorical", "reg:squarederror", depth=4, rounds=4, features=5, categorical=[0, 3], nan=True,
     params={"max_cat_to_onehot": 1},
     notes="features 0 and 3 categorical (0..5 in training), set splits (max_cat_to_onehot 1); "
           "the first 5 test rows carry categories 6, 7, 11 (never seen), -1 and 0 in those features; about 12% NaN")
case("random_forest", "binary:logistic", data="binary", rounds=2, depth=3, nan=True,
     params={"num_parallel_tree": 4, "subsample": 0.8, "colsample_bynode": 0.8, "eta": 1.0},
     notes="random forest: 4 parallel trees per round, 2 rounds, subsample 0.8, colsample_bynode 0.8, eta 1")
case("random_forest_multiclass", "multi:softprob", data="multiclass", rounds=2, depth=2, features=6,
     params={"num_class": 3, "num_parallel_tree": 4, "subsample": 0.8, "colsample_bynode": 0.8, "eta": 1.0},
     notes="random forest of 3 classes: 4 parallel trees per class per round, 2 rounds")
case("multi_output_tree", "reg:squarederror", data="two_targets", rounds=6,
     params={"multi_strategy": "multi_output_tree"},
     notes="2 targets, multi_strategy multi_output_tree: one tree per round with vector leaves; "
           "no dump-stats.txt (xgboost 3.2 cannot dump statistics of multi-target trees)")
case("multi_target_per_tree", "reg:squarederror", data="two_targets", rounds=4,
     notes="2 targets, multi_strategy one_output_per_tree (default): one tree per target per round")
case("feature_names", "reg:squarederror", features=6, feature_names=NAMES,
     notes="DMatrix feature_names; fmap.txt is the matching feature map")
case("explicit_base_score", "binary:logistic", data="binary", params={"base_score": 0.25},
     notes="base_score 0.25 given explicitly (every other case leaves it to xgboost's estimate)")


def main():
    if xgb.__version__ != XGB_VERSION or np.__version__ != NUMPY_VERSION:
        raise SystemExit(f"need xgboost {XGB_VERSION} and numpy {NUMPY_VERSION}, "
                         f"have {xgb.__version__} and {np.__version__}")
    if os.path.isdir(ROOT):
        for entry in os.listdir(ROOT):
            p = os.path.join(ROOT, entry)
            if os.path.isdir(p):
                shutil.rmtree(p)
    os.makedirs(ROOT, exist_ok=True)
    rows = []
    for i, c in enumerate(CASES):
        info, shape = run_case(i, c)
        rows.append((c["name"], info, shape))
        print(f"{c['name']:26} {info['objective']:20} base_score={info['base_score']:40} "
              f"intercept={['%.7g' % v for v in info['intercept_margin']]} space={info['base_score_space']} "
              f"X={shape}", flush=True)
    try:
        import scipy
        scipy_version = scipy.__version__
    except ImportError:
        scipy_version = "not installed"
    with open(os.path.join(ROOT, "VERSIONS.txt"), "w") as fh:
        fh.write(f"python {platform.python_version()}\nxgboost {xgb.__version__}\nnumpy {np.__version__}\n"
                 f"scipy {scipy_version} (an xgboost dependency, not used directly)\n"
                 f"seeds: case i uses numpy.random.default_rng({SEED} + i) and xgboost seed {SEED} + i; nthread 1\n"
                 "cases (i name):\n")
        for i, c in enumerate(CASES):
            fh.write(f"  {i} {c['name']}\n")
        fh.write("regenerate:\n"
                 "  python3 -m venv /tmp/venv-xgb\n"
                 f"  /tmp/venv-xgb/bin/pip install xgboost=={XGB_VERSION} numpy=={NUMPY_VERSION}\n"
                 "  /tmp/venv-xgb/bin/python scripts/make_xgboost_fixtures.py\n")


if __name__ == "__main__":
    sys.exit(main())
