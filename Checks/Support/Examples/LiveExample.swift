import Foundation
import PreflightCore

/// Builders for examples of live checks: hand-built probe results, no network.
enum LiveExample {
    /// 2027-01-01T00:00:00Z, the clock of every live example.
    static let now = Date(timeIntervalSince1970: 1_798_761_600)
    static let domain = "example.com"

    static var configuration: Configuration {
        Configuration(app: AppSettings(domain: domain, url: "https://\(domain)/", envFiles: [".env.production"]))
    }

    /// A Frontend API `display_config` with every URL field Clerk's spec requires, all on
    /// example.com (production values), then `overrides`; a nil override leaves the field out.
    static func displayConfig(_ overrides: [String: String?] = [:]) -> String {
        var fields: [String: String?] = [
            "instance_environment_type": "production",
            "home_url": "https://example.com", "sign_in_url": "https://accounts.example.com/sign-in", "sign_up_url": "https://accounts.example.com/sign-up",
            "user_profile_url": "https://accounts.example.com/user", "waitlist_url": "https://accounts.example.com/waitlist",
            "oauth_consent_url": "https://accounts.example.com/oauth-consent",
            "after_sign_in_url": "https://example.com/dashboard", "after_sign_up_url": "https://example.com/welcome",
            "after_sign_out_one_url": "https://accounts.example.com/sign-in/choose", "after_sign_out_all_url": "https://example.com",
            "after_switch_session_url": "https://example.com", "after_join_waitlist_url": "https://example.com",
            "organization_profile_url": "https://accounts.example.com/organization", "create_organization_url": "https://accounts.example.com/create-organization",
            "after_leave_organization_url": "https://example.com", "after_create_organization_url": "https://example.com",
            "logo_link_url": "https://example.com", "help_url": "", "privacy_policy_url": "https://example.com/privacy", "terms_url": "",
        ]
        for (name, value) in overrides { fields[name] = value }
        let body = fields.compactMap { name, value in value.map { "\"\(name)\": \"\($0)\"" } }.sorted().joined(separator: ", ")
        return "{\"display_config\": {\(body)}}"
    }

    /// The Platform API config of the examples' application and instance.
    static let platformURL = "https://api.clerk.com/v1/platform/applications/app_1/instances/ins_1/config"

    /// The examples' configuration with the ids the Platform API is asked about.
    static var platformConfigured: Configuration {
        var configuration = Self.configuration
        configuration.clerk.applicationID = "app_1"
        configuration.clerk.instanceID = "ins_1"
        return configuration
    }

    /// A Platform API config answer holding `fields` (the token was in the environment).
    static func platform(_ fields: String) -> HTTPExchange {
        HTTPExchange(probe: HTTPProbe(url: platformURL, platform: true), result: response(platformURL, body: "{\(fields)}"))
    }

    /// The production key for clerk.example.com in .env.production.
    static var keyFile: EnvFileEvidence {
        EnvFileEvidence(path: ".env.production", text: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)\n")
    }

    static func example(
        _ title: String, shows input: String, expect: CheckExample.Expectation,
        dns: [DNSAnswer] = [], http: [HTTPExchange] = [], pages: [PageScan] = [], configuration: Configuration? = nil,
        envFiles: [EnvFileEvidence]? = nil, assets: AssetScan? = nil, domain: DomainFacts? = nil,
        options: [String: OptionValue] = [:], offline: Bool = false, snapshot: InstanceSnapshot? = nil, sources: SourceScan? = nil
    ) -> CheckExample {
        let configuration = configuration ?? Self.configuration
        // Backend and Platform API answers exist only when their credentials were in the environment.
        var credentials: [EnvironmentVariable] = []
        if http.contains(where: \.probe.authenticated) { credentials.append(EnvironmentVariable(name: "CLERK_SECRET_KEY", value: ExampleInput.liveSecret)) }
        if http.contains(where: \.probe.platform) { credentials.append(EnvironmentVariable(name: "CLERK_PLATFORM_API_KEY", value: "[set]")) }
        let environment = credentials
        return CheckExample(title, input: input, expect: expect) {
            CheckContext(
                evidence: Evidence(envFiles: envFiles ?? [keyFile], environment: environment, dns: dns, http: http, pages: pages, domain: domain,
                                   assets: assets, offline: offline, snapshot: snapshot, sources: sources),
                configuration: configuration, options: options, now: now)
        }
    }

