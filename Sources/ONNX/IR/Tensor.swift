/// A dense tensor (`TensorProto`).
///
/// Elements live in exactly one place: `rawData` (little-endian packed bytes), the typed
/// field that `dataType.typedField` names, or an external file described by
/// `externalData`. The IR stores them as they came; `ONNX.TensorValues` reads them.
public struct Tensor: Hashable, Sendable {
    /// A slice of a tensor split across several protos (legacy, carried through).
    public struct Segment: Hashable, Sendable {
        public var begin: Int64?
        public var end: Int64?
        public var unknownFields: [UnknownField] = []
        public init(begin: Int64?, end: Int64?) { self.begin = begin; self.end = end }
    }

    /// Where the elements are stored (`TensorProto.DataLocation`).
    public struct DataLocation: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let `default` = DataLocation(rawValue: 0)
        public static let external = DataLocation(rawValue: 1)
    }

    public var dims: [Int64] = []
    public var dataType: DataType?
    public var segment: Segment?
    public var floatData: [Float] = []
    public var int32Data: [Int32] = []
    public var stringData: [ByteBuffer] = []
    public var int64Data: [Int64] = []
    public var name: String?
    public var docString: String?
    public var rawData: ByteBuffer?
    public var externalData: [StringStringEntry] = []
    public var dataLocation: DataLocation?
    public var doubleData: [Double] = []
    public var uint64Data: [UInt64] = []
    public var metadataProps: [StringStringEntry] = []
    public var unknownFields: [UnknownField] = []

    public init() {}

    /// A tensor whose elements are the given raw little-endian bytes.
    public init(name: String?, dataType: DataType, dims: [Int64], rawData: ByteBuffer) {
        self.name = name
        self.dataType = dataType
        self.dims = dims
        self.rawData = rawData
    }

    /// Product of the dimensions (1 for a scalar); nil on overflow or a negative dim.
    public var elementCount: Int? {
        var n = 1
        for d in dims {
            guard d >= 0 else { return nil }
            let (r, o) = n.multipliedReportingOverflow(by: Int(d))
            if o { return nil }
            n = r
        }
        return n
    }

    /// True when the data lives in an external file.
    public var isExternal: Bool { dataLocation == .external }

    /// The external-data entries as a dictionary (`location`, `offset`, `length`, ...).
    public var externalDataInfo: [String: String] {
        var d: [String: String] = [:]
        for e in externalData { if let k = e.key { d[k] = e.value ?? "" } }
        return d
    }

    /// Number of values held in the typed fields (whichever is used).
    public var typedValueCount: Int {
        floatData.count + int32Data.count + stringData.count + int64Data.count + doubleData.count + uint64Data.count
    }

    /// Bytes of element data held inline (raw or typed), for reports.
    public var inlineByteCount: Int {
        (rawData?.count ?? 0) + floatData.count * 4 + int32Data.count * 4 + int64Data.count * 8
            + doubleData.count * 8 + uint64Data.count * 8 + stringData.reduce(0) { $0 + $1.count }
    }
}

/// A sparse tensor in coordinate form (`SparseTensorProto`).
public struct SparseTensor: Hashable, Sendable {
    public var values: Tensor?
    public var indices: Tensor?
    public var dims: [Int64] = []
    public var unknownFields: [UnknownField] = []
    public init(values: Tensor?, indices: Tensor?, dims: [Int64]) {
        self.values = values
        self.indices = indices
        self.dims = dims
    }
}
