/// Output types of the ai.onnx.ml operators, from their definitions in the ONNX-ML
/// specification. N is the batch dimension (dim 0 of a rank-2 input).
extension NodeInference {
    func inferML() throws -> [TypeProto?] {
        switch op {
        case "TreeEnsemble":
            return [try treeEnsemble()]
        case "TreeEnsembleRegressor":
            return [tensor(.float, [batch(), int("n_targets").map { .fixed($0) } ?? .unknown])]
        case "TreeEnsembleClassifier":
            let labels = classLabels(ints: "classlabels_int64s", strings: "classlabels_strings")
            return [tensor(labels.type, [batch()]), tensor(.float, [batch(), labels.count])]
        case "LinearClassifier":
            let labels = classLabels(ints: "classlabels_ints", strings: "classlabels_strings")
            return [tensor(labels.type, [batch()]), tensor(.float, [batch(), labels.count])]
        case "SVMClassifier":
            // The score width depends on the kernel mode and on probability estimates.
            let labels = classLabels(ints: "classlabels_ints", strings: "classlabels_strings")
            return [tensor(labels.type, [batch()]), tensor(.float, [batch(), .unknown])]
        case "LinearRegressor":
            return [tensor(.float, [batch(), .fixed(int("targets", 1))])]
        case "SVMRegressor":
            return [tensor(.float, [batch(), .fixed(1)])]
        case "ZipMap":
            let key: DataType = attributes["classlabels_strings"] != nil ? .string : .int64
            // Each value is a float scalar (as onnx's own inference writes it).
            let map = TypeProto(.map(keyType: key, value: .tensor(.float, [])))
            return [TypeProto(.sequence(elem: map))]
        case "Normalizer", "Scaler":
            return [tensor(.float, shape(0))]
        case "Binarizer", "Imputer":
            return [type(0)]
        case "ArrayFeatureExtractor":
            return [tensor(elem(0), arrayFeatureExtractor())]
        case "LabelEncoder":
            return [tensor(labelEncoderType(), shape(0))]
        case "CategoryMapper":
            let e: DataType? = elem(0) == .string ? .int64 : (elem(0) == .int64 ? .string : nil)
            return [tensor(e, shape(0))]
        case "OneHotEncoder":
            let n = (ints("cats_int64s")?.count ?? 0) + (attributes["cats_strings"]?.stringsValue?.count ?? 0)
            return [tensor(.float, shape(0).map { $0 + [.fixed(Int64(n))] })]
        case "FeatureVectorizer":
            let dims = ints("inputdimensions")
            return [tensor(.float, [batch(), dims.map { .fixed($0.reduce(0, +)) } ?? .unknown])]
        default:
            return []
        }
    }

    /// Dim 0 of a rank-2 input 0, else unknown.
    func batch() -> ShapeDimension {
        guard let s = shape(0), s.count == 2 else { return .unknown }
        return ShapeDimension(s[0].value)
    }

    /// The label type (int64 unless string labels are given) and the class count.
    func classLabels(ints intsName: String, strings stringsName: String) -> (type: DataType, count: ShapeDimension) {
        if let s = attributes[stringsName]?.stringsValue, !s.isEmpty { return (.string, .fixed(Int64(s.count))) }
        if let i = ints(intsName), !i.isEmpty { return (.int64, .fixed(Int64(i.count))) }
        return (.int64, .unknown)
    }

    /// TreeEnsemble (ml 5): the output has X's element type, and the split and leaf
    /// tensors must have it too.
    func treeEnsemble() throws -> TypeProto? {
        let e = elem(0)
        if let e, ![DataType.float, .double, .float16].contains(e) {
            throw GraphBuilderError.incompatibleTypes(op: op, node: node, reason: "X is \(e); TreeEnsemble takes float32, float64 or float16")
        }
        if let s = shape(0), s.count != 2 {
            throw ShapeConflict(reason: "TreeEnsemble X must have rank 2 [N, features], got \(TensorShape(s))")
        }
        for name in ["nodes_splits", "leaf_weights", "nodes_hitrates", "membership_values"] {
            if let t = attributes[name]?.tensorValue?.dataType, let e, t != e {
                throw invalid(name, "the tensor is \(t) but X is \(e); they must have the same element type")
            }
        }
        return tensor(e, [batch(), int("n_targets").map { .fixed($0) } ?? .unknown])
    }

    /// X [..., C] with C replaced by the number of indices; a 1-D X gives [1, count].
    func arrayFeatureExtractor() -> [ShapeDimension]? {
        guard let x = shape(0) else { return nil }
        var count: ShapeDimension = .unknown
        if let y = shape(1), let sizes = TensorShape(y).fixedSizes { count = .fixed(sizes.reduce(1, *)) }
        if x.count <= 1 { return [.fixed(1), count] }
        return Array(x.dropLast()) + [count]
    }

    func labelEncoderType() -> DataType? {
        if let t = attributes["values_tensor"]?.tensorValue?.dataType { return t }
        if attributes["values_strings"] != nil { return .string }
        if attributes["values_int64s"] != nil { return .int64 }
        if attributes["values_floats"] != nil { return .float }
        if opset == 1 { return elem(0) == .string ? .int64 : .string }
        return nil
    }
}
