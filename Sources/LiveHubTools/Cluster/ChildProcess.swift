import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process of the tests and tools (redis-server, PostgreSQL's tools, `livehub serve`),
/// started with posix_spawn rather than Foundation's Process: the test runner's threads block
/// signals, and a child that inherits that mask ignores SIGTERM; nor does Process always notice
/// such a child's exit there. Here the mask is cleared, signal handlers reset, and the exit is
/// collected with `waitpid`.
package final class ChildProcess: Sendable {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// The pid while it runs; nil once reaped.
    private let child: Mutex<pid_t?>
    package let pid: pid_t

    /// Starts `arguments[0]` with `environment` (nil: this process's), stdout and stderr appended
    /// to `output`.
    package init(_ arguments: [String], environment: [String: String]? = nil, output: String = "/dev/null") throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let env: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for entry in env ?? [] { free(entry) } }
        var pid: pid_t = 0
        let result: Int32
        if let env {
            result = env.withUnsafeBufferPointer { posix_spawn(&pid, arguments[0], &actions, &attributes, argv, UnsafeMutablePointer(mutating: $0.baseAddress)) }
        } else {
            result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        }
        guard result == 0 else { throw Failure(description: "posix_spawn \(arguments[0]) failed: \(result)") }
        self.pid = pid
        child = Mutex(pid)
    }

    deinit { signalAndReap(SIGKILL) }

    /// Waits for the exit without blocking a thread; the exit status (128 + n for signal n).
    package func exitStatus() async -> Int32 {
        while true {
            let done: Int32? = child.withLock { pid in
                guard let running = pid else { return -1 }
                var status: Int32 = 0
                let r = waitpid(running, &status, WNOHANG)
                guard r == running else { return r < 0 && errno != EINTR ? -1 : nil }
                pid = nil
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            if let done { return done }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Whether it is alive (reaps it if it exited on its own).
    package var isRunning: Bool {
        child.withLock { pid in
            guard let running = pid else { return false }
            var status: Int32 = 0
            if waitpid(running, &status, WNOHANG) == 0 { return true }
            pid = nil
            return false
        }
    }

    package func signal(_ signal: Int32) {
        child.withLock { pid in
            if let running = pid { _ = Glibc.kill(running, signal) }
        }
    }

    /// Blocks until the exit (for a deinit or an exit handler, where nothing can be awaited).
    package func waitBlocking() {
        child.withLock { pid in
            guard let running = pid else { return }
            var status: Int32 = 0
            while waitpid(running, &status, 0) < 0 && errno == EINTR {}
            pid = nil
        }
    }

    /// Sends `signal` and waits for the exit (a stopped child is continued first, so it can die).
    package func signalAndReap(_ signal: Int32) {
        child.withLock { pid in
            guard let running = pid else { return }
            _ = Glibc.kill(running, signal)
            _ = Glibc.kill(running, SIGCONT)
            var status: Int32 = 0
            while waitpid(running, &status, 0) < 0 && errno == EINTR {}
            pid = nil
        }
    }
}
