#!/usr/bin/env python3
"""Trains small LightGBM models with real lightgbm and writes each, with inputs and
lightgbm's own predictions, to Fixtures/lightgbm/<case>/.

Every case folder holds
    model.txt        Booster.save_model("model.txt", num_iteration=-1)  (every iteration,
                     also for the early-stopping case, whose in-memory booster would
                     otherwise save only its best iteration)
    dump.json        json.dump(Booster.dump_model(num_iteration=-1))  (compact, one line;
                     feature_names/ is written with indent=1 and json's default separators)
    X.npy            float32 [N, F] inputs (layout in case.json "rows"): random rows,
                     rows with NaN (and one all-NaN row), zero probes (a row reaching a
                     chosen split, with the split's feature set to 0.0, -0.0, denormals,
                     +-1e-36, +-1e-35f and its float32 neighbours, +-1e-30, NaN), category
                     probes (categorical cases: every category, unseen ones, negatives,
                     fractions, huge values, +-inf, NaN, at a chosen categorical split), and
                     threshold rows: for numeric splits of the trained trees, a row that
                     reaches the split with the feature on the float32 values around the
                     float64 threshold t: nextafter(lo, -inf), lo, hi, nextafter(hi, +inf)
                     where lo is the largest float32 <= t and hi the smallest float32 >= t
                     (lo == hi when t is a float32; then 3 rows: below, on, above)
    predict.npy      Booster.predict(X64) as lightgbm returns it (float64; X64 = X as float64)
    raw.npy          Booster.predict(X64, raw_score=True)
    leaves.npy       Booster.predict(X64, pred_leaf=True)  (int32 [N, num_trees])
    X64.npy, predict64.npy, raw64.npy
                     float64 rows for --dtype float64: for the same threshold splits, the
                     row on the exact float64 threshold and its float64 neighbours
                     (nextafter(t, -inf), t, nextafter(t, +inf)), with lightgbm's outputs
    predict_first_k.npy, raw_first_k.npy
                     (early-stopping case only) Booster.predict(X64, num_iteration=K) with
                     K = best_iteration
    case.json        objective (the full objective= line of model.txt), num_class,
                     num_tree_per_iteration, num_feature, num_iterations, num_trees,
                     categorical, categorical_features, average_output, linear_tree,
                     missing_types (of the numeric splits, from decision_type bits 2-3),
                     best_iteration, transform (how predict follows from raw, checked on
                     every row), params, rows (layout), probes (which way each probe row
                     went at its split, from pred_leaf), notes

Every case is also checked against a re-implementation of LightGBM's prediction rules
in this script (evaluate() below; the rules are in Fixtures/lightgbm/README.md): it must
name the same leaf as pred_leaf for every row and tree, and give raw within 1e-12.

Regenerate (the case folders are rewritten):
    python3 -m venv /tmp/venv-lgb
    /tmp/venv-lgb/bin/pip install lightgbm==4.7.0 numpy==2.4.6   # pulls scipy
    /tmp/venv-lgb/bin/python scripts/make_lightgbm_fixtures.py

Made with lightgbm 4.7.0 and numpy 2.4.6 (the versions used are written to
Fixtures/lightgbm/VERSIONS.txt). Case i draws its data from numpy.random.default_rng(SEED + i)
with SEED = 20250501 and trains with lightgbm seed SEED + i, num_threads 1,
deterministic, force_col_wise, so a rerun gives the same files.
"""

import json
import math
import os
import platform
import shutil
import sys

import numpy as np
import lightgbm as lgb

SEED = 20250501
LGB_VERSION = "4.7.0"
NUMPY_VERSION = "2.4.6"
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "lightgbm"))
K_ZERO = float(np.float32(1e-35))   # LightGBM's kZeroThreshold (1e-35f): 1.0000000180025095e-35
F32 = np.float32
MISSING = {0: "None", 1: "Zero", 2: "NaN"}

CASES = []


def case(name, objective, *, rounds=6, leaves=7, features=5, nan=0.0, params=None, data=None, rows=600,
         feature_names=None, categorical=None, n_cat=None, early_stopping=False, n_random=28,
         n_threshold=8, dump_indent=None, notes=""):
    CASES.append(dict(dump_indent=dump_indent, name=name, objective=objective, rounds=rounds, leaves=leaves, features=features, nan=nan,
                      params=params or {}, data=data or "regression", rows=rows, feature_names=feature_names,
                      categorical=categorical or [], n_cat=n_cat, early_stopping=early_stopping,
                      n_random=n_random, n_threshold=n_threshold, notes=notes))


# ------------------------------------------------------------------------ data

def features_of(c, rng, n):
    """float32 inputs: feature 1 is 30% exact zeros, feature 2 takes the integers 0..7
    (its thresholds are then halves, exact in float32), categorical features 0..n_cat-1."""
    f = c["features"]
    X = rng.standard_normal((n, f)).astype(F32)
    X[rng.random(n) < 0.3, 1] = 0
    X[:, 2] = rng.integers(0, 8, n)
    for j in c["categorical"]:
        X[:, j] = rng.integers(0, c["n_cat"], n)
    return X


