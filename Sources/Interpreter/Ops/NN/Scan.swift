import ONNX

/// Scan: runs the body once per slice of the scan inputs, carrying the state values
/// and stacking the scan outputs. From version 9 the scan axes and directions are
/// attributes (scan_input_axes / _directions, scan_output_axes / _directions; a
/// reverse output stacks the first iteration last). Version 8 has a leading batch
/// axis on every input (scan inputs are [batch, seq, ...]), `directions` for the scan
/// inputs and an optional sequence_lens input; scan outputs past a batch row's length
/// are zero.
struct Scan: Operator {
    static let opType = "Scan"
    static let sinceVersions: [Int64] = [8, 9, 11, 16, 19, 21, 23, 24, 25]
    let body: PreparedGraph
    let scanInputs: Int
    let inputAxes: [Int64]?
    let inputDirections: [Int64]?
    let outputAxes: [Int64]?
    let outputDirections: [Int64]?
    let batched: Bool

    init(_ c: OpContext) throws {
        body = try c.graph("body")
        scanInputs = Int(try c.int("num_scan_inputs"))
        batched = c.sinceVersion == 8
        if batched {
            inputAxes = nil
            inputDirections = try c.intsIfPresent("directions")
            outputAxes = nil
            outputDirections = nil
        } else {
            inputAxes = try c.intsIfPresent("scan_input_axes")
            inputDirections = try c.intsIfPresent("scan_input_directions")
            outputAxes = try c.intsIfPresent("scan_output_axes")
            outputDirections = try c.intsIfPresent("scan_output_directions")
        }
        guard scanInputs >= 1 else { throw InterpreterError.badAttribute(node: c.nodeName, attribute: "num_scan_inputs", message: "must be >= 1") }
    }

    /// The slice at index i along axis (the axis removed).
    static func slice(_ t: TensorValue, axis: Int, _ i: Int) -> TensorValue {
        let outer = NN.product(t.shape[..<axis]), n = t.shape[axis], inner = NN.product(t.shape[(axis + 1)...])
        var idx: [Int] = []
        idx.reserveCapacity(outer * inner)
        for o in 0..<outer { let base = (o * n + i) * inner; for k in 0..<inner { idx.append(base + k) } }
        var s = t.shape
        s.remove(at: axis)
        return t.gathered(idx, shape: s)
    }

    /// Slices of equal shape and type stacked along a new axis.
    static func stack(_ items: [TensorValue], axis: Int, _ context: RunContext) throws -> TensorValue {
        guard let first = items.first else { throw context.invalid("nothing to stack") }
        guard items.allSatisfy({ $0.shape == first.shape && $0.dataType == first.dataType }),
              let joined = TensorStorage.concatenated(items.map(\.storage)) else {
            throw context.invalid("scan outputs differ in shape or type between iterations")
        }
        let n = items.count
        let flat = TensorValue(unchecked: first.dataType, shape: [n] + first.shape, storage: joined)
        if axis == 0 { return flat }
        let outer = NN.product(first.shape[..<axis]), inner = NN.product(first.shape[axis...])
        var idx: [Int] = []
        idx.reserveCapacity(flat.count)
        for o in 0..<outer { for i in 0..<n { for k in 0..<inner { idx.append((i * outer + o) * inner + k) } } }
        var s = first.shape
        s.insert(n, at: axis)
        return flat.gathered(idx, shape: s)
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        batched ? try runBatched(inputs, context) : try runUnbatched(inputs, context)
    }

