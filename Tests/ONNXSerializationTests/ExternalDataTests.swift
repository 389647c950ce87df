import Foundation
import ONNX
import ONNXSerialization
import TestSupport
import XCTest

final class ExternalDataTests: XCTestCase {
    func model(bigCount: Int = 300) -> Model {
        let big = (0..<bigCount).map { Float($0) * 0.25 }
        var g = Graph(name: "g")
        g.initializer = [
            Tensor(name: "big1", dataType: .float, dims: [Int64(bigCount)], rawData: ByteBuffer(copyingElementsOf: big)),
            Tensor(name: "small", dataType: .float, dims: [2], rawData: ByteBuffer(copyingElementsOf: [Float(1), 2])),
            Tensor(name: "big2", dataType: .int64, dims: [Int64(bigCount)], rawData: ByteBuffer(copyingElementsOf: (0..<bigCount).map { Int64($0) })),
        ]
        g.node = [Node(opType: "Identity", input: ["big1"], output: ["y"])]
        g.output = [ValueInfo(name: "y", type: .tensor(.float, [.fixed(Int64(bigCount))]))]
        var m = Model()
        m.irVersion = 10
        m.opsetImport = [OperatorSetID(domain: "", version: 21)]
        m.graph = g
        return m
    }

    func testWriteExternalThenReadBackEqual() throws {
        let dir = TemporaryFolder("ext")
        let url = dir.file("m.onnx")
        let m = model()
        let result = try m.write(to: url, options: WriteOptions(externalData: .always(threshold: 100)))
        XCTAssertEqual(result.externalTensorCount, 2)
        XCTAssertEqual(dir.contents, ["m.onnx", "m.onnx.data"])
        // 300 floats = 1200 bytes at offset 0; then 300 int64 = 2400 bytes at the next
        // multiple of 64 after 1200, which is 1216.
        let refs = try Model(contentsOf: url, loadExternalData: false)
        let info = refs.graph!.initializer.map(\.externalDataInfo)
        XCTAssertEqual(info[0], ["location": "m.onnx.data", "offset": "0", "length": "1200"])
        XCTAssertEqual(info[1], [:])
        XCTAssertEqual(info[2], ["location": "m.onnx.data", "offset": "1216", "length": "2400"])
        XCTAssertEqual(result.externalDataBytes, 1216 + 2400)
        XCTAssertNil(refs.graph!.initializer[0].rawData)
        XCTAssertEqual(refs.graph!.initializer[0].dataLocation, .external)
        let back = try Model(contentsOf: url)
        XCTAssertEqual(back, m)
        WrittenModels.record(url, as: "external-data.onnx")
        WrittenModels.record(dir.file("m.onnx.data"), as: "m.onnx.data")
    }

    /// Past the inline size limit (protobuf's 2 GiB; lowered here to keep the test
    /// small) `.automatic` moves tensors of 1 KiB and more to a side file by itself.
    func testAutomaticExternalDataPastTheSizeLimit() throws {
        let dir = TemporaryFolder("auto")
        let m = model()
        var options = WriteOptions()
        options.inlineSizeLimit = 10_000
        let small = try m.write(to: dir.file("inline.onnx"), options: options)
        XCTAssertNil(small.externalDataFile, "3.6 KB of tensors fit under 10,000 bytes")
        options.inlineSizeLimit = 3_000
        let split = try m.write(to: dir.file("split.onnx"), options: options)
        XCTAssertEqual(split.externalTensorCount, 2, "the 1200- and 2400-byte tensors move; the 8-byte one stays")
        XCTAssertEqual(split.externalDataFile?.lastPathComponent, "split.onnx.data")
        XCTAssertEqual(try Model(contentsOf: dir.file("split.onnx")), m)
    }

    func testLocationOutsideFolderIsRefused() throws {
        let dir = TemporaryFolder("escape")
        try Data(count: 1200).write(to: dir.url.deletingLastPathComponent().appendingPathComponent("outside-\(UUID().uuidString)"))
        for location in ["../secret.bin", "/etc/passwd"] {
            var m = model()
            m.graph!.initializer[0].rawData = nil
            m.graph!.initializer[0].dataLocation = .external
            m.graph!.initializer[0].externalData = [StringStringEntry(key: "location", value: location)]
            let url = dir.file("m.onnx")
            try Data(m.serializedBytes()).write(to: url)
            XCTAssertThrowsError(try Model(contentsOf: url)) { e in
                guard case ONNXSerializationError.pathEscapesModelFolder(_, let t, let l)? = e as? ONNXSerializationError else { return XCTFail("\(e)") }
                XCTAssertEqual(t, "big1")
                XCTAssertEqual(l, location)
            }
        }
    }

