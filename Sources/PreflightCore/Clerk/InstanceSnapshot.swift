import Foundation

/// The instance snapshot (`clerk.instance_snapshot`, format in docs/instance-snapshot.md): the
/// production settings no key can read — own OAuth credentials, redirect URIs, templates, plan —
/// kept as a JSON file next to `preflight.yml`. Every field but `schema_version` is optional;
/// `null` means "not known", and a check whose fact is not known says so instead of passing.
public struct InstanceSnapshot: Sendable, Hashable, Codable {
    public static let currentVersion = 1

    public var schemaVersion: Int
    public var comment: String?
    /// RFC 3339.
    public var exportedAt: String?
    public var application: Application?
    public var instance: Instance?
    public var plan: String?
    /// Keyed by strategy: `oauth_google`, `oauth_github`, ...
    public var socialProviders: [String: SocialProvider]?
    public var redirectUrls: [String]?
    public var email: Email?
    public var emailTemplates: [EmailTemplate]?
    public var smsTemplates: [SMSTemplate]?
    public var session: Session?
    public var enabledPaidFeatures: [String]?

    public init(schemaVersion: Int = currentVersion) {
        self.schemaVersion = schemaVersion
    }

    public struct Application: Sendable, Hashable, Codable {
        public var id: String?
        public var name: String?
        public init(id: String? = nil, name: String? = nil) {
            self.id = id
            self.name = name
        }
    }

    public struct Instance: Sendable, Hashable, Codable {
        public var id: String?
        public var environmentType: String?
        public var domain: String?
        public var frontendApiUrl: String?
        public var accountsPortalUrl: String?
        public var allowedOrigins: [String]?
        public init() {}
    }

    public struct SocialProvider: Sendable, Hashable, Codable {
        public var enabled: Bool?
        /// `false`: Clerk's shared development credentials.
        public var hasOwnCredentials: Bool?
        public var clientId: String?
        /// Never the secret itself.
        public var clientSecretSet: Bool?
        public var teamId: String?
        public var keyId: String?
        public var redirectUris: [String]?
        /// Google's consent-screen status (`in_production`, `testing`), when known.
        public var publishingStatus: String?
        public init() {}

        /// Own credentials when the snapshot says so, or when they are all there (Apple: with
        /// its team and key ids); `nil` when the snapshot does not tell.
        public func ownCredentials(provider: String) -> Bool? {
            if let hasOwnCredentials { return hasOwnCredentials }
            guard let clientId, let clientSecretSet else { return nil }
            var own = !clientId.isEmpty && clientSecretSet
            if provider == "oauth_apple" { own = own && !(teamId ?? "").isEmpty && !(keyId ?? "").isEmpty }
            return own
        }
    }

    public struct Email: Sendable, Hashable, Codable {
        public var fromAddress: String?
        public var replyTo: String?
        public init() {}
    }

    public struct EmailTemplate: Sendable, Hashable, Codable {
        public var slug: String
        public var subject: String?
        public var bodyExcerpt: String?
        public init(slug: String, subject: String? = nil, bodyExcerpt: String? = nil) {
            self.slug = slug
            self.subject = subject
            self.bodyExcerpt = bodyExcerpt
        }
    }

    public struct SMSTemplate: Sendable, Hashable, Codable {
        public var slug: String
        public var message: String?
        public init(slug: String, message: String? = nil) {
            self.slug = slug
            self.message = message
        }
    }

    public struct Session: Sendable, Hashable, Codable {
        public var lifetimeSeconds: Int?
        public var inactivityTimeoutSeconds: Int?
        public var customLifetime: Bool?
        public init() {}
    }

    /// The paid features the snapshot may name (clerk-facts section 10).
    public static let knownPaidFeatures = [
        "remove_branding", "sms_authentication", "passkeys", "allowlist", "blocklist", "inactivity_timeout",
        "custom_session_lifetime", "satellite_domains", "enterprise_sso", "custom_roles", "self_serve_sso", "large_organizations",
    ]

    /// Written as people read it: snake_case keys, sorted, nulls left out.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }
}
