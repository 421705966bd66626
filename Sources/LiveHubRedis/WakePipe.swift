#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pipe that lets `close()` interrupt a thread blocked in poll(). Its descriptors are fixed at
/// init and closed in deinit, so every owner of the pipe sees the same, still-open descriptors.
/// If the pipe cannot be created, both descriptors are -1: poll() ignores negative descriptors,
/// so the loop still notices `close()` at its next tick, just later.
final class WakePipe: Sendable {
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    init() {
        var descriptors: [Int32] = [-1, -1]
        if pipe(&descriptors) == 0 {
            for descriptor in descriptors {
                // Non-blocking, so signal() can never stall; close-on-exec, so child processes
                // (such as a test's redis-server) do not inherit it.
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            }
            readDescriptor = descriptors[0]
            writeDescriptor = descriptors[1]
        } else {
            readDescriptor = -1
            writeDescriptor = -1
        }
    }

    deinit {
        for descriptor in [readDescriptor, writeDescriptor] where descriptor >= 0 {
            #if canImport(Glibc)
            _ = Glibc.close(descriptor)
            #else
            _ = Darwin.close(descriptor)
            #endif
        }
    }

    /// Makes the read end readable (for good: nobody drains it, since only close() signals).
    func signal() {
        guard writeDescriptor >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Sleeps up to the timeout, or until `signal()` was called.
    func wait(timeoutMilliseconds: Int32) {
        var descriptor = pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, timeoutMilliseconds)
    }
}
