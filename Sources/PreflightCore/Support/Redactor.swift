import Foundation

/// The one place where secrets become safe to show: `sk_live_…abcd`.
///
/// Every reporter's output, every log line and every error message passes through `redact`.
/// It finds secret-shaped tokens by prefix, and also any exact value it was told is secret
/// (a key read from the environment may have a shape no pattern knows).
public struct Redactor: Sendable {
    /// Prefixes of tokens that are always secret.
    public static let secretPrefixes = ["sk_live_", "sk_test_", "whsec_"]
    /// Characters shown at the end of a redacted value.
    static let visibleSuffix = 4
    /// Shorter tokens after a prefix are words, not keys (`sk_live_` alone in SDK code).
    static let minimumSecretLength = 8

    private var knownSecrets: [String]

    public init(knownSecrets: [String] = []) {
        // Longest first so a secret that contains another is replaced whole.
        self.knownSecrets = knownSecrets.filter { $0.count >= Self.minimumSecretLength }
            .sorted { $0.count > $1.count }
    }

    /// Adds secrets learnt after start-up.
    public mutating func add(secret: String) {
        guard secret.count >= Self.minimumSecretLength, !knownSecrets.contains(secret) else { return }
        knownSecrets.append(secret)
        knownSecrets.sort { $0.count > $1.count }
    }

    /// The masked form of one secret value: its prefix (if known) and last four characters.
    public static func mask(_ secret: String) -> String {
        // Already masked (a replayed recording): masking again would lose the last four.
        if secret.contains("…") { return secret }
        let prefix = secretPrefixes.first { secret.hasPrefix($0) } ?? ""
        let body = secret.dropFirst(prefix.count)
        guard body.count > visibleSuffix * 2 else { return prefix + "…" }
        return prefix + "…" + body.suffix(visibleSuffix)
    }

    public func redact(_ text: String) -> String {
        var text = text
        for secret in knownSecrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: Self.mask(secret))
        }
        guard Self.secretPrefixes.contains(where: { text.contains($0) }) else { return text }
        return Self.redactPatterns(in: text)
    }

    private static func isIdentifierCharacter(_ char: Character) -> Bool {
        char.isASCII && (char.isLetter || char.isNumber || char == "_")
    }

    /// Key bodies are alphanumeric (Clerk) or base64 (webhook secrets).
    private static func isTokenCharacter(_ char: Character) -> Bool {
        char.isASCII && (char.isLetter || char.isNumber || char == "_" || char == "-" || char == "+" || char == "/" || char == "=")
    }

    private static func redactPatterns(in text: String) -> String {
        var output = ""
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            // A prefix starts a secret only at a token boundary.
            let atBoundary = index == text.startIndex || !isIdentifierCharacter(text[text.index(before: index)])
            if atBoundary, let prefix = secretPrefixes.first(where: { rest.hasPrefix($0) }) {
                let bodyStart = text.index(index, offsetBy: prefix.count)
                var end = bodyStart
                while end < text.endIndex, isTokenCharacter(text[end]) { end = text.index(after: end) }
                let body = text[bodyStart..<end]
                if body.count >= minimumSecretLength {
                    output += mask(String(text[index..<end]))
                    index = end
                    continue
                }
            }
            output.append(text[index])
            index = text.index(after: index)
        }
        return output
    }
}
