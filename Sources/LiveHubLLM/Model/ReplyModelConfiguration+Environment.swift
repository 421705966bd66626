import Foundation

extension ReplyModelConfiguration {
    /// A configuration variable with a value that cannot be used; the message names the
    /// variable and never repeats the API key.
    public struct InvalidValue: Error, Sendable, Hashable, CustomStringConvertible {
        public let variable: String
        public let reason: String
        public var description: String { "\(variable): \(reason)" }
    }

    /// Reads the configuration from an environment dictionary (pass
    /// `ProcessInfo.processInfo.environment`):
    ///
    /// - `LIVEHUB_LLM_PROVIDER`: `anthropic` or `openai`; unset or empty means no model (nil).
    /// - `LIVEHUB_LLM_BASE_URL`: an http(s) URL; defaults to the provider's public API.
    /// - `LIVEHUB_LLM_API_KEY`: required for `anthropic` and for OpenAI's own API; optional for
    ///   other OpenAI-compatible servers (local vLLM, llama.cpp, Ollama need none).
    /// - `LIVEHUB_LLM_MODEL`: required.
    /// - `LIVEHUB_LLM_FIRST_TOKEN_SECONDS`: a number of seconds in (0, 600]; defaults to 8.
    ///
    /// Keys come from the environment only, never from files or the database.
    public static func fromEnvironment(_ env: [String: String]) throws -> ReplyModelConfiguration? {
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }
        guard let providerName = value("LIVEHUB_LLM_PROVIDER") else { return nil }
        guard let provider = Provider(rawValue: providerName.lowercased()) else {
            throw InvalidValue(variable: "LIVEHUB_LLM_PROVIDER", reason: "must be anthropic or openai, not \"\(providerName)\"")
        }
        let baseURL = value("LIVEHUB_LLM_BASE_URL") ?? provider.defaultBaseURL
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else {
            throw InvalidValue(variable: "LIVEHUB_LLM_BASE_URL", reason: "must be an http or https URL such as https://api.anthropic.com, not \"\(baseURL)\"")
        }
        let apiKey = value("LIVEHUB_LLM_API_KEY")
        let needsKey = provider == .anthropic || host.lowercased() == "api.openai.com"
        if needsKey && apiKey == nil {
            throw InvalidValue(variable: "LIVEHUB_LLM_API_KEY", reason: "is required for \(provider.rawValue) at \(baseURL)")
        }
        if let apiKey, apiKey.contains(where: { $0.isNewline || $0 == "\0" }) {
            // Checked so that the key cannot smuggle headers; the message does not repeat it.
            throw InvalidValue(variable: "LIVEHUB_LLM_API_KEY", reason: "contains a line break or NUL")
        }
        guard let model = value("LIVEHUB_LLM_MODEL") else {
            throw InvalidValue(variable: "LIVEHUB_LLM_MODEL", reason: "is required when LIVEHUB_LLM_PROVIDER is set")
        }
        var configuration = ReplyModelConfiguration(provider: provider, baseURL: baseURL, apiKey: apiKey, model: model)
        if let text = value("LIVEHUB_LLM_FIRST_TOKEN_SECONDS") {
            guard let seconds = Double(text), seconds > 0, seconds <= 600 else {
                throw InvalidValue(variable: "LIVEHUB_LLM_FIRST_TOKEN_SECONDS", reason: "must be a number of seconds in (0, 600], not \"\(text)\"")
            }
            configuration.firstTokenTimeout = .seconds(seconds)
        }
        return configuration
    }
}
