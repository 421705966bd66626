/// The cues and reference words of opt-out rule 5 (`OptOutContact`).
///
/// Cues are listed by meaning, not by phrase: any form a lead may use to end, remove, refuse or be
/// fed up with contact, in any person ("I don't want", "my wife doesn't want", "no quiere"). What
/// they must reach is decided in `OptOutContact.reference`, so a new cue needs no new phrase.
extension OptOutContact {
    enum Cue: Sendable, Hashable {
        /// stop, quit, end, dejen de, ya no: reaches the messages ("stop getting all these texts",
        /// "que dejen de llegarme estos mensajes").
        case cease
        /// delete, forget, lose, borra, quita: reaches the lead's number ("forget you ever had my
        /// number", "borra mi número").
        case remove
        /// take/get (me) off, out of: reaches our list or "whatever you've got me on".
        case takeOff
        /// doesn't want, rather not, shouldn't be getting, no quiere, no debería: reaches the
        /// messages or being contacted at all ("I'd prefer not to be contacted").
        case refuse
        /// harto de, cansado de, annoyed by: reaches the messages ("me tienen harto con tanto mensaje").
        case fedUp
        /// revoke consent, never gave you permission, do not consent: a refusal that may also
        /// stand alone ("I revoke consent.").
        case consent
    }

    struct Label: Sendable, Hashable {
        let cue: Cue
        let language: Language
    }

    static func en(_ cue: Cue) -> Label { Label(cue: cue, language: .english) }
    static func es(_ cue: Cue) -> Label { Label(cue: cue, language: .spanish) }

    /// Only present and imperative forms: "I forgot my phone", "borré el mensaje", "I deleted your
    /// texts by accident" report what happened, they ask nothing.
    static let cues = PhraseLexicon<Label>([
        ("stop|quit|cease|halt|discontinue|end", en(.cease)),
        ("remove|delete|erase|forget|lose|drop|scratch|wipe|purge|ditch|toss|trash|discard|shred", en(.remove)),
        ("throw|toss away|out", en(.remove)),
        ("get rid of", en(.remove)),
        ("take|get|keep|cross|stay|be|pull|leave|count [me|us|her|him] off|out [of]", en(.takeOff)),
        ("exclude me|us from", en(.takeOff)),
        // "please remove my mom from your list": the lead speaks for someone at this number.
        ("remove|take|drop|delete|unsubscribe|get my|our * from|off|out", en(.takeOff)),
        ("don't|dont|stop|quit include|including|add|adding me|us in|on|to", en(.takeOff)),
        // "take my wife's number off your list": the verb alone, the number and "off" follow.
        ("take|get|pull|cross|keep", en(.takeOff)),
        ("remove|unsubscribe|drop [me|us|her|him] from", en(.takeOff)),
        ("be|get|being taken|removed off|from|out [of]", en(.takeOff)),
        // Refusal in any person: "I don't want", "my husband doesn't want", "she no longer wants".
        ("don't|dont|doesn't|doesnt|won't|wont [really] want|wants|need|needs|wish", en(.refuse)),
        ("do|does not want|wants|need|needs|wish", en(.refuse)),
        ("no longer want|wants|need|needs|wish", en(.refuse)),
        ("no need", en(.refuse)),
        ("rather|prefer|prefers|preferred not", en(.refuse)),
        ("shouldn't|shouldnt", en(.refuse)),
        ("should not", en(.refuse)),
        ("annoyed|bothered by|with", en(.fedUp)),
        ("revoke|revoking|withdraw|withdrawing|rescind|rescinding [my|any|all] consent|permission", en(.consent)),
        ("do|does not consent", en(.consent)),
        ("don't|dont|never consent", en(.consent)),
        ("never gave|give you|u|y'all [my] permission|consent", en(.consent)),
        ("don't|dont|do not have my permission|consent", en(.consent)),
        ("sick|tired of", en(.fedUp)),
        // Spanish
        ("dejen|deja|deje|dejes|dejar|paren|pare|para de", es(.cease)),
        // "me quiero salir de su lista", "quiero salirme de la lista"
        ("salir|salirme|salgo|salga|sacarme|quitarme|borrarme|eliminarme|salirnos|sacarnos de", es(.takeOff)),
        ("ya|que no", es(.cease)),
        ("borra|borre|borren|borrar|elimina|elimine|eliminen|eliminar|quita|quite|quiten|quitar", es(.remove)),
        ("saca|saque|saquen|sacar|olvida|olvide|olviden|olvidar|olvidense|olvidate", es(.remove)),
        ("no quiere|quiero|queremos|quieren|desea|deseo|deseamos|desean|necesita|necesito|necesitamos", es(.refuse)),
        ("no deberia|deberian|debe|deben|deberiamos", es(.refuse)),
        ("prefiero|preferimos|prefiere|preferiria|prefeririamos [ya] no", es(.refuse)),
        ("hasta la madre|madres|coronilla|gorro|gorra", es(.fedUp)),
        ("harto|harta|hartos|hartas|cansado|cansada|cansados|cansadas|fastidiado|fastidiada|canse|cansamos", es(.fedUp)),
    ])

