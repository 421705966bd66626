/// Typos and text-speak of the opt-out vocabulary, read as the words they stand for.
///
/// Opt-outs are typed in a hurry: "stpo texting me", "Unsubscibe me", "no more msgs", "cancle
/// these mesages". Before the opt-out rules run, a word that is not itself one of the opt-out
/// words is read as one when it is a known abbreviation ("msgs", "txts", "stp") or one slip of the
/// finger away from it: two neighbouring letters swapped ("stpo"), a letter doubled ("stopp") or
/// dropped ("unsubscibe"), or — in the long nouns only — one letter changed ("messeges").
///
/// The slips are kept narrow so that real words stay themselves: the word must have four letters
/// or more and start with the same letter ("top", "shop", "step" never become "stop"), an added
/// letter must double its neighbour ("quite", "stops", "contract" stay), a changed letter may not
/// be the last ("messaged"), and the few real words still within reach are listed.
enum OptOutSpelling {
    /// Abbreviations, read as the word they stand for.
    static let shorthand: WordMap<String> = [
        "msg": "message", "msgs": "messages", "mssg": "message", "mssgs": "messages", "msgz": "messages",
        "mesg": "message", "mesgs": "messages", "messege": "message", "txt": "text", "txts": "texts",
        "txtz": "texts", "txting": "texting", "txtin": "texting", "texing": "texting", "msging": "messaging",
        "stp": "stop", "notifs": "notifications", "notif": "notification", "notis": "notifications",
        "e-mails": "emails", "blowin": "blowing", "hittin": "hitting", "textin": "texting", "callin": "calling",
        "messagin": "messaging", "botherin": "bothering", "spammin": "spamming", "msj": "mensaje", "msjs": "mensajes", "mensage": "mensaje", "mnsjs": "mensajes",
    ]

    /// The words typos are corrected to. The first of two equally close targets wins, so Spanish
    /// "mensages" reads as "mensajes", not "messages".
    static let targets: [(word: String, bytes: [UInt8], substitution: Bool)] = [
        ("stop", false), ("cancel", false), ("quit", false), ("unsubscribe", true), ("discontinue", true),
        ("remove", false), ("contact", false), ("contacting", false), ("text", false), ("texts", false),
        ("texting", false), ("message", false), ("mensajes", true), ("messages", true), ("messaging", false),
        ("notification", false), ("notifications", true), ("alert", false), ("alerts", false),
        ("subscription", true), ("mensaje", false), ("cancelar", false), ("cancelen", false),
        ("notificaciones", true),
    ].map { ($0.0, Array($0.0.utf8), $0.1) }
    static let known = WordSet(targets.map(\.word))

    /// Real words one slip away from a target ("stoop" doubles the o of "stop").
    static let realWords: WordSet = ["stoop", "massages"]

    /// Words whose owner makes a following "#" the phone number: "take my # off", "this # is wrong".
    static let numberOwners: WordSet = ["my", "this", "our", "the", "that", "your", "phone", "cell", "mi", "este", "su"]

    /// `tokens` with every slip corrected; the same array (no copy) when there is none. A "#"
    /// after "my"/"this" that no number follows ("my #", not "my #2 pick") reads as "number".
    static func normalized(_ tokens: [Token]) -> [Token] {
        var out = tokens
        for i in tokens.indices {
            if tokens[i].kind == .word, let word = correction(tokens[i]) {
                out[i] = Token(text: word, kind: .word, sentence: tokens[i].sentence, attached: tokens[i].attached)
            } else if tokens[i].text == "#", i > 0, numberOwners.contains(tokens[i - 1]),
                !(i + 1 < tokens.count && tokens[i + 1].kind == .number && tokens[i + 1].attached)
            {
                out[i] = Token(text: "number", kind: .word, sentence: tokens[i].sentence, attached: tokens[i].attached)
            }
        }
        return out
    }

