#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Dispatch

/// What every fuzz target shares: running libFuzzer when it is linked in, replaying files when
/// it is not, and waiting for async work from libFuzzer's (non-Swift) thread.
///
/// Built normally (`swift build`), a fuzz target runs each file named on its command line once
/// through the same code: that is how a crash found by the fuzzer is replayed and debugged.
/// Built with `--sanitize=fuzzer` (docs/fuzzing.md), libFuzzer's `LLVMFuzzerRunDriver` is in
/// the binary and takes over: it mutates the corpus and calls `test` for every input.
package enum FuzzDriver {
    package typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    private typealias RunDriver = @convention(c) (
        UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>, TestOneInput
    ) -> CInt

    package static func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, test: TestOneInput) -> CInt {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerRunDriver") {
            var argc = argc
            var argv = argv
            let run = unsafeBitCast(symbol, to: RunDriver.self)
            return run(&argc, &argv, test)
        }
        // No libFuzzer: replay the files (and the files of the folders) given as arguments.
        var inputs = 0
        for i in 1..<Int(argc) {
            guard let arg = argv?[i].map({ String(cString: $0) }), !arg.hasPrefix("-") else { continue }
            for file in files(at: arg) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                _ = data.withUnsafeBytes { raw in test(raw.bindMemory(to: UInt8.self).baseAddress, raw.count) }
                inputs += 1
            }
        }
        print("replayed \(inputs) inputs (build with --sanitize=fuzzer to fuzz: docs/fuzzing.md)")
        return 0
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }

    /// Runs `work` to completion and returns its result, blocking this thread (libFuzzer's,
    /// which is not one of Swift's cooperative threads, so the work can run meanwhile).
    package static func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let result = ResultBox<T>()
        Task {
            result.value = await work()
            done.signal()
        }
        done.wait()
        guard let value = result.value else { preconditionFailure("the work finished without a result") }
        return value
    }
}

/// Carries a result from a task to the thread waiting on the semaphore.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    // @unchecked: written once by the task before it signals the semaphore, read once by the
    // waiting thread after the signal; the semaphore orders the two.
    var value: T?
}
