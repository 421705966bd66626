import LiveHubLLM
import Testing

@Suite("Reply model configuration from the environment")
struct ReplyModelConfigurationTests {
    @Test("no provider means no model")
    func unconfigured() throws {
        #expect(try ReplyModelConfiguration.fromEnvironment([:]) == nil)
        #expect(try ReplyModelConfiguration.fromEnvironment(["LIVEHUB_LLM_PROVIDER": " ", "LIVEHUB_LLM_MODEL": "m"]) == nil)
    }

    @Test("Anthropic with defaults")
    func anthropic() throws {
        let configuration = try ReplyModelConfiguration.fromEnvironment([
            "LIVEHUB_LLM_PROVIDER": "Anthropic", "LIVEHUB_LLM_API_KEY": "sk-ant-1", "LIVEHUB_LLM_MODEL": "claude-sonnet-4-5",
        ])
        #expect(configuration == ReplyModelConfiguration(
            provider: .anthropic, baseURL: "https://api.anthropic.com", apiKey: "sk-ant-1", model: "claude-sonnet-4-5",
            firstTokenTimeout: .seconds(8), idleTimeout: .seconds(30), maxTokens: 300))
    }

    @Test("a local OpenAI-compatible server needs no key; the first-token timeout is read in seconds")
    func localServer() throws {
        let configuration = try #require(try ReplyModelConfiguration.fromEnvironment([
            "LIVEHUB_LLM_PROVIDER": "openai", "LIVEHUB_LLM_BASE_URL": "http://127.0.0.1:8080", "LIVEHUB_LLM_MODEL": "qwen",
            "LIVEHUB_LLM_FIRST_TOKEN_SECONDS": "2.5",
        ]))
        #expect(configuration.apiKey == nil)
        #expect(configuration.baseURL == "http://127.0.0.1:8080")
        #expect(configuration.firstTokenTimeout == .milliseconds(2500))
    }

    @Test("bad values throw an error naming the variable, never echoing the key", arguments: [
        (["LIVEHUB_LLM_PROVIDER": "gemini", "LIVEHUB_LLM_MODEL": "m"], "LIVEHUB_LLM_PROVIDER"),
        (["LIVEHUB_LLM_PROVIDER": "openai", "LIVEHUB_LLM_BASE_URL": "ftp://x", "LIVEHUB_LLM_MODEL": "m"], "LIVEHUB_LLM_BASE_URL"),
        (["LIVEHUB_LLM_PROVIDER": "openai", "LIVEHUB_LLM_BASE_URL": "localhost:8080", "LIVEHUB_LLM_MODEL": "m"], "LIVEHUB_LLM_BASE_URL"),
        (["LIVEHUB_LLM_PROVIDER": "anthropic", "LIVEHUB_LLM_MODEL": "m"], "LIVEHUB_LLM_API_KEY"),
        (["LIVEHUB_LLM_PROVIDER": "openai", "LIVEHUB_LLM_MODEL": "gpt-4o"], "LIVEHUB_LLM_API_KEY"),
        (["LIVEHUB_LLM_PROVIDER": "openai", "LIVEHUB_LLM_API_KEY": "sk-SECRET\nx: y", "LIVEHUB_LLM_MODEL": "m"], "LIVEHUB_LLM_API_KEY"),
        (["LIVEHUB_LLM_PROVIDER": "anthropic", "LIVEHUB_LLM_API_KEY": "sk-SECRET"], "LIVEHUB_LLM_MODEL"),
        (["LIVEHUB_LLM_PROVIDER": "anthropic", "LIVEHUB_LLM_API_KEY": "sk-SECRET", "LIVEHUB_LLM_MODEL": "m", "LIVEHUB_LLM_FIRST_TOKEN_SECONDS": "0"], "LIVEHUB_LLM_FIRST_TOKEN_SECONDS"),
        (["LIVEHUB_LLM_PROVIDER": "anthropic", "LIVEHUB_LLM_API_KEY": "sk-SECRET", "LIVEHUB_LLM_MODEL": "m", "LIVEHUB_LLM_FIRST_TOKEN_SECONDS": "soon"], "LIVEHUB_LLM_FIRST_TOKEN_SECONDS"),
    ])
    func badValues(env: [String: String], variable: String) {
        let error = #expect(throws: ReplyModelConfiguration.InvalidValue.self) { try ReplyModelConfiguration.fromEnvironment(env) }
        #expect(error?.variable == variable)
        #expect(error?.description.contains("SECRET") == false)
    }
}
