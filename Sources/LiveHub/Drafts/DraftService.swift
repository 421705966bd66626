import Actors
import AsyncHTTPClient
import Coaching
import Foundation
import LiveHubLLM
import Logging
import Synchronization

/// AI-drafted replies, streamed to the agent who asked.
///
/// A draft is refused before the model is asked when the location has drafts off, its hourly
/// quota is spent, no model is configured, or the lead opted out of the reply's channel. The
/// prompt holds only the conversation's context (`DraftContextReader`, `DraftPromptBuilder`).
/// Text streams to the agent as it comes; the finished text then goes through the guardrails
/// (`DraftGuardrails`), which can mark it not sendable. On a timeout, a provider error or a
/// stream cut off, the agent gets the playbook's replies with the reason. Nothing here sends
/// anything to the lead.
final class DraftService: Sendable {
    let configuration: ReplyModelConfiguration?
    let http: HTTPClient
    let reader: DraftContextReader
    let logger: Logger
    private let quota = DraftQuota()
    private let guardrails = DraftGuardrails()
    /// One client per model name (a location may name its own model).
    private let models = Mutex<[String: any ReplyModel]>([:])

    init(configuration: ReplyModelConfiguration?, http: HTTPClient, reader: DraftContextReader, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.reader = reader
        self.logger = logger
    }

    private func model(named name: String?) -> (any ReplyModel)? {
        guard var c = configuration else { return nil }
        if let name { c.model = name }
        return models.withLock { m in
            if let found = m[c.model] { return found }
            let made = ReplyModels.make(c, http: http, logger: logger)
            m[c.model] = made
            return made
        }
    }

    /// Drafts a reply in `state`'s conversation; every frame goes to `send`.
    /// `trigger`: nil when the agent asked, `hot_lead` for an automatic draft.
    func draft(
        _ state: ConversationState, settings: DraftSettings, advice: NegotiationAdvice?, instruction: String?, now: Double, trigger: String? = nil,
        send: @escaping @Sendable (ServerFrame) -> Void
    ) async {
        let draftId = UUID().uuidString.lowercased()
        let id = state.conversationId
        let started = ContinuousClock.now
        func fail(_ reason: String, _ replies: [SuggestedReply]) {
            send(DraftFrames.frame(DraftFrames.Failed(draftId: draftId, conversationId: id, trigger: trigger, reason: reason, replies: replies)))
        }
        let read: DraftContextReader.Read
        do {
            read = try await reader.read(state, advice: advice, instruction: instruction)
        } catch {
            return fail("the conversation could not be read", [])
        }
        // After an opt-out there is nothing to draft, and no playbook reply either.
        guard !read.context.optedOut else { return fail("the lead opted out of \(read.context.channel)", []) }
        guard settings.enabled else { return fail("drafts are off for this location", read.fallback) }
        guard let model = model(named: settings.model) else { return fail("no language model is configured", read.fallback) }
        guard quota.take(state.locationId, limit: settings.maxPerHour, now: now) else {
            return fail("the location's \(settings.maxPerHour) drafts this hour are used", read.fallback)
        }
        let (system, user) = DraftPromptBuilder.build(read.context)
        let prompt = ReplyPrompt(system: system, messages: [.init(role: .user, content: user)], maxTokens: configuration?.maxTokens ?? 300)
        var text = ""
        var firstToken: Duration?
        do {
            for try await event in model.stream(prompt) {
                switch event {
                case .delta(let piece):
                    if firstToken == nil { firstToken = .now - started }
                    text += piece
                    send(DraftFrames.frame(DraftFrames.Delta(draftId: draftId, conversationId: id, trigger: trigger, text: piece)))
                case .finished:
                    break
                }
            }
        } catch {
            logger.info("draft failed", metadata: ["conversation": "\(id)", "model": "\(model.modelName)", "error": "\(error)"])
            return fail(String(describing: error), read.fallback)
        }
        let verdict = guardrails.check(text, context: read.context)
        let elapsed = ContinuousClock.now - started
        send(DraftFrames.frame(DraftFrames.Done(
            draftId: draftId, conversationId: id, trigger: trigger, text: text, model: model.modelName, latencyMs: Self.ms(elapsed), firstTokenMs: firstToken.map(Self.ms),
            sendable: verdict.sendable, flags: verdict.flags)))
    }

    private static func ms(_ d: Duration) -> Int { Int((d.inSeconds * 1000).rounded()) }
}