    /// Glued opt-out words typed without a space, and the words they stand for: "nomore texts",
    /// "NOMORE", "stoptexting", "don't hmu". Only "no more", "stop" + a contact verb and "hmu" are
    /// split: Spanish "nomás" means "only" and stays whole.
    static let glued: WordMap<[String]> = [
        "nomore": ["no", "more"], "nomoretexts": ["no", "more", "texts"], "nomoremessages": ["no", "more", "messages"],
        "stoptexting": ["stop", "texting"], "stopmessaging": ["stop", "messaging"], "stopcalling": ["stop", "calling"],
        "stopcontacting": ["stop", "contacting"], "stopspamming": ["stop", "spamming"], "stoptxting": ["stop", "texting"],
        "hmu": ["hit", "me", "up"],
    ]

    /// `tokens` with glued words split into theirs; the same array when there is none. Runs
    /// before every rule, so evidence reads "no more texts".
    static func unglued(_ tokens: [Token]) -> [Token] {
        guard tokens.contains(where: { $0.kind == .word && glued[$0] != nil }) else { return tokens }
        var out: [Token] = []
        out.reserveCapacity(tokens.count + 2)
        for t in tokens {
            guard t.kind == .word, let words = glued[t] else {
                out.append(t)
                continue
            }
            for (k, w) in words.enumerated() { out.append(Token(text: w, kind: .word, sentence: t.sentence, attached: k == 0 ? t.attached : false)) }
        }
        return out
    }

    /// Text-speak of "text" and "message" built on their consonant stems: "txtn", "txtng",
    /// "textn", "msgn", "msgin" are the gerund, "txtz" the plural. Only these stems and endings,
    /// so "textile" or "texture" stay themselves.
    static let speakStems: [(stem: String, gerund: String)] = [
        ("txt", "texting"), ("text", "texting"), ("msg", "messaging"), ("mssg", "messaging"),
    ]
    static let gerundEndings: Set<Substring> = ["n", "in", "ng", "inn", "en", "nn", "inng"]

    static func textSpeak(_ word: String) -> String? {
        for s in speakStems where word.hasPrefix(s.stem) {
            let ending = word.dropFirst(s.stem.count)
            if gerundEndings.contains(ending) { return s.gerund }
        }
        return nil
    }

    static func correction(_ token: Token) -> String? {
        if known.contains(token) { return nil }
        if let word = shorthand[token] { return word }
        if token.text.hasPrefix("t") || token.text.hasPrefix("m"), let word = textSpeak(token.text) { return word }
        let length = token.text.utf8.count
        guard length >= 4, length <= 16, !realWords.contains(token) else { return nil }
        let found = token.text.utf8.withContiguousStorageIfAvailable { word -> String? in
            for target in targets where abs(target.bytes.count - length) <= 1 && target.bytes[0] == word[0] {
                if isSlip(word, of: target.bytes, substitution: target.substitution) { return target.word }
            }
            return nil
        }
        return found ?? nil
    }

    /// True when `w` is `t` with one neighbouring pair swapped, one letter doubled or dropped,
    /// or (when `substitution`) one letter other than the last changed. The first letter is fixed.
    static func isSlip(_ w: UnsafeBufferPointer<UInt8>, of t: [UInt8], substitution: Bool) -> Bool {
        let n = w.count, m = t.count
        guard n >= 4, w[0] == t[0] else { return false }
        var i = 0
        while i < min(n, m), w[i] == t[i] { i += 1 }
        func rest(_ a: Int, _ b: Int) -> Bool {
            var a = a, b = b
            while a < n, b < m {
                if w[a] != t[b] { return false }
                a += 1
                b += 1
            }
            return a == n && b == m
        }
        if n == m {
            guard i < n else { return false }
            if i + 1 < n, w[i] == t[i + 1], w[i + 1] == t[i], rest(i + 2, i + 2) { return true }
            return substitution && i < n - 1 && rest(i + 1, i + 1)
        }
        if n == m - 1 { return rest(i, i + 1) }
        if n == m + 1 { return i > 0 && w[i] == w[i - 1] && rest(i + 1, i) }
        return false
    }
}