    private func runUnbatched(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let states = inputs.count - scanInputs
        guard states >= 0 else { throw context.invalid("Scan has \(inputs.count) inputs but \(scanInputs) scan inputs") }
        var carried: [Value] = []
        for i in 0..<states {
            guard let v = inputs[i] else { throw context.invalid("state input \(i) is missing") }
            carried.append(v)
        }
        var scans: [TensorValue] = [], axes: [Int] = [], reverse: [Bool] = []
        for j in 0..<scanInputs {
            let t = try context.tensor(inputs, states + j)
            let a = try NN.axis(inputAxes.map { j < $0.count ? $0[j] : 0 } ?? 0, rank: t.rank, context)
            guard a < t.rank else { throw context.invalid("scan input \(j) has rank 0") }
            scans.append(t); axes.append(a)
            reverse.append((inputDirections.map { j < $0.count ? $0[j] : 0 } ?? 0) != 0)
        }
        let length = scans[0].shape[axes[0]]
        for (j, t) in scans.enumerated() where t.shape[axes[j]] != length {
            throw context.invalid("scan inputs have different lengths (\(length) and \(t.shape[axes[j]]))")
        }
        let outCount = body.outputNames.count - states
        guard outCount >= 0 else { throw context.invalid("the body has fewer outputs than state values") }
        var collected = [[TensorValue]](repeating: [], count: outCount)
        for it in 0..<length {
            var args: [Value?] = carried
            for (j, t) in scans.enumerated() { args.append(.tensor(Self.slice(t, axis: axes[j], reverse[j] ? length - 1 - it : it))) }
            let outs = try context.run(body, inputs: args)
            guard outs.count == states + outCount else { throw context.invalid("the body returned \(outs.count) values") }
            carried = Array(outs[0..<states])
            for k in 0..<outCount {
                guard case .tensor(let t) = outs[states + k] else { throw context.invalid("scan output \(k) is not a tensor") }
                collected[k].append(t)
            }
        }
        var result = carried
        for k in 0..<outCount {
            var items = collected[k]
            if (outputDirections.map { k < $0.count ? $0[k] : 0 } ?? 0) != 0 { items.reverse() }
            if items.isEmpty {
                let type = body.outputTypes[states + k]
                let dims = type?.tensorShape?.dims.map { Int($0.fixedValue ?? 0) } ?? []
                result.append(.tensor(try TensorValue.zeros(type?.tensorElementType ?? .float, shape: [0] + dims)))
                continue
            }
            let rank = items[0].rank + 1
            let a = try NN.axis(outputAxes.map { k < $0.count ? $0[k] : 0 } ?? 0, rank: rank, context)
            result.append(.tensor(try Self.stack(items, axis: a, context)))
        }
        return result
    }

    private func runBatched(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let lensT = try context.optionalTensor(inputs, 0)
        let rest = Array(inputs.dropFirst())
        let states = rest.count - scanInputs
        guard states >= 0 else { throw context.invalid("Scan has \(rest.count) inputs but \(scanInputs) scan inputs") }
        let tensors = try (0..<rest.count).map { try context.tensor(rest, $0) }
        guard let batch = tensors.first?.shape.first else { throw context.invalid("Scan-8 inputs need a batch axis") }
        for t in tensors where t.rank < 1 || t.shape[0] != batch { throw context.invalid("inputs disagree on the batch size") }
        for j in 0..<scanInputs where tensors[states + j].rank < 2 { throw context.invalid("scan input \(j) needs [batch, sequence, ...]") }
        let maxLen = tensors[states].shape[1]
        var lens = [Int](repeating: maxLen, count: batch)
        if let lensT {
            let l = try lensT.ints()
            guard l.count == batch, l.allSatisfy({ $0 >= 0 && $0 <= maxLen }) else { throw context.invalid("sequence_lens \(l) does not fit") }
            lens = l
        }
        let outCount = body.outputNames.count - states
        guard outCount >= 0 else { throw context.invalid("the body has fewer outputs than state values") }
        var finalStates = [[TensorValue]](repeating: [], count: states)
        var scanOuts = [[TensorValue]](repeating: [], count: outCount)
        for b in 0..<batch {
            var carried: [Value] = (0..<states).map { .tensor(Self.slice(tensors[$0], axis: 0, b)) }
            let rows = (0..<scanInputs).map { Self.slice(tensors[states + $0], axis: 0, b) }
            var per = [[TensorValue]](repeating: [], count: outCount)
            for it in 0..<lens[b] {
                var args: [Value?] = carried
                for (j, r) in rows.enumerated() {
                    let rev = (inputDirections.map { j < $0.count ? $0[j] : 0 } ?? 0) != 0
                    args.append(.tensor(Self.slice(r, axis: 0, rev ? lens[b] - 1 - it : it)))
                }
                let outs = try context.run(body, inputs: args)
                guard outs.count == states + outCount else { throw context.invalid("the body returned \(outs.count) values") }
                carried = Array(outs[0..<states])
                for k in 0..<outCount {
                    guard case .tensor(let t) = outs[states + k] else { throw context.invalid("scan output \(k) is not a tensor") }
                    per[k].append(t)
                }
            }
            for k in 0..<states {
                guard case .tensor(let t) = carried[k] else { throw context.invalid("state \(k) is not a tensor") }
                finalStates[k].append(t)
            }
            for k in 0..<outCount {
                guard let shape = per[k].first?.shape ?? scanOuts[k].first.map({ Array($0.shape.dropFirst()) }) else {
                    throw context.invalid("cannot infer the shape of scan output \(k) for an empty sequence")
                }
                let type = per[k].first?.dataType ?? scanOuts[k][0].dataType
                while per[k].count < maxLen { per[k].append(try TensorValue.zeros(type, shape: shape)) }
                scanOuts[k].append(try Self.stack(per[k], axis: 0, context))
            }
        }
        var result: [Value] = []
        for k in 0..<states { result.append(.tensor(try Self.stack(finalStates[k], axis: 0, context))) }
        for k in 0..<outCount { result.append(.tensor(try Self.stack(scanOuts[k], axis: 0, context))) }
        return result
    }
}
