/// What the public suffix list says about `app.domain`: whether a team can own it.
///
/// Gathered offline (libpsl reads the list from the machine), so the check that reads it stays
/// a pure function and a recording replays it.
public struct DomainFacts: Sendable, Hashable, Codable {
    /// Which part of the public suffix list a rule comes from.
    public enum Section: String, Sendable, Hashable, Codable {
        /// Registries' suffixes: `com`, `co.uk`, `app`.
        case icann
        /// Suffixes companies ask to be treated as public: `vercel.app`, `github.io`.
        case `private`
    }

    /// Lowercased, without a trailing dot.
    public var name: String
    public var isAddress: Bool
    /// The longest public suffix `name` ends with, by an explicit rule of the list; `nil` when
    /// only the implicit `*` rule applies (an unlisted top-level domain such as `.test`).
    public var publicSuffix: String?
    /// The section of that rule.
    public var section: Section?
    /// The shortest part of `name` a registrant can own (`example.co.uk`); `nil` when `name`
    /// is itself a public suffix.
    public var registrableDomain: String?

    public init(name: String, isAddress: Bool = false, publicSuffix: String? = nil, section: Section? = nil, registrableDomain: String? = nil) {
        self.name = name
        self.isAddress = isAddress
        self.publicSuffix = publicSuffix
        self.section = section
        self.registrableDomain = registrableDomain
    }
}
