import Foundation
import ONNX

/// Options every frontend accepts.
public struct ConversionOptions: Sendable {
    /// Target version of the default ONNX operator set.
    public var opset: Int64 = 21
    /// Target version of ai.onnx.ml.
    public var mlOpset: Int64 = 5
    /// Element type of the graph's float inputs.
    public var floatType: DataType = .float
    public init() {}
}

/// A frontend: reads one or more source formats and lowers them to an ONNX model.
public protocol Converter: Sendable {
    /// The formats this converter reads.
    var formats: [SourceFormat] { get }
    /// Reads the file and returns the ONNX model (not yet written anywhere).
    func convert(contentsOf url: URL, format: SourceFormat, options: ConversionOptions) throws -> Model
}

/// The converters available to `convert-cli` and to `Conversion`; frontends register
/// here, and an outside package can register its own.
public final class ConverterRegistry: @unchecked Sendable {
    /// The process-wide registry.
    public static let shared = ConverterRegistry()

    private let lock = NSLock()
    private var byFormat: [SourceFormat: Converter] = [:]

    public init() {}

    /// Makes `converter` the one used for each of its formats.
    public func register(_ converter: Converter) {
        lock.lock()
        defer { lock.unlock() }
        for f in converter.formats { byFormat[f] = converter }
    }

    /// The converter for a format, if one is registered.
    public func converter(for format: SourceFormat) -> Converter? {
        lock.lock()
        defer { lock.unlock() }
        return byFormat[format]
    }

    /// The formats with a converter, for messages ("none yet" when empty).
    public var supportedFormatsList: String {
        lock.lock()
        defer { lock.unlock() }
        let names = SourceFormat.allCases.filter { byFormat[$0] != nil }.map(\.rawValue)
        return names.isEmpty ? "none yet" : names.joined(separator: ", ")
    }
}
