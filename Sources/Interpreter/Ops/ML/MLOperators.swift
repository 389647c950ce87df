let mlOperators: [any Operator.Type] = [
    TreeEnsemble.self, TreeEnsembleRegressor.self, TreeEnsembleClassifier.self,
]
