/// The ai.onnx.ml operators.
let mlOperators: [any Operator.Type] = [
    TreeEnsemble.self, TreeEnsembleRegressor.self, TreeEnsembleClassifier.self,
    LinearClassifier.self, LinearRegressor.self, SVMClassifier.self, SVMRegressor.self,
    Normalizer.self, Scaler.self, ZipMap.self, LabelEncoder.self, OneHotEncoder.self,
    Imputer.self, Binarizer.self, ArrayFeatureExtractor.self, CategoryMapper.self,
    FeatureVectorizer.self, DictVectorizer.self, CastMap.self,
]
