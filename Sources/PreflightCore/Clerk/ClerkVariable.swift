/// Knows Clerk's environment variable names under every framework prefix
/// (clerk-facts.md section 7), and which prefixes a bundler ships to the browser.
public struct ClerkVariable: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case publishableKey, secretKey, webhookSigningSecret, encryptionKey, jwtKey
        case apiURL, frontendAPIURL, domain, proxyURL, isSatellite, signInURL, signUpURL
        /// `CLERK_*_REDIRECT_URL` and other URL settings.
        case otherSetting

        /// Whether the value must stay on the server.
        public var isSecret: Bool {
            switch self {
            case .secretKey, .webhookSigningSecret, .encryptionKey: true
            default: false
            }
        }
    }

    /// Prefixes whose variables bundlers inline into browser code.
    public static let browserPrefixes = [
        "NEXT_PUBLIC_", "NUXT_PUBLIC_", "EXPO_PUBLIC_", "PLASMO_PUBLIC_", "VITE_", "PUBLIC_",
        "REACT_APP_", "GATSBY_",
    ]
    /// Prefixes that frameworks put in front of Clerk's names, browser-exposed or not.
    static let frameworkPrefixes = browserPrefixes + ["NUXT_"]

    static let baseNames: [String: Kind] = [
        "CLERK_PUBLISHABLE_KEY": .publishableKey,
        "CLERK_SECRET_KEY": .secretKey,
        "CLERK_API_KEY": .secretKey,  // the name secret keys had before 2022
        "CLERK_WEBHOOK_SIGNING_SECRET": .webhookSigningSecret,
        "CLERK_WEBHOOK_SECRET": .webhookSigningSecret,
        "CLERK_ENCRYPTION_KEY": .encryptionKey,
        "CLERK_JWT_KEY": .jwtKey,
        "CLERK_API_URL": .apiURL,
        "CLERK_FRONTEND_API_URL": .frontendAPIURL,
        "CLERK_FRONTEND_API": .frontendAPIURL,
        "CLERK_DOMAIN": .domain,
        "CLERK_PROXY_URL": .proxyURL,
        "CLERK_IS_SATELLITE": .isSatellite,
        "CLERK_SIGN_IN_URL": .signInURL,
        "CLERK_SIGN_UP_URL": .signUpURL,
    ]

    /// The name as written (`NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY`).
    public let name: String
    /// The name without its framework prefix (`CLERK_PUBLISHABLE_KEY`).
    public let baseName: String
    public let kind: Kind
    /// Whether a bundler ships this variable to the browser.
    public let isBrowserExposed: Bool

    /// `nil` when `name` is not one of Clerk's variables.
    public init?(name: String) {
        var base = name
        for prefix in Self.frameworkPrefixes.sorted(by: { $0.count > $1.count }) where name.hasPrefix(prefix) {
            base = String(name.dropFirst(prefix.count))
            break
        }
        if let kind = Self.baseNames[base] {
            self.kind = kind
        } else if base.hasPrefix("CLERK_"), base.hasSuffix("_URL") {
            self.kind = .otherSetting
        } else {
            return nil
        }
        self.name = name
        self.baseName = base
        self.isBrowserExposed = Self.isBrowserExposed(name)
    }

    public static func isBrowserExposed(_ name: String) -> Bool {
        browserPrefixes.contains { name.hasPrefix($0) }
    }

    /// Whether a variable belongs in evidence: Clerk's own names, anything browser-exposed
    /// that holds a secret-key-shaped value, and anything that names Clerk.
    /// Any other variable whose value the Clerk string scanner flags (a development host in
    /// `NEXT_PUBLIC_SIGN_IN_URL`, a development key under another name) is relevant too.
    public static func isRelevant(name: String, value: String) -> Bool {
        ClerkVariable(name: name) != nil || name.contains("CLERK")
            || (isBrowserExposed(name) && SecretKey.looksLikeSecretKey(value))
            || value.hasPrefix("whsec_")  // a webhook signing secret under any name
            || !ClerkStringScanner.scan(value).isEmpty
    }
}

/// Secret key shape: `sk_live_` / `sk_test_` (Stripe uses the same prefixes).
public enum SecretKey {
    public static let livePrefix = "sk_live_"
    public static let testPrefix = "sk_test_"

    public static func looksLikeSecretKey(_ value: String) -> Bool {
        value.hasPrefix(livePrefix) || value.hasPrefix(testPrefix)
    }

    /// Words that mark a value as a stand-in (`sk_test_YOUR_KEY`, `sk_live_xxxxxxxx`), not a key.
    static let placeholderWords = ["xxxx", "your", "placeholder", "replace", "changeme", "dummy", "insert", "redacted", "example", "<", "…", "..."]

    /// Whether a key payload is a stand-in rather than a key someone could use.
    public static func isPlaceholder(_ payload: String) -> Bool {
        let lowered = payload.lowercased()
        if placeholderWords.contains(where: { lowered.contains($0) }) { return true }
        // One character repeated (sk_test_0000000000000000000000) is not a key either.
        return Set(lowered).count <= 2
    }
}
