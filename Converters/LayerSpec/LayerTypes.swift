/// Every layer type the converter knows, one entry per file in Layers/.
public enum LayerTypes {
    public static let all: [LayerLowering] = [
        Linear(), Convolution(), BatchNorm(), LayerNorm(), Pooling(), AdaptivePooling(), Activations(), Reshaping(),
        InferenceIdentity(), Arithmetic(), TensorFunctions(), Chunk(), Embedding(), Recurrent(), Attention(), TransposedConvolution(), Normalization(), Padding(), Resampling(), Bilinear(), EmbeddingBag(),
    ]

    /// The lowering for each type name.
    static let byName: [String: LayerLowering] = {
        var out: [String: LayerLowering] = [:]
        for l in all { for n in l.typeNames { out[n] = l } }
        return out
    }()

    /// All type names, sorted (for messages), Sequential included.
    public static var names: [String] { (Array(byName.keys) + ["Sequential"]).sorted() }
}
