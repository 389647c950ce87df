#!/usr/bin/env python3
"""Extra scikit-learn fixtures for the converters (Fixtures/python/sklearn_extra):
GradientBoostingClassifier with log_loss (binary and 3 classes) and exponential loss,
each saved as pickle protocol 4 (skops is covered by Fixtures/python/sklearn; its
uncompressed tree members would make these files 30x larger), with X.npy and scikit-learn's predict and
predict_proba on it. Versions and the seed are written to VERSIONS.txt.

    python3 -m venv build-data/venv-py
    build-data/venv-py/bin/pip install numpy==2.4.6 scikit-learn==1.9.1 joblib==1.6.0 skops==0.16.0
    build-data/venv-py/bin/python scripts/make_sklearn_extra_fixtures.py
"""
import os, pickle, platform, warnings
import numpy as np
import sklearn, skops, skops.io as sio
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Perceptron, Ridge, RidgeClassifier, SGDClassifier, SGDRegressor
from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR, NuSVR, OneClassSVM
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.cluster import KMeans
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.naive_bayes import BernoulliNB, MultinomialNB
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, PolynomialFeatures, RobustScaler
from sklearn.feature_selection import VarianceThreshold
from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier, BaggingRegressor, VotingClassifier, VotingRegressor
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.preprocessing import Binarizer, MaxAbsScaler, MinMaxScaler, Normalizer
import json

SEED = 20251201
ROOT = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "python", "sklearn_extra")


def target_encoders():
    """TargetEncoder on integer categories (one with NaN among them) for continuous,
    binary and multiclass targets, transformed on rows with unknown categories and NaN."""
    from sklearn.preprocessing import TargetEncoder
    index = []
    rng = np.random.default_rng(SEED + 11)
    cats = rng.integers(0, 4, size=(90, 2)).astype(float)
    cats[::7, 1] = np.nan
    y_cont = cats[:, 0] * 1.5 + np.nan_to_num(cats[:, 1]) + rng.normal(size=90)
    y_bin = (y_cont > np.median(y_cont)).astype(int)
    y_multi = np.digitize(y_cont, np.quantile(y_cont, [0.33, 0.66]))
    test = np.array([[0, 1], [3, np.nan], [5, 2], [1, 7], [2, 3], [-1, 0], [np.nan, 1]], dtype=float)
    np.save(os.path.join(ROOT, "X_target_encoder.npy"), test)
    for name, y in [("target_encoder_continuous", y_cont), ("target_encoder_binary", y_bin), ("target_encoder_multiclass", y_multi)]:
        est = TargetEncoder(random_state=SEED).fit(cats, y)
        save_case(index, name, est, "X_target_encoder.npy", "transform")
    return index


def decompositions(X, X3):
    """KernelPCA in each converted kernel, and FastICA with and without whitening."""
    from sklearn.decomposition import FastICA, KernelPCA
    index = []
    for name, est in [("kernel_pca_rbf", KernelPCA(n_components=3, kernel="rbf", gamma=0.2)),
                      ("kernel_pca_rbf_default_gamma", KernelPCA(n_components=2, kernel="rbf")),
                      ("kernel_pca_poly", KernelPCA(n_components=3, kernel="poly", degree=2, gamma=0.1, coef0=0.5)),
                      ("kernel_pca_sigmoid", KernelPCA(n_components=2, kernel="sigmoid", gamma=0.05, coef0=0.1)),
                      ("kernel_pca_linear", KernelPCA(n_components=3, kernel="linear")),
                      ("kernel_pca_cosine", KernelPCA(n_components=3, kernel="cosine")),
                      ("fast_ica", FastICA(n_components=3, random_state=SEED, max_iter=1000)),
                      ("fast_ica_no_whiten", FastICA(n_components=4, whiten=False, random_state=SEED, max_iter=1000))]:
        est.fit(X3[:40])
        save_case(index, name, est, "X.npy", "transform")
    return index


def nmf_cases(X):
    """NMF.transform with the coordinate-descent solver: default settings, L1 and L2
    penalties on W (alpha_W, l1_ratio), few iterations (stopped by max_iter, not tol),
    and a loose tol. Fitted and transformed on non-negative data (|X|, and rows with
    zeros, which start at the projected-gradient edge). The 'mu' solver and shuffle=True
    are among the refused fitted states."""
    from sklearn.decomposition import NMF
    index = []
    fit = np.abs(X[:40]) + 0.1
    test = np.abs(X)
    test[::5, 1] = 0
    test[3] = 0
    np.save(os.path.join(ROOT, "X_nmf.npy"), test)
    for name, est in [("nmf", NMF(n_components=3, init="nndsvda", random_state=SEED, max_iter=500)),
                      ("nmf_penalised", NMF(n_components=2, init="nndsvd", alpha_W=0.01, l1_ratio=0.5, random_state=SEED, max_iter=500)),
                      ("nmf_few_iterations", NMF(n_components=4, init="random", random_state=SEED, max_iter=5)),
                      ("nmf_loose_tol", NMF(n_components=3, init="nndsvdar", tol=0.05, random_state=SEED, max_iter=300))]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # ConvergenceWarning, on purpose for nmf_few_iterations
            est.fit(fit)
            save_case(index, name, est, "X_nmf.npy", "transform")
    return index


def sgd_probabilities(X, X2, y2, X3, y3):
    """SGDClassifier's predict_proba for the losses that have one (log_loss, one vs rest
    normalised; modified_huber, clipped, with uniform rows where every class clips to 0),
    binary and 3 classes. The input is X scaled up so that some scores clip, plus rows
    where every modified_huber class score is at most -1 (the uniform case)."""
    index = []
    cases = [("sgd_log_binary", "log_loss", X2, y2), ("sgd_log_multiclass", "log_loss", X3, y3),
             ("sgd_huber_binary", "modified_huber", X2, y2), ("sgd_huber_multiclass", "modified_huber", X3, y3)]
    fitted = [(name, SGDClassifier(loss=loss, random_state=SEED, max_iter=2000, tol=None).fit(Xt, yt)) for name, loss, Xt, yt in cases]
    huber3 = fitted[3][1]
    rng = np.random.default_rng(SEED + 7)
    candidates = rng.normal(size=(20000, X.shape[1])) * 4
    uniform = candidates[(huber3.decision_function(candidates) <= -1).all(axis=1)][:3]
    Xs = np.vstack([X * 3, uniform])
    np.save(os.path.join(ROOT, "X_sgd.npy"), Xs)
    for name, est in fitted:
        save_case(index, name, est, "X_sgd.npy", "predict_proba")
    return index


def save_pickle(filename, est):
    """Pickles `est` (protocol 4) to ROOT/filename."""
    with open(os.path.join(ROOT, filename), "wb") as fh:
        pickle.dump(est, fh, protocol=4)


def save_case(index, name, est, data, method, **extra):
    """Pickles a fitted estimator with scikit-learn's outputs on the saved input `data`
    (`method`, and predict when it has one), and adds its INDEX.json entry."""
    inputs = np.load(os.path.join(ROOT, data))
    save_pickle(f"{name}.p4.pkl", est)
    if method != "predict":
        np.save(os.path.join(ROOT, f"{name}.{method}.npy"), getattr(est, method)(inputs))
    if hasattr(est, "predict"):
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(inputs))
    index.append({"name": name, "method": method, "input": data, **extra})


