// Coaching benchmark: median and p99 time and heap allocations to analyse one message and to
// run a full coaching step. Run in release: `swift run -c release CoachingBenchmark`.
import Coaching
import Foundation
import MallocCounter

let messages = [
    "Hi, is the house on Oak Ridge Dr still available? Could we see it Saturday after 2?",
    "We're pre-approved for $450k with an FHA loan, looking to move in 3 months",
    "That's way too expensive for us, my husband thinks we should wait for rates to come down",
    "Would the seller take 415? We can close fast, cash",
    "STOP",
    "How many bedrooms does it have and is there an HOA?",
    "can u call me tmrw after 5pm, 555-123-4567",
    "Thanks so much!! 😊",
]

func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

func measure(_ name: String, iterations: Int, _ body: (Int) -> Void) {
    for i in 0..<200 { body(i) }  // warm-up
    var times: [Double] = []
    times.reserveCapacity(iterations)
    let allocStart = malloc_counter_allocations()
    for i in 0..<iterations {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body(i)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000)
    }
    let allocs = Double(malloc_counter_allocations() - allocStart) / Double(iterations)
    times.sort()
    let fmt = { (x: Double) in String(format: "%.1f", x) }
    print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) median \(fmt(percentile(times, 0.5))) µs   p99 \(fmt(percentile(times, 0.99))) µs   allocations/op \(malloc_counter_active() != 0 ? fmt(allocs) : "n/a")")
}

do {
    let engine = try CoachingEngine.bundled()
    let analyzer = engine.analyzer
    print("coaching benchmark (\(messages.count) messages, round-robin)")
    measure("analyze one message", iterations: 20_000) { i in
        _ = analyzer.analyze(messages[i % messages.count])
    }
    let reply = ReplyContext(leadFirstName: "Dana", agentName: "Sam", listing: Listing(address: "12 Oak Ridge Dr", price: 430_000, status: .active), showingTimes: ["Sat 10am", "Sun 2pm"])
    // A conversation grows; the step cost includes rescoring the whole (bounded) history.
    var session = CoachingSession(reply: reply, represented: .seller)
    measure("full coaching step (lead message)", iterations: 20_000) { i in
        if i % 40 == 0 { session = CoachingSession(reply: reply, represented: .seller) }
        _ = engine.step(&session, text: messages[i % messages.count], speaker: .lead, at: Double(i) * 30)
    }
    let long = String(repeating: "We love the house but the price is a bit high. ", count: 2_100)
    measure("analyze a 100 KB message", iterations: 200) { _ in
        _ = analyzer.analyze(long)
    }
} catch {
    print("benchmark could not load the bundled engine: \(error)")
    exit(1)
}
