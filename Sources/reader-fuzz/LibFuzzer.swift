#if FUZZING
import Foundation
import ReaderFuzzTargets

/// libFuzzer's entry point when linked from libclang_rt.fuzzer_no_main (the executable
/// keeps its own main): it parses libFuzzer's flags from argv and calls `callback` once
/// per input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// Runs libFuzzer on one target (the build `make fuzz-build` makes, with -DFUZZING).
enum LibFuzzer {
    // The C callback cannot capture: the target and its workspace live here.
    nonisolated(unsafe) static var target: FuzzTarget?
    nonisolated(unsafe) static var workspace: FuzzWorkspace?

    /// libFuzzer's exit status. `droppingFirstArgument` removes the target's name from
    /// the arguments libFuzzer sees.
    static func run(_ target: FuzzTarget, in workspace: FuzzWorkspace, droppingFirstArgument: Bool) -> Int32 {
        Self.target = target
        Self.workspace = workspace
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        if droppingFirstArgument {
            // argv[1] (the target's name) out, argv[0] kept: libFuzzer re-runs argv[0].
            let copy = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: Int(argc))
            copy[0] = CommandLine.unsafeArgv[0]
            for i in 2..<Int(argc) { copy[i - 1] = CommandLine.unsafeArgv[i] }
            copy[Int(argc) - 1] = nil
            argc -= 1
            argv = copy
        }
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            let bytes = size == 0 ? [] : [UInt8](UnsafeBufferPointer(start: data, count: size))
            if let t = LibFuzzer.target, let w = LibFuzzer.workspace { t.run(bytes, in: w) }
            return 0
        }
    }
}
#endif
