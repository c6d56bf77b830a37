import Foundation

/// The parts of Clerk's API answers that checks read, as typed models. Every field is optional:
/// an answer without it says nothing about it, and the check that needed it cannot decide.
/// Decoded with `ClerkAPI.decode` (snake_case keys).
public enum ClerkAPI {
    /// Decodes an API answer; `nil` for malformed JSON or a different shape.
    public static func decode<T: Decodable>(_ type: T.Type, from body: String) -> T? {
        let decoder = JSONDecoder()
        // The Platform config's keys carry provider names (connection_oauth_linkedin_oidc)
        // that a key strategy would mangle; it names its keys itself.
        if type != PlatformConfig.self { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        return try? decoder.decode(type, from: Data(body.utf8))
    }

    /// Decodes an answer whose model marks the fields Clerk's spec requires as non-optional;
    /// a failure names what was wrong and where (`missing field dns.cnames.clerk.verified`).
    public static func decodeReporting<T: Decodable>(_ type: T.Type, from body: String) -> Result<T, DecodingProblem> {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return .success(try decoder.decode(type, from: Data(body.utf8)))
        } catch let error as DecodingError {
            func path(_ context: DecodingError.Context, _ last: CodingKey? = nil) -> String {
                (context.codingPath + (last.map { [$0] } ?? [])).map { key in key.intValue.map { "[\($0)]" } ?? snake(key.stringValue) }
                    .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            }
            switch error {
            case .keyNotFound(let key, let context): return .failure(DecodingProblem(description: "missing field \(path(context, key))"))
            case .valueNotFound(_, let context): return .failure(DecodingProblem(description: "null where a value is required at \(path(context))"))
            case .typeMismatch(let type, let context): return .failure(DecodingProblem(description: "\(path(context)) is not \(type)"))
            case .dataCorrupted(let context): return .failure(DecodingProblem(description: context.codingPath.isEmpty ? "not JSON" : "malformed value at \(path(context))"))
            @unknown default: return .failure(DecodingProblem(description: "\(error)"))
            }
        } catch {
            return .failure(DecodingProblem(description: "\(error)"))
        }
    }

    /// What was wrong with an answer, naming the field.
    public struct DecodingProblem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// camelCase back to the answer's snake_case, for messages.
    static func snake(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return out
    }

    // MARK: Platform API `GET /v1/platform/applications/{app}/domains/{domain}/status`

    /// Clerk's own verdict on a production domain (platform/beta.yml
    /// `PlatformDomainStatusResponse`); the fields the spec requires are not optional here.
    public struct PlatformDomainStatus: Decodable, Sendable {
        public var status: String
        public var dns: DNSStatus
        public var ssl: SSLStatus
        public var mail: ServiceStatus?
        public var proxy: ServiceStatus?

        public struct DNSStatus: Decodable, Sendable {
            public var status: String
            /// By record: `clerk`, `accounts`, `clkmail`, `clk._domainkey`, `clk2._domainkey`.
            /// (The key strategy may respell these labels; records are matched by `from`.)
            public var cnames: [String: CNAMEStatus]
        }

        public struct CNAMEStatus: Decodable, Sendable {
            public var from: String
            public var to: String
            public var actual: [String]?
            public var verified: Bool
            public var required: Bool
            public var failureHints: [FailureHint]?
            public var clerkSubdomain: String
        }

        public struct SSLStatus: Decodable, Sendable {
            public var status: String
            public var required: Bool?
            public var failureHints: [FailureHint]?
        }

        public struct ServiceStatus: Decodable, Sendable {
            public var status: String
            public var required: Bool
        }

        public struct FailureHint: Decodable, Sendable {
            public var code: String
            public var message: String
        }

        /// The record Clerk checks for `host`, if any.
        public func cname(for host: String) -> CNAMEStatus? {
            dns.cnames.values.first { ClerkHosts.normalize($0.from) == ClerkHosts.normalize(host) }
        }
    }

    // MARK: Frontend API `GET /v1/environment`

    public struct Environment: Decodable, Sendable {
        public var authConfig: AuthConfig?
        public var displayConfig: DisplayConfig?
        public var userSettings: UserSettings?
        public var organizationSettings: OrganizationSettings?
    }

    public struct AuthConfig: Decodable, Sendable {
        public var testMode: Bool?
    }

