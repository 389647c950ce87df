import ONNX

/// NonMaxSuppression: for each batch and class, greedily selects boxes in order of
/// decreasing score (ties: lower index first), skipping boxes whose score is not above
/// score_threshold (when given) and boxes whose IoU with an already selected box
/// exceeds iou_threshold, up to max_output_boxes_per_class (0 or omitted: none).
/// Output [selected, 3] rows of (batch, class, box). Boxes are [y1, x1, y2, x2] in any
/// corner order (center_point_box 0) or [x_center, y_center, width, height] (1).
struct NonMaxSuppression: Operator {
    static let opType = "NonMaxSuppression"
    static let sinceVersions: [Int64] = [10, 11]
    let centerPointBox: Bool
    init(_ c: OpContext) throws {
        let v = try c.int("center_point_box", default: 0)
        guard v == 0 || v == 1 else {
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "center_point_box", message: "must be 0 or 1, not \(v)")
        }
        centerPointBox = v == 1
    }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let boxesT = try context.tensor(inputs, 0), scoresT = try context.tensor(inputs, 1)
        guard boxesT.rank == 3, boxesT.shape[2] == 4 else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "boxes \(boxesT.shape) is not [batches, boxes, 4]")
        }
        let (batches, numBoxes) = (boxesT.shape[0], boxesT.shape[1])
        guard scoresT.rank == 3, scoresT.shape[0] == batches, scoresT.shape[2] == numBoxes else {
            throw InterpreterError.shapeMismatch(node: context.nodeName, message: "scores \(scoresT.shape) does not fit boxes \(boxesT.shape) ([batches, classes, boxes])")
        }
        let classes = scoresT.shape[1]
        var maxPerClass: Int64 = 0
        if let t = try context.optionalTensor(inputs, 2), t.count > 0 { maxPerClass = max(0, try t.int64s()[0]) }
        var iouThreshold: Float = 0
        if let t = try context.optionalTensor(inputs, 3), t.count > 0 { iouThreshold = try t.floats()[0] }
        var scoreThreshold: Float?
        if let t = try context.optionalTensor(inputs, 4), t.count > 0 { scoreThreshold = try t.floats()[0] }
        // float32 arithmetic, as the reference implementations use.
        let boxes = try boxesT.floats()
        let scores = try scoresT.floats().map { $0.isNaN ? -Float.infinity : $0 }

        // Each box as (xmin, ymin, xmax, ymax).
        func corners(_ b: Int, _ i: Int) -> (Float, Float, Float, Float) {
            let p = (b * numBoxes + i) * 4
            let (a0, a1, a2, a3) = (boxes[p], boxes[p + 1], boxes[p + 2], boxes[p + 3])
            if centerPointBox {
                return (a0 - a2 / 2, a1 - a3 / 2, a0 + a2 / 2, a1 + a3 / 2)
            }
            return (min(a1, a3), min(a0, a2), max(a1, a3), max(a0, a2))
        }
        func suppresses(_ p: (Float, Float, Float, Float), _ q: (Float, Float, Float, Float)) -> Bool {
            let ix0 = max(p.0, q.0), ix1 = min(p.2, q.2)
            guard ix1 > ix0 else { return false }
            let iy0 = max(p.1, q.1), iy1 = min(p.3, q.3)
            guard iy1 > iy0 else { return false }
            let inter = (ix1 - ix0) * (iy1 - iy0)
            let a1 = (p.2 - p.0) * (p.3 - p.1), a2 = (q.2 - q.0) * (q.3 - q.1)
            let union = a1 + a2 - inter
            guard inter > 0, a1 > 0, a2 > 0, union > 0 else { return false }
            return inter / union > iouThreshold
        }

        var out: [Int64] = []
        if maxPerClass > 0 {
            for b in 0..<batches {
                let boxCorners = (0..<numBoxes).map { corners(b, $0) }
                for c in 0..<classes {
                    let base = (b * classes + c) * numBoxes
                    var candidates = Array(0..<numBoxes)
                    if let st = scoreThreshold { candidates = candidates.filter { scores[base + $0] > st } }
                    candidates.sort { scores[base + $0] > scores[base + $1] || (scores[base + $0] == scores[base + $1] && $0 < $1) }
                    var selected: [Int] = []
                    for i in candidates {
                        if Int64(selected.count) >= maxPerClass { break }
                        if selected.contains(where: { suppresses(boxCorners[i], boxCorners[$0]) }) { continue }
                        selected.append(i)
                        out += [Int64(b), Int64(c), Int64(i)]
                    }
                }
            }
        }
        return [.tensor(TensorValue(int64s: out, shape: [out.count / 3, 3]))]
    }
}
