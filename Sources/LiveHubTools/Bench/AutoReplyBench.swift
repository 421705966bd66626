import Actors
import ArgumentParser
import AsyncHTTPClient
import Foundation
import LiveHub
import NIOCore

extension BenchCommand {
    /// `livehub bench autoreply`: speed-to-lead through the real server and a fake GHL.
    ///
    /// 1. Latency: new leads' first messages at a fixed rate (open loop), every location in
    ///    `auto` with delay 0; the time from posting the webhook to the auto-reply request
    ///    arriving at the fake GHL.
    /// 2. Outbox throughput: a backlog queued while sending is paused, then a restart without the
    ///    pause; sends/s from the first request at the fake GHL to the last.
    ///
    /// Leads are spread over enough locations that none exceeds GHL's 100 requests per 10 s.
    struct AutoReply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "autoreply", abstract: "Webhook → auto-reply request at a fake GHL (delay 0): p50/p99 at a fixed rate, and sends/s through the outbox.")

        @Option(help: "Lead webhooks per second in the latency phase.") var rate = 200
        @Option(help: "Seconds of the latency phase.") var seconds = 10
        @Option(help: "Locations the leads are spread over.") var locations = 40
        @Option(help: "Replies queued for the outbox-throughput phase.") var backlog = 3_000
        @Option(help: "Milliseconds the fake GHL takes to answer a send.") var ghlLatencyMs = 0
        @Option(help: "Port for the server under test.") var port = 18_097
        @Option(help: "Port for the fake GHL.") var ghlPort = 18_096

        static let leadTexts = ["Hi! Can we see the house this Saturday?", "Could we see it this weekend?", "Is it still available? Could we see it Saturday after 2?"]

        func run() async throws {
            let ghl = BenchGHL(latency: .milliseconds(Int64(ghlLatencyMs)))
            let ghlTask = Task { try await ghl.run(port: ghlPort) }
            defer { ghlTask.cancel() }
            let client = BenchSetup.client()
            let zone = try Self.daytimeZone()
            print("LiveHub auto-reply benchmark — \(BenchSetup.build), loopback, \(ProcessInfo.processInfo.activeProcessorCount) cores, fake GHL answers after \(ghlLatencyMs) ms, leads' time zone \(zone)")

            let latency = try await Node(bench: self, client: client, zone: zone, paused: false, locationCount: locations).run { node in
                try await latencyPhase(node, ghl: ghl)
            }
            print(latency)
            ghl.reset()
            let throughput = try await outboxPhase(client: client, zone: zone, ghl: ghl)
            print(throughput)
            try await client.shutdown()
        }

        func latencyPhase(_ node: Node, ghl: BenchGHL) async throws -> String {
            let total = rate * seconds
            let posted = LockedBox<[String: ContinuousClock.Instant]>([:])
            let failures = AtomicCount()
            let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
            let start = ContinuousClock.now
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<total {
                    let due = start + interval * i
                    if due > ContinuousClock.now { try? await Task.sleep(until: due, clock: .continuous) }
                    group.addTask {
                        let contact = "lead-\(i)"
                        posted.update { $0[contact] = .now }
                        if (try? await node.lead(i, contact: contact)) != true { failures.add() }
                    }
                }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while ghl.received.count < total - failures.count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            let arrivals = ghl.received
            let samples = posted.get().compactMap { contact, t0 in arrivals[contact].map { $0 - t0 } }
            return """
                latency: \(total) new leads at \(rate)/s over \(locations) locations (\(failures.count) webhooks failed), auto mode, delay 0
                  webhook posted → auto-reply request at GHL: \(Percentiles(samples)); \(total - samples.count) replies missing
                """
        }

        func outboxPhase(client: HTTPClient, zone: String, ghl: BenchGHL) async throws -> String {
            // Enough locations that each stays under 100 sends per 10 s while the backlog drains.
            let locationCount = max(locations, backlog / 50)
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("livehub-bench-auto-\(UUID().uuidString)")
            let queued = try await Node(bench: self, client: client, zone: zone, paused: true, locationCount: locationCount, data: data).run { node in
                let ok = AtomicCount()
                let next = AtomicCount()
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<32 {
                        group.addTask {
                            while true {
                                next.add()
                                let i = next.count - 1
                                guard i < backlog else { return }
                                if (try? await node.lead(i, contact: "backlog-\(i)")) == true { ok.add() }
                            }
                        }
                    }
                }
                return ok.count
            }
            ghl.reset()
            let restart = ContinuousClock.now
            return try await Node(bench: self, client: client, zone: zone, paused: false, locationCount: locationCount, data: data, configure: false).run { _ in
                let deadline = ContinuousClock.now + .seconds(120)
                while ghl.received.count < queued, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                let times = ghl.received.values.sorted()
                guard let first = times.first, let last = times.last, times.count > 1 else { return "outbox: nothing was sent" }
                let secs = (last - first).inSeconds
                return String(
                    format: "outbox: %d queued replies (sending paused), restart: %d sent in %.2f s = %.0f sends/s over %d locations (first send %.2f s after the restart began)",
                    queued, times.count, secs, Double(times.count - 1) / secs, locationCount,
                    (first - restart).inSeconds)
            }
        }

        /// A zone where it is now 10:00–17:59, so that the 8–21
        /// sending window never holds a reply during the run.
        static func daytimeZone() throws -> String {
            for id in TimeZone.knownTimeZoneIdentifiers {
                guard let zone = TimeZone(identifier: id) else { continue }
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                if (10..<18).contains(calendar.component(.hour, from: Date())) { return id }
            }
            throw CommandError("no time zone is in daytime now")
        }
    }
}
