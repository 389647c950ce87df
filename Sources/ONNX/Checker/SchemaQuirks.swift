/// Facts of the onnx schema registry that the generated schema table
/// (`OpSchemaData.swift`) does not carry, so the checker keeps them here.
///
/// Each one is read from the onnx 1.23.2 sources (`onnx/checker.cc`,
/// `onnx/defs/nn/defs.cc`, `onnx/defs/nn/old.cc`).
enum SchemaQuirks {
    /// Removed experimental operators of the default domain. onnx's checker only warns
    /// about them and skips their schema check; so does this checker.
    static let experimentalOps: Set<String> = [
        "ATen", "Affine", "ConstantFill", "Crop", "DynamicSlice", "GRUUnit", "GivenTensorFill",
        "ImageScaler", "ParametricSoftplus", "Scale", "ScaledTanh",
    ]

    /// Domains in which an operator the registry does not know is an error. Operators of
    /// any other domain without a schema are custom and go unchecked.
    static let strictDomains: Set<String> = ["", "ai.onnx.ml", "ai.onnx.training"]

    /// Schemas declared with `AllowUncheckedAttributes()`: attributes they do not list
    /// are accepted.
    static func allowsUncheckedAttributes(_ s: OpSchema) -> Bool {
        s.domain == "" && s.name == "LayerNormalization" && s.sinceVersion == 17
    }

    /// Schemas declared with `NumOutputs({...})`: only these output counts are allowed
    /// (within the min/max range the table gives).
    static func allowedOutputCounts(_ s: OpSchema) -> Set<Int>? {
        guard s.domain == "", s.name == "BatchNormalization" else { return nil }
        switch s.sinceVersion {
        case 1, 6, 7, 9: return [1, 5]
        case 14, 15: return [1, 3]
        default: return nil
        }
    }
}
