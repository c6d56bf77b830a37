import Foundation
import PreflightCore

/// OAuth redirect URIs, redirect URLs and allowed origins must point at production.
struct RedirectURIsProductionCheck: Check {
    static let description = CheckDescription(
        id: "sso.redirect_uris_production",
        title: "Redirect URIs point at production",
        summary: "Each provider's redirect URIs include https://clerk.<domain>/v1/oauth_callback (or the proxy's), and no redirect URI, redirect URL or allowed origin is localhost, an IP address or a development host (custom schemes like myapp:// are fine).",
        rationale: """
            The provider sends users back to the redirect URI registered in its console. \
            Registered for development (the *.accounts.dev callback, localhost), it rejects \
            production sign-ins with redirect_uri_mismatch. The instance's redirect URLs and \
            allowed origins likewise should not trust a developer's machine in production. No \
            Clerk API holds what is registered in a provider's console: only an instance \
            snapshot can state it, and without one each enabled provider's callback (and \
            Google's publishing status: In production, not Testing) is an item to confirm by \
            hand, never a pass.
            """,
        hint: "Register https://clerk.<your domain>/v1/oauth_callback at each provider, and remove localhost, IP and development entries from the instance's redirect URLs and allowed origins",
        references: [
            Reference("Clerk: deploy to production (OAuth credentials)", "https://clerk.com/docs/deployments/overview#o-auth-credentials"),
            Reference("Clerk Backend API: redirect URLs", "https://clerk.com/docs/reference/backend-api/tag/Redirect-URLs"),
        ],
        defaultSeverity: .error,
        tags: ["sso", "clerk-api"],
        needs: .network,
        decidesFromSnapshot: true,
        examples: [
            LiveExample.example("the production callback, a native scheme", shows: "oauth_google redirect_uris: https://clerk.example.com/v1/oauth_callback, publishing_status: in_production; redirect_urls: myapp://sso-callback",
                                expect: .pass, snapshot: snapshot(google: ["https://clerk.example.com/v1/oauth_callback"], redirects: ["myapp://sso-callback", "https://example.com/sso"],
                                                                  publishing: "in_production")),
            LiveExample.example("Google still registered for development", shows: "oauth_google redirect_uris: https://fuzzy-owl-12.clerk.accounts.dev/v1/oauth_callback",
                                expect: .problem, snapshot: snapshot(google: ["https://fuzzy-owl-12.clerk.accounts.dev/v1/oauth_callback"], redirects: [])),
            LiveExample.example("localhost among the redirect URLs (Backend API)", shows: #"GET /v1/redirect_urls -> [{"url": "http://localhost:3000/sso-callback"}]"#,
                                expect: .problem, http: [LiveExample.backend("/v1/redirect_urls", #"[{"object": "redirect_url", "id": "ru_1", "url": "http://localhost:3000/sso-callback", "created_at": 1767225600000, "updated_at": 1767225600000}]"#),
                                                         LiveExample.backend("/v1/instance", LiveExample.instanceJSON())]),
            LiveExample.example("the Backend API failed", shows: "GET /v1/redirect_urls -> 503", expect: .undecided,
                                http: [LiveExample.backend("/v1/redirect_urls", "", status: 503), LiveExample.backend("/v1/instance", "", status: 503)]),
            LiveExample.example("no source", shows: "(no CLERK_SECRET_KEY, no Platform API key, no snapshot)", expect: .notApplicable),
            LiveExample.example(
                "Google enabled, its registered redirect URI stated nowhere",
                shows: #"Platform API: connection_oauth_google {"enabled": true, "client_id": "…", "client_secret": "[set]"} (no Clerk API holds what Google has registered)"#,
                expect: .toConfirm,
                http: [LiveExample.platform(#""connection_oauth_google": {"enabled": true, "client_id": "1234.apps.googleusercontent.com", "client_secret": "[set]"}"#)],
                configuration: LiveExample.platformConfigured),
        ])

    static func snapshot(google: [String], redirects: [String], publishing: String? = nil) -> InstanceSnapshot {
        var snapshot = InstanceSnapshot()
        var provider = InstanceSnapshot.SocialProvider()
        provider.enabled = true
        provider.redirectUris = google
        provider.publishingStatus = publishing
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
        if let proxy = configuration.clerk.proxyURL { callbacks.append(ClerkRequests.trimmedBase(proxy) + "/v1/oauth_callback") }
        return callbacks
    }

    /// The name a provider's console gives the redirect URI, and the provider's own words.
    static func consoleName(_ provider: String) -> String {
        switch provider {
        case "oauth_apple": "Return URL of the Apple Services ID"
        case "oauth_google": "Authorized redirect URI of the Google OAuth client"
        case "oauth_github": "Authorization callback URL of the GitHub OAuth app"
        case "oauth_microsoft": "Redirect URI of the Microsoft Entra app registration"
        default: "redirect (callback) URI registered with \(provider.dropFirst("oauth_".count))"
        }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        var results: [CheckResult] = []
        var read: [String] = []
        var failures: [CheckResult] = []
        let snapshot = context.evidence.snapshot

        // Which providers are enabled: the Platform API's config, else the snapshot. What each
        // registered at its provider, only the snapshot can state: no Clerk API holds it.
        var enabled: Set<String> = []
        switch ClerkSources.platformConfig(context) {
        case .success(let config):
            enabled = Set(config.oauth.filter { $0.value.enabled == true }.keys)
            read.append("enabled providers (\(ClerkSource.platformAPI.rawValue))")
        case .failure(.failed(let reason)):
            failures.append(.undecided(reason, at: .clerkSetting("social_providers")))
        case .failure(.notAsked):
            if let providers = snapshot?.socialProviders {
                enabled = Set(providers.filter { $0.value.enabled == true }.keys)
                read.append("enabled providers (\(ClerkSource.snapshot.rawValue))")
            }
        }
        let expected = Self.expectedCallbacks(context.configuration)
        for provider in enabled.sorted() {
            let target = Target.clerkSetting("connection_\(provider).redirect_uris")
            guard let uris = snapshot?.socialProviders?[provider]?.redirectUris else {
                // Not stated anywhere: the exact value to find in the provider's console.
                guard !expected.isEmpty else {
                    results.append(.undecided("\(provider) is enabled, and neither app.domain nor clerk.proxy_url says which callback it needs", at: target))
                    continue
                }
                let callbacks = expected.joined(separator: " or ")
                results.append(CheckResult(
                    status: .toConfirm("in the provider's console, the \(Self.consoleName(provider)) is \(callbacks), and no development callback (*.accounts.dev) or localhost is left"),
                    message: "\(provider): confirm the registered redirect URI is \(expected[0])", target: target,
                    evidence: [EvidenceItem("why", "no Clerk API states what is registered at the provider; an instance snapshot's social_providers.\(provider).redirect_uris can")]))
                continue
            }
            let evidence = [EvidenceItem("redirect_uris", uris.joined(separator: ", ")), EvidenceItem("source", ClerkSource.snapshot.rawValue)]
            for uri in uris {
                if let problem = URLPolicy.developmentProblem(uri) {
                    results.append(.problem("\(provider) redirects to \(problem): \(uri)", at: .clerkSetting("connection_\(provider).redirect_uris: \(uri)"), evidence: evidence))
                }
            }
            if !expected.isEmpty, !uris.contains(where: { expected.contains($0) }) {
                results.append(.problem("\(provider) does not register \(expected.joined(separator: " or "))", at: target, evidence: evidence))
            }
            read.append("\(provider) redirect URIs (\(ClerkSource.snapshot.rawValue))")
        }
        // Google's consent screen: only the snapshot can state it is In production.
        if enabled.contains("oauth_google") {
            let target = Target.clerkSetting("connection_oauth_google.publishing_status")
            switch snapshot?.socialProviders?["oauth_google"]?.publishingStatus {
            case nil:
                results.append(CheckResult(
                    status: .toConfirm("in Google Cloud Console (APIs & Services, OAuth consent screen), the publishing status is In production: in Testing only 100 listed test users can sign in"),
                    message: "oauth_google: confirm the OAuth consent screen is In production", target: target,
                    evidence: [EvidenceItem("why", "no Clerk API states it; an instance snapshot's social_providers.oauth_google.publishing_status can")]))
            case "in_production"?:
                read.append("oauth_google publishing status (\(ClerkSource.snapshot.rawValue))")
            case let status?:
                results.append(.problem("oauth_google's OAuth consent screen is \(status), not in_production: only listed test users can sign in",
                                        at: target, evidence: [EvidenceItem("source", ClerkSource.snapshot.rawValue)]))
            }
        }

        // Redirect URLs and allowed origins: the Backend API, else the snapshot.
        let lists: [(name: String, live: Result<[String], Unavailable>, fallback: [String]?)] = [
            ("redirect_urls", ClerkSources.redirectURLs(context).map(\.urls), snapshot?.redirectUrls),
            ("allowed_origins", ClerkSources.instance(context).map { $0.allowedOrigins ?? [] },
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
            return [.needs("needs the secret key in the environment ($\(context.configuration.clerk.secretKeyEnv)), a Platform API key, or an instance snapshot",
                                   at: .clerkSetting("redirect_urls"))]
        }
        return [.pass("redirect URIs and URLs point at production", at: .clerkSetting("redirect_urls"), evidence: read.map { EvidenceItem("read", $0) })]
    }
}