# --- Naive Bayes (categorical), discriminant and mixture models, ensembles of other
# estimators (branch sk-ensembles-others). Each case: pickle 4, scikit-learn's outputs on
# its input, one INDEX.json entry; "output": "label" marks a classifier compared on its
# labels alone (it has no predict_proba or decision_function).
def ensembles_and_others(X, X2, y2, X3, y3, Xr, yr):
    from sklearn.naive_bayes import CategoricalNB
    index = []

    def save(name, est, data, method, **extra):
        save_case(index, name, est, data, method, **extra)

    # CategoricalNB: integer codes; min_categories widens feature 1's table to 5 codes
    # (training saw 0-2). The input has codes 3 and 4 there, known only through
    # min_categories, and non-integers that scikit-learn truncates toward zero (1.7 -> 1,
    # -0.5 -> 0, 2.9 -> 2).
    Xcat_train = np.round(np.abs(X3) * 1.5) % 3
    Xcat = np.round(np.abs(X) * 1.5) % 3
    Xcat[:, 1] = np.arange(len(X)) % 5
    Xcat[0, 0], Xcat[1, 2], Xcat[2, 3] = 1.7, -0.5, 2.9
    np.save(os.path.join(ROOT, "X_categorical_nb.npy"), Xcat)
    save("categorical_nb", CategoricalNB(alpha=0.7, min_categories=[2, 5, 3, 3]).fit(Xcat_train, y3), "X_categorical_nb.npy", "predict_proba")
    np.save(os.path.join(ROOT, "X_categorical_nb_binary.npy"), np.clip(Xcat, -0.5, 2))
    save("categorical_nb_binary", CategoricalNB().fit(np.round(np.abs(X2) * 1.5) % 3, y2), "X_categorical_nb_binary.npy", "predict_proba")

    # QuadraticDiscriminantAnalysis: svd with reg_param (folded into scalings_), given
    # priors, binary, and the eigen solver with shrinkage.
    from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis as QDA
    save("qda", QDA(reg_param=0.1).fit(X3, y3), "X.npy", "predict_proba")
    save("qda_priors", QDA(priors=[0.5, 0.3, 0.2]).fit(X3, y3), "X.npy", "predict_proba")
    save("qda_binary", QDA().fit(X2, y2), "X.npy", "predict_proba")
    save("qda_eigen", QDA(solver="eigen", shrinkage=0.3).fit(X3, y3), "X.npy", "predict_proba")

    # GaussianMixture in each covariance type; predict gives component indices.
    from sklearn.mixture import GaussianMixture
    for cov in ["full", "tied", "diag", "spherical"]:
        save(f"gmm_{cov}", GaussianMixture(n_components=3, covariance_type=cov, random_state=SEED).fit(X3), "X.npy", "predict_proba")

    # NearestCentroid: uniform priors predict by the raw nearest centroid, empirical ones
    # (an unbalanced subset) by the normalised discriminant; manhattan has predict alone.
    from sklearn.neighbors import NearestCentroid
    keep = [i for i in range(len(y3)) if y3[i] != 2] + [i for i in range(len(y3)) if y3[i] == 2][:12]
    Xu, yu = X3[keep], y3[keep]
    save("nearest_centroid", NearestCentroid().fit(X3, y3), "X.npy", "predict_proba")
    save("nearest_centroid_empirical", NearestCentroid(priors="empirical", shrink_threshold=0.2).fit(Xu, yu), "X.npy", "predict_proba")
    save("nearest_centroid_manhattan", NearestCentroid(metric="manhattan").fit(X3, y3), "X.npy", "predict", output="label")
    save("nearest_centroid_manhattan_empirical", NearestCentroid(metric="manhattan", priors="empirical").fit(Xu, yu), "X.npy", "predict", output="label")

    # Hard voting: members with probabilities, scores or labels alone; weights with a
    # dropped member; two equal members, whose disagreements are ties that go to the
    # smaller class index.
    members = lambda: [("lr", LogisticRegression(max_iter=500)), ("nb", GaussianNB()), ("tree", DecisionTreeClassifier(max_depth=2, random_state=SEED)),
                       ("svc", LinearSVC(random_state=SEED)), ("centroid", NearestCentroid(metric="manhattan"))]
    save("voting_hard", VotingClassifier(members(), voting="hard").fit(X3, y3), "X.npy", "predict", output="label")
    save("voting_hard_weights", VotingClassifier(members(), voting="hard", weights=[0.7, 1.1, 0.4, 2.5, 0.3]).set_params(nb="drop").fit(X3, y3),
         "X.npy", "predict", output="label")
    save("voting_hard_tie", VotingClassifier([("tree", DecisionTreeClassifier(max_depth=1, random_state=SEED)), ("nb", GaussianNB())], voting="hard").fit(X3, y3),
         "X.npy", "predict", output="label")

    # Stacking: "auto" stack methods (predict_proba, decision_function), binary stacks that
    # drop the first probability column, passthrough, stack_method="predict" on
    # classifiers, a final estimator with decision_function alone, and a regressor.
    from sklearn.ensemble import StackingClassifier, StackingRegressor
    from sklearn.tree import DecisionTreeRegressor
    save("stacking", StackingClassifier([("lr", LogisticRegression(max_iter=500)), ("svc", LinearSVC(random_state=SEED)),
                                         ("tree", DecisionTreeClassifier(max_depth=2, random_state=SEED))],
                                        final_estimator=LogisticRegression(max_iter=500), cv=3).fit(X3, y3), "X.npy", "predict_proba")
    save("stacking_binary_passthrough", StackingClassifier([("nb", GaussianNB()), ("svc", SVC(kernel="rbf")), ("knn", KNeighborsClassifier(n_neighbors=5))],
                                                           final_estimator=LogisticRegression(max_iter=500), passthrough=True, cv=3).fit(X2[:40], y2[:40]), "X.npy", "predict_proba")
    save("stacking_predict_method", StackingClassifier([("tree", DecisionTreeClassifier(max_depth=2, random_state=SEED)), ("lr", LogisticRegression(max_iter=500))],
                                                       final_estimator=GaussianNB(), stack_method="predict", cv=3).fit(X3, y3), "X.npy", "predict_proba")
    save("stacking_final_svc", StackingClassifier([("nb", GaussianNB()), ("tree", DecisionTreeClassifier(max_depth=2, random_state=SEED))],
                                                  final_estimator=LinearSVC(random_state=SEED), cv=3).fit(X3, y3), "X.npy", "decision_function")
    save("stacking_regressor", StackingRegressor([("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3, random_state=SEED)), ("knn", KNeighborsRegressor(n_neighbors=4))],
                                                 final_estimator=Ridge(alpha=0.5), passthrough=True, cv=3).fit(Xr[:40], yr[:40]), "X.npy", "predict")

    # Refused (not in INDEX.json; the tests expect an error naming the attribute):
    # LogisticRegression's decision_function, which its converter does not produce.
    refused = StackingClassifier([("lr", LogisticRegression(max_iter=500)), ("tree", DecisionTreeClassifier(max_depth=2, random_state=SEED))],
                                 stack_method="decision_function", cv=3)
    save_pickle("refused_stacking_decision.p4.pkl", refused.set_params(tree=LinearSVC(random_state=SEED)).fit(X3, y3))

    # CalibratedClassifierCV: sigmoid and isotonic, on decision_function (LinearSVC, one
    # and several columns) and on predict_proba (GaussianNB, a tree: no decision_function),
    # cross-validated ensembles and ensemble=False.
    from sklearn.calibration import CalibratedClassifierCV as Calibrated
    save("calibrated_sigmoid", Calibrated(LinearSVC(random_state=SEED), cv=3).fit(X3, y3), "X.npy", "predict_proba")
    save("calibrated_sigmoid_binary", Calibrated(LinearSVC(random_state=SEED), cv=3, ensemble=False).fit(X2, y2), "X.npy", "predict_proba")
    save("calibrated_isotonic_binary", Calibrated(GaussianNB(), method="isotonic", cv=2).fit(X2[:60], y2[:60]), "X.npy", "predict_proba")
    save("calibrated_pipeline", Calibrated(Pipeline([("scale", StandardScaler()), ("nb", GaussianNB())]), method="isotonic", cv=2).fit(X3[:60], y3[:60]),
         "X.npy", "predict_proba")
    save("calibrated_isotonic_tree", Calibrated(DecisionTreeClassifier(max_depth=2, random_state=SEED), method="isotonic", cv=2).fit(X3[:60], y3[:60]), "X.npy", "predict_proba")
    for name, est in [("refused_calibrated_temperature", Calibrated(GaussianNB(), method="temperature", cv=2)),
                      ("refused_calibrated_logreg", Calibrated(LogisticRegression(max_iter=500), cv=2))]:
        save_pickle(f"{name}.p4.pkl", est.fit(X3, y3))

    # AdaBoostRegressor: the weighted median of its members (trees with linear and square
    # loss; Ridge members with exponential loss on a target with a nonlinear part).
    from sklearn.ensemble import AdaBoostRegressor
    from sklearn.tree import DecisionTreeRegressor
    save("adaboost_regressor", AdaBoostRegressor(DecisionTreeRegressor(max_depth=2), n_estimators=5, random_state=SEED).fit(Xr[:60], yr[:60]), "X.npy", "predict")
    save("adaboost_regressor_square", AdaBoostRegressor(DecisionTreeRegressor(max_depth=2), n_estimators=4, loss="square", random_state=SEED).fit(Xr[:60], yr[:60]),
         "X.npy", "predict")
    save("adaboost_regressor_ridge", AdaBoostRegressor(Ridge(alpha=1.0), n_estimators=4, loss="exponential", random_state=SEED).fit(Xr, yr + np.sin(Xr[:, 0]) * 3),
         "X.npy", "predict")
    return index


# --- SVC/NuSVC probabilities, IsolationForest, HistGradientBoosting's categorical splits,
# soft voting with a dropped member (branch sk-svm-trees). Each case: pickle 4,
# scikit-learn's outputs on its input, one INDEX.json entry.
def svm_probabilities_and_trees(X, X2, y2, X3, y3):
    import warnings
    from sklearn.svm import NuSVC
    from sklearn.tree import DecisionTreeRegressor
    index = []

    def save(name, est, data, method, **extra):
        save_case(index, name, est, data, method, **extra)

    # probability=True (deprecated in 1.9, still fitted): Platt sigmoids per class pair and
    # libsvm's iterative pairwise coupling, which also runs for two classes. X4 has four
    # classes (six pairs).
    X4, y4 = make_classification(n_samples=80, n_features=4, n_informative=3, n_redundant=0, n_classes=4, n_clusters_per_class=1, random_state=SEED + 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        for name, est, Xt, yt in [
            ("svc_proba_binary_rbf", SVC(kernel="rbf", probability=True, random_state=SEED), X2, y2),
            ("svc_proba_binary_linear", SVC(kernel="linear", C=0.5, probability=True, random_state=SEED), X2, y2),
            ("svc_proba_multiclass_rbf", SVC(kernel="rbf", probability=True, random_state=SEED), X3, y3),
            ("svc_proba_multiclass_linear", SVC(kernel="linear", C=0.5, probability=True, random_state=SEED), X3, y3),
            ("nusvc_proba_4class_rbf", NuSVC(nu=0.3, probability=True, random_state=SEED), X4, y4),
        ]:
            save(name, est.fit(Xt, yt), "X.npy", "predict_proba")

    # IsolationForest: decision_function as `scores`, predict as `label`; leaves of
    # several samples add c(n_node_samples); max_features=2 fits each tree on a feature
    # subset; the third is fitted on data with NaN and run on X_nan.npy.
    from sklearn.ensemble import IsolationForest
    X3_nan = X3.copy()
    X3_nan[::4, 1] = np.nan
    X3_nan[2::7, 3] = np.nan
    save("isolation_forest", IsolationForest(n_estimators=5, max_samples=24, random_state=SEED).fit(X3), "X.npy", "decision_function")
    save("isolation_forest_features", IsolationForest(n_estimators=5, max_samples=20, max_features=2, contamination=0.25, random_state=SEED).fit(X3),
         "X.npy", "decision_function")
    save("isolation_forest_nan", IsolationForest(n_estimators=5, max_samples=24, contamination=0.2, random_state=SEED).fit(X3_nan), "X_nan.npy", "decision_function")
    save("isolation_forest_pipeline", Pipeline([("scale", StandardScaler()), ("forest", IsolationForest(n_estimators=4, max_samples=16, random_state=SEED))]).fit(X3),
         "X.npy", "decision_function")

    # HistGradientBoosting with categorical_features: columns 0 and 2 hold category codes
    # (non-contiguous: 0, 2, 3, 5, 9 and 1, 4, 6, 7), fitted with NaN among them; the input
    # X_hgb_categories.npy adds unseen codes, a non-integer (2.5), a negative code, -0.0
    # and NaN, which scikit-learn sends the missing direction (or, for -0.0, reads as 0).
    rng = np.random.default_rng(SEED + 3)
    n = 200
    c0 = rng.choice([0, 2, 3, 5, 9], size=n).astype(float)
    c2 = rng.choice([1, 4, 6, 7], size=n).astype(float)
    num = rng.normal(size=(n, 2))
    Xc = np.column_stack([c0, num[:, 0], c2, num[:, 1]])
    Xc[::11, 0] = np.nan
    Xc[5::13, 2] = np.nan
    yc_reg = np.where(np.isin(c0, [2, 9]), 2.0, -1.0) + np.where(c2 == 6, 1.5, 0.0) + num[:, 0] + 0.1 * rng.normal(size=n)
    yc_cls = (yc_reg > 0.5).astype(int) + (yc_reg > 2.0).astype(int)
    Xq = np.column_stack([rng.choice([0, 2, 3, 5, 9], size=24).astype(float), rng.normal(size=24), rng.choice([1, 4, 6, 7], size=24).astype(float), rng.normal(size=24)])
    Xq[0, 0], Xq[1, 0], Xq[2, 0], Xq[3, 0], Xq[4, 0], Xq[5, 0] = 4.0, 2.5, -1.0, -0.0, np.nan, 11.0
    Xq[6, 2], Xq[7, 2], Xq[8, 2], Xq[9, 2] = 0.0, 6.5, np.nan, 300.0
    np.save(os.path.join(ROOT, "X_hgb_categories.npy"), Xq)
    save("hgb_categorical_regressor", HistGradientBoostingRegressor(max_iter=6, max_leaf_nodes=6, categorical_features=[0, 2], random_state=SEED).fit(Xc, yc_reg),
         "X_hgb_categories.npy", "predict")
    save("hgb_categorical_classifier", HistGradientBoostingClassifier(max_iter=4, max_leaf_nodes=5, categorical_features=[0, 2], random_state=SEED).fit(Xc, yc_cls),
         "X_hgb_categories.npy", "predict_proba")
    save("hgb_categorical_binary", HistGradientBoostingClassifier(max_iter=5, max_leaf_nodes=5, categorical_features=[True, False, True, False], random_state=SEED).fit(Xc, yc_cls > 0),
         "X_hgb_categories.npy", "predict_proba")

    # Soft VotingClassifier and VotingRegressor with weights and a member set to "drop":
    # the weights of the dropped members are left out (_weights_not_none).
    members = [("lr", LogisticRegression(max_iter=500)), ("nb", GaussianNB()), ("tree", DecisionTreeClassifier(max_depth=3, random_state=SEED))]
    save("voting_soft_drop_weights", VotingClassifier(members, voting="soft", weights=[0.6, 3.0, 1.7]).set_params(nb="drop").fit(X3, y3), "X.npy", "predict_proba")
    Xr, yr = X3, X3 @ np.array([1.5, -2.0, 0.5, 3.0]) + 0.25
    save("voting_regressor_drop_weights", VotingRegressor([("lr", LinearRegression()), ("ridge", Ridge(alpha=2.0)), ("tree", DecisionTreeRegressor(max_depth=3, random_state=SEED))],
                                                          weights=[2.0, 5.0, 0.5]).set_params(ridge="drop").fit(Xr, yr), "X.npy", "predict")

    # SVC's decision_function_shape="ovo" (the pair decisions as scores) and break_ties
    # (predict is the argmax of the "ovr" scores, not the vote): X_svc_ties.npy keeps the
    # rows of a grid where the three pairwise votes tie, and some where they do not.
    grid = np.random.default_rng(SEED + 4).normal(size=(20000, 4)) * 1.2
    ties = SVC(kernel="rbf", break_ties=True).fit(X3, y3)
    differs = ties.predict(grid) != SVC(kernel="rbf").fit(X3, y3).predict(grid)
    Xt = np.concatenate([grid[differs][:10], grid[~differs][:6]])
    np.save(os.path.join(ROOT, "X_svc_ties.npy"), Xt)
    save("svc_break_ties", ties, "X_svc_ties.npy", "decision_function")
    save("svc_ovo", SVC(kernel="rbf", decision_function_shape="ovo").fit(X3, y3), "X_svc_ties.npy", "decision_function")

    # A decision of exactly 0 (symmetric training points, linear kernel, the input at the
    # origin): libsvm's predict votes class j for it (its test is `dec > 0`), while the
    # "ovr" scores count it for class i.
    Xz = np.array([[0.0, 0.0], [0.0, 1.0], [0.0, -1.0], [1.0, 0.0], [-0.5, 0.25]])
    np.save(os.path.join(ROOT, "X_svc_zero.npy"), Xz)
    save("svc_zero_decision_binary", SVC(kernel="linear").fit(np.array([[-1.0, 0], [1, 0], [-2, 0], [2, 0]]), np.array([0, 1, 0, 1])),
         "X_svc_zero.npy", "decision_function")
    save("svc_zero_decision_multiclass", SVC(kernel="linear").fit(np.array([[-1.0, 0], [1, 0], [0, 1.5], [-2, 0], [2, 0], [0, 2.5]]), np.array([0, 1, 2, 0, 1, 2])),
         "X_svc_zero.npy", "decision_function")

    # Refused (not in INDEX.json): HistGradientBoosting categories that are no whole
    # numbers, which the tree IR's category sets cannot hold.
    Xf = Xc[:, :2].copy()
    Xf[:, 0] = np.where(np.isnan(Xf[:, 0]), np.nan, Xf[:, 0] + 0.5)
    save_pickle("refused_hgb_fractional_categories.p4.pkl", HistGradientBoostingRegressor(max_iter=2, max_leaf_nodes=4, categorical_features=[0], random_state=SEED).fit(Xf, yc_reg))
    return index


def main():
    os.makedirs(ROOT, exist_ok=True)
    X3, y3 = make_classification(n_samples=120, n_features=4, n_informative=3, n_redundant=0, n_classes=3, random_state=SEED)
    X2, y2 = make_classification(n_samples=120, n_features=4, n_informative=3, n_redundant=0, n_classes=2, random_state=SEED + 1)
    rng = np.random.default_rng(SEED)
    X = rng.normal(size=(16, 4)) * 1.5
    np.save(os.path.join(ROOT, "X.npy"), X)
    cases = {
        "gbc_binary": (GradientBoostingClassifier(n_estimators=4, max_depth=2, random_state=SEED), X2, y2),
        "gbc_multiclass": (GradientBoostingClassifier(n_estimators=4, max_depth=2, random_state=SEED), X3, y3),
        "gbc_exponential": (GradientBoostingClassifier(n_estimators=4, max_depth=2, loss="exponential", random_state=SEED), X2, y2),
    }
    for name, (est, Xt, yt) in cases.items():
        est.fit(Xt, yt)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        np.save(os.path.join(ROOT, f"{name}.predict_proba.npy"), est.predict_proba(X))
    # Transformers and regressors: scikit-learn's transform / predict on X (and on a copy
    # of X with NaNs for the imputer).
    Xr, yr = X3, X3 @ np.array([1.5, -2.0, 0.5, 3.0]) + 0.25
    Xnan = X.copy()
    Xnan[::3, 1] = np.nan
    Xnan[1::4, 3] = np.nan
    np.save(os.path.join(ROOT, "X_nan.npy"), Xnan)
    Xr_nan = Xr.copy()
    Xr_nan[::5, 1] = np.nan
    index = []
    for name, est, fit_x, method, data in [
        ("minmax", MinMaxScaler(), Xr, "transform", "X.npy"),
        ("maxabs", MaxAbsScaler(), Xr, "transform", "X.npy"),
        ("normalizer_l2", Normalizer(norm="l2"), Xr, "transform", "X.npy"),
        ("normalizer_l1", Normalizer(norm="l1"), Xr, "transform", "X.npy"),
        ("normalizer_max", Normalizer(norm="max"), Xr, "transform", "X.npy"),
        ("binarizer", Binarizer(threshold=0.3), Xr, "transform", "X.npy"),
        ("imputer_mean", SimpleImputer(strategy="mean"), Xr_nan, "transform", "X_nan.npy"),
        ("imputer_median", SimpleImputer(strategy="median"), Xr_nan, "transform", "X_nan.npy"),
        ("imputer_constant", SimpleImputer(strategy="constant", fill_value=-7.5), Xr_nan, "transform", "X_nan.npy"),
        ("pca", PCA(n_components=3, random_state=SEED), Xr, "transform", "X.npy"),
        ("pca_whiten", PCA(n_components=2, whiten=True, random_state=SEED), Xr, "transform", "X.npy"),
        ("linreg", LinearRegression(), Xr, "predict", "X.npy"),
        ("ridge", Ridge(alpha=0.5), Xr, "predict", "X.npy"),
        ("lasso", Lasso(alpha=0.05), Xr, "predict", "X.npy"),
    ]:
        if method == "predict":
            est.fit(fit_x, yr)
        else:
            est.fit(fit_x)
        inputs = np.load(os.path.join(ROOT, data))
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.{method}.npy"), getattr(est, method)(inputs))
        index.append({"name": name, "method": method, "input": data})
    # Linear classifiers without predict_proba: decision_function and predict.
    for name, est, Xt, yt in [
        ("linearsvc_binary", LinearSVC(random_state=SEED), X2, y2),
        ("linearsvc_multiclass", LinearSVC(random_state=SEED), X3, y3),
        ("ridgeclassifier", RidgeClassifier(), X3, y3),
        ("perceptron", Perceptron(random_state=SEED), X2, y2),
        ("sgd_hinge", SGDClassifier(loss="hinge", random_state=SEED), X3, y3),
    ]:
        est.fit(Xt, yt)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.decision_function.npy"), est.decision_function(X))
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "decision_function", "input": "X.npy"})
    for name, est, Xt, yt in [("gaussian_nb", GaussianNB(), X3, y3), ("gaussian_nb_binary", GaussianNB(), X2, y2)]:
        est.fit(Xt, yt)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict_proba.npy"), est.predict_proba(X))
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "predict_proba", "input": "X.npy"})
    for name, est, Xt, yt in [
        ("mlp_multiclass_relu", MLPClassifier(hidden_layer_sizes=(8, 6), max_iter=300, random_state=SEED), X3, y3),
        ("mlp_binary_tanh", MLPClassifier(hidden_layer_sizes=(5,), activation="tanh", max_iter=300, random_state=SEED), X2, y2),
        ("mlp_multiclass_logistic", MLPClassifier(hidden_layer_sizes=(6,), activation="logistic", max_iter=300, random_state=SEED), X3, y3),
    ]:
        est.fit(Xt, yt)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict_proba.npy"), est.predict_proba(X))
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "predict_proba", "input": "X.npy"})
    for name, est in [("mlp_regressor_relu", MLPRegressor(hidden_layer_sizes=(7,), max_iter=300, random_state=SEED)),
                      ("mlp_regressor_identity", MLPRegressor(hidden_layer_sizes=(4,), activation="identity", max_iter=300, random_state=SEED))]:
        est.fit(Xr, yr)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "predict", "input": "X.npy"})
    km = KMeans(n_clusters=3, n_init=3, random_state=SEED).fit(Xr)
    save_pickle("kmeans.p4.pkl", km)
    np.save(os.path.join(ROOT, "kmeans.transform.npy"), km.transform(X))
    np.save(os.path.join(ROOT, "kmeans.predict.npy"), km.predict(X))
    index.append({"name": "kmeans", "method": "transform", "input": "X.npy"})
    for name, est, Xt, yt in [("knn_uniform", KNeighborsClassifier(n_neighbors=5), X3, y3),
                              ("knn_distance_p1", KNeighborsClassifier(n_neighbors=4, weights="distance", p=1), X3, y3)]:
        est.fit(Xt, yt)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict_proba.npy"), est.predict_proba(X))
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "predict_proba", "input": "X.npy"})
    knr = KNeighborsRegressor(n_neighbors=3, weights="distance").fit(Xr, yr)
    save_pickle("knn_regressor.p4.pkl", knr)
    np.save(os.path.join(ROOT, "knn_regressor.predict.npy"), knr.predict(X))
    index.append({"name": "knn_regressor", "method": "predict", "input": "X.npy"})
    composites = [
        ("feature_union", FeatureUnion([("scale", StandardScaler()), ("pca", PCA(n_components=2, random_state=SEED))])),
        ("column_transformer", ColumnTransformer([("scale", StandardScaler(), [0, 2]), ("minmax", MinMaxScaler(), slice(1, 2))], remainder="passthrough")),
        ("column_transformer_drop", ColumnTransformer([("pca", PCA(n_components=1, random_state=SEED), [True, False, True, True])], remainder="drop")),
    ]
    for name, est in composites:
        est.fit(Xr)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.transform.npy"), est.transform(X))
        index.append({"name": name, "method": "transform", "input": "X.npy"})
    ct_pipe = Pipeline([("ct", ColumnTransformer([("scale", StandardScaler(), [0, 1]), ("pass", "passthrough", [3])])),
                        ("lr", LogisticRegression(max_iter=500))]).fit(X3, y3)
    save_pickle("column_pipeline.p4.pkl", ct_pipe)
    np.save(os.path.join(ROOT, "column_pipeline.predict_proba.npy"), ct_pipe.predict_proba(X))
    np.save(os.path.join(ROOT, "column_pipeline.predict.npy"), ct_pipe.predict(X))
    index.append({"name": "column_pipeline", "method": "predict_proba", "input": "X.npy"})
    # HistGradientBoosting trained on data with NaNs: the missing-value routing skl2onnx drops.
    X3n, X2n = X3.copy(), X2.copy()
    X3n[::4, 0] = np.nan
    X2n[::3, 2] = np.nan
    yrn = yr.copy()
    for name, est, Xt, yt, method in [
        ("hgb_regressor", HistGradientBoostingRegressor(max_iter=5, max_depth=3, random_state=SEED), X3n, yrn, "predict"),
        ("hgb_binary", HistGradientBoostingClassifier(max_iter=5, max_depth=3, random_state=SEED), X2n, y2, "predict_proba"),
        ("hgb_multiclass", HistGradientBoostingClassifier(max_iter=4, max_depth=3, random_state=SEED), X3n, y3, "predict_proba"),
    ]:
        est.fit(Xt, yt)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.{method}.npy"), getattr(est, method)(Xnan))
        if method == "predict_proba":
            np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(Xnan))
        index.append({"name": name, "method": method, "input": "X_nan.npy"})
    for name, est in [("svr_rbf", SVR(kernel="rbf", C=2.0)), ("svr_poly", SVR(kernel="poly", degree=3, coef0=0.5)),
                      ("svr_linear", SVR(kernel="linear")), ("svr_sigmoid", SVR(kernel="sigmoid", gamma=0.1)), ("nusvr_rbf", NuSVR())]:
        est.fit(Xr, yr)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "predict", "input": "X.npy"})
    for name, est in [("svc_binary_rbf", SVC(kernel="rbf")), ("svc_binary_poly", SVC(kernel="poly", degree=2))]:
        est.fit(X2, y2)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.decision_function.npy"), est.decision_function(X))
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "decision_function", "input": "X.npy"})
    for name, est in [("svc_multiclass_rbf", SVC(kernel="rbf")), ("svc_multiclass_linear", SVC(kernel="linear", C=0.5))]:
        est.fit(X3, y3)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.decision_function.npy"), est.decision_function(X))
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "decision_function", "input": "X.npy"})
    oc = OneClassSVM(gamma=0.3, nu=0.2).fit(Xr)
    save_pickle("oneclass_svm.p4.pkl", oc)
    np.save(os.path.join(ROOT, "oneclass_svm.decision_function.npy"), oc.decision_function(X))
    np.save(os.path.join(ROOT, "oneclass_svm.predict.npy"), oc.predict(X))
    index.append({"name": "oneclass_svm", "method": "decision_function", "input": "X.npy"})
    for name, est in [("robust", RobustScaler()), ("variance_threshold", VarianceThreshold(threshold=1.0)),
                      ("poly2", PolynomialFeatures(degree=2)), ("poly3_interaction", PolynomialFeatures(degree=3, interaction_only=True, include_bias=False)),
                      ("kbins_ordinal", KBinsDiscretizer(n_bins=4, encode="ordinal", strategy="quantile", quantile_method="averaged_inverted_cdf")),
                      ("kbins_uniform", KBinsDiscretizer(n_bins=3, encode="ordinal", strategy="uniform"))]:
        est.fit(Xr)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.transform.npy"), est.transform(X))
        index.append({"name": name, "method": "transform", "input": "X.npy"})
    vote = VotingClassifier([("lr", LogisticRegression(max_iter=500)), ("nb", GaussianNB()), ("tree", DecisionTreeClassifier(max_depth=3, random_state=SEED))],
                            voting="soft").fit(X3, y3)
    save_pickle("voting_soft.p4.pkl", vote)
    np.save(os.path.join(ROOT, "voting_soft.predict_proba.npy"), vote.predict_proba(X))
    np.save(os.path.join(ROOT, "voting_soft.predict.npy"), vote.predict(X))
    index.append({"name": "voting_soft", "method": "predict_proba", "input": "X.npy"})
    for name, est, Xt, yt in [
        ("bagging_trees", BaggingClassifier(DecisionTreeClassifier(max_depth=3), n_estimators=4, max_features=0.75, random_state=SEED), X3, y3),
        ("bagging_logreg", BaggingClassifier(LogisticRegression(max_iter=500), n_estimators=3, max_features=3, random_state=SEED), X3, y3),
        ("adaboost_multiclass", AdaBoostClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=4, random_state=SEED), X3, y3),
        ("adaboost_binary", AdaBoostClassifier(n_estimators=5, random_state=SEED), X2, y2),
    ]:
        est.fit(Xt, yt)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict_proba.npy"), est.predict_proba(X))
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "predict_proba", "input": "X.npy"})
    # String class labels.
    names = np.array(["setosa", "versicolor", "virginica"])
    for name, est in [("logreg_strings", LogisticRegression(max_iter=500)), ("gnb_strings", GaussianNB()),
                      ("svc_strings", SVC(kernel="rbf"))]:
        est.fit(X3, names[y3])
        save_pickle(f"{name}.p4.pkl", est)
        method = "decision_function" if name.startswith("svc") else "predict_proba"
        np.save(os.path.join(ROOT, f"{name}.{method}.npy"), getattr(est, method)(X))
        with open(os.path.join(ROOT, f"{name}.predict.json"), "w") as fh:
            json.dump([str(v) for v in est.predict(X)], fh)
        index.append({"name": name, "method": method, "input": "X.npy", "labels": "strings"})
    breg = BaggingRegressor(Ridge(), n_estimators=3, max_features=2, random_state=SEED).fit(Xr, yr)
    save_pickle("bagging_regressor.p4.pkl", breg)
    np.save(os.path.join(ROOT, "bagging_regressor.predict.npy"), breg.predict(X))
    index.append({"name": "bagging_regressor", "method": "predict", "input": "X.npy"})
    vreg = VotingRegressor([("lr", LinearRegression()), ("ridge", Ridge(alpha=2.0))]).fit(Xr, yr)
    save_pickle("voting_regressor.p4.pkl", vreg)
    np.save(os.path.join(ROOT, "voting_regressor.predict.npy"), vreg.predict(X))
    index.append({"name": "voting_regressor", "method": "predict", "input": "X.npy"})
    Xcount = np.abs(np.round(X * 2))
    np.save(os.path.join(ROOT, "X_counts.npy"), Xcount)
    Xc3 = np.abs(np.round(X3 * 2))
    Xcat = np.round(np.abs(X) * 1.5) % 4
    np.save(os.path.join(ROOT, "X_categories.npy"), Xcat)
    Xcat_train = np.round(np.abs(X3) * 1.5) % 3
    for name, est, Xt, yt, data in [
        ("lda", LinearDiscriminantAnalysis(), X3, y3, "X.npy"),
        ("lda_binary", LinearDiscriminantAnalysis(), X2, y2, "X.npy"),
        ("multinomial_nb", MultinomialNB(alpha=0.5), Xc3, y3, "X_counts.npy"),
        ("bernoulli_nb", BernoulliNB(binarize=0.5), X3, y3, "X.npy"),
        ("dummy_prior", DummyClassifier(strategy="prior"), X3, y3, "X.npy"),
    ]:
        est.fit(Xt, yt)
        inputs = np.load(os.path.join(ROOT, data))
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict_proba.npy"), est.predict_proba(inputs))
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(inputs))
        index.append({"name": name, "method": "predict_proba", "input": data})
    dr = DummyRegressor(strategy="mean").fit(Xr, yr)
    save_pickle("dummy_mean.p4.pkl", dr)
    np.save(os.path.join(ROOT, "dummy_mean.predict.npy"), dr.predict(X))
    index.append({"name": "dummy_mean", "method": "predict", "input": "X.npy"})
    ohe = OneHotEncoder(handle_unknown="ignore").fit(Xcat_train)
    save_pickle("onehot.p4.pkl", ohe)
    np.save(os.path.join(ROOT, "onehot.transform.npy"), ohe.transform(Xcat).toarray())
    index.append({"name": "onehot", "method": "transform", "input": "X_categories.npy"})
    for name, est in [("linearsvr", LinearSVR(random_state=SEED, max_iter=5000)), ("sgd_regressor", SGDRegressor(random_state=SEED))]:
        est.fit(Xr, yr)
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.predict.npy"), est.predict(X))
        index.append({"name": name, "method": "predict", "input": "X.npy"})
    index += ensembles_and_others(X, X2, y2, X3, y3, Xr, yr)
    linear_and_transformer_cases(index, X, Xr, yr, y3)
    index += svm_probabilities_and_trees(X, X2, y2, X3, y3)
    index += sgd_probabilities(X, X2, y2, X3, y3)
    index += decompositions(X, X3)
    index += nmf_cases(X)
    index += target_encoders()
    with open(os.path.join(ROOT, "INDEX.json"), "w") as fh:
        json.dump(index, fh, indent=1)
    with open(os.path.join(ROOT, "VERSIONS.txt"), "w") as fh:
        fh.write(f"python {platform.python_version()}\nnumpy {np.__version__}\nscikit-learn {sklearn.__version__}\n"
                 f"skops {skops.__version__}\nseed {SEED}\nregenerate: see the docstring of scripts/make_sklearn_extra_fixtures.py\n")


