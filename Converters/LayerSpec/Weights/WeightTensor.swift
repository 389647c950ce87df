import Foundation
import ONNX
import ONNXSerialization
import PythonObjects
import ReaderLimits

/// The element types weights arrive in (safetensors' names; torch storages map to them).
public enum WeightDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .i8, .u8, .bool: return 1
        }
    }
}

/// One named weight: element type, shape and its little-endian, row-major bytes (for
/// safetensors a slice of the file's mapping, not a copy; the graph's initializers
/// refer to the same bytes when the types agree).
public struct WeightTensor: Sendable {
    public var dtype: WeightDType
    public var shape: [Int]
    public var bytes: ByteBuffer

    /// Element count.
    public var count: Int { shape.reduce(1, *) }

    /// The values as float64 (every type converts exactly).
    public func doubles() -> [Double] {
        let n = count
        return bytes.withUnsafeBytes { raw -> [Double] in
            func load<T>(_: T.Type, _ f: (T) -> Double) -> [Double] {
                (0..<n).map { f(raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
            }
            switch dtype {
            case .f64: return load(UInt64.self) { Double(bitPattern: UInt64(littleEndian: $0)) }
            case .f32: return load(UInt32.self) { Double(Float(bitPattern: UInt32(littleEndian: $0))) }
            case .f16: return load(UInt16.self) { Double(Self.half(UInt16(littleEndian: $0))) }
            case .bf16: return load(UInt16.self) { Double(Float(bitPattern: UInt32(UInt16(littleEndian: $0)) << 16)) }
            case .i64: return load(Int64.self) { Double(Int64(littleEndian: $0)) }
            case .i32: return load(Int32.self) { Double(Int32(littleEndian: $0)) }
            case .i16: return load(Int16.self) { Double(Int16(littleEndian: $0)) }
            case .i8: return load(Int8.self) { Double($0) }
            case .u8: return load(UInt8.self) { Double($0) }
            case .bool: return load(UInt8.self) { $0 != 0 ? 1 : 0 }
            }
        }
    }

    /// The values as float32: exact for F32, F16, BF16 and small integers; F64 rounds.
    public func floats() -> [Float] {
        if dtype == .f32 {
            let n = count
            return bytes.withUnsafeBytes { raw in (0..<n).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
        }
        return doubles().map { Float($0) }
    }

    /// IEEE half to float.
    static func half(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exp = Int((h >> 10) & 0x1F), frac = UInt32(h & 0x3FF)
        if exp == 0 {
            let magnitude = Float(frac) * 0x1p-24   // subnormal (or zero)
            return sign != 0 ? -magnitude : magnitude
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (frac << 13)) }
        return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (frac << 13))
    }
}

/// The weights of one file by name, remembering which ones a layer took (the rest are
/// reported as unused).
public final class WeightStore: @unchecked Sendable {
    /// The file they came from, for messages.
    public let file: String
    public private(set) var tensors: [String: WeightTensor]
    private var used: Set<String> = []

    public init(file: String, tensors: [String: WeightTensor]) {
        self.file = file
        self.tensors = tensors
    }

    /// The weight `name`, marked used.
    public func take(_ name: String) -> WeightTensor? {
        guard let t = tensors[name] else { return nil }
        used.insert(name)
        return t
    }

    /// Marks `name` used without reading it (buffers torch keeps but inference ignores,
    /// such as `num_batches_tracked`).
    public func ignore(_ name: String) { if tensors[name] != nil { used.insert(name) } }

    /// Names no layer took, sorted.
    public var unused: [String] { tensors.keys.filter { !used.contains($0) }.sorted() }

    /// Reads a weights file by its content: safetensors or a PyTorch zip checkpoint,
    /// within `limits`.
    ///
    /// - Throws: `LayerSpecError.weights`, `ReaderLimitBreach`.
    public static func read(_ url: URL, limits: ReaderLimits = .default) throws -> WeightStore {
        let data: ByteBuffer
        do { data = try MappedFile.map(url)?.buffer ?? ByteBuffer() } catch {
            throw LayerSpecError.weights(file: url.path, reason: "cannot read the file (\(FileManager.default.fileExists(atPath: url.path) ? "\(error)" : "no such file"))")
        }
        func starts(_ magic: [UInt8]) -> Bool { data.count >= magic.count && data.withUnsafeBytes { Array($0.prefix(magic.count)) } == magic }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            if let problem = data.withUnsafeBytes({ ZipDirectory.problem(in: $0) }) {
                throw LayerSpecError.weights(file: url.path, reason: "not a readable zip archive: \(problem)")
            }
            return WeightStore(file: url.path, tensors: try TorchCheckpointFile.read(url, file: url.path, limits: limits))
        }
        // The legacy format opens with a protocol-2 pickle of torch's magic number.
        if starts([0x80, 0x02, 0x8A, 0x0A]) {
            throw LayerSpecError.weights(file: url.path, reason: "a PyTorch checkpoint in the legacy (pre-1.6, non-zip) format; re-save it with torch.save(state_dict, path) from torch >= 1.6")
        }
        return WeightStore(file: url.path, tensors: try SafetensorsFile.read(data, file: url.path, limits: limits))
    }
}