    func testSymlinkLeavingFolderIsRefused() throws {
        let outer = TemporaryFolder("outer")
        let dir = outer.file("model")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(count: 1200).write(to: outer.file("secret.bin"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("w.bin").path, withDestinationPath: outer.file("secret.bin").path)
        var m = model()
        m.graph!.initializer[0].rawData = nil
        m.graph!.initializer[0].dataLocation = .external
        m.graph!.initializer[0].externalData = [StringStringEntry(key: "location", value: "w.bin")]
        let url = dir.appendingPathComponent("m.onnx")
        try Data(m.serializedBytes()).write(to: url)
        XCTAssertThrowsError(try Model(contentsOf: url)) { e in
            guard case ONNXSerializationError.pathEscapesModelFolder? = e as? ONNXSerializationError else { return XCTFail("\(e)") }
        }
    }

    /// A folder on the way that is a link out of the model's folder is refused too.
    func testSymlinkedFolderLeavingFolderIsRefused() throws {
        let outer = TemporaryFolder("outer")
        let dir = outer.file("model"), elsewhere = outer.file("elsewhere")
        for d in [dir, elsewhere] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        try Data(count: 1200).write(to: elsewhere.appendingPathComponent("w.bin"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("sub").path, withDestinationPath: "../elsewhere")
        var m = model()
        m.graph!.initializer[0].rawData = nil
        m.graph!.initializer[0].dataLocation = .external
        m.graph!.initializer[0].externalData = [StringStringEntry(key: "location", value: "sub/w.bin")]
        let url = dir.appendingPathComponent("m.onnx")
        try Data(m.serializedBytes()).write(to: url)
        XCTAssertThrowsError(try Model(contentsOf: url)) { e in
            guard case ONNXSerializationError.pathEscapesModelFolder? = e as? ONNXSerializationError else { return XCTFail("\(e)") }
        }
    }

    func testRangePastEndOfDataFile() throws {
        let dir = TemporaryFolder("range")
        try Data(count: 100).write(to: dir.file("w.bin"))
        var m = model()
        m.graph!.initializer[0].rawData = nil
        m.graph!.initializer[0].dataLocation = .external
        m.graph!.initializer[0].externalData = [
            StringStringEntry(key: "location", value: "w.bin"), StringStringEntry(key: "offset", value: "64"),
            StringStringEntry(key: "length", value: "1200"),
        ]
        let url = dir.file("m.onnx")
        try Data(m.serializedBytes()).write(to: url)
        XCTAssertThrowsError(try Model(contentsOf: url)) { e in
            guard case ONNXSerializationError.externalData(_, "big1", let p)? = e as? ONNXSerializationError else { return XCTFail("\(e)") }
            XCTAssertTrue(p.contains("past the end"), p)
        }
    }
}

final class AtomicWriteTests: XCTestCase {
    func testFailedWriteLeavesExistingFileAndNoTemporaries() throws {
        let dir = TemporaryFolder("atomic")
        let url = dir.file("m.onnx")
        let good = Data([0x08, 0x08])
        try good.write(to: url)
        var m = Model()
        m.irVersion = 10
        var g = Graph(name: "g")
        var t = Tensor()
        t.name = "w"
        t.dataType = .float
        t.dataLocation = .external
        t.externalData = [StringStringEntry(key: "location", value: "nowhere.bin")]
        g.initializer = [t]
        m.graph = g
        XCTAssertThrowsError(try m.write(to: url))
        XCTAssertEqual(try Data(contentsOf: url), good)
        XCTAssertEqual(dir.contents, ["m.onnx"])
    }

    func testWriteIntoMissingFolderFailsWithPath() {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/m.onnx")
        XCTAssertThrowsError(try richModel().write(to: url)) { e in
            guard case ONNXSerializationError.io(let p, _)? = e as? ONNXSerializationError else { return XCTFail("\(e)") }
            XCTAssertEqual(p, url.path)
        }
    }

    func testWriteReplacesAndIsDeterministic() throws {
        let dir = TemporaryFolder("det")
        let a = dir.file("a.onnx"), b = dir.file("b.onnx")
        try richModel().write(to: a)
        try richModel().write(to: b)
        try richModel().write(to: b)
        XCTAssertEqual(try Data(contentsOf: a), try Data(contentsOf: b))
        XCTAssertEqual(dir.contents, ["a.onnx", "b.onnx"])
    }
}

final class GeneratedCodeTests: XCTestCase {
    /// The committed protobuf-c code must be what protoc-c makes from proto/onnx.proto
    /// and proto/onnx-data.proto (`make proto` regenerates it).
    func testCommittedProtobufCCodeIsCurrent() throws {
        let protoc = ["/usr/bin/protoc-c", "/usr/local/bin/protoc-c"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let protoc else { return XCTFail("protoc-c is not installed (Debian: protobuf-c-compiler; `make deps` installs it)") }
        let out = TemporaryFolder("protoc")
        let r = try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd '\(TestPaths.root.path)/proto' && '\(protoc)' --c_out='\(out.url.path)' onnx.proto onnx-data.proto"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let gen = TestPaths.root.appendingPathComponent("Sources/ONNXProtoC")
        for name in ["onnx", "onnx-data"] {
            XCTAssertEqual(try Data(contentsOf: out.file("\(name).pb-c.c")), try Data(contentsOf: gen.appendingPathComponent("\(name).pb-c.c")), "run `make proto`")
            XCTAssertEqual(try Data(contentsOf: out.file("\(name).pb-c.h")), try Data(contentsOf: gen.appendingPathComponent("include/\(name).pb-c.h")), "run `make proto`")
        }
    }
}
