import Corpus

/// Counts each document's tokens with a real tokenizer into `metadata.tokens` (the planner's budgets
/// are in tokens of the model's tokenizer); optionally keeps only documents within min/max tokens.
public final class TokensStep: Step {
    public static let definition = StepDefinition(
        name: "tokens", summary: "count tokens with the model's tokenizer into metadata.tokens; optional min/max"
    ) { (options) throws(ConfigError) in
        guard let path = try options.filePath("tokenizer") else {
            throw options.error("tokenizer", "is required: a tokenizer.json or .tiktoken rank file")
        }
        let pattern = try options.string("pattern")
        let field = try options.string("field", default: "tokens")
        let minTokens = try options.int("min_tokens", range: 0...Int.max)
        let maxTokens = try options.int("max_tokens", range: 0...Int.max)
        if let low = minTokens, let high = maxTokens, low > high {
            throw options.error("min_tokens", "is larger than max_tokens (\(low) > \(high))")
        }
        let tokenizer: BPETokenizer
        do {
            tokenizer = try BPETokenizer.load(path: path, pattern: pattern, cache: TokenizerCache.fromEnvironment())
        } catch {
            throw options.error("tokenizer", "cannot be used: \(error)")
        }
        return Factory(tokenizer: tokenizer, field: field, minTokens: minTokens, maxTokens: maxTokens)
    }

    struct Factory: StepFactory {
        let tokenizer: BPETokenizer
        let field: String
        let minTokens: Int?
        let maxTokens: Int?
        var versionedName: String { "tokens-v1" }

        func makeStep() throws -> any Step {
            TokensStep(encoder: tokenizer.makeEncoder(), field: field, minTokens: minTokens, maxTokens: maxTokens)
        }
    }

    private let encoder: TokenEncoder
    public let field: String
    public let minTokens: Int?
    public let maxTokens: Int?

    public init(encoder: TokenEncoder, field: String = "tokens", minTokens: Int? = nil, maxTokens: Int? = nil) {
        self.encoder = encoder
        self.field = field
        self.minTokens = minTokens
        self.maxTokens = maxTokens
    }

    public func process(_ document: inout Document) -> Verdict {
        let count: Int
        do {
            count = try document.withTextUTF8 { (text) throws(TokenizerError) in try encoder.count(utf8: text) }
        } catch {
            return .drop(.tokenizerFailed)
        }
        document.metadata[field] = .int(count)
        if let minTokens, count < minTokens { return .drop(.tooFewTokens) }
        if let maxTokens, count > maxTokens { return .drop(.tooManyTokens) }
        return .keep
    }
}

extension DropReason {
    public static let tooFewTokens = DropReason("too_few_tokens")
    public static let tooManyTokens = DropReason("too_many_tokens")
    /// The tokenizer's split pattern failed on the text (a PCRE2 resource limit); never seen on real data.
    public static let tokenizerFailed = DropReason("tokenizer_failed")
}

/// The steps this module provides, for the pipeline's step registry.
public enum TokenizationSteps {
    public static let definitions: [StepDefinition] = [TokensStep.definition]
}
