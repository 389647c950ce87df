import Foundation
import Interpreter
import ONNX
import TreeEnsembles

/// The outcome of comparing a converted tree model with the native evaluator.
public struct VerificationReport: Sendable, Equatable, CustomStringConvertible {
    /// Rows run through both.
    public var rowsChecked: Int
    /// Output values compared (predictions, scores or probabilities).
    public var valuesCompared: Int
    /// The largest |ONNX - evaluator| over the compared values.
    public var maxAbsError: Double
    /// Values outside the tolerance.
    public var valuesOutsideTolerance: Int
    /// Labels compared (classifiers).
    public var labelsCompared: Int
    /// Labels that differ where the evaluator's probabilities are not tied.
    public var labelsDiffering: Int
    /// Labels that differ between classes whose probabilities tie within the tolerance
    /// (not failures: float32 rounding may order them either way).
    public var labelTies: Int
    /// (row, tree) leaf choices compared; 0 when the model's tree op could not be read.
    public var leafChoicesChecked: Int
    /// (row, tree) pairs where the ONNX trees reached another leaf than the evaluator.
    public var leafChoicesDiffering: Int
    /// Rows with at least one differing leaf choice.
    public var rowsWithDifferingLeaves: Int
    /// The first difference found, for the error message.
    public var firstDifference: String?
    /// The tolerance used: |got - expected| <= absolute + relative * |expected|.
    public var tolerance: TreeVerification.Tolerance

    /// True when nothing differs.
    public var passed: Bool { valuesOutsideTolerance == 0 && labelsDiffering == 0 && leafChoicesDiffering == 0 }

    /// One line: rows, max abs error, differing decisions, verdict.
    public var summary: String {
        var parts = ["verified \(rowsChecked) rows", "max abs error \(Self.format(maxAbsError))"]
        if valuesOutsideTolerance > 0 { parts.append("\(valuesOutsideTolerance) of \(valuesCompared) values outside tolerance") }
        if labelsCompared > 0 {
            parts.append("\(labelsDiffering) of \(labelsCompared) labels differ" + (labelTies > 0 ? " (\(labelTies) ties)" : ""))
        }
        if leafChoicesChecked > 0 {
            parts.append("\(leafChoicesDiffering) of \(leafChoicesChecked) leaf choices differ")
        } else {
            parts.append("leaf choices not checked")
        }
        var line = parts.joined(separator: ", ") + (passed ? ": OK" : ": MISMATCH")
        if !passed, let first = firstDifference { line += " (first: \(first))" }
        return line
    }

    /// The summary.
    public var description: String { summary }

    static func format(_ v: Double) -> String {
        v == 0 ? "0" : String(format: "%.3g", v)
    }
}

/// Why verification could not run.
public enum TreeVerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The ONNX model has no graph input to feed.
    case noInput
    /// The graph input is not float32 or float64.
    case inputType(String)
    /// An output the task needs is missing or has the wrong element count or type.
    case output(name: String, reason: String)

    /// One line.
    public var description: String {
        switch self {
        case .noInput: return "the ONNX model has no graph input to feed (graph.input)"
        case .inputType(let t): return "the ONNX model's input is \(t); tree models take float32 or float64 (graph.input[0])"
        case .output(let n, let r): return "output '\(n)': \(r) (graph.output)"
        }
    }
}

/// Runs a converted tree model in the interpreter and compares it with
/// `TreeEnsembleEvaluator`, output by output and leaf by leaf.
public enum TreeVerification {
    /// |got - expected| <= absolute + relative * |expected|.
    public struct Tolerance: Sendable, Equatable {
        /// The absolute part.
        public var absolute: Double
        /// The relative part.
        public var relative: Double
        /// A tolerance.
        public init(absolute: Double, relative: Double) {
            self.absolute = absolute
            self.relative = relative
        }
        /// float32 outputs: 1e-5 + 1e-5 * |expected|.
        public static let float32 = Tolerance(absolute: 1e-5, relative: 1e-5)

        /// Whether `got` is close enough to `expected` (NaN matches NaN, infinities
        /// match themselves).
        public func accepts(_ got: Double, _ expected: Double) -> Bool {
            if got == expected { return true }
            if got.isNaN || expected.isNaN { return got.isNaN && expected.isNaN }
            return abs(got - expected) <= absolute + relative * abs(expected)
        }
    }