    public struct DisplayConfig: Decodable, Sendable {
        /// The display config's id (`Client.DisplayConfig.id`): one per instance, so two answers
        /// with the same id are the same instance's.
        public var id: String?
        public var instanceEnvironmentType: String?
        public var branded: Bool?
        public var captchaPublicKey: String?
        public var captchaWidgetType: String?
        public var homeUrl: String?
        public var signInUrl: String?
        public var signUpUrl: String?
        public var userProfileUrl: String?
        public var afterSignInUrl: String?
        public var afterSignUpUrl: String?
        public var afterSignOutOneUrl: String?
        public var afterSignOutAllUrl: String?
        public var organizationProfileUrl: String?
        public var createOrganizationUrl: String?
        public var logoLinkUrl: String?
        public var helpUrl: String?
        public var privacyPolicyUrl: String?
        public var termsUrl: String?
        public var waitlistUrl: String?
        public var oauthConsentUrl: String?
        public var afterSwitchSessionUrl: String?
        public var afterJoinWaitlistUrl: String?
        public var afterLeaveOrganizationUrl: String?
        public var afterCreateOrganizationUrl: String?

        /// Every URL setting of `Client.DisplayConfig` in Clerk's Frontend API spec
        /// (fapi/2026-05-12.yml) that sends a user somewhere, with its name; all are required
        /// there, so a nil value is an answer missing a field. The logo and favicon image URLs
        /// are Clerk's CDN, not the app's.
        public var urlFields: [(name: String, value: String?, optionalLink: Bool)] {
            [
                ("home_url", homeUrl, false), ("sign_in_url", signInUrl, false), ("sign_up_url", signUpUrl, false),
                ("user_profile_url", userProfileUrl, false), ("waitlist_url", waitlistUrl, false), ("oauth_consent_url", oauthConsentUrl, false),
                ("after_sign_in_url", afterSignInUrl, false), ("after_sign_up_url", afterSignUpUrl, false),
                ("after_sign_out_one_url", afterSignOutOneUrl, false), ("after_sign_out_all_url", afterSignOutAllUrl, false),
                ("after_switch_session_url", afterSwitchSessionUrl, false), ("after_join_waitlist_url", afterJoinWaitlistUrl, false),
                ("organization_profile_url", organizationProfileUrl, false), ("create_organization_url", createOrganizationUrl, false),
                ("after_leave_organization_url", afterLeaveOrganizationUrl, false), ("after_create_organization_url", afterCreateOrganizationUrl, false),
                // Links the team may leave empty: "" there is "not set", not a broken URL.
                ("logo_link_url", logoLinkUrl, true), ("help_url", helpUrl, true), ("privacy_policy_url", privacyPolicyUrl, true), ("terms_url", termsUrl, true),
            ]
        }

        /// The URL settings that hold a value, with their names.
        public var urls: [(name: String, value: String)] {
            urlFields.compactMap { name, value, _ in value.flatMap { $0.isEmpty ? nil : (name, $0) } }
        }
    }

    public struct UserSettings: Decodable, Sendable {
        public var attributes: [String: Attribute]?
        public var social: [String: SocialProvider]?
        public var signUp: SignUp?
        public var restrictions: Restrictions?
        public var saml: Toggle?
        public var enterpriseSso: Toggle?
    }

    public struct Attribute: Decodable, Sendable {
        public var enabled: Bool?
        public var usedForFirstFactor: Bool?
        public var firstFactors: [String]?
    }

    public struct SocialProvider: Decodable, Sendable {
        public var enabled: Bool?
        public var strategy: String?
        public var name: String?
    }

    public struct SignUp: Decodable, Sendable {
        public var captchaEnabled: Bool?
    }

    public struct Restrictions: Decodable, Sendable {
        public var allowlist: Toggle?
        public var blocklist: Toggle?
    }

    public struct Toggle: Decodable, Sendable {
        public var enabled: Bool?
    }

    public struct OrganizationSettings: Decodable, Sendable {
        public var enabled: Bool?
        public var maxAllowedMemberships: Int?
    }

    // MARK: Backend API

    // The Backend API models mark what bapi/2026-05-12.yml requires as non-optional: an answer
    // without it fails to decode, naming the field (`ClerkAPI.decodeReporting`).

    /// `GET /v1/instance` (`Instance`; `allowed_origins` and `workspace_id` are nullable).
    public struct Instance: Decodable, Sendable {
        public var id: String
        public var environmentType: String
        public var allowedOrigins: [String]?
    }

    /// `GET /v1/domains` (`Domains`)
    /// `JWTTemplate` (Backend API `GET /v1/jwt_templates`); the required fields checks read.
    public struct JWTTemplate: Decodable, Sendable {
        public var object: String
        public var id: String
        public var name: String
    }

