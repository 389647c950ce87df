import ONNX

/// Helpers shared by the ai.onnx.preview.training optimizers (Adagrad, Adam, Momentum):
/// their inputs are R (learning rate, scalar), T (update count, int64 scalar), then
/// `groups` runs of n tensors each (X..., G..., ...); outputs are runs of n tensors.
enum TrainingSupport {
    /// The learning rate, the update count and the n tensors of each group.
    static func unpack(_ inputs: [Value?], groups: Int, _ context: RunContext) throws -> (r: Double, t: Int64, groups: [[TensorValue]]) {
        let rt = try context.tensor(inputs, 0), tt = try context.tensor(inputs, 1)
        guard rt.dataType == .float || rt.dataType == .double else { throw InterpreterError.unsupportedType(rt.dataType, context: "\(context.nodeName) R") }
        guard tt.dataType == .int64 else { throw InterpreterError.unsupportedType(tt.dataType, context: "\(context.nodeName) T") }
        let r = try MiscSupport.scalarDouble(rt, "R", context)
        let t = try MiscSupport.scalarInt(tt, "T", context)
        let rest = inputs.count - 2
        guard rest > 0, rest % groups == 0 else {
            throw context.invalid("expected \(groups) equal runs of tensors after R and T, got \(rest) inputs")
        }
        let n = rest / groups
        var out: [[TensorValue]] = []
        for g in 0..<groups {
            var run: [TensorValue] = []
            for i in 0..<n {
                let v = try context.tensor(inputs, 2 + g * n + i)
                try MiscSupport.requireReal(v, "input \(2 + g * n + i)", context)
                run.append(v)
            }
            out.append(run)
        }
        for i in 0..<n {
            let shape = out[0][i].shape
            for g in 1..<groups where out[g][i].shape != shape {
                throw InterpreterError.shapeMismatch(node: context.nodeName, message: "input \(2 + g * n + i) has shape \(out[g][i].shape), its X has \(shape)")
            }
        }
        return (r, t, out)
    }

    /// A Double result in the element type of `like`.
    static func result(_ v: [Double], like: TensorValue) throws -> Value {
        .tensor(try MiscSupport.real(v, like.dataType, shape: like.shape))
    }
}
