import ONNX

// Turning accumulated tree scores into outputs, following onnxruntime's aggregators
// (tree_ensemble_aggregator.h): base values, averaging, the has-score bookkeeping (a
// target no leaf reached reads as 0 once several scores are written), the
// single-target shortcut (only PROBIT applies to one score), and the classifier's
// binary case that derives the second class score from the first.

/// The transforms onnxruntime applies when it writes a row of two or more scores:
/// NONE keeps T, the others compute in float32.
@inline(__always)
func treeWriteRow<T: BinaryFloatingPoint>(_ v: [T], _ post: MLPostTransform) -> [T] {
    if post == .none { return v }
    var f = v.map { Float($0) }
    MLMath.transformRow(&f, post)
    return f.map { T($0) }
}

enum TreeRegressorOutput {
    /// Final scores [rows * k] for a regressor (and TreeEnsemble v5).
    static func finalize<T: BinaryFloatingPoint>(_ s: [T], _ h: [UInt8], rows: Int, k: Int, aggregate: TreeAggregate,
                                                 nTrees: Int, base: [T], post: MLPostTransform) -> [T] {
        var out = [T](repeating: 0, count: rows * k)
        let n = T(nTrees)
        if k == 1 {
            let origin: T = base.count == 1 ? base[0] : 0
            for r in 0..<rows {
                var v = s[r]
                switch aggregate {
                case .sum: v += origin
                case .average: v = v / n + origin
                case .min, .max: v = h[r] != 0 ? v + origin : origin
                }
                out[r] = post == .probit ? T(MLMath.probit(Float(v))) : v
            }
            return out
        }
        let useBase = base.count == k
        guard rows > 0, k > 0 else { return out }
        out.withUnsafeMutableBufferPointer { o in
            let ob = o.baseAddress!
            Parallel.forChunks(rows, minimumChunk: 4096) { range in
                var row = [T](repeating: 0, count: k)
                for r in range {
                    for j in 0..<k {
                        let i = r * k + j
                        var v = s[i]
                        switch aggregate {
                        case .sum: if useBase { v += base[j] }
                        case .average: v = useBase ? v / n + base[j] : v / n
                        case .min, .max: v = (useBase ? base[j] : 0) + (h[i] != 0 ? v : 0)
                        }
                        row[j] = h[i] != 0 ? v : 0
                    }
                    let w = treeWriteRow(row, post)
                    for j in 0..<k { ob[r * k + j] = w[j] }
                }
            }
        }
        return out
    }
}

/// How a classifier's label is chosen.
enum TreeLabelChoice {
    /// classlabels[i].
    case index(Int)
    /// onnxruntime's fallback for two classes that are not its "binary case": the int64
    /// label 1 or 0 (for string labels, the label at index 1 or 0).
    case binary(positive: Bool)
}

struct TreeClassifierOutput {
    let classes: Int
    let binaryCase: Bool
    let weightsAllPositive: Bool
    let post: MLPostTransform

    /// One row: the label and `classes` scores.
    func finalizeRow<T: BinaryFloatingPoint>(_ s0: ArraySlice<T>, _ h0: ArraySlice<UInt8>, base: [T]) -> (TreeLabelChoice, [T]) {
        var s = Array(s0), h = Array(h0)
        let c = classes
        if c == 1 {
            // onnxruntime's single-score path.
            var v = s[0]
            var scores: [T]
            var label: TreeLabelChoice
            var extra = -1
            if base.count == 2 {
                v += base[1]
                scores = [-v, v]
                label = binaryLabel(-v, 1, v, 1, &extra)
            } else {
                if base.count == 1 { v += base[0] }
                scores = [v]
                label = binaryLabel(v, 1, 0, 0, &extra)
            }
            return (label, Array(writeScores(scores, [UInt8](repeating: 1, count: scores.count), extra).prefix(1)))
        }
        var extra = -1
        var label: TreeLabelChoice
        var size = c
        if c > 2 {
            for j in 0..<min(base.count, c) {
                if h[j] == 0 { h[j] = 1; s[j] = base[j] } else { s[j] += base[j] }
            }
            var best = -1
            var bestWeight: T = 0
            for j in 0..<c where h[j] != 0 && (best == -1 || s[j] > bestWeight) { best = j; bestWeight = s[j] }
            label = .index(max(best, 0))
        } else {
            if base.count == 2 {
                if h[1] != 0 {
                    s[1] = base[1] + s[0]
                    s[0] = -s[1]
                    h[1] = 1
                } else {
                    s[1] += base[1]
                    s[0] += base[0]
                }
            } else if base.count == 1 {
                s[0] += base[0]
                if h[1] == 0 { size = 1 }
            } else if base.isEmpty {
                extra = 3
                if h[1] == 0 { size = 1 }
            }
            if size == 2 && h[1] != 0 {
                label = binaryLabel(s[0], h[0], s[1], h[1], &extra)
            } else {
                label = binaryLabel(s[0], h[0], 0, 0, &extra)
            }
        }
        var out = writeScores(Array(s.prefix(size)), Array(h.prefix(size)), extra)
        while out.count < c { out.append(0) }
        return (label, Array(out.prefix(c)))
    }

    private func binaryLabel<T: BinaryFloatingPoint>(_ s0: T, _ h0: UInt8, _ s1: T, _ h1: UInt8, _ extra: inout Int) -> TreeLabelChoice {
        let pos: T = h1 != 0 ? s1 : (h0 != 0 ? s0 : 0)
        if binaryCase {
            if weightsAllPositive {
                if pos > 0.5 { extra = 0; return .index(1) }
                extra = 1
                return .index(0)
            }
            if pos > 0 { extra = 2; return .index(1) }
            extra = 3
            return .index(0)
        }
        return .binary(positive: pos > 0)
    }

    /// onnxruntime's write_scores for a classifier row (scores masked by has-score).
    private func writeScores<T: BinaryFloatingPoint>(_ s: [T], _ h: [UInt8], _ extra: Int) -> [T] {
        let v = zip(s, h).map { $1 != 0 ? $0 : 0 }
        if v.count >= 2 { return treeWriteRow(v, post) }
        guard let v0 = v.first else { return [] }
        if post == .probit { return [T(MLMath.probit(Float(v0)))] }
        switch extra {
        case 0, 1:
            if post == .logistic { let p = T(MLMath.logistic(Float(v0))); return [1 - p, p] }
            return [1 - v0, v0]
        case 2, 3:
            if post == .logistic { return [T(MLMath.logistic(Float(-v0))), T(MLMath.logistic(Float(v0)))] }
            return [-v0, v0]
        default: return [v0]
        }
    }
}
