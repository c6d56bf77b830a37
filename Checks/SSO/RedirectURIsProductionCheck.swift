import Foundation
import PreflightCore

/// OAuth redirect URIs, redirect URLs and allowed origins must point at production.
struct RedirectURIsProductionCheck: Check {
    static let description = CheckDescription(
        id: "sso.redirect_uris_production",
        title: "Redirect URIs point at production",
        summary: "Each provider's redirect URIs include https://clerk.<domain>/v1/oauth_callback (or the proxy's), and no redirect URI, redirect URL or allowed origin is localhost, an IP address or a development host (custom schemes like myapp:// are fine).",
        rationale: """
            The provider sends users back to the redirect URI registered in its console. \\
            Registered for development (the *.accounts.dev callback, localhost), it rejects \\
            production sign-ins with redirect_uri_mismatch. The instance's redirect URLs and \\
            allowed origins likewise should not trust a developer's machine in production.
            """,
        hint: "Register https://clerk.<your domain>/v1/oauth_callback at each provider, and remove localhost, IP and development entries from the instance's redirect URLs and allowed origins",
        references: [
            Reference("Clerk: deploy to production (OAuth credentials)", "https://clerk.com/docs/deployments/overview#o-auth-credentials"),
            Reference("Clerk Backend API: redirect URLs", "https://clerk.com/docs/reference/backend-api/tag/Redirect-URLs"),
        ],
        defaultSeverity: .error,
        tags: ["sso", "clerk-api"],
        needs: .network,
        examples: [
            LiveExample.example("the production callback, a native scheme", shows: "oauth_google redirect_uris: https://clerk.example.com/v1/oauth_callback; redirect_urls: myapp://sso-callback",
                                expect: .pass, snapshot: snapshot(google: ["https://clerk.example.com/v1/oauth_callback"], redirects: ["myapp://sso-callback", "https://example.com/sso"])),
            LiveExample.example("Google still registered for development", shows: "oauth_google redirect_uris: https://fuzzy-owl-12.clerk.accounts.dev/v1/oauth_callback",
                                expect: .problem, snapshot: snapshot(google: ["https://fuzzy-owl-12.clerk.accounts.dev/v1/oauth_callback"], redirects: [])),
            LiveExample.example("localhost among the redirect URLs (Backend API)", shows: #"GET /v1/redirect_urls -> [{"url": "http://localhost:3000/sso-callback"}]"#,
                                expect: .problem, http: [LiveExample.backend("/v1/redirect_urls", #"[{"object": "redirect_url", "url": "http://localhost:3000/sso-callback"}]"#),
                                                         LiveExample.backend("/v1/instance", #"{"allowed_origins": ["https://example.com"]}"#)]),
            LiveExample.example("the Backend API failed", shows: "GET /v1/redirect_urls -> 503", expect: .undecided,
                                http: [LiveExample.backend("/v1/redirect_urls", "", status: 503), LiveExample.backend("/v1/instance", "", status: 503)]),
            LiveExample.example("no source", shows: "(no CLERK_SECRET_KEY, no Platform API token, no snapshot)", expect: .notApplicable),
        ])

    static func snapshot(google: [String], redirects: [String]) -> InstanceSnapshot {
        var snapshot = InstanceSnapshot()
        var provider = InstanceSnapshot.SocialProvider()
        provider.enabled = true
        provider.redirectUris = google
        snapshot.socialProviders = ["oauth_google": provider]
        snapshot.redirectUrls = redirects
        return snapshot
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        ClerkSources.backendProbes(context, ["/v1/redirect_urls", "/v1/instance"]) + ClerkSources.platformProbes(context)
    }

    /// The callback a production provider must send users back to.
    static func expectedCallbacks(_ configuration: Configuration) -> [String] {
        var callbacks: [String] = []
        if let host = configuration.frontendAPIHost { callbacks.append("https://\(host)/v1/oauth_callback") }
        if let proxy = configuration.clerk.proxyURL { callbacks.append(ClerkSources.trimmedBase(proxy) + "/v1/oauth_callback") }
        return callbacks
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        var results: [CheckResult] = []
        var read: [String] = []
        var failures: [CheckResult] = []
        let snapshot = context.evidence.snapshot

        // Provider redirect URIs: the Platform API, else the snapshot.
        var providerURIs: [String: [String]] = [:]
        var providerSource: ClerkSource?
        switch ClerkSources.platformConfig(context) {
        case .success(let config):
            providerURIs = config.oauth.filter { $0.value.enabled == true }.compactMapValues(\.redirectUris)
            providerSource = .platformAPI
        case .failure(.failed(let reason)):
            failures.append(.undecided(reason, at: .clerkSetting("social_providers")))
        case .failure(.notAsked):
            if let providers = snapshot?.socialProviders {
                providerURIs = providers.filter { $0.value.enabled == true }.compactMapValues(\.redirectUris)
                providerSource = .snapshot
            }
        }
        let expected = Self.expectedCallbacks(context.configuration)
        for (provider, uris) in providerURIs.sorted(by: { $0.key < $1.key }) {
            let evidence = [EvidenceItem("redirect_uris", uris.joined(separator: ", ")), EvidenceItem("source", providerSource?.rawValue ?? "")]
            for uri in uris {
                if let problem = URLPolicy.developmentProblem(uri) {
                    results.append(.problem("\(provider) redirects to \(problem): \(uri)", at: .clerkSetting("connection_\(provider).redirect_uris: \(uri)"), evidence: evidence))
                }
            }
            if !expected.isEmpty, !uris.contains(where: { expected.contains($0) }) {
                results.append(.problem("\(provider) does not register \(expected.joined(separator: " or "))", at: .clerkSetting("connection_\(provider).redirect_uris"),
                                        evidence: evidence))
            }
        }
        if let providerSource { read.append("provider redirect URIs (\(providerSource.rawValue))") }

        // Redirect URLs and allowed origins: the Backend API, else the snapshot.
        let lists: [(name: String, live: Result<[String], Unavailable>, fallback: [String]?)] = [
            ("redirect_urls", ClerkSources.backend(ClerkAPI.RedirectURLList.self, "/v1/redirect_urls", context).map(\.urls), snapshot?.redirectUrls),
            ("allowed_origins", ClerkSources.backend(ClerkAPI.Instance.self, "/v1/instance", context).map { $0.allowedOrigins ?? [] },
             snapshot?.instance?.allowedOrigins),
        ]
        for (name, live, fallback) in lists {
            let urls: [String]
            let source: ClerkSource
            switch live {
            case .success(let value): (urls, source) = (value, .backendAPI)
            case .failure(.failed(let reason)):
                failures.append(.undecided(reason, at: .clerkSetting(name)))
                continue
            case .failure(.notAsked):
                guard let fallback else { continue }
                (urls, source) = (fallback, .snapshot)
            }
            read.append("\(name) (\(source.rawValue))")
            for url in urls {
                if let problem = URLPolicy.developmentProblem(url) {
                    results.append(.problem("\(name) includes \(problem): \(url)", at: .clerkSetting("\(name): \(url)"),
                                            evidence: [EvidenceItem(name, urls.joined(separator: ", ")), EvidenceItem("source", source.rawValue)]))
                }
            }
        }
        if !results.isEmpty || !failures.isEmpty { return results + failures }
        guard !read.isEmpty else {
            return [.notApplicable("needs the secret key in the environment ($\(context.configuration.clerk.secretKeyEnv)), a Platform API token, or an instance snapshot",
                                   at: .clerkSetting("redirect_urls"))]
        }
        return [.pass("redirect URIs and URLs point at production", at: .clerkSetting("redirect_urls"), evidence: read.map { EvidenceItem("read", $0) })]
    }
}