    static func certificate(host: String, daysLeft: Double, issuer: String = "CN=R11, O=Let's Encrypt, C=US") -> CertificateFacts {
        CertificateFacts(
            subject: "CN=\(host)", issuer: issuer, subjectAltNames: [host],
            notBefore: now.addingTimeInterval(-60 * 86_400), notAfter: now.addingTimeInterval(daysLeft * 86_400))
    }

    static func response(_ url: String, status: Int = 200, body: String = "", certificates: [CertificateFacts]? = nil) -> HTTPResult {
        .response(HTTPResponse(url: url, status: status, body: body, certificates: certificates))
    }

    /// A Backend API answer of `path` (the secret key was in the environment).
    static func backend(_ path: String, _ body: String, status: Int = 200) -> HTTPExchange {
        let url = "https://api.clerk.com\(path)"
        return HTTPExchange(probe: HTTPProbe(url: url, authenticated: true), result: response(url, status: status, body: body))
    }

    /// The Frontend API's `GET /v1/environment` answer of clerk.example.com.
    static func environment(_ body: String, status: Int = 200) -> HTTPExchange {
        let url = "https://clerk.example.com/v1/environment"
        return HTTPExchange(probe: HTTPProbe(url: url, certificates: true), result: response(url, status: status, body: body))
    }

    /// The Backend API's `GET /v1/domains` answer for example.com, with these cname_targets.
    /// A `Domain` of the Backend API with every field its spec requires, then `extra` (JSON members).
    static func domainJSON(_ name: String, frontendAPI: String? = nil, satellite: Bool = false, extra: String = "") -> String {
        let id = "dmn_" + name.prefix { $0 != "." }
        let frontend = frontendAPI ?? "https://clerk." + name
        let more = extra.isEmpty ? "" : ", " + extra
        return #"{"object": "domain", "id": "\#(id)", "name": "\#(name)", "is_satellite": \#(satellite), "#
            + #""frontend_api_url": "\#(frontend)", "development_origin": ""\#(more)}"#
    }

    /// The Backend API's `GET /v1/instance` with every field its spec requires.
    static func instanceJSON(type: String = "production", allowedOrigins: [String]? = ["https://example.com"]) -> String {
        let origins = allowedOrigins.map { "[" + $0.map { "\"\($0)\"" }.joined(separator: ", ") + "]" } ?? "null"
        return #"{"object": "instance", "id": "ins_1", "environment_type": "\#(type)", "allowed_origins": \#(origins), "workspace_id": null}"#
    }

    /// With `dnsTargets`, in the newer shape (clerk-sdk-go `DNSTarget`: `record_type`).
    static func backendDomains(_ targets: [String: String], dnsTargets: Bool = false) -> HTTPExchange {
        let entries = targets.sorted { $0.key < $1.key }.map {
            #"{"host": "\#($0.key)", "value": "\#($0.value)", "required": true\#(dnsTargets ? #", "record_type": "CNAME""# : "")}"#
        }
        let field = dnsTargets ? "dns_targets" : "cname_targets"
        let body = #"{"data": [{"object": "domain", "id": "dmn_1", "name": "example.com", "is_satellite": false, "frontend_api_url": "https://clerk.example.com", "development_origin": "", "\#(field)": [\#(entries.joined(separator: ", "))]}], "total_count": 1}"#
        let url = "https://api.clerk.com/v1/domains"
        return HTTPExchange(probe: HTTPProbe(url: url, authenticated: true), result: response(url, body: body))
    }

    static func failure(_ url: String, _ kind: HTTPFailureKind, _ message: String, certificates: [CertificateFacts]? = nil) -> HTTPResult {
        .failure(HTTPFailure(kind: kind, message: message, url: url, certificates: certificates))
    }
}
