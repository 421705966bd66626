import Foundation

extension RecordedStreamServer {
    /// A request as the server received it.
    package struct ReceivedRequest: Sendable {
        package var method: String
        package var path: String
        /// Header names lowercased; repeated headers joined with ", ".
        package var headers: [String: String]
        package var body: [UInt8]

        /// The body is JSON but not an object.
        package struct NotAnObject: Error {}

        /// The body as a JSON object, for assertions.
        package func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { throw NotAnObject() }
            return object
        }
    }

    /// One request and what became of its response.
    package struct Exchange: Sendable {
        package var request: ReceivedRequest
        /// When the first body byte was handed to the socket (nil until then, or for an empty body).
        package var firstByte: ContinuousClock.Instant?
        package var firstByteDate: Date?
        /// The client closed the connection before the scripted response was complete.
        package var aborted = false
        /// The scripted response was written to its end.
        package var completed = false
    }
}
