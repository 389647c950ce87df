#!/usr/bin/env python3
"""skops copies of every scikit-learn fixture in Fixtures/python/sklearn_extra/INDEX.json
(<name>.skops beside <name>.p4.pkl). Each is the very estimator of the committed
<name>.p4.pkl (our own fixture, loaded with pickle), so scikit-learn's outputs already
committed beside it apply unchanged, and the converter must give the same graph from
both files. Among them are the skops node types the other fixtures do not reach:
SimpleImputer (DTypeNode), ColumnTransformer with a slice of columns (SliceNode),
HistGradientBoostingRegressor (RandomGeneratorNode) and HistGradientBoosting with
categorical features (PartialNode). Members are deflated (skops stores them
uncompressed by default, 10x larger). Versions go to VERSIONS-skops.txt.

    build-data/venv-py/bin/python scripts/make_skops_extra_fixtures.py
"""
import json, os, pickle, platform, zipfile
import sklearn, skops, skops.io as sio

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "python", "sklearn_extra")


def main():
    with open(os.path.join(ROOT, "INDEX.json")) as fh:
        NAMES = [entry["name"] for entry in json.load(fh)]
    for name in NAMES:
        with open(os.path.join(ROOT, name + ".p4.pkl"), "rb") as fh:
            estimator = pickle.load(fh)
        sio.dump(estimator, os.path.join(ROOT, name + ".skops"), compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    with open(os.path.join(ROOT, "VERSIONS-skops.txt"), "w") as fh:
        fh.write(f"python {platform.python_version()}\nscikit-learn {sklearn.__version__}\nskops {skops.__version__}\n"
                 f"files: <name>.skops for the {len(NAMES)} entries of INDEX.json (from the .p4.pkl of the same name)\n")


if __name__ == "__main__":
    main()
