import Logging
import Testing
@testable import LiveHubRedis

/// The raw Redis clients against a real redis-server per test.
@Suite("Redis pub/sub")
struct RedisPubSubTests {
    let logger = Logger(label: "redis-test") { _ in SwiftLogNoOpLogHandler() }

    @Test("10,000 publishes from 4 producers arrive complete and in order per producer")
    func manyMessagesInOrder() async throws {
        let server = try RedisServer()
        let endpoint = try RedisEndpoint(url: server.url)
        let subscriber = RedisSubscriber(endpoint: endpoint, channels: ["order"], logger: logger)
        defer { subscriber.close() }
        let recorder = RedisEventRecorder(subscriber.events)
        #expect(await recorder.waitUntil { $0.count(.subscribed) == 1 })

        let publisher = RedisPublisher(endpoint: endpoint, logger: logger)
        defer { publisher.close() }
        let producers = 4, perProducer = 2_500
        try await withThrowingTaskGroup(of: Void.self) { group in
            for producer in 0..<producers {
                group.addTask {
                    for sequence in 0..<perProducer {
                        try await publisher.publish(channel: "order", payload: Array("\(producer):\(sequence)".utf8))
                    }
                }
            }
            try await group.waitForAll()
        }

        #expect(await recorder.waitUntil { $0.messages.count >= producers * perProducer })
        var next = [Int](repeating: 0, count: producers)
        for message in recorder.snapshot.messages {
            #expect(message.channel == "order")
            let parts = String(decoding: message.payload, as: UTF8.self).split(separator: ":").compactMap { Int($0) }
            try #require(parts.count == 2)
            #expect(parts[1] == next[parts[0]], "producer \(parts[0]) out of order")
            next[parts[0]] = parts[1] + 1
        }
        #expect(next == [Int](repeating: perProducer, count: producers))
        #expect(recorder.snapshot.disconnections == 0)
    }

    @Test("Binary payloads with NUL bytes, an empty one and 1 MB arrive intact")
    func binaryPayloads() async throws {
        let server = try RedisServer()
        let endpoint = try RedisEndpoint(url: server.url)
        let subscriber = RedisSubscriber(endpoint: endpoint, channels: ["bin\0ary", "other"], logger: logger)
        defer { subscriber.close() }
        let recorder = RedisEventRecorder(subscriber.events)
        #expect(await recorder.waitUntil { $0.count(.subscribed) == 1 })

        let publisher = RedisPublisher(endpoint: endpoint, logger: logger)
        defer { publisher.close() }
        let nuls: [UInt8] = [0, 1, 0, 0, 255, 13, 10, 0]
        let large = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try await publisher.publish(channel: "bin\0ary", payload: nuls)
        try await publisher.publish(channel: "other", payload: [])
        try await publisher.publish(channel: "bin\0ary", payload: large)

        #expect(await recorder.waitUntil { $0.messages.count >= 3 })
        let messages = recorder.snapshot.messages
        try #require(messages.count == 3)
        #expect(messages[0].channel == "bin\0ary" && messages[0].payload == nuls)
        #expect(messages[1].channel == "other" && messages[1].payload.isEmpty)
        #expect(messages[2].channel == "bin\0ary" && messages[2].payload == large)
    }

    @Test("A killed and restarted server: disconnected, publishes fail, then both recover")
    func serverRestart() async throws {
        let server = try RedisServer()
        let endpoint = try RedisEndpoint(url: server.url)
        let subscriber = RedisSubscriber(endpoint: endpoint, channels: ["restart"], logger: logger)
        defer { subscriber.close() }
        let recorder = RedisEventRecorder(subscriber.events)
        #expect(await recorder.waitUntil { $0.count(.subscribed) == 1 })
        let publisher = RedisPublisher(endpoint: endpoint, logger: logger)
        defer { publisher.close() }

        // Mid-stream: messages are flowing when the server dies.
        for index in 0..<100 {
            try await publisher.publish(channel: "restart", payload: Array("before \(index)".utf8))
        }
        server.kill()
        #expect(await recorder.waitUntil { $0.disconnections == 1 })
        // The first publish finds the dead socket (.io), the next cannot connect (.connect).
        for _ in 0..<3 {
            await #expect(throws: RedisError.self) {
                try await publisher.publish(channel: "restart", payload: Array("lost".utf8))
            }
        }

        try server.start()
        #expect(await recorder.waitUntil { $0.count(.subscribed) == 2 })
        try await publisher.publish(channel: "restart", payload: Array("after".utf8))
        #expect(await recorder.waitUntil { $0.messages.last?.payload == Array("after".utf8) })

