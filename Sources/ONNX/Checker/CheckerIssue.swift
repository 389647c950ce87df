/// One structural rule of the ONNX specification that `Checker` enforces.
///
/// The raw values are stable, kebab-case identifiers: tests, fixture manifests
/// (`Fixtures/onnx/broken/MANIFEST.tsv`) and the command line refer to rules by them.
public enum CheckerRule: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// `ir_version` is missing, below 1, or newer than `Checker.maxIRVersion`.
    case irVersion = "ir-version"
    /// `opset_import` is missing (IR >= 3), present where it may not be (IR < 3), imports a
    /// domain twice, or has an entry without a usable version.
    case opsetImport = "opset-import"
    /// A function imports a domain at a version whose operator resolves to a different
    /// schema version than the version the model imports.
    case opsetCompatibility = "opset-compatibility"
    /// The model's `metadata_props` repeat a key.
    case metadataProps = "metadata-props"
    /// A field the specification requires is absent or empty: the model's graph, a graph
    /// name, a node's `op_type`, a value or attribute name, a function's name or domain.
    case requiredField = "required-field"
    /// A main-graph input or output lacks its type, or the type lacks a field it needs
    /// (element type, shape, map key/value type, opaque name).
    case valueInfo = "value-info"
    /// Single static assignment is violated: a name is defined twice (graph inputs,
    /// initializers, node outputs, function inputs/outputs, or a name visible from an
    /// enclosing graph).
    case ssa = "ssa"
    /// An initializer has no name, or (IR < 4) is not also a graph input.
    case initializerName = "initializer-name"
    /// A node reads a value that a later node (or the node itself) computes.
    case topologicalOrder = "topological-order"
    /// A node reads a value that is defined nowhere in scope.
    case undefinedInput = "undefined-input"
    /// A graph output (or function output) is not computed in that graph or function.
    case graphOutput = "graph-output"
    /// A node's domain is not in the model's (or its function's) `opset_import`.
    case nodeDomain = "node-domain"
    /// An operator in a standard domain does not exist at the imported opset version.
    case unknownOp = "unknown-op"
    /// The operator version in force at the imported opset is deprecated.
    case deprecatedOp = "deprecated-op"
    /// A node's inputs do not fit the schema: too few, too many, or a required input
    /// left empty.
    case inputCount = "input-count"
    /// A node's outputs do not fit the schema (or the node has neither inputs nor
    /// outputs).
    case outputCount = "output-count"
    /// An attribute that the schema marks required is missing.
    case requiredAttribute = "required-attribute"
    /// An attribute that the schema does not define is present.
    case unknownAttribute = "unknown-attribute"
    /// An attribute's `type` is missing or unknown, disagrees with the value field that is
    /// set or with the schema, or the attribute sets more than one value field.
    case attributeType = "attribute-type"
    /// A node (or function) lists the same attribute name twice.
    case duplicateAttribute = "duplicate-attribute"
    /// A tensor's `data_type` is missing, UNDEFINED or not a type the specification defines.
    case tensorDataType = "tensor-data-type"
    /// A tensor's data does not hold exactly the number of elements its dims call for
    /// (or the dims are negative or overflow).
    case tensorDataSize = "tensor-data-size"
    /// A tensor stores its data in the wrong place: several value fields, the wrong typed
    /// field for its type, strings in `raw_data`, or invalid bits in packed 6-bit data.
    case tensorDataField = "tensor-data-field"
    /// An externally stored tensor also holds inline data, or its `location` is missing,
    /// empty, absolute or leaves the model's folder, or its offset/length is not a number.
    case externalData = "external-data"
    /// A sparse tensor's values, indices or dense shape are malformed.
    case sparseTensor = "sparse-tensor"
    /// Model-local functions: ids defined twice, recursive calls, or functions in a model
    /// whose IR version predates them.
    case localFunction = "local-function"
    /// Subgraphs nest deeper than `Checker.maxSubgraphDepth`.
    case nestingDepth = "nesting-depth"

    /// The raw value.
    public var description: String { rawValue }

    /// One line saying what the rule requires.
    public var summary: String {
        switch self {
        case .irVersion: return "ir_version is set, at least 1 and at most \(Checker.maxIRVersion)"
        case .opsetImport: return "opset_import is given (IR >= 3), once per domain, with versions"
        case .opsetCompatibility: return "a function's opset imports resolve its operators like the model's imports do"
        case .metadataProps: return "metadata_props keys are unique"
        case .requiredField: return "required names and fields are present and non-empty"
        case .valueInfo: return "main-graph inputs and outputs have complete types"
        case .ssa: return "every value name is defined once"
        case .initializerName: return "initializers are named (and are graph inputs before IR 4)"
        case .topologicalOrder: return "nodes come after the nodes whose outputs they read"
        case .undefinedInput: return "every node input is defined in scope"
        case .graphOutput: return "graph and function outputs are computed inside them"
        case .nodeDomain: return "node domains are imported"
        case .unknownOp: return "standard-domain operators exist at the imported opset"
        case .deprecatedOp: return "operators are not deprecated at the imported opset"
        case .inputCount: return "node inputs fit the operator schema"
        case .outputCount: return "node outputs fit the operator schema"
        case .requiredAttribute: return "required attributes are present"
        case .unknownAttribute: return "attributes are defined by the operator schema"
        case .attributeType: return "attribute types are set and agree with their values and the schema"
        case .duplicateAttribute: return "attribute names are unique per node and function"
        case .tensorDataType: return "tensor data types are set and known"
        case .tensorDataSize: return "tensor data holds exactly the elements the dims call for"
        case .tensorDataField: return "tensor data lives in exactly the field its type calls for"
        case .externalData: return "external tensor data has a safe relative location and no inline data"
        case .sparseTensor: return "sparse tensors have rank-1 values, int64 in-range sorted indices, positive dims"
        case .localFunction: return "local function ids are unique, calls are not recursive, IR >= 8"
        case .nestingDepth: return "subgraphs nest at most \(Checker.maxSubgraphDepth) deep"
        }
    }
}

/// A violation of one structural rule, found by `Checker`.
///
/// `location` says where, from the outside in, for example
/// `graph 'main' node 3 'Add_1' (Add)`; nested graphs are separated by ` > `.
public struct CheckerIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule that is violated.
    public var rule: CheckerRule
    /// What is wrong, naming the value, attribute or field involved.
    public var message: String
    /// Where in the model: graph, node index and name, op type, attribute, tensor.
    public var location: String

    /// An issue of `rule` at `location`.
    public init(rule: CheckerRule, message: String, location: String) {
        self.rule = rule
        self.message = message
        self.location = location
    }

    /// `message (location) [rule]`, the form the command line prints.
    public var description: String { "\(message) (\(location)) [\(rule.rawValue)]" }
}
