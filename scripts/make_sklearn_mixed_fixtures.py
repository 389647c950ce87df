#!/usr/bin/env python3
"""scikit-learn fixtures whose input mixes numbers and strings
(Fixtures/python/sklearn_mixed): pipelines fitted on pandas DataFrames with string
columns (ColumnTransformer by name, OneHotEncoder, OrdinalEncoder, TargetEncoder,
SimpleImputer on strings, missing values), on numpy object arrays (columns by index,
slice and mask), on fixed-width '<U' arrays, and encoders with infrequent categories.
Each case is pickled (protocol 4) with scikit-learn's own outputs on a few test rows.

The test rows are JSON (the .npy reader has no strings): {"names": [...], "dtypes":
[...], "columns": [[...], ...]}, one list per column, null where a value is missing
(NaN in a float column, NaN or None in a string column; the converted graph takes a
missing string as ""). INDEX.json lists each case: name, method (the output compared),
input (the rows), "labels": "strings" for string class labels (predict.json), "model"
when the case reuses another case's pickle, "schema" for an --input-schema to convert
with, "columns" for the columns of a single-matrix model. REFUSED.json lists fitted
states the converter must refuse, with words its error must contain. Versions and the
seed are written to VERSIONS.txt.

    python3 -m venv build-data/venv-py
    build-data/venv-py/bin/pip install numpy==2.4.6 scikit-learn==1.9.1 pandas==3.1.1
    build-data/venv-py/bin/python scripts/make_sklearn_mixed_fixtures.py
"""
import json, math, os, pickle, platform, warnings
import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler, TargetEncoder
from sklearn.tree import DecisionTreeRegressor

SEED = 20251215
ROOT = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "python", "sklearn_mixed")
CITIES = ["London", "Paris", "Oslo", "Rome", "Lima"]


def passengers(n, rng, missing=False):
    """A small DataFrame: age, fare (float), pclass (int), city, sex, embarked, deck
    (pandas str columns); embarked has NaN; with `missing`, age, city, sex and deck too."""
    city = rng.choice(CITIES, size=n, p=[0.35, 0.25, 0.2, 0.15, 0.05]).astype(object)
    sex = rng.choice(["female", "male"], size=n).astype(object)
    embarked = rng.choice(["C", "Q", "S"], size=n, p=[0.2, 0.1, 0.7]).astype(object)
    deck = rng.choice(["A", "B", "C", "D"], size=n, p=[0.1, 0.3, 0.4, 0.2]).astype(object)
    age = np.round(rng.normal(35, 12, size=n), 1)
    fare = np.round(rng.gamma(2.0, 15.0, size=n), 2)
    pclass = rng.integers(1, 4, size=n)
    embarked[rng.random(n) < 0.12] = np.nan
    if missing:
        age[rng.random(n) < 0.1] = np.nan
        city[rng.random(n) < 0.1] = np.nan
        sex[rng.random(n) < 0.1] = np.nan
        deck[rng.random(n) < 0.15] = np.nan
    return pd.DataFrame({"age": age, "fare": fare, "pclass": pclass, "city": pd.Series(city, dtype="str"), "sex": pd.Series(sex, dtype="str"),
                         "embarked": pd.Series(embarked, dtype="str"), "deck": pd.Series(deck, dtype="str")})


def target(df, rng):
    score = (0.04 * (40 - df["age"].fillna(35)) + 0.02 * df["fare"] + 1.2 * (df["sex"] == "female") - 0.5 * df["pclass"]
             + df["city"].map({"London": 0.3, "Paris": -0.4, "Oslo": 0.6, "Rome": -0.2, "Lima": 0.1}).fillna(0) + rng.normal(0, 0.5, len(df)))
    return (score > np.median(score)).astype(int).to_numpy()


def test_rows(rng, missing=False):
    """Rows to transform: fresh rows plus an unknown city, a missing value in every
    string column and every category of each column."""
    df = passengers(10, rng, missing=missing)
    extra = pd.DataFrame({"age": [29.5, 61.0, 18.0, 44.0], "fare": [7.25, 80.0, 12.5, 30.0], "pclass": [3, 1, 2, 2],
                          "city": pd.Series(["Tokyo", "Lima", None, "Oslo"], dtype="str"), "sex": pd.Series(["male", "female", "female", None if missing else "male"], dtype="str"),
                          "embarked": pd.Series([None, "Q", "C", "S"], dtype="str"), "deck": pd.Series(["Z", None if missing else "A", "D", "B"], dtype="str")})
    return pd.concat([df, extra], ignore_index=True)


