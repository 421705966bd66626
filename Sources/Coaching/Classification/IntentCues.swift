/// Phrases that signal an intent. They are features for the trained model, not verdicts: the
/// model learns how much each cue counts beside the words around it. Written from how leads
/// talk, so that the model generalises beyond the messages it was trained on.
enum IntentCues {
    static let lexicon = PhraseLexicon<Intent>([
        .wrongNumber: [
            "wrong number|person|#", "wrong guy|girl|lady|one", "not me", "no one|nobody by that name", "who dis|dat", "no * at this number", "never heard of you", "this number belongs", "meant for|to text someone else",
            "not who you think", "no one named",
            "don't|dont know who|what you", "do not know who|what you", "don't|dont know you", "who is|is this", "who's|whos this",
            "never inquired", "didn't|didnt|never inquire|ask|request|sign|fill", "not|isn't|isnt|isn't my name", "you have the wrong",
            "number|numero equivocado", "got the wrong", "new number", "not the person", "not who you", "don't own|dont own|never owned",
            "no longer own", "this isn't|isnt|aint", "this is not", "not|isn't|isnt me",
        ],
        .notInterested: [
            "not interested", "no longer interested", "not looking", "no longer looking", "not anymore", "no thanks|thank|thx",
            "no thank you", "not for me", "pass", "i'll pass", "we'll pass", "not buying|selling", "already bought|sold|found",
            "we bought|found|purchased", "changed our|my mind", "don't|dont want to sell|buy|move", "went with", "stay put", "happy where we are", "decided not|against", "going to stay|rent", "not moving",
            "staying put", "off the market", "took it off", "not for sale", "no interest", "not anymore", "no estoy interesado|interesada",
            "don't|dont need", "no need", "nah", "thanks|thank|thx but no|nah|not", "not in the market", "i'm|im|we're|were|we are good",
            "all set", "we're|were|i'm|im set",
        ],
        .humanRequest: [
            "real person|human|agent|people", "actual person|human|agent", "live person|agent", "talk|speak to a|someone|somebody|an|your",
            "is this a bot|robot|machine|automated|ai|computer", "are you a bot|robot|real|human|person|machine|ai|computer",
            "am i talking|texting|speaking to a|an", "your manager|supervisor|boss|broker", "a manager|supervisor", "human being",
            "someone real", "stop the bot|automated", "automated message|messages|texts|response|responses", "not a bot", "bot ?",
            "have someone|somebody call", "a person", "with a human|person", "persona real",
        ],
        .scheduleShowing: [
            "see|tour|view|visit|show|walk it|the|this|inside|that|house|home|place|property|unit|condo", "walk through|thru|it", "show me|us", "schedule|book a|an showing|tour|viewing|visit|appointment", "showing|showings|tour|tours|viewing|walkthrough|walk-through",
            "open house", "come by", "stop by", "swing by", "take a look", "look at it|the|this", "check it out", "check out the|this",
            "go see", "come see", "get in", "available to show", "can we see|tour|view", "can i see|tour|view", "when can i|we",
            "i'm|im free", "we're|were free", "works for me|us", "does * work", "what time", "schedule|book|set up|setup",
            "appointment", "verla|visitarla|ver la casa",
        ],
        .rescheduleCancel: [
            "reschedule|rescheduling|re-schedule|postpone|cancel|cancelling|canceling|cancelled|canceled", "cancel|move|push|change|bump * showing|appointment|tour|meeting|visit|time",
            "move|push|change|bump our|the|my appointment|showing|tour|time|meeting", "can't|cant|cannot|won't|wont make it",
            "running late", "something came up", "different time|day", "another time|day", "push it back", "postpone", "rain check",
            "won't be able", "not going to make", "need to change", "call off", "can we do * instead", "won't|wont make the", "do # instead",
        ],
        .callbackRequest: [
            "call me|us", "give me|us a call|ring", "call back", "callback", "call you back", "can you call", "could you call",
            "please call", "ring me", "phone call", "rather talk|chat on the phone", "reach me at", "best number", "call later|tonight|tomorrow",
            "hop on a call", "quick call", "talk on the phone", "discuss|talk|chat over|on the phone", "want to call", "free to talk", "phone me", "llamame|llameme|llamenme",
        ],
        .priceQuestion: [
            "how much", "what's|whats the price|asking|cost|list", "what is the price|asking|cost|list", "asking price", "price ?", "list price", "listed for|at",
            "how much is|are|does|do it|this|the|that", "what are they asking", "lowest price", "price drop|reduction|reduced", "any flexibility",
            "flexible on price|the price", "negotiable", "room to negotiate", "what does it cost", "cost ?", "price per", "cuanto cuesta|es",
            "property taxes", "taxes ?", "hoa fee|fees|dues", "price range", "seller take|accept", "come down on price", "going for", "monthly hoa", "listed at|for",
        ],
        .financing: [
            "mortgage|mortgages|lender|lenders|loan|loans|financing|finance|pre-approved|preapproved|preapproval|pre-approval|prequalified|pre-qualified",
            "pre approved|approval|qualified", "down payment", "downpayment", "interest rate|rates", "rate ?", "closing costs",
            "fha|va|usda|conventional|jumbo", "credit score", "first time buyer|homebuyer", "first-time buyer|homebuyer",
            "how much can i|we afford", "monthly payment|payments", "qualify for", "get approved", "dpa|assistance",
            "earnest money", "pmi", "points", "refinance|refi", "cash buyer", "what rate|rates", "rate could|would|can i|we", "afford",
        ],
        .availability: [
            "still available", "still on the market", "still for sale|rent", "still avail", "is it available", "is this available",
            "is it still", "is this still", "is that still", "has it sold", "did it sell", "already sold", "under contract",
            "pending ?", "available ?", "go|went pending", "no offers yet", "still have no offers", "still showing", "avail ?", "any offers", "still there", "gone ?", "taken ?", "sigue disponible", "todavia disponible",
            "is it gone", "still up", "on the market", "already buy|bought|sold|taken|rented", "someone buy|bought|take|took|grab|grabbed", "been sold|taken|rented",
        ],
        .propertyQuestion: [
            "how many bedrooms|bathrooms|beds|baths|rooms|sq|square|car", "bedrooms|bathrooms|beds|baths", "square feet|footage",
            "sqft", "hoa", "school|schools|district", "pets|pet|dogs|dog|cats|cat", "garage|parking", "roof|hvac|ac|furnace|water heater",
            "basement|yard|pool|fence|fenced|deck|patio", "how old", "year built", "lot size", "flood|zone", "utilities", "kitchen",
            "appliances", "washer|dryer|laundry", "does it have|come with", "is there a|an", "any issues|problems", "inspection",
            "foundation", "septic|sewer|well", "neighborhood|commute", "water pressure", "what floor", "fireplace|laundry|closet|closets|attic", "what's|whats the size", "how big", "floor plan", "renovated|updated",
        ],
        .offer: [
            "offer|offering|offered", "counter|counteroffer|counter-offer|countered|countering", "we'd|wed|we would|i'd|id go to|up to", "we'll|well|i'll|ill|we|i pay|do|give|go", "would you take|accept",
            "will you take|accept", "would they|seller take|accept", "can you do", "could you do", "meet in the middle", "split the difference",
            "best and final", "final offer", "highest and best", "escalation", "under asking|list", "over asking|list", "above asking|list",
            "below asking|list", "at asking", "full price|asking", "cash offer", "put in", "write up|it|an offer", "submit|send an offer",
            "make an offer", "take it for", "deal at|for", "meet at", "come up to", "bump it to", "how about", "what about", "my max|budget is",
            "oferta", "ofrecer",
        ],
        .sellInquiry: [
            "sell|selling my|our|the house|home|place|condo|property", "sell|selling", "list|listing my|our house|home|place|condo",
            "what's|whats my|our home|house|place|condo worth|value", "what is my|our home|house|place|condo worth", "home|house|place|condo value|valuation|worth", "worth ?",
            "list|sell my|our|it", "put our|my|the|it house|home|place|condo on the market", "get for my|our house|home|place|condo", "what could i|we get",
            "how much could|can|would i|we get", "cma", "market analysis", "thinking of|about selling", "want to sell",
            "need to sell", "looking to sell", "put it on the market", "put my|our house|home on the market", "vender|vendo mi casa",
            "inherited", "downsize|downsizing", "relocating|relocation", "estimate|appraisal", "equity", "valuation|valuations|cma|comps",
        ],
        .buyInquiry: [
            "looking for|to buy", "looking for a|an", "want to buy", "wanting to buy", "need a|to find", "searching for",
            "in the market for", "first home", "buy a|our|my first", "we're|were|i'm|im looking", "house hunting|search",
            "must have|haves", "budget is|around|of", "under #", "send me listings|homes|houses|options", "anything in",
            "something in|with|under|around", "bedroom home|house", "find a|me a rental|home|house|place|condo", "send me * homes|listings|houses|condos", "relocating to", "moving to", "comprar|busco|buscando",
            "buy|buying|purchase|purchasing", "we|i need|want|require # bedrooms|beds|bed|br|bedroom", "need|want at least", "must have",
        ],
        .objection: [
            "too expensive|high|pricey|much", "already have", "my realtor|agent", "commission", "not ready", "scam", "overpriced",
            "wait for", "rates are", "just looking|browsing", "my wife|husband|spouse|partner", "think about it", "fsbo", "by owner",
            "afford", "sketchy", "don't trust", "not sure", "why should i", "what makes you",
        ],
        .positiveAck: [
            "thanks|thank|thx|ty|tysm|gracias", "sounds good|great|perfect", "perfect|great|awesome|cool|ok|okay|k|kk|yes|yep|yeah|yup|sure|got it|will do|appreciate it",
            "will do", "see you then|there|soon|saturday|sunday|monday|tuesday|wednesday|thursday|friday|tomorrow|tonight|later", "that works", "works for me", "looking forward", "great thanks", "👍|🙏|😊|❤️|🙂|👌", "sounds like a plan",
            "you too", "have a good|great", "much appreciated", "perfecto|perfect", "de acuerdo|claro|ok",
        ],
        .other: ["happy|merry holidays|thanksgiving|christmas|birthday|easter", "how's|hows your day", "what's|whats your name", "how long have you been",
                 "quick question", "office open|hours", "birthday wishes", "lol", "haha", "how are you", "hey|hi|hello", "good morning|afternoon|evening", "who is your|ur broker|company|brokerage", "commercial", "driving", "at work", "text later", "get back to you"],
    ])
}