# ---- Linear regressors and transformers (branch sk-linear-transformers) ----------------
def linear_and_transformer_cases(index, X, Xr, yr, y3):
    """Appends to `index` the fixtures of the linear regressors (least angle, Bayesian,
    robust, GLMs, RANSAC) and of the transformers added with them."""
    from sklearn import linear_model as lm

    def save(name, est, method, data):
        inputs = np.load(os.path.join(ROOT, data))
        save_pickle(f"{name}.p4.pkl", est)
        np.save(os.path.join(ROOT, f"{name}.{method}.npy"), getattr(est, method)(inputs))
        index.append({"name": name, "method": method, "input": data})

    rng = np.random.default_rng(SEED + 7)
    noisy = yr + rng.normal(scale=0.5, size=yr.shape)
    # Positive targets for the GLMs with a log link: a log-linear mean, plus noise.
    y_pos = np.exp(0.2 * (Xr @ np.array([0.5, -0.3, 0.2, 0.4]))) * rng.gamma(4.0, 0.25, size=len(Xr))
    y_two = np.column_stack([noisy, 0.5 * noisy - Xr[:, 0]])
    for name, est, yt in [
        ("lars", lm.Lars(n_nonzero_coefs=3), noisy),
        ("lars_two_targets", lm.Lars(), y_two),
        ("lasso_lars", lm.LassoLars(alpha=0.05), noisy),
        ("lasso_lars_ic", lm.LassoLarsIC(criterion="bic"), noisy),
        ("omp", lm.OrthogonalMatchingPursuit(n_nonzero_coefs=2), noisy),
        ("bayesian_ridge", lm.BayesianRidge(), noisy),
        ("ard", lm.ARDRegression(), noisy),
        ("huber", lm.HuberRegressor(epsilon=1.2), noisy),
        ("quantile_regressor", lm.QuantileRegressor(quantile=0.7, alpha=0.01), noisy),
        ("theil_sen", lm.TheilSenRegressor(max_subpopulation=200, random_state=SEED), noisy),
        ("ransac_ridge", lm.RANSACRegressor(lm.Ridge(alpha=0.3), min_samples=20, random_state=SEED), noisy),
        ("poisson", lm.PoissonRegressor(alpha=0.1), y_pos),
        ("gamma", lm.GammaRegressor(alpha=0.1), y_pos),
        ("tweedie_log", lm.TweedieRegressor(power=1.5, alpha=0.1), y_pos),
        ("tweedie_identity", lm.TweedieRegressor(power=0, alpha=0.1), noisy),
    ]:
        est.fit(Xr, yt)
        save(name, est, "predict", "X.npy")

    from sklearn import feature_selection as fs
    from sklearn.decomposition import IncrementalPCA, TruncatedSVD
    from sklearn.impute import MissingIndicator
    Xr_missing = Xr.copy()
    Xr_missing[::4, 1] = np.nan
    Xr_missing[2::7, 3] = np.nan
    # Column 3 a copy of column 1: equal scores, so the selectors' tie rules decide.
    Xr_tied = Xr.copy()
    Xr_tied[:, 3] = Xr_tied[:, 1]
    for name, est, fit_x, fit_y, data in [
        ("missing_indicator", MissingIndicator(), Xr_missing, None, "X_nan.npy"),
        ("missing_indicator_all", MissingIndicator(features="all"), Xr_missing, None, "X_nan.npy"),
        ("truncated_svd", TruncatedSVD(n_components=2, random_state=SEED), Xr, None, "X.npy"),
        ("incremental_pca", IncrementalPCA(n_components=3, batch_size=40), Xr, None, "X.npy"),
        ("incremental_pca_whiten", IncrementalPCA(n_components=2, whiten=True, batch_size=50), Xr, None, "X.npy"),
        ("select_k_best", fs.SelectKBest(fs.f_regression, k=2), Xr, noisy, "X.npy"),
        ("select_k_best_ties", fs.SelectKBest(fs.f_classif, k=3), Xr_tied, y3, "X.npy"),
        ("select_percentile", fs.SelectPercentile(fs.f_classif, percentile=40), Xr, y3, "X.npy"),
        ("select_percentile_ties", fs.SelectPercentile(fs.f_classif, percentile=75), Xr_tied, y3, "X.npy"),
        ("select_fpr", fs.SelectFpr(fs.f_classif, alpha=0.05), Xr, y3, "X.npy"),
        ("select_fdr", fs.SelectFdr(fs.f_classif, alpha=0.05), Xr, y3, "X.npy"),
        ("select_fwe", fs.SelectFwe(fs.f_classif, alpha=0.05), Xr, y3, "X.npy"),
        ("generic_univariate_k_best", fs.GenericUnivariateSelect(fs.f_regression, mode="k_best", param=3), Xr, noisy, "X.npy"),
        ("rfe", fs.RFE(lm.LinearRegression(), n_features_to_select=2), Xr, noisy, "X.npy"),
        ("rfecv", fs.RFECV(lm.Ridge(), cv=3), Xr, y3, "X.npy"),
        ("sequential_selector", fs.SequentialFeatureSelector(lm.LinearRegression(), n_features_to_select=2, cv=3), Xr, noisy, "X.npy"),
        # A small coef_ above 1e-5 and below the mean: kept by the default threshold after L1.
        ("select_from_lasso", fs.SelectFromModel(lm.Lasso(alpha=1.2)), Xr, noisy, "X.npy"),
        ("select_from_logreg_median", fs.SelectFromModel(lm.LogisticRegression(max_iter=500), threshold="median", norm_order=1), Xr, y3, "X.npy"),
        ("select_from_ridge_scaled", fs.SelectFromModel(lm.Ridge(), threshold="0.5*mean", max_features=2), Xr, noisy, "X.npy"),
    ]:
        est.fit(fit_x, fit_y)
        save(name, est, "transform", data)

    from sklearn.preprocessing import PowerTransformer, QuantileTransformer
    np.save(os.path.join(ROOT, "X_positive.npy"), np.exp(X / 3))
    # Rounded values repeat: repeated quantiles, hit exactly by the rounded input.
    np.save(os.path.join(ROOT, "X_rounded.npy"), np.round(X))
    # lambdas_ set by hand to the values where scipy switches to log1p (0 and 2 for
    # yeo-johnson, 0 for box-cox); transform is scikit-learn's own on that state.
    yj_special = PowerTransformer(standardize=False).fit(Xr)
    yj_special.lambdas_ = np.array([0.0, 2.0, 1.0, 0.5])
    bc_special = PowerTransformer(method="box-cox", standardize=False).fit(np.exp(Xr / 3))
    bc_special.lambdas_ = np.array([0.0, 1.5, -0.5, 0.3])
    for name, est, fit_x, data in [
        ("power_yeo_johnson", PowerTransformer(), Xr, "X.npy"),
        ("power_yeo_johnson_raw", PowerTransformer(standardize=False), Xr, "X.npy"),
        ("power_yeo_johnson_special", yj_special, None, "X.npy"),
        ("power_box_cox", PowerTransformer(method="box-cox"), np.exp(Xr / 3), "X_positive.npy"),
        ("power_box_cox_special", bc_special, None, "X_positive.npy"),
        ("quantile_uniform", QuantileTransformer(n_quantiles=40), Xr, "X.npy"),
        ("quantile_normal", QuantileTransformer(output_distribution="normal"), Xr, "X.npy"),
        ("quantile_uniform_repeats", QuantileTransformer(n_quantiles=30), np.round(Xr), "X_rounded.npy"),
        ("quantile_normal_repeats", QuantileTransformer(n_quantiles=30, output_distribution="normal"), np.round(Xr), "X_rounded.npy"),
        # NaN passes through both transformers.
        ("quantile_normal_nan", QuantileTransformer(n_quantiles=50, output_distribution="normal"), Xr, "X_nan.npy"),
        ("quantile_uniform_nan", QuantileTransformer(n_quantiles=50), Xr, "X_nan.npy"),
        ("power_yeo_johnson_nan", PowerTransformer(), Xr, "X_nan.npy"),
    ]:
        if fit_x is not None:
            est.fit(fit_x)
        save(name, est, "transform", data)

    from sklearn.preprocessing import SplineTransformer
    # Inside the training range, for extrapolation="error" (which raises outside it).
    np.save(os.path.join(ROOT, "X_in_range.npy"), np.clip(X, Xr.min(axis=0), Xr.max(axis=0)))
    for name, est, fit_x, data in [
        ("spline_constant", SplineTransformer(n_knots=4, degree=3), Xr, "X.npy"),
        ("spline_linear_no_bias", SplineTransformer(n_knots=5, degree=2, extrapolation="linear", include_bias=False), Xr, "X.npy"),
        ("spline_linear_degree1", SplineTransformer(n_knots=4, degree=1, extrapolation="linear"), Xr, "X.npy"),
        ("spline_continue_quantile", SplineTransformer(n_knots=5, degree=3, knots="quantile", extrapolation="continue"), Xr, "X.npy"),
        ("spline_periodic", SplineTransformer(n_knots=5, degree=3, extrapolation="periodic"), Xr, "X.npy"),
        ("spline_two_knots", SplineTransformer(n_knots=2, degree=2, extrapolation="continue"), Xr, "X.npy"),
        ("spline_missing_zeros", SplineTransformer(n_knots=4, degree=2, handle_missing="zeros"), Xr_missing, "X_nan.npy"),
        ("spline_error_in_range", SplineTransformer(n_knots=4, degree=3, extrapolation="error"), Xr, "X_in_range.npy"),
    ]:
        est.fit(fit_x)
        save(name, est, "transform", data)
    # The new transformers chained in a pipeline ending in a GLM.
    chained = Pipeline([("quantile", QuantileTransformer(n_quantiles=30)), ("spline", SplineTransformer(n_knots=3, degree=2)),
                        ("select", fs.SelectKBest(fs.f_regression, k=6)), ("poisson", lm.PoissonRegressor(alpha=0.05))])
    chained.fit(Xr, y_pos)
    save("pipeline_quantile_spline_poisson", chained, "predict", "X.npy")
    from sklearn.preprocessing import OrdinalEncoder
    from sklearn.decomposition import NMF
    cat_train = np.round(np.abs(Xr) * 1.5) % 3
    cat_all = np.round(np.abs(Xr) * 1.5) % 4
    cat_train_nan, cat_all_nan = cat_train.copy(), cat_all.copy()
    cat_train_nan[::6, 1] = np.nan
    cat_all_nan[::5, 2] = np.nan
    cat_all_nan[::7, 1] = np.nan
    Xcat_nan = np.load(os.path.join(ROOT, "X_categories.npy"))
    Xcat_nan[::3, 1] = np.nan
    Xcat_nan[1::4, 2] = np.nan
    np.save(os.path.join(ROOT, "X_categories_nan.npy"), Xcat_nan)
    # Fitted states the converters refuse; REFUSED.json names the words each error must contain.
    # (Infrequent categories and string categories are converted now: scripts/make_sklearn_mixed_fixtures.py.)
    refused = []
    Xr_clean = Xr.copy()
    for name, est, fit_x, fit_y, words in [
        ("refused_missing_indicator_none", MissingIndicator(), Xr_clean, None, ["features_", "no column had missing values"]),
        ("refused_select_k_best_zero", fs.SelectKBest(fs.f_classif, k=0), Xr, y3, ["SelectKBest", "keeps no feature"]),
        ("refused_select_from_tree", fs.SelectFromModel(DecisionTreeClassifier(max_depth=2, random_state=SEED)), Xr, y3, ["SelectFromModel", "DecisionTreeClassifier", "coef_"]),
        ("refused_nmf_mu", NMF(n_components=2, solver="mu", random_state=SEED, max_iter=300), np.abs(Xr), None, ["NMF", "solver", "mu"]),
        ("refused_nmf_shuffle", NMF(n_components=2, shuffle=True, random_state=SEED, max_iter=300), np.abs(Xr), None, ["NMF", "shuffle"]),
    ]:
        est.fit(fit_x, fit_y)
        save_pickle(f"{name}.p4.pkl", est)
        refused.append({"name": name, "words": words})
    with open(os.path.join(ROOT, "REFUSED.json"), "w") as fh:
        json.dump(refused, fh, indent=1)
    for name, est, fit_x, data in [
        # Category 3 is unknown to the encoder.
        ("ordinal_unknown_value", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), cat_train, "X_categories.npy"),
        # NaN a category of column 1 (encoded -2), unknown in column 2 (encoded -1).
        ("ordinal_missing", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2), cat_train_nan, "X_categories_nan.npy"),
        # Every input value known; NaN (a category of columns 1 and 2) stays NaN, the default encoded_missing_value.
        ("ordinal_nan", OrdinalEncoder(), cat_all_nan, "X_categories_nan.npy"),
        # NaN is a category of column 1 (its own output column) and unknown in column 2 (a zero row part).
        ("onehot_nan", OneHotEncoder(handle_unknown="ignore", sparse_output=False), cat_train_nan, "X_categories_nan.npy"),
        ("onehot_drop_first", OneHotEncoder(drop="first", sparse_output=False), cat_all, "X_categories.npy"),
        # if_binary drops only in two-category features; unknown categories are zero rows.
        ("onehot_drop_if_binary", OneHotEncoder(drop="if_binary", handle_unknown="ignore", sparse_output=False),
         np.column_stack([cat_train[:, 0], (cat_train[:, 1] > 0).astype(float), cat_train[:, 2:]]),
         "X_categories.npy"),
    ]:
        est.fit(fit_x)
        save(name, est, "transform", data)


if __name__ == "__main__":
    main()