    /// Verifies with float32 rows (converted exactly when the model takes float64), or
    /// with the model's probe rows when `rows` is nil (`probeRows` for float32 inputs,
    /// `probeRowsFloat64` for float64 inputs).
    ///
    /// - Parameters:
    ///   - model: the tree IR the ONNX model was made from.
    ///   - onnx: the ONNX model (as written and read back).
    ///   - rows: the rows, each `model.featureCount` values.
    ///   - tolerance: for output values (default float32).
    /// - Returns: the report; `passed` says whether everything agreed.
    /// - Throws: `TreeEnsembleError` (invalid model, bad row width),
    ///   `TreeVerificationError`, `InterpreterError` when the interpreter cannot run it.
    public static func verify(model: TreeEnsembleModel, onnx: ONNX.Model, rows: [[Float]]?,
                              tolerance: Tolerance = .float32) throws -> VerificationReport {
        let input = try graphInput(onnx)
        switch input.type {
        case .float:
            return try run(model: model, onnx: onnx, inputName: input.name, rows: try rows ?? model.probeRows(limit: probeRowLimit(model)), tolerance: tolerance)
        default:
            let doubles = try rows.map { $0.map { $0.map(Double.init) } } ?? model.probeRowsFloat64(limit: probeRowLimit(model))
            return try run(model: model, onnx: onnx, inputName: input.name, rows: doubles, tolerance: tolerance)
        }
    }

    /// How many probe rows verification uses: 4096, fewer for large ensembles so that
    /// rows x trees stays near 2^20 walks (each side walks every row through every
    /// tree), and never below 512.
    public static func probeRowLimit(_ model: TreeEnsembleModel) -> Int {
        min(4096, max(512, (1 << 20) / max(1, model.trees.count)))
    }

    /// Verifies with float64 rows; the model must take float64 input.
    ///
    /// - Throws: as `verify(model:onnx:rows:tolerance:)`; `TreeVerificationError.inputType`
    ///   for a float32 model (round the rows yourself to say how).
    public static func verify(model: TreeEnsembleModel, onnx: ONNX.Model, float64Rows rows: [[Double]],
                              tolerance: Tolerance = .float32) throws -> VerificationReport {
        let input = try graphInput(onnx)
        guard input.type == .double else { throw TreeVerificationError.inputType("\(input.type) (float64 rows need a float64 input)") }
        return try run(model: model, onnx: onnx, inputName: input.name, rows: rows, tolerance: tolerance)
    }

    static func graphInput(_ onnx: ONNX.Model) throws -> (name: String, type: DataType) {
        let g = onnx.graph ?? Graph()
        let initialized = Set(g.initializer.compactMap(\.name))
        guard let first = g.input.first(where: { $0.name.map { !initialized.contains($0) } ?? false }), let name = first.name else {
            throw TreeVerificationError.noInput
        }
        let t = first.type?.tensorElementType
        guard t == .float || t == .double, let type = t else { throw TreeVerificationError.inputType(t.map { "\($0)" } ?? "not a tensor") }
        return (name, type)
    }

    static func feed<T: TreeInputScalar>(_ rows: [[T]], featureCount: Int) -> TensorValue {
        let flat = rows.flatMap { $0 }
        if let f = flat as? [Float] { return TensorValue(floats: f, shape: [rows.count, featureCount]) }
        return TensorValue(doubles: flat.map(\.float64Value), shape: [rows.count, featureCount])
    }