        let snapshot = recorder.snapshot
        #expect(snapshot.disconnections == 1, "one outage is reported once, not per retry")
        #expect(snapshot.messages.allSatisfy { $0.payload != Array("lost".utf8) })
        guard let down = snapshot.events.firstIndex(where: { if case .disconnected = $0 { true } else { false } }),
              let up = snapshot.events.lastIndex(of: .subscribed) else {
            Issue.record("missing events: \(snapshot.events.count)")
            return
        }
        #expect(down < up)
    }

    @Test("AUTH and SELECT from the URL; a wrong password fails to connect")
    func passwordAndDatabase() async throws {
        let server = try RedisServer(arguments: ["--requirepass", "s@cret"])
        let endpoint = try RedisEndpoint(url: "redis://:s%40cret@127.0.0.1:\(server.port)/3")
        let subscriber = RedisSubscriber(endpoint: endpoint, channels: ["auth"], logger: logger)
        defer { subscriber.close() }
        let recorder = RedisEventRecorder(subscriber.events)
        #expect(await recorder.waitUntil { $0.count(.subscribed) == 1 })
        let publisher = RedisPublisher(endpoint: endpoint, logger: logger)
        defer { publisher.close() }
        try await publisher.publish(channel: "auth", payload: [1, 2, 3])
        #expect(await recorder.waitUntil { $0.messages.first?.payload == [1, 2, 3] })

        let intruder = RedisPublisher(
            endpoint: RedisEndpoint(host: "127.0.0.1", port: server.port, password: "wrong"), logger: logger)
        defer { intruder.close() }
        let error = await #expect(throws: RedisError.self) {
            try await intruder.publish(channel: "auth", payload: [0])
        }
        if case .connect = error {} else { Issue.record("expected .connect, got \(String(describing: error))") }
    }

    @Test("URLs parse or fail with badURL")
    func urls() throws {
        let plain = try RedisEndpoint(url: "redis://127.0.0.1")
        #expect(plain == RedisEndpoint(host: "127.0.0.1", port: 6379))
        let full = try RedisEndpoint(url: "REDIS://:p%3Aw%40rd@cache.local:6380/2")
        #expect(full == RedisEndpoint(host: "cache.local", port: 6380, password: "p:w@rd", database: 2))
        let v6 = try RedisEndpoint(url: "redis://[::1]:7000/")
        #expect(v6 == RedisEndpoint(host: "::1", port: 7000))

        let bad = [
            "", "127.0.0.1:6379", "http://127.0.0.1", "rediss://127.0.0.1", "redis://", "redis://:6379",
            "redis://host:0", "redis://host:65536", "redis://host:port", "redis://host/db", "redis://host/-1",
            "redis://user:pw@host", "redis://secret@host", "redis://:%zz@host", "redis://::1",
            "redis://[::1", "redis://[::1]x", "redis://host?timeout=1",
        ]
        for url in bad {
            let error = #expect(throws: RedisError.self, "\(url)") { try RedisEndpoint(url: url) }
            if case .badURL(let message) = error {
                #expect(!message.isEmpty)
            } else {
                Issue.record("\(url): expected badURL, got \(String(describing: error))")
            }
        }
    }

    @Test("close() finishes the stream and fails later publishes with .closed")
    func closing() async throws {
        let server = try RedisServer()
        let endpoint = try RedisEndpoint(url: server.url)
        let subscriber = RedisSubscriber(endpoint: endpoint, channels: ["close"], logger: logger)
        let recorder = RedisEventRecorder(subscriber.events)
        #expect(await recorder.waitUntil { $0.count(.subscribed) == 1 })
        subscriber.close()
        subscriber.close()
        #expect(await recorder.waitUntil(timeout: .seconds(2)) { $0.finished })

        let publisher = RedisPublisher(endpoint: endpoint, logger: logger)
        try await publisher.publish(channel: "close", payload: [1])
        publisher.close()
        publisher.close()
        let error = await #expect(throws: RedisError.self) {
            try await publisher.publish(channel: "close", payload: [2])
        }
        if case .closed = error {} else { Issue.record("expected .closed, got \(String(describing: error))") }
    }

    @Test("A subscriber started before its server comes up reports the outage once, then subscribes")
    func serverComesUpLater() async throws {
        let server = try RedisServer()
        server.stop()
        let subscriber = RedisSubscriber(endpoint: try RedisEndpoint(url: server.url), channels: ["late"], logger: logger)
        defer { subscriber.close() }
        let recorder = RedisEventRecorder(subscriber.events)
        #expect(await recorder.waitUntil { $0.disconnections == 1 })
        try server.start()
        #expect(await recorder.waitUntil { $0.count(.subscribed) == 1 })
        #expect(recorder.snapshot.disconnections == 1)
    }
}
