public enum ConversionKitVersion { public static let string = "0.1.0" }