    static func run<T: TreeInputScalar>(model: TreeEnsembleModel, onnx: ONNX.Model, inputName: String, rows: [[T]],
                                        tolerance: Tolerance, expected known: TreeEnsembleBatchPrediction? = nil,
                                        prepared: (session: Session, leafMap: LeafMap?)? = nil) throws -> VerificationReport {
        let expected = try known ?? TreeEnsembleEvaluator(model).predictBatch(rows: rows)
        var report = VerificationReport(rowsChecked: rows.count, valuesCompared: 0, maxAbsError: 0, valuesOutsideTolerance: 0,
                                        labelsCompared: 0, labelsDiffering: 0, labelTies: 0, leafChoicesChecked: 0,
                                        leafChoicesDiffering: 0, rowsWithDifferingLeaves: 0, firstDifference: nil, tolerance: tolerance)
        if rows.isEmpty { return report }
        let x = feed(rows, featureCount: model.featureCount)
        // One pass: the outputs, and which leaf each row reached in each tree.
        let leafMap = try prepared.map { $0.leafMap } ?? LeafMap(onnx: onnx, model: model)
        let session = try prepared?.session ?? Session(model: onnx)
        let outputs: [String: Value]
        var trace: TreeLeafTrace? = nil
        if let leafMap {
            (outputs, trace) = try session.run([inputName: .tensor(x)], tracingLeavesOf: leafMap.nodeName)
        } else {
            outputs = try session.run([inputName: .tensor(x)])
        }
        func tensor(_ name: String) throws -> TensorValue {
            guard let v = outputs[name]?.tensor else { throw TreeVerificationError.output(name: name, reason: "the model has no such tensor output") }
            return v
        }
        func note(_ s: String) { if report.firstDifference == nil { report.firstDifference = s } }

        // Output values.
        let valueName: String
        switch model.task {
        case .regression: valueName = TreeEnsembleLowering.OutputName.predictions
        case .scores: valueName = TreeEnsembleLowering.OutputName.scores
        case .classification: valueName = TreeEnsembleLowering.OutputName.probabilities
        }
        let width = model.outputColumnCount
        let got = try tensor(valueName).doubles()
        guard got.count == rows.count * width else {
            throw TreeVerificationError.output(name: valueName, reason: "\(got.count) values for \(rows.count) rows of \(width)")
        }
        for r in 0..<rows.count {
            for c in 0..<width {
                let g = got[r * width + c], want = expected.value(row: r, column: c)
                report.valuesCompared += 1
                let diff = abs(g - want)
                if diff.isFinite { report.maxAbsError = max(report.maxAbsError, diff) }
                if !tolerance.accepts(g, want) {
                    report.valuesOutsideTolerance += 1
                    note("row \(r) \(valueName)[\(c)]: ONNX \(g), evaluator \(want)")
                }
            }
        }

        // Labels.
        if case .classification(let labels) = model.task {
            let t = try tensor(TreeEnsembleLowering.OutputName.label)
            let gotIndex: [Int?]
            switch labels {
            case .integers(let a):
                let v = try t.int64s()
                gotIndex = v.map { a.firstIndex(of: $0) }
            case .strings(let a):
                let v = try t.strings()
                gotIndex = v.map { a.firstIndex(of: $0) }
            }
            guard gotIndex.count == rows.count else {
                throw TreeVerificationError.output(name: TreeEnsembleLowering.OutputName.label, reason: "\(gotIndex.count) labels for \(rows.count) rows")
            }
            for r in 0..<rows.count {
                report.labelsCompared += 1
                guard let want = expected.classIndex(row: r), gotIndex[r] != want else { continue }
                if let g = gotIndex[r], tolerance.accepts(expected.value(row: r, column: g), expected.value(row: r, column: want)) {
                    report.labelTies += 1
                } else {
                    report.labelsDiffering += 1
                    note("row \(r) label: ONNX \(gotIndex[r].map { String($0) } ?? "unknown"), evaluator class \(want)")
                }
            }
        }

        // Leaf choices.
        if let leafMap, let trace, trace.rows == rows.count, trace.trees == leafMap.trees.count {
            let k = trace.trees
            for r in 0..<rows.count {
                var rowDiffers = false
                for (j, tree) in leafMap.trees.enumerated() {
                    guard let s = tree.sourceTree else { continue }
                    let node = expected.leaf(row: r, tree: s)
                    let want = leafMap.leafPosition[s][node]
                    guard want >= 0 else { continue }
                    report.leafChoicesChecked += 1
                    let g = Int(trace.positions[r * k + j])
                    if g != want {
                        report.leafChoicesDiffering += 1
                        rowDiffers = true
                        note("row \(r) tree \(s): ONNX leaf #\(g), evaluator leaf #\(want) (node \(node))")
                    }
                }
                if rowDiffers { report.rowsWithDifferingLeaves += 1 }
            }
        }
        return report
    }
}

/// Where the lowering put each IR leaf: the ONNX trees in order, and per IR tree and
/// node the leaf's position among its tree's leaves in preorder, true branch first (the
/// order `TreeLeafTrace` counts in).
struct LeafMap {
    /// The tree op's node name, as the interpreter reports it.
    var nodeName: String
    var trees: [TreeEnsembleLowering.EmittedTree]
    /// -1 for splits and unreachable nodes. Arrays, not dictionaries: this is looked up
    /// once per row and tree.
    var leafPosition: [[Int]]

    /// Nil when the model has no tree op. `leafPositions`: `LeafMap.positions(ir)`
    /// when already computed.
    init?(onnx: ONNX.Model, model ir: TreeEnsembleModel, leafPositions known: [[Int]]? = nil) throws {
        guard let g = onnx.graph else { return nil }
        func isTreeOp(_ n: Node) -> Bool {
            n.normalizedDomain == Domain.ml && ["TreeEnsemble", "TreeEnsembleRegressor", "TreeEnsembleClassifier"].contains(n.opType ?? "")
        }
        guard let index = g.node.firstIndex(where: { isTreeOp($0) && $0.name == TreeEnsembleLowering.treeNodeName })
                ?? g.node.lastIndex(where: isTreeOp) else { return nil }
        let node = g.node[index]
        nodeName = (node.name ?? "").isEmpty ? "\(node.opType ?? "")#\(index)" : node.name!
        let ml = onnx.opsetImport.first { Domain.normalize($0.domain ?? "") == Domain.ml }?.version ?? 5
        trees = try TreeEnsembleLowering.emittedTrees(for: ir, mlOpset: ml)
        leafPosition = try known ?? Self.positions(ir)
    }