def make_data(c, rng, X, effects):
    """Labels and group sizes for inputs X (before NaNs are put in)."""
    n = X.shape[0]
    num = [j for j in range(c["features"]) if j not in c["categorical"]]
    a, b, d = num[0], num[1 % len(num)], num[-1]
    lin = X[:, a] - 0.7 * X[:, b] + 0.8 * np.sign(X[:, b]) + 0.3 * X[:, 2] + 0.5 * X[:, d] * (X[:, a] > 0)
    for j in c["categorical"]:
        lin = lin + 1.5 * effects[j][X[:, j].astype(np.int64)]
    noise = rng.standard_normal(n)
    kind = c["data"]
    group = None
    if kind == "regression":
        y = 2.0 * lin + 0.3 * noise
    elif kind == "positive":
        y = np.exp(0.4 * lin + 0.2 * noise) + 0.1
    elif kind == "unit":
        y = 1.0 / (1.0 + np.exp(-(1.5 * lin + 0.3 * noise)))
    elif kind == "binary":
        y = (lin + 0.5 * noise > 0.3).astype(np.float64)
    elif kind == "binary_noisy":
        y = (0.5 * lin + 1.5 * noise > 0.3).astype(np.float64)
    elif kind == "count":
        y = rng.poisson(np.exp(0.4 * lin + 0.3)).astype(np.float64)
    elif kind == "tweedie":
        y = rng.poisson(np.exp(0.4 * lin)) * rng.gamma(2.0, 0.5, n)
    elif kind == "multiclass":
        s = np.stack([lin, -lin + X[:, d], 0.5 * X[:, 2] - X[:, a]], 1) + 0.5 * rng.standard_normal((n, 3))
        y = np.argmax(s, 1).astype(np.float64)
    elif kind == "rank":
        group = [10] * (n // 10)
        y = np.clip(np.round(lin + 0.5 * noise + 1.0), 0, 3)
    else:
        raise ValueError(kind)
    return y, group


# ------------------------------------------------------------------------ model.txt

def parse_model(text):
    """model.txt -> (header dict, [tree dicts]); arrays stay strings until asked for."""
    head, _, rest = text.partition("\nTree=0\n")
    header = {}
    for line in head.splitlines():
        k, eq, v = line.partition("=")
        header[k] = v if eq else True
    trees = []
    for block in ("Tree=0\n" + rest).split("end of trees")[0].split("\n\n"):
        block = block.strip()
        if not block.startswith("Tree="):
            continue
        t = {}
        for line in block.splitlines():
            k, _, v = line.partition("=")
            t[k] = v
        trees.append(t)
    return header, [tree_arrays(t) for t in trees]


def tree_arrays(t):
    n_leaves = int(t["num_leaves"])
    out = {"num_leaves": n_leaves, "shrinkage": float(t["shrinkage"]),
           "leaf_value": [float(v) for v in t["leaf_value"].split()]}
    if n_leaves > 1:
        out["split_feature"] = [int(v) for v in t["split_feature"].split()]
        out["threshold"] = [float(v) for v in t["threshold"].split()]
        out["decision_type"] = [int(v) for v in t["decision_type"].split()]
        out["left_child"] = [int(v) for v in t["left_child"].split()]
        out["right_child"] = [int(v) for v in t["right_child"].split()]
    if int(t.get("num_cat", "0")) > 0:
        out["cat_boundaries"] = [int(v) for v in t["cat_boundaries"].split()]
        out["cat_threshold"] = [int(v) for v in t["cat_threshold"].split()]
    out["is_linear"] = t.get("is_linear", "0") == "1"
    if out["is_linear"]:
        out["leaf_const"] = [float(v) for v in t["leaf_const"].split()]
        counts = [int(v) for v in t["num_features"].split()]
        feats = [int(v) for v in t["leaf_features"].split()]
        coeffs = [float(v) for v in t["leaf_coeff"].split()]
        out["leaf_features"], out["leaf_coeff"], at = [], [], 0
        for k in counts:
            out["leaf_features"].append(feats[at:at + k])
            out["leaf_coeff"].append(coeffs[at:at + k])
            at += k
        if at != len(feats) or at != len(coeffs):
            raise SystemExit("leaf_features/leaf_coeff do not match num_features")
    return out


def in_bitset(tree, node, code):
    idx = int(tree["threshold"][node])
    lo, hi = tree["cat_boundaries"][idx], tree["cat_boundaries"][idx + 1]
    word = code // 32
    return word < hi - lo and (tree["cat_threshold"][lo + word] >> (code % 32)) & 1 == 1


def as_int32(v):
    """static_cast<int>(double) as x86-64 computes it (cvttsd2si: INT_MIN when out of range)."""
    if not math.isfinite(v) or v >= 2**31 or v <= -2**31 - 1:
        return -2**31
    return int(v)   # truncates toward zero


# The rules (README.md) and, for the rule checks in case.json, the alternatives a
# converter might take instead; each alternative is evaluated on every row and the
# number of rows whose leaves (or, for linear leaves, raw scores) change is recorded.
RULES = {"drop_tiny": True, "nan_as_zero": True, "zero_band": True, "cat_trunc": True,
         "cat_negative_right": False, "linear_nan_fallback": True, "threshold32": None}
ALTERNATIVES = {
    "keep_tiny_inputs": ({"drop_tiny": False}, "|x| <= 1e-35f reaches the trees unchanged (not as +0.0)"),
    "nan_compared_as_nan": ({"nan_as_zero": False}, "None/Zero splits compare NaN as NaN (goes right) instead of as 0"),
    "zero_is_exact_zero": ({"zero_band": False}, "missing type Zero: only x == 0 (and NaN) is missing, not |x| <= 1e-35f"),
    "keep_tiny_and_exact_zero": ({"drop_tiny": False, "zero_band": False},
                                 "both of the above: tiny inputs kept and only x == 0 counts as zero"),
    "cat_round_nearest": ({"cat_trunc": False}, "categorical codes rounded to nearest instead of truncated toward 0"),
    "cat_negative_right": ({"cat_negative_right": True}, "categorical: every x < 0 goes right (-0.5 not read as 0)"),
    "linear_nan_as_zero": ({"linear_nan_fallback": False}, "linear leaf: a NaN feature is skipped instead of falling back to leaf_value"),
    "threshold_float32_nearest": ({"threshold32": "nearest"}, "float32 input compared with float32(t) rounded to nearest"),
    "threshold_float32_down": ({"threshold32": "down"}, "float32 input compared with the largest float32 <= t"),
}


def decide(tree, node, v, rules=RULES):
    """(child, how) for one split: how is 'threshold', 'default', 'category' or 'not-category'."""
    dt = tree["decision_type"][node]
    left, right = tree["left_child"][node], tree["right_child"][node]
    if dt & 1:
        if math.isnan(v):
            return right, "not-category"
        code = as_int32(v) if rules["cat_trunc"] else as_int32(float(np.rint(v)) if math.isfinite(v) else v)
        if code < 0 or (rules["cat_negative_right"] and v < 0):
            return right, "not-category"
        return (left, "category") if in_bitset(tree, node, code) else (right, "not-category")
    mt = (dt >> 2) & 3
    if math.isnan(v) and mt != 2 and rules["nan_as_zero"]:
        v = 0.0
    zero = (-K_ZERO <= v <= K_ZERO) if rules["zero_band"] else (v == 0 or (math.isnan(v) and rules["nan_as_zero"]))
    if (mt == 1 and zero) or (mt == 2 and math.isnan(v)):
        return (left if dt & 2 else right), "default"
    t = tree["threshold"][node]
    if rules["threshold32"] == "nearest":
        t = float(F32(t))
    elif rules["threshold32"] == "down":
        t = float(f32_around(t)[0])
    return (left if v <= t else right), "threshold"


def prepare_row(x, rules=RULES):
    """What LightGBM's dense-matrix predict path keeps of a row: |x| <= kZeroThreshold is
    dropped from the sparse row it builds, so it arrives as +0.0; NaN is kept."""
    if not rules["drop_tiny"]:
        return [float(v) for v in x]
    return [0.0 if abs(v) <= K_ZERO else float(v) for v in x]


def leaf_of(tree, x, trace=None, rules=RULES):
    if tree["num_leaves"] == 1:
        return 0
    node = 0
    while node >= 0:
        child, how = decide(tree, node, x[tree["split_feature"][node]], rules)
        if trace is not None:
            trace.append((node, child == tree["left_child"][node], how))
        node = child
    return ~node


def tree_output(tree, x, leaf, rules=RULES):
    if tree["is_linear"]:
        out = tree["leaf_const"][leaf]
        for f, w in zip(tree["leaf_features"][leaf], tree["leaf_coeff"][leaf]):
            if math.isnan(x[f]):
                if rules["linear_nan_fallback"]:
                    return tree["leaf_value"][leaf]
                continue
            out += w * x[f]
        return out
    return tree["leaf_value"][leaf]


def evaluate(header, trees, X, num_iteration=None, rules=RULES):
    """(raw [N, K], leaves [N, T]) by the rules in README.md. raw is what
    predict(raw_score=True) gives: the plain sum of the trees, also under average_output
    (lightgbm divides by the number of iterations only on the way to predict())."""
    k = int(header["num_tree_per_iteration"])
    n_iter = len(trees) // k if num_iteration is None else num_iteration
    raw = np.zeros((X.shape[0], k))
    leaves = np.zeros((X.shape[0], n_iter * k), np.int64)
    for r in range(X.shape[0]):
        x = prepare_row(X[r], rules)
        for i in range(n_iter):
            for c in range(k):
                t = trees[i * k + c]
                leaf = leaf_of(t, x, rules=rules)
                leaves[r, i * k + c] = leaf
                raw[r, c] += tree_output(t, x, leaf, rules)
    return raw, leaves


def rule_checks(header, trees, X, raw, leaves):
    """For each alternative rule: rows of X whose leaves or raw scores it changes."""
    out = {}
    for name, (change, _) in ALTERNATIVES.items():
        r2, l2 = evaluate(header, trees, X, rules=dict(RULES, **change))
        bad = np.any(l2 != leaves, axis=1) | np.any(np.abs(r2 - raw) > 1e-9 * (1 + np.abs(raw)), axis=1)
        out[name] = int(bad.sum())
    return out


def parents(tree):
    p = {}
    for node, (l, r) in enumerate(zip(tree["left_child"], tree["right_child"])):
        p[("n", l) if l >= 0 else ("l", ~l)] = (node, True)
        p[("n", r) if r >= 0 else ("l", ~r)] = (node, False)
    return p


def path_to(tree, node):
    par, path, key = parents(tree), [], ("n", node)
    while key in par:
        p, left = par[key]
        path.append((p, left))
        key = ("n", p)
    return path[::-1]


def row_reaching(tree, target, base, n_cat):
    """A float32 copy of base that goes from the root to split node target through
    threshold comparisons (never a missing or zero value), or None."""
    f_n = base.shape[0]
    lo, hi = np.full(f_n, -np.inf), np.full(f_n, np.inf)
    cats = {}
    for node, left in path_to(tree, target):
        f = tree["split_feature"][node]
        if tree["decision_type"][node] & 1:
            choices = [v for v in cats.get(f, range(n_cat[f])) if in_bitset(tree, node, v) == left]
            if not choices:
                return None
            cats[f] = choices
        elif left:
            hi[f] = min(hi[f], tree["threshold"][node])
        else:
            lo[f] = max(lo[f], tree["threshold"][node])
    row = base.copy()
    for f in range(f_n):
        if f in cats:
            row[f] = F32(cats[f][len(cats[f]) // 2])
            continue
        ok = lambda u: lo[f] < u <= hi[f] and abs(u) > 1e-30 and math.isfinite(u)
        cands = [float(row[f])]
        if math.isfinite(lo[f]) and math.isfinite(hi[f]):
            cands.append(float(F32((lo[f] + hi[f]) / 2)))
        for d in (0.5, 0.25, 1.0):
            if math.isfinite(lo[f]):
                cands.append(float(F32(lo[f] + d)))
            if math.isfinite(hi[f]):
                cands.append(float(F32(hi[f] - d)))
        cands += [0.25, -0.25]
        v = next((u for u in cands if ok(u)), None)
        if v is None:
            return None
        row[f] = v
    return row


def reaches(tree, x, target):
    trace = []
    leaf_of(tree, prepare_row(x), trace)
    for node, left, how in trace:
        if node == target:
            return left, how
    return None


def f32_around(t):
    """(largest float32 <= t, smallest float32 >= t)."""
    f = F32(t)
    lo = f if float(f) <= t else np.nextafter(f, F32(-np.inf))
    hi = f if float(f) >= t else np.nextafter(f, F32(np.inf))
    return lo, hi


ZERO_PROBES = [("0.0", 0.0), ("-0.0", -0.0), ("min denormal 1.4e-45", 1.4e-45), ("-1.4e-45", -1.4e-45),
               ("denormal 1e-40", 1e-40), ("denormal -1e-40", -1e-40), ("largest denormal", 1.1754942e-38),
               ("min normal 1.1754944e-38", 1.1754944e-38), ("1e-36", 1e-36), ("-1e-36", -1e-36),
               ("1e-35f", 1e-35), ("-1e-35f", -1e-35), ("next float32 above 1e-35f", None),
               ("next float32 below -1e-35f", None), ("1e-30", 1e-30), ("-1e-30", -1e-30), ("NaN", math.nan)]


def zero_probe_values():
    out = []
    for label, v in ZERO_PROBES:
        if label == "next float32 above 1e-35f":
            v = np.nextafter(F32(1e-35), F32(np.inf))
        elif label == "next float32 below -1e-35f":
            v = np.nextafter(F32(-1e-35), F32(-np.inf))
        out.append((label, F32(v)))
    return out


def category_probe_values(n_cat, tree, node):
    """Every category, unseen ones, fractions (including a+0.7 where a and a+1 fall on
    different sides of this split's set), negatives, huge values, infinities, NaN."""
    vals = [(f"category {v}", F32(v)) for v in range(n_cat)]
    idx = int(tree["threshold"][node])
    width = 32 * (tree["cat_boundaries"][idx + 1] - tree["cat_boundaries"][idx])
    unseen = sorted({n_cat, n_cat + 1, 31, 32, 33, 63, 64, 65, 100, 1000, width - 1, width} - set(range(n_cat)))
    vals += [(f"unseen {v}", F32(v)) for v in unseen]
    member = [in_bitset(tree, node, v) for v in range(n_cat + 1)]
    edge_in = next((a for a in range(n_cat) if member[a] and not member[a + 1]), None)
    edge_out = next((a for a in range(n_cat) if not member[a] and member[a + 1]), None)
    for a in (edge_in, edge_out):
        if a is not None:
            vals.append((f"fraction {a}.7 ({a} {'in' if member[a] else 'not in'} the set, {a + 1} "
                         f"{'in' if member[a + 1] else 'not in'})", F32(a + 0.7)))
    vals += [("fraction 2.9", F32(2.9)), ("fraction 0.5", F32(0.5)), ("fraction -0.5", F32(-0.5)),
             ("fraction -0.99999994", np.nextafter(F32(-1), F32(0))),
             ("fraction 1.0000001", np.nextafter(F32(1), F32(2))), ("fraction 0.99999994", np.nextafter(F32(1), F32(0))),
             (f"fraction {n_cat - 1}.7", F32(n_cat - 1 + 0.7)),
             ("-1", F32(-1)), ("-1.5", F32(-1.5)), ("-2", F32(-2)), ("-0.0", F32(-0.0)), ("1e-36", F32(1e-36)),
             ("1e10", F32(1e10)), ("-1e10", F32(-1e10)), ("2147483520 (largest float32 < 2^31)", F32(2147483520.0)),
             ("2^31", F32(2.0**31)), ("+inf", F32(np.inf)), ("-inf", F32(-np.inf)), ("NaN", F32(np.nan))]
    return vals


# ------------------------------------------------------------------------ transforms

def sigmoid_scale(objective):
    for tok in objective.split():
        if tok.startswith("sigmoid:"):
            return float(tok.split(":", 1)[1])
    return 1.0


def transform_candidates(objective, raw):
    s = sigmoid_scale(objective)
    e = np.exp(raw - raw.max(1, keepdims=True))
    return {
        "identity": raw,
        "exp": np.exp(raw),
        f"sigmoid(x) = 1/(1+exp(-x))": 1 / (1 + np.exp(-raw)),
        f"sigmoid with scale {s:g}: 1/(1+exp(-{s:g}*x))": 1 / (1 + np.exp(-s * raw)),
        "softplus log1p(exp(x))": np.log1p(np.exp(raw)),
        "softmax over classes": e / e.sum(1, keepdims=True),
        "sign(x)*x^2": np.sign(raw) * raw * raw,
    }


def expected_transform(objective):
    name = objective.split()[0]
    s = sigmoid_scale(objective)
    if name in ("binary", "multiclassova"):
        return f"sigmoid with scale {s:g}: 1/(1+exp(-{s:g}*x))"
    if name == "multiclass":
        return "softmax over classes"
    if name in ("poisson", "gamma", "tweedie"):
        return "exp"
    if name == "cross_entropy":
        return "sigmoid(x) = 1/(1+exp(-x))"
    if name == "cross_entropy_lambda":
        return "softplus log1p(exp(x))"
    if "sqrt" in objective.split()[1:]:
        return "sign(x)*x^2"
    return "identity"


def check_transform(cname, objective, pred, raw):
    pred2 = pred.reshape(raw.shape)
    matches = {}
    with np.errstate(over="ignore"):
        cands = transform_candidates(objective, raw)
    for name, want in cands.items():
        err = float(np.max(np.abs(pred2 - want)))
        matches[name] = err
    want = expected_transform(objective)
    if not matches[want] <= 1e-12 * max(1.0, float(np.max(np.abs(pred2)))):
        raise SystemExit(f"{cname}: predict is not {want}(raw): max |diff| {matches[want]}; all: {matches}")
    others = sorted(n for n, e in matches.items() if n != want and e <= 1e-12)
    return want, matches[want], others


# ------------------------------------------------------------------------ one case

def lgb_params(c, seed):
    p = {"objective": c["objective"], "num_leaves": c["leaves"], "learning_rate": 0.3, "num_threads": 1,
         "deterministic": True, "force_col_wise": True, "seed": seed, "verbose": -1, "min_data_in_leaf": 10}
    p.update(c["params"])
    return p


def run_case(index, c):
    seed = SEED + index
    rng = np.random.default_rng(seed)
    effects = {j: rng.standard_normal(c["n_cat"]) for j in c["categorical"]}
    n_cat = {j: c["n_cat"] for j in c["categorical"]}
    X = features_of(c, rng, c["rows"])
    y, group = make_data(c, rng, X, effects)
    if c["nan"]:
        mask = rng.random(X.shape) < c["nan"]
        mask[:, c["categorical"]] = False
        X[mask] = np.nan
    params = lgb_params(c, seed)
    dkw = dict(categorical_feature=c["categorical"] or "auto",
               feature_name=c["feature_names"] or "auto", free_raw_data=False)
    dtrain = lgb.Dataset(X.astype(np.float64), label=y, group=group, **dkw)
    valid, callbacks, best = [], [], None
    if c["early_stopping"]:
        Xv = features_of(c, rng, 300)
        yv, gv = make_data(c, rng, Xv, effects)
        valid = [lgb.Dataset(Xv.astype(np.float64), label=yv, group=gv, reference=dtrain, **dkw)]
        callbacks = [lgb.early_stopping(c["early_stopping"], verbose=False)]
    booster = lgb.train(params, dtrain, num_boost_round=c["rounds"], valid_sets=valid or None,
                        callbacks=callbacks or None, keep_training_booster=True)
    if c["early_stopping"]:
        best = int(booster.best_iteration)
        if not 0 < best < booster.current_iteration():
            raise SystemExit(f"{c['name']}: best_iteration {best} of {booster.current_iteration()}: not a proper prefix")

    out = os.path.join(ROOT, c["name"])
    os.makedirs(out)
    mpath = os.path.join(out, "model.txt")
    booster.save_model(mpath, num_iteration=-1)
    loaded = lgb.Booster(model_file=mpath)
    if loaded.model_to_string() != booster.model_to_string(num_iteration=-1):
        raise SystemExit(f"{c['name']}: model.txt does not load back to the same model")
    with open(os.path.join(out, "dump.json"), "w") as fh:
        if c["dump_indent"] is None:
            json.dump(loaded.dump_model(num_iteration=-1), fh, separators=(",", ":"))
        else:   # json.dump's own separators, ", " and ": ", as a user would write it
            json.dump(loaded.dump_model(num_iteration=-1), fh, indent=c["dump_indent"])
        fh.write("\n")
    with open(mpath) as fh:
        header, trees = parse_model(fh.read())
    k = int(header["num_tree_per_iteration"])
    n_feat = int(header["max_feature_idx"]) + 1

    # ---- test inputs
    layout = {}
    parts = []

    def add(name, rows):
        rows = np.asarray(rows, F32).reshape(-1, n_feat)
        start = sum(len(p) for p in parts)
        layout[name] = [start, start + len(rows)]
        parts.append(rows)
        return start

    Xt = features_of(c, rng, c["n_random"])
    if c["nan"]:
        m = rng.random(Xt.shape) < max(c["nan"], 0.1)
        m[:, c["categorical"]] = False
        Xt[m] = np.nan
    add("random", Xt)
    nan_rows = features_of(c, rng, 6)
    for i in range(6):
        nan_rows[i, i % n_feat] = np.nan
        nan_rows[i, (3 * i + 1) % n_feat] = np.nan
    add("nan", np.concatenate([nan_rows, np.full((1, n_feat), np.nan, F32)]))

    splits = [(ti, nd, t["split_feature"][nd], t["threshold"][nd], t["decision_type"][nd])
              for ti, t in enumerate(trees) if t["num_leaves"] > 1 for nd in range(t["num_leaves"] - 1)]
    numeric = [s for s in splits if not s[4] & 1]
    base_pool = features_of(c, rng, 16)
    probes = []

    # zero probes: at the numeric split where zeros and tiny values tell most
    def zero_score(s):
        ti, nd, f, t, dt = s
        mt = (dt >> 2) & 3
        default_left = bool(dt & 2)
        s0 = 0
        if mt == 1 and default_left != (0.0 <= t):
            s0 += 100                       # zero's default differs from its comparison
        if mt == 1:
            s0 += 50
        if abs(t) <= 2 * K_ZERO:
            s0 += 40 if t < 0 else 30       # -1e-35f: the dropped-to-zero rule decides
        if mt == 0:
            s0 += 5
        return (-s0, abs(t), ti, nd)

    zero_split, fallback = None, None
    for s in sorted(numeric, key=zero_score):
        ti, nd, f = s[0], s[1], s[2]
        r = row_reaching(trees[ti], nd, base_pool[0].copy(), n_cat)
        if r is None:
            continue
        rows = []
        for label, v in zero_probe_values():
            rr = r.copy()
            rr[f] = v
            rows.append(rr)
        if fallback is None:
            fallback = (s, rows)
        if all(reaches(trees[ti], rr, nd) for rr in rows[:-1]):   # every value but NaN gets there
            zero_split = s
            break
    if zero_split is None and fallback is not None:
        zero_split, rows = fallback
    if zero_split is not None:
        ti, nd, f, t, dt = zero_split
        start = add("zero_probes", rows)
        for i, (label, v) in enumerate(zero_probe_values()):
            probes.append({"row": start + i, "kind": "zero", "value": label, "float32": repr(float(v)),
                           "tree": ti, "node": nd, "feature": int(f), "threshold": t,
                           "missing_type": MISSING[(dt >> 2) & 3], "default_left": bool(dt & 2)})

    # category probes: at the categorical split that most probe rows reach (ties: the
    # widest bitset, then one holding 0)
    if c["categorical"]:
        def words(s):
            t = trees[s[0]]
            i = int(s[3])
            return t["cat_boundaries"][i + 1] - t["cat_boundaries"][i]
        best_cat = None
        for s in [s for s in splits if s[4] & 1]:
            ti, nd, f = s[0], s[1], s[2]
            r = row_reaching(trees[ti], nd, base_pool[1].copy(), n_cat)
            if r is None:
                continue
            vals = category_probe_values(c["n_cat"], trees[ti], nd)
            rows = []
            for _, v in vals:
                rr = r.copy()
                rr[f] = v
                rows.append(rr)
            n_reach = sum(reaches(trees[ti], rr, nd) is not None for rr in rows)
            key = (-n_reach, -words(s), not in_bitset(trees[ti], nd, 0), ti, nd)
            if best_cat is None or key < best_cat[0]:
                best_cat = (key, s, vals, rows)
        if best_cat is not None:
            _, s, vals, rows = best_cat
            ti, nd, f = s[0], s[1], s[2]
            start = add("category_probes", rows)
            for i, (label, v) in enumerate(vals):
                probes.append({"row": start + i, "kind": "category", "value": label, "float32": repr(float(v)),
                               "tree": ti, "node": nd, "feature": int(f), "bitset_words": words(s),
                               "in_bitset_codes": [u for u in range(32 * words(s)) if in_bitset(trees[ti], nd, u)]})

    # threshold rows
    order = rng.permutation(len(numeric))
    chosen, seen, trows, trows64 = [], set(), [], []
    for i in order:
        if len(chosen) >= c["n_threshold"]:
            break
        ti, nd, f, t, dt = numeric[i]
        if (f, t) in seen:
            continue
        r = row_reaching(trees[ti], nd, base_pool[(2 + len(chosen)) % len(base_pool)].copy(), n_cat)
        if r is None:
            continue
        lo, hi = f32_around(t)
        vals = [np.nextafter(lo, F32(-np.inf)), lo] + ([hi] if hi != lo else []) + [np.nextafter(hi, F32(np.inf))]
        rows = []
        for v in vals:
            rr = r.copy()
            rr[f] = v
            rows.append(rr)
        went = [reaches(trees[ti], rr, nd) for rr in rows]
        if any(w is None for w in went) or went[0][0] is not True or went[-1][0] is not False:
            continue   # does not reach the split, or (zero region, missing default) does not straddle it
        seen.add((f, t))
        chosen.append({"tree": ti, "node": nd, "feature": int(f), "threshold": t,
                       "float32_exact": bool(hi == lo), "values": [repr(float(v)) for v in vals],
                       "went_left": [w[0] for w in went], "how": [w[1] for w in went]})
        trows.append(np.stack(rows))
        r64 = r.astype(np.float64)
        rows64 = []
        for v in (np.nextafter(t, -np.inf), t, np.nextafter(t, np.inf)):
            rr = r64.copy()
            rr[f] = v
            rows64.append(rr)
        trows64.append(np.stack(rows64))
    if trows:
        add("threshold", np.concatenate(trows))
    X_test = np.concatenate(parts).astype(F32)
    X64 = X_test.astype(np.float64)
    np.save(os.path.join(out, "X.npy"), X_test)

    pred = loaded.predict(X64)
    raw = loaded.predict(X64, raw_score=True)
    leaves = loaded.predict(X64, pred_leaf=True)
    np.save(os.path.join(out, "predict.npy"), pred)
    np.save(os.path.join(out, "raw.npy"), raw)
    np.save(os.path.join(out, "leaves.npy"), leaves)
    for name, a, b in (("predict", pred, booster.predict(X64, num_iteration=-1)),
                       ("raw", raw, booster.predict(X64, raw_score=True, num_iteration=-1))):
        if not np.array_equal(a, b):
            raise SystemExit(f"{c['name']}: the loaded model.txt and the trained booster differ in {name}")

    # ---- the rules in README.md give the same leaves and raw scores
    raw2 = raw.reshape(len(X_test), k)
    ref_raw, ref_leaves = evaluate(header, trees, X64)
    if not np.array_equal(ref_leaves, leaves.reshape(len(X_test), -1)):
        bad = np.argwhere(ref_leaves != leaves.reshape(len(X_test), -1))[:5]
        raise SystemExit(f"{c['name']}: evaluate() and pred_leaf disagree at (row, tree) {bad.tolist()}")
    raw_err = float(np.max(np.abs(ref_raw - raw2)))
    checks = rule_checks(header, trees, X64, ref_raw, ref_leaves)
    if raw_err > 1e-12 * max(1.0, float(np.max(np.abs(raw2)))):
        raise SystemExit(f"{c['name']}: evaluate() raw differs from lightgbm's by {raw_err}")
    score = raw2 / (len(trees) // k) if "average_output" in header else raw2
    transform, terr, also = check_transform(c["name"], header["objective"], pred, score)
    if "average_output" in header:
        transform += " of raw / num_iterations (raw.npy is the plain sum)"

    # every probe: which way lightgbm sent it (pred_leaf against the leaves under each child)
    leaf_rows = leaves.reshape(len(X_test), -1)
    for p in probes:
        t = trees[p["tree"]]
        side = reaches(t, X_test[p["row"]], p["node"])
        under_left = leaves_under(t, t["left_child"][p["node"]])
        lgb_leaf = int(leaf_rows[p["row"], p["tree"]])
        p["lightgbm_leaf"] = lgb_leaf
        if side is None:
            p["went"] = "did not reach the node"
        else:
            if side[0] != (lgb_leaf in under_left):
                raise SystemExit(f"{c['name']}: probe row {p['row']} side disagrees with pred_leaf")
            p["went"] = ("left" if side[0] else "right") + f" ({side[1]})"

    # float64 rows on the exact thresholds
    if trows64:
        X64t = np.concatenate(trows64)
        np.save(os.path.join(out, "X64.npy"), X64t)
        p64 = loaded.predict(X64t)
        r64 = loaded.predict(X64t, raw_score=True)
        np.save(os.path.join(out, "predict64.npy"), p64)
        np.save(os.path.join(out, "raw64.npy"), r64)
        rr64, rl64 = evaluate(header, trees, X64t)
        if not np.array_equal(rl64, loaded.predict(X64t, pred_leaf=True).reshape(len(X64t), -1)):
            raise SystemExit(f"{c['name']}: evaluate() and pred_leaf disagree on X64")
        for i, ch in enumerate(chosen):
            went = [reaches(trees[ch["tree"]], X64t[3 * i + j], ch["node"]) for j in range(3)]
            ch["float64_went_left"] = [w[0] if w else None for w in went]

    first_k = None
    if best:
        pk = loaded.predict(X64, num_iteration=best)
        rk = loaded.predict(X64, raw_score=True, num_iteration=best)
        np.save(os.path.join(out, "predict_first_k.npy"), pk)
        np.save(os.path.join(out, "raw_first_k.npy"), rk)
        ref_k, _ = evaluate(header, trees, X64, num_iteration=best)
        if np.max(np.abs(ref_k - rk.reshape(ref_k.shape))) > 1e-12 * max(1.0, float(np.max(np.abs(rk)))):
            raise SystemExit(f"{c['name']}: evaluate(num_iteration={best}) differs from lightgbm")
        if np.array_equal(pk, pred):
            raise SystemExit(f"{c['name']}: predict_first_k equals predict")
        first_k = best

    mtypes = sorted({MISSING[(s[4] >> 2) & 3] for s in numeric}, key=["None", "Zero", "NaN"].index)
    info = {
        "objective": header["objective"],
        "num_class": int(header["num_class"]),
        "num_tree_per_iteration": k,
        "num_feature": n_feat,
        "num_iterations": len(trees) // k,
        "num_trees": len(trees),
        "categorical": bool(c["categorical"]),
        "categorical_features": c["categorical"],
        "num_categories": c["n_cat"],
        "average_output": "average_output" in header,
        "linear_tree": any(t["is_linear"] for t in trees),
        "missing_types": mtypes,
        "feature_names": header["feature_names"].split(),
        "best_iteration": best,
        "first_k": first_k,
        "transform": transform,
        "transform_max_abs_diff": terr,
        "transform_also_matches": also,
        "evaluate_raw_max_abs_diff": raw_err,
        "rule_checks": {"rows_changed_by": checks,
                        "meaning": {k: v[1] for k, v in ALTERNATIVES.items()}},
        "params": params,
        "num_boost_round": c["rounds"],
        "rows": len(X_test),
        "layout": layout,
        "threshold_splits": chosen,
        "probes": probes,
        "notes": c["notes"],
    }
    with open(os.path.join(out, "case.json"), "w") as fh:
        json.dump(info, fh, indent=1)
        fh.write("\n")
    return info


def leaves_under(tree, child):
    if child < 0:
        return {~child}
    return leaves_under(tree, tree["left_child"][child]) | leaves_under(tree, tree["right_child"][child])


# ------------------------------------------------------------------------ the cases

NAMES = ["age", "income", "tenure", "score", "visits"]

case("binary", "binary", features=6, nan=0.12, notes="about 12% NaN in training and test inputs: missing type NaN")
case("binary_sigmoid", "binary", params={"sigmoid": 0.7}, notes="sigmoid 0.7: predict = 1/(1+exp(-0.7*raw))")
case("multiclass", "multiclass", data="multiclass", features=6, rounds=5, nan=0.1, params={"num_class": 3},
     notes="3 classes, softmax; about 10% NaN")
case("multiclassova", "multiclassova", data="multiclass", features=6, rounds=5, params={"num_class": 3},
     notes="3 classes, one-vs-all: an independent sigmoid per class (rows do not sum to 1)")
case("regression", "regression", leaves=15, notes="l2; no NaN in training: missing type None")
case("regression_sqrt", "regression", params={"reg_sqrt": True},
     notes="reg_sqrt: trained on sign(y)*sqrt(|y|), predict = sign(raw)*raw^2")
case("regression_l1", "regression_l1", notes="leaf values refit to residual quantiles")
case("huber", "huber", params={"alpha": 1.5})
case("fair", "fair", params={"fair_c": 0.8})
case("quantile", "quantile", params={"alpha": 0.7})
case("mape", "mape", data="positive")
case("poisson", "poisson", data="count")
case("gamma", "gamma", data="positive")
case("tweedie", "tweedie", data="tweedie", params={"tweedie_variance_power": 1.3})
case("cross_entropy", "cross_entropy", data="unit", notes="labels in (0, 1)")
case("cross_entropy_lambda", "cross_entropy_lambda", data="unit", notes="labels in (0, 1)")
case("lambdarank", "lambdarank", data="rank", notes="groups of 10, relevance 0..3")
case("rank_xendcg", "rank_xendcg", data="rank", notes="groups of 10, relevance 0..3")
case("zero_as_missing", "regression", nan=0.05, params={"zero_as_missing": True},
     notes="zero_as_missing: missing type Zero; feature 1 is 30% zeros, 5% NaN")
case("use_missing_false", "regression", nan=0.1, params={"use_missing": False},
     notes="use_missing false: missing type None although 10% of the training inputs are NaN")
case("categorical_onehot", "regression", features=5, categorical=[3], n_cat=5, nan=0.05,
     params={"max_cat_to_onehot": 8},
     notes="feature 3 categorical with 5 categories, max_cat_to_onehot 8: one-category (one-hot) splits")
case("categorical_bitset", "regression", features=5, categorical=[0, 3], n_cat=40, rows=3000, leaves=15,
     rounds=5, n_random=12, n_threshold=4, nan=0.05,
     params={"max_cat_to_onehot": 4, "min_data_per_group": 10, "cat_smooth": 1, "cat_l2": 1, "max_cat_threshold": 32},
     notes="features 0 and 3 categorical with 40 categories: many-category splits, bitsets of 2 words")
case("linear_tree", "regression", nan=0.05, params={"linear_tree": True, "linear_lambda": 0.01},
     notes="linear_tree: leaves hold linear models; a NaN in one of a leaf's features falls back to leaf_value")
case("random_forest", "binary", data="binary", rounds=5, nan=0.1,
     params={"boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.7, "feature_fraction": 0.8},
     notes="boosting rf: average_output, raw is the mean of the trees")
case("feature_names", "regression", feature_names=NAMES, dump_indent=1,
     notes="Dataset feature_name; dump.json written by json.dump with indent=1 (the other cases: compact)")
case("early_stopping", "binary", data="binary_noisy", rounds=10, early_stopping=3,
     params={"learning_rate": 0.5, "num_leaves": 15},
     notes="early stopping (3 rounds) on a validation set; model.txt holds every iteration "
           "(saved with num_iteration=-1), predict_first_k.npy is predict(num_iteration=best_iteration)")


def main():
    if lgb.__version__ != LGB_VERSION or np.__version__ != NUMPY_VERSION:
        raise SystemExit(f"need lightgbm {LGB_VERSION} and numpy {NUMPY_VERSION}, "
                         f"have {lgb.__version__} and {np.__version__}")
    only = set(sys.argv[1:])
    os.makedirs(ROOT, exist_ok=True)
    for entry in os.listdir(ROOT):
        p = os.path.join(ROOT, entry)
        if os.path.isdir(p) and (not only or entry in only):
            shutil.rmtree(p)
    for i, c in enumerate(CASES):
        if only and c["name"] not in only:
            continue
        info = run_case(i, c)
        print(f"{c['name']:22} {info['objective']:40} trees={info['num_trees']:3} rows={info['rows']:3} "
              f"missing={','.join(info['missing_types'])} transform={info['transform']}"
              + (f" best_iteration={info['best_iteration']}" if info["best_iteration"] else ""), flush=True)
    if only:
        return 0
    import scipy
    with open(os.path.join(ROOT, "VERSIONS.txt"), "w") as fh:
        fh.write(f"python {platform.python_version()}\nlightgbm {lgb.__version__}\nnumpy {np.__version__}\n"
                 f"scipy {scipy.__version__} (a lightgbm dependency, not used directly)\n"
                 f"seeds: case i uses numpy.random.default_rng({SEED} + i) and lightgbm seed {SEED} + i; "
                 "num_threads 1, deterministic, force_col_wise\n"
                 "cases (i name):\n")
        for i, c in enumerate(CASES):
            fh.write(f"  {i} {c['name']}\n")
        fh.write("regenerate:\n"
                 "  python3 -m venv /tmp/venv-lgb\n"
                 f"  /tmp/venv-lgb/bin/pip install lightgbm=={LGB_VERSION} numpy=={NUMPY_VERSION}\n"
                 "  /tmp/venv-lgb/bin/python scripts/make_lightgbm_fixtures.py\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
