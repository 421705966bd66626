/// The stop words of opt-out rule 4 (`OptOutObjectRules`), by what they take as an object.
extension OptOutObjectRules {
    enum Kind: Sendable, Hashable {
        /// "stop", "end", "quit", "halt", "discontinue", "done with", "put an end to", "turn off";
        /// "paren", "detengan", "terminen con". A bare "this" may be the object ("end this now").
        case stop
        /// "cancel", "cancelen": a bare "this" is too often the showing just mentioned.
        case cancel
        /// "I don't want", "no need for", "no quiero": only the messages named ("I don't want
        /// these" is as likely about the houses just sent).
        case refuse
        /// "stop sending", "don't send (me)": what we send counts too ("listings", "this stuff"),
        /// and so does "any more" alone ("don't send me any more").
        case send
        /// "no more", "enough with", "basta de": an amount of messages.
        case quantity
        /// "remove me from", "take me off", "opt me out of": the messages as a list to leave.
        case removal
        /// "knock it off", "cut it out": the object is understood; "with the texts" may follow.
        case idiom
        /// "turn these notifications off": the object sits between the verb and "off".
        case turnOff
        /// "darme de baja", "desuscribirme": Spanish "unsubscribe me", complete in itself.
        case unsubscribe
        /// "no me vuelvan a escribir", "no mandarme (más)", "no me sigan escribiendo", "ya no
        /// manden": never again, alone or with messages or "nada".
        case neverAgain
        /// "I'm over these", "sick of these texts", "fed up with the messages": being fed up with
        /// the messages named, or with a bare "these" (not "over the moon", "tired of open houses").
        case fedUp
        /// "I never signed up for these texts": the messages named or a bare "these".
        case complaint
        /// "no quiero recibir nada (más)", "I don't want to receive anything else": receiving
        /// said outright, so "nada"/"anything" is the messages too.
        case receive
    }

    struct Trigger: Sendable, Hashable {
        let kind: Kind
        let language: Language
    }

    static func en(_ kind: Kind) -> Trigger { Trigger(kind: kind, language: .english) }
    static func es(_ kind: Kind) -> Trigger { Trigger(kind: kind, language: .spanish) }

