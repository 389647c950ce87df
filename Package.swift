// swift-tools-version:6.0
// The ONNX conversion toolkit. See README.md for the layout and DESIGN notes.
import PackageDescription

let package = Package(
    name: "onnx-convert",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ONNX", targets: ["ONNX"]),
        .library(name: "ONNXSerialization", targets: ["ONNXSerialization"]),
        .library(name: "Interpreter", targets: ["Interpreter"]),
        .library(name: "TreeEnsembles", targets: ["TreeEnsembles"]),
        .library(name: "ConversionKit", targets: ["ConversionKit"]),
        .library(name: "ReaderLimits", targets: ["ReaderLimits"]),
        .library(name: "DocumentReaders", targets: ["DocumentReaders"]),
        .library(name: "PythonObjects", targets: ["PythonObjects"]),
        .library(name: "XGBoostConverter", targets: ["XGBoostConverter"]),
        .library(name: "LightGBMConverter", targets: ["LightGBMConverter"]),
        .library(name: "SklearnConverter", targets: ["SklearnConverter"]),
        .library(name: "LayerSpecConverter", targets: ["LayerSpecConverter"]),
        .executable(name: "convert-cli", targets: ["convert-cli"]),
        .executable(name: "dense-exporter-example", targets: ["DenseExporter"]),
        .executable(name: "reader-fuzz", targets: ["reader-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Reading skops files (zip archives) without hand-written zip code.
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // Layer specs written in YAML.
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // System libraries, found with pkg-config (Debian: libprotobuf-c-dev, zlib1g-dev).
        .systemLibrary(
            name: "CProtobufC", path: "Sources/CProtobufC", pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(
            name: "SystemZlib", path: "Sources/SystemZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        // C code that protoc-c generates from proto/onnx.proto (`make proto`).
        .target(name: "ONNXProtoC", dependencies: ["CProtobufC"], path: "Sources/ONNXProtoC"),

        // The model IR, graph builder and checker. Pure Swift, no I/O.
        .target(name: "ONNX", path: "Sources/ONNX"),
        // Swift IR <-> protobuf-c structs; .onnx files; external data.
        .target(
            name: "ONNXSerialization",
            dependencies: ["ONNX", "ONNXProtoC", "CProtobufC", "ReaderLimits"],
            path: "Sources/ONNXSerialization"),
        // The reference interpreter: tensors, op registry, one op per file under Ops/.
        .target(name: "Interpreter", dependencies: ["ONNX"], path: "Sources/Interpreter"),
        // The shared tree-ensemble IR, its native evaluator and its lowering to ONNX.
        .target(name: "TreeEnsembles", dependencies: ["ONNX"], path: "Sources/TreeEnsembles"),
        // The one policy of bounds (depth, counts, sizes, memory) every reader enforces.
        .target(name: "ReaderLimits", path: "Sources/ReaderLimits"),
        // JSON and UBJSON documents with exact float32/float64 numbers and error positions.
        .target(name: "DocumentReaders", dependencies: ["ReaderLimits"], path: "Sources/DocumentReaders"),
        // Python objects as data: a pickle VM that never calls anything, joblib, numpy arrays.
        .target(
            name: "PythonObjects",
            dependencies: ["SystemZlib", "ReaderLimits", "DocumentReaders", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Sources/PythonObjects"),
        // Converter protocol, format sniffing, registry.
        .target(
            name: "ConversionKit",
            dependencies: ["ONNX", "ONNXSerialization", "Interpreter", "TreeEnsembles", "ReaderLimits"],
            path: "Sources/ConversionKit"),
        // Frontends: one per framework, each producing a shared IR (Converters/<Name>).
        .target(
            name: "XGBoostConverter",
            dependencies: ["ConversionKit", "TreeEnsembles", "DocumentReaders", "ReaderLimits"],
            path: "Converters/XGBoost"),
        .target(
            name: "LightGBMConverter",
            dependencies: ["ConversionKit", "TreeEnsembles", "DocumentReaders", "ReaderLimits"],
            path: "Converters/LightGBM"),
        .target(
            name: "SklearnConverter",
            dependencies: ["ConversionKit", "TreeEnsembles", "PythonObjects", "ReaderLimits"],
            path: "Converters/Sklearn"),
        .target(
            name: "LayerSpecConverter",
            dependencies: ["ConversionKit", "ONNXSerialization", "DocumentReaders", "PythonObjects", "ReaderLimits", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                           .product(name: "Yams", package: "Yams")],
            path: "Converters/LayerSpec"),
        .executableTarget(
            name: "convert-cli",
            dependencies: [
                "ONNX", "ONNXSerialization", "ConversionKit", "Interpreter", "XGBoostConverter", "LightGBMConverter", "SklearnConverter", "LayerSpecConverter", "PythonObjects", "ReaderLimits", "DocumentReaders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/convert-cli"),

        // Fuzzing the readers (README, Fuzzing): the table of targets (bytes in, thrown errors
        // swallowed), shared by the libFuzzer executable (`make fuzz-build` builds it with
        // -DFUZZING; a normal build replays files) and the regression replay tests.
        .target(
            name: "ReaderFuzzTargets",
            dependencies: ["ONNX", "ONNXSerialization", "Interpreter", "DocumentReaders", "PythonObjects", "ConversionKit",
                           "XGBoostConverter", "LightGBMConverter", "SklearnConverter", "LayerSpecConverter"],
            path: "Sources/ReaderFuzzTargets"),
        .executableTarget(name: "reader-fuzz", dependencies: ["ReaderFuzzTargets"], path: "Sources/reader-fuzz"),

        // An exporter written against the library (docs/graph-builder.md).
        .executableTarget(name: "DenseExporter", dependencies: ["ONNX", "ONNXSerialization", "Interpreter"], path: "Examples/DenseExporter"),

        // Shared helpers for the test targets: fixture paths, temporary folders.
        .target(name: "TestSupport", dependencies: ["ONNX", "ONNXSerialization", "Interpreter"], path: "Tests/TestSupport"),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "TestSupport"], path: "Tests/ONNXTests"),
        .testTarget(
            name: "ONNXSerializationTests",
            dependencies: ["ONNX", "ONNXSerialization", "TestSupport"],
            path: "Tests/ONNXSerializationTests"),
        .testTarget(
            name: "InterpreterTests", dependencies: ["ONNX", "ONNXSerialization", "Interpreter", "TestSupport"],
            path: "Tests/InterpreterTests"),
        .testTarget(
            name: "TreeEnsemblesTests", dependencies: ["ONNX", "TreeEnsembles", "Interpreter", "ConversionKit", "ONNXSerialization", "TestSupport"],
            path: "Tests/TreeEnsemblesTests"),
        .testTarget(
            name: "DocumentReadersTests", dependencies: ["DocumentReaders", "TestSupport"],
            path: "Tests/DocumentReadersTests"),
        .testTarget(
            name: "XGBoostConverterTests",
            dependencies: ["XGBoostConverter", "ConversionKit", "TreeEnsembles", "Interpreter", "ONNX", "ONNXSerialization", "TestSupport"],
            path: "Tests/XGBoostConverterTests"),
        .testTarget(
            name: "LightGBMConverterTests",
            dependencies: ["LightGBMConverter", "ConversionKit", "TreeEnsembles", "Interpreter", "ONNX", "ONNXSerialization", "TestSupport"],
            path: "Tests/LightGBMConverterTests"),
        .testTarget(
            name: "PythonObjectsTests", dependencies: ["PythonObjects", "ReaderLimits", "Interpreter", "TestSupport"],
            path: "Tests/PythonObjectsTests"),
        .testTarget(
            name: "SklearnConverterTests",
            dependencies: ["SklearnConverter", "ConversionKit", "Interpreter", "ONNX", "ONNXSerialization", "TestSupport"],
            path: "Tests/SklearnConverterTests"),
        .testTarget(
            name: "LayerSpecConverterTests",
            dependencies: ["LayerSpecConverter", "ConversionKit", "Interpreter", "ONNX", "ONNXSerialization", "TestSupport"],
            path: "Tests/LayerSpecConverterTests"),
        .testTarget(
            name: "ReaderLimitsTests",
            dependencies: ["ReaderLimits", "DocumentReaders", "PythonObjects", "XGBoostConverter", "LightGBMConverter", "LayerSpecConverter",
                           "ConversionKit", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/ReaderLimitsTests"),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport", "ONNX", "ONNXSerialization", "ConversionKit", "XGBoostConverter", "LightGBMConverter", "SklearnConverter", "LayerSpecConverter"],
            path: "Tests/CLITests"),
        // The command line's own reading (QuickConvertLine) against ArgumentParser's.
        .testTarget(
            name: "ConvertCLITests",
            dependencies: ["convert-cli", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Tests/ConvertCLITests"),
        .testTarget(name: "ReaderFuzzTests", dependencies: ["ReaderFuzzTargets", "TestSupport"], path: "Tests/ReaderFuzzTests"),
    ],
    swiftLanguageModes: [.v5]
)