    /// Per IR tree and node, the leaf's preorder position (-1 for the rest).
    static func positions(_ ir: TreeEnsembleModel) throws -> [[Int]] {
        var positions: [[Int]] = []
        positions.reserveCapacity(ir.trees.count)
        for t in ir.trees.indices {
            var p = [Int](repeating: -1, count: ir.trees[t].nodes.count)
            var next = 0
            for i in try ir.reachableNodes(ofTree: t) {
                if case .leaf = ir.trees[t].nodes[i] { p[i] = next; next += 1 }
            }
            positions.append(p)
        }
        return positions
    }
}

/// The verifier tree frontends return: compares with `TreeEnsembleEvaluator` on the
/// given rows, or on the model's probe rows (every split straddled, NaN where a missing
/// direction exists).
public struct TreeModelVerifier: ConversionVerifier {
    /// The tree IR the ONNX model was lowered from.
    public var model: TreeEnsembleModel
    /// The tolerance for output values.
    public var tolerance: TreeVerification.Tolerance
    /// The synthetic rows and the evaluator's predictions for them, started in the
    /// background when the verifier is made (while the model is lowered, written and
    /// read back); nil when not asked for.
    let prepared: PreparedProbe?

    /// A verifier for `model`. With `prepareFor`, the probe rows for that input type and
    /// the evaluator's predictions on them are computed on another thread right away.
    public init(model: TreeEnsembleModel, tolerance: TreeVerification.Tolerance = .float32,
                prepareFor inputType: TreeEnsembleLowering.InputType? = nil) {
        self.model = model
        self.tolerance = tolerance
        prepared = inputType.map { PreparedProbe(model: model, inputType: $0) }
    }

    public var featureCount: Int { model.featureCount }

    public func verify(_ onnx: ONNX.Model, rows: [[Float]]?) throws -> VerificationReport {
        if rows == nil, let prepared {
            let input = try TreeVerification.graphInput(onnx)
            // The session is built while the probe (rows, expected answers, leaf
            // positions) is still being computed on the other core.
            let session = try Session(model: onnx)
            let probe = try prepared.result()
            let leafMap = try LeafMap(onnx: onnx, model: model, leafPositions: prepared.leafPositions)
            switch (probe, input.type) {
            case (.float32(let r, let e), .float):
                return try TreeVerification.run(model: model, onnx: onnx, inputName: input.name, rows: r, tolerance: tolerance, expected: e,
                                                prepared: (session, leafMap))
            case (.float64(let r, let e), .double):
                return try TreeVerification.run(model: model, onnx: onnx, inputName: input.name, rows: r, tolerance: tolerance, expected: e,
                                                prepared: (session, leafMap))
            default: break
            }
        }
        return try TreeVerification.verify(model: model, onnx: onnx, rows: rows, tolerance: tolerance)
    }
}

/// Probe rows and their expected predictions, computed on a background thread.
final class PreparedProbe: @unchecked Sendable {
    enum Rows {
        case float32([[Float]], TreeEnsembleBatchPrediction)
        case float64([[Double]], TreeEnsembleBatchPrediction)
    }

    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<Rows, Error>?
    private var positions: [[Int]]?

    init(model: TreeEnsembleModel, inputType: TreeEnsembleLowering.InputType) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            positions = try? LeafMap.positions(model)
            outcome = Result {
                let limit = TreeVerification.probeRowLimit(model)
                let evaluator = try TreeEnsembleEvaluator(model)
                switch inputType {
                case .float32:
                    let rows = try model.probeRows(limit: limit)
                    return .float32(rows, try evaluator.predictBatch(rows: rows))
                case .float64:
                    let rows = try model.probeRowsFloat64(limit: limit)
                    return .float64(rows, try evaluator.predictBatch(rows: rows))
                }
            }
            done.signal()
        }
    }

    /// `LeafMap.positions` of the model (after `result()`; nil if it failed).
    var leafPositions: [[Int]]? { positions }

    /// Waits for the computation (once; later calls return at once).
    func result() throws -> Rows {
        if outcome == nil { done.wait() }
        return try outcome!.get()
    }
}
