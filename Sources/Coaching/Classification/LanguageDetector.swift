/// Tells Spanish from English by function words: enough to route an opt-out and pick a reply
/// language, and cheap. Ties and messages with no function words count as English.
public enum LanguageDetector {
    static let spanish: WordSet = [
        "el", "la", "los", "las", "de", "del", "que", "y", "en", "un", "una", "por", "para", "con",
        "me", "mas", "mensajes", "mensaje", "quiero", "gracias", "hola", "casa", "usted", "ustedes",
        "envien", "manden", "favor", "es", "esta", "estoy", "no", "si", "pero", "muy", "tengo",
        "puedo", "cuanto", "cuando", "donde", "numero", "alto", "parar", "cancelar", "ya", "nos",
        "mi", "su", "sus", "lo", "le", "les", "al", "ver", "precio", "quisiera", "buenas", "buenos",
        "dias", "tardes", "senor", "senora", "dejen", "escriban", "envies", "llamen", "baja", "basta",
    ]
    static let english: WordSet = [
        "the", "a", "to", "and", "is", "you", "i", "my", "for", "it", "this", "that", "of", "in",
        "what", "can", "do", "are", "we", "be", "have", "me", "your", "on", "with", "im", "i'm",
        "please", "stop", "not", "thanks", "house", "home", "would", "will", "how", "when", "there",
        "just", "like", "our", "us", "know", "want", "don't", "dont", "get", "see", "sounds", "ok",
    ]

    public static func detect(_ tokens: [Token]) -> Language {
        var es = 0
        var en = 0
        for t in tokens where t.kind == .word {
            // "no", "me" are shared: they count for Spanish only next to other Spanish words.
            if spanish.contains(t), t.text != "no", t.text != "me", t.text != "a" { es += 1 }
            if english.contains(t), t.text != "me" { en += 1 }
        }
        return es > en ? .spanish : .english
    }
}
