// Tensor storage rules: data_type, one value field, the right field for the type, a data
// size that matches the dims, external data locations, and sparse tensor structure.

extension CheckRun {
    static func dimsText(_ dims: [Int64]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    func checkTensor(_ t: Tensor, location at: String) {
        let label = (t.name ?? "").isEmpty ? "tensor" : "tensor '\(t.name!)'"
        guard let dt = t.dataType else {
            report(.tensorDataType, "\(label) has no data_type", at: at)
            return
        }
        guard dt != .undefined else {
            report(.tensorDataType, "\(label) has data_type UNDEFINED", at: at)
            return
        }
        guard dt.isKnown else {
            report(.tensorDataType, "\(label) has data_type \(dt.rawValue), which the specification does not define", at: at)
            return
        }

        var fields: [String] = []
        if !t.floatData.isEmpty { fields.append("float_data") }
        if !t.int32Data.isEmpty { fields.append("int32_data") }
        if !t.stringData.isEmpty { fields.append("string_data") }
        if !t.int64Data.isEmpty { fields.append("int64_data") }
        let hasRaw = !(t.rawData?.isEmpty ?? true)
        if hasRaw { fields.append("raw_data") }
        if !t.doubleData.isEmpty { fields.append("double_data") }
        if !t.uint64Data.isEmpty { fields.append("uint64_data") }

        if t.isExternal {
            if !fields.isEmpty {
                report(.externalData, "\(label) is stored externally but also holds data in \(fields.joined(separator: ", "))", at: at)
            }
            checkExternalLocation(t, label: label, location: at)
            return
        }

        guard let n = t.elementCount else {
            let neg = t.dims.contains { $0 < 0 }
            report(.tensorDataSize, "\(label) has dims \(Self.dimsText(t.dims)), " + (neg ? "with a negative dimension" : "whose product overflows"), at: at)
            return
        }
        if n == 0 {
            if !fields.isEmpty {
                report(.tensorDataSize, "\(label) has 0 elements (dims \(Self.dimsText(t.dims))) but holds data in \(fields.joined(separator: ", "))", at: at)
            }
            return
        }
        if fields.isEmpty {
            report(.tensorDataSize, "\(label) of \(dt) \(Self.dimsText(t.dims)) has \(n) element(s) but no data", at: at)
            return
        }
        if fields.count > 1 {
            report(.tensorDataField, "\(label) holds data in more than one field (\(fields.joined(separator: ", ")))", at: at)
            return
        }

        if hasRaw, let raw = t.rawData {
            if dt == .string {
                report(.tensorDataField, "\(label) holds strings in raw_data; strings go in string_data", at: at)
                return
            }
            guard n <= Int.max / 128, let expected = dt.rawByteCount(elements: n) else {
                report(.tensorDataSize, "\(label) has dims \(Self.dimsText(t.dims)), too many elements to store", at: at)
                return
            }
            if raw.count != expected {
                report(.tensorDataSize, "\(label) raw_data holds \(raw.count) bytes; \(dt) \(Self.dimsText(t.dims)) takes \(expected)", at: at)
                return
            }
            if dt == .float6e2m3 || dt == .float6e3m2 {
                let used = (n * 6) % 8
                if used != 0 {
                    let last = raw.withUnsafeBytes { $0[expected - 1] }
                    if last & ~UInt8((1 << used) - 1) != 0 {
                        report(.tensorDataField, "\(label) has non-zero padding bits in the last byte of its packed 6-bit raw_data", at: at)
                    }
                }
            }
            return
        }

        guard let field = dt.typedField else { return }
        if fields[0] != field.rawValue {
            report(.tensorDataField, "\(label) of \(dt) holds its values in \(fields[0]); \(dt) values belong in \(field.rawValue) (or raw_data)", at: at)
            return
        }
        let have: Int
        switch field {
        case .floatData: have = t.floatData.count
        case .int32Data: have = t.int32Data.count
        case .stringData: have = t.stringData.count
        case .int64Data: have = t.int64Data.count
        case .doubleData: have = t.doubleData.count
        case .uint64Data: have = t.uint64Data.count
        }
        guard let want = dt.typedValueCount(elements: n) else {
            report(.tensorDataSize, "\(label) has dims \(Self.dimsText(t.dims)), too many elements to store", at: at)
            return
        }
        if have != want {
            report(.tensorDataSize, "\(label) \(field.rawValue) holds \(have) value(s); \(dt) \(Self.dimsText(t.dims)) takes \(want)", at: at)
            return
        }
        if dt == .float6e2m3 || dt == .float6e3m2, t.int32Data.contains(where: { $0 < 0 || $0 > 0x3F }) {
            report(.tensorDataField, "\(label) int32_data holds a value outside 0...63; a 6-bit element uses bits 0-5 only", at: at)
        }
    }

    /// The location must be a non-empty relative path that stays inside the model's folder
    /// (the checks of onnx's `resolve_external_data_location` that need no file system).
    func checkExternalLocation(_ t: Tensor, label: String, location at: String) {
        var location: String?
        for e in t.externalData {
            guard let k = e.key, let v = e.value else { continue }
            switch k {
            case "location": location = v
            case "offset", "length":
                if (Int(v) ?? -1) < 0 {
                    report(.externalData, "\(label) external data '\(k)' is '\(v)', not a byte count", at: at)
                }
            default: break
            }
        }
        guard let location else {
            report(.externalData, "\(label) is stored externally but has no 'location' entry", at: at)
            return
        }
        if location.isEmpty {
            report(.externalData, "\(label) external data location is empty", at: at)
            return
        }
        let u = Array(location.utf8)
        let isAbsolute = u[0] == UInt8(ascii: "/") || u[0] == UInt8(ascii: "\\")
            || (u.count >= 2 && u[1] == UInt8(ascii: ":") && ((u[0] | 0x20) >= UInt8(ascii: "a") && (u[0] | 0x20) <= UInt8(ascii: "z")))
        if isAbsolute {
            report(.externalData, "\(label) external data location '\(location)' is absolute; it must be relative to the model's folder", at: at)
            return
        }
        // Lexical normalization, then onnx's rule: no ".." may remain.
        var parts: [Substring] = []
        for p in location.split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            if p == "." { continue }
            if p == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(p)
        }
        if parts.isEmpty || parts.joined(separator: "/").contains("..") {
            report(.externalData, "\(label) external data location '\(location)' points outside the model's folder", at: at)
        }
    }

