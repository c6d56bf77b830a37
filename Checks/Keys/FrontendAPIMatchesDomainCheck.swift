import Foundation
import PreflightCore

/// The key must point at the production domain's Frontend API, not at a development host.
struct FrontendAPIMatchesDomainCheck: Check {
    static let description = CheckDescription(
        id: "keys.frontend_api_matches_domain",
        title: "Publishable key points at the production domain",
        summary: "The host decoded from each publishable key is clerk.<app.domain> (or the proxy URL's host), never a development host.",
        rationale: """
            The publishable key carries the Frontend API host the browser talks to. In production \
            it is clerk.<your domain>, served by Clerk through a CNAME, which keeps session cookies \
            first-party. A key that decodes to a *.accounts.dev host belongs to a development \
            instance; one that decodes to another domain belongs to another application.
            """,
        hint: "Use the publishable key of the production instance whose domain is app.domain; if the Frontend API is proxied, set clerk.proxy_url",
        references: [
            Reference("Clerk: deploy to production (DNS records)", "https://clerk.com/docs/deployments/overview"),
            Reference("Clerk: proxying the Frontend API", "https://clerk.com/docs/advanced-usage/using-proxies"),
        ],
        defaultSeverity: .critical,
        tags: ["keys", "domain"],
        needs: .offline,
        examples: [
            ExampleInput.envFile("the key's host is clerk.<domain>",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)", expect: .pass),
            ExampleInput.envFile("an app on www. with Clerk on the apex",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)", domain: "www.example.com", expect: .pass),
            ExampleInput.envFile("a live key for a development host",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_ZmFrZS1jbGVyay10ZXN0LmNsZXJrLmFjY291bnRzLmRldiQ", expect: .problem),
            ExampleInput.envFile("a development key (keys.publishable_key_live reports it)",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.developmentKey)", expect: .notApplicable),
            ExampleInput.envFile("another application's domain",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsub3RoZXItYXBwLmNvbSQ", expect: .problem),
            ExampleInput.envFile("app.domain is not configured",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)", domain: nil, expect: .undecided),
        ])

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let keys = context.evidence.publishableKeyVariables
        guard !keys.isEmpty else { return [.notApplicable("no publishable key is configured")] }
        let domain = context.configuration.app.domain
        let proxyHost = context.configuration.clerk.proxyURL.flatMap { URLComponents(string: $0)?.host }
        var expected = domain.map(ClerkHosts.expectedFrontendAPIHosts(forDomain:)) ?? []
        if let proxyHost { expected.append(ClerkHosts.normalize(proxyHost)) }

        return keys.map { variable in
            guard let key = try? PublishableKey(variable.value) else {
                return .notApplicable("\(variable.name) does not decode (reported by keys.publishable_key_live)", at: variable.target)
            }
            // A development key is keys.publishable_key_live's to report: one problem, one finding.
            guard key.instance == .production else {
                return .notApplicable("\(variable.name) is a development key (reported by keys.publishable_key_live)", at: variable.target)
            }
            let host = ClerkHosts.normalize(key.frontendAPIHost)
            let evidence = [EvidenceItem("frontend API host", host)]
            if let suffix = ClerkHosts.developmentSuffix(of: host) {
                return .problem("\(variable.name) points at development host \(host) (\(suffix))",
                                at: variable.target, evidence: evidence)
            }
            guard !expected.isEmpty else {
                return .undecided("app.domain is not set in preflight.yml, so \(host) cannot be compared with it",
                                  at: variable.target, evidence: evidence)
            }
            if expected.contains(host) {
                return .pass("\(variable.name) points at \(host)", at: variable.target, evidence: evidence)
            }
            return .problem("\(variable.name) points at \(host), expected \(expected.joined(separator: " or "))",
                            at: variable.target, evidence: evidence + [EvidenceItem("app.domain", domain ?? "-")])
        }
    }
}
