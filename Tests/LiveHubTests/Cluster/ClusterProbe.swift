import Foundation
import Testing

/// What a WebSocket client of a test cluster saw, per topic: the `seq` of every event frame, in
/// arrival order.
extension WSProbe {
    func seqs(_ topic: String) -> [UInt64] {
        json.filter { $0["type"] as? String == "event" && $0["topic"] as? String == topic }.compactMap { ($0["seq"] as? NSNumber)?.uint64Value }
    }

    /// Subscribes to a conversation topic from `since` and waits for the answer.
    func subscribe(conversation id: String, since: UInt64 = 0) async throws {
        try await send(#"{"op":"subscribe","topic":"conversation:\#(id)","since":\#(since)}"#)
        try await waitUntil(timeout: .seconds(20)) { p in
            p.json.contains { ($0["type"] as? String == "subscribed" || $0["type"] as? String == "error") && ($0["topic"] as? String == "conversation:\(id)" || $0["op"] != nil) }
        }
    }

    /// Waits until the topic's events reach `head`.
    func waitForHead(_ topic: String, _ head: UInt64, timeout: Duration = .seconds(30)) async throws {
        try await waitUntil(timeout: timeout) { $0.seqs(topic).last.map { $0 >= head } ?? (head == 0) }
    }
}

/// `1…head` exactly once, in order: what every watcher of a conversation must end with.
func expectGapFree(_ seqs: [UInt64], head: UInt64, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let expected: [UInt64] = head == 0 ? [] : Array(1...head)
    let misplaced: Int? = zip(seqs, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    let at = misplaced.map { String($0) } ?? "end"
    #expect(seqs == expected, "\(comment): got \(seqs.count) events, first out of place at \(at)", sourceLocation: sourceLocation)
}
