import Coaching
import Testing

@Suite("Compliance labels")
struct ComplianceTests {
    @Test("every carrier keyword, in any case, alone or with punctuation, is an opt-out")
    func carrierKeywords() {
        for keyword in ["stop", "stopall", "unsubscribe", "cancel", "end", "quit"] {
            for variant in [keyword, keyword.uppercased(), keyword.capitalized] {
                for text in [variant, variant + ".", variant + "!!!", " \(variant) ", "\(variant)?", "\"\(variant)\"", "\(variant) 🛑"] {
                    let a = Support.analyze(text)
                    #expect(a.isOptOut, "\(text) must be an opt-out")
                    #expect(a.intent.intent == .optOut && a.intent.source == .rule)
                }
            }
        }
    }

    @Test("natural opt-out phrasing", arguments: [
        "take me off your list", "Please take me off your texting list", "lose my number", "don't text me again",
        "Please stop contacting me", "stop texting me!!", "Remove me from your list", "no more texts please",
        "Leave me alone", "Not interested. STOP", "please delete my number", "I don't want any more messages",
        "Do not contact me again", "unsubscribe me", "opt out", "quit texting me", "i want off this list", "keep me off your mailing list",
        "Take this number off your list", "I didn't sign up for this, stop", "Cease all communication", "REVOKE", "Remove",
        "I don't want to receive these messages anymore", "Please do not contact me further", "Enough with the texts",
    ])
    func naturalOptOuts(_ text: String) {
        #expect(Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("look-alikes are not opt-outs", arguments: [
        "Can you stop by the house on Saturday?", "don't stop sending listings, I love them", "can we cancel Saturday's showing",
        "we should stop at the open house after lunch", "is it near a bus stop", "We'd like to close by the end of the month",
        "I'll stop calling the lender and let you handle it", "don't call me before noon please", "Please don't call me, text me instead",
        "The sellers want to end the lease early", "How do I cancel my showing for tomorrow?", "stopped by yesterday, love it",
        "Para cuándo estaría lista la casa?", "STOP BY ANYTIME TOMORROW? WE ARE FREE",
        "we crossed the blue house off the list", "can you take the Elm house off my list of favorites",
        "I want to stop renting and buy", "We stopped looking for a while but are back", "end of month works for us",
        "Cancel the 3pm, can we do 5?", "I quit my job so timing is flexible", "Don't stop now, we're so close!",
        "Please don't remove the listing photos", "can they remove the carpets?", "let's end the day with a showing",
        "we can't stop thinking about the house", "No pare de buscar casas para mi", "I need a break from looking, will text you in a month",
    ])
    func lookAlikes(_ text: String) {
        #expect(!Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("Spanish opt-outs are detected with language es", arguments: ["ALTO", "Parar", "CANCELAR", "No me envíen más mensajes", "No más mensajes", "dejen de enviarme mensajes", "bórrenme de su lista", "ya no quiero recibir mensajes"])
    func spanish(_ text: String) {
        let a = Support.analyze(text)
        #expect(a.isOptOut, "\(text)")
        #expect(a.compliance.first { $0.kind == .optOut }?.language == .spanish)
        #expect(a.language == .spanish)
    }

    @Test("a stop word whose object is the messages is an opt-out", arguments: [
        "cancel the texts please", "Stop all these notifications", "can you stop the daily listing emails",
        "I'm done with your messages", "enough with these alerts!!", "Turn off these alerts", "Please turn these notifications off",
        "end these messages now", "Discontinue the alerts", "please put a stop to these texts", "No more of this please",
        "Cancel my subscription", "Take me off these emails", "remove me from these alerts", "I want out of these texts",
        "Stop sending me listings", "stop sending me this crap", "Don't send me anything else", "I don't want these messages",
        "Can I stop getting these texts", "we bought, no need for more texts", "knock it off", "quit it with the texts",
        "The texts need to stop", "I want the messages to end", "Please make these alerts stop", "Unsubscribe me from your alerts",
        "Stop the messages this is harassment", "cancel the text alerts please",
    ])
    func messageObjects(_ text: String) {
        let a = Support.analyze(text)
        #expect(a.isOptOut, "\(text)")
        #expect(a.compliance.first { $0.kind == .optOut }?.evidence.isEmpty == false)
    }

    @Test("message opt-outs in any case and with typos or text-speak", arguments: [
        "CANCEL THE TEXTS", "Stop The Messages", "cancle these mesages", "Stopp the txts", "unsubcribe", "pls stp the msgs",
        "sttop texting me", "Im done w these msgs", "no more notifs plz", "discontinu the alerts", "STOP ALL THESE NOTIFICATIONS",
    ])
    func messageObjectVariants(_ text: String) {
        #expect(Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("Spanish opt-outs that name the messages", arguments: [
        "Paren los mensajes por favor", "Cancela las notificaciones por favor", "Ya basta de mensajes", "No más de estos mensajes, gracias",
        "Quiero darme de baja", "Los mensajes tienen que parar", "No vuelvan a escribirme por favor", "Favor de no enviarme más mensajes",
        "Detengan los mensajes", "Para de mandarme mensajes", "No me vuelvas a mandar mensajes", "Ya no quiero estos mensajes",
        "CANCELEN LOS MENSAGES", "no mas msjs porfa",
    ])
    func spanishMessageObjects(_ text: String) {
        let a = Support.analyze(text)
        #expect(a.isOptOut, "\(text)")
        #expect(a.compliance.first { $0.kind == .optOut }?.language == .spanish)
    }

    @Test("look-alikes of message opt-outs are not opt-outs", arguments: [
        "Can you stop by the office at 5?", "We'd like to end our lease in May", "Can we cancel the tour and book Sunday instead?",
        "We're done with the appraisal, what's next?", "No more than 450 please", "No more showings this weekend, we need a break",
        "don't stop the alerts, they're great", "Please don't cancel the listing emails", "I don't want these texts to stop",
        "Can you unsubscribe me from the Redfin emails and send me yours?", "Stop the Zillow alerts you set up, just send your own picks",
        "Stop with the automated texts and have a real person call me", "No more texts after 8pm please",
        "Please stop the emails to my husband, he's not involved", "Can you stop sending me condos? Only houses please",
        "Don't send me listings in Riverside", "Why did the texts stop? I was enjoying them", "I love these alerts, never stop",
        "Stop! This kitchen is gorgeous, can we see it Saturday?", "Can we cancel this?", "Let's end this, we'll pay asking",
        "Stop with the BS, what's your lowest price?", "Can you stop the alerts from going to my old email?",
        "We have enough messages from the seller, let's decide", "Turn off the lights when you leave", "Can we cancel the text thread?",
        "no more junk fees please", "Can you cancel the calls this week, I'm traveling", "Stop texting my wife, text me instead",
        "No more emails from the HOA please", "Cancel the email, I'll call instead",
    ])
    func messageLookAlikes(_ text: String) {
        #expect(!Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("Spanish look-alikes of message opt-outs are not opt-outs", arguments: [
        "¿Pueden cancelar la visita del sábado?", "No paren de mandarme casas, me encantan", "no dejen de mandarme casas por favor",
        "no me manden casas de dos pisos", "Quiero dar de baja el contrato de luz", "basta de excusas, ¿bajan el precio o no?",
        "No quiero que paren los mensajes", "Ya terminamos con los papeles", "No más de tres recámaras",
    ])
    func spanishMessageLookAlikes(_ text: String) {
        #expect(!Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("opt-out families: the phone, the system, favours, being fed up, having told us", arguments: [
        "quit blowing up my phone", "Stop blowing my phone up every day", "stop hitting me up", "Don't blow up my cell anymore",
        "Get my # off your list", "please remove my contact info from your database", "take me out of your system",
        "Take my name and number off all your lists", "I'd like to be removed from your list", "Can you not message me anymore?",
        "could u please not contact me", "I'd rather you didn't text me", "would you mind not texting me",
        "This needs to stop, you text me every day", "It has got to stop. I get these every morning", "these alerts have to end",
        "I'm over these", "im so over these msgs", "Sick and tired of these texts", "fed up with your messages",
        "I never signed up for these texts", "I've told you to stop already", "Y'all need to stop", "Don't reach out again",
        "I don't want to hear from you again", "Please refrain from contacting me", "Give it a rest with the texts",
        "I have told you multiple times to stop texting me", "Why are you still texting me", "Go away", "Do not text. Do not call.",
        "how do I get these to stop?? been asking for a week", "im good on the texts", "I didn't ask for these texts",
    ])
    func optOutFamilies(_ text: String) {
        let a = Support.analyze(text)
        #expect(a.isOptOut, "\(text)")
        #expect(a.compliance.first { $0.kind == .optOut }?.language == .english)
    }

    @Test("a bare stop opening the message with a reason to end contact is an opt-out", arguments: [
        "Stop, I'm not interested", "Please stop, we bought already", "stop we found a house", "Stop - no longer looking",
        "Stop, we went with another agent", "ok stop, wrong person", "Stop, I'm all set", "Stop please, who gave you my number?",
        "Alto, no me interesa", "Basta, ya compramos casa",
    ])
    func leadingStopWithReason(_ text: String) {
        #expect(Support.analyze(text).compliance.first { $0.kind == .optOut }?.rule == "leading_stop", "\(text)")
    }

    @Test("glued words and shorthand of opt-outs", arguments: [
        "nomore texts", "NOMORE", "Please no more!!", "stoptexting me", "don't hmu again", "quit blowin up my phone", "Take my # out of your system",
    ])
    func gluedAndShorthand(_ text: String) {
        #expect(Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("Spanish opt-out families", arguments: [
        "no me sigan texteando", "No sigan escribiéndome por favor", "no me estén mandando mensajes", "ya estuvo con los mensajes",
        "Ya chole con tantos textos", "No quiero recibir nada más de ustedes", "no deseo recibir nada", "Ya no manden nada a este número",
        "No envíen más mensajes por favor", "dejen de textearme", "Dejen de molestar", "Pueden dejar de escribirme?",
        "dejen de estar mandando mensajes", "No me interesa, no vuelvan a llamar", "Ya no quiero que me escriban",
        "No quiero saber nada de ustedes", "Ya párenle!",
        "Ya no más", "Dejen de spamearme", "ME TIENEN HARTO CON TANTO MENSAJE, DÉJENME EN PAZ 😡", "¿Cómo me doy de baja?",
    ])
    func spanishFamilies(_ text: String) {
        let a = Support.analyze(text)
        #expect(a.isOptOut, "\(text)")
        #expect(a.compliance.first { $0.kind == .optOut }?.language == .spanish)
    }

    @Test("look-alikes of the opt-out families are not opt-outs", arguments: [
        "stop, let me check with my wife", "Stop, we found a house we love, can we see it?", "Stop, I'm not interested in that one",
        "Stop, we moved the showing to 5", "Stop, I'm good, keep them coming", "I'm over the moon about this house!",
        "I'm over budget on that one", "Can you go over these with me tomorrow?", "I'm over these, anything with a bigger yard?",
        "I'm tired of texting, can we call?", "I quit my job last week", "My phone is blowing up with offers lol",
        "The lender won't stop blowing up my phone", "Please tell the lender to stop calling me", "stop texting me with condos, only houses",
        "Take my name off the offer", "Take us off the waitlist for the open house", "remove my info from the Zillow app",
        "Could we be removed from the showing list?", "This has to stop, the sellers keep moving the closing date",
        "this has to stop, the listing agent never returns my calls", "It has to end by June because of our lease",
        "can you not tell the seller our budget?", "Can you not call me before 10?", "could you not text me the address, just email it",
        "I told you to stop by at 5", "You need to stop worrying about the price", "I don't want to hear from you until you have a better offer",
        "No texts after 9 please", "No texts? I thought you'd update me", "No more, thanks", "Nomore than 400k", "Give it a rest, the seller won't budge",
        "I never signed up for the open house, can I still come?", "leave us be for a week, we'll reach out",
    ])
    func familyLookAlikes(_ text: String) {
        #expect(!Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("Spanish look-alikes of the opt-out families are not opt-outs", arguments: [
        "No quiero la casa de la calle Pine", "ya estuvo la oferta?", "Ya estuvo con la oferta, vamos a firmar",
        "no quiero recibir nada más que casas de un piso", "No quiero recibir llamadas del banco", "no manden nada al banco todavía",
        "No manden nada hasta el lunes", "No me manden nada a mi correo, mejor por texto", "no me sigan mandando casas de dos pisos",
        "Dejen de llamar al vendedor, yo me encargo", "no dejen de mandarme casas", "Quiero dar de baja la visita del sábado",
        "Eliminen mi número de la lista de Zillow", "Paren, ya encontramos la casa perfecta, ¿podemos verla?", "No quiero saber nada de esa casa",
    ])
    func spanishFamilyLookAlikes(_ text: String) {
        #expect(!Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("a cue to end contact that reaches our contact across a few words, in any person", arguments: [
        "My wife doesn't want these texts anymore, this is her phone", "this number shouldn't be getting these real estate texts",
        "Not sure how you got my number but I'd rather not get texts from you.", "Do me a favor and forget you ever had my number",
        "I never signed up for this, take me off whatever you've got me on", "Is there a way to get off your texting list?",
        "He no longer wants to receive these messages",
        "I'd prefer not to be contacted", "I shouldn't be on your list", "Please take my wife's number off your list",
        "You don't need to text me anymore", "I revoke consent to be texted",
        "Leave me out of your texts", "Please discard my number", "please remove my mom from your list",
    ])
    func contactCues(_ text: String) {
        let a = Support.analyze(text)
        #expect(a.isOptOut, "\(text)")
        // Rule 5 itself catches these (the rows other rules catch first are with their families).
        #expect(a.compliance.first { $0.kind == .optOut }?.rule.hasPrefix("contact:") == true, "\(text)")
        #expect(a.compliance.first { $0.kind == .optOut }?.language == .english)
    }

    @Test("Spanish cues that reach our contact, in any person", arguments: [
        "Mi esposa ya no quiere recibir estos textos, es su celular", "¿Cómo hago para que dejen de llegarme estos mensajes?",
        "Borra mi número porfa, no me interesa", "Olvídense de mi número",
        "Este número no debería recibir estos mensajes", "Elimina mi número de tu lista", "Me quiero salir de su lista",
        "No quiero estar en su lista", "No quiero ser contactado", "Agradecería que no me escribieran más",
        "Este es el número de mi papá, ya no le escriban", "Prefiero no recibir mensajes",
    ])
    func spanishContactCues(_ text: String) {
        let a = Support.analyze(text)
        #expect(a.isOptOut, "\(text)")
        #expect(a.compliance.first { $0.kind == .optOut }?.rule.hasPrefix("contact:") == true, "\(text)")
        #expect(a.compliance.first { $0.kind == .optOut }?.language == .spanish)
    }

    @Test("a complaint of our messages then a short demand; text-speak of texting", arguments: [
        "honestly so over getting these every single day 🙄 just stop", "I get your texts every morning 😤 stop", "yall need to quit txtn me lmao",
        "plz stop textn me", "stop msgn me",
    ])
    func complaintThenDemand(_ text: String) {
        #expect(Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("look-alikes of the contact cues are not opt-outs", arguments: [
        "forget the Elm house", "My wife doesn't want the condo", "how do I get the seller to stop countering", "I'd rather not see it on Saturday",
        "too many stairs", "My wife doesn't want these texts to stop", "The seller's agent doesn't want these texts forwarded",
        "I'd rather not get into the price over text", "I always forget my phone", "Forget my number from before, this is my new cell",
        "Delete my old number and use this one", "Please don't delete my number, I want updates", "Can you forget my number 2 choice?",
        "Zillow keeps texting me, how do I get these to stop?", "Is there a way to get the HOA to stop texting?",
        "I'd rather not get texts from the lender, can you handle it", "I don't want calls, texts are fine",
        "Text my wife instead, she doesn't want calls", "I no longer need the daily alerts, weekly is fine",
        "My husband shouldn't be getting these texts, only me", "I don't want these texts going to my work phone, use my cell",
        "The seller is being a pain, can you make them stop calling me?", "Take my number and call me after 5",
        "Is there a way to get off the waitlist?", "I never gave you permission to show my house", "I don't consent to the dual agency",
        "Why are you still texting me the old listings?", "Go away? No way, we love it", "Do not call before 9", "Don't call, text",
        "No need to call me, see you at 5", "I'm good with the texts, just don't call", "remove me from the Saturday showing",
        "Stop texting her, she's at work, text me instead", "Stop! We got it!! 🎉", "the house is perfect 😍 stop",
    ])
    func contactLookAlikes(_ text: String) {
        #expect(!Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("Spanish look-alikes of the contact cues are not opt-outs", arguments: [
        "borra esa cita", "déjame pensarlo", "Déjame en paz un rato con la oferta, lo pienso el fin de semana", "Mi esposa no quiere la casa de dos pisos",
        "borra mi número viejo, este es el nuevo", "No quiero perderme estos mensajes", "Ya me tienen harto los del banco",
        "Estoy harta de buscar casa", "¿Cómo hago para que el vendedor baje el precio?", "Prefiero no recibir llamadas, mejor mensajes",
        "Ya no quiero recibir estos mensajes tan tarde", "Mi esposa ya no quiere recibir estos textos, mándenmelos a mí",
        "Ya no le manden nada al vendedor", "Quítenme del préstamo, mi esposo lo firma solo", "Me quiero salir de la lista de espera",
        "Se me olvidó mi teléfono en la casa", "Borré sin querer el mensaje con la dirección",
    ])
    func spanishContactLookAlikes(_ text: String) {
        #expect(!Support.analyze(text).isOptOut, "\(text)")
    }

    @Test("an agent quoting the keyword is not opting out")
    func agentSpeaker() {
        #expect(!Support.analyze("Reply STOP to opt out", speaker: .agent).isOptOut)
    }

    @Test("legal threats", arguments: ["I'm going to sue you", "You'll hear from my lawyer if you text me again", "I will report you to the FCC", "This is harassment, I'm calling my attorney", "I'll file a complaint"])
    func legal(_ text: String) {
        let a = Support.analyze(text)
        #expect(a.has(.legalThreat), "\(text)")
        #expect(!(a.compliance.first { $0.kind == .legalThreat }?.evidence.isEmpty ?? true))
    }

    @Test("attorneys and reports in ordinary real-estate talk are not threats", arguments: [
        "My attorney will review the contract before we sign", "Can you send me the inspection report?", "Sue and I want to see it Saturday",
        "My wife Sue loved the kitchen", "Who is the closing attorney?", "Is the report from the appraisal back?",
    ])
    func legalNegatives(_ text: String) {
        #expect(!Support.analyze(text).has(.legalThreat), "\(text)")
    }

    @Test("abuse", arguments: ["fuck you", "you are an idiot", "screw you and your listings", "go to hell"])
    func abuse(_ text: String) { #expect(Support.analyze(text).has(.abuse), "\(text)") }

    @Test("strong words that are not abuse", arguments: ["this house is fucking amazing", "damn that's a good price", "the HOA is stupid expensive"])
    func abuseNegatives(_ text: String) {
        #expect(!Support.analyze(text).has(.abuse), "\(text)")
    }
}
