import Foundation

/// One CAA record read as RFC 8659 defines it: flags, a property tag, and for `issue` and
/// `issuewild` an issuer domain name with optional parameters.
public struct CAAProperty: Sendable, Hashable {
    public var flags: Int
    /// Lowercased: tags are case-insensitive.
    public var tag: String
    public var value: String

    /// Parses the resolver's text form, `0 issue "letsencrypt.org; accounturi=…"`.
    public init?(record text: String) {
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3, let flags = Int(parts[0]) else { return nil }
        var value = String(parts[2])
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        self.flags = flags
        self.tag = parts[1].lowercased()
        self.value = value
    }

    public init(flags: Int, tag: String, value: String) {
        self.flags = flags
        self.tag = tag.lowercased()
        self.value = value
    }

    /// Bit 0 of the flags octet (128): a CA that does not understand the tag must not issue.
    public var isCritical: Bool { flags & 128 != 0 }

    /// Tags a CA is expected to understand (RFC 8659, RFC 8657, RFC 9495 and the CA/B Forum's
    /// issuemail/issuevmc); a critical property with any other tag forbids issuance.
    public static let knownTags: Set<String> = ["issue", "issuewild", "iodef", "contactemail", "contactphone", "issuemail", "issuevmc"]

    /// For `issue`/`issuewild`: the issuer domain name, lowercased; empty when the value only
    /// forbids issuance (`;`).
    public var issuer: String {
        let head = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return head.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// For `issue`/`issuewild`: the `tag=value` parameters after the issuer.
    public var parameters: [String: String] {
        let pieces = value.split(separator: ";", omittingEmptySubsequences: true).dropFirst()
        var result: [String: String] = [:]
        for piece in pieces {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            result[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