    /// `ProxyCheck` (Backend API `POST /v1/proxy_checks`); the spec's required fields.
    public struct ProxyCheck: Decodable, Sendable {
        public var object: String
        public var id: String
        public var domainId: String
        public var lastRunAt: Int?
        public var proxyUrl: String
        public var successful: Bool
        public var createdAt: Int
        public var updatedAt: Int
    }

    public struct DomainList: Decodable, Sendable {
        public var data: [Domain]
        public var totalCount: Int
    }

    /// `Domain`
    public struct Domain: Decodable, Sendable {
        public var id: String
        public var name: String
        public var isSatellite: Bool
        public var frontendApiUrl: String
        public var accountsPortalUrl: String?
        public var proxyUrl: String?
        public var cnameTargets: [CNAMETarget]?
        /// The newer shape (clerk-sdk-go `domain.go` `DNSTarget`): every record the domain
        /// needs, with its type; used in place of `cname_targets` when present.
        public var dnsTargets: [DNSTarget]?

        /// The CNAME records the domain needs: from `dns_targets` when the answer has them,
        /// else from `cname_targets`.
        public var requiredCNAMEs: (targets: [CNAMETarget], source: String)? {
            if let dnsTargets {
                let cnames = dnsTargets.filter { ($0.recordType ?? "CNAME").uppercased() == "CNAME" }
                return (cnames.map { CNAMETarget(host: $0.host, value: $0.value, required: $0.required) }, "dns_targets")
            }
            return cnameTargets.map { ($0, "cname_targets") }
        }
    }

    public struct DNSTarget: Decodable, Sendable, Hashable {
        public var host: String
        public var value: String
        public var required: Bool?
        public var recordType: String?
    }

    public struct CNAMETarget: Decodable, Sendable, Hashable {
        public var host: String
        public var value: String
        public var required: Bool?
        public init(host: String, value: String, required: Bool?) {
            self.host = host
            self.value = value
            self.required = required
        }
    }

    /// `GET /v1/users/count`
    public struct TotalCount: Decodable, Sendable {
        public var totalCount: Int
    }

    /// `GET /v1/redirect_urls`: a list (older answers) or `{data: [...]}`.
    public struct RedirectURLList: Decodable, Sendable {
        public var urls: [String]

        struct Entry: Decodable { var url: String }
        struct Page: Decodable { var data: [Entry] }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([Entry].self) {
                urls = list.map(\.url)
            } else {
                urls = try container.decode(Page.self).data.map(\.url)
            }
        }
    }

    // MARK: Platform API `GET /v1/platform/applications/{app}/instances/{instance}/config`

    /// The instance's settings; of them, the social connections (`connection_oauth_<provider>`).
    public struct PlatformConfig: Decodable, Sendable {
        public var oauth: [String: PlatformOAuth]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            var oauth: [String: PlatformOAuth] = [:]
            for key in container.allKeys where key.stringValue.hasPrefix("connection_oauth_") {
                guard let value = try? container.decode(PlatformOAuth.self, forKey: key) else { continue }
                oauth[String(key.stringValue.dropFirst("connection_".count))] = value
            }
            self.oauth = oauth
        }
    }

    /// A `connection_oauth_*` key of the Platform API's instance config, with the fields Clerk's
    /// CLI reads (clerk/cli `commands/deploy/providers.ts`): `enabled`, `client_id`,
    /// `client_secret`, and for Apple `team_id`, `key_id`, `bundle_id`. It does not hold the
    /// redirect URIs registered at the provider: no Clerk API does.
    public struct PlatformOAuth: Decodable, Sendable {
        public var enabled: Bool?
        public var clientId: String?
        public var clientSecret: String?
        public var teamId: String?
        public var keyId: String?
        public var bundleId: String?

        enum CodingKeys: String, CodingKey {
            case enabled, clientId = "client_id", clientSecret = "client_secret", teamId = "team_id", keyId = "key_id", bundleId = "bundle_id"
        }

        /// Whose credentials the provider uses: the team's when every credential field is set
        /// (Apple needs its team and key ids too), Clerk's shared ones when they are there but
        /// empty, and nil when the answer does not carry them (not stated is never "shared").
        /// A custom provider (`oauth_custom_*`) has no shared credentials: always the team's.
        public func hasOwnCredentials(provider: String) -> Bool? {
            if provider.hasPrefix("oauth_custom_") { return true }
            let fields = provider == "oauth_apple" ? [clientId, clientSecret, teamId, keyId] : [clientId, clientSecret]
            guard fields.allSatisfy({ $0 != nil }) else { return nil }
            return fields.allSatisfy { !($0 ?? "").isEmpty }
        }
    }
}
