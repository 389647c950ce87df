/// Why a model could not be read or written. Every case names the file (or
/// `<memory>`), and where it applies the byte offset and the field.
public enum ONNXSerializationError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened, read or written.
    case io(path: String, message: String)
    /// The bytes are not a valid protobuf encoding of an ONNX model.
    case malformed(source: String, offset: Int, field: String, problem: String)
    /// The bytes decode, but not to an ONNX model (for example a zip or a text file).
    case notAModel(source: String, reason: String)
    /// An external-data reference is broken.
    case externalData(source: String, tensor: String, problem: String)
    /// An external-data `location` leaves the model's folder.
    case pathEscapesModelFolder(source: String, tensor: String, location: String)
    /// The model is too large for one protobuf message and external data was refused.
    case tooLarge(source: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .io(let path, let message):
            return "\(path): \(message)"
        case .malformed(let source, let offset, let field, let problem):
            return "\(source): not a valid ONNX file: \(problem) (byte \(offset), in \(field))"
        case .notAModel(let source, let reason):
            return "\(source): not an ONNX model: \(reason)"
        case .externalData(let source, let tensor, let problem):
            return "\(source): external data of tensor \(tensor): \(problem)"
        case .pathEscapesModelFolder(let source, let tensor, let location):
            return "\(source): external data of tensor \(tensor): location '\(location)' is outside the model's folder"
        case .tooLarge(let source, let bytes, let limit):
            return "\(source): the model needs \(bytes) bytes, over protobuf's limit of \(limit); write it with external data"
        }
    }
}
