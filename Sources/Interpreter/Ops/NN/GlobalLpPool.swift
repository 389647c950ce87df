import ONNX
#if canImport(Glibc)
import Glibc
#endif

/// GlobalLpPool: (sum of |x|^p)^(1/p) over each plane; p is a float at version 1.
struct GlobalLpPool: Operator {
    static let opType = "GlobalLpPool"
    static let sinceVersions: [Int64] = [1, 2, 22]
    let p: Double
    init(_ c: OpContext) throws {
        p = c.sinceVersion == 1 ? Double(try c.float("p", default: 2)) : Double(try c.int("p", default: 2))
    }
    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let p = self.p
        return [.tensor(try GlobalPool.run(inputs, context) { s in
            Glibc.pow(s.reduce(0) { $0 + Glibc.pow(abs($1), p) }, 1 / p)
        })]
    }
}