    /// Reads int64 index data held inline, when its size is right (otherwise the tensor
    /// check has said what is wrong).
    static func int64Values(_ t: Tensor, count: Int) -> [Int64]? {
        if t.int64Data.count == count { return t.int64Data }
        if let raw = t.rawData, t.int64Data.isEmpty, raw.count == count * 8 {
            return raw.loadArray(as: Int64.self).map { Int64(littleEndian: $0) }
        }
        return nil
    }

    func checkSparseTensor(_ sp: SparseTensor, location at: String) {
        guard let values = sp.values else {
            report(.sparseTensor, "sparse tensor has no values tensor", at: at)
            return
        }
        let vname = values.name ?? ""
        let label = vname.isEmpty ? "sparse tensor" : "sparse tensor '\(vname)'"
        checkTensor(values, location: "\(at) values")
        guard values.dims.count == 1 else {
            report(.sparseTensor, "\(label) values must have rank 1 (one value per non-zero), not dims \(Self.dimsText(values.dims))", at: at)
            return
        }
        let nnz = values.dims[0]
        guard !sp.dims.isEmpty else {
            report(.sparseTensor, "\(label) has no dense dims (its rank must be at least 1)", at: at)
            return
        }
        guard sp.dims.allSatisfy({ $0 > 0 }) else {
            report(.sparseTensor, "\(label) has dense dims \(Self.dimsText(sp.dims)); they must all be positive", at: at)
            return
        }
        guard let indices = sp.indices else {
            if nnz != 0 { report(.sparseTensor, "\(label) has \(nnz) values but no indices", at: at) }
            return
        }
        checkTensor(indices, location: "\(at) indices")
        guard indices.dataType == .int64 else {
            report(.sparseTensor, "\(label) indices have data_type \(indices.dataType?.description ?? "unset"); they must be int64", at: at)
            return
        }
        let rank = sp.dims.count
        switch indices.dims.count {
        case 1:
            guard indices.dims[0] == nnz else {
                report(.sparseTensor, "\(label) has \(indices.dims[0]) indices for \(nnz) values", at: at)
                return
            }
            var dense: Int64 = 1
            for d in sp.dims {
                let (r, o) = dense.multipliedReportingOverflow(by: d)
                if o { report(.sparseTensor, "\(label) dense dims \(Self.dimsText(sp.dims)) overflow", at: at); return }
                dense = r
            }
            guard nnz <= Int64(Int.max / 8), let idx = Self.int64Values(indices, count: Int(nnz)) else { return }
            var prev: Int64 = -1
            for (i, v) in idx.enumerated() {
                if v < 0 || v >= dense {
                    report(.sparseTensor, "\(label) index \(i) is \(v), outside [0, \(dense - 1)]", at: at)
                    return
                }
                if v <= prev {
                    report(.sparseTensor, "\(label) index \(i) (\(v)) is not greater than the one before (\(prev)); indices must be sorted and unique", at: at)
                    return
                }
                prev = v
            }
        case 2:
            guard indices.dims[0] == nnz, indices.dims[1] == Int64(rank) else {
                report(.sparseTensor, "\(label) indices have dims \(Self.dimsText(indices.dims)); \(nnz) values of a rank-\(rank) tensor need [\(nnz), \(rank)]", at: at)
                return
            }
            let (total, o) = Int(nnz).multipliedReportingOverflow(by: rank)
            guard !o, total <= Int.max / 8, let idx = Self.int64Values(indices, count: total) else { return }
            var prev: [Int64] = []
            for i in 0..<Int(nnz) {
                let row = Array(idx[(i * rank)..<((i + 1) * rank)])
                for j in 0..<rank where row[j] < 0 || row[j] >= sp.dims[j] {
                    report(.sparseTensor, "\(label) index [\(i), \(j)] is \(row[j]), outside [0, \(sp.dims[j] - 1)]", at: at)
                    return
                }
                if i > 0 && !prev.lexicographicallyPrecedes(row) {
                    report(.sparseTensor, "\(label) index \(i) \(Self.dimsText(row)) does not come after \(Self.dimsText(prev)); indices must be in sorted order and unique", at: at)
                    return
                }
                prev = row
            }
        default:
            report(.sparseTensor, "\(label) indices have rank \(indices.dims.count); they must have rank 1 or 2", at: at)
        }
    }
}
