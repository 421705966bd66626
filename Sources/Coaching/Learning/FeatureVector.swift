/// A sparse feature vector: hashed feature ids with values, plus (when training) their names.
public struct FeatureVector: Sendable {
    public private(set) var ids: [UInt64] = []
    public private(set) var values: [Float] = []
    /// Names are recorded only when asked for, so inference never builds feature strings.
    public private(set) var names: [UInt64: String]?

    public init(recordNames: Bool = false) {
        ids.reserveCapacity(96)
        values.reserveCapacity(96)
        names = recordNames ? [:] : nil
    }

    @inline(__always) public mutating func add(_ id: UInt64, _ value: Float = 1, name: @autoclosure () -> String) {
        ids.append(id)
        values.append(value)
        if names != nil { names?[id] = name() }
    }

    /// Scales to unit length, so long messages do not drown short ones. A feature seen twice
    /// stays as two entries: a linear model sums them anyway, and merging would cost a sort.
    public mutating func normalize() {
        var norm: Float = 0
        for v in values { norm += v * v }
        norm = norm.squareRoot()
        if norm > 0 { for i in values.indices { values[i] /= norm } }
    }
}
