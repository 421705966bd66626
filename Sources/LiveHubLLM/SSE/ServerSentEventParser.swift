/// An incremental Server-Sent Events parser (the WHATWG `text/event-stream` format): feed it
/// the body's chunks as they arrive, in any sizes, and it returns each event once its blank
/// line has arrived.
///
/// - Line endings `\n`, `\r\n` and `\r`, also when a chunk ends between `\r` and `\n`.
/// - Lines are decoded as UTF-8 only once complete, so a chunk may end inside a character;
///   invalid UTF-8 becomes U+FFFD, as the standard says. A leading byte-order mark is dropped.
/// - Fields `event:` and `data:` (one optional space after the colon); several `data:` lines
///   are joined with `\n`; `id:`, `retry:` and unknown fields are ignored, as are comment
///   lines (starting with `:`). A blank line with no data before it dispatches nothing.
/// - At EOF, `finish()` treats an unterminated last line as complete and dispatches a last
///   event that has data even without its blank line. The standard discards such an event;
///   servers that close right after their last line (llama.cpp has) would lose it.
/// - A line longer than `maximumLineLength`, or an event with more than `maximumEventSize`
///   bytes of data, throws `ReplyModelError.malformed`: a hostile or broken server cannot make
///   the buffer grow without limit.
package struct ServerSentEventParser: Sendable {
    package static let defaultLimit = 1 << 20

    package let maximumLineLength: Int
    package let maximumEventSize: Int

    private var line: [UInt8] = []
    /// The last chunk ended with `\r`: a `\n` starting the next one belongs to that line end.
    private var afterCarriageReturn = false
    private var atStreamStart = true
    private var eventType: String?
    /// Every `data:` value followed by `\n`, as the standard's data buffer.
    private var data: [UInt8] = []

    package init(maximumLineLength: Int = defaultLimit, maximumEventSize: Int = defaultLimit) {
        self.maximumLineLength = maximumLineLength
        self.maximumEventSize = maximumEventSize
    }

    /// Parses the next chunk of the stream; returns the events it completed, in order.
    package mutating func feed(_ bytes: some Collection<UInt8>) throws(ReplyModelError) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if bytes[index] == Byte.lineFeed {
                    index = bytes.index(after: index)
                    continue
                }
            }
            let end = bytes[index...].firstIndex { $0 == Byte.lineFeed || $0 == Byte.carriageReturn } ?? bytes.endIndex
            let piece = bytes[index..<end]
            guard line.count + piece.count <= maximumLineLength else {
                throw .malformed("an event-stream line longer than \(maximumLineLength) bytes")
            }
            line.append(contentsOf: piece)
            guard end != bytes.endIndex else { break }
            afterCarriageReturn = bytes[end] == Byte.carriageReturn
            index = bytes.index(after: end)
            if let event = try takeLine() { events.append(event) }
        }
        return events
    }

    /// The stream has ended: completes an unterminated last line and returns a last event that
    /// has data. The parser is then ready for a new stream.
    package mutating func finish() throws(ReplyModelError) -> ServerSentEvent? {
        afterCarriageReturn = false
        var last: ServerSentEvent?
        if !line.isEmpty { last = try takeLine() }
        if last == nil { last = dispatch() }
        atStreamStart = true
        return last
    }

    /// Interprets the complete line in `line`, then empties it.
    private mutating func takeLine() throws(ReplyModelError) -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        var bytes = line[...]
        if atStreamStart {
            atStreamStart = false
            if bytes.starts(with: Byte.orderMark) { bytes = bytes.dropFirst(Byte.orderMark.count) }
        }
        if bytes.isEmpty { return dispatch() }
        if bytes.first == Byte.colon { return nil }
        let colon = bytes.firstIndex(of: Byte.colon)
        let name = colon.map { bytes[..<$0] } ?? bytes
        var value = colon.map { bytes[bytes.index(after: $0)...] } ?? bytes[bytes.endIndex...]
        if value.first == Byte.space { value = value.dropFirst() }
        if name.elementsEqual("data".utf8) {
            guard data.count + value.count + 1 <= maximumEventSize else {
                throw .malformed("an event with more than \(maximumEventSize) bytes of data")
            }
            data.append(contentsOf: value)
            data.append(Byte.lineFeed)
        } else if name.elementsEqual("event".utf8) {
            eventType = value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
        }
        return nil
    }

    /// The blank line: the event gathered so far, if it has data; the buffers start over.
    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventType = nil
            data.removeAll(keepingCapacity: true)
        }
        guard !data.isEmpty else { return nil }
        return ServerSentEvent(event: eventType, data: String(decoding: data.dropLast(), as: UTF8.self))
    }
}

private enum Byte {
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let colon = UInt8(ascii: ":")
    static let space = UInt8(ascii: " ")
    static let orderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
}
