@testable import convert_cli
import Foundation
import XCTest

/// OUT/inputs.mk, the prerequisites `convert-cli report` writes for `make convert`.
final class MakeInputsTests: XCTestCase {
    func testConvertedModelsListWhatTheyReadAndFailedOnesAreRetried() {
        let text = Report.makeInputs([
            ["output": "/o/net.onnx", "status": "ok", "inputs": .strings(["/s/net.safetensors"])],
            ["output": "/o/plain.onnx", "status": "ok", "inputs": .strings([])],
            ["output": "/o/dump.onnx", "status": "ok", "inputs": .strings(["/s/config.json", "/s/net.safetensors"])],
            ["output": "/o/bad.onnx", "status": "error"],
        ])
        XCTAssertEqual(text, """
            # Written by `convert-cli report`: what each converted model read besides itself and its sidecar.
            /o/net.onnx: /s/net.safetensors
            /o/dump.onnx: /s/config.json /s/net.safetensors
            /o/bad.onnx: .convert-retry
            /s/config.json:
            /s/net.safetensors:
            .PHONY: .convert-retry
            .convert-retry:

            """)
    }

    func testPathsAreSpelledForMakeOrLeftOut() {
        let text = Report.makeInputs([
            ["output": "/o/a$b.onnx", "status": "ok", "inputs": .strings(["/s/with space#1.bin"])],
            ["output": "/o/c.onnx", "status": "ok", "inputs": .strings(["/s/drive:c.bin"])],
            ["output": "/o/d.onnx", "status": "ok", "inputs": .strings(["/s/line\nbreak.bin"])],
        ])
        XCTAssertEqual(text, """
            # Written by `convert-cli report`: what each converted model read besides itself and its sidecar.
            /o/a$$b.onnx: /s/with\\ space\\#1.bin
            /s/with\\ space\\#1.bin:

            """)
    }
}
