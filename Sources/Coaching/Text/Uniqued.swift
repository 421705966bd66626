extension Array where Element: Hashable {
    /// The elements in order, each kept once: evidence lists repeat when several rules fire
    /// on the same words.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
