/// The word classes of opt-out rule 4 (`OptOutObjectRules`): what a stop word's object may be.
extension OptOutObjectRules {
    /// Head nouns of an object phrase, by what they are about.
    static let heads: WordMap<Head> = {
        var map: [String: Head] = [:]
        for w in [
            "messages", "message", "texts", "text", "sms", "notifications", "notification", "alerts", "alert", "emails",
            "email", "updates", "newsletters", "newsletter", "reminders", "calls", "voicemails", "robotexts", "robocalls",
            "texting", "messaging", "communications", "communication", "correspondence", "subscription", "subscriptions",
            "blasts", "spam", "junk", "mensajes", "mensaje", "textos", "texto", "mensajitos", "notificaciones", "alertas",
            "correos", "correo", "llamadas", "recordatorios", "avisos", "whatsapps", "suscripcion", "publicidad", "propaganda",
            "promociones", "solicitations", "promos",
        ] { map[w] = .messages }
        for w in [
            "listings", "houses", "homes", "properties", "stuff", "things", "links", "info", "information", "casas", "propiedades", "anuncios",
            "listados", "cosas", "opciones", "informacion",
        ] {
            map[w] = .sent
        }
        for w in ["crap", "garbage", "trash", "nonsense", "bs", "bullshit", "shit", "basura", "porqueria"] { map[w] = .scorn }
        return WordMap(map)
    }()
    /// Heads that also modify a following noun: "the text thread", "the email address", "the
    /// trash pickup", "junk fees". Followed by a word that is not a head they are modifiers;
    /// plural heads ("the texts", "these alerts") are not used that way and close the phrase.
    static let modifierForms: WordSet = [
        "text", "message", "email", "alert", "notification", "sms", "texting", "messaging", "spam", "junk",
        "subscription", "mensaje", "texto", "correo", "crap", "garbage", "trash", "nonsense", "bs", "bullshit", "shit",
        "basura", "porqueria",
    ]
    /// Nouns that are never the messages, and block a phrase that reaches them: "the showing
    /// reminders" are about the showing, "the listing" is the house.
    static let otherThings: WordSet = [
        "showing", "showings", "appointment", "appointments", "tour", "tours", "viewing", "visit", "meeting", "lease",
        "contract", "offer", "offers", "job", "inspection", "closing", "call", "cita", "citas", "visita", "oferta",
        "contrato", "renta", "board", "app",
    ]
    /// A determiner that can stand alone as the object, and what it then refers to.
    static let pronouns: WordMap<Head> = [
        "this": .this, "esto": .this, "these": .these, "those": .these, "estos": .these, "estas": .these,
        "esos": .these, "esas": .these, "anything": .more, "everything": .more, "more": .more, "anymore": .more,
        "mas": .more, "nada": .more, "else": .more,
    ]
    static let determiners: WordSet = [
        "the", "these", "those", "this", "your", "ur", "yr", "all", "any", "more", "anymore", "such", "of", "my",
        "our", "his", "her", "their", "anything", "everything", "else", "los", "las", "el", "la", "estos", "estas", "ningun", "ninguna",
        "esos", "esas", "este", "esta", "esto", "sus", "su", "tus", "todos", "todas", "tantos", "tantas", "mas", "nada",
    ]
    /// Words that end a noun phrase: prepositions, conjunctions, pronouns, auxiliaries, fillers.
    static let breakers: WordSet = [
        "to", "for", "on", "in", "at", "by", "from", "with", "w", "about", "after", "before", "until", "till", "into",
        "over", "under", "near", "around", "per", "like", "than", "and", "or", "but", "so", "if", "because", "cuz",
        "i", "you", "u", "we", "me", "us", "he", "she", "they", "them", "it", "him", "is", "are", "was", "were", "be",
        "been", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could", "should", "must", "not",
        "please", "pls", "plz", "now", "already", "thanks", "thank", "thx", "asap", "immediately", "that", "which",
        "who", "de", "del", "con", "para", "por", "en", "a", "y", "o", "pero", "que", "nos", "se", "no", "ya", "mas",
        "anymore", "again",
    ]
    /// Words that may close the clause after the object, or after "knock it off".
    static let closers: WordSet = [
        "please", "pls", "plz", "now", "already", "asap", "immediately", "thanks", "thank", "thx", "ty", "ok", "okay",
        "lol", "seriously", "period", "dude", "man", "anymore", "again", "forever", "right", "guys", "yall", "y'all",
        "bro", "omg", "ugh", "and", "but", "so", "or", "por", "favor", "porfa", "gracias", "ya", "ahora", "y", "pero",
        "fr", "tbh", "srsly",
    ]
    /// Words before a stop word that make it a noun: "the end", "a bus stop".
    static let nounMarkers: WordSet = ["the", "a", "an", "this", "that", "my", "your", "our", "bus", "pit", "last", "first", "next", "one", "no"]

    /// Between the messages and "stop" in "I want these texts to stop", "these msgs need to end",
    /// "los mensajes tienen que parar".
    static let modalChain: WordSet = [
        "to", "need", "needs", "have", "has", "got", "gotta", "must", "should", "will", "gonna", "going", "better",
        "can", "could", "would", "just", "please", "pls", "really", "all", "finally", "are", "is", "now",
        "tienen", "tiene", "que", "deben", "debe", "necesitan", "pueden", "van", "a", "ya", "se",
    ]
    static let spanishIntransitive: WordSet = ["parar", "terminar", "acabar", "acabarse", "pararse", "detenerse"]
    static let intransitiveStops: WordSet = ["stop", "end", "cease", "quit", "halt", "parar", "terminar", "acabar", "acabarse", "pararse", "detenerse"]
    /// "did the texts stop?", "why did the texts stop?", "when do the alerts end?", "if the texts
    /// stop…" ask or suppose, they do not request ("how do I make these texts stop" still does).
    static let askingAux: WordSet = ["did", "do", "does", "didn't", "didnt"]
    static let askingWords: WordSet = ["why", "when", "whenever", "if", "unless", "cuando", "si"]
}
