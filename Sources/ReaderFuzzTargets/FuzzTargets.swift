import ConversionKit
import DocumentReaders
import Foundation
import Interpreter
import LayerSpecConverter
import LightGBMConverter
import ONNX
import ONNXSerialization
import PythonObjects
import SklearnConverter
import XGBoostConverter

extension FuzzTarget {
    /// Every target, one per reader entry point (plus the scikit-learn conversion over a
    /// pickle), in the order `make fuzz` runs them.
    public static let all: [FuzzTarget] = [
        FuzzTarget("onnx", "ModelCodec.decode, then the checker and a re-encode",
                   seeds: [SeedFiles(folder: "onnx", suffixes: [".onnx"]), SeedFiles(folder: "ml", suffixes: [".onnx"])]) { bytes, _ in
            let model = try ModelCodec.decode(bytes, source: "fuzz")
            _ = Checker().check(model)
            _ = try ModelCodec.encode(model, source: "fuzz")
        },
        FuzzTarget("json", "JSONReader.parse", seeds: [SeedFiles(folder: "", suffixes: [".json"])]) { bytes, _ in
            _ = try JSONReader.parse(bytes)
        },
        FuzzTarget("ubjson", "UBJSONReader.parse", seeds: [SeedFiles(folder: "xgboost", suffixes: [".ubj"])]) { bytes, _ in
            _ = try UBJSONReader.parse(bytes)
        },
        FuzzTarget("npy", "NPYArrayReader.read (PythonObjects)", seeds: npySeeds) { bytes, _ in
            _ = try NPYArrayReader.read(bytes, name: "fuzz")
        },
        FuzzTarget("npy-tensor", "NPYFile.decode (Interpreter)", seeds: npySeeds) { bytes, _ in
            _ = try NPYFile.decode(bytes, source: "fuzz")
        },
        FuzzTarget("pickle", "PickleMachine.load, then the dump convert-cli prints",
                   seeds: [SeedFiles(folder: "python", suffixes: [".pkl"])]) { bytes, _ in
            let value = try PickleMachine().load(bytes).value
            defer { value.dismantle() }
            _ = PyValueDump(depth: 8).text(value)
        },
        FuzzTarget("joblib", "JoblibReader.read (plain, zlib, gzip)", seeds: [SeedFiles(folder: "python", suffixes: [".joblib"])]) { bytes, _ in
            try JoblibReader().read(bytes).dismantle()
        },
        FuzzTarget("jsonpickle", "JSONPickleReader.read",
                   seeds: [SeedFiles(folder: "python", suffixes: [".jsonpickle.json", "jsonpickle_os_system.json"])]) { bytes, _ in
            try JSONPickleReader().read(bytes).dismantle()
        },
        FuzzTarget("skops", "SkopsReader.read (a zip archive, written to a file first)",
                   seeds: [SeedFiles(folder: "python", suffixes: [".skops"])], detectsLeaks: false) { bytes, workspace in
            try SkopsReader().read(contentsOf: try workspace.write(bytes, as: "input.skops")).dismantle()
        },
        FuzzTarget("sklearn", "SklearnConverter over a pickle: read, convert, check",
                   seeds: [SeedFiles(folder: "python/sklearn", suffixes: [".p4.pkl"]),
                           SeedFiles(folder: "python/sklearn_extra", suffixes: [".p4.pkl"])]) { bytes, workspace in
            let url = try workspace.write(bytes, as: "input.pkl")
            try convertAndCheck(SklearnConverter(), url, .pickle)
        },
        FuzzTarget("xgboost-text", "XGBoost text dump: read, complete (objective reg:squarederror), build the tree IR, lower, check",
                   seeds: [SeedFiles(folder: "xgboost", suffixes: ["dump.txt", "dump-stats.txt"])]) { bytes, workspace in
            try convertAndCheck(XGBoostConverter(), try workspace.write(bytes, as: "dump.txt"), .xgboostTextDump, objective: "reg:squarederror")
        },
        FuzzTarget("xgboost-json-dump", "XGBoost JSON dump: read, complete (objective reg:squarederror), build, lower, check",
                   seeds: [SeedFiles(folder: "xgboost", suffixes: ["dump.json"])]) { bytes, workspace in
            try convertAndCheck(XGBoostConverter(), try workspace.write(bytes, as: "dump.json"), .xgboostJSONDump, objective: "reg:squarederror")
        },
        FuzzTarget("xgboost-json", "XGBoost saved model (JSON): read, build, lower, check",
                   seeds: [SeedFiles(folder: "xgboost", suffixes: ["model.json"])]) { bytes, workspace in
            try convertAndCheck(XGBoostConverter(), try workspace.write(bytes, as: "model.json"), .xgboostJSON)
        },
        FuzzTarget("xgboost-ubj", "XGBoost saved model (UBJSON): read, build, lower, check",
                   seeds: [SeedFiles(folder: "xgboost", suffixes: ["model.ubj"])]) { bytes, workspace in
            try convertAndCheck(XGBoostConverter(), try workspace.write(bytes, as: "model.ubj"), .xgboostUBJSON)
        },
        FuzzTarget("lightgbm-text", "LightGBM model.txt: read, build the tree IR, lower, check",
                   seeds: [SeedFiles(folder: "lightgbm", suffixes: ["model.txt"])]) { bytes, workspace in
            try convertAndCheck(LightGBMConverter(), try workspace.write(bytes, as: "model.txt"), .lightgbmText)
        },
        FuzzTarget("lightgbm-json", "LightGBM dump_model JSON: read, build, lower, check",
                   seeds: [SeedFiles(folder: "lightgbm", suffixes: ["dump.json"])]) { bytes, workspace in
            try convertAndCheck(LightGBMConverter(), try workspace.write(bytes, as: "dump.json"), .lightgbmJSON)
        },
        FuzzTarget("layerspec", "layer spec JSON beside the fixtures' weights: parse, lower, check",
                   seeds: [SeedFiles(folder: "layerspec", suffixes: [".layers.json"])], detectsLeaks: false) { bytes, workspace in
            try workspace.copyLayerSpecWeights()
            try convertAndCheck(LayerSpecConverter(), try workspace.write(bytes, as: "input.layers.json"), .layerSpec)
        },
        FuzzTarget("layerspec-yaml", "layer spec YAML beside the fixtures' weights: parse, lower, check (seeded with the JSON specs, which are YAML too)",
                   seeds: [SeedFiles(folder: "layerspec", suffixes: [".layers.json"])], detectsLeaks: false) { bytes, workspace in
            try workspace.copyLayerSpecWeights()
            try convertAndCheck(LayerSpecConverter(), try workspace.write(bytes, as: "input.layers.yaml"), .layerSpec)
        },
        FuzzTarget("weights", "WeightStore.read: safetensors or a torch.save zip checkpoint, every tensor's values read",
                   seeds: [SeedFiles(folder: "layerspec", suffixes: [".safetensors", ".pt"])], detectsLeaks: false) { bytes, workspace in
            let store = try WeightStore.read(try workspace.write(bytes, as: "weights.bin"))
            for name in store.tensors.keys.sorted() { _ = store.take(name)?.doubles() }
        },
    ]

    /// The target called `name`.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    static let npySeeds = [SeedFiles(folder: "npy", suffixes: [".npy"]), SeedFiles(folder: "python/objects", suffixes: [".npy"]),
                           SeedFiles(folder: "layerspec", suffixes: [".npy"])]

    /// Converts the file without verification (that runs the interpreter on probe rows,
    /// too slow per input), then runs the checker on the model.
    static func convertAndCheck(_ converter: Converter, _ url: URL, _ format: SourceFormat, objective: String? = nil) throws {
        var options = ConversionOptions()
        options.syntheticVerification = false
        options.hints.objective = objective
        let result = try converter.convert(contentsOf: url, format: format, options: options)
        _ = Checker().check(result.model)
    }
}