def write_rows(name, df):
    """The rows as JSON, column by column, null where missing."""
    def value(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        if isinstance(v, (np.integer,)):
            return int(v)
        if isinstance(v, (np.floating,)):
            return float(v)
        return v
    names = [str(c) for c in df.columns]
    data = {"names": names, "dtypes": [str(df[c].dtype) for c in df.columns],
            "columns": [[value(v) for v in df[c].astype(object).tolist()] for c in df.columns]}
    with open(os.path.join(ROOT, name), "w") as fh:
        json.dump(data, fh, separators=(",", ":"))


def save_pickle(name, est):
    with open(os.path.join(ROOT, f"{name}.p4.pkl"), "wb") as fh:
        pickle.dump(est, fh, protocol=4)


def save_case(index, name, est, rows, rows_file, method, **extra):
    """Pickles `est` and saves scikit-learn's `method` (and predict) on `rows`."""
    save_pickle(name, est)
    out = getattr(est, method)(rows)
    np.save(os.path.join(ROOT, f"{name}.{method}.npy"), np.asarray(out, dtype=np.float64))
    if method != "predict" and hasattr(est, "predict"):
        labels = est.predict(rows)
        if labels.dtype.kind in "OU":
            with open(os.path.join(ROOT, f"{name}.predict.json"), "w") as fh:
                json.dump([str(v) for v in labels], fh)
            extra["labels"] = "strings"
        else:
            np.save(os.path.join(ROOT, f"{name}.predict.npy"), labels)
    index.append({"name": name, "method": method, "input": rows_file, **extra})


def main():
    os.makedirs(ROOT, exist_ok=True)
    warnings.simplefilter("ignore")  # unknown categories at transform time are the point
    rng = np.random.default_rng(SEED)
    index, refused = [], []
    train = passengers(80, rng)
    y = target(train, rng)
    rows = test_rows(rng)
    write_rows("passengers.json", rows)

    # The scikit-learn documentation's shape: scale the numbers, one-hot the strings, pass
    # the int column through, logistic regression on top.
    logreg = Pipeline([("ct", ColumnTransformer([("num", StandardScaler(), ["age", "fare"]), ("cat", OneHotEncoder(handle_unknown="ignore"), ["city", "sex"])],
                                                 remainder="passthrough")), ("lr", LogisticRegression(max_iter=1000))])
    cols = ["age", "fare", "pclass", "city", "sex"]
    logreg.fit(train[cols], y)
    save_case(index, "frame_logreg", logreg, rows[cols], "passengers.json", "predict_proba")
    # The same model, converted with an --input-schema that reorders the inputs and
    # takes pclass as int64.
    index.append({"name": "frame_logreg_schema", "model": "frame_logreg", "method": "predict_proba", "input": "passengers.json",
                  "schema": "city:string,sex:string,pclass:int64,fare:float,age:float"})

    # Columns given as pandas Index objects (df.columns[...]): the converter takes the
    # indices scikit-learn resolved at fit, _transformer_to_input_indices.
    frame = train[cols]
    by_index = Pipeline([("ct", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), frame.columns[3:5]), ("num", StandardScaler(), frame.columns[:2])])),
                         ("lr", LogisticRegression(max_iter=1000))])
    by_index.fit(frame, y)
    save_case(index, "frame_pandas_index", by_index, rows[cols], "passengers.json", "predict_proba")

    # A forest after one-hot strings and raw numbers (so float32 inputs reach the same
    # thresholds), with string class labels.
    forest = Pipeline([("ct", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), ["city", "sex"]), ("num", "passthrough", ["age", "fare"])])),
                       ("rf", RandomForestClassifier(n_estimators=3, max_depth=4, random_state=SEED))])
    forest.fit(train[cols], np.where(y == 1, "yes", "no"))
    save_case(index, "frame_forest_labels", forest, rows[cols], "passengers.json", "predict_proba")

    # OrdinalEncoder on strings before a tree regressor, and before HistGradientBoosting
    # with those codes as categorical features (unknown cities to -1: HGB's missing side).
    ordinal = Pipeline([("ct", ColumnTransformer([("ord", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), ["city", "sex"])], remainder="passthrough")),
                        ("tree", DecisionTreeRegressor(max_depth=4, random_state=SEED))])
    ordinal.fit(train[cols], train["fare"] * 0.5 + y * 10)
    save_case(index, "frame_ordinal_tree", ordinal, rows[cols], "passengers.json", "predict")
    hgb = Pipeline([("ct", ColumnTransformer([("ord", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), ["city", "embarked"]),
                                              ("num", "passthrough", ["age", "fare"])])),
                    ("hgb", HistGradientBoostingClassifier(max_iter=5, max_depth=3, categorical_features=[0, 1], random_state=SEED))])
    hcols = ["age", "fare", "city", "embarked"]
    hgb.fit(train[hcols], y)
    save_case(index, "frame_ordinal_hgb", hgb, rows[hcols], "passengers.json", "predict_proba")

    # TargetEncoder on strings (embarked with NaN as a category) before a Ridge.
    te = Pipeline([("ct", ColumnTransformer([("te", TargetEncoder(random_state=SEED), ["city", "embarked"]), ("num", StandardScaler(), ["age"])])), ("ridge", Ridge(alpha=1.0))])
    tcols = ["age", "city", "embarked"]
    te.fit(train[tcols], train["fare"])
    save_case(index, "frame_target_encoder", te, rows[tcols], "passengers.json", "predict")

    # Missing values everywhere: imputers on numbers and on strings (constant and
    # most_frequent), NaN as a fitted category of OneHotEncoder and OrdinalEncoder.
    train_nan = passengers(90, rng, missing=True)
    y_nan = target(train_nan, rng)
    rows_nan = test_rows(rng, missing=True)
    write_rows("passengers_missing.json", rows_nan)
    missing = Pipeline([("ct", ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), ["age", "fare"]),
        ("emb", Pipeline([("impute", SimpleImputer(strategy="constant", fill_value="missing")), ("onehot", OneHotEncoder(handle_unknown="ignore"))]), ["embarked"]),
        ("city", OneHotEncoder(handle_unknown="ignore"), ["city"]),
        ("sex", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2), ["sex"]),
        ("deck", Pipeline([("impute", SimpleImputer(strategy="most_frequent")), ("ord", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1))]), ["deck"]),
    ])), ("lr", LogisticRegression(max_iter=1000))])
    mcols = ["age", "fare", "embarked", "city", "sex", "deck"]
    missing.fit(train_nan[mcols], y_nan)
    save_case(index, "frame_missing", missing, rows_nan[mcols], "passengers_missing.json", "predict_proba")

    # A FeatureUnion of two ColumnTransformers over one DataFrame.
    union = Pipeline([("union", FeatureUnion([("cats", ColumnTransformer([("onehot", OneHotEncoder(handle_unknown="ignore"), ["city"])])),
                                              ("nums", ColumnTransformer([("scale", StandardScaler(), ["age", "fare"])]))])),
                      ("lr", LogisticRegression(max_iter=1000))])
    ucols = ["age", "fare", "city"]
    union.fit(train[ucols], y)
    save_case(index, "frame_feature_union", union, rows[ucols], "passengers.json", "predict_proba")

    # Every column numeric, selected by name: still one float input [N, F]; and the same
    # model with an --input-schema (one input per column, pclass as int64).
    numeric = Pipeline([("ct", ColumnTransformer([("scale", StandardScaler(), ["age", "fare"]), ("pass", "passthrough", ["pclass"])])), ("lr", LogisticRegression(max_iter=1000))])
    ncols = ["age", "fare", "pclass"]
    numeric.fit(train[ncols], y)
    save_case(index, "frame_numeric_names", numeric, rows[ncols], "passengers.json", "predict_proba", columns=ncols)
    index.append({"name": "frame_numeric_schema", "model": "frame_numeric_names", "method": "predict_proba", "input": "passengers.json",
                  "schema": "pclass:int64,fare:float,age:float"})

    # A numpy object array (no column names: x0, x1, ...): columns by index list, slice
    # and boolean mask; three classes.
    obj_cols = ["age", "city", "fare", "sex"]
    X_obj = train[obj_cols].astype(object).to_numpy()
    rows_obj = rows[obj_cols].astype(object).to_numpy()
    rows_obj = rows_obj[[i for i in range(len(rows_obj)) if isinstance(rows_obj[i, 1], str) and isinstance(rows_obj[i, 3], str)]]
    write_rows("objects.json", pd.DataFrame(rows_obj, columns=[f"x{i}" for i in range(4)]))
    objects = Pipeline([("ct", ColumnTransformer([("scale", StandardScaler(), [0, 2]), ("city", OneHotEncoder(handle_unknown="ignore"), slice(1, 2)),
                                                  ("sex", OrdinalEncoder(), [False, False, False, True])])),
                        ("lr", LogisticRegression(max_iter=1000))])
    objects.fit(X_obj, train["pclass"].to_numpy())
    save_case(index, "object_array_index", objects, rows_obj, "objects.json", "predict_proba")

    # Fixed-width numpy strings ('<U'): categories_ keep that dtype.
    X_u = train[["city", "deck"]].to_numpy().astype("<U8")
    rows_u = np.array([["Paris", "B"], ["Lima", "A"], ["Tokyo", "C"], ["Oslo", "Z"], ["Rome", "D"], ["London", "C"]], dtype="<U8")
    write_rows("fixed_width.json", pd.DataFrame(rows_u.astype(object), columns=["x0", "x1"]))
    fixed = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(X_u)
    save_case(index, "ordinal_fixed_width", fixed, rows_u, "fixed_width.json", "transform")

    # Infrequent categories: strings (an unknown city joins the infrequent column with
    # infrequent_if_exist), NaN as a category, drop after grouping, numbers.
    icols = ["city", "embarked"]
    save_case(index, "onehot_strings_infrequent", OneHotEncoder(min_frequency=8, handle_unknown="infrequent_if_exist", sparse_output=False).fit(train[icols]),
              rows[icols], "passengers.json", "transform")
    save_case(index, "onehot_infrequent_drop", OneHotEncoder(max_categories=3, drop="first", handle_unknown="infrequent_if_exist", sparse_output=False).fit(train[["city"]]),
              rows[["city"]], "passengers.json", "transform")
    save_case(index, "onehot_infrequent_ignore", OneHotEncoder(min_frequency=8, handle_unknown="ignore", sparse_output=False).fit(train[icols]),
              rows[icols], "passengers.json", "transform")
    save_case(index, "ordinal_strings_infrequent", OrdinalEncoder(max_categories=3, handle_unknown="use_encoded_value", unknown_value=-1).fit(train[icols]),
              rows[icols], "passengers.json", "transform")
    num_train = np.column_stack([rng.choice([1, 2, 3, 5, 8], size=60, p=[0.4, 0.3, 0.2, 0.05, 0.05]), rng.choice([0, 10, 20], size=60, p=[0.6, 0.35, 0.05])]).astype(float)
    num_rows = np.array([[1, 0], [2, 10], [3, 20], [5, 0], [8, 10], [4, 30], [1, 20]], dtype=float)
    write_rows("numbers.json", pd.DataFrame(num_rows, columns=["x0", "x1"]))
    save_case(index, "onehot_numeric_infrequent", OneHotEncoder(min_frequency=5, handle_unknown="infrequent_if_exist", sparse_output=False).fit(num_train),
              num_rows, "numbers.json", "transform", columns=["x0", "x1"])
    save_case(index, "ordinal_numeric_infrequent", OrdinalEncoder(min_frequency=5, handle_unknown="use_encoded_value", unknown_value=-1).fit(num_train),
              num_rows, "numbers.json", "transform", columns=["x0", "x1"])

    # Refused: categories that a string input cannot tell apart (None and NaN; "" and a
    # missing value); a string column passed through unencoded. Nothing in the fitted
    # ColumnTransformer says that the passed-through column held strings, so without a
    # schema it converts as a float column; with --input-schema saying so (its sidecar
    # FILE.convert.json, which `make demo` passes) it is refused.
    for name, est, fit_x, words, schema in [
        ("refused_none_and_nan", OneHotEncoder(), pd.DataFrame({"c": pd.Series(["a", None, np.nan, "b"], dtype=object)}), ["None and NaN"], None),
        ("refused_empty_and_missing", OneHotEncoder(), pd.DataFrame({"c": pd.Series(["a", "", np.nan, "b"], dtype="str")}), ["empty string", "missing"], None),
        ("refused_string_passthrough", ColumnTransformer([("num", StandardScaler(), ["age"])], remainder="passthrough"), train[["age", "city"]], ["'city'", "unencoded"],
         "age:float,city:string"),
    ]:
        est.fit(fit_x)
        save_pickle(name, est)
        refused.append({"name": name, "words": words, **({"schema": schema} if schema else {})})
        if schema:
            with open(os.path.join(ROOT, f"{name}.p4.pkl.convert.json"), "w") as fh:
                json.dump({"input-schema": schema}, fh)

    with open(os.path.join(ROOT, "INDEX.json"), "w") as fh:
        json.dump(index, fh, indent=1)
    with open(os.path.join(ROOT, "REFUSED.json"), "w") as fh:
        json.dump(refused, fh, indent=1)
    with open(os.path.join(ROOT, "VERSIONS.txt"), "w") as fh:
        fh.write(f"python {platform.python_version()}\nnumpy {np.__version__}\nscikit-learn {sklearn.__version__}\npandas {pd.__version__}\nseed {SEED}\n"
                 "regenerate: see the docstring of scripts/make_sklearn_mixed_fixtures.py\n")


if __name__ == "__main__":
    main()
