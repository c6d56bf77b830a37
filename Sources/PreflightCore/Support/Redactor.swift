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
        // One pass over the bytes, which returns the text itself when it holds no secret.
        return Self.redactPatterns(in: text)
    }

    // Secrets are ASCII, so the scan works on UTF-8 bytes: a multi-megabyte report (a fleet's)
    // is redacted in milliseconds, where walking it by Character took seconds.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    /// Key bodies are alphanumeric (Clerk) or base64 (webhook secrets).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        isIdentifierByte(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }

    private static let prefixBytes = secretPrefixes.map { Array($0.utf8) }

    private static func redactPatterns(in text: String) -> String {
        var scanned = text
        // Native strings are contiguous UTF-8: scanned in place, copied only when a secret is found.
        let redacted: String? = scanned.withUTF8 { bytes in
            var output: [UInt8] = []
            var copied = 0
            var index = 0
            while index < bytes.count {
                // A prefix starts a secret only at a token boundary (a non-ASCII byte is one).
                // Every prefix starts with `s` or `w`: most bytes are passed over on that alone.
                let byte = bytes[index]
                if byte == UInt8(ascii: "s") || byte == UInt8(ascii: "w"), index == 0 || !isIdentifierByte(bytes[index - 1]),
                   let prefix = prefixBytes.first(where: { index + $0.count <= bytes.count && bytes[index..<(index + $0.count)].elementsEqual($0) }) {
                    var end = index + prefix.count
                    while end < bytes.count, isTokenByte(bytes[end]) { end += 1 }
                    if end - index - prefix.count >= minimumSecretLength {
                        if output.isEmpty { output.reserveCapacity(bytes.count) }
                        output += bytes[copied..<index]
                        output += Array(mask(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)).utf8)
                        copied = end
                        index = end
                        continue
                    }
                }
                index += 1
            }
            guard copied > 0 else { return nil }
            output += bytes[copied...]
            return String(decoding: output, as: UTF8.self)
        }
        return redacted ?? text
    }
}