    /// The stop words, by what they take. Matched on normalised tokens (accents folded, typos read).
    static let triggers = PhraseLexicon<Trigger>([
        // English
        ("stop|halt|cease|discontinue|terminate|end|quit|kill", en(.stop)),
        ("put an|a end|stop to", en(.stop)),
        ("done|finished|through with|w", en(.stop)),
        ("knock|cut off|out", en(.stop)),
        ("turn|shut|switch off", en(.stop)),
        ("turn|shut|switch", en(.turnOff)),
        ("cancel", en(.cancel)),
        ("stop|quit|cease|halt|discontinue|end sending|send", en(.send)),
        ("don't|dont|never send|sending", en(.send)),
        ("do not send|sending", en(.send)),
        ("no more", en(.quantity)),
        ("no need for", en(.refuse)),
        ("enough [already]", en(.quantity)),
        ("stop|quit getting|receiving", en(.stop)),
        ("done|finished getting|receiving", en(.stop)),
        ("want|wanna out of", en(.removal)),
        ("don't|dont want|wanna|need [to] [get|receive]", en(.refuse)),
        ("no longer want|need [to] [get|receive]", en(.refuse)),
        ("do not want|need [to] [get|receive]", en(.refuse)),
        ("enough with|of|w", en(.quantity)),
        ("remove|take|get|drop|delete|unsubscribe|cut me|us off|from", en(.removal)),
        ("opt|take|get|count me|us out of", en(.removal)),
        ("knock|cut it|this off|out", en(.idiom)),
        ("quit|stop it with|w", en(.idiom)),
        ("give it a rest", en(.idiom)),
        ("had enough", en(.quantity)),
        // Fed up: "I'm over these", "we're so over these texts", "sick and tired of the messages".
        ("i'm|im|we're|i|we [am|are] [so|sooo|just|really|totally|officially|honestly|seriously|completely] over", en(.fedUp)),
        ("so over", en(.fedUp)),
        ("over", en(.fedUp)),
        ("sick|tired of", en(.fedUp)),
        ("sick and tired of", en(.fedUp)),
        ("sick|tired of getting|receiving", en(.fedUp)),
        ("fed up with|w|of", en(.fedUp)),
        ("never|didn't|didnt sign|signed up for", en(.complaint)),
        // "I didn't ask for these texts", "I never opted in to these messages"
        ("never|didn't|didnt ask|asked for", en(.complaint)),
        ("did not ask for", en(.complaint)),
        ("never|didn't|didnt opt|opted in [to|for]", en(.complaint)),
        ("did not opt in [to|for]", en(.complaint)),
        // "I'm good on the texts" declines them ("I'm good with texts" accepts them).
        ("i'm|im|we're|were|i|we [am|are] [all] good|set on", en(.fedUp)),
        // "chill with the texts", "relax on the messages"
        ("chill|relax with|w|on", en(.stop)),
        ("did not sign up for", en(.complaint)),
        ("don't|dont|longer want|wish [to] receive", en(.receive)),
        ("do not want|wish [to] receive", en(.receive)),
        // Spanish
        ("parar|paren|pare|detener|detengan|detenga|deten|suspender|suspendan|suspenda|terminar|terminen|termine|acabar|acaben|acabe|quitar|quiten", es(.stop)),
        ("para con", es(.stop)),
        ("parenle|parele|parale", es(.stop)),
        // Mexican "ya estuvo con los mensajes" ("that's enough of the messages"); not "ya estuvo la oferta?".
        ("ya estuvo|estuvieron|chole con|de", es(.quantity)),
        ("cancelar|cancelen|cancele|cancela|cancelame|cancelenme", es(.cancel)),
        ("paren|pare|para de enviar|mandar|enviarme|mandarme|enviarnos|mandarnos", es(.send)),
        ("no mas", es(.quantity)),
        ("no quiero|queremos|deseo|deseamos [recibir] [mas]", es(.refuse)),
        ("no quiero|queremos|deseo que me|nos sigan|sigas mandando|enviando|escribiendo|contactando|llamando", es(.neverAgain)),
        ("no quiero|queremos|deseo|deseamos que me|nos escriban|manden|envien|llamen|contacten|texteen|molesten|marquen", es(.neverAgain)),
        ("no quiero|queremos|deseo|deseamos recibir", es(.receive)),
        // "no me sigan texteando", "no sigan escribiéndome", "no me estén mandando": don't keep contacting me.
        ("no me|nos esten|estes|este mandando|enviando|escribiendo|contactando|llamando|texteando|textiando|molestando|marcando", es(.neverAgain)),
        ("no me|nos sigan|sigas|siga|sigues mandando|enviando|escribiendo|contactando|llamando|texteando|textiando|molestando|marcando|spameando", es(.neverAgain)),
        ("no sigan|sigas|siga mandandome|enviandome|escribiendome|llamandome|contactandome|texteandome|molestandome|marcandome|mandandonos|enviandonos|escribiendonos|llamandonos|contactandonos", es(.neverAgain)),
        // "dejen de estar mandando mensajes", "paren de estarme escribiendo"
        ("dejen|deja|deje|dejes|paren|pare de estar|estarme|estarnos mandando|enviando|escribiendo|llamando|molestando|texteando|contactando|mandandome|enviandome|escribiendome|llamandome|molestandome", es(.neverAgain)),
        // "no manden nada", "ya no envíen más": without "me" the object decides; after "ya no" alone too.
        ("no envien|manden|mande|envie|mandes|envies", es(.send)),
        ("ya no envien|manden|mande|envie|mandes|envies|escriban|escribas|escriba|llamen|contacten|molesten|texteen", es(.neverAgain)),
        ("basta|suficiente [ya] de|con", es(.quantity)),
        ("sacame|saquenme|quitenme|borrenme|eliminenme|borrame|quitame|saqueme|quiteme|borreme|sacarme|quitarme|borrarme de", es(.removal)),
        ("darme|darnos|darse|denme|dame|deme|dar|den|doy|damos de baja", es(.unsubscribe)),
        ("desuscribirme|desuscribanme|desuscribame|desuscribirnos|desuscribirse", es(.unsubscribe)),
        ("no me|nos vuelvan|vuelva|vuelvas|vuelves a escribir|mandar|enviar|llamar|contactar|textear|molestar", es(.neverAgain)),
        ("no vuelvan|vuelva|vuelvas|vuelves a escribir|mandar|enviar|llamar|contactar|textear|molestar|marcar", es(.neverAgain)),
        ("no vuelvan|vuelva|vuelvas|vuelves a escribirme|mandarme|enviarme|llamarme|contactarme|textearme|molestarme|escribirnos|mandarnos|enviarnos", es(.neverAgain)),
        ("no escribirme|mandarme|enviarme|llamarme|contactarme|textearme|molestarme|escribirnos|mandarnos|enviarnos|contactarnos", es(.neverAgain)),
        ("nunca mas me|nos escriban|manden|envien|llamen|contacten", es(.neverAgain)),
    ])
}
