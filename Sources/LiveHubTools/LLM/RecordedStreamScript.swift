extension RecordedStreamServer {
    /// What the server answers to one request: status, headers, body bytes, and how the body
    /// is cut into writes and paced.
    package struct Script: Sendable {
        /// What happens after the last write.
        package enum Ending: Sendable, Hashable {
            /// The response ends (the terminating chunk); the connection stays open for reuse.
            case keepAlive
            /// The response ends, then the server closes the connection.
            case close
            /// The response never ends and the connection stays open: a stalled stream. The
            /// server waits for the client to close it.
            case hold
            /// The server closes the connection without ending the response: a crash.
            case drop
        }

        package var status: Int
        /// Sent as given, after the status line; `transfer-encoding: chunked` is added.
        package var headers: [(name: String, value: String)]
        package var body: [UInt8]
        /// Offsets into `body` where a write ends and the next begins; each write is flushed
        /// on its own and becomes its own HTTP chunk. Offsets outside 1..<body.count are ignored.
        package var splits: [Int]
        package var delayBetweenWrites: Duration
        /// Nothing at all, not even the status line, is written before this delay.
        package var delayBeforeFirstByte: Duration
        package var ending: Ending

        package init(
            status: Int, headers: [(name: String, value: String)], body: [UInt8], splits: [Int] = [],
            delayBetweenWrites: Duration = .zero, delayBeforeFirstByte: Duration = .zero, ending: Ending = .keepAlive
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.splits = splits
            self.delayBetweenWrites = delayBetweenWrites
            self.delayBeforeFirstByte = delayBeforeFirstByte
            self.ending = ending
        }

        /// A 200 `text/event-stream` reply replaying `bytes` byte for byte.
        package static func stream(
            _ bytes: [UInt8], splits: [Int] = [], delayBetweenWrites: Duration = .zero,
            delayBeforeFirstByte: Duration = .zero, ending: Ending = .keepAlive
        ) -> Script {
            Script(
                status: 200, headers: [("content-type", "text/event-stream"), ("cache-control", "no-cache")], body: bytes,
                splits: splits, delayBetweenWrites: delayBetweenWrites, delayBeforeFirstByte: delayBeforeFirstByte, ending: ending)
        }

        /// A reply with `status` and a JSON body, in one write.
        package static func status(_ status: Int, _ json: String) -> Script {
            Script(status: status, headers: [("content-type", "application/json")], body: Array(json.utf8))
        }

        /// The body cut at `splits`: the writes, in order (one empty write for an empty body).
        var writes: [[UInt8]] {
            let cuts = Set(splits.filter { $0 > 0 && $0 < body.count }).sorted()
            var writes: [[UInt8]] = []
            var start = 0
            for cut in cuts + [body.count] {
                writes.append(Array(body[start..<cut]))
                start = cut
            }
            return writes
        }
    }
}
