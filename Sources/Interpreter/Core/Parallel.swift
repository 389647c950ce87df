import Dispatch

/// Splits work over the cores. Ops that process rows independently (tree ensembles,
/// matrix products, convolutions) use it for inputs large enough to pay for it.
public enum Parallel {
    /// How many workers to use; 1 turns parallelism off (set once, before running).
    nonisolated(unsafe) public static var workers = max(1, min(8, ProcessInfoCores.count))

    /// Calls `body` on contiguous sub-ranges of `0..<count`, concurrently when there are
    /// at least `2 * minimumChunk` items and more than one worker.
    public static func forChunks(_ count: Int, minimumChunk: Int = 1024, _ body: (Range<Int>) -> Void) {
        let w = workers
        guard w > 1, count >= 2 * minimumChunk else {
            if count > 0 { body(0..<count) }
            return
        }
        let chunks = min(w * 4, max(1, count / minimumChunk))
        let size = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { i in
            let lo = i * size
            let hi = min(count, lo + size)
            if lo < hi { body(lo..<hi) }
        }
    }
}

enum ProcessInfoCores {
    static var count: Int {
        #if os(Linux)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 2
        #endif
    }
}

#if os(Linux)
import Glibc
#endif
