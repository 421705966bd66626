extension Duration {
    /// The duration in seconds, fractions included (settings and wall-clock arithmetic use Double).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
