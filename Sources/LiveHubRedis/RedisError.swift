/// What can go wrong talking to Redis. The cases say where it went wrong, so that a caller can
/// tell "Redis is down" (`connect`, `io`: retry later) from "Redis refused this command" (`reply`)
/// and "this client was closed" (`closed`: stop).
package enum RedisError: Error, Sendable, CustomStringConvertible {
    /// The endpoint URL could not be parsed; the message says which part is wrong.
    case badURL(String)
    /// No connection could be made (refused, timed out, or AUTH/SELECT failed).
    case connect(String)
    /// An established connection broke while writing or reading.
    case io(String)
    /// Redis answered with an error reply, or with a reply of a shape we did not expect.
    case reply(String)
    /// The client was closed before (or while) the operation ran.
    case closed

    package var description: String {
        switch self {
        case .badURL(let message): "bad Redis URL: \(message)"
        case .connect(let message): "cannot connect to Redis: \(message)"
        case .io(let message): "Redis connection failed: \(message)"
        case .reply(let message): "Redis replied with an error: \(message)"
        case .closed: "the Redis client is closed"
        }
    }
}
