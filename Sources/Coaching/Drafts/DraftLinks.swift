/// Links in a draft: words that start with a scheme or "www.", or a host on a common top-level
/// domain ("zillow.com/homedetails/…"). Found on the text as written, before folding, because
/// folding and tokenizing would break a link into words and sentence marks.
enum DraftLinks {
    /// Top-level domains a link without a scheme must end its host with; a bare "ok.thanks"
    /// typed without a space is not a link.
    static let knownDomains: Set<Substring> = [
        "com", "net", "org", "io", "co", "us", "info", "biz", "me", "ly", "app", "homes", "realty", "realtor",
        "house", "properties", "estate", "land", "ai", "gov", "edu", "ca", "uk", "mx", "es", "link", "site",
        "online", "page", "to", "tv", "xyz",
    ]
    static let edgePunctuation: Set<Character> = ["(", ")", "<", ">", "[", "]", "\"", "'", ",", ".", "!", "?", ";", ":", "*"]

    /// Each link with its normalised form: lower-cased, without scheme, "www." or trailing "/".
    struct Link {
        let written: Substring
        let normalized: String
    }

    static func find(_ text: String) -> [Link] {
        var links: [Link] = []
        for word in text.split(whereSeparator: { $0.isWhitespace }) {
            var w = word[...]
            while let c = w.first, edgePunctuation.contains(c) { w = w.dropFirst() }
            while let c = w.last, edgePunctuation.contains(c) { w = w.dropLast() }
            guard !w.contains("@") else { continue }
            var lower = w.lowercased()
            var schemed = false
            for prefix in ["https://", "http://"] where lower.hasPrefix(prefix) {
                lower.removeFirst(prefix.count)
                schemed = true
            }
            if lower.hasPrefix("www.") {
                lower.removeFirst(4)
                schemed = true
            }
            while lower.hasSuffix("/") { lower.removeLast() }
            let host = lower.split(separator: "/", maxSplits: 1).first ?? ""
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let tld = labels.last, tld.allSatisfy(\.isLetter) else {
                if schemed, !lower.isEmpty { links.append(Link(written: w, normalized: lower)) }
                continue
            }
            if schemed || knownDomains.contains(tld) { links.append(Link(written: w, normalized: lower)) }
        }
        return links
    }
}
