import ConversionKit

extension ConverterRegistry {
    /// Registers the XGBoost frontend (text/JSON dumps, saved JSON/UBJSON models).
    public func registerXGBoost() { register(XGBoostConverter()) }
}