    /// Words that may stand between a cue and what it reaches: auxiliaries, pronouns, receiving
    /// verbs and "ever"/"any more" ("shouldn't be getting", "forget you ever had", "no quiere
    /// recibir", "que ya no me lleguen"). Anything else — a noun, a verb of another action — ends
    /// the search: "I'd rather not get into the price over text", "no quiero perderme estos mensajes".
    static let gapWords: WordSet = [
        "to", "be", "being", "get", "getting", "receive", "receiving", "any", "more", "ever", "even", "you", "u",
        "y'all", "yall", "had", "have", "got", "all", "anymore", "me", "us", "really", "just", "still", "keep", "of", "about",
        "recibir", "recibiendo", "que", "me", "le", "les", "nos", "sigan", "sigas", "siga", "seguir", "mas", "ya",
        "lleguen", "llegue", "llegarme", "llegarle", "llegarnos", "llegar", "ni", "estar", "for", "ser",
    ]
    /// Receiving verbs, after which a bare "these"/"estos" is the messages ("stop getting these").
    static let receivingVerbs: WordSet = [
        "get", "getting", "receive", "receiving", "recibir", "recibiendo", "lleguen", "llegue", "llegarme", "llegarle", "llegar",
    ]
    /// After "harto", "sick", "annoyed": the preposition that introduces the messages.
    static let fedUpPrepositions: WordSet = ["de", "con", "of", "with", "w", "by"]

    /// Owners of a number or phone: the lead's own, or a relative's ("my wife's", "su").
    static let numberOwners: WordSet = ["my", "this", "our", "his", "her", "mi", "este", "su", "tu", "nuestro"]
    static let numberWords: WordSet = ["number", "numbers", "phone", "cell", "numero", "telefono", "celular", "contacto", "contact", "info", "information", "details", "datos"]
    /// Words between the owner and the number: "my cell number", "my wife's phone number".
    static let numberModifiers: WordSet = ["cell", "phone", "contact", "personal", "mobile", "home", "work", "de", "telefono", "celular"]
    /// A number that is only being updated: "delete my old number, use this one", "borra mi número
    /// viejo, este es el nuevo", "forget my number from before".
    static let updateWords: WordSet = ["old", "new", "previous", "before", "former", "nuevo", "nueva", "viejo", "vieja", "anterior", "antes", "changed", "cambie"]

    /// Owners and modifiers of a list we keep: "your texting list", "sus contactos", "this list".
    static let listOwners: WordSet = ["your", "ur", "yr", "this", "the", "that", "y'all's", "yalls", "su", "sus", "tu", "tus", "esta", "la", "los"]
    static let listModifiers: WordSet = ["texting", "text", "mailing", "contact", "call", "calling", "sms", "marketing", "email", "distribution", "phone", "de"]
    static let listNouns: WordSet = ["list", "lists", "contacts", "database", "system", "records", "crm", "lista", "listas", "contactos", "sistema", "base"]
    /// "take me off whatever you've got me on", "unsubscribe me from everything".
    static let anyList: WordSet = ["whatever", "everything", "wherever", "anything", "todo"]

    /// Being contacted at all, after a refusal: "I'd prefer not to be contacted".
    static let contactedForms: WordSet = [
        "contacted", "texted", "messaged", "called", "emailed", "bothered", "reached", "contactado", "contactada", "contactados", "molestado",
        "molestada",
    ]

    /// Contacting the lead, after a cessation or a refusal: "texting this number", "calling me".
    static let contactGerunds: WordSet = [
        "texting", "messaging", "contacting", "calling", "emailing", "bothering", "spamming", "writing", "mandando",
        "escribiendo", "llamando", "texteando", "contactando", "molestando",
    ]

    /// Contacting in Spanish, after "ya no (me|le)", "que no (le) sigan": "ya no le escriban".
    static let spanishContactForms: WordSet = [
        "escriban", "escribas", "manden", "mandes", "envien", "envies", "llamen", "llames", "contacten", "texteen", "molesten",
        "marquen", "escribiendo", "mandando", "enviando", "llamando", "texteando", "contactando", "molestando", "marcando",
        "escribieran", "mandaran", "enviaran", "llamaran", "contactaran", "molestaran", "escribieras", "mandaras",
    ]
    /// Contacting in English after a refusal: "I don't want you to text me".
    static let contactInfinitives: WordSet = ["text", "txt", "message", "contact", "call", "email", "bother", "reach", "send"]
    /// People the lead may speak for: "stop texting her", "ya no le escriban a mi papá".
    static let thirdPersons: WordSet = ["her", "him", "them", "le", "les"]

    /// Channels, to tell "no calls, texts are fine" (a narrowing) from "no more texts".
    static let channels: WordMap<String> = [
        "text": "text", "texts": "text", "texting": "text", "sms": "text", "message": "text", "messages": "text",
        "mensajes": "text", "mensaje": "text", "textos": "text", "call": "call", "calls": "call", "calling": "call",
        "llamadas": "call", "llamada": "call", "email": "email", "emails": "email", "correo": "email", "correos": "email",
        "whatsapp": "text",
    ]
    static let approvals: WordSet = ["fine", "ok", "okay", "good", "better", "great", "bien", "mejor", "perfect", "enough", "suficiente"]
    /// How often, before "is fine": "weekly is fine", "once a week is ok", "los lunes está bien".
    static let frequencies: WordSet = [
        "weekly", "daily", "monthly", "once", "twice", "week", "month", "day", "mornings", "evenings", "weekends", "weekdays",
        "afternoons", "semanal", "mensual", "semana", "mes",
    ]
    static let preferences: WordSet = ["just", "only", "solo", "mejor", "prefer", "prefers", "preferred", "prefiero", "prefiere", "rather"]

    /// Openers of a question that asks for the end ("how do I…", "is there a way…", "¿cómo hago
    /// para…"), not about it ("are the texts going to stop?").
    static let requestOpeners: WordSet = [
        "how", "way", "can", "could", "would", "will", "please", "pls", "what", "como", "forma", "manera", "puedo",
        "pueden", "puede", "podrian", "podria", "hacer",
    ]
}
